"""Nothing crosses between the untrusted processes of a grading, nor to a neighbour's: real kernel
mechanisms (users, Landlock, seccomp), no TensorFlow.

A grading runs, one after the other, the NumPy-only sealed run (which holds hidden inputs), the
library's sealed run and the student's kernel. Landlock governs opening files, not reading or
setting their metadata, so each route one process has to another's traces is walked here: names
and link targets left in a scratch folder, times, modes, flags and extended attributes set on what
the next one can see, the page cache, ``/proc`` and the limits, priorities and placement of other
processes.
"""

from __future__ import annotations

import ctypes
import dataclasses
import json
import os
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from gradecore.host import grading_sandbox, procs, traces
from gradecore.sandbox import confine, landlock

pytestmark = pytest.mark.skipif(landlock.abi() < 6, reason="needs Landlock ABI 6 (Linux 6.12+), as on these machines")


@pytest.fixture
def box():
    sandbox = grading_sandbox.Sandbox(prefix="gradecore-test-")
    yield sandbox
    sandbox.remove()


@pytest.fixture
def reachable():
    """A folder other users can reach: pytest keeps its own temporary folders 0700 (and makes them
    so again whenever another session starts), so the sandbox's users could not pass through them."""
    folder = Path(tempfile.mkdtemp(prefix="gradecore-apart-"))
    folder.chmod(0o711)
    yield folder
    traces.remove_tree(str(folder))


@pytest.fixture
def submission(reachable, box) -> Path:
    """A submission's folder with a data file, given to the kernel's user as the plugin gives it."""
    folder = reachable / "submission"
    folder.mkdir()
    (folder / "data.txt").write_text("the student's data")
    os.utime(folder / "data.txt", (1_000_000_000, 1_000_000_000))
    grading_sandbox.open_the_way([str(folder)])
    box.own(str(folder))
    return folder


