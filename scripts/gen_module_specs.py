#!/usr/bin/env python3
"""Generate the option specs of ansible-core's builtin modules and actions, or check that they are fresh.

    python scripts/gen_module_specs.py                 write src/shep/_builtin/ansible_core_<major>_<minor>_specs/
    python scripts/gen_module_specs.py --check         exit 1 if a committed spec differs from a fresh generation
    python scripts/gen_module_specs.py --any-version   also accept an ansible-core that VERSIONS does not list

One generated module per action name (``<name>.py``: HANDLER, OPTIONS and the five constraint lists, plain
literals only) and an ``__init__.py`` with NAMES (the actions that have a spec) and UNCHECKED (the actions whose
options cannot be judged statically, name -> reason code). Facts only, never prose from the documentation.

Where the facts come from
-------------------------
The argument spec a module really hands to ``AnsibleModule`` (the documentation's ``required`` flags and types
are wrong for some modules), never its DOCUMENTATION. One child process imports ``ansible.module_utils.basic``
and forks once per capture, so each module is imported afresh (modules mutate shared module_utils state: dnf
and dnf5 both edit ``yumdnf_argument_spec``); the fork patches ``AnsibleModule.__init__`` to record its keyword
arguments and raise, then calls the module's ``main()``: nothing of the module runs past that point. What
``AnsibleModule.__init__`` adds itself is added the same way: with ``add_file_common_args=True``, every entry
of ``FILE_COMMON_ARGUMENTS`` the spec does not already name.
Each capture runs twice, the second time with another host name, user, home, working directory and
environment; a default that differs between the two (``user``'s ``ssh_key_comment`` holds the host name), or
that is not a plain literal, is written as ``"default_dynamic": True`` instead. Any other difference stops the
generator. Modules never run: ``async_wrapper`` (not a task module: the launcher of async jobs, with no
argument spec, that forks and daemonizes when its ``main()`` runs). Modules with no ``main()`` are
documentation only; each must be an action below, or the generator stops.

HANDLER: how a task's arguments meet a spec
-------------------------------------------
Every action plugin of ``ansible/plugins/action/`` is classified in PLUGINS (a new plugin stops the
generator), and each plugin's source is pinned by digest in REVIEWED (a changed plugin stops it too:
review its rule, then add the new digest). A module with no action plugin runs through the ``normal``
plugin, which hands the task's arguments unchanged to the module.

- ``module``: the module of the same name validates the task's arguments as they are: modules without a
  plugin; ``command`` (runs ``ansible.legacy.command`` with the task's args); ``uri`` (transfers a controller
  ``src`` or multipart files first and replaces those values, never the option names, then runs the module
  with every argument; a ``path`` value never fails conversion, so nothing it checks changes).
- ``action_spec``: the plugin calls ``self.validate_argument_spec(...)`` once, before any work (``assert``,
  ``async_status``, ``debug``, ``pause``, ``script``); its spec is captured by running the plugin's ``run()``
  with a stand-in task in a fork, ``ActionBase.validate_argument_spec`` patched to record and raise.
  The generator checks that each such plugin's source calls it exactly once and that no other plugin does.
- ``valid_args``: the plugin checks names only. OPTIONS holds each accepted name as ``{"type": "raw"}``
  (values are not type-checked by ansible-core, so none is here), plus a fact the plugin enforces by itself
  where it is as strict as the spec key: ``fail``, ``reboot``, ``set_stats``, ``wait_for_connection`` and
  ``group_by`` (``_VALID_ARGS``, checked by ``ActionBase.run``; ``group_by`` also fails without ``key``:
  ``required``); ``include_vars`` (its ``VALID_DIR_ARGUMENTS``, ``VALID_FILE_ARGUMENTS`` and ``VALID_ALL``;
  a directory argument beside a file argument fails: one ``MUTUALLY_EXCLUSIVE`` pair per such pair).
- ``wrapper``: the plugin consumes some options and runs a module with the rest: the spec is the effective
  one a task's arguments meet (rules below).

Wrappers: the effective spec
----------------------------
An error in a spec must be one ansible-core hits when the task runs. A wrapper often takes one of several
paths (a remote or a controller source, a dnf4 or dnf5 host); each path is written as an alternative spec
and they are merged: an option is known if some path accepts it, and a check is kept only if every path
makes it (same type, elements, choices and constraints, ``required`` in every path; choices are united,
a default that differs between paths becomes ``default_dynamic``). An option the plugin reads or
overwrites itself is typed with an ansible-core type that fails only where the plugin fails too (``str`` or
``path`` never fail; ``boolean(..., strict=False)`` never fails, so it is ``raw``). Paths where the plugin
has nothing to do and skips the module (``creates`` exists, ``force: false`` and the file exists) check
nothing and are left out; so is the path of ``copy``/``template`` where the destination already holds
the right content: there the plugin runs the file module with the file arguments only, so a misspelt
option fails the run that writes the file, not the ones after it.

- shell (plugins/action/shell.py): sets ``_uses_shell`` (any value the task gives is overwritten: ``raw``),
  fails on ``expand_argument_vars`` (dropped), and runs the command action: the command module's spec.
- copy (plugins/action/copy.py): fails on ``_original_basename``/``_diff_peek`` (dropped), without ``src``
  or ``content`` (``REQUIRED_ONE_OF``), with both (``MUTUALLY_EXCLUSIVE``) or without ``dest``. Path 1,
  ``content`` or a controller ``src``: the plugin reads ``content``, ``decrypt`` and ``follow`` (``raw``),
  sets ``src``, ``dest`` (strings it needs: ``path``) and ``follow``, drops ``content`` and ``decrypt``, and
  runs the copy module with the rest (which checks ``force``, ``local_follow``…). Path 2, ``remote_src``
  without ``content``: the copy module with the task's arguments as they are (``decrypt`` unknown there). The undocumented ``raw`` is left out (with
  ``raw: false`` the copy module rejects it; ``raw: true`` skips the module altogether).
- template (plugins/action/template.py): type-checks its own string options (``str``) and reads
  ``trim_blocks``, ``lstrip_blocks``, ``follow`` with ``boolean(strict=False)`` (``raw``); fails on ``state``
  (dropped), without ``src`` or ``dest``, or with a ``newline_sequence`` outside its six spellings; drops
  its template options and runs the copy action with ``src`` set to the rendered file: copy's path 1, where
  ``content`` beside that ``src`` fails (dropped).
- assemble (plugins/action/assemble.py): pops ``decrypt``; fails without ``src`` or ``dest``. Path 1,
  ``remote_src`` true (the default): the assemble module with the rest. Path 2, false: the plugin reads
  ``regexp``, ``delimiter``, ``ignore_hidden``, ``follow``, drops its own options and runs the copy module
  with the rest and ``src``/``dest`` set.
- unarchive (plugins/action/unarchive.py): fails with both ``copy`` and ``remote_src`` (``MUTUALLY_EXCLUSIVE``)
  and without ``src`` or ``dest``; turns ``copy`` into ``remote_src`` and drops ``decrypt`` (both ``raw``),
  then runs the unarchive module with the rest (``src`` replaced by the transferred file).
- dnf (plugins/action/dnf.py): fails with both ``use`` and ``use_backend``; drops them (``raw``: any value
  falls back to the host's facts) and runs the dnf (dnf4) or dnf5 module, whichever the host has: both paths.

UNCHECKED: actions whose options cannot be judged statically (reason codes)
---------------------------------------------------------------------------
- ``pass_through``: ``package``, ``service`` (the arguments go, minus ``use``, to the package or service
  manager module the host's facts or ``use`` pick), ``gather_facts`` (to the modules of the FACTS_MODULES
  setting, ``setup``'s own options removed for the others).
- ``free_keys``: ``set_fact``, ``add_host``: any key is a variable name.
- ``ignores_unknown``: ``raw`` (reads ``_raw_params`` and ``executable``), ``fetch`` (reads its options
  with no type check), ``validate_argument_spec`` (reads ``argument_spec`` and ``provided_arguments``):
  an unknown option is silently ignored, so none can be reported.
- ``loader``: ``meta`` and the includes and imports: the playbook loader and the strategy handle them, not
  an action plugin (shep checks their options elsewhere).
- ``internal``: ``async_wrapper`` (above) and ``normal`` (the plugin that runs a module; as a task's action
  it names a module that does not exist).

``--check`` without the pinned ansible-core still checks that every committed file is exactly what this
script renders from the facts the file holds, says on stderr that the comparison with ansible-core was
skipped, and exits 0 (CI installs the pinned ansible-core, the ``oracle`` extra).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
# Reading ansible-core's version and plugin directories is gen_builtin.py's; both tables agree on them.
from gen_builtin import ansible_dir, installed_version, pinned_version, plugin_names  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "shep" / "_builtin"
PROG = "gen_module_specs.py"

# ansible-core version -> the package of src/shep/_builtin/ that holds its specs.
VERSIONS: dict[str, str] = {
    "2.19.14": "ansible_core_2_19_specs",
}

HANDLERS = ("module", "action_spec", "valid_args", "wrapper")
TYPE_NAMES = frozenset({"str", "list", "dict", "bool", "int", "float", "path", "raw", "jsonarg", "json", "bytes",
                        "bits", "callable"})
GROUP_KEYS = ("mutually_exclusive", "required_together", "required_one_of")
CONSTRAINT_KEYS = (*GROUP_KEYS, "required_if", "required_by")
# The argument_spec keys ansible-core reads (module_utils/common/parameters.py); any other stops the generator.
OPTION_KEYS = frozenset({"type", "elements", "choices", "default", "required", "aliases", "no_log", "fallback",
                         "options", "apply_defaults", "deprecated_aliases", "removed_in_version", "removed_at_date",
                         "removed_from_collection", *CONSTRAINT_KEYS})
VARIABLES = ("HANDLER", "OPTIONS", "MUTUALLY_EXCLUSIVE", "REQUIRED_TOGETHER", "REQUIRED_ONE_OF", "REQUIRED_IF",
             "REQUIRED_BY")
ANNOTATIONS = {
    "HANDLER": "str",
    "OPTIONS": "dict[str, dict[str, object]]",
    "MUTUALLY_EXCLUSIVE": "tuple[tuple[str, ...], ...]",
    "REQUIRED_TOGETHER": "tuple[tuple[str, ...], ...]",
    "REQUIRED_ONE_OF": "tuple[tuple[str, ...], ...]",
    "REQUIRED_IF": "tuple[tuple[str, object, tuple[str, ...], bool], ...]",
    "REQUIRED_BY": "dict[str, tuple[str, ...]]",
}

# Modules whose main() is never called, and why (see the docstring).
NEVER_RUN = {"async_wrapper": "internal"}

# Every action plugin of ansible/plugins/action, and how its options are decided (see the docstring).
PLUGINS: dict[str, str] = {
    "add_host": "unchecked",
    "assemble": "wrapper",
    "assert": "action_spec",
    "async_status": "action_spec",
    "command": "module",
    "copy": "wrapper",
    "debug": "action_spec",
    "dnf": "wrapper",
    "fail": "valid_args",
    "fetch": "unchecked",
    "gather_facts": "unchecked",
    "group_by": "valid_args",
    "include_vars": "valid_args",
    "normal": "unchecked",
    "package": "unchecked",
    "pause": "action_spec",
    "raw": "unchecked",
    "reboot": "valid_args",
    "script": "action_spec",
    "service": "unchecked",
    "set_fact": "unchecked",
    "set_stats": "valid_args",
    "shell": "wrapper",
    "template": "wrapper",
    "unarchive": "wrapper",
    "uri": "module",
    "validate_argument_spec": "unchecked",
    "wait_for_connection": "valid_args",
}

UNCHECKED: dict[str, str] = {
    "add_host": "free_keys",
    "async_wrapper": "internal",
    "fetch": "ignores_unknown",
    "gather_facts": "pass_through",
    "import_playbook": "loader",
    "import_role": "loader",
    "import_tasks": "loader",
    "include_role": "loader",
    "include_tasks": "loader",
    "meta": "loader",
    "normal": "internal",
    "package": "pass_through",
    "raw": "ignores_unknown",
    "service": "pass_through",
    "set_fact": "free_keys",
    "validate_argument_spec": "ignores_unknown",
}

# sha256 (first 16 hex digits) of each reviewed ansible/plugins/action/<name>.py ("__init__": ActionBase).
# A plugin whose source is not listed stops the generator: read it, check its rule above, add the digest.
REVIEWED: dict[str, frozenset[str]] = {
    "__init__": frozenset({"1daea3ffabc726f6"}),  # 2.19.14
    "add_host": frozenset({"3e297af4b3da2695"}),  # 2.19.14
    "assemble": frozenset({"81a8b7dfa10dea2a"}),  # 2.19.14
    "assert": frozenset({"df19e2b4038f456f"}),  # 2.19.14
    "async_status": frozenset({"fe472a79527aaeb2"}),  # 2.19.14
    "command": frozenset({"374f557f6432a413"}),  # 2.19.14
    "copy": frozenset({"76af3019cf37c58c"}),  # 2.19.14
    "debug": frozenset({"28f5ad1843db735d"}),  # 2.19.14
    "dnf": frozenset({"d8e6f3c412d13c13"}),  # 2.19.14
    "fail": frozenset({"33321e7d86876917"}),  # 2.19.14
    "fetch": frozenset({"91836dcb65522aa6"}),  # 2.19.14
    "gather_facts": frozenset({"bebfb70498810cfd"}),  # 2.19.14
    "group_by": frozenset({"cdb908d80fba8f22"}),  # 2.19.14
    "include_vars": frozenset({"73b94a27baa571dc"}),  # 2.19.14
    "normal": frozenset({"7021eb677cf6901f"}),  # 2.19.14
    "package": frozenset({"178f6d020b10a5e5"}),  # 2.19.14
    "pause": frozenset({"765053de84ab78ff"}),  # 2.19.14
    "raw": frozenset({"e2498035d75c0705"}),  # 2.19.14
    "reboot": frozenset({"1054e7f0ab5ac052"}),  # 2.19.14
    "script": frozenset({"f765a0cf2d854514"}),  # 2.19.14
    "service": frozenset({"1f76f2454a0e2137"}),  # 2.19.14
    "set_fact": frozenset({"1b54341dc4da5c52"}),  # 2.19.14
    "set_stats": frozenset({"c119a51b3a794c06"}),  # 2.19.14
    "shell": frozenset({"a5dec39ba8006575"}),  # 2.19.14
    "template": frozenset({"83de4cb0a9aa908e"}),  # 2.19.14
    "unarchive": frozenset({"e117a9aae8852116"}),  # 2.19.14
    "uri": frozenset({"e5de24013827d9ba"}),  # 2.19.14
    "validate_argument_spec": frozenset({"53e83c3ee8018374"}),  # 2.19.14
    "wait_for_connection": frozenset({"00bbeaf379aa1666"}),  # 2.19.14
}

RAW: dict[str, object] = {"type": "raw"}

Spec = dict[str, Any]  # the seven VARIABLES of one action (HANDLER apart: the six below)


def empty_spec() -> Spec:
    return {"OPTIONS": {}, "MUTUALLY_EXCLUSIVE": (), "REQUIRED_TOGETHER": (), "REQUIRED_ONE_OF": (),
            "REQUIRED_IF": (), "REQUIRED_BY": {}}


class GenError(Exception):
    """Something this script was not taught: it stops with the message."""


# -- the child processes: capturing from ansible-core ----------------------------------------------


class _Captured(BaseException):  # BaseException: passes through the `except Exception` of the code it stops
    pass


def _literal(value: object) -> bool:
    if value is None or isinstance(value, (str, bool, int, float)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_literal(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and _literal(item) for key, item in value.items())
    return False


def _plain(value: object) -> object:
    """A literal as the table writes it: lists become tuples, dict keys sorted."""
    if isinstance(value, (list, tuple)):
        return tuple(_plain(item) for item in value)
    if isinstance(value, dict):
        return {key: _plain(value[key]) for key in sorted(value)}
    return value


def _names(where: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise GenError(f"{where}: expected a list of option names, got {value!r}")
    return tuple(value)


def _type_name(where: str, value: object) -> str:
    if callable(value):
        return "callable"
    if not isinstance(value, str) or value not in TYPE_NAMES - {"callable"}:
        raise GenError(f"{where}: unexpected type {value!r}")
    return value


def normalise_constraints(where: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The five constraint lists of a spec (AnsibleModule's keywords, or a nested option's keys) as literals."""
    out: dict[str, Any] = {}
    for key in GROUP_KEYS:
        value = kwargs.get(key) or ()
        out[key] = tuple(_names(f"{where}.{key}", group) for group in value)
    required_if = []
    for entry in kwargs.get("required_if") or ():
        if not isinstance(entry, (list, tuple)) or len(entry) not in (3, 4) or not isinstance(entry[0], str):
            raise GenError(f"{where}.required_if: unexpected entry {entry!r}")
        if not _literal(entry[1]):
            raise GenError(f"{where}.required_if: non-literal value in {entry!r}")
        is_one_of = bool(entry[3]) if len(entry) == 4 else False
        required_if.append((entry[0], _plain(entry[1]), _names(f"{where}.required_if", entry[2]), is_one_of))
    out["required_if"] = tuple(required_if)
    required_by = kwargs.get("required_by") or {}
    if not isinstance(required_by, dict):
        raise GenError(f"{where}.required_by: expected a mapping, got {required_by!r}")
    out["required_by"] = {key: (value,) if isinstance(value, str) else _names(f"{where}.required_by", value)
                          for key, value in sorted(required_by.items())}
    return out


