"""Grading that runs out of memory says whose memory it was: a submission whose own process the
system killed while it held more than the grading allows gets its 0 with a message that names
memory; a kill elsewhere (a neighbour's cgroup) is no fault of this grading's.

The gradings run in a memory cgroup of their own, as Gradescope's and otter grade's containers do; a
submission that fills memory at top level gets its processes killed by the system. The kernel's death
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
def test_a_submission_that_fills_memory_is_its_own_zero_and_its_neighbour_is_graded(kit, autograder_zip, tmp_path):
    """In a batch in a 1200 MB cgroup, a submission whose top level touches 6 GiB has its own
    processes killed by the system: a graded 0 whose feedback names memory, and the neighbour gets
    full marks. Until 2026-12-08 it was an error row ("raise the autograder's memory")."""
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
    assert hog["status"] == "graded" and float(hog["total"]) == 0, hog
    feedback = "\n".join(p.read_text() for p in (tmp_path / "out").rglob("*hog*") if p.is_file() and p.suffix in (".txt", ".md", ".json"))
    assert limits.OVER_MEMORY in feedback
    assert "raise the autograder's memory" not in feedback


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


FILLER = (
    "import numpy as np\n"
    "fill = []\n"
    "while True:  # 32 MiB a step, touched, until the system kills the process\n"
    "    fill.append(np.ones(2**22))\n\n"
)


def _otter_run(submission: Path, autograder_zip: Path, out: Path, cgroup: MemoryCgroup) -> dict:
    out.mkdir()
    subprocess.run(
        cgroup.command([str(Path(sys.executable).with_name("otter")), "run", "-a", str(autograder_zip), "-o",
                        str(out), "--no-logo", str(submission)]),
        cwd=out, timeout=900, capture_output=True,
    )
    return json.loads((out / "results.json").read_text())


@default_only
def test_a_filler_in_the_sealed_run_is_the_submissions_zero_that_names_memory(kit, autograder_zip, tmp_path):
    """At Gradescope's 768 MB, a top-level statement that fills memory has its own process killed by
    the system: an ordinary 0 for what did not run (nothing, here), with a message that names memory
    and the grading's allowance, never a machine fault. Until 2026-12-08 it was a fault ("grade this
    submission again"), which any submission could choose instead of its 0."""
    submission = tmp_path / "sub" / "filler.py"
    submission.parent.mkdir()
    submission.write_text(FILLER + kit.py_submission())
    cgroup = MemoryCgroup(768)
    try:
        results = _otter_run(submission, autograder_zip, tmp_path / "out", cgroup)
        killed = cgroup.oom_kills()
    finally:
        cgroup.remove()
    assert killed >= 1
    found = results["extra_data"]["gradecore"]
    assert found["fault"] is None, found["fault"]
    assert "Machine fault" not in results["output"]
    assert sum(t["score"] for t in results["tests"]) == 0
    allowed = limits.submission_memory_mb(768 * 2**20)
    assert f"{limits.OVER_MEMORY} ({allowed:.0f} MiB)" in results["output"], results["output"]
    assert all(limits.OVER_MEMORY in t["output"] for t in results["tests"])


NEIGHBOUR = "while :; do python3 -c 'b = bytearray(256 << 20)' 2>/dev/null; done"
"""Elsewhere on the machine, in a cgroup of its own: a process that the system kills for memory, again and again."""


@default_only
def test_a_neighbours_kill_for_memory_is_no_fault_of_this_grading(kit, autograder_zip, tmp_path):
    """A grading whose sealed run ended itself (here: SIGKILL to itself, after its functions) while the
    system killed a process elsewhere for memory is graded as usual. Until 2026-12-08 the grader read
    the machine's count (``/proc/vmstat``), and such a grading was a machine fault."""
    submission = tmp_path / "sub" / "ends_itself.py"
    submission.parent.mkdir()
    submission.write_text(kit.py_submission() + "\nimport os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n")
    neighbour_group, grading_group = MemoryCgroup(64), MemoryCgroup(4096)
    neighbour = subprocess.Popen(neighbour_group.command(["sh", "-c", NEIGHBOUR]), start_new_session=True)
    try:
        results = _otter_run(submission, autograder_zip, tmp_path / "out", grading_group)
        neighbour_kills, own_kills = neighbour_group.oom_kills(), grading_group.oom_kills()
    finally:
        neighbour.kill()
        neighbour.wait()
        neighbour_group.remove()
        grading_group.remove()
    assert neighbour_kills >= 1 and own_kills == 0
    found = results["extra_data"]["gradecore"]
    assert found["fault"] is None, found["fault"]
    assert sum(t["score"] for t in results["tests"]) == sum(kit.points.values()), results["output"]
