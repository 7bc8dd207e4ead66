"""The class report: its numbers as text, and plots as PNG files embedded in ``report.html``."""

from __future__ import annotations

import html
import os
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..protocol.text import visible
from .discovery import Skipped
from .records import Assignment, Record, write_atomic
from .students import student_of

PLOTS = {
    "histogram": "score_histogram.png",
    "pass_rates": "pass_rates.png",
    "mistakes": "mistakes.png",
}
"""The PNG files written next to report.html."""
TOP_MISTAKES = 10


@dataclass
class ClassNumbers:
    """What the report says about a class. Scores count graded submissions only."""

    submissions: int
    """rows in the grades table"""
    status_counts: dict[str, int]
    """rows per status: graded, error, timeout"""
    max_total: float
    totals: list[float] = field(default_factory=list)
    """total points of each graded submission"""
    mean: float | None = None
    median: float | None = None
    full_marks: int = 0
    """graded submissions with every point"""
    pass_rates: dict[str, float] = field(default_factory=dict)
    """per question, the share of graded submissions with all its points"""
    passed: dict[str, int] = field(default_factory=dict)
    """per question, graded submissions with all its points"""
    mistakes: list[tuple[str, str, int]] = field(default_factory=list)
    """(question, diagnosed mistake, submissions) most frequent first"""
    distribution: dict[str, list[tuple[float, int]]] = field(default_factory=dict)
    """per question, (points earned, graded submissions that earned them), from 0 to the question's
    points, every value met (and 0 and full points) listed"""
    sections: list[SectionNumbers] = field(default_factory=list)
    """per section, where the source (or a roster) gives sections; empty otherwise"""


@dataclass
class SectionNumbers:
    """The class numbers of one section."""

    section: str
    students: int
    graded: int
    mean: float | None = None
    median: float | None = None
    full_marks: int = 0


