"""Flags ``meta: flush_handlers`` in a handler.

ansible-core fails when such a handler runs ("flush_handlers cannot be used as a handler"):
handlers are already being flushed. A handler that is never notified never fails, but then it
is dead code; the error is certain whenever it runs, so shep reports it. Under ``when`` (its own
or an enclosing block's) it fails only when the condition holds: a warning.

PASS::

    - ansible.builtin.meta: flush_handlers

FAIL (handlers)::

    - name: restart
      ansible.builtin.meta: flush_handlers
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic, Severity
from shep.keywords import META_ACTIONS
from shep.validate.checks._common import ModelWalk

CODE = "V020"
MESSAGE = "flush_handlers cannot be used as a handler"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for visit in walk.task_visits:
        task = visit.task
        if not (task.is_handler and task.action in META_ACTIONS and task.free_form_args == "flush_handlers"):
            continue
        if any("when" in obj.keys for obj in (task, *visit.parents)):
            # ansible-core raises only when the condition holds: a guess, so a warning
            yield walk.diagnostic(CODE, MESSAGE, task, task.action_key, severity=Severity.WARNING,
                             hint="fails whenever the condition holds: flush handlers from a task instead")
        else:
            yield walk.diagnostic(CODE, MESSAGE, task, task.action_key,
                             hint="notify the handlers you need from a task, or flush them from a task")
