"""Every generated sentence says what its answers say, no more, in every locale.

One table row per sentence family of ``render/view.py``: a change to the base declaration
(``tests/fixtures/base.yaml``, shipped in en, fr and ar), the question it is about, and per
locale the words that must be said and the words that must not. Each row is rendered by the
real renderer into files, and read back from them the way people meet them: the label row of
``<locale>.html`` (``data-question``), the notice section (``data-section``), the consent
prompt's first layer in ``prompt.json``, the Android permission rationale in ``strings.xml``.
"""

from __future__ import annotations

import copy
import html
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from conftest import ROOT, base_data, dump, run_cli

from discloser.load.discover import Source
from discloser.render.disclosure import make_environment, render_feature
from discloser.render.native import MAX_PERMISSION_TEXT
from discloser.validate import read_declaration

LOCALES = ("en", "fr", "ar")
NNBSP = "\u202f"
MARK = {"en": "Take note:", "fr": f"À noter{NNBSP}:", "ar": "تنبيه:"}
DELETE = object()  # a change that removes the key
EIGHT = ["which", "when", "why", "processed", "stored", "ai", "ads", "shared"]


def declaration(changes: dict[str, Any]) -> dict[str, Any]:
    """The base declaration with dotted-path ``changes``, shipped in en, fr and ar.

    The fr and ar translations repeat the English declaration text: the rows test our words,
    and the declaration's own words are inserted as written.
    """
    data = copy.deepcopy(base_data())
    for path, value in changes.items():
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node[key]
        if value is DELETE:
            node.pop(last, None)
        else:
            node[last] = value
    data["locales"] = list(LOCALES)
    data["translations"] = {
        locale: {
            "name": data["name"],
            "summary": data["summary"],
            "purposes": {p["id"]: p["text"] for p in data["purposes"]},
            "recipients": {r["id"]: r["name"] for r in data["sharing"]},
            **(
                {"deletion": data["storage"]["deletion"]} if data["storage"].get("deletion") else {}
            ),
            "withdraw": data["consent"]["withdraw"],
        }
        for locale in LOCALES[1:]
    }
    return data


def _text(markup: str) -> str:
    # Collapse only ASCII white space: a narrow no-break space is part of the French text.
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


@dataclass
class Rendered:
    """What a person reads, per locale: label rows, notice sections, first layer, native."""

    label: dict[str, dict[str, str]] = field(default_factory=dict)
    risky: dict[str, set[str]] = field(default_factory=dict)
    notice: dict[str, dict[str, str]] = field(default_factory=dict)
    first: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    native: dict[str, str] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)


def render(tmp_path: Path, data: dict[str, Any]) -> Rendered:
    src = tmp_path / "restyle-one-photo.yaml"
    src.write_text(dump(data), encoding="utf-8")
    d, _ = read_declaration(Source(str(src), src))
    out = tmp_path / "out"
    render_feature(d, out, make_environment(None))
    base = out / d.id
    prompt = json.loads((base / "prompt.json").read_text(encoding="utf-8"))
    r = Rendered(files={"base": base})
    for locale in LOCALES:
        page = (base / f"{locale}.html").read_text(encoding="utf-8")
        rows = re.findall(
            r'<div class="dsc-row([^"]*)" data-question="(\w+)"[^>]*>(.*?)</div>', page, re.S
        )
        r.label[locale] = {key: _text(body) for _, key, body in rows}
        r.risky[locale] = {key for cls, key, _ in rows if "dsc-risky" in cls}
        sections = re.findall(r'<section data-section="(\w+)"[^>]*>(.*?)</section>', page, re.S)
        r.notice[locale] = {key: _text(body) for key, body in sections}
        r.first[locale] = {a["key"]: a for a in prompt["texts"][locale]["answers"]}
        folder = "values" if locale == "en" else f"values-{locale}"
        xml = ET.parse(base / "android" / folder / "strings.xml").getroot()
        rationale = [
            s.text or "" for s in xml.iter("string") if s.get("name", "").endswith("_rationale")
        ]
        r.native[locale] = rationale[0].replace("\\'", "'").replace('\\"', '"') if rationale else ""
    return r


@dataclass(frozen=True)
class Row:
    """One sentence family: a change, where to read, what must and must not be said."""

    id: str
    changes: dict[str, Any]
    key: str  # a label question (which, when, ...) or notice:<section>
    need: dict[str, list[str]]
    never: dict[str, list[str]] = field(default_factory=dict)
    where: str = "both"  # both: the label row and the first layer; label; first
    risky: bool | None = None


NOT_STORED = {
    "storage.location": "not_stored",
    "storage.countries": [],
    "storage.retention": "not_retained",
    "storage.after_opt_out": DELETE,
    "storage.deletion": DELETE,
}
ON_DEVICE = {
    "processing.location": "on_device",
    "processing.countries": [],
    "storage.location": "on_device",
    "storage.countries": [],
    "storage.retention": "P90D",
}
TRAIN = {
    "id": "train",
    "text": "Train the restyle model with the photo.",
    "category": "ai_training",
    "legal_basis": "consent",
    "required": False,
}
RESTYLE = base_data()["purposes"][0]
TURN_OFF = {
    "en": ["turn the feature off"],
    "fr": ["désactivation de la fonctionnalité", "dès que vous désactivez"],
    "ar": ["إيقافك الميزة"],
}

