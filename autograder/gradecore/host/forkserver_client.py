"""Asking the warm fork server (:mod:`gradecore.host.forkserver`) for a process, and starting one.

- the request's wire: one framed JSON part (:mod:`gradecore.protocol.frames`) and the requester's
  standard streams and lifeline, which ride on its first bytes (:func:`_request`, :func:`_receive`);
- starting one grading's own server (:func:`start`), with what a sandbox may see
  (:func:`environment`), and waiting until it listens (:func:`wait_listening`);
- a sealed run forked for the plugin (:func:`fork_sealed`, :class:`Forked`);
- the launcher's side (:func:`launch`): the kernel's launcher, or ``otter run``'s stand-in in a
  batch, asks for its process and stands in for it, exiting as it exits.

Where no server answers, each returns having started nothing, and the caller starts the process
afresh.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

from ..protocol import frames, limits
from ..sandbox.prctl import PR_SET_PDEATHSIG, prctl
from . import procs
from .procs import FORWARDED, PASSED_ENVIRONMENT, exit_as


def _receive(conn: socket.socket) -> tuple[dict, list[int]]:
    """A launcher's request (:func:`_request`) and the four descriptors that came with its first bytes."""
    data, fds, _, _ = socket.recv_fds(conn, 1 << 16, 4)
    try:
        if not data or len(fds) != 4:
            raise ValueError("not a kernel request")
        buffer = bytearray(data)
        while (found := frames.parse(buffer)) is None:
            more = conn.recv(1 << 16)
            if not more:
                raise ValueError("request cut short")
            buffer += more
        parts, _ = found
        if len(parts) != 1:
            raise ValueError("not a kernel request")
        return json.loads(parts[0]), fds
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise


def _request(conn: socket.socket, request: dict, fds: list[int]) -> None:
    """Send ``request`` (one JSON part) with ``fds``, which ride on its first bytes."""
    socket.send_fds(conn, [frames.pack([json.dumps(request).encode()])], fds)


def environment(core_parent: str) -> dict[str, str]:
    """What a template is started with (``core_parent`` holds the grading core it imports): only
    what every process forked from it may see. A fork keeps its parent's environment block (its
    ``/proc/self/environ``, and the memory ``/proc/self/stat`` points to) whatever ``os.environ``
    it is given, so a sandboxed fork would read the grader's own environment there: its tokens,
    and the seed where the grading pins it (``GRADECORE_SEED``). An ``otter run`` forked from the
    batch's template gets the batch's environment from its launcher (:func:`procs.environment`),
    which the template never holds."""
    env = {k: v for k, v in os.environ.items() if k in (*PASSED_ENVIRONMENT, "HOME")}
    env.update(PYTHONPATH=core_parent, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="")
    return env


READY_WAIT_S = 10.0
"""How long a template may take to listen on its socket: it binds before its imports."""


def wait_listening(proc: subprocess.Popen, path: str, wait_s: float = READY_WAIT_S) -> None:
    """Wait until the template ``proc`` listens on ``path``, ends, or ``wait_s`` pass: a request
    made before it binds finds no template, and the caller would start afresh what it would fork."""
    deadline = time.monotonic() + wait_s
    while not os.path.exists(path) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)


