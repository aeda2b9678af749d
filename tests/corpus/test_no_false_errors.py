"""Validation on the shared corpus (../shared/corpus) against what ansible-core 2.19 did with it.

* A file ansible-core loads without error gets no error-severity diagnostic from shep. (shep also
  reports some run-time failures statically, e.g. V004 and V014; none occurs in this corpus.)
* Every problem ansible-core reported (oracle.jsonl task errors and rejected keys,
  oracle_files.jsonl load errors and structure problems, oracle_jinja.jsonl templates and conditionals
  its Jinja cannot parse) is an error in shep at that task (at that line, for Jinja).

Skipped, with the reason, when the corpus is absent (a user's fresh clone).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from shep.api import read_document
from shep.diagnostics import Diagnostic, Severity, Span
from shep.model import Model, Play, Playbook, Task
from shep.model.build import build
from shep.validate import validate_model

pytestmark = pytest.mark.corpus

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def _corpus() -> Path:
    if not (CORPUS / "manifest.jsonl").is_file():
        pytest.skip(f"shared corpus not found at {CORPUS} (it sits next to the repository in CI)")
    return CORPUS


def _jsonl(name: str) -> list[dict[str, Any]]:
    with (_corpus() / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@cache
def _validated() -> dict[tuple[str, str], tuple[Model, tuple[Diagnostic, ...]]]:
    results = {}
    for entry in _jsonl("manifest.jsonl"):
        document = read_document(_corpus() / entry["repo"] / entry["path"])
        model = build(document, entry["kind"])
        results[entry["repo"], entry["path"]] = (model, validate_model(model, document=document))
    return results


def _rejected_files() -> set[tuple[str, str]]:
    """Files ansible-core rejects somewhere (oracle_files.jsonl, oracle.jsonl)."""
    rejected = {(f["repo"], f["path"]) for f in _jsonl("oracle_files.jsonl") if f["load_error"] or f["structure"]}
    rejected |= {(t["repo"], t["path"]) for t in _jsonl("oracle.jsonl") if t["error"] or t.get("attr_errors")}
    rejected |= {(f["repo"], f["path"]) for f in _jsonl("oracle_jinja.jsonl")}
    return rejected


@pytest.mark.slow
def test_no_error_on_files_ansible_accepts() -> None:
    rejected = _rejected_files()
    false_errors = [
        f"{repo}/{path}:{d.line}:{d.col}: {d.code} {d.message}"
        for (repo, path), (_model, diagnostics) in _validated().items() if (repo, path) not in rejected
        for d in diagnostics if d.severity is Severity.ERROR
    ]
    assert false_errors == []


def test_summary_of_the_corpus_run() -> None:
    """Pins what the corpus yields today (all of it reviewed): duplicate keys, role-handler notes, 22 V033
    warnings on community.general's test targets naming modules of their library/ directories (cmd_echo,
    msimple, mstate…), which shep does not read (and the corpus does not hold), the one conditional
    ansible-core 2.19's Jinja rejects (oracle_jinja.jsonl) and two filter and test names of local plugins
    (tests/integration/targets/callback/filter_plugins, test-plugin/test_plugins)."""
    counts = Counter((d.code, str(d.severity)) for _m, diagnostics in _validated().values() for d in diagnostics)
    assert len(_validated()) == 862
    assert [key for key in counts if key[1] == "error"] == [("V034", "error")]
    assert counts["V034", "error"] == sum(len(f["failures"]) for f in _jsonl("oracle_jinja.jsonl"))
    assert set(counts) <= {("Y003", "warning"), ("V003", "info"), ("V033", "warning"), ("V034", "error"),
                           ("V035", "warning"), ("V036", "warning")}
    assert counts[("V033", "warning")] == 22
    assert (counts["V035", "warning"], counts["V036", "warning"]) == (1, 1)


def _objects(model: Model) -> Iterator[Task | Play]:
    if isinstance(model, Playbook):
        for play in model.plays:
            yield play
            for _name, section in play.sections():
                for top in section:
                    yield from top.walk()
    else:
        for top in model.tasks:
            yield from top.walk()


def _inside(span: Span, outer: Span) -> bool:
    return (outer.line, outer.col) <= (span.line, span.col) <= (outer.end_line, outer.end_col)


def _errors_at(repo: str, path: str, where: str | None) -> list[Diagnostic]:
    model, diagnostics = _validated()[repo, path]
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    target = next((o for o in _objects(model) if o.doc_path == where), None) if where else None
    return [d for d in errors if target is None or _inside(d.span, target.span)]


def test_every_jinja_failure_is_a_jinja_error_at_its_line() -> None:
    """oracle_jinja.jsonl (ansible-core's Jinja on every templated string and conditional): each failure is
    a V034 error at the string's line plus Jinja's line in it, and V034 reports nothing else."""
    expected = {(f["repo"], f["path"], failure["line"] + failure["jinja_line"] - 1)
                for f in _jsonl("oracle_jinja.jsonl") for failure in f["failures"]}
    found = {(repo, path, d.line) for (repo, path), (_model, diagnostics) in _validated().items()
             for d in diagnostics if d.code == "V034"}
    assert found == expected


def test_every_ansible_error_is_an_error_in_shep() -> None:
    missed = []
    for task in _jsonl("oracle.jsonl"):
        if (task["error"] or task.get("attr_errors")) and not _errors_at(task["repo"], task["path"], task["task_path"]):
            missed.append((task["path"], task["task_path"], task["error"] or task["attr_errors"]))
    for record in _jsonl("oracle_files.jsonl"):
        if record["load_error"] and not _errors_at(record["repo"], record["path"], None):
            missed.append((record["path"], None, record["load_error"]))
        for problem in record["structure"]:
            if not _errors_at(record["repo"], record["path"], problem["at"]):
                missed.append((record["path"], problem["at"], problem["msg"]))
    assert missed == []