def _fallback(where: str, value: object) -> object:
    from ansible.module_utils.common.parameters import env_fallback

    if not isinstance(value, (list, tuple)) or not value:
        raise GenError(f"{where}: unexpected fallback {value!r}")
    if value[0] is not env_fallback:
        return "other"
    args: list[str] = []
    for item in value[1:]:
        if isinstance(item, dict):
            raise GenError(f"{where}: env_fallback with keyword arguments {value!r}")
        args += _names(where, item)
    return {"env": tuple(args)}


def normalise_option(where: str, entry: object) -> dict[str, object]:
    if not isinstance(entry, dict):
        raise GenError(f"{where}: an option spec must be a dict, got {entry!r}")
    unknown = set(entry) - OPTION_KEYS
    if unknown:
        raise GenError(f"{where}: unexpected argument_spec keys {sorted(unknown)}: teach {PROG} about them")
    out: dict[str, object] = {}
    for key in sorted(entry):
        value = entry[key]
        here = f"{where}.{key}"
        if key in ("type", "elements"):
            out[key] = _type_name(here, value)
        elif key == "choices":
            if not isinstance(value, (list, tuple)) or not _literal(value):
                raise GenError(f"{here}: choices must be a list of literals, got {value!r}")
            out[key] = _plain(value)
        elif key == "default":
            if _literal(value):
                out[key] = _plain(value)
            else:
                out["default_dynamic"] = True
        elif key in ("required", "no_log", "apply_defaults"):
            if not isinstance(value, bool):
                raise GenError(f"{here}: expected a bool, got {value!r}")
            out[key] = value
        elif key == "aliases":
            out[key] = _names(here, value)
        elif key == "fallback":
            out[key] = _fallback(here, value)
        elif key == "options":
            if value is not None:
                out[key] = normalise_options(here, value)
            else:
                out[key] = None
        elif key == "deprecated_aliases":
            if not isinstance(value, (list, tuple)) or not all(isinstance(d, dict) and _literal(d) for d in value):
                raise GenError(f"{here}: unexpected {value!r}")
            if any(set(d) - {"name", "version", "date", "collection_name"} for d in value):
                raise GenError(f"{here}: unexpected keys in {value!r}")
            out[key] = _plain(value)
        elif key in ("removed_in_version", "removed_at_date", "removed_from_collection"):
            if not isinstance(value, str):
                raise GenError(f"{here}: expected a string, got {value!r}")
            out[key] = value
    constraints = normalise_constraints(where, {k: entry[k] for k in CONSTRAINT_KEYS if k in entry})
    for key in CONSTRAINT_KEYS:
        if key in entry:
            out[key] = constraints[key]
    return {key: out[key] for key in sorted(out)}


