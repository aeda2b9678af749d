"""Installed collections as shep reads them (shep.installed) against ansible-core 2.19.14 itself:

* the configuration file, COLLECTIONS_PATHS, the sys.path scan setting and the configured roots, in a
  grid of environments, ansible.cfg files and working directories (tests/oracle/collection_roots.py);
* the option facts of every documented module of the fake collection fixtures/collections (doc
  fragments of the collection and of ansible-core, variants, sub-options, a sidecar, a redirected
  fragment) against ``ansible-doc --json``;
* what ansible-core does when it loads tasks naming a removed, a deprecated and a missing module of that
  collection (``ansible-playbook --syntax-check``): the messages V041 and V042 give.

Skipped, with the reason, without the pinned ansible-core.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from shep.installed.docs import as_spec, option_facts
from shep.installed.facts import Probe
from shep.installed.index import Index
from tests.conftest import FIXTURES, REPO, load_script

PINNED = "2.19.14"
ORACLE = REPO / "tests" / "oracle" / "collection_roots.py"
COLLECTIONS = FIXTURES / "collections"
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.oracle


def _pinned() -> None:
    version = load_script("gen_builtin").installed_version()
    if version != PINNED:
        pytest.skip(f"needs ansible-core {PINNED} (the `oracle` extra); found {version}")


# -- roots --------------------------------------------------------------------------------------

SHEP = """
import json
from shep.installed import roots
paths, scan = roots.configured_paths()
print(json.dumps({"config": roots.config_file(), "paths": paths, "scan": scan,
                  "roots": list(roots.configured_roots([]))}))
