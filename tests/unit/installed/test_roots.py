"""Where shep looks for installed collections (shep.installed.roots): ansible-core's rules for the
configuration file, COLLECTIONS_PATHS, the sys.path scan and playbook-adjacent collections, on trees in
tmp_path. tests/differential/test_collection_roots.py compares the same cases with ansible-core."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from shep.installed import roots


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty home and working directory, no ANSIBLE_* setting (the conftest sets some)."""
    for name in ("ANSIBLE_CONFIG", "ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_HOME", "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH"):
        monkeypatch.delenv(name, raising=False)
    user = tmp_path / "home"
    work = tmp_path / "work"
    user.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(user))
    monkeypatch.chdir(work)
    return user


def collection_root(path: Path) -> str:
    (path / "ansible_collections" / "acme" / "demo").mkdir(parents=True, exist_ok=True)
    return str(path)


def test_the_default_is_ansible_home_then_usr_share(home: Path) -> None:
    paths, scan = roots.configured_paths()
    assert paths == [str(home / ".ansible" / "collections"), "/usr/share/ansible/collections"]
    assert scan is True


def test_the_environment_wins_and_may_be_empty(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (Path.cwd() / "ansible.cfg").write_text("[defaults]\ncollections_path = /from/cfg\n")
    monkeypatch.setenv("ANSIBLE_COLLECTIONS_PATH", "/a:rel:~/b:$HOME/c:{{CWD}}/d")
    paths, _ = roots.configured_paths()
    assert paths == ["/a", str(Path.cwd() / "rel"), str(home / "b"), str(home / "c"), str(Path.cwd() / "d")]
    monkeypatch.setenv("ANSIBLE_COLLECTIONS_PATH", "")  # set, though empty: the working directory
    assert roots.configured_paths()[0] == [str(Path.cwd())]


def test_the_plural_names_are_no_longer_read(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANSIBLE_COLLECTIONS_PATHS", "/old/env")
    (Path.cwd() / "ansible.cfg").write_text("[defaults]\ncollections_paths = /old/cfg\n")
    assert roots.configured_paths()[0][0] == str(home / ".ansible" / "collections")


def test_cfg_paths_are_relative_to_the_cfg_file(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "ansible.cfg").write_text("[defaults]\ncollections_path = ./collections:/abs ; a comment\n"
                                        "home = ~/h\n")
    monkeypatch.setenv("ANSIBLE_CONFIG", str(folder))  # a directory: its ansible.cfg
    assert roots.config_file() == str(folder / "ansible.cfg")
    assert roots.configured_paths()[0] == [str(folder / "collections"), "/abs"]


def test_cfg_home_gives_the_default(home: Path) -> None:
    (Path.cwd() / "ansible.cfg").write_text("[defaults]\nhome = sub/ansible\ncollections_scan_sys_path = no\n")
    paths, scan = roots.configured_paths()
    assert paths == [str(Path.cwd() / "sub" / "ansible" / "collections"), "/usr/share/ansible/collections"]
    assert scan is False


def test_which_configuration_file(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cwd_cfg = Path.cwd() / "ansible.cfg"
    home_cfg = home / ".ansible.cfg"
    assert roots.config_file() in (None, "/etc/ansible/ansible.cfg")
    home_cfg.write_text("[defaults]\n")
    assert roots.config_file() == str(home_cfg)
    cwd_cfg.write_text("[defaults]\n")
    assert roots.config_file() == str(cwd_cfg)
    explicit = tmp_path / "explicit.cfg"
    explicit.write_text("[defaults]\n")
    monkeypatch.setenv("ANSIBLE_CONFIG", str(explicit))
    assert roots.config_file() == str(explicit)
    monkeypatch.setenv("ANSIBLE_CONFIG", str(tmp_path / "missing.cfg"))  # not there: the next one
    assert roots.config_file() == str(cwd_cfg)


def test_a_world_writable_working_directory_is_skipped(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (Path.cwd() / "ansible.cfg").write_text("[defaults]\ncollections_path = /from/cwd\n")
    os.chmod(Path.cwd(), 0o777)
    assert roots.config_file() != str(Path.cwd() / "ansible.cfg")
    os.chmod(Path.cwd(), 0o755)
    assert roots.config_file() == str(Path.cwd() / "ansible.cfg")


@pytest.mark.parametrize("text", ["[defaults\n", "[defaults]\na = 1\na = 2\n", b"[defaults]\n\xff\n"])
def test_a_file_ansible_core_refuses_gives_no_settings(home: Path, text: str | bytes) -> None:
    path = Path.cwd() / "ansible.cfg"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    assert roots.read_settings(str(path)) == {}


def test_only_ini_files_are_read(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "ansible.yml"
    path.write_text("[defaults]\ncollections_path = /x\n")
    assert roots.read_settings(str(path)) == {}


def test_roots_hold_ansible_collections_once_in_order(home: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = collection_root(tmp_path / "first"), collection_root(tmp_path / "second")
    empty = tmp_path / "empty"
    empty.mkdir()
    site = collection_root(tmp_path / "site-packages")
    monkeypatch.setenv("ANSIBLE_COLLECTIONS_PATH", f"{second}:{empty}:{first}/ansible_collections:{second}")
    assert roots.configured_roots([site, "", first]) == (second, first, site)
    monkeypatch.setenv("ANSIBLE_COLLECTIONS_SCAN_SYS_PATH", "False")
    assert roots.configured_roots([site]) == (second, first)


def test_adjacent_collections(tmp_path: Path) -> None:
    project = tmp_path / "project"
    adjacent = collection_root(project / "collections")
    (project / "roles" / "r" / "tasks").mkdir(parents=True)
    playbook, tasks = project / "site.yml", project / "roles" / "r" / "tasks" / "main.yml"
    nested = project / "playbooks" / "deploy.yml"
    nested.parent.mkdir()
    for path in (playbook, tasks, nested):
        path.write_text("[]\n")
    configured = ("/configured",)
    assert roots.roots_for(roots.anchor_for(str(playbook), "playbook"), configured) == (adjacent, "/configured")
    assert roots.roots_for(roots.anchor_for(str(tasks), "tasks"), configured) == (adjacent, "/configured")
    # a playbook's own directory only, as ansible-playbook does
    assert roots.roots_for(roots.anchor_for(str(nested), "playbook"), configured) == configured
    assert roots.roots_for(roots.anchor_for("<string>", "tasks"), configured) == configured
    assert roots.roots_for(roots.anchor_for(str(playbook), "playbook"), (adjacent,)) == (adjacent,)


def test_the_anchor_of_a_path_is_its_folder_made_absolute_and_normal() -> None:
    """anchor_for reuses the normalised folder of absolute paths: the same as abspath of each path."""

    parts = ("a", "b", ".", "..", "", "c.yml")
    for count in range(4):
        for combination in itertools.product(parts, repeat=count):
            for lead in ("/", "//", "///", ""):
                path = lead + "/".join(combination)
                if not path:
                    continue
                for kind in ("playbook", "tasks"):
                    expected = ("P:" if kind == "playbook" else "T:") + os.path.dirname(os.path.abspath(path))
                    assert roots.anchor_for(path, kind) == expected, path
                    assert roots.anchor_for(path, kind) == expected, path  # from the folders seen
