"""Flags an ``ansible.builtin.X`` action that ansible-core cannot resolve: unknown or removed.

The ``ansible.builtin`` namespace is closed: it holds what ansible-core ships (its modules and
action plugins) and what its routing table redirects or removes, and nothing a user installs. A
task keyed ``ansible.builtin.copyy:`` therefore fails when ansible-core loads it, whatever is
installed: "couldn't resolve module/action 'ansible.builtin.copyy'. This often indicates a
misspelling, missing collection, or incorrect module path." A removed (tombstoned) name fails
with ansible-core's removal message instead, such as "The 'ansible.builtin.bigip_facts' module has
been removed. bigip_facts has been removed please use bigip_device_info module. This feature was
removed from ansible-core in a release after 2019-11-06." (``include`` is V007.) Written as
``action: ansible.builtin.copyy`` or ``local_action:``, the task loads and fails when it runs:
"Cannot resolve 'ansible.builtin.copyy' to an action or module."

A name that the routing table redirects to a collection (``ansible.builtin.win_ping``) is not
reported: the collection may be installed. Neither are short names (``copyy``) and
``ansible.legacy.`` names, which a library path may provide (V033 warns about them), nor a
templated name. The facts are
ansible-core 2.19.14's, generated into ``shep._builtin`` by scripts/gen_builtin.py.

PASS::

    - ansible.builtin.copy: {src: a, dest: b}
    - ansible.builtin.yum: {name: git}
    - ansible.builtin.win_ping:
    - action: ansible.builtin.normal

FAIL::

    - ansible.builtin.copyy: {src: a, dest: b}

FAIL::

    - local_action: ansible.builtin.bigip_facts

``module_defaults`` names actions too, and ansible-core resolves each ``ansible.builtin.`` name
there when it loads the play, block, task or ``roles:`` entry: "Could not resolve action
ansible.builtin.copyy in module_defaults" (or the removal message). Short and ``group/`` names
depend on what is installed and are not judged.

FAIL::

    - ansible.builtin.debug:
        msg: hi
      module_defaults:
        ansible.builtin.copyy: {mode: "0644"}
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.model import Play, Task
from shep.validate.checks._builtin_actions import (
    PREFIX,
    RUN_TIME_KEYS,
    Problem,
    module_defaults_problem,
    problem,
    suggestions,
)
from shep.validate.checks._common import ModelWalk

CODE = "V019"


def _hint(action: str, found: Problem, when: bool | str) -> str:
    """``when``: True (fails when the task runs), False (when it loads the task), or what it loads."""
    if isinstance(when, str):
        when = f"ansible-core fails when it loads {when}"
    else:
        when = "ansible-core fails " + ("when the task runs" if when else "when it loads the task")
    close = () if found.removed else suggestions(action[len(PREFIX):])
    if not close:
        return when
    return f"did you mean {', '.join(repr(name) for name in close)}? ({when})"


def _module_defaults_names(obj: Task | Play) -> Iterator[tuple[str, object]]:
    """(key, name) for the keys of ``obj``'s module_defaults and of its ``roles:`` entries' ones;
    ``key`` is where in ``obj`` the name is written."""
    values = [("module_defaults", obj.module_defaults)]
    if isinstance(obj, Play) and isinstance(obj.roles, list):
        values.extend(("roles", entry.get("module_defaults")) for entry in obj.roles if isinstance(entry, dict))
    for key, value in values:
        for mapping in value if isinstance(value, list) else (value,):
            if isinstance(mapping, dict):
                yield from ((key, name) for name in mapping)


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for task in walk.tasks:
        action = task.action
        if action is None or not action.startswith(PREFIX):
            continue
        run_time = task.action_key in RUN_TIME_KEYS
        found = problem(action, run_time=run_time)
        if found is not None:
            yield walk.diagnostic(CODE, found.message, task, task.action_key, hint=_hint(action, found, run_time))
    for visit in walk.visits:
        obj = visit.obj
        if not obj.module_defaults and not (isinstance(obj, Play) and obj.roles):
            continue  # most objects
        for key, name in _module_defaults_names(obj):
            found = module_defaults_problem(name)
            if found is not None:
                yield walk.diagnostic(CODE, found.message, obj, key, hint=_hint(str(name), found, "module_defaults"))
