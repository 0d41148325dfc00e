"""Validation benchmark: what ``discloser validate`` costs next to the cheapest possible read.

What is measured
----------------
Generated sets of 100, 1,000 and 10,000 valid declarations (about 75 lines each: two or three
purposes, one or two recipients, locales ``[en, fr]`` with a complete French translation; ids,
texts and answers drawn from a seeded random, so every file differs and every run writes the
same files) live in ``bench/.work/<n>/``. Before anything is timed, the 100-file set must
validate with exit 0: a benchmark of rejected files would measure the error path, not validation.
The texts avoid ``!``, ``&`` and ``*``, so every file takes the loader's fast path (in a file with
one of them every node is also checked for a tag or an anchor; see ``discloser.load.yaml12``).

Every figure comes from a fresh interpreter, "cold" the way CI and pre-commit see it: interpreter
start, imports and all. (The files themselves sit in the page cache, having just been written.)
discloser's own modules are byte-compiled first, as ``pip install`` does for an installed wheel:
where ``PYTHONDONTWRITEBYTECODE`` is set (as on this project's machines) an editable install
would otherwise compile every module from source in every process, about 40 ms each time, a
cost no installed copy pays. The floor's PyYAML is compiled already (installed by pip).

* ``python -m discloser validate <dir> --format json``, stdout to /dev/null;
* the floor: a ``python -c`` process that walks the same folder in the same order and only does
  ``yaml.load(f.read(), Loader=yaml.CSafeLoader)`` for each file -- the naive loader the issue
  compared against: libyaml at C speed, no schema, no rules, no line numbers, YAML 1.1;
* start-up: ``python -c pass``, ``discloser --version`` and ``discloser validate <one file>``.

Each child is forked by a small helper process, which times it from fork to reap and takes its
peak resident memory (``ru_maxrss``, KiB) from ``os.wait4``; forking from this script instead
would charge every child with this script's own size (see :data:`SPAWNER`). Runs of the compared
commands are interleaved, and medians are reported; every raw number goes to
``bench/results/validate.json``.

Why a ratio
-----------
Absolute times drift between machines and between runs on one machine (CPU model, frequency
scaling, a busy neighbour on a 2-core runner). The floor is measured in the same run, on the
same files, interleaved with validate, so validate/floor cancels most of that drift and is the
number to track. The table also gives the marginal cost per file between the two largest sizes,
which leaves start-up out.

Targets: ratio <= 1.0, the same ratio for one process (``DISCLOSER_WORKERS=1``: the cost per
core) <= 1.0 and peak memory <= 256 MiB at 10,000 files; ``--version`` <= 0.25 s; validating one
file <= 0.4 s. The figures and their floor, from one run, replace the marked block in the
README's "Validation" section (``--no-readme`` leaves it alone). A miss is reported, never raised: the script exits 0 whatever
the figures are, and non-zero only when it cannot measure (the generated files do not validate).

    .venv/bin/python bench/validate.py                      # 100, 1,000, 10,000: about 90 s
    .venv/bin/python bench/validate.py --sizes 100,1000 --repeat 1 --startup-repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
RESULTS = ROOT / "bench" / "results" / "validate.json"
_VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(_VENV_PYTHON if _VENV_PYTHON.exists() else Path(sys.executable))

SEED = 20260301
SIZES = (100, 1_000, 10_000)
VERIFY_SIZE = 100
REPEAT = 5  # one process straddles the floor within a few per cent: five runs, not three
STARTUP_REPEAT = 15

TARGET_AT = 10_000
TARGET_RATIO = 1.0
TARGET_ONE_PROCESS_RATIO = 1.0
README = ROOT / "README.md"
README_BEGIN = "<!-- bench/validate.py: begin -->"
README_END = "<!-- bench/validate.py: end -->"
TARGET_MIB = 256.0
TARGET_VERSION_S = 0.25
TARGET_ONE_FILE_S = 0.4

# The floor: the same walk as discloser.load.discover (sorted, hidden entries and other
# suffixes skipped), then the naive load of each file and nothing else.
FLOOR = """\
import os, sys, yaml
for folder, dirs, files in os.walk(sys.argv[1]):
    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
    for name in sorted(files):
        if name.startswith(".") or not name.endswith((".yaml", ".yml")):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            yaml.load(f.read(), Loader=yaml.CSafeLoader)
