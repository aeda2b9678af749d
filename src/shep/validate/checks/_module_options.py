"""What the module-option checks (V022–V032) share: each task's arguments judged once against the
argument spec of its action (``shep.validate.module_args``), findings grouped by kind.

Two kinds of spec. The builtin ones (``shep.module_specs``) are certain whatever is installed: the
actions ansible-core ships, named by their ``ansible.builtin.``/``ansible.legacy.`` name, or by their
short name when no ``collections:`` list is in scope (a listed collection may hold a module of that
name). A module of an installed collection (an FQCN, or a builtin name ansible-core's routing table
redirects to one) is judged by its documentation (``shep.installed``, handler ``docs``): documentation
can be wrong and what is installed here may not be what the play runs with, so every finding on it is
a warning at most, and it states no constraints between options. Arguments given as one template
(``args: "{{ x }}"``) are not judged; options that ``module_defaults`` in scope may supply are not
known to be missing.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from shep.diagnostics import Diagnostic, Severity, Span, make
from shep.installed import BUILTIN as BUILTIN_FOUND
from shep.installed import DOCS_HANDLER, FOUND
from shep.keywords import TASK_KEYWORDS
from shep.model import Task
from shep.module_specs import ModuleSpec, builtin_spec
from shep.resolve import BUILTIN, BUILTIN_ACTION, BUILTIN_MODULE, COLLECTION, REDIRECT
from shep.validate.checks._common import ModelWalk, Visit
from shep.validate.module_args import Problem, Verdicts, verdicts_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import NamedTuple

    from shep.installed.lookup import ModuleLookup
else:
    from shep._records import NamedTuple

WARNING_KINDS = frozenset({"deprecated-option", "alias-conflict"})
JUDGED = frozenset({BUILTIN_MODULE, BUILTIN_ACTION, REDIRECT})  # resolutions that may end in ansible.builtin
INSTALLED = frozenset({COLLECTION, REDIRECT})  # resolutions that may lead into an installed collection


class Finding(NamedTuple):
    visit: Visit
    problem: Problem
    spec: ModuleSpec
    installed: bool  # judged by what is installed (a collection's documentation or routing): a warning at most


def findings(walk: ModelWalk) -> dict[str, list[Finding]]:
    """Every problem of every task's module arguments, by kind (computed once per walk)."""
    return walk.shared(_judge)


def diagnostics(walk: ModelWalk, code: str, kinds: tuple[str, ...]) -> Iterator[Diagnostic]:
    """The findings of ``kinds`` as diagnostics of ``code``, in file order."""
    found = walk.shared(_judge)
    if not found:  # most files: eleven checks ask, and no generator needs to be made for them
        return iter(())
    return _diagnostics(walk, found, code, kinds)


def _diagnostics(walk: ModelWalk, found: dict[str, list[Finding]], code: str,
                 kinds: tuple[str, ...]) -> Iterator[Diagnostic]:
    for kind in kinds:
        for visit, problem, spec, installed in found.get(kind, ()):
            task = visit.task
            hint = _hint(problem, spec) if kind == "unknown-option" else None
            if installed:
                hint = f"{hint} ({_judged_by(spec)})" if hint else _judged_by(spec)
            severity = Severity.WARNING if kind in WARNING_KINDS or installed else None
            span = _written_at(task, problem, spec)
            if span is None:  # about the arguments as a whole: at the module's name
                yield walk.diagnostic(code, problem.message, task, task.action_key, hint=hint, severity=severity)
            else:
                yield make(code, problem.message, task.path, span, hint=hint, severity=severity)


def _written_at(task: Task, problem: Problem, spec: ModuleSpec) -> Span | None:
    """Where the option a problem is about is written (a sub-option: the option holding it); for an
    option given by one of its aliases, where the alias is."""
    if not problem.path or not isinstance(problem.path[0], str):
        return None
    option = problem.path[0]
    spans = dict(task.arg_spans)
    if option in spans:
        return spans[option]
    for alias in spec.options.get(option, {}).get("aliases", ()):
        if alias in spans:
            return spans[alias]
    return None


def _judged_by(spec: ModuleSpec) -> str:
    if spec.handler == DOCS_HANDLER:
        return f"judged by the documentation of {spec.name} as installed here"
    return f"judged as ansible.builtin.{spec.name}, where an installed collection redirects"


