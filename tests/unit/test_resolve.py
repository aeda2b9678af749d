"""shep.resolve: each kind of resolution, the two orders of the plugin loaders, search lists, and how
the ``collections`` keyword reaches the tasks of a model (tests/differential/test_action_resolution.py
checks the same against ansible-core itself)."""

from __future__ import annotations

import pytest

import shep.resolve as r
from shep.api import parse
from shep.resolve import KINDS, Resolution, resolve, search_list

GENERAL = search_list(["community.general"])


@pytest.mark.parametrize(("action", "key", "collections", "expected"), [
    # a module ansible-core ships, by its short, builtin and legacy names
    ("copy", "copy", (), Resolution("ansible.builtin.copy", r.BUILTIN_MODULE)),
    ("ansible.builtin.copy", "ansible.builtin.copy", (), Resolution("ansible.builtin.copy", r.BUILTIN_MODULE)),
    ("ansible.legacy.copy", "ansible.legacy.copy", (), Resolution("ansible.builtin.copy", r.BUILTIN_MODULE)),
    ("ping", "action", (), Resolution("ansible.builtin.ping", r.BUILTIN_MODULE)),
    # an action plugin without a module
    ("normal", "normal", (), Resolution("ansible.builtin.normal", r.BUILTIN_ACTION)),
    ("ansible.legacy.normal", "local_action", (), Resolution("ansible.builtin.normal", r.BUILTIN_ACTION)),
    # includes, imports and meta: recognised by name, whatever the search list
    ("include_tasks", "include_tasks", GENERAL, Resolution("ansible.builtin.include_tasks", r.BUILTIN_MODULE)),
    ("ansible.legacy.import_role", "x", (), Resolution("ansible.builtin.import_role", r.BUILTIN_MODULE)),
    ("meta", "meta", (), Resolution("ansible.builtin.meta", r.BUILTIN_MODULE)),
    # the routing table: a redirect inside ansible.builtin, and to a collection
    ("yum", "yum", (), Resolution("ansible.builtin.dnf", r.REDIRECT)),
    ("ansible.builtin.yum", "action", (), Resolution("ansible.builtin.dnf", r.REDIRECT)),
    ("ansible.builtin.win_copy", "x", (), Resolution("ansible.windows.win_copy", r.REDIRECT)),
    ("synchronize", "synchronize", (), Resolution("ansible.posix.synchronize", r.REDIRECT)),
    # the module redirects inside ansible.builtin, the action plugin to a collection: with nothing
    # installed, the action loader finds nothing and the module loader's name runs
    ("uses_redirected_action", "x", (), Resolution("ansible.builtin.ping", r.REDIRECT)),
    # tombstones
    ("bigip_facts", "bigip_facts", (), Resolution(None, r.REMOVED)),
    ("ansible.builtin.include", "action", (), Resolution(None, r.REMOVED)),
    # another collection's FQCN, as written
    ("community.general.ufw", "x", (), Resolution("community.general.ufw", r.COLLECTION)),
    ("community.general.ufw", "x", GENERAL, Resolution("community.general.ufw", r.COLLECTION)),
    ("ns.coll.sub.mod", "x", (), Resolution("ns.coll.sub.mod", r.COLLECTION)),
    # not shipped: a library path may hold it
    ("copyy", "copyy", (), Resolution(None, r.UNKNOWN)),
    ("ansible.legacy.copyy", "x", (), Resolution(None, r.UNKNOWN)),
    ("my_module", "action", (), Resolution(None, r.UNKNOWN)),
    # nothing can provide it: ansible.builtin is closed; no collection has an invalid name
    ("ansible.builtin.copyy", "x", (), Resolution(None, r.NOT_FOUND)),
    ("ansible.builtin.copy.py", "x", (), Resolution(None, r.NOT_FOUND)),
    ("1a.b.c", "x", (), Resolution(None, r.NOT_FOUND)),
    ("def.b.c", "x", (), Resolution(None, r.NOT_FOUND)),
    ("copy.py", "copy.py", GENERAL, Resolution(None, r.NOT_FOUND)),  # not an FQCN under a search list
    ("copyy", "copyy", ("ansible.builtin",), Resolution(None, r.NOT_FOUND)),  # no ansible.legacy in the list
    # a short name under a search list: an installed collection may answer first
    ("copy", "copy", GENERAL, Resolution("ansible.builtin.copy", r.SEARCH)),
    ("ufw", "ufw", GENERAL, Resolution("community.general.ufw", r.SEARCH)),  # via the routing table
    ("copyy", "copyy", GENERAL, Resolution(None, r.SEARCH)),
    ("include", "include", GENERAL, Resolution(None, r.SEARCH)),
    # ... unless ansible.builtin/ansible.legacy come first, or the name is not short
    ("copy", "copy", search_list(["ansible.legacy", "community.general"]),
     Resolution("ansible.builtin.copy", r.BUILTIN_MODULE)),
    ("ansible.builtin.copy", "x", GENERAL, Resolution("ansible.builtin.copy", r.BUILTIN_MODULE)),
    ("copy", "copy", search_list(["{{ coll }}"]), Resolution("ansible.builtin.copy", r.BUILTIN_MODULE)),
    # templated names are known when the task runs (action:/local_action: only: a key is a name)
    ("{{ module }}", "action", (), Resolution(None, r.TEMPLATED)),
    ("ansible.builtin.{{ m }}", "local_action", (), Resolution(None, r.TEMPLATED)),
    # odd spellings ansible-core's legacy lookup accepts: the file name, and names starting with Ansible
    ("copy.py", "copy.py", (), Resolution("ansible.builtin.copy.py", r.BUILTIN_MODULE)),
    ("Ansiblefoo", "Ansiblefoo", GENERAL, Resolution(None, r.UNKNOWN)),
])
def test_resolve(action: str, key: str, collections: tuple[str, ...], expected: Resolution) -> None:
    assert resolve(action, key, collections) == expected


