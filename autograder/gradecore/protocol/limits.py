"""The limits of a grading run (from the settings table, :mod:`gradecore.protocol.settings`), the texts
that name a machine fault, and the variables that link the grader's processes."""

from __future__ import annotations

from .settings import link, setting, value

TIME_LIMIT_S = value("TIME_LIMIT_S")
MEMORY_LIMIT_MB = value("MEMORY_LIMIT_MB")
CELL_TIME_LIMIT_S = value("CELL_TIME_LIMIT_S")
IMPORT_GRACE_S = value("IMPORT_GRACE_S")
KERNEL_MEMORY_LIMIT_MB = value("KERNEL_MEMORY_LIMIT_MB")
OUTPUT_LIMIT_CHARS = value("OUTPUT_LIMIT_CHARS")
KERNEL_MESSAGES_LIMIT_MB = value("KERNEL_MESSAGES_LIMIT_MB")
DISK_LIMIT_MB = value("DISK_LIMIT_MB")
"""What each means: :data:`gradecore.protocol.settings.SETTINGS`."""

CALL_WALL_FACTOR = 1.5
"""A call's wall-clock limit, in times its CPU-time limit (``TIME_LIMIT_S``): a call is stopped
when its process has used ``TIME_LIMIT_S`` seconds of CPU, which a loaded machine or a neighbour
that spins on every core does not advance, or when this many times as long has passed on the
clock, which ends a function that sleeps or waits forever, or one starved by the machine's load. A
hanging function is so graded within 30 s (``bench/grading.py --only hang``: 21-24 s in Gradescope's
container at load 4-10 when the limit was 10 s on the clock; at most 5 s more for one the load starves)."""

class ImportGrace:
    """The seconds a process's imports may still run past a time limit (``IMPORT_GRACE_S``, all of
    them together): a timer's handler that finds an import under way asks :meth:`extend` for one
    more step, and stops the import once none is left."""

    def __init__(self, seconds: float = IMPORT_GRACE_S):
        self.left = float(seconds)

    def extend(self, frame) -> float:
        """Seconds to let the import under ``frame`` run on (at most 1), 0 where no import is under
        way or the grace is spent."""
        outer = frame
        while outer is not None:
            if outer.f_code.co_filename.startswith("<frozen importlib"):
                step = min(1.0, self.left)
                self.left -= step
                return step
            outer = outer.f_back
        return 0.0

    def spent(self, frame) -> bool:
        """Whether an import is under way under ``frame`` with no grace left."""
        outer = frame
        while outer is not None:
            if outer.f_code.co_filename.startswith("<frozen importlib"):
                return self.left <= 0
            outer = outer.f_back
        return False


OUTPUT_TRUNCATED = "[rnn-shapes grader: output truncated]"
"""The notice that ends the output of a submission that printed too much (the plugin reads it)."""

OUT_OF_MEMORY = "grading ran out of memory"
"""How every message about a process killed for lack of memory begins: the plugin writes it in the
feedback and in its ``Machine fault:`` line, which ``rnn-shapes grade`` turns into an error row,
never a 0 that reads like wrong answers."""

JUDGE_SILENT = "the grader's judge did not answer"
"""How the feedback begins where the judge ran but never gave its verdicts: a fault of the grading
machine, which ``rnn-shapes grade`` turns into an error row, as it does :data:`OUT_OF_MEMORY`."""

JUDGE_GONE = "the grader's judge stopped before its verdicts"
"""How the feedback begins where the judge's process ended before it gave its verdicts (one that
ends before the sealed runs' calls is started again, once): a fault of the grading machine, as
:data:`JUDGE_SILENT` is."""


DISK_FULL = "the submission wrote more than"
"""How the message about a grading stopped at its disk limit begins (:func:`disk_full`)."""


def disk_full(limit_mb: float) -> str:
    """The line a grading stopped at its disk limit gets, naming the limit and its setting."""
    return (f"{DISK_FULL} {limit_mb:g} MiB to disk ({setting('DISK_LIMIT_MB').variable}, the grader's limit "
            "for all of one grading's processes together), so the grader stopped its grading there and "
            "ended every process it started.")


GRADING_PEAK_MB = 500
"""What a whole grading of a correct submission may hold at its peak (the README's budget: at
Gradescope's 768 MB and 1 CPU, the memory cgroup's charge less its page cache, which the kernel
reclaims before it kills; docs/measurements.md)."""

SUBMISSION_MEMORY_FLOOR_MB = 128
"""The least :func:`submission_memory_mb` says: a sealed run that defines a notebook's functions and
calls them holds about 40-60 MiB; one killed while it held less than this was not the filler."""


def submission_memory_mb(memory: int | None = None) -> float:
    """How much memory (MiB) one of the submission's own processes may hold before a kill for lack
    of memory is its own doing: what the container or machine (``memory``, bytes; default
    :func:`memory_bytes`) leaves beyond a whole grading's peak (:data:`GRADING_PEAK_MB`), at most
    ``MEMORY_LIMIT_MB`` (what one call may add) and at least :data:`SUBMISSION_MEMORY_FLOOR_MB`:
    268 MiB at Gradescope's 768 MB."""
    memory = memory_bytes() if memory is None else memory
    left = MEMORY_LIMIT_MB if memory is None else memory / 2**20 - GRADING_PEAK_MB
    return float(max(SUBMISSION_MEMORY_FLOOR_MB, min(left, MEMORY_LIMIT_MB)))