def _judge(walk: ModelWalk) -> dict[str, list[Finding]]:
    by_kind: dict[str, list[Finding]] = {}
    modules = walk.modules
    # By resolved action and resolution: the spec, whether it is installed, its verdicts.
    specs: dict[tuple[str | None, str], tuple[ModuleSpec | None, bool, Verdicts | None]] = {}
    for visit in walk.task_visits:
        task: Task = visit.obj  # type: ignore[assignment]  # task_visits hold tasks only
        if task.error is not None or task.action is None or task.variable_args is not None:
            continue
        resolved = (task.resolved_action, task.resolution)
        found = specs.get(resolved)
        if found is None:
            name = task.resolved_action
            if name is not None and name.startswith(BUILTIN):  # the same in every file: once per process
                found = specs[resolved] = _builtin_spec_of(name, task.resolution)
            else:
                spec, installed = _spec_of(task, modules)
                found = specs[resolved] = spec, installed, None if spec is None else verdicts_of(spec.options,
                                                                                               spec.constraints)
        spec, installed, verdicts = found
        if spec is None or verdicts is None or (task.free_form_args is not None and "_raw_params" not in spec.options):
            continue  # free-form text the action does not take fails first: V004 (a builtin's)
        args = task.args if task.free_form_args is None else task.ansible_args  # no _variable_params here
        play = visit.play
        maybe_all = bool(task.module_defaults or (play is not None and play.module_defaults)
                         or (visit.parents and _in_scope(visit, "module_defaults")))  # _in_scope, inlined
        problems = verdicts.judge(args, maybe_all, task.action, spec.handler == "wrapper")
        for problem in problems:
            by_kind.setdefault(problem.kind, []).append(Finding(visit, problem, spec, installed))
    return by_kind


@functools.lru_cache(maxsize=None)  # a few dozen ansible.builtin names a run
def _builtin_spec_of(name: str, resolution: str) -> tuple[ModuleSpec | None, bool, Verdicts | None]:
    """_spec_of for a task resolved to ``ansible.builtin.<name>`` (nothing installed matters), with
    the verdicts of the spec."""
    spec = builtin_spec(name[len(BUILTIN):]) if resolution in JUDGED else None
    return spec, False, None if spec is None else verdicts_of(spec.options, spec.constraints)


def _spec_of(task: Task, modules: Mapping[str, ModuleLookup] | None) -> tuple[ModuleSpec | None, bool]:
    """The spec the task's action runs with, and whether it depends on what is installed: a builtin
    spec when that is certain whatever is installed (shep.resolve: a short name under a
    ``collections:`` list is a search, not a builtin); else what an installed collection documents."""
    name = task.resolved_action
    if name is None:
        return None, False
    if name.startswith(BUILTIN):
        return (builtin_spec(name[len(BUILTIN):]) if task.resolution in JUDGED else None), False
    found = modules.get(name) if modules is not None and task.resolution in INSTALLED else None
    if found is None:
        return None, False
    if found.status == FOUND:
        return found.spec, True
    if found.status == BUILTIN_FOUND and found.name.startswith(BUILTIN):
        return builtin_spec(found.name[len(BUILTIN):]), True
    return None, False


def _in_scope(visit: Visit, keyword: str) -> bool:
    """Whether the task, an enclosing block or the play sets ``keyword``."""
    if getattr(visit.obj, keyword) or (visit.play is not None and getattr(visit.play, keyword)):
        return True
    return any(getattr(parent, keyword) for parent in visit.parents)


def _hint(problem: Problem, spec: ModuleSpec) -> str | None:
    import difflib  # on a finding only

    key = problem.path[-1] if problem.path else None
    if not isinstance(key, str):
        return None
    if len(problem.path) == 1 and key in TASK_KEYWORDS:
        return f"'{key}' is a task keyword: indent it at the task's level, not under the module"
    options = spec.options
    for parent in problem.path[:-1]:
        if isinstance(parent, str):
            options = options.get(parent, {}).get("options") or {}
    names = sorted({*options, *(alias for entry in options.values() for alias in entry.get("aliases", ()))})
    close = difflib.get_close_matches(key, names, n=1)
    return f"did you mean '{close[0]}'?" if close else None
