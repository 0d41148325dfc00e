"""Rules as small registered units.

A rule is a stable code, a kebab-case name, a default severity, a fix hint and a check; its
docstring is its documentation (summary line, why, then a failing and a passing YAML example),
and the rules reference on the site is generated from it. Tests apply each docstring example to a
valid declaration, so the documentation cannot drift from what the rule does.

Per-declaration rules see one validated :class:`Declaration` at a time, so validation streams;
catalogue rules see a small :class:`Entry` per file, never the whole set of trees.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from discloser.findings import Severity

if TYPE_CHECKING:
    from discloser.config import Settings
    from discloser.load.yaml12 import Path
    from discloser.model.declaration import Declaration


@dataclass(frozen=True, slots=True)
class Problem:
    """What a check reports: the path of the offending value and a one-line message.

    ``offset`` (with ``length``) points inside a text value, at the very word a rule is about,
    so an editor jumps to "pouvons", not to the start of a long sentence.
    """

    path: Path
    message: str
    offset: int = -1
    length: int = 0


@dataclass(frozen=True, slots=True)
class Entry:
    """What the catalogue keeps of each declaration: enough for cross-file rules, no more.

    ``notice`` (the notice hash) is only computed when a ledger is there to check it against.
    """

    id: str
    file: str
    line: int
    column: int
    status: str = ""
    revision: int = 0
    revision_at: tuple[int, int] = (1, 1)
    notice: str = ""


@dataclass(frozen=True, slots=True)
class CatalogProblem:
    """A cross-declaration problem, located in one of the files involved."""

    entry: Entry
    message: str


Check = Callable[["Declaration", "Settings"], Iterable[Problem]]
CatalogCheck = Callable[[list[Entry]], Iterable[CatalogProblem]]


@dataclass(frozen=True)
class Rule:
    """A registered rule; exactly one of ``check`` and ``catalog_check`` is set."""

    code: str
    name: str
    severity: Severity
    hint: str
    doc: str
    check: Check | None = field(default=None, repr=False)
    catalog_check: CatalogCheck | None = field(default=None, repr=False)

    @property
    def summary(self) -> str:
        """The docstring's first line: what ``discloser rules`` prints."""
        return self.doc.split("\n", 1)[0]


RULES: dict[str, Rule] = {}


def _register(rule: Rule) -> None:
    clash = next((r for r in RULES.values() if r.name == rule.name), None)
    if rule.code in RULES or clash is not None:
        raise RuntimeError(f"rule {rule.code} {rule.name} registered twice")
    RULES[rule.code] = rule


def rule(code: str, name: str, severity: Severity, hint: str) -> Callable[[Check], Check]:
    """Register a per-declaration check under a stable code."""

    def register(check: Check) -> Check:
        _register(Rule(code, name, severity, hint, inspect.getdoc(check) or "", check=check))
        return check

    return register


def catalog_rule(
    code: str, name: str, severity: Severity, hint: str
) -> Callable[[CatalogCheck], CatalogCheck]:
    """Register a cross-declaration check under a stable code."""

    def register(check: CatalogCheck) -> CatalogCheck:
        doc = inspect.getdoc(check) or ""
        _register(Rule(code, name, severity, hint, doc, catalog_check=check))
        return check

    return register


def all_rules() -> dict[str, Rule]:
    """Every rule, by code, in code order; importing the theme modules registers them."""
    from discloser.rules import (  # noqa: F401
        biometrics,
        consent,
        consistency,
        contradictions,
        freetext,
        language,
        storage,
        translations,
    )

    return dict(sorted(RULES.items()))


def find(key: str) -> Rule | None:
    """A rule by code (``D401``) or name (``sensitive-use-needs-opt-in``)."""
    rules = all_rules()
    return rules.get(key.upper()) or next((r for r in rules.values() if r.name == key), None)


def iter_declaration_rules() -> Iterator[Rule]:
    return (r for r in all_rules().values() if r.check is not None)
