"""Terminal and file output helpers for the CLI: colour choice and atomic writes."""

from __future__ import annotations

import os
import sys

from shep.fileio import write_atomic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

__all__ = ["err", "use_colour", "write_atomic"]


def use_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


def err(message: str) -> None:
    print(message, file=sys.stderr)
