"""Refuse absurdly deep nesting before parsing: both C composers recurse and crash the process on it.

A cheap upper bound (flow bracket depth + block indentation prefixes) clears real files at
once; only files where the bound is high are parsed event by event (no recursion) to measure
the exact depth.
"""

from __future__ import annotations

import re

import yaml

from shep.diagnostics import Span

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


def _exact_depth(text: str) -> tuple[int, Span]:
    """Deepest collection nesting, from parser events (iterative, so safe at any depth)."""
    depth = deepest = 0
    where = Span(1, 1, 1, 1)
    try:
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > deepest:
                    deepest = depth
                    mark = event.start_mark
                    if mark is not None:
                        where = Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2)
                if deepest > MAX_DEPTH:
                    break
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass  # the syntax error is reported by the real parse
    return deepest, where


def nesting_problem(text: str) -> tuple[str, Span] | None:
    """A message and position when the text nests deeper than MAX_DEPTH levels, else None."""
    # depth <= flow depth + 2 * prefix units + 2: below both thresholds it is within MAX_DEPTH.
    if _flow_bound(text) < MAX_DEPTH // 2 - 2 and not _DEEP_PREFIX.search(text):
        return None
    deepest, where = _exact_depth(text)
    if deepest > MAX_DEPTH:
        return f"nesting deeper than {MAX_DEPTH} levels", where
    return None
