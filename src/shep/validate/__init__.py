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

    from shep.installed import Installed
    from shep.installed.lookup import ModuleLookup
    from shep.installed.facts import Fact
    from shep.kinds import FileKind
    from shep.loader import Document
    from shep.model import Model, Task
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


def validate_model(model: Model, modules: Mapping[str, ModuleLookup] | None = None,
                   document: Document | None = None) -> tuple[Diagnostic, ...]:
    """The model's own diagnostics plus those of every semantic check, sorted by position.
    ``modules``: what the installed collections hold for its collection actions (``lookup_modules``);
    None: nothing is known of them, and nothing is said about them. ``document``, the loaded file the
    model was built from, lets checks place a problem inside a value (a Jinja syntax error at its line
    and column); without it such problems point at their key."""
    from shep.validate.checks import ModelWalk  # after a warm run's replay: checks load late

    return _run_checks(ModelWalk(model, modules, document))


def _run_checks(walk: ModelWalk) -> tuple[Diagnostic, ...]:
    from shep.validate.checks import ALL_CHECKS

    found = list(walk.model.diagnostics)
    for check in ALL_CHECKS:
        found.extend(check(walk))
    # dict.fromkeys, not set: diagnostics at one position keep their order from run to run.
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
    from shep.validate.checks import ModelWalk

    walk = ModelWalk(model, document=document)
    facts: tuple[Fact, ...] = ()
    if installed is not None:  # looked up before the checks run: they only read the answers
        walk.modules, facts = lookup_modules(model, installed, walk.tasks)
    diagnostics = _run_checks(walk)
    suppressions = suppress.scan(document.text)
    if suppressions:  # most files have no suppression comment, and no need for the spans of their objects
        diagnostics = suppress.apply(diagnostics, suppressions, _object_spans(model))
    diagnostics = config.apply(diagnostics)
    failed = any(d.severity >= config.fail_level for d in diagnostics)
    return FileResult(path=path, kind=chosen, verdict="failed" if failed else "passed", diagnostics=diagnostics,
                      depends=facts)
