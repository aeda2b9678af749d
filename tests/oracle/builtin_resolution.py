#!/usr/bin/env python
"""Ground truth for V019: how ansible-core resolves ``- ansible.builtin.<name>: {}`` with no collection installed.

TEST TOOL ONLY: needs ansible-core (the ``oracle`` extra, ansible-core==2.19.14). Run it in a
directory that is not ansible's package directory (it shadows the stdlib ``collections``).

    python tests/oracle/builtin_resolution.py NAME...     (or a JSON list of names on stdin)

Prints one JSON object: ``{"names": {...}, "outcomes": {name: {"outcome", "message"}}, "removed_by_version"}``.

* ``names``: what ansible-core itself lists: modules and action plugins (pkgutil over its plugin
  packages) and the ``modules``/``action`` routing of ``ansible.builtin`` (its collection metadata loader).
* ``outcome`` of ``ModuleArgsParser({"ansible.builtin.<name>": {}}).parse()`` (with action validation, as
  Task.load runs it): ``resolves``, ``removed`` (AnsiblePluginRemovedError), ``missing-collection`` (it
  fails, but a module or action lookup was redirected outside ansible.builtin: an installed collection
  would change the answer) or ``unresolved`` (it fails whatever is installed).
* ``removed_by_version``: ansible-core's tombstone message for a removal given by version (no 2.19
  tombstone has one), from the same function the plugin loader calls.

The collection loader is installed with an empty collections path and no sys.path scan.
"""

from __future__ import annotations

import json
import os
import pkgutil
import sys
import tempfile

EMPTY = tempfile.mkdtemp(prefix="no-collections-")
os.environ["ANSIBLE_COLLECTIONS_PATH"] = EMPTY
os.environ["ANSIBLE_COLLECTIONS_SCAN_SYS_PATH"] = "false"

import ansible.modules  # noqa: E402
import ansible.plugins.action  # noqa: E402
from ansible._internal import _display_utils  # noqa: E402
from ansible.errors import AnsibleError, AnsibleParserError, AnsiblePluginRemovedError  # noqa: E402
from ansible.module_utils.datatag import deprecator_from_collection_name  # noqa: E402
from ansible.parsing.mod_args import ModuleArgsParser  # noqa: E402
from ansible.plugins.loader import action_loader, init_plugin_loader, module_loader  # noqa: E402
from ansible.utils.collection_loader._collection_finder import _get_collection_metadata  # noqa: E402
from ansible.utils.display import Display  # noqa: E402

PREFIX = "ansible.builtin."


def ansible_names() -> dict[str, list[str]]:
    routing = _get_collection_metadata("ansible.builtin").get("plugin_routing", {})
    listed = {
        "modules": [m.name for m in pkgutil.iter_modules(ansible.modules.__path__)],
        "action": [m.name for m in pkgutil.iter_modules(ansible.plugins.action.__path__)],
    }
    for plugin_type in ("modules", "action"):
        for field in ("redirect", "tombstone", "deprecation"):
            listed[f"{plugin_type}_{field}"] = sorted(n for n, e in routing.get(plugin_type, {}).items() if field in e)
    return {key: sorted(names) for key, names in listed.items()}


def left_builtin(fqcn: str) -> bool:
    """Did either plugin loader follow a redirect out of ansible.builtin for this name?"""
    for loader in (module_loader, action_loader):
        try:
            context = loader.find_plugin_with_context(fqcn)
        except AnsibleError:
            continue
        if any(not step.startswith(PREFIX) for step in context.redirect_list):
            return True
    return False


def outcome(name: str) -> dict[str, str]:
    fqcn = PREFIX + name
    try:
        ModuleArgsParser({fqcn: {}}).parse()
    except AnsiblePluginRemovedError as error:
        return {"outcome": "removed", "message": error.message}
    except AnsibleParserError as error:
        kind = "missing-collection" if left_builtin(fqcn) else "unresolved"
        return {"outcome": kind, "message": error.message}
    return {"outcome": "resolves", "message": ""}


def main() -> int:
    names = sys.argv[1:] or json.load(sys.stdin)
    display = Display()
    display.warning = display.deprecated = display.error_as_warning = lambda *a, **k: None  # type: ignore
    init_plugin_loader()
    removed_by_version = _display_utils.get_deprecation_message_with_plugin_info(
        msg="The 'ansible.builtin.x' action plugin has been removed. Use y", version="2.99", date=None,
        removed=True, deprecator=deprecator_from_collection_name("ansible.builtin"))
    result = {"names": ansible_names(), "outcomes": {n: outcome(n) for n in names},
              "removed_by_version": removed_by_version}
    json.dump(result, sys.stdout, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