@pytest.fixture
def neighbour():
    """A process of the grader's user, as a neighbouring grading's kernel is for an ordinary user."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield proc
    proc.kill()
    proc.wait()


TRIES = '''
import ctypes, errno, os, resource
libc = ctypes.CDLL(None, use_errno=True)
TRIED = {}

def attempt(name, action):
    try:
        result = action()
        if isinstance(result, int) and result < 0:  # a libc call: -1 and errno
            raise OSError(ctypes.get_errno(), name)
        TRIED[name] = True
    except OSError:
        TRIED[name] = False
'''

LEAVES_TRACES = TRIES + '''
HOME = os.environ["HOME"]
mine = os.path.join(HOME, "mine")
open(mine, "w").write("x")
attempt("leave a link whose target carries data", lambda: os.symlink("hidden-1.2345", os.path.join(HOME, "link")))
attempt("set a time on its own file", lambda: os.utime(mine, (12345, 67890)))
attempt("set a mode on its own file", lambda: os.chmod(mine, 0o751))
attempt("set an attribute on its own file", lambda: os.setxattr(mine, "user.hidden", b"1.2345"))
attempt("set a time on the submission's file", lambda: os.utime(DATA, (12345, 67890)))
attempt("set a time on the submission's file to now", lambda: os.utime(DATA))
attempt("set a mode on the submission's file", lambda: os.chmod(DATA, 0o751))
attempt("set an attribute on the submission's file", lambda: os.setxattr(DATA, "user.hidden", b"1.2345"))
attempt("set an attribute on the submission's folder", lambda: os.setxattr(os.path.dirname(DATA), "user.hidden", b"1"))
attempt("give the submission's file away", lambda: os.chown(DATA, os.getuid(), os.getgid()))
def chattr():
    fd = os.open(DATA, os.O_RDONLY)
    try:
        flags = ctypes.c_int(0x00004000)  # FS_NODUMP_FL ("d"), which its owner may set
        import fcntl
        fcntl.ioctl(fd, 0x40086602, flags)
    finally:
        os.close(fd)
attempt("set a flag on the submission's file", chattr)
def mincore():
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
    with open(DATA, "rb") as f:
        page = libc.mmap(None, 4096, 1, 1, f.fileno(), 0)  # PROT_READ, MAP_SHARED
    vector = ctypes.create_string_buffer(1)
    return libc.mincore(ctypes.c_void_p(page), ctypes.c_size_t(4096), vector)
attempt("see whether a file is in the page cache", mincore)
def evict():
    with open(DATA, "rb") as f:
        os.posix_fadvise(f.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
attempt("evict a file from the page cache", evict)

def f(n):
    return TRIED
'''


def _traces(folder: Path, atime: bool = True) -> dict:
    """What a process could read back of ``folder``'s files: names, link targets, times, modes,
    owners, attributes (the access time left out with ``atime`` false)."""
    found = {}
    for entry in sorted(folder.rglob("*")):
        info = entry.lstat()
        found[entry.name] = (info.st_mode, info.st_uid, info.st_gid, info.st_mtime_ns, info.st_atime_ns if atime else None,
                             os.readlink(entry) if entry.is_symlink() else None,
                             sorted(os.listxattr(entry, follow_symlinks=False)))
    return found


def test_a_sealed_run_leaves_nothing_for_the_next_process(box, submission):
    """Whatever a sealed run made goes with it, and it could set no metadata on what the kernel reads."""
    before = _traces(submission)
    code = LEAVES_TRACES.replace("DATA", repr(str(submission / "data.txt")))
    found = box.run_sealed([code], lambda: {"f": {"calls": [[1]], "numpy_only": True}}, 60,
                           submission_dir=str(submission))
    tried = {k: v["value"] for k, v in found["outcomes"]["f"][0]["value"]["value"].items()}
    # in its own folder it may make a link (Landlock lets it): the folder goes with the run
    assert tried.pop("leave a link whose target carries data") is True
    assert tried == dict.fromkeys(tried, False), tried
    assert len(tried) == 12
    if os.geteuid() == 0:
        assert found["confined"]["apart"].startswith("on: a user of its own for each process"), found["confined"]
    # what it made is gone (the fresh folder takes its name again: the name is the role's)
    assert os.listdir(box.sealed_home) == [] and os.listdir(box.root).count("sealed") == 1
    assert _traces(submission) == before


def test_an_ordinary_users_sealed_run_sets_no_metadata_on_what_it_shares(box, submission, tmp_path):
    """Without a user of its own (an ordinary user grades), the sealed run owns the submission's
    files as the kernel does: seccomp alone refuses it times, modes, attributes, flags and the page cache."""
    policy = box.sealed_policy(str(submission))
    policy.uid, policy.groups = None, []
    if os.geteuid() == 0:
        os.chown(box.sealed_home, 0, 0)
    before = _traces(submission, atime=False)  # reading sets it: the plugin's sandbox sets it back
    code = LEAVES_TRACES.replace("DATA", repr(str(submission / "data.txt")))
    code = code.replace('os.environ["HOME"]', repr(box.sealed_home)) + "\nimport json\nprint(json.dumps(TRIED))\n"
    done = _confined(policy, code)
    tried = json.loads(done.stdout.splitlines()[-1])
    assert tried.pop("leave a link whose target carries data") is True
    assert tried == dict.fromkeys(tried, False), tried
    assert _traces(submission, atime=False) == before
    # the same process with the kernel's leave to set metadata does set it: the filter is what refused
    control = json.loads(_confined(dataclasses.replace(policy, sets_metadata=True), code).stdout.splitlines()[-1])
    assert control["set a time on its own file"] and control["set an attribute on its own file"], control


def _confined(policy: confine.Policy, code: str) -> subprocess.CompletedProcess:
    runner = textwrap.dedent(f"""
        import json, sys
        sys.path.insert(0, {str(Path(confine.__file__).parents[2])!r})
        from gradecore.sandbox import confine
        report = confine.apply(confine.Policy.from_json(json.loads(sys.argv[1])))
        print(json.dumps(report), flush=True)
    """) + textwrap.dedent(code)
    done = subprocess.run([sys.executable, "-I", "-c", runner, json.dumps(policy.to_json())], cwd="/",
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.splitlines()[0])["seccomp"] == "on"
    return done


REACHES_OTHERS = TRIES + '''
import os
other = OTHER
attempt("lower a neighbour's limit (prlimit)", lambda: resource.prlimit(other, resource.RLIMIT_NOFILE, (3, 3)))
attempt("read a neighbour's limit (prlimit)", lambda: resource.prlimit(other, resource.RLIMIT_NOFILE))
attempt("renice a neighbour", lambda: os.setpriority(os.PRIO_PROCESS, other, 19))
attempt("read a neighbour's priority", lambda: os.getpriority(os.PRIO_PROCESS, other))
attempt("renice its whole user", lambda: os.setpriority(os.PRIO_USER, 0, 19))
attempt("renice its process group", lambda: os.setpriority(os.PRIO_PGRP, 0, 19))
# a thread's scheduling by id: reported done (ZeroMQ aborts the kernel where it fails), never done
attempt("noop: pin a neighbour to a CPU", lambda: os.sched_setaffinity(other, {0}))
attempt("noop: change a neighbour's scheduler", lambda: os.sched_setscheduler(other, os.SCHED_BATCH, os.sched_param(0)))
attempt("noop: change a neighbour's scheduling priority", lambda: os.sched_setparam(other, os.sched_param(0)))
attempt("change a neighbour's I/O priority", lambda: libc.syscall(251, 1, other, (3 << 13) | 7))
attempt("open a neighbour's pidfd", lambda: os.pidfd_open(other))
attempt("read a neighbour's session", lambda: os.getsid(other))
attempt("read a neighbour's command line", lambda: open(f"/proc/{other}/cmdline", "rb").read())
attempt("read a neighbour's status", lambda: open(f"/proc/{other}/status", "rb").read())
attempt("read a neighbour's environment", lambda: open(f"/proc/{other}/environ", "rb").read())
attempt("list a neighbour's open files", lambda: os.listdir(f"/proc/{other}/fd"))
attempt("signal a neighbour", lambda: os.kill(other, 0))
# on itself, what Python and the libraries do stays allowed
attempt("itself: lower its own limit", lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64)))
attempt("itself: read its limit by pid 0", lambda: resource.prlimit(0, resource.RLIMIT_NOFILE))
attempt("itself: nice", lambda: os.nice(1))
attempt("itself: pin to its CPUs", lambda: os.sched_setaffinity(0, os.sched_getaffinity(0)))
attempt("itself: set its scheduler", lambda: os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0)))
attempt("itself: set its priority by pid 0", lambda: os.setpriority(os.PRIO_PROCESS, 0, os.getpriority(os.PRIO_PROCESS, 0)))
attempt("itself: read its own status", lambda: open("/proc/self/status").read())
import json
print(json.dumps(TRIED))
'''


@pytest.mark.parametrize("kind", ["kernel", "sealed"])
def test_no_untrusted_process_acts_on_a_neighbours_limits_priorities_or_proc(box, neighbour, tmp_path, kind):
    """As an ordinary user every grading's processes share the grader's user: seccomp refuses
    acting on (or reading) another process's limits, priorities and placement by pid, and Landlock
    its ``/proc`` entry and signals; on itself all stays allowed."""
    policy = box.kernel_policy(str(tmp_path)) if kind == "kernel" else box.sealed_policy(str(tmp_path))
    policy.uid, policy.groups = None, []  # the neighbour shares its user: seccomp's part alone
    limit_before = psutil.Process(neighbour.pid).rlimit(psutil.RLIMIT_NOFILE)
    nice_before = psutil.Process(neighbour.pid).nice()
    placed_before = (os.sched_getaffinity(neighbour.pid), os.sched_getscheduler(neighbour.pid))
    done = _confined(policy, REACHES_OTHERS.replace("OTHER", str(neighbour.pid)))
    tried = json.loads(done.stdout.splitlines()[-1])
    itself = {k: tried.pop(k) for k in list(tried) if k.startswith(("itself", "noop"))}
    assert itself == dict.fromkeys(itself, True), itself
    assert (os.sched_getaffinity(neighbour.pid), os.sched_getscheduler(neighbour.pid)) == placed_before
    assert tried == dict.fromkeys(tried, False), tried
    assert psutil.Process(neighbour.pid).rlimit(psutil.RLIMIT_NOFILE) == limit_before
    assert psutil.Process(neighbour.pid).nice() == nice_before


@pytest.mark.parametrize("kind", ["kernel", "sealed"])
def test_the_out_of_memory_killer_picks_an_untrusted_process_first(box, tmp_path, kind):
    """Every sandboxed process (and what it forks: the score is inherited) is the first the system
    kills for memory, not otter, the judge or a neighbour's grader; it cannot lower that again."""
    policy = box.kernel_policy(str(tmp_path)) if kind == "kernel" else box.sealed_policy(str(tmp_path))
    done = _confined(policy, """
        import os
        print(open("/proc/self/oom_score_adj").read().strip())
        try:
            open("/proc/self/oom_score_adj", "w").write("0")
            print("lowered")
        except OSError:
            print("refused")
    """)
    assert done.stdout.splitlines()[1:] == [str(confine.OOM_SCORE_ADJ), "refused"], done.stdout
    assert Path("/proc/self/oom_score_adj").read_text().strip() != str(confine.OOM_SCORE_ADJ)


