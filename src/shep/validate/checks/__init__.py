"""The semantic checks: one module per check, each with ``CODE``, a docstring with PASS/FAIL examples
(they feed docs/diagnostics.md and are run by the tests) and a ``check(model)`` generator.

Imported explicitly (yamllint's rules/__init__.py habit) so grep finds every check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import ModuleType

from shep.diagnostics import Diagnostic
from shep.model import Playbook, TaskFile
from shep.validate.checks import (
    delegate_facts,
    duplicate_loop,
    end_role,
    import_loop,
    include_options,
    keyword_type,
    listen_outside_handler,
    loop_without_value,
    notify_unknown_handler,
    play_without_hosts,
    poll_without_async,
    raw_params,
    removed_include,
    role_include_handler,
    unknown_keyword,
    unreachable_handler,
    variable_name,
)

Check = Callable[[Playbook | TaskFile], Iterable[Diagnostic]]

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
)

ALL_CHECKS: list[Check] = [module.check for module in CHECK_MODULES]
BY_CODE: dict[str, ModuleType] = {module.CODE: module for module in CHECK_MODULES}


def get(code: str) -> ModuleType:
    """The check module of a code (ValueError for an unknown code, as yamllint's rules.get)."""
    try:
        return BY_CODE[code]
    except KeyError:
        raise ValueError(f"no such check: {code}") from None


__all__ = ["ALL_CHECKS", "BY_CODE", "CHECK_MODULES", "Check", "get"]
