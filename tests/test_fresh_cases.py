"""Hidden cases fresh for each grading, drawn from the instructor's secret, and its life outside
the repository: real judges of the built rnn_shapes zip (each computes its fresh truths with Keras
in a truth worker), ``rnn-shapes case`` on an id from a real verdict, and builds from one secret.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from gradecore.host.judge_client import JudgeClient
from gradecore.judge import secret, truths
from gradecore.kernel import calls as kernel

ROOT = Path(__file__).resolve().parents[1]
DATA_QUESTIONS = ("count_params", "weight_shapes", "manual_forward", "batched_forward", "sequence_forward")


def _solution():
    found = importlib.util.spec_from_file_location("rnn_shapes_reference", ROOT / "solutions" / "rnn_shapes" / "solution.py")
    module = importlib.util.module_from_spec(found)
    found.loader.exec_module(module)
    return module


@pytest.fixture
def unpacked(built, tmp_path) -> Path:
    with zipfile.ZipFile(built / "rnn_shapes" / "autograder" / "autograder.zip") as zf:
        zf.extractall(tmp_path / "zip")
    return tmp_path / "zip"


def _grade(judge: JudgeClient, question: str, function) -> tuple[dict, dict]:
    reply = judge.request({"op": "calls", "question": question})
    # the first verdict waits for the truth worker's Keras work (seconds; minutes on a loaded
    # machine), with the judge's heartbeats meanwhile
    verdict = judge.request({"op": "judge", "question": question, "outcomes": kernel.outcomes_with(function, reply)})
    return reply, verdict


def test_two_gradings_draw_different_cases_and_judge_alike(unpacked):
    """Two judges of one zip ask different calls of every data-argument question (extract_weights,
    handed the library's own model, keeps the build's cases); the reference passes both, a
    catalogued mistake gets the same verdict on both."""
    reference = _solution()
    judges = [JudgeClient("rnn_shapes", str(unpacked)) for _ in range(2)]
    try:
        replies: list[dict] = [{}, {}]
        for question in DATA_QUESTIONS:
            for i, judge in enumerate(judges):
                replies[i][question], verdict = _grade(judge, question, getattr(reference, question))
                assert verdict["passed"], verdict["message"]
            assert truths.fingerprint(replies[0][question]["calls"]) != truths.fingerprint(replies[1][question]["calls"])
        library = [j.request({"op": "calls", "question": "extract_weights"})["calls"] for j in judges]
        assert repr(library[0]) == repr(library[1])

        def without_output_bias(X, Wx, Wh, bh, Wo, bo):
            return reference.batched_forward(X, Wx, Wh, bh, Wo, bo * 0)

        verdicts = [_grade(j, "batched_forward", without_output_bias)[1] for j in judges]
        assert not any(v["passed"] for v in verdicts)
        assert verdicts[0]["mistake"] == verdicts[1]["mistake"] and verdicts[0]["mistake"]
    finally:
        for judge in judges:
            judge.stop()


def test_an_id_from_a_real_verdict_maps_back_to_its_case(built, unpacked):
    """``rnn-shapes case ID`` deciphers a fresh case's id from a real grading's feedback into its
    grading and case, and prints the case's sizes and inputs."""
    judge = JudgeClient("rnn_shapes", str(unpacked))
    try:
        reply, verdict = _grade(judge, "batched_forward", lambda X, Wx, Wh, bh, Wo, bo: X[:, -1, :2] * 0)
    finally:
        judge.stop()
    label = verdict["message"].split("First failure (")[1].split(")")[0]
    case_id = label.split(",")[0].removeprefix("case ")
    assert len(case_id) == secret.ID_DIGITS, label
    zip_path = built / "rnn_shapes" / "autograder" / "autograder.zip"
    found = subprocess.run([str(Path(sys.executable).with_name("rnn-shapes")), "case", case_id, "--autograder", str(zip_path)],
                           capture_output=True, text=True, timeout=600)
    assert found.returncode == 0, found.stderr
    assert f"batched_forward: {label}" in found.stdout
    shape = label.split(", ", 1)[1]  # the sizes: N=.., T=.., D=..
    assert shape in found.stdout and "argument 0: float32" in found.stdout
    wrong = "0" * secret.ID_DIGITS if case_id != "0" * secret.ID_DIGITS else "1" * secret.ID_DIGITS
    missing = subprocess.run([str(Path(sys.executable).with_name("rnn-shapes")), "case", wrong[:8], "--autograder", str(zip_path)],
                             capture_output=True, text=True, timeout=600)
    assert missing.returncode == 1 and "no case" in missing.stderr


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_one_secret_builds_the_same_bytes_and_rotating_it_changes_the_ids(tmp_path, monkeypatch):
    """The first build makes the secret (in the folder the setting names, never the real home), the
    second finds it and builds byte-identical zips; rotating draws another, so ids differ."""
    from gradecore.cli.build import build
    from gradecore.cli.secret import instructor_secret, rotate

    secret_file = tmp_path / "config" / "secret"
    monkeypatch.setenv("GRADECORE_SECRET_FILE", str(secret_file))
    monkeypatch.delenv("GRADECORE_SEED", raising=False)
    monkeypatch.delenv("RNN_SHAPES_SEED", raising=False)
    build(tmp_path / "first", names=["rnn_shapes"])
    assert secret_file.is_file()
    build(tmp_path / "second", names=["rnn_shapes"])
    assert _digests(tmp_path / "first") == _digests(tmp_path / "second")
    with zipfile.ZipFile(tmp_path / "first" / "rnn_shapes" / "autograder" / "autograder.zip") as zf:
        shipped = bytes.fromhex(json.loads(zf.read(f"assignments/rnn_shapes/grader/{secret.SECRET_FILE}"))["secret"])
        assert sorted(zf.namelist()) == zf.namelist() and {i.date_time for i in zf.infolist()} == {(2026, 1, 1, 0, 0, 0)}
    before = instructor_secret()
    assert shipped == before
    for path in (tmp_path / "first" / "rnn_shapes" / "student").rglob("*"):
        if path.is_file():
            text = path.read_bytes()
            assert before.hex().encode() not in text and path.name not in (secret.SECRET_FILE, truths.SHIPPED_FILE), path
    rotate()
    after = instructor_secret()
    assert after != before
    assert secret.CaseIds(after).encode(5, 1) != secret.CaseIds(before).encode(5, 1)
    assert secret.build_seed(after) != secret.build_seed(before)


