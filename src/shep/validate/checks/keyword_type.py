"""Flags keyword values of a type ansible-core rejects or cannot convert.

Each keyword accepts the values ansible-core 2.19 converts without error (``become: yes``,
``retries: "3"``, ``delay: 0.5``, ``tags: a,b``, ``name:`` left empty, any template
``"{{ x }}"`` where a bool or number is expected); the table is in
``shep.validate.keyword_rules`` and is the one the JSON Schemas are generated from. Messages are
ansible-core's: some it gives when it loads the file ("The field 'name' is supposed to be a
string type…", "tags must be specified as a list", "Vars in a Play must be specified as a
dictionary.", "Hosts list cannot be empty…"), the others when the task runs ("…could not be
converted to 'bool'.", "Conditional expressions must be strings."). Covers play, block, task,
handler, import_playbook and loop_control keywords.

PASS (playbook)::

    - hosts: all
      become: yes
      tasks:
        - ansible.builtin.command: /bin/true
          retries: "{{ tries }}"
          delay: 0.5
          tags: [setup, 1]
          when: ready

FAIL (playbook)::

    - hosts: []
      become: maybe
      tasks:
        - ansible.builtin.command: /bin/true
          retries: three
          when: {ready: true}
          tags: {setup: true}
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk
from shep.validate.checks._keyword_values import keyword_value_problems
from shep.validate.keyword_rules import Finding

CODE = "V014"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for visit, key, finding, message in walk.shared(keyword_value_problems):
        if finding is Finding.BAD_TYPE:
            yield walk.diagnostic(CODE, message, visit.obj, key)
