"""typer application: every command is argument parsing + one library call + formatting.

Choices, flags, help and defaults come from ``shep.cli.options``: the validate commands are built
from its table of options (``_add_validate``), which the typer-free parser of plain ``shep
validate`` command lines reads too.
"""

from __future__ import annotations

import inspect
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from shep._version import __version__
from shep.cli import EXIT_OK
from shep.cli._io import err
from shep.cli.options import (
    DECODE_FORMATS,
    DUMP_FORMATS,
    GRAPH_FORMATS,
    KINDS,
    MODULE_FORMATS,
    SCHEMA_FORMATS,
    VALIDATE_OPTIONS,
    Option,
    ValidateRequest,
    file_kind,
)

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


def _choices(name: str, choices: tuple[str, ...]) -> Any:
    """An enum of ``choices``: how typer is told that an option takes one of them."""
    return Enum(name, [(choice, choice) for choice in choices], type=str)


if TYPE_CHECKING:
    # Type checkers see a choice as the string it stands for; typer passes the enum member (_text
    # gives the string back).
    KindChoice = str
    DumpFormatChoice = str
    DecodeFormatChoice = str
    SchemaFormatChoice = str
    ModuleFormatChoice = str
    GraphFormatChoice = str
else:
    KindChoice = _choices("KindChoice", KINDS)
    DumpFormatChoice = _choices("DumpFormatChoice", DUMP_FORMATS)
    DecodeFormatChoice = _choices("DecodeFormatChoice", DECODE_FORMATS)
    SchemaFormatChoice = _choices("SchemaFormatChoice", SCHEMA_FORMATS)
    ModuleFormatChoice = _choices("ModuleFormatChoice", MODULE_FORMATS)
    GraphFormatChoice = _choices("GraphFormatChoice", GRAPH_FORMATS)


def _text(value: str) -> str:
    """The string a choice stands for (typer passes an enum member, the typer-free parser the string)."""
    return str(value.value) if isinstance(value, Enum) else value


def _plain(value: object) -> object:
    """An option's value as shep takes it: a choice or a path as its string."""
    if isinstance(value, Enum):
        return str(value.value)
    return str(value) if isinstance(value, Path) else value


