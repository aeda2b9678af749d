"""Shared test helpers: where the shared corpus is (and a skip when it is absent), scripts as modules."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.differential.oracle_compare import read_jsonl

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
FIXTURES = REPO / "fixtures"


def load_script(name: str) -> ModuleType:
    """``scripts/<name>.py`` as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
    """Tests never read or write the user's result cache, and see no installed collection: an empty
    collection path, no ``sys.path`` scan (a test that wants collections sets its own)."""
    monkeypatch.setenv("SHEP_CACHE_DIR", str(tmp_path_factory.mktemp("shep-cache")))
    monkeypatch.setenv("ANSIBLE_COLLECTIONS_PATH", str(tmp_path_factory.mktemp("no-collections")))
    monkeypatch.setenv("ANSIBLE_COLLECTIONS_SCAN_SYS_PATH", "false")
