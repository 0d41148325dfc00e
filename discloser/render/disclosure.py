"""Every per-feature artefact: the disclosure in each format and locale, native strings, JSON.

Layout under the output folder, per feature ``<id>/`` (one folder per feature, files named by
locale rather than a folder per locale: creating files and folders is most of what a render
costs, so each artefact is written once and nothing twice):

=======================================  ==============================================
``<locale>.html``                        standalone page (label, then the layered notice);
                                         its ``<section id="dsc-<id>">`` is the fragment to
                                         embed (styles inside, every class ``dsc-``)
``<locale>.md``                          Markdown, for repositories and site builders
``<locale>.txt``                         plain text, for store listings and release notes
``notice.json``                          the machine-readable twin (all locales)
``prompt.json``, ``embed.html``,         the consent prompt's data, copy-paste snippet and
``demo.<locale>.html``                   demo pages (see :func:`write_prompt`)
``ios/<locale>.lproj/InfoPlist.strings``  iOS permission strings
``android/values[-<q>]/strings.xml``     Android permission rationale
=======================================  ==============================================

Plus, once per output folder, ``notice.schema.json``: the twin's JSON Schema.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from discloser.model.declaration import Declaration
from discloser.model.twin import NoticeTwin
from discloser.notice import expanded_regions, material, notice_hash
from discloser.output import write_file
from discloser.render import i18n, markdown, native, prompt
from discloser.render.environment import environment
from discloser.render.view import View, build_view

# Decorative 20x20 line icons, one per label row; our own constants, never declaration text.
ICONS = {
    "which": '<path d="M3 5h14v10H3z"/><circle cx="7" cy="9" r="1.5"/>'
    '<path d="M4 14l4-4 3 3 2-2 3 3"/>',
    "when": '<circle cx="10" cy="10" r="7"/><path d="M10 6v4l3 2"/>',
    "why": '<circle cx="10" cy="10" r="7"/><circle cx="10" cy="10" r="3"/>',
    "processed": '<rect x="5" y="5" width="10" height="10" rx="1"/>'
    '<path d="M8 2v3M12 2v3M8 15v3M12 15v3M2 8h3M2 12h3M15 8h3M15 12h3"/>',
    "stored": '<ellipse cx="10" cy="5" rx="6" ry="2.5"/>'
    '<path d="M4 5v10c0 1.4 2.7 2.5 6 2.5s6-1.1 6-2.5V5"/>',
    "ai": '<rect x="4" y="6" width="12" height="10" rx="2"/>'
    '<path d="M10 3v3M7.5 10h.01M12.5 10h.01M8 13h4"/>',
    "ads": '<path d="M3 8v4h3l6 4V4L6 8z"/><path d="M15 7a4 4 0 010 6"/>',
    "shared": '<circle cx="7" cy="7" r="2.5"/><circle cx="14" cy="8" r="2"/>'
    '<path d="M2 16c0-3 2.5-5 5-5s5 2 5 5M12 16c0-2 1-4 3-4s3 1.5 3 4"/>',
    "controls": '<rect x="2" y="7" width="16" height="6" rx="3"/><circle cx="13" cy="10" r="2"/>',
    # bundled terms (a row only when there are any): a page with a link
    "terms": '<path d="M5 2h7l3 3v13H5z"/><path d="M12 2v3h3M8 9h4M8 12h4M8 15h2"/>',
}


def icon(key: str) -> Markup:
    """A decorative inline icon, hidden from assistive tech: the words beside it carry meaning."""
    return Markup(  # noqa: S704 - our constant markup, no declaration text
        '<svg class="dsc-icon" viewBox="0 0 20 20" fill="none" stroke="currentColor" '
        f'stroke-width="1.5" aria-hidden="true" focusable="false">{ICONS[key]}</svg>'
    )


@cache
def css() -> Markup:
    return Markup(  # noqa: S704 - our own stylesheet
        (resources.files("discloser") / "templates" / "disclosure.j2.css").read_text(
            encoding="utf-8"
        )
    )


def make_environment(project_templates: Path | None) -> jinja2.Environment:
    env = environment(project_templates)
    env.filters.update(
        html=lambda s: Markup(markdown.to_html(str(s))),  # noqa: S704 - escaped by markdown-it
        md=lambda s: markdown.to_markdown(str(s)),
        mdplain=lambda s: markdown.markdown_text(str(s)),
        text=lambda s: markdown.to_text(str(s)),
        strings=lambda s: native.strings_value(str(s)),
        strings_comment=lambda s: native.strings_comment(str(s)),
        android=lambda s: Markup(native.android_string(str(s))),  # noqa: S704 - escaped there
        xml_comment=lambda s: Markup(native.xml_comment(str(s))),  # noqa: S704 - in a comment
    )
    env.globals.update(icon=icon, css=css())
    return env


def twin(d: Declaration) -> str:
    doc = NoticeTwin(
        format="discloser-notice/1",
        notice_hash=notice_hash(d),
        material=material(d),
        regions=expanded_regions(d),
        declaration=d,
    )
    return (
        json.dumps(doc.model_dump(mode="json"), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    )


def twin_schema() -> str:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **NoticeTwin.model_json_schema(),
    }
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_feature(
    d: Declaration, out: Path, env: jinja2.Environment, proof: dict[str, Any] | None = None
) -> None:
    """Write every artefact of one feature under ``out/<id>/`` (``proof``: see prompt.notice).

    Each locale's view is built once and serves every format and the prompt.
    """
    base = out / d.id
    no_permission = (
        "No permission needed: the feature uses the system photo picker or posted photos only."
    )
    page, md, txt, plist, xml = (
        env.get_template(name)
        for name in (
            "page.j2.html",
            "disclosure.j2.md",
            "disclosure.j2.txt",
            "InfoPlist.j2.strings",
            "strings.j2.xml",
        )
    )
    prefix = native.android_name(d.id)
    views = [build_view(d, locale) for locale in d.locales]
    base.mkdir(parents=True)
    for i, v in enumerate(views):
        locale = v.locale
        ios = base / "ios" / f"{locale}.lproj"
        android = base / "android" / native.android_folder(locale, default=i == 0)
        for made in (ios, android):
            made.mkdir(parents=True)
        write_file(base / f"{locale}.html", page.render(v=v), make_parents=False)
        write_file(base / f"{locale}.md", md.render(v=v), make_parents=False)
        write_file(base / f"{locale}.txt", txt.render(v=v), make_parents=False)
        nat = native.native(v, d.photos.access)
        write_file(
            ios / "InfoPlist.strings",
            plist.render(v=v, keys=nat.ios_keys, no_permission=no_permission),
            make_parents=False,
        )
        write_file(
            android / "strings.xml",
            xml.render(
                v=v,
                permission=nat.android_permission,
                rationale=nat.rationale,
                prefix=prefix,
                no_permission=no_permission,
            ),
            make_parents=False,
        )
    write_file(base / "notice.json", twin(d), make_parents=False)
    write_prompt(d, base, env, views=views, proof=proof)


def write_prompt(
    d: Declaration,
    base: Path,
    env: jinja2.Environment,
    disclosure_url: str = "{locale}.html",
    views: Sequence[View] | None = None,
    proof: dict[str, Any] | None = None,
) -> None:
    """The consent prompt's data, copy-paste snippet and demo pages of one feature in ``base``
    (assets one folder up, in ``prompt/``): ``prompt.json``, ``embed.html``,
    ``demo.<locale>.html``. The data is made once and serves all three."""
    data = prompt.notice(d, disclosure_url, views, proof)
    js, css = prompt.assets()
    base.mkdir(parents=True, exist_ok=True)
    write_file(base / "prompt.json", prompt.notice_json(d, data), make_parents=False)
    embed = env.get_template("embed.j2.html").render(
        feature=d.id,
        revision=d.revision,
        notice_hash=data["notice_hash"],
        asset_folder=prompt.ASSET_FOLDER,
        base=f"../{prompt.ASSET_FOLDER}/",
        js=js,
        css=css,
        data=Markup(prompt.inline_json(data)),  # noqa: S704 - JSON with <, >, & escaped
    )
    write_file(base / "embed.html", embed, make_parents=False)
    demo = env.get_template("demo.j2.html")
    for locale, texts in data["texts"].items():
        write_file(
            base / f"demo.{locale}.html",
            demo.render(
                locale=locale,
                dir=texts["dir"],
                title=texts["name"],
                embed=Markup(embed),  # noqa: S704 - rendered above with autoescape
            ),
            make_parents=False,
        )


def write_prompt_assets(out: Path) -> None:
    """The prompt's JS and CSS, once per output folder, under content-hashed names."""
    for asset in prompt.assets():
        write_file(out / prompt.ASSET_FOLDER / asset.name, asset.data)


__all__ = ["i18n", "make_environment", "render_feature", "twin", "twin_schema"]
