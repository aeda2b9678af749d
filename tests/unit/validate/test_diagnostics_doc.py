"""docs/diagnostics.md is generated (scripts/gen_docs.py) and fresh, and lists every code."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from shep.diagnostics import RULES

REPO = Path(__file__).resolve().parents[3]


def _gen_docs() -> Any:
    spec = importlib.util.spec_from_file_location("gen_docs", REPO / "scripts" / "gen_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_diagnostics_doc_is_fresh() -> None:
    text = (REPO / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    assert text == _gen_docs().render(), "docs/diagnostics.md is stale: run `python scripts/gen_docs.py`"


def test_every_code_is_documented() -> None:
    text = (REPO / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    for rule in RULES.values():
        assert f"### {rule.code} {rule.name}\n\n**{rule.severity}**: {rule.summary}" in text
    assert text.count("```yaml") >= 2 * sum(code.startswith("V") for code in RULES)
