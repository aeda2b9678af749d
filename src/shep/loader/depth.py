"""Refuse absurdly deep nesting before parsing: both C composers recurse and crash the process on it.

A cheap upper bound (flow bracket depth + block indentation prefixes) clears real files at
once; only files where the bound is high are parsed event by event (no recursion) to measure
the exact depth.
"""

from __future__ import annotations

import re

import yaml

from shep.diagnostics import START_OF_FILE, Span
from shep.loader.nodes import point_span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_DEPTH = 200
_BRACKETS = re.compile(r"[\[\]{}]")


def _flow_bound(text: str) -> int:
    depth = deepest = 0
    for match in _BRACKETS.finditer(text):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif depth:
            depth -= 1
    return deepest


# A line whose indentation/indicator prefix has this many units could start a deep block nesting.
_DEEP_PREFIX = re.compile(r"^(?:[ \t]|[-?:][ \t]){%d}" % (MAX_DEPTH // 4 - 1), re.M)


def _event_depth(text: str, loader: Any) -> tuple[int, Span, bool]:
    """Deepest collection nesting reached, where, and whether the parser stopped on an error.

    From parser events: iterative, so safe at any depth.
    """
    depth = deepest = 0
    where = START_OF_FILE
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > deepest:
                    deepest = depth
                    mark = event.start_mark
                    if mark is not None:
                        where = point_span(mark)
                if deepest > MAX_DEPTH:
                    break
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return deepest, where, True  # the syntax error itself is reported by the real parse
    return deepest, where, False


def _exact_depth(text: str) -> tuple[int, Span]:
    """Deepest collection nesting (up to where the text stops parsing).

    libyaml first, for speed. When it stops on an error, the pure-Python parser measures
    again: libyaml 0.2.6 (PyYAML 6.0.4's wheels) refuses deep flow nesting while scanning
    ahead, before it has emitted the events that reach that depth, and older libyaml does not;
    only a parser without a nesting limit gives one answer whichever libyaml is installed.
    """
    deepest, where, stopped = _event_depth(text, getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if stopped and deepest <= MAX_DEPTH:
        deepest, where, _ = _event_depth(text, yaml.SafeLoader)
    return deepest, where


# Necessary for a _DEEP_PREFIX match, and much faster to search: a line start followed by at
# least as many indentation/indicator characters as the prefix has units.
# (Searched for after "\n" and matched at the start separately: a leading literal is what
# makes the search fast.)
_LONG_PREFIX = re.compile(r"[ \t?:-]{%d}" % (MAX_DEPTH // 4 - 1))
_LONG_PREFIX_AFTER_BREAK = re.compile(r"\n[ \t?:-]{%d}" % (MAX_DEPTH // 4 - 1))


def _may_have_deep_prefix(text: str) -> bool:
    long_prefix = _LONG_PREFIX.match(text) or _LONG_PREFIX_AFTER_BREAK.search(text)
    return long_prefix is not None and _DEEP_PREFIX.search(text) is not None


def _may_nest_deep_in_flow(text: str) -> bool:
    limit = MAX_DEPTH // 2 - 2
    return text.count("[") + text.count("{") >= limit and _flow_bound(text) >= limit


def nesting_problem(text: str) -> tuple[str, Span] | None:
    """A message and position when the text nests deeper than MAX_DEPTH levels, else None."""
    # depth <= flow depth + 2 * prefix units + 2: below both thresholds it is within MAX_DEPTH.
    if not _may_nest_deep_in_flow(text) and not _may_have_deep_prefix(text):
        return None
    deepest, where = _exact_depth(text)
    if deepest > MAX_DEPTH:
        return f"nesting deeper than {MAX_DEPTH} levels", where
    return None
