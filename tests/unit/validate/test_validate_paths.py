"""validate_paths: worker processes give the results of one process, in input order."""

from __future__ import annotations

from pathlib import Path

import pytest

import shep.validate as validate
from shep.validate import Options, validate_paths

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def fixture_files() -> list[str]:
    files = sorted(str(p) for p in FIXTURES.rglob("*.yml") if "hostile" not in p.parts)
    assert len(files) >= 20
    return files


def test_a_pool_gives_the_single_process_results_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    files = fixture_files()
    alone = list(validate_paths(files, Options(), jobs=1))
    monkeypatch.setattr(validate, "POOL_MIN_BYTES", 0)
    pooled = list(validate_paths(files, Options(), jobs=2))
    assert [r.path for r in pooled] == files
    assert pooled == alone


def test_small_work_stays_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a pool was started for a few small files")

    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", no_pool)
    files = fixture_files()[:10]
    assert len(list(validate_paths(files, Options(), jobs=2))) == len(files)
    assert validate._worth_a_pool(files) is False
    assert validate._worth_a_pool(files + ["/nonexistent/x.yml"]) is False
