"""What ansible-core resolves in the closed ``ansible.builtin`` namespace: shipped modules and action
plugins, redirects and tombstones (ansible-core 2.19.14's facts, generated into ``shep._builtin``).

Read by V019 (unresolved builtin actions) and V004 (raw params of the actions ansible-core ships).
The lookups are shep.resolve's (the model's resolved actions come from the same code); this
module words ansible-core's failures.
"""

from __future__ import annotations

import functools

from shep import resolve
from shep.keywords import REMOVED_INCLUDE_ACTIONS
from shep.resolve import KEY_ORDER, RUN_TIME_KEYS, Removal
from shep.validate.checks._common import is_template

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from shep._records import NamedTuple

PREFIX = resolve.BUILTIN
__all__ = ["PREFIX", "RUN_TIME_KEYS", "Problem", "is_shipped", "module_defaults_problem", "problem", "suggestions"]

# PluginLoader.type as ansible-core words it in a removal message.
_PLUGIN_WORD = {resolve.MODULES: "module", resolve.ACTION: "action plugin"}


class Problem(NamedTuple):
    message: str  # ansible-core's
    removed: bool  # a tombstone (else: no such plugin)


def _removed_message(name: str, kind: str, removal: Removal) -> str:
    """ansible-core's message for a tombstone (PluginLoader._find_fq_plugin, then
    get_deprecation_message_with_plugin_info for a plugin of ansible.builtin)."""
    version, date, text = removal
    removed = f"The '{PREFIX}{name}' {kind} has been removed." + (f" {text}" if text else "")
    if not removed.endswith((".", "!", "?")):
        removed += "."
    when = f" in a release after {date}" if date else f" version {version}" if version else ""
    return f"{removed} This feature was removed from ansible-core{when}."


def problem(action: str, *, run_time: bool = False) -> Problem | None:
    """Why ansible-core fails on the action ``action`` whatever is installed, or None: it resolves, may
    resolve, or is not a name shep judges (not ``ansible.builtin.``, ``include`` (V007), templated).
    ``run_time``: written as ``action:``/``local_action:``, not as the task's key."""
    if not action.startswith(PREFIX) or action in REMOVED_INCLUDE_ACTIONS or is_template(action):
        return None
    return _problem(action, run_time)


def is_shipped(action: str) -> bool:
    """A module or action plugin that ansible-core itself ships, by its short, builtin or legacy name."""
    name = action.removeprefix(PREFIX).removeprefix("ansible.legacy.")
    return "." not in name and any(name in resolve.shipped(plugin_type) for plugin_type in KEY_ORDER)


@functools.cache  # most files name the same few actions many times
def _problem(action: str, run_time: bool) -> Problem | None:
    """ansible-core's failure for an ``ansible.builtin.`` name: the first tombstone its plugin loaders
    meet, or no plugin (an ansible.builtin name never depends on the collections list)."""
    asked = resolve.answers(action, run_time)
    for plugin_type, answer in asked:
        if answer.removal is not None:
            fqcn, removal = answer.removal
            return Problem(_removed_message(fqcn[len(PREFIX):], _PLUGIN_WORD[plugin_type], removal), removed=True)
    if resolve.decide(asked).status != resolve.MISSING:
        return None
    if run_time:
        return Problem(f"Cannot resolve '{action}' to an action or module.", removed=False)
    return Problem(f"couldn't resolve module/action '{action}'. This often indicates a misspelling, "
                   "missing collection, or incorrect module path.", removed=False)


@functools.cache  # a few hundred names: cheap, and most files have no finding
def shipped_suggestions(name: str) -> tuple[str, ...]:
    """The actions ansible-core ships closest to ``name`` (as ``ansible.builtin.`` names)."""
    import difflib

    shipped = sorted(resolve.shipped(resolve.MODULES) | resolve.shipped(resolve.ACTION))
    return tuple(PREFIX + found for found in difflib.get_close_matches(name, shipped, n=3))


@functools.cache  # matching against the 3800 redirected names takes tens of milliseconds: once per name
def suggestions(name: str) -> tuple[str, ...]:
    """The builtin actions closest to ``ansible.builtin.<name>``: shipped ones, else redirected ones
    (given as their targets)."""
    import difflib  # on the first finding only: most files have none

    close = shipped_suggestions(name)
    if close:
        return close
    routed = {**resolve.redirects(resolve.ACTION), **resolve.redirects(resolve.MODULES)}
    return tuple(routed[found] for found in difflib.get_close_matches(name, sorted(routed), n=3))


def module_defaults_problem(name: object) -> Problem | None:
    """Why ansible-core cannot resolve ``name``, a key of ``module_defaults``, whatever is installed.

    Base._resolve_action asks for a module, then an action plugin, like a task's key; a template is
    not rendered there, so ``ansible.builtin.{{ x }}`` fails too."""
    if not isinstance(name, str) or not name.startswith(PREFIX):
        return None
    found = _problem(name, False)
    if found is None or found.removed:
        return found
    return Problem(f"Could not resolve action {name} in module_defaults", removed=False)
