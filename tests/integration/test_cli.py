"""``rnn-shapes grade``: batch grading gives otter's scores, survives interruptions, reports on a class.

The slow tests grade each assignment's class folder (:func:`write_class`, from the assignment's own
files) once with the tool, and check its rows, feedback and report against what those files must
earn; on the default assignment each file is also graded by ``otter run`` and compared (every
assignment's batch is held to ``otter run`` by the attack suite too, ``tests/attacks/``), and the
interruption test grades a few of the same files again. Signals, timeouts, sabotage and warm
kernels are the batch's whatever the assignment: they run on the default assignment.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import statistics
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from functools import partial
from pathlib import Path

import nbformat
import pytest

from gradecore.cli.batch import Batch
from gradecore.cli.discovery import OUTPUT_MARKER, Submission, find_submissions
from gradecore.cli.feedback import one_line, question_feedback
from gradecore.cli.grading import read_assignment
from gradecore.cli.otter_output import error_reason, lost_reason
from gradecore.cli.progress import Progress, duration
from gradecore.cli.records import Assignment, Record, csv_text, feedback_text, file_names, file_sha256
from gradecore.cli.report import PLOTS, class_numbers, write_report
from gradecore.host.procs import descendants
from gradecore.protocol.facts import Mistake, QuestionFacts
from tests.support import TOOL, AssignmentUnderTest, grade_class, read_table, run_tool
from tests.support import put as put_in

from .conftest import default_only

WAIT_LIMIT_S = 900
"""How long a test waits for the tool to reach a state before giving up (not an assertion on speed)."""


def assignment_of(kit: AssignmentUnderTest) -> Assignment:
    """What the batch reads of the assignment's zip, with a made-up title per question."""
    return Assignment(kit.questions, dict(kit.points), {q: [f"{q} hidden random models"] for q in kit.questions},
                      name=kit.name)


def number(x: float) -> str:
    """A number as the table, the feedback and the report write it."""
    return f"{x:g}"


