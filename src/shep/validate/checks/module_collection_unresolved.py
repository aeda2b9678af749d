"""An installed collection holds no module or action of the name a task gives, or has removed it (a warning).

The collection is installed where shep runs, so ansible-core would fail there: "couldn't resolve
module/action 'acme.demo.thingy'. This often indicates a misspelling, missing collection, or
incorrect module path.", or, for a module the collection's ``meta/runtime.yml`` tombstones, its removal
message ("The 'acme.demo.retired' module has been removed. …"). A warning, not an error: the play may
run where another version of the collection is installed. The hint suggests the collection's closest
module names. The examples assume the collection ``acme.demo`` of ``fixtures/collections`` installed.

PASS::

    - acme.demo.thing:
        name: web
    - acme.demo.bare_action:

FAIL::

    - acme.demo.thingy:
        name: web

FAIL::

    - acme.demo.retired:
        name: web
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.installed import NOT_FOUND, REMOVED
from shep.validate.checks._common import ModelWalk

CODE = "V041"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    modules = walk.modules
    if not modules:
        return
    for task in walk.tasks:
        found = modules.get(task.resolved_action) if task.resolved_action is not None else None
        if found is None or found.status not in (NOT_FOUND, REMOVED):
            continue
        hint = None
        if found.message is not None:
            message = found.message
        else:
            message = (f"couldn't resolve module/action '{task.action}'. This often indicates a misspelling, "
                       "missing collection, or incorrect module path.")
            if found.near:
                hint = "did you mean " + ", ".join(f"'{name}'" for name in found.near) + "?"
        yield walk.diagnostic(CODE, message, task, task.action_key, hint=hint)
