"""The options of the project's own pytest (``conftest.py``): ``--submission`` takes one file and
refuses anything else once, before anything is built or collected."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support import ROOT


def _pytest_with_submission(path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--submission", str(path), "tests/test_submission.py"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )


def test_submission_refuses_a_folder_once_with_a_usage_error(tmp_path):
    (tmp_path / "rnn_shapes.py").write_text("")
    run = _pytest_with_submission(tmp_path)
    assert run.returncode == pytest.ExitCode.USAGE_ERROR, run.stdout[-2000:] + run.stderr[-2000:]
    assert run.stderr.count("a file (.py or .ipynb) is expected") == 1, run.stderr
    assert f"--submission {tmp_path} is a folder" in run.stderr
    assert "error" not in run.stdout.lower(), run.stdout


def test_submission_refuses_a_missing_file_with_a_usage_error(tmp_path):
    run = _pytest_with_submission(tmp_path / "missing.ipynb")
    assert run.returncode == pytest.ExitCode.USAGE_ERROR, run.stdout[-2000:] + run.stderr[-2000:]
    assert "no such file; a file (.py or .ipynb) is expected" in run.stderr
