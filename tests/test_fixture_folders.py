"""Every file in fixtures/valid passes; every file in fixtures/invalid fails exactly as its header says.

Add a case by adding a file: ``# expect: LINE:COLUMN CODE`` lines at the top list the findings.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

VALID = sorted((FIXTURES / "valid").glob("*.yaml"))
INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))


def _findings(path: Path) -> tuple[int, list[tuple[int, int, str]]]:
    proc = run_cli("validate", "--format", "json", str(path))
    doc = json.loads(proc.stdout)
    return proc.returncode, [(f["line"], f["column"], f["code"]) for f in doc["findings"]]


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_fixture_passes(path: Path) -> None:
    assert _findings(path) == (0, [])


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_fails_where_it_says(path: Path) -> None:
    header = re.findall(r"^# expect: (\d+):(\d+) (D\d{3})$", path.read_text(encoding="utf-8"), re.M)
    assert header, f"{path.name} needs '# expect: LINE:COLUMN CODE' lines"
    expected = [(int(line), int(col), code) for line, col, code in header]
    assert _findings(path) == (1, expected)