@pytest.mark.skipif(os.geteuid() != 0, reason="users of their own need a root grader")
def test_each_untrusted_process_of_a_grading_has_a_user_of_its_own(box, submission):
    """The NumPy-only run, the library's run and the kernel: three users, none another grading's;
    the submission's folder is the kernel's, readable by the sealed runs through its group."""
    users = {box.sealed_policy().uid, box.sealed_policy(library=True).uid, box.kernel_policy(str(submission)).uid}
    assert users == set(confine.sandbox_uids()) and len(users) == 3
    assert not users & set(confine.sandbox_uids(os.getpid() + 1))
    info = (submission / "data.txt").stat()
    assert info.st_uid == box.uid and info.st_mode & 0o070 == 0o040
    assert box.sealed_policy().groups == [box.uid]
    homes = {role: Path(home).stat().st_uid for role, home in box.homes.items()}
    assert homes == box.uids
    # the sealed run's user reads the submission's file and cannot set its metadata, even unconfined
    code = ("import os, sys\nos.setgroups([int(sys.argv[2])]); os.setresgid(*[int(sys.argv[1])] * 3)\n"
            "os.setresuid(*[int(sys.argv[1])] * 3)\nopen(sys.argv[3]).read()\n"
            "for act in (lambda: os.utime(sys.argv[3]), lambda: os.chmod(sys.argv[3], 0o777),\n"
            "            lambda: os.setxattr(sys.argv[3], 'user.x', b'1')):\n"
            "    try:\n        act(); print('allowed')\n    except OSError:\n        print('refused')\n")
    done = subprocess.run([sys.executable, "-I", "-c", code, str(box.uids["sealed"]), str(box.uid),
                           str(submission / "data.txt")], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["refused"] * 3, done.stderr[-2000:]


def test_a_scratch_folder_left_unreadable_is_still_removed(box):
    """A run may make a folder it cannot list and leave files in it (seccomp then keeps it from
    changing the mode back): its removal does not stop there."""
    home = Path(box.sealed_home)
    inner = home / "closed"
    inner.mkdir()
    (inner / "hidden").write_text("x")
    inner.chmod(0o300)
    (home / "zero").mkdir(mode=0)
    box.renew("sealed")
    assert os.listdir(box.sealed_home) == [] and not inner.exists()


def test_a_sweep_kills_the_processes_of_every_user_of_the_grading(box):
    """Each role's user: a process left by any of them is ended by the sweep."""
    if os.geteuid() != 0:
        pytest.skip("users of their own need a root grader")
    started = []
    for uid in box.uids.values():
        started.append(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], user=uid, group=uid))
    for proc in started:
        assert procs.alive(proc.pid)
    box.sweep()
    for proc in started:
        proc.wait(timeout=10)
        assert not procs.alive(proc.pid)


