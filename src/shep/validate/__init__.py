"""Validation: every problem of a file as diagnostics, sorted by position, suppressions applied.

Reading files, the result cache and worker processes are the batch runner's (shep.batch). What is
installed (collections) is read here, before the checks, through the ``Installed`` handle the caller
passes (``check_document``); the checks only see the answers (``validate_model``'s ``modules``).
"""

from __future__ import annotations

from shep.config import Config
from shep.diagnostics import Diagnostic, FileResult, Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

    from shep.installed import Installed
    from shep.installed.lookup import ModuleLookup
    from shep.installed.facts import Fact
    from shep.kinds import FileKind
    from shep.loader import Document
    from shep.model import Model, Task
    from shep.project import FileFacts
    from shep.validate.checks import ModelWalk

# Resolutions whose name may lead into an installed collection (shep.resolve): an FQCN of a collection
# as written, or ansible-core's routing table redirecting a builtin name to one.
LOOKED_UP = frozenset({"collection", "redirect"})


def collection_actions(tasks: Iterable[Task]) -> list[str]:
    """The FQCNs outside ansible.builtin that the tasks resolve to, in order, each once."""
    names = [task.resolved_action for task in tasks if task.resolution in LOOKED_UP and task.resolved_action
             and not task.resolved_action.startswith("ansible.builtin.")]
    return list(dict.fromkeys(names)) if names else names


def lookup_modules(model: Model, installed: Installed | None,
                   tasks: Iterable[Task] | None = None) -> tuple[dict[str, ModuleLookup], tuple[Fact, ...]]:
    """What the collections installed (``installed``) hold for the model's collection actions, and
    the facts that depends on; nothing is read when no task names a collection. ``tasks``: the
    model's tasks, when the caller has them listed."""
    if installed is None:
        return {}, ()
    if tasks is None:
        from shep.model import Playbook

        tasks = model.tasks() if isinstance(model, Playbook) else model.all_tasks()
    names = collection_actions(tasks)
    if not names:
        return {}, ()
    return installed.index().lookup_all(names, model.path, model.kind)


def validate_model(model: Model, modules: Mapping[str, ModuleLookup] | None = None, facts: FileFacts | None = None,
                   document: Document | None = None, *, local: bool = False) -> tuple[Diagnostic, ...]:
    """The model's own diagnostics plus those of every semantic check, sorted by position.
    ``modules``: what the installed collections hold for its collection actions (``lookup_modules``);
    None: nothing is known of them, and nothing is said about them. ``facts``: what the project
    graph knows of the file (``Project.facts``), for the checks of references; without it they
    judge the file alone. ``document``, the loaded file the model was built from, lets checks place
    a problem inside a value (a Jinja syntax error at its line and column); without it such problems
    point at their key. ``local``: only the checks that need no graph (the others run later, on the
    facts alone: ``project_diagnostics``)."""
    from shep.validate.checks import ModelWalk  # after a warm run's replay: checks load late

    return _run_checks(ModelWalk(model, modules, facts, document), local=local)


def _run_checks(walk: ModelWalk, *, local: bool = False) -> tuple[Diagnostic, ...]:
    from shep.validate.checks import ALL_CHECKS, LOCAL_CHECKS

    found = list(walk.model.diagnostics)
    for check in LOCAL_CHECKS if local else ALL_CHECKS:
        found.extend(check(walk))
    # dict.fromkeys, not set: diagnostics at one position keep their order from run to run.
    return tuple(sorted(dict.fromkeys(found), key=Diagnostic.sort_key))


def project_diagnostics(path: str, kind: FileKind, facts: FileFacts) -> tuple[Diagnostic, ...]:
    """The diagnostics of the checks that read the project graph, for one file: they need its facts
    only (``validate_model(..., local=True)`` gave the others)."""
    from shep.model import Playbook, TaskFile
    from shep.validate.checks import PROJECT_CHECKS, ModelWalk

    empty: Model = Playbook(path=path) if kind == "playbook" else TaskFile(path=path, kind=kind)
    walk = ModelWalk(empty, facts=facts)
    found = [diagnostic for check in PROJECT_CHECKS for diagnostic in check(walk)]
    return tuple(sorted(dict.fromkeys(found), key=Diagnostic.sort_key))


def _object_spans(model: Model) -> list[Span]:
    from shep.model import Playbook

    if isinstance(model, Playbook):
        return [play.span for play in model.plays] + [task.span for task in model.tasks()]
    return [task.span for task in model.all_tasks()]


