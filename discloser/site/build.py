"""``discloser build``: validate, stage the site as mkdocs projects, build them, swap atomically.

The whole site is made in a staging folder beside ``out`` and put in place in one step
(:func:`discloser.output.publish`), so a failed or killed build leaves the previous site as it
was. Layout::

    <out>/index.html            links to each locale, the default first (no script)
    <out>/<locale>/...          one mkdocs-built site per locale the declarations ship in
    <out>/downloads/...         catalogue.json, the JSON Schemas, the ledger, notices/<id>.json
    <out>/downloads/log/...     the ledger as a transparency log: checkpoint, tile/... (tlog-tiles)

A rebuild with nothing changed is nearly free: a fingerprint of every input (declaration and
ledger bytes, the project's templates, settings, discloser's own files, the builder's
versions, ``SOURCE_DATE_EPOCH``) is kept in the site; when it matches, nothing is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from discloser import __version__
from discloser.config import Settings
from discloser.errors import UsageError
from discloser.load.discover import discover
from discloser.output import MARKER, publish, refuse_dangerous, source_epoch, staging
from discloser.parallel import workers
from discloser.pipeline import RenderFailed, project_root
from discloser.release.log import CHECKPOINT_NAME, VKEY_NAME
from discloser.validate import Report, ledgers_beside, validate_paths, validate_then

if TYPE_CHECKING:
    from discloser.model.declaration import Declaration
    from discloser.site.content import Release
    from discloser.site.project import Staged

INPUTS = ".discloser-site"  # the fingerprint of what the site was built from


@dataclass
class SiteReport(Report):
    """The validation report, plus whether the build was skipped (nothing changed)."""

    skipped: bool = False


def _own_files() -> list[tuple[str, bytes]]:
    """discloser's own code, templates and catalogues: a change there changes the site."""
    root = Path(str(resources.files("discloser")))
    out = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            out.append((str(path.relative_to(root)), path.read_bytes()))
    return out