def test_the_order_of_the_loaders_decides_which_tombstone_is_met(monkeypatch: pytest.MonkeyPatch) -> None:
    """A name shipped as an action plugin but removed as a module: keyed by the name, the module
    loader is asked first and its tombstone fails the task (ModuleArgsParser); with ``action:`` the
    action loader finds the plugin and the module loader is never asked (Task._post_validate_args)."""
    removal = (None, "2020-01-01", "gone")
    monkeypatch.setattr(r, "tombstones", lambda plugin_type: {"normal": removal} if plugin_type == r.MODULES else {})
    r._resolve.cache_clear()
    try:
        assert resolve("normal", "normal") == Resolution(None, r.REMOVED)
        assert resolve("normal", "action") == Resolution("ansible.builtin.normal", r.BUILTIN_ACTION)
        assert [t for t, _ in r.answers("normal", run_time=False)] == ["modules"]
        assert [t for t, _ in r.answers("normal", run_time=True)] == ["action"]
    finally:
        r._resolve.cache_clear()


def test_the_action_loaders_plugin_runs_before_the_module_loaders() -> None:
    asked = r.answers("copy", run_time=False)
    assert [t for t, _ in asked] == ["modules", "action"]
    assert r.decide(asked).name == "ansible.builtin.copy"
    assert [t for t, _ in r.answers("copy", run_time=True)] == ["action"]  # found: the module loader is not asked


@pytest.mark.parametrize(("value", "expected"), [
    (None, ()),
    ([], ()),
    ("community.general", ("community.general", "ansible.legacy")),
    (["community.general"], ("community.general", "ansible.legacy")),
    (["ansible.builtin", "community.general"], ("ansible.builtin", "community.general")),
    (["community.general", "ansible.legacy"], ("community.general", "ansible.legacy")),
    (["a.b", 3], ("a.b", "ansible.legacy")),
])
def test_search_list(value: object, expected: tuple[str, ...]) -> None:
    assert search_list(value) == expected


def test_the_vocabulary() -> None:
    assert KINDS == ("builtin-module", "builtin-action", "redirect", "collection", "search", "unknown", "removed",
                     "not-found", "templated")
    assert len(set(KINDS)) == len(KINDS)


def test_names_are_resolved_once() -> None:
    r._resolve.cache_clear()
    for _ in range(3):
        resolve("copy", "copy", GENERAL)
    info = r._resolve.cache_info()
    assert (info.misses, info.hits) == (1, 2)


# -- in the model ------------------------------------------------------------------------------------

PLAYBOOK = """\
- hosts: all
  collections: [community.general]
  tasks:
    - copy: {src: a, dest: b}
    - block:
        - copy: {src: a, dest: b}
        - block:
            - copy: {src: a, dest: b}
          collections: []
        - copy: {src: a, dest: b}
          collections:
      rescue:
        - ping:
          collections: [ansible.builtin]
    - action: ufw
    - include_tasks: more.yml
    - name: no action
  handlers:
    - name: h
      ping:
- hosts: all
  tasks:
    - copy: {src: a, dest: b}
    - ansible.builtin.nope:
"""


def test_each_task_of_a_playbook_gets_the_resolution_of_its_scope() -> None:
    model = parse(PLAYBOOK, "playbook")
    got = [(t.doc_path, t.resolved_action, t.resolution) for t in model.tasks()]
    assert got == [
        ("plays[0].tasks[0]", "ansible.builtin.copy", "search"),
        ("plays[0].tasks[1]", None, ""),  # a block
        ("plays[0].tasks[1].block[0]", "ansible.builtin.copy", "search"),
        ("plays[0].tasks[1].block[1]", None, ""),
        ("plays[0].tasks[1].block[1].block[0]", "ansible.builtin.copy", "builtin-module"),
        ("plays[0].tasks[1].block[2]", "ansible.builtin.copy", "search"),  # a task's null: the parent's list
        ("plays[0].tasks[1].rescue[0]", "ansible.builtin.ping", "builtin-module"),
        ("plays[0].tasks[2]", "community.general.ufw", "search"),
        ("plays[0].tasks[3]", "ansible.builtin.include_tasks", "builtin-module"),
        ("plays[0].tasks[4]", None, ""),  # no action: ansible-core rejects it
        ("plays[0].handlers[0]", "ansible.builtin.ping", "search"),
        ("plays[1].tasks[0]", "ansible.builtin.copy", "builtin-module"),
        ("plays[1].tasks[1]", None, "not-found"),
    ]


def test_task_files_see_only_their_own_lists() -> None:
    model = parse("- copy: {src: a, dest: b}\n- block: [ping: ]\n  collections: [a.b]\n- malformed\n", "tasks")
    got = [(t.resolved_action, t.resolution) for t in model.all_tasks()]
    assert got == [("ansible.builtin.copy", "builtin-module"), (None, ""), ("ansible.builtin.ping", "search"),
                   (None, "")]
