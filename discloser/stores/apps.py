"""An app is a set of declarations; what its live and beta features imply for each store.

A store answers for the whole app, never for one feature, so the answers are aggregated: a data
type is listed when any feature sends it off the device, with the union of purposes and the
strictest flags (linked if any links, tracking if any tracks, required if any requires it).
Planned and retired features are left out; each left-out feature keeps its reason, which the
site publishes next to the mapping table ("processed only on the phone", "not live yet").
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass, field

from discloser.config import AppConfig, Settings
from discloser.errors import UsageError
from discloser.model.declaration import Declaration
from discloser.stores.mapping import DataRow, Mapping, load

DEFAULT_APP = "app"


def apps_of(settings: Settings, declarations: Iterable[Declaration]) -> tuple[AppConfig, ...]:
    """The configured apps, or one app of every declaration on every platform they name."""
    if settings.apps:
        return settings.apps
    platforms = sorted({p for d in declarations for p in d.platforms})
    return (AppConfig(name=DEFAULT_APP, platforms=tuple(platforms)),)


def pick_app(apps: tuple[AppConfig, ...], name: str | None) -> tuple[AppConfig, ...]:
    """``--app NAME``, refused with the known names when there is no such app."""
    if name is None:
        return apps
    chosen = tuple(a for a in apps if a.name == name)
    if not chosen:
        raise UsageError(f"no app named {name!r}; configured: {', '.join(a.name for a in apps)}")
    return chosen


def _matches(selector: str, d: Declaration) -> bool:
    if selector.startswith("platform:"):
        return selector[len("platform:") :] in d.platforms
    return fnmatch.fnmatchcase(d.id, selector)


def members(app: AppConfig, declarations: Iterable[Declaration]) -> list[Declaration]:
    """The declarations an app ships, by id order: its selectors, else its platforms."""
    if app.declarations:
        chosen = [d for d in declarations if any(_matches(s, d) for s in app.declarations)]
    else:
        chosen = [d for d in declarations if set(d.platforms) & set(app.platforms)]
    return sorted(chosen, key=lambda d: d.id)


@dataclass(frozen=True)
class FeatureUse:
    """One feature's contribution to one data type, before aggregation."""

    feature: str
    categories: frozenset[str]
    ephemeral: bool
    optional: bool
    tracking: bool
    shared_categories: frozenset[str]  # purposes served by recipients Play counts as sharing
    in_transit: bool


@dataclass(frozen=True)
class Absent:
    """A member feature that no store answer reflects, and why (published on the site)."""

    feature: str
    reason: str


def advertising_on(d: Declaration) -> bool:
    a = d.advertising
    return a.targeting or a.measurement or a.profiling


def categories_of(d: Declaration) -> frozenset[str]:
    """The purpose categories of a feature; advertising answers add ``advertising``."""
    cats = {p.category for p in d.purposes}
    if advertising_on(d):
        cats.add("advertising")
    return frozenset(cats)


def leaves_device(d: Declaration) -> bool:
    """Sent off the device in a way someone other than the person can read."""
    if d.processing.location in ("cloud", "hybrid"):
        return True
    return d.storage.location == "cloud" and not d.storage.encryption.end_to_end


def absence_kind(d: Declaration) -> str | None:
    """``planned``/``retired``, ``on_device`` or ``end_to_end`` when absent; else None."""
    if d.status not in ("live", "beta"):
        return d.status
    if leaves_device(d):
        return None
    return "end_to_end" if d.storage.location == "cloud" else "on_device"


def absence(d: Declaration, mapping: Mapping) -> str | None:
    """Why a feature is absent from every store answer, or None when it is present."""
    kind = absence_kind(d)
    if kind is None:
        return None
    if kind in ("on_device", "end_to_end"):
        return str(mapping.rules[f"{kind}_why"])
    return f"{kind}: store answers describe live and beta features only"


def rows_of(d: Declaration, mapping: Mapping) -> list[DataRow]:
    """The mapping rows a declaration implies (whether or not the data leaves the device)."""
    reads = set(d.photos.reads)
    return [
        row
        for row in mapping.data
        if reads & set(row.reads) or d.photos.face_analysis in row.face_analysis
    ]


