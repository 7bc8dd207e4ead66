"""Grade the project's attack submissions in the Gradescope-shaped container, and judge them as
``tests/attacks/test_attacks.py`` does.

Each attack of ``tests/attacks/<assignment>/`` is graded alone, as Gradescope grades it: the
image's unmodified ``run_autograder`` as root, Gradescope's limits (768 MB, 1 CPU) and metadata,
no network. Its container shares the loopback of a listener container that has no network
either, so that the attacks that send what they carry out to 127.0.0.1 reach a listener, as
they do in the test suite. The harness's own verdicts, from its helpers:

- the score of every question equals the attack's ``EXPECT``, and the grading is not a fault of
  the machine;
- an attack whose entry only a batch's class folder can make (a link, ``LINK_TO``; a padded zip,
  ``PACK_IN``) is skipped: Gradescope is handed a file;
- no breach: nothing in the canary folder (made world-writable in the container before it
  starts), no ``ATTACK-BREACH`` in ``results.json``, nothing received by the listener;
- no leak: ``results.json`` and what the listener received hold none of the instructor's secret,
  the build's seed, a sample of its shipped truths or hidden inputs (``hidden_things``), nor, where
  the grading drew fresh cases, the inputs and truths of those its outputs name (``fresh_things``).

What the test suite also checks on the host (leftover processes, site-packages, the batch's
outputs) has no meaning here: the container is thrown away after each grading.
"""

from __future__ import annotations

import io
import json
import secrets
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import grading
from tests.attacks import test_attacks as harness

ATTACKS = harness.HERE
LISTENER = f"""\
import select, socket
tcp = socket.socket()
tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
tcp.bind(("127.0.0.1", {harness.LEAK_PORT}))
tcp.listen(16)
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("127.0.0.1", {harness.LEAK_PORT}))
print("listening", flush=True)
while True:
    for s in select.select([tcp, udp], [], [])[0]:
        if s is udp:
            print("udp:", udp.recv(4096), flush=True)
            continue
        conn, _ = tcp.accept()
        conn.settimeout(1)
        try:
            print("tcp:", conn.recv(4096), flush=True)
        except OSError:
            print("tcp: (connected)", flush=True)
        conn.close()
"""
"""Runs in its own container, whose network namespace (loopback only) the grading shares."""


def has_attacks(assignment: str) -> bool:
    return (ATTACKS / assignment).is_dir()


@dataclass
class Row:
    """One attack graded in the container, and what the harness's checks found."""

    attack: harness.Attack
    outcome: grading.Outcome
    isolation: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return "ok" if not self.problems else "FAIL"


def _canary_tar() -> bytes:
    """The canary folder, empty and world-writable (sticky), as a tar for ``docker cp - ID:/tmp``."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo(harness.CANARY.name)
        info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o1777, int(time.time())
        tar.addfile(info)
    return buffer.getvalue()


def _canary_files(cid: str) -> list[str]:
    """``name: content`` of each file the attack left in the container's canary folder."""
    proc = subprocess.run(["docker", "cp", f"{cid}:{harness.CANARY}", "-"], capture_output=True)
    if proc.returncode != 0:
        return [f"(the canary folder could not be read: {proc.stderr.decode(errors='replace')[:200]})"]
    found = []
    with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as tar:
        for member in tar.getmembers():
            if member.isfile():
                text = tar.extractfile(member).read().decode(errors="replace")
                found.append(f"{Path(member.name).name}: {text[:300]}")
    return found


def _start_listener(image: str) -> str:
    cid = grading.docker("run", "-d", "--network", "none", image, "python3", "-u", "-c", LISTENER).stdout.strip()
    deadline = time.monotonic() + 30
    while "listening" not in grading.docker("logs", cid, check=False).stdout:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the listener container {cid[:12]} did not start listening")
        time.sleep(0.2)
    return cid


