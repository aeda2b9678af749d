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
from typing import Any
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from _timing import interleaved_medians, median_time  # noqa: E402  (bench/ is not a package)


def corpus_files(paths: list[str]) -> list[str]:
    if paths:
        from shep.walk import WalkError, iter_files

        return [p for p in iter_files(paths) if not isinstance(p, WalkError)]
    manifest = CORPUS / "manifest.jsonl"
    return [str(CORPUS / e["repo"] / e["path"]) for e in map(json.loads, manifest.open())]


def shep_cli(*args: str) -> Callable[[], object]:
    """The installed ``shep`` script (what users run), else ``python -m shep``."""
    script = Path(sys.executable).parent / "shep"
    command = [str(script), *args] if script.exists() else [sys.executable, "-m", "shep", *args]
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


BARE_PROCESS = """
import sys, yaml
class AnyTagLoader(yaml.CSafeLoader):
    pass
AnyTagLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
for name in open(sys.argv[1]).read().splitlines():
    with open(name, encoding="utf-8-sig") as handle:
        yaml.load(handle.read(), Loader=AnyTagLoader)
"""


def bare_process(files: list[str], listing: str) -> Callable[[], object]:
    """The bare load as a whole process (start-up, ``import yaml``, read, load): the fair peer of a CLI run."""
    Path(listing).write_text("\n".join(files))
    command = [sys.executable, "-c", BARE_PROCESS, listing]
    return lambda: subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)


def per_repository(runs: int, jobs: int, listing: str) -> list[str]:
    """Whole-process ratios on each corpus repository alone: smaller trees weigh start-up more."""
    table = ["| repository | files | MB | bare load process s | shep cold 1 job | shep cold "
             f"{jobs} jobs | shep warm |", "|---|---:|---:|---:|---:|---:|---:|"]
    from shep.walk import WalkError, iter_files

    for repo in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        files = [f for f in iter_files([str(repo)]) if not isinstance(f, WalkError)]
        megabytes = sum(Path(f).stat().st_size for f in files) / 1e6
        bare, cold1, coldn = interleaved_medians({
            "bare": bare_process(files, listing),
            "cold1": shep_cli("validate", "--no-cache", "-j", "1", str(repo)),
            "coldn": shep_cli("validate", "--no-cache", "-j", str(jobs), str(repo)),
        }, max(9, runs)).values()  # runs are short: more rounds cost little
        cache = tempfile.mkdtemp(prefix="shep-bench-cache-")
        shep_cli("validate", "--cache-dir", cache, str(repo))()
        warm = median_time(shep_cli("validate", "--cache-dir", cache, str(repo)), max(5, runs))
        shutil.rmtree(cache, ignore_errors=True)
        table.append(f"| {repo.name} | {len(files)} | {megabytes:.2f} | {bare:.3f} | {cold1:.3f} = {cold1 / bare:.2f}× "
                     f"| {coldn:.3f} = {coldn / bare:.2f}× | {warm:.3f} = {100 * warm / cold1:.1f} % of cold |")
    return table


def in_process_validate(files: list[str]) -> Callable[[], object]:
    from shep.batch import Options, validate_paths

    return lambda: list(validate_paths(files, Options(project=True), jobs=1))


