"""Fixtures shared by the core's tests (tests/) and each assignment's (assignments/*/tests/)."""

from __future__ import annotations

import fcntl
import os
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


def _refuse_a_submission_that_is_not_a_file(config):
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


# --- pytest-xdist: which tests share a worker ----------------------------------------------------
#
# ``make test`` runs the suite on several workers (``pytest -n N``). Each worker writes, as its
# collection ends, the group of every test (:func:`worker_group`) into a folder the controller
# made; the controller's scheduler sends each group to one worker, as a whole. (pytest-xdist's own
# ``--dist loadgroup`` renames each test ``id@group``, which pytest 9's node ids no longer allow.)

GROUPS_FOLDER = "RNN_SHAPES_TEST_GROUPS"
"""The environment variable that tells the workers where the controller reads their groups."""


def pytest_configure(config):
    """Refuse, once and before anything is built, a ``--submission`` that is not one file; on
    pytest-xdist's controller, make the folder of the workers' groups."""
    _refuse_a_submission_that_is_not_a_file(config)
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        import tempfile

        os.environ[GROUPS_FOLDER] = tempfile.mkdtemp(prefix="rnn-shapes-test-groups-")


def pytest_unconfigure(config):
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        import shutil

        shutil.rmtree(os.environ.pop(GROUPS_FOLDER, ""), ignore_errors=True)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_finish(session):
    """On a worker, before it tells the controller what it collected: each test's group."""
    folder = os.environ.get(GROUPS_FOLDER)
    if not hasattr(session.config, "workerinput") or not folder:
        return
    import json

    groups = {item.nodeid: group for item in session.items if (group := worker_group(item))}
    path = Path(folder) / f"{session.config.workerinput['workerid']}.json"
    path.with_suffix(".tmp").write_text(json.dumps(groups))
    path.with_suffix(".tmp").replace(path)


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist's scheduling by scope, where a test's scope is its :func:`worker_group`
    (a test of no group is a scope of its own): :data:`HEAVIEST_FIRST`, then the groups with the most
    tests."""
    if config.getvalue("dist") == "each":
        return None
    import json

    from xdist.scheduler import LoadScopeScheduling

    class ByWorkerGroup(LoadScopeScheduling):
        groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.groups is None:  # every worker has collected (and written its groups) by now
                self.groups = {}
                for path in sorted(Path(os.environ[GROUPS_FOLDER]).glob("*.json")):
                    self.groups.update(json.loads(path.read_text()))
            return self.groups.get(nodeid, nodeid)

        def _assign_work_unit(self, node) -> None:
            for group in reversed(HEAVIEST_FIRST):  # the longest groups start first, on workers of their own
                if group in self.workqueue:
                    self.workqueue.move_to_end(group, last=False)
            super()._assign_work_unit(node)

    return ByWorkerGroup(config, log)


SHARED_STATE_GROUPS = {
    # the campaigns' canary folder, the listener's fixed port 127.0.0.1:47813, their watch over
    # site-packages and the machine's sandbox users and attack-named files; the ordinary user's batch too
    "tests/attacks/test_attacks.py": "attack-campaigns",
    # .venv-colab: the student notebook's first cell pip-installs otter-grader into it, and this
    # test runs its Python
    "tests/test_student_notebook.py": "colab-venv",
    "tests/test_template.py::test_the_forked_run_works_where_the_core_is_not_installed": "colab-venv",
}
"""Tests (by the start of their ids) that share state outside their temporary folders: each set
runs on one worker, one test at a time."""

HEAVIEST_FIRST = (
    "attack-campaigns",
    "assignments/gated_rnn_shapes/tests/test_grading.py",
    "colab-venv",
    "assignments/rnn_shapes/tests/test_catalogue.py",
    "assignments/rnn_shapes/tests/test_cluster.py",
    "tests/integration/test_cli.py[rnn_shapes]",
)
"""The groups that take longest (docs/measurements.md, ``suitetime2``), longest first: a worker
takes them before any other, since the run lasts at least as long as its longest group (the
campaigns': three assignments' attacks one after another). pytest-xdist's own order, most tests
first, would start the campaigns' 28 tests after groups of 40 to 60 short ones."""

CHEAP_SESSION_FIXTURES = {"kit", "dist", "autograder_zip", "student_notebook", "grade", "keras_of_setting"}
"""Session fixtures below the root that cost little to make again on each worker (the build they
point into is made once: :func:`built`; ``keras_of_setting`` imports TensorFlow once per setting)."""


