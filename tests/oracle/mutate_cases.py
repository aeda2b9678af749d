#!/usr/bin/env python
"""Mutants of real corpus tasks and plays, to find where shep and ansible-core disagree.

TEST TOOL ONLY (needs ansible-core for ``compare``; ``generate`` needs only PyYAML).

    python tests/oracle/mutate_cases.py generate [--corpus DIR] [--out DIR] [--per N] [--seed S]
    python tests/oracle/mutate_cases.py compare  [--out DIR] [--show N] [--only SUBSTR]

``generate`` takes files from the corpus (``manifest.jsonl`` gives each file's kind), picks one
task, block or play of a file and applies ONE small typed mutation to it (a keyword given a
wrong type, a misspelt keyword or module, an odd include/import, ``meta``, ``with_*``...), then
writes the whole file back to ``OUT/<kind>/<mutation>__<n>.yml``. Most mutations also have a
templated variant (``"{{ x }}"`` where a value is expected), which must never be a shep error.
``OUT/index.jsonl`` lists every mutant: path, kind, mutation, source file, ``at`` (the
play/block/task path of the mutated object, as runtime_oracle and shep name it).

``compare`` runs runtime_oracle.py on every mutant (``OUT/oracle.jsonl``) and compares it with
shep task by task (tests/differential/runtime_compare.py), then prints the disagreements grouped
by mutation and pattern: (a) false error (shep error, no ansible-core runtime error),
(b) miss (ansible-core runtime error, no shep error), (c) both report an error but at different
objects. Disagreements on objects other than the mutated one are counted separately (they
belong to the source file). Results go to ``OUT/compare.jsonl``.

Files from the corpus go through PyYAML (safe_load + safe_dump): comments and layout are lost,
values are kept (YAML 1.1 scalars are quoted when needed). Files PyYAML cannot load (``!vault``,
``!unsafe``...) are not used.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import random
import re
import sys
from collections import Counter, defaultdict

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
DEFAULT_CORPUS = os.path.abspath(os.path.join(ROOT, "..", "shared", "corpus"))
DEFAULT_OUT = "/work/scratch/mutants"

T = "{{ x }}"  # the template of templated variants

# --------------------------------------------------------------------------- ansible keywords (2.19)

TASK_KEYWORDS = frozenset((
    "action", "any_errors_fatal", "args", "async", "become", "become_exe", "become_flags", "become_method",
    "become_user", "changed_when", "check_mode", "collections", "connection", "debugger", "delay",
    "delegate_facts", "delegate_to", "diff", "environment", "failed_when", "ignore_errors", "ignore_unreachable",
    "loop", "loop_control", "module_defaults", "name", "no_log", "notify", "poll", "port", "register",
    "remote_user", "retries", "run_once", "tags", "throttle", "timeout", "until", "vars", "when",
    "local_action", "listen"))
INCLUDE_ACTIONS = frozenset(p + a for p in ("", "ansible.builtin.", "ansible.legacy.")
                            for a in ("include_tasks", "import_tasks", "include_role", "import_role", "include"))
BLOCK_KEYS = ("block", "rescue", "always")
SECTIONS = ("pre_tasks", "tasks", "post_tasks", "handlers")


def module_key(task):
    """The key that names the task's action (module), or None."""
    for k in task:
        if not isinstance(k, str):
            return None
        if k in TASK_KEYWORDS or k.startswith("with_"):
            continue
        return k
    return None


def _builtin_modules():
    """Short names of ansible-core's own modules (when ansible-core is installed), else None."""
    try:
        import ansible.modules as mods
    except ImportError:
        return None
    d = os.path.dirname(mods.__file__)
    return frozenset(f[:-3] for f in os.listdir(d) if f.endswith(".py") and not f.startswith("_"))


BUILTIN_MODULES = _builtin_modules()


def is_builtin_module(name):
    """ansible-core resolves it with no collection installed (so the task's own errors are not hidden)."""
    if BUILTIN_MODULES is None:
        return True
    for prefix in ("ansible.builtin.", "ansible.legacy."):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return name in BUILTIN_MODULES


def is_plain(task):
    """A task with a module (not a block, not an include, not meta, no action/local_action)."""
    if not isinstance(task, dict) or any(k in task for k in BLOCK_KEYS):
        return False
    if "action" in task or "local_action" in task:
        return False
    m = module_key(task)
    return (m is not None and m not in INCLUDE_ACTIONS and not m.endswith("meta") and is_builtin_module(m)
            and not m.endswith(("import_playbook", "include_vars", "set_fact", "add_host", "group_by")))


def is_include(task):
    return isinstance(task, dict) and any(k in INCLUDE_ACTIONS for k in task)


def is_block(task):
    return isinstance(task, dict) and "block" in task


# --------------------------------------------------------------------------- mutations
# Each mutation: (name, target, fn). target: "task" (plain task), "include", "block", "play",
# "handler" (a plain task of a handler section), "any" (any task or block). fn(obj, ctx) -> new obj or None.

MUTATIONS = []


def mutation(name, target):
    def deco(fn):
        MUTATIONS.append((name, target, fn))
        return fn
    return deco


def setkw(name, target, key, value, drop=()):
    def fn(obj, ctx):
        new = dict(obj)
        for k in drop:
            new.pop(k, None)
        new[key] = copy.deepcopy(value)
        return new
    MUTATIONS.append((name, target, fn))


