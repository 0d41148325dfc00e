"""Apple's two forms of the same answers: the privacy manifest and fastlane's App Store JSON.

``PrivacyInfo.xcprivacy`` is a property list written and read with :mod:`plistlib` (the format
Xcode reads); keys are spelled exactly as Apple reads them. Merging into a team's own manifest
replaces only the data types discloser owns (the rows of the mapping table) and keeps every
other key and entry (accessed-API reasons, tracking domains, other data types) in place, so a
second merge changes nothing.

``app_privacy_details.json`` is the file fastlane's ``upload_app_privacy_details_to_app_store``
reads. That upload deletes every existing answer before it writes the file's, so the file must
describe the whole app: given the team's existing file, discloser keeps the categories it does
not own and refuses to drop one it owns unless told to replace.
"""

from __future__ import annotations

import json
import plistlib
from pathlib import Path
from typing import Any
from xml.parsers.expat import ExpatError

from discloser.errors import UsageError
from discloser.findings import Finding, Severity
from discloser.stores.apps import DataUse, Implied
from discloser.stores.mapping import Mapping, load

COLLECTED = "NSPrivacyCollectedDataTypes"
TYPE = "NSPrivacyCollectedDataType"
LINKED = "NSPrivacyCollectedDataTypeLinked"
TRACKING = "NSPrivacyCollectedDataTypeTracking"
PURPOSES = "NSPrivacyCollectedDataTypePurposes"
NOT_COLLECTED = "DATA_NOT_COLLECTED"


class StoreFileError(UsageError):
    """An existing store file given on the command line cannot be used as it is."""


def _purposes(use: DataUse, field: str, mapping: Mapping) -> list[str]:
    terms = {getattr(mapping.purposes[c], field) for c in use.categories}
    return sorted(terms)


def collected_entries(implied: Implied) -> list[dict[str, Any]]:
    """The manifest's collected-data dictionaries discloser owns, in table order."""
    mapping = load()
    linked = bool(mapping.rules["linked"])
    return [
        {
            TYPE: use.row.apple,
            LINKED: linked,
            TRACKING: use.tracking,
            PURPOSES: _purposes(use, "apple", mapping),
        }
        for use in implied.apple
        if use.row.apple
    ]


def owned_types() -> set[str]:
    """The privacy-manifest data types discloser answers for (the rest are the team's)."""
    return {row.apple for row in load().data if row.apple}


def owned_categories() -> set[str]:
    """The fastlane categories discloser answers for (the rest are the team's)."""
    return {row.fastlane for row in load().data if row.fastlane}


def manifest(
    implied: Implied,
    existing: dict[str, Any] | None = None,
    *,
    replace: bool = False,
    existing_name: str = "the existing manifest",
) -> dict[str, Any]:
    """The manifest: ``existing`` with discloser's data types replaced, or a new one.

    Refuses (unless ``replace``) to remove a data type discloser owns that no feature implies
    any more: another part of the app (a map's location) may be why it is there.
    """
    doc: dict[str, Any] = dict(existing) if existing else {}
    owned = owned_types()
    ours = {e[TYPE]: e for e in collected_entries(implied)}
    present = {e.get(TYPE) for e in doc.get(COLLECTED, []) if isinstance(e, dict)}
    dropped = sorted(str(k) for k in (present & owned) - ours.keys())
    if dropped and not replace:
        raise StoreFileError(
            f"{existing_name}: the declarations no longer imply {', '.join(dropped)}; merging "
            "would remove it from the manifest (rerun with --replace if that is intended)"
        )
    entries: list[Any] = []
    for entry in doc.get(COLLECTED, []):
        kind = entry.get(TYPE) if isinstance(entry, dict) else None
        if kind in owned:
            if kind in ours:
                entries.append(ours.pop(kind))
        else:
            entries.append(entry)
    entries += ours.values()
    doc["NSPrivacyTracking"] = bool(doc.get("NSPrivacyTracking", False)) or implied.tracking
    doc.setdefault("NSPrivacyTrackingDomains", [])
    doc[COLLECTED] = entries
    doc.setdefault("NSPrivacyAccessedAPITypes", [])
    return doc


