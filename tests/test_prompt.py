"""The consent prompt in a real browser, against the shipped assets, under the strict CSP.

Debian's Chromium (through Playwright) loads the fixture pages in ``tests/prompt_pages`` next to
the real ``discloser/static`` files, served over HTTP under a sub-path with the contract's
Content-Security-Policy (Trusted Types required) on every response. One test per behaviour of
consent-prompt.md and of hostile-input.md, section "Consent prompt in the browser". Every test
fails if the page logs an error, throws, opens a JS dialog or reports a CSP violation.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, Server, axe_violations

STATIC = ROOT / "discloser" / "static"
PAGES = ROOT / "tests" / "prompt_pages"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; require-trusted-types-for 'script'; trusted-types 'none'"
)
# consent-prompt.md's own header: no connect-src, so only inline (data-notice) notices load.
SPEC_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "require-trusted-types-for 'script'; trusted-types 'none'"
)
CAMERA: dict[str, Any] = json.loads(
    (PAGES / "camera-roll-suggestions.json").read_text(encoding="utf-8")
)
ADS: dict[str, Any] = json.loads(
    (PAGES / "ads-from-your-posts" / "prompt.json").read_text(encoding="utf-8")
)
FEATURE = CAMERA["feature"]
KEY = f"discloser:consent:{FEATURE}"
EN, AR = CAMERA["texts"]["en"], CAMERA["texts"]["ar"]
RECEIPT_KEYS = {
    "v",
    "id",
    "feature",
    "revision",
    "notice_hash",
    "locale",
    "decision",
    "choices",
    "at",
}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
OPEN = "dialog.dsc-prompt[open]"

# Runs before any page script: reports CSP violations to the console (which the test watches)
# and keeps a copy of every discloser:consent event's detail.
WATCH = """
document.addEventListener("securitypolicyviolation", (e) =>
  console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI + " " + e.sample));
window.__events = [];
document.addEventListener("discloser:consent", (e) =>
  window.__events.push(JSON.parse(JSON.stringify(e.detail))));
"""


def assemble(tmp: Path) -> Path:
    """The fixture pages with the real prompt files beside them, as the embed snippet expects."""
    shutil.copytree(PAGES, tmp, dirs_exist_ok=True)
    # Pages that share the camera notice name it once, in an include comment, instead of
    # carrying a copy each: the served page holds the file's text inline, as an embed does.
    for page in tmp.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        for name in re.findall(r"<!--include ([\w.-]+)-->", text):
            inline = (PAGES / name).read_text(encoding="utf-8").strip()
            text = text.replace(f"<!--include {name}-->", inline)
        page.write_text(text, encoding="utf-8")
    for path in STATIC.iterdir():
        shutil.copy(path, tmp / path.name)
    return tmp


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = Server(
        assemble(tmp_path_factory.mktemp("prompt")),
        prefix="/apps/lumen/",
        headers={"Content-Security-Policy": CSP, "Cache-Control": "no-store"},
    )
    yield server
    server.close()


class Visitor:
    """Opens fixture pages in fresh browser contexts and records anything that went wrong."""

    def __init__(self, browser: Any, server: Server) -> None:
        self.browser, self.server = browser, server
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.requests: list[str] = []
        self.contexts: list[Any] = []

    def open(self, name: str, *, wait: str | None = OPEN, **options: Any) -> Any:
        context = self.browser.new_context(**options)
        self.contexts.append(context)
        context.add_init_script(WATCH)
        page = context.new_page()
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("dialog", self._js_dialog)
        page.on("request", lambda request: self.requests.append(request.url))
        page.goto(self.server.base + name)
        settle(page, wait)
        return page

    def _console(self, message: Any) -> None:
        if message.type == "warning":
            self.warnings.append(message.text)
        # The browser asks for /favicon.ico at the origin's root, outside the mounted prefix.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            self.problems.append(message.text)

    def _js_dialog(self, dialog: Any) -> None:
        self.problems.append(f"JS dialog: {dialog.message}")
        dialog.dismiss()

    def close(self) -> None:
        for context in self.contexts:
            for page in context.pages:
                page.wait_for_timeout(50)  # violation reports are dispatched asynchronously
            context.close()


@pytest.fixture
def visit(browser: Any, site: Server) -> Iterator[Visitor]:
    visitor = Visitor(browser, site)
    yield visitor
    visitor.close()
    assert visitor.problems == [], "errors or CSP violations in the page"


def wait_until(page: Any, script: str, timeout: float = 5000) -> None:
    """Poll ``script`` until it is truthy (``wait_for_function`` needs eval, which the CSP bars)."""
    for _ in range(int(timeout / 25)):
        if page.evaluate(script):
            return
        page.wait_for_timeout(25)
    raise AssertionError(f"never true: {script}")


def settle(page: Any, wait: str | None = OPEN) -> None:
    """Wait for the prompt to reach ``wait`` and for any opening animation to finish."""
    if wait:
        page.wait_for_selector(wait, state="attached")
    wait_until(page, "document.getAnimations().every((a) => a.playState !== 'running')")


def reload(page: Any, wait: str | None = OPEN) -> None:
    page.reload()
    settle(page, wait)


def is_open(page: Any) -> bool:
    return page.locator(OPEN).count() == 1


def stored(page: Any, key: str = KEY) -> Any:
    text = page.evaluate("(k) => localStorage.getItem(k)", key)
    return None if text is None else json.loads(text)


def nothing_stored(page: Any) -> bool:
    return page.evaluate(
        "localStorage.length === 0 && sessionStorage.length === 0 && document.cookie === ''"
    )


def events(page: Any) -> list[dict[str, Any]]:
    return page.evaluate("window.__events")


def get(page: Any, purpose: str, feature: str = FEATURE) -> bool | None:
    return page.evaluate("([f, p]) => window.discloserConsent.get(f, p)", [feature, purpose])


def active(page: Any) -> dict[str, Any]:
    """What has focus: its tag, text, whether it sits in the open dialog, and its id."""
    return page.evaluate(
        """() => { const a = document.activeElement;
          return { tag: a.tagName.toLowerCase(), text: a.textContent, id: a.id,
                   inDialog: !!a.closest('dialog.dsc-prompt[open]'), role: a.getAttribute('role') } }"""
    )


def tab_to(page: Any, text: str, *, role: str | None = None, limit: int = 20) -> None:
    """Press Tab until the element with this text (or this role) has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = active(page)
        if (role and now["role"] == role) or (not role and now["text"] == text):
            return
    raise AssertionError(f"Tab never reached {text or role!r}")


