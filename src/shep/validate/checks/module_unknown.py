"""A short action name that no module or action plugin of ansible-core has (a warning).

ansible-core looks a short name up in ``ansible.legacy``: its own modules and action plugins, its
routing table, then the library paths (``library/`` beside the playbook or in a role,
``ANSIBLE_LIBRARY``). A name found nowhere fails when the task loads ("couldn't resolve
module/action"); shep does not read the library paths yet, so this is a warning, with a
did-you-mean among ansible-core's own names. A name under a ``collections:`` list, an FQCN of a
collection and a templated name are not reported; an ``ansible.builtin.`` name that does not
exist is V019, an error.

PASS::

    - copy:
        src: a
        dest: /b
    - community.general.ufw:
        rule: allow
    - docker_container:
        name: web

FAIL::

    - copyy:
        src: a
        dest: /b
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.resolve import UNKNOWN
from shep.validate.checks._builtin_actions import shipped_suggestions
from shep.validate.checks._common import ModelWalk

CODE = "V033"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for task in walk.tasks:
        if task.resolution != UNKNOWN or task.action is None:
            continue
        action = task.action
        message = (f"couldn't resolve module/action '{action}'. This often indicates a misspelling, "
                   "missing collection, or incorrect module path.")
        # ansible-core's own names only: a local module's name is seldom a misspelt redirect, and matching
        # against the 3,800 redirected names would cost more than the rest of the check
        close = shipped_suggestions(action.rsplit(".", 1)[-1])
        hint = "not a module or action of ansible-core: unless a library path provides it, ansible-core fails"
        if close:
            hint += f"; did you mean {', '.join(repr(name) for name in close)}?"
        yield walk.diagnostic(CODE, message, task, task.action_key, hint=hint)
