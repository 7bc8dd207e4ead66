"""Grading that runs out of memory says so: an error row, never a 0 that reads like wrong answers.

The batch runs in a memory cgroup of its own, as Gradescope's and otter grade's containers do; a
submission that fills memory at top level gets its kernel killed by the system. The kernel's death
is the core's whatever the assignment: the default assignment's submissions show it.
"""

from __future__ import annotations

import csv
import json
import shutil
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


KERNEL_FILLS = Path(__file__).resolve().parents[1] / "attacks" / "rnn_shapes" / "kernel_fakes_memory_fault.py"
"""An attack whose kernel alone has the system kill a child of it for memory, then kills itself."""


@default_only
def test_a_kernel_that_dies_beside_a_kill_for_memory_leaves_the_verdicts_as_they_are(kit, autograder_zip, tmp_path):
    """At Gradescope's 768 MB, a kernel that forks children to fill memory, then kills itself once the
    system killed one, is graded as its sealed runs answered (here 0, the functions are stubs), with
    a note: the kernel decides nothing, so its death is no fault of the machine's. Until 2026-12-07
    the grading was a machine fault ("grade this submission again"), a student's way out of a 0."""
    submission = tmp_path / "sub" / KERNEL_FILLS.name
    submission.parent.mkdir()
    shutil.copy(KERNEL_FILLS, submission)
    out = tmp_path / "out"
    out.mkdir()
    cgroup = MemoryCgroup(768)
    try:
        subprocess.run(
            cgroup.command([str(Path(sys.executable).with_name("otter")), "run", "-a", str(autograder_zip), "-o",
                            str(out), "--no-logo", str(submission)]),
            cwd=out, timeout=900, capture_output=True,
        )
        killed = cgroup.oom_kills()
    finally:
        cgroup.remove()
    results = json.loads((out / "results.json").read_text())
    if not killed:
        pytest.skip("no process was killed for memory here: the attack did not take")
    found = results["extra_data"]["gradecore"]
    assert found["fault"] is None, found["fault"]
    assert sum(t["score"] for t in results["tests"]) == 0
    assert "Machine fault" not in results["output"]
    assert "the kernel died while running" in results["output"], results["output"]
