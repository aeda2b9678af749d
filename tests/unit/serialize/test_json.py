"""shep.serialize.json: the model JSON keeps what was written, and renders models of any depth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shep._records import fields
from shep.api import parse
from shep.cli import fbs_cli
from shep.diagnostics import Span
from shep.model import Play, Playbook, Task, TaskFile
from shep.serialize.fbs import from_flatbuffers, to_flatbuffers
from shep.serialize.json import model_to_dict

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
    assert with_defaults - _OMITTED_WHEN_EMPTY == {"path", "span", "doc_path", "key_spans", "malformed"}
    assert _OMITTED_WHEN_EMPTY <= with_defaults


def test_dump_and_decode_print_the_empty_values_the_buffer_keeps(tmp_path: Path, capsysbinary: Any) -> None:
    source = tmp_path / "site.yml"
    source.write_text(EMPTY_VALUES, encoding="utf-8")
    out = tmp_path / "site.shep"
    assert fbs_cli.dump_command([str(source)], "playbook", "fbs", str(out)) == 0
    assert from_flatbuffers(out.read_bytes()).plays[0].module_defaults == {}  # type: ignore[union-attr]
    capsysbinary.readouterr()
    assert fbs_cli.dump_command([str(source)], "playbook", "json", None) == 0
    dumped = capsysbinary.readouterr().out
    assert fbs_cli.decode_command(str(out), "json") == 0
    decoded = capsysbinary.readouterr().out
    assert dumped == decoded
    assert json.loads(decoded)["plays"][0]["module_defaults"] == {}
    assert to_flatbuffers(from_flatbuffers(out.read_bytes())) == out.read_bytes()