def score(x: float) -> str:
    """A mean or median as the report writes it."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


# What the plugin found for one question (carol in rnn_shapes' examples/), as the batch keeps it.
CAROL_COUNT = QuestionFacts(
    passed=False,
    checks=["count_params: 20 of 22 checks failed.",
            "First failure (T=7, D=5, M=8, K=2): count_params returned a different number of parameters than "
            "model.count_params()."],
    mistake=Mistake("the count grows with T", "weights are shared across time steps: T must not appear in the count"),
)

STUB = QuestionFacts(passed=False, checks=["manual_forward is not implemented yet (it raises NotImplementedError)."])

SHOWN = QuestionFacts(passed=False, checks=["sequence_forward: 3 of 3 checks failed."],
                      finding="is the output time-major, (T, N, K)?")


def record(submission: str, points: dict[str, float], status: str = "graded", facts=None) -> Record:
    found = {q: asdict(f) for q, f in (facts or {}).items()}
    return Record(submission, dict(points), sum(points.values()), status, "", facts=found)


# ---- pure parts, no otter -------------------------------------------------------------------


def test_feedback_names_the_failed_check_by_title_and_the_diagnosed_mistake():
    feedback = question_feedback("count_params", CAROL_COUNT, titles=["count_params matches model.count_params()"])
    assert [c.title for c in feedback.failed] == ["count_params matches model.count_params()"]
    assert feedback.failed[0].lines == CAROL_COUNT.checks
    assert [(m.title, m.fix) for m in feedback.mistakes] == [
        ("the count grows with T", "weights are shared across time steps: T must not appear in the count")
    ]
    assert one_line(CAROL_COUNT) == "the count grows with T"


def test_feedback_of_passed_checks_stubs_findings_and_zips_without_facts():
    assert question_feedback("x", QuestionFacts(passed=True), titles=["a"]).failed == []
    stub = question_feedback("manual_forward", STUB, titles=["hidden"])
    assert [c.title for c in stub.failed] == ["hidden"] and stub.mistakes == []
    assert one_line(STUB) == "manual_forward is not implemented yet (it raises NotImplementedError)."
    assert one_line(SHOWN) == "is the output time-major, (T, N, K)"
    # No titles known: the check is still named by otter's name for it.
    assert question_feedback("x", STUB).failed[0].title == "x - 1"
    # A zip whose plugin wrote no facts: otter's text is shown as it is, never parsed.
    old = question_feedback("x", None, "x results:\n    x - 1 result:\n        ❌ boom\n")
    assert old.failed[0].lines == ["x results:", "x - 1 result:", "❌ boom"] and old.mistakes == []
    assert one_line(None) == "failed"


def test_reason_shares_one_message_between_questions_that_fail_alike():
    reason = lost_reason({
        "count_params": "count_params is not implemented yet (it raises NotImplementedError).",
        "weight_shapes": "weight_shapes is not implemented yet (it raises NotImplementedError).",
        "batched_forward": "the hidden bias bh is missing",
    })
    assert reason == ("count_params, weight_shapes: is not implemented yet (it raises NotImplementedError).; "
                      "batched_forward: the hidden bias bh is missing")


def test_discovery_finds_nested_submissions_once_and_skips_the_rest(tmp_path, monkeypatch):
    def touch(relative: str) -> None:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")

    wanted = ["class/alice/rnn_shapes.ipynb", "class/bob/deep/er/hw.py", "class/carol.py", "extra.py"]
    for name in wanted:
        touch(name)
    for name in [
        "class/alice/.ipynb_checkpoints/rnn_shapes-checkpoint.ipynb",
        "class/bob/__init__.py",
        "class/bob/__pycache__/hw.py",
        "class/.git/hooks/x.py",
        "class/notes.txt",
        "class/old-grades/feedback/a.py",  # an earlier output folder: marked
        "class/grades-here/results/b.py",  # this run's output folder: excluded by path
    ]:
        touch(name)
    (tmp_path / "class/old-grades" / OUTPUT_MARKER).touch()
    monkeypatch.chdir(tmp_path)
    found = find_submissions(["class", "extra.py", "class/carol.py", "class/notes.txt"],
                             exclude=[Path("class/grades-here")])
    assert [s.name for s in found] == sorted(wanted)
    assert all(s.path.is_file() for s in found)


def test_file_names_are_flat_and_distinct():
    names = file_names(["class/a/b.py", "class/a__b.py", "../up/x y.ipynb", "/abs/z.py"])
    assert names["class/a/b.py"] == "class__a__b.py"
    assert names["class/a__b.py"].startswith("class__a__b.py-")
    assert names["../up/x y.ipynb"] == "up__x_y.ipynb"
    assert names["/abs/z.py"] == "abs__z.py"
    assert len(set(names.values())) == 4


def test_grades_table_is_sorted_with_one_column_per_question(kit):
    ones = {q: 1 for q in kit.questions}
    rows = [record("b.py", ones), record("a.py", dict(kit.points)), Record("c.ipynb", status="error",
                                                                          reason="OtterRuntimeError: x")]
    table = list(csv.reader(io.StringIO(csv_text(rows, assignment_of(kit)))))
    most = number(sum(kit.points.values()))
    assert table[0] == ["student", "student_id", "section", "submission", *kit.questions, "total", "possible",
                        "status", "reason", "isolation"]
    assert [r[3] for r in table[1:]] == ["a.py", "b.py", "c.ipynb"]
    full = [number(kit.points[q]) for q in kit.questions]
    assert table[1][4:] == [*full, most, most, "graded", "", ""]
    assert table[2][4:] == [*["1"] * len(kit.questions), number(len(kit.questions)), most, "graded", "", ""]
    # A failed grading: blank points, never 0.
    assert table[3][4:] == [*[""] * len(kit.questions), "", most, "error", "OtterRuntimeError: x", ""]


def test_resume_keeps_unchanged_records_and_regrades_changed_files(kit, tmp_path):
    assignment = assignment_of(kit)
    zip_path = tmp_path / "autograder.zip"
    zip_path.write_bytes(b"zip v1")
    subs = []
    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / name).write_text(f"# {name}\n")
        subs.append(Submission(tmp_path / name, name))
    out = tmp_path / "out"
    first = Batch(subs, zip_path, out, assignment)
    assert first.resume(regrade=False) == subs
    for sub in subs[:2]:
        rec = record(sub.name, dict(kit.points))
        rec.sha256, rec.autograder_sha256 = file_sha256(sub.path), file_sha256(zip_path)
        first.save(rec)
    lines = (out / "grades.csv").read_text().splitlines()
    assert [line.split(",")[0] for line in lines] == ["student", "a.py", "b.py"]
    assert sorted(p.name for p in (out / "feedback").iterdir()) == ["a.py.txt", "b.py.txt"]
    assert not [p for p in out.rglob("*.tmp")]

    (tmp_path / "b.py").write_text("# b.py, resubmitted\n")
    again = Batch(subs, zip_path, out, assignment)
    assert [s.name for s in again.resume(regrade=False)] == ["b.py", "c.py"]
    assert sorted(again.records) == ["a.py"]
    assert [s.name for s in Batch(subs, zip_path, out, assignment).resume(regrade=True)] == ["a.py", "b.py", "c.py"]
    zip_path.write_bytes(b"zip v2")
    assert len(Batch(subs, zip_path, out, assignment).resume(regrade=False)) == 3

    # Regrading one file in place: its row changes, every other row stays.
    one = Batch(subs[:1], zip_path, out, assignment)
    assert one.resume(regrade=True) == subs[:1]
    rec = record("a.py", {q: 0 for q in kit.questions})
    one.save(rec)
    rows = list(csv.DictReader(io.StringIO((out / "grades.csv").read_text())))
    assert [(r["submission"], r["total"]) for r in rows] == [("a.py", "0"), ("b.py", number(sum(kit.points.values())))]


def test_feedback_file_lists_points_failed_titles_and_fix(kit):
    wrong, right = kit.questions[0], kit.questions[-1]
    total = sum(kit.points.values())
    text = feedback_text(record("carol.py", dict(kit.points, **{wrong: 0}), facts={wrong: CAROL_COUNT}),
                         assignment_of(kit))
    assert f"Total: {number(total - kit.points[wrong])} / {number(total)} points" in text
    assert f"❌ {wrong}: 0 / {number(kit.points[wrong])}" in text
    assert f"✅ {right}: {number(kit.points[right])} / {number(kit.points[right])}" in text
    assert f"failed: {wrong} hidden random models" in text
    assert "        count_params: 20 of 22 checks failed." in text
    assert "likely mistake: the count grows with T" in text
    assert "fix: weights are shared across time steps: T must not appear in the count" in text
    broken = feedback_text(Record("x.ipynb", status="error", reason="OtterRuntimeError: wrong assignment"),
                           assignment_of(kit))
    assert "Not graded (error): OtterRuntimeError: wrong assignment" in broken


def test_error_reason_is_one_line_from_otters_traceback():
    stderr = (
        "Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\n"
        "otter.run.run_autograder.utils.OtterRuntimeError: Received submission for assignment 'lab7' "
        "(this is assignment 'rnn_shapes')\n"
    )
    assert error_reason(stderr, 1) == (
        "OtterRuntimeError: Received submission for assignment 'lab7' (this is assignment 'rnn_shapes')"
    )
    assert error_reason("", -9) == "otter run was killed by signal 9 (out of memory?)"
    assert error_reason("last words\n", 3) == "last words"


def test_report_numbers_and_files(kit, tmp_path):
    assignment = assignment_of(kit)
    lost = kit.questions[-1]
    full = dict(kit.points)
    partial = dict(kit.points, **{lost: 0})
    unreset = QuestionFacts(passed=False, checks=[f"{lost}: 9 of 11 checks failed."],
                            mistake=Mistake("the hidden state is not reset", "set h = 0 per sample"))
    rows = [
        record("a", full),
        record("b", partial, facts={lost: unreset}),
        record("c", partial, facts={lost: unreset}),
        record("d", {q: 0 for q in kit.questions}),
        Record("e", status="timeout", reason="grading took longer than 600 s"),
    ]
    total = sum(full.values())
    totals = [total, total - kit.points[lost], total - kit.points[lost], 0]
    numbers = class_numbers(rows, assignment)
    assert numbers.status_counts == {"graded": 4, "error": 0, "timeout": 1}
    assert numbers.totals == totals
    assert numbers.mean == pytest.approx(statistics.mean(totals)) and numbers.median == statistics.median(totals)
    assert numbers.pass_rates[lost] == 0.25 and numbers.pass_rates[kit.questions[0]] == 0.75
    assert numbers.mistakes == [(lost, "the hidden state is not reset", 2)]
    html = write_report(rows, assignment, tmp_path).read_text()
    assert f"mean score: {score(statistics.mean(totals))} / {number(total)}" in html
    assert f"median score: {score(statistics.median(totals))} / {number(total)}" in html
    assert f"<td>{lost}</td><td class=n>{number(kit.points[lost])}</td><td class=n>1</td><td class=n>25%</td>" in html
    assert "<td>the hidden state is not reset</td><td class=n>2</td>" in html
    assert "grading took longer than 600 s" in html
    for png in PLOTS.values():
        assert (tmp_path / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f'src="{png}"' in html


def test_progress_estimates_time_left_from_this_runs_pace():
    now = [0.0]
    stream = io.StringIO()
    progress = Progress(10, stream, clock=lambda: now[0])
    progress.skip(2)
    assert "2/10" in stream.getvalue() and "estimating" in progress.line()
    now[0] = 30.0
    progress.advance("a.py: 9/9")
    now[0] = 60.0
    progress.advance("b.py: 7/9")
    assert progress.line().startswith("[") and "4/10  ~3m00s left" in progress.line()
    assert stream.getvalue().splitlines()[-1].endswith("b.py: 7/9")
    assert duration(3725) == "1h02m"


def test_assignment_is_read_from_the_built_zip(kit, autograder_zip):
    assignment = read_assignment(autograder_zip)
    assert assignment.questions == kit.questions
    assert assignment.points == kit.points
    # The autograder runs only the checks it scores: the hidden one.
    assert assignment.titles == {q.name: [q.title] for q in kit.spec.questions}


def test_reason_names_the_cause_noted_in_the_submission_before_the_symptom():
    found = QuestionFacts(passed=False, checks=["count_params is not defined in the submission."],
                          problems=["the submission does not parse: line 6: '(' was never closed. Python could not "
                                    "run any of it."])
    assert one_line(found).startswith("the submission does not parse: line 6")
    assert question_feedback("count_params", found).failed[0].lines[-1].startswith("⚠ the submission does not parse")


# ---- through otter --------------------------------------------------------------------------

SLEEPER = ("import os, time\ntry:\n    open({pidfile!r}, 'w').write(str(os.getpid()))\nexcept OSError:\n"
           "    pass  # confined: it may write its own folder only\ntime.sleep(10**6)\n")

ALWAYS_ERRORS = {"s3/cut/short.ipynb": "not a notebook"}
"""Files otter run cannot grade, and a word of the reason. A notebook whose otter metadata names
another assignment (``s2/other/lab7_lstm.ipynb``) is refused by otter 7 unless the zip's config
drops the name: either way the tool must agree with otter run."""
ANOTHER_ASSIGNMENT = "s2/other/lab7_lstm.ipynb"


def first_mistake(kit: AssignmentUnderTest):
    """The first entry of the assignment's catalogue: a buggy function whose mistake is named."""
    return next(iter(kit.spec.catalogue))


