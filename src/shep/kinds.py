"""File kind detection: playbook, task file, handler file, or not Ansible content. Pure, no I/O.

One function, ``classify``, decides for every caller (validate, dump, the library): the file's
place in a role's layout first, then the shape of its items. ``classify_document`` applies it to a
loaded file, including one that does not load (its path, or each document of a stream).
"""

from __future__ import annotations

from shep.keywords import (
    BLOCK_KEYWORDS,
    BLOCK_SECTIONS,
    IMPORT_PLAYBOOK_ACTIONS,
    LOOP_PREFIX,
    NOT_MODULE_KEYS,
    PLAY_KEYWORDS,
)

from shep.loader import Document, stream_values

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from shep.keywords import FileKind as FileKind

# A mapping with one of these is a play or a playbook import, wherever the file is.
_UNMISTAKABLE_PLAY_KEYS = frozenset({"hosts", *IMPORT_PLAYBOOK_ACTIONS})
# Keys only a play has. `gather_facts` and `user` are modules too (`- user: name=bob`), so they
# are left out: a play with no other play key has `hosts` anyway.
_PLAY_ONLY_KEYS = PLAY_KEYWORDS - NOT_MODULE_KEYS - BLOCK_KEYWORDS - {"gather_facts", "user"}
# Keys that can only be a module (or an unknown keyword): no task, block or play keyword.
_KEYWORDS = NOT_MODULE_KEYS | PLAY_KEYWORDS | BLOCK_KEYWORDS
# Directories whose lists are tasks or handlers (a role's layout).
_DIR_KINDS: dict[str, FileKind] = {"tasks": "tasks", "handlers": "handlers"}
# Directories whose YAML is data, never tasks or plays: variables, files and templates shipped
# as they are, inventories, changelogs, CI settings, Event-Driven Ansible rulebooks.
_DATA_DIRS = frozenset({"vars", "defaults", "files", "templates", "host_vars", "group_vars", "changelogs",
                        ".github", ".gitlab", ".azure-pipelines", ".circleci", "rulebooks"})
# Well-known YAML files of other tools (some are lists of mappings that look like tasks: Zuul's
# `- job: {...}`, requirements' `- src: ...`), including Ansible's own tools (Molecule, ansible-lint,
# ansible-navigator, ansible-builder).
_OTHER_TOOLS_FILES = frozenset({
    "requirements.yml", "requirements.yaml", ".pre-commit-hooks.yaml", ".pre-commit-config.yaml", "galaxy.yml",
    ".ansible-lint", ".ansible-lint.yml", ".ansible-lint.yaml", ".yamllint", ".yamllint.yml", ".yamllint.yaml",
    "molecule.yml", "molecule.yaml", "ansible-navigator.yml", "ansible-navigator.yaml", ".ansible-navigator.yml",
    ".ansible-navigator.yaml", "execution-environment.yml", "execution-environment.yaml", "mkdocs.yml",
    "mkdocs.yaml", ".readthedocs.yml", ".readthedocs.yaml", "docker-compose.yml", "docker-compose.yaml",
    "compose.yml", "compose.yaml", ".gitlab-ci.yml", ".travis.yml", ".zuul.yaml", ".zuul.yml", "zuul.yaml",
    "codecov.yml", ".codecov.yml",
})


def _has_module_key(item: dict[Any, Any]) -> bool:
    return any(isinstance(k, str) and k not in _KEYWORDS and not k.startswith(LOOP_PREFIX) for k in item)


def _is_unmistakably_play(item: Any) -> bool:
    return isinstance(item, dict) and not _UNMISTAKABLE_PLAY_KEYS.isdisjoint(item)


def _is_play(item: Any) -> bool:
    """A mapping with a play-only key and no module, that is no block."""
    if not isinstance(item, dict):
        return False
    if _is_unmistakably_play(item):
        return True
    if _PLAY_ONLY_KEYS.isdisjoint(item) and not isinstance(item.get("gather_facts"), bool):
        return False  # most items: tasks, told in one C call
    return not any(k in item for k in BLOCK_SECTIONS) and not _has_module_key(item)


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


def excluded_by_path(path: str) -> str | None:
    """Why a file is data or another tool's, from its path alone (None: it may be Ansible content).

    A ``tasks/`` or ``handlers/`` directory nearer than any data directory decides first, whatever
    the file's name: a role's ``tasks/requirements.yml`` is a task file.
    """
    parts = _path_parts(path)
    for part in reversed(parts[:-1]):
        if part in _DIR_KINDS:
            return None
        if part in _DATA_DIRS:
            return f"in a data directory ({part}/)"
    if parts and parts[-1] in _OTHER_TOOLS_FILES:
        return f"a file of another tool ({parts[-1]})"
    if parts and ".j2." in parts[-1]:  # site.j2.yml: YAML once rendered by Jinja, not as it is
        return "a Jinja template (.j2)"
    return None


def _is_rulebook_ruleset(item: Any) -> bool:
    """Event-Driven Ansible rulesets have a play's shape (``hosts``…) plus ``sources`` and ``rules``."""
    return isinstance(item, dict) and "sources" in item and "rules" in item


NOT_A_LIST = "not a list (playbooks, task files and handler files are YAML lists)"
NOT_TASKS_OR_PLAYS = "a list whose items are neither plays nor tasks"
RULEBOOK = "an Event-Driven Ansible rulebook (its rulesets have sources and rules)"
EMPTY = "empty"


def classify(path: str, data: Any) -> tuple[FileKind | None, str | None]:
    """The kind of a loaded file, or None and why it is not a playbook, task or handler file."""
    elsewhere = excluded_by_path(path)
    if elsewhere is not None:
        return None, elsewhere
    items = [item for item in data if item is not None] if isinstance(data, list) else data
    if items is None or items == []:
        by_path = kind_from_path(path)  # an empty file in tasks/ is an empty task file
        return by_path, None if by_path else EMPTY
    if not isinstance(items, list):
        return None, NOT_A_LIST
    if any(_is_rulebook_ruleset(item) for item in items):
        return None, RULEBOOK
    if any(_is_unmistakably_play(item) for item in items):
        return "playbook", None
    by_path = kind_from_path(path)
    if by_path is not None:  # a role's layout decides, whatever its items are: ansible-core loads them as such
        return by_path, None
    if any(_is_play(item) for item in items):
        return "playbook", None
    if all(_is_task(item) for item in items):
        return "tasks", None
    return None, NOT_TASKS_OR_PLAYS


def detect_kind(path: str, data: Any) -> FileKind | None:
    """The kind of a loaded file, or None when it is not a playbook/task/handler file."""
    return classify(path, data)[0]


def classify_document(document: Document) -> tuple[FileKind | None, str | None]:
    """Kind from directory and content, or None and why the file is not Ansible content.

    (None, None) for a file that does not load and whose path does not tell what it is.
    """
    data = document.root.value if document.root is not None else None
    if document.loadable:
        return classify(document.path, data)
    excluded = excluded_by_path(document.path)
    if excluded is not None:
        return None, excluded
    if _is_multi_document(document):  # ansible-core rejects it (Y005) if it is Ansible content at all
        values = stream_values(document.text, document.path)
        if values is not None:
            kinds = [kind for kind, _why in (classify(document.path, value) for value in values) if kind is not None]
            if not kinds:
                return None, f"a stream of {len(values)} YAML documents, none of them Ansible content"
            return kinds[0], None
    return classify(document.path, data)[0] or kind_from_path(document.path), None


def _is_multi_document(document: Document) -> bool:
    return [d.code for d in document.diagnostics] == ["Y005"]
