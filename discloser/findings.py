"""One finding: what is wrong, where, and how to fix it.

Every report format (text, JSON, SARIF, GitHub annotations) is a pure function of a list of
these, so a finding carries everything any of them needs and nothing format-specific.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How a finding affects the exit code: errors fail a run, warnings only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """A located problem; ``line`` and ``column`` are 1-based, as editors and SARIF count."""

    file: str
    line: int
    column: int
    code: str
    name: str
    severity: Severity
    message: str
    hint: str = ""

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.code)


# Checks built into loading and the schema: always on (a file that fails them cannot be read
# reliably, so no rule runs on it) and never waived. Codes are stable; messages may improve.
BUILTIN_CHECKS: dict[str, tuple[str, Severity, str]] = {
    "D101": ("not-utf8", Severity.ERROR, "The file is not valid UTF-8."),
    "D102": ("yaml-syntax", Severity.ERROR, "The file is not well-formed YAML."),
    "D103": ("duplicate-key", Severity.ERROR, "A key appears twice in one mapping."),
    "D104": ("explicit-tag", Severity.ERROR, "An explicit tag (!!int, !!python/...) is used."),
    "D105": ("anchor-alias-merge", Severity.ERROR, "An anchor, alias or merge key is used."),
    "D106": (
        "forbidden-character",
        Severity.ERROR,
        "A control, bidi override or non-character is in the file.",
    ),
    "D107": ("over-limit", Severity.ERROR, "The file exceeds a size, depth or count limit."),
    "D108": ("not-a-mapping", Severity.ERROR, "The file is empty or not a YAML mapping."),
    "D109": ("non-text-key", Severity.ERROR, "A key is not text (a number, null, a list)."),
    "D110": ("several-documents", Severity.ERROR, "The file holds more than one YAML document."),
    "D111": (
        "link-outside-tree",
        Severity.ERROR,
        "A symbolic link points outside the declarations folder.",
    ),
    "D112": (
        "explicit-key",
        Severity.ERROR,
        "An explicit key ('? key') is used, or a flow '?' libyaml would read as one.",
    ),
    "D201": ("unknown-key", Severity.ERROR, "A key the schema does not know."),
    "D202": ("missing-answer", Severity.ERROR, "A required answer is missing or null."),
    "D203": ("wrong-type", Severity.ERROR, "A value has the wrong type (text, boolean, list)."),
    "D204": ("invalid-value", Severity.ERROR, "A value is not one of the allowed ones."),
    "D205": ("unsupported-format", Severity.ERROR, "The discloser: format version is unknown."),
    "D208": ("unanswered-todo", Severity.ERROR, "A scaffold question still says TODO."),
    "D901": (
        "ledger-broken",
        Severity.ERROR,
        "The ledger was edited, reordered or forged: its hash chain does not hold.",
    ),
    "D902": (
        "unreleased-revision",
        Severity.WARNING,
        "A declaration's revision is not in the ledger yet (run discloser release).",
    ),
    "D903": (
        "published-revision-changed",
        Severity.ERROR,
        "A published revision's material content changed without a new revision.",
    ),
    "D206": ("unknown-waiver", Severity.ERROR, "A waiver names a rule that does not exist."),
    "D207": ("unused-waiver", Severity.WARNING, "A waiver no longer suppresses any finding."),
}
