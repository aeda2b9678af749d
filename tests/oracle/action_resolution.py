#!/usr/bin/env python
"""Ground truth for shep.resolve: the FQCN ansible-core resolves a task's action to.

TEST TOOL ONLY: needs ansible-core (the ``oracle`` extra, ansible-core==2.19.14). Run it in a
directory that is not ansible's package directory (it shadows the stdlib ``collections``).

    python tests/oracle/action_resolution.py names < cases.json
        cases: a JSON list of [action, form, collections]; form "key" (the task is keyed by the action)
        or "action" (``action: <name>``); collections: the keyword's value (null, a string or a list).
        Prints a JSON list, one outcome per case.
    python tests/oracle/action_resolution.py playbook FILE
        loads FILE with Playbook.load and prints, for every task by its line, the name resolved when
        the task loaded (``load``), the outcome when it runs (``run``) and its collection list.

An outcome is ``{"outcome": "resolved", "name": FQCN}``, ``{"outcome": "by-name"}`` (ansible-core
never looks the name up: mod_args.BUILTIN_TASKS), ``{"outcome": "removed"}`` (a tombstone:
AnsiblePluginRemovedError) or ``{"outcome": "unresolved", "message": ...}``. For a task keyed by
the action, ansible-core checks it when the task loads (ModuleArgsParser.parse, with the task's
collection list) and resolves it again when the task runs (Task._post_validate_args, as for
``action:``); the outcome is the first failure, else the name the run resolves (``load`` also gives
the load's name: both must agree).

The collection loader sees only the collections under ``$ANSIBLE_COLLECTIONS_PATH`` (an empty
directory unless the caller sets one), never site-packages; no library path is configured.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile

os.environ.setdefault("ANSIBLE_COLLECTIONS_PATH", tempfile.mkdtemp(prefix="no-collections-"))
os.environ["ANSIBLE_COLLECTIONS_SCAN_SYS_PATH"] = "false"

from ansible.errors import AnsibleError, AnsiblePluginRemovedError  # noqa: E402
from ansible.parsing.dataloader import DataLoader  # noqa: E402
from ansible.parsing.mod_args import BUILTIN_TASKS, ModuleArgsParser  # noqa: E402
from ansible.playbook import Playbook  # noqa: E402
from ansible.playbook.block import Block  # noqa: E402
from ansible.playbook.collectionsearch import _ensure_default_collection  # noqa: E402
from ansible.plugins.loader import action_loader, init_plugin_loader, module_loader  # noqa: E402
from ansible.utils.display import Display  # noqa: E402
from ansible.vars.manager import VariableManager  # noqa: E402

try:
    from ansible._internal._datatag._tags import Origin
except ImportError:  # pragma: no cover
    from ansible.module_utils._internal._datatag import Origin  # type: ignore


def search_list(value: object) -> list[str] | None:
    """What Task.preprocess_data passes on for a task's own ``collections`` value."""
    if value is None:
        return None
    found = _ensure_default_collection(list(value) if isinstance(value, list) else [value])
    return found or None


def run_time(action: str, collections: list[str] | None) -> dict[str, str]:
    """Task._post_validate_args: the action loader, then the module loader."""
    try:
        context = action_loader.get_with_context(action, collection_list=collections, class_only=True)
        if context.plugin_load_context.resolved:
            return {"outcome": "resolved", "name": context.plugin_load_context.resolved_fqcn}
        module = module_loader.find_plugin_with_context(action, collection_list=collections)
    except AnsiblePluginRemovedError:
        return {"outcome": "removed"}
    except AnsibleError as error:
        return {"outcome": "unresolved", "message": error.message}
    if not module.resolved:
        return {"outcome": "unresolved", "message": f"Cannot resolve {action!r} to an action or module."}
    return {"outcome": "resolved", "name": module.resolved_fqcn}


def outcome(action: str, form: str, value: object) -> dict[str, str]:
    collections = search_list(value)
    if form == "action":
        return run_time(action, collections)
    parser = ModuleArgsParser({action: {}}, collection_list=collections)
    try:
        parser.parse()
    except AnsiblePluginRemovedError:
        return {"outcome": "removed"}
    except AnsibleError as error:
        return {"outcome": "unresolved", "message": error.message}
    if action in BUILTIN_TASKS:
        return {"outcome": "by-name"}
    found = run_time(action, collections)
    found["load"] = parser._resolved_action
    return found


def tasks_of(block: Block):
    for item in (*block.block, *block.rescue, *block.always):
        if isinstance(item, Block):
            yield from tasks_of(item)
        else:
            yield item


def playbook(path: str) -> dict[int, dict[str, object]]:
    """Every task of a playbook by its line: the name resolved when it loaded (None for action:) and
    the run-time outcome with the collection list the task ended up with."""
    loader = DataLoader()
    found = {}
    for play in Playbook.load(path, variable_manager=VariableManager(loader=loader), loader=loader).get_plays():
        for section in (play.pre_tasks, play.tasks, play.post_tasks, play.handlers):
            for block in section:
                for task in tasks_of(block):
                    found[Origin.get_tag(task.get_ds()).line_num] = {
                        "load": task._resolved_action, "run": run_time(task.action, task.collections),
                        "collections": task.collections}
    return found


def main() -> int:
    display = Display()
    display.warning = display.deprecated = display.error_as_warning = lambda *a, **k: None  # type: ignore
    init_plugin_loader()
    if sys.argv[1:2] == ["playbook"]:
        json.dump(playbook(sys.argv[2]), sys.stdout, indent=1, sort_keys=True)
    else:
        json.dump([outcome(*case) for case in json.load(sys.stdin)], sys.stdout, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