ROWS = [
    # ------------------------------------------------------------------ which photos
    Row(
        "which-picker",
        {},
        "which",
        {
            "en": ["One photo you pick, each time you use it."],
            "fr": ["Une photo que vous choisissez, à chaque utilisation."],
            "ar": ["صورة واحدة تختارها، في كل مرة تستخدم فيها الميزة."],
        },
        {
            "en": ["never shared", "It reads"],
            "fr": ["jamais partagées", "La fonctionnalité lit"],
            "ar": ["لم تشاركها", "تقرأ "],
        },
        where="first",
        risky=False,
    ),
    Row(
        "which-full-library-unshared",
        {"photos.access": "full_library", "photos.includes_unshared": True},
        "which",
        {
            "en": ["All the photos on your phone, including photos you never shared"],
            "fr": [
                "Toutes les photos de votre téléphone, y compris les photos que vous n'avez "
                "jamais partagées"
            ],
            "ar": ["كل الصور على هاتفك، بما فيها الصور التي لم تشاركها أبدًا"],
        },
        risky=True,
    ),
    Row(
        "which-limited-shared-only",
        {"photos.access": "limited_selection", "photos.includes_unshared": False},
        "which",
        {
            "en": ["Only the photos you chose to give the app"],
            "fr": ["Uniquement les photos que vous avez choisi de donner à l'application"],
            "ar": ["فقط الصور التي اخترت أن تعطيها للتطبيق"],
        },
        {"en": ["never shared"], "fr": ["jamais partagées"], "ar": ["لم تشاركها"]},
    ),
    Row(
        "which-posted",
        {"photos.access": "shared_posts", "photos.includes_unshared": False},
        "which",
        {
            "en": ["Only photos you have already posted"],
            "fr": ["Uniquement les photos que vous avez déjà publiées"],
            "ar": ["فقط الصور التي نشرتها من قبل"],
        },
    ),
    Row(
        "which-capture",
        {"photos.access": "capture_only", "photos.includes_unshared": False},
        "which",
        {
            "en": ["Only new photos you take in this feature"],
            "fr": ["Uniquement les nouvelles photos que vous prenez avec cette fonctionnalité"],
            "ar": ["فقط الصور الجديدة التي تلتقطها داخل هذه الميزة"],
        },
    ),
    Row(
        "reads-sensitive-in-first-layer",
        {
            "photos.reads": ["pixels", "faces", "text", "location"],
            "photos.face_analysis": "detection",
        },
        "which",
        {
            "en": ["It reads faces", "text in the photos", "where the photo was taken"],
            "fr": ["La fonctionnalité lit les visages", "le texte dans les photos", "l'endroit où"],
            "ar": ["تقرأ الوجوه", "النصوص في الصور", "مكان التقاط الصورة"],
        },
        where="first",
        risky=True,
    ),
    Row(
        "reads-in-label",
        {"photos.reads": ["pixels", "capture_time"]},
        "which",
        {
            "en": ["What is read: the picture itself and when the photo was taken."],
            "fr": [
                f"Ce qui est lu{NNBSP}: l'image elle-même et le moment où la photo a été prise."
            ],
            "ar": ["ما يُقرأ من الصور: الصورة نفسها ووقت التقاط الصورة."],
        },
        where="label",
    ),
    Row(
        "faces-detection-says-what-is-done",
        {"photos.reads": ["pixels", "faces"], "photos.face_analysis": "detection"},
        "which",
        {
            "en": ["Finds where faces are in photos."],
            "fr": ["Repère où se trouvent les visages dans les photos."],
            "ar": ["تحدّد مواضع الوجوه في الصور."],
        },
        {
            "en": ["without recognising", "whose they are"],
            "fr": ["sans reconnaître"],
            "ar": ["دون أن تتعرّف"],
        },
    ),
    Row(
        "faces-grouping",
        {
            "photos.reads": ["pixels", "faces"],
            "photos.face_analysis": "grouping",
            "storage.face_templates": "P1Y",
        },
        "which",
        {
            "en": ["Groups photos by the faces in them, using face templates."],
            "fr": ["Regroupe les photos selon les visages qu'elles contiennent"],
            "ar": ["تجمع الصور حسب الوجوه التي فيها"],
        },
        risky=True,
    ),
    Row(
        "faces-recognition",
        {
            "photos.reads": ["pixels", "faces"],
            "photos.face_analysis": "recognition",
            "storage.face_templates": "P1Y",
        },
        "which",
        {
            "en": ["Recognises who is in your photos, using face templates."],
            "fr": ["Reconnaît les personnes sur vos photos"],
            "ar": ["تتعرّف على الأشخاص الذين في صورك"],
        },
        risky=True,
    ),
    # ------------------------------------------------------------------------- when
    Row(
        "when-on-request",
        {},
        "when",
        {
            "en": ["Only when you ask, once for each request"],
            "fr": ["Uniquement quand vous le demandez, une fois par demande"],
            "ar": ["فقط عندما تطلب، مرة واحدة لكل طلب"],
        },
        risky=False,
    ),
    Row(
        "when-continuous-with-lookback",
        {"photos.cadence": "continuous", "photos.lookback": "P30D"},
        "when",
        {
            "en": [
                "All the time, in the background",
                "It reads photos from the last 30 days in your library.",
            ],
            "fr": ["En permanence, en arrière-plan", "datant de moins de 30\u00a0jours"],
            "ar": ["طوال الوقت، في الخلفية", "تقرأ صور مكتبتك من آخر 30 يومًا."],
        },
        # the Arabic used to say "photos 30 days old"
        {"en": ["goes back 30 days"], "fr": ["en arrière dans"], "ar": ["مضى عليها"]},
        risky=True,
    ),
    Row(
        "when-whole-library",
        {"photos.cadence": "continuous", "photos.lookback": "whole_library"},
        "when",
        {
            "en": ["It goes back through your whole library."],
            "fr": ["La fonctionnalité remonte dans toute votre photothèque."],
            "ar": ["تشمل كل الصور في مكتبتك."],
        },
    ),
    Row(
        "when-on-device-only",
        {**ON_DEVICE, "photos.cadence": "on_device_only"},
        "when",
        {
            "en": ["Never sent: everything happens on your phone"],
            "fr": [f"Jamais envoyées{NNBSP}: tout se passe sur votre téléphone"],
            "ar": ["لا تُرسل أبدًا: كل شيء يجري على هاتفك"],
        },
        {"en": ["when you use the feature"], "fr": ["quand vous utilisez"], "ar": []},
    ),
    # -------------------------------------------------------------------------- why
    Row(
        "why-from-categories",
        {"purposes": [RESTYLE, TRAIN], "consent.model": "opt_in"},
        "why",
        {
            "en": ["The feature itself (needed) and AI training (optional)."],
            "fr": ["La fonctionnalité elle-même (nécessaire) et entraînement de l'IA (au choix)."],
            "ar": ["الميزة نفسها (ضروري) وتدريب الذكاء الاصطناعي (اختياري)."],
        },
        where="first",
    ),
    Row(
        "why-purposes-in-label",
        {"purposes": [RESTYLE, TRAIN], "consent.model": "opt_in"},
        "why",
        {
            "en": ["(needed for the feature)", "(optional: you can say no)"],
            "fr": ["(nécessaire à la fonctionnalité)", f"(facultatif{NNBSP}: vous pouvez refuser)"],
            "ar": ["(ضروري لعمل الميزة)", "(اختياري: يمكنك الرفض)"],
        },
        where="label",
    ),
    # -------------------------------------------------------------- processed where
    Row(
        "processed-cloud-with-article",
        {},
        "processed",
        {
            "en": ["On our servers in the United States"],
            "fr": ["Sur nos serveurs (États-Unis)"],
            "ar": ["على خوادمنا في الولايات المتحدة"],
        },
        {"en": ["in United States"]},
        risky=True,
    ),
    Row(
        "processed-hybrid",
        {"processing.location": "hybrid", "processing.countries": ["NL", "US"]},
        "processed",
        {
            "en": ["On your phone and on our servers in the Netherlands and the United States"],
            "fr": ["Sur votre téléphone et sur nos serveurs (États-Unis et Pays-Bas)"],
            "ar": ["على هاتفك وعلى خوادمنا في"],
        },
    ),
    Row(
        "processed-on-device",
        ON_DEVICE,
        "processed",
        {"en": ["On your phone"], "fr": ["Sur votre téléphone"], "ar": ["على هاتفك"]},
        {"en": ["servers"], "fr": ["serveurs"], "ar": ["خوادمنا"]},
        risky=False,
    ),
    Row(
        "review-sampled-in-first-layer",
        {"processing.human_review": "sampled"},
        "processed",
        {
            "en": ["People at the company look at a sample of photos."],
            "fr": ["Des personnes de l'entreprise regardent un échantillon de photos."],
            "ar": ["يطّلع أشخاص في الشركة على عيّنة من الصور."],
        },
    ),
    Row(
        "review-on-report",
        {"processing.human_review": "on_report"},
        "processed",
        {
            "en": ["People at the company look at a photo only when someone reports it."],
            "fr": ["uniquement quand quelqu'un la signale."],
            "ar": ["إلا إذا أبلغ عنها أحد."],
        },
    ),
    Row(
        "review-none",
        {},
        "processed",
        {
            "en": ["Nobody at the company looks at your photos."],
            "fr": ["Personne dans l'entreprise ne regarde vos photos."],
            "ar": ["لا يطّلع أحد في الشركة على صورك."],
        },
        where="label",
    ),
    Row(
        "automated-decisions",
        {"processing.automated_decisions": True},
        "processed",
        {
            "en": ["Decisions that affect you are made automatically, without a person."],
            "fr": ["sont prises automatiquement, sans intervention humaine."],
            "ar": ["تُتخذ قرارات تؤثر عليك بشكل آلي"],
        },
    ),
    # ---------------------------------------------------------------------- stored
    Row(
        "stored-cloud-nothing-to-turn-off",
        {},
        "stored",
        {
            "en": ["On our servers in the United States, for 1 day"],
            "fr": ["Sur nos serveurs (États-Unis), pendant 1\u00a0jour"],
            "ar": ["على خوادمنا في الولايات المتحدة، ومدة الاحتفاظ يوم"],
        },
        TURN_OFF,
        risky=True,
    ),
    Row(
        "stored-deleted-after-turning-off",
        {"consent.model": "opt_in", "storage.after_opt_out": "P30D", "storage.retention": "P90D"},
        "stored",
        {
            "en": ["Deleted 30 days after you turn the feature off."],
            "fr": [
                "Les données sont supprimées 30\u00a0jours après la désactivation de la fonctionnalité."
            ],
            "ar": ["تُحذف البيانات بعد أن يمضي على إيقافك الميزة 30 يومًا."],
        },
    ),
    Row(
        "stored-deleted-at-once",
        {"consent.model": "opt_out", "storage.after_opt_out": "P0D"},
        "stored",
        {
            "en": ["Deleted as soon as you turn the feature off."],
            "fr": ["Les données sont supprimées dès que vous désactivez la fonctionnalité."],
            "ar": ["تُحذف البيانات فور إيقافك الميزة."],
        },
    ),
    Row(
        "stored-nothing",
        {**NOT_STORED, "consent.model": "opt_in"},
        "stored",
        {
            "en": ["Not kept after processing"],
            "fr": ["Rien n'est conservé après le traitement"],
            "ar": ["لا يُحفظ شيء بعد المعالجة"],
        },
        {**TURN_OFF, "en": ["turn the feature off", "Deleted", "Encrypted: in storage"]},
        risky=False,
    ),
    Row(
        "stored-until-deleted",
        {"storage.retention": "until_deleted"},
        "stored",
        {
            "en": ["On our servers in the United States, until you delete them"],
            "fr": ["jusqu'à ce que vous les supprimiez"],
            "ar": ["إلى أن تحذفها"],
        },
        risky=True,
    ),
    Row(
        "stored-on-device",
        ON_DEVICE,
        "stored",
        {
            "en": ["On your phone, for 90 days"],
            "fr": ["Sur votre téléphone, pendant 90\u00a0jours"],
            "ar": ["على هاتفك، ومدة الاحتفاظ 90 يومًا"],
        },
        {"en": ["in transit"], "fr": ["pendant le transfert"], "ar": ["أثناء النقل"]},
    ),
    Row(
        "face-templates-deleted",
        {
            "photos.reads": ["pixels", "faces"],
            "photos.face_analysis": "grouping",
            "storage.face_templates": "P1Y",
        },
        "stored",
        {
            "en": ["Face templates are deleted after 1 year."],
            "fr": ["Les modèles faciaux sont supprimés après 1\u00a0an."],
            "ar": ["تُحذف قوالب الوجه بعد أن يمضي عليها"],
        },
    ),
    Row(
        "encryption-says-what-is-missing",
        {},
        "stored",
        {
            "en": ["Encrypted: in transit and in storage.", "Not encrypted: end to end."],
            "fr": [
                f"Chiffrement{NNBSP}: pendant le transfert et pendant le stockage.",
                f"Sans chiffrement{NNBSP}: de bout en bout.",
            ],
            "ar": ["التشفير: أثناء النقل وأثناء التخزين.", "غير مشفّرة: من طرف إلى طرف."],
        },
        where="label",
    ),
    Row(
        "encryption-none",
        {"storage.encryption": {"in_transit": False, "at_rest": False, "end_to_end": False}},
        "stored",
        {"en": ["Not encrypted."], "fr": ["Aucun chiffrement."], "ar": ["بدون تشفير."]},
        {"en": ["Encrypted:"], "fr": ["Chiffrement"], "ar": ["التشفير:"]},
        where="label",
    ),
    Row(
        "deletion-how",
        {},
        "stored",
        {
            "en": ["To delete: Photos are deleted by themselves"],
            "fr": [f"Pour supprimer{NNBSP}: Photos are deleted by themselves"],
            "ar": ["للحذف: Photos are deleted by themselves"],
        },
        where="label",
    ),
    # ------------------------------------------------------------------ AI training
    Row(
        "ai-none",
        {},
        "ai",
        {
            "en": ["No. Your photos are not used to train AI."],
            "fr": ["Non. Vos photos ne servent pas à entraîner l'IA."],
            "ar": ["لا. لا تُستخدم صورك لتدريب الذكاء الاصطناعي."],
        },
        risky=False,
    ),
    Row(
        "ai-this-feature-if-you-agree",
        {
            "purposes": [RESTYLE, TRAIN],
            "consent.model": "opt_in",
            "ai_training": {
                "use": "this_feature",
                "reads": ["pixels"],
                "faces": False,
                "purposes": ["train"],
                "opt_out_removes": True,
                "condition": "if_you_agree",
            },
        },
        "ai",
        {
            "en": [
                "Yes: to train the AI of this feature, only if you agree",
                "Saying no removes your photos from future training.",
            ],
            "fr": [
                f"Oui{NNBSP}: pour entraîner l'IA de cette fonctionnalité, uniquement si vous êtes",
                "Refuser retire vos photos des futurs entraînements.",
            ],
            "ar": [
                "نعم: لتدريب الذكاء الاصطناعي الخاص بهذه الميزة، فقط إذا وافقت",
                "رفضك يستبعد صورك من التدريب في المستقبل.",
            ],
        },
        risky=True,
    ),
    Row(
        "ai-faces-not-used-says-not-never",
        {
            "purposes": [RESTYLE, TRAIN],
            "consent.model": "opt_in",
            "ai_training": {
                "use": "this_feature",
                "reads": ["pixels"],
                "faces": False,
                "purposes": ["train"],
                "opt_out_removes": True,
            },
        },
        "ai",
        {
            "en": ["What is used: the picture itself.", "Faces are not used in training."],
            "fr": ["Les visages ne servent pas à l'entraînement."],
            "ar": ["لا تُستخدم الوجوه في التدريب."],
        },
        {"en": ["never"], "fr": ["jamais"], "ar": []},
        where="label",
    ),
    Row(
        "ai-general-faces-kept",
        {
            "photos.reads": ["pixels", "faces"],
            "purposes": [{**TRAIN, "required": True}],
            "ai_training": {
                "use": "general_models",
                "reads": ["pixels", "faces"],
                "faces": True,
                "purposes": ["train"],
                "opt_out_removes": False,
            },
        },
        "ai",
        {
            "en": [
                "Yes: to train general AI models",
                "Faces are used in training.",
                "Saying no does not remove photos from future training.",
            ],
            "fr": [
                f"Oui{NNBSP}: pour entraîner des modèles d'IA généraux",
                "Les visages servent à l'entraînement.",
                "Refuser ne retire pas les photos des futurs entraînements.",
            ],
            "ar": [
                "نعم: لتدريب نماذج ذكاء اصطناعي عامة",
                "تُستخدم الوجوه في التدريب.",
                "رفضك لا يستبعد الصور من التدريب في المستقبل.",
            ],
        },
        {"en": ["only if you agree"], "fr": ["uniquement si"], "ar": ["فقط إذا وافقت"]},
        risky=True,
    ),
    Row(
        "ai-no-purpose-to-agree-to",
        {
            "consent.model": "opt_in",
            "ai_training": {
                "use": "this_feature",
                "reads": ["pixels"],
                "faces": False,
                "purposes": [],
                "opt_out_removes": True,
            },
        },
        "ai",
        {"en": ["Yes: to train the AI of this feature"], "fr": ["Oui"], "ar": ["نعم"]},
        {"en": ["only if you agree"], "fr": ["uniquement si"], "ar": ["فقط إذا وافقت"]},
    ),
    # -------------------------------------------------------------------------- ads
    Row(
        "ads-none-names-all-three",
        {},
        "ads",
        {
            "en": [
                "No: not for choosing the ads you see, measuring how ads perform, or guessing "
                "your interests."
            ],
            "fr": [
                f"Non{NNBSP}: pas pour choisir les publicités que vous voyez, mesurer "
                "l'efficacité des publicités ou deviner vos centres d'intérêt."
            ],
            "ar": [
                "لا: لا تُستخدم في اختيار الإعلانات التي تراها أو قياس أداء الإعلانات أو "
                "استنتاج اهتماماتك."
            ],
        },
        {
            "en": ["not used for ads"],
            "fr": ["ne servent pas à la publicité"],
            "ar": ["لا تُستخدم صورك في الإعلانات"],
        },
        risky=False,
    ),
    Row(
        "ads-targeting-says-each",
        {"advertising.targeting": True},
        "ads",
        {
            "en": [
                "Yes: choosing the ads you see.",
                "Not for measuring how ads perform or guessing your interests.",
            ],
            "fr": [
                f"Oui{NNBSP}: pour choisir les publicités que vous voyez.",
                "Pas pour mesurer l'efficacité des publicités ou deviner vos centres d'intérêt.",
            ],
            "ar": [
                "نعم: اختيار الإعلانات التي تراها.",
                "ولا تُستخدم في قياس أداء الإعلانات أو استنتاج اهتماماتك.",
            ],
        },
        where="first",
        risky=True,
    ),
    Row(
        "ads-all-three",
        {
            "advertising": {"targeting": True, "measurement": True, "profiling": True},
        },
        "ads",
        {
            "en": [
                "Yes: choosing the ads you see, measuring how ads perform, and guessing your "
                "interests"
            ],
            "fr": [
                f"Oui{NNBSP}: pour choisir les publicités que vous voyez, mesurer l'efficacité "
                "des publicités et deviner vos centres d'intérêt"
            ],
            "ar": ["نعم: اختيار الإعلانات التي تراها وقياس أداء الإعلانات واستنتاج اهتماماتك"],
        },
        {"en": ["Not for", "No:"], "fr": ["Pas pour", "Non"], "ar": ["ولا تُستخدم"]},
        risky=True,
    ),
    # ----------------------------------------------------------------------- shared
    Row(
        "shared-nobody-outside",
        {},
        "shared",
        {
            "en": ["Nobody outside the company."],
            "fr": ["Personne en dehors de l'entreprise."],
            "ar": ["لا أحد خارج الشركة."],
        },
        risky=False,
    ),
    Row(
        "shared-nobody-on-device",
        ON_DEVICE,
        "shared",
        {
            "en": ["Nobody: your photos do not leave your phone."],
            "fr": [f"Personne{NNBSP}: vos photos ne quittent pas votre téléphone."],
            "ar": ["لا أحد: لا تغادر صورك هاتفك."],
        },
        {"en": ["outside the company"], "fr": ["en dehors de l'entreprise"], "ar": ["خارج الشركة"]},
    ),
    Row(
        "shared-made-public-first-layer",
        {
            "sharing": [
                {
                    "id": "host",
                    "name": "Hosting Co",
                    "role": "processor",
                    "purposes": ["restyle"],
                    "countries": ["US"],
                },
                {
                    "id": "feed",
                    "name": "Public Feed",
                    "role": "public",
                    "purposes": ["restyle"],
                    "countries": [],
                },
            ]
        },
        "shared",
        {
            "en": ["Hosting Co (works for us) and Public Feed (made public)."],
            "fr": ["Hosting Co (travaille pour nous) et Public Feed (rendues publiques)."],
            "ar": ["Hosting Co (يعمل لحسابنا) وPublic Feed (تُنشر للعموم)."],
        },
        where="first",
        risky=True,
    ),
    Row(
        "shared-roles-in-label",
        {
            "sharing": [
                {
                    "id": "host",
                    "name": "Hosting Co",
                    "role": "processor",
                    "purposes": ["restyle"],
                    "countries": ["US"],
                },
                {
                    "id": "partner",
                    "name": "Partner Co",
                    "role": "controller",
                    "purposes": ["restyle"],
                    "countries": [],
                },
                {
                    "id": "feed",
                    "name": "Public Feed",
                    "role": "public",
                    "purposes": ["restyle"],
                    "countries": [],
                },
            ]
        },
        "shared",
        {
            "en": [
                "Hosting Co: works only for us, on our instructions (United States)",
                "Partner Co: uses the data for its own purposes too",
                "Public Feed: shows your photos to everyone (made public)",
            ],
            "fr": [
                f"Hosting Co{NNBSP}: travaille uniquement pour nous",
                "utilise aussi les données pour ses propres besoins",
                "montre vos photos à tout le monde (rendues publiques)",
            ],
            "ar": ["Hosting Co: يعمل لحسابنا فقط", "لأغراضه الخاصة أيضًا", "تعرض صورك للجميع"],
        },
        {"en": ["(the United States)"]},
        where="label",
        risky=True,
    ),
    # --------------------------------------------------------------------- controls
    Row(
        "controls-told-not-asked",
        {"purposes": [RESTYLE, {**TRAIN, "category": "personalisation"}]},
        "controls",
        {
            "en": ["You are told, not asked."],
            "fr": ["On vous informe, on ne vous demande pas votre accord."],
            "ar": ["نُعلمك فقط، ولا نطلب موافقتك."],
        },
        {"en": ["You can say no to"], "fr": ["Vous pouvez refuser"], "ar": ["يمكنك رفض"]},
        where="label",
    ),
    Row(
        "controls-opt-in",
        {"purposes": [RESTYLE, TRAIN], "consent.model": "opt_in"},
        "controls",
        {
            "en": ["Nothing happens until you agree.", "You can say no to: Train the restyle"],
            "fr": [
                "Rien ne se passe tant que vous n'avez pas donné votre accord.",
                "Vous pouvez refuser",
            ],
            "ar": ["لا يحدث شيء إلى أن توافق.", "يمكنك رفض: Train the restyle"],
        },
        where="label",
    ),
    Row(
        "controls-opt-out",
        {"consent.model": "opt_out"},
        "controls",
        {
            "en": ["It is on until you turn it off."],
            "fr": ["La fonctionnalité est activée jusqu'à ce que vous la désactiviez."],
            "ar": ["تبقى الميزة مفعّلة إلى أن توقفها."],
        },
        where="label",
    ),
    # ------------------------------------------------------------------ the notice
    Row(
        "notice-outside-the-regions",
        {"regions": ["GB"]},
        "notice:transfers",
        {
            "en": [
                "Countries your photos go to: the United States.",
                "Outside the countries where the feature is offered: the United States.",
            ],
            "fr": [f"Pays où vont vos photos{NNBSP}: États-Unis."],
            "ar": ["الدول التي تنتقل إليها صورك: الولايات المتحدة."],
        },
    ),
    Row(
        "notice-stays-on-phone",
        ON_DEVICE,
        "notice:transfers",
        {
            "en": ["Your photos stay on your phone."],
            "fr": ["Vos photos restent sur votre téléphone."],
            "ar": ["تبقى صورك على هاتفك."],
        },
    ),
    Row(
        "notice-cloud-never-says-stays-on-phone",
        {},
        "notice:transfers",
        {"en": ["the United States"], "fr": ["États-Unis"], "ar": ["الولايات المتحدة"]},
        {"en": ["stay on your phone"], "fr": ["restent sur votre"], "ar": ["تبقى صورك"]},
    ),
    Row(
        "notice-nothing-to-delete",
        {**NOT_STORED, "consent.model": "opt_in"},
        "notice:rights",
        {
            "en": ["Nothing is kept, so there is nothing to delete."],
            "fr": ["Rien n'est conservé, il n'y a donc rien à supprimer."],
            "ar": ["لا يُحفظ شيء، لذلك لا يوجد ما تحذفه."],
        },
    ),
    Row(
        "notice-retention-nothing-to-turn-off",
        {},
        "notice:retention",
        {"en": ["for 1 day."], "fr": ["pendant 1\u00a0jour."], "ar": ["ومدة الاحتفاظ يوم"]},
        TURN_OFF,
    ),
    Row(
        "notice-purposes-and-basis",
        {},
        "notice:purposes",
        {
            "en": ["Category: the feature itself. Legal basis: our contract with you"],
            "fr": [
                f"Catégorie{NNBSP}: la fonctionnalité elle-même. Base légale{NNBSP}: notre contrat"
            ],
            "ar": ["الفئة: الميزة نفسها. الأساس القانوني: اتفاقنا معك"],
        },
    ),
    Row(
        "notice-automated",
        {"processing.automated_decisions": True},
        "notice:automated",
        {
            "en": ["Yes: decisions that affect you are made automatically."],
            "fr": [f"Oui{NNBSP}: des décisions qui vous concernent sont prises automatiquement."],
            "ar": ["نعم: تُتخذ قرارات تؤثر عليك بشكل آلي."],
        },
    ),
]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    """Each distinct declaration of the table, rendered once."""
    out: dict[str, Rendered] = {}
    for row in ROWS:
        key = repr(sorted(row.changes.items(), key=lambda kv: kv[0]))
        if key not in out:
            out[key] = render(tmp_path_factory.mktemp("row"), declaration(row.changes))
    return out


