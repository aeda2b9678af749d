"""Flags a handler with neither a ``name`` nor a ``listen`` topic.

ansible-core finds the handlers to run by name or listen topic and skips unnamed handlers, so
nothing can ever notify such a handler. (``import_tasks`` in a handler list is not a handler
itself and is not flagged.)

PASS (handlers)::

    - name: restart web
      ansible.builtin.service:
        name: httpd
        state: restarted

FAIL (handlers)::

    - ansible.builtin.service:
        name: httpd
        state: restarted
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.keywords import IMPORT_TASKS_ACTIONS
from shep.validate.checks._common import ModelWalk

CODE = "V017"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for task in walk.tasks:
        if not task.is_handler or task.action is None or task.action in IMPORT_TASKS_ACTIONS:
            continue
        if not task.name and not task.listen:
            yield walk.diagnostic(CODE, "This handler has no name and no listen topic, so nothing can notify it",
                             task, task.action_key, hint="add `name:` (or `listen:`) and notify it by that")
