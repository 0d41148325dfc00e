"""Checking a consent receipt against what was published.

A receipt (written by the consent prompt, see ``discloser/static/discloser-prompt.js``) names a
feature, a revision and the notice hash of what the person was shown. It verifies when the
feature exists, that exact hash was published for that revision (in the current declarations
or, for an older revision, in the ledger), and its choices cover exactly that notice's
purposes. A receipt for an old revision still verifies: the ledger keeps every notice.

A receipt may also carry ``proof``, copied by the prompt from the notice data: the log's signed
checkpoint, the notice's ledger entry and its inclusion proof. Then the receipt holds against
the publisher: the signature says the log committed to that notice, the inclusion proof that
the entry is in that tree, and consistency with today's log that nothing was rewritten since.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from discloser.model.declaration import Declaration
from discloser.notice import material, notice_hash
from discloser.release.ledger import LedgerEntry, material_hash

if TYPE_CHECKING:
    from discloser.release.log import Log
    from discloser.release.note import Verifier

RECEIPT_KEYS = {
    "v",
    "id",
    "feature",
    "revision",
    "notice_hash",
    "locale",
    "decision",
    "choices",
    "at",
}
OPTIONAL_KEYS = {"proof"}  # absent or null: the notice was not in a signed checkpoint yet
_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$")
_HASH = re.compile(r"^sha256:[0-9a-f]{64}$")


@dataclass(frozen=True)
class Verdict:
    problems: list[str]
    source: str  # "current" or "ledger line N", when valid
    proven: str = ""  # what the proof established, when the receipt carries one
    notes: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems


def _shape(receipt: Any) -> list[str]:
    if not isinstance(receipt, dict):
        return ["a receipt is a JSON object"]
    problems = []
    if set(receipt) - OPTIONAL_KEYS != RECEIPT_KEYS:
        problems.append(
            f"keys must be exactly {sorted(RECEIPT_KEYS)} (and optionally {sorted(OPTIONAL_KEYS)})"
        )
    checks: dict[str, Callable[[Any], bool]] = {
        "v": lambda x: x == 1,
        "id": lambda x: isinstance(x, str) and bool(re.fullmatch(r"[0-9a-f-]{36}", x)),
        "feature": lambda x: isinstance(x, str) and bool(x),
        "revision": lambda x: isinstance(x, int) and not isinstance(x, bool) and x >= 1,
        "notice_hash": lambda x: isinstance(x, str) and bool(_HASH.match(x)),
        "locale": lambda x: isinstance(x, str) and bool(x),
        "decision": lambda x: x in ("accept", "decline"),
        "choices": lambda x: isinstance(x, dict) and all(isinstance(v, bool) for v in x.values()),
        "at": lambda x: isinstance(x, str) and bool(_UTC.match(x)),
        "proof": lambda x: x is None or isinstance(x, dict),
    }
    for key, ok in checks.items():
        if key in receipt and not ok(receipt[key]):
            problems.append(f"{key} has the wrong form: {receipt[key]!r}")
    return problems


def _hashes(value: Any) -> list[bytes] | None:
    if not isinstance(value, list) or not all(isinstance(h, str) for h in value):
        return None
    try:
        out = [base64.b64decode(h, validate=True) for h in value]
    except (binascii.Error, ValueError):
        return None
    return out if all(len(h) == 32 for h in out) else None


def check_proof(receipt: dict[str, Any], log: Log, trusted: list[Verifier] | None) -> str:
    """What the receipt's proof establishes; :class:`~discloser.release.log.LogBroken` if not.

    The checkpoint must be signed by a trusted key (``trusted``, else the log's own keys),
    the entry must be this receipt's notice, the inclusion proof must lead from it to the
    signed root, and today's log must extend that checkpoint (a fork or a rewrite is named
    as such, with both roots).
    """
    from discloser.release import note, tlog
    from discloser.release.log import PROOF_KEYS, LogBroken, current_head, extends

    proof = receipt["proof"]
    hashes = _hashes(proof.get("inclusion"))
    index = proof.get("index")
    if (
        set(proof) != PROOF_KEYS
        or not isinstance(proof["checkpoint"], str)
        or not isinstance(proof["entry"], str)
        or not isinstance(index, int)
        or isinstance(index, bool)
        or hashes is None
    ):
        raise LogBroken(f"proof must be {sorted(PROOF_KEYS)}, of the right types")
    keys = trusted if trusted is not None else log.verifiers
    if not keys:
        raise LogBroken("cannot check the checkpoint's signature: no verifier key (--key FILE)")
    try:
        signed = note.open_checkpoint(proof["checkpoint"], keys)
    except note.NoteError as exc:
        raise LogBroken(f"the receipt's checkpoint: {exc}") from None
    try:
        entry = json.loads(proof["entry"])
        named = (entry["feature"], entry["revision"], entry["notice_hash"])
        content = entry["material"]
    except (ValueError, KeyError, TypeError):
        raise LogBroken("the proof's entry is not a ledger entry") from None
    if named != (receipt["feature"], receipt["revision"], receipt["notice_hash"]):
        raise LogBroken(
            f"the proof's entry is {named[0]} revision {named[1]} ({named[2]}), "
            "not the notice of this receipt"
        )
    if not isinstance(content, dict) or material_hash(content) != receipt["notice_hash"]:
        raise LogBroken("the proof's entry does not hash to the receipt's notice_hash")
    leaf = tlog.leaf_hash(proof["entry"].encode("utf-8"))
    try:
        tlog.verify_inclusion(index, signed.size, leaf, hashes, signed.root)
    except tlog.ProofError:
        raise LogBroken(
            f"the notice is not in the tree the checkpoint signed (leaf {index} of "
            f"{signed.size}: the inclusion proof fails)"
        ) from None
    done = f"checkpoint of {signed.origin} at size {signed.size}, entry {index} included"
    if not log.leaves:
        return done + "; no log here to check it was never rewritten"
    try:
        head = current_head(log, keys)
    except LogBroken as exc:
        raise LogBroken(f"today's log: {exc}") from None
    if head is not None and head.size < signed.size:
        raise LogBroken(
            f"the log's checkpoint ({head.size} entries) is older than the receipt's "
            f"({signed.size}): a replayed old checkpoint or a truncated log"
        )
    extends(log, signed, "the receipt's checkpoint")
    return done + f"; the log ({log.size} entries) extends it"


def verify(
    receipt: Any,
    current: dict[str, Declaration],
    ledger: list[LedgerEntry],
    log: Log | None = None,
    trusted: list[Verifier] | None = None,
) -> Verdict:
    """Whether ``receipt`` proves consent to a notice that was published."""
    from discloser.release.log import LogBroken

    problems = _shape(receipt)
    if problems:
        return Verdict(problems, "")
    proven, notes = "", []
    if receipt.get("proof") is not None:
        if log is None:
            return Verdict(["a receipt with a proof needs the log to check it against"], "")
        try:
            proven = check_proof(receipt, log, trusted)
        except LogBroken as exc:
            return Verdict([str(exc)], "")
    else:
        notes.append(
            "no signed checkpoint in this receipt: it names a notice, but nothing the "
            "publisher signed binds it"
        )
    feature, revision, digest = receipt["feature"], receipt["revision"], receipt["notice_hash"]
    published: dict[str, Any] | None = None
    source = ""
    d = current.get(feature)
    if d is not None and d.revision == revision and notice_hash(d) == digest:
        published, source = material(d), "current declaration"
    if published is None:
        for entry in ledger:
            if (
                entry.feature == feature
                and entry.revision == revision
                and entry.notice_hash == digest
            ):
                published, source = entry.material, f"ledger line {entry.line}"
    if published is None:
        known = d is not None or any(e.feature == feature for e in ledger)
        if not known:
            return Verdict([f"no feature {feature!r} in the declarations or the ledger"], "")
        return Verdict([f"{feature} revision {revision} was never published with {digest}"], "")
    purposes = {p["id"] for p in published["purposes"]}
    if set(receipt["choices"]) != purposes:
        return Verdict(
            [f"choices name {sorted(receipt['choices'])}, the notice has {sorted(purposes)}"], ""
        )
    if receipt["decision"] == "decline" and any(receipt["choices"].values()):
        return Verdict(["a declined receipt grants a purpose"], "")
    return Verdict([], source, proven, notes)
