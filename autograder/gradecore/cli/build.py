"""Build each assignment's student folder and autograder zip from its master notebook.

An assignment is a folder ``assignments/<name>/`` holding ``<name>.ipynb`` (the master notebook,
for ``otter assign``), ``requirements.txt`` and the ``grader`` package that defines its ``SPEC``.
The build fills in what the spec says once: each question's points, and its hidden check (a cell
that hands the question to the judge); it ships the grading core and the assignment's grader in
the zip, and names the assignment in the plugin's configuration. ``otter assign`` does the rest in
a staging folder; the outputs then get stable names, cell ids and zip timestamps, so that the
same sources build the same bytes.
"""

from __future__ import annotations

import base64
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
import yaml

from gradecore.cli.secret import instructor_secret
from gradecore.host.kernelspec import filtered_stderr
from gradecore.judge import secret, truths
from gradecore.judge.service import prepare_truths
from gradecore.protocol.about import ASSIGNMENT_FILE, about
from gradecore.public import spec as specs

ROOT = Path(__file__).resolve().parents[3]
ASSIGNMENTS = ROOT / "assignments"
CORE = Path(__file__).resolve().parents[1]
CORE_NAME = CORE.name
CLI = Path(__file__).resolve().parent
ZIP_DATE = (2026, 1, 1, 0, 0, 0)
PLUGIN = f"{CORE_NAME}.host.plugin.JudgePlugin"

HIDDEN_CHECK = '''\
""" # BEGIN TEST CONFIG
points: {points:g}
hidden: true
""" # END TEST CONFIG
def test_{name}_hidden(env):
    """{title}"""
    # Decided outside the kernel: the grader's plugin runs this question's calls in a sealed
    # process and writes its result itself; nothing this test does in the kernel counts.'''
"""The hidden check of each question, as otter's test file: a placeholder that otter runs in the
kernel and the plugin ignores (the judge decides, from calls made outside the kernel)."""


def assignment_names() -> list[str]:
    """Every folder under ``assignments/`` with a master notebook and a grader package."""
    return sorted(
        p.name for p in ASSIGNMENTS.iterdir()
        if (p / f"{p.name}.ipynb").is_file() and (p / "grader" / "__init__.py").is_file()
    )


def grading_files(name: str) -> dict[str, Path]:
    """The Python files the zip ships, by their path in the zip: the core and the assignment's grader."""
    files = {}
    for path in sorted(CORE.rglob("*.py")):
        if CLI not in path.parents:
            files[f"{CORE_NAME}/{path.relative_to(CORE).as_posix()}"] = path
    files["assignments/__init__.py"] = ASSIGNMENTS / "__init__.py"
    files[f"assignments/{name}/__init__.py"] = ASSIGNMENTS / name / "__init__.py"
    for path in sorted((ASSIGNMENTS / name / "grader").rglob("*.py")):
        files[f"assignments/{name}/grader/{path.relative_to(ASSIGNMENTS / name / 'grader').as_posix()}"] = path
    return files


def _raw_config(source: str) -> dict:
    return yaml.safe_load(source.split("\n", 1)[1] if "\n" in source else "") or {}


def master_notebook(spec: specs.AssignmentSpec) -> nbformat.NotebookNode:
    """The master notebook with what the spec says filled in for ``otter assign``."""
    nb = nbformat.read(ASSIGNMENTS / spec.name / f"{spec.name}.ipynb", as_version=4)
    cells, question, seen = [], None, []
    for cell in nb.cells:
        source = cell.source
        if cell.cell_type == "raw" and source.startswith("# ASSIGNMENT CONFIG"):
            config = _raw_config(source)
            if config.get("name") != spec.name:
                raise ValueError(f"{spec.name}.ipynb names its assignment {config.get('name')!r}")
            config["autograder_files"] = [CORE_NAME, "assignments"]
            config.setdefault("generate", {})["plugins"] = [{PLUGIN: {"assignment": spec.name}}]
            cell.source = "# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=False).rstrip("\n")
        elif cell.cell_type == "raw" and source.startswith("# BEGIN QUESTION"):
            config = _raw_config(source)
            question = spec.question(config["name"])
            config["points"] = question.points
            seen.append(question.name)
            cell.source = "# BEGIN QUESTION\n" + yaml.safe_dump(config, sort_keys=False).rstrip("\n")
        elif cell.cell_type == "raw" and source.strip() == "# END TESTS":
            if question is None:
                raise ValueError(f"{spec.name}.ipynb has tests outside a question")
            text = HIDDEN_CHECK.format(points=question.points, name=question.name, title=question.title, core=CORE_NAME)
            cells.append(nbformat.v4.new_code_cell(text))
        cells.append(cell)
    if tuple(seen) != spec.names:
        raise ValueError(f"{spec.name}.ipynb has the questions {seen}, its spec {list(spec.names)}")
    nb.cells = cells
    return nb


