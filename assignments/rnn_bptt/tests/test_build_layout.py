"""What rnn_bptt's build hands out: students get no hidden check, no solution, no grader."""

from __future__ import annotations

import ast
import zipfile

from tests.support import GRADER_IMPORT, student_texts

from .conftest import KIT


def test_student_distribution_holds_no_hidden_check_or_solution(dist):
    texts = student_texts(KIT, dist / "student")
    for name, text in texts.items():
        assert not GRADER_IMPORT.search(text), name
        assert "assignments." not in text or name.startswith(f"{KIT.name}.ipynb#gradecore_public/"), name
        assert "hidden=True" not in text and '"hidden": true' not in text and "hidden: true" not in text, name
    for name, source in KIT.reference_sources().items():
        body = ast.get_source_segment(source, ast.parse(source).body[0].body[-1])
        for text in texts.values():
            assert body not in text, f"solution code of {name} leaked: {body!r}"


def test_autograder_zip_carries_one_hidden_check_per_question_and_the_grader(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as zf:
        names = zf.namelist()
        for q in KIT.questions:
            text = zf.read(f"tests/{q}.py").decode()
            assert "hidden=True" in text and "check(" not in text, text  # a placeholder: decided outside the kernel
        assert "gradecore/plugin.py" in names and f"assignments/{KIT.name}/grader/__init__.py" in names
        assert not any("solution" in n or "styles" in n for n in names)