def check_document(document: Document, kind: FileKind | None = None, config: Config = Config(),
                   installed: Installed | None = None) -> FileResult:
    """Kind (``kind``, or guessed from the document), model, checks, suppressions and configuration
    for one loaded document; ``installed``: the collections its collection actions are looked up in
    (None: none are). The result carries the facts those lookups depended on."""
    return _check(document, kind, config, installed, project=False)[0]


def check_for_project(document: Document, kind: FileKind | None = None, config: Config = Config(),
                      installed: Installed | None = None) -> tuple[FileResult, dict[str, Any] | None]:
    """As ``check_document`` with the checks that need no project graph, and what the graph needs
    of the file: ``{"found": its summary or a role's metadata, "suppress": its suppressions}``
    (``shep.batch`` caches it with the result as JSON: ``shep.project.payload_data``;
    ``finish_for_project`` adds the graph's findings)."""
    return _check(document, kind, config, installed, project=True)


def _check(document: Document, kind: FileKind | None, config: Config, installed: Installed | None,
           *, project: bool) -> tuple[FileResult, dict[str, Any] | None]:
    from shep import suppress
    from shep.kinds import classify_document
    from shep.model.build import build

    path = document.path
    chosen, why_not = (kind, None) if kind else classify_document(document)
    if chosen is None:
        payload = _meta_payload(document) if project else None
        if why_not is None:  # YAML that does not load, and whose path does not say it is not Ansible
            return FileResult(path=path, kind=None, verdict="failed",
                              diagnostics=config.apply(tuple(document.diagnostics))), payload
        reason = f"not a playbook, task or handler file: {why_not}"
        return FileResult(path=path, kind=None, verdict="skipped", reason=reason), payload
    model = build(document, chosen)
    from shep.validate.checks import ModelWalk

    walk = ModelWalk(model, document=document)
    facts: tuple[Fact, ...] = ()
    if installed is not None:  # looked up before the checks run: they only read the answers
        walk.modules, facts = lookup_modules(model, installed, walk.tasks)
    diagnostics = _run_checks(walk, local=project)
    suppressions = suppress.scan(document.text)
    spans: list[Span] = []
    if suppressions:  # most files have no suppression comment, and no need for the spans of their objects
        spans = _object_spans(model)
        diagnostics = suppress.apply(diagnostics, suppressions, spans)
    diagnostics = config.apply(diagnostics)
    failed = any(d.severity >= config.fail_level for d in diagnostics)
    result = FileResult(path=path, kind=chosen, verdict="failed" if failed else "passed", diagnostics=diagnostics,
                        depends=facts)
    if not project:
        return result, None
    from shep.project.summary import summarize

    made: dict[str, Any] = {"found": summarize(model, document.root)}
    if suppressions:
        made["suppress"] = [sorted(suppressions.whole_file), sorted((n, sorted(c)) for n, c in
                                                                     suppressions.by_line.items()),
                            [[span.line, span.end_line] for span in spans if span.line in suppressions.by_line]]
    return result, made


def _meta_payload(document: Document) -> dict[str, Any] | None:
    """A role's meta/main.yml, which is no task file: its dependencies for the graph."""
    from shep.project.summary import is_role_meta, role_meta

    if not is_role_meta(document.path) or document.root is None:
        return None
    return {"found": role_meta(document.path, document.root)}


def finish_for_project(result: FileResult, payload: dict[str, Any] | None, facts: FileFacts,
                       config: Config = Config()) -> FileResult:
    """A result of ``check_for_project`` with the findings of the checks that read the project graph."""
    from shep import suppress
    from shep.diagnostics import Span

    # A file of no kind may hold references too: a role's meta/main.yml, its dependencies.
    found = project_diagnostics(result.path, result.kind or "tasks", facts)  # type: ignore[arg-type]
    if not found:
        return result
    if payload is not None and "suppress" in payload:
        whole, by_line, ranges = payload["suppress"]
        suppressions = suppress.Suppressions({int(n): frozenset(c) for n, c in by_line}, frozenset(whole))
        found = suppress.apply(found, suppressions, [Span(first, 1, last, 1) for first, last in ranges])
    found = config.apply(found)
    if not found:
        return result
    diagnostics = tuple(sorted(dict.fromkeys((*result.diagnostics, *found)), key=Diagnostic.sort_key))
    failed = any(d.severity >= config.fail_level for d in diagnostics)
    verdict = "failed" if failed else "passed" if result.kind is not None else result.verdict
    return FileResult(path=result.path, kind=result.kind, verdict=verdict, diagnostics=diagnostics,
                      reason=result.reason, depends=result.depends)
