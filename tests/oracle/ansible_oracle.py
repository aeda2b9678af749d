#!/usr/bin/env python
"""Ground-truth oracle: what ansible-core itself makes of every task in a file.

TEST TOOL ONLY: needs ansible-core (the ``oracle`` extra, ansible-core==2.19.14);
shep's runtime code never imports it.

    python tests/oracle/ansible_oracle.py --kind playbook|tasks|handlers FILE...

For every task it prints one JSON line::

    {"path", "kind", "task_path", "line", "col", "action", "args", "delegate_to",
     "delegate_to_set", "error", "error_type", ["value"], ["warnings"], ["attr_errors"]}

and for every file one line::

    {"file": path, "kind", "load_error", "load_error_type", "load_warnings": [{msg, line, col}],
     "structure": [{at, msg}], "n_plays", "n_import_playbook", "n_tasks", "n_blocks",
     "null_items_skipped", "vault_values", "unsafe_values"}

How it works (mirrors ansible/playbook/{helpers,block,play,playbook}.py without
executing Play.load/Block.load, so nothing is imported, templated or resolved):

* the file is loaded with ansible's own ``DataLoader.load_from_file``; Display
  warnings/deprecations are captured with the Origin line/col of their ``obj``;
* top level of a section (task/handler file, play ``pre_tasks``/``tasks``/
  ``post_tasks``/``handlers``): ``None`` items are dropped silently, items with any
  of block/rescue/always are blocks, everything else is a task;
* inside block/rescue/always lists a mapping is a block only if it has ``block``;
* every task mapping goes through ``ModuleArgsParser(ds).parse(skip_action_validation=True)``;
  non-mapping items get ``error_type: "not_a_dict"``, their ``value`` and, as ``error``, the
  message ansible-core stops on ("A malformed block was encountered while loading a block");
* structure messages (file level) re-create the checks Play/Block/PlaybookInclude/
  Task loading would make, with ansible's message texts.
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import math
import os
import sys

# ansible must never be imported from inside its own package dir (stdlib shadowing)
import ansible.constants as C  # noqa: E402
from ansible.module_utils.common.sentinel import Sentinel  # noqa: E402
from ansible.parsing.dataloader import DataLoader  # noqa: E402
from ansible.parsing.mod_args import ModuleArgsParser  # noqa: E402
from ansible.parsing.vault import EncryptedString  # noqa: E402
from ansible.playbook.block import Block  # noqa: E402
from ansible.playbook.handler import Handler  # noqa: E402
from ansible.playbook.play import Play  # noqa: E402
from ansible.playbook.playbook_include import PlaybookInclude  # noqa: E402
from ansible.playbook.task import Task  # noqa: E402
from ansible.plugins.loader import init_plugin_loader, lookup_loader  # noqa: E402
from ansible.utils.display import Display  # noqa: E402

try:
    from ansible._internal._datatag._tags import Origin, TrustedAsTemplate
except ImportError:  # pragma: no cover - other ansible-core layouts
    from ansible.module_utils._internal._datatag import Origin  # type: ignore
    TrustedAsTemplate = None  # type: ignore

PLAY_SECTIONS = ("pre_tasks", "tasks", "post_tasks", "handlers")
BLOCK_SECTIONS = ("block", "rescue", "always")
# helpers.py / block.py messages for a non-mapping item inside each block list
MALFORMED_IN = {
    "block": "A malformed block was encountered while loading a block",
    "rescue": "A malformed block was encountered while loading rescue.",
    "always": "A malformed block was encountered while loading always",
}
MALFORMED_SECTION = "A malformed block was encountered while loading {}."
INVALID_ATTR = "'{}' is not a valid attribute for a {}"


# --------------------------------------------------------------------------- warnings capture

class _Capture:
    """Collects Display.warning / Display.deprecated calls while active."""

    def __init__(self):
        self.events = []  # (kind, msg, obj)

    def install(self):
        cap = self

        def warning(self_, msg, formatted=False, *, help_text=None, obj=None):
            cap.events.append(("warning", str(msg), obj))

        def deprecated(self_, msg, version=None, removed=False, date=None, collection_name=None, *,
                       deprecator=None, help_text=None, obj=None):
            cap.events.append(("deprecated", str(msg), obj))

        def error_as_warning(self_, msg, exception, *, help_text=None, obj=None):
            cap.events.append(("warning", str(msg) if msg else str(exception), obj))

        Display.warning = warning
        Display.deprecated = deprecated
        Display.error_as_warning = error_as_warning
        # plugin loader (collection finder) is needed for with_<lookup> checks and --validate
        init_plugin_loader()

    def take(self):
        ev, self.events = self.events, []
        return ev


CAPTURE = _Capture()


def origin_of(obj):
    """(line, col) of ansible's Origin tag on obj, or (None, None)."""
    if obj is None:
        return None, None
    try:
        o = Origin.get_tag(obj)
    except Exception:
        o = None
    if o is None and isinstance(obj, Origin):
        o = obj
    if o is None:
        return None, None
    return o.line_num, o.col_num


