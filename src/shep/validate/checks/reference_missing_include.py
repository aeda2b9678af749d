"""Flags a dynamic include of a literal name that cannot be found: an ``include_tasks`` file or an
``include_role`` role (or its ``tasks_from``…) that is not where ansible-core looks when the include
runs ("Could not find or access 'x.yml' on the Ansible Controller.", "the role 'x' was not found"),
or that finds a playbook where a task file is loaded.

An include that runs whatever the variables fails for every host: an error. One that may not run
(a ``when``, a loop that may be empty, ``ignore_errors``, ``tags: never``, a rescue section, a
handler, or any of these on an enclosing block, include or role) is a warning. A templated name is
not judged (it is known only at run time). Without a project nothing is reported.

PASS (project)::

    # file: site.yml
    - hosts: all
      tasks:
        - ansible.builtin.include_tasks: "{{ ansible_facts.os_family | lower }}.yml"
        - ansible.builtin.include_tasks: common.yml
    # file: common.yml
    - ansible.builtin.debug:
        msg: common

FAIL (project)::

    # file: site.yml
    - hosts: all
      tasks:
        - ansible.builtin.include_tasks: common.yml
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk
from shep.validate.checks._references import diagnostic, missing

CODE = "V051"
PROJECT = True


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for edge in missing(walk, static=False):
        yield diagnostic(CODE, walk, edge)
