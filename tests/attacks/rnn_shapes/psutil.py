"""Be imported by the warm template, as root: a submission named after a module it imports.

Where the submission imports TensorFlow, the plugin starts the grading's own template
(``python -m gradecore.host.forkserver --kernels``), which imports the grader's helpers (``psutil``, through
``gradecore.procs``), then ipykernel, NumPy and TensorFlow. ``python -m`` puts its working folder
first on ``sys.path``, and the template inherited otter's: the submission's folder, which holds the
submission under the name the student gave it. Named ``psutil.py``, this file is then imported by
the template, a trusted process, as the grader's user and unconfined, before any sandbox exists:
it could read the zip's truths and seed, or change what the template forks (the kernel, the
library's sealed run). It only leaves a file in the canary folder (which a confined process cannot
write), then hands the template the real ``psutil``.

As a submission it implements nothing: it earns nothing.
"""

EXPECT = {"count_params": 0, "weight_shapes": 0, "extract_weights": 0, "manual_forward": 0,
          "batched_forward": 0, "sequence_forward": 0}

NAME = "psutil_in_the_template"

import os
import sys

CANARY = "/tmp/rnn-shapes-attack-canary"
"""The harness makes this folder world-writable and checks that it stays empty: only a step that
the sandbox should refuse can leave a file in it."""

if __name__ == "psutil":  # imported as a module: by the template, or a process it forked
    try:
        with open(f"{CANARY}/{NAME}-{os.getpid()}.txt", "a") as f:
            f.write(f"imported by {sys.argv[:2]} as uid {os.getuid()}, unconfined\n")
    except OSError:
        pass  # a confined process (the kernel, whose folder this is too): refused, as it should be
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    del sys.modules["psutil"]
    import psutil as _real  # noqa: E402

    sys.modules["psutil"] = _real  # what the importer gets: the real one
else:
    import tensorflow as tf  # noqa: F401  (so that the grading starts its template)
