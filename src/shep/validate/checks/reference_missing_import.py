"""Flags a static reference that names nothing: an ``import_playbook``, ``import_tasks`` or
``import_role``, a ``roles:`` entry or a role dependency (with their ``tasks_from``…) that cannot be
found where ansible-core looks ("Could not find or access 'x.yml' on the Ansible Controller.",
"the role 'x' was not found"), or that finds a playbook where a task file is loaded (or the reverse).

ansible-core resolves these when it loads the playbook, so the whole playbook fails, whatever the
conditions. The reference is looked up as ansible-core looks it up (shep.project: the including
file's directory, the role's ``tasks/``, ``roles/`` beside the playbook, ``roles_path`` of
ansible.cfg and ``ANSIBLE_ROLES_PATH``, the playbook's directory, in ansible-core's order). An
import in a file that an ``include_*`` brings in is loaded when the include runs: a warning when
it may not run. A templated name, or a role of a collection shep does not find installed (or a
short role name under a ``collections:`` list naming one), is not judged. Without a project (a file
validated on its own) nothing is reported.

PASS (project)::

    # file: site.yml
    - hosts: all
      roles:
        - web
      tasks:
        - ansible.builtin.import_tasks: tasks/setup.yml
    # file: tasks/setup.yml
    - ansible.builtin.debug:
        msg: setting up
    # file: roles/web/tasks/main.yml
    - ansible.builtin.debug:
        msg: web

FAIL (project)::

    # file: site.yml
    - hosts: all
      roles:
        - database
      tasks:
        - ansible.builtin.import_tasks: tasks/setup.yml
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk
from shep.validate.checks._references import diagnostic, missing

CODE = "V050"
PROJECT = True


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for edge in missing(walk, static=True):
        yield diagnostic(CODE, walk, edge)
