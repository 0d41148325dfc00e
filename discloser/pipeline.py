"""The jobs behind the commands that write: validate and render in one pass into a staged
folder, and swap it in. Each file is parsed once; nothing is published when a declaration has
an error."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from discloser.config import Settings
from discloser.errors import DiscloserError, LocatedError
from discloser.load.discover import Source
from discloser.load.yaml12 import Marks
from discloser.output import publish, refuse_dangerous, source_epoch, staging, write_file
from discloser.validate import Report, ledgers_beside, validate_paths, validate_then

if TYPE_CHECKING:
    import jinja2

    from discloser.model.declaration import Declaration
    from discloser.release.log import Proofs


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


class _RenderInto:
    """Render each declaration validation has just loaded into ``stage`` (parse once).

    Called in the worker that validated the file; returns the declaration (for the app-wide
    store artefacts and the files' timestamps), or the located reason it cannot be rendered,
    raised only once validation is known to be clean. ``proofs``: the signed log's proof of
    each released notice (see ``release/log.py``).
    """

    def __init__(
        self,
        stage: Path,
        templates: Path | None,
        proofs: Proofs,
    ) -> None:
        self.stage = stage
        self.templates = templates
        self.proofs = proofs
        self.env: jinja2.Environment | None = None

    def __call__(self, source: Source, declaration: Declaration, marks: Marks) -> Declaration | str:
        from discloser.release.log import proof_for
        from discloser.render.disclosure import make_environment, render_feature
        from discloser.render.native import PermissionTextTooLong, summary_path

        if self.env is None:  # once per worker, after the fork
            self.env = make_environment(self.templates)
        try:
            render_feature(declaration, self.stage, self.env, proof_for(self.proofs, declaration))
        except PermissionTextTooLong as exc:
            line, column = marks.value(summary_path(declaration, exc.locale))
            return f"{source.display}:{line}:{column}: {exc}"
        return declaration


def _write_stores(declarations: list[Declaration], stage: Path, settings: Settings) -> None:
    """Every app's store artefacts under ``stores/`` (see :mod:`discloser.stores.job`)."""
    from discloser.stores.job import plan, write

    write(stage / "stores", plan(declarations, settings))


def render(paths: list[str], out: Path, settings: Settings, templates: Path | None) -> Report:
    """Validate ``paths`` and, in the same pass, write every artefact into a staging folder;
    when validation is clean, swap it in for ``out``. Nothing is written otherwise."""
    from discloser.release.log import notice_proofs

    try:
        refuse_dangerous(out, [Path(p) for p in paths], project_root(Path.cwd()))
        proofs = notice_proofs([path.parent for _, path in ledgers_beside(paths)])
    except DiscloserError:
        # Wrong declarations are reported before a refused folder or a broken log.
        report = validate_paths(paths, settings)
        if report.errors:
            return report
        raise
    from discloser.render.disclosure import twin_schema, write_prompt_assets

    with staging(out) as stage:
        report, made = validate_then(paths, settings, _RenderInto(stage, templates, proofs))
        if report.errors:
            return report
        failed = next((m for m in made if isinstance(m, str)), None)
        if failed is not None:
            raise RenderFailed(failed)
        declarations = [m for m in made if not isinstance(m, str)]
        write_file(stage / "notice.schema.json", twin_schema())
        write_prompt_assets(stage)
        _write_stores(declarations, stage, settings)
        publish(stage, out, source_epoch([d.effective for d in declarations]))
    return report


__all__ = ["LocatedError", "RenderFailed", "project_root", "render"]
