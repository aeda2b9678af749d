"""The generated specs and literal values both module-argument differential tests draw from
(``test_module_args_validator``, which needs ansible-core, and ``test_module_options_memo``, which
does not): kept apart from the oracle so that importing them never needs ansible-core."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from shep.module_specs import Constraints

VALUES = (
    "yes", "no", "True", "False", "on", "y", "1", "0", "2", " 2 ", "1.5", "1.0", "-3", "1e3", "0x10", "abc", "",
    "10", "10 KB", "1Kb", "2M", "3 kilobytes", "4 kilobyte", "5b", "6B", "7 bytes",
    "a=1,b=2", "a=1, b", "k='x y' z=2", "{'a': 1}", '{"a": [1]}', "{bad", "[1, 2]", "x,y", "present", "absent",
    0, 1, 2, -1, 1.0, 1.5, 0.0, True, False, None,
    [], [1, "a"], ["present"], ["present", "latest"], [1, 2], [{"a": "x"}], ["a=1"], [None],
    {}, {"a": "x"}, {"a": 1, "b": "2"}, {"b": "q"}, {"a": None}, {"c": 1},
)
SUB_OPTIONS = {"a": {"type": "str", "required": True}, "b": {"type": "int", "aliases": ("bee",)},
               "c": {"type": "bool", "default": False}}
OPTION_SPECS = (
    {"type": "str"}, {"type": "int"}, {"type": "bool"}, {"type": "float"}, {"type": "path"}, {"type": "raw"},
    {"type": "list"}, {"type": "list", "elements": "int"}, {"type": "list", "elements": "str"},
    {"type": "list", "elements": "bool"}, {"type": "dict"}, {"type": "jsonarg"}, {"type": "bytes"}, {"type": "bits"},
    {"type": "str", "choices": ("present", "absent", "latest")}, {"choices": ("present", "absent")},
    {"type": "int", "choices": (1, 2, 3)}, {"type": "list", "elements": "str", "choices": ("present", "latest")},
    {"type": "str", "choices": ("yes", "no", "auto")}, {"type": "raw", "choices": (True, False, "auto")},
    {"type": "bool", "default": True}, {"type": "str", "default": "present", "choices": ("present", "absent")},
    {"type": "int", "default": 5}, {"type": "str", "required": True}, {"type": "path", "required": True},
    {"type": "dict", "options": SUB_OPTIONS}, {"type": "list", "elements": "dict", "options": SUB_OPTIONS},
    {"type": "dict", "options": SUB_OPTIONS, "apply_defaults": True},
    {"type": "dict", "options": SUB_OPTIONS, "required_one_of": [["a", "b"]], "mutually_exclusive": [["b", "c"]]},
)
NAMES = ("o1", "o2", "o3", "o4", "o5")


@st.composite
def specs(draw: Any) -> tuple[dict[str, Any], Constraints]:
    count = draw(st.integers(1, len(NAMES)))
    spec: dict[str, Any] = {}
    for index, name in enumerate(NAMES[:count]):
        entry = dict(draw(st.sampled_from(OPTION_SPECS)))
        if draw(st.booleans()) and index == 0:
            entry["aliases"] = ("alias1",)
        if entry.get("required") and "default" in entry:
            del entry["default"]
        spec[name] = entry
    names = list(spec)
    pair = st.lists(st.sampled_from(names), min_size=2, max_size=3, unique=True).map(tuple)
    groups = st.lists(pair, max_size=2).map(tuple) if len(names) > 1 else st.just(())
    required_if = st.lists(st.tuples(st.sampled_from(names), st.sampled_from(("present", 1, True, "x")),
                                     st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True).map(tuple),
                                     st.booleans()), max_size=2).map(tuple)
    required_by = st.dictionaries(st.sampled_from(names), st.sampled_from(names), max_size=2)
    constraints = Constraints(mutually_exclusive=draw(groups), required_together=draw(groups),
                              required_one_of=draw(groups), required_if=draw(required_if),
                              required_by=draw(required_by))
    return spec, constraints
