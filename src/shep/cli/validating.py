"""The validation commands' work, without typer: run, render the report, choose the exit code,
and record fully cached runs so that the next identical one is replayed (``shep.cli.replay``).
Each command hands over its whole request (``shep.cli.options.ValidateRequest``)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence

from shep._records import record, replace
from shep._version import __version__
from shep.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, replay
from shep.cli._io import use_colour
from shep.config import Config
from shep.diagnostics import FileResult, Severity
from shep.report import format_diagnostic, format_summary

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shep.cli.options import ValidateRequest


def _progress(done: int, total: int) -> None:
    sys.stderr.write(f"\rshep: {done}/{total} files")
    if done == total:
        sys.stderr.write("\r" + " " * 40 + "\r")
    sys.stderr.flush()


def render(results: Sequence[FileResult], fmt: str, colour: bool) -> str:
    """The whole report, as printed (every line ends with a newline)."""
    from shep import report

    if fmt in ("json", "sarif", "codeclimate"):
        import json
    if fmt == "codeclimate":  # one line: a JSON array and nothing else
        return json.dumps(report.codeclimate_report(results, os.getcwd()), ensure_ascii=False) + "\n"
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


@record
class Recording:
    """A ``shep validate`` run to record for replay once it is done: its run key (taken before the
    configuration was read), the request and colour the key was made of, and its walk's listing."""

    key: str
    request: ValidateRequest
    colour: bool
    listing: replay.Listing

    def still_current(self) -> bool:
        """Whether the run key is still ``key``: no configuration file changed during the run."""
        return replay.run_key(self.request, self.colour) == self.key


def run_validation(request: ValidateRequest, config: Config, files: list[str], walk_errors: int = 0,
                   recording: Recording | None = None) -> int:
    """Validate ``files``, print the report, return the exit code. With a ``recording``
    (``shep.cli.replay``), a run whose every file could be read is recorded for replay."""
    from shep.batch import Options, cache_key_prefix, default_jobs, validate_paths_keyed
    from shep.cache import default_dir

    if request.fail_level is not None:
        config = replace(config, fail_level=Severity[request.fail_level.upper()])
    if config.exclude:
        from shep.walk import is_excluded

        files = [p for p in files if not is_excluded(p, config.exclude)]
    directory = None if request.no_cache else (request.cache_dir or default_dir())
    options = Options(kind=request.kind, config=config, cache_dir=directory, max_bytes=config.max_bytes,
                      docs_cache_dir=request.cache_dir or default_dir(), project=True)
    show_progress = request.format == "text" and sys.stderr.isatty() and len(files) > 50
    started_ns = time.time_ns()
    results: list[FileResult] = []
    keys: list[str] = []
    dependencies: list[tuple[str, str]] = []
    for result, key in validate_paths_keyed(files, options, request.jobs or default_jobs(), dependencies):
        results.append(result)
        keys.append(key)
        if show_progress:
            _progress(len(results), len(files))
    colour = use_colour(sys.stdout)
    output = render(results, request.format, colour)
    sys.stdout.write(output)
    if walk_errors or any(d.code == "Y000" for r in results for d in r.diagnostics):
        code = EXIT_USAGE
    elif any(d.severity >= config.fail_level for r in results for d in r.diagnostics):
        code = EXIT_PROBLEMS
    else:
        code = EXIT_OK
    if (recording is not None and directory is not None and not walk_errors and not show_progress and all(keys)
            and recording.still_current()):  # no config changed meanwhile
        walked = {os.path.normpath(os.path.abspath(path)) for path in files}  # their keys vouch for them
        others = [(how, path) for how, path in dict.fromkeys(dependencies) if path not in walked]
        replay.save(directory, recording.key, replay.RunRecord(
            exit_code=code, max_bytes=config.max_bytes, prefix=cache_key_prefix(options), excludes=config.exclude,
            files=tuple(files), keys=tuple(keys), statuses=tuple(replay.file_statuses(files, started_ns)),
            listing=recording.listing, stdout=output,
            facts=tuple(dict.fromkeys(fact for result in results for fact in result.depends)),
            dependencies=tuple(f"{how} {path}" for how, path in others),
            dependency_statuses=tuple(replay.dependency_status(how, path) for how, path in others)))
    return code


def _load_config(request: ValidateRequest) -> Config | None:
    """The configuration, or None after reporting why it cannot be read (exit 2)."""
    from shep.cli._io import err
    from shep.config import ConfigError, load_config

    try:
        return load_config(request.config)
    except ConfigError as exc:
        err(f"shep: error: {exc}")
        return None


def validate_command(request: ValidateRequest) -> int:
    """``shep validate PATH...``: walk, validate, report; the exit code. Both argument parsers call it."""
    from shep.cli._io import err

    colour = use_colour(sys.stdout)
    # Observed before the configuration is read; checked again before the run is recorded.
    run_key = None if request.no_cache else replay.run_key(request, colour)
    config = _load_config(request)
    if config is None:
        return EXIT_USAGE
    walk_started_ns = time.time_ns()
    listed: list[str] | None = None if run_key is None else []  # directory statuses only for a run record
    files, walk_errors = replay.collect_files(request.paths, config.exclude, listed)
    recording = None
    if run_key is not None and listed is not None:
        listing = replay.Listing(tuple(listed), tuple(replay.file_statuses(listed, walk_started_ns)))
        recording = Recording(run_key, request, colour, listing)
    for problem in walk_errors:
        err(f"{problem.path}: error: {problem.message}")
    return run_validation(request, config, files, len(walk_errors), recording)


def validate_files(request: ValidateRequest) -> int:
    """``shep task|handlers|playbook validate``: the files named, of the request's kind, no walk."""
    config = _load_config(request)
    if config is None:
        return EXIT_USAGE
    return run_validation(request, config, list(request.paths))
