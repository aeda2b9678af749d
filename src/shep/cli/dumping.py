"""`dump` (fbs | json | jsonl) and `decode` as plain functions returning exit codes; the typer app wires them.

Exit codes: 0 written; 1 written, but the file has problems of severity error; 2 usage error, I/O
error, unreadable source file, a buffer that is not a well-formed .shep file, or one holding what
JSON output cannot print (an integer of more digits than Python converts, or shared values that
expand past MAX_EXPANDED_VALUES).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from shep.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from shep.cli._io import err, write_atomic
from shep.cli.options import DECODE_FORMATS, DUMP_FORMATS
from shep.diagnostics import Severity
from shep.report import format_diagnostic

if TYPE_CHECKING:
    from shep.kinds import FileKind
    from shep.model import Model

# FlatBuffers cannot address more than 2 GiB; anything larger is not one of ours.
MAX_BUFFER_BYTES = 2**31


def render(model: Model, fmt: str) -> bytes:
    """The model in a text format, exactly as `shep dump --format json|jsonl` prints it."""
    from shep.serialize.json import dumps, iter_task_records, model_to_json

    if fmt == "json":
        text = model_to_json(model) + "\n"
    else:
        text = "".join(dumps(record) + "\n" for record in iter_task_records(model))
    # Lone surrogates (from YAML "\ud800" escapes) can only sit inside JSON strings, where the
    # backslash form is the JSON escape for them: the output stays valid JSON and UTF-8.
    return text.encode("utf-8", "backslashreplace")


def _emit(data: bytes, out: str | None) -> int:
    try:
        if out is not None:
            write_atomic(out, data)
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
    except OSError as exc:
        err(f"error: cannot write {out or 'standard output'}: {exc.strerror or exc}")
        return EXIT_USAGE
    return EXIT_OK


def _report_errors(model: Model) -> int:
    """Errors of the source go to stderr; exit 2 when it could not be read, 1 when it has errors."""
    code = EXIT_OK
    for d in model.diagnostics:
        if d.severity is Severity.ERROR:
            err(format_diagnostic(d))
            code = max(code, EXIT_USAGE if d.code == "Y000" else EXIT_PROBLEMS)
    return code


def dump_command(paths: list[str], kind: FileKind | None, fmt: str, out: str | None, walk: bool = False) -> int:
    """Parse files and write the model: one .shep buffer (fbs, exactly one file), JSON or JSON Lines.
    With ``walk``, directories are walked (``shep dump``); otherwise one is an unreadable file."""
    from shep.api import load

    if fmt not in DUMP_FORMATS:
        err(f"error: unknown format {fmt!r} (choose from {', '.join(DUMP_FORMATS)})")
        return EXIT_USAGE
    if fmt == "fbs" and len(paths) != 1:
        err("error: --format fbs writes one buffer per file: give exactly one file")
        return EXIT_USAGE
    if fmt == "fbs" and out is None and sys.stdout.isatty():
        err("error: refusing to write binary FlatBuffers to a terminal; use -o FILE.shep (or redirect stdout)")
        return EXIT_USAGE
    files, code = _dump_targets(paths, kind, fmt) if walk else (paths, EXIT_OK)
    chunks: list[bytes] = []
    for path in files:
        model = load(path, kind)
        status = _report_errors(model)
        code = max(code, status)
        if status == EXIT_USAGE:
            continue  # unreadable: nothing to dump
        if fmt != "fbs":
            chunks.append(render(model, fmt))
            continue
        try:
            chunks.append(_encode(model))
        except (TypeError, ValueError) as exc:  # a model the schema cannot hold: a bug, reported cleanly
            err(f"error: {path}: cannot encode as FlatBuffers: {exc}")
            code = EXIT_USAGE
    if not chunks:  # every source was unreadable: leave any previous output alone
        return code
    return max(code, _emit(b"".join(chunks), out))


def _dump_targets(paths: list[str], kind: FileKind | None, fmt: str) -> tuple[list[str], int]:
    """The files to dump: those named, plus the Ansible files found under each directory named
    (other YAML there is skipped, as ``shep validate`` skips it, unless ``--kind`` forces a kind).
    Walk problems are reported (exit 2)."""
    import os

    from shep.api import guess_kind, read_document
    from shep.walk import WalkError, iter_files

    files: list[str] = []
    code = EXIT_OK
    for path in paths:
        if not os.path.isdir(path):
            files.append(path)
            continue
        if fmt == "fbs":
            err(f"error: {path}: --format fbs writes one buffer per file: give a file, not a directory")
            code = EXIT_USAGE
            continue
        for found in iter_files([path]):
            if isinstance(found, WalkError):
                err(f"{found.path}: error: {found.message}")
                code = EXIT_USAGE
            elif kind is not None or guess_kind(read_document(found)) is not None:
                files.append(found)
    return files, code


def _encode(model: Model) -> bytes:
    from shep.serialize.fbs import to_flatbuffers

    return to_flatbuffers(model)


def decode_command(path: str, fmt: str) -> int:
    """Read a .shep buffer back and print the model as `dump --format json|jsonl` would."""
    from shep.serialize.fbs import ShepDecodeError, from_flatbuffers
    from shep.serialize.json import MAX_EXPANDED_VALUES, expanded_size

    if fmt not in DECODE_FORMATS:
        err(f"error: unknown format {fmt!r} (choose from {', '.join(DECODE_FORMATS)})")
        return EXIT_USAGE
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BUFFER_BYTES + 1)
    except OSError as exc:
        err(f"error: cannot read {path}: {exc.strerror or type(exc).__name__}")
        return EXIT_USAGE
    if len(data) > MAX_BUFFER_BYTES:
        err(f"error: {path}: larger than 2 GiB, not a shep FlatBuffers buffer")
        return EXIT_USAGE
    try:
        model = from_flatbuffers(data)
    except ShepDecodeError as exc:
        err(f"error: {path}: {exc}")
        return EXIT_USAGE
    if expanded_size(model) > MAX_EXPANDED_VALUES:
        err(f"error: {path}: its shared lists and mappings expand to more than {MAX_EXPANDED_VALUES:,} values, "
            "more than any YAML file shep loads: not printed")
        return EXIT_USAGE
    try:
        text = render(model, fmt)
    except ValueError as exc:  # an integer longer than Python prints (YAML cannot give one; a buffer can)
        err(f"error: {path}: cannot print as {fmt}: {exc}")
        return EXIT_USAGE
    return _emit(text, None)
