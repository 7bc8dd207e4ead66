"""Confine a process that will run student code: its own user, Landlock, seccomp and rlimits.

The trusted side (the otter plugin, the kernel's launcher) decides a :class:`Policy` and the
process applies it to itself with :func:`apply`, before any student code runs; every process the
student's code starts inherits it. What each mechanism stops:

- **a user of its own** (only where the grader is root, as on Gradescope and in ``otter grade``'s
  containers): the grader's files, kept 0700, are out of reach, and so is every process of
  another user (signals, ``ptrace``, ``/proc``);
- **Landlock** (unprivileged, Linux 5.13+, also inside Docker): it reads only the paths the policy
  names (Python, the system's libraries, its own scratch folder) and writes only its scratch; it
  binds only the TCP ports it was given and connects to none (ABI 4); it cannot signal a process
  outside its sandbox nor reach an abstract socket made outside it (ABI 6);
- **seccomp**: no Unix or raw sockets, no sockets at all in the sealed run (Landlock does not cover connecting to a Unix socket by its
  path), no UDP, no ``ptrace``, no ``io_uring``, no namespaces, mounts or kernel keys, no System V
  IPC or POSIX message queues (objects that outlive their maker, open across users), no
  ``sendmsg`` (a descriptor in flight in a socket is a deleted file no process holds);
- **rlimits**: no core files, bounded file sizes, and under its own user a bounded number of
  processes;
- **a lower priority** (:func:`_lower_priority`): a higher nice value and ``SCHED_BATCH``, which it
  cannot undo (``RLIMIT_NICE`` 0), and one session (one autogroup) for all it starts (``setsid``
  does nothing), so that the trusted processes of every grading (otter, the judge, the truth
  worker, the batch) win the CPU from a submission that spins on every core;
- **apart** from the other processes of its grading and from other gradings: where the grader is
  root, each untrusted process of a grading has a user of its own (:data:`SANDBOX_ROLES`); where it
  is not, a user and mount namespace of its own in which everything but its own folders is
  read-only (:mod:`.namespace`), where the kernel allows one.

Each mechanism that cannot be had (not root, an old kernel, no libseccomp) is left out and said
so in the report, which the grading records.
"""

from __future__ import annotations

import errno
import functools
import os
import resource
import signal
import socket
from dataclasses import asdict, dataclass, field
from typing import Optional

from . import landlock, namespace
from .prctl import PR_SET_DUMPABLE, PR_SET_PDEATHSIG, prctl

SANDBOX_UID_BASE = 200_000
"""Where the grader is root, each untrusted process of a grading runs as a user of its own,
``SANDBOX_UID_BASE + len(SANDBOX_ROLES) * pid + role`` with ``pid`` the grading's trusted process
(otter's): no other grading shares it, and no other process of the same grading either."""
SANDBOX_ROLES = ("kernel", "sealed", "library")
"""The untrusted processes of one grading, each with a user of its own where the grader is root:
the student's kernel, the NumPy-only sealed run (which holds hidden inputs), the library's sealed
run. Two processes of one user share what no path rule governs (a file's times, modes, owners and
extended attributes, ``/proc``, limits), so the sealed runs could otherwise leave hidden inputs
in metadata for the kernel to read."""

SANDBOX_NICE = 10
"""How many nice levels below the grader a sandboxed process runs by default (the settings table's
``SANDBOX_NICE`` decides; :attr:`Policy.nice`): at nice 10, a weight of 110 against the trusted
side's 1024 at nice 0."""

MAX_PROCESSES = 256
"""Processes (threads included) the sandbox may have at once, a fork bomb stops there: counted for
its own user where the grader is root, for its own user namespace where an ordinary grader's
sandbox has one (:func:`apply`)."""
MAX_FILE_MB = 256
"""The largest file the sandbox may write, at most (:attr:`Policy.max_file_bytes` may say less)."""

