"""Compare shep with ansible-core's recorded results (the corpus oracle.jsonl, or fixtures made by
tests/oracle/ansible_oracle.py), task by task.

Runnable alone: ``python tests/differential/oracle_compare.py [CORPUS]``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from shep.api import load
from shep.serialize.json import iter_task_records

DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def _oracle_form(value: Any) -> Any:
    """shep's JSON forms → the oracle's (vault digests; unsafe strings are plain strings there)."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_vault"}:
            return {"__vault__": hashlib.sha1(value["__ansible_vault"].encode()).hexdigest()[:12]}
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return {k: _oracle_form(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_oracle_form(v) for v in value]
    return value


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def shep_records(path: Path, kind: str) -> dict[str, dict[str, Any]]:
    return {r["task_path"]: r for r in iter_task_records(load(path, kind))}


def compare(row: dict[str, Any], mine: dict[str, Any]) -> list[str]:
    """Disagreements between one oracle row and shep's record of the same task."""
    problems = []
    failed = row["error"] is not None or row.get("error_type") is not None
    if failed != (mine["error"] is not None or mine["error_type"] is not None):
        problems.append(f"error: ansible={row['error'] or row.get('error_type')!r} shep={mine['error']!r}")
    elif row.get("error_type") == "not_a_dict" and (row["error"], "not_a_dict") != (mine["error"], mine["error_type"]):
        problems.append(f"malformed item: ansible={row['error']!r} shep={mine['error']!r} ({mine['error_type']})")
    elif (row.get("error_type") or "").startswith("Ansible") and row["error"] != mine["error"]:
        # ansible's own messages must match; its crashes (IndexError…) are only errors.
        if not row["error"].startswith("unexpected parameter type"):  # names ansible's tagged classes
            problems.append(f"error text: ansible={row['error']!r} shep={mine['error']!r}")
    fields = ("action", "delegate_to") if failed else ("action", "args", "delegate_to")
    for name in fields:
        if row[name] != _oracle_form(mine[name]):
            problems.append(f"{name}: ansible={row[name]!r} shep={_oracle_form(mine[name])!r}")
    if row["line"] is not None and (row["line"], row["col"]) != (mine["line"], mine["col"]):
        problems.append(f"position: ansible={row['line']}:{row['col']} shep={mine['line']}:{mine['col']}")
    return problems


def compare_file(path: Path, kind: str, rows: list[dict[str, Any]], label: str) -> list[str]:
    ours = shep_records(path, kind)
    problems = []
    for row in rows:
        mine = ours.get(row["task_path"])
        where = f"{label}:{row['task_path']}"
        if mine is None:
            problems.append(f"{where}: task missing in shep")
            continue
        problems.extend(f"{where}: {p}" for p in compare(row, mine))
    extra = set(ours) - {r["task_path"] for r in rows}
    problems.extend(f"{label}:{p}: task only in shep" for p in sorted(extra))
    return problems


def differences(corpus: Path) -> tuple[int, list[str]]:
    """(number of oracle tasks compared, one line per disagreement) over the whole corpus."""
    expected: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in read_jsonl(corpus / "oracle.jsonl"):
        expected.setdefault((row["repo"], row["path"]), []).append(row)
    total, problems = 0, []
    for entry in read_jsonl(corpus / "manifest.jsonl"):
        rows = expected.get((entry["repo"], entry["path"]), [])
        total += len(rows)
        label = f"{entry['repo']}/{entry['path']}"
        problems.extend(compare_file(corpus / entry["repo"] / entry["path"], entry["kind"], rows, label))
    return total, problems


if __name__ == "__main__":
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CORPUS
    total, problems = differences(corpus)
    for line in problems[:50]:
        print(line)
    print(f"{total} oracle tasks, {len(problems)} differences")
