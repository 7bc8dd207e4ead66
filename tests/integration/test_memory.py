"""Grading that runs out of memory says so: an error row, never a 0 that reads like wrong answers.

The batch runs in a memory cgroup of its own, as Gradescope's and otter grade's containers do; a
submission that fills memory at top level gets its kernel killed by the system. The kernel's death
is the core's whatever the assignment: the default assignment's submissions show it.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from gradecore.protocol import limits
from tests.support import MemoryCgroup

from .conftest import default_only

pytestmark = pytest.mark.slow

TOOL = Path(sys.executable).with_name("rnn-shapes")

HOG = "import numpy as np\nhog = np.ones(3 * 2**28)  # 6 GiB, touched\n\n"


@default_only
def test_a_kernel_killed_for_memory_is_an_error_row_that_says_so(kit, autograder_zip, tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    (folder / "hog.py").write_text(HOG + kit.py_submission())
    (folder / "fine.py").write_text(kit.py_submission())
    cgroup = MemoryCgroup(1200)
    try:
        subprocess.run(
            cgroup.command([str(TOOL), "grade", str(folder), "--jobs", "1", "--out", str(tmp_path / "out"),
                            "--autograder", str(autograder_zip)]),
            check=True, timeout=900, capture_output=True,
        )
        assert cgroup.oom_kills() >= 1
    finally:
        cgroup.remove()
    rows = {Path(r["submission"]).name: r for r in csv.DictReader((tmp_path / "out" / "grades.csv").open())}
    assert rows["fine.py"]["status"] == "graded" and float(rows["fine.py"]["total"]) == sum(kit.points.values())
    hog = rows["hog.py"]
    assert hog["status"] == "error", (hog, (tmp_path / "out").rglob("*"))
    assert hog["reason"].startswith(limits.OUT_OF_MEMORY), hog
    feedback = "\n".join(p.read_text() for p in (tmp_path / "out").rglob("*hog*") if p.is_file() and p.suffix in (".txt", ".md", ".json"))
    assert "raise the autograder's memory" in feedback
    assert "not a wrong answer" in feedback
