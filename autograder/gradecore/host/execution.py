"""The notebook's run in the student's kernel, as otter's process starts and watches it.

The kernel is pinned to the confining launcher, whatever kernel the notebook was saved with
(:func:`pin_kernel`); a kernel that dies does not end the grading without results
(:func:`survive_kernel_death`); what went wrong in the submission's own cells is read back from
the executed notebook, as lines of feedback (:func:`execution_problems`); and what the kernel's
confinement got, from its launcher's report (:func:`read_kernel_report`).
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from typing import Any, Callable, Optional

from ..protocol import limits, settings
from . import grading_sandbox
from .submitted_code import ANSI, CELL_KEY, one_line, where

KERNEL_NAME = "python3"

QUIET_KERNEL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernelspec.py")

KERNEL_POLICY_VARIABLE = settings.link("KERNEL_POLICY")
"""Set in the kernelspec for the launcher (:mod:`gradecore.host.kernelspec`): the file with the kernel's
sandbox policy. Read and removed by the launcher before anything of the student's runs."""

ENAME_CHARS = 80
"""The longest an exception's class name from the kernel is quoted in the feedback."""

_CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")


def pin_kernel(notebook, box: grading_sandbox.Sandbox, from_template: bool) -> tuple[str, bool]:
    """Run the notebook in this Python, through the confining launcher, whatever kernel it was
    saved with.

    A notebook saved with another kernel name fails to start, and a user-level ``python3``
    kernelspec elsewhere would win over this environment's; ``JUPYTER_PATH`` comes first.

    Returns:
        The path of the report the launcher writes (:func:`read_kernel_report`), and whether the
        kernel's launcher was told of this grading's template here (the caller unsets it at the end).
    """
    spec_dir = os.path.join(box.root, "jupyter", "kernels", KERNEL_NAME)
    os.makedirs(spec_dir)
    policy_path = os.path.join(box.root, "kernel-policy.json")
    report_path = os.path.join(box.root, "kernel-report.json")
    box.renew("kernel")  # after the sealed runs, every process of them ended: a fresh folder
    policy = box.kernel_policy(os.getcwd())
    env = box.environment(box.kernel_home)
    env.update(settings.for_sandbox())
    env["PYTHONPATH"] = box.lib
    with open(policy_path, "w") as f:
        json.dump({"policy": policy.to_json(), "report": report_path, "env": env,
                   "home": box.kernel_home}, f)
    with open(os.path.join(spec_dir, "kernel.json"), "w") as f:
        json.dump(
            {
                # ipykernel_launcher, confined, with TensorFlow's start-up chatter kept off the terminal.
                "argv": [sys.executable, QUIET_KERNEL, "-f", "{connection_file}"],
                "env": {KERNEL_POLICY_VARIABLE: policy_path},
                "display_name": "Python 3 (rnn-shapes grading)",
                "language": "python",
            },
            f,
        )
    own_template_variable = False
    if box.template and from_template and limits.WARM_KERNELS_VARIABLE not in os.environ:
        # the kernel's launcher asks this grading's template for the kernel (gradecore.host.forkserver)
        os.environ[limits.WARM_KERNELS_VARIABLE] = box.template
        own_template_variable = True
    previous = os.environ.get("JUPYTER_PATH")
    jupyter_dir = os.path.join(box.root, "jupyter")
    os.environ["JUPYTER_PATH"] = jupyter_dir + (os.pathsep + previous if previous else "")
    notebook.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Python 3", "language": "python"}
    return report_path, own_template_variable


@dataclass
class KernelWatch:
    """What otter's executor showed of the kernel while it ran the notebook."""

    running_cell: Optional[Any] = None
    """the cell the executor was running last"""
    died_in: Optional[Any] = None
    """the cell the kernel died in (``{}`` where it died between cells); None while it lives"""
    not_started: Optional[str] = None
    """why the kernel did not start, where it died or stayed silent before its first reply"""
    message_bytes: int = 0
    """how much the kernel's messages held (their text and buffers), counted as they came"""
    dropped: int = 0
    """how many of its messages were dropped, past :data:`gradecore.protocol.limits.KERNEL_MESSAGES_LIMIT_MB`"""


