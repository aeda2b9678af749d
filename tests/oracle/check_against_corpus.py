#!/usr/bin/env python
"""Check tests/oracle/ansible_oracle.py against the shared corpus ground truth.

    python tests/oracle/check_against_corpus.py [--corpus /work/shared/corpus] [--show 10]

For every file in manifest.jsonl, runs the oracle in-process and compares each task
with oracle.jsonl on task_path, line, col, action, args, delegate_to, delegate_to_set,
error (and error_type, warnings, attr_errors, value as extra fields), and each file with
oracle_files.jsonl on the file-level fields. Prints agreement counts and the first
differences; exits 1 when anything differs.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ansible_oracle as oracle  # noqa: E402

TASK_FIELDS = ("task_path", "line", "col", "action", "args", "delegate_to", "delegate_to_set", "error")
EXTRA_TASK_FIELDS = ("error_type", "value", "warnings", "attr_errors",
                     "v_action", "v_resolved", "v_error", "v_error_type", "v_attr_errors")
FILE_FIELDS = ("load_error", "load_error_type", "load_warnings", "structure", "n_plays", "n_import_playbook",
               "n_tasks", "n_blocks", "null_items_skipped", "vault_values", "unsafe_values")


def _norm_structure(v):
    # corpus entries carry {at, msg, detail}; we compare (at, msg)
    return [{"at": s.get("at"), "msg": s.get("msg")} for s in (v or [])]


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.environ.get("SHEP_CORPUS", "/work/shared/corpus"))
    ap.add_argument("--show", type=int, default=10, help="how many differences to print")
    opts = ap.parse_args(argv)
    oracle.CAPTURE.install()

    def jl(name):
        with open(os.path.join(opts.corpus, name), encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]

    manifest = jl("manifest.jsonl")
    want_tasks = {}
    for t in jl("oracle.jsonl"):
        want_tasks.setdefault((t["repo"], t["path"]), []).append(t)
    want_files = {(f["repo"], f["path"]): f for f in jl("oracle_files.jsonl")}

    n_tasks = ok_tasks = ok_tasks_extra = 0
    n_files = ok_files = 0
    diffs = []
    for m in manifest:
        key = (m["repo"], m["path"])
        res = oracle.process_file(os.path.join(opts.corpus, m["repo"], m["path"]), m["kind"], display_path=m["path"],
                                   validate=True)
        got = res.tasks
        want = want_tasks.get(key, [])
        n_tasks += len(want)
        if len(got) != len(want):
            diffs.append((key, "task count", len(want), len(got)))
        got_by_path = {g["task_path"]: g for g in got}
        for w in want:
            g = got_by_path.get(w["task_path"])
            if g is None:
                diffs.append((key, w["task_path"], "missing", None))
                continue
            bad = [f for f in TASK_FIELDS if w.get(f) != g.get(f)]
            if bad:
                diffs.append((key, w["task_path"], {f: w.get(f) for f in bad}, {f: g.get(f) for f in bad}))
            else:
                ok_tasks += 1
                if all(w.get(f) == g.get(f) for f in EXTRA_TASK_FIELDS):
                    ok_tasks_extra += 1
                else:
                    bad = [f for f in EXTRA_TASK_FIELDS if w.get(f) != g.get(f)]
                    diffs.append((key, w["task_path"], {f: w.get(f) for f in bad}, {f: g.get(f) for f in bad}))
        n_files += 1
        wf = want_files.get(key)
        gf = res.file_record()
        if wf is None:
            diffs.append((key, "file", "missing in oracle_files", None))
            continue
        bad = []
        for f in FILE_FIELDS:
            a, b = wf.get(f), gf.get(f)
            if f == "structure":
                a, b = _norm_structure(a), _norm_structure(b)
            if a != b:
                bad.append(f)
        if bad:
            diffs.append((key, "file", {f: wf.get(f) for f in bad}, {f: gf.get(f) for f in bad}))
        else:
            ok_files += 1

    print(f"tasks: {ok_tasks}/{n_tasks} agree on {', '.join(TASK_FIELDS)}")
    print(f"tasks: {ok_tasks_extra}/{n_tasks} also agree on {', '.join(EXTRA_TASK_FIELDS)}")
    print(f"files: {ok_files}/{n_files} agree on {', '.join(FILE_FIELDS)}")
    for d in diffs[: opts.show]:
        print("DIFF", json.dumps(d, default=str)[:2000])
    if len(diffs) > opts.show:
        print(f"... {len(diffs) - opts.show} more differences")
    return 0 if not diffs else 1


if __name__ == "__main__":
    sys.exit(main())
