"""What changed between two versions of the declarations, and whether it widens consent.

Every material field has a direction: toward the person (narrowing), away from them
(widening), or sideways. A change is classified by comparing the two material contents
(:func:`discloser.notice.material`), never the YAML, so formatting and key order never count.
Widening changes need a higher ``revision`` (and so a new consent); narrowing changes are
recorded; everything outside the material content (wording, translations, links, regions,
platforms, status) is minor.

A sideways change (one picked photo becoming "only new photos you take") is treated as
widening: people agreed to the first, not the second.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from discloser.model.types import duration_days

if TYPE_CHECKING:
    from discloser.model.declaration import Declaration

INFINITE = float("inf")


class Kind(StrEnum):
    WIDENING = "widening"
    NARROWING = "narrowing"
    MINOR = "minor"


@dataclass(frozen=True)
class Change:
    """One classified change; ``text`` says it in words for a pull-request comment."""

    kind: Kind
    field: str
    text: str


@dataclass
class FeatureDiff:
    """Everything that changed for one feature id."""

    id: str
    status: str  # "changed", "new", "removed"
    old_revision: int | None
    new_revision: int | None
    changes: list[Change] = field(default_factory=list)

    @property
    def widening(self) -> bool:
        return any(c.kind is Kind.WIDENING for c in self.changes) or self.status == "new"

    @property
    def unacknowledged(self) -> bool:
        """A widening change that comes without a higher revision (the release gate)."""
        if self.status != "changed" or not any(c.kind is Kind.WIDENING for c in self.changes):
            return False
        return (self.new_revision or 0) <= (self.old_revision or 0)


ACCESS_RANK = {
    "picker": 1,
    "capture_only": 1,
    "limited_selection": 2,
    "shared_posts": 2,
    "full_library": 3,
}
ACCESS_WORDS = {
    "picker": "one picked photo",
    "capture_only": "new photos taken in the feature",
    "limited_selection": "a selection the person chose",
    "shared_posts": "photos already posted",
    "full_library": "the whole library",
}
CADENCE_RANK = {"on_device_only": 0, "on_request": 1, "continuous": 2}
FACES_RANK = {"none": 0, "detection": 1, "attributes": 2, "grouping": 3, "recognition": 4}
# Unsaid is the widest (it promised nothing); asking first is the narrowest.
CONDITION_RANK = {"if_you_agree": 0, "edited_or_shared": 1, "always": 2, "": 3}
TRAINING_RANK = {"none": 0, "this_feature": 1, "general_models": 2}
PROCESSING_RANK = {"on_device": 0, "hybrid": 1, "cloud": 2}
STORAGE_RANK = {"not_stored": 0, "on_device": 1, "cloud": 2}
REVIEW_RANK = {"none": 0, "on_report": 1, "sampled": 2, "all": 3}
CONSENT_RANK = {"opt_in": 0, "opt_out": 1, "notice_only": 2}  # higher: weaker


def _days(value: str | None) -> float:
    if value is None or value == "not_retained":
        return 0.0
    if value in ("until_deleted", "whole_library"):
        return INFINITE
    return duration_days(value)


def _ranked(path: str, old: str, new: str, rank: dict[str, int], what: str) -> Iterator[Change]:
    if old == new:
        return
    kind = Kind.NARROWING if rank[new] < rank[old] else Kind.WIDENING
    yield Change(kind, path, f"{what} changes from {old} to {new}")


def _flag(
    path: str, old: bool, new: bool, what: str, widening_when: bool = True
) -> Iterator[Change]:
    if old != new:
        kind = Kind.WIDENING if new is widening_when else Kind.NARROWING
        yield Change(kind, path, f"{what}: {str(old).lower()} → {str(new).lower()}")


def _set(path: str, old: list[str], new: list[str], what: str) -> Iterator[Change]:
    added, removed = sorted(set(new) - set(old)), sorted(set(old) - set(new))
    if added:
        yield Change(Kind.WIDENING, path, f"adds {what}: {', '.join(added)}")
    if removed:
        yield Change(Kind.NARROWING, path, f"removes {what}: {', '.join(removed)}")


def _longer(path: str, old: str | None, new: str | None, what: str) -> Iterator[Change]:
    if old == new:
        return
    kind = Kind.WIDENING if _days(new) > _days(old) else Kind.NARROWING
    yield Change(kind, path, f"{what} changes from {old or 'none'} to {new or 'none'}")


def classify(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Material changes from ``old`` to ``new`` (two :func:`~discloser.notice.material` dicts)."""
    changes: list[Change] = []
    op, np_ = old["photos"], new["photos"]
    if op["access"] != np_["access"]:
        kind = (
            Kind.NARROWING
            if ACCESS_RANK[np_["access"]] < ACCESS_RANK[op["access"]]
            else Kind.WIDENING
        )
        unshared = ", including photos never shared" if np_["includes_unshared"] else ""
        changes.append(
            Change(
                kind,
                "photos.access",
                f"{'widens' if kind is Kind.WIDENING else 'narrows'} access from "
                f"{ACCESS_WORDS[op['access']]} to {ACCESS_WORDS[np_['access']]}{unshared}",
            )
        )
    changes += _flag(
        "photos.includes_unshared",
        op["includes_unshared"],
        np_["includes_unshared"],
        "photos never shared included",
    )
    changes += _set("photos.reads", op["reads"], np_["reads"], "what is read from photos")
    changes += _ranked(
        "photos.cadence", op["cadence"], np_["cadence"], CADENCE_RANK, "processing cadence"
    )
    changes += _longer(
        "photos.lookback", op["lookback"], np_["lookback"], "how far back in the library"
    )
    changes += _ranked(
        "photos.face_analysis",
        op["face_analysis"],
        np_["face_analysis"],
        FACES_RANK,
        "face analysis",
    )

    old_p = {p["id"]: p for p in old["purposes"]}
    new_p = {p["id"]: p for p in new["purposes"]}
    for pid in sorted(new_p.keys() - old_p.keys()):
        changes.append(
            Change(
                Kind.WIDENING,
                f"purposes.{pid}",
                f"adds the purpose {pid} ({new_p[pid]['category']})",
            )
        )
    for pid in sorted(old_p.keys() - new_p.keys()):
        changes.append(Change(Kind.NARROWING, f"purposes.{pid}", f"removes the purpose {pid}"))
    for pid in sorted(old_p.keys() & new_p.keys()):
        a, b = old_p[pid], new_p[pid]
        for key in ("category", "legal_basis"):
            if a[key] != b[key]:
                changes.append(
                    Change(
                        Kind.WIDENING,
                        f"purposes.{pid}.{key}",
                        f"purpose {pid}: {key} {a[key]} → {b[key]}",
                    )
                )
        changes += _flag(
            f"purposes.{pid}.required", a["required"], b["required"], f"purpose {pid} required"
        )

    opr, npr = old["processing"], new["processing"]
    changes += _ranked(
        "processing.location", opr["location"], npr["location"], PROCESSING_RANK, "processing"
    )
    changes += _set(
        "processing.countries", opr["countries"], npr["countries"], "processing countries"
    )
    changes += _ranked(
        "processing.human_review",
        opr["human_review"],
        npr["human_review"],
        REVIEW_RANK,
        "human review",
    )
    changes += _flag(
        "processing.automated_decisions",
        opr["automated_decisions"],
        npr["automated_decisions"],
        "automated decisions",
    )

    ost, nst = old["storage"], new["storage"]
    changes += _ranked(
        "storage.location", ost["location"], nst["location"], STORAGE_RANK, "storage"
    )
    changes += _set("storage.countries", ost["countries"], nst["countries"], "storage countries")
    changes += _longer("storage.retention", ost["retention"], nst["retention"], "retention")
    changes += _longer(
        "storage.after_opt_out",
        ost["after_opt_out"],
        nst["after_opt_out"],
        "deletion delay after opt-out",
    )
    changes += _longer(
        "storage.face_templates",
        ost["face_templates"],
        nst["face_templates"],
        "face template retention",
    )
    for key in ("in_transit", "at_rest", "end_to_end"):
        changes += _flag(
            f"storage.encryption.{key}",
            ost["encryption"][key],
            nst["encryption"][key],
            f"encryption {key.replace('_', ' ')}",
            widening_when=False,
        )

    ot, nt = old["ai_training"], new["ai_training"]
    changes += _ranked("ai_training.use", ot["use"], nt["use"], TRAINING_RANK, "AI training")
    changes += _set("ai_training.reads", ot["reads"], nt["reads"], "items used for AI training")
    changes += _flag("ai_training.faces", ot["faces"], nt["faces"], "faces used for AI training")
    changes += _flag(
        "ai_training.opt_out_removes",
        ot["opt_out_removes"],
        nt["opt_out_removes"],
        "opting out removes photos from training",
        widening_when=False,
    )
    changes += _set("ai_training.purposes", ot["purposes"], nt["purposes"], "AI training purposes")

    for key in ("targeting", "measurement", "profiling"):
        changes += _flag(
            f"advertising.{key}",
            old["advertising"][key],
            new["advertising"][key],
            f"advertising {key}",
        )

    old_r = {r["id"]: r for r in old["sharing"]}
    new_r = {r["id"]: r for r in new["sharing"]}
    for rid in sorted(new_r.keys() - old_r.keys()):
        changes.append(
            Change(
                Kind.WIDENING, f"sharing.{rid}", f"adds the recipient {rid} ({new_r[rid]['role']})"
            )
        )
    for rid in sorted(old_r.keys() - new_r.keys()):
        changes.append(Change(Kind.NARROWING, f"sharing.{rid}", f"removes the recipient {rid}"))
    for rid in sorted(old_r.keys() & new_r.keys()):
        a, b = old_r[rid], new_r[rid]
        if a["role"] != b["role"]:
            changes.append(
                Change(
                    Kind.WIDENING,
                    f"sharing.{rid}.role",
                    f"recipient {rid}: role {a['role']} → {b['role']}",
                )
            )
        changes += _set(
            f"sharing.{rid}.purposes", a["purposes"], b["purposes"], f"purposes served by {rid}"
        )
        changes += _set(
            f"sharing.{rid}.countries", a["countries"], b["countries"], f"countries of {rid}"
        )

    changes += _later(old, new)

    oc, nc = old["consent"], new["consent"]
    if oc["model"] != nc["model"]:
        kind = (
            Kind.WIDENING
            if CONSENT_RANK[nc["model"]] > CONSENT_RANK[oc["model"]]
            else Kind.NARROWING
        )
        changes.append(
            Change(kind, "consent.model", f"consent changes from {oc['model']} to {nc['model']}")
        )
    changes += _flag(
        "consent.per_purpose",
        oc["per_purpose"],
        nc["per_purpose"],
        "separate choices per purpose",
        widening_when=False,
    )
    return changes