"""

# name -> (environment, files (relative to the case directory; "{case}" is that directory), working directory,
# whether the working directory is world-writable)
CASES: dict[str, tuple[dict[str, str], dict[str, str], str, bool]] = {
    "default": ({}, {"home/.ansible/collections/ansible_collections/a/b/x": ""}, "work", False),
    "env": ({"ANSIBLE_COLLECTIONS_PATH": "rel:~/c:{case}/abs/ansible_collections:$EXTRA/x:{{CWD}}/d:/nowhere",
             "EXTRA": "{case}/extra"},
            {"work/rel/ansible_collections/a/b/x": "", "home/c/ansible_collections/x": "",
             "abs/ansible_collections/x": "", "extra/x/ansible_collections/x": "", "work/d/ansible_collections/x": ""},
            "work", False),
    "env-empty": ({"ANSIBLE_COLLECTIONS_PATH": ""}, {"work/ansible_collections/x": ""}, "work", False),
    "ansible-config-dir": ({"ANSIBLE_CONFIG": "{case}/proj"},
                           {"proj/ansible.cfg": "[defaults]\ncollections_path = ./colls:../other ; note\n",
                            "proj/colls/ansible_collections/x": "", "other/ansible_collections/x": ""},
                           "work", False),
    "ansible-config-missing": ({"ANSIBLE_CONFIG": "{case}/missing.cfg"},
                               {"work/ansible.cfg": "[defaults]\ncollections_path = here\n",
                                "work/here/ansible_collections/x": ""}, "work", False),
    "cwd": ({}, {"work/ansible.cfg": "[defaults]\ncollections_path = c1:c2\ncollections_scan_sys_path = off\n",
                 "work/c2/ansible_collections/x": "", "home/.ansible.cfg": "[defaults]\ncollections_path = /h\n"},
            "work", False),
    "cwd-world-writable": ({}, {"work/ansible.cfg": "[defaults]\ncollections_path = c1\n",
                                "home/.ansible.cfg": "[defaults]\nhome = ~/ah\n",
                                "home/ah/collections/ansible_collections/x": ""}, "work", True),
    "home-env": ({"ANSIBLE_HOME": "{case}/ah", "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "0"},
                 {"ah/collections/ansible_collections/x": "", "work/ansible.cfg": "[defaults]\nhome = /elsewhere\n"},
                 "work", False),
    "env-beats-cfg": ({"ANSIBLE_COLLECTIONS_PATH": "{case}/e", "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "yes"},
                      {"work/ansible.cfg": "[defaults]\ncollections_path = c\ncollections_scan_sys_path = false\n",
                       "e/ansible_collections/x": ""}, "work", False),
    "plural-ignored": ({"ANSIBLE_COLLECTIONS_PATHS": "{case}/p"},
                       {"work/ansible.cfg": "[defaults]\ncollections_paths = {case}/q\n",
                        "p/ansible_collections/x": "", "q/ansible_collections/x": ""}, "work", False),
    "default-section": ({}, {"work/ansible.cfg": "[DEFAULT]\ncollections_path = d\n[defaults]\nforks = 5\n",
                             "work/d/ansible_collections/x": ""}, "work", False),
    "default-section-alone": ({}, {"work/ansible.cfg": "[DEFAULT]\ncollections_path = d\n",
                                   "work/d/ansible_collections/x": ""}, "work", False),
}


def _environment(case: Path, extra: dict[str, str]) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_") and k not in ("HOME", "PYTHONPATH")}
    kept.update({"HOME": str(case / "home"), "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"})
    kept.update({k: v.replace("{case}", str(case)) for k, v in extra.items()})
    return kept


@pytest.mark.parametrize("name", sorted(CASES))
def test_roots_agree_with_ansible_core(name: str, tmp_path: Path) -> None:
    _pinned()
    env, files, cwd, world_writable = CASES[name]
    case = tmp_path / name
    for relative, text in files.items():
        path = case / relative
        if text or relative.endswith(".cfg"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text.replace("{case}", str(case)))
        else:
            path.mkdir(parents=True, exist_ok=True)
    work = case / cwd
    work.mkdir(parents=True, exist_ok=True)
    (case / "home").mkdir(exist_ok=True)
    if world_writable:
        os.chmod(work, 0o777)
    environment = _environment(case, env)
    ansible = subprocess.run([sys.executable, str(ORACLE)], cwd=work, env=environment, capture_output=True,
                             text=True, check=True)
    shep = subprocess.run([sys.executable, "-c", SHEP], cwd=work, env=environment, capture_output=True, text=True,
                          check=True)
    expected, got = json.loads(ansible.stdout), json.loads(shep.stdout)
    assert got == expected
    assert expected["roots"] or name in ("default-section-alone", "plural-ignored")  # the others find some


# -- documentation ------------------------------------------------------------------------------

DOCUMENTED = ("acme.demo.thing", "acme.demo.net.switch", "acme.demo.win_thing", "acme.demo.old_thing")


@pytest.fixture(scope="module")
def ansible_doc(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    _pinned()
    work = tmp_path_factory.mktemp("doc")
    env = {**_environment(work, {}), "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS),
           "ANSIBLE_DEPRECATION_WARNINGS": "false"}
    run = subprocess.run([str(BIN / "ansible-doc"), "--json", "-t", "module", *DOCUMENTED], cwd=work, env=env,
                         capture_output=True, text=True, check=True)
    docs: dict[str, Any] = json.loads(run.stdout)
    return docs


@pytest.mark.parametrize("name", DOCUMENTED)
def test_option_facts_agree_with_ansible_doc(name: str, ansible_doc: dict[str, Any]) -> None:
    found, _ = Index(probe=Probe((str(COLLECTIONS),))).lookup(name)
    assert found.spec is not None, found
    expected = as_spec(option_facts(ansible_doc[name]["doc"].get("options")))
    documented = {option: {**entry, "required": True} if option in found.fragment_required else entry
                  for option, entry in found.spec.options.items()}
    assert documented == expected


def test_every_documented_fixture_module_is_compared() -> None:
    modules = COLLECTIONS / "ansible_collections" / "acme" / "demo" / "plugins" / "modules"
    names = {"acme.demo." + ".".join(p.relative_to(modules).with_suffix("").parts) for p in modules.rglob("*.py")}
    names |= {"acme.demo." + p.stem for p in modules.glob("*.yml")}
    assert names - set(DOCUMENTED) == {"acme.demo.undocumented"}


# -- loading tasks ------------------------------------------------------------------------------

TASKS = {
    "retired": "- acme.demo.retired: {name: x}\n",
    "thingy": "- acme.demo.thingy: {name: x}\n",
    "old_thing": "- acme.demo.old_thing: {name: x}\n",
}


@pytest.mark.parametrize("name", sorted(TASKS))
def test_load_time_messages_agree_with_ansible_playbook(name: str, tmp_path: Path) -> None:
    _pinned()
    playbook = tmp_path / "site.yml"
    playbook.write_text("- hosts: localhost\n  gather_facts: false\n  tasks:\n" + "".join(
        "    " + line + "\n" for line in TASKS[name].splitlines()))
    env = {**_environment(tmp_path, {}), "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS), "ANSIBLE_NOCOLOR": "1",
           "ANSIBLE_FORCE_COLOR": "0", "COLUMNS": "1000"}
    run = subprocess.run([str(BIN / "ansible-playbook"), "--syntax-check", str(playbook)], cwd=tmp_path, env=env,
                         capture_output=True, text=True)
    output = " ".join((run.stdout + run.stderr).split())
    from shep.api import load
    from shep.installed import Installed
    from shep.validate import lookup_modules, validate_model

    model = load(playbook, "playbook")
    modules, _ = lookup_modules(model, Installed(roots=(str(COLLECTIONS),)))
    [finding] = [d for d in validate_model(model, modules) if d.code in ("V041", "V042")]
    assert " ".join(finding.message.split()) in output
    assert (run.returncode != 0) == (finding.code == "V041")
