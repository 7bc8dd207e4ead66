"""Fresh kernels with TensorFlow already imported: forked from a warm template, one per submission.

Importing TensorFlow is the largest part of grading one notebook (several seconds of a core), and
every cold kernel pays it again; each ``otter run`` pays another two seconds importing otter. For a
batch, ``rnn-shapes grade`` starts one *template* process (``python -m gradecore.host.template SOCKET``)
that imports otter and what graded notebooks import (ipykernel, NumPy, TensorFlow and its Keras)
and then waits. The batch starts each ``otter run`` as ``python -m gradecore.host.template otter run ...``,
and when ``otter run`` starts a kernel, the kernelspec's launcher (:mod:`gradecore.host.kernelspec`) finds
``GRADECORE_WARM_KERNELS`` set: either launcher asks the template instead of starting Python. The
template forks, and the child becomes ``otter ARGS`` or the kernel (``ipykernel_launcher ARGS``)
with the launcher's arguments, working folder, environment and standard streams. The launcher
stays in place as the child's stand-in (for the batch, for jupyter_client): it forwards signals to
it and exits as it exits, with its status.

The template never runs student code, and each kernel is a fork of it made before any
submission ran: no kernel sees what another one did (globals, a monkeypatched NumPy, state in
imported modules). What a fork shares besides, and how each is made fresh:

- random state (Python's ``random``, NumPy's global generator): reseeded from the system in
  every kernel, as a new process seeds them;
- the kernel's memory limit (:func:`gradecore.kernel.cells.arm`) counts what the template imported as
  if the kernel had imported it itself (``GRADECORE_WARM_PRELOADED``), so a submission has the
  same room as in a cold kernel;
- lifetimes: a cold kernel exits when its launcher's parent (``otter run``) does; here the
  kernel's launcher dies with ``otter run`` (``PR_SET_PDEATHSIG``), and each forked child with its
  launcher, through a pipe whose only writer is the launcher (the *lifeline*): the batch ends an
  ``otter run`` by killing its launcher, as it killed ``otter run`` itself. Killing the
  template does not stop a running kernel: the launcher then watches the kernel itself, and the
  next launcher not finding the template starts a cold kernel.

Where the template is not running, or the variable is not set (plain ``otter run``, Gradescope),
kernels start cold exactly as before.
"""

from __future__ import annotations

import gc
import json
import os
import selectors
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

from ..kernel import memory
from ..protocol import frames, limits
from ..sandbox.prctl import PR_SET_PDEATHSIG, prctl
from . import procs, stderr_filter
from .procs import FORWARDED, PASSED_ENVIRONMENT, become_subreaper, exit_as, wait_for

PRELOAD = ("otter.cli", "otter.run.run_autograder", "nbconvert", "numpy", "tensorflow")
"""Imported by the batch's template: otter (for the ``otter run`` processes) and what the
assignments' notebooks import. ``tensorflow.keras`` is resolved too (Keras 3, or ``tf_keras``
where ``TF_USE_LEGACY_KERAS`` is set)."""
KERNEL_PRELOAD = ("numpy", "tensorflow")
"""Imported by one grading's own template (``--kernels``, :func:`start`): what its kernel and its
library's sealed run import, not otter."""

WORKER_MODULE = "gradecore.judge.truth_worker"
"""What a truth worker forked from the template runs (:meth:`Template._become_truth_worker`)."""

RELAY = """import os, sys
conn, pid = int(sys.argv[1]), int(sys.argv[2])
status = 0
while True:
    try:
        status = os.waitpid(pid, 0)[1]
        break
    except InterruptedError:
        continue
    except ChildProcessError:
        break
try:
    os.write(conn, b"%d\\n" % status)
except OSError:
    pass
"""
"""What one grading's template becomes once it forked the kernel (:meth:`Template._become_relay`)."""

# --- the template --------------------------------------------------------------------------------


def _preload(names: tuple[str, ...] = PRELOAD) -> int:
    """Import what notebooks import; return the address space it took."""
    before = memory.address_space()
    with stderr_filter.filtered_stderr():
        for name in names:
            try:
                module = __import__(name)
            except ImportError:
                continue
            if name == "tensorflow":
                getattr(module, "keras", None)
    return memory.address_space() - before


