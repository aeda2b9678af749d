"""shep's benchmark: one run times everything on the same files and writes docs/performance.md.

Usage: python bench/bench.py [PATH ...] [--runs N] [--no-write]
Default files: ../shared/corpus (its manifest). Timings are medians of --runs runs; the
machine is shared and noisy, so compare the ratios, which are measured in the same run.
Benchmarks are not tests: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from _timing import median_time  # noqa: E402  (bench/ is not a package)


def corpus_files(paths: list[str]) -> list[str]:
    if paths:
        from shep.walk import WalkError, iter_files

        return [p for p in iter_files(paths) if not isinstance(p, WalkError)]
    manifest = CORPUS / "manifest.jsonl"
    return [str(CORPUS / e["repo"] / e["path"]) for e in map(json.loads, manifest.open())]


def shep_cli(*args: str) -> Callable[[], object]:
    command = [sys.executable, "-m", "shep", *args]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return lambda: subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)


def bare_loaders(datas: list[bytes]) -> dict[str, Callable[[], object]]:
    import yaml
    from ruamel.yaml import YAML

    class AnyTagLoader(yaml.CSafeLoader):  # ansible's tags must not stop the bare load
        pass

    AnyTagLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
    texts = [d.decode("utf-8-sig") for d in datas]
    loaders: dict[str, Callable[[], object]] = {
        "PyYAML CSafeLoader load (libyaml, no positions)": lambda: [yaml.load(t, Loader=AnyTagLoader) for t in texts],
        "PyYAML C compose (nodes with marks, no values)": lambda: [yaml.compose(t, Loader=yaml.CSafeLoader) for t in texts],
    }

    def ruamel(typ: str, pure: bool) -> Callable[[], object]:
        def run() -> None:
            for text in texts:
                y = YAML(typ=typ, pure=pure)
                y.version = (1, 1)
                try:
                    y.compose(text)
                except Exception:  # noqa: BLE001 - a bare load; errors only cost time
                    pass
        return run

    loaders["ruamel safe C compose"] = ruamel("safe", False)
    loaders["ruamel round-trip compose (pure Python)"] = ruamel("rt", False)
    return loaders


def in_process_validate(files: list[str]) -> Callable[[], object]:
    from shep.validate import Options, validate_paths

    return lambda: list(validate_paths(files, Options(), jobs=1))


def profile_summary(files: list[str]) -> str:
    from shep.validate import Options, validate_paths

    profiler = cProfile.Profile()
    profiler.enable()
    list(validate_paths(files, Options(), jobs=1))
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    return "\n".join(lines[start:start + 13])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    files = corpus_files(args.paths)
    datas = [Path(f).read_bytes() for f in files]
    megabytes = sum(map(len, datas)) / 1e6
    jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    rows: list[tuple[str, float]] = []

    for name, fn in bare_loaders(datas).items():
        rows.append((name, median_time(fn, args.runs)))
    rows.append(("shep validate, library, in process, 1 job, no cache", median_time(in_process_validate(files), args.runs)))
    listing = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False)
    cache = tempfile.mkdtemp(prefix="shep-bench-cache-")
    targets = list(args.paths) or [str(CORPUS)]
    rows.append(("shep validate CLI cold, 1 job", median_time(shep_cli("validate", "--no-cache", "-j", "1", *targets), args.runs)))
    rows.append((f"shep validate CLI cold, {jobs} jobs", median_time(shep_cli("validate", "--no-cache", "-j", str(jobs), *targets), args.runs)))
    shep_cli("validate", "--cache-dir", cache, *targets)()  # fill the cache
    rows.append(("shep validate CLI warm (cache filled)", median_time(shep_cli("validate", "--cache-dir", cache, *targets), args.runs)))
    rows.append(("shep --version (process)", median_time(shep_cli("--version"), max(5, args.runs))))
    small = REPO / "fixtures" / "examples" / "site.yml"
    rows.append(("shep playbook validate of one small file (process)", median_time(shep_cli("playbook", "validate", "--no-cache", str(small)), max(5, args.runs))))
    shutil.rmtree(cache, ignore_errors=True)
    os.unlink(listing.name)

    try:
        from bench_fbs import bench_fbs  # written with the FlatBuffers serializer

        fbs = bench_fbs(files)
    except ImportError:
        fbs = None
    lint = shutil.which("ansible-lint") or shutil.which("ansible-lint", path=str(Path(sys.executable).parent))
    if lint:
        env = {**os.environ, "ANSIBLE_LINT_NODEPS": "1"}
        rows.append(("ansible-lint (offline)", median_time(lambda: subprocess.run(
            [lint, "--offline", "-q", *targets], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
            check=False), 1)))

    base = rows[0][1]
    cold = dict(rows)["shep validate CLI cold, 1 job"]
    table = ["| what | median s | MB/s | × PyYAML load | % of shep cold |", "|---|---:|---:|---:|---:|"]
    for name, seconds in rows:
        table.append(f"| {name} | {seconds:.3f} | {megabytes / seconds:.1f} | {seconds / base:.2f} | "
                     f"{100 * seconds / cold:.1f} |")
    machine = (f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs "
               f"({jobs} usable), {len(files)} files, {megabytes:.2f} MB, {args.runs} runs per row")
    report = ["# Performance", "", f"Measured by `make bench` ({' '.join(sys.argv)}) on: {machine}.", "",
              *table, ""]
    if fbs:
        report += ["## FlatBuffers vs JSON (same models)", "", *fbs.get("table", []), ""]
    report += ["## Where the time goes (cProfile, in-process validate, top 12 by own time)", "", "```",
               profile_summary(files), "```", ""]
    text = "\n".join(report)
    print(text)
    if not args.no_write:
        (REPO / "docs" / "performance.md").write_text(text + "\n" + NOTES)


NOTES = """## Notes

- "cold" runs pass `--no-cache`; "warm" runs read every file and find every result in the
  content-addressed cache (key: file bytes, path, forced kind, shep version, rules, config).
- Process rows include interpreter start-up and imports; library rows do not.
- The loader composes with libyaml through PyYAML (the parser ansible-core itself uses) and
  builds values and positions in Python; tests/differential/test_fast_vs_reference.py proves it
  gives exactly the result of ruamel.yaml's pure-Python reference parser.
"""

if __name__ == "__main__":
    main()
