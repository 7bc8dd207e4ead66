"""``assignment.json``, at the root of every autograder zip: the assignment's questions, in order,
with their points, titles and table headers, and the module that builds the library's arguments
(``builders``, empty where no question takes one). The build writes it from the spec; the plugin and the
batch read it. Its format and its parser are here, side by side."""

from __future__ import annotations

import json
import os
from typing import Any, Optional

ASSIGNMENT_FILE = "assignment.json"
"""At the zip's root."""


def about(spec: Any) -> dict:
    """The file's content for an assignment spec (:class:`gradecore.public.spec.AssignmentSpec`)."""
    return {
        "name": spec.name,
        "questions": [
            {"name": q.name, "points": q.points, "title": q.title, "short": q.short or q.name[:8]}
            for q in spec.questions
        ],
        "builders": spec.kernel_builders,
    }


def parse(text: str | bytes) -> Optional[dict]:
    """The file's content, or None where it is not the file's format."""
    try:
        found = json.loads(text)
    except ValueError:
        return None
    if not isinstance(found, dict) or not isinstance(found.get("questions"), list):
        return None
    return found


def read(root: str) -> Optional[dict]:
    """The file in folder ``root``, or None where it has none."""
    try:
        with open(os.path.join(root, ASSIGNMENT_FILE), "rb") as f:
            return parse(f.read())
    except OSError:
        return None
