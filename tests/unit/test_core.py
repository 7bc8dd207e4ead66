"""The grading core on a tiny toy assignment (tests/toy): fast, no TensorFlow, no otter.

The judge decides and diagnoses from its spec, the kernel side runs calls in forked children with
limits, and answers travel as data. Which side may import which: tests/unit/test_sides.py.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gradecore.judge.service import JudgeService
from gradecore.kernel import calls as kernel
from gradecore.protocol import wire
from gradecore.public.compare import Answer
from gradecore.public.encode import encode_value
from tests.toy.grader import SPEC
from tests.unit.test_sides import SIDES

CORE = Path(__file__).resolve().parents[2] / "autograder" / "gradecore"


@pytest.fixture
def judge() -> JudgeService:
    return JudgeService(SPEC, seed=7)


def _grade(judge: JudgeService, question: str, function, session: str = "s") -> dict:
    reply = judge.handle({"op": "calls", "question": question, "session": session})
    outcomes = kernel.outcomes_with(function, reply)
    return judge.handle({"op": "judge", "question": question, "outcomes": outcomes, "session": session})


def test_correct_answers_pass_and_every_check_is_counted(judge):
    assert _grade(judge, "scale", lambda X, w: X * w) == {
        "question": "scale", "passed": True, "message": "scale: all 3 checks passed.", "mistake": None, "finding": None
    }
    assert _grade(judge, "count", lambda n: 2 * n + 1)["passed"]


def test_a_catalogued_mistake_fails_and_is_named_with_its_fix(judge):
    verdict = _grade(judge, "scale", lambda X, w: w * X + 1.0)
    assert not verdict["passed"]
    assert "3 of 3 checks failed" in verdict["message"]
    assert "Likely mistake: one is added to every value. Fix: return X * w, nothing more." in verdict["message"]
    # the same as data, for the batch's rows and reports: the message's last line names it
    assert verdict["mistake"] == {"title": "one is added to every value", "fix": "return X * w, nothing more"}
    assert verdict["message"].splitlines()[-1].startswith("Likely mistake: ") and verdict["finding"] is None
    assert "seed" not in verdict["message"], "the hidden checks' seed is secret"


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
    from gradecore.protocol import limits

    monkeypatch.setattr(kernel, "TIME_LIMIT_S", 0.5)
    monkeypatch.setattr(limits, "TIME_LIMIT_S", 0.5)

    def endless(n):
        while True:
            pass

    verdict = _grade(judge, "count", endless)
    assert "did not return within 0.5 seconds" in verdict["message"]
    assert _grade(judge, "scale", lambda X, w: X * w)["passed"]


def test_a_call_is_limited_by_its_cpu_time_and_half_as_long_again_on_the_clock(monkeypatch):
    """A call's limit counts its process's CPU time, which a loaded machine (a neighbour that spins
    on every core) does not advance: one that waits, using no CPU, runs on past the limit, up to
    one and a half times it on the clock, where a function that waits forever is stopped."""
    import time

    from gradecore.protocol import limits

    monkeypatch.setattr(kernel, "TIME_LIMIT_S", 1.0)
    assert limits.CALL_WALL_FACTOR == 1.5

    def waits(seconds):
        time.sleep(seconds)
        return 1

    begun = time.monotonic()
    assert kernel.run_calls(waits, [[1.1]], guard=False)[0]["status"] == "returned"
    assert kernel.run_calls(waits, [[60]], guard=False)[0]["status"] == "timeout"
    assert 2.5 < time.monotonic() - begun < 8


def test_sessions_keep_their_own_verdicts(judge):
    _grade(judge, "count", lambda n: 2 * n + 1, session="a")
    _grade(judge, "count", lambda n: 2 * n, session="b")
    assert judge.handle({"op": "verdicts", "session": "a"})["count"]["passed"] is True
    assert judge.handle({"op": "verdicts", "session": "b"})["count"]["passed"] is False
    assert judge.handle({"op": "calls", "question": "nope", "session": "a"}) == {"error": "unknown question 'nope'"}


def test_the_calls_name_numpy_only_questions(judge):
    assert judge.handle({"op": "calls", "question": "scale"})["numpy_only"] is True
    assert judge.handle({"op": "calls", "question": "count"})["numpy_only"] is False


def test_each_call_gets_its_own_arrays_and_a_question_may_ask_that_they_stay_unchanged(judge):
    """A call's arrays are its own, inside lists too (two calls handed one list do not share it);
    a question with ``keeps_arguments`` fails a call that changed an array it was given."""
    from dataclasses import replace

    shared = [np.ones(3)]

    def adds_one(grads):
        grads[0] += 1
        return float(grads[0].sum())

    reply = {"calls": [[shared], [shared]], "numpy_only": True}
    assert [o["value"]["value"] for o in kernel.outcomes_with(adds_one, reply)] == [6.0, 6.0]
    assert [o["status"] for o in kernel.outcomes_with(adds_one, dict(reply, keeps_arguments=True))] == ["changed_arguments"] * 2
    emptied = kernel.outcomes_with(lambda grads: grads.clear(), dict(reply, keeps_arguments=True))
    assert [o["status"] for o in emptied] == ["changed_arguments"] * 2

    def in_place(X, w):
        X *= w
        return X

    assert judge.handle({"op": "calls", "question": "scale"})["keeps_arguments"] is False
    assert _grade(judge, "scale", in_place)["passed"]
    keeping = replace(SPEC, questions=tuple(replace(q, keeps_arguments=q.name == "scale") for q in SPEC.questions))
    strict = JudgeService(keeping, seed=7)
    verdict = _grade(strict, "scale", in_place)
    assert not verdict["passed"]
    assert "scale changed the arrays it was given (in place): leave them as they are and return new arrays" in verdict["message"]
    assert _grade(strict, "scale", lambda X, w: X * w)["passed"]


def test_dict_answers_travel_as_data_and_compare_by_key():
    value = {"i": (np.ones((2, 3)), np.zeros(3)), "f": 1.5}
    buf = io.BytesIO()
    wire.send(buf, encode_value(value))
    answer = Answer.decode(wire.recv(io.BytesIO(buf.getvalue())))
    assert answer.kind == "dict" and set(answer.value) == {"i", "f"}
    assert answer.value["i"].value[0].value.shape == (2, 3)
    # keys that could pose as the wire's own markers are refused, not decoded
    assert encode_value({"__ndarray__": 0})["kind"] == "other"


def test_exception_messages_reach_the_feedback_only_as_numpy_and_python_write_them():
    """A graded call could raise a message of its own making that carries the hidden inputs out:
    the feedback repeats a message only where it is one of NumPy's or Python's, with the case's
    sizes for numbers and the submission's own names."""
    from gradecore.judge.diagnosis import shown_exception

    sizes = {"N": 2, "T": 3, "D": 4, "M": 5}
    assert shown_exception("ValueError: operands could not be broadcast together with shapes (2,5) (4,) ", sizes) \
        .startswith("ValueError: operands could not be broadcast together with shapes (2,5) (4,)")
    assert shown_exception("NameError: name 'np' is not defined", sizes) == "NameError: name 'np' is not defined"
    assert shown_exception("NameError: name 'Wxx' is not defined", sizes, frozenset({"Wxx"})).endswith("'Wxx' is not defined")
    for leak in ("ValueError: 0.4117 -1.0334 0.2283", "NameError: name 'x0p4117' is not defined",
                 "IndexError: index 41172 is out of bounds for axis 0 with size 3", "RuntimeError: 0.41"):
        shown = shown_exception(leak, sizes)
        assert "41" not in shown and "not repeated" in shown, leak
    assert shown_exception("Bad type name!: x", sizes).startswith("an exception of a class of its own")
    # a class made at run time with values in its name, or a sequence of the submission's own names
    assert "0p41" not in shown_exception("leak_0p4117: boom", sizes)
    spelled = "f() missing 2 required positional arguments: 'a' and 'p'"
    assert "not repeated" in shown_exception(f"TypeError: {spelled}", sizes, frozenset({"a", "p", "f"}))


