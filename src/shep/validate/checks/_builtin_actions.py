"""What ansible-core resolves in the closed ``ansible.builtin`` namespace: shipped modules and action
plugins, redirects and tombstones (ansible-core 2.19.14's facts, generated into ``shep._builtin``).

Read by V019 (unresolved builtin actions) and V004 (raw params of the actions ansible-core ships).
"""

from __future__ import annotations

import functools

from shep.keywords import REMOVED_INCLUDE_ACTIONS
from shep.validate.checks._common import is_template

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from shep._records import NamedTuple

PREFIX = "ansible.builtin."

# The plugin loaders ansible-core asks, in order. A task keyed by the name: ModuleArgsParser.parse
# (at load) asks for a module, then an action plugin. ``action:``/``local_action:``:
# Task._post_validate_args (when the task runs) asks for an action plugin, then a module.
KEY_ORDER = ("modules", "action")
RUN_TIME_ORDER = ("action", "modules")
RUN_TIME_KEYS = ("action", "local_action")

Removal = tuple[str | None, str | None, str | None]  # (removal_version, removal_date, warning_text)


class Problem(NamedTuple):
    message: str  # ansible-core's
    removed: bool  # a tombstone (else: no such plugin)


def _loader(plugin_type: str) -> tuple[str, frozenset[str], dict[str, Removal]]:
    """What one plugin loader of ansible-core 2.19 knows: its word for the plugin, shipped names, tombstones."""
    from shep._builtin import ansible_core_2_19 as table  # small: loaded on the first ansible.builtin action

    if plugin_type == "modules":
        return "module", table.MODULES, table.MODULE_TOMBSTONES
    return "action plugin", table.ACTION_PLUGINS, table.ACTION_TOMBSTONES


def _redirects(plugin_type: str) -> dict[str, str]:
    from shep._builtin import ansible_core_2_19_redirects as table  # ~1 ms: only for a name not shipped

    return table.MODULE_REDIRECTS if plugin_type == "modules" else table.ACTION_REDIRECTS


def _shipped_but_redirected() -> frozenset[str]:
    from shep._builtin import ansible_core_2_19 as table

    return table.REDIRECTED_SHIPPED


def _removed_message(name: str, kind: str, removal: Removal) -> str:
    """ansible-core's message for a tombstone (PluginLoader._find_fq_plugin, then
    get_deprecation_message_with_plugin_info for a plugin of ansible.builtin)."""
    version, date, text = removal
    removed = f"The '{PREFIX}{name}' {kind} has been removed." + (f" {text}" if text else "")
    if not removed.endswith((".", "!", "?")):
        removed += "."
    when = f" in a release after {date}" if date else f" version {version}" if version else ""
    return f"{removed} This feature was removed from ansible-core{when}."


def _lookup(name: str, plugin_type: str, seen: tuple[str, ...] = ()) -> bool | str:
    """One plugin loader's answer for ``ansible.builtin.<name>``: True (found, or redirected out of
    ansible.builtin, where it may be installed), False (not found) or a removal message."""
    kind, shipped, tombstones = _loader(plugin_type)
    removal = tombstones.get(name)
    if removal is not None:
        return _removed_message(name, kind, removal)
    if name in shipped and name not in _shipped_but_redirected():
        return True
    target = _redirects(plugin_type).get(name)
    if target is None:
        return name in shipped
    if not target.startswith(PREFIX):
        return True
    short = target[len(PREFIX):]
    if short in seen or short == name:
        return False  # a redirect loop: ansible-core raises (there is none in 2.19)
    return _lookup(short, plugin_type, (*seen, name))


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
    return "." not in name and any(name in _loader(plugin_type)[1] for plugin_type in KEY_ORDER)


@functools.cache  # most files name the same few actions many times
def _problem(action: str, run_time: bool) -> Problem | None:
    name = action[len(PREFIX):]
    for plugin_type in RUN_TIME_ORDER if run_time else KEY_ORDER:
        answer = _lookup(name, plugin_type)
        if answer is True:
            return None
        if answer is not False:
            return Problem(str(answer), removed=True)
    if run_time:
        return Problem(f"Cannot resolve '{action}' to an action or module.", removed=False)
    return Problem(f"couldn't resolve module/action '{action}'. This often indicates a misspelling, "
                   "missing collection, or incorrect module path.", removed=False)


@functools.cache  # matching against the 3800 redirected names takes tens of milliseconds: once per name
def suggestions(name: str) -> tuple[str, ...]:
    """The builtin actions closest to ``ansible.builtin.<name>``: shipped ones, else redirected ones
    (given as their targets)."""
    import difflib  # on the first finding only: most files have none

    shipped = sorted(_loader("modules")[1] | _loader("action")[1])
    close = difflib.get_close_matches(name, shipped, n=3)
    if close:
        return tuple(PREFIX + found for found in close)
    routed = {**_redirects("action"), **_redirects("modules")}
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
