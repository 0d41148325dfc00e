"""Consent: the riskiest uses are asked for, separately, and can be taken back."""

from __future__ import annotations

from collections.abc import Iterator

from discloser.config import Settings
from discloser.findings import Severity
from discloser.model.declaration import Declaration
from discloser.rules.registry import Problem, rule

SENSITIVE_CATEGORIES = ("ai_training", "advertising")


def sensitive_uses(d: Declaration) -> list[str]:
    """The uses that need a person's explicit yes, in words for messages and notices."""
    uses = []
    if d.ai_training.use != "none":
        uses.append("AI training")
    a = d.advertising
    if a.targeting or a.measurement or a.profiling:
        uses.append("advertising")
    if d.photos.face_analysis != "none":
        uses.append("face analysis")
    if d.photos.access == "full_library" and d.photos.includes_unshared:
        uses.append("whole-library access including unshared photos")
    return uses


@rule(
    "D401",
    "sensitive-use-needs-opt-in",
    Severity.ERROR,
    "set consent.model: opt_in, so nothing happens until the person agrees",
)
def sensitive_use_needs_opt_in(d: Declaration, s: Settings) -> Iterator[Problem]:
    """AI training, ads, face analysis and whole-library access to unshared photos need opt-in.

    These are the uses people do not expect from a photo feature and cannot see happening;
    silence or a pre-ticked box is not agreement (GDPR Art. 7, Art. 9 for biometric data,
    and the EDPB guidelines on consent).

    Fails:

    ```yaml
    photos: {access: full_library, includes_unshared: true, cadence: continuous, lookback: P30D, reads: [pixels], face_analysis: none}
    consent: {model: opt_out, per_purpose: true, withdraw: Settings > Privacy > Restyle}
    ```

    Passes:

    ```yaml
    photos: {access: full_library, includes_unshared: true, cadence: continuous, lookback: P30D, reads: [pixels], face_analysis: none}
    consent: {model: opt_in, per_purpose: true, withdraw: Settings > Privacy > Restyle}
    ```
    """
    uses = sensitive_uses(d)
    if uses and d.consent.model != "opt_in":
        yield Problem(
            ("consent", "model"),
            f"{', '.join(uses)} need opt_in consent, not {d.consent.model}",
        )


@rule(
    "D402",
    "sensitive-purpose-bundled",
    Severity.ERROR,
    "set required: false: AI training and advertising are never a condition of the feature",
)
def sensitive_purpose_bundled(d: Declaration, s: Settings) -> Iterator[Problem]:
    """AI training and advertising purposes are optional, never bundled with the feature.

    A person must be able to use the feature and refuse training or ads (GDPR Art. 7(4)).

    Fails:

    ```yaml
    purposes:
      - {id: restyle, text: Make a restyled copy of the photo you picked., category: app_functionality, legal_basis: contract, required: true}
      - {id: train, text: Use your photo to improve the restyle model., category: ai_training, legal_basis: consent, required: true}
    ```

    Passes:

    ```yaml
    purposes:
      - {id: restyle, text: Make a restyled copy of the photo you picked., category: app_functionality, legal_basis: contract, required: true}
      - {id: train, text: Use your photo to improve the restyle model., category: ai_training, legal_basis: consent, required: false}
    ```
    """
    for i, p in enumerate(d.purposes):
        if p.category in SENSITIVE_CATEGORIES and p.required:
            yield Problem(
                ("purposes", i, "required"), f"the {p.category} purpose {p.id!r} is required"
            )


