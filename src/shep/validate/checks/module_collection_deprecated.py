"""A module that its collection's ``meta/runtime.yml`` deprecates (a warning, with ansible-core's text).

ansible-core warns when it loads such a task: "acme.demo.old_thing has been deprecated. Use
acme.demo.thing instead. This feature will be removed from collection 'acme.demo' version 3.0.0."
Every deprecation met on the way counts, a redirect's included. The examples assume the collection
``acme.demo`` of ``fixtures/collections`` installed.

PASS::

    - acme.demo.thing:
        name: web

FAIL::

    - acme.demo.old_thing:
        name: web
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk

CODE = "V042"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    modules = walk.modules
    if not modules:
        return
    for task in walk.tasks:
        found = modules.get(task.resolved_action) if task.resolved_action is not None else None
        if found is None:
            continue
        for text in found.deprecations:
            yield walk.diagnostic(CODE, text, task, task.action_key)
