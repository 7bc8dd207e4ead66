"""One grading's template: TensorFlow imported once, for the kernel and the library's sealed run.

The library's sealed run (the calls whose argument is a Keras model) is forked from a template
that imported TensorFlow and never ran student code (:mod:`gradecore.host.forkserver`), instead of a fresh
Python that imports it again. These tests hold it to what a fresh run is held to: the same
confinement, nothing it starts outlives it, and the same grades through ``otter run``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from gradecore.host import grading_sandbox, procs
from gradecore.protocol import about, limits
from gradecore.sandbox import landlock

from .support import ROOT
from .unit.sandbox.test_sandbox import detaching_submission

pytestmark = pytest.mark.skipif(landlock.abi() < 6, reason="needs Landlock ABI 6 (Linux 6.12+), as on these machines")

TEMPLATE_WAIT_S = 900
"""How long the tests that ask whether a run was forked from the template let the template take to
listen and to import TensorFlow. A grading waits 10 s for the socket and ``CELL_TIME_LIMIT_S``
(120 s) for the imports, then starts the run afresh, with the same grades: on 2 cores beside
pytest-xdist's other workers (load average 18 to 38) the template's imports took longer, the run
was fresh and had no TensorFlow (41 for 42). Here only a template that never listens, or never
imports TensorFlow, fails them."""


PATIENT = """
import os
from gradecore.host import forkserver_client
from gradecore.protocol import limits
os.environ.pop(limits.WARM_KERNELS_VARIABLE, None)  # its own template, never a batch's
limits.CELL_TIME_LIMIT_S = WAIT_S  # how long forkserver_client.fork_sealed waits for the imports
def patient_template(box):
    box.use_template()
    forkserver_client.wait_listening(box._template_proc, box.template, WAIT_S)
""".replace("WAIT_S", str(TEMPLATE_WAIT_S))
"""For a process of its own that grades with a template: its own, listening before the run asks it
for a fork, and asked with :data:`TEMPLATE_WAIT_S` to spare."""


@pytest.fixture
def patient(monkeypatch):
    """:data:`PATIENT`'s ``patient_template`` in this process, its settings undone after the test."""
    from gradecore.host import forkserver_client

    monkeypatch.delenv(limits.WARM_KERNELS_VARIABLE, raising=False)
    monkeypatch.setattr(limits, "CELL_TIME_LIMIT_S", TEMPLATE_WAIT_S)

    def patient_template(box: grading_sandbox.Sandbox) -> None:
        box.use_template()
        forkserver_client.wait_listening(box._template_proc, box.template, TEMPLATE_WAIT_S)

    return patient_template

PROBE = """
import os, socket, sys
preloaded = "tensorflow" in sys.modules  # before this code imports anything
tried = []
def attempt(action):
    try:
        action()
        tried.append(1)
    except OSError:
        tried.append(0)
attempt(lambda: open(SECRET).read())
attempt(lambda: open(os.path.join(os.path.dirname(SECRET), "planted"), "w").write("x"))
attempt(lambda: os.kill(TEMPLATE, 0))
attempt(lambda: socket.socket(socket.AF_UNIX).connect(SOCKET))
attempt(lambda: open(f"/proc/{TEMPLATE}/environ", "rb").read())
import tensorflow as tf

def f(n):
    return [int(preloaded), *tried, int(hasattr(tf, "constant")) + n]
"""


def _probe(box: grading_sandbox.Sandbox, secret: Path, folder: Path) -> dict:
    template = getattr(box, "_template_proc", None)
    code = (PROBE.replace("SECRET", repr(str(secret))).replace("TEMPLATE", str(template.pid if template else os.getpid()))
            .replace("SOCKET", repr(box.template or "/nonexistent")))
    return box.run_sealed([code], lambda: {"f": {"calls": [[41]], "numpy_only": False}}, 120,
                          submission_dir=str(folder), library=True)


@pytest.fixture
def secret(tmp_path) -> Path:
    path = tmp_path / "grader" / "truths.bin"
    path.parent.mkdir()
    path.write_text("the hidden truths")
    os.chmod(path.parent, 0o700)
    return path


def test_the_library_run_forked_from_the_template_is_confined_as_a_fresh_one(secret, tmp_path, patient):
    """Forked (TensorFlow already loaded) or fresh, the library's sealed run gets the same
    confinement and the same answer, and is refused the grader's files, the template's signals,
    its socket and its environment."""
    found = {}
    for name in ("fresh", "forked"):
        box = grading_sandbox.Sandbox(prefix="gradecore-test-")
        try:
            if name == "forked":
                patient(box)
            found[name] = _probe(box, secret, tmp_path)
        finally:
            box.remove()
    fresh, forked = ([item["value"] for item in found[n]["outcomes"]["f"][0]["value"]["value"]]
                     for n in ("fresh", "forked"))
    assert fresh == [0, 0, 0, 0, 0, 0, 42]
    assert forked == [1, 0, 0, 0, 0, 0, 42]
    assert found["forked"]["confined"] == found["fresh"]["confined"]
    assert not (secret.parent / "planted").exists()


