"""Hold memory where no limit of the sandbox counts it: in memory files (``memfd_create``).

A memory file written with ``write`` and never mapped holds its pages outside the address space
(``RLIMIT_AS``: a graded call's 1 GiB, the kernel's 8 GiB), outside every scratch folder the disk
watch walks, and outside what the out-of-memory killer weighs a process by, so that a neighbour's
kernel would be killed before the holder. Until 2026-12-08 seccomp allowed it: a graded call held
1.5 GiB in 64 MiB files (each under ``RLIMIT_FSIZE``) past its 1 GiB limit (attack7,
``memory_outside_rlimit.py``, held out). The kernel makes one file of 64 MiB here and says so
(``ATTACK-BREACH``) where it could; the sealed run tries the same at its top level.
"""

import os  # noqa: E402


def held_in_a_memory_file():
    try:
        fd = os.memfd_create("held")
    except OSError:
        return 0
    try:
        for _ in range(4):
            os.write(fd, b"\x01" * (16 << 20))
        return 64
    except OSError:
        return 0
    finally:
        os.close(fd)


if held_in_a_memory_file():
    raise RuntimeError("ATTACK-BREACH memory_files: 64 MiB held in a memory file")