START_ATTEMPTS = 2
"""How many times a grading starts its kernel when it dies before its first reply (no cell of the
submission has run then): in a batch among attacks, a neighbour's kernel died so, once in a run of
the suite, and its feedback then differed from its feedback alone."""


def survive_kernel_death(watch: KernelWatch) -> Callable[[], None]:
    """Keep a dead kernel from ending the grading run without results.

    nbclient raises ``DeadKernelError`` out of otter's ``grade_notebook`` when the kernel
    process dies (killed by the system for memory, ``os.kill``, a crash in C code), and a
    ``RuntimeError`` when it dies or stays silent before its first reply; otter then writes no
    results at all. Here the run goes on to ``after_grading``: the hidden checks ran in the
    sealed runs, apart from the kernel, and their verdicts stand. What happened goes in ``watch``.

    A kernel that dies before its first reply is started again, up to :data:`START_ATTEMPTS` times
    in all; ``watch.not_started`` says why the last one did not start (None once one did).

    Returns:
        A function that gives the executor back its own ways.
    """
    from nbclient.exceptions import DeadKernelError
    from nbconvert.preprocessors import ExecutePreprocessor

    preprocess, preprocess_cell = ExecutePreprocessor.preprocess, ExecutePreprocessor.preprocess_cell

    def watched_cell(ep, cell, resources, index):
        watch.running_cell = cell
        return preprocess_cell(ep, cell, resources, index)

    def surviving(ep, nb, resources=None, km=None):
        # A kernel that dies before its first reply ran nothing of the submission's: what ended it
        # was the machine's (a neighbour's load or memory in a batch), so it is started once more,
        # and the grading reads as it would have (each preprocess builds its client afresh).
        for _ in range(1 if km is not None else START_ATTEMPTS):
            try:
                done = preprocess(ep, nb, resources, km)
            except DeadKernelError:
                watch.died_in = watch.running_cell or {}
                return nb, resources or {}
            except RuntimeError as e:  # nbclient's "Kernel died before replying to kernel_info"
                if watch.running_cell is not None:
                    raise
                watch.not_started = one_line(e)
                continue
            watch.not_started = None
            return done
        return nb, resources or {}

    def restore():
        ExecutePreprocessor.preprocess, ExecutePreprocessor.preprocess_cell = preprocess, preprocess_cell

    ExecutePreprocessor.preprocess, ExecutePreprocessor.preprocess_cell = surviving, watched_cell
    return restore


KEPT_PAST_LIMIT = ("status", "execute_input", "clear_output")
"""The kernel's messages that hold no output of its own: the executor needs them (a cell ends at
its ``status: idle``) whatever the kernel sent before."""
TRACEBACK_LINES = 20
"""How many lines of an error's traceback are kept past the limit (the cell's line is near the top)."""


CONTAINER_BYTES = 64
"""What a list, tuple or dict of a kernel message counts as, whatever it holds: about what Python
takes for an empty one. Counted as nothing until 2026-12-08, 16 million empty lists (64 MB of
``[], `` in 8 displays) passed for 0 bytes and nbclient kept them all: otter's process grew from 147
to 1774 MiB (attack7's ``kernel_json_containers.py``, now in ``tests/attacks/_shared/``)."""
REFUSED = "gradecore refused"
"""The content of a kernel message the grader would not decode (:func:`bound_kernel_messages`)."""


def message_bytes(value: Any) -> int:
    """What a kernel message's content holds: the length of its text, keys included, its bytes, and
    :data:`CONTAINER_BYTES` for each container."""
    total, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (str, bytes, bytearray, memoryview)):
            total += len(item)
        elif isinstance(item, dict):
            total += CONTAINER_BYTES
            stack += item.keys()
            stack += item.values()
        elif isinstance(item, (list, tuple)):
            total += CONTAINER_BYTES
            stack += item
        else:
            total += 8
    return total


