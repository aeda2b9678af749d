"""`shep schema export`: a JSON Schema (tasks, handlers or playbook) or the FlatBuffers schema.

JSON prints to stdout, or writes ``<kind>.schema.json`` into ``-o DIR``. FlatBuffers needs ``-o DIR``:
``playbook.fbs`` includes ``task.fbs``, and flatc finds it only beside it, so both files are written
there under their own names. Exit codes: 0 written, 2 usage or write error.
"""

from __future__ import annotations

import os

from shep.cli import EXIT_OK, EXIT_USAGE
from shep.cli._io import err, write_atomic
from shep.cli.options import SCHEMA_FORMATS


def export_command(kind: str | None, fmt: str, out_dir: str | None) -> int:
    if fmt not in SCHEMA_FORMATS:
        err(f"error: unknown format {fmt!r} (choose from {', '.join(SCHEMA_FORMATS)})")
        return EXIT_USAGE
    if fmt == "fbs":
        if kind is not None:
            err("error: --kind chooses a JSON Schema; the FlatBuffers schema covers every kind: drop --kind")
            return EXIT_USAGE
        if out_dir is None:
            err("error: --format fbs writes two files, playbook.fbs and the task.fbs it includes: "
                "give -o DIR to write both there")
            return EXIT_USAGE
        from shep.serialize.fbs_schema import fbs_schema

        return _write(out_dir, fbs_schema())
    if kind is None:
        err("error: --format json needs --kind tasks|handlers|playbook")
        return EXIT_USAGE
    from shep.validate.json_schemas import dumps, schema_for

    text = dumps(schema_for(kind))  # type: ignore[arg-type]  # typer has checked the choice
    if out_dir is None:
        print(text, end="")
        return EXIT_OK
    return _write(out_dir, {f"{kind}.schema.json": text})


def _write(out_dir: str, files: dict[str, str]) -> int:
    """Write each file into ``out_dir`` (created if missing), atomically."""
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        err(f"error: {out_dir} is not a directory")
        return EXIT_USAGE
    try:
        os.makedirs(out_dir, exist_ok=True)
        for name, text in files.items():
            write_atomic(os.path.join(out_dir, name), text.encode("utf-8"))
    except OSError as exc:
        err(f"error: cannot write into {out_dir}: {exc.strerror or exc}")
        return EXIT_USAGE
    return EXIT_OK
