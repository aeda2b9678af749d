"""The validation commands' work, without typer: run, render the report, choose the exit code,
and record fully cached runs so that the next identical one is replayed (``shep.cli.warm``)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence

from shep._version import __version__
from shep.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from shep.cli._io import use_colour
from shep.config import Config
from shep.diagnostics import FileResult, Severity
from shep.report import format_diagnostic, format_summary

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shep.cli.warm import Listing
    from shep.kinds import FileKind


def _progress(done: int, total: int) -> None:
    sys.stderr.write(f"\rshep: {done}/{total} files")
    if done == total:
        sys.stderr.write("\r" + " " * 40 + "\r")
    sys.stderr.flush()


def render(results: Sequence[FileResult], fmt: str, colour: bool) -> str:
    """The whole report, as printed (every line ends with a newline)."""
    from shep import report

    if fmt in ("json", "sarif"):
        import json
    if fmt == "json":
        return json.dumps(report.json_report(results, __version__), ensure_ascii=False, indent=2) + "\n"
    if fmt == "sarif":
        return json.dumps(report.sarif_report(results, __version__, os.getcwd()), ensure_ascii=False, indent=2) + "\n"
    lines: list[str] = []
    if fmt == "github":
        lines.extend(report.format_github(d) for result in results for d in result.diagnostics)
        lines.append(report.format_summary(results).splitlines()[-1])
    else:
        lines.extend(format_diagnostic(d, colour) for result in results for d in result.diagnostics)
        for result in results:
            reason = f" ({result.reason})" if result.reason else ""
            kind = f" [{result.kind}]" if result.kind else ""
            lines.append(f"{result.verdict}: {result.path}{kind}{reason}")
        lines.append(format_summary(results))
    return "".join(line + "\n" for line in lines)


def run_validation(paths: list[str], kind: FileKind | None, fmt: str, fail_level: str | None, jobs: int | None,
                   no_cache: bool, cache_dir: str | None, config: Config, walk_errors: int = 0,
                   run_key: str | None = None, current_run_key: Callable[[], str | None] | None = None,
                   listing: Listing | None = None) -> int:
    """Validate, print the report, return the exit code. With a ``run_key`` (``shep.cli.warm``), a run
    whose every file could be read is recorded for replay."""
    import gc

    from shep.cache import default_dir
    from shep.validate import Options, cache_key_prefix, default_jobs, validate_paths_keyed

    # A run allocates millions of short-lived, acyclic objects: collecting every 700 allocations
    # costs about 5% of a cold run (make bench); memory stays flat, results are all that is kept.
    gc.set_threshold(50_000, 20, 20)

    if fail_level is not None:
        from shep._records import replace

        config = replace(config, fail_level=Severity[fail_level.upper()])
    if config.exclude:
        from shep.walk import is_excluded

        paths = [p for p in paths if not is_excluded(p, config.exclude)]
    directory = None if no_cache else (cache_dir or default_dir())
    options = Options(kind=kind, config=config, cache_dir=directory, max_bytes=config.max_bytes)
    show_progress = fmt == "text" and sys.stderr.isatty() and len(paths) > 50
    started_ns = time.time_ns()
    results: list[FileResult] = []
    keys: list[str] = []
    for result, key in validate_paths_keyed(paths, options, jobs or default_jobs()):
        results.append(result)
        keys.append(key)
        if show_progress:
            _progress(len(results), len(paths))
    colour = use_colour(sys.stdout)
    output = render(results, fmt, colour)
    sys.stdout.write(output)
    if walk_errors or any(d.code == "Y000" for r in results for d in r.diagnostics):
        code = EXIT_USAGE
    elif any(d.severity >= config.fail_level for r in results for d in r.diagnostics):
        code = EXIT_PROBLEMS
    else:
        code = EXIT_OK
    if (run_key is not None and directory is not None and not walk_errors and not show_progress and all(keys)
            and (current_run_key is None or current_run_key() == run_key)):  # no config changed meanwhile
        from shep.cli import warm

        warm.record(directory, run_key, config.exclude, config.max_bytes, cache_key_prefix(options), paths, keys,
                    warm.file_statuses(paths, started_ns), output, code, listing)
    return code


def validate_command(paths: list[str], kind: str | None, fmt: str, fail_level: str | None, jobs: int | None,
                     no_cache: bool, cache_dir: str | None, config_path: str | None) -> int:
    """``shep validate PATH...``: walk, validate, report; the exit code. Both argument parsers call it."""
    from shep.cli import warm
    from shep.cli._io import err
    from shep.config import ConfigError, load_config

    colour = use_colour(sys.stdout)
    # Observed before the configuration is read; checked again before the run is recorded.
    run_key = None if no_cache else warm.run_key(paths, kind, fmt, fail_level, config_path, colour)
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        err(f"shep: error: {exc}")
        return EXIT_USAGE
    walk_started_ns = time.time_ns()
    listed: list[str] | None = None if run_key is None else []  # directory statuses only for a run record
    files, walk_errors = warm.collect_files(paths, config.exclude, listed)
    listing = None if listed is None else warm.Listing(listed, warm.file_statuses(listed, walk_started_ns))
    for problem in walk_errors:
        err(f"{problem.path}: error: {problem.message}")
    return run_validation(files, _file_kind(kind), fmt, fail_level, jobs, no_cache, cache_dir, config, len(walk_errors),
                          run_key, lambda: warm.run_key(paths, kind, fmt, fail_level, config_path, colour), listing)


def _file_kind(kind: str | None) -> FileKind | None:
    """Both parsers accept only the three kinds' names."""
    if kind in (None, "playbook", "tasks", "handlers"):
        return kind  # type: ignore[return-value]
    raise ValueError(f"unknown file kind {kind!r}")
