"""`discloser check` as a pipeline meets it: the fixture apps, their golden findings, decoys.

Each fixture under tests/fixtures/apps/<platform>/ is a small project (its own declarations/)
with a picker feature, a whole-library continuous backup and an on-device face feature, plus
decoys: the same names in comments, strings and dead `#if` blocks, a wrapper function, a
same-named class of the app's own, and aliased imports. The golden files hold every finding
(file:line:column code) and every signal; a line marked `decoy` must never yield either.
After an intended change: `pytest tests/test_check.py --update-golden`, then read the diff.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

from discloser.check.codes import CODES
from discloser.check.languages import EXTENSIONS
from discloser.check.scan import scan_source
from discloser.check.signals import read_pattern_file, shipped_files, shipped_patterns

APPS = FIXTURES / "apps"
PLATFORMS = sorted(p.name for p in APPS.iterdir() if p.is_dir())


def _findings(app: Path, *extra: str) -> list[str]:
    proc = run_cli("check", "--format", "json", *extra, cwd=app)
    assert proc.returncode in (0, 1), proc.stderr
    doc = json.loads(proc.stdout)
    return [f"{f['file']}:{f['line']}:{f['column']} {f['code']}" for f in doc["findings"]]


def _signals(app: Path, env: dict[str, str] | None = None) -> list[str]:
    proc = run_cli("check", "--signals", cwd=app, env=env)
    assert proc.returncode == 0, proc.stderr
    return [
        f"{s['file']}:{s['line']}:{s['column']} {s['kind']} {s['pattern']}"
        for s in json.loads(proc.stdout)["signals"]
    ]


def _golden(request: pytest.FixtureRequest, path: Path, produced: list[str]) -> None:
    if request.config.getoption("--update-golden"):
        path.write_text("\n".join(produced) + "\n", encoding="utf-8")
    expected = path.read_text(encoding="utf-8").splitlines()
    assert produced == expected, f"{path.name} differs: run with --update-golden and read the diff"


def test_every_platform_has_a_fixture() -> None:
    assert set(PLATFORMS) >= {"ios", "android", "flutter", "react-native", "web"}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_findings_match_golden(platform: str, request: pytest.FixtureRequest) -> None:
    _golden(request, APPS / platform / "findings.golden", _findings(APPS / platform))


@pytest.mark.parametrize("platform", PLATFORMS)
def test_signals_match_golden(platform: str, request: pytest.FixtureRequest) -> None:
    _golden(request, APPS / platform / "signals.golden", _signals(APPS / platform))


@pytest.mark.parametrize("platform", PLATFORMS)
def test_no_decoy_is_a_signal_or_a_finding(platform: str) -> None:
    app = APPS / platform
    decoys = {
        f"{path.relative_to(app)}:{n}"
        for path in app.rglob("*")
        if path.is_file() and path.suffix in EXTENSIONS
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "decoy" in line
    }
    assert decoys, "each fixture carries decoys"
    hits = {s.split(" ")[0].rsplit(":", 1)[0] for s in _signals(app) + _findings(app)}
    assert not decoys & hits


def test_the_fixtures_exercise_every_finding_code() -> None:
    seen = set()
    for platform in PLATFORMS:
        seen |= {
            line.split()[-1]
            for line in (APPS / platform / "findings.golden").read_text().splitlines()
        }
    tested_below = {"C101", "C205", "C206", "C401", "C501", "C502"}
    assert set(CODES) - seen <= tested_below, set(CODES) - seen - tested_below


def test_exit_code_is_one_on_errors_and_zero_when_clean(tmp_path: Path) -> None:
    assert run_cli("check", cwd=APPS / "ios").returncode == 1
    project = _project(
        tmp_path,
        {"share/Pick.swift": "import PhotosUI\nlet p = PHPickerViewController(configuration: c)\n"},
    )
    proc = run_cli("check", cwd=project)
    assert proc.returncode == 0, proc.stdout
    assert "0 error(s), 0 warning(s)" in proc.stdout


# ---------------------------------------------------------------- small projects


def _project(tmp_path: Path, files: dict[str, str], declarations: str = "ios") -> Path:
    project = tmp_path / "app"
    shutil.copytree(APPS / declarations / "declarations", project / "declarations")
    for name, text in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    return project


def test_annotation_links_a_call_to_a_feature(tmp_path: Path) -> None:
    src = "import Photos\nfunc f() {\n  // discloser: cloud-backup\n  PHPhotoLibrary.shared().register(self)\n  PHPhotoLibrary.shared().register(self)\n}\n"
    project = _project(tmp_path, {"Sources/Sync.swift": src})
    assert _findings(project) == ["Sources/Sync.swift:5:3 C201"]


def test_unknown_feature_and_bad_annotation(tmp_path: Path) -> None:
    src = "import Photos\nfunc f() {\n  PHAsset.fetchAssets(with: .image, options: nil) // discloser: cloud-backups\n  // discloser: see the backup feature\n  let x = 1\n}\n"
    project = _project(tmp_path, {"Sources/Sync.swift": src})
    assert _findings(project) == ["Sources/Sync.swift:3:3 C205", "Sources/Sync.swift:4:3 C206"]


def test_waiver_needs_a_reason_and_a_known_code(tmp_path: Path) -> None:
    src = (
        "import Photos\nfunc f() {\n"
        "  PHAsset.fetchAssets(with: .image, options: nil) // discloser: waive C201\n"
        "  PHAsset.fetchAssets(with: .image, options: nil) // discloser: waive C999 legacy\n"
        "  PHAsset.fetchAssets(with: .image, options: nil) // discloser: waive undeclared-photo-access migration, removed in 3.0\n"
        "}\n"
    )
    project = _project(tmp_path, {"Sources/Sync.swift": src})
    proc = run_cli("check", "--format", "json", cwd=project)
    doc = json.loads(proc.stdout)
    got = [(f["line"], f["code"]) for f in doc["findings"]]
    assert got == [(3, "C201"), (3, "C501"), (4, "C201"), (4, "C502")]
    assert doc["summary"]["waived"] == 1


def test_privacy_manifest_without_photos_while_uploading(tmp_path: Path) -> None:
    plist = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n'
        "\t<key>NSPrivacyCollectedDataTypes</key>\n\t<array/>\n</dict>\n</plist>\n"
    )
    project = _project(tmp_path, {"App/PrivacyInfo.xcprivacy": plist})
    assert _findings(project) == ["App/PrivacyInfo.xcprivacy:4:2 C401"]


def test_unreadable_manifest_is_located(tmp_path: Path) -> None:
    bad = '<manifest xmlns:android="http://schemas.android.com/apk/res/android">\n  <uses-permission android:name="x"\n'
    project = _project(tmp_path, {"app/src/main/AndroidManifest.xml": bad})
    found = _findings(project)
    assert found == ["app/src/main/AndroidManifest.xml:2:3 C101"]  # the unclosed element


def test_entity_declarations_are_refused(tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE m [<!ENTITY a "aaaaaaaa">]>\n<manifest>&a;</manifest>\n'
    )
    project = _project(tmp_path, {"AndroidManifest.xml": bomb})
    assert [f.split()[-1] for f in _findings(project)] == ["C101"]


def test_sarif_and_github_carry_check_codes() -> None:
    proc = run_cli("check", "--format", "sarif", cwd=APPS / "android")
    assert proc.returncode == 1
    run = json.loads(proc.stdout)["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert ids == sorted(ids) and all(re.fullmatch(r"C\d{3}", i) for i in ids)
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    gh = run_cli("check", cwd=APPS / "android", env={"GITHUB_ACTIONS": "true"})
    assert re.search(
        r"^::error file=app/src/main/AndroidManifest.xml,line=7,col=5,title=C303 ", gh.stdout, re.M
    )


def test_invalid_declarations_stop_the_check(tmp_path: Path) -> None:
    project = _project(tmp_path, {})
    (project / "declarations" / "share-photo.yaml").write_text(
        "discloser: 1\nid: x\n", encoding="utf-8"
    )
    proc = run_cli("check", cwd=project)
    assert proc.returncode == 1
    assert "does not validate" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_missing_app_path_exits_two(tmp_path: Path) -> None:
    project = _project(tmp_path, {})
    proc = run_cli("check", "no/such/app", cwd=project)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "discloser: no/such/app: no such file or folder"


def test_project_patterns_extend_the_shipped_ones(tmp_path: Path) -> None:
    extra = tmp_path / "patterns.yaml"
    extra.write_text(
        "platform: ios\nlanguages: [swift]\npatterns:\n  - id: lumen.library.gallery-kit\n"
        "    kind: library_read\n    chain: GalleryKit.loadAll\n    doc: Our wrapper SDK reads the library.\n"
        "    test: {match: 'GalleryKit.loadAll()', no_match: '// GalleryKit.loadAll()'}\n",
        encoding="utf-8",
    )
    project = _project(tmp_path, {"Share/Gallery.swift": "func f() { GalleryKit.loadAll() }\n"})
    assert _findings(project, "--patterns", str(extra)) == ["Share/Gallery.swift:1:12 C202"]
    extra.write_text(
        "platform: ios\nlanguages: [swift]\npatterns:\n  - id: x\n    kinds: picker\n",
        encoding="utf-8",
    )
    proc = run_cli("check", "--patterns", str(extra), cwd=project)
    assert proc.returncode == 2 and str(extra) in proc.stderr


def test_signals_are_the_same_with_one_and_many_workers(tmp_path: Path) -> None:
    project = _project(tmp_path, {}, "android")
    src = APPS / "android" / "app" / "src" / "main" / "java" / "com" / "example" / "lumen"
    for i in range(120):  # past parallel.PARALLEL_FROM files, so the workers really run
        for path in src.rglob("*.*"):
            target = project / f"m{i:03d}" / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    one = _signals(project, {"DISCLOSER_WORKERS": "1"})
    many = _signals(project, {"DISCLOSER_WORKERS": "2"})
    assert len(one) > 400
    assert one == many


def test_rules_lists_the_check_codes() -> None:
    out = run_cli("rules").stdout
    for c in CODES.values():
        assert re.search(rf"^{c.code}  {c.severity.value}\s+{c.name} ", out, re.M)


@pytest.mark.parametrize("code", list(CODES.values()), ids=lambda c: c.code)
def test_every_check_code_is_documented(code: object) -> None:
    c = code
    assert re.fullmatch(r"C[1-5]\d\d", c.code)  # type: ignore[attr-defined]
    assert c.summary.endswith(".") and c.hint and "Example" in c.doc  # type: ignore[attr-defined]


# ---------------------------------------------------------------- the pattern files' own tests


PATTERN_TESTS = [
    (spec, p)
    for path in shipped_files()
    for spec in [read_pattern_file(path)]
    for p in spec.patterns
]


@pytest.mark.parametrize("case", PATTERN_TESTS, ids=lambda c: c[1].id)
def test_pattern_examples(case: object) -> None:
    spec, p = case  # type: ignore[misc]
    language = p.test.language or spec.languages[0]
    pats = shipped_patterns()
    found = [s.pattern for s in scan_source("t", language, p.test.match.encode(), pats).signals]
    assert p.id in found, f"{p.id}: its match example gives {found}"
    found = [s.pattern for s in scan_source("t", language, p.test.no_match.encode(), pats).signals]
    assert p.id not in found, f"{p.id}: its no_match example gives it"


def test_pattern_ids_are_unique_across_files() -> None:
    ids = [p.id for _, p in PATTERN_TESTS]
    assert len(ids) == len(set(ids))


def test_ci_script_writes_sarif_and_annotations(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from conftest import ROOT

    app = tmp_path / "android"
    shutil.copytree(APPS / "android", app)
    env = {**os.environ, "GITHUB_ACTIONS": "true", "DISCLOSER": f"{sys.executable} -m discloser"}
    proc = subprocess.run(
        ["bash", str(ROOT / "ci" / "check.sh")],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    sarif = json.loads((app / "discloser-check.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    assert "::error file=app/src/main/AndroidManifest.xml,line=7,col=5,title=C303" in proc.stdout


def test_action_and_pre_commit_run_check() -> None:
    import yaml
    from conftest import ROOT

    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    steps = [s.get("run", "") for s in action["runs"]["steps"]]
    assert any("ci/check.sh" in s for s in steps)
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "discloser-check")
    assert hook["entry"] == "discloser check"
    assert re.search(hook["files"], "ios/App/Sync.swift") and re.search(
        hook["files"], "android/app/src/main/AndroidManifest.xml"
    )


def test_expo_app_config_is_read_without_running_it(tmp_path: Path) -> None:
    config = (
        "export default {\n"
        "  expo: {\n"
        "    plugins: [['expo-media-library', { isAccessMediaLocationEnabled: true }]],\n"
        "    ios: { infoPlist: { NSPhotoLibraryUsageDescription: 'Lumen backs up your photos.' } },\n"
        "    android: { permissions: ['android.permission.READ_MEDIA_IMAGES'] },\n"
        "  },\n"
        "};\n"
    )
    project = _project(tmp_path, {"app.config.ts": config})
    assert _findings(project) == ["app.config.ts:3:16 C303", "app.config.ts:4:25 C304"]


def test_arbitrary_bytes_never_crash_the_check(tmp_path: Path) -> None:
    junk = bytes(range(256)) * 8 + b"PHAsset.fetchAssets(\xff\xfe discloser: \x00"
    project = _project(tmp_path, {})
    for name in (
        "Sources/Junk.swift",
        "Sources/Junk.kt",
        "src/junk.tsx",
        "lib/junk.dart",
        "Info.plist",
        "AndroidManifest.xml",
        "app.json",
        "PrivacyInfo.xcprivacy",
        "app.config.js",
    ):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_bytes(junk)
    proc = run_cli("check", "--format", "json", cwd=project)
    assert proc.returncode == 1, proc.stderr
    codes = [f["code"] for f in json.loads(proc.stdout)["findings"]]
    assert codes.count("C101") >= 3


def test_app_option_holds_the_committed_store_files_against_the_store_answers(
    tmp_path: Path,
) -> None:
    # cloud-backup uploads and keeps photos, so the App Store answers must list them; the
    # committed fastlane file says nothing is collected.
    project = _project(
        tmp_path,
        {
            "discloser.toml": '[[apps]]\nname = "lumen"\nplatforms = ["ios"]\n',
            "fastlane/app_privacy_details.json": '[{"data_protections": ["DATA_NOT_COLLECTED"]}]\n',
        },
    )
    without = run_cli("check", "--format", "json", cwd=project)
    assert not [f for f in json.loads(without.stdout)["findings"] if f["code"].startswith("S")]
    proc = run_cli("check", "--app", "lumen", "--format", "json", cwd=project)
    assert proc.returncode == 1, proc.stderr
    found = [f for f in json.loads(proc.stdout)["findings"] if f["code"].startswith("S")]
    assert found, proc.stdout
    assert {f["file"] for f in found} == {"fastlane/app_privacy_details.json"}
    assert any("PHOTOS_OR_VIDEOS" in f["message"] for f in found), found
    assert all(f["line"] >= 1 and f["column"] >= 1 for f in found)
    unknown = run_cli("check", "--app", "nope", cwd=project)
    assert unknown.returncode == 2 and "nope" in unknown.stderr
