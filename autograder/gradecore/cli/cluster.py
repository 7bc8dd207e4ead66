"""``rnn-shapes grade --scheduler ADDRESS``: each submission a task on the Dask workers.

The client (this module) finds, resumes, saves and reports exactly as local grading does
(:func:`gradecore.cli.batch.grade_all`); only the grading itself runs elsewhere: the zip goes
to every worker once, in a worker plugin (:class:`gradecore.cli.dask_worker.ZipSetup`), and
each submission as bytes in its task. Dask is imported here only when a run asks for it.

Nothing lost, nothing twice: a worker that dies mid-grading has its tasks graded again on
another worker by the scheduler, and the client saves each submission's first result only. A
task whose workers died ``allowed-failures + 1`` times (the scheduler's setting
``distributed.scheduler.allowed-failures``, 3 by default) is an ``error`` row saying so.
"""

from __future__ import annotations

import signal
import sys
import uuid
from pathlib import Path
from typing import Callable

from .discovery import Submission
from .grading import SUBMISSION_TIMEOUT_S
from .records import Record, file_names, file_sha256

INSTALL_HINT = "pip install -c constraints.txt -e '.[cluster]'"


class ClusterError(Exception):
    """The cluster cannot grade: Dask missing, the scheduler unreachable or lost, a worker's fault."""

    def __init__(self, message: str, started: bool = False):
        super().__init__(message)
        self.started = started
        """whether grading had begun (what finished is saved) or the run stopped before it"""


def connect(address: str):
    """A Dask client of the scheduler at ``address``.

    Raises:
        ClusterError: Dask is not installed, or the scheduler does not answer in time.
    """
    try:
        from distributed import Client
        from distributed.comm.addressing import get_address_host_port, normalize_address
    except ImportError as e:
        raise ClusterError(f"--scheduler needs Dask, which is not installed ({e}): {INSTALL_HINT}") from None
    try:
        get_address_host_port(normalize_address(address))  # before a Client: a half-made one takes 40 s to close
        # It tries for Dask's own distributed.comm.timeouts.connect (30 s; the variable
        # DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=10s sets it).
        return Client(address, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as e:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address} ({type(e).__name__}: {e}). "
            "Is `dask scheduler` running there, and is its port open to this machine?"
        ) from None


def killed_worker_record(submission: Submission, autograder: Path, error: BaseException) -> Record:
    """The row of a submission whose grading took its workers down every time it was tried."""
    tries = getattr(error, "allowed_failures", None)
    tries = f"{tries + 1} times" if isinstance(tries, int) else "too many times"
    last = getattr(getattr(error, "last_worker", None), "address", "?")
    reason = (f"the Dask worker grading it died {tries} (the last {last}); not tried again: grade it alone "
              "to see why")
    return Record(submission.name, status="error", reason=reason, sha256=file_sha256(submission.path),
                  autograder_sha256=file_sha256(autograder))


def grade_on_cluster(
    client,
    todo: list[Submission],
    autograder: Path,
    finished: Callable[[Record], None],
    timeout: float = SUBMISSION_TIMEOUT_S,
    warm: bool = True,
) -> None:
    """Grade ``todo`` on the workers of ``client`` (from :func:`connect`, closed at the end);
    ``finished(record)`` as each result arrives, once per submission.

    Raises:
        ClusterError: a task that failed on a worker (not the submission's fault: the worker
            cannot grade), or the scheduler lost mid-run.
        KeyboardInterrupt: from the caller's signal handler; the tasks are cancelled first.
    """
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    from .dask_worker import ZipSetup, grade_task, plugin_name

    futures = {}
    plugin = None
    try:
        if not client.scheduler_info().get("workers"):
            print(f"rnn-shapes: the scheduler at {client.scheduler.address} has no workers yet; waiting for one",
                  file=sys.stderr)
        run = uuid.uuid4().hex[:8]
        plugin = plugin_name(file_sha256(autograder), run)
        client.register_plugin(ZipSetup(Path(autograder).read_bytes(), warm), name=plugin)
        names = file_names([s.name for s in todo])
        for sub in todo:
            future = client.submit(grade_task, plugin, sub.name, sub.path.name, sub.path.read_bytes(), timeout,
                                   key=f"rnn-shapes-grade-{run}-{names[sub.name]}", pure=False)
            futures[future] = sub
        for future in as_completed(futures, loop=client.loop):
            sub = futures[future]
            if future.status == "finished":
                record = future.result()
            elif future.status == "cancelled":  # by the client itself, once it lost the scheduler
                raise ClusterError(f"lost the Dask scheduler before {sub.name} was graded", started=True)
            else:
                error = future.exception()
                if not isinstance(error, KilledWorker):
                    raise ClusterError(f"grading {sub.name} failed on a worker ({type(error).__name__}: {error}); "
                                       "does every worker have rnn-shapes installed, as this machine has?", started=True)
                record = killed_worker_record(sub, autograder, error)
            finished(record)
    except KeyboardInterrupt:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_IGN)
        client.cancel(list(futures))
        raise
    except (OSError, TimeoutError) as e:
        raise ClusterError(f"lost the Dask scheduler ({type(e).__name__}: {e})", started=True) from None
    finally:
        if plugin is not None:
            try:  # the workers tear the setup down: the unpacked zip, the template
                client.unregister_worker_plugin(plugin)
            except Exception:  # the scheduler may be gone: the run's outcome stands
                pass
        client.close()
