"""Attack submissions against the grader: each earns exactly what it honestly earns, and no more.

Each file in ``tests/attacks/<assignment>/`` is a submission an attacker who has read this
repository would hand in. It starts with a docstring saying what it tries, and a line
``EXPECT = {question: points}``: the points its own functions honestly earn (an optional
``EXPECT_STATUS = "error"`` expects a row that is not graded; ``EXPECT_PROBLEM = "text"``, a line of
feedback its failing questions must hold, where the grader must notice what it did). An attack that gets more than its
EXPECT, or a status other than the one expected, found a hole in the defence. Its entry in the
class folder is a copy of the file, named ``SUBMIT_AS`` where it says so (a name a student chose);
with ``LINK_TO = "target"`` it is a symbolic link to that target instead (``{solution}`` is the
reference solution's absolute path, outside the folder), and with ``LINK_IN = "tar"`` that link
comes out of a tar archive the harness unpacks into the folder with ``tar -x``, as an instructor
unpacks a student's archive. With ``PACK_IN = "zip"`` the entry is ``<stem>.zip``, a zip such as the
notebook's submit cell makes (the attack as a one-cell notebook) with ``PAD_MB`` MiB of zeros beside it.

An attack that every assignment gets alike is written once, in ``tests/attacks/_shared/``, without
its assignment's part: every campaign grades it, with ``ASSIGNMENT``, ``QUESTIONS``, an ``EXPECT`` of 0
for each question and a stub of each question's function put in after its docstring
(:func:`shared_attack_text`). A shared attack earns nothing of its own, and its name is no
assignment's attack's name.

For each assignment, one *campaign* (a module fixture) grades every attack and two honest
neighbours (the reference solution, and a copy whose functions are all stubs) in ONE batch of
``rnn-shapes grade --jobs 2`` (warm kernels, the default), then grades the neighbours alone in a second batch,
and four to six attacks with the raw ``otter run``, two at a time. Everything it observes is kept, and the tests below
judge it:

- no attack reports a breach: attacks write into a world-writable canary folder
  (:data:`CANARY`), raise ``ATTACK-BREACH ...`` at top level, or send to a listener on
  127.0.0.1:47813, only when a step the sandbox must refuse worked;
- every row is what its EXPECT says, the neighbours' are full marks and 0, every row is graded
  with the isolation this machine offers;
- every output is printable text: no control character in ``grades.csv``, the feedback files, the
  records, ``otter run``'s ``results.json`` or the batch's terminal output (line ends aside), no
  line a submission forged (``Machine fault:`` where the grading had no fault), no cell of the
  grades table a spreadsheet would read as a formula, one line per row;
- nothing hidden appears in any output (``grades.csv``, ``feedback/*.txt``, ``results/*.json``,
  ``otter run``'s ``results.json``): not the instructor's secret (nor the seed the batch pins, nor
  the build's seed drawn from the secret), not a sample of the shipped
  truths (floats to six decimals, in digits or spelled as letters as the leak attacks spell them
  where the grader blanks out numbers; every integer of 1000 or more), not a sample of the hidden
  input arrays of the questions (the same forms), not the inputs and truths of the fresh cases of
  the gradings whose ids the outputs name (:func:`fresh_things`: each grading draws its own), not
  the secret line hidden in the neighbours;
- nothing of a sandbox outlives its grading: no process of a sandbox's users (one per untrusted
  process, :func:`gradecore.sandbox.confine.sandbox_uids` of the pid of each ``otter run`` of the campaign, or any sandbox user whose command line names the campaign's
  temporary folder: another session's gradings on the same machine are not the campaign's to
  judge), no output changed after the batch returned or differing from the batch's records, no
  file left in the batch's temporary folder, no file named after the attacks anywhere the attacks
  aim at;
- the environment is untouched: site-packages (file list and mtimes), the build, and the batch's
  unpacked zip while the batch ran;
- the neighbours graded alone get the same rows and feedback as among the attacks;
- ``otter run`` gives the attacks of :data:`RAW_SUBSET` the scores the batch gave them.

The batch runs with ``TMPDIR`` set to a folder of the campaign's own, so that its temporary
folders (and any leftovers) are the campaign's and no one else's. Attacks only ever write real
data into folders the harness marked with :data:`TARGET_MARKER`, into the canary folder, or into
files named after the attacks (which the harness removes); the fork bomb is bounded at 300
processes and the disk filling at 300 MB.

The campaign's tests are marked slow (about four minutes an assignment on two cores); one fast
test checks that every attack file declares what it tries and what it honestly earns.

Run: ``.venv/bin/python -m pytest tests/attacks -q -x -p no:cacheprovider`` (add ``-k rnn_bptt``,
``-k gated_rnn_shapes`` or ``-k 'rnn_shapes and not gated'`` for one assignment;
``ATTACKS_ONLY=a.py,b.ipynb`` grades only those attacks, while developing one). Each failure message ends with the campaign's
table of every attack: ``HOLE`` marks a row that differs from its EXPECT.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tarfile
import threading
import time
import unicodedata
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import nbformat
import numpy as np
import pytest

from tests.support import ROOT, AssignmentUnderTest, otter_run, read_table

HERE = Path(__file__).resolve().parent
ASSIGNMENTS = tuple(sorted(p.name for p in HERE.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))))
"""Every assignment with a folder of attacks here (``tests/attacks/<assignment>/``)."""
SHARED = HERE / "_shared"
"""The attacks written once for every assignment's campaign (:func:`shared_attack_text`)."""
CANARY = Path("/tmp/rnn-shapes-attack-canary")
"""World-writable: a file appears in it only where a step the sandbox must refuse worked."""
BATCH_FOLDER = "rnn-shapes-attack-batch"
"""The batch's input folder: attacks that hunt for their neighbours look for this name."""
TARGET_MARKER = "RNN_SHAPES_ATTACK_TARGET"
"""Marks an output folder of the campaign as fair game for an attack's real writes."""
LEAK_PORT = 47813
"""Where the network attacks send what they carry out (127.0.0.1, TCP and UDP)."""
ATTACK_NAMES = re.compile(r"rnn[-_]shapes[-_]attack")
"""Every file an attack tries to create outside its own folders is named so."""
BREACH = re.compile(r"ATTACK[-_]BREACH[^\n\"]{0,300}")
NEIGHBOURS = {"reference": "neighbour_reference.py", "stub": "neighbour_stub.py"}
RAW_SUBSET = {
    # psutil.py: a plain grading (Gradescope's) starts a template of its own; a batch has one
    "rnn_shapes": ("forge_kernel_answers.py", "forge_results_pickle.py", "tf_thread.py", "detached_rewriter.py",
                   "psutil.py", "exception_name_forges_lines.py"),
    "gated_rnn_shapes": ("sealed_forge_frames.py", "daemon_rewrite_grades.py", "leak_dict_keys.py",
                         "tf_server_subprocess.py"),
    "rnn_bptt": ("gradient_tape_direct.py", "lying_answers.py", "mutate_inputs.py", "detached_rewriter.py"),
}
"""Attacks also graded with the raw ``otter run``: the same scores as in the batch."""
LEFTOVER_GRACE_S = 10
LATE_WRITE_WAIT_S = 5
BATCH_TIMEOUT_S = 3600


