"""An option that another option's value requires, left out ("non_unique is True but all of the
following are missing: gid").

The value that triggers the rule may be the option's default.

PASS::

    - ansible.builtin.group:
        name: admins
        non_unique: true
        gid: 1000

FAIL::

    - ansible.builtin.group:
        name: admins
        non_unique: true
    - ansible.builtin.yum_repository:
        name: epel
        baseurl: https://example.com/epel
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk
from shep.validate.checks._module_options import diagnostics

CODE = "V029"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    return diagnostics(walk, CODE, ("required-if",))
