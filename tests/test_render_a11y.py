"""The standalone disclosure pages pass axe-core in every locale, light and dark, and reflow at 320 px."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import ROOT, Server, axe_violations, run_cli

from discloser.load.discover import Source
from discloser.validate import read_declaration

PAGES = [
    (path.stem, locale)
    for path in sorted((ROOT / "declarations").glob("*.yaml"))
    for locale in read_declaration(Source(str(path), path))[0].locales
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("a11y") / "out"
    assert run_cli("render", "declarations", "--out", str(out)).returncode == 0
    server = Server(out, prefix="/some/sub/path/")
    yield server
    server.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("feature", "locale"), PAGES, ids=[f"{f}-{loc}" for f, loc in PAGES])
def test_page_has_no_axe_violations(
    browser: Any, site: Server, feature: str, locale: str, scheme: str
) -> None:
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{site.base}{feature}/{locale}.html")
    assert page.evaluate("document.documentElement.dir") == ("rtl" if locale == "ar" else "ltr")
    assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_reflows_at_320_px_without_horizontal_scrolling(
    browser: Any, site: Server, locale: str
) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(f"{site.base}camera-roll-suggestions/{locale}.html")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.close()


def test_nothing_is_requested_from_other_hosts(browser: Any, site: Server) -> None:
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for feature, locale in PAGES:
        page.goto(f"{site.base}{feature}/{locale}.html")
    assert requested and all(url.startswith(site.base) for url in requested)
    page.close()
