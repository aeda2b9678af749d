"""Validation: every problem of a file as diagnostics, sorted by position, suppressions applied.

Reading files, the result cache and worker processes are the batch runner's (shep.batch).
"""

from __future__ import annotations

from shep.config import Config
from shep.diagnostics import Diagnostic, FileResult, Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shep.kinds import FileKind
    from shep.loader import Document
    from shep.model import Model


def validate_model(model: Model) -> tuple[Diagnostic, ...]:
    """The model's own diagnostics plus those of every semantic check, sorted by position."""
    from shep.validate.checks import ALL_CHECKS, ModelWalk  # after a warm run's replay: checks load late

    walk = ModelWalk(model)
    found = list(model.diagnostics)
    for check in ALL_CHECKS:
        found.extend(check(walk))
    # dict.fromkeys, not set: diagnostics at one position keep their order from run to run.
    return tuple(sorted(dict.fromkeys(found), key=Diagnostic.sort_key))


def _object_spans(model: Model) -> list[Span]:
    from shep.model import Playbook

    if isinstance(model, Playbook):
        return [play.span for play in model.plays] + [task.span for task in model.tasks()]
    return [task.span for task in model.all_tasks()]


def check_document(document: Document, kind: FileKind | None = None, config: Config = Config()) -> FileResult:
    """Kind (``kind``, or guessed from the document), model, checks, suppressions and configuration
    for one loaded document."""
    from shep import suppress
    from shep.kinds import classify_document
    from shep.model.build import build

    path = document.path
    chosen, why_not = (kind, None) if kind else classify_document(document)
    if chosen is None:
        if why_not is None:  # YAML that does not load, and whose path does not say it is not Ansible
            return FileResult(path=path, kind=None, verdict="failed",
                              diagnostics=config.apply(tuple(document.diagnostics)))
        reason = f"not a playbook, task or handler file: {why_not}"
        return FileResult(path=path, kind=None, verdict="skipped", reason=reason)
    model = build(document, chosen)
    diagnostics = validate_model(model)
    suppressions = suppress.scan(document.text)
    if suppressions:  # most files have no suppression comment, and no need for the spans of their objects
        diagnostics = suppress.apply(diagnostics, suppressions, _object_spans(model))
    diagnostics = config.apply(diagnostics)
    failed = any(d.severity >= config.fail_level for d in diagnostics)
    return FileResult(path=path, kind=chosen, verdict="failed" if failed else "passed", diagnostics=diagnostics)