def _places(r: Rendered, row: Row, locale: str) -> dict[str, str]:
    if row.key.startswith("notice:"):
        return {"notice": r.notice[locale][row.key.split(":", 1)[1]]}
    places = {}
    if row.where in ("both", "label"):
        places["label"] = r.label[locale][row.key]
    if row.where in ("both", "first"):
        places["first layer"] = r.first[locale][row.key]["answer"]
    return places


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_sentence_says_its_answers_and_no_more(
    row: Row, locale: str, rendered: dict[str, Rendered]
) -> None:
    r = rendered[repr(sorted(row.changes.items(), key=lambda kv: kv[0]))]
    for place, text in _places(r, row, locale).items():
        for words in row.need[locale]:
            assert words in text, f"{place} ({locale}) lacks {words!r}: {text!r}"
        for words in row.never.get(locale, []):
            assert words not in text, f"{place} ({locale}) says {words!r}: {text!r}"
    if row.risky is not None and not row.key.startswith("notice:"):
        assert (row.key in r.risky[locale]) is row.risky
        mark = r.first[locale][row.key]["mark"]
        assert mark == (MARK[locale] if row.risky else "")


def test_every_sentence_family_of_the_view_has_a_row() -> None:
    """Each question of the label and each notice section is covered by the table."""
    keys = {row.key for row in ROWS}
    r = render_base()
    assert set(r.label["en"]) <= keys
    assert {f"notice:{k}" for k in r.notice["en"]} - {
        "notice:controller",
        "notice:recipients",
    } <= keys


