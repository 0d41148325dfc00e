"""Signals and permission facts held against the declarations: the findings of ``check``.

A signal is linked to declarations by a ``discloser: <id>`` comment at the call site (or at
the file's head), else by the globs in a declaration's ``code:``. Code signals nobody links are
undeclared; manifest signals are app-wide, so any live or beta feature of the platform may
cover them. What a signal's kind demands of the declaration (access, cadence, reads) is the
table below, in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from discloser.check.codes import CODES, find_code
from discloser.check.manifests import Fact, ManifestScan
from discloser.check.scan import FileScan, SiteWaiver
from discloser.check.signals import COVERED_BY, Signal
from discloser.findings import Finding
from discloser.model.declaration import Declaration

ACTIVE = ("live", "beta")
LIBRARY = ("full_library", "limited_selection")
BROAD_ANDROID = ("READ_MEDIA_IMAGES", "READ_MEDIA_VIDEO", "MANAGE_EXTERNAL_STORAGE", "MANAGE_MEDIA")
PHOTOS_TYPE = "NSPrivacyCollectedDataTypePhotosorVideos"
AD_PURPOSES = (
    "NSPrivacyCollectedDataTypePurposeThirdPartyAdvertising",
    "NSPrivacyCollectedDataTypePurposeDeveloperAdvertising",
)


@dataclass(frozen=True)
class Declared:
    """A declaration as check needs it: the model, where it lives, where its answers are."""

    d: Declaration
    file: str
    at: dict[str, tuple[int, int]]  # "photos.access" → line, column


@dataclass
class Context:
    declared: dict[str, Declared]
    scans: list[FileScan]
    manifests: ManifestScan
    roots: list[str]
    findings: list[Finding] = field(default_factory=list)

    def add(self, code: str, file: str, line: int, column: int, message: str) -> None:
        c = CODES[code]
        self.findings.append(
            Finding(file, line, column, c.code, c.name, c.severity, message, c.hint)
        )


@cache
def _glob(pattern: str) -> re.Pattern[str]:
    """A ``code:`` glob as a regex: ``**`` crosses folders, ``*`` does not; a folder means all."""
    p = pattern.strip().lstrip("./") if pattern.startswith("./") else pattern.strip()
    p = p.rstrip("/")
    out = ""
    i = 0
    while i < len(p):
        if p.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif p.startswith("**", i):
            out += ".*"
            i += 2
        elif p[i] == "*":
            out += "[^/]*"
            i += 1
        elif p[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(p[i])
            i += 1
    return re.compile(rf"^{out}(?:/.*)?$")


def _paths(file: str, roots: list[str]) -> list[str]:
    norm = file.replace("\\", "/")
    norm = norm[2:] if norm.startswith("./") else norm
    out = [norm]
    for root in roots:
        r = root.replace("\\", "/").rstrip("/")
        r = r[2:] if r.startswith("./") else r
        if r in ("", "."):
            continue
        if norm.startswith(r + "/"):
            out.append(norm[len(r) + 1 :])
    return out


def _by_globs(ctx: Context, file: str) -> list[str]:
    paths = _paths(file, ctx.roots)
    return [
        fid
        for fid, x in ctx.declared.items()
        if any(_glob(g).match(p) for g in x.d.code for p in paths)
    ]


def _covers(kind: str, ds: list[Declaration]) -> str | None:
    """None when one of ``ds`` allows a signal of ``kind``; else the code it breaks."""

    def any_(pred: object) -> bool:
        return any(pred(d) for d in ds)  # type: ignore[operator]

    if kind == "picker":
        return None if any_(lambda d: d.photos.access != "capture_only") else "C202"
    if kind in ("library_read", "limited_selection"):
        return None if any_(lambda d: d.photos.access in LIBRARY) else "C202"
    if kind in ("change_observer", "background_trigger", "background_upload"):
        return None if any_(lambda d: d.photos.cadence == "continuous") else "C203"
    if kind == "read_faces":
        return (
            None
            if any_(lambda d: "faces" in d.photos.reads and d.photos.face_analysis != "none")
            else "C204"
        )
    if kind == "read_text":
        return None if any_(lambda d: "text" in d.photos.reads) else "C204"
    if kind == "read_location":
        return None if any_(lambda d: "location" in d.photos.reads) else "C204"
    return None  # add_only, capture: any declared feature may save or take a photo


_WHAT = {
    "picker": "uses the photo picker",
    "library_read": "reads the photo library",
    "limited_selection": "manages the limited photo selection",
    "change_observer": "watches the library for new photos",
    "background_trigger": "runs in the background",
    "background_upload": "uploads photos in the background",
    "read_faces": "reads faces",
    "read_text": "reads text in photos",
    "read_location": "reads where photos were taken",
    "add_only": "saves photos",
    "capture": "takes photos",
}


def _declared_as(kind: str, ds: list[Declaration]) -> str:
    if kind in ("change_observer", "background_trigger", "background_upload"):
        return ", ".join(f"{d.id} is {d.photos.cadence}" for d in ds)
    if kind.startswith("read_"):
        return ", ".join(f"{d.id} reads [{', '.join(d.photos.reads)}]" for d in ds)
    return ", ".join(f"{d.id} is {d.photos.access}" for d in ds)


def check_signals(ctx: Context, signals: Iterable[Signal], app_wide: bool) -> None:
    for s in signals:
        platforms = COVERED_BY[s.platform]
        ids = list(s.links) or _by_globs(ctx, s.file)
        unknown = [i for i in s.links if i not in ctx.declared]
        for i in unknown:
            ctx.add("C205", s.file, s.line, s.column, f"no declaration has the id {i!r}")
        linked = [ctx.declared[i].d for i in ids if i in ctx.declared]
        if not ids and app_wide:
            linked = [x.d for x in ctx.declared.values()]
        active = [d for d in linked if d.status in ACTIVE and platforms & set(d.platforms)]
        what = f"{s.text} {_WHAT[s.kind]}"
        if not active:
            if unknown and not linked:
                continue
            why = (
                "; linked to "
                + ", ".join(f"{d.id} ({d.status}, {'/'.join(d.platforms)})" for d in linked)
                if linked
                else ""
            )
            ctx.add(
                "C201",
                s.file,
                s.line,
                s.column,
                f"{what} [{s.pattern}] but no live or beta declaration for "
                f"{'/'.join(sorted(platforms))} covers it{why}",
            )
            continue
        broken = _covers(s.kind, active)
        if broken:
            ctx.add(
                broken,
                s.file,
                s.line,
                s.column,
                f"{what} [{s.pattern}], broader than declared: {_declared_as(s.kind, active)}",
            )


def _decls(ctx: Context, platform: str) -> list[Declared]:
    return [x for x in ctx.declared.values() if x.d.status in ACTIVE and platform in x.d.platforms]


def _present(facts: list[Fact], platform: str, names: Iterable[str]) -> list[Fact]:
    wanted = set(names)
    return [f for f in facts if f.platform == platform and f.name in wanted]


def check_android(ctx: Context) -> None:
    m = ctx.manifests
    if not m.android_files:
        return
    decls = _decls(ctx, "android")
    facts = [f for f in m.facts if f.platform == "android"]
    library = [x for x in decls if x.d.photos.access in LIBRARY]
    broad = [
        f
        for f in facts
        if f.name in BROAD_ANDROID
        or (f.name == "READ_EXTERNAL_STORAGE" and (f.max_sdk is None or f.max_sdk > 32))
    ]
    for f in _present(facts, "android", ["MANAGE_EXTERNAL_STORAGE"]):
        ctx.add(
            "C301",
            f.file,
            f.line,
            f.column,
            "MANAGE_EXTERNAL_STORAGE grants every file on the device; no photo feature needs "
            "it (the picker or READ_MEDIA_IMAGES covers photos)",
        )
    for f in broad:
        if not library and f.name != "MANAGE_EXTERNAL_STORAGE":
            ctx.add(
                "C301",
                f.file,
                f.line,
                f.column,
                f"{f.name} is requested but no live or beta Android feature is declared "
                "full_library or limited_selection (Google Play allows broad photo access "
                "only when the core use needs it)",
            )
    for f in _present(facts, "android", ["READ_MEDIA_VISUAL_USER_SELECTED"]):
        if not library:
            ctx.add(
                "C301",
                f.file,
                f.line,
                f.column,
                f"{f.name} is requested but no Android feature is declared "
                "full_library or limited_selection",
            )
    for f in _present(facts, "android", ["ACCESS_MEDIA_LOCATION"]):
        if not any("location" in x.d.photos.reads for x in decls):
            ctx.add(
                "C303",
                f.file,
                f.line,
                f.column,
                "ACCESS_MEDIA_LOCATION un-redacts where photos were taken, but no live or beta "
                "Android feature reads location",
            )
    file, line, col = m.android_files[0]
    has_read = any(f.name in ("READ_MEDIA_IMAGES", "READ_EXTERNAL_STORAGE") for f in facts)
    for x in library:
        if x.d.photos.access == "full_library" and not has_read:
            ctx.add(
                "C302",
                file,
                line,
                col,
                f"{x.d.id} is declared full_library on Android, but no manifest requests "
                "READ_MEDIA_IMAGES",
            )
        if x.d.photos.access == "limited_selection" and not _present(
            facts, "android", ["READ_MEDIA_VISUAL_USER_SELECTED"]
        ):
            ctx.add(
                "C302",
                file,
                line,
                col,
                f"{x.d.id} is declared limited_selection on Android, but no manifest requests "
                "READ_MEDIA_VISUAL_USER_SELECTED",
            )


def _generated_texts(xs: list[Declared], key: str) -> list[str]:
    """The usage text ``discloser render`` writes for each feature, in its first locale."""
    from discloser.render.native import PermissionTextTooLong, native
    from discloser.render.view import build_view

    out = []
    for x in xs:
        try:
            n = native(build_view(x.d, x.d.locale), x.d.photos.access)
        except PermissionTextTooLong:
            continue
        out += [text for k, text in n.ios_keys if k == key]
    return out


def check_ios(ctx: Context, signals: list[Signal]) -> None:
    m = ctx.manifests
    if not m.ios_files:
        return
    decls = _decls(ctx, "ios")
    facts = [f for f in m.facts if f.platform == "ios"]
    library = [x for x in decls if x.d.photos.access in LIBRARY]
    capture = [x for x in decls if x.d.photos.access == "capture_only"]
    for f in _present(facts, "ios", ["NSPhotoLibraryUsageDescription"]):
        if not library:
            ctx.add(
                "C301",
                f.file,
                f.line,
                f.column,
                "NSPhotoLibraryUsageDescription asks for the library, but no live or beta iOS "
                "feature is declared full_library or limited_selection (the picker needs no "
                "permission)",
            )
        elif f.value:
            texts = _generated_texts(library, f.name)
            if texts and f.value not in texts:
                ctx.add(
                    "C304",
                    f.file,
                    f.line,
                    f.column,
                    f"{f.name} says {f.value!r}; the text generated from "
                    f"{library[0].d.id} is {texts[0]!r}",
                )
    for f in _present(facts, "ios", ["NSCameraUsageDescription"]):
        texts = _generated_texts(capture, f.name) if capture else []
        if f.value and texts and f.value not in texts:
            ctx.add(
                "C304",
                f.file,
                f.line,
                f.column,
                f"{f.name} says {f.value!r}; the text generated from {capture[0].d.id} is "
                f"{texts[0]!r}",
            )
    names = {f.name for f in facts}
    file, line, col = m.ios_files[0]
    for x in library:
        if "NSPhotoLibraryUsageDescription" not in names:
            ctx.add(
                "C302",
                file,
                line,
                col,
                f"{x.d.id} is declared {x.d.photos.access} on iOS, but no Info.plist has "
                "NSPhotoLibraryUsageDescription",
            )
    ios_signals = [s for s in signals if "ios" in COVERED_BY[s.platform]]
    for s in ios_signals:
        if s.kind == "add_only" and "NSPhotoLibraryAddUsageDescription" not in names:
            ctx.add(
                "C302",
                s.file,
                s.line,
                s.column,
                f"{s.text} saves photos, but no Info.plist has NSPhotoLibraryAddUsageDescription",
            )
        if s.kind == "capture" and "NSCameraUsageDescription" not in names:
            ctx.add(
                "C302",
                s.file,
                s.line,
                s.column,
                f"{s.text} takes photos, but no Info.plist has NSCameraUsageDescription",
            )


def check_privacy(ctx: Context) -> None:
    decls = _decls(ctx, "ios")
    uploads = [
        x
        for x in decls
        if x.d.processing.location != "on_device" or x.d.storage.location == "cloud"
    ]
    ads = any(
        x.d.advertising.targeting or x.d.advertising.measurement or x.d.advertising.profiling
        for x in decls
    )
    for pm in ctx.manifests.privacy:
        exact = [e for e in pm.entries if e.type == PHOTOS_TYPE]
        misspelt = [
            e for e in pm.entries if e.type != PHOTOS_TYPE and e.type.lower() == PHOTOS_TYPE.lower()
        ]
        for e in misspelt:
            ctx.add(
                "C402",
                pm.file,
                e.line,
                e.column,
                f"{e.type} is not a type Apple reads: write {PHOTOS_TYPE}",
            )
        if uploads and not exact and not misspelt:
            ctx.add(
                "C401",
                pm.file,
                pm.line,
                pm.column,
                f"{uploads[0].d.id} sends photos off the device, but the privacy manifest "
                f"has no {PHOTOS_TYPE} entry",
            )
        for e in exact + misspelt:
            if not ads and (e.tracking or any(p in AD_PURPOSES for p in e.purposes)):
                ctx.add(
                    "C403",
                    pm.file,
                    e.line,
                    e.column,
                    "the privacy manifest says photos are used for tracking or advertising; "
                    "no live or beta iOS declaration uses photos for advertising",
                )


def apply_waivers(ctx: Context, waivers: list[SiteWaiver]) -> int:
    """Drop findings a reasoned waiver covers; report bad and unused waivers. Returns the count."""
    used: set[int] = set()
    valid: list[tuple[int, SiteWaiver, str]] = []
    for i, w in enumerate(waivers):
        target = find_code(w.code)
        if target is None:
            ctx.add("C502", w.file, w.line, w.column, f"waiver names unknown check {w.code!r}")
            continue
        if not w.reason:
            ctx.add("C501", w.file, w.line, w.column, f"waiver of {target.code} gives no reason")
            continue
        valid.append((i, w, target.code))
    kept: list[Finding] = []
    waived = 0
    for f in ctx.findings:
        hit = next(
            (
                i
                for i, w, c in valid
                if w.file == f.file and c == f.code and (w.target is None or w.target == f.line)
            ),
            None,
        )
        if hit is None or f.code.startswith("C5"):
            kept.append(f)
        else:
            used.add(hit)
            waived += 1
    ctx.findings = kept
    for i, w, c in valid:
        if i not in used:
            ctx.add(
                "C503", w.file, w.line, w.column, f"waiver of {c} suppresses nothing; remove it"
            )
    return waived


def link(ctx: Context) -> int:
    """Run every check; the findings land in ``ctx.findings``. Returns how many were waived."""
    code_signals = [s for scan in ctx.scans for s in scan.signals]
    check_signals(ctx, code_signals, app_wide=False)
    check_signals(ctx, ctx.manifests.signals, app_wide=True)
    check_android(ctx)
    check_ios(ctx, code_signals + ctx.manifests.signals)
    check_privacy(ctx)
    for scan in ctx.scans:
        for line, column, c, message in scan.problems:
            ctx.add(c, scan.file, line, column, message)
    for file, line, column, message in ctx.manifests.problems:
        ctx.add("C101", file, line, column, f"cannot read: {message}")
    waivers = [w for scan in ctx.scans for w in scan.waivers] + ctx.manifests.waivers
    return apply_waivers(ctx, waivers)
