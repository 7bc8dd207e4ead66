"""Grade submissions in real containers, as Gradescope and ``otter grade`` do, and check that every
score equals ``otter run``'s.

    .venv/bin/python container/check.py                         # every dist/*/autograder/autograder.zip
    .venv/bin/python container/check.py --zip dist/rnn_shapes/autograder/autograder.zip --no-examples
    .venv/bin/python container/check.py --examples path/to/submissions --variants correct buggy
    .venv/bin/python container/check.py --no-examples --no-variants         # the attacks only
    .venv/bin/python container/check.py --no-attacks --env GRADECORE_FRESH_CASES=on   # a setting, everywhere

For each zip: build the base image (once) and the zip's grading image (once per zip), then grade
each submission three ways: ``otter run`` here (the reference); in a container with no network and
an empty ``submission_metadata.json`` (as ``otter grade``'s image has it); in a container with no
network, a Gradescope-shaped metadata file and Gradescope's default limits (768 MB, 1 CPU), with
its peak memory. Then grades the assignment's attack submissions (``tests/attacks/<assignment>/``,
see ``attacks.py``) in the Gradescope-shaped container, each judged as the attack suite judges it.
Before the zips, runs the sandbox's own tests in a container of the base image, as root and as an
ordinary user (``sandbox.py``): its defences under Docker's default seccomp profile and
capabilities. Prints one table per zip and one per assignment's attacks; exits 1 if any score
differs from ``otter run``'s, an attack earns other than its EXPECT, breaches or leaks, or a
sandbox test fails.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

import images  # noqa: E402
import sandbox  # noqa: E402
import submissions  # noqa: E402

import attacks  # noqa: E402
import grading  # noqa: E402


def assignment_of(zip_path: Path) -> str:
    """``dist/<assignment>/autograder/autograder.zip`` -> ``<assignment>``."""
    return zip_path.resolve().parents[1].name


def cell(outcome: grading.Outcome) -> str:
    if outcome.status == "graded":
        return f"{outcome.total:g}"
    return f"{outcome.total:g} ({outcome.status})"


def build_images(zip_path: Path) -> str:
    """The base image and the zip's grading image, built unless cached; says how long each took."""
    assignment = assignment_of(zip_path)
    base_s = images.build_base()
    log = Path(tempfile.gettempdir()) / f"rnn-shapes-image-{assignment}.log"
    image, image_s = images.build_grading(zip_path, log=log)
    print(f"\n== {assignment}: {zip_path}")
    print(f"   base image {images.BASE_IMAGE}: {'cached' if not base_s else f'built in {base_s:.0f} s'}; "
          f"grading image {image}: {'cached' if not image_s else f'built in {image_s:.0f} s (log {log})'}")
    return image


