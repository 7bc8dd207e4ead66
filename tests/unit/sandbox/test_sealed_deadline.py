"""The trusted side's own deadline for a sealed run's top level: a run that keeps its statement
timer from firing (blocks, ignores or replaces ``SIGALRM``) is killed past its statements' limits
and the margin, not at the grading's deadline (held-out attack set 7's ``sigalrm_masked.py``: 447 s
until 2026-12-08)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gradecore.host import sealed_runs
from gradecore.sandbox import landlock

ROOT = Path(__file__).resolve().parents[3]

# Two ways a submission has to keep the timer from stopping its statement: its signal held (as
# ``signal.SIG_IGN`` or a handler of its own would: the same path, all four failed before), and the
# timer itself stopped.
HOLDS = {
    "blocked": "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})",
    "disarmed": "signal.setitimer(signal.ITIMER_REAL, 0)",
}
"""Each in the statement that loops: the run arms its timer again before each statement."""

RUN = """
import json, sys, time
from gradecore.host import grading_sandbox
box = grading_sandbox.Sandbox(prefix="gradecore-test-")
started = time.monotonic()
cells = ["def before():\\n    return 1\\n", sys.argv[1], "def after():\\n    return 1\\n"]
try:
    # two runs of the same code, one after the other, as the NumPy-only run and the library's
    run = grading_sandbox.SealedRun(cells, lambda: {}, submission_dir=sys.argv[2])
    found, then = box.start_sealed([run, run]).results()
finally:
    box.remove()
print(json.dumps({"seconds": time.monotonic() - started, "overran": found.get("overran"),
                  "defined": found.get("defined"), "then": then.get("defined")}))
"""


@pytest.mark.skipif(landlock.abi() < 6, reason="needs Landlock ABI 6 (Linux 6.12+), as on these machines")
@pytest.mark.parametrize("hold", sorted(HOLDS))
def test_a_run_that_holds_off_its_statement_timer_is_killed_past_its_limit(hold, tmp_path):
    cell = f"import signal, time\nwhile True:\n    {HOLDS[hold]}\n    time.sleep(0.05)\n"
    # 1 s per statement, 1 s of grace for imports, 2 s of margin: the first run ends within ~4 s of
    # its start, the second at once
    # one thread (NumPy's OpenBLAS threads would take a signal the main thread blocks), as a run
    # forked from the library's template has
    env = dict(os.environ, GRADECORE_CELL_TIME_LIMIT_S="1", GRADECORE_IMPORT_GRACE_S="1", OPENBLAS_NUM_THREADS="1",
               OMP_NUM_THREADS="1",
               PYTHONPATH=str(ROOT / "autograder"))
    code = RUN.replace("grading_sandbox\n", "grading_sandbox, sealed_runs\nsealed_runs.SEALED_MARGIN_S = 2\n")
    out = subprocess.run([sys.executable, "-c", code, cell, str(tmp_path)], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    found = json.loads(out.stdout.strip().splitlines()[-1])
    # until 2026-12-08: 2 x the statement limit + the grace + a second a line + 30 s (~38 s here,
    # 330 s and more with the default limits), whatever the statement's own limit was
    assert found["seconds"] < 20, found
    assert found["overran"].startswith("a top-level statement did not return within 1 seconds"), found
    assert found["overran"].endswith("is there an endless loop?"), found
    assert found["defined"] is None
    # the second run ends before the statement that held off the first one's timer, with what the
    # code defined before it, at once
    assert "before" in found["then"] and "after" not in found["then"], found


def test_the_clock_gives_each_statement_its_limit_and_the_grace_it_was_told_of_never_more():
    clock = sealed_runs.TopLevelClock(statements=3, time_limit=2, grace_s=1.5, margin_s=1)
    clock.statement()
    assert 2.9 < clock.left() <= 3
    clock.grace(1)
    clock.grace(1)  # only half a second of grace left
    clock.grace("forged")
    assert 4.3 < clock.left() <= 4.5
    for _ in range(1000):  # however many statements it claims to begin: never past all of them
        clock.statement()
    assert clock.left() <= 2 * 2 + 3 + 1.5 + 1