def stage_and_check_costs(files: list[str], runs: int, cold: float) -> list[str]:
    """In-process seconds of each stage (load, kind, model) and of each check family, over the same files;
    ``cold``: the seconds of a cold ``shep validate`` CLI run (1 job) of the same files, which each
    family's budget is a share of (issues 15, 16, 17: at most 10% each).

    Each check runs model by model in the order of a real run (V014 and V015 share one pass over the
    values: the first of them pays for it), timed with perf_counter around each call."""
    from statistics import median

    from shep import jinja
    from shep import resolve
    from shep.batch import Options, installed_for_run
    from shep.validate import lookup_modules, module_args
    from shep.api import classify_document
    from shep.loader import load_bytes
    from shep.model.build import build
    from shep.project import build_project_of, is_role_meta, role_meta, summarize
    from shep.validate import project_diagnostics
    from shep.validate.checks import CHECK_MODULES, LOCAL_CHECKS, ModelWalk

    datas = [(f, Path(f).read_bytes()) for f in files]
    clock = time.perf_counter
    samples: dict[str, list[float]] = {}
    inside = _time_model_parts(clock)
    for _ in range(runs):
        jinja.clear_cache()  # each run parses every distinct string again, as a new process does
        module_args.clear_cache()  # and judges every distinct set of module arguments again
        resolve._resolve.cache_clear()  # and resolves every distinct action name again
        installed = installed_for_run(Options())  # and reads the collection roots again
        spent: dict[str, float] = {"load (bytes → positioned values)": 0.0, "kind": 0.0, "model": 0.0,
                                   RESOLUTION: 0.0, ARG_SPANS: 0.0, LOOKUPS: 0.0, GRAPH_SUMMARY: 0.0, GRAPH_BUILD: 0.0}
        spent.update((f"{m.CODE} {m.__name__.rsplit('.', 1)[-1]}", 0.0) for m in CHECK_MODULES)
        names = [f"{m.CODE} {m.__name__.rsplit('.', 1)[-1]}" for m in CHECK_MODULES]
        local = {check.__module__ for check in LOCAL_CHECKS}
        checked: list[tuple[str | None, object]] = []
        for path, data in datas:
            start = clock()
            document = load_bytes(data, path)
            loaded = clock()
            kind, _why = classify_document(document)
            classified = clock()
            spent["load (bytes → positioned values)"] += loaded - start
            spent["kind"] += classified - loaded
            if kind is None:
                before = clock()
                checked.append((None, {"found": role_meta(path, document.root)} if is_role_meta(path) else None))
                spent[GRAPH_SUMMARY] += clock() - before
                continue
            inside.clear()
            model = build(document, kind)
            spent["model"] += clock() - classified - sum(inside.values())
            for part, seconds in inside.items():
                spent[part] += seconds
            before = clock()
            walk = ModelWalk(model, document=document)
            spent["model"] += clock() - before  # the walk is built once per model, before the checks
            before = clock()
            walk.modules, _facts = lookup_modules(model, installed, walk.tasks)  # before the checks, as a run does
            spent[LOOKUPS] += clock() - before
            for name, module in zip(names, CHECK_MODULES):
                if module.__name__ not in local:
                    continue  # the graph's checks run on its facts, below
                before = clock()
                for _diagnostic in module.check(walk):
                    pass
                spent[name] += clock() - before
            before = clock()
            checked.append((kind, {"found": summarize(model, document.root)}))  # as a run passes it on
            spent[GRAPH_SUMMARY] += clock() - before
        before = clock()
        project = build_project_of([path for path, _ in datas], checked)
        spent[GRAPH_BUILD] += clock() - before
        for (path, _data), (kind, _summary) in zip(datas, checked):
            facts = project.facts.get(path)
            if facts is None:
                continue
            before = clock()
            project_diagnostics(path, kind or "tasks", facts)  # type: ignore[arg-type]
            spent[PROJECT_CHECKS] = spent.get(PROJECT_CHECKS, 0.0) + clock() - before
        for name, seconds in spent.items():
            samples.setdefault(name, []).append(seconds)
    medians = {name: median(values) for name, values in samples.items()}
    total = sum(medians.values())
    table = ["| stage or check | median s | % of the sum | % of shep cold (CLI, 1 job) |", "|---|---:|---:|---:|"]

    def row(name: str, seconds: float) -> str:
        return f"| {name} | {seconds:.4f} | {100 * seconds / total:.1f} | {100 * seconds / cold:.1f} |"

    table += [row(name, seconds) for name, seconds in medians.items()]
    checks = sum(seconds for name, seconds in medians.items() if name[:1] in "VD" and name[1:4].isdigit())
    # The module-option checks share one judgement of each task's arguments: their family's cost, with
    # what the model computes for them (each action resolved, where each argument is written).
    options = sum(seconds for name, seconds in medians.items() if name.split(" ")[-1].startswith("module_"))
    table.append(row("module options (V022–V033, V040–V042 together)", options))
    table.append(row("module options with action resolution, argument positions and collection lookups (issue 15)",
                     options + medians[RESOLUTION] + medians[ARG_SPANS] + medians[LOOKUPS]))
    # The Jinja checks share one parse of each templated string and conditional (shep.jinja): their family's cost.
    templates = sum(seconds for name, seconds in medians.items() if name.split(" ")[-1].startswith("jinja_"))
    table.append(row("Jinja templates and conditionals (V034–V037 together)", templates))
    table.append(row("all checks", checks))
    table.append(row("project graph (summaries + build)", medians[GRAPH_SUMMARY] + medians[GRAPH_BUILD]))
    return table


