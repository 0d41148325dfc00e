"""What the site says, as data: which features it shows, the questions they answer, their history.

Everything here is plain data built from validated declarations and the ledger; the pages are
written from it by :mod:`discloser.site.project`. Answers stay inline-Markdown source (as in
:class:`~discloser.render.view.View`), so each page chooses the safe form it needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from discloser.model.declaration import Declaration
from discloser.model.types import SLUG
from discloser.release.diff import Change, classify
from discloser.release.ledger import LedgerEntry, read
from discloser.render.view import Answer, View, build_view

_SLUG = re.compile(SLUG)
# Planned features are not in the product yet: the site describes what people can meet.
PUBLISHED = ("live", "beta", "retired")
# Home and the question pages list what people can use today.
LISTED = ("live", "beta")
# Which label rows each question page shows.
ASKED_ROWS = {
    "unshared": ("which", "when"),
    "ai": ("ai",),
    "ads": ("ads",),
    "cloud": ("processed", "stored"),
    "controls": ("controls",),
}


def asks(d: Declaration) -> frozenset[str]:
    """The questions people ask that ``d`` answers with a yes (``controls`` is everyone's)."""
    p, a = d.photos, d.advertising
    yes = {"controls"}
    if p.includes_unshared and p.access in ("full_library", "limited_selection"):
        yes.add("unshared")
    if d.ai_training.use != "none":
        yes.add("ai")
    if a.targeting or a.measurement or a.profiling:
        yes.add("ads")
    if d.processing.location != "on_device" or d.storage.location == "cloud":
        yes.add("cloud")
    return frozenset(yes)


@dataclass(frozen=True)
class Row:
    """One feature in one locale, as the index pages show it."""

    id: str
    name: str  # inline Markdown, the declaration's (translated) text
    summary: str
    status: str
    revision: int
    effective: str  # the long date in the locale
    asks: frozenset[str]
    answers: tuple[Answer, ...]
    stores_absent: str = ""  # retired / on_device / end_to_end: why no store answer shows it

    def answer(self, key: str) -> Answer:
        return next(a for a in self.answers if a.key == key)


def row(d: Declaration, v: View) -> Row:
    return Row(
        id=d.id,
        name=v.name,
        summary=v.summary,
        status=d.status,
        revision=d.revision,
        effective=v.effective,
        asks=asks(d),
        answers=tuple(v.answers),
        stores_absent=_stores_absent(d),
    )


def _stores_absent(d: Declaration) -> str:
    from discloser.stores.apps import absence_kind

    return absence_kind(d) or ""  # the site shows no planned feature


# --------------------------------------------------------------------------- history


@dataclass(frozen=True)
class Release:
    """One ledger entry, with what changed since the feature's previous entry.

    ``changes`` is None for a feature's first release; an empty list means a new revision
    whose material content did not change (wording only).
    """

    entry: LedgerEntry
    changes: tuple[Change, ...] | None
    previous: int | None  # the feature's revision before this one

    @property
    def feature(self) -> str:
        return self.entry.feature

    @property
    def revision(self) -> int:
        return self.entry.revision


def _usable(entry: LedgerEntry) -> bool:
    """Whether an entry can name pages: its id and revision become a path (``changes/x/2``).

    Validation has checked the chain, not the content; a line naming ``../..`` is skipped.
    """
    revision = entry.revision
    return (
        isinstance(entry.feature, str)
        and _SLUG.fullmatch(entry.feature) is not None
        and isinstance(revision, int)
        and not isinstance(revision, bool)
        and revision >= 1
        and isinstance(entry.material, dict)
    )


def read_ledgers(paths: Iterable[Path]) -> list[Release]:
    """Every usable entry of the given ledgers (checked by validation), oldest first."""
    out: list[Release] = []
    for path in paths:
        entries, _ = read(path)
        last: dict[str, LedgerEntry] = {}
        for entry in filter(_usable, entries):
            before = last.get(entry.feature)
            try:
                changes = (
                    None if before is None else tuple(classify(before.material, entry.material))
                )
            except (KeyError, TypeError, AttributeError):  # a shape this version cannot read
                changes = ()
            out.append(Release(entry, changes, before.revision if before else None))
            last[entry.feature] = entry
    return out


def by_feature(releases: list[Release]) -> dict[str, list[Release]]:
    out: dict[str, list[Release]] = {}
    for r in releases:
        out.setdefault(r.feature, []).append(r)
    return out


def _filler(locale: str) -> dict[str, Any]:
    """Non-material fields a declaration needs to validate; never shown."""
    return {
        "discloser": 1,
        "name": "-",
        "summary": "-",
        "owner": "-",
        "controller": "-",
        "status": "live",
        "locales": [locale],
        "platforms": ["ios"],
        "regions": ["US"],
        "links": {"policy": "https://example.com/", "contact": "mailto:a@example.com"},
    }


def revision_view(entry: LedgerEntry, locale: str) -> View | None:
    """The label of a released revision, from the ledger's material content alone.

    The ledger keeps answers, not wording: purposes and recipients are shown by their ids.
    The content is validated like a declaration, so a ledger line this version cannot read
    shows no label rather than something half-understood. ``None`` then.
    """
    m = entry.material
    try:
        data = {
            **_filler(locale),
            "id": entry.feature,
            "revision": entry.revision,
            "effective": entry.effective,
            "photos": m["photos"],
            "purposes": [{**p, "text": "-"} for p in m["purposes"]],
            "processing": m["processing"],
            "storage": {**m["storage"], "deletion": None},
            "ai_training": m["ai_training"],
            "advertising": m["advertising"],
            "sharing": [{**r, "name": "-"} for r in m["sharing"]],
            "consent": {**m["consent"], "withdraw": "-"},
        }
        d = Declaration.model_validate(data)
    except (KeyError, TypeError, ValidationError):
        return None
    # Ids are validated slugs: as code they are safe inline Markdown.
    d = d.model_copy(
        update={
            "purposes": [p.model_copy(update={"text": f"`{p.id}`"}) for p in d.purposes],
            "sharing": [r.model_copy(update={"name": f"`{r.id}`"}) for r in d.sharing],
        }
    )
    return build_view(d, locale)
