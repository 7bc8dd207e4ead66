"""What a wrong answer shows, found by :mod:`.structure`: an id and a sentence, in the question's letters."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """One structural fact about a wrong answer, true on every failing check that can show it."""

    id: str
    """short identifier, for tests and benchmarks"""
    text: str
    """what it shows, in the student's terms"""

    def message(self) -> str:
        end = "" if self.text.endswith("?") else "."
        return f"What the hidden checks show: {self.text}{end}"
