"""discover → load → model → rules → catalogue: every finding about a set of declarations.

Streams: each file is loaded, validated and checked, then only its findings and a small
catalogue :class:`Entry` are kept, so memory stays flat at ten thousand files. Imports no
templating and no site code, so the command pipelines call most often starts fast.
"""

from __future__ import annotations

import difflib
import gc
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path as PathlibPath
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from discloser.config import Settings
from discloser.errors import LocatedError, UsageError
from discloser.findings import BUILTIN_CHECKS, Finding, Severity
from discloser.load.discover import Source, discover
from discloser.load.yaml12 import MAX_BYTES, Marks, Path, YamlNumber, decode, load
from discloser.model.declaration import Declaration
from discloser.notice import notice_hash
from discloser.parallel import map_chunks
from discloser.rules.registry import Entry, Rule, all_rules, find


@dataclass
class Report:
    """Findings, sorted by file and position, and what was looked at."""

    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    waived: int = 0
    # Which codes a SARIF run lists as its rules: the declaration rules, or `check`'s codes.
    catalogue: Literal["declarations", "app"] = "declarations"

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity is Severity.WARNING for f in self.findings)

    def failed(self, strict: bool = False) -> bool:
        """Whether the run fails: any error, or with ``strict`` any warning."""
        return self.errors > 0 or (strict and self.warnings > 0)


def builtin(file: str, code: str, message: str, line: int = 1, column: int = 1) -> Finding:
    name, severity, _ = BUILTIN_CHECKS[code]
    return Finding(file, line, column, code, name, severity, message)


def read_declaration(source: Source) -> tuple[Declaration, Marks]:
    """Load and validate one file, or raise :class:`LocatedError` / :class:`SchemaErrors`."""
    try:
        data = source.read(MAX_BYTES)
    except OSError as exc:
        raise UsageError(f"{source.display}: cannot read ({exc.strerror})") from None
    return parse_declaration(source.display, data)


def parse_declaration(display: str, data: bytes) -> tuple[Declaration, Marks]:
    """Validate one declaration's bytes (from a file or a git revision) into the model."""
    text = decode(data)
    data_tree, marks = load(text)
    todos = list(_todos(data_tree, ())) if "TODO" in text else []
    try:
        declaration = Declaration.model_validate(data_tree)
    except ValidationError as exc:
        found = [
            f
            for f in schema_findings(display, exc, marks, data_tree)
            if not _at_todo(f, todos, marks)
        ]
        raise SchemaErrors(_todo_findings(display, todos, marks) + found) from None
    if todos:
        raise SchemaErrors(_todo_findings(display, todos, marks))
    return declaration, marks


