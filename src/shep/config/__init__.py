"""Project configuration: ``[tool.shep]`` in pyproject.toml or a ``.shep.yml`` file.

This module says which files configuration is read from (``CONFIG_FILES``, ``candidate_files``)
and imports nothing else: the replay of ``shep validate`` (``shep.cli.replay``) keys its records
on those files' bytes before anything else of shep is imported (``shep.config.settings`` brings
``enum`` and the records, a few milliseconds of a 20 ms replay). What the files say and how they
are read is ``shep.config.settings``; its names are exported here, imported on first use.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from shep.config.settings import Config, ConfigError, from_mapping, load_config

__all__ = ["CONFIG_FILES", "Config", "ConfigError", "candidate_files", "from_mapping", "load_config"]

# The names looked for in each directory, in the order they are tried: the first that exists wins,
# except a pyproject.toml without a [tool.shep] table (a file ending in .toml is read as TOML).
CONFIG_FILES = (".shep.yml", ".shep.yaml", "pyproject.toml")


def candidate_files(explicit: str | os.PathLike[str] | None = None, start: str | os.PathLike[str] = ".") -> list[str]:
    """Every file ``load_config(explicit, start)`` may read, in the order it tries them: the
    explicit file alone, else each of CONFIG_FILES in ``start`` (resolved) and then in each
    directory above it, up to the root."""
    if explicit is not None:
        return [os.fspath(explicit)]
    candidates: list[str] = []
    folder = os.path.realpath(start)  # as Path.resolve(), without importing pathlib
    while True:
        candidates.extend(os.path.join(folder, name) for name in CONFIG_FILES)
        parent = os.path.dirname(folder)
        if parent == folder:
            return candidates
        folder = parent


_EXPORTS = frozenset({"Config", "ConfigError", "from_mapping", "load_config"})


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'shep.config' has no attribute {name!r}")
    from shep.config import settings

    value = getattr(settings, name)
    globals()[name] = value
    return value
