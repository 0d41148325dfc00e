"""The jobs behind the commands that write: validate first, then render into a staged folder
and swap it in. Nothing is written when a declaration has an error."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from discloser.config import Settings
from discloser.errors import DiscloserError, LocatedError
from discloser.load.discover import Source, discover
from discloser.model.declaration import Declaration
from discloser.output import publish, refuse_dangerous, source_epoch, staging, write_file
from discloser.parallel import map_chunks
from discloser.validate import Report, read_declaration, validate_paths


class RenderFailed(DiscloserError):
    """A declaration passed validation but cannot be rendered (a located reason)."""

    exit_code = 1


def project_root(start: Path) -> Path:
    """The nearest folder upwards that looks like a project (git, pyproject, discloser.toml)."""
    for folder in (start, *start.parents):
        if any(
            (folder / marker).exists() for marker in (".git", "pyproject.toml", "discloser.toml")
        ):
            return folder
    return start


def _render_chunk(
    sources: Sequence[Source],
    stage: Path,
    templates: Path | None,
    proofs: dict[tuple[str, int, str], dict[str, Any]] | None = None,
) -> list[Declaration]:
    """Render each declaration of a chunk into ``stage``; the declarations, for the app-wide
    store artefacts and the timestamps (so nothing is parsed twice).

    ``proofs``: the signed log's proof of each released notice (see ``release/log.py``).
    """
    from discloser.notice import notice_hash
    from discloser.render.disclosure import make_environment, render_feature
    from discloser.render.native import PermissionTextTooLong, summary_path

    env = make_environment(templates)
    done = []
    for source in sources:
        declaration, marks = read_declaration(source)
        done.append(declaration)
        try:
            key = (declaration.id, declaration.revision, notice_hash(declaration))
            render_feature(declaration, stage, env, (proofs or {}).get(key))
        except PermissionTextTooLong as exc:
            line, column = marks.value(summary_path(declaration, exc.locale))
            raise RenderFailed(f"{source.display}:{line}:{column}: {exc}") from None
    return done


def _write_stores(declarations: list[Declaration], stage: Path, settings: Settings) -> None:
    """Every app's store artefacts under ``stores/`` (see :mod:`discloser.stores.job`)."""
    from discloser.stores.job import plan, write

    write(stage / "stores", plan(declarations, settings))


def render(paths: list[str], out: Path, settings: Settings, templates: Path | None) -> Report:
    """Validate ``paths``; when clean, write every artefact into ``out``, atomically."""
    report = validate_paths(paths, settings)
    if report.errors:
        return report
    refuse_dangerous(out, [Path(p) for p in paths], project_root(Path.cwd()))
    from discloser.release.log import notice_proofs
    from discloser.render.disclosure import twin_schema, write_prompt_assets
    from discloser.validate import _ledgers

    proofs = notice_proofs([path.parent for _, path in _ledgers(paths)])
    with staging(out) as stage:
        job = partial(_render_chunk, stage=stage, templates=templates, proofs=proofs)
        declarations = [d for part in map_chunks(job, discover(paths)) for d in part]
        write_file(stage / "notice.schema.json", twin_schema())
        write_prompt_assets(stage)
        _write_stores(declarations, stage, settings)
        publish(stage, out, source_epoch([d.effective for d in declarations]))
    return report


__all__ = ["LocatedError", "RenderFailed", "project_root", "render"]
