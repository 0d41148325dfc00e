"""Site benchmark: `discloser build` at 10, 100, 1,000 and 10,000 features x 3 locales.

What is measured, per size, in fresh processes:

- the full build (`discloser build DIR --out OUT`): wall time, peak memory (the largest
  resident set of any process of the build, mkdocs children included), output size, pages,
  median and largest page HTML size, the largest search index a page fetches
  (`search/search_index.json`, one per locale), and time per page against the 100-feature
  time per page;
- a no-change rebuild (the same command again) against the full build;
- up to --compare-up-to features (1,000 by default: the naive build is quadratic), the site
  builder alone on the staged projects, as discloser stages them (a constant navigation;
  feature pages reached from paged index tables), next to a naive build of the same pages
  where every feature page is listed in the navigation (what mkdocs-material sites usually
  do). Both run through the same builder, in the same run, on the same machine.

Targets at 1,000 x 3 (issue 6): median page HTML <= 100 KB; time per page <= 1.5x the
100-feature time per page; no-change rebuild <= 5 % of a full build. At 10,000 x 3 (issue 13):
median and largest page <= 100 KB; time per page <= 1.2x the 100-feature figure; peak memory
<= 1 GiB.

The trees are the seven shipped examples (each in en, fr and ar) copied under new ids, as
bench/render.py does. Never asserts: it reports, and writes bench/results/site.json.
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TARGET_PAGE_KB = 100
TARGET_PER_PAGE = 1.5
TARGET_NO_CHANGE = 0.05
TARGET_PER_PAGE_10K = 1.2
TARGET_PEAK_MIB = 1024

# Runs argv[1:] and prints the largest resident set (KiB) of any process it waited for.
PEAK = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
if code.returncode:
    sys.stderr.write(code.stderr.decode()[-600:])
    raise SystemExit(code.returncode)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""

# Stages the site of argv[1] into argv[2] (projects kept, nothing built), then makes a naive
# twin of each locale's project under argv[2]/naive/<locale> with every feature page in nav.
STAGE = """
import json, shutil, sys
from pathlib import Path
import yaml
from discloser.site import build, builder
from discloser.site.project import SOURCE

builder.build = lambda jobs, epoch, parallel: None
rmtree = shutil.rmtree
shutil.rmtree = lambda *a, **k: None
stage = Path(sys.argv[2])
from discloser.config import Settings
report, epoch = build.stage_site([sys.argv[1]], Settings(), stage, None, [])
assert epoch is not None, report
shutil.rmtree = rmtree
for project in sorted((stage / SOURCE).iterdir()):
    naive = stage / "naive" / project.name
    shutil.copytree(project, naive)
    config = yaml.safe_load((naive / "mkdocs.yml").read_text(encoding="utf-8"))
    pages = sorted(str(p.relative_to(naive / "docs")) for p in (naive / "docs" / "features").glob("*.md"))
    config["nav"].insert(3, {"Features": pages})
    del config["not_in_nav"]
    (naive / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
print(json.dumps({"epoch": epoch, "locales": sorted(p.name for p in (stage / SOURCE).iterdir())}))
"""

# Builds the projects named on the command line with discloser's builder (argv: epoch, then
# pairs of project folder and site folder).
BUILD = """
import sys
from pathlib import Path
from discloser.parallel import workers
from discloser.site import builder
args = sys.argv[2:]
jobs = [builder.Job(Path(a).name, Path(a) / "mkdocs.yml", Path(b)) for a, b in zip(args[::2], args[1::2])]
builder.build(jobs, int(sys.argv[1]), workers())
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


def measured(argv: list[str], cwd: Path = ROOT) -> tuple[float, int]:
    """Wall seconds and peak resident KiB of ``argv`` and everything it runs."""
    start = time.perf_counter()
    done = subprocess.run(
        [PYTHON, "-c", PEAK, *argv], cwd=cwd, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:6])} exited {done.returncode}: {done.stderr[-600:]}")
    return wall, int(done.stdout.strip().splitlines()[-1])


