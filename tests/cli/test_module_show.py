"""`shep module show NAME`: the spec shep judges an action's arguments by, as text or JSON: a builtin
action's, or an installed collection module's documented options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shep.module_specs import builtin_spec
from tests.cli.test_cli import shep
from tests.cli.test_collections import install
from tests.conftest import FIXTURES


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


def test_module_show_of_an_installed_collection_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANSIBLE_COLLECTIONS_PATH", str(FIXTURES / "collections"))
    shown = shep("module", "show", "acme.demo.thing", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == "acme.demo.thing" and "documentation" in lines[1]
    assert any(line.split()[:3] == ["name", "str", "(required;"] for line in lines)
    data = json.loads(shep("module", "show", "acme.demo.old_thing", "--format", "json", cwd=tmp_path).stdout)
    assert data["name"] == "acme.demo.thing" and data["handler"] == "docs"
    assert data["redirected_from"] == ["acme.demo.old_thing"] and "deprecated" in data["deprecations"][0]
    assert data["options"]["config"]["options"]["speed"] == {"type": "str", "choices": ["fast", "slow"]}
    routed = json.loads(shep("module", "show", "acme.demo.copy_file", "--format", "json", cwd=tmp_path).stdout)
    assert routed["name"] == "ansible.builtin.copy"


@pytest.mark.parametrize(("name", "reason"), [
    ("community.general.ufw", "the collection community.general is not installed"),
    ("ufw", "the collection community.general is not installed"),
    ("acme.demo.thingy", "did you mean acme.demo.thing"),
    ("acme.demo.retired", "has been removed"),
    ("acme.demo.undocumented", "no DOCUMENTATION"),
    ("acme.demo.bare_action", "action plugin without a module"),
])
def test_module_show_says_why_a_collection_module_is_not_shown(name: str, reason: str, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANSIBLE_COLLECTIONS_PATH", str(FIXTURES / "collections"))
    shown = shep("module", "show", name, cwd=tmp_path)
    assert shown.returncode == 2 and shown.stdout == ""
    assert reason in shown.stderr


def test_module_show_with_a_playbook_directory(tmp_path: Path) -> None:
    install(tmp_path / "play" / "collections")
    assert shep("module", "show", "acme.demo.thing", cwd=tmp_path).returncode == 2
    shown = shep("module", "show", "acme.demo.thing", "--playbook-dir", "play", cwd=tmp_path)
    assert shown.returncode == 0 and shown.stdout.startswith("acme.demo.thing\n")
