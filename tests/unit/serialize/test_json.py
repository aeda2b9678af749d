"""shep.serialize.json: the model JSON keeps what was written, and renders models of any depth."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shep._records import fields
from shep.api import load, parse
from shep.cli import dumping
from shep.diagnostics import Span
from shep.model import Play, Playbook, Task, TaskFile
from shep.loader.values import Unsafe, Vault
from tests.fbs_support import writing_past_verifier_limits
from shep.serialize.fbs import MAX_DEPTH, SCHEMA_VERSION, from_flatbuffers, to_flatbuffers
from shep.serialize.json import (
    MAX_EXPANDED_VALUES,
    _json_key,
    dumps_indented,
    expanded_size,
    iter_task_records,
    model_to_dict,
    model_to_json,
    to_jsonable,
)
from tests.fbs_support import GOLDEN, GOLDEN_DIR, REPO
from tests.property.test_fbs_roundtrip import any_value, models

EMPTY_VALUES = """\
- hosts: all
  vars: {}
  module_defaults: {}
  tags: []
  environment: {}
  pre_tasks:
    - name: a block
      vars: {}
      module_defaults: {}
      block:
        - ping:
          vars: {}
          module_defaults: {}
          tags: []
          environment: {}
          loop_control: {}
          with_items: {}
  tasks:
    - ping:
      name: nothing empty here
"""


def _objects(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every play and task of a model_to_dict body, by doc_path."""
    found: dict[str, dict[str, Any]] = {}
    pending = list(body.get("plays", body.get("tasks", [])))
    while pending:
        obj = pending.pop()
        found[obj["doc_path"]] = obj
        for name in ("pre_tasks", "tasks", "post_tasks", "handlers", "block_tasks", "rescue_tasks", "always_tasks"):
            pending.extend(obj.get(name, ()))
    return found


def test_explicitly_empty_keyword_values_are_kept() -> None:
    model = parse(EMPTY_VALUES.encode(), "playbook", "site.yml")
    objects = _objects(model_to_dict(model))
    play, block = objects["plays[0]"], objects["plays[0].pre_tasks[0]"]
    task, plain = objects["plays[0].pre_tasks[0].block[0]"], objects["plays[0].tasks[0]"]
    assert {k: play[k] for k in ("vars", "module_defaults", "tags", "environment")} == {
        "vars": {}, "module_defaults": {}, "tags": [], "environment": {}}
    assert {k: block[k] for k in ("vars", "module_defaults")} == {"vars": {}, "module_defaults": {}}
    assert {k: task[k] for k in ("vars", "module_defaults", "tags", "environment", "loop_control")} == {
        "vars": {}, "module_defaults": {}, "tags": [], "environment": {}, "loop_control": {}}
    assert task["loop_with"] == "items" and task["loop_with_value"] == {}
    # Keywords that were not written stay out, and so do the model's empty defaults.
    assert "vars" not in plain and "tags" not in plain and "when" not in plain
    assert "args" not in plain and "extra" not in plain and "block_tasks" not in plain
    assert "handlers" not in play and "post_tasks" not in play and "is_block" not in plain


def test_every_written_keyword_is_in_the_json_even_when_empty() -> None:
    """For each keyword field, a written {} or [] comes out; None (not written) does not."""
    for cls in (Task, Play):
        keyword_fields = [f.name for f in fields(cls) if f.default is None]
        for empty in ({}, []):
            obj = cls(path="p.yml", span=Span(1, 1, 1, 2), doc_path="x", **{name: empty for name in keyword_fields})
            [out] = model_to_dict(TaskFile(path="p.yml", tasks=(obj,)) if cls is Task  # type: ignore[arg-type]
                                  else Playbook(path="p.yml", plays=(obj,)))["tasks" if cls is Task else "plays"]
            assert {name: out.get(name) for name in keyword_fields} == {name: empty for name in keyword_fields}
        none = cls(path="p.yml", span=Span(1, 1, 1, 2), doc_path="x")
        [out] = model_to_dict(TaskFile(path="p.yml", tasks=(none,)) if cls is Task  # type: ignore[arg-type]
                              else Playbook(path="p.yml", plays=(none,)))["tasks" if cls is Task else "plays"]
        assert not set(keyword_fields) & set(out)


