"""Source files → located signals, read through each language's tree-sitter grammar.

The grammar decides what is code: comments, strings and ``#if false`` / ``#if 0`` blocks never
yield a signal, however much they look like a call. What is left is a stream of names, dots
and brackets, from which the scanner builds call chains (``PHPhotoLibrary.shared().register``)
and resolves their first name through the file's imports (Kotlin/Java ``import … as``, JS
``import { a as b }``, Dart ``as`` prefixes, Swift/Kotlin ``typealias``). Patterns then match
whole chains, never substrings. Comments are read for one thing: ``discloser:`` annotations.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from discloser.check.languages import EXTENSIONS, GRAMMARS, Grammar, parser
from discloser.check.signals import Pattern, Signal

# Files past this are generated or vendored (minified bundles): skipped, as linters do.
MAX_SOURCE_BYTES = 2 * 1024 * 1024

ANNOTATION = re.compile(r"discloser:\s*(.*?)\s*(?:\*/|-->)?\s*$", re.M)
_IDS = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:\s*,\s*[a-z0-9]+(?:-[a-z0-9]+)*)*$")
WAIVE = re.compile(r"^waive\s+([A-Za-z0-9-]+)\s*(?::|--|—)?\s*(.*)$")


@dataclass(frozen=True, slots=True)
class SiteWaiver:
    """``discloser: waive C202 <reason>``: at a call site (``target`` line) or a file's head."""

    file: str
    line: int
    column: int
    code: str
    reason: str
    target: int | None  # None: the whole file


@dataclass
class FileScan:
    """What one file yields: its signals, waivers and annotation problems."""

    file: str
    signals: list[Signal] = field(default_factory=list)
    waivers: list[SiteWaiver] = field(default_factory=list)
    problems: list[tuple[int, int, str, str]] = field(default_factory=list)  # line, col, code, msg


def language_of(name: str) -> str | None:
    dot = name.rfind(".")
    return EXTENSIONS.get(name[dot:].lower()) if dot >= 0 else None


# ---------------------------------------------------------------- the token stream


class Walk:
    __slots__ = (
        "comments",
        "dead",
        "elements",
        "first_row",
        "g",
        "hits",
        "imports",
        "skipped",
        "src",
        "tokens",
    )

    def __init__(self, g: Grammar, src: bytes, hits: list[int] | None = None) -> None:
        self.g = g
        self.src = src
        # Byte offsets of every name a pattern, an annotation or a directive needs; a subtree
        # holding none of them cannot change the result and is not walked (None: walk all).
        self.hits = hits
        self.skipped: list[tuple[int, int]] = []  # where skipped statements start
        self.tokens: list[tuple[str, str, int, int]] = []  # kind, text, row, column (0-based)
        self.comments: list[tuple[int, int, int, str]] = []  # row, col, end row, text
        self.imports: list[str] = []
        self.elements: list[object] = []
        self.first_row = 1 << 30
        self.dead = 0  # depth inside a dead #if block


_PUNCT = {
    ".": ".",
    "?.": ".",
    "!.": ".",
    **{p: p for p in ("(", ")", "[", "]", "?", "!", "!!")},
}
_CONTAINERS = (
    "body",
    "block",
    "source_file",
    "program",
    "translation_unit",
    "statements",
    "declaration_list",
    "compound_statement",
    "implementation",
    "document",
)
_DEAD = re.compile(r"^#if\s+(?:false|0|NO)\s*$")


