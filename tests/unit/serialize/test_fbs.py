"""shep.serialize.fbs and shep.cli.dumping: exact round-trip, golden buffers, bad input, the corpus."""

from __future__ import annotations

import datetime as dt
import json
import math
import struct
import time
from pathlib import Path
from typing import Any

import flatbuffers
import pytest

from shep._records import fields, replace
from shep.api import load, parse
from shep.cli import dumping
from shep.diagnostics import Diagnostic, Severity, Span
from shep.fbs import File as GenFile
from shep.fbs import Task as GenTask
from shep.fbs import Var as GenVar
from shep.fbs.ActionResolution import ActionResolution
from shep.fbs.VarKind import VarKind as GenVarKind
from shep.loader.values import Unsafe, Vault
from shep.model import Play, Playbook, Task, TaskFile
from shep.resolve import KINDS
from shep.serialize import fbs
from shep.serialize.fbs import MAX_DEPTH, ShepDecodeError, from_flatbuffers, to_flatbuffers
from shep.serialize.json import model_to_dict
from tests.fbs_support import ADDED_FIELDS, GOLDEN, GOLDEN_DIR, REPO, canon, snapshot, source_model

SPAN = Span(1, 1, 1, 2)


def task(**values: Any) -> Task:
    return Task(path="t.yml", span=SPAN, doc_path="tasks[0]", **values)


def roundtrip(model: Playbook | TaskFile, strict: bool = True) -> Playbook | TaskFile:
    data = to_flatbuffers(model)
    back = from_flatbuffers(data)
    assert back == model
    if strict:  # comparing canon() trees of the deepest chains exceeds the interpreter's recursion limit
        assert canon(back) == canon(model)
    assert to_flatbuffers(back) == data
    return back


def task_file(*tasks: Task, diagnostics: tuple[Diagnostic, ...] = ()) -> TaskFile:
    return TaskFile(path="t.yml", tasks=tasks, diagnostics=diagnostics)


# -- values ------------------------------------------------------------------------------------------

TZ = dt.timezone
VALUES = [
    None, True, False, 0, 1, -1, 2**63 - 1, -(2**63), 2**63, -(2**63) - 1, 10**100, -(16**3000),
    0.0, -0.0, 1.5, -2.5e-300, math.inf, -math.inf, math.nan, 1e308,
    "", "text", "üñí ✓ 😀", "nul\x00inside", "\ud800 lone surrogate", "line\nbreak",
    Unsafe(""), Unsafe("{{ not templated }}"), Vault("$ANSIBLE_VAULT;1.1;AES256\n3161\n"), Vault(""),
    b"", b"\x00\xff binary",
    dt.date(2024, 2, 29), dt.date(1, 1, 1), dt.datetime(2001, 12, 14, 21, 59, 43, 100000),
    dt.datetime(2001, 12, 14, 21, 59, 43, tzinfo=TZ.utc),
    dt.datetime(2001, 12, 14, 21, 59, 43, 1, tzinfo=TZ(dt.timedelta(hours=-5))),
    dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=TZ(dt.timedelta(hours=5, minutes=30, seconds=15))),
    [], {}, [None, [1, [2.0, ["3"]]]], {"a": {"b": {"c": []}}},
]
KEYS = [1, -(2**70), True, False, None, 0.5, math.nan, "", "k", Unsafe("unsafe key"), dt.date(2024, 1, 1),
        dt.datetime(2024, 1, 1, 12, 0, tzinfo=TZ.utc), Vault("ct"), b"bytes key"]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_every_value_type_round_trips_with_its_type(value: Any) -> None:
    model = task_file(task(action="debug", args={"v": value}, vars={"v": value}, when=value, loop=[value]))
    back = roundtrip(model)
    assert isinstance(back, TaskFile)
    decoded = back.tasks[0].args["v"]
    assert type(decoded) is type(value)
    if isinstance(value, float) and math.isnan(value):
        assert math.isnan(decoded)


@pytest.mark.parametrize("key", KEYS, ids=repr)
def test_non_string_keys_keep_type_and_order(key: Any) -> None:
    mapping = {"first": 1, key: "value", "last": 2}
    back = roundtrip(task_file(task(args=mapping, vars={"nested": mapping}, extra=mapping)))
    assert isinstance(back, TaskFile)
    assert [type(k) for k in back.tasks[0].args] == [type(k) for k in mapping]
    assert canon(list(back.tasks[0].vars["nested"])) == canon(list(mapping))