def feature_use(d: Declaration, mapping: Mapping) -> FeatureUse:
    ad_purposes = {p.id for p in d.purposes if p.category == "advertising"}
    tracking, shared = False, set[str]()
    by_id = {p.id: p.category for p in d.purposes}
    for r in d.sharing:
        role = mapping.recipients[r.role]
        # Play exempts a transfer the person starts and expects ("user-initiated action").
        counted = r.audience == "always" or bool(mapping.rules["when_you_share_play_shared"])
        if role.play_shared and counted:
            shared.update(by_id[p] for p in r.purposes if p in by_id)
        if role.tracking and (set(r.purposes) & ad_purposes or advertising_on(d)):
            tracking = True
    optional = d.consent.model == "opt_in" or not any(p.required for p in d.purposes)
    # Google: "data used to build advertising or other user profiles can't be ephemeral".
    ephemeral = (
        d.storage.location == "not_stored" or d.storage.retention == "not_retained"
    ) and not d.advertising.profiling
    return FeatureUse(
        feature=d.id,
        categories=categories_of(d),
        ephemeral=ephemeral,
        optional=optional,
        tracking=tracking,
        shared_categories=frozenset(shared),
        in_transit=d.storage.encryption.in_transit,
    )


@dataclass(frozen=True)
class DataUse:
    """One data type as the stores see it for a whole app: the aggregate of its features."""

    row: DataRow
    uses: tuple[FeatureUse, ...]

    @property
    def features(self) -> list[str]:
        return [u.feature for u in self.uses]

    @property
    def categories(self) -> frozenset[str]:
        return frozenset(c for u in self.uses for c in u.categories)

    @property
    def tracking(self) -> bool:
        return any(u.tracking for u in self.uses)

    @property
    def ephemeral(self) -> bool:
        return all(u.ephemeral for u in self.uses)

    @property
    def optional(self) -> bool:
        return all(u.optional for u in self.uses)

    @property
    def shared_categories(self) -> frozenset[str]:
        return frozenset(c for u in self.uses for c in u.shared_categories)

    @property
    def in_transit(self) -> bool:
        return all(u.in_transit for u in self.uses)

    def kept(self) -> DataUse | None:
        """Only the features that keep the data: Apple's "collected"."""
        uses = tuple(u for u in self.uses if not u.ephemeral)
        return DataUse(self.row, uses) if uses else None


@dataclass(frozen=True)
class Implied:
    """What an app's declarations imply for the stores: one entry per data type sent off."""

    app: AppConfig
    features: tuple[Declaration, ...]  # live and beta members
    data: tuple[DataUse, ...]  # every store row with a term, in table order
    absent: tuple[Absent, ...] = field(default=())
    inside: tuple[tuple[str, str], ...] = field(default=())  # (row id, feature): no own term

    @property
    def apple(self) -> tuple[DataUse, ...]:
        """Apple's collected data: sent off and kept longer than the request needs."""
        return tuple(k for k in (u.kept() for u in self.data) if k is not None)

    @property
    def play(self) -> tuple[DataUse, ...]:
        """Play's collected data: sent off (ephemeral processing is a flag, not an exception)."""
        return self.data

    @property
    def tracking(self) -> bool:
        return any(u.tracking for u in self.apple)


def implied(
    app: AppConfig, declarations: Iterable[Declaration], mapping: Mapping | None = None
) -> Implied:
    """Aggregate an app's members into the store answers (see the module docstring)."""
    mapping = mapping or load()
    chosen = members(app, declarations)
    live, absent = [], []
    per_row: dict[str, list[FeatureUse]] = {}
    inside: list[tuple[str, str]] = []
    for d in chosen:
        reason = absence(d, mapping)
        if d.status in ("live", "beta"):
            live.append(d)
        if reason is not None:
            absent.append(Absent(d.id, reason))
            continue
        use = feature_use(d, mapping)
        for row in rows_of(d, mapping):
            if row.apple or row.play or row.fastlane:
                per_row.setdefault(row.id, []).append(use)
            else:
                inside.append((row.id, d.id))
    data = tuple(DataUse(row, tuple(per_row[row.id])) for row in mapping.data if row.id in per_row)
    return Implied(app, tuple(live), data, tuple(absent), tuple(inside))
