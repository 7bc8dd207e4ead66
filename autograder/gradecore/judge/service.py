"""The judge: a clean process that owns the hidden checks and decides every verdict.

It never runs student code. Each grading's judge draws a nonce of its own and builds the hidden
checks from the instructor's secret (:mod:`secret`): the questions whose argument the library
builds (a Keras model) keep the build's cases, whose truths and outcomes the zip ships
(:mod:`truths`); every question with data arguments gets cases fresh for this grading, whose truths
a trusted worker computes with the real library as the grading begins (:mod:`truth_worker`). It
hands each call's arguments to the sealed runs, judges the raw answers it gets back, and keeps the
verdicts so that the otter plugin can take them as the final word.

Run as ``python -m gradecore.judge.service --assignment NAME --stdio``: the plugin starts it on two pipes
that only the plugin holds (:mod:`gradecore.host.judge_client`), so no student process can reach
it. Between its answers it sends heartbeats on the same pipe (:mod:`gradecore.protocol.progress`)
while it, or its truth worker, makes progress: the plugin waits as long as they come. Its secret and its nonce are never printed; a case is named by an opaque id that only the
instructor's secret maps back (:class:`secret.CaseIds`, ``rnn-shapes case ID``). It imports
nothing that runs student code: only the assignment's spec, the diagnosis, the comparison and the
wire.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import Future
from typing import Any, BinaryIO, Callable, Optional

from ..protocol import frames, progress, wire
from ..protocol.text import one_line
from ..public import spec
from ..public.spec import AssignmentSpec, Check
from . import secret, truths
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

    def __init__(self, assignment: AssignmentSpec, seed: int, checks: Optional[Future] = None,
                 calls: Optional[Future] = None):
        """``checks``: the checks to judge with, once ready (:func:`fresh_checks` in a thread); by
        default every check of ``seed``, built now. ``calls``: checks with the same arguments,
        ready sooner (their truths drafts), whose arguments are handed out; by default ``checks``."""
        self.assignment = assignment
        self.seed = seed
        if checks is None:
            checks = Future()
            checks.set_result(assignment.build_checks(seed))
        self._checks = checks
        self._calls = calls if calls is not None else checks
        self.verdicts: dict[str, dict[str, Verdict]] = {}
        self.notes: dict[str, list[str]] = {}
        self.vocabulary: frozenset = frozenset()
        """the names the submission's code uses (an exception's message may repeat them)"""
        self.lock = threading.Lock()

    @property
    def checks(self) -> dict[str, list[Check]]:
        """Every question's checks: waits for the fresh cases' truths (a request for calls or a
        verdict comes only after the grading began; the NumPy-only run meanwhile defines the
        submission's code)."""
        return self._checks.result()

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
        if op == "truths":  # answered once the grading's truths are ready, its truth worker gone
            try:
                self._checks.result()
            except Exception as e:
                return {"error": f"no truths: {type(e).__name__}"}
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
                "calls": [c.args for c in self._calls.result()[question]],
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

    def serve(self, rfile: BinaryIO, wfile: BinaryIO, beats: Optional[progress.Heartbeat] = None) -> None:
        """Answer each request on ``rfile`` on ``wfile``, between the heartbeats of ``beats`` (which
        writes on ``wfile`` too) where given."""

        def send(message: Any) -> None:
            if beats is None:
                wire.send(wfile, message)
            else:
                beats.send(lambda stream: wire.send(stream, message))

        while True:
            try:
                request = wire.recv(rfile)
            except (EOFError, OSError):
                return
            except Exception as e:  # a malformed message from the kernel ends its connection
                try:
                    send({"error": f"unreadable request: {type(e).__name__}"})
                except OSError:
                    pass
                return
            send(self.handle(request))


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


def library_questions(checks: dict[str, list[Check]]) -> set[str]:
    """The questions whose arguments the library builds (``{"build": NAME, ...}``, a Keras model):
    handed the very model, a student learns nothing secret from them, so they keep the build's
    cases, whose truths and catalogue outcomes the zip ships."""
    return {q for q, question_checks in checks.items()
            if any(isinstance(a, dict) and "build" in a for c in question_checks for a in c.args)}


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
"""The folder of the judge's own code (the zip's root when graded from it): the truth worker's too."""


class TruthWorker:
    """A trusted process that computes the truths of one grading's fresh cases with the library
    (:mod:`gradecore.judge.truth_worker`), started at once so that its imports overlap the rest.

    Forked from the grading's template (``template``, its socket: :mod:`gradecore.host.forkserver`),
    which imported TensorFlow once for the grading's kernel and its library's sealed run, or for a
    whole batch, and never ran student code nor a TensorFlow op; else, where none is named or
    answers, a fresh Python that imports TensorFlow itself. Either way its pipes are the judge's
    alone: a forked one gets them through the template's socket, which only the grader's user can
    reach, and reads the seed on them, never in a request.
    """

    def __init__(self, assignment: str, seed: int, template: Optional[str] = None):
        self.assignment, self.seed = assignment, seed
        self.proc: Optional[subprocess.Popen] = None
        self._forked: Optional[_ForkedWorker] = _ForkedWorker.start(template, assignment, seed) if template else None
        if self._forked is None:
            self._start_fresh()

    def _start_fresh(self) -> None:
        # TensorFlow's start-up notices stay off the grader's terminal; a failure's last lines are kept
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
        self.proc = subprocess.Popen([sys.executable, "-m", "gradecore.judge.truth_worker", "--assignment", self.assignment],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        # the seed on a pipe, never in the command line (which every process may read in /proc)
        self.proc.stdin.write(f"{self.seed}\n".encode())
        self.proc.stdin.flush()

    @property
    def forked(self) -> bool:
        """Whether the template forked it (false for a fresh one, and once it fell back to one)."""
        return self._forked is not None

    def store(self, on_progress: Optional[Callable[[], None]] = None) -> truths.Store:
        """The truths it computed (waits for them); ``on_progress`` is called for each of its
        heartbeats meanwhile."""
        if self._forked is not None:
            data, errors, forked = self._forked.result(on_progress)
            if forked:
                return _loaded(data, errors, "")
            # the template went before it forked (a batch's, killed): a fresh worker instead
            self._forked.end()
            self._forked = None
            self._start_fresh()
        errors = bytearray()
        drain = threading.Thread(target=lambda: errors.extend(self.proc.stderr.read()), daemon=True)
        drain.start()
        self.proc.stdin.close()  # the worker has the line already
        data = _answer(self.proc.stdout.fileno(), on_progress)
        drain.join()
        self.proc.wait()
        return _loaded(data if self.proc.returncode == 0 else b"", bytes(errors), f" (exit status {self.proc.returncode})")

    def end(self) -> None:
        """Kill it if it still runs."""
        if self._forked is not None:
            self._forked.end()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def _answer(fd: int, on_progress: Optional[Callable[[], None]] = None) -> bytes:
    """What a truth worker wrote on ``fd`` (read to its end): its answer, the one message that is not
    a heartbeat (:mod:`gradecore.protocol.progress`), calling ``on_progress`` for each heartbeat. A
    message cut short (a worker killed as it wrote) comes back as it is, which :func:`_loaded` says
    it cannot read."""
    buffer, answer = bytearray(), b""
    while True:
        chunk = os.read(fd, 1 << 20)
        buffer += chunk
        try:
            while (found := frames.parse(buffer)) is not None:
                parts, used = found
                if progress.is_heartbeat(parts):
                    if on_progress is not None:
                        on_progress()
                else:
                    answer = bytes(buffer[:used])
                del buffer[:used]
        except ValueError:  # a header past the wire's limit: not the worker's answer
            return b""
        if not chunk:
            return answer or bytes(buffer)


def _loaded(data: bytes, errors: bytes, status: str) -> truths.Store:
    if data:
        try:
            return truths.Store.loads(data)
        except Exception as e:  # cut short: killed as it wrote
            errors += f"\nunreadable truths: {type(e).__name__}".encode()
    tail = errors.decode(errors="replace").strip().splitlines()[-3:]
    raise RuntimeError(f"the truth worker failed{status}: {' | '.join(tail)}")


TEMPLATE_BIND_S = 5.0
"""How long the judge waits for a template's socket to appear before it starts a fresh truth worker."""


class _ForkedWorker:
    """A truth worker forked from a template: the judge's ends of its pipes, and its lifeline
    (while the judge holds its write end, the worker lives)."""

    def __init__(self, conn: socket.socket, out: int, err: int, lifeline: int):
        self.conn, self.out, self.err, self.lifeline = conn, out, err, lifeline
        self.errors = bytearray()
        self._reader = threading.Thread(target=self._read_errors, daemon=True)
        self._reader.start()

    @classmethod
    def start(cls, path: str, assignment: str, seed: int) -> Optional["_ForkedWorker"]:
        """Ask the template on ``path`` for a truth worker; None where none answers there (within
        :data:`TEMPLATE_BIND_S`: a grading's own template binds its socket a moment after it starts,
        beside the judge)."""
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        deadline = time.monotonic() + TEMPLATE_BIND_S
        while True:
            try:
                conn.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() < deadline:
                    time.sleep(0.02)
                    continue
                conn.close()
                return None
            except OSError:
                conn.close()
                return None
        child_in, to_child = os.pipe()
        out, child_out = os.pipe()
        err, child_err = os.pipe()
        keep, lifeline = os.pipe()
        request = {"kind": "truth", "assignment": assignment, "root": ROOT}
        try:
            # the template's request format (gradecore.host.forkserver_client._request): one framed JSON
            # part, the four descriptors riding on its first bytes
            socket.send_fds(conn, [frames.pack([json.dumps(request).encode()])], [child_in, child_out, child_err, keep])
            os.write(to_child, f"{seed}\n".encode())  # a line fits the pipe's buffer: written before the fork
            sent = True
        except OSError:
            sent = False
        for fd in (child_in, child_out, child_err, keep, to_child):
            os.close(fd)
        if not sent:
            for fd in (out, err, lifeline):
                os.close(fd)
            conn.close()
            return None
        return cls(conn, out, err, lifeline)

    def _read_errors(self) -> None:
        try:
            while chunk := os.read(self.err, 1 << 16):
                if len(self.errors) < 1 << 16:
                    self.errors += chunk
        except OSError:
            pass
        finally:
            os.close(self.err)

    def result(self, on_progress: Optional[Callable[[], None]] = None) -> tuple[bytes, bytes, bool]:
        """What the worker answered on its output (:func:`_answer`, ``on_progress`` for each of its
        heartbeats) and wrote on its errors, and whether the template forked it (its reply: the
        worker's process id; nothing where the template went first)."""
        with self.conn.makefile("rb") as reply:
            try:
                forked = bool(reply.readline().strip())
            except OSError:
                forked = False
        data = _answer(self.out, on_progress)
        self._reader.join()
        return data, bytes(self.errors), forked

    def end(self) -> None:
        """Its lifeline closed (a worker still running kills itself), the rest let go."""
        for fd in (self.lifeline, self.out):
            try:
                os.close(fd)
            except OSError:
                pass
        self.lifeline = self.out = -1
        self.conn.close()


def fresh_checks(assignment: AssignmentSpec, instructor_secret: bytes, nonce: int,
                 truths_of: Optional[Callable[[int], truths.Store]] = None,
                 on_calls: Optional[Callable[[dict[str, list[Check]]], None]] = None,
                 template: Optional[str] = None,
                 on_progress: Optional[Callable[[], None]] = None) -> dict[str, list[Check]]:
    """The checks of one grading: the build's cases for the library's questions, and cases drawn
    from the secret and ``nonce`` for every other, named by :class:`secret.CaseIds`.

    Args:
        assignment: the assignment's spec.
        instructor_secret: the zip's secret (:func:`secret.shipped`).
        nonce: this grading's nonce (:func:`secret.new_nonce`; ``rnn-shapes case`` gives an old
            grading's, deciphered from a case id).
        truths_of: computes the truths of the fresh cases' base seed; by default a
            :class:`TruthWorker` started at once, before the build's checks are read, so that its
            imports overlap them.
        on_calls: given the checks with their truths' drafts (:func:`truths.lookup`) as soon as
            they are drawn, before the truths are ready: their arguments are the real checks'
            (this function verifies it), so the sealed runs can answer them meanwhile. Not called
            where the assignment gives no drafts.
        template: the socket of the grading's template, to fork the :class:`TruthWorker` from
            (by default, or where it does not answer, a fresh Python).
        on_progress: called for each heartbeat of the truth worker (:mod:`gradecore.protocol.progress`).

    Raises:
        RuntimeError: the truth worker failed, or a draft changed a check's arguments.
    """
    seed = secret.grading_seed(instructor_secret, nonce)
    worker = TruthWorker(assignment.name, seed, template) if truths_of is None else None
    ids = secret.CaseIds(instructor_secret)
    span = 1 << secret.INDEX_BITS

    def drawn(store: truths.Store) -> dict[str, list[Check]]:
        previous_store = truths.use(store)
        previous_names = spec.name_cases(lambda s: ids.encode(nonce, s - seed) if 0 <= s - seed < span else None)
        try:
            return assignment.build_checks(seed)
        finally:
            spec.name_cases(previous_names)
            truths.use(previous_store)

    shipped = truths.current()
    drafts = None
    try:
        built = assignment.build_checks(secret.build_seed(instructor_secret))
        library = library_questions(built)
        if on_calls is not None:
            try:
                drafts = drawn(truths.Store(shipped.known, drafts=True))
            except truths.NoDraft:
                drafts = None
            else:
                on_calls({q: built[q] if q in library else drafts[q] for q in built})
        if worker is None:
            fresh_truths = truths_of(seed)
        else:
            try:
                fresh_truths = worker.store(on_progress)
            except RuntimeError as failed:  # once more: a worker killed on a machine under load
                print(f"gradecore judge: {failed}; computing the truths again", file=sys.stderr)
                worker.end()
                worker = TruthWorker(assignment.name, seed)  # a fresh one, whatever failed
                fresh_truths = worker.store(on_progress)
    finally:
        if worker is not None:
            worker.end()
    # the shipped truths stay (the library's questions' outcomes), the fresh ones join them
    store = truths.Store({**shipped.known, **fresh_truths.known})
    fresh = drawn(store)
    truths.use(store)
    if drafts is not None and any(truths.fingerprint([c.args for c in drafts[q]]) != truths.fingerprint([c.args for c in fresh[q]])
                                  for q in fresh if q not in library):
        raise RuntimeError("the truths' drafts changed the checks' arguments: the calls handed out are not the checks")
    return {q: built[q] if q in library else fresh[q] for q in built}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stdio", action="store_true", required=True, help="serve one client on stdin/stdout")
    parser.add_argument("--assignment", required=True, help="the assignment whose checks to serve")
    parser.add_argument("--seed", type=int, help="every check from this one base seed (default: fresh cases "
                        "drawn from the instructor's secret and a new nonce)")
    parser.add_argument("--build-cases", action="store_true",
                        help="the build's cases, whose truths the zip ships, instead of fresh ones (no truth worker)")
    parser.add_argument("--template", help="the socket of a template (gradecore.host.forkserver) to fork the truth "
                        "worker from, where it answers")
    args = parser.parse_args(argv)
    # Keep the protocol stream clean of anything a library prints.
    protocol_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    # heartbeats while it works (its start, the drafts) and while its truth worker does: the plugin
    # tells a slow judge from a silent one by them
    beats = progress.Heartbeat(protocol_out)
    beats.tick_while_working()
    assignment = spec.load(args.assignment)
    truths.use(truths.load_shipped(args.assignment))
    if args.seed is not None:
        JudgeService(assignment, args.seed).serve(sys.stdin.buffer, protocol_out, beats)
        return
    instructor_secret = secret.shipped(args.assignment, assignment.default_seed)
    if args.build_cases:
        JudgeService(assignment, secret.build_seed(instructor_secret)).serve(sys.stdin.buffer, protocol_out, beats)
        return
    checks: Future = Future()
    calls: Future = Future()

    def prepare() -> None:
        try:
            checks.set_result(fresh_checks(assignment, instructor_secret, secret.new_nonce(), on_calls=calls.set_result,
                                          template=args.template, on_progress=beats.beat))
            if not calls.done():
                calls.set_result(checks.result())
        except BaseException as e:  # the requests then fail, and the plugin says the machine did
            for future in (calls, checks):
                if not future.done():
                    future.set_exception(e)

    threading.Thread(target=prepare, daemon=True).start()
    JudgeService(assignment, secret.build_seed(instructor_secret), checks, calls).serve(sys.stdin.buffer, protocol_out,
                                                                                       beats)


if __name__ == "__main__":
    main()
