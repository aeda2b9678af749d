"""Flags the ``include`` action, removed from ansible-core.

ansible-core 2.19 fails when it loads the task: "The 'ansible.builtin.include' action plugin has
been removed. Use include_tasks or import_tasks instead. This feature was removed from
ansible-core in a release after 2023-05-16." (A playbook-level ``- include: other.yml`` is V001.)

PASS::

    - ansible.builtin.include_tasks: setup.yml
    - ansible.builtin.import_tasks: common.yml

FAIL::

    - include: setup.yml
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.keywords import REMOVED_INCLUDE_ACTIONS
from shep.validate.checks._common import ModelWalk

CODE = "V007"
MESSAGE = ("The 'ansible.builtin.include' action plugin has been removed. Use include_tasks or import_tasks "
           "instead. This feature was removed from ansible-core in a release after 2023-05-16.")


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for task in walk.tasks:
        if task.action in REMOVED_INCLUDE_ACTIONS:
            hint = "include_tasks includes at run time (like the old include); import_tasks at load time"
            yield walk.diagnostic(CODE, MESSAGE, task, task.action_key, hint=hint)
