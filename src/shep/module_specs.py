"""The argument specs of ansible-core's ``ansible.builtin`` modules and actions, as shep knows them
without Ansible: generated at build time from ansible-core itself (scripts/gen_module_specs.py) into
``shep._builtin.ansible_core_2_19_specs``, one module per action, loaded only for the actions a run
meets.

``handler`` says how a task's arguments reach a validator when the task runs: ``module`` (the
module's own ``AnsibleModule``), ``action_spec`` (the action plugin validates them with a spec),
``valid_args`` (the plugin checks names only) or ``wrapper`` (the plugin takes some options and
hands the rest to a module: the spec is what the task's arguments meet).
"""

from __future__ import annotations

import functools
import importlib
import importlib.machinery
import os
import sys

from shep._records import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SPECS_PACKAGE = "shep._builtin.ansible_core_2_19_specs"


@record
class Constraints:
    """The checks between options that ``AnsibleModule`` takes besides the spec (its keyword arguments)."""

    mutually_exclusive: tuple[tuple[str, ...], ...] = ()
    required_together: tuple[tuple[str, ...], ...] = ()
    required_one_of: tuple[tuple[str, ...], ...] = ()
    required_if: tuple[tuple[Any, ...], ...] = ()
    required_by: dict[str, Any] = field(default_factory=dict)


@record
class ModuleSpec:
    name: str  # the name in ansible.builtin
    handler: str
    options: dict[str, dict[str, Any]]
    constraints: Constraints


def constraints_of(entry: Any) -> Constraints:
    """The constraint lists of a spec entry with sub-options, in ansible-core's argument_spec keys."""
    return Constraints(
        mutually_exclusive=tuple(tuple(group) for group in entry.get("mutually_exclusive", ())),
        required_together=tuple(tuple(group) for group in entry.get("required_together", ())),
        required_one_of=tuple(tuple(group) for group in entry.get("required_one_of", ())),
        required_if=tuple(tuple(rule) for rule in entry.get("required_if", ())),
        required_by=dict(entry.get("required_by", {})),
    )


def _index() -> Any:
    return importlib.import_module(SPECS_PACKAGE)


@functools.lru_cache(maxsize=None)
def builtin_spec(name: str) -> ModuleSpec | None:
    """The spec of ``ansible.builtin.<name>``; None when ansible-core has none shep can judge by."""
    if name not in _index().NAMES:
        return None
    module = _spec_module(name)
    constraints = Constraints(
        mutually_exclusive=module["MUTUALLY_EXCLUSIVE"], required_together=module["REQUIRED_TOGETHER"],
        required_one_of=module["REQUIRED_ONE_OF"], required_if=module["REQUIRED_IF"], required_by=module["REQUIRED_BY"])
    return ModuleSpec(name=name, handler=module["HANDLER"], options=module["OPTIONS"], constraints=constraints)


def _spec_module(name: str) -> dict[str, Any]:
    """The names one spec module defines. Its code is run without importing it when the package is
    files: the import system's locks, finders and module object cost ~0.1 ms a module, most of the
    cost of a spec (a run over many files meets dozens); the loader still reads the cached bytecode
    (or compiles the source) as an import does. A module already imported is used as it is."""
    fullname = f"{SPECS_PACKAGE}.{name}"
    imported = sys.modules.get(fullname)
    if imported is None:
        package = _index()
        if isinstance(package.__spec__.loader, importlib.machinery.SourceFileLoader):
            path = os.path.join(os.path.dirname(package.__file__), f"{name}.py")
            code = importlib.machinery.SourceFileLoader(fullname, path).get_code(fullname)
            if code is not None:
                namespace: dict[str, Any] = {"__name__": fullname, "__file__": path}
                exec(code, namespace)
                return namespace
        imported = importlib.import_module(fullname)
    return vars(imported)


BUILTIN_PREFIXES = ("ansible.builtin.", "ansible.legacy.")


def builtin_name(action: str) -> str | None:
    """The ansible.builtin name of ``action`` written as ``copy``, ``ansible.builtin.copy`` or
    ``ansible.legacy.copy``; None for a collection's FQCN."""
    for prefix in BUILTIN_PREFIXES:
        if action.startswith(prefix):
            return action[len(prefix):]
    return None if "." in action else action


def builtin_names() -> frozenset[str]:
    """Every action with a spec."""
    names: frozenset[str] = _index().NAMES
    return names


def unchecked_reason(name: str) -> str | None:
    """Why the options of ``ansible.builtin.<name>`` cannot be judged statically (None: they can, or
    ansible-core has no such action)."""
    reason: str | None = _index().UNCHECKED.get(name)
    return reason
