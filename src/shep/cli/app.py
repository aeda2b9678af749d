"""typer application: every command is argument parsing + one library call + formatting."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from shep import __version__
from shep.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from shep.cli._io import err, use_colour
from shep.config import Config
from shep.diagnostics import FileResult, Severity
from shep.kinds import FileKind
from shep.report import format_diagnostic, format_summary

app = typer.Typer(help="Static parser and validator for Ansible content.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
task_app = typer.Typer(help="Task files.", no_args_is_help=True)
handlers_app = typer.Typer(help="Handler files.", no_args_is_help=True)
playbook_app = typer.Typer(help="Playbooks.", no_args_is_help=True)
app.add_typer(task_app, name="task")
app.add_typer(handlers_app, name="handlers")
app.add_typer(playbook_app, name="playbook")


class KindOption(str, Enum):
    playbook = "playbook"
    tasks = "tasks"
    handlers = "handlers"


class FailLevel(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


class DumpFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"
    fbs = "fbs"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"shep {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                                help="Show the version and exit.")] = False) -> None:
    """shep reads Ansible playbooks, task and handler files without running them."""


# -- validation ------------------------------------------------------------------------------


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


FormatOpt = Annotated[OutputFormat, typer.Option("--format", help="Output format.")]
FailOpt = Annotated[Optional[FailLevel], typer.Option("--fail-level", help="Lowest severity that fails the run "
                                                      "(default: the config's, else error).")]
JobsOpt = Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the result cache.")]
CacheDirOpt = Annotated[Optional[Path], typer.Option("--cache-dir", help="Cache directory (default: user cache dir).")]
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", help=".shep.yml or pyproject.toml to use.")]
# Input paths are plain strings: click's Path type would refuse an unreadable file with a usage panel
# before shep can report it as a Y000 diagnostic naming the path.
FilesOpt = Annotated[list[str], typer.Option("--file", "-f", help="File to validate (repeatable).")]


def _progress(done: int, total: int) -> None:
    sys.stderr.write(f"\rshep: {done}/{total} files")
    if done == total:
        sys.stderr.write("\r" + " " * 40 + "\r")
    sys.stderr.flush()


def _print_results(results: list[FileResult], fmt: OutputFormat) -> None:
    from shep import report

    if fmt is OutputFormat.json:
        print(json.dumps(report.to_json(results, __version__), ensure_ascii=False, indent=2))
    elif fmt is OutputFormat.sarif:
        print(json.dumps(report.to_sarif(results, __version__, str(Path.cwd())), ensure_ascii=False, indent=2))
    elif fmt is OutputFormat.github:
        for result in results:
            for d in result.diagnostics:
                print(report.format_github(d))
        print(report.format_summary(results).splitlines()[-1])
    else:
        colour = use_colour(sys.stdout)
        for result in results:
            for d in result.diagnostics:
                print(format_diagnostic(d, colour))
        for result in results:
            reason = f" ({result.reason})" if result.reason else ""
            kind = f" [{result.kind}]" if result.kind else ""
            print(f"{result.verdict}: {result.path}{kind}{reason}")
        print(format_summary(results))


def _config(path: Path | None) -> Config:
    """The configuration, or a usage error (exit 2) naming the bad file."""
    from shep.config import ConfigError, load_config

    try:
        return load_config(path)
    except ConfigError as exc:
        err(f"shep: error: {exc}")
        raise typer.Exit(EXIT_USAGE) from None


def _run_validation(paths: list[str], kind: FileKind | None, fmt: OutputFormat, fail_level: FailLevel | None,
                    jobs: int | None, no_cache: bool, cache_dir: Path | None, config: Config,
                    walk_errors: int = 0) -> int:
    from shep.cache import default_dir
    from shep.validate import Options, default_jobs, validate_paths

    if fail_level is not None:
        from dataclasses import replace

        config = replace(config, fail_level=Severity[fail_level.value.upper()])
    if config.exclude:
        from shep.walk import is_excluded

        paths = [p for p in paths if not is_excluded(p, config.exclude)]
    options = Options(kind=kind, config=config, cache_dir=None if no_cache else str(cache_dir or default_dir()),
                      max_bytes=config.max_bytes)
    show_progress = fmt is OutputFormat.text and sys.stderr.isatty() and len(paths) > 50
    results = []
    for result in validate_paths(paths, options, jobs or default_jobs()):
        results.append(result)
        if show_progress:
            _progress(len(results), len(paths))
    _print_results(results, fmt)
    if walk_errors or any(d.code == "Y000" for r in results for d in r.diagnostics):
        return EXIT_USAGE
    failing = any(d.severity >= config.fail_level for r in results for d in r.diagnostics)
    return EXIT_PROBLEMS if failing else EXIT_OK


@task_app.command("validate")
def task_validate(files: FilesOpt, format: FormatOpt = OutputFormat.text, fail_level: FailOpt = None,
                  jobs: JobsOpt = None, no_cache: NoCacheOpt = False, cache_dir: CacheDirOpt = None,
                  config: ConfigOpt = None) -> None:
    """Validate task files."""
    raise typer.Exit(_run_validation([str(f) for f in files], "tasks", format, fail_level, jobs, no_cache,
                                     cache_dir, _config(config)))


@handlers_app.command("validate")
def handlers_validate(files: FilesOpt, format: FormatOpt = OutputFormat.text, fail_level: FailOpt = None,
                      jobs: JobsOpt = None, no_cache: NoCacheOpt = False, cache_dir: CacheDirOpt = None,
                      config: ConfigOpt = None) -> None:
    """Validate handler files."""
    raise typer.Exit(_run_validation([str(f) for f in files], "handlers", format, fail_level, jobs, no_cache,
                                     cache_dir, _config(config)))


@playbook_app.command("validate")
def playbook_validate(files: list[str], format: FormatOpt = OutputFormat.text, fail_level: FailOpt = None,
                      jobs: JobsOpt = None, no_cache: NoCacheOpt = False, cache_dir: CacheDirOpt = None,
                      config: ConfigOpt = None) -> None:
    """Validate playbooks."""
    raise typer.Exit(_run_validation([str(f) for f in files], "playbook", format, fail_level, jobs, no_cache,
                                     cache_dir, _config(config)))


@app.command("validate")
def validate(paths: list[str], kind: Annotated[Optional[KindOption], typer.Option(help="Force the file kind.")] = None,
             format: FormatOpt = OutputFormat.text, fail_level: FailOpt = None, jobs: JobsOpt = None,
             no_cache: NoCacheOpt = False, cache_dir: CacheDirOpt = None, config: ConfigOpt = None) -> None:
    """Validate files and directory trees; each file's kind is detected, other YAML is skipped."""
    from shep.walk import WalkError, iter_files

    settings = _config(config)
    files: list[str] = []
    walk_errors = 0
    for item in iter_files((str(p) for p in paths), settings.exclude):
        if isinstance(item, WalkError):
            err(f"{item.path}: error: {item.message}")
            walk_errors += 1
        else:
            files.append(item)
    raise typer.Exit(_run_validation(files, kind.value if kind else None, format, fail_level, jobs, no_cache,
                                     cache_dir, settings, walk_errors))


