"""Every assignment grades the same under Keras 3 and under Keras 2 (tf_keras, ``TF_USE_LEGACY_KERAS=1``).

For each assignment, under Keras 2: the reference solution earns full marks, and a submission with
the first catalogued mistake of every function loses exactly those functions (under Keras 3, the
default, every assignment's own grading tests show the same of every style and every mistake).
Under each Keras: the student folder's pytest checks pass the reference and fail the untouched
notebook with "not implemented".
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from gradecore.cli.build import assignment_names
from tests.support import AssignmentUnderTest, mistake_rounds

pytestmark = pytest.mark.slow

KERAS = {"keras3": "0", "tf_keras": "1"}


@pytest.fixture(scope="session")
def keras_of_setting():
    """``keras_of_setting(value)``: the package ``tf.keras`` is in a child Python whose
    ``TF_USE_LEGACY_KERAS`` is ``value``, found once per value in the session (each look imports
    TensorFlow: seconds of a core; nine tests ask)."""
    found: dict[str, str] = {}

    def keras_of(value: str) -> str:
        if value not in found:
            found[value] = subprocess.run(
                [sys.executable, "-c", "import tensorflow as tf; print(tf.keras.Model.__module__.split('.')[0])"],
                capture_output=True, text=True, check=True,
                env={**os.environ, "TF_USE_LEGACY_KERAS": value, "TF_CPP_MIN_LOG_LEVEL": "3"},
            ).stdout.split()[-1]
        return found[value]

    return keras_of


@pytest.fixture(params=list(KERAS))
def keras_version(request, monkeypatch, keras_of_setting) -> str:
    """Which Keras ``tf.keras`` is, in this process's children (otter, its kernel, the judge, pytest)."""
    monkeypatch.setenv("TF_USE_LEGACY_KERAS", KERAS[request.param])
    assert keras_of_setting(os.environ["TF_USE_LEGACY_KERAS"]) == {"keras3": "keras", "tf_keras": "tf_keras"}[request.param]
    return request.param


def _student_pytest(student, folder, name: str, script: str | None) -> subprocess.CompletedProcess:
    shutil.copytree(student, folder)
    if script is not None:
        (folder / f"{name}.py").write_text(script)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"], cwd=folder, capture_output=True, text=True
    )


@pytest.mark.parametrize("keras_version", ["tf_keras"], indirect=True)
@pytest.mark.parametrize("name", assignment_names())
def test_grades_are_the_same_under_keras_2(built, keras_version, tmp_path, name):
    kit = AssignmentUnderTest(name)
    zip_path = built / name / "autograder" / "autograder.zip"
    grade = kit.grader(zip_path, tmp_path)
    reference = grade(kit.py_submission())
    assert reference.scores == kit.points, reference.outputs
    mistakes = mistake_rounds(kit.spec)[0]
    buggy = grade(kit.py_submission(dict(mistakes)))
    assert buggy.scores == {q: 0 if q in mistakes else p for q, p in kit.points.items()}, buggy.outputs


@pytest.mark.parametrize("name", assignment_names())
def test_the_public_checks_are_the_same_under_each_keras(built, keras_version, tmp_path, name):
    kit = AssignmentUnderTest(name)
    student = built / name / "student"
    passed = _student_pytest(student, tmp_path / "solved", name, kit.py_submission())
    assert passed.returncode == 0 and f"{len(kit.questions)} passed" in passed.stdout, passed.stdout[-3000:]
    untouched = _student_pytest(student, tmp_path / "untouched", name, None)
    assert f"{len(kit.questions)} failed" in untouched.stdout, untouched.stdout[-3000:]
    for q in kit.questions:
        assert f"{q} is not implemented yet" in untouched.stdout, (q, untouched.stdout[-3000:])
