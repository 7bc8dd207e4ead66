"""The sealed run's statement timer and imports: an import may outrun its statement's limit, for the
grace the settings give (``IMPORT_GRACE_S``), never without end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

RUN = """
import json, sys, time
from gradecore.sandbox import sealed
started = time.monotonic()
namespace = sealed.run_code([sys.argv[1], "def after():\\n    return 1\\n"], 1.0)
print(json.dumps({"seconds": time.monotonic() - started, "spins": "spins" in namespace, "after": "after" in namespace}))
"""


def test_an_endless_loop_in_an_imported_module_ends_after_the_grace_and_the_next_cell_runs(tmp_path):
    (tmp_path / "spins.py").write_text("while True:\n    pass\n")
    cell = f"import sys\nsys.path.insert(0, {str(tmp_path)!r})\nimport spins\n"
    env = dict(os.environ, GRADECORE_IMPORT_GRACE_S="2", PYTHONPATH=str(ROOT / "autograder"))
    out = subprocess.run([sys.executable, "-c", RUN, cell], env=env, capture_output=True, text=True, timeout=60)
    found = json.loads(out.stdout)
    # one second of the statement's limit, two of grace: well under the minute the test allows
    assert 2.5 < found["seconds"] < 30, found
    assert not found["spins"] and found["after"], found