# --------------------------------------------------------------------------- JSON safety

def _json_key(k):
    k = plain(k)
    if isinstance(k, str):
        return k
    if k is True:
        return "true"
    if k is False:
        return "false"
    if k is None:
        return "null"
    if isinstance(k, (int, float)):
        return json.dumps(k)
    return repr(k)


def plain(v):
    """Convert ansible's tagged/odd values to plain JSON-safe Python values."""
    if v is None or v is True or v is False:
        return v
    if isinstance(v, EncryptedString):
        ct = object.__getattribute__(v, "_ciphertext")
        return {"__vault__": hashlib.sha1(str(ct).encode("utf-8")).hexdigest()[:12]}
    if isinstance(v, str):
        return str(v)
    if isinstance(v, bool):
        return bool(v)
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        f = float(v)
        return f if math.isfinite(f) else repr(f)
    if isinstance(v, dict):
        return {_json_key(k): plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, (datetime.date, datetime.datetime, datetime.time)):
        return v.isoformat()
    if isinstance(v, (set, frozenset)):  # repr() with a stable (sorted) element order
        return "{" + ", ".join(sorted(repr(plain(x)) for x in v)) + "}" if v else repr(set())
    return repr(v)


def count_special(v, acc, seen=None):
    """acc = [vault, unsafe]: counts EncryptedString values and untrusted (``!unsafe``) strings."""
    if seen is None:
        seen = set()
    if isinstance(v, (dict, list)):
        if id(v) in seen:
            return
        seen.add(id(v))
        items = list(v.items()) if isinstance(v, dict) else [(None, x) for x in v]
        for _k, x in items:
            count_special(x, acc, seen)
    elif isinstance(v, EncryptedString):
        acc[0] += 1
    elif isinstance(v, str) and TrustedAsTemplate is not None:
        if not TrustedAsTemplate.is_tagged_on(v):
            acc[1] += 1


# --------------------------------------------------------------------------- the walk

class FileResult:
    def __init__(self, path, kind, validate=False):
        self.validate = validate
        self.path = path
        self.kind = kind
        self.tasks = []
        self.structure = []
        self.n_plays = 0
        self.n_import_playbook = 0
        self.n_blocks = 0
        self.n_tasks = 0
        self.null_items_skipped = 0
        self.load_error = None
        self.load_error_type = None
        self.load_warnings = []
        self.vault_values = 0
        self.unsafe_values = 0

    def problem(self, at, msg, detail=None):
        """msg: ansible's own message; detail: the chained cause ansible appends after ': '."""
        self.structure.append({"at": at, "msg": str(msg), "detail": detail})

    def file_record(self):
        return {
            "file": self.path, "kind": self.kind,
            "load_error": self.load_error, "load_error_type": self.load_error_type,
            "load_warnings": self.load_warnings, "structure": self.structure,
            "n_plays": self.n_plays, "n_import_playbook": self.n_import_playbook,
            "n_tasks": self.n_tasks, "n_blocks": self.n_blocks,
            "null_items_skipped": self.null_items_skipped,
            "vault_values": self.vault_values, "unsafe_values": self.unsafe_values,
        }