def _slug(v):
    if isinstance(v, str):
        if "{{" in v:
            return "tmpl"
        s = re.sub(r"[^A-Za-z0-9]+", "_", v).strip("_")
        return ("str_" + s)[:24] if s else "empty"
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "neg" if v < 0 else "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, list):
        return "list" + ("_tmpl" if "{{" in json.dumps(v) else "")
    if isinstance(v, dict):
        return "dict" + ("_tmpl" if "{{" in json.dumps(v) else "")
    return type(v).__name__


def typed(target, key, values, prefix="kw", drop=()):
    seen = Counter()
    for v in values:
        slug = _slug(v)
        seen[slug] += 1
        if seen[slug] > 1:
            slug += str(seen[slug])
        setkw(f"{prefix}-{key}-{slug}", target, key, v, drop=drop)


BOOL_BAD = [["a"], {"a": 1}, "maybe", 2, 1.5, [T], T, "yes", 0]
INT_BAD = ["abc", [1], 1.5, "10", -1, {"a": 1}, T, [T], "1.5", True]
COND_BAD = [{"a": 1}, 1, [{"a": 1}], [1], "x is defined", True, T, [T, "y"], ["{{ x }}"], None]

# -- task keywords given a wrong type (and templated variants)
for key in ("ignore_errors", "ignore_unreachable", "become", "check_mode", "diff", "no_log", "run_once",
            "any_errors_fatal"):
    typed("task", key, BOOL_BAD)
typed("task", "delegate_facts", ["maybe", ["a"], T])
for key in ("async", "poll", "retries", "delay", "timeout", "throttle"):
    typed("task", key, INT_BAD)
typed("task", "port", ["abc", [22], T, "22"])
typed("task", "tags", [{"a": 1}, [["a"]], 1.5, None, "a,b", [1, "a"], [{"a": 1}], T, [T], 1, True, [1.5]])
WITH_KEYS = tuple("with_" + w for w in ("items", "dict", "list", "fileglob", "together", "nested", "sequence",
                                          "subelements", "first_found", "indexed_items", "flattened",
                                          "random_choice", "lines", "inventory_hostnames", "community.general.nope"))
typed("task", "loop", ["abc", {"a": 1}, 1, T, [], ["a"], [T], None, "a,b"], drop=WITH_KEYS)


@mutation("with_items-then-loop-str", "task")
def _with_then_loop(task, ctx):
    new = {k: v for k, v in task.items() if k != "loop" and not (isinstance(k, str) and k.startswith("with_"))}
    new["with_items"] = [1]
    new["loop"] = "abc"
    return new

typed("task", "loop_control", [["a"], "abc", {"nonesuch": 1}, {"loop_var": ["a"]}, {"pause": "abc"},
                               {"label": "{{ item.x }}"}, {"loop_var": "item2"}, {"index_var": 1},
                               {"extended": "maybe"}, {"break_when": {"a": 1}}, {"loop_var": T},
                               {"pause": T}, {"extended": T}, {"break_when": [T]}, {"break_when": [1]},
                               {"extended_allitems": "maybe"}, {"index_var": "1x"}, {"loop_var": "a-b"},
                               None, T, {"pause": [1]}, {"label": ["a"]}])
for key in ("when", "changed_when", "failed_when", "until"):
    typed("task", key, COND_BAD)
typed("task", "register", ["1x", "a-b", "hostvars", "{{ name }}", "ok_name", ["a"], "a.b", "with space", "for",
                           "True", "", {"a": 1}, 1, "_x", "vars", "ansible_facts", "omit", "item"])
typed("task", "vars", [["a"], "abc", {"1x": 1}, {"a-b": 1}, {"hostvars": 1}, {"{{ x }}": 1}, {"for": 1},
                       [{"a": 1}], None, 1, {"omit": 1}, {"a": T}, {"item": 1}])
typed("task", "environment", ["abc", 1, ["a"], [{"A": 1}], T, {"A": ["b"]}, [T], {"A": T}, {1: "b"}, None])
typed("task", "notify", [{"a": 1}, 1, [["a"]], [{}], [1], T, None, True])
typed("task", "delegate_to", [["a"], {"a": 1}, 1, "", T, None, True])
typed("task", "become_method", [["sudo"], "nonesuch", T, 1, "ansible.builtin.nope", {"a": 1}])
typed("task", "become_user", [["a"], {"a": 1}, 1, T, True])
typed("task", "become_exe", [["a"], 1])
typed("task", "become_flags", [["-H"], 1])
typed("task", "remote_user", [["a"], {"a": 1}, 1])
typed("task", "connection", [["local"], "nonesuch", "ansible.builtin.nope", T, 1])
typed("task", "module_defaults", ["abc", ["a"], {"ansible.builtin.nope": {}}, {"group/nope": {}}, [{"a": 1}],
                                  {"ansible.builtin.file": "abc"}, T, {"ansible.builtin.file": T},
                                  {"nonesuch": {"a": 1}}, [T]])
typed("task", "collections", ["abc", {"a": 1}, [1], T, ["community.general"], [["a"]]])
typed("task", "name", [["a"], {"a": 1}, 1, None, True, 1.5, T])
typed("task", "debugger", ["sometimes", ["a"], T, "always", 1, True])
typed("task", "args", ["a=b", ["a"], 1, T, {"a": T}, None, {}])
typed("task", "listen", ["topic", ["a"]])
typed("task", "async_val", [1])
typed("task", "loop_with", ["items"])
for key in ("rescue", "always"):
    typed("task", key, [[{"ansible.builtin.debug": None}]], prefix="blockkey")