def check_zip(zip_path: Path, image: str, subs: list[submissions.Submission], timeout: float, verbose: bool,
              env: dict[str, str] | None = None) -> bool:
    env = env or {}
    header = ("submission", "otter run", "docker", "gradescope", "s otter", "s docker", "s gs", "cpu s gs",
              "peak rss MiB", "max usage MiB", "ok")
    rows, ok_all = [], True
    for sub in subs:
        ref = grading.otter_run(zip_path, sub.path, timeout, env)
        plain = grading.in_container(image, sub.path, None, timeout, env=env)
        limited = grading.in_container(image, sub.path, grading.GRADESCOPE_METADATA, timeout,
                                       grading.GRADESCOPE_LIMITS, env=env)
        # A file otter cannot grade (a notebook that is not JSON) agrees when it fails alike everywhere.
        ok = all(o.scores == ref.scores and o.status == ref.status for o in (plain, limited))
        ok_all &= ok
        rows.append((sub.label, cell(ref), cell(plain), cell(limited), f"{ref.seconds:.0f}",
                     f"{plain.seconds:.0f}", f"{limited.seconds:.0f}", grading.mib(limited.cpu_s),
                     grading.mib(limited.peak_rss_mib),
                     grading.mib(limited.max_usage_mib), "yes" if ok else "NO"))
        print("   " + "  ".join(rows[-1]), flush=True)
        if not ok or verbose:
            for what, outcome in (("otter run", ref), ("docker", plain), ("gradescope", limited)):
                if not ok or outcome.status != "graded" or verbose:
                    print(f"     {what}: {outcome.status}, exit {outcome.exit_code}, oom kills "
                          f"{outcome.oom_kills}, scores {outcome.scores}")
                    print(f"       isolation: {grading.isolation_of(outcome) or '? (no grading facts in results.json)'}")
                    if grading.fault_of(outcome):
                        print(f"       fault of the machine: {grading.fault_of(outcome)}")
                    if outcome.log_tail:
                        print("       | " + outcome.log_tail[-1200:].replace("\n", "\n       | "))
                    # every side's, where they differ (the reference's own may be the odd one out)
                    for test in outcome.raw.get("tests", []) if not ok else []:
                        # What the feedback said about each function, to tell why a score differs.
                        text = str(test.get("output", ""))[-600:].replace("\n", "\n       > ")
                        print(f"       > {test.get('name')}: {text}")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print()
    for row in [header, *rows]:
        print("   " + "  ".join(str(v).ljust(w) for v, w in zip(row, widths)))
    print(f"   {len(rows)} submissions; columns: total points by otter run here, in a container with an "
          "empty metadata file and --network none, and at Gradescope's defaults (--memory 768m "
          "--memory-swap 768m --cpus 1, Gradescope metadata); seconds per submission; CPU seconds "
          "the Gradescope-limited container used (cpuacct.usage; steadier than wall time on a loaded "
          "machine); peak memory "
          "of the Gradescope-limited container (total_rss sampled every 0.1 s; max_usage_in_bytes "
          "includes page cache).")
    return ok_all and bool(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zip", type=Path, action="append",
                        help="autograder zip (repeatable; default: every dist/*/autograder/autograder.zip)")
    parser.add_argument("--examples", type=Path, action="append",
                        help="folder of sample submissions (repeatable; default: the assignment's examples)")
    parser.add_argument("--no-examples", action="store_true", help="grade only the generated variants")
    parser.add_argument("--variants", nargs="*", default=None,
                        help="variants of the solution to generate (default: correct buggy hang crash)")
    parser.add_argument("--no-variants", action="store_true", help="generate no variant of the solution")
    parser.add_argument("--no-attacks", action="store_true", help="grade no attack submission")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="skip the sandbox's tests in a container (sandbox.py)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per grading (default 900)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting for every grading, otter run's and the containers' (repeatable), "
                             "e.g. GRADECORE_FRESH_CASES=on")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every grading's log tail")
    args = parser.parse_args(argv)
    env = dict(item.split("=", 1) for item in args.env)
    zips = args.zip or sorted(ROOT.glob("dist/*/autograder/autograder.zip"))
    if not zips:
        print("no autograder zip: run `make dist` first", file=sys.stderr)
        return 2
    ok = True
    if not args.no_sandbox:
        images.build_base()
        ok &= sandbox.check_sandbox(images.BASE_IMAGE, verbose=args.verbose)
    with tempfile.TemporaryDirectory(prefix="rnn-shapes-variants-") as tmp:
        for zip_path in zips:
            assignment = assignment_of(zip_path)
            subs = [] if args.no_variants else submissions.generated(assignment, Path(tmp), args.variants)
            if not args.no_examples:
                folders = args.examples or [submissions.examples_dir(assignment)]
                for folder in filter(None, folders):
                    subs += submissions.samples(folder)
            image = build_images(zip_path)
            if subs:
                ok &= check_zip(zip_path, image, subs, args.timeout, args.verbose, env)
            if not args.no_attacks and attacks.has_attacks(assignment):
                ok &= attacks.check_attacks(assignment, zip_path, image, args.timeout, args.verbose)
    print("\nall scores equal otter run's, every attack its EXPECT, the sandbox's tests pass" if ok
          else "\nMISMATCH: a container score differs from otter run's, an attack or a sandbox test failed (above)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
