"""Flags a handler whose name a handler loaded before it in the same play already has (the play's
own handlers, its roles', and those of the roles its tasks import or include, with their
dependencies): a notification by that name runs only one of them (ansible-core stops at the first
match, searching the play's handler blocks from the last one loaded).

The finding is at the second handler and names the first. Templated names are not compared.
Handlers an ``include_tasks`` handler brings in are not compared (the include often has their
name). Without a project nothing is reported.

PASS (project)::

    # file: site.yml
    - hosts: all
      roles:
        - web
      tasks:
        - ansible.builtin.command: /bin/true
          notify: restart web
      handlers:
        - name: reload firewall
          ansible.builtin.command: /bin/true
    # file: roles/web/tasks/main.yml
    - ansible.builtin.debug:
        msg: web
    # file: roles/web/handlers/main.yml
    - name: restart web
      ansible.builtin.command: /bin/true

FAIL (project)::

    # file: site.yml
    - hosts: all
      roles:
        - web
      tasks:
        - ansible.builtin.command: /bin/true
          notify: restart web
      handlers:
        - name: restart web
          ansible.builtin.command: /bin/true
    # file: roles/web/tasks/main.yml
    - ansible.builtin.debug:
        msg: web
    # file: roles/web/handlers/main.yml
    - name: restart web
      ansible.builtin.command: /bin/true
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic, make
from shep.validate.checks._common import ModelWalk

CODE = "V053"
PROJECT = True


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    if walk.facts is None:
        return
    for duplicate in walk.facts.duplicate_handlers:
        first = f"{duplicate.first_path}:{duplicate.first_span.line}:{duplicate.first_span.col}"
        message = (f"a handler named '{duplicate.name}' is already loaded in this play, at {first}: "
                   f"notifying '{duplicate.name}' runs only one of them")
        yield make(CODE, message, walk.model.path, duplicate.span, hint=f"in the play at {duplicate.play}")
