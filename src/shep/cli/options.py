"""The command line, as tables: the choices each option takes, ``validate``'s options (flags, help,
defaults) and the request a validate run receives. No typer here: the typer application
(``shep.cli.app``) is built from these tables, and so is the parser of plain ``shep validate``
command lines that runs before typer is imported (:func:`parse_validate`).
"""

from __future__ import annotations

from shep._records import fields, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from shep.kinds import FileKind

# File kinds, as shep.keywords.FILE_KINDS lists them (a test holds the two equal: importing keywords
# would bring enum and the records into every replayed run).
KINDS: tuple[FileKind, ...] = ("playbook", "tasks", "handlers")
# Severities, most severe first, as shep.diagnostics.Severity names them lowercased (a test holds
# them equal: importing diagnostics would bring enum into every replayed run).
FAIL_LEVELS = ("error", "warning", "info")
OUTPUT_FORMATS = ("text", "json", "sarif", "github", "codeclimate")  # validate --format
DUMP_FORMATS = ("jsonl", "json", "fbs")  # dump --format
DECODE_FORMATS = ("json", "jsonl")  # decode --format
SCHEMA_FORMATS = ("json", "fbs")  # schema export --format
MODULE_FORMATS = ("text", "json")  # module show --format
GRAPH_FORMATS = ("text", "json", "dot", "fbs")  # graph --format


@record(kw_only=True)
class ValidateRequest:
    """Everything a validate run needs, as its command line asked: the paths (files and, for
    ``shep validate``, directories to walk) and each option's value. The defaults here are the
    options' defaults."""

    paths: tuple[str, ...]
    kind: FileKind | None = None  # None: each file's kind is detected
    format: str = "text"
    fail_level: str | None = None  # None: the configuration's
    jobs: int | None = None  # None: all cores
    no_cache: bool = False
    cache_dir: str | None = None  # None: the user cache directory
    config: str | None = None  # None: the nearest configuration file


@record
class Option:
    """One option of the validate commands: the ValidateRequest field it sets, its flags (the
    first is its name), its help, and what it takes: ``choice`` (one of ``choices``), ``count``
    (an integer ≥ 1), ``path``, ``text``, or nothing (``flag``, a switch that turns it on)."""

    field: str
    flags: tuple[str, ...]
    help: str
    takes: str = "text"
    choices: tuple[str, ...] = ()

    @property
    def default(self) -> Any:
        return DEFAULTS[self.field]


DEFAULTS: dict[str, Any] = {spec.name: spec.default for spec in fields(ValidateRequest) if spec.name != "paths"}

# In the order --help lists them. --kind is left out where the command fixes the kind.
VALIDATE_OPTIONS = (
    Option("kind", ("--kind",), "Force the file kind.", "choice", KINDS),
    Option("format", ("--format",), "Output format.", "choice", OUTPUT_FORMATS),
    Option("fail_level", ("--fail-level",), "Lowest severity that fails the run (default: the config's, else error).",
           "choice", FAIL_LEVELS),
    Option("jobs", ("--jobs", "-j"), "Worker processes (default: all cores).", "count"),
    Option("no_cache", ("--no-cache",), "Neither read nor write the result cache.", "flag"),
    Option("cache_dir", ("--cache-dir",), "Cache directory (default: user cache dir).", "path"),
    Option("config", ("--config",), ".shep.yml or pyproject.toml to use.", "text"),
)
_BY_FLAG = {flag: option for option in VALIDATE_OPTIONS for flag in option.flags}


def file_kind(value: str | None) -> FileKind | None:
    """``value`` as a file kind (None stays None); ValueError for a name not in KINDS."""
    if value is None:
        return None
    for kind in KINDS:
        if value == kind:
            return kind
    raise ValueError(f"unknown file kind {value!r}")


def parse_validate(argv: Sequence[str]) -> ValidateRequest | None:
    """``validate [OPTION]... [--] PATH...`` with the options of VALIDATE_OPTIONS, given as
    ``--opt value`` or ``--opt=value`` (a one-letter flag also as ``-jN``), in any order, each at
    most once.

    None for anything else (``--help``, an unknown, repeated or invalid option, a missing value, a
    value or path starting with ``-``, no path): typer handles those, with its messages.
    """
    if not argv or argv[0] != "validate":
        return None
    paths: list[str] = []
    values: dict[str, Any] = {}
    args = list(argv[1:])
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if arg == "--":
            paths.extend(args[index:])
            break
        if not arg.startswith("-"):
            paths.append(arg)
            continue
        if arg.startswith("--"):
            name, equals, value = arg.partition("=")
            has_value = bool(equals)
        else:  # click reads "-j4" as "-j 4" (and "-j=4" as the value "=4")
            name, value, has_value = arg[:2], arg[2:], len(arg) > 2
        option = _BY_FLAG.get(name)
        if option is None or option.field in values:
            return None
        if option.takes == "flag":
            if has_value:
                return None
            values[option.field] = True
            continue
        if not has_value:
            if index >= len(args):
                return None
            value = args[index]
            index += 1
        parsed = _value(option, value)
        if parsed is None:
            return None
        values[option.field] = parsed
    if not paths or any(p == "" or p.startswith("-") for p in paths):
        return None
    return ValidateRequest(paths=tuple(paths), **values)


def _value(option: Option, value: str) -> str | int | None:
    """An option's value as typer would give it, or None where typer would refuse it or where this
    parser leaves the command line to typer (a value starting with ``-``)."""
    if not value or value.startswith("-"):
        return None
    if option.takes == "count":
        return int(value) if value.isascii() and value.isdigit() and int(value) >= 1 else None
    if option.takes == "choice" and value not in option.choices:
        return None
    return value


# -- ansible-lint's command line, as the Ansible language server runs its linter -------------------

# The language server runs ``<lint.path> <lint.arguments> [-c "<.ansible-lint>"] --offline --nocolor
# -f codeclimate [--fix] "<absolute file path>"``. shep answers that line at its top level: the file is
# the last argument, ``-f``/``--format`` must say codeclimate, every other option (ansible-lint's, from
# the user's lint.arguments) is ignored, ``-c`` names an ansible-lint configuration that shep never
# reads, and ``--fix`` writes nothing.
LINT_FORMAT_FLAGS = ("-f", "--format")
LINT_FORMAT = "codeclimate"
COMMANDS = ("validate", "task", "handlers", "playbook", "dump", "decode", "schema", "module", "graph")


def parse_lint_drop_in(argv: Sequence[str]) -> str | None:
    """The file of an ansible-lint command line asking for ``-f codeclimate``; None for any other
    command line (a shep command, or no ``-f``). ValueError, with the reason, for a drop-in line
    shep cannot answer (another format, no file)."""
    if not argv or argv[0] in COMMANDS:
        return None
    wanted = None
    for index, arg in enumerate(argv):
        name, equals, value = arg.partition("=")
        if name in LINT_FORMAT_FLAGS:
            wanted = value if equals else (argv[index + 1] if index + 1 < len(argv) else "")
    if wanted is None:
        return None
    if wanted != LINT_FORMAT:
        raise ValueError(f"as an ansible-lint drop-in shep writes only -f {LINT_FORMAT}, not {wanted!r}")
    path = argv[-1]
    if path.startswith("-") or path == LINT_FORMAT:
        raise ValueError("as an ansible-lint drop-in shep needs the file to lint as the last argument")
    return path
