"""Rules behave as their documentation says, and each one-line case lands on its line and column.

The docstring of every rule carries a failing and a passing example; these are applied to a
valid base declaration, so the rules reference on the site cannot drift from the code.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from conftest import BASE, base_data, dump, overlay
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from discloser.config import Settings
from discloser.errors import LocatedError
from discloser.load.discover import Source
from discloser.rules import freetext
from discloser.rules.language import MARKS as language_marks
from discloser.rules.language import SENTENCE, WORD, sentences_of, word_pattern, words_in
from discloser.rules.registry import all_rules
from discloser.validate import SchemaErrors, check_declaration, enabled_rules, read_declaration

EXAMPLE = re.compile(r"^(Fails|Passes):\s*\n\s*```yaml\n(.*?)```", re.S | re.M)


def codes_for(
    text: str, tmp_path: Any, settings: Settings | None = None
) -> list[tuple[int, int, str]]:
    """Findings ``(line, column, code)`` of one declaration text."""
    path = tmp_path / "restyle-one-photo.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        decl, marks = read_declaration(Source(str(path), path))
    except LocatedError as exc:
        return [(exc.line, exc.column, exc.code)]
    except SchemaErrors as exc:
        return [(f.line, f.column, f.code) for f in exc.findings]
    s = settings or Settings()
    found = check_declaration(str(path), decl, marks, enabled_rules(s), s)
    return sorted((f.line, f.column, f.code) for f in found)


def examples(doc: str) -> dict[str, dict[str, Any]]:
    found = {}
    for kind, body in EXAMPLE.findall(doc):
        found[kind] = yaml.safe_load(body)
    return found


DOCUMENTED = [r for r in all_rules().values() if r.check is not None]


def test_base_declaration_is_clean(tmp_path: Any) -> None:
    assert codes_for(BASE.read_text(encoding="utf-8"), tmp_path) == []


@pytest.mark.parametrize("rule", DOCUMENTED, ids=lambda r: f"{r.code}-{r.name}")
def test_docstring_examples_are_true(rule: Any, tmp_path: Any) -> None:
    found = examples(rule.doc)
    assert set(found) == {"Fails", "Passes"}, f"{rule.code} docstring needs both examples"
    failing = dump(overlay(base_data(), found["Fails"]))
    passing = dump(overlay(base_data(), found["Passes"]))
    assert rule.code in {c for _, _, c in codes_for(failing, tmp_path)}
    assert rule.code not in {c for _, _, c in codes_for(passing, tmp_path)}


@pytest.mark.parametrize("rule", list(all_rules().values()), ids=lambda r: r.code)
def test_every_rule_is_documented(rule: Any) -> None:
    assert re.fullmatch(r"D[3-9]\d\d", rule.code)
    assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", rule.name)
    assert rule.summary.endswith(".") and rule.hint
    assert "Fails" in rule.doc and "Passes" in rule.doc


def _with(old: str, new: str) -> str:
    text = BASE.read_text(encoding="utf-8")
    assert old in text, old
    return text.replace(old, new, 1)


# One line each: a change to the base declaration, and the (line, column, code) it must produce.
CASES = [
    (
        "cloud without countries",
        "countries: [US], human_review",
        "countries: [], human_review",
        [(27, 42, "D307")],
    ),
    (
        "not stored but retained",
        "  location: cloud\n  countries: [US]\n  retention: P1D",
        "  location: not_stored\n  countries: []\n  retention: P1D",
        # the label says nothing of deleting what is not kept, so only the retention is wrong
        [(31, 14, "D304")],
    ),
    (
        "bundled training",
        "    required: true",
        "    required: true\n  - {id: train, text: Train the restyle model., category: ai_training, legal_basis: consent, required: true}",
        # D707: the text says "Train" while ai_training.use is none, located at the word
        [(27, 23, "D707"), (27, 59, "D310"), (27, 104, "D402")],
    ),
    # the hedge finding points at the hedge word itself, not at the start of the text
    ("hedge", "summary: Turns one photo", "summary: We may turn one photo", [(6, 13, "D704")]),
    ("html", "summary: Turns one photo", "summary: Turns <b>one</b> photo", [(6, 10, "D703")]),
    ("zero width", "summary: Turns one", "summary: Turns\u200b one", [(6, 10, "D702")]),
    (
        "unknown purpose",
        "sharing: []",
        "sharing: [{id: host, name: Host, role: processor, purposes: [nope], countries: [US]}]",
        [(37, 62, "D301")],
    ),
    ("retired without date", "status: live", "status: retired", [(9, 9, "D306")]),
    (
        "picked photo processed in the background",
        "  cadence: on_request",
        "  cadence: continuous\n  lookback: P30D",
        [(18, 12, "D313")],
    ),
    (
        "lookback without continuous",
        "  cadence: on_request",
        "  cadence: on_request\n  lookback: P30D",
        [(19, 13, "D308")],
    ),
    (
        "faces not analysed",
        "reads: [pixels]\n  face",
        "reads: [pixels, faces]\n  face",
        [(20, 18, "D309")],
    ),
    (
        "advertising flag without purpose",
        "targeting: false",
        "targeting: true",
        [(36, 14, "D311"), (39, 10, "D401")],
    ),
    ("long retention", "retention: P1D", "retention: P5Y", [(31, 14, "D502")]),
    ("missing translation", "locales: [en]", "locales: [en, fr]", [(12, 15, "D801")]),
    (
        "the month May is no hedge",
        "summary: Turns one photo",
        "summary: Since 31 May it turns one photo",
        [],
    ),
    (
        "a negated hedge is a promise",
        "summary: Turns one photo",
        "summary: We could not keep it. Turns one photo",
        [],
    ),
    (
        # a hedge that ends one text is not negated by the next text: each text stands alone
        "hedge at a text's end, next text starts with a negation",
        "summary: Turns one photo you pick into a painting-style picture.\nowner: creative-tools@example.com\ncontroller: Example Photos Ltd",
        "summary: Turns one photo you pick as often as you may\nowner: creative-tools@example.com\ncontroller: Not Just Photos Ltd",
        [(6, 51, "D704")],
    ),
    (
        "capitalised hedge",
        "summary: Turns one photo",
        "summary: Such as one photo",
        [(6, 10, "D704")],
    ),
    (
        "whole-library lookback",
        # (a picked photo is handled when picked: picker with continuous is D313)
        "  access: picker\n  includes_unshared: true\n  cadence: on_request",
        "  access: limited_selection\n  includes_unshared: true\n"
        "  cadence: continuous\n  lookback: whole_library",
        [],
    ),
]


def _arabic(summary: str) -> str:
    return _with(
        "locales: [en]",
        "locales: [en, ar]\ntranslations:\n  ar: {name: إعادة تنسيق, summary: "
        + summary
        + ", purposes: {restyle: نسخة جديدة}, deletion: تحذف بعد يوم, withdraw: توقف عن الاستخدام}",
    )


def test_arabic_marks_belong_to_their_word(tmp_path: Any) -> None:
    assert codes_for(_arabic("قدّم لك صورًا جميلة"), tmp_path) == []
    assert codes_for(_arabic("قد نستخدم صورك"), tmp_path) == [(14, 36, "D704")]


@pytest.mark.parametrize(
    ("old", "new", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_one_line_cases(
    old: str, new: str, expected: list[tuple[int, int, str]], tmp_path: Any
) -> None:
    assert codes_for(_with(old, new), tmp_path) == sorted(set(expected))


def test_rule_can_be_switched_off_and_regraded(tmp_path: Any) -> None:
    text = _with("summary: Turns one photo", "summary: We may turn one photo")
    off = Settings(levels={"D704": None})
    assert codes_for(text, tmp_path, off) == []
    from discloser.findings import Severity

    path = tmp_path / "restyle-one-photo.yaml"
    path.write_text(text, encoding="utf-8")
    decl, marks = read_declaration(Source(str(path), path))
    strict = Settings(levels={"D704": Severity.ERROR})
    [finding] = check_declaration(str(path), decl, marks, enabled_rules(strict), strict)
    assert finding.severity is Severity.ERROR


def test_waiver_suppresses_rule_and_stale_waiver_warns(tmp_path: Any) -> None:
    hedged = _with("summary: Turns one photo", "summary: We may turn one photo")
    waiver = "\nwaivers:\n  - {rule: vague-hedge, reason: The legal team requires this exact wording in Norway.}\n"
    assert codes_for(hedged + waiver, tmp_path) == []
    assert codes_for(BASE.read_text(encoding="utf-8") + waiver, tmp_path) == [(45, 12, "D207")]
    unknown = "\nwaivers:\n  - {rule: D999, reason: Nothing.}\n"
    assert codes_for(BASE.read_text(encoding="utf-8") + unknown, tmp_path) == [(45, 12, "D206")]


# Free text against the answers (D707) and hedges (D704), in each shipped locale: the finding
# lands on the word itself. Each case: the locale, the summary text, the expected column of
# the word after "summary: " (10) or inside the translation line, and the code.
def _in_locale(locale: str, summary: str) -> str:
    if locale == "en":
        return _with(
            "summary: Turns one photo you pick into a painting-style picture.",
            f"summary: {summary}",
        )
    return _with(
        "locales: [en]",
        f"locales: [en, {locale}]\ntranslations:\n  {locale}: {{name: x, summary: "
        + summary
        + ", purposes: {restyle: x}, deletion: x, withdraw: x}",
    )


WORD_CASES = [
    ("en", "We use your photos to improve our AI unless you edit them.", "improve our AI", "D707"),
    ("en", "Your picture is shown in ads.", "ads", "D707"),
    ("en", "Finds the faces in your photo.", "faces", "D707"),
    ("en", "Your picture becomes public.", "public", "D707"),
    ("fr", "Nous utilisons vos photos pour entraîner notre IA.", "entraîner", "D707"),
    ("fr", "Vos photos servent à la publicité.", "publicité", "D707"),
    ("fr", "Nous analysons les visages.", "visages", "D707"),
    ("fr", "Nous pouvons garder vos photos.", "pouvons", "D704"),
    ("fr", "Vos photos sont susceptibles de servir.", "susceptibles", "D704"),
    ("fr", "Nous gardons éventuellement vos photos.", "éventuellement", "D704"),
    # "pub" (advertising) is in "publique": the stem stands for both topics
    ("fr", "Votre image devient publique.", "publique", "D707"),
    # re.IGNORECASE reads the long s (U+017F) as "s": the pre-checks must too
    ("en", "We \u017fhare your picture.", "\u017fhare", "D707"),
    ("ar", "نستخدم صورك لتدريب نماذجنا", "لتدريب", "D707"),
    ("ar", "نعرض صورك في الإعلانات", "الإعلانات", "D707"),
    ("ar", "نحلل الوجوه في صورك", "الوجوه", "D707"),
]


@pytest.mark.parametrize(("locale", "summary", "word", "code"), WORD_CASES)
def test_word_findings_point_at_the_word(
    locale: str, summary: str, word: str, code: str, tmp_path: Any
) -> None:
    text = _in_locale(locale, summary)
    line_no, line = next((i, t) for i, t in enumerate(text.splitlines(), 1) if summary in t)
    column = line.index(summary) + summary.index(word) + 1
    assert (line_no, column, code) in codes_for(text, tmp_path)


@pytest.mark.parametrize(
    ("locale", "summary"),
    [
        ("en", "Your photo is never used to train AI."),
        ("en", "Turns one photo you pick into a painting-style picture."),
        ("fr", "Vos photos ne servent jamais à entraîner une IA."),
        ("fr", "Nous ne pouvons pas voir vos photos."),
        ("ar", "لا نستخدم صورك لتدريب أي نموذج"),
    ],
)
def test_negated_or_unrelated_words_are_not_flagged(
    locale: str, summary: str, tmp_path: Any
) -> None:
    codes = {c for _, _, c in codes_for(_in_locale(locale, summary), tmp_path)}
    assert not codes & {"D704", "D707"}


def test_free_text_rule_is_configurable(tmp_path: Any) -> None:
    text = _in_locale("en", "Your picture is shown in ads.")
    from discloser.findings import Severity

    assert codes_for(text, tmp_path, Settings(levels={"D707": None})) == []
    path = tmp_path / "restyle-one-photo.yaml"
    path.write_text(text, encoding="utf-8")
    decl, marks = read_declaration(Source(str(path), path))
    strict = Settings(levels={"D707": Severity.ERROR})
    [finding] = check_declaration(str(path), decl, marks, enabled_rules(strict), strict)
    assert finding.severity is Severity.ERROR


def test_the_issue_purpose_text_is_caught_at_each_word(tmp_path: Any) -> None:
    sentence = "We use your photos to improve our AI unless you edit or share them."
    text = _with("text: Make a restyled copy of the photo you picked.", f"text: {sentence}")
    line_no, line = next((i, t) for i, t in enumerate(text.splitlines(), 1) if sentence in t)
    start = line.index(sentence) + 1
    found = [f for f in codes_for(text, tmp_path) if f[2] == "D707"]
    assert found == [
        (line_no, start + sentence.index("improve our AI"), "D707"),
        (line_no, start + sentence.index("share"), "D707"),
    ]


@hypothesis_settings(max_examples=500, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("aZéÉßÿª²½\u00d7'\u2019-_1.!?؟。 \n\u0301\u064bقد\u200c\u200d")
        )
    )
    | st.text()
)
def test_words_and_sentences_are_the_same_by_every_shortcut(text: str) -> None:
    # words_in and sentences_of take shortcuts where the text allows; the results must not change.
    assert words_in(text) == WORD.findall(text)
    assert bool(word_pattern(text).search(text)) == bool(WORD.search(text))
    assert sentences_of(text) == SENTENCE.split(text.strip())


def _topic_words(language: str) -> list[str]:
    w = freetext.words(language)
    assert w is not None
    return [part for stems in w.stems.values() for part in stems] + ["l'", "d\u2019", "s", "ing"]


@hypothesis_settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(["en", "fr", "ar"]).flatmap(
        lambda language: st.tuples(
            st.just(language),
            st.lists(
                st.sampled_from([*_topic_words(language), " ", "  ", ". ", "-", "x", "É", "\n"]),
                max_size=30,
            ).map("".join),
            st.sets(st.sampled_from(sorted(freetext.TOPICS)), min_size=1),
        )
    )
)
def test_topic_matches_are_those_of_one_alternation(case: tuple[str, str, set[str]]) -> None:
    # D707 compiles one pattern per topic and merges their matches; they must be exactly the
    # matches of the single alternation of the chosen topics, in order.
    language, text, topics = case
    w = freetext.words(language)
    assert w is not None
    chosen = sorted(t for t in topics if t in w.alternatives)
    groups = "|".join(f"(?P<{t}>{w.alternatives[t]})" for t in chosen)
    one = re.compile(
        rf"(?<![\w{language_marks}])(?:{groups})(?![\w{language_marks}])", re.IGNORECASE
    )
    merged = freetext._matches(text, [(t, freetext._topic_pattern(w, t)) for t in chosen])
    assert [(t, m.span()) for t, m in merged] == [
        (m.lastgroup, m.span()) for m in one.finditer(text)
    ]


def test_topic_matches_break_ties_as_the_alternation_does() -> None:
    # No shipped word list has a word in two topics yet; one that does must still find what a
    # single alternation finds: the earlier topic wins at the same start, the longer word after.
    w = freetext.Words(
        {"advertising": "ad|ads", "sharing": "ads?\\s+shared|share"}, {}, frozenset(), 4
    )
    text = "ads shared, ad share ads"
    merged = freetext._matches(
        text, [(t, freetext._topic_pattern(w, t)) for t in sorted(w.alternatives)]
    )
    one = re.compile(r"(?<!\w)(?:(?P<advertising>ad|ads)|(?P<sharing>ads?\s+shared|share))(?!\w)")
    expected = [(m.lastgroup, m.group()) for m in one.finditer(text)]
    # at 0 both topics match ("ads", "ads shared"): the earlier topic wins, as in the alternation
    assert expected[0] == ("advertising", "ads")
    assert [(t, m.group()) for t, m in merged] == expected