METADATA_GUARD = '''

def _ready_for_otter(autograder_dir):
    """Two fixes for otter grade's image. It holds the zip's files/ but not its root, where the
    plugin's package lies: import it from files/. It leaves submission_metadata.json empty (touch),
    and otter json.loads that file whenever a plugin is set, before any plugin runs: an empty or
    missing file means no metadata, {}."""
    import os
    import sys

    sys.path.append(os.path.join(autograder_dir, "source", "files"))
    path = os.path.join(autograder_dir, "submission_metadata.json")
    if not os.path.isfile(path) or not open(path, encoding="utf-8").read().strip():
        with open(path, "w", encoding="utf-8") as f:
            f.write("{}")
'''
"""Added to the zip's ``run_otter.py`` (what Gradescope's and ``otter grade``'s ``run_autograder``
run) before it calls otter."""


def _run_otter(text: str) -> str:
    """otter's ``run_otter.py`` with the metadata guard before ``run_autograder("/autograder")``."""
    call = '    run_autograder("/autograder")'
    if call not in text:
        raise RuntimeError("otter's run_otter.py changed: review the metadata guard")
    return text.replace("\n\nif __name__", METADATA_GUARD + "\n\nif __name__").replace(
        call, '    _ready_for_otter("/autograder")\n' + call
    )


