"""Validation: every problem of a file as diagnostics, sorted by position."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from shep.api import guess_kind, read_document
from shep.diagnostics import Diagnostic, FileResult, Severity
from shep.kinds import FileKind
from shep.model import Model
from shep.model.build import build

Check = Callable[[Model], Iterable[Diagnostic]]
CHECKS: list[Check] = []


def validate_model(model: Model) -> tuple[Diagnostic, ...]:
    found = list(model.diagnostics)
    for check in CHECKS:
        found.extend(check(model))
    return tuple(sorted(set(found), key=Diagnostic.sort_key))


def validate_file(path: str, kind: FileKind | None = None, fail_level: Severity = Severity.ERROR) -> FileResult:
    """Load, build and check one file. ``kind=None`` detects it and skips non-Ansible YAML."""
    document = read_document(path)
    chosen = kind or guess_kind(document)
    if chosen is None:
        if not document.loadable:
            return FileResult(path=path, kind=None, verdict="failed", diagnostics=tuple(document.diagnostics))
        return FileResult(path=path, kind=None, verdict="skipped", reason="not a playbook, task or handler file")
    diagnostics = validate_model(build(document, chosen))
    failed = any(d.severity >= fail_level for d in diagnostics)
    return FileResult(path=path, kind=chosen, verdict="failed" if failed else "passed", diagnostics=diagnostics)
