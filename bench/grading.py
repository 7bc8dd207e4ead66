"""Benchmark of the grading pipeline, each figure side by side with its baseline in one run.

    .venv/bin/python bench/grading.py            # everything (about 25 minutes on 2 cores)
    .venv/bin/python bench/grading.py --batch 12 # a smaller batch for a quick look

Prints each figure beside its baseline from the same run, and its target:
  1. the hidden-check phase of one submission (the judge with the truths the build shipped, the
     sealed run, the library's sealed run forked from the template) against the naive way (a fresh
     model and ``model.predict`` per check), after TensorFlow is imported (the template's import
     beside the first pass is shown too);
  2. end-to-end ``otter run`` of one notebook against ``otter run`` of a zip with the public
     checks only and no plugin, and against executing the same notebook with no test;
  3. the peak memory of one grading run: the cgroup's ``total_rss`` (every process of it together,
     page cache excluded, as a container's limit counts), and each process's own peak;
  4. a submission with an endless loop in one function, graded end to end;
  5. a batch of notebooks with ``rnn-shapes grade --jobs 2`` against a sequential ``otter run``
     loop, with a check that the scores are identical;
  6. the same on a mixed class (``--only mixed``): notebooks, which import TensorFlow, and ``.py``
     files that do not (NumPy only), half and half, with each kind's own ``otter run`` time.
Where a target is missed, the line after it says what bounds the figure.
Nothing here asserts a duration; the test suite has no timed test.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
ZIP = ROOT / "dist" / "rnn_shapes" / "autograder" / "autograder.zip"
STUDENT = ROOT / "dist" / "rnn_shapes" / "student" / "rnn_shapes.ipynb"
QUIET = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")


def line(label: str, value: str) -> None:
    print(f"  {label:<58} {value}", flush=True)


def hidden_check_phase() -> None:
    """Ours and the naive way, each in a fresh process (Keras' first-time costs hit both alike)."""
    print("1. Hidden-check phase of one submission (after `import tensorflow`; each side in a fresh process)")
    figures = {}
    for side in ("ours", "naive"):
        proc = subprocess.run([sys.executable, __file__, "--hidden-side", side], env=QUIET,
                              capture_output=True, text=True, check=True)
        for row in proc.stdout.splitlines():
            if row.startswith("FIGURE "):
                _, key, value = row.split(" ", 2)
                figures[key] = float(value)
            else:
                print(row)
    line("ratio naive / ours (target >= 5x)", f"{figures['naive'] / figures['ours']:.1f}x")
    line("ours (target <= 0.5 s after import)", f"{figures['ours']:.2f} s " + ("met" if figures["ours"] <= 0.5 else "MISSED"))


def hidden_side(side: str) -> None:
    t = time.perf_counter()
    import numpy as np

    from assignments.rnn_shapes.grader import keras_truth as reference
    from assignments.rnn_shapes.tests.helpers import QUESTIONS, SOLUTION
    from gradecore.kernel import calls as kernel

    line("import tensorflow + keras", f"{time.perf_counter() - t:.2f} s")
    namespace: dict = {}
    exec(compile(SOLUTION.read_text(), str(SOLUTION), "exec"), namespace)

    built = {"n": 0}
    original = reference.build_model

    def counting(*args, **kwargs):
        built["n"] += 1
        return original(*args, **kwargs)

    reference.build_model = counting
    if side == "naive":
        from assignments.rnn_shapes.grader.checks import build_checks

        # The inputs of the checks only: the Keras truth is what the naive way computes itself.
        checks = build_checks(20261123, truth=lambda case: _no_truth(case))
        _naive(checks, namespace, original, reference, np)
        return
    import tempfile
    import zipfile

    from gradecore.host import grading_sandbox
    from gradecore.host.judge_client import JudgeClient
    from gradecore.public import spec

    folder = tempfile.mkdtemp(prefix="bench-zip-")
    with zipfile.ZipFile(ZIP) as zf:
        zf.extractall(folder)
    box = grading_sandbox.Sandbox(prefix="bench-")
    # As a grading does: the template (TensorFlow imported once, for the kernel and the library's
    # sealed run) starts beside the judge; the first pass waits for its import where it must.
    started = time.perf_counter()
    box.use_template()
    first = _our_pass(folder, box, kernel, spec, JudgeClient, QUESTIONS, SOLUTION)
    first_s = time.perf_counter() - started
    ours_parts = _our_pass(folder, box, kernel, spec, JudgeClient, QUESTIONS, SOLUTION)
    box.remove()
    judge_s, runs_s, verdicts_s, passed, counts = ours_parts
    ours = runs_s + verdicts_s
    line("ours, first pass: the template's TensorFlow import beside it", f"{first_s:.2f} s "
         f"(the runs {first[1]:.2f} s, the library's waiting for the import)")
    line(f"ours: the judge's calls ready (shipped truths, {built['n']} Keras models)", f"{judge_s:.2f} s")
    line(f"ours: sealed runs ended ({counts[0]} calls, fresh Python; then {counts[1]} calls, forked "
         "from the template)", f"{runs_s:.2f} s")
    line(f"ours: {counts[0] + counts[1]} verdicts from the judge", f"{verdicts_s:.2f} s")
    line(f"ours: total ({passed}/{len(QUESTIONS)} functions passed)", f"{ours:.2f} s")

    print(f"FIGURE ours {ours}")


def _our_pass(folder, box, kernel, spec, JudgeClient, QUESTIONS, SOLUTION):
    """The judge, the sealed runs and the verdicts, as the plugin runs them (the NumPy-only run
    defines the code while the judge starts and gives its calls; then the library's run): when
    the calls were ready, when the runs ended, the verdicts' time, the functions passed and the
    calls of each run."""
    import threading

    from gradecore.host import sealed_runs

    t = time.perf_counter()
    judge = JudgeClient("rnn_shapes", folder)
    asked = threading.Event()
    sealed: dict = {}
    library: dict = {}

    def calls(of):
        def calls_of():
            asked.wait(120)
            return dict(of)
        return calls_of

    code = [SOLUTION.read_text()]
    started = box.start_sealed([sealed_runs.SealedRun(code, calls(sealed), submission_dir=folder),
                                sealed_runs.SealedRun(code, calls(library), submission_dir=folder, library=True)],
                               keep=(judge.pid,))
    replies = {q: judge.request({"op": "calls", "question": q}) for q in QUESTIONS}
    for q, r in replies.items():
        needs = any(kernel.needs_library(a) for args in r["calls"] for a in args)
        (library if needs else sealed)[q] = r
    library["builders_file"] = box.copy_builders(folder, spec.load("rnn_shapes").kernel_builders)
    asked.set()
    judge_s = time.perf_counter() - t
    numpy_found, library_found = started.results()
    runs_s = time.perf_counter() - t
    t = time.perf_counter()
    outcomes = {**numpy_found["outcomes"], **library_found["outcomes"]}
    passed = sum(judge.request({"op": "judge", "question": q, "outcomes": o})["passed"] for q, o in outcomes.items())
    verdicts_s = time.perf_counter() - t
    judge.stop()
    library.pop("builders_file")
    counts = (sum(len(r["calls"]) for r in sealed.values()), sum(len(r["calls"]) for r in library.values()))
    return judge_s, runs_s, verdicts_s, passed, counts


def _no_truth(case):
    from assignments.rnn_shapes.grader.checks import Truth

    s = case.shape
    return Truth(last=np_zeros((s.N, s.K)), every=np_zeros((s.N, s.T, s.K)), shapes=[], counts={s.T: 0, s.T + 7: 0})


def np_zeros(shape):
    import numpy as np

    return np.zeros(shape)


def _naive(checks, namespace, original, reference, np) -> None:
    """The naive way: every check builds its own model and calls ``model.predict``."""
    from assignments.rnn_shapes.tests.helpers import QUESTIONS

    t = time.perf_counter()
    naive_models = 0
    for q in QUESTIONS:
        for check in checks[q]:
            args = check.local_args
            if q in ("manual_forward", "batched_forward", "sequence_forward"):
                W = args[1:]
                T, D = args[0].shape[-2:] if args[0].ndim == 3 else args[0].shape
                m = original(T, D, W[1].shape[0], W[3].shape[1], W, return_sequences=q == "sequence_forward")
                X = args[0] if args[0].ndim == 3 else args[0][None]
                expected = np.asarray(m.predict(X, verbose=0), dtype=np.float64)
                got = namespace[q](*args)
                assert np.allclose(got, expected if args[0].ndim == 3 else expected[0], atol=1e-4)
            elif q == "extract_weights":
                s = check.args[0]["with"]
                m = original(s["T"], s["D"], s["M"], s["K"], s["weights"])
                assert all(np.allclose(a, b) for a, b in zip(namespace[q](m), s["weights"]))
            elif q == "count_params":
                m = original(*args)
                assert namespace[q](*args) == m.count_params()
            else:
                m = original(7, *args)
                assert namespace[q](*args) == [w.shape for w in m.get_weights()]
            naive_models += 1
    naive = time.perf_counter() - t
    line(f"naive: a fresh model + predict per check ({naive_models} models)", f"{naive:.2f} s")
    print(f"FIGURE naive {naive}")


def otter_run(path: Path, out: Path, zip_path: Path = ZIP) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(BIN / "otter"), "run", "-a", str(zip_path), "-o", str(out), "--no-logo", str(path)],
                   cwd=out, capture_output=True, env=QUIET, check=False)
    data = json.loads((out / "results.json").read_text())
    return {t["name"]: t.get("score") for t in data["tests"] if "score" in t and t.get("max_score")}


