"""One row per entry of the class folder: a link is never followed (to a classmate's file, or out of
the folder), it gets an error row that says why, and nothing collapses two entries into one row."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
import subprocess
import tarfile
import unicodedata
import zipfile
from pathlib import Path

import pytest

from gradecore.cli.batch import grade_all
from gradecore.cli.discovery import find_submissions
from gradecore.cli.records import file_names
from gradecore.protocol import about

NOTEBOOK = json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


@pytest.fixture
def klass(tmp_path, monkeypatch) -> Path:
    """class/alice.py and class/carol/hw.ipynb, real files; outside/solution.py beside the class."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "class" / "carol").mkdir(parents=True)
    (tmp_path / "class" / "alice.py").write_text("x = 1\n")
    (tmp_path / "class" / "carol" / "hw.ipynb").write_text(NOTEBOOK)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "solution.py").write_text("x = 2\n")
    return Path("class")


def rows(found) -> dict[str, str]:
    return {s.name: s.problem for s in found}


def test_a_link_to_a_classmates_file_gets_an_error_row_and_the_classmate_keeps_theirs(klass):
    (klass / "mallory.py").symlink_to("alice.py")
    found = rows(find_submissions([klass]))
    assert set(found) == {"class/alice.py", "class/carol/hw.ipynb", "class/mallory.py"}
    assert found["class/alice.py"] == "" and found["class/carol/hw.ipynb"] == ""
    assert "is a link (to alice.py)" in found["class/mallory.py"]
    assert "never follows a link" in found["class/mallory.py"]


def test_links_out_of_the_folder_and_to_folders_get_error_rows(klass, tmp_path):
    (klass / "eve.py").symlink_to(tmp_path / "outside" / "solution.py")
    (klass / "dangling.ipynb").symlink_to("nowhere.ipynb")
    (klass / "trent").symlink_to(tmp_path / "outside")
    (klass / "carol2").symlink_to("carol")
    (klass / "notes.txt").symlink_to("alice.py")  # not named as a submission: no row, as before
    found = rows(find_submissions([klass]))
    assert set(found) == {"class/alice.py", "class/carol/hw.ipynb", "class/eve.py", "class/dangling.ipynb",
                          "class/trent", "class/carol2"}
    assert f"to {tmp_path / 'outside' / 'solution.py'}" in found["class/eve.py"]
    assert "not a folder of its own" in found["class/trent"] and "not a folder" in found["class/carol2"]
    assert "to nowhere.ipynb" in found["class/dangling.ipynb"]


def test_links_named_on_the_command_line_are_not_followed_either(klass):
    """``rnn-shapes grade class/*`` names each entry: a link among them is one too."""
    (klass / "mallory.py").symlink_to("alice.py")
    (klass / "carol2").symlink_to("carol")
    found = rows(find_submissions(sorted(klass.iterdir())))
    assert set(found) == {"class/alice.py", "class/carol/hw.ipynb", "class/mallory.py", "class/carol2"}
    assert found["class/mallory.py"] and found["class/carol2"] and not found["class/alice.py"]


def test_links_that_unpacking_a_tar_restores_get_error_rows(klass, tmp_path):
    archive = tmp_path / "mallory.tar"
    with tarfile.open(archive, "w") as tar:
        link = tarfile.TarInfo("mallory/hw.py")
        link.type, link.linkname = tarfile.SYMTYPE, "../alice.py"
        tar.addfile(link)
        up = tarfile.TarInfo("mallory/up.ipynb")
        up.type, up.linkname = tarfile.SYMTYPE, "../../outside/solution.py"
        tar.addfile(up)
    subprocess.run(["tar", "-xf", str(archive), "-C", str(klass)], check=True)  # as an instructor unpacks it
    assert (klass / "mallory" / "hw.py").is_symlink()
    found = rows(find_submissions([klass]))
    assert "is a link (to ../alice.py)" in found["class/mallory/hw.py"]
    assert "is a link (to ../../outside/solution.py)" in found["class/mallory/up.ipynb"]
    assert found["class/alice.py"] == ""


def test_an_exported_zip_whose_notebook_is_a_link_gets_an_error_row(klass):
    with zipfile.ZipFile(klass / "mallory.zip", "w") as zf:
        info = zipfile.ZipInfo("hw.ipynb")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "../alice.py")
    found = rows(find_submissions([klass]))
    assert "holds a link (hw.ipynb)" in found["class/mallory.zip"]


