"""shep: a static parser and validator for Ansible playbooks, task files and handler files.

The public API is imported lazily so that ``import shep`` (and ``shep --version``) stay fast.
"""

from __future__ import annotations

# Not ``from typing import TYPE_CHECKING``: importing typing costs more than the rest of
# ``shep --version``; type checkers treat a module-level ``TYPE_CHECKING = False`` the same way.
TYPE_CHECKING = False

from shep._version import __version__

_EXPORTS = {
    "load": "shep.api",
    "load_playbook": "shep.api",
    "load_tasks": "shep.api",
    "load_handlers": "shep.api",
    "load_project": "shep.api",
    "parse": "shep.api",
    "read_document": "shep.api",
    "detect": "shep.detect",
    "Detection": "shep.detect",
    "Diagnostic": "shep.diagnostics",
    "FileResult": "shep.diagnostics",
    "Severity": "shep.diagnostics",
    "Span": "shep.diagnostics",
    "Task": "shep.model",
    "Play": "shep.model",
    "Playbook": "shep.model",
    "TaskFile": "shep.model",
    "Vault": "shep.loader.values",
    "Unsafe": "shep.loader.values",
    "validate_file": "shep.batch",
    "validate_model": "shep.validate",
    "to_flatbuffers": "shep.serialize.fbs",
    "from_flatbuffers": "shep.serialize.fbs",
    "ShepDecodeError": "shep.serialize.fbs",
    "BufferLimitError": "shep.serialize.fbs",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:
    from typing import Any

    from shep.api import load, load_handlers, load_playbook, load_project, load_tasks, parse, read_document
    from shep.detect import Detection, detect
    from shep.diagnostics import Diagnostic, FileResult, Severity, Span
    from shep.loader.values import Unsafe, Vault
    from shep.model import Play, Playbook, Task, TaskFile
    from shep.batch import validate_file
    from shep.serialize.fbs import BufferLimitError, ShepDecodeError, from_flatbuffers, to_flatbuffers
    from shep.validate import validate_model


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'shep' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__all__)