typed("task", "block", [[{"ansible.builtin.debug": None}]], prefix="blockkey")

# -- misspelt keywords (one edit away) on a plain task
for bad in ("whn", "regster", "ignore_error", "notfy", "become_usr", "loop_contrl", "delegateto", "tag",
            "changed_wen", "faled_when", "with_item", "untill", "retry", "delay_", "Name", "becom", "vras",
            "enviroment", "no_logs", "run_onse", "asyn", "pol", "check-mode", "args_", "loops", "local_actio",
            "delegate_fact", "listen_"):
    setkw(f"misspelt-{bad}", "task", bad, "x" if bad not in ("tag", "loops", "with_item") else ["a"])


@mutation("misspelt-module-builtin", "task")
def _misspelt_builtin(task, ctx):
    m = module_key(task)
    short = m.split(".")[-1]
    if len(short) < 4:
        return None
    bad = short[:-1] + short[-1] * 2  # one insertion
    new = {}
    for k, v in task.items():
        new["ansible.builtin." + bad if k == m else k] = v
    return new


@mutation("misspelt-module-builtin-drop", "task")
def _misspelt_builtin_drop(task, ctx):
    m = module_key(task)
    short = m.split(".")[-1]
    if len(short) < 4:
        return None
    bad = short[:2] + short[3:]  # one deletion
    return {("ansible.builtin." + bad if k == m else k): v for k, v in task.items()}


@mutation("misspelt-module-short", "task")
def _misspelt_short(task, ctx):
    m = module_key(task)
    short = m.split(".")[-1]
    if len(short) < 4:
        return None
    return {(short[:-1] + short[-1] * 2 if k == m else k): v for k, v in task.items()}


@mutation("module-removed-include", "task")
def _removed_include(task, ctx):
    m = module_key(task)
    new = {k: v for k, v in task.items() if k not in (m, "args")}
    new["include"] = "other.yml"
    return new


# -- meta
def meta(name, value, target="task", extra=None):
    def fn(task, ctx):
        m = module_key(task)
        new = {k: v for k, v in task.items() if k not in (m, "args", "register", "loop", "until", "retries",
                                                          "delay", "notify") and not k.startswith("with_")}
        new["ansible.builtin.meta"] = value
        new.update(extra or {})
        return new
    MUTATIONS.append((name, target, fn))


meta("meta-nonesuch", "nonesuch")
meta("meta-flush_handler", "flush_handler")
meta("meta-tmpl", T)
meta("meta-end_role", "end_role")
meta("meta-dict", {"a": 1})
meta("meta-list", ["noop"])
meta("meta-flush_handlers", "flush_handlers")
meta("meta-handler-flush_handlers", "flush_handlers", target="handler")
meta("meta-handler-nonesuch", "nonesuch", target="handler")
meta("meta-handler-flush_handlers-when", "flush_handlers", target="handler", extra={"when": "x"})
meta("meta-handler-end_role", "end_role", target="handler")
meta("meta-noop-loop", "noop", extra={"loop": [1, 2]})
meta("meta-end_host-args", "end_host", extra={"args": {"a": 1}})


# -- includes and imports built from a plain task (its other keywords kept)
def include(name, action, value, extra=None, target="task", drop=()):
    def fn(task, ctx):
        m = module_key(task)
        new = {k: v for k, v in task.items() if k not in (m, "args") + tuple(drop)}
        new[action] = copy.deepcopy(value)
        for k, v in (extra or {}).items():
            new[k] = copy.deepcopy(v)
        return new
    MUTATIONS.append((name, target, fn))


