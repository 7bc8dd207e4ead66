"""The instructor's secret, the seeds drawn from it, and the case ids that map back to a grading.

gradecore.judge.secret (what the judge derives) and gradecore.cli.secret (where the instructor's
secret lives): fast, no TensorFlow. Every test points the secret's file into its own folder.
"""

from __future__ import annotations

import os
import stat

import pytest

from gradecore.cli import secret as instructor
from gradecore.judge import secret


@pytest.fixture
def secret_file(tmp_path, monkeypatch):
    path = tmp_path / "config" / "rnn-shapes" / "secret"
    monkeypatch.setenv("GRADECORE_SECRET_FILE", str(path))
    monkeypatch.delenv("GRADECORE_SEED", raising=False)
    monkeypatch.delenv("RNN_SHAPES_SEED", raising=False)
    return path


def test_case_ids_decipher_to_their_grading_and_index_and_differ_per_secret():
    ids = secret.CaseIds(secret.from_seed(1))
    pairs = [(0, 0), (1, 0), (0, 1), (2**48 - 1, 2**16 - 1), (123456789, 17)]
    names = [ids.encode(*pair) for pair in pairs]
    assert all(len(name) == secret.ID_DIGITS and int(name, 16) >= 0 for name in names)
    assert [ids.decode(name) for name in names] == pairs
    assert len(set(names)) == len(names)
    other = secret.CaseIds(secret.from_seed(2))
    assert all(other.encode(*pair) != name for pair, name in zip(pairs, names))
    with pytest.raises(ValueError):
        ids.encode(2**48, 0)


def test_neighbouring_cases_have_unrelated_ids():
    """An id shows nothing of its index: the ids of one grading's cases share no prefix or suffix."""
    ids = secret.CaseIds(secret.from_seed(3))
    names = [ids.encode(99, index) for index in range(8)]
    assert len({name[:4] for name in names}) >= 6 and len({name[-4:] for name in names}) >= 6


def test_each_grading_draws_its_own_nonce_and_seed():
    key = secret.from_seed(4)
    nonces = {secret.new_nonce() for _ in range(16)}
    assert len(nonces) == 16 and all(0 <= n < 2**secret.NONCE_BITS for n in nonces)
    seeds = {secret.grading_seed(key, n) for n in nonces}
    assert len(seeds) == 16 and secret.build_seed(key) not in seeds
    assert secret.grading_seed(key, 5) == secret.grading_seed(key, 5) != secret.grading_seed(secret.from_seed(5), 5)


def test_the_first_build_makes_the_secret_and_later_ones_keep_it(secret_file):
    assert not secret_file.exists()
    first = instructor.instructor_secret()
    assert secret_file.is_file() and len(first) == instructor.SECRET_BYTES
    assert stat.S_IMODE(os.stat(secret_file).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(secret_file.parent).st_mode) == 0o700
    assert instructor.instructor_secret() == first
    assert instructor.rotate() == secret_file
    rotated = instructor.instructor_secret()
    assert rotated != first and instructor.instructor_secret() == rotated


def test_the_default_place_is_the_xdg_configuration_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("GRADECORE_SECRET_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert instructor.secret_path() == tmp_path / "rnn-shapes" / "secret"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert instructor.secret_path() == tmp_path / "home" / ".config" / "rnn-shapes" / "secret"


def test_a_pinned_seed_or_a_development_seed_stands_for_the_file(secret_file, monkeypatch):
    assert instructor.instructor_secret(development_seed=7) == secret.from_seed(7)
    monkeypatch.setenv("GRADECORE_SEED", "12345")
    assert instructor.instructor_secret() == secret.from_seed(12345)
    assert instructor.instructor_secret(development_seed=7) == secret.from_seed(12345)
    assert not secret_file.exists(), "a pinned seed makes no secret file"


def test_a_damaged_secret_file_is_refused_with_the_way_out(secret_file):
    secret_file.parent.mkdir(parents=True)
    secret_file.write_text("not a secret\n")
    with pytest.raises(ValueError, match="rotate"):
        instructor.instructor_secret()
    secret_file.write_text("abcd\n")
    with pytest.raises(ValueError, match="too short"):
        instructor.instructor_secret()
