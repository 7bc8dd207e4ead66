"""Fixtures shared by the core's tests (tests/) and each assignment's (assignments/*/tests/)."""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_addoption(parser):
    parser.addoption(
        "--update-goldens", action="store_true", help="rewrite each assignment's tests/goldens/ from the current build"
    )


@pytest.fixture(scope="session")
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """A fresh build of every assignment, private to this test session: ``built / <name>``."""
    from gradecore.tools.build import build

    out = tmp_path_factory.mktemp("dist")
    build(out)
    return out
