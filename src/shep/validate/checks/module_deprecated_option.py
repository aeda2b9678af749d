"""A deprecated option or alias (ansible-core warns when the task runs; a later version removes it).

PASS::

    - ansible.builtin.git:
        repo: https://example.com/x.git
        dest: /srv/x
        gpg_allowlist: [ABCD]

FAIL::

    - ansible.builtin.git:
        repo: https://example.com/x.git
        dest: /srv/x
        gpg_whitelist: [ABCD]

"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk
from shep.validate.checks._module_options import diagnostics

CODE = "V031"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    return diagnostics(walk, CODE, ("deprecated-option",))