def read_manifest(path: Path) -> dict[str, Any]:
    """A team's existing manifest, refused with its name when it is not a property list."""
    try:
        doc = plistlib.loads(path.read_bytes())
    except OSError as exc:
        raise StoreFileError(f"{path}: cannot read ({exc.strerror})") from None
    except (plistlib.InvalidFileException, ExpatError, ValueError, TypeError, OverflowError) as exc:
        raise StoreFileError(f"{path}: not a property list ({exc})") from None
    if not isinstance(doc, dict):
        raise StoreFileError(f"{path}: a privacy manifest is a dictionary at the top level")
    if not isinstance(doc.get(COLLECTED, []), list):
        raise StoreFileError(f"{path}: {COLLECTED} must be an array")
    return doc


def manifest_bytes(doc: dict[str, Any]) -> bytes:
    """XML property list, keys in their given order (so a merge keeps the team's order)."""
    return plistlib.dumps(doc, fmt=plistlib.FMT_XML, sort_keys=False)


# ------------------------------------------------------------------------------ fastlane


def fastlane_entries(implied: Implied) -> list[dict[str, Any]]:
    """Our categories as fastlane writes them: sorted purposes and protections."""
    mapping = load()
    out = []
    for use in implied.apple:
        if not use.row.fastlane:
            continue
        protections = [
            "DATA_LINKED_TO_YOU" if mapping.rules["linked"] else "DATA_NOT_LINKED_TO_YOU"
        ]
        if use.tracking:
            protections.append("DATA_USED_TO_TRACK_YOU")
        out.append(
            {
                "category": use.row.fastlane,
                "purposes": _purposes(use, "fastlane", mapping),
                "data_protections": sorted(protections),
            }
        )
    return out


def read_fastlane(path: Path) -> list[dict[str, Any]]:
    try:
        doc = json.loads(path.read_bytes())
    except OSError as exc:
        raise StoreFileError(f"{path}: cannot read ({exc.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreFileError(f"{path}: not JSON ({exc})") from None
    if not isinstance(doc, list) or not all(isinstance(e, dict) for e in doc):
        raise StoreFileError(f"{path}: fastlane's app privacy details are a JSON array of objects")
    return doc


def fastlane(
    implied: Implied,
    existing: list[dict[str, Any]] | None = None,
    *,
    replace: bool = False,
    existing_name: str = "the existing file",
) -> list[dict[str, Any]]:
    """The whole app's answers: ours, plus the existing file's categories we do not own.

    Refuses (unless ``replace``) when an owned category of the existing file is no longer
    implied: the upload would silently remove that answer from the App Store.
    """
    ours = fastlane_entries(implied)
    owned = owned_categories()
    kept: list[dict[str, Any]] = []
    if existing:
        implied_cats = {e["category"] for e in ours}
        dropped = sorted(
            {str(e.get("category")) for e in existing if e.get("category") in owned} - implied_cats
        )
        if dropped and not replace:
            raise StoreFileError(
                f"{existing_name}: the declarations no longer imply {', '.join(dropped)}; "
                "the upload would remove it from the App Store (rerun with --replace if that "
                "is intended)"
            )
        kept = [e for e in existing if "category" in e and e["category"] not in owned]
    entries = sorted(ours + kept, key=lambda e: str(e["category"]))
    return entries or [{"data_protections": [NOT_COLLECTED]}]


def fastlane_text(entries: list[dict[str, Any]]) -> str:
    return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"


# JSON Schema of the shape fastlane reads (written from its action and spaceship's ID lists).
FASTLANE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "fastlane app_privacy_details.json",
    "type": "array",
    "minItems": 1,
    "items": {
        "oneOf": [
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["data_protections"],
                "properties": {
                    "data_protections": {"const": [NOT_COLLECTED]},
                },
            },
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["category", "purposes", "data_protections"],
                "properties": {
                    "category": {"type": "string", "pattern": "^[A-Z_]+$"},
                    "purposes": {
                        "type": "array",
                        "minItems": 1,
                        "uniqueItems": True,
                        "items": {
                            "enum": [
                                "THIRD_PARTY_ADVERTISING",
                                "DEVELOPERS_ADVERTISING",
                                "ANALYTICS",
                                "PRODUCT_PERSONALIZATION",
                                "APP_FUNCTIONALITY",
                                "OTHER_PURPOSES",
                            ]
                        },
                    },
                    "data_protections": {
                        "type": "array",
                        "minItems": 1,
                        "uniqueItems": True,
                        "items": {
                            "enum": [
                                "DATA_USED_TO_TRACK_YOU",
                                "DATA_LINKED_TO_YOU",
                                "DATA_NOT_LINKED_TO_YOU",
                            ]
                        },
                    },
                },
            },
        ]
    },
}


# ------------------------------------------------------------------------------ check


