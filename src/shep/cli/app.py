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


def _report(results: list[FileResult], fail_level: Severity, quiet: bool = False) -> int:
    colour = use_colour(sys.stdout)
    io_error = False
    for result in results:
        for d in result.diagnostics:
            print(format_diagnostic(d, colour))
            io_error = io_error or d.code == "Y000"
    if not quiet:
        for result in results:
            reason = f" ({result.reason})" if result.reason else ""
            kind = f" [{result.kind}]" if result.kind else ""
            print(f"{result.verdict}: {result.path}{kind}{reason}")
        print(format_summary(results))
    if io_error:
        return EXIT_USAGE
    worst = max((r.worst() for r in results if r.worst() is not None), default=None)
    return EXIT_PROBLEMS if worst is not None and worst >= fail_level else EXIT_OK


def _validate(paths: list[str], kind: FileKind | None, fail_level: FailLevel) -> int:
    from shep.validate import validate_file

    level = Severity[fail_level.value.upper()]
    return _report([validate_file(p, kind, level) for p in paths], level)


FilesOpt = Annotated[list[Path], typer.Option("--file", "-f", help="File to validate (repeatable).")]
FailOpt = Annotated[FailLevel, typer.Option("--fail-level", help="Lowest severity that fails the run.")]


@task_app.command("validate")
def task_validate(files: FilesOpt, fail_level: FailOpt = FailLevel.error) -> None:
    """Validate task files."""
    raise typer.Exit(_validate([str(f) for f in files], "tasks", fail_level))


@handlers_app.command("validate")
def handlers_validate(files: FilesOpt, fail_level: FailOpt = FailLevel.error) -> None:
    """Validate handler files."""
    raise typer.Exit(_validate([str(f) for f in files], "handlers", fail_level))


@playbook_app.command("validate")
def playbook_validate(files: list[Path], fail_level: FailOpt = FailLevel.error) -> None:
    """Validate playbooks."""
    raise typer.Exit(_validate([str(f) for f in files], "playbook", fail_level))


@app.command("validate")
def validate(paths: list[Path], kind: Annotated[Optional[KindOption], typer.Option(help="Force the file kind.")] = None,
             fail_level: FailOpt = FailLevel.error) -> None:
    """Validate files and directory trees; each file's kind is detected."""
    from shep.walk import WalkError, iter_files

    files: list[str] = []
    code = EXIT_OK
    for item in iter_files(str(p) for p in paths):
        if isinstance(item, WalkError):
            err(f"{item.path}: error: {item.message}")
            code = EXIT_USAGE
        else:
            files.append(item)
    result = _validate(files, kind.value if kind else None, fail_level)
    raise typer.Exit(max(code, result))


# -- dumps -----------------------------------------------------------------------------------


def _dump_jsonl(paths: list[str], kind: FileKind | None) -> int:
    from shep.api import load
    from shep.serialize.json import dumps, iter_task_records

    code = EXIT_OK
    for path in paths:
        model = load(path, kind)
        for d in model.diagnostics:
            if d.severity is Severity.ERROR:
                err(format_diagnostic(d))
                code = max(code, EXIT_USAGE if d.code == "Y000" else EXIT_PROBLEMS)
        for record in iter_task_records(model):
            print(dumps(record))
    return code


def _dump_json(paths: list[str], kind: FileKind | None) -> int:
    from shep.api import load
    from shep.serialize.json import model_to_dict

    code = EXIT_OK
    for path in paths:
        model = load(path, kind)
        if any(d.code == "Y000" for d in model.diagnostics):
            code = EXIT_USAGE
        print(json.dumps(model_to_dict(model), ensure_ascii=False, indent=2))
    return code


@app.command("dump")
def dump(paths: list[Path], format: Annotated[DumpFormat, typer.Option("--format")] = DumpFormat.jsonl,
         kind: Annotated[Optional[KindOption], typer.Option(help="Force the file kind.")] = None) -> None:
    """Print the parsed model: one JSON object per task (jsonl) or per file (json)."""
    names = [str(p) for p in paths]
    chosen = kind.value if kind else None
    if format is DumpFormat.fbs:
        err("error: use `shep playbook dump` or `shep task dump` for --format fbs")
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(_dump_jsonl(names, chosen) if format is DumpFormat.jsonl else _dump_json(names, chosen))


def run(argv: list[str]) -> None:
    try:
        app(args=argv, prog_name="shep")
    except KeyboardInterrupt:
        err("interrupted")
        raise SystemExit(130) from None
