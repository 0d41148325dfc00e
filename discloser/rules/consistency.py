"""Consistency: answers that contradict each other cannot all be true; no notice may show them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import PurePath

from discloser.config import Settings
from discloser.findings import Severity
from discloser.model.declaration import Declaration
from discloser.model.types import duration_days
from discloser.rules.registry import CatalogProblem, Entry, Problem, catalog_rule, rule


@rule("D301", "unknown-purpose", Severity.ERROR, "use the id of a purpose listed under purposes")
def unknown_purpose(d: Declaration, s: Settings) -> Iterator[Problem]:
    """Every purpose referenced from AI training or sharing exists.

    A reference to a purpose that is not declared points the reader at nothing: the notice would
    say photos go somewhere "for" a reason it never states.

    Fails:

    ```yaml
    sharing:
      - id: host
        name: Cloud hosting provider
        role: processor
        purposes: [restyel]
        countries: [US]
    ```

    Passes:

    ```yaml
    sharing:
      - id: host
        name: Cloud hosting provider
        role: processor
        purposes: [restyle]
        countries: [US]
    ```
    """
    ids = {p.id for p in d.purposes}
    for i, pid in enumerate(d.ai_training.purposes):
        if pid not in ids:
            yield Problem(("ai_training", "purposes", i), f"no purpose has the id {pid!r}")
    for r, recipient in enumerate(d.sharing):
        for i, pid in enumerate(recipient.purposes):
            if pid not in ids:
                yield Problem(("sharing", r, "purposes", i), f"no purpose has the id {pid!r}")


@rule(
    "D302",
    "training-reads-beyond-feature",
    Severity.ERROR,
    "list under photos.reads everything AI training uses, or train on less",
)
def training_reads_beyond_feature(d: Declaration, s: Settings) -> Iterator[Problem]:
    """AI training uses only items the feature declares it reads.

    If training reads faces or location while the feature says it reads only pixels, the first
    layer understates what is taken.

    Fails:

    ```yaml
    ai_training: {use: this_feature, reads: [pixels, location], faces: false, purposes: [restyle], opt_out_removes: true}
    ```

    Passes:

    ```yaml
    ai_training: {use: this_feature, reads: [pixels], faces: false, purposes: [restyle], opt_out_removes: true}
    ```
    """
    reads = set(d.photos.reads)
    for i, item in enumerate(d.ai_training.reads):
        if item not in reads:
            yield Problem(
                ("ai_training", "reads", i), f"training reads {item}, which photos.reads omits"
            )
    if d.ai_training.faces and "faces" not in reads:
        yield Problem(("ai_training", "faces"), "training uses faces, which photos.reads omits")


@rule(
    "D303",
    "on-device-contradiction",
    Severity.ERROR,
    "either keep everything on the device or change cadence to on_request or continuous",
)
def on_device_contradiction(d: Declaration, s: Settings) -> Iterator[Problem]:
    """A feature whose photos never leave the device does not process, store or share them elsewhere.

    `cadence: on_device_only` is the strongest promise a label makes; any cloud processing,
    cloud storage or recipient breaks it.

    Fails:

    ```yaml
    photos: {access: picker, includes_unshared: true, cadence: on_device_only, reads: [pixels], face_analysis: none}
    ```

    Passes:

    ```yaml
    photos: {access: picker, includes_unshared: true, cadence: on_request, reads: [pixels], face_analysis: none}
    ```
    """
    if d.photos.cadence != "on_device_only":
        return
    if d.processing.location != "on_device":
        yield Problem(
            ("processing", "location"),
            f"processing is {d.processing.location} but photos.cadence says on_device_only",
        )
    if d.storage.location == "cloud":
        yield Problem(
            ("storage", "location"), "storage is cloud but photos.cadence says on_device_only"
        )
    if d.sharing:
        yield Problem(("sharing",), "photos are shared but photos.cadence says on_device_only")


@rule(
    "D304",
    "not-stored-but-retained",
    Severity.ERROR,
    "set retention: not_retained, or say where the photos are stored",
)
def not_stored_but_retained(d: Declaration, s: Settings) -> Iterator[Problem]:
    """Photos that are not stored have no retention period.

    Fails:

    ```yaml
    storage: {location: not_stored, countries: [], retention: P30D, encryption: {in_transit: true, at_rest: true, end_to_end: false}}
    ```

    Passes:

    ```yaml
    storage: {location: not_stored, countries: [], retention: not_retained, encryption: {in_transit: true, at_rest: true, end_to_end: false}}
    ```
    """
    if d.storage.location == "not_stored" and d.storage.retention != "not_retained":
        yield Problem(
            ("storage", "retention"),
            f"storage.location is not_stored but retention is {d.storage.retention}",
        )


@rule("D305", "duplicate-id", Severity.ERROR, "give each purpose and recipient its own id")
def duplicate_id(d: Declaration, s: Settings) -> Iterator[Problem]:
    """Purpose ids and recipient ids are unique within a declaration.

    Ids key translations, consent choices and receipts; two purposes with one id would make a
    person's choice about one apply to the other.

    Fails:

    ```yaml
    purposes:
      - {id: restyle, text: Make a restyled copy of the photo you picked., category: app_functionality, legal_basis: contract, required: true}
      - {id: restyle, text: Keep your restyles in your gallery., category: app_functionality, legal_basis: contract, required: true}
    ```

    Passes:

    ```yaml
    purposes:
      - {id: restyle, text: Make a restyled copy of the photo you picked., category: app_functionality, legal_basis: contract, required: true}
    ```
    """
    for kind, ids in (
        ("purposes", [p.id for p in d.purposes]),
        ("sharing", [r.id for r in d.sharing]),
    ):
        seen: set[str] = set()
        for i, item_id in enumerate(ids):
            if item_id in seen:
                yield Problem((kind, i, "id"), f"id {item_id!r} is used twice in {kind}")
            seen.add(item_id)


@rule(
    "D306",
    "retired-needs-end-date",
    Severity.ERROR,
    "a retired feature needs ended: YYYY-MM-DD; a feature that runs has none",
)
def retired_needs_end_date(d: Declaration, s: Settings) -> Iterator[Problem]:
    """A retired feature says when it stopped; a feature that runs has no end date.

    People who used a retired feature still need to know what happened to their photos and
    until when; the date anchors that notice.

    Fails:

    ```yaml
    status: retired
    ```

    Passes:

    ```yaml
    status: retired
    ended: 2026-06-30
    ```
    """
    if d.status == "retired" and d.ended is None:
        yield Problem(("status",), "a retired feature needs ended: the date it stopped")
    if d.status != "retired" and d.ended is not None:
        yield Problem(("ended",), f"ended is set but status is {d.status}")


@rule(
    "D307",
    "countries-match-location",
    Severity.ERROR,
    "list the countries for cloud processing or storage, and none for on-device",
)
def countries_match_location(d: Declaration, s: Settings) -> Iterator[Problem]:
    """Cloud processing and cloud storage name their countries; on-device work names none.

    Where photos go is one of the eight questions; "the cloud" is not a place a person can
    look up.

    Fails:

    ```yaml
    processing: {location: cloud, countries: [], human_review: none, automated_decisions: false}
    ```

    Passes:

    ```yaml
    processing: {location: cloud, countries: [US], human_review: none, automated_decisions: false}
    ```
    """
    if d.processing.location in ("cloud", "hybrid") and not d.processing.countries:
        yield Problem(("processing", "countries"), "cloud processing must name its countries")
    if d.processing.location == "on_device" and d.processing.countries:
        yield Problem(("processing", "countries"), "on-device processing lists countries")
    if d.storage.location == "cloud" and not d.storage.countries:
        yield Problem(("storage", "countries"), "cloud storage must name its countries")
    if d.storage.location != "cloud" and d.storage.countries:
        yield Problem(
            ("storage", "countries"), f"storage is {d.storage.location} but lists countries"
        )


@rule(
    "D308",
    "lookback-for-continuous",
    Severity.ERROR,
    "give lookback (P30D) for continuous processing; remove it otherwise",
)
def lookback_for_continuous(d: Declaration, s: Settings) -> Iterator[Problem]:
    """Continuous processing says how far back into the library it reaches.

    "Continuously, from every photo you ever took" and "continuously, from the last 30 days"
    are different features; the label must tell which.

    Fails:

    ```yaml
    photos: {access: full_library, includes_unshared: true, cadence: continuous, reads: [pixels], face_analysis: none}
    ```

    Passes:

    ```yaml
    photos: {access: full_library, includes_unshared: true, cadence: continuous, lookback: P30D, reads: [pixels], face_analysis: none}
    ```
    """
    if d.photos.cadence == "continuous" and d.photos.lookback is None:
        yield Problem(("photos", "cadence"), "continuous processing needs photos.lookback")
    if d.photos.cadence != "continuous" and d.photos.lookback is not None:
        yield Problem(("photos", "lookback"), "lookback only applies to continuous processing")


@rule(
    "D309",
    "faces-declared",
    Severity.ERROR,
    "list faces under photos.reads exactly when face_analysis is not none",
)
def faces_declared(d: Declaration, s: Settings) -> Iterator[Problem]:
    """Reading faces and analysing faces are declared together.

    Fails:

    ```yaml
    photos: {access: picker, includes_unshared: true, cadence: on_request, reads: [pixels], face_analysis: detection}
    ```

    Passes:

    ```yaml
    photos: {access: picker, includes_unshared: true, cadence: on_request, reads: [pixels, faces], face_analysis: detection}
    ```
    """
    reads_faces = "faces" in d.photos.reads
    if d.photos.face_analysis != "none" and not reads_faces:
        yield Problem(
            ("photos", "reads"), f"face_analysis is {d.photos.face_analysis} but reads omits faces"
        )
    if reads_faces and d.photos.face_analysis == "none":
        yield Problem(("photos", "face_analysis"), "reads includes faces but face_analysis is none")


@rule(
    "D310",
    "training-answers-agree",
    Severity.ERROR,
    "with use: none, list nothing; otherwise name what is read and the ai_training purpose",
)
def training_answers_agree(d: Declaration, s: Settings) -> Iterator[Problem]:
    """The AI training answers agree with each other and with the purposes.

    Training must be covered by a purpose of category `ai_training`, and such a purpose means
    training happens.

    Fails:

    ```yaml
    ai_training: {use: general_models, reads: [pixels], faces: false, purposes: [], opt_out_removes: true}
    ```

    Passes:

    ```yaml
    ai_training: {use: none, reads: [], faces: false, purposes: [], opt_out_removes: true}
    ```
    """
    t = d.ai_training
    categories = {p.id: p.category for p in d.purposes}
    if t.use == "none":
        if t.reads:
            yield Problem(("ai_training", "reads"), "use is none but reads lists items")
        if t.faces:
            yield Problem(("ai_training", "faces"), "use is none but faces is true")
        if t.purposes:
            yield Problem(("ai_training", "purposes"), "use is none but purposes are listed")
        for i, p in enumerate(d.purposes):
            if p.category == "ai_training":
                yield Problem(
                    ("purposes", i, "category"),
                    "an ai_training purpose, but ai_training.use is none",
                )
        return
    if not t.reads:
        yield Problem(("ai_training", "reads"), "say which items feed training")
    if not t.purposes:
        yield Problem(
            ("ai_training", "purposes"), "name the ai_training purpose that covers training"
        )
    for i, pid in enumerate(t.purposes):
        if pid in categories and categories[pid] != "ai_training":
            yield Problem(
                ("ai_training", "purposes", i), f"purpose {pid!r} is not of category ai_training"
            )


@rule(
    "D311",
    "advertising-answers-agree",
    Severity.ERROR,
    "declare an advertising purpose exactly when an advertising flag is true",
)
def advertising_answers_agree(d: Declaration, s: Settings) -> Iterator[Problem]:
    """Advertising flags and advertising purposes agree.

    Fails:

    ```yaml
    advertising: {targeting: true, measurement: false, profiling: false}
    ```

    Passes:

    ```yaml
    advertising: {targeting: false, measurement: false, profiling: false}
    ```
    """
    a = d.advertising
    flagged = a.targeting or a.measurement or a.profiling
    has_purpose = any(p.category == "advertising" for p in d.purposes)
    if flagged and not has_purpose:
        yield Problem(
            ("advertising",), "an advertising use is true but no purpose has category advertising"
        )
    if has_purpose and not flagged:
        i = next(i for i, p in enumerate(d.purposes) if p.category == "advertising")
        yield Problem(
            ("purposes", i, "category"),
            "an advertising purpose, but every advertising flag is false",
        )


@rule(
    "D312",
    "shared-posts-are-shared",
    Severity.ERROR,
    "access: shared_posts reaches only posted photos; set includes_unshared: false",
)
def shared_posts_are_shared(d: Declaration, s: Settings) -> Iterator[Problem]:
    """A feature limited to posted photos cannot include photos never shared.

    Fails:

    ```yaml
    photos: {access: shared_posts, includes_unshared: true, cadence: on_request, reads: [pixels], face_analysis: none}
    ```

    Passes:

    ```yaml
    photos: {access: shared_posts, includes_unshared: false, cadence: on_request, reads: [pixels], face_analysis: none}
    ```
    """
    if d.photos.access == "shared_posts" and d.photos.includes_unshared:
        yield Problem(
            ("photos", "includes_unshared"), "shared_posts cannot include unshared photos"
        )


@catalog_rule("D320", "unique-feature-id", Severity.ERROR, "give each feature its own id")
def unique_feature_id(entries: list[Entry]) -> Iterator[CatalogProblem]:
    """Feature ids are unique across all declarations.

    The id names the feature's pages, its consent receipts and its ledger entries; two files
    with one id would publish one notice over another.

    Fails (two files):

    ```yaml
    id: restyle-one-photo
    ```

    Passes: each file has its own `id`.
    """
    by_id: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_id[entry.id].append(entry)
    for same in by_id.values():
        for later in same[1:]:
            yield CatalogProblem(later, f"id {later.id!r} is also used by {same[0].file}")


@catalog_rule(
    "D321",
    "file-named-for-id",
    Severity.WARNING,
    "rename the file to <id>.yaml",
)
def file_named_for_id(entries: list[Entry]) -> Iterator[CatalogProblem]:
    """A declaration's file is named after its id.

    Reviewers find a feature's declaration by its id; a file named otherwise hides it.

    Fails: `declarations/restyle.yaml` holding `id: restyle-one-photo`.

    Passes: `declarations/restyle-one-photo.yaml`.
    """
    for entry in entries:
        stem = PurePath(entry.file).name.rsplit(".", 1)[0]
        if stem != entry.id:
            yield CatalogProblem(entry, f"file is named {stem!r} but declares id {entry.id!r}")


@rule(
    "D314",
    "training-condition",
    Severity.ERROR,
    "set ai_training.condition: if_you_agree with optional training purposes, or say always",
)
def training_condition(d: Declaration, s: Settings) -> Iterator[Problem]:
    """Training says which photos train and when, and the purposes agree with it.

    "Used to train AI" without its condition hides the part people decide on: every photo, only
    the ones they edit or share with the AI, or only after they say yes. `if_you_agree` needs
    every training purpose optional (a switch the person turns on); `always` and
    `edited_or_shared` have no switch, so their training purposes are required, which rule D402
    then refuses as bundling unless waived with a published reason.

    Fails:

    ```yaml
    purposes:
      - {id: restyle, text: Make a restyled copy of the photo you picked., category: app_functionality, legal_basis: contract, required: true}
      - {id: train, text: Use your photo to improve the restyle model., category: ai_training, legal_basis: consent, required: false}
    ai_training: {use: this_feature, reads: [pixels], faces: false, purposes: [train], opt_out_removes: true}
    consent: {model: opt_in, per_purpose: true, withdraw: Settings > Privacy > Restyle}
    ```

    Passes:

    ```yaml
    purposes:
      - {id: restyle, text: Make a restyled copy of the photo you picked., category: app_functionality, legal_basis: contract, required: true}
      - {id: train, text: Use your photo to improve the restyle model., category: ai_training, legal_basis: consent, required: false}
    ai_training: {use: this_feature, reads: [pixels], faces: false, purposes: [train], opt_out_removes: true, condition: if_you_agree}
    consent: {model: opt_in, per_purpose: true, withdraw: Settings > Privacy > Restyle}
    ```
    """
    t = d.ai_training
    if t.use == "none":
        if t.condition is not None:
            yield Problem(("ai_training", "condition"), "use is none but a condition is given")
        return
    if t.condition is None:
        yield Problem(
            ("ai_training", "use"),
            "say which photos train and when: ai_training.condition: always, if_you_agree "
            "or edited_or_shared",
        )
        return
    required = {p.id: p.required for p in d.purposes}
    for i, pid in enumerate(t.purposes):
        if pid not in required:
            continue
        if t.condition == "if_you_agree" and required[pid]:
            yield Problem(
                ("ai_training", "purposes", i),
                f"condition is if_you_agree but purpose {pid!r} is required: there is no switch",
            )
        if t.condition != "if_you_agree" and not required[pid]:
            yield Problem(
                ("ai_training", "condition"),
                f"condition is {t.condition} but purpose {pid!r} is optional: "
                "say if_you_agree, or make the purpose required",
            )


@rule(
    "D315",
    "retention-periods-agree",
    Severity.ERROR,
    "make each longer period longer than storage.retention, and give each item one period",
)
def retention_periods_agree(d: Declaration, s: Settings) -> Iterator[Problem]:
    """Longer retention for some items is longer, and each item has one period.

    "Kept for 30 days" and "kept longer: what you save, for 7 days" cannot both be true of a
    saved photo.

    Fails:

    ```yaml
    storage: {location: cloud, countries: [US], retention: P30D, longer_for: [{items: [saved], retention: P7D}], after_opt_out: P0D, encryption: {in_transit: true, at_rest: true, end_to_end: false}, deletion: Settings > Privacy > Delete}
    ```

    Passes:

    ```yaml
    storage: {location: cloud, countries: [US], retention: P30D, longer_for: [{items: [saved], retention: P1Y}], after_opt_out: P0D, encryption: {in_transit: true, at_rest: true, end_to_end: false}, deletion: Settings > Privacy > Delete}
    ```
    """
    st = d.storage

    def days(value: str) -> float:
        if value == "not_retained":
            return 0.0
        return float("inf") if value == "until_deleted" else duration_days(value)

    base = days(st.retention)
    seen: set[str] = set()
    for i, longer in enumerate(st.longer_for):
        if days(longer.retention) <= base:
            yield Problem(
                ("storage", "longer_for", i, "retention"),
                f"{longer.retention} is not longer than retention {st.retention}",
            )
        for j, item in enumerate(longer.items):
            if item in seen:
                yield Problem(("storage", "longer_for", i, "items", j), f"{item} has two periods")
            seen.add(item)
