"""The nesting guard: its fast pre-checks never miss what the exact checks find."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shep.loader import depth, load_text

PREFIX_TEXT = st.text(alphabet=" \t-?:\n\r[]{}ab", max_size=300)


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(PREFIX_TEXT, st.integers(0, 60), st.sampled_from(["", "- ", "? ", ": ", "\t"]))
def test_long_prefix_precheck_agrees_with_the_exact_pattern(text: str, spaces: int, unit: str) -> None:
    text = f"{text}\n{unit * spaces}{text}"
    assert depth._may_have_deep_prefix(text) == (depth._DEEP_PREFIX.search(text) is not None)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="[]{}a,\n", max_size=400))
def test_bracket_count_precheck_agrees_with_the_flow_bound(text: str) -> None:
    limit = depth.MAX_DEPTH // 2 - 2
    assert depth._may_nest_deep_in_flow(text) == (depth._flow_bound(text) >= limit)


def test_deep_block_nesting_is_refused_at_the_start_and_after_a_line() -> None:
    deep = "- " * (depth.MAX_DEPTH + 5) + "x\n"
    for text in (deep, "k:\n" + deep):
        assert [d.code for d in load_text(text).diagnostics] == ["Y007"]
    shallow = "k:\n" + "".join(f"{'  ' * i}- \n" for i in range(10))
    assert depth.nesting_problem(shallow) is None


def test_deep_flow_nesting_is_refused() -> None:
    text = "[" * (depth.MAX_DEPTH + 1) + "]" * (depth.MAX_DEPTH + 1)
    problem = depth.nesting_problem(text)
    assert problem is not None and "nesting deeper" in problem[0]
    assert depth.nesting_problem("{{ x }}" * 1000) is None  # many brackets, shallow