def walk(node: object, w: Walk, container: bool = True) -> None:
    """Append the node's tokens, comments and imports to ``w``, in document order.

    ``container`` says the parent is a body, block or file: only there may a statement or
    declaration holding none of ``w.hits`` be skipped whole (inside a statement every token
    counts, since a chain's receiver and arguments carry no pattern name).
    """
    t: str = node.type  # type: ignore[attr-defined]
    g = w.g
    if t in g.comments:
        (r, c), er = node.start_point, node.end_point[0]  # type: ignore[attr-defined]
        w.comments.append((r, c, er, node.text.decode("utf-8", "replace")))  # type: ignore[attr-defined]
        return
    hits = w.hits
    if hits is not None and container and t not in g.imports:
        i = bisect.bisect_left(hits, node.start_byte)  # type: ignore[attr-defined]
        if i == len(hits) or hits[i] >= node.end_byte:  # type: ignore[attr-defined]
            w.skipped.append(node.start_point)  # type: ignore[attr-defined]
            return
    row = node.start_point[0]  # type: ignore[attr-defined]
    if t in g.imports:  # the head of a file: its annotations still apply to the whole file
        if not w.dead:
            w.imports.append(node.text.decode("utf-8", "replace"))  # type: ignore[attr-defined]
        return
    if t == "directive" and g.name == "swift":  # #if / #elseif / #else / #endif, in order
        text = node.text.decode("utf-8", "replace").strip()  # type: ignore[attr-defined]
        if w.dead:
            if text.startswith("#if"):
                w.dead += 1
            elif text.startswith("#endif") or (
                w.dead == 1 and text.startswith(("#else", "#elseif"))
            ):
                w.dead -= 1
        elif _DEAD.match(text):
            w.dead = 1
        return
    if t in ("preproc_if", "preproc_elif") and g.name == "objc":
        cond = node.child_by_field_name("condition")  # type: ignore[attr-defined]
        if cond is not None and cond.text.strip() in (b"0", b"false", b"NO"):
            alt = node.child_by_field_name("alternative")  # type: ignore[attr-defined]
            if alt is not None:
                walk(alt, w)
            return
    if t in g.strings:
        if not w.dead:
            text = node.text.decode("utf-8", "replace").strip("@'\"`")  # type: ignore[attr-defined]
            c = node.start_point[1]  # type: ignore[attr-defined]
            w.tokens.append(("s", text, row, c))
        return
    if t in g.elements and not w.dead:
        w.elements.append(node)
    children = node.children  # type: ignore[attr-defined]
    if not children:
        if w.dead:
            return
        c = node.start_point[1]  # type: ignore[attr-defined]
        if "identifier" in t:
            w.tokens.append(("n", node.text.decode("utf-8", "replace"), row, c))  # type: ignore[attr-defined]
        else:  # an anonymous leaf's type is its text ("(", ".", "typealias"); others need none
            w.tokens.append((_PUNCT.get(t, "o"), t, row, c))
        return
    inner = any(k in t for k in _CONTAINERS)
    for child in children:
        walk(child, w, inner)


# ---------------------------------------------------------------- imports and bindings


@dataclass
class _Imports:
    modules: set[str] = field(default_factory=set)  # what the file imports, for `module:`
    bindings: dict[str, tuple[str, ...]] = field(default_factory=dict)  # local name → names
    wildcards: list[tuple[str, ...]] = field(default_factory=list)  # Kotlin/Java pkg.*


_Q_IMPORT = re.compile(
    r"^\s*import\s+(?:static\s+)?([\w.`]+?)(\.\*)?\s*(?:as\s+(\w+))?\s*;?\s*$", re.S
)
_Q_PACKAGE = re.compile(r"^\s*package\s+([\w.]+)")
_SWIFT_IMPORT = re.compile(
    r"import\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?([\w]+)"
)
_OBJC_IMPORT = re.compile(r"(?:@import\s+(\w+)|#(?:import|include)\s*<(\w+)/)")
_DART_IMPORT = re.compile(r"""^\s*import\s+['"]([^'"]+)['"](?:\s+(?:deferred\s+)?as\s+(\w+))?""")
_JS_FROM = re.compile(r"""^\s*import\s+(?:type\s+)?(.*?)\s*from\s*['"]([^'"]+)['"]""", re.S)


