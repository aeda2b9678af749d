"""Timing ratios on Ansible content outside the shared corpus: the collections of an ``ansible`` wheel.

Usage: python bench/heldout.py [--version 11.13.0] [--runs 5]
Downloads the wheel from the package index (pip download), extracts its YAML files under a
temporary directory and prints, per collection tree, the bare-load process time and shep's
ratios to it (cold with 1 job and with every core, warm). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import interleaved_medians, median_time  # noqa: E402
from bench import bare_process, shep_cli  # noqa: E402

TREES = ("", "community", "cisco", "dellemc", "netapp", "grafana", "ovirt")


def extract_collections(version: str, into: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                    f"ansible=={version}", "-d", str(into)], check=True)
    (wheel,) = into.glob("ansible-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(into / "x", [n for n in archive.namelist() if n.endswith((".yml", ".yaml"))])
    return into / "x" / "ansible_collections"


def row(tree: Path, runs: int, jobs: int, listing: str) -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from shep.walk import WalkError, iter_files

    files = [f for f in iter_files([str(tree)]) if not isinstance(f, WalkError)]
    megabytes = sum(os.path.getsize(f) for f in files) / 1e6
    bare, cold1, coldn = interleaved_medians({
        "bare": bare_process(files, listing),
        "cold1": shep_cli("validate", "--no-cache", "-j", "1", str(tree)),
        "coldn": shep_cli("validate", "--no-cache", "-j", str(jobs), str(tree)),
    }, runs).values()
    cache = tempfile.mkdtemp(prefix="shep-heldout-cache-")
    shep_cli("validate", "--cache-dir", cache, str(tree))()
    time.sleep(11)  # older than the racily-clean window: the next run records statuses that vouch
    shep_cli("validate", "--cache-dir", cache, str(tree))()
    warm = median_time(shep_cli("validate", "--cache-dir", cache, str(tree)), runs + 2)
    shutil.rmtree(cache, ignore_errors=True)
    return (f"| {tree.name} | {len(files)} | {megabytes:.2f} | {bare:.3f} | {cold1 / bare:.2f}× | "
            f"{coldn / bare:.2f}× | {100 * warm / cold1:.1f} % |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--version", default="11.13.0")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="shep-heldout-"))
    listing = str(work / "files.txt")
    try:
        root = extract_collections(args.version, work)
        print(f"ansible {args.version} collections; medians of {args.runs} runs; whole processes\n")
        print(f"| tree | files | MB | bare load process s | shep cold 1 job | shep cold {jobs} jobs | warm, % of cold |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name in TREES:
            print(row(root / name if name else root, args.runs, jobs, listing), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
