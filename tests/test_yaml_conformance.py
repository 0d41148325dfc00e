"""The loader against YAML 1.2.2, production by production, and against every refusal it promises.

Each row is a small document written from a production or example of the YAML 1.2.2 spec (the
chapter is in the id), or one of the probes that once slipped through the loader (issue 10), with
either the data a person reading the file sees, or the refusal they must get: code, line and
column. Numbers are compared as :class:`YamlNumber` (the text as written), because that is what
the model receives. Every row goes through the library; one row of each refusal code, and a
sample of the accepted ones, also go through the CLI as a process, as a pipeline runs it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from discloser.errors import LocatedError
from discloser.load.yaml12 import YamlNumber, load

N = YamlNumber


@dataclass(frozen=True)
class Row:
    """A snippet and what it must become: ``data``, or the refusal ``(code, line, column)``."""

    id: str
    text: str
    data: Any = None
    refused: tuple[str, int, int] | None = None


def ok(id_: str, text: str, data: Any) -> Row:
    return Row(id_, text, data=data)


def no(id_: str, text: str, code: str, line: int, column: int) -> Row:
    return Row(id_, text, refused=(code, line, column))


ROWS: list[Row] = [
    # ------------------------------------------------------------ 2: preview, block collections
    ok("2.1-block-sequence", "a:\n- x\n- y\n", {"a": ["x", "y"]}),
    ok("2.1-indented-sequence", "a:\n  - x\n  - y\n", {"a": ["x", "y"]}),
    ok("2.2-mapping-scalars", "hr: 65\navg: 0.278\n", {"hr": N("65"), "avg": N("0.278")}),
    ok("2.3-mapping-of-sequences", "a:\n- x\nb:\n- y\n", {"a": ["x"], "b": ["y"]}),
    ok("2.4-sequence-of-mappings", "a:\n- n: x\n  h: 1\n", {"a": [{"n": "x", "h": N("1")}]}),
    ok("2.5-sequence-of-sequences", "a:\n- [x, 1]\n", {"a": [["x", N("1")]]}),
    ok("2.6-mapping-of-mappings", "a: {h: 1, b: 2}\n", {"a": {"h": N("1"), "b": N("2")}}),
    ok("2.10-comments", "# top\na: x # after\n# end\n", {"a": "x"}),
    ok("2.11-nested-compact", "a:\n- - x\n  - y\n", {"a": [["x", "y"]]}),
    ok("2.12-compact-mapping", "a:\n- b: 1\n  c: 2\n", {"a": [{"b": N("1"), "c": N("2")}]}),
    ok("2.13-literal", "a: |\n  x\n  y\n", {"a": "x\ny\n"}),
    ok("2.14-folded", "a: >\n  x\n  y\n", {"a": "x y\n"}),
    ok("2.15-folded-more-indented", "a: >\n x\n  y\n z\n", {"a": "x\n y\nz\n"}),
    ok("2.16-quoted-in-mapping", "a: \"x y\"\nb: 'z'\n", {"a": "x y", "b": "z"}),
    ok("2.17-double-escapes", 'a: "\\u263A\\x0d\\x0a \\t"\n', {"a": "\u263a\r\n \t"}),
    ok("2.17-single-quote-escape", "a: 'It''s'\n", {"a": "It's"}),
    ok("2.18-multi-line-plain", "a: x\n  y\n", {"a": "x y"}),
    ok("2.18-multi-line-quoted", 'a: "x\n  y"\n', {"a": "x y"}),
    # ------------------------------------------------------------ 5: characters
    ok("5.2-bom-dropped", "\ufeffa: x\n", {"a": "x"}),
    ok("5.3-indicators-inside-plain", "a: x-y:z?w\n", {"a": "x-y:z?w"}),
    ok("5.4-flow-indicators-in-quotes", 'a: "[{,}]"\n', {"a": "[{,}]"}),
    ok("5.5-comment-only-lines", "# c\n\n# c\na: x\n", {"a": "x"}),
    ok("5.7-line-break-crlf", "a: x\r\nb: y\r\n", {"a": "x", "b": "y"}),
    ok("5.7-line-break-cr", "a: x\rb: y\r", {"a": "x", "b": "y"}),
    ok("5.8-quoted-hash", "a: '#x'\nb: \"#y\"\n", {"a": "#x", "b": "#y"}),
    ok("5.8-hash-inside-plain", "a: C#x\n", {"a": "C#x"}),
    ok("5.12-tab-in-quoted", 'a: "x\ty"\n', {"a": "x\ty"}),
    ok("5.12-tab-separating-value", "a:\tx\n", {"a": "x"}),
    ok("5.12-tab-before-trailing-comment", "a: x\t# c\n", {"a": "x"}),
    ok("5.13-escape-null-is-refused-later", 'a: "\\\\0"\n', {"a": "\\0"}),
    ok("5.13-escaped-line-break", 'a: "x\\\n  y"\n', {"a": "xy"}),
    ok("5.13-escape-slash", 'a: "\\/"\n', {"a": "/"}),
    ok("5.13-escape-unicode-32", 'a: "\\U0001F600"\n', {"a": "\U0001f600"}),
    ok("5.13-escape-nbsp", 'a: "\\_"\n', {"a": "\u00a0"}),
    no("5.14-invalid-escape", 'a: "\\c"\n', "D102", 1, 5),
    no("5.1-control-nul", "a: x\x00\n", "D106", 1, 5),
    no("5.1-control-escape", "a: x\x1b[31m\n", "D106", 1, 5),
    no("5.1-c1-control", "a: x\x85y\n", "D106", 1, 5),
    no("5.1-escaped-nul", 'a: "x\\0y"\n', "D106", 1, 4),
    no("5.1-escaped-bidi-override", 'a: "x\\u202ey"\n', "D106", 1, 4),
    no("5.1-bidi-isolate", "a: x\u2066y\n", "D106", 1, 5),
    no("5.1-line-separator", "a: x\u2028y\n", "D106", 1, 5),
    no("5.1-non-character", "a: x\ufffe\n", "D106", 1, 5),
    no("5.1-delete", "a: x\x7f\n", "D106", 1, 5),
    # ------------------------------------------------------------ 6: structure, comments
    ok("6.1-indentation-spaces", "a:\n    b:\n        c: x\n", {"a": {"b": {"c": "x"}}}),
    ok("6.4-line-prefix-plain", "a: x\n   y\n     z\n", {"a": "x y z"}),
    ok("6.5-empty-lines-fold", "a: x\n\n  y\n", {"a": "x\ny"}),
    ok("6.6-flow-folding-quoted", 'a: " x\n\n  y "\n', {"a": " x\ny "}),
    ok("6.9-separated-comment", "a: x  # c\n", {"a": "x"}),
    ok("6.10-comment-lines-only-around", "\n# c\n  # c\na: x\n\n", {"a": "x"}),
    ok("6.11-multi-line-comments", "a: # c\n  # c\n  x\n", {"a": "x"}),
    ok("6.12-separation-in-flow", "a: { b : [ x ,y ] }\n", {"a": {"b": ["x", "y"]}}),
    ok("6.13-yaml-directive", "%YAML 1.2\n---\na: x\n", {"a": "x"}),
    ok("6.13-yaml-directive-1.1", "%YAML 1.1\n---\na: x\n", {"a": "x"}),
    no("6.16-tag-directive-then-tag", "%TAG ! tag:yaml.org,2002:\n---\na: !str x\n", "D104", 3, 4),
    no("6.20-verbatim-tag", "a: !<tag:yaml.org,2002:str> x\n", "D104", 1, 4),
    no("6.21-local-tag", "a: !local x\n", "D104", 1, 4),
    no("6.23-tag-on-key", "!!str a: x\n", "D104", 1, 1),
    no("6.24-secondary-tag-int", "a: !!int 5\n", "D104", 1, 4),
    no("6.24-tag-on-quoted", 'a: !!int "30"\n', "D104", 1, 4),
    no("6.24-binary-tag", "a: !!binary aGk=\n", "D104", 1, 4),
    no("6.26-python-tag", "a: !!python/object/apply:os.system [ls]\n", "D104", 1, 4),
    no("6.28-non-specific-tag", "a: ! x\n", "D104", 1, 4),
    no("6.28-non-specific-tag-on-list", "a: ! [x]\n", "D104", 1, 4),
    no("6.28-tag-on-mapping", "a: !!map\n  b: c\n", "D104", 1, 4),
    no("6.28-tag-on-sequence-item", "a:\n- !!str x\n", "D104", 2, 3),
    no("6.29-anchor", "a: &x v\n", "D105", 1, 4),
    no("6.29-anchor-on-key", "&x a: v\n", "D105", 1, 1),
    no("6.29-anchor-on-mapping", "a: &x\n  b: c\n", "D105", 1, 4),
    no("6.29-anchor-and-tag", "a: &x !!str v\n", "D105", 1, 4),
    no("6.29-tag-and-anchor", "a: !!str &x v\n", "D104", 1, 4),
    no("6.29-alias-undefined", "a: *x\n", "D105", 1, 4),
    no("6.29-duplicate-anchor", "a: &x 1\nb: &x 2\n", "D105", 1, 4),
    no("6.29-empty-anchored-value", "a: &x\nb: c\n", "D105", 1, 4),
    # ------------------------------------------------------------ 7: flow styles
    ok("7.1-alias-word-in-plain", "a: x*y &z\n", {"a": "x*y &z"}),
    ok("7.1-ampersand-in-text", "a: Photos & videos\n", {"a": "Photos & videos"}),
    ok("7.1-bang-in-text", "a: Try it!\n", {"a": "Try it!"}),
    ok("7.1-star-in-quoted", "a: '*x'\nb: \"&y\"\nc: '!z'\n", {"a": "*x", "b": "&y", "c": "!z"}),
    ok("7.2-empty-value", "a:\n", {"a": None}),
    ok("7.4-double-quoted-implicit-key", '"a b": x\n', {"a b": "x"}),
    ok("7.5-double-quoted-line-breaks", 'a: "x\n\n  y"\n', {"a": "x\ny"}),
    ok("7.6-double-quoted-lines", 'a: " 1st\n  2nd "\n', {"a": " 1st 2nd "}),
    ok("7.7-single-quoted", "a: 'here''s to \"quotes\"'\n", {"a": 'here\'s to "quotes"'}),
    ok("7.8-single-quoted-key", "'a': x\n", {"a": "x"}),
    ok("7.9-single-quoted-lines", "a: ' 1st\n\n  2nd '\n", {"a": " 1st\n2nd "}),
    ok(
        "7.10-plain-characters",
        "a: ::vector\nb: -123\nc: ': - ()'\n",
        {
            "a": "::vector",
            "b": N("-123"),
            "c": ": - ()",
        },
    ),
    ok("7.10-plain-url", "a: http://a.b/c?d=e#f\n", {"a": "http://a.b/c?d=e#f"}),
    ok("7.11-plain-implicit-keys", "a b: x\n", {"a b": "x"}),
    ok("7.12-plain-lines", "a: 1st\n  2nd\n\n  3rd\n", {"a": "1st 2nd\n3rd"}),
    ok("7.13-flow-sequence", "a: [x, y]\n", {"a": ["x", "y"]}),
    ok("7.13-flow-sequence-empty", "a: []\n", {"a": []}),
    ok("7.13-flow-sequence-trailing-comma", "a: [x, y, ]\n", {"a": ["x", "y"]}),
    ok("7.13-flow-sequence-multi-line", "a: [\n  x,\n  y\n]\n", {"a": ["x", "y"]}),
    ok("7.14-flow-sequence-entries", "a: [\"x\", 'y', z, [w]]\n", {"a": ["x", "y", "z", ["w"]]}),
    ok("7.15-flow-mapping", "a: {b: c, d: e}\n", {"a": {"b": "c", "d": "e"}}),
    ok("7.15-flow-mapping-empty", "a: {}\n", {"a": {}}),
    ok("7.15-flow-mapping-trailing-comma", "a: {b: c,}\n", {"a": {"b": "c"}}),
    ok("7.16-flow-mapping-empty-value", "a: {b: , c: d}\n", {"a": {"b": None, "c": "d"}}),
    ok("7.17-flow-mapping-key-only", "a: {b, c: d}\n", {"a": {"b": None, "c": "d"}}),
    ok("7.18-json-like-key-no-space", 'a: {"b":c}\n', {"a": {"b": "c"}}),
    ok("7.18-json-like-key-quoted-value", 'a: {"b":"c"}\n', {"a": {"b": "c"}}),
    ok("7.18-plain-key-colon-in-flow", "a: {b: http://c}\n", {"a": {"b": "http://c"}}),
    ok("7.19-single-pair-implicit", "a: [b: c]\n", {"a": [{"b": "c"}]}),
    ok("7.21-single-pair-json-key", 'a: ["b": c]\n', {"a": [{"b": "c"}]}),
    ok("7.23-flow-content", "a: [[x], {b: c}, 'd', e]\n", {"a": [["x"], {"b": "c"}, "d", "e"]}),
    ok("7.24-flow-multi-line-mapping", "a: {\n  b: c,\n  d: e\n}\n", {"a": {"b": "c", "d": "e"}}),
    no("7.17-explicit-key-in-flow-mapping", "a: {? b: c}\n", "D112", 1, 5),
    no("7.17-question-glued-in-flow-mapping", "a: { ?foo: bar }\n", "D112", 1, 6),
    no("7.20-explicit-single-pair", "a: [? b : c]\n", "D112", 1, 5),
    no("7.20-question-glued-in-sequence", "a: [?x]\n", "D112", 1, 5),
    no("7.20-explicit-key-anchored", "a: [?&x k, ?*x]\n", "D112", 1, 5),
    no("7.20-explicit-key-anchored-map", "a: {?&x k: v}\n", "D112", 1, 5),
    no("7.3-anchor-after-json-key", 'a: {"b":&x c, "d":*x}\n', "D105", 1, 9),
    no("7.3-anchor-after-single-quoted-key", "a: {'b':&x c, 'd':*x}\n", "D105", 1, 9),
    no("7.3-anchor-in-single-pair", 'a: ["k":&x v, "j":*x]\n', "D105", 1, 9),
    no("7.3-tag-after-json-key", 'a: {"b":!!int 5}\n', "D104", 1, 9),
    no("7.3-tag-after-flow-comma", "a: [x,!!int 5]\n", "D104", 1, 7),
    no("7.3-anchor-after-flow-start", "a: [&x y]\n", "D105", 1, 5),
    no(
        "7.3-consent-flip-by-alias",
        "advertising: {'targeting':&no false, 'measurement':*no, 'profiling':*no}\n",
        "D105",
        1,
        27,
    ),
    no("7.4-glued-comment-after-double-quote", 'a: "x."# and more\n', "D102", 1, 8),
    no("7.4-glued-comment-after-single-quote", "a: 'x.'# and more\n", "D102", 1, 8),
    no("7.4-glued-comment-after-flow-end", "a: [x]# c\n", "D102", 1, 7),
    no("7.4-glued-comment-after-flow-map-end", "a: {b: c}# d\n", "D102", 1, 10),
    no("7.4-glued-comment-after-comma", "a: [x,# c\n  y]\n", "D102", 1, 7),
    no("7.4-glued-comment-after-flow-start", "a: [# c\n  y]\n", "D102", 1, 5),
    no("7.4-glued-comment-in-quoted-key", '"a"# c\n', "D102", 1, 4),
    no(
        "7.4-glued-summary",
        'summary: "Stays on your phone."# and uploads a copy to our servers\n',
        "D102",
        1,
        32,
    ),
    no("7.4-text-glued-to-quote", 'a: "x"y\n', "D102", 1, 7),
    no("7.5-unterminated-double-quote", 'a: "x\n', "D102", 2, 1),
    no("7.5-unterminated-flow", "a: [x, y\n", "D102", 2, 1),
    # ------------------------------------------------------------ 8: block styles
    ok("8.1-literal-keep", "a: |+\n  x\n\n", {"a": "x\n\n"}),
    ok("8.1-literal-strip", "a: |-\n  x\n\n", {"a": "x"}),
    ok("8.1-literal-clip", "a: |\n  x\n\n", {"a": "x\n"}),
    ok("8.2-indentation-indicator", "a: |2\n    x\n  y\n", {"a": "  x\ny\n"}),
    ok("8.2-indicator-and-chomp", "a: |1-\n  x\n", {"a": " x"}),
    ok("8.2-chomp-and-indicator", "a: >+2\n   x\n\n", {"a": " x\n\n"}),
    ok("8.4-header-comment", "a: | # c\n  x\n", {"a": "x\n"}),
    ok("8.5-chomping-trailing-comments", "a: |\n  x\n# c\n", {"a": "x\n"}),
    ok("8.6-empty-literal-clip", "a: |\nb: c\n", {"a": "", "b": "c"}),
    ok("8.6-empty-literal-keep", "a: |+\n\nb: c\n", {"a": "\n", "b": "c"}),
    ok("8.8-literal-content", "a: |\n\n  x\n   \n  y\n", {"a": "\nx\n \ny\n"}),
    ok("8.9-folded", "a: >\n  x\n\n  y\n", {"a": "x\ny\n"}),
    ok("8.10-folded-more-indented", "a: >\n  x\n    y\n  z\n", {"a": "x\n  y\nz\n"}),
    ok("8.10-folded-keep", "a: >+\n  x\n\n", {"a": "x\n\n"}),
    ok("8.10-folded-strip", "a: >-\n  x\n  y\n", {"a": "x y"}),
    ok("8.10-hash-in-block-content", "a: |\n  # not a comment\n", {"a": "# not a comment\n"}),
    ok("8.10-literal-last-line-spaces-at-eof", "foo: |\n  x\n   ", {"foo": "x\n \n"}),
    ok("8.10-literal-final-break-at-eof", "foo: |\n  x\n  ", {"foo": "x\n"}),
    ok("8.10-literal-no-final-newline", "foo: |\n  x", {"foo": "x\n"}),
    ok("8.10-plain-no-final-newline", "a: x", {"a": "x"}),
    no("8.4-glued-comment-after-folded", "block: ># comment\n  text\n", "D102", 1, 9),
    no("8.4-glued-comment-after-literal-chomp", "a: |-# c\n  x\n", "D102", 1, 6),
    no("8.4-glued-comment-after-indicator", "a: |2# c\n  x\n", "D102", 1, 6),
    ok("8.14-block-sequence-nested", "a:\n- x\n-\n  - y\n", {"a": ["x", ["y"]]}),
    ok("8.15-block-sequence-entry-types", "a:\n- # c\n  x\n- |\n  y\n", {"a": ["x", "y\n"]}),
    ok("8.15-block-sequence-empty-entry", "a:\n-\n- x\n", {"a": [None, "x"]}),
    ok("8.16-block-mapping", "a:\n  b: c\n", {"a": {"b": "c"}}),
    ok("8.18-implicit-keys", "a: b\n'c': d\n\"e\": f\n", {"a": "b", "c": "d", "e": "f"}),
    ok("8.19-compact-mapping-in-sequence", "a:\n- b: c\n  d: e\n", {"a": [{"b": "c", "d": "e"}]}),
    ok("8.20-block-node-types", 'a:\n  -\n    "x"\n  - >-\n   y\n', {"a": ["x", "y"]}),
    ok("8.22-block-collection-nodes", "a:\n - x\nb:\n  c: d\n", {"a": ["x"], "b": {"c": "d"}}),
    no("8.17-explicit-block-key", "? a\n: b\n", "D112", 1, 1),
    no("8.17-explicit-block-key-nested", "a:\n  ? b\n  : c\n", "D112", 2, 3),
    no("8.18-complex-key-flow", "[a, b]: c\n", "D109", 1, 1),
    no("8.18-complex-key-mapping", "{a: b}: c\n", "D109", 1, 1),
    no("8.19-merge-key", "a:\n  <<: {b: c}\n", "D105", 2, 3),
    # ------------------------------------------------------------ 9: streams and documents
    ok("9.1-document-start", "---\na: x\n", {"a": "x"}),
    ok("9.2-document-end", "a: x\n...\n", {"a": "x"}),
    ok("9.2-document-markers-and-comments", "# c\n--- # c\na: x\n... # c\n", {"a": "x"}),
    no("9.3-two-documents", "a: x\n---\nb: y\n", "D110", 2, 1),
    no("9.3-end-then-document", "a: x\n...\n---\nb: y\n", "D110", 3, 1),
    no("9.3-empty-second-document", "a: x\n---\n", "D110", 2, 1),
    no("9.5-empty-stream", "", "D108", 1, 1),
    no("9.5-comment-only", "# only a comment\n", "D108", 1, 1),
    no("9.5-null-document", "~\n", "D108", 1, 1),
    no("9.5-bare-document-marker", "---\n", "D108", 1, 1),
    no("9.5-top-level-sequence", "- a\n", "D108", 1, 1),
    no("9.5-top-level-scalar", "just text\n", "D108", 1, 1),
    no("9.5-top-level-anchored-scalar", "&x text\n", "D105", 1, 1),
    # ------------------------------------------------------------ 10: the core schema
    ok("10.2-null-forms", "a: ~\nb: null\nc: Null\nd: NULL\ne:\n", dict.fromkeys("abcde")),
    ok("10.2-null-quoted-is-text", "a: 'null'\nb: \"~\"\n", {"a": "null", "b": "~"}),
    ok(
        "10.2-null-like-words", "a: nil\nb: none\nc: NUll\n", {"a": "nil", "b": "none", "c": "NUll"}
    ),
    ok(
        "10.2-booleans",
        "a: true\nb: True\nc: TRUE\nd: false\ne: False\nf: FALSE\n",
        {"a": True, "b": True, "c": True, "d": False, "e": False, "f": False},
    ),
    ok(
        "10.2-yaml-1.1-booleans-are-text",
        "a: yes\nb: no\nc: on\nd: off\ne: y\nf: n\ng: NO\nh: Yes\n",
        {"a": "yes", "b": "no", "c": "on", "d": "off", "e": "y", "f": "n", "g": "NO", "h": "Yes"},
    ),
    ok("10.2-boolean-like-words", "a: tRUE\nb: 'true'\n", {"a": "tRUE", "b": "true"}),
    ok("10.3-int-decimal", "a: 0\nb: -19\nc: +12\n", {"a": N("0"), "b": N("-19"), "c": N("+12")}),
    ok("10.3-int-octal", "a: 0o14\n", {"a": N("0o14")}),
    ok("10.3-int-hex", "a: 0xC\n", {"a": N("0xC")}),
    ok("10.3-int-leading-zero", "a: 030\nb: 08\n", {"a": N("030"), "b": N("08")}),
    ok(
        "10.3-float-forms",
        "a: 1.10\nb: .5\nc: 1e3\nd: -1.5E-3\n",
        {
            "a": N("1.10"),
            "b": N(".5"),
            "c": N("1e3"),
            "d": N("-1.5E-3"),
        },
    ),
    ok(
        "10.3-float-special",
        "a: .inf\nb: -.Inf\nc: .NaN\n",
        {
            "a": N(".inf"),
            "b": N("-.Inf"),
            "c": N(".NaN"),
        },
    ),
    ok("10.3-yaml-1.1-sexagesimal-is-text", "a: 1:30\n", {"a": "1:30"}),
    ok("10.3-yaml-1.1-binary-is-text", "a: 0b101\n", {"a": "0b101"}),
    ok("10.3-underscored-number-is-text", "a: 1_000\n", {"a": "1_000"}),
    ok("10.3-dates-are-text", "a: 2026-03-01\n", {"a": "2026-03-01"}),
    ok("10.3-quoted-number-is-text", "a: '30'\nb: \"1.10\"\n", {"a": "30", "b": "1.10"}),
    ok("10.3-version-like-is-text", "a: 1.2.3\n", {"a": "1.2.3"}),
    ok("10.3-number-with-text-is-text", "a: 30 days\n", {"a": "30 days"}),
    no("10.3-number-key", "1: x\n", "D109", 1, 1),
    no("10.3-float-key", "1.5: x\n", "D109", 1, 1),
    no("10.2-null-key", "~: x\n", "D109", 1, 1),
    # An empty key is YAML 1.2 (a null key); libyaml cannot read it: refused as a null key.
    no("10.2-empty-key", ": x\n", "D109", 1, 1),
    no("10.2-empty-key-in-flow-mapping", "a: {: b}\n", "D109", 1, 5),
    no("10.2-empty-key-in-flow-pair", "a: [ : b]\n", "D109", 1, 6),
    no("7.4-empty-flow-entry", "a: [b,,c]\n", "D102", 1, 7),
    no("8.22-sequence-after-value-on-one-line", "a: - b\n", "D102", 1, 4),
    ok("7.4-multi-line-plain-in-flow", "a: [b\n  c]\n", {"a": ["b c"]}),
    ok("7.4-space-before-colon-json-key", 'a: {"b" : c}\n', {"a": {"b": "c"}}),
    ok("7.4-colon-inside-plain-in-flow", "a: [b:c]\n", {"a": ["b:c"]}),
    no("10.2-boolean-key", "true: x\n", "D109", 1, 1),
    ok("10.2-quoted-number-key", "'1': x\n", {"1": "x"}),
    ok("10.2-yes-key-is-text", "yes: x\n", {"yes": "x"}),
    # ------------------------------------------------------------ the loader's own refusals
    no("own-duplicate-key", "a: x\nb: y\na: z\n", "D103", 3, 1),
    no("own-duplicate-key-quoted", "a: x\n'a': y\n", "D103", 2, 1),
    no("own-duplicate-key-flow", "a: {b: 1, b: 2}\n", "D103", 1, 11),
    no("own-nested-17-flow", "a: " + "[" * 17 + "]" * 17 + "\n", "D107", 1, 20),
    no("own-nested-1000-flow", "a: " + "[" * 1000 + "]" * 1000 + "\n", "D107", 1, 20),
    no("own-nested-1000-flow-mappings", "a: " + "{b: " * 1000 + "c" + "}" * 1000, "D107", 1, 68),
    no("own-list-over-cap", "a: [" + ", ".join(["x"] * 257) + "]\n", "D107", 1, 4),
    no("own-tab-before-comment", "a: x\n\t# c\n", "D102", 2, 1),
    no("own-tab-only-blank-line", "a: x\n\t\nb: y\n", "D102", 2, 1),
    no("own-tab-as-indentation", "a:\n\tb: x\n", "D102", 2, 1),
    ok("own-spaces-then-tab-before-comment", "a: x\n  \t# c\n", {"a": "x"}),
]


def outcome(text: str) -> tuple[str, Any]:
    try:
        data, _ = load(text)
    except LocatedError as exc:
        return "refused", (exc.code, exc.line, exc.column)
    return "data", data


def test_the_table_is_large_and_ids_are_unique() -> None:
    assert len(ROWS) >= 150
    assert len({r.id for r in ROWS}) == len(ROWS)


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_row(row: Row) -> None:
    if row.refused is None:
        assert outcome(row.text) == ("data", row.data)
    else:
        assert outcome(row.text) == ("refused", row.refused)


def _cli_sample() -> list[Row]:
    """One row per refusal code, plus every fifth accepted row."""
    seen: set[str] = set()
    sample = []
    accepted = [r for r in ROWS if r.refused is None]
    for row in ROWS:
        if row.refused is not None and row.refused[0] not in seen:
            seen.add(row.refused[0])
            sample.append(row)
    return sample + accepted[::5]


@pytest.mark.parametrize("row", _cli_sample(), ids=[r.id for r in _cli_sample()])
def test_row_through_the_cli(row: Row, tmp_path: Path) -> None:
    """The refusal a person sees in CI: exit 1, the code at line:column, never a traceback.

    An accepted snippet is not a declaration, so it fails the schema (D2xx) but never a
    reading check (D1xx): what was read is what was written.
    """
    path = tmp_path / "x.yaml"
    path.write_text(row.text, encoding="utf-8", newline="")
    proc = subprocess.run(
        [sys.executable, "-m", "discloser", "validate", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    codes = [(f["code"], f["line"], f["column"]) for f in findings]
    if row.refused is not None:
        assert codes == [row.refused]
    else:
        assert codes
        assert not [c for c in codes if c[0].startswith("D1")]