OVER_MEMORY = "the submission used more memory than the grading allows"
"""How the message about a submission's process killed for its own memory begins (:func:`over_memory`)."""


def over_memory(peak_mb: float, allowed_mb: float) -> str:
    """The line a grading gets where the system killed one of the submission's own processes for
    lack of memory while it held more than :func:`submission_memory_mb`: the submission's doing, an
    ordinary 0 for what it had not finished, never a fault of the machine."""
    return (f"{OVER_MEMORY} ({allowed_mb:.0f} MiB): the system killed its process for lack of memory when it "
            f"had held {peak_mb:.0f} MiB, so the questions it had not finished get 0.")


RAISE_MEMORY = (
    "raise the autograder's memory (Gradescope: the autograder's settings; otter grade: its "
    "container's memory) and grade this submission again"
)

SEED_VARIABLES = (setting("SEED").variable, setting("SEED").old_variable)
"""Pin the seed of the hidden checks (at build time; at grading, over the build's). Never passed to a
sandboxed process."""

WARM_KERNELS_VARIABLE = link("WARM_KERNELS")
"""Set by ``rnn-shapes grade`` to the socket of its kernel template (:mod:`gradecore.host.forkserver`)."""

WARM_PRELOADED_VARIABLE = link("WARM_PRELOADED")
"""Set in a kernel forked from the template: the bytes of address space its preloaded imports
take, which the kernel's memory limit counts as the submission's own (as in a cold kernel)."""



CGROUP_MEMORY_FILES = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")
"""Where a container's memory limit reads (cgroup v2, then v1)."""


def own_cgroup_files(v2_name: str = "memory.max", v1_name: str = "memory.limit_in_bytes") -> list[str]:
    """The files ``v2_name`` (cgroup v2) and ``v1_name`` (v1's memory controller) of the cgroup this
    process is in, where its path shows under the mount (a cgroup made on the host, as
    ``bench/gradescope_cgroup.sh`` makes one; in a container the mount's root is the container's own
    group, :data:`CGROUP_MEMORY_FILES`). By default, its memory limit's."""
    found = []
    try:
        with open("/proc/self/cgroup") as f:
            for line in f:
                _, controllers, path = line.rstrip("\n").split(":", 2)
                if path in ("", "/"):
                    continue
                if controllers == "":
                    found.append(f"/sys/fs/cgroup{path}/{v2_name}")
                elif "memory" in controllers.split(","):
                    found.append(f"/sys/fs/cgroup/memory{path}/{v1_name}")
    except (OSError, ValueError):
        pass
    return found


def memory_bytes() -> int | None:
    """The memory this grading may use: the least of the machine's (``MemTotal``) and its
    container's or cgroup's limit (cgroup v2 or v1, where set); None where neither reads."""
    found = []
    for path in (*CGROUP_MEMORY_FILES, *own_cgroup_files()):
        try:
            with open(path) as f:
                raw = f.read().strip()
        except OSError:
            continue
        if raw.isdigit() and int(raw) < 2**60:  # "max" and v1's huge number mean no limit
            found.append(int(raw))
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    found.append(int(line.split()[1]) * 1024)
                    break
    except (OSError, ValueError, IndexError):
        pass
    return min(found) if found else None


FRESH_WORKER_MIN_MB = 3072
"""Memory (MiB) a grading needs for fresh cases whose truth worker is a fresh Python (no template:
``GRADECORE_TEMPLATE=0``): it imports TensorFlow itself, about 725 MiB at its peak, beside the kernel."""


def kernel_after_truths() -> bool:
    """Whether this grading's kernel waits for its truth worker (``KERNEL_AFTER_TRUTHS_MB``): where
    memory is short, the plugin has otter start the kernel only once the judge has the truths (the
    worker ended); elsewhere they overlap, and the truths cost no wall time."""
    memory = memory_bytes()
    return memory is not None and memory < int(value("KERNEL_AFTER_TRUTHS_MB")) * 2**20


def fresh_cases(forked: bool = True) -> tuple[bool, str]:
    """Whether this grading draws fresh hidden cases (``FRESH_CASES``), and the isolation report's
    entry that says so (``"on ..."``, or ``"off: why"``). ``forked``: whether its truth worker is
    forked from a template that imported TensorFlow (and shares its pages), else a fresh Python
    that needs :data:`FRESH_WORKER_MIN_MB`."""
    chosen = str(value("FRESH_CASES") or "auto").strip().lower()
    if chosen in ("1", "on", "yes", "true"):
        return True, "on (drawn for this grading)"
    if chosen in ("0", "off", "no", "false"):
        return False, f"off: the build's cases ({setting('FRESH_CASES').variable}={chosen})"
    needed_mb = int(value("FRESH_CASES_MIN_MB")) if forked else max(int(value("FRESH_CASES_MIN_MB")), FRESH_WORKER_MIN_MB)
    memory, needed = memory_bytes(), needed_mb * 2**20
    if memory is not None and memory < needed:
        worker = "a truth worker forked from the template" if forked else "a truth worker that imports TensorFlow itself"
        return False, (f"off: the build's cases, the same for every grading (this machine's memory, "
                       f"{memory / 2**20:.0f} MiB, is under the {needed / 2**20:.0f} MiB {worker} needs beside "
                       f"the kernel; {setting('FRESH_CASES').variable}=on draws them anyway)")
    return True, "on (drawn for this grading)"
