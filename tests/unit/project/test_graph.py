"""The project graph on small trees: what each reference resolves to (or why not), the contexts it
is resolved in, the settings that move the search, the facts the checks read, and the summaries'
JSON round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shep.api import load, load_project, read_document
from shep.project import Edge, Project
from shep.project.fs import Disk
from shep.project.settings import settings_for
from shep.project.summary import from_data, summarize, to_data
from tests.conftest import corpus_or_skip
from tests.project_support import write_tree


def project(tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch, start: str = ".") -> Project:
    write_tree(text, tmp_path)
    monkeypatch.chdir(tmp_path)
    return load_project(start)


def edge(found: Project, source: str, target: str) -> Edge:
    [match] = [e for e in found.edges if e.source == source and e.target == target]
    return match


def test_nested_includes_resolve_beside_the_including_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = project(tmp_path, "# file: site.yml\n- hosts: all\n  tasks:\n    - import_tasks: tasks/a.yml\n"
                    "# file: tasks/a.yml\n- include_tasks: b.yml\n- import_tasks: c.yml\n"
                    "# file: tasks/b.yml\n- ping:\n# file: c.yml\n- ping:\n", monkeypatch)
    assert (edge(found, "tasks/a.yml", "b.yml").resolved, edge(found, "tasks/a.yml", "c.yml").resolved) == \
        ("tasks/b.yml", "c.yml")
    assert edge(found, "tasks/a.yml", "b.yml").static is False
    assert found.kinds["tasks/b.yml"] == "tasks"


def test_roles_path_of_ansible_cfg_and_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = ("# file: ansible.cfg\n[defaults]\nroles_path = ./shared:/nowhere\n"
            "# file: playbooks/site.yml\n- hosts: all\n  roles: [web, db]\n"
            "# file: shared/web/tasks/main.yml\n- ping:\n# file: elsewhere/db/tasks/main.yml\n- ping:\n")
    monkeypatch.delenv("ANSIBLE_ROLES_PATH", raising=False)
    monkeypatch.delenv("ANSIBLE_CONFIG", raising=False)
    found = project(tmp_path, text, monkeypatch)
    assert edge(found, "playbooks/site.yml", "web").resolved == "shared/web"
    missing = edge(found, "playbooks/site.yml", "db")
    assert missing.status == "missing" and "shared" in missing.searched
    monkeypatch.setenv("ANSIBLE_ROLES_PATH", str(tmp_path / "elsewhere"))
    again = load_project(".")
    assert edge(again, "playbooks/site.yml", "db").resolved == "elsewhere/db"
    assert settings_for(str(tmp_path / "playbooks"), Disk()).cwd == str(tmp_path)  # the ansible.cfg's directory


def test_role_options_dependencies_and_handler_scope(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = ("# file: site.yml\n- hosts: all\n  tasks:\n    - include_role:\n        name: web\n"
            "        tasks_from: setup\n        handlers_from: other\n      when: x\n    - ping:\n"
            "      notify: [restart, 'web : restart', 'common : reload', deep]\n"
            "# file: roles/web/tasks/setup.yml\n- ping:\n# file: roles/web/handlers/other.yml\n- name: restart\n  ping:\n"
            "# file: roles/web/meta/main.yml\ndependencies: [common]\n"
            "# file: roles/common/handlers/main.yml\n- name: reload\n  ping:\n  listen: deep\n")
    found = project(tmp_path, text, monkeypatch)
    assert edge(found, "site.yml", "setup").resolved == "roles/web/tasks/setup.yml"
    assert edge(found, "roles/web/meta/main.yml", "common").resolved == "roles/common"
    include = edge(found, "site.yml", "web")
    assert (include.static, include.conditional) == (False, True)
    facts = found.facts["site.yml"]
    assert facts.unknown_handlers == ()  # every name answered: the role's, 'role : name', a dependency's listen


def test_dynamic_collection_cycle_and_wrong_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = ("# file: site.yml\n- hosts: all\n  roles: [ns.coll.web]\n  tasks:\n"
            "    - include_tasks: '{{ x }}.yml'\n    - import_tasks: other.yml\n    - include_tasks: loop.yml\n"
            "# file: other.yml\n- hosts: all\n# file: loop.yml\n- include_tasks: loop.yml\n  when: again\n")
    found = project(tmp_path, text, monkeypatch, "site.yml")
    assert edge(found, "site.yml", "ns.coll.web").status == "collection"
    assert edge(found, "site.yml", "{{ x }}.yml").status == "dynamic"
    assert edge(found, "site.yml", "other.yml").status == "wrong-kind"
    assert edge(found, "loop.yml", "loop.yml").status == "found"  # walked once


def test_a_short_role_name_under_a_collection_search_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ansible-core looks for a short role name in the play's collections first: when one of them is not
    installed the role may be there (not resolved, no finding); when all are, a role none holds is missing."""
    text = ("# file: site.yml\n- hosts: all\n  collections: [acme.absent]\n  roles: [web]\n"
            "- hosts: all\n  collections: [acme.present, ansible.builtin]\n  roles: [db, app]\n"
            "# file: collections/ansible_collections/acme/present/roles/app/tasks/main.yml\n- ping:\n")
    monkeypatch.delenv("ANSIBLE_COLLECTIONS_PATH", raising=False)
    found = project(tmp_path, text, monkeypatch, "site.yml")
    web = edge(found, "site.yml", "web")
    assert web.status == "collection" and "acme.absent" in web.reason
    assert edge(found, "site.yml", "db").status == "missing"
    assert edge(found, "site.yml", "app").resolved == "collections/ansible_collections/acme/present/roles/app"


