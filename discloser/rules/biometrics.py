"""Biometrics: face templates are the most sensitive thing a photo feature can make."""

from __future__ import annotations

from collections.abc import Iterator

from discloser.config import Settings
from discloser.findings import Severity
from discloser.model.declaration import Declaration
from discloser.model.types import duration_days
from discloser.rules.registry import Problem, rule

TEMPLATE_CEILING = "P3Y"


@rule(
    "D601",
    "face-template-retention",
    Severity.ERROR,
    "publish storage.face_templates: a retention schedule of at most P3Y",
)
def face_template_retention(d: Declaration, s: Settings) -> Iterator[Problem]:
    """Grouping or recognising faces publishes a template retention schedule of at most three years.

    Face templates are biometric identifiers (GDPR Art. 9; Illinois BIPA requires a public
    retention schedule and destruction within three years of the last interaction).
    Opt-in consent for any face analysis is rule D401.

    Fails:

    ```yaml
    photos: {access: picker, includes_unshared: true, cadence: on_request, reads: [pixels, faces], face_analysis: grouping}
    ```

    Passes:

    ```yaml
    photos: {access: picker, includes_unshared: true, cadence: on_request, reads: [pixels, faces], face_analysis: grouping}
    storage: {location: cloud, countries: [US], retention: P1D, after_opt_out: P0D, face_templates: P1Y, encryption: {in_transit: true, at_rest: true, end_to_end: false}, deletion: Deleted after a day.}
    ```
    """
    templates = d.storage.face_templates
    if d.photos.face_analysis in ("grouping", "recognition"):
        if templates is None:
            yield Problem(
                ("photos", "face_analysis"),
                f"{d.photos.face_analysis} builds face templates: publish storage.face_templates",
            )
        elif duration_days(templates) > duration_days(TEMPLATE_CEILING):
            yield Problem(("storage", "face_templates"), f"{templates} is longer than three years")
    elif templates is not None:
        yield Problem(
            ("storage", "face_templates"), "face_templates is set but no face templates are built"
        )
