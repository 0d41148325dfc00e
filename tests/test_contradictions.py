"""No valid declaration makes the label contradict itself, proved against the rendering.

The claims and the pairs that exclude each other are data (``discloser/rules/claims.toml``).
What the label *says* is read from the rendering itself: every gettext message a label row
asks for is recorded, per row, so no prose is parsed. Two properties over any valid model:

- each claim with sentences is said exactly when its table condition holds (the table
  describes the renderer, not a wish), and
- whenever the rendering says both claims of an exclusive pair, the rule that owns the pair
  refuses the declaration with an error.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import DURATION, declarations

from discloser.config import Settings
from discloser.findings import Severity
from discloser.load.yaml12 import load
from discloser.model.declaration import Declaration
from discloser.render import view
from discloser.rules.contradictions import claims_of, table
from discloser.validate import check_declaration, enabled_rules

ROWS = (
    "terms",
    "which_photos",
    "when",
    "why",
    "processed",
    "stored",
    "ai_training",
    "ads",
    "shared",
    "controls",
)


def said(d: Declaration) -> set[str]:
    """``row:msgid`` for every message that reaches a label row's or the notice's text.

    Each message is tagged with a mark of its own on the way through gettext, and counts as
    said only if its mark is in the finished text: a message looked up but not used (a branch
    built and thrown away) says nothing.
    """
    b = view._Builder(d, d.locale)
    asked: list[str] = []

    def gettext(message: str) -> str:
        asked.append(message)
        return f"\u27e6{len(asked) - 1}\u27e7{message}"

    b._ = gettext
    heard: set[str] = set()

    def keep(row: str, texts: list[str]) -> None:
        joined = "\n".join(texts)
        heard.update(f"{row}:{m}" for i, m in enumerate(asked) if f"\u27e6{i}\u27e7" in joined)

    for name in ROWS:
        for answer in getattr(b, name)() if name == "terms" else [getattr(b, name)()]:
            keep(answer.key, [answer.answer, *answer.details])
    for section in b.sections() + b.terms_sections():
        keep("notice", section.items)
    return heard


def claims_said(d: Declaration) -> set[str]:
    heard = said(d)
    claims, _ = table()
    return {c.id for c in claims.values() if c.says and any(s in heard for s in c.says)}


@st.composite
def with_new_answers(draw: Any) -> dict[str, Any]:
    """The shared strategy of valid models, with the answers added for issue 9."""
    data = draw(declarations())
    data["photos"]["face_analysis"] = draw(
        st.sampled_from(["none", "detection", "attributes", "grouping", "recognition"])
    )
    data["processing"]["human_review"] = draw(
        st.sampled_from(["none", "sampled", "on_report", "all"])
    )
    data["ai_training"]["condition"] = draw(
        st.none() | st.sampled_from(["always", "if_you_agree", "edited_or_shared"])
    )
    data["storage"]["longer_for"] = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "items": st.lists(
                        st.sampled_from(["saved", "edited", "shared", "reported"]),
                        min_size=1,
                        max_size=2,
                    ),
                    "retention": st.one_of(DURATION, st.just("until_deleted")),
                }
            ),
            max_size=2,
        )
    )
    for r in data["sharing"]:
        r["audience"] = draw(st.sampled_from(["always", "when_you_share"]))
    return data


def _model(data: dict[str, Any]) -> Declaration:
    # JSON is YAML whose strings are all quoted: PyYAML's 1.1 dumper writes ids like 0e0
    # plain, which YAML 1.2 reads as a number.
    return Declaration.model_validate(load(json.dumps(data, ensure_ascii=False))[0])


def _errors(d: Declaration) -> set[str]:
    s = Settings()
    text = json.dumps(d.model_dump(mode="json"), ensure_ascii=False, indent=1)
    _, marks = load(text)
    found = check_declaration("x.yaml", d, marks, enabled_rules(s), s)
    return {f.code for f in found if f.severity is Severity.ERROR}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_new_answers())
def test_each_claim_is_said_exactly_when_the_table_says(data: dict[str, Any]) -> None:
    d = _model(data)
    claims, _ = table()
    with_sentences = {c.id for c in claims.values() if c.says}
    assert claims_said(d) == claims_of(d) & with_sentences


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_new_answers())
def test_no_valid_declaration_renders_two_contradicting_claims(data: dict[str, Any]) -> None:
    d = _model(data)
    made = claims_said(d)
    pairs = [p for p in table()[1] if p.first in made and p.second in made]
    if not pairs:
        return
    errors = _errors(d)
    for pair in pairs:
        assert errors & set(pair.refused_by), (pair, errors)


def test_the_issue_example_is_refused_at_the_storage_location(tmp_path: Any) -> None:
    from test_rules import _with, codes_for

    text = _with(
        "processing: {location: cloud, countries: [US],",
        "processing: {location: on_device, countries: [],",
    )
    assert (29, 13, "D313") in codes_for(text, tmp_path)


def test_every_sentence_named_by_a_claim_exists_in_the_catalogue() -> None:
    from babel.messages.pofile import read_po
    from conftest import ROOT

    with (ROOT / "discloser" / "locale" / "discloser.pot").open("rb") as f:
        ids = {m.id for m in read_po(f) if m.id}
    claims, _ = table()
    missing = [
        (c.id, s.split(":", 1)[1])
        for c in claims.values()
        for s in c.says
        if s.split(":", 1)[1] not in ids
    ]
    assert missing == []


def test_every_pair_is_refused_by_a_registered_rule() -> None:
    from discloser.rules.registry import all_rules

    codes = set(all_rules())
    for pair in table()[1]:
        assert set(pair.refused_by) <= codes, pair
