"""Flags an empty conditional: ansible-core 2.19 fails the task with "Empty conditional expressions are
not allowed." when it evaluates it (an empty string, or only blanks, in ``when``, ``changed_when``,
``failed_when``, ``until``, ``loop_control.break_when`` or ``assert``'s ``that``; earlier versions took
it as true).

PASS::

    - ansible.builtin.debug: msg=hi
      when: ready

FAIL::

    - ansible.builtin.debug: msg=hi
      when: ""
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk
from shep.validate.checks._templates import diagnostic, judged

CODE = "V037"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for place in walk.shared(judged):
        problem = place.verdict.problem
        if problem is not None and problem.kind == "empty":
            yield diagnostic(walk, CODE, problem.message, place, (-1, 1))