def grade_attack(attack: harness.Attack, image: str, hidden: harness.Secrets, timeout: float,
                 zip_path: Path, assignment: str) -> Row:
    """Grade one attack at Gradescope's limits, beside a listener, and judge what it did (``hidden``:
    the build's secrets to look for; where the grading drew fresh cases, those its outputs name too)."""
    canary: list[str] = []

    def plant_canary(cid: str) -> None:
        subprocess.run(["docker", "cp", "-", f"{cid}:/tmp"], input=_canary_tar(), check=True, capture_output=True)

    def read_canary(cid: str) -> None:
        canary.extend(_canary_files(cid))

    listener = _start_listener(image)
    try:
        # the submission as the campaign grades it: a shared attack with its assignment's part
        with tempfile.TemporaryDirectory(prefix="container-check-") as folder:
            submission = Path(folder) / attack.name
            attack.write(submission)
            outcome = grading.in_container(image, submission, grading.GRADESCOPE_METADATA, timeout,
                                           grading.GRADESCOPE_LIMITS, network=f"container:{listener}",
                                           before_start=plant_canary, after_exit=read_canary)
        received = [line for line in grading.docker("logs", listener, check=False).stdout.splitlines()
                    if line != "listening"]
    finally:
        grading.docker("rm", "-f", listener, check=False)

    row = Row(attack, outcome, isolation=grading.isolation_of(outcome))
    got = {q: outcome.scores.get(q, 0.0) for q in attack.expect}
    if outcome.status != attack.status:
        row.problems.append(f"status {outcome.status}, expected {attack.status}")
    elif got != attack.expect:
        row.problems.append("scores " + ", ".join(f"{q} {attack.expect[q]:g} -> {got[q]:g}"
                                                  for q in got if got[q] != attack.expect[q]))
    if grading.fault_of(outcome):
        row.problems.append(f"graded as a fault of the machine: {grading.fault_of(outcome)[:200]}")
    results = json.dumps(outcome.raw, ensure_ascii=False)
    row.problems += [f"canary file {line}" for line in canary]
    row.problems += [f"breach: {m}" for m in sorted(set(harness.BREACH.findall(results)))]
    row.problems += [f"the listener received {line[:200]}" for line in received]
    fresh = harness.fresh_things(zip_path, assignment, [results, *received])
    leaked = hidden.find(results) + fresh.find(results) + [
        f"{f} (sent to the listener)" for f in hidden.find("\n".join(received)) + fresh.find("\n".join(received))]
    row.problems += [f"leak: {', '.join(leaked[:6])}" + (f" and {len(leaked) - 6} more" if len(leaked) > 6 else "")
                     ] if leaked else []
    return row


def check_attacks(assignment: str, zip_path: Path, image: str, timeout: float, verbose: bool = False) -> bool:
    """Grade every attack of the assignment in the Gradescope-shaped container; print one table.

    Args:
        assignment: the assignment, whose attacks are in ``tests/attacks/<assignment>/``.
        zip_path: its autograder zip (the secret seed and truths to look for in the outputs).
        image: its grading image.
        timeout: seconds per grading.
        verbose: print every grading's log tail, not only a failing one's.

    Returns:
        Whether every attack earned exactly its EXPECT and nothing breached or leaked.
    """
    hidden = harness.hidden_things(zip_path, assignment, secrets.token_hex(8), harness.pinned_seed(zip_path))
    rows, skipped = [], []
    print(f"\n== {assignment}: attacks, at Gradescope's limits, each beside a listener")
    for attack in harness.attacks_of(assignment):
        if attack.link_to or attack.pack_in:
            # the batch's class folder makes its entry (a link, a zip with padding): no file to upload
            skipped.append(attack.name)
            print(f"   skip {attack.name}: an entry of the batch's class folder only", flush=True)
            continue
        row = grade_attack(attack, image, hidden, timeout, zip_path, assignment)
        rows.append(row)
        print(f"   {row.verdict:4} {attack.name}: EXPECT {sum(attack.expect.values()):g}, container "
              f"{row.outcome.total:g} ({row.outcome.status}), {row.outcome.seconds:.0f} s, "
              f"peak {grading.mib(row.outcome.peak_rss_mib)} MiB (max usage {grading.mib(row.outcome.max_usage_mib)}), "
              f"processes killed for memory {row.outcome.oom_kills}, isolation {row.isolation or '?'}", flush=True)
        for problem in row.problems:
            print(f"        - {problem}")
        if (row.problems or verbose) and row.outcome.log_tail:
            print("       | " + row.outcome.log_tail[-1200:].replace("\n", "\n       | "))
    failed = [r.attack.name for r in rows if r.problems]
    print(f"   {len(rows)} attacks, {len(rows) - len(failed)} ok" + (f"; FAILED: {', '.join(failed)}" if failed else "")
          + (f"; {len(skipped)} skipped (a batch's class folder only)" if skipped else ""))
    return bool(rows) and not failed