@rule(
    "D403",
    "separate-choices",
    Severity.ERROR,
    "set consent.per_purpose: true so each optional purpose is its own switch",
)
def separate_choices(d: Declaration, s: Settings) -> Iterator[Problem]:
    """Optional purposes are separate choices.

    One "accept all" for the feature and its training or ads is bundling by another name.

    Fails:

    ```yaml
    purposes:
      - {id: restyle, text: Make a restyled copy of the photo you picked., category: app_functionality, legal_basis: contract, required: true}
      - {id: stats, text: Count how often restyles are saved., category: analytics, legal_basis: consent, required: false}
    consent: {model: opt_in, per_purpose: false, withdraw: Settings > Privacy > Restyle}
    ```

    Passes:

    ```yaml
    purposes:
      - {id: restyle, text: Make a restyled copy of the photo you picked., category: app_functionality, legal_basis: contract, required: true}
      - {id: stats, text: Count how often restyles are saved., category: analytics, legal_basis: consent, required: false}
    consent: {model: opt_in, per_purpose: true, withdraw: Settings > Privacy > Restyle}
    ```
    """
    if not d.consent.per_purpose and any(not p.required for p in d.purposes):
        yield Problem(
            ("consent", "per_purpose"), "optional purposes exist but are not separate choices"
        )


@rule(
    "D404",
    "sensitive-purpose-basis",
    Severity.ERROR,
    "use legal_basis: consent for AI training and advertising purposes",
)
def sensitive_purpose_basis(d: Declaration, s: Settings) -> Iterator[Problem]:
    """AI training and advertising purposes rest on consent, not legitimate interests.

    Fails:

    ```yaml
    purposes:
      - {id: restyle, text: Make a restyled copy of the photo you picked., category: app_functionality, legal_basis: contract, required: true}
      - {id: train, text: Use your photo to improve the restyle model., category: ai_training, legal_basis: legitimate_interests, required: false}
    ```

    Passes:

    ```yaml
    purposes:
      - {id: restyle, text: Make a restyled copy of the photo you picked., category: app_functionality, legal_basis: contract, required: true}
      - {id: train, text: Use your photo to improve the restyle model., category: ai_training, legal_basis: consent, required: false}
    ```
    """
    for i, p in enumerate(d.purposes):
        if p.category in SENSITIVE_CATEGORIES and p.legal_basis != "consent":
            yield Problem(
                ("purposes", i, "legal_basis"),
                f"the {p.category} purpose {p.id!r} rests on {p.legal_basis}, not consent",
            )


def _declared(d: Declaration, allowed: str) -> bool:
    """Whether what bundled terms allow is also declared in this feature's own answers."""
    a, roles = d.advertising, {r.role for r in d.sharing}
    return {
        "media_analysis": "pixels" in d.photos.reads,
        "facial_features": d.photos.face_analysis in ("attributes", "grouping", "recognition"),
        "face_recognition": d.photos.face_analysis == "recognition",
        "ai_training": d.ai_training.use != "none",
        "advertising": a.targeting or a.measurement,
        "profiling": a.profiling,
        "human_review": d.processing.human_review != "none",
        "sharing": "controller" in roles,
        "public": "public" in roles,
    }[allowed]


@rule(
    "D405",
    "bundled-terms",
    Severity.ERROR,
    "declare what the bundled terms allow in the feature's own answers, or stop bundling them",
)
def bundled_terms(d: Declaration, s: Settings) -> Iterator[Problem]:
    """What other terms accepted with the feature allow is declared in the feature's answers.

    Accepting a feature that also accepts other terms is consent bundling (GDPR Art. 7(2) and
    7(4)): the person agrees to uses the prompt never showed. The prompt names the terms in its
    first layer; whatever they allow (analysis of faces, AI training, ads...) must also be an
    answer of this declaration, so the label, the prompt and the diff all see it.

    Fails:

    ```yaml
    bundled_terms:
      - {id: ai-terms, name: Example AI Terms, link: "https://example.com/ai-terms", allows: [media_analysis, facial_features]}
    ```

    Passes:

    ```yaml
    bundled_terms:
      - {id: ai-terms, name: Example AI Terms, link: "https://example.com/ai-terms", allows: [media_analysis]}
    ```
    """
    for i, terms in enumerate(d.bundled_terms):
        for j, allowed in enumerate(terms.allows):
            if not _declared(d, allowed):
                yield Problem(
                    ("bundled_terms", i, "allows", j),
                    f"{terms.name!r} allow {allowed}, which this declaration does not declare",
                )
