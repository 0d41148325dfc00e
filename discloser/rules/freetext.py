"""Free text against the answers: words that say the opposite of a structured "no".

A purpose text reading "we use your photos to improve our AI" under ``ai_training.use: none``
leaves the person with two notices, and the one in their own words is the one they believe.
The words that name each topic are data, one file per language in ``rules/words/`` (see
``en.toml`` for the syntax); a language without a file gets no check.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import groupby
from operator import itemgetter

from discloser.config import Settings
from discloser.findings import Severity
from discloser.model.declaration import Declaration, user_texts
from discloser.rules.language import (
    MARKS,
    SENTENCE,
    language_of,
    lowered,
    lowered_by_language,
    substring_test,
    words_in,
)
from discloser.rules.registry import Problem, rule

# Each topic, the answers that say it does not happen, and where that answer is.
TOPICS: dict[str, tuple[Callable[[Declaration], bool], tuple[str | int, ...], str]] = {
    "training": (
        lambda d: d.ai_training.use == "none",
        ("ai_training", "use"),
        "ai_training.use is none",
    ),
    "advertising": (
        lambda d: not (d.advertising.targeting or d.advertising.measurement),
        ("advertising",),
        "no advertising use is declared",
    ),
    "faces": (
        lambda d: d.photos.face_analysis == "none" and "faces" not in d.photos.reads,
        ("photos", "face_analysis"),
        "photos.face_analysis is none",
    ),
    "sharing": (lambda d: not d.sharing, ("sharing",), "sharing is empty"),
    "public": (
        lambda d: all(r.role != "public" for r in d.sharing),
        ("sharing",),
        "no recipient is public",
    ),
    "cloud": (
        lambda d: d.processing.location == "on_device" and d.storage.location != "cloud",
        ("processing", "location"),
        "photos are processed and kept on the device",
    ),
}


@dataclass(frozen=True, eq=False)
class Words:
    """One language's topic words: each topic's regex alternatives and literal stems."""

    alternatives: dict[str, str]
    stems: dict[str, tuple[str, ...]]
    negations: frozenset[str]
    window: int


def _alternative(word: str, prefixes: str) -> str:
    stem, open_end = (word[:-1], True) if word.endswith("*") else (word, False)
    body = r"\s+".join(re.escape(part) for part in stem.split())
    return prefixes + body + (rf"(?:\w|[{MARKS}])*" if open_end else "")


@cache
def words(language: str) -> Words | None:
    """The word list of ``language`` (``fr`` for ``fr-CA``), or None without one."""
    source = resources.files("discloser.rules") / "words" / f"{language}.toml"
    if not source.is_file():
        return None
    raw = tomllib.loads(source.read_text(encoding="utf-8"))
    prefixes = raw.get("prefixes", [])
    prefix = (
        "(?:" + "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True)) + ")?"
        if prefixes
        else ""
    )
    alternatives, stems = {}, {}
    for topic, items in raw["topics"].items():
        if topic not in TOPICS:
            raise RuntimeError(f"words/{language}.toml: unknown topic {topic!r}")
        ordered = sorted(items, key=len, reverse=True)
        alternatives[topic] = "|".join(_alternative(w, prefix) for w in ordered)
        stems[topic] = tuple(sorted({w.rstrip("*").split()[0].lower() for w in items}))
    negations = frozenset(n.lower() for n in raw.get("negations", []))
    return Words(alternatives, stems, negations, int(raw.get("window", 4)))


@cache
def _topic_pattern(w: Words, topic: str) -> re.Pattern[str]:
    """One topic's words as whole words: compiled once per topic, whatever answers say no."""
    return re.compile(rf"(?<![\w{MARKS}])(?:{w.alternatives[topic]})(?![\w{MARKS}])", re.IGNORECASE)


