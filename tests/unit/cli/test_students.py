"""Who is who: the student of each file of an LMS's download, and one row per student."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gradecore.cli.discovery import Submission, find_submissions
from gradecore.cli.gradebook import choose, gradebook
from gradecore.cli.records import Record
from gradecore.cli.roster import Roster, RosterError
from gradecore.cli.students import Identifier, student_of


def put(root: Path, relative: str, text: str = "def f():\n    return 1\n", mtime: float | None = None) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def students_of(root: Path, roster: Roster | None = None) -> dict[str, tuple[str, str, str]]:
    """(key, name, id) of each submission found in ``root``, by its path below ``root``."""
    identify = Identifier(roster)
    found = find_submissions([root])
    return {str(s.path.relative_to(root)): (lambda w: (w.key, w.name, w.id))(identify(s.path, s.root, s.name))
            for s in found}


def test_canvas_names_give_the_user_id_and_late_and_resubmissions_order_the_files(tmp_path):
    put(tmp_path, "doejane_11001_900001_rnn_shapes.ipynb", mtime=1000)
    put(tmp_path, "doejane_LATE_11001_900777_rnn_shapes-1.ipynb", mtime=900)
    put(tmp_path, "smithbob_11002_900002_rnn_shapes.ipynb")
    found = students_of(tmp_path)
    assert found["doejane_LATE_11001_900777_rnn_shapes-1.ipynb"] == ("canvas:11001", "doejane", "11001")
    assert found["smithbob_11002_900002_rnn_shapes.ipynb"] == ("canvas:11002", "smithbob", "11002")
    identify = Identifier()
    subs = find_submissions([tmp_path])
    students = {s.name: identify(s.path, s.root, s.name) for s in subs}
    chosen, skipped = choose(subs, students)
    # LATE, then the -1 of a file submitted again, count before the file's time (older here).
    assert sorted(Path(s.name).name for s in chosen) == ["doejane_LATE_11001_900777_rnn_shapes-1.ipynb",
                                                          "smithbob_11002_900002_rnn_shapes.ipynb"]
    assert [Path(s.path).name for s in skipped] == ["doejane_11001_900001_rnn_shapes.ipynb"]
    assert "superseded" in skipped[0].reason and "doejane_LATE_11001_900777" in skipped[0].reason


def test_moodle_folders_and_flat_names_give_the_participant_id(tmp_path):
    put(tmp_path, "Jane Doe_12345_assignsubmission_file_/rnn_shapes.ipynb")
    put(tmp_path, "Bob Smith_12346_assignsubmission_file_rnn_shapes.py")
    found = students_of(tmp_path)
    assert found["Jane Doe_12345_assignsubmission_file_/rnn_shapes.ipynb"] == ("moodle:12345", "Jane Doe", "12345")
    assert found["Bob Smith_12346_assignsubmission_file_rnn_shapes.py"] == ("moodle:12346", "Bob Smith", "12346")


GRADESCOPE_METADATA = """\
submission_101:
  :submitters:
  - :name: Jane Doe
    :sid: '2001'
    :email: jane@example.edu
  :created_at: 2026-12-01 10:00:00.000000000 -08:00
  :score: 9.0
submission_102:
  :submitters:
  - :name: Jane Doe
    :sid: '2001'
    :email: jane@example.edu
  :created_at: 2026-12-02 10:00:00.000000000 -08:00
submission_103:
  :submitters:
  - :name: Pair One
    :sid: '2002'
    :email: one@example.edu
  - :name: Pair Two
    :sid: '2003'
    :email: two@example.edu
  :created_at: 2026-12-01 09:00:00.000000000 -08:00