def fingerprint(
    paths: list[str], templates: Path | None, settings: Settings, ledgers: list[Path]
) -> str:
    """sha256 over everything the site is made from (see the module docstring)."""
    from discloser.site.builder import versions

    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}\0{len(data)}\0".encode())
        digest.update(data)

    add("discloser", __version__.encode())
    add("builder", versions().encode())
    add("settings", repr(settings).encode())
    add("epoch", os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    for name, data in _own_files():
        add(f"own:{name}", data)
    for source in discover(paths):
        add(f"declaration:{source.display}", Path(source.path).read_bytes())
    for ledger in ledgers:
        add(f"ledger:{ledger}", ledger.read_bytes())
        for name in (CHECKPOINT_NAME, VKEY_NAME):
            if (ledger.parent / name).is_file():
                add(f"log:{ledger.parent / name}", (ledger.parent / name).read_bytes())
    if templates is not None and templates.is_dir():
        for path in sorted(templates.rglob("*")):
            if path.is_file():
                add(f"template:{path.relative_to(templates)}", path.read_bytes())
    return digest.hexdigest()


def _unchanged(out: Path, inputs: str) -> bool:
    marker = out / INPUTS
    if not (out / MARKER).is_file() or not marker.is_file():
        return False
    try:
        return bool(json.loads(marker.read_text(encoding="utf-8")).get("inputs") == inputs)
    except (OSError, ValueError, AttributeError):
        return False


def build_site(paths: list[str], out: Path, settings: Settings, templates: Path | None) -> Report:
    """Validate ``paths`` and, in the same pass, stage each feature's pages (parse once); when
    validation is clean, build the transparency site and swap it in for ``out`` atomically."""
    ledgers = [path for _, path in ledgers_beside(paths)]
    try:
        refuse_dangerous(out, [Path(p) for p in paths], project_root(Path.cwd()))
        refused: UsageError | None = None
        inputs = fingerprint(paths, templates, settings, ledgers)
        unchanged = _unchanged(out, inputs)
    except UsageError as exc:
        refused, inputs, unchanged = exc, "", False
    except OSError:  # an unreadable input: validation below says which, located
        refused, inputs, unchanged = None, "", False
    if refused is not None or unchanged:
        # Nothing to stage: validate only (wrong declarations are reported before a refusal).
        report = validate_paths(paths, settings)
        result = SiteReport(findings=report.findings, files=report.files, waived=report.waived)
        if refused is not None and not report.errors:
            raise refused
        result.skipped = not report.errors
        return result
    with staging(out) as stage:
        report, epoch = stage_site(paths, settings, stage, templates, ledgers)
        result = SiteReport(findings=report.findings, files=report.files, waived=report.waived)
        if epoch is None:
            return result
        (stage / INPUTS).write_text(
            json.dumps({"inputs": inputs, "discloser": __version__}) + "\n", encoding="utf-8"
        )
        publish(stage, out, epoch)
    return result


def stage_site(
    paths: list[str], settings: Settings, stage: Path, templates: Path | None, ledgers: list[Path]
) -> tuple[Report, int | None]:
    """Validate and stage every feature in one pass, then the rest (see :func:`assemble`).

    Returns the report and the timestamp the site's files carry, or None when the
    declarations have errors (the stage is then half-made and must be thrown away).
    """
    from discloser.errors import DiscloserError
    from discloser.release.log import notice_proofs
    from discloser.site.content import by_feature, read_ledgers
    from discloser.site.project import StageFeature

    releases = read_ledgers(ledgers)
    try:
        proofs = notice_proofs([ledger.parent for ledger in ledgers])
    except DiscloserError:
        # A log that does not hold is refused, but wrong declarations are reported first.
        report = validate_paths(paths, settings)
        if report.errors:
            return report, None
        raise
    job = StageFeature(stage, templates, by_feature(releases), proofs)
    report, staged = validate_then(paths, settings, job)
    if report.errors:
        return report, None
    failed = next((s for s in staged if isinstance(s, str)), None)
    if failed is not None:
        raise RenderFailed(failed)
    return report, assemble(stage, staged, releases, templates, ledgers)


def assemble(
    stage: Path,
    staged: list[Staged],
    releases: list[Release],
    templates: Path | None,
    ledgers: list[Path],
) -> int:
    """The site-wide pages, projects and downloads around staged features; build them.

    Returns the timestamp the site's files carry.
    """
    from discloser.render.disclosure import twin_schema
    from discloser.schema import schema_text
    from discloser.site import builder
    from discloser.site.content import by_feature
    from discloser.site.project import (
        SOURCE,
        Listings,
        Locales,
        Project,
        site_environment,
        sort_key,
    )

    history = by_feature(releases)
    published = [s for s in staged if s.catalogue is not None]
    locales = Locales.of(
        (next(iter(s.rows)) for s in published),
        (loc for s in published for loc in s.rows),
        set(builder.theme_languages()),
    )
    project = Project(stage, site_environment(templates))
    declared = {s.id for s in published}
    removed = {r.feature for r in releases} - declared
    for feature in sorted(removed):
        for r in history[feature]:
            for locale in locales.order:
                project.revision(r, locale, feature, locales.order, current=False)
    ledger_files = _ledger_names(ledgers)
    project_theme = templates / "site" / "theme" if templates is not None else None
    example = min(declared) if declared else "feature"
    listings = {
        locale: Listings.of(
            sorted((s.rows[locale] for s in published if locale in s.rows), key=sort_key),
            releases,
            removed,
        )
        for locale in locales.order
    }
    counts = {locale: listing.pages() for locale, listing in listings.items()}
    sizes = {
        key: {loc: counts[loc][key] for loc in locales.order} for key in counts[locales.default]
    }
    log_keys, log_signed = _log_facts(ledgers)
    for locale in locales.order:
        project.pages(
            locale,
            listings[locale],
            [name for name, _ in ledger_files],
            example,
            sizes,
            log_keys,
            log_signed,
        )
        project.config(locale, locales, project_theme)
    project.downloads(
        [s.catalogue for s in sorted(published, key=lambda s: s.id) if s.catalogue],
        ledger_files,
        schema_text(),
        twin_schema(),
    )
    project.transparency_log([ledger.parent for ledger in ledgers])
    project.root_page(locales)
    epoch = source_epoch([s.effective for s in staged])
    jobs = [
        builder.Job(loc, stage / SOURCE / loc / "mkdocs.yml", stage / loc) for loc in locales.order
    ]
    builder.build(jobs, epoch, workers())
    shutil.rmtree(stage / SOURCE)
    return epoch


def site_from_declarations(
    declarations: Iterable[Declaration],
    out: Path,
    templates: Path | None = None,
    ledgers: Sequence[Path] = (),
) -> None:
    """The site of declarations already in memory: no discovery, validation or refusal.

    For tools and tests that make declarations themselves; ``out`` is replaced atomically.
    """
    from discloser.release.log import notice_proofs, proof_for
    from discloser.site.content import by_feature, read_ledgers
    from discloser.site.project import Project, site_environment

    releases = read_ledgers(ledgers)
    history = by_feature(releases)
    proofs = notice_proofs([ledger.parent for ledger in ledgers])
    with staging(out) as stage:
        project = Project(stage, site_environment(templates))
        staged = [
            project.feature(d, history.get(d.id, []), proof_for(proofs, d)) for d in declarations
        ]
        publish(stage, out, assemble(stage, staged, releases, templates, list(ledgers)))


def _log_facts(ledgers: list[Path]) -> tuple[list[str], bool]:
    """The first log's verifier keys (as published) and whether it has a signed checkpoint."""
    if not ledgers:
        return [], False
    folder = ledgers[0].parent
    vkeys = folder / VKEY_NAME
    if not vkeys.is_file():
        return [], (folder / CHECKPOINT_NAME).is_file()
    from discloser.release.note import read_verifiers

    # Parsed, then written back: only a name, hex digits and base64 reach the page, and a
    # name that could end a Markdown code fence is left out.
    keys = [v.text() for v in read_verifiers(vkeys.read_text(encoding="utf-8"), str(vkeys))]
    safe = [k for k in keys if re.fullmatch(r"[\w.:/@-]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+", k)]
    return safe, (folder / CHECKPOINT_NAME).is_file()


def _ledger_names(ledgers: list[Path]) -> list[tuple[str, bytes]]:
    """The ledgers as download files: ``discloser-ledger.jsonl``, then ``-2``, ``-3``…"""
    out = []
    for i, path in enumerate(ledgers):
        name = path.name if i == 0 else f"{path.stem}-{i + 1}{path.suffix}"
        out.append((name, path.read_bytes()))
    return out


__all__ = [
    "INPUTS",
    "SiteReport",
    "assemble",
    "build_site",
    "fingerprint",
    "site_from_declarations",
    "stage_site",
]