def render_base() -> Rendered:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return render(Path(folder), declaration({}))


@pytest.mark.parametrize("locale", LOCALES)
def test_first_layer_answers_every_question(locale: str, rendered: dict[str, Rendered]) -> None:
    for r in rendered.values():
        # All eight, in the label's order (a new row with a first-layer sentence may join).
        assert [k for k in r.first[locale] if k in EIGHT] == EIGHT
        assert all(a["question"] and a["answer"] for a in r.first[locale].values())


# ------------------------------------------------------------------ French typography


def _french_messages() -> list[tuple[str, str]]:
    po = ROOT / "discloser" / "locale" / "fr" / "LC_MESSAGES" / "discloser.po"
    return [(str(m.id), str(m.string)) for m in read_po(po.open("rb")) if m.id]


BAD_FRENCH = re.compile(
    rf"(?<!{NNBSP})[?!;»]|«(?!{NNBSP})|(?<!{NNBSP}):(?=\s|$)|[ \u00a0]{NNBSP}|{NNBSP}[ \u00a0]"
)


@pytest.mark.parametrize("message", _french_messages(), ids=lambda m: m[0][:40])
def test_french_catalogue_puts_a_narrow_no_break_space_before_high_punctuation(
    message: tuple[str, str],
) -> None:
    assert not BAD_FRENCH.search(message[1]), message[1]