def receipt(notice: dict[str, Any] = CAMERA, **change: Any) -> dict[str, Any]:
    """A valid accept receipt for ``notice`` with the optional purposes off, then ``change``."""
    choices = {
        p["id"]: p["required"] and p["category"] == "app_functionality" for p in notice["purposes"]
    }
    base = {
        "v": 1,
        "id": "0b6f1c0e-7c3a-4d55-9a8e-2f1d3c4b5a69",
        "feature": notice["feature"],
        "revision": notice["revision"],
        "notice_hash": notice["notice_hash"],
        "locale": "en",
        "decision": "accept",
        "choices": choices,
        "at": "2026-11-28T20:00:00.000Z",
    }
    return {**base, **change}


def seed(page: Any, text: str, key: str = KEY, wait: str | None = OPEN) -> None:
    """Put ``text`` in storage as the stored receipt, then reload the page."""
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, text])
    reload(page, wait)


def click_button(page: Any, text: str) -> None:
    page.locator(OPEN).get_by_role("button", name=text, exact=True).click()


# ------------------------------------------------------------------------------ CSP harness


def test_the_strict_csp_is_enforced_and_violations_are_caught(visit: Visitor) -> None:
    page = visit.open("normal.html")
    with pytest.raises(Exception, match="TrustedHTML"):
        page.evaluate("document.body.innerHTML = '<b>x</b>'")
    page.wait_for_timeout(200)
    assert any("CSP violation: require-trusted-types-for" in p for p in visit.problems)
    visit.problems.clear()


def test_works_under_the_spec_csp_without_connect_src(browser: Any, tmp_path: Path) -> None:
    server = Server(
        assemble(tmp_path / "site"), "/x/", headers={"Content-Security-Policy": SPEC_CSP}
    )
    visitor = Visitor(browser, server)
    try:
        page = visitor.open("normal.html")
        assert is_open(page)
        click_button(page, EN["ui"]["accept"])
        assert stored(page)["decision"] == "accept"
    finally:
        visitor.close()
        server.close()
    assert visitor.problems == []


# ------------------------------------------------------------------------------ dialog


def test_is_a_labelled_modal_dialog_and_focus_moves_in(visit: Visitor) -> None:
    page = visit.open("normal.html")
    dialog = page.get_by_role("dialog", name=EN["ui"]["title"], exact=True)
    assert dialog.count() == 1
    assert page.evaluate("document.querySelector('dialog.dsc-prompt').matches(':modal')")
    described = page.evaluate(
        "document.getElementById(document.querySelector('dialog').getAttribute('aria-describedby')).textContent"
    )
    assert EN["summary"] in described
    now = active(page)
    assert now["inDialog"] and now["text"] == EN["ui"]["title"]


def test_focus_returns_to_where_it_was(visit: Visitor) -> None:
    page = visit.open("normal.html")
    page.keyboard.press("Escape")
    page.focus("#before")
    page.evaluate("(f) => window.discloserConsent.open(f)", FEATURE)
    assert is_open(page) and active(page)["inDialog"]
    page.keyboard.press("Escape")
    assert not is_open(page)
    assert active(page)["id"] == "before"


