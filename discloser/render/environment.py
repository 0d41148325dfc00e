"""The jinja2 environment every rendered file comes from.

Templates are package data (``discloser/templates``), so a wheel, an editable install and a
source checkout find them the same way. A project's own ``templates/`` folder comes first: a
file there with a default's name replaces it, and ``{% extends "default:NAME" %}`` reaches the
shipped one to replace a single block (datasette's pattern). Names end with the output's
extension (``page.j2.html``), so autoescaping by extension cannot miss an HTML template; undefined
variables are errors, never empty strings in a published notice.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

AUTOESCAPED = ("html", "htm", "xml", "svg")


def environment(project_templates: Path | None = None) -> jinja2.Environment:
    """An environment loading from ``project_templates`` first, then the shipped defaults."""
    default = jinja2.PackageLoader("discloser", "templates")
    loaders: list[jinja2.BaseLoader] = []
    if project_templates is not None and project_templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(project_templates))
    loaders += [default, jinja2.PrefixLoader({"default": default}, delimiter=":")]
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(enabled_extensions=AUTOESCAPED, default=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
