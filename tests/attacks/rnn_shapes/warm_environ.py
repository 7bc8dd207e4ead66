"""Read the grader's environment from a process forked from the warm template.

A process's environment block (``/proc/self/environ``; the memory between ``env_start`` and
``env_end`` of ``/proc/self/stat`` where a change of user closed that file) is the one it was
started with, and a fork keeps its parent's: a kernel (or library's sealed run) forked from the
warm template (``gradecore.host.forkserver``) reads the *template's* start-up environment there, whatever
``os.environ`` the template gave it.
A batch's template was started with the batch's whole environment: the instructor's tokens, and
``GRADECORE_SEED`` where the grading pins the seed (a setting never passed to student code).

The submission imports TensorFlow at top level (so its kernel is forked from a template), reads
that block in the kernel and in the sealed runs, and raises ``ATTACK-BREACH`` with the seed
(where it is there) and every name that the grader never gives a sandbox. The sealed runs
cannot show what they find (nothing they print is read); the kernel's cell error is quoted in the
feedback. It implements no function: it earns nothing.
"""

EXPECT = {"count_params": 0, "weight_shapes": 0, "extract_weights": 0, "manual_forward": 0,
          "batched_forward": 0, "sequence_forward": 0}

NAME = "warm_environ"

import os

import tensorflow as tf  # noqa: F401  (the kernel, and the library's sealed run, come from the template)

SANDBOX_NAMES = {
    # what gradecore.host.grading_sandbox gives a sandboxed process: PASSED_ENVIRONMENT, then its own
    "PATH", "LANG", "LC_ALL", "LC_CTYPE", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "TF_USE_LEGACY_KERAS", "HOME", "TMPDIR", "MPLCONFIGDIR",
    "IPYTHONDIR", "XDG_CACHE_HOME", "PYTHONDONTWRITEBYTECODE", "TF_CPP_MIN_LOG_LEVEL", "CUDA_VISIBLE_DEVICES",
    "PYTHONPATH", "JPY_PARENT_PID",
}
"""Names a sandboxed process may find in its environment block (and the grader's own settings,
less the seed, below)."""
SEEDS = ("GRADECORE_SEED", "RNN_SHAPES_SEED")


def environment_block():
    """The block itself: ``/proc/self/environ`` (closed to a process that changed its user), else
    the memory between ``env_start`` and ``env_end`` of ``/proc/self/stat``: this process's own."""
    try:
        with open("/proc/self/environ", "rb") as f:
            return f.read()
    except OSError:
        pass
    import ctypes

    try:
        with open("/proc/self/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        start, end = int(fields[47]), int(fields[48])  # fields 50 and 51 of stat(5)
    except (OSError, IndexError, ValueError):
        return b""
    return ctypes.string_at(start, end - start) if 0 < start < end else b""


def start_environment():
    raw = environment_block()
    found = {}
    for entry in raw.split(b"\0"):
        name, sep, value = entry.partition(b"=")
        if sep:
            found[name.decode(errors="replace")] = value.decode(errors="replace")
    return found


def foreign(environment):
    """What the block holds that the grader never gives a sandbox: the seed first, then names."""
    seeds = [f"{name}={environment[name]}" for name in SEEDS if name in environment]
    names = sorted(n for n in environment if n not in SANDBOX_NAMES and n not in SEEDS
                   and not (n.startswith(("GRADECORE_", "RNN_SHAPES_"))))
    return seeds + names


LEAKED = foreign(start_environment())
if LEAKED:
    raise RuntimeError(f"ATTACK-BREACH {NAME}: the grader's environment: " + " ".join(LEAKED)[:300])
