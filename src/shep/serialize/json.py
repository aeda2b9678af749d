"""The model as JSON-safe data: whole-model JSON and one JSON object per task (JSON Lines).

Values that JSON cannot hold keep their type through tagged objects:
``{"__ansible_vault": ciphertext}``, ``{"__ansible_unsafe": text}``, ``{"__ansible_binary": base64}``,
``{"__float": "inf" | "-inf" | "nan"}``; dates and times are ISO 8601 strings.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
from collections.abc import Iterator

from shep._records import fields
from shep.diagnostics import Severity
from shep.loader.values import Unsafe, Vault
from shep.model import Model, Play, Playbook, Task, TaskFile

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


_CONTAINERS = (dict, list, tuple)


def to_jsonable(value: Any) -> Any:
    """A YAML value as JSON-safe data (see the module docstring for the tagged forms).

    Iterative, so a value of any depth converts (a .shep buffer may nest 500 levels); a value that
    contains itself raises ValueError.
    """
    if isinstance(value, _CONTAINERS):
        return _container_to_jsonable(value)
    return _scalar_to_jsonable(value)


def _scalar_to_jsonable(value: Any) -> Any:
    if isinstance(value, Unsafe):
        return {"__ansible_unsafe": str(value)}
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"__float": repr(value)}
    if isinstance(value, Vault):
        return {"__ansible_vault": value.ciphertext}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return {"__ansible_binary": base64.b64encode(value).decode("ascii")}
    return repr(value)


def _container_to_jsonable(root: dict[Any, Any] | list[Any] | tuple[Any, ...]) -> Any:
    """A dict, list or tuple (and all it holds) as JSON-safe data, depth-first with a stack of
    iterators. Each new container is placed in its parent before it is filled, so order is kept."""
    top: Any = {} if isinstance(root, dict) else []
    # (the source's items, the container being filled, the source's id while it is being filled)
    stack: list[tuple[Iterator[Any], Any, int]] = [(_items(root), top, id(root))]
    active = {id(root)}
    while stack:
        items, target, _ = stack[-1]
        is_dict = isinstance(target, dict)
        for item in items:
            value = item[1] if is_dict else item
            if not isinstance(value, _CONTAINERS):
                if is_dict:
                    target[_json_key(item[0])] = _scalar_to_jsonable(value)
                else:
                    target.append(_scalar_to_jsonable(value))
                continue
            if id(value) in active:
                raise ValueError("cannot convert a value that contains itself")
            child: Any = {} if isinstance(value, dict) else []
            if is_dict:
                target[_json_key(item[0])] = child
            else:
                target.append(child)
            stack.append((_items(value), child, id(value)))
            active.add(id(value))
            break  # fill the child first; this container's iterator resumes afterwards
        else:
            active.discard(stack.pop()[2])
    return top


def _items(container: dict[Any, Any] | list[Any] | tuple[Any, ...]) -> Iterator[Any]:
    return iter(container.items()) if isinstance(container, dict) else iter(container)


def _json_key(key: Any) -> str:
    if isinstance(key, str):
        return str(key)
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    if isinstance(key, (dt.date, dt.datetime)):
        return key.isoformat()
    return str(key)


def task_record(task: Task, kind: str) -> dict[str, Any]:
    """One task as ansible-core reports it (the shape of the corpus oracle), with shep's resolution of
    its action (``resolved_action``, and ``resolution``: a word of shep.resolve.KINDS, null for a block,
    a malformed item or a task without an action)."""
    return {
        "path": task.path,
        "kind": kind,
        "task_path": task.doc_path,
        "line": task.span.line,
        "col": task.span.col,
        "is_block": task.is_block,
        "action": task.action,
        "resolved_action": task.resolved_action,
        "resolution": task.resolution or None,
        "args": None if task.is_block or task.malformed else to_jsonable(task.ansible_args),
        "delegate_to": to_jsonable(task.delegated_to),
        "error": task.error,
        "error_type": "not_a_dict" if task.malformed else ("error" if task.error else None),
        **({"value": to_jsonable(task.value)} if task.malformed else {}),
    }


def loads_in_ansible(model: Model) -> bool:
    """False when ansible-core would refuse the whole file (a loader error: syntax, encoding, tag…)."""
    return not any(d.code.startswith("Y") and d.severity is Severity.ERROR for d in model.diagnostics)


def iter_task_records(model: Model, include_blocks: bool = False) -> Iterator[dict[str, Any]]:
    """One record per task, as ansible-core reports them; none for a file ansible-core cannot load."""
    if not loads_in_ansible(model):
        return
    tasks = model.tasks() if isinstance(model, Playbook) else model.all_tasks()
    for task in tasks:
        if include_blocks or not task.is_block:
            yield task_record(task, model.kind)


# Fields whose empty value is the model's default, not a value written in the YAML: left out when
# empty (``keys`` tells whether ``block:``, ``tasks:``… were written). Every other field is left
# out only when None (not written): ``vars: {}`` or ``tags: []`` is printed as written.
_OMITTED_WHEN_EMPTY = frozenset({
    "is_block", "is_handler", "args", "extra", "resolution",
    "block_tasks", "rescue_tasks", "always_tasks", "pre_tasks", "tasks", "post_tasks", "handlers",
})


def _object_dicts(objects: tuple[Task, ...] | tuple[Play, ...]) -> list[dict[str, Any]]:
    """Plays or tasks as dicts, nested tasks included: without recursion, for blocks of any depth."""
    top: list[dict[str, Any]] = []
    pending: list[tuple[tuple[Task, ...] | tuple[Play, ...], list[dict[str, Any]]]] = [(objects, top)]
    while pending:
        batch, out = pending.pop()
        for obj in batch:
            body: dict[str, Any] = {}
            out.append(body)
            for f in fields(obj):
                value = getattr(obj, f.name)
                if f.name == "span":
                    body["span"] = [value.line, value.col, value.end_line, value.end_col]
                elif f.name == "key_spans":
                    body["keys"] = [k for k, _ in value]
                elif f.name == "arg_spans":
                    continue  # positions: the argument names are the keys of "args"
                elif value is None or (not value and f.name in _OMITTED_WHEN_EMPTY):
                    continue
                elif isinstance(value, tuple) and value and isinstance(value[0], (Task, Play)):
                    children: list[dict[str, Any]] = []
                    body[f.name] = children  # in field order now, filled when its turn comes
                    pending.append((value, children))
                else:
                    body[f.name] = to_jsonable(value)
    return top


# Three times the most values (scalars and collections, aliases expanded) the YAML loader lets a
# document hold (shep.loader.construct.MAX_WEIGHT): a task's args may repeat its local_action
# value, and a task adds a few values of its own (action, action_key…) to the three or more
# nodes of its mapping. No model loaded from YAML holds more; a .shep buffer can, by sharing one
# list or mapping many times over (a few kB for 2**40 values), and its JSON would never end.
MAX_EXPANDED_VALUES = 3 * 10_000_000

# Fields holding where an object is, not a value: not counted.
_LOCATION_FIELDS = frozenset({"path", "span", "doc_path", "key_spans", "arg_spans"})


def expanded_size(model: Model) -> int:
    """How many values (scalars and collections) the fields of the model's JSON hold: every list
    and mapping counted each time it appears, as JSON writes it out each time. Time grows with
    the number of distinct values (shared ones are measured once), not with the result."""
    sizes: dict[int, int] = {}
    total = 0
    pending: list[tuple[Task, ...] | tuple[Play, ...]] = [model.plays if isinstance(model, Playbook) else model.tasks]
    while pending:
        for obj in pending.pop():
            for f in fields(obj):
                value = getattr(obj, f.name)
                if f.name in _LOCATION_FIELDS or value is None or (not value and f.name in _OMITTED_WHEN_EMPTY):
                    continue  # not written out (as in model_to_dict)
                if isinstance(value, tuple) and isinstance(value[0], (Task, Play)):
                    pending.append(value)
                else:
                    total += _expanded(value, sizes)
    return total


def _expanded(root: Any, sizes: dict[int, int]) -> int:
    """The number of values in ``root`` written out, memoised by container in ``sizes``."""
    if not isinstance(root, _CONTAINERS):
        return 1
    # [container, its values, the size counted so far]: children are measured first.
    stack: list[list[Any]] = [[root, _values(root), 1]]
    active = {id(root)}
    while stack:
        frame = stack[-1]
        for value in frame[1]:
            if not isinstance(value, _CONTAINERS):
                frame[2] += 1
                continue
            known = sizes.get(id(value))
            if known is not None:
                frame[2] += known
                continue
            if id(value) in active:
                raise ValueError("cannot measure a value that contains itself")
            active.add(id(value))
            stack.append([value, _values(value), 1])
            break
        else:
            stack.pop()
            active.discard(id(frame[0]))
            sizes[id(frame[0])] = frame[2]
            if stack:
                stack[-1][2] += frame[2]
    return sizes[id(root)]


def _values(container: dict[Any, Any] | list[Any] | tuple[Any, ...]) -> Iterator[Any]:
    return iter(container.values()) if isinstance(container, dict) else iter(container)


def model_to_dict(model: Model) -> dict[str, Any]:
    """The whole model as JSON-safe data: the fields that are set (a keyword written with an empty
    value included), ``keys`` listing the YAML keys present."""
    body: dict[str, Any] = {"path": model.path, "kind": model.kind}
    if isinstance(model, Playbook):
        body["plays"] = _object_dicts(model.plays)
    elif isinstance(model, TaskFile):
        body["tasks"] = _object_dicts(model.tasks)
    body["diagnostics"] = [d.to_dict() for d in model.diagnostics]
    return body


def dumps(data: Any) -> str:
    """Compact JSON, one line (a JSON Lines record)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=False)


