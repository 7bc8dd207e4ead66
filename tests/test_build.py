"""The build is deterministic, and golden files show exactly how its artefacts change.

Every assignment is built; its goldens sit in ``assignments/<name>/tests/goldens/``. After an
intended change to a master notebook, a spec or the hidden tests, run
``.venv/bin/python -m pytest tests/test_build.py --update-goldens`` and review the diff.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import nbformat
import numpy as np
import pytest

from gradecore.cli.build import ASSIGNMENTS, assignment_names

NAMES = assignment_names()


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_builds_give_the_same_bytes(built, tmp_path):
    from gradecore.cli.build import build

    build(tmp_path, development_seed=True)
    for name in NAMES:
        assert _digests(tmp_path / name) == _digests(built / name), name


def test_the_zip_ships_the_secret_that_students_never_get(built):
    """The tests' builds use a secret made from the development seed (an instructor's, the secret
    file: tests/test_fresh_cases.py); it reaches the zip only, never the student folder, nor does
    the build's seed drawn from it."""
    from gradecore.judge import secret, truths
    from gradecore.public import spec

    for name in NAMES:
        with zipfile.ZipFile(built / name / "autograder" / "autograder.zip") as zf:
            shipped = bytes.fromhex(json.loads(zf.read(f"assignments/{name}/grader/{secret.SECRET_FILE}"))["secret"])
        assert shipped == secret.from_seed(spec.load(name).default_seed)
        for path in (built / name / "student").rglob("*"):
            if path.is_file():
                text = path.read_text(errors="replace")
                assert shipped.hex() not in text and str(secret.build_seed(shipped)) not in text, path
                assert path.name not in (secret.SECRET_FILE, truths.SHIPPED_FILE), path


def _student_notebook_text(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    parts = [f"## [{cell.cell_type}]\n{cell.source}\n" for cell in nb.cells]
    parts += [f"## [check in the metadata: {q}]\n{text}" for q, text in nb.metadata["otter"]["tests"].items()]
    return "\n".join(parts)


def _zip_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        names = sorted(zf.namelist())
        lines = ["## files", *names, ""]
        for name in names:
            if name.startswith("tests/") or name in ("otter_config.json", "environment.yml", "assignment.json"):
                lines += [f"## {name}", zf.read(name).decode(), ""]
    return "\n".join(lines)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "golden, render",
    [
        ("student_notebook.txt", lambda dist: _student_notebook_text(dist / "student" / f"{dist.name}.ipynb")),
        ("autograder_zip.txt", lambda dist: _zip_text(dist / "autograder" / "autograder.zip")),
    ],
)
def test_built_artefacts_match_goldens(built, update_goldens, name, golden, render):
    text = render(built / name)
    path = ASSIGNMENTS / name / "tests" / "goldens" / golden
    if update_goldens:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    assert path.exists(), f"no golden yet: run pytest {__file__} --update-goldens"
    assert text == path.read_text(), f"{golden} changed: review, then rerun with --update-goldens"


def _same_bits(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same_bits(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same_bits(x, y) for x, y in zip(a, b))
    return a == b


@pytest.mark.parametrize("name", NAMES)
def test_shipped_truths_equal_live_keras_bit_for_bit(built, name):
    """The zip's truths are what real Keras computes now, for every check and catalogue outcome."""
    from gradecore.judge import secret, truths
    from gradecore.judge.service import prepare_truths
    from gradecore.public import spec

    with zipfile.ZipFile(built / name / "autograder" / "autograder.zip") as zf:
        shipped = truths.Store.loads(zf.read(f"assignments/{name}/grader/{truths.SHIPPED_FILE}")).known
        assert zf.read(f"files/assignments/{name}/grader/{truths.SHIPPED_FILE}") == zf.read(
            f"assignments/{name}/grader/{truths.SHIPPED_FILE}"
        )
        shipped_secret = bytes.fromhex(json.loads(zf.read(f"assignments/{name}/grader/{secret.SECRET_FILE}"))["secret"])
    live = truths.Store.loads(prepare_truths(spec.load(name), secret.build_seed(shipped_secret))).known
    assert shipped.keys() == live.keys() and shipped
    assert all(_same_bits(shipped[key], live[key]) for key in live)


def test_the_autograder_runs_only_the_checks_it_scores(built):
    """Public checks are worth 0 in the autograder: its test files hold the hidden checks only,
    while the student's copy keeps every public check."""
    for name in NAMES:
        with zipfile.ZipFile(built / name / "autograder" / "autograder.zip") as zf:
            tests = [n for n in zf.namelist() if n.startswith("tests/")]
            assert tests
            for test in tests:
                text = zf.read(test).decode()
                assert "hidden=False" not in text and text.count("@test_case(") == 1, test
        carried = nbformat.read(built / name / "student" / f"{name}.ipynb", as_version=4).metadata["otter"]["tests"]
        assert carried and all("hidden=False" in text for text in carried.values())


FORMULA = re.compile(r"\b[TDMKN]\s*[*·]\s*[TDMKN0-9]|[(]\s*[DMK]\s*,\s*[DMK]\s*[)]")
"""Arithmetic on the size letters, or a shape like (D, M): an answer, not a contract."""


@pytest.mark.parametrize("name", NAMES)
def test_counting_and_shape_stubs_state_contracts_not_answers(built, name):
    nb = nbformat.read(built / name / "student" / f"{name}.ipynb", as_version=4)
    stubs = [c.source for c in nb.cells if c.cell_type == "code" and "NotImplementedError" in c.source]
    answers = [s.split("(")[0] for s in stubs if ("count_params" in s or "weight_shapes" in s) and FORMULA.search(s)]
    assert not answers, f"these stubs give their answer away: {answers}"