def normalise_options(where: str, argument_spec: object) -> dict[str, dict[str, object]]:
    if not isinstance(argument_spec, dict) or not all(isinstance(name, str) for name in argument_spec):
        raise GenError(f"{where}: an argument spec must be a dict of option names, got {argument_spec!r}")
    return {name: normalise_option(f"{where}.{name}", argument_spec[name]) for name in sorted(argument_spec)}


def normalise_spec(where: str, kwargs: dict[str, Any]) -> Spec:
    constraints = normalise_constraints(where, kwargs)
    return {"OPTIONS": normalise_options(f"{where}.argument_spec", kwargs["argument_spec"]),
            **{key.upper(): constraints[key] for key in CONSTRAINT_KEYS}}


def _perturb(home: str) -> None:
    """Another host name, user, home, directory, locale and time zone for this process."""
    import getpass
    import platform
    import socket
    import time

    os.environ.update(HOME=home, USER="shep-perturbed-user", LOGNAME="shep-perturbed-user", TMPDIR=home, PWD=home,
                      LANG="C", LC_ALL="C", TZ="Pacific/Chatham")
    os.chdir(home)
    time.tzset()
    socket.gethostname = lambda: "shep-perturbed-host"
    platform.node = lambda: "shep-perturbed-host"
    getpass.getuser = lambda: "shep-perturbed-user"
    real = os.uname()
    os.uname = lambda: os.uname_result((real.sysname, "shep-perturbed-host", real.release, real.version, real.machine))