def test_the_syscalls_it_refuses_exist_here():
    """A name libseccomp does not know is skipped silently: the ones that matter on this machine
    must all be known, or the filter would leave them open."""
    import pyseccomp as seccomp

    for name in ("setxattr", "lsetxattr", "fsetxattr", "utimensat", "chmod", "fchmodat", "mincore",
                 "fadvise64", "prlimit64", "setpriority", "sched_setaffinity", "ioprio_set", "pidfd_open"):
        assert seccomp.resolve_syscall(seccomp.Arch.NATIVE, name) >= 0, name
    assert resource.RLIMIT_NOFILE >= 0 and ctypes.sizeof(ctypes.c_int) == 4


AS_AN_ORDINARY_USER = '''
import json, os, sys
sys.path.insert(0, CORE)
from gradecore.sandbox import confine
def attempt(action):
    try:
        action()
        return True
    except OSError:
        return False
tried = {"before: set a time on a neighbour's file": attempt(lambda: os.utime(NEIGHBOUR, (1, 1)))}
read, listable = confine.python_access()
report = confine.apply(confine.Policy(read=read + [CORE], listable=listable, write=[OWN, "/dev/null"]))
tried["set a time on a neighbour's file"] = attempt(lambda: os.utime(NEIGHBOUR, (2, 2)))
tried["set a mode on a neighbour's file"] = attempt(lambda: os.chmod(NEIGHBOUR, 0))
tried["set an attribute on a neighbour's file"] = attempt(lambda: os.setxattr(NEIGHBOUR, "user.x", b"1"))
tried["set a mode on a neighbour's folder"] = attempt(lambda: os.chmod(os.path.dirname(NEIGHBOUR), 0))
tried["write its own folder"] = attempt(lambda: open(os.path.join(OWN, "mine"), "w").write("x"))
tried["set a time on its own file"] = attempt(lambda: os.utime(os.path.join(OWN, "mine"), (3, 3)))
tried["write /dev/null"] = attempt(lambda: open("/dev/null", "w").write("x"))
children = []
for _ in range(confine.MAX_PROCESSES + 20):  # a bounded fork bomb; a child counts until it is reaped
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        os._exit(0)
    children.append(pid)
for pid in children:
    os.waitpid(pid, 0)
print(json.dumps({"report": report, "tried": tried, "forked": len(children)}))
'''


