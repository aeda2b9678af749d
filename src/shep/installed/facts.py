"""What an answer about installed collections depended on, as facts that can be checked again.

A fact is ``(kind, subject, state)``:

* ``("file", path, state)``: ``-`` nothing there, ``d`` a directory, ``?`` something that is not a
  readable regular file of sane size, else the BLAKE2b digest of its bytes;
* ``("list", directory, state)``: the digest of the sorted names in a directory (``-``: none);
* ``("roots", anchor, state)``: the digest of the collection roots for that anchor, in order
  (``shep.installed.roots``): they depend on the environment, ``ansible.cfg`` and which directories exist.

A result that used installed collections carries the facts it was made from
(``FileResult.depends``); the result cache serves it, and ``shep validate`` replays a run, only while
every fact still holds (``Probe.holds``). A result that used none carries none and costs nothing.
This module is light: the replay of a warm run imports it before anything else of shep.
"""

from __future__ import annotations

import os

from shep.cache import new_digest
from shep.installed import roots as _roots

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

Fact = tuple[str, str, str]
FILE, LIST, ROOTS = "file", "list", "roots"
ABSENT, DIRECTORY, OTHER = "-", "d", "?"
MAX_FILE_BYTES = 8 * 1024 * 1024  # a module or runtime.yml larger than this is not read


class Probe:
    """The filesystem as one run sees it: each state is taken once per run and remembered, so that
    every file of a run is judged by the same collection files."""

    def __init__(self, configured: tuple[str, ...] | None = None) -> None:
        self._states: dict[tuple[str, str], str] = {}
        self._roots: dict[str, tuple[str, ...]] = {}  # by anchor
        self._adjacent: dict[str, str | None] = {}  # by directory
        # The configured roots (None: as ansible-core would find them, once per run; tests fix them).
        self._configured = configured

    def holds(self, facts: Iterable[Fact]) -> bool:
        """Whether every fact still holds."""
        return all(self.state(kind, subject) == state for kind, subject, state in facts)

    def state(self, kind: str, subject: str) -> str:
        known = self._states.get((kind, subject))
        if known is None:
            if kind == FILE:
                known = self._read(subject)[0]
            elif kind == LIST:
                known = _list_state(subject)
            elif kind == ROOTS:
                known = roots_state(self.roots(subject))
            else:
                known = OTHER  # a fact of a kind this shep does not know never holds
            self._states[(kind, subject)] = known
        return known

    def read(self, path: str) -> tuple[str, bytes | None]:
        """A file's state and, for a regular file, its bytes (read now; the state is remembered)."""
        state, data = self._read(path)
        self._states.setdefault((FILE, path), state)
        if self._states[(FILE, path)] != state:  # changed during the run: the first state stands
            return self._states[(FILE, path)], None
        return state, data

    @staticmethod
    def _read(path: str) -> tuple[str, bytes | None]:
        from shep.fileio import ReadProblem, read_bytes

        try:
            data = read_bytes(path, MAX_FILE_BYTES)
        except ReadProblem:
            if not os.path.lexists(path) or not os.path.exists(path):
                return ABSENT, None
            return (DIRECTORY if os.path.isdir(path) else OTHER), None
        return new_digest(data).hexdigest(), data

    def names(self, directory: str) -> tuple[str, tuple[str, ...]]:
        """A directory's state and sorted names (none when it cannot be listed)."""
        names = _names(directory)
        state = ABSENT if names is None else _digest_names(names)
        self._states.setdefault((LIST, directory), state)
        return self._states[(LIST, directory)], names or ()

    def roots(self, anchor: str) -> tuple[str, ...]:
        found = self._roots.get(anchor)
        if found is None:
            if self._configured is None:
                self._configured = _roots.configured_roots()
            found = self._roots[anchor] = _roots.roots_for(anchor, self._configured, self._adjacent)
        return found


def roots_state(roots: tuple[str, ...]) -> str:
    return new_digest("\0".join(roots).encode("utf-8", "surrogateescape")).hexdigest()


def _names(directory: str) -> tuple[str, ...] | None:
    try:
        return tuple(sorted(os.listdir(directory)))
    except OSError:
        return None


def _digest_names(names: tuple[str, ...]) -> str:
    return new_digest("\0".join(names).encode("utf-8", "surrogateescape")).hexdigest()


def _list_state(directory: str) -> str:
    names = _names(directory)
    return ABSENT if names is None else _digest_names(names)