def write_class(kit: AssignmentUnderTest, root: Path, student_notebook: Path) -> Path:
    """A class folder from the assignment's own files, in ``root``: nested folders, .py and .ipynb,
    the reference, a catalogued mistake, untouched stubs, a notebook of another assignment, an
    upload cut short (and two files that are not submissions). A file that does not parse is the
    kernel's, whatever the assignment (``test_robustness.py``)."""

    mistake = first_mistake(kit)
    put = partial(put_in, root)
    put(f"s1/reference/{kit.name}.py", kit.py_submission())
    put(f"s1/mistake/deep/er/{kit.name}.py", kit.py_submission({mistake.question: mistake}))
    put(f"s2/untouched/{kit.name}.ipynb", nbformat.read(student_notebook, as_version=4))
    wrong = kit.notebook_submission(student_notebook)
    wrong.metadata["otter"]["assignment_name"] = "lab7_lstm"
    put(ANOTHER_ASSIGNMENT, wrong)
    text = nbformat.writes(kit.notebook_submission(student_notebook))
    put("s3/cut/short.ipynb", text[: len(text) // 2])
    # Not submissions: a checkpoint copy and a package marker.
    put(f"s2/untouched/.ipynb_checkpoints/{kit.name}-checkpoint.ipynb", kit.notebook_submission(student_notebook))
    put("s3/__init__.py", "")
    return root


CLASS_SIZE = 5


@pytest.fixture(scope="session")
def klass(kit, tmp_path_factory, student_notebook) -> Path:
    return write_class(kit, tmp_path_factory.mktemp(f"{kit.name}-class"), student_notebook)


@pytest.fixture(scope="session")
def tool_run(klass, autograder_zip, tmp_path_factory):
    """The class graded once by the tool here, two at a time: the rows every other way must give."""
    return grade_class(klass, autograder_zip, tmp_path_factory.mktemp("grades"))


def by_relative(klass: Path, rows: list[dict]) -> dict[str, dict]:
    return {str(Path(r["submission"]).relative_to(klass)): r for r in rows}


@pytest.mark.slow
def test_tool_gives_every_submission_one_row_with_what_it_earns(kit, klass, tool_run):
    out, _ = tool_run
    rows = read_table(out / "grades.csv")
    assert sorted(r["submission"] for r in rows) == sorted(str(s.path) for s in find_submissions([klass]))
    assert len(rows) == CLASS_SIZE
    # Each file is a student of its own here: the folder that holds it.
    assert sorted(r["student"] for r in rows) == sorted(Path(r["submission"]).parent.name for r in rows)
    rows = by_relative(klass, rows)
    errors = {relative for relative, row in rows.items() if row["status"] != "graded"}
    assert set(ALWAYS_ERRORS) <= errors <= set(ALWAYS_ERRORS) | {ANOTHER_ASSIGNMENT}
    for relative in errors:
        row = rows[relative]
        assert row["status"] == "error" and row["reason"] and "\n" not in row["reason"], row
        # Blank, never 0: a failed grading is no score.
        assert {q: row[q] for q in kit.questions} == {q: "" for q in kit.questions} and row["total"] == ""
        assert "Error" not in row["reason"], row  # plain words; the machinery's are in results/*.json
    for relative, word in ALWAYS_ERRORS.items():
        assert word in rows[relative]["reason"]
    total = sum(kit.points.values())
    mistake = first_mistake(kit)
    earned = {
        f"s1/reference/{kit.name}.py": kit.points,
        f"s1/mistake/deep/er/{kit.name}.py": dict(kit.points, **{mistake.question: 0}),
        f"s2/untouched/{kit.name}.ipynb": {q: 0 for q in kit.questions},
    }
    for relative, points in earned.items():
        row = rows[relative]
        assert row["status"] == "graded", row
        assert {q: float(row[q]) for q in kit.questions} == points, relative
        assert float(row["total"]) == sum(points.values())
    assert rows[f"s1/reference/{kit.name}.py"]["total"] == number(total)
    assert mistake.title in rows[f"s1/mistake/deep/er/{kit.name}.py"]["reason"]


@pytest.fixture(scope="module")
def otter_results(kit, klass, autograder_zip, tool_run):
    """Each file of the class graded by ``otter run`` itself (None where it gives no results.json)."""
    files = [s.path for s in find_submissions([klass])]

    def grade(path):
        try:
            return path, kit.otter_run(autograder_zip, path)
        except AssertionError:
            return path, None

    with ThreadPoolExecutor(2) as pool:
        return {str(path): graded for path, graded in pool.map(grade, files)}


@pytest.mark.slow
@default_only
def test_tool_gives_otter_runs_points(kit, klass, tool_run, otter_results):
    out, _ = tool_run
    rows = read_table(out / "grades.csv")
    assert sorted(r["submission"] for r in rows) == sorted(otter_results)
    for row in rows:
        graded = otter_results[row["submission"]]
        if graded is None:
            assert row["status"] == "error", row
            continue
        assert row["status"] == "graded", row
        relative = str(Path(row["submission"]).relative_to(klass))
        assert {q: float(row[q]) for q in kit.questions} == {q: float(graded.scores[q]) for q in kit.questions}, relative
        assert float(row["total"]) == sum(float(graded.scores[q]) for q in kit.questions)


@pytest.mark.slow
def test_feedback_files_name_failed_checks_and_mistakes(kit, tool_run):
    out, _ = tool_run
    files = sorted(p.name for p in (out / "feedback").iterdir())
    assert len(files) == CLASS_SIZE
    mistake = first_mistake(kit)
    right = next(q for q in kit.questions if q != mistake.question)
    text = next((out / "feedback").glob(f"*s1__mistake__deep__er__{kit.name}.py.txt")).read_text()
    assert f"❌ {mistake.question}: 0 / {number(kit.points[mistake.question])}" in text
    assert f"✅ {right}: {number(kit.points[right])} / {number(kit.points[right])}" in text
    assert f"failed: {kit.spec.question(mistake.question).title}" in text
    assert f"likely mistake: {mistake.title}" in text
    assert f"fix: {mistake.hint}" in text
    cut = next((out / "feedback").glob("*s3__cut__short.ipynb.txt")).read_text()
    assert "Not graded (error): the file is not a notebook" in cut


@pytest.mark.slow
def test_report_shows_the_class_numbers(kit, tool_run):
    out, proc = tool_run
    rows = read_table(out / "grades.csv")
    graded = [r for r in rows if r["status"] == "graded"]
    totals = [float(r["total"]) for r in graded]
    html = (out / "report.html").read_text()
    errors = len(rows) - len(graded)
    assert errors >= 1 and f"students: {CLASS_SIZE} (graded {len(graded)}, errors {errors}, timeouts 0)" in html
    assert f"mean score: {score(statistics.mean(totals))} / {number(sum(kit.points.values()))}" in html
    for q in kit.questions:
        passed = sum(float(r[q]) == kit.points[q] for r in graded)
        assert f"<td>{q}</td><td class=n>{number(kit.points[q])}</td><td class=n>{passed}</td>" in html
    assert f"<td>{first_mistake(kit).title}</td>" in html
    assert "Score distribution per question" in html and "Error" not in html.split("<h2>Not graded</h2>")[-1]
    for png in PLOTS.values():
        assert (out / png).read_bytes()[:4] == b"\x89PNG"
    assert f"Report:   {out / 'report.html'}" in proc.stdout


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _wait_for(condition, what: str):
    deadline = time.monotonic() + WAIT_LIMIT_S
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.5)


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="finds the tool's children in /proc")
@default_only
def test_interrupted_run_keeps_what_finished_and_a_rerun_completes_it(kit, klass, tool_run, autograder_zip, tmp_path):
    full_out, _ = tool_run
    chosen = [s.name for s in find_submissions([klass])][:5]
    out = tmp_path / "grades"
    args = [str(TOOL), "grade", *chosen, "--jobs", "2", "--out", str(out), "--autograder", str(autograder_zip)]
    tool = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    table = out / "grades.csv"
    # A row that otter graded (the cut-short notebook's row comes first, refused before any grading).
    _wait_for(lambda: table.exists() and any(r["status"] == "graded" for r in read_table(table))
              or tool.poll() is not None, "a first graded row")
    in_flight = descendants(tool.pid)
    tool.send_signal(signal.SIGTERM)
    _, stderr = tool.communicate(timeout=120)
    assert tool.returncode == 128 + signal.SIGTERM, stderr[-2000:]
    assert in_flight, "nothing was being graded when the signal came"
    assert not [pid for pid in in_flight if _alive(pid)], "graders outlived the interruption"
    assert "Run the same command again" in stderr

    full = {r["submission"]: r for r in read_table(full_out / "grades.csv")}
    partial = read_table(table)
    assert 1 <= len(partial) < len(chosen)
    order = [(r["student"].lower(), r["submission"]) for r in partial]
    assert order == sorted(set(order))  # one row each, by student
    assert all(r == full[r["submission"]] for r in partial)
    assert len(list((out / "results").glob("*.json"))) == len(partial)

    again = subprocess.run(args, capture_output=True, text=True, timeout=3600)
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"{len(partial)} already graded" in again.stderr
    expected = [r for r in read_table(full_out / "grades.csv") if r["submission"] in chosen]
    assert read_table(table) == expected