"""

# ------------------------------------------------------------------------------ generation


@dataclass(frozen=True)
class Feature:
    """One kind of photo feature: its words in both locales and the answers that fit it."""

    slug: str
    names: tuple[tuple[str, str], ...]  # (en, fr) variants
    summary: tuple[str, str]
    purpose: tuple[str, str, str]  # id, en, fr
    reads: tuple[str, ...]
    face_analysis: tuple[str, ...]
    cadences: tuple[str, ...]
    accesses: tuple[str, ...]


FEATURES = (
    Feature(
        "restyle",
        (("Restyle a photo", "Restyler une photo"), ("Paint style", "Style peinture")),
        (
            "Turns one photo you pick into a new picture that looks painted.",
            "Transforme une photo que vous choisissez en image façon peinture.",
        ),
        (
            "restyle",
            "Make a restyled copy of the photo you picked.",
            "Créer une copie restylée de la photo choisie.",
        ),
        ("pixels",),
        ("none",),
        ("on_request",),
        ("picker", "limited_selection"),
    ),
    Feature(
        "collage",
        (("Photo collage", "Collage de photos"), ("Quick collage", "Collage rapide")),
        (
            "Puts the photos you pick into one collage you can save.",
            "Assemble les photos choisies en un collage à enregistrer.",
        ),
        (
            "make-collage",
            "Lay out the photos you picked as one picture.",
            "Disposer les photos choisies en une seule image.",
        ),
        ("pixels",),
        ("none", "detection"),
        ("on_request",),
        ("picker", "limited_selection"),
    ),
    Feature(
        "memories",
        (("Memories", "Souvenirs"), ("On this day", "Ce jour-là")),
        (
            "Makes short slide shows from photos of the same day or trip.",
            "Crée de courts diaporamas avec les photos d'un même jour ou voyage.",
        ),
        (
            "build-memories",
            "Group your photos by day and place to build slide shows.",
            "Regrouper vos photos par jour et par lieu pour créer des diaporamas.",
        ),
        ("pixels", "capture_time", "location"),
        ("none", "detection"),
        ("continuous",),
        ("full_library", "limited_selection"),
    ),
    Feature(
        "photo-search",
        (("Photo search", "Recherche de photos"), ("Find photos", "Trouver des photos")),
        (
            "Finds photos by what is in them, like dogs or beaches.",
            "Trouve des photos selon leur contenu, comme des chiens ou des plages.",
        ),
        (
            "index-photos",
            "Label what is in each photo so you can search for it.",
            "Étiqueter le contenu de chaque photo pour que vous la retrouviez.",
        ),
        ("pixels", "text"),
        ("none", "detection"),
        ("continuous", "on_device_only"),
        ("full_library",),
    ),
    Feature(
        "clean-up",
        (("Clean up", "Nettoyage"), ("Free up space", "Libérer de l'espace")),
        (
            "Finds blurry photos and copies so you can delete them.",
            "Repère les photos floues et les doublons pour que vous les supprimiez.",
        ),
        (
            "find-duplicates",
            "Compare your photos to find copies and blurry shots.",
            "Comparer vos photos pour trouver les doublons et les photos floues.",
        ),
        ("pixels", "device_metadata"),
        ("none",),
        ("continuous", "on_request"),
        ("full_library", "limited_selection"),
    ),
    Feature(
        "auto-enhance",
        (("Auto enhance", "Retouche automatique"), ("Fix light", "Corriger la lumière")),
        (
            "Fixes light and color in the photo you pick.",
            "Corrige la lumière et les couleurs de la photo choisie.",
        ),
        (
            "enhance",
            "Adjust light and color in the photo you picked.",
            "Régler la lumière et les couleurs de la photo choisie.",
        ),
        ("pixels",),
        ("none", "detection"),
        ("on_request", "on_device_only"),
        ("picker", "capture_only"),
    ),
    Feature(
        "photo-prints",
        (("Photo prints", "Tirages photo"), ("Order prints", "Commander des tirages")),
        (
            "Sends the photos you pick to a print shop that mails you the prints.",
            "Envoie les photos choisies à un imprimeur qui vous poste les tirages.",
        ),
        (
            "print-order",
            "Print the photos you picked and mail them to you.",
            "Imprimer les photos choisies et vous les envoyer par la poste.",
        ),
        ("pixels",),
        ("none",),
        ("on_request",),
        ("picker", "limited_selection"),
    ),
    Feature(
        "people-albums",
        (("People albums", "Albums de personnes"), ("Faces", "Visages")),
        (
            "Groups photos of the same person into one album.",
            "Regroupe les photos d'une même personne dans un album.",
        ),
        (
            "group-faces",
            "Compare faces in your photos to group them by person.",
            "Comparer les visages de vos photos pour les regrouper par personne.",
        ),
        ("pixels", "faces"),
        ("grouping", "recognition"),
        ("continuous",),
        ("full_library",),
    ),
    Feature(
        "scan-text",
        (("Scan text", "Lire le texte"), ("Copy text", "Copier le texte")),
        (
            "Reads the text in a photo so you can copy it.",
            "Lit le texte d'une photo pour que vous le copiiez.",
        ),
        (
            "read-text",
            "Read the words in the photo you picked.",
            "Lire les mots de la photo choisie.",
        ),
        ("pixels", "text"),
        ("none",),
        ("on_request", "on_device_only"),
        ("picker", "capture_only"),
    ),
    Feature(
        "cloud-backup",
        (("Cloud backup", "Sauvegarde en ligne"), ("Photo backup", "Sauvegarde des photos")),
        (
            "Keeps a copy of your photos in your account.",
            "Garde une copie de vos photos dans votre compte.",
        ),
        (
            "backup",
            "Copy your photos to your account so you do not lose them.",
            "Copier vos photos dans votre compte pour ne pas les perdre.",
        ),
        ("pixels", "capture_time", "location", "device_metadata"),
        ("none",),
        ("continuous",),
        ("full_library", "limited_selection"),
    ),
    Feature(
        "sticker-maker",
        (("Make a sticker", "Créer un autocollant"), ("Cut out", "Détourage")),
        (
            "Cuts the main subject out of a photo to make a sticker.",
            "Détoure le sujet principal d'une photo pour en faire un autocollant.",
        ),
        (
            "cut-out",
            "Find the main subject of the photo and cut it out.",
            "Trouver le sujet principal de la photo et le détourer.",
        ),
        ("pixels",),
        ("none", "detection"),
        ("on_request",),
        ("picker", "shared_posts"),
    ),
    Feature(
        "photo-map",
        (("Photo map", "Carte des photos"), ("Places", "Lieux")),
        (
            "Shows your photos on a map by where you took them.",
            "Affiche vos photos sur une carte selon le lieu de prise de vue.",
        ),
        (
            "place-photos",
            "Read where each photo was taken to put it on the map.",
            "Lire le lieu de chaque photo pour la placer sur la carte.",
        ),
        ("pixels", "location"),
        ("none",),
        ("continuous", "on_request"),
        ("full_library", "shared_posts"),
    ),
)

# Second and third purposes: (id, en, fr, category, legal_basis, required)
EXTRA_PURPOSES = (
    (
        "suggest-styles",
        "Use what you edit to suggest new looks for you.",
        "Utiliser vos retouches pour vous proposer des styles.",
        "personalisation",
        "consent",
        False,
    ),
    (
        "usage-stats",
        "Count how often people save the result, to fix what fails.",
        "Compter combien de fois le résultat est gardé, pour corriger ce qui échoue.",
        "analytics",
        "consent",
        False,
    ),
    (
        "train-model",
        "Use your photos to train the model behind this feature.",
        "Utiliser vos photos pour entraîner le modèle de cette fonction.",
        "ai_training",
        "consent",
        False,
    ),
    (
        "train-general",
        "Use your photos to train our general image models.",
        "Utiliser vos photos pour entraîner nos modèles d'images généraux.",
        "ai_training",
        "consent",
        False,
    ),
    (
        "photo-ads",
        "Show you ads based on the kinds of photos you edit.",
        "Vous montrer des publicités selon le type de photos que vous retouchez.",
        "advertising",
        "consent",
        False,
    ),
    (
        "abuse-check",
        "Check photos for abuse before they are shared.",
        "Vérifier les photos pour repérer les abus avant tout partage.",
        "safety_security",
        "legitimate_interests",
        True,
    ),
)

# id -> (en name, fr name, role)
RECIPIENTS = {
    "host": ("Cloud hosting provider", "Hébergeur cloud", "processor"),
    "print-lab": (
        "Print lab that makes your prints",
        "Laboratoire qui fait vos tirages",
        "processor",
    ),
    "ad-partner": ("Ad network partner", "Régie publicitaire partenaire", "controller"),
    "stats-vendor": ("Analytics provider", "Fournisseur de statistiques", "processor"),
    "review-team": ("Safety review contractor", "Prestataire de modération", "processor"),
}

CONSONANTS = "bdfgklmnprstvz"
VOWELS = "aeiou"
SUMMARY_TAILS = (
    ("", ""),
    (" You choose which photos it uses.", " Vous choisissez les photos utilisées."),
    (" You can turn it off at any time.", " Vous pouvez la désactiver à tout moment."),
    (" Nothing is posted without your say.", " Rien n'est publié sans votre accord."),
)
TEAMS = ("photos-core", "creative-tools", "memories-team", "camera-app", "media-platform")
CONTROLLERS = ("Example Photos Ltd", "Example Photos Inc.", "Example Media SAS", "Sample Apps GmbH")
POLICIES = (
    "https://example.com/privacy",
    "https://photos.example.com/legal/privacy",
    "https://example.org/privacy-notice",
)
CONTACTS = (
    "mailto:privacy@example.com",
    "https://example.com/privacy/contact",
    "mailto:dpo@example.org",
)
REGIONS = ("US", "GB", "CA", "AU", "JP", "BR", "IN", "EU", "EEA", "DE", "FR", "MX", "KR", "CH")
REGIONS += ("NO",)  # Norway: YAML 1.1 would read it as false
DATA_COUNTRIES = (("US",), ("IE",), ("US", "IE"), ("DE",), ("FR",), ("NL",), ("SG",), ("JP",))
PLATFORMS = ("ios", "android", "web", "desktop")
CLOUD_RETENTION = ("P1D", "P7D", "P30D", "P90D", "P6M", "P1Y")
LOCAL_RETENTION = ("P30D", "P1Y", "until_deleted")


def _plain(text: str) -> str:
    """A text that YAML reads back as itself unquoted, and that takes the loader's fast path."""
    bad = (": ", " #", "\t", "!", "&", "*", "TODO")
    if any(b in text for b in bad) or text[:1] in "-?:,[]{}#|>'\"%@`" or text != text.strip():
        raise ValueError(f"generator text needs quoting or hits a slow path: {text!r}")
    return text