# --- the attacks --------------------------------------------------------------------------------


@dataclass
class Attack:
    path: Path
    expect: dict[str, float]
    status: str = "graded"
    doc: str = ""
    submit_as: str = ""
    """the entry's name in the class folder, where it is not the file's"""
    link_to: str = ""
    """the entry is a symbolic link to this target (``{solution}``: the reference solution)"""
    link_in: str = ""
    """``tar``: the link comes out of a tar archive unpacked into the folder"""
    problem: str = ""
    """text that the feedback of its failing questions must hold (the grader noticed what it did)"""
    pack_in: str = ""
    """``zip``: the entry is a zip of the attack as a notebook, with ``pad_mb`` MiB of zeros beside it"""
    pad_mb: int = 0
    text: str = ""
    """the submission's source where it is not the file's: a shared attack with its assignment's part"""

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def entry(self) -> str:
        """Its name in the class folder."""
        if self.pack_in == "zip":
            return f"{self.path.stem}.zip"
        return self.submit_as or self.name

    @property
    def source(self) -> str:
        """The submission's source: the attack's file, or a shared attack with its assignment's part."""
        return self.text or self.path.read_text(encoding="utf-8")

    def write(self, target: Path) -> None:
        """The submission as a file at ``target``."""
        target.write_text(self.source, encoding="utf-8")

    def place(self, folder: Path, solution: Path) -> None:
        """Put the attack's entry into the class folder: a copy, or a link (unpacked from a tar)."""
        if self.pack_in == "zip":
            notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(self.source)])
            with zipfile.ZipFile(folder / self.entry, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
                zf.writestr(f"{self.path.stem}.ipynb", nbformat.writes(notebook))
                with zf.open("pad.bin", "w", force_zip64=True) as pad:
                    for _ in range(self.pad_mb):
                        pad.write(bytes(2**20))
            return
        if not self.link_to:
            self.write(folder / self.entry)
            return
        target = self.link_to.format(solution=solution)
        if self.link_in != "tar":
            (folder / self.entry).symlink_to(target)
            return
        archive = folder.parent / f"{self.path.stem}.tar"
        with tarfile.open(archive, "w") as tar:
            member = tarfile.TarInfo(self.entry)
            member.type, member.linkname = tarfile.SYMTYPE, target
            tar.addfile(member)
        subprocess.run(["tar", "-xf", str(archive), "-C", str(folder)], check=True)
        archive.unlink()


def _first_code(path: Path) -> str:
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return next(c.source for c in nb.cells if c.cell_type == "code")
    return path.read_text()


def load_attack(path: Path, text: str = "") -> Attack:
    """An attack file's EXPECT (and EXPECT_STATUS) from its source (``text`` where it is not the
    file's), without running it."""
    tree = ast.parse(text or _first_code(path))
    doc = ast.get_docstring(tree) or ""
    found: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id in ("EXPECT", "EXPECT_STATUS", "EXPECT_PROBLEM", "SUBMIT_AS", "LINK_TO", "LINK_IN",
                                      "PACK_IN", "PAD_MB"):
                found[node.targets[0].id] = ast.literal_eval(node.value)
    assert doc, f"{path.name} starts with no docstring saying what it tries"
    assert "EXPECT" in found, f"{path.name} has no EXPECT line"
    return Attack(path, {q: float(v) for q, v in found["EXPECT"].items()}, found.get("EXPECT_STATUS", "graded"), doc,
                  found.get("SUBMIT_AS", ""), found.get("LINK_TO", ""), found.get("LINK_IN", ""),
                  found.get("EXPECT_PROBLEM", ""), found.get("PACK_IN", ""), int(found.get("PAD_MB", 0)), text)


def shared_attack_text(path: Path, kit: AssignmentUnderTest) -> str:
    """A shared attack as ``kit``'s campaign grades it: after its docstring, ``ASSIGNMENT``,
    ``QUESTIONS``, an ``EXPECT`` of 0 for each question and a stub of each question's function (with
    the reference solution's parameters), before its own code."""
    text = path.read_text()
    first = ast.parse(text).body[0]
    assert isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant), f"{path.name} has no docstring"
    lines = text.splitlines(keepends=True)
    stubs = "\n\n".join(kit.function(q, "raise NotImplementedError") for q in kit.questions)
    part = (f"\nASSIGNMENT = {kit.name!r}\nQUESTIONS = {kit.questions!r}\n"
            f"EXPECT = {dict.fromkeys(kit.questions, 0)!r}\n\n\n{stubs}")
    return "".join(lines[:first.end_lineno]) + part + "".join(lines[first.end_lineno:])


def attacks_of(name: str) -> list[Attack]:
    """The assignment's attacks; ``ATTACKS_ONLY=a.py,b.ipynb`` keeps those only (while developing)."""
    only = {n.strip() for n in os.environ.get("ATTACKS_ONLY", "").split(",") if n.strip()}
    paths = [p for p in sorted((HERE / name).iterdir()) if p.suffix in (".py", ".ipynb")]
    shared = sorted(SHARED.glob("*.py"))
    assert not {p.name for p in paths} & {p.name for p in shared}, f"{name} has an attack of a shared attack's name"
    kit = AssignmentUnderTest(name) if shared else None
    attacks = [load_attack(p) for p in paths] + [load_attack(p, shared_attack_text(p, kit)) for p in shared]
    return sorted((a for a in attacks if not only or a.name in only), key=lambda a: a.name)


def neighbour_texts(kit: AssignmentUnderTest, token: str) -> dict[str, str]:
    """The honest neighbours: the reference solution, and the same with every function a stub.
    Each hides a secret line that no other submission's output may ever hold."""
    secret = f"# NEIGHBOUR-SECRET-{token}: no other submission may read this line\n"
    sources = kit.reference_sources()
    stubs = "\n\n\n".join(f"{src.splitlines()[0]}\n    raise NotImplementedError" for src in sources.values())
    return {
        NEIGHBOURS["reference"]: kit.solution.read_text() + "\n" + secret,
        NEIGHBOURS["stub"]: f"import numpy as np\n\n\n{stubs}\n\n{secret}",
    }