def _running_student_code(root: int) -> list[int]:
    """The processes below ``root`` that run student code: sealed runs and kernels."""
    from gradecore.host import procs

    found = []
    for pid in procs.descendants(root):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                command = f.read()
        except OSError:
            continue
        if (b"gradecore.sandbox.sealed" in command or b"ipykernel" in command) and _alive(pid):
            found.append(pid)
    return found


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads process states in /proc")
@default_only
def test_ctrl_c_ends_the_kernel_running_student_code(kit, autograder_zip, tmp_path):
    pidfile = tmp_path / "student.pid"
    (tmp_path / "class" / "sleepy").mkdir(parents=True)
    (tmp_path / "class" / "sleepy" / f"{kit.name}.py").write_text(SLEEPER.format(pidfile=str(pidfile)))
    out = tmp_path / "grades"
    tool = subprocess.Popen([str(TOOL), "grade", str(tmp_path / "class"), "--out", str(out),
                             "--autograder", str(autograder_zip)], stderr=subprocess.PIPE, text=True)
    _wait_for(lambda: _running_student_code(tool.pid) or tool.poll() is not None, "the student code")
    [student_pid, *_] = _running_student_code(tool.pid)
    assert _alive(student_pid) and not pidfile.exists(), "the sandbox writes nothing outside its folders"
    tool.send_signal(signal.SIGINT)
    _, stderr = tool.communicate(timeout=120)
    assert tool.returncode == 128 + signal.SIGINT, stderr[-2000:]
    _wait_for(lambda: not _alive(student_pid), "the student's process to end")
    assert read_table(out / "grades.csv") == []
    assert not list(out.glob("results/*.json"))