def worker_group(item) -> str | None:
    """The tests that ``make test`` (``pytest -n N``) runs on one worker, one after another: those
    of an ``xdist_group`` mark or of :data:`SHARED_STATE_GROUPS`, and a module's tests that share a fixture
    made once per module (or a session fixture of the module's, or of a conftest.py below the
    root that is not cheap), by assignment where the integration tests' ``kit`` parametrizes them
    (each assignment's fixtures are its own). Every other test goes wherever a worker is free (None)."""
    mark = item.get_closest_marker("xdist_group")
    if mark:
        return str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
    for start, group in SHARED_STATE_GROUPS.items():
        if item.nodeid.startswith(start):
            return group
    fixtures = getattr(item, "_fixtureinfo", None)
    shared = any(
        definitions[-1].scope != "function" and definitions[-1].baseid and name not in CHEAP_SESSION_FIXTURES
        for name, definitions in (fixtures.name2fixturedefs.items() if fixtures else ())
    )
    if not shared:
        return None
    module = item.nodeid.split("::")[0]
    kit = getattr(getattr(item, "callspec", None), "params", {}).get("kit")
    return f"{module}[{kit}]" if kit else module


MACHINE_WIDE = {"tests/attacks/test_attacks.py": b"\0rnn-shapes-suite-campaigns"}
"""Modules whose tests hold state of the whole machine, not only of this session (the campaigns'
canary folder ``/tmp/rnn-shapes-attack-canary``, the listener's port 47813), by the lock that keeps
two sessions on one machine (two clones, two engineers' runs) from running them at once: an abstract
Unix socket's name, which one socket at a time may bind, leaves no file, and is free again when its
holder ends, however it ends."""


@pytest.fixture(scope="module", autouse=True)
def machine_wide_lock(request):
    """Hold :data:`MACHINE_WIDE`'s lock for the module's tests, waiting while another session on
    the machine holds it: each would empty the other's canary folder and find the port taken."""
    import socket
    import time

    where = Path(str(request.node.fspath)).resolve().relative_to(Path(__file__).parent.resolve()).as_posix()
    name = MACHINE_WIDE.get(where)
    if name is None:
        yield
        return
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as lock:
        while True:
            try:
                lock.bind(name)
                break
            except OSError:  # held by another session
                time.sleep(1.0)
        yield


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

    from gradecore.host.traces import remove_tree

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

FRESH_CASES = "GRADECORE_FRESH_CASES"


@pytest.fixture(scope="session", autouse=True)
def fresh_cases_off():
    """``GRADECORE_FRESH_CASES=off`` from the session's start, unless the one who runs the suite
    set it: a session fixture (made before any module's) grades as the module that first asks
    for it expects, whatever test runs first (on a pytest-xdist worker, any may)."""
    if FRESH_CASES in os.environ:
        yield False
        return
    os.environ[FRESH_CASES] = "off"
    yield True
    os.environ.pop(FRESH_CASES, None)


@pytest.fixture(scope="module", autouse=True)
def fresh_cases_where_tested(request, fresh_cases_off):
    """``GRADECORE_FRESH_CASES`` for this module's tests and every process they start: ``on`` in
    :data:`FRESH_CASES_TESTED`, ``off`` elsewhere, unless the one who runs the suite set it."""
    if not fresh_cases_off:
        yield
        return
    where = Path(str(request.node.fspath)).resolve().relative_to(Path(__file__).parent.resolve()).as_posix()
    os.environ[FRESH_CASES] = "on" if where.startswith(FRESH_CASES_TESTED) else "off"
    yield
    os.environ[FRESH_CASES] = "off"


@pytest.fixture(scope="session")
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")


@pytest.fixture(scope="session")
def built(request, tmp_path_factory) -> Path:
    """A fresh build of every assignment, private to this test session: ``built / <name>``.

    It uses a secret made from each assignment's development seed, so that its bytes match the
    goldens; an instructor's build uses the secret file (``tests/test_build.py`` checks that)."""
    from gradecore.cli.build import build

    if not hasattr(request.config, "workerinput"):
        out = tmp_path_factory.mktemp("dist")
        build(out, development_seed=True)
        return out
    # On pytest-xdist's workers, the first to ask builds into the session's folder, which they
    # share (each worker's own is inside it), and the others wait for it and take that build.
    shared = tmp_path_factory.getbasetemp().parent
    out, done = shared / "dist", shared / "dist.done"
    with open(shared / "dist.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            build(out, development_seed=True)
            done.touch()
    return out
