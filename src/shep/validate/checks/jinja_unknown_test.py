"""Flags a test (``x is …``) that is neither Jinja's nor ansible.builtin's, with the closest known name.

As for filters (V035): ansible-core fails when the task runs ("Syntax error in expression: No test named
'sucess'."), unless a local ``test_plugins/`` directory provides it, so this is a warning; another
collection's test is never flagged. The names are ansible-core 2.19.14's and Jinja 3.1's.

PASS::

    - ansible.builtin.command: /bin/true
      register: result
      changed_when: result is succeeded and result.stdout is search('changed')

FAIL::

    - ansible.builtin.command: /bin/true
      register: result
      changed_when: result is sucess
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk
from shep.validate.checks._templates import unknown_names

CODE = "V036"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    yield from unknown_names(walk, CODE, "test")