def _stable_ids(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        digest = hashlib.sha1(f"{i}:{cell.cell_type}:{cell.source}".encode()).hexdigest()
        cell["id"] = digest[:12]
    nbformat.write(nb, path)


PUBLIC_CASE = "@test_case(points=0, hidden=False)"
"""How otter assign writes a public check in the autograder's test files: worth 0 there."""


def _score_public_checks(student: Path, name: str) -> None:
    """Give each public check its question's points, in the student's copy only.

    The grade comes from the hidden checks alone (the judge decides them), so the autograder's
    public checks are worth 0. ``otter check`` divides by the public checks' points and fails at
    0, so the student's copy (whose checks live in the notebook's metadata) gives each public
    check its question's points.
    """
    path = student / f"{name}.ipynb"
    nb = nbformat.read(path, as_version=4)
    tests = nb.metadata["otter"]["tests"]
    for question, text in tests.items():
        points = re.search(r"^points = ([0-9.]+)$", text, re.MULTILINE)
        if points is None or PUBLIC_CASE not in text:
            raise RuntimeError(f"{path}: {question} has no public check worth 0 points")
        tests[question] = text.replace(PUBLIC_CASE, f"@test_case(points={points[1]}, hidden=False)")
    nbformat.write(nb, path)


def hidden_only(test_file: str) -> str:
    """An otter test file without its public checks: the autograder runs nothing it does not score.

    The grade comes from the hidden checks alone, so a public check at grading would only cost
    time (a Keras model of its own) and run a hanging function a second time. The student's copy
    keeps them.
    """
    head, *cases = re.split(r"(?m)^(?=@test_case\()", test_file)
    kept = [case for case in cases if not case.startswith(PUBLIC_CASE)]
    if len(kept) == len(cases) or not kept:
        raise RuntimeError("an otter test file changed shape: expected public checks and a hidden one")
    return head + "".join(kept)


def _rewrite_zip(spec: specs.AssignmentSpec, source: Path, dest: Path, shipped: dict[str, bytes]) -> None:
    """Repack with sorted entries and a fixed date; add the grading code, the shipped truths and
    ``assignment.json``.

    Gradescope and ``otter grade`` run ``python /autograder/source/run_otter.py``, so packages at
    the zip's root are importable by otter itself, which loads the plugin from them.
    """
    entries: dict[str, bytes] = {}
    with zipfile.ZipFile(source) as zf:
        for name in zf.namelist():
            if not name.endswith("/"):
                entries[name] = zf.read(name)
    # otter rejects a notebook whose otter.assignment_name metadata differs, and one without it:
    # a student who copied the functions into a fresh notebook would get 0. Grade any notebook
    # that defines them.
    config = json.loads(entries["otter_config.json"])
    config.pop("assignment_name", None)
    entries["otter_config.json"] = json.dumps(config, indent=4).encode()
    entries["run_otter.py"] = _run_otter(entries["run_otter.py"].decode()).encode()
    for name in entries:
        if re.fullmatch(r"tests/[^/]+\.py", name):
            entries[name] = hidden_only(entries[name].decode()).encode()
    for name, path in grading_files(spec.name).items():
        entries[name] = path.read_bytes()
    entries.update(shipped)
    entries[ASSIGNMENT_FILE] = (json.dumps(about(spec), indent=2) + "\n").encode()
    dest.write_bytes(_zip_bytes(entries))


def _zip_bytes(entries: dict[str, bytes | str]) -> bytes:
    """A zip of ``entries`` with sorted names, a fixed date and mode: the same bytes each build."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, entries[name])
    return buf.getvalue()


def build_assignment(name: str, dist: Path = ROOT / "dist", development_seed: bool = False) -> Path:
    """Build ``dist/<name>/student`` and ``dist/<name>/autograder``; return the latter's zip.

    The hidden checks come from the instructor's secret (:mod:`gradecore.cli.secret`: made on the
    first build, kept outside the repository, so the same sources build the same bytes); with
    ``development_seed``, from one made from the assignment's development seed (the tests' builds,
    whose bytes are compared with goldens).
    """
    spec = specs.load(name)
    out = dist / name
    shutil.rmtree(out, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="gradecore-build-") as tmp:
        return _build_in(spec, Path(tmp) / name, out, instructor_secret(spec.default_seed if development_seed else None))


def build(dist: Path = ROOT / "dist", names: list[str] | None = None, development_seed: bool = False) -> list[Path]:
    """Build every assignment (or those named); return their zips."""
    return [build_assignment(name, dist, development_seed) for name in (names or assignment_names())]


def _build_in(spec: specs.AssignmentSpec, stage: Path, out: Path, instructor: bytes) -> Path:
    stage.mkdir(parents=True)
    source = ASSIGNMENTS / spec.name
    nbformat.write(master_notebook(spec), stage / f"{spec.name}.ipynb")
    shutil.copy(source / "requirements.txt", stage)
    for name, path in grading_files(spec.name).items():
        (stage / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, stage / name)
    # The build's cases' truths (and the catalogue's outcomes where the library builds the
    # argument), computed here once with the real library from the instructor's secret: the
    # questions whose argument is a Keras model keep these cases; every grading draws the others
    # afresh. The secret goes with them: the judge draws each grading's cases from it. otter ships
    # both in files/ too, from the staged grader package; the plugin removes that copy before the
    # submission runs.
    with filtered_stderr():
        shipped = {
            f"assignments/{spec.name}/grader/{truths.SHIPPED_FILE}": prepare_truths(spec, secret.build_seed(instructor)),
            f"assignments/{spec.name}/grader/{secret.SECRET_FILE}": secret.file_text(instructor),
        }
    for name, data in shipped.items():
        (stage / name).write_bytes(data)
    subprocess.run(
        [sys.executable, "-m", "otter", "assign", "--no-pdfs", str(stage / f"{spec.name}.ipynb"), str(out)],
        check=True,
        cwd=stage,
    )
    zips = sorted((out / "autograder").glob("*.zip"))
    if len(zips) != 1:
        raise RuntimeError(f"otter assign made {len(zips)} zips, expected one")
    target = out / "autograder" / "autograder.zip"
    _rewrite_zip(spec, zips[0], target, shipped)
    if zips[0] != target:
        zips[0].unlink()
    _score_public_checks(out / "student", spec.name)
    _self_contained(spec, out)
    for notebook in (out / "student" / f"{spec.name}.ipynb", out / "autograder" / f"{spec.name}.ipynb"):
        _stable_ids(notebook)
    return target


STUDENT_INIT = '''\
# Set up the checks. Where otter-grader is missing (Colab), this installs it first.
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # TensorFlow's C++ start-up lines (absl, CPU, CUDA on Colab)
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # and its oneDNN notice (2.21)
import base64, glob, json, sys, tempfile


def _this_notebook():
    """This notebook's file (None on Colab, which keeps it in Drive) and contents, whatever its name:
    of the copies in this folder, the one holding most of the cells this kernel ran."""
    if "google.colab" in sys.modules:
        from google.colab import _message
        return None, _message.blocking_request("get_ipynb", timeout_sec=60)["ipynb"]
    ran = {{cell.strip() for cell in globals().get("In", []) if cell.strip()}}
    opened = [str(p) for p in (globals().get("__vsc_ipynb_file__"), globals().get("__session__")) if p]
    opened += [os.path.basename(p) for p in opened]
    found = []
    for rank, path in enumerate(opened + sorted(glob.glob("*.ipynb"), key=os.path.getmtime, reverse=True)):
        try:
            with open(path, encoding="utf-8") as f:
                notebook = json.load(f)
        except (OSError, ValueError):
            continue
        if notebook.get("metadata", {{}}).get("gradecore", {{}}).get("assignment") != "{name}":
            continue
        cells = {{"".join(c["source"]).strip() for c in notebook["cells"] if c["cell_type"] == "code"}}
        found.append((-len(ran & cells), rank, path, notebook))
    if not found:
        print(f"No copy of the {name} notebook in {{os.getcwd()}}: open the notebook from its own folder to check it.")
        return None, None
    return min(found)[2:]


_path, _notebook = _this_notebook()
_checks = os.path.join(tempfile.gettempdir(), f"{name}-checks-{{os.getpid()}}")
try:
    os.makedirs(os.path.join(_checks, "tests"), exist_ok=True)
    if _notebook is not None:
        for _question, _check in _notebook["metadata"]["otter"]["tests"].items():
            with open(os.path.join(_checks, "tests", _question + ".py"), "w", encoding="utf-8") as _file:
                _file.write(_check)
        with open(os.path.join(_checks, "gradecore_public.zip"), "wb") as _file:
            _file.write(base64.b64decode(_notebook["metadata"]["gradecore"]["public"]))
        sys.path.insert(0, os.path.join(_checks, "gradecore_public.zip"))
except OSError as _error:
    print(f"The checks cannot be set up in {{_checks}}: {{_error.strerror}}.")
try:
    import otter
except ModuleNotFoundError:
    %pip install -q otter-grader=={otter}
    try:
        import otter
    except ModuleNotFoundError:
        otter = None
try:
    from gradecore_public.runner import ChecksWithoutOtter, PublicChecks, notebook_order
except ImportError:  # no copy of the notebook found, or the checks could not be written (grading)
    PublicChecks = None
if otter is None:
    print("otter-grader could not be installed (see above): the checks run without it, and the last cell says how to submit.")
    grader = ChecksWithoutOtter(_notebook, "{name}", "{otter}") if PublicChecks and _notebook else None
elif PublicChecks is None or _notebook is None:
    grader = otter.Notebook(_path, tests_dir=os.path.join(_checks, "tests"))
else:
    class _Checks(otter.Notebook):
        """otter's notebook whose checks show each check's own message, and check_all the notebook's order."""
        _public = PublicChecks(_notebook["metadata"]["otter"]["tests"], notebook_order(_notebook))

        def check(self, question, global_env=None):
            if type(self)._grading_mode:
                return super().check(question, global_env)
            return self._public.check(question, global_env if global_env is not None else globals())

        def check_all(self):
            if type(self)._grading_mode:
                return None
            return self._public.check_all(globals())

    grader = _Checks(_path, tests_dir=os.path.join(_checks, "tests"))'''
"""The notebook's first cell. The public checks and their helper are in the notebook's metadata,
so the notebook alone is enough wherever it is opened and whatever its file is called: Jupyter
has it on disk, Colab hands it over. It never raises: where no notebook is found (a script
exported from the notebook) or the checks cannot be written (the grading kernel, which may not
write to /tmp), the checks have nothing to run, and grading lists no error for the cell. Where
otter-grader cannot be installed, the checks run without it (:class:`gradecore.public.runner.
ChecksWithoutOtter`) and the submit cell says what to submit. A check shows the check's own
message (:mod:`gradecore.public.runner`), not otter's frame around it."""

STUDENT_SUBMIT = '''\
# Save this notebook first (Ctrl+S), then run this cell: it makes the file to submit. In Jupyter
# that is a zip holding this notebook, beside it; on Colab, this notebook, downloaded as {name}.ipynb.
_path, _notebook = _this_notebook()
if "google.colab" in sys.modules:
    # Colab keeps the notebook in Drive: download the copy Colab holds, and submit that file.
    from google.colab import files
    with open("{name}.ipynb", "w", encoding="utf-8") as _file:
        json.dump(_notebook, _file)
    files.download("{name}.ipynb")
    print("Submit the downloaded file {name}.ipynb.")
