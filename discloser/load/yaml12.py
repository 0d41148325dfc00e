"""YAML 1.2 with source positions, and nothing that changes what a file says.

PyYAML implements YAML 1.1, where ``NO`` (Norway) is ``False``, ``030`` is 24 and ``1:30`` is 90.
A declaration must mean what it says, so we let libyaml's C parser compose nodes (that keeps
line and column marks at C speed; PyYAML's Python constructor is the slow part) and resolve
plain scalars ourselves with the YAML 1.2 core schema. Numbers stay :class:`YamlNumber`, which
keeps the text as written: a field that expects text gets ``"1.10"`` back, a field that expects
a count gets an integer, and nothing in between is guessed.

Everything that makes a file mean more than it shows, or less, is refused with a located error:
tags, anchors, aliases and merge keys on any node by any spelling, explicit ``?`` keys, a ``#``
glued to the token before it (libyaml would drop the rest of the line as a comment), duplicate
keys, several documents, control and bidi override characters. Limits (also in the README):

========================  =========
file size                 256 KiB
nesting depth             16
items in one list         256
keys in one mapping       256
nodes in one file         20,000
========================  =========
"""

from __future__ import annotations

import contextlib
import operator
import re
from typing import Any, ClassVar, cast

import yaml
from yaml._yaml import CParser

from discloser.errors import LocatedError

MAX_BYTES = 256 * 1024
MAX_DEPTH = 16
MAX_ITEMS = 256
MAX_NODES = 20_000

Path = tuple[str | int, ...]

# C0 controls but tab/newline/carriage return, DEL, C1 controls, the bidi embeddings,
# overrides and isolates (the "Trojan Source" set), and the non-characters U+FFFE/U+FFFF.
# U+2028/U+2029 too: libyaml breaks lines there (YAML 1.1) while editors and YAML 1.2 do not, so
# text after one inside a comment would be read as a key nobody sees.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ufffe\uffff\ud800-\udfff]"
)
_BREAK = re.compile(r"\r\n|\r|\n")
# Only files where one of these can happen are token-scanned for explicit keys and glued comments:
# a "?" where a token can start (libyaml reads "[?x]" as a mapping), or a "#" right after a closing
# quote, a flow indicator or a block scalar header, which libyaml takes as a comment although YAML
# needs a space before it. A superset of what can be wrong; the tokens decide.
_BEFORE_KEY = frozenset(" \t\r\n[]{},:\"'")
_BEFORE_HASH = frozenset("\"'[]{},?:")
_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*")