B = "ansible.builtin."
include("inc-include_tasks-plain", B + "include_tasks", "other.yml")
include("inc-import_tasks-plain", B + "import_tasks", "other.yml")
include("inc-include_role-plain", B + "include_role", {"name": "somerole"})
include("inc-import_role-plain", B + "import_role", {"name": "somerole"})
include("inc-include_tasks-file-and-freeform", B + "include_tasks", "other.yml", {"args": {"file": "b.yml"}})
include("inc-include_tasks-file-dict-freeform", B + "include_tasks", {"file": "a.yml", "_raw_params": "b.yml"})
include("inc-import_tasks-apply", B + "import_tasks", {"file": "other.yml", "apply": {"tags": ["a"]}})
include("inc-import_tasks-loop", B + "import_tasks", "other.yml", {"loop": [1, 2]})
include("inc-import_tasks-with_items", B + "import_tasks", "other.yml", {"with_items": [1, 2]})
include("inc-import_role-loop", B + "import_role", {"name": "somerole"}, {"loop": [1, 2]})
include("inc-include_role-no-name", B + "include_role", {"tasks_from": "x.yml"})
include("inc-include_role-empty", B + "include_role", None)
include("inc-include_role-unknown-option", B + "include_role", {"name": "somerole", "nonesuch": 1})
include("inc-include_tasks-unknown-option", B + "include_tasks", {"file": "other.yml", "nonesuch": 1})
include("inc-include_tasks-no-file", B + "include_tasks", {"apply": {"tags": ["a"]}})
include("inc-include_tasks-empty", B + "include_tasks", None)
include("inc-include_tasks-emptystr", B + "include_tasks", "")
include("inc-import_tasks-emptystr", B + "import_tasks", "")
include("inc-include_tasks-apply-list", B + "include_tasks", {"file": "other.yml", "apply": ["a"]})
include("inc-include_tasks-apply-tmpl", B + "include_tasks", {"file": "other.yml", "apply": T})
include("inc-include_role-apply-str", B + "include_role", {"name": "somerole", "apply": "abc"})
include("inc-import_role-apply", B + "import_role", {"name": "somerole", "apply": {"tags": ["a"]}})
include("inc-include_role-tasks_from-list", B + "include_role", {"name": "somerole", "tasks_from": ["a"]})
include("inc-include_role-public-maybe", B + "include_role", {"name": "somerole", "public": "maybe"})
include("inc-import_role-name-tmpl", B + "import_role", {"name": T})
include("inc-include_role-name-tmpl", B + "include_role", {"name": T})
include("inc-import_tasks-tmpl", B + "import_tasks", "{{ x }}.yml")
include("inc-include_tasks-tmpl", B + "include_tasks", "{{ x }}.yml")
include("inc-include_tasks-become", B + "include_tasks", "other.yml", {"become": True})
include("inc-include_tasks-delegate_to", B + "include_tasks", "other.yml", {"delegate_to": "h"})
include("inc-include_tasks-register", B + "include_tasks", "other.yml", {"register": "r"})
include("inc-include_tasks-notify", B + "include_tasks", "other.yml", {"notify": "h"})
include("inc-include_tasks-until", B + "include_tasks", "other.yml", {"until": "x"})
include("inc-include_role-become", B + "include_role", {"name": "somerole"}, {"become": True})
include("inc-import_tasks-become", B + "import_tasks", "other.yml", {"become": True})
include("inc-import_tasks-register", B + "import_tasks", "other.yml", {"register": "r"})
include("inc-import_role-register", B + "import_role", {"name": "somerole"}, {"register": "r"})
include("inc-import_tasks-listen", B + "import_tasks", "other.yml", {"listen": "t"})
include("inc-include_tasks-list", B + "include_tasks", ["a.yml"])
include("inc-include_role-str", B + "include_role", "somerole")
include("inc-import_role-str", B + "import_role", "somerole")
include("inc-include_tasks-handler", B + "include_tasks", "other.yml", target="handler")
include("inc-import_tasks-handler", B + "import_tasks", "other.yml", target="handler")
include("inc-include_role-handler", B + "include_role", {"name": "somerole"}, target="handler")
include("inc-import_role-handler", B + "import_role", {"name": "somerole"}, target="handler")
include("inc-include_tasks-args-file", B + "include_tasks", None, {"args": {"file": "other.yml"}})
include("inc-include_tasks-loop-tmpl", B + "include_tasks", "other.yml", {"loop": T})
include("inc-include_tasks-tags-dict", B + "include_tasks", "other.yml", {"tags": {"a": 1}})
include("inc-import_tasks-tags-dict", B + "import_tasks", "other.yml", {"tags": {"a": 1}})
include("inc-import_tasks-when-dict", B + "import_tasks", "other.yml", {"when": {"a": 1}})
include("inc-import_tasks-ignore_errors-maybe", B + "import_tasks", "other.yml", {"ignore_errors": "maybe"})
include("inc-include_tasks-ignore_errors-maybe", B + "include_tasks", "other.yml", {"ignore_errors": "maybe"})
include("inc-import_role-vars-list", B + "import_role", {"name": "somerole"}, {"vars": ["a"]})
include("inc-include_role-allow_dup-maybe", B + "include_role", {"name": "somerole", "allow_duplicates": "maybe"})
include("inc-import_role-rolespec_validate-maybe", B + "import_role",
        {"name": "somerole", "rolespec_validate": "maybe"})

# -- with_* variants
for key, value in (("with_items", None), ("with_nonesuch", [1]), ("with_items", "abc"), ("with_items", T),
                   ("with_dict", "abc"), ("with_sequence", "start=1 end=3"), ("with_items", {"a": 1}),
                   ("with_items", 1), ("with_fileglob", None), ("with_nested", [[1], [2]]),
                   ("with_ansible.builtin.items", [1]), ("with_community.general.nope", [1]), ("with_", [1])):
    setkw(f"with-{key}-{_slug(value)}", "task", key, value, drop=("loop",))


@mutation("with_items-and-loop", "task")
def _with_and_loop(task, ctx):
    new = {k: v for k, v in task.items() if not (isinstance(k, str) and k.startswith("with_"))}
    new["loop"] = [1]
    new["with_items"] = [2]
    return new


@mutation("loop-and-with_items", "task")
def _loop_and_with(task, ctx):
    new = {k: v for k, v in task.items() if k != "loop"}
    new["with_items"] = [2]
    new["loop"] = [1]
    return new


# -- action / local_action forms
@mutation("action-plus-module", "task")
def _action_plus_module(task, ctx):
    new = dict(task)
    new["action"] = "ansible.builtin.debug"
    return new


@mutation("local_action-plus-delegate_to", "task")
def _la_delegate(task, ctx):
    m = module_key(task)
    new = {k: v for k, v in task.items() if k not in (m, "args")}
    new["local_action"] = {"module": m, **(task[m] if isinstance(task[m], dict) else {})}
    new["delegate_to"] = "other"
    return new


@mutation("local_action-str", "task")
def _la_str(task, ctx):
    m = module_key(task)
    new = {k: v for k, v in task.items() if k not in (m, "args")}
    new["local_action"] = m + (" " + task[m] if isinstance(task[m], str) else "")
    return new


