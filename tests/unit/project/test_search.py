"""shep.project.search against ansible-core's own DataLoader on generated trees: the same file found
(or the same last candidate) for every path, directory and name, in every layout drawn."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from shep.project import search
from shep.project.fs import Disk
from shep.project.search import TaskContext, Where

pytestmark = pytest.mark.oracle

NAMES = ["main.yml", "a.yml", "b.yaml", "tasks/a.yml", "sub/a.yml", "../a.yml", "a"]
PLACES = ["", "tasks", "handlers", "vars", "roles/r", "roles/r/tasks", "roles/r/tasks/sub", "roles/r/meta",
          "roles/r/vars", "sub", "sub/tasks", "play", "play/tasks"]


def _tree(root: Path, rng: random.Random) -> None:
    for place in PLACES:
        for name in ("main.yml", "a.yml", "b.yaml", "a"):
            if rng.random() < 0.3:
                path = root / place / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("- ping:\n")
        if rng.random() < 0.2:
            (root / place / "a.yml.d").mkdir(parents=True, exist_ok=True)


@pytest.fixture
def loader_class() -> type:
    dataloader = pytest.importorskip("ansible.parsing.dataloader",
                                     reason="ansible-core (the oracle extra) is not installed")
    return dataloader.DataLoader  # type: ignore[no-any-return]


@pytest.mark.parametrize("seed", range(12))
def test_path_dwim_relative_agrees(seed: int, tmp_path: Path, loader_class: type,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    root = tmp_path / "t"
    _tree(root, rng)
    monkeypatch.chdir(root)
    for basedir in ("", "play", "roles/r"):
        loader = loader_class()
        loader.set_basedir(str(root / basedir))
        where = Where(str(root / basedir), str(root))
        for place in ("", "roles/r", "roles/r/tasks", "roles/r/tasks/sub", "play", "sub/tasks"):
            for dirname in ("tasks", "handlers", "", "sub", "vars"):
                for name in NAMES:
                    for is_role in (False, True):
                        path = str(root / place)
                        expected = loader.path_dwim_relative(path, dirname, name, is_role=is_role)
                        got = search.path_dwim_relative(path, dirname, name, where, Disk(), is_role=is_role)
                        assert got == expected, (place, dirname, name, is_role, basedir)


@pytest.mark.parametrize("seed", range(8))
def test_path_dwim_relative_stack_agrees(seed: int, tmp_path: Path, loader_class: type,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from ansible.errors import AnsibleFileNotFound

    rng = random.Random(seed)
    root = tmp_path / "t"
    _tree(root, rng)
    monkeypatch.chdir(root)
    loader = loader_class()
    loader.set_basedir(str(root / "play"))
    where = Where(str(root / "play"), str(root))
    for place in ("play", "roles/r/tasks", "", "sub/tasks"):
        for name in [*NAMES, "vars/a.yml", "/nonexistent/a.yml"]:
            try:
                expected = loader.path_dwim_relative_stack([str(root / place)], "vars", name)
            except AnsibleFileNotFound:
                expected = None
            got, _candidates = search.path_dwim_relative_stack([str(root / place)], "vars", name, where, Disk())
            assert got == expected, (place, name)


@pytest.mark.parametrize("seed", range(8))
def test_find_vars_files_agrees(seed: int, tmp_path: Path, loader_class: type) -> None:
    rng = random.Random(seed)
    root = tmp_path / "t"
    _tree(root, rng)
    loader = loader_class()
    for place in PLACES:
        for name in ("main", "a", "a.yml", "b", "sub/a"):
            for extensions in (("", ".yml", ".yaml", ".json"), (".yml", ".yaml", ".json", "")):
                for allow_dir in (False, True):
                    folder = str(root / place)
                    expected = loader.find_vars_files(folder, name, list(extensions), allow_dir)
                    got = search.find_vars_files(folder, name, extensions, allow_dir, Disk())
                    assert got == expected, (place, name, extensions, allow_dir)


def test_import_candidates_follow_the_enclosing_includes(tmp_path: Path) -> None:
    """helpers.load_list_of_tasks: a nested import is looked up beside the file that imports it."""
    (tmp_path / "tasks" / "sub").mkdir(parents=True)
    (tmp_path / "tasks" / "sub" / "b.yml").write_text("- ping:\n")
    (tmp_path / "b.yml").write_text("- ping:\n")
    where = Where(str(tmp_path), str(tmp_path))
    nested = TaskContext(where, parents=("tasks/sub",))
    assert search.import_candidates("b.yml", nested, Disk())[-1] == str(tmp_path / "tasks" / "sub" / "b.yml")
    top = TaskContext(where)
    assert search.import_candidates("b.yml", top, Disk()) == [os.path.join(str(tmp_path), "b.yml")]
    role = TaskContext(where, role=str(tmp_path / "roles" / "r"))
    (tmp_path / "roles" / "r" / "tasks").mkdir(parents=True)
    (tmp_path / "roles" / "r" / "tasks" / "b.yml").write_text("- ping:\n")
    assert search.import_candidates("b.yml", role, Disk())[-1] == str(tmp_path / "roles" / "r" / "tasks" / "b.yml")


def test_role_files_as_role_load_role_yaml(tmp_path: Path) -> None:
    role = tmp_path / "r"
    (role / "tasks").mkdir(parents=True)
    (role / "tasks" / "main.yaml").write_text("- ping:\n")
    (role / "tasks" / "extra.yml").write_text("- ping:\n")
    disk = Disk()
    assert search.role_files(str(role), "tasks", None, disk).files == (str(role / "tasks" / "main.yaml"),)
    assert search.role_files(str(role), "tasks", "extra", disk).files == (str(role / "tasks" / "extra.yml"),)
    assert search.role_files(str(role), "tasks", "nope", disk).error == \
        "Could not find specified file in role: tasks/nope"
    assert search.role_files(str(role), "handlers", "nope", disk).error is None  # no handlers/: nothing, no error
    assert search.role_files(str(role), "tasks", "../../x", disk).error == \
        "Could not find specified file in role: tasks/../../x"
    (tmp_path / "x.yml").write_text("- ping:\n")
    escaped = search.role_files(str(role), "tasks", "../../x", Disk())
    assert escaped.error is not None and "not inside the expected role path" in escaped.error
