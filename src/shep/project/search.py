"""Where ansible-core looks for a referenced file or role, restated without Ansible.

Each function mirrors one function of ansible-core 2.19 (named in its docstring), candidate for
candidate and in the same order, so that the first existing candidate is the one ansible-core
loads. They read the file system only through a :class:`shep.project.fs.Disk` and never run or
template anything: a templated name is the caller's business (recorded as dynamic).

``cwd`` stands for ansible-playbook's working directory and ``basedir`` for its loader's base
directory (the directory of the playbook file of the play being loaded).
"""

from __future__ import annotations

import os
import re

from shep._records import record
from shep.project.fs import Disk, join
from shep.project.fs import dirname as _dirname  # 'dirname' is ansible-core's parameter name here

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import NamedTuple
else:
    from shep._records import NamedTuple

# ansible.parsing.dataloader.RE_TASKS
_RE_TASKS = re.compile(r"(?:^|/)+tasks/?$")
# ansible.constants.YAML_FILENAME_EXTENSIONS, the order roles use (Role._load_role_yaml)
ROLE_EXTENSIONS = (".yml", ".yaml", ".json")
# A collection reference: namespace.collection.name (AnsibleCollectionRef.is_valid_fqcr, roughly).
_FQCR = re.compile(r"^[A-Za-z_]\w*\.[A-Za-z_]\w*\.[A-Za-z_][\w.]*$")
JINJA_OPENERS = ("{{", "{%", "{#")


def is_templated(value: object) -> bool:
    """ansible-core's is_possibly_template: a string that may hold Jinja."""
    return isinstance(value, str) and any(opener in value for opener in JINJA_OPENERS)


def is_fqcr(name: str) -> bool:
    """A ``namespace.collection.resource`` name (AnsibleCollectionRef.is_valid_fqcr)."""
    return _FQCR.match(name) is not None and "/" not in name


def unquote(text: str) -> str:
    """ansible.parsing.quoting.unquote: one pair of matching outer quotes removed."""
    if len(text) > 1 and text[0] == text[-1] and text[0] in "\"'" and text[-2] != "\\":
        return text[1:-1]
    return text


def unfrack(path: str, base: str) -> str:
    """ansible.utils.path.unfrackpath(path, follow=False, basedir=base): environment variables and
    ``~`` expanded, made absolute against ``base``, normalized (links are not followed)."""
    if "$" in path:
        path = os.path.expandvars(path)
    if path[:1] == "~":
        path = os.path.expanduser(path)
    return os.path.normpath(path if os.path.isabs(path) else join(base, path))


class Where(NamedTuple):
    """The loader's state when a reference is resolved: its base directory and the working directory
    (a named tuple: part of every memo key of the walk, hashed often)."""

    basedir: str
    cwd: str


def path_dwim(given: str, where: Where) -> str:
    """DataLoader.path_dwim: a path relative to the loader's base directory."""
    given = unquote(given)
    path = given if given.startswith(("/", "~")) else join(where.basedir, given)
    return unfrack(path, where.cwd)


def is_role_dir(path: str, where: Where, disk: Disk) -> bool:
    """DataLoader._is_role: a role's main file near ``path`` (ansible-core's "imperfect role detection")."""
    parent = _dirname(path)
    upath = unfrack(path, where.cwd)
    if _RE_TASKS.search(path) and any(disk.exists(join(path, name))
                                      for name in ("main.yml", "main.yaml", "main")):
        return True
    for folder in (upath, parent):
        for sub in ("tasks", "meta"):
            for name in ("main.yml", "main.yaml", "main"):
                if disk.exists(join(join(folder, sub), name)):
                    return True
    return False


def dwim_relative_candidates(path: str, dirname: str, source: str, where: Where, disk: Disk, *,
                             is_role: bool = False) -> Iterator[str]:
    """The candidates DataLoader.path_dwim_relative tries, in its order (made one at a time: the
    first usually exists)."""
    if source.startswith(("/", "~")):
        yield unfrack(source, where.cwd)
        return
    yield join(join(path, dirname), source)
    basedir = unfrack(path, where.cwd)
    if not is_role:
        is_role = is_role_dir(path, where, disk)
    if is_role and _RE_TASKS.search(path):
        basedir = unfrack(_dirname(path), where.cwd)
    yield unfrack(join(join(basedir, dirname), source), where.cwd)
    if is_role and not source.endswith(dirname):
        yield unfrack(join(join(basedir, "tasks"), source), where.cwd)
    yield unfrack(join(dirname, source), where.cwd)
    yield unfrack(join(basedir, source), where.cwd)
    yield path_dwim(join(dirname, source), where)
    yield path_dwim(source, where)


def path_dwim_relative(path: str, dirname: str, source: str, where: Where, disk: Disk, *,
                       is_role: bool = False) -> str:
    """DataLoader.path_dwim_relative: the first candidate that exists, else the last one."""
    candidate = ""
    for candidate in dwim_relative_candidates(path, dirname, source, where, disk, is_role=is_role):
        if disk.exists(candidate):
            return candidate
    return candidate