def test_focus_returns_to_the_change_button(visit: Visitor) -> None:
    page = visit.open("normal.html")
    click_button(page, EN["ui"]["accept"])
    change = page.get_by_role("button", name=EN["ui"]["change"], exact=True)
    change.focus()
    page.keyboard.press("Enter")
    assert is_open(page) and active(page)["inDialog"]
    page.keyboard.press("Escape")
    assert active(page)["text"] == EN["ui"]["change"]


@pytest.mark.parametrize("shift", [False, True], ids=["tab", "shift-tab"])
def test_tab_and_shift_tab_stay_in_the_dialog(visit: Visitor, shift: bool) -> None:
    page = visit.open("normal.html")
    seen = set()
    for _ in range(12):
        page.keyboard.press("Shift+Tab" if shift else "Tab")
        now = active(page)
        assert now["inDialog"], now
        seen.add(now["text"])
    assert {EN["ui"]["accept"], EN["ui"]["decline"], EN["ui"]["more"]} <= seen


def test_focus_is_visible(visit: Visitor) -> None:
    page = visit.open("normal.html")
    tab_to(page, EN["ui"]["accept"])
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth] }"
    )
    assert outline == ["solid", "3px"]
    tab_to(page, "", role="switch")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_keyboard_only_accept(visit: Visitor, key: str) -> None:
    page = visit.open("normal.html")
    tab_to(page, EN["ui"]["accept"])
    page.keyboard.press(key)
    assert not is_open(page)
    assert stored(page)["decision"] == "accept"
    assert stored(page)["choices"] == {"suggestions": True, "improve-model": False}


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_keyboard_only_decline(visit: Visitor, key: str) -> None:
    page = visit.open("normal.html")
    tab_to(page, EN["ui"]["decline"])
    page.keyboard.press(key)
    assert not is_open(page)
    assert stored(page)["decision"] == "decline"
    assert stored(page)["choices"] == {"suggestions": False, "improve-model": False}


def test_keyboard_only_switch_then_accept(visit: Visitor) -> None:
    page = visit.open("normal.html")
    tab_to(page, "", role="switch")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked") is True
    tab_to(page, EN["ui"]["accept"])
    page.keyboard.press("Enter")
    assert stored(page)["choices"] == {"suggestions": True, "improve-model": True}


# ------------------------------------------------------------------------------ not consent


def test_nothing_is_stored_before_a_choice(visit: Visitor) -> None:
    page = visit.open("normal.html")
    assert is_open(page) and nothing_stored(page) and events(page) == []
    assert get(page, "suggestions") is None


def test_escape_is_not_consent(visit: Visitor) -> None:
    page = visit.open("normal.html")
    page.keyboard.press("Escape")
    assert not is_open(page)
    assert nothing_stored(page) and events(page) == []
    reload(page)
    assert is_open(page) and nothing_stored(page)


def test_clicking_outside_is_not_consent(visit: Visitor) -> None:
    page = visit.open("normal.html")
    page.mouse.click(5, 5)
    assert not is_open(page)
    assert nothing_stored(page) and events(page) == []
    reload(page)
    assert is_open(page)


def test_clicking_inside_does_not_close(visit: Visitor) -> None:
    page = visit.open("normal.html")
    page.locator(OPEN).get_by_text(EN["summary"]).click()
    assert is_open(page) and nothing_stored(page)


def test_scrolling_and_reloading_are_not_consent(visit: Visitor) -> None:
    page = visit.open("normal.html", viewport={"width": 800, "height": 400})
    box = page.locator(OPEN).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, 2000)
    page.wait_for_timeout(100)
    assert page.evaluate("document.querySelector('dialog[open]').scrollTop") > 0
    assert is_open(page) and nothing_stored(page)
    for _ in range(2):
        reload(page)
        assert is_open(page) and nothing_stored(page) and events(page) == []


# ------------------------------------------------------------------------------ first layer


def test_first_layer_has_summary_answers_link_and_two_buttons(visit: Visitor) -> None:
    page = visit.open("normal.html")
    dialog = page.locator(OPEN)
    text = dialog.inner_text()
    assert EN["name"] in text and EN["summary"] in text
    for answer in EN["answers"]:
        assert answer["question"] in text and answer["answer"] in text
    assert EN["purposes"]["suggestions"] in text
    link = dialog.get_by_role("link", name=EN["ui"]["more"], exact=True)
    assert link.get_attribute("href") == page.url.rsplit("/", 1)[0] + "/" + EN["disclosure_url"]
    names = dialog.get_by_role("button").all_inner_texts()
    assert names == [EN["ui"]["accept"], EN["ui"]["decline"]]


