"""Grade the held-out class on a one-node Slurm cluster through dask-jobqueue, and check its rows.

    .venv/bin/python container/cluster_check.py          # = make cluster-check (root, Debian)

Steps, each said as it happens:

1. installs Debian's ``slurm-wlm`` and ``munge`` where they are missing (``apt-get``);
2. starts ``munged`` (with a key made by ``mungekey`` where there is none), then ``slurmctld`` and
   ``slurmd`` from a ``slurm.conf`` written under ``build/slurm/`` (one node, this machine, its CPUs
   and memory; ``SLURM_CONF`` points every Slurm command there, /etc/slurm is left alone);
3. writes the 12-file held-out class of the tests (``assignments/rnn_shapes/tests/class_folder.py``)
   from the built student notebook, and grades it here with ``rnn-shapes grade --jobs 2``;
4. starts a Dask scheduler in this process through ``dask_jobqueue.SLURMCluster`` and asks Slurm for
   ``--jobs`` worker jobs (``sbatch``; one core and one Dask thread each), then grades the class with
   ``rnn-shapes grade --scheduler`` on them;
5. prints the Slurm jobs, both timings and the rows, and exits 1 unless every output (grades.csv,
   feedback, records less their durations) equals local grading's. Slurm's daemons are stopped at
   the end, once the worker jobs have left the queue, and munged if this run started it
   (``--keep-slurm`` leaves them running).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SLURM = ROOT / "build" / "slurm"
PARTITION = "grading"
NODE_READY_S = 120
STOP_WAIT_S = 60


def say(text: str) -> None:
    print(f"[cluster-check] {text}", flush=True)


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=True, text=True, capture_output=True, **kwargs)


def install() -> None:
    """Debian's slurm-wlm and munge, unless their daemons are already on PATH."""
    if all(shutil.which(name) for name in ("slurmctld", "slurmd", "sbatch", "munged")):
        say("slurm-wlm and munge: installed")
        return
    if os.geteuid() != 0:
        sys.exit("cluster-check: needs root to install slurm-wlm and munge (apt-get) and to run slurmd")
    say("installing slurm-wlm and munge with apt-get")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "slurm-wlm", "munge"],
                   check=True, env=env)


def _running(name: str) -> bool:
    """Whether a process of that name runs (a zombie left by an earlier run does not)."""
    pids = subprocess.run(["pgrep", "-x", name], capture_output=True, text=True).stdout.split()
    return any(_alive(int(pid)) for pid in pids)


def start_munge(started: dict[str, int]) -> None:
    """munged as Debian's package sets it up (user munge), with a key of its own."""
    key = Path("/etc/munge/munge.key")
    if not key.exists():
        run(["mungekey", "--create", "--keyfile", str(key)])
        shutil.chown(key, "munge", "munge")
        key.chmod(0o400)
    for folder in ("/run/munge", "/var/log/munge", "/var/lib/munge"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.chown(folder, "munge", "munge")
    if not _running("munged"):
        run(["runuser", "-u", "munge", "--", "munged"])
        started["munged"] = _pid(Path("/run/munge/munged.pid"))
    credential = run(["munge", "-n"]).stdout
    run(["unmunge"], input=credential)
    say("munged: running, a credential made and checked")


def slurm_conf(node: str) -> str:
    cpus = os.cpu_count() or 1
    with open("/proc/meminfo") as f:
        total_kb = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
    memory_mb = int(total_kb / 1024 * 0.9)
    return f"""# One-node Slurm for make cluster-check (written by container/cluster_check.py).
ClusterName=rnnshapes
SlurmctldHost={node}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation={SLURM}/state
SlurmdSpoolDir={SLURM}/spool
SlurmctldPidFile={SLURM}/slurmctld.pid
SlurmdPidFile={SLURM}/slurmd.pid
SlurmctldLogFile={SLURM}/slurmctld.log
SlurmdLogFile={SLURM}/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
NodeName={node} CPUs={cpus} RealMemory={memory_mb} State=UNKNOWN
PartitionName={PARTITION} Nodes={node} Default=YES MaxTime=INFINITE State=UP
"""


def start_slurm(started: dict[str, int]) -> str:
    """slurmctld and slurmd on this machine; returns the node's name once it is idle."""
    node = socket.gethostname().split(".")[0]
    for folder in ("state", "spool"):
        (SLURM / folder).mkdir(parents=True, exist_ok=True)
    conf = SLURM / "slurm.conf"
    conf.write_text(slurm_conf(node))
    os.environ["SLURM_CONF"] = str(conf)
    for daemon in ("slurmctld", "slurmd"):
        if _running(daemon):
            say(f"{daemon}: already running")
            continue
        run([daemon, "-f", str(conf)] if daemon == "slurmctld" else [daemon, "-f", str(conf), "-N", node])
        started[daemon] = _pid(SLURM / f"{daemon}.pid")
    deadline = time.monotonic() + NODE_READY_S
    state = ""
    while time.monotonic() < deadline:
        state = subprocess.run(["sinfo", "-h", "-N", "-o", "%T", "-n", node], capture_output=True,
                               text=True).stdout.strip()
        if state.startswith("idle") or state.startswith("mixed"):
            break
        if state.startswith(("down", "drain")):
            subprocess.run(["scontrol", "update", f"nodename={node}", "state=resume"], capture_output=True)
        time.sleep(1)
    else:
        logs = "".join((SLURM / f"{d}.log").read_text()[-1500:] for d in ("slurmctld", "slurmd")
                       if (SLURM / f"{d}.log").exists())
        sys.exit(f"cluster-check: the Slurm node {node} is not idle after {NODE_READY_S} s ({state!r}):\n{logs}")
    say(f"Slurm: {run(['sinfo', '--version']).stdout.strip()}, node {node} {state} "
        f"({run(['sinfo', '-h', '-N', '-o', '%c CPUs %m MB', '-n', node]).stdout.strip()})")
    return node


def _pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def stop(started: dict[str, int]) -> None:
    """Once the worker jobs have ended: ``scontrol shutdown`` (slurmctld and slurmd), then munged,
    each only if this run started it; a daemon still there after ``STOP_WAIT_S`` is killed."""
    deadline = time.monotonic() + STOP_WAIT_S
    while subprocess.run(["squeue", "-h"], capture_output=True, text=True).stdout.strip():
        if time.monotonic() > deadline:
            say("jobs still in the queue: " + subprocess.run(["squeue", "-h"], capture_output=True, text=True).stdout)
            break
        time.sleep(1)
    if "slurmctld" in started or "slurmd" in started:
        subprocess.run(["scontrol", "shutdown"], capture_output=True)
    if "munged" in started:
        os.kill(started["munged"], signal.SIGTERM)
    deadline = time.monotonic() + STOP_WAIT_S
    for name, pid in started.items():
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.5)
        if _alive(pid):
            say(f"{name} (pid {pid}) did not stop: killed")
            os.kill(pid, signal.SIGKILL)
    say(f"stopped what this run started: {', '.join(started) or 'nothing'}")


