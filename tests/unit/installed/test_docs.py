"""Reading a module's documentation statically (shep.installed.docs): DOCUMENTATION found as
ansible-core's read_docstring_from_python_file finds it, fragments' variants, option facts only."""

from __future__ import annotations

import pytest

from shep.installed.docs import DocsError, as_spec, fragment_docs, merge, module_docs, option_facts

MODULE = b'''#!/usr/bin/python
import os
DOCUMENTATION = "not this one"
DOCUMENTATION = r"""
module: m
short_description: Something
description: Long prose shep never keeps.
options:
  name:
    description: The name.
    type: str
    required: yes
    aliases: [n]
    version_added: "1.2.0"
  mode:
    description: How.
    choices:
      fast: Quickly.
      slow: Slowly.
    default: fast
  when:
    type: str
    default: 2024-01-02
  nested:
    type: list
    elements: dict
    suboptions:
      key:
        type: str
        required: false
extends_documentation_fragment: files, ns.coll.frag.variant
"""
EXAMPLES = "- m: {name: x}"
def main():
    raise SystemExit(os.system("rm -rf /"))  # never run: shep only parses
'''


def test_documentation_is_the_last_top_level_string_assignment() -> None:
    docs = module_docs("m.py", MODULE)
    assert docs["fragments"] == ["files", " ns.coll.frag.variant"]  # split at commas, as add_fragments does
    assert docs["options"] == {
        "name": {"type": "str", "required": True, "aliases": ["n"]},
        "mode": {"choices": ["fast", "slow"], "default": "fast"},
        "when": {"type": "str", "default": "2024-01-02"},
        "nested": {"type": "list", "elements": "dict", "options": {"key": {"type": "str", "required": False}}},
    }


def test_a_dict_literal_and_a_sidecar() -> None:
    assert module_docs("m.py", b"DOCUMENTATION = {'options': {'a': {'type': 'int'}}}\n")["options"] == {
        "a": {"type": "int"}}
    sidecar = b"DOCUMENTATION:\n  options:\n    path: {type: path, required: true}\n"
    assert module_docs("m.yml", sidecar) == {"fragments": [], "options": {"path": {"type": "path", "required": True}}}


@pytest.mark.parametrize("source", [
    b"x = 1\n",
    b"DOCUMENTATION = 'a' + 'b'\n",
    b"def f():\n    DOCUMENTATION = 'options: {}'\n",
    b"DOCUMENTATION: str = 'options: {}'\n",
    b"DOCUMENTATION = '[1, 2]'\n",
    b"DOCUMENTATION = 'a: [b'\n",
    b"def (:\n",
    b"DOCUMENTATION = 'extends_documentation_fragment: 3'\n",
])
def test_unreadable_documentation(source: bytes) -> None:
    with pytest.raises(DocsError):
        module_docs("m.py", source)


def test_fragment_variants() -> None:
    source = b'''
class ModuleDocFragment(object):
    DOCUMENTATION = """
options:
  a: {type: int, default: 1}
"""
    VARIANT = """
options:
  b: {type: bool}
"""
    ATTRS = """
attributes:
  check_mode: {support: full}
"""
    COMPUTED = DOCUMENTATION + VARIANT
    BROKEN = "a: [b"
'''
    assert fragment_docs(source) == {"DOCUMENTATION": {"a": {"type": "int", "default": 1}},
                                     "VARIANT": {"b": {"type": "bool"}}, "ATTRS": {},
                                     "COMPUTED": {"b": {"type": "bool"}},  # the last "options:" of the two
                                     "BROKEN": None}
    assert fragment_docs(b"X = 1\n") == {}


