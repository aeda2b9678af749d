"""Flags a ``meta`` task whose action is not one ansible-core knows.

``meta`` takes one of a fixed set of words, which ansible-core does not template; anything else
fails when the task runs ("invalid meta action requested: flush").

PASS::

    - ansible.builtin.meta: flush_handlers
    - ansible.builtin.meta: end_host
      when: done

FAIL::

    - ansible.builtin.meta: flush
    - ansible.builtin.meta: "{{ meta_action }}"
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.keywords import META_ACTIONS
from shep.validate.checks._common import ModelWalk

CODE = "V018"
# ansible-core's StrategyBase._execute_meta (and the meta module's documented choices).
META_WORDS = ("clear_facts", "clear_host_errors", "end_batch", "end_host", "end_play", "end_role",
              "flush_handlers", "noop", "refresh_inventory", "reset_connection", "role_complete")


def _close_matches(word: str) -> list[str]:
    import difflib  # on the first finding only: most files have none

    return difflib.get_close_matches(word, META_WORDS, n=1)


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for task in walk.tasks:
        if task.action not in META_ACTIONS or task.free_form_args in META_WORDS:
            continue
        word = task.free_form_args
        close = _close_matches(word) if word else []
        hint = f"did you mean '{close[0]}'?" if close else f"one of: {', '.join(META_WORDS)} (not templated)"
        yield walk.diagnostic(CODE, f"invalid meta action requested: {word}", task, task.action_key, hint=hint)
