"""Every setting of a grading run, read once from the environment, and the variables that link
the grader's processes.

``otter run`` passes its environment on to the kernel, so each limit can be set per run (the tests
set small ones). The names keep the package's prefix, ``RNN_SHAPES_``, for every assignment.
"""

from __future__ import annotations

import os

PREFIX = "RNN_SHAPES_"


def _setting(name: str, default, kind=float):
    return kind(os.environ.get(PREFIX + name, default))


TIME_LIMIT_S = _setting("TIME_LIMIT_S", 10)
"""Seconds one call of a student function may take; the references need under a millisecond."""

MEMORY_LIMIT_MB = _setting("MEMORY_LIMIT_MB", 1024, int)
"""Extra address space one call may take beyond what the kernel already holds."""

CELL_TIME_LIMIT_S = _setting("CELL_TIME_LIMIT_S", 120)
"""Seconds one notebook cell (or one public check) may run in the kernel before it is stopped.

Otter runs the submission's top-level code with no time limit; importing TensorFlow and
building a model takes a few seconds, so two minutes only stops code that would never end."""

KERNEL_MEMORY_LIMIT_MB = _setting("KERNEL_MEMORY_LIMIT_MB", 8192, int)
"""Address space the kernel may add after the grader arms it. TensorFlow alone maps about 2 GiB
(threads and libraries, mostly never touched); the limit turns a huge top-level array into a
MemoryError in its cell instead of a kernel killed by the system."""

OUTPUT_LIMIT_CHARS = _setting("OUTPUT_LIMIT_CHARS", 200_000, int)
"""Characters the submission may print in the whole run; the rest is dropped with a notice."""

OUTPUT_TRUNCATED = "[rnn-shapes grader: output truncated]"
"""The notice that ends the output of a submission that printed too much (the plugin reads it)."""

OUT_OF_MEMORY = "grading ran out of memory"
"""How every message about a process killed for lack of memory begins: the plugin writes it in the
feedback and in its ``Machine fault:`` line, which ``rnn-shapes grade`` turns into an error row,
never a 0 that reads like wrong answers."""

JUDGE_SILENT = "the grader's judge did not answer"
"""How the feedback begins where the judge ran but never gave its verdicts: a fault of the grading
machine, which ``rnn-shapes grade`` turns into an error row, as it does :data:`OUT_OF_MEMORY`."""


RAISE_MEMORY = (
    "raise the autograder's memory (Gradescope: the autograder's settings; otter grade: its "
    "container's memory) and grade this submission again"
)

SEED_VARIABLE = PREFIX + "SEED"
"""Pins the seed of the hidden checks (at build time; at grading, it overrides the build's). Never
passed to a sandboxed process."""

WARM_KERNELS_VARIABLE = PREFIX + "WARM_KERNELS"
"""Set by ``rnn-shapes grade`` to the socket of its kernel template (:mod:`gradecore.warm`)."""

WARM_PRELOADED_VARIABLE = PREFIX + "WARM_PRELOADED"
"""Set in a kernel forked from the template: the bytes of address space its preloaded imports
take, which the kernel's memory limit counts as the submission's own (as in a cold kernel)."""


def seed(default: int) -> int:
    return int(os.environ.get(SEED_VARIABLE, default))
