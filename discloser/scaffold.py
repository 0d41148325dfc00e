"""``discloser init``: a new declaration with every question asked and none answered.

The text comes from the template ``declaration.j2.yaml``; a project overrides it (or one of
its blocks, such as ``company`` or ``links``) in its own ``templates/`` folder, so every new
declaration starts with the company's fixed answers.

Each answer is ``TODO`` with the allowed values beside it, so the file has the full shape (an
editor completes it from the schema) and validation fails, located at each TODO, until a
person has answered every question. Nothing is pre-filled with a guess, because a guess that
survives review becomes a false notice.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

from discloser.errors import UsageError
from discloser.model.types import _SLUG


def scaffold(
    feature_id: str, folder: Path, schema_path: str, templates: Path | None = None
) -> Path:
    """Write ``folder/<id>.yaml`` atomically; refuse a bad id or an existing file."""
    if not _SLUG.match(feature_id) or len(feature_id) > 64:
        raise UsageError(f"{feature_id!r} is not an id: use lowercase letters, digits and hyphens")
    target = folder / f"{feature_id}.yaml"
    if target.exists():
        raise UsageError(f"{target}: already exists; not overwritten")
    folder.mkdir(parents=True, exist_ok=True)
    import jinja2

    from discloser.render.environment import environment

    try:
        template = environment(templates).get_template("declaration.j2.yaml")
        text = template.render(id=feature_id, today=date.today().isoformat(), schema=schema_path)
    except jinja2.TemplateError as exc:
        where = (
            f"{exc.filename}:{exc.lineno}: " if isinstance(exc, jinja2.TemplateSyntaxError) else ""
        )
        raise UsageError(f"template {where}{exc.message or exc}") from None
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{feature_id}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.link(tmp, target)  # fails rather than replaces if the file appeared meanwhile
    except FileExistsError:
        raise UsageError(f"{target}: already exists; not overwritten") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target