def path_dwim_relative_stack(paths: list[str], dirname: str, source: str, where: Where,
                             disk: Disk) -> tuple[str | None, list[str]]:
    """DataLoader.path_dwim_relative_stack (``vars_files``): the first existing candidate (None if
    none) and the candidates. ansible-core compares bytes with text to decide whether to add
    ``dirname`` (``b_source.split(b'/')[0] != dirname``): always unequal, so it always adds it."""
    if source.startswith(("~", "/")):
        found = unfrack(source, where.cwd)
        return (found if disk.exists(found) else None), [found]
    search: list[str] = []
    for path in paths:
        upath = unfrack(path, where.cwd)
        pb_base_dir = _dirname(upath)
        if pb_base_dir.endswith("/tasks") and is_role_dir(path, where, disk):
            search.append(join(join(_dirname(pb_base_dir), dirname), source))
            search.append(join(pb_base_dir, source))
        search.append(join(join(upath, dirname), source))
        search.append(join(upath, source))
    search.append(join(join(where.basedir, dirname), source))
    search.append(join(where.basedir, source))
    for candidate in search:
        if disk.exists(candidate):
            return candidate, search
    return None, search


# -- task files: import_tasks (helpers.load_list_of_tasks) and include_tasks (IncludedFile) ----


class TaskContext(NamedTuple):
    """What resolving a task file reference depends on besides the name.

    ``role``: the path of the role the referencing task belongs to (``task._role``), or "".
    ``parents``: the directories of the enclosing include/import tasks, innermost first, as
    ansible-core derives them (``dirname`` of each one's file name as written, or an including
    role's path).
    """

    where: Where
    role: str = ""
    parents: tuple[str, ...] = ()
    handlers: bool = False


def import_candidates(target: str, context: TaskContext, disk: Disk) -> list[str]:
    """The file a static ``import_tasks`` loads (helpers.load_list_of_tasks): each enclosing
    include's directory, accumulated, then the role's or the loader's base directory. The last
    entry is the one loaded when none before it exists; the others are the ones tried first."""
    subdir = "handlers" if context.handlers else "tasks"
    tried: list[str] = []
    cumulative: str | None = None
    for parent_dir in context.parents:
        if cumulative is None:
            cumulative = parent_dir
        elif not os.path.isabs(cumulative):
            cumulative = join(parent_dir, cumulative)
        if context.role:
            new_basedir = join(join(context.role, subdir), cumulative)
            found = path_dwim_relative(new_basedir, subdir, target, context.where, disk)
        else:
            found = path_dwim_relative(context.where.basedir, cumulative, target, context.where, disk)
        if disk.exists(found):
            return [*tried, found]
        tried.append(found)
    if context.role:
        return [*tried, path_dwim_relative(context.role, subdir, target, context.where, disk)]
    return [*tried, path_dwim(target, context.where)]


def include_candidates(target: str, context: TaskContext, disk: Disk) -> list[str]:
    """The file a dynamic ``include_tasks`` loads when it runs (IncludedFile.process_include_results).

    Unlike the static walk, a cumulative path that is absolute is replaced by the next parent's
    directory, a role tries two bases per parent, and when there are enclosing includes the last
    candidate tried is loaded (no fall back to the base directory)."""
    subdir = "handlers" if context.handlers else "tasks"
    tried: list[str] = []
    cumulative: str | None = None
    found: str | None = None
    for parent_dir in context.parents:
        if cumulative is not None and not os.path.isabs(cumulative):
            cumulative = join(parent_dir, cumulative)
        else:
            cumulative = parent_dir
        if context.role:
            new_basedir = join(join(context.role, subdir), cumulative)
            options = [path_dwim_relative(context.role, subdir, target, context.where, disk, is_role=True),
                       path_dwim_relative(new_basedir, subdir, target, context.where, disk, is_role=True)]
            found = next((option for option in options if disk.exists(option)), options[-1])
        else:
            found = path_dwim_relative(context.where.basedir, cumulative, target, context.where, disk)
        tried.append(found)
        if disk.exists(found):
            return tried
    if found is not None:
        return tried
    if context.role:
        return [path_dwim_relative(context.role, subdir, target, context.where, disk, is_role=True)]
    return [path_dwim(target, context.where)]


# -- roles: RoleDefinition._load_role_path, Role._load_role_yaml --------------------------------


def role_search_paths(basedir: str, roles_path: tuple[str, ...], role_basedir: str) -> list[str]:
    """RoleDefinition._load_role_path's list: ``roles/`` beside the playbook, the configured roles
    path, the including role's directory (dependencies only), the playbook's directory."""
    paths = [join(basedir, "roles"), *roles_path]
    if role_basedir:
        paths.append(role_basedir)
    paths.append(basedir)
    return paths