def test_french_labels_composed_in_templates_are_spaced(tmp_path: Path) -> None:
    r = render(tmp_path, declaration({}))
    base = r.files["base"]
    for name in ("fr.html", "fr.md", "fr.txt"):
        text = (base / name).read_text(encoding="utf-8")
        assert f"Empreinte de la notice{NNBSP}:" in text, name
        assert "Empreinte de la notice:" not in text and "Empreinte de la notice :" not in text
    assert f"**À noter{NNBSP}:**" in (base / "fr.md").read_text(encoding="utf-8")
    txt = (base / "fr.txt").read_text(encoding="utf-8")
    assert f"Politique de confidentialité{NNBSP}:" in txt and f"Quelles photos{NNBSP}?" in txt


def test_declaration_text_is_published_as_written(tmp_path: Path) -> None:
    """Typography is applied to our words only: the author's French stays byte for byte."""
    data = declaration({})
    data["translations"]["fr"]["withdraw"] = "Réglages : Restyle ? Oui « Arrêter »"
    r = render(tmp_path, data)
    assert "Réglages : Restyle ? Oui « Arrêter »" in r.label["fr"]["controls"]


# ------------------------------------------------------------------------ countries


def test_english_country_names_take_their_article_in_sentences_only(tmp_path: Path) -> None:
    r = render(
        tmp_path,
        declaration(
            {
                "processing.countries": ["GB", "PH", "AE", "CZ"],
                "sharing": [
                    {
                        "id": "host",
                        "name": "Host",
                        "role": "processor",
                        "purposes": ["restyle"],
                        "countries": ["NL"],
                    }
                ],
            }
        ),
    )
    assert (
        "On our servers in Czechia, the Philippines, the United Arab Emirates, and the United "
        "Kingdom" in r.label["en"]["processed"]
    )
    assert "Host: works only for us, on our instructions (Netherlands)" in r.label["en"]["shared"]
    assert "Royaume-Uni" in r.label["fr"]["processed"] and " the " not in r.label["fr"]["processed"]


