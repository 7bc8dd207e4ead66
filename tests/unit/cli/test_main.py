"""``rnn-shapes``'s hints run as written: the "Next:" of ``rnn-shapes new`` names a command that exists."""

from __future__ import annotations

import shlex
import subprocess
import sys

from gradecore.cli import main
from gradecore.cli.build import ROOT
from tests.support import TOOL


def test_next_step_after_new_runs_as_written_from_any_folder(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "argv", [str(TOOL), "new", "x"])
    hint = main.next_step("lstm_shapes", ROOT)
    *command, verb, name = shlex.split(hint)
    assert (verb, name) == ("build", "lstm_shapes") and command == [str(TOOL.resolve())]
    ran = subprocess.run([*command, "build", "--help"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0 and "usage: rnn-shapes build" in ran.stdout
    # Run as a module, the hint says so.
    monkeypatch.setattr(sys, "argv", ["/x/gradecore/cli/__main__.py"])
    assert main.next_step("lstm_shapes", ROOT) == f"{sys.executable} -m gradecore.cli build lstm_shapes"
    assert str(tmp_path / ".venv/bin/rnn-shapes") in main.next_step("lstm_shapes", tmp_path)