DENIED_SYSCALLS = (
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
    "mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "fsopen", "fsmount", "move_mount",
    "mount_setattr", "fsconfig", "fspick",
    "open_tree", "bpf", "perf_event_open", "keyctl", "add_key", "request_key", "userfaultfd",
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot",
    "swapon", "swapoff", "iopl", "ioperm", "syslog", "acct", "quotactl", "open_by_handle_at",
    "name_to_handle_at", "io_uring_setup", "io_uring_enter", "io_uring_register",
    # System V IPC and POSIX message queues: objects of the machine's IPC namespace, open to any
    # user their mode lets in and outliving their maker, which no path confines (Landlock) and no
    # sweep ends: a channel between sandboxes, and to later gradings
    "shmget", "shmat", "shmctl", "shmdt", "msgget", "msgsnd", "msgrcv", "msgctl",
    "semget", "semop", "semtimedop", "semctl", "ipc",
    "mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify", "mq_getsetattr",
    # a descriptor sent over a Unix socket (SCM_RIGHTS) and never received is held by no process:
    # a deleted file in flight that the disk watch cannot count. seccomp cannot read a message's
    # control data, so no sendmsg at all; Python's, asyncio's and ZeroMQ's sockets use send/sendto
    "sendmsg", "sendmmsg",
    # a memory file's pages (written, never mapped) are outside RLIMIT_AS and outside every scratch
    # folder the disk watch walks: a graded call held 1.5 GiB past its 1 GiB limit (attack7,
    # memory_outside_rlimit.py), and the out-of-memory killer, which weighs what a process maps,
    # would pass over the holder for a neighbour's kernel. Nothing a grading runs asks for one.
    "memfd_create", "memfd_secret",
)
"""System calls no graded code needs, each a way out of a sandbox or into another process."""

METADATA_SYSCALLS = (
    "setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr",
    "setxattrat", "removexattrat", "file_setattr",
    "utime", "utimes", "utimensat", "futimesat",
    "chmod", "fchmod", "fchmodat", "fchmodat2",
    "chown", "fchown", "lchown", "fchownat", "chown32", "fchown32", "lchown32",
    # the page cache of files others read too: a page made to leave it, or come in unread
    "fadvise64", "fadvise64_64", "readahead",
)
"""System calls a sealed run may not make (:attr:`Policy.sets_metadata`): Landlock governs opening
files, not setting their times, modes, owners or extended attributes, nor probing or evicting the
page cache, which would carry hidden inputs to the next process of the grading (its kernel). None
is needed to import NumPy (or TensorFlow) and call a function; a call that tries fails (EPERM)."""
_FS_IOC_SETFLAGS, _FS_IOC_FSSETXATTR = 0x40086602, 0x401C5820
"""``chattr``'s ioctls: a file's flags (``lsattr`` reads them back), which its owner may set."""

OTHERS_SYSCALLS = (
    # (name, argument holding a pid or a "who", its value for "the caller itself")
    ("prlimit64", 0, 0), ("setpriority", 1, 0), ("getpriority", 1, 0),
    ("ioprio_set", 1, 0), ("ioprio_get", 1, 0), ("move_pages", 0, 0), ("get_robust_list", 0, 0),
    ("getpgid", 0, 0), ("getsid", 0, 0),
)
"""System calls that act on (or read) another process's limits, priorities or placement, allowed
only on the caller itself: seccomp cannot compare a pid with the caller's own, so only the pid 0
("myself", as Python's ``resource.setrlimit``, ``os.nice`` and ``os.sched_setaffinity(0, ...)``
pass it) is allowed, and any other pid refused, the caller's own included. As an ordinary user,
the processes of every grading share the grader's user, and ``prlimit`` on a neighbour's kernel
took its points."""
THREADS_SCHEDULING = ("sched_setaffinity", "sched_setscheduler", "sched_setparam", "sched_setattr")
"""Setting a thread's placement or scheduling: with any pid but 0 they do nothing and report
success. Libraries set their own threads' by thread id (ZeroMQ's I/O threads call
``pthread_setschedparam`` on themselves, and abort the Jupyter kernel when it fails; OpenMP and
BLAS pin theirs), which a filter cannot tell from another process's pid: a refusal would kill the
kernel, and doing it could slow a neighbour's grading."""
NO_NEW_SESSION = ("setsid",)
"""Where the kernel groups tasks by session (autogroup), each new session weighs as much as all of
a grading's trusted processes: a submission that spins in a hundred sessions of its own would
take the CPU from them (:func:`_lower_priority`). Reported done, never done:
code that detaches a daemon (``setsid`` and a double fork) or starts a subprocess in a session of
its own (``start_new_session=True``) goes on in the sandbox's session, whose sweep ends it."""
OTHERS_DENIED = ("process_madvise", "migrate_pages", "pidfd_open", "pidfd_send_signal", "mincore", "cachestat")
"""Never needed on another process, and no way to name only oneself; and the page cache's exact
state of files others read too (which of their pages are resident), which a process could read to
learn which files the one before it read: what is left of that channel is timing reads."""
_PRIO_PROCESS, _IOPRIO_WHO_PROCESS = 0, 1



