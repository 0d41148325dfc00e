"""Store artefacts as their consumers read them: plistlib, fastlane's JSON shape, the Play CSV
template, JSON-LD as RDF; the mapping table row by row; merges that keep what is not ours."""

from __future__ import annotations

import csv
import io
import json
import plistlib
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, base_data, overlay, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discloser.config import AppConfig
from discloser.model.declaration import Declaration
from discloser.stores import apple, dpv, play
from discloser.stores.apps import implied
from discloser.stores.mapping import load

GOLDEN = ROOT / "tests" / "golden" / "stores"
TEMPLATE = ROOT / "tests" / "fixtures" / "stores" / "data-safety-template.csv"
# The stores' own fixture app: photos sent and kept (restyle-one-photo), face templates kept only
# on the phone (faces-on-phone) and a retired feature (old-prints). Tests that need "a type we
# own that no feature implies" use it, so they do not hang on the examples' exact answers.
DECLS = ROOT / "tests" / "fixtures" / "stores" / "declarations"
APP = AppConfig(name="t", platforms=("ios", "android"))


def declaration(**change: Any) -> Declaration:
    return Declaration.model_validate(overlay(base_data(), change), strict=False)


def photos(**over: Any) -> dict[str, Any]:
    base = base_data()["photos"]
    return {**base, **over}


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".discloser-output"
    }


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("stores") / "out"
    proc = run_cli("stores", "declarations", "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


# ---------------------------------------------------------------- the examples, end to end


def test_one_command_writes_all_four_artefacts_per_app(written: Path) -> None:
    lumen = written / "lumen"
    for name in ("PrivacyInfo.xcprivacy", "app_privacy_details.json", "data-safety.md"):
        assert (lumen / name).is_file(), name
    assert (lumen / "dpv" / "app.jsonld").is_file()
    studio = written / "lumen-studio"  # desktop and web: DPV only, no store files
    assert sorted(p.name for p in (studio / "dpv").iterdir()) == [
        "ai-restyle.jsonld",
        "app.jsonld",
        "code-from-screenshot.jsonld",
    ]
    assert not (studio / "PrivacyInfo.xcprivacy").exists()


def test_stores_matches_golden_files_and_render_writes_the_same(written: Path) -> None:
    # tests/golden/stores is written by test_golden (render's stores/ folder): one truth.
    assert _files(written) == _files(GOLDEN)


def test_manifest_reads_back_with_plistlib_and_apple_spelling(written: Path) -> None:
    raw = (written / "lumen" / "PrivacyInfo.xcprivacy").read_bytes()
    doc = plistlib.loads(raw)
    assert set(doc) == {
        "NSPrivacyTracking",
        "NSPrivacyTrackingDomains",
        "NSPrivacyCollectedDataTypes",
        "NSPrivacyAccessedAPITypes",
    }
    kinds = [e["NSPrivacyCollectedDataType"] for e in doc["NSPrivacyCollectedDataTypes"]]
    assert "NSPrivacyCollectedDataTypePhotosorVideos" in kinds
    assert b"PhotosOrVideos" not in raw
    for entry in doc["NSPrivacyCollectedDataTypes"]:
        assert set(entry) == {
            "NSPrivacyCollectedDataType",
            "NSPrivacyCollectedDataTypeLinked",
            "NSPrivacyCollectedDataTypeTracking",
            "NSPrivacyCollectedDataTypePurposes",
        }
        assert all(
            p.startswith("NSPrivacyCollectedDataTypePurpose")
            for p in entry["NSPrivacyCollectedDataTypePurposes"]
        )


def test_fastlane_file_matches_the_shape_fastlane_reads(written: Path) -> None:
    import jsonschema

    doc = json.loads((written / "lumen" / "app_privacy_details.json").read_text("utf-8"))
    jsonschema.validate(doc, apple.FASTLANE_SCHEMA)
    assert [e["category"] for e in doc] == sorted(e["category"] for e in doc)
    photos_entry = next(e for e in doc if e["category"] == "PHOTOS_OR_VIDEOS")
    assert "APP_FUNCTIONALITY" in photos_entry["purposes"]
    assert photos_entry["data_protections"] == ["DATA_LINKED_TO_YOU"]


def test_nothing_collected_is_fastlanes_not_collected_entry() -> None:
    on_device = declaration(
        processing={
            "location": "on_device",
            "countries": [],
            "human_review": "none",
            "automated_decisions": False,
        },
        storage={**base_data()["storage"], "location": "on_device", "countries": []},
    )
    imp = implied(APP, [on_device])
    doc = apple.fastlane(imp)
    assert doc == [{"data_protections": ["DATA_NOT_COLLECTED"]}]
    import jsonschema

    jsonschema.validate(doc, apple.FASTLANE_SCHEMA)


def test_on_device_feature_is_absent_and_says_why(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run_cli("stores", str(DECLS), "--app", "lumen", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    checklist = (out / "lumen" / "data-safety.md").read_text("utf-8")
    collected, absent = checklist.split("## Not declared")
    assert "faces-on-phone: Apple and Google count data processed only on the device" in absent
    assert "old-prints: retired" in absent
    assert "faces-on-phone" not in collected and "old-prints" not in collected
    assert "Personal info > Other info" not in collected  # its face templates never leave
    assert "- Features: restyle-one-photo" in collected


def test_hybrid_processing_counts_as_collected_even_with_end_to_end_storage() -> None:
    # D313 makes end-to-end sync say `hybrid` (copies sent to servers are processed there), and
    # the label then says "processed on our servers": the store answers may not say less.
    synced = declaration(
        photos=photos(reads=["pixels", "faces"], face_analysis="grouping"),
        processing={**base_data()["processing"], "location": "hybrid", "countries": ["IE"]},
        storage={
            **base_data()["storage"],
            "countries": ["IE"],
            "face_templates": "P1Y",
            "encryption": {"in_transit": True, "at_rest": True, "end_to_end": True},
        },
    )
    imp = implied(APP, [synced])
    assert imp.absent == ()
    kinds = [e[apple.TYPE] for e in apple.collected_entries(imp)]
    assert "NSPrivacyCollectedDataTypeSensitiveInfo" in kinds


def test_dpv_json_ld_reads_as_rdf_with_dpv_terms(written: Path) -> None:
    import rdflib

    graph = rdflib.Graph()
    graph.parse(
        data=(written / "lumen" / "dpv" / "app.jsonld").read_text("utf-8"), format="json-ld"
    )
    DPV = rdflib.Namespace("https://w3id.org/dpv#")
    PD = rdflib.Namespace("https://w3id.org/dpv/pd#")
    feature = rdflib.URIRef("urn:discloser:feature:ai-restyle")
    assert (feature, DPV.hasPersonalData, PD.Picture) in graph
    assert (feature, DPV.hasPurpose, DPV.ServiceProvision) in graph
    assert (feature, rdflib.RDF.type, DPV.PersonalDataHandling) in graph
    faces = rdflib.URIRef("urn:discloser:feature:people-albums")
    assert (faces, DPV.hasPersonalData, PD.FacialPrint) in graph
    app = rdflib.URIRef("urn:discloser:app:lumen")
    assert (app, rdflib.URIRef("http://purl.org/dc/terms/hasPart"), feature) in graph


# ---------------------------------------------------------------- the Play CSV


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_keeps_the_templates_rows_order_and_other_answers(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run_cli(
        "stores",
        str(DECLS),
        "--app",
        "lumen",
        "--play-template",
        str(TEMPLATE),
        "--out",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    filled = _csv((out / "lumen" / "data-safety.csv").read_text("utf-8"))
    template = _csv(TEMPLATE.read_text("utf-8"))
    assert filled[0] == template[0] == play.HEADER
    assert [(r[0], r[1], r[3], r[4]) for r in filled] == [
        (r[0], r[1], r[3], r[4]) for r in template
    ]
    values = {(r[0], r[1]): r[2] for r in filled[1:]}
    assert values[("PSL_DATA_TYPES_PHOTOS_AND_VIDEOS", "PSL_PHOTOS")] == "TRUE"
    assert values[("PSL_DATA_COLLECTION_COLLECTS_PERSONAL_DATA", "")] == "TRUE"
    usage = "PSL_DATA_USAGE_RESPONSES:PSL_PHOTOS:"
    assert values[(usage + "DATA_USAGE_COLLECTION_PURPOSE", "PSL_APP_FUNCTIONALITY")] == "TRUE"
    assert values[(usage + "PSL_DATA_USAGE_EPHEMERAL", "")] == "FALSE"
    # the team's own answers (email, account deletion) stay as exported
    assert values[("PSL_DATA_TYPES_PERSONAL", "PSL_EMAIL")] == "TRUE"
    assert values[("PSL_ACCOUNT_DELETION_URL", "")] == "https://lumen.example/delete-account"
    # a type no feature implies keeps the template's answer (another feature may collect it):
    # faces-on-phone reads faces but keeps them on the phone
    assert values[("PSL_DATA_TYPES_PERSONAL", "PSL_OTHER_PERSONAL")] == ""


def test_csv_refuses_a_template_missing_a_question(tmp_path: Path) -> None:
    lines = TEMPLATE.read_text("utf-8").splitlines(keepends=True)
    kept = [
        ln
        for ln in lines
        if not ln.startswith("PSL_DATA_USAGE_RESPONSES:PSL_PHOTOS:PSL_DATA_USAGE_EPHEMERAL")
    ]
    broken = tmp_path / "template.csv"
    broken.write_text("".join(kept), encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli(
        "stores",
        "declarations",
        "--app",
        "lumen",
        "--play-template",
        str(broken),
        "--out",
        str(out),
    )
    assert proc.returncode == 2
    assert (
        f"{broken}: missing question PSL_DATA_USAGE_RESPONSES:PSL_PHOTOS:PSL_DATA_USAGE_EPHEMERAL"
        in proc.stderr
    )
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_csv_refuses_an_unknown_question_about_our_data(tmp_path: Path) -> None:
    text = TEMPLATE.read_text("utf-8") + (
        "PSL_DATA_USAGE_RESPONSES:PSL_PHOTOS:PSL_DATA_USAGE_DELETION,,,MAYBE_REQUIRED,Deleted?\n"
    )
    changed = tmp_path / "template.csv"
    changed.write_text(text, encoding="utf-8")
    line = len(text.splitlines())
    proc = run_cli(
        "stores",
        "declarations",
        "--app",
        "lumen",
        "--play-template",
        str(changed),
        "--out",
        str(tmp_path / "out"),
    )
    assert proc.returncode == 2
    assert (
        f"{changed}:{line}: unknown question PSL_DATA_USAGE_RESPONSES:PSL_PHOTOS:PSL_DATA_USAGE_DELETION"
        in proc.stderr
    )


def test_csv_refuses_a_file_that_is_not_an_export(tmp_path: Path) -> None:
    bad = tmp_path / "t.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    proc = run_cli(
        "stores",
        "declarations",
        "--app",
        "lumen",
        "--play-template",
        str(bad),
        "--out",
        str(tmp_path / "out"),
    )
    assert proc.returncode == 2
    assert f"{bad}:1: not a Play data safety export" in proc.stderr


# ---------------------------------------------------------------- merges


EXISTING = {
    "NSPrivacyAccessedAPITypes": [
        {
            "NSPrivacyAccessedAPIType": "NSPrivacyAccessedAPICategoryUserDefaults",
            "NSPrivacyAccessedAPITypeReasons": ["CA92.1"],
        }
    ],
    "NSPrivacyTracking": False,
    "NSPrivacyCollectedDataTypes": [
        {
            "NSPrivacyCollectedDataType": "NSPrivacyCollectedDataTypeEmailAddress",
            "NSPrivacyCollectedDataTypeLinked": True,
            "NSPrivacyCollectedDataTypeTracking": False,
            "NSPrivacyCollectedDataTypePurposes": [
                "NSPrivacyCollectedDataTypePurposeAppFunctionality"
            ],
        },
        {
            "NSPrivacyCollectedDataType": "NSPrivacyCollectedDataTypeSensitiveInfo",
            "NSPrivacyCollectedDataTypeLinked": False,
            "NSPrivacyCollectedDataTypeTracking": False,
            "NSPrivacyCollectedDataTypePurposes": ["NSPrivacyCollectedDataTypePurposeOther"],
        },
    ],
}


def test_merge_keeps_what_is_not_ours_and_is_idempotent(tmp_path: Path) -> None:
    mine = tmp_path / "PrivacyInfo.xcprivacy"
    mine.write_bytes(plistlib.dumps(EXISTING))
    out = tmp_path / "out"
    proc = run_cli("stores", str(DECLS), "--app", "lumen", "--merge", str(mine), "--out", str(out))
    assert proc.returncode == 2  # SensitiveInfo is ours and no longer implied
    assert "no longer imply NSPrivacyCollectedDataTypeSensitiveInfo" in proc.stderr
    assert not out.exists()
    proc = run_cli(
        "stores",
        str(DECLS),
        "--app",
        "lumen",
        "--merge",
        str(mine),
        "--replace",
        "--out",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    merged_bytes = (out / "lumen" / "PrivacyInfo.xcprivacy").read_bytes()
    merged = plistlib.loads(merged_bytes)
    assert merged["NSPrivacyAccessedAPITypes"] == EXISTING["NSPrivacyAccessedAPITypes"]
    kinds = [e["NSPrivacyCollectedDataType"] for e in merged["NSPrivacyCollectedDataTypes"]]
    assert kinds[0] == "NSPrivacyCollectedDataTypeEmailAddress"  # the team's, in place
    assert "NSPrivacyCollectedDataTypeSensitiveInfo" not in kinds  # ours, no longer implied
    assert "NSPrivacyCollectedDataTypePhotosorVideos" in kinds
    # round trip: merging the merged file changes nothing
    again_in = tmp_path / "again.xcprivacy"
    shutil.copy(out / "lumen" / "PrivacyInfo.xcprivacy", again_in)
    out2 = tmp_path / "out2"
    proc = run_cli(
        "stores", str(DECLS), "--app", "lumen", "--merge", str(again_in), "--out", str(out2)
    )
    assert proc.returncode == 0, proc.stderr
    assert (out2 / "lumen" / "PrivacyInfo.xcprivacy").read_bytes() == merged_bytes


def test_merge_refuses_a_file_that_is_not_a_plist(tmp_path: Path) -> None:
    bad = tmp_path / "PrivacyInfo.xcprivacy"
    bad.write_text("<plist><dict><key>x", encoding="utf-8")
    proc = run_cli(
        "stores",
        "declarations",
        "--app",
        "lumen",
        "--merge",
        str(bad),
        "--out",
        str(tmp_path / "out"),
    )
    assert proc.returncode == 2
    assert f"{bad}: not a property list" in proc.stderr


def test_fastlane_keeps_other_categories_and_refuses_to_drop_ours(tmp_path: Path) -> None:
    existing = tmp_path / "app_privacy_details.json"
    existing.write_text(
        json.dumps(
            [
                {
                    "category": "EMAIL_ADDRESS",
                    "purposes": ["APP_FUNCTIONALITY"],
                    "data_protections": ["DATA_LINKED_TO_YOU"],
                },
                {
                    "category": "SENSITIVE_INFO",
                    "purposes": ["OTHER_PURPOSES"],
                    "data_protections": ["DATA_LINKED_TO_YOU"],
                },
            ]
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    proc = run_cli(
        "stores", str(DECLS), "--app", "lumen", "--fastlane", str(existing), "--out", str(out)
    )
    assert proc.returncode == 2
    assert "no longer imply SENSITIVE_INFO" in proc.stderr and "--replace" in proc.stderr
    assert not out.exists()
    proc = run_cli(
        "stores",
        str(DECLS),
        "--app",
        "lumen",
        "--fastlane",
        str(existing),
        "--replace",
        "--out",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((out / "lumen" / "app_privacy_details.json").read_text("utf-8"))
    cats = [e["category"] for e in doc]
    assert "EMAIL_ADDRESS" in cats and "SENSITIVE_INFO" not in cats and "PHOTOS_OR_VIDEOS" in cats


def test_existing_files_need_one_app(tmp_path: Path) -> None:
    proc = run_cli(
        "stores", "declarations", "--play-template", str(TEMPLATE), "--out", str(tmp_path / "o")
    )
    assert proc.returncode == 2
    assert "choose it with --app" in proc.stderr


def test_unknown_app_is_refused(tmp_path: Path) -> None:
    proc = run_cli("stores", "declarations", "--app", "nope", "--out", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert "no app named 'nope'; configured: lumen, lumen-studio" in proc.stderr


def test_bad_app_configuration_is_one_clear_line(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "declarations", tmp_path / "declarations")
    (tmp_path / "discloser.toml").write_text(
        '[[apps]]\nname = "x"\nplatforms = ["ios"]\nbundle = "com.x"\n', encoding="utf-8"
    )
    proc = run_cli("stores", "declarations", "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert proc.returncode == 2
    assert "apps[1]: unknown key 'bundle'" in proc.stderr


def test_default_app_is_every_declaration(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "declarations", tmp_path / "declarations")
    (tmp_path / "discloser.toml").write_text("", encoding="utf-8")
    proc = run_cli("stores", "declarations", "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in (tmp_path / "o" / "app" / "dpv").iterdir())
    assert "code-from-screenshot.jsonld" in names and "lumen-prints.jsonld" not in names


# ---------------------------------------------------------------- check's library function


def test_compare_existing_finds_missing_and_differing_answers(tmp_path: Path) -> None:
    imp = implied(APP, [declaration()])
    manifest_path = tmp_path / "PrivacyInfo.xcprivacy"
    manifest_path.write_bytes(plistlib.dumps(EXISTING))
    fast = tmp_path / "app_privacy_details.json"
    fast.write_text(
        json.dumps(
            [
                {
                    "category": "PHOTOS_OR_VIDEOS",
                    "purposes": ["ANALYTICS"],
                    "data_protections": ["DATA_LINKED_TO_YOU"],
                }
            ]
        ),
        encoding="utf-8",
    )
    found = {
        (f.code, f.message.split(" ")[0]) for f in apple.compare_existing(imp, manifest_path, fast)
    }
    assert ("S101", "NSPrivacyCollectedDataTypePhotosorVideos") in found
    assert ("S102", "NSPrivacyCollectedDataTypeSensitiveInfo") in found
    assert ("S106", "PHOTOS_OR_VIDEOS:") in found


def test_compare_existing_is_quiet_when_files_match(tmp_path: Path) -> None:
    imp = implied(APP, [declaration()])
    manifest_path = tmp_path / "PrivacyInfo.xcprivacy"
    manifest_path.write_bytes(apple.manifest_bytes(apple.manifest(imp)))
    fast = tmp_path / "app_privacy_details.json"
    fast.write_text(apple.fastlane_text(apple.fastlane(imp)), encoding="utf-8")
    assert apple.compare_existing(imp, manifest_path, fast) == []


# ---------------------------------------------------------------- the mapping, row by row

MAPPING = load()


def _implying(row_id: str) -> Declaration:
    row = MAPPING.data_row(row_id)
    if row.reads:
        return declaration(photos=photos(reads=["pixels", row.reads[0]]))
    return declaration(
        photos=photos(face_analysis=row.face_analysis[0]),
        storage={**base_data()["storage"], "face_templates": "P1Y"},
    )


@pytest.mark.parametrize("row_id", [r.id for r in MAPPING.data])
def test_mapping_row_data(row_id: str) -> None:
    row = MAPPING.data_row(row_id)
    imp = implied(APP, [_implying(row_id)])
    kinds = [e[apple.TYPE] for e in apple.collected_entries(imp)]
    cats = [e["category"] for e in apple.fastlane(imp)]
    play_rows = {(a.question, a.response) for a in play.answers(imp)}
    personal = dpv.feature(_implying(row_id))["personalData"]
    assert row.dpv in personal
    if row.apple:
        assert row.apple in kinds and row.fastlane in cats
        assert tuple(row.play.split(":")) in play_rows
    else:  # answered inside another row: no term of its own, but never absent from Photos
        assert "NSPrivacyCollectedDataTypePhotosorVideos" in kinds
        assert len(kinds) == 1


@pytest.mark.parametrize("category", sorted(MAPPING.purposes))
def test_mapping_row_purpose(category: str) -> None:
    row = MAPPING.purposes[category]
    purpose = {**base_data()["purposes"][0], "category": category}
    d = declaration(purposes=[purpose])
    imp = implied(APP, [d])
    entry = apple.collected_entries(imp)[0]
    assert row.apple in entry[apple.PURPOSES]
    assert row.fastlane in apple.fastlane(imp)[0]["purposes"]
    usage = "PSL_DATA_USAGE_RESPONSES:PSL_PHOTOS:DATA_USAGE_COLLECTION_PURPOSE"
    assert (usage, row.play) in {(a.question, a.response) for a in play.answers(imp)}
    assert row.dpv in dpv.feature(d)["purpose"]


@pytest.mark.parametrize("role", sorted(MAPPING.recipients))
def test_mapping_row_recipient(role: str) -> None:
    row = MAPPING.recipients[role]
    ads = {
        **base_data()["purposes"][0],
        "id": "ads",
        "category": "advertising",
        "legal_basis": "consent",
        "required": False,
    }
    recipient = {"id": "r", "name": "R", "role": role, "purposes": ["ads"], "countries": ["US"]}
    d = declaration(
        purposes=[*base_data()["purposes"], ads],
        sharing=[recipient],
        advertising={"targeting": True, "measurement": False, "profiling": False},
    )
    imp = implied(APP, [d])
    shared = (
        "PSL_DATA_USAGE_RESPONSES:PSL_PHOTOS:PSL_DATA_USAGE_COLLECTION_AND_SHARING",
        "PSL_DATA_USAGE_ONLY_SHARED",
    )
    given_ = {(a.question, a.response): a.value for a in play.answers(imp)}
    assert (given_[shared] == "TRUE") is row.play_shared
    assert apple.collected_entries(imp)[0][apple.TRACKING] is row.tracking
    assert ("DATA_USED_TO_TRACK_YOU" in apple.fastlane(imp)[0]["data_protections"]) is row.tracking
    assert dpv.feature(d)["recipient"][0]["type"] == row.dpv


@pytest.mark.parametrize("audience", ["always", "when_you_share"])
def test_mapping_rule_when_you_share(audience: str) -> None:
    post = {**base_data()["purposes"][0], "id": "post", "legal_basis": "consent"}
    public = {
        "id": "feed",
        "name": "Everyone on the feed",
        "role": "public",
        "purposes": ["post"],
        "countries": ["US"],
        "audience": audience,
    }
    d = declaration(purposes=[post], sharing=[public])
    imp = implied(APP, [d])
    given_ = {(a.question, a.response): a.value for a in play.answers(imp)}
    shared = given_[
        (
            "PSL_DATA_USAGE_RESPONSES:PSL_PHOTOS:PSL_DATA_USAGE_COLLECTION_AND_SHARING",
            "PSL_DATA_USAGE_ONLY_SHARED",
        )
    ]
    counted = audience == "always" or bool(MAPPING.rules["when_you_share_play_shared"])
    assert (shared == "TRUE") is counted
    assert dpv.feature(d)["recipient"][0]["type"] == MAPPING.recipients["public"].dpv


def test_ephemeral_is_absent_for_apple_and_flagged_for_play() -> None:
    d = declaration(
        storage={
            **base_data()["storage"],
            "location": "not_stored",
            "countries": [],
            "retention": "not_retained",
            "after_opt_out": None,
            "deletion": None,
        }
    )
    imp = implied(APP, [d])
    assert apple.collected_entries(imp) == []
    given_ = {(a.question, a.response): a.value for a in play.answers(imp)}
    assert given_[("PSL_DATA_USAGE_RESPONSES:PSL_PHOTOS:PSL_DATA_USAGE_EPHEMERAL", "")] == "TRUE"


def test_strictest_answer_wins_across_features() -> None:
    a = declaration()  # required (notice only), app functionality
    b = declaration(
        id="other-feature",
        consent={**base_data()["consent"], "model": "opt_in"},
        purposes=[{**base_data()["purposes"][0], "category": "personalisation"}],
    )
    imp = implied(APP, [a, b])
    (use,) = imp.play
    assert use.features == ["other-feature", "restyle-one-photo"]
    assert not use.optional  # one feature requires it
    assert {"app_functionality", "personalisation"} <= use.categories


def test_planned_and_retired_features_are_left_out() -> None:
    for status, extra in (("planned", {}), ("retired", {"ended": "2026-04-01"})):
        imp = implied(APP, [declaration(status=status, **extra)])
        assert imp.data == () and imp.features == ()
        assert imp.absent[0].reason.startswith(status)


# ---------------------------------------------------------------- the property


@settings(max_examples=40, deadline=None)
@given(
    processing=st.sampled_from(["cloud", "hybrid"]),
    reads=st.sets(st.sampled_from(["faces", "text", "location", "capture_time"])),
    retention=st.sampled_from(["P1D", "P30D", "until_deleted"]),
    status=st.sampled_from(["live", "beta"]),
    others=st.integers(min_value=0, max_value=3),
)
def test_every_feature_that_uploads_and_keeps_photos_is_in_every_artefact(
    processing: str, reads: set[str], retention: str, status: str, others: int
) -> None:
    d = declaration(
        status=status,
        photos=photos(reads=["pixels", *sorted(reads)]),
        processing={**base_data()["processing"], "location": processing},
        storage={**base_data()["storage"], "retention": retention},
    )
    on_device = [
        declaration(
            id=f"local-{i}",
            processing={**base_data()["processing"], "location": "on_device", "countries": []},
            storage={**base_data()["storage"], "location": "on_device", "countries": []},
        )
        for i in range(others)
    ]
    imp = implied(APP, [d, *on_device])
    manifest = plistlib.loads(apple.manifest_bytes(apple.manifest(imp)))
    assert "NSPrivacyCollectedDataTypePhotosorVideos" in [
        e[apple.TYPE] for e in manifest[apple.COLLECTED]
    ]
    assert "PHOTOS_OR_VIDEOS" in [e.get("category") for e in apple.fastlane(imp)]
    filled = _csv(play.fill(TEMPLATE.read_text("utf-8"), imp))
    assert ["PSL_DATA_TYPES_PHOTOS_AND_VIDEOS", "PSL_PHOTOS", "TRUE"] in [r[:3] for r in filled]
    assert "PSL_PHOTOS" in play.checklist(imp)
    app_doc = dpv.app_document(imp)
    assert d.id in [f["identifier"] for f in app_doc["features"]]
    assert d.id in imp.play[0].features


# ---------------------------------------------------------------- diff: store answers


def _tree(tmp_path: Path, name: str, *edits: tuple[str, str]) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    text = (ROOT / "declarations" / "ai-restyle.yaml").read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    (folder / "ai-restyle.yaml").write_text(text, encoding="utf-8")
    return folder


def test_diff_says_how_the_store_answers_change(tmp_path: Path) -> None:
    base = _tree(tmp_path, "base")
    head = _tree(tmp_path, "head", ("category: safety_security", "category: personalisation"))
    proc = run_cli("diff", str(base), str(head))
    assert proc.returncode == 0, proc.stderr
    assert (
        "the App Store label changes: Photos or Videos now used for Product Personalization"
        in proc.stdout
    )
    assert (
        "the Play data safety answers change: Photos and videos > Photos now collected for Personalization"
        in proc.stdout
    )
    doc = json.loads(run_cli("diff", str(base), str(head), "--format", "json").stdout)
    kinds = {c["text"]: c["kind"] for c in doc["features"][0]["changes"]}
    assert (
        kinds["the App Store label changes: Photos or Videos now used for Product Personalization"]
        == "widening"
    )


def test_diff_says_when_a_feature_leaves_the_store_answers(tmp_path: Path) -> None:
    base = _tree(tmp_path, "base")
    head = _tree(
        tmp_path,
        "head",
        ("  location: cloud\n  # People", "  location: on_device\n  # People"),
        (
            "  location: cloud\n  countries: [IE, US]\n  # Kept",
            "  location: on_device\n  countries: []\n  # Kept",
        ),
    )
    proc = run_cli("diff", str(base), str(head), "--format", "markdown")
    assert "the App Store label changes: Photos or Videos no longer collected" in proc.stdout


def test_diff_of_a_status_change_is_a_minor_store_change() -> None:
    from discloser.release.diff import Kind, _store_lines

    planned, live = declaration(status="planned"), declaration()
    lines = _store_lines(planned, live, material_change=False)
    assert lines and {c.kind for c in lines} == {Kind.MINOR}
    assert "the App Store label changes: Photos or Videos now collected" in [c.text for c in lines]


# ---------------------------------------------------------------- the site's downloads page


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("site")
    shutil.copytree(ROOT / "declarations", project / "declarations")
    (project / "discloser.toml").write_text("", encoding="utf-8")
    proc = run_cli("build", "declarations", "--out", "public", cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return project / "public"


def test_downloads_page_publishes_the_mapping_and_why_features_are_absent(
    site: Path, browser: Any
) -> None:
    page = browser.new_page()
    try:
        page.goto((site / "en" / "downloads.html").as_uri())
        text = page.inner_text("article")
        for row in MAPPING.data:
            assert row.label in text and row.dpv in text
            if row.apple:
                assert row.apple in text and row.play_label in text
        for p in MAPPING.purposes.values():
            assert p.apple in text and p.play in text
        absent = text.split("Features the store answers leave out", 1)[1]
        assert "Filter suggestions: the photos never leave the phone." in absent
        # hybrid since revision 5: its templates reach servers, so it is in the answers
        assert "People albums" not in absent
        assert "AI restyle" not in absent
        page.goto((site / "fr" / "downloads.html").as_uri())
        assert "les photos ne quittent jamais le téléphone." in page.inner_text("article")
    finally:
        page.close()
    published = (site / "downloads" / "store-mapping.toml").read_bytes()
    assert published == (ROOT / "discloser" / "stores" / "mapping.toml").read_bytes()


def test_declarations_with_errors_write_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "decl"
    folder.mkdir()
    text = (ROOT / "tests" / "fixtures" / "base.yaml").read_text(encoding="utf-8")
    (folder / "restyle-one-photo.yaml").write_text(
        text.replace("targeting: false", "targeting: true"), encoding="utf-8"
    )
    out = tmp_path / "out"
    proc = run_cli("stores", str(folder), "--out", str(out))
    assert proc.returncode == 1
    assert "nothing written" in proc.stderr
    assert not out.exists()


def test_compare_locates_findings_in_the_committed_files(tmp_path: Path) -> None:
    from discloser.load.discover import discover
    from discloser.stores.job import compare
    from discloser.validate import read_declaration

    declarations = [read_declaration(s)[0] for s in discover([str(DECLS)])]
    manifest_path = tmp_path / "PrivacyInfo.xcprivacy"
    manifest_path.write_bytes(plistlib.dumps(EXISTING))
    from discloser.config import load_settings

    found = compare(declarations, load_settings(start=ROOT), "lumen", manifest_path, None)
    extra = next(f for f in found if f.code == "S102")
    lines = manifest_path.read_text("utf-8").splitlines()
    assert "NSPrivacyCollectedDataTypeSensitiveInfo" in lines[extra.line - 1]
    assert extra.column > 1
    assert {f.code for f in found} >= {"S101", "S102"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.deferred(lambda: _any_declaration()), min_size=1, max_size=3))
def test_any_valid_declarations_give_artefacts_their_consumers_read(data: list[Any]) -> None:
    import jsonschema

    from discloser.load.yaml12 import load as load_yaml
    from discloser.stores.apps import feature_use, leaves_device

    ds = []
    for i, item in enumerate(data):
        item = {**item, "id": f"f{i}"}
        ds.append(
            Declaration.model_validate(load_yaml(yaml.safe_dump(item, allow_unicode=True))[0])
        )
    every_platform = AppConfig(name="t", platforms=("ios", "android", "web", "desktop"))
    imp = implied(every_platform, ds)
    manifest = plistlib.loads(apple.manifest_bytes(apple.manifest(imp)))
    jsonschema.validate(apple.fastlane(imp), apple.FASTLANE_SCHEMA)
    filled = _csv(play.fill(TEMPLATE.read_text("utf-8"), imp))
    assert [r[:2] for r in filled] == [r[:2] for r in _csv(TEMPLATE.read_text("utf-8"))]
    json.loads(dpv.text(dpv.app_document(imp)))
    kinds = [e[apple.TYPE] for e in manifest[apple.COLLECTED]]
    for d in ds:
        uploads = d.status in ("live", "beta") and leaves_device(d) and "pixels" in d.photos.reads
        if uploads and not feature_use(d, MAPPING).ephemeral:
            assert "NSPrivacyCollectedDataTypePhotosorVideos" in kinds
        if uploads:
            assert ["PSL_DATA_TYPES_PHOTOS_AND_VIDEOS", "PSL_PHOTOS", "TRUE"] in [
                r[:3] for r in filled
            ]
        if not leaves_device(d) or d.status not in ("live", "beta"):
            assert d.id not in [f for u in imp.data for f in u.features]


def _any_declaration() -> Any:
    from test_properties import declarations

    return declarations()
