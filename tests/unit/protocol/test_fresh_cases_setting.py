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
