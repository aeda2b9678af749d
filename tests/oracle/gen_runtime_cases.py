#!/usr/bin/env python
"""Regenerate fixtures/runtime_cases/expected.jsonl with runtime_oracle.py.

    python tests/oracle/gen_runtime_cases.py [--check]

Kind of each case by its name: ``handlers/*.yml`` handler files, ``pb_*.yml`` playbooks,
every other ``*.yml`` a task file. One line per file, ``case`` = path relative to
runtime_cases/, sorted by case. ``--check`` compares instead of writing (exit 1 on a difference).
"""
from __future__ import annotations

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "..", "..", "fixtures", "runtime_cases")
sys.path.insert(0, HERE)


def case_kind(rel: str) -> str:
    if rel.startswith("handlers/"):
        return "handlers"
    if os.path.basename(rel).startswith("pb_"):
        return "playbook"
    return "tasks"


def case_files(cases: str = CASES) -> list[str]:
    out = []
    for dirpath, _dirs, files in os.walk(cases):
        for fn in files:
            if fn.endswith(".yml"):
                out.append(os.path.relpath(os.path.join(dirpath, fn), cases).replace(os.sep, "/"))
    return sorted(out)


def generate(cases: str = CASES) -> list[str]:
    import runtime_oracle as R

    R.setup()
    lines = []
    for rel in case_files(cases):
        d = R.process_file(os.path.join(cases, rel), case_kind(rel), display_path=rel).as_dict()
        d["case"] = rel
        lines.append(json.dumps(d, sort_keys=True, ensure_ascii=False) + "\n")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true")
    opts = ap.parse_args(argv)
    lines = generate()
    target = os.path.join(CASES, "expected.jsonl")
    if opts.check:
        with open(target, encoding="utf-8") as fh:
            same = fh.readlines() == lines
        print("expected.jsonl is up to date" if same else "expected.jsonl differs")
        return 0 if same else 1
    with open(target, "w", encoding="utf-8") as fh:
        fh.writelines(lines)
    print(f"wrote {len(lines)} lines to {os.path.relpath(target)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