def test_only_fields_with_a_model_default_are_left_out_when_empty() -> None:
    """A new model field with an empty default must be listed (or not) on purpose."""
    from shep.serialize.json import _OMITTED_WHEN_EMPTY

    with_defaults = {f.name for cls in (Task, Play) for f in fields(cls) if f.default is not None}
    assert with_defaults - _OMITTED_WHEN_EMPTY == {"path", "span", "doc_path", "key_spans", "arg_spans", "malformed"}
    assert _OMITTED_WHEN_EMPTY <= with_defaults


RESOLVED = """\
- hosts: all
  collections: [community.general]
  tasks:
    - block:
        - copy: {src: a, dest: b}
        - ansible.builtin.yum: {name: git}
      collections: []
    - ufw: {rule: allow}
    - ansible.builtin.copyy: {}
"""


def test_both_formats_carry_each_tasks_resolution(tmp_path: Path, capsysbinary: Any) -> None:
    model = parse(RESOLVED, "playbook")
    records = [(r["task_path"], r["action"], r["resolved_action"], r["resolution"])
               for r in iter_task_records(model, include_blocks=True)]
    assert records == [
        ("plays[0].tasks[0]", None, None, None),  # a block
        ("plays[0].tasks[0].block[0]", "copy", "ansible.builtin.copy", "builtin-module"),
        ("plays[0].tasks[0].block[1]", "ansible.builtin.yum", "ansible.builtin.dnf", "redirect"),
        ("plays[0].tasks[1]", "ufw", "community.general.ufw", "search"),
        ("plays[0].tasks[2]", "ansible.builtin.copyy", None, "not-found"),
    ]
    tasks = model_to_dict(model)["plays"][0]["tasks"]
    assert "resolution" not in tasks[0] and "resolved_action" not in tasks[0]  # a block: empty, left out
    inner = tasks[0]["block_tasks"][0]
    assert (inner["resolved_action"], inner["resolution"]) == ("ansible.builtin.copy", "builtin-module")
    assert list(inner).index("resolved_action") == list(inner).index("action_key") + 1
    assert ("resolved_action" not in tasks[2], tasks[2]["resolution"]) == (True, "not-found")
    # the FlatBuffers form keeps them: decode prints what dump prints
    source = tmp_path / "site.yml"
    source.write_text(RESOLVED, encoding="utf-8")
    out = tmp_path / "site.shep"
    assert dumping.dump_command([str(source)], "playbook", "fbs", str(out)) == 0
    for fmt in ("json", "jsonl"):
        capsysbinary.readouterr()
        dumping.dump_command([str(source)], "playbook", fmt, None)
        dumped = capsysbinary.readouterr().out
        assert dumping.decode_command(str(out), fmt) in (0, 1)
        assert capsysbinary.readouterr().out == dumped
        assert b'"resolution": "search"' in dumped


def test_dump_and_decode_print_the_empty_values_the_buffer_keeps(tmp_path: Path, capsysbinary: Any) -> None:
    source = tmp_path / "site.yml"
    source.write_text(EMPTY_VALUES, encoding="utf-8")
    out = tmp_path / "site.shep"
    assert dumping.dump_command([str(source)], "playbook", "fbs", str(out)) == 0
    assert from_flatbuffers(out.read_bytes()).plays[0].module_defaults == {}  # type: ignore[union-attr]
    capsysbinary.readouterr()
    assert dumping.dump_command([str(source)], "playbook", "json", None) == 0
    dumped = capsysbinary.readouterr().out
    assert dumping.decode_command(str(out), "json") == 0
    decoded = capsysbinary.readouterr().out
    assert dumped == decoded
    assert json.loads(decoded)["plays"][0]["module_defaults"] == {}
    assert to_flatbuffers(from_flatbuffers(out.read_bytes())) == out.read_bytes()


