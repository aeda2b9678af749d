"""A literal value outside the option's choices ("value of state must be one of: …, got: presnt").

The value is compared after the option's own conversion, as ``AnsibleModule`` does it (a YAML
``yes`` given to a choice of ``yes``/``no`` strings matches). A templated value is never judged.

PASS::

    - ansible.builtin.file:
        path: /srv
        state: directory
    - ansible.builtin.apt:
        name: nginx
        state: "{{ wanted }}"

FAIL::

    - ansible.builtin.file:
        path: /srv
        state: directroy
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk
from shep.validate.checks._module_options import diagnostics

CODE = "V023"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    return diagnostics(walk, CODE, ("choice",))