def test_the_feedback_repeats_no_number_or_type_name_the_submission_chose(judge):
    """Counts, shapes, lengths and type names of an answer are the submission's to choose: a verdict
    repeats only the numbers the grader chose (the case's sizes and their products, counts of
    checks) and Python's and NumPy's type names."""
    leaky = type("x0_41172_0_99871", (), {"__module__": "leak_1_0334"})
    for function in (lambda n: 123456789, lambda n: leaky()):
        message = _grade(judge, "count", function)["message"]
        assert "123456789" not in message and "41172" not in message and "1_0334" not in message, message
    message = _grade(judge, "scale", lambda X, w: np.zeros((0, 41172, 99871)))["message"]
    assert "41172" not in message and "99871" not in message and "…" in message, message
    assert "should have shape (2, 3)" in message, "the grader's own sizes stay"


def test_no_module_of_the_judge_reaches_students_or_the_sandbox():
    """Students get the modules of ``public/`` and nothing else (the notebook's bundle); the
    sandbox's copy of the core, which student code can read, holds neither ``judge/`` nor ``cli/``."""
    import io
    import zipfile

    from gradecore.cli.build import PUBLIC_PACKAGE, public_bundle
    from gradecore.host import grading_sandbox

    shipped = sorted(zipfile.ZipFile(io.BytesIO(public_bundle())).namelist())
    assert shipped == sorted(f"{PUBLIC_PACKAGE}/{p.name}" for p in (CORE / "public").glob("*.py"))
    box = grading_sandbox.Sandbox(prefix="gradecore-test-")
    try:
        copy = Path(box.lib) / CORE.name
        copied = sorted(p.name for p in copy.iterdir() if p.is_dir() and p.name != "__pycache__")
        compiled = list(copy.rglob("*.pyc"))
        orphans = [str(p) for p in compiled if not (p.parent.parent / (p.name.split(".")[0] + ".py")).exists()]
    finally:
        box.remove()
    assert copied == sorted(set(SIDES) - {"judge", "cli"}), copied
    assert orphans == [], "a compiled file in the copy is of a module it copied, nothing else"