elif otter is None:
    print("otter-grader is not installed, so no zip can be made: submit this notebook file itself (saved), "
          + (os.path.abspath(_path) if _path else "{name}.ipynb") + ". It is graded the same way.")
elif _path is not None:
    print("Exporting", os.path.abspath(_path))
    _here = os.getcwd()
    os.chdir(os.path.dirname(os.path.abspath(_path)))
    try:
        grader.export(os.path.basename(_path), pdf=False)
    finally:
        os.chdir(_here)'''
"""The submit cell: in Jupyter, otter's zip of the notebook (``rnn-shapes grade`` and ``otter
run`` grade it as they grade the notebook), made from the notebook's own folder so that the zip
holds it at its top; on Colab, where otter cannot export, the notebook itself, downloaded through
Colab's own API; where otter-grader could not be installed, which file to submit instead. Its first
lines say which file it makes where."""

OTTER_SUBMIT = "# Save your notebook first, then run this cell to export your submission.\ngrader.export(pdf=False)"
PUBLIC_PACKAGE = "gradecore_public"
PUBLIC_MODULES = tuple(sorted(p.name for p in (CORE / "public").glob("*.py") if p.name != "__init__.py"))
"""What the public checks import: every module of :mod:`gradecore.public` (which imports nothing
else of the core, ``tests/unit/test_core.py``), shipped to students inside the notebook, as the
package ``gradecore_public``."""


def public_bundle() -> bytes:
    """The zip of :data:`PUBLIC_MODULES` that the notebook and the pytest file carry, byte for byte the same each build."""
    entries = {f"{PUBLIC_PACKAGE}/{name}": (CORE / "public" / name).read_text() for name in PUBLIC_MODULES}
    return _zip_bytes(entries | {f"{PUBLIC_PACKAGE}/__init__.py": ""})


OTTER_INIT = "# Initialize Otter\nimport otter\n"
CLASSROOM_FILE = ".github/classroom/autograding.json"
PYTEST_FILES = {"pytest.ini": "[pytest]\naddopts = -ra\n"}
"""``pytest.ini`` makes the student folder pytest's root, whatever folder holds it."""
STUDENT_README = '''\
# {name}

