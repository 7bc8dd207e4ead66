"""Build the student notebook and the autograder zip from the master notebook, deterministically.

``otter assign`` does the work in a staging folder; this module then gives the outputs stable
names, stable cell ids and stable zip timestamps, so that the same sources build the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "rnn_shapes"
GRADER_PACKAGE = ROOT / "autograder" / "rnn_shapes_grader"
ZIP_DATE = (2026, 1, 1, 0, 0, 0)


def _copy_package(dest: Path) -> None:
    shutil.copytree(GRADER_PACKAGE, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def _stable_ids(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        digest = hashlib.sha1(f"{i}:{cell.cell_type}:{cell.source}".encode()).hexdigest()
        cell["id"] = digest[:12]
    nbformat.write(nb, path)


def _score_public_checks(student: Path) -> None:
    """Give each public check its question's points, in the student's copy only.

    The grade comes from the hidden checks alone (the judge decides them), so the autograder's
    public checks are worth 0. ``otter check`` divides by the public checks' points and fails at
    0, so the student's copy gives each public check its question's points.
    """
    for path in sorted((student / "tests").glob("*.py")):
        text = path.read_text()
        points = re.search(r"^points = ([0-9.]+)$", text, re.MULTILINE)
        public = "@test_case(points=0, hidden=False)"
        if points is None or public not in text:
            raise RuntimeError(f"{path} has no public check worth 0 points")
        path.write_text(text.replace(public, f"@test_case(points={points[1]}, hidden=False)"))


def _rewrite_zip(source: Path, dest: Path) -> None:
    """Repack with sorted entries and a fixed date; add the grader package at the zip's root.

    Gradescope and ``otter grade`` run ``python /autograder/source/run_otter.py``, so a package at
    the zip's root is importable by otter itself, which loads the plugin from it.
    """
    entries: dict[str, bytes] = {}
    with zipfile.ZipFile(source) as zf:
        for name in zf.namelist():
            if not name.endswith("/"):
                entries[name] = zf.read(name)
    # otter rejects a notebook whose otter.assignment_name metadata differs, and one without it:
    # a student who copied the six functions into a fresh notebook would get 0. Grade any
    # notebook that defines them.
    config = json.loads(entries["otter_config.json"])
    config.pop("assignment_name", None)
    entries["otter_config.json"] = json.dumps(config, indent=4).encode()
    for path in sorted(GRADER_PACKAGE.rglob("*.py")):
        entries[f"rnn_shapes_grader/{path.relative_to(GRADER_PACKAGE).as_posix()}"] = path.read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, entries[name])
    dest.write_bytes(buf.getvalue())


def build(dist: Path = ROOT / "dist") -> Path:
    """Build ``dist/rnn_shapes/student`` and ``dist/rnn_shapes/autograder``; return the latter's zip."""
    out = dist / ASSIGNMENT
    shutil.rmtree(out, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="rnn-shapes-build-") as tmp:
        return _build_in(Path(tmp) / ASSIGNMENT, out)


def _build_in(stage: Path, out: Path) -> Path:
    stage.mkdir(parents=True)
    source = ROOT / "assignments" / ASSIGNMENT
    shutil.copy(source / f"{ASSIGNMENT}.ipynb", stage)
    shutil.copy(source / "requirements.txt", stage)
    _copy_package(stage / "rnn_shapes_grader")
    subprocess.run(
        [sys.executable, "-m", "otter", "assign", "--no-pdfs", str(stage / f"{ASSIGNMENT}.ipynb"), str(out)],
        check=True,
        cwd=stage,
    )
    zips = sorted((out / "autograder").glob("*.zip"))
    if len(zips) != 1:
        raise RuntimeError(f"otter assign made {len(zips)} zips, expected one")
    target = out / "autograder" / "autograder.zip"
    _rewrite_zip(zips[0], target)
    if zips[0] != target:
        zips[0].unlink()
    _score_public_checks(out / "student")
    for notebook in (out / "student" / f"{ASSIGNMENT}.ipynb", out / "autograder" / f"{ASSIGNMENT}.ipynb"):
        _stable_ids(notebook)
    return target