def site_stats(folder: Path) -> dict[str, Any]:
    """Pages are every HTML file but the prompt's snippet (``embed.html``); the median is over
    the locales' pages (the mkdocs sites), the largest over every page, demos included."""
    pages = sorted(
        (p.stat().st_size, str(p.relative_to(folder)))
        for p in folder.rglob("*.html")
        if p.name != "embed.html"
    )
    sites = [size for size, path in pages if not path.startswith("downloads/")]
    files = [p.stat().st_size for p in folder.rglob("*") if p.is_file()]
    search = [p.stat().st_size for p in folder.glob("*/search/search_index.json")]
    return {
        "pages": len(pages),
        "median_page": statistics.median(sites) if sites else 0,
        "largest_page": pages[-1][0] if pages else 0,
        "largest_page_path": pages[-1][1] if pages else "",
        "search_index": max(search, default=0),
        "bytes": sum(files),
        "files": len(files),
    }


def run_size(n: int, work: Path, compare: bool) -> dict[str, Any]:
    tree = work / f"declarations-{n}"
    generate(tree, n)
    out = work / f"site-{n}"
    build = [PYTHON, "-m", "discloser", "build", str(tree), "--out", str(out)]
    full, full_peak = measured(build, cwd=work)
    ours = site_stats(out)
    again, _ = measured(build, cwd=work)
    result: dict[str, Any] = {
        "features": n,
        "full": {"wall": full, "peak_kib": full_peak, **ours},
        "no_change": again,
    }
    shutil.rmtree(out)
    shutil.rmtree(tree)
    if not compare:
        return result

    generate(tree, n)
    stage = work / f"stage-{n}"
    staged = subprocess.run(
        [PYTHON, "-c", STAGE, str(tree), str(stage)],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    )
    info = json.loads(staged.stdout.strip().splitlines()[-1])
    for variant, base in (("builder_ours", stage / ".source"), ("builder_naive", stage / "naive")):
        site_dirs = []
        args = []
        for locale in info["locales"]:
            site_dir = stage / f"{variant}-site" / locale
            site_dirs.append(site_dir)
            args += [str(base / locale), str(site_dir)]
        wall, peak = measured([PYTHON, "-c", BUILD, str(info["epoch"]), *args], cwd=work)
        stats = site_stats(stage / f"{variant}-site")
        result[variant] = {"wall": wall, "peak_kib": peak, **stats}
    shutil.rmtree(stage)
    shutil.rmtree(tree)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000,10000")
    parser.add_argument("--compare-up-to", type=int, default=1000)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    with tempfile.TemporaryDirectory(prefix="discloser-site-bench-", dir=ROOT / "bench") as tmp:
        for n in sizes:
            print(f"... {n} features", file=sys.stderr, flush=True)
            results.append(run_size(n, Path(tmp), n <= args.compare_up_to))
    by_n = {r["features"]: r for r in results}
    ref = by_n.get(100)
    ref_page = ref["full"]["wall"] / ref["full"]["pages"] if ref else None

    def per_page(r: dict[str, Any], key: str) -> float:
        return float(r[key]["wall"] / r[key]["pages"] * 1000)

    print("## discloser build: the transparency site (x 3 locales: en, fr, ar)\n")
    print(
        "| features | pages | full build s | ms/page | vs 100 | peak MiB | site MiB "
        "| median page KB | largest page KB | search index KB | no-change s | no-change / full |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        f = r["full"]
        page_ms = per_page(r, "full")
        ratio = f"{page_ms / (ref_page * 1000):.2f}x" if ref_page else "-"
        print(
            f"| {r['features']:,} | {f['pages']:,} | {f['wall']:.1f} | {page_ms:.1f} | {ratio} "
            f"| {f['peak_kib'] / 1024:.0f} | {f['bytes'] / 2**20:.1f} "
            f"| {f['median_page'] / 1000:.1f} | {f['largest_page'] / 1000:.0f} "
            f"| {f['search_index'] / 1000:,.0f} | {r['no_change']:.2f} "
            f"| {r['no_change'] / f['wall'] * 100:.1f} % |"
        )
    print(
        "\n## The site builder alone on the same staged pages: constant navigation (ours) vs "
        "every feature page in the navigation (naive)\n"
    )
    print(
        "| features | build | pages | builder s | ms/page | peak MiB | site MiB | median page KB |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        if "builder_ours" not in r:
            continue
        for key, label in (("builder_ours", "ours"), ("builder_naive", "naive")):
            b = r[key]
            print(
                f"| {r['features']:,} | {label} | {b['pages']:,} | {b['wall']:.1f} "
                f"| {per_page(r, key):.1f} | {b['peak_kib'] / 1024:.0f} "
                f"| {b['bytes'] / 2**20:.1f} | {b['median_page'] / 1000:.1f} |"
            )
    big = by_n.get(1000)
    if big and ref_page:
        f = big["full"]
        checks = [
            (
                "median page HTML",
                f"{f['median_page'] / 1000:.1f} KB",
                f"<= {TARGET_PAGE_KB} KB",
                f["median_page"] <= TARGET_PAGE_KB * 1000,
            ),
            (
                "time per page vs 100 features",
                f"{per_page(big, 'full') / (ref_page * 1000):.2f}x",
                f"<= {TARGET_PER_PAGE}x",
                per_page(big, "full") / (ref_page * 1000) <= TARGET_PER_PAGE,
            ),
            (
                "no-change rebuild / full build",
                f"{big['no_change'] / f['wall'] * 100:.1f} %",
                f"<= {TARGET_NO_CHANGE * 100:.0f} %",
                big["no_change"] / f["wall"] <= TARGET_NO_CHANGE,
            ),
        ]
        print("\n## Targets at 1,000 x 3\n")
        print("| target | measured | goal | |")
        print("|---|---:|---:|---|")
        for name, value, goal, met in checks:
            print(f"| {name} | {value} | {goal} | {'met' if met else '**MISSED**'} |")
    huge = by_n.get(10000)
    if huge and ref_page:
        f = huge["full"]
        ratio = per_page(huge, "full") / (ref_page * 1000)
        checks = [
            (
                "median page HTML",
                f"{f['median_page'] / 1000:.1f} KB",
                f"<= {TARGET_PAGE_KB} KB",
                f["median_page"] <= TARGET_PAGE_KB * 1000,
            ),
            (
                f"largest page HTML ({f['largest_page_path']})",
                f"{f['largest_page'] / 1000:.1f} KB",
                f"<= {TARGET_PAGE_KB} KB",
                f["largest_page"] <= TARGET_PAGE_KB * 1000,
            ),
            (
                "time per page vs 100 features",
                f"{ratio:.2f}x",
                f"<= {TARGET_PER_PAGE_10K}x",
                ratio <= TARGET_PER_PAGE_10K,
            ),
            (
                "peak memory",
                f"{f['peak_kib'] / 1024:.0f} MiB",
                f"<= {TARGET_PEAK_MIB} MiB",
                f["peak_kib"] / 1024 <= TARGET_PEAK_MIB,
            ),
            (
                "no-change rebuild / full build",
                f"{huge['no_change'] / f['wall'] * 100:.1f} %",
                f"<= {TARGET_NO_CHANGE * 100:.0f} %",
                huge["no_change"] / f["wall"] <= TARGET_NO_CHANGE,
            ),
        ]
        print("\n## Targets at 10,000 x 3\n")
        print("| target | measured | goal | |")
        print("|---|---:|---:|---|")
        for name, value, goal, met in checks:
            print(f"| {name} | {value} | {goal} | {'met' if met else '**MISSED**'} |")
        print(
            f"\nThe search index (one file per locale, fetched by every page that searches) "
            f"is {f['search_index'] / 2**20:.1f} MiB at 10,000 features; not a page."
        )
    folder = ROOT / "bench" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
