"""A grading's disk is bounded: a submission that fills it is stopped at the limit with a message
that names it, its neighbour in the batch is graded as if it were absent, and nothing is left on
disk. The limit is 50 MiB here (the setting, ``GRADECORE_DISK_LIMIT_MB``), so that the filler
writes little; every temporary folder of the run is beneath the test's tmp_path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gradecore.host import grading_sandbox
from gradecore.protocol import limits, settings
from tests.integration.conftest import default_only
from tests.support import read_table, run_tool

LIMIT_MB = 50

FILLER = '''
import os

# Fill the disk from the top level (the sealed run runs it too, then the kernel): 1 MiB at a time,
# a file per 4 MiB (under the file limit, an eighth of the disk limit), up to 200 MiB: four times
# the limit the test sets
_chunk = b"f" * (1 << 20)
for _i in range(200):
    with open(os.path.join(os.environ.get("HOME", "."), f"fill-{_i // 4}.bin"), "ab") as _f:
        _f.write(_chunk)
'''

KERNEL_FILLER = """
import os

# Fill the disk from the kernel only (the sealed runs have answered by then): the submission's
# folder, which the kernel may write, 4 MiB a file, up to 200 MiB
if os.environ.get("HOME", "").endswith("/kernel"):
    _chunk = b"k" * (1 << 20)
    for _i in range(200):
        with open(f"fill-{_i // 4}.bin", "ab") as _f:
            _f.write(_chunk)
"""


def _bytes_beneath(folder: Path) -> tuple[int, list[str]]:
    found, names = 0, []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            found += path.stat().st_size
            names.append(str(path.relative_to(folder)))
    return found, names


@pytest.mark.slow
@default_only
def test_a_filler_is_stopped_at_the_disk_limit_and_its_neighbours_lose_nothing(kit, tmp_path, autograder_zip):
    folder = tmp_path / "class"
    for name, text in [("a-filler", kit.py_submission(header="import numpy as np\n" + FILLER)),
                       ("b-reference", kit.py_submission()),
                       ("c-kernel-filler", kit.py_submission(header="import numpy as np\n" + KERNEL_FILLER))]:
        (folder / name).mkdir(parents=True)
        (folder / name / f"{kit.name}.py").write_text(text)
    temporary = tmp_path / "tmp"  # every folder the batch, otter and the sandboxes make
    temporary.mkdir()
    temporary.chmod(0o1777)
    grading_sandbox.open_the_way([str(temporary / "x")])  # a sandbox's user passes through, as through /tmp
    env = dict(os.environ, TMPDIR=str(temporary), **{settings.setting("DISK_LIMIT_MB").variable: str(LIMIT_MB)})
    out = tmp_path / "out"
    proc = run_tool(str(folder), "--jobs", "2", "--out", str(out), "--autograder", str(autograder_zip),
                    env=env, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = {Path(r["submission"]).parent.name: r for r in read_table(out / "grades.csv")}
    feedback = {name: next(p for p in (out / "feedback").iterdir() if name in p.name).read_text()
                for name in rows}
    assert float(rows["b-reference"]["total"]) == sum(kit.points.values()), feedback["b-reference"]
    # stopped in its kernel, after its sealed runs answered: their verdicts stand, as where a kernel dies
    assert float(rows["c-kernel-filler"]["total"]) == sum(kit.points.values()), feedback["c-kernel-filler"]
    filler, feedback = rows["a-filler"], feedback["a-filler"]
    assert filler["status"] == "graded" and float(filler["total"]) == 0, feedback
    assert f"{limits.DISK_FULL} {LIMIT_MB} MiB to disk" in feedback, feedback
    left, names = _bytes_beneath(temporary)
    assert left == 0, names[:20]
