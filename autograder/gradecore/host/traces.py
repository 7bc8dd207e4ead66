"""What a sandboxed run leaves in the file system, undone: its folders removed whatever modes it
left them in, and the access times its reads set put back."""

from __future__ import annotations

import os
import shutil


def remove_tree(path: str) -> None:
    """Remove ``path`` and all it holds, also a folder its maker left unreadable or unwritable
    (a sandboxed process may make one but, under seccomp, not change its mode back)."""
    def opened_and_again(function, failed, _info) -> None:
        try:
            for folder in (failed, os.path.dirname(failed)):
                if os.path.isdir(folder) and not os.path.islink(folder):
                    os.chmod(folder, 0o700)
            function(failed)
        except OSError:
            pass

    if os.path.isdir(path) and not os.path.islink(path):
        for folder, dirs, _ in os.walk(path):
            for name in dirs:
                inner = os.path.join(folder, name)
                if not os.path.islink(inner):
                    try:
                        os.chmod(inner, 0o700)
                    except OSError:
                        pass
        shutil.rmtree(path, onerror=opened_and_again)
    elif os.path.lexists(path):
        os.remove(path)


def access_times(folders: list[str]) -> dict[str, tuple[int, int]]:
    """The access and modification times of each entry under ``folders`` (the folders too),
    links not followed."""
    found = {}
    for top in folders:
        for folder, dirs, files in os.walk(top):
            for entry in (folder, *(os.path.join(folder, name) for name in (*dirs, *files))):
                try:
                    info = os.lstat(entry)
                except OSError:
                    continue
                found[entry] = (info.st_atime_ns, info.st_mtime_ns)
    return found


def restore_times(times: dict[str, tuple[int, int]]) -> None:
    """Set each entry's times back to ``times`` (:func:`access_times`), links not followed."""
    for entry, (atime, mtime) in times.items():
        try:
            if os.lstat(entry).st_atime_ns != atime:
                os.utime(entry, ns=(atime, mtime), follow_symlinks=False)
        except OSError:
            pass
