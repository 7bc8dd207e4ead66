"""Runs Otter-Grader's autograding process (rnn_shapes: with two fixes for ``otter grade``)."""

import os
import sys

AUTOGRADER_DIR = "/autograder"

# otter grade's image holds the zip's files/ but not its root, where the plugin's package lies.
sys.path.append(os.path.join(AUTOGRADER_DIR, "source", "files"))

# otter grade's image leaves an empty submission_metadata.json, and otter json.loads it before
# any plugin runs whenever one is configured.
_metadata = os.path.join(AUTOGRADER_DIR, "submission_metadata.json")
if not os.path.exists(_metadata) or not open(_metadata, encoding="utf-8").read().strip():
    with open(_metadata, "w", encoding="utf-8") as f:
        f.write("{}")

try:
    from otter.run.run_autograder import main as run_autograder
except ModuleNotFoundError as e:
    if "'otter'" in str(e):
        raise RuntimeError(
            "The 'otter' module could not be imported. This is usually caused by errors while building the "
            "grading image, so check the image build logs and include them when requesting "
            "support."
        )
    raise e


if __name__ == "__main__":
    run_autograder(AUTOGRADER_DIR)