def _frame_values(frame: Any) -> int:
    """How many JSON values a message's frame may hold (:func:`gradecore.protocol.wire.json_values`),
    counted only where its length could pass the bound."""
    from ..protocol.wire import MAX_JSON_VALUES, json_values

    size = len(frame)
    if size <= MAX_JSON_VALUES:
        return size
    return json_values(frame.bytes if hasattr(frame, "bytes") else frame)


def _error_only(content: dict) -> dict:
    """An error message cut to what the feedback reads of it (its class, message and the cell's line)."""
    traceback = content.get("traceback")
    lines = [str(line)[:ENAME_CHARS * 4] for line in traceback[:TRACEBACK_LINES]] if isinstance(traceback, list) else []
    return {"ename": str(content.get("ename", ""))[:ENAME_CHARS * 4],
            "evalue": str(content.get("evalue", ""))[:ENAME_CHARS * 4], "traceback": lines}


def bound_kernel_messages(watch: KernelWatch, limit_bytes: Optional[int] = None) -> Callable[[], None]:
    """Keep at most ``limit_bytes`` of what the kernel sends, in otter's own process.

    The kernel caps what the submission prints (:class:`gradecore.kernel.cells._CappedStream`),
    but the kernel is the submission's: it can publish on its output channel directly
    (``get_ipython().display_pub.publish``, ``sys.stdout._stream``, a widget's comm), and
    nbclient keeps every output in the notebook it holds here, so a kernel that sent 2 GB of
    displays grew otter's process by 2 GB (past any container's memory, and the machine's in a
    batch). Each message the executor handles is counted as it comes; past the limit, those
    that carry output are dropped, and an error keeps only what the feedback reads of it.

    Returns:
        A function that gives the executor back its own handling.
    """
    from jupyter_client.session import Session
    from nbconvert.preprocessors import ExecutePreprocessor

    from ..protocol.limits import KERNEL_MESSAGES_LIMIT_MB
    from ..protocol.wire import MAX_JSON_VALUES

    limit = KERNEL_MESSAGES_LIMIT_MB * 2**20 if limit_bytes is None else limit_bytes
    process_message = ExecutePreprocessor.process_message
    deserialize = Session.deserialize

    def decoded_within_bound(session, msg_list, content=True, copy=True):
        # jupyter_client decodes a message whole, in otter's process, before the executor sees it:
        # JSON of empty containers makes 20 to 27 times its bytes in objects. Its content is left
        # undecoded past MAX_JSON_VALUES (the signature is still checked over the raw frames), its
        # other frames refused: no kernel of ours sends either.
        if len(msg_list) >= 5 and any(_frame_values(f) > MAX_JSON_VALUES for f in msg_list[1:4]):
            raise ValueError(f"a kernel message whose header holds more than {MAX_JSON_VALUES} JSON values")
        if content and len(msg_list) >= 5 and _frame_values(msg_list[4]) > MAX_JSON_VALUES:
            message = deserialize(session, msg_list, content=False, copy=copy)
            message["content"] = {REFUSED: len(msg_list[4])}
            return message
        return deserialize(session, msg_list, content=content, copy=copy)

    def bounded(ep, msg, cell, cell_index):
        msg_type = msg.get("msg_type") if isinstance(msg, dict) else None
        if isinstance(msg, dict) and isinstance(msg.get("content"), dict) and REFUSED in msg["content"]:
            watch.message_bytes = max(watch.message_bytes + int(msg["content"][REFUSED]), limit + 1)
            watch.dropped += 1
            return None
        if msg_type in KEPT_PAST_LIMIT:
            return process_message(ep, msg, cell, cell_index)
        watch.message_bytes += message_bytes(msg.get("content")) + message_bytes(msg.get("buffers") or [])
        if watch.message_bytes <= limit:
            return process_message(ep, msg, cell, cell_index)
        watch.dropped += 1
        if msg_type == "error" and isinstance(msg.get("content"), dict):
            return process_message(ep, dict(msg, content=_error_only(msg["content"]), buffers=[]), cell, cell_index)
        return None

    def restore():
        ExecutePreprocessor.process_message = process_message
        Session.deserialize = deserialize

    ExecutePreprocessor.process_message = bounded
    Session.deserialize = decoded_within_bound
    return restore


