"""Flags a task with two loops: ``loop`` and a ``with_*`` key, or two ``with_*`` keys.

ansible-core rejects a ``with_*`` key that comes after ``loop`` or another ``with_*`` key
("duplicate loop in task: items"). The other order, ``with_items`` then ``loop``, loads, but
``loop`` silently replaces the ``with_items`` terms: that is reported as a warning.

PASS::

    - ansible.builtin.debug:
        var: item
      loop: [1, 2]

FAIL::

    - ansible.builtin.debug:
        var: item
      loop: [1, 2]
      with_items: [3, 4]
    - ansible.builtin.debug:
        var: item
      with_items: [1, 2]
      with_list: [3, 4]
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic, Severity
from shep.validate.checks._common import ModelWalk, loop_events

CODE = "V005"
_HINT = "use either `loop` or one `with_<lookup>` key"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for task, keys in walk.tasks_with_keys():
        for event in loop_events(task, keys):
            if event.kind == "duplicate":
                yield walk.diagnostic(CODE, f"duplicate loop in task: {event.lookup}", task, event.key, hint=_HINT)
            elif event.kind == "overridden":
                message = f"'loop' replaces the terms of 'with_{event.lookup}' (its lookup still runs on them)"
                yield walk.diagnostic(CODE, message, task, event.key, hint=_HINT, severity=Severity.WARNING)