@pytest.mark.slow
@default_only
def test_a_submission_that_never_ends_is_a_timeout_row(kit, autograder_zip, tmp_path):
    pidfile = tmp_path / "student.pid"
    (tmp_path / "sleepy.py").write_text(SLEEPER.format(pidfile=str(pidfile)))
    temporary = tmp_path / "tmp"  # the tool's TMPDIR: a killed grading leaves nothing in it
    temporary.mkdir(mode=0o711)
    temporary.chmod(0o711)
    proc = run_tool(tmp_path / "sleepy.py", "--timeout", 20, "--out", tmp_path / "grades",
                    "--autograder", autograder_zip, timeout=600, env=dict(os.environ, TMPDIR=str(temporary)))
    assert proc.returncode == 0, proc.stderr[-2000:]
    [row] = read_table(tmp_path / "grades" / "grades.csv")
    assert (row["status"], row["total"]) == ("timeout", "")
    assert row["reason"].startswith("grading took longer than 20 s") and "--timeout" in row["reason"]
    if pidfile.exists():
        assert not _alive(int(pidfile.read_text()))
    assert sorted(p.name for p in temporary.iterdir()) == []


JUDGE_KILLER = '''
import os, signal

# Sabotage: kill every process it can see or guess, the judges and the other gradings first.
try:
    pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
except OSError:  # confined: /proc is not listed
    pids = list(range(2, 5000)) + [os.getppid()]
own_session = os.getsid(0)
for pid in pids:
    try:
        # never itself: with pids tried by number, one is a thread of this very process, and
        # pid_max is 32768 here, so its threads' ids do fall in the range now and then
        if os.getsid(pid) != own_session:
            os.kill(pid, signal.SIGKILL)
    except (OSError, ValueError):
        pass
'''


