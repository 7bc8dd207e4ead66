"""The settings table: one place, both names, the docs page generated from it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gradecore.protocol import settings

ROOT = Path(__file__).resolve().parents[3]


def test_the_configuration_page_is_the_table():
    page = (ROOT / "docs" / "configuration.md").read_text()
    assert page == settings.markdown(), "regenerate: .venv/bin/python -m gradecore.protocol.settings > docs/configuration.md"


def test_a_setting_is_read_under_its_new_name_or_its_old_one_and_the_new_one_wins():
    limit = settings.setting("TIME_LIMIT_S")
    assert limit.read({}) == 10
    assert limit.read({"RNN_SHAPES_TIME_LIMIT_S": "2"}) == 2
    assert limit.read({"GRADECORE_TIME_LIMIT_S": "3"}) == 3
    assert limit.read({"GRADECORE_TIME_LIMIT_S": "3", "RNN_SHAPES_TIME_LIMIT_S": "2"}) == 3
    assert settings.value("SEED", {}) is None
    assert settings.value("SEED", {"RNN_SHAPES_SEED": "42"}) == 42


def test_the_seed_never_reaches_the_sandbox_under_either_name():
    environ = {"GRADECORE_SEED": "1", "RNN_SHAPES_SEED": "2", "RNN_SHAPES_TIME_LIMIT_S": "2",
               "GRADECORE_CELL_TIME_LIMIT_S": "5", "GRADECORE_UNKNOWN": "x", "HOME": "/root"}
    assert settings.for_sandbox(environ) == {"RNN_SHAPES_TIME_LIMIT_S": "2", "GRADECORE_CELL_TIME_LIMIT_S": "5"}


def test_the_limits_are_read_once_from_the_table():
    """A fresh process with an old-style variable set sees it in ``limits``, as the kernel does."""
    out = subprocess.run(
        [sys.executable, "-c", "from gradecore.protocol import limits; print(limits.TIME_LIMIT_S, limits.CELL_TIME_LIMIT_S)"],
        env={"RNN_SHAPES_TIME_LIMIT_S": "2", "GRADECORE_CELL_TIME_LIMIT_S": "7", "PATH": "/usr/bin"},
        capture_output=True, text=True, check=True,
    )
    assert out.stdout.split() == ["2.0", "7.0"]


def test_the_variables_that_link_the_graders_processes_are_named_in_the_table_alone():
    """What one process of the grader sets for another (the kernel's policy, the template's socket)
    is named in :data:`settings.LINKS`; no other module of the core spells the variable out."""
    import ast

    from gradecore.host import execution
    from gradecore.protocol import limits

    assert execution.KERNEL_POLICY_VARIABLE == settings.link("KERNEL_POLICY") == "GRADECORE_KERNEL_POLICY"
    assert limits.WARM_KERNELS_VARIABLE == settings.link("WARM_KERNELS")
    assert limits.WARM_PRELOADED_VARIABLE == settings.link("WARM_PRELOADED")
    variables = {entry.variable for entry in settings.LINKS} | {entry.variable for entry in settings.SETTINGS}
    core = ROOT / "autograder" / "gradecore"
    spelled = sorted(
        f"{path.relative_to(core)}: {node.value}"
        for path in core.rglob("*.py") if path.name != "settings.py"
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and node.value in variables
    )
    assert spelled == []
