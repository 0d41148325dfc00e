"""Our own words are translated in full, placeholders intact, and never leak English."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import ROOT

from discloser.render import i18n

LOCALE_DIR = ROOT / "discloser" / "locale"
CATALOGUES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/discloser.po"))
PLACEHOLDER = re.compile(r"\{\w+\}")


def test_template_is_current(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-k",
            "N_",
            "-k",
            "t",
            "-k",
            "fmt",
            "-k",
            "_",
            "--no-location",
            "--sort-output",
            "--omit-header",
            "-o",
            str(fresh),
            str(ROOT / "discloser" / "render"),
            str(ROOT / "discloser" / "site"),
        ],
        check=True,
        capture_output=True,
    )
    ids = {m.id for m in read_po(fresh.open("rb")) if m.id}
    committed = {m.id for m in read_po((LOCALE_DIR / "discloser.pot").open("rb")) if m.id}
    assert ids == committed, "run pybabel extract (see README, Translations)"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-3])
def test_catalogue_is_complete_with_placeholders_intact(po: Path) -> None:
    template = {m.id for m in read_po((LOCALE_DIR / "discloser.pot").open("rb")) if m.id}
    catalog = read_po(po.open("rb"))
    translated = {m.id: m for m in catalog if m.id}
    assert set(translated) == template
    for message in translated.values():
        assert message.string and not message.fuzzy, message.id
        assert sorted(PLACEHOLDER.findall(str(message.id))) == sorted(
            PLACEHOLDER.findall(str(message.string))
        )


def test_catalogues_cover_the_example_locales() -> None:
    assert {p.parts[-3] for p in CATALOGUES} >= {"fr", "ar"}


def test_fallback_goes_from_region_to_language_to_english() -> None:
    assert i18n.translations("fr-CA").gettext("Which photos?") == i18n.translations("fr").gettext(
        "Which photos?"
    )
    assert i18n.translations("fr").gettext("Which photos?") != "Which photos?"
    assert i18n.translations("de").gettext("Which photos?") == "Which photos?"


def test_durations_dates_and_directions_come_from_cldr() -> None:
    def plain(s: str) -> str:
        return s.replace("\u202f", " ").replace("\xa0", " ")

    assert plain(i18n.duration("P30D", "fr")) == "30 jours"
    assert plain(i18n.duration("P1Y6M", "en")) == "1 year and 6 months"
    assert i18n.duration("P0D", "en") == "0 days"
    assert plain(i18n.long_date(date(2026, 7, 1), "fr")) == "1 juillet 2026"
    assert (i18n.direction("ar"), i18n.direction("he"), i18n.direction("fr")) == (
        "rtl",
        "rtl",
        "ltr",
    )


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_no_english_phrase_leaks_into_a_translated_page(locale: str, tmp_path: Path) -> None:
    from conftest import run_cli

    out = tmp_path / "out"
    assert run_cli("render", "declarations", "--out", str(out)).returncode == 0
    english = [
        m.id
        for m in read_po((LOCALE_DIR / "discloser.pot").open("rb"))
        if m.id and len(str(m.id)) > 12
    ]
    for page in out.glob(f"*/{locale}.txt"):
        text = page.read_text(encoding="utf-8")
        leaked = [str(e) for e in english if "{" not in str(e) and str(e) in text]
        assert leaked == [], page