# --- what the campaign watches ------------------------------------------------------------------


def _stat_fields(pid: int) -> Optional[list[str]]:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _uid(pid: int) -> Optional[int]:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("Uid:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def _pids() -> list[int]:
    return [int(e) for e in os.listdir("/proc") if e.isdigit()]


def sandbox_processes(uids: set[int], tmpdir: Path) -> list[str]:
    """Live processes of the campaign's sandboxes: a sandbox user of one of its graders, or any
    sandbox user whose command line names the campaign's temporary folder."""
    from gradecore.sandbox.confine import SANDBOX_UID_BASE

    found = []
    for pid in _pids():
        uid = _uid(pid)
        fields = _stat_fields(pid)
        if uid is None or uid < SANDBOX_UID_BASE or not fields or fields[0] == "Z":
            continue
        cmdline = _cmdline(pid)
        if uid in uids or str(tmpdir) in cmdline:
            found.append(f"pid {pid} uid {uid}: {cmdline[:200]}")
    return found


def _tree_signature(folder: Path, content: bool = False) -> dict[str, tuple]:
    """Each file under ``folder`` (caches left out) with its size and mtime (and digest)."""
    signature = {}
    for here, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in files:
            if name.endswith(".pyc"):
                continue
            path = Path(here, name)
            try:
                info = path.lstat()
                entry = (info.st_size, info.st_mtime_ns)
                if content and path.is_file():
                    entry += (hashlib.sha256(path.read_bytes()).hexdigest(),)
            except OSError:  # gone meanwhile (the batch removes its unpacked zip as it ends)
                continue
            signature[str(path.relative_to(folder))] = entry
    return signature


def _digest(signature: dict) -> str:
    return hashlib.sha256(json.dumps(sorted(signature.items())).encode()).hexdigest()


def site_packages_signature() -> dict[str, str]:
    from gradecore.sandbox.confine import package_dirs

    return {folder: _digest(_tree_signature(Path(folder))) for folder in sorted(package_dirs())}


def watched_folders() -> list[Path]:
    """Where the attacks try to create files named after themselves (outside their own folders)."""
    import numpy

    from gradecore.sandbox.confine import package_dirs

    folders = [Path("/tmp"), Path("/var/tmp"), Path("/dev/shm"), Path("/root"), Path("/"), Path.home(), ROOT,
               Path(numpy.__file__).parent, *map(Path, package_dirs())]
    return [f for f in dict.fromkeys(folders) if f.is_dir()]


def attack_named_files() -> list[Path]:
    found = []
    for folder in watched_folders():
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        found += [e for e in entries if ATTACK_NAMES.search(e.name) and e != CANARY]
    return sorted(set(found))


def remove(paths: list[Path]) -> None:
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


class Watcher(threading.Thread):
    """Polls, while the campaign grades: the ``otter run`` processes below ``root`` (their
    sandboxes' users follow from their pids, :func:`gradecore.sandbox.confine.sandbox_uids`) and the batch's unpacked zip (any change to it)."""

    def __init__(self, root: int, tmpdir: Path, zip_path: Path):
        super().__init__(daemon=True)
        self.root, self.tmpdir = root, tmpdir
        self.graders: set[int] = set()
        with zipfile.ZipFile(zip_path) as zf:
            self.shipped = {i.filename: hashlib.sha256(zf.read(i)).hexdigest() for i in zf.infolist() if not i.is_dir()}
        """each file of the zip, with the digest of its contents"""
        self.complete: dict[str, set[str]] = {}
        """the files of each unpacked folder seen whole (as the zip holds them) at least once"""
        self.zip_changes: list[str] = []
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.wait(0.25):
            self.poll()

    def poll(self) -> None:
        for pid in _pids():
            fields = _stat_fields(pid)
            if not fields or len(fields) < 2:
                continue
            parent = int(fields[1])
            if parent in (self.root, *self.graders) or pid in self.graders:
                cmdline = _cmdline(pid)
                if "otter" in cmdline and " run " in f" {cmdline} ":
                    self.graders.add(pid)
        if not self.graders:
            return  # the zip is unpacked before the first grading starts: compare from then on
        for folder in self.tmpdir.glob("gradecore-zip-*"):
            # Each file against the zip itself, not against an earlier poll: a batch may still be
            # unpacking it (the second batch, beside the first one's gradings, on a loaded machine),
            # so a file counts from the first time it is whole. Removed is no change (the batch
            # removes the folder as it ends); added, or changed once whole, is.
            complete = self.complete.setdefault(str(folder), set())
            changed = []
            for name, entry in _tree_signature(folder, content=True).items():
                want = self.shipped.get(name)
                if want is None:
                    changed.append(name)
                elif entry[-1] == want:
                    complete.add(name)
                elif name in complete:
                    changed.append(name)
            if changed:
                self.zip_changes.append(f"{folder.name}: {', '.join(sorted(changed)[:5])}")
                complete.difference_update(changed)
                self.shipped.update({name: "reported" for name in changed if name not in self.shipped})

    def uids(self) -> set[int]:
        from gradecore.sandbox.confine import sandbox_uids

        return {uid for pid in self.graders for uid in sandbox_uids(pid)}

    def stop(self) -> None:
        self.halt.set()
        self.join(5)


class Listener:
    """What the attacks send to 127.0.0.1:LEAK_PORT, over TCP and UDP."""

    def __init__(self):
        self.received: list[bytes] = []
        self.problem = ""
        self.sockets: list[socket.socket] = []
        self.halt = threading.Event()
        try:
            tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            tcp.bind(("127.0.0.1", LEAK_PORT))
            tcp.listen(16)
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            udp.bind(("127.0.0.1", LEAK_PORT))
        except OSError as e:
            self.problem = f"could not listen on 127.0.0.1:{LEAK_PORT}: {e}"
            return
        for s in (tcp, udp):
            s.settimeout(0.2)
            self.sockets.append(s)
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        tcp, udp = self.sockets
        while not self.halt.is_set():
            try:
                conn, _ = tcp.accept()
                conn.settimeout(1)
                with conn:
                    self.received.append(b"tcp: " + conn.recv(4096))
            except OSError:
                pass
            try:
                self.received.append(b"udp: " + udp.recv(4096))
            except OSError:
                pass

    def close(self) -> None:
        self.halt.set()
        time.sleep(0.3)
        for s in self.sockets:
            s.close()


# --- what must never leak -----------------------------------------------------------------------


def _number(text: str) -> re.Pattern:
    return re.compile(rf"(?<![0-9A-Za-z.]){re.escape(text)}(?![0-9A-Za-z])")


SPELLED = str.maketrans("0123456789.", "abcdefghijp")
"""Digits spelled as letters, as the leak attacks spell them where the grader blanks out numbers."""


def _float_patterns(value: float, what: str) -> list[tuple[str, str]]:
    """A float's six decimals as the leak attacks write them: in digits, spelled as letters (see
    :data:`SPELLED`), and spelled as a list of quoted one-letter names."""
    text = _float_text(value)
    if text is None:
        return []
    letters = text.translate(SPELLED)
    return [(f"{what} ({text})", text), (f"{what} ({text}, spelled)", letters),
            (f"{what} ({text}, spelled as names)", ", ".join(f"'{c}'" for c in letters))]


def _float_text(value: float) -> Optional[str]:
    """Six decimals of the absolute value, where that is specific enough to search for."""
    value = abs(float(value))
    if not np.isfinite(value) or value < 1e-3:
        return None
    text = f"{value:.6f}"
    return None if text.endswith("000") else text


def _walk_values(value: Any, floats: list, ints: list, per_array: int) -> None:
    if isinstance(value, np.ndarray):
        flat = value.ravel()
        if value.dtype.kind == "f":
            floats += [float(v) for v in flat[:per_array]]
        elif value.dtype.kind in "iu":
            ints += [int(v) for v in flat if abs(int(v)) >= 1000]
    elif isinstance(value, dict):
        for k, v in value.items():
            _walk_values(k, floats, ints, per_array)
            _walk_values(v, floats, ints, per_array)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _walk_values(v, floats, ints, per_array)
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if abs(value) >= 1000:
            ints.append(value)
    elif isinstance(value, float):
        floats.append(value)


@dataclass
class Secrets:
    """What must never appear in any output, each with a name for the failure message: a text
    found anywhere, or a pattern (numbers, which must stand alone)."""

    patterns: list[tuple[str, Any]] = field(default_factory=list)

    def find(self, text: str) -> list[str]:
        return sorted({name for name, pattern in self.patterns
                       if (pattern in text if isinstance(pattern, str) else pattern.search(text))})


def _zip_secret(zip_path: Path, name: str) -> bytes:
    from gradecore.judge import secret

    with zipfile.ZipFile(zip_path) as zf:
        return bytes.fromhex(json.loads(zf.read(f"assignments/{name}/grader/{secret.SECRET_FILE}"))["secret"])


def _check_patterns(found: Secrets, checks: dict, names, with_truths: bool) -> None:
    """The first values of every float argument of ``checks`` (and of its truths)."""
    for question in names:
        for check in checks[question]:
            arrays = [arg for arg in check.args if isinstance(arg, np.ndarray) and arg.dtype.kind == "f"]
            if with_truths:
                floats: list[float] = []
                _walk_values(check.expected, floats, [], per_array=4)
                for value in dict.fromkeys(floats):
                    found.patterns += _float_patterns(value, f"a fresh truth of {question}")
            for arg in arrays:
                for value in arg.ravel()[:4]:
                    found.patterns += _float_patterns(value, f"a hidden input of {question}")
                    scaled = int(round(abs(float(value)) * 1e6))
                    if scaled >= 10_000:
                        found.patterns.append((f"a hidden input of {question} (x 1e6: {scaled})", _number(str(scaled))))


def hidden_things(zip_path: Path, name: str, token: str, pinned_seed: int) -> Secrets:
    """The instructor's secret, the seed the batch pins and the build's seed drawn from the secret,
    a sample of its shipped truths, a sample of the hidden inputs of the build's cases, the
    neighbours' secret."""
    from gradecore.judge import secret, truths
    from gradecore.public import spec as specs

    instructor = _zip_secret(zip_path, name)
    seed = secret.build_seed(instructor)
    with zipfile.ZipFile(zip_path) as zf:
        store = truths.Store.loads(zf.read(f"assignments/{name}/grader/truths.bin"))
    found = Secrets([("the instructor's secret", instructor.hex()), ("the instructor's secret (half)", instructor.hex()[:32]),
                     ("the build's seed", _number(str(seed))), ("the build's seed (hex)", _number(f"{seed:x}")),
                     ("the pinned seed", _number(str(pinned_seed))), ("a neighbour's secret line", token)])
    floats: list[float] = []
    ints: list[int] = []
    for key in sorted(store.known):
        _walk_values(store.known[key], floats, ints, per_array=4)
    for value in dict.fromkeys(floats):
        found.patterns += _float_patterns(value, "a shipped truth")
    for value in sorted(set(ints)):
        found.patterns.append((f"a shipped truth ({value})", _number(str(value))))
    spec = specs.load(name)
    previous = truths.use(store)
    try:
        checks = spec.build_checks(seed)
    finally:
        truths.use(previous)
    _check_patterns(found, checks, spec.names, with_truths=False)
    return found


FRESH_GRADINGS = 3
"""How many gradings' fresh cases :func:`fresh_things` rebuilds (each computes its truths with Keras)."""


def fresh_things(zip_path: Path, name: str, texts: list[str]) -> Secrets:
    """The inputs and truths of the fresh cases of the gradings that the outputs name: each failure
    names its case by an id that the zip's secret deciphers into its grading's nonce (as
    ``rnn-shapes case`` does), from which the grading's every case is drawn again."""
    from gradecore.judge import secret, truths
    from gradecore.judge.service import fresh_checks, library_questions
    from gradecore.public import spec as specs

    instructor = _zip_secret(zip_path, name)
    ids = secret.CaseIds(instructor)
    nonces = list(dict.fromkeys(ids.decode(found)[0] for text in texts
                                for found in re.findall(rf"case ([0-9a-f]{{{secret.ID_DIGITS}}})\b", text)))
    spec = specs.load(name)
    found = Secrets()
    with zipfile.ZipFile(zip_path) as zf:
        store = truths.Store.loads(zf.read(f"assignments/{name}/grader/truths.bin"))
    for nonce in nonces[:FRESH_GRADINGS]:
        previous = truths.use(truths.Store(dict(store.known)))
        try:
            checks = fresh_checks(spec, instructor, nonce)
        finally:
            truths.use(previous)
        _check_patterns(found, checks, [q for q in spec.names if q not in library_questions(checks)], with_truths=True)
    return found


# --- the campaign -------------------------------------------------------------------------------


@dataclass
class Batch:
    """One ``rnn-shapes grade`` run and what it left."""

    out: Path
    records: dict[str, Any]
    returncode: int
    stderr: str
    outputs_after: dict[str, str]
    """each output file's digest as soon as the batch returned"""
    leftovers: list[str] = field(default_factory=list)
    terminal: str = ""
    """all the batch wrote to its stdout and stderr (the table, the progress lines)"""


@dataclass
class Campaign:
    name: str
    kit: AssignmentUnderTest
    attacks: list[Attack]
    batch: Batch
    alone: Batch
    raw: dict[str, dict[str, float]]
    raw_results: list[Path]
    hidden: Secrets
    isolation: str
    tmpdir: Path
    tmp_left: list[str]
    canary: list[str]
    attack_files: list[Path]
    stale_attack_files: list[Path]
    received: list[bytes]
    listener_problem: str
    late_changes: list[str]
    inconsistent: list[str]
    zip_changes: list[str]
    site_packages: tuple[dict, dict]
    build: tuple[str, str]
    seconds: float
    zip_path: Path
    """the autograder zip that graded the campaign (its secret deciphers the outputs' case ids)"""

    def row(self, file_name: str):
        """The batch's row of an attack (by its file's name) or of a neighbour."""
        from gradecore.protocol.text import visible

        entry = next((a.entry for a in self.attacks if a.name == file_name), file_name)
        return self.batch.records.get(visible(f"{BATCH_FOLDER}/{entry}"))

    def table(self) -> str:
        """One line per attack: ``ok``, or ``HOLE`` where its row differs from its EXPECT, and
        ``LEAK`` where its feedback holds something hidden."""
        from gradecore.cli.records import file_names

        names = file_names(list(self.batch.records))
        lines = [f"{self.name}: {len(self.attacks)} attacks, batch in {self.seconds:.0f} s"]
        for attack in self.attacks:
            record = self.row(attack.name)
            if record is None:
                lines.append(f"  {attack.name}: NO ROW")
                continue
            got = {q: record.points.get(q, 0.0) for q in self.kit.questions}
            gained = {q: got[q] - attack.expect.get(q, 0.0) for q in self.kit.questions
                      if got[q] != attack.expect.get(q, 0.0)}
            verdict = "ok" if not gained and record.status == attack.status else "HOLE"
            feedback = self.batch.out / "feedback" / f"{names[record.submission]}.txt"
            leaked = self.hidden.find(feedback.read_text()) if feedback.exists() else []
            lines.append(f"  {verdict:4} {'LEAK' if leaked else '':4} {attack.name}: {record.total:g} points, "
                         f"{record.status}" + (f", differs from EXPECT by {gained}" if gained else "")
                         + (f", {len(leaked)} hidden values in its feedback" if leaked else "")
                         + (f" ({record.reason[:160]})" if record.status != "graded" else ""))
        return "\n".join(lines)


def _output_files(out: Path) -> list[Path]:
    return sorted([out / "grades.csv", *out.glob("feedback/*.txt"), *out.glob("results/*.json")])


def _digests(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest() for p in _output_files(out) if p.exists()}


def pinned_seed(zip_path: Path) -> int:
    """The development seed whose secret the tests' build shipped."""
    from gradecore.public import spec as specs

    with zipfile.ZipFile(zip_path) as zf:
        name = json.loads(zf.read("assignment.json"))["name"]
    return specs.load(name).default_seed


def run_batch(folder: Path, zip_path: Path, out: Path, tmpdir: Path, watcher: Watcher) -> Batch:
    from gradecore.cli.records import load_records

    out.mkdir(parents=True)
    (out / TARGET_MARKER).write_text("the attacks may write real data here\n")
    # The batch pins the seed that made the build's secret (the same secret; each grading still
    # draws fresh cases from it): an instructor's environment may hold it, and no output may
    # then show it either.
    seed = str(pinned_seed(zip_path))
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("rnn-shapes")), "grade", folder.name, "--autograder", str(zip_path),
         "--out", str(out), "--jobs", "2", "--no-report"],
        cwd=folder.parent, env=dict(os.environ, TMPDIR=str(tmpdir), GRADECORE_SEED=seed),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )
    watcher.root = proc.pid
    try:
        stdout, stderr = proc.communicate(timeout=BATCH_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
    digests = _digests(out)
    records = load_records(out / "results")
    leftovers = wait_for_no_sandbox(watcher, tmpdir)
    return Batch(out, records, proc.returncode, (stdout or "")[-3000:] + (stderr or "")[-3000:], digests, leftovers,
                 terminal=(stdout or "") + (stderr or ""))


def wait_for_no_sandbox(watcher: Watcher, tmpdir: Path) -> list[str]:
    """The campaign's sandbox processes still alive ``LEFTOVER_GRACE_S`` after a grading ended."""
    deadline = time.monotonic() + LEFTOVER_GRACE_S
    while True:
        watcher.poll()
        left = sandbox_processes(watcher.uids(), tmpdir)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.5)


