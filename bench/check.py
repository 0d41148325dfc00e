"""``discloser check`` benchmark: scanning an app next to reading it and parsing it.

What is measured
----------------
Generated app trees of 100 and 10,000 source files (Swift, Objective-C, Kotlin, Java,
TypeScript/TSX, JavaScript, Dart; about 60 lines each, seeded so every run writes the same
files) live in ``bench/.work/check-<n>/`` with the fixture declarations. In the *typical* tree 5 %
of the files use a photo API (with decoys in comments and strings); the rest is ordinary app
code. The *every file* tree puts a photo call in every file, which defeats the byte sieve that
lets the scanner skip files without any pattern name and so shows the parser-bound worst case.

Every figure is a fresh process, timed from fork to reap by a small spawner, with its peak
resident memory from ``os.wait4`` (the largest of the process and its workers):

* ``discloser check <tree> --format json`` with the default workers (one per CPU) and with
  ``DISCLOSER_WORKERS=1``;
* the read floor: a ``python -c`` loop that walks the same tree and reads every byte;
* the parse floor: one tree-sitter parse of every file with the same grammars and no query,
  in one process (``python -c``, grammars imported).

Runs are interleaved; medians are reported. Signals from 1 and N workers are compared and must
be identical. Targets: check <= 1.5x the parse floor, and a 10,000-file tree in under 30 s.
A miss is reported, never raised.

    .venv/bin/python bench/check.py                 # 100 and 10,000 files, 3 runs each
    .venv/bin/python bench/check.py --sizes 100 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
RESULTS = ROOT / "bench" / "results"
PY = sys.executable

ORDINARY = {
    "swift": 'import UIKit\n\n/// {doc}\nfinal class {name}: NSObject {{\n    private var items: [String] = []\n    let title = "{doc}"\n\n{methods}}}\n',
    "m": "#import <UIKit/UIKit.h>\n\n// {doc}\n@implementation {name}\n\n{methods}@end\n",
    "kt": "package com.example.app.{pkg}\n\nimport android.content.Context\n\n/** {doc} */\nclass {name}(private val context: Context) {{\n    private val items = mutableListOf<String>()\n\n{methods}}}\n",
    "java": "package com.example.app.{pkg};\n\nimport java.util.ArrayList;\nimport java.util.List;\n\n/** {doc} */\npublic class {name} {{\n    private final List<String> items = new ArrayList<>();\n\n{methods}}}\n",
    "ts": "import {{ useState }} from 'react';\n\n/** {doc} */\nexport class {name} {{\n  private items: string[] = [];\n\n{methods}}}\n",
    "tsx": "import React from 'react';\n\n/** {doc} */\nexport function {name}() {{\n  const label = '{doc}';\n  return <div className=\"{pkg}\">{{label}}</div>;\n}}\n\n{methods}",
    "js": "// {doc}\nexport class {name} {{\n  constructor() {{ this.items = []; }}\n\n{methods}}}\n",
    "dart": "import 'package:flutter/widgets.dart';\n\n/// {doc}\nclass {name} {{\n  final List<String> items = [];\n\n{methods}}}\n",
}
METHOD = {
    "swift": '    func {m}(_ value: Int) -> Int {{\n        // keep the {m} total\n        let total = items.count + value * {n}\n        if total > {n} {{ items.append("{m}") }}\n        return total\n    }}\n\n',
    "m": '- (NSInteger){m}:(NSInteger)value {{\n    // keep the {m} total\n    NSInteger total = value * {n};\n    if (total > {n}) {{ [self.items addObject:@"{m}"]; }}\n    return total;\n}}\n\n',
    "kt": '    fun {m}(value: Int): Int {{\n        // keep the {m} total\n        val total = items.size + value * {n}\n        if (total > {n}) items.add("{m}")\n        return total\n    }}\n\n',
    "java": '    public int {m}(int value) {{\n        // keep the {m} total\n        int total = items.size() + value * {n};\n        if (total > {n}) {{ items.add("{m}"); }}\n        return total;\n    }}\n\n',
    "ts": "  {m}(value: number): number {{\n    // keep the {m} total\n    const total = this.items.length + value * {n};\n    if (total > {n}) this.items.push('{m}');\n    return total;\n  }}\n\n",
    "tsx": "export function {m}(value: number): number {{\n  // keep the {m} total\n  const total = value * {n};\n  return total > {n} ? total : 0;\n}}\n\n",
    "js": "  {m}(value) {{\n    // keep the {m} total\n    const total = this.items.length + value * {n};\n    if (total > {n}) this.items.push('{m}');\n    return total;\n  }}\n\n",
    "dart": "  int {m}(int value) {{\n    // keep the {m} total\n    final total = items.length + value * {n};\n    if (total > {n}) items.add('{m}');\n    return total;\n  }}\n\n",
}
PHOTO = {
    "swift": (
        "import Photos\n",
        "    func sync() {{\n        // decoy: PHAsset.fetchAssets(with: .image, options: nil)\n        PHPhotoLibrary.shared().register(self)\n        let all = PHAsset.fetchAssets(with: .image, options: nil)\n    }}\n\n",
    ),
    "m": (
        "@import Photos;\n",
        "- (void)sync {{\n    [PHAsset fetchAssetsWithMediaType:PHAssetMediaTypeImage options:nil];\n}}\n\n",
    ),
    "kt": (
        "import android.provider.MediaStore\n",
        "    fun sync() = context.contentResolver.query(MediaStore.Images.Media.EXTERNAL_CONTENT_URI, null, null, null, null)\n\n",
    ),
    "java": (
        "import android.provider.MediaStore;\n",
        "    public Object sync(android.content.ContentResolver r) {{\n        return r.query(MediaStore.Images.Media.EXTERNAL_CONTENT_URI, null, null, null, null);\n    }}\n\n",
    ),
    "ts": (
        "import * as MediaLibrary from 'expo-media-library';\n",
        "  async sync() {{\n    return MediaLibrary.getAssetsAsync({{ first: 100 }});\n  }}\n\n",
    ),
    "tsx": (
        "import * as ImagePicker from 'expo-image-picker';\n",
        "export async function pick() {{\n  return ImagePicker.launchImageLibraryAsync({{}});\n}}\n\n",
    ),
    "js": (
        "import { CameraRoll } from '@react-native-camera-roll/camera-roll';\n",
        "  async sync() {{\n    return CameraRoll.getPhotos({{ first: 100 }});\n  }}\n\n",
    ),
    "dart": (
        "import 'package:photo_manager/photo_manager.dart';\n",
        "  Future<void> sync() async {{\n    await PhotoManager.getAssetPathList();\n  }}\n\n",
    ),
}
WORDS = [
    "album",
    "frame",
    "layer",
    "photo",
    "story",
    "print",
    "queue",
    "order",
    "share",
    "theme",
    "cache",
    "badge",
    "filter",
]


def generate(n: int, every: bool) -> Path:
    folder = WORK / f"check-{n}{'-every' if every else ''}"
    stamp = folder / ".complete"
    if stamp.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    rnd = random.Random(20261202 + n + every)
    shutil.copytree(
        ROOT / "tests" / "fixtures" / "apps" / "android" / "declarations", folder / "declarations"
    )
    exts = list(ORDINARY)
    for i in range(n):
        ext = exts[i % len(exts)]
        area = "backup" if rnd.random() < 0.5 else rnd.choice(WORDS)
        pkg = f"{area}{i // 200}"
        name = f"{rnd.choice(WORDS).title()}{rnd.choice(WORDS).title()}{i}"
        methods = "".join(
            METHOD[ext].format(m=f"{rnd.choice(WORDS)}{k}", n=rnd.randint(2, 99)) for k in range(5)
        )
        photo = every or rnd.random() < 0.05
        if photo:
            head, body = PHOTO[ext]
            methods = body.format() + methods
        text = ORDINARY[ext].format(
            name=name, doc=f"The {area} {name} helper.", pkg=pkg, methods=methods
        )
        if photo:
            text = head + text
        path = folder / "src" / pkg / f"{name}.{ext}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    stamp.write_text("", encoding="utf-8")
    return folder


READ_FLOOR = """
import os, sys
total = 0
for folder, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        with open(os.path.join(folder, name), 'rb') as f:
            total += len(f.read())