@mutation("action-dict-no-module", "task")
def _action_nomod(task, ctx):
    m = module_key(task)
    new = {k: v for k, v in task.items() if k not in (m, "args")}
    new["action"] = {"msg": "hi"}
    return new


@mutation("action-list", "task")
def _action_list(task, ctx):
    m = module_key(task)
    new = {k: v for k, v in task.items() if k not in (m, "args")}
    new["action"] = [m]
    return new


@mutation("action-tmpl", "task")
def _action_tmpl(task, ctx):
    m = module_key(task)
    new = {k: v for k, v in task.items() if k not in (m, "args")}
    new["action"] = T
    return new


@mutation("module-value-list", "task")
def _module_list(task, ctx):
    m = module_key(task)
    new = dict(task)
    new[m] = ["a"]
    return new


@mutation("module-value-int", "task")
def _module_int(task, ctx):
    m = module_key(task)
    new = dict(task)
    new[m] = 1
    return new


@mutation("module-args-unknown-key", "task")
def _module_unknown_arg(task, ctx):
    m = module_key(task)
    if not isinstance(task[m], dict):
        return None
    new = dict(task)
    new[m] = dict(task[m], nonesuch_arg=1)
    return new


@mutation("module-freeform-on-dict-module", "task")
def _module_raw(task, ctx):
    m = module_key(task)
    if m.split(".")[-1] in ("command", "shell", "raw", "script", "win_shell", "win_command", "include_vars",
                            "set_fact", "add_host", "group_by", "debug", "meta", "import_playbook"):
        return None
    new = dict(task)
    new[m] = "some free form"
    return new


@mutation("module-kv-and-args", "task")
def _kv_and_args(task, ctx):
    m = module_key(task)
    if not isinstance(task[m], dict) or not task[m]:
        return None
    new = dict(task)
    k, v = next(iter(task[m].items()))
    new[m] = f"{k}=1"
    new["args"] = {k: v}
    return new


# -- block keywords: task keys on blocks and bad block shapes
for key, value in (("loop", [1]), ("register", "r"), ("until", "x"), ("retries", 3), ("notify", "h"),
                   ("async", 5), ("poll", 1), ("with_items", [1]), ("listen", "t"), ("delegate_facts", True),
                   ("loop_control", {"loop_var": "i"}), ("args", {"a": 1}), ("action", "ansible.builtin.debug"),
                   ("changed_when", "x"), ("failed_when", "x"), ("local_action", "ansible.builtin.debug"),
                   ("ansible.builtin.debug", {"msg": "x"}), ("whn", "x"), ("ignore_errors", "maybe"),
                   ("when", {"a": 1}), ("tags", {"a": 1}), ("vars", ["a"]), ("environment", "abc"),
                   ("rescue", "abc"), ("always", {"a": 1}), ("block", "abc"), ("block", {"a": 1}),
                   ("rescue", [None]), ("name", ["a"]), ("become", T), ("tags", [["a"]]),
                   ("any_errors_fatal", "maybe"), ("throttle", "abc"), ("timeout", 1.5)):
    setkw(f"blk-{key}-{_slug(value)}", "block", key, value)


@mutation("blk-empty-block", "block")
def _blk_empty(b, ctx):
    return dict(b, block=[])


@mutation("blk-null-block", "block")
def _blk_null(b, ctx):
    return dict(b, block=None)


@mutation("blk-item-str", "block")
def _blk_item_str(b, ctx):
    return dict(b, block=list(b["block"] or []) + ["abc"])


@mutation("blk-item-list", "block")
def _blk_item_list(b, ctx):
    return dict(b, block=list(b["block"] or []) + [["abc"]])


@mutation("blk-nested-rescue-only", "block")
def _blk_rescue_only(b, ctx):
    return dict(b, block=list(b["block"] or []) + [{"rescue": [{"ansible.builtin.debug": None}]}])


