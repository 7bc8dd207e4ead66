"""The kernel's launcher: trusted until it forks, it confines the kernel and outlives it.

``kernelspec.py`` (the kernelspec's command) hands over here when the plugin's policy file is set. The
launcher copies the connection file where the sandbox may read it, makes itself a child subreaper
(a process the kernel detaches comes back to it), forks, and the child confines itself
(:func:`gradecore.sandbox.confine.apply`) and becomes ``ipykernel_launcher``. The launcher stays
as the kernel's stand-in for jupyter_client: it passes signals on, writes what the confinement got
for the plugin, and when the kernel ends it kills everything the kernel left behind, then exits
as the kernel did.
"""

from __future__ import annotations

import json
import os
import signal
import sys

from ..protocol import limits
from ..sandbox import confine
from . import forkserver_client, procs
from .procs import FORWARDED, become_subreaper, exit_as, wait_for


def _connection(args: list[str], home: str, uid) -> tuple[list[str], list[int]]:
    """The kernel's arguments with its connection file copied into its home, and its ports."""
    args = list(args)
    ports: list[int] = []
    if "-f" in args and args.index("-f") + 1 < len(args):
        at = args.index("-f") + 1
        copy = os.path.join(home, "connection.json")
        with open(args[at], "rb") as f:
            data = f.read()
        # The home is made afresh for the kernel (the sealed runs' folders are gone by then), and
        # it is the kernel's user's: still, a new file of this process's own, never written (nor
        # given away) through a link planted under that name
        try:
            os.unlink(copy)
        except FileNotFoundError:
            pass
        fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if uid is not None:
                os.fchown(f.fileno(), uid, uid)
        info = json.loads(data)
        ports = [int(v) for k, v in info.items() if k.endswith("_port")]
        args[at] = copy
    return args, ports


def run(policy_path: str, args: list[str], keep: tuple[int, ...] = ()) -> None:
    """Start the kernel confined as the plugin's policy file says, and stand in for it; never returns."""
    with open(policy_path) as f:
        config = json.load(f)
    policy = confine.Policy.from_json(config["policy"])
    args, ports = _connection(args, config["home"], policy.uid)
    policy.tcp_bind = [*ports, 0]  # its own ports, and ephemeral ones (ipykernel's IOPub pipe)
    env = dict(config["env"], JPY_PARENT_PID=str(os.getpid()))
    if os.environ.get(limits.WARM_KERNELS_VARIABLE):
        # a batch's template forks the kernel, confined (gradecore.host.forkserver); returns if none answers
        forkserver_client.launch(args, confinement=dict(config, policy=policy.to_json(), env=config["env"]))
    become_subreaper()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            silence_streams()
            report = confine.apply(policy)
            os.write(write, json.dumps(report).encode())
            os.close(write)
            os.execve(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *args], env)
        finally:
            os._exit(1)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        report = pipe.read()
    try:
        with open(config["report"], "wb") as f:
            f.write(report)
    except OSError:
        pass
    for sig in FORWARDED:
        signal.signal(sig, lambda signum, frame: _forward(pid, signum))
    status = wait_for(pid)
    procs.kill_descendants(os.getpid(), keep)
    exit_as(status)


def silence_streams() -> None:
    """Give the kernel about to start a standard output and error that lead nowhere.

    It would inherit otter's own (jupyter_client starts the kernelspec with them): the instructor's
    terminal in a raw ``otter run``, ``stdout.txt`` and ``stderr.txt`` in the batch's temporary
    folder, outside the folders the disk watch walks. ipykernel sends what the kernel writes to
    its descriptors 1 and 2 as output messages, which the plugin caps, but it keeps a copy of each
    to echo to, and a process the kernel forks writes to them directly: until 2026-12-07 a kernel
    wrote terminal escapes and a forged score line onto ``otter run``'s terminal and 128 MiB
    (``RLIMIT_FSIZE``) into each of the batch's files (the attack ``kernel_raw_streams.py``).
    Nothing of the kernel's own streams is read: its errors reach the feedback through its output
    messages."""
    nothing = os.open(os.devnull, os.O_RDWR)
    for fd in (1, 2):
        os.dup2(nothing, fd)
    os.close(nothing)


def _forward(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass
