"""The model as FlatBuffers (schema/task.fbs, schema/playbook.fbs): exact, deterministic, checked.

``to_flatbuffers(model)`` writes a ``Playbook`` or ``TaskFile`` as one ``.shep`` buffer (the root table
``File``, file identifier ``SHEP``); ``from_flatbuffers(data)`` reads it back to an equal model: every
field, every value type (int of any size, float including -0.0/inf/nan, ``Unsafe``, ``Vault``, bytes,
dates, mappings with non-string keys in order), block nesting and diagnostics. The same model always
gives the same bytes. Mutable values the model shares (YAML aliases) are written once and come back
shared.

Writing uses flatc's generated builders (``shep.fbs``). Reading uses a small reader of its own,
because the Python runtime has no verifier (a cut buffer reads silently as garbage): every offset,
vtable, vector and string is checked against the buffer before it is read, nesting is capped at
``MAX_DEPTH``, and the work done is bounded by the buffer's size (tables visited, bytes decoded), so
truncated, corrupted, empty or foreign input raises ``ShepDecodeError`` and nothing else, quickly.

Vtable slot numbers are not written down here: they are read from the generated ``XAdd<Field>``
functions at import time (``_slot_of``), so the schema stays the single source of truth.

Every buffer written passes the default FlatBuffers verifiers of other languages (C++, Rust…): at
most ``VERIFIER_MAX_DEPTH`` tables deep and ``VERIFIER_MAX_TABLES`` tables as a verifier counts them
(a shared subtree once per reference); a model beyond either raises ``BufferLimitError``. Text is
valid UTF-8 for strict readers: a Var string with a lone surrogate goes in ``bytes_value`` (WTF-8),
and a file name that is not UTF-8 keeps its raw bytes in ``File.path_bytes``.
"""

from __future__ import annotations

import datetime as dt
import math
import struct
from collections.abc import Callable
from typing import Any, Final, TypeVar

import flatbuffers

from shep._records import field, record
from shep.diagnostics import Diagnostic, Severity, Span
from shep.fbs import Diagnostic as _D
from shep.fbs import File as _F
from shep.fbs import Play as _P
from shep.fbs import Playbook as _PB
from shep.fbs import Span as _S
from shep.fbs import Task as _T
from shep.fbs import TaskList as _TL
from shep.fbs import Var as _V
from shep.fbs.FileKind import FileKind
from shep.fbs.PlayString import PlayString
from shep.fbs.TaskString import TaskString
from shep.fbs.VarKind import VarKind
from shep.loader.values import Unsafe, Vault
from shep.model import KeySpans, Model, Play, Playbook, Task, TaskFile
from shep.resolve import KINDS as RESOLUTION_KINDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shep.model import Kind

__all__ = [
    "FILE_EXTENSION", "FILE_IDENTIFIER", "MAX_DEPTH", "SCHEMA_VERSION", "VERIFIER_MAX_DEPTH", "VERIFIER_MAX_TABLES",
    "BufferLimitError", "ShepDecodeError", "from_flatbuffers", "to_flatbuffers",
]

# 2: fields renamed after target languages' keywords, unsafe_strings a plain uint, float_value no
# optional scalar, (required) fields, File.path_bytes, WTF-8 bytes_value strings. The layout of
# version 1 is unchanged, so version 1 buffers decode as they did.
# 3: Task.resolved_action and Task.resolution (appended). Buffers of versions 1 and 2 decode with
# them at the model's defaults (None and "").
SCHEMA_VERSION: Final = 3
FILE_IDENTIFIER: Final = b"SHEP"
FILE_EXTENSION: Final = "shep"
# Levels of plays, tasks, blocks and values (lists, mappings, keys) the reader follows. One Python
# frame per level keeps it clear of the recursion limit.
MAX_DEPTH: Final = 500
# The defaults of FlatBuffers verifiers (C++ Verifier::Options, Rust VerifierOptions): what shep writes
# must pass them, so that no reader needs options of its own.
VERIFIER_MAX_DEPTH: Final = 64
VERIFIER_MAX_TABLES: Final = 1_000_000
# The root File table and its Playbook/TaskList sit above the plays and tasks of level 1.
_LEVELS_ABOVE_ITEMS: Final = 2
# Model keyword fields whose names are keywords of a flatc target language (Rust async/become/loop/
# static, C++ register, TypeScript debugger, Java notify, Kotlin when, Lua until): in the schema they
# are ``<name>_keyword``, so that no generated accessor is renamed or fails to compile.
TARGET_LANGUAGE_KEYWORDS: Final = frozenset({"async", "become", "debugger", "loop", "notify", "register", "static",
                                             "until", "when"})

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_UINT32_MAX = 2**32 - 1
_TEXT_ERRORS = "surrogatepass"  # YAML "\ud800" escapes give lone surrogates; keep them
_NO_KEY: Final = object()


class ShepDecodeError(ValueError):
    """The bytes are not a well-formed shep FlatBuffers buffer (empty, foreign, truncated, corrupted)."""


class BufferLimitError(ValueError):
    """The model is too deep or too large for a buffer that default FlatBuffers verifiers accept."""


def schema_field_name(model_field: str) -> str:
    """The schema's name for a model field: ``async_`` → ``async_keyword``, ``when`` → ``when_keyword``."""
    name = model_field.rstrip("_")
    return f"{name}_keyword" if name in TARGET_LANGUAGE_KEYWORDS else name


# -- the schema, as seen from the generated code ----------------------------------------------------


class _SlotProbe:
    """Stands in for a Builder to learn which vtable slot a generated ``XAdd<Field>`` writes."""

    def __init__(self) -> None:
        self.slot = -1

    def __getattr__(self, _name: str) -> Callable[..., None]:
        def record(slot: int, *_args: Any) -> None:
            self.slot = slot

        return record