def consistency(batch: Batch, zip_path: Path) -> list[str]:
    """Outputs that no longer say what the batch's records say (rewritten behind its back)."""
    from gradecore.cli.gradebook import gradebook
    from gradecore.cli.grading import read_assignment
    from gradecore.cli.records import csv_text, feedback_text, file_names

    assignment = read_assignment(zip_path)
    problems = []
    grades = (batch.out / "grades.csv").read_text()
    if grades != csv_text(gradebook(list(batch.records.values())).rows, assignment):
        problems.append("grades.csv differs from the records")
    names = file_names(list(batch.records))
    for submission, record in batch.records.items():
        path = batch.out / "feedback" / f"{names[submission]}.txt"
        if not path.exists() or path.read_text() != feedback_text(record, assignment):
            problems.append(f"{path.name} differs from its record")
    return problems


def kill_leftovers(lines: list[str]) -> None:
    for line in lines:
        try:
            os.kill(int(line.split()[1]), 9)
        except (OSError, ValueError, IndexError):
            pass


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def campaign(request, built, tmp_path_factory) -> Campaign:
    from gradecore.sandbox import confine

    name = request.param
    kit = AssignmentUnderTest(name)
    attacks = attacks_of(name)
    zip_path = built / name / "autograder" / "autograder.zip"
    work = tmp_path_factory.mktemp(f"{name}-attacks")
    tmpdir = work / "grading-tmp"
    tmpdir.mkdir()
    token = secrets.token_hex(8)
    hidden = hidden_things(zip_path, name, token, pinned_seed(zip_path))

    # A clean slate: the canary folder empty and open to all, no file left by an earlier campaign.
    stale = attack_named_files()
    remove(stale)
    if CANARY.exists():
        shutil.rmtree(CANARY)
    CANARY.mkdir()
    CANARY.chmod(0o1777)
    site_before = site_packages_signature()
    build_before = _digest(_tree_signature(built / name, content=True))
    listener = Listener()

    # The batch: every attack and the two neighbours.
    folder = work / "batch" / BATCH_FOLDER
    folder.mkdir(parents=True)
    for attack in attacks:
        attack.place(folder, kit.solution.resolve())
    neighbours = neighbour_texts(kit, token)
    for file_name, text in neighbours.items():
        (folder / file_name).write_text(text)
    watcher = Watcher(os.getpid(), tmpdir, zip_path)
    watcher.start()
    started = time.monotonic()
    try:
        batch = run_batch(folder, zip_path, work / "out", tmpdir, watcher)
        seconds = time.monotonic() - started
        time.sleep(LATE_WRITE_WAIT_S)
        late = [k for k, v in _digests(batch.out).items() if batch.outputs_after.get(k) != v]
        late += [k for k in batch.outputs_after if not (batch.out / k).exists()]
        inconsistent = consistency(batch, zip_path)

        # The neighbours alone, in a folder of the same name.
        alone_folder = work / "alone" / BATCH_FOLDER
        alone_folder.mkdir(parents=True)
        for file_name, text in neighbours.items():
            (alone_folder / file_name).write_text(text)
        alone = run_batch(alone_folder, zip_path, work / "out-alone", tmpdir, watcher)

        # Four to six attacks through the raw otter run, two at a time (as a batch grades
        # them: side by side, each in a folder of its own), then nothing of them may be left.
        raw, raw_results = {}, []
        watcher.root = os.getpid()

        def raw_run(file_name: str) -> None:
            target = work / "raw" / Path(file_name).stem / file_name
            target.parent.mkdir(parents=True)
            next(a for a in attacks if a.name == file_name).write(target)
            graded = otter_run(zip_path, target, kit.points, env={"TMPDIR": str(tmpdir)})
            raw[file_name] = {q: float(graded.scores.get(q) or 0) for q in kit.questions}
            raw_results.append(target.parent / f"{target.stem}-results" / "results.json")

        with ThreadPoolExecutor(2) as pool:
            list(pool.map(raw_run, [f for f in RAW_SUBSET[name] if f in {a.name for a in attacks}]))
        batch.leftovers += wait_for_no_sandbox(watcher, tmpdir)
    finally:
        watcher.stop()
        listener.close()
        kill_leftovers(sandbox_processes(watcher.uids(), tmpdir))

    canary = sorted(f"{p.name}: {p.read_text(errors='replace')[:300]}" for p in CANARY.iterdir() if p.is_file())
    tmp_left = sorted(str(p.relative_to(tmpdir)) for p in tmpdir.iterdir())
    attack_files = attack_named_files()
    result = Campaign(
        name=name, kit=kit, attacks=attacks, batch=batch, alone=alone, raw=raw, raw_results=raw_results,
        hidden=hidden, isolation=confine.isolation_summary(confine.available()), tmpdir=tmpdir, tmp_left=tmp_left,
        canary=canary, attack_files=attack_files, stale_attack_files=stale, received=list(listener.received),
        listener_problem=listener.problem, late_changes=late, inconsistent=inconsistent,
        zip_changes=list(watcher.zip_changes), site_packages=(site_before, site_packages_signature()),
        build=(build_before, _digest(_tree_signature(built / name, content=True))), seconds=seconds,
        zip_path=zip_path,
    )
    print(result.table())
    yield result
    remove(attack_files)
    shutil.rmtree(CANARY, ignore_errors=True)