def _later(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Answers added for issue 9: training condition, longer retention, audience, terms."""
    changes: list[Change] = []
    a, b = old.get("ai_training_condition", ""), new.get("ai_training_condition", "")
    changes += _ranked("ai_training.condition", a, b, CONDITION_RANK, "AI training condition")
    ol, nl = old.get("storage_longer_for", {}), new.get("storage_longer_for", {})
    base_old, base_new = old["storage"]["retention"], new["storage"]["retention"]
    for item in sorted(ol.keys() | nl.keys()):
        changes += _longer(
            f"storage.longer_for.{item}",
            ol.get(item, base_old),
            nl.get(item, base_new),
            f"retention of what is {item}",
        )
    oa, na = old.get("sharing_audience", {}), new.get("sharing_audience", {})
    for rid in sorted(oa.keys() | na.keys()):
        x, y = oa.get(rid, "always"), na.get(rid, "always")
        if x != y and rid in {r["id"] for r in new["sharing"]}:
            kind = Kind.NARROWING if y == "when_you_share" else Kind.WIDENING
            changes.append(
                Change(kind, f"sharing.{rid}.audience", f"recipient {rid}: receives {x} → {y}")
            )
    ot = {t["id"]: t for t in old.get("bundled_terms", [])}
    nt = {t["id"]: t for t in new.get("bundled_terms", [])}
    for tid in sorted(nt.keys() - ot.keys()):
        changes.append(
            Change(Kind.WIDENING, f"bundled_terms.{tid}", f"adds the bundled terms {tid}")
        )
    for tid in sorted(ot.keys() - nt.keys()):
        changes.append(
            Change(Kind.NARROWING, f"bundled_terms.{tid}", f"removes the bundled terms {tid}")
        )
    for tid in sorted(ot.keys() & nt.keys()):
        if ot[tid]["link"] != nt[tid]["link"]:
            changes.append(
                Change(
                    Kind.WIDENING,
                    f"bundled_terms.{tid}.link",
                    f"bundled terms {tid} now point at other terms",
                )
            )
        changes += _set(
            f"bundled_terms.{tid}.allows",
            ot[tid]["allows"],
            nt[tid]["allows"],
            f"what the terms {tid} allow",
        )
    return changes


# ----------------------------------------------------------------------- whole versions

MINOR_FIELDS = (
    "name",
    "summary",
    "owner",
    "controller",
    "status",
    "ended",
    "effective",
    "locales",
    "platforms",
    "regions",
    "translations",
    "waivers",
    "links",
)


def _wording(old: Any, new: Any) -> list[Change]:
    """Minor changes: everything a person reads or that frames the notice, not its answers."""
    a, b = old.model_dump(mode="json"), new.model_dump(mode="json")
    changes = [
        Change(Kind.MINOR, key, f"{key} changed")
        for key in MINOR_FIELDS
        if a.get(key) != b.get(key)
    ]
    texts_a = {p["id"]: p["text"] for p in a["purposes"]} | {
        r["id"]: r["name"] for r in a["sharing"]
    }
    texts_b = {p["id"]: p["text"] for p in b["purposes"]} | {
        r["id"]: r["name"] for r in b["sharing"]
    }
    for key in sorted(texts_a.keys() & texts_b.keys()):
        if texts_a[key] != texts_b[key]:
            changes.append(Change(Kind.MINOR, key, f"wording of {key} changed"))
    for path, x, y in (
        ("storage.deletion", a["storage"]["deletion"], b["storage"]["deletion"]),
        ("consent.withdraw", a["consent"]["withdraw"], b["consent"]["withdraw"]),
    ):
        if x != y:
            changes.append(Change(Kind.MINOR, path, f"wording of {path} changed"))
    return changes


def diff_versions(old: dict[str, Any], new: dict[str, Any]) -> list[FeatureDiff]:
    """Compare two ``{id: Version}`` maps (see :mod:`discloser.release.versions`)."""
    from discloser.notice import material

    out = []
    for fid in sorted(old.keys() | new.keys()):
        a = old[fid].declaration if fid in old else None
        b = new[fid].declaration if fid in new else None
        if a is None and b is not None:
            out.append(FeatureDiff(fid, "new", None, b.revision, _store_lines(a, b, True)))
        elif b is None and a is not None:
            out.append(FeatureDiff(fid, "removed", a.revision, None, _store_lines(a, b, True)))
        elif a is not None and b is not None:
            same = material(a) == material(b)
            changes = classify(material(a), material(b)) + _wording(a, b)
            changes += _store_lines(a, b, not same)
            if changes or a.revision != b.revision:
                out.append(FeatureDiff(fid, "changed", a.revision, b.revision, changes))
    return out


def _store_lines(
    a: Declaration | None, b: Declaration | None, material_change: bool
) -> list[Change]:
    """What the App Store label and the Play form would say differently (issue: store answers).

    Widening when a store will say more, narrowing when less; minor when only the status moved
    (a feature going live changes the store answers, not what people agreed to).
    """
    from discloser.stores.answers import changes

    out = []
    for c in changes(a, b):
        kind = (Kind.WIDENING if c.more else Kind.NARROWING) if material_change else Kind.MINOR
        out.append(Change(kind, c.field, c.text))
    return out


# ----------------------------------------------------------------------------- reports

_VERDICT = {
    Kind.WIDENING: "widening (needs a higher revision and new consent)",
    Kind.NARROWING: "narrowing (in the person's favour; recorded)",
    Kind.MINOR: "minor",
}


def _headline(f: FeatureDiff) -> str:
    if f.status == "new":
        return f"{f.id}: new feature (revision {f.new_revision})"
    if f.status == "removed":
        return f"{f.id}: removed (was revision {f.old_revision})"
    gate = " — NOT ACKNOWLEDGED: raise the revision" if f.unacknowledged else ""
    return f"{f.id}: revision {f.old_revision} → {f.new_revision}{gate}"


def as_text(diffs: list[FeatureDiff]) -> str:
    if not diffs:
        return "no changes\n"
    lines = []
    for f in diffs:
        lines.append(_headline(f))
        lines += [f"  {c.kind.value:<9} {c.field}: {c.text}" for c in f.changes]
    return "\n".join(lines) + "\n"


def as_json(diffs: list[FeatureDiff]) -> str:
    import json

    doc = {
        "features": [
            {
                "id": f.id,
                "status": f.status,
                "old_revision": f.old_revision,
                "new_revision": f.new_revision,
                "widening": f.widening,
                "unacknowledged": f.unacknowledged,
                "changes": [
                    {"kind": c.kind.value, "field": c.field, "text": c.text} for c in f.changes
                ],
            }
            for f in diffs
        ],
        "unacknowledged": sum(f.unacknowledged for f in diffs),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def as_markdown(diffs: list[FeatureDiff]) -> str:
    """For a pull-request comment or ``$GITHUB_STEP_SUMMARY``: each change said in words."""
    if not diffs:
        return "### Photo disclosures\n\nNo change to what any feature does with photos.\n"
    blocked = [f for f in diffs if f.unacknowledged]
    out = ["### Photo disclosures", ""]
    if blocked:
        out += [
            f"**{len(blocked)} feature(s) widen what people agreed to without a new revision.** "
            "Raise `revision` so people are asked again.",
            "",
        ]
    for f in diffs:
        out.append(f"#### `{f.id}`: {_headline(f).split(': ', 1)[1]}")
        out.append("")
        for kind in (Kind.WIDENING, Kind.NARROWING, Kind.MINOR):
            items = [c for c in f.changes if c.kind is kind]
            if items:
                out.append(f"- **{_VERDICT[kind]}**")
                out += [f"  - {c.text}" for c in items]
        out.append("")
    return "\n".join(out)
