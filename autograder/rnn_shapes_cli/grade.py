"""Grade many submissions with otter's own machinery, in parallel worker processes."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

QUESTIONS = ("count_params", "weight_shapes", "extract_weights", "manual_forward", "batched_forward", "sequence_forward")
SUFFIXES = (".ipynb", ".py")
SUBMISSION_TIMEOUT_S = 600
"""Wall-clock limit for one submission; each student function also has its own limit."""


@dataclass
class Row:
    """One graded submission: its points per question and how grading went."""

    submission: str
    """its path as found under the given folders"""
    points: dict[str, float] = field(default_factory=dict)
    """points per question"""
    total: float = 0.0
    status: str = "graded"
    """graded, or error / timeout when otter produced no results"""
    reason: str = ""
    """one line saying why a submission scored less than full marks, or why grading failed"""
    messages: dict[str, str] = field(default_factory=dict)
    """per question, the feedback of its checks"""


def find_submissions(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(f for f in p.rglob("*") if f.suffix in SUFFIXES and f.is_file() and ".ipynb_checkpoints" not in f.parts)
        elif p.suffix in SUFFIXES:
            found.append(p)
    return found


def otter_run(submission: Path, autograder: Path, timeout: float = SUBMISSION_TIMEOUT_S) -> Row:
    """Grade one submission with ``otter run`` in its own process."""
    otter = Path(sys.executable).with_name("otter")
    row = Row(str(submission))
    with tempfile.TemporaryDirectory(prefix="rnn-shapes-grade-") as out:
        try:
            proc = subprocess.run(
                [str(otter), "run", "-a", str(autograder), "-o", out, "--no-logo", str(submission.resolve())],
                capture_output=True, text=True, timeout=timeout, cwd=out,
            )
        except subprocess.TimeoutExpired:
            row.status, row.reason = "timeout", f"grading took longer than {timeout:g} s"
            return row
        results = Path(out) / "results.json"
        if not results.exists():
            last = (proc.stderr.strip().splitlines() or ["otter produced no results"])[-1]
            row.status, row.reason = "error", last[:300]
            return row
        data = json.loads(results.read_text())
    for test in data.get("tests", []):
        if test.get("name") in QUESTIONS:
            row.points[test["name"]] = float(test.get("score") or 0)
            row.messages[test["name"]] = test.get("output", "")
        elif test.get("name") == "Autograder Error":
            row.status, row.reason = "error", test.get("output", "").strip().splitlines()[-1][:300]
    row.total = sum(row.points.values())
    if row.status == "graded":
        lost = [q for q in QUESTIONS if q in row.points and _lost(row, q)]
        row.reason = "; ".join(f"{q}: {_first_line(row.messages[q])}" for q in lost)[:500]
    return row


def _lost(row: Row, question: str) -> bool:
    return "All test cases passed" not in row.messages.get(question, "")


def _first_line(output: str) -> str:
    for line in output.splitlines():
        line = line.strip()
        if line.startswith(("❌", "✅")) and ":" in line:
            return line.lstrip("❌ ").strip()
    for line in output.splitlines():
        if "Error" in line or "failed" in line:
            return line.strip()
    return "failed"


def write_csv(rows: list[Row], path: Path) -> None:
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["submission", *QUESTIONS, "total", "status", "reason"])
        for r in rows:
            writer.writerow([r.submission, *(r.points.get(q, 0) for q in QUESTIONS), r.total, r.status, r.reason])


def grade_all(paths: list[str], autograder: Path, out: Path, jobs: int = 2) -> list[Row]:
    subs = find_submissions(paths)
    out.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(otter_run, s, autograder): s for s in subs}
        for fut in as_completed(futures):
            rows.append(fut.result())
            print(f"[{len(rows)}/{len(subs)}] {rows[-1].submission}", file=sys.stderr)
    rows.sort(key=lambda r: r.submission)
    write_csv(rows, out / "grades.csv")
    return rows


def print_table(rows: list[Row]) -> None:
    short = {"count_params": "count", "weight_shapes": "shapes", "extract_weights": "extract",
             "manual_forward": "manual", "batched_forward": "batched", "sequence_forward": "sequence"}
    width = max([len(r.submission) for r in rows] + [10])
    print(f"{'submission':<{width}}  " + "  ".join(f"{short[q]:>8}" for q in QUESTIONS) + "     total  status")
    for r in rows:
        cells = "  ".join(f"{r.points.get(q, 0):>8g}" for q in QUESTIONS)
        print(f"{r.submission:<{width}}  {cells}  {r.total:>8g}  {r.status}")
    os.sys.stdout.flush()
