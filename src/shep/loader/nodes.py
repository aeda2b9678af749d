"""Positioned YAML nodes: the loader's output, with the constructed value of every node.

ruamel.yaml's 0-based marks become 1-based ``Span``s here and nowhere else.
"""

from __future__ import annotations

from shep._records import field, record
from shep.diagnostics import Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


@record(frozen=False, eq=False)
class Node:
    span: Span
    value: Any
    # Number of nodes this one stands for once aliases are expanded (bounds alias bombs).
    weight: int = 1


@record(frozen=False, eq=False)
class ScalarNode(Node):
    pass


@record(frozen=False, eq=False)
class SeqNode(Node):
    items: list[Node] = field(default_factory=list)


@record(frozen=False, eq=False)
class MapNode(Node):
    # key value -> (key node, value node); a repeated key keeps its last value, as in Ansible.
    entries: dict[Any, tuple[Node, Node]] = field(default_factory=dict)

    def key_node(self, key: str) -> Node | None:
        pair = self.entries.get(key)
        return pair[0] if pair else None

    def value_node(self, key: str) -> Node | None:
        pair = self.entries.get(key)
        return pair[1] if pair else None


def span_of(start: Any, end: Any) -> Span:
    """A parser's start and end marks (0-based, PyYAML's or ruamel's) → Span (1-based)."""
    return Span.from_tuple((start.line + 1, start.column + 1, end.line + 1, end.column + 1))


def point_span(mark: Any) -> Span:
    """One character at a parser's mark (0-based) → Span (1-based), as errors are placed."""
    return Span.from_tuple((mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2))
