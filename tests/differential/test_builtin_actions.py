"""V019 against ansible-core 2.19.14 deciding, name by name, whether ``- ansible.builtin.<name>: {}`` resolves.

ansible-core runs in a subprocess (tests/oracle/builtin_resolution.py: ModuleArgsParser with action
validation, no collection installed), once for every name of shep's table (each module, action plugin,
redirect and tombstone) plus invented near-misses. shep must report V019 exactly for the names that
fail whatever is installed (``unresolved``, ``removed``), not for those that fail only because the
collection they are redirected to is missing; and with ansible-core's message (``include`` is V007's).
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from shep._builtin import ansible_core_2_19 as names
from shep._builtin import ansible_core_2_19_redirects as redirects
from shep.api import parse
from shep.validate import validate_model
from tests.conftest import REPO, load_script

ORACLE = REPO / "tests" / "oracle" / "builtin_resolution.py"
PINNED = "2.19.14"

NEAR_MISSES = (
    "copyy", "cpoy", "Copy", "copy.py", "shel", "shell_", "comand", "commands", "debugg", "templates",
    "lineinfle", "line_in_file", "servic", "systemd_services", "package_fact", "get-url", "geturl", "uri2",
    "yum_repo", "apt_repo", "win_pnig", "file_", "stats", "include_task", "import_task", "include_roles",
    "set_facts", "action", "module", "normal2", "bigip_fact", "pip3", "a.b", "ansible", "",
)
SHIPPED = sorted(names.MODULES | names.ACTION_PLUGINS)
ROUTED = sorted(set(redirects.MODULE_REDIRECTS) | set(redirects.ACTION_REDIRECTS))
TOMBSTONED = sorted(set(names.MODULE_TOMBSTONES) | set(names.ACTION_TOMBSTONES))
NAMES = sorted(set(SHIPPED) | set(ROUTED) | set(TOMBSTONED) | set(NEAR_MISSES))

pytestmark = [pytest.mark.oracle, pytest.mark.slow]  # slow: ansible-core's whole builtin table, one row per name


@pytest.fixture(scope="session")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    version = load_script("gen_builtin").installed_version()
    if version != PINNED:
        pytest.skip(f"needs ansible-core {PINNED} (the `oracle` extra); found {version}")
    run = subprocess.run([sys.executable, str(ORACLE)], input=json.dumps(NAMES), capture_output=True,
                         text=True, check=True, cwd=tmp_path_factory.mktemp("oracle"))
    result: dict[str, Any] = json.loads(run.stdout)
    return result


def test_the_table_lists_what_ansible_core_lists(oracle: dict[str, Any]) -> None:
    listed = oracle["names"]
    assert listed["modules"] == sorted(names.MODULES)
    assert listed["action"] == sorted(names.ACTION_PLUGINS)
    assert listed["modules_redirect"] == sorted(redirects.MODULE_REDIRECTS)
    assert listed["action_redirect"] == sorted(redirects.ACTION_REDIRECTS)
    assert listed["modules_tombstone"] == sorted(names.MODULE_TOMBSTONES)
    assert listed["action_tombstone"] == sorted(names.ACTION_TOMBSTONES)
    assert listed["modules_deprecation"] == sorted(names.MODULE_DEPRECATIONS)
    assert listed["action_deprecation"] == sorted(names.ACTION_DEPRECATIONS)


def test_the_table_is_what_the_generator_makes_of_ansible_core(oracle: dict[str, Any]) -> None:
    gen = load_script("gen_builtin")
    for path, text in gen.expected(PINNED).items():
        assert path.read_text(encoding="utf-8") == text, f"run scripts/gen_builtin.py: {path} is stale"


def test_near_misses_include_failures_of_both_kinds(oracle: dict[str, Any]) -> None:
    outcomes = {oracle["outcomes"][name]["outcome"] for name in NAMES}
    assert outcomes == {"resolves", "removed", "unresolved", "missing-collection"}


def test_removal_by_version_is_worded_as_ansible_core_does(oracle: dict[str, Any]) -> None:
    from shep.validate.checks._builtin_actions import _removed_message

    assert _removed_message("x", "action plugin", ("2.99", None, "Use y")) == oracle["removed_by_version"]


@pytest.mark.parametrize("name", NAMES)
def test_v019_exactly_where_ansible_core_fails_whatever_is_installed(name: str, oracle: dict[str, Any]) -> None:
    expected = oracle["outcomes"][name]
    action = f"ansible.builtin.{name}"
    diagnostics = validate_model(parse(json.dumps([{action: {}}]), "tasks"))
    reported = [d.message for d in diagnostics if d.code in ("V019", "V007")]
    if expected["outcome"] in ("unresolved", "removed"):
        assert reported == [expected["message"]]
    else:
        assert reported == [], expected
