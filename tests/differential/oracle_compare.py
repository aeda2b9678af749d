"""Compare shep with ansible-core's results recorded in ../shared/corpus/oracle.jsonl, task by task.

Used by test_oracle.py and runnable alone: ``python tests/differential/oracle_compare.py [CORPUS]``.
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

FIELDS = ("action", "args", "delegate_to", "error")
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
            yield json.loads(line)


def shep_records(corpus: Path, entry: dict[str, Any]) -> dict[str, dict[str, Any]]:
    model = load(corpus / entry["repo"] / entry["path"], entry["kind"])
    return {r["task_path"]: r for r in iter_task_records(model)}


def differences(corpus: Path) -> tuple[int, list[str]]:
    """(number of oracle tasks compared, one line per disagreeing field)."""
    expected: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in read_jsonl(corpus / "oracle.jsonl"):
        expected.setdefault((row["repo"], row["path"]), []).append(row)
    total, problems = 0, []
    for entry in read_jsonl(corpus / "manifest.jsonl"):
        ours = shep_records(corpus, entry)
        rows = expected.get((entry["repo"], entry["path"]), [])
        for row in rows:
            total += 1
            where = f"{entry['repo']}/{entry['path']}:{row['task_path']}"
            mine = ours.get(row["task_path"])
            if mine is None:
                problems.append(f"{where}: task missing in shep")
                continue
            for name in FIELDS:
                want, got = row[name], _oracle_form(mine[name])
                if name == "error":
                    want, got = want is not None, got is not None
                if want != got:
                    problems.append(f"{where}: {name}: ansible={want!r} shep={got!r}")
            if (row["line"], row["col"]) != (mine["line"], mine["col"]) and row["line"] is not None:
                problems.append(f"{where}: position: ansible={row['line']}:{row['col']} "
                                f"shep={mine['line']}:{mine['col']}")
        extra = set(ours) - {r["task_path"] for r in rows}
        problems.extend(f"{entry['repo']}/{entry['path']}:{p}: task only in shep" for p in sorted(extra))
    return total, problems


if __name__ == "__main__":
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CORPUS
    total, problems = differences(corpus)
    for line in problems[:50]:
        print(line)
    print(f"{total} oracle tasks, {len(problems)} differences")
