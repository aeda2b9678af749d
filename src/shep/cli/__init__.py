"""The command line: parse arguments, call the library, format results, map them to exit codes.

``shep --version`` is answered before typer is imported, to keep it instant, and so is a
``shep validate`` whose every input is unchanged since an identical run (``shep.cli.warm``).
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
    if args and args[0] == "validate":
        from shep.cli.warm import serve

        try:
            replayed = serve(args)
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            raise SystemExit(130) from None
        if replayed is not None:
            raise SystemExit(replayed)
    from shep.cli.app import run

    run(args)
