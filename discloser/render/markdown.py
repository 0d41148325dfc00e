"""Declaration text as inline Markdown, made safe for every output.

Declaration text may use inline Markdown (emphasis, code, links) and nothing else: raw HTML is
off, images are off, and links are kept only for ``https:`` and ``mailto:`` (markdown-it-py's
``validateLink`` hook, which sees the URL after entity and percent decoding, so
``jav&#x61;script:`` and mixed case are caught). A refused link stays visible as text.

The same parse feeds both outputs: HTML (markdown-it's renderer, which escapes text) and
Markdown for builders such as mkdocs, re-serialised here with every punctuation character
escaped, because python-markdown would otherwise obey raw HTML or a ``javascript:`` link.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_SCHEMES = ("https", "mailto")
# Characters that start inline syntax anywhere (CommonMark, python-markdown and the usual
# mkdocs extensions: attr_list {}, pymdownx ~~ ^^ ==), then those that matter only at a start.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|<>&~^=])")
_MD_LEADING = re.compile(r"^(\s*)([-+:]|\d+(?=[.)]))")


def safe_link(url: str) -> bool:
    """Whether a URL may become a link: ``https:`` with a host, or ``mailto:``."""
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return False
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "https":
        return bool(parts.hostname) and parts.username is None and parts.password is None
    return scheme == "mailto"


@cache
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_inline", "autolink", "entity"])
    md.validateLink = safe_link  # type: ignore[method-assign]
    return md


def inline_tokens(text: str) -> list[Token]:
    tokens = parser().parseInline(text)
    return tokens[0].children or [] if tokens else []


# Backslash escapes of ASCII punctuation (CommonMark), and what remains inline syntax after them.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_SYNTAX = re.compile(r"[\\*_`\[\]<>&!~\n]")


def _plain(text: str) -> str | None:
    """The literal text when ``text`` has no inline syntax left after its escapes, else None.

    Most strings a page shows are our own escaped phrases or plain sentences; answering those
    without a full inline parse keeps rendering a thousand features fast, and gives exactly
    what markdown-it would (escapes removed, nothing else to interpret).
    """
    unescaped = _ESCAPED.sub("", text)
    if _SYNTAX.search(unescaped):
        return None
    return _ESCAPED.sub(r"\1", text)


@lru_cache(maxsize=1 << 15)
def to_html(text: str) -> str:
    """Inline HTML for one declaration string; text escaped, only allowed links."""
    plain = _plain(text)
    if plain is not None:
        return (
            plain.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace('"', "&quot;")
        )
    md = parser()
    html: str = md.renderer.render(inline_tokens(text), md.options, {})
    # Links leave the page: never leak the referrer or a handle on this window.
    return html.replace("<a href=", '<a rel="noopener noreferrer" href=')


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that renders to exactly that text, whatever the builder."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text.replace("\n", " "))
    return _MD_LEADING.sub(
        lambda m: (
            m.group(1) + "\\" + m.group(2) if not m.group(2)[0].isdigit() else m.group(0) + "\\"
        ),
        escaped,
    )


@lru_cache(maxsize=1 << 15)
def to_markdown(text: str) -> str:
    """One declaration string as safe Markdown: allowed links and emphasis kept, all else text."""
    plain = _plain(text)
    if plain is not None:
        return escape_markdown(plain)
    out: list[str] = []
    href = ""
    for tok in inline_tokens(text):
        if tok.type == "text":
            out.append(escape_markdown(tok.content))
        elif tok.type == "code_inline":
            out.append("`` " + tok.content.replace("`", "'") + " ``")
        elif tok.type in ("em_open", "em_close"):
            out.append("*")
        elif tok.type in ("strong_open", "strong_close"):
            out.append("**")
        elif tok.type == "link_open":
            href = str(tok.attrs.get("href", ""))
            out.append("[")
        elif tok.type == "link_close":
            safe = href.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
            out.append(f"](<{safe}>)")
        elif tok.type in ("softbreak", "hardbreak"):
            out.append(" ")
        else:
            out.append(escape_markdown(tok.content))
    return "".join(out)


@lru_cache(maxsize=1 << 15)
def to_text(text: str) -> str:
    """Plain text: the words a person reads, link targets in brackets after link text."""
    plain = _plain(text)
    if plain is not None:
        return plain
    out: list[str] = []
    href = ""
    for tok in inline_tokens(text):
        if tok.type == "link_open":
            href = str(tok.attrs.get("href", ""))
        elif tok.type == "link_close":
            out.append(f" ({href.removeprefix('mailto:')})")
        elif tok.type in ("softbreak", "hardbreak"):
            out.append(" ")
        else:
            out.append(tok.content)
    return "".join(out)