def model_to_json(model: Model) -> str:
    """The whole model as indented JSON text (``shep dump --format json``), for any depth."""
    return dumps_indented(model_to_dict(model))


def dumps_indented(data: Any, indent: int = 2) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=indent)``, the same text, without recursion.

    json's encoder calls itself once per level of nesting and stops at the interpreter's recursion
    limit (about 490 nested blocks: two containers each); a .shep buffer may hold 500 levels.
    Raises TypeError for what JSON cannot hold and ValueError for a container that contains itself,
    as json.dumps does.
    """
    if not isinstance(data, _CONTAINERS):
        return _scalar_json(data)
    if not data:
        return _empty_json(data)
    parts: list[str] = []
    emit = parts.append
    # One entry per container being written: its items, whether it is a dict, the separator
    # before each item after the first, its closing text, its id, and whether an item is out.
    stack: list[list[Any]] = []
    active: set[int] = set()

    def open_container(value: Any, level: int) -> None:
        if id(value) in active:
            raise ValueError("Circular reference detected")
        active.add(id(value))
        newline = "\n" + " " * (indent * (level + 1))
        is_dict = isinstance(value, dict)
        emit(("{" if is_dict else "[") + newline)
        stack.append([_items(value), is_dict, "," + newline,
                      "\n" + " " * (indent * level) + ("}" if is_dict else "]"), id(value), False])

    open_container(data, 0)
    while stack:
        entry = stack[-1]
        items, is_dict, separator = entry[0], entry[1], entry[2]
        for item in items:
            if entry[5]:
                emit(separator)
            else:
                entry[5] = True
            if is_dict:
                key, value = item
                emit(_encode_string(key if isinstance(key, str) else _key_json(key)) + ": ")
            else:
                value = item
            if isinstance(value, _CONTAINERS) and value:
                open_container(value, len(stack))
                break  # write the child first; this container's items resume afterwards
            emit(_empty_json(value) if isinstance(value, _CONTAINERS) else _scalar_json(value))
        else:
            stack.pop()
            active.discard(entry[4])
            emit(entry[3])
    return "".join(parts)


_encode_string = json.encoder.encode_basestring  # what json.dumps uses with ensure_ascii=False (C when available)


def _empty_json(value: Any) -> str:
    return "{}" if isinstance(value, dict) else "[]"


def _float_json(value: float) -> str:
    if value != value:
        return "NaN"
    if value == math.inf:
        return "Infinity"
    if value == -math.inf:
        return "-Infinity"
    return float.__repr__(value)


def _scalar_json(value: Any) -> str:
    """A JSON scalar as json.dumps writes it (its checks, in its order)."""
    if isinstance(value, str):
        return str(_encode_string(value))
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float_json(value)
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _key_json(key: Any) -> str:
    """A non-string dict key as json.dumps turns it into a string."""
    if isinstance(key, float):
        return _float_json(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")
