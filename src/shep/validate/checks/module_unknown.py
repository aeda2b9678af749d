"""A short action name that no module or action plugin of ansible-core has, nor a module path of
the run (a warning).

ansible-core looks a short name up in ``ansible.legacy``: its own modules and action plugins, its
routing table, then the module paths: ``library/`` beside the playbook and in each role it loads
(``add_all_plugin_dirs``), and the configured ones (``ANSIBLE_LIBRARY``, ``library`` in
``ansible.cfg``, ``~/.ansible/plugins/modules``, ``/usr/share/ansible/plugins/modules``). A name
found nowhere fails when the task loads ("couldn't resolve module/action"). Run as a project
(``shep validate``), shep lists the module paths of every playbook and role of the project and
reports a name none of them has; a file judged alone (``shep task validate``) has no project to look
in, and every name ansible-core does not ship is reported. Always a warning (a module path of the
machine the play runs on may hold it), with a did-you-mean among ansible-core's own names. A name
under a ``collections:`` list, an FQCN of a collection and a templated name are not reported; an
``ansible.builtin.`` name that does not exist is V019, an error.

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

PASS (project)::

    # file: site.yml
    - hosts: all
      roles: [web]
      tasks:
        - my_module:
            name: x
    # file: library/my_module.py
    # a module of the playbook's library
    # file: roles/web/tasks/main.yml
    - web_module:
        port: 80
    # file: roles/web/library/web_module.py
    # a module of the role's library

FAIL (project)::

    # file: site.yml
    - hosts: all
      tasks:
        - my_modul:
            name: x
    # file: library/my_module.py
    # a module of the playbook's library
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic, make
from shep.resolve import UNKNOWN
from shep.validate.checks._builtin_actions import shipped_suggestions
from shep.validate.checks._common import ModelWalk

CODE = "V033"
PROJECT = True  # the module paths are the project's


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    if walk.facts is not None:
        for action, span in walk.facts.unresolved_actions:
            yield make(CODE, _message(action), walk.model.path, span, hint=_hint(action))
        return
    for task in walk.tasks:
        if task.resolution == UNKNOWN and task.action is not None:
            yield walk.diagnostic(CODE, _message(task.action), task, task.action_key, hint=_hint(task.action))


def _message(action: str) -> str:
    return (f"couldn't resolve module/action '{action}'. This often indicates a misspelling, missing collection, "
            "or incorrect module path.")


def _hint(action: str) -> str:
    # ansible-core's own names only: a local module's name is seldom a misspelt redirect, and matching
    # against the 3,800 redirected names would cost more than the rest of the check
    close = shipped_suggestions(action.rsplit(".", 1)[-1])
    hint = "not a module or action of ansible-core nor of a module path shep found: ansible-core fails unless " \
           "the machine it runs on has one"
    return hint + (f"; did you mean {', '.join(repr(name) for name in close)}?" if close else "")
