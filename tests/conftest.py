"""Shared fixtures: one built distribution per test session, and otter grading of submissions."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from submissions import QUESTIONS  # noqa: E402

OTTER = Path(sys.executable).with_name("otter")
POINTS = {"count_params": 1, "weight_shapes": 1, "extract_weights": 1, "manual_forward": 2, "batched_forward": 2, "sequence_forward": 2}


@dataclass
class Graded:
    """What ``otter run`` said about one submission."""

    scores: dict[str, float]
    outputs: dict[str, str]
    raw: dict

    def lost(self) -> set[str]:
        return {q for q in QUESTIONS if self.scores.get(q, 0) < POINTS[q]}


def pytest_addoption(parser):
    parser.addoption(
        "--update-goldens", action="store_true", help="rewrite tests/goldens/ from the current build"
    )


@pytest.fixture(scope="session")
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> Path:
    """A fresh build of dist/rnn_shapes, private to this test session."""
    from rnn_shapes_cli.build import build

    out = tmp_path_factory.mktemp("dist")
    build(out)
    return out / "rnn_shapes"


@pytest.fixture(scope="session")
def autograder_zip(dist) -> Path:
    return dist / "autograder" / "autograder.zip"


@pytest.fixture(scope="session")
def student_notebook(dist) -> Path:
    return dist / "student" / "rnn_shapes.ipynb"


def otter_run(zip_path: Path, submission: Path, timeout: float = 600) -> Graded:
    """Grade one submission with the real ``otter run`` and read its results.json."""
    out = submission.parent / f"{submission.stem}-results"
    out.mkdir(exist_ok=True)
    proc = subprocess.run(
        [str(OTTER), "run", "-a", str(zip_path), "-o", str(out), "--no-logo", str(submission)],
        capture_output=True, text=True, timeout=timeout, cwd=out,
    )
    results = out / "results.json"
    assert results.exists(), f"otter run produced no results.json:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    raw = json.loads(results.read_text())
    scores = {t["name"]: t.get("score") for t in raw["tests"] if t["name"] in QUESTIONS}
    outputs = {t["name"]: t.get("output", "") for t in raw["tests"] if t["name"] in QUESTIONS}
    return Graded(scores, outputs, raw)


@pytest.fixture(scope="session")
def grade(autograder_zip, tmp_path_factory):
    """``grade(text_or_notebook, suffix)``: write a submission and grade it through the zip."""
    folder = tmp_path_factory.mktemp("submissions")
    counter = iter(range(10**6))

    def _grade(content, suffix: str = ".py") -> Graded:
        sub_dir = folder / f"s{next(counter)}"
        sub_dir.mkdir()
        path = sub_dir / f"submission{suffix}"
        if suffix == ".ipynb":
            nbformat.write(content, path)
        else:
            path.write_text(content)
        return otter_run(autograder_zip, path)

    return _grade
