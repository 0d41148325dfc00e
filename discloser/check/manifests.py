"""Manifests → permission facts: what the app asks the platform for, located.

Android's ``AndroidManifest.xml`` (every module; ``tools:node="remove"`` and ``maxSdkVersion``
understood), iOS ``Info.plist`` keys (``plistlib`` for values, expat for positions) and
``PrivacyInfo.xcprivacy``, and Expo's ``app.json`` / ``app.config.*`` (its permissions,
``infoPlist`` and the config plugins that add permissions, from ``patterns/expo/plugins.yaml``).
XML is read with expat with document type declarations refused, so no entity can expand.
"""

from __future__ import annotations

import plistlib
import xml.parsers.expat
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from discloser.check.scan import ANNOTATION, WAIVE, SiteWaiver
from discloser.check.signals import PATTERNS_DIR, Signal

ANDROID_NS = "http://schemas.android.com/apk/res/android"
TOOLS_NS = "http://schemas.android.com/tools"
MANIFEST_BYTES = 4 * 1024 * 1024


class ManifestError(Exception):
    """A manifest that cannot be read; becomes a located C101 finding."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass(frozen=True, slots=True)
class Fact:
    """One permission or key the app declares to its platform."""

    file: str
    line: int
    column: int
    platform: str  # ios | android
    name: str  # READ_MEDIA_IMAGES, NSPhotoLibraryUsageDescription
    value: str = ""  # the usage text, for iOS keys
    max_sdk: int | None = None


@dataclass
class PrivacyEntry:
    type: str
    line: int
    column: int
    tracking: bool
    purposes: list[str]


@dataclass
class PrivacyManifest:
    file: str
    entries: list[PrivacyEntry] = field(default_factory=list)
    line: int = 1
    column: int = 1


@dataclass
class ManifestScan:
    """Everything read from the app's manifests."""

    facts: list[Fact] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    privacy: list[PrivacyManifest] = field(default_factory=list)
    waivers: list[SiteWaiver] = field(default_factory=list)
    problems: list[tuple[str, int, int, str]] = field(default_factory=list)  # file, line, col, msg
    android_files: list[tuple[str, int, int]] = field(default_factory=list)
    ios_files: list[tuple[str, int, int]] = field(default_factory=list)


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as stream:
            data = stream.read(MANIFEST_BYTES + 1)
    except OSError as exc:
        raise ManifestError(f"cannot read ({exc.strerror})") from None
    if len(data) > MANIFEST_BYTES:
        raise ManifestError("larger than 4 MiB")
    return data


@dataclass
class _Xml:
    elements: list[tuple[str, dict[str, str], int, int]] = field(default_factory=list)
    texts: list[tuple[str, str, int, int]] = field(default_factory=list)  # tag, text, line, col
    comments: list[tuple[str, int, int]] = field(default_factory=list)


def _xml(data: bytes, keep_text: bool = False) -> _Xml:
    """Elements with 1-based positions, and comments (for waivers)."""
    out = _Xml()
    p = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    stack: list[list[Any]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        line, col = p.CurrentLineNumber, p.CurrentColumnNumber + 1
        out.elements.append((name, attrs, line, col))
        stack.append([name, [], line, col])

    def end(name: str) -> None:
        tag, chunks, line, col = stack.pop()
        if keep_text and tag in ("key", "string"):
            out.texts.append((tag, "".join(chunks), line, col))

    def chars(text: str) -> None:
        if stack:
            stack[-1][1].append(text)

    def comment(text: str) -> None:
        out.comments.append((text, p.CurrentLineNumber, p.CurrentColumnNumber + 1))

    def doctype(*_: object) -> None:
        if not keep_text:  # property lists carry Apple's DOCTYPE; others have no business to
            raise ManifestError("document type declarations are refused", p.CurrentLineNumber)

    def entity(*_: object) -> None:
        raise ManifestError("entity declarations are refused", p.CurrentLineNumber)

    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = chars
    p.CommentHandler = comment
    p.StartDoctypeDeclHandler = doctype
    p.EntityDeclHandler = entity
    try:
        p.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise ManifestError(
            f"not well-formed XML: {xml.parsers.expat.ErrorString(exc.code)}",
            exc.lineno,
            exc.offset + 1,
        ) from None
    return out


def _waivers(display: str, x: _Xml) -> list[SiteWaiver]:
    """``<!-- discloser: waive C301 reason -->`` applies to the next element."""
    out = []
    lines = sorted({e[2] for e in x.elements})
    for text, line, col in x.comments:
        m = ANNOTATION.search(text)
        w = WAIVE.match(m.group(1).strip()) if m else None
        if w:
            target = next((n for n in lines if n >= line), line)
            out.append(SiteWaiver(display, line, col, w.group(1), w.group(2).strip(), target))
    return out


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1] if name.startswith("android.permission.") else name