def _imports(g: Grammar, texts: list[str]) -> _Imports:
    out = _Imports()
    for text in texts:
        if g.family == "qualified":
            pkg = _Q_PACKAGE.match(text)
            if pkg:
                out.wildcards.append(tuple(pkg.group(1).split(".")))
                continue
            m = _Q_IMPORT.match(text.replace("`", ""))
            if not m:
                continue
            path = tuple(m.group(1).split("."))
            out.modules.add(m.group(1))
            if m.group(2):
                out.wildcards.append(path)
            else:
                out.bindings[m.group(3) or path[-1]] = path
        elif g.name == "swift":
            m = _SWIFT_IMPORT.search(text)
            if m:
                out.modules.add(m.group(1))
        elif g.name == "objc":
            for a, b in _OBJC_IMPORT.findall(text):
                out.modules.add(a or b)
        elif g.name == "dart":
            m = _DART_IMPORT.match(text)
            if m:
                out.modules.add(m.group(1))
                if m.group(2):
                    out.bindings[m.group(2)] = ()
        elif g.family == "js":
            m = _JS_FROM.match(text)
            if not m:
                continue
            clause, module = m.group(1), m.group(2)
            out.modules.add(module)
            named = re.search(r"\{(.*)\}", clause, re.S)
            rest = clause[: named.start()] + clause[named.end() :] if named else clause
            for part in (named.group(1) if named else "").split(","):
                bits = part.replace("type ", "").split()
                if len(bits) == 1:
                    out.bindings[bits[0]] = (module, bits[0])
                elif len(bits) == 3 and bits[1] == "as":
                    out.bindings[bits[2]] = (module, bits[0])
            ns = re.search(r"\*\s*as\s+([\w$]+)", rest)
            if ns:
                out.bindings[ns.group(1)] = (module,)
            default = re.match(r"\s*([\w$]+)\s*(?:,|$)", rest)
            if default:
                out.bindings[default.group(1)] = (module,)
    return out


# ---------------------------------------------------------------- chains


@dataclass(slots=True)
class _Chain:
    names: list[int]  # token indexes
    implicit: bool  # Swift's `.member` with no receiver
    args: dict[int, tuple[int, int]]  # name position → token range of its call's arguments


def _brackets(tokens: list[tuple[str, str, int, int]]) -> dict[int, int]:
    match: dict[int, int] = {}
    stacks: dict[str, list[int]] = {"(": [], "[": []}
    for i, (kind, _, _, _) in enumerate(tokens):
        if kind in stacks:
            stacks[kind].append(i)
        elif kind in (")", "]"):
            s = stacks["(" if kind == ")" else "["]
            if s:
                match[s.pop()] = i
    return match


def _extend(tokens: list[tuple[str, str, int, int]], match: dict[int, int], chain: _Chain) -> None:
    n = len(tokens)
    pos = chain.names[-1] + 1
    while pos < n:
        kind = tokens[pos][0]
        if kind in ("?", "!", "!!"):
            pos += 1
        elif kind == "(" and pos in match:
            chain.args[len(chain.names) - 1] = (pos, match[pos])
            pos = match[pos] + 1
        elif kind == "." and pos + 1 < n and tokens[pos + 1][0] == "n":
            chain.names.append(pos + 1)
            pos += 2
        else:
            return


def _message(
    tokens: list[tuple[str, str, int, int]], match: dict[int, int], i: int
) -> _Chain | None:
    """An Objective-C message ``[receiver selector: …]`` as the chain receiver.selector."""
    n = len(tokens)
    if i + 1 >= n or i not in match:
        return None
    if tokens[i + 1][0] == "n":
        names = [i + 1]
        j = i + 2
    elif tokens[i + 1][0] == "[":
        inner = _message(tokens, match, i + 1)
        if inner is None or i + 1 not in match:
            return None
        names = list(inner.names)
        j = match[i + 1] + 1
    else:
        return None
    if j < n and tokens[j][0] == "n":
        names.append(j)
        return _Chain(names, False, {len(names) - 1: (j, match[i])})
    return None


