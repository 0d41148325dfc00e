"""Golden files: every rendered artefact of every example, reviewed as plain-text diffs.

After an intended change: ``pytest tests/test_golden.py --update-golden``, then read
``git diff tests/golden`` before committing it.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

GOLDEN = ROOT / "tests" / "golden"


def _files(folder: Path) -> dict[str, Path]:
    return {
        str(p.relative_to(folder)): p
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".discloser-output"
    }


def test_render_matches_golden_files(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    out = tmp_path / "out"
    proc = run_cli("render", "declarations", "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN, ignore=shutil.ignore_patterns(".discloser-output"))
        pytest.skip("golden files rewritten: review `git diff tests/golden`")
    produced, expected = _files(out), _files(GOLDEN)
    assert sorted(produced) == sorted(expected), "files added or missing: run with --update-golden"
    changed = []
    for name, path in expected.items():
        want = path.read_text(encoding="utf-8")
        got = produced[name].read_text(encoding="utf-8")
        if want != got:
            diff = difflib.unified_diff(
                want.splitlines(),
                got.splitlines(),
                f"golden/{name}",
                f"now/{name}",
                lineterm="",
                n=1,
            )
            changed.append("\n".join(list(diff)[:40]))
    assert not changed, "\n\n".join(changed[:5])
