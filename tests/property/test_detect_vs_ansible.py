"""Differential: shep.detect equals ansible-core's ModuleArgsParser.parse(skip_action_validation=True)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shep.detect import UNSET, detect

pytestmark = pytest.mark.slow  # property-based: hypothesis campaigns against ansible-core

mod_args = pytest.importorskip("ansible.parsing.mod_args", reason="needs ansible-core (the `oracle` extra)")

EXAMPLES = int(os.environ.get("SHEP_FUZZ_EXAMPLES", "2000"))


def ansible_parse(task: dict[str, Any]) -> tuple[Any, Any, Any, str | None]:
    try:
        action, args, delegate_to = mod_args.ModuleArgsParser(task).parse(skip_action_validation=True)
    except Exception as exc:  # noqa: BLE001 - every ansible rejection is an error in shep too
        # Only ansible's own errors carry a message worth matching; a crash (IndexError…) does not.
        crashed = not type(exc).__name__.startswith("Ansible")
        return None, None, None, "<crash>" if crashed else str(exc).split("\n")[0]
    delegate = None if delegate_to is mod_args.Sentinel else delegate_to
    return action, {str(k): v for k, v in args.items()}, delegate, None


def shep_parse(task: dict[str, Any]) -> tuple[Any, Any, Any, str | None]:
    found = detect(task)
    if found.error:
        return None, None, None, found.error.message
    delegate = None if found.delegate_to is UNSET else found.delegate_to
    return found.action, {str(k): v for k, v in found.ansible_args.items()}, delegate, None


KV_TEXT = st.lists(st.sampled_from([
    "echo hi", "a=1", "b='x y'", 'c="q"', "creates=/tmp/x", "chdir=/srv", "{{ v }}", "k={{ x }}", "x\\=y", "=v",
    "msg=hello world", "'a=b'", "_ansible_debug=1", "executable=/bin/bash", "warn=no", "args=a=1",
]), max_size=4).map(" ".join)
VALUES = st.one_of(KV_TEXT, st.none(), st.integers(-2, 2), st.booleans(),
                   st.dictionaries(st.sampled_from(["src", "dest", "_raw_params", "module", "args", "chdir"]),
                                   st.sampled_from(["a", "b", "copy", "shell echo", "x=1"]), max_size=3),
                   st.lists(st.sampled_from(["a", "b"]), max_size=2))
MODULES = st.sampled_from(["shell", "command", "copy", "ansible.builtin.shell", "ansible.windows.win_shell",
                           "community.general.foo", "debug", "include_tasks", "set_fact", "raw"])
ACTION_TEXT = st.one_of(st.tuples(MODULES, KV_TEXT).map(lambda p: f"{p[0]} {p[1]}".strip()), VALUES)
KEYWORDS = st.sampled_from(["name", "when", "register", "delegate_to", "with_items", "loop", "become", "tags",
                            "listen", "static", "notify", "vars"])


@st.composite
def tasks(draw: st.DrawFn) -> dict[str, Any]:
    task: dict[str, Any] = {}
    for key in draw(st.lists(KEYWORDS, max_size=3, unique=True)):
        task[key] = draw(st.sampled_from(["x", "localhost", None, ["a"]]))
    for module in draw(st.lists(MODULES, max_size=2, unique=True)):
        task[module] = draw(VALUES)
    if draw(st.booleans()):
        task["action"] = draw(ACTION_TEXT)
    if draw(st.integers(0, 4)) == 0:
        task["local_action"] = draw(ACTION_TEXT)
    if draw(st.booleans()):
        task["args"] = draw(st.one_of(st.none(), st.just("{{ a }}"), st.just("x=1"), st.integers(0, 1),
                                      st.dictionaries(st.sampled_from(["chdir", "mode", "_raw_params"]),
                                                      st.just("v"), max_size=2)))
    return task


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tasks())
def test_detect_matches_ansible(task: dict[str, Any]) -> None:
    expected = ansible_parse(dict(task))
    got = shep_parse(dict(task))
    if expected[3] is not None and got[3] is not None:
        if expected[3] != "<crash>":
            assert got[3] == expected[3]
    else:
        assert got == expected
