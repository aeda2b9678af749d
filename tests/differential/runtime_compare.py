"""Compare shep's error diagnostics with ansible-core's run-time verdicts (tests/oracle/runtime_oracle.py).

Importable (tests/differential/test_runtime_oracle.py) and runnable::

    python tests/differential/runtime_compare.py --oracle FILE.jsonl --root DIR [--json]

For every oracle line (one file), shep validates ``root/path`` with the oracle's kind and
each of its error-severity diagnostics is placed at the innermost play/block/task whose span
holds the diagnostic's position (``""`` = the file itself). An oracle error is placed at its
``at`` path when shep's model has that object, else at the innermost object holding its line.

* **false error**: a shep error at an object where ansible-core has no runtime error and no
  load error. (When shep's error sits where ansible-core has only an environment-dependent
  error, e.g. an uninstalled collection module, it is listed as ``env_only`` instead.)
* **miss**: an ansible-core runtime error (or a load error) with no shep error at its object.

Nothing is loosened: the object must be the same; messages need not be.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from shep.api import load, read_document
from shep.diagnostics import Severity
from shep.model import Playbook
from shep.validate import check_document


@dataclass
class FileComparison:
    path: str
    kind: str
    false_errors: list[dict[str, Any]] = field(default_factory=list)  # shep errors ansible-core does not raise
    env_only: list[dict[str, Any]] = field(default_factory=list)  # shep errors where ansible has env errors only
    misses: list[dict[str, Any]] = field(default_factory=list)  # ansible-core errors shep does not report
    matched: int = 0

    @property
    def agrees(self) -> bool:
        return not self.false_errors and not self.misses


def _objects(model: Any) -> list[tuple[str, tuple[int, int, int, int]]]:
    """(doc_path, span) of every play, block and task of a shep model."""
    out: list[tuple[str, tuple[int, int, int, int]]] = []
    if isinstance(model, Playbook):
        for play in model.plays:
            out.append((play.doc_path, tuple(play.span)))
            for _name, tasks in play.sections():
                for top in tasks:
                    out.extend((t.doc_path, tuple(t.span)) for t in top.walk())
    else:
        out.extend((t.doc_path, tuple(t.span)) for t in model.all_tasks())
    return out


def _inside(span: tuple[int, int, int, int], line: int, col: int | None) -> bool:
    if col is None:
        return span[0] <= line <= span[2]
    return (span[0], span[1]) <= (line, col) < (span[2], span[3])


def _innermost(objects: list[tuple[str, tuple[int, int, int, int]]], line: int | None, col: int | None) -> str:
    if line is None:
        return ""
    best = ""
    best_size = None
    for path, span in objects:
        if _inside(span, line, col):
            size = (span[2] - span[0], span[3] - span[1])
            if best_size is None or size <= best_size:
                best, best_size = path, size
    return best


def shep_errors(path: str, kind: str) -> tuple[list[dict[str, Any]], list[tuple[str, tuple[int, int, int, int]]]]:
    """shep's error diagnostics for a file (as ``shep validate`` makes them) and the model's objects."""
    result = check_document(read_document(path), kind)  # type: ignore[arg-type]
    errors = [{"code": d.code, "line": d.line, "col": d.col, "msg": d.message}
              for d in result.diagnostics if d.severity >= Severity.ERROR]
    objects = _objects(load(path, kind))  # type: ignore[arg-type]
    return errors, objects


def compare_file(oracle: dict[str, Any], path: str,
                 shep: tuple[list[dict[str, Any]], list[tuple[str, tuple[int, int, int, int]]]] | None = None
                 ) -> FileComparison:
    """Task-by-task comparison of one oracle line with shep's verdict on ``path``."""
    errors, objects = shep if shep is not None else shep_errors(path, oracle["kind"])
    known = {p for p, _ in objects}
    cmp = FileComparison(path=oracle["path"], kind=oracle["kind"])

    def place(err: dict[str, Any]) -> str:
        at = str(err.get("at") or "")
        if at in known or at == "":
            return at
        if err.get("line") is not None:
            return _innermost(objects, err.get("line"), err.get("col"))
        while "." in at:  # e.g. plays[0].roles[1]: shep has no object for a role entry
            at = at.rsplit(".", 1)[0]
            if at in known:
                return at
        return ""

    shep_at: dict[str, list[dict[str, Any]]] = {}
    for e in errors:
        shep_at.setdefault(_innermost(objects, e["line"], e["col"]), []).append(e)
    if oracle.get("load_error"):
        # ansible-core cannot load the file at all: any shep error agrees; none is a miss
        if errors:
            cmp.matched += 1
        else:
            cmp.misses.append({"at": "", "msg": oracle["load_error"], "line": None, "col": None, "check": "load"})
        return cmp
    ans_at: dict[str, list[dict[str, Any]]] = {}
    for r in oracle.get("runtime_errors", []):
        ans_at.setdefault(place(r), []).append(r)
    env_at: dict[str, list[dict[str, Any]]] = {}
    for r in oracle.get("env_errors", []):
        env_at.setdefault(place(r), []).append(r)
    for at, errs in shep_at.items():
        if at in ans_at:
            cmp.matched += 1
        elif at in env_at:
            cmp.env_only.extend(dict(e, at=at, ansible=[x["msg"] for x in env_at[at]]) for e in errs)
        else:
            cmp.false_errors.extend(dict(e, at=at) for e in errs)
    for at, errs in ans_at.items():
        if at not in shep_at:
            cmp.misses.extend(dict(r, placed_at=at) for r in errs)
    return cmp


