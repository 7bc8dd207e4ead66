"""Every setting of a grading run in one table: its name, default and meaning, read once.

A setting is read from the environment as ``GRADECORE_<NAME>``, or under its old name
``RNN_SHAPES_<NAME>`` (the package's first prefix, still accepted; the new name wins where both are
set). ``otter run`` passes its environment on to the kernel, so each limit can be set per run.
``docs/configuration.md`` is generated from this table (``python -m gradecore.protocol.settings``), and a
test keeps the two equal.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable, Optional

PREFIX = "GRADECORE_"
OLD_PREFIX = "RNN_SHAPES_"


@dataclass(frozen=True)
class Setting:
    """One setting: where it is read and what it means."""

    name: str
    """its name without the prefix: ``TIME_LIMIT_S`` is read from ``GRADECORE_TIME_LIMIT_S``"""
    default: Optional[float | str]
    """its value when the environment does not set it (``None``: unset)"""
    kind: Callable
    """``int``, ``float`` or ``str``"""
    help: str
    """one sentence for the docs"""
    reaches_sandbox: bool = True
    """whether the student's kernel is given it (the seed never is)"""

    @property
    def variable(self) -> str:
        return PREFIX + self.name

    @property
    def old_variable(self) -> str:
        return OLD_PREFIX + self.name

    def read(self, environ=None):
        environ = os.environ if environ is None else environ
        raw = environ.get(self.variable, environ.get(self.old_variable))
        if raw in (None, ""):
            return self.default
        return self.kind(raw)


