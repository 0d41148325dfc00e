"""The ledger as a transparency log: its signed checkpoint, its keys, and the proofs it gives.

The leaves are the ledger's lines, byte for byte (``discloser-ledger.jsonl`` without the
newlines), in order: entry ``seq`` N is leaf N-1, so the existing ledger needs no migration and
every entry keeps its sequence. Beside it the folder holds two files, both public:

    discloser-checkpoint.txt   the latest signed checkpoint (c2sp.org/tlog-checkpoint)
    discloser-log.vkey         the log's verifier keys, one a line (old ones kept on rotation)

The private key never lives in the repository: ``release`` reads it from the environment
(``DISCLOSER_SIGNING_KEY``, or a file named by ``DISCLOSER_SIGNING_KEY_FILE`` or ``--key``)
and refuses a key file that git tracks or would pick up. Once a verifier key is committed
the log is signed, and a release without the private key is refused rather than left
unsigned.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from discloser.errors import DiscloserError, UsageError
from discloser.output import replace_file
from discloser.release import note, tlog
from discloser.release.ledger import LEDGER_NAME, ReleaseRefused, canonical_json

if TYPE_CHECKING:
    from discloser.model.declaration import Declaration

CHECKPOINT_NAME = "discloser-checkpoint.txt"
VKEY_NAME = "discloser-log.vkey"
KEY_ENV = "DISCLOSER_SIGNING_KEY"
KEY_FILE_ENV = "DISCLOSER_SIGNING_KEY_FILE"
PROOF_KEYS = {"checkpoint", "index", "entry", "inclusion"}


class LogBroken(DiscloserError):
    """The log does not prove what it must: a fork, a rewrite, a truncation, a bad signature."""

    exit_code = 1


def b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


def read_leaves(path: Path) -> list[str]:
    """The ledger's non-empty lines, in order (the tree's leaves)."""
    if not path.is_file():
        return []
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line]


@dataclass
class Log:
    """One folder's ledger as a tree, with its keys and its latest checkpoint (if any)."""

    folder: Path
    leaves: list[str]
    tree: tlog.Tree
    verifiers: list[note.Verifier] = field(default_factory=list)
    note_text: str | None = None  # the signed checkpoint, as committed

    @classmethod
    def of(cls, folder: Path, leaves: list[str]) -> Log:
        """The tree over ``leaves`` (the ledger's lines, hashed as UTF-8 bytes)."""
        return cls(folder, leaves, tlog.Tree([line.encode("utf-8") for line in leaves]))

    @property
    def size(self) -> int:
        return self.tree.size

    def checkpoint(self, trusted: list[note.Verifier] | None = None) -> note.Checkpoint | None:
        """The committed checkpoint, verified against ``trusted`` (default: the log's keys)."""
        if self.note_text is None:
            return None
        keys = self.verifiers if trusted is None else trusted
        where = self.folder / CHECKPOINT_NAME
        if not keys:
            raise LogBroken(f"{where}: signed, but there is no verifier key to check it with")
        try:
            return note.open_checkpoint(self.note_text, keys)
        except note.NoteError as exc:
            raise LogBroken(f"{where}: {exc}") from None


def load(folder: Path) -> Log:
    """The log of a declarations folder (or of a downloaded site's ``downloads/``)."""
    leaves = read_leaves(folder / LEDGER_NAME)
    log = Log.of(folder, leaves)
    vkeys = folder / VKEY_NAME
    if vkeys.is_file():
        log.verifiers = note.read_verifiers(vkeys.read_text(encoding="utf-8"), str(vkeys))
    checkpoint = folder / CHECKPOINT_NAME
    if checkpoint.is_file():
        log.note_text = checkpoint.read_text(encoding="utf-8")
    return log


def read_trusted(path: Path) -> list[note.Verifier]:
    """Verifier keys someone saved (``--key FILE``): never the publisher's word of today."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        keys = note.read_verifiers(text, str(path))
    except note.NoteError as exc:
        raise UsageError(str(exc)) from None
    if not keys:
        raise UsageError(f"{path}: no verifier key in it")
    return keys


def read_saved(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read ({getattr(exc, 'strerror', exc)})") from None


# ---------------------------------------------------------------------- the proof of a fork


def extends(log: Log, old: note.Checkpoint, where: str) -> int:
    """Prove the log extends ``old``; the number of hashes in the consistency proof.

    A log shorter than the checkpoint was truncated (or the checkpoint it serves is a replay
    of an older one); a log whose first ``old.size`` leaves hash to another root was rewritten
    or forked. Both are reported with the roots, so the claim can be checked by hand.
    """
    if old.size > log.size:
        raise LogBroken(
            f"{where}: truncated or rolled back: the checkpoint signed {old.size} entries, "
            f"the log has {log.size}"
        )
    proof = log.tree.consistency(old.size, log.size)
    try:
        tlog.verify_consistency(old.size, log.size, proof, old.root, log.tree.root())
    except tlog.ProofError:
        raise LogBroken(
            f"{where}: fork or rewrite: the checkpoint signed root {old.root_b64} at size "
            f"{old.size}; the log has root {b64(log.tree.root(old.size))} at size {old.size}"
        ) from None
    return len(proof)


def current_head(log: Log, trusted: list[note.Verifier] | None = None) -> note.Checkpoint | None:
    """The log's own checkpoint, checked against its ledger (it must be a prefix of it)."""
    head = log.checkpoint(trusted)
    if head is not None:
        extends(log, head, str(log.folder / CHECKPOINT_NAME))
    return head


