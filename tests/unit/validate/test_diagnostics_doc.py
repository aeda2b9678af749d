"""docs/diagnostics.md is generated (scripts/gen_docs.py) and fresh, and lists every code."""

from __future__ import annotations

import re

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


def _github_slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading: lower case, punctuation but '-' and '_' dropped, spaces to '-'."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_sarif_help_uri_resolves_to_a_heading() -> None:
    """The helpUri of every code points at an anchor GitHub makes for docs/diagnostics.md."""
    from shep.diagnostics import DOCS_URL, RULES, Diagnostic, FileResult, Span, make
    from shep.report import sarif_report

    text = (REPO / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    anchors = {_github_slug(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}
    diagnostics: tuple[Diagnostic, ...] = tuple(make(code, "m", "f.yml", Span(1, 1, 1, 2)) for code in RULES)
    sarif = sarif_report([FileResult(path="f.yml", kind="tasks", verdict="failed", diagnostics=diagnostics)], "0", ".")
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]  # type: ignore[index]
    assert len(rules) == len(RULES)
    for rule in rules:
        page, _, anchor = rule["helpUri"].partition("#")
        assert page == DOCS_URL and page.endswith("docs/diagnostics.md")
        assert anchor in anchors, rule["id"]