def _lead(subject: str, sentence: str) -> str:
    """``Turns one photo…`` said of ``subject``: ``Velora turns one photo…``."""
    return f"{subject} {sentence[:1].lower()}{sentence[1:]}"


def _flow(items: list[str] | tuple[str, ...]) -> str:
    return "[" + ", ".join(items) + "]"


def _yn(value: bool) -> str:
    return "true" if value else "false"


def declaration(i: int, seed: int) -> tuple[str, str]:
    """The ``i``-th generated declaration as (id, YAML text); the same for any set size."""
    rng = random.Random(f"{seed}:{i}")
    f = rng.choice(FEATURES)
    name, name_fr = rng.choice(f.names)
    # The app's made-up name runs through the main texts, so files do not share their sentences
    # (as real declarations do not) and a cache keyed on text cannot flatter the result.
    app = "".join(rng.choice(CONSONANTS) + rng.choice(VOWELS) for _ in range(rng.randint(2, 3)))
    app = app.capitalize()
    tail, tail_fr = rng.choice(SUMMARY_TAILS)
    fid = f"{f.slug}-{i:05d}"

    face = rng.choice(f.face_analysis)
    reads = list(f.reads)
    if face != "none" and "faces" not in reads:
        reads.append("faces")
    if rng.random() < 0.3 and "capture_time" not in reads:
        reads.append("capture_time")
    cadence = rng.choice(f.cadences)
    access = rng.choice(f.accesses)
    unshared = access != "shared_posts" and rng.random() < 0.8
    local_only = cadence == "on_device_only"

    # purposes: the feature's own, then one or two more (at most one of a category)
    main = (f.purpose[1][:-1] + f" in {app}.", f.purpose[2][:-1] + f" dans {app}.")
    purposes = [(f.purpose[0], *main, "app_functionality", "contract", True)]
    extras = list(EXTRA_PURPOSES)
    rng.shuffle(extras)
    for extra in extras[: rng.choice((1, 1, 2))]:
        if all(extra[3] != p[3] for p in purposes):
            purposes.append(extra)
    optional = any(not p[5] for p in purposes)

    processing = "on_device" if local_only else rng.choice(("cloud", "cloud", "cloud", "hybrid"))
    proc_countries = () if processing == "on_device" else rng.choice(DATA_COUNTRIES)
    if local_only:
        storage = rng.choice(("on_device", "not_stored"))
    else:
        storage = rng.choice(("cloud", "cloud", "cloud", "on_device", "not_stored"))
    if face in ("grouping", "recognition") and storage == "not_stored":
        storage = "on_device"  # face templates are kept data (D313)
    store_countries = rng.choice(DATA_COUNTRIES) if storage == "cloud" else ()
    if storage == "cloud":
        retention = rng.choice(CLOUD_RETENTION)
    elif storage == "on_device":
        retention = rng.choice(LOCAL_RETENTION)
    else:
        retention = "not_retained"
    if storage == "not_stored" and rng.random() < 0.5:
        deletion = None
    elif storage == "cloud":
        deletion = (
            f"Open {app} > Settings > Privacy > {name} and tap Delete data.",
            f"Ouvrez {app} > Réglages > Confidentialité > {name_fr} et touchez "
            "Supprimer les données.",
        )
    elif storage == "on_device":
        deletion = (
            "Delete the saved results from your gallery.",
            "Supprimez les résultats enregistrés de votre galerie.",
        )
    else:
        deletion = (
            "Nothing is kept once the result is on your screen.",
            "Rien n'est gardé une fois le résultat affiché.",
        )

    training = next((p for p in purposes if p[3] == "ai_training"), None)
    ads = next((p for p in purposes if p[3] == "advertising"), None)
    sensitive = (
        training is not None
        or ads is not None
        or face != "none"
        or (access == "full_library" and unshared)
    )
    if optional:
        model = "opt_in" if sensitive else rng.choice(("opt_in", "opt_out"))
        per_purpose = True
    else:
        model = "opt_in" if sensitive else rng.choice(("opt_in", "notice_only"))
        per_purpose = rng.random() < 0.5

    # recipients: whoever the answers imply, one or two of them
    candidates: list[tuple[str, list[str]]] = []
    if processing != "on_device" or storage == "cloud":
        candidates.append(("host", [purposes[0][0]]))
    if f.slug == "photo-prints":
        candidates.append(("print-lab", [purposes[0][0]]))
    for p in purposes[1:]:
        wanted = {
            "advertising": "ad-partner",
            "analytics": "stats-vendor",
            "safety_security": "review-team",
        }
        if p[3] in wanted:
            candidates.append((wanted[p[3]], [p[0]]))
    sharing = [] if local_only else candidates[: rng.choice((1, 2, 2))]
    if not local_only and not sharing:
        sharing = [("stats-vendor", [purposes[0][0]])]

    status = rng.choice(("planned", "beta", "live", "live", "live", "retired"))
    effective = date(2025, 1, 1) + timedelta(days=rng.randrange(540))
    ended = effective + timedelta(days=rng.randrange(30, 400)) if status == "retired" else None
    regions = rng.sample(REGIONS, rng.randint(1, 4))
    platforms = [p for p in PLATFORMS if rng.random() < 0.6] or ["ios"]

    out = [
        "# yaml-language-server: $schema=../../../schema/declaration.schema.json",
        "discloser: 1",
        f"id: {fid}",
        f"name: {_plain(name)}",
        f"summary: {_plain(_lead(app, f.summary[0]) + tail)}",
        f"owner: {rng.choice(TEAMS)}@example.com",
        f"controller: {rng.choice(CONTROLLERS)}",
        f"status: {status}",
    ]
    if ended is not None:
        out.append(f"ended: {ended.isoformat()}")
    out += [
        f"revision: {rng.randint(1, 12)}",
        f"effective: {effective.isoformat()}",
        "locales: [en, fr]",
        f"platforms: {_flow(platforms)}",
        f"regions: {_flow(regions)}",
        "photos:",
        f"  access: {access}",
        f"  includes_unshared: {_yn(unshared)}",
        f"  cadence: {cadence}",
    ]
    if cadence == "continuous":
        out.append(f"  lookback: {rng.choice(('P7D', 'P30D', 'P1Y'))}")
    out += [f"  reads: {_flow(reads)}", f"  face_analysis: {face}", "purposes:"]
    for pid, text, _, category, basis, required in purposes:
        out += [
            f"  - id: {pid}",
            f"    text: {_plain(text)}",
            f"    category: {category}",
            f"    legal_basis: {basis}",
            f"    required: {_yn(required)}",
        ]
    out += [
        "processing:",
        f"  location: {processing}",
        f"  countries: {_flow(proc_countries)}",
        # nobody at the company can look at photos that never leave the phone (D313)
        f"  human_review: {'none' if processing == 'on_device' else rng.choice(('none', 'none', 'sampled', 'on_report'))}",
        f"  automated_decisions: {_yn(rng.random() < 0.05)}",
        "storage:",
        f"  location: {storage}",
        f"  countries: {_flow(store_countries)}",
        f"  retention: {retention}",
    ]
    if storage == "cloud":
        out.append(f"  after_opt_out: {rng.choice(('P0D', 'P1D', 'P7D', 'P30D'))}")
    if face in ("grouping", "recognition"):
        out.append(f"  face_templates: {rng.choice(('P6M', 'P1Y', 'P2Y', 'P3Y'))}")
    out.append(
        f"  encryption: {{in_transit: true, at_rest: {_yn(rng.random() < 0.9)}, "
        f"end_to_end: {_yn(rng.random() < 0.2)}}}"
    )
    if deletion is not None:
        out.append(f"  deletion: {_plain(deletion[0])}")
    out.append("ai_training:")
    if training is None:
        out += ["  use: none", "  reads: []", "  faces: false", "  purposes: []"]
        out.append("  opt_out_removes: true")
    else:
        use = "general_models" if training[0] == "train-general" else "this_feature"
        train_reads = ["pixels"] + [r for r in reads if r != "pixels" and rng.random() < 0.4]
        faces = "faces" in train_reads
        out += [
            f"  use: {use}",
            f"  reads: {_flow(train_reads)}",
            f"  faces: {_yn(faces)}",
            f"  purposes: [{training[0]}]",
            f"  opt_out_removes: {_yn(rng.random() < 0.9)}",
            "  condition: if_you_agree",  # the training purposes are optional (D314)
        ]
    if ads is None:
        out.append("advertising: {targeting: false, measurement: false, profiling: false}")
    else:
        out.append(
            f"advertising: {{targeting: true, measurement: {_yn(rng.random() < 0.5)}, "
            f"profiling: {_yn(rng.random() < 0.3)}}}"
        )
    if not sharing:
        out.append("sharing: []")
    else:
        out.append("sharing:")
        for rid, served in sharing:
            r_name, _, role = RECIPIENTS[rid]
            countries = proc_countries or store_countries or rng.choice(DATA_COUNTRIES)
            out += [
                f"  - id: {rid}",
                f"    name: {_plain(r_name)}",
                f"    role: {role}",
                f"    purposes: {_flow(served)}",
                f"    countries: {_flow(countries)}",
            ]
    out += [
        "consent:",
        f"  model: {model}",
        f"  per_purpose: {_yn(per_purpose)}",
        f"  withdraw: {_plain(f'Open {app} > Settings > Privacy > {name} and turn it off.')}",
        "links:",
        f'  policy: "{rng.choice(POLICIES)}"',
        f'  contact: "{rng.choice(CONTACTS)}"',
        "translations:",
        "  fr:",
        f"    name: {_plain(name_fr)}",
        f"    summary: {_plain(_lead(app, f.summary[1]) + tail_fr)}",
        "    purposes:",
    ]
    out += [f"      {p[0]}: {_plain(p[2])}" for p in purposes]
    if sharing:
        out.append("    recipients:")
        out += [f"      {rid}: {_plain(RECIPIENTS[rid][1])}" for rid, _ in sharing]
    if deletion is not None:
        out.append(f"    deletion: {_plain(deletion[1])}")
    withdraw_fr = f"Ouvrez {app} > Réglages > Confidentialité > {name_fr} et désactivez-la."
    out.append(f"    withdraw: {_plain(withdraw_fr)}")
    return fid, "\n".join(out) + "\n"