"""


def test_gradescope_export_gives_submitters_and_the_latest_by_created_at(tmp_path):
    export = tmp_path / "assignment_export"
    put(export, "submission_metadata.yml", GRADESCOPE_METADATA)
    put(export, "submission_101/rnn_shapes.ipynb", mtime=5000)  # newer file, older submission
    put(export, "submission_102/rnn_shapes.ipynb", mtime=1000)
    put(export, "submission_103/rnn_shapes.ipynb")
    identify = Identifier()
    subs = find_submissions([export])
    students = {s.name: identify(s.path, s.root, s.name) for s in subs}
    jane = students[str(export / "submission_102/rnn_shapes.ipynb")]
    assert (jane.key, jane.name, jane.id, jane.email) == ("gradescope:jane@example.edu", "Jane Doe", "2001",
                                                       "jane@example.edu")
    pair = students[str(export / "submission_103/rnn_shapes.ipynb")]
    assert pair.name == "Pair One" and [m["email"] for m in pair.members] == ["two@example.edu"]
    chosen, skipped = choose(subs, students)
    assert [Path(s.name).parent.name for s in chosen] == ["submission_102", "submission_103"]
    assert [Path(s.path).parent.name for s in skipped] == ["submission_101"]


def test_github_classroom_repositories_give_the_username_and_only_the_notebook_is_graded(tmp_path):
    classroom = tmp_path / "rnn-shapes-submissions"
    for user in ("alice-w", "bob"):
        repo = classroom / f"rnn-shapes-{user}"
        put(repo, "rnn_shapes.ipynb", '{"cells": []}')
        put(repo, "test_rnn_shapes.py", "def test_x():\n    assert __file__\n")
        put(repo, "tests/test_more.py")
        put(repo, "README.md", "# hw")
        (repo / ".git").mkdir()
        put(repo, ".git/config", "[core]")
    skipped: list = []
    subs = find_submissions([classroom], skipped=skipped)
    assert [str(s.path.relative_to(classroom)) for s in subs] == ["rnn-shapes-alice-w/rnn_shapes.ipynb",
                                                                   "rnn-shapes-bob/rnn_shapes.ipynb"]
    identify = Identifier()
    assert [identify(s.path, s.root, s.name).key for s in subs] == ["github:alice-w", "github:bob"]
    reasons = {str(Path(s.path).relative_to(classroom)): s.reason for s in skipped}
    assert "test file" in reasons["rnn-shapes-bob/test_rnn_shapes.py"]
    assert "tests" in reasons["rnn-shapes-bob/tests"]
    assert "not a notebook" in reasons["rnn-shapes-bob/README.md"]
    assert not any(".git" in p for p in reasons)


def test_github_repositories_without_a_submissions_parent_use_their_shared_prefix(tmp_path):
    for user in ("carol", "dave"):
        repo = tmp_path / "class" / f"rnn-shapes-{user}"
        put(repo, "rnn_shapes.ipynb", '{"cells": []}')
        (repo / ".git").mkdir()
    found = students_of(tmp_path / "class")
    assert sorted(k for k, _, _ in found.values()) == ["github:carol", "github:dave"]


def test_a_plain_folder_names_students_by_their_folder_or_file(tmp_path):
    put(tmp_path, "alice/rnn_shapes.ipynb")
    put(tmp_path, "alice/rnn_shapes.py")
    put(tmp_path, "section-b/grace/rnn_shapes.ipynb")
    put(tmp_path, "carol.py")
    put(tmp_path, "section-b/heidi/rnn_shapes.ipynb")
    found = students_of(tmp_path)
    assert found["alice/rnn_shapes.ipynb"][:2] == found["alice/rnn_shapes.py"][:2] == ("folder:alice", "alice")
    assert found["section-b/grace/rnn_shapes.ipynb"][:2] == ("folder:section-b/grace", "grace")
    assert found["section-b/heidi/rnn_shapes.ipynb"][:2] == ("folder:section-b/heidi", "heidi")
    assert found["carol.py"] == ("file:carol.py", "carol", "")
    # A file given by itself: the folder that holds it.
    grace = tmp_path / "section-b/grace/rnn_shapes.ipynb"
    assert Identifier()(grace, grace, str(grace)).name == "grace"


def test_a_roster_names_files_whose_names_say_nothing_and_adds_sections_to_ids(tmp_path):
    put(tmp_path, "s001.ipynb")
    put(tmp_path, "doejane_11001_900001_rnn_shapes.ipynb")
    roster = tmp_path / "roster.csv"
    roster.write_text("file,student,id,email,section\n"
                      "s001.ipynb,Ann Lee,7001,ann@example.edu,A\n"
                      ",Jane Doe,11001,jane@example.edu,B\n")
    loaded = Roster.load(roster)
    identify = Identifier(loaded)
    subs = {Path(s.name).name: s for s in find_submissions([tmp_path])}
    ann = identify(subs["s001.ipynb"].path, tmp_path, subs["s001.ipynb"].name)
    assert (ann.key, ann.name, ann.email, ann.section) == ("roster:7001", "Ann Lee", "ann@example.edu", "A")
    jane = identify(subs["doejane_11001_900001_rnn_shapes.ipynb"].path, tmp_path, "x")
    assert (jane.key, jane.name, jane.section) == ("canvas:11001", "Jane Doe", "B")


def test_a_github_classroom_roster_is_read_as_it_is(tmp_path):
    roster = tmp_path / "classroom_roster.csv"
    roster.write_text('"identifier","github_username","github_id","name"\n"s1234","bob","99","Bob Ray"\n')
    repo = tmp_path / "rnn-shapes-submissions" / "rnn-shapes-bob"
    put(repo, "rnn_shapes.ipynb")
    (repo / ".git").mkdir()
    sub = find_submissions([tmp_path / "rnn-shapes-submissions"])[0]
    bob = Identifier(Roster.load(roster))(sub.path, sub.root, sub.name)
    assert (bob.key, bob.name, bob.sis_id) == ("github:bob", "Bob Ray", "s1234")


def test_a_roster_without_a_known_column_is_refused_in_one_line(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("who,what\nx,y\n")
    with pytest.raises(RosterError, match="no column naming a file"):
        Roster.load(roster)


def test_untrusted_names_are_one_line(tmp_path):
    put(tmp_path, "Evil\x1b[31mName_12345_assignsubmission_file_/a.py")
    (key, name, _), = students_of(tmp_path).values()
    assert name == "EvilName" and key == "moodle:12345"


def test_the_gradebook_counts_each_students_latest_record_and_lists_the_rest():
    def record(path: str, key: str, order: list[float], total: float) -> Record:
        return Record(path, total=total, student={"key": key, "name": key.split(":")[1], "source": "canvas",
                                                  "order": order})

    book = gradebook([record("a-old.py", "canvas:1", [0, 0, 10], 3), record("a-new.py", "canvas:1", [1, 0, 5], 9),
                      record("b.py", "canvas:2", [0, 0, 1], 4), Record("legacy.py")])
    assert [r.submission for r in book.rows] == ["a-new.py", "b.py", "legacy.py"]
    assert [(s.path, "a-new.py" in s.reason) for s in book.superseded] == [("a-old.py", True)]
    assert student_of(Record("legacy.py")).name == "legacy.py"


def test_choose_keeps_the_given_order_and_breaks_ties_by_path(tmp_path):
    a, b = put(tmp_path, "x/hw.ipynb", mtime=100), put(tmp_path, "x/hw.py", mtime=100)
    subs = [Submission(a, "x/hw.ipynb", tmp_path), Submission(b, "x/hw.py", tmp_path)]
    identify = Identifier()
    students = {s.name: identify(s.path, s.root, s.name) for s in subs}
    chosen, skipped = choose(subs, students)
    assert [s.name for s in chosen] == ["x/hw.ipynb"] and [s.path for s in skipped] == ["x/hw.py"]


def test_a_folder_of_several_files_is_no_students_each_file_is_its_own_row(tmp_path):
    """``correct/a.py`` and ``correct/b.py`` (a folder of submissions, not a student's folder), given as
    a folder or file by file: every file is a student of its own, none supersedes another."""
    for name in ("correct/a.py", "correct/b.ipynb", "buggy/a.py"):
        put(tmp_path, name, mtime=100)
    found = students_of(tmp_path)
    assert len({key for key, _, _ in found.values()}) == 3
    identify = Identifier()
    one_by_one = {identify(p, p, str(p)).key for p in tmp_path.glob("*/*.*")}
    assert len(one_by_one) == 3


def test_a_file_named_like_another_students_changes_no_ones_row(tmp_path):
    """Names a student chose (a file inside a folder the system made) never make them someone else."""
    put(tmp_path, "canvas/doejane_11001_900001_rnn_shapes.py")
    put(tmp_path, "plain/mallory/doejane_LATE_11001_999999_rnn_shapes.py")
    put(tmp_path, "moodle/Mallory Q_12346_assignsubmission_file_/Jane Doe_12345_assignsubmission_file_x.py")
    identify = Identifier()
    keys = {s.name: identify(s.path, s.root, s.name).key
            for root in ("canvas", "plain", "moodle") for s in find_submissions([tmp_path / root])}
    assert sorted(keys.values()) == ["canvas:11001", "folder:mallory", "moodle:12346"]


def test_a_class_folder_kept_in_git_is_no_students_repository(tmp_path):
    klass = tmp_path / "class"
    put(klass, "alice.py")
    put(klass, "bob.py")
    put(klass, "test_bob.py")
    (klass / ".git").mkdir()
    found = students_of(klass)
    assert sorted(k for k, _, _ in found.values()) == ["file:alice.py", "file:bob.py", "file:test_bob.py"]
    # A single repository given by itself, below gh classroom's folder, is still its student's.
    repo = tmp_path / "lab-submissions" / "lab-carol"
    put(repo, "lab.py")
    put(repo, "test_lab.py")
    (repo / ".git").mkdir()
    assert list(students_of(repo).values()) == [("github:carol", "carol", "carol")]


def test_a_flat_file_is_its_whole_name_but_for_the_submit_cells_zip_of_the_notebook_beside(tmp_path):
    """``ref.py`` and ``ref.ipynb`` are two students' files; ``hw.zip`` holding ``hw.ipynb``, the same
    bytes, is the submit cell's export of that notebook: one student. A zip of other bytes is its own."""
    import zipfile

    notebook = put(tmp_path, "hw.ipynb", '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    with zipfile.ZipFile(tmp_path / "hw.zip", "w") as zf:
        zf.writestr("hw.ipynb", notebook.read_text())
    put(tmp_path, "other.ipynb", '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as zf:
        zf.writestr("other.ipynb", '{"cells": [{"cell_type": "code"}]}')
    put(tmp_path, "ref.py")
    put(tmp_path, "ref.ipynb", '{"cells": []}')
    keys = {name: key for name, (key, _, _) in students_of(tmp_path).items()}
    assert keys["hw.zip"] == keys["hw.ipynb"] == "file:hw.ipynb"
    assert len({keys["other.zip"], keys["other.ipynb"], keys["ref.py"], keys["ref.ipynb"]}) == 4


def test_a_roster_id_names_a_plain_entry_only_when_its_name_is_no_other_entrys(tmp_path):
    """``alice.py`` and ``alice.ipynb`` in a flat folder are two rows: neither takes the roster's Alice (her
    SIS id on two rows); ``bob/`` alone does; a folder ``mallory/alice/`` never does."""
    put(tmp_path, "class/alice.py")
    put(tmp_path, "class/alice.ipynb", '{"cells": []}')
    put(tmp_path, "class/bob/hw.py")
    put(tmp_path, "class/mallory/alice/hw.py")
    roster = tmp_path / "roster.csv"
    roster.write_text("id,student,sis user id\nalice,Alice Doe,S-A\nbob,Bob Ray,S-B\n")
    identify = Identifier(Roster.load(roster))
    found = {str(s.path.relative_to(tmp_path / "class")): identify(s.path, s.root, s.name)
             for s in find_submissions([tmp_path / "class"])}
    assert {k: v.sis_id for k, v in found.items()} == {"alice.py": "", "alice.ipynb": "", "bob/hw.py": "S-B",
                                                       "mallory/alice/hw.py": ""}


def test_a_gradescope_sid_a_student_set_merges_no_two_accounts(tmp_path):
    """A student can edit the SID of their Gradescope account: set to a classmate's, it makes no one
    else's submission theirs (students are told apart by the account's email)."""
    export = tmp_path / "assignment_77_export"
    put(export, "submission_metadata.yml",
        "submission_1:\n  :submitters:\n  - :name: Alice\n    :sid: '1001'\n    :email: a@x.edu\n"
        "  :created_at: 2026-12-01 10:00:00 +00:00\n"
        "submission_2:\n  :submitters:\n  - :name: Mallory\n    :sid: '1001'\n    :email: m@x.edu\n"
        "  :created_at: 2026-12-01 11:00:00 +00:00\n")
    put(export, "submission_1/hw.py")
    put(export, "submission_2/hw.py")
    # Given the export itself, or the folder it was unzipped into.
    for given in (export, tmp_path):
        keys = sorted(k for k, _, _ in students_of(given).values())
        assert keys == ["gradescope:a@x.edu", "gradescope:m@x.edu"]


def test_only_the_folders_the_system_made_name_a_student(tmp_path):
    """A repository (``.git``) or a Gradescope export a student made inside their own folder names no one."""
    for user in ("alice", "mallory"):
        repo = tmp_path / "class" / f"rnn-{user}"
        put(repo, "hw.py")
        (repo / ".git").mkdir()
    for planted in ("rnn-alice", "rnn-bob"):  # siblings whose shared prefix would read as "alice"
        put(tmp_path, f"class/rnn-mallory/{planted}/hw.py")
        (tmp_path / "class" / "rnn-mallory" / planted / ".git").mkdir()
    keys = students_of(tmp_path / "class")
    assert keys["rnn-alice/hw.py"][0] == "github:alice"
    assert {keys[f"rnn-mallory/{p}/hw.py"][0] for p in ("rnn-alice", "rnn-bob")} == {"github:mallory"}


def test_roster_rows_of_one_name_without_an_id_are_two_students(tmp_path):
    """Two roster rows that name files by the same student name, with no id or email, are two rows: a
    name is no id."""
    put(tmp_path, "s1.py")
    put(tmp_path, "s2.py")
    roster = tmp_path / "roster.csv"
    roster.write_text("file,student\ns1.py,Sam Lee\ns2.py,Sam Lee\n")
    found = students_of(tmp_path, Roster.load(roster))
    assert found["s1.py"] == ("roster:file:s1.py", "Sam Lee", "") and found["s2.py"][0] == "roster:file:s2.py"