def execution_problems(notebook, script: bool, unparsable: set[int], watch: Optional[KernelWatch] = None) -> list[str]:
    """One line for each error, stop or flood of output in the submission's own cells."""
    from ..protocol.limits import (
        CELL_TIME_LIMIT_S,
        IMPORT_GRACE_S,
        KERNEL_MESSAGES_LIMIT_MB,
        OUTPUT_LIMIT_CHARS,
        OUTPUT_TRUNCATED,
    )

    rest = "the rest of the script did not run" if script else "the rest of that cell did not run"
    problems = []
    if watch is not None and watch.dropped:
        problems.append(
            f"the kernel sent more than {KERNEL_MESSAGES_LIMIT_MB:g} MiB of output (the grader's limit for the "
            f"whole run); the grader dropped the rest ({watch.dropped} messages).")
    for cell in (notebook.cells if notebook is not None else []):
        if cell.cell_type != "code":
            continue
        number = cell.get("metadata", {}).get(CELL_KEY, {}).get("cell")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and OUTPUT_TRUNCATED in output.get("text", ""):
                problems.append(
                    f"{where(cell, script)} printed more than {OUTPUT_LIMIT_CHARS} characters; the grader "
                    "dropped the rest of the output."
                )
            if output.get("output_type") != "error" or number is None:
                continue
            # both made by the submission (a class's __name__ is its to choose): one line each
            ename, evalue = one_line(output.get("ename", ""), ENAME_CHARS), one_line(output.get("evalue", ""))
            if ename in ("SyntaxError", "IndentationError", "TabError") and number in unparsable:
                continue
            found = _CELL_LINE.search(ANSI.sub("", "\n".join(output.get("traceback", []))))
            at = where(cell, script, int(found.group(1)) if found else None)
            if ename == "ImportTimeLimitExceeded":
                problems.append(
                    f"{at} was stopped in an import after {CELL_TIME_LIMIT_S + IMPORT_GRACE_S:g} seconds (the grader's "
                    f"limit per cell, and {IMPORT_GRACE_S:g} s more for imports): is there an endless loop in the "
                    f"module it imports? ({rest})."
                )
            elif ename == "TimeLimitExceeded":
                problems.append(
                    f"{at} was stopped after {CELL_TIME_LIMIT_S:g} seconds, the grader's limit per "
                    f"cell: is there an endless loop at top level? ({rest})."
                )
            elif ename == "SystemExit" and evalue.startswith("os._exit"):
                problems.append(f"{at} called {evalue.split(' is ')[0]}, which grading refuses; {rest}.")
            elif ename == "SystemExit":
                problems.append(f"{at} called sys.exit({evalue}); {rest}.")
            elif ename == "MemoryError":
                problems.append(f"{at} ran out of memory (MemoryError): does it build a huge array? {rest}.")
            else:
                problems.append(f"{at} raised {ename}: {evalue}; {rest}.")
    return problems


def read_kernel_report(path: Optional[str], isolation: dict[str, str]) -> None:
    """What the kernel's confinement got, as its launcher (trusted) wrote it at ``path`` (None
    where no kernel was pinned): each mechanism it did not get, marked in ``isolation``."""
    report = None
    try:
        with open(path) as f:
            report = json.load(f)
    except (OSError, ValueError, TypeError):
        return
    if isinstance(report, dict):
        for name, value in report.items():
            if not str(value).startswith("on") and str(name) in isolation:
                isolation[str(name)] = f"{one_line(value)} (kernel)"
