"""Where the instructor's secret lives, made on the first build and kept across rebuilds.

The secret (32 random bytes, hex in a file of its own) is what every hidden case comes from
(:mod:`gradecore.judge.secret`): the build's cases, each grading's fresh ones and their ids. It
lives outside the repository, in the instructor's configuration folder
(``$XDG_CONFIG_HOME/rnn-shapes/secret``, else ``~/.config/rnn-shapes/secret``; the
``SECRET_FILE`` setting names another), so that the same sources and secret build byte-identical
zips and every build's case ids stay the same. ``rnn-shapes secret --rotate`` draws a new one.
The ``SEED`` setting replaces it with one made from a number (tests, development).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from ..judge import secret as judge_secret
from ..protocol.settings import value

SECRET_BYTES = 32


def secret_path() -> Path:
    """The secret's file: the ``SECRET_FILE`` setting, else the XDG configuration folder's."""
    named = value("SECRET_FILE")
    if named:
        return Path(named).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(config) / "rnn-shapes" / "secret"


def _write(path: Path, secret: bytes) -> None:
    """Write ``secret`` to ``path`` readable by its owner only, replacing the file at once."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secret.hex() + "\n")
    os.replace(partial, path)


def read_secret(path: Path) -> bytes:
    """The secret in ``path``; ValueError where the file is not one."""
    text = path.read_text().strip()
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        raise ValueError(f"{path} does not hold a secret (hex digits): rotate it with `rnn-shapes secret --rotate`") from None
    if len(secret) < 16:
        raise ValueError(f"{path} holds a secret of {len(secret)} bytes, too short: rotate it with `rnn-shapes secret --rotate`")
    return secret


def instructor_secret(development_seed: int | None = None) -> bytes:
    """The secret a build ships: the ``SEED`` setting's where set, else ``development_seed``'s
    where given (the tests' builds), else the secret file's, made on first use."""
    pinned = value("SEED")
    if pinned is not None:
        return judge_secret.from_seed(pinned)
    if development_seed is not None:
        return judge_secret.from_seed(development_seed)
    path = secret_path()
    if not path.exists():
        _write(path, secrets.token_bytes(SECRET_BYTES))
    return read_secret(path)


def rotate() -> Path:
    """Draw a new secret in place of the old one; return its file. Zips built before keep the old
    secret (their feedback ids map back with them); the next build ships the new one."""
    path = secret_path()
    _write(path, secrets.token_bytes(SECRET_BYTES))
    return path