def _fail(campaign: Campaign, problems: list[str], what: str) -> None:
    if problems:
        listed = "\n".join(f"- {p}" for p in problems)
        pytest.fail(f"{campaign.name}: {what}:\n{listed}\n\n{campaign.table()}", pytrace=False)


# --- the verdicts -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_attack_says_what_it_tries_and_what_it_honestly_earns(name):
    """Fast: each attack file has its docstring and an EXPECT over exactly the assignment's
    questions, within their points; each assignment has attacks, and its raw subset exists."""
    kit = AssignmentUnderTest(name)
    attacks = attacks_of(name)
    assert len(attacks) >= 16, f"{name} has only {len(attacks)} attacks"
    for attack in attacks:
        assert set(attack.expect) == set(kit.questions), f"{attack.name}: EXPECT names {sorted(attack.expect)}"
        assert all(0 <= attack.expect[q] <= kit.points[q] for q in kit.questions), f"{attack.name}: {attack.expect}"
        assert attack.status in ("graded", "error"), f"{attack.name}: EXPECT_STATUS {attack.status!r}"
    assert set(RAW_SUBSET[name]) <= {a.name for a in attacks}


@pytest.mark.slow
def test_the_batches_ran(campaign):
    problems = []
    for label, batch in (("the attacks' batch", campaign.batch), ("the neighbours' batch", campaign.alone)):
        if batch.returncode != 0:
            problems.append(f"{label} exited with {batch.returncode}: {batch.stderr[-1500:]}")
    expected = len(campaign.attacks) + len(NEIGHBOURS)
    if len(campaign.batch.records) != expected:
        problems.append(f"the attacks' batch has {len(campaign.batch.records)} rows, not {expected}")
    _fail(campaign, problems, "the batches did not run through")