def test_merge_option_by_option_the_module_then_the_earliest_fragment_wins() -> None:
    """merge_fragment: a fragment's entry updated with what the module (then earlier fragments) states."""
    own = {"a": {"type": "str"}, "d": {"default": None, "required": False}}
    first = {"a": {"type": "int", "default": 1}, "b": {"type": "int"}}
    second = {"b": {"type": "bool", "required": True}, "c": {"type": "bool"},
              "d": {"type": "path", "default": "/x", "required": True}}
    merged = merge(own, [first, second])
    assert merged == {"a": {"type": "str", "default": 1}, "b": {"type": "int", "required": True},
                      "c": {"type": "bool"}, "d": {"type": "path", "default": None, "required": False}}
    assert as_spec(merged)["d"] == {"type": "path"}  # null and false facts override, then go


def test_option_facts_keep_no_prose_and_skip_what_is_not_an_option() -> None:
    facts = option_facts({"a": {"description": "x", "type": "str", "required": False, "aliases": "b",
                                "choices": [1, 2], "version_added": "2"}, "b": "not a mapping", 3: {}})
    assert facts == {"a": {"type": "str", "aliases": ["b"], "choices": [1, 2], "required": False}}
    assert as_spec(facts) == {"a": {"type": "str", "aliases": ["b"], "choices": [1, 2]}}
    assert as_spec(option_facts({"a": {"type": ["x"], "elements": 3, "aliases": [1], "choices": "x"}})) == {"a": {}}


def test_fragments_built_at_run_time_are_folded() -> None:
    """amazon.aws's boto3 fragment: ansible-core reads the attributes of an instance, set in __init__."""
    source = b'''
from somewhere import VERSION

class ModuleDocFragment:
    BASE = """
options:
  region: {type: str, aliases: [aws_region]}
"""
    DOCUMENTATION = BASE + """
  profile: {type: str}
"""

    def __init__(self):
        requirements = f"""
options: {{}}
requirements:
  - boto3 >= {VERSION}
"""
        self.MODULES = requirements
        self.PLUGINS = self.DOCUMENTATION
        self.DEFAULTED = f"""
options:
  version: {{type: str, default: "{VERSION}"}}
"""
        if VERSION:
            self.SKIPPED = "options: {}"
'''
    variants = fragment_docs(source)
    assert variants["DOCUMENTATION"] == variants["PLUGINS"] == {"region": {"type": "str", "aliases": ["aws_region"]},
                                                                 "profile": {"type": "str"}}
    assert variants["MODULES"] == {}
    assert variants["DEFAULTED"] is None  # its options hold a value shep cannot know
    assert "SKIPPED" not in variants


def test_a_default_outside_its_choices_is_not_judged() -> None:
    spec = as_spec({"a": {"choices": ["x", "y"], "default": "z"}, "b": {"choices": ["x"], "default": "x"},
                    "c": {"type": "dict", "options": {"d": {"choices": [1], "default": 2}}}})
    assert spec == {"a": {"choices": ["x", "y"]}, "b": {"choices": ["x"], "default": "x"},
                    "c": {"type": "dict", "options": {"d": {"choices": [1]}}}}


def test_hostile_documentation_neither_hangs_nor_crashes() -> None:
    laughs = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n"
        for i in range(1, 10))
    source = f"DOCUMENTATION = \"\"\"\n{laughs}options:\n  o: {{type: str, default: *a9}}\n\"\"\"\n".encode()
    with pytest.raises(DocsError, match="more than"):
        module_docs("m.py", source)
    deep = "DOCUMENTATION = '" + "[" * 100_000 + "'\n"
    with pytest.raises((DocsError, RecursionError)):
        module_docs("m.py", deep.encode())
    with pytest.raises(DocsError):
        module_docs("m.py", ("x = " + "(" * 10_000 + "1" + ")" * 10_000 + "\n").encode())



def test_deeply_nested_routing_routes_nothing_and_does_not_crash() -> None:
    from shep.installed.index import _parse_routing

    assert _parse_routing(("plugin_routing: " + "[" * 100_000).encode()) == {}
    assert _parse_routing(b"plugin_routing:\n  modules:\n    a: {redirect: ns.coll.b}\n") == {
        "modules": {"a": {"redirect": "ns.coll.b"}}}
