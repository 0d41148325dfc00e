"""Run the site builder on staged projects. The only module of discloser that knows mkdocs.

Each locale's project is built by ``python -m mkdocs build --strict`` in a child process rather
than through mkdocs' Python API, on purpose:

- the command line is mkdocs' stable contract (and the one other builders that read
  ``mkdocs.yml`` imitate); its Python API is internal and changes in mkdocs 2.0;
- mkdocs keeps process-wide state (logging handlers that count warnings for ``--strict``,
  plugin and theme caches): one process per build starts clean every time;
- locales build in parallel on separate cores, and a child that dies with us (on Linux it gets
  SIGKILL when the parent goes) never outlives a killed build.

``SOURCE_DATE_EPOCH`` is set for the child, so the sitemap's dates and the gzip header of
``sitemap.xml.gz`` come from the declarations, not the clock: two builds are byte-identical.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path

from discloser.errors import DiscloserError

_PR_SET_PDEATHSIG = 1


class SiteBuildFailed(DiscloserError):
    """The builder refused a staged project; its last lines say why."""

    exit_code = 2


@dataclass(frozen=True)
class Job:
    """One project to build: its ``mkdocs.yml`` and the folder the site goes to."""

    name: str
    config: Path
    site_dir: Path


@cache
def versions() -> str:
    """The builder's versions, part of the inputs that decide whether a rebuild is needed."""
    return ";".join(
        f"{name}={metadata.version(name)}"
        for name in ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown")
    )


@cache
def theme_languages() -> frozenset[str]:
    """The languages the Material theme has words for (``theme.language`` must be one)."""
    folder = resources.files("material") / "templates" / "partials" / "languages"
    return frozenset(p.name.removesuffix(".html") for p in folder.iterdir())


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    libc = ctypes.util.find_library("c")
    if libc is not None:
        ctypes.CDLL(libc, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def build(jobs: Sequence[Job], epoch: int, parallel: int) -> None:
    """Build every job, ``parallel`` at a time; :class:`SiteBuildFailed` on the first failure."""
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": str(epoch),
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONHASHSEED": "0",
    }
    pending = list(jobs)
    running: list[tuple[Job, subprocess.Popen[bytes]]] = []
    try:
        while pending or running:
            while pending and len(running) < max(1, parallel):
                job = pending.pop(0)
                argv = [
                    sys.executable,
                    "-m",
                    "mkdocs",
                    "build",
                    "--strict",
                    "--quiet",
                    "--config-file",
                    str(job.config.resolve()),
                    "--site-dir",
                    str(job.site_dir.resolve()),
                ]
                child = subprocess.Popen(
                    argv,
                    cwd=job.config.resolve().parent,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    preexec_fn=_die_with_parent if sys.platform == "linux" else None,
                )
                running.append((job, child))
            job, child = running.pop(0)
            output, _ = child.communicate()
            if child.returncode != 0:
                lines = output.decode("utf-8", "replace").strip().splitlines()[-6:]
                detail = " | ".join(line.strip() for line in lines if line.strip())
                raise SiteBuildFailed(
                    f"the site builder failed for locale {job.name} "
                    f"(exit {child.returncode}): {detail}"
                )
    finally:
        for _, child in running:
            child.kill()
            child.wait()