def verify_log(log: Log, saved_note: str, trusted: list[note.Verifier], where: str) -> str:
    """``discloser verify-log``: the saved checkpoint is signed, and today's log extends it."""
    try:
        saved = note.open_checkpoint(saved_note, trusted)
    except note.NoteError as exc:
        raise LogBroken(f"{where}: {exc}") from None
    head = current_head(log, trusted)
    if head is not None and head.origin != saved.origin:
        raise LogBroken(f"{where}: a checkpoint of {saved.origin}, this log is {head.origin}")
    if head is not None and head.size < saved.size:
        raise LogBroken(
            f"{where}: the log's checkpoint ({head.size} entries) is older than the saved one "
            f"({saved.size}): a replayed old checkpoint or a truncated log"
        )
    hashes = extends(log, saved, where)
    signed = f"signed at {head.size}" if head is not None else "with no signed checkpoint"
    return (
        f"{where}: the log extends it: {saved.size} -> {log.size} entries ({signed}), "
        f"consistency proof of {hashes} hash(es) verified"
    )


# ---------------------------------------------------------------------- releasing


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, text=True, check=False
        )
    except OSError:
        return None


def guard_key_file(path: Path) -> None:
    """Refuse a private key file that git tracks, or that ``git add`` would pick up."""
    folder = path.resolve().parent
    inside = _git(folder, "rev-parse", "--is-inside-work-tree")
    if inside is None or inside.stdout.strip() != "true":
        return
    tracked = _git(folder, "ls-files", "--error-unmatch", path.resolve().name)
    if tracked is not None and tracked.returncode == 0:
        raise UsageError(
            f"{path}: the private key is tracked by git: remove it from the repository "
            "(and make a new key: this one is public now)"
        )
    ignored = _git(folder, "check-ignore", "-q", path.resolve().name)
    if ignored is not None and ignored.returncode != 0:
        raise UsageError(
            f"{path}: the private key is inside the repository and not ignored: move it out, "
            "or pass it in the environment variable " + KEY_ENV
        )


def load_signer(key_file: Path | None) -> note.Signer | None:
    """The signing key: ``--key FILE``, else ``$DISCLOSER_SIGNING_KEY_FILE``, else the key
    text in ``$DISCLOSER_SIGNING_KEY``; None when none is given."""
    given = key_file or (Path(os.environ[KEY_FILE_ENV]) if os.environ.get(KEY_FILE_ENV) else None)
    if given is not None:
        guard_key_file(given)
        try:
            text = given.read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{given}: cannot read the signing key ({exc.strerror})") from None
        where = str(given)
    elif os.environ.get(KEY_ENV):
        text, where = os.environ[KEY_ENV], f"${KEY_ENV}"
    else:
        return None
    try:
        return note.Signer.parse(text)
    except note.NoteError as exc:
        raise UsageError(f"{where}: {exc}") from None


def check_release(log: Log, signer: note.Signer | None) -> note.Checkpoint | None:
    """Before anything is written: the ledger extends the last checkpoint, and it can be signed.

    Returns the last checkpoint (None for a log never signed).
    """
    where = log.folder / VKEY_NAME
    if signer is not None:
        if not any(v == signer.verifier for v in log.verifiers):
            raise UsageError(
                f"{where}: does not list the signing key {signer.verifier.text()}: "
                "add that line (discloser keygen writes it)"
            )
    elif log.verifiers:
        raise UsageError(
            f"{where}: this log is signed, and no signing key was given: set {KEY_ENV} "
            f"(or {KEY_FILE_ENV}, or --key FILE)"
        )
    try:
        return current_head(log)
    except LogBroken as exc:
        raise ReleaseRefused(f"not released: {exc}") from None


def release_head(
    before: Log,
    new: list[dict[str, Any]],
    signer: note.Signer | None,
    previous: note.Checkpoint | None,
) -> str | None:
    """The checkpoint to commit once ``new`` entries are appended (None without a key)."""
    if signer is None:
        return None
    leaves = before.leaves + [canonical_json(e) for e in new]
    after = Log.of(before.folder, leaves)
    return sign_head(after, signer, previous)


