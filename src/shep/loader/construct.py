"""ruamel.yaml nodes → shep nodes with values, following ansible-core's constructor.

Resolution is done here, not by ruamel: its resolver only marks plain scalars (see
``PlainMarkingResolver``) so that YAML 1.1 typing is exactly PyYAML's (``values.resolve_plain``).
Problems become diagnostics and construction goes on with a best-effort value.
"""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Callable, Hashable

import yaml
from yaml import nodes as ynodes

from shep.diagnostics import Diagnostic, Span, make
from shep.loader import values as V
from shep.loader.nodes import MapNode, Node, ScalarNode, SeqNode, span_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# One Span is made per node: building the tuple directly skips the NamedTuple's Python __new__.


def _span(rnode: Any) -> Span:
    return span_of(rnode.start_mark, rnode.end_mark)

PLAIN_TAG = "tag:shep,plain"
UNSAFE_TAG = "!unsafe"
VAULT_TAGS = ("!vault", "!vault-encrypted")
DEPRECATED_TAGS = {"tag:yaml.org,2002:omap", "tag:yaml.org,2002:pairs", "!vault-encrypted"}
MAX_DEPTH = 1000  # the loader refuses deeper text first (loader.depth)
MAX_WEIGHT = 10_000_000  # expanded node count; real files stay far below
MAX_PER_CODE = 1000  # diagnostics of one code per file
MAX_MERGED_PAIRS = 100_000  # entries of one mapping once its << merges are expanded


_PYYAML_TAGS = {ynodes.ScalarNode: V.STR_TAG, ynodes.SequenceNode: V.SEQ_TAG, ynodes.MappingNode: V.MAP_TAG}


class PlainMarkingLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """libyaml (ansible-core's own parser) composing nodes; plain scalars are left to shep."""

    # The composer calls these two around every node to track path resolvers, which ``resolve``
    # below never consults: C callables that do nothing cost less than PyYAML's Python methods.
    descend_resolver = operator.is_  # called with (parent, index)
    ascend_resolver = tuple  # called with no argument

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ynodes.ScalarNode and implicit[0]:
            return PLAIN_TAG
        return _PYYAML_TAGS[kind]


# The constructor reads nodes of either parser: both name their node kinds by a class ``id``.
SCALAR, SEQUENCE, MAPPING = "scalar", "sequence", "mapping"


# Values of short plain scalars that start like a typed one ("yes", "0644", "~", "name"…), by
# text. Every value is immutable and depends on the text alone; the table is bounded in entries
# and in the length of what it keeps.
_PLAIN_VALUES: dict[str, Any] = {}
_PLAIN_VALUES_MAX = 4096
_PLAIN_TEXT_MAX = 64
_MISSING = object()


def _remember_plain(text: str, value: Any) -> None:
    if len(text) > _PLAIN_TEXT_MAX:
        return
    if len(_PLAIN_VALUES) >= _PLAIN_VALUES_MAX:
        _PLAIN_VALUES.clear()
    _PLAIN_VALUES[text] = value


class LimitExceeded(Exception):
    pass


