"""What every assignment's build hands out, for every folder under ``assignments/`` (a new
assignment gets these tests for free): students get no hidden check, no solution and no grader;
the autograder zip carries a placeholder per question and the grader.

The checks themselves take a :class:`AssignmentUnderTest` and the folder its build went to, so that a test can
hold an assignment of another project to them (``tests/test_scaffold.py``)."""

from __future__ import annotations

import ast
import zipfile
from pathlib import Path

import pytest

from gradecore.cli.build import assignment_names
from tests.support import GRADER_IMPORT, AssignmentUnderTest, student_texts


@pytest.fixture(scope="module", params=assignment_names())
def kit(request) -> AssignmentUnderTest:
    return AssignmentUnderTest(request.param)


def test_student_distribution_holds_no_hidden_check_or_solution(kit, built):
    check_student_distribution(kit, built)


def test_autograder_zip_carries_one_placeholder_per_question_and_the_grader(kit, built):
    check_autograder_zip(kit, built)


def check_student_distribution(kit: AssignmentUnderTest, built: Path) -> None:
    """``built/<name>/student`` holds no hidden check, no grader import and no solution code."""
    texts = student_texts(kit, built / kit.name / "student")
    assert texts, "the student folder is empty"
    for name, text in texts.items():
        assert not GRADER_IMPORT.search(text), name
        assert "assignments." not in text or name.startswith(f"{kit.name}.ipynb#gradecore_public/"), name
        assert "hidden=True" not in text and '"hidden": true' not in text and "hidden: true" not in text, name
    sources = kit.reference_sources()
    assert sorted(sources) == sorted(kit.questions)
    for name, source in sources.items():
        body = ast.get_source_segment(source, ast.parse(source).body[0].body[-1])
        for text in texts.values():
            assert body not in text, f"solution code of {name} leaked: {body!r}"


def check_autograder_zip(kit: AssignmentUnderTest, built: Path) -> None:
    """``built/<name>/autograder/autograder.zip`` holds a placeholder per question, the core and the
    assignment's grader, and nothing of its solutions."""
    with zipfile.ZipFile(built / kit.name / "autograder" / "autograder.zip") as zf:
        names = zf.namelist()
        for q in kit.questions:
            text = zf.read(f"tests/{q}.py").decode()
            assert "hidden=True" in text and "check(" not in text, text  # decided outside the kernel
        assert "gradecore/host/plugin.py" in names and "files/gradecore/judge/service.py" in names
        assert f"assignments/{kit.name}/grader/__init__.py" in names
        assert f"files/assignments/{kit.name}/grader/__init__.py" in names
        assert not any("solution" in n or "styles" in n for n in names)


def test_every_assignment_and_the_scaffold_name_their_grader_files_alike():
    """The same role has the same file name everywhere (``grader/keras_truth.py`` is the truth from
    the real library in every assignment): a newcomer who knows one assignment finds her way in all."""
    from gradecore.cli.build import ASSIGNMENTS, CORE

    def grader_files(folder: Path, suffix: str = ".py") -> set[str]:
        return {p.name.removesuffix(".jinja") for p in folder.glob(f"*{suffix}")}

    scaffold = grader_files(CORE / "cli" / "templates" / "assignment" / "grader", ".py.jinja")
    for name in assignment_names():
        assert grader_files(ASSIGNMENTS / name / "grader") == scaffold, name
