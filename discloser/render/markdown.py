"""Declaration text as inline Markdown, made safe for every output.

Declaration text may use inline Markdown (emphasis, code, links) and nothing else: raw HTML is
off, images are off, and links are kept only for ``https:`` and ``mailto:`` (markdown-it-py's
``validateLink`` hook, which sees the URL after entity and percent decoding, so
``jav&#x61;script:`` and mixed case are caught). A refused link stays visible as text.

The same parse feeds both outputs: HTML (markdown-it's renderer, which escapes text) and
Markdown that other renderers read (``disclosure.md``: python-markdown and mkdocs, CommonMark
with raw HTML on, GFM-style renderers that linkify bare URLs). That Markdown is re-serialised
here (``to_markdown``, ``markdown_text``) in the subset every one of them reads alike: only the
backslash escapes python-markdown shares with CommonMark, numeric character references for the
rest, whitespace runs collapsed (four spaces would start a code block), and URL-shaped text
broken up (``&#58;`` for a colon, a backslash before a dot inside a host name, ``/&#47;``) so
that no renderer turns it into a link the declaration did not write.
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
    """Plain text as CommonMark that our own parser (and python-markdown with
    ``pymdownx.escapeall``, as the site uses) renders to exactly that text.

    Words composed into sentences go through this, then through ``to_html``/``to_markdown``;
    Markdown written to files for other renderers goes through ``markdown_text``.
    """
    escaped = _MD_SPECIAL.sub(r"\\\1", text.replace("\n", " "))
    return _MD_LEADING.sub(
        lambda m: (
            m.group(1) + "\\" + m.group(2) if not m.group(2)[0].isdigit() else m.group(0) + "\\"
        ),
        escaped,
    )


# Escapable by a backslash in both CommonMark and python-markdown (its ESCAPED_CHARS).
# Syntax somewhere (raw HTML, entities, GFM tables and strikethrough, pymdownx ^^ ==), written
# as character references, which every renderer shows as the character.
_REFERENCES = {"<": "&lt;", "&": "&amp;", "|": "&#124;", "~": "&#126;", "^": "&#94;", "=": "&#61;"}
_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")


# One pass over the text; each alternative is a character some renderer would read as syntax.
# Backslash-escaped: the characters python-markdown's ESCAPED_CHARS shares with CommonMark.
_PORTABLE = re.compile(
    r"(?P<backslash>[\\`*_{}\[\]()#!>])"
    r"|(?P<reference>[<&|~^=])"
    r"|(?P<colon>:(?=\S))"  # a scheme (http:, mailto:, javascript:) never forms
    r"|(?P<slash>(?<=/)/)"  # nor a scheme-relative //host
    r"|(?P<dot>\.(?=\w))"  # nor a host name (www.example.com, name@host.tld)
)
# At the start: "1." "-" "+" would open a list or a rule ("1)", "*", "#", ">" are escaped above).
_PORTABLE_LEAD = re.compile(r"^( ?)(\d+(?=\.)|[-+])")


def _portable(m: re.Match[str]) -> str:
    ch = m.group()
    if m.lastgroup in ("backslash", "dot"):
        return "\\" + ch
    return _REFERENCES.get(ch) or f"&#{ord(ch)};"


def markdown_text(text: str) -> str:
    """Plain text as Markdown that every common renderer shows as exactly that text.

    Whitespace runs become one space (browsers show no more), so no indentation, hard break
    or blank line can change the layout; see the module docstring for the characters.
    """
    text = _PORTABLE.sub(_portable, _WHITESPACE.sub(" ", text))
    return _PORTABLE_LEAD.sub(
        lambda m: (
            m.group(1) + (m.group(2) + "\\" if m.group(2)[0].isdigit() else "\\" + m.group(2))
        ),
        text,
        count=1,
    )


def _code_span(code: str) -> str:
    """A code span whose fence is longer than any backtick run inside, as both dialects read."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {_WHITESPACE.sub(' ', code)} {fence}"


@lru_cache(maxsize=1 << 15)
def to_markdown(text: str) -> str:
    """One declaration string as portable Markdown: allowed links and emphasis, all else text."""
    plain = _plain(text)
    if plain is not None:
        return markdown_text(plain).strip()
    out: list[str] = []
    href = ""
    for tok in inline_tokens(text):
        if tok.type == "text":
            out.append(markdown_text(tok.content))
        elif tok.type == "code_inline":
            out.append(_code_span(tok.content))
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
            out.append(markdown_text(tok.content))
    return "".join(out).strip()


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
