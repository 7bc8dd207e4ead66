"""The grading core on a tiny toy assignment (tests/toy): fast, no TensorFlow, no otter.

The judge decides and diagnoses from its spec, the kernel side runs calls in forked children with
limits, answers travel as data, and the trust boundary shows in the imports.
"""

from __future__ import annotations

import ast
import io
import subprocess
from pathlib import Path

import numpy as np
import pytest

from gradecore import kernel, wire
from gradecore.compare import Answer
from gradecore.encode import encode_value
from gradecore.judge import Judge
from tests.toy.grader import SPEC

CORE = Path(__file__).resolve().parents[1] / "autograder" / "gradecore"


@pytest.fixture
def judge() -> Judge:
    return Judge(SPEC, seed=7)


def _grade(judge: Judge, question: str, function, session: str = "s") -> dict:
    reply = judge.handle({"op": "calls", "question": question, "session": session})
    outcomes = kernel.outcomes_with(function, reply)
    return judge.handle({"op": "judge", "question": question, "outcomes": outcomes, "session": session})


def test_correct_answers_pass_and_every_check_is_counted(judge):
    assert _grade(judge, "scale", lambda X, w: X * w) == {
        "question": "scale", "passed": True, "message": "scale: all 3 checks passed."
    }
    assert _grade(judge, "count", lambda n: 2 * n + 1)["passed"]


def test_a_catalogued_mistake_fails_and_is_named_with_its_fix(judge):
    verdict = _grade(judge, "scale", lambda X, w: w * X + 1.0)
    assert not verdict["passed"]
    assert "3 of 3 checks failed" in verdict["message"]
    assert "Likely mistake: one is added to every value. Fix: return X * w, nothing more." in verdict["message"]
    assert "(hidden checks seed 7)" in verdict["message"]


def test_shapes_are_reported_first_and_a_transpose_is_named(judge):
    verdict = _grade(judge, "scale", lambda X, w: np.transpose(X * w))
    first = verdict["message"].splitlines()[1]
    assert "should have shape (2, 3), got shape (3, 2)" in first
    assert "the result is transposed" in verdict["message"]


def test_an_unknown_mistake_gets_no_guess(judge):
    verdict = _grade(judge, "scale", lambda X, w: X * w * 3)
    assert not verdict["passed"] and "Likely mistake" not in verdict["message"]
    assert "its values differ from X * w" in verdict["message"]


