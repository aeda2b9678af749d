"""Flags ``listen`` on a task that is not a handler.

``listen`` subscribes a handler to a notification topic; ansible-core rejects it anywhere else
("'listen' is not a valid attribute for a Task") when it loads the task.

PASS (playbook)::

    - hosts: all
      handlers:
        - name: restart web
          ansible.builtin.service:
            name: httpd
            state: restarted
          listen: web changed

FAIL::

    - name: restart web
      ansible.builtin.service:
        name: httpd
        state: restarted
      listen: web changed
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk, ansible_class

CODE = "V002"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for task, keys in walk.tasks_with_keys():
        if not task.is_handler and "listen" in keys:
            message = f"'listen' is not a valid attribute for a {ansible_class(task)}"
            hint = "only handlers (a play's `handlers:` or a role's handlers/ file) can listen to a topic"
            yield walk.diagnostic(CODE, message, task, "listen", hint=hint)
