"""Flags a value a role reference gives a role that the role's own argument specs reject: a ``roles:``
entry, a role dependency, an ``import_role`` or ``include_role`` of a role with
``meta/argument_specs.yml`` (or ``argument_specs`` in ``meta/main.yml``) for the entry point it
enters (``tasks_from``, else ``main``).

ansible-core puts a ``validate_argument_spec`` task first in the role (Role._create_validation_task):
it validates, against the entry point's ``options``, the role parameters (the keys of a ``roles:``
entry or dependency that are no keyword) together with the variables the options name, the
parameters winning; the play fails there. A role parameter the options do not name, a literal of the
wrong type, outside its choices, two options that exclude each other: errors, at the parameter
(ansible-core's messages, "Validation of arguments failed"). A value given in ``vars:`` can be
overridden by a variable of higher precedence (extra vars): a warning. A missing required option is
not reported (any variable may define it); nor is anything when ``rolespec_validate`` is false, and
a templated ``rolespec_validate`` makes every finding a warning. The judging is the module-option
checks' own (``shep.validate.module_args``, ansible-core's ArgumentSpecValidator restated).

PASS (project)::

    # file: site.yml
    - hosts: all
      roles:
        - role: web
          web_port: 8080
    # file: roles/web/meta/argument_specs.yml
    argument_specs:
      main:
        options:
          web_port:
            type: int
            required: true
    # file: roles/web/tasks/main.yml
    - ansible.builtin.debug:
        var: web_port

FAIL (project)::

    # file: site.yml
    - hosts: all
      roles:
        - role: web
          web_prot: 8080
    # file: roles/web/meta/argument_specs.yml
    argument_specs:
      main:
        options:
          web_port:
            type: int
    # file: roles/web/tasks/main.yml
    - ansible.builtin.debug:
        var: web_port
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic, Severity, make
from shep.module_specs import Constraints
from shep.validate.checks._common import ModelWalk
from shep.validate.module_args import Problem, static_value, validate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from shep.project import RoleArguments
    from shep.project.summary import Argument

CODE = "V054"
PROJECT = True
# What ansible-core only warns about, or what a variable defined anywhere may settle.
_NOT_REPORTED = frozenset({"deprecated-option", "alias-conflict", "missing-required"})


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    if walk.facts is None:
        return
    for given in walk.facts.role_arguments:
        yield from _judge(given, walk.model.path)


def _judge(given: RoleArguments, path: str) -> Iterator[Diagnostic]:
    spec = _spec(given.options)
    if spec is None:  # not an argument spec: ansible-core's validation task errors out on its own
        return
    params = {argument.name: argument for argument in given.arguments if argument.param}
    # Only the variables the options name reach the validation (ActionModule.get_args_from_task_vars).
    variables = {argument.name: argument for argument in given.arguments
                 if not argument.param and argument.name in spec and argument.name not in params}
    values = {name: static_value(argument.value) for name, argument in (*variables.items(), *params.items())}
    for problem in validate(spec, Constraints(), values, maybe=frozenset(spec)):
        if problem.kind in _NOT_REPORTED:
            continue
        name = problem.path[0] if problem.path else None
        argument = (params.get(name) or variables.get(name)) if isinstance(name, str) else None
        certain = given.certain and argument is not None and argument.param
        yield _diagnostic(given, problem, argument, spec, path, certain)


def _diagnostic(given: RoleArguments, problem: Problem, argument: Argument | None, spec: dict[str, Any],
                path: str, certain: bool) -> Diagnostic:
    text = problem.message
    if problem.kind == "unknown-option" and len(problem.path) == 1:  # ArgumentSpecValidator's own words
        text = f"{problem.path[0]}. Supported parameters include: {_supported(spec)}."
    message = f"Validation of arguments failed for role '{given.role}' (entry point '{given.entry}'): {text}"
    hint = None if certain else ("a variable of higher precedence may override this value" if argument is not None
                                 and not argument.param else "the role's arguments may not be validated")
    return make(CODE, message, path, argument.span if argument is not None else given.span, hint=hint,
                severity=None if certain else Severity.WARNING)


def _supported(spec: dict[str, Any]) -> str:
    """ArgumentSpecValidator's list of the names it takes: sorted, each with its aliases."""
    names = []
    for name in sorted(spec):
        aliases = spec[name].get("aliases")
        names.append(f"{name} ({', '.join(sorted(map(str, aliases)))})" if aliases else name)
    return ", ".join(sorted(names))


def _spec(options: Any) -> dict[str, Any] | None:
    """The options as an argument spec, or None when they are not one (a mapping of names to mappings,
    the same below each ``options``)."""
    if not isinstance(options, dict):
        return None
    for name, entry in options.items():
        if not isinstance(name, str) or not isinstance(entry, dict):
            return None
        aliases = entry.get("aliases")
        if aliases is not None and not (isinstance(aliases, list) and all(isinstance(a, str) for a in aliases)):
            return None
        if not isinstance(entry.get("type", "str"), str) or not isinstance(entry.get("elements", "str"), str):
            return None
        if "choices" in entry and not isinstance(entry["choices"], list):
            return None
        if "options" in entry and entry["options"] is not None and _spec(entry["options"]) is None:
            return None
    return options