def _join(prefix, name):
    return f"{prefix}.{name}" if prefix else name


def _string_field_checks(res, at, ds, cls):
    """Base.validate(): an isa='string' field given a list/dict."""
    for name, attr in cls.fattributes.items():
        if attr.isa == "string" and name in ds and isinstance(ds[name], (list, dict)):
            res.problem(at, "The field '%s' is supposed to be a string type, however the incoming data structure is a %s"
                        % (name, type(ds[name])))


def parse_task(res, ds, task_path, use_handlers):
    res.n_tasks += 1
    line, col = origin_of(ds)
    rec = {"path": res.path, "kind": res.kind, "task_path": task_path, "line": line, "col": col,
           "action": None, "args": None, "delegate_to": None, "delegate_to_set": False,
           "error": None, "error_type": None}
    if not isinstance(ds, dict):
        rec["error_type"] = "not_a_dict"
        # the message ansible-core stops on for this item (the caller just recorded it)
        rec["error"] = next(p["msg"] for p in reversed(res.structure) if p["at"] == task_path)
        rec["value"] = plain(ds)
        res.tasks.append(rec)
        return
    CAPTURE.take()
    try:
        parser = ModuleArgsParser(ds)
        action, args, delegate_to = parser.parse(skip_action_validation=True)
    except Exception as ex:  # AnsibleParserError, AnsibleError, ...
        rec["error"] = str(ex)
        rec["error_type"] = type(ex).__name__
        action = None
    else:
        rec["action"] = plain(action)
        rec["args"] = plain(args)
        rec["delegate_to_set"] = delegate_to is not Sentinel
        rec["delegate_to"] = None if delegate_to is Sentinel else plain(delegate_to)
    warnings = [msg for _kind, msg, _obj in CAPTURE.take()]
    if warnings:
        rec["warnings"] = warnings
    if rec["error"] is None:
        errs, v_errs = task_attr_errors(ds, action, use_handlers)
        if errs:
            rec["attr_errors"] = errs
            for e in errs:
                res.problem(task_path, e)
        if v_errs:
            rec["v_attr_errors"] = v_errs
    if res.validate:
        validate_task(rec, ds)
    CAPTURE.take()
    res.tasks.append(rec)


def validate_task(rec, ds):
    """Second pass (--validate): action validation against the plugins installed here
    (environment-dependent: collection modules are unresolvable without collections)."""
    rec.update(v_action=None, v_resolved=None, v_error=None, v_error_type=None)
    try:
        parser = ModuleArgsParser(ds)
        action, _args, _dt = parser.parse(skip_action_validation=False)
    except Exception as ex:
        rec["v_error"] = str(ex)
        rec["v_error_type"] = type(ex).__name__
    else:
        rec["v_action"] = plain(action)
        rec["v_resolved"] = plain(parser._resolved_action)


def task_attr_errors(ds, action, use_handlers):
    """Emulates Task.preprocess_data + _validate_attributes after a successful parse:
    keys ansible rejects (all of them, ansible stops at the first).
    Returns (attr_errors, v_attr_errors): the second list holds ``with_<lookup>`` keys whose
    lookup plugin is not installed here (environment-dependent)."""
    cls = Handler if use_handlers else Task
    errs = []
    v_errs = []
    loop_set = False
    for k, v in ds.items():
        ks = str(k) if isinstance(k, str) else k
        if ks in ("action", "local_action", "args", "delegate_to") or ks == action or ks == "shell":
            continue
        if isinstance(ks, str) and ks.startswith("with_") and ks[5:] in lookup_loader:
            if loop_set:
                errs.append("duplicate loop in task: %s" % ks[5:])
            elif v is None:
                errs.append("you must specify a value when using %s" % ks)
            loop_set = True
            continue
        if ks == "loop" and v is not None:
            loop_set = True
        if ks not in cls.fattributes:
            msg = INVALID_ATTR.format(ks, cls.__name__)
            (v_errs if isinstance(ks, str) and ks.startswith("with_") else errs).append(msg)
    return errs, v_errs


