"""A pytest plugin that writes each test's wall-clock and CPU time as the test ends, for finding
where the suite's time goes on a machine shared with others (where wall-clock times swell with the
load, and CPU times much less).

Run: ``.venv/bin/python -m pytest -p tests.cpu_times --cpu-times=/tmp/cpu.tsv``, then
``sort -t$'\\t' -k2 -rn /tmp/cpu.tsv | head -30``. Each line: wall seconds, CPU seconds, the load
average then, the test's id, its outcome (``passed``, ``failed``, ``skipped``; ``error`` where its
setup or teardown failed). A run stopped before its end (pytest-xdist names its failures only at
the end) still says which tests failed: ``grep -P '\\t(failed|error)$' /tmp/cpu.tsv``. The CPU
time is this process's and that of every process it started and that was waited for once it
ended (``otter run``, the batch, their kernels, judges and truth workers): setup, call and
teardown together, so a session fixture's cost falls to the first test that asks for it. Per
module: ``awk -F'\\t' '{split($4, m, "::"); s[m[1]] += $2} END {for (k in s) print s[k], k}'
/tmp/cpu.tsv | sort -rn``.
"""

from __future__ import annotations

import os
import time

import pytest


def pytest_addoption(parser):
    parser.addoption("--cpu-times", metavar="PATH", help="append each test's wall and CPU seconds to PATH")


_REPORTS = pytest.StashKey[list]()
"""Each phase's report of the running test (setup, call, teardown)."""


def _cpu() -> float:
    spent = os.times()
    return spent.user + spent.system + spent.children_user + spent.children_system


def _outcome(reports) -> str:
    for report in reports:
        if report.failed:
            return "failed" if report.when == "call" else "error"
    return "skipped" if any(report.skipped for report in reports) else "passed"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    path = item.config.getoption("--cpu-times")
    wall, cpu = time.monotonic(), _cpu()
    item.stash[_REPORTS] = []
    yield
    if path:
        with open(path, "a") as f:
            f.write(f"{time.monotonic() - wall:.1f}\t{_cpu() - cpu:.1f}\t{os.getloadavg()[0]:.1f}\t{item.nodeid}"
                    f"\t{_outcome(item.stash[_REPORTS])}\n")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    item.stash.setdefault(_REPORTS, []).append(outcome.get_result())
