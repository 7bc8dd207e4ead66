"""``rnn-shapes new NAME`` scaffolds an assignment that builds, grades its own solution to full
marks and keeps the contract every assignment keeps, before anyone edits it; it refuses a name
that is taken or is not a Python identifier.

The scaffold goes into a temporary copy of the project's layout (the core, the ``assignments``
and ``solutions`` packages), never into this checkout, and only it is built there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gradecore.cli.main import main
from tests.support import ROOT, AssignmentUnderTest
from tests.test_contract import check_autograder_zip, check_student_distribution

NAME = "dense_scaffold"
"""The scaffolded assignment's name: one this project does not have."""


def _rnn_shapes(args: list[str], root: Path) -> subprocess.CompletedProcess:
    """``rnn-shapes ARGS`` run with the core of the project at ``root`` (its ``ROOT``)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(root / "autograder"), str(root)]))
    return subprocess.run([sys.executable, "-m", "gradecore.cli", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project's layout with NAME scaffolded and built in it: ``dist/NAME/``."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "autograder" / "gradecore", root / "autograder" / "gradecore",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for package in ("assignments", "solutions"):
        (root / package).mkdir()
        shutil.copy(ROOT / package / "__init__.py", root / package)
    new = _rnn_shapes(["new", NAME, "--root", str(root)], root)
    assert new.returncode == 0, new.stderr
    assert str(root / "assignments" / NAME / f"{NAME}.ipynb") in new.stdout
    build = _rnn_shapes(["build", NAME], root)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert sorted(p.name for p in (root / "dist").iterdir()) == [NAME]
    return root


@pytest.fixture(scope="module")
def kit(project):
    """NAME's kit, its spec imported from the copy (added to the ``assignments`` package meanwhile)."""
    import assignments

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(assignments, "__path__", [*assignments.__path__, str(project / "assignments")])
        yield AssignmentUnderTest(NAME, root=project)
    for module in [m for m in sys.modules if m == f"assignments.{NAME}" or m.startswith(f"assignments.{NAME}.")]:
        del sys.modules[module]
    if hasattr(assignments, NAME):
        delattr(assignments, NAME)


@pytest.mark.slow
def test_the_scaffold_builds_and_its_solution_earns_full_marks(project, kit, tmp_path):
    submission = tmp_path / "solution.py"
    shutil.copy(kit.solution, submission)
    graded = kit.otter_run(project / "dist" / NAME / "autograder" / "autograder.zip", submission)
    assert graded.scores == kit.points, graded.outputs
    assert len(kit.spec.catalogue) >= len(kit.questions) and sum(kit.points.values()) > 0


@pytest.mark.slow
def test_the_scaffold_keeps_the_contract_of_every_assignment(project, kit):
    check_student_distribution(kit, project / "dist")
    check_autograder_zip(kit, project / "dist")


@pytest.mark.parametrize("name", ["taken", "Gru", "2d_shapes", "lstm-shapes", "class", "a b"])
def test_new_refuses_a_taken_name_or_one_that_is_not_an_identifier(tmp_path, capsys, name):
    (tmp_path / "assignments" / "taken").mkdir(parents=True)
    with pytest.raises(SystemExit) as stop:
        main(["new", name, "--root", str(tmp_path)])
    assert stop.value.code != 0
    err = capsys.readouterr().err
    assert err.startswith("rnn-shapes: ") and err.count("\n") == 1, err
    assert sorted(p.name for p in (tmp_path / "assignments").iterdir()) == ["taken"]
    assert not (tmp_path / "solutions").exists()


@pytest.mark.slow
def test_the_student_folder_passes_the_solution_and_refuses_a_folder_to_check(project, kit, tmp_path):
    """The built student folder's pytest: the public checks pass on the reference solution, and
    ``--submission`` given a folder fails once, as a usage error, before any check runs."""
    student = tmp_path / "student"
    shutil.copytree(project / "dist" / NAME / "student", student)
    shutil.copy(kit.solution, student / f"{NAME}.py")
    pytest_here = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]
    passed = subprocess.run(pytest_here, cwd=student, capture_output=True, text=True, timeout=600)
    assert passed.returncode == 0, passed.stdout[-3000:]
    (student / "copies").mkdir()
    refused = subprocess.run([*pytest_here, "--submission", "copies"], cwd=student, capture_output=True, text=True,
                             timeout=600)
    assert refused.returncode == pytest.ExitCode.USAGE_ERROR, refused.stdout[-3000:]
    assert refused.stderr.count("is a folder: a file (.py or .ipynb) is expected") == 1, refused.stderr
