"""Flags ``poll`` on a task without ``async``.

``poll`` sets how often ansible-core checks an asynchronous task; a task without ``async``
runs synchronously and ignores it.

PASS::

    - ansible.builtin.command: /usr/local/bin/long-job
      async: 3600
      poll: 0

FAIL::

    - ansible.builtin.command: /usr/local/bin/long-job
      poll: 0
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk

CODE = "V009"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for task, keys in walk.tasks_with_keys():
        if "poll" in keys and "async" not in keys and "async_val" not in keys:
            yield walk.diagnostic(CODE, "'poll' has no effect without 'async'", task, "poll",
                             hint="add `async:` to run the task in the background, or remove `poll`")
