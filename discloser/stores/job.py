"""The job behind ``discloser stores`` (and the ``stores/`` folder of ``render``).

Per app, into ``<out>/<app>/``: ``PrivacyInfo.xcprivacy`` and ``app_privacy_details.json``
when the app ships on iOS, ``data-safety.csv`` (from a Console template) or
``data-safety.md`` (a checklist) when it ships on Android, and ``dpv/`` (the app and each
feature as DPV JSON-LD) always; ``context.jsonld`` once. Everything is computed before the
first byte is written, so a refusal (a template that lacks a question, a fastlane file that
would lose a category) writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from discloser.config import Settings
from discloser.errors import UsageError
from discloser.findings import Finding
from discloser.model.declaration import Declaration
from discloser.output import write_file
from discloser.stores import apple, dpv, play
from discloser.stores.apps import apps_of, implied, pick_app
from discloser.validate import Report


@dataclass(frozen=True)
class Existing:
    """The team's own files to merge into or fill (each for one app)."""

    manifest: Path | None = None
    fastlane: Path | None = None
    play_template: Path | None = None
    replace: bool = False

    @property
    def given(self) -> bool:
        return any((self.manifest, self.fastlane, self.play_template))


def plan(
    declarations: list[Declaration],
    settings: Settings,
    app_name: str | None = None,
    existing: Existing | None = None,
) -> dict[str, str | bytes]:
    """Every file to write, relative path to content; raises before anything is written."""
    existing = existing or Existing()
    apps = pick_app(apps_of(settings, declarations), app_name)
    if existing.given and len(apps) != 1:
        raise UsageError(
            "--merge, --fastlane and --play-template describe one app: choose it with --app "
            f"({', '.join(a.name for a in apps)})"
        )
    files: dict[str, str | bytes] = {"context.jsonld": dpv.text({"@context": dpv.CONTEXT})}
    for app in apps:
        imp = implied(app, declarations)
        base = app.name
        if "ios" in app.platforms:
            mine = apple.read_manifest(existing.manifest) if existing.manifest else None
            doc = apple.manifest(
                imp, mine, replace=existing.replace, existing_name=str(existing.manifest)
            )
            files[f"{base}/PrivacyInfo.xcprivacy"] = apple.manifest_bytes(doc)
            old = apple.read_fastlane(existing.fastlane) if existing.fastlane else None
            entries = apple.fastlane(
                imp, old, replace=existing.replace, existing_name=str(existing.fastlane)
            )
            files[f"{base}/app_privacy_details.json"] = apple.fastlane_text(entries)
        elif existing.manifest or existing.fastlane:
            raise UsageError(f"app {app.name!r} does not ship on iOS (platforms in settings)")
        if "android" in app.platforms:
            if existing.play_template:
                template = play.read_template(existing.play_template)
                filled = play.fill(template, imp, str(existing.play_template))
                files[f"{base}/data-safety.csv"] = filled
            else:
                files[f"{base}/data-safety.md"] = play.checklist(imp)
        elif existing.play_template:
            raise UsageError(f"app {app.name!r} does not ship on Android (platforms in settings)")
        files[f"{base}/dpv/app.jsonld"] = dpv.text(dpv.app_document(imp))
        for d in imp.features:
            files[f"{base}/dpv/{d.id}.jsonld"] = dpv.text(dpv.feature_document(d))
    return files


def write(folder: Path, files: dict[str, str | bytes]) -> None:
    for name, data in sorted(files.items()):
        write_file(folder / name, data)


def run(
    paths: list[str],
    out: Path,
    settings: Settings,
    app_name: str | None = None,
    existing: Existing | None = None,
) -> Report:
    """Validate ``paths``; when clean, write every app's store artefacts into ``out``."""
    from discloser.load.discover import discover
    from discloser.output import publish, refuse_dangerous, source_epoch, staging
    from discloser.pipeline import project_root
    from discloser.validate import read_declaration, validate_paths

    report = validate_paths(paths, settings)
    if report.errors:
        return report
    refuse_dangerous(out, [Path(p) for p in paths], project_root(Path.cwd()))
    declarations = [read_declaration(s)[0] for s in discover(paths)]
    files = plan(declarations, settings, app_name, existing)
    with staging(out) as stage:
        write(stage, files)
        publish(stage, out, source_epoch([d.effective for d in declarations]))
    return report


def compare(
    declarations: list[Declaration],
    settings: Settings,
    app_name: str | None,
    manifest: Path | None = None,
    fastlane: Path | None = None,
) -> list[Finding]:
    """For ``discloser check``: an app's committed store files against its declarations."""
    from discloser.stores.apple import compare_existing

    apps = pick_app(apps_of(settings, declarations), app_name)
    if len(apps) != 1:
        raise UsageError(f"choose the app to check with --app ({', '.join(a.name for a in apps)})")
    return compare_existing(implied(apps[0], declarations), manifest, fastlane)
