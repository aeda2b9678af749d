"""An option set together with one of its aliases: the alias's value wins (ansible-core warns).

PASS::

    - ansible.builtin.file:
        path: /srv
        state: directory

FAIL::

    - ansible.builtin.file:
        path: /srv
        dest: /srv/www
        state: directory
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk
from shep.validate.checks._module_options import diagnostics

CODE = "V032"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    return diagnostics(walk, CODE, ("alias-conflict",))
