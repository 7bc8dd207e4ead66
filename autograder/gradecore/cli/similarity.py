"""Similarity: which pairs of a class's submissions share more code than independent work does.

Evidence for a person to read, never a verdict: a flagged pair is listed with its shared lines
side by side in the report, and nothing here changes a grade.

The steps (1 to 3 in :mod:`gradecore.cli.student_code`, 4 to 6 below):

1. **The student's code.** A ``.py`` file, a notebook's code cells, or the notebook inside an
   exported zip (:func:`student_code`). Cells that are not Python (magics) are skipped.
2. **The handout removed.** Every statement that the built student notebook already holds (its
   set-up, its checks, its untouched stubs, and the statements inside the stubs) is dropped, as
   are docstrings and comments (:class:`Handout`), and statements that do nothing the answer
   needs (``_harmless`` there: what copiers insert). What is left is what the student wrote.
3. **Normalised.** The code is printed back from its syntax tree, with every name the
   submission binds (functions, arguments, variables) made one placeholder and imported modules
   called by their own names: renaming, reformatting and recommenting change nothing.
   Attributes and library calls are kept, as they are the choices that tell solutions apart.
4. **Fingerprinted** by copydetect's winnowing (as MOSS does): hashes of every ``K``-character
   piece of each normalised top-level statement, a minimum kept from each window. A copy's
   fingerprints survive the reordering of its functions and a few inserted lines.
5. **Common code discounted**, as MOSS's ``-m``: a fingerprint that more than
   ``max(COMMON_MIN, COMMON_SHARE * class size)`` submissions hold is what correct answers look
   like, and counts for no pair.
6. **Scored.** A pair's similarity is the share of the smaller submission's remaining
   fingerprints that the other holds too (0 to 1); it is flagged at :data:`FLAG_AT` and above
   when they share at least :data:`MIN_SHARED` fingerprints, and at least
   :data:`MIN_SHARE_OF_CODE` of the smaller one's whole code.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Iterable, Optional

from ..protocol.text import csv_cell, one_line
from .student_code import Handout, normalise, student_code, student_folder_notebook

NOISE_CHARS = 20
"""copydetect's noise threshold ``k``: normalised pieces shorter than this never match alone."""
GUARANTEE_CHARS = 24
"""copydetect's guarantee threshold: a shared piece this long is always found (window = 5)."""
COMMON_MIN = 10
"""A fingerprint held by more submissions than this (and than :data:`COMMON_SHARE` of the class)
is common code, as MOSS's ``-m``."""
COMMON_SHARE = 0.1
"""... and by more than this share of the class."""
FLAG_AT = 0.7
"""The similarity at which a pair is flagged: most of the smaller submission's own code found in
the other. Solutions written apart from the same lecture's formulas reach 0.6 in the bench, and
copies under every disguise of it 0.85 (``bench/similarity/bench.py``); a flag leans towards
sparing the independent."""
MIN_SHARED = 10
"""The fewest fingerprints a flagged pair shares (about a line of normalised code): two tiny
submissions, or two that share one line, are never flagged."""
MIN_SHARE_OF_CODE = 0.05
"""... and at least this share of the smaller submission's whole code, common code included: when
nearly all of two submissions is what everyone writes, their few other lines alike flag nothing."""
FLOOR = 0.3
"""Pairs below this similarity, and not flagged, are left out of ``similarity.csv``."""
CSV_COLUMNS = ("a", "b", "similarity", "flagged")
REPORT_PAIRS = 50
"""The most flagged pairs shown side by side in the report (the CSV lists them all)."""

REPORT_LINES = 400
"""The most lines of one side of a pair shown in the report."""
@dataclass
class Code:
    """One submission's own code: the handout removed, normalised and fingerprinted."""

    submission: str
    """its path as in grades.csv"""
    lines: list[str]
    """its code as the report shows it: the handout, docstrings and comments removed (none when
    read for fingerprints only)"""
    normalised: str
    """the same code with names made one placeholder, line for line"""
    fingerprints: dict[int, list[int]] = field(default_factory=dict)
    """each fingerprint hash, with the offsets in ``normalised`` where it starts"""
    problem: str = ""
    """why no code could be read ('' when it could)"""


@dataclass
class Line:
    """One line of a submission's code as the report shows it."""

    indent: int
    """leading spaces (kept apart: the text is made one line, which would fold them)"""
    text: str
    """the line without its indent, through :func:`one_line`"""
    shared: bool
    """whether it holds code that the other submission of the pair holds too"""


@dataclass
class Pair:
    """Two submissions and what they share."""

    a: str
    """the first submission's path (the smaller in sort order)"""
    b: str
    """the second submission's path"""
    similarity: float
    """the share of the smaller submission's uncommon fingerprints that the other holds, 0..1"""
    shared: int
    """uncommon fingerprints the two hold both"""
    flagged: bool
    """whether a person should read the pair: similarity, shared code and its share all high enough"""
    lines_a: list[Line] = field(default_factory=list)
    """``a``'s code line by line, for a flagged pair"""
    lines_b: list[Line] = field(default_factory=list)
    """``b``'s code line by line, for a flagged pair"""


