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
from shep.model import Model
from shep.validate.checks._common import ROLE_INCLUDE_ACTIONS, diagnostic, tasks

CODE = "V012"


def check(model: Model) -> Iterator[Diagnostic]:
    for task in tasks(model):
        if task.is_handler and task.action in ROLE_INCLUDE_ACTIONS:
            yield diagnostic(CODE, f"Using '{task.action}' as a handler is not supported.", task, task.action_key)