@pytest.mark.skipif(os.geteuid() != 0, reason="the test starts an ordinary user's process, which needs root")
def test_an_ordinary_users_process_changes_nothing_outside_its_folders(reachable):
    """As an ordinary user (no users of their own), a sandboxed process gets a user and mount
    namespace of its own where the kernel allows one: a neighbouring grading's files, of the same
    user, are read-only to it, metadata included, while its own folder stays writable."""
    nobody = 65534
    own, theirs = reachable / "own", reachable / "neighbour"
    for folder in (own, theirs):
        folder.mkdir()
    (theirs / "notebook.ipynb").write_text("{}")
    for path in (own, theirs, theirs / "notebook.ipynb"):
        os.chown(path, nobody, nobody)
    grading_sandbox.open_the_way([str(own), sys.executable, os.path.realpath(sys.executable), *confine.python_paths()])
    core = str(Path(confine.__file__).parents[2])
    code = (AS_AN_ORDINARY_USER.replace("CORE", repr(core)).replace("NEIGHBOUR", repr(str(theirs / "notebook.ipynb")))
            .replace("OWN", repr(str(own))))
    done = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, timeout=60,
                          user=nobody, group=nobody, extra_groups=[], cwd="/")
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.splitlines()[-1])
    possible = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {core!r})\n"
                               "from gradecore.sandbox import namespace; print(namespace.possible())"],
                              capture_output=True, text=True, timeout=60, user=nobody, group=nobody, extra_groups=[])
    if not possible.stdout.startswith("on"):
        assert found["report"]["apart"].startswith("off: no user namespace"), found
        pytest.skip(f"no user namespaces here: {possible.stdout.strip()}")
    assert found["report"]["apart"].startswith("on: a mount namespace of its own"), found
    assert found["tried"] == {
        "before: set a time on a neighbour's file": True,  # the same user: only the namespace refuses
        "set a time on a neighbour's file": False,
        "set a mode on a neighbour's file": False,
        "set an attribute on a neighbour's file": False,
        "set a mode on a neighbour's folder": False,
        "write its own folder": True,
        "set a time on its own file": True,
        "write /dev/null": True,
    }, found
    assert (theirs / "notebook.ipynb").stat().st_mtime == 1
    # its namespace's own process limit: until 2026-12-07 an ordinary grader's sandbox had none
    assert found["forked"] < confine.MAX_PROCESSES, found["forked"]


WITHOUT_NAMESPACES = '''
import errno, os, sys, io
sys.path.insert(0, CORE)
import pyseccomp
blocked = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
blocked.add_rule(pyseccomp.ERRNO(errno.EPERM), "unshare")  # as Docker's default profile does
blocked.load()
from gradecore.cli.batch import one_at_a_time_unless_apart
said = io.StringIO()
print(one_at_a_time_unless_apart(4, said), said.getvalue())
'''