# -- plays
PLAY_VALUES = {
    "hosts": [{"a": 1}, [], "", [None], ["a", ["b"]], 1, T, None, ["a", T], [1], True, "all,web"],
    "serial": [{"a": 1}, "abc", "10%", -1, [1, "abc"], [1, "10%"], T, 0, 1.5, "abc%", [T], [], ["10%", "50%"],
               "1.5", [[1]], None, True],
    "max_fail_percentage": ["abc", "10%", 101, [1], T, 1.5, -1, "50"],
    "order": ["sideways", ["inventory"], "sorted", T, 1, "reverse_sorted", None],
    "strategy": ["ansible.builtin.nope", "linear", "free", "nope", "community.general.nope", ["linear"], T,
                 "ansible.builtin.linear", "ansible.legacy.free", "host_pinned", 1, "debug"],
    "gather_facts": ["maybe", ["a"], "yes", T, 1, None],
    "gather_subset": ["all", {"a": 1}, 1, ["!all", "min"], T, [["a"]]],
    "gather_timeout": ["abc", [1], T, 1.5],
    "fact_path": [["a"], 1, T],
    "force_handlers": ["maybe", T],
    "vars_prompt": ["abc", {"name": "x"}, [{"prompt": "x"}], [{"name": "x", "bogus": 1}], ["x"],
                    [{"name": "x", "private": "maybe"}], [{"name": T}], [{"name": "x", "confirm": "maybe"}],
                    [{"name": "x", "unsafe": [1]}], [None], [{"name": ["a"]}], [{"name": "1x"}]],
    "vars_files": [{"a": 1}, "a.yml", [["a.yml", "b.yml"]], [1], [{"a": 1}], T, [T], [None], 1],
    "roles": ["abc", {"a": 1}, [1], [{"role": "x", "bogus": 1}], [{"name": ""}], [{}], [["a"]],
              [{"role": T}], [None], ["somerole", {"role": "x", "tags": {"a": 1}}], [{"role": "x", "when": {"a": 1}}],
              [{"role": "x", "become": "maybe"}], [{"role": "x", "vars": ["a"]}], [{"role": "x", "loop": [1]}],
              [{"role": "x", "delegate_to": "h"}], [{"role": "x", "register": "r"}], [""], [T],
              [{"role": "x", "name": "y"}], [{"role": "x", "tasks_from": "t.yml"}], [{"src": "x"}]],
    "vars": [["a"], "abc", {"1x": 1}, {"a-b": 1}, [{"a": 1}], {T: 1}, None, {"hostvars": 1}, [{"a": 1}, ["b"]]],
    "become": ["maybe", ["a"], T],
    "any_errors_fatal": ["maybe", T],
    "ignore_errors": ["maybe", [1]],
    "ignore_unreachable": ["maybe"],
    "check_mode": ["maybe"],
    "diff": ["maybe"],
    "no_log": ["maybe"],
    "run_once": ["maybe", True],
    "name": [["a"], {"a": 1}, 1, None, T],
    "collections": ["abc", {"a": 1}, [1]],
    "module_defaults": ["abc", ["a"], {"ansible.builtin.nope": {}}, {"group/nope": {}}, [{"a": 1}]],
    "environment": ["abc", 1, ["a"], T],
    "tags": [{"a": 1}, [["a"]], 1.5, "a,b"],
    "debugger": ["sometimes", T],
    "connection": [["local"], "nonesuch", 1],
    "remote_user": [["a"], 1],
    "user": ["bob"],
    "become_user": [["a"]],
    "become_method": ["nonesuch", ["sudo"]],
    "port": ["abc", 1.5, T],
    "throttle": ["abc"],
    "timeout": ["abc", 1.5],
    "tasks": [{"a": 1}, "abc", [None], [["a"]], ["abc"]],
    "handlers": [{"a": 1}, "abc", [{"block": [{"ansible.builtin.debug": None}]}]],
    "pre_tasks": [{"a": 1}, "abc"],
    "post_tasks": ["abc"],
    "when": ["x"],
    "loop": [[1]],
    "register": ["r"],
    "notify": ["h"],
    "delegate_to": ["h"],
    "include": ["other.yml"],
    "hsts": ["all"], "gather_fact": [False], "become_usr": ["root"], "pre_task": [[]], "post_task": [[]],
    "handler": [[]], "task": [[]], "var": [{"a": 1}], "vars_file": [["a.yml"]], "role": [["x"]],
    "Tasks": [[]], "serial_": [1], "strategy_": ["linear"],
}
for key, values in PLAY_VALUES.items():
    typed("play", key, values, prefix="play")


@mutation("play-no-hosts", "play")
def _play_nohosts(play, ctx):
    new = {k: v for k, v in play.items() if k != "hosts"}
    return new if new != play else None


@mutation("play-user-and-remote_user", "play")
def _play_user(play, ctx):
    return dict(play, user="a", remote_user="b")


@mutation("play-import_playbook-bad-key", "play")
def _ipb_bad(play, ctx):
    return {"ansible.builtin.import_playbook": "other.yml", "nonesuch": 1}


@mutation("play-import_playbook-vars", "play")
def _ipb_vars(play, ctx):
    return {"ansible.builtin.import_playbook": "other.yml", "vars": {"a": 1}}


@mutation("play-import_playbook-when", "play")
def _ipb_when(play, ctx):
    return {"ansible.builtin.import_playbook": "other.yml", "when": "x"}


@mutation("play-import_playbook-tags-dict", "play")
def _ipb_tags(play, ctx):
    return {"ansible.builtin.import_playbook": "other.yml", "tags": {"a": 1}}


@mutation("play-import_playbook-list", "play")
def _ipb_list(play, ctx):
    return {"ansible.builtin.import_playbook": ["other.yml"]}


@mutation("play-import_playbook-empty", "play")
def _ipb_empty(play, ctx):
    return {"ansible.builtin.import_playbook": ""}


@mutation("play-import_playbook-tmpl", "play")
def _ipb_tmpl(play, ctx):
    return {"ansible.builtin.import_playbook": "{{ x }}.yml"}


@mutation("play-import_playbook-conflict", "play")
def _ipb_conflict(play, ctx):
    return {"import_playbook": "a.yml", "ansible.builtin.import_playbook": "b.yml"}


@mutation("play-import_playbook-hosts", "play")
def _ipb_hosts(play, ctx):
    return {"import_playbook": "a.yml", "hosts": "all"}


@mutation("play-import_playbook-vars-list", "play")
def _ipb_vars_list(play, ctx):
    return {"import_playbook": "a.yml", "vars": ["a"]}


@mutation("play-import_playbook-loop", "play")
def _ipb_loop(play, ctx):
    return {"import_playbook": "a.yml", "loop": [1]}


@mutation("play-str-entry", "play")
def _play_str(play, ctx):
    return "abc"


@mutation("play-list-entry", "play")
def _play_list(play, ctx):
    return [play]


@mutation("handler-listen-dict", "handler")
def _h_listen_dict(h, ctx):
    return dict(h, listen={"a": 1})


@mutation("handler-listen-int", "handler")
def _h_listen_int(h, ctx):
    return dict(h, listen=1)


