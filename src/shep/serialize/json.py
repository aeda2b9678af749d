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


def to_jsonable(value: Any) -> Any:
    """A YAML value as JSON-safe data (see the module docstring for the tagged forms)."""
    if isinstance(value, Unsafe):
        return {"__ansible_unsafe": str(value)}
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"__float": repr(value)}
    if isinstance(value, dict):
        return {_json_key(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, Vault):
        return {"__ansible_vault": value.ciphertext}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return {"__ansible_binary": base64.b64encode(value).decode("ascii")}
    return repr(value)


def _json_key(key: Any) -> str:
    if isinstance(key, str):
        return str(key)
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    if isinstance(key, (dt.date, dt.datetime)):
        return key.isoformat()
    return str(key)


def task_record(task: Task, kind: str) -> dict[str, Any]:
    """One task as ansible-core reports it (the shape of the corpus oracle)."""
    return {
        "path": task.path,
        "kind": kind,
        "task_path": task.doc_path,
        "line": task.span.line,
        "col": task.span.col,
        "is_block": task.is_block,
        "action": task.action,
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
    "is_block", "is_handler", "args", "extra",
    "block_tasks", "rescue_tasks", "always_tasks", "pre_tasks", "tasks", "post_tasks", "handlers",
})


def _object_dict(obj: Task | Play) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        if f.name == "span":
            out["span"] = [value.line, value.col, value.end_line, value.end_col]
        elif f.name == "key_spans":
            out["keys"] = [k for k, _ in value]
        elif value is None or (not value and f.name in _OMITTED_WHEN_EMPTY):
            continue
        elif isinstance(value, tuple) and value and isinstance(value[0], (Task, Play)):
            out[f.name] = [_object_dict(child) for child in value]
        else:
            out[f.name] = to_jsonable(value)
    return out


def model_to_dict(model: Model) -> dict[str, Any]:
    """The whole model as JSON-safe data: the fields that are set (a keyword written with an empty
    value included), ``keys`` listing the YAML keys present."""
    body: dict[str, Any] = {"path": model.path, "kind": model.kind}
    if isinstance(model, Playbook):
        body["plays"] = [_object_dict(play) for play in model.plays]
    elif isinstance(model, TaskFile):
        body["tasks"] = [_object_dict(task) for task in model.tasks]
    body["diagnostics"] = [d.to_dict() for d in model.diagnostics]
    return body


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=False)
