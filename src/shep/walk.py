"""Which files to look at: walk directories for YAML files, skipping VCS and virtualenv trees."""

from __future__ import annotations

import errno
import fnmatch
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

YAML_SUFFIXES = (".yml", ".yaml")
SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "node_modules", "__pycache__",
                       ".mypy_cache", ".pytest_cache", ".ruff_cache", ".shep_cache", ".cache", "site-packages"})


@dataclass(frozen=True, slots=True)
class WalkError:
    path: str
    message: str


def is_excluded(path: str, excludes: Iterable[str]) -> bool:
    posix = path.replace(os.sep, "/")
    return any(fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(os.path.basename(posix), pattern)
               for pattern in excludes)


def _points_to_enclosing(dirpath: str) -> bool:
    """A directory reached through a link to itself or to one of its ancestors."""
    real = os.path.realpath(dirpath)
    parent = os.path.realpath(os.path.dirname(dirpath))
    return parent == real or parent.startswith(real.rstrip(os.sep) + os.sep)


def _is_link_loop(path: str) -> bool:
    """Links that resolve to each other forever (os.walk lists them among the files)."""
    if not os.path.islink(path):
        return False
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def _walk_dir(root: str, excludes: tuple[str, ...]) -> Iterator[str | WalkError]:
    errors: list[OSError] = []
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append, followlinks=True):
        try:
            stat = os.stat(dirpath)
        except OSError as exc:
            yield WalkError(dirpath, exc.strerror or str(exc))
            continue
        if (stat.st_dev, stat.st_ino) in seen:  # each directory once, whatever links lead to it
            dirnames[:] = []
            if _points_to_enclosing(dirpath):
                yield WalkError(dirpath, "symlink loop: links to an enclosing directory (not followed)")
            continue
        seen.add((stat.st_dev, stat.st_ino))
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.endswith(".egg-info")
                             and not is_excluded(os.path.join(dirpath, d), excludes))
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            if _is_link_loop(full):
                yield WalkError(full, "symlink loop (not followed)")
            elif name.endswith(YAML_SUFFIXES) and not is_excluded(full, excludes):
                yield full
    for problem in errors:
        yield WalkError(problem.filename or root, problem.strerror or str(problem))


def iter_files(paths: Iterable[str], excludes: Iterable[str] = ()) -> Iterator[str | WalkError]:
    """Files named directly are always taken; directories are walked for *.yml/*.yaml."""
    patterns = tuple(excludes)
    for path in paths:
        if os.path.isdir(path):
            yield from _walk_dir(path, patterns)
        elif os.path.lexists(path) or path == "-":
            yield path
        else:
            yield WalkError(path, "No such file or directory")