def compare_oracle_file(oracle_path: str, root: str) -> list[FileComparison]:
    out = []
    with open(oracle_path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            if rec.get("status") == "oracle_error":
                continue
            out.append(compare_file(rec, os.path.join(root, rec["path"])))
    return out


def _pattern(text: str) -> str:
    """A message with its quoted specifics removed, to count disagreement patterns."""
    import re

    text = text.split("\n")[0]
    text = re.sub(r"'[^']*'", "'…'", text)
    text = re.sub(r'"[^"]*"', '"…"', text)
    text = re.sub(r"\d+", "N", text)
    return text[:160]


def report(comparisons: list[FileComparison], out: Any = sys.stdout, top: int = 15) -> dict[str, int]:
    counts = Counter()
    patterns: Counter[str] = Counter()
    counts["files"] = len(comparisons)
    for c in comparisons:
        if c.agrees:
            counts["files_agree"] += 1
        if c.false_errors:
            counts["files_with_false_errors"] += 1
            counts["false_errors"] += len(c.false_errors)
        if c.misses:
            counts["files_with_misses"] += 1
            counts["misses"] += len(c.misses)
        if c.env_only:
            counts["files_with_env_only"] += 1
            counts["env_only"] += len(c.env_only)
        for e in c.false_errors:
            patterns[f"FALSE ERROR {e['code']}: {_pattern(e['msg'])}"] += 1
        for e in c.misses:
            patterns[f"MISS [{e.get('check')}]: {_pattern(e['msg'])}"] += 1
        for e in c.env_only:
            patterns[f"ENV-ONLY {e['code']}: {_pattern(e['msg'])}"] += 1
    out.write(json.dumps(dict(counts)) + "\n\n")
    out.write(f"== {top} most common disagreement patterns\n")
    for p, n in patterns.most_common(top):
        out.write(f"{n:6d}  {p}\n")
    out.write("\n== files where shep has an error and ansible-core has none (false errors)\n")
    for c in comparisons:
        if c.false_errors:
            out.write(f"{c.path} [{c.kind}]\n")
            for e in c.false_errors:
                out.write(f"    {e['line']}:{e['col']} {e['code']} at {e['at'] or '<file>'}: {e['msg']}\n")
    out.write("\n== files where ansible-core has a runtime error and shep has none at that task (misses)\n")
    for c in comparisons:
        if c.misses:
            out.write(f"{c.path} [{c.kind}]\n")
            for e in c.misses:
                out.write(f"    {e.get('line')}:{e.get('col')} [{e.get('check')}] at {e.get('at') or '<file>'}: "
                          f"{e['msg'].splitlines()[0] if e['msg'] else e['msg']}\n")
    out.write("\n== shep errors where ansible-core has only environment-dependent errors (env_only)\n")
    for c in comparisons:
        if c.env_only:
            out.write(f"{c.path} [{c.kind}]\n")
            for e in c.env_only:
                out.write(f"    {e['line']}:{e['col']} {e['code']} at {e['at']}: {e['msg']}"
                          f"  | ansible: {e['ansible'][0][:120]}\n")
    return dict(counts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--oracle", required=True, help="runtime_oracle.py output (JSON lines)")
    ap.add_argument("--root", required=True, help="directory the oracle's paths are relative to")
    ap.add_argument("--top", type=int, default=15)
    opts = ap.parse_args(argv)
    counts = report(compare_oracle_file(opts.oracle, opts.root), top=opts.top)
    return 0 if counts.get("false_errors", 0) == 0 and counts.get("misses", 0) == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
