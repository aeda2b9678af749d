"""FlatBuffers vs stdlib JSON for the same models: encode/decode throughput and size.

    python bench/bench_fbs.py [PATH ...] [--runs N]      (default: every file of ../shared/corpus)

``bench_fbs(models_or_paths)`` is what bench/bench.py calls; it returns the numbers and a Markdown
table. Both sides start from the same in-memory models:

- fbs encode: ``to_flatbuffers(model)``; fbs decode: ``from_flatbuffers(data)``, which checks the
  buffer and rebuilds the full typed model (Task/Play records, Unsafe, Vault, dates…);
- json encode: ``json.dumps(model_to_dict(model))``; json decode: ``json.loads(text)``, which gives
  plain dicts and lists (there is no JSON → model reader), so it does less work than fbs decode.

MB/s counts the encoded bytes of each format; tasks/s counts tasks and blocks of all files.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from _timing import median_time  # noqa: E402  (after the sys.path lines: runnable from a checkout)
from shep.model import Model, Playbook, TaskFile  # noqa: E402


def _models(items: Sequence[Model | str | os.PathLike[str]]) -> list[Model]:
    from shep.api import load

    return [item if isinstance(item, (Playbook, TaskFile)) else load(item) for item in items]


def _task_count(model: Model) -> int:
    return len(model.tasks() if isinstance(model, Playbook) else model.all_tasks())


def bench_fbs(items: Sequence[Model | str | os.PathLike[str]], runs: int = 3) -> dict[str, Any]:
    """Time fbs and JSON encode/decode over models (or files, loaded first, kind detected)."""
    from shep.serialize.fbs import from_flatbuffers, to_flatbuffers
    from shep.serialize.json import model_to_dict

    models = _models(items)
    tasks = sum(_task_count(m) for m in models)
    buffers = [to_flatbuffers(m) for m in models]
    texts = [json.dumps(model_to_dict(m), ensure_ascii=False) for m in models]
    fbs_bytes = sum(map(len, buffers))
    json_bytes = sum(len(t.encode("utf-8", "surrogatepass")) for t in texts)
    timings = {
        "fbs encode": (median_time(lambda: [to_flatbuffers(m) for m in models], runs), fbs_bytes),
        "fbs decode": (median_time(lambda: [from_flatbuffers(b) for b in buffers], runs), fbs_bytes),
        "json encode": (median_time(lambda: [json.dumps(model_to_dict(m), ensure_ascii=False) for m in models], runs),
                        json_bytes),
        "json decode": (median_time(lambda: [json.loads(t) for t in texts], runs), json_bytes),
    }
    rows = {name: {"seconds": s, "tasks_per_s": tasks / s, "mb_per_s": size / s / 1e6}
            for name, (s, size) in timings.items()}
    table = [
        f"{len(models)} files, {tasks} tasks and blocks; .shep {fbs_bytes / 1e6:.2f} MB, "
        f"JSON {json_bytes / 1e6:.2f} MB (compact); median of {runs} runs.",
        "",
        "| what | median s | tasks/s | MB/s |",
        "|---|---:|---:|---:|",
        *(f"| {name} | {r['seconds']:.3f} | {r['tasks_per_s']:,.0f} | {r['mb_per_s']:.1f} |" for name, r in rows.items()),
        "",
        "fbs decode checks every offset and rebuilds typed model objects; json decode yields plain dicts.",
    ]
    return {"files": len(models), "tasks": tasks, "fbs_bytes": fbs_bytes, "json_bytes": json_bytes,
            "runs": runs, "rows": rows, "table": table}


def _corpus_paths() -> list[str]:
    manifest = CORPUS / "manifest.jsonl"
    if not manifest.is_file():
        raise SystemExit(f"bench_fbs: no corpus at {CORPUS}; give files to measure")
    return [str(CORPUS / e["repo"] / e["path"]) for e in map(json.loads, manifest.open(encoding="utf-8"))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="YAML files (default: the shared corpus)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    result = bench_fbs(args.paths or _corpus_paths(), runs=args.runs)
    print("\n".join(result["table"]))


if __name__ == "__main__":
    main()
