"""Native strings, read back by what consumes them: Android's aapt and Apple's .strings grammar.

Every ``strings.xml`` the examples and the hostile corpus produce is compiled by Debian's
``aapt`` the way an Android build does (``aapt package`` of one res/ tree holding them all, with
a minimal manifest), and the values aapt stores are compared with the declared text. Every
``InfoPlist.strings`` is parsed by ``openstep_plist`` (fonttools' port of CoreFoundation's
old-style plist parser, which reads the .strings format with its escapes) back to the declared
text, under Info.plist keys only.
"""

from __future__ import annotations

import keyword
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from hostile_payloads import FORMAT_PAYLOADS, PAYLOADS

from discloser.load.discover import Source
from discloser.model.declaration import Declaration
from discloser.render import native
from discloser.render.markdown import to_text
from discloser.render.view import build_view
from discloser.validate import read_declaration

DECLARATIONS = ROOT / "declarations"
# Hostile text through examples that ask for the whole library, for selected photos, and for
# nothing (a picker: name and summary only).
HOSTILE_EXAMPLES = ("camera-roll-suggestions", "lumen-prints", "ai-restyle")
ALL_PAYLOADS = PAYLOADS + FORMAT_PAYLOADS
# The Info.plist keys a photo feature can need a purpose string for (Apple's documentation).
INFO_PLIST_KEYS = {
    "NSPhotoLibraryUsageDescription",
    "NSPhotoLibraryAddUsageDescription",
    "NSCameraUsageDescription",
}
MANIFEST = """<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="com.example.discloser.check"/>
"""


@dataclass(frozen=True)
class Rendered:
    out: Path
    declarations: list[Declaration]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """The examples rendered by the CLI, and every payload in every free-text field."""
    from test_render import _hostile_declaration

    from discloser.render.disclosure import make_environment, render_feature

    out = tmp_path_factory.mktemp("native") / "out"
    proc = run_cli("render", "declarations", "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    declarations = [
        read_declaration(Source(str(p), p))[0] for p in sorted(DECLARATIONS.glob("*.yaml"))
    ]
    env = make_environment(None)
    for e, example in enumerate(HOSTILE_EXAMPLES):
        for i, payload in enumerate(ALL_PAYLOADS):
            d = _hostile_declaration(payload, example)
            d = d.model_copy(update={"id": f"hostile-{e}-{i:02d}"})
            render_feature(d, out, env)
            declarations.append(d)
    return Rendered(out, declarations)


def expected(d: Declaration) -> Iterator[tuple[str, str, native.Native, dict[str, str]]]:
    """Per locale: its Android folder, the native texts, and each Android string by name."""
    prefix = native.android_name(d.id)
    for i, locale in enumerate(d.locales):
        v = build_view(d, locale)
        nat = native.native(v, d.photos.access)
        strings = {f"{prefix}_name": to_text(v.name), f"{prefix}_summary": to_text(v.summary)}
        if nat.android_permission:
            strings[f"{prefix}_rationale"] = nat.rationale
        yield locale, native.android_folder(locale, default=i == 0), nat, strings


# ------------------------------------------------------------------------------ Android


@pytest.fixture(scope="module")
def aapt() -> str:
    """Debian's aapt; missing fails under CI (make test installs it when run as root)."""
    path = shutil.which("aapt")
    if path is None:
        message = "aapt is missing (make test installs Debian's aapt when run as root)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


_CONFIG = re.compile(r"^\s*config (\S+):$")
_RESOURCE = re.compile(r"^\s*resource 0x[0-9a-f]+ [\w.]+:string/(\w+): ")
_VALUE = re.compile(r'^\s*\(string(?:8|16)\) "(.*)"$')
_DUMP_ESCAPE = re.compile(r"\\(.)")


def package(aapt: str, folder: Path, res: Path, apk: Path) -> subprocess.CompletedProcess[str]:
    """``aapt package``: the resource step of an Android build, with a minimal manifest."""
    manifest = folder / "AndroidManifest.xml"
    manifest.write_text(MANIFEST, encoding="utf-8")
    command = [aapt, "package", "-f", "-M", str(manifest), "-S", str(res), "-F", str(apk)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def stored_strings(aapt: str, apk: Path) -> dict[tuple[str, str], str]:
    """``(config, name) -> text`` as aapt stored it (``dump --values`` escapes \\ " and newline)."""
    dump = subprocess.run(
        [aapt, "dump", "--values", "resources", str(apk)],
        capture_output=True,
        text=True,
        check=True,
        encoding="utf-8",
    ).stdout
    out: dict[tuple[str, str], str] = {}
    config = name = ""
    for line in dump.splitlines():
        if m := _CONFIG.match(line):
            config = m.group(1)
        elif m := _RESOURCE.match(line):
            name = m.group(1)
        elif (m := _VALUE.match(line)) and name:
            text = _DUMP_ESCAPE.sub(lambda e: "\n" if e.group(1) == "n" else e.group(1), m[1])
            out[(config, name)] = text
            name = ""
    return out


def test_every_strings_xml_compiles_with_aapt_to_the_declared_text(
    rendered: Rendered, aapt: str, tmp_path: Path
) -> None:
    """One res/ tree holds every generated file (renamed per feature), built like an app."""
    res = tmp_path / "res"
    want: dict[tuple[str, str], str] = {}
    for d in rendered.declarations:
        for _locale, folder, _nat, strings in expected(d):
            source = rendered.out / d.id / "android" / folder / "strings.xml"
            (res / folder).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, res / folder / f"{native.android_name(d.id)}.xml")
            config = "(default)" if folder == "values" else folder.removeprefix("values-")
            want.update({(config, name): text for name, text in strings.items()})
    apk = tmp_path / "check.apk"
    proc = package(aapt, tmp_path, res, apk)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "warning" not in proc.stderr.lower(), proc.stderr[-3000:]
    got = stored_strings(aapt, apk)
    assert len(want) > 3 * len(ALL_PAYLOADS)
    wrong = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
    assert wrong == {}
    assert set(got) == set(want)  # nothing stored that the declaration did not say


