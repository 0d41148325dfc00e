"""The notice: the canonical material content of a declaration, and its sha256.

The label, the JSON twin, the consent prompt's receipts, the diff and the ledger all speak of
"the notice a person saw"; they must hash the same bytes, so there is one definition here.

Material content is every answer that changes what happens to photos: the feature id, the
eight answers, purposes (id, category, legal basis, required), recipients (id, role, purposes,
countries, and an audience other than ``always``), the consent model, the training condition,
longer retention per item, and bundled terms (id, link, what they allow). It leaves out
wording, translations, links, regions, revision, dates and status: rewording a sentence or
shipping in one more country is not a new agreement for the people who already agreed;
widening access is.

Canonical form (anyone can recompute it): the JSON below with lists that are sets sorted,
purposes and recipients sorted by id, keys sorted, no insignificant
whitespace, UTF-8 — RFC 8785 (JCS) for data without floating-point numbers. The hash is
written ``sha256:<64 hex digits>``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from discloser.model.declaration import Declaration
from discloser.model.types import REGION_ALIASES


def expanded_regions(d: Declaration) -> list[str]:
    """Regions with EU and EEA written out as member states, sorted and without repeats."""
    out: set[str] = set()
    for region in d.regions:
        out.update(REGION_ALIASES.get(region, (region,)))
    return sorted(out)


def material(d: Declaration) -> dict[str, Any]:
    """The answers that define what a person agrees to (see the module docstring)."""
    p, pr, st, t, a = d.photos, d.processing, d.storage, d.ai_training, d.advertising
    return {
        "id": d.id,
        "photos": {
            "access": p.access,
            "includes_unshared": p.includes_unshared,
            "cadence": p.cadence,
            "lookback": p.lookback,
            "reads": sorted(set(p.reads)),
            "face_analysis": p.face_analysis,
        },
        "purposes": [
            {
                "id": x.id,
                "category": x.category,
                "legal_basis": x.legal_basis,
                "required": x.required,
            }
            for x in sorted(d.purposes, key=lambda x: x.id)
        ],
        "processing": {
            "location": pr.location,
            "countries": sorted(set(pr.countries)),
            "human_review": pr.human_review,
            "automated_decisions": pr.automated_decisions,
        },
        "storage": {
            "location": st.location,
            "countries": sorted(set(st.countries)),
            "retention": st.retention,
            "after_opt_out": st.after_opt_out,
            "face_templates": st.face_templates,
            "encryption": st.encryption.model_dump(),
        },
        "ai_training": {
            "use": t.use,
            "reads": sorted(set(t.reads)),
            "faces": t.faces,
            "purposes": sorted(set(t.purposes)),
            "opt_out_removes": t.opt_out_removes,
        },
        "advertising": a.model_dump(),
        "sharing": [
            {
                "id": r.id,
                "role": r.role,
                "purposes": sorted(set(r.purposes)),
                "countries": sorted(set(r.countries)),
            }
            for r in sorted(d.sharing, key=lambda r: r.id)
        ],
        "consent": {"model": d.consent.model, "per_purpose": d.consent.per_purpose},
        **_later(d),
    }


def _later(d: Declaration) -> dict[str, Any]:
    """Answers added after the first release (issue 9), hashed only when given.

    A declaration that does not use them keeps the hash it always had, so no receipt and no
    ledger entry is invalidated by a new version of discloser; one that does use them gets a
    new hash, as any material change does.
    """
    out: dict[str, Any] = {}
    if d.ai_training.condition is not None:
        out["ai_training_condition"] = d.ai_training.condition
    if d.storage.longer_for:
        out["storage_longer_for"] = {
            item: x.retention for x in d.storage.longer_for for item in x.items
        }
    audiences = {r.id: r.audience for r in d.sharing if r.audience != "always"}
    if audiences:
        out["sharing_audience"] = audiences
    if d.bundled_terms:
        out["bundled_terms"] = [
            {"id": b.id, "link": b.link, "allows": sorted(set(b.allows))}
            for b in sorted(d.bundled_terms, key=lambda b: b.id)
        ]
    return out


def canonical(d: Declaration) -> bytes:
    """The canonical serialisation of :func:`material`, the bytes that are hashed."""
    return json.dumps(
        material(d), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def notice_hash(d: Declaration) -> str:
    """``sha256:<hex>`` of :func:`canonical`: the value receipts, the twin and the ledger carry."""
    return "sha256:" + hashlib.sha256(canonical(d)).hexdigest()