# -- depth: anything from_flatbuffers accepts renders, without recursion ----------------------------------


def _block_chain(levels: int) -> Task:
    """A block nested ``levels`` deep (the innermost level is a plain task)."""
    nested = Task(path="t.yml", span=Span(1, 1, 1, 2), doc_path="tasks[0]", action="ping")
    for _ in range(levels - 1):
        nested = Task(path="t.yml", span=Span(1, 1, 1, 2), doc_path="tasks[0]", is_block=True, block_tasks=(nested,))
    return nested


def _value_chain(levels: int) -> Any:
    value: Any = "leaf"
    for i in range(levels):
        value = [value] if i % 2 else {"k": value}
    return value


@contextlib.contextmanager
def _recursion_limit(limit: int) -> Iterator[None]:
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, limit))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def _depth_of(text: str) -> int:
    """How deeply a JSON text nests (by its brackets; strings here hold none)."""
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def test_the_deepest_models_a_buffer_can_hold_render_as_json() -> None:
    """MAX_DEPTH levels of blocks (two JSON containers each) or of values render, and load back."""
    deep_blocks = TaskFile(path="t.yml", tasks=(_block_chain(MAX_DEPTH),))
    deep_values = Playbook(path="p.yml", plays=(Play(path="p.yml", span=Span(1, 1, 1, 2), doc_path="plays[0]",
                                                     vars=_value_chain(MAX_DEPTH - 2)),))
    for model in (deep_blocks, deep_values):
        # As another writer may: shep writes 64 tables at most (two Python frames per level then).
        with writing_past_verifier_limits(), _recursion_limit(10_000):
            data = to_flatbuffers(model)
        back = from_flatbuffers(data)  # the reader's own depth limit accepts it
        for fmt in ("json", "jsonl"):
            text = dumping.render(back, fmt).decode("utf-8")
            assert text == dumping.render(model, fmt).decode("utf-8")
            if fmt == "json":
                assert _depth_of(text) >= MAX_DEPTH
                with _recursion_limit(10_000):  # json.loads recurses: give it room to read the result back
                    assert json.loads(text) == model_to_dict(back)
    # The body and its task list, 500 tasks and the 499 block lists between them, the leaf's span.
    assert _depth_of(dumping.render(deep_blocks, "json").decode()) == 2 + 2 * MAX_DEPTH - 1 + 1


# -- the iterative code gives exactly what the recursive code it replaced gave ----------------------------