ORDINARY_USER = 65534
AS_ORDINARY_USER = """
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from tests.test_template import _probe
from gradecore.host import grading_sandbox
PATIENT
box = grading_sandbox.Sandbox(prefix="gradecore-test-")
try:
    patient_template(box)
    found = _probe(box, Path(sys.argv[2]), Path(sys.argv[3]))
finally:
    box.remove()
print(json.dumps(found, default=str))
""".replace("PATIENT", PATIENT)


@pytest.mark.skipif(os.geteuid() != 0, reason="starts the grading as an ordinary user, from root")
def test_where_the_grader_is_not_root_the_forked_run_is_kept_in_all_the_same(tmp_path):
    """The template, the run forked from it and the grader share one user: Landlock and seccomp
    alone refuse the run the grader's files, the template's signals, its socket and its
    environment."""
    import shutil
    import tempfile

    from gradecore.host.grading_sandbox import open_the_way

    work = Path(tempfile.mkdtemp(prefix="gradecore-ordinary-"))
    try:
        secret = work / "grader" / "truths.bin"
        secret.parent.mkdir()
        secret.write_text("the hidden truths")
        folder = work / "submission"
        folder.mkdir()
        for path in [work, *work.rglob("*")]:
            os.chown(path, ORDINARY_USER, ORDINARY_USER)
        open_the_way([sys.executable, os.path.realpath(sys.executable), str(ROOT / ".venv" / "bin")])
        proc = subprocess.run(
            ["setpriv", f"--reuid={ORDINARY_USER}", f"--regid={ORDINARY_USER}", "--clear-groups", "--",
             sys.executable, "-c", AS_ORDINARY_USER, str(ROOT), str(secret), str(folder)],
            cwd=work, env=dict(os.environ, HOME=str(work), TMPDIR=str(work)), capture_output=True, text=True,
            timeout=2 * TEMPLATE_WAIT_S,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        found = json.loads(proc.stdout.splitlines()[-1])
        answer = [item["value"] for item in found["outcomes"]["f"][0]["value"]["value"]]
        assert answer == [1, 0, 0, 0, 0, 0, 42]
        assert found["confined"]["user"].startswith("off")
        assert all(found["confined"][name].startswith("on") for name in ("landlock", "seccomp", "limits"))
        assert not (secret.parent / "planted").exists()
    finally:
        shutil.rmtree(work, ignore_errors=True)


COLAB_PYTHON = ROOT / ".venv-colab" / "bin" / "python"
NOT_INSTALLED = """
import json, sys
from gradecore.host import grading_sandbox
PATIENT
box = grading_sandbox.Sandbox(prefix="gradecore-test-")
try:
    patient_template(box)
    code = "import sys\\ndef f(n):\\n    return int('tensorflow' in sys.modules) + n"
    found = box.run_sealed([code], lambda: {"f": {"calls": [[41]], "numpy_only": False}}, 120,
                           submission_dir=sys.argv[1], library=True)
finally:
    box.remove()
print(json.dumps(found["outcomes"], default=str))
""".replace("PATIENT", PATIENT)


@pytest.mark.skipif(not COLAB_PYTHON.exists(), reason="needs the Colab venv (make colab-venv), a Python without the core installed")
def test_the_forked_run_works_where_the_core_is_not_installed(tmp_path):
    """Where the core is imported from a folder on PYTHONPATH only (the zip's folder on
    Gradescope and in ``otter grade``'s image), the supervisor and the run forked from the
    template import it from the sandbox's copy: a Python without the package installed."""
    done = subprocess.run([str(COLAB_PYTHON), "-c", NOT_INSTALLED, str(tmp_path)],
                          capture_output=True, text=True, timeout=2 * TEMPLATE_WAIT_S,
                          env=dict(os.environ, PYTHONPATH=str(ROOT / "autograder"), TF_CPP_MIN_LOG_LEVEL="3"))
    assert done.returncode == 0, done.stderr[-3000:]
    outcomes = json.loads(done.stdout.splitlines()[-1])
    assert outcomes["f"][0]["value"]["value"] == 42, outcomes


def test_nothing_a_forked_run_started_outlives_it_and_the_template_ends_with_its_grading(tmp_path):
    """A process detached at top level (setsid, double fork) is gone when the run is; the
    template and all it forked are gone when the grading's sandbox is removed."""
    marker = tmp_path / "alive"
    code = detaching_submission(marker)
    procs.become_subreaper()
    box = grading_sandbox.Sandbox(prefix="gradecore-test-")
    try:
        box.use_template()
        found = box.run_sealed([code], lambda: {"f": {"calls": [[1]], "numpy_only": False}}, 120,
                               submission_dir=str(tmp_path), library=True)
        assert found["outcomes"]["f"][0]["value"]["value"] == 2
        template = box._template_proc.pid
        assert procs.alive(template)
        assert [p for p in procs.descendants(template) if procs.alive(p)] == []
    finally:
        box.remove()
    deadline = time.monotonic() + 10
    while procs.alive(template) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not procs.alive(template)
    assert not marker.exists()


def _otter_run(zip_path: Path, submission: Path, out: Path, template: str, **settings: str) -> dict:
    out.mkdir()
    env = dict(os.environ, GRADECORE_TEMPLATE=template, TF_CPP_MIN_LOG_LEVEL="3", **settings)
    subprocess.run([str(Path(sys.executable).parent / "otter"), "run", "-a",
                    str(zip_path), "-o", str(out), "--no-logo",
                    str(submission)], cwd=out, env=env, capture_output=True, check=False, timeout=600)
    data = json.loads((out / "results.json").read_text())
    return {t["name"]: (t.get("score"), t.get("output")) for t in data["tests"]}


def test_otter_run_grades_the_same_with_and_without_the_template(built, tmp_path):
    """A submission with a mistake in the question that takes a Keras model, and another that
    imports TensorFlow: every score and message is the same whether the kernel and the library's
    run are forked from the template or start afresh."""
    solution = (ROOT / "solutions" / "rnn_shapes" / "solution.py").read_text()
    wrong = tmp_path / "wrong" / "rnn_shapes.py"
    wrong.parent.mkdir()
    # extract_weights returns the recurrent kernel transposed: its point is lost, the others kept
    wrong.write_text(solution + "\n\n_right = extract_weights\n\ndef extract_weights(model):\n"
                     "    Wx, Wh, bh, Wo, bo = _right(model)\n    return Wx, Wh.T, bh, Wo, bo\n")
    importing = tmp_path / "importing" / "rnn_shapes.py"
    importing.parent.mkdir()
    importing.write_text("import tensorflow as tf\n" + solution)
    graded = {}
    for submission in (wrong, importing):
        zip_path = built / "rnn_shapes" / "autograder" / "autograder.zip"
        cold = _otter_run(zip_path, submission, submission.parent / "cold", "0")
        warm = _otter_run(zip_path, submission, submission.parent / "warm", "1")
        assert warm == cold
        graded[submission.parent.name] = {question: score for question, (score, _) in warm.items()}
    assert graded["wrong"]["extract_weights"] == 0 and sum(graded["wrong"].values()) == 8
    assert sum(graded["importing"].values()) == 9


def test_where_memory_is_short_the_kernel_follows_the_truths_and_grades_the_same(built, tmp_path):
    """Under KERNEL_AFTER_TRUTHS_MB (here, any machine), the kernel starts once the truth worker has
    ended, and a cold one once the template has too: a notebook-free ``.py`` (cold kernel) and one
    that imports TensorFlow (forked kernel) get the same scores and messages as with the two beside."""
    solution = (ROOT / "solutions" / "rnn_shapes" / "solution.py").read_text()
    zip_path = built / "rnn_shapes" / "autograder" / "autograder.zip"
    for name, code in (("cold", solution), ("forked", "import tensorflow as tf\n" + solution)):
        submission = tmp_path / name / "rnn_shapes.py"
        submission.parent.mkdir()
        submission.write_text(code)
        runs = [_otter_run(zip_path, submission, submission.parent / f"after-{mb}", "1", GRADECORE_FRESH_CASES="on",
                           GRADECORE_KERNEL_AFTER_TRUTHS_MB=mb) for mb in ("0", str(10**9))]
        scores = [{question: score for question, (score, _) in run.items()} for run in runs]
        assert sum(scores[1].values()) == 9 and scores[0] == scores[1], name
        assert [sorted(run) for run in runs] == [sorted(runs[0])] * 2


ENVIRONMENT_BLOCK = """
import ctypes, sys
preloaded = "tensorflow" in sys.modules
with open("/proc/self/stat", "rb") as f:
    fields = f.read().rsplit(b")", 1)[1].split()
start, end = int(fields[47]), int(fields[48])  # env_start, env_end: this process's environment block
block = ctypes.string_at(start, end - start)

def f(n):
    return [int(preloaded), int(b"GRADECORE_SEED=" in block), int(b"GRADECORE_TEST_TOKEN=" in block),
            int(b"PATH=" in block), n]
"""


def test_a_run_forked_from_the_batchs_template_finds_none_of_the_graders_environment(tmp_path, monkeypatch):
    """A fork keeps its template's environment block (what ``/proc/self/stat`` points to) whatever
    ``os.environ`` it is given: the batch's template starts without the grader's environment (its
    tokens, the seed it pins), so the library's sealed run forked from it finds none of it."""
    from gradecore.cli.grading import UnpackedZip, WarmKernels

    zip_path = tmp_path / "autograder.zip"
    with zipfile.ZipFile(zip_path, "w") as zf:
        for path in (ROOT / "autograder" / "gradecore").rglob("*.py"):
            zf.write(path, path.relative_to(ROOT / "autograder"))
        zf.writestr(about.ASSIGNMENT_FILE, json.dumps({"name": "rnn_shapes"}))
    monkeypatch.setenv("GRADECORE_SEED", "4242")
    monkeypatch.setenv("GRADECORE_TEST_TOKEN", "the instructor's")
    code = UnpackedZip(zip_path)
    kernels = WarmKernels(code)
    try:
        kernels.ensure()
        monkeypatch.setenv(limits.WARM_KERNELS_VARIABLE, kernels.path)
        box = grading_sandbox.Sandbox(prefix="gradecore-test-")
        try:
            box.use_template()
            found = box.run_sealed([ENVIRONMENT_BLOCK], lambda: {"f": {"calls": [[7]], "numpy_only": False}}, 300,
                                   submission_dir=str(tmp_path), library=True)
        finally:
            box.remove()
    finally:
        kernels.stop()
        code.remove()
    # forked from the template (TensorFlow loaded), and its block holds the sandbox's PATH only
    assert [item["value"] for item in found["outcomes"]["f"][0]["value"]["value"]] == [1, 0, 0, 1, 7]


def test_the_template_imports_nothing_from_the_folder_it_starts_in(tmp_path, monkeypatch):
    """The grading's template is started from otter's working folder, the submission's, which
    holds files under the names the student gave them: ``python -m`` would put it first on
    ``sys.path``, and a ``psutil.py`` there would run in the template, as the grader and
    unconfined. The template imports none of them, and still forks the library's run."""
    folder = tmp_path / "submission"
    folder.mkdir()
    marker = tmp_path / "imported"
    for name in ("psutil", "numpy", "tensorflow", "ipykernel"):
        (folder / f"{name}.py").write_text(f"open({str(marker)!r}, 'a').write({name!r} + '\\n')\n")
    monkeypatch.chdir(folder)
    box = grading_sandbox.Sandbox(prefix="gradecore-test-")
    try:
        box.use_template()
        code = "import sys\ndef f(n):\n    return int('tensorflow' in sys.modules) + n"
        found = box.run_sealed([code], lambda: {"f": {"calls": [[41]], "numpy_only": False}}, 120,
                               submission_dir=str(folder), library=True)
    finally:
        box.remove()
    assert not marker.exists(), marker.read_text()
    assert found["outcomes"]["f"][0]["value"]["value"] == 42  # forked: TensorFlow already loaded


def test_a_truth_worker_forked_from_the_template_computes_the_bits_a_fresh_one_does(tmp_path):
    """The judge's truth worker forked from a grading's template (TensorFlow imported, no op run)
    gives every truth of a grading's seed bit for bit as a fresh Python that imports TensorFlow
    does; a judge whose template does not answer starts such a fresh one."""
    from gradecore.host import forkserver_client
    from gradecore.judge import secret, service

    seed = secret.grading_seed(secret.from_seed(20261123), 7)
    path = str(tmp_path / "template.sock")
    proc = forkserver_client.start(path)
    workers = [service.TruthWorker("rnn_shapes", seed, path),
               service.TruthWorker("rnn_shapes", seed, str(tmp_path / "no-template.sock"))]
    try:
        assert [w.forked for w in workers] == [True, False]
        beats: list[list[int]] = [[], []]
        forked, fresh = (w.store(lambda i=i: beats[i].append(1)) for i, w in enumerate(workers))
        assert forked.known and forked.dumps() == fresh.dumps()
        # each said it was working (its truths computed, its import of TensorFlow for the fresh one)
        assert all(beats), beats
    finally:
        for worker in workers:
            worker.end()
        proc.kill()
        proc.wait()
