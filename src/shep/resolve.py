"""Which plugin ansible-core runs for a task's action, by its name alone: no file is read, nothing is
installed.

``resolve(action, action_key, collections)`` answers with a :class:`Resolution`: the FQCN that
ansible-core 2.19 resolves the action to when no module of a local ``library/`` (or other
configured plugin path) and no installed collection shadows it, and a word from :data:`KINDS`
saying how sure that is and why. The facts are ansible-core's own (its shipped modules and action
plugins, and the redirects and tombstones of its routing table), generated into ``shep._builtin``.

The rules follow ansible-core's plugin loader (``ansible/plugins/loader.py``) step by step, assuming
an empty library path and no collection installed:

* ``PluginLoader._resolve_plugin_step``: an FQCN (``ns.coll.name``) is looked up as written; a short
  name with a ``collections`` search list in scope is tried as ``<c>.<name>`` for each ``c`` in turn;
  a short name without one (or a name starting ``Ansible``) takes the legacy path.
* ``ansible.legacy.<name>`` and the legacy path (``_find_plugin_legacy``) search the library paths
  first, then what ansible-core ships (giving ``ansible.builtin.<name>``; also ``<name>.py`` and the
  deprecated ``_<name>``), and last the routing table of ``ansible.builtin`` (the "last-chance" lookup).
* ``ansible.builtin.<name>`` (``_find_fq_plugin``) reads the routing table first: a tombstone
  raises (the plugin was removed), a redirect is followed (``find_plugin_with_context`` loops until
  a name resolves, as ``redirect_list`` records); then what ansible-core ships.
* Two plugin loaders are asked. A task keyed by the module name is checked when the task is loaded
  (``ModuleArgsParser.parse`` → ``_get_action_context``): the module loader, then the action loader;
  ``action:``/``local_action:`` only when the task runs (``Task._post_validate_args``): the action
  loader, then the module loader if the action loader found nothing. Either way the name that runs
  is the action loader's when it finds one, else the module loader's (``resolved_fqcn``); the order
  decides which tombstone is met first, and a tombstone fails the task wherever it is met.
* ``include_tasks``, ``import_tasks``, ``include_role``, ``import_role`` and ``meta`` (short,
  ``ansible.builtin.`` or ``ansible.legacy.``) are never looked up: ansible-core recognises them by
  name (``mod_args.BUILTIN_TASKS``) and runs its own code for them.

How the ``collections`` keyword reaches a task (``Task.preprocess_data``, ``Block._get_parent_attribute``,
``CollectionSearch._load_collections``): the task's own list if it sets one (a null is no list:
its parent's applies), else the nearest enclosing block's, else the play's; a block or play that
sets the keyword hides the lists above it, even with an empty list or a null. A non-empty list that
names neither ``ansible.builtin`` nor ``ansible.legacy`` gets ``ansible.legacy`` appended
(``_ensure_default_collection``). Role tasks take the role's list (``meta/main.yml``), never the
play's: shep does not read a role's metadata, so the tasks of a task file see only the lists written
in that file.
"""

from __future__ import annotations

import functools
import re

from shep._records import record
from shep.keywords import JINJA_OPENERS, META_ACTIONS, ROLE_INCLUDE_ACTIONS, TASK_INCLUDE_ACTIONS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NamedTuple
else:
    from shep._records import NamedTuple

# -- the vocabulary ------------------------------------------------------------------------------------

BUILTIN_MODULE = "builtin-module"  # a module ansible-core ships (it may have an action plugin too): copy, debug
BUILTIN_ACTION = "builtin-action"  # an action plugin ansible-core ships without a module: normal
REDIRECT = "redirect"  # ansible-core's routing table redirects it; the name is where the redirects lead
COLLECTION = "collection"  # an FQCN of another collection, as written: runs if that collection is installed
SEARCH = "search"  # a short name under a collections list: an installed collection may provide it first;
#                    the name is what runs when none does
UNKNOWN = "unknown"  # not shipped by ansible-core: a module of a library path may provide it
REMOVED = "removed"  # a tombstone of the routing table: ansible-core fails
NOT_FOUND = "not-found"  # nothing can provide it (ansible.builtin is closed): ansible-core fails
TEMPLATED = "templated"  # action:/local_action: with Jinja in the name: known only when the task runs