print(total)
"""

PARSE_FLOOR = """
import os, sys
from discloser.check.languages import parser
from discloser.check.scan import language_of
count = 0
for folder, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        lang = language_of(name)
        if lang is None:
            continue
        with open(os.path.join(folder, name), 'rb') as f:
            parser(lang).parse(f.read())
        count += 1
print(count)
"""

SPAWNER = """\
import json, os, sys, time
for line in sys.stdin:
    req = json.loads(line)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            env = dict(os.environ, **req["env"])
            null = os.open(os.devnull, os.O_RDWR)
            os.dup2(null, 0)
            os.dup2(null, 1)
            os.execve(req["argv"][0], req["argv"], env)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    print(json.dumps([time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status)]), flush=True)
"""


class Spawner:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [PY, "-c", SPAWNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def run(self, argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps({"argv": argv, "env": env or {}}) + "\n")
        self.proc.stdin.flush()
        wall, rss, code = json.loads(self.proc.stdout.readline())
        return wall, rss / 1024, code


def signals(tree: Path, workers: str) -> list[Any]:
    out = subprocess.run(
        [PY, "-m", "discloser", "check", "--signals", str(tree), "-d", str(tree / "declarations")],
        capture_output=True,
        text=True,
        env=dict(os.environ, DISCLOSER_WORKERS=workers),
        check=False,
    )
    return list(json.loads(out.stdout)["signals"])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100,10000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    spawner = Spawner()
    rows: list[dict[str, Any]] = []
    for n in sizes:
        for every in (False, True):
            tree = generate(n, every)
            label = f"{n:,} {'every file' if every else 'typical'}"
            print(f"measuring {label}", flush=True)
            check = [
                PY,
                "-m",
                "discloser",
                "check",
                str(tree),
                "-d",
                str(tree / "declarations"),
                "--format",
                "json",
            ]
            runs: dict[str, list[tuple[float, float, int]]] = {
                k: [] for k in ("check", "check1", "read", "parse")
            }
            for _ in range(args.repeat):
                runs["read"].append(spawner.run([PY, "-c", READ_FLOOR, str(tree)]))
                runs["parse"].append(spawner.run([PY, "-c", PARSE_FLOOR, str(tree)]))
                runs["check"].append(spawner.run(check))
                runs["check1"].append(spawner.run(check, {"DISCLOSER_WORKERS": "1"}))
            med = {k: statistics.median(r[0] for r in v) for k, v in runs.items()}
            mem = {k: max(r[1] for r in v) for k, v in runs.items()}
            codes = {k: sorted({r[2] for r in v}) for k, v in runs.items()}
            same = signals(tree, "1") == signals(tree, str(max(2, cpus)))
            rows.append(
                {
                    "files": n,
                    "tree": "every file" if every else "typical",
                    "wall_s": med,
                    "peak_mib": mem,
                    "exit_codes": codes,
                    "signals_identical_1_vs_n": same,
                }
            )
    print()
    print(
        f"| tree | check s ({cpus} workers) | check s (1 worker) | read floor s | parse floor s | check / parse | files/s | peak MiB check / parse | signals 1 = N |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        w, m = r["wall_s"], r["peak_mib"]
        ratio = w["check"] / w["parse"]
        verdict = "met" if ratio <= 1.5 else "missed"
        target = f" {verdict} (target <= 1.5)"
        if r["files"] >= 10000:
            target += f"; {'met' if w['check'] < 30 else 'missed'} (< 30 s)"
        print(
            f"| {r['files']:,} {r['tree']} | {w['check']:.2f} | {w['check1']:.2f} | {w['read']:.2f} | {w['parse']:.2f} | {ratio:.2f}{target} | {r['files'] / w['check']:,.0f} | {m['check']:.0f} / {m['parse']:.0f} | {'yes' if r['signals_identical_1_vs_n'] else 'NO'} |"
        )
    print(
        f"\nPython {platform.python_version()}, {cpus} CPUs, {platform.platform()}; medians of {args.repeat}."
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "check.json").write_text(
        json.dumps({"cpus": cpus, "rows": rows}, indent=2) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