def test_nan_comes_back_as_nan_and_negative_zero_keeps_its_sign() -> None:
    back = roundtrip(task_file(task(vars={"nan": math.nan, "zero": -0.0})))
    assert isinstance(back, TaskFile)
    assert math.isnan(back.tasks[0].vars["nan"])
    assert math.copysign(1.0, back.tasks[0].vars["zero"]) == -1.0


def test_aliases_are_written_once_and_come_back_shared() -> None:
    shared = [{"big": "x" * 1000}] * 3
    model = task_file(task(vars={"a": shared, "b": shared}, environment=shared))
    back = roundtrip(model)
    assert isinstance(back, TaskFile)
    vars_ = back.tasks[0].vars
    assert vars_["a"] is vars_["b"] is back.tasks[0].environment
    unshared = task_file(task(vars={"a": list(shared), "b": [dict(d) for d in shared]}, environment=list(shared)))
    assert len(to_flatbuffers(model)) < len(to_flatbuffers(unshared))


def test_unset_is_not_false_zero_or_empty() -> None:
    unset = task()
    falsy = task(become=False, port=0, name="", tags=[], vars={}, when=None, action="", free_form_args="")
    back = roundtrip(task_file(unset, falsy))
    assert isinstance(back, TaskFile)
    assert back.tasks[0].become is None and back.tasks[0].action is None
    assert back.tasks[1].become is False and back.tasks[1].port == 0 and back.tasks[1].name == ""
    assert back.tasks[1].action == "" and back.tasks[1].free_form_args == ""


def test_unsafe_strings_in_typed_fields_stay_unsafe() -> None:
    t = task(action=Unsafe("copy"), action_key=Unsafe("copy"), free_form_args=Unsafe("x"),
             variable_args=Unsafe("{{ v }}"), error=Unsafe("e"), loop_with=Unsafe("items"))
    play = Play(path="p.yml", span=SPAN, doc_path="plays[0]", import_action=Unsafe("import_playbook"),
                import_playbook="other.yml")
    roundtrip(task_file(t))
    roundtrip(Playbook(path="p.yml", plays=(play,)))


def test_every_field_of_task_and_play_round_trips() -> None:
    def full(cls: type, children: tuple[Task, ...]) -> Any:
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name in ("path", "doc_path"):
                values[f.name] = f"{f.name}-value"
            elif f.name == "span":
                values[f.name] = Span(1, 2, 3, 4)
            elif f.name == "key_spans":
                values[f.name] = (("a", Span(5, 6, 7, 8)), ("b", Span(9, 10, 11, 12)))
            elif f.name == "arg_spans":
                values[f.name] = (("src", Span(13, 14, 13, 17)), ("dest", Span(15, 5, 15, 9)))
            elif f.type == "bool":
                values[f.name] = True
            elif f.name == "resolution":  # a word of shep.resolve.KINDS
                values[f.name] = KINDS[-1]
            elif f.type.startswith("tuple["):
                values[f.name] = children
            elif f.type.startswith("dict["):
                values[f.name] = {f.name: 1, 2: [f.name]}
            else:  # "Any" and "str | None"
                values[f.name] = f"{f.name}!"
        return cls(**values)

    leaf = full(Task, ())
    block = full(Task, (leaf, leaf))
    roundtrip(task_file(block, leaf))
    roundtrip(Playbook(path="p.yml", plays=(full(Play, (block,)),)))


def test_diagnostics_round_trip() -> None:
    diagnostics = tuple(Diagnostic(code=f"X{s}", name="n", severity=s, message="m ✓", path="t.yml",
                                   span=Span(s + 1, 2, 3, 4), hint=None if s else "a hint") for s in Severity)
    back = roundtrip(task_file(diagnostics=diagnostics))
    assert [type(d.severity) for d in back.diagnostics] == [Severity] * 3


def test_file_kinds_and_empty_files() -> None:
    for model in (Playbook(path="p.yml"), TaskFile(path="t.yml"), TaskFile(path="h.yml", kind="handlers"),
                  Playbook(path="", plays=(Play(path="", span=Span(0, 0, 0, 0), doc_path=""),))):
        assert roundtrip(model).kind == model.kind


def _chain(levels: int) -> Any:
    value: Any = "leaf"
    for _ in range(levels):
        value = [value]
    return value


def _wrap(value: Any, levels: int) -> Any:
    for _ in range(levels):
        value = [value]
    return value