@mutation("handler-listen-nested", "handler")
def _h_listen_nested(h, ctx):
    return dict(h, listen=[["a"]])


@mutation("handler-listen-tmpl", "handler")
def _h_listen_tmpl(h, ctx):
    return dict(h, listen=T)


@mutation("handler-block", "handler")
def _h_block(h, ctx):
    return {"block": [h]}


@mutation("handler-block-nested", "handler")
def _h_block_nested(h, ctx):
    return {"block": [{"block": [h]}]}


@mutation("handler-name-list", "handler")
def _h_name(h, ctx):
    return dict(h, name=["a"])


@mutation("handler-notify", "handler")
def _h_notify(h, ctx):
    return dict(h, notify="other handler")


@mutation("handler-loop-str", "handler")
def _h_loop(h, ctx):
    return dict(h, loop="abc")


@mutation("handler-when-dict", "handler")
def _h_when(h, ctx):
    return dict(h, when={"a": 1})


@mutation("handler-register-bad", "handler")
def _h_reg(h, ctx):
    return dict(h, register="a-b")


# --------------------------------------------------------------------------- walking the corpus files

class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def dump(data):
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True,
                     width=4096)


def task_slots(items, prefix):
    """(at, container, index) of every task/block mapping in a task list, blocks included."""
    out = []
    if not isinstance(items, list):
        return out
    for i, item in enumerate(items):
        at = f"{prefix}[{i}]"
        if not isinstance(item, dict):
            continue
        out.append((at, items, i))
        if "block" in item or "rescue" in item or "always" in item:
            for sec in BLOCK_KEYS:
                out.extend(task_slots(item.get(sec), f"{at}.{sec}"))
    return out


def slots(data, kind):
    """(target kind, at, container, index) of every mutable object of a file."""
    out = []
    if kind in ("tasks", "handlers"):
        for at, cont, i in task_slots(data, kind):
            out.append((at, cont, i, kind == "handlers"))
    elif kind == "playbook" and isinstance(data, list):
        for p, play in enumerate(data):
            if not isinstance(play, dict) or "hosts" not in play:
                continue
            out.append((f"plays[{p}]", data, p, None))
            for sec in SECTIONS:
                for at, cont, i in task_slots(play.get(sec), f"plays[{p}].{sec}"):
                    out.append((at, cont, i, sec == "handlers"))
    return out


def fits(target, obj, handler):
    if handler is None:  # a play
        return target == "play"
    if target == "task":
        return is_plain(obj) and not handler
    if target == "handler":
        return is_plain(obj) and handler
    if target == "block":
        return is_block(obj)
    if target == "include":
        return is_include(obj)
    return False


def load_sources(corpus, max_tasks):
    sources = []
    with open(os.path.join(corpus, "manifest.jsonl"), encoding="utf-8") as fh:
        for line in fh:
            m = json.loads(line)
            if not m.get("yaml_ok"):
                continue
            if (m.get("n_tasks_estimate") or 0) > max_tasks:
                continue
            path = os.path.join(corpus, m["repo"], m["path"])
            try:
                with open(path, encoding="utf-8") as f:
                    data = yaml.safe_load(f)
            except Exception:
                continue  # !vault, !unsafe, ...: not for PyYAML
            sources.append((m["repo"] + "/" + m["path"], m["kind"], data))
    return sources


