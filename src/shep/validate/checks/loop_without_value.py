"""Flags a ``with_*`` key without a value.

ansible-core rejects it when it loads the task ("you must specify a value when using
with_items").

PASS::

    - ansible.builtin.debug:
        var: item
      with_items: "{{ users }}"

FAIL::

    - ansible.builtin.debug:
        var: item
      with_items:
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk, loop_events

CODE = "V006"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for task, keys in walk.tasks_with_keys():
        for event in loop_events(task, keys):
            if event.kind == "null":
                yield walk.diagnostic(CODE, f"you must specify a value when using {event.key}", task, event.key)
