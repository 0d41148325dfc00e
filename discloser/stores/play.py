"""Google Play's data safety form: filled into the team's own exported CSV, or a checklist.

Google changes the form's question ids over time, so discloser does not invent the file: it
fills a template the team exported from its Play Console (import/export on the Data safety
page), keeping every row, its order and every answer it does not own. It refuses a template
that lacks a question it must answer, or that asks a question about a data type discloser owns
that it does not know (a renamed question): both would upload a form that says less than the
declarations.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from discloser.errors import UsageError
from discloser.stores.apps import DataUse, Implied
from discloser.stores.mapping import load

HEADER = [
    "Question ID (machine readable)",
    "Response ID (machine readable)",
    "Response value",
    "Answer requirement",
    "Human-friendly question label",
]
USAGE = "PSL_DATA_USAGE_RESPONSES"
COLLECTION = "PSL_DATA_USAGE_COLLECTION_AND_SHARING"
EPHEMERAL = "PSL_DATA_USAGE_EPHEMERAL"
CONTROL = "DATA_USAGE_USER_CONTROL"
COLLECTION_PURPOSE = "DATA_USAGE_COLLECTION_PURPOSE"
SHARING_PURPOSE = "DATA_USAGE_SHARING_PURPOSE"
KNOWN_SUBQUESTIONS = {COLLECTION, EPHEMERAL, CONTROL, COLLECTION_PURPOSE, SHARING_PURPOSE}
COLLECTS_ANY = "PSL_DATA_COLLECTION_COLLECTS_PERSONAL_DATA"
ALL_ENCRYPTED = "PSL_DATA_COLLECTION_ENCRYPTED_IN_TRANSIT"
TRUE, FALSE = "TRUE", "FALSE"
KNOWN_RESPONSES = {
    COLLECTION: {"PSL_DATA_USAGE_ONLY_COLLECTED", "PSL_DATA_USAGE_ONLY_SHARED"},
    EPHEMERAL: {""},
    CONTROL: {"PSL_DATA_USAGE_USER_CONTROL_OPTIONAL", "PSL_DATA_USAGE_USER_CONTROL_REQUIRED"},
}
PLAY_PURPOSES = {
    "PSL_APP_FUNCTIONALITY",
    "PSL_ANALYTICS",
    "PSL_DEVELOPER_COMMUNICATIONS",
    "PSL_ADVERTISING",
    "PSL_FRAUD_PREVENTION_SECURITY",
    "PSL_PERSONALIZATION",
    "PSL_ACCOUNT_MANAGEMENT",
}


class TemplateError(UsageError):
    """The Play template cannot be filled as it is (the message names the file and line)."""


@dataclass(frozen=True)
class Answer:
    question: str
    response: str
    value: str


def _purposes(categories: frozenset[str]) -> list[str]:
    mapping = load()
    return sorted({mapping.purposes[c].play for c in categories})


def answers(implied: Implied) -> list[Answer]:
    """Every (question, response) discloser owns, with the value it gives."""
    out: list[Answer] = []
    for use in implied.play:
        if not use.row.play:
            continue
        group, kind = use.row.play.split(":", 1)
        prefix = f"{USAGE}:{kind}"
        shared = use.shared_categories
        out.append(Answer(group, kind, TRUE))
        out.append(Answer(f"{prefix}:{COLLECTION}", "PSL_DATA_USAGE_ONLY_COLLECTED", TRUE))
        out.append(
            Answer(f"{prefix}:{COLLECTION}", "PSL_DATA_USAGE_ONLY_SHARED", TRUE if shared else "")
        )
        out.append(Answer(f"{prefix}:{EPHEMERAL}", "", TRUE if use.ephemeral else FALSE))
        optional = "PSL_DATA_USAGE_USER_CONTROL_OPTIONAL"
        required = "PSL_DATA_USAGE_USER_CONTROL_REQUIRED"
        out.append(Answer(f"{prefix}:{CONTROL}", optional, TRUE if use.optional else ""))
        out.append(Answer(f"{prefix}:{CONTROL}", required, "" if use.optional else TRUE))
        for p in _purposes(use.categories):
            out.append(Answer(f"{prefix}:{COLLECTION_PURPOSE}", p, TRUE))
        for p in _purposes(shared):
            out.append(Answer(f"{prefix}:{SHARING_PURPOSE}", p, TRUE))
    return out


def _owned_kinds() -> set[str]:
    return {row.play_type for row in load().data if row.play}


def fill(template: str, implied: Implied, name: str = "template") -> str:
    """The template with discloser's answers in place; rows, order and other answers kept.

    Data types no feature implies keep the template's answers: another part of the app may
    collect them (a map's location), and discloser never lowers an answer it cannot see.
    """
    rows = list(csv.reader(io.StringIO(template, newline="")))
    if not rows or [c.strip() for c in rows[0]] != HEADER:
        raise TemplateError(
            f"{name}:1: not a Play data safety export: the header must be {','.join(HEADER)}"
        )
    wanted = {(a.question, a.response): a.value for a in answers(implied)}
    owned = _owned_kinds()
    implied_kinds = {u.row.play_type for u in implied.play if u.row.play}
    groups = {row.play.split(":", 1)[0] for row in load().data if row.play}
    seen: set[tuple[str, str]] = set()
    out = [rows[0]]
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(HEADER):
            raise TemplateError(f"{name}:{line}: expected {len(HEADER)} columns, found {len(row)}")
        question, response = row[0], row[1]
        parts = question.split(":")
        if parts[0] == USAGE and len(parts) == 3 and parts[1] in owned:
            sub = parts[2]
            known = KNOWN_RESPONSES.get(sub, PLAY_PURPOSES)
            if sub not in KNOWN_SUBQUESTIONS or response not in known:
                raise TemplateError(
                    f"{name}:{line}: unknown question {question} / {response or '(none)'}: "
                    "discloser does not know how to answer it; Google may have renamed it "
                    "(update discloser, or answer this row in the Console)"
                )
            if parts[1] in implied_kinds:
                row = [question, response, wanted.get((question, response), ""), *row[3:]]
        elif (question in groups and response in implied_kinds) or (
            question == COLLECTS_ANY and wanted
        ):
            row = [question, response, TRUE, *row[3:]]
        elif question == ALL_ENCRYPTED and any(not u.in_transit for u in implied.play):
            row = [question, response, FALSE, *row[3:]]
        seen.add((question, response))
        out.append(row)
    missing = [k for k, v in wanted.items() if v and k not in seen]
    if missing:
        q, r = missing[0]
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise TemplateError(
            f"{name}: missing question {q} / {r or '(none)'}{more}: export the template again "
            "from the Play Console after ticking the data types, or discloser cannot say it"
        )
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(out)
    return buffer.getvalue()


def read_template(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise TemplateError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise TemplateError(f"{path}: not UTF-8 text") from None


def _use_lines(use: DataUse) -> list[str]:
    mapping = load()
    purposes = sorted({mapping.purposes[c].play_label for c in use.categories})
    shared = sorted({mapping.purposes[c].play_label for c in use.shared_categories})
    lines = [
        f"### {use.row.play_label}",
        "",
        f"- [ ] Tick **{use.row.play_label}** (`{use.row.play.replace(':', ' / ')}`)",
        "- [ ] Collected: **yes**",
        f"- [ ] Shared: **{'yes, for ' + ', '.join(shared) if shared else 'no'}**"
        + ("" if shared else " (service providers acting for you are not sharing)"),
        f"- [ ] Processed ephemerally: **{'yes' if use.ephemeral else 'no'}**",
        f"- [ ] Required or optional: **{'users can choose' if use.optional else 'required'}**",
        f"- [ ] Why collected: **{', '.join(purposes)}**",
        f"- Features: {', '.join(use.features)}",
        "",
    ]
    if "other" in use.categories or "ai_training" in use.categories:
        lines.insert(
            -1, "- Review: Play has no Other or AI-training purpose; see the mapping table."
        )
    return lines


def checklist(implied: Implied) -> str:
    """Without a template: the answers to give in the Console, as a Markdown checklist."""
    app = implied.app
    out = [
        f"# Google Play data safety: {app.name}",
        "",
        "Answers implied by the photo declarations, for Play Console > App content > Data "
        "safety. Only photo-derived data is listed; answer the app's other data yourself. With "
        "a template exported from the Console, `discloser stores --play-template FILE` fills "
        "the CSV to import instead.",
        "",
    ]
    if app.package_name:
        out[1:1] = ["", f"Package: `{app.package_name}`"]
    if not implied.play:
        out += ["No photo data leaves the device: nothing to declare for these features.", ""]
    for use in implied.play:
        if use.row.play:
            out += _use_lines(use)
    if any(not u.in_transit for u in implied.play):
        out += ["- [ ] Is all user data encrypted in transit? **no**", ""]
    if implied.absent:
        out += ["## Not declared, and why", ""]
        out += [f"- {a.feature}: {a.reason}" for a in implied.absent]
        out.append("")
    return "\n".join(out)
