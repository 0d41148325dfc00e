"""Properties that hold for every declaration, not just the ones we thought of.

Any valid model dumped to YAML loads back equal: the loader keeps every string a string and
every answer the answer it was, whatever the text (``NO``, ``1.10``, ``~``, ``030``...).
"""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discloser.load.yaml12 import load
from discloser.model.declaration import Declaration

# Every character a person could type; control, format, surrogate and unassigned code points
# are refused by the loader on purpose, so they are not "valid" declarations to round-trip.
TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cc", "Cf", "Cs", "Cn", "Co", "Zl", "Zp")),
    min_size=1,
    max_size=40,
)
# Words YAML 1.1 reads as something else, mixed in so they are certainly tried.
TRAPS = st.sampled_from(
    [
        "NO",
        "no",
        "yes",
        "on",
        "off",
        "y",
        "~",
        "null",
        "true",
        "1.10",
        "030",
        "08",
        "1:30",
        "0x1F",
        ".inf",
        ".nan",
        "2026-07-01",
        "-",
        "?",
        ": x",
        "# not a comment",
        "'",
        '"',
        "@x",
        "`x",
    ]
)
ANY_TEXT = st.one_of(TEXT, TRAPS)
SLUG = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
COUNTRY = st.sampled_from(["US", "NO", "DE", "FR", "IE", "JP", "BR", "IN", "CA"])
DURATION = st.builds(lambda n, u: f"P{n}{u}", st.integers(0, 999), st.sampled_from("DWMY"))
READ = st.sampled_from(
    ["pixels", "faces", "text", "location", "capture_time", "device_metadata", "people_tags"]
)


@st.composite
def declarations(draw: Any) -> dict[str, Any]:
    purpose_ids = draw(st.lists(SLUG, min_size=1, max_size=3, unique=True))
    locales = draw(
        st.lists(
            st.sampled_from(["en", "fr", "ar", "he", "pt-BR", "de"]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    recipients = draw(st.lists(SLUG, max_size=2, unique=True))
    return {
        "discloser": 1,
        "id": draw(SLUG),
        "name": draw(ANY_TEXT),
        "summary": draw(ANY_TEXT),
        "owner": draw(ANY_TEXT),
        "controller": draw(ANY_TEXT),
        "status": draw(st.sampled_from(["planned", "beta", "live", "retired"])),
        "ended": draw(st.none() | st.dates().map(str)),
        "revision": draw(st.integers(1, 10**6)),
        "effective": str(draw(st.dates())),
        "locales": locales,
        "platforms": draw(
            st.lists(st.sampled_from(["ios", "android", "web", "desktop"]), min_size=1, max_size=4)
        ),
        "regions": draw(
            st.lists(st.one_of(COUNTRY, st.sampled_from(["EU", "EEA"])), min_size=1, max_size=4)
        ),
        "photos": {
            "access": draw(
                st.sampled_from(
                    ["picker", "limited_selection", "full_library", "shared_posts", "capture_only"]
                )
            ),
            "includes_unshared": draw(st.booleans()),
            "cadence": draw(st.sampled_from(["on_device_only", "on_request", "continuous"])),
            "lookback": draw(st.none() | DURATION),
            "reads": draw(st.lists(READ, min_size=1, max_size=3)),
            "face_analysis": draw(
                st.sampled_from(["none", "detection", "grouping", "recognition"])
            ),
        },
        "purposes": [
            {
                "id": pid,
                "text": draw(ANY_TEXT),
                "category": draw(
                    st.sampled_from(["app_functionality", "ai_training", "advertising", "other"])
                ),
                "legal_basis": draw(
                    st.sampled_from(["consent", "contract", "legitimate_interests"])
                ),
                "required": draw(st.booleans()),
            }
            for pid in purpose_ids
        ],
        "processing": {
            "location": draw(st.sampled_from(["on_device", "cloud", "hybrid"])),
            "countries": draw(st.lists(COUNTRY, max_size=3)),
            "human_review": draw(st.sampled_from(["none", "sampled", "on_report"])),
            "automated_decisions": draw(st.booleans()),
        },
        "storage": {
            "location": draw(st.sampled_from(["not_stored", "on_device", "cloud"])),
            "countries": draw(st.lists(COUNTRY, max_size=3)),
            "retention": draw(
                st.one_of(DURATION, st.sampled_from(["not_retained", "until_deleted"]))
            ),
            "after_opt_out": draw(st.none() | DURATION),
            "face_templates": draw(st.none() | DURATION),
            "encryption": {k: draw(st.booleans()) for k in ("in_transit", "at_rest", "end_to_end")},
            "deletion": draw(st.none() | ANY_TEXT),
        },
        "ai_training": {
            "use": draw(st.sampled_from(["none", "this_feature", "general_models"])),
            "reads": draw(st.lists(READ, max_size=2)),
            "faces": draw(st.booleans()),
            "purposes": draw(st.lists(st.sampled_from(purpose_ids), max_size=2)),
            "opt_out_removes": draw(st.booleans()),
        },
        "advertising": {k: draw(st.booleans()) for k in ("targeting", "measurement", "profiling")},
        "sharing": [
            {
                "id": rid,
                "name": draw(ANY_TEXT),
                "role": draw(st.sampled_from(["processor", "controller", "public"])),
                "purposes": [draw(st.sampled_from(purpose_ids))],
                "countries": draw(st.lists(COUNTRY, max_size=2)),
            }
            for rid in recipients
        ],
        "consent": {
            "model": draw(st.sampled_from(["opt_in", "opt_out", "notice_only"])),
            "per_purpose": draw(st.booleans()),
            "withdraw": draw(ANY_TEXT),
        },
        "links": {"policy": "https://example.com/p", "contact": "mailto:a@example.com"},
        "translations": {
            loc: {
                "name": draw(ANY_TEXT),
                "summary": draw(ANY_TEXT),
                "purposes": {pid: draw(ANY_TEXT) for pid in purpose_ids},
                "recipients": {rid: draw(ANY_TEXT) for rid in recipients},
                "deletion": draw(st.none() | ANY_TEXT),
                "withdraw": draw(ANY_TEXT),
            }
            for loc in locales[1:]
        },
        "waivers": [{"rule": "D704", "reason": draw(ANY_TEXT)}] if draw(st.booleans()) else [],
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(declarations())
def test_valid_model_dumped_to_yaml_loads_back_equal(data: dict[str, Any]) -> None:
    model = Declaration.model_validate(load(yaml.safe_dump(data, allow_unicode=True))[0])
    dumped = yaml.safe_dump(model.model_dump(mode="json"), allow_unicode=True, sort_keys=False)
    again = Declaration.model_validate(load(dumped)[0])
    assert again == model
    assert again.name == data["name"]  # text stays the text that was written
