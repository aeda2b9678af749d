"""typer application: every command is argument parsing + one library call + formatting."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from shep._version import __version__
from shep.cli import EXIT_OK, EXIT_USAGE
from shep.cli._io import err
from shep.config import Config

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shep.kinds import FileKind

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
ConfigOpt = Annotated[Optional[str], typer.Option("--config", help=".shep.yml or pyproject.toml to use.")]
# Input paths are plain strings: click's Path type would refuse an unreadable file with a usage panel
# before shep can report it as a Y000 diagnostic naming the path.
FilesOpt = Annotated[list[str], typer.Option("--file", "-f", help="File to validate (repeatable).")]


def _config(path: str | None) -> Config:
    """The configuration, or a usage error (exit 2) naming the bad file."""
    from shep.config import ConfigError, load_config

    try:
        return load_config(path)
    except ConfigError as exc:
        err(f"shep: error: {exc}")
        raise typer.Exit(EXIT_USAGE) from None


def _run_validation(paths: list[str], kind: FileKind | None, fmt: OutputFormat, fail_level: FailLevel | None,
                    jobs: int | None, no_cache: bool, cache_dir: Path | None, config: Config,
                    walk_errors: int = 0, run_key: str | None = None) -> int:
    from shep.cli.validating import run_validation

    return run_validation(paths, kind, fmt.value, fail_level.value if fail_level else None, jobs, no_cache,
                          str(cache_dir) if cache_dir is not None else None, config, walk_errors, run_key)


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
    from shep.cli.validating import validate_command

    raise typer.Exit(validate_command(paths, kind.value if kind else None, format.value,
                                      fail_level.value if fail_level else None, jobs, no_cache,
                                      str(cache_dir) if cache_dir is not None else None, config))


# -- dumps -----------------------------------------------------------------------------------


OutOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here (atomically) instead of stdout.")]


@app.command("dump")
def dump(paths: list[str], format: Annotated[DumpFormat, typer.Option("--format")] = DumpFormat.jsonl,
         kind: Annotated[Optional[KindOption], typer.Option(help="Force the file kind.")] = None,
         output: OutOpt = None) -> None:
    """Print the parsed model: one JSON object per task (jsonl), per file (json), or a .shep buffer (fbs)."""
    from shep.cli.fbs_cli import dump_command

    raise typer.Exit(dump_command([str(p) for p in paths], kind.value if kind else None, format.value,
                                  str(output) if output else None, walk=True))


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


schema_app = typer.Typer(help="Schemas: JSON Schemas for editors, the FlatBuffers schema of .shep files.",
                         no_args_is_help=True)
app.add_typer(schema_app, name="schema")


class SchemaFormat(str, Enum):
    json = "json"
    fbs = "fbs"


@schema_app.command("export")
def schema_export(
    kind: Annotated[Optional[KindOption], typer.Option("--kind", help="Which JSON Schema (--format json).")] = None,
    format: Annotated[SchemaFormat, typer.Option("--format", help="json: a JSON Schema; fbs: the FlatBuffers "
                                                 "schema (task.fbs and playbook.fbs, needs -o).")] = SchemaFormat.json,
    output_dir: Annotated[Optional[Path], typer.Option("--output-dir", "-o",
                                                       help="Write the file(s) into this directory.")] = None,
) -> None:
    """Print or write the JSON Schema (draft 2020-12) of task files, handler files or playbooks, or
    write the FlatBuffers schema of .shep buffers (task.fbs and playbook.fbs) into a directory."""
    from shep.cli.schema_cli import export_command

    raise typer.Exit(export_command(kind.value if kind else None, format.value,
                                    str(output_dir) if output_dir is not None else None))


def run(argv: list[str]) -> None:
    try:
        app(args=argv, prog_name="shep")
    except KeyboardInterrupt:
        err("interrupted")
        raise SystemExit(130) from None