def walk_block(res, ds, at, use_handlers):
    res.n_blocks += 1
    for k in ds:
        if k not in Block.fattributes:
            res.problem(at, INVALID_ATTR.format(k, "Block"))
    _string_field_checks(res, at, ds, Block)
    for sec in BLOCK_SECTIONS:
        if sec not in ds:
            continue
        items = ds[sec]
        if not isinstance(items, list):
            res.problem(_join(at, sec), MALFORMED_IN[sec],
                        "The ds (%s) should be a list but was a %s" % (items, type(items)))
            continue
        for i, item in enumerate(items):
            ipath = f"{_join(at, sec)}[{i}]"
            if isinstance(item, dict) and "block" in item:
                if use_handlers:
                    res.problem(ipath, "Using a block as a handler is not supported.")
                walk_block(res, item, ipath, use_handlers)
            else:
                if not isinstance(item, dict):
                    res.problem(ipath, MALFORMED_IN[sec],
                                "The ds (%s) should be a dict but was a %s" % (items, type(items)))
                parse_task(res, item, ipath, use_handlers)
    block_list = ds.get("block")
    for sec in ("rescue", "always"):
        if ds.get(sec) and not block_list:
            res.problem(at, "'%s' keyword cannot be used without 'block'" % sec)


def walk_section(res, items, prefix, use_handlers):
    """load_list_of_blocks: top level of a task list."""
    run = []  # consecutive bare tasks: ansible wraps them in one implicit block (a plain list)
    for i, item in enumerate(items):
        ipath = f"{prefix}[{i}]"
        if item is None:
            res.null_items_skipped += 1
            run = []
            continue
        if Block.is_block(item):
            run = []
            walk_block(res, item, ipath, use_handlers)
        else:
            if not run:
                run = [items[j] for j in range(i, len(items))]
                for j, x in enumerate(run):
                    if x is None or Block.is_block(x):
                        run = run[:j]
                        break
            if not isinstance(item, dict):
                res.problem(ipath, MALFORMED_IN["block"],
                            "The ds (%s) should be a dict but was a %s" % (run, type(run)))
            parse_task(res, item, ipath, use_handlers)


def walk_taskfile(res, data, use_handlers):
    if data is None:
        return
    if not isinstance(data, list):
        res.problem("", "included task files must contain a list of tasks")
        return
    walk_section(res, data, "handlers" if use_handlers else "tasks", use_handlers)