def test_stubs_exceptions_and_missing_functions(judge):
    def stub(n):
        raise NotImplementedError

    assert _grade(judge, "count", stub)["message"] == "count is not implemented yet (it raises NotImplementedError)."
    assert "raised ZeroDivisionError" in _grade(judge, "count", lambda n: 1 // 0)["message"]
    assert _grade(judge, "count", None)["message"] == "count is not defined in the submission."


def test_an_endless_loop_costs_its_own_question_only(judge, monkeypatch):
    monkeypatch.setattr(kernel, "TIME_LIMIT_S", 0.5)

    def endless(n):
        while True:
            pass

    verdict = _grade(judge, "count", endless)
    assert "did not return within 0.5 seconds" in verdict["message"]
    assert _grade(judge, "scale", lambda X, w: X * w)["passed"]


def test_sessions_keep_their_own_verdicts(judge):
    _grade(judge, "count", lambda n: 2 * n + 1, session="a")
    _grade(judge, "count", lambda n: 2 * n, session="b")
    assert judge.handle({"op": "verdicts", "session": "a"})["count"]["passed"] is True
    assert judge.handle({"op": "verdicts", "session": "b"})["count"]["passed"] is False
    assert judge.handle({"op": "calls", "question": "nope", "session": "a"}) == {"error": "unknown question 'nope'"}


def test_the_calls_name_numpy_only_questions(judge):
    assert judge.handle({"op": "calls", "question": "scale"})["numpy_only"] is True
    assert judge.handle({"op": "calls", "question": "count"})["numpy_only"] is False


def test_dict_answers_travel_as_data_and_compare_by_key():
    value = {"i": (np.ones((2, 3)), np.zeros(3)), "f": 1.5}
    buf = io.BytesIO()
    wire.send(buf, encode_value(value))
    answer = Answer.decode(wire.recv(io.BytesIO(buf.getvalue())))
    assert answer.kind == "dict" and set(answer.value) == {"i", "f"}
    assert answer.value["i"].value[0].value.shape == (2, 3)
    # keys that could pose as the wire's own markers are refused, not decoded
    assert encode_value({"__ndarray__": 0})["kind"] == "other"


def _imports(module: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.ImportFrom):
            names.add(("." * node.level) + (node.module or ""))
            names.update("." * node.level + alias.name for alias in node.names if node.level and not node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


JUDGE_SIDE = ("judge", "diagnosis", "structure", "spec", "compare")
KERNEL_SIDE = ("kernel",)


def test_the_trust_boundary_shows_in_the_imports():
    """The judge side imports nothing that runs student code; the kernel side nothing of the judge's."""
    for name in JUDGE_SIDE:
        imported = _imports(CORE / f"{name}.py")
        assert not any(i.endswith("kernel") or i.endswith("plugin") for i in imported), (name, imported)
    for name in KERNEL_SIDE:
        imported = _imports(CORE / f"{name}.py")
        assert not any(i.split(".")[-1] in JUDGE_SIDE for i in imported), (name, imported)


def test_the_core_names_no_assignment():
    found = subprocess.run(
        ["git", "grep", "-nE", "rnn_shapes|SimpleRNN|simple_rnn|manual_forward|batched_forward", "--", "autograder/"],
        cwd=CORE.parents[1], capture_output=True, text=True,
    )
    assert found.stdout == "", found.stdout


def test_structure_says_what_an_uncatalogued_mistake_shows():
    """No entry matches: the judge says what the answers show, in the question's letters, no values."""
    from dataclasses import replace

    from gradecore.diagnosis import judge as decide
    from gradecore.structure import describe

    checks = SPEC.build_checks(7)
    scale = replace(SPEC.question("scale"), axes="NK")
    offset = [Answer.decode(encode_value(c.local_args[0] * c.local_args[1] + np.arange(c.expected.shape[1]))) for c in checks["scale"]]
    assert describe(scale, checks["scale"], offset).id == "constant_offset"
    flipped = [Answer.decode(encode_value((c.local_args[0] * c.local_args[1]).T.copy())) for c in checks["scale"]]
    assert describe(scale, checks["scale"], flipped).id == "axes_order"
    count = replace(SPEC.question("count"), sizes="n")
    answers = [Answer.decode(encode_value(3 * c.local_args[0] + 1)) for c in checks["count"]]
    assert describe(count, checks["count"], answers).text.startswith("the count is n too many")
    message = decide(replace(SPEC, questions=(scale, count)), "scale", checks["scale"],
                     [{"status": "returned", "value": encode_value(a.value)} for a in offset], 7).message
    assert "What the hidden checks show: off by the same vector for every" in message
    for check in checks["scale"]:
        assert f"{np.ravel(check.expected)[0]:.4f}" not in message


def test_structure_names_randomness_a_constant_count_and_each_part_of_a_tuple():
    """A check asked again that gets another answer, a count blind to the sizes, a tuple's parts one by one."""
    from dataclasses import replace

    from gradecore.diagnosis import judge as decide
    from gradecore.spec import asked_again
    from gradecore.structure import describe

    checks = SPEC.build_checks(7)
    scale = asked_again(checks["scale"])
    assert scale[-1].repeats == 0 and scale[-1].args is scale[0].args and scale[-1].label.endswith(", asked again")
    # the calls run one after the other in one forked child: its random draws differ between them
    reply = {"calls": [c.args for c in scale], "numpy_only": True}
    correct = kernel.outcomes_with(lambda X, w: X * w, reply)
    assert decide(SPEC, "scale", scale, correct, 7).passed
    noisy = kernel.outcomes_with(lambda X, w: X * w + np.random.standard_normal(X.shape), reply)
    message = decide(SPEC, "scale", scale, noisy, 7).message
    assert "What the hidden checks show: it gives a different answer when it is called again with the same input" in message
    # a deterministic wrong answer is not called random
    shifted = [Answer.decode(encode_value(c.local_args[0] * c.local_args[1] * 3)) for c in scale]
    assert describe(SPEC.question("scale"), scale, shifted) is None

    count = replace(SPEC.question("count"), sizes="n")
    constant = [Answer.decode(encode_value(57)) for _ in checks["count"]]
    assert describe(count, checks["count"], constant).id == "count_constant"

    pair = replace(SPEC.question("scale"), axes="NK", parts=("a", "b"))
    pairs = [replace(c, expected=(c.expected, c.expected)) for c in checks["scale"]]
    answers = [Answer.decode(encode_value((c.expected, c.expected + np.arange(c.expected.shape[1])))) for c in checks["scale"]]
    found = describe(pair, pairs, answers)
    assert found.id == "constant_offset" and found.text.startswith("b: off by the same vector") and found.text.endswith("a is right")


def test_structure_names_a_count_that_counts_a_part_at_every_step():
    """Off by (T − 1) times a formula without T: a part counted once per time step instead of once."""
    from dataclasses import replace

    from gradecore.spec import Check
    from gradecore.structure import describe

    def truth(T, M, K):
        return M * M + M * K + K

    sizes = [(T, M, K) for T, M, K in [(3, 4, 2), (10, 4, 2), (5, 6, 3), (12, 6, 3), (2, 7, 5)]]
    checks = [Check("count", f"T={T}", [T, M, K], truth(T, M, K), [T, M, K]) for T, M, K in sizes]
    count = replace(SPEC.question("count"), sizes="TMK")
    per_step = [Answer.decode(encode_value(M * M + T * (M * K + K))) for T, M, K in sizes]
    found = describe(count, checks, per_step)
    assert found.id == "count_with_T"
    assert found.text == "the count changes with T: it is off by (T − 1)·(K + M·K), as if K + M·K were counted once per time step instead of once"
    # a difference that is no whole multiple of T − 1 is not said to be one
    odd = [Answer.decode(encode_value(truth(T, M, K) + T * M * K + 1)) for T, M, K in sizes]
    assert describe(count, checks, odd) is None
