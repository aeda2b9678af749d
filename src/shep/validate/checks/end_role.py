"""Flags ``meta: end_role`` where ansible-core forbids it: in a handler, or in a playbook's own tasks.

``end_role`` ends the current role; ansible-core rejects it outside a role ("Cannot execute
'end_role' from outside of a role") and in handlers ("Cannot execute 'end_role' from a
handler"). Task files are not checked for the first case: they may be a role's tasks.

PASS::

    - ansible.builtin.meta: end_role
      when: skip_rest

FAIL (playbook)::

    - hosts: all
      tasks:
        - ansible.builtin.meta: end_role
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.keywords import META_ACTIONS
from shep.model import Playbook
from shep.validate.checks._common import ModelWalk

CODE = "V016"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    in_playbook = isinstance(walk.model, Playbook)
    for task in walk.tasks:
        if task.action not in META_ACTIONS or task.free_form_args != "end_role":
            continue
        if task.is_handler:
            yield walk.diagnostic(CODE, "Cannot execute 'end_role' from a handler", task, task.action_key)
        elif in_playbook:
            yield walk.diagnostic(CODE, "Cannot execute 'end_role' from outside of a role", task, task.action_key,
                             hint="use `meta: end_play` or `meta: end_host` outside roles")
