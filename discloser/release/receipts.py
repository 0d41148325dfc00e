"""Checking a consent receipt against what was published.

A receipt (written by the consent prompt, see ``discloser/static/discloser-prompt.js``) names a
feature, a revision and the notice hash of what the person was shown. It verifies when the
feature exists, that exact hash was published for that revision (in the current declarations
or, for an older revision, in the ledger), and its choices cover exactly that notice's
purposes. A receipt for an old revision still verifies: the ledger keeps every notice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from discloser.model.declaration import Declaration
from discloser.notice import material, notice_hash
from discloser.release.ledger import LedgerEntry

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
_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$")
_HASH = re.compile(r"^sha256:[0-9a-f]{64}$")


@dataclass(frozen=True)
class Verdict:
    problems: list[str]
    source: str  # "current" or "ledger line N", when valid

    @property
    def valid(self) -> bool:
        return not self.problems


def _shape(receipt: Any) -> list[str]:
    if not isinstance(receipt, dict):
        return ["a receipt is a JSON object"]
    problems = []
    if set(receipt) != RECEIPT_KEYS:
        problems.append(f"keys must be exactly {sorted(RECEIPT_KEYS)}")
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
    }
    for key, ok in checks.items():
        if key in receipt and not ok(receipt[key]):
            problems.append(f"{key} has the wrong form: {receipt[key]!r}")
    return problems


def verify(receipt: Any, current: dict[str, Declaration], ledger: list[LedgerEntry]) -> Verdict:
    """Whether ``receipt`` proves consent to a notice that was published."""
    problems = _shape(receipt)
    if problems:
        return Verdict(problems, "")
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
    return Verdict([], source)
