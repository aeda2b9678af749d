"""shep.validate.module_args against ansible-core's own ArgumentSpecValidator, on generated specs and
arguments: for literal arguments (nothing templated), shep must find exactly the kinds of problem
ansible-core finds, no more, no fewer.

The specs cover every option type, elements, choices (strings, numbers, booleans), defaults,
aliases, sub-options (dict and list of dicts, apply_defaults) and every constraint list; the values
are the literals where conversions are subtle (``'yes'``, ``' 2 '``, ``1.0``, ``'1.5'``, ``'10 KB'``,
``'a=1, b'``, ``"{'a': 1}"``, None…).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shep.module_specs import Constraints

from tests.differential.module_args_cases import OPTION_SPECS, VALUES, specs
from tests.differential.module_args_oracle import CRASH, ansible_kinds, shep_kinds

pytestmark = pytest.mark.oracle

@st.composite
def cases(draw: Any) -> tuple[dict[str, Any], Constraints, dict[str, Any]]:
    spec, constraints = draw(specs())
    keys = st.sampled_from([*spec, "alias1", "unknown", "nmae"])
    params = draw(st.dictionaries(keys, st.sampled_from(VALUES), max_size=5))
    return spec, constraints, params


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_shep_finds_the_kinds_of_problem_ansible_core_finds(case: tuple[dict[str, Any], Constraints, dict[str, Any]]) -> None:
    spec, constraints, params = case
    expected = ansible_kinds(spec, constraints, params)
    found = shep_kinds(spec, constraints, params)
    if expected == {CRASH}:
        assert found, "ansible-core fails the task (its validator crashes): shep must report something"
    else:
        assert found == expected


def test_the_comparison_sees_a_difference() -> None:
    """The oracle side reports what the test compares: a misspelt option, a bad choice, a missing one."""
    spec = {"state": {"type": "str", "choices": ["present", "absent"]}, "path": {"type": "path", "required": True}}
    assert ansible_kinds(spec, Constraints(), {"nmae": 1, "state": "presnt"}) == {
        "unknown-option", "choice", "missing-required"}
    assert shep_kinds(spec, Constraints(), {"nmae": 1, "state": "presnt"}) == {
        "unknown-option", "choice", "missing-required"}


OMIT = object()  # a templated value that renders to `omit`: the key is gone
# Only a template that mentions omit can render to it (ansible-core's omit placeholder).
TEMPLATES = ("{{ x }}", "{{ x | default(omit) }}", "prefix-{{ x }}")


@st.composite
def templated_cases(draw: Any) -> tuple[dict[str, Any], Constraints, dict[str, Any], list[dict[str, Any]]]:
    """A case with some values templated, and ways the templates may render (a value, or omit)."""
    spec, constraints, params = draw(cases())
    templates = {k: draw(st.sampled_from(TEMPLATES)) for k in params if draw(st.booleans())}
    written = {k: templates.get(k, v) for k, v in params.items()}
    renderings = []
    for _ in range(4):
        rendered = {}
        for key, value in written.items():
            if key in templates:
                value = draw(st.sampled_from((*VALUES, OMIT) if "omit" in templates[key] else VALUES))
            if value is not OMIT:
                rendered[key] = value
        renderings.append(rendered)
    return spec, constraints, written, renderings


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(templated_cases())
def test_an_error_with_templated_values_holds_whatever_they_render_to(
        case: tuple[dict[str, Any], Constraints, dict[str, Any], list[dict[str, Any]]]) -> None:
    """shep reports an error on arguments with templates only when every rendering fails too."""
    spec, constraints, written, renderings = case
    if not shep_kinds(spec, constraints, written):
        return
    for rendered in renderings:
        assert ansible_kinds(spec, constraints, rendered), f"ansible-core accepts {rendered!r}"


def _type_messages_of_ansible(spec: dict[str, Any], params: dict[str, Any]) -> set[str]:
    from tests.differential.module_args_oracle import _ansible_spec, arg_spec, copy_value

    try:
        result = arg_spec.ArgumentSpecValidator(_ansible_spec(spec)).validate(copy_value(params))
    except (TypeError, AttributeError):
        return {CRASH}
    return {_same_booleans(str(error)) for error in result.errors
            if type(error).__name__ in ("ArgumentTypeError", "ElementError")}


def _same_booleans(message: str) -> str:
    """ansible-core lists its valid booleans in its frozenset's order, which changes with each process's
    string hashing: compare the list as a set."""
    head, found, tail = message.partition("Valid booleans include: ")
    return head + found + ", ".join(sorted(tail.split(", "))) if found else message


@pytest.mark.parametrize("option", OPTION_SPECS, ids=lambda o: "-".join(f"{k}={v}" for k, v in o.items()
                                                                        if k in ("type", "elements")) or "str")
def test_type_errors_have_ansible_cores_words(option: dict[str, Any]) -> None:
    """Every conversion error, word for word (ArgumentTypeError, ElementError), for every value."""
    from shep.validate.module_args import static_value, validate

    for value in VALUES:
        spec, params = {"o1": option}, {"o1": value}
        want = _type_messages_of_ansible(spec, params)
        if CRASH in want:
            continue
        got = {_same_booleans(p.message) for p in validate(spec, Constraints(), static_value(params)) if p.kind == "type"}
        assert got == want, (option, value)
