"""A kernel that dies before its first reply: nbclient raises, and otter would end without any
results. The plugin keeps the grading going to its verdicts, which the sealed runs gave apart from
the kernel, and says why no cell ran."""

from __future__ import annotations

import json
import sys

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor

from gradecore.host.execution import KernelWatch, survive_kernel_death


def _run(tmp_path, monkeypatch, launch: str, source: str):
    """Run a notebook of one cell, ``source``, under the plugin's watch, on a real kernelspec whose
    kernel is ``python -c launch CONNECTION_FILE``: the executed notebook and the watch."""
    spec = tmp_path / "kernels" / "under-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-c", launch, "{connection_file}"], "display_name": "under test", "language": "python",
    }))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    watch = KernelWatch()
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    restore = survive_kernel_death(watch)
    try:
        executed, _ = ExecutePreprocessor(kernel_name="under-test", startup_timeout=60).preprocess(notebook, {})
    finally:
        restore()
    return notebook, executed, watch


def test_a_kernel_that_dies_as_it_starts_leaves_the_grading_to_its_verdicts(tmp_path, monkeypatch):
    """A real kernelspec whose kernel exits at once, each time it is started (as one killed by the
    system as it starts): the executor returns, and the plugin's watch knows the kernel did not
    start, and why."""
    notebook, executed, watch = _run(tmp_path, monkeypatch, "import sys; sys.exit(3)", "x = 1")
    assert executed is notebook
    assert "died" in watch.not_started, watch.not_started
    assert watch.died_in is None


def test_a_kernel_that_dies_as_it_starts_is_started_once_more(tmp_path, monkeypatch):
    """A real kernelspec whose first kernel exits at once and whose second is IPython's: nothing of the
    submission ran in the first, so the grading starts it again and runs its cells, as if the first
    had never been (a neighbour's kernel died so, among the attacks of a batch)."""
    started = tmp_path / "started"
    launch = (f"import os, sys; first = not os.path.exists({str(started)!r}); open({str(started)!r}, 'a').close(); "
              "sys.exit(3) if first else None; from ipykernel import kernelapp; "
              "kernelapp.launch_new_instance(argv=['-f', sys.argv[1]])")
    _, executed, watch = _run(tmp_path, monkeypatch, launch, "print(6 * 7)")
    assert watch.not_started is None and watch.died_in is None
    assert executed.cells[0].outputs[0]["text"] == "42\n"
