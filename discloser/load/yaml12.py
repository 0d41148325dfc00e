"""YAML 1.2 with source positions, and nothing that changes what a file says.

PyYAML implements YAML 1.1, where ``NO`` (Norway) is ``False``, ``030`` is 24 and ``1:30`` is 90.
A declaration must mean what it says, so we let libyaml's C parser compose nodes (that keeps
line and column marks at C speed; PyYAML's Python constructor is the slow part) and resolve
plain scalars ourselves with the YAML 1.2 core schema. Numbers stay :class:`YamlNumber`, which
keeps the text as written: a field that expects text gets ``"1.10"`` back, a field that expects
a count gets an integer, and nothing in between is guessed.

Everything that makes a file mean more than it shows is refused with a located error: explicit
tags, anchors, aliases and merge keys, duplicate keys, several documents, control and bidi
override characters. Limits (also in the README):

========================  =========
file size                 256 KiB
nesting depth             16
items in one list         256
keys in one mapping       256
nodes in one file         20,000
========================  =========
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, cast

import yaml

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
# Characters that can only start a tag, an anchor or an alias; without them the fast path is safe.
# A tag starts with "!"; an anchor or alias is "&" or "*" directly followed by its name. Where a
# token can start (line start, after a space, "[", "{" or ","), nothing else looks like them, so
# "Photos & videos" or "Try it!" stay on the fast path.
NODE_PROPERTIES = re.compile(r"(?:^|[\s\[{,])(?:!|[&*][^\s,\[\]{}])", re.M)

_NULLS = frozenset({"~", "null", "Null", "NULL", ""})
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NUMBER = re.compile(
    r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_STR_TAG = "tag:yaml.org,2002:str"


class YamlNumber:
    """A plain scalar that YAML 1.2 reads as a number, kept exactly as written.

    The model decides what it becomes: text fields take :attr:`text` unchanged, count fields
    take a decimal integer and refuse everything else (``030``, ``0x1F``, ``1e3``, ``.inf``).
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"YamlNumber({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, YamlNumber) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


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


def _forbidden(text: str, base: tuple[int, int] | None = None) -> None:
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
    """Refuse tags, anchors and aliases, located, by reading libyaml's event stream.

    Only files containing ``!``, ``&`` or ``*`` come here, so the common file pays nothing.
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
        if anchor is not None:
            raise LocatedError(
                "D105",
                f"anchor &{anchor} refused: anchors, aliases and merge keys hide "
                "what a value is; write each value out",
                *where,
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            raise LocatedError(
                "D104",
                f"explicit tag {tag} refused: a value's type comes from the schema, "
                "not from the file",
                *where,
            )


def _syntax_error(exc: yaml.MarkedYAMLError) -> LocatedError:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = exc.problem or exc.context or "invalid YAML"
    if exc.context and "single document" in exc.context:
        return LocatedError(
            "D110", "more than one YAML document: a declaration is exactly one", line, column
        )
    if "maximum nesting depth" in str(problem):
        return LocatedError("D107", f"nested deeper than {MAX_DEPTH} levels", line, column)
    return LocatedError("D102", f"YAML syntax: {problem}", line, column)


class _Composer(yaml.CBaseLoader):
    """libyaml's C composer with PyYAML's resolver switched off.

    The base resolver would be called back from C for every node only to answer "str", "seq" or
    "map"; explicit tags never reach it and plain scalars are resolved by :class:`_Builder` with
    YAML 1.2 rules, so answering by node kind here is exactly equivalent and much faster.
    """

    _TAGS: ClassVar[dict[type, str]] = {
        yaml.ScalarNode: _STR_TAG,
        yaml.SequenceNode: "tag:yaml.org,2002:seq",
        yaml.MappingNode: "tag:yaml.org,2002:map",
    }

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        return self._TAGS[kind]


def _where(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    """Turns a composed node graph into plain Python values, refusing what hides meaning."""

    __slots__ = ("nodes", "seen")

    def __init__(self) -> None:
        self.nodes = 0
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise LocatedError("D107", f"more than {MAX_NODES:,} values in one file", *_where(node))
        if depth > MAX_DEPTH:
            raise LocatedError("D107", f"nested deeper than {MAX_DEPTH} levels", *_where(node))
        kind = type(node)
        if kind is yaml.ScalarNode:
            return _scalar(cast(yaml.ScalarNode, node))
        # An alias composes to the very same node object: meeting one twice means an alias,
        # which also stops a billion-laughs graph before it is walked.
        if id(node) in self.seen:
            raise LocatedError("D105", "alias refused: write each value out", *_where(node))
        self.seen.add(id(node))
        items = node.value
        if len(items) > MAX_ITEMS:
            what = "list has" if kind is yaml.SequenceNode else "mapping has"
            raise LocatedError(
                "D107", f"{what} {len(items):,} entries; the cap is {MAX_ITEMS}", *_where(node)
            )
        if kind is yaml.SequenceNode:
            return [self.build(item, depth + 1) for item in items]
        if kind is not yaml.MappingNode:
            raise LocatedError("D102", "unexpected YAML node", *_where(node))
        result: dict[str, Any] = {}
        for key_node, value_node in items:
            if type(key_node) is not yaml.ScalarNode:
                raise LocatedError(
                    "D109", "a key must be text, not a list or mapping", *_where(key_node)
                )
            key = _scalar(key_node)
            if type(key) is not str:
                shown = key.text if isinstance(key, YamlNumber) else key_node.value or "null"
                raise LocatedError(
                    "D109", f"key {shown!r} is not text under YAML 1.2; quote it", *_where(key_node)
                )
            if key == "<<" and not key_node.style:
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
            result[key] = self.build(value_node, depth + 1)
        return result


def _scalar(node: yaml.ScalarNode) -> Any:
    """A scalar by the YAML 1.2 core schema: null, true/false, numbers kept as written, text."""
    value: str = node.value
    style = node.style
    if style:
        if style == '"':
            _forbidden(value, _where(node))  # escapes such as "\0" or "\u202e" decode only here
        return value
    if node.tag != _STR_TAG:
        return value
    if value in _NULLS:
        return None
    if value in _BOOL:
        return _BOOL[value]
    if value[:1] in "-+.0123456789" and _NUMBER.fullmatch(value):
        return YamlNumber(value)
    return value


def load(text: str) -> tuple[dict[str, Any], Marks]:
    """Parse one declaration's text into a mapping and its marks, or raise :class:`LocatedError`."""
    _forbidden(text)
    if NODE_PROPERTIES.search(text):
        try:
            _check_node_properties(text)
        except yaml.MarkedYAMLError as exc:
            raise _syntax_error(exc) from None
    try:
        root = yaml.compose(text, Loader=_Composer)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc) from None
    except yaml.YAMLError as exc:  # reader errors carry an offset, not a mark
        raise LocatedError("D102", f"YAML: {exc}") from None
    if root is None or (
        isinstance(root, yaml.ScalarNode) and not root.style and root.value in _NULLS
    ):
        raise LocatedError("D108", "the file is empty: a declaration is a YAML mapping")
    if not isinstance(root, yaml.MappingNode):
        mark = root.start_mark
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        raise LocatedError(
            "D108",
            f"the file holds {kind}; a declaration is a YAML mapping of keys to answers",
            mark.line + 1,
            mark.column + 1,
        )
    return _Builder().build(root, 0), Marks(root, text)
