"""The student notebook alone, as students run it: on Colab, and in Jupyter under any file name.

Each assignment's built student notebook is copied alone into an empty folder and executed, from
its first cell to its submit cell, with a kernel of ``.venv-colab/`` (``make colab-venv``: Python
3.11, TensorFlow 2.19, Keras 3 and the NumPy Colab ships, no otter-grader). Its first cell installs
the pinned otter-grader.

- **Colab**: the kernel is a stand-in with Colab's own kernel and shell classes
  (``google.colab._kernel.Kernel``, ``google.colab._shell.Shell``), which otter recognises as Colab
  (and then refuses to export). The notebook is not on disk: a stand-in for
  ``google.colab._message`` hands the kernel the notebook, as Colab's ``get_ipynb`` request does,
  and ``google.colab.files.download`` copies the file into a downloads folder.
- **Jupyter**: the notebook sits in the kernel's folder, under its own name or renamed as a
  browser renames a second download; the submit cell makes otter's zip, and the batch grades it.

Untouched, every check fails with "not implemented"; with the reference pasted in, every one
passes; with one catalogued mistake per function, each check's message is kept in a golden
(``tests/goldens/public_checks.txt``; ``--update-goldens`` rewrites it).
"""

from __future__ import annotations

import json
import os
import re
import subprocess

import nbformat
import pytest

from gradecore.cli.build import _otter_version, assignment_names
from gradecore.public import spec as specs
from tests.support import ROOT, AssignmentUnderTest, mistake_rounds

pytestmark = pytest.mark.slow

COLAB = ROOT / ".venv-colab"
KERNEL = "colab-python3"
CHECK_CELL = 'grader.check("'
NOTEBOOK_VARIABLE = "STAND_IN_COLAB_NOTEBOOK"
DOWNLOADS_VARIABLE = "STAND_IN_COLAB_DOWNLOADS"
STAND_IN = {
    "__init__.py": "",
    "_message.py": f'''"""Stand-in for Colab's kernel-to-frontend messages: ``get_ipynb`` returns the notebook."""
import json
import os


def blocking_request(request_type, request="", timeout_sec=5, parent=None):
    assert request_type == "get_ipynb", request_type
    with open(os.environ["{NOTEBOOK_VARIABLE}"], encoding="utf-8") as f:
        return {{"ipynb": json.load(f)}}
''',
    "_shell.py": '''"""Colab's shell class, by its name: otter tells Colab by ``str(get_ipython())``."""
from ipykernel.zmqshell import ZMQInteractiveShell


class Shell(ZMQInteractiveShell):
    pass
''',
    "_kernel.py": '''"""Colab's kernel class, whose shell is :class:`google.colab._shell.Shell`."""
from ipykernel.ipkernel import IPythonKernel
from traitlets import Type

from google.colab._shell import Shell


class Kernel(IPythonKernel):
    shell_class = Type(Shell)
''',
    "files.py": f'''"""Stand-in for ``google.colab.files``: a download lands in a folder of the test's choosing."""
import os
import shutil


def download(filename):
    shutil.copy(filename, os.environ["{DOWNLOADS_VARIABLE}"])
''',
}


@pytest.fixture(scope="session")
def colab_kernel(tmp_path_factory) -> str:
    """Kernelspecs for ``.venv-colab/``'s Python, found through this session's JUPYTER_PATH only:
    ``KERNEL`` as Jupyter runs it, ``KERNEL-colab`` as Colab does."""
    if not (COLAB / ".installed").exists():
        subprocess.run(["make", "colab-venv"], cwd=ROOT, check=True)
    python = COLAB / "bin" / "python"
    # As on Colab, otter-grader is missing until the notebook's first cell installs it.
    subprocess.run([str(python), "-m", "pip", "uninstall", "-q", "-y", "otter-grader"], check=True)
    jupyter = tmp_path_factory.mktemp("jupyter")
    argv = [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    stand_in = jupyter / "stand-in"
    (stand_in / "google" / "colab").mkdir(parents=True)
    for name, text in STAND_IN.items():
        (stand_in / "google" / "colab" / name).write_text(text)
    for kernel, extra, env in [
        (KERNEL, [], {}),
        (KERNEL + "-colab", ["--IPKernelApp.kernel_class=google.colab._kernel.Kernel"], {"PYTHONPATH": str(stand_in)}),
    ]:
        spec = jupyter / "kernels" / kernel
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps(
            {"argv": argv + extra, "env": env, "display_name": "Colab's stack", "language": "python"}
        ))
    return str(jupyter)


def _execute(notebook, folder, jupyter_path: str, kernel: str = KERNEL):
    from nbclient import NotebookClient

    previous = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = jupyter_path
    try:
        NotebookClient(
            notebook, kernel_name=kernel, allow_errors=True, timeout=600, resources={"metadata": {"path": str(folder)}}
        ).execute()
    finally:
        if previous is None:
            os.environ.pop("JUPYTER_PATH")
        else:
            os.environ["JUPYTER_PATH"] = previous
    return notebook


def _text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        parts.append(output.get("data", {}).get("text/plain", ""))
        parts += output.get("traceback", [])
    return "\n".join(parts)