# Every kind, in the order of the FlatBuffers enum ActionResolution (schema/task.fbs; value = index + 1,
# 0 is a task without a resolution). Append only.
KINDS: tuple[str, ...] = (BUILTIN_MODULE, BUILTIN_ACTION, REDIRECT, COLLECTION, SEARCH, UNKNOWN, REMOVED,
                          NOT_FOUND, TEMPLATED)


@record
class Resolution:
    """What a task's action resolves to: ``name`` (an FQCN, or None when nothing would run) and ``kind``."""

    name: str | None
    kind: str


BUILTIN = "ansible.builtin."
LEGACY = "ansible.legacy."
RUN_TIME_KEYS = ("action", "local_action")  # actions resolved when the task runs
MODULES, ACTION = "modules", "action"  # ansible-core's plugin types (PluginLoader.type)
KEY_ORDER = (MODULES, ACTION)  # ModuleArgsParser.parse → _get_action_context, when the task loads
RUN_TIME_ORDER = (ACTION, MODULES)  # Task._post_validate_args, when the task runs

# mod_args.BUILTIN_TASKS: recognised by name, never looked up.
BY_NAME = TASK_INCLUDE_ACTIONS | ROLE_INCLUDE_ACTIONS | META_ACTIONS

_VALID_FQCR = re.compile(r"^\w+(\.\w+){2,}$")  # AnsibleCollectionRef.VALID_FQCR_RE
_SYNTHETIC = ("ansible.builtin", "ansible.legacy")

Removal = tuple[str | None, str | None, str | None]  # (removal_version, removal_date, warning_text)


@functools.lru_cache(maxsize=4096)  # asked several times per name resolved
def is_fqcr(name: str) -> bool:
    """AnsibleCollectionRef.is_valid_fqcr: ``ns.coll.name`` (subdirectories allowed)."""
    return _VALID_FQCR.match(name) is not None


# -- ansible-core's facts, loaded when first needed ------------------------------------------------------


@functools.cache
def _core() -> Any:
    from shep._builtin import ansible_core_2_19 as table  # small

    return table


@functools.cache
def _routing() -> Any:
    from shep._builtin import ansible_core_2_19_redirects as table

    return table


def shipped(plugin_type: str) -> frozenset[str]:
    """The modules (``modules``) or action plugins (``action``) ansible-core ships."""
    table = _core()
    return table.MODULES if plugin_type == MODULES else table.ACTION_PLUGINS  # type: ignore[no-any-return]


def tombstones(plugin_type: str) -> dict[str, Removal]:
    table = _core()
    return table.MODULE_TOMBSTONES if plugin_type == MODULES else table.ACTION_TOMBSTONES  # type: ignore[no-any-return]


def redirects(plugin_type: str) -> dict[str, str]:
    """The routing table's redirects (thousands, ~1 ms to load: only asked for a name not shipped)."""
    table = _routing()
    return table.MODULE_REDIRECTS if plugin_type == MODULES else table.ACTION_REDIRECTS  # type: ignore[no-any-return]


def _redirected_though_shipped() -> frozenset[str]:
    return _core().REDIRECTED_SHIPPED  # type: ignore[no-any-return]


# -- one plugin loader ---------------------------------------------------------------------------------

# What one loader makes of a name, assuming nothing installed and no library path.
FOUND = "found"  # name: the FQCN it resolves to
GONE = "removed"  # a tombstone: removal = (the removed FQCN, its Removal)
OUT = "out"  # an FQCN of another collection (written so, or redirected to): name = that FQCN
MISSING = "missing"  # no answer


