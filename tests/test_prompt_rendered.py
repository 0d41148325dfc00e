"""The consent prompt as `discloser render` ships it: the copy-paste snippet on a plain page,
under the contract's strict CSP, in every example and locale, and its receipt verified by
`discloser verify-receipt`."""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, Server, axe_violations, run_cli

from discloser.load.discover import Source
from discloser.validate import read_declaration

SPEC_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "require-trusted-types-for 'script'; trusted-types 'none'"
)
WATCH = """
document.addEventListener("securitypolicyviolation", (e) =>
  console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI));
window.__events = [];
document.addEventListener("discloser:consent", (e) => window.__events.push(JSON.parse(JSON.stringify(e.detail))));
"""
PAGES = [
    (path.stem, locale)
    for path in sorted((ROOT / "declarations").glob("*.yaml"))
    for locale in read_declaration(Source(str(path), path))[0].locales
]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Server]]:
    out = tmp_path_factory.mktemp("prompt") / "out"
    assert run_cli("render", "declarations", "--out", str(out)).returncode == 0
    server = Server(out, prefix="/apps/lumen/", headers={"Content-Security-Policy": SPEC_CSP})
    yield out, server
    server.close()


def _open(
    browser: Any, server: Server, page_path: str, **context: Any
) -> tuple[Any, Any, list[str]]:
    ctx = browser.new_context(**context)
    ctx.add_init_script(WATCH)
    page = ctx.new_page()
    problems: list[str] = []

    # A missing resource is reported by URL below; the browser's own /favicon.ico probe is not ours.
    def on_console(message: Any) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    def on_response(response: Any) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            problems.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(server.base + page_path)
    deadline = time.monotonic() + 10
    while not page.evaluate("!!document.querySelector('dialog[open]')"):
        assert time.monotonic() < deadline, "the prompt never opened"
        page.wait_for_timeout(50)
    return ctx, page, problems


def test_snippet_pins_the_shipped_bytes(rendered: tuple[Path, Server]) -> None:
    import base64
    import hashlib

    out, _ = rendered
    embed = (out / "ai-restyle" / "embed.html").read_text(encoding="utf-8")
    for href, integrity in re.findall(
        r'(?:href|src)="\.\./prompt/([^"]+)" integrity="([^"]+)"', embed
    ):
        data = (out / "prompt" / href).read_bytes()
        assert integrity == "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()
        assert hashlib.sha256(data).hexdigest()[:12] in href
    assert embed.count('crossorigin="anonymous"') == 2
    assert "<script>" not in embed and "style=" not in embed


@pytest.mark.parametrize(("feature", "locale"), PAGES, ids=[f"{f}-{loc}" for f, loc in PAGES])
def test_prompt_opens_under_strict_csp_with_no_axe_violations(
    browser: Any, rendered: tuple[Path, Server], feature: str, locale: str
) -> None:
    _, server = rendered
    for scheme in ("light", "dark"):
        ctx, page, problems = _open(
            browser, server, f"{feature}/demo.{locale}.html", color_scheme=scheme
        )
        assert page.evaluate("document.querySelector('dialog[open]').closest('[dir]').dir") == (
            "rtl" if locale == "ar" else "ltr"
        )
        assert axe_violations(page) == []
        assert problems == []
        assert page.evaluate("localStorage.length") == 0  # nothing stored before a choice
        ctx.close()


QUESTIONS = ["which", "when", "why", "processed", "stored", "ai", "ads", "shared"]
MARKS = {"en": "Take note:", "fr": "À noter\u202f:", "ar": "تنبيه:"}


@pytest.mark.parametrize(("feature", "locale"), PAGES, ids=[f"{f}-{loc}" for f, loc in PAGES])
def test_first_layer_says_every_answer_and_marks_what_the_label_marks(
    browser: Any, rendered: tuple[Path, Server], feature: str, locale: str
) -> None:
    """The dialog a person sees answers all eight questions, in the label's words for the
    questions, and marks in words exactly the rows the label marks as risky."""
    out, server = rendered
    label = (out / feature / f"{locale}.html").read_text(encoding="utf-8")
    rows = re.findall(r'<div class="dsc-row( dsc-risky)?" data-question="(\w+)"', label)
    risky = {key for flag, key in rows if flag}
    questions = [html.unescape(q) for q in re.findall(r"<dt>.*?<span>(.*?)</span></dt>", label)]
    question = {key: q for (_, key), q in zip(rows, questions, strict=True)}
    ctx, page, problems = _open(browser, server, f"{feature}/demo.{locale}.html")
    dialog = page.locator("dialog[open]")
    shown = dialog.locator("dl > dt").all_inner_texts()
    keys = [next(k for k, q in question.items() if q == text) for text in shown]
    # All eight, in the label's order (a new row with a first-layer sentence may join them).
    assert [k for k in keys if k in QUESTIONS] == QUESTIONS
    answers = dialog.locator("dl > dd")
    for i, key in enumerate(keys):
        marks = answers.nth(i).locator("strong").all_inner_texts()
        assert marks == ([MARKS[locale]] if key in risky else []), key
        assert len(answers.nth(i).inner_text()) > len("".join(marks)) + 3
    assert problems == []
    ctx.close()


def test_keyboard_accept_gives_a_receipt_that_verifies(
    browser: Any, rendered: tuple[Path, Server], tmp_path: Path
) -> None:
    _, server = rendered
    ctx, page, problems = _open(browser, server, "camera-roll-suggestions/demo.fr.html")
    page.locator("dialog[open] button.dsc-prompt-btn").first.focus()
    page.keyboard.press("Enter")
    deadline = time.monotonic() + 5
    while not page.evaluate("window.__events.length"):
        assert time.monotonic() < deadline
        page.wait_for_timeout(50)
    [receipt] = page.evaluate("window.__events")
    assert receipt["locale"] == "fr" and receipt["decision"] == "accept"
    assert not any(
        v for k, v in receipt["choices"].items() if k == "improve-models"
    )  # optional stays off
    assert problems == []
    ctx.close()
    path = tmp_path / "receipt.json"
    path.write_text(json.dumps(receipt), encoding="utf-8")
    proc = run_cli("verify-receipt", str(path), "--path", "declarations")
    assert proc.returncode == 0, proc.stderr
    forged = dict(receipt, choices={**receipt["choices"], "extra": True})
    path.write_text(json.dumps(forged), encoding="utf-8")
    assert run_cli("verify-receipt", str(path), "--path", "declarations").returncode == 1


def test_site_feature_page_leads_to_the_live_prompt_and_back(browser: Any, tmp_path: Path) -> None:
    out = tmp_path / "site"
    proc = run_cli("build", "declarations", "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    server = Server(out, prefix="/transparency/")
    try:
        page = browser.new_page()
        page.goto(server.base + "fr/features/camera-roll-suggestions.html")
        page.locator("a[href$='camera-roll-suggestions/demo.fr.html']").click()
        page.wait_for_selector("dialog[open]")
        assert page.evaluate("document.documentElement.lang") == "fr"
        more = page.locator("dialog[open] a").first
        more.click()
        page.wait_for_load_state()
        assert page.url == server.base + "fr/features/camera-roll-suggestions.html"
        page.close()
    finally:
        server.close()
