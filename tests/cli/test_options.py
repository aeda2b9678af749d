"""One description of the command line (shep.cli.options): typer's commands are what the tables
say, the typer-free parser reads what typer reads, and the tables agree with the library's own
names for kinds and severities."""

from __future__ import annotations

import ast
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import typer.main

from shep.cli import options
from shep.cli.app import app
from shep.cli.options import VALIDATE_OPTIONS, ValidateRequest, parse_validate

SRC = Path(__file__).resolve().parents[2] / "src" / "shep"
COMMAND = typer.main.get_command(app)
VALIDATE_COMMANDS = {  # command line → (its paths parameter, the kind it fixes)
    ("validate",): ("paths", None),
    ("task", "validate"): ("files", "tasks"),
    ("handlers", "validate"): ("files", "handlers"),
    ("playbook", "validate"): ("files", "playbook"),
}


def command(*names: str) -> Any:
    found: Any = COMMAND
    for name in names:
        found = found.commands[name]
    return found


def choices(param: Any) -> tuple[str, ...]:
    return tuple(getattr(param.type, "choices", ()))


@pytest.mark.parametrize("names", sorted(VALIDATE_COMMANDS), ids=" ".join)
def test_typer_validate_commands_are_the_table(names: tuple[str, ...]) -> None:
    paths, kind = VALIDATE_COMMANDS[names]
    params = command(*names).params
    assert params[0].name == paths and params[0].required
    rows = [row for row in VALIDATE_OPTIONS if kind is None or row.field != "kind"]
    assert [param.name for param in params[1:]] == [row.field for row in rows]
    for param, row in zip(params[1:], rows):
        assert tuple(param.opts) == row.flags and not param.secondary_opts, row
        assert param.help == row.help, row
        assert choices(param) == row.choices, row
        assert param.default == row.default == options.DEFAULTS[row.field], row
        assert not param.required
        assert getattr(param, "is_flag", False) is (row.takes == "flag"), row


def test_every_field_of_a_request_is_an_option_or_the_paths() -> None:
    assert set(options.DEFAULTS) == {row.field for row in VALIDATE_OPTIONS}
    assert {row.takes for row in VALIDATE_OPTIONS} <= {"choice", "count", "flag", "path", "text"}
    assert all(bool(row.choices) is (row.takes == "choice") for row in VALIDATE_OPTIONS)


@pytest.mark.parametrize(("names", "flag", "table"), [
    (("dump",), "--format", options.DUMP_FORMATS),
    (("dump",), "--kind", options.KINDS),
    (("playbook", "dump"), "--format", options.DUMP_FORMATS),
    (("task", "dump"), "--format", options.DUMP_FORMATS),
    (("task", "dump"), "--kind", options.KINDS),
    (("handlers", "dump"), "--format", options.DUMP_FORMATS),
    (("decode",), "--format", options.DECODE_FORMATS),
    (("schema", "export"), "--format", options.SCHEMA_FORMATS),
    (("schema", "export"), "--kind", options.KINDS),
])
def test_other_commands_take_the_tables_choices(names: tuple[str, ...], flag: str, table: tuple[str, ...]) -> None:
    (param,) = [param for param in command(*names).params if flag in param.opts]
    assert choices(param) == table


def _literal_args(path: Path, alias: str) -> tuple[str, ...]:
    """The strings of ``alias = Literal[...]`` in a module (a type checkers' alias, absent at run time)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == alias for t in node.targets):
            assert isinstance(node.value, ast.Subscript) and isinstance(node.value.slice, ast.Tuple)
            return tuple(ast.literal_eval(element) for element in node.value.slice.elts)
    raise AssertionError(f"no {alias} in {path}")


def test_kinds_are_the_library_kinds() -> None:
    from shep.validate.json_schemas import SCHEMA_KINDS

    from shep.keywords import FILE_KINDS

    # The replay must not import shep.keywords (enum, records: milliseconds): a copy, held equal here.
    assert options.KINDS == FILE_KINDS == _literal_args(SRC / "keywords.py", "FileKind")
    assert SCHEMA_KINDS == FILE_KINDS
    assert [options.file_kind(kind) for kind in options.KINDS] == list(options.KINDS)
    assert options.file_kind(None) is None
    with pytest.raises(ValueError, match="role"):
        options.file_kind("role")


def test_fail_levels_are_the_severities() -> None:
    from shep.diagnostics import Severity

    assert options.FAIL_LEVELS == tuple(level.name.lower() for level in sorted(Severity, reverse=True))


def _typer_request(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> ValidateRequest | None:
    """The request typer's ``validate`` command hands over for ``argv``, or None if typer refuses it."""
    from shep.cli import validating

    seen: list[ValidateRequest] = []

    def validate_command(request: ValidateRequest) -> int:
        seen.append(request)
        return 0

    monkeypatch.setattr(validating, "validate_command", validate_command)
    try:
        app(args=argv, prog_name="shep", standalone_mode=False)
    except typer.Exit:
        pass
    except Exception:  # click's usage errors
        return None
    return seen[0] if seen else None


def _argv_samples() -> list[list[str]]:
    """Every option of the table in each form (``--opt value``, ``--opt=value``, ``-jN``), each choice."""
    values = {"count": ["3"], "path": ["some/cache"], "text": ["c.yml"]}
    samples = []
    for row in VALIDATE_OPTIONS:
        if row.takes == "flag":
            samples.append(["validate", *row.flags[:1], "."])
            continue
        for value in row.choices or values[row.takes]:
            for flag in row.flags:
                samples.append(["validate", flag, value, "."])
                samples.append(["validate", f"{flag}={value}" if flag.startswith("--") else flag + value, "."])
    return samples + [
        ["validate", "a", "--format", "json", "b", "--kind=tasks", "-j2", "--no-cache", "--cache-dir", "d",
         "--config=e.yml", "--fail-level", "info", "--", "f", "g"],
        ["validate", "-j", "01", "."],
    ]


@pytest.mark.parametrize("argv", _argv_samples(), ids=" ".join)
def test_the_typer_free_parser_reads_what_typer_reads(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = parse_validate(argv)
    assert parsed is not None
    assert parsed == _typer_request(argv, monkeypatch)
    assert all(not isinstance(getattr(parsed, field), Enum) for field in options.DEFAULTS)


@pytest.mark.parametrize("argv", [
    ["validate", "--format", "xml", "."],
    ["validate", "--kind", "role", "."],
    ["validate", "--fail-level", "fatal", "."],
    ["validate", "-j", "0", "."],
    ["validate", "--jobs", "two", "."],
    ["validate", "--no-cache=1", "."],
    ["validate", "--colour", "."],
    ["validate"],
], ids=" ".join)
def test_what_typer_refuses_the_typer_free_parser_leaves_to_typer(argv: list[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    assert _typer_request(argv, monkeypatch) is None
    assert parse_validate(argv) is None


def _parameter_counts() -> list[tuple[int, str]]:
    counts = []
    for path in sorted((SRC / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                args = node.args
                count = len(args.posonlyargs) + len(args.args) + len(args.kwonlyargs)
                count += (args.vararg is not None) + (args.kwarg is not None)
                count -= bool(args.args) and args.args[0].arg in ("self", "cls")
                counts.append((count, f"{path.name}:{node.lineno} {node.name}"))
    return counts


def test_no_function_of_the_command_line_takes_more_than_six_parameters() -> None:
    """A run's arguments travel as one ValidateRequest (a replay's record as one RunRecord)."""
    assert [where for count, where in _parameter_counts() if count > 6] == []
