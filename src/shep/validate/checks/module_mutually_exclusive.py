"""Options that exclude each other set together ("parameters are mutually exclusive: content|src").

PASS::

    - ansible.builtin.copy:
        content: hello
        dest: /tmp/x

FAIL::

    - ansible.builtin.copy:
        content: hello
        src: hello.txt
        dest: /tmp/x
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk
from shep.validate.checks._module_options import diagnostics

CODE = "V026"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    return diagnostics(walk, CODE, ("mutually-exclusive",))