def _time_model_parts(clock: Callable[[], float]) -> dict[str, float]:
    """Time action resolution and argument positions inside the model build (wrapping the two
    functions shep.model.build calls; the wrappers' own cost, well under a microsecond a call, counts
    against the parts): the seconds of the last build, by part."""
    import functools

    from shep.model import build as model_build

    inside: dict[str, float] = {}
    for attribute, part in (("resolve", RESOLUTION), ("_arg_spans", ARG_SPANS)):
        original = getattr(model_build, attribute)

        @functools.wraps(original)
        def timed(*args: Any, _original: Any = original, _part: str = part) -> Any:
            before = clock()
            try:
                return _original(*args)
            finally:
                inside[_part] = inside.get(_part, 0.0) + clock() - before

        setattr(model_build, attribute, timed)
    return inside


RESOLUTION = "model: action resolution (shep.resolve)"
LOOKUPS = "collection lookups (what installed collections hold for the collection actions)"
ARG_SPANS = "model: where each module argument is written (Task.arg_spans)"
PROJECT_CHECKS = "project checks (V003, V033, V050–V054, on the graph's facts)"
GRAPH_SUMMARY = "graph: summaries (what the graph needs of each file, from its model)"
GRAPH_BUILD = "graph: build (resolve every reference, handler scopes, facts)"