def test_writes_only_what_default_verifiers_accept() -> None:
    """max_depth 64 counts the File and TaskList tables too: tasks sit at level 1, 62 levels are left."""
    limit = fbs.VERIFIER_MAX_DEPTH - 2
    # Level 1 is the task, 2 its `vars` list: the leaf of limit - 2 lists sits at the limit.
    roundtrip(task_file(task(vars=_chain(limit - 2))), strict=False)
    with pytest.raises(fbs.BufferLimitError, match="65 tables deep.*64 by default"):
        to_flatbuffers(task_file(task(vars=_chain(limit - 1))))
    nested = task()
    for _ in range(limit - 1):
        nested = task(is_block=True, block_tasks=(nested,))
    data = to_flatbuffers(task_file(nested))
    assert to_flatbuffers(from_flatbuffers(data)) == data
    with pytest.raises(fbs.BufferLimitError, match="deep"):
        to_flatbuffers(task_file(task(is_block=True, block_tasks=(nested,))))
    cyclic: list[Any] = []
    cyclic.append(cyclic)
    with pytest.raises(fbs.BufferLimitError, match="cyclic"):
        to_flatbuffers(task_file(task(vars=cyclic)))


def test_a_shared_value_counts_where_each_alias_puts_it() -> None:
    """A verifier walks an aliased subtree again at each reference: its depth and tables add up there."""
    shared = _chain(30)
    to_flatbuffers(task_file(task(vars={"a": shared, "b": _chain(25)})))
    with pytest.raises(fbs.BufferLimitError, match="deep"):  # first written shallow, used deep
        to_flatbuffers(task_file(task(vars={"a": shared, "b": _wrap(shared, 31)})))
    row = list(range(999))  # 999 Var tables under one list Var: 1000 per reference
    to_flatbuffers(task_file(task(vars=[row] * 990)))
    with pytest.raises(fbs.BufferLimitError, match="1,000,000 by default"):
        to_flatbuffers(task_file(task(vars=[row] * 1001)))


def test_reads_nesting_up_to_max_depth() -> None:
    """The reader follows what another writer may nest deeper than shep writes, up to MAX_DEPTH levels."""
    back = from_flatbuffers(_fan_out_buffer(width=1, depth=MAX_DEPTH))
    levels, current = 1, back.tasks[0]  # type: ignore[union-attr]
    while current.block_tasks:
        levels, current = levels + 1, current.block_tasks[0]
    assert levels == MAX_DEPTH
    with pytest.raises(ShepDecodeError, match="deeper than"):
        from_flatbuffers(_fan_out_buffer(width=1, depth=MAX_DEPTH + 1))


def test_deterministic_bytes() -> None:
    path = REPO / "fixtures" / "examples" / "site.yml"
    first, second = load(path), load(path)
    assert first is not second
    assert to_flatbuffers(first) == to_flatbuffers(second) == to_flatbuffers(first)


def test_encoding_errors() -> None:
    with pytest.raises(TypeError, match="set"):
        to_flatbuffers(task_file(task(vars={1, 2})))
    with pytest.raises(TypeError, match="tuple"):
        to_flatbuffers(task_file(task(when=(1, 2))))
    with pytest.raises(ValueError, match="span"):
        to_flatbuffers(task_file(replace(task(), span=Span(-1, 1, 1, 1))))
    with pytest.raises(ValueError, match="kind"):
        to_flatbuffers(Playbook(path="p", kind="tasks"))
    with pytest.raises(TypeError, match="Playbook or a TaskFile"):
        to_flatbuffers("not a model")  # type: ignore[arg-type]


# -- the schema and the generated code ---------------------------------------------------------------


def test_serializer_covers_every_model_field() -> None:
    """A field added to the model must be added to the schema and to serialize/fbs.py (append it)."""
    located = {"span", "key_spans"}
    assert {f.name for f in fields(Task)} - located - {"arg_spans"} == {f.name for f in fbs._TASK.fields}
    assert {f.name for f in fields(Play)} - located == {f.name for f in fbs._PLAY.fields}
    assert [f.name for f in fields(Diagnostic)] == ["code", "name", "severity", "message", "path", "span", "hint"]
    assert [f.name for f in fields(Playbook)] == ["path", "plays", "diagnostics", "kind"]
    assert [f.name for f in fields(TaskFile)] == ["path", "kind", "tasks", "diagnostics"]


class _StartProbe:
    fields = -1

    def StartObject(self, n: int) -> None:  # noqa: N802 (the Builder's name)
        self.fields = n


@pytest.mark.parametrize("spec", [fbs._TASK, fbs._PLAY], ids=["Task", "Play"])
def test_every_schema_slot_is_used_exactly_once(spec: Any) -> None:
    probe = _StartProbe()
    spec.start(probe)
    special = [spec.span_slot, spec.keys_slot, spec.key_spans_slot, spec.unsafe_slot]
    if spec is fbs._TASK:
        special += [fbs._T_ARG_KEYS, fbs._T_ARG_SPANS]  # Task.arg_spans, written like key_spans
    slots = sorted([f.slot for f in spec.fields] + special)
    assert slots == list(range(probe.fields))