def test_aapt_refuses_what_the_escaping_prevents(aapt: str, tmp_path: Path) -> None:
    """The check above can fail: aapt rejects an unescaped "%s %d" and reads "@x" as a link."""
    (tmp_path / "res" / "values").mkdir(parents=True)
    strings = tmp_path / "res" / "values" / "strings.xml"
    for body in ("<string name='a'>50% and %s and %d</string>", "<string name='a'>@x</string>"):
        strings.write_text(f"<resources>{body}</resources>", encoding="utf-8")
        proc = package(aapt, tmp_path, tmp_path / "res", tmp_path / "x.apk")
        assert proc.returncode != 0, body


def test_android_resource_names_are_java_identifiers(rendered: Rendered) -> None:
    names = re.compile(r'<string name="([^"]*)"')
    found = 0
    for path in rendered.out.rglob("strings.xml"):
        for name in names.findall(path.read_text(encoding="utf-8")):
            assert name.isidentifier() and name.isascii() and not keyword.iskeyword(name), name
            found += 1
    assert found > 3 * len(ALL_PAYLOADS)


@pytest.mark.parametrize(
    ("text", "xml"),
    [
        ("50% of your photos", "50% of your photos"),
        ("@string/x", "\\@string/x"),
        ("?attr/x", "\\?attr/x"),
        ('it\'s "so"', 'it\\\'s \\"so\\"'),
        ("a\\b\nc\td", "a\\\\b\\nc\\td"),
        (" a  b ", "\\u0020a \\u0020b\\u0020"),
        ("<b> & c", "&lt;b&gt; &amp; c"),
    ],
)
def test_android_string_escapes(text: str, xml: str) -> None:
    assert native.android_string(text) == xml


# ------------------------------------------------------------------------------ iOS


class _Once(dict[str, object]):
    """A dict that refuses a second value for a key: a .strings file with a key twice is wrong."""

    def __setitem__(self, key: str, value: object) -> None:
        assert key not in self, f"{key} twice"
        super().__setitem__(key, value)


def parse_strings(path: Path) -> dict[str, object]:
    import openstep_plist

    parsed: dict[str, object] = openstep_plist.loads(
        path.read_text(encoding="utf-8"), dict_type=_Once
    )
    return parsed


def test_every_infoplist_strings_parses_back_to_the_declared_text(rendered: Rendered) -> None:
    checked = 0
    for d in rendered.declarations:
        for locale, _folder, nat, _strings in expected(d):
            path = rendered.out / d.id / "ios" / f"{locale}.lproj" / "InfoPlist.strings"
            parsed = parse_strings(path)
            assert set(parsed) <= INFO_PLIST_KEYS, path
            assert parsed == dict(nat.ios_keys), path
            checked += len(parsed)
    assert checked > 2 * len(ALL_PAYLOADS)


@pytest.mark.parametrize(
    "text",
    [
        'a "quoted" \\ backslash',
        "new\nline\ttab\rreturn",
        "\\U00e9 written out, \\n too",
        "😀 \U0001d4b3 non-BMP",
        '*/ /* "; "NSCameraUsageDescription" = "x',
        "\x01\x1f\x7f",
    ],
)
def test_strings_value_round_trips_through_the_parser(text: str, tmp_path: Path) -> None:
    path = tmp_path / "InfoPlist.strings"
    path.write_text(
        f'/* {native.strings_comment(text)} */\n"NSCameraUsageDescription" = '
        f'"{native.strings_value(text)}";\n',
        encoding="utf-8",
    )
    assert parse_strings(path) == {"NSCameraUsageDescription": text}


def test_the_strings_parser_reads_apple_escapes() -> None:
    """The parser is a real one: \\U escapes and surrogate pairs decode, as in Apple's."""
    import openstep_plist

    assert openstep_plist.loads('"k" = "\\U00e9\\UD83D\\UDE00\\"";') == {"k": 'é😀"'}


def test_every_locale_shape_is_a_folder_aapt_reads(aapt: str, tmp_path: Path) -> None:
    """Language, language-region, script and three-letter languages (the LOCALE pattern)."""
    locales = ["fr", "fil", "pt-BR", "fil-PH", "sr-Latn", "zh-Hant-TW"]
    res = tmp_path / "res"
    for i, locale in enumerate(["en", *locales]):
        folder = res / native.android_folder(locale, default=i == 0)
        folder.mkdir(parents=True)
        (folder / "strings.xml").write_text(
            f'<resources><string name="a" formatted="false">{locale}</string></resources>',
            encoding="utf-8",
        )
    proc = package(aapt, tmp_path, res, tmp_path / "x.apk")
    assert proc.returncode == 0, proc.stderr
    stored = stored_strings(aapt, tmp_path / "x.apk")
    assert stored == {
        ("(default)", "a"): "en",
        **{(native.android_folder(x, False).removeprefix("values-"), "a"): x for x in locales},
    }
