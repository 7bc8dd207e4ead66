"""Build each assignment's student folder and autograder zip from its master notebook.

An assignment is a folder ``assignments/<name>/`` holding ``<name>.ipynb`` (the master notebook,
for ``otter assign``), ``requirements.txt`` and the ``grader`` package that defines its ``SPEC``.
The build fills in what the spec says once: each question's points, and its hidden check (a cell
that hands the question to the judge); it ships the grading core and the assignment's grader in
the zip, and names the assignment in the plugin's configuration. ``otter assign`` does the rest in
a staging folder; the outputs then get stable names, cell ids and zip timestamps, so that the
same sources build the same bytes. The files it writes itself (the student folder's README,
``conftest.py``, ``pytest.ini`` and skeleton, the notebook's first and last cells, each hidden check,
the guard in ``run_otter.py``, the student folder's ``test_<name>.py``) are Jinja2 templates in
``templates/generated/``.
"""

from __future__ import annotations

import base64
import functools
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

import jinja2
import nbformat
import yaml

from gradecore.cli.secret import instructor_secret
from gradecore.host.stderr_filter import filtered_stderr
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
TEMPLATES = CLI / "templates" / "generated"
"""The generated files' Jinja2 templates: the student folder's files, its notebook's own cells,
each question's hidden check and the zip's guard in ``run_otter.py``; each says what it is."""


@functools.cache
def _templates() -> jinja2.Environment:
    # Python and Markdown, not HTML: nothing is escaped, and a file keeps its last newline. A value
    # written into Python code goes through ``repr`` (a str) or ``json_indented`` (a dict of str).
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                                     keep_trailing_newline=True, autoescape=False)
    environment.filters["repr"] = repr
    environment.filters["json_indented"] = functools.partial(json.dumps, indent=4)
    return environment


def _render(template: str, **values) -> str:
    """The file that ``templates/generated/<template>`` makes of ``values``."""
    return _templates().get_template(template).render(values)


def _cell(template: str, **values) -> str:
    """A notebook cell's source from its template, which ends in a newline as a file does; a cell does not."""
    return _render(template, **values).removesuffix("\n")



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
            text = _cell("hidden_check.py.j2", points=format(question.points, "g"), name=question.name, title=question.title)
            cells.append(nbformat.v4.new_code_cell(text))
        cells.append(cell)
    if tuple(seen) != spec.names:
        raise ValueError(f"{spec.name}.ipynb has the questions {seen}, its spec {list(spec.names)}")
    nb.cells = cells
    return nb




def _run_otter(text: str) -> str:
    """otter's ``run_otter.py`` with the metadata guard before ``run_autograder("/autograder")``."""
    call = '    run_autograder("/autograder")'
    if call not in text:
        raise RuntimeError("otter's run_otter.py changed: review the metadata guard")
    return text.replace("\n\nif __name__", "\n\n" + _render("metadata_guard.py.j2") + "\n\nif __name__").replace(
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


STUDENT_INIT_CELL = "student_init.py.j2"
"""The notebook's first cell. The public checks and their helper are in the notebook's metadata,
so the notebook alone is enough wherever it is opened and whatever its file is called: Jupyter
has it on disk, Colab hands it over. It never raises: where no notebook is found (a script
exported from the notebook) or the checks cannot be written (the grading kernel, which may not
write to /tmp), the checks have nothing to run, and grading lists no error for the cell. Where
otter-grader cannot be installed, the checks run without it (:class:`gradecore.public.runner.
ChecksWithoutOtter`) and the submit cell says what to submit. A check shows the check's own
message (:mod:`gradecore.public.runner`), not otter's frame around it."""

STUDENT_SUBMIT_CELL = "student_submit.py.j2"
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
CLASSROOM_TIMEOUT_MIN = 10


def _otter_version() -> str:
    from importlib.metadata import version

    return version("otter-grader")


def _own_init_cell(notebook: Path, name: str) -> None:
    """Replace otter's init and export cells with :data:`STUDENT_INIT_CELL` and :data:`STUDENT_SUBMIT_CELL`; add the checks' helper."""
    nb = nbformat.read(notebook, as_version=4)
    first = nb.cells[0]
    if first.cell_type != "code" or not first.source.startswith(OTTER_INIT):
        raise RuntimeError(f"{notebook}: otter's init cell changed: review {STUDENT_INIT_CELL}")
    first.source = _cell(STUDENT_INIT_CELL, otter=_otter_version(), name=name)
    submits = [c for c in nb.cells if c.cell_type == "code" and c.source == OTTER_SUBMIT]
    if len(submits) != 1:
        raise RuntimeError(f"{notebook}: otter's export cell changed: review {STUDENT_SUBMIT_CELL}")
    submits[0].source = _cell(STUDENT_SUBMIT_CELL, name=name)
    nb.metadata["gradecore"] = {"assignment": name, "public": base64.b64encode(public_bundle()).decode()}
    nbformat.write(nb, notebook)


STUDENT_CHECKS = "student_checks.py.j2"
"""The student folder's ``test_<name>.py``: the public checks for pytest, one test per question (the
same checks as the notebook's ``grader.check`` cells), with the checks' helper package."""


def student_checks_file(name: str, checks: dict[str, str]) -> str:
    """``test_<name>.py`` for the student folder: :data:`STUDENT_CHECKS` with the assignment, its
    public checks (otter's test files, by question) and :func:`public_bundle` filled in."""
    return _render(STUDENT_CHECKS, name=name, checks=checks, helper=base64.b64encode(public_bundle()).decode())


def skeleton(spec: specs.AssignmentSpec, notebook: nbformat.NotebookNode) -> str:
    """``<name>.py`` for the student folder: the student notebook's imports and function stubs, as a script."""
    stubs = [
        cell.source.strip() for cell in notebook.cells
        if cell.cell_type == "code" and any(cell.source.lstrip().startswith(f"def {q}(") for q in spec.names)
    ]
    missing = [q for q in spec.names if not any(f"def {q}(" in stub for stub in stubs)]
    if missing:
        raise RuntimeError(f"the student notebook has no stub cell for {', '.join(missing)}: review skeleton()")
    return _render("skeleton.py.j2", name=spec.name, stubs=stubs)


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
    files = {"pytest.ini": _render("pytest.ini.j2")}
    files[f"test_{spec.name}.py"] = student_checks_file(spec.name, checks)
    files["conftest.py"] = _render("conftest.py.j2", name=spec.name)
    files["README.md"] = _render("README.md.j2", name=spec.name, requirements=" ".join(student_requirements(spec)))
    files[CLASSROOM_FILE] = json.dumps(classroom_config(spec), indent=2) + "\n"
    files[f"{spec.name}.py"] = skeleton(spec, nbformat.read(student / f"{spec.name}.ipynb", as_version=4))
    for name, text in files.items():
        (student / name).parent.mkdir(parents=True, exist_ok=True)
        (student / name).write_text(text)