def _capture_module(name: str) -> object:
    import importlib
    import inspect

    import ansible.module_utils.basic as basic

    signature = inspect.signature(basic.AnsibleModule.__init__)

    def record(self: object, *args: object, **kwargs: object) -> None:
        bound = signature.bind(self, *args, **kwargs)
        raise _Captured({key: value for key, value in bound.arguments.items() if key != "self"})

    basic.AnsibleModule.__init__ = record
    module = importlib.import_module(f"ansible.modules.{name}")
    main = getattr(module, "main", None)
    if main is None:
        return {"doc_only": True}
    try:
        main()
    except _Captured as captured:
        kwargs = captured.args[0]
    else:
        raise GenError(f"module {name}: main() returned without creating an AnsibleModule")
    if kwargs.get("bypass_checks"):
        raise GenError(f"module {name}: bypass_checks=True: teach {PROG} about it")
    spec = dict(kwargs["argument_spec"])
    if kwargs.get("add_file_common_args"):
        for key, value in basic.FILE_COMMON_ARGUMENTS.items():  # as AnsibleModule.__init__ does
            if key not in spec:
                spec[key] = value
    return normalise_spec(f"module {name}", {**kwargs, "argument_spec": spec})


class _Shell:
    tmpdir = "/nonexistent/shep-capture"


class _Connection:
    _shell = _Shell()
    has_native_async = False
    become = None


class _Task:
    def __init__(self, action: str) -> None:
        self.action = action
        self.args: dict[str, object] = {}
        self.async_val = 0
        self.check_mode = False
        self.diff = False
        self.no_log = False
        self.environment: list[object] = []
        self.delegate_to = None


def _capture_action(name: str) -> object:
    import importlib

    from ansible.plugins.action import ActionBase

    def record(self: object, argument_spec: object = None, mutually_exclusive: object = None,
               required_together: object = None, required_one_of: object = None, required_if: object = None,
               required_by: object = None) -> None:
        raise _Captured(dict(argument_spec=argument_spec, mutually_exclusive=mutually_exclusive,
                             required_together=required_together, required_one_of=required_one_of,
                             required_if=required_if, required_by=required_by))

    ActionBase.validate_argument_spec = record
    plugin_class = importlib.import_module(f"ansible.plugins.action.{name}").ActionModule
    plugin = plugin_class(task=_Task(name), connection=_Connection(), play_context=None, loader=None, templar=None)
    try:
        plugin.run(task_vars={})
    except _Captured as captured:
        return normalise_spec(f"action plugin {name}", captured.args[0])
    raise GenError(f"action plugin {name}: run() did not call validate_argument_spec")


def _capture_attributes(name: str) -> object:
    """The literal attributes of a plugin's module and of its ActionModule class (frozensets sorted)."""
    import importlib

    module = importlib.import_module(f"ansible.plugins.action.{name}")

    def literals(namespace: dict[str, object]) -> dict[str, object]:
        out = {}
        for key, value in namespace.items():
            if isinstance(value, (frozenset, set)) and all(isinstance(v, str) for v in value):
                value = sorted(value)
            if not key.startswith("__") and _literal(value):
                out[key] = _plain(value)
        return out

    return {"module": literals(vars(module)), "class": literals(dict(vars(module.ActionModule)))}


