"""One of a group of options that must be given together, without the others ("parameters are required together: …").

PASS::

    - ansible.builtin.debconf:
        name: tzdata
        question: tzdata/Areas
        vtype: select
        value: Europe

FAIL::

    - ansible.builtin.debconf:
        name: tzdata
        question: tzdata/Areas
        vtype: select

"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk
from shep.validate.checks._module_options import diagnostics

CODE = "V027"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    return diagnostics(walk, CODE, ("required-together",))
