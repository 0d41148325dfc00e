"""The check job: find the app's files, scan them (in worker processes when many), read the
manifests and the declarations, link, and return a report shaped like ``validate``'s.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from discloser.check.link import Context, Declared, link
from discloser.check.manifests import manifest_reader, read_manifests
from discloser.check.scan import FileScan, language_of, scan_files
from discloser.check.signals import Signal, load_patterns
from discloser.config import Settings
from discloser.errors import DiscloserError, LocatedError, UsageError
from discloser.findings import Finding
from discloser.parallel import map_chunks
from discloser.validate import Report

# Folders that hold dependencies, builds or tool caches, never the app's own code.
SKIP_DIRS = frozenset(
    {
        "node_modules",
        "Pods",
        "Carthage",
        "build",
        "DerivedData",
        "dist",
        "out",
        "vendor",
        "__pycache__",
        "venv",
        "target",
        "generated",
    }
)


class DeclarationsInvalid(DiscloserError):
    """The declarations do not validate; check compares against valid ones only."""

    exit_code = 1


@dataclass
class CheckResult:
    report: Report
    signals: list[Signal]


def _app_items(paths: list[str]) -> Iterator[tuple[str, str]]:
    """Every file of the app as ``(display path, name)``, in order, dependency and build
    folders pruned (the one walk ``check`` makes of the tree)."""
    for given in paths:
        root = Path(given)
        if root.is_file():
            yield given, root.name
        elif root.is_dir():
            for folder, dirs, files in os.walk(given):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
                for name in sorted(files):
                    display = os.path.join(folder, name)  # noqa: PTH118 - as given
                    if display.startswith("./") and not given.startswith("./"):
                        display = display[2:]
                    yield display, name
        else:
            raise UsageError(f"{given}: no such file or folder")


def app_files(paths: list[str]) -> tuple[list[tuple[str, str, str]], list[tuple[str, Path]]]:
    """Sources ``(display, path, language)`` and manifests ``(display, path)``, sorted."""
    sources: list[tuple[str, str, str]] = []
    manifests: list[tuple[str, Path]] = []
    for display, name in _app_items(paths):
        if manifest_reader(name) is not None:
            manifests.append((display, Path(display)))
        language = language_of(name)
        if language is not None:
            sources.append((display, display, language))
    return sources, manifests


def load_declared(paths: list[str]) -> dict[str, Declared]:
    from discloser.load.discover import discover
    from discloser.validate import SchemaErrors, read_declaration

    out: dict[str, Declared] = {}
    for source in discover(paths):
        try:
            d, marks = read_declaration(source)
        except (LocatedError, SchemaErrors):
            raise DeclarationsInvalid(
                f"{source.display}: the declaration does not validate: run "
                f"`discloser validate {source.display}` first"
            ) from None
        at = {
            "photos.access": marks.value(("photos", "access")),
            "photos.cadence": marks.value(("photos", "cadence")),
        }
        out[d.id] = Declared(d, source.display, at)
    return out


def store_files(paths: list[str]) -> tuple[Path | None, Path | None]:
    """The app's committed ``PrivacyInfo.xcprivacy`` and fastlane ``app_privacy_details.json``
    (the first of each in file order), which ``--app`` compares with the store answers."""
    manifest = fastlane = None
    for display, name in _app_items(paths):
        if manifest is None and name == "PrivacyInfo.xcprivacy":
            manifest = Path(display)
        elif fastlane is None and name == "app_privacy_details.json":
            fastlane = Path(display)
    return manifest, fastlane


def compare_stores(
    app: list[str], declared: dict[str, Declared], settings: Settings, app_name: str
) -> list[Finding]:
    """The committed store files against what app ``app_name``'s declarations imply (S1xx)."""
    from discloser.stores.job import compare

    manifest, fastlane = store_files(app)
    if manifest is None and fastlane is None:
        return []
    return compare([d.d for d in declared.values()], settings, app_name, manifest, fastlane)


def check_app(
    app: list[str],
    declarations: list[str],
    patterns: list[Path] | None = None,
    settings: Settings | None = None,
    app_name: str | None = None,
) -> CheckResult:
    """Every finding about ``app`` against ``declarations``; the same for any worker count.

    With ``app_name`` (one of the configured apps), the app's committed privacy manifest and
    fastlane answers are also held against the store answers its declarations imply.
    """
    pats = load_patterns(patterns)
    declared = load_declared(declarations)
    sources, manifest_items = app_files(app)
    parts = map_chunks(partial(scan_files, patterns=pats), sources)
    scans: list[FileScan] = [s for part in parts for s in part]
    manifests = read_manifests(manifest_items)
    ctx = Context(declared, scans, manifests, app)
    waived = link(ctx)
    if app_name is not None:
        ctx.findings += compare_stores(app, declared, settings or Settings(), app_name)
    ctx.findings.sort(key=lambda f: f.sort_key)
    report = Report(
        findings=ctx.findings,
        files=len(sources) + len(manifest_items),
        waived=waived,
        catalogue="app",
    )
    signals = sorted(
        [s for scan in scans for s in scan.signals] + manifests.signals, key=lambda s: s.sort_key
    )
    return CheckResult(report, signals)
