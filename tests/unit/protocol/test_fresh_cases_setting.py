"""Whether a grading draws fresh hidden cases (gradecore.protocol.limits.fresh_cases)."""

from gradecore.protocol import limits


def test_auto_draws_fresh_cases_where_the_memory_holds_a_truth_worker(monkeypatch):
    monkeypatch.delenv("GRADECORE_FRESH_CASES", raising=False)
    memory_mb = limits.memory_bytes() / 2**20
    monkeypatch.setenv("GRADECORE_FRESH_CASES_MIN_MB", str(int(memory_mb) - 1))
    assert limits.fresh_cases() == (True, "on (drawn for this grading)")
    monkeypatch.setenv("GRADECORE_FRESH_CASES_MIN_MB", str(int(memory_mb) + 1024))
    fresh, note = limits.fresh_cases()
    assert not fresh and note.startswith("off: the build's cases") and "GRADECORE_FRESH_CASES=on" in note


def test_on_and_off_are_the_instructors_word(monkeypatch):
    monkeypatch.setenv("GRADECORE_FRESH_CASES_MIN_MB", str(10**9))
    monkeypatch.setenv("GRADECORE_FRESH_CASES", "on")
    assert limits.fresh_cases()[0]
    monkeypatch.setenv("GRADECORE_FRESH_CASES_MIN_MB", "1")
    monkeypatch.setenv("GRADECORE_FRESH_CASES", "off")
    fresh, note = limits.fresh_cases()
    assert not fresh and "GRADECORE_FRESH_CASES=off" in note


def test_the_memory_read_is_the_least_of_the_machine_and_its_container():
    with open("/proc/meminfo") as f:
        total = int(next(line for line in f if line.startswith("MemTotal:")).split()[1]) * 1024
    assert 0 < limits.memory_bytes() <= total


def test_a_truth_worker_that_imports_tensorflow_itself_needs_more_memory_than_a_forked_one(monkeypatch):
    """Forked from the grading's template, the worker shares TensorFlow's pages: auto asks for
    FRESH_CASES_MIN_MB only; a fresh one (templates off) for FRESH_WORKER_MIN_MB at least."""
    monkeypatch.delenv("GRADECORE_FRESH_CASES", raising=False)
    memory_mb = int(limits.memory_bytes() / 2**20)
    monkeypatch.setenv("GRADECORE_FRESH_CASES_MIN_MB", str(memory_mb - 1))
    monkeypatch.setattr(limits, "FRESH_WORKER_MIN_MB", memory_mb + 1024)
    assert limits.fresh_cases(forked=True)[0]
    fresh, note = limits.fresh_cases(forked=False)
    assert not fresh and "imports TensorFlow itself" in note


def test_the_kernel_waits_for_the_truth_worker_where_memory_is_short(monkeypatch):
    memory_mb = int(limits.memory_bytes() / 2**20)
    monkeypatch.setenv("GRADECORE_KERNEL_AFTER_TRUTHS_MB", str(memory_mb + 1))
    assert limits.kernel_after_truths()
    monkeypatch.setenv("GRADECORE_KERNEL_AFTER_TRUTHS_MB", str(memory_mb - 1))
    assert not limits.kernel_after_truths()
    monkeypatch.setenv("GRADECORE_KERNEL_AFTER_TRUTHS_MB", "0")
    assert not limits.kernel_after_truths()


def test_the_memory_read_counts_the_limit_of_the_cgroup_this_process_is_in():
    """A cgroup made on the host (no container) shows under the mount by its path: its limit counts."""
    for path in limits.own_cgroup_files():
        try:
            with open(path) as f:
                raw = f.read().strip()
        except OSError:
            continue
        if raw.isdigit() and int(raw) < 2**60:
            assert limits.memory_bytes() <= int(raw)
