"""The build is deterministic, and golden files show exactly how its artefacts change.

After an intended change to the master notebook or the hidden tests, run
``.venv/bin/python -m pytest tests/test_build.py --update-goldens`` and review the diff.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import nbformat
import pytest

GOLDENS = Path(__file__).parent / "goldens"


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_builds_give_the_same_bytes(dist, tmp_path):
    from rnn_shapes_cli.build import build

    build(tmp_path)
    assert _digests(tmp_path / "rnn_shapes") == _digests(dist)


def _student_notebook_text(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    parts = [f"## [{cell.cell_type}]\n{cell.source}\n" for cell in nb.cells]
    return "\n".join(parts)


def _zip_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        names = sorted(zf.namelist())
        lines = ["## files", *names, ""]
        for name in names:
            if name.startswith("tests/") or name == "otter_config.json" or name == "environment.yml":
                lines += [f"## {name}", zf.read(name).decode(), ""]
    return "\n".join(lines)


@pytest.mark.parametrize(
    "golden, render",
    [
        ("student_notebook.txt", lambda dist: _student_notebook_text(dist / "student" / "rnn_shapes.ipynb")),
        ("autograder_zip.txt", lambda dist: _zip_text(dist / "autograder" / "autograder.zip")),
    ],
)
def test_built_artefacts_match_goldens(dist, update_goldens, golden, render):
    text = render(dist)
    path = GOLDENS / golden
    if update_goldens:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    assert path.exists(), f"no golden yet: run pytest {__file__} --update-goldens"
    assert text == path.read_text(), f"{golden} changed: review, then rerun with --update-goldens"