def sign_head(log: Log, signer: note.Signer, previous: note.Checkpoint | None) -> str:
    """The signed checkpoint of the whole ledger, after proving it extends ``previous``."""
    head = note.Checkpoint(signer.name, log.size, log.tree.root())
    if previous is not None:
        if previous.origin != head.origin:
            raise ReleaseRefused(
                f"not released: the log is {previous.origin}, the key signs as {head.origin}"
            )
        proof = log.tree.consistency(previous.size, head.size)
        tlog.verify_consistency(previous.size, head.size, proof, previous.root, head.root)
    return note.sign(head.text(), [signer])


def keygen(name: str, key_out: Path, folder: Path) -> note.Signer:
    """A new signing key in ``key_out`` (refused inside the repository), its verifier key
    added to ``folder``'s ``discloser-log.vkey`` (the old keys stay: rotation)."""
    vkeys = folder / VKEY_NAME
    before = vkeys.read_text(encoding="utf-8") if vkeys.is_file() else ""
    existing = note.read_verifiers(before, str(vkeys)) if before else []
    if existing and any(v.name != name for v in existing):
        raise UsageError(
            f"{vkeys}: the log is {existing[0].name}; a new key keeps that name (rotation)"
        )
    if key_out.exists():
        raise UsageError(f"{key_out}: exists; refusing to overwrite a key")
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder")
    key_out.parent.mkdir(parents=True, exist_ok=True)
    guard_key_file(key_out)
    signer = note.Signer.generate(name)
    fd = os.open(key_out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(signer.text() + "\n")
    if before and not before.endswith("\n"):
        before += "\n"
    replace_file(vkeys, before + signer.verifier.text() + "\n")
    return signer


# ---------------------------------------------------------------------- proofs for notices


Proofs = dict[tuple[str, int, str], dict[str, Any]]


def proof_for(proofs: Proofs, d: Declaration) -> dict[str, Any] | None:
    """The proof of ``d``'s notice in :func:`notice_proofs`' table, or None when unreleased."""
    from discloser.notice import notice_hash

    return proofs.get((d.id, d.revision, notice_hash(d)))


def notice_proofs(folders: list[Path]) -> Proofs:
    """For every notice in a signed checkpoint: ``(feature, revision, notice_hash)`` -> the
    opaque proof the prompt copies into a receipt (checkpoint, leaf index, entry, path).

    A notice released after the last checkpoint, or in a log never signed, has none.
    """
    out: Proofs = {}
    for folder in folders:
        log = load(folder)
        if log.note_text is None:
            continue
        head = current_head(log)
        assert head is not None  # noqa: S101 - a note text always opens to a checkpoint or raises
        for index, line in enumerate(log.leaves[: head.size]):
            try:
                doc = json.loads(line)
                key = (str(doc["feature"]), int(doc["revision"]), str(doc["notice_hash"]))
            except (ValueError, KeyError, TypeError):
                continue
            out.setdefault(
                key,
                {
                    "checkpoint": log.note_text,
                    "index": index,
                    "entry": line,
                    "inclusion": [b64(h) for h in log.tree.inclusion(index, head.size)],
                },
            )
    return out


def published_files(log: Log) -> dict[str, bytes]:
    """The log as static files (c2sp.org/tlog-tiles): ``checkpoint`` and ``tile/...``.

    Tiles are written for the whole ledger and, when the last checkpoint is older, for its
    size too, so a client can check that checkpoint from the tiles alone.
    """
    entries = [line.encode("utf-8") for line in log.leaves]
    for e in entries:
        if len(e) > tlog.MAX_ENTRY:
            raise LogBroken(f"a ledger entry of {len(e)} bytes does not fit a tile bundle")
    files = tlog.tiles(log.tree, entries, log.size)
    head = current_head(log)
    if head is not None:
        files.update(tlog.tiles(log.tree, entries, head.size))
        files["checkpoint"] = (log.note_text or "").encode("utf-8")
    files["README.txt"] = _readme(log, head).encode("utf-8")
    return files


def _readme(log: Log, head: note.Checkpoint | None) -> str:
    """A few lines for whoever opens the folder: what it is, the keys, the commands."""
    keys = (
        "".join(f"    {v.text()}\n" for v in log.verifiers) or "    (none: the log is unsigned)\n"
    )
    signed = (
        f"The checkpoint signs {head.size} of {log.size} entries, origin {head.origin}."
        if head is not None
        else f"No signed checkpoint yet: {log.size} entries, unsigned."
    )
    return (
        "The disclosure ledger as a transparency log (c2sp.org/tlog-tiles): checkpoint is\n"
        "the signed tree head (c2sp.org/tlog-checkpoint), tile/ the RFC 6962 Merkle tree,\n"
        "tile/entries/ the ledger lines.\n\n"
        f"{signed}\n\nVerifier keys (c2sp.org/signed-note), one a line, also in ../{VKEY_NAME}:\n"
        f"{keys}\n"
        "Save the checkpoint and the keys; later, beside a copy of the downloads folder:\n\n"
        "    pip install discloser\n"
        "    discloser verify-log my-checkpoint.txt --path downloads --key my.vkey\n"
        "    discloser verify-receipt my-receipt.json --path downloads --key my.vkey\n"
    )