class Template:
    """The template process: accepts requests for kernels on a Unix socket and forks them.

    Single-threaded (a fork copies only the calling thread), it never blocks on a launcher: each
    request is one short message, and each reply one line.
    """

    def __init__(self, path: str, preload: tuple[str, ...] = PRELOAD, last_is_kernel: bool = False):
        # as Python set them at start (SIGPIPE ignored, SIGINT raising KeyboardInterrupt), for each kernel
        self.handlers = {s: signal.getsignal(s) for s in signal.valid_signals() if signal.getsignal(s) is not None}
        # Listening first: a launcher that comes while the imports run waits for them (its
        # kernel would have spent that time importing), instead of starting a cold kernel.
        # The socket takes its name only once it listens: a launcher that finds the name and is
        # refused would start afresh what it would have forked (wait_listening watches the name).
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        umask = os.umask(0o077)  # the grader's alone (connecting needs write access to the socket)
        try:
            self.listener.bind(path + ".new")
        finally:
            os.umask(umask)
        self.listener.listen(64)
        os.replace(path + ".new", path)
        import ipykernel.kernelapp  # noqa: F401  (what every kernel imports first)

        self.preloaded = _preload(preload)
        self.last_is_kernel = last_is_kernel
        # What the template imported is never collected: a kernel's collector then leaves those
        # objects alone, and their pages stay shared with the template instead of copied.
        gc.freeze()
        own = os.environ.get("PYTHONPATH", "").split(os.pathsep)
        # sys.path as a fresh interpreter would have it, less this process's own entries: each
        # kernel puts its own PYTHONPATH in front, as ``python -m ipykernel_launcher`` would.
        entries = sys.path if sys.flags.safe_path else sys.path[1:]  # -P: no folder of ``-m``'s first
        self.base_path = [p for p in entries if p not in own]
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.listener, selectors.EVENT_READ)
        self.kernels: dict[int, socket.socket] = {}
        """kernel pid -> the connection of its launcher"""

    def serve(self) -> None:
        while True:
            for key, _ in self.selector.select(timeout=0.1):
                if key.fileobj is self.listener:
                    conn, _ = self.listener.accept()
                    self.selector.register(conn, selectors.EVENT_READ)
                else:
                    self._readable(key.fileobj)
            self._reap()

    def _readable(self, conn: socket.socket) -> None:
        pid = next((p for p, c in self.kernels.items() if c is conn), None)
        if pid is not None:  # a launcher that has its kernel only ever closes its connection
            if not conn.recv(1):
                self._forget(conn)
            return
        try:
            request, fds = _receive(conn)
            peer = _peer(conn)
        except (OSError, ValueError):
            self._forget(conn)
            return
        try:
            pid = os.fork()
            if pid == 0:
                if request.get("kind") == "truth":
                    _child(self._become_truth_worker, request, fds)
                _child(self._become_kernel, request, fds, peer)
        finally:
            for fd in fds:
                os.close(fd)
        self.kernels[pid] = conn
        conn.sendall(f"{pid}\n".encode())
        if self.last_is_kernel and request.get("kind") == "kernel":
            self._become_relay(conn, pid)

    def _become_relay(self, conn: socket.socket, kernel: int) -> None:
        """One grading's template, once it forked the kernel (its last fork): become a small
        Python that waits for the kernel's supervisor and tells the launcher its status, as the
        template would. The exec gives back what the template imported, which the kernel would
        otherwise hold twice wherever it wrote (the kernel keeps its own copy); the pid, the
        children and the lifeline to otter's process stay. The listener closes (a later launcher
        starts a cold kernel)."""
        fd = conn.detach()
        os.set_inheritable(fd, True)
        os.execv(sys.executable, [sys.executable, "-I", "-S", "-c", RELAY, str(fd), str(kernel)])

    def _forget(self, conn: socket.socket) -> None:
        try:
            self.selector.unregister(conn)
        except (KeyError, ValueError):
            pass  # forgotten already: its launcher went first
        conn.close()

    def _reap(self) -> None:
        while self.kernels:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            conn = self.kernels.pop(pid, None)
            if conn is not None:
                try:
                    conn.sendall(f"{status}\n".encode())
                except OSError:
                    pass
                self._forget(conn)

    def _detach(self, fds: list[int]) -> int:
        """In a forked child: nothing of the template's server left (its socket, the launchers'
        connections), a session of its own, Python's signal handlers, and the requester's three
        descriptors as standard streams; returns the lifeline (the fourth)."""
        self.listener.close()
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()
        self.selector.close()
        os.setsid()
        for sig, handler in self.handlers.items():
            try:
                signal.signal(sig, handler)
            except (OSError, ValueError):
                pass
        stdin, stdout, stderr, lifeline = fds
        for fd, target in ((stdin, 0), (stdout, 1), (stderr, 2)):
            os.dup2(fd, target)
            os.close(fd)
        return lifeline

    def _become_truth_worker(self, request: dict, fds: list[int]) -> None:
        """In the forked child: become the judge's truth worker (``python -m
        gradecore.judge.truth_worker --assignment NAME``, :mod:`gradecore.judge.truth_worker`), on
        the pipes the judge sent, with TensorFlow already imported (no op of it run: a fork is safe).

        Trusted, as a fresh worker is: the template never ran student code, and only the grader's
        user can reach its socket (sandboxed processes may not make Unix sockets). Of the request
        it takes the assignment's name and the folder of the judge's own code (``root``, the zip's),
        nothing else: it keeps the template's working folder and environment (what a sandbox may
        see, :func:`environment`), and reads the grading's seed on its standard input. It dies with
        the judge (the lifeline)."""
        lifeline = self._detach(fds)
        threading.Thread(target=_hold, args=(lifeline,), daemon=True).start()
        sys.path[:] = [str(request["root"]), *self.base_path]
        for name in [n for n in sys.modules if n == "gradecore" or n.startswith("gradecore.")]:
            del sys.modules[name]
        _reseed()
        import runpy

        # The child becomes a process of the judge's side, as ``python -m`` (an exec) would make it:
        # the template itself never imports the judge's code, and this name is no import of it
        # (the trust boundary's checks read import statements and the host's modules at run time)
        sys.argv = [WORKER_MODULE, "--assignment", str(request["assignment"])]
        runpy.run_module(WORKER_MODULE, run_name="__main__", alter_sys=True)

    def _become_kernel(self, request: dict, fds: list[int], launcher: int) -> None:
        """In the forked child: become ``python -m ipykernel_launcher ARGS`` (or ``otter ARGS``) as
        the launcher (process ``launcher``) asked."""
        lifeline = self._detach(fds)
        os.chdir(request["cwd"])
        confinement = request.get("confine") if request.get("kind") != "otter" else None
        if confinement:
            env = dict(confinement["env"])
        elif request.get("kind") == "sealed":
            env = dict(request["env"])  # the sandbox's
        else:  # the launcher's own, read here: never in the template's memory
            env = procs.environment(launcher)
        # jupyter_client's parent poller would watch the template; the lifeline replaces it
        env.pop("JPY_PARENT_PID", None)
        env[limits.WARM_PRELOADED_VARIABLE] = str(self.preloaded)
        os.environ.clear()
        os.environ.update(env)
        import tempfile

        tempfile.tempdir = None  # the template's TMPDIR, as the template found it: found again
        own = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
        if request.get("kind") == "sealed":
            own = [request["args"][0]]  # the sandbox's copy of the core, for the supervisor too
        # the grader's own code comes from there only: where the core is not installed (the
        # zip's folder on Gradescope), the template's own path is not in base_path
        sys.path[:] = own + self.base_path
        for name in [n for n in sys.modules if n == "gradecore" or n.startswith("gradecore.")]:
            del sys.modules[name]
        _reseed()
        if request.get("kind") == "sealed":
            _sealed_run(request["args"], lifeline)  # never returns
        if confinement:
            # Trusted until here: this process stays as the kernel's supervisor, and only the
            # child it forks, confined, runs the kernel.
            _supervised(confinement, lifeline)
            _reseed()
        else:
            threading.Thread(target=_hold, args=(lifeline,), daemon=True).start()
        if request.get("kind") == "otter":
            from otter.cli import cli

            sys.argv = ["otter", *request["args"]]
            cli(args=request["args"], prog_name="otter")
        else:
            import ipykernel_launcher
            from ipykernel import kernelapp

            sys.argv = [ipykernel_launcher.__file__, *request["args"]]
            kernelapp.launch_new_instance()