Open `{name}.ipynb` in Jupyter or on Colab, or write the functions in `{name}.py` (a skeleton of
them), whichever your course asks for. The notebook says what each function must do.

## Checking your work

- In the notebook: run the `grader.check("...")` cell under each function, or `grader.check_all()`.
  The notebook finds its checks whatever its file is called.
- From a terminal, in this folder: `python -m pip install {requirements}` once, then `pytest`.
  pytest checks whichever you saved last of `{name}.py` and this folder's notebook; its header says
  which file it checks. `pytest --submission=FILE` checks another file (with a space instead of `=`,
  name the checks first: `pytest test_{name}.py --submission FILE`).

The checks run your functions on a few models of your own Keras, at the notebook's sizes and a few
more, and say what a wrong answer shows, and which mistake it looks like where they can tell. The
grade comes from hidden checks on many other sizes, where the functions that must use NumPy alone
earn nothing for a call into TensorFlow or Keras.

## Submitting

Submit one file:
- from Jupyter: the zip that the notebook's last cell makes (it holds the notebook);
- from Colab: the `.ipynb` that the notebook's last cell downloads;
- or your `.ipynb` or `{name}.py` itself.

All are graded the same way: only the functions count, whatever else the file holds.
'''
"""The student folder's README: the terminal route, and what to submit."""

STUDENT_CONFTEST = '''\
"""pytest in this folder: ``--submission FILE`` chooses the file to check, and the header names it."""