class Answer(NamedTuple):
    status: str
    name: str | None = None
    redirected: bool = False  # the routing table redirected it on the way
    searched: bool = False  # a collection of the search list (not ansible.builtin/legacy) was tried first
    legacy: bool = False  # the library paths were searched (a local module could answer)
    removal: tuple[str, Removal] | None = None


_MISSING = Answer(MISSING)


def lookup(name: str, plugin_type: str, collections: tuple[str, ...] = ()) -> Answer:
    """One plugin loader's answer for ``name`` (``find_plugin_with_context``), ``collections`` being the
    search list in scope."""
    return _step(name, plugin_type, collections, ())


def _step(name: str, plugin_type: str, collections: tuple[str, ...], chain: tuple[str, ...]) -> Answer:
    """PluginLoader._resolve_plugin_step; ``chain``: the names redirected from, to stop a loop."""
    if not ((is_fqcr(name) or collections) and not name.startswith("Ansible")):
        return _legacy(name, plugin_type, chain)
    candidates = (name,) if "." in name or not collections else tuple(f"{c}.{name}" for c in collections)
    searched = legacy = False
    for candidate in candidates:
        if candidate.startswith("ansible.legacy"):
            answer = _legacy(name.removeprefix(LEGACY), plugin_type, chain)
            legacy = True
        elif not is_collection_ref(candidate):
            continue  # AnsibleCollectionRef.from_fqcr raises: the loader goes on
        elif candidate.startswith(BUILTIN):
            answer = _builtin(candidate[len(BUILTIN):], plugin_type, chain)
        elif candidate == name:
            return Answer(OUT, name)  # another collection's FQCN: resolves if it is installed
        else:
            searched = True  # a collection of the search list, installed or not
            continue
        if answer.status != MISSING:
            return answer._replace(searched=searched, legacy=answer.legacy or legacy)
    return Answer(MISSING, searched=searched, legacy=legacy)


def _legacy(name: str, plugin_type: str, chain: tuple[str, ...]) -> Answer:
    """PluginLoader._find_plugin_legacy with empty library paths: what ansible-core ships (by name or
    file name, ``<name>.py``), the deprecated ``_<name>``, then the last-chance routing lookup."""
    names = shipped(plugin_type)
    if name in names or (name.endswith(".py") and name[:-3] in names):
        return Answer(FOUND, BUILTIN + name, legacy=True)
    if not name.startswith("_") and f"_{name}" in names:
        return Answer(FOUND, f"{BUILTIN}_{name}", legacy=True)
    if "." not in name and is_fqcr(BUILTIN + name):
        return _builtin(name, plugin_type, chain)._replace(legacy=True)
    return Answer(MISSING, legacy=True)


def _builtin(name: str, plugin_type: str, chain: tuple[str, ...]) -> Answer:
    """PluginLoader._find_fq_plugin for ``ansible.builtin.<name>``: the routing table, then the files;
    a redirect is followed as find_plugin_with_context follows it."""
    fqcn = BUILTIN + name
    removal = tombstones(plugin_type).get(name)
    if removal is not None:
        return Answer(GONE, removal=(fqcn, removal))
    if name in shipped(plugin_type) and name not in _redirected_though_shipped():
        return Answer(FOUND, fqcn)
    target = redirects(plugin_type).get(name)
    if target is None:
        return _MISSING
    if target == fqcn or target in chain:
        return _MISSING  # ansible-core raises AnsiblePluginCircularRedirect (its table has no loop)
    return _step(target, plugin_type, (), (*chain, fqcn))._replace(redirected=True)


@functools.lru_cache(maxsize=4096)  # asked several times per name resolved
def is_collection_ref(name: str) -> bool:
    """AnsibleCollectionRef.from_fqcr accepts it: an FQCN whose namespace and collection are Python
    identifiers and not keywords."""
    if not is_fqcr(name):
        return False
    import keyword  # tiny; only for FQCNs

    return all(part.isidentifier() and not keyword.iskeyword(part) for part in name.split(".", 2)[:2])


