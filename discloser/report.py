"""Findings → text, JSON, SARIF 2.1.0 or GitHub workflow annotations.

Each format is a small pure function of the report, chosen from a table, like yamllint's
formats: adding one touches nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from discloser import __version__
from discloser.findings import BUILTIN_CHECKS, Severity
from discloser.validate import Report


def _summary(report: Report) -> dict[str, int]:
    return {
        "files": report.files,
        "errors": report.errors,
        "warnings": report.warnings,
        "waived": report.waived,
    }


def text(report: Report, color: bool = False) -> str:
    """``file:line:column: severity code message [name]``, one finding a line, then a count."""

    def paint(s: str, code: str) -> str:
        return f"\x1b[{code}m{s}\x1b[0m" if color else s

    lines = []
    for f in report.findings:
        sev = paint(f.severity.value, "31;1" if f.severity is Severity.ERROR else "33;1")
        line = f"{f.file}:{f.line}:{f.column}: {sev} {paint(f.code, '1')} {f.message} [{f.name}]"
        if f.hint:
            line += "\n    " + paint(f"hint: {f.hint}", "2")
        lines.append(line)
    s = _summary(report)
    plural = "" if s["files"] == 1 else "s"
    tail = f"{s['files']} file{plural}: {s['errors']} error(s), {s['warnings']} warning(s)"
    if s["waived"]:
        tail += f", {s['waived']} waived"
    lines.append(tail)
    return "\n".join(lines) + "\n"


def as_json(report: Report, color: bool = False) -> str:
    """The documented JSON shape: a list ``findings`` and a ``summary`` of counts."""
    findings = [
        {
            "file": f.file,
            "line": f.line,
            "column": f.column,
            "code": f.code,
            "name": f.name,
            "severity": f.severity.value,
            "message": f.message,
            "hint": f.hint,
        }
        for f in report.findings
    ]
    return (
        json.dumps(
            {"findings": findings, "summary": _summary(report)}, indent=2, ensure_ascii=False
        )
        + "\n"
    )


def sarif(report: Report, color: bool = False) -> str:
    """SARIF 2.1.0 for code-scanning upload; rules carry their summary and help text."""
    from discloser.check.codes import CODES as check_codes
    from discloser.rules.registry import all_rules

    # Every code that can appear gets its own entry, used or not, so code-scanning tools list
    # each rule (and its help) once, and a result always finds its rule by index.
    rules = all_rules()
    listed = [*check_codes] if report.catalogue == "app" else [*rules, *BUILTIN_CHECKS]
    used = sorted({*listed, *(f.code for f in report.findings)})
    descriptors: list[dict[str, object]] = []
    index: dict[str, int] = {}
    for code in used:
        if code in rules:
            r = rules[code]
            name, summary, hint, level = r.name, r.summary, r.hint, r.severity.value
        elif code in BUILTIN_CHECKS:
            name, sev, summary = BUILTIN_CHECKS[code]
            hint, level = "", sev.value
        elif code in check_codes:  # a `discloser check` code
            c = check_codes[code]
            name, summary, hint, level = c.name, c.summary, c.hint, c.severity.value
        else:
            name, summary, hint, level = code, code, "", "error"
        index[code] = len(descriptors)
        descriptors.append(
            {
                "id": code,
                "name": name,
                "shortDescription": {"text": summary},
                "help": {"text": hint or summary},
                "defaultConfiguration": {"level": level},
            }
        )
    results = [
        {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": f.severity.value,
            "message": {"text": f.message + (f" Fix: {f.hint}" if f.hint else "")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.file.replace("\\", "/")},
                        "region": {"startLine": f.line, "startColumn": f.column},
                    }
                }
            ],
        }
        for f in report.findings
    ]
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "discloser",
                        "version": __version__,
                        "rules": descriptors,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def github(report: Report, color: bool = False) -> str:
    """GitHub Actions workflow commands: one annotation per finding on the pull request."""
    lines = []
    for f in report.findings:
        title = _escape_property(f"{f.code} {f.name}")
        props = f"file={_escape_property(f.file)},line={f.line},col={f.column},title={title}"
        message = f.message + (f" (fix: {f.hint})" if f.hint else "")
        lines.append(f"::{f.severity.value} {props}::{_escape_data(message)}")
    s = _summary(report)
    lines.append(
        f"discloser: {s['files']} file(s), {s['errors']} error(s), {s['warnings']} warning(s)"
    )
    return "\n".join(lines) + "\n"


FORMATS: dict[str, Callable[[Report, bool], str]] = {
    "text": text,
    "json": as_json,
    "sarif": sarif,
    "github": github,
}
