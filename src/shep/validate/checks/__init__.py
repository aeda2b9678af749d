"""The semantic checks: one module per check, each with ``CODE``, a docstring with PASS/FAIL examples
(they feed docs/diagnostics.md and are run by the tests) and a ``check(model)`` generator.

Imported explicitly (yamllint's rules/__init__.py habit) so grep finds every check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from types import ModuleType

from shep._records import record
from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk as ModelWalk
from shep.validate.checks import (
    delegate_facts,
    duplicate_loop,
    end_role,
    flush_handlers_in_handler,
    import_loop,
    include_options,
    jinja_empty_conditional,
    jinja_syntax,
    jinja_unknown_filter,
    jinja_unknown_test,
    keyword_type,
    listen_outside_handler,
    loop_without_value,
    meta_action,
    module_alias_conflict,
    module_collection_deprecated,
    module_collection_missing,
    module_collection_unresolved,
    module_deprecated_option,
    module_missing_required,
    module_mutually_exclusive,
    module_option_choice,
    module_option_type,
    module_required_by,
    module_required_if,
    module_required_one_of,
    module_required_together,
    module_unknown,
    module_unknown_option,
    notify_unknown_handler,
    play_without_hosts,
    poll_without_async,
    raw_params,
    reference_duplicate_handler,
    reference_missing_import,
    reference_missing_include,
    reference_missing_vars_file,
    reference_role_argument,
    removed_include,
    role_include_handler,
    unknown_builtin_action,
    unknown_builtin_strategy,
    unknown_keyword,
    unreachable_handler,
    variable_name,
)

# A check: the walk of one model in, its diagnostics out (no state of its own between calls).
Check = Callable[[ModelWalk], Iterable[Diagnostic]]

# In code order.
CHECK_MODULES: tuple[ModuleType, ...] = (
    unknown_keyword,
    listen_outside_handler,
    notify_unknown_handler,
    raw_params,
    duplicate_loop,
    loop_without_value,
    removed_include,
    delegate_facts,
    poll_without_async,
    play_without_hosts,
    import_loop,
    role_include_handler,
    include_options,
    keyword_type,
    variable_name,
    end_role,
    unreachable_handler,
    meta_action,
    unknown_builtin_action,
    flush_handlers_in_handler,
    unknown_builtin_strategy,
    module_unknown_option,
    module_option_choice,
    module_option_type,
    module_missing_required,
    module_mutually_exclusive,
    module_required_together,
    module_required_one_of,
    module_required_if,
    module_required_by,
    module_deprecated_option,
    module_alias_conflict,
    module_unknown,
    jinja_syntax,
    jinja_unknown_filter,
    jinja_unknown_test,
    jinja_empty_conditional,
    module_collection_missing,
    module_collection_unresolved,
    module_collection_deprecated,
    reference_missing_import,
    reference_missing_include,
    reference_missing_vars_file,
    reference_duplicate_handler,
    reference_role_argument,
)

ALL_CHECKS: list[Check] = [module.check for module in CHECK_MODULES]
# The checks that read the project graph (``ModelWalk.facts``; a module sets PROJECT = True), and the others.
PROJECT_CHECKS: list[Check] = [module.check for module in CHECK_MODULES if getattr(module, "PROJECT", False)]
LOCAL_CHECKS: list[Check] = [module.check for module in CHECK_MODULES if not getattr(module, "PROJECT", False)]
BY_CODE: dict[str, ModuleType] = {module.CODE: module for module in CHECK_MODULES}


def get(code: str) -> ModuleType:
    """The check module of a code (ValueError for an unknown code, as yamllint's rules.get)."""
    try:
        return BY_CODE[code]
    except KeyError:
        raise ValueError(f"no such check: {code}") from None


@record
class Example:
    """A PASS or FAIL example of a check's docstring, with the file kind it is written as."""

    verdict: str  # "PASS" or "FAIL"
    kind: str  # "tasks", "handlers" or "playbook"
    text: str


# A pattern, not a compiled one: only docs and tests read examples, re compiles (and caches) it then.
_MARKER = r"^(PASS|FAIL)(?: \((tasks|handlers|playbook|project)\))?::$"


def _cleandoc(doc: str) -> str:
    import inspect  # docs and tests only: not worth a validation run's start-up

    return inspect.cleandoc(doc)


def examples(module: ModuleType) -> list[Example]:
    """The examples of a check module's docstring: ``PASS::`` / ``FAIL (playbook)::`` + an indented block."""
    import textwrap  # docs and tests only: not worth a validation run's start-up

    lines = _cleandoc(module.__doc__ or "").splitlines()
    found = []
    for index, line in enumerate(lines):
        marker = re.match(_MARKER, line)
        if not marker:
            continue
        block = []
        for following in lines[index + 1:]:
            if following.strip() and not following.startswith("    "):
                break
            block.append(following)
        text = textwrap.dedent("\n".join(block)).strip("\n") + "\n"
        found.append(Example(marker.group(1), marker.group(2) or "tasks", text))
    return found


def summary(module: ModuleType) -> str:
    """The first paragraph of a check's docstring."""
    return _cleandoc(module.__doc__ or "").split("\n\n")[0].replace("\n", " ")


def description(module: ModuleType) -> str:
    """The docstring's prose between the summary and the first example."""
    paragraphs = _cleandoc(module.__doc__ or "").split("\n\n")[1:]
    prose = []
    for paragraph in paragraphs:
        if re.match(_MARKER, paragraph.strip().splitlines()[0]):
            break
        prose.append(paragraph.replace("\n", " "))
    return "\n\n".join(prose)


__all__ = ["ALL_CHECKS", "BY_CODE", "CHECK_MODULES", "LOCAL_CHECKS", "PROJECT_CHECKS", "Check", "Example",
           "description", "examples", "get", "summary"]
