"""Which files are declarations, in a stable order.

Paths stay as the user wrote them (``declarations/x.yaml``, not an absolute path), because
findings, SARIF and annotations must point at files the way the repository names them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

from discloser.errors import UsageError

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Source:
    """A declaration file: how to show it, where it is, and whether it escapes its folder."""

    display: str
    path: str | Path  # as text from a folder walk: ten thousand Paths cost a validation's 0.5 %
    outside: bool = False

    def read(self, cap: int) -> bytes:
        """The file's bytes, at most ``cap + 1`` of them: the one past the cap shows it is over,
        and a 4 GiB file costs no more than that to refuse.

        Asks for what the file says it holds plus that byte, not for the whole cap (which would
        allocate 256 KiB for every 2 KiB file, most of the cost of reading it), unbuffered, so
        the bytes land once, straight in the result. A file that holds more than it said (grown
        since, or a pipe) is read on, up to the cap.
        """
        with open(self.path, "rb", buffering=0) as stream:  # noqa: PTH123 - no pathlib layer
            want = min(os.fstat(stream.fileno()).st_size, cap) + 1
            chunks: list[bytes] = []
            have = 0
            while have < want:  # a file: one read; a pipe: its pieces, joined once at the end
                chunk = stream.read(want - have)
                if not chunk:
                    break
                chunks.append(chunk)
                have += len(chunk)
                if have == want <= cap:
                    want = cap + 1
            return b"".join(chunks)


def discover(paths: list[str]) -> list[Source]:
    """Every declaration under ``paths``, files in the order given, folders sorted by name.

    Hidden files and folders are skipped (``.git``, editor backups). A symbolic link that
    resolves outside the folder it was found in is reported rather than followed: a
    declarations folder must not publish a file from elsewhere on the machine.
    """
    found: list[Source] = []
    seen: set[str] = set()  # resolved paths, as text: hashing ten thousand Paths costs more
    for given in paths:
        root = Path(given)
        if root.is_dir():
            found += _walk(given, root, seen)
        elif root.is_file():
            if str(root.resolve()) not in seen:
                seen.add(str(root.resolve()))
                found.append(Source(given, root))
        elif root.is_symlink():
            raise UsageError(f"{given}: broken symbolic link")
        else:
            raise UsageError(f"{given}: no such file or folder")
    if not found:
        # An empty run passing in CI usually means a wrong path, not a project without features.
        raise UsageError(f"no declarations (*.yaml, *.yml) under {', '.join(paths)}")
    return found


def _walk(given: str, root: Path, seen: set[str]) -> list[Source]:
    """Files under ``root`` in name order, cheaply: ``scandir`` answers type and link questions
    from the directory listing, and only symbolic links are resolved (ten thousand ``resolve``
    calls would cost more than validating a file)."""
    real_root = root.resolve()
    real_text = str(real_root)
    out: list[Source] = []
    pending = [(str(root), given, "")]
    while pending:
        folder, shown, rel = pending.pop()
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=attrgetter("name"))
        # Joined once per folder, then each name appended: the same text os.path.join gives.
        shown_prefix = os.path.join(shown, "")  # noqa: PTH118 - keeps the user's spelling
        rel_prefix = os.path.join(rel, "")  # noqa: PTH118
        real_prefix = os.path.join(real_text, rel_prefix)  # noqa: PTH118
        subfolders = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                subfolders.append((entry.path, shown_prefix + name, rel_prefix + name))
                continue
            if not name.endswith(SUFFIXES):
                continue
            if entry.is_symlink():
                resolved = Path(entry.path).resolve()
                key = str(resolved)
                outside = not resolved.is_relative_to(real_root)
            else:
                key, outside = real_prefix + name, False
            if key in seen:
                continue
            seen.add(key)
            out.append(Source(shown_prefix + name, entry.path, outside))
        pending.extend(reversed(subfolders))
    return out
