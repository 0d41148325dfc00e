"""Locale machinery: the template words' catalogues, and dates, durations, countries and
directions in the reader's language.

Template words live in gettext catalogues (``discloser/locale/<lang>/LC_MESSAGES/discloser.po``),
read with Babel and compiled in memory, so a wheel needs no build step. Fallback order for the
template words, documented in the README: the exact locale (``pt-BR``), then its language
(``pt``), then English, the source language. Declaration words never fall back: the validator
refuses a declaration whose translations are incomplete (D801).

Babel supplies what must not be hand-written per language: "30 jours", "سنة و6 أشهر", country
names and long dates from CLDR.
"""

from __future__ import annotations

import io
import re
import tomllib
import unicodedata
from datetime import date
from functools import cache
from importlib import resources
from typing import Literal

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from babel.units import format_unit

DOMAIN = "discloser"
_PARTS = re.compile(
    r"^P(?:(?P<year>\d+)Y)?(?:(?P<month>\d+)M)?(?:(?P<week>\d+)W)?(?:(?P<day>\d+)D)?"
    r"(?:T(?:(?P<hour>\d+)H)?(?:(?P<minute>\d+)M)?(?:(?P<second>\d+)S)?)?$"
)


def N_(message: str) -> str:
    """Mark a message for the catalogue where it is defined; it is translated where it is shown."""
    return message


@cache
def babel_locale(tag: str) -> Locale:
    """Babel's locale for a tag, parsed once: every label asks for it dozens of times."""
    return Locale.parse(tag.replace("-", "_"))


@cache
def catalogue_locales() -> tuple[str, ...]:
    """Locales that ship a catalogue of template words (besides English, the source)."""
    root = resources.files("discloser") / "locale"
    if not root.is_dir():
        return ()
    return tuple(
        sorted(p.name for p in root.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file())
    )


@cache
def translations(tag: str) -> NullTranslations:
    """Template-word translations for ``tag``, by the fallback order in the module docstring."""
    available = catalogue_locales()
    for candidate in (tag.replace("-", "_"), tag.split("-", 1)[0]):
        if candidate in available:
            po = (
                resources.files("discloser") / "locale" / candidate / "LC_MESSAGES" / f"{DOMAIN}.po"
            )
            with po.open("rb") as fp:
                catalog = read_po(fp, locale=candidate, domain=DOMAIN)
            buffer = io.BytesIO()
            write_mo(buffer, catalog, use_fuzzy=False)
            buffer.seek(0)
            return Translations(fp=buffer, domain=DOMAIN)
    return NullTranslations()


def direction(tag: str) -> str:
    """``rtl`` or ``ltr`` for the HTML ``dir`` attribute, from CLDR's character order."""
    return "rtl" if babel_locale(tag).character_order == "right-to-left" else "ltr"


def language_name(tag: str) -> str:
    """The locale's name in its own language, for a language switcher ("français")."""
    return babel_locale(tag).get_display_name(babel_locale(tag)) or tag


def country(code: str, tag: str) -> str:
    """A country's name in the reader's language."""
    return str(babel_locale(tag).territories.get(code, code))


@cache
def english_articles() -> dict[str, str]:
    """English names that take "the" in running text ("in the United States"): CLDR's names
    are headings ("United States"), so the article is ours, kept as data in the locale folder."""
    data = (resources.files("discloser") / "locale" / "en-country-articles.toml").read_text(
        encoding="utf-8"
    )
    names: dict[str, str] = tomllib.loads(data)["in_prose"]
    return names


def prose_country(code: str, tag: str) -> str:
    """A country's name as it reads inside a sentence: "the Netherlands" in English."""
    if babel_locale(tag).language == "en" and code in english_articles():
        return english_articles()[code]
    return country(code, tag)


def _sort_key(name: str) -> str:
    """Accents do not move a name to the end ("États-Unis" sorts with E, not after "Pays-Bas");
    a stand-in for full collation that needs no ICU."""
    return "".join(
        ch for ch in unicodedata.normalize("NFD", name) if not unicodedata.combining(ch)
    ).casefold()


def countries(codes: list[str], tag: str, prose: bool = True) -> str:
    """Country names joined the way the language joins a list ("A, B and C"); with ``prose``
    as they read in a sentence ("the United States"), else as in a heading or in brackets.
    Sorted by their plain names, so "the United States" sorts under U."""
    unique = sorted(set(codes), key=lambda c: _sort_key(country(c, tag)))
    name = prose_country if prose else country
    names = list(dict.fromkeys(name(c, tag) for c in unique))
    return format_list(names, locale=babel_locale(tag)) if names else ""


def join(items: list[str], tag: str, style: Literal["standard", "or"] = "standard") -> str:
    """Items joined as the language joins lists; ``style="or"`` for "A, B or C"."""
    return format_list(items, style=style, locale=babel_locale(tag)) if items else ""


@cache
def duration(value: str, tag: str) -> str:
    """An ISO 8601 duration in words ("1 year and 6 months", "30 jours"), exact, never rounded."""
    match = _PARTS.match(value)
    if match is None:
        raise ValueError(f"not an ISO 8601 duration: {value!r}")
    loc = babel_locale(tag)
    parts = [
        format_unit(int(n), f"duration-{unit}", length="long", locale=loc)
        for unit, n in match.groupdict().items()
        if n is not None and int(n) > 0
    ]
    if not parts:  # P0D: at once
        return format_unit(0, "duration-day", length="long", locale=loc)
    return format_list(parts, locale=loc)


def long_date(value: date, tag: str) -> str:
    return format_date(value, format="long", locale=babel_locale(tag))