def read_android(display: str, path: Path, scan: ManifestScan) -> None:
    x = _xml(_read(path))
    removed = set()
    for tag, attrs, _, _ in x.elements:
        if (
            tag.endswith(("uses-permission", "uses-permission-sdk-23"))
            and attrs.get(f"{TOOLS_NS} node") == "remove"
        ):
            removed.add(attrs.get(f"{ANDROID_NS} name", ""))
    for tag, attrs, line, col in x.elements:
        if tag == "manifest":
            scan.android_files.append((display, line, col))
        if tag not in ("uses-permission", "uses-permission-sdk-23"):
            continue
        name = attrs.get(f"{ANDROID_NS} name", "")
        if not name or name in removed:
            continue
        max_sdk = attrs.get(f"{ANDROID_NS} maxSdkVersion", "")
        scan.facts.append(
            Fact(
                display,
                line,
                col,
                "android",
                _short(name),
                max_sdk=int(max_sdk) if max_sdk.isdigit() else None,
            )
        )
    scan.waivers += _waivers(display, x)


def _plist(display: str, path: Path) -> tuple[dict[str, Any], _Xml]:
    data = _read(path)
    try:
        value = plistlib.loads(data)
    except Exception as exc:  # plistlib raises several types for bad input
        raise ManifestError(f"not a property list ({type(exc).__name__})") from None
    if not isinstance(value, dict):
        raise ManifestError("not a property list dictionary")
    x = _xml(data, keep_text=True) if data.lstrip().startswith(b"<") else _Xml()
    return value, x


def _key_at(x: _Xml, key: str) -> tuple[int, int]:
    for tag, text, line, col in x.texts:
        if tag == "key" and text == key:
            return line, col
    return 1, 1


IOS_KEYS = (
    "NSPhotoLibraryUsageDescription",
    "NSPhotoLibraryAddUsageDescription",
    "NSCameraUsageDescription",
)


def read_info_plist(display: str, path: Path, scan: ManifestScan) -> None:
    value, x = _plist(display, path)
    top = next(((ln, c) for tag, _, ln, c in x.elements if tag == "dict"), (1, 1))
    scan.ios_files.append((display, *top))
    for key in IOS_KEYS:
        if key in value:
            text = value[key] if isinstance(value[key], str) else ""
            scan.facts.append(Fact(display, *_key_at(x, key), "ios", key, text))
    if "PHPhotoLibraryPreventAutomaticLimitedAccessAlert" in value:
        line, col = _key_at(x, "PHPhotoLibraryPreventAutomaticLimitedAccessAlert")
        scan.signals.append(
            Signal(
                display,
                line,
                col,
                "ios.plist.prevent-limited-alert",
                "limited_selection",
                "ios",
                "PHPhotoLibraryPreventAutomaticLimitedAccessAlert",
            )
        )
    ext = value.get("NSExtension")
    if isinstance(ext, dict) and ext.get("NSExtensionPointIdentifier") == (
        "com.apple.photos.background-upload"
    ):
        line, col = next(
            ((ln, c) for tag, t, ln, c in x.texts if t == "com.apple.photos.background-upload"),
            (1, 1),
        )
        scan.signals.append(
            Signal(
                display,
                line,
                col,
                "ios.plist.background-upload",
                "background_upload",
                "ios",
                "com.apple.photos.background-upload",
            )
        )
    scan.waivers += _waivers(display, x)