import os

import pytest
from test_{name} import submission_file


def pytest_addoption(parser):
    parser.addoption(
        "--submission", default=None,
        help="the .py or .ipynb file to check (default: {name}.py if it is here, else this folder's {name} notebook)",
    )


def pytest_configure(config):
    chosen = config.getoption("submission")
    if chosen and os.path.isdir(chosen):
        raise pytest.UsageError(f"--submission {{chosen}} is a folder: a file (.py or .ipynb) is expected")


def pytest_report_header(config):
    path = submission_file(config.getoption("submission"))
    return [f"checking {{path.name}} (in {{path.parent}})"]
'''
CLASSROOM_TIMEOUT_MIN = 10


def _otter_version() -> str:
    from importlib.metadata import version

    return version("otter-grader")


def _own_init_cell(notebook: Path, name: str) -> None:
    """Replace otter's init and export cells with :data:`STUDENT_INIT` and :data:`STUDENT_SUBMIT`; add the checks' helper."""
    nb = nbformat.read(notebook, as_version=4)
    first = nb.cells[0]
    if first.cell_type != "code" or not first.source.startswith(OTTER_INIT):
        raise RuntimeError(f"{notebook}: otter's init cell changed: review STUDENT_INIT")
    first.source = STUDENT_INIT.format(otter=_otter_version(), name=name)
    submits = [c for c in nb.cells if c.cell_type == "code" and c.source == OTTER_SUBMIT]
    if len(submits) != 1:
        raise RuntimeError(f"{notebook}: otter's export cell changed: review STUDENT_SUBMIT")
    submits[0].source = STUDENT_SUBMIT.format(name=name)
    nb.metadata["gradecore"] = {"assignment": name, "public": base64.b64encode(public_bundle()).decode()}
    nbformat.write(nb, notebook)


def student_checks_file(name: str, checks: dict[str, str]) -> str:
    """``test_<name>.py`` for the student folder: ``student_checks.py`` with the checks filled in."""
    text = (CLI / "student_checks.py").read_text()
    helper = base64.b64encode(public_bundle()).decode()
    for line, value in (
        ('ASSIGNMENT = "ASSIGNMENT"', repr(name)),
        ("CHECKS: dict[str, str] = {}", json.dumps(checks, indent=4)),
        ('HELPER = ""', repr(helper)),
    ):
        if line not in text:
            raise RuntimeError(f"student_checks.py has no line {line!r}")
        text = text.replace(line, line.rsplit(" = ", 1)[0] + " = " + value, 1)
    for placeholder in ("ASSIGNMENT.py", "ASSIGNMENT.ipynb", "test_ASSIGNMENT.py"):
        text = text.replace(f"``{placeholder}``", f"``{placeholder.replace('ASSIGNMENT', name)}``")
    return text


SKELETON_HEADER = '''\
"""{name}: the functions to write, for those who work in a .py file rather than the notebook.

{name}.ipynb says what each function must do (its docstring here says it too). Replace each
``raise NotImplementedError(...)`` with your code, then run ``pytest`` in this folder: it checks
whichever of this file and the notebook you saved last (its header says which). Submit this file
or the notebook: only the functions count.
"""

