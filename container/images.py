"""Docker images for grading as Gradescope and ``otter grade`` do, built offline.

The base image is Debian bookworm (Python 3.11, as the zips pin) made with ``debootstrap`` and
``docker import``, since Docker Hub is out of reach. It trusts the host's extra CA certificates
(so that pip and apt inside reach their registries as the host does) and holds the stand-ins for
what otter's setup.sh downloads from GitHub (``stand-in/``). A grading image is the base plus one
autograder zip, laid out as Gradescope does: the zip unpacked to ``/autograder/source``, its
``run_autograder`` copied to ``/autograder/run_autograder`` unmodified, its ``setup.sh`` run.
Both are cached by tag: the base by name, a grading image by the zip's SHA-256 and the base's id.
Every build of a zip draws a new secret seed, so a new zip is the rule: its grading image reuses
the environment that ``setup.sh`` installed from Docker's layer cache wherever what ``setup.sh``
reads is unchanged (:data:`SETUP_INPUTS`), and takes seconds instead of minutes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
STAND_IN = HERE / "stand-in"
BASE_IMAGE = "rnn-shapes-base:bookworm"
MIRROR = "http://deb.debian.org/debian"
BASE_PACKAGES = ["ca-certificates", "python3", "python3-venv", "python3-pip", "python3-yaml", "unzip"]
HOST_CA_DIR = Path("/usr/local/share/ca-certificates")
PIP_CONF = "[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n"
"""pip uses certifi's bundle, not the system's, unless told: the host's pip.conf says the same."""

LEGACY_BUILD = dict(os.environ, DOCKER_BUILDKIT="0")
"""No buildx on this machine: the classic builder."""

SETUP_INPUTS = ("setup.sh", "environment.yml", "requirements.txt", "otter_config.json")
"""The files of the zip that otter's ``setup.sh`` reads (those of them the zip has)."""

GRADING_DOCKERFILE = """\
FROM {base}
ARG DEBIAN_FRONTEND=noninteractive
# Gradescope runs setup.sh with the whole zip unpacked; here only what it reads is there, so that
# a zip that differs in its grader's files alone (a new seed) reuses this layer from the cache.
COPY setup/ /autograder/source/
RUN mkdir -p /autograder/submission /autograder/results && \\
    apt-get update && bash /autograder/source/setup.sh && \\
    apt-get clean && rm -rf /var/lib/apt/lists/* /tmp/* /var/tmp/* /root/.cache/pip
COPY source/ /autograder/source/
RUN cp /autograder/source/run_autograder /autograder/run_autograder && \\
    chmod +x /autograder/run_autograder
"""


def image_exists(tag: str) -> bool:
    return subprocess.run(["docker", "image", "inspect", tag], capture_output=True).returncode == 0


def build_base(tag: str = BASE_IMAGE, rebuild: bool = False) -> float:
    """Build the base image unless it exists.

    Args:
        tag: the image's tag.
        rebuild: build even if the tag exists.

    Returns:
        Seconds spent building (0 when cached).
    """
    if image_exists(tag) and not rebuild:
        return 0.0
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="rnn-shapes-rootfs-", dir="/var/tmp") as tmp:
        rootfs = Path(tmp) / "rootfs"
        subprocess.run(
            ["debootstrap", "--variant=minbase", f"--include={','.join(BASE_PACKAGES)}", "bookworm",
             str(rootfs), MIRROR],
            check=True,
        )
        for cert in sorted(HOST_CA_DIR.glob("*.crt")):
            shutil.copy(cert, rootfs / "usr/local/share/ca-certificates" / cert.name)
        subprocess.run(["chroot", str(rootfs), "update-ca-certificates"], check=True)
        (rootfs / "etc/pip.conf").write_text(PIP_CONF)
        (rootfs / "opt/stand-in").mkdir(parents=True)
        for name in ("mamba", "miniforge-installer.sh"):
            shutil.copy(STAND_IN / name, rootfs / "opt/stand-in" / name)
            (rootfs / "opt/stand-in" / name).chmod(0o755)
        shutil.copy(STAND_IN / "wget", rootfs / "usr/local/bin/wget")
        (rootfs / "usr/local/bin/wget").chmod(0o755)
        shutil.rmtree(rootfs / "var/cache/apt/archives", ignore_errors=True)
        (rootfs / "var/cache/apt/archives/partial").mkdir(parents=True)
        tar = subprocess.Popen(["tar", "-C", str(rootfs), "--numeric-owner", "-c", "."], stdout=subprocess.PIPE)
        subprocess.run(
            ["docker", "import",
             "--change", "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
             "--change", "ENV LANG=C.UTF-8",
             "--change", 'CMD ["/bin/bash"]',
             "-", tag],
            stdin=tar.stdout, check=True,
        )
        tar.stdout.close()
        if tar.wait() != 0:
            raise RuntimeError("tar of the root filesystem failed")
    return time.monotonic() - start


def zip_digest(zip_path: Path) -> str:
    return hashlib.sha256(zip_path.read_bytes()).hexdigest()


def grading_tag(zip_path: Path, base: str = BASE_IMAGE) -> str:
    """``rnn-shapes-grade:<assignment>-<zip's SHA-256>-<base image id>``, each cut to 12 hex."""
    assignment = zip_path.resolve().parents[1].name
    base_id = subprocess.run(["docker", "image", "inspect", "-f", "{{.Id}}", base], capture_output=True,
                             text=True, check=True).stdout.strip().split(":")[-1]
    return f"rnn-shapes-grade:{assignment}-{zip_digest(zip_path)[:12]}-{base_id[:12]}"


def build_grading(zip_path: Path, base: str = BASE_IMAGE, log: Path | None = None) -> tuple[str, float]:
    """Build the grading image of one autograder zip, as Gradescope does, unless it exists.

    Args:
        zip_path: the autograder zip.
        base: the base image.
        log: where the build's output goes (stdout when None).

    Returns:
        The image's tag and the seconds spent building (0 when cached).
    """
    tag = grading_tag(zip_path, base)
    if image_exists(tag):
        return tag, 0.0
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="rnn-shapes-image-") as tmp:
        context = Path(tmp)
        with zipfile.ZipFile(zip_path) as zf:
            zf.extractall(context / "source")
        (context / "setup").mkdir()
        for name in SETUP_INPUTS:
            if (context / "source" / name).is_file():
                shutil.copy(context / "source" / name, context / "setup" / name)
        (context / "Dockerfile").write_text(GRADING_DOCKERFILE.format(base=base))
        out = open(log, "w") if log else None
        try:
            subprocess.run(["docker", "build", "-t", tag, str(context)], env=LEGACY_BUILD, check=True,
                           stdout=out, stderr=subprocess.STDOUT if out else None)
        finally:
            if out:
                out.close()
    return tag, time.monotonic() - start