def test_buffers_carry_the_identifier_and_read_with_the_generated_accessors() -> None:
    model = load(REPO / "fixtures" / "examples" / "site.yml")
    data = to_flatbuffers(model)
    assert data[4:8] == b"SHEP"
    assert GenFile.File.FileBufferHasIdentifier(data, 0)
    root = GenFile.File.GetRootAs(data, 0)
    assert root.SchemaVersion() == fbs.SCHEMA_VERSION
    assert root.Path().decode() == model.path
    play = root.Playbook().Plays(0)
    first = play.Tasks(0)
    assert isinstance(model, Playbook)
    assert first.Action().decode() == model.plays[0].tasks[0].action
    assert first.Span().Line() == model.plays[0].tasks[0].span.line


def _float_field_present(data: bytes) -> bool:
    vars_ = GenFile.File.GetRootAs(data, 0).TaskList().Tasks(0).Vars()
    return bool(vars_._tab.Offset(4 + 2 * fbs._V_FLOAT))  # the vtable entry of float_value


def test_float_is_written_even_when_zero() -> None:
    """The field's default is 0.0 and the generated adder skips it: shep writes 0.0 and -0.0 anyway."""
    for number in (0.0, -0.0, 1.5):
        data = to_flatbuffers(task_file(task(vars=number)))
        assert _float_field_present(data), number
        back = from_flatbuffers(data).tasks[0].vars  # type: ignore[union-attr]
        assert math.copysign(1, back) == math.copysign(1, number) and back == number


@pytest.mark.parametrize("kind", KINDS)
def test_every_resolution_round_trips(kind: str) -> None:
    name = None if kind in ("unknown", "removed", "not-found", "templated") else "ansible.builtin.copy"
    back = roundtrip(task_file(task(action="copy", action_key="copy", resolved_action=name, resolution=kind)))
    assert (back.tasks[0].resolved_action, back.tasks[0].resolution) == (name, kind)  # type: ignore[union-attr]


def test_the_resolution_enum_is_the_vocabulary_of_shep_resolve() -> None:
    """ActionResolution's values are KINDS in order, PascalCase, after Unset (0): a new kind is appended to both."""
    members = sorted((value, name) for name, value in vars(ActionResolution).items() if not name.startswith("_"))
    pascal = ["".join(part.capitalize() for part in kind.split("-")) for kind in KINDS]
    assert members == list(enumerate(["Unset", *pascal]))


def test_no_resolution_writes_nothing_and_an_unknown_one_is_refused() -> None:
    plain = to_flatbuffers(task_file(task(action="copy", action_key="copy")))
    resolved = to_flatbuffers(task_file(task(action="copy", action_key="copy", resolved_action="ansible.builtin.copy",
                                             resolution="builtin-module")))
    assert len(plain) < len(resolved)
    with pytest.raises(ValueError, match="unknown action resolution 'maybe'"):
        to_flatbuffers(task_file(task(resolution="maybe")))

    def tasks(b: Any, path: int) -> list[int]:
        GenTask.TaskStart(b)
        GenTask.TaskAddPath(b, path)
        GenTask.TaskAddDocPath(b, path)
        GenTask.TaskAddResolution(b, len(KINDS) + 1)
        GenTask.TaskAddSpan(b, fbs._S.CreateSpan(b, 1, 1, 1, 1))
        return [int(GenTask.TaskEnd(b))]

    with pytest.raises(ShepDecodeError, match=f"unknown action resolution {len(KINDS) + 1}"):
        from_flatbuffers(_task_file_buffer(flatbuffers.Builder(0), tasks))


def test_what_another_writer_may_leave_out_reads_as_empty() -> None:
    """A conforming writer drops defaults and empty strings (C++'s object API does): no ShepDecodeError."""
    def tasks(b: Any, path: int) -> list[int]:
        made = []
        for kind in (GenVarKind.Float, GenVarKind.Str, GenVarKind.Unsafe, GenVarKind.Binary, GenVarKind.BigInt,
                     GenVarKind.List, GenVarKind.Map):
            GenVar.VarStart(b)
            GenVar.VarAddKind(b, kind)
            made.append(_task(b, path, vars_=GenVar.VarEnd(b)))
        return made

    back = from_flatbuffers(_task_file_buffer(flatbuffers.Builder(0), tasks))
    values = [t.vars for t in back.tasks]  # type: ignore[union-attr]
    assert values == [0.0, "", Unsafe(""), b"", 0, [], {}]
    assert [type(v) for v in values] == [float, str, Unsafe, bytes, int, list, dict]