def test_the_sandbox_side_imports_no_psutil():
    """What runs in the sandbox (the kernel's side, the sealed run) reads its own memory from /proc
    and nothing else there; psutil, with the process trees, is the host's (``procs``)."""
    script = ("import sys; sys.path.insert(0, sys.argv[1])\n"
              "import gradecore.kernel.calls, gradecore.kernel.memory, gradecore.sandbox.sealed, gradecore.sandbox.confine\n"
              "gradecore.kernel.memory.address_space()\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] in ('psutil', 'rich')))")
    done = subprocess.run([sys.executable, "-I", "-c", script, str(CORE.parent)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "[]", done.stdout + done.stderr[-2000:]


def test_the_core_names_no_assignment():
    """No file of the core, tracked or not, names an assignment, its layer or its functions."""
    import re

    assignments = sorted(p.parent.name for p in (CORE.parents[1] / "assignments").glob("*/grader"))
    assert assignments, "no assignment found beside the core"
    named = re.compile("|".join([*assignments, "SimpleRNN", "simple_rnn", "manual_forward", "batched_forward"]))
    found = [f"{path.relative_to(CORE)}:{n}: {line.strip()}"
             for path in sorted(CORE.rglob("*")) if path.is_file() and "__pycache__" not in path.parts
             for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1) if named.search(line)]
    assert found == [], "\n".join(found)


def test_structure_says_what_an_uncatalogued_mistake_shows():
    """No entry matches: the judge says what the answers show, in the question's letters, no values."""
    from dataclasses import replace

    from gradecore.judge.diagnosis import decide
    from gradecore.public.structure import describe

    checks = SPEC.build_checks(7)
    scale = replace(SPEC.question("scale"), axes="NK")
    offset = [Answer.decode(encode_value(c.local_args[0] * c.local_args[1] + np.arange(c.expected.shape[1]))) for c in checks["scale"]]
    assert describe(scale, checks["scale"], offset).id == "constant_offset"
    flipped = [Answer.decode(encode_value((c.local_args[0] * c.local_args[1]).T.copy())) for c in checks["scale"]]
    assert describe(scale, checks["scale"], flipped).id == "axes_order"
    zeros = [Answer.decode(encode_value(np.zeros_like(c.expected))) for c in checks["scale"]]
    assert describe(scale, checks["scale"], zeros).id == "all_zero", "an answer of zeros is not 'off by a factor'"
    halved = [Answer.decode(encode_value(c.local_args[0] * c.local_args[1] / 2)) for c in checks["scale"]]
    assert describe(scale, checks["scale"], halved).id == "scaled"
    negated = [Answer.decode(encode_value(-c.local_args[0] * c.local_args[1])) for c in checks["scale"]]
    found = describe(scale, checks["scale"], negated)
    assert found.id == "negated" and "every sign is flipped" in found.text, "a factor of -1 has words of its own"
    count = replace(SPEC.question("count"), sizes="n")
    answers = [Answer.decode(encode_value(3 * c.local_args[0] + 1)) for c in checks["count"]]
    assert describe(count, checks["count"], answers).text.startswith("the count is n too many")
    message = decide(replace(SPEC, questions=(scale, count)), "scale", checks["scale"],
                     [{"status": "returned", "value": encode_value(a.value)} for a in offset], 7).message
    assert "What the hidden checks show: off by the same vector for every" in message
    finding = decide(replace(SPEC, questions=(scale, count)), "scale", checks["scale"],
                     [{"status": "returned", "value": encode_value(a.value)} for a in offset], 7).finding
    assert message.splitlines()[-1] == f"What the hidden checks show: {finding}" and finding.endswith("shape?")
    for check in checks["scale"]:
        assert f"{np.ravel(check.expected)[0]:.4f}" not in message


def test_structure_names_randomness_a_constant_count_and_each_part_of_a_tuple():
    """A check asked again that gets another answer, a count blind to the sizes, a tuple's parts one by one."""
    from dataclasses import replace

    from gradecore.judge.diagnosis import decide
    from gradecore.public.spec import asked_again
    from gradecore.public.structure import describe

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

    # parts that show the same thing are named together; without axis letters, a transpose is named as such
    three = replace(SPEC.question("scale"), axes="", parts=("a", "b", "c"))
    triples = [replace(c, expected=(c.expected, c.expected, c.expected)) for c in checks["scale"]]
    answers = [Answer.decode(encode_value((2 * c.expected, 2 * c.expected, c.expected.T))) for c in checks["scale"]]
    found = describe(three, triples, answers)
    assert found.text.startswith("a and b: proportional to the expected answer: off by a constant factor"), found.text
    assert found.text.endswith("c: right values, wrong order of axes: it is transposed (its axes should be the other way round)")
    answers = [Answer.decode(encode_value((2 * c.expected, c.expected, c.expected))) for c in checks["scale"]]
    assert describe(three, triples, answers).text.endswith("; b and c are right")


def test_structure_names_a_count_that_counts_a_part_at_every_step():
    """Off by (T − 1) times a formula without T: a part counted once per time step instead of once."""
    from dataclasses import replace

    from gradecore.public.spec import Check
    from gradecore.public.structure import describe

    def truth(T, M, K):
        return M * M + M * K + K

    sizes = [(T, M, K) for T, M, K in [(3, 4, 2), (10, 4, 2), (5, 6, 3), (12, 6, 3), (2, 7, 5)]]
    checks = [Check("count", f"T={T}", [T, M, K], truth(T, M, K), [T, M, K]) for T, M, K in sizes]
    count = replace(SPEC.question("count"), sizes="TMK")
    per_step = [Answer.decode(encode_value(M * M + T * (M * K + K))) for T, M, K in sizes]
    found = describe(count, checks, per_step)
    assert found.id == "count_with_T"
    assert found.text == "the count changes with T: it is off by (T − 1)·(K + M·K), as if K + M·K were counted once per time step instead of once"
    # a difference that is no whole multiple of T − 1 is not said to be one; that the count
    # changes with T is still seen, from two checks that differ in T alone
    odd = [Answer.decode(encode_value(truth(T, M, K) + T * M * K + 1)) for T, M, K in sizes]
    found = describe(count, checks, odd)
    assert found.id == "count_with_T" and "(T − 1)" not in found.text, found
    assert "the same M, K at two sequence lengths give two counts" in found.text
    # a count that is wrong but the same at every T is not said to change with T
    constant_error = [Answer.decode(encode_value(truth(T, M, K) + M * M * K + 3 * K + 1)) for T, M, K in sizes]
    found = describe(count, checks, constant_error)
    assert found is None or found.id != "count_with_T", found


def _answers(values) -> list[Answer]:
    return [Answer.decode(encode_value(v)) for v in values]


def test_structure_sees_right_values_in_another_layout_or_one_sample_only():
    """Exactly the expected values, moved between axes or flattened; one sample's answer for the whole batch."""
    from dataclasses import replace

    from gradecore.public.structure import describe

    checks = SPEC.build_checks(7)["scale"]
    scale = replace(SPEC.question("scale"), axes="NK")
    flat = describe(scale, checks, _answers(c.expected.ravel() for c in checks))
    assert flat.id == "values_rearranged" and "as (N·K,) instead of (N, K)" in flat.text
    # a reshape to the other order of the axes moves the values without transposing them
    moved = describe(scale, checks, _answers(c.expected.reshape(c.expected.shape[::-1]).T.copy() for c in checks))
    assert moved.id == "values_rearranged" and "the expected shape (N, K)" in moved.text
    assert describe(scale, checks, _answers(c.expected[-1] for c in checks)).id == "one_sample_only"
    # returned inside the loop over samples: the first sample's answer, its axis of size 1 kept
    assert describe(scale, checks, _answers(c.expected[:1] for c in checks)).id == "one_sample_only"
    # other values, in a new layout, are not said to be the right ones
    assert describe(scale, checks, _answers(2 * c.expected.ravel() for c in checks)) is None


def _list_question(name: str):
    from gradecore.public.spec import Question

    def problem_with(answer, expected):
        from gradecore.public.compare import _equal

        return None if _equal(answer, expected) else f"{name} is not right."

    return Question(name, 1, name, problem_with)


def test_structure_sees_items_reordered_extra_or_missing_and_shapes_in_letters():
    """A list answer: the right items in another order, one item too many or too few, each wrong shape in letters."""
    from gradecore.public.spec import Check
    from gradecore.public.structure import describe

    sizes = [(3, 5, 2), (4, 7, 6), (5, 5, 2), (2, 8, 3)]

    def truth(D, M, K):
        return [(D, M), (M, M), (M,), (M, K), (K,)]

    checks = [Check("shapes", f"D={D}", [D, M, K], truth(D, M, K), [D, M, K], sizes={"D": D, "M": M, "K": K})
              for D, M, K in sizes]
    shapes = _list_question("shapes")
    swapped = describe(shapes, checks, _answers([(D, M), (M,), (M, M), (M, K), (K,)] for D, M, K in sizes))
    assert (swapped.id, swapped.text) == ("items_reordered", "the right items in the wrong order: item 1 and item 2 are swapped")
    two_biases = describe(shapes, checks, _answers(truth(D, M, K)[:3] + [(M,)] + truth(D, M, K)[3:] for D, M, K in sizes))
    assert (two_biases.id, two_biases.text) == ("item_extra", "one item too many: without item 2 the answer would be right")
    extra = describe(shapes, checks, _answers(truth(D, M, K)[:3] + [(K, M)] + truth(D, M, K)[3:] for D, M, K in sizes))
    assert extra.text == "one item too many: without item 3 the answer would be right"
    missing = describe(shapes, checks, _answers(truth(D, M, K)[:2] + truth(D, M, K)[3:] for D, M, K in sizes))
    assert missing.id == "item_missing" and missing.text.endswith("not the expected item 2")
    wrong = describe(shapes, checks, _answers([(D, M), (D, M), M, (M, K), (K,)] for D, M, K in sizes))
    assert wrong.id == "shape_items"
    assert wrong.text == ("item 1 is (D, M); item 2 is the number M, not a tuple such as (M,) on every check that fails, "
                          "and the other items are right")
    # the same permutation inside every value of a dict
    gates = _list_question("gates")
    dict_checks = [Check("gates", "g", [], {"i": (np.full(2, k), np.full(3, k)), "f": (np.ones(2) * k, np.zeros(3))}, [])
                   for k in (1.0, 2.0)]
    flipped = describe(gates, dict_checks, _answers({g: w[::-1] for g, w in c.expected.items()} for c in dict_checks))
    assert flipped.id == "inner_reordered" and "item 0 and item 1 are swapped inside each of the values" in flipped.text
    # not said where a value is right, or where a key's value is missing
    one_flipped = [{"i": c.expected["i"][::-1], "f": c.expected["f"]} for c in dict_checks]
    assert describe(gates, dict_checks, _answers(one_flipped)) is None


def test_structure_sees_that_only_the_checks_with_equal_sizes_pass():
    """Right exactly where D = M: a size taken from the wrong axis; wrong exactly where a size is 1."""
    from gradecore.public.spec import Check
    from gradecore.public.structure import describe

    sizes = [(3, 5, 2), (4, 7, 6), (5, 5, 2), (1, 1, 1), (2, 8, 3)]
    counts = [Check("count", "s", [D, M, K], D * M + M * K, [D, M, K], sizes={"D": D, "M": M, "K": K}) for D, M, K in sizes]
    found = describe(SPEC.question("count"), counts, _answers(D * D + M * K for D, M, K in sizes))
    assert found.id == "right_where_sizes_equal" and found.text.startswith("right only on the checks where D = M")
    checks = [Check("shapes", "s", [D, M, K], [(D, M), (M, K)], [D, M, K], sizes={"D": D, "M": M, "K": K}) for D, M, K in sizes]
    shapes = _list_question("shapes")
    squeezed = describe(shapes, checks, _answers([(D, M), (M, K)] if 1 not in (D, M, K) else [(D,), (K,)] for D, M, K in sizes))
    assert squeezed is None  # D = 1, M = 1 and K = 1 on the same check: which one is ambiguous, so nothing is said
    one_K = [Check("shapes", "s", [D, M, K], [(D, M), (M, K)], [D, M, K], sizes={"D": D, "M": M, "K": K})
             for D, M, K in [(3, 5, 2), (4, 7, 1), (5, 6, 2)]]
    found = describe(shapes, one_K, _answers([(D, M), (M, K)] if K != 1 else [(D, M), (M,)] for D, M, K in [(3, 5, 2), (4, 7, 1), (5, 6, 2)]))
    assert found.id == "wrong_where_size_one" and found.text.startswith("wrong only on the checks where K = 1")


def test_structure_names_a_float_size_and_not_conditions_the_checks_cannot_tell_apart():
    """Every call raising that a float is an index; the checks that pass are those of two conditions at once."""
    from gradecore.judge.diagnosis import raised
    from gradecore.public.spec import Check
    from gradecore.public.structure import describe

    count = SPEC.question("count")
    checks = SPEC.build_checks(7)["count"]
    floats = [raised("TypeError: slice indices must be integers or None or have an __index__ method") for _ in checks]
    assert describe(count, checks, floats).id == "size_not_int"
    other = [raised("TypeError: unsupported operand type(s) for +: 'int' and 'str'") for _ in checks]
    assert describe(count, checks, other) is None
    # a call that ran out of time gave no message: "every call" is not said
    assert describe(count, checks, floats[:-1] + [None]) is None

    sizes = [(3, 5, 2), (1, 4, 1), (5, 6, 2), (2, 7, 2)]
    counts = [Check("count", "s", [T, M, K], M * K, [T, M, K], sizes={"T": T, "M": M, "K": K}) for T, M, K in sizes]
    # right only where T = 1, which on these checks are also those where K = 1: the checks cannot tell
    # which, and naming both would send the student after a size that is not wrong, so nothing is said
    assert describe(SPEC.question("count"), counts, _answers(T * M * K for T, M, K in sizes)) is None
    # the same answer on checks where only T = 1 holds is named
    sizes = [(3, 5, 2), (1, 4, 2), (5, 6, 2), (2, 7, 3)]
    counts = [Check("count", "s", [T, M, K], M * K, [T, M, K], sizes={"T": T, "M": M, "K": K}) for T, M, K in sizes]
    found = describe(SPEC.question("count"), counts, _answers(T * M * K for T, M, K in sizes))
    assert found.id == "right_where_size_one" and "where T = 1" in found.text, found


def test_an_answer_no_diagnosis_foresaw_costs_the_naming_line_not_the_verdict():
    """A count of 10**400 overflows a float in the catalogue's comparison: the verdict and its message stand."""
    from gradecore.judge.diagnosis import decide

    checks = SPEC.build_checks(7)["count"]
    huge = [{"status": "returned", "value": encode_value(10**400)} for _ in checks]
    verdict = decide(SPEC, "count", checks, huge, 7)
    assert not verdict.passed
    assert verdict.message.startswith(f"count: {len(checks)} of {len(checks)} checks failed.")
    assert "Likely mistake" not in verdict.message and verdict.message.endswith("count returned a different number.")


def test_structure_names_no_size_condition_that_the_checks_cannot_single_out():
    """Right only on the all-ones check says nothing; "K = 1" that is also "D = 1 or M = 1" is not named."""
    from gradecore.public.spec import Check
    from gradecore.public.structure import describe

    count = SPEC.question("count")

    def checks(sizes):
        return [Check("count", "s", [D, M, K], D * M + K, [D, M, K], sizes={"D": D, "M": M, "K": K}) for D, M, K in sizes]

    sizes = [(3, 5, 2), (4, 7, 6), (1, 1, 1), (2, 8, 3)]
    assert describe(count, checks(sizes), _answers(M * D + K if D == 1 else 0 for D, M, K in sizes)) is None
    # K = 1 exactly where D = 1 or M = 1: which it is, these checks cannot tell
    sizes = [(3, 5, 2), (1, 4, 1), (2, 1, 1), (4, 6, 3), (5, 7, 2)]
    assert describe(count, checks(sizes), _answers(D * M + K if K != 1 else 0 for D, M, K in sizes)) is None
    # where K = 1 alone singles them out, it is said
    sizes = [(3, 5, 2), (2, 4, 1), (6, 3, 1), (4, 6, 3), (5, 7, 2)]
    found = describe(count, checks(sizes), _answers(D * M + K if K != 1 else 0 for D, M, K in sizes))
    assert found.id == "wrong_where_size_one" and found.text.startswith("wrong only on the checks where K = 1")


def test_structure_names_a_wrong_default_and_keeps_a_count_formula_to_the_failing_checks():
    """Only the calls that leave the last argument out fail: its default. A count formula that holds where the
    count is wrong is not said to hold "for every size tried" when other checks pass."""
    from dataclasses import replace

    from gradecore.public.spec import Check
    from gradecore.public.structure import describe

    count = replace(SPEC.question("count"), sizes="n")
    full = [Check("count", f"n={n}", [n, True], 2 * n + 1, [n, True]) for n in (3, 4, 5)]
    short = [Check("count", f"n={n}, default", [n], 2 * n + 1, [n]) for n in (3, 4, 5)]
    found = describe(count, full + short, _answers([2 * n + 1 for n in (3, 4, 5)] + [n + 1 for n in (3, 4, 5)]))
    assert found.id == "wrong_default" and found.text.startswith("it fails only on the calls that leave its last argument out")
    # a function without the default raises on the short calls: the same finding
    from gradecore.judge.diagnosis import raised

    missing = _answers([2 * n + 1 for n in (3, 4, 5)]) + [raised("TypeError: missing 1 required positional argument")] * 3
    assert describe(count, full + short, missing).id == "wrong_default"
    # right for n = 1, n too few elsewhere: the formula is said of the failing checks only
    checks = [Check("count", f"n={n}", [n], 2 * n + 1, [n]) for n in (1, 3, 4, 5, 6)]
    found = describe(count, checks, _answers([3] + [n + 1 for n in (3, 4, 5, 6)]))
    assert found.id == "count_off" and found.text == "the count is n too few on every check that fails: a term missing?"
