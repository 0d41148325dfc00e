"""``disclosure.md`` as other renderers show it: the declaration's text, and only its links.

A repository, a docs site or a wiki renders the Markdown with its own renderer: python-markdown
(as is, and with the site's mkdocs extensions), markdown-it-py in CommonMark mode with raw HTML
on, and markdown-it-py's GFM-like preset with linkify, which turns bare ``http://``, ``//host``,
``www.`` and e-mail text into links the way GitHub and many doc sites do. For the examples and
the whole hostile corpus, each renderer must show the same block layout as a plain declaration,
the same words, and exactly the links the declaration wrote as allowed ``https:``/``mailto:``
links (those the HTML disclosure shows).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, run_cli
from hostile_payloads import FORMAT_PAYLOADS, PAYLOADS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discloser.render.markdown import markdown_text, to_html

DECLARATIONS = ROOT / "declarations"
EXAMPLES = sorted(p.stem for p in DECLARATIONS.glob("*.yaml"))
HOSTILE_EXAMPLES = ("camera-roll-suggestions", "lumen-prints")
ALL_PAYLOADS = PAYLOADS + FORMAT_PAYLOADS
BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "pre", "blockquote", "hr"}
BLOCKS |= {"table", "tr", "td", "th", "dl", "dt", "dd", "div", "details", "br"}


@cache
def _python_markdown_instance(*extensions: str) -> Any:
    import markdown

    return markdown.Markdown(extensions=list(extensions))


def _python_markdown(md: str) -> str:
    html: str = _python_markdown_instance().reset().convert(md)
    return html


def _mkdocs(md: str) -> str:
    from discloser.site.project import MARKDOWN_EXTENSIONS

    html: str = _python_markdown_instance(*MARKDOWN_EXTENSIONS).reset().convert(md)
    return html


@cache
def _markdown_it(preset: str, linkify: bool) -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt(preset, {"html": True, "linkify": linkify})


def _commonmark_html(md: str) -> str:
    html: str = _markdown_it("commonmark", False).render(md)
    return html


def _linkify(md: str) -> str:
    html: str = _markdown_it("gfm-like", True).render(md)
    return html


RENDERERS: dict[str, Callable[[str], str]] = {
    "python-markdown": _python_markdown,
    "mkdocs": _mkdocs,
    "markdown-it commonmark html": _commonmark_html,
    "markdown-it gfm linkify": _linkify,
}


@dataclass
class Shown:
    """What a reader of the rendered HTML meets: block layout, words, links, and anything live."""

    blocks: list[str] = field(default_factory=list)
    text: str = ""
    h1: str = ""
    links: list[str] = field(default_factory=list)
    live: list[str] = field(default_factory=list)


class _Read(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shown = Shown()
        self.words: list[str] = []
        self.h1: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self.shown.blocks.append(tag)
            self.words.append(" ")
        if tag == "a":
            self.shown.links.append(dict(attrs).get("href") or "")
        if tag in ("script", "img", "iframe", "object", "embed", "style", "svg", "form"):
            self.shown.live.append(tag)
        self.shown.live += [f"{tag}[{n}]" for n, _ in attrs if n.startswith("on")]
        if tag == "h1":
            self.h1 = []

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.words.append(" ")
        if tag == "h1" and self.h1 is not None:
            self.shown.h1 = " ".join("".join(self.h1).split())
            self.h1 = None

    def handle_data(self, data: str) -> None:
        self.words.append(data)
        if self.h1 is not None:
            self.h1.append(data)

    def handle_comment(self, data: str) -> None:
        self.shown.live.append("<!--comment-->")


def shown(html: str) -> Shown:
    reader = _Read()
    reader.feed(html)
    reader.close()
    reader.shown.text = " ".join("".join(reader.words).split())
    return reader.shown


@cache
def _shown_file(render: Callable[[str], str], path: Path) -> Shown:
    return shown(render(path.read_text(encoding="utf-8")))


def fragment_links(path: Path) -> list[str]:
    """The links the HTML disclosure shows (tested in a browser elsewhere): the allowed ones."""
    return shown(path.read_text(encoding="utf-8")).links


@dataclass(frozen=True)
class Case:
    name: str
    payload: str | None
    folder: Path
    plain: Path  # the same example with plain words in every free-text field


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> list[Case]:
    from test_render import _hostile_declaration

    from discloser.render.disclosure import make_environment, render_feature

    out = tmp_path_factory.mktemp("md") / "out"
    proc = run_cli("render", "declarations", "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    env = make_environment(None)
    found = [Case(n, None, out / n, out / n) for n in EXAMPLES]
    for example in HOSTILE_EXAMPLES:
        plain = _hostile_declaration("Plain words", example).model_copy(
            update={"id": f"plain-{example}"}
        )
        render_feature(plain, out, env)
        for i, payload in enumerate(ALL_PAYLOADS):
            d = _hostile_declaration(payload, example)
            d = d.model_copy(update={"id": f"hostile-{example}-{i:02d}"})
            render_feature(d, out, env)
            found.append(Case(d.id, payload, out / d.id, out / plain.id))
    return found


def _locales(case: Case) -> list[str]:
    found = sorted(p.stem for p in case.folder.glob("*.md"))
    assert found, f"{case.folder}: no <locale>.md rendered"  # never pass on nothing
    return found


@pytest.mark.parametrize("renderer", RENDERERS)
def test_every_renderer_shows_the_declared_text_and_only_its_links(
    cases: list[Case], renderer: str
) -> None:
    render = RENDERERS[renderer]
    failures: list[str] = []
    for case in cases:
        for locale in _locales(case):
            md = (case.folder / f"{locale}.md").read_text(encoding="utf-8")
            got = shown(render(md))
            plain = _shown_file(render, case.plain / f"{locale}.md")
            reference = _shown_file(_commonmark_html, case.folder / f"{locale}.md")
            where = f"{case.name}/{locale} {case.payload!r}"
            if got.live:
                failures.append(f"{where}: live {got.live}")
            if got.blocks != plain.blocks:
                failures.append(f"{where}: layout {got.blocks} != {plain.blocks}")
            if got.links != fragment_links(case.folder / f"{locale}.html"):
                failures.append(f"{where}: links {got.links}")
            if case.payload is not None and got.h1 != shown(to_html(case.payload)).text:
                failures.append(f"{where}: h1 {got.h1!r}")
            if got.text != reference.text:
                failures.append(f"{where}: text {got.text!r}\n  != {reference.text!r}")
    assert failures == [], "\n".join(failures[:20]) + f"\n({len(failures)} in all)"


_PIECES = list("ab1 .:/@-+*_`#!>[](){}<&|~^=\\'\"%")
_PIECES += ["http://", "//", "www.", ".com", "e.co", "\n", "\t", "    ", "1. ", "2) ", "- ", "---"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12).map("".join))
def test_markdown_text_reads_as_itself_in_every_renderer(text: str) -> None:
    """Any text, at the start of a heading or inside a list item: its words, no link, no block."""
    words = " ".join(text.split())
    for name, render in RENDERERS.items():
        for line, blocks, want in (
            (f"# {markdown_text(text).strip()}", ["h1"], words),
            (f"- x {markdown_text(text)}", ["ul", "li"], f"x {words}".strip()),
        ):
            got = shown(render(line + "\n"))
            assert (got.blocks, got.text, got.links, got.live) == (blocks, want, [], []), name