@dataclass
class Policy:
    """What a sandboxed process may do."""

    read: list[str] = field(default_factory=list)
    """paths it may read beneath (Python, libraries, the code it is given)"""
    write: list[str] = field(default_factory=list)
    """paths it may read and write beneath: its scratch folder"""
    listable: list[str] = field(default_factory=list)
    """folders it may list without reading their files (site-packages, where some entries are
    out of reach)"""
    tcp_bind: list[int] = field(default_factory=list)
    """TCP ports it may bind (a Jupyter kernel's); it may connect to none"""
    tcp: bool = False
    """whether it may make TCP sockets at all (a Jupyter kernel listens on some)"""
    uid: Optional[int] = None
    """the user it runs as, where the grader is root (:func:`sandbox_uid`); None keeps the user"""
    groups: list[int] = field(default_factory=list)
    """supplementary groups it keeps under that user (the sealed runs: the kernel's, to read the
    submission's folder, which the kernel's user owns)"""
    sets_metadata: bool = True
    """whether it may set files' times, modes, owners, flags and extended attributes and probe the
    page cache (:data:`METADATA_SYSCALLS`): the sealed runs may not"""
    new_session: bool = True
    """start a session of its own (the terminal's signals do not reach it)"""
    max_file_bytes: int = MAX_FILE_MB * 2**20
    """the largest file it may write (``RLIMIT_FSIZE``): a part of the grading's disk limit, so
    that one write adds little past it before the trusted side's watch sees it"""
    nice: int = SANDBOX_NICE
    """how many nice levels below the grader it runs (``GRADECORE_SANDBOX_NICE``; 0: the grader's
    own priority): :func:`_lower_priority`"""

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Policy":
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def sandbox_uid(pid: int | None = None, role: str = "kernel") -> int:
    """The user of the untrusted process ``role`` (:data:`SANDBOX_ROLES`) of the grading whose
    trusted process is ``pid`` (this one by default)."""
    return SANDBOX_UID_BASE + len(SANDBOX_ROLES) * (pid or os.getpid()) + SANDBOX_ROLES.index(role)


def sandbox_uids(pid: int | None = None) -> tuple[int, ...]:
    """Every user of the grading whose trusted process is ``pid``, one per role."""
    return tuple(sandbox_uid(pid, role) for role in SANDBOX_ROLES)


