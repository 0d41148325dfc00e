"""Contradictions: a declaration whose label would say two things that cannot both be true.

The claims the outputs make, and which pairs exclude each other, are data (``claims.toml``), so
the rule, its documentation and the property test read one table: adding a sentence to the label
means adding its claim there, and the test proves no valid declaration renders a pair.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from discloser.config import Settings
from discloser.findings import Severity
from discloser.model.declaration import Declaration
from discloser.rules.registry import Problem, rule

CODE = "D313"


@dataclass(frozen=True)
class Claim:
    """A fact the label states, when it is stated, and where the declaration says it."""

    id: str
    text: str
    at: tuple[str | int, ...]
    says: tuple[str, ...]
    when: tuple[tuple[dict[str, Any], ...], ...]  # any of these, each all of its conditions


@dataclass(frozen=True)
class Pair:
    """Two claims that cannot both be true; ``refused_by`` names the rule that refuses them."""

    first: str
    second: str
    refused_by: tuple[str, ...]
    hint: str


def _path(dotted: str) -> tuple[str | int, ...]:
    return tuple(dotted.split("."))


@cache
def table() -> tuple[dict[str, Claim], tuple[Pair, ...]]:
    """The claims and exclusive pairs, read once from ``claims.toml``."""
    raw = tomllib.loads(
        (resources.files("discloser.rules") / "claims.toml").read_text(encoding="utf-8")
    )
    claims = {}
    for cid, c in raw["claims"].items():
        groups = tuple(tuple(g) for g in c["any"]) if "any" in c else (tuple(c["when"]),)
        claims[cid] = Claim(cid, c["text"], _path(c["at"]), tuple(c.get("says", ())), groups)
    pairs = tuple(
        Pair(p["claims"][0], p["claims"][1], tuple(p["refused_by"]), p.get("hint", ""))
        for p in raw["pairs"]
    )
    for p in pairs:
        for cid in (p.first, p.second):
            if cid not in claims:
                raise RuntimeError(f"claims.toml: pair names unknown claim {cid!r}")
    return claims, pairs


def _values(node: Any, steps: list[str]) -> list[Any]:
    """Every value at ``steps`` below ``node``, ``*`` standing for each item of a list."""
    if not steps:
        if isinstance(node, list | tuple):
            return list(node)
        return [] if node is None else [node]
    head, rest = steps[0], steps[1:]
    if head == "*":
        return [v for item in node for v in _values(item, rest)]
    return _values(getattr(node, head), rest)


def _holds(d: Declaration, condition: dict[str, Any]) -> bool:
    values = _values(d, condition["field"].split("."))
    if "in" in condition:
        return bool(values) and all(v in condition["in"] for v in values)
    if "not_in" in condition:
        return bool(values) and all(v not in condition["not_in"] for v in values)
    if "empty" in condition:
        return (not values) is condition["empty"]
    if "has" in condition:
        return condition["has"] in values
    raise RuntimeError(f"claims.toml: condition without a test: {condition}")


def claims_of(d: Declaration) -> set[str]:
    """The ids of every claim the outputs of ``d`` make, by the table's conditions."""
    claims, _ = table()
    return {
        c.id
        for c in claims.values()
        if any(all(_holds(d, cond) for cond in group) for group in c.when)
    }


def contradictions(d: Declaration) -> list[Pair]:
    """The exclusive pairs ``d`` produces (whichever rule refuses them)."""
    made = claims_of(d)
    return [p for p in table()[1] if p.first in made and p.second in made]


@rule(
    CODE,
    "contradictory-answers",
    Severity.ERROR,
    "change one of the two answers; the hint in the message says which way",
)
def contradictory_answers(d: Declaration, s: Settings) -> Iterator[Problem]:
    """No two answers make the label say things that cannot both be true.

    Each sentence the outputs generate is a claim (see `discloser/rules/claims.toml`): "processed
    on your phone", "kept on our servers", "not kept after processing", "you are told, not
    asked"... Some pairs cannot both be true, and a person who reads both trusts neither. Such a
    declaration is refused, located at the answer that makes the second claim.

    Fails:

    ```yaml
    processing: {location: on_device, countries: [], human_review: none, automated_decisions: false}
    ```

    Passes:

    ```yaml
    processing: {location: hybrid, countries: [US], human_review: none, automated_decisions: false}
    ```
    """
    claims, _ = table()
    for pair in contradictions(d):
        if pair.refused_by[0] != CODE:
            continue
        a, b = claims[pair.first], claims[pair.second]
        message = f"the label would say both {a.text!r} ({'.'.join(map(str, a.at))}) and {b.text!r}"
        if pair.hint:
            message += f": {pair.hint}"
        yield Problem(b.at, message)
