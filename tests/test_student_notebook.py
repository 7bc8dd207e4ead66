"""The student notebook alone, on Colab's stack: it carries its checks, and installs otter itself.

Each assignment's built student notebook is copied alone into an empty folder and executed with a
kernel of ``.venv-colab/`` (``make colab-venv``: Python 3.11, TensorFlow 2.19, Keras 3 and the NumPy
Colab ships, no otter-grader). Its first cell installs the pinned otter-grader; untouched, every
public check fails with "not implemented"; with the reference solution pasted in, every one passes.
On Colab the notebook is not in the kernel's folder: a stand-in for ``google.colab._message``
hands the kernel the notebook, as Colab's ``get_ipynb`` request does, and the checks pass too.
"""

from __future__ import annotations

import json
import os
import subprocess

import nbformat
import pytest

from gradecore.tools.build import _otter_version, assignment_names
from tests.support import ROOT, Kit

pytestmark = pytest.mark.slow

COLAB = ROOT / ".venv-colab"
KERNEL = "colab-python3"
CHECK_CELL = 'grader.check("'
NOTEBOOK_VARIABLE = "STAND_IN_COLAB_NOTEBOOK"
STAND_IN = f'''"""Stand-in for Colab's kernel-to-frontend messages: ``get_ipynb`` returns the notebook."""
import json
import os


def blocking_request(request_type, request="", timeout_sec=5, parent=None):
    assert request_type == "get_ipynb", request_type
    with open(os.environ["{NOTEBOOK_VARIABLE}"], encoding="utf-8") as f:
        return {{"ipynb": json.load(f)}}
'''


@pytest.fixture(scope="session")
def colab_kernel(tmp_path_factory) -> str:
    """A kernelspec for ``.venv-colab/``'s Python, found through this session's JUPYTER_PATH only."""
    if not (COLAB / ".installed").exists():
        subprocess.run(["make", "colab-venv"], cwd=ROOT, check=True)
    python = COLAB / "bin" / "python"
    # As on Colab, otter-grader is missing until the notebook's first cell installs it.
    subprocess.run([str(python), "-m", "pip", "uninstall", "-q", "-y", "otter-grader"], check=True)
    jupyter = tmp_path_factory.mktemp("jupyter")
    argv = [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    stand_in = jupyter / "stand-in"
    (stand_in / "google" / "colab").mkdir(parents=True)
    (stand_in / "google" / "colab" / "__init__.py").write_text("")
    (stand_in / "google" / "colab" / "_message.py").write_text(STAND_IN)
    for kernel, extra, env in [
        (KERNEL, [], {}),
        (KERNEL + "-drive", ["--IPKernelApp.exec_lines=import google.colab"], {"PYTHONPATH": str(stand_in)}),
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


@pytest.mark.parametrize("name", assignment_names())
@pytest.mark.parametrize("variant", ["untouched", "reference", "reference-from-drive"])
def test_student_notebook_alone_on_colabs_stack(built, colab_kernel, tmp_path, monkeypatch, name, variant):
    kit = Kit(name)
    folder = tmp_path / "alone"
    folder.mkdir()
    source = built / name / "student" / f"{name}.ipynb"
    notebook = kit.notebook_submission(source) if variant != "untouched" else nbformat.read(source, as_version=4)
    kernel = KERNEL
    if variant == "reference-from-drive":
        # As on Colab: the notebook is elsewhere, the kernel gets it through get_ipynb.
        drive = tmp_path / "drive" / source.name
        drive.parent.mkdir()
        nbformat.write(notebook, drive)
        monkeypatch.setenv(NOTEBOOK_VARIABLE, str(drive))
        kernel = KERNEL + "-drive"
    else:
        nbformat.write(notebook, folder / source.name)
    notebook = _execute(notebook, folder, colab_kernel, kernel)
    assert _installed_otter() == _otter_version(), _text(notebook.cells[0])
    checks = _checks(notebook)
    assert sorted(checks) == sorted(kit.questions)
    for question, text in checks.items():
        if variant == "untouched":
            assert "failed" in text and "not implemented" in text, (question, text)
        else:
            assert "passed" in text and "failed" not in text, (question, text)
