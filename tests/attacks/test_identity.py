"""Attacks on who is who: a file name or folder a student chose that makes the gradebook or an export
count their submission as a classmate's.

The attacker is a student who has read :mod:`gradecore.cli.students`. Each test lays out a real class
folder as a learning system's download does (Canvas, Gradescope, a plain folder) with, where the
attack needs one, a roster the instructor gives with ``--roster``; it then runs the batch's own path
from files to rows (:func:`~gradecore.cli.discovery.find_submissions`, the
:class:`~gradecore.cli.students.Identifier`, :func:`~gradecore.cli.gradebook.choose`) and, for the
exports, the functions that write them. No grading runs: a record's score here is the score its
file would honestly earn (the classmate's 9, the attacker's planted file 0), which is all the
exports need.

Each test states the defence: the classmate keeps their own row and score, and no row the attacker's
files make names the classmate (their id, SIS id, email) in any export. A failing test is a hole.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
from pathlib import Path

from gradecore.cli.discovery import find_submissions
from gradecore.cli.exports import canvas_csv, gradescope_csv
from gradecore.cli.gradebook import choose
from gradecore.cli.records import Assignment, Record
from gradecore.cli.roster import Roster
from gradecore.cli.students import Identifier

ASSIGNMENT = Assignment(questions=("q1",), points={"q1": 9.0}, name="rnn_shapes")
FUTURE = time.time() + 365 * 24 * 3600
"""An mtime a year ahead: what ``tar -x`` or ``unzip`` restores from an archive the student made."""


def _file(path: Path, text: str = "x = 1\n", mtime: float | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def _rows(folder: Path, roster: Roster | None, scores: dict[str, float]):
    """The records the batch would count, each with the score its file honestly earns (0 unless named)."""
    found = find_submissions([folder])
    identify = Identifier(roster)
    students = {s.name: identify(s.path, s.root or s.path, s.name) for s in found}
    chosen, superseded = choose(found, students)
    records = [Record(submission=s.name, total=scores.get(s.path.relative_to(folder).as_posix(), 0.0),
                      student=students[s.name].to_json()) for s in chosen]
    return records, superseded


def _table(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_moodle_name_inside_a_canvas_download_takes_no_classmates_sis_id(tmp_path):
    """Canvas: Mallory uploads, beside her own notebook, a file she named
    ``Alice Doe_22002_assignsubmission_file_hw.ipynb`` (22002 is Alice's Canvas user id, on every
    classmate's People page). Canvas prefixes it with Mallory's own name and ids, but the Moodle pattern
    is tried first and its name part may hold underscores: the file reads as Moodle participant 22002.
    The instructor's roster (Canvas ids and SIS ids) then gives it Alice's name and SIS User ID, and
    ``canvas.csv`` gets a second row for Alice (matched by SIS User ID) with the planted file's 0."""
    folder = tmp_path / "canvas"
    _file(folder / "doealice_22002_900001_hw.py")
    _file(folder / "mallorym_33003_900002_hw.py")
    _file(folder / "mallorym_33003_900002_Alice Doe_22002_assignsubmission_file_hw.py")
    roster_file = _file(tmp_path / "roster.csv",
                        "Student,ID,SIS User ID\nAlice Doe,22002,S-ALICE\nMallory M,33003,S-MAL\n")
    rows, _ = _rows(folder, Roster.load(roster_file),
                    {"doealice_22002_900001_hw.py": 9.0, "mallorym_33003_900002_hw.py": 9.0})
    header, _points_possible, *lines = csv.reader(io.StringIO(canvas_csv(rows, ASSIGNMENT)))
    canvas = [dict(zip(header, line)) for line in lines]
    alice = [r for r in canvas if r["ID"] == "22002" or r["SIS User ID"] == "S-ALICE"]
    assert [r["rnn_shapes"] for r in alice] == ["9"], f"rows that Canvas imports as Alice's: {alice}"


def test_moodle_folder_inside_a_gradescope_submission_takes_no_classmates_email(tmp_path):
    """Gradescope export: Mallory's upload holds her notebook and a folder she named
    ``Alice Doe_1001_assignsubmission_file_`` (1001: Alice's SID) with an empty notebook. The Moodle
    pattern is tried on every folder before the Gradescope layout, so that file is Moodle participant
    1001; the roster (SIDs and emails) adds Alice's email, and ``gradescope.csv`` (matched by email)
    gets a second row for Alice with 0."""
    export = tmp_path / "export"
    _file(export / "submission_metadata.yml",
          "submission_111:\n  :submitters:\n  - :name: Alice Doe\n    :sid: '1001'\n    :email: alice@uni.edu\n"
          "  :created_at: 2026-12-01 10:00:00.000000000 +00:00\n"
          "submission_222:\n  :submitters:\n  - :name: Mallory M\n    :sid: '2002'\n    :email: mal@uni.edu\n"
          "  :created_at: 2026-12-01 11:00:00.000000000 +00:00\n")
    _file(export / "submission_111" / "hw.py")
    _file(export / "submission_222" / "hw.py")
    _file(export / "submission_222" / "Alice Doe_1001_assignsubmission_file_" / "hw.py")
    roster_file = _file(tmp_path / "roster.csv",
                        "name,sid,email\nAlice Doe,1001,alice@uni.edu\nMallory M,2002,mal@uni.edu\n")
    rows, _ = _rows(export, Roster.load(roster_file),
                    {"submission_111/hw.py": 9.0, "submission_222/hw.py": 9.0})
    table = _table(gradescope_csv(rows, ASSIGNMENT))
    alice = [r for r in table if r["SID"] == "1001" or r["Email"] == "alice@uni.edu"]
    assert [r["Total Score"] for r in alice] == ["9"], f"rows that Gradescope imports as Alice's: {alice}"


def test_planted_gradescope_metadata_adds_no_classmate_as_group_member(tmp_path):
    """A plain class folder, one folder per student named by SID, and a roster of SIDs and emails.
    Mallory's folder holds her own ``submission_metadata.yml`` and ``submission_1/hw.py``: her file now
    reads as a Gradescope group submission whose second member is Alice (SID, email), and every export
    gives Alice a row with Mallory's score."""
    folder = tmp_path / "class"
    _file(folder / "1001" / "hw.py")
    _file(folder / "2002" / "submission_metadata.yml",
          "submission_1:\n  :submitters:\n  - :name: Mallory M\n    :sid: '2002'\n    :email: mal@uni.edu\n"
          "  - :name: Alice Doe\n    :sid: '1001'\n    :email: alice@uni.edu\n")
    _file(folder / "2002" / "submission_1" / "hw.py")
    roster_file = _file(tmp_path / "roster.csv",
                        "name,sid,email\nAlice Doe,1001,alice@uni.edu\nMallory M,2002,mal@uni.edu\n")
    rows, _ = _rows(folder, Roster.load(roster_file), {"1001/hw.py": 9.0})
    table = _table(gradescope_csv(rows, ASSIGNMENT))
    alice = [r for r in table if r["SID"] == "1001" or r["Email"] == "alice@uni.edu"]
    assert [r["Total Score"] for r in alice] == ["9"], f"rows that Gradescope imports as Alice's: {alice}"


def test_roster_path_suffix_in_own_folder_supersedes_no_classmate(tmp_path):
    """A roster names files by path (``alice/hw.py``). Mallory's folder holds ``alice/hw.py`` (an
    archive she made, unpacked with its mtime a year ahead): the roster matches any path that ENDS
    with the roster's, so her file is Alice's roster student, the latest of Alice's two files, and
    Alice's own file is superseded and never graded."""
    folder = tmp_path / "class"
    _file(folder / "alice" / "hw.py")
    _file(folder / "mallory" / "hw.py")
    _file(folder / "mallory" / "alice" / "hw.py", mtime=FUTURE)
    roster_file = _file(tmp_path / "roster.csv",
                        "file,student,id\nalice/hw.py,Alice Doe,1001\nmallory/hw.py,Mallory M,2002\n")
    _, superseded = _rows(folder, Roster.load(roster_file), {})
    assert not [s for s in superseded if s.path.endswith("class/alice/hw.py")], superseded


def test_same_stem_other_suffix_supersedes_no_classmate(tmp_path):
    """A flat class folder (each file its student's, named by the student). Mallory hands in
    ``neighbour_reference.ipynb`` where the classmate handed in ``neighbour_reference.py``: a flat
    file's student is its name without suffix, so both are one student and the later file (an
    archive's mtime) counts; the classmate's own file is superseded and never graded."""
    folder = tmp_path / "class"
    _file(folder / "neighbour_reference.py")
    _file(folder / "neighbour_reference.ipynb", '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
          mtime=FUTURE)
    _, superseded = _rows(folder, None, {})
    assert not [s for s in superseded if s.path.endswith("neighbour_reference.py")], superseded


BILLION_LAUGHS = "\n".join(
    ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    + ["submission_1:", "  :submitters:", "  - :name: *a8", "    :sid: '2002'", "  :created_at: *a8", ""])
"""A 550-byte ``submission_metadata.yml`` whose name and time are one list of 10^9 strings, by YAML
aliases: cheap to load (the aliases share one object), ruinous to make text of."""

IDENTIFY_IN_A_BOUNDED_PROCESS = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # the attack must not take this machine's memory
from pathlib import Path
from gradecore.cli.discovery import find_submissions
from gradecore.cli.students import Identifier
identify = Identifier()
for s in find_submissions([Path(sys.argv[1])]):
    print(s.path.relative_to(sys.argv[1]).as_posix(), identify(s.path, s.root or s.path, s.name).key, flush=True)
"""


def test_a_planted_yaml_bomb_stops_no_batch(tmp_path):
    """Mallory's folder of a plain class (or her repository of a GitHub Classroom class) holds a
    ``submission_metadata.yml`` of 550 bytes beside ``submission_1/hw.py``: the batch reads it as a
    Gradescope export and makes text of its ``:created_at:`` and ``:name:``. Before any grading, the
    batch runs out of memory (a MemoryError traceback here under 1 GiB; the whole machine's memory
    without a bound) and no one in the class is graded. Each student must be read within seconds."""
    folder = tmp_path / "class"
    _file(folder / "alice" / "hw.py")
    _file(folder / "mallory" / "submission_1" / "hw.py")
    _file(folder / "mallory" / "submission_metadata.yml", BILLION_LAUGHS)
    try:
        done = subprocess.run([sys.executable, "-c", IDENTIFY_IN_A_BOUNDED_PROCESS, str(folder)],
                              capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        raise AssertionError("reading the students took more than 30 s") from None
    assert done.returncode == 0, done.stderr[-600:]
    assert "alice/hw.py folder:alice" in done.stdout, done.stdout