SETTINGS = (
    Setting("TIME_LIMIT_S", 10, float,
            "Seconds of CPU time one call of a student function may take (its process's, all its threads); "
            "the references need under a millisecond. One and a half times as many seconds of wall-clock time "
            "end a call however little CPU it used (a function that waits forever; a loaded machine)."),
    Setting("MEMORY_LIMIT_MB", 1024, int,
            "Extra address space (MiB) one call of a student function may take beyond what its process holds."),
    Setting("CELL_TIME_LIMIT_S", 120, float,
            "Seconds one notebook cell may run in the kernel before it is stopped; importing TensorFlow "
            "and building a model take a few seconds, so two minutes only stops code that would never end."),
    Setting("IMPORT_GRACE_S", 60, float,
            "Seconds an import under way may run past its cell's or statement's limit, all imports of a process "
            "together (stopped halfway, TensorFlow's import would leave the module broken; it takes about 3 s of "
            "CPU). Past them the import is stopped too: an endless loop in a module the submission imports ends."),
    Setting("KERNEL_MEMORY_LIMIT_MB", 8192, int,
            "Address space (MiB) the kernel may add after the grader arms it: a huge top-level array "
            "becomes a MemoryError in its cell instead of a kernel killed by the system."),
    Setting("OUTPUT_LIMIT_CHARS", 200_000, int,
            "Characters the submission may print in the whole run; the rest is dropped with a notice."),
    Setting("KERNEL_MESSAGES_LIMIT_MB", 32, int,
            "Output (MiB) otter's process keeps of the kernel's messages in the whole run (printed text, "
            "displays, errors, widgets): what the kernel sends past it is dropped, however it was sent."),
    Setting("DISK_LIMIT_MB", 1024, int,
            "Disk (MiB) all the untrusted processes of one grading together may fill (the sealed runs, the "
            "library's run, the kernel and what they start); past it the grading stops and says so."),
    Setting("FRESH_CASES", "auto", str,
            "on: every grading draws hidden cases of its own from the instructor's secret, their truths computed "
            "by a trusted truth worker forked from the grading's template (TensorFlow imported once); off: the "
            "build's cases; auto (the default): on where the machine or its container has the memory for the "
            "worker beside the kernel (FRESH_CASES_MIN_MB), else off, and the grading's isolation line says so."),
    Setting("FRESH_CASES_MIN_MB", 700, int,
            "Memory (MiB, the container's limit or the machine's) below which FRESH_CASES=auto grades with the "
            "build's cases. A whole grading with fresh cases peaks at 485-496 MiB at Gradescope's 768 MB, its kernel "
            "after its truth worker (KERNEL_AFTER_TRUTHS_MB; docs/measurements.md); with TEMPLATE=0 the worker is a fresh Python that imports TensorFlow "
            "itself, and auto needs 3072 MiB whatever this says."),
    Setting("KERNEL_AFTER_TRUTHS_MB", 1536, int,
            "Memory (MiB, the container's limit or the machine's) below which a grading with fresh cases starts its "
            "kernel only once its truth worker has ended, so that the two never hold their memory at once; above it "
            "they overlap. 0: never wait."),
    Setting("SANDBOX_NICE", 10, int,
            "How many nice levels (0-19) below the grader every untrusted process runs (the kernel, the sealed "
            "runs, the library's run, what they start; 19 at most), which it cannot lower again: the grader's "
            "own processes (otter, the judge, its truth worker, the batch) win the CPU from a submission that "
            "spins on every core (docs/threat-model.md, \"CPU taken from a neighbour\"). 0: the grader's own priority.",
            reaches_sandbox=False),
    Setting("JUDGE_QUIET_S", 60, float,
            "Seconds the grader waits for its judge while the judge reports no progress (it reports each "
            "second in which it or its truth worker used the CPU, and each truth computed, on the pipe only "
            "the grader holds); past them the grading ends as a fault of the machine (\"the grader's judge "
            "did not answer\").",
            reaches_sandbox=False),
    Setting("JUDGE_WAIT_LIMIT_S", 600, float,
            "Seconds the grader waits for one answer of its judge at most, however steadily the judge "
            "reports progress.",
            reaches_sandbox=False),
    Setting("SUBMISSION_TIMEOUT_S", 600, float,
            "Default of `rnn-shapes grade --timeout`: wall-clock seconds to grade one submission."),
    Setting("TEMPLATE", 1, int,
            "1: where the submission imports TensorFlow, its kernel and its library's sealed run are forked "
            "from one template that imported it once; where the grading draws fresh cases, its truth worker and "
            "library's run are. 0: each starts afresh and imports it itself."),
    Setting("SEED", None, int,
            "Pins the instructor's secret to one made from this number (tests, development): at build time, "
            "over the secret file, and at grading, over the zip's. Each grading still draws fresh cases from it. "
            "Never passed to the student's code.",
            reaches_sandbox=False),
    Setting("SECRET_FILE", None, str,
            "Where the instructor's secret lives (created by the first build, kept across rebuilds, rotated by "
            "`rnn-shapes secret --rotate`); default `$XDG_CONFIG_HOME/rnn-shapes/secret` "
            "(`~/.config/rnn-shapes/secret`). Never passed to the student's code.",
            reaches_sandbox=False),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


@dataclass(frozen=True)
class Link:
    """A variable that one of the grader's processes sets for another it starts: never the user's to set."""

    name: str
    """its name without the prefix: ``WARM_KERNELS`` is ``GRADECORE_WARM_KERNELS``"""
    help: str
    """who sets it, for whom, and what it holds"""

    @property
    def variable(self) -> str:
        return PREFIX + self.name


LINKS = (
    Link("KERNEL_POLICY",
         "Set by the plugin in the kernelspec it writes: the file of the kernel's sandbox policy, which the kernel's "
         "launcher reads and removes before anything of the student's runs."),
    Link("WARM_KERNELS",
         "Set by `rnn-shapes grade` for its gradings: the socket of its warm kernel template, which the kernel's "
         "launcher asks for a kernel instead of starting Python."),
    Link("WARM_PRELOADED",
         "Set in a kernel forked from the template: the bytes of address space its preloaded imports take, which "
         "the kernel's memory limit counts as the submission's own (as in a cold kernel)."),
)

_LINKS = {entry.name: entry for entry in LINKS}


def link(name: str) -> str:
    """The environment variable of the link ``name`` (:data:`LINKS`)."""
    return _LINKS[name].variable


def setting(name: str) -> Setting:
    return _BY_NAME[name]


def value(name: str, environ=None):
    """The setting's value now (the environment, else its default)."""
    return _BY_NAME[name].read(environ)


def for_sandbox(environ=None) -> dict[str, str]:
    """The settings the grader's environment sets that the student's kernel is given, under both
    names: everything but the seed."""
    environ = os.environ if environ is None else environ
    passed = {}
    for entry in SETTINGS:
        for variable in (entry.old_variable, entry.variable):
            if entry.reaches_sandbox and variable in environ:
                passed[variable] = environ[variable]
    return passed


def markdown() -> str:
    """``docs/configuration.md``."""
    lines = [
        "# Configuration",
        "",
        "Every setting of a grading run, from the table in `autograder/gradecore/protocol/settings.py`; this page",
        "is generated from it (`.venv/bin/python -m gradecore.protocol.settings > docs/configuration.md`), and",
        "`tests/unit/protocol/test_settings.py` keeps the two equal.",
        "",
        f"Set each in the environment of `otter run`, `rnn-shapes grade` or the build as `{PREFIX}<NAME>`.",
        f"The old names, `{OLD_PREFIX}<NAME>`, are still read; where both are set, the new one wins.",
        "`otter run` passes its environment to the student's kernel, so the limits apply there too.",
        "",
        "| variable | default | meaning |",
        "|---|---|---|",
    ]
    for entry in SETTINGS:
        default = "unset" if entry.default is None else (f"`{entry.default}`" if isinstance(entry.default, str) else f"`{entry.default:g}`")
        lines.append(f"| `{entry.variable}` | {default} | {entry.help} |")
    lines += [
        "",
        "Command-line options (`rnn-shapes grade --help`) take precedence where both exist.",
        "",
        "## Set by the grader for its own processes",
        "",
        "Not settings: one of the grader's processes sets each for another it starts, and nothing reads them",
        "under an old name.",
        "",
        "| variable | meaning |",
        "|---|---|",
    ]
    lines += [f"| `{entry.variable}` | {entry.help} |" for entry in LINKS]
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(), end="")