# -------------------------------------------------------------- native permission


@pytest.mark.parametrize("locale", LOCALES)
def test_native_text_carries_the_first_layer_where_it_fits(
    locale: str, rendered: dict[str, Rendered]
) -> None:
    for r in rendered.values():
        text = r.native[locale]
        if not text:  # the picker asks for no permission
            continue
        assert len(text) <= MAX_PERMISSION_TEXT
        for key in ("which", "when", "processed"):
            # each core answer, at least in its label form (the first layer's opening words)
            assert r.first[locale][key]["answer"][:20] in text, (key, text)


def test_native_text_says_unshared_when_and_where(tmp_path: Path) -> None:
    r = render(
        tmp_path,
        declaration(
            {
                "photos.access": "full_library",
                "photos.includes_unshared": True,
                "photos.cadence": "continuous",
                "photos.lookback": "P30D",
                "summary": "Makes albums.",
                "consent.model": "opt_in",
                "advertising.profiling": True,
            }
        ),
    )
    # Core first, then each risky first-layer answer while it fits: storage fits, ads do not.
    assert r.native["en"] == (
        "Makes albums. All the photos on your phone, including photos you never shared. "
        "All the time, in the background. It reads photos from the last 30 days in your "
        "library. On our servers in the United States. On our servers in the United States, "
        "for 1 day. Deleted as soon as you turn the feature off."
    )
    assert "including photos you never shared" in r.native["en"]
    assert "y compris les photos que vous n'avez jamais partagées" in r.native["fr"]