# -- dumps -----------------------------------------------------------------------------------


OutOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here (atomically) instead of stdout.")]


@app.command("dump")
def dump(paths: list[str], format: Annotated[DumpFormat, typer.Option("--format")] = DumpFormat.jsonl,
         kind: Annotated[Optional[KindOption], typer.Option(help="Force the file kind.")] = None,
         output: OutOpt = None) -> None:
    """Print the parsed model: one JSON object per task (jsonl), per file (json), or a .shep buffer (fbs)."""
    from shep.cli.fbs_cli import dump_command

    raise typer.Exit(dump_command([str(p) for p in paths], kind.value if kind else None, format.value,
                                  str(output) if output else None))


DumpFormatOpt = Annotated[DumpFormat, typer.Option("--format", help="fbs (FlatBuffers), json or jsonl.")]


@playbook_app.command("dump")
def playbook_dump(file: str, format: DumpFormatOpt = DumpFormat.json, output: OutOpt = None) -> None:
    """Write a playbook's model as FlatBuffers, JSON or JSON Lines."""
    from shep.cli.fbs_cli import dump_command

    raise typer.Exit(dump_command([str(file)], "playbook", format.value, str(output) if output else None))


@task_app.command("dump")
def task_dump(files: FilesOpt, format: DumpFormatOpt = DumpFormat.json, output: OutOpt = None,
              kind: Annotated[Optional[KindOption], typer.Option(help="tasks (default) or handlers.")] = None) -> None:
    """Write a task or handler file's model as FlatBuffers, JSON or JSON Lines."""
    from shep.cli.fbs_cli import dump_command

    chosen: FileKind = "handlers" if kind is KindOption.handlers else "tasks"
    raise typer.Exit(dump_command([str(f) for f in files], chosen, format.value, str(output) if output else None))


@handlers_app.command("dump")
def handlers_dump(files: FilesOpt, format: DumpFormatOpt = DumpFormat.json, output: OutOpt = None) -> None:
    """Write a handler file's model as FlatBuffers, JSON or JSON Lines."""
    from shep.cli.fbs_cli import dump_command

    raise typer.Exit(dump_command([str(f) for f in files], "handlers", format.value, str(output) if output else None))


class DecodeFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"


@app.command("decode")
def decode(file: str, format: Annotated[DecodeFormat, typer.Option("--format")] = DecodeFormat.json) -> None:
    """Read a .shep FlatBuffers dump back and print it as JSON or JSON Lines."""
    from shep.cli.fbs_cli import decode_command

    raise typer.Exit(decode_command(str(file), format.value))


schema_app = typer.Typer(help="JSON Schemas for editors (yaml-language-server).", no_args_is_help=True)
app.add_typer(schema_app, name="schema")


@schema_app.command("export")
def schema_export(kind: Annotated[KindOption, typer.Option("--kind", help="Which schema.")]) -> None:
    """Print the JSON Schema (draft 2020-12) of task files, handler files or playbooks."""
    from shep.validate.schema import schema_for

    print(json.dumps(schema_for(kind.value), indent=2, ensure_ascii=False))


def run(argv: list[str]) -> None:
    try:
        app(args=argv, prog_name="shep")
    except KeyboardInterrupt:
        err("interrupted")
        raise SystemExit(130) from None
