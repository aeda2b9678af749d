"""shep against ansible-core's run-time verdicts (tests/oracle/runtime_oracle.py).

(a) ``oracle``: regenerating the oracle on fixtures/runtime_cases gives expected.jsonl
    (skipped, with the reason, when ansible-core is not installed).
(b) every case, task by task: each shep error sits at a task/play where ansible-core raises a
    run-time error, and each ansible-core run-time error has a shep error at its task/play
    (runtime_compare.compare_file; no tolerance).
(c) ``corpus``: shep reports no error on a corpus file where oracle_runtime.jsonl has neither a
    run-time error nor a load error (skipped, with the reason, when ../shared is absent).
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "fixtures" / "runtime_cases"
CORPUS = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from runtime_compare import compare_file  # noqa: E402

# Cases where shep and ansible-core disagree today. Fix shep, then remove the entry:
# strict xfail fails the run as soon as a case starts to agree.
KNOWN_DISAGREEMENTS: dict[str, str] = {}


def _expected() -> list[dict[str, Any]]:
    with (CASES / "expected.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


EXPECTED = _expected()


def test_expected_covers_every_case() -> None:
    on_disk = sorted(str(p.relative_to(CASES)).replace("\\", "/") for p in CASES.rglob("*.yml"))
    assert [e["case"] for e in EXPECTED] == on_disk
    assert set(KNOWN_DISAGREEMENTS) <= set(on_disk)


@pytest.mark.oracle
def test_oracle_regenerates_expected() -> None:
    if importlib.util.find_spec("ansible") is None:
        pytest.skip("ansible-core is not installed (the `oracle` extra)")
    sys.path.insert(0, str(ROOT / "tests" / "oracle"))
    import gen_runtime_cases

    regenerated = [json.loads(line) for line in gen_runtime_cases.generate(str(CASES))]
    assert regenerated == EXPECTED


def _case_params() -> list[Any]:
    params = []
    for entry in EXPECTED:
        marks = []
        if entry["case"] in KNOWN_DISAGREEMENTS:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_DISAGREEMENTS[entry["case"]]))
        params.append(pytest.param(entry, id=entry["case"], marks=marks))
    return params


@pytest.mark.parametrize("entry", _case_params())
def test_shep_matches_ansible_task_by_task(entry: dict[str, Any]) -> None:
    cmp = compare_file(entry, str(CASES / entry["case"]))
    assert not cmp.false_errors, f"shep errors where ansible-core has none: {cmp.false_errors}"
    assert not cmp.misses, f"ansible-core errors shep does not report: {cmp.misses}"
    assert not cmp.env_only, f"shep errors where ansible-core has environment-dependent errors only: {cmp.env_only}"


def test_cases_have_both_verdicts() -> None:
    """The fixture set keeps error cases and must-not-error cases."""
    statuses = {e["status"] for e in EXPECTED}
    assert {"ok", "runtime_error"} <= statuses
    assert sum(e["n_templated_skipped"] for e in EXPECTED) > 0
    assert sum(e["n_var_dependent"] for e in EXPECTED) > 0
    assert any(e["env_errors"] for e in EXPECTED)


@pytest.mark.corpus
def test_no_shep_error_where_ansible_runs_the_corpus() -> None:
    if not (CORPUS / "oracle_runtime.jsonl").is_file():
        pytest.skip(f"shared corpus not found at {CORPUS} (it sits next to the repository in CI)")
    from shep.api import load
    from shep.diagnostics import Severity
    from shep.validate import validate_model

    with (CORPUS / "oracle_runtime.jsonl").open(encoding="utf-8") as handle:
        verdicts = [json.loads(line) for line in handle if line.strip()]
    # The run-time oracle never templates (n_templated_skipped): a template or conditional ansible-core's
    # Jinja cannot parse fails the task all the same; oracle_jinja.jsonl lists those (tests/corpus).
    with (CORPUS / "oracle_jinja.jsonl").open(encoding="utf-8") as handle:
        jinja_failures = {(entry["repo"], entry["path"]) for entry in map(json.loads, handle)}
    clean = [v for v in verdicts if not v["runtime_errors"] and not v["load_error"]
             and (v["repo"], v["path"]) not in jinja_failures]
    assert clean
    wrong = []
    for v in clean:
        model = load(CORPUS / v["repo"] / v["path"], v["kind"])
        errors = [d for d in validate_model(model) if d.severity >= Severity.ERROR]
        if errors:
            found = "; ".join(f"{d.line}:{d.col} {d.code} {d.message}" for d in errors)
            wrong.append(f"{v['repo']}/{v['path']}: {found}")
    assert not wrong, "\n".join(wrong[:20])