# -- golden buffers ----------------------------------------------------------------------------------

GOLDEN_CASES = [(version, name, kind) for version in sorted(p.name for p in GOLDEN_DIR.glob("v*"))
                for name, kind in GOLDEN if (GOLDEN_DIR / version / name).with_suffix(".shep").exists()]


def test_golden_fixtures_exist_for_the_current_schema_version() -> None:
    assert {(v, n) for v, n, _ in GOLDEN_CASES} >= {(f"v{fbs.SCHEMA_VERSION}", n) for n, _ in GOLDEN}


@pytest.mark.parametrize(("version", "name", "kind"), GOLDEN_CASES)
def test_golden_buffer_still_decodes_to_the_model_it_was_written_from(version: str, name: str, kind: str) -> None:
    """The snapshot was frozen with the buffer, so loader changes never touch this schema guard. Fields
    the model gained after that version (ADDED_FIELDS) read as their defaults and are not in the snapshot."""
    directory = GOLDEN_DIR / version
    data = (directory / name).with_suffix(".shep").read_bytes()
    decoded = from_flatbuffers(data)
    assert snapshot(decoded, int(version[1:])) == (directory / name).with_suffix(".model.txt").read_text()
    assert decoded.kind == kind
    if version == f"v{fbs.SCHEMA_VERSION}":
        assert to_flatbuffers(decoded) == data, "same model, different bytes: the encoding changed"


@pytest.mark.parametrize(("version", "name", "kind"), [case for case in GOLDEN_CASES if case[0] in ("v1", "v2")])
def test_buffers_older_than_the_resolution_read_it_as_unset(version: str, name: str, kind: str) -> None:
    """Version 1 and 2 buffers have no resolved_action/resolution: every task reads None and "", and
    ADDED_FIELDS (what the snapshots of older versions leave out) names exactly those."""
    decoded = from_flatbuffers((GOLDEN_DIR / version / name).with_suffix(".shep").read_bytes())
    tasks = decoded.tasks() if isinstance(decoded, Playbook) else decoded.all_tasks()
    assert tasks and {(t.resolved_action, t.resolution) for t in tasks} == {(None, "")}
    assert any(t.action for t in tasks)
    assert ADDED_FIELDS == {3: {"Task": ("resolved_action", "resolution", "arg_spans")}}


@pytest.mark.parametrize(("name", "kind"), GOLDEN)
def test_current_source_round_trips(name: str, kind: str) -> None:
    model = source_model(GOLDEN_DIR / f"v{fbs.SCHEMA_VERSION}", name, kind)
    assert canon(from_flatbuffers(to_flatbuffers(model))) == canon(model)


# -- bad buffers -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_buffer() -> bytes:
    return to_flatbuffers(load(REPO / "fixtures" / "examples" / "site.yml"))


@pytest.mark.parametrize("data", [b"", b"SHEP", b"\x00" * 64, b"{\"path\": 1}", b"\x0c\x00\x00\x00FBSX" + b"\0" * 16,
                                  b"\xff\xff\xff\xffSHEP", b"\x08\x00\x00\x00SHEP\x00\x00\x00\x00"],
                         ids=repr)
def test_foreign_and_empty_input(data: bytes) -> None:
    with pytest.raises(ShepDecodeError):
        from_flatbuffers(data)


def test_input_must_be_bytes() -> None:
    with pytest.raises(TypeError):
        from_flatbuffers("SHEP")  # type: ignore[arg-type]
    assert from_flatbuffers(bytearray(to_flatbuffers(TaskFile(path="x")))) == TaskFile(path="x")


def test_every_truncation_and_every_byte_flip_is_clean(site_buffer: bytes) -> None:
    original = from_flatbuffers(site_buffer)
    intact = []
    for cut in range(len(site_buffer)):
        try:
            decoded = from_flatbuffers(site_buffer[:cut])
        except ShepDecodeError:
            continue
        assert decoded == original  # only trailing alignment padding was cut
        intact.append(cut)
    assert len(intact) < 4 and all(site_buffer[cut:] == bytes(len(site_buffer) - cut) for cut in intact)
    for at in range(len(site_buffer)):
        corrupted = bytearray(site_buffer)
        corrupted[at] ^= 0xFF
        try:
            from_flatbuffers(bytes(corrupted))
        except ShepDecodeError:
            pass