@pytest.mark.slow
def test_no_attack_reports_a_breach(campaign):
    """A step the sandbox must refuse worked: the attack left a canary file, raised
    ``ATTACK-BREACH`` (repeated in the feedback), or reached the harness's listener."""
    problems = [f"canary file {line}" for line in campaign.canary]
    for record in campaign.batch.records.values():
        text = json.dumps(record.outputs, ensure_ascii=False) + record.reason
        problems += [f"{record.submission}: {m}" for m in sorted(set(BREACH.findall(text)))]
    for path in campaign.raw_results:
        if path.exists():
            problems += [f"otter run of {path.parent.name}: {m}" for m in sorted(set(BREACH.findall(path.read_text())))]
    problems += [f"the listener on 127.0.0.1:{LEAK_PORT} received {data[:200]!r}" for data in campaign.received]
    if campaign.listener_problem:
        print(f"warning: {campaign.listener_problem}; the network attacks were checked by their own reports only")
    _fail(campaign, problems, "attacks did what the sandbox must refuse")


@pytest.mark.slow
def test_each_attack_earns_exactly_what_it_honestly_earns(campaign):
    problems = []
    expected_isolation = "full" if campaign.isolation == "full" else None
    for attack in campaign.attacks:
        record = campaign.row(attack.name)
        if attack.problem and record is not None and record.status == "graded" and not any(
                attack.problem in output for output in record.outputs.values()):
            problems.append(f"{attack.name}: no feedback says {attack.problem!r}")
    rows = [(a.name, a.expect, a.status) for a in campaign.attacks]
    rows += [(NEIGHBOURS["reference"], campaign.kit.points, "graded"),
             (NEIGHBOURS["stub"], dict.fromkeys(campaign.kit.questions, 0.0), "graded")]
    for file_name, expect, status in rows:
        record = campaign.row(file_name)
        if record is None:
            problems.append(f"{file_name}: no row in the batch")
            continue
        got = {q: record.points.get(q, 0.0) for q in campaign.kit.questions}
        want = {q: float(expect.get(q, 0.0)) for q in campaign.kit.questions}
        if record.status != status:
            problems.append(f"{file_name}: status {record.status!r}, expected {status!r} ({record.reason[:300]})")
        if status == "graded" and got != want:
            diff = {q: f"{want[q]:g} -> {got[q]:g}" for q in got if got[q] != want[q]}
            problems.append(f"{file_name}: {diff}")
        isolation = getattr(record, "isolation", "")
        if expected_isolation and record.status == "graded" and isolation and isolation != expected_isolation:
            problems.append(f"{file_name}: graded with isolation {isolation!r}, this machine offers {expected_isolation!r}")
    _fail(campaign, problems, "rows that differ from what the submissions honestly earn")


