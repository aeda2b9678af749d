"""Property: any model shep can build survives to_flatbuffers → from_flatbuffers exactly, as the same bytes.

Strategies are derived from the model's dataclass fields, so a field added to the model is generated
(and must round-trip) without touching this file. SHEP_FUZZ_EXAMPLES scales the example counts.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import pickle
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shep._records import fields
from shep.diagnostics import Diagnostic, Severity, Span
from shep.loader.values import Unsafe, Vault
from shep.model import Play, Playbook, Task, TaskFile
from shep.resolve import KINDS
from shep.serialize.fbs import VERIFIER_MAX_DEPTH, BufferLimitError, from_flatbuffers, to_flatbuffers
from tests.fbs_support import canon

pytestmark = pytest.mark.slow  # property-based: round-trip campaigns

EXAMPLES = int(os.environ.get("SHEP_FUZZ_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# -- values: every type the YAML loader produces ------------------------------------------------------

text = st.text(max_size=12) | st.sampled_from(["", "\ud800", "a\udfffb", "nul\x00", "😀 üñí", "{{ x }}"])
# A path names a file: text, or a file name's bytes as os.fsdecode gives them (tested in test_fbs.py:
# one such name per buffer). A lone surrogate of any other kind cannot come from a file name.
paths = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
huge_ints = st.sampled_from([2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 10**400, -(16**2000)])
# YAML has one NaN (the loader returns math.nan); model equality needs that very object.
floats = st.floats().map(lambda x: math.nan if math.isnan(x) else x)
offsets = st.integers(min_value=-23 * 3600, max_value=23 * 3600).map(lambda s: dt.timezone(dt.timedelta(seconds=s)))
datetimes = st.builds(lambda d, tz: d.replace(tzinfo=tz, fold=0), st.datetimes(),
                      st.none() | st.just(dt.timezone.utc) | offsets)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), huge_ints, floats, text, text.map(Unsafe), text.map(Vault),
    st.binary(max_size=8), st.dates(), datetimes,
)
keys = st.one_of(st.none(), st.booleans(), st.integers(), floats, text, text.map(Unsafe), st.dates(), datetimes,
                 text.map(Vault), st.binary(max_size=4))
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
    max_leaves=12,
)


@st.composite
def aliased(draw: st.DrawFn) -> Any:
    """A value that contains the same list/dict object more than once (YAML anchors and aliases)."""
    shared = draw(st.lists(values, max_size=3) | st.dictionaries(text, values, max_size=3))
    return draw(st.lists(st.just(shared) | values, min_size=1, max_size=4))


any_value = values | aliased()
spans = st.builds(Span, *[st.integers(min_value=0, max_value=2**32 - 1)] * 4)
key_spans = st.lists(st.tuples(text, spans), max_size=4).map(tuple)

# -- tasks, plays, files -------------------------------------------------------------------------------


def _field_strategy(annotation: str, children: st.SearchStrategy[tuple[Task, ...]],
                    value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    if annotation == "str":
        return text
    if annotation == "Span":
        return spans
    if annotation == "KeySpans":
        return key_spans
    if annotation == "bool":
        return st.booleans()
    if annotation == "str | None":
        return st.none() | text | text.map(Unsafe)
    if annotation.startswith("dict["):
        return st.dictionaries(keys, value, max_size=4)
    if annotation.startswith("tuple[Task"):
        return children
    assert annotation == "Any", f"a model field of a new type: {annotation}; teach the strategy about it"
    return value


# Fields whose values are not free text: a resolution is a word of shep.resolve.KINDS, and a resolved
# action a plain FQCN (never !unsafe).
_BY_NAME: dict[str, st.SearchStrategy[Any]] = {
    "resolution": st.sampled_from(("", *KINDS)),
    "resolved_action": st.none() | text,
}


@st.composite
def _objects(draw: st.DrawFn, cls: type, children: st.SearchStrategy[tuple[Task, ...]],
             fixed: dict[str, Any] | None = None) -> Any:
    """An instance with a few fields set to any value, or with every field set to small values.

    (A composite, not a plain strategy: the expanded strategy's repr runs to hundreds of kB.)
    """
    located = ("path", "span", "doc_path")
    everything = draw(st.booleans())
    value = scalars | st.lists(scalars, max_size=2) if everything else any_value
    strategies = {f.name: _BY_NAME[f.name] if f.name in _BY_NAME else _field_strategy(str(f.type), children, value)
                  for f in fields(cls)}
    chosen = set(strategies) if everything else draw(st.sets(st.sampled_from(sorted(strategies)), max_size=8))
    chosen.update(located)
    strategies["path"] = paths
    drawn = {name: draw(strategies[name]) for name in sorted(chosen)}
    return cls(**{**drawn, **(fixed or {})})


def task_trees(max_leaves: int = 6, min_size: int = 0) -> st.SearchStrategy[tuple[Task, ...]]:
    leaf = _objects(Task, st.just(()))
    trees = st.recursive(
        leaf, lambda inner: _objects(Task, st.lists(inner, min_size=1, max_size=3).map(tuple), {"is_block": True}),
        max_leaves=max_leaves,
    )
    return st.lists(trees, min_size=min_size, max_size=3).map(tuple)


diagnostics = st.lists(st.builds(Diagnostic, code=text, name=text, severity=st.sampled_from(Severity),
                                 message=text, path=paths, span=spans, hint=st.none() | text),
                       max_size=3).map(tuple)
task_files = st.builds(TaskFile, path=paths, kind=st.sampled_from(["tasks", "handlers"]), tasks=task_trees(8, 1),
                       diagnostics=diagnostics)
playbooks = st.builds(Playbook, path=paths, diagnostics=diagnostics,
                      plays=st.lists(_objects(Play, task_trees(4)), min_size=1, max_size=3).map(tuple))


@st.composite
def models(draw: st.DrawFn) -> Playbook | TaskFile:
    """(A composite keeps the strategy's repr short: the expanded one runs to hundreds of kB.)"""
    return draw(task_files | playbooks)  # type: ignore[no-any-return]


def assert_round_trip(model: Playbook | TaskFile) -> None:
    data = to_flatbuffers(model)
    back = from_flatbuffers(data)
    assert back == model
    assert canon(back) == canon(model)
    assert to_flatbuffers(back) == data


@SETTINGS
@given(models())
def test_any_model_round_trips_exactly(model: Playbook | TaskFile) -> None:
    assert_round_trip(model)


@SETTINGS
@given(models())
def test_same_model_same_bytes(model: Playbook | TaskFile) -> None:
    data = to_flatbuffers(model)
    assert to_flatbuffers(model) == data
    assert to_flatbuffers(pickle.loads(pickle.dumps(model))) == data  # an equal copy, aliases kept


def _value_depth(value: Any, level: int, key: Any = None, keyed: bool = False) -> int:
    """The deepest table level of a Var at ``level`` as a FlatBuffers verifier counts it (key_var one below)."""
    deepest = level
    if keyed and not (type(key) is str and _is_utf8(key)):
        deepest = max(deepest, _value_depth(key, level + 1))
    if type(value) is list:
        deepest = max([deepest, *(_value_depth(item, level + 1) for item in value)])
    elif type(value) is dict:
        deepest = max([deepest, *(_value_depth(item, level + 1, k, True) for k, item in value.items())])
    return deepest


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@SETTINGS
@given(st.integers(min_value=1, max_value=150), st.integers(min_value=0, max_value=300), any_value)
def test_deep_blocks_and_deep_values(blocks: int, levels: int, leaf: Any) -> None:
    """Written and read back exactly when default verifiers accept the depth (64 tables), else refused."""
    value = leaf
    for level in range(levels):
        value = [value] if level % 2 else {level: value}
    task = Task(path="t.yml", span=Span(1, 1, 1, 1), doc_path="tasks[0]", vars=value)
    for level in range(blocks):
        section = ("block_tasks", "rescue_tasks", "always_tasks")[level % 3]
        task = Task(path="t.yml", span=Span(level, 1, 1, 1), doc_path="tasks[0]", is_block=True, **{section: (task,)})
    model = TaskFile(path="t.yml", tasks=(task,))
    # File 1, TaskList 2, the outer block 3, the innermost task 3 + blocks, its vars one level below.
    # A keyword whose value is None is not written at all (no Var table).
    depth = 3 + blocks if value is None else max(3 + blocks, _value_depth(value, 4 + blocks))
    if depth > VERIFIER_MAX_DEPTH:
        with pytest.raises(BufferLimitError, match="tables deep"):
            to_flatbuffers(model)
        return
    data = to_flatbuffers(model)
    back = from_flatbuffers(data)
    assert back == model
    assert to_flatbuffers(back) == data


@SETTINGS
@given(st.dictionaries(keys, any_value, max_size=8), text)
def test_args_and_extra_keep_key_types_and_order(args: dict[Any, Any], name: str) -> None:
    task = Task(path="t.yml", span=Span(1, 1, 1, 1), doc_path="tasks[0]", action=name, args=args, extra=args)
    assert_round_trip(TaskFile(path="t.yml", tasks=(task,)))