def _patch_u32(data: bytes, at: int, value: int) -> bytes:
    out = bytearray(data)
    struct.pack_into("<I", out, at, value)
    return bytes(out)


def test_schema_version_checks(site_buffer: bytes) -> None:
    root = struct.unpack_from("<I", site_buffer, 0)[0]
    version_at = root + GenFile.File.GetRootAs(site_buffer, 0)._tab.Offset(4)
    assert struct.unpack_from("<I", site_buffer, version_at)[0] == fbs.SCHEMA_VERSION
    with pytest.raises(ShepDecodeError, match="upgrade shep"):
        from_flatbuffers(_patch_u32(site_buffer, version_at, fbs.SCHEMA_VERSION + 1))
    with pytest.raises(ShepDecodeError, match="schema version"):
        from_flatbuffers(_patch_u32(site_buffer, version_at, 0))


def _task_file_buffer(b: Any, build_tasks: Any) -> bytes:
    """Finish a hand-built buffer: a task file whose tasks are made by ``build_tasks(builder, path)``."""
    path = b.CreateString("p")
    tasks = build_tasks(b, path)
    b.StartVector(4, len(tasks), 4)
    for off in reversed(tasks):
        b.PrependUOffsetTRelative(off)
    vector = b.EndVector()
    fbs._TL.TaskListStart(b)
    fbs._TL.TaskListAddTasks(b, vector)
    body = fbs._TL.TaskListEnd(b)
    GenFile.FileStart(b)
    GenFile.FileAddSchemaVersion(b, 1)
    GenFile.FileAddKind(b, 1)
    GenFile.FileAddPath(b, path)
    GenFile.FileAddTaskList(b, body)
    b.Finish(GenFile.FileEnd(b), file_identifier=b"SHEP")
    return bytes(b.Output())


def _task(b: Any, path: int, block_tasks: int = 0, vars_: int = 0) -> int:
    GenTask.TaskStart(b)
    GenTask.TaskAddPath(b, path)
    GenTask.TaskAddDocPath(b, path)
    if block_tasks:
        GenTask.TaskAddBlockTasks(b, block_tasks)
    if vars_:
        GenTask.TaskAddVars(b, vars_)
    GenTask.TaskAddSpan(b, fbs._S.CreateSpan(b, 1, 1, 1, 1))
    return int(GenTask.TaskEnd(b))


def _fan_out_buffer(width: int, depth: int) -> bytes:
    """block_tasks vectors that point ``width`` times at the same child: width**depth tasks if followed."""

    def tasks(b: Any, path: int) -> list[int]:
        child = _task(b, path)
        for _ in range(depth - 1):
            b.StartVector(4, width, 4)
            for _ in range(width):
                b.PrependUOffsetTRelative(child)
            child = _task(b, path, block_tasks=b.EndVector())
        return [child]

    return _task_file_buffer(flatbuffers.Builder(0), tasks)


def test_shared_references_cannot_blow_up() -> None:
    small = _fan_out_buffer(width=2, depth=3)  # 7 visits: a small DAG still decodes
    assert isinstance(from_flatbuffers(small), TaskFile)
    bomb = _fan_out_buffer(width=200, depth=8)  # 200**7 tasks if followed naively
    start = time.perf_counter()
    with pytest.raises(ShepDecodeError, match="more tables than the buffer can hold"):
        from_flatbuffers(bomb)
    assert time.perf_counter() - start < 2


def test_overlapping_strings_cannot_multiply_memory() -> None:
    """1000 Str Vars pointing inside one string, each reading a 3840-byte string: 3.8 MB from 50 kB."""

    def tasks(b: Any, path: int) -> list[int]:
        text = b.CreateString(b"\x00\x0f\x00\x00" * 8000)  # every 4th byte starts "length 3840"
        items = []
        for k in range(1000):
            GenVar.VarStart(b)
            GenVar.VarAddKind(b, fbs.VarKind.Str)
            GenVar.VarAddStrValue(b, text - 4 - 4 * k)
            items.append(GenVar.VarEnd(b))
        b.StartVector(4, len(items), 4)
        for off in reversed(items):
            b.PrependUOffsetTRelative(off)
        vector = b.EndVector()
        GenVar.VarStart(b)
        GenVar.VarAddKind(b, fbs.VarKind.List)
        GenVar.VarAddItems(b, vector)
        return [_task(b, path, vars_=GenVar.VarEnd(b))]

    with pytest.raises(ShepDecodeError, match="overlap"):
        from_flatbuffers(_task_file_buffer(flatbuffers.Builder(0), tasks))