class Constructor:
    def __init__(self, path: str, text: str = "") -> None:
        self.path = path
        self.text = text
        self._starts: list[int] | None = None  # line start offsets, computed on first use
        self.diagnostics: list[Diagnostic] = []
        # Collections by id, one table per unsafe-ness: aliases share one node, bombs stay linear.
        self._memo: tuple[dict[int, Node], dict[int, Node]] = ({}, {})
        self._flat_memo: dict[tuple[int, bool], list[tuple[Node, Node]]] = {}
        self._active: set[int] = set()
        self._depth = 0
        self._reported: dict[str, int] = {}
        # An alias needs a "*" in the text and a merge key a "<<": without them (most files) every
        # node is reached once, so collections need no memo nor recursion guard, and mappings no
        # merging. Without the text, assume both.
        self._aliases = not text or "*" in text
        self._merges = not text or "<<" in text

    def report(self, code: str, message: str, span: Span) -> None:
        """Record a problem; past MAX_PER_CODE of one code, one note replaces the rest."""
        count = self._reported.get(code, 0) + 1
        self._reported[code] = count
        if count <= MAX_PER_CODE:
            self.diagnostics.append(make(code, message, self.path, span))
        elif count == MAX_PER_CODE + 1:
            self.diagnostics.append(make(code, f"more {code} problems in this file are not reported", self.path, span))

    def convert(self, rnode: Any, unsafe: bool = False) -> Node:
        if rnode.tag == PLAIN_TAG:  # the common case first: an untagged plain scalar
            return self._plain(rnode, unsafe)
        if rnode.id == SCALAR:
            return self._convert(rnode, unsafe)
        if not self._aliases:
            return self._collection(rnode, unsafe)
        memo = self._memo[unsafe]
        node = memo.get(id(rnode))
        if node is not None:
            return node
        if id(rnode) in self._active:
            self.report("Y006", "recursive alias: a node contains itself", _span(rnode))
            return ScalarNode(_span(rnode), None)
        self._active.add(id(rnode))
        try:
            node = self._collection(rnode, unsafe)
        finally:
            self._active.discard(id(rnode))
        memo[id(rnode)] = node
        return node

    def _collection(self, rnode: Any, unsafe: bool) -> Node:
        """A sequence or mapping, within the depth and weight limits."""
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise LimitExceeded(f"nesting deeper than {MAX_DEPTH} levels", rnode.start_mark)
        try:
            node = self._convert(rnode, unsafe)
        finally:
            self._depth -= 1
        if node.weight > MAX_WEIGHT:
            raise LimitExceeded(f"aliases expand to more than {MAX_WEIGHT} nodes", rnode.start_mark)
        return node

    def _plain(self, rnode: Any, unsafe: bool) -> Node:
        text = rnode.value
        start, end = rnode.start_mark, rnode.end_mark  # span_of, inlined: the hottest path (one frame less)
        span = Span.from_tuple((start.line + 1, start.column + 1, end.line + 1, end.column + 1))
        if text and text[0] not in V.TYPED_FIRST_CHARS:
            return ScalarNode(span, V.Unsafe(text) if unsafe else text)
        if not unsafe:  # the same few words and numbers recur: their values are memoised
            value = _PLAIN_VALUES.get(text, _MISSING)
            if value is not _MISSING:
                return ScalarNode(span, value)
        return self._scalar(rnode, PLAIN_TAG, span, unsafe)

    def _convert(self, rnode: Any, unsafe: bool) -> Node:
        tag = rnode.tag
        span = _span(rnode)
        if tag in DEPRECATED_TAGS:
            self.report("Y008", f"Use of the YAML `{tag.replace('tag:yaml.org,2002:', '!!')}` tag is deprecated.", span)
        if tag == UNSAFE_TAG:
            return self._convert_retagged(rnode, span, unsafe=True)
        if tag in VAULT_TAGS:
            return self._convert_vault(rnode, span, tag)
        if rnode.id == SCALAR:
            return self._scalar(rnode, tag, span, unsafe)
        if rnode.id == SEQUENCE:
            return self._sequence(rnode, tag, span, unsafe)
        return self._mapping(rnode, tag, span, unsafe)

    # -- scalars -------------------------------------------------------------------------

    def _scalar(self, rnode: Any, tag: str, span: Span, unsafe: bool) -> Node:
        text = rnode.value
        memoise = False
        if tag == PLAIN_TAG:
            tag = V.resolve_plain(text)
            if tag in (V.MERGE_TAG, V.VALUE_TAG):
                self.report("Y006", f"Could not determine a constructor for the tag {tag!r}.", span)
                tag = V.STR_TAG
            else:
                memoise = not unsafe
        constructor: Callable[[str], Any] | None = V.SCALAR_CONSTRUCTORS.get(tag)  # type: ignore[assignment]
        if constructor is None:
            return self._unknown_tag(tag, text, span, unsafe)
        try:
            value = constructor(text)
        except (ValueError, OverflowError) as exc:
            self.report("Y006", f"cannot construct {tag} value {text!r}: {exc}", span)
            return ScalarNode(span, V.Unsafe(text) if unsafe else text)
        if memoise:
            _remember_plain(text, value)
        if unsafe and isinstance(value, str):
            value = V.Unsafe(value)
        return ScalarNode(span, value)

    def _unknown_tag(self, tag: str, text: Any, span: Span, unsafe: bool) -> Node:
        if tag in (V.MAP_TAG, V.SEQ_TAG):
            expected = "mapping" if tag == V.MAP_TAG else "sequence"
            self.report("Y006", f"expected a {expected} node, but found scalar", span)
        else:
            self.report("Y004", f"Could not determine a constructor for the tag {tag!r}.", span)
        value = str(text)
        return ScalarNode(span, V.Unsafe(value) if unsafe else value)

    def _convert_retagged(self, rnode: Any, span: Span, unsafe: bool) -> Node:
        """``!unsafe``/``!vault`` re-type their node as if it had no tag (ansible-core does the same)."""
        if rnode.id == SCALAR:
            tag = V.resolve_plain(rnode.value)
            if tag in (V.MERGE_TAG, V.VALUE_TAG):
                tag = V.STR_TAG
            return self._scalar(rnode, tag, span, unsafe)
        if rnode.id == SEQUENCE:
            return self._sequence(rnode, V.SEQ_TAG, span, unsafe)
        return self._mapping(rnode, V.MAP_TAG, span, unsafe)

    def _convert_vault(self, rnode: Any, span: Span, tag: str) -> Node:
        inner = self._convert_retagged(rnode, span, unsafe=False)
        if not isinstance(inner.value, str):
            self.report("Y006", f"The {tag!r} tag requires a string value.", span)
            return inner
        return ScalarNode(span, V.Vault(str(inner.value)))

    # -- collections ---------------------------------------------------------------------

    def _sequence(self, rnode: Any, tag: str, span: Span, unsafe: bool) -> Node:
        if tag not in (V.SEQ_TAG, "tag:yaml.org,2002:omap", "tag:yaml.org,2002:pairs"):
            return self._wrong_collection_tag(rnode, tag, span, unsafe)
        items: list[Node] = []
        block = not rnode.flow_style
        plain, convert = self._plain, self.convert
        for child in rnode.value:
            if child.tag != PLAIN_TAG:
                items.append(convert(child, unsafe))
            elif block and child.value == "":
                anchor = items[-1].span if items else span
                start = (anchor.end_line, anchor.end_col) if items else (span.line, span.col)
                items.append(self._relocated_empty(plain(child, unsafe), start))
            else:
                items.append(plain(child, unsafe))
        weight = 1 + sum([item.weight for item in items])
        if items and block:
            span = _block_span(span, items[-1].span)
        return SeqNode(span, [item.value for item in items], weight, items)

    def _mapping(self, rnode: Any, tag: str, span: Span, unsafe: bool) -> Node:
        if tag not in (V.MAP_TAG, "tag:yaml.org,2002:set"):
            return self._wrong_collection_tag(rnode, tag, span, unsafe)
        # Without a "<<" in the text (most files) no mapping merges: its pairs are its own, in order.
        pairs = self._flatten(rnode, unsafe) if self._merges else self._own_pairs(rnode, unsafe)
        entries: dict[Any, tuple[Node, Node]] = {}
        value: dict[Any, Any] = {}
        weight = 1
        for pair in pairs:
            key_node, value_node = pair
            key = key_node.value
            if type(key) is not str and (not isinstance(key, Hashable) or isinstance(key, (list, dict))):
                self.report("Y006", "found unhashable key", key_node.span)
                continue
            if key in value:
                self.report("Y003", f"Found duplicate mapping key {_plain_repr(key)}.", key_node.span)
            value[key] = value_node.value
            entries[key] = pair
            weight += key_node.weight + value_node.weight
        if rnode.value and not rnode.flow_style:
            last_key = rnode.value[-1][0]
            if last_key.tag == PLAIN_TAG and last_key.value == "<<":  # a merge ends at its own key
                span = _block_span(span, _span(last_key))
            else:  # merged pairs come first, so the last pair is the last one written here
                span = _block_span(span, pairs[-1][1].span)
        return MapNode(span, value, weight, entries)

    def _own_pairs(self, rnode: Any, unsafe: bool) -> list[tuple[Node, Node]]:
        """The (key, value) nodes of a mapping that has no merge key, in order.

        ``_pair`` for each, with its common case (plain key, plain value) inlined: most nodes
        of most files go through this loop.
        """
        block, pair, plain = not rnode.flow_style, self._pair, self._plain
        pairs = []
        for rkey, rvalue in rnode.value:
            if rkey.tag == PLAIN_TAG and rvalue.tag == PLAIN_TAG and rkey.value != "=" and (rvalue.value or not block):
                pairs.append((plain(rkey, unsafe), plain(rvalue, unsafe)))
            else:
                pairs.append(pair(rkey, rvalue, block, unsafe))
        return pairs

    def _pair(self, rkey: Any, rvalue: Any, block: bool, unsafe: bool) -> tuple[Node, Node]:
        """One (key, value) of a mapping; an empty block value is placed right after its key."""
        key: Node
        if rkey.tag != PLAIN_TAG:
            key = self.convert(rkey, unsafe)
        elif rkey.value == "=":
            key = ScalarNode(_span(rkey), "=")
        else:
            key = self._plain(rkey, unsafe)
        if rvalue.tag != PLAIN_TAG:
            return key, self.convert(rvalue, unsafe)
        if block and rvalue.value == "":
            return key, self._relocated_empty(self._plain(rvalue, unsafe), (key.span.end_line, key.span.end_col))
        return key, self._plain(rvalue, unsafe)

    def _flatten(self, rnode: Any, unsafe: bool) -> list[tuple[Node, Node]]:
        """Pairs of a mapping with ``<<`` merges expanded in front, as PyYAML orders them.

        Memoised per node: a mapping merged many times is flattened once; the pair count is
        bounded, since merges of merges multiply it (a "merge bomb").
        """
        key = (id(rnode), unsafe)
        pairs = self._flat_memo.get(key)
        if pairs is None:
            pairs = self._flatten_uncached(rnode, unsafe)
            self._flat_memo[key] = pairs
        return pairs

    def _flatten_uncached(self, rnode: Any, unsafe: bool) -> list[tuple[Node, Node]]:
        merged: list[tuple[Node, Node]] = []
        own: list[tuple[Node, Node]] = []
        block = not rnode.flow_style
        for rkey, rvalue in rnode.value:
            if rkey.tag == PLAIN_TAG and rkey.value == "<<":
                merged.extend(self._merge_source(rvalue, unsafe))
                if len(merged) > MAX_MERGED_PAIRS:
                    raise LimitExceeded(f"merge keys expand to more than {MAX_MERGED_PAIRS} entries", rkey.start_mark)
                continue
            own.append(self._pair(rkey, rvalue, block, unsafe))
        return merged + own if merged else own

    def _merge_source(self, rvalue: Any, unsafe: bool) -> list[tuple[Node, Node]]:
        if rvalue.id == MAPPING:
            return self._flatten(rvalue, unsafe)
        if rvalue.id == SEQUENCE:
            pairs: list[tuple[Node, Node]] = []
            for sub in rvalue.value:
                if not sub.id == MAPPING:
                    self.report("Y006", "expected a mapping for merging, but found "
                                f"{_kind_name(sub)}", _span(sub))
                    continue
                pairs[:0] = self._flatten(sub, unsafe)
                if len(pairs) > MAX_MERGED_PAIRS:
                    raise LimitExceeded(f"merge keys expand to more than {MAX_MERGED_PAIRS} entries", sub.start_mark)
            return pairs
        self.report("Y006", f"expected a mapping or list of mappings for merging, but found {_kind_name(rvalue)}",
                    _span(rvalue))
        return []

    def _wrong_collection_tag(self, rnode: Any, tag: str, span: Span, unsafe: bool) -> Node:
        if tag in V.SCALAR_CONSTRUCTORS:
            self.report("Y006", f"expected a scalar node, but found {_kind_name(rnode)}", span)
        else:
            self.report("Y004", f"Could not determine a constructor for the tag {tag!r}.", span)
        if rnode.id == SEQUENCE:
            return self._sequence(rnode, V.SEQ_TAG, span, unsafe)
        return self._mapping(rnode, V.MAP_TAG, span, unsafe)


    def _relocated_empty(self, node: Node, start: tuple[int, int]) -> Node:
        """An empty value sits right after its ``:`` or ``-`` indicator, as libyaml (ansible-core) places it.

        ruamel's pure-Python parser puts it at the next token instead; deriving the position from the
        text makes both parsers agree.
        """
        line, col = self._after_indicator(start)
        return ScalarNode(Span(line, col, line, col), node.value, node.weight)

    def _after_indicator(self, start: tuple[int, int]) -> tuple[int, int]:
        text, index = self.text, self._offset(start)
        in_comment = False
        while index < len(text):
            char = text[index]
            if char in "\r\n\x85\u2028\u2029":
                in_comment = False
            elif in_comment or char in " \t\r":
                pass
            elif char == "#":
                in_comment = True
            elif char in ":-?":
                return self._position(index + 1)
            else:
                return self._position(index)
            index += 1
        return self._position(index)

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = _line_starts(self.text)
        return self._starts

    def _offset(self, position: tuple[int, int]) -> int:
        line, col = position
        if line - 1 >= len(self._line_starts()):
            return len(self.text)
        return self._line_starts()[line - 1] + col - 1

    def _position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts(), offset)
        return line, offset - self._line_starts()[line - 1] + 1


def _block_span(span: Span, last: Span) -> Span:
    """A block collection ends where its last child (``last``) ends (the parsers disagree on its end mark).

    An alias child stands at its anchor, possibly before this collection: the end never goes back
    before the start.
    """
    line, col, end_line, end_col = span[0], span[1], last[2], last[3]
    if end_line < line or (end_line == line and end_col < col):
        end_line, end_col = line, col
    return Span.from_tuple((line, col, end_line, end_col))


# YAML 1.1 line breaks, as libyaml counts lines: CRLF, CR, LF, NEL, LS, PS.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in _LINE_BREAK.finditer(text))]


def _kind_name(rnode: Any) -> str:
    return str(rnode.id)


def _plain_repr(key: Any) -> str:
    return repr(str(key)) if isinstance(key, str) else repr(key)