_NULLS = frozenset({"~", "null", "Null", "NULL", ""})
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NUMBER = re.compile(
    r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_YAML_TAG = "tag:yaml.org,2002:"
_STR_TAG = "tag:yaml.org,2002:str"
_NON_SPECIFIC = "!"


class YamlNumber(str):
    """A plain scalar that YAML 1.2 reads as a number, kept exactly as written.

    The model decides what it becomes: text fields take it as the text it is (a ``str``, so
    pydantic's own string validation takes it, bounds and all, with no Python call per field),
    count fields take a decimal integer and refuse everything else (``030``, ``0x1F``, ``1e3``,
    ``.inf``), and fields of other types (booleans, dates, lists) refuse it as the number it is
    (see ``validate.describe``). A text ``Literal`` would take it as text: none is a number.
    """

    __slots__ = ()

    @property
    def text(self) -> str:
        """The number as written, as plain text."""
        return str.__str__(self)

    def __repr__(self) -> str:
        return f"YamlNumber({self.text!r})"


class Marks:
    """Where each value and each key of a document starts (1-based line and column).

    Pydantic reports errors by path (``("purposes", 1, "text")``); this turns a path back into
    the place in the file a person must edit. It keeps libyaml's composed nodes and walks them
    only when asked, because most files have no finding and tables built for every value would
    cost more than parsing them.
    """

    __slots__ = ("root", "text")

    def __init__(self, root: yaml.Node, text: str = "") -> None:
        self.root = root
        self.text = text

    def _walk(self, path: Path) -> tuple[yaml.Node, yaml.Node | None, bool]:
        """The node at ``path`` (or its deepest existing ancestor), the key node naming it, and
        whether the whole path exists."""
        node, key_node = self.root, None
        for step in path:
            if isinstance(node, yaml.MappingNode):
                found = next(((k, v) for k, v in node.value if k.value == step), None)
                if found is None:
                    return node, key_node, False
                key_node, node = found
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if not 0 <= step < len(node.value):
                    return node, key_node, False
                key_node, node = None, node.value[step]
            else:
                return node, key_node, False
        return node, key_node, True

    @staticmethod
    def _at(node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def value(self, path: Path) -> tuple[int, int]:
        """The position of the value at ``path``, or of its nearest existing ancestor."""
        return self._at(self._walk(path)[0])

    def within(self, path: Path, offset: int, length: int) -> tuple[int, int]:
        """The position of the ``length`` characters at ``offset`` inside the text at ``path``.

        The value as parsed differs from the source when it is quoted, escaped or folded, so
        the same characters are looked up in the node's source slice: the n-th occurrence in
        the source for the n-th in the value. When they cannot be found there (an escape or a
        line fold inside the very word), the value's own start is the answer.
        """
        node, _, found = self._walk(path)
        value = node.value if found and isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, str) or not self.text or not 0 <= offset <= len(value):
            return self._at(node)
        needle = value[offset : offset + length] if length else ""
        raw = self.text[node.start_mark.index : node.end_mark.index]
        if not needle or raw.count(needle) < value.count(needle):
            return self._at(node)
        nth, at = value[:offset].count(needle), -1
        for _ in range(nth + 1):
            at = raw.find(needle, at + 1)
        if at < 0:
            return self._at(node)
        return position(self.text, node.start_mark.index + at)

    def key(self, path: Path) -> tuple[int, int]:
        """The position of the key that names ``path`` (for unknown keys), else of the value."""
        node, key_node, _ = self._walk(path)
        return self._at(key_node if key_node is not None else node)

    def __contains__(self, path: Path) -> bool:
        """Whether ``path`` exists in the document (a key present, even with a null value)."""
        return self._walk(path)[2]


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset; CR LF, CR and LF each end a line."""
    line, start = 1, 0
    for match in _BREAK.finditer(text, 0, offset):
        line, start = line + 1, match.end()
    return line, offset - start + 1


def decode(data: bytes) -> str:
    """Strict UTF-8 (a leading byte-order mark is allowed and dropped), located on failure."""
    if len(data) > MAX_BYTES:
        raise LocatedError("D107", f"file is over {MAX_BYTES:,} bytes, the cap for one declaration")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8", errors="replace")
        line, column = position(prefix, len(prefix))
        raise LocatedError(
            "D101",
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            line,
            column,
        ) from None
    return text.removeprefix("\ufeff")


# Every ASCII character a declaration may hold: tab, line breaks and the printable ones.
_ASCII_ALLOWED = bytes([9, 10, 13, *range(32, 127)])
# The same, plus every UTF-8 byte except the lead bytes of the forbidden non-ASCII characters:
# C2 (C1 controls), E2 (U+2028/2029, bidi), EF (U+FFFE/FFFF), ED (surrogates).
_UTF8_ALLOWED = _ASCII_ALLOWED + bytes(
    b for b in range(0x80, 0x100) if b not in b"\xc2\xe2\xef\xed"
)


def _forbidden(text: str, base: tuple[int, int] | None = None) -> None:
    # The common case in one C pass instead of a regular expression: nothing is left once the
    # allowed bytes are deleted. Otherwise (a lead byte shared with allowed text, such as the
    # E2 of a typographic apostrophe) the expression decides.
    if text.isascii():
        if not text.encode("ascii").translate(None, _ASCII_ALLOWED):
            return
    elif not text.encode("utf-8", "surrogatepass").translate(None, _UTF8_ALLOWED):
        return
    match = FORBIDDEN.search(text)
    if match is None:
        return
    char = match.group()
    line, column = base if base is not None else position(text, match.start())
    raise LocatedError(
        "D106",
        f"forbidden character U+{ord(char):04X} (control, bidi override or non-character): "
        "it can hide what the text says",
        line,
        column,
    )


def _check_node_properties(text: str) -> None:
    """Refuse the first tag, anchor or alias in the file, located, from libyaml's events.

    Called only once a node with properties has been seen (or a syntax error may hide one), so
    the common file never pays for a second parse. Every event is looked at, scalars and keys
    included, so no spelling of a property gets through.
    """
    for event in yaml.parse(text, Loader=yaml.CBaseLoader):
        mark = event.start_mark
        where = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        if isinstance(event, yaml.AliasEvent):
            raise LocatedError(
                "D105",
                f"alias *{event.anchor} refused: write the value out where it is used",
                *where,
            )
        anchor = getattr(event, "anchor", None)
        tag = getattr(event, "tag", None)
        # A node may carry both; name the one written first (libyaml gives one mark for both).
        tag_first = (
            tag is not None and mark is not None and text[mark.index : mark.index + 1] == "!"
        )
        if anchor is not None and not tag_first:
            raise LocatedError(
                "D105",
                f"anchor &{anchor} refused: anchors, aliases and merge keys hide "
                "what a value is; write each value out",
                *where,
            )
        if tag is not None:
            shown = "!!" + tag.removeprefix(_YAML_TAG) if tag.startswith(_YAML_TAG) else tag
            raise LocatedError(
                "D104",
                f"explicit tag {shown} refused: a value's type comes from the schema, "
                "not from the file",
                *where,
            )


def _may_need_tokens(text: str) -> bool:
    """Whether :func:`_check_tokens` could refuse something: plain ``str.find`` loops, which cost
    far less than a regular expression over the whole text (files have few ``?`` and ``#``)."""
    at = text.find("?")
    while at >= 0:
        if at == 0 or text[at - 1] in _BEFORE_KEY:
            return True
        at = text.find("?", at + 1)
    at = text.find("#", 1)
    while at > 0:
        before = at - 1
        if text[before] in _BEFORE_HASH:
            return True
        while before > 0 and text[before] in "-+0123456789":
            before -= 1
        if text[before] in "|>":
            return True
        at = text.find("#", at + 1)
    return False


def _check_tokens(text: str) -> None:
    """Refuse explicit ``?`` keys and comments glued to the token before them, from tokens.

    libyaml starts a comment at any ``#`` where a token may start, so ``"Stays here."# and
    uploads`` silently loses its second half; YAML requires a space before ``#``. In flow
    collections it reads ``?`` as an explicit key even without a space (``[?x]`` becomes
    ``[{x: null}]``), where YAML 1.2 reads the text ``?x``. Neither has a use in a declaration.
    A scanner error stops the scan: composing reports it, located.
    """
    try:
        for token in yaml.scan(text, Loader=yaml.CBaseLoader):
            start, end = token.start_mark, token.end_mark
            kind = type(token)
            if kind is yaml.KeyToken and end.index > start.index:
                raise LocatedError(
                    "D112",
                    "explicit key '?' refused: write 'key: value' (quote text that starts "
                    "with '?')",
                    start.line + 1,
                    start.column + 1,
                )
            if kind is yaml.ScalarToken and getattr(token, "style", None) in ("|", ">"):
                header = _BLOCK_HEADER.match(text, start.index)
                at = header.end() if header else start.index + 1
                after = "the block scalar header"
            else:
                at = end.index
                after = "a closing quote" if kind is yaml.ScalarToken else f"'{text[at - 1]}'"
            if at < len(text) and text[at] == "#" and at > start.index:
                line, column = position(text, at)
                raise LocatedError(
                    "D102",
                    f"'#' right after {after}: a comment needs a space before '#'; as written, "
                    "the rest of the line would be silently dropped",
                    line,
                    column,
                )
    except yaml.MarkedYAMLError:
        return


def _first_too_deep(text: str) -> tuple[int, int] | None:
    """Where the first value nested deeper than :data:`MAX_DEPTH` starts, from events.

    ``text`` is cut where libyaml gave up (its own limit is 1,000 levels, met while its scanner
    looks ahead, before any event): the part before it yields its events, then fails.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CBaseLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                mark = event.start_mark
                if depth > MAX_DEPTH and mark is not None:  # the root is depth 0, as in _Builder
                    return mark.line + 1, mark.column + 1
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError:
        return None
    return None


def _tab_problem(text: str, line: int) -> tuple[str, int] | None:
    """What a tab near the start of ``line`` (1-based) is, in an editor's words, and its column.

    libyaml (YAML 1.1) refuses tabs where YAML 1.2 allows them as separation; these are common
    editor accidents, so say which one it is rather than "syntax error".
    """
    lines = _BREAK.split(text)
    if not 0 < line <= len(lines):
        return None
    source = lines[line - 1]
    lead = len(source) - len(source.lstrip(" \t"))
    tab = source.find("\t", 0, lead)
    if tab < 0:
        return None
    rest = source[lead:]
    if not rest:
        what = "a tab-only blank line: delete the tab (YAML indents with spaces only)"
    elif rest.startswith("#"):
        what = "a tab before a comment: replace the tab with spaces (YAML indents with spaces only)"
    else:
        what = "a tab used as indentation: indent with spaces only"
    return what, tab + 1


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> LocatedError:
    """The located refusal for a file libyaml could not read, with the code it is documented
    under: a property or nesting problem before the failing point is reported as itself."""
    if "!" in text or "&" in text or "*" in text:
        # An undefined alias, a duplicate anchor or a tag libyaml chokes on are refusals of
        # properties (D104/D105), not syntax; events stop at the first of them.
        with contextlib.suppress(yaml.MarkedYAMLError):
            _check_node_properties(text)
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = exc.problem or exc.context or "invalid YAML"
    if exc.context and "single document" in exc.context:
        return LocatedError(
            "D110", "more than one YAML document: a declaration is exactly one", line, column
        )
    if "maximum nesting depth" in str(problem):
        cut = text[: mark.index] if mark is not None else text
        where = _first_too_deep(cut) or (line, column)
        return LocatedError("D107", f"nested deeper than {MAX_DEPTH} levels", *where)
    if (
        mark is not None
        and text[mark.index : mark.index + 1] == ":"
        and str(problem) in ("did not find expected node content", "did not find expected key")
    ):
        # YAML 1.2 reads ": x" and "{: x}" as a null key; libyaml's grammar cannot read them.
        return LocatedError(
            "D109", "a key is missing before ':' (an empty key is null, not text)", line, column
        )
    if "tab" in str(problem) or "cannot start any token" in str(problem):
        found = _tab_problem(text, line)
        if found is not None:
            return LocatedError("D102", found[0], line, found[1])
    return LocatedError("D102", f"YAML syntax: {problem}", line, column)


class _Composer(CParser):
    """libyaml's C composer alone, with our own answers where PyYAML's resolver would be.

    Only the C parser: a whole loader (``yaml.compose`` with a ``CBaseLoader``) would also set up
    a Python constructor and resolver that are never used, about 8 % of composing a small file.
    The base resolver would be called back from C for every node only to answer "str", "seq" or
    "map"; explicit tags never reach it and plain scalars are resolved by :class:`_Builder` with
    YAML 1.2 rules, so answering by node kind here is exactly equivalent and much faster.
    """

    _TAGS: ClassVar[dict[type, str]] = {
        yaml.ScalarNode: _STR_TAG,
        yaml.SequenceNode: "tag:yaml.org,2002:seq",
        yaml.MappingNode: "tag:yaml.org,2002:map",
    }

    # libyaml calls these two back around every node, for the path resolver that is off here.
    # Builtins that take the same arguments, (node, index) and (), and do nothing cost less
    # than a Python method each: about 5 % of composing.
    descend_resolver = staticmethod(operator.is_)
    ascend_resolver = staticmethod(tuple)

    @staticmethod
    def resolve(kind: type, value: Any, implicit: Any) -> str:
        return _Composer._TAGS[kind]


_DEFAULT_TAGS = frozenset(_Composer._TAGS.values())


def _where(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


_SCALAR = yaml.ScalarNode
_SEQUENCE = yaml.SequenceNode
_MAPPING = yaml.MappingNode
_NUMBER_START = frozenset("-+.0123456789")
# Plain scalars the core schema reads as something other than text (numbers aside).
_PLAIN: dict[str, Any] = {**dict.fromkeys(_NULLS), **_BOOL}


class _Builder:
    """Turns a composed node graph into plain Python values, refusing what hides meaning.

    ``text`` is given when the file contains ``!``, ``&`` or ``*`` (without them no tag, anchor
    or alias can exist). Then every node, keys and scalars included, is checked: libyaml starts
    a node that has properties at its first property, so a node starting with ``&`` or ``!`` is
    anchored or tagged however it was spelled (``{"b":&x c}``, ``[?&x k]``, ``!!int 5``), and an
    alias can only repeat a node already refused as anchored. The located message then comes
    from libyaml's events.

    This loop is most of what loading costs in Python, so scalars are resolved inline rather than
    by a call each, and values are counted a collection at a time (the exact place of the value
    over the cap is found again only when a file is over it).
    """

    __slots__ = ("nodes", "root", "text")

    def __init__(self, text: str | None, root: yaml.Node) -> None:
        self.nodes = 1
        self.text = text
        self.root = root

    def _properties(self, node: yaml.Node) -> None:
        text = cast(str, self.text)
        if text[node.start_mark.index] in "&!*" or node.tag not in _DEFAULT_TAGS:
            _check_node_properties(text)
            raise LocatedError(  # events always find it first; never leave it unrefused
                "D104", "explicit tag or anchor refused", *_where(node)
            )

    def _over_cap(self) -> LocatedError:
        """The value that is number ``MAX_NODES + 1`` in document order."""
        count = 0
        stack: list[yaml.Node] = [self.root]
        while stack:
            node = stack.pop()
            count += 1
            if count > MAX_NODES:
                break
            if type(node) is _SEQUENCE:
                stack.extend(reversed(node.value))
            elif type(node) is _MAPPING:
                stack.extend(v for _, v in reversed(node.value))
        return LocatedError("D107", f"more than {MAX_NODES:,} values in one file", *_where(node))

    def build(self, node: yaml.Node, depth: int) -> Any:
        kind = type(node)
        check = self.text is not None
        if check:
            self._properties(node)
        if kind is _SCALAR:
            return _scalar(cast(yaml.ScalarNode, node))
        items = node.value
        if len(items) > MAX_ITEMS:
            what = "list has" if kind is _SEQUENCE else "mapping has"
            raise LocatedError(
                "D107", f"{what} {len(items):,} entries; the cap is {MAX_ITEMS}", *_where(node)
            )
        self.nodes += len(items)
        if self.nodes > MAX_NODES:
            raise self._over_cap()
        if depth >= MAX_DEPTH and items:
            first = items[0] if kind is _SEQUENCE else items[0][1]
            raise LocatedError("D107", f"nested deeper than {MAX_DEPTH} levels", *_where(first))
        depth += 1
        if kind is _SEQUENCE:
            out: list[Any] = []
            append = out.append
            for item in items:
                if type(item) is _SCALAR and not check:
                    value = item.value
                    if item.style:
                        if item.style == '"':
                            _forbidden(value, _where(item))
                    elif value in _PLAIN:
                        value = _PLAIN[value]
                    elif value[:1] in _NUMBER_START and _NUMBER.fullmatch(value):
                        value = YamlNumber(value)
                    append(value)
                else:
                    append(self.build(item, depth))
            return out
        if kind is not _MAPPING:
            raise LocatedError("D102", "unexpected YAML node", *_where(node))
        result: dict[str, Any] = {}
        for key_node, value_node in items:
            if check:
                self._properties(key_node)
            if type(key_node) is not _SCALAR:
                raise LocatedError(
                    "D109", "a key must be text, not a list or mapping", *_where(key_node)
                )
            key = key_node.value
            if key_node.style:
                if key_node.style == '"':
                    _forbidden(key, _where(key_node))
            elif key in _PLAIN or (key[:1] in _NUMBER_START and _NUMBER.fullmatch(key)):
                shown = key or "null"
                raise LocatedError(
                    "D109", f"key {shown!r} is not text under YAML 1.2; quote it", *_where(key_node)
                )
            elif key == "<<":
                raise LocatedError(
                    "D105", "merge key << refused: write each value out", *_where(key_node)
                )
            if key in result:
                first = next(k for k, _ in items if k.value == key)
                raise LocatedError(
                    "D103",
                    f"duplicate key {key!r} (first at line {_where(first)[0]}): keep one",
                    *_where(key_node),
                )
            if type(value_node) is _SCALAR and not check:
                value = value_node.value
                if value_node.style:
                    if value_node.style == '"':
                        _forbidden(value, _where(value_node))
                elif value in _PLAIN:
                    value = _PLAIN[value]
                elif value[:1] in _NUMBER_START and _NUMBER.fullmatch(value):
                    value = YamlNumber(value)
                result[key] = value
            else:
                result[key] = self.build(value_node, depth)
        return result


def _scalar(node: yaml.ScalarNode) -> Any:
    """A scalar by the YAML 1.2 core schema: null, true/false, numbers kept as written, text."""
    value: str = node.value
    style = node.style
    if style:
        if style == '"':
            _forbidden(value, _where(node))  # escapes such as "\0" or "\u202e" decode only here
        return value
    if value in _PLAIN:
        return _PLAIN[value]
    if value[:1] in _NUMBER_START and _NUMBER.fullmatch(value):
        return YamlNumber(value)
    return value


def load(text: str) -> tuple[dict[str, Any], Marks]:
    """Parse one declaration's text into a mapping and its marks, or raise :class:`LocatedError`."""
    _forbidden(text)
    if text and text[-1] not in "\n\r":
        # Read the last line as if the file ended with a line break, as editors show it: libyaml
        # otherwise drops a literal block's final break when the last line is only spaces.
        text += "\n"
    if _may_need_tokens(text):
        _check_tokens(text)
    try:
        root = _Composer(text).get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text) from None
    except yaml.YAMLError as exc:  # reader errors carry an offset, not a mark
        raise LocatedError("D102", f"YAML: {exc}") from None
    if root is None or (
        isinstance(root, yaml.ScalarNode) and not root.style and root.value in _NULLS
    ):
        if root is not None and ("!" in text or "&" in text):
            _check_node_properties(text)
        raise LocatedError("D108", "the file is empty: a declaration is a YAML mapping")
    properties = "!" in text or "&" in text or "*" in text
    if not isinstance(root, yaml.MappingNode):
        if properties:
            _check_node_properties(text)
        mark = root.start_mark
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        raise LocatedError(
            "D108",
            f"the file holds {kind}; a declaration is a YAML mapping of keys to answers",
            mark.line + 1,
            mark.column + 1,
        )
    return _Builder(text if properties else None, root).build(root, 0), Marks(root, text)