def test_first_layer_answers_every_question_and_marks_risky_ones_in_words(
    visit: Visitor,
) -> None:
    page = visit.open("normal.html")
    rows = page.locator(f"{OPEN} dl > dd")
    questions = page.locator(f"{OPEN} dl > dt").all_inner_texts()
    assert questions == [a["question"] for a in EN["answers"]]
    eight = ["which", "when", "why", "processed", "stored", "ai", "ads", "shared"]
    assert [a["key"] for a in EN["answers"] if a["key"] in eight] == eight
    for i, answer in enumerate(EN["answers"]):
        marks = rows.nth(i).locator("strong").all_inner_texts()
        assert marks == ([answer["mark"]] if answer["mark"] else [])
        assert rows.nth(i).inner_text() == " ".join(
            filter(None, [answer["mark"], answer["answer"]])
        )
    assert {a["key"] for a in EN["answers"] if a["mark"] == "Take note:"} >= {"which", "ai"}


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("name", ["normal.html", "rtl.html"])
def test_accept_and_decline_have_equal_weight(visit: Visitor, name: str, width: int) -> None:
    page = visit.open(name, viewport={"width": width, "height": 700})
    buttons = page.evaluate(
        """() => [...document.querySelectorAll('dialog[open] .dsc-prompt-actions > *')].map((b) => {
          const s = getComputedStyle(b), r = b.getBoundingClientRect();
          return { tag: b.tagName, cls: b.className, w: Math.round(r.width), h: Math.round(r.height),
            style: ['font-size', 'font-weight', 'color', 'background-color', 'border-top-width',
                    'border-top-color', 'border-radius', 'padding-top', 'padding-left']
                   .map((p) => s.getPropertyValue(p)) } })"""
    )
    assert len(buttons) == 2
    first, second = buttons
    assert first == second, buttons


def test_optional_purposes_are_separate_switches_all_off(visit: Visitor) -> None:
    page = visit.open("normal.html")
    dialog = page.locator(OPEN)
    switches = dialog.get_by_role("switch")
    assert switches.count() == 1
    ai = dialog.get_by_role("switch", name=EN["purposes"]["improve-model"], exact=True)
    assert ai.count() == 1 and not ai.is_checked()
    assert ai.get_attribute("type") == "checkbox"
    # the core purpose is stated, never a switch bundled with training
    assert dialog.get_by_role("switch", name=EN["purposes"]["suggestions"]).count() == 0


def test_ai_training_is_never_on_after_accept(visit: Visitor) -> None:
    page = visit.open("normal.html")
    click_button(page, EN["ui"]["accept"])
    assert stored(page)["choices"]["improve-model"] is False
    assert get(page, "improve-model") is False and get(page, "suggestions") is True


def test_advertising_marked_required_still_gets_its_own_switch(visit: Visitor) -> None:
    page = visit.open("two.html")
    page.keyboard.press("Escape")  # the camera roll prompt comes first
    page.wait_for_selector(f"{OPEN}[aria-labelledby]")
    settle(page)
    dialog = page.get_by_role("dialog", name=ADS["texts"]["en"]["ui"]["title"], exact=True)
    ads = dialog.get_by_role("switch", name=ADS["texts"]["en"]["purposes"]["ad-targeting"])
    assert ads.count() == 1 and not ads.is_checked()
    # data-src: the disclosure link resolves against the JSON file, like the contract's "../"
    link = dialog.get_by_role("link").get_attribute("href")
    assert link == page.url.rsplit("/", 1)[0] + "/ads-from-your-posts/en/index.html"
    click_button(page, "Allow")
    choices = stored(page, "discloser:consent:ads-from-your-posts")["choices"]
    assert choices == {"promote": True, "ad-targeting": False}


# ------------------------------------------------------------------------------ receipt


def test_event_detail_and_stored_receipt(visit: Visitor) -> None:
    page = visit.open("normal.html")
    before = datetime.now(UTC)
    click_button(page, EN["ui"]["accept"])
    after = datetime.now(UTC)
    [detail] = events(page)
    assert set(detail) == RECEIPT_KEYS
    assert detail["v"] == 1 and UUID.match(detail["id"])
    assert detail["feature"] == FEATURE
    assert detail["revision"] == CAMERA["revision"]
    assert detail["notice_hash"] == CAMERA["notice_hash"]
    assert detail["locale"] == "en" and detail["decision"] == "accept"
    assert detail["choices"] == {"suggestions": True, "improve-model": False}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", detail["at"])
    at = datetime.fromisoformat(detail["at"].replace("Z", "+00:00"))
    assert before.replace(microsecond=0) <= at <= after
    assert stored(page) == detail
    assert page.evaluate("Object.keys(localStorage)") == [KEY]


def test_receipt_ids_are_random(visit: Visitor) -> None:
    page = visit.open("normal.html")
    click_button(page, EN["ui"]["accept"])
    page.evaluate("(f) => window.discloserConsent.withdraw(f)", FEATURE)
    first, second = events(page)
    assert first["id"] != second["id"]


