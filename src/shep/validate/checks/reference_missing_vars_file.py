"""Flags a ``vars_files`` entry that names no file (for a list of alternatives: none of them),
looked up as ansible-core looks (``vars/`` and the play's directory).

ansible-core skips a missing vars file silently: the play runs with its variables undefined.
A templated name is not judged. Without a project nothing is reported.

PASS (project)::

    # file: site.yml
    - hosts: all
      vars_files:
        - vars/common.yml
        - ["vars/{{ ansible_facts.os_family }}.yml", vars/default.yml]
      tasks:
        - ansible.builtin.debug:
            var: greeting
    # file: vars/common.yml
    greeting: hello
    # file: vars/default.yml
    colour: blue

FAIL (project)::

    # file: site.yml
    - hosts: all
      vars_files:
        - vars/common.yml
      tasks:
        - ansible.builtin.debug:
            var: greeting
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic, make
from shep.validate.checks._common import ModelWalk
from shep.validate.checks._references import MISSING, hint

CODE = "V052"
PROJECT = True


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    if walk.facts is None:
        return
    for edge in walk.facts.references:
        if edge.kind == "vars_files" and edge.status == MISSING:
            yield make(CODE, f"{edge.reason}: ansible-core skips it and its variables stay undefined",
                       walk.model.path, edge.span, hint=hint(edge))
