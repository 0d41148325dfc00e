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


# ------------------------------------------------------------------------------ browser

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser() -> Any:
    """Headless Debian Chromium through Playwright; a missing browser fails under CI."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (make test installs Debian's chromium when run as root)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield instance
        instance.close()


class Server:
    """A static file server on 127.0.0.1 that mounts a folder under a sub-path, and logs requests."""

    def __init__(
        self, root: Path, prefix: str = "/", headers: dict[str, str] | None = None
    ) -> None:
        import http.server
        import threading
        from functools import partial

        self.root, self.prefix, self.requests = root, prefix.rstrip("/") + "/", []
        extra = headers or {}
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def translate_path(self, path: str) -> str:
                server.requests.append(path)
                if not path.startswith(server.prefix):
                    return str(root / "__outside_prefix__")
                return super().translate_path("/" + path[len(server.prefix) :])

            def end_headers(self) -> None:
                for k, v in extra.items():
                    self.send_header(k, v)
                super().end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), partial(Handler, directory=str(root))
        )
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}{self.prefix}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as loaded (axe ships inside axe-playwright-python)."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result.response["violations"]
    ]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden from the current output (review the diff before committing)",
    )