def _slot_of(add: Callable[[Any, Any], None]) -> int:
    probe = _SlotProbe()
    add(probe, 0)
    if probe.slot < 0:
        raise RuntimeError(f"{add.__name__} wrote no slot")
    return probe.slot


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


# Field kinds of Task and Play tables (_RESOLUTION: a word of shep.resolve.KINDS as an ActionResolution).
_STR, _USTR, _VAR, _ENTRIES, _TASKS, _BOOL, _PATH, _RESOLUTION = range(8)


@record
class _Field:
    """One model attribute ↔ one schema field (named by ``schema_field_name``)."""

    name: str
    kind: int
    add: Callable[[Any, Any], None]
    bit: int  # the TaskString/PlayString bit of a _USTR field
    slot: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "slot", _slot_of(self.add))


@record
class _Spec:
    """How one model class (Task, Play) maps onto its table."""

    cls: type[Task] | type[Play]
    start: Callable[[Any], None]
    end: Callable[[Any], int]
    add_span: Callable[[Any, Any], None]
    add_keys: Callable[[Any, Any], None]
    add_key_spans: Callable[[Any, Any], None]
    add_unsafe: Callable[[Any, Any], None]
    fields: tuple[_Field, ...]
    by_slot: tuple[_Field | None, ...] = field(init=False)  # the layout fields, indexed by slot
    span_slot: int = field(init=False)
    keys_slot: int = field(init=False)
    key_spans_slot: int = field(init=False)
    unsafe_slot: int = field(init=False)

    def __post_init__(self) -> None:
        table: list[_Field | None] = [None] * (1 + max(f.slot for f in self.fields))
        for f in self.fields:
            table[f.slot] = f
        object.__setattr__(self, "by_slot", tuple(table))
        object.__setattr__(self, "span_slot", _slot_of(self.add_span))
        object.__setattr__(self, "keys_slot", _slot_of(self.add_keys))
        object.__setattr__(self, "key_spans_slot", _slot_of(self.add_key_spans))
        object.__setattr__(self, "unsafe_slot", _slot_of(self.add_unsafe))


def _spec(cls: type[Task] | type[Play], module: Any, bits: Any, layout: tuple[tuple[str, int], ...]) -> _Spec:
    """Resolve a layout against the generated module once, at import: ``("when", _VAR)`` → ``TaskAddWhen``.

    A layout field the schema lacks fails the import; a model or schema field the layout lacks fails
    tests/unit/serialize/test_fbs.py.
    """
    prefix = cls.__name__
    fields_ = tuple(
        _Field(name, kind, getattr(module, f"{prefix}Add{_pascal(schema_field_name(name))}"),
               getattr(bits, _pascal(name)) if kind == _USTR else 0)
        for name, kind in layout
    )
    return _Spec(cls, getattr(module, f"{prefix}Start"), getattr(module, f"{prefix}End"),
                 getattr(module, f"{prefix}AddSpan"), getattr(module, f"{prefix}AddKeys"),
                 getattr(module, f"{prefix}AddKeySpans"), getattr(module, f"{prefix}AddUnsafeStrings"), fields_)


_COMMON = tuple((name, _VAR) for name in (
    "name", "any_errors_fatal", "become", "become_exe", "become_flags", "become_method", "become_user",
    "check_mode", "connection", "debugger", "diff", "environment", "ignore_errors", "ignore_unreachable",
    "module_defaults", "no_log", "port", "remote_user", "run_once", "tags", "throttle", "timeout", "vars",
    "collections", "when",
))
_TASK = _spec(Task, _T, TaskString, (
    ("path", _PATH), ("doc_path", _STR), ("is_block", _BOOL), ("is_handler", _BOOL), ("malformed", _BOOL),
    ("value", _VAR),
    ("action", _USTR), ("action_key", _USTR), ("args", _ENTRIES), ("free_form_args", _USTR),
    ("variable_args", _USTR), ("error", _USTR), *_COMMON,
    *((name, _VAR) for name in ("delegate_to", "delegate_facts", "notify", "async_", "async_val", "changed_when",
                                "delay", "failed_when", "loop", "loop_control")),
    ("loop_with", _USTR),
    *((name, _VAR) for name in ("loop_with_value", "poll", "register", "retries", "until", "listen",
                                "local_action", "static")),
    ("block_tasks", _TASKS), ("rescue_tasks", _TASKS), ("always_tasks", _TASKS), ("extra", _ENTRIES),
    ("resolved_action", _STR), ("resolution", _RESOLUTION),
))
_PLAY = _spec(Play, _P, PlayString, (
    ("path", _PATH), ("doc_path", _STR), ("import_action", _USTR), ("import_playbook", _VAR), *_COMMON,
    *((name, _VAR) for name in ("hosts", "gather_facts", "gather_subset", "gather_timeout", "fact_path",
                                "force_handlers", "max_fail_percentage", "order", "serial", "strategy", "roles",
                                "vars_files", "vars_prompt", "user", "delegate_to")),
    ("pre_tasks", _TASKS), ("tasks", _TASKS), ("post_tasks", _TASKS), ("handlers", _TASKS), ("extra", _ENTRIES),
))

_V_KIND, _V_KEY, _V_KEY_VAR = _slot_of(_V.VarAddKind), _slot_of(_V.VarAddKey), _slot_of(_V.VarAddKeyVar)
_V_BOOL, _V_INT, _V_FLOAT = _slot_of(_V.VarAddBoolValue), _slot_of(_V.VarAddIntValue), _slot_of(_V.VarAddFloatValue)
_V_STR, _V_BYTES, _V_ITEMS = _slot_of(_V.VarAddStrValue), _slot_of(_V.VarAddBytesValue), _slot_of(_V.VarAddItems)
_D_CODE, _D_NAME, _D_SEVERITY = _slot_of(_D.DiagnosticAddCode), _slot_of(_D.DiagnosticAddName), \
    _slot_of(_D.DiagnosticAddSeverity)
_D_MESSAGE, _D_PATH = _slot_of(_D.DiagnosticAddMessage), _slot_of(_D.DiagnosticAddPath)
_D_SPAN, _D_HINT = _slot_of(_D.DiagnosticAddSpan), _slot_of(_D.DiagnosticAddHint)
_F_VERSION, _F_KIND, _F_PATH = _slot_of(_F.FileAddSchemaVersion), _slot_of(_F.FileAddKind), _slot_of(_F.FileAddPath)
_F_PLAYBOOK, _F_TASK_LIST = _slot_of(_F.FileAddPlaybook), _slot_of(_F.FileAddTaskList)
_F_DIAGNOSTICS, _F_PATH_BYTES = _slot_of(_F.FileAddDiagnostics), _slot_of(_F.FileAddPathBytes)
_PB_PLAYS, _TL_TASKS = _slot_of(_PB.PlaybookAddPlays), _slot_of(_TL.TaskListAddTasks)
_T_ARG_KEYS, _T_ARG_SPANS = _slot_of(_T.TaskAddArgKeys), _slot_of(_T.TaskAddArgSpans)

_FILE_KINDS: Final[dict[Kind, int]] = {"playbook": FileKind.Playbook, "tasks": FileKind.Tasks,
                                       "handlers": FileKind.Handlers}
_KIND_NAMES: Final[dict[int, Kind]] = {number: name for name, number in _FILE_KINDS.items()}
_SEVERITIES: Final = {int(s): s for s in Severity}
# Task.resolution ↔ ActionResolution: "" is Unset (0), each word of shep.resolve.KINDS its index + 1.
_RESOLUTION_CODES: Final = {"": 0, **{kind: number for number, kind in enumerate(RESOLUTION_KINDS, 1)}}
_RESOLUTION_WORDS: Final = {number: kind for kind, number in _RESOLUTION_CODES.items()}
_STRING_KINDS: Final = frozenset({VarKind.Str, VarKind.Unsafe, VarKind.Vault, VarKind.Date, VarKind.DateTime})
# Kinds whose text may be written as WTF-8 bytes (a lone surrogate); dates are ASCII.
_TEXT_KINDS: Final = frozenset({VarKind.Str, VarKind.Unsafe, VarKind.Vault})
_TEXT_CLASSES: Final = {str: VarKind.Str, Unsafe: VarKind.Unsafe}


# -- writing -----------------------------------------------------------------------------------------


def to_flatbuffers(model: Model) -> bytes:
    """The model as a .shep FlatBuffers buffer (deterministic: the same model gives the same bytes).

    Raises TypeError for a value of a type YAML cannot produce, ValueError for positions outside
    0..2**32-1, and BufferLimitError (a ValueError) for a model nested deeper than default verifiers
    accept (``VERIFIER_MAX_DEPTH`` tables; or a cyclic value) or holding more than ``VERIFIER_MAX_TABLES``
    tables as a verifier counts them.
    """
    return _Writer().file(model)


_WRITE_MAX_LEVEL: Final = VERIFIER_MAX_DEPTH - _LEVELS_ABOVE_ITEMS


def offsets_vector(builder: flatbuffers.Builder, offsets: list[int]) -> int:
    """A vector of the tables (or strings) at ``offsets``, in their order."""
    builder.StartVector(4, len(offsets), 4)
    for off in reversed(offsets):
        builder.PrependUOffsetTRelative(off)
    return int(builder.EndVector())


def _too_deep(levels: int) -> BufferLimitError:
    return BufferLimitError(
        f"the model nests {levels + _LEVELS_ABOVE_ITEMS} tables deep (or holds a cyclic value); FlatBuffers "
        f"verifiers accept {VERIFIER_MAX_DEPTH} by default, so shep does not write such a buffer")


def _utf8_or_none(text: str) -> bytes | None:
    """The UTF-8 bytes of ``text``, or None when it holds a lone surrogate (no valid UTF-8)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return None


def _valid_path(path: str) -> str:
    """A file path as valid UTF-8 text: the bytes of a file name that are not UTF-8 (``os.fsdecode``'s
    escapes, or any other lone surrogate) as U+FFFD."""
    if path.isascii() or _utf8_or_none(path) is not None:
        return path
    raw = _fs_bytes(path)
    return (raw if raw is not None else path.encode("utf-8", _TEXT_ERRORS)).decode("utf-8", "replace")


def _fs_bytes(path: str) -> bytes | None:
    """The bytes of a file name ``os.fsdecode`` gave as ``path``; None for a lone surrogate it cannot give."""
    try:
        return path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return None


def _resolution_code(word: str) -> int:
    code = _RESOLUTION_CODES.get(word)
    if code is None:
        raise ValueError(f"unknown action resolution {word!r} (shep.resolve.KINDS)")
    return code


def _check_span(span: Span) -> tuple[int, int, int, int]:
    values = (span.line, span.col, span.end_line, span.end_col)
    for value in values:
        if type(value) is not int or not 0 <= value <= _UINT32_MAX:
            raise ValueError(f"span {span!r} does not fit the schema (uint32 line/col)")
    return values


class _Writer:
    def __init__(self) -> None:
        self.b = flatbuffers.Builder(16384)
        # id(list or dict) -> (the object, kept alive so ids stay unique; its items vector; the tables
        # below it, as a verifier counts them; how many levels below it they reach)
        self.shared: dict[int, tuple[object, int, int, int]] = {}
        self.tables = 0  # as a verifier counts them: a shared subtree once per reference
        self.deepest = 0  # the deepest level reached (plays and top-level tasks are level 1)
        self.paths: dict[str, int] = {}  # file path -> its string, as valid UTF-8

    def string(self, text: str) -> int:
        return int(self.b.CreateSharedString(text, errors=_TEXT_ERRORS))

    def path(self, path: str) -> int:
        known = self.paths.get(path)
        if known is None:
            known = self.paths[path] = self.string(_valid_path(path))
        return known

    def reached(self, level: int, tables: int = 1) -> None:
        """Count ``tables`` tables whose deepest sits at ``level``."""
        self.tables += tables
        if level > self.deepest:
            self.deepest = level

    def offsets(self, offsets: list[int]) -> int:
        return offsets_vector(self.b, offsets)

    def file(self, model: Model) -> bytes:
        b = self.b
        if isinstance(model, Playbook):
            if model.kind != "playbook":
                raise ValueError(f"a Playbook's kind must be 'playbook', not {model.kind!r}")
            plays = self.offsets([self.obj(play, _PLAY, 1) for play in model.plays])
            _PB.PlaybookStart(b)
            _PB.PlaybookAddPlays(b, plays)
            body, add_body = _PB.PlaybookEnd(b), _F.FileAddPlaybook
        elif isinstance(model, TaskFile):
            if model.kind not in _FILE_KINDS or model.kind == "playbook":
                raise ValueError(f"a TaskFile's kind must be 'tasks' or 'handlers', not {model.kind!r}")
            tasks = self.offsets([self.obj(task, _TASK, 1) for task in model.tasks])
            _TL.TaskListStart(b)
            _TL.TaskListAddTasks(b, tasks)
            body, add_body = _TL.TaskListEnd(b), _F.FileAddTaskList
        else:
            raise TypeError(f"expected a Playbook or a TaskFile, got {type(model).__name__}")
        diagnostics = self.offsets([self.diagnostic(d) for d in model.diagnostics])
        path = self.path(model.path)
        # A file name's own bytes when they are not UTF-8 (a surrogate os.fsdecode cannot give is lost).
        raw = _fs_bytes(model.path) if _valid_path(model.path) != model.path else None
        raw_path = int(b.CreateByteVector(raw)) if raw is not None else 0
        self.reached(0, 2 + len(model.diagnostics))  # File, its Playbook/TaskList, the diagnostics
        self.check_limits()
        _F.FileStart(b)
        _F.FileAddSchemaVersion(b, SCHEMA_VERSION)
        _F.FileAddKind(b, _FILE_KINDS[model.kind])
        _F.FileAddPath(b, path)
        add_body(b, body)
        _F.FileAddDiagnostics(b, diagnostics)
        if raw_path:
            _F.FileAddPathBytes(b, raw_path)
        b.Finish(_F.FileEnd(b), file_identifier=FILE_IDENTIFIER)
        return bytes(b.Output())

    def check_limits(self) -> None:
        if self.deepest > _WRITE_MAX_LEVEL:
            raise _too_deep(self.deepest)
        if self.tables > VERIFIER_MAX_TABLES:
            raise BufferLimitError(
                f"the model holds {self.tables:,} tables as a FlatBuffers verifier counts them (YAML aliases "
                f"once per use); verifiers accept {VERIFIER_MAX_TABLES:,} by default, so shep does not write "
                "such a buffer")

    def diagnostic(self, d: Diagnostic) -> int:
        b = self.b
        code, name, message = (self.string(text) for text in (d.code, d.name, d.message))
        path = self.path(d.path)
        hint = self.string(d.hint) if d.hint is not None else 0
        span = _check_span(d.span)
        _D.DiagnosticStart(b)
        _D.DiagnosticAddCode(b, code)
        _D.DiagnosticAddName(b, name)
        _D.DiagnosticAddSeverity(b, int(d.severity))
        _D.DiagnosticAddMessage(b, message)
        _D.DiagnosticAddPath(b, path)
        _D.DiagnosticAddSpan(b, _S.CreateSpan(b, *span))
        if hint:
            _D.DiagnosticAddHint(b, hint)
        return int(_D.DiagnosticEnd(b))

    def obj(self, obj: Task | Play, spec: _Spec, depth: int) -> int:
        """A Task or Play table: children first (FlatBuffers builds bottom-up), then the table."""
        if depth > _WRITE_MAX_LEVEL:
            raise _too_deep(depth)
        self.reached(depth)
        b = self.b
        adds: list[tuple[Callable[[Any, Any], None], int]] = []
        flags: list[_Field] = []
        unsafe = 0
        for f in spec.fields:
            value = getattr(obj, f.name)
            if f.kind == _BOOL or f.kind == _RESOLUTION:
                flags.append(f)
                continue
            if value is None or (f.kind in (_ENTRIES, _TASKS) and not value):
                continue
            if f.kind == _STR or f.kind == _USTR:
                off = self.string(value)
                if type(value) is Unsafe:
                    unsafe |= f.bit
            elif f.kind == _PATH:
                off = self.path(value)
            elif f.kind == _VAR:
                off = self.var(value, depth + 1)
            elif f.kind == _ENTRIES:
                off = self.items(value, depth + 1)
            else:
                children = []
                for child in value:
                    children.append(self.obj(child, _TASK, depth + 1))
                off = self.offsets(children)
            adds.append((f.add, off))
        keys = self.spans_of(obj.key_spans)
        arg_keys = self.spans_of(obj.arg_spans) if spec is _TASK and obj.arg_spans else None  # type: ignore[union-attr]
        span = _check_span(obj.span)
        spec.start(b)
        for add, off in adds:
            add(b, off)
        for f in flags:
            if f.kind == _BOOL:
                f.add(b, bool(getattr(obj, f.name)))
            else:
                f.add(b, _resolution_code(getattr(obj, f.name)))
        if unsafe:
            spec.add_unsafe(b, unsafe)
        if keys:
            spec.add_keys(b, keys[0])
            spec.add_key_spans(b, keys[1])
        if arg_keys:
            _T.TaskAddArgKeys(b, arg_keys[0])
            _T.TaskAddArgSpans(b, arg_keys[1])
        spec.add_span(b, _S.CreateSpan(b, *span))
        return int(spec.end(b))

    def spans_of(self, key_spans: KeySpans) -> tuple[int, int] | None:
        """The vectors of names and spans of a Task's or Play's keys, or of a Task's arguments."""
        if not key_spans:
            return None
        b = self.b
        keys = self.offsets([self.string(key) for key, _ in key_spans])
        spans = [_check_span(span) for _, span in key_spans]
        b.StartVector(16, len(spans), 4)
        for span in reversed(spans):
            _S.CreateSpan(b, *span)
        return keys, int(b.EndVector())

    def items(self, container: list[Any] | dict[Any, Any], depth: int) -> int:
        """The vector of Vars of a list or dict, its Vars at level ``depth``; written once per object. A
        dict's Vars carry their keys: a mapping keyword's items, and Task.args, Task.extra, Play.extra."""
        known = self.shared.get(id(container))
        if known is not None:  # a YAML alias: a verifier walks the subtree again, from here
            self.reached(depth - 1 + known[3], known[2])
            return known[1]
        tables, deepest = self.tables, self.deepest
        self.deepest = depth - 1
        items = []
        if isinstance(container, list):
            for item in container:
                items.append(self.var(item, depth))
        else:
            for item_key, item in container.items():
                items.append(self.var(item, depth, item_key))
        off = self.offsets(items)
        self.shared[id(container)] = (container, off, self.tables - tables, self.deepest - (depth - 1))
        self.deepest = max(self.deepest, deepest)
        return off

    def var(self, value: Any, depth: int, key: Any = _NO_KEY) -> int:
        """One Var table. Containers recurse here directly: one Python frame per level of nesting."""
        if depth > _WRITE_MAX_LEVEL:
            raise _too_deep(depth)
        self.reached(depth)
        key_str = key_var = 0
        if key is not _NO_KEY:
            if type(key) is str and (key.isascii() or _utf8_or_none(key) is not None):
                key_str = self.string(key)
            else:
                key_var = self.var(key, depth + 1)
        kind = type(value)
        if kind is list or kind is dict:
            items = self.items(value, depth + 1)
            return self.var_table(VarKind.List if kind is list else VarKind.Map, key_str, key_var, items, None)
        var_kind, payload, inline = self.scalar(value)
        return self.var_table(var_kind, key_str, key_var, payload, inline)

    def scalar(self, value: Any) -> tuple[int, int, Any]:
        """(VarKind, offset of the string/bytes payload or 0, inline bool/int/float or None)."""
        kind = type(value)
        if value is None:
            return VarKind.Null, 0, None
        if kind is bool:
            return VarKind.Bool, 0, value
        if kind is int:
            if _INT64_MIN <= value <= _INT64_MAX:
                return VarKind.Int, 0, value
            raw = value.to_bytes((value.bit_length() + 8) // 8, "little", signed=True)
            return VarKind.BigInt, int(self.b.CreateByteVector(raw)), None
        if kind is float:
            return VarKind.Float, 0, value
        if kind is str or kind is Unsafe:
            return self.text(_TEXT_CLASSES[kind], value)
        if kind is Vault:
            return self.text(VarKind.Vault, value.ciphertext)
        if kind is bytes:
            return VarKind.Binary, int(self.b.CreateByteVector(value)), None
        if kind is dt.datetime:
            return VarKind.DateTime, self.string(value.isoformat()), None
        if kind is dt.date:
            return VarKind.Date, self.string(value.isoformat()), None
        raise TypeError(f"cannot encode a value of type {kind.__name__}: {value!r:.80}")

    def text(self, kind: int, text: str) -> tuple[int, int, Any]:
        """A Str/Unsafe/Vault payload: a string, or WTF-8 bytes (inline True) for a lone surrogate."""
        if text.isascii() or _utf8_or_none(text) is not None:
            return kind, self.string(text), None
        return kind, int(self.b.CreateByteVector(text.encode("utf-8", _TEXT_ERRORS))), True

    def var_table(self, kind: int, key_str: int, key_var: int, payload: int, inline: Any) -> int:
        b = self.b
        _V.VarStart(b)
        _V.VarAddKind(b, kind)
        if key_str:
            _V.VarAddKey(b, key_str)
        if key_var:
            _V.VarAddKeyVar(b, key_var)
        if kind == VarKind.Bool:
            _V.VarAddBoolValue(b, inline)
        elif kind == VarKind.Int:
            _V.VarAddIntValue(b, inline)
        elif kind == VarKind.Float:
            # Always written, 0.0 and -0.0 too (the generated VarAddFloatValue skips a value == 0.0).
            b.PrependFloat64Slot(_V_FLOAT, inline, None)
        elif kind == VarKind.List or kind == VarKind.Map:
            _V.VarAddItems(b, payload)
        elif kind == VarKind.BigInt or kind == VarKind.Binary or inline is True:
            _V.VarAddBytesValue(b, payload)
        elif payload:
            _V.VarAddStrValue(b, payload)
        return int(_V.VarEnd(b))


# -- reading -----------------------------------------------------------------------------------------

_U32 = struct.Struct("<I").unpack_from
_I32 = struct.Struct("<i").unpack_from
_I64 = struct.Struct("<q").unpack_from
_F64 = struct.Struct("<d").unpack_from
_VTABLE_HEAD = struct.Struct("<HH").unpack_from
_SPAN = struct.Struct("<IIII").unpack_from


_Read = TypeVar("_Read")


def from_flatbuffers(data: bytes | bytearray | memoryview) -> Playbook | TaskFile:
    """Read a .shep buffer back into the model. Raises ShepDecodeError for anything not well-formed."""
    return checked_read(data, FILE_IDENTIFIER, "shep FlatBuffers buffer", lambda buf: _Reader(buf).file())


def checked_read(data: bytes | bytearray | memoryview, identifier: bytes, what: str,
                 read: Callable[[bytes], _Read]) -> _Read:
    """``read(buffer)`` for a buffer that carries ``identifier``; ShepDecodeError for anything else,
    and for any low-level error the reader lets escape (it checks before it reads, but nothing else
    may come out). ``what``: the kind of buffer, for messages."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"expected bytes, got {type(data).__name__}")
    buf = bytes(data)
    if not buf:
        raise ShepDecodeError(f"empty input: not a {what}")
    if len(buf) < 8 or buf[4:8] != identifier:
        raise ShepDecodeError(f"not a {what} (no {identifier.decode()!r} file identifier)")
    try:
        return read(buf)
    except ShepDecodeError:
        raise
    except (struct.error, ValueError, TypeError, OverflowError, IndexError, KeyError, RecursionError) as exc:
        raise ShepDecodeError(f"corrupt {what}: {type(exc).__name__}: {exc}") from None


def _corrupt(message: str) -> ShepDecodeError:
    return ShepDecodeError(f"corrupt shep buffer: {message}")


@record(eq=False, repr=False)
class _Table:
    """A checked table: its position, its size (from the vtable) and its field offsets."""

    pos: int
    size: int
    offsets: tuple[int, ...]

    def at(self, slot: int, width: int) -> int:
        """Absolute position of a field ``width`` bytes wide, 0 when absent; inside the table or raise."""
        if slot >= len(self.offsets):
            return 0
        off = self.offsets[slot]
        if not off:
            return 0
        if off < 4 or off + width > self.size:
            raise _corrupt(f"field {slot} of the table at {self.pos} lies outside it")
        return self.pos + off


class _Reader:
    def __init__(self, buf: bytes) -> None:
        self.buf = buf
        self.size = len(buf)
        # A buffer we write references each table from its own 4-byte offset, so it holds fewer than
        # size/4 of them: more visits mean shared tables in a crafted buffer (exponential fan-out).
        self.visits_left = self.size // 2 + 64
        # Distinct strings/byte vectors do not overlap in a buffer we write: decoding more bytes than
        # the buffer holds means crafted overlaps.
        self.bytes_left = self.size
        self.strings: dict[int, str] = {}
        self.real_path: tuple[str, str] | None = None  # (the U+FFFD form, the path) from File.path_bytes
        self.scalars: dict[tuple[int, int], Any] = {}
        self.containers: dict[tuple[int, int], Any] = {}

    # -- primitives ----------------------------------------------------------------------------------

    def deref(self, at: int) -> int:
        """Follow the uoffset stored at ``at`` (already known to lie in the buffer)."""
        target: int = at + _U32(self.buf, at)[0]
        if target + 4 > self.size:
            raise _corrupt(f"offset at {at} points past the end ({target} ≥ {self.size})")
        return target

    def table(self, pos: int) -> _Table:
        self.visits_left -= 1
        if self.visits_left < 0:
            raise _corrupt("more tables than the buffer can hold (shared or cyclic references)")
        vtable = pos - _I32(self.buf, pos)[0]
        if vtable < 0 or vtable + 4 > self.size:
            raise _corrupt(f"the vtable of the table at {pos} is outside the buffer")
        vsize, tsize = _VTABLE_HEAD(self.buf, vtable)
        if vsize < 4 or vsize % 2 or vtable + vsize > self.size or tsize < 4 or pos + tsize > self.size:
            raise _corrupt(f"the table at {pos} has a malformed vtable at {vtable}")
        return _Table(pos, tsize, struct.unpack_from(f"<{(vsize - 4) // 2}H", self.buf, vtable + 4))

    def child(self, tab: _Table, slot: int) -> _Table | None:
        at = tab.at(slot, 4)
        return self.table(self.deref(at)) if at else None

    def vector(self, tab: _Table, slot: int, width: int) -> tuple[int, int]:
        """(start, length) of a vector field; (0, 0) when absent."""
        at = tab.at(slot, 4)
        if not at:
            return 0, 0
        head = self.deref(at)
        length = _U32(self.buf, head)[0]
        if head + 4 + length * width > self.size:
            raise _corrupt(f"the vector at {head} ({length} items) runs past the end")
        return head + 4, length

    def string_at(self, at: int) -> str:
        head = self.deref(at)
        known = self.strings.get(head)
        if known is not None:
            return known
        length = _U32(self.buf, head)[0]
        end = head + 4 + length
        if end >= self.size or self.buf[end] != 0:
            raise _corrupt(f"the string at {head} runs past the end or is not terminated")
        self.spend(length)
        try:
            text = self.buf[head + 4:end].decode("utf-8", _TEXT_ERRORS)
        except UnicodeDecodeError as exc:
            raise _corrupt(f"the string at {head} is not UTF-8 ({exc.reason})") from None
        self.strings[head] = text
        return text

    def string(self, tab: _Table, slot: int) -> str | None:
        at = tab.at(slot, 4)
        return self.string_at(at) if at else None

    def required_string(self, tab: _Table, slot: int, what: str) -> str:
        text = self.string(tab, slot)
        if text is None:
            raise _corrupt(f"{what} is missing")
        return text

    def u8(self, tab: _Table, slot: int) -> int:
        at = tab.at(slot, 1)
        return self.buf[at] if at else 0

    def u32(self, tab: _Table, slot: int) -> int:
        at = tab.at(slot, 4)
        return int(_U32(self.buf, at)[0]) if at else 0

    def span(self, tab: _Table, slot: int, what: str) -> Span:
        at = tab.at(slot, 16)
        if not at:
            raise _corrupt(f"{what} has no span")
        return Span(*_SPAN(self.buf, at))

    def spend(self, length: int) -> None:
        self.bytes_left -= length
        if self.bytes_left < 0:
            raise _corrupt("strings and byte vectors overlap (more data than the buffer holds)")

    # -- tables --------------------------------------------------------------------------------------

    def file(self) -> Playbook | TaskFile:
        root = self.table(self.deref(0))
        version = self.u32(root, _F_VERSION)
        if version == 0:
            raise _corrupt("no schema version")  # every version shep wrote (1, 2) is read as it was
        if version > SCHEMA_VERSION:
            raise ShepDecodeError(f"the buffer uses schema version {version}; this shep reads versions up to "
                                  f"{SCHEMA_VERSION}: upgrade shep")
        kind = _KIND_NAMES.get(self.u8(root, _F_KIND))
        if kind is None:
            raise _corrupt(f"unknown file kind {self.u8(root, _F_KIND)}")
        path = self.required_string(root, _F_PATH, "the file path")
        start, length = self.vector(root, _F_PATH_BYTES, 1)
        if start:
            self.spend(length)
            self.real_path = (path, self.buf[start:start + length].decode("utf-8", "surrogateescape"))
            path = self.real_path[1]
        diagnostics = tuple(self.diagnostic(pos) for pos in self.tables(root, _F_DIAGNOSTICS))
        body = self.child(root, _F_PLAYBOOK if kind == "playbook" else _F_TASK_LIST)
        if body is None:
            raise _corrupt(f"a {kind} file without its {'playbook' if kind == 'playbook' else 'task_list'}")
        if kind == "playbook":
            plays = tuple(self.obj(pos, _PLAY, 1) for pos in self.tables(body, _PB_PLAYS))
            return Playbook(path=path, plays=plays, diagnostics=diagnostics)
        tasks = tuple(self.obj(pos, _TASK, 1) for pos in self.tables(body, _TL_TASKS))
        return TaskFile(path=path, kind=kind, tasks=tasks, diagnostics=diagnostics)

    def tables(self, tab: _Table, slot: int) -> list[int]:
        """Positions of the tables of a [Table] vector field."""
        start, length = self.vector(tab, slot, 4)
        return [self.deref(start + 4 * i) for i in range(length)]

    def diagnostic(self, pos: int) -> Diagnostic:
        tab = self.table(pos)
        severity = self.u8(tab, _D_SEVERITY)
        if severity not in _SEVERITIES:
            raise _corrupt(f"unknown severity {severity}")
        return Diagnostic(
            code=self.required_string(tab, _D_CODE, "a diagnostic code"),
            name=self.required_string(tab, _D_NAME, "a diagnostic name"),
            severity=_SEVERITIES[severity],
            message=self.required_string(tab, _D_MESSAGE, "a diagnostic message"),
            path=self.real(self.required_string(tab, _D_PATH, "a diagnostic path")),
            span=self.span(tab, _D_SPAN, "a diagnostic"),
            hint=self.string(tab, _D_HINT),
        )

    def obj(self, pos: int, spec: _Spec, depth: int) -> Any:
        """A Task or Play; fields absent from the buffer keep the model's defaults."""
        if depth > MAX_DEPTH:
            raise _corrupt(f"nesting deeper than {MAX_DEPTH} levels (or a cycle)")
        tab = self.table(pos)
        unsafe = self.u32(tab, spec.unsafe_slot)
        values: dict[str, Any] = {"span": self.span(tab, spec.span_slot, "a task or play"),
                                  "key_spans": self.key_spans(tab, spec.keys_slot, spec.key_spans_slot)}
        if spec is _TASK:
            values["arg_spans"] = self.key_spans(tab, _T_ARG_KEYS, _T_ARG_SPANS)
        by_slot = spec.by_slot
        for slot, off in enumerate(tab.offsets):
            f = by_slot[slot] if off and slot < len(by_slot) else None
            if f is None:
                continue
            if f.kind == _BOOL:
                values[f.name] = self.u8(tab, slot) != 0
            elif f.kind == _RESOLUTION:
                word = _RESOLUTION_WORDS.get(self.u8(tab, slot))
                if word is None:
                    raise _corrupt(f"unknown action resolution {self.u8(tab, slot)}")
                values[f.name] = word
            elif f.kind == _STR or f.kind == _USTR:
                text = self.string(tab, slot)
                values[f.name] = Unsafe(text) if unsafe & f.bit else text
            elif f.kind == _PATH:
                values[f.name] = self.real(self.required_string(tab, slot, "a task or play path"))
            elif f.kind == _VAR:
                values[f.name] = self.var(self.deref(tab.at(slot, 4)), depth + 1)[1]
            elif f.kind == _ENTRIES:
                values[f.name] = self.entries(tab, slot, depth + 1)
            else:
                children = []
                for child in self.tables(tab, slot):
                    children.append(self.obj(child, _TASK, depth + 1))
                values[f.name] = tuple(children)
        if "path" not in values or "doc_path" not in values:
            raise _corrupt(f"the {spec.cls.__name__.lower()} at {pos} has no path or doc_path")
        return spec.cls(**values)

    def real(self, text: str) -> str:
        """A path string as the model had it: the file name's own bytes when File.path_bytes holds them."""
        if self.real_path is not None and text == self.real_path[0]:
            return self.real_path[1]
        return text

    def key_spans(self, tab: _Table, keys_slot: int, spans_slot: int) -> tuple[tuple[str, Span], ...]:
        """Names and spans from two parallel vectors (a table's keys, or a task's arguments)."""
        keys_start, keys_length = self.vector(tab, keys_slot, 4)
        spans_start, spans_length = self.vector(tab, spans_slot, 16)
        if keys_length != spans_length:
            raise _corrupt(f"the table at {tab.pos} has {keys_length} keys but {spans_length} key spans")
        return tuple((self.string_at(keys_start + 4 * i), Span(*_SPAN(self.buf, spans_start + 16 * i)))
                     for i in range(keys_length))

    def entries(self, tab: _Table, slot: int, depth: int) -> dict[Any, Any]:
        """A [Var] vector of keyed items as a dict (args, extra); shared vectors give the same dict."""
        start, length = self.vector(tab, slot, 4)
        known = self.containers.get((start, VarKind.Map))
        if known is not None:
            return known  # type: ignore[no-any-return]
        mapping: dict[Any, Any] = {}
        for i in range(length):
            key, value = self.var(self.deref(start + 4 * i), depth + 1)
            _check_key(key)
            mapping[key] = value
        self.containers[(start, VarKind.Map)] = mapping
        return mapping

    def var(self, pos: int, depth: int) -> tuple[Any, Any]:
        """(key or _NO_KEY, value) of a Var. Containers recurse here directly: one frame per level."""
        if depth > MAX_DEPTH:
            raise _corrupt(f"nesting deeper than {MAX_DEPTH} levels (or a cycle)")
        tab = self.table(pos)
        key: Any = _NO_KEY
        at = tab.at(_V_KEY, 4)
        if at:
            key = self.string_at(at)
        at = tab.at(_V_KEY_VAR, 4)
        if at:
            key = self.var(self.deref(at), depth + 1)[1]
        kind = self.u8(tab, _V_KIND)
        if kind != VarKind.List and kind != VarKind.Map:
            return key, self.scalar(tab, kind)
        start, length = self.vector(tab, _V_ITEMS, 4)
        value = self.containers.get((start, kind)) if start else None
        if value is None:
            if kind == VarKind.List:
                value = []
                for i in range(length):
                    value.append(self.var(self.deref(start + 4 * i), depth + 1)[1])
            else:
                value = {}
                for i in range(length):
                    item_key, item = self.var(self.deref(start + 4 * i), depth + 1)
                    _check_key(item_key)
                    value[item_key] = item
            if start:
                self.containers[(start, kind)] = value
        return key, value

    def scalar(self, tab: _Table, kind: int) -> Any:
        if kind == VarKind.Null:
            return None
        if kind == VarKind.Bool:
            return self.u8(tab, _V_BOOL) != 0
        if kind == VarKind.Int:
            at = tab.at(_V_INT, 8)
            return _I64(self.buf, at)[0] if at else 0
        if kind == VarKind.Float:
            at = tab.at(_V_FLOAT, 8)
            if not at:
                return 0.0  # shep always writes it; another writer may leave out its default
            number = _F64(self.buf, at)[0]
            return math.nan if number != number else number  # YAML has a single NaN: math.nan
        if kind in _STRING_KINDS:
            at = tab.at(_V_STR, 4)
            if not at:
                return self.text_bytes(tab, kind)
            memo = (self.deref(at), kind)
            if memo not in self.scalars:
                self.scalars[memo] = _from_text(kind, self.string_at(at))
            return self.scalars[memo]
        if kind == VarKind.BigInt or kind == VarKind.Binary:
            # An absent vector is an empty one (another writer may leave it out): b"" or 0.
            return self.raw_bytes(tab, kind, lambda raw: raw if kind == VarKind.Binary else
                                  int.from_bytes(raw, "little", signed=True))
        raise _corrupt(f"unknown value kind {kind} in the Var at {tab.pos}")


    def text_bytes(self, tab: _Table, kind: int) -> Any:
        """A Str/Unsafe/Vault written as WTF-8 bytes_value (a lone surrogate), or absent: empty text."""
        if kind not in _TEXT_KINDS:
            raise _corrupt(f"the date Var at {tab.pos} has no str_value")
        return self.raw_bytes(tab, kind, lambda raw: _from_text(kind, raw.decode("utf-8", _TEXT_ERRORS)))

    def raw_bytes(self, tab: _Table, kind: int, convert: Callable[[bytes], Any]) -> Any:
        start, length = self.vector(tab, _V_BYTES, 1)
        memo = (start, kind)
        if not start:
            return convert(b"")
        if memo not in self.scalars:
            self.spend(length)
            self.scalars[memo] = convert(self.buf[start:start + length])
        return self.scalars[memo]


def _check_key(key: Any) -> None:
    """A decoded mapping item must carry a key, and a hashable one."""
    if key is _NO_KEY:
        raise _corrupt("a mapping item without a key")
    if isinstance(key, (list, dict)):
        raise _corrupt("a mapping key that is a list or a mapping")


def _from_text(kind: int, text: str) -> Any:
    if kind == VarKind.Str:
        return text
    if kind == VarKind.Unsafe:
        return Unsafe(text)
    if kind == VarKind.Vault:
        return Vault(text)
    try:
        return dt.datetime.fromisoformat(text) if kind == VarKind.DateTime else dt.date.fromisoformat(text)
    except ValueError:
        raise _corrupt(f"bad ISO 8601 date or time {text[:40]!r}") from None
