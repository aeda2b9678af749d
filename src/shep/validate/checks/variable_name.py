"""Flags invalid variable names in ``vars`` and ``register``.

A variable name is an ASCII identifier (letters, digits, underscores, not starting with a
digit) that is not a Jinja keyword (``true``, ``none``, ``not``…); ansible-core rejects others
when it loads the file ("Invalid variable name 'my-var'.", "Invalid 'register' specified: …").

PASS::

    - ansible.builtin.command: whoami
      register: who_am_i
      vars:
        user_name: alice

FAIL::

    - ansible.builtin.command: whoami
      register: who-am-i
      vars:
        user-name: alice
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk
from shep.validate.checks._keyword_values import keyword_value_problems
from shep.validate.keyword_rules import Finding

CODE = "V015"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    hint = "use letters, digits and underscores, starting with a letter or underscore"
    for visit, key, finding, message in walk.shared(keyword_value_problems):
        if finding is Finding.BAD_VARIABLE_NAME:
            yield walk.diagnostic(CODE, message, visit.obj, key, hint=hint)
