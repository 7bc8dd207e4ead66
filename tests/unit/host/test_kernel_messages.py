"""otter's process keeps at most a bounded amount of what the kernel sends, however it sends it.

The kernel caps what the submission prints, but the kernel is the submission's: a real kernel that
publishes displays on its output channel directly reaches nbclient in the grader's process, which
kept them all (tests/attacks/rnn_shapes/kernel_output_flood.py grew ``otter run`` by 2 GB).
"""

from __future__ import annotations

import nbformat
import pytest

from gradecore.host.execution import KernelWatch, bound_kernel_messages, execution_problems, message_bytes

FLOOD = """
from IPython import get_ipython
for _ in range(8):
    get_ipython().display_pub.publish(data={"text/plain": "x" * (1 << 18)})
raise ValueError("y" * 100_000)
"""


def test_message_bytes_counts_text_keys_and_buffers():
    assert message_bytes({"data": {"text/plain": "abc"}}) == len("data") + len("text/plain") + 3
    assert message_bytes([b"12345", ["ab", {"c": "d"}]]) == 5 + 2 + 1 + 1
    assert message_bytes({"n": 1}) == 1 + 8


@pytest.fixture(scope="module")
def flooded() -> tuple[nbformat.NotebookNode, KernelWatch]:
    from nbconvert.preprocessors import ExecutePreprocessor

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOD), nbformat.v4.new_code_cell("1 + 1")])
    watch = KernelWatch()
    restore = bound_kernel_messages(watch, limit_bytes=2**19)
    try:
        ExecutePreprocessor(kernel_name="python3", timeout=60, allow_errors=True).preprocess(notebook, {})
    finally:
        restore()
    return notebook, watch


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
    from nbconvert.preprocessors import ExecutePreprocessor

    before = ExecutePreprocessor.process_message
    bound_kernel_messages(KernelWatch(), limit_bytes=1)()
    assert ExecutePreprocessor.process_message is before
