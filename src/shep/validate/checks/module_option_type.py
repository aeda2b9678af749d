"""A literal that the option's type cannot take ("argument 'port' is of type str and we were unable
to convert to int: "'http'" cannot be converted to an int", ansible-core's words).

The conversions are ``AnsibleModule``'s: ``'yes'``/``'on'``/``1`` are booleans, ``'8080'`` is an
int, ``'a,b'`` a list, ``'a=1 b=2'`` a dict, ``'10M'`` a size; a value for sub-options must be a
mapping (or a list of them).

PASS::

    - ansible.builtin.wait_for:
        port: "8080"
        timeout: 30
    - ansible.builtin.copy:
        src: a
        dest: /b
        backup: yes

FAIL::

    - ansible.builtin.wait_for:
        port: eighty
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk
from shep.validate.checks._module_options import diagnostics

CODE = "V024"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    return diagnostics(walk, CODE, ("type", "not-a-dict",))
