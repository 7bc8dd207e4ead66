"""The judge: a clean process that owns the hidden checks and decides every verdict.

It never runs student code. It builds the seeded checks at start-up, with the truths that the
build computed and shipped (:mod:`truths`; a seed the build did not see computes them live), hands each call's arguments to the student's kernel, judges the raw answers it gets back, and
keeps the verdicts so that the otter plugin can take them as the final word.

Run as ``python -m gradecore.judge.service --assignment NAME --stdio``: the plugin starts it on two pipes
that only the plugin holds (:mod:`gradecore.host.judge_client`), so no student process can reach
it. Its seed is the build's secret one (:func:`truths.build_seed`), never printed. It imports
nothing that runs student code: only the assignment's spec, the diagnosis, the comparison and the
wire.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from typing import Any, BinaryIO

from ..protocol import wire
from ..protocol.text import one_line
from ..public import spec
from ..public.spec import AssignmentSpec, Check
from . import truths
from .diagnosis import Verdict, decide, run_entry

MAX_NOTES = 10
NOTE_CHARS = 300
"""Notes come from the student's kernel: only a few short ones are kept, as plain text."""


MAX_VOCABULARY = 20_000
"""Names of the submission's code the judge keeps for its messages."""

MAX_SESSIONS = 10_000
"""A batch judge serves one session per submission; old sessions are forgotten past this."""


class JudgeService:
    """The hidden checks of one grading run and the verdicts given so far, per session.

    A session is one submission's grading: the plugin names it with a random token that only
    that submission's kernel receives. One judge can so serve a whole batch (its checks are the
    same for every submission) while each submission's verdicts stay its own.
    """

    def __init__(self, assignment: AssignmentSpec, seed: int):
        self.assignment = assignment
        self.seed = seed
        self.checks: dict[str, list[Check]] = assignment.build_checks(seed)
        self.verdicts: dict[str, dict[str, Verdict]] = {}
        self.notes: dict[str, list[str]] = {}
        self.vocabulary: frozenset = frozenset()
        """the names the submission's code uses (an exception's message may repeat them)"""
        self.lock = threading.Lock()

    def _session(self, request: dict) -> str:
        session = str(request.get("session", ""))[:64]
        with self.lock:
            if session not in self.verdicts:
                if len(self.verdicts) >= MAX_SESSIONS:
                    oldest = next(iter(self.verdicts))
                    self.verdicts.pop(oldest)
                    self.notes.pop(oldest, None)
                self.verdicts[session], self.notes[session] = {}, []
        return session

    def handle(self, request: Any) -> Any:
        if not isinstance(request, dict):
            return {"error": "bad request"}
        op, question = request.get("op"), request.get("question")
        session = self._session(request)
        if op == "verdicts":
            with self.lock:
                return {q: vars(v) for q, v in self.verdicts[session].items()}
        if op == "notes":
            with self.lock:
                return list(self.notes[session])
        if op == "note":
            text = one_line(request.get("note", ""), NOTE_CHARS)
            with self.lock:
                notes = self.notes[session]
                if text and text not in notes and len(notes) < MAX_NOTES:
                    notes.append(text)
            return {"ok": True}
        if op == "vocabulary":
            names = request.get("names")
            if isinstance(names, list):
                self.vocabulary = frozenset(str(n)[:60] for n in names[:MAX_VOCABULARY] if isinstance(n, str))
            return {"ok": True}
        if question not in self.assignment.names:
            return {"error": f"unknown question {question!r}"}
        if op == "calls":
            return {
                "calls": [c.args for c in self.checks[question]],
                "numpy_only": self.assignment.question(question).numpy_only,
                "keeps_arguments": self.assignment.question(question).keeps_arguments,
                "builders": self.assignment.kernel_builders,
            }
        if op == "judge":
            outcomes = request.get("outcomes")
            if not isinstance(outcomes, list) or not all(isinstance(o, dict) for o in outcomes):
                outcomes = []
            verdict = decide(self.assignment, question, self.checks[question], outcomes, self.seed, self.vocabulary)
            with self.lock:
                self.verdicts[session][question] = verdict
            return vars(verdict)
        return {"error": f"unknown op {op!r}"}

    def serve(self, rfile: BinaryIO, wfile: BinaryIO) -> None:
        while True:
            try:
                request = wire.recv(rfile)
            except (EOFError, OSError):
                return
            except Exception as e:  # a malformed message from the kernel ends its connection
                try:
                    wire.send(wfile, {"error": f"unreadable request: {type(e).__name__}"})
                except OSError:
                    pass
                return
            wire.send(wfile, self.handle(request))


def prepare_truths(assignment: AssignmentSpec, seed: int | None = None) -> bytes:
    """What the build ships (:data:`truths.SHIPPED_FILE`): the truths of the checks of ``seed``
    (the build's; the assignment's development seed where None), and the catalogue's outcomes on
    the checks that need the library to run them."""
    previous = truths.use(truths.Store(record=True))
    try:
        checks = assignment.build_checks(assignment.default_seed if seed is None else seed)
        for question, question_checks in checks.items():
            for check in question_checks:
                if check.ships_outcomes:
                    for entry in assignment.catalogue.for_question(question):
                        run_entry(entry, check)
        return truths.current().dumps()
    finally:
        truths.use(previous)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stdio", action="store_true", required=True, help="serve one client on stdin/stdout")
    parser.add_argument("--assignment", required=True, help="the assignment whose checks to serve")
    parser.add_argument("--seed", type=int, help="base seed of the hidden checks (default: the build's)")
    args = parser.parse_args(argv)
    # Keep the protocol stream clean of anything a library prints.
    protocol_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    assignment = spec.load(args.assignment)
    truths.use(truths.load_shipped(args.assignment))
    seed = args.seed if args.seed is not None else truths.build_seed(args.assignment, assignment.default_seed)
    JudgeService(assignment, seed).serve(sys.stdin.buffer, protocol_out)


if __name__ == "__main__":
    main()
