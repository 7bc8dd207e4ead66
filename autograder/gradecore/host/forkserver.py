"""The warm fork server (the *template*): fresh kernels with TensorFlow already imported, one per submission.

Importing TensorFlow is the largest part of grading one notebook (several seconds of a core), and
every cold kernel pays it again; each ``otter run`` pays another two seconds importing otter. For a
batch, ``rnn-shapes grade`` starts one *template* process (``python -m gradecore.host.forkserver SOCKET``)
that imports otter and what graded notebooks import (ipykernel, NumPy, TensorFlow and its Keras)
and then waits. The batch starts each ``otter run`` as ``python -m gradecore.host.forkserver otter run ...``,
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

Here is the server and what its forked children become; asking it for a process, and starting
one, is :mod:`gradecore.host.forkserver_client`; the supervisor a forked kernel or sealed run runs
under, :mod:`gradecore.host.supervisor`.
"""

from __future__ import annotations

import gc
import os
import selectors
import signal
import socket
import struct
import sys
import threading

from ..kernel import memory
from ..protocol import limits
from . import procs, stderr_filter
from .forkserver_client import _die_with_parent, _receive, launch
from .supervisor import _sealed_run, _supervised

PRELOAD = ("otter.cli", "otter.run.run_autograder", "nbconvert", "numpy", "tensorflow")
"""Imported by the batch's template: otter (for the ``otter run`` processes) and what the
assignments' notebooks import. ``tensorflow.keras`` is resolved too (Keras 3, or ``tf_keras``
where ``TF_USE_LEGACY_KERAS`` is set)."""
KERNEL_PRELOAD = ("numpy", "tensorflow")
"""Imported by one grading's own template (``--kernels``, :func:`.forkserver_client.start`): what its kernel and its
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


def _peer(conn: socket.socket) -> int:
    """The process id of what connected (the launcher, waiting for its reply)."""
    pid, _, _ = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))
    return pid


def main(argv: list[str] | None = None) -> None:
    """``python -m gradecore.host.forkserver SOCKET``: the template; ``python -m gradecore.host.forkserver otter ARGS``:
    ``otter ARGS`` forked from the template, or started afresh where none answers."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["otter"]:
        launch(argv[1:], kind="otter")
        os.execv(sys.executable, [sys.executable, "-m", "otter", *argv[1:]])
    if argv[:1] == ["--kernels"]:
        _die_with_parent()  # one grading's template ends with the grading (otter's process)
        Template(argv[1], preload=KERNEL_PRELOAD, last_is_kernel=True).serve()
    Template(argv[0]).serve()


if __name__ == "__main__":
    main()