def _chains(tokens: list[tuple[str, str, int, int]], objc: bool) -> list[_Chain]:
    match = _brackets(tokens)
    out = []
    prev = "o"
    for i, (kind, _, _, _) in enumerate(tokens):
        if kind == "n" and prev != ".":
            chain = _Chain([i], False, {})
            _extend(tokens, match, chain)
            out.append(chain)
        elif (
            kind == "."
            and prev not in ("n", ")", "]", "?", "!", "!!")
            and i + 1 < len(tokens)
            and tokens[i + 1][0] == "n"
        ):
            chain = _Chain([i + 1], True, {})
            _extend(tokens, match, chain)
            out.append(chain)
        elif kind == "[" and objc:
            message = _message(tokens, match, i)
            if message is not None:
                out.append(message)
        prev = kind
    return out


def _typealiases(tokens: list[tuple[str, str, int, int]], imports: _Imports) -> None:
    for i, (_, text, _, _) in enumerate(tokens[:-3]):
        if text == "typealias" and tokens[i + 1][0] == "n" and tokens[i + 2][1] == "=":
            names = []
            j = i + 3
            while j < len(tokens) and tokens[j][0] == "n":
                names.append(tokens[j][1])
                if j + 1 < len(tokens) and tokens[j + 1][0] == ".":
                    j += 2
                else:
                    break
            if names:
                target = imports.bindings.get(names[0], (names[0],)) + tuple(names[1:])
                imports.bindings[tokens[i + 1][1]] = target


def _variants(
    raw: tuple[str, ...], g: Grammar, imports: _Imports
) -> list[tuple[tuple[str, ...], int]]:
    """The chain as the patterns name it, with how many names the resolution prepended."""
    bound = imports.bindings.get(raw[0])
    if bound is not None:
        resolved = bound + raw[1:]
        return [(resolved, len(resolved) - len(raw))]
    out = [(raw, 0)]
    if g.family == "qualified":
        out += [(pkg + raw, len(pkg)) for pkg in imports.wildcards]
    return out


# ---------------------------------------------------------------- matching


@cache
def _index(
    patterns: tuple[Pattern, ...], language: str
) -> dict[str, list[tuple[Pattern, tuple[str, ...]]]]:
    g = GRAMMARS[language]
    out: dict[str, list[tuple[Pattern, tuple[str, ...]]]] = {}
    for p in patterns:
        if language not in p.languages or not p.names:
            continue
        fulls = [(m, *p.names) for m in p.modules] if g.family == "js" and p.modules else [p.names]
        for full in fulls:
            out.setdefault(full[-1], []).append((p, full))
    return out


@cache
def needed(patterns: tuple[Pattern, ...]) -> re.Pattern[bytes]:
    """Bytes a subtree must hold to be walked: the trigger names, the names ``file_has`` asks
    about, and what changes how later code reads (directives, ``typealias``)."""
    words = {p.names[-1].encode() for p in patterns if p.names}
    words |= {p.element.encode() for p in patterns if p.element}
    words |= {n.encode() for p in patterns for n in p.file_has}
    words |= {b"discloser:", b"#if", b"#else", b"#endif", b"typealias"}
    return re.compile(b"|".join(re.escape(w) for w in sorted(words)))


@cache
def trigger(patterns: tuple[Pattern, ...]) -> re.Pattern[bytes]:
    """Bytes every file with a possible signal or annotation contains: a cheap first sieve.

    Sound because a pattern's last name is never renamed (aliases rename the first), so a file
    without any of these bytes has no signal; it is not parsed at all.
    """
    words = {p.names[-1].encode() for p in patterns if p.names}
    words |= {p.element.encode() for p in patterns if p.element}
    words.add(b"discloser:")
    return re.compile(b"|".join(re.escape(w) for w in sorted(words)))


_TYPEALIAS = re.compile(rb"typealias\s+(\w+)")