def test_a_valid_receipt_is_honoured(visit: Visitor) -> None:
    page = visit.open("normal.html")
    seed(page, json.dumps(receipt()), wait=".dsc-prompt-bar")
    assert not is_open(page)
    assert page.locator(".dsc-prompt-bar").inner_text().startswith(EN["ui"]["saved_accept"])
    assert get(page, "suggestions") is True and get(page, "improve-model") is False


def test_a_new_notice_hash_prompts_again(visit: Visitor) -> None:
    page = visit.open("normal.html")
    stale = receipt(notice_hash="sha256:" + "0" * 64)
    seed(page, json.dumps(stale))
    assert is_open(page)
    assert get(page, "suggestions") is None


BAD_RECORDS = {
    "truncated-json": json.dumps(receipt())[:-7],
    "not-json": "accept",
    "json-null": "null",
    "json-true": "true",
    "array": json.dumps([receipt()]),
    "empty-object": "{}",
    "missing-key": json.dumps({k: v for k, v in receipt().items() if k != "at"}),
    "extra-key": json.dumps({**receipt(), "admin": True}),
    "extra-purpose": json.dumps(
        receipt(choices={"suggestions": True, "improve-model": False, "ads": True})
    ),
    "missing-purpose": json.dumps(receipt(choices={"suggestions": True})),
    "string-choice": json.dumps(receipt(choices={"suggestions": "true", "improve-model": False})),
    "number-choice": json.dumps(receipt(choices={"suggestions": 1, "improve-model": False})),
    "null-choices": json.dumps(receipt(choices=None)),
    "list-choices": json.dumps(receipt(choices=[True, False])),
    "decline-with-purpose-on": json.dumps(
        receipt(decision="decline", choices={"suggestions": False, "improve-model": True})
    ),
    "accept-without-required": json.dumps(
        receipt(choices={"suggestions": False, "improve-model": True})
    ),
    "unknown-decision": json.dumps(receipt(decision="yes")),
    "wrong-version": json.dumps(receipt(v=2)),
    "string-version": json.dumps(receipt(v="1")),
    "string-revision": json.dumps(receipt(revision="3")),
    "numeric-id": json.dumps(receipt(id=1)),
    "local-time": json.dumps(receipt(at="2026-11-28T20:00:00+01:00")),
    "not-a-date": json.dumps(receipt(at="2026-13-45T99:00:00Z")),
    "wrong-feature": json.dumps(receipt(feature="people-albums")),
    "stale-hash": json.dumps(receipt(notice_hash=CAMERA["notice_hash"].upper())),
    "proto-top": json.dumps(receipt())[:-1] + ', "__proto__": {"polluted": true}}',
    "proto-in-choices": json.dumps(receipt())[:-1].replace(
        '"choices": {', '"choices": {"__proto__": {"polluted": true}, '
    )
    + "}",
    "constructor": json.dumps({**receipt(), "constructor": {"prototype": {"polluted": True}}}),
    "prototype-nested": json.dumps(
        receipt(choices={"suggestions": True, "improve-model": False, "prototype": True})
    ),
}


@pytest.mark.parametrize("record", list(BAD_RECORDS.values()), ids=list(BAD_RECORDS))
def test_bad_stored_records_count_as_no_consent(visit: Visitor, record: str) -> None:
    page = visit.open("normal.html")
    seed(page, record)
    assert is_open(page)
    assert get(page, "suggestions") is None and get(page, "improve-model") is None
    assert page.evaluate("({}).polluted === undefined && Object.prototype.polluted === undefined")
    assert page.locator(".dsc-prompt-bar").count() == 0


def test_throwing_storage_never_becomes_consent(visit: Visitor) -> None:
    page = visit.open("throwing.html")
    with pytest.raises(Exception, match="insecure"):
        page.evaluate("localStorage.getItem('x')")
    assert is_open(page)
    assert get(page, "suggestions") is None
    click_button(page, EN["ui"]["accept"])
    [detail] = events(page)
    assert detail["decision"] == "accept" and detail["feature"] == FEATURE
    assert not is_open(page)
    assert page.locator(".dsc-prompt-bar").inner_text().startswith(EN["ui"]["saved_accept"])
    # this page view knows the choice; the next one does not
    assert get(page, "suggestions") is True
    reload(page)
    assert is_open(page) and events(page) == []
    assert get(page, "suggestions") is None


# ------------------------------------------------------------------------------ withdrawal, API


def test_withdraw_is_one_call(visit: Visitor) -> None:
    page = visit.open("normal.html")
    page.locator(OPEN).get_by_role("switch").check()
    click_button(page, EN["ui"]["accept"])
    assert get(page, "improve-model") is True
    assert page.evaluate("(f) => window.discloserConsent.withdraw(f)", FEATURE) is True
    accepted, withdrawn = events(page)
    assert accepted["decision"] == "accept"
    assert withdrawn["decision"] == "decline"
    assert withdrawn["choices"] == {"suggestions": False, "improve-model": False}
    assert stored(page) == withdrawn
    assert get(page, "suggestions") is False and get(page, "improve-model") is False
    assert page.locator(".dsc-prompt-bar").inner_text().startswith(EN["ui"]["saved_decline"])
    reload(page, wait=".dsc-prompt-bar")
    assert not is_open(page) and get(page, "suggestions") is False