def _child(become, *args) -> None:
    """In a forked child: ``become(*args)``, then exit with its status (never returns to the
    template's loop, whatever it raised)."""
    code = 1
    try:
        become(*args)
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _supervised(confinement: dict | None, lifeline: int) -> None:
    """Fork the kernel, which returns here confined; this process supervises it and never returns.
    Without ``confinement``, the child returns as it is (a sealed run confines itself).

    The supervisor is a child subreaper (what the kernel detaches comes back to it), writes what
    the confinement got for the plugin, passes the launcher's signals on, kills the kernel and
    all it left when the launcher is gone or the kernel ends, and exits as the kernel did.
    """
    # imported again after the fork: the kernel's confinement from the kernel's own copy of the core
    from ..sandbox import confine

    become_subreaper()
    read, write = os.pipe()
    kernel = os.fork()
    if kernel == 0:
        os.close(read)
        os.close(lifeline)
        if confinement is not None:
            report = confine.apply(confine.Policy.from_json(confinement["policy"]))
            os.write(write, json.dumps(report).encode())
        os.close(write)
        return
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        report = pipe.read()
    if confinement is None:
        # a sealed run's pipes are its own: the trusted side sees their end when it ends
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(devnull, 1)
        os.close(devnull)
    else:
        try:
            with open(confinement["report"], "wb") as f:
                f.write(report)
        except OSError:
            pass

    def forward(signum, frame):
        try:
            os.kill(kernel, signum)
        except ProcessLookupError:
            pass

    for sig in FORWARDED:
        signal.signal(sig, forward)

    def launcher_gone():
        try:
            while os.read(lifeline, 64):
                pass
        except OSError:
            pass
        procs.kill_descendants(os.getpid(), wait_s=END_WAIT_S)
        os._exit(1)

    threading.Thread(target=launcher_gone, daemon=True).start()
    status = wait_for(kernel)
    # all below it, reaped: a killed process still counts against its user's process limit until
    # it is, and the grading's next process of that user (its kernel) needs room for its threads
    procs.kill_descendants(os.getpid(), wait_s=END_WAIT_S)
    exit_as(status)