@pytest.mark.slow
def test_nothing_hidden_leaks(campaign):
    problems = []
    outputs = [p for batch in (campaign.batch, campaign.alone) for p in _output_files(batch.out) if p.exists()]
    outputs += [p for p in campaign.raw_results if p.exists()]
    texts = [path.read_text(errors="replace") for path in outputs]
    fresh = fresh_things(campaign.zip_path, campaign.name, texts)
    for path, text in zip(outputs, texts):
        found = campaign.hidden.find(text) + fresh.find(text)
        if found:
            shown = ", ".join(found[:6]) + (f" and {len(found) - 6} more" if len(found) > 6 else "")
            problems.append(f"{path.parent.name}/{path.name}: {shown}")
    for data in campaign.received:
        found = campaign.hidden.find(data.decode(errors="replace"))
        if found:
            problems.append(f"the listener received {', '.join(found[:6])}")
    _fail(campaign, problems, "hidden things in the outputs")


def unprintable(text: str, allowed: str = "\n") -> list[str]:
    """The characters of ``text`` that no output may hold: control and format characters, line and
    paragraph separators (``allowed`` aside)."""
    return sorted({repr(c) for c in text if c not in allowed
                   and (unicodedata.category(c)[0] == "C" or unicodedata.category(c) in ("Zl", "Zp"))})


def json_strings(value: Any) -> list[str]:
    """Every string of a JSON value, keys included."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [str(k), *json_strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in json_strings(v)]
    return [value] if isinstance(value, str) else []


def forged_lines(text: str) -> list[str]:
    """Lines that only the plugin writes, where no fault was found: a submission forged them."""
    return [line for line in text.splitlines() if line.lstrip("-⚠❌ ").startswith("Machine fault")]


@pytest.mark.slow
def test_every_output_is_printable_text_and_no_cell_a_formula(campaign):
    """What the submissions made (exception names and messages, file names, cell output) reaches
    the outputs as printable lines: no control character, no forged line, no formula, one line a row."""
    from gradecore.protocol.text import FORMULA_STARTS

    problems = []
    for label, batch in (("the attacks' batch", campaign.batch), ("the neighbours' batch", campaign.alone)):
        grades = batch.out / "grades.csv"
        text = grades.read_text() if grades.exists() else ""
        problems += [f"{label}: grades.csv holds {c}" for c in unprintable(text)]
        rows = list(csv.reader(io.StringIO(text)))
        if len(text.splitlines()) != len(batch.records) + 1 or len(rows) != len(batch.records) + 1:
            problems.append(f"{label}: grades.csv has {len(text.splitlines())} lines for {len(batch.records)} rows")
        problems += [f"{label}: grades.csv cell {cell!r} starts a formula" for row in rows for cell in row
                     if cell.startswith(FORMULA_STARTS)]
        for path in sorted(batch.out.glob("feedback/*.txt")):
            feedback = path.read_text()
            problems += [f"{label}: {path.name} holds {c}" for c in unprintable(feedback)]
            problems += [f"{label}: {path.name} has the forged line {line[:120]!r}" for line in forged_lines(feedback)]
        for path in sorted(batch.out.glob("results/*.json")):
            record = json.loads(path.read_text())
            problems += [f"{label}: {path.name} holds {c}" for s in json_strings(record) for c in unprintable(s)]
            for question, output in record.get("outputs", {}).items():
                problems += [f"{label}: {path.name} ({question}) has the forged line {line[:120]!r}"
                             for line in forged_lines(output)]
        problems += [f"{label}: its terminal output holds {c}" for c in unprintable(batch.terminal)]
    for path in campaign.raw_results:
        if not path.exists():
            continue
        data = json.loads(path.read_text())
        problems += [f"otter run of {path.parent.name}: results.json holds {c}"
                     for s in json_strings(data) for c in unprintable(s)]
        fault = ((data.get("extra_data") or {}).get("gradecore") or {}).get("fault")
        lines = forged_lines(str(data.get("output", "")))
        if lines and not (fault and len(lines) == 1 and str(data.get("output", "")).splitlines()[1:2] == lines):
            problems.append(f"otter run of {path.parent.name}: forged {lines[:2]}")
        for test in data.get("tests", []):
            problems += [f"otter run of {path.parent.name}: {test.get('name')} has the forged line {line[:120]!r}"
                         for line in forged_lines(str(test.get("output", "")))]
    _fail(campaign, problems, "outputs that are not printable text")


@pytest.mark.slow
def test_nothing_of_a_sandbox_outlives_its_grading(campaign):
    problems = [f"left running: {line}" for line in campaign.batch.leftovers + campaign.alone.leftovers]
    problems += [f"changed after the batch returned: {k}" for k in campaign.late_changes]
    problems += [f"inconsistent output: {k}" for k in campaign.inconsistent]
    problems += [f"left in the batch's temporary folder: {k}" for k in campaign.tmp_left]
    problems += [f"created outside the campaign's folders: {p}" for p in campaign.attack_files]
    if campaign.stale_attack_files:
        print(f"warning: removed files left by an earlier campaign: {campaign.stale_attack_files}")
    _fail(campaign, problems, "what the sandbox left behind")


@pytest.mark.slow
def test_the_environment_is_untouched(campaign):
    problems = []
    before, after = campaign.site_packages
    problems += [f"site-packages changed: {folder}" for folder in before if before[folder] != after.get(folder)]
    if campaign.build[0] != campaign.build[1]:
        problems.append("the build (zip and unpacked files) changed")
    problems += [f"the batch's unpacked zip changed while it graded: {c}" for c in campaign.zip_changes]
    _fail(campaign, problems, "the grading environment changed")


@pytest.mark.slow
def test_the_neighbours_grade_the_same_alone(campaign):
    from gradecore.cli.records import file_names

    problems = []
    among = read_table(campaign.batch.out / "grades.csv")
    alone = read_table(campaign.alone.out / "grades.csv")
    names_among = file_names(list(campaign.batch.records))
    names_alone = file_names(list(campaign.alone.records))
    for file_name in NEIGHBOURS.values():
        submission = f"{BATCH_FOLDER}/{file_name}"
        row_among = [row for row in among if row["submission"] == submission]
        row_alone = [row for row in alone if row["submission"] == submission]
        if not row_among or row_among != row_alone:
            problems.append(f"{file_name}: row among the attacks {row_among} != alone {row_alone}")
        feedback_among = campaign.batch.out / "feedback" / f"{names_among.get(submission, '?')}.txt"
        feedback_alone = campaign.alone.out / "feedback" / f"{names_alone.get(submission, '?')}.txt"
        if not (feedback_among.exists() and feedback_alone.exists()) or feedback_among.read_text() != feedback_alone.read_text():
            problems.append(f"{file_name}: its feedback differs between the two batches")
    _fail(campaign, problems, "the neighbours' grades depend on their company")


@pytest.mark.slow
def test_raw_otter_run_gives_the_batch_scores(campaign):
    problems = []
    for file_name, scores in campaign.raw.items():
        record = campaign.row(file_name)
        batch = {q: (record.points.get(q, 0.0) if record else None) for q in campaign.kit.questions}
        if scores != batch:
            problems.append(f"{file_name}: otter run {scores} != batch {batch}")
    _fail(campaign, problems, "otter run and the batch disagree")


ORDINARY_USER = 65534
"""``nobody``: the batch run by a user who is not root, where the sandbox shares its user."""
ORDINARY_SUBSET = ("judge_kill_environ.py", "detached_rewriter.py", "read_secrets.py", "tf_thread.py",
                   "batch_crosstalk.py", "leak_files_network.py", "neighbour_limits.py", "sealed_metadata_traces.py",
                   "fork_bomb_disk.py")
"""Graded as an ordinary user too. ``fork_bomb_disk.py``: until 2026-12-07 an ordinary grader's
sandbox had no process limit (``RLIMIT_NPROC`` was set for a sandbox user of its own, as root, only),
and its kernel forked all of its 300 processes, where a fork bomb without a bound takes the
machine's processes and memory from every neighbouring grading."""


