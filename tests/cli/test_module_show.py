"""`shep module show NAME`: the spec shep judges a builtin action's arguments by, as text or JSON."""

from __future__ import annotations

import json

from shep.module_specs import builtin_spec
from tests.cli.test_cli import shep


def test_text_lists_options_with_their_facts_and_the_checks_between_them() -> None:
    result = shep("module", "show", "ansible.builtin.copy")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "ansible.builtin.copy"
    assert any(line.split()[:3] == ["dest", "path", "(required)"] for line in lines)
    assert any(line.split()[:2] == ["backup", "bool"] and "default: False" in line for line in lines)
    assert "    mutually exclusive: src | content" in lines


def test_json_is_the_spec_shep_validates_with() -> None:
    result = shep("module", "show", "file", "--format", "json")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    spec = builtin_spec("file")
    assert spec is not None
    assert shown["name"] == "ansible.builtin.file" and shown["handler"] == spec.handler
    assert shown["options"]["path"]["required"] is True
    assert set(shown["options"]["path"]["aliases"]) == {"dest", "name"}
    assert set(shown["options"]) == set(spec.options)


def test_short_legacy_and_builtin_names_show_the_same_spec() -> None:
    outputs = {shep("module", "show", name).stdout for name in ("apt", "ansible.legacy.apt", "ansible.builtin.apt")}
    assert len(outputs) == 1 and "state" in outputs.pop()


def test_names_without_a_spec_exit_2_with_the_reason() -> None:
    typo = shep("module", "show", "cpoy")
    assert typo.returncode == 2 and typo.stdout == ""
    assert "did you mean copy" in typo.stderr
    passing_through = shep("module", "show", "package")
    assert passing_through.returncode == 2 and "not judged statically" in passing_through.stderr
    collection = shep("module", "show", "community.general.ufw")
    assert collection.returncode == 2 and "collection" in collection.stderr
