"""The kernel's standard output and error lead nowhere: nothing it writes reaches otter's own streams.

jupyter_client starts the kernelspec with otter's standard output and error, and the launcher
passed them on to the kernel (cold, or forked from a template): ipykernel keeps a copy of each to
echo to, and a child the kernel forks writes to them directly. Through them a kernel wrote terminal
escapes and a forged score line onto the terminal of a raw ``otter run``, 128 MiB into the batch's
``stdout.txt`` of its grading (outside the folders the disk watch walks), and a line with no end
into the kernelspec's stderr filter, a process of the grader's with no limit
(``tests/attacks/rnn_shapes/kernel_raw_streams.py``, attack6, 2026-12-07).

The attack is graded with a raw ``otter run``, its kernel cold and forked from the grading's template
(a submission that imports TensorFlow): what otter printed holds neither its marker nor its 16 MiB,
and the attack, which raises ``ATTACK-BREACH`` where one of its copies of the streams is not
``/dev/null``, earns exactly its EXPECT.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.attacks.test_attacks import HERE, load_attack
from tests.support import OTTER

ATTACK = HERE / "rnn_shapes" / "kernel_raw_streams.py"
PRINTED_LIMIT = 1 << 20
"""More than otter itself prints for a grading: the attack writes 16 MiB on each stream."""


KERNELS = {
    "cold": "",
    "forked from the template": "import tensorflow  # the grading's template forks the kernel\n",
}


@pytest.mark.slow
@pytest.mark.parametrize("kernel", sorted(KERNELS))
def test_nothing_the_kernel_writes_reaches_otters_streams(built, tmp_path, kernel):
    attack = load_attack(ATTACK)
    folder = tmp_path / "submission"
    folder.mkdir()
    submission = folder / ATTACK.name
    submission.write_text(KERNELS[kernel] + ATTACK.read_text())
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.run(
        [str(OTTER), "run", "-a", str(built / "rnn_shapes" / "autograder" / "autograder.zip"), "-o", str(out),
         "--no-logo", str(submission)],
        capture_output=True, timeout=900, cwd=out,
    )
    for name, printed in (("standard output", proc.stdout), ("standard error", proc.stderr)):
        assert b"KERNEL-RAW-STREAM" not in printed, f"the kernel's line reached otter's {name}"
        assert len(printed) < PRINTED_LIMIT, f"otter's {name} holds {len(printed)} bytes"
    results = json.loads((out / "results.json").read_text())
    assert "ATTACK-BREACH" not in json.dumps(results), results.get("output", "")
    scores = {t["name"]: t.get("score") for t in results["tests"]}
    assert scores == attack.expect
