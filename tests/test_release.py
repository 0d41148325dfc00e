"""diff, the release ledger and receipts: every widening caught, every tampering located."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discloser.load.discover import Source
from discloser.notice import material
from discloser.release.diff import Kind, classify
from discloser.validate import read_declaration

EXAMPLE = ROOT / "declarations" / "camera-roll-suggestions.yaml"
RESTYLE = ROOT / "declarations" / "ai-restyle.yaml"


def _material(path: Path) -> dict[str, Any]:
    return material(read_declaration(Source(str(path), path))[0])


def _set(data: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    out = json.loads(json.dumps(data))
    node = out
    *parents, last = dotted.split(".")
    for key in parents:
        node = node[int(key)] if key.isdigit() else node[key]
    node[int(last) if last.isdigit() else last] = value
    return out


BASE = _material(RESTYLE)  # picker, on request, cloud, no training, no ads, one recipient

# (field, new value, expected kind) on the restyle example's material content.
CASES = [
    ("photos.access", "limited_selection", Kind.WIDENING),
    ("photos.access", "full_library", Kind.WIDENING),
    ("photos.includes_unshared", False, Kind.NARROWING),
    ("photos.reads", ["pixels", "faces"], Kind.WIDENING),
    ("photos.reads", ["pixels", "location"], Kind.WIDENING),
    ("photos.cadence", "continuous", Kind.WIDENING),
    ("photos.cadence", "on_device_only", Kind.NARROWING),
    ("photos.face_analysis", "recognition", Kind.WIDENING),
    ("ai_training.use", "this_feature", Kind.WIDENING),
    ("ai_training.use", "general_models", Kind.WIDENING),
    ("ai_training.faces", True, Kind.WIDENING),
    ("ai_training.opt_out_removes", False, Kind.WIDENING),
    ("advertising.targeting", True, Kind.WIDENING),
    ("advertising.measurement", True, Kind.WIDENING),
    ("advertising.profiling", True, Kind.WIDENING),
    ("processing.location", "on_device", Kind.NARROWING),
    ("processing.countries", ["IE", "US", "CN"], Kind.WIDENING),
    ("processing.human_review", "sampled", Kind.WIDENING),
    ("processing.automated_decisions", True, Kind.WIDENING),
    ("storage.countries", ["IE", "US", "BR"], Kind.WIDENING),
    ("storage.retention", "P1Y", Kind.WIDENING),
    ("storage.retention", "until_deleted", Kind.WIDENING),
    ("storage.retention", "PT1H", Kind.NARROWING),
    ("storage.after_opt_out", "P90D", Kind.WIDENING),
    ("storage.encryption.in_transit", False, Kind.WIDENING),
    ("storage.encryption.end_to_end", True, Kind.NARROWING),
    ("consent.model", "opt_out", Kind.NARROWING),
    ("consent.model", "opt_in", Kind.NARROWING),
    ("consent.per_purpose", True, Kind.NARROWING),
]


def test_base_case_is_what_the_table_assumes() -> None:
    assert BASE["photos"]["access"] == "picker" and BASE["photos"]["cadence"] == "on_request"
    assert BASE["consent"]["model"] == "notice_only" and BASE["processing"]["location"] == "cloud"


@pytest.mark.parametrize(("field", "value", "kind"), CASES, ids=[f"{c[0]}={c[1]}" for c in CASES])
def test_each_change_is_classified(field: str, value: Any, kind: Kind) -> None:
    if BASE_VALUE(field) == value:
        pytest.fail(f"{field} already {value!r}")
    changes = classify(BASE, _set(BASE, field, value))
    assert {c.kind for c in changes} == {kind}, changes


def BASE_VALUE(field: str) -> Any:
    node: Any = BASE
    for key in field.split("."):
        node = node[key]
    return node


def test_weaker_consent_is_widening() -> None:
    opt_in = _material(EXAMPLE)
    assert opt_in["consent"] == {"model": "opt_in", "per_purpose": True}
    for field, value in (
        ("consent.model", "opt_out"),
        ("consent.model", "notice_only"),
        ("consent.per_purpose", False),
    ):
        assert [c.kind for c in classify(opt_in, _set(opt_in, field, value))] == [Kind.WIDENING]


def test_new_purpose_and_recipient_are_widening() -> None:
    new = json.loads(json.dumps(BASE))
    new["purposes"].append(
        {"id": "train", "category": "ai_training", "legal_basis": "consent", "required": False}
    )
    new["sharing"].append(
        {"id": "ads", "role": "controller", "purposes": ["train"], "countries": ["US"]}
    )
    texts = {c.text for c in classify(BASE, new) if c.kind is Kind.WIDENING}
    assert any("adds the purpose train" in t for t in texts)
    assert any("adds the recipient ads" in t for t in texts)
    role = json.loads(json.dumps(BASE))
    role["sharing"][0]["role"] = "controller"
    assert [c.kind for c in classify(BASE, role)] == [Kind.WIDENING]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([c for c in CASES if c[2] is Kind.WIDENING]))
def test_diff_with_itself_is_empty_and_every_widening_is_caught(
    case: tuple[str, Any, Kind],
) -> None:
    assert classify(BASE, BASE) == []
    field, value, _ = case
    assert any(c.kind is Kind.WIDENING for c in classify(BASE, _set(BASE, field, value)))


# ----------------------------------------------------------------------------- the CLI


def _tree(tmp_path: Path, name: str, edit: tuple[str, str] | None = None) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    text = RESTYLE.read_text(encoding="utf-8")
    if edit:
        assert edit[0] in text
        text = text.replace(*edit)
    (folder / "ai-restyle.yaml").write_text(text, encoding="utf-8")
    return folder


def test_cli_widening_without_revision_fails_only_with_fail_on_material(tmp_path: Path) -> None:
    base = _tree(tmp_path, "base")
    head = _tree(tmp_path, "head", ("  access: picker", "  access: full_library"))
    proc = run_cli("diff", str(base), str(head))
    assert proc.returncode == 0
    assert (
        "widens access from one picked photo to the whole library, including photos never shared"
        in proc.stdout
    )
    assert run_cli("diff", str(base), str(head), "--fail-on", "material").returncode == 1
    bumped = _tree(tmp_path, "bumped", ("  access: picker", "  access: full_library"))
    text = (
        (bumped / "ai-restyle.yaml")
        .read_text(encoding="utf-8")
        .replace("revision: 3", "revision: 4")
    )
    (bumped / "ai-restyle.yaml").write_text(text, encoding="utf-8")
    assert run_cli("diff", str(base), str(bumped), "--fail-on", "material").returncode == 0


def test_cli_minor_and_narrowing_never_fail(tmp_path: Path) -> None:
    base = _tree(tmp_path, "base")
    minor = _tree(tmp_path, "minor", ("name: ", "name: New "))
    proc = run_cli("diff", str(base), str(minor), "--format", "json", "--fail-on", "material")
    assert proc.returncode == 0
    [feature] = json.loads(proc.stdout)["features"]
    assert {c["kind"] for c in feature["changes"]} == {"minor"}
    narrow = _tree(tmp_path, "narrow", ("end_to_end: false", "end_to_end: true"))
    proc = run_cli("diff", str(base), str(narrow), "--format", "markdown", "--fail-on", "material")
    assert proc.returncode == 0
    assert "narrowing" in proc.stdout


def test_cli_new_and_removed_features(tmp_path: Path) -> None:
    base = _tree(tmp_path, "base")
    head = tmp_path / "head"
    head.mkdir()
    (head / "camera-roll-suggestions.yaml").write_text(
        EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8"
    )
    doc = json.loads(run_cli("diff", str(base), str(head), "--format", "json").stdout)
    assert {(f["id"], f["status"]) for f in doc["features"]} == {
        ("ai-restyle", "removed"),
        ("camera-roll-suggestions", "new"),
    }


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def test_cli_git_revisions_and_a_shallow_clone(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    (origin / "declarations").mkdir(parents=True)
    _git(origin, "init", "-q", "-b", "main")
    _git(origin, "config", "user.email", "t@example.com")
    _git(origin, "config", "user.name", "t")
    target = origin / "declarations" / "ai-restyle.yaml"
    target.write_text(RESTYLE.read_text(encoding="utf-8"), encoding="utf-8")
    _git(origin, "add", ".")
    _git(origin, "commit", "-qm", "one")
    _git(origin, "checkout", "-q", "-b", "feature")
    target.write_text(
        target.read_text(encoding="utf-8").replace("  access: picker", "  access: full_library"),
        encoding="utf-8",
    )
    _git(origin, "commit", "-qam", "widen")
    proc = run_cli("diff", "main", "feature", "--fail-on", "material", cwd=origin)
    assert proc.returncode == 1 and "whole library" in proc.stdout
    # working tree against a revision
    assert run_cli("diff", "main", "--fail-on", "material", cwd=origin).returncode == 1
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth=1", "--branch", "feature", f"file://{origin}", str(clone)],
        check=True,
    )
    proc = run_cli("diff", "origin/main", "--fail-on", "material", cwd=clone)
    assert proc.returncode == 1, proc.stderr
    assert "widens access" in proc.stdout
    missing = run_cli("diff", "origin/nope", cwd=clone)
    assert missing.returncode == 2 and "git fetch --depth=1 origin nope" in missing.stderr


# ---------------------------------------------------------------------------- the ledger


@pytest.fixture
def released(tmp_path: Path) -> Path:
    folder = tmp_path / "declarations"
    folder.mkdir()
    for path in sorted((ROOT / "declarations").glob("*.yaml")):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    proc = run_cli("release", str(folder))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return folder


def test_release_is_idempotent_and_validate_accepts_the_chain(released: Path) -> None:
    ledger = released / "discloser-ledger.jsonl"
    before = ledger.read_bytes()
    assert run_cli("release", str(released)).returncode == 0
    assert ledger.read_bytes() == before
    assert run_cli("validate", "--strict", str(released)).returncode == 0


def test_unreleased_revision_warns_and_a_widening_needs_a_new_revision(released: Path) -> None:
    path = released / "ai-restyle.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("revision: 3", "revision: 4"), encoding="utf-8")
    proc = run_cli("validate", "--format", "json", str(released))
    assert [(f["code"], f["line"]) for f in json.loads(proc.stdout)["findings"]] == [("D902", 11)]
    path.write_text(
        text.replace("  access: picker", "  access: limited_selection"), encoding="utf-8"
    )
    proc = run_cli("validate", "--format", "json", str(released))
    assert ("D903", 11) in [(f["code"], f["line"]) for f in json.loads(proc.stdout)["findings"]]
    assert run_cli("release", str(released)).returncode == 1


def _tamper(ledger: Path, how: str) -> None:
    lines = ledger.read_text(encoding="utf-8").splitlines()
    if how == "edit":
        doc = json.loads(lines[1])
        doc["material"]["advertising"]["targeting"] = True
        lines[1] = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    elif how == "remove":
        del lines[1]
    elif how == "reorder":
        lines[1], lines[2] = lines[2], lines[1]
    elif how == "forge":
        doc = json.loads(lines[1])
        doc["material"]["advertising"]["targeting"] = True
        import hashlib

        doc["notice_hash"] = (
            "sha256:"
            + hashlib.sha256(
                json.dumps(doc["material"], sort_keys=True, separators=(",", ":")).encode()
            ).hexdigest()
        )
        lines[1] = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    elif how == "reformat":
        lines[1] = json.dumps(json.loads(lines[1]), indent=None)
    ledger.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("how", "line"),
    [("edit", 2), ("remove", 2), ("reorder", 2), ("forge", 3), ("reformat", 2)],
)
def test_ledger_tampering_is_detected_and_located(released: Path, how: str, line: int) -> None:
    ledger = released / "discloser-ledger.jsonl"
    _tamper(ledger, how)
    proc = run_cli("validate", "--format", "json", str(released))
    assert proc.returncode == 1
    broken = [
        (f["file"], f["line"]) for f in json.loads(proc.stdout)["findings"] if f["code"] == "D901"
    ]
    assert broken and broken[0] == (f"{released}/discloser-ledger.jsonl", line)
    assert run_cli("release", str(released)).returncode == 1


# -------------------------------------------------------------------------- receipts


def _receipt(folder: Path, of: str = "ai-restyle", **change: Any) -> Path:
    from discloser.notice import notice_hash

    d = read_declaration(Source("x", folder / f"{of}.yaml"))[0]
    receipt = {
        "v": 1,
        "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "feature": of,
        "revision": d.revision,
        "notice_hash": notice_hash(d),
        "locale": "en",
        "decision": "accept",
        "choices": {p.id: p.required for p in d.purposes},
        "at": "2026-11-28T20:00:00.000Z",
    } | change
    path = folder.parent / "receipt.json"
    path.write_text(json.dumps(receipt), encoding="utf-8")
    return path


def test_receipt_for_the_current_and_an_archived_revision_verifies(released: Path) -> None:
    receipt = _receipt(released)
    proc = run_cli("verify-receipt", str(receipt), "--path", str(released))
    assert proc.returncode == 0 and "current declaration" in proc.stdout
    path = released / "ai-restyle.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("revision: 3", "revision: 4")
        .replace("retention: P1D", "retention: PT12H"),
        encoding="utf-8",
    )
    assert run_cli("release", str(released)).returncode == 0
    proc = run_cli("verify-receipt", str(receipt), "--path", str(released))
    assert proc.returncode == 0 and "ledger line 2" in proc.stdout


@pytest.mark.parametrize(
    "change",
    [
        {"notice_hash": "sha256:" + "1" * 64},
        {"feature": "no-such-feature"},
        {"revision": 9},
        {"choices": {"restyle": True, "extra": False}},
        {"decision": "decline"},
        {"at": "yesterday"},
        {"extra": 1},
    ],
    ids=[
        "forged-hash",
        "unknown-feature",
        "unpublished-revision",
        "unknown-purpose",
        "declined-but-granted",
        "bad-time",
        "extra-key",
    ],
)
def test_bad_receipts_are_refused(released: Path, change: dict[str, Any]) -> None:
    proc = run_cli("verify-receipt", str(_receipt(released, **change)), "--path", str(released))
    assert proc.returncode == 1, proc.stdout
    assert "invalid" in proc.stderr


def test_unreadable_receipt_exits_two(released: Path) -> None:
    assert (
        run_cli(
            "verify-receipt", str(released / "missing.json"), "--path", str(released)
        ).returncode
        == 2
    )
    bad = released.parent / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert run_cli("verify-receipt", str(bad), "--path", str(released)).returncode == 1


# ----------------------------------------------------------------------- CI integration


def test_ci_scripts_run_locally_with_the_github_environment(tmp_path: Path) -> None:
    import os
    import sys

    origin = tmp_path / "repo"
    (origin / "declarations").mkdir(parents=True)
    _git(origin, "init", "-q", "-b", "main")
    _git(origin, "config", "user.email", "t@example.com")
    _git(origin, "config", "user.name", "t")
    target = origin / "declarations" / "ai-restyle.yaml"
    target.write_text(RESTYLE.read_text(encoding="utf-8"), encoding="utf-8")
    _git(origin, "add", ".")
    _git(origin, "commit", "-qm", "one")
    _git(origin, "update-ref", "refs/remotes/origin/main", "HEAD")
    target.write_text(
        target.read_text(encoding="utf-8").replace("  access: picker", "  access: full_library"),
        encoding="utf-8",
    )
    summary = tmp_path / "summary.md"
    env = {
        **os.environ,
        "GITHUB_ACTIONS": "true",
        "GITHUB_BASE_REF": "main",
        "GITHUB_STEP_SUMMARY": str(summary),
        "DISCLOSER": f"{sys.executable} -m discloser",
    }
    diff = subprocess.run(
        ["bash", str(ROOT / "ci" / "diff.sh")],
        cwd=origin,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert diff.returncode == 1, diff.stderr
    assert "widens access from one picked photo to the whole library" in summary.read_text(
        encoding="utf-8"
    )
    check = subprocess.run(
        ["bash", str(ROOT / "ci" / "validate.sh")],
        cwd=origin,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 1  # the widened file now needs opt-in consent (D401)
    assert (
        json.loads((origin / "discloser.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    )
    assert "::error file=declarations/ai-restyle.yaml" in check.stdout


# The answers added for issue 9: each change classified, and the notice hash moves with them.
def _real(name: str) -> dict[str, Any]:
    path = ROOT / "tests" / "fixtures" / "real" / f"{name}.yaml"
    return _material(path)


@pytest.mark.parametrize(
    ("field", "value", "kind"),
    [
        ("ai_training_condition", "always", Kind.WIDENING),
        ("storage_longer_for.saved", "P30D", Kind.NARROWING),
        ("storage_longer_for.shared", "until_deleted", Kind.WIDENING),
        ("sharing_audience.feed", "always", Kind.WIDENING),
        ("photos.face_analysis", "attributes", None),
    ],
)
def test_new_answers_are_classified(field: str, value: Any, kind: Kind | None) -> None:
    old = _real("picker-ai-restyle")
    new = _set(old, field, value)
    if field == "sharing_audience.feed" and value == "always":
        new.pop("sharing_audience")
    if field == "photos.face_analysis":
        assert [c.kind for c in classify(old, new)] == [Kind.WIDENING]
        assert [c.kind for c in classify(new, old)] == [Kind.NARROWING]
        return
    assert [c.kind for c in classify(old, new)] == [kind]


def test_bundled_terms_added_widen_and_removed_narrow() -> None:
    with_terms = _real("camera-roll-cloud-processing")
    without = {k: v for k, v in with_terms.items() if k != "bundled_terms"}
    assert [c.kind for c in classify(without, with_terms)] == [Kind.WIDENING]
    assert [c.kind for c in classify(with_terms, without)] == [Kind.NARROWING]
    more = _set(with_terms, "bundled_terms.0.allows", ["advertising", "media_analysis"])
    kinds = sorted(c.kind.value for c in classify(with_terms, more))
    assert kinds == ["narrowing", "widening"]
    moved = _set(with_terms, "bundled_terms.0.link", "https://example.com/other")
    assert [c.kind for c in classify(with_terms, moved)] == [Kind.WIDENING]


def test_new_answers_change_the_notice_hash_and_old_ones_keep_theirs() -> None:
    import hashlib

    from discloser.notice import canonical

    path = ROOT / "tests" / "fixtures" / "base.yaml"
    d = read_declaration(Source(str(path), path))[0]
    assert "bundled_terms" not in material(d) and "storage_longer_for" not in material(d)
    before = hashlib.sha256(canonical(d)).hexdigest()
    changed = d.model_copy(update={"storage": d.storage.model_copy(update={"longer_for": []})})
    assert hashlib.sha256(canonical(changed)).hexdigest() == before
    from discloser.model.declaration import LongerRetention

    longer = [LongerRetention(items=["saved"], retention="P1Y")]
    changed = d.model_copy(update={"storage": d.storage.model_copy(update={"longer_for": longer})})
    assert hashlib.sha256(canonical(changed)).hexdigest() != before
