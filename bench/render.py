"""Render benchmark: `discloser render` of 1,000 features in 3 locales, against `validate`.

What is measured: wall time of fresh processes (median of --repeat runs) for `discloser
validate DIR` and `discloser render DIR --out OUT` on the same tree, the per-feature cost, and
the ratio render / validate. Both are measured in the same run, so the ratio holds across
machines where absolute times drift. Target (issue 3): render <= 2x validate.

Render validates and writes in one pass (each file parsed once): 21 files in 9 folders per
feature at 3 locales. Creating a file costs far more on some disks than validating a
declaration does, so the run also measures a write floor: a bare process that creates the
same folders and files with the same bytes. "render / (validate + write floor)" shows what
rendering itself adds; the files and folders per feature are printed with it.

The tree is the seven shipped examples (each in en, fr and ar) copied under new ids, so the
text, translations and answers are realistic. Never asserts: it reports.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TARGET = 2.0

# A fresh process that recreates the tree argv[1] under argv[2]: folders and files, same bytes;
# it prints the seconds spent creating them (reading the source is not counted).
WRITE_FLOOR = """
import os, sys, time
src, dst = sys.argv[1], sys.argv[2]
blobs = []
for folder, dirs, files in os.walk(src):
    dirs.sort()
    rel = os.path.relpath(folder, src)
    blobs.append((rel, [(f, open(os.path.join(folder, f), "rb").read()) for f in sorted(files)]))
start = time.perf_counter()
for rel, files in blobs:
    target = os.path.normpath(os.path.join(dst, rel))
    os.makedirs(target, exist_ok=True)
    for name, data in files:
        with open(os.path.join(target, name), "wb") as out:
            out.write(data)
print(time.perf_counter() - start)
"""


def generate(folder: Path, n: int) -> None:
    examples = sorted((ROOT / "declarations").glob("*.yaml"))
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        source = examples[i % len(examples)]
        new_id = f"{source.stem}-{i:05d}"
        text = source.read_text(encoding="utf-8").replace(
            f"id: {source.stem}\n", f"id: {new_id}\n", 1
        )
        (folder / f"{new_id}.yaml").write_text(text, encoding="utf-8")


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(
            f"{' '.join(argv[:5])} exited {proc.returncode}: {proc.stderr.decode()[-400:]}"
        )
    return wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--features", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="discloser-render-bench-", dir=ROOT / "bench") as tmp:
        tree = Path(tmp, "declarations")
        generate(tree, args.features)
        out = Path(tmp, "out")
        validate = [PYTHON, "-m", "discloser", "validate", str(tree), "--format", "json"]

        def render(folder: Path) -> list[str]:
            return [PYTHON, "-m", "discloser", "render", str(tree), "--out", str(folder)]

        # Each render writes a fresh folder, as the write floor does; replacing a previous
        # output (which deletes it) is timed on its own, after.
        times: dict[str, list[float]] = {"validate": [], "render": []}
        for rep in range(args.repeat):
            for which in ("validate", "render") if rep % 2 == 0 else ("render", "validate"):
                if which == "validate":
                    times[which].append(timed(validate))
                else:
                    shutil.rmtree(out, ignore_errors=True)
                    times[which].append(timed(render(out)))
        replace = timed(render(out))
        files = sum(1 for p in out.rglob("*") if p.is_file())
        folders = sum(1 for p in out.rglob("*") if p.is_dir())
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        floors = []
        for rep in range(args.repeat):
            copy = Path(tmp, f"copy{rep}")
            argv_floor = [PYTHON, "-c", WRITE_FLOOR, str(out), str(copy)]
            done = subprocess.run(argv_floor, capture_output=True, text=True, check=True)
            floors.append(float(done.stdout))
            shutil.rmtree(copy, ignore_errors=True)
    v, r = statistics.median(times["validate"]), statistics.median(times["render"])
    w = statistics.median(floors)
    ratio = r / v
    verdict = "met" if ratio <= TARGET else "**MISSED**"
    n = args.features
    print(
        f"## discloser render vs validate ({n:,} features x 3 locales, median of {args.repeat})\n"
    )
    print("| command | wall s | ms per feature |")
    print("|---|---:|---:|")
    print(f"| validate | {v:.2f} | {v / n * 1000:.2f} |")
    print(f"| render | {r:.2f} | {r / n * 1000:.2f} |")
    print(f"| write floor: the same files from a bare loop | {w:.2f} | {w / n * 1000:.2f} |")
    print(
        f"| render over its previous output (deletes it) | {replace:.2f} "
        f"| {replace / n * 1000:.2f} |"
    )
    print(
        f"\nRatio render / validate: {ratio:.2f}, {verdict} (target <= {TARGET:.0f}). "
        f"Render / (validate + write floor): {r / (v + w):.2f}. "
        f"Output: {files:,} files and {folders:,} folders ({files / n:.0f} and "
        f"{folders / n:.0f} per feature), {size / 2**20:.1f} MiB."
    )
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    record = {"features": n, "times": times, "write_floor": floors, "ratio": ratio}
    record |= {"replace": replace}
    record |= {"files": files, "folders": folders, "bytes": size}
    (results / "render.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