def test_withdraw_closes_an_open_prompt(visit: Visitor) -> None:
    page = visit.open("normal.html")
    page.evaluate("(f) => window.discloserConsent.withdraw(f)", FEATURE)
    assert not is_open(page)
    assert stored(page)["decision"] == "decline"


def test_change_button_reopens_with_current_choices(visit: Visitor) -> None:
    page = visit.open("normal.html")
    page.locator(OPEN).get_by_role("switch").check()
    click_button(page, EN["ui"]["accept"])
    assert not is_open(page)
    page.get_by_role("button", name=EN["ui"]["change"], exact=True).click()
    assert is_open(page)
    switch = page.locator(OPEN).get_by_role("switch")
    assert switch.is_checked()
    switch.uncheck()
    click_button(page, EN["ui"]["accept"])
    assert stored(page)["choices"] == {"suggestions": True, "improve-model": False}
    # withdrawal through the control: change, then decline
    page.get_by_role("button", name=EN["ui"]["change"], exact=True).click()
    assert not page.locator(OPEN).get_by_role("switch").is_checked()
    click_button(page, EN["ui"]["decline"])
    assert stored(page)["decision"] == "decline"
    assert len(events(page)) == 3


def test_open_preselects_the_current_choices(visit: Visitor) -> None:
    page = visit.open("normal.html")
    seed(
        page,
        json.dumps(receipt(choices={"suggestions": True, "improve-model": True})),
        wait=".dsc-prompt-bar",
    )
    assert page.evaluate("(f) => window.discloserConsent.open(f)", FEATURE) is True
    assert is_open(page)
    assert page.locator(OPEN).get_by_role("switch").is_checked()
    page.keyboard.press("Escape")
    assert stored(page)["choices"]["improve-model"] is True  # dismissing changed nothing


def test_get_values(visit: Visitor) -> None:
    page = visit.open("normal.html")
    assert get(page, "suggestions") is None
    click_button(page, EN["ui"]["decline"])
    assert get(page, "suggestions") is False and get(page, "improve-model") is False
    page.evaluate("(f) => window.discloserConsent.open(f)", FEATURE)
    click_button(page, EN["ui"]["accept"])
    assert get(page, "suggestions") is True and get(page, "improve-model") is False
    assert get(page, "no-such-purpose") is None
    assert get(page, "__proto__") is None and get(page, "constructor") is None
    assert get(page, "suggestions", feature="no-such-feature") is None
    assert page.evaluate("window.discloserConsent.open('no-such-feature')") is False
    assert page.evaluate("window.discloserConsent.withdraw('no-such-feature')") is False


def test_api_is_frozen(visit: Visitor) -> None:
    page = visit.open("normal.html")
    assert page.evaluate(
        """() => { const api = window.discloserConsent;
          try { window.discloserConsent = {}; } catch {}
          try { api.get = () => true; } catch {}
          return Object.isFrozen(api) && window.discloserConsent === api
            && api.get('camera-roll-suggestions', 'suggestions') === null
            && ['get', 'open', 'withdraw'].every((k) => typeof api[k] === 'function') }"""
    )


def test_notice_only_has_one_acknowledge_button(visit: Visitor) -> None:
    page = visit.open("notice-only.html")
    dialog = page.locator(OPEN)
    assert dialog.get_by_role("button").all_inner_texts() == ["OK"]
    assert dialog.get_by_role("switch").count() == 0
    click_button(page, "OK")
    record = stored(page, "discloser:consent:filter-suggestions")
    assert record["decision"] == "accept"
    assert record["choices"] == {"filters": True, "improve-filters": False}


# ------------------------------------------------------------------------------ several prompts


def test_two_prompts_and_a_repeated_one_do_not_collide(visit: Visitor) -> None:
    page = visit.open("two.html")
    assert page.locator(OPEN).count() == 1
    assert page.get_by_role("dialog", name=EN["ui"]["title"], exact=True).count() == 1
    page.keyboard.press("Escape")  # not now: the next feature's prompt, never the same twice
    page.wait_for_selector(OPEN)
    settle(page)
    assert page.locator(OPEN).count() == 1
    ads_title = ADS["texts"]["en"]["ui"]["title"]
    assert page.get_by_role("dialog", name=ads_title, exact=True).count() == 1
    click_button(page, "Don't allow")
    assert page.locator(OPEN).count() == 0
    assert stored(page) is None
    assert stored(page, "discloser:consent:ads-from-your-posts")["decision"] == "decline"

    reload(page)
    assert page.get_by_role("dialog", name=EN["ui"]["title"], exact=True).count() == 1
    click_button(page, EN["ui"]["accept"])
    wait_until(page, "document.querySelectorAll('.dsc-prompt-bar').length === 3")
    assert page.locator(OPEN).count() == 0
    bars = page.evaluate(
        "[...document.querySelectorAll('.dsc-prompt-bar')].map((b) => [b.lang, b.dir, b.querySelector('[role=status]').textContent])"
    )
    assert bars == [
        ["en", "ltr", EN["ui"]["saved_accept"]],
        ["en", "ltr", ADS["texts"]["en"]["ui"]["saved_decline"]],
        ["ar", "rtl", AR["ui"]["saved_accept"]],
    ]
    [detail] = events(page)
    assert detail["feature"] == FEATURE
    assert get(page, "suggestions") is True
    assert get(page, "promote", feature="ads-from-your-posts") is False