@pytest.mark.slow
@default_only
def test_a_submission_that_tries_to_kill_every_process_costs_no_one_anything(kit, tmp_path, autograder_zip):
    """It is refused (a user of its own, Landlock's signal scope): every row, its own included, is
    what the code earns."""
    folder = tmp_path / "class"
    for name, text in [
        ("a-correct", kit.py_submission()),
        ("b-saboteur", kit.py_submission(header="import numpy as np\n" + JUDGE_KILLER)),
        ("c-correct", kit.py_submission()),
    ]:
        (folder / name).mkdir(parents=True)
        (folder / name / f"{kit.name}.py").write_text(text)
    proc = run_tool(str(folder), "--jobs", "2", "--out", str(tmp_path / "out"), "--autograder", str(autograder_zip))
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = {Path(r["submission"]).parent.name: r for r in read_table(tmp_path / "out" / "grades.csv")}
    assert sorted(rows) == ["a-correct", "b-saboteur", "c-correct"]
    for name in ("a-correct", "b-saboteur", "c-correct"):
        assert float(rows[name]["total"]) == sum(kit.points.values()), rows[name]


POLLUTER = '''
import builtins, json, os, sys

# Leave state for whoever is graded next: NumPy monkeypatched, globals everywhere, files that
# shadow modules in this working folder and in the template's.
import numpy as np
np.tanh = lambda x: x
np.matmul = None
np.random.seed(0)
builtins.manual_forward = builtins.batched_forward = lambda *args: None
for folder in (".", os.path.dirname(os.environ.get("GRADECORE_WARM_KERNELS", "."))):
    for name in ("numpy.py", "gradecore.py", "ASSIGNMENT.py", "sitecustomize.py"):
        open(os.path.join(folder, name), "w").write("raise SystemExit('planted by another submission')\\n")
'''