def _capture_in_fork(kind: str, name: str, perturbed: bool, home: str) -> tuple[str, object]:
    """One capture in a forked process, so that what a module imports or changes dies with it."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the fork: capture, write the result to the pipe, exit without cleanup
        os.close(read_end)
        os.dup2(2, 1)  # whatever the module prints goes to stderr
        signal.alarm(120)  # a capture that hangs dies
        try:
            if perturbed:
                _perturb(home)
            capture = {"module": _capture_module, "action": _capture_action, "attributes": _capture_attributes}[kind]
            result: tuple[str, object] = ("ok", capture(name))
        except GenError as error:
            result = ("error", str(error))
        except BaseException as error:  # anything the module raised: reported, never a silent drop
            result = ("error", f"{type(error).__name__}: {error}")
        with os.fdopen(write_end, "w", encoding="utf-8") as pipe:
            pipe.write(repr(result))
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8") as pipe:
        text = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not text:
        return ("error", f"the capture process died (wait status {status})")
    found: tuple[str, object] = ast.literal_eval(text)
    return found


def server_main() -> int:
    """The child process: read the jobs (kind, name, perturbed) on stdin, print their results on stdout.

    ansible.module_utils.basic is imported once here; each job runs in a fork of this process, where the
    module (or plugin) and what it imports are imported afresh.
    """
    jobs = ast.literal_eval(sys.stdin.read())
    import ansible.module_utils.basic  # noqa: F401 (shared by every fork)

    with tempfile.TemporaryDirectory(prefix="shep-capture-") as home:
        results = [_capture_in_fork(kind, name, perturbed, home) for kind, name, perturbed in jobs]
    sys.stdout.write(repr(results))
    return 0


# -- the parent: reading ansible-core through the children ------------------------------------------


Job = tuple[str, str, bool]  # (what: module, action or attributes; its name; perturbed)


def run_captures(jobs: list[Job]) -> dict[Job, Any]:
    """The captures of every job, made by one child process of this script (see server_main)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_")}
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--capture-server"], input=repr(jobs),
                          capture_output=True, text=True, timeout=1800, cwd=ROOT, env=env)
    if done.returncode != 0:
        raise GenError(f"the capture process failed (exit {done.returncode}):\n{done.stderr.strip()}")
    results: dict[Job, Any] = {}
    for job, (outcome, value) in zip(jobs, ast.literal_eval(done.stdout)):
        if outcome != "ok":
            raise GenError(f"capturing {job[0]} {job[1]}{' (perturbed)' if job[2] else ''}: {value}")
        results[job] = value
    return results