def test_the_table_attack_passes_only_the_grading_it_was_harvested_from():
    """tests/attacks/rnn_shapes/answer_table.py answers from one grading's leaked inputs and truths.
    On that grading (its nonce, the tests' builds' secret) every data question passes; on a grading
    with another nonce, none does (the campaign grades it with fresh nonces: 0 points)."""
    from concurrent.futures import Future

    from gradecore.judge.service import JudgeService, fresh_checks
    from gradecore.public import spec as specs

    found = importlib.util.spec_from_file_location("answer_table", ROOT / "tests" / "attacks" / "rnn_shapes" / "answer_table.py")
    attack = importlib.util.module_from_spec(found)
    found.loader.exec_module(attack)
    assignment = specs.load("rnn_shapes")
    instructor = secret.from_seed(assignment.default_seed)
    previous = truths.use(truths.Store())
    try:
        for nonce, passes in ((attack.NONCE, True), (attack.NONCE + 1, False)):
            checks: Future = Future()
            checks.set_result(fresh_checks(assignment, instructor, nonce))
            judge = JudgeService(assignment, secret.build_seed(instructor), checks)
            for question in DATA_QUESTIONS:
                reply = judge.handle({"op": "calls", "question": question, "session": "s"})
                outcomes = kernel.outcomes_with(getattr(attack, question), reply)
                verdict = judge.handle({"op": "judge", "question": question, "outcomes": outcomes, "session": "s"})
                assert verdict["passed"] is passes, (nonce, verdict["message"])
    finally:
        truths.use(previous)
