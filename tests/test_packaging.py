"""Shipped templates are found from a wheel, from an editable install, and overridden by a project."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

OVERRIDE = """{% extends "default:declaration.j2.yaml" %}
{% block company %}
owner: photos-platform@lumen.example
controller: Lumen Photos Ltd
{% endblock %}
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [built] = out.glob("discloser-*.whl")
    return built


def test_wheel_ships_templates_and_entry_point(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "discloser/templates/declaration.j2.yaml" in names
    # the rules' data: the claims table and the free-text word lists
    assert "discloser/rules/claims.toml" in names
    assert {"discloser/rules/words/en.toml", "discloser/rules/words/fr.toml"} <= set(names)
    assert "discloser/rules/words/ar.toml" in names
    assert "discloser/check/patterns/ios.yaml" in names  # check's signal patterns are data
    assert "discloser/check/patterns/expo/plugins.yaml" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "discloser = discloser.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_installed_wheel_scaffolds_from_its_own_templates(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site-packages"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run(
        [sys.executable, "-c", "import discloser; print(discloser.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert where.stdout.strip().startswith(str(target))
    made = subprocess.run(
        [sys.executable, "-m", "discloser", "init", "from-wheel", "--dir", "decl"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    assert "id: from-wheel" in (tmp_path / "decl" / "from-wheel.yaml").read_text(encoding="utf-8")


def test_editable_install_uses_the_source_tree() -> None:
    import discloser

    assert Path(discloser.__file__).resolve().is_relative_to(ROOT)


def test_project_templates_override_one_block(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "declaration.j2.yaml").write_text(OVERRIDE, encoding="utf-8")
    proc = run_cli("init", "night-mode", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "declarations" / "night-mode.yaml").read_text(encoding="utf-8")
    assert "controller: Lumen Photos Ltd" in text
    assert "controller: TODO" not in text
    assert "face_analysis: TODO" in text  # the rest still comes from the shipped template


def test_broken_override_is_a_located_usage_error(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "declaration.j2.yaml").write_text(
        "{% block company %}\n", encoding="utf-8"
    )
    proc = run_cli("init", "night-mode", cwd=tmp_path)
    assert proc.returncode == 2
    assert "declaration.j2.yaml:" in proc.stderr and "internal error" not in proc.stderr
    assert not (tmp_path / "declarations" / "night-mode.yaml").exists()
