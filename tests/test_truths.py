"""Truths computed at build time and shipped as data (gradecore.judge.truths), on the toy assignment.

The real assignments' shipped truths are compared with live Keras in tests/test_build.py.
"""

from __future__ import annotations

from concurrent.futures import Future

import numpy as np
import pytest

from gradecore.judge import diagnosis, truths
from gradecore.judge.service import JudgeService, prepare_truths
from gradecore.kernel import calls as kernel
from tests.toy import grader as toy
from tests.toy.grader import SPEC


@pytest.fixture(autouse=True)
def fresh_store():
    previous = truths.use(truths.Store())
    yield
    truths.use(previous)


def _verdict(judge: JudgeService, question: str, function) -> dict:
    reply = judge.handle({"op": "calls", "question": question, "session": "s"})
    return judge.handle({"op": "judge", "question": question, "outcomes": kernel.outcomes_with(function, reply), "session": "s"})


def test_shipped_values_come_back_bit_for_bit_with_their_types():
    values = {
        "array": np.array([[1.5, np.nan], [-0.0, 3e-310]], dtype=np.float32),
        "tuple": (np.arange(3), 4),
        "keys": {True: 1, False: 2.5, 7: "seven"},
        "nested": [{"a": (1, 2)}, None],
    }
    store = truths.Store(record=True)
    for name, value in values.items():
        store.lookup(name, lambda value=value: value)
    back = truths.Store.loads(store.dumps())
    for name, value in values.items():
        got = back.lookup(name, lambda: pytest.fail("a shipped truth was computed again"))
        assert type(got) is type(value)
    array = back.lookup("array", lambda: None)
    assert array.dtype == np.float32 and array.tobytes() == values["array"].tobytes()
    assert not array.flags.writeable
    assert back.lookup("tuple", lambda: None)[1] == 4
    assert back.lookup("keys", lambda: None) == {True: 1, False: 2.5, 7: "seven"}
    assert back.lookup("nested", lambda: None) == [{"a": (1, 2)}, None]
    assert back.live == 0


def test_fingerprints_tell_apart_every_bit_type_and_order():
    base = (np.zeros(3), 1, "x")
    same = (np.zeros(3), 1, "x")
    changed = [
        (np.array([0.0, 0.0, 1e-300]), 1, "x"),
        (np.zeros(3, dtype=np.float32), 1, "x"),
        (np.zeros((3, 1)), 1, "x"),
        (np.zeros(3), 1.0, "x"),
        (np.zeros(3), True, "x"),
        [np.zeros(3), 1, "x"],
        (1, np.zeros(3), "x"),
    ]
    assert truths.fingerprint(base) == truths.fingerprint(same)
    assert len({truths.fingerprint(v) for v in [base, *changed]}) == 1 + len(changed)
    with pytest.raises(TypeError):
        truths.fingerprint(object())


def test_a_judge_with_the_shipped_truths_computes_nothing_live_and_judges_the_same():
    live = JudgeService(SPEC, SPEC.default_seed)
    shipped = truths.Store.loads(prepare_truths(SPEC))
    truths.use(shipped)
    judge = JudgeService(SPEC, SPEC.default_seed)
    for question, function in [("scale", lambda X, w: X * w), ("scale", lambda X, w: X * w + 1), ("count", lambda n: 2 * n)]:
        assert _verdict(judge, question, function) == _verdict(live, question, function)
    assert shipped.live == 0
    assert "the constant term is missing" in _verdict(judge, "count", lambda n: 2 * n)["message"]


def test_a_seed_or_a_case_the_build_did_not_see_is_computed_live(monkeypatch):
    shipped = truths.Store.loads(prepare_truths(SPEC))
    truths.use(shipped)
    JudgeService(SPEC, SPEC.default_seed + 1)
    assert shipped.live == 3, "each of the other seed's three cases is computed live"
    # The same seed with one value of its cases changed: only that case misses.
    real = np.random.default_rng

    class Nudged:
        def __init__(self, seed):
            self.rng = real(seed)
            self.calls = 0

        def standard_normal(self, shape):
            self.calls += 1
            X = self.rng.standard_normal(shape)
            if self.calls == 2:
                X[0, 0] += 1e-12
            return X

        def uniform(self, low, high):
            return self.rng.uniform(low, high)

    monkeypatch.setattr(toy.np.random, "default_rng", Nudged)
    judge = JudgeService(SPEC, SPEC.default_seed)
    assert shipped.live == 4
    assert _verdict(judge, "scale", lambda X, w: X * w)["passed"]


def test_shipped_outcomes_name_a_mistake_without_running_the_catalogue():
    truths.use(truths.Store.loads(prepare_truths(SPEC)))
    judge = JudgeService(SPEC, SPEC.default_seed)
    for check in judge.checks["count"]:
        check.local_args = [None]  # running an entry on these would raise TypeError
    assert "the constant term is missing" in _verdict(judge, "count", lambda n: 2 * n)["message"]
    entry = SPEC.catalogue.by_id("count_without_one")
    assert diagnosis.run_entry(entry, judge.checks["count"][0]).value == 6


