"""Flags bad arguments to include_tasks/import_tasks and include_role/import_role.

ansible-core checks these when it loads the task: only ``file`` (or the free-form file name)
and ``apply`` for task includes, ``name``/``role``, ``*_from``, ``apply``, ``public``,
``allow_duplicates`` and ``rolespec_validate`` for role includes; a file or role name is
required; ``apply`` is for the dynamic includes only and must be a mapping; ``tasks_from`` and
the other ``*_from`` options must be strings; ``public``, ``allow_duplicates`` and
``rolespec_validate`` must be booleans (or templates). Messages are ansible-core's ("Invalid options for
include_tasks: foo", "No file specified for include_tasks", "'name' is a required field for
include_role."…). Arguments given as one template (``args: "{{ x }}"``) are rejected too
("Invalid options for include_tasks: _variable_params"): an include's arguments must be written out.

PASS::

    - ansible.builtin.include_tasks:
        file: users.yml
        apply:
          become: true
    - ansible.builtin.import_role:
        name: web
        tasks_from: install

FAIL::

    - ansible.builtin.include_tasks:
        file: users.yml
        become: true
    - ansible.builtin.include_role: web
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.keywords import IMPORT_ROLE_ACTIONS, IMPORT_TASKS_ACTIONS, INCLUDE_ROLE_ACTIONS, INCLUDE_TASKS_ACTIONS
from shep.model import Task
from shep.validate.checks._common import ModelWalk
from shep.validate.keyword_rules import bool_option_problem, type_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

CODE = "V013"

TASK_INCLUDE_ARGS = frozenset({"file", "_raw_params", "apply"})
ROLE_FROM_ARGS = ("tasks_from", "vars_from", "defaults_from", "handlers_from")
ROLE_BOOL_ARGS = ("public", "allow_duplicates", "rolespec_validate")
ROLE_INCLUDE_ARGS = frozenset({"name", "role", *ROLE_FROM_ARGS, "apply", *ROLE_BOOL_ARGS})


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for task in walk.tasks:
        if task.error is not None:
            continue
        if task.action in INCLUDE_TASKS_ACTIONS or task.action in IMPORT_TASKS_ACTIONS:
            problems = _task_include(task)
        elif (task.action in INCLUDE_ROLE_ACTIONS or task.action in IMPORT_ROLE_ACTIONS) and not task.is_handler:
            problems = _role_include(task)
        else:
            continue
        for message in problems:
            yield walk.diagnostic(CODE, message, task, task.action_key)


def _bad_options(action: str, args: dict[Any, Any], valid: frozenset[str]) -> Iterator[str]:
    bad = sorted(str(k) for k in args if k not in valid)
    if bad:
        yield f"Invalid options for {action}: {','.join(bad)}"


def _apply(action: str, args: dict[Any, Any], dynamic: bool) -> Iterator[str]:
    apply = args.get("apply", {})
    if apply and not dynamic:
        yield f"Invalid options for {action}: apply"
    elif not isinstance(apply, dict):
        yield f"Expected a dict for apply but got <class '{type_name(apply)}'> instead"


def _task_include(task: Task) -> list[str]:
    """TaskInclude.check_options."""
    action = str(task.action)
    args = task.ansible_args
    problems = list(_bad_options(action, args, TASK_INCLUDE_ARGS))
    if not args.get("_raw_params") and not args.get("file"):
        problems.append(f"No file specified for {action}")
    problems.extend(_apply(action, args, task.action in INCLUDE_TASKS_ACTIONS))
    return problems


def _role_include(task: Task) -> list[str]:
    """IncludeRole.load."""
    action = str(task.action)
    args = task.ansible_args
    problems = []
    valid = ROLE_INCLUDE_ARGS
    if args.get("name", args.get("role")) is None:
        problems.append(f"'name' is a required field for {action}.")
        valid |= {"_raw_params"}  # `include_role: web`: the missing name says it all
    problems.extend(_bad_options(action, args, valid))
    for key in ROLE_FROM_ARGS:
        if key in args and not isinstance(args[key], str):
            problems.append(f"Expected a string for {key} but got <class '{type_name(args[key])}'> instead")
    for key in ROLE_BOOL_ARGS:  # an import converts them when it loads, an include when it runs
        message = bool_option_problem(key, args[key]) if key in args else None
        if message is not None:
            problems.append(message)
    problems.extend(_apply(action, args, task.action in INCLUDE_ROLE_ACTIONS))
    return problems