def generate(n: int, seed: int) -> dict[str, Any]:
    """Write ``n`` declarations to ``bench/.work/<n>/`` (replacing what was there)."""
    folder = WORK / str(n)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    lines = 0
    size = 0
    for i in range(n):
        fid, text = declaration(i, seed)
        data = text.encode("utf-8")
        (folder / f"{fid}.yaml").write_bytes(data)
        lines += text.count("\n")
        size += len(data)
    return {"folder": str(folder), "mean_lines": lines / n, "mean_bytes": size / n}


# ------------------------------------------------------------------------------ measuring


@dataclass
class Run:
    wall_s: float
    maxrss_kib: int
    exit: int


# Runs inside a small helper process. A child's ru_maxrss on Linux is at least what the process
# that spawned it had mapped: exec() folds the old address space's high-water mark into the
# counter, and vfork (what subprocess and posix_spawn use) hands the child the parent's own
# address space. Spawned from this script (generator, tables) the floor and `python -c pass`
# would report this script's size, not theirs; forked from a ~9 MiB helper that has touched
# almost nothing, the inherited part stays below any Python interpreter's own peak (it is
# measured: the "rss floor" in validate.json).
SPAWNER = """\
import json, os, sys, time
for line in sys.stdin:
    req = json.loads(line)
    err = os.open(req["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(req["cwd"])
            null = os.open(os.devnull, os.O_RDWR)
            os.dup2(null, 0)
            os.dup2(null, 1)
            os.dup2(err, 2)
            os.execv(req["argv"][0], req["argv"])
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    os.close(err)
    code = os.waitstatus_to_exitcode(status)
    print(json.dumps([wall, usage.ru_maxrss, code]), flush=True)
"""


