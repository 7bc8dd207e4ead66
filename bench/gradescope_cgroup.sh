#!/bin/bash
# One `otter run` in a cgroup v1 shaped like Gradescope's container: 768 MiB (swap included) and
# 1 CPU. Prints the wall and CPU time, the cgroup's peak (page cache included), how many processes
# the out-of-memory killer ended, and the score. Needs root and cgroup v1 (this build machine).
#
#   bench/gradescope_cgroup.sh NAME dist/rnn_bptt/autograder/autograder.zip SUBMISSION [on|off|auto]
set -eu
name=$1 zip=$(realpath "$2") sub=$(realpath "$3") fresh=${4:-auto}
root=$(cd "$(dirname "$0")/.." && pwd)
M=/sys/fs/cgroup/memory/gradescope-$name C=/sys/fs/cgroup/cpu/gradescope-$name A=/sys/fs/cgroup/cpuacct/gradescope-$name
mkdir "$M" "$C" "$A"
trap 'rmdir "$M" "$C" "$A"' EXIT
echo $((768 * 2**20)) > "$M/memory.limit_in_bytes"
echo $((768 * 2**20)) > "$M/memory.memsw.limit_in_bytes" 2>/dev/null || true
echo 100000 > "$C/cpu.cfs_period_us"; echo 100000 > "$C/cpu.cfs_quota_us"
out=$(mktemp -d "${TMPDIR:-/tmp}/gradescope-$name-XXXX")
start=$(date +%s.%N)
( for g in "$M" "$C" "$A"; do echo $BASHPID > "$g/cgroup.procs"; done
  cd "$out" && GRADECORE_FRESH_CASES=$fresh exec "$root/.venv/bin/otter" run -a "$zip" -o "$out" --no-logo "$sub" > "$out/log" 2>&1 ) || true
end=$(date +%s.%N)
score=$(python3 -c "import json; r = json.load(open('$out/results.json')); print(sum(t.get('score') or 0 for t in r['tests']))" 2>/dev/null || echo "no results.json")
echo "$name fresh=$fresh wall=$(python3 -c "print(round($end - $start, 1))") s" \
     "cpu=$(( $(cat "$A/cpuacct.usage") / 1000000000 )) s max_usage=$(( $(cat "$M/memory.max_usage_in_bytes") / 2**20 )) MiB" \
     "killed_for_memory=$(awk '$1 == "oom_kill" {print $2}' "$M/memory.oom_control")" \
     "score=$score load=$(cut -d' ' -f1 /proc/loadavg)"
rm -rf "$out"
