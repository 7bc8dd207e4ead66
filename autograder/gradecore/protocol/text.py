"""Untrusted text is data: what a submission's processes made, made safe once, where it enters
the trusted side.

An exception's name or message, a cell's output, a note, a file's name: anything a submission
made or named can reach ``results.json``, the feedback files, ``grades.csv``, the report and the
terminal. Each of them gets it through :func:`one_line`: one line of printable text (no control
or format character, no terminal escape, no line or paragraph separator), its runs of blanks made
one space, cut to a length. A CSV cell also goes through :func:`csv_cell`, which neutralises a
spreadsheet formula as OWASP's "CSV Injection" page describes.

A name that must stay apart from every other (a submission's file name, which names its row) goes
through :func:`visible` instead: one printable line too, where each unprintable character is shown
as its escape (``\\n``, ``\\x1b``), so that a name made to imitate another does not read as it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

LINE_CHARS = 300
"""The longest a line of untrusted text may be, by default."""

ESCAPES = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, erasing
    r"|\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: titles, hyperlinks
    r"|[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|[ -/]*[0-~])"  # the two-character escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # CSI in its one-byte form
)
"""Terminal escape sequences, removed whole (their parameters would otherwise show as text)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""What a spreadsheet may read as the start of a formula (OWASP's list, with the full-width forms
that some spreadsheets fold to the ASCII ones)."""


def _printable(char: str) -> str:
    """``char``, or a space where it is not printable: control (Cc), format (Cf, the bidirectional
    overrides among them), surrogate, private-use and unassigned code points, and line or
    paragraph separators."""
    category = unicodedata.category(char)
    if category[0] == "C" or category in ("Zl", "Zp"):
        return " "
    return char


def one_line(text: Any, limit: int = LINE_CHARS) -> str:
    """``text`` as one line of printable text of at most ``limit`` characters (cut with "…").

    Args:
        text: anything; it is made a string with ``str`` (a string a submission made, usually).
        limit: the longest the result may be, at least 1.

    Returns:
        The text without terminal escapes and unprintable characters, its blanks made single
        spaces, stripped, and cut to ``limit``.
    """
    if not isinstance(text, str):
        try:
            text = str(text)
        except Exception:  # an object whose __str__ raises: its type is all that is shown
            text = f"<{type(text).__name__}>"
    text = ESCAPES.sub("", text)
    text = " ".join("".join(_printable(c) for c in text).split())
    limit = max(1, int(limit))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _escape(char: str) -> str:
    """``char`` as :func:`visible` shows it: itself where printable, else its escape."""
    if char == "\\":
        return "\\\\"
    if char != " " and _printable(char) == " ":
        return char.encode("unicode_escape").decode("ascii")
    return char


def visible(text: Any, limit: int = LINE_CHARS) -> str:
    """``text`` as one line of printable text that no other text becomes: for a name that must
    stay apart from every other (a submission's file name names its row).

    Printable text is kept as it is, blanks and all. Where ``text`` has an unprintable character
    (a control or format character, a terminal escape, a line separator...), each is shown as
    its escape, and a backslash as two (``a\\nb``, ``\\x1b[31m``, ``\\u202e``): different names
    with unprintable characters stay apart, and none reads as the printable name it imitates
    (a printable name that spells an escape, ``a\\nb`` itself, is the one case a caller that
    needs names apart must still tell: :func:`gradecore.cli.discovery.find_submissions` does). Past ``limit`` characters, the text is cut and ends with "…" and a short digest of
    the whole, which keeps names that differ only past the cut apart.

    Args:
        text: anything; it is made a string with ``str``.
        limit: the longest the result may be, at least 12.

    Returns:
        ``text`` itself where it is printable and short enough; else its escaped, capped form.
    """
    if not isinstance(text, str):
        text = one_line(text, 10**9)
    if any(c != " " and _printable(c) == " " for c in text):
        text = "".join(_escape(c) for c in text)
    limit = max(12, int(limit))
    if len(text) <= limit:
        return text
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{text[: limit - 10]}…{digest}"


def csv_cell(value: Any, limit: int = LINE_CHARS) -> Any:
    """A value for a cell of a CSV file that a spreadsheet may open.

    Numbers and None are kept as they are. Text that is one printable line within ``limit`` is
    kept, its blanks too (a name made by :func:`visible` stays as it reads); other text is made
    :func:`one_line`. Text that a spreadsheet could read as a formula then gets a leading ``'``
    (OWASP, "CSV Injection"); the csv module quotes what needs quoting.
    """
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = value if isinstance(value, str) else one_line(value, limit)
    if len(text) > limit or any(_printable(c) != c for c in text):
        text = one_line(text, limit)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