def start(path: str) -> subprocess.Popen:
    """Start one grading's own template on the socket ``path`` (``--kernels``: TensorFlow, not
    otter) and return at once; the imports run while the grading goes on, and whoever asks for a
    fork before they end waits for them. The grading's kernel and its library's sealed run are
    then forked from it, and pay for TensorFlow's import once between them."""
    core_parent = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    # -P and the socket's folder (the grader's): never otter's working folder, the submission's,
    # where ``python -m`` would import a ``psutil.py`` of the student's, as the grader, unconfined
    return subprocess.Popen([sys.executable, "-P", "-m", "gradecore.host.forkserver", "--kernels", path],
                            env=environment(core_parent), cwd=os.path.dirname(os.path.abspath(path)),
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


class Forked:
    """A sealed run the template forked for this process: its pipes, and the means to end it."""

    def __init__(self, conn: socket.socket, reply, pid: int, stdin, stdout, lifeline: int):
        self.conn, self.reply, self.pid = conn, reply, pid
        self.stdin, self.stdout, self.lifeline = stdin, stdout, lifeline

    def end(self, wait_s: float = 10.0) -> None:
        """End the run and everything it started: its supervisor kills them all when the lifeline
        closes, and the template says when the supervisor is gone (within ``wait_s``)."""
        for stream in (self.stdin, self.stdout):
            try:
                stream.close()
            except (OSError, ValueError):
                pass
        os.close(self.lifeline)
        self.conn.settimeout(wait_s)
        try:
            self.reply.readline()
        except OSError:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.conn.close()


def fork_sealed(path: str, args: list[str], cwd: str, env: dict[str, str]) -> Forked | None:
    """A sealed run (:mod:`gradecore.sandbox.sealed`, with ``ARGS``) forked from the template on
    ``path``, its standard input and output pipes to this process; None where no template answers
    (the caller then starts a fresh one)."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
    except OSError:
        conn.close()
        return None
    child_in, to_child = os.pipe()
    from_child, child_out = os.pipe()
    keep, lifeline = os.pipe()
    devnull = os.open(os.devnull, os.O_RDWR)
    request = {"kind": "sealed", "args": args, "cwd": cwd, "env": env}
    reply = conn.makefile("rb")
    conn.settimeout(limits.CELL_TIME_LIMIT_S)  # the template's imports, under load
    try:
        _request(conn, request, [child_in, child_out, devnull, keep])
        line = reply.readline()
    except OSError:
        line = b""
    conn.settimeout(None)
    for fd in (child_in, child_out, devnull, keep):
        os.close(fd)
    if not line.strip():
        for fd in (to_child, from_child, lifeline):
            os.close(fd)
        conn.close()
        return None
    return Forked(conn, reply, int(line), os.fdopen(to_child, "wb"), os.fdopen(from_child, "rb"), lifeline)


# --- the launcher's side -------------------------------------------------------------------------


def launch(args: list[str], kind: str = "kernel", confinement: dict | None = None) -> None:
    """Run the kernel ``ipykernel_launcher ARGS`` (or ``otter ARGS``) forked from the template,
    and exit as it exits; with ``confinement`` (:mod:`gradecore.host.launcher`'s), the kernel is
    confined and a supervisor forked from the template stands between it and the template.

    Returns (having started nothing) when no template is set or reachable: the caller then starts
    the process afresh.
    """
    path = os.environ.get(limits.WARM_KERNELS_VARIABLE)
    if not path:
        return
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
    except OSError:
        conn.close()
        return
    if kind == "kernel":
        _die_with_parent()
    keep, lifeline = os.pipe()  # the kernel holds the read end, only this process the write end
    # no environment: the child reads the launcher's own (:func:`procs.environment`), and one
    # confined gets the sandbox's; the template never holds the grader's
    request = {"kind": kind, "args": args, "cwd": os.getcwd()}
    nothing = None
    if confinement is not None:
        request["confine"] = confinement
        # a confined kernel's standard output and error lead nowhere (launcher.silence_streams)
        nothing = os.open(os.devnull, os.O_RDWR)
    try:
        _request(conn, request, [0, 1, 2, keep] if nothing is None else [0, nothing, nothing, keep])
        reply = conn.makefile("rb")
        line = reply.readline()
    except OSError:
        line = b""
    os.close(keep)
    if nothing is not None:
        os.close(nothing)
    if not line.strip():
        conn.close()
        os.close(lifeline)
        return
    pid = int(line)
    for sig in FORWARDED:
        signal.signal(sig, lambda signum, frame: _signal(pid, signum))
    status = reply.readline().strip()
    if not status:  # the template is gone: watch the kernel itself
        while procs.alive(pid):
            time.sleep(0.1)
        os._exit(0)
    exit_as(int(status))


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _die_with_parent() -> None:
    """SIGKILL this process when its parent (``otter run``) dies, as a cold kernel would stop."""
    try:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:
        os._exit(1)