class Spawner:
    """Fresh processes, each timed from fork to reap, with its own peak RSS from os.wait4."""

    def __init__(self) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR")}
        self._tmp = tempfile.TemporaryDirectory(prefix="discloser-bench-")
        self._stderr = str(Path(self._tmp.name, "stderr"))
        self._proc = subprocess.Popen(
            [PYTHON, "-I", "-S", "-c", SPAWNER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )

    def run(self, argv: list[str]) -> Run:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        request = {"argv": argv, "cwd": str(ROOT), "stderr": self._stderr}
        self._proc.stdin.write(json.dumps(request) + "\n")
        self._proc.stdin.flush()
        wall, maxrss, code = json.loads(self._proc.stdout.readline())
        if code != 0:
            tail = Path(self._stderr).read_text("utf-8", "replace").strip()[-400:]
            print(f"  ! exit {code}: {' '.join(argv[:6])} ... {tail}", file=sys.stderr)
        return Run(wall, maxrss, code)

    def close(self) -> None:
        assert self._proc.stdin is not None
        self._proc.stdin.close()
        self._proc.wait(timeout=30)
        self._tmp.cleanup()


def summarise(runs: list[Run]) -> dict[str, Any]:
    return {
        "wall_s": [r.wall_s for r in runs],
        "maxrss_kib": [r.maxrss_kib for r in runs],
        "exit": [r.exit for r in runs],
        "median_wall_s": statistics.median(r.wall_s for r in runs),
        "median_maxrss_mib": statistics.median(r.maxrss_kib for r in runs) / 1024,
    }


def discloser(*args: str) -> list[str]:
    return [PYTHON, "-m", "discloser", *args]


def verify(folder: Path, n: int) -> dict[str, Any]:
    """The set must validate with exit 0 and no errors, or nothing after this means anything."""
    proc = subprocess.run(
        discloser("validate", str(folder), "--format", "json"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        report = None
    summary = report["summary"] if report else {}
    if proc.returncode != 0 or summary.get("errors") != 0 or summary.get("files") != n:
        print(f"ABORT: the generated {n}-file set does not validate (exit {proc.returncode}).")
        print("A benchmark of rejected files measures the error path, not validation.")
        for finding in (report or {}).get("findings", [])[:20]:
            print(f"  {finding['file']}:{finding['line']}: {finding['code']} {finding['message']}")
        if report is None:
            print(proc.stdout[-2000:], proc.stderr[-2000:], sep="\n")
        sys.exit(1)
    if summary.get("warnings"):
        print(f"WARNING: the {n}-file set validates but with {summary['warnings']} warning(s):")
        for finding in report["findings"][:10]:
            print(f"  {finding['file']}:{finding['line']}: {finding['code']} {finding['message']}")
    return summary


def environment() -> dict[str, Any]:
    probe = (
        "import json, sys, yaml, pydantic, discloser;"
        "print(json.dumps({'python': sys.version.split()[0], 'pyyaml': yaml.__version__,"
        "'libyaml': yaml.__with_libyaml__, 'pydantic': pydantic.VERSION,"
        "'discloser': discloser.__version__}))"
    )
    out = subprocess.run(
        [PYTHON, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    info: dict[str, Any] = json.loads(out)
    info.update(
        {
            "interpreter": PYTHON,
            "machine": platform.machine(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            # Other work on the machine scales every absolute figure; ratios mostly cancel it.
            "load_average_1min": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        }
    )
    return info


def measure_cold(spawner: Spawner, folder: Path, repeat: int) -> dict[str, Any]:
    validate = discloser("validate", str(folder.relative_to(ROOT)), "--format", "json")
    floor = [PYTHON, "-c", FLOOR, str(folder.relative_to(ROOT))]
    # discloser forks workers for large sets; "one process" pins it to one to show the per-core
    # cost next to the floor, which is always a single process.
    one = ["/usr/bin/env", "DISCLOSER_WORKERS=1", *validate]
    argvs = {"validate": validate, "floor": floor, "one_process": one}
    runs: dict[str, list[Run]] = {k: [] for k in argvs}
    for rep in range(repeat):
        order = list(argvs) if rep % 2 == 0 else list(reversed(argvs))
        for which in order:
            runs[which].append(spawner.run(argvs[which]))
    result: dict[str, Any] = {k: summarise(v) for k, v in runs.items()}
    result["ratio"] = result["validate"]["median_wall_s"] / result["floor"]["median_wall_s"]
    result["ratio_one_process"] = (
        result["one_process"]["median_wall_s"] / result["floor"]["median_wall_s"]
    )
    return result


def measure_startup(spawner: Spawner, one_file: Path, repeat: int) -> dict[str, Any]:
    commands = {
        "python -c pass": [PYTHON, "-c", "pass"],
        "discloser --version": discloser("--version"),
        "discloser validate <one file>": discloser("validate", str(one_file.relative_to(ROOT))),
    }
    for argv in commands.values():  # warm the bytecode caches; not timed
        spawner.run(argv)
    runs: dict[str, list[Run]] = {k: [] for k in commands}
    for _ in range(repeat):
        for key, argv in commands.items():
            runs[key].append(spawner.run(argv))
    return {k: summarise(v) for k, v in runs.items()}


# ------------------------------------------------------------------------------ reporting


def _verdict(value: float, target: float, unit: str, fmt: str) -> str:
    met = "met" if value <= target else "**MISSED**"
    return f"{met} (target <= {target:{fmt}}{unit})"


def table(results: dict[str, Any], heading: str = "##") -> str:
    cold = results["cold"]
    sizes = sorted(int(n) for n in cold)
    out = [
        f"{heading} discloser validate vs the naive CSafeLoader floor (cold processes, "
        f"median of {results['repeat']})",
        "",
        "| files | validate s | floor s | ratio | validate µs/file | floor µs/file "
        "| validate peak MiB | floor peak MiB | one process s | ratio, one process |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        c = cold[str(n)]
        v, f = c["validate"], c["floor"]
        ratio = f"{c['ratio']:.2f}"
        mib = f"{v['median_maxrss_mib']:.1f}"
        one = f"{c['ratio_one_process']:.2f}"
        if n == TARGET_AT:
            ratio += " " + _verdict(c["ratio"], TARGET_RATIO, "", ".1f")
            one += " " + _verdict(c["ratio_one_process"], TARGET_ONE_PROCESS_RATIO, "", ".1f")
            mib += " " + _verdict(v["median_maxrss_mib"], TARGET_MIB, " MiB", ".0f")
        out.append(
            f"| {n:,} | {v['median_wall_s']:.3f} | {f['median_wall_s']:.3f} | {ratio} "
            f"| {v['median_wall_s'] / n * 1e6:,.0f} | {f['median_wall_s'] / n * 1e6:,.0f} "
            f"| {mib} | {f['median_maxrss_mib']:.1f} "
            f"| {c['one_process']['median_wall_s']:.3f} | {one} |"
        )
    if "marginal" in results:
        m = results["marginal"]
        out += [
            "",
            f"Marginal cost per file between {m['from']:,} and {m['to']:,} files (start-up "
            f"excluded): validate {m['validate_us']:,.0f} µs, floor {m['floor_us']:,.0f} µs, "
            f"ratio {m['ratio']:.2f}.",
        ]
    if TARGET_AT not in sizes:
        out += ["", f"(Targets apply at {TARGET_AT:,} files, which this run did not measure.)"]
    bad = [
        n
        for n in sizes
        if any(code != 0 for k in ("validate", "floor") for code in cold[str(n)][k]["exit"])
    ]
    if bad:
        out += ["", f"**Some runs exited non-zero at sizes {bad}; see validate.json.**"]
    s = results["startup"]
    floor_s = s["python -c pass"]["median_wall_s"]
    targets = {
        "python -c pass": "floor",
        "discloser --version": _verdict(
            s["discloser --version"]["median_wall_s"], TARGET_VERSION_S, " s", ".2f"
        ),
        "discloser validate <one file>": _verdict(
            s["discloser validate <one file>"]["median_wall_s"], TARGET_ONE_FILE_S, " s", ".1f"
        ),
    }
    out += [
        "",
        f"{heading} Start-up (fresh processes, median of {results['startup_repeat']})",
        "",
        "| command | median s | min s | max s | over `python -c pass` s | peak MiB | target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for key, r in s.items():
        out.append(
            f"| `{key}` | {r['median_wall_s']:.3f} | {min(r['wall_s']):.3f} "
            f"| {max(r['wall_s']):.3f} | {r['median_wall_s'] - floor_s:.3f} "
            f"| {r['median_maxrss_mib']:.1f} | {targets[key]} |"
        )
    env = results["environment"]
    g = results["generated"][str(max(sizes))]
    rss_floor = results.get("rss_floor_kib")
    inherited = (
        f" Peak memory is each process's own ru_maxrss; about {rss_floor / 1024:.1f} MiB of it "
        "is inherited from the spawning helper (the floor any child reports)."
        if rss_floor
        else ""
    )
    out += [
        "",
        f"Python {env['python']}, PyYAML {env['pyyaml']} (libyaml {env['libyaml']}), pydantic "
        f"{env['pydantic']}, discloser {env['discloser']}; {env['cpus']} CPUs, "
        f"{env['platform']}. Files: {g['mean_lines']:.0f} lines, {g['mean_bytes']:,.0f} bytes "
        f"on average; seed {results['seed']}.{inherited}"
        + (
            f" Load average when the run started: {env['load_average_1min']:.1f} on "
            f"{env['cpus']} CPUs (absolute seconds scale with it; ratios mostly do not)."
            if env.get("load_average_1min") is not None
            else ""
        ),
    ]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(n) for n in SIZES),
        help="comma-separated set sizes (default: 100,1000,10000)",
    )
    parser.add_argument("--repeat", type=int, default=REPEAT, help="cold runs per size (default 3)")
    parser.add_argument(
        "--startup-repeat",
        type=int,
        default=STARTUP_REPEAT,
        help="runs of each start-up command (default 15)",
    )
    parser.add_argument("--seed", type=int, default=SEED, help="generator seed")
    parser.add_argument(
        "--no-readme", action="store_true", help="do not rewrite the README's figures"
    )
    args = parser.parse_args(argv)
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    if not sizes or min(sizes) < 1 or args.repeat < 1 or args.startup_repeat < 1:
        parser.error("sizes and repeat counts must be positive")

    print(f"generating {', '.join(f'{n:,}' for n in sorted({VERIFY_SIZE, *sizes}))} declarations")
    generated = {n: generate(n, args.seed) for n in sorted({VERIFY_SIZE, *sizes})}
    # As an installed wheel is; a no-op where the caches exist. Not timed.
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "discloser")], check=True)
    summary = verify(WORK / str(VERIFY_SIZE), VERIFY_SIZE)
    print(f"the {VERIFY_SIZE}-file set validates: {summary}")

    results: dict[str, Any] = {
        "environment": environment(),
        "seed": args.seed,
        "repeat": args.repeat,
        "startup_repeat": args.startup_repeat,
        "generated": {str(n): g for n, g in generated.items()},
        "verified": {"files": VERIFY_SIZE, "summary": summary},
        "targets": {
            "at_files": TARGET_AT,
            "ratio": TARGET_RATIO,
            "ratio_one_process": TARGET_ONE_PROCESS_RATIO,
            "peak_mib": TARGET_MIB,
            "version_s": TARGET_VERSION_S,
            "one_file_s": TARGET_ONE_FILE_S,
        },
        "cold": {},
    }
    spawner = Spawner()
    try:
        if Path("/bin/true").exists():  # what a child inherits from the helper: the RSS floor
            results["rss_floor_kib"] = spawner.run(["/bin/true"]).maxrss_kib
        for n in sizes:
            print(f"cold runs at {n:,} files ({args.repeat} x validate, {args.repeat} x floor)")
            results["cold"][str(n)] = measure_cold(spawner, WORK / str(n), args.repeat)
        print(f"start-up ({args.startup_repeat} runs of each command)")
        one = min((WORK / str(VERIFY_SIZE)).glob("*.yaml"))
        results["startup"] = measure_startup(spawner, one, args.startup_repeat)
    finally:
        spawner.close()
    if len(sizes) >= 2:
        lo, hi = sizes[-2], sizes[-1]
        dv = results["cold"][str(hi)]["validate"]["median_wall_s"]
        dv -= results["cold"][str(lo)]["validate"]["median_wall_s"]
        df = results["cold"][str(hi)]["floor"]["median_wall_s"]
        df -= results["cold"][str(lo)]["floor"]["median_wall_s"]
        results["marginal"] = {
            "from": lo,
            "to": hi,
            "validate_us": dv / (hi - lo) * 1e6,
            "floor_us": df / (hi - lo) * 1e6,
            "ratio": dv / df if df > 0 else float("nan"),
        }
    results["targets"]["met"] = targets_met(results)

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print()
    print(table(results))
    print(f"raw numbers: {RESULTS.relative_to(ROOT)}")
    if not args.no_readme and write_readme(results):
        print(f"figures written to {README.relative_to(ROOT)} (section Validation)")
    return 0


def write_readme(results: dict[str, Any]) -> bool:
    """Replace the README's marked block with this run's tables; False if there is no block."""
    if not README.exists():
        return False
    text = README.read_text(encoding="utf-8")
    start, end = text.find(README_BEGIN), text.find(README_END)
    if start < 0 or end < start:
        return False
    block = f"{README_BEGIN}\n{table(results, heading='####')}\nraw numbers: "
    block += f"`{RESULTS.relative_to(ROOT)}`\n"
    README.write_text(text[:start] + block + text[end:], encoding="utf-8")
    return True


def targets_met(results: dict[str, Any]) -> dict[str, bool | None]:
    """Each target: True met, False missed, None not measured in this run."""
    at = results["cold"].get(str(TARGET_AT))
    s = results["startup"]
    return {
        "ratio": None if at is None else at["ratio"] <= TARGET_RATIO,
        "ratio_one_process": None
        if at is None
        else at["ratio_one_process"] <= TARGET_ONE_PROCESS_RATIO,
        "peak_mib": None if at is None else at["validate"]["median_maxrss_mib"] <= TARGET_MIB,
        "version_s": s["discloser --version"]["median_wall_s"] <= TARGET_VERSION_S,
        "one_file_s": s["discloser validate <one file>"]["median_wall_s"] <= TARGET_ONE_FILE_S,
    }


if __name__ == "__main__":
    sys.exit(main())
