"""otter's process keeps at most a bounded amount of what the kernel sends, however it sends it.

The kernel caps what the submission prints, but the kernel is the submission's: a real kernel that
publishes displays on its output channel directly reaches nbclient in the grader's process, which
kept them all (tests/attacks/rnn_shapes/kernel_output_flood.py grew ``otter run`` by 2 GB).
"""

from __future__ import annotations

import nbformat
import pytest

from gradecore.host.execution import (
    CONTAINER_BYTES,
    KernelWatch,
    bound_kernel_messages,
    execution_problems,
    message_bytes,
)

FLOOD = """
from IPython import get_ipython
for _ in range(8):
    get_ipython().display_pub.publish(data={"text/plain": "x" * (1 << 18)})
raise ValueError("y" * 100_000)
"""


def run_bounded(code: str, limit_bytes: int) -> tuple[nbformat.NotebookNode, KernelWatch]:
    """``code``, then a second cell, run in a real kernel with what it sends bounded at ``limit_bytes``."""
    from nbconvert.preprocessors import ExecutePreprocessor

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code), nbformat.v4.new_code_cell("1 + 1")])
    watch = KernelWatch()
    restore = bound_kernel_messages(watch, limit_bytes=limit_bytes)
    try:
        ExecutePreprocessor(kernel_name="python3", timeout=120, allow_errors=True).preprocess(notebook, {})
    finally:
        restore()
    return notebook, watch


def test_message_bytes_counts_text_keys_buffers_and_containers():
    assert message_bytes({"data": {"text/plain": "abc"}}) == len("data") + len("text/plain") + 3 + 2 * CONTAINER_BYTES
    assert message_bytes([b"12345", ["ab", {"c": "d"}]]) == 5 + 2 + 1 + 1 + 3 * CONTAINER_BYTES
    assert message_bytes({"n": 1}) == 1 + 8 + CONTAINER_BYTES


def test_empty_containers_count_as_what_python_takes_for_them():
    # 0 bytes each until 2026-12-08: 16 million of them grew otter's process by 1.6 GiB
    assert message_bytes({"data": {"application/json": [[]] * 1000}}) >= 1000 * CONTAINER_BYTES


CONTAINERS = """
from IPython import get_ipython
for _ in range(4):
    get_ipython().display_pub.publish(data={"application/json": [[]] * 20_000, "text/plain": ""})
get_ipython().display_pub.publish(data={"application/json": [{}] * 2_100_000, "text/plain": ""})
"""


def test_a_kernel_that_publishes_empty_containers_is_cut_too():
    notebook, watch = run_bounded(CONTAINERS, 2**21)
    kept = [o for o in notebook.cells[0].outputs if o.output_type == "display_data"]
    # 20,000 empty lists count 1.3 MB: the second display passes the 2 MiB limit; the last
    # (4.2 million values, 8 MB of JSON) is counted as its bytes and dropped undecoded
    assert len(kept) == 1 and kept[0].data["application/json"][:1] == [[]]
    assert watch.dropped >= 4 and watch.message_bytes > 2**21
    assert notebook.cells[1].execution_count is not None


@pytest.fixture(scope="module")
def flooded() -> tuple[nbformat.NotebookNode, KernelWatch]:
    return run_bounded(FLOOD, 2**19)


def test_a_kernel_that_publishes_past_the_limit_is_cut_in_the_graders_process(flooded):
    notebook, watch = flooded
    kept = [o for o in notebook.cells[0].outputs if o.output_type == "display_data"]
    assert len(kept) == 1  # 256 KiB each: the second passes the 512 KiB limit
    assert watch.dropped >= 7
    assert message_bytes(notebook.cells[0].outputs) < 2**19
    # the error past the limit keeps what the feedback reads of it, cut
    error = [o for o in notebook.cells[0].outputs if o.output_type == "error"]
    assert error and error[0].ename == "ValueError" and len(error[0].evalue) < 1000
    # the run goes on: the next cell ran and its status reached the executor
    assert notebook.cells[1].execution_count is not None


def test_the_feedback_says_the_output_was_cut(flooded):
    notebook, watch = flooded
    problems = execution_problems(notebook, script=True, unparsable=set(), watch=watch)
    assert problems[0].startswith("the kernel sent more than")
    assert "dropped the rest" in problems[0]


def test_the_executor_gets_its_own_handling_back():
    from jupyter_client.session import Session
    from nbconvert.preprocessors import ExecutePreprocessor

    before = ExecutePreprocessor.process_message, Session.deserialize
    bound_kernel_messages(KernelWatch(), limit_bytes=1)()
    assert (ExecutePreprocessor.process_message, Session.deserialize) == before