# --- 4. fingerprinted ------------------------------------------------------------------------------


def fingerprint(normalised: str, k: int = NOISE_CHARS, guarantee: int = GUARANTEE_CHARS) -> dict[int, list[int]]:
    """copydetect's winnowing of normalised code: fingerprint hash -> offsets where it starts.

    Each ``k``-character piece is hashed with CRC-32 rather than Python's ``hash`` (which
    copydetect's own ``get_document_fingerprints`` uses, salted afresh in every process), so that
    the same class gives the same scores on every run.
    """
    import numpy as np
    from copydetect.utils import winnow

    if len(normalised) < k:
        return {}
    pieces = (normalised[i:i + k].encode("utf-8", errors="replace") for i in range(len(normalised) - k + 1))
    hashes = np.fromiter((zlib.crc32(piece) for piece in pieces), dtype=np.int64)
    selected, offsets = winnow(hashes, max(1, guarantee - k + 1), remove_duplicates=False)
    found: dict[int, list[int]] = {}
    for h, offset in zip(selected.tolist(), offsets.tolist()):
        found.setdefault(h, []).append(offset)
    return found


def read_code(path: Path, submission: str, handout: Handout, shown: bool = True) -> Code:
    """One submission's own code, normalised and fingerprinted; a file that cannot be read has none.
    Without ``shown``, the lines the report shows are left out (only flagged pairs need them)."""
    try:
        statements = handout.remove(student_code(path))
        lines, pieces = normalise(statements, shown)
    except OSError:
        return Code(submission, [], "", problem="the file could not be read")
    except zipfile.BadZipFile:
        return Code(submission, [], "", problem="not a zip file that can be opened")
    except RecursionError:
        return Code(submission, [], "", problem="its code is nested too deeply to compare")
    except json.JSONDecodeError:
        return Code(submission, [], "", problem="not a notebook: it is not JSON")
    except UnicodeDecodeError:
        return Code(submission, [], "", problem="not text: neither a notebook nor Python code")
    except ValueError as e:  # this module's own words (not a notebook's shape, too much code)
        return Code(submission, [], "", problem=one_line(e))
    # Each top-level statement is fingerprinted alone: no piece spans two functions, so which
    # functions happen to stand next to each other counts for nothing.
    fingerprints: dict[int, list[int]] = {}
    start = 0
    for piece in pieces:
        for h, offsets in fingerprint(piece).items():
            fingerprints.setdefault(h, []).extend(start + offset for offset in offsets)
        start += len(piece)
    return Code(submission, lines, "".join(pieces), fingerprints)


# --- 5. common code and 6. scores -------------------------------------------------------------------


def common_fingerprints(codes: list[Code], common_min: int = COMMON_MIN, common_share: float = COMMON_SHARE) -> set[int]:
    """The fingerprints that more than ``max(common_min, common_share * class size)`` submissions hold."""
    counts: dict[int, int] = {}
    for code in codes:
        for h in code.fingerprints:
            counts[h] = counts.get(h, 0) + 1
    most = max(common_min, common_share * len(codes))
    return {h for h, n in counts.items() if n > most}


def _marked(code: Code, shared: set[int], k: int) -> list[Line]:
    """``code``'s first :data:`REPORT_LINES` lines, each marked where a shared fingerprint covers part of it."""
    starts = [0]
    for line in code.normalised.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    marked = [False] * len(code.lines)
    for h in shared:
        for offset in code.fingerprints.get(h, ()):
            first = bisect.bisect_right(starts, offset) - 1
            last = bisect.bisect_left(starts, offset + k) - 1
            for i in range(max(first, 0), min(last + 1, len(marked))):
                marked[i] = True
    lines = [Line(len(line) - len(line.lstrip(" ")), one_line(line, 400), mark) if line.strip() else Line(0, "", False)
             for line, mark in zip(code.lines[:REPORT_LINES], marked)]
    if len(code.lines) > REPORT_LINES:
        lines.append(Line(0, f"… {len(code.lines) - REPORT_LINES} more lines", False))
    return lines


