"""File kind detection: playbook, task file, handler file, or not Ansible content. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from shep.keywords import BLOCK_SECTIONS, IMPORT_PLAYBOOK_ACTIONS, NOT_MODULE_KEYS

FileKind = Literal["playbook", "tasks", "handlers"]

# A mapping with one of these is a play (or a playbook import), never a task.
_PLAY_MARKERS = frozenset({"hosts", "import_playbook", *IMPORT_PLAYBOOK_ACTIONS,
                           "roles", "pre_tasks", "post_tasks", "tasks", "handlers", "vars_files",
                           "gather_facts"})
# Directories whose lists are tasks or handlers (a role's layout).
_DIR_KINDS: dict[str, FileKind] = {"tasks": "tasks", "handlers": "handlers"}


def _is_play(item: Any) -> bool:
    if not isinstance(item, dict) or _PLAY_MARKERS.isdisjoint(item):  # most items: tasks, told in one C call
        return False
    return any(isinstance(k, str) and k in _PLAY_MARKERS for k in item) and not any(k in item for k in BLOCK_SECTIONS)


def _is_task(item: Any) -> bool:
    if not isinstance(item, dict) or not item:
        return False
    if any(k in item for k in BLOCK_SECTIONS):
        return True
    return any(isinstance(k, str) and k not in NOT_MODULE_KEYS for k in item) or "action" in item \
        or "local_action" in item


def kind_from_path(path: str) -> FileKind | None:
    """``tasks``/``handlers`` for a file inside such a directory (nearest directory wins)."""
    parts = [part for part in path.replace("\\", "/").split("/") if part and part != "."]  # PurePosixPath's
    for part in reversed(parts[:-1]):
        if part in _DIR_KINDS:
            return _DIR_KINDS[part]
    return None


def detect_kind(path: str, data: Any) -> FileKind | None:
    """The kind of a loaded file, or None when it is not a playbook/task/handler file."""
    if data is None or data == []:
        return kind_from_path(path)  # an empty file in tasks/ is an empty task file
    if not isinstance(data, list):
        return None
    items: Sequence[Any] = [item for item in data if item is not None]
    if not items:
        return kind_from_path(path)
    if any(_is_play(item) for item in items):
        return "playbook"
    by_path = kind_from_path(path)
    if by_path is not None and all(isinstance(item, dict) for item in items):
        return by_path
    if all(_is_task(item) for item in items):
        return "tasks"
    return None
