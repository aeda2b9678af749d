"""The command line: parse arguments, call the library, format results, map them to exit codes.

``shep --version`` is answered before typer is imported, to keep it instant, and so is a plain
``shep validate`` command line (``shep.cli.options.parse_validate`` reads it from the same tables
the typer application is built from, and leaves anything unusual to typer): an identical earlier
run is replayed (``shep.cli.replay``), else the files are validated.
"""

from __future__ import annotations

import os
import sys

from shep._version import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

    from shep.cli.options import ValidateRequest

# Set (to anything non-empty) to send every command line through typer: the tests compare both paths.
DISABLE_ENV = "SHEP_NO_WARM_PATH"

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
    if args and args[0] not in ("--help", "-h"):
        drop_in = _lint_drop_in(args)
        if drop_in is not None:
            raise SystemExit(drop_in)
    if args and args[0] == "validate" and not os.environ.get(DISABLE_ENV):
        from shep.cli.options import parse_validate

        request = parse_validate(args)
        if request is not None:  # a command line typer is not needed for: its import is a third of start-up
            raise SystemExit(_validate(request))
    from shep.cli.app import run

    run(args)


def run_command() -> NoReturn:
    """The ``shep`` command: :func:`main`, then leave without tearing the interpreter down.

    Finalization frees every object and module one at a time: 9 ms of a 70 ms run over 80 small
    files (make bench), where the operating system takes the whole process back at once. So
    the command flushes its output and ends with ``os._exit``; :func:`main` itself stays an
    ordinary function for library callers and tests. The exit status follows ``SystemExit``'s
    rules (None is 0, a message is printed and gives 1).

    A run allocates millions of short-lived, acyclic objects: collecting every 700 allocations
    costs about 5% of a cold validate run (make bench), and memory stays flat without it. The
    threshold is the process's business, so it is set here, never in code a library caller or a
    test runs in its own process.
    """
    import gc

    gc.set_threshold(50_000, 20, 20)
    try:
        main()
        status = EXIT_OK
    except SystemExit as done:
        status = _exit_status(done.code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can be shown
            pass
    os._exit(status)


def _exit_status(code: object) -> int:
    if code is None:
        return EXIT_OK
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _lint_drop_in(args: list[str]) -> int | None:
    """Answer the Ansible language server's ansible-lint command line (shep.cli.options.
    parse_lint_drop_in); None when ``args`` is not one. A file that cannot be read is a usage error:
    nothing on stdout (the server would show an empty report as a clean file), the reason on stderr."""
    from shep.cli.options import ValidateRequest, parse_lint_drop_in

    try:
        path = parse_lint_drop_in(args)
    except ValueError as problem:
        print(f"shep: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if path is None:
        return None
    if not os.path.isfile(path) or not os.access(path, os.R_OK):
        print(f"shep: error: {path}: not a readable file", file=sys.stderr)
        return EXIT_USAGE
    return _validate(ValidateRequest(paths=(path,), format="codeclimate", config=_nearest_config(path)))


def _nearest_config(path: str) -> str | None:
    """shep's configuration nearest the file (its directory, then upward), not the working directory's."""
    from shep.config import candidate_files

    return next((c for c in candidate_files(start=os.path.dirname(os.path.abspath(path))) if os.path.isfile(c)), None)


def _validate(request: ValidateRequest) -> int:
    from shep.cli import replay

    try:
        replayed = replay.serve(request)
        if replayed is not None:
            return replayed
        from shep.cli.validating import validate_command

        return validate_command(request)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
