"""Rule levels and settings from [tool.discloser] or discloser.toml, found like ruff finds its own."""

from __future__ import annotations

from pathlib import Path

from conftest import BASE, findings_of, run_cli

HEDGED = BASE.read_text(encoding="utf-8").replace("summary: Turns", "summary: We may turn")


def _project(tmp_path: Path, config_name: str, config: str) -> Path:
    (tmp_path / config_name).write_text(config, encoding="utf-8")
    folder = tmp_path / "declarations"
    folder.mkdir()
    (folder / "restyle-one-photo.yaml").write_text(HEDGED, encoding="utf-8")
    return folder


def test_pyproject_switches_a_rule_off_by_name(tmp_path: Path) -> None:
    _project(tmp_path, "pyproject.toml", '[tool.discloser.rules]\nvague-hedge = "off"\n')
    proc = run_cli("validate", "--format", "json", cwd=tmp_path)
    assert findings_of(proc) == []


def test_discloser_toml_raises_a_rule_to_error(tmp_path: Path) -> None:
    _project(tmp_path, "discloser.toml", '[rules]\nD704 = "error"\n')
    proc = run_cli("validate", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1
    assert findings_of(proc) == [(6, 13, "D704")]  # at the word "may"


def test_config_is_found_from_a_subfolder(tmp_path: Path) -> None:
    folder = _project(tmp_path, "discloser.toml", '[rules]\nD704 = "off"\n')
    proc = run_cli("validate", "--format", "json", ".", cwd=folder)
    assert findings_of(proc) == []


def test_settings_change_thresholds(tmp_path: Path) -> None:
    text = BASE.read_text(encoding="utf-8").replace("retention: P1D", "retention: P6M")
    (tmp_path / "restyle-one-photo.yaml").write_text(text, encoding="utf-8")
    assert findings_of(run_cli("validate", "--format", "json", ".", cwd=tmp_path)) == []
    (tmp_path / "discloser.toml").write_text('retention-ceiling = "P90D"\n', encoding="utf-8")
    assert findings_of(run_cli("validate", "--format", "json", ".", cwd=tmp_path)) == [
        (31, 14, "D502")
    ]


def test_explicit_config_option(tmp_path: Path) -> None:
    folder = _project(tmp_path, "other.toml", '[rules]\nD704 = "off"\n')
    assert findings_of(run_cli("validate", "--format", "json", str(folder), cwd=tmp_path)) != []
    proc = run_cli(
        "validate", "--format", "json", "--config", "other.toml", str(folder), cwd=tmp_path
    )
    assert findings_of(proc) == []


def test_unknown_rule_or_setting_refuses_to_run(tmp_path: Path) -> None:
    _project(tmp_path, "discloser.toml", '[rules]\nD7O4 = "off"\n')
    proc = run_cli("validate", cwd=tmp_path)
    assert proc.returncode == 2
    assert "unknown rule 'D7O4'" in proc.stderr
    (tmp_path / "discloser.toml").write_text("reading-grades = 8\n", encoding="utf-8")
    proc = run_cli("validate", cwd=tmp_path)
    assert proc.returncode == 2 and "unknown setting 'reading-grades'" in proc.stderr
    (tmp_path / "discloser.toml").write_text("[rules\n", encoding="utf-8")
    assert run_cli("validate", cwd=tmp_path).returncode == 2
