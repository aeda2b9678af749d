"""An option the module (or the action plugin that owns its options) does not take.

ansible-core fails when the task runs ("Unsupported parameters for (copy) module: nmae"). shep
judges the arguments of every action ansible-core ships (``copy``, ``ansible.builtin.file``,
``ansible.legacy.apt``…) against the action's real argument spec, generated from ansible-core
at build time; action plugins that own options (``template``, ``copy``, ``shell``, ``assert``…)
by what the plugin accepts. The hint is a did-you-mean, or says that a task keyword (``when``,
``become``, ``no_log``…) is indented under the module. Only what is certain whatever is
installed is judged: a short name is not, when a ``collections:`` list is in scope (a listed
collection may hold a module of that name); arguments given as one template
(``args: "{{ x }}"``) are not; pass-through actions (``package``, ``service``,
``gather_facts``) are not. An option whose templated value mentions ``omit`` may vanish and is
not reported.

PASS::

    - ansible.builtin.copy:
        src: motd
        dest: /etc/motd
        mode: "0644"
    - file: path=/srv state=directory

FAIL::

    - ansible.builtin.copy:
        src: motd
        dest: /etc/motd
        nmae: motd
    - ansible.builtin.debug:
        msg: hello
        when: ready
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk
from shep.validate.checks._module_options import diagnostics

CODE = "V022"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    return diagnostics(walk, CODE, ("unknown-option",))