def class_numbers(records: list[Record], assignment: Assignment) -> ClassNumbers:
    """Count and average the graded records; per-question pass rates; diagnosed mistakes."""
    graded = [r for r in records if r.status == "graded"]
    statuses = Counter(r.status for r in records)
    numbers = ClassNumbers(
        submissions=len(records),
        status_counts={s: statuses.get(s, 0) for s in ("graded", "error", "timeout")},
        max_total=assignment.max_total,
        totals=[r.total for r in graded],
    )
    if graded:
        numbers.mean = statistics.fmean(numbers.totals)
        numbers.median = statistics.median(numbers.totals)
    numbers.full_marks = sum(1 for r in graded if r.total >= assignment.max_total)
    for q in assignment.questions:
        numbers.passed[q] = sum(1 for r in graded if r.points.get(q, 0) >= assignment.points[q])
        numbers.pass_rates[q] = numbers.passed[q] / len(graded) if graded else 0.0
    counts: Counter = Counter()
    for r in graded:
        for q in assignment.questions:
            found = r.question_facts(q)
            if found is not None and found.mistake is not None:
                counts[(q, found.mistake.title)] += 1
    numbers.mistakes = [(q, m, n) for (q, m), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    for q in assignment.questions:
        earned = Counter(r.points.get(q, 0.0) for r in graded)
        values = sorted(set(earned) | {0.0, assignment.points[q]})
        numbers.distribution[q] = [(v, earned.get(v, 0)) for v in values]
    numbers.sections = section_numbers(records, assignment)
    return numbers


def section_numbers(records: list[Record], assignment: Assignment) -> list[SectionNumbers]:
    """Per section (as the students' source or roster gives it), its counts and scores; [] without sections."""
    by_section: dict[str, list[Record]] = {}
    for r in records:
        by_section.setdefault(student_of(r).section, []).append(r)
    if set(by_section) <= {""}:
        return []
    found = []
    for section in sorted(by_section, key=lambda s: (s == "", s)):
        mine = by_section[section]
        totals = [r.total for r in mine if r.status == "graded"]
        found.append(SectionNumbers(
            section or "(no section)", len(mine), len(totals),
            statistics.fmean(totals) if totals else None, statistics.median(totals) if totals else None,
            sum(1 for t in totals if t >= assignment.max_total)))
    return found


def _save(fig, path: Path) -> None:
    """Save a figure whole or not at all, then free it."""
    import matplotlib.pyplot as plt

    tmp = path.with_name(f".{path.name}.tmp")
    fig.savefig(tmp, dpi=100, format="png")
    plt.close(fig)
    os.replace(tmp, path)


def _plots(numbers: ClassNumbers, assignment: Assignment, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    fig, ax = plt.subplots(figsize=(6, 3.2))
    top = int(numbers.max_total)
    ax.hist(numbers.totals, bins=[x - 0.5 for x in range(top + 2)], color="#4c72b0", edgecolor="white")
    ax.set_xticks(range(top + 1))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(f"total points (of {numbers.max_total:g})")
    ax.set_ylabel("submissions")
    ax.set_title(f"Scores of {len(numbers.totals)} graded submissions")
    fig.tight_layout()
    _save(fig, out / PLOTS["histogram"])

    fig, ax = plt.subplots(figsize=(6, 3.2))
    questions = list(assignment.questions)
    rates = [100 * numbers.pass_rates[q] for q in questions]
    ax.barh(questions[::-1], rates[::-1], color="#55a868")
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of graded submissions with full points")
    ax.set_title("Pass rate per question")
    fig.tight_layout()
    _save(fig, out / PLOTS["pass_rates"])

    top_mistakes = numbers.mistakes[:TOP_MISTAKES]
    labels = [_wrapped(f"{q}: {m}") for q, m, _ in top_mistakes][::-1]
    lines = sum(label.count("\n") + 1 for label in labels)
    fig, ax = plt.subplots(figsize=(10, 1.4 + 0.3 * max(lines, 3)))
    if top_mistakes:
        ax.barh(labels, [n for _, _, n in top_mistakes][::-1], color="#c44e52")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("submissions")
    else:
        ax.text(0.5, 0.5, "no diagnosed mistakes", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
    ax.set_title("Most frequent diagnosed mistakes")
    fig.tight_layout()
    _save(fig, out / PLOTS["mistakes"])


LABEL_WIDTH = 45
"""Characters per line of a plot's label: a long label is wrapped onto more lines, never cut."""


def _wrapped(label: str, width: int = LABEL_WIDTH) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(label, width)) or label


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}".rstrip("0").rstrip(".")


REPORT_CHARS = 1000
"""The longest a value is shown in the report."""

TEMPLATES = Path(__file__).with_name("templates")
"""The report's Jinja2 templates (package data)."""


def _escaped(value) -> Markup:
    """Every value the template shows, one printable line (:func:`gradecore.protocol.text.visible`:
    no control character reaches the page), escaped as :func:`html.escape` does (quotes included)."""
    return value if isinstance(value, Markup) else Markup(html.escape(visible(value, REPORT_CHARS)))


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, finalize=_escaped,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
    )
    env.filters.update(g=lambda x: f"{x:g}", score=_fmt, percent=lambda rate: f"{100 * rate:.0f}%")
    return env


def report_html(numbers: ClassNumbers, assignment: Assignment, records: list[Record],
                skipped: list[Skipped] = (), similarity=None) -> str:
    """The report page; the plots are the PNG files of ``PLOTS`` in the same folder. ``similarity``
    (:class:`gradecore.cli.similarity.Similarity`) adds the section on similar pairs."""
    from .similarity import REPORT_PAIRS

    return _environment().get_template("report.html.j2").render(
        numbers=numbers, status=numbers.status_counts, assignment=assignment, plots=PLOTS,
        not_graded=[(student_of(r).name, r) for r in records if r.status != "graded"],
        skipped=list(skipped), similarity=similarity, report_pairs=REPORT_PAIRS,
    )


def write_report(records: list[Record], assignment: Assignment, out: Path, skipped: list[Skipped] = (),
                 similarity=None) -> Path:
    """Write the plots and ``report.html`` into ``out``; return the HTML's path.

    Args:
        records: one per student (the one that counts).
        assignment: its questions and points.
        out: the output folder.
        skipped: the files not graded (superseded, not submissions), each with its reason.
        similarity: the similarity check's result (:class:`gradecore.cli.similarity.Similarity`), if it ran.
    """
    out = Path(out)
    numbers = class_numbers(records, assignment)
    _plots(numbers, assignment, out)
    path = out / "report.html"
    write_atomic(path, report_html(numbers, assignment, sorted(records, key=lambda r: r.submission), skipped,
                                   similarity))
    return path
