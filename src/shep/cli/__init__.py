"""The command line: parse arguments, call the library, format results, map them to exit codes.

``shep --version`` is answered before typer is imported, to keep it instant.
"""

from __future__ import annotations

import sys

from shep import __version__

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    # File names that are not valid UTF-8 reach us as surrogate escapes: print them escaped.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    if args in (["--version"], ["-V"]):
        print(f"shep {__version__}")
        raise SystemExit(EXIT_OK)
    from shep.cli.app import run

    run(args)
