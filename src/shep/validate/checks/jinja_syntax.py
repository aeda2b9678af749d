"""Flags a template or conditional that ansible-core's Jinja cannot parse, at the line and column of the
error inside the string.

ansible-core finds such an error only when it templates the string, and fails the task (or play) then:
"Syntax error in template: unexpected end of template, expected 'end of print statement'.", "Syntax error
in expression: expected token ':', got '}'". Every string ansible-core templates is parsed with Jinja as
ansible-core 2.19 configures it (no extension: ``{% do %}`` and ``{% break %}`` are unknown tags), never
rendered: module arguments, keyword values, and the conditionals (``when``, ``changed_when``,
``failed_when``, ``until``, ``loop_control.break_when``, ``assert``'s ``that``), which 2.19 compiles as
bare expressions: template delimiters inside a longer conditional are an error ("Syntax error in
expression. Template delimiters are not supported in expressions"); a conditional wholly in ``{{ … }}``
is a template. ``!unsafe`` and vault values are never templated.

The error is placed where Jinja stops (an unclosed ``{{``, ``{%`` block or comment: where it opens), mapped
back through the string's YAML style. Where ansible-core templates a value only when it is used (``vars``
values, ``module_defaults``), or only warns (a task's ``name``), this is a warning.

PASS::

    - ansible.builtin.debug:
        msg: "{{ packages | default([]) | join(', ') }}"
      when: packages is defined and packages | length > 0

FAIL::

    - ansible.builtin.debug:
        msg: "{{ packages | default([] | join(', ') }}"

FAIL::

    - ansible.builtin.command: /bin/true
      register: result
      failed_when: "{{ result.rc }} != 0"

FAIL::

    - ansible.builtin.copy:
        dest: /etc/motd
        content: |
          {% for line in motd %}
          {{ line }}
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk
from shep.validate.checks._templates import LAZY_NOTES, diagnostic, judged

CODE = "V034"
_DELIMITERS_HINT = "a conditional is already an expression: write it without {{ }} (when: x == 1, not \"{{ x }} == 1\")"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for place in walk.shared(judged):
        problem = place.verdict.problem
        if problem is None or problem.kind != "syntax":
            continue
        hint = LAZY_NOTES.get(place.lazy or "")
        if "Template delimiters" in problem.message:
            hint = _DELIMITERS_HINT
        yield diagnostic(walk, CODE, problem.message, place, (problem.offset, problem.line), hint=hint)
