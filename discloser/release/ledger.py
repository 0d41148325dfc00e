"""The disclosure ledger: an append-only, hash-chained record of every published notice.

One JSON object per line in ``<declarations>/discloser-ledger.jsonl``, committed next to the
declarations and published with the site. Each entry holds the feature id, its revision and
effective date, the canonical material content and its notice hash (the value consent
receipts carry), its sequence number and ``prev``: the sha256 of the previous line's bytes.
Lines are canonical JSON (sorted keys, no whitespace), so anyone can verify the chain with a
few lines of code and any edit to a published entry breaks it:

    prev_0 = "sha256:" + 64 zeros;  prev_n = "sha256:" + sha256(line_{n-1} as UTF-8 bytes)
    notice_hash_n = "sha256:" + sha256(canonical(material_n))
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from discloser.errors import DiscloserError
from discloser.model.declaration import Declaration
from discloser.notice import material, notice_hash
from discloser.output import replace_file
from discloser.release.diff import Kind, classify

LEDGER_NAME = "discloser-ledger.jsonl"
GENESIS = "sha256:" + "0" * 64
KEYS = {"seq", "feature", "revision", "effective", "notice_hash", "material", "prev"}


@dataclass(frozen=True)
class LedgerEntry:
    seq: int
    feature: str
    revision: int
    effective: str
    notice_hash: str
    material: dict[str, Any]
    prev: str
    line: int  # 1-based line in the file


@dataclass(frozen=True)
class LedgerProblem:
    line: int
    message: str


class ReleaseRefused(DiscloserError):
    """A release would publish something it must not (a widening without a higher revision)."""

    exit_code = 1


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def line_hash(line: str) -> str:
    return "sha256:" + hashlib.sha256(line.encode("utf-8")).hexdigest()


def material_hash(content: dict[str, Any]) -> str:
    return "sha256:" + hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def ledger_path(folder: Path) -> Path:
    return folder / LEDGER_NAME


def read(path: Path) -> tuple[list[LedgerEntry], list[LedgerProblem]]:
    """Every entry that parses, and every way the file breaks the chain (located by line)."""
    entries: list[LedgerEntry] = []
    problems: list[LedgerProblem] = []
    if not path.exists():
        return entries, problems
    prev = GENESIS
    published: dict[str, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if not line:
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(LedgerProblem(number, f"entry is not JSON ({exc.msg})"))
            prev = line_hash(line)
            continue
        if not isinstance(doc, dict) or set(doc) != KEYS:
            problems.append(
                LedgerProblem(number, f"entry must have exactly the keys {sorted(KEYS)}")
            )
            prev = line_hash(line)
            continue
        if canonical_json(doc) != line:
            problems.append(LedgerProblem(number, "entry is not in canonical form: it was edited"))
        if doc["prev"] != prev:
            problems.append(
                LedgerProblem(
                    number,
                    "chain broken: prev is not the hash of the line before "
                    "(an entry before it was edited, removed or reordered)",
                )
            )
        expected_seq = len(entries) + 1
        if doc["seq"] != expected_seq:
            problems.append(
                LedgerProblem(number, f"sequence {doc['seq']} where {expected_seq} was due")
            )
        if material_hash(doc["material"]) != doc["notice_hash"]:
            problems.append(
                LedgerProblem(number, "notice_hash does not match the material content (forged)")
            )
        feature, revision = doc["feature"], doc["revision"]
        if feature in published and revision <= published[feature]:
            problems.append(
                LedgerProblem(
                    number, f"{feature} revision {revision} after revision {published[feature]}"
                )
            )
        published[feature] = max(revision, published.get(feature, revision))
        entries.append(LedgerEntry(line=number, **doc))
        prev = line_hash(line)
    return entries, problems


def latest(entries: list[LedgerEntry]) -> dict[str, LedgerEntry]:
    out: dict[str, LedgerEntry] = {}
    for entry in entries:
        out[entry.feature] = entry
    return out


def plan(entries: list[LedgerEntry], declarations: list[Declaration]) -> list[dict[str, Any]]:
    """The entries a release appends, or :class:`ReleaseRefused` naming what blocks it."""
    last = latest(entries)
    prev = line_hash(_line_of(entries[-1])) if entries else GENESIS
    seq = len(entries)
    new: list[dict[str, Any]] = []
    for d in sorted(declarations, key=lambda d: d.id):
        if d.status == "planned":
            continue
        content, digest = material(d), notice_hash(d)
        before = last.get(d.id)
        if before is not None:
            if d.revision < before.revision:
                raise ReleaseRefused(
                    f"{d.id}: revision {d.revision} is below the published {before.revision}"
                )
            if d.revision == before.revision:
                if digest != before.notice_hash:
                    widening = [
                        c.text
                        for c in classify(before.material, content)
                        if c.kind is Kind.WIDENING
                    ]
                    why = f"; it {widening[0]}" if widening else ""
                    raise ReleaseRefused(
                        f"{d.id}: revision {d.revision} was published with other content{why}: "
                        "raise the revision"
                    )
                continue
        seq += 1
        entry = {
            "seq": seq,
            "feature": d.id,
            "revision": d.revision,
            "effective": d.effective.isoformat(),
            "notice_hash": digest,
            "material": content,
            "prev": prev,
        }
        new.append(entry)
        prev = line_hash(canonical_json(entry))
    return new


def _line_of(entry: LedgerEntry) -> str:
    doc = {k: getattr(entry, k) for k in KEYS}
    return canonical_json(doc)


def append(path: Path, new: list[dict[str, Any]]) -> None:
    """Add ``new`` entries: the whole file is rewritten beside and renamed into place."""
    if not new:
        return
    existing = path.read_bytes() if path.exists() else b""
    if existing and not existing.endswith(b"\n"):
        existing += b"\n"
    data = existing + "".join(canonical_json(e) + "\n" for e in new).encode("utf-8")
    replace_file(path, data)