def _settle_options(where: str, first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """Two captures of one spec's options (plain and perturbed): defaults that differ become default_dynamic."""
    if first.keys() != second.keys():
        raise GenError(f"{where}: the options differ between two captures: teach {PROG} about it")
    out = {}
    for name in first:
        a, b = first[name], second[name]
        fixed = (a.keys() | b.keys()) - {"default", "default_dynamic", "options"}
        if any(a.get(key, ...) != b.get(key, ...) for key in fixed):
            raise GenError(f"{where}.{name} differs between two captures ({a!r} != {b!r}): teach {PROG} about it")
        entry = {key: a[key] for key in fixed}
        if isinstance(a.get("options"), dict) and isinstance(b.get("options"), dict):
            entry["options"] = _settle_options(f"{where}.{name}.options", a["options"], b["options"])
        elif a.get("options", ...) != b.get("options", ...):
            raise GenError(f"{where}.{name}: sub-options differ between two captures: teach {PROG} about it")
        elif "options" in a:
            entry["options"] = a["options"]
        if a.get("default", ...) != b.get("default", ...) or a.get("default_dynamic") or b.get("default_dynamic"):
            entry["default_dynamic"] = True
        elif "default" in a:
            entry["default"] = a["default"]
        out[name] = {key: entry[key] for key in sorted(entry)}
    return out


def _settle(where: str, first: Any, second: Any) -> Any:
    if first.keys() != second.keys() or any(first[key] != second[key] for key in first if key != "OPTIONS"):
        raise GenError(f"{where}: the constraints differ between two captures: teach {PROG} about it")
    return {**first, "OPTIONS": _settle_options(where, first["OPTIONS"], second["OPTIONS"])}


def settled(captures: dict[Job, Any], kind: str, name: str) -> Any:
    """The two captures of one spec (plain and perturbed) made one."""
    first, second = captures[(kind, name, False)], captures[(kind, name, True)]
    if first.get("doc_only") or second.get("doc_only"):
        if first != second:
            raise GenError(f"{kind} {name}: documentation only in one capture, not in the other")
        return first
    return _settle(f"{kind} {name}", first, second)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _calls_validate_argument_spec(path: Path) -> int:
    count = 0
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "validate_argument_spec":
            count += 1
    return count


def read_ansible_core(version: str) -> tuple[dict[str, Spec], dict[str, str]]:
    """name -> spec (with its HANDLER) for the installed ansible-core, and name -> reason for UNCHECKED."""
    root = ansible_dir()
    modules = plugin_names(root / "modules")
    actions_dir = root / "plugins" / "action"
    actions = plugin_names(actions_dir)
    if set(actions) != set(PLUGINS):
        raise GenError(f"action plugins not classified in PLUGINS: {sorted(set(actions) - set(PLUGINS))}; "
                       f"gone: {sorted(set(PLUGINS) - set(actions))}")
    unreviewed = [name for name in ["__init__", *actions]
                  if digest(actions_dir / f"{name}.py") not in REVIEWED.get(name, frozenset())]
    if unreviewed:
        found = ", ".join(f'"{name}": "{digest(actions_dir / f"{name}.py")}"' for name in unreviewed)
        raise GenError(f"ansible-core {version}: action plugins not reviewed: {found}. Read each one, check its "
                       f"rule in {PROG}, then add its digest to REVIEWED")
    for name in actions:
        calls = _calls_validate_argument_spec(actions_dir / f"{name}.py")
        if calls != (1 if PLUGINS[name] == "action_spec" else 0):
            raise GenError(f"plugins/action/{name}.py calls validate_argument_spec {calls} times: "
                           f"its handler {PLUGINS[name]!r} needs a second look")

    to_run = [name for name in modules if name not in NEVER_RUN]
    by_handler = {handler: [name for name in actions if PLUGINS[name] == handler] for handler in HANDLERS}
    jobs: list[Job] = [("module", name, perturbed) for name in to_run for perturbed in (False, True)]
    jobs += [("action", name, perturbed) for name in by_handler["action_spec"] for perturbed in (False, True)]
    jobs += [("attributes", name, False) for name in by_handler["valid_args"] + by_handler["wrapper"]]
    captures = run_captures(jobs)
    captured = {name: settled(captures, "module", name) for name in to_run}
    module_specs = {name: spec for name, spec in captured.items() if not spec.get("doc_only")}
    doc_only = sorted(set(captured) - set(module_specs))

    specs: dict[str, Spec] = {}
    for name in modules:
        if name not in actions and name in module_specs:
            specs[name] = {"HANDLER": "module", **module_specs[name]}
    for name in actions:
        handler = PLUGINS[name]
        if handler == "module":
            if name not in module_specs:
                raise GenError(f"action plugin {name} runs a module of its name, which has no spec")
            specs[name] = {"HANDLER": "module", **module_specs[name]}
        elif handler == "action_spec":
            specs[name] = {"HANDLER": "action_spec", **settled(captures, "action", name)}
        elif handler == "valid_args":
            specs[name] = {"HANDLER": "valid_args", **VALID_ARGS_RULES[name](captures[("attributes", name, False)])}
        elif handler == "wrapper":
            specs[name] = {"HANDLER": "wrapper", **WRAPPERS[name](module_specs, captures[("attributes", name, False)])}
        elif name not in UNCHECKED:
            raise GenError(f"action plugin {name} is unchecked without a reason in UNCHECKED")
    for name in doc_only:
        if name not in specs and name not in UNCHECKED:
            raise GenError(f"module {name} is documentation only and no action covers it: teach {PROG} about it")
    names = set(modules) | set(actions)
    unchecked = {name: reason for name, reason in UNCHECKED.items() if name in names}
    covered = set(specs) | set(unchecked)
    if covered != names or set(specs) & set(unchecked):
        raise GenError(f"not covered: {sorted(names - covered)}; both: {sorted(set(specs) & set(unchecked))}; "
                       f"gone: {sorted(set(UNCHECKED) - names)}")
    for name, spec in specs.items():
        check_spec(name, spec)
    return specs, unchecked


# -- wrappers and valid_args rules (see the docstring) ----------------------------------------------


def _copy_spec(spec: Spec) -> Spec:
    return {"OPTIONS": {name: dict(entry) for name, entry in spec["OPTIONS"].items()},
            **{key: spec[key] for key in spec if key not in ("OPTIONS", "HANDLER")}}


def _mentions(spec: Spec, name: str) -> bool:
    for key in ("MUTUALLY_EXCLUSIVE", "REQUIRED_TOGETHER", "REQUIRED_ONE_OF"):
        if any(name in group for group in spec[key]):
            return True
    if any(name == key or name in requirements for key, _, requirements, _ in spec["REQUIRED_IF"]):
        return True
    return any(name == key or name in requirements for key, requirements in spec["REQUIRED_BY"].items())


def drop(spec: Spec, *names: str) -> Spec:
    """The spec without options a plugin rejects or never lets through."""
    spec = _copy_spec(spec)
    for name in names:
        if name not in spec["OPTIONS"] or _mentions(spec, name):
            raise GenError(f"cannot drop {name}: absent, or named by a constraint; teach {PROG} about it")
        del spec["OPTIONS"][name]
    return spec


def own(spec: Spec, **entries: dict[str, object]) -> Spec:
    """The spec with options the plugin reads, sets or removes itself, as the plugin treats them."""
    spec = _copy_spec(spec)
    for name, entry in entries.items():
        if spec["OPTIONS"].get(name, {}).get("aliases"):
            raise GenError(f"the plugin takes {name}, which has aliases: teach {PROG} about it")
        spec["OPTIONS"][name] = {key: entry[key] for key in sorted(entry)}
    return spec


def constrain(spec: Spec, **lists: tuple[Any, ...]) -> Spec:
    """The spec with the plugin's own constraint lists added (MUTUALLY_EXCLUSIVE=((a, b),), ...)."""
    spec = _copy_spec(spec)
    for key, items in lists.items():
        for item in items:
            if item not in spec[key]:
                spec[key] = (*spec[key], item)
    return spec


def _merge_option(where: str, entries: list[dict[str, object] | None]) -> dict[str, object]:
    """One option of several paths (None: a path where it is unknown): a check only if every path makes it."""
    known = [entry for entry in entries if entry is not None]
    out: dict[str, object] = {}
    types = {entry.get("type") for entry in known}
    same_type = len(types) == 1
    if not same_type:
        out["type"] = "raw"
    elif (kind := known[0].get("type")) is not None:
        out["type"] = kind
    elements = {entry.get("elements") for entry in known}
    if same_type and len(elements) == 1 and (element := known[0].get("elements")) is not None:
        out["elements"] = element
    if same_type and all("choices" in entry for entry in known):
        united: list[object] = []
        for entry in known:
            united += [choice for choice in entry["choices"] if choice not in united]  # type: ignore[attr-defined]
        out["choices"] = tuple(united)
    if len({repr(entry.get("default", ...)) + repr(entry.get("default_dynamic")) for entry in known}) == 1:
        for key in ("default", "default_dynamic"):
            if key in known[0]:
                out[key] = known[0][key]
    else:
        out["default_dynamic"] = True
    required = {repr(entry.get("required", ...)) if entry is not None else "unknown" for entry in entries}
    if len(required) == 1 and "required" in known[0]:
        out["required"] = known[0]["required"]
    elif all(entry is not None and entry.get("required") for entry in entries):
        out["required"] = True
    aliases: list[str] = []
    for entry in known:
        aliases += [alias for alias in entry.get("aliases", ()) if alias not in aliases]  # type: ignore[attr-defined]
    if aliases:
        out["aliases"] = tuple(aliases)
    if any(entry.get("no_log") for entry in known):
        out["no_log"] = True
    elif any("no_log" in entry for entry in known):
        out["no_log"] = False
    rest = OPTION_KEYS - {"type", "elements", "choices", "default", "required", "aliases", "no_log"}
    for key in sorted(rest):
        if len({repr(entry.get(key, ...)) for entry in known}) != 1:
            raise GenError(f"{where}: paths disagree on {key}: teach {PROG} about it")
        if key in known[0]:
            out[key] = known[0][key]
    return {key: out[key] for key in sorted(out)}


def merge(where: str, *paths: Spec) -> Spec:
    """One spec for a plugin that takes one of several paths: what every path rejects (see the docstring)."""
    names = sorted({name for path in paths for name in path["OPTIONS"]})
    options = {name: _merge_option(f"{where}.{name}", [path["OPTIONS"].get(name) for path in paths])
               for name in names}
    alias_of = {alias: name for name in names for alias in options[name].get("aliases", ())}  # type: ignore[attr-defined]
    clash = sorted(set(alias_of) & set(names))
    if clash:
        raise GenError(f"{where}: {clash} are options in one path and aliases in another: teach {PROG} about it")
    out: Spec = {"OPTIONS": options}
    for key in ("MUTUALLY_EXCLUSIVE", "REQUIRED_TOGETHER", "REQUIRED_ONE_OF", "REQUIRED_IF"):
        out[key] = tuple(item for item in paths[0][key] if all(item in path[key] for path in paths[1:]))
    out["REQUIRED_BY"] = {key: value for key, value in paths[0]["REQUIRED_BY"].items()
                          if all(path["REQUIRED_BY"].get(key) == value for path in paths[1:])}
    return out


def wrap_shell(modules: dict[str, Spec], facts: dict[str, Any]) -> Spec:
    return own(drop(modules["command"], "expand_argument_vars"), _uses_shell=RAW)


def _copy_paths(modules: dict[str, Spec]) -> tuple[Spec, Spec]:
    """copy's two paths (see the docstring): a controller source or content, and remote_src."""
    module = drop(modules["copy"], "_original_basename")
    local = own(module, content={"type": "raw"}, decrypt={"default": True, "type": "raw"},
                follow={"default": False, "type": "raw"}, src={"type": "path"},
                dest={"required": True, "type": "path"})
    return local, module


def wrap_copy(modules: dict[str, Spec], facts: dict[str, Any]) -> Spec:
    local, remote = _copy_paths(modules)
    return constrain(merge("copy", local, remote), REQUIRED_ONE_OF=(("src", "content"),),
                     MUTUALLY_EXCLUSIVE=(("src", "content"),))


def wrap_template(modules: dict[str, Spec], facts: dict[str, Any]) -> Spec:
    local, _ = _copy_paths(modules)
    constants, plugin = facts["module"], facts["class"]
    wrong, right = ["\\n", "\\r", "\\r\\n"], ["\n", "\r", "\r\n"]
    newline = {"choices": (*wrong, *right), "default": plugin["DEFAULT_NEWLINE_SEQUENCE"], "type": "str"}
    strings = {f"{what}_{end}_string": {"default": constants[f"{what.upper()}_{end.upper()}_STRING"], "type": "str"}
               for what in ("variable", "block", "comment") for end in ("start", "end")}
    return own(drop(local, "content"), src={"required": True, "type": "str"}, dest={"required": True, "type": "str"},
               follow={"default": False, "type": "raw"}, trim_blocks={"default": True, "type": "raw"},
               lstrip_blocks={"default": False, "type": "raw"}, output_encoding={"default": "utf-8", "type": "raw"},
               newline_sequence=newline, **strings)


def wrap_assemble(modules: dict[str, Spec], facts: dict[str, Any]) -> Spec:
    plugin_reads: dict[str, dict[str, object]] = dict(remote_src={"default": True, "type": "raw"},
                                                      decrypt={"default": True, "type": "raw"})
    remote = own(modules["assemble"], **plugin_reads)
    local = own(modules["copy"], src={"required": True, "type": "path"}, dest={"required": True, "type": "path"},
                regexp={"type": "str"}, delimiter={"type": "str"}, ignore_hidden={"default": False, "type": "raw"},
                **plugin_reads)
    return merge("assemble", remote, local)


def wrap_unarchive(modules: dict[str, Spec], facts: dict[str, Any]) -> Spec:
    spec = own(modules["unarchive"], copy={"type": "raw"}, decrypt={"default": True, "type": "raw"})
    return constrain(spec, MUTUALLY_EXCLUSIVE=(("copy", "remote_src"),))


def wrap_dnf(modules: dict[str, Spec], facts: dict[str, Any]) -> Spec:
    plugin_takes: dict[str, dict[str, object]] = dict(use={"type": "raw"}, use_backend={"type": "raw"})
    dnf4 = own(modules["dnf"], **plugin_takes)
    dnf5 = own(modules["dnf5"], **plugin_takes)
    return constrain(merge("dnf", dnf4, dnf5), MUTUALLY_EXCLUSIVE=(("use", "use_backend"),))


WRAPPERS = {"shell": wrap_shell, "copy": wrap_copy, "template": wrap_template, "assemble": wrap_assemble,
            "unarchive": wrap_unarchive, "dnf": wrap_dnf}


def _valid_args(facts: dict[str, Any]) -> Spec:
    names = facts["class"].get("_VALID_ARGS")
    if not names:
        raise GenError(f"a valid_args plugin without _VALID_ARGS: teach {PROG} about it")
    spec = empty_spec()
    spec["OPTIONS"] = {name: dict(RAW) for name in sorted(names)}
    return spec


def _group_by(facts: dict[str, Any]) -> Spec:
    return own(_valid_args(facts), key={"required": True, "type": "raw"})


def _include_vars(facts: dict[str, Any]) -> Spec:
    plugin = facts["class"]
    dirs, files, both = plugin["VALID_DIR_ARGUMENTS"], plugin["VALID_FILE_ARGUMENTS"], plugin["VALID_ALL"]
    spec = empty_spec()
    spec["OPTIONS"] = {name: dict(RAW) for name in sorted({*dirs, *files, *both})}
    spec["MUTUALLY_EXCLUSIVE"] = tuple((d, f) for d in dirs for f in files)
    return spec


VALID_ARGS_RULES = {"fail": _valid_args, "reboot": _valid_args, "set_stats": _valid_args,
                    "wait_for_connection": _valid_args, "group_by": _group_by, "include_vars": _include_vars}


# -- checking a spec ---------------------------------------------------------------------------------


def _check_options(where: str, options: object) -> None:
    if not isinstance(options, dict):
        raise GenError(f"{where}: OPTIONS must be a dict")
    for name, entry in options.items():
        here = f"{where}.{name}"
        if not isinstance(name, str) or not isinstance(entry, dict):
            raise GenError(f"{here}: bad entry")
        unknown = set(entry) - OPTION_KEYS - {"default_dynamic"}
        if unknown:
            raise GenError(f"{here}: unknown keys {sorted(unknown)}")
        for key in ("type", "elements"):
            if key in entry and entry[key] not in TYPE_NAMES:
                raise GenError(f"{here}: unknown {key} {entry[key]!r}")
        if "default" in entry and "default_dynamic" in entry:
            raise GenError(f"{here}: both default and default_dynamic")
        if entry.get("options") is not None:
            _check_options(f"{here}.options", entry["options"])
            _check_constraints(here, entry["options"], {key.upper(): entry.get(key, () if key != "required_by" else {})
                                                         for key in CONSTRAINT_KEYS})


def _check_constraints(where: str, options: dict[str, Any], spec: Spec) -> None:
    known = set(options)  # constraints name options, never aliases (AnsibleModule resolves aliases first)
    named: list[str] = []
    for key in ("MUTUALLY_EXCLUSIVE", "REQUIRED_TOGETHER", "REQUIRED_ONE_OF"):
        named += [name for group in spec[key] for name in group]
    for key, _, requirements, _ in spec["REQUIRED_IF"]:
        named += [key, *requirements]
    for key, requirements in spec["REQUIRED_BY"].items():
        named += [key, *requirements]
    missing = sorted(set(named) - known)
    if missing:
        raise GenError(f"{where}: constraints name unknown options {missing}")


def check_spec(name: str, spec: Spec) -> None:
    if spec["HANDLER"] not in HANDLERS:
        raise GenError(f"{name}: unknown HANDLER {spec['HANDLER']!r}")
    _check_options(name, spec["OPTIONS"])
    _check_constraints(name, spec["OPTIONS"], spec)


# -- rendering ---------------------------------------------------------------------------------------


def lit(value: object) -> str:
    """A Python literal (strings with double quotes, as the project writes them)."""
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple):
        inner = ", ".join(lit(item) for item in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{lit(key)}: {lit(value[key])}" for key in value) + "}"
    raise TypeError(value)


