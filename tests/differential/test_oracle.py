"""shep vs ansible-core 2.19.14 on every task of the shared corpus (oracle.jsonl), task by task."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from oracle_compare import differences  # noqa: E402

from shep.api import guess_kind, read_document  # noqa: E402


@pytest.mark.corpus
def test_every_oracle_task_agrees(corpus: Path) -> None:
    total, problems = differences(corpus)
    agreement = 100.0 * (total - len(problems)) / total
    print(f"\noracle agreement: {total - len(problems)}/{total} tasks ({agreement:.2f}%)")
    assert total > 8000
    assert problems == []


@pytest.mark.corpus
def test_kind_detection_matches_manifest(corpus: Path, manifest: list[dict]) -> None:
    wrong = []
    for entry in manifest:
        document = read_document(corpus / entry["repo"] / entry["path"])
        if guess_kind(document) != entry["kind"]:
            wrong.append((entry["path"], entry["kind"], guess_kind(document)))
    assert wrong == []


CASES = Path(__file__).resolve().parents[2] / "fixtures" / "oracle_cases"


def _case_rows() -> dict[str, list[dict]]:
    from oracle_compare import read_jsonl

    rows: dict[str, list[dict]] = {}
    for row in read_jsonl(CASES / "expected.jsonl"):
        rows.setdefault(row["case"], []).append(row)
    return rows


@pytest.mark.parametrize("case", sorted(_case_rows()))
def test_oracle_fixture_case(case: str) -> None:
    """Fixtures whose expected results ansible-core itself produced (tests/oracle/ansible_oracle.py)."""
    from oracle_compare import compare_file

    rows = _case_rows()[case]
    path = next(CASES.rglob(case))
    assert compare_file(path, rows[0]["kind"], rows, case) == []