def _seccomp_filter(tcp: bool, sets_metadata: bool = True):
    import pyseccomp as seccomp

    f = seccomp.SyscallFilter(seccomp.ALLOW)
    denied = seccomp.ERRNO(errno.EPERM)

    def deny(name: str, *args) -> None:
        try:
            f.add_rule(denied, name, *args)
        except (OSError, ValueError, RuntimeError):
            pass  # a syscall this architecture (or this libseccomp) does not have

    for name in (*DENIED_SYSCALLS, *OTHERS_DENIED):
        deny(name)
    for name, at, itself in OTHERS_SYSCALLS:
        deny(name, seccomp.Arg(at, seccomp.NE, itself))
    for name in THREADS_SCHEDULING:
        try:
            f.add_rule(seccomp.ERRNO(0), name, seccomp.Arg(0, seccomp.NE, 0))  # nothing done, "success"
        except (OSError, ValueError, RuntimeError):
            pass
    for name in NO_NEW_SESSION:
        f.add_rule(seccomp.ERRNO(0), name)
    # "who" is a process only with PRIO_PROCESS / IOPRIO_WHO_PROCESS: a group's or a user's 0 is
    # every process of the caller's group or user (a neighbour's kernel, as an ordinary user)
    for name in ("setpriority", "getpriority"):
        deny(name, seccomp.Arg(0, seccomp.NE, _PRIO_PROCESS))
    for name in ("ioprio_set", "ioprio_get"):
        deny(name, seccomp.Arg(0, seccomp.NE, _IOPRIO_WHO_PROCESS))
    if not sets_metadata:
        for name in METADATA_SYSCALLS:
            deny(name)
        for request in (_FS_IOC_SETFLAGS, _FS_IOC_FSSETXATTR):
            deny("ioctl", seccomp.Arg(1, seccomp.MASKED_EQ, 0xFFFFFFFF, request))
    refused = seccomp.ERRNO(errno.EACCES)
    if not tcp:
        f.add_rule(refused, "socket")
    else:
        # a Jupyter kernel listens on TCP, and ZeroMQ reads the interfaces over netlink
        for family in range(0, 46):
            if family not in (socket.AF_INET, socket.AF_INET6, socket.AF_NETLINK):
                f.add_rule(refused, "socket", seccomp.Arg(0, seccomp.EQ, family))
        for family in (socket.AF_INET, socket.AF_INET6):
            for kind in (socket.SOCK_DGRAM, socket.SOCK_RAW, socket.SOCK_RDM, socket.SOCK_SEQPACKET, 6, 10):
                f.add_rule(refused, "socket", seccomp.Arg(0, seccomp.EQ, family), seccomp.Arg(1, seccomp.MASKED_EQ, 0xF, kind))
    return f


MECHANISMS = ("user", "apart", "landlock", "seccomp", "limits")
"""What a grading's isolation line names, in its order."""
APART_AS_ROOT = "on: a user of its own for each process of the grading"


def _apart(own_user: bool, read_only_missing: str) -> str:
    """What keeps a process apart from the grading's others and from other gradings: a user of its
    own (as root), and files read-only outside its folders (a mount namespace); "off" with neither."""
    if own_user:
        return APART_AS_ROOT + ("; outside its folders every file is read-only" if not read_only_missing
                                else f" ({read_only_missing})")
    if not read_only_missing:
        return namespace.READ_ONLY
    return f"off: {read_only_missing}, so nothing but Landlock and seccomp keeps gradings apart"


def gradings_apart() -> str:
    """``"on: ..."`` where this grader can keep each untrusted process apart from the others (and
    so a grading from its neighbours: users of their own as root, a user and mount namespace as an
    ordinary user), else ``"off: ..."`` and why."""
    found = namespace.possible()
    return _apart(os.geteuid() == 0, "" if found.startswith("on") else found.removeprefix("off: "))


def available() -> dict[str, str]:
    """What :func:`apply` would get here, mechanism by mechanism: ``"on ..."`` or why not."""
    found = {}
    if os.geteuid() == 0:
        found["user"] = "on: a user of its own"
    else:
        found["user"] = "off: the grader is not root, so the sandbox shares its user"
    found["apart"] = gradings_apart()
    try:
        version = landlock.abi()
    except OSError as e:
        version, why = 0, str(e)
    else:
        why = "this kernel has no Landlock"
    if version >= 6:
        found["landlock"] = f"on: ABI {version} (files, TCP, signals)"
    elif version >= 1:
        found["landlock"] = f"partial: ABI {version} (files{', TCP' if version >= 4 else ''}; signals need ABI 6)"
    else:
        found["landlock"] = f"off: {why}"
    try:
        _seccomp_filter(False)
        found["seccomp"] = "on"
    except Exception as e:  # libseccomp missing, or the binding cannot load it
        found["seccomp"] = f"off: {type(e).__name__}: {e}"
    found["limits"] = "on"
    return found


