"""Otter plugin: start the judge before the notebook runs and take its verdicts as final.

Otter runs hidden tests inside the student's kernel, where the student's code could rewrite the
test machinery itself. This plugin runs in otter's own process instead. Before execution it
starts the judge (so its Keras work overlaps the notebook's), pins the kernel to this Python,
and guards the kernel against ``os._exit``. After grading it replaces the outcome of every
hidden test with the verdict the judge recorded, and fails the hidden test of any function the
judge never saw.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile

import nbformat
from otter.plugins import AbstractOtterPlugin
from otter.test_files.abstract_test import TestCaseResult

from .questions import QUESTIONS

GUARD_CELL = """\
import rnn_shapes_grader.kernel as _rnn_shapes_kernel
_rnn_shapes_kernel.arm()
del _rnn_shapes_kernel
"""

KERNEL_NAME = "python3"


class JudgePlugin(AbstractOtterPlugin):
    """Runs the rnn_shapes judge beside otter and makes its verdicts authoritative."""

    judge: subprocess.Popen | None = None
    workdir: str | None = None

    def before_execution(self, submission):
        self.workdir = tempfile.mkdtemp(prefix="rnn-shapes-")
        socket_path = os.path.join(self.workdir, "judge.sock")
        package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env = dict(os.environ, PYTHONPATH=package_root)
        self.judge = subprocess.Popen(
            [sys.executable, "-m", "rnn_shapes_grader.judge", "--listen", socket_path],
            env=env, cwd=package_root, stdin=subprocess.DEVNULL,
        )
        os.environ["RNN_SHAPES_JUDGE"] = socket_path
        self._pin_kernel(submission)
        submission.cells.insert(0, nbformat.v4.new_code_cell(GUARD_CELL))
        return submission

    def _pin_kernel(self, notebook) -> None:
        """Run the notebook in this Python, whatever kernel it was saved with.

        A notebook saved with another kernel name fails to start, and a user-level ``python3``
        kernelspec elsewhere would win over this environment's; ``JUPYTER_PATH`` comes first.
        """
        spec_dir = os.path.join(self.workdir, "jupyter", "kernels", KERNEL_NAME)
        os.makedirs(spec_dir)
        with open(os.path.join(spec_dir, "kernel.json"), "w") as f:
            json.dump(
                {
                    "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    "display_name": "Python 3 (rnn-shapes grading)",
                    "language": "python",
                },
                f,
            )
        previous = os.environ.get("JUPYTER_PATH")
        jupyter_dir = os.path.join(self.workdir, "jupyter")
        os.environ["JUPYTER_PATH"] = jupyter_dir + (os.pathsep + previous if previous else "")
        notebook.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Python 3", "language": "python"}

    def _verdicts(self) -> dict:
        import socket

        from . import wire

        path = os.environ.get("RNN_SHAPES_JUDGE", "")
        if not os.path.exists(path):
            return {}
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.connect(path)
            with sock.makefile("rb") as rfile, sock.makefile("wb") as wfile:
                wire.send(wfile, {"op": "verdicts"})
                return wire.recv(rfile)

    def after_grading(self, results):
        try:
            verdicts = self._verdicts()
        finally:
            self._stop()
        from otter.nbmeta_config import NBMetadataConfig
        from otter.test_files import create_test_file

        for question in QUESTIONS:
            test_file = results.results.get(question)
            if test_file is None:
                path = os.path.join("tests", f"{question}.py")
                if not os.path.exists(path):
                    continue
                test_file = create_test_file(path, NBMetadataConfig())
                test_file.test_case_results = [
                    TestCaseResult(tc, "not run: the notebook stopped before this check", False)
                    for tc in test_file.test_cases
                ]
                results.results[question] = test_file
            verdict = verdicts.get(question)
            for i, result in enumerate(test_file.test_case_results):
                if not result.test_case.hidden:
                    continue
                if verdict is None:
                    message = (
                        f"❌ {question}: the hidden checks did not run. The submission stopped the "
                        "kernel, or changed the grader, before they could."
                    )
                    test_file.test_case_results[i] = TestCaseResult(result.test_case, message, False)
                else:
                    mark = "✅" if verdict["passed"] else "❌"
                    test_file.test_case_results[i] = TestCaseResult(
                        result.test_case, f"{mark} {verdict['message']}", bool(verdict["passed"])
                    )

    def _stop(self) -> None:
        if self.judge is not None:
            self.judge.kill()
            self.judge.wait()
            self.judge = None
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None
        os.environ.pop("RNN_SHAPES_JUDGE", None)

    def generate_report(self):
        return ""
