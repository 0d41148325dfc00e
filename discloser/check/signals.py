"""Signal patterns (data, one YAML file per platform) and the signals they find.

A pattern is data so a project can add its own wrapper or SDK without changing code: a file
of the same shape passed with ``--patterns`` is loaded after the shipped ones. The loader is
strict (unknown keys fail) for the same reason declarations are: a misspelt ``not_arg`` would
silently widen a pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from discloser.errors import UsageError

Kind = Literal[
    "picker",
    "limited_selection",
    "library_read",
    "add_only",
    "capture",
    "change_observer",
    "background_trigger",
    "background_upload",
    "read_faces",
    "read_text",
    "read_location",
]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]
Language = Literal[
    "swift", "objc", "kotlin", "java", "javascript", "typescript", "tsx", "dart", "html"
]
PlatformName = Literal["ios", "android", "react-native", "flutter", "web"]

# Which declaration platforms a signal of each pattern platform can be covered by.
COVERED_BY: dict[str, frozenset[str]] = {
    "ios": frozenset({"ios"}),
    "android": frozenset({"android"}),
    "react-native": frozenset({"ios", "android"}),
    "flutter": frozenset({"ios", "android"}),
    "web": frozenset({"web"}),
}

PATTERNS_DIR = Path(__file__).parent / "patterns"
_NAME = re.compile(r"^\.?[@\w$/:-]+(?:\.[\w$]+)*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class PatternTest(_Strict):
    """Code that must give the signal and code that must not; the tests run both."""

    language: Language | None = None
    match: str
    no_match: str


class PatternSpec(_Strict):
    """One pattern as written in a platform file."""

    id: str = Field(pattern=r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
    kind: Kind
    chain: str | list[str] | None = None
    module: str | list[str] | None = None
    file_has: list[str] = Field(default_factory=list)
    args: list[str] = Field(default_factory=list)
    not_args: list[str] = Field(default_factory=list)
    element: str | None = None
    attrs: dict[str, str] = Field(default_factory=dict)
    doc: str = Field(min_length=1)
    test: PatternTest

    @field_validator("chain")
    @classmethod
    def _chains(cls, value: str | list[str] | None) -> str | list[str] | None:
        for c in [value] if isinstance(value, str) else value or []:
            if not _NAME.match(c):
                raise ValueError(f"{c!r} is not a dotted chain of names")
        return value


class PatternFile(_Strict):
    """A platform's patterns: which languages they apply to, then the list."""

    platform: PlatformName
    languages: list[Language] = Field(min_length=1)
    patterns: list[PatternSpec]


@dataclass(frozen=True, slots=True, eq=False)
class Pattern:
    """A pattern ready to match: one chain of names (alternatives are separate entries).

    Compared and hashed by identity (``eq=False``): the scanner's caches are keyed by the
    pattern set, and hashing 75 dataclasses field by field per file cost more than matching.
    """

    id: str
    kind: str
    platform: str
    languages: frozenset[str]
    names: tuple[str, ...]  # resolved names; empty for element patterns
    anywhere: bool  # a leading "." in the file: on any receiver
    modules: tuple[str, ...]
    file_has: frozenset[str]
    args: frozenset[str]
    not_args: frozenset[str]
    element: str | None = None
    attrs: tuple[tuple[str, str], ...] = ()
    source: str = ""


@dataclass(frozen=True, slots=True)
class Signal:
    """One photo-related use in the app, located; ``line``/``column`` are 1-based."""

    file: str
    line: int
    column: int
    pattern: str
    kind: str
    platform: str
    text: str
    links: tuple[str, ...] = ()  # feature ids named at the call site or the file's head

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.pattern)


def _as_list(value: str | list[str] | None) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def read_pattern_file(path: Path) -> PatternFile:
    """One platform file, validated; a bad file stops the run with its location (exit 2)."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read pattern file ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise UsageError(f"{where}: not a pattern file: {exc}") from None
    try:
        return PatternFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(f"{path}: pattern file: {where}: {first['msg']}") from None


def compile_file(spec: PatternFile, source: str) -> list[Pattern]:
    out = []
    for p in spec.patterns:
        if not p.chain and not p.element:
            raise UsageError(f"{source}: pattern {p.id} needs a chain or an element")
        langs = frozenset(spec.languages)
        common = {
            "id": p.id,
            "kind": p.kind,
            "platform": spec.platform,
            "languages": langs,
            "modules": tuple(_as_list(p.module)),
            "file_has": frozenset(p.file_has),
            "args": frozenset(p.args),
            "not_args": frozenset(p.not_args),
            "source": source,
        }
        if p.element:
            out.append(
                Pattern(
                    names=(),
                    anywhere=False,
                    element=p.element.lower(),
                    attrs=tuple(sorted(p.attrs.items())),
                    **common,  # type: ignore[arg-type]
                )
            )
        for chain in _as_list(p.chain):
            anywhere = chain.startswith(".")
            out.append(
                Pattern(
                    names=tuple(chain.lstrip(".").split(".")) if ":" not in chain else (chain,),
                    anywhere=anywhere,
                    **common,  # type: ignore[arg-type]
                )
            )
    return out


def shipped_files() -> list[Path]:
    return sorted(PATTERNS_DIR.glob("*.yaml"))


@cache
def shipped_patterns() -> tuple[Pattern, ...]:
    out: list[Pattern] = []
    for path in shipped_files():
        out += compile_file(read_pattern_file(path), path.name)
    return tuple(out)


def load_patterns(extra: list[Path] | None = None) -> tuple[Pattern, ...]:
    """The shipped patterns, then each project file (a folder: its *.yaml in name order)."""
    out = list(shipped_patterns())
    seen = {p.id for p in out}
    for given in extra or []:
        files = sorted(given.glob("*.yaml")) if given.is_dir() else [given]
        if not given.exists():
            raise UsageError(f"{given}: no such pattern file or folder")
        for path in files:
            for p in compile_file(read_pattern_file(path), str(path)):
                if p.id in seen and not any(q.id == p.id and q.source == p.source for q in out):
                    raise UsageError(f"{path}: pattern id {p.id} is already defined")
                seen.add(p.id)
                out.append(p)
    return tuple(out)