def test_huge_vector_length_and_long_string(site_buffer: bytes) -> None:
    root = GenFile.File.GetRootAs(site_buffer, 0)
    playbook = root.Playbook()._tab
    plays_at = playbook.Pos + playbook.Offset(4)
    vector = plays_at + struct.unpack_from("<I", site_buffer, plays_at)[0]
    with pytest.raises(ShepDecodeError, match="runs past the end"):
        from_flatbuffers(_patch_u32(site_buffer, vector, 0xFFFFFFFF))
    path_at = root._tab.Pos + root._tab.Offset(8)
    string = path_at + struct.unpack_from("<I", site_buffer, path_at)[0]
    with pytest.raises(ShepDecodeError, match="runs past the end"):
        from_flatbuffers(_patch_u32(site_buffer, string, len(site_buffer)))


# -- CLI functions -----------------------------------------------------------------------------------


def _run(capsysbinary: pytest.CaptureFixture[bytes], call: Any) -> tuple[int, bytes]:
    """Exit code and stdout bytes of a CLI function."""
    code = call()
    return code, capsysbinary.readouterr().out


@pytest.mark.parametrize(("name", "kind"), GOLDEN)
@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_cli_decode_prints_what_dump_prints(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes],
                                            name: str, kind: str, fmt: str) -> None:
    source = str(GOLDEN_DIR / f"v{fbs.SCHEMA_VERSION}" / name)
    out = str(tmp_path / "out.shep")
    code = dumping.dump_command([source], kind, "fbs", out)  # type: ignore[arg-type]
    capsysbinary.readouterr()
    assert code in (0, 1)
    dump_code, dumped = _run(capsysbinary, lambda: dumping.dump_command([source], kind, fmt, None))
    decode_code, decoded = _run(capsysbinary, lambda: dumping.decode_command(out, fmt))
    assert decode_code == 0 and dump_code == code
    assert decoded == dumped and decoded
    for line in decoded.decode().splitlines() if fmt == "jsonl" else [decoded.decode()]:
        json.loads(line)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.shep"]  # no temp file left behind