def test_ids_are_unique_with_every_dialog_built(visit: Visitor) -> None:
    page = visit.open("two.html")
    page.keyboard.press("Escape")
    page.wait_for_selector(OPEN)
    page.keyboard.press("Escape")
    # build the repeated feature's dialog too, through its own change button
    page.evaluate("(f) => window.discloserConsent.withdraw(f)", FEATURE)
    wait_until(page, "document.querySelectorAll('.dsc-prompt-bar').length === 2")
    page.locator(".dsc-prompt-bar").nth(1).get_by_role("button").click()
    assert is_open(page)
    page.keyboard.press("Escape")
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map((e) => e.id)")
    assert len(ids) == len(set(ids)), ids
    assert page.locator("dialog.dsc-prompt").count() == 3
    refs = page.evaluate(
        "[...document.querySelectorAll('dialog')].map((d) => document.getElementById(d.getAttribute('aria-labelledby')).closest('dialog') === d)"
    )
    assert refs == [True, True, True]


# ------------------------------------------------------------------------------ locale, layout


def test_rtl_locale_is_laid_out_right_to_left(visit: Visitor) -> None:
    page = visit.open("rtl.html")  # <html lang="ar-EG">: the "ar" texts by language prefix
    dialog = page.get_by_role("dialog", name=AR["ui"]["title"], exact=True)
    assert dialog.count() == 1
    assert dialog.get_attribute("dir") == "rtl" and dialog.get_attribute("lang") == "ar"
    geometry = page.evaluate(
        """() => { const d = document.querySelector('dialog[open]'), r = (e) => e.getBoundingClientRect();
          const range = document.createRange(); range.selectNodeContents(d.querySelector('h2'));
          const [accept, decline] = d.querySelectorAll('.dsc-prompt-btn');
          const s = getComputedStyle(d);
          return { direction: s.direction, dialogRight: r(d).right - parseFloat(s.borderRightWidth) - parseFloat(s.paddingRight),
                   textRight: range.getBoundingClientRect().right, textLeft: range.getBoundingClientRect().left,
                   dialogLeft: r(d).left, switchLeft: r(d.querySelector('input')).left,
                   labelRight: r(d.querySelector('label span')).right,
                   acceptLeft: r(accept).left, declineLeft: r(decline).left } }"""
    )
    assert geometry["direction"] == "rtl"
    assert abs(geometry["textRight"] - geometry["dialogRight"]) < 2
    assert geometry["textLeft"] > geometry["dialogLeft"] + 40
    assert geometry["switchLeft"] > geometry["labelRight"]
    assert geometry["acceptLeft"] > geometry["declineLeft"]
    click_button(page, AR["ui"]["accept"])
    assert stored(page)["locale"] == "ar"


def test_element_lang_and_fallback_locale(visit: Visitor) -> None:
    page = visit.open("fallback.html")  # <html lang="de">, no German texts: default_locale
    assert page.get_by_role("dialog", name=EN["ui"]["title"], exact=True).count() == 1
    assert page.locator(OPEN).get_attribute("lang") == "en"


