"""``module_args.judge_task`` (one verdict per distinct key of arguments) against ``validate`` on each
task's own arguments: the key may stand for many arguments only where no step of the validation
tells them apart, so every task must get exactly the problems (kinds, messages, paths, order) it
gets judged alone.

Three sources of arguments: generated specs with arguments drawn so that most of them share a key
with an earlier one (the verdict reused is another task's); every builtin spec with values of every
shape put in each of its options in turn; and the shared corpus's tasks, as written and with each
value replaced by others.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shep.loader.values import Unsafe, Vault
from shep.model import Task
from shep.module_specs import Constraints, builtin_names, builtin_spec
from shep.validate.module_args import _VERDICTS, as_the_plugin_reads, judge_task, static_value, validate

from tests.conftest import corpus_or_skip
from tests.differential.module_args_cases import OPTION_SPECS, VALUES, specs

# Values of every shape the loader makes, texts and templates of each kind among them.
SHAPES: tuple[Any, ...] = (
    *VALUES, "x", "other text", " ", "{{ x }}", "{{ x | default(omit) }}", "a {{ omit }} b", "{% if x %}y{% endif %}",
    "{# c #}", "{", Unsafe("x"), Unsafe("{{ x }}"), Unsafe(""), Vault("$ANSIBLE_VAULT;1.1;AES256\n61"),
    datetime.date(2024, 1, 2), b"bytes", 10**30, -0.0, float("inf"), ["{{ x }}"], ["{{ omit }}", 1],
    {"a": "{{ x }}"}, [[1]], {"k": [None]}, {1: "a"}, {True: 1}, [True, 1, 1.0],
)
# The option types judge_task may key by less than the value, and those around them.
MORE_OPTION_SPECS: tuple[dict[str, Any], ...] = (
    *OPTION_SPECS, {"type": "callable"}, {"type": "callable", "required": True}, {"type": "callable", "default": "d"},
    {"type": "list", "elements": "path"}, {"type": "list", "elements": "raw"}, {"type": "list", "elements": "callable"},
    {"type": "raw", "elements": "int"}, {"type": "str", "default": "x"}, {"type": "path", "fallback": {"env": ["X"]}},
    {"type": "str", "removed_in_version": "2.0"}, {"type": "raw", "deprecated_aliases": [{"name": "alias1"}]},
)


def reference(spec: dict[str, Any], constraints: Constraints, args: dict[Any, Any], maybe_all: bool, name: str,
              omit_empty: bool) -> tuple[Any, ...]:
    params = static_value(args)
    if omit_empty:
        params = as_the_plugin_reads(params, spec)
    return tuple(validate(spec, constraints, params, maybe=frozenset(spec) if maybe_all else frozenset(), name=name))


def same_as_alone(spec: dict[str, Any], constraints: Constraints, args: dict[Any, Any], maybe_all: bool = False,
                  name: str = "m", omit_empty: bool = False) -> None:
    found = judge_task(spec, constraints, args, maybe_all=maybe_all, name=name, omit_empty=omit_empty)
    expected = reference(spec, constraints, args, maybe_all, name, omit_empty)
    assert found == expected, f"{args!r} (maybe_all={maybe_all}, omit_empty={omit_empty})"


@st.composite
def spec_and_many_arguments(draw: Any) -> tuple[dict[str, Any], Constraints, list[dict[str, Any]], bool, bool]:
    spec, constraints = draw(specs())
    for name in spec:
        if draw(st.booleans()):
            spec[name] = dict(draw(st.sampled_from(MORE_OPTION_SPECS)))
    keys = st.sampled_from([*spec, "alias1", "unknown", "_ansible_x", "_raw_params", 1, True, Unsafe("o1")])
    arguments = draw(st.lists(st.dictionaries(keys, st.sampled_from(SHAPES), max_size=5), min_size=2, max_size=12))
    return spec, constraints, arguments, draw(st.booleans()), draw(st.booleans())


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec_and_many_arguments())
def test_each_task_gets_the_verdict_of_its_own_arguments(
        case: tuple[dict[str, Any], Constraints, list[dict[str, Any]], bool, bool]) -> None:
    spec, constraints, arguments, maybe_all, omit_empty = case
    for args in arguments:
        same_as_alone(spec, constraints, args, maybe_all, omit_empty=omit_empty)


def test_a_verdict_is_shared_only_by_arguments_no_step_tells_apart() -> None:
    spec = {"that": {"type": "callable", "required": True}, "msg": {"type": "str"},
            "state": {"type": "str", "choices": ["a", "b"]}, "count": {"type": "int"}}
    none = Constraints()
    _VERDICTS.clear()
    for that in (["x is y"], ["z"], "a", 1, {"a": 1}):
        judge_task(spec, none, {"that": that, "msg": "text"})
    verdicts = next(iter(_VERDICTS.values()))
    assert len(verdicts.seen) == 1
    for different in ({"that": None}, {"that": "{{ x }}"}, {"that": "a", "msg": ""}, {"that": "a", "state": "c"},
                      {"that": "a", "count": "1"}, {"that": "a", "count": 1}, {"that": "a", "count": True},
                      {"msg": "a", "that": "a"}):
        judge_task(spec, none, different)
    assert len(verdicts.seen) == 9


def test_a_value_a_constraint_compares_or_two_options_share_is_read_whole() -> None:
    compared = Constraints(required_if=(("state", "x", ("path",), False),))
    spec = {"state": {"type": "str"}, "path": {"type": "path"}}
    for state in ("y", "x", "z"):
        same_as_alone(spec, compared, {"state": state})
    none = Constraints()  # one object: verdicts are shared per (spec, constraints)
    for spec in ({"b": {"type": "int"}, "a": {"type": "str", "aliases": ["b"]}},
                 {"a": {"type": "str", "aliases": ["b"]}, "b": {"type": "int"}}):
        for value in ("text", "5", "other"):
            same_as_alone(spec, none, {"b": value})


@pytest.mark.parametrize("name", sorted(builtin_names()))
def test_every_builtin_spec_with_values_of_every_shape(name: str) -> None:
    spec = builtin_spec(name)
    assert spec is not None
    required = {option: "x" for option, entry in spec.options.items() if entry.get("required")}
    for option in [*spec.options, *(a for e in spec.options.values() for a in e.get("aliases", ())), "unknown"]:
        for value in SHAPES:
            for args in ({option: value}, {**required, option: value}):
                same_as_alone(spec.options, spec.constraints, args, name=name, omit_empty=spec.handler == "wrapper")
                same_as_alone(spec.options, spec.constraints, args, True, name, spec.handler == "wrapper")


@pytest.mark.slow
def test_the_corpus_tasks_and_their_mutants() -> None:
    from shep.api import parse
    from shep.validate.checks import ModelWalk
    from shep.validate.checks._module_options import _in_scope, _spec_of

    corpus = corpus_or_skip()
    import json

    files = [str(corpus / e["repo"] / e["path"]) for e in map(json.loads, (corpus / "manifest.jsonl").open())]
    _VERDICTS.clear()
    judged = 0
    for path in files:
        try:
            model = parse(open(path, "rb").read(), filename=path)
        except Exception:  # not Ansible, or not loadable: nothing to judge
            continue
        for visit in ModelWalk(model).task_visits:
            task = visit.obj
            assert isinstance(task, Task)
            if task.error is not None or task.action is None or task.variable_args is not None:
                continue
            spec, _installed = _spec_of(task, None)
            if spec is None or (task.free_form_args is not None and "_raw_params" not in spec.options):
                continue
            maybe_all, wrapper = _in_scope(visit, "module_defaults"), spec.handler == "wrapper"
            args = task.ansible_args
            same_as_alone(spec.options, spec.constraints, args, maybe_all, task.action, wrapper)
            judged += 1
            for key in list(args)[:4]:
                for value in SHAPES[::3]:
                    same_as_alone(spec.options, spec.constraints, {**args, key: value}, maybe_all, task.action, wrapper)
    assert judged > 3000
