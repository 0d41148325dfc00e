"""Storage: how long copies of photos live, and how a person gets rid of them."""

from __future__ import annotations

from collections.abc import Iterator

from discloser.config import Settings
from discloser.findings import Severity
from discloser.model.declaration import Declaration
from discloser.model.types import duration_days
from discloser.rules.registry import Problem, rule


@rule(
    "D501",
    "cloud-retention-finite",
    Severity.ERROR,
    "give cloud storage a retention duration (P30D) and an after_opt_out delay",
)
def cloud_retention_finite(d: Declaration, s: Settings) -> Iterator[Problem]:
    """Photos stored in the cloud have a finite retention and a deletion delay after opt-out.

    "Until you delete them" means forever for the photos people forget about; the label must
    say a date-like answer (GDPR Art. 5(1)(e), Art. 13(2)(a)).

    Fails:

    ```yaml
    storage: {location: cloud, countries: [US], retention: until_deleted, after_opt_out: P0D, encryption: {in_transit: true, at_rest: true, end_to_end: false}, deletion: Settings > Privacy > Delete}
    ```

    Passes:

    ```yaml
    storage: {location: cloud, countries: [US], retention: P30D, after_opt_out: P0D, encryption: {in_transit: true, at_rest: true, end_to_end: false}, deletion: Settings > Privacy > Delete}
    ```
    """
    st = d.storage
    if st.location != "cloud":
        return
    if not st.retention.startswith("P"):
        yield Problem(
            ("storage", "retention"), f"cloud storage needs a duration, not {st.retention}"
        )
    if st.after_opt_out is None:
        yield Problem(
            ("storage", "location"),
            "cloud storage needs after_opt_out: how long copies stay after opt-out",
        )


@rule(
    "D502",
    "retention-ceiling",
    Severity.WARNING,
    "shorten retention, or raise retention-ceiling in [tool.discloser] with a reason",
)
def retention_ceiling(d: Declaration, s: Settings) -> Iterator[Problem]:
    """Retention longer than the project's ceiling (default one year) is flagged for review.

    Configure with `retention-ceiling = "P2Y"` in `[tool.discloser]`.

    Fails:

    ```yaml
    storage: {location: cloud, countries: [US], retention: P5Y, after_opt_out: P0D, encryption: {in_transit: true, at_rest: true, end_to_end: false}, deletion: Settings > Privacy > Delete}
    ```

    Passes:

    ```yaml
    storage: {location: cloud, countries: [US], retention: P30D, after_opt_out: P0D, encryption: {in_transit: true, at_rest: true, end_to_end: false}, deletion: Settings > Privacy > Delete}
    ```
    """
    r = d.storage.retention
    if r.startswith("P") and duration_days(r) > duration_days(s.retention_ceiling):
        yield Problem(
            ("storage", "retention"),
            f"retention {r} is longer than the ceiling {s.retention_ceiling}",
        )


@rule(
    "D503",
    "deletion-explained",
    Severity.ERROR,
    "write storage.deletion: where in the product the person deletes what is kept",
)
def deletion_explained(d: Declaration, s: Settings) -> Iterator[Problem]:
    """Whatever is stored, the person is told how to delete it.

    Fails:

    ```yaml
    storage: {location: on_device, countries: [], retention: until_deleted, encryption: {in_transit: true, at_rest: true, end_to_end: false}}
    ```

    Passes:

    ```yaml
    storage: {location: on_device, countries: [], retention: until_deleted, encryption: {in_transit: true, at_rest: true, end_to_end: false}, deletion: Delete the restyle from your gallery.}
    ```
    """
    if d.storage.location != "not_stored" and d.storage.deletion is None:
        yield Problem(
            ("storage", "location"), "stored data needs storage.deletion: how the person deletes it"
        )


@rule(
    "D504",
    "cloud-without-transit-encryption",
    Severity.WARNING,
    "encrypt photos in transit (TLS) whenever they leave the device",
)
def cloud_without_transit_encryption(d: Declaration, s: Settings) -> Iterator[Problem]:
    """Photos that leave the device are encrypted in transit.

    Fails:

    ```yaml
    storage: {location: cloud, countries: [US], retention: P1D, after_opt_out: P0D, encryption: {in_transit: false, at_rest: true, end_to_end: false}, deletion: Deleted after a day.}
    ```

    Passes:

    ```yaml
    storage: {location: cloud, countries: [US], retention: P1D, after_opt_out: P0D, encryption: {in_transit: true, at_rest: true, end_to_end: false}, deletion: Deleted after a day.}
    ```
    """
    leaves = d.processing.location != "on_device" or d.storage.location == "cloud"
    if leaves and not d.storage.encryption.in_transit:
        yield Problem(
            ("storage", "encryption", "in_transit"), "photos leave the device unencrypted"
        )