def read_privacy_manifest(display: str, path: Path, scan: ManifestScan) -> None:
    value, x = _plist(display, path)
    manifest = PrivacyManifest(display)
    manifest.line, manifest.column = _key_at(x, "NSPrivacyCollectedDataTypes")
    strings = [(t, ln, c) for tag, t, ln, c in x.texts if tag == "string"]
    used = 0
    for entry in value.get("NSPrivacyCollectedDataTypes", []) or []:
        if not isinstance(entry, dict):
            continue
        kind = str(entry.get("NSPrivacyCollectedDataType", ""))
        line, col = next(
            ((ln, c) for i, (t, ln, c) in enumerate(strings) if t == kind and i >= used),
            (manifest.line, manifest.column),
        )
        used = next((i + 1 for i, (t, ln, c) in enumerate(strings) if (ln, c) == (line, col)), used)
        purposes = entry.get("NSPrivacyCollectedDataTypePurposes", []) or []
        manifest.entries.append(
            PrivacyEntry(
                kind,
                line,
                col,
                entry.get("NSPrivacyCollectedDataTypeTracking") is True,
                [str(p) for p in purposes],
            )
        )
    scan.privacy.append(manifest)
    scan.waivers += _waivers(display, x)


@cache
def expo_plugins() -> dict[str, Any]:
    data: dict[str, Any] = yaml.load(
        (PATTERNS_DIR / "expo" / "plugins.yaml").read_text(encoding="utf-8"),
        Loader=yaml.CSafeLoader,
    )
    return data


def _compose(data: bytes) -> yaml.Node:
    try:
        node = yaml.compose(data.decode("utf-8"), Loader=yaml.CSafeLoader)
    except UnicodeDecodeError:
        raise ManifestError("not UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ManifestError(
            "not well-formed JSON", mark.line + 1 if mark else 1, mark.column + 1 if mark else 1
        ) from None
    if node is None:
        raise ManifestError("empty")
    return node


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.Node):
                return v
    return None


