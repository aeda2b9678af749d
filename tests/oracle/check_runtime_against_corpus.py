#!/usr/bin/env python
"""Compare runtime_oracle.py with the corpus' oracle_runtime.jsonl (ansible-core 2.19.14).

    python tests/oracle/check_runtime_against_corpus.py [--corpus DIR] [--show N] [--out FILE]

Prints agreement on load_error, runtime_errors (must be empty everywhere), env_errors
(compared as multisets of (at, check, line, col, msg)), n_templated_skipped and
n_var_dependent, and lists the first disagreements.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import runtime_oracle as R  # noqa: E402

DEFAULT_CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "corpus")
if not os.path.isdir(DEFAULT_CORPUS):
    DEFAULT_CORPUS = "/work/shared/corpus"


def _errs(lst):
    return Counter((e["at"], e["check"], e["line"], e["col"], e["msg"]) for e in lst)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    ap.add_argument("--show", type=int, default=10)
    ap.add_argument("--out", help="also write the regenerated lines to FILE")
    opts = ap.parse_args(argv)
    R.setup()
    with open(os.path.join(opts.corpus, "manifest.jsonl"), encoding="utf-8") as fh:
        manifest = [json.loads(x) for x in fh if x.strip()]
    with open(os.path.join(opts.corpus, "oracle_runtime.jsonl"), encoding="utf-8") as fh:
        expected = {(d["repo"], d["path"]): d for d in map(json.loads, fh) if d}
    out = open(opts.out, "w", encoding="utf-8") if opts.out else None
    agree = Counter()
    diffs = []
    fields = ("load_error", "runtime_errors", "env_errors", "n_templated_skipped", "n_var_dependent", "status")
    for m in manifest:
        path = os.path.join(opts.corpus, m["repo"], m["path"])
        got = R.process_file(path, m["kind"], display_path=m["path"]).as_dict(m["repo"])
        if out:
            out.write(json.dumps(got, sort_keys=True, ensure_ascii=False) + "\n")
        exp = expected.get((m["repo"], m["path"]))
        if exp is None:
            diffs.append((m["repo"], m["path"], "missing from oracle_runtime.jsonl", None, None))
            continue
        agree["files"] += 1
        if not got["runtime_errors"]:
            agree["no_runtime_errors"] += 1
        for f in fields:
            g, e = got[f], exp[f]
            if f in ("runtime_errors", "env_errors"):
                same = _errs(g) == _errs(e)
            else:
                same = g == e
            if same:
                agree[f] += 1
            else:
                diffs.append((m["repo"], m["path"], f, g, e))
    n = agree["files"]
    print(f"files compared: {n}/{len(manifest)}")
    print(f"files with no runtime error (oracle_runtime.jsonl has none anywhere): {agree['no_runtime_errors']}/{n}")
    for f in fields:
        print(f"  {f}: {agree[f]}/{n} agree")
    for d in diffs[: opts.show]:
        print(json.dumps(d, ensure_ascii=False, default=str)[:1500])
    return 0 if not diffs else 1


if __name__ == "__main__":
    sys.exit(main())
