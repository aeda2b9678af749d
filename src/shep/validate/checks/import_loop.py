"""Flags a loop on ``import_tasks`` or ``import_role``.

Imports are resolved once, when the playbook loads, so they cannot loop; ansible-core rejects
them ("You cannot use loops on 'import_tasks' statements. You should use 'include_tasks'
instead.").

PASS::

    - ansible.builtin.include_tasks: user.yml
      loop: "{{ users }}"

FAIL::

    - ansible.builtin.import_tasks: user.yml
      loop: "{{ users }}"
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.keywords import IMPORT_ROLE_ACTIONS, IMPORT_TASKS_ACTIONS, LOOP_PREFIX
from shep.validate.checks._common import ModelWalk, has_loop

CODE = "V011"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for task in walk.tasks:
        if task.action in IMPORT_TASKS_ACTIONS:
            kind = "tasks"
        elif task.action in IMPORT_ROLE_ACTIONS and not task.is_handler:
            kind = "role"
        else:
            continue
        if not has_loop(task):
            continue
        key = next((k for k in task.keys if k == "loop" or k.startswith(LOOP_PREFIX)), None)
        message = (f"You cannot use loops on 'import_{kind}' statements. "
                   f"You should use 'include_{kind}' instead.")
        yield walk.diagnostic(CODE, message, task, key)