def _checks(notebook) -> dict[str, str]:
    """What each ``grader.check`` cell printed, by question."""
    return {
        c.source.split(CHECK_CELL)[1].split('"')[0]: _text(c)
        for c in notebook.cells
        if c.cell_type == "code" and c.source.startswith(CHECK_CELL)
    }


def _installed_otter() -> str:
    found = subprocess.run(
        [str(COLAB / "bin" / "python"), "-c", "import importlib.metadata as m; print(m.version('otter-grader'))"],
        capture_output=True, text=True,
    )
    return found.stdout.strip()


def _mistakes(name: str) -> dict[str, specs.Mistake]:
    """One catalogued mistake per function: the first of each."""
    return mistake_rounds(specs.load(name))[0]


def _golden_text(checks: dict[str, str], mistakes: dict[str, specs.Mistake]) -> str:
    """Each check's message, as the student reads it (otter's lines, without tracebacks' file paths)."""
    parts = []
    for question, text in checks.items():
        lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith(("File ", "Traceback"))]
        text = re.sub(r"/tmp/\S+", "<tmp>", "\n".join(lines))
        parts.append(f"## {question}: {mistakes[question].id}\n{text}\n")
    return "\n".join(parts)


VARIANTS = [
    (variant, name)
    for name in assignment_names()
    for variant in ["colab-reference", "colab-mistakes"] + (["jupyter-renamed-reference", "jupyter-untouched"] if name == "rnn_shapes" else [])
]
"""Every assignment on Colab; the Jupyter routes, which the assignments share, with one."""


@pytest.mark.parametrize(("variant", "name"), VARIANTS)
def test_student_notebook_alone(built, colab_kernel, tmp_path, monkeypatch, update_goldens, name, variant):
    kit = AssignmentUnderTest(name)
    folder = tmp_path / "alone"
    folder.mkdir()
    source = built / name / "student" / f"{name}.ipynb"
    mistakes = _mistakes(name)
    if variant.endswith("reference"):
        notebook = kit.notebook_submission(source)
    elif variant.endswith("mistakes"):
        notebook = kit.notebook_submission(source, dict(mistakes))
    else:
        notebook = nbformat.read(source, as_version=4)
    kernel = KERNEL
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    if variant.startswith("colab"):
        # As on Colab: the notebook is in Drive, the kernel gets it through get_ipynb.
        drive = tmp_path / "drive" / source.name
        drive.parent.mkdir()
        nbformat.write(notebook, drive)
        monkeypatch.setenv(NOTEBOOK_VARIABLE, str(drive))
        monkeypatch.setenv(DOWNLOADS_VARIABLE, str(downloads))
        kernel = KERNEL + "-colab"
    else:
        filename = f"{name} (1).ipynb" if "renamed" in variant else source.name
        nbformat.write(notebook, folder / filename)
    scratch = tmp_path / "kernel-tmp"  # the kernel's tempfile.gettempdir()
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    executed = _execute(notebook, folder, colab_kernel, kernel)
    left = sorted(p.name for p in scratch.glob(f"{name}-checks-*"))
    assert not left, f"the first cell's checks outlive the kernel: {left}"
    assert _installed_otter() == _otter_version(), _text(executed.cells[0])
    texts = [_text(c) for c in executed.cells if c.cell_type == "code"]
    assert not any("Traceback" in t and "grader.check" not in t for t in texts[:1]), texts[0]
    # The first cell's output is pip's, when it installs otter.
    noisy = [t for t in texts[1:] if any(m in t for m in ("retracing", "WARNING:tensorflow", "W0000 ", "E0000 "))]
    assert not noisy, f"TensorFlow warnings in the student's notebook: {noisy[0][-2000:]}"
    checks = _checks(executed)
    assert sorted(checks) == sorted(kit.questions)
    for question, text in checks.items():
        if variant.endswith("untouched"):
            assert "failed" in text and "not implemented" in text, (question, text)
        elif variant.endswith("reference"):
            assert "passed" in text and "failed" not in text, (question, text)
        else:
            assert "failed" in text and "passed" not in text, (question, text)
    submit = _text(executed.cells[-2] if not executed.cells[-1].source.strip() else executed.cells[-1])
    if variant.startswith("colab"):
        downloaded = downloads / f"{name}.ipynb"
        assert downloaded.is_file(), submit
        assert "Submit the downloaded file" in submit
        assert json.loads(downloaded.read_text()) == json.loads(drive.read_text()), "the download is the notebook Colab holds"
    else:
        zips = list(folder.glob("*.zip"))
        assert len(zips) == 1, (submit, list(folder.iterdir()))
        if variant == "jupyter-renamed-reference":
            # The batch grades the zip as it grades the notebook inside: one row each, full marks.
            records = kit.grade_batch(folder, built / name / "autograder" / "autograder.zip", tmp_path / "graded")
            assert sorted(records) == sorted([f"{name} (1).ipynb", zips[0].name]), records
            for record in records.values():
                assert kit.scores(record) == kit.points, record
    if variant == "colab-mistakes":
        golden = ROOT / "assignments" / name / "tests" / "goldens" / "public_checks.txt"
        text = _golden_text(checks, mistakes)
        if update_goldens:
            golden.write_text(text)
        assert golden.exists(), f"no golden yet: run pytest {__file__} --update-goldens"
        assert text == golden.read_text(), "the public checks' messages changed: review, then rerun with --update-goldens"
