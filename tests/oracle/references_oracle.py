#!/usr/bin/env python
"""Ground-truth oracle for the project graph: the task files and roles ansible-core loads for a playbook.

TEST TOOL ONLY: needs ansible-core (the ``oracle`` extra, ansible-core==2.19.14); shep's runtime
code never imports it.

    cd DIR && python tests/oracle/references_oracle.py PLAYBOOK...

For each playbook it prints one JSON line::

    {"playbook", "error", "files": [...], "roles": [...]}

``error``: the message ansible-core stops on while loading (None when it loads); ``files``: every
file a task or handler was loaded from (real paths); ``roles``: every role a task or handler belongs
to (real paths). ansible-core itself loads them: ``Playbook.load`` (imports, ``roles:``,
``import_role`` and role dependencies), then, as a run would, each dynamic ``include_tasks`` of a
literal file (``IncludedFile.process_include_results`` with the result the include action gives,
then ``load_list_of_blocks`` as the strategy loads it) and each ``include_role`` of a literal name
(``IncludeRole.get_block_list``), recursively. Nothing runs; conditions are not evaluated (every
include is followed, as shep follows it). ansible-core reads its configuration (``ansible.cfg``
of the working directory: ``roles_path``…) once, when it is imported: start the oracle in the
directory ansible-playbook would run in (shep takes the nearest one holding an ansible.cfg:
``shep.project.settings.working_directory``, which ``--print-cwd`` prints for each playbook).
Tasks are loaded without resolving their modules (collections are not installed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from types import SimpleNamespace
from typing import Any

from ansible import context  # noqa: E402
from ansible.errors import AnsibleError  # noqa: E402
from ansible.inventory.host import Host  # noqa: E402
from ansible.inventory.manager import InventoryManager  # noqa: E402
from ansible.parsing.dataloader import DataLoader  # noqa: E402
from ansible.playbook import Playbook  # noqa: E402
from ansible.playbook.block import Block  # noqa: E402
from ansible.playbook.handler import Handler  # noqa: E402
from ansible.playbook.helpers import load_list_of_blocks  # noqa: E402
from ansible.playbook.included_file import IncludedFile  # noqa: E402
from ansible.playbook.role_include import IncludeRole  # noqa: E402
from ansible.playbook.task_include import TaskInclude  # noqa: E402
from ansible.plugins.loader import init_plugin_loader  # noqa: E402
from ansible.utils.display import Display  # noqa: E402
from ansible.utils.collection_loader import AnsibleCollectionConfig  # noqa: E402
from ansible.utils.collection_loader._collection_finder import _get_collection_name_from_path  # noqa: E402
from ansible.vars.manager import VariableManager  # noqa: E402

JINJA = ("{{", "{%", "{#")
MAX_DEPTH = 40


def _templated(value: object) -> bool:
    return not isinstance(value, str) or any(marker in value for marker in JINJA)


class Collector:
    def __init__(self, loader: DataLoader, variables: VariableManager, play: Any) -> None:
        self.loader = loader
        self.variables = variables
        self.play = play
        self.host = Host("localhost")
        self.files: set[str] = set()
        self.roles: set[str] = set()
        self.seen: set[tuple[str, str]] = set()

    def blocks(self, blocks: list[Any], depth: int = 0) -> None:
        for block in blocks:
            self.block(block, depth)

    def block(self, block: Any, depth: int) -> None:
        for task in (*block.block, *block.rescue, *block.always):
            if isinstance(task, Block):
                self.block(task, depth)
            else:
                self.task(task, depth)

    def task(self, task: Any, depth: int) -> None:
        if getattr(task, "implicit", False):  # the meta tasks ansible-core adds (role_complete, flush_handlers)
            return
        path = task.get_path()
        if path:
            self.files.add(os.path.realpath(path.rsplit(":", 1)[0]))
        if task._role is not None:
            self.roles.add(os.path.realpath(task._role._role_path))
        if depth >= MAX_DEPTH or getattr(task, "statically_loaded", False):
            return
        if isinstance(task, IncludeRole):
            self.include_role(task, depth)
        elif isinstance(task, TaskInclude):
            self.include_tasks(task, depth)

    def include_role(self, task: Any, depth: int) -> None:
        name = task._role_name
        if _templated(name) or any(_templated(v) for v in task._from_files.values()):
            return
        key = ("role", f"{name}|{sorted(task._from_files.items())}|{depth}")
        if key in self.seen:
            return
        self.seen.add(key)
        blocks, handlers = task.get_block_list(play=self.play, variable_manager=self.variables, loader=self.loader)
        self.blocks(blocks, depth + 1)
        self.blocks(handlers, depth + 1)

    def include_tasks(self, task: Any, depth: int) -> None:
        raw = task.args.get("_raw_params")
        if _templated(raw):
            return
        one = {"include": raw, "include_args": {}}
        if task.loop is not None:  # what the include action returns for each item of a loop
            looped = [{**one, "item": None, "ansible_loop_var": "item"}]
            result = SimpleNamespace(host=self.host, task=task, _return_data={"results": looped}, _loop_results=looped)
        else:
            result = SimpleNamespace(host=self.host, task=task, _return_data=one, _loop_results=[])
        iterator = SimpleNamespace(_play=self.play)
        included = IncludedFile.process_include_results([result], iterator, self.loader, self.variables)
        for found in included:
            filename = found._filename
            key = (filename, str(id(task._role)) if task._role else "")
            if key in self.seen:
                continue
            self.seen.add(key)
            data = self.loader.load_from_file(filename)
            if not data:
                continue
            copy = task.copy(exclude_parent=True)
            copy._parent = task._parent
            blocks = load_list_of_blocks(data, play=self.play, parent_block=copy.build_parent_block(),
                                         role=task._role, use_handlers=isinstance(task, Handler),
                                         loader=self.loader, variable_manager=self.variables)
            self.blocks(blocks, depth + 1)


def references(playbook: str) -> dict[str, Any]:
    loader = DataLoader()
    inventory = InventoryManager(loader=loader, sources=["localhost,"])
    variables = VariableManager(loader=loader, inventory=inventory)
    files: set[str] = set()
    roles: set[str] = set()
    # As PlaybookExecutor does: a playbook inside an installed collection makes that collection the default.
    AnsibleCollectionConfig.default_collection = _get_collection_name_from_path(playbook)
    try:
        loaded = Playbook.load(playbook, variable_manager=variables, loader=loader)
        for play in loaded.get_plays():
            loader.set_basedir(play._included_path if play._included_path is not None else loaded._basedir)
            collector = Collector(loader, variables, play)
            collector.blocks(play.compile())
            collector.blocks(play.compile_roles_handlers() + play.handlers)
            files |= collector.files
            roles |= collector.roles
    except (AnsibleError, RecursionError, OSError) as error:
        return {"playbook": playbook, "error": f"{type(error).__name__}: {error}".splitlines()[0],
                "files": sorted(files), "roles": sorted(roles)}
    return {"playbook": playbook, "error": None, "files": sorted(files), "roles": sorted(roles)}


def _skip_action_validation() -> None:
    """Load tasks whose module is not installed (a collection's): references are what is compared,
    and ansible-core 2.19 otherwise stops at the first unknown module when it loads the task."""
    from ansible.parsing import mod_args

    parse = mod_args.ModuleArgsParser.parse

    def lenient(self: Any, skip_action_validation: bool = False) -> Any:
        return parse(self, skip_action_validation=True)

    mod_args.ModuleArgsParser.parse = lenient  # type: ignore[method-assign]

    from ansible.playbook.base import Base

    resolve = Base._resolve_action

    def lenient_defaults(self: Any, action_name: str, mandatory: bool = True) -> Any:  # module_defaults
        return resolve(self, action_name, mandatory=False) or action_name

    Base._resolve_action = lenient_defaults  # type: ignore[method-assign]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--print-cwd", action="store_true",
                        help="print the working directory shep takes for each playbook (JSON lines), load nothing")
    parser.add_argument("playbooks", nargs="+")
    args = parser.parse_args(argv)
    paths = [os.path.abspath(playbook) for playbook in args.playbooks]
    if args.print_cwd:
        from shep.project.fs import Disk
        from shep.project.settings import working_directory

        disk = Disk()
        for path in paths:
            print(json.dumps({"playbook": path, "cwd": working_directory(os.path.dirname(path), disk)}))
        return 0
    context.CLIARGS = context.CLIArgs({})  # type: ignore[attr-defined]
    init_plugin_loader()
    _skip_action_validation()
    Display().verbosity = 0
    for path in paths:
        print(json.dumps(references(path)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
