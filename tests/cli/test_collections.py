"""Installed collections on the command line: a warm ``shep validate`` (the per-file result cache and
the replayed run) gives a new verdict as soon as a collection is installed, changed or removed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from shep.cli import DISABLE_ENV
from tests.cli.test_replay import run, served
from tests.conftest import FIXTURES

ACME = FIXTURES / "collections" / "ansible_collections" / "acme"
PLAYBOOK = """\
- hosts: all
  tasks:
    - acme.demo.thing:
        name: web
        nmae: typo
    - ansible.builtin.ping:
"""


def install(root: Path) -> Path:
    """Copy the fixture collection acme.demo into the collection root ``root``."""
    target = root / "ansible_collections" / "acme"
    shutil.copytree(ACME, target)
    return target / "demo" / "plugins" / "modules" / "thing.py"


@pytest.mark.parametrize("replay", [True, False], ids=["replayed-run", "result-cache"])
def test_a_newly_installed_collection_changes_the_next_warm_verdict(
        replay: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    project, root = tmp_path / "project", tmp_path / "root"
    project.mkdir()
    root.mkdir()
    (project / "site.yml").write_text(PLAYBOOK)
    monkeypatch.chdir(project)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("ANSIBLE_COLLECTIONS_PATH", str(root))
    argv = ["validate", "--fail-level", "warning", "."]

    def warm() -> tuple[str, str, int]:
        if not replay:  # the normal path: cached results are served only while their facts hold
            monkeypatch.setenv(DISABLE_ENV, "1")
        return run(argv, capsys, monkeypatch, fast=replay)

    out, _, code = run(argv, capsys, monkeypatch)  # records the run, fills the cache
    assert "V040" in out and "acme.demo" in out and "V022" not in out and code == 0
    assert warm() == (out, "", 0)
    if replay:
        assert served(argv, capsys) == (out, 0)

    module = install(root)  # installed: the same files now fail at the warning level
    if replay:
        assert served(argv, capsys) is None
    out, _, code = warm()
    assert "V040" not in out and "V022" in out and "nmae" in out and code == 1

    module.write_text(module.read_text().replace("  count:\n", "  nmae:\n    type: str\n  count:\n"))
    out, _, code = warm()  # the module's documentation changed in place: judged again
    assert "V022" not in out and "V040" not in out and code == 0

    shutil.rmtree(root / "ansible_collections")  # uninstalled
    out, _, code = warm()
    assert "V040" in out and code == 0


def test_collections_beside_the_playbook_come_first(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    (project / "roles" / "r" / "tasks").mkdir(parents=True)
    (project / "site.yml").write_text(PLAYBOOK)
    (project / "roles" / "r" / "tasks" / "main.yml").write_text("- acme.demo.thing:\n    nmae: x\n")
    monkeypatch.chdir(project)
    monkeypatch.setenv("NO_COLOR", "1")
    argv = ["validate", "."]
    out, _, _ = run(argv, capsys, monkeypatch)
    assert out.count("V040") == 2
    install(project / "collections")
    out, _, _ = run(argv, capsys, monkeypatch)
    assert "V040" not in out
    assert out.count("V022") == 2 and "roles/r/tasks/main.yml:2:5: warning V022" in out
