"""Shared test helpers: where the shared corpus is, and a skip when it is absent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.differential.oracle_compare import read_jsonl

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
FIXTURES = REPO / "fixtures"


def corpus_or_skip() -> Path:
    if not (CORPUS / "manifest.jsonl").is_file():
        pytest.skip(f"shared corpus not found at {CORPUS} (present in CI, absent in a user's fresh clone)")
    return CORPUS


@pytest.fixture(scope="session")
def corpus() -> Path:
    return corpus_or_skip()


@pytest.fixture(scope="session")
def manifest(corpus: Path) -> list[dict[str, Any]]:
    return list(read_jsonl(corpus / "manifest.jsonl"))


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read or write the user's result cache."""
    monkeypatch.setenv("SHEP_CACHE_DIR", str(tmp_path_factory.mktemp("shep-cache")))