def _todos(value: Any, path: Path) -> Iterator[Path]:
    """Paths of scaffold answers still reading ``TODO``."""
    if value == "TODO":
        yield path
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _todos(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _todos(v, (*path, i))


def _todo_findings(file: str, todos: list[Path], marks: Marks) -> list[Finding]:
    out = []
    for path in todos:
        named = path[:-1] if path and isinstance(path[-1], int) else path
        about = _description(named)
        message = f"{dotted(named)} is still TODO" + (f": {about}" if about else "")
        out.append(builtin(file, "D208", message, *marks.value(path)))
    return out


def _at_todo(finding: Finding, todos: list[Path], marks: Marks) -> bool:
    return any(marks.value(p) == (finding.line, finding.column) for p in todos)


class SchemaErrors(Exception):
    """The file is YAML but not a declaration; carries one finding per schema error."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(f"{len(findings)} schema errors")
        self.findings = findings


def enabled_rules(settings: Settings) -> list[tuple[Rule, Severity]]:
    """The rules that run, each with the severity the project gave it."""
    out = []
    for rule in all_rules().values():
        level = settings.level(rule.code, rule.severity)
        if level is not None:
            out.append((rule, level))
    return out


# What a writing job does with each declaration that validation has just loaded (see
# :func:`validate_then`): called in the worker that loaded it, so nothing is parsed twice.
Then = Callable[[Source, Declaration, Marks], Any]


def _check_sources(
    sources: Sequence[Source],
    settings: Settings,
    with_notice: bool = False,
    then: Then | None = None,
) -> tuple[Report, list[Entry], list[Any]]:
    """Load, validate and check each file; keep only findings, catalogue entries and what
    ``then`` made of each declaration (only while the chunk has no error: once one is found
    nothing will be written, so the work would be wasted)."""
    rules = enabled_rules(settings)
    report = Report(files=len(sources))
    entries: list[Entry] = []
    made: list[Any] = []
    clean, seen = True, 0  # no error among the first ``seen`` findings: ``then`` still pays
    # Validated models hold no reference cycles; the cyclic collector would only rescan
    # thousands of short-lived trees (perf-notes: it, not validation, dominates at scale).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for source in sources:
            if source.outside:
                report.findings.append(
                    builtin(
                        source.display,
                        "D111",
                        "symbolic link points outside the folder; copy the declaration in instead",
                    )
                )
                continue
            try:
                declaration, marks = read_declaration(source)
            except LocatedError as exc:
                report.findings.append(
                    builtin(source.display, exc.code, exc.message, exc.line, exc.column)
                )
                continue
            except SchemaErrors as exc:
                report.findings += exc.findings
                continue
            report.findings += check_declaration(
                source.display, declaration, marks, rules, settings, report
            )
            if then is not None:
                fresh, seen = report.findings[seen:], len(report.findings)
                clean = clean and all(f.severity is not Severity.ERROR for f in fresh)
                if clean:
                    made.append(then(source, declaration, marks))
            line, column = marks.value(("id",))
            entries.append(
                Entry(
                    declaration.id,
                    source.display,
                    line,
                    column,
                    declaration.status,
                    declaration.revision,
                    marks.value(("revision",)),
                    notice_hash(declaration) if with_notice else "",
                )
            )
    finally:
        if collecting:
            gc.enable()
    return report, entries, made


def keep_declaration(source: Source, declaration: Declaration, marks: Marks) -> Declaration:
    """A :data:`Then` for a job that needs the declarations themselves (``release``)."""
    return declaration


def validate_paths(paths: list[str], settings: Settings) -> Report:
    """Validate every declaration under ``paths`` against the schema and the enabled rules.

    Large sets are split into contiguous chunks checked by forked worker processes, and the
    results are merged in file order, so the report is the same whatever the number of CPUs.
    """
    return validate_then(paths, settings, None)[0]


def validate_then(
    paths: list[str], settings: Settings, then: Then | None
) -> tuple[Report, list[Any]]:
    """:func:`validate_paths`, and ``then`` applied to each declaration as it is validated.

    ``render`` and ``build`` write their per-feature files from the declaration validation
    has just loaded (parse once). The results are meaningful only when the report has no
    error; then there is one per declaration, in file order.
    """
    sources = discover(paths)
    rules = enabled_rules(settings)
    ledgers = ledgers_beside(paths)
    job = partial(_check_sources, settings=settings, with_notice=bool(ledgers), then=then)
    parts = map_chunks(job, sources)
    report = Report(files=len(sources))
    entries: list[Entry] = []
    made: list[Any] = []
    for part, part_entries, part_made in parts:
        report.findings += part.findings
        report.waived += part.waived
        entries += part_entries
        made += part_made
    for rule, level in rules:
        if rule.catalog_check is not None:
            for problem in rule.catalog_check(entries):
                e = problem.entry
                report.findings.append(
                    Finding(
                        e.file,
                        e.line,
                        e.column,
                        rule.code,
                        rule.name,
                        level,
                        problem.message,
                        rule.hint,
                    )
                )
    for ledger in ledgers:
        report.findings += ledger_findings(ledger, entries)
    report.findings.sort(key=lambda f: f.sort_key)
    return report, made


def ledgers_beside(paths: list[str]) -> list[tuple[str, PathlibPath]]:
    """The ledger beside each given folder (or file), as ``(display path, path)``."""
    from discloser.release.ledger import LEDGER_NAME

    found: dict[PathlibPath, str] = {}
    for given in paths:
        folder = PathlibPath(given) if PathlibPath(given).is_dir() else PathlibPath(given).parent
        ledger = folder / LEDGER_NAME
        if ledger.is_file() and ledger.resolve() not in found:
            shown = given if folder == PathlibPath(given) else str(folder)
            found[ledger.resolve()] = os.path.join(shown, LEDGER_NAME)  # noqa: PTH118 - as given
    return [(display, path) for path, display in found.items()]


def ledger_findings(ledger: tuple[str, PathlibPath], entries: list[Entry]) -> list[Finding]:
    """The chain's problems, and declarations whose revision is unpublished or was rewritten."""
    from discloser.release.ledger import read

    display, path = ledger
    published, problems = read(path)
    findings = [builtin(display, "D901", p.message, p.line) for p in problems]
    by_revision = {(e.feature, e.revision): e for e in published}
    for entry in entries:
        if entry.status == "planned":
            continue
        record = by_revision.get((entry.id, entry.revision))
        if record is None:
            findings.append(
                builtin(
                    entry.file,
                    "D902",
                    f"revision {entry.revision} of {entry.id} is not in "
                    f"{display} yet: run `discloser release` when it ships",
                    *entry.revision_at,
                )
            )
        elif record.notice_hash != entry.notice:
            findings.append(
                builtin(
                    entry.file,
                    "D903",
                    f"revision {entry.revision} was published "
                    f"({display}:{record.line}) with other material content: raise the revision",
                    *entry.revision_at,
                )
            )
    return findings


def check_declaration(
    file: str,
    d: Declaration,
    marks: Marks,
    rules: list[tuple[Rule, Severity]],
    settings: Settings,
    report: Report | None = None,
) -> list[Finding]:
    """Run the enabled per-declaration rules on one declaration, honouring its waivers."""
    waivers: dict[str, int] = {}
    findings: list[Finding] = []
    for i, waiver in enumerate(d.waivers):
        target = find(waiver.rule)
        if target is None:
            line, column = marks.value(("waivers", i, "rule"))
            findings.append(
                builtin(file, "D206", f"waiver names unknown rule {waiver.rule!r}", line, column)
            )
        else:
            waivers[target.code] = i
    used: set[str] = set()
    for rule, level in rules:
        if rule.check is None:
            continue
        for problem in rule.check(d, settings):
            if rule.code in waivers:
                used.add(rule.code)
                if report is not None:
                    report.waived += 1
                continue
            line, column = (
                marks.within(problem.path, problem.offset, problem.length)
                if problem.offset >= 0
                else marks.value(problem.path)
            )
            findings.append(
                Finding(file, line, column, rule.code, rule.name, level, problem.message, rule.hint)
            )
    enabled = {r.code for r, _ in rules} if waivers else set()
    for code, i in waivers.items():
        if code in enabled and code not in used:
            line, column = marks.value(("waivers", i, "rule"))
            findings.append(
                builtin(
                    file, "D207", f"waiver for {code} suppresses nothing; remove it", line, column
                )
            )
    return findings


# ---------------------------------------------------------------- schema errors, in words


def _clean(loc: tuple[int | str, ...]) -> Path:
    """Pydantic's error path without its internal steps (``function-after[...]``, ``[key]``)."""
    return tuple(p for p in loc if not (isinstance(p, str) and (p.endswith("]") and "[" in p)))


def _model_at(path: Path) -> type[BaseModel] | None:
    """The model class whose fields live at ``path`` (for suggestions and descriptions)."""
    model: Any = Declaration
    for step in path:
        if isinstance(step, int) or model is None:
            continue
        info = (
            model.model_fields.get(step)
            if isinstance(model, type) and issubclass(model, BaseModel)
            else None
        )
        if info is None:
            # a dict keyed by locale or id: its values' model is one step further in
            return model if isinstance(model, type) and issubclass(model, BaseModel) else None
        model = _inner_model(info.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _description(path: Path) -> str:
    model = _model_at(path[:-1])
    if model is None or not isinstance(path[-1], str):
        return ""
    info = model.model_fields.get(path[-1])
    return (info.description or "") if info else ""


def describe(value: Any) -> str:
    """A YAML value as the person wrote it, for messages."""
    if isinstance(value, YamlNumber):
        return f"the number {value.text}"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def dotted(path: Path) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "(top level)"


_EXPECTED = {
    "bool_type": "true or false (only true and false are booleans; quote text)",
    "string_type": "text",
    "int_type": "a whole number",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "date_type": "a date, YYYY-MM-DD",
}


def _input_at(data: Any, path: Path) -> Any:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def schema_findings(
    file: str, exc: ValidationError, marks: Marks, data: dict[str, Any]
) -> Iterator[Finding]:
    """Pydantic's errors rewritten for the person editing the file, located by marks."""
    for error in exc.errors(include_url=False):
        path = _clean(error["loc"])
        kind = error["type"]
        value = error.get("input")
        if kind == "missing" or (
            value is None and kind in _EXPECTED and _input_at(data, path) is None
        ):
            where = marks.value(path) if path in marks else marks.value(path[:-1])
            about = _description(path)
            yield builtin(
                file,
                "D202",
                f"{dotted(path)} is not answered" + (f": {about}" if about else ""),
                *where,
            )
        elif kind == "extra_forbidden":
            key = str(path[-1])
            model = _model_at(path[:-1])
            known = list(model.model_fields) if model else []
            lowered = {k.lower(): k for k in known}
            close = lowered.get(key.lower()) or next(
                iter(difflib.get_close_matches(key, known, 1, 0.6)), None
            )
            hint = (
                f"; did you mean {close!r}?"
                if close
                else (f"; known keys: {', '.join(known)}" if known else "")
            )
            yield builtin(
                file, "D201", f"unknown key {key!r} in {dotted(path[:-1])}{hint}", *marks.key(path)
            )
        elif path == ("discloser",):
            yield builtin(
                file,
                "D205",
                f"discloser: {describe(value)} is not a format this version reads; use 1",
                *marks.value(path),
            )
        elif kind in _EXPECTED:
            yield builtin(
                file,
                "D203",
                f"{dotted(path)}: expected {_EXPECTED[kind]}, got {describe(value)}",
                *marks.value(path),
            )
        elif kind == "literal_error":
            expected = str(error.get("ctx", {}).get("expected", ""))
            yield builtin(
                file,
                "D204",
                f"{dotted(path)}: {describe(value)} is not allowed; use one of {expected}",
                *marks.value(path),
            )
        elif kind == "too_short":
            least = error.get("ctx", {}).get("min_length", 1)
            yield builtin(
                file, "D204", f"{dotted(path)}: needs at least {least} entry", *marks.value(path)
            )
        elif kind == "string_too_short":
            yield builtin(file, "D204", f"{dotted(path)}: must not be empty", *marks.value(path))
        elif kind == "string_too_long" and isinstance(value, str):
            most = error.get("ctx", {}).get("max_length", 0)
            yield builtin(
                file,
                "D204",
                f"{dotted(path)}: too long ({len(value):,} characters); keep it to {most:,}",
                *marks.value(path),
            )
        else:
            on_key = any(isinstance(p, str) and p.endswith("[key]") for p in error["loc"])
            where = marks.key(path) if on_key else marks.value(path)
            yield builtin(file, "D204", f"{dotted(path)}: {error['msg']}", *where)
