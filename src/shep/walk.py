"""Which files to look at: walk directories for YAML files, skipping VCS and virtualenv trees.

Light on purpose (@record, not dataclasses; fnmatch only when there are exclude patterns): the warm
``shep validate`` path walks before anything heavy is imported.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Iterator

from shep._records import record

YAML_SUFFIXES = (".yml", ".yaml")
SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "node_modules", "__pycache__",
                       ".mypy_cache", ".pytest_cache", ".ruff_cache", ".shep_cache", ".cache", "site-packages"})


@record
class WalkError:
    """A path the walk could not use, with a one-line reason."""

    path: str
    message: str


def is_excluded(path: str, excludes: Iterable[str]) -> bool:
    import fnmatch

    posix = path.replace(os.sep, "/")
    return any(fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(os.path.basename(posix), pattern)
               for pattern in excludes)


def _points_to_enclosing(dirpath: str) -> bool:
    """A directory reached through a link to itself or to one of its ancestors."""
    real = os.path.realpath(dirpath)
    parent = os.path.realpath(os.path.dirname(dirpath))
    return parent == real or parent.startswith(real.rstrip(os.sep) + os.sep)


def _is_link_loop(path: str) -> bool:
    """Links that resolve to each other forever (a directory listing shows them as files)."""
    if not os.path.islink(path):
        return False
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def _is_symlink(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()  # from the directory listing: usually no system call
    except OSError:
        return os.path.islink(entry.path)


def _walk_dir(root: str, excludes: tuple[str, ...], listed: list[str] | None) -> Iterator[str | WalkError]:
    """Depth first, names sorted, links followed (each directory once), as ``os.walk(followlinks=True)``
    with sorted names would; built on ``os.scandir`` so that files cost no system call of their own.
    Each directory whose listing was used is appended to ``listed``."""
    errors: list[OSError] = []
    seen: set[tuple[int, int]] = set()
    pending = [root]
    while pending:
        dirpath = pending.pop()
        try:
            with os.scandir(dirpath) as listing:
                entries = list(listing)
        except OSError as exc:  # reported after the walk, as os.walk's onerror would
            errors.append(exc)
            continue
        try:
            stat = os.stat(dirpath)
        except OSError as exc:
            yield WalkError(dirpath, exc.strerror or str(exc))
            continue
        if (stat.st_dev, stat.st_ino) in seen:  # each directory once, whatever links lead to it
            if _points_to_enclosing(dirpath):
                yield WalkError(dirpath, "symlink loop: links to an enclosing directory (not followed)")
            continue
        seen.add((stat.st_dev, stat.st_ino))
        if listed is not None:
            listed.append(dirpath)
        subdirs: list[str] = []
        files: list[tuple[str, os.DirEntry[str]]] = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            name = entry.name
            if not is_dir:
                files.append((name, entry))
            elif name not in SKIP_DIRS and not name.endswith(".egg-info") \
                    and not (excludes and is_excluded(entry.path, excludes)):
                subdirs.append(entry.path)
        files.sort()  # names are unique: entries are never compared
        for name, entry in files:
            full = entry.path  # os.path.join(dirpath, name)
            if _is_symlink(entry) and _is_link_loop(full):
                yield WalkError(full, "symlink loop (not followed)")
            elif name.endswith(YAML_SUFFIXES) and not (excludes and is_excluded(full, excludes)):
                yield full
        subdirs.sort(reverse=True)  # popped in name order
        pending.extend(subdirs)
    for problem in errors:
        yield WalkError(problem.filename or root, problem.strerror or str(problem))


def iter_files(paths: Iterable[str], excludes: Iterable[str] = (),
               listed: list[str] | None = None) -> Iterator[str | WalkError]:
    """Files named directly are always taken; directories are walked for *.yml/*.yaml (each one
    listed is appended to ``listed``)."""
    patterns = tuple(excludes)
    for path in paths:
        if os.path.isdir(path):
            yield from _walk_dir(path, patterns, listed)
        elif os.path.lexists(path) or path == "-":
            yield path
        else:
            yield WalkError(path, "No such file or directory")