_LINES: dict[str, list[str]] = {}


def _finding(path: str, code: str, name: str, message: str, hint: str) -> Finding:
    """Located at the first line that names the data type or category, else line 1."""
    lines = _LINES.get(path)
    if lines is None:
        try:
            lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            lines = []
        _LINES[path] = lines
    needle = message.split(" ", 1)[0].rstrip(":")
    for number, line in enumerate(lines, start=1):
        column = line.find(needle)
        if column >= 0:
            return Finding(path, number, column + 1, code, name, Severity.ERROR, message, hint)
    return Finding(path, 1, 1, code, name, Severity.ERROR, message, hint)


def compare_existing(
    implied: Implied, manifest_path: Path | None = None, fastlane_path: Path | None = None
) -> list[Finding]:
    """Where an app's committed manifest or fastlane file says less (or other) than implied.

    For ``discloser check``: one finding per owned data type that is missing, extra, or
    answered differently (linked, tracking, purposes). Types discloser does not own are the
    team's and are not compared.
    """
    findings: list[Finding] = []
    _LINES.clear()
    if manifest_path is not None:
        doc = read_manifest(manifest_path)
        want = {e[TYPE]: e for e in collected_entries(implied)}
        owned_t = owned_types()
        have: dict[str, dict[str, Any]] = {
            str(e.get(TYPE)): e
            for e in doc.get(COLLECTED, [])
            if isinstance(e, dict) and e.get(TYPE) in owned_t
        }
        shown = str(manifest_path)
        for kind in sorted(want.keys() - have.keys()):
            findings.append(
                _finding(
                    shown,
                    "S101",
                    "manifest-missing-data-type",
                    f"{kind} is implied by the declarations but missing from the manifest",
                    f"discloser stores --merge {shown}",
                )
            )
        for kind in sorted(have.keys() - want.keys()):
            findings.append(
                _finding(
                    shown,
                    "S102",
                    "manifest-extra-data-type",
                    f"{kind} is in the manifest but no live feature implies it",
                    f"discloser stores --merge {shown}",
                )
            )
        for kind in sorted(want.keys() & have.keys()):
            w, h = want[kind], have[kind]
            for key in (LINKED, TRACKING):
                if bool(h.get(key)) != w[key]:
                    findings.append(
                        _finding(
                            shown,
                            "S103",
                            "manifest-answer-differs",
                            f"{kind}: {key} is {bool(h.get(key))}, the declarations imply {w[key]}",
                            f"discloser stores --merge {shown}",
                        )
                    )
            if sorted(h.get(PURPOSES, [])) != w[PURPOSES]:
                findings.append(
                    _finding(
                        shown,
                        "S103",
                        "manifest-answer-differs",
                        f"{kind}: purposes are {', '.join(sorted(h.get(PURPOSES, []))) or 'none'}, "
                        f"the declarations imply {', '.join(w[PURPOSES])}",
                        f"discloser stores --merge {shown}",
                    )
                )
    if fastlane_path is not None:
        entries = read_fastlane(fastlane_path)
        shown = str(fastlane_path)
        owned = owned_categories()
        want_f = {e["category"]: e for e in fastlane_entries(implied)}
        have_f = {str(e.get("category")): e for e in entries if e.get("category") in owned}
        for cat in sorted(want_f.keys() - have_f.keys()):
            findings.append(
                _finding(
                    shown,
                    "S104",
                    "fastlane-missing-category",
                    f"{cat} is implied by the declarations but missing from {fastlane_path.name}",
                    f"discloser stores --fastlane {shown}",
                )
            )
        for cat in sorted(have_f.keys() - want_f.keys()):
            findings.append(
                _finding(
                    shown,
                    "S105",
                    "fastlane-extra-category",
                    f"{cat} is in {fastlane_path.name} but no live feature implies it",
                    f"discloser stores --fastlane {shown} --replace",
                )
            )
        for cat in sorted(want_f.keys() & have_f.keys()):
            w, h = want_f[cat], have_f[cat]
            for key in ("purposes", "data_protections"):
                if sorted(h.get(key, [])) != w[key]:
                    findings.append(
                        _finding(
                            shown,
                            "S106",
                            "fastlane-answer-differs",
                            f"{cat}: {key} are {', '.join(sorted(h.get(key, []))) or 'none'}, "
                            f"the declarations imply {', '.join(w[key])}",
                            f"discloser stores --fastlane {shown}",
                        )
                    )
    return findings
