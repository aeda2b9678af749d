"""docs/diagnostics.md is generated (scripts/gen_docs.py) and fresh, and lists every code."""

from __future__ import annotations

from shep.diagnostics import RULES
from tests.conftest import REPO, load_script


def test_diagnostics_doc_is_fresh() -> None:
    text = (REPO / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    assert text == load_script("gen_docs").render(), "docs/diagnostics.md is stale: run `python scripts/gen_docs.py`"


def test_every_code_is_documented() -> None:
    text = (REPO / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    for rule in RULES.values():
        assert f"### {rule.code} {rule.name}\n\n**{rule.severity}**: {rule.summary}" in text
    assert text.count("```yaml") >= 2 * sum(code.startswith("V") for code in RULES)
