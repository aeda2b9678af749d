"""Flags free-form text given to a module that takes only named arguments.

``debug: msg=hello world`` parses into ``msg: hello`` plus the stray text ``world``; only
command-like modules (command, shell, raw, script…) and a few actions (include_*, import_*,
set_fact, meta…) take free-form text. ansible-core accepts the file and fails when the task
runs ("Action 'ansible.builtin.debug' does not support raw params."), so shep reports it as an
error statically. A text that is wholly a template (``"{{ args }}"``) may turn into arguments
at run time and is accepted. The verdict is certain, an error, only for the actions ansible-core
ships (``debug``, ``ansible.builtin.copy``…); for any other module it is a warning: its action
plugin may take free-form text, or the module may be missing (resolving it then fails first,
depending on what is installed). An ``ansible.builtin``
action that ansible-core cannot resolve fails before its arguments are looked at: that is V019 alone.

PASS::

    - ansible.builtin.debug: msg="hello world"
    - ansible.builtin.command: echo hello world
    - some.collection.module: "{{ module_args }}"

FAIL::

    - ansible.builtin.debug: msg=hello world
    - ansible.builtin.copy: /etc/motd
    - some.collection.module: free text (a warning)
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.detect import is_possibly_all_template
from shep.diagnostics import Diagnostic, Severity
from shep.keywords import RAW_PARAM_MODULES, REMOVED_INCLUDE_ACTIONS
from shep.validate.checks._common import ModelWalk, is_template
from shep.validate.checks._builtin_actions import RUN_TIME_KEYS, is_shipped, problem

CODE = "V004"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for task in walk.tasks:
        text = task.free_form_args
        action = task.action
        if text is None or action is None or action in RAW_PARAM_MODULES or action in REMOVED_INCLUDE_ACTIONS:
            continue  # a removed ``include`` is V007
        if is_template(action):
            continue
        if not text or is_possibly_all_template(text):
            continue
        if problem(action, run_time=task.action_key in RUN_TIME_KEYS) is not None:
            continue  # V019: ansible-core fails resolving the action, before it reads the arguments
        message = f"Action '{action}' does not support raw params."
        if is_shipped(action):  # the verdict holds everywhere; any other module may take free text
            hint = (f"ansible-core fails when the task runs; the stray text is {text!r}: "
                    "write key=value pairs or a mapping")
            yield walk.diagnostic(CODE, message, task, task.action_key, hint=hint)
        else:
            hint = (f"the stray text is {text!r}: unless the action plugin of '{action}' takes free-form text, "
                    "ansible-core fails when the task runs")
            yield walk.diagnostic(CODE, message, task, task.action_key, hint=hint, severity=Severity.WARNING)