def profile_summary(files: list[str]) -> str:
    from shep.batch import Options, validate_paths

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
    parser.add_argument("--runs", type=int, default=5)
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
    listing.close()
    rows.append(("PyYAML CSafeLoader load, whole process (start-up + import + load)",
                 median_time(bare_process(files, listing.name), args.runs)))
    cache = tempfile.mkdtemp(prefix="shep-bench-cache-")
    targets = list(args.paths) or [str(CORPUS)]
    rows.append(("shep validate CLI cold, 1 job", median_time(shep_cli("validate", "--no-cache", "-j", "1", *targets), args.runs)))
    rows.append((f"shep validate CLI cold, {jobs} jobs", median_time(shep_cli("validate", "--no-cache", "-j", str(jobs), *targets), args.runs)))

    def first_run() -> None:  # a new user's first run: the cache is empty and gets filled
        fresh = tempfile.mkdtemp(prefix="shep-bench-fresh-")
        try:
            shep_cli("validate", "--cache-dir", fresh, "-j", "1", *targets)()
        finally:
            shutil.rmtree(fresh, ignore_errors=True)

    rows.append(("shep validate CLI first run (empty cache, filled), 1 job", median_time(first_run, args.runs)))
    shep_cli("validate", "--cache-dir", cache, *targets)()  # fill the cache
    rows.append(("shep validate CLI warm (cache filled)", median_time(shep_cli("validate", "--cache-dir", cache, *targets), args.runs)))
    rows.append(("shep --version (process)", median_time(shep_cli("--version"), max(5, args.runs))))
    small = REPO / "fixtures" / "examples" / "site.yml"
    rows.append(("shep validate of one small file, no cache (process; what pre-commit runs)",
                 median_time(shep_cli("validate", "--no-cache", str(small)), max(5, args.runs))))
    for label, code in (("python start-up (python -c pass)", "pass"),
                        ("python start-up + import yaml", "import yaml")):
        command = [sys.executable, "-c", code]
        rows.append((label, median_time(lambda: subprocess.run(command, check=True), max(5, args.runs))))
    empty = tempfile.mkdtemp(prefix="shep-bench-empty-")
    rows.append(("shep validate of an empty directory (process: start-up + imports)",
                 median_time(shep_cli("validate", "--no-cache", empty), max(5, args.runs))))
    os.rmdir(empty)
    shutil.rmtree(cache, ignore_errors=True)
    repos = per_repository(args.runs, jobs, listing.name) if not args.paths else []
    os.unlink(listing.name)

    try:
        from bench_fbs import bench_fbs  # written with the FlatBuffers serializer

        fbs = bench_fbs(files)
    except ImportError:
        fbs = None
    try:
        from bench_editors import bench_editors  # needs the lsp extra (make install)

        editors = bench_editors(args.runs)
    except ImportError as missing:
        editors = [f"not measured: {missing}"]
    lint = shutil.which("ansible-lint") or shutil.which("ansible-lint", path=str(Path(sys.executable).parent))
    if lint:
        env = {**os.environ, "ANSIBLE_LINT_NODEPS": "1"}
        rows.append(("ansible-lint (offline)", median_time(lambda: subprocess.run(
            [lint, "--offline", "-q", *targets], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
            check=False), 1)))

    base = rows[0][1]
    base_process = dict(rows)["PyYAML CSafeLoader load, whole process (start-up + import + load)"]
    cold = dict(rows)["shep validate CLI cold, 1 job"]
    table = ["| what | median s | MB/s | × PyYAML load (in process) | × PyYAML load (whole process) | % of shep cold |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, seconds in rows:
        table.append(f"| {name} | {seconds:.3f} | {megabytes / seconds:.1f} | {seconds / base:.2f} | "
                     f"{seconds / base_process:.2f} | {100 * seconds / cold:.1f} |")
    machine = (f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs "
               f"({jobs} usable), {len(files)} files, {megabytes:.2f} MB, {args.runs} runs per row")
    report = ["# Performance", "", f"Measured by `make bench` ({' '.join(sys.argv)}) on: {machine}.", "",
              *table, ""]
    if repos:
        report += ["## Per repository (whole processes, interleaved rounds; ratios to the bare load process of the same files)", "",
                   *repos, ""]
    if fbs:
        report += ["## FlatBuffers vs JSON (same models)", "", *fbs.get("table", []), ""]
    report += ["## Editors (drop-in for the Ansible language server, `shep lsp`)", "", *editors, ""]
    report += ["## Cost of each stage and check family (in process, median of the runs, same files)", "",
               *stage_and_check_costs(files, args.runs, cold), ""]
    report += ["## Where the time goes (cProfile, in-process validate, top 12 by own time)", "", "```",
               profile_summary(files), "```", ""]
    text = "\n".join(report)
    print(text)
    if not args.no_write:
        (REPO / "docs" / "performance.md").write_text(text + "\n" + NOTES)


NOTES = """## Notes

- "cold" runs pass `--no-cache`; a "first run" starts with an empty cache and fills it. "warm" runs repeat an identical `shep validate` whose files did
  not change: the run is replayed from its record (`shep.cli.replay`) before typer or the loader is
  imported; a file whose status (inode, size, mtime, ctime) changed, or changed within 10 s of the
  recorded run, is read and hashed again, and any difference falls back to the per-file
  content-addressed cache (key: file bytes, path, forced kind, shep version, rules, config).
- Process rows include interpreter start-up and imports; library rows do not. A plain
  `shep validate` command line is parsed without typer (a third of start-up); `make install`
  byte-compiles `src/` because an editable install writes no `.pyc` (and this machine sets
  `PYTHONDONTWRITEBYTECODE`).
- Worker processes start only for at least 512 KiB of files to check; below that, start-up
  costs more than it saves.
- The loader composes with libyaml through PyYAML (the parser ansible-core itself uses) and
  builds values and positions in Python; tests/differential/test_fast_vs_reference.py proves it
  gives exactly the result of ruamel.yaml's pure-Python reference parser.
- Where the time goes (profile above, in-process): libyaml composing nodes with marks is about a
  third; building positioned values, the model and running the checks in Python is the rest.
- Start-up is a fixed cost that small trees feel most (per-repository table): the interpreter
  (about 9 ms), `import yaml` (about 15 ms, which the bare load pays too), then shep's own
  modules (about 14 ms). The validate path imports neither `typing`, `dataclasses` nor `inspect`
  (together about 20 ms): the model's classes are `shep._records` records, which compile only
  their `__init__`; a test checks what a plain run imports. A warm run cannot go below the
  interpreter's start-up, so on a tree that validates in 60 ms cold it stays near 15-20 % of cold.
"""

if __name__ == "__main__":
    main()