def _alive(pid: int) -> bool:
    from gradecore.host import procs

    return procs.alive(pid)


def grade(args: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    started = time.monotonic()
    proc = subprocess.run([str(Path(sys.executable).with_name("rnn-shapes")), "grade", *map(str, args)],
                          capture_output=True, text=True)
    return time.monotonic() - started, proc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=2, help="Slurm jobs, one Dask worker of one core each (default 2)")
    parser.add_argument("--keep-slurm", action="store_true", help="leave slurmctld and slurmd running")
    args = parser.parse_args()
    autograder = ROOT / "dist" / "rnn_shapes" / "autograder" / "autograder.zip"
    notebook = ROOT / "dist" / "rnn_shapes" / "student" / "rnn_shapes.ipynb"
    if not autograder.is_file():
        sys.exit("cluster-check: no dist/rnn_shapes: run `make dist` first")
    install()
    started: dict[str, int] = {}
    try:
        start_munge(started)
        node = start_slurm(started)
        return check(autograder, notebook, node, args.jobs)
    finally:
        if not args.keep_slurm:
            stop({name: pid for name, pid in started.items() if pid})


def check(autograder: Path, notebook: Path, node: str, jobs: int) -> int:
    import dask
    from dask_jobqueue import SLURMCluster

    from assignments.rnn_shapes.tests.class_folder import outputs, write_class

    work = SLURM / "run"
    shutil.rmtree(work, ignore_errors=True)
    klass = write_class(work / "class", notebook)
    local_s, local = grade([klass, "--jobs", 2, "--out", work / "local", "--autograder", autograder, "--no-report"])
    assert local.returncode == 0, local.stderr[-3000:]
    say(f"local grading (rnn-shapes grade --jobs 2): {local_s:.1f} s")

    # A grading is seconds long: the scheduler hands each worker one task per thread, no more.
    dask.config.set({"distributed.scheduler.worker-saturation": 1.0})
    with SLURMCluster(queue=PARTITION, cores=1, processes=1, memory="4GiB", walltime="01:00:00",
                      python=sys.executable, log_directory=str(work / "slurm-logs"),
                      local_directory=str(work / "dask"), scheduler_options={"dashboard_address": None}) as cluster:
        say("the worker job's script:\n" + cluster.job_script())
        cluster.scale(jobs=jobs)
        from distributed import Client

        with Client(cluster) as client:
            client.wait_for_workers(jobs, timeout=300)
            say("Slurm jobs:\n" + run(["squeue", "-o", "%.8i %.9P %.20j %.8T %.10M %R"]).stdout.rstrip())
            workers = client.scheduler_info()["workers"].values()
            say(f"Dask workers: {', '.join(sorted(w['name'] for w in workers))} on {node}")
        dask_s, remote = grade([klass, "--scheduler", cluster.scheduler_address, "--out", work / "slurm",
                                "--autograder", autograder, "--no-report"])
    assert remote.returncode == 0, remote.stderr[-3000:]
    say(f"grading on Slurm (rnn-shapes grade --scheduler {cluster.scheduler_address}, {jobs} jobs): {dask_s:.1f} s")
    print(remote.stdout.split("\n\n")[0])
    same = outputs(work / "slurm") == outputs(work / "local")
    rows = len((work / "slurm" / "grades.csv").read_text().splitlines()) - 1
    say(f"{rows} rows; grades.csv, feedback and records equal to local grading: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
