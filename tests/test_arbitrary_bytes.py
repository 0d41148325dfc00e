"""Whatever bytes a declaration file holds, discloser answers with findings, never a crash.

(a) The library entry point ``validate_paths`` raises nothing but :class:`DiscloserError` and
locates every finding at line >= 1, column >= 1, for arbitrary bytes, arbitrary text (lone
surrogates included), YAML-looking token soup and small mutations of base.yaml.
(b) A smaller sample through the real CLI process: exit 0, 1 or 2, never a traceback or an
"internal error", always something on stdout or stderr.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BASE
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from discloser.config import Settings
from discloser.errors import DiscloserError
from discloser.validate import validate_paths

BASE_BYTES = BASE.read_bytes()
BASE_LINES = BASE_BYTES.splitlines(keepends=True)
NAME = "restyle-one-photo.yaml"
MEMORY = 1 << 30

# Pieces of YAML syntax and values that mean something else under YAML 1.1 or to a lax parser.
TOKENS = [
    b":", b": ", b"\n", b"  ", b"- ", b"[", b"]", b"{", b"}", b", ", b"? ", b"#", b"|", b">",
    b"'", b'"', b"\\", b"&a ", b"*a", b"!!str ", b"!x ", b"<<: ", b"---\n", b"...\n", b"%TAG ",
    b"%YAML 1.1\n", b"\t", b"\r", b"\r\n", b"\x00", b"\x1b", b"\xff", b"\xed\xa0\x80",
    b"\xef\xbb\xbf", "\u202e".encode(), "\u2028".encode(), "\u2029".encode(), "\x85".encode(),
    b'"\\ud800"', b'"\\0"', b'"\\u202e"', b"NO", b"no", b"yes", b"on", b"off", b"y", b"~",
    b"null", b"true", b"false", b"1.10", b"030", b"08", b"1:30", b"0x1F", b"1e3", b".inf",
    b".nan", b"-1", b"0", b"2026-13-40", b"2026-03-01", b"P1D", b"PT", b"https://x.y",
    b"javascript:alert(1)", b"TODO", b"discloser", b"id", b"purposes", b"photos", b"regions",
    b"waivers", b"translations", b"rule", b"reason", b"D401", b"fr", b"EU",
]  # fmt: skip
TOKEN = st.sampled_from(TOKENS)
# Optional sections, so that mutations also reach translations, waivers and sharing rules.
SECTIONS = [
    b"translations:\n  fr:\n    name: Retoucher\n    summary: Change une photo.\n"
    b"    purposes: {restyle: Faire une copie.}\n    withdraw: Arretez.\n",
    b"waivers:\n  - rule: D401\n    reason: Nothing is stored.\n",
    b"waivers:\n  - rule: no-such-rule\n    reason: x\n",
    b"ended: 2026-04-01\n",
]


@st.composite
def mutated_base(draw: st.DrawFn) -> bytes:
    """base.yaml with one to four small edits: a byte, a token, a value, a line, a cut, or an
    optional section appended."""
    data = bytearray(BASE_BYTES)
    for _ in range(draw(st.integers(1, 4))):
        kinds = ["byte", "insert", "delete", "value", "line", "truncate", "section"]
        kind = draw(st.sampled_from(kinds))
        at = draw(st.integers(0, len(data)))
        if kind == "byte" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.one_of(TOKEN, st.binary(min_size=1, max_size=8)))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        elif kind == "value":
            # keep the key, replace what follows it on one line: valid YAML, odd answers
            lines = bytes(data).splitlines(keepends=True)
            keyed = [i for i, line in enumerate(lines) if b": " in line]
            if keyed:
                i = draw(st.sampled_from(keyed))
                key = lines[i].split(b": ", 1)[0]
                value = b"".join(draw(st.lists(TOKEN, min_size=1, max_size=3)))
                lines[i] = key + b": " + value + b"\n"
                data = bytearray(b"".join(lines))
        elif kind == "line":
            lines = bytes(data).splitlines(keepends=True)
            if lines:
                i = draw(st.integers(0, len(lines) - 1))
                j = draw(st.integers(0, len(lines)))
                lines.insert(j, lines[i])  # a duplicated line: duplicate keys, list items
                data = bytearray(b"".join(lines))
        elif kind == "truncate":
            del data[at:]
        elif kind == "section":
            data += draw(st.sampled_from(SECTIONS))
            if b"translations:" in data:
                data = bytearray(bytes(data).replace(b"locales: [en]", b"locales: [en, fr]"))
    return bytes(data)


TOKEN_SOUP = st.lists(TOKEN, max_size=60).map(b"".join)
ANY_TEXT = st.text(
    alphabet=st.characters(exclude_categories=()),  # surrogates and controls included
    max_size=2000,
).map(lambda s: s.encode("utf-8", errors="surrogatepass"))
ANY_INPUT = st.one_of(st.binary(max_size=4096), ANY_TEXT, TOKEN_SOUP, mutated_base())


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("arbitrary")


def check_library(folder: Path, data: bytes) -> None:
    path = folder / NAME
    path.write_bytes(data)
    try:
        report = validate_paths([str(path)], Settings())
    except DiscloserError:
        return
    for f in report.findings:
        assert isinstance(f.line, int), f
        assert isinstance(f.column, int), f
        assert f.line >= 1, f
        assert f.column >= 1, f
        assert f.file == str(path)


LIBRARY = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@LIBRARY
@given(data=st.binary(max_size=4096))
@example(data=b"")
@example(data=b"\xff\xfe")
@example(data=b"\x00")
@example(data=b"\xed\xa0\x80: x")
@example(data=b"[" * 2000)
def test_library_arbitrary_bytes(folder: Path, data: bytes) -> None:
    check_library(folder, data)


@LIBRARY
@given(data=st.one_of(ANY_TEXT, TOKEN_SOUP))
@example(data="a: \u2028\n".encode())
@example(data=b'a: "\\ud800"')
@example(data=b"&a [*a]")
def test_library_arbitrary_text(folder: Path, data: bytes) -> None:
    check_library(folder, data)


@LIBRARY
@given(data=mutated_base())
@example(data=BASE_BYTES)
@example(data=BASE_BYTES.replace(b"\n", b"\r"))
@example(data=BASE_BYTES[: len(BASE_BYTES) // 2])
def test_library_mutated_base(folder: Path, data: bytes) -> None:
    check_library(folder, data)


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=ANY_INPUT)
@example(data=b"\xff")
@example(data=BASE_BYTES)
def test_cli_process_never_crashes(folder: Path, data: bytes) -> None:
    path = folder / NAME
    path.write_bytes(data)
    proc = subprocess.run(
        [sys.executable, "-m", "discloser", "validate", "--format", "json", str(path)],
        cwd=folder,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=60,
        preexec_fn=limit_memory,
        check=False,
    )
    assert proc.returncode in (0, 1, 2), (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stdout
    assert "Traceback" not in proc.stderr
    assert "internal error" not in proc.stderr, proc.stderr
    assert proc.stdout.strip() or proc.stderr.strip()
    if proc.returncode in (0, 1):
        doc = json.loads(proc.stdout)
        for f in doc["findings"]:
            assert f["line"] >= 1, f
            assert f["column"] >= 1, f
        assert (proc.returncode == 1) == (doc["summary"]["errors"] > 0)