def test_cli_dump_json_matches_model_to_dict(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    source = REPO / "fixtures" / "examples" / "site.yml"
    assert dumping.dump_command([str(source)], None, "json", None) == 0
    assert json.loads(capsysbinary.readouterr().out) == model_to_dict(load(source))


def test_cli_refuses_binary_on_a_terminal(monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert dumping.dump_command([str(REPO / "fixtures" / "examples" / "site.yml")], None, "fbs", None) == 2
    assert "use -o" in capsys.readouterr().err


def test_cli_fbs_to_a_pipe_writes_the_buffer(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    source = REPO / "fixtures" / "examples" / "site.yml"
    assert dumping.dump_command([str(source)], None, "fbs", None) == 0
    assert capsysbinary.readouterr().out == to_flatbuffers(load(source))


def test_cli_usage_and_io_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = str(REPO / "fixtures" / "examples" / "site.yml")
    assert dumping.dump_command([site, site], None, "fbs", str(tmp_path / "x.shep")) == 2
    assert dumping.dump_command([site], None, "xml", None) == 2
    assert dumping.dump_command([str(tmp_path / "missing.yml")], None, "fbs", str(tmp_path / "x.shep")) == 2
    assert not (tmp_path / "x.shep").exists()
    assert dumping.decode_command(str(tmp_path / "missing.shep"), "json") == 2
    assert dumping.decode_command(site, "fbs") == 2
    bad = tmp_path / "bad.shep"
    bad.write_bytes(to_flatbuffers(load(site))[:200])
    assert dumping.decode_command(str(bad), "json") == 2
    err = capsys.readouterr().err
    assert "exactly one file" in err and "unknown format" in err and "cannot read" in err
    assert f"{bad}: corrupt shep buffer" in err
    assert "Traceback" not in err


def test_cli_dump_reports_content_errors_with_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "bad.yml"
    source.write_text("- copy: src=a\n  shell: echo\n", encoding="utf-8")
    out = tmp_path / "bad.shep"
    assert dumping.dump_command([str(source)], "tasks", "fbs", str(out)) == 1
    assert "D001" in capsys.readouterr().err
    assert from_flatbuffers(out.read_bytes()) == load(source, "tasks")


def test_render_escapes_lone_surrogates() -> None:
    model = task_file(task(action="debug", args={"msg": "\ud800"}))
    text = dumping.render(model, "jsonl").decode("utf-8")
    assert json.loads(text)["args"]["msg"] == "\ud800"
    assert json.loads(dumping.render(model, "json"))["tasks"][0]["args"]["msg"] == "\ud800"


# -- the shared corpus -------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.corpus
def test_corpus_round_trip(corpus: Path, manifest: list[dict[str, Any]]) -> None:
    """Every file of ../shared/corpus: decode(encode(m)) == m, type-strictly, with identical JSON dumps."""
    failures = []
    for entry in manifest:
        model = load(corpus / entry["repo"] / entry["path"], entry["kind"])
        data = to_flatbuffers(model)
        back = from_flatbuffers(data)
        if back != model or canon(back) != canon(model):
            failures.append(f"{entry['repo']}/{entry['path']}: model differs")
        elif dumping.render(back, "json") != dumping.render(model, "json"):
            failures.append(f"{entry['repo']}/{entry['path']}: json differs")
        elif to_flatbuffers(back) != data:
            failures.append(f"{entry['repo']}/{entry['path']}: not deterministic")
    assert len(manifest) > 800
    assert not failures, "\n".join(failures[:20])


def test_parse_and_load_give_the_same_bytes(tmp_path: Path) -> None:
    source = tmp_path / "t.yml"
    source.write_text("- debug: msg=hi\n", encoding="utf-8")
    assert to_flatbuffers(parse(source.read_bytes(), "tasks", str(source))) == to_flatbuffers(load(source, "tasks"))


def test_lone_surrogates_in_values_and_keys_are_written_as_valid_utf8() -> None:
    """A YAML "\\ud800" escape gives a lone surrogate: no valid UTF-8 for a `string`, so WTF-8 bytes_value."""
    model = task_file(task(vars={"k\ud800": "v\udfff", "plain": Unsafe("u\ud800")}, when=Vault("\ud800")))
    data = to_flatbuffers(model)
    written = GenFile.File.GetRootAs(data, 0).TaskList().Tasks(0)
    item = written.Vars().Items(0)
    assert item.Key() is None and item.KeyVar().StrValue() is None and item.KeyVar().BytesValueLength() == 4
    assert item.StrValue() is None and bytes(item.BytesValue(i) for i in range(4)) == "v\udfff".encode("utf-8", "surrogatepass")
    assert written.Vars().Items(1).Key() == b"plain" and written.WhenKeyword().StrValue() is None
    back = from_flatbuffers(data).tasks[0]  # type: ignore[union-attr]
    assert back.vars == {"k\ud800": "v\udfff", "plain": Unsafe("u\ud800")} and type(back.vars["plain"]) is Unsafe
    assert back.when == Vault("\ud800")


def test_a_file_name_that_is_not_utf8_keeps_its_bytes() -> None:
    """os.fsdecode turns undecodable bytes into surrogate escapes: path_bytes keeps them, `path` is valid UTF-8."""
    import os

    name = os.fsdecode(b"roles/caf\xe9/tasks/main.yml")
    problem = Diagnostic(code="Y001", name="yaml-syntax", severity=Severity.ERROR, message="m", path=name, span=SPAN)
    model = TaskFile(path=name, tasks=(replace(task(), path=name),), diagnostics=(problem,))
    data = to_flatbuffers(model)
    root = GenFile.File.GetRootAs(data, 0)
    assert root.Path().decode("utf-8") == "roles/caf\ufffd/tasks/main.yml"
    assert bytes(root.PathBytes(i) for i in range(root.PathBytesLength())) == b"roles/caf\xe9/tasks/main.yml"
    back = from_flatbuffers(data)
    assert back.path == name and back.tasks[0].path == name and back.diagnostics[0].path == name  # type: ignore[union-attr]
    assert GenFile.File.GetRootAs(to_flatbuffers(task_file(task())), 0).PathBytesLength() == 0  # UTF-8: no copy


def test_cli_refuses_a_file_too_deep_for_default_verifiers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """YAML the loader accepts (up to 200 levels) but nested past 64 tables: JSON yes, FlatBuffers exit 2."""
    deep = tmp_path / "deep.yml"
    deep.write_text("- debug:\n    msg: " + "[" * 70 + "x" + "]" * 70 + "\n")
    out = tmp_path / "deep.shep"
    assert dumping.dump_command([str(deep)], "tasks", "fbs", str(out)) == 2
    assert not out.exists()
    err = capsys.readouterr().err
    assert f"{deep}: cannot encode as FlatBuffers: the model nests 65 tables deep" in err and "Traceback" not in err
    assert dumping.dump_command([str(deep)], "tasks", "json", str(tmp_path / "deep.json")) == 0