def _version(value: bool) -> None:
    if value:
        typer.echo(f"shep {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                                help="Show the version and exit.")] = False) -> None:
    """shep reads Ansible playbooks, task and handler files without running them."""


# -- validation ------------------------------------------------------------------------------


def _parameter(option: Option) -> inspect.Parameter:
    """One row of VALIDATE_OPTIONS as the parameter typer reads: type, flags, help and default."""
    annotation: Any
    if option.takes == "flag":
        annotation = Annotated[bool, typer.Option(*option.flags, help=option.help)]
    elif option.takes == "count":
        annotation = Annotated[Optional[int], typer.Option(*option.flags, min=1, help=option.help)]
    elif option.takes == "path":
        annotation = Annotated[Optional[Path], typer.Option(*option.flags, help=option.help)]
    elif option.takes == "choice":
        choice = _choices(option.field, option.choices)
        annotation = Annotated[Optional[choice], typer.Option(*option.flags, help=option.help)]
    else:
        annotation = Annotated[Optional[str], typer.Option(*option.flags, help=option.help)]
    return inspect.Parameter(option.field, inspect.Parameter.KEYWORD_ONLY, default=option.default,
                             annotation=annotation)


# Input paths are plain strings: click's Path type would refuse an unreadable file with a usage panel
# before shep can report it as a Y000 diagnostic naming the path.
_PATHS = inspect.Parameter("paths", inspect.Parameter.KEYWORD_ONLY, annotation=list[str])
_FILES = inspect.Parameter("files", inspect.Parameter.KEYWORD_ONLY, annotation=list[str])
FilesOpt = Annotated[list[str], typer.Option("--file", "-f", help="File to validate (repeatable).")]
_FILE_OPTION = inspect.Parameter("files", inspect.Parameter.KEYWORD_ONLY, annotation=FilesOpt)


def _add_validate(group: typer.Typer, summary: str, paths: inspect.Parameter, kind: FileKind | None = None) -> None:
    """Add a ``validate`` command to ``group``: ``paths``, then the options of VALIDATE_OPTIONS.

    With a ``kind``, the command validates the files named, all of that kind (``task validate
    -f``…); without, it is ``shep validate``, which takes ``--kind`` and walks directories.
    """
    options = [option for option in VALIDATE_OPTIONS if kind is None or option.field != "kind"]

    def command(**values: Any) -> None:
        from shep.cli.validating import validate_command, validate_files

        named = tuple(str(path) for path in values.pop(paths.name))
        values = {name: _plain(value) for name, value in values.items()}
        if kind is None:
            raise typer.Exit(validate_command(ValidateRequest(paths=named, **values)))
        raise typer.Exit(validate_files(ValidateRequest(paths=named, kind=kind, **values)))

    command.__doc__ = summary
    # typer reads the parameters from the signature: one per row of the table, nothing restated.
    command.__signature__ = inspect.Signature([paths, *map(_parameter, options)])  # type: ignore[attr-defined]
    group.command("validate")(command)


_add_validate(app, "Validate files and directory trees; each file's kind is detected, other YAML is skipped.", _PATHS)
_add_validate(task_app, "Validate task files.", _FILE_OPTION, "tasks")
_add_validate(handlers_app, "Validate handler files.", _FILE_OPTION, "handlers")
_add_validate(playbook_app, "Validate playbooks.", _FILES, "playbook")


# -- dumps -----------------------------------------------------------------------------------


OutOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here (atomically) instead of stdout.")]
KindOpt = Annotated[Optional[KindChoice], typer.Option(help="Force the file kind.")]


@app.command("dump")
def dump(paths: list[str], format: Annotated[DumpFormatChoice, typer.Option("--format")] = "jsonl",
         kind: KindOpt = None, output: OutOpt = None) -> None:
    """Print the parsed model: one JSON object per task (jsonl), per file (json), or a .shep buffer (fbs)."""
    from shep.cli.dumping import dump_command

    raise typer.Exit(dump_command([str(p) for p in paths], file_kind(kind and _text(kind)), _text(format),
                                  str(output) if output else None, walk=True))


DumpFormatOpt = Annotated[DumpFormatChoice, typer.Option("--format", help="fbs (FlatBuffers), json or jsonl.")]


@playbook_app.command("dump")
def playbook_dump(file: str, format: DumpFormatOpt = "json", output: OutOpt = None) -> None:
    """Write a playbook's model as FlatBuffers, JSON or JSON Lines."""
    from shep.cli.dumping import dump_command

    raise typer.Exit(dump_command([str(file)], "playbook", _text(format), str(output) if output else None))


@task_app.command("dump")
def task_dump(files: FilesOpt, format: DumpFormatOpt = "json", output: OutOpt = None,
              kind: Annotated[Optional[KindChoice], typer.Option(help="tasks (default) or handlers.")] = None) -> None:
    """Write a task or handler file's model as FlatBuffers, JSON or JSON Lines."""
    from shep.cli.dumping import dump_command

    chosen: FileKind = "handlers" if kind is not None and _text(kind) == "handlers" else "tasks"
    raise typer.Exit(dump_command([str(f) for f in files], chosen, _text(format), str(output) if output else None))


@handlers_app.command("dump")
def handlers_dump(files: FilesOpt, format: DumpFormatOpt = "json", output: OutOpt = None) -> None:
    """Write a handler file's model as FlatBuffers, JSON or JSON Lines."""
    from shep.cli.dumping import dump_command

    raise typer.Exit(dump_command([str(f) for f in files], "handlers", _text(format), str(output) if output else None))


@app.command("decode")
def decode(file: str, format: Annotated[DecodeFormatChoice, typer.Option("--format")] = "json") -> None:
    """Read a .shep FlatBuffers dump back and print it as JSON or JSON Lines."""
    from shep.cli.dumping import decode_command

    raise typer.Exit(decode_command(str(file), _text(format)))


schema_app = typer.Typer(help="Schemas: JSON Schemas for editors, the FlatBuffers schema of .shep files.",
                         no_args_is_help=True)
app.add_typer(schema_app, name="schema")


@schema_app.command("export")
def schema_export(
    kind: Annotated[Optional[KindChoice], typer.Option("--kind", help="Which JSON Schema (--format json).")] = None,
    format: Annotated[SchemaFormatChoice, typer.Option(
        "--format", help="json: a JSON Schema; fbs: the FlatBuffers schema (task.fbs, playbook.fbs, project.fbs; "
                         "needs -o).")] = "json",
    output_dir: Annotated[Optional[Path], typer.Option("--output-dir", "-o",
                                                       help="Write the file(s) into this directory.")] = None,
) -> None:
    """Print or write the JSON Schema (draft 2020-12) of task files, handler files or playbooks, or
    write the FlatBuffers schemas of .shep and .shepg buffers (task.fbs, playbook.fbs, project.fbs) into a directory."""
    from shep.cli.schema_cli import export_command

    raise typer.Exit(export_command(file_kind(kind and _text(kind)), _text(format),
                                    str(output_dir) if output_dir is not None else None))


@app.command("graph")
def graph(
    path: Annotated[str, typer.Argument(help="A playbook, or a directory: every playbook in it.")],
    format: Annotated[GraphFormatChoice, typer.Option(
        "--format", help="text: a tree per playbook; json: the project's files, roles and references; dot: "
                         "Graphviz; fbs: the json's content as a FlatBuffers .shepg buffer (schema/project.fbs).",
    )] = "text",
    output: OutOpt = None,
) -> None:
    """Print the project graph: every include, import, role and vars file each playbook references,
    resolved as ansible-core resolves it (or why not), without running anything."""
    from shep.cli.graph_cli import graph_command

    raise typer.Exit(graph_command(path, _text(format), str(output) if output else None))


module_app = typer.Typer(help="Modules: the argument specs shep judges options by, without Ansible.",
                         no_args_is_help=True)
app.add_typer(module_app, name="module")


@module_app.command("show")
def module_show(
    name: Annotated[str, typer.Argument(help="A module or action: copy, ansible.builtin.copy, community.general.ufw…")],
    format: Annotated[ModuleFormatChoice, typer.Option("--format", help="text, or json (the spec's data).")] = "text",
    playbook_dir: Annotated[str | None, typer.Option(
        "--playbook-dir", help="Look in the collections/ beside this playbook directory first.")] = None,
) -> None:
    """Show how shep resolves a module and the options it judges a task's arguments by: types,
    choices, defaults, required options, aliases and the checks between options. A collection's
    module is looked up among the installed collections and shown as its documentation states it."""
    from shep.cli.module_cli import show_command

    raise typer.Exit(show_command(name, _text(format), playbook_dir))


@app.command("lsp")
def lsp(stdio: Annotated[bool, typer.Option("--stdio", help="Talk over stdin and stdout (the only transport; "
                                            "accepted because editors pass it).")] = False) -> None:
    r"""Run shep's language server for editors: diagnostics as you type, hover, completion, quick fixes
    (needs the lsp extra: pip install 'shep\[lsp]')."""
    from shep.cli.lsp_cli import lsp_command

    raise typer.Exit(lsp_command())


def run(argv: list[str]) -> None:
    try:
        app(args=argv, prog_name="shep")
    except KeyboardInterrupt:
        err("interrupted")
        raise SystemExit(130) from None