@pytest.mark.parametrize("locale", LOCALES)
def test_too_long_permission_text_is_located_at_the_locales_summary_with_its_budget(
    locale: str, tmp_path: Path
) -> None:
    data = declaration(
        {
            "photos.access": "full_library",
            "photos.includes_unshared": True,
            "consent.model": "opt_in",
        }
    )
    # The declaration's own locale writes its summary at the top; the others in translations.
    own = data if locale == LOCALES[0] else data["translations"][locale]
    own["summary"] = " ".join(["Une phrase beaucoup trop longue."] * 10)
    src = tmp_path / "decls" / "restyle-one-photo.yaml"
    src.parent.mkdir()
    src.write_text(dump(data), encoding="utf-8")
    proc = run_cli("render", str(src.parent), "--out", str(tmp_path / "out"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    message = (proc.stdout + proc.stderr).strip().splitlines()[-1]
    lines = src.read_text(encoding="utf-8").splitlines()
    where = re.search(r"restyle-one-photo\.yaml:(\d+):(\d+): (.*)", message)
    assert where, message
    line = lines[int(where[1]) - 1]
    assert line.strip().startswith("summary: Une phrase"), line
    assert line[int(where[2]) - 1 :].startswith("Une phrase"), (line, where[2])
    assert line.startswith("summary:" if locale == LOCALES[0] else "    summary:"), line
    assert where[3].startswith(f"{locale}: the permission text is ")
    budget = re.search(
        r"discloser adds (\d+) characters: your summary may have at most (\d+)", where[3]
    )
    assert budget and int(budget[1]) + int(budget[2]) == MAX_PERMISSION_TEXT, where[3]
    assert "Traceback" not in proc.stderr

    # A summary of exactly the budget renders.
    fits = " ".join(["Une phrase courte."] * 30)[: int(budget[2]) - 1].rstrip() + "."
    own["summary"] = fits.rjust(int(budget[2]), "A")
    src.write_text(dump(data), encoding="utf-8")
    ok = run_cli("render", str(src.parent), "--out", str(tmp_path / "out"))
    assert ok.returncode == 0, ok.stdout + ok.stderr
