"""Which grammar reads which file, and the few node types each grammar names differently.

Grammars are the tree-sitter project's own wheels (one small package per language, loaded
only when a file of that language is met), so nothing is downloaded at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Parser


@dataclass(frozen=True)
class Grammar:
    """What the scanner must know of a grammar: where comments, strings and imports are."""

    name: str
    module: str
    function: str
    family: str  # qualified (kotlin, java) | module (swift, objc, dart) | js | html
    comments: frozenset[str]
    strings: frozenset[str]
    imports: frozenset[str]
    elements: frozenset[str] = frozenset()


_C = frozenset(
    {"comment", "line_comment", "block_comment", "multiline_comment", "documentation_comment"}
)

GRAMMARS: dict[str, Grammar] = {
    "swift": Grammar(
        "swift",
        "tree_sitter_swift",
        "language",
        "module",
        _C,
        frozenset({"line_string_literal", "multi_line_string_literal", "raw_string_literal"}),
        frozenset({"import_declaration"}),
    ),
    "objc": Grammar(
        "objc",
        "tree_sitter_objc",
        "language",
        "module",
        _C,
        frozenset({"string_literal", "system_lib_string", "char_literal"}),
        frozenset({"module_import", "preproc_include"}),
    ),
    "kotlin": Grammar(
        "kotlin",
        "tree_sitter_kotlin",
        "language",
        "qualified",
        _C,
        frozenset({"string_literal", "multiline_string_literal", "character_literal"}),
        frozenset({"import", "import_header", "package_header"}),
    ),
    "java": Grammar(
        "java",
        "tree_sitter_java",
        "language",
        "qualified",
        _C,
        frozenset({"string_literal", "character_literal", "text_block"}),
        frozenset({"import_declaration", "package_declaration"}),
    ),
    "javascript": Grammar(
        "javascript",
        "tree_sitter_javascript",
        "language",
        "js",
        _C,
        frozenset({"string", "template_string", "regex"}),
        frozenset({"import_statement"}),
        frozenset({"jsx_opening_element", "jsx_self_closing_element"}),
    ),
    "typescript": Grammar(
        "typescript",
        "tree_sitter_typescript",
        "language_typescript",
        "js",
        _C,
        frozenset({"string", "template_string", "regex"}),
        frozenset({"import_statement"}),
    ),
    "tsx": Grammar(
        "tsx",
        "tree_sitter_typescript",
        "language_tsx",
        "js",
        _C,
        frozenset({"string", "template_string", "regex"}),
        frozenset({"import_statement"}),
        frozenset({"jsx_opening_element", "jsx_self_closing_element"}),
    ),
    "dart": Grammar(
        "dart",
        "tree_sitter_dart",
        "language",
        "module",
        _C,
        frozenset({"string_literal"}),
        frozenset({"import_or_export", "part_directive", "library_name"}),
    ),
    "html": Grammar(
        "html",
        "tree_sitter_html",
        "language",
        "html",
        frozenset({"comment"}),
        frozenset({"raw_text"}),
        frozenset(),
        frozenset({"start_tag", "self_closing_tag"}),
    ),
}

EXTENSIONS: dict[str, str] = {
    ".swift": "swift",
    ".m": "objc",
    ".mm": "objc",
    ".h": "objc",
    ".kt": "kotlin",
    ".kts": "kotlin",
    ".java": "java",
    ".js": "javascript",
    ".jsx": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".ts": "typescript",
    ".mts": "typescript",
    ".tsx": "tsx",
    ".dart": "dart",
    ".html": "html",
    ".htm": "html",
}


@cache
def parser(language: str) -> Parser:
    """A parser for one language, built once per process."""
    import importlib

    from tree_sitter import Language, Parser

    g = GRAMMARS[language]
    return Parser(Language(getattr(importlib.import_module(g.module), g.function)()))
