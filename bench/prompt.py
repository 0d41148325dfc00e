"""Consent prompt weight and start-up, against the three cookie banners people reach for.

Weight: JS + CSS of our prompt as shipped, gzip -9 and brotli (quality 11), next to Osano
cookieconsent 3.1.1, vanilla-cookieconsent 3.1.0 and Klaro 0.7.22, each fetched from the npm
registry into a temporary folder in the same run (`npm pack`), measured the same way. Target
(issue 4): JS + CSS <= 4 KB gzip, half the smallest peer, while doing more (receipts, i18n,
RTL, strict CSP, focus handling).

Start-up: time from the prompt script's fetch starting to a visible dialog with focus inside,
measured in headless Chromium (the browser's own clocks), median of --loads page loads of a
rendered demo page served under the strict CSP. Reports; never asserts.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

PEERS = {
    "Osano cookieconsent 3.1.1": (
        "cookieconsent@3.1.1",
        ["package/build/cookieconsent.min.js", "package/build/cookieconsent.min.css"],
    ),
    "vanilla-cookieconsent 3.1.0": (
        "vanilla-cookieconsent@3.1.0",
        ["package/dist/cookieconsent.umd.js", "package/dist/cookieconsent.css"],
    ),
    "Klaro 0.7.22": ("klaro@0.7.22", ["package/dist/klaro.js"]),  # CSS and translations inside
}
TARGET = 4096
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "require-trusted-types-for 'script'; trusted-types 'none'"
)


def sizes(blobs: list[bytes]) -> tuple[int, int | None, int]:
    raw = sum(len(b) for b in blobs)
    gz = sum(len(gzip.compress(b, compresslevel=9, mtime=0)) for b in blobs)
    try:
        import brotli  # type: ignore[import-not-found]

        br: int | None = sum(len(brotli.compress(b, quality=11)) for b in blobs)
    except ImportError:
        br = None
    return raw, br, gz


def peers(folder: Path) -> dict[str, list[bytes]]:
    specs = [spec for spec, _ in PEERS.values()]
    subprocess.run(
        ["npm", "pack", "--silent", *specs],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=300,
    )
    out = {}
    for name, (spec, members) in PEERS.items():
        package, version = spec.rsplit("@", 1)
        with tarfile.open(folder / f"{package}-{version}.tgz") as archive:
            out[name] = [archive.extractfile(m).read() for m in members]  # type: ignore[union-attr]
    return out


def startup(loads: int) -> list[float]:
    from conftest import CHROMIUM, CHROMIUM_ARGS, Server
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp, "out")
        subprocess.run(
            [sys.executable, "-m", "discloser", "render", "declarations", "--out", str(out)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        server = Server(
            out, prefix="/b/", headers={"Content-Security-Policy": CSP, "Cache-Control": "no-store"}
        )
        times = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for _ in range(loads):
                ctx = browser.new_context()
                ctx.add_init_script(
                    "new MutationObserver(() => { const d = document.querySelector('dialog[open]');"
                    " if (d && d.contains(document.activeElement) && !window.__ready) window.__ready = performance.now(); })"
                    ".observe(document, {subtree: true, childList: true, attributes: true});"
                )
                page = ctx.new_page()
                page.goto(server.base + "camera-roll-suggestions/demo.en.html")
                for _ in range(200):
                    if page.evaluate("window.__ready || 0"):
                        break
                    page.wait_for_timeout(10)
                start = page.evaluate(
                    "performance.getEntriesByType('resource').find(e => e.name.includes('discloser-prompt') && e.name.endsWith('.js')).startTime"
                )
                times.append(page.evaluate("window.__ready") - start)
                ctx.close()
            browser.close()
        server.close()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=15)
    args = parser.parse_args(argv)
    static = ROOT / "discloser" / "static"
    ours = [
        (static / "discloser-prompt.js").read_bytes(),
        (static / "discloser-prompt.css").read_bytes(),
    ]
    rows = {"discloser prompt (JS + CSS)": sizes(ours)}
    with tempfile.TemporaryDirectory() as tmp:
        try:
            for name, blobs in peers(Path(tmp)).items():
                rows[name] = sizes(blobs)
        except (subprocess.SubprocessError, OSError) as exc:
            print(f"(peers not measured: npm failed: {exc})")
    print("## Consent prompt weight (bytes)\n")
    print("| | raw | brotli 11 | gzip -9 |")
    print("|---|---:|---:|---:|")
    for name, (raw, br, gz) in rows.items():
        print(
            f"| {name} | {raw:,} | {br if br is not None else 'n/a':,} | {gz:,} |"
            if br is not None
            else f"| {name} | {raw:,} | n/a | {gz:,} |"
        )
    gz = rows["discloser prompt (JS + CSS)"][2]
    print(
        f"\nOurs: {gz:,} bytes gzip -9, {'met' if gz <= TARGET else '**MISSED**'} (target <= {TARGET:,})."
    )
    times = startup(args.loads)
    print(
        f"\nScript fetch start to a visible dialog with focus inside: median {statistics.median(times):.1f} ms "
        f"(min {min(times):.1f}, max {max(times):.1f}; {len(times)} loads, headless Chromium, localhost)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
