"""Fixtures shared by the core's tests (tests/) and each assignment's (assignments/*/tests/)."""

from __future__ import annotations

from pathlib import Path

import pytest

SUBMISSION_TESTS = "tests/test_submission.py"


def pytest_addoption(parser):
    parser.addoption(
        "--update-goldens", action="store_true", help="rewrite each assignment's tests/goldens/ from the current build"
    )
    parser.addoption(
        "--submission", metavar="PATH", help=f"grade this .ipynb or .py with the hidden checks: runs {SUBMISSION_TESTS} only"
    )
    parser.addoption(
        "--assignment", metavar="NAME", help="the assignment of --submission (default: the file's name, else the default assignment)"
    )


SUBMISSION_SUFFIXES = (".py", ".ipynb")


def pytest_configure(config):
    """Refuse, once and before anything is built, a ``--submission`` that is not one file."""
    chosen = config.getoption("--submission")
    if not chosen:
        return
    path = Path(chosen)
    expected = f"a file ({' or '.join(SUBMISSION_SUFFIXES)}) is expected"
    if path.is_dir():
        raise pytest.UsageError(f"--submission {chosen} is a folder: {expected}")
    if not path.is_file():
        raise pytest.UsageError(f"--submission {chosen}: no such file; {expected}")


def pytest_collection_modifyitems(config, items):
    """With ``--submission``, only the verdicts on that submission run."""
    if not config.getoption("--submission"):
        return
    keep = [item for item in items if item.nodeid.startswith(SUBMISSION_TESTS)]
    config.hook.pytest_deselected(items=[item for item in items if item not in keep])
    items[:] = keep


@pytest.fixture(scope="session", autouse=True)
def private_secret(tmp_path_factory):
    """No test reads or writes the instructor's real secret (``~/.config/rnn-shapes/secret``): the
    ``SECRET_FILE`` setting points into the session's temporary folder, for every process the
    tests start too."""
    import os

    variable = "GRADECORE_SECRET_FILE"
    before = os.environ.get(variable)
    os.environ[variable] = str(tmp_path_factory.mktemp("secret") / "secret")
    yield Path(os.environ[variable])
    if before is None:
        os.environ.pop(variable, None)
    else:
        os.environ[variable] = before


@pytest.fixture(scope="session", autouse=True)
def private_tmpdir(tmp_path_factory):
    """Every temporary folder of the session, this process's and every process the tests start, is
    made in one folder that the session removes at its end: a grading's sandbox folder
    (``rnn-shapes-*``) whose ``otter run`` a test killed (a timeout, an interrupted batch: its exit
    handlers never ran), the checks folder a student notebook leaves, TensorFlow's autograph files.

    Not under pytest's own folder: pytest keeps that 0700 (and makes it so again whenever another
    session starts), and the sandboxes' users must pass through this one. A test that sets
    ``TMPDIR`` for what it starts (the attack campaigns) still chooses its own."""
    import os
    import tempfile

    from gradecore.host.sealing import remove_tree

    tmp_path_factory.getbasetemp()  # pytest's own folder first, where it always is
    folder = tempfile.mkdtemp(prefix="rnn-shapes-suite-")
    os.chmod(folder, 0o711)
    before = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"], tempfile.tempdir = folder, folder
    yield Path(folder)
    if before[0] is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = before[0]
    tempfile.tempdir = before[1]
    remove_tree(folder)  # also what a sandboxed process left unreadable


FRESH_CASES_TESTED = ("tests/attacks/", "tests/test_fresh_cases.py")
"""Where the suite grades with fresh cases per grading (each grading's truth worker imports
TensorFlow and computes its truths with Keras: seconds of a core each), as an instructor's default
does: the attacks, and the fresh cases' own tests. Elsewhere it grades with the build's cases
(``GRADECORE_FRESH_CASES=off``), the same checks, their truths shipped in the zip."""


@pytest.fixture(scope="module", autouse=True)
def fresh_cases_where_tested(request):
    """``GRADECORE_FRESH_CASES`` for this module's tests and every process they start: ``on`` in
    :data:`FRESH_CASES_TESTED`, ``off`` elsewhere, unless the one who runs the suite set it."""
    import os

    variable = "GRADECORE_FRESH_CASES"
    if variable in os.environ and not getattr(fresh_cases_where_tested, "ours", False):
        yield
        return
    where = Path(str(request.node.fspath)).resolve().relative_to(Path(__file__).parent.resolve()).as_posix()
    os.environ[variable] = "on" if where.startswith(FRESH_CASES_TESTED) else "off"
    fresh_cases_where_tested.ours = True
    yield
    os.environ.pop(variable, None)
    fresh_cases_where_tested.ours = False


@pytest.fixture(scope="session")
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """A fresh build of every assignment, private to this test session: ``built / <name>``.

    It uses a secret made from each assignment's development seed, so that its bytes match the
    goldens; an instructor's build uses the secret file (``tests/test_build.py`` checks that)."""
    from gradecore.cli.build import build

    out = tmp_path_factory.mktemp("dist")
    build(out, development_seed=True)
    return out