def find_role(name: str, search: list[str], where: Where, disk: Disk) -> str | None:
    """RoleDefinition._load_role_path: the first ``<path>/<name>`` that exists, else ``name`` itself
    as a path (relative to the working directory)."""
    for path in search:
        candidate = unfrack(join(path, name), where.cwd)
        if disk.exists(candidate):
            return candidate
    candidate = unfrack(name, where.cwd)
    return candidate if disk.exists(candidate) else None


def find_collection_role(name: str, roots: tuple[str, ...], disk: Disk) -> str | None:
    """``ns.coll.role`` in installed collections: ``<root>/ansible_collections/ns/coll/roles/role``."""
    namespace, collection, role = name.split(".", 2)
    tail = f"/{namespace}/{collection}/roles/{role.replace('.', '/')}"  # ns.coll.sub.role: roles/sub/role
    for root in roots:
        base = root if root.endswith("/ansible_collections") else f"{root.rstrip('/')}/ansible_collections"
        if disk.is_dir(base + tail):
            return base + tail
    return None


def find_collection(name: str, roots: tuple[str, ...], disk: Disk) -> str | None:
    """The directory of the collection of a ``ns.coll.resource`` name, when one of ``roots`` has it."""
    namespace, collection = name.split(".", 2)[:2]
    for root in roots:
        base = root if root.endswith("/ansible_collections") else f"{root.rstrip('/')}/ansible_collections"
        if disk.is_dir(f"{base}/{namespace}/{collection}"):
            return f"{base}/{namespace}/{collection}"
    return None


def find_collection_playbook(name: str, roots: tuple[str, ...], disk: Disk) -> str | None:
    """``ns.coll.playbook`` in installed collections (_get_collection_playbook_path)."""
    namespace, collection, playbook = name.split(".", 2)
    for root in roots:
        base = root if os.path.basename(root) == "ansible_collections" else join(root, "ansible_collections")
        stem = os.path.join(base, namespace, collection, "playbooks", *playbook.split("."))
        for extension in (".yml", ".yaml"):
            if disk.is_file(stem + extension):
                return stem + extension
    return None


def _vars_dir_files(path: str, extensions: tuple[str, ...], disk: Disk) -> list[str]:
    """DataLoader._get_dir_vars_files: a directory's files, sorted, recursively, hidden and backups skipped."""
    found: list[str] = []
    for name in disk.listdir(path):
        if name.startswith(".") or name.endswith("~"):
            continue
        ext = os.path.splitext(name)[1]
        full = join(path, name)
        if disk.is_dir(full) and not ext:
            found.extend(_vars_dir_files(full, extensions, disk))
        elif disk.is_file(full) and (not ext or ext in extensions):
            found.append(full)
    return found


def find_vars_files(path: str, name: str, extensions: tuple[str, ...], allow_dir: bool, disk: Disk) -> list[str]:
    """DataLoader.find_vars_files: ``<path>/<name>`` with the first extension that exists (a
    directory's files when ``allow_dir``)."""
    base = join(path, name)
    for ext in extensions:
        full = base + ext if "." in ext else f"{base}.{ext}" if ext else base
        if disk.exists(full):
            if disk.is_dir(full):
                if allow_dir:
                    return _vars_dir_files(full, extensions, disk)
                continue
            return [full]
    return []


def is_subpath(child: str, parent: str) -> bool:
    """ansible.utils.path.is_subpath (without following links)."""
    c, p = os.path.normpath(child).split("/"), os.path.normpath(parent).split("/")
    return c[:len(p)] == p


@record
class RoleFiles:
    """What Role._load_role_yaml finds: the files, or ansible-core's error when it finds none."""

    files: tuple[str, ...] = ()
    error: str | None = None


NO_FILES = RoleFiles()  # shared: most roles lack most directories


def role_files(role_path: str, subdir: str, main: str | None, disk: Disk, *, allow_dir: bool = False,
               role_name: str = "") -> RoleFiles:
    """Role._load_role_yaml: ``<role>/<subdir>/main`` (or ``main``, the ``*_from`` option's value)
    with ``.yml``, ``.yaml``, ``.json`` or no extension. A role without that directory has none,
    even when ``*_from`` names a file."""
    folder = join(role_path, subdir)
    if not disk.is_dir(folder):
        return NO_FILES
    if main is None:
        found = find_vars_files(folder, "main", (*ROLE_EXTENSIONS, ""), allow_dir, disk)
    else:
        found = find_vars_files(folder, main, ("", *ROLE_EXTENSIONS), allow_dir, disk)
    if not found:
        if main is not None:
            return RoleFiles(error=f"Could not find specified file in role: {subdir}/{main}")
        return NO_FILES
    for path in found if main is not None else ():  # main's files, in <subdir>/main/ or beside it, are inside
        if not is_subpath(path, folder):
            return RoleFiles(error=f"Failed loading '{path}' for role ({role_name}) as it is not inside the "
                                   f"expected role path: '{folder}'")
    return RoleFiles(tuple(found))