def _at(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def read_app_json(display: str, path: Path, scan: ManifestScan) -> None:
    """Expo's app.json: ios.infoPlist keys, android.permissions, and config plugins."""
    root = _compose(_read(path))
    if all(_get(root, k) is None for k in ("expo", "ios", "android")):
        return  # an app.json that is not Expo's (a bare React Native app's name file)
    expo = _get(root, "expo") or root
    ios, android = _get(expo, "ios"), _get(expo, "android")
    blocked: set[str] = set()
    blocked_node = _get(android, "blockedPermissions")
    if isinstance(blocked_node, yaml.SequenceNode):
        blocked = {
            _short(str(n.value)) for n in blocked_node.value if isinstance(n, yaml.ScalarNode)
        }
    scan.ios_files.append((display, *_at(expo)))
    scan.android_files.append((display, *_at(expo)))
    info = _get(ios, "infoPlist")
    for key in IOS_KEYS:
        v = _get(info, key)
        if isinstance(v, yaml.ScalarNode):
            scan.facts.append(Fact(display, *_at(v), "ios", key, str(v.value)))
    perms = _get(android, "permissions")
    if isinstance(perms, yaml.SequenceNode):
        for n in perms.value:
            if isinstance(n, yaml.ScalarNode) and _short(n.value) not in blocked:
                scan.facts.append(Fact(display, *_at(n), "android", _short(str(n.value))))
    plugins = _get(expo, "plugins")
    for item in plugins.value if isinstance(plugins, yaml.SequenceNode) else []:
        name_node, options = (item, None)
        if isinstance(item, yaml.SequenceNode) and item.value:
            name_node, options = item.value[0], (item.value[1] if len(item.value) > 1 else None)
        if not isinstance(name_node, yaml.ScalarNode):
            continue
        plugin = expo_plugins().get(str(name_node.value))
        if plugin is None:
            continue
        where = _at(name_node)
        for key, option in (plugin.get("ios") or {}).items():
            opt = _get(options, option) if option else None
            if isinstance(opt, yaml.ScalarNode) and opt.value == "false":
                continue
            text = str(opt.value) if isinstance(opt, yaml.ScalarNode) else ""
            if not any(f.file == display and f.name == key for f in scan.facts):
                scan.facts.append(Fact(display, *where, "ios", key, text))
        for perm, option in (plugin.get("android") or {}).items():
            if option:
                opt = _get(options, option)
                if not (isinstance(opt, yaml.ScalarNode) and opt.value == "true"):
                    continue
            if perm not in blocked:
                scan.facts.append(Fact(display, *where, "android", perm))


ANDROID_PHOTO_PERMISSIONS = frozenset(
    {
        "READ_MEDIA_IMAGES",
        "READ_MEDIA_VIDEO",
        "READ_MEDIA_VISUAL_USER_SELECTED",
        "READ_EXTERNAL_STORAGE",
        "ACCESS_MEDIA_LOCATION",
        "MANAGE_EXTERNAL_STORAGE",
        "MANAGE_MEDIA",
        "CAMERA",
    }
)


def read_app_config(display: str, path: Path, scan: ManifestScan) -> None:
    """Expo's app.config.js / .ts, read through the JS grammar (never run): the same facts as
    app.json wherever they are written as literals: permission names, Info.plist keys with their
    text, plugin names and ``isAccessMediaLocationEnabled: true``. Computed values are not seen.
    """
    from discloser.check.languages import GRAMMARS, parser
    from discloser.check.scan import Walk, walk

    language = "typescript" if path.suffix in (".ts", ".mts") else "javascript"
    data = _read(path)
    w = Walk(GRAMMARS[language], data)
    walk(parser(language).parse(data).root_node, w)
    tokens = w.tokens
    scan.ios_files.append((display, 1, 1))
    scan.android_files.append((display, 1, 1))

    def value_after(i: int) -> tuple[str, str] | None:
        if i + 2 < len(tokens) and tokens[i + 1][1] == ":":
            return tokens[i + 2][0], tokens[i + 2][1]
        return None

    location = any(
        t[1] == "isAccessMediaLocationEnabled" and value_after(i) == ("o", "true")
        for i, t in enumerate(tokens)
    )
    for i, (kind, text, row, col) in enumerate(tokens):
        if kind not in ("n", "s"):
            continue
        if text in IOS_KEYS:
            v = value_after(i)
            scan.facts.append(
                Fact(display, row + 1, col + 1, "ios", text, v[1] if v and v[0] == "s" else "")
            )
        elif kind == "s" and _short(text) in ANDROID_PHOTO_PERMISSIONS:
            scan.facts.append(Fact(display, row + 1, col + 1, "android", _short(text)))
        elif kind == "s" and text in expo_plugins():
            plugin = expo_plugins()[text]
            for key in plugin.get("ios") or {}:
                if not any(f.file == display and f.name == key for f in scan.facts):
                    scan.facts.append(Fact(display, row + 1, col + 1, "ios", key))
            for perm, option in (plugin.get("android") or {}).items():
                if not option or (option == "isAccessMediaLocationEnabled" and location):
                    scan.facts.append(Fact(display, row + 1, col + 1, "android", perm))


MANIFEST_NAMES = {
    "AndroidManifest.xml": read_android,
    "Info.plist": read_info_plist,
    "PrivacyInfo.xcprivacy": read_privacy_manifest,
    "app.json": read_app_json,
    "app.config.json": read_app_json,
    "app.config.js": read_app_config,
    "app.config.ts": read_app_config,
    "app.config.mjs": read_app_config,
    "app.config.cjs": read_app_config,
}


def manifest_reader(name: str) -> Any:
    if name in MANIFEST_NAMES:
        return MANIFEST_NAMES[name]
    if name.endswith("-Info.plist"):
        return read_info_plist
    if name.endswith(".xcprivacy"):
        return read_privacy_manifest
    return None


def read_manifests(items: list[tuple[str, Path]]) -> ManifestScan:
    """Every manifest, in the given (sorted) order; unreadable ones become problems."""
    scan = ManifestScan()
    for display, path in items:
        reader = manifest_reader(path.name)
        try:
            reader(display, path, scan)
        except ManifestError as exc:
            scan.problems.append((display, exc.line, exc.column, str(exc)))
        except (RecursionError, ValueError, TypeError) as exc:  # hostile nesting or values
            scan.problems.append((display, 1, 1, f"cannot be read ({type(exc).__name__})"))
    return scan