@pytest.mark.parametrize(
    ("width", "height", "scale"),
    [(320, 640, 1), (320, 256, 4)],
    ids=["320px", "400-percent-zoom"],
)
@pytest.mark.parametrize("name", ["normal.html", "rtl.html"])
def test_narrow_screen_and_zoom_need_no_horizontal_scrolling(
    visit: Visitor, name: str, width: int, height: int, scale: int
) -> None:
    page = visit.open(name, viewport={"width": width, "height": height}, device_scale_factor=scale)
    fit = page.evaluate(
        """(w) => { const d = document.querySelector('dialog[open]'), r = d.getBoundingClientRect();
          const over = [...d.querySelectorAll('*')].filter((e) => {
            const b = e.getBoundingClientRect(); return b.left < r.left - 1 || b.right > r.right + 1 });
          return { page: document.documentElement.scrollWidth <= w, inside: d.scrollWidth <= d.clientWidth,
                   onScreen: r.left >= 0 && r.right <= w, over: over.map((e) => e.tagName),
                   scrolls: getComputedStyle(d).overflowY } }""",
        width,
    )
    assert fit == {"page": True, "inside": True, "onScreen": True, "over": [], "scrolls": "auto"}
    # the buttons at the bottom are reached by scrolling inside the dialog
    click_button(page, (AR if name == "rtl.html" else EN)["ui"]["decline"])
    assert stored(page)["decision"] == "decline"


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_reduced_motion(visit: Visitor, motion: str) -> None:
    page = visit.open("normal.html", reduced_motion=motion)
    moving = page.evaluate(
        """() => [...document.querySelectorAll('discloser-consent, discloser-consent *')].flatMap((e) =>
          [e, ...['::before', '::after', '::backdrop'].map((p) => [e, p])]).filter((x) => {
            const s = Array.isArray(x) ? getComputedStyle(...x) : getComputedStyle(x);
            return s.animationName !== 'none' || !/^0s(, 0s)*$/.test(s.transitionDuration) })
          .map((x) => (Array.isArray(x) ? x[0].tagName + x[1] : x.tagName))"""
    )
    assert moving == ([] if motion == "reduce" else ["DIALOG"])


@pytest.mark.parametrize(
    ("scheme", "background"), [("light", "rgb(255, 255, 255)"), ("dark", "rgb(22, 22, 26)")]
)
def test_dark_mode(visit: Visitor, scheme: str, background: str) -> None:
    page = visit.open("normal.html", color_scheme=scheme)
    colors = page.evaluate(
        "(() => { const s = getComputedStyle(document.querySelector('dialog[open]')); return [s.backgroundColor, s.color] })()"
    )
    assert colors[0] == background and colors[0] != colors[1]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", ["normal.html", "rtl.html", "two.html"], ids=["en", "ar", "two"])
def test_axe_finds_no_violations(visit: Visitor, name: str, scheme: str) -> None:
    page = visit.open(name, color_scheme=scheme)
    assert axe_violations(page) == []  # the prompt open
    page.locator(OPEN).locator(".dsc-prompt-btn").first.click()
    page.wait_for_selector(".dsc-prompt-bar")
    page.wait_for_timeout(50)
    settle(page, None)
    assert axe_violations(page) == []  # after a choice: the saved choice and the change button


# ------------------------------------------------------------------------------ hostile notices


def test_hostile_notice_text_is_inert(visit: Visitor) -> None:
    page = visit.open("hostile.html")
    dialog = page.locator(OPEN)
    assert dialog.get_by_role("heading").inner_text() == "<h1>Hostile</h1>"
    text = dialog.inner_text()
    for literal in ("<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>", "{{ 7*7 }}"):
        assert literal in text
    assert (
        page.evaluate(
            "document.querySelector('discloser-consent').querySelectorAll('img,svg,script,iframe,style,b,h1,a').length"
        )
        == 0
    )  # no element from the texts, and the javascript: disclosure link is dropped
    assert dialog.get_attribute("dir") == "ltr"
    click_button(page, "<img src=x onerror=alert(1)>")
    assert page.locator(".dsc-prompt-bar [role=status]").inner_text() == "<script>alert(1)</script>"
    page.wait_for_timeout(100)


def test_broken_or_polluting_notices_show_nothing(visit: Visitor) -> None:
    page = visit.open("broken.html", wait=None)
    wait_until(page, "document.readyState === 'complete'")
    page.wait_for_timeout(200)
    assert page.locator("dialog").count() == 0
    # truncated JSON, a __proto__ key, a missing block, a block that is not a JSON script
    assert visit.warnings == ["discloser-consent: bad notice"] * 4
    assert page.evaluate("({}).polluted === undefined")
    assert page.evaluate("window.discloserConsent.get('in-a-div', 'suggestions')") is None


def test_a_notice_from_another_origin_is_refused(visit: Visitor) -> None:
    page = visit.open("foreign-src.html", wait=None)
    wait_until(page, "document.readyState === 'complete'")
    page.wait_for_timeout(200)
    assert page.locator("dialog").count() == 0
    assert visit.warnings == ["discloser-consent: bad notice"]
    assert not [url for url in visit.requests if "example.invalid" in url]


# ------------------------------------------------------------------------------ weight


def gzip_size(path: Path) -> int:
    """``gzip -9 -c FILE | wc -c`` (the header names the file, as the command's does)."""
    if shutil.which("gzip"):
        return len(
            subprocess.run(["gzip", "-9", "-c", str(path)], capture_output=True, check=True).stdout
        )
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)) + len(path.name) + 1


def test_weight() -> None:
    sizes = {path.name: gzip_size(path) for path in sorted(STATIC.glob("discloser-prompt.*"))}
    total = sum(sizes.values())
    print(f"gzip -9: {sizes} total {total} bytes")
    assert total <= 4096
