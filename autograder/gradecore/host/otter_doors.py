"""otter's own ways for the kernel to run code in otter's process, shut.

otter unpickles the results the kernel hands it, the log records its logging server receives, and
a ``.OTTER_LOG`` beside the submission: a pickle runs whatever code its maker chose. None is read
here; the plugin writes every result itself (:mod:`gradecore.host.otter_results`).
"""

from __future__ import annotations

from .otter_results import SealedResults

OTTER_LOG = ".OTTER_LOG"
"""otter unpickles a submitted file of this name in its own process: the plugin removes it."""


def _not_a_pickle(*args, **kwargs):
    """otter's ``pickle`` where it reads the kernel's results: nothing of the kernel is unpickled;
    the plugin writes every result itself (:meth:`gradecore.host.plugin.JudgePlugin.after_grading`)."""
    return SealedResults([])


def _no_log_server():
    """otter's logging server unpickles whatever connects to it: none is started."""
    return ("127.0.0.1", 9), lambda: None


def shut_otters_doors() -> None:
    """Keep otter's process from running code that the kernel chose (see the module's docstring)."""
    import types

    import otter.execute

    otter.execute.pickle = types.SimpleNamespace(load=_not_a_pickle, loads=_not_a_pickle)
    otter.execute.start_server = _no_log_server