def isolation_summary(report: dict[str, str]) -> str:
    """``"full"``, or ``"partial: ..."`` naming each mechanism that was not on and why."""
    missing = [f"{name} {value}" for name, value in report.items() if not str(value).startswith("on")]
    if not missing:
        return "full"
    apart = str(report.get("apart", ""))
    if apart.startswith("on") and "user" in report and not str(report["user"]).startswith("on"):
        # no user of its own: say what kept it apart instead
        missing.append(f"apart {apart}")
    return "partial: " + "; ".join(missing)


OOM_SCORE_ADJ = 1000
"""Where memory runs out, the system's out-of-memory killer picks a sandboxed process before any
other: raising one's own score needs no privilege and its children inherit it. Without it, a
submission that filled a container's memory had otter's own process killed (no results at all)."""


def _killed_first_for_memory() -> None:
    # before the change of user: a process whose user changed may no longer write its /proc entries
    try:
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write(str(OOM_SCORE_ADJ))
    except OSError:
        pass


def _lower_priority(nice: int) -> None:
    """Run this process (and all it starts) ``nice`` nice levels below the grader (19 at most), as a
    batch task, for good.

    The trusted processes of a grading (otter, the judge, its truth worker) and of its neighbours
    in a batch keep the grader's priority, so that a submission that spins on every core slows its
    own grading, not theirs. A nice value weighs against the tasks of the same scheduling group:
    in a container (its cgroup has the CPU controller) every task of the grader's. Where the kernel
    groups tasks by session instead (``autogroup``: ``/proc/sys/kernel/sched_autogroup_enabled``,
    for tasks in the root CPU cgroup), each session weighs as one task against the others, however
    many threads spin in it; the sandbox's session (:func:`apply` starts one) is so bounded already,
    and seccomp keeps it from starting more (:data:`NO_NEW_SESSION`). Its autogroup keeps nice 0:
    lowered, every grading would run many times slower on a machine whose other users load it.

    The nice value cannot be lowered again: ``RLIMIT_NICE`` 0 needs ``CAP_SYS_NICE`` for that, which
    an ordinary user does not have and a sandbox user as root has lost. ``SCHED_BATCH`` keeps the
    task's weight and tells the scheduler it is not interactive (it does not preempt the trusted
    processes when it wakes); going back to ``SCHED_OTHER`` is allowed and gains nothing.
    ``SCHED_IDLE``, whose weight of 3 would starve a grading beside anything else the machine runs
    (Docker's default seccomp profile allows all three), is not used.
    """
    if nice > 0:
        # below the grader's own, which may run niced already (a batch started with ``nice``)
        os.setpriority(os.PRIO_PROCESS, 0, min(os.getpriority(os.PRIO_PROCESS, 0) + nice, 19))
        try:
            os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
        except (OSError, AttributeError):
            pass
    resource.setrlimit(resource.RLIMIT_NICE, (0, 0))


