"""The finding codes of `discloser check`: C1xx reading, C2xx code against declarations,
C3xx manifests, C4xx the privacy manifest, C5xx waivers.

Each check is registered with a stable code and name; its docstring is its documentation (the
summary line is what `discloser rules` prints, the rest says why and shows an example).
Codes never collide with `validate`'s D-codes, so one waiver or one SARIF upload can carry
both.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

from discloser.findings import Severity


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: Severity
    hint: str
    doc: str

    @property
    def summary(self) -> str:
        return self.doc.split("\n", 1)[0]


CODES: dict[str, Code] = {}


def code(c: str, name: str, severity: Severity, hint: str) -> Callable[[Callable[[], None]], Code]:
    def register(fn: Callable[[], None]) -> Code:
        entry = Code(c, name, severity, hint, inspect.getdoc(fn) or "")
        if c in CODES or any(x.name == name for x in CODES.values()):
            raise RuntimeError(f"check code {c} {name} registered twice")
        CODES[c] = entry
        return entry

    return register


def find_code(key: str) -> Code | None:
    return CODES.get(key.upper()) or next((c for c in CODES.values() if c.name == key), None)


@code("C101", "manifest-unreadable", Severity.ERROR, "fix the file so the platform can read it")
def _c101() -> None:
    """A manifest (AndroidManifest.xml, Info.plist, xcprivacy, app.json) cannot be read.

    A file the checker cannot read cannot be held against the declarations; the platform's
    own tools would refuse it too. Example: an `AndroidManifest.xml` cut off mid-element.
    """


@code(
    "C201",
    "undeclared-photo-access",
    Severity.ERROR,
    "add the file to a live or beta declaration's code:, or annotate the call with "
    "`discloser: <feature-id>`",
)
def _c201() -> None:
    """A photo-related call is not covered by any live or beta declaration.

    Everything discloser publishes is only as true as the declarations; a call no declaration
    owns is photo use nobody disclosed. Example: `PHAsset.fetchAssets(...)` in
    `ios/Sync/Uploader.swift` while no declaration lists `ios/Sync/**` in `code:`.
    """


@code(
    "C202",
    "access-broader-than-declared",
    Severity.ERROR,
    "use the system picker, or declare photos.access: full_library (or limited_selection)",
)
def _c202() -> None:
    """The code reaches more photos than the declaration's photos.access says.

    A library read (`PHAsset.fetchAssets`, a MediaStore images query, `CameraRoll.getPhotos`)
    in a feature declared `picker` reads photos the person never picked. Example: a feature
    declared `access: picker` whose code calls
    `PHPhotoLibrary.requestAuthorization(for: .readWrite)`.
    """


@code(
    "C203",
    "continuous-not-declared",
    Severity.ERROR,
    "declare photos.cadence: continuous (with a lookback), or remove the observer",
)
def _c203() -> None:
    """A change observer, background task or background upload in a feature not continuous.

    Processing new photos as they arrive, or uploading in the background, is continuous use;
    the label must say so. Example: `PHPhotoLibrary.shared().register(self)` in a feature
    declared `cadence: on_request`.
    """


@code(
    "C204",
    "read-not-declared",
    Severity.ERROR,
    "add the item to photos.reads (and face_analysis for faces), or remove the call",
)
def _c204() -> None:
    """The code reads faces, text or location that photos.reads does not list.

    What is read from a photo is one of the eight answers. Example: `VNDetectFaceRectanglesRequest`
    in a feature whose `reads` is `[pixels]`, or `ExifInterface.latLong` without `location`.
    """


@code(
    "C205", "unknown-feature", Severity.ERROR, "name an existing declaration id (see declarations/)"
)
def _c205() -> None:
    """A `discloser: <id>` annotation names a feature no declaration has.

    A typo in an annotation would silently leave the call undeclared. Example:
    `// discloser: cloud-backups` when the declaration's id is `cloud-backup`.
    """


@code(
    "C206",
    "bad-annotation",
    Severity.WARNING,
    "write `discloser: <feature-id>[, <id>]` or `discloser: waive <code> <reason>`",
)
def _c206() -> None:
    """A `discloser:` comment is neither a feature link nor a waiver.

    Example: `// discloser: see the backup feature`.
    """


@code(
    "C301",
    "permission-not-needed",
    Severity.ERROR,
    "remove the permission or key; the system picker needs none",
)
def _c301() -> None:
    """A manifest permission or plist key no live or beta declaration needs.

    Google Play lets only apps whose core use needs broad access keep `READ_MEDIA_IMAGES` /
    `READ_MEDIA_VIDEO`; an iOS app whose features all use the picker should not ask for the
    library. Example: `<uses-permission android:name="android.permission.READ_MEDIA_IMAGES"/>`
    while every Android feature is declared `access: picker`.
    """


@code(
    "C302",
    "permission-missing",
    Severity.ERROR,
    "add the permission or usage-description key the declared feature needs",
)
def _c302() -> None:
    """A declared feature or a call needs a permission or key the manifest lacks.

    The platform refuses (or crashes) without it, so the feature cannot be doing what the
    declaration says. Example: a feature declared `full_library` on iOS with no
    `NSPhotoLibraryUsageDescription`; `.addOnly` without `NSPhotoLibraryAddUsageDescription`.
    """


@code(
    "C303",
    "media-location-not-read",
    Severity.ERROR,
    "add location to photos.reads, or remove ACCESS_MEDIA_LOCATION",
)
def _c303() -> None:
    """`ACCESS_MEDIA_LOCATION` is requested while no declaration reads location.

    Android redacts photo locations without it; asking for it means the app reads where photos
    were taken. Example: the permission in the manifest, every `reads` without `location`.
    """


@code(
    "C304",
    "usage-text-differs",
    Severity.WARNING,
    "use the text discloser render writes (ios/<locale>.lproj/InfoPlist.strings)",
)
def _c304() -> None:
    """A usage-description string differs from the text generated from the declarations.

    The system alert is the disclosure most people read; hand-written text drifts from the
    declaration. Example: `NSPhotoLibraryUsageDescription` = "We need your photos".
    """


@code(
    "C401",
    "privacy-manifest-missing-photos",
    Severity.ERROR,
    "add an NSPrivacyCollectedDataTypes entry NSPrivacyCollectedDataTypePhotosorVideos",
)
def _c401() -> None:
    """PrivacyInfo.xcprivacy omits photos while a declaration uploads photos from iOS.

    Apple counts data sent off the device and kept as collected. Example: a feature processed
    in the `cloud` on iOS, and no `NSPrivacyCollectedDataTypePhotosorVideos` entry.
    """


@code(
    "C402",
    "privacy-manifest-misspelt-type",
    Severity.ERROR,
    'write NSPrivacyCollectedDataTypePhotosorVideos (lower-case "or")',
)
def _c402() -> None:
    """A collected-data type is a misspelling Apple does not read.

    Example: `NSPrivacyCollectedDataTypePhotosOrVideos` (capital "Or").
    """


@code(
    "C403",
    "privacy-manifest-tracking-denied",
    Severity.ERROR,
    "set NSPrivacyCollectedDataTypeTracking to false, or declare the advertising use",
)
def _c403() -> None:
    """The privacy manifest says photos are used for tracking or ads; the declarations deny it.

    Example: the photos entry with `NSPrivacyCollectedDataTypeTracking` true while every
    declaration answers `advertising` with false.
    """


@code(
    "C501",
    "waiver-without-reason",
    Severity.ERROR,
    "write the reason after the code: `discloser: waive C202 <why>`",
)
def _c501() -> None:
    """A `discloser: waive` comment gives no reason; it waives nothing.

    As in `validate`, a waiver is a claim someone must be able to check. Example:
    `// discloser: waive C202`.
    """


@code("C502", "unknown-waiver-code", Severity.ERROR, "name a code or name from `discloser rules`")
def _c502() -> None:
    """A waiver names a check that does not exist.

    Example: `// discloser: waive C999 legacy`.
    """


@code("C503", "unused-waiver", Severity.WARNING, "remove the waiver")
def _c503() -> None:
    """A waiver no longer suppresses any finding.

    Example: `// discloser: waive C202 …` above a call that is now a picker.
    """