def _block(variable: str, value: object) -> list[str]:
    head = f"{variable}: {ANNOTATIONS[variable]} = "
    if isinstance(value, dict) and value:
        return [head + "{"] + [f"    {lit(key)}: {lit(value[key])}," for key in value] + ["}"]
    if isinstance(value, tuple) and value:
        return [head + "("] + [f"    {lit(item)}," for item in value] + [")"]
    return [head + lit(value)]


def render_action(version: str, name: str, spec: Spec) -> str:
    lines = [f'"""ansible.builtin.{name}, ansible-core {version}. Generated by scripts/{PROG}: do not edit."""', ""]
    for variable in VARIABLES:
        value = spec[variable]
        if variable == "OPTIONS":
            value = {key: value[key] for key in sorted(value)}
        elif variable == "REQUIRED_BY":
            value = {key: value[key] for key in sorted(value)}
        lines += _block(variable, value)
    return "\n".join(lines) + "\n"


def render_init(version: str, names: list[str], unchecked: dict[str, str]) -> str:
    lines = [
        f"# Generated by scripts/{PROG} from ansible-core {version}: do not edit.",
        f"# Regenerate: python scripts/{PROG} (make check-generated runs it with --check).",
        f'"""ansible-core {version}: the option specs of its ansible.builtin modules and actions (facts only).',
        "",
        "One module per action name in NAMES (HANDLER, OPTIONS and the constraint lists; import only those a run",
        f'meets); UNCHECKED: name -> why its options cannot be judged statically. See scripts/{PROG}.',
        '"""',
        "",
        "from __future__ import annotations",
        "",
        f"ANSIBLE_CORE_VERSION = {lit(version)}",
        "",
        "# actions with a spec module in this package",
        "NAMES: frozenset[str] = frozenset({",
        *[f"    {lit(name)}," for name in sorted(names)],
        "})",
        "",
        "# actions whose options cannot be judged statically -> reason code",
        "UNCHECKED: dict[str, str] = {",
        *[f"    {lit(name)}: {lit(unchecked[name])}," for name in sorted(unchecked)],
        "}",
    ]
    return "\n".join(lines) + "\n"