@cache
def _stems(w: Words, topics: frozenset[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The stems that must appear before any of ``topics`` can (a cheap substring test), each
    with the topics it can stand for: those with a stem that holds it (a text that holds
    "ads" holds "ad")."""
    chosen = sorted(t for t in topics if t in w.stems)
    return tuple(
        (stem, tuple(t for t in chosen if any(stem in x for x in w.stems[t])))
        for stem in substring_test({s for t in chosen for s in w.stems[t]})
    )


def _matches(
    text: str, patterns: list[tuple[str, re.Pattern[str]]]
) -> Iterator[tuple[str, re.Match[str]]]:
    """Each ``(topic, match)`` that one alternation of ``patterns`` would find, in order.

    The same matches as ``finditer`` over ``(?P<topic>...)|(?P<topic>...)`` in the order given:
    the leftmost match wins, the earlier topic on a tie, and the search goes on after it (no
    match is empty: every word has a first word). One
    pattern per topic is compiled once; a pattern per combination of topics was compiled for
    each new combination of "no" answers, which cost more than checking a thousand files.
    """
    pos = 0
    ahead: dict[str, re.Match[str] | None] = {t: p.search(text) for t, p in patterns}
    while True:
        best: tuple[str, re.Match[str]] | None = None
        for topic, pattern in patterns:
            match = ahead[topic]
            if match is not None and match.start() < pos:
                match = ahead[topic] = pattern.search(text, pos)
            if match is not None and (best is None or match.start() < best[1].start()):
                best = topic, match
        if best is None:
            return
        yield best
        pos = best[1].end()


def _negated(text: str, start: int, w: Words) -> bool:
    """Whether a negation stands among the few words before ``start``, in the same sentence."""
    before = SENTENCE.split(text[:start])[-1]
    for word in words_in(before)[-w.window :]:
        low = word.lower()
        if low in w.negations or any(
            n.endswith("'") and low.startswith((n, n[:-1] + "\u2019")) for n in w.negations
        ):
            return True
    return False


def _unnegated(
    text: str, patterns: list[tuple[str, re.Pattern[str]]], w: Words
) -> Iterator[tuple[str, re.Match[str]]]:
    """Each ``(topic, match)`` in ``text`` that no negation comes shortly before."""
    if len(patterns) == 1:  # most texts that name a topic name one
        topic, pattern = patterns[0]
        found: Iterator[tuple[str, re.Match[str]]] = ((topic, m) for m in pattern.finditer(text))
    else:
        found = _matches(text, patterns)
    for topic, match in found:
        if not _negated(text, match.start(), w):
            yield topic, match


@rule(
    "D707",
    "text-contradicts-answers",
    Severity.WARNING,
    "reword the text, or change the structured answer if the text is what happens",
)
def text_contradicts_answers(d: Declaration, s: Settings) -> Iterator[Problem]:
    """Free text does not mention a use the structured answers say does not happen.

    Text naming AI training or models, ads or marketing, faces or recognition, sharing, the
    public or third parties, or the cloud, servers and uploads is flagged where the matching
    answer says no (`ai_training.use: none`, no advertising flag, `face_analysis: none`,
    `sharing: []`, no public recipient, on-device processing and storage). The finding points at
    the word itself. A negation shortly before the word ("never used for ads", "ne ... pas",
    "لا") agrees with the "no" and is not flagged. Word lists, per language, are in
    `discloser/rules/words/` (en, fr, ar). A warning by default: words have more than one
    meaning; make it an error with `levels = {D707 = "error"}`.

    Fails:

    ```yaml
    summary: Turns one photo you pick into a painting, and we use it to improve our AI.
    ```

    Passes:

    ```yaml
    summary: Turns one photo you pick into a painting. It is never used to train AI.
    ```
    """
    opposite = {topic for topic, (says_no, _, _) in TOPICS.items() if says_no(d)}
    if not opposite:
        return
    # A substring test per stem is far cheaper than the regex, and most texts name no topic: it
    # is done first on each language's texts at once (a stem absent from them all is absent
    # from each), so most declarations stop here, and the rest test each text for the few stems
    # present.
    topics = frozenset(opposite)
    found: dict[str, tuple[Words, tuple[tuple[str, tuple[str, ...]], ...]]] = {}
    for language, joined in lowered_by_language(d).items():
        w = words(language)
        if w is None:
            continue
        present = tuple(entry for entry in _stems(w, topics) if entry[0] in joined)
        if present:
            found[language] = (w, present)
    if not found:
        return
    for locale, run in groupby(user_texts(d), itemgetter(1)):  # texts come a locale at a time
        entry = found.get(language_of(locale))
        if entry is None:
            continue
        w, present = entry
        for path, _, text, _ in run:
            if path == ("controller",):
                continue
            low = lowered(text)
            # Only the topics whose stems this text holds can match in it.
            named = {t for stem, stands_for in present if stem in low for t in stands_for}
            if not named:
                continue
            patterns = [(t, _topic_pattern(w, t)) for t in sorted(named)]
            for topic, match in _unnegated(text, patterns, w):
                _, _, answer = TOPICS[topic]
                yield Problem(
                    path,
                    f"the text mentions {match.group()!r} ({topic}) but {answer}",
                    match.start(),
                    match.end() - match.start(),
                )