def _hits(g: Grammar, root: object, src: bytes, patterns: tuple[Pattern, ...]) -> list[int]:
    """Where the walk must look: the needed names, plus every local name an import or a
    typealias gives to something else (``pick`` for ``launchImageLibraryAsync as pick``)."""
    hits = [m.start() for m in needed(patterns).finditer(src)]
    texts = [
        c.text.decode("utf-8", "replace")
        for c in root.children  # type: ignore[attr-defined]
        if c.type in g.imports
    ]
    bound = _imports(g, texts).bindings
    local = {k for k, v in bound.items() if not v or v[-1] != k}
    local |= {m.group(1).decode("utf-8", "replace") for m in _TYPEALIAS.finditer(src)}
    if local:
        names = b"|".join(re.escape(n.encode()) for n in sorted(local))
        hits += [m.start() for m in re.finditer(rb"\b(?:" + names + rb")\b", src)]
        hits.sort()
    return hits


def _module_ok(p: Pattern, g: Grammar, imports: _Imports) -> bool:
    if not p.modules or g.family == "js":
        return True
    if g.name in ("swift", "objc"):
        return any(m in imports.modules for m in p.modules)
    return any(i.startswith(m) for i in imports.modules for m in p.modules)


def _args(tokens: list[tuple[str, str, int, int]], span: tuple[int, int] | None) -> set[str]:
    if span is None:
        return set()
    return {t[1] for t in tokens[span[0] + 1 : span[1]] if t[0] in ("n", "s")}


def _element(node: object) -> tuple[str, dict[str, str]]:
    tag = ""
    attrs: dict[str, str] = {}
    for child in node.children:  # type: ignore[attr-defined]
        ct = child.type
        if not tag and ct in ("tag_name", "identifier"):
            tag = child.text.decode("utf-8", "replace").lower()
        elif ct in ("attribute", "jsx_attribute"):
            parts = child.children
            name = parts[0].text.decode("utf-8", "replace").lower() if parts else ""
            value = parts[-1].text.decode("utf-8", "replace") if len(parts) >= 3 else ""
            attrs[name] = value.strip("'\"{}")
    return tag, attrs


def scan_source(display: str, language: str, src: bytes, patterns: tuple[Pattern, ...]) -> FileScan:
    """Every signal in one source file, with the annotations that link or waive it."""
    g = GRAMMARS[language]
    result = FileScan(display)
    tree = parser(language).parse(src)
    root = tree.root_node
    w = Walk(g, src, _hits(g, root, src, patterns))
    for child in root.children:
        walk(child, w, True)
    tokens = w.tokens
    first_code = next(
        (c for c in root.children if c.type not in g.comments and c.type not in g.imports), None
    )
    w.first_row = first_code.start_point[0] if first_code is not None else 1 << 30
    imports = _imports(g, w.imports)
    if g.family in ("module", "qualified"):
        _typealiases(tokens, imports)
    names_in_file = {t[1] for t in tokens if t[0] == "n"}
    index = _index(patterns, language)
    found: list[tuple[int, tuple[int, int] | None, Pattern, str]] = []  # token, args, pattern, text
    for chain in _chains(tokens, g.name == "objc") if index else ():
        raw = tuple(tokens[j][1] for j in chain.names)
        for variant, offset in _variants(raw, g, imports):
            for k, name in enumerate(variant):
                for p, full in index.get(name, ()):
                    start = k - len(full) + 1
                    if start < 0 or variant[start : k + 1] != full:
                        continue
                    if p.anywhere:
                        if start < 1 and not chain.implicit:
                            continue
                    elif start != 0:
                        continue
                    if not _module_ok(p, g, imports):
                        continue
                    if p.file_has and not (p.file_has & names_in_file):
                        continue
                    first = max(0, start - offset)
                    last = max(0, k - offset)
                    span = chain.args.get(last)
                    got = _args(tokens, span)
                    if (p.args and not p.args <= got) or (p.not_args & got):
                        continue
                    found.append((chain.names[first], span, p, ".".join(raw[first : last + 1])))
    spans = [s for _, s, _, _ in found if s is not None]
    seen: set[tuple[str, int]] = set()
    locs: list[tuple[int, int, str, str, str, str]] = []
    for tok, _, p, text in found:
        if any(a < tok < b for a, b in spans) or (p.id, tok) in seen:
            continue  # inside the arguments of a call that is itself a signal
        seen.add((p.id, tok))
        _, _, row, col = tokens[tok]
        locs.append((row, col, p.id, p.kind, p.platform, text))
    for node in w.elements:
        tag, attrs = _element(node)
        for p in patterns:
            if (
                p.element == tag
                and language in p.languages
                and all(k in attrs and v in attrs[k] for k, v in p.attrs)
            ):
                row, col = node.start_point  # type: ignore[attr-defined]
                locs.append((row, col, p.id, p.kind, p.platform, f"<{tag}>"))
    _annotate(result, w, locs)
    return result


