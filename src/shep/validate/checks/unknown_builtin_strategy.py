"""Flags a play ``strategy`` named ``ansible.builtin.X`` that ansible-core does not ship.

Like its actions, ansible-core's ``ansible.builtin`` strategies are a closed set (``linear``,
``free``, ``host_pinned``, ``debug`` in 2.19); any other ``ansible.builtin.`` name fails when the
play starts, whatever is installed: "Invalid play strategy specified: ansible.builtin.lineer".
Short names (``mitogen_linear``) may come from a strategy plugin path and are not reported,
nor is a templated name.

PASS (playbook)::

    - hosts: all
      strategy: ansible.builtin.free
      tasks: []

FAIL (playbook)::

    - hosts: all
      strategy: ansible.builtin.lineer
      tasks: []
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk, is_template

CODE = "V021"
PREFIX = "ansible.builtin."


def _hint(name: str, shipped: frozenset[str]) -> str:
    import difflib  # on a finding only

    close = difflib.get_close_matches(name, sorted(shipped), n=1)
    if close:
        return f"did you mean '{PREFIX}{close[0]}'?"
    return "one of: " + ", ".join(PREFIX + s for s in sorted(shipped))


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for play in walk.plays:
        name = play.strategy if not play.is_import else None
        if not isinstance(name, str) or not name.startswith(PREFIX) or is_template(name):
            continue
        from shep._builtin import ansible_core_2_19 as table  # on an ansible.builtin strategy only

        if name[len(PREFIX):] not in table.STRATEGY_PLUGINS:
            yield walk.diagnostic(CODE, f"Invalid play strategy specified: {name}", play, "strategy",
                             hint=_hint(name[len(PREFIX):], table.STRATEGY_PLUGINS))
