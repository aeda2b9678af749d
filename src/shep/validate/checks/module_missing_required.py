"""A required option left out ("missing required arguments: dest").

An option ``module_defaults`` in scope (play, block or task) may supply, or an environment
fallback, is not known to be missing.

PASS::

    - ansible.builtin.copy:
        src: motd
        dest: /etc/motd

FAIL::

    - ansible.builtin.copy:
        src: motd
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk
from shep.validate.checks._module_options import diagnostics

CODE = "V025"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    return diagnostics(walk, CODE, ("missing-required",))
