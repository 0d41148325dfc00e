"""The three real cases of issue 9, and every new sentence in every shipped locale.

Cases in ``fixtures/real/``: a camera-roll cloud-processing feature with bundled AI terms, a
picker-only AI restyle, an on-device enhancer. They are validated as a pipeline does (the CLI
as a process), and their first layer is read from the prompt's notice data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, run_cli

from discloser.load.yaml12 import load
from discloser.model.declaration import Declaration
from discloser.render import i18n
from discloser.render.prompt import notice
from discloser.render.view import build_view

REAL = FIXTURES / "real"


def _data(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((REAL / f"{name}.yaml").read_text(encoding="utf-8"))
    data["effective"] = str(data["effective"])
    return data


def _model(data: dict[str, Any]) -> Declaration:
    return Declaration.model_validate(load(yaml.safe_dump(data, allow_unicode=True))[0])


def _codes(path: Path) -> tuple[int, list[tuple[int, int, str]]]:
    proc = run_cli("validate", "--format", "json", str(path))
    found = json.loads(proc.stdout)["findings"]
    return proc.returncode, [(f["line"], f["column"], f["code"]) for f in found]


def test_the_camera_roll_case_is_refused_only_for_training_without_a_switch() -> None:
    # Training on what you edit or share, with no separate choice, is bundling (D402): the
    # one thing left to fix. Everything else, bundled terms included, is declared.
    assert _codes(REAL / "camera-roll-cloud-processing.yaml") == (1, [(27, 151, "D402")])


@pytest.mark.parametrize("name", ["picker-ai-restyle", "on-device-enhancer"])
def test_the_other_real_cases_validate_clean(name: str) -> None:
    assert _codes(REAL / f"{name}.yaml") == (0, [])


def _first_layer(name: str) -> dict[str, str]:
    texts = notice(_model(_data(name)))["texts"]["en"]
    return {a["key"]: a["answer"] for a in texts["answers"]}


def test_bundled_terms_come_first_in_the_prompt_with_their_link() -> None:
    texts = notice(_model(_data("camera-roll-cloud-processing")))["texts"]["en"]
    first = texts["answers"][0]
    assert first["key"] == "terms"
    assert "Example AI Terms" in first["answer"]
    assert "https://example.com/legal/ai-terms" in first["answer"]


def test_the_first_layer_says_the_training_condition_and_longer_retention() -> None:
    camera = _first_layer("camera-roll-cloud-processing")
    assert "for the photos you edit or share with the AI" in camera["ai"]
    assert "Kept longer: what you edit and what you share" in camera["stored"]
    restyle = _first_layer("picker-ai-restyle")
    assert "only if you agree" in restyle["ai"]
    assert "Kept longer: what you save" in restyle["stored"]
    assert "terms" not in restyle


def test_the_enhancer_says_facial_features_are_analysed() -> None:
    v = build_view(_model(_data("on-device-enhancer")), "en")
    which = next(a for a in v.answers if a.key == "which")
    assert "Analyses facial features" in " ".join(which.details)


def _translated(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` shipped in en, fr and ar, every declaration string translated."""
    data = json.loads(json.dumps(data))
    data["locales"] = ["en", "fr", "ar"]
    entry = {
        "name": "x",
        "summary": "x",
        "purposes": {p["id"]: "x" for p in data["purposes"]},
        "recipients": {r["id"]: "x" for r in data["sharing"]},
        "terms": {b["id"]: "x" for b in data.get("bundled_terms", [])},
        "withdraw": "x",
    }
    if data["storage"].get("deletion"):
        entry["deletion"] = "x"
    data["translations"] = {loc: json.loads(json.dumps(entry)) for loc in ("fr", "ar")}
    return data


