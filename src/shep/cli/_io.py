"""Terminal and file output helpers for the CLI: colour choice and atomic writes."""

from __future__ import annotations

import os
import sys
import tempfile
from typing import TextIO


def use_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


def write_atomic(path: str, data: bytes) -> None:
    """Write to a temporary file in the same directory, then rename: never a half-written file."""
    directory = os.path.dirname(os.path.abspath(path)) or "."
    fd, tmp = tempfile.mkstemp(prefix=".shep-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def err(message: str) -> None:
    print(message, file=sys.stderr)