def render(version: str, specs: dict[str, Spec], unchecked: dict[str, str]) -> dict[str, str]:
    """File name -> text of one version's package."""
    files = {"__init__.py": render_init(version, list(specs), unchecked)}
    for name in sorted(specs):
        files[f"{name}.py"] = render_action(version, name, specs[name])
    return files


# -- reading a committed package back ----------------------------------------------------------------


def _assignments(path: Path) -> dict[str, object]:
    """The module-level assignments of a generated file, evaluated as literals (``frozenset({...})`` too)."""
    out: dict[str, object] = {}
    for statement in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and statement.value:
            target, value = statement.target.id, statement.value
        elif isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                and isinstance(statement.targets[0], ast.Name):
            target, value = statement.targets[0].id, statement.value
        else:
            continue
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "frozenset":
            out[target] = frozenset(ast.literal_eval(value.args[0]) if value.args else ())
        else:
            out[target] = ast.literal_eval(value)
    return out


def facts_of_package(package: str) -> tuple[str, dict[str, Spec], dict[str, str]]:
    """The facts a committed package holds (to check that it is this script's rendering of them)."""
    directory = TARGET / package
    init = _assignments(directory / "__init__.py")
    version, names, unchecked = init["ANSIBLE_CORE_VERSION"], init["NAMES"], init["UNCHECKED"]
    assert isinstance(version, str) and isinstance(names, frozenset) and isinstance(unchecked, dict)
    specs = {}
    for name in sorted(names):
        values = _assignments(directory / f"{name}.py")
        specs[name] = {variable: values[variable] for variable in VARIABLES}
    return version, specs, unchecked


# -- main --------------------------------------------------------------------------------------------


SPECS_SUFFIX = "_specs"


def expected(installed: str | None) -> dict[Path, str | None]:
    """Every generated file whose content can be known now (None: a file that must not exist)."""
    files: dict[Path, str | None] = {}
    for version, package in VERSIONS.items():
        directory = TARGET / package
        if version == installed:
            specs, unchecked = read_ansible_core(version)
        elif (directory / "__init__.py").exists():
            _, specs, unchecked = facts_of_package(package)
        else:
            raise GenError(f"no specs for ansible-core {version} ({package}); install ansible-core=={version} "
                           f"and run scripts/{PROG}")
        rendered = render(version, specs, unchecked)
        for name, text in rendered.items():
            files[directory / name] = text
        if directory.exists():
            for path in directory.glob("*.py"):
                if path.name not in rendered:
                    files[path] = None
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a committed spec is stale")
    parser.add_argument("--any-version", action="store_true",
                        help="generate for an installed ansible-core that VERSIONS does not list")
    parser.add_argument("--capture-server", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.capture_server:
        return server_main()
    installed = installed_version()
    refused = pinned_version(PROG, VERSIONS, SPECS_SUFFIX, args, installed)
    if refused:
        return refused
    try:
        files = expected(installed)
    except GenError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2
    stale = []
    for path, text in sorted(files.items()):
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(str(path.relative_to(ROOT)))
        elif text is None:
            path.unlink()
            print(f"removed {path.relative_to(ROOT)}")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print(f"{PROG}: stale: {', '.join(stale)}; run `python scripts/{PROG}`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
