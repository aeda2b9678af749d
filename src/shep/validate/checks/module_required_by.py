"""An option that another option needs, left out ("missing parameter(s) required by 'x': y").

PASS::

    - ansible.builtin.systemd:
        name: nginx
        enabled: true

FAIL::

    - ansible.builtin.systemd:
        enabled: true

"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk
from shep.validate.checks._module_options import diagnostics

CODE = "V030"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    return diagnostics(walk, CODE, ("required-by",))
