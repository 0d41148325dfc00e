"""The command line as a release pipeline meets it: a separate process, exit codes, output shapes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from conftest import BASE, ROOT, findings_of, run_cli

import discloser

BAD = (
    BASE.read_text(encoding="utf-8")
    .replace("summary: Turns", "summary: We may turn")
    .replace("targeting: false", "targeting: true")
)


def test_version() -> None:
    proc = run_cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"discloser {discloser.__version__}"


def test_valid_file_exits_zero(write: Callable[..., Path]) -> None:
    proc = run_cli("validate", str(write(BASE.read_text(encoding="utf-8"))))
    assert proc.returncode == 0, proc.stdout
    assert "0 error(s), 0 warning(s)" in proc.stdout


def test_errors_exit_one_with_located_text_lines(write: Callable[..., Path]) -> None:
    path = write(BAD)
    proc = run_cli("validate", str(path))
    assert proc.returncode == 1
    assert f"{path}:36:14: error D311" in proc.stdout
    assert f"{path}:6:13: warning D704" in proc.stdout
    assert "\x1b[" not in proc.stdout  # piped: no colour


def test_warnings_fail_only_with_strict(write: Callable[..., Path]) -> None:
    path = write(BASE.read_text(encoding="utf-8").replace("summary: Turns", "summary: We may turn"))
    assert run_cli("validate", str(path)).returncode == 0
    assert run_cli("validate", "--strict", str(path)).returncode == 1


def test_json_shape(write: Callable[..., Path]) -> None:
    path = write(BAD)
    proc = run_cli("validate", "--format", "json", str(path))
    doc = json.loads(proc.stdout)
    assert doc["summary"] == {"files": 1, "errors": 2, "warnings": 1, "waived": 0}
    first = doc["findings"][0]
    assert set(first) >= {"file", "line", "column", "code", "severity", "message"}
    assert first["file"] == str(path)
    assert findings_of(proc) == [(6, 13, "D704"), (36, 14, "D311"), (39, 10, "D401")]


def test_paths_stay_as_given(tmp_path: Path) -> None:
    folder = tmp_path / "decl"
    folder.mkdir()
    (folder / "restyle-one-photo.yaml").write_text(BAD, encoding="utf-8")
    proc = run_cli("validate", "--format", "json", "decl", cwd=tmp_path)
    files = {f["file"] for f in json.loads(proc.stdout)["findings"]}
    assert files == {"decl/restyle-one-photo.yaml"}


def test_sarif_is_2_1_0_with_rules_and_regions(write: Callable[..., Path]) -> None:
    proc = run_cli("validate", "--format", "sarif", str(write(BAD)))
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    # every code that can appear has its own entry, the new D313 and D707 and D704 included
    from discloser.findings import BUILTIN_CHECKS
    from discloser.rules.registry import all_rules

    ids = [r["id"] for r in rules]
    assert ids == sorted({*all_rules(), *BUILTIN_CHECKS})
    assert {"D311", "D401", "D704", "D313", "D707", "D101", "D202"} <= set(ids)
    assert {r["id"]: r["defaultConfiguration"]["level"] for r in rules}["D707"] == "warning"
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning")
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_github_annotations_chosen_by_environment(write: Callable[..., Path]) -> None:
    path = write(BAD)
    proc = run_cli("validate", str(path), env={"GITHUB_ACTIONS": "true"})
    lines = [x for x in proc.stdout.splitlines() if x.startswith("::")]
    assert len(lines) == 3
    assert re.match(rf"::error file={re.escape(str(path))},line=36,col=14,title=D311 ", lines[1])
    assert run_cli(
        "validate", "--format", "text", str(path), env={"GITHUB_ACTIONS": "true"}
    ).stdout.startswith(str(path))


def test_missing_path_exits_two_with_one_line() -> None:
    proc = run_cli("validate", "no/such/folder")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "discloser: no/such/folder: no such file or folder"


def test_bad_usage_exits_two() -> None:
    assert run_cli("validate", "--format", "xml").returncode == 2
    assert run_cli("no-such-command").returncode == 2


def test_unreadable_input_exits_two(tmp_path: Path) -> None:
    link = tmp_path / "gone.yaml"
    link.symlink_to(tmp_path / "missing.yaml")
    proc = run_cli("validate", str(link))
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"discloser: {link}: broken symbolic link"


def test_default_folder_is_declarations(tmp_path: Path) -> None:
    (tmp_path / "declarations").mkdir()
    (tmp_path / "declarations" / "restyle-one-photo.yaml").write_text(BAD, encoding="utf-8")
    proc = run_cli("validate", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["summary"]["files"] == 1


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    text = BASE.read_text(encoding="utf-8")
    (tmp_path / "restyle-one-photo.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "restyle-two.yaml").write_text(text, encoding="utf-8")
    proc = run_cli("validate", "--format", "json", str(tmp_path))
    found = {(Path(f["file"]).name, f["code"]) for f in json.loads(proc.stdout)["findings"]}
    assert found == {("restyle-two.yaml", "D320"), ("restyle-two.yaml", "D321")}
    assert proc.returncode == 1


def test_symlink_outside_tree_is_reported(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    tree = tmp_path / "decl"
    tree.mkdir()
    (tree / "restyle-one-photo.yaml").symlink_to(outside)
    proc = run_cli("validate", "--format", "json", str(tree))
    assert findings_of(proc) == [(1, 1, "D111")]
    assert proc.returncode == 1


def test_schema_prints_committed_schema() -> None:
    proc = run_cli("schema")
    assert proc.returncode == 0
    assert proc.stdout == (ROOT / "schema" / "declaration.schema.json").read_text(encoding="utf-8")


def test_rules_lists_every_code() -> None:
    from discloser.findings import BUILTIN_CHECKS
    from discloser.rules.registry import all_rules

    proc = run_cli("rules")
    assert proc.returncode == 0
    listed = set(re.findall(r"^(D\d{3})  ", proc.stdout, re.M))
    assert listed == set(all_rules()) | set(BUILTIN_CHECKS)


def test_init_scaffold_fails_until_answered(tmp_path: Path) -> None:
    proc = run_cli("init", "night-mode", "--dir", "decl", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    target = tmp_path / "decl" / "night-mode.yaml"
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    checked = run_cli("validate", "--format", "json", str(target))
    assert checked.returncode == 1
    codes = {c for _, _, c in findings_of(checked)}
    assert codes == {"D208"}, codes
    assert len(findings_of(checked)) == text.count("TODO") - 1  # the comment line says "TODO" once
    again = run_cli("init", "night-mode", "--dir", "decl", cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr
    assert run_cli("init", "Bad Id", "--dir", "decl", cwd=tmp_path).returncode == 2


def test_validate_imports_no_templating_or_site_code(write: Callable[..., Path]) -> None:
    import subprocess
    import sys

    path = write(BASE.read_text(encoding="utf-8"))
    code = (
        "import sys\nfrom discloser.cli import main\nsys.argv=['discloser','validate',sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jinja2','mkdocs','markdown_it')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_folder_without_declarations_exits_two(tmp_path: Path) -> None:
    proc = run_cli("validate", str(tmp_path))
    assert proc.returncode == 2
    assert "no declarations" in proc.stderr
