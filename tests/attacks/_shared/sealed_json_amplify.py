"""Grow otter's own process, and the judge's, with the sealed run's answers made of empty containers.

The sealed run's top level rebinds ``json.dumps``, a module of the standard library's, which the
sealed run does not restore (it restores only the grader's own modules); each question's outcomes
message then carries a heap of empty lists (``[[], [], ...]``). The plugin's reader decodes a
message in otter's process, keeps each question's outcomes until the judge decides them, and hands
them on to the judge, which decodes them again: about 24 bytes of Python objects for each byte
sent, and a message may weigh 256 MiB. Until 2026-12-08, 12 MB a question grew ``otter run`` from
147 to 785 MiB (attack7, held out). This one sends 1.1 million empty lists a question (4.4 MB, 2.2
million JSON values): the grader must refuse the message unread (``wire.MAX_JSON_VALUES``), and
grade the submission as it honestly is.
"""

import json  # noqa: E402
import os  # noqa: E402

SEALED = os.path.basename(os.environ.get("HOME", "").rstrip("/")).startswith(("sealed", "library"))
"""True in the grader's sealed runs (which run every top-level statement too), else the kernel."""

if SEALED:
    _dumps = json.dumps

    def dumps(obj, *args, **kwargs):
        if isinstance(obj, dict) and "outcomes" in obj and "question" in obj:
            head = _dumps({"question": obj["question"], "outcomes": obj["outcomes"]})[:-1]
            return head + ', "pad": [' + "[], " * 1_099_999 + "[]]}"
        return _dumps(obj, *args, **kwargs)

    json.dumps = dumps