def _watch_for_warm_kernels(found: list[int], stop: list[bool]) -> None:
    """Note each process with the template's command line that runs as a sandbox's own user."""
    from gradecore.sandbox.confine import SANDBOX_UID_BASE

    while not stop:
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/cmdline", "rb") as f:
                    command = f.read()
                uid = os.stat(f"/proc/{entry.name}").st_uid
            except OSError:
                continue
            if b"gradecore.host.forkserver" in command and uid >= SANDBOX_UID_BASE:
                found.append(int(entry.name))
        time.sleep(0.2)


@pytest.mark.slow
@default_only
def test_a_warm_kernel_starts_as_if_no_submission_came_before(kit, tmp_path, autograder_zip):
    """Kernels forked from the batch's template: a submission that leaves globals, monkeypatches
    NumPy and writes files changes nothing for the next one, graded in the same batch."""
    def grade(folder: Path, names: list[str], *extra: str) -> dict[str, tuple[dict, str]]:
        for name in names:
            polluter = POLLUTER.replace("ASSIGNMENT.py", f"{kit.name}.py")  # shadows the submission's module
            header = "import numpy as np\n" + (polluter if name == "a-polluter" else "")
            overrides = {mistake.question: mistake} if name == "c-buggy" else None
            (folder / name).mkdir(parents=True)
            (folder / name / f"{kit.name}.py").write_text(kit.py_submission(overrides, header=header))
        out = folder.with_name(folder.name + "-out")
        watching = threading.Thread(target=_watch_for_warm_kernels, args=(warm_kernels, stop), daemon=True)
        watching.start()
        proc = run_tool(folder, "--jobs", 1, "--out", out, "--autograder", autograder_zip, *extra)
        stop.append(True)
        watching.join()
        stop.clear()
        assert proc.returncode == 0, proc.stderr[-2000:]
        rows = {Path(r["submission"]).parent.name: r for r in read_table(out / "grades.csv")}
        return {
            name: ({k: v for k, v in row.items() if k != "submission"},
                   next((out / "feedback").glob(f"*{name}*")).read_text().split("\n", 1)[1])  # less "Feedback for PATH"
            for name, row in rows.items()
        }

    mistake = first_mistake(kit)
    warm_kernels: list[int] = []
    stop: list[bool] = []
    after = grade(tmp_path / "warm", ["a-polluter", "b-correct", "c-buggy"])
    if os.geteuid() == 0:  # a kernel forked from the template, confined: the template's command line, its own user
        assert warm_kernels, "no kernel of the batch was forked from its template"
    alone = grade(tmp_path / "cold", ["b-correct", "c-buggy"], "--cold-kernels")
    assert after["a-polluter"][0]["status"] == "graded"
    assert float(after["b-correct"][0]["total"]) == sum(kit.points.values())
    assert float(after["c-buggy"][0][mistake.question]) == 0
    for name in ("b-correct", "c-buggy"):
        assert after[name] == alone[name], name


@pytest.mark.slow
@default_only
def test_a_submission_that_kills_the_kernel_template_costs_the_others_nothing(kit, tmp_path, autograder_zip):
    killer = ("import os, signal\ntry:\n    os.kill(os.getppid(), signal.SIGKILL)  # what forked this kernel\n"
              "except OSError:\n    pass  # confined: it signals nothing outside its sandbox\n")
    folder = tmp_path / "class"
    for name, text in [("a-killer", kit.py_submission(header="import numpy as np\n" + killer)),
                       ("b-correct", kit.py_submission()), ("c-correct", kit.py_submission()),
                       ("d-correct", kit.py_submission())]:
        (folder / name).mkdir(parents=True)
        (folder / name / f"{kit.name}.py").write_text(text)
    proc = run_tool(folder, "--jobs", 2, "--out", tmp_path / "out", "--autograder", autograder_zip)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = {Path(r["submission"]).parent.name: r for r in read_table(tmp_path / "out" / "grades.csv")}
    for name, row in rows.items():  # the killer itself loses nothing either: its kill is refused
        assert float(row["total"]) == sum(kit.points.values()), (name, row)


