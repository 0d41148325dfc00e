"""The declarations as they are in a folder, or as they were at a git revision.

``diff`` compares two of these. A git revision is read with ``git cat-file --batch`` (one
process for every file), so nothing is checked out. In a shallow CI clone a remote branch
that is not there yet is fetched alone, at depth one; when that is impossible the error says
which command would make it available.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from discloser.errors import DiscloserError, UsageError
from discloser.load.discover import SUFFIXES, discover
from discloser.load.yaml12 import MAX_BYTES
from discloser.model.declaration import Declaration
from discloser.validate import SchemaErrors, parse_declaration


@dataclass(frozen=True)
class Version:
    """One feature's declaration in one version: where it came from, and the model."""

    display: str
    declaration: Declaration


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, timeout=120
        )
    except FileNotFoundError:
        raise UsageError("git is not installed; give BASE and HEAD as folders") from None


def _parse(display: str, data: bytes) -> Declaration:
    try:
        return parse_declaration(display, data)[0]
    except SchemaErrors as exc:
        first = exc.findings[0]
        raise UsageError(
            f"{first.file}:{first.line}:{first.column}: not a valid declaration ({first.message}); "
            "diff compares valid declarations only"
        ) from None
    except DiscloserError as exc:
        raise UsageError(f"{display}: not a valid declaration ({exc})") from None


def _by_id(versions: list[Version]) -> dict[str, Version]:
    out: dict[str, Version] = {}
    for v in versions:
        if v.declaration.id in out:
            raise UsageError(
                f"{v.display}: id {v.declaration.id!r} also in {out[v.declaration.id].display}"
            )
        out[v.declaration.id] = v
    return out


def from_folder(folder: str) -> dict[str, Version]:
    versions = []
    for source in discover([folder]):
        versions.append(Version(source.display, _parse(source.display, source.read(MAX_BYTES))))
    return _by_id(versions)


def _ensure_revision(rev: str, root: Path) -> str:
    """The commit id of ``rev``, fetching a missing remote branch at depth one if needed."""
    check = _git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", cwd=root)
    if check.returncode == 0:
        return check.stdout.decode().strip()
    remote, _, branch = rev.partition("/")
    if branch and remote in _git("remote", cwd=root).stdout.decode().split():
        _git(
            "fetch",
            "--no-tags",
            "--depth=1",
            remote,
            f"{branch}:refs/remotes/{remote}/{branch}",
            cwd=root,
        )
        check = _git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", cwd=root)
        if check.returncode == 0:
            return check.stdout.decode().strip()
        hint = f"git fetch --depth=1 {remote} {branch}"
    else:
        hint = f"git fetch --depth=1 origin {rev}"
    raise UsageError(f"{rev}: not a folder, and not a revision in this clone; run `{hint}` first")


def from_revision(rev: str, folder: str) -> dict[str, Version]:
    """The declarations under ``folder`` (a path in the working tree) at git revision ``rev``."""
    here = Path(folder).resolve() if Path(folder).exists() else Path.cwd() / folder
    start = here if here.is_dir() else Path.cwd()
    top = _git("rev-parse", "--show-toplevel", cwd=start)
    if top.returncode != 0:
        raise UsageError(f"{rev}: not a folder, and {start} is not inside a git repository")
    root = Path(top.stdout.decode().strip())
    commit = _ensure_revision(rev, root)
    prefix = os.path.relpath(here, root).replace(os.sep, "/")
    listing = _git("ls-tree", "-r", "-z", "--name-only", commit, "--", prefix, cwd=root)
    names = [
        n
        for n in listing.stdout.decode().split("\0")
        if n.endswith(SUFFIXES) and not any(part.startswith(".") for part in n.split("/"))
    ]
    if not names:
        return {}
    batch = _git_batch(root, [f"{commit}:{n}" for n in names])
    return _by_id(
        [
            Version(f"{rev}:{n}", _parse(f"{rev}:{n}", data))
            for n, data in zip(names, batch, strict=True)
        ]
    )


def _git_batch(root: Path, objects: list[str]) -> list[bytes]:
    """Contents of many ``rev:path`` objects from one ``git cat-file --batch`` process."""
    proc = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=root,
        input="\n".join(objects).encode() + b"\n",
        capture_output=True,
        check=True,
        timeout=300,
    )
    out, pos = [], 0
    data = proc.stdout
    for name in objects:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        if len(header) < 3 or header[1] != b"blob":
            raise UsageError(f"{name}: not a file in git")
        size = int(header[2])
        out.append(data[end + 1 : end + 1 + min(size, MAX_BYTES + 1)])
        pos = end + 1 + size + 1
    return out


def load_version(spec: str, folder: str) -> dict[str, Version]:
    """``spec`` as a folder if one exists by that name, else as a git revision."""
    return from_folder(spec) if Path(spec).is_dir() else from_revision(spec, folder)
