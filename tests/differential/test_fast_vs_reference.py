"""The C-parser fast path gives exactly the reference (round-trip parser) result: values, spans, diagnostics."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shep.loader import Document, MapNode, Node, SeqNode, load_text


def shape(node: Node | None) -> Any:
    """Everything a node carries, as a comparable tree (types of values included)."""
    if node is None:
        return None
    if isinstance(node, MapNode):
        return ("map", node.span, [(shape(k), shape(v)) for k, v in node.entries.values()])
    if isinstance(node, SeqNode):
        return ("seq", node.span, [shape(i) for i in node.items])
    return ("scalar", node.span, type(node.value).__name__, repr(node.value))


def summary(document: Document) -> Any:
    return shape(document.root), [d.to_dict() for d in document.diagnostics], document.loadable


@pytest.mark.slow
@pytest.mark.corpus
def test_corpus_fast_equals_reference(corpus: Path, manifest: list[dict]) -> None:
    different = []
    for entry in manifest:
        text = (corpus / entry["repo"] / entry["path"]).read_bytes().decode("utf-8-sig")
        fast, ref = load_text(text, "f.yml"), load_text(text, "f.yml", reference=True)
        if summary(fast) != summary(ref):
            different.append(entry["path"])
    assert different == []


YAML_PIECES = st.sampled_from([
    "a: 1\n", "- x\n", "  - y\n", "b: [1, 2, {c: d}]\n", "? k\n: v\n", "e: &x {f: 1}\n", "g: *x\n",
    "h: |\n  text\n", "i: >\n  folded\n", "'q': \"w\"\n", "j: !unsafe x\n", "k: yes\n", "- {l: m}\n",
    "n:\n  - o\n", "# comment\n", "p: 1:30\n", "r: 2024-01-01\n", "s: ~\n", "\tt: 1\n", "u: [\n", "v: 'x\n",
])


@settings(max_examples=int(os.environ.get("SHEP_FUZZ_EXAMPLES", "500")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(YAML_PIECES, max_size=8).map("".join))
def test_generated_fast_equals_reference(text: str) -> None:
    fast, ref = load_text(text, "g.yml"), load_text(text, "g.yml", reference=True)
    if fast.loadable and ref.loadable:
        assert summary(fast) == summary(ref)
    else:
        # Both reject; the wording of a syntax error may differ between the two scanners.
        assert not fast.loadable and not ref.loadable