@pytest.mark.skipif(os.geteuid() != 0, reason="the test starts an ordinary user's process, which needs root")
def test_where_nothing_keeps_gradings_apart_the_batch_grades_one_at_a_time():
    """An ordinary user where user namespaces are refused (Docker's seccomp refuses ``unshare``):
    the batch says so and grades one at a time; as root (users of their own) it keeps its jobs."""
    from gradecore.cli.batch import one_at_a_time_unless_apart

    core = str(Path(confine.__file__).parents[2])
    grading_sandbox.open_the_way([sys.executable, os.path.realpath(sys.executable), *confine.python_paths(), core])
    done = subprocess.run([sys.executable, "-c", WITHOUT_NAMESPACES.replace("CORE", repr(core))], capture_output=True,
                          text=True, timeout=60, user=65534, group=65534, extra_groups=[], cwd="/")
    assert done.returncode == 0, done.stderr[-2000:]
    jobs, said = done.stdout.split(" ", 1)
    assert jobs == "1" and "not kept apart here" in said and "--side-by-side" in said, done.stdout
    assert one_at_a_time_unless_apart(4) == 4


LOWERS_ITS_PRIORITY = TRIES + '''
import json, os, resource
said = {"nice": os.getpriority(os.PRIO_PROCESS, 0), "batch": os.sched_getscheduler(0) == os.SCHED_BATCH,
        "RLIMIT_NICE": list(resource.getrlimit(resource.RLIMIT_NICE))}
attempt("raise its priority (setpriority)", lambda: os.setpriority(os.PRIO_PROCESS, 0, said["nice"] - 1))
attempt("raise its priority (nice)", lambda: os.nice(-1))
attempt("raise its autogroup's priority", lambda: open("/proc/self/autogroup", "w").write("-5"))
# a new session is a new autogroup at nice 0: reported done, never done
read, write = os.pipe()
child = os.fork()
if child == 0:
    try:
        os.setsid()
    except OSError:
        pass
    os.write(write, str(os.getsid(0)).encode())
    os._exit(0)
os.waitpid(child, 0)
said["session of a child after setsid"] = "its own" if int(os.read(read, 64)) == child else "the sandbox's"
said["tried"] = TRIED
print(json.dumps(said))
'''


@pytest.mark.parametrize("kind", ["kernel", "sealed"])
def test_an_untrusted_process_runs_below_the_grader_and_cannot_climb_back(box, tmp_path, kind):
    """Every sandboxed process runs SANDBOX_NICE levels below the grader, as a batch task;
    RLIMIT_NICE 0 keeps it from lowering its nice value again, and a child's setsid does nothing
    (where the kernel groups tasks by session, each new one would weigh as much as the grader's)."""
    policy = box.kernel_policy(str(tmp_path)) if kind == "kernel" else box.sealed_policy(str(tmp_path))
    assert policy.nice == confine.SANDBOX_NICE
    done = _confined(policy, LOWERS_ITS_PRIORITY)
    said = json.loads(done.stdout.splitlines()[-1])
    assert said.pop("tried") == {"raise its priority (setpriority)": False, "raise its priority (nice)": False,
                                 "raise its autogroup's priority": False}, said
    assert said == {"nice": min(os.getpriority(os.PRIO_PROCESS, 0) + confine.SANDBOX_NICE, 19), "batch": True,
                    "RLIMIT_NICE": [0, 0], "session of a child after setsid": "the sandbox's"}


SPINS = """
import os, sys, time
os.sched_setaffinity(0, {CPU})
late = time.time() > START
while time.time() < START:  # both spin over the same seconds, whichever started first
    time.sleep(0.01)
used = time.process_time()
while time.time() < START + 1.0:
    pass
print(late, time.process_time() - used, flush=True)
"""


def test_a_trusted_process_keeps_the_cpu_from_an_untrusted_one_that_spins(box, tmp_path):
    """On one CPU and in one scheduling group (a container's cgroup; here one session, whose
    autogroup holds both), a trusted process (the judge's truth worker, a neighbour's otter) beside
    a sandboxed one that spins gets most of the CPU: the scheduler weighs nice 10 at about a ninth
    of nice 0. Before the sandbox ran niced, they shared it about evenly."""
    cpu = min(os.sched_getaffinity(0))
    code = SPINS.replace("{CPU}", f"{{{cpu}}}").replace("START", repr(time.time() + 2.0))
    trusted = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    untrusted = _confined(dataclasses.replace(box.sealed_policy(str(tmp_path)), new_session=False), code)
    trusted_late, trusted_cpu = trusted.communicate(timeout=60)[0].split()
    untrusted_late, untrusted_cpu = untrusted.stdout.splitlines()[-1].split()
    if "True" in (trusted_late, untrusted_late):
        pytest.skip("a process started after the common start: the machine is too loaded to measure")
    assert float(trusted_cpu) > 3 * float(untrusted_cpu), (trusted_cpu, untrusted_cpu)