END_WAIT_S = 10.0
"""How long a supervisor waits for what it killed to be gone."""


def _sealed_run(args: list[str], lifeline: int) -> None:
    """In the forked child: a supervisor, and under it the sealed run (``python -I -c BOOTSTRAP
    ARGS`` of :mod:`gradecore.host.sealing`) with what this template imported already loaded. It
    confines itself before it reads any student code, as a fresh one does; the grader's own
    modules are imported again from the sandbox's copy (``ARGS[0]``), and otter is not loaded (its
    stand-in is), as in a fresh run."""
    _supervised(None, lifeline)
    for name in [n for n in sys.modules if n.split(".")[0] in ("gradecore", "otter")]:
        del sys.modules[name]
    sys.argv = ["-c", *args[1:]]  # args[0], the sandbox's copy of the core, leads sys.path already
    from gradecore.sandbox.sealed import main as sealed_main

    sealed_main()
    os._exit(0)


def _reseed() -> None:
    import random

    random.seed()
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()


def _hold(lifeline: int) -> None:
    """The kernel's side of the lifeline: when its launcher is gone, so is the kernel."""
    try:
        while os.read(lifeline, 64):
            pass
    except OSError:
        pass
    os.kill(os.getpid(), signal.SIGKILL)


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


def _peer(conn: socket.socket) -> int:
    """The process id of what connected (the launcher, waiting for its reply)."""
    pid, _, _ = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))
    return pid


def _request(conn: socket.socket, request: dict, fds: list[int]) -> None:
    """Send ``request`` (one JSON part) with ``fds``, which ride on its first bytes."""
    socket.send_fds(conn, [frames.pack([json.dumps(request).encode()])], fds)


def main(argv: list[str] | None = None) -> None:
    """``python -m gradecore.host.template SOCKET``: the template; ``python -m gradecore.host.template otter ARGS``:
    ``otter ARGS`` forked from the template, or started afresh where none answers."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["otter"]:
        launch(argv[1:], kind="otter")
        os.execv(sys.executable, [sys.executable, "-m", "otter", *argv[1:]])
    if argv[:1] == ["--kernels"]:
        _die_with_parent()  # one grading's template ends with the grading (otter's process)
        Template(argv[1], preload=KERNEL_PRELOAD, last_is_kernel=True).serve()
    Template(argv[0]).serve()


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
    return subprocess.Popen([sys.executable, "-P", "-m", "gradecore.host.template", "--kernels", path],
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


if __name__ == "__main__":
    main()