# -- the task --------------------------------------------------------------------------------------------


def is_template(name: str) -> bool:
    """ansible-core's is_possibly_template, on an action name."""
    return any(opener in name for opener in JINJA_OPENERS)


def search_list(value: object) -> tuple[str, ...]:
    """A ``collections`` keyword's value as ansible-core uses it (``get_validated_value`` and
    ``_ensure_default_collection``): a string is a list of one, null or an empty list is no list, and
    ``ansible.legacy`` is appended to a list that names neither ansible.builtin nor ansible.legacy.
    (An item that is not a string fails the play or task in ansible-core; it is left out here.)"""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    found = tuple(str(item) for item in items if isinstance(item, str))
    if found and not any(item in _SYNTHETIC for item in found):
        found += ("ansible.legacy",)
    return found


def resolve(action: str, action_key: str | None = None, collections: tuple[str, ...] = ()) -> Resolution:
    """The resolution of a task's ``action`` (as detected), written with ``action_key`` (the module key,
    ``action`` or ``local_action``), ``collections`` being the search list in scope (``search_list``)."""
    return _resolve(action, action_key in RUN_TIME_KEYS, collections)


@functools.cache  # a few dozen distinct (name, form, list) per run: each resolved once
def _resolve(action: str, run_time: bool, collections: tuple[str, ...]) -> Resolution:
    if run_time and is_template(action):
        return Resolution(None, TEMPLATED)
    if action in BY_NAME:
        return Resolution(BUILTIN + action.rsplit(".", 1)[-1], BUILTIN_MODULE)
    decided = decide(answers(action, run_time, collections))
    status, name = decided.status, decided.name
    if decided.searched:
        return Resolution(name if status in (FOUND, OUT) else None, SEARCH)
    if status == FOUND:
        if decided.redirected:
            return Resolution(name, REDIRECT)
        short = str(name)[len(BUILTIN):].removesuffix(".py").lstrip("_")
        return Resolution(name, BUILTIN_MODULE if short in shipped(MODULES) else BUILTIN_ACTION)
    if status == OUT:
        return Resolution(name, REDIRECT if decided.redirected else COLLECTION)
    if status == GONE:
        return Resolution(None, REMOVED)
    return Resolution(None, UNKNOWN if decided.legacy else NOT_FOUND)


def answers(action: str, run_time: bool, collections: tuple[str, ...] = ()) -> tuple[tuple[str, Answer], ...]:
    """(plugin type, answer) of each loader ansible-core asks, in its order, as far as it asks:
    ``_get_action_context`` asks both unless the first meets a tombstone, ``_post_validate_args``
    stops at an action plugin it finds."""
    order = RUN_TIME_ORDER if run_time else KEY_ORDER
    first = lookup(action, order[0], collections)
    if first.status == GONE or (run_time and first.status == FOUND):
        return ((order[0], first),)
    return (order[0], first), (order[1], lookup(action, order[1], collections))


def decide(asked: tuple[tuple[str, Answer], ...]) -> Answer:
    """The answer that holds for the task: the first tombstone met fails it; else the plugin the action
    loader finds, else the module loader's (resolved_fqcn); else a collection's FQCN, the action
    loader's first; else nothing (searched, legacy when either loader was)."""
    for _plugin_type, answer in asked:
        if answer.status == GONE:
            return answer
    ranked = sorted(asked, key=lambda pair: pair[0] != ACTION)  # stable: the action loader first
    for status in (FOUND, OUT):
        for _plugin_type, answer in ranked:
            if answer.status == status:
                return answer
    return Answer(MISSING, searched=any(a.searched for _, a in asked), legacy=any(a.legacy for _, a in asked))
