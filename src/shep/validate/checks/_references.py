"""What the checks of references share: which missing references a file makes, and how sure the
finding is (shep.project's graph decides what each reference leads to)."""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic, Severity, make
from shep.validate.checks._common import ModelWalk

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shep.project import Edge

# Kinds of reference resolved when the playbook is loaded, and those resolved when the task runs.
STATIC_KINDS = frozenset({"import_playbook", "import_tasks", "import_role", "role", "dependency"})
DYNAMIC_KINDS = frozenset({"include_tasks", "include_role"})
FROM_KINDS = frozenset({"tasks_from", "handlers_from", "vars_from", "defaults_from"})
MISSING = "missing"  # shep.project.MISSING (the checks import no graph code)
WRONG_KIND = "wrong-kind"  # shep.project.WRONG_KIND: a playbook where a task file is loaded, or the reverse
FAILING = frozenset({MISSING, WRONG_KIND})


def is_static(edge: Edge) -> bool:
    """A reference of a kind ansible-core resolves when it loads the file holding it (a *_from
    option as the role reference that gives it)."""
    if edge.kind in FROM_KINDS:
        return edge.via != "include_role"
    return edge.kind in STATIC_KINDS


def severity(edge: Edge) -> Severity:
    """An error when ansible-core fails whatever the variables (the file is loaded with the playbook,
    or the include runs unconditionally); a warning when the task may not run or the file was
    reached from no playbook (its context, so where the name is looked up, is a guess)."""
    if not edge.reached:
        return Severity.WARNING
    if edge.static:
        return Severity.ERROR
    return Severity.WARNING if edge.conditional else Severity.ERROR


def hint(edge: Edge) -> str | None:
    parts = []
    if edge.searched:
        shown = edge.searched if len(edge.searched) <= 6 else (*edge.searched[:6], "…")
        parts.append(f"looked for it in {', '.join(shown)}")
    if not edge.reached:
        parts.append("no playbook reaches this file: the roles and directories it is looked up in are a guess")
    elif not edge.static and edge.conditional:
        parts.append("the task may not run (a condition, a loop, ignored errors, a handler, a rescue section)")
    return "; ".join(parts) or None


def missing(walk: ModelWalk, static: bool) -> Iterator[Edge]:
    """The references of the file that lead nowhere, static ones or dynamic ones."""
    if walk.facts is None:
        return
    for edge in walk.facts.references:
        if edge.status in FAILING and edge.kind != "vars_files" and is_static(edge) is static:
            yield edge


def diagnostic(code: str, walk: ModelWalk, edge: Edge) -> Diagnostic:
    return make(code, edge.reason, walk.model.path, edge.span, hint=hint(edge), severity=severity(edge))
