"""Writing outputs: deterministic bytes, an atomic swap of the whole folder, and refusals.

A render or build writes into a fresh staging folder beside the target and, only when every
file is written, exchanges it with the target in one step (``renameat2(RENAME_EXCHANGE)`` on
Linux; elsewhere two renames with the old folder kept until the new one is in place). A failed
or killed run therefore leaves the previous output exactly as it was.

Every written file gets the same modification time, from ``SOURCE_DATE_EPOCH`` when set, else
from the newest effective date among the declarations, never the wall clock: two runs produce
byte-identical folders, and archives made from them are identical too.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

from discloser.errors import UsageError

MARKER = ".discloser-output"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def source_epoch(dates: list[date]) -> int:
    """The timestamp outputs carry: SOURCE_DATE_EPOCH, else the newest declaration date."""
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env is not None:
        if not env.isdigit():
            raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {env!r}")
        return int(env)
    newest = max(dates, default=date(1980, 1, 1))
    return int(datetime(newest.year, newest.month, newest.day, tzinfo=UTC).timestamp())


def refuse_dangerous(out: Path, inputs: list[Path], project_root: Path) -> None:
    """Refuse targets whose replacement would destroy something that is not ours."""
    target = out.resolve()
    home = Path.home().resolve()
    if target == Path(target.anchor) or target == home:
        raise UsageError(f"{out}: refusing to write into {target}")
    if target == project_root.resolve():
        raise UsageError(f"{out}: refusing to replace the project root")
    for given in inputs:
        source = given.resolve()
        folder = source if source.is_dir() else source.parent
        if target == folder or target.is_relative_to(folder) or folder.is_relative_to(target):
            raise UsageError(f"{out}: refusing to write into or over the declarations ({given})")
    if target.exists():
        if not target.is_dir():
            raise UsageError(f"{out}: exists and is not a folder")
        if any(target.iterdir()) and not (target / MARKER).is_file():
            raise UsageError(f"{out}: not empty and not made by discloser; refusing to replace it")


@contextlib.contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A fresh folder beside ``out`` (same file system: the swap is a rename); always removed,
    and so are the parent folders it had to make when nothing was published."""
    made = [p for p in out.parents if not p.exists()]
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".staging", dir=out.parent))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        if not out.exists():
            for parent in made:  # deepest first
                with contextlib.suppress(OSError):
                    parent.rmdir()


def write_file(path: Path, data: str | bytes, *, make_parents: bool = True) -> None:
    """Write bytes (text as UTF-8); ``make_parents=False`` when the caller made the folders."""
    if make_parents:
        path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)


def replace_file(path: Path, data: str | bytes) -> None:
    """Replace one file in one step: written beside it, then renamed over it, so a reader (or a
    killed run) never meets half a ledger, checkpoint or key list."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        Path(tmp).replace(path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def publish(stage: Path, out: Path, epoch: int) -> None:
    """Stamp every file with ``epoch`` and put ``stage`` in place of ``out`` in one step."""
    write_file(stage / MARKER, "Made by discloser; the whole folder is replaced on each run.\n")
    for folder, dirs, files in os.walk(stage):
        dirs.sort()
        for name in [*files, *dirs]:
            os.utime(Path(folder, name), (epoch, epoch), follow_symlinks=False)
    os.utime(stage, (epoch, epoch))
    stage.chmod(0o755)
    if out.exists():
        if _exchange(stage, out):
            return  # the old output now sits in `stage`, which the caller removes
        old = stage.with_name(stage.name + ".old")
        out.rename(old)
        stage.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        stage.rename(out)
