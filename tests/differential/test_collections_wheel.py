"""Every module of the collections of a real ``ansible`` wheel, as shep reads its documentation, against
``ansible-doc --metadata-dump`` (ansible-core 2.19.14) on the same tree. Opt-in and slow: ansible-doc
takes about three minutes over the ~9,500 modules of ansible 12.

    pip download --no-deps --only-binary=:all: 'ansible>=12,<13' -d /tmp/wheel
    SHEP_ANSIBLE_WHEEL=/tmp/wheel/ansible-12.3.0-py3-none-any.whl pytest tests/differential/test_collections_wheel.py

When it was written (ansible 12.3.0): the option facts of all 9,442 documented collection modules agree,
the order of choices given as a mapping apart (ansible-doc's JSON sorts mapping keys).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from shep.installed import FOUND
from shep.installed.docs import as_spec, option_facts
from shep.installed.facts import Probe
from shep.installed.index import Index
from tests.conftest import load_script

pytestmark = [pytest.mark.oracle, pytest.mark.slow]
WHEEL = os.environ.get("SHEP_ANSIBLE_WHEEL")


def _sorted_choices(options: dict[str, Any]) -> dict[str, Any]:
    """Choices in a stable order (ansible-doc's JSON sorts a mapping of choices), recursively."""
    result = {}
    for name, entry in options.items():
        entry = dict(entry)
        if isinstance(entry.get("choices"), list):
            entry["choices"] = sorted(entry["choices"], key=repr)
        if isinstance(entry.get("options"), dict):
            entry["options"] = _sorted_choices(entry["options"])
        result[name] = entry
    return result


def test_every_documented_module_of_a_wheel_agrees_with_ansible_doc(tmp_path: Path) -> None:
    if not WHEEL:
        pytest.skip("opt-in: set SHEP_ANSIBLE_WHEEL to an ansible wheel (pip download ansible)")
    if load_script("gen_builtin").installed_version() != "2.19.14":
        pytest.skip("needs ansible-core 2.19.14 (the `oracle` extra)")
    with zipfile.ZipFile(WHEEL) as archive:
        archive.extractall(tmp_path, [n for n in archive.namelist() if n.startswith("ansible_collections/")])
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")},
           "ANSIBLE_COLLECTIONS_PATH": str(tmp_path), "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
           "ANSIBLE_DEPRECATION_WARNINGS": "false"}
    run = subprocess.run([str(Path(sys.executable).parent / "ansible-doc"), "--metadata-dump", "--no-fail-on-errors",
                          "-t", "module"], env=env, cwd=tmp_path, capture_output=True, text=True, check=True)
    modules = json.loads(run.stdout)["all"]["module"]
    index = Index(probe=Probe((str(tmp_path),)))
    compared, differ = 0, []
    for name, entry in sorted(modules.items()):
        doc = entry.get("doc") if isinstance(entry, dict) else None
        if name.startswith("ansible.builtin.") or not doc:
            continue
        found, _ = index.lookup(name)
        expected = _sorted_choices(as_spec(option_facts(doc.get("options"))))
        documented = {} if found.spec is None else {
            option: {**entry, "required": True} if option in found.fragment_required else entry
            for option, entry in found.spec.options.items()}
        if found.status != FOUND or _sorted_choices(documented) != expected:
            differ.append((name, found.status, found.message))
        compared += 1
    assert compared > 1000
    assert differ == []
