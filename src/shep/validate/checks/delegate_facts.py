"""Flags ``delegate_facts`` on a task that is not delegated.

``delegate_facts`` assigns the facts a task gathers to the ``delegate_to`` host; without
``delegate_to`` (on the task, an enclosing block, or ``local_action``) it has no effect.
In a task file the including block may set ``delegate_to``, so check the caller when in doubt.

PASS::

    - ansible.builtin.setup:
      delegate_to: "{{ item }}"
      delegate_facts: true
      loop: "{{ groups['db'] }}"

FAIL::

    - ansible.builtin.setup:
      delegate_facts: true
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.keywords import ANSIBLE_FALSE_WORDS
from shep.validate.checks._common import ModelWalk

CODE = "V008"
_FALSE = (False, 0, *ANSIBLE_FALSE_WORDS)


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for visit in walk.task_visits:
        task = visit.task
        if task.delegate_facts is None:  # absent or null
            continue
        value = task.delegate_facts
        if (value.lower() if isinstance(value, str) else value) in _FALSE:
            continue
        delegated = task.delegated_to is not None or any(p.delegate_to is not None for p in visit.parents)
        if not delegated:
            yield walk.diagnostic(CODE, "'delegate_facts' has no effect without 'delegate_to'", task, "delegate_facts",
                             hint="add `delegate_to:` (or remove `delegate_facts`)")