def test_files_no_playbook_reaches_are_walked_in_their_roles_context(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    text = ("# file: roles/web/tasks/main.yml\n- import_tasks: install.yml\n- include_tasks: gone.yml\n"
            "# file: roles/web/tasks/install.yml\n- ping:\n")
    found = project(tmp_path, text, monkeypatch)
    assert edge(found, "roles/web/tasks/main.yml", "install.yml").resolved == "roles/web/tasks/install.yml"
    gone = edge(found, "roles/web/tasks/main.yml", "gone.yml")
    assert (gone.status, gone.reached) == ("missing", False)
    assert found.facts["roles/web/tasks/main.yml"].reached is False


def test_the_tree_of_shep_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree("# file: site.yml\n- hosts: all\n  roles: [web]\n# file: roles/web/tasks/main.yml\n- ping:\n", tmp_path)
    monkeypatch.chdir(tmp_path)
    [tree] = load_project("site.yml", trees=True).trees
    assert tree.label == "site.yml"
    [play] = tree.children
    [role] = play.children
    assert role.label == "role web → roles/web" and [c.label for c in role.children] == ["tasks roles/web/tasks/main.yml"]


def test_summaries_round_trip_through_json() -> None:
    corpus = corpus_or_skip()
    with (corpus / "manifest.jsonl").open(encoding="utf-8") as handle:
        entries = [json.loads(line) for line in handle][:300]
    for entry in entries:
        path = corpus / entry["repo"] / entry["path"]
        model = load(path, entry["kind"])
        made = summarize(model, read_document(path).root)
        assert from_data(json.loads(json.dumps(to_data(made)))) == made, path


def test_module_and_action_plugin_paths_of_the_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """DEFAULT_MODULE_PATH and DEFAULT_ACTION_PLUGIN_PATH: the environment, else ansible.cfg (against its
    directory), else the defaults under the home."""
    for name in ("ANSIBLE_LIBRARY", "ANSIBLE_ACTION_PLUGINS", "ANSIBLE_CONFIG", "ANSIBLE_HOME"):
        monkeypatch.delenv(name, raising=False)
    write_tree("# file: ansible.cfg\n[defaults]\nlibrary = ./mods:/abs/mods\n# file: site.yml\n- hosts: all\n", tmp_path)
    found = settings_for(str(tmp_path), Disk())
    assert found.library == (str(tmp_path / "mods"), "/abs/mods")
    assert found.action_plugins[-1] == "/usr/share/ansible/plugins/action"
    monkeypatch.setenv("ANSIBLE_LIBRARY", "/env/mods")
    monkeypatch.setenv("ANSIBLE_ACTION_PLUGINS", "/env/actions")
    again = settings_for(str(tmp_path), Disk())
    assert (again.library, again.action_plugins) == (("/env/mods",), ("/env/actions",))