def apply(policy: Policy) -> dict[str, str]:
    """Confine this process as ``policy`` says; return what was applied, mechanism by mechanism.

    Call it in a process with one thread, before student code runs. It never returns with less
    than it reports.
    """
    report = {}
    try:  # built first: finding libseccomp needs what the sandbox will not have
        syscalls = _seccomp_filter(policy.tcp, policy.sets_metadata)
    except Exception as e:
        syscalls, report["seccomp"] = None, f"off: {type(e).__name__}: {e}"
    if policy.new_session:
        try:
            os.setsid()
        except OSError:
            pass
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    size = min(int(policy.max_file_bytes), MAX_FILE_MB * 2**20)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    _killed_first_for_memory()
    _lower_priority(int(policy.nice))
    # before the change of user (as root, the namespace needs the capability it drops) and before
    # Landlock and seccomp, which then keep it from leaving the namespace
    try:
        namespace.read_only_but(policy.write)
        read_only = ""
    except OSError as e:
        read_only = f"no {'' if os.geteuid() == 0 else 'user '}namespace here ({e})"
    if policy.uid is not None and os.geteuid() == 0:
        uid = policy.uid
        os.setgroups(list(policy.groups))
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
        # The change of user made it undumpable: only a grader with CAP_SYS_PTRACE could then read
        # which deleted files it holds (/proc/<pid>/fd, maps) for the disk watch, and root in
        # Docker's default capabilities (Gradescope, otter grade) has none. Dumpable, its own user
        # may: the watch reads them as that user (host/disk.py). No other process has that user,
        # seccomp denies ptrace, and RLIMIT_CORE is 0.
        prctl(PR_SET_DUMPABLE, 1)
        resource.setrlimit(resource.RLIMIT_NPROC, (MAX_PROCESSES, MAX_PROCESSES))
        report["user"] = f"on: uid {uid}"
    elif os.geteuid() == 0:
        report["user"] = "off: the policy names no user"
    else:
        report["user"] = "off: the grader is not root, so the sandbox shares its user"
        if not read_only:
            # In a user namespace of its own, the kernel counts this limit against the processes
            # of that namespace alone (ucounts, Linux 5.14 on): the sandbox's, never the grader's
            # or a neighbour's. Outside one it would count all of the grader's, so it is not set.
            resource.setrlimit(resource.RLIMIT_NPROC, (MAX_PROCESSES, MAX_PROCESSES))
    report["apart"] = _apart(report["user"].startswith("on"), read_only)
    # After a change of user: the kernel clears the parent-death signal then.
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    try:
        version = landlock.restrict(policy.read, policy.write, policy.tcp_bind, policy.listable)
        report["landlock"] = (
            f"on: ABI {version} (files, TCP, signals)" if version >= 6
            else f"partial: ABI {version} (files{', TCP' if version >= 4 else ''}; signals need ABI 6)"
        )
    except OSError as e:
        report["landlock"] = f"off: {e.strerror or e}"
    if syscalls is not None:
        try:
            syscalls.load()
            report["seccomp"] = "on"
        except Exception as e:
            report["seccomp"] = f"off: {type(e).__name__}: {e}"
    report["limits"] = "on"
    return {k: report[k] for k in MECHANISMS}


def python_paths(forbidden: tuple[str, ...] = ()) -> list[str]:
    """What a Python process needs to read (see :func:`python_access`)."""
    return python_access(forbidden)[0]


def python_access(forbidden: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """What a Python process needs to read, and the folders it may only list.

    It reads the interpreter, its standard library, its site-packages (entry by entry, less every
    entry named after a ``forbidden`` library, which it then cannot import) and the system's libraries and
    settings; it lists the folders that hold site-packages, so that imports find what is there.
    With ``forbidden``, the other places a machine keeps Python packages in (another Python's
    site-packages, a conda package cache, a folder of wheels: :data:`FOREIGN_PACKAGE_PLACES`) are
    read entry by entry too, less every entry named after a forbidden library (``keras-3.*.whl``,
    ``tensorflow_cpu``, ``pytorch-2.*``), and ``/opt`` is not read at all (a package index or a
    cache of wheels lives there; a Python installed there is read through its prefix): Keras 3 is
    pure Python, imported from its wheel as a zip, and computes with its NumPy backend.
    Walked once per process and ``forbidden`` (a grading asks four times): what the interpreter
    has installed does not change while it grades.
    """
    read, listed = _python_access(tuple(forbidden))
    return list(read), list(listed)


SYSTEM_ROOTS = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc",
                "/dev/null", "/dev/zero", "/dev/urandom", "/dev/random",
                "/proc/cpuinfo", "/proc/meminfo", "/proc/stat", "/proc/self", "/sys/devices/system/cpu",
                "/sys/fs/cgroup")
"""What every sandboxed process may read of the system, besides its Python."""
OTHER_SOFTWARE_ROOTS = ("/opt",)
"""Read by the processes that may load every library (the kernel, the library's run), not by a
NumPy-only run: software installed beside the system's, package indexes, caches of wheels."""
FOREIGN_PACKAGE_PLACES = (
    "lib/python3*/site-packages", "lib/python3*/dist-packages", "lib/python3/dist-packages",
    "local/lib/python3*/site-packages", "local/lib/python3*/dist-packages",
    "envs/*/lib/python3*/site-packages", "pkgs", "share/python-wheels",
)
"""Where, under ``/usr`` and under this Python's prefixes, a machine keeps Python packages that are
not this Python's own (another Python's, a conda cache, wheels): with forbidden libraries, read
entry by entry, less those named after one of them."""