'''


def skeleton(spec: specs.AssignmentSpec, notebook: nbformat.NotebookNode) -> str:
    """``<name>.py`` for the student folder: the student notebook's imports and function stubs, as a script."""
    stubs = [
        cell.source.strip() for cell in notebook.cells
        if cell.cell_type == "code" and any(cell.source.lstrip().startswith(f"def {q}(") for q in spec.names)
    ]
    missing = [q for q in spec.names if not any(f"def {q}(" in stub for stub in stubs)]
    if missing:
        raise RuntimeError(f"the student notebook has no stub cell for {', '.join(missing)}: review skeleton()")
    return SKELETON_HEADER.format(name=spec.name) + "import numpy as np\n\n\n" + "\n\n\n".join(stubs) + "\n"


def grading_requirements(spec: specs.AssignmentSpec) -> list[str]:
    """The assignment's ``requirements.txt``: what grading installs."""
    return [
        line.strip() for line in (ASSIGNMENTS / spec.name / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]


def student_requirements(spec: specs.AssignmentSpec) -> list[str]:
    """What a student's own machine needs for the checks, at the versions grading uses: TensorFlow and
    NumPy of the assignment's requirements (``tensorflow`` itself, which every platform has, for the
    ``tensorflow-cpu`` build grading installs) and the pytest the build runs with (this project's
    ``constraints.txt`` pins it)."""
    wanted = []
    for line in grading_requirements(spec):
        package, _, version = line.partition("==")
        if package in ("tensorflow", "tensorflow-cpu", "numpy"):
            wanted.append(f"{'tensorflow' if package.startswith('tensorflow') else package}=={version}")
    from importlib.metadata import version

    return wanted + [f"pytest=={version('pytest')}"]


def classroom_config(spec: specs.AssignmentSpec) -> dict:
    """GitHub Classroom's autograding: one pytest run per question, worth its points."""
    requirements = grading_requirements(spec)
    tests = []
    for i, q in enumerate(spec.questions):
        tests.append({
            "name": q.name,
            "setup": "python -m pip install -q pytest " + " ".join(requirements) if i == 0 else "",
            "run": f"python -m pytest -q 'test_{spec.name}.py::test_public_check[{q.name}]'",
            "input": "",
            "output": "",
            "comparison": "included",
            "timeout": CLASSROOM_TIMEOUT_MIN,
            "points": q.points,
        })
    return {"tests": tests}


def _self_contained(spec: specs.AssignmentSpec, out: Path) -> None:
    """The student folder as students get it: the notebook alone carries its checks (Colab), and
    pytest and GitHub Classroom run the same checks from the folder."""
    student = out / "student"
    for notebook in (student / f"{spec.name}.ipynb", out / "autograder" / f"{spec.name}.ipynb"):
        _own_init_cell(notebook, spec.name)
    checks = dict(nbformat.read(student / f"{spec.name}.ipynb", as_version=4).metadata["otter"]["tests"])
    checks = {q: checks[q] for q in spec.names if q in checks}
    files = dict(PYTEST_FILES)
    files[f"test_{spec.name}.py"] = student_checks_file(spec.name, checks)
    files["conftest.py"] = STUDENT_CONFTEST.format(name=spec.name)
    files["README.md"] = STUDENT_README.format(name=spec.name, requirements=" ".join(student_requirements(spec)))
    files[CLASSROOM_FILE] = json.dumps(classroom_config(spec), indent=2) + "\n"
    files[f"{spec.name}.py"] = skeleton(spec, nbformat.read(student / f"{spec.name}.ipynb", as_version=4))
    for name, text in files.items():
        (student / name).parent.mkdir(parents=True, exist_ok=True)
        (student / name).write_text(text)