def _recursive_to_jsonable(value: Any) -> Any:
    """shep.serialize.json.to_jsonable before it was made iterative: the oracle."""
    if isinstance(value, Unsafe):
        return {"__ansible_unsafe": str(value)}
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"__float": repr(value)}
    if isinstance(value, dict):
        return {_json_key(k): _recursive_to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_recursive_to_jsonable(v) for v in value]
    if isinstance(value, Vault):
        return {"__ansible_vault": value.ciphertext}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return {"__ansible_binary": base64.b64encode(value).decode("ascii")}
    return repr(value)


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON text (NaN-proof), and with the same key order."""
    return json.dumps(a) == json.dumps(b)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_value)
def test_to_jsonable_matches_the_recursive_version(value: Any) -> None:
    assert _same(to_jsonable(value), _recursive_to_jsonable(value))
    assert _same(to_jsonable((value, [value])), _recursive_to_jsonable((value, [value])))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (st.lists(children, max_size=4) | st.lists(children, max_size=3).map(tuple)
                      | st.dictionaries(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                                        children, max_size=4)),
    max_leaves=20,
)


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(json_values, st.integers(min_value=0, max_value=4))
def test_dumps_indented_is_json_dumps_text(value: Any, indent: int) -> None:
    assert dumps_indented(value, indent) == json.dumps(value, ensure_ascii=False, indent=indent)


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(models())
def test_model_json_is_what_json_dumps_printed(model: Playbook | TaskFile) -> None:
    body = model_to_dict(model)
    assert model_to_json(model) == json.dumps(body, ensure_ascii=False, indent=2)


def test_fixture_and_golden_models_print_what_json_dumps_printed() -> None:
    sources = [(path, None) for path in sorted((REPO / "fixtures" / "examples").rglob("*.yml"))]
    sources += [(GOLDEN_DIR / f"v{SCHEMA_VERSION}" / name, kind) for name, kind in GOLDEN]
    for path, kind in sources:
        model = load(path, kind)  # type: ignore[arg-type]
        assert model_to_json(model) == json.dumps(model_to_dict(model), ensure_ascii=False, indent=2), path


def test_what_json_cannot_hold_fails_as_in_json_dumps() -> None:
    for bad in ({1, 2}, object(), [b"bytes"], {(1, 2): "tuple key"}):
        with pytest.raises(TypeError):
            json.dumps(bad, indent=2)
        with pytest.raises(TypeError):
            dumps_indented(bad)
    cyclic: list[Any] = [1]
    cyclic.append([cyclic])
    with pytest.raises(ValueError, match="Circular"):
        dumps_indented(cyclic)
    with pytest.raises(ValueError, match="contains itself"):
        to_jsonable({"a": cyclic})
    shared = [1, 2]
    assert dumps_indented([shared, {"x": shared}]) == json.dumps([shared, {"x": shared}], indent=2)
    assert to_jsonable([shared, shared]) == [[1, 2], [1, 2]]
    for scalar in (None, True, 0, -1.5, math.inf, "text ✓", [], {}, ()):
        assert dumps_indented(scalar) == json.dumps(scalar, ensure_ascii=False, indent=2)


def test_deep_values_convert_without_recursion() -> None:
    value = _value_chain(20_000)
    converted = to_jsonable(value)
    text = dumps_indented(converted, indent=0)
    assert _depth_of(text) == 20_000


# -- expanded_size: what decode checks before printing a buffer's shared values -----------------------------


def test_expanded_size_counts_each_appearance_of_a_shared_value() -> None:
    shared = [1, {"a": 2, "b": [3]}]  # 6 values: the list, 1, the dict, 2, the inner list, 3
    task = Task(path="t.yml", span=Span(1, 1, 1, 2), doc_path="tasks[0]", action="debug", name="n",
                args={"x": shared}, vars={"y": shared, "z": [shared, shared]})
    block = Task(path="t.yml", span=Span(1, 1, 1, 2), doc_path="tasks[0]", is_block=True, block_tasks=(task,),
                 when="w")
    model = TaskFile(path="t.yml", tasks=(block,))
    # block: is_block, when, malformed; task: action, name, malformed; args 1 + 6; vars 1 + 6 + (1 + 6 + 6)
    assert expanded_size(model) == 3 + 3 + 7 + 20
    assert expanded_size(from_flatbuffers(to_flatbuffers(model))) == expanded_size(model)
    value: Any = "x"
    for _ in range(200):
        value = [value, value]
    doubled = TaskFile(path="t.yml", tasks=(Task(path="t.yml", span=Span(1, 1, 1, 2), doc_path="tasks[0]",
                                                 vars=value),))
    assert expanded_size(doubled) == 2**201 - 1 + 1  # and malformed; measured in no time: each list once


def test_the_expansion_limit_is_above_what_the_loader_lets_through() -> None:
    from shep.loader.construct import MAX_WEIGHT

    assert MAX_EXPANDED_VALUES == 3 * MAX_WEIGHT  # a task's args may repeat its local_action value
    source = "- local_action:\n    module: copy\n    src: &s [a, b, c]\n    dest: *s\n  vars: {x: *s, y: [*s, *s]}\n"
    model = parse(source.encode(), "tasks", "t.yml")
    # YAML nodes, aliases expanded, keys not counted: local_action 1 + 1 + 4 + 4, vars 1 + 4 + 1 + 8.
    yaml_values = 10 + 14
    # The model holds local_action's values twice (as args, without `module`); its other fields
    # (action, action_key, resolved_action, resolution, malformed) are not values of the YAML.
    assert expanded_size(model) == yaml_values + (1 + 8) + 5
    assert expanded_size(model) <= 2 * yaml_values
