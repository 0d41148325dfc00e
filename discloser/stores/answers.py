"""A feature's store answers in words, and what a change to the feature changes in them.

For ``discloser diff``: a reviewer should see that a pull request changes what the App Store
label or the Play form will say ("the App Store label changes: Photos or Videos now used for
Product Personalization"), not only which YAML answer moved. Each feature is taken on its own,
as if it were an app of one feature, because the diff knows declarations, not apps.
"""

from __future__ import annotations

from dataclasses import dataclass

from discloser.config import AppConfig
from discloser.model.declaration import Declaration
from discloser.stores.apps import implied
from discloser.stores.mapping import load

_ONE = AppConfig(name="feature", platforms=("ios", "android"))


@dataclass(frozen=True)
class StoreChange:
    """One changed store answer; ``more`` when the store will say more than before."""

    more: bool
    field: str  # stores.app_store or stores.play
    text: str


def _facts(d: Declaration | None) -> dict[str, dict[str, set[str]]]:
    """``{store: {data label: {facts}}}``; a fact is a purpose label or a flag word."""
    out: dict[str, dict[str, set[str]]] = {"app_store": {}, "play": {}}
    if d is None:
        return out
    mapping = load()
    imp = implied(_ONE, [d])
    for use in imp.apple:
        if not use.row.apple:
            continue
        facts = {f"used for {mapping.purposes[c].apple_label}" for c in use.categories}
        if use.tracking:
            facts.add("used to track you")
        out["app_store"][use.row.apple_label] = facts
    for use in imp.play:
        if not use.row.play:
            continue
        facts = {f"collected for {mapping.purposes[c].play_label}" for c in use.categories}
        facts |= {f"shared for {mapping.purposes[c].play_label}" for c in use.shared_categories}
        if not use.optional:
            facts.add("required")
        if not use.ephemeral:
            facts.add("kept (not ephemeral)")
        out["play"][use.row.play_label] = facts
    return out


_WHERE = {"app_store": "the App Store label changes", "play": "the Play data safety answers change"}


def changes(old: Declaration | None, new: Declaration | None) -> list[StoreChange]:
    """What the stores would say differently for this feature, in words."""
    a, b = _facts(old), _facts(new)
    out: list[StoreChange] = []
    for store in ("app_store", "play"):
        where, field = _WHERE[store], f"stores.{store}"
        before, after = a[store], b[store]
        for label in sorted(after.keys() - before.keys()):
            out.append(StoreChange(True, field, f"{where}: {label} now collected"))
        for label in sorted(before.keys() - after.keys()):
            out.append(StoreChange(False, field, f"{where}: {label} no longer collected"))
        for label in sorted(after.keys() & before.keys()):
            for fact in sorted(after[label] - before[label]):
                out.append(StoreChange(True, field, f"{where}: {label} now {fact}"))
            for fact in sorted(before[label] - after[label]):
                out.append(StoreChange(False, field, f"{where}: {label} no longer {fact}"))
    return out