def generate(corpus, out, per, seed, max_tasks):
    rng = random.Random(seed)
    sources = load_sources(corpus, max_tasks)
    rng.shuffle(sources)
    # every (source, slot) candidate per target kind, so that each mutation visits different files
    cands = defaultdict(list)
    for si, (src, kind, data) in enumerate(sources):
        for at, cont, i, handler in slots(data, kind):
            obj = cont[i]
            for target in ("task", "handler", "block", "include", "play"):
                if fits(target, obj, handler):
                    cands[(target, kind)].append((si, at))
    for key in cands:
        rng.shuffle(cands[key])
    os.makedirs(out, exist_ok=True)
    index = []
    cursor = Counter()
    for name, target, fn in MUTATIONS:
        kinds = {"task": ("tasks", "playbook"), "handler": ("handlers", "playbook"), "block": ("tasks", "playbook"),
                 "include": ("tasks",), "play": ("playbook",)}[target]
        for kind in kinds:
            want = per if kind != "playbook" or target in ("play", "handler") else max(1, per // 3)
            pool = cands.get((target, kind), [])
            made, used_src, tries = 0, set(), 0
            while made < want and tries < len(pool):
                tries += 1
                si, at = pool[cursor[(target, kind)] % len(pool)]
                cursor[(target, kind)] += 1
                if si in used_src:
                    continue
                src, skind, data = sources[si]
                data = copy.deepcopy(data)
                found = [(a, c, i) for a, c, i, _h in slots(data, skind) if a == at]
                if not found:
                    continue
                _, cont, i = found[0]
                new = fn(copy.deepcopy(cont[i]), {"kind": skind})
                if new is None or new == cont[i]:
                    continue
                cont[i] = new
                used_src.add(si)
                made += 1
                rel = f"{kind}/{name}__{made}.yml"
                path = os.path.join(out, rel)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as fh:
                    fh.write(dump(data))
                index.append({"path": rel, "kind": kind, "mutation": name, "target": target, "source": src,
                              "at": at, "templated": "{{" in json.dumps(new, default=str)})
    with open(os.path.join(out, "index.jsonl"), "w", encoding="utf-8") as fh:
        for rec in index:
            fh.write(json.dumps(rec, sort_keys=True) + "\n")
    print(f"{len(index)} mutants from {len(MUTATIONS)} mutations and {len(sources)} source files -> {out}")
    return index


# --------------------------------------------------------------------------- compare

def _under(at, target_at):
    """True when ``at`` is the mutated object or inside it (or its play, for play mutations)."""
    return at == target_at or at.startswith(target_at + ".") or at.startswith(target_at + "[")


def compare(out, show, only=None):
    sys.path.insert(0, HERE)
    sys.path.insert(0, os.path.join(ROOT, "tests", "differential"))
    import runtime_oracle as R
    from runtime_compare import _pattern, compare_file

    R.setup()
    with open(os.path.join(out, "index.jsonl"), encoding="utf-8") as fh:
        index = [json.loads(line) for line in fh if line.strip()]
    if only:
        index = [m for m in index if only in m["mutation"]]
    results = []
    oracle_out = open(os.path.join(out, "oracle.jsonl"), "w", encoding="utf-8")
    for m in index:
        path = os.path.join(out, m["path"])
        try:
            o = R.process_file(path, m["kind"], display_path=m["path"]).as_dict()
        except Exception as ex:
            o = {"path": m["path"], "kind": m["kind"], "status": "oracle_error", "oracle_error": repr(ex)}
        oracle_out.write(json.dumps(o, sort_keys=True, default=str) + "\n")
        rec = dict(m, oracle_status=o["status"], oracle=o.get("runtime_errors", []), load_error=o.get("load_error"),
                   env=o.get("env_errors", []))
        if o["status"] == "oracle_error":
            rec["pattern"] = "oracle_error"
            rec["oracle_error"] = o["oracle_error"]
            results.append(rec)
            continue
        try:
            c = compare_file(o, path)
        except Exception as ex:  # shep crashed
            rec["pattern"] = "shep_crash"
            rec["shep_crash"] = f"{type(ex).__name__}: {ex}"
            results.append(rec)
            continue
        at = m["at"]
        fe = [e for e in c.false_errors]
        mi = [e for e in c.misses]
        eo = [e for e in c.env_only]
        here_fe = [e for e in fe if _under(e["at"], at) or e["at"] == ""]
        here_mi = [e for e in mi if _under(e.get("placed_at", e.get("at", "")), at) or e.get("placed_at") == ""]
        rec.update(false_errors=fe, misses=mi, env_only=eo, matched=c.matched)
        if here_fe and here_mi:
            rec["pattern"] = "c_different_objects"
        elif here_fe:
            rec["pattern"] = "a_false_error"
        elif here_mi:
            rec["pattern"] = "b_miss"
        elif eo and any(_under(e["at"], at) for e in eo):
            rec["pattern"] = "env_only"
        elif fe or mi:
            rec["pattern"] = "elsewhere"
        else:
            rec["pattern"] = "agree"
        results.append(rec)
    oracle_out.close()
    with open(os.path.join(out, "compare.jsonl"), "w", encoding="utf-8") as fh:
        for r in results:
            fh.write(json.dumps(r, sort_keys=True, default=str) + "\n")

    counts = Counter(r["pattern"] for r in results)
    print(json.dumps(dict(counts), sort_keys=True))
    groups = defaultdict(list)
    for r in results:
        if r["pattern"] in ("agree",):
            continue
        if r["pattern"] in ("a_false_error", "c_different_objects"):
            sig = "; ".join(sorted({f"{e['code']}: {_pattern(e['msg'])}" for e in r["false_errors"]}))
        elif r["pattern"] == "b_miss":
            sig = "; ".join(sorted({f"[{e.get('check')}] {_pattern(e['msg'])}" for e in r["misses"]}))
        elif r["pattern"] == "env_only":
            sig = "; ".join(sorted({f"{e['code']}: {_pattern(e['msg'])}" for e in r["env_only"]}))
        else:
            sig = r.get("oracle_error") or r.get("shep_crash") or ""
        groups[(r["pattern"], r["mutation"])].append((sig, r))
    for (pattern, mutation), rs in sorted(groups.items()):
        if pattern == "elsewhere":
            continue
        sigs = Counter(s for s, _ in rs)
        total = sum(1 for r in results if r["mutation"] == mutation)
        print(f"\n[{pattern}] {mutation}: {len(rs)}/{total}")
        for sig, n in sigs.most_common(3):
            print(f"    {n:3d}  {sig[:220]}")
        for _, r in rs[:show]:
            print(f"    e.g. {r['path']} at {r['at']}")
    n_else = counts.get("elsewhere", 0)
    if n_else:
        print(f"\n{n_else} mutants disagree only on objects other than the mutated one (see compare.jsonl)")
    return results


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--corpus", default=DEFAULT_CORPUS)
    g.add_argument("--out", default=DEFAULT_OUT)
    g.add_argument("--per", type=int, default=3, help="mutants per mutation and file kind")
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--max-tasks", type=int, default=25, help="skip source files with more tasks than this")
    c = sub.add_parser("compare")
    c.add_argument("--out", default=DEFAULT_OUT)
    c.add_argument("--show", type=int, default=1)
    c.add_argument("--only", help="only mutations whose name contains this")
    opts = ap.parse_args(argv)
    if opts.cmd == "generate":
        generate(opts.corpus, opts.out, opts.per, opts.seed, opts.max_tasks)
    else:
        compare(opts.out, opts.show, opts.only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