def test_an_exported_zip_that_unpacks_past_the_disk_limit_gets_an_error_row(klass, monkeypatch):
    """otter run unpacks the whole zip, in the grader's process, before the disk watch starts: 3 MiB
    of zeros beside the notebook, at a limit of 2 MiB, is refused unread; a zip of the notebook alone is graded."""
    from gradecore.protocol import limits

    monkeypatch.setattr(limits, "DISK_LIMIT_MB", 2)
    with zipfile.ZipFile(klass / "mallory.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("hw.ipynb", NOTEBOOK)
        zf.writestr("pad.bin", bytes(3 * 2**20))
    with zipfile.ZipFile(klass / "many.zip", "w") as zf:
        zf.writestr("hw.ipynb", NOTEBOOK)
        for n in range(600):  # each member takes a block unpacked: 600 of them pass 2 MiB
            zf.writestr(f"f/{n}", "")
    with zipfile.ZipFile(klass / "bob.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("hw.ipynb", NOTEBOOK)
    found = rows(find_submissions([klass]))
    assert "unpacks to 3 MiB in 2 files, more than one grading may write to disk (2 MiB" in found["class/mallory.zip"]
    assert "in 601 files" in found["class/many.zip"]
    assert found["class/bob.zip"] == ""


def test_hard_links_to_one_file_are_each_an_error_row(klass):
    os.link(klass / "alice.py", klass / "mallory.py")
    found = rows(find_submissions([klass]))
    assert "the same file as class/mallory.py" in found["class/alice.py"]
    assert "the same file as class/alice.py" in found["class/mallory.py"]


def test_one_file_named_twice_is_one_row_under_its_plainest_name(klass):
    found = rows(find_submissions([klass, "class/../class/alice.py", "class/alice.py"]))
    assert set(found) == {"class/alice.py", "class/carol/hw.ipynb"} and not any(found.values())


def test_names_are_printable_and_never_collapse(klass):
    forged = ["a\nMachine fault: x.py", "a\\nMachine fault: x.py", "b\x1b[2K.py", "=cmd|' -C calc'!A0.py"]
    for name in forged:
        (klass / name).write_text("x = 1\n")
    found = find_submissions([klass])
    assert len(found) == 2 + len(forged)
    assert len({s.name for s in found}) == len(found)
    assert all(s.name.isprintable() for s in found)
    assert "class/a\\nMachine fault: x.py" in {s.name for s in found}
    assert {s.path.name for s in found} >= set(forged)  # each row still grades its own file


def test_names_that_print_alike_keep_rows_that_read_apart(klass):
    # café.py composed (NFC) and decomposed (NFD): two files whose names print the same
    composed, decomposed = "caf\u00e9.py", "cafe\u0301.py"
    for name in (composed, decomposed, "\uff41lice.py"):  # and a full-width a beside alice.py
        (klass / name).write_text("x = 1\n")
    found = find_submissions([klass])
    names = {s.path.name: s.name for s in found}
    assert names[composed] != names[decomposed]
    assert unicodedata.normalize("NFKC", names[composed]) != unicodedata.normalize("NFKC", names[decomposed])
    assert unicodedata.normalize("NFKC", names["\uff41lice.py"]) != names["alice.py"]


def test_the_batch_writes_an_error_row_for_each_link(klass, tmp_path, monkeypatch):
    """Links only: nothing to grade with otter, and every entry has its row (graded from inside the
    folder, so that a name is a cell of its own: no formula)."""
    shutil.rmtree(klass)
    klass.mkdir()
    monkeypatch.chdir(klass)
    Path("mallory.py").symlink_to(tmp_path / "outside" / "solution.py")
    Path("=cmd|' calc'!A0.py").symlink_to("mallory.py")
    zip_path = tmp_path / "autograder.zip"
    with zipfile.ZipFile(zip_path, "w") as zf:
        zf.writestr(about.ASSIGNMENT_FILE, json.dumps(
            {"name": "toy", "questions": [{"name": "forward", "points": 6, "title": "forward", "short": "fwd"}]}))
    batch = grade_all(["."], zip_path, tmp_path / "out", warm=False, progress_stream=io.StringIO())
    table = list(csv.DictReader(io.StringIO((tmp_path / "out" / "grades.csv").read_text())))
    assert sorted(r["submission"] for r in table) == ["'=cmd|' calc'!A0.py", "mallory.py"]
    assert sorted(r["student"] for r in table) == ["'=cmd|' calc'!A0", "mallory"]
    assert all((r["forward"], r["total"], r["status"]) == ("", "", "error") and "never follows a link" in r["reason"]
               for r in table)
    assert len(batch.records) == 2
    feedback = sorted((tmp_path / "out" / "feedback").iterdir())
    assert len(feedback) == 2 and "is a link" in feedback[0].read_text()


def test_a_glob_through_a_students_folder_link_is_not_followed(klass, tmp_path):
    """``rnn-shapes grade class/*/*.ipynb``: the shell goes through ``class/aaron -> carol``; the
    entry it made is reached through a link, and carol keeps her row."""
    (klass / "aaron").symlink_to("carol")
    (klass / "zed").symlink_to(tmp_path / "outside")
    (tmp_path / "outside" / "hw.ipynb").write_text(NOTEBOOK)
    given = sorted(str(p) for p in klass.glob("*/*.ipynb"))
    assert given == ["class/aaron/hw.ipynb", "class/carol/hw.ipynb", "class/zed/hw.ipynb"]
    found = rows(find_submissions(given))
    assert found["class/carol/hw.ipynb"] == ""
    assert "reached through a link (class/aaron links to carol)" in found["class/aaron/hw.ipynb"]
    assert "reached through a link (class/zed links to" in found["class/zed/hw.ipynb"]


def test_two_entries_never_share_a_record_or_feedback_file():
    """Each entry's record and feedback file is named by its path, flattened; a name taken gets
    a digest of the path. ``a$[&)b.py`` and ``a~}%=b.py`` flatten as ``a b.py`` does and share the
    first 8 hex digits of their SHA-1 (found in a second among 100,000 names): with 8 digits
    only, the two shared one record and one feedback file."""
    entries = ["class/a b.py", "class/a_b.py", "class/a$[&)b.py", "class/a~}%=b.py"]
    names = file_names(entries)
    assert len(set(names.values())) == len(entries)
    assert names["class/a b.py"] == "class__a_b.py"
