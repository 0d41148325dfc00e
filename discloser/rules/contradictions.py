"""Contradictions: a declaration whose label would say two things that cannot both be true.

The claims the outputs make, and which pairs exclude each other, are data (``claims.toml``), so
the rule, its documentation and the property test read one table: adding a sentence to the label
means adding its claim there, and the test proves no valid declaration renders a pair.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from operator import attrgetter
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


_SEQUENCES = (list, tuple)  # a tuple, not ``list | tuple``, which is built anew on every test


def _values(node: Any, steps: list[str]) -> list[Any]:
    """Every value at ``steps`` below ``node``, ``*`` standing for each item of a list."""
    if not steps:
        if isinstance(node, _SEQUENCES):
            return list(node)
        return [] if node is None else [node]
    head, rest = steps[0], steps[1:]
    if head == "*":
        return [v for item in node for v in _values(item, rest)]
    return _values(getattr(node, head), rest)


def _reader(steps: list[str]) -> Callable[[Any], list[Any]]:
    """:func:`_values` at ``steps``, with the path split once: the steps before the first
    ``*`` are one C-level attribute chain, and so are those after it when no other follows."""
    star = steps.index("*")
    before = attrgetter(".".join(steps[:star])) if star else None
    rest = steps[star + 1 :]
    if not rest or "*" in rest:
        return lambda node: [
            v for item in (before(node) if before else node) for v in _values(item, rest)
        ]
    after = attrgetter(".".join(rest))

    def read(node: Any) -> list[Any]:
        out: list[Any] = []
        for item in before(node) if before else node:
            value = after(item)
            if isinstance(value, _SEQUENCES):
                out += value
            elif value is not None:
                out.append(value)
        return out

    return read


Test = Callable[[Declaration], bool]
Groups = tuple[tuple[Test, ...], ...]  # a claim holds when all tests of any one group pass


def _compile(condition: dict[str, Any]) -> Test:
    """One condition of the table as a test of a declaration, the same as reading it with
    :func:`_values`, but with its path split and its kind chosen once: every declaration asks.
    A path without ``*`` is one C-level attribute chain, and a single value is tested without
    building a list."""
    dotted: str = condition["field"]
    steps = dotted.split(".")
    get: Callable[[Declaration], Any] = _reader(steps) if "*" in steps else attrgetter(dotted)
    if "in" in condition:
        allowed = condition["in"]

        def within(d: Declaration) -> bool:
            node = get(d)
            if isinstance(node, _SEQUENCES):
                return bool(node) and all(v in allowed for v in node)
            return node is not None and node in allowed

        return within
    if "not_in" in condition:
        refused = condition["not_in"]

        def outside(d: Declaration) -> bool:
            node = get(d)
            if isinstance(node, _SEQUENCES):
                return bool(node) and all(v not in refused for v in node)
            return node is not None and node not in refused

        return outside
    if "empty" in condition:
        empty = condition["empty"]
        return lambda d: (get(d) in (None, [], ())) is empty
    if "has" in condition:
        wanted = condition["has"]

        def has(d: Declaration) -> bool:
            node = get(d)
            if isinstance(node, _SEQUENCES):
                return wanted in node
            return node is not None and wanted == node

        return has
    raise RuntimeError(f"claims.toml: condition without a test: {condition}")


@cache
def _tests() -> dict[str, Groups]:
    """Each claim's groups of conditions, compiled once."""
    claims, _ = table()
    return {
        cid: tuple(tuple(map(_compile, group)) for group in c.when) for cid, c in claims.items()
    }


def _holds(d: Declaration, groups: Groups) -> bool:
    """Whether all conditions of any one of a claim's groups hold for ``d``."""
    for group in groups:
        for test in group:
            if not test(d):
                break
        else:
            return True
    return False


@cache
def _owned() -> tuple[tuple[Groups, tuple[tuple[Pair, Groups], ...]], ...]:
    """The pairs this rule refuses, in table order, in runs that share a first claim (the
    table lists a claim's pairs together): each run's first claim's compiled conditions, then
    each pair with its second claim's."""
    tests = _tests()
    runs: list[tuple[str, Groups, list[tuple[Pair, Groups]]]] = []
    for p in table()[1]:
        if p.refused_by[0] != CODE:
            continue
        if not runs or runs[-1][0] != p.first:
            runs.append((p.first, tests[p.first], []))
        runs[-1][2].append((p, tests[p.second]))
    return tuple((first, tuple(pairs)) for _, first, pairs in runs)


def claims_of(d: Declaration) -> set[str]:
    """The ids of every claim the outputs of ``d`` make, by the table's conditions."""
    return {cid for cid, groups in _tests().items() if _holds(d, groups)}


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
    # Only the claims of this rule's pairs are asked, the second of a pair only when the first
    # is made (most declarations make few of them), and each second claim at most once.
    made: dict[str, bool] = {}
    for first, pairs in _owned():
        if not _holds(d, first):
            continue
        for pair, second in pairs:
            if pair.second not in made:
                made[pair.second] = _holds(d, second)
            if not made[pair.second]:
                continue
            a, b = claims[pair.first], claims[pair.second]
            message = (
                f"the label would say both {a.text!r} ({'.'.join(map(str, a.at))}) and {b.text!r}"
            )
            if pair.hint:
                message += f": {pair.hint}"
            yield Problem(b.at, message)
