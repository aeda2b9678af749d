"""Flags ``include_role``/``import_role`` used as a handler.

ansible-core rejects it when it loads the handlers ("Using 'include_role' as a handler is not
supported."). Notify a handler of the role instead, or include a handler task file.

PASS (handlers)::

    - name: restart web
      ansible.builtin.include_tasks: restart.yml

FAIL (handlers)::

    - name: restart web
      ansible.builtin.include_role:
        name: web
        tasks_from: restart
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.keywords import ROLE_INCLUDE_ACTIONS
from shep.validate.checks._common import ModelWalk

CODE = "V012"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for task in walk.tasks:
        if task.is_handler and task.action in ROLE_INCLUDE_ACTIONS:
            yield walk.diagnostic(CODE, f"Using '{task.action}' as a handler is not supported.", task, task.action_key)
