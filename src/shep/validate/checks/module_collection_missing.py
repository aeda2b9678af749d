"""A task names a module of a collection that no collection root holds (information, once per collection and file).

ansible-core fails on such a task ("couldn't resolve module/action 'community.general.ufw'. This
often indicates a misspelling, missing collection, or incorrect module path.") unless the collection is
installed where the play runs, which may not be where shep runs: shep says once per file and
collection that it cannot check those tasks. The roots searched are ansible-core's
(``ANSIBLE_COLLECTIONS_PATH``, ``collections_path`` of ``ansible.cfg``, ``~/.ansible/collections``,
``/usr/share/ansible/collections``, ``ansible_collections`` on the Python path, ``collections/`` beside
the playbook). A builtin name ansible-core's routing table redirects to a collection (``ufw``) names
that collection too. The examples assume the collection ``acme.demo`` of ``fixtures/collections``
installed, and no other.

PASS::

    - acme.demo.thing:
        name: web
    - ansible.builtin.ping:

FAIL::

    - community.general.ufw:
        rule: allow
    - community.general.ufw:
        rule: deny
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.installed import MISSING_COLLECTION
from shep.validate.checks._common import ModelWalk

CODE = "V040"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    modules = walk.modules
    if not modules:
        return
    told: set[str] = set()
    for task in walk.tasks:
        found = modules.get(task.resolved_action) if task.resolved_action is not None else None
        if found is None or found.status != MISSING_COLLECTION or found.collection in told:
            continue
        told.add(found.collection)
        action = task.action or found.asked
        via = "" if found.name == action else f" (resolved to '{found.name}')"
        message = (f"collection '{found.collection}' is not installed: '{action}'{via} and the collection's other "
                   "modules in this file are not checked")
        hint = (f"ansible-core fails on them unless '{found.collection}' is installed where the play runs "
                f"(ansible-galaxy collection install {found.collection})")
        yield walk.diagnostic(CODE, message, task, task.action_key, hint=hint)
