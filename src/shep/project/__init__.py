"""The project: playbooks, roles, task files and handler files, and every reference between them,
resolved statically as ansible-core resolves them: ``shep.project.search`` holds ansible-core's
search orders, ``shep.project.graph`` the walk, ``shep.project.build`` the assembly.

The names are exported lazily: ``shep.project.settings`` (which a replayed run reads) must not
load the graph's code.
"""

from __future__ import annotations

TYPE_CHECKING = False

# The environment variables that move where ansible-core looks for roles, modules and collections (a
# replayed run's key hashes them: shep.cli.replay.run_key).
ENVIRONMENT = ("ANSIBLE_CONFIG", "ANSIBLE_HOME", "ANSIBLE_ROLES_PATH", "ANSIBLE_LIBRARY", "ANSIBLE_ACTION_PLUGINS",
               "ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_COLLECTIONS_PATHS", "HOME")

_EXPORTS = {
    "BYTES": "shep.project.graph",
    "COLLECTION": "shep.project.graph",
    "CYCLE": "shep.project.graph",
    "DYNAMIC": "shep.project.graph",
    "EMPTY": "shep.project.graph",
    "FOUND": "shep.project.graph",
    "INVALID": "shep.project.graph",
    "KIND": "shep.project.graph",
    "LISTING": "shep.project.graph",
    "MISSING": "shep.project.graph",
    "WRONG_KIND": "shep.project.graph",
    "DuplicateHandler": "shep.project.graph",
    "Edge": "shep.project.graph",
    "FileFacts": "shep.project.graph",
    "Project": "shep.project.graph",
    "ProjectFile": "shep.project.graph",
    "RoleArguments": "shep.project.graph",
    "RoleNode": "shep.project.graph",
    "TreeNode": "shep.project.graph",
    "UnknownHandler": "shep.project.graph",
    "shown_path": "shep.project.graph",
    "FileSummary": "shep.project.summary",
    "RoleMeta": "shep.project.summary",
    "is_role_meta": "shep.project.summary",
    "role_meta": "shep.project.summary",
    "summarize": "shep.project.summary",
    "Files": "shep.project.build",
    "Loader": "shep.project.build",
    "absolute": "shep.project.build",
    "build_project": "shep.project.build",
    "build_project_of": "shep.project.build",
    "payload_data": "shep.project.build",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from typing import Any

    from shep.project.build import (
        Files as Files,
        Loader as Loader,
        absolute as absolute,
        build_project as build_project,
        build_project_of as build_project_of,
        payload_data as payload_data,
    )
    from shep.project.graph import (
        BYTES as BYTES,
        COLLECTION as COLLECTION,
        CYCLE as CYCLE,
        DYNAMIC as DYNAMIC,
        EMPTY as EMPTY,
        FOUND as FOUND,
        INVALID as INVALID,
        KIND as KIND,
        LISTING as LISTING,
        MISSING as MISSING,
        WRONG_KIND as WRONG_KIND,
        DuplicateHandler as DuplicateHandler,
        Edge as Edge,
        FileFacts as FileFacts,
        Project as Project,
        ProjectFile as ProjectFile,
        RoleArguments as RoleArguments,
        RoleNode as RoleNode,
        TreeNode as TreeNode,
        UnknownHandler as UnknownHandler,
        shown_path as shown_path,
    )
    from shep.project.summary import (
        FileSummary as FileSummary,
        RoleMeta as RoleMeta,
        is_role_meta as is_role_meta,
        role_meta as role_meta,
        summarize as summarize,
    )


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'shep.project' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
