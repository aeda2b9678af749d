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
from typing import Any

import pytest

from shep._builtin import ansible_core_2_19 as names
from shep._builtin import ansible_core_2_19_redirects as redirects
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
from tests.conftest import REPO, load_script

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


def _run_oracle(args: list[str], cwd: Any, **kwargs: Any) -> Any:
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