def _annotate(result: FileScan, w: Walk, locs: list[tuple[int, int, str, str, str, str]]) -> None:
    """Link and waive from ``discloser:`` comments: same line, the next code line, or the head."""
    rows = sorted({t[2] for t in w.tokens} | {r for r, _ in w.skipped})
    file_links: list[str] = []
    line_links: dict[int, list[str]] = {}
    for row, col, end_row, text in w.comments:
        for m in ANNOTATION.finditer(text):
            body = m.group(1).strip()
            line = row + text.count("\n", 0, m.start()) + 1
            column = (col if line == row + 1 else 0) + 1
            trailing = _code_before(w, row, col)
            if row < w.first_row and not trailing:
                target: int | None = None
            elif trailing:
                target = row + 1
            else:
                k = bisect.bisect_right(rows, end_row)
                target = rows[k] + 1 if k < len(rows) else end_row + 2
            waive = WAIVE.match(body)
            if waive:
                code, reason = waive.group(1), waive.group(2).strip()
                result.waivers.append(SiteWaiver(result.file, line, column, code, reason, target))
            elif _IDS.match(body):
                ids = [i.strip() for i in body.split(",")]
                if target is None:
                    file_links += ids
                else:
                    line_links.setdefault(target, []).extend(ids)
            else:
                result.problems.append(
                    (
                        line,
                        column,
                        "C206",
                        f"annotation {body!r} is not understood: write "
                        "`discloser: <feature-id>` or `discloser: waive <code> <reason>`",
                    )
                )
    for row, col, pid, kind, platform, text in sorted(locs):
        links = tuple(dict.fromkeys([*line_links.get(row + 1, []), *file_links]))
        result.signals.append(
            Signal(result.file, row + 1, col + 1, pid, kind, platform, text, links)
        )


def _code_before(w: Walk, row: int, col: int) -> bool:
    """Whether a code token sits on ``row`` before ``col`` (a trailing comment)."""
    tokens = w.tokens
    lo = bisect.bisect_left(tokens, (row,), key=lambda t: (t[2],))
    if lo < len(tokens) and tokens[lo][2] == row and tokens[lo][3] < col:
        return True
    return any(r == row and c < col for r, c in w.skipped)


def scan_files(
    items: Sequence[tuple[str, str, str]], patterns: tuple[Pattern, ...]
) -> list[FileScan]:
    """Scan ``(display, path, language)`` items in order; worker processes run this on chunks."""
    sieve = trigger(patterns)
    out = []
    for display, path, language in items:
        try:
            with open(path, "rb") as stream:  # noqa: PTH123 - the hot loop; no Path objects
                src = stream.read(MAX_SOURCE_BYTES + 1)
        except OSError:
            continue
        if len(src) > MAX_SOURCE_BYTES or not sieve.search(src):
            continue
        out.append(scan_source(display, language, src, patterns))
    return out
