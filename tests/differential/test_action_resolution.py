"""shep.resolve against ansible-core 2.19.14 resolving the same action names (nothing installed, no
library path), and against the resolved names of the shared corpus oracle.

ansible-core runs in a subprocess (tests/oracle/action_resolution.py): once for a grid of names (what
it ships, a sample of its redirects, its tombstones, names it matches by name, near misses and odd
spellings) × spelling (short, ``ansible.builtin.``, ``ansible.legacy.``) × form (the task's key, or
``action:``) × ``collections`` list; once to load a playbook with a collection installed that
shadows ``ping`` wherever its list is in scope (fixtures/resolution/collections_scope.yml).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from shep._builtin import ansible_core_2_19 as names
from shep._builtin import ansible_core_2_19_redirects as redirects
from shep.api import load
from shep.model import Task
from shep.resolve import (
    BUILTIN_ACTION,
    BUILTIN_MODULE,
    COLLECTION,
    NOT_FOUND,
    REDIRECT,
    REMOVED,
    SEARCH,
    TEMPLATED,
    UNKNOWN,
    Resolution,
    resolve,
    search_list,
)
from tests.conftest import FIXTURES, REPO, load_script
from tests.differential.oracle_compare import read_jsonl

ORACLE = REPO / "tests" / "oracle" / "action_resolution.py"
PINNED = "2.19.14"

ODD = (
    "copyy", "Copy", "copy.py", "_copy", "shell_", "get-url", "a.b", "a.b.c", "1a.b.c", "def.b.c", "Ansiblefoo",
    "community.general.ufw", "ansible.windows.win_ping", "ns.coll.sub.mod", "include", "meta", "include_tasks",
    "import_role", "ansible.builtin.copy.py", "ansible.builtin.a.b", "{{ x }}",
)
ROUTED = sorted(set(redirects.MODULE_REDIRECTS) | set(redirects.ACTION_REDIRECTS))
NAMES = sorted(set(names.MODULES) | set(names.ACTION_PLUGINS) | set(ROUTED[::25]) | {"yum", "uses_redirected_action"}
               | set(names.MODULE_TOMBSTONES) | set(names.ACTION_TOMBSTONES) | set(ODD))
SPELLINGS = ("", "ansible.builtin.", "ansible.legacy.")
LISTS: tuple[Any, ...] = (None, ["community.general"], ["ansible.builtin"], "community.general",
                          ["ansible.legacy", "community.general"], ["community.general", "ansible.builtin"], [])
CASES = [(prefix + name, form, collections) for name in NAMES for prefix in SPELLINGS if prefix == "" or "." not in name
         for form in ("key", "action") for collections in LISTS]

pytestmark = pytest.mark.oracle


def _run_oracle(args: list[str], cwd: Path, **kwargs: Any) -> Any:
    version = load_script("gen_builtin").installed_version()
    if version != PINNED:
        pytest.skip(f"needs ansible-core {PINNED} (the `oracle` extra); found {version}")
    run = subprocess.run([sys.executable, str(ORACLE), *args], capture_output=True, text=True, check=True, cwd=cwd,
                         **kwargs)
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def grid(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    result: list[dict[str, str]] = _run_oracle(["names"], tmp_path_factory.mktemp("oracle"), input=json.dumps(CASES))
    return result


def _agrees(mine: Resolution, expected: dict[str, str]) -> bool:
    """shep's answer holds for ansible-core with nothing installed: the same name where it resolves one;
    where it fails, no name, or a name outside ansible.builtin that an installed collection would give."""
    outcome = expected["outcome"]
    if mine.kind == TEMPLATED:  # the oracle looks the name up untemplated; ansible-core renders it first
        return mine.name is None
    if outcome == "resolved":
        return mine.name == expected["name"] and expected.get("load", mine.name) == mine.name and \
            mine.kind in (BUILTIN_MODULE, BUILTIN_ACTION, REDIRECT, SEARCH)
    if outcome == "by-name":
        return mine.kind == BUILTIN_MODULE
    if outcome == "removed":
        return mine.name is None and mine.kind in (REMOVED, SEARCH)
    if mine.kind in (REDIRECT, COLLECTION, SEARCH) and mine.name is not None:
        return not mine.name.startswith("ansible.builtin.")
    return mine.name is None and mine.kind in (UNKNOWN, NOT_FOUND, SEARCH)


@pytest.mark.slow  # thousands of cases in one ansible-core process (~10 s)
def test_every_name_resolves_as_ansible_core_resolves_it(grid: list[dict[str, str]]) -> None:
    wrong = []
    for (action, form, collections), expected in zip(CASES, grid, strict=True):
        mine = resolve(action, action if form == "key" else "action", search_list(collections))
        if mine.kind == TEMPLATED and form == "key":
            wrong.append(f"{action!r}: a module key is never templated")
        elif not _agrees(mine, expected):
            wrong.append(f"{action!r} ({form}, collections={collections!r}): shep {mine}, ansible-core {expected}")
    assert not wrong, f"{len(wrong)} of {len(CASES)}:\n" + "\n".join(wrong[:40])


@pytest.mark.slow
def test_the_grid_meets_every_kind(grid: list[dict[str, str]]) -> None:
    kinds = {resolve(action, action if form == "key" else "action", search_list(collections)).kind
             for action, form, collections in CASES}
    assert kinds >= {BUILTIN_MODULE, BUILTIN_ACTION, REDIRECT, COLLECTION, SEARCH, UNKNOWN, REMOVED, NOT_FOUND}
    assert {row["outcome"] for row in grid} == {"resolved", "by-name", "removed", "unresolved"}


def _tasks_by_line(path: Path) -> dict[int, Task]:
    model = load(path, "playbook")
    return {task.span.line: task for task in model.tasks() if not task.is_block}


def test_the_collections_keyword_reaches_the_tasks_ansible_core_gives_it_to(tmp_path: Path) -> None:
    """With testns.testcoll installed and shipping ``ping``, ansible-core runs testns.testcoll.ping exactly
    where its list is in scope: where shep says ``search``; elsewhere the name shep resolves."""
    modules = tmp_path / "collections" / "ansible_collections" / "testns" / "testcoll" / "plugins" / "modules"
    modules.mkdir(parents=True)
    (modules / "ping.py").write_text("# a module that shadows ansible.builtin.ping\n")
    source = FIXTURES / "resolution" / "collections_scope.yml"
    found = _run_oracle(["playbook", str(source)], tmp_path,
                        env={"ANSIBLE_COLLECTIONS_PATH": str(tmp_path / "collections"), "PATH": ""})
    tasks = _tasks_by_line(source)
    assert sorted(tasks) == sorted(int(line) for line in found)
    wrong = []
    for line, task in tasks.items():
        ansible = found[str(line)]["run"]["name"]
        if found[str(line)]["load"] not in (None, ansible):
            wrong.append(f"line {line}: ansible-core loads {found[str(line)]['load']}, runs {ansible}")
        shadowed = ansible == "testns.testcoll.ping"
        if shadowed != (task.resolution == SEARCH) or (not shadowed and task.resolved_action != ansible):
            wrong.append(f"line {line}: shep {task.resolved_action} ({task.resolution}), ansible-core {ansible}")
    assert not wrong, "\n".join(wrong)


# -- the shared corpus ---------------------------------------------------------------------------------


def test_every_resolved_action_of_the_corpus_is_ansible_cores(corpus: Path, manifest: list[dict[str, Any]]) -> None:
    """``v_resolved``: what ansible-core 2.19.14 resolved each task to when it loaded it (no collection
    installed). shep's name must be the same wherever ansible-core resolved one."""
    rows: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for row in read_jsonl(corpus / "oracle.jsonl"):
        rows.setdefault((row["repo"], row["path"]), {})[row["task_path"]] = row
    compared, wrong = 0, []
    for entry in manifest:
        expected = rows.get((entry["repo"], entry["path"]), {})
        model = load(corpus / entry["repo"] / entry["path"], entry["kind"])
        tasks = model.tasks() if hasattr(model, "plays") else model.all_tasks()
        for task in tasks:
            row = expected.get(task.doc_path)
            if row is None or row.get("v_resolved") is None:
                continue
            compared += 1
            if task.resolved_action != row["v_resolved"]:
                wrong.append(f"{entry['path']} {task.doc_path}: shep {task.resolved_action} ({task.resolution}), "
                             f"ansible-core {row['v_resolved']}")
    assert compared > 4000
    assert not wrong, "\n".join(wrong[:40])


def test_corpus_tasks_ansible_core_could_not_resolve_get_no_builtin_name(corpus: Path,
                                                                        manifest: list[dict[str, Any]]) -> None:
    """Where ansible-core (nothing installed) failed to resolve a task's action, shep names no
    ansible.builtin plugin: it says where the action would come from (a collection), or nothing."""
    failed = {(row["repo"], row["path"], row["task_path"]) for row in read_jsonl(corpus / "oracle.jsonl")
              if (row.get("v_error") or "").startswith("couldn't resolve module/action")}
    wrong = []
    for entry in manifest:
        model = load(corpus / entry["repo"] / entry["path"], entry["kind"])
        for task in model.tasks() if hasattr(model, "plays") else model.all_tasks():
            if (entry["repo"], entry["path"], task.doc_path) in failed and \
                    (task.resolved_action or "").startswith("ansible.builtin."):
                wrong.append(f"{entry['path']} {task.doc_path}: {task.resolved_action} ({task.resolution})")
    assert len(failed) > 3000
    assert not wrong, "\n".join(wrong[:40])
