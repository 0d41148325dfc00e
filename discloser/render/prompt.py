"""The consent prompt's data and assets, per feature, from the same view as the label.

The prompt itself is plain JavaScript and CSS in ``discloser/static`` (no build step). Render
copies both once per output folder under content-hashed names (``prompt/discloser-prompt.
<sha256 prefix>.js``), so a new release never hits a stale cache, and writes per feature the
notice as JSON data (never code) and a copy-paste ``embed.html`` whose ``integrity`` attributes
(sha384, Subresource Integrity) match the shipped bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from discloser.model.declaration import Declaration
from discloser.render import i18n
from discloser.render.i18n import N_
from discloser.render.markdown import to_text
from discloser.render.view import View, build_view

PROMPT_FORMAT = "discloser-prompt/1"
ASSET_FOLDER = "prompt"


UI = {
    "title": N_("Before you turn this on"),
    "accept": N_("Accept"),
    "decline": N_("Decline"),
    "optional": N_("Optional: each one is off until you turn it on"),
    "more": N_("Read the full notice"),
    "change": N_("Change your choice"),
    "saved_accept": N_("You accepted."),
    "saved_decline": N_("You declined."),
}


@dataclass(frozen=True)
class Asset:
    """A prompt asset as shipped: its content-hashed name, bytes and SRI digest."""

    name: str
    data: bytes
    integrity: str


@cache
def assets() -> tuple[Asset, Asset]:
    """The JS and CSS files with names and integrity hashes derived from their bytes."""
    out = []
    for ext in ("js", "css"):
        data = (resources.files("discloser") / "static" / f"discloser-prompt.{ext}").read_bytes()
        short = hashlib.sha256(data).hexdigest()[:12]
        sri = "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()
        out.append(Asset(f"discloser-prompt.{short}.{ext}", data, sri))
    return out[0], out[1]


def first_layer(v: View) -> list[dict[str, str]]:
    """The first layer's answers: every label row that has a compact sentence (``brief``), in
    the label's order, with the label's risk mark as words ("Take note:"), never colour only.

    Built from the view, so a new label row with a ``brief`` joins the first layer by itself
    and the script stays a generic list renderer.
    """
    return [
        {
            "key": a.key,
            "question": a.question,
            "answer": to_text(a.brief),
            "mark": v.words["risky_label"] if a.risky else "",
        }
        for a in v.answers
        if a.brief
    ]


def _texts(d: Declaration, v: View, disclosure_url: str) -> dict[str, Any]:
    _ = i18n.translations(v.locale).gettext
    t = d.translations.get(v.locale)
    return {
        "dir": v.dir,
        "name": to_text(v.name),
        "summary": to_text(v.summary),
        "answers": first_layer(v),
        "purposes": {p.id: to_text(t.purposes[p.id] if t else p.text) for p in d.purposes},
        "disclosure_url": disclosure_url,
        "ui": {key: _(message) for key, message in UI.items()},
    }


def notice(
    d: Declaration,
    disclosure_url: str = "{locale}.html",
    views: Sequence[View] | None = None,
    proof: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The prompt's notice data for every locale the feature ships in.

    ``disclosure_url`` says where the full notice is, relative to the page that embeds the
    prompt (``{locale}`` is replaced): beside the feature's render output by default.
    ``views`` (one per locale, in ``d.locales`` order) spares building them again when the
    caller already has them. ``proof`` (see ``release/log.py``) is the log's signed checkpoint
    and the notice's inclusion proof, which the prompt copies into the receipt as is; a notice
    not in a signed checkpoint yet has none, and the key is left out.
    """
    if views is None:
        views = [build_view(d, locale) for locale in d.locales]
    extra = {"proof": proof} if proof is not None else {}
    return {
        **extra,
        "format": PROMPT_FORMAT,
        "feature": d.id,
        "revision": d.revision,
        "notice_hash": views[0].notice_hash,
        "default_locale": d.locale,
        "consent_model": d.consent.model,
        "purposes": [
            {"id": p.id, "required": p.required, "category": p.category} for p in d.purposes
        ],
        "texts": {v.locale: _texts(d, v, disclosure_url.format(locale=v.locale)) for v in views},
    }


def notice_json(
    d: Declaration, data: dict[str, Any] | None = None, proof: dict[str, Any] | None = None
) -> str:
    """``prompt.json``: the notice data (``data`` when already made) as a JSON file."""
    doc = notice(d, proof=proof) if data is None else data
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def inline_json(data: dict[str, Any]) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``</script``, no ``<!--``."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