@pytest.mark.skipif(os.geteuid() != 0, reason="starts the batch as an ordinary user, from root")
def test_a_batch_run_by_an_ordinary_user_holds_too(built, tmp_path_factory):
    """Where the grader is not root, Landlock, seccomp, the scopes and (where the kernel allows
    one) a user and mount namespace of each sandboxed process's own keep the attacks in, side by
    side: each earns what it honestly earns, the canary stays empty, and the isolation says so."""
    import tempfile

    from gradecore.cli.records import load_records
    from gradecore.host.grading_sandbox import open_the_way

    kit = AssignmentUnderTest("rnn_shapes")
    work = Path(tempfile.mkdtemp(prefix="rnn-shapes-ordinary-"))
    try:
        work.chmod(0o755)
        folder = work / BATCH_FOLDER
        folder.mkdir()
        attacks = [a for a in attacks_of("rnn_shapes") if a.name in ORDINARY_SUBSET]
        for attack in attacks:
            attack.write(folder / attack.name)
        (folder / NEIGHBOURS["reference"]).write_text(kit.py_submission())
        zip_path = work / "autograder.zip"
        shutil.copy(built / "rnn_shapes" / "autograder" / "autograder.zip", zip_path)
        out = work / "out"
        for path in [work, *work.rglob("*")]:
            os.chown(path, ORDINARY_USER, ORDINARY_USER)
        # the venv's Python may live under /root: let the ordinary user pass through, as the plugin
        # does for the sandbox's user where the grader is root
        open_the_way([sys.executable, os.path.realpath(sys.executable), str(ROOT / ".venv" / "bin")])
        if CANARY.exists():
            shutil.rmtree(CANARY)
        CANARY.mkdir()
        CANARY.chmod(0o1777)
        proc = subprocess.run(
            ["setpriv", f"--reuid={ORDINARY_USER}", f"--regid={ORDINARY_USER}", "--clear-groups", "--",
             str(Path(sys.executable).with_name("rnn-shapes")), "grade", str(folder), "--autograder", str(zip_path),
             "--out", str(out), "--jobs", "2", "--no-report"],
            cwd=work, env=dict(os.environ, HOME=str(work), TMPDIR=str(work)), capture_output=True, text=True,
            timeout=BATCH_TIMEOUT_S,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        # what keeps the gradings apart here (as the batch's user found it): where nothing does, the
        # batch said so and graded one at a time
        apart = subprocess.run(["setpriv", f"--reuid={ORDINARY_USER}", f"--regid={ORDINARY_USER}", "--clear-groups",
                                "--", sys.executable, "-c", "from gradecore.sandbox import confine\n"
                                "print(confine.gradings_apart())"], cwd=work, capture_output=True, text=True,
                               timeout=60).stdout.strip()
        assert ("not kept apart here" in proc.stderr) != apart.startswith("on"), (apart, proc.stderr[-1000:])
        records = {Path(r.submission).name: r for r in load_records(out / "results").values()}
        assert kit.scores(records[NEIGHBOURS["reference"]]) == kit.points
        for attack in attacks:
            record = records[attack.name]
            assert record.status == "graded", (attack.name, record.reason)
            assert kit.scores(record) == attack.expect, (attack.name, record.points, record.outputs)
            assert record.isolation.startswith("partial: user off"), record.isolation
            assert ("apart off" in record.isolation) != apart.startswith("on"), (record.isolation, apart)
        canary = [p.name for p in CANARY.iterdir()]
        assert canary == [], f"steps the sandbox should refuse worked: {canary}"
        texts = "\n".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file())
        assert not BREACH.search(texts), BREACH.search(texts).group(0)
    finally:
        remove(attack_named_files())
        shutil.rmtree(CANARY, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
