"""The zip's own run path, as Gradescope and ``otter grade`` run it, without Docker.

Their ``run_autograder`` runs ``python /autograder/source/run_otter.py``. Here the zip is laid out
as in the image under a temporary folder that stands for ``/autograder``, and its ``run_otter.py``
runs with that folder in its place: once with the empty ``submission_metadata.json`` that
``otter grade``'s image leaves (otter json.loads it whenever a plugin is set), once with a
Gradescope-shaped one. The container check (``make container-check``) runs the same in Docker.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from gradecore.cli.build import assignment_names
from tests.support import AssignmentUnderTest

pytestmark = pytest.mark.slow

GRADESCOPE_METADATA = {
    "id": 123456,
    "created_at": "2026-11-23T09:00:00.000000-08:00",
    "assignment": {"id": 654321, "title": "rnn shapes", "total_points": "9.0"},
    "submission_method": "upload",
    "users": [{"email": "student@example.edu", "id": 1, "name": "A Student"}],
    "previous_submissions": [],
}


def run_zip(zip_path: Path, submission: Path, workdir: Path, metadata: str) -> dict:
    """Lay out ``/autograder`` under ``workdir``, run the zip's run_otter.py, return results.json."""
    root = workdir / "autograder"
    for sub in ("source", "submission", "results"):
        (root / sub).mkdir(parents=True)
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(root / "source")
    shutil.copy(submission, root / "submission" / submission.name)
    (root / "submission_metadata.json").write_text(metadata)
    script = root / "source" / "run_otter.py"
    script.write_text(script.read_text().replace('"/autograder"', repr(str(root))))
    proc = subprocess.run([sys.executable, str(script)], cwd=root / "source", capture_output=True, text=True,
                          timeout=900)
    results = root / "results" / "results.json"
    assert results.exists(), proc.stdout[-3000:] + proc.stderr[-3000:]
    return json.loads(results.read_text())


@pytest.mark.parametrize("name", assignment_names())
@pytest.mark.parametrize("metadata", ["", json.dumps(GRADESCOPE_METADATA)], ids=["empty", "gradescope"])
def test_the_zips_run_path_grades_with_either_metadata_file(built, tmp_path, name, metadata):
    kit = AssignmentUnderTest(name)
    results = run_zip(built / name / "autograder" / "autograder.zip", kit.solution, tmp_path, metadata)
    scores = {t["name"]: t.get("score") for t in results["tests"] if t["name"] in kit.points}
    assert scores == kit.points, results