def execute_only(path: Path) -> None:
    """The floor: run the notebook's cells in the same kernel, with no test at all."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if "grader" not in c.source]
    NotebookClient(nb, kernel_name="python3", allow_errors=True, resources={"metadata": {"path": str(path.parent)}}).execute()


def public_only_zip(work: Path) -> Path:
    """The autograder without its hidden checks and plugin: what otter run costs by itself."""
    import re
    import zipfile

    path = work / "public-only.zip"
    with zipfile.ZipFile(ZIP) as src, zipfile.ZipFile(path, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "otter_config.json":
                config = json.loads(data)
                config.pop("plugins", None)
                data = json.dumps(config).encode()
            elif name.startswith("tests/") and name.endswith(".py"):
                data = re.sub(r"@test_case\(points=[0-9.]+, hidden=True\).*", "", data.decode(), flags=re.S).encode()
            dst.writestr(name, data)
    return path


def end_to_end(work: Path, repeats: int = 3) -> None:
    print("2. End-to-end grading of one notebook submission")
    import nbformat

    from assignments.rnn_shapes.tests.helpers import notebook_submission

    nb_path = work / "e2e" / "rnn_shapes.ipynb"
    nb_path.parent.mkdir(parents=True)
    nbformat.write(notebook_submission(STUDENT), nb_path)
    public_zip = public_only_zip(work)
    floors, bare, ours = [], [], []
    for i in range(repeats):
        t = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--execute-only", str(nb_path)], env=QUIET, check=True,
                       stderr=subprocess.DEVNULL)
        floors.append(time.perf_counter() - t)
        t = time.perf_counter()
        otter_run(nb_path, work / "e2e" / f"bare{i}", public_zip)
        bare.append(time.perf_counter() - t)
        t = time.perf_counter()
        scores = otter_run(nb_path, work / "e2e" / f"out{i}")
        ours.append(time.perf_counter() - t)
    floor, plain, our = statistics.median(floors), statistics.median(bare), statistics.median(ours)
    line("floor: execute the notebook, no tests (median of %d)" % repeats, f"{floor:.2f} s")
    line("otter run with the public checks only, no plugin", f"{plain:.2f} s ({plain / floor:.2f}x)")
    line(f"ours: otter run with hidden checks (score {sum(scores.values()):g})", f"{our:.2f} s")
    line("ratio ours / floor (an earlier target, <= 1.3x)", f"{our / floor:.2f}x")
    line("ratio ours / otter run without hidden checks (target <= 1.15x)",
         f"{our / plain:.2f}x " + ("met" if our <= 1.15 * plain else "MISSED"))
    if our > 1.3 * floor:
        line("  bound: otter run's own cost over the floor", f"{plain - floor:.2f} s of the {our - floor:.2f} s extra")


def make_batch(folder: Path, count: int) -> list[Path]:
    import nbformat

    from assignments.rnn_shapes.grader.mistakes import CATALOGUE
    from assignments.rnn_shapes.tests.helpers import notebook_submission

    bug = CATALOGUE.by_id
    bugs = [{}, {"batched_forward": bug("unreset_state@batched_forward")}, {"manual_forward": bug("no_hidden_bias@manual_forward")},
            {"count_params": bug("count_times_T")}, {"sequence_forward": bug("time_major@sequence_forward")}]
    paths = []
    for i in range(count):
        path = folder / f"student{i:03d}" / "rnn_shapes.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(notebook_submission(STUDENT, bugs[i % len(bugs)]), path)
        paths.append(path)
    return paths


def batch(work: Path, count: int) -> None:
    print(f"5. A batch of {count} notebook submissions")
    folder = work / "batch"
    paths = make_batch(folder, count)
    t = time.perf_counter()
    sequential = {str(p.relative_to(work)): otter_run(p, work / "seq" / p.parent.name) for p in paths}
    seq_s = time.perf_counter() - t
    t = time.perf_counter()
    subprocess.run([str(BIN / "rnn-shapes"), "grade", "batch", "--jobs", "2", "--out", str(work / "tool")],
                   cwd=work, env=QUIET, check=True, capture_output=True)
    tool_s = time.perf_counter() - t
    with open(work / "tool" / "grades.csv") as f:
        rows = {r["submission"]: r for r in csv.DictReader(f)}
    same = all(
        all(float(rows[name][q]) == score for q, score in scores.items()) for name, scores in sequential.items()
    ) and len(rows) == len(sequential)
    line("sequential `otter run` loop", f"{seq_s:.1f} s ({seq_s / count:.1f} s each)")
    line("rnn-shapes grade --jobs 2", f"{tool_s:.1f} s ({tool_s / count:.1f} s each)")
    line("scores identical", "yes" if same else "NO")
    line("speed-up (target >= 4x)", f"{seq_s / tool_s:.2f}x " + ("met" if seq_s >= 4 * tool_s else "MISSED"))
    if seq_s < 4 * tool_s:
        cores = min(2, os.cpu_count() or 1)
        line(f"  bound: with 2 jobs on {cores} cores, the speed-up is at most {cores}x the ratio of",
             f"{seq_s / count:.1f} s (one otter run) to {cores * tool_s / count:.1f} s of a core (one in the batch)")


def make_mixed_class(folder: Path, count: int) -> list[Path]:
    """``count`` notebooks (:func:`make_batch`) and ``count`` ``.py`` files that import NumPy only."""
    from tests.support import AssignmentUnderTest

    paths = make_batch(folder, count)
    kit = AssignmentUnderTest("rnn_shapes")
    for i in range(count):
        path = folder / f"script{i:03d}" / "rnn_shapes.py"
        path.parent.mkdir(parents=True)
        path.write_text(kit.py_submission())
        paths.append(path)
    return paths


def mixed_class(work: Path, count: int) -> None:
    print(f"6. A mixed class: {count} notebooks and {count} .py files that do not import TensorFlow")
    folder = work / "mixed"
    paths = make_mixed_class(folder, count)
    sequential, took = {}, {".ipynb": [], ".py": []}
    line("load average at the start (1, 5, 15 min)", " ".join(f"{x:.1f}" for x in os.getloadavg()))
    cpu = _children_cpu()
    for path in paths:
        t = time.perf_counter()
        sequential[str(path.relative_to(work))] = otter_run(path, work / "mixed-seq" / path.parent.name)
        took[path.suffix].append(time.perf_counter() - t)
    seq_s = sum(sum(v) for v in took.values())
    seq_cpu, cpu = _children_cpu() - cpu, _children_cpu()
    t = time.perf_counter()
    subprocess.run([str(BIN / "rnn-shapes"), "grade", "mixed", "--jobs", "2", "--out", str(work / "mixed-tool")],
                   cwd=work, env=QUIET, check=True, capture_output=True)
    tool_s = time.perf_counter() - t
    tool_cpu = _children_cpu() - cpu
    with open(work / "mixed-tool" / "grades.csv") as f:
        rows = {r["submission"]: r for r in csv.DictReader(f)}
    same = all(
        all(float(rows[name][q]) == score for q, score in scores.items()) for name, scores in sequential.items()
    ) and len(rows) == len(sequential)
    in_batch: dict[str, list[float]] = {".ipynb": [], ".py": []}
    for record in (work / "mixed-tool" / "results").glob("*.json"):
        data = json.loads(record.read_text())
        in_batch[Path(data["submission"]).suffix].append(float(data["seconds"]))
    for suffix, times in took.items():
        line(f"`otter run` of one {suffix} (median of {len(times)})", f"{statistics.median(times):.1f} s")
        if in_batch[suffix]:
            line(f"  one {suffix} in the batch, two at once (median, wall)", f"{statistics.median(in_batch[suffix]):.1f} s")
    line("sequential `otter run` loop", f"{seq_s:.1f} s")
    line("rnn-shapes grade --jobs 2", f"{tool_s:.1f} s ({tool_s / len(paths):.1f} s each)")
    line("scores identical", "yes" if same else "NO")
    line("speed-up (target >= 4x)", f"{seq_s / tool_s:.2f}x " + ("met" if seq_s >= 4 * tool_s else "MISSED"))
    line("CPU, user + sys of every process: loop / batch", f"{seq_cpu:.1f} s / {tool_cpu:.1f} s = {seq_cpu / tool_cpu:.2f}x")
    line("load average at the end (1, 5, 15 min)", " ".join(f"{x:.1f}" for x in os.getloadavg()))


def _children_cpu() -> float:
    """User and system CPU seconds of every process this one started and waited for, theirs included
    (load disturbs it less than wall-clock time)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


