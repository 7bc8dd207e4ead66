"""Draft test for issue 11 (b), to move into tests/: the zip's own run path (``run_otter.py``, what
Gradescope's and ``otter grade``'s ``run_autograder`` call) grades a submission when
``/autograder/submission_metadata.json`` is empty, as ``otter grade``'s image leaves it.

Without Docker: the zip is laid out as in the image, under a temporary folder that stands for
``/autograder``, and its ``run_otter.py`` runs with that folder in place of ``/autograder``.

    .venv/bin/python -m pytest container/test_empty_metadata.py -p no:cacheprovider
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ZIP = Path(os.environ.get("RNN_SHAPES_ZIP", ROOT / "dist" / "rnn_shapes" / "autograder" / "autograder.zip"))
SOLUTION = ROOT / "solutions" / "rnn_shapes.py"


def run_zip(tmp_path: Path, metadata: str) -> Path:
    """Lay out ``/autograder`` under ``tmp_path`` and run the zip's run_otter.py; return results.json."""
    ag = tmp_path / "autograder"
    for sub in ("source", "submission", "results"):
        (ag / sub).mkdir(parents=True)
    with zipfile.ZipFile(ZIP) as zf:
        zf.extractall(ag / "source")
    shutil.copy(SOLUTION, ag / "submission" / SOLUTION.name)
    (ag / "submission_metadata.json").write_text(metadata)
    script = ag / "source" / "run_otter.py"
    script.write_text(script.read_text().replace('"/autograder"', repr(str(ag))))
    subprocess.run([sys.executable, str(script)], cwd=ag / "source", check=False, timeout=600)
    return ag / "results" / "results.json"


@pytest.mark.slow
def test_gradescope_metadata_grades(tmp_path):
    results = run_zip(tmp_path, json.dumps({"users": [{"email": "s@example.edu"}]}))
    scores = {t["name"]: t.get("score") for t in json.loads(results.read_text())["tests"]}
    assert scores["manual_forward"] == 2


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="issue 11 (b): otter json.loads the empty file before any plugin runs")
def test_empty_metadata_grades(tmp_path):
    results = run_zip(tmp_path, "")
    scores = {t["name"]: t.get("score") for t in json.loads(results.read_text())["tests"]}
    assert scores["manual_forward"] == 2
