"""Language: what people read is plain, visible and only text.

Each check runs on every user-facing string in every locale (see
:func:`discloser.model.declaration.user_texts`). Hedge lists exist for the locales below; a
locale without one still gets every other check. The reading grade is Flesch-Kincaid and so
English-only: its syllable weights mean nothing in other languages, and a rough score in French
or Arabic would warn at random.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache
from itertools import groupby
from operator import itemgetter

from discloser.config import Settings
from discloser.findings import Severity
from discloser.model.declaration import Declaration, user_texts
from discloser.rules.registry import Problem, rule

INVISIBLE = re.compile(
    "[\u00ad\u061c\u115f\u1160\u180e\u200b\u200e\u200f\u2028\u2029\u2060-\u2064\u3164\ufeff"
    "\uffa0\U000e0000-\U000e007f]"
)
BLANK = re.compile(
    r"[\s\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028\u2029\u2060-\u2064\u3164\ufeff\uffa0]*"
)
HTML = re.compile(r"<\s*[A-Za-z!/?]|&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
_VISIBLE_ASCII = frozenset(map(chr, range(0x21, 0x7F)))  # none of them is BLANK
SENTENCE = re.compile(r"(?<=[.!?؟。])\s+")
# Where SENTENCE would split: found by a scan for the end mark, far cheaper than the lookbehind.
_SENTENCE_BREAK = re.compile(r"[.!?؟。]\s")
# Combining marks (Arabic harakat and shadda, Hebrew points, Latin accents written apart) and
# joiners belong to the word they sit in: without them "قدّم" would be the hedge "قد" plus
# noise, and "صورًا" two words.
MARKS = (
    "\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc"
    "\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u200c\u200d"
)
LETTER = rf"[^\W\d_]|[{MARKS}]"
WORD = re.compile(rf"(?:{LETTER})+(?:['\u2019-](?:{LETTER})+)*")
# The same words found by simpler expressions where the text allows it (see words_in): without a
# mark the letter class alone decides, and below U+0100 the letters can be listed (A to Z, the
# accented ones, and the few others Python counts as word characters but not digits: ª ² ½...),
# which a regular expression tests far faster than Unicode categories.
_MARK = re.compile(f"[{MARKS}]")
_PLAIN_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_LATIN1 = "[" + re.escape("".join(c for c in map(chr, range(256)) if re.match(LETTER, c))) + "]"
_LATIN1_WORD = re.compile(rf"{_LATIN1}+(?:['\u2019-]{_LATIN1}+)*")
# A hedge followed by a negation is a promise, not a hedge: "could not", "ne peut pas".
NEGATED = re.compile(r"\s*(?:n[o']t\b|not\b|pas\b|nicht\b|no\b)", re.IGNORECASE)

HEDGES: dict[str, tuple[str, ...]] = {
    "en": (
        "may",
        "might",
        "could",
        "such as",
        "including but not limited to",
        "improve our services",
        "and more",
        "etc.",
        "from time to time",
        "certain",
    ),
    "fr": (
        "peut",
        "peuvent",
        "pouvons",
        "pourrons",
        "pourra",
        "pourront",
        "pourrait",
        "pourraient",
        "pourrions",
        "susceptible",
        "susceptibles",
        "éventuellement",
        "éventuel",
        "éventuelle",
        "éventuels",
        "éventuelles",
        "tel que",
        "tels que",
        "telle que",
        "telles que",
        "notamment",
        "etc.",
        "et plus",
        "améliorer nos services",
    ),
    "de": (
        "kann",
        "können",
        "könnte",
        "könnten",
        "wie zum Beispiel",
        "unter anderem",
        "usw.",
        "etc.",
        "und mehr",
        "unsere Dienste verbessern",
    ),
    "es": (
        "puede",
        "pueden",
        "podría",
        "podrían",
        "como por ejemplo",
        "entre otros",
        "etc.",
        "y más",
        "mejorar nuestros servicios",
    ),
    "ar": ("قد", "ربما", "مثل", "إلخ", "وغيرها", "وغير ذلك", "تحسين خدماتنا"),
    "he": ("עשוי", "עשויה", "עשויים", "ייתכן", "כגון", "וכו'", "ועוד", "לשפר את השירותים"),
}


@cache
def _hedge_pattern(language: str) -> re.Pattern[str] | None:
    """Hedges as whole words, lower case or capitalised at a sentence start.

    Matching is case-sensitive on purpose: "May" in "It ended on 31 May" is a month.
    """
    words = HEDGES.get(language)
    if not words:
        return None
    forms = {w for word in words for w in (word, word[:1].upper() + word[1:]) if w != "May"}
    alternatives = "|".join(re.escape(w) for w in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\w{MARKS}])(?:{alternatives})(?![\w{MARKS}])")


def substring_test(items: set[str]) -> tuple[str, ...]:
    """The ``items`` no other item is part of, sorted: all a substring pre-check needs, since a
    text that holds "pourrait" (or "ads") holds "pourra" (or "ad") too."""
    return tuple(sorted(x for x in items if not any(y != x and y in x for y in items)))


@cache
def _lowered_hedges(language: str) -> tuple[str, ...]:
    """The hedges to test as substrings first."""
    return substring_test({h.lower() for h in HEDGES.get(language, ())})


def find_hedge_match(text: str, language: str) -> re.Match[str] | None:
    """The first hedge in ``text`` that is not negated, with its place, or None."""
    pattern = _hedge_pattern(language)
    if pattern is None:
        return None
    # A substring test per hedge is far cheaper than the word-boundary regex; most texts pass.
    lowered = text.lower()
    if not any(h in lowered for h in _lowered_hedges(language)):
        return None
    for match in pattern.finditer(text):
        if not NEGATED.match(text, match.end()):
            return match
    return None


def language_of(locale: str) -> str:
    return locale.split("-", 1)[0]


def word_pattern(text: str) -> re.Pattern[str]:
    """:data:`WORD`, or an expression that finds exactly the same words in ``text`` at a
    fraction of the cost: most texts hold no combining mark, and most are Latin-1 (English,
    and French without a typographic apostrophe)."""
    if text.isascii() or len(text.encode("latin-1", "ignore")) == len(text):
        return _LATIN1_WORD
    return WORD if _MARK.search(text) else _PLAIN_WORD


def sentences_of(text: str) -> list[str]:
    """``SENTENCE.split(text.strip())``: a text with no sentence end followed by a space (most
    of them) is one sentence, known without running the expression."""
    text = text.strip()
    if _SENTENCE_BREAK.search(text) is None:
        return [text]
    return SENTENCE.split(text)


def words_in(text: str) -> list[str]:
    """Every word of ``text``, as ``WORD.findall`` finds them."""
    return word_pattern(text).findall(text)


# Letters that re.IGNORECASE matches to an ASCII letter but str.lower() leaves alone (the long
# s, U+017F, and the dotless i, U+0131): to a pattern "\u017fhare" is "share", so a substring
# pre-check must read it so too.
_FOLDS = str.maketrans({"\u017f": "s", "\u0131": "i"})


def lowered(text: str) -> str:
    """``text`` lower-cased as the case-insensitive patterns read it, for substring pre-checks."""
    low = text.lower()
    return low.translate(_FOLDS) if "\u017f" in low or "\u0131" in low else low


_by_language_of: tuple[Declaration | None, dict[str, str]] = (None, {})


def lowered_by_language(d: Declaration) -> dict[str, str]:
    """Each language's user-facing texts, joined by line breaks and lower-cased.

    Rules that look for words first test for their substrings here, once per language instead
    of once per text (a text holding one holds it in the joined text too); only a language
    that passes is looked at text by text. Kept for the last declaration, as rules ask in a row.
    """
    global _by_language_of
    if _by_language_of[0] is d:
        return _by_language_of[1]
    grouped: dict[str, list[str]] = {}
    # The texts come in runs of one locale: one language lookup per run, not per text.
    for locale, run in groupby(user_texts(d), itemgetter(1)):
        grouped.setdefault(language_of(locale), []).extend(map(itemgetter(2), run))
    joined = {language: lowered("\n".join(items)) for language, items in grouped.items()}
    _by_language_of = (d, joined)
    return joined


def _holds_invisible(text: str) -> bool:
    """Whether :data:`INVISIBLE` finds a character in ``text``, mostly without running it: none
    of those characters is ASCII, and the soft hyphen is the only one in Latin-1."""
    if text.isascii():
        return False
    if len(text.encode("latin-1", "ignore")) == len(text):
        return "\u00ad" in text
    return INVISIBLE.search(text) is not None


@rule("D701", "empty-text", Severity.ERROR, "write the text out; whitespace alone says nothing")
def empty_text(d: Declaration, s: Settings) -> Iterator[Problem]:
    """User-facing text is not empty or made only of spaces and invisible characters.

    Fails:

    ```yaml
    summary: "\\u200b "
    ```

    Passes:

    ```yaml
    summary: Turns one photo you pick into a painting-style picture.
    ```
    """
    for path, _, text, _ in user_texts(d):
        # A text that starts with a visible ASCII character is not blank; no need to ask.
        if text[:1] not in _VISIBLE_ASCII and BLANK.fullmatch(text):
            yield Problem(path, "the text is empty or invisible")


@rule(
    "D702",
    "invisible-characters",
    Severity.ERROR,
    "delete zero-width, soft-hyphen and bidi mark characters; the page sets direction itself",
)
def invisible_characters(d: Declaration, s: Settings) -> Iterator[Problem]:
    """User-facing text holds no invisible or bidi mark characters.

    Zero-width spaces, soft hyphens, word joiners and left-to-right or right-to-left marks can
    hide words from reviewers and reorder what a reader sees. The generated pages set text
    direction per locale, so no text needs them. Zero-width joiners stay allowed: scripts such
    as Persian and emoji need them.

    Fails:

    ```yaml
    summary: "Turns one photo you pick into a\\u200bpainting-style picture."
    ```

    Passes:

    ```yaml
    summary: Turns one photo you pick into a painting-style picture.
    ```
    """
    # Lower-casing makes and removes none of these characters: the lowered texts tell.
    if not any(map(_holds_invisible, lowered_by_language(d).values())):
        return
    for path, _, text, _ in user_texts(d):
        match = INVISIBLE.search(text)
        if match and not BLANK.fullmatch(text):
            yield Problem(path, f"invisible character U+{ord(match.group()):04X} in the text")


@rule("D703", "raw-html", Severity.ERROR, "write plain text; the outputs do the formatting")
def raw_html(d: Declaration, s: Settings) -> Iterator[Problem]:
    """User-facing text is plain text, not HTML.

    Every output escapes declaration text, so markup would show as literal tags; and markup in a
    declaration is more often an injection attempt than formatting.

    Fails:

    ```yaml
    summary: Turns one photo you pick into a <b>painting</b>.
    ```

    Passes:

    ```yaml
    summary: Turns one photo you pick into a painting-style picture.
    ```
    """
    # Lower-casing keeps every match (and makes none from text without "<" or "&"): a language
    # whose lowered texts hold no match has no text that holds one.
    if not any(
        ("<" in lowered or "&" in lowered) and HTML.search(lowered)
        for lowered in lowered_by_language(d).values()
    ):
        return
    for path, _, text, _ in user_texts(d):
        if HTML.search(text):
            yield Problem(path, "the text contains HTML markup or entities")


@rule(
    "D704",
    "vague-hedge",
    Severity.WARNING,
    "say what does happen: replace the hedge with the actual use",
)
def vague_hedge(d: Declaration, s: Settings) -> Iterator[Problem]:
    """User-facing text does not hedge.

    "May", "such as", "improve our services" and "etc." let a notice promise nothing; people
    need to know what does happen. The finding points at the hedge word itself. Lists exist for
    en, fr (including "pouvons", "susceptible(s)", "éventuellement"), de, es, ar and he.

    Fails:

    ```yaml
    summary: We may use your photos to improve our services.
    ```

    Passes:

    ```yaml
    summary: Turns one photo you pick into a painting-style picture.
    ```
    """
    # A language whose lowered texts hold no hedge has no text that holds one; the others are
    # looked at text by text (each on its own, so one text's end never reads as another's).
    maybe = {
        language
        for language, lowered in lowered_by_language(d).items()
        if any(h in lowered for h in _lowered_hedges(language))
    }
    if not maybe:
        return
    for path, locale, text, _ in user_texts(d):
        language = language_of(locale)
        if language in maybe:
            hedge = find_hedge_match(text, language)
            if hedge:
                yield Problem(
                    path,
                    f"vague wording {hedge.group()!r}",
                    hedge.start(),
                    hedge.end() - hedge.start(),
                )


_VOWELS = re.compile(r"[aeiouy]+")


@lru_cache(maxsize=256)
def words_of(text: str) -> list[str]:
    """The words of a text, found once for the rules that count them (grade, sentence length)."""
    return words_in(text)


@lru_cache(maxsize=1 << 16)
def syllables(word: str) -> int:
    """English syllables by vowel groups, minus a silent final e: good enough for a grade."""
    w = word.lower()
    count = len(_VOWELS.findall(w))
    if count > 1 and w.endswith("e") and not w.endswith(("le", "ee", "ye")):
        count -= 1
    return max(1, count)


def reading_grade(text: str, words: list[str] | None = None) -> float:
    """Flesch-Kincaid grade level of English text (``words``: its words, if already found)."""
    words = words_in(text) if words is None else words
    if not words:
        return 0.0
    # One sentence holds the words; of several, those holding a word count.
    parts = sentences_of(text)
    found = word_pattern(text)  # a sentence holds no character its text does not
    sentences = 1 if len(parts) == 1 else max(1, len([x for x in parts if found.search(x)]))
    per_sentence = len(words) / sentences
    per_word = sum(map(syllables, words)) / len(words)
    return 0.39 * per_sentence + 11.8 * per_word - 15.59


@rule(
    "D705",
    "reading-grade",
    Severity.WARNING,
    "use shorter words and sentences; aim for what a 14-year-old reads easily",
)
def reading_grade_rule(d: Declaration, s: Settings) -> Iterator[Problem]:
    """English first-layer text reads at or below the configured grade (default 9).

    Checked on the summary and purposes, which people see before any click; texts under ten
    words are skipped, as grade formulas mean little there. Configure with
    `reading-grade = 8` in `[tool.discloser]`.

    Fails:

    ```yaml
    summary: Algorithmically transforms individually selected photographic representations into stylistically reinterpreted artistic derivatives.
    ```

    Passes:

    ```yaml
    summary: Turns one photo you pick into a painting-style picture.
    ```
    """
    for path, locale, text, first in user_texts(d):
        if not first or language_of(locale) != "en":
            continue
        words = words_of(text)
        if len(words) >= 10:
            grade = reading_grade(text, words)
            if grade > s.reading_grade:
                yield Problem(path, f"reading grade {grade:.1f} is above {s.reading_grade:g}")


@rule(
    "D706",
    "long-sentence",
    Severity.WARNING,
    "split the sentence; the first layer is read at a glance",
)
def long_sentence(d: Declaration, s: Settings) -> Iterator[Problem]:
    """First-layer sentences stay short (default 25 words), in every locale.

    Configure with `sentence-words = 20` in `[tool.discloser]`.

    Fails:

    ```yaml
    summary: Turns one photo that you pick from your phone into a new picture in the style of a painting that you can keep save share or delete whenever you like at any time.
    ```

    Passes:

    ```yaml
    summary: Turns one photo you pick into a painting-style picture.
    ```
    """
    for path, _, text, first in user_texts(d):
        # n words need at least 2n - 1 characters: short texts cannot hold a long sentence,
        # nor can a text with no more words in all than one sentence may have.
        if not first or len(text) < 2 * s.sentence_words or len(words_of(text)) <= s.sentence_words:
            continue
        found = word_pattern(text)
        for sentence in sentences_of(text):
            n = len(found.findall(sentence))
            if n > s.sentence_words:
                yield Problem(path, f"a sentence of {n} words; keep it to {s.sentence_words}")
                break
