"""ansible-core's own argument validation (ArgumentSpecValidator) as a test oracle, and shep's
verdict on the same spec and arguments, both as sets of problem kinds (shep.validate.module_args's)."""

from __future__ import annotations

from typing import Any

import pytest

from shep.module_specs import Constraints
from shep.validate.module_args import static_value, validate

arg_spec = pytest.importorskip("ansible.module_utils.common.arg_spec",
                               reason="ansible-core (the oracle extra) is not installed")
errors = pytest.importorskip("ansible.module_utils.errors", reason="ansible-core (the oracle extra) is not installed")
parameters = pytest.importorskip("ansible.module_utils.common.parameters",
                                 reason="ansible-core (the oracle extra) is not installed")

KIND_OF_ERROR = {
    "UnsupportedError": "unknown-option",
    "MutuallyExclusiveError": "mutually-exclusive",
    "RequiredError": "missing-required",
    "ArgumentTypeError": "type",
    "ElementError": "type",
    "ArgumentValueError": "choice",
    "RequiredTogetherError": "required-together",
    "RequiredOneOfError": "required-one-of",
    "RequiredIfError": "required-if",
    "RequiredByError": "required-by",
    "SubParameterTypeError": "not-a-dict",
    "NoLogError": "not-a-dict",  # raised while listing no_log values: a value for sub-options that is no dict
}
WARNINGS = frozenset({"alias-conflict", "deprecated-option"})
CRASH = "crash"

def ansible_kinds(spec: dict[str, Any], constraints: Constraints, params: dict[str, Any]) -> set[str]:
    validator = arg_spec.ArgumentSpecValidator(
        _ansible_spec(spec), mutually_exclusive=[list(g) for g in constraints.mutually_exclusive] or None,
        required_together=[list(g) for g in constraints.required_together] or None,
        required_one_of=[list(g) for g in constraints.required_one_of] or None,
        required_if=[list(r) for r in constraints.required_if] or None,
        required_by=dict(constraints.required_by) or None)
    try:
        result = validator.validate(copy_value(params))
    except (TypeError, AttributeError):  # ansible-core crashes (a number where sub-options are due): the task fails
        return {CRASH}
    return {KIND_OF_ERROR[type(error).__name__] for error in result.errors}


def _ansible_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The same spec with lists where ansible-core expects them (aliases, constraint groups)."""
    converted = {}
    for name, entry in spec.items():
        entry = dict(entry)
        if "aliases" in entry:
            entry["aliases"] = list(entry["aliases"])
        if "choices" in entry:
            entry["choices"] = list(entry["choices"])
        if "options" in entry:
            entry["options"] = _ansible_spec(entry["options"])
        entry.pop("default_dynamic", None)  # shep's marker, not an ansible-core key
        if entry.get("type") == "callable" or entry.get("elements") == "callable":
            # an action's own converter function, which the table cannot hold: shep never fails a value
            # on it, so the oracle accepts any value too
            entry = {**entry, **{k: "raw" for k in ("type", "elements") if entry.get(k) == "callable"}}
        fallback = entry.pop("fallback", None)
        if isinstance(fallback, dict) and "env" in fallback:
            entry["fallback"] = (parameters.env_fallback, list(fallback["env"]))
        if isinstance(entry.get("default"), tuple):
            entry["default"] = _thaw(entry["default"])
        for key in ("mutually_exclusive", "required_together", "required_one_of", "required_if"):
            if key in entry:
                entry[key] = [list(group) for group in entry[key]]
        converted[name] = entry
    return converted


def _thaw(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_thaw(v) for v in value]
    if isinstance(value, dict):
        return {k: _thaw(v) for k, v in value.items()}
    return value


def copy_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: copy_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_value(v) for v in value]
    return value


def shep_kinds(spec: dict[str, Any], constraints: Constraints, params: dict[str, Any]) -> set[str]:
    return {p.kind for p in validate(spec, constraints, static_value(copy_value(params)))} - WARNINGS
