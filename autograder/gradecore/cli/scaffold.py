"""``rnn-shapes new NAME``: a new assignment folder and its reference solution, from templates.

The templates are package data (``tools/templates/``), so an installed copy scaffolds as well as
a checkout: ``templates/assignment/`` becomes ``assignments/NAME/`` and ``templates/solution/``
becomes ``solutions/NAME/``, each ``*.jinja`` file rendered with Jinja2 (``assignment.ipynb``
becomes ``NAME.ipynb``). The result is a small but real assignment, two NumPy questions on a Dense
layer with hidden checks, Keras truths and a mistake catalogue, that builds and passes the
contract tests before anyone edits it.
"""

from __future__ import annotations

import keyword
from datetime import date
from pathlib import Path

from gradecore.public import spec as specs

TEMPLATES = Path(__file__).resolve().parent / "templates"
FOLDERS = {"assignment": "assignments", "solution": "solutions"}
"""Each template folder and the project folder its copy goes to, as ``<folder>/NAME/``."""
NOTEBOOK = "assignment.ipynb"
"""The master notebook's template, written as ``NAME.ipynb``."""
REQUIREMENTS = ("tensorflow-cpu", "numpy", "pyseccomp")
"""The grading image's packages, pinned in ``requirements.txt`` to the versions installed here."""


class ScaffoldError(Exception):
    """A name, or a project folder, that cannot take the new assignment."""


def check_name(name: str, root: Path) -> None:
    """Raise :class:`ScaffoldError` unless ``name`` can be a new assignment of the project at ``root``."""
    if not name.isidentifier() or keyword.iskeyword(name) or not specs.NAME.match(name):
        raise ScaffoldError(
            f"{name!r} is not an assignment name: it must be a Python identifier in lower case "
            "(letters, digits and _), such as lstm_shapes"
        )
    if not (root / FOLDERS["assignment"]).is_dir():
        raise ScaffoldError(f"{root} has no {FOLDERS['assignment']}/ folder: give the project's folder with --root")
    for folder in FOLDERS.values():
        if (root / folder / name).exists():
            raise ScaffoldError(f"{root / folder / name} exists already: choose another name")


def _pins() -> list[str]:
    from importlib.metadata import PackageNotFoundError, version

    pins = []
    for package in REQUIREMENTS:
        try:
            pins.append(f"{package}=={version(package)}")
        except PackageNotFoundError:
            pins.append(package)
    return pins


def scaffold(name: str, root: Path) -> list[Path]:
    """Write ``assignments/NAME/`` and ``solutions/NAME/`` under ``root`` from the templates.

    Args:
        name: the new assignment's name, a lower-case Python identifier not taken in ``root``.
        root: the project's folder, which holds ``assignments/``.

    Returns:
        the files written, in order.

    Raises:
        ScaffoldError: ``name`` is not an assignment name or is taken, or ``root`` is no project;
            nothing is written then.
    """
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    root = Path(root)
    check_name(name, root)
    environment = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, keep_trailing_newline=True)
    values = {"name": name, "seed": int(date.today().strftime("%Y%m%d")), "pins": _pins()}
    written = []
    for template in sorted(TEMPLATES.rglob("*.jinja")):
        kind, *inside = template.relative_to(TEMPLATES).with_suffix("").parts
        target = root / FOLDERS[kind] / name / Path(*inside)
        if inside == [NOTEBOOK]:
            target = target.with_name(f"{name}.ipynb")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(environment.get_template(template.relative_to(TEMPLATES).as_posix()).render(values))
        written.append(target)
    return written
