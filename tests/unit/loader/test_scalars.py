"""shep.loader.scalars: where each character of a string scalar's value is written, in every YAML style."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from shep.loader import MapNode, Node, SeqNode, load_text
from shep.loader.scalars import char_positions


def value_node(text: str) -> Node:
    """The node of the first value of ``text`` (a mapping; the first item of a sequence value)."""
    document = load_text(text)
    assert isinstance(document.root, MapNode), document.diagnostics
    node = next(iter(document.root.entries.values()))[1]
    if isinstance(node, SeqNode):
        return node.items[-1]
    if isinstance(node, MapNode):
        return next(iter(node.entries.values()))[1]
    return node


def where(text: str, marker: str = "@") -> tuple[int, int]:
    """The (line, column) of the value's character ``marker``, by the scan."""
    node = value_node(text)
    positions = char_positions(text, node.span, node.value)
    assert positions is not None
    return positions[node.value.index(marker)]


@pytest.mark.parametrize(("text", "expected"), [
    ("a: x @ y\n", (1, 6)),
    ("a: 'it''s @'\n", (1, 11)),
    ('a: "tab\\t\\x41 @"\n', (1, 15)),
    ('a: "\\u00e9@"\n', (1, 11)),
    ("a: plain\n  continued @\n", (2, 13)),
    ("a: 'quoted\n\n  second @'\n", (3, 10)),
    ('a: "joined\\\n    @"\n', (2, 5)),
    ("a: |\n  one\n  two @\n", (3, 7)),
    ("a: |-\n    one\n      @ indented\n", (3, 7)),
    ("a: >\n  folded\n  text @\n\n  more\n", (3, 8)),
    ("a: >+\n  kept @\n\n\nb: 1\n", (2, 8)),
    ("a: [x, \"in a @ flow\"]\n", (1, 14)),
    ("a: {k: 'flow @ map'}\n", (1, 14)),
    ("a: &anchor !!str tagged @\n", (1, 25)),
    ("a:\n  - item @\n", (2, 10)),
])
def test_each_style(text: str, expected: tuple[int, int]) -> None:
    assert where(text) == expected


def test_an_indentation_indicator_is_not_mapped() -> None:
    node = value_node("a: |2\n   x\n")
    assert char_positions("a: |2\n   x\n", node.span, node.value) is None


_values = st.text(alphabet=st.sampled_from(list("ab {}%#|'\"\\\t\n:-é")), max_size=40)


@settings(max_examples=400, deadline=None, database=None)
@given(_values, st.sampled_from([None, "'", '"', "|", ">"]), st.integers(min_value=6, max_value=40), st.booleans())
def test_every_character_comes_from_its_place(value: str, style: str | None, width: int, in_list: bool) -> None:
    """PyYAML writes the value in a style; shep reads it back; each character maps to the text that makes it:
    itself, a backslash (an escape), a line break (a fold)."""
    data = {"key": [value] if in_list else value}
    text = yaml.dump(data, default_style=style, width=width, allow_unicode=True, sort_keys=False)
    node = value_node(text)
    if node.value != value:
        return  # PyYAML wrote something else (a style it cannot use for this value)
    positions = char_positions(text, node.span, node.value)
    if positions is None:
        assert any(f"{c}{d}" in text for c in "|>" for d in "123456789"), text  # only an indentation indicator
        return
    lines = text.split("\n")
    assert positions == sorted(positions), text
    for char, (line, col) in zip(value, positions):
        source = lines[line - 1][col - 1] if col <= len(lines[line - 1]) else "\n"
        assert source == char or source == "\\" or (char in " \n" and source in "\n") or (
            char == "\n" and source == " " and style == ">"), (text, char, line, col)
