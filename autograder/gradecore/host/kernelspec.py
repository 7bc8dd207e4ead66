"""The kernelspec's start script: the student's kernel, its TensorFlow chatter kept off the terminal.

Run as ``python .../gradecore/host/kernelspec.py -f CONNECTION_FILE`` (the plugin's kernelspec): a small
child process filters the kernel's standard error line by line (:mod:`gradecore.host.stderr_filter`),
and the kernel itself is ``ipykernel_launcher`` under this very process id, as jupyter_client
expects. The kernel inherits otter's standard error, so every graded notebook that imports
TensorFlow once printed its start-up notices on the instructor's terminal.
In a batch whose kernels are forked from a warm template (:mod:`gradecore.host.forkserver`), this process
asks the template for the kernel and stands in for it instead.

A script, imported by nothing: what it needs of the core it imports once it has put the core on its path.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    # run as a script: the core is the folder this file is in, not one on the caller's path
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    from gradecore.host.stderr_filter import filter_lines

    read, write = os.pipe()
    stderr_filter = os.fork()
    if stderr_filter == 0:
        os.close(write)
        try:
            filter_lines(read)
        finally:
            os._exit(0)
    os.close(read)
    os.dup2(write, 2)
    os.close(write)
    from gradecore.protocol.settings import link

    policy = os.environ.pop(link("KERNEL_POLICY"), None)
    if policy:  # the plugin's grading: the kernel runs confined (gradecore.host.launcher)
        from gradecore.host import launcher

        launcher.run(policy, sys.argv[1:], keep=(stderr_filter,))
    if os.environ.get(link("WARM_KERNELS")):  # a batch's template forks the kernel (gradecore.host.forkserver)
        from gradecore.host import forkserver_client

        forkserver_client.launch(sys.argv[1:])  # returns only if no template answers
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *sys.argv[1:]])


if __name__ == "__main__":
    main()
