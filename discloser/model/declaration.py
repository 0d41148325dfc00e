"""The declaration: a feature's answers to the eight questions people ask about their photos.

Every model forbids unknown keys and coerces nothing: a typo such as ``ai_trainig: true`` must
fail loudly instead of vanishing, and ``NO`` must stay Norway. Fields without a default are
questions that must be answered; ``false``, ``none`` and ``[]`` are answers, a missing key is not.
Descriptions flow into the JSON Schema, the editor's hover text and the error messages.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from discloser.model.types import (
    ContactUrl,
    Country,
    Duration,
    HttpsUrl,
    IsoDate,
    Locale,
    Lookback,
    Plain,
    Region,
    Retention,
    Slug,
    Text,
    WholeNumber,
    whole_number,
)

FORMAT_VERSION = 1


def _not_boolean(value: object) -> object:
    """``Literal[1]`` accepts ``True`` (Python's 1); ``discloser: true`` is not a version."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not a format version")
    return value


FormatVersion = Annotated[Literal[1], BeforeValidator(whole_number), BeforeValidator(_not_boolean)]

Access = Literal["picker", "limited_selection", "full_library", "shared_posts", "capture_only"]
Cadence = Literal["on_device_only", "on_request", "continuous"]
ReadItem = Literal[
    "pixels", "faces", "text", "location", "capture_time", "device_metadata", "people_tags"
]
FaceAnalysis = Literal["none", "detection", "attributes", "grouping", "recognition"]
TrainingCondition = Literal["always", "if_you_agree", "edited_or_shared"]
ItemKind = Literal["saved", "edited", "shared", "reported"]
Audience = Literal["always", "when_you_share"]
TermsAllow = Literal[
    "media_analysis",
    "facial_features",
    "face_recognition",
    "ai_training",
    "advertising",
    "profiling",
    "human_review",
    "sharing",
    "public",
]
Category = Literal[
    "app_functionality",
    "personalisation",
    "ai_training",
    "advertising",
    "analytics",
    "safety_security",
    "other",
]
LegalBasis = Literal[
    "consent",
    "contract",
    "legitimate_interests",
    "legal_obligation",
    "vital_interests",
    "public_task",
]
Status = Literal["planned", "beta", "live", "retired"]
Platform = Literal["ios", "android", "web", "desktop"]


class Strict(BaseModel):
    """Base of every declaration model: unknown keys are errors, nothing is coerced.

    ``extra="forbid"`` so a misspelt key fails instead of silently dropping an answer;
    ``strict=True`` so ``"yes"`` is never a boolean and ``"30"`` never a number; frozen because
    a validated declaration is a fact that every later step must see unchanged.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Photos(Strict):
    """Which photos the feature touches, when, and what it reads from them."""

    access: Access = Field(
        description="Which photos the feature can reach: one the person picks (picker), a "
        "selection the person chose (limited_selection), the whole library including photos "
        "never shared (full_library), only photos already posted (shared_posts), or only new "
        "photos taken in the feature (capture_only)."
    )
    includes_unshared: bool = Field(
        description="Whether photos the person never shared or posted are included."
    )
    cadence: Cadence = Field(
        description="When photos are processed: never off the device (on_device_only), once "
        "each time the person asks (on_request), or continuously in the background (continuous)."
    )
    lookback: Lookback | None = Field(
        default=None,
        description="For continuous processing: how far back in the library it reaches, as an "
        "ISO 8601 duration (P30D), or whole_library. Required when cadence is continuous, "
        "absent otherwise.",
    )
    reads: list[ReadItem] = Field(
        min_length=1,
        description="What is read from each photo: pixels, faces, text (text in images), "
        "location (GPS/EXIF), capture_time, device_metadata, people_tags.",
    )
    face_analysis: FaceAnalysis = Field(
        description="What is done with faces: none, detection (finds faces, keeps no template), "
        "attributes (analyses facial features such as age, expression or skin, keeps no "
        "template and identifies nobody), grouping (builds face templates to group photos by "
        "person), recognition (identifies people). Grouping and recognition are biometric "
        "processing."
    )


class Purpose(Strict):
    """One reason for using the photos, written from the person's side."""

    id: Slug = Field(description="Stable id, referenced from ai_training and sharing.")
    text: Text = Field(
        description="One plain sentence from the person's side: what they get or what is done."
    )
    category: Category = Field(
        description="Category mapped to standard vocabularies (app functionality, "
        "personalisation, AI training, advertising, analytics, safety/security, other)."
    )
    legal_basis: LegalBasis = Field(description="GDPR Art. 6 legal basis for this purpose.")
    required: bool = Field(
        description="true when the feature cannot work without this purpose; optional purposes "
        "are separate choices, off until the person turns them on."
    )


class Processing(Strict):
    """Where the photos are processed and who looks at them."""

    location: Literal["on_device", "cloud", "hybrid"] = Field(
        description="Where processing happens: on_device, cloud, or hybrid (both)."
    )
    countries: list[Country] = Field(
        description="ISO 3166-1 alpha-2 countries where cloud processing happens; [] on device."
    )
    human_review: Literal["none", "sampled", "on_report", "all"] = Field(
        description="Whether people (at the company or at a recipient acting for it) look at "
        "photos: none, sampled (a share is reviewed), on_report (only photos someone reports), "
        "all (every photo is seen, as in a print lab)."
    )
    automated_decisions: bool = Field(
        description="Whether the feature makes decisions with legal or similarly significant "
        "effects on the person without human involvement (GDPR Art. 22)."
    )


class Encryption(Strict):
    """How stored and transferred photos are protected."""

    in_transit: bool = Field(description="Encrypted while sent between device and servers.")
    at_rest: bool = Field(description="Encrypted where stored.")
    end_to_end: bool = Field(description="Only the person's devices can decrypt them.")


class LongerRetention(Strict):
    """Items the person acts on that are kept longer than the photos in general."""

    items: list[ItemKind] = Field(
        min_length=1,
        description="Which items: saved (the person saves a result), edited (the person edits "
        "it), shared (the person shares it), reported (someone reports it).",
    )
    retention: Retention = Field(
        description="How long those items are kept: an ISO 8601 duration or until_deleted."
    )


class Storage(Strict):
    """Where photos and what is derived from them are kept, and for how long."""

    location: Literal["not_stored", "on_device", "cloud"] = Field(
        description="Where photos or derived data are kept: not_stored, on_device, cloud."
    )
    countries: list[Country] = Field(
        description="ISO 3166-1 alpha-2 countries where cloud copies are stored; [] otherwise."
    )
    retention: Retention = Field(
        description="How long photos are kept: an ISO 8601 duration (P30D), not_retained, or "
        "until_deleted (kept until the person deletes them)."
    )
    longer_for: list[LongerRetention] = Field(
        default_factory=list,
        description="Items kept longer than retention says (results you save, edit or share, "
        "reported items), each with its own period; [] when every item follows retention.",
    )
    after_opt_out: Duration | None = Field(
        default=None,
        description="How long copies remain after the person opts out or withdraws consent, as "
        "an ISO 8601 duration (P0D: at once). Required for cloud storage.",
    )
    face_templates: Duration | None = Field(
        default=None,
        description="Retention schedule for face templates, as an ISO 8601 duration (at most "
        "P3Y). Required when face_analysis is grouping or recognition.",
    )
    encryption: Encryption = Field(description="Encryption in transit, at rest and end to end.")
    deletion: Text | None = Field(
        default=None,
        description="Where and how the person deletes what is stored, written out "
        "(Settings > Privacy > …). Required unless nothing is stored.",
    )


class AiTraining(Strict):
    """Whether photos train AI models, and which."""

    use: Literal["none", "this_feature", "general_models"] = Field(
        description="none; this_feature (only this feature's own models); general_models "
        "(general-purpose or foundation models)."
    )
    reads: list[ReadItem] = Field(
        description="Which of the items read from photos feed training; [] when use is none."
    )
    faces: bool = Field(description="Whether people's faces feed training.")
    purposes: list[Slug] = Field(
        description="Ids of the purposes (category ai_training) that cover training."
    )
    condition: TrainingCondition | None = Field(
        default=None,
        description="Which photos train, and when: always (every photo the feature reads, no "
        "separate choice), if_you_agree (only after the person turns the training purpose on), "
        "edited_or_shared (only photos the person edits or shares with the AI, whenever they "
        "do). Required when use is not none.",
    )
    opt_out_removes: bool = Field(
        description="Whether opting out removes the person's photos from future training."
    )


class Advertising(Strict):
    """Advertising uses, each answered separately."""

    targeting: bool = Field(description="Photos or what is learnt from them choose which ads.")
    measurement: bool = Field(description="Photos or derived data measure ad performance.")
    profiling: bool = Field(description="Interests or traits are inferred from photos.")


class Recipient(Strict):
    """Someone outside the company who receives photos or derived data."""

    id: Slug = Field(description="Stable id, used to key translations.")
    name: Text = Field(description="Who receives the data, as a person would recognise it.")
    role: Literal["processor", "controller", "public"] = Field(
        description="processor (acts only for us), controller (decides its own uses), public "
        "(made public)."
    )
    purposes: list[Slug] = Field(min_length=1, description="Ids of the purposes it serves.")
    countries: list[Country] = Field(description="ISO 3166-1 alpha-2 countries it receives in.")
    audience: Audience = Field(
        default="always",
        description="When it receives: always (everything the feature handles), or "
        "when_you_share (only what the person chooses to share, for example a result made "
        "public when they post it).",
    )


class BundledTerms(Strict):
    """Other terms a person accepts by accepting the feature (consent bundling)."""

    id: Slug = Field(description="Stable id, used to key translations.")
    name: Text = Field(description="The terms' name, as the person would recognise them.")
    link: HttpsUrl = Field(description="Where the terms are published (https only).")
    allows: list[TermsAllow] = Field(
        min_length=1,
        description="What the terms allow beyond this feature's answers: media_analysis, "
        "facial_features, face_recognition, ai_training, advertising, profiling, human_review, "
        "sharing, public.",
    )


class Consent(Strict):
    """How the person agrees, and how they take it back."""

    model: Literal["opt_in", "opt_out", "notice_only"] = Field(
        description="opt_in (nothing until the person agrees), opt_out (on until they refuse), "
        "notice_only (they are told, not asked)."
    )
    per_purpose: bool = Field(description="Whether each optional purpose is its own choice.")
    withdraw: Text = Field(
        description="Where in the product the person withdraws, written out "
        "(Settings > Privacy > …)."
    )


class Links(Strict):
    """Where the person reads more and whom they ask."""

    policy: HttpsUrl = Field(description="Privacy policy URL (https only).")
    contact: ContactUrl = Field(description="Privacy contact: https or mailto URL.")


class Translation(Strict):
    """Every user-facing string of the declaration in one more locale."""

    name: Text = Field(description="The feature's name.")
    summary: Text = Field(description="The one-sentence summary.")
    purposes: dict[Slug, Text] = Field(description="Each purpose's text, keyed by purpose id.")
    recipients: dict[Slug, Text] = Field(
        default_factory=dict, description="Each recipient's name, keyed by recipient id."
    )
    terms: dict[Slug, Text] = Field(
        default_factory=dict, description="Each bundled terms' name, keyed by bundled_terms id."
    )
    deletion: Text | None = Field(default=None, description="storage.deletion.")
    withdraw: Text = Field(description="consent.withdraw.")
    waivers: dict[str, Text] = Field(
        default_factory=dict,
        description="Each waiver's published reason, keyed by the rule as written in waivers.",
    )


class Waiver(Strict):
    """A rule this declaration does not follow, and why; published next to the disclosure."""

    rule: Plain = Field(description="Code (D401) or name (sensitive-use-needs-opt-in) of the rule.")
    reason: Text = Field(description="Why the rule does not apply; shown to the public.")


class Declaration(Strict):
    """What one feature does with people's photos (format version 1)."""

    discloser: FormatVersion = Field(description="Declaration format version: 1.")
    id: Slug = Field(description="Unique id of the feature across all declarations.")
    name: Text = Field(description="The feature's name, as people see it in the product.")
    summary: Text = Field(description="One plain sentence: what the feature does with photos.")
    owner: Plain = Field(min_length=1, description="Internal owner (team or address); not shown.")
    controller: Plain = Field(
        min_length=1,
        description="The company responsible for the processing (GDPR data controller).",
    )
    status: Status = Field(description="planned, beta, live, or retired.")
    ended: IsoDate | None = Field(
        default=None, description="For a retired feature: the date it stopped (YYYY-MM-DD)."
    )
    revision: WholeNumber = Field(
        ge=1, description="Notice revision; must increase on every material change."
    )
    effective: IsoDate = Field(description="Date this revision takes effect (YYYY-MM-DD).")
    locales: list[Locale] = Field(
        min_length=1,
        description="Locales the feature ships in; the first is the language of this file's "
        "text, each other one needs a complete entry under translations.",
    )
    platforms: list[Platform] = Field(min_length=1, description="ios, android, web, desktop.")
    regions: list[Region] = Field(
        min_length=1,
        description="ISO 3166-1 alpha-2 countries where the feature ships; EU and EEA expand to "
        "their member states.",
    )
    photos: Photos = Field(description="Question 1 and 2: which photos, when, what is read.")
    purposes: list[Purpose] = Field(min_length=1, description="Question 3: why.")
    processing: Processing = Field(description="Question 4: where processed.")
    storage: Storage = Field(description="Question 5: where stored and for how long.")
    ai_training: AiTraining = Field(description="Question 6: AI training.")
    advertising: Advertising = Field(description="Question 7: advertising.")
    sharing: list[Recipient] = Field(description="Question 8: shared with whom; [] for nobody.")
    consent: Consent = Field(description="How consent is asked and withdrawn.")
    bundled_terms: list[BundledTerms] = Field(
        default_factory=list,
        description="Other terms accepted together with the feature, each with a link and what "
        "they allow; [] when accepting the feature accepts nothing else.",
    )
    links: Links = Field(description="Privacy policy and contact.")
    translations: dict[Locale, Translation] = Field(
        default_factory=dict,
        description="User-facing strings for every locale after the first in locales.",
    )
    waivers: list[Waiver] = Field(
        default_factory=list,
        description="Rules this declaration does not follow, each with a published reason.",
    )
    code: list[Plain] = Field(
        default_factory=list,
        exclude=True,  # where the code lives is build knowledge, not part of the published notice
        description="Where the feature lives in the app, for discloser check: paths or globs "
        "(ios/Backup/**, android/app/src/main/java/**/backup/*.kt) relative to the project "
        "root. A `discloser: <id>` comment at a call site links that call too.",
    )

    @property
    def locale(self) -> str:
        """The language this file's own text is written in."""
        return self.locales[0]


UserText = tuple[tuple[str | int, ...], str, str, bool]
_last_texts: tuple[Declaration | None, list[UserText]] = (None, [])


def user_texts(d: Declaration) -> list[UserText]:
    """Every string a person reads, in every locale: ``(path, locale, text, first_layer)``.

    One list for the language and translation rules and the renderers alike, so no string a
    person sees escapes the plain-language checks. ``first_layer`` marks what the label and the
    consent prompt show before any click, where sentence length matters most. Several rules ask
    for the same declaration in a row, so the last answer is kept (the model is frozen).
    """
    global _last_texts
    if _last_texts[0] is d:
        return _last_texts[1]
    texts = _user_texts(d)
    _last_texts = (d, texts)
    return texts


def _user_texts(d: Declaration) -> list[UserText]:
    # Plain loops and literal paths: on Python 3.11 each comprehension is a function call and
    # each ``(*base, ...)`` a tuple unpacking, together 40 % of building the list.
    locale = d.locales[0]
    out: list[UserText] = [
        (("name",), locale, d.name, False),
        (("summary",), locale, d.summary, True),
        (("controller",), locale, d.controller, False),
    ]
    add = out.append
    for i, p in enumerate(d.purposes):
        add((("purposes", i, "text"), locale, p.text, True))
    for i, r in enumerate(d.sharing):
        add((("sharing", i, "name"), locale, r.name, False))
    for i, b in enumerate(d.bundled_terms):
        add((("bundled_terms", i, "name"), locale, b.name, True))
    if d.storage.deletion is not None:
        add((("storage", "deletion"), locale, d.storage.deletion, False))
    add((("consent", "withdraw"), locale, d.consent.withdraw, False))
    for other, t in d.translations.items():
        add((("translations", other, "name"), other, t.name, False))
        add((("translations", other, "summary"), other, t.summary, True))
        for k, v in t.purposes.items():
            add((("translations", other, "purposes", k), other, v, True))
        for k, v in t.recipients.items():
            add((("translations", other, "recipients", k), other, v, False))
        for k, v in t.terms.items():
            add((("translations", other, "terms", k), other, v, True))
        if t.deletion is not None:
            add((("translations", other, "deletion"), other, t.deletion, False))
        add((("translations", other, "withdraw"), other, t.withdraw, False))
        for k, v in t.waivers.items():
            add((("translations", other, "waivers", k), other, v, False))
    for i, w in enumerate(d.waivers):
        add((("waivers", i, "reason"), locale, w.reason, False))
    return out