def test_an_assignment_without_shipped_truths_starts_empty():
    assert truths.load_shipped("toy").known == {}


def _fresh_judge(instructor: bytes, nonce: int) -> JudgeService:
    from gradecore.judge import secret, truth_worker
    from gradecore.judge.service import fresh_checks

    future: Future = Future()
    future.set_result(fresh_checks(SPEC, instructor, nonce,
                                   truths_of=lambda seed: truths.Store.loads(truth_worker.compute(SPEC, seed))))
    return JudgeService(SPEC, secret.build_seed(instructor), future)


def test_the_calls_come_before_the_truths_and_are_the_checks_arguments():
    """A grading's first pass draws its cases with the truths' drafts (no library): the calls it
    hands out are the real checks' arguments, and no verdict is given on a draft."""
    from gradecore.judge import secret, truth_worker
    from gradecore.judge.service import fresh_checks

    instructor = secret.from_seed(13)
    truths.use(truths.Store.loads(prepare_truths(SPEC, secret.build_seed(instructor))))
    early: list = []

    def truths_of(seed):
        assert early, "the calls are handed out before the truths are computed"
        return truths.Store.loads(truth_worker.compute(SPEC, seed))

    checks = fresh_checks(SPEC, instructor, 3, truths_of=truths_of, on_calls=early.append)
    assert truths.fingerprint([c.args for c in early[0]["scale"]]) == truths.fingerprint([c.args for c in checks["scale"]])
    assert all(np.array_equal(c.expected, c.args[0] * c.args[1]) for c in checks["scale"])
    assert not any(np.array_equal(c.expected, c.args[0] * c.args[1]) for c in early[0]["scale"])


def test_each_grading_draws_fresh_cases_from_the_secret_and_its_nonce():
    """Two gradings of one zip (one secret, two nonces) ask different calls and both pass the right
    function and name the same mistake; the same nonce asks the same calls again, so a case id
    maps back to its grading."""
    from gradecore.judge import secret

    truths.use(truths.Store.loads(prepare_truths(SPEC, secret.build_seed(secret.from_seed(11)))))
    instructor = secret.from_seed(11)
    first, second, again = (_fresh_judge(instructor, n) for n in (1, 2, 1))
    calls = [judge.handle({"op": "calls", "question": "scale", "session": "s"})["calls"] for judge in (first, second, again)]
    assert truths.fingerprint(calls[0]) != truths.fingerprint(calls[1])
    assert truths.fingerprint(calls[0]) == truths.fingerprint(calls[2])
    for judge in (first, second):
        assert _verdict(judge, "scale", lambda X, w: X * w)["passed"]
        assert _verdict(judge, "count", lambda n: 2 * n + 1)["passed"]
        assert "one is added to every value" in _verdict(judge, "scale", lambda X, w: X * w + 1)["message"]


def test_a_table_of_one_gradings_answers_earns_nothing_in_the_next():
    """What leaks from one grading (every input and its right answer) does not help another: a
    function that answers from that table passes the grading it was harvested from only."""
    from gradecore.judge import secret

    instructor = secret.from_seed(12)
    truths.use(truths.Store.loads(prepare_truths(SPEC, secret.build_seed(instructor))))
    harvested, later = _fresh_judge(instructor, 100), _fresh_judge(instructor, 101)
    table = {truths.fingerprint(c.args): c.expected for c in harvested.checks["scale"]}

    def from_table(X, w):
        return table.get(truths.fingerprint([X, w]), np.zeros_like(X))

    assert _verdict(harvested, "scale", from_table)["passed"], "the table holds the harvested grading's answers"
    assert not _verdict(later, "scale", from_table)["passed"]


def test_the_plugin_can_wait_for_the_truths_before_the_kernel_starts():
    """``{"op": "truths"}`` is answered once the grading's truths are ready (where memory is short,
    the kernel starts only then: its memory and the truth worker's are never held at once), and
    says so where computing them failed."""
    import threading
    import time

    ready: Future = Future()
    judge = JudgeService(SPEC, SPEC.default_seed, ready)
    answered = []
    waiter = threading.Thread(target=lambda: answered.append(judge.handle({"op": "truths", "session": "s"})))
    waiter.start()
    time.sleep(0.2)
    assert not answered, "answered before the truths"
    ready.set_result(SPEC.build_checks(SPEC.default_seed))
    waiter.join(timeout=10)
    assert answered == [{"ok": True}]
    failed: Future = Future()
    failed.set_exception(RuntimeError("the truth worker failed"))
    assert "error" in JudgeService(SPEC, SPEC.default_seed, failed).handle({"op": "truths", "session": "s"})
