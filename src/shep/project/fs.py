"""The file system as the resolver sees it: whether a path exists, is a file or a directory, and
what a directory holds, each asked of the operating system once per project.

Every path asked is remembered: a project's verdicts depend on those paths (a missing file that
appears changes them), and a replayed run checks that none of them changed (``shep.cli.replay``).
"""

from __future__ import annotations

import os
import posixpath
import stat

MISSING, FILE, DIRECTORY, OTHER = 0, 1, 2, 3


_POSIX = os.path is posixpath


def join(head: str, tail: str) -> str:
    """``os.path.join(head, tail)`` for two strings, without its generic checks (a walk joins
    thousands of paths)."""
    if not _POSIX:
        return os.path.join(head, tail)
    if tail[:1] == "/":
        return tail
    if not head or head[-1] == "/":
        return head + tail
    return f"{head}/{tail}"


def dirname(path: str) -> str:
    """``os.path.dirname(path)``; the common case (a name after a single slash) without its checks."""
    index = path.rfind("/")
    if _POSIX and index > 0 and path[index - 1] != "/":
        return path[:index]
    return os.path.dirname(path)


class Disk:
    """Cached ``os.stat`` and ``os.listdir`` over absolute paths (links followed, as ``os.path.exists``)."""

    def __init__(self) -> None:
        self._kinds: dict[str, int] = {}
        self._listings: dict[str, tuple[str, ...]] = {}
        self._identities: dict[str, tuple[int, int]] = {}

    def kind(self, path: str) -> int:
        """MISSING, FILE, DIRECTORY or OTHER (a device, a FIFO…)."""
        found = self._kinds.get(path)
        if found is None:
            try:
                status = os.stat(path)
            except (OSError, ValueError):  # ValueError: a NUL byte in the path
                found = MISSING
            else:
                mode = status.st_mode
                found = DIRECTORY if stat.S_ISDIR(mode) else FILE if stat.S_ISREG(mode) else OTHER
                self._identities[path] = (status.st_dev, status.st_ino)
            self._kinds[path] = found
        return found

    # The answers known already, without a call to kind (most questions are asked again).
    def exists(self, path: str) -> bool:
        found = self._kinds.get(path)
        return (self.kind(path) if found is None else found) != MISSING

    def is_file(self, path: str) -> bool:
        found = self._kinds.get(path)
        return (self.kind(path) if found is None else found) == FILE

    def is_dir(self, path: str) -> bool:
        found = self._kinds.get(path)
        return (self.kind(path) if found is None else found) == DIRECTORY

    def listdir(self, path: str) -> tuple[str, ...]:
        """The names in a directory, sorted (empty when it cannot be listed)."""
        found = self._listings.get(path)
        if found is None:
            try:
                found = tuple(sorted(os.listdir(path)))
            except (OSError, ValueError):
                found = ()
            self._listings[path] = found
            self.kind(path)
        return found

    def identity(self, path: str) -> tuple[int, int] | None:
        """The device and inode of an existing path (one file reached through links has one identity)."""
        self.kind(path)
        return self._identities.get(path)

    def asked(self) -> list[str]:
        """Every path whose existence, kind or listing was asked, in the order first asked."""
        return list(self._kinds)

    def listed(self) -> list[str]:
        """Every directory whose listing was asked."""
        return list(self._listings)
