#!/usr/bin/env python
"""Run-time oracle: every error ansible-core 2.19.14 raises for a file at load or run time,
independently of variables and environment, without running a module or touching a host.

TEST TOOL ONLY: needs ansible-core (the ``oracle`` extra); shep's runtime code never imports it.

    python tests/oracle/runtime_oracle.py --kind playbook|tasks|handlers FILE... [--root DIR]
    python tests/oracle/runtime_oracle.py --tree DIR [--root DIR]

One JSON line per file::

    {"path", "kind", "load_error", "runtime_errors": [{at, check, line, col, msg}],
     "env_errors": [...], "n_templated_skipped", "n_var_dependent", "status"}

How it works: ansible's own ``Play.load`` / ``Block.load`` / ``load_list_of_tasks`` /
``Task.load`` / ``PlaybookInclude.load`` run on every play, block and task *separately*
(so one error does not hide the next), then ``post_validate_attribute`` runs on every
field of every loaded task and play with a ``TemplateEngine`` that has no variables.
References to other files are stubbed (see ``install_stubs``). See tests/oracle/README.md.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import sys

# never import ansible from inside its own package dir (it shadows stdlib modules)
sys.path[:] = [p for p in sys.path
               if not os.path.isfile(os.path.join(os.path.abspath(p or "."), "release.py"))
               or os.path.basename(os.path.abspath(p or ".")) != "ansible"]

import ansible.constants as C  # noqa: E402
from ansible.errors import AnsibleError, AnsibleUndefinedVariable  # noqa: E402
from ansible.module_utils.common.sentinel import Sentinel  # noqa: E402
from ansible.module_utils.datatag import native_type_name  # noqa: E402
from ansible.module_utils._internal._datatag import AnsibleTagHelper  # noqa: E402
from ansible.parsing.dataloader import DataLoader  # noqa: E402
from ansible.playbook import Playbook  # noqa: E402
from ansible.playbook.block import Block  # noqa: E402
from ansible.playbook.loop_control import LoopControl  # noqa: E402
from ansible.playbook.helpers import load_list_of_roles  # noqa: E402
from ansible.playbook.play import Play  # noqa: E402
from ansible.playbook.playbook_include import PlaybookInclude  # noqa: E402
from ansible.playbook.role.definition import RoleDefinition  # noqa: E402
from ansible.playbook.role_include import IncludeRole  # noqa: E402
from ansible.playbook.task_include import TaskInclude  # noqa: E402
from ansible.plugins.loader import action_loader, strategy_loader  # noqa: E402
from ansible._internal._datatag._tags import Origin  # noqa: E402
from ansible._internal._templating._engine import TemplateEngine  # noqa: E402
from ansible._internal._templating._jinja_bits import is_possibly_all_template  # noqa: E402

try:  # ansible-core 2.19
    from ansible.errors import AnsiblePluginRemovedError  # noqa: E402
except ImportError:  # pragma: no cover
    AnsiblePluginRemovedError = ()  # type: ignore

PLAY_SECTIONS = ("pre_tasks", "tasks", "post_tasks", "handlers")
BLOCK_SECTIONS = ("block", "rescue", "always")
NOOP = {"meta": "noop"}
SUPPRESS_HINT = '\nThis error can be suppressed as a warning using the "invalid_task_attribute_failed" configuration'
VALID_META = frozenset(("noop", "flush_handlers", "refresh_inventory", "clear_facts", "clear_host_errors",
                        "end_batch", "end_play", "end_host", "role_complete", "end_role", "reset_connection"))
VALID_ORDER = frozenset(("inventory", "sorted", "reverse_sorted", "reverse_inventory", "shuffle"))
BUILTIN_STRATEGIES = frozenset(("linear", "free", "debug", "host_pinned"))
CONDITIONAL_FIELDS = ("when", "changed_when", "failed_when", "until")
# fields whose post-validation is replaced by a dedicated check below (or never fails)
# post-validated without templating the value (or only its values, never a type error): never skipped
NOT_TEMPLATED = frozenset(("delegate_to", "module_defaults"))
PV_SKIP = frozenset(("name", "vars", "register", "action", "args", "loop", "loop_with") + CONDITIONAL_FIELDS)


# --------------------------------------------------------------------------- helpers

def is_templated(v, _seen=None):
    """True when a string anywhere in v contains a Jinja delimiter ({{ or {%)."""
    if isinstance(v, str):
        return "{{" in v or "{%" in v
    if isinstance(v, dict):
        return any(is_templated(k) or is_templated(x) for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return any(is_templated(x) for x in v)
    if hasattr(v, "_ds") and hasattr(v, "fattributes"):  # LoopControl etc.
        return is_templated(getattr(v, "_ds", None))
    return False


def origin_of(obj):
    try:
        o = Origin.get_tag(obj)
    except Exception:
        o = None
    if o is None and isinstance(obj, Origin):
        o = obj
    if o is None or o.line_num is None:
        return None, None
    return o.line_num, o.col_num


def chain(ex):
    seen = []
    while ex is not None and ex not in seen:
        seen.append(ex)
        ex = ex.__cause__ or (ex.__context__ if not ex.__suppress_context__ else None)
    return seen


def message_of(ex):
    """ansible's own message: AnsibleError.message already appends the cause chain."""
    m = _stable(str(ex).replace(SUPPRESS_HINT, ""))
    if not isinstance(ex, AnsibleError):
        m = f"{type(ex).__name__}: {m}" if m else type(ex).__name__
    return m


def _stable(m):
    """Some of ansible's messages list a frozenset, in hash order: sort the list so runs agree."""
    import re

    m = re.sub(r"(is not a valid value for debugger\. Must be one of )([a-z_, ]+)",
               lambda mo: mo.group(1) + ", ".join(sorted(mo.group(2).split(", "))), m)
    m = re.sub(r"(Invalid options for [\w.]+: )([\w,]+)",
               lambda mo: mo.group(1) + ",".join(sorted(mo.group(2).split(","))), m)
    return m


def top_message(ex):
    """The exception's own message, without its causes."""
    m = getattr(ex, "_message", None)
    return str(m) if m else str(ex)


class _VarManager:
    """A variable manager that knows no variables."""

    def get_vars(self, *args, **kwargs):
        return {}


VM = _VarManager()


# Display's warnings and deprecations are kept out of stdout by ansible_oracle's capture, whose
# install() also starts the plugin loader.
from ansible_oracle import CAPTURE  # noqa: E402


# --------------------------------------------------------------------------- result collection

class FileResult:
    def __init__(self, path, kind, check_refs=False):
        self.path = path
        self.kind = kind
        self.check_refs = check_refs
        self.load_error = None
        self.runtime_errors = []
        self.env_errors = []
        self.n_templated_skipped = 0
        self.n_var_dependent = 0
        self._seen = set()
        self._templated_at = set()
        self.where = {}  # id(ansible object) -> (at, line, col)

    def add(self, at, ex, pos, check=None):
        """Classify exception ``ex`` raised for the object at ``at`` (pos = (line, col))."""
        kind, chk = classify(ex, self.kind)
        if chk is None:
            chk = check or "load"
        if kind == "var":
            self.n_var_dependent += 1
            return
        obj = getattr(ex, "obj", None)
        if obj is None:
            pos = (None, None)  # ansible gives no position either
        elif origin_of(obj) != (None, None):
            pos = origin_of(obj)
        self.record(kind, at, chk, pos, message_of(ex))

    def record(self, kind, at, check, pos, msg):
        key = (kind, at, msg)
        if key in self._seen:
            return
        self._seen.add(key)
        line, col = pos
        rec = {"at": at, "check": check, "line": line, "col": col, "msg": msg}
        (self.env_errors if kind == "env" else self.runtime_errors).append(rec)

    def templated(self, at, name):
        """A value that depends on variables was skipped; counted once per (task/play, keyword)."""
        self._templated_at.add((at, name))
        self.n_templated_skipped = len(self._templated_at)

    def as_dict(self, repo=None):
        d = {}
        if repo is not None:
            d["repo"] = repo
        d.update(path=self.path, kind=self.kind, load_error=self.load_error,
                 runtime_errors=self.runtime_errors, env_errors=self.env_errors,
                 n_templated_skipped=self.n_templated_skipped, n_var_dependent=self.n_var_dependent)
        if self.load_error:
            d["status"] = "load_error"
        elif self.runtime_errors:
            d["status"] = "runtime_error"
        else:
            d["status"] = "ok"
        return d


class _RefMissing(AnsibleError):
    pass


def closed_builtin(name, plugin_type="modules"):
    """True for ``ansible.builtin.X`` that no installed collection can provide: not a redirect
    of ansible-core's routing table (``ansible.builtin.hg`` -> community.general.hg is one)."""
    if not isinstance(name, str) or not name.startswith("ansible.builtin."):
        return False
    short = name[len("ansible.builtin."):]
    try:
        from ansible.utils.collection_loader._collection_finder import _get_collection_metadata
        routing = _get_collection_metadata("ansible.builtin").get("plugin_routing", {})
    except Exception:
        routing = {}
    for ptype in (plugin_type, "action"):
        entry = routing.get(ptype, {}).get(short) or {}
        if entry.get("redirect"):
            return False
    return True


def classify(ex, file_kind):
    """-> (kind, check): kind in runtime | env | var."""
    exs = chain(ex)
    for e in exs:
        if isinstance(e, AnsibleUndefinedVariable):
            return "var", None
    for e in exs:
        if AnsiblePluginRemovedError and isinstance(e, AnsiblePluginRemovedError):
            return "runtime", "action"
        if isinstance(e, _RefMissing):
            return "env", "reference"
    msg = message_of(ex)
    top = top_message(ex)
    if top.startswith("couldn't resolve module/action '"):
        name = top[len("couldn't resolve module/action '"):].split("'")[0]
        return ("runtime", "action") if closed_builtin(name) else ("env", "plugin")
    if top.startswith("Cannot resolve '") and top.endswith("' to an action or module."):
        # Task._post_validate_args: `action: NAME` is only resolved here
        name = top[len("Cannot resolve '"):-len("' to an action or module.")]
        return ("runtime", "action") if closed_builtin(name) else ("env", "plugin")
    if top.startswith("'with_") and top.replace(SUPPRESS_HINT, "").endswith(tuple(" is not a valid attribute for a " + c for c in (
            "Task", "Handler", "TaskInclude", "HandlerTaskInclude", "IncludeRole"))):
        # Task.preprocess_data turns with_<lookup> into a loop when the lookup exists; a Block,
        # Play or import_playbook never takes one, whatever is installed
        name = top.split("'")[1][len("with_"):]
        return ("runtime", "load") if closed_builtin(name, "lookup") else ("env", "plugin")
    if top.startswith("Error loading module_defaults: could not resolve the module_defaults group"):
        return "env", "plugin"
    if top.startswith("Could not resolve action ") and top.endswith(" in module_defaults"):
        name = top[len("Could not resolve action "):-len(" in module_defaults")]
        return ("runtime", "load") if closed_builtin(name) else ("env", "plugin")
    if "the role '" in msg and "' was not found" in msg:
        return "env", "reference"
    if "undecryptable variable" in msg or "VaultSecretsContext" in msg:
        return "env", "vault"  # no vault secret here
    if top.startswith("Cannot execute 'end_role' from outside of a role") and file_kind == "tasks":
        return "env", "context"  # a task file may be part of a role: unknown here
    if "Invalid options for" in top or "No file specified for" in top or top.startswith("Expected a ") \
            or "is a required field for" in top or "You cannot use loops on 'import_" in top:
        return "runtime", "include"
    return "runtime", None


# --------------------------------------------------------------------------- stubs: never follow references

CURRENT = {"res": None, "main": None, "at": ""}


def install_stubs():
    """Monkeypatches that stop ansible from loading referenced files (imports, roles)."""
    orig_load_from_file = DataLoader.load_from_file

    def load_from_file(self, file_name, *args, **kwargs):
        target = file_name if os.path.isabs(file_name) else self.path_dwim(file_name)
        if CURRENT["main"] is not None and os.path.abspath(target) == CURRENT["main"]:
            return orig_load_from_file(self, file_name, *args, **kwargs)
        res = CURRENT["res"]
        if res is not None and res.check_refs and not os.path.exists(target):
            raise _RefMissing("Could not find or access '%s'" % file_name)
        return None  # import_tasks / import_playbook target: not followed ("empty file")

    DataLoader.load_from_file = load_from_file

    def load_playbook_data(self, file_name, variable_manager, vars=None):
        return None  # import_playbook target: not followed

    Playbook._load_playbook_data = load_playbook_data

    def get_block_list(self, play=None, variable_manager=None, loader=None):
        return [], []  # import_role / include_role target: not followed

    IncludeRole.get_block_list = get_block_list

    orig_role_path = RoleDefinition._load_role_path

    def load_role_path(self, role_name):
        res = CURRENT["res"]
        if res is not None and res.check_refs:
            return orig_role_path(self, role_name)
        return role_name, os.path.join("/nonexistent-role-path", str(role_name))

    RoleDefinition._load_role_path = load_role_path

    def load_roles(self, attr, ds):
        """Play.roles: every entry checked on its own (RoleInclude.load), Role.load not run."""
        res = CURRENT["res"]
        at = CURRENT["at"]
        if ds is None:
            ds = []
        if not isinstance(ds, list):
            load_list_of_roles(ds, play=self)  # raises the AssertionError ansible raises
        for j, entry in enumerate(ds):
            try:
                load_list_of_roles([entry], play=self, variable_manager=self._variable_manager,
                                   loader=self._loader, collection_search_list=self.collections)
            except Exception as ex:
                pos = origin_of(entry)
                if pos == (None, None):
                    pos = origin_of(ds)
                res.add(f"{at}.roles[{j}]", ex, pos)
        return []

    Play._load_roles = load_roles


# --------------------------------------------------------------------------- loading with retries

def offending_key(ex, ds):
    """The key of ds an exception is about (so loading can be retried without it), or None."""
    top = top_message(ex)
    if top.startswith("'") and "' is not a valid attribute for a " in top:
        k = top.split("'")[1]
        if k in ds:
            return k
    for prefix in ("duplicate loop in task: ", "you must specify a value when using "):
        if top.startswith(prefix):
            rest = top[len(prefix):].strip()
            for k in ds:
                if isinstance(k, str) and k.startswith("with_") and (k == rest or k[5:] == rest):
                    return k
    if top.startswith("Invalid 'register' specified"):
        return "register"
    objs = [getattr(e, "obj", None) for e in chain(ex)]
    objs = [o for o in objs if o is not None and o is not ds]
    for o in objs:
        for k, v in ds.items():
            if o is k or o is v:
                return k
    for o in objs:
        op = origin_of(o)
        if op == (None, None):
            continue
        for k, v in ds.items():
            if origin_of(k) == op or (isinstance(v, (dict, list, str)) and origin_of(v) == op and
                                      not isinstance(v, str)):
                return k
    return None


def load_retrying(res, at, ds, pos, loader_fn, protected=()):
    """loader_fn(ds) -> obj; on error record it, drop the offending key and retry."""
    for _ in range(50):
        try:
            return loader_fn(ds)
        except Exception as ex:
            res.add(at, ex, pos)
            if not isinstance(ds, dict):
                return None
            k = offending_key(ex, ds)
            if k is None or k in protected:
                return None
            ds = AnsibleTagHelper.tag_copy(ds, {kk: v for kk, v in ds.items() if kk != k})
    return None


# --------------------------------------------------------------------------- post-validation

def _owner_at(res, obj, name):
    """(at, pos) of the object in obj's parent chain that holds ``name`` itself."""
    cur = obj
    chain_objs = []
    while cur is not None:
        chain_objs.append(cur)
        cur = getattr(cur, "_parent", None)
    play = getattr(obj, "play", None)
    if play is not None:
        chain_objs.append(play)
    for o in chain_objs:
        if id(o) in res.where and getattr(o, f"_{name}", Sentinel) is not Sentinel:
            return res.where[id(o)]
    return res.where.get(id(obj))


SCALAR_ISA = frozenset(("bool", "int", "float", "percent"))


def _keyword_error(name, value, cause):
    """The error post_validate_attribute raises around a failed conversion."""
    from ansible.errors import AnsibleFieldAttributeError
    try:
        raise AnsibleFieldAttributeError(f'Error processing keyword {name!r}.', obj=value) from cause
    except AnsibleFieldAttributeError as ex:
        return ex


def _own_values(res, task, name):
    """(object, its own value of ``name``) for the task and every parent block the walk loaded."""
    out = []
    cur = task
    while cur is not None:
        if cur is task or id(cur) in res.where:
            own = getattr(cur, f"_{name}", Sentinel)
            if own is not Sentinel and own is not None:
                out.append((cur, own))
        cur = getattr(cur, "_parent", None)
    return out


def check_conditionals(res, at, pos, values, name):
    for item in values if isinstance(values, list) else [values]:
        if item is None or isinstance(item, (bool, str)):
            continue
        res.record("runtime", at, "conditional", pos,
                   f"Error processing keyword {name!r}: Conditional expressions must be strings.")
        return


def post_validate_task(res, task, at, pos, templar, use_handlers):
    names = {}
    for name, attr in task.fattributes.items():
        names.setdefault(id(attr), (attr.name or name, attr))
    for name, attr in names.values():
        if name in PV_SKIP:
            continue
        if attr.static:
            continue
        if isinstance(task, IncludeRole) and task.statically_loaded and not attr.always_post_validate:
            continue
        try:
            value = getattr(task, name)
        except Exception as ex:
            res.add(at, ex, pos, "post_validate")
            continue
        if value is None or value is Sentinel:
            if attr.required:
                try:
                    task.post_validate_attribute(name, templar=templar)
                except Exception as ex:
                    res.add(at, ex, pos, "post_validate")
            continue
        if name == "loop_control":
            value = {k: v for k, v in (getattr(value, "_ds", None) or {}).items()
                     if k in LoopControl.fattributes and LoopControl.fattributes[k].always_post_validate}
        if name == "environment" and is_templated(value):
            continue  # _post_validate_environment templates the values only: never a type error
        if is_templated(value) and attr.isa in SCALAR_ISA and isinstance(value, (list, dict)):
            # a list/dict stays a list/dict whatever its templates give: the conversion fails anyway
            owner = _owner_at(res, task, name) or (at, pos)
            try:
                task.get_validated_value(name, attr, value, templar)
            except Exception as ex:
                res.add(owner[0], _keyword_error(name, value, ex), owner[1], "post_validate")
            continue
        if is_templated(value) and name not in NOT_TEMPLATED:
            owner = _owner_at(res, task, name) or (at, pos)
            res.templated(owner[0], name)
            continue
        try:
            task.post_validate_attribute(name, templar=templar)
        except Exception as ex:
            owner = _owner_at(res, task, name) or (at, pos)
            res.add(owner[0], ex, owner[1], "post_validate")

    # conditionals: shape only, never evaluated; an inherited `when` (extended with the parent
    # blocks' own) is reported once, at the task or block that sets it, like other inherited fields
    for name in CONDITIONAL_FIELDS:
        for owner, own in _own_values(res, task, name):
            if own:
                o_at, o_pos = res.where.get(id(owner), (at, pos)) if owner is not task else (at, pos)
                check_conditionals(res, o_at, o_pos, own, name)
    lc = getattr(task, "_loop_control", Sentinel)
    if lc is not Sentinel and lc is not None and getattr(lc, "_break_when", Sentinel) not in (Sentinel, None):
        check_conditionals(res, at, pos, lc._break_when, "break_when")

    # loop: TaskExecutor._get_loop_items
    loop = task.loop
    if loop is not None and task.loop_with is None and not isinstance(loop, list):
        if is_templated(loop):
            res.templated(at, "loop")
        elif not isinstance(loop, list):
            res.record("runtime", at, "loop", pos,
                       "The `loop` value must resolve to a 'list', not %r." % native_type_name(loop))

    # meta: StrategyBase._execute_meta
    if task.action in C._ACTION_META:
        meta = task.args.get("_raw_params")
        # Task._get_meta: "meta currently does not support being templated", so a template is
        # an invalid meta action whatever the variables hold
        if meta not in VALID_META:
            res.record("runtime", at, "meta", pos, "invalid meta action requested: %s" % meta)
        elif meta == "flush_handlers" and use_handlers and not task.when:
            res.record("runtime", at, "meta", pos, "flush_handlers cannot be used as a handler")
        return

    # args: Task._post_validate_args (action resolution, raw params, args finalization)
    if isinstance(task, TaskInclude) or task.action in C._ACTION_ALL_INCLUDE_IMPORT_TASKS:
        return
    if is_templated(task.action):
        return
    if is_templated(task.args):
        # only the raw-params check does not depend on the templated values
        raw = task.args.get("_raw_params")
        if raw and not is_possibly_all_template(raw):
            ctx = action_loader.get_with_context(task.action, collection_list=task.collections, class_only=True)
            if ctx.plugin_load_context.resolved:
                from ansible.parsing.mod_args import RAW_PARAM_MODULES
                fq = ctx.plugin_load_context.resolved_fqcn
                if not (ctx.object.supports_raw_params or fq in RAW_PARAM_MODULES):
                    res.record("runtime", at, "args", pos, f"Action {fq!r} does not support raw params.")
        return
    try:
        saved = copy.copy(task.args)
        task.post_validate_attribute("args", templar=templar)
        task.args = saved
    except Exception as ex:
        res.add(at, ex, pos, "args")


def post_validate_play(res, play, at, pos, templar):
    names = {}
    for name, attr in play.fattributes.items():
        names.setdefault(id(attr), (attr.name or name, attr))
    for name, attr in names.values():
        if not attr.always_post_validate or name == "name":
            continue
        value = getattr(play, name)
        if value is not None and is_templated(value):
            if attr.isa in SCALAR_ISA and isinstance(value, (list, dict)):
                try:
                    play.get_validated_value(name, attr, value, templar)
                except Exception as ex:
                    res.add(at, _keyword_error(name, value, ex), pos, "post_validate")
                continue
            res.templated(at, name)
            continue
        try:
            play.post_validate_attribute(name, templar=templar)
        except Exception as ex:
            res.add(at, ex, pos, "post_validate")
    # PlaybookExecutor._get_serialized_batches: pct_to_int on every serial item
    serial = getattr(play, "_serial", Sentinel)
    serial = None if serial is Sentinel else serial
    if serial is not None and not is_templated(serial):
        for item in serial if isinstance(serial, list) else [serial]:
            try:
                if isinstance(item, str) and item.endswith("%"):
                    int(item.replace("%", ""))
                else:
                    int(item)
            except (TypeError, ValueError):
                res.record("runtime", at, "post_validate", pos,
                           "invalid literal for int() with base 10: %r (serial)" % (item,))
                break
    # InventoryManager.get_hosts(play.hosts, order=play.order), run for every play
    order = getattr(play, "_order", Sentinel)
    if order not in (Sentinel, None) and not is_templated(order) and not isinstance(order, (list, dict)):
        if str(order) not in VALID_ORDER:
            res.record("runtime", at, "post_validate", pos,
                       "Invalid 'order' specified for inventory hosts: %s" % order)
    strategy = getattr(play, "_strategy", Sentinel)
    strategy = None if strategy is Sentinel else strategy
    if isinstance(strategy, str) and not is_templated(strategy):
        if strategy_loader.find_plugin(strategy) is None:
            bare = strategy.removeprefix("ansible.builtin.").removeprefix("ansible.legacy.")
            kind = "runtime" if (strategy.startswith("ansible.builtin.") or "." not in strategy and False) else "env"
            if bare in BUILTIN_STRATEGIES:
                kind = "runtime"
            res.record(kind, at, "plugin" if kind == "env" else "post_validate", pos,
                       "Invalid play strategy specified: %s" % strategy)


# --------------------------------------------------------------------------- the walk

class Walker:
    def __init__(self, res, loader, play, use_handlers_default=False):
        self.res = res
        self.loader = loader
        self.play = play
        self.templar = TemplateEngine(loader=loader, variables={})

    def section(self, items, prefix, use_handlers):
        """load_list_of_blocks on a section, one item at a time."""
        res = self.res
        for i, item in enumerate(items):
            at = f"{prefix}[{i}]"
            if item is None:
                continue
            if Block.is_block(item):
                self.block(item, at, None, use_handlers)
            else:
                implicit = Block.load([], play=self.play, use_handlers=use_handlers, variable_manager=VM,
                                      loader=self.loader)
                res.where[id(implicit)] = (prefix, (None, None))
                self.task(item, at, implicit, "block", use_handlers)

    def block(self, ds, at, parent, use_handlers):
        res = self.res
        pos = origin_of(ds)
        shell = AnsibleTagHelper.tag_copy(ds, {})
        for k, v in ds.items():
            shell[k] = [NOOP] if k in BLOCK_SECTIONS and isinstance(v, list) and v else v
        blk = load_retrying(res, at, shell, pos,
                            lambda d: Block.load(d, play=self.play, parent_block=parent, use_handlers=use_handlers,
                                                 variable_manager=VM, loader=self.loader),
                            protected=BLOCK_SECTIONS)
        if blk is None:
            # keep walking the children under a plain block so their own errors are reported
            blk = Block.load({"block": []}, play=self.play, parent_block=parent, use_handlers=use_handlers,
                             variable_manager=VM, loader=self.loader)
        res.where[id(blk)] = (at, pos)
        for sec in BLOCK_SECTIONS:
            items = ds.get(sec)
            if not isinstance(items, list):
                continue
            for i, item in enumerate(items):
                iat = f"{at}.{sec}[{i}]"
                if isinstance(item, dict) and "block" in item:
                    if use_handlers:
                        res.record("runtime", iat, "load", origin_of(item),
                                   "Using a block as a handler is not supported.")
                        continue
                    self.block(item, iat, blk, use_handlers)
                else:
                    self.task(item, iat, blk, sec, use_handlers)

    def task(self, ds, at, blk, sec, use_handlers):
        res = self.res
        pos = origin_of(ds)
        method = getattr(blk, f"_load_{sec}")
        if isinstance(ds, dict):
            ds = AnsibleTagHelper.tag_copy(ds, dict(ds))
        tasks = load_retrying(res, at, ds, pos, lambda d: method(sec, [d]))
        if not tasks:
            return
        for task in tasks:
            if isinstance(task, Block):  # cannot happen for a single non-block item
                continue
            res.where[id(task)] = (at, pos)
            post_validate_task(res, task, at, pos, self.templar, use_handlers)


def _plain_play(loader):
    return Play.load({"hosts": "localhost", "gather_facts": False}, variable_manager=VM, loader=loader)


def walk_playbook(res, data, loader):
    if data is None:
        res.record("runtime", "", "load", (None, None), "Empty playbook, nothing to do: %s" % res.path)
        return
    if not isinstance(data, list):
        res.record("runtime", "", "load", origin_of(data),
                   "A playbook must be a list of plays, got a %s instead: %s" % (type(data), res.path))
        return
    if not data:
        res.record("runtime", "", "load", (None, None), "A playbook must contain at least one play: %s" % res.path)
        return
    basedir = loader.get_basedir()
    for i, entry in enumerate(data):
        at = f"plays[{i}]"
        pos = origin_of(entry)
        if not isinstance(entry, dict):
            res.record("runtime", at, "load", pos,
                       "playbook entries must be either valid plays or 'import_playbook' statements")
            continue
        if any(a in entry for a in C._ACTION_IMPORT_PLAYBOOK):
            ds = AnsibleTagHelper.tag_copy(entry, dict(entry))
            load_retrying(res, at, ds, pos,
                          lambda d: PlaybookInclude.load(AnsibleTagHelper.tag_copy(d, dict(d)), basedir=basedir,
                                                         variable_manager=VM, loader=loader),
                          protected=tuple(C._ACTION_IMPORT_PLAYBOOK))
            continue
        walk_play(res, entry, at, pos, loader)


def walk_play(res, entry, at, pos, loader):
    CURRENT["at"] = at
    ds = AnsibleTagHelper.tag_copy(entry, {})
    for k, v in entry.items():
        if k not in PLAY_SECTIONS:
            ds[k] = v

    def load(d):
        return Play.load(AnsibleTagHelper.tag_copy(d, dict(d)), variable_manager=VM, loader=loader)

    play = load_retrying(res, at, ds, pos, load)
    templar = TemplateEngine(loader=loader, variables={})
    if play is None:
        play = _plain_play(loader)
    else:
        res.where[id(play)] = (at, pos)
        post_validate_play(res, play, at, pos, templar)
    walker = Walker(res, loader, play)
    for sec in PLAY_SECTIONS:
        if sec not in entry or entry[sec] is None:
            continue
        items = entry[sec]
        if not isinstance(items, list):
            try:
                getattr(play, f"_load_{sec}")(sec, items)
            except Exception as ex:
                res.add(f"{at}.{sec}", ex, origin_of(items) if origin_of(items) != (None, None) else pos)
            continue
        walker.section(items, f"{at}.{sec}", sec == "handlers")


def walk_taskfile(res, data, loader, use_handlers):
    if data is None:
        return
    if not isinstance(data, list):
        res.record("runtime", "", "load", origin_of(data), "included task files must contain a list of tasks")
        return
    play = _plain_play(loader)
    Walker(res, loader, play).section(data, "handlers" if use_handlers else "tasks", use_handlers)


def process_file(path, kind, display_path=None, check_refs=False):
    res = FileResult(display_path if display_path is not None else path, kind, check_refs)
    apath = os.path.abspath(path)
    loader = DataLoader()
    loader.set_basedir(os.path.dirname(apath))
    CURRENT.update(res=res, main=apath, at="")
    try:
        data = loader.load_from_file(apath, cache="none", trusted_as_template=True)
    except Exception as ex:
        res.load_error = message_of(ex)
        return res
    try:
        if kind == "playbook":
            walk_playbook(res, data, loader)
        elif kind in ("tasks", "handlers"):
            walk_taskfile(res, data, loader, kind == "handlers")
        else:
            raise ValueError(f"unknown kind {kind!r}")
    finally:
        CURRENT.update(res=None, main=None, at="")
    return res


# --------------------------------------------------------------------------- CLI

_SETUP = []


def setup():
    if not _SETUP:
        CAPTURE.install()
        install_stubs()
        _SETUP.append(True)


def tree_files(root):
    """(path, kind) for every Ansible YAML file under root, kind decided by shep's guess_kind."""
    from shep.api import guess_kind, read_document
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for fn in sorted(filenames):
            if not fn.endswith((".yml", ".yaml")):
                continue
            p = os.path.join(dirpath, fn)
            try:
                kind = guess_kind(read_document(p))
            except Exception:
                continue
            if kind is None:
                continue
            kind = getattr(kind, "value", kind)
            if str(kind) not in ("playbook", "tasks", "handlers"):
                continue
            out.append((p, str(kind)))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kind", choices=("playbook", "tasks", "handlers"))
    ap.add_argument("--tree", help="walk DIR; each file's kind from shep.api.guess_kind (non-Ansible files skipped)")
    ap.add_argument("--root", help="report paths relative to this directory")
    ap.add_argument("--repo", help='add "repo" to every line')
    ap.add_argument("--case", action="store_true", help='add "case" (= reported path) to every line')
    ap.add_argument("--check-refs", action="store_true",
                    help="report referenced files/roles that do not exist as env errors (check 'reference')")
    ap.add_argument("files", nargs="*")
    opts = ap.parse_args(argv)
    if not opts.tree and (not opts.kind or not opts.files):
        ap.error("give --kind and FILE..., or --tree DIR")
    setup()
    jobs = [(f, opts.kind) for f in opts.files] if opts.files else []
    if opts.tree:
        jobs += tree_files(opts.tree)
    root = opts.root or opts.tree
    out = sys.stdout
    for f, kind in jobs:
        shown = os.path.relpath(f, root) if root else f
        try:
            d = process_file(f, kind, display_path=shown, check_refs=opts.check_refs).as_dict(opts.repo)
        except Exception as ex:  # a crash of this tool, not a verdict of ansible's
            d = {"path": shown, "kind": kind, "status": "oracle_error", "oracle_error": f"{type(ex).__name__}: {ex}",
                 "load_error": None, "runtime_errors": [], "env_errors": [], "n_templated_skipped": 0,
                 "n_var_dependent": 0}
        if opts.case:
            d["case"] = shown
        out.write(json.dumps(d, sort_keys=True, ensure_ascii=False, default=str) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
