"""`discloser build`: the transparency site, opened in a real browser the way people meet it.

The example declarations are built (with a ledger of three releases, one of them a material
change) and served under a sub-path; every page is opened in headless Chromium, in light and
dark scheme, and must make no request elsewhere, throw nothing and pass axe-core. Then the
site's contracts one by one: search offline and from file://, the language switcher, right to
left, hostile text inert everywhere (pages, titles, navigation, search, URL parameters), a
killed build, byte-identical rebuilds, the no-change skip, refused output folders.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from conftest import ROOT, Server, axe_violations, run_cli
from hostile_payloads import PAYLOADS

from discloser.load.discover import Source
from discloser.model.declaration import Declaration
from discloser.validate import read_declaration

DECLARATIONS = ROOT / "declarations"
EXAMPLES = {
    p.stem: read_declaration(Source(str(p), p))[0] for p in sorted(DECLARATIONS.glob("*.yaml"))
}
LOCALES = ("en", "fr", "ar")
PREFIX = "/some/sub/path/"


def tree(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``folder``: sha256 of its bytes and its modification time."""
    return {
        str(p.relative_to(folder)): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            int(p.stat().st_mtime),
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def make_project(folder: Path) -> Path:
    """A project with the example declarations and a ledger of releases: the first release of
    every feature, then camera-roll-suggestions widened (revision 3), then reworded (4)."""
    (folder / "declarations").mkdir(parents=True)
    (folder / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    for path in DECLARATIONS.glob("*.yaml"):
        shutil.copy(path, folder / "declarations" / path.name)
    camera = folder / "declarations" / "camera-roll-suggestions.yaml"
    for change in (
        {},
        {"revision: 2": "revision: 3", "  retention: P30D": "  retention: P60D"},
        {"revision: 3": "revision: 4", "summary: Uploads": "summary: It uploads"},
    ):
        text = camera.read_text(encoding="utf-8")
        for old, new in change.items():
            assert old in text
            text = text.replace(old, new, 1)
        camera.write_text(text, encoding="utf-8")
        proc = run_cli("release", "declarations", cwd=folder)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return folder


def pages_of(site: Path) -> list[str]:
    """Every page a browser opens; ``embed.html`` is the prompt's copy-paste snippet, not a page."""
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html") if p.name != "embed.html")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("site") / "project")


@pytest.fixture(scope="module")
def built(project: Path) -> Path:
    proc = run_cli("build", "declarations", "--out", "public", cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return project / "public"


@pytest.fixture(scope="module")
def site(built: Path) -> Iterator[Server]:
    server = Server(built, prefix=PREFIX)
    yield server
    server.close()


class Visit:
    """A browser page that records what a visit did: requests, errors, dialogs."""

    def __init__(self, browser: Any, **options: Any) -> None:
        self.context = browser.new_context(**options)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Any) -> Iterator[Visit]:
    v = Visit(browser)
    yield v
    v.close()


def search(page: Any, word: str, timeout: float = 20.0) -> list[str]:
    """Type ``word`` in the search box until results show (the worker may still be loading)."""
    deadline = time.monotonic() + timeout
    box = page.locator(".md-search__input")
    while True:
        box.click()
        box.fill("")
        box.press_sequentially(word)  # key events, as a person types
        # Characters off the US layout (Arabic) are inserted without key events, which a person's
        # own keyboard sends; Material reads the query on keyup.
        box.press("End")
        try:
            page.wait_for_selector(".md-search-result__item", timeout=2000)
        except Exception:
            if time.monotonic() > deadline:
                raise
            continue
        texts: list[str] = page.eval_on_selector_all(
            ".md-search-result__item", "items => items.map(i => i.innerText)"
        )
        if texts or time.monotonic() > deadline:
            return texts


# ------------------------------------------------------------------------- structure


def test_every_page_in_every_locale(built: Path) -> None:
    assert (built / "index.html").is_file()
    for locale in LOCALES:
        base = built / locale
        for page in ("index", "features", "changes", "rules", "downloads", "verify"):
            assert (base / f"{page}.html").is_file(), (locale, page)
        for key in ("unshared", "ai", "ads", "cloud", "controls"):
            assert (base / "questions" / f"{key}.html").is_file()
        for name, d in EXAMPLES.items():
            shown = (base / "features" / f"{name}.html").is_file()
            assert shown == (locale in d.locales and d.status != "planned"), (locale, name)
        for revision in (2, 3, 4):
            assert (base / "changes" / "camera-roll-suggestions" / f"{revision}.html").is_file()
    root = (built / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'href="(\w+)/index.html"', root) == ["en", "ar", "fr"]  # default first


def test_mkdocs_projects_are_plain(tmp_path: Path) -> None:
    """The staged project: mkdocs.yml with a fixed navigation, theme overrides, no hooks."""
    import yaml

    from discloser.site.build import assemble
    from discloser.site.project import SOURCE, Project, site_environment

    stage = tmp_path / "stage"
    project = Project(stage, site_environment(None))
    staged = [project.feature(d, []) for d in EXAMPLES.values()]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("discloser.site.builder.build", lambda jobs, epoch, parallel: None)
        mp.setattr("shutil.rmtree", lambda *a, **k: None)
        assemble(stage, staged, [], None, [])
    text = (stage / SOURCE / "ar" / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    assert config["theme"]["name"] == "material"
    assert config["theme"]["font"] is False
    assert config["theme"]["direction"] == "rtl"
    assert config["theme"]["language"] == "ar"
    assert config["plugins"] == ["search", "offline"]
    assert config["use_directory_urls"] is False
    assert "site_url" not in config and "hooks" not in config
    assert [m["media"] for m in config["theme"]["palette"]] == [
        "(prefers-color-scheme: light)",
        "(prefers-color-scheme: dark)",
    ]
    nav = json.dumps(config["nav"])
    assert "features/" not in nav and "changes/" not in nav  # no page per feature
    for d in EXAMPLES.values():
        assert d.name not in text and d.id not in text
    assert (stage / SOURCE / "ar" / "overrides" / "partials" / "alternate.html").is_file()
    assert (stage / SOURCE / "ar" / "docs" / "features" / "ai-restyle.md").is_file()


# ------------------------------------------------------------------ every page, browser


def every_page() -> list[str]:
    """The pages of the example site (computed the way the built site is laid out)."""
    pages = ["index.html"]
    for locale in LOCALES:
        pages += [
            f"{locale}/{name}.html"
            for name in ("index", "features", "changes", "rules", "downloads", "verify", "404")
        ]
        pages += [
            f"{locale}/questions/{key}.html"
            for key in ("unshared", "ai", "ads", "cloud", "controls")
        ]
        pages += [
            f"{locale}/features/{name}.html"
            for name, d in EXAMPLES.items()
            if locale in d.locales and d.status != "planned"
        ]
        pages += [
            f"{locale}/changes/{name}/{revision}.html"
            for name, d in EXAMPLES.items()
            if d.status != "planned"
            for revision in ((2, 3, 4) if name == "camera-roll-suggestions" else (d.revision,))
        ]
        pages += [  # the live consent prompt on a plain page, per feature and locale
            f"downloads/{name}/demo.{locale}.html"
            for name, d in EXAMPLES.items()
            if locale in d.locales and d.status != "planned"
        ]
    return pages


def test_every_page_is_listed(built: Path) -> None:
    assert set(pages_of(built)) == set(every_page())


def navigation(html: str) -> str:
    """The page's navigation: the tabs and the primary sidebar (not the page's own contents)."""
    tabs = re.search(r'<nav class="md-tabs".*?</nav>', html, flags=re.S)
    start = html.index('<nav class="md-nav md-nav--primary')
    end = html.index('data-md-type="toc"', start)
    return (tabs.group(0) if tabs else "") + html[start:end]


@pytest.mark.parametrize("path", every_page())
def test_page_is_local_quiet_and_accessible(browser: Any, site: Server, path: str) -> None:
    for scheme in ("light", "dark"):
        v = Visit(browser, color_scheme=scheme)
        try:
            v.page.goto(site.base + path)
            v.page.wait_for_load_state("networkidle")
            assert axe_violations(v.page) == [], (scheme, path)
            assert v.errors == [] and v.dialogs == []
            outside = [u for u in v.requests if not u.startswith(site.base)]
            assert outside == [], outside
        finally:
            v.close()


def test_no_feature_name_in_any_navigation(built: Path) -> None:
    for locale in LOCALES:
        for path in (built / locale).rglob("*.html"):
            if path.name == "404.html":
                continue
            nav = navigation(path.read_text(encoding="utf-8"))
            for d in EXAMPLES.values():
                assert d.name not in nav and f"features/{d.id}" not in nav, (path, d.id)


def test_navigation_is_the_same_on_every_feature_page(built: Path) -> None:
    """A page weighs the same with ten features or ten thousand: none is in the navigation."""
    for locale in LOCALES:
        navs = {
            navigation(p.read_text(encoding="utf-8"))
            for p in (built / locale / "features").glob("*.html")
        }
        assert len(navs) == 1, locale


# ---------------------------------------------------------------------------- paging

# Two features per index page: the seven examples then page like ten thousand features would.
SMALL_PAGES = {"home": 2, "question": 2, "features": 2, "changes": 2, "downloads": 2}
LISTINGS = {  # page 1 of each listing, and what it links to on every one of its pages
    "index.html": r'href="(?:\.\./\.\./)?features/([\w-]+)\.html"',
    "features.html": r'href="(?:\.\./\.\./)?features/([\w-]+)\.html"',
    "downloads.html": r'href="(?:\.\./\.\./)?features/([\w-]+)\.html"',
    "changes.html": r'href="(?:\.\./\.\./)?changes/([\w-]+/\d+)\.html"',
    **{
        f"questions/{key}.html": r'href="\.\./(?:\.\./)?features/([\w-]+)\.html"'
        for key in ("unshared", "ai", "ads", "cloud", "controls")
    },
}


@pytest.fixture(scope="module")
def paged(project: Path) -> Iterator[tuple[Path, Server]]:
    """The example site with two features per index page."""
    from discloser.site import project as staging
    from discloser.site.build import site_from_declarations

    declarations = [
        read_declaration(Source(str(p), p))[0]
        for p in sorted((project / "declarations").glob("*.yaml"))
    ]
    out = project.parent / "paged"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(staging, "PAGE_SIZE", SMALL_PAGES)
        patch.setattr(staging, "HOME_ASKED", 2)
        patch.setattr(staging, "STORES_ABSENT_SHOWN", 0)
        site_from_declarations(
            declarations, out, ledgers=[project / "declarations" / "discloser-ledger.jsonl"]
        )
    server = Server(out, prefix=PREFIX)
    yield out, server
    server.close()


def _listing(site: Path, first: str) -> list[tuple[Path, list[str]]]:
    """Each page of a listing, in order, found by following its "next" links from page 1."""
    path, pages = site / first, []
    while True:
        html = path.read_text(encoding="utf-8")
        main = html.split('class="md-content"', 1)[1].split('class="dsc-pager"', 1)[0]
        pages.append((path, re.findall(LISTINGS[first[len("xx/") :]], main)))
        after = re.search(r'<a href="([^"]+)" rel="next">', html)
        if after is None:
            return pages
        path = (path.parent / after.group(1)).resolve()


def test_long_listings_are_paged_and_reach_every_feature(
    paged: tuple[Path, Server], built: Path
) -> None:
    site, _ = paged
    ledger = (built.parent / "declarations" / "discloser-ledger.jsonl").read_text("utf-8")
    released = {f"{e['feature']}/{e['revision']}" for e in map(json.loads, ledger.splitlines())}
    for locale in LOCALES:
        shipped = {n for n, d in EXAMPLES.items() if locale in d.locales and d.status != "planned"}
        listed = {n for n in shipped if EXAMPLES[n].status in ("live", "beta")}
        # Later pages, like feature pages, are outside the navigation: theirs is the same.
        feature_page = next((site / locale / "features").glob("*.html"))
        nav = _flat(navigation(feature_page.read_text(encoding="utf-8")))
        for first in LISTINGS:
            pages = _listing(site, f"{locale}/{first}")
            found = [item for _, items in pages for item in items]
            key = first.split("/")[-1].removesuffix(".html")
            want = {
                "index": listed,
                "features": shipped,
                "downloads": shipped,
                "changes": {r for r in released if r.split("/")[0] in shipped},
            }.get(key) or {n for n in listed if key in _asks(n)}
            assert set(found) == want, (locale, first)
            assert all(len(set(items)) <= 2 for _, items in pages), (locale, first)
            assert len(pages) == max(1, -(-len(want) // 2)), (locale, first)
            for path, _ in pages[1:]:
                assert _flat(navigation(path.read_text(encoding="utf-8"))) == nav, path
    for path in (p for loc in LOCALES for p in (site / loc).rglob("*.html")):
        if path.name != "404.html":
            assert "pages/" not in navigation(path.read_text(encoding="utf-8")), path


def _flat(nav: str) -> str:
    """A navigation's links without their relative prefixes (pages at other depths say
    ``../../``; the home hides the sidebar, not the tabs)."""
    return " ".join(
        sorted({re.sub(r"^(\.\./)+", "", h) for h in re.findall(r'href="([^"]*)"', nav)})
    )


def _asks(name: str) -> frozenset[str]:
    from discloser.site.content import asks

    return asks(EXAMPLES[name])


def test_home_names_a_few_features_per_question_and_counts_them(paged: tuple[Path, Server]) -> None:
    site, _ = paged
    home = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert "Page 1 of " in home and 'rel="next"' in home and 'rel="prev"' not in home
    listed = [n for n, d in EXAMPLES.items() if d.status in ("live", "beta")]
    controls = home.split('id="controls"', 1)[1].split("<h3", 1)[0]  # everyone's question
    assert len(re.findall(r'href="features/[\w-]+\.html"', controls)) == 2
    assert f"Features: {len(listed)} of {len(listed)}." in controls  # the list is cut short
    assert 'href="questions/controls.html"' in controls  # where all of them are


@pytest.mark.parametrize("path", ["pages/home/2.html", "pages/question-controls/2.html"])
def test_a_later_page_is_accessible_and_switches_language_in_place(
    browser: Any, paged: tuple[Path, Server], path: str
) -> None:
    _, server = paged
    for scheme in ("light", "dark"):
        v = Visit(browser, color_scheme=scheme)
        try:
            v.page.goto(f"{server.base}en/{path}")
            v.page.wait_for_load_state("networkidle")
            assert axe_violations(v.page) == [], (scheme, path)
            assert v.errors == [] and all(u.startswith(server.base) for u in v.requests)
            hrefs = v.page.eval_on_selector_all(".md-select__link", "ls => ls.map(a => a.href)")
            assert sorted(hrefs) == sorted(f"{server.base}{loc}/{path}" for loc in LOCALES)
            current = v.page.locator(".dsc-pager [aria-current=page]")
            assert current.inner_text() == "2"
        finally:
            v.close()


# ------------------------------------------------------------------------- behaviours


def test_search_finds_a_feature_by_a_summary_word_offline(visit: Visit, site: Server) -> None:
    page = visit.page
    # (Arabic: a summary word finds the feature by its Arabic name, with Material's settings for
    # Arabic; lunr's Arabic stemmer, tried, then found no page for the same word.)
    for locale, word, name in (
        ("en", "collages", "Camera roll"),
        ("fr", "pellicule", "pellicule"),
        ("ar", "مجمعة", "اقتراحات ألبوم الكاميرا"),
    ):
        page.goto(f"{site.base}{locale}/features/ai-restyle.html", wait_until="networkidle")
        search(page, "photos")  # loaded: the index, the worker and its language scripts
        visit.context.set_offline(True)
        results = search(page, word)
        assert any(name in r for r in results), (locale, results)
        visit.context.set_offline(False)
    assert all(u.startswith(site.base) for u in visit.requests)
    assert visit.errors == []


def _index(site: Path, locale: str) -> list[dict[str, str]]:
    docs: list[dict[str, str]] = json.loads(
        (site / locale / "search" / "search_index.json").read_text(encoding="utf-8")
    )["docs"]
    return docs


def test_section_anchors_are_readable_and_the_same_in_every_locale(built: Path) -> None:
    # The toc slug of an Arabic heading is "_2" (it drops what is not ASCII): a shared link to a
    # section would say nothing, and differ from one language to the next.
    for locale in LOCALES:
        page = (built / locale / "features" / "camera-roll-suggestions.html").read_text("utf-8")
        found = re.findall(r'<h2 data-search-exclude id="([^"]+)"', page)
        assert found == ["permission", "prompt", "history"]
        for path in (built / locale).rglob("*.html"):
            html = path.read_text(encoding="utf-8")
            assert not re.findall(r'<h[2-6][^>]* id="_', html), path


def test_search_index_holds_each_feature_once_by_name_and_summary(built: Path) -> None:
    """A feature is found by its name and summary, on its own page, once: the label, notice,
    native text, prompt link and history would make the index grow by kilobytes per feature
    (185 MB per locale at 10,000 features), and every page that searches fetches it."""
    from discloser.render.markdown import to_text

    declarations = {
        p.stem: read_declaration(Source(str(p), p))[0]
        for p in sorted((built.parent / "declarations").glob("*.yaml"))
    }
    for locale in LOCALES:
        docs = _index(built, locale)
        features = [d for d in docs if d["location"].startswith("features/")]
        shown = {
            n for n, d in declarations.items() if locale in d.locales and d.status != "planned"
        }
        assert sorted(d["location"] for d in features) == sorted(
            f"features/{n}.html" for n in shown
        )
        for entry in features:
            d = declarations[entry["location"].removeprefix("features/").removesuffix(".html")]
            words = d.translations.get(locale)
            name = to_text(words.name if words else d.name)
            summary = to_text(words.summary if words else d.summary)
            assert unescape(entry["title"]) == name
            assert " ".join(summary.split()) in " ".join(unescape(entry["text"]).split())
            assert "sha256:" not in entry["text"]  # the notice's fingerprint: left out
        # Old revisions pile up with every release: one link away from the feature's history.
        assert (built / locale / "changes" / "camera-roll-suggestions" / "3.html").is_file()
        assert not [d for d in docs if d["location"].startswith("changes/")]


def test_later_pages_of_a_listing_stay_out_of_search(paged: tuple[Path, Server]) -> None:
    site, _ = paged
    for locale in LOCALES:
        later = sorted(p.relative_to(site / locale) for p in (site / locale / "pages").rglob("*"))
        assert later, locale
        docs = _index(site, locale)
        assert not [d for d in docs if d["location"].startswith("pages/")], locale
        firsts = {d["location"].split("#")[0] for d in docs}
        assert {"index.html", "features.html", "changes.html", "questions/ai.html"} <= firsts


def test_search_works_from_file_url(visit: Visit, built: Path) -> None:
    page = visit.page
    page.goto((built / "en" / "rules.html").as_uri())
    results = search(page, "collages")
    assert any("Camera roll suggestions" in r for r in results), results
    assert all(u.startswith("file://") for u in visit.requests), visit.requests
    assert visit.errors == []


@pytest.mark.parametrize(
    "path", ["index.html", "questions/ai.html", "features/people-albums.html", "changes.html"]
)
def test_language_switcher_reaches_the_same_page(visit: Visit, site: Server, path: str) -> None:
    page = visit.page
    page.goto(f"{site.base}en/{path}")
    hrefs = page.eval_on_selector_all(".md-select__link", "links => links.map(a => a.href)")
    assert sorted(hrefs) == sorted(f"{site.base}{loc}/{path}" for loc in LOCALES)
    for locale in LOCALES:
        page.goto(f"{site.base}en/{path}")
        page.click(".md-select .md-header__button")
        page.click(f".md-select__link[hreflang={locale}]")
        page.wait_for_url(f"{site.base}{locale}/{path}")
        assert page.evaluate("document.documentElement.lang") == locale
        direction = page.evaluate("getComputedStyle(document.querySelector('article')).direction")
        assert direction == ("rtl" if locale == "ar" else "ltr")
        assert page.evaluate("document.body.dir") == ("rtl" if locale == "ar" else "ltr")
    assert visit.errors == []


def test_home_table_reads_as_cards_on_a_phone(browser: Any, site: Server) -> None:
    v = Visit(browser, viewport={"width": 360, "height": 740})
    try:
        for locale in ("en", "ar"):
            v.page.goto(f"{site.base}{locale}/index.html")
            assert v.page.evaluate("document.documentElement.scrollWidth") <= 360
            label = v.page.locator(".dsc-table td .dsc-cell-label").first
            assert label.is_visible()
    finally:
        v.close()


def test_what_changed_marks_material_changes(built: Path) -> None:
    text = (built / "en" / "changes.html").read_text(encoding="utf-8")
    items = re.findall(r"<li>.*?</li>", text, flags=re.S)
    camera = [i for i in items if "camera-roll-suggestions/" in i]
    assert [re.search(r"/(\d)\.html", i).group(1) for i in camera] == ["4", "3", "2"]  # type: ignore[union-attr]
    assert "No material change" in camera[0]
    assert "Material change" in camera[1] and "Widens what happens" in camera[1]
    assert "retention changes from P30D to P60D" in camera[1]
    assert "First released revision" in camera[2]
    old = (built / "en" / "changes" / "camera-roll-suggestions" / "2.html").read_text(
        encoding="utf-8"
    )
    assert "for 30 days" in old and "for 60 days" not in old  # the old answers, kept
    assert 'class="dsc-label"' in old
    fr = (built / "fr" / "changes" / "camera-roll-suggestions" / "3.html").read_text(
        encoding="utf-8"
    )
    assert "Changement substantiel" in fr


def test_feature_page_has_label_notice_permission_and_history(built: Path) -> None:
    html = (built / "en" / "features" / "camera-roll-suggestions.html").read_text(encoding="utf-8")
    assert html.count('class="dsc-label"') == 1 and 'class="dsc-notice"' in html
    assert "<style>" not in html.split('class="dsc-disclosure"', 1)[1]  # site stylesheet instead
    assert "NSPhotoLibraryUsageDescription" in html
    assert "android.permission.READ_MEDIA_IMAGES" in html
    assert "camera-roll-suggestions/3.html" in html and "camera-roll-suggestions/2.html" in html
    assert "../../downloads/notices/camera-roll-suggestions.json" in html


def test_downloads_say_for_every_feature_whether_the_store_answers_include_it(
    paged: tuple[Path, Server],
) -> None:
    """The table (paged) says it for every feature; page 1 names only the first few left out
    (none here), then counts them, so the page does not grow with the catalogue."""
    from discloser.stores.apps import absence_kind

    site, _ = paged
    cells: dict[str, str] = {}
    for path, _ in _listing(site, "en/downloads.html"):
        html = path.read_text(encoding="utf-8").split('class="dsc-pager"', 1)[0]
        for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
            found = re.search(r"features/([\w-]+)\.html", row)
            if found:
                cells[found.group(1)] = re.findall(r"<td>(.*?)</td>", row, flags=re.S)[-1]
    shown = {n: d for n, d in EXAMPLES.items() if d.status != "planned"}
    assert set(cells) == set(shown)
    absent = sorted(
        n
        for n, d in shown.items()
        if d.status in ("live", "beta") and absence_kind(d) in ("on_device", "end_to_end")
    )
    assert absent  # else the count below proves nothing
    for name, d in shown.items():
        want = (
            "Left out: the feature is retired."
            if d.status not in ("live", "beta")
            else "Left out: "
            if name in absent
            else "In the store answers"
        )
        assert cells[name].startswith(want), (name, cells[name])
    assert any(d.status == "retired" for d in shown.values())
    first = (site / "en" / "downloads.html").read_text(encoding="utf-8")
    left_out = first.rsplit("Features the store answers leave out", 1)[1]  # the heading
    assert not re.findall(r'href="features/[\w-]+\.html"', left_out)  # none shown (0 here)
    listed = sum(d.status in ("live", "beta") for d in shown.values())
    assert f"Features: {len(absent)} of {listed}." in left_out


def test_downloads_are_the_published_data(built: Path) -> None:
    from discloser.render.disclosure import twin_schema
    from discloser.schema import schema_text

    folder = built / "downloads"
    catalogue = json.loads((folder / "catalogue.json").read_text(encoding="utf-8"))
    ids = [f["id"] for f in catalogue["features"]]
    assert ids == sorted(n for n, d in EXAMPLES.items() if d.status != "planned")
    for feature in catalogue["features"]:
        notice = json.loads((folder / feature["notice"]).read_text(encoding="utf-8"))
        assert notice["notice_hash"] == feature["notice_hash"]
    assert (folder / "notice.schema.json").read_text(encoding="utf-8") == twin_schema()
    assert (folder / "declaration.schema.json").read_text(encoding="utf-8") == schema_text()
    ledger = built.parent / "declarations" / "discloser-ledger.jsonl"
    assert (folder / "discloser-ledger.jsonl").read_bytes() == ledger.read_bytes()


def test_rules_page_documents_every_rule(built: Path) -> None:
    from discloser.findings import BUILTIN_CHECKS
    from discloser.rules.registry import all_rules

    html = (built / "en" / "rules.html").read_text(encoding="utf-8")
    for rule in all_rules().values():
        assert f'id="{rule.code.lower()}"' in html
    for code in BUILTIN_CHECKS:
        assert f"<td>{code}</td>" in html
    assert 'class="language-yaml"' in html  # the docstrings' examples, as code


def test_our_words_are_translated(built: Path) -> None:
    from discloser.site.words import ASKED, WORDS

    english = [w for w in [*WORDS.values(), *ASKED.values()] if "{" not in w and len(w) > 12]
    for locale in ("fr", "ar"):
        for page in ("index", "changes", "downloads", "verify", "features"):
            text = (built / locale / f"{page}.html").read_text(encoding="utf-8")
            leaked = [e for e in english if e in text]
            assert leaked == [], (locale, page, leaked)


# -------------------------------------------------------------------------- hostile


def hostile(i: int, payload: str) -> Declaration:
    from test_render import _hostile_declaration

    d = _hostile_declaration(payload)
    return d.model_copy(update={"id": f"hostile-{i:02d}"})


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Server]]:
    """Every payload in every free-text field, in every locale, with a released revision each.

    Validation would refuse most of these texts (D703, D704...), so the site is made from the
    models directly: what is tested is that the site's own escaping holds without it.
    """
    from discloser.release import ledger
    from discloser.site.build import site_from_declarations

    folder = tmp_path_factory.mktemp("hostile")
    declarations = [hostile(i, p) for i, p in enumerate(PAYLOADS)]
    path = folder / ledger.LEDGER_NAME
    ledger.append(path, ledger.plan([], declarations))
    out = folder / "site"
    site_from_declarations(declarations, out, ledgers=[path])
    server = Server(out, prefix=PREFIX)
    yield out, server
    server.close()


INERT_CHECK = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.toLowerCase().startsWith('on')) bad.push(el.tagName + ' ' + a.name);
    }
  }
  for (const el of document.querySelectorAll('img, iframe, object, embed, frame, base, form[action]')) {
    bad.push('element ' + el.tagName);
  }
  for (const s of document.querySelectorAll('script')) {
    if (s.type === 'application/json') continue;  // the prompt's notice: data, never run
    if (s.src ? !s.src.startsWith(location.origin) : /alert|msgbox|passwd|evil/.test(s.textContent)) bad.push('script');
  }
  for (const a of document.querySelectorAll('a[href], area[href]')) {
    if (/^\\s*(javascript|vbscript|data|file):/i.test(a.getAttribute('href'))) bad.push('href ' + a.getAttribute('href'));
  }
  if (document.querySelectorAll('title').length !== 1) bad.push('titles');
  return bad;
}"""


def test_hostile_text_is_inert_in_every_page(
    browser: Any, hostile_site: tuple[Path, Server]
) -> None:
    out, server = hostile_site
    v = Visit(browser)
    try:
        for path in pages_of(out):
            v.page.goto(server.base + path)
            assert v.page.evaluate(INERT_CHECK) == [], path
        assert v.errors == [] and v.dialogs == []
        assert all(u.startswith(server.base) for u in v.requests)
    finally:
        v.close()


@pytest.mark.parametrize("i", range(len(PAYLOADS)))
def test_hostile_text_reads_as_text_in_titles_and_headings(
    visit: Visit, hostile_site: tuple[Path, Server], i: int
) -> None:
    from discloser.render.markdown import to_text

    _, server = hostile_site
    expected = " ".join(to_text(PAYLOADS[i]).split())
    for locale in ("en", "ar"):
        visit.page.goto(f"{server.base}{locale}/features/hostile-{i:02d}.html")
        assert " ".join(visit.page.inner_text("article h1").split()) == expected
        assert " ".join(visit.page.title().split()).startswith(expected)
        topic = visit.page.inner_text(".md-header__topic[data-md-component=header-topic]")
        assert " ".join(topic.split()) == expected
        revision = EXAMPLES["camera-roll-suggestions"].revision
        visit.page.goto(f"{server.base}{locale}/changes/hostile-{i:02d}/{revision}.html")
        assert expected in " ".join(visit.page.title().split())
    assert visit.errors == [] and visit.dialogs == []


@pytest.mark.parametrize("i", range(len(PAYLOADS)))
def test_hostile_url_parameters_are_inert(
    visit: Visit, hostile_site: tuple[Path, Server], i: int
) -> None:
    _, server = hostile_site
    payload = quote(PAYLOADS[i], safe="")
    page = visit.page
    for query in (f"?q={payload}", f"?h={payload}", f"?q={payload}&h={payload}"):
        page.goto(f"{server.base}en/features/hostile-{i:02d}.html{query}")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(200)
        assert page.evaluate(INERT_CHECK) == [], query
    assert visit.errors == [] and visit.dialogs == []


def test_hostile_search_results_are_inert(visit: Visit, hostile_site: tuple[Path, Server]) -> None:
    _, server = hostile_site
    page = visit.page
    for locale in ("en", "ar"):
        page.goto(f"{server.base}{locale}/index.html", wait_until="networkidle")
        for word in ("script", "click", "onmouseover", "raw"):
            assert search(page, word), word
            page.hover(".md-search-result__list")
            assert page.evaluate(INERT_CHECK) == [], word
    assert visit.errors == [] and visit.dialogs == []


def test_hostile_text_stays_out_of_navigation_and_search_index(
    hostile_site: tuple[Path, Server],
) -> None:
    out, _ = hostile_site
    for path in out.glob("*/**/*.html"):
        if path.name == "404.html" or path.relative_to(out).parts[0] == "downloads":
            continue  # the 404 and the prompt demos are plain pages without the site navigation
        nav = navigation(path.read_text(encoding="utf-8"))
        assert "alert" not in nav and "7*7" not in nav and "hostile-" not in nav, path
    index = (out / "en" / "search" / "search_index.json").read_text(encoding="utf-8")
    for entry in json.loads(index)["docs"]:
        collect = _Tags()
        collect.feed(entry["title"] + entry["text"])
        assert collect.tags <= {"p", "code", "pre", "li", "ol", "ul", "sub", "sup"}, entry


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)


# ------------------------------------------------------------------- output discipline


def test_two_builds_are_byte_identical(project: Path, built: Path) -> None:
    again = project / "again"
    proc = run_cli("build", "declarations", "--out", "again", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert tree(again) == tree(built)


def test_no_change_rebuild_skips_the_work(tmp_path: Path) -> None:
    from discloser.config import Settings
    from discloser.site.build import INPUTS, build_site

    project = make_project(tmp_path / "p")
    out = project / "public"
    assert run_cli("build", "declarations", "--out", "public", cwd=project).returncode == 0
    marker = json.loads((out / INPUTS).read_text(encoding="utf-8"))
    assert len(marker["inputs"]) == 64
    (out / "canary").write_text("a full build would replace the folder", encoding="utf-8")
    proc = run_cli("build", "declarations", "--out", "public", cwd=project)
    assert proc.returncode == 0
    assert (out / "canary").is_file()  # nothing was rebuilt
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(project)
        report = build_site(["declarations"], Path("public"), Settings(), None)
        assert getattr(report, "skipped", False) is True
        camera = project / "declarations" / "camera-roll-suggestions.yaml"
        camera.write_text(camera.read_text(encoding="utf-8") + "# changed\n", encoding="utf-8")
        report = build_site(["declarations"], Path("public"), Settings(), None)
    assert getattr(report, "skipped", True) is False
    assert not (out / "canary").exists()
    assert json.loads((out / INPUTS).read_text(encoding="utf-8"))["inputs"] != marker["inputs"]


def test_killed_build_leaves_the_previous_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    out = project / "public"
    assert run_cli("build", "declarations", "--out", "public", cwd=project).returncode == 0
    before = tree(out)
    many = project / "many"
    many.mkdir()
    text = (DECLARATIONS / "camera-roll-suggestions.yaml").read_text(encoding="utf-8")
    for i in range(120):
        (many / f"f{i}.yaml").write_text(
            text.replace("id: camera-roll-suggestions", f"id: f{i}"), encoding="utf-8"
        )
    proc = subprocess.Popen(
        [sys.executable, "-m", "discloser", "build", "many", "--out", "public"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    # Halfway: the site builder has started writing a locale's pages into the staging folder.
    while not any(
        (s / "en" / "search").exists() or (s / "en" / "assets").exists()
        for s in project.glob(".public.*.staging")
    ):
        assert time.monotonic() < deadline and proc.poll() is None, "build never reached mkdocs"
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert tree(out) == before


def test_failed_build_leaves_the_previous_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    out = project / "public"
    assert run_cli("build", "declarations", "--out", "public", cwd=project).returncode == 0
    before = tree(out)
    bad = project / "bad"
    bad.mkdir()
    (bad / "x.yaml").write_text("discloser: 1\nid: x\n", encoding="utf-8")
    proc = run_cli("build", "bad", "--out", "public", cwd=project)
    assert proc.returncode == 1
    assert tree(out) == before


@pytest.mark.parametrize("target", ["declarations", "declarations/sub", ".", "/", "~", "notempty"])
def test_refuses_dangerous_output_folders(tmp_path: Path, target: str) -> None:
    project = tmp_path / "project"
    (project / "declarations").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname='x'\n", encoding="utf-8")
    shutil.copy(DECLARATIONS / "ai-restyle.yaml", project / "declarations" / "ai-restyle.yaml")
    (project / "notempty").mkdir()
    (project / "notempty" / "keep.txt").write_text("mine", encoding="utf-8")
    out = str(Path(target).expanduser()) if target == "~" else target
    proc = run_cli("build", "declarations", "--out", out, cwd=project)
    assert proc.returncode == 2, proc.stderr
    assert "refusing" in proc.stderr
    assert (project / "notempty" / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert not (project / "declarations" / "sub").exists()


def test_make_site(tmp_path: Path) -> None:
    """What `make site` runs, on the shipped declarations."""
    shutil.copytree(DECLARATIONS, tmp_path / "declarations")
    proc = run_cli("build", "declarations", "--out", "public", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "public" / "en" / "index.html").is_file()
    assert "built public/" in proc.stderr