@functools.lru_cache(maxsize=8)
def _python_access(forbidden: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    import glob
    import sys
    import sysconfig

    roots = [*SYSTEM_ROOTS, *(() if forbidden else OTHER_SOFTWARE_ROOTS)]
    prefixes = [sys.prefix, sys.base_prefix, sys.exec_prefix]
    roots += [*prefixes, os.path.dirname(os.path.realpath(sys.executable))]
    roots.append(sysconfig.get_paths()["stdlib"])
    packages = package_dirs()
    roots += sorted(packages)
    foreign: set[str] = set()
    if forbidden:
        for prefix in ("/usr", *prefixes):
            for place in FOREIGN_PACKAGE_PLACES:
                foreign.update(os.path.realpath(p) for p in glob.glob(os.path.join(prefix, place)) if os.path.isdir(p))
        foreign -= packages
    return readable(roots, packages, forbidden, foreign)


def _named_after(name: str, libraries: tuple[str, ...]) -> bool:
    """Whether a folder's entry is (a copy, a wheel, a conda package of) one of ``libraries``:
    its name starts with one (``tensorflow_cpu-2.21.0-...whl``, ``keras-3.15.1-py3-none-any.whl``,
    ``jaxlib``), or with ``py`` and one (conda's ``pytorch-2.1.0-...``)."""
    name = name.lower()
    return any(name.startswith((library, f"py{library}")) for library in libraries)


def readable(roots: list[str], packages: set[str], forbidden: tuple[str, ...] = (),
             foreign: set[str] = frozenset()) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What a process may read under ``roots`` and the folders it may only list.

    Every root is read whole but the package folders inside it, this Python's own ``packages`` and
    the ``foreign`` ones (another Python's, a cache of wheels): those are read entry by entry, less
    every entry named after a forbidden library (:func:`_named_after`: ``keras`` and ``keras_core``,
    ``tensorflow`` and ``tensorflow_estimator``, a wheel, a conda package). The folders on the way
    to a package folder are listed, their other entries read.
    """
    import sys

    found: set[str] = set()
    listed: set[str] = set()
    carved = set(packages) | set(foreign)

    def allow(path: str) -> None:
        real = os.path.realpath(path)
        inside = [p for p in carved if p == real or p.startswith(real.rstrip(os.sep) + os.sep)]
        if not inside:
            found.add(real)
        elif real in packages or real in foreign:
            listed.add(real)
            for entry in _entries(real):
                # an entry of a resolved folder is its own real path unless it is a link
                resolved = os.path.realpath(entry) if os.path.islink(entry) else entry
                if not _named_after(os.path.basename(entry), forbidden) and resolved not in carved:
                    allow(resolved)
        else:
            listed.add(real)
            for entry in _entries(real):
                allow(entry)

    for root in roots:
        if root == "/proc/self":
            found.add(root)  # resolved by the process that confines itself: its own entry
        elif os.path.lexists(root):
            allow(root)
    # the interpreter's own path, where it is a link (a venv's bin/python)
    found.add(os.path.dirname(os.path.abspath(sys.executable)))
    return tuple(sorted(found)), tuple(sorted(listed))


def package_dirs() -> set[str]:
    """Every site-packages folder of this Python and of the one it was made from (a venv's base):
    the folders whose entries :func:`python_paths` allows one by one."""
    import site
    import sys
    import sysconfig

    found = set(site.getsitepackages()) | {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    base = sysconfig.get_paths(vars={"base": sys.base_prefix, "platbase": sys.base_exec_prefix})
    found |= {base["purelib"], base["platlib"]}
    return {os.path.realpath(p) for p in found if os.path.isdir(p)}


def _entries(folder: str) -> list[str]:
    try:
        return [os.path.join(folder, name) for name in os.listdir(folder)]
    except OSError:
        return []
