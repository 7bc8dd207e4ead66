"""The truths of one grading's fresh cases, computed with the real library in a trusted process.

``python -m gradecore.judge.truth_worker --assignment NAME`` reads the grading's seed (one line)
on its standard input, builds every hidden check of that seed with the assignment's own truth
functions (real Keras models, ``model.predict``, ``tf.GradientTape``: whatever the assignment's
``build_checks`` calls through :func:`gradecore.judge.truths.lookup`), and writes the truths it
computed on its standard output in the shipped truths' format (JSON and ``.npy``, no pickle),
after a heartbeat (:mod:`gradecore.protocol.progress`) each second it worked and for each truth it
computed, by which the judge, and the plugin through it, tell a slow worker from a silent one.

The judge starts it as the grading begins (:mod:`gradecore.judge.service`), on pipes only the
judge holds, and reads its answer when it needs the truths; it then exits, and TensorFlow's
memory with it, so the judge itself never imports TensorFlow. It never runs student code: it is a
child of the judge, started before any sealed run reads the submission.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Callable, Optional

from ..protocol import progress
from ..public import spec
from . import truths


def compute(assignment: spec.AssignmentSpec, seed: int, on_computed: Optional[Callable[[], None]] = None) -> bytes:
    """The truths of every check of ``seed`` (no catalogue outcomes: the fresh cases' questions
    have data arguments, and the judge runs their catalogue itself); ``on_computed`` is called
    after each."""
    previous = truths.use(truths.Store(record=True, on_computed=on_computed))
    try:
        assignment.build_checks(seed)
        return truths.current().dumps()
    finally:
        truths.use(previous)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--assignment", required=True, help="the assignment whose truths to compute")
    args = parser.parse_args(argv)
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # the answer's stream stays clean of library output
    beats = progress.Heartbeat(out)
    beats.tick_while_working()
    assignment = spec.load(args.assignment)
    line = sys.stdin.readline()
    if not line.strip():
        return
    found = compute(assignment, int(line), beats.beat)

    def answer(stream) -> None:
        stream.write(found)
        stream.flush()

    beats.send(answer)


if __name__ == "__main__":
    main()