# ---- one row per student, from each LMS's download ----------------------------------------------


@pytest.fixture(scope="module")
def lms_run(kit, autograder_zip, tmp_path_factory):
    """Canvas, Moodle, GitHub Classroom and plain folders graded in one run (three ``otter run``s; the
    empty notebook and the other assignment's file are refused before otter), then one student
    regraded in place."""
    root = tmp_path_factory.mktemp("lms")
    mistake = first_mistake(kit)
    buggy = kit.py_submission({mistake.question: mistake})
    put = partial(put_in, root)
    put(f"canvas/doejane_11001_900001_{kit.name}.py", buggy)  # on time, superseded by the LATE one
    put(f"canvas/doejane_LATE_11001_900777_{kit.name}-1.py", kit.py_submission())
    put(f"moodle/Jane Roe_12345_assignsubmission_file_/{kit.name}.py", buggy)
    repo = "classroom/rnn-shapes-submissions/rnn-shapes-bob"
    put(f"{repo}/{kit.name}.py", kit.py_submission())
    put(f"{repo}/test_{kit.name}.py", "import os\nHERE = os.path.dirname(__file__)\n")
    (root / repo / ".git").mkdir()
    put("plain/erin/rnn_shapes.ipynb", "")
    put("plain/gus/gated.py", AssignmentUnderTest("gated_rnn_shapes").py_submission())
    put("plain/notes.txt", "hand-in notes")
    out = root / "grades"
    proc = run_tool(root / "canvas", root / "moodle", root / "classroom", root / "plain", "--jobs", 2, "--out", out,
                    "--autograder", autograder_zip, timeout=3600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return root, out, proc


@pytest.mark.slow
@default_only
def test_each_lms_download_grades_to_one_row_per_student(kit, lms_run):
    root, out, proc = lms_run
    rows = {r["student"]: r for r in read_table(out / "grades.csv")}
    assert sorted(rows) == ["Jane Roe", "bob", "doejane", "erin", "gus"]
    total = number(sum(kit.points.values()))
    assert (rows["doejane"]["student_id"], rows["doejane"]["total"]) == ("11001", total)
    assert "_LATE_" in rows["doejane"]["submission"]
    assert rows["Jane Roe"]["student_id"] == "12345" and rows["Jane Roe"]["total"] != total
    assert rows["bob"]["submission"].endswith(f"rnn-shapes-bob/{kit.name}.py") and rows["bob"]["total"] == total
    for name in ("erin", "gus"):
        assert (rows[name]["status"], rows[name]["total"], rows[name]["possible"]) == ("error", "", total)
    assert "notebook file is empty" in rows["erin"]["reason"]
    assert "--assignment gated_rnn_shapes" in rows["gus"]["reason"]
    skipped = {Path(r["file"]).name: r["reason"] for r in read_table(out / "skipped.csv")}
    assert "superseded" in skipped[f"doejane_11001_900001_{kit.name}.py"]
    assert "test file" in skipped[f"test_{kit.name}.py"] and "notes.txt" in skipped
    assert "error: the notebook file is empty" in proc.stdout  # the console says why
    html = (out / "report.html").read_text()
    assert f"doejane_11001_900001_{kit.name}.py" in html and "superseded" in html
    canvas = list(csv.reader(io.StringIO((out / "exports" / "canvas.csv").read_text())))
    assert canvas[1][-1] == total and ["doejane", "11001", "", "", "", total] in canvas
    moodle = read_table(out / "exports" / "moodle.csv")
    assert {r["Identifier"]: r["Grade"] for r in moodle}["Participant 12345"] == rows["Jane Roe"]["total"]
    assert sorted(p.name for p in (out / "return").iterdir()) == sorted(
        ["Jane_Roe_12345.txt", "bob.txt", "doejane_11001.txt", "erin.txt", "gus.txt"])


@pytest.mark.slow
@default_only
def test_regrading_one_student_keeps_every_other_row(kit, lms_run, autograder_zip):
    root, out, _ = lms_run
    before = {r["student"]: r for r in read_table(out / "grades.csv")}
    late = next((root / "canvas").glob("*_LATE_*"))
    late.write_text(kit.py_submission({first_mistake(kit).question: first_mistake(kit)}))  # a fix gone wrong
    proc = run_tool(root / "canvas", "--regrade", "--student", "11001", "--out", out, "--autograder", autograder_zip,
                    timeout=3600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    after = {r["student"]: r for r in read_table(out / "grades.csv")}
    assert sorted(after) == sorted(before)
    assert after["doejane"]["total"] != before["doejane"]["total"]
    assert {k: v for k, v in after.items() if k != "doejane"} == {k: v for k, v in before.items() if k != "doejane"}
    html = (out / "report.html").read_text()
    assert "students: 5" in html
    canvas = (out / "exports" / "canvas.csv").read_text()
    assert f"doejane,11001,,,,{after['doejane']['total']}" in canvas
