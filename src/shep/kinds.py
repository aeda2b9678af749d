"""File kind detection: playbook, task file, handler file, or not Ansible content. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Sequence

from shep.keywords import BLOCK_SECTIONS, IMPORT_PLAYBOOK_ACTIONS, NOT_MODULE_KEYS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

    # A type alias for type checkers only: typing is not worth its start-up at run time.
    FileKind = Literal["playbook", "tasks", "handlers"]

# A mapping with one of these is a play (or a playbook import), never a task.
_PLAY_MARKERS = frozenset({"hosts", "import_playbook", *IMPORT_PLAYBOOK_ACTIONS,
                           "roles", "pre_tasks", "post_tasks", "tasks", "handlers", "vars_files",
                           "gather_facts"})
# Directories whose lists are tasks or handlers (a role's layout).
_DIR_KINDS: dict[str, FileKind] = {"tasks": "tasks", "handlers": "handlers"}
# Directories whose YAML is data, never tasks or plays: variables, files and templates shipped
# as they are, inventories, changelogs, CI settings, Event-Driven Ansible rulebooks.
_DATA_DIRS = frozenset({"vars", "defaults", "files", "templates", "host_vars", "group_vars", "changelogs",
                        ".github", ".gitlab", ".azure-pipelines", ".circleci", "rulebooks"})
# Well-known YAML files of other tools (some are lists of mappings that look like tasks).
_OTHER_TOOLS_FILES = frozenset({"requirements.yml", "requirements.yaml", ".pre-commit-hooks.yaml",
                                ".pre-commit-config.yaml", "galaxy.yml", ".ansible-lint", ".yamllint",
                                ".yamllint.yml", ".yamllint.yaml", "mkdocs.yml", "docker-compose.yml",
                                "docker-compose.yaml", "compose.yml", "compose.yaml", ".gitlab-ci.yml"})


def _is_play(item: Any) -> bool:
    if not isinstance(item, dict) or _PLAY_MARKERS.isdisjoint(item):  # most items: tasks, told in one C call
        return False
    return not any(k in item for k in BLOCK_SECTIONS)


def _is_task(item: Any) -> bool:
    if not isinstance(item, dict) or not item:
        return False
    if any(k in item for k in BLOCK_SECTIONS):
        return True
    return any(isinstance(k, str) and k not in NOT_MODULE_KEYS for k in item) or "action" in item \
        or "local_action" in item


def _path_parts(path: str) -> list[str]:
    return [part for part in path.replace("\\", "/").split("/") if part and part != "."]  # PurePosixPath's


def kind_from_path(path: str) -> FileKind | None:
    """``tasks``/``handlers`` for a file inside such a directory (nearest directory wins)."""
    for part in reversed(_path_parts(path)[:-1]):
        if part in _DIR_KINDS:
            return _DIR_KINDS[part]
    return None


def _is_other_tools_data(path: str) -> bool:
    """A file another tool reads, or one in a data directory nearer than any tasks/handlers one."""
    parts = _path_parts(path)
    if parts and parts[-1] in _OTHER_TOOLS_FILES:
        return True
    for part in reversed(parts[:-1]):
        if part in _DIR_KINDS:
            return False
        if part in _DATA_DIRS:
            return True
    return False


def _is_rulebook_ruleset(item: Any) -> bool:
    """Event-Driven Ansible rulesets have a play's shape (``hosts``…) plus ``sources`` and ``rules``."""
    return isinstance(item, dict) and "sources" in item and "rules" in item


def detect_kind(path: str, data: Any) -> FileKind | None:
    """The kind of a loaded file, or None when it is not a playbook/task/handler file."""
    if data is None or data == []:
        return kind_from_path(path)  # an empty file in tasks/ is an empty task file
    if not isinstance(data, list):
        return None
    items: Sequence[Any] = [item for item in data if item is not None]
    if not items:
        return kind_from_path(path)
    if _is_other_tools_data(path) or any(_is_rulebook_ruleset(item) for item in items):
        return None
    if any(_is_play(item) for item in items):
        return "playbook"
    by_path = kind_from_path(path)
    if by_path is not None and all(isinstance(item, dict) for item in items):
        return by_path
    if all(_is_task(item) for item in items):
        return "tasks"
    return None