# Each new sentence, the case and answers that produce it, and the label row that shows it.
SENTENCES = [
    ("camera-roll-cloud-processing", {}, "terms", "Accepting this feature also accepts {names}"),
    ("camera-roll-cloud-processing", {}, "terms", "analysing facial features"),
    ("camera-roll-cloud-processing", {}, "terms", "analysing your photos and videos"),
    ("camera-roll-cloud-processing", {}, "terms", "training AI"),
    ("camera-roll-cloud-processing", {}, "terms", "{name} allow: {items}."),
    (
        "camera-roll-cloud-processing",
        {},
        "ai",
        "{answer}, for the photos you edit or share with the AI",
    ),
    (
        "camera-roll-cloud-processing",
        {"ai_training.condition": "always"},
        "ai",
        "{answer}, for every photo the feature reads, with no separate choice",
    ),
    ("picker-ai-restyle", {}, "ai", "{answer}, only if you agree"),
    ("camera-roll-cloud-processing", {}, "stored", "Kept longer: {items}, until you delete them."),
    ("camera-roll-cloud-processing", {}, "stored", "{kept} (longer for {items})"),
    ("camera-roll-cloud-processing", {}, "stored", "what you edit"),
    ("camera-roll-cloud-processing", {}, "stored", "what you share"),
    ("picker-ai-restyle", {}, "stored", "what you save"),
    (
        "picker-ai-restyle",
        {"storage.longer_for": [{"items": ["reported"], "retention": "P1Y"}]},
        "stored",
        "Kept longer: {items}, for {duration}.",
    ),
    (
        "picker-ai-restyle",
        {"storage.longer_for": [{"items": ["reported"], "retention": "P1Y"}]},
        "stored",
        "what is reported",
    ),
    ("picker-ai-restyle", {}, "shared", "(only what you choose to share)"),
    (
        "on-device-enhancer",
        {},
        "which",
        "Analyses facial features in photos.",
    ),
]


def _set(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for step in parents:
        data = data[step]
    data[last] = value


def _literal(text: str) -> str:
    """The longest piece of a message that is not a placeholder."""
    import re

    return max(re.split(r"\{\w+\}", text), key=len).strip(" .,:()")


@pytest.mark.parametrize("locale", ["en", "fr", "ar"])
@pytest.mark.parametrize(("case", "change", "row", "message"), SENTENCES)
def test_each_new_sentence_is_shown_in_every_locale(
    case: str, change: dict[str, Any], row: str, message: str, locale: str
) -> None:
    data = _translated(_data(case))
    for dotted, value in change.items():
        _set(data, dotted, value)
    v = build_view(_model(data), locale)
    answer = next(a for a in v.answers if a.key == row)
    shown = " ".join([answer.answer, *answer.details]).replace("\\", "")
    words = i18n.translations(locale).gettext(message)
    assert locale == "en" or words != message, f"{message!r} has no {locale} translation"
    assert _literal(words) in shown


def test_bundled_terms_render_as_the_first_label_row_with_a_real_link(tmp_path: Path) -> None:
    from html.parser import HTMLParser

    folder = tmp_path / "decl"
    folder.mkdir()
    text = (REAL / "camera-roll-cloud-processing.yaml").read_text(encoding="utf-8")
    waiver = "waivers:\n  - {rule: D402, reason: Training on what you submit is in our terms.}\n"
    (folder / "camera-roll-cloud-processing.yaml").write_text(text + waiver, encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli("render", str(folder), "--out", str(out)).returncode == 0

    class Rows(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.rows: list[str] = []
            self.links: list[tuple[str, str]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = dict(attrs)
            if tag == "div" and a.get("data-question"):
                self.rows.append(a["data-question"] or "")
            if tag == "a" and self.rows and self.rows[-1] == "terms":
                self.links.append((self.rows[-1], a.get("href") or ""))

    parser = Rows()
    html = (out / "camera-roll-cloud-processing" / "en.html").read_text("utf-8")
    parser.feed(html)
    assert parser.rows[0] == "terms"
    assert ("terms", "https://example.com/legal/ai-terms") in parser.links