def compare(codes: list[Code], flag_at: float = FLAG_AT, min_shared: int = MIN_SHARED, floor: float = FLOOR,
            common: Optional[set[int]] = None, k: int = NOISE_CHARS) -> list[Pair]:
    """Every pair at or above ``floor`` or flagged, most similar first; flagged pairs with their lines marked."""
    if common is None:
        common = common_fingerprints(codes)
    own = {c.submission: set(c.fingerprints) - common for c in codes}
    # an index from fingerprint to its holders: only pairs sharing something are ever scored
    holders: dict[int, list[int]] = {}
    for i, code in enumerate(codes):
        for h in own[code.submission]:
            holders.setdefault(h, []).append(i)
    shared_counts: dict[tuple[int, int], int] = {}
    for found in holders.values():
        for pair in combinations(found, 2):
            shared_counts[pair] = shared_counts.get(pair, 0) + 1
    pairs = []
    for (i, j), shared in shared_counts.items():
        a, b = sorted((codes[i], codes[j]), key=lambda c: c.submission)
        smaller = min(len(own[a.submission]), len(own[b.submission]))
        similarity = shared / smaller if smaller else 0.0
        flagged = (similarity >= flag_at and shared >= min_shared
                   and shared >= MIN_SHARE_OF_CODE * min(len(a.fingerprints), len(b.fingerprints)))
        if similarity < floor and not flagged:
            continue
        pair = Pair(a.submission, b.submission, round(similarity, 3), shared, flagged)
        if flagged and a.lines and b.lines:
            both = own[a.submission] & own[b.submission]
            pair.lines_a, pair.lines_b = _marked(a, both, k), _marked(b, both, k)
        pairs.append(pair)
    return sorted(pairs, key=lambda p: (-p.similarity, p.a, p.b))


# --- the batch's outputs ---------------------------------------------------------------------------


@dataclass
class Similarity:
    """What the batch's similarity check found, for ``similarity.csv`` and the report."""

    pairs: list[Pair]
    """every pair flagged or above the floor, most similar first"""
    submissions: int
    """submissions compared"""
    handout: str
    """the handout removed (a path), or '' when no built student notebook was found"""
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    """(submission, why) for each file whose code could not be read"""
    names: dict[str, str] = field(default_factory=dict)
    """a person's name per submission path, where the gradebook knows one"""

    @property
    def flagged(self) -> list[Pair]:
        return [p for p in self.pairs if p.flagged]

    def name(self, submission: str) -> str:
        """Who handed ``submission`` in, as the report names them: the student, else the path."""
        student = self.names.get(submission)
        return f"{student} ({submission})" if student else submission


def check_class(submissions: list[tuple[Path, str]], handout: Handout, handout_path: str = "",
                names: Optional[dict[str, str]] = None, flag_at: float = FLAG_AT) -> Similarity:
    """Compare every pair of ``submissions`` ((file, path as in grades.csv) each); flag at ``flag_at``."""
    codes = [read_code(path, name, handout, shown=False) for path, name in submissions]
    readable = [c for c in codes if not c.problem]
    common = common_fingerprints(readable)
    pairs = compare(readable, flag_at=flag_at, floor=min(FLOOR, flag_at), common=common)
    # The lines of the flagged pairs' submissions, read again with what the report shows.
    files = {name: path for path, name in submissions}
    shown: dict[str, Code] = {}
    for pair in pairs:
        if pair.flagged:
            a, b = (shown.setdefault(s, read_code(files[s], s, handout)) for s in (pair.a, pair.b))
            both = (set(a.fingerprints) - common) & (set(b.fingerprints) - common)
            pair.lines_a, pair.lines_b = _marked(a, both, NOISE_CHARS), _marked(b, both, NOISE_CHARS)
    return Similarity(
        pairs=pairs,
        submissions=len(submissions),
        handout=handout_path,
        unreadable=[(c.submission, c.problem) for c in codes if c.problem],
        names=dict(names or {}),
    )


def csv_text(found: Similarity) -> str:
    """``similarity.csv``: a, b, similarity, flagged (yes/no), one row per pair, most similar first."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for p in found.pairs:
        writer.writerow([csv_cell(p.a), csv_cell(p.b), f"{p.similarity:.3f}", "yes" if p.flagged else "no"])
    return buf.getvalue()


def student_names(records: Iterable) -> dict[str, str]:
    """The gradebook's student per submission path, where the batch's records name one.

    The one place that knows where a record keeps its student: point it at the gradebook's field.
    """
    names = {}
    for record in records:
        student = getattr(record, "student", "")
        if student:
            names[record.submission] = one_line(student, 120)
    return names


def write_similarity(batch, out: Path, flag_at: float = FLAG_AT) -> Similarity:
    """Compare a batch's submissions and write ``out/similarity.csv``; return what was found.

    Args:
        batch: a graded :class:`gradecore.cli.batch.Batch` (its submissions, zip and records).
        out: the batch's output folder.
        flag_at: the similarity at which a pair is flagged.
    """
    from .records import write_atomic

    notebook = student_folder_notebook(batch.autograder, batch.assignment.name)
    found = check_class([(s.path, s.name) for s in batch.submissions], Handout.from_notebook(notebook),
                        str(notebook or ""), student_names(batch.records.values()), flag_at)
    write_atomic(Path(out) / "similarity.csv", csv_text(found))
    return found