def walk_playbook(res, data):
    if data is None:
        res.problem("", "Empty playbook, nothing to do: %s" % res.path)
        return
    if not isinstance(data, list):
        res.problem("", "A playbook must be a list of plays, got a %s instead: %s" % (type(data), res.path))
        return
    if not data:
        res.problem("", "A playbook must contain at least one play: %s" % res.path)
        return
    for i, entry in enumerate(data):
        at = f"plays[{i}]"
        if not isinstance(entry, dict):
            res.problem(at, "playbook entries must be either valid plays or 'import_playbook' statements")
            continue
        if any(a in entry for a in C._ACTION_IMPORT_PLAYBOOK):
            res.n_import_playbook += 1
            keys = {a for a in C._ACTION_IMPORT_PLAYBOOK if a in entry}
            if len(keys) != 1:
                res.problem(at, f'Found conflicting import_playbook actions: {", ".join(sorted(keys))}')
                continue
            for k in entry:
                kk = "import_playbook" if k in keys else k
                if kk not in PlaybookInclude.fattributes:
                    res.problem(at, INVALID_ATTR.format(kk, "PlaybookInclude"))
            continue
        res.n_plays += 1
        keys = list(entry)
        if "user" in entry:
            if "remote_user" in entry:
                res.problem(at, "both 'user' and 'remote_user' are set for this play. "
                                "The use of 'user' is deprecated, and should be removed")
            keys = ["remote_user" if k == "user" else k for k in keys]
        for k in keys:
            if k not in Play.fattributes:
                res.problem(at, INVALID_ATTR.format(k, "Play"))
        _string_field_checks(res, at, entry, Play)
        if "hosts" in entry:
            _check_hosts(res, at, entry["hosts"])
        for sec in PLAY_SECTIONS:
            if sec not in entry or entry[sec] is None:
                continue
            items = entry[sec]
            if not isinstance(items, list):
                res.problem(_join(at, sec), MALFORMED_SECTION.format(sec),
                            "%s should be a list or None but is %s" % (items, type(items)))
                continue
            walk_section(res, items, _join(at, sec), sec == "handlers")


def _check_hosts(res, at, value):
    """Play._validate_hosts"""
    if not value:
        res.problem(at, "Hosts list cannot be empty. Please check your playbook")
    elif isinstance(value, (list, tuple)):
        for entry in value:
            if entry is None:
                res.problem(at, "Hosts list cannot contain values of 'None'. Please check your playbook")
                break
            if not isinstance(entry, (str, bytes)):
                res.problem(at, "Hosts list contains an invalid host value: '{host!s}'".format(host=entry))
                break
    elif not isinstance(value, (str, bytes, EncryptedString)):
        res.problem(at, "Hosts list must be a sequence or string. Please check your playbook.")


def process_file(path, kind, display_path=None, validate=False):
    """Returns a FileResult for one file."""
    res = FileResult(display_path if display_path is not None else path, kind, validate)
    loader = DataLoader()
    CAPTURE.take()
    try:
        data = loader.load_from_file(os.path.abspath(path), cache="none", trusted_as_template=True)
    except Exception as ex:
        res.load_error = str(ex)
        res.load_error_type = type(ex).__name__
        data = None
    for _kind, msg, obj in CAPTURE.take():
        line, col = origin_of(obj)
        res.load_warnings.append({"msg": msg, "line": line, "col": col})
    if res.load_error is not None:
        return res
    acc = [0, 0]
    count_special(data, acc)
    res.vault_values, res.unsafe_values = acc
    if kind == "playbook":
        walk_playbook(res, data)
    elif kind in ("tasks", "handlers"):
        walk_taskfile(res, data, kind == "handlers")
    else:
        raise ValueError(f"unknown kind {kind!r}")
    return res


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kind", required=True, choices=("playbook", "tasks", "handlers"))
    ap.add_argument("--validate", action="store_true",
                    help="add v_action/v_resolved/v_error/v_error_type/v_attr_errors (resolution against the "
                         "plugins installed here; environment-dependent)")
    ap.add_argument("--root", help="report paths relative to this directory (default: as given)")
    ap.add_argument("--case", action="store_true",
                    help='add a "case" field (= reported path) to every line, for fixture files')
    ap.add_argument("--no-file-lines", action="store_true", help="print task lines only")
    ap.add_argument("--files-only", action="store_true", help="print file lines only")
    ap.add_argument("files", nargs="+")
    opts = ap.parse_args(argv)
    CAPTURE.install()
    out = sys.stdout
    for f in opts.files:
        shown = os.path.relpath(f, opts.root) if opts.root else f
        res = process_file(f, opts.kind, display_path=shown, validate=opts.validate)
        lines = [] if opts.files_only else list(res.tasks)
        if not opts.no_file_lines:
            lines.append(res.file_record())
        for rec in lines:
            if opts.case:
                rec = dict(rec, case=shown)
            out.write(json.dumps(rec, sort_keys=True, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
