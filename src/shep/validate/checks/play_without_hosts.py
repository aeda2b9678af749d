"""Flags a play without ``hosts``.

ansible-core requires ``hosts`` on every play ("The field 'hosts' is required but was not set.").
Bad ``hosts`` values (empty, null items, mappings) are V014.

PASS (playbook)::

    - hosts: webservers
      tasks:
        - ansible.builtin.ping:

FAIL (playbook)::

    - name: configure
      tasks:
        - ansible.builtin.ping:
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk

CODE = "V010"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for play in walk.plays:
        # A playbook-level ``include`` entry is reported by V001 (use import_playbook).
        if not play.is_import and "hosts" not in play.keys and "include" not in play.keys:
            yield walk.diagnostic(CODE, "The field 'hosts' is required but was not set.", play,
                             hint="name the hosts or groups the play targets, e.g. `hosts: all`")
