"""Hostile and malformed declarations, run through the CLI exactly as a pipeline runs it.

One table per bullet of hostile-input.md, sections "YAML loading — Reject" and "Silent
coercion — never". Each case is base.yaml with one mutation (or a small file of its own) and the
finding a person must see: its code and the line and column they must edit. Every run is a
separate ``python -m discloser validate --format json FILE`` process with a timeout and an
address-space limit of 1 GiB, so a case that executes code, expands an alias bomb, reads an
oversized file whole or recurses without bound fails here instead of on a build machine.

"Stays the same text" cases load the file in-process and compare the model's field value,
because a pipeline's exit code cannot tell ``"1.10"`` from ``1.1``.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import BASE

from discloser.load.discover import Source
from discloser.load.yaml12 import MAX_BYTES, MAX_ITEMS, MAX_NODES
from discloser.validate import SchemaErrors, read_declaration

BASE_TEXT = BASE.read_text(encoding="utf-8")
BASE_BYTES = BASE_TEXT.encode("utf-8")
NAME = "restyle-one-photo.yaml"  # the file is named for its id, so D321 stays quiet
MEMORY = 1 << 30  # 1 GiB of address space: ample for the CLI, far too little for a bomb
TIMEOUT = 60


ADV = "advertising: {targeting: false, measurement: false, profiling: false}"

# ------------------------------------------------------------------------------ helpers


def swap(old: str, new: str, text: str = BASE_TEXT) -> str:
    """``text`` (base.yaml by default) with its single occurrence of ``old`` replaced."""
    if text.count(old) != 1:
        raise ValueError(f"{old!r} occurs {text.count(old)} times, not once")
    return text.replace(old, new)


def bswap(old: bytes, new: bytes, data: bytes = BASE_BYTES) -> bytes:
    """Like :func:`swap` on raw bytes, for encodings no ``str`` can hold."""
    if data.count(old) != 1:
        raise ValueError(f"{old!r} occurs {data.count(old)} times, not once")
    return data.replace(old, new)


def padded(size: int) -> bytes:
    """base.yaml followed by comment lines, exactly ``size`` bytes long."""
    missing = size - len(BASE_BYTES)
    lines, rest = divmod(missing, 80)
    pad = (b"#" + b"x" * 78 + b"\n") * lines
    if rest:
        pad += b"#" + b"x" * (rest - 1) if rest > 1 else b"\n"
    data = BASE_BYTES + pad
    assert len(data) == size
    return data


def limit_memory() -> None:  # runs in the child between fork and exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_validate(path: Path) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """``python -m discloser validate --format json PATH`` as a pipeline runs it."""
    proc = subprocess.run(
        [sys.executable, "-m", "discloser", "validate", "--format", "json", str(path)],
        cwd=path.parent,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=TIMEOUT,
        preexec_fn=limit_memory,
        check=False,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout, proc.stdout
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(
            f"stdout is not JSON (exit {proc.returncode})\n"
            f"stdout: {proc.stdout[:2000]}\nstderr: {proc.stderr[:2000]}"
        )
    return proc, doc


def write(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / NAME
    if isinstance(content, str):
        content = content.encode("utf-8", errors="surrogatepass")
    path.write_bytes(content)
    return path


@dataclass(frozen=True)
class Reject:
    """A declaration that must be refused: exit 1 and this located finding.

    ``column`` is a range where the place is a span rather than a point: a structure nested
    thousands deep is correctly located anywhere past the depth cap inside it.
    ``says`` are words the message must contain (a suggestion, the allowed values, a line).
    """

    content: str | bytes
    code: str | tuple[str, ...]
    line: int
    column: int | range
    says: tuple[str, ...] = ()


def case(
    id_: str,
    content: str | bytes,
    code: str | tuple[str, ...],
    line: int,
    column: int | range,
    *says: str,
) -> Any:
    return pytest.param(Reject(content, code, line, column, says), id=id_)


# ------------------------------------------------------------------- YAML loading — Reject

# base.yaml lines used below: 2 comment, 3 discloser, 4 id, 5 name, 6 summary, 9 status,
# 10 revision, 11 effective, 13 platforms, 14 regions, 15 photos, 16 access, 17
# includes_unshared, 18 cadence, 19 reads, 20 face_analysis, 21 purposes, 22-26 purposes[0],
# 27 processing, 28-34 storage, 35 ai_training, 36 advertising, 37 sharing, 38-41 consent,
# 42 links.

TAGS = [
    case(
        "tag-python-object-apply-os-system",
        swap("name: Restyle a photo", 'name: !!python/object/apply:os.system ["touch pwned"]'),
        "D104",
        5,
        7,
        "tag",
    ),
    case(
        "tag-python-object-new",
        swap("name: Restyle a photo", "name: !!python/object/new:os.system [touch pwned]"),
        "D104",
        5,
        7,
    ),
    case(
        "tag-python-name",
        swap("name: Restyle a photo", "name: !!python/name:os.system"),
        "D104",
        5,
        7,
    ),
    case(
        "tag-binary",
        swap("summary: Turns", "summary: !!binary VHVybnMgb25l\n  Turns"),
        "D104",
        6,
        10,
    ),
    case("tag-int-on-quoted-30", swap("revision: 1", 'revision: !!int "30"'), "D104", 10, 11),
    case("tag-str", swap("name: Restyle a photo", "name: !!str Restyle a photo"), "D104", 5, 7),
    case(
        "tag-bool-on-yes",
        swap("includes_unshared: true", "includes_unshared: !!bool yes"),
        "D104",
        17,
        22,
    ),
    case(
        "tag-timestamp",
        swap("effective: 2026-03-01", "effective: !!timestamp 2026-03-01"),
        "D104",
        11,
        12,
    ),
    case("tag-local", swap("status: live", "status: !local live"), "D104", 9, 9),
    case("tag-non-specific", swap("status: live", "status: ! live"), "D104", 9, 9),
    case(
        "tag-verbatim",
        swap("name: Restyle a photo", "name: !<tag:yaml.org,2002:str> Restyle a photo"),
        "D104",
        5,
        7,
    ),
    case("tag-on-mapping", swap("photos:\n", "photos: !!map\n"), "D104", 15, 9),
    case("tag-on-key", swap("id: restyle-one-photo", "!!str id: restyle-one-photo"), "D104", 4, 1),
    case("tag-on-flow-item", swap("regions: [US, GB]", "regions: [!!str US, GB]"), "D104", 14, 11),
    case(
        "tag-via-tag-directive",
        "%TAG !e! tag:example.com,2026:\n---\n" + swap("status: live", "status: !e!live live"),
        "D104",
        11,
        9,
    ),
]

DUPLICATE_KEYS = [
    case(
        "dup-top-level-plain-twice",
        swap("advertising:", "ai_training: {use: none}\nadvertising:"),
        "D103",
        36,
        1,
        "ai_training",
        "line 35",
    ),
    case(
        "dup-plain-and-double-quoted",
        swap("processing:", '"purposes": []\nprocessing:'),
        "D103",
        27,
        1,
        "purposes",
        "line 21",
    ),
    case(
        "dup-plain-and-single-quoted",
        swap("owner:", "'summary': Other words.\nowner:"),
        "D103",
        7,
        1,
        "summary",
        "line 6",
    ),
    case(
        "dup-nested-block",
        swap("  access: picker\n", "  access: picker\n  access: full_library\n"),
        "D103",
        17,
        3,
        "access",
        "line 16",
    ),
    case(
        "dup-nested-flow",
        swap("{location: cloud, countries", "{location: cloud, location: on_device, countries"),
        "D103",
        27,
        31,
        "location",
        "line 27",
    ),
    case(
        "dup-two-levels-flow",
        swap("at_rest: true,", "at_rest: true, at_rest: false,"),
        "D103",
        33,
        49,
        "at_rest",
        "line 33",
    ),
    case(
        "dup-in-list-item",
        swap("    category:", "    id: other\n    category:"),
        "D103",
        24,
        5,
        "'id'",
        "line 22",
    ),
    case(
        "dup-spelt-with-escape",
        swap("name:", '"\\x69d": other-id\nname:'),
        "D103",
        5,
        1,
        "'id'",
        "line 4",
    ),
    # An explicit key is refused before it could be a duplicate (it has no use in a declaration).
    case("dup-explicit-key", swap("name:", "? id\n: other-id\nname:"), "D112", 5, 1, "'?'"),
    case("dup-at-end-of-file", BASE_TEXT + "id: other-id\n", "D103", 43, 1, "line 4"),
]

# The classic "billion laughs": ten levels of ten aliases, 10**9 strings once expanded.
LAUGHS = "".join(
    ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"]
    + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)]
)
ANCHORS = [
    case("anchor-on-value", swap("name: Restyle", "name: &n Restyle"), "D105", 5, 7, "&n"),
    case(
        "anchor-then-alias",
        swap(
            "summary: Turns one photo you pick into a painting-style picture.",
            "summary: *n",
            swap("name: Restyle", "name: &n Restyle"),
        ),
        "D105",
        5,
        7,
    ),
    case(
        "alias-alone",
        swap("summary: Turns one photo you pick into a painting-style picture.", "summary: *n"),
        "D105",
        6,
        10,
        "*n",
    ),
    case("anchor-on-mapping", swap("photos:\n", "photos: &p\n"), "D105", 15, 9),
    case("anchor-on-key", swap("id: restyle-one-photo", "&k id: restyle-one-photo"), "D105", 4, 1),
    case(
        "merge-key-block", swap("  access: picker", "  <<: {access: picker}"), "D105", 16, 3, "<<"
    ),
    case(
        "merge-key-flow",
        swap("{targeting: false,", "{<<: {targeting: false},"),
        "D105",
        36,
        15,
        "<<",
    ),
    case("merge-key-with-alias", swap("  access: picker", "  <<: *defaults"), "D105", 16, 7),
    case("billion-laughs-alone", LAUGHS, "D105", 1, 5),
    case("billion-laughs-in-declaration", BASE_TEXT + LAUGHS, "D105", 43, 5),
    case(
        "ten-thousand-aliases-to-nothing",
        swap("name: Restyle a photo", "name: [" + ", ".join(["*a"] * 10_000) + "]"),
        "D105",
        5,
        8,
    ),
]

NESTING = [
    # name's value is depth 1; the 17th opening bracket is the first one past MAX_DEPTH (16).
    case(
        "nest-flow-lists-5000",
        swap("name: Restyle a photo", "name: " + "[" * 5000 + "]" * 5000),
        "D107",
        5,
        23,
        "nested",
    ),
    case(
        "nest-flow-lists-100000",
        swap("name: Restyle a photo", "name: " + "[" * 100_000 + "]" * 100_000),
        "D107",
        5,
        23,
        "nested",
    ),
    case(
        "nest-flow-mappings-5000",
        swap("name: Restyle a photo", "name: " + "{a: " * 5000 + "b" + "}" * 5000),
        "D107",
        5,
        7 + 4 * 16,  # the first mapping beyond depth 16, not where libyaml's own limit stops
        "nested",
    ),
    case(
        "nest-block-lists-5000",
        swap("name: Restyle a photo", "name:\n  " + "- " * 5000 + "x"),
        "D107",
        6,
        3 + 2 * 16,
        "nested",
    ),
    case(
        "nest-block-mappings-600",
        "".join(" " * i + "a:\n" for i in range(600)) + " " * 600 + "a: b\n",
        "D107",
        18,
        18,
        "nested",
    ),
    case(
        "nest-mixed-flow-3000",
        swap("name: Restyle a photo", "name: " + "[{a: " * 3000 + "b" + "}]" * 3000),
        "D107",
        5,
        7 + 5 * 8,
        "nested",
    ),
]

DOCUMENTS = [
    case("docs-second-document", BASE_TEXT + "---\nid: other-id\n", "D110", 43, 1),
    case("docs-end-marker-then-document", BASE_TEXT + "...\n---\nid: other-id\n", "D110", 44, 1),
    # A bare document after "..." is YAML 1.2; libyaml (1.1) calls it a syntax error instead.
    case(
        "docs-bare-document-after-end", BASE_TEXT + "...\nid: other-id\n", ("D110", "D102"), 44, 1
    ),
    case("docs-empty-first-document", "---\n---\n" + BASE_TEXT, "D110", 2, 1),
    case("docs-empty-trailing-document", BASE_TEXT + "---\n", "D110", 43, 1),
    case("docs-twice-the-declaration", BASE_TEXT + "---\n" + BASE_TEXT, "D110", 43, 1),
]

NON_TEXT_KEYS = [
    case(f"key-{label}", swap("photos:\n", f"photos:\n  {key}: x\n"), "D109", 16, 3)
    for label, key in [
        ("int", "1"),
        ("octal-looking", "030"),
        ("float", "1.5"),
        ("hex", "0x1F"),
        ("inf", ".inf"),
        ("tilde-null", "~"),
        ("null", "null"),
        ("bool-true", "true"),
        ("bool-False", "False"),
        ("flow-list", "[a, b]"),
        ("flow-mapping", "{a: b}"),
    ]
] + [
    case("key-int-top-level", swap("discloser: 1", "30: days\ndiscloser: 1"), "D109", 3, 1),
    case(
        "key-null-in-flow", swap("{targeting: false,", "{~: x, targeting: false,"), "D109", 36, 15
    ),
    # Explicit keys are refused as such, at the "?", before their content is looked at.
    case("key-explicit-mapping", swap("photos:\n", "photos:\n  ? {a: b}\n  : x\n"), "D112", 16, 3),
    case(
        "key-explicit-list", swap("photos:\n", "photos:\n  ? - a\n    - b\n  : x\n"), "D112", 16, 3
    ),
]

INVALID_UTF8 = [
    case(
        "utf8-bad-byte-line-3", bswap(b"discloser: 1", b"discloser: \xff1"), "D101", 3, 12, "UTF-8"
    ),
    case("utf8-latin-1-e-acute", bswap(b"name: Restyle", b"name: Caf\xe9 Restyle"), "D101", 5, 10),
    case(
        "utf8-column-counts-characters",
        bswap(b"name: Restyle", "name: café ".encode() + b"\xff Restyle"),
        "D101",
        5,
        12,
    ),
    case("utf8-overlong-slash", bswap(b"name: Restyle", b"name: Restyle \xc0\xaf"), "D101", 5, 15),
    case(
        "utf8-beyond-u10ffff",
        bswap(b"name: Restyle", b"name: Restyle \xf4\x90\x80\x80"),
        "D101",
        5,
        15,
    ),
    case("utf8-truncated-at-end", BASE_BYTES + b"# \xe2\x82", "D101", 43, 3),
    case("utf8-bad-byte-in-comment", bswap(b"# A small", b"# A small\xff"), "D101", 2, 10),
    case("utf8-utf16-file", BASE_TEXT.encode("utf-16"), "D101", 1, 1),
    case(
        "utf8-crlf-bad-byte-line-3",
        bswap(b"discloser: 1", b"discloser: \xff1").replace(b"\n", b"\r\n"),
        "D101",
        3,
        12,
    ),
    # A lone CR is a line break in YAML (and to libyaml, which locates every other finding).
    case(
        "utf8-cr-only-bad-byte-line-3",
        bswap(b"discloser: 1", b"discloser: \xff1").replace(b"\n", b"\r"),
        "D101",
        3,
        12,
    ),
]

SURROGATES = [
    case(
        "surrogate-raw-high-ed-a0-80",
        bswap(b"name: Restyle", b"name: Restyle \xed\xa0\x80"),
        "D101",
        5,
        15,
    ),
    case(
        "surrogate-raw-low-ed-b0-80",
        bswap(b"name: Restyle", b"name: Restyle \xed\xb0\x80"),
        "D101",
        5,
        15,
    ),
    case(
        "surrogate-raw-cesu-8-pair",
        bswap(b"name: Restyle", b"name: Restyle \xed\xa0\xbd\xed\xb8\x80"),
        "D101",
        5,
        15,
    ),
    # "\ud800" decodes only inside the parser: refused there (D102) or by the loader (D106),
    # located at the quoted scalar (col 7) or at the escape itself (cols 16-21).
    case(
        "surrogate-escape-high",
        swap("name: Restyle a photo", 'name: "Restyle \\ud800 a photo"'),
        ("D102", "D106"),
        5,
        range(7, 22),
    ),
    case(
        "surrogate-escape-low",
        swap("name: Restyle a photo", 'name: "Restyle \\udfff a photo"'),
        ("D102", "D106"),
        5,
        range(7, 22),
    ),
    case(
        "surrogate-escape-32-bit",
        swap("name: Restyle a photo", 'name: "Restyle \\U0000D800 a photo"'),
        ("D102", "D106"),
        5,
        range(7, 26),
    ),
    case(
        "surrogate-escape-in-key",
        swap("name:", '"na\\ud800me": x\nname:'),
        ("D102", "D106"),
        5,
        range(1, 10),
    ),
]

CONTROLS = (
    [
        case(
            f"control-raw-{label}",
            swap("name: Restyle a photo", f"name: Restyle{char} a photo"),
            "D106",
            5,
            14,
            code,
        )
        for label, char, code in [
            ("nul", "\x00", "U+0000"),
            ("bell", "\x07", "U+0007"),
            ("backspace", "\x08", "U+0008"),
            ("vertical-tab", "\x0b", "U+000B"),
            ("form-feed", "\x0c", "U+000C"),
            ("escape", "\x1b", "U+001B"),
            ("delete", "\x7f", "U+007F"),
            ("c1-next-line", "\x85", "U+0085"),
            ("c1-csi", "\x9b", "U+009B"),
            ("non-character-fffe", "\ufffe", "U+FFFE"),
        ]
    ]
    + [
        case(
            f"control-escaped-{label}",
            swap("name: Restyle a photo", f'name: "Restyle{escape} a photo"'),
            "D106",
            5,
            7,
            code,
        )
        for label, escape, code in [
            ("backslash-0", "\\0", "U+0000"),
            ("backslash-x1b", "\\x1b[31m", "U+001B"),
            ("backslash-e", "\\e", "U+001B"),
            ("backslash-a", "\\a", "U+0007"),
            ("backslash-b", "\\b", "U+0008"),
            ("backslash-x7f", "\\x7f", "U+007F"),
            ("backslash-N-next-line", "\\N", "U+0085"),
            ("backslash-u0000", "\\u0000", "U+0000"),
        ]
    ]
    + [
        case("control-raw-escape-in-comment", swap("# A small", "# A \x1b[2J small"), "D106", 2, 5),
        case("control-raw-nul-in-key", swap("name: Restyle", "na\x00me: Restyle"), "D106", 5, 3),
        case("control-escaped-nul-in-key", swap("name:", '"na\\0me": x\nname:'), "D106", 5, 1),
        case(
            "control-raw-in-block-scalar",
            swap("  deletion: Photos are", "  deletion: |\n    Photos\x07 are"),
            "D106",
            35,
            11,
        ),
        case(
            "control-raw-nul-cr-only-file",
            swap("discloser: 1", "discloser: \x001").replace("\n", "\r"),
            "D106",
            3,
            12,
        ),
    ]
)

BIDI = [
    case(
        "bidi-raw-rlo-202e",
        swap("name: Restyle a photo", "name: Restyle\u202e a photo"),
        "D106",
        5,
        14,
        "U+202E",
    ),
    case(
        "bidi-raw-lre-202a",
        swap("name: Restyle a photo", "name: Restyle\u202a a photo"),
        "D106",
        5,
        14,
        "U+202A",
    ),
    case(
        "bidi-raw-lro-in-single-quotes",
        swap("name: Restyle a photo", "name: 'Restyle \u202d a photo'"),
        "D106",
        5,
        16,
    ),
    case("bidi-raw-lri-in-comment", swap("# A small", "# A \u2066 small"), "D106", 2, 5),
    case(
        "bidi-raw-pdi-in-block-scalar",
        swap("  deletion: Photos are", "  deletion: >\n    Photos \u2069are"),
        "D106",
        35,
        12,
    ),
    case("bidi-raw-in-key", swap("name: Restyle", "na\u202eme: Restyle"), "D106", 5, 3),
    case(
        "bidi-escaped-u202e",
        swap("name: Restyle a photo", 'name: "Restyle \\u202e a photo"'),
        "D106",
        5,
        7,
        "U+202E",
    ),
    case(
        "bidi-escaped-u2067",
        swap("name: Restyle a photo", 'name: "Restyle \\u2067 a photo"'),
        "D106",
        5,
        7,
        "U+2067",
    ),
    case(
        "bidi-escaped-U0000202E",
        swap("name: Restyle a photo", 'name: "Restyle \\U0000202E a photo"'),
        "D106",
        5,
        7,
    ),
    case("bidi-escaped-in-key", swap("name:", '"na\\u202eme": x\nname:'), "D106", 5, 1),
]

NOT_A_MAPPING = [
    case(f"top-{label}", content, "D108", line, 1)
    for label, content, line in [
        ("empty-file", b"", 1),
        ("only-newlines", b"\n\n\n", 1),
        ("only-spaces", b"   ", 1),
        ("only-comment", b"# nothing here\n", 1),
        ("only-bom", b"\xef\xbb\xbf", 1),
        ("only-tilde", b"~", 1),
        ("only-tilde-newline", b"~\n", 1),
        ("only-null", b"null\n", 1),
        ("only-document-start", b"---", 1),
        ("only-document-start-newline", b"---\n", 1),
        ("start-and-end-markers", b"---\n...\n", 1),
        ("list", b"- a\n- b\n", 1),
        ("list-after-comment", b"# heading\n- a\n", 2),
        ("flow-list", b"[a, b]\n", 1),
        (
            "declaration-inside-a-list",
            ("- " + BASE_TEXT.replace("\n", "\n  ").rstrip() + "\n").encode(),
            1,
        ),
        ("plain-scalar", b"hello\n", 1),
        ("quoted-empty-string", b"''\n", 1),
        ("number", b"42\n", 1),
        ("boolean", b"true\n", 1),
        ("block-scalar", b"|\n  text\n", 1),
    ]
]

BIG = b"x" * 300_000
CAPS = [
    case("cap-file-one-byte-over", padded(MAX_BYTES + 1), "D107", 1, 1, "bytes"),
    case("cap-file-a-megabyte", BASE_BYTES + b"#" + BIG * 4, "D107", 1, 1, "bytes"),
    case(
        "cap-flow-list-257",
        swap("regions: [US, GB]", "regions: [" + ", ".join(["US"] * (MAX_ITEMS + 1)) + "]"),
        "D107",
        14,
        10,
        f"{MAX_ITEMS}",
    ),
    case(
        "cap-block-list-257",
        swap("  reads: [pixels]", ("  reads:\n" + "    - pixels\n" * (MAX_ITEMS + 1)).rstrip("\n")),
        "D107",
        20,
        5,
        f"{MAX_ITEMS}",
    ),
    case(
        "cap-mapping-257-keys",
        swap(
            "  access: picker",
            "".join(f"  x{i}: 1\n" for i in range(MAX_ITEMS + 1 - 5)) + "  access: picker",
        ),
        "D107",
        16,
        3,
        f"{MAX_ITEMS}",
    ),
    # 80 keys of 250 items: the root is node 1, key k's list node 2 + 251 (k - 1), so node
    # MAX_NODES + 1 is item 169 of key 79 (line 80), at column len("k079: [") + 1 + 3 * 169.
    case(
        "cap-20001-values",
        "".join(f"k{k:03}: [" + ", ".join(["a"] * 250) + "]\n" for k in range(80)),
        "D107",
        80,
        8 + 3 * (MAX_NODES + 1 - (2 + 251 * 79) - 1),
        f"{MAX_NODES:,}",
    ),
]

# ----------------------------------------------------------------- Silent coercion — never

NOT_BOOLEANS = ["NO", "no", "No", "on", "ON", "off", "Off", "yes", "Yes", "YES", "y", "Y", "n"]
BOOLEAN_FIELDS = [  # (where, old text, new text with {}, line, column)
    ("photos.includes_unshared", "includes_unshared: true", "includes_unshared: {}", 17, 22),
    ("purposes-0.required", "required: true", "required: {}", 26, 15),
    ("advertising.targeting", "{targeting: false", "{{targeting: {}", 36, 26),
    ("encryption.at_rest", "at_rest: true", "at_rest: {}", 33, 43),
    ("ai_training.faces", "faces: false", "faces: {}", 35, 44),
    ("consent.per_purpose", "per_purpose: false", "per_purpose: {}", 40, 16),
    (
        "processing.automated_decisions",
        "automated_decisions: false",
        "automated_decisions: {}",
        27,
        89,
    ),
]
COERCE_BOOLEAN = [
    case(
        f"bool-{word}-as-{where}",
        swap(old, new.format(word)),
        "D203",
        line,
        column,
        "true",
        "false",
    )
    for word, (where, old, new, line, column) in [
        (word, BOOLEAN_FIELDS[i % len(BOOLEAN_FIELDS)]) for i, word in enumerate(NOT_BOOLEANS)
    ]
] + [
    case(
        f"bool-{label}-as-photos.includes_unshared",
        swap("includes_unshared: true", f"includes_unshared: {word}"),
        "D203",
        17,
        22,
        "true",
        "false",
    )
    for label, word in [("1", "1"), ("0", "0"), ("quoted-true", '"true"'), ("nan", ".nan")]
]

REVISION = [
    case(f"revision-{label}", swap("revision: 1", f"revision: {value}"), code, 10, 11, *says)
    for label, value, code, says in [
        ("030", "030", "D204", ("030",)),
        ("08", "08", "D204", ("08",)),
        ("0x1F", "0x1F", "D204", ("0x1F",)),
        ("0o7", "0o7", "D204", ("0o7",)),
        ("1e3", "1e3", "D204", ("1e3",)),
        ("1.0", "1.0", "D204", ("1.0",)),
        ("inf", ".inf", "D204", (".inf",)),
        ("minus-inf", "-.inf", "D204", ("-.inf",)),
        ("nan", ".nan", "D204", (".nan",)),
        ("minus-1", "-1", "D204", ("-1",)),
        ("plus-1", "+1", "D204", ("+1",)),
        ("zero", "0", "D204", ()),
        ("true", "true", "D203", ("boolean",)),
        ("quoted-1", '"1"', "D203", ("'1'",)),
        ("underscored-1_000", "1_000", "D203", ("1_000",)),
    ]
] + [
    case(f"format-version-{label}", swap("discloser: 1", f"discloser: {value}"), "D205", 3, 12)
    for label, value in [
        ("true", "true"),
        ("030", "030"),
        ("1.0", "1.0"),
        ("inf", ".inf"),
        ("quoted-1", '"1"'),
    ]
]

DATES = [
    case(f"date-{label}", swap("effective: 2026-03-01", f"effective: {value}"), code, 11, 12)
    for label, value, code in [
        ("epoch-seconds", "1772323200", "D204"),
        ("compact-20260301", "20260301", "D204"),
        ("month-13-day-40", "2026-13-40", "D204"),
        ("february-30", "2026-02-30", "D204"),
        ("no-leading-zeros", "2026-3-1", "D204"),
        ("with-time", "2026-03-01T00:00:00Z", "D204"),
        ("float", "1.5", "D204"),
        ("minus-1", "-1", "D204"),
        ("inf", ".inf", "D204"),
        ("nan", ".nan", "D204"),
        ("boolean", "true", "D203"),
    ]
] + [
    case(f"duration-{label}", swap(old, new), "D204", line, column, "ISO 8601")
    for label, old, new, line, column in [
        ("bare-number", "retention: P1D", "retention: 30", 31, 14),
        ("words", "retention: P1D", "retention: 30 days", 31, 14),
        ("fraction", "retention: P1D", "retention: P1.5D", 31, 14),
        ("empty-P", "retention: P1D", "retention: P", 31, 14),
        ("empty-PT", "retention: P1D", "retention: PT", 31, 14),
        ("negative", "after_opt_out: P0D", "after_opt_out: -P1D", 32, 18),
        ("zero-as-number", "after_opt_out: P0D", "after_opt_out: 0", 32, 18),
        ("inf", "retention: P1D", "retention: .inf", 31, 14),
    ]
]

# Text bounds are checked by pydantic's own string validation and reported in the editor's terms.
TEXT_BOUNDS = [
    case(
        "text-empty-summary",
        swap("summary: Turns one photo you pick into a painting-style picture.", 'summary: ""'),
        "D204",
        6,
        10,
        "summary: must not be empty",
    ),
    case(
        "text-over-the-cap-purpose",
        swap("text: Make a restyled copy of the photo you picked.", "text: " + "a" * 2001),
        "D204",
        23,
        11,
        "purposes[0].text: too long (2,001 characters); keep it to 2,000",
    ),
    case(
        "number-as-over-long-text",
        swap("name: Restyle a photo", "name: " + "1" * 2001),
        "D204",
        5,
        7,
        "(2,001 characters)",
    ),
]

NON_FINITE = [
    case(f"nonfinite-{label}", swap(old, new), code, line, column)
    for label, old, new, code, line, column in [
        ("status-nan", "status: live", "status: .nan", "D204", 9, 9),
        ("cadence-inf", "cadence: on_request", "cadence: .inf", "D204", 18, 12),
        ("face-analysis-minus-inf", "face_analysis: none", "face_analysis: -.inf", "D204", 20, 18),
        ("platforms-item-nan", "platforms: [ios, android]", "platforms: [.nan]", "D204", 13, 13),
        ("regions-item-inf", "regions: [US, GB]", "regions: [.inf]", "D204", 14, 11),
        ("reads-item-inf", "reads: [pixels]", "reads: [.inf]", "D204", 19, 11),
        ("category-inf", "category: app_functionality", "category: .inf", "D204", 24, 15),
        ("consent-model-nan", "model: notice_only", "model: .NaN", "D204", 39, 10),
        ("policy-url-inf", 'policy: "https://example.com/privacy"', "policy: .inf", "D204", 42, 17),
        ("encryption-nan", "end_to_end: false", "end_to_end: .nan", "D203", 33, 61),
        ("locales-item-inf", "locales: [en]", "locales: [.inf]", "D204", 12, 11),
        ("sharing-inf", "sharing: []", "sharing: .inf", "D203", 37, 10),
    ]
]

UNKNOWN_KEYS = [
    case(f"unknown-{label}", swap(old, new), "D201", line, column, f"'{suggested}'")
    for label, old, new, line, column, suggested in [
        ("ai_trainig", "ai_training: {", "ai_trainig: {", 35, 1, "ai_training"),
        ("Purposes", "purposes:\n", "Purposes:\n", 21, 1, "purposes"),
        ("purpose-singular", "purposes:\n", "purpose:\n", 21, 1, "purposes"),
        ("Ai_Training", "ai_training: {", "Ai_Training: {", 35, 1, "ai_training"),
        ("photos.acess", "  access: picker", "  acess: picker", 16, 3, "access"),
        ("advertising.targetting", "{targeting:", "{targetting:", 36, 15, "targeting"),
        ("purposes-0.legalbasis", "    legal_basis:", "    legalbasis:", 25, 5, "legal_basis"),
        ("storage.retension", "  retention: P1D", "  retension: P1D", 31, 3, "retention"),
        ("encryption.atrest", "at_rest: true", "atrest: true", 33, 34, "at_rest"),
    ]
] + [
    case(
        "unknown-quoted-merge-is-just-a-key",
        swap("  access: picker", '  "<<": x\n  access: picker'),
        "D201",
        16,
        3,
        "'<<'",
    ),
    case(
        "unknown-yes-key-is-text",
        swap("  access: picker", "  yes: x\n  access: picker"),
        "D201",
        16,
        3,
        "'yes'",
    ),
    case(
        "unknown-quoted-number-key-is-text",
        swap("  access: picker", '  "1": x\n  access: picker'),
        "D201",
        16,
        3,
        "'1'",
    ),
]

ENUMS = [
    case(f"enum-{label}", swap(old, new), "D204", line, column, *allowed)
    for label, old, new, line, column, allowed in [
        (
            "cadence-Continuous",
            "cadence: on_request",
            "cadence: Continuous",
            18,
            12,
            ("'on_device_only'", "'on_request'", "'continuous'"),
        ),
        (
            "status-Live",
            "status: live",
            "status: Live",
            9,
            9,
            ("'planned'", "'beta'", "'live'", "'retired'"),
        ),
        (
            "access-Picker",
            "access: picker",
            "access: Picker",
            16,
            11,
            ("'picker'", "'full_library'"),
        ),
        (
            "face-analysis-None",
            "face_analysis: none",
            "face_analysis: None",
            20,
            18,
            ("'none'", "'detection'", "'grouping'", "'recognition'"),
        ),
        (
            "consent-model-opt-in-hyphen",
            "model: notice_only",
            "model: opt-in",
            39,
            10,
            ("'opt_in'", "'opt_out'", "'notice_only'"),
        ),
        (
            "platform-iOS",
            "platforms: [ios, android]",
            "platforms: [iOS, android]",
            13,
            13,
            ("'ios'", "'android'", "'web'", "'desktop'"),
        ),
        (
            "processing-location-Cloud",
            "{location: cloud, countries: [US], human_review",
            "{location: Cloud, countries: [US], human_review",
            27,
            24,
            ("'on_device'", "'cloud'", "'hybrid'"),
        ),
        (
            "category-App_Functionality",
            "category: app_functionality",
            "category: App_Functionality",
            24,
            15,
            ("'app_functionality'", "'other'"),
        ),
        (
            "legal-basis-Contract",
            "legal_basis: contract",
            "legal_basis: Contract",
            25,
            18,
            ("'contract'", "'consent'"),
        ),
        (
            "ai-training-use-None",
            "{use: none",
            "{use: None",
            35,
            20,
            ("'none'", "'this_feature'", "'general_models'"),
        ),
        ("reads-Pixels", "reads: [pixels]", "reads: [Pixels]", 19, 11, ("'pixels'", "'faces'")),
    ]
]

# Issue 10: edits of the real declaration that once validated with exit 0 while meaning something
# other than what their author sees. Each is now refused where the edit is.
SPELLINGS = [
    case(
        "consent-flip-by-alias-after-quoted-key",
        swap(ADV, "advertising: {'targeting':&no false, 'measurement':*no, 'profiling':*no}"),
        "D105",
        36,
        27,
        "&no",
    ),
    case(
        "anchor-after-json-key",
        swap(ADV, 'advertising: {"targeting":&x false, "measurement":*x, "profiling":*x}'),
        "D105",
        36,
        27,
    ),
    case(
        "anchor-in-single-pair",
        swap("reads: [pixels]", 'reads: ["k":&x pixels, "j":*x]'),
        "D105",
        19,
        15,
    ),
    case(
        "explicit-key-in-flow-list", swap("reads: [pixels]", "reads: [?&x k, ?*x]"), "D112", 19, 11
    ),
    case("explicit-key-in-flow-map", swap(ADV, "advertising: {?&x k: v}"), "D112", 36, 15),
    case("question-key-in-flow-map", swap(ADV, "advertising: { ?foo: bar }"), "D112", 36, 16),
    case("question-in-flow-list", swap("reads: [pixels]", "reads: [?pixels]"), "D112", 19, 11),
    case("tag-after-json-key", swap("revision: 1", 'revision: {"n":!!int 5}'), "D104", 10, 16),
    case(
        "glued-comment-after-quote",
        swap(
            "summary: Turns one photo you pick into a painting-style picture.",
            'summary: "Stays on your phone."# and uploads a copy to our servers',
        ),
        "D102",
        6,
        32,
        "space before '#'",
    ),
    case(
        "glued-comment-after-folded-header",
        swap(
            "summary: Turns one photo you pick into a painting-style picture.",
            "summary: ># and uploads a copy\n  Stays on your phone.",
        ),
        "D102",
        6,
        11,
    ),
    case(
        "tab-before-comment",
        swap("photos:\n", "photos:\n\t# the picker only\n"),
        "D102",
        16,
        1,
        "a tab before a comment",
    ),
    case(
        "tab-only-blank-line",
        swap("photos:\n", "photos:\n\t\n"),
        "D102",
        16,
        1,
        "a tab-only blank line",
    ),
]

REJECTED = [
    *TAGS,
    *DUPLICATE_KEYS,
    *ANCHORS,
    *SPELLINGS,
    *NESTING,
    *DOCUMENTS,
    *NON_TEXT_KEYS,
    *INVALID_UTF8,
    *SURROGATES,
    *CONTROLS,
    *BIDI,
    *NOT_A_MAPPING,
    *CAPS,
    *COERCE_BOOLEAN,
    *REVISION,
    *DATES,
    *NON_FINITE,
    *TEXT_BOUNDS,
    *UNKNOWN_KEYS,
    *ENUMS,
]


@pytest.mark.parametrize("c", REJECTED)
def test_rejected_with_a_located_finding(c: Reject, tmp_path: Path) -> None:
    path = write(tmp_path, c.content)
    proc, doc = run_validate(path)
    codes = c.code if isinstance(c.code, tuple) else (c.code,)
    found = [
        f
        for f in doc["findings"]
        if f["code"] in codes
        and f["line"] == c.line
        and (f["column"] in c.column if isinstance(c.column, range) else f["column"] == c.column)
    ]
    shown = json.dumps(doc["findings"][:5], indent=1, ensure_ascii=False)[:3000]
    assert found, f"expected {'/'.join(codes)} at {c.line}:{c.column}; got {shown}"
    assert proc.returncode == 1, f"exit {proc.returncode}; stderr: {proc.stderr}"
    finding = found[0]
    assert finding["file"] == str(path)
    assert finding["severity"] == "error"
    assert "\n" not in finding["message"], "the message must be one line"
    for words in c.says:
        assert words in finding["message"], f"{words!r} not in {finding['message']!r}"
    assert doc["summary"]["errors"] >= 1
    # Nothing a tag names may ever run (the os.system cases would create this file).
    assert not (tmp_path / "pwned").exists()


# ---------------------------------------------------- positions stay true to YAML 1.2 lines


SEPARATORS = [
    pytest.param(separator, where, text, wanted, id=f"U+{ord(separator):04X}-{where}")
    for separator in ("\u2028", "\u2029")
    for where, text, wanted in [
        # the duplicate key on line 36 is reported there, or the separator refused at 2:4
        (
            "in-comment-then-duplicate-key",
            swap(
                "advertising:",
                "ai_training: {use: none}\nadvertising:",
                swap("# A small", f"# A{separator}small"),
            ),
            {("D103", 36, 1), ("D106", 2, 4)},
        ),
        # text on line 6: refused where it stands, or kept and flagged by the invisible-
        # character rule at the value; never a syntax error on a later line
        (
            "in-plain-text",
            swap("Turns one", f"Turns{separator}one"),
            {("D106", 6, 15), ("D702", 6, 10)},
        ),
        # an answer written after the separator inside a comment is comment text, not an
        # answer: the separator is refused (36:37) or advertising is unanswered (D202 at 3:1)
        (
            "hides-an-answer-in-a-comment",
            swap(
                "advertising: {targeting: false, measurement: false, profiling: false}",
                f"# advertising: none, reviewed yearly{separator}"
                "advertising: {targeting: false, measurement: true, profiling: false}",
            ),
            {("D106", 36, 37), ("D202", 3, 1)},
        ),
    ]
]


@pytest.mark.parametrize(("separator", "where", "text", "wanted"), SEPARATORS)
def test_line_and_paragraph_separators_do_not_shift_positions(
    separator: str, where: str, text: str, wanted: set[tuple[str, int, int]], tmp_path: Path
) -> None:
    """U+2028/U+2029 are not line breaks in YAML 1.2 (libyaml, a YAML 1.1 parser, counts them)."""
    proc, doc = run_validate(write(tmp_path, text))
    assert proc.returncode == 1
    located = {(f["code"], f["line"], f["column"]) for f in doc["findings"]}
    assert located & wanted, f"got {sorted(located)}, wanted one of {sorted(wanted)}"
    for f in doc["findings"]:
        if f["code"] == "D103":
            assert "line 35" in f["message"], f["message"]


def test_file_far_over_the_size_cap_is_refused_without_reading_it(tmp_path: Path) -> None:
    """A 4 GiB (sparse) file must be refused by its size, in bounded memory, with D107."""
    path = tmp_path / NAME
    with path.open("wb") as f:
        f.truncate(4 << 30)
    proc, doc = run_validate(path)
    assert proc.returncode == 1, f"exit {proc.returncode}; stderr: {proc.stderr}"
    assert [(f["code"], f["line"], f["column"]) for f in doc["findings"]] == [("D107", 1, 1)]


@pytest.mark.parametrize(
    "size", [0, 1, 2_397, MAX_BYTES - 1, MAX_BYTES, MAX_BYTES + 1, 3 * MAX_BYTES]
)
def test_a_file_is_read_whole_up_to_one_byte_past_the_cap(size: int, tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(bytes(range(256)) * (size // 256) + b"x" * (size % 256))
    data = Source(NAME, path).read(MAX_BYTES)
    assert data == path.read_bytes()[: MAX_BYTES + 1]


def test_a_file_that_holds_more_than_its_size_says_is_read_on(tmp_path: Path) -> None:
    """A pipe says it holds nothing; what comes through it is read, still up to the cap."""
    fifo = tmp_path / NAME
    os.mkfifo(fifo)
    text = BASE.read_bytes()

    def feed(payload: bytes) -> threading.Thread:
        def write() -> None:
            with contextlib.suppress(BrokenPipeError), fifo.open("wb") as pipe:
                for at in range(0, len(payload), 1000):  # in pieces, as a pipe delivers them
                    pipe.write(payload[at : at + 1000])
                    pipe.flush()

        thread = threading.Thread(target=write)
        thread.start()
        return thread

    writer = feed(text)
    assert Source(NAME, fifo).read(MAX_BYTES) == text
    writer.join()
    writer = feed(b"#" * (MAX_BYTES + 5000))
    assert len(Source(NAME, fifo).read(MAX_BYTES)) == MAX_BYTES + 1
    writer.join()  # the rest stays unread: the writer's pipe is closed under it


def test_missing_file_is_a_usage_error_not_a_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "discloser", "validate", "--format", "json", str(tmp_path / NAME)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert str(tmp_path / NAME) in proc.stderr


# ------------------------------------------------------------------ accepted as written


ACCEPTED = [
    pytest.param(content, id=id_)
    for id_, content in [
        ("base-unchanged", BASE_BYTES),
        ("norway-in-regions", swap("regions: [US, GB]", "regions: [NO]").encode()),
        ("norway-in-countries", swap("countries: [US], human", "countries: [NO], human").encode()),
        ("file-exactly-at-size-cap", padded(MAX_BYTES)),
        ("bom-then-declaration", b"\xef\xbb\xbf" + BASE_BYTES),
        ("crlf-line-endings", BASE_BYTES.replace(b"\n", b"\r\n")),
        ("explicit-document-start", b"---\n" + BASE_BYTES),
        ("document-end-marker", BASE_BYTES + b"...\n"),
        (
            "node-property-characters-inside-text",
            swap("name: Restyle a photo", 'name: "Restyle & *paint* a photo!"').encode(),
        ),
        ("quoted-date", swap("effective: 2026-03-01", 'effective: "2026-03-01"').encode()),
        ("tab-in-quoted-text", swap("name: Restyle a photo", 'name: "Restyle\\ta photo"').encode()),
    ]
]


@pytest.mark.parametrize("content", ACCEPTED)
def test_accepted(content: bytes, tmp_path: Path) -> None:
    proc, doc = run_validate(write(tmp_path, content))
    assert proc.returncode == 0, json.dumps(doc["findings"], indent=1, ensure_ascii=False)
    assert doc["summary"]["errors"] == 0


def test_a_list_at_the_item_cap_is_not_over_the_cap(tmp_path: Path) -> None:
    text = swap("regions: [US, GB]", "regions: [" + ", ".join(["US"] * MAX_ITEMS) + "]")
    _, doc = run_validate(write(tmp_path, text))
    assert not [f for f in doc["findings"] if f["code"] == "D107"]


# Words YAML 1.1 (or lax pydantic) would turn into something else; where text is expected they
# are that text, character for character.
TEXT_WORDS = ["NO", "no", "No", "on", "off", "yes", "Yes", "y", "n", "1.10", "030", "08",
              "1:30", "0x1F", "1e3", "12_000", "-0", "+1", "0o17", "2026-03-01", ".inf", ".nan"]  # fmt: skip
TEXT_FIELDS = [  # (field, old line, new line with {}, getter)
    ("name", "name: Restyle a photo", "name: {}", lambda d: d.name),
    ("owner", "owner: creative-tools@example.com", "owner: {}", lambda d: d.owner),
    ("controller", "controller: Example Photos Ltd", "controller: {}", lambda d: d.controller),
    (
        "purposes-0.text",
        "text: Make a restyled copy of the photo you picked.",
        "text: {}",
        lambda d: d.purposes[0].text,
    ),
    (
        "consent.withdraw",
        "withdraw: Stop using Restyle; nothing is kept after a day.",
        "withdraw: {}",
        lambda d: d.consent.withdraw,
    ),
]
STAYS_TEXT = [
    pytest.param(swap(old, new.format(word)), getter, word, id=f"{word}-as-{where}")
    for i, word in enumerate(TEXT_WORDS)
    for where, old, new, getter in [TEXT_FIELDS[i % len(TEXT_FIELDS)]]
] + [
    pytest.param(swap("regions: [US, GB]", "regions: [NO]"), lambda d: d.regions[0], "NO",
                 id="NO-as-regions-item"),
    pytest.param(swap("countries: [US]\n  retention", "countries: [NO]\n  retention"),
                 lambda d: d.storage.countries[0], "NO", id="NO-as-storage-countries-item"),
    pytest.param(swap("name: Restyle a photo", 'name: "1.10"'), lambda d: d.name, "1.10",
                 id="quoted-1.10-as-name"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "getter", "expected"), STAYS_TEXT)
def test_stays_the_same_text(text: str, getter: Any, expected: str, tmp_path: Path) -> None:
    path = write(tmp_path, text)
    try:
        declaration, _ = read_declaration(Source(NAME, path))
    except SchemaErrors as exc:
        pytest.fail(f"refused: {[(f.code, f.line, f.column, f.message) for f in exc.findings]}")
    value = getter(declaration)
    assert type(value) is str
    assert value == expected
