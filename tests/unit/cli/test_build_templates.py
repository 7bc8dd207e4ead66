"""The files the build writes itself come from Jinja2 templates (``gradecore/cli/templates/generated/``):
each is used, renders what the build needs from its values alone, and a cell has no last newline.
Fast: no otter, no Keras (``tests/test_build.py`` builds whole assignments byte for byte)."""

from __future__ import annotations

import ast
import base64

import jinja2
import nbformat
import pytest

from gradecore.cli import build
from tests.toy.grader import SPEC


def test_every_template_is_one_the_build_renders():
    names = sorted(p.name for p in build.TEMPLATES.glob("*.j2"))
    source = (build.CLI / "build.py").read_text()
    assert names and [n for n in names if f'"{n}"' not in source] == []


def test_a_hidden_check_is_a_cell_with_the_question_its_points_and_its_title():
    cell = build._cell("hidden_check.py.j2", points=format(2.0, "g"), name="scale", title='scale multiplies "X" by {w}')
    assert not cell.endswith("\n") and cell.startswith('""" # BEGIN TEST CONFIG\npoints: 2\nhidden: true\n')
    assert 'def test_scale_hidden(env):\n    """scale multiplies "X" by {w}"""' in cell


def test_a_value_left_out_is_an_error_not_an_empty_string():
    with pytest.raises(jinja2.UndefinedError):
        build._render("conftest.py.j2")


def test_the_student_cells_and_files_name_the_assignment():
    init = build._cell(build.STUDENT_INIT_CELL, otter="6.1.0", name="toy")
    assert "%pip install -q otter-grader==6.1.0" in init and '!= "toy"' in init and not init.endswith("\n")
    assert 'files.download("toy.ipynb")' in build._cell(build.STUDENT_SUBMIT_CELL, name="toy")
    assert "from test_toy import submission_file" in build._render("conftest.py.j2", name="toy")
    readme = build._render("README.md.j2", name="toy", requirements="numpy==2.0 pytest==9.2.0")
    assert readme.startswith("# toy\n") and "python -m pip install numpy==2.0 pytest==9.2.0" in readme
    assert build._render("pytest.ini.j2") == "[pytest]\naddopts = -ra\n"


def test_the_skeleton_holds_the_notebook_stubs_of_every_question():
    stubs = ["def scale(X, w):\n    raise NotImplementedError", "def count(n):\n    raise NotImplementedError"]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# toy")]
                                        + [nbformat.v4.new_code_cell(s + "\n") for s in stubs])
    text = build.skeleton(SPEC, notebook)
    assert text.startswith('"""toy: the functions to write') and text.endswith("\n\n\n".join(stubs) + "\n")
    assert "import numpy as np\n\n\ndef scale" in text
    notebook.cells.pop()
    with pytest.raises(RuntimeError, match="no stub cell for count"):
        build.skeleton(SPEC, notebook)


def test_run_otter_gets_the_metadata_guard_before_its_call():
    text = 'import x\n\n\ndef main():\n    pass\n\nif __name__ == "__main__":\n    run_autograder("/autograder")\n'
    guarded = build._run_otter(text)
    assert '    pass\n\ndef _ready_for_otter(autograder_dir):\n' in guarded
    assert '            f.write("{}")\n\n\nif __name__ == "__main__":\n' in guarded
    assert guarded.endswith('    _ready_for_otter("/autograder")\n    run_autograder("/autograder")\n')


def test_the_student_checks_file_is_python_that_holds_its_values_as_written():
    """``test_<name>.py``: the checks (otter's test files, with quotes, braces and Jinja's own marks in
    them) and the helper come back as they went in, and the file names its assignment's files."""
    checks = {"scale": 'OK_FORMAT = False\nname = "scale"\n# {{ not a template }} {% raw %} \'quoted\' <&>\n',
              "count": "points = 1\n"}
    text = build.student_checks_file("toy", checks)
    namespace = {}
    for node in ast.parse(text).body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, (ast.Constant, ast.Dict)):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            namespace[target.id] = ast.literal_eval(node.value)
    assert namespace["ASSIGNMENT"] == "toy" and namespace["CHECKS"] == checks
    assert namespace["HELPER"] == base64.b64encode(build.public_bundle()).decode()
    assert "most recently saved of ``toy.py``" in text and "ASSIGNMENT = 'toy'\n" in text
    assert "``pytest test_toy.py --submission FILE``" in text and "test_ASSIGNMENT" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")
