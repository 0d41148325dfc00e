"""Shared helpers: run the CLI the way a pipeline does, and build declarations from a base."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
BASE = FIXTURES / "base.yaml"


def run_cli(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    stdin: bytes | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m discloser ARGS`` as a separate process; never raises on a non-zero exit."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR")}
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "discloser", *args],
        cwd=cwd or ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout, proc.stdout
    return proc


def findings_of(proc: subprocess.CompletedProcess[str]) -> list[tuple[int, int, str]]:
    """``(line, column, code)`` of each finding in a ``--format json`` run."""
    doc = json.loads(proc.stdout)
    return [(f["line"], f["column"], f["code"]) for f in doc["findings"]]


def base_data() -> dict[str, Any]:
    """The base declaration as plain data (safe to load with PyYAML: it holds no 1.1 traps)."""
    data: dict[str, Any] = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    data["effective"] = str(data["effective"])
    return data


def overlay(base: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    """``base`` with each top-level key of ``change`` replaced whole (examples show whole sections)."""
    return {**base, **change}


def dump(data: dict[str, Any]) -> str:
    """YAML that means under YAML 1.2 what ``data`` holds (PyYAML quotes every 1.1 trap)."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a declaration text into a fresh folder and return its path."""

    def _write(text: str, name: str = "restyle-one-photo.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write
