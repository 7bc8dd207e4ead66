"""What a NumPy-only process may read: no copy of a forbidden library, wherever the machine keeps one.

Keras 3 is pure Python: a NumPy-only sealed run that could read its wheel (a package index or a
cache of wheels in ``/opt``, another Python's site-packages, a conda package cache) imported it from
the zip and predicted with its NumPy backend, full marks for no NumPy
(``tests/attacks/rnn_shapes/keras_wheel_elsewhere.py``).
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from gradecore.host import grading_sandbox
from gradecore.sandbox import confine, landlock
from gradecore.sandbox.sealed import FORBIDDEN


def _tree(root: Path) -> dict[str, Path]:
    """A machine in miniature: this Python's site-packages, another Python's, a conda cache, wheels."""
    paths = {
        "own": root / "venv/lib/python3.11/site-packages",
        "other": root / "usr/lib/python3/dist-packages",
        "cache": root / "conda/pkgs",
        "wheels": root / "usr/share/python-wheels",
    }
    for folder in paths.values():
        folder.mkdir(parents=True)
    for name in ("numpy", "keras", "keras_core", "tensorflow_cpu-2.21.0.dist-info", "scipy"):
        (paths["own"] / name).mkdir()
    for name in ("keras", "tensorflow", "torch", "scipy"):
        (paths["other"] / name).mkdir()
    for name in ("pytorch-2.1.0-py3.11_cpu_0", "keras-3.1.0-pyhd8ed1ab_0", "numpy-1.26.0-py311"):
        (paths["cache"] / name).mkdir()
    for name in ("keras-3.15.1-py3-none-any.whl", "pip-24.0-py3-none-any.whl"):
        (paths["wheels"] / name).write_bytes(b"PK")
    (root / "usr/lib/libc.so.6").write_bytes(b"")
    return paths


def _covered(path: Path, read: tuple[str, ...]) -> bool:
    return any(str(path) == r or str(path).startswith(r.rstrip(os.sep) + os.sep) for r in read)


def test_a_forbidden_library_is_unreadable_wherever_the_machine_keeps_one(tmp_path):
    paths = _tree(tmp_path)
    own, foreign = {str(paths["own"])}, {str(paths[k]) for k in ("other", "cache", "wheels")}
    read, listed = confine.readable([str(tmp_path / "usr"), str(tmp_path / "conda"), *own], own, FORBIDDEN, foreign)
    for hidden in (paths["own"] / "keras", paths["own"] / "keras_core", paths["other"] / "keras", paths["other"] / "tensorflow",
                   paths["other"] / "torch", paths["cache"] / "pytorch-2.1.0-py3.11_cpu_0",
                   paths["cache"] / "keras-3.1.0-pyhd8ed1ab_0", paths["wheels"] / "keras-3.15.1-py3-none-any.whl"):
        assert not _covered(hidden, read), hidden
    for kept in (paths["own"] / "numpy", paths["own"] / "scipy", paths["other"] / "scipy",
                 paths["cache"] / "numpy-1.26.0-py311", paths["wheels"] / "pip-24.0-py3-none-any.whl",
                 tmp_path / "usr/lib/libc.so.6"):
        assert _covered(kept, read), kept
    assert set(listed) >= own | foreign


def test_without_forbidden_libraries_the_same_folders_are_read_whole(tmp_path):
    paths = _tree(tmp_path)
    own = {str(paths["own"])}
    read, _ = confine.readable([str(tmp_path / "usr"), *own], own)
    assert _covered(paths["other"] / "keras", read) and _covered(paths["wheels"] / "keras-3.15.1-py3-none-any.whl", read)
    assert _covered(paths["own"] / "keras", read)


def test_the_numpy_only_run_reads_no_folder_of_other_software():
    """``/opt`` holds package indexes and caches of wheels (this machine's ``/opt/pypi``): a NumPy-only
    run reads none of it, unless this Python lives there."""
    import sys

    read, _ = confine.python_access(FORBIDDEN)
    prefixes = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    for path in read:
        if path.startswith("/opt/"):
            assert any(path == p or path.startswith(p + os.sep) for p in prefixes), path


@pytest.mark.skipif(landlock.abi() < 1, reason="needs Landlock")
def test_a_sealed_run_cannot_open_a_wheel_outside_its_python(tmp_path):
    """Where this machine keeps a Keras wheel outside site-packages, the sealed run cannot open it."""
    import glob

    wheels = [w for pattern in ("/opt/**/keras-*.whl", "/usr/share/**/keras-*.whl")
              for w in glob.glob(pattern, recursive=True)][:3]
    if not wheels:
        pytest.skip("no Keras wheel on this machine outside site-packages")
    assert all(zipfile.is_zipfile(w) for w in wheels)
    code = f"""
def probe(_):
    found = []
    for wheel in {wheels!r}:
        try:
            open(wheel, "rb").close()
            found.append(wheel)
        except OSError:
            pass
    return len(found)
"""
    box = grading_sandbox.Sandbox(prefix="gradecore-test-")
    try:
        result = box.run_sealed([code], lambda: {"probe": {"calls": [[0]], "numpy_only": True}})
    finally:
        box.remove()
    assert result["outcomes"]["probe"][0]["value"]["value"] == 0