CGROUP_MEMORY = Path("/sys/fs/cgroup/memory")


def _in_cgroup(args: list[str], name: str) -> tuple[list[str], Path | None]:
    """``args`` run in a fresh cgroup v1 memory group (where there is one to write), as in a container."""
    if not os.access(CGROUP_MEMORY, os.W_OK):
        return args, None
    group = CGROUP_MEMORY / f"rnn-shapes-bench-{name}-{os.getpid()}"
    group.mkdir()
    return ["sh", "-c", f'echo $$ > {group / "cgroup.procs"} && exec "$@"', "sh", *args], group


def _total_rss(group: Path) -> int:
    for row in (group / "memory.stat").read_text().splitlines():
        if row.startswith("total_rss "):
            return int(row.split()[1])
    return 0


def peak_memory(work: Path) -> None:
    print("3. Peak memory of one grading run (sampled every 50 ms)")
    import nbformat
    import psutil

    from assignments.rnn_shapes.tests.helpers import notebook_submission

    nb_path = work / "mem" / "rnn_shapes.ipynb"
    nb_path.parent.mkdir(parents=True)
    nbformat.write(notebook_submission(STUDENT), nb_path)
    out = work / "mem" / "out"
    out.mkdir()
    args, group = _in_cgroup([str(BIN / "otter"), "run", "-a", str(ZIP), "-o", str(out), "--no-logo", str(nb_path)], "mem")
    proc = psutil.Popen(args, cwd=out, env=QUIET, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peaks: dict[str, int] = {}
    total_peak = cgroup_peak = 0
    while proc.poll() is None:
        total = 0
        try:
            for p in [proc, *proc.children(recursive=True)]:
                rss = p.memory_info().rss
                total += rss
                cmd = " ".join(p.cmdline())
                role = ("judge" if "judge" in cmd else "kernel" if "ipykernel" in cmd
                        else "template, or a kernel or sealed run it forked" if "gradecore.host.forkserver" in cmd
                        else "otter" if p.pid == proc.pid else "other")
                peaks[role] = max(peaks.get(role, 0), rss)
        except psutil.Error:
            pass
        total_peak = max(total_peak, total)
        if group is not None:
            cgroup_peak = max(cgroup_peak, _total_rss(group))
        time.sleep(0.05)
    for role, rss in sorted(peaks.items()):
        line(f"{role} process peak", f"{rss / 2**20:.0f} MiB")
    line("sum of the processes' RSS, peak", f"{total_peak / 2**20:.0f} MiB")
    if group is not None:
        group.rmdir()
        peak = cgroup_peak
        line("cgroup total_rss, peak (target <= 500 MiB)", f"{peak / 2**20:.0f} MiB " + ("met" if peak <= 500 * 2**20 else "MISSED"))
    else:
        line("cgroup total_rss", "not measured: no writable cgroup v1 memory controller here")
        peak = total_peak
    if peak > 500 * 2**20:
        biggest = max(peaks, key=peaks.get)
        line(f"  bound: the largest process, {biggest}", f"{peaks[biggest] / 2**20:.0f} MiB")


HANG = "def manual_forward(x, Wx, Wh, bh, Wo, bo):\n    while True:\n        pass\n"


def hang(work: Path) -> None:
    print("4. A submission whose manual_forward never returns, graded end to end")
    from assignments.rnn_shapes.tests.helpers import py_submission
    from gradecore.protocol import limits

    path = work / "hang" / "rnn_shapes.py"
    path.parent.mkdir(parents=True)
    path.write_text(py_submission({"manual_forward": HANG}))
    t = time.perf_counter()
    scores = otter_run(path, work / "hang" / "out")
    took = time.perf_counter() - t
    line(f"otter run (score {sum(scores.values()):g}, manual_forward {scores.get('manual_forward')})",
         f"{took:.1f} s (target <= 30 s) " + ("met" if took <= 30 else "MISSED"))
    line("  of which the per-call limit of the hanging function", f"{limits.TIME_LIMIT_S:g} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=int, default=60, help="notebooks in the batch (default 60)")
    parser.add_argument("--mixed", type=int, default=4, help="notebooks, and as many .py files, in the mixed class (default 4)")
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--execute-only", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--hidden-side", choices=["ours", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=["hidden", "e2e", "memory", "hang", "batch", "mixed"], help="run one section")
    args = parser.parse_args()
    if args.hidden_side:
        hidden_side(args.hidden_side)
        return
    if args.execute_only:
        execute_only(args.execute_only)
        return
    if not ZIP.exists():
        sys.exit("build first: make dist")
    print(f"rnn-shapes grading benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    work = Path(tempfile.mkdtemp(prefix="rnn-shapes-bench-"))
    try:
        if args.only == "hidden":
            hidden_check_phase()
            return
        if args.only in ("memory", "hang", "batch", "mixed"):
            {"memory": peak_memory, "hang": hang, "batch": lambda w: batch(w, args.batch),
             "mixed": lambda w: mixed_class(w, args.mixed)}[args.only](work)
            return
        end_to_end(work)
        if args.only == "e2e":
            return
        peak_memory(work)
        hang(work)
        if not args.skip_batch:
            batch(work, args.batch)
            mixed_class(work, args.mixed)
        hidden_check_phase()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
