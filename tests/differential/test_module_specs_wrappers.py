"""The wrapper specs of ``shep._builtin.ansible_core_2_19_specs`` against ansible-core 2.19.14 running the tasks.

The wrappers' effective specs (copy, template, shell, assemble, unarchive, dnf) are written by hand-made rules
in scripts/gen_module_specs.py. Here ansible-playbook runs tasks of each on localhost (local connection, files
in a temporary directory) and a recording callback keeps each task's outcome. The generated spec, fed to
ansible-core's own ``ArgumentSpecValidator``, must reject only tasks that fail, and accept the tasks that
work; each case also states the outcome expected, so a change of ansible-core's behaviour shows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import load_script
from tests.unit.test_module_specs import _ansible_spec

pytestmark = [pytest.mark.oracle, pytest.mark.slow]  # slow: one ansible-playbook run, ten seconds or so
PINNED = "2.19.14"

# (name, action, args, does the task fail?) Destinations are fresh files: the module runs (see the docstring of
# scripts/gen_module_specs.py for the path where copy finds the file already right and checks less).
CASES: list[tuple[str, str, dict[str, Any], bool]] = [
    ("copy-ok", "copy", {"content": "x\n", "dest": "{out}/c1"}, False),
    ("copy-unknown", "copy", {"content": "x\n", "dest": "{out}/c2", "foo": 1}, True),
    ("copy-decrypt-local", "copy", {"content": "x\n", "dest": "{out}/c3", "decrypt": False}, False),
    ("copy-decrypt-remote", "copy", {"src": "{out}/c1", "dest": "{out}/c4", "remote_src": True, "decrypt": False}, True),
    ("copy-follow-not-bool", "copy", {"content": "x\n", "dest": "{out}/c5", "follow": "maybe"}, False),
    ("copy-force-not-bool", "copy", {"content": "x\n", "dest": "{out}/c6", "force": "maybe"}, True),
    ("copy-src-and-content", "copy", {"src": "a.txt", "content": "x\n", "dest": "{out}/c7"}, True),
    ("copy-no-source", "copy", {"dest": "{out}/c8"}, True),
    ("copy-internal-option", "copy", {"content": "x\n", "dest": "{out}/c9", "_original_basename": "x"}, True),
    ("copy-remote-local-follow", "copy", {"src": "{out}/c1", "dest": "{out}/c10", "remote_src": True,
                                          "local_follow": False}, False),
    ("template-ok", "template", {"src": "t.j2", "dest": "{out}/t1", "trim_blocks": "maybe", "mode": "0600"}, False),
    ("template-state", "template", {"src": "t.j2", "dest": "{out}/t2", "state": "file"}, True),
    ("template-content", "template", {"src": "t.j2", "dest": "{out}/t3", "content": "x"}, True),
    ("template-newline-bad", "template", {"src": "t.j2", "dest": "{out}/t4", "newline_sequence": "x"}, True),
    ("template-newline-escaped", "template", {"src": "t.j2", "dest": "{out}/t5", "newline_sequence": "\\r\\n"}, False),
    ("template-unknown", "template", {"src": "t.j2", "dest": "{out}/t6", "nmae": "x"}, True),
    ("template-no-dest", "template", {"src": "t.j2"}, True),
    ("template-backup-not-bool", "template", {"src": "t.j2", "dest": "{out}/t7", "backup": "maybe"}, True),
    ("shell-ok", "shell", {"_raw_params": "echo hi", "chdir": "{out}"}, False),
    ("shell-expand", "shell", {"_raw_params": "echo hi", "expand_argument_vars": False}, True),
    ("shell-unknown", "shell", {"_raw_params": "echo hi", "chdri": "/"}, True),
    ("assemble-local-force", "assemble", {"src": "frags", "dest": "{out}/a1", "remote_src": False, "force": True}, False),
    ("assemble-remote-force", "assemble", {"src": "{here}/frags", "dest": "{out}/a2", "force": True}, True),
    ("assemble-remote-decrypt", "assemble", {"src": "{here}/frags", "dest": "{out}/a3", "decrypt": False}, False),
    ("assemble-local-follow-not-bool", "assemble", {"src": "frags", "dest": "{out}/a4", "remote_src": False,
                                                    "local_follow": "maybe"}, True),
    ("assemble-no-dest", "assemble", {"src": "frags"}, True),
    ("unarchive-copy-and-remote-src", "unarchive", {"src": "x.tgz", "dest": "{out}", "copy": False,
                                                     "remote_src": True}, True),
    ("unarchive-no-src", "unarchive", {"dest": "{out}"}, True),
    ("unarchive-unknown", "unarchive", {"src": "{here}/a.tgz", "dest": "{out}", "remote_src": True, "bogus": 1}, True),
    ("dnf-use-and-use-backend", "dnf", {"name": "x", "use": "dnf", "use_backend": "dnf"}, True),
]

CALLBACK = '''
import json, os
from ansible.plugins.callback import CallbackBase

class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "shep_record"
    CALLBACK_NEEDS_ENABLED = True

    def _record(self, result, failed):
        with open(os.environ["SHEP_RECORD"], "a", encoding="utf-8") as out:
            out.write(json.dumps({"task": result._task.get_name(), "failed": failed,
                                  "msg": str(result._result.get("msg", ""))[:300]}) + "\\n")

    def v2_runner_on_ok(self, result):
        self._record(result, False)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, True)

    def v2_runner_on_skipped(self, result):
        self._record(result, None)
'''


def _fill(value: Any, here: Path) -> Any:
    if isinstance(value, str):
        return value.replace("{out}", str(here / "out")).replace("{here}", str(here))
    return value


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    if load_script("gen_module_specs").installed_version() != PINNED:
        pytest.skip(f"needs ansible-core {PINNED} (the `oracle` extra)")
    here = tmp_path_factory.mktemp("wrappers")
    (here / "out").mkdir()
    (here / "frags").mkdir()
    for name, text in (("frags/1", "a\n"), ("frags/2", "b\n"), ("a.txt", "a\n"), ("t.j2", "hello {{ 1 + 1 }}\n")):
        (here / name).write_text(text, encoding="utf-8")
    subprocess.run(["tar", "czf", "a.tgz", "a.txt"], cwd=here, check=True)
    (here / "callback_plugins").mkdir()
    (here / "callback_plugins" / "shep_record.py").write_text(CALLBACK, encoding="utf-8")
    tasks = []
    for name, action, args, _ in CASES:
        filled = {key: _fill(value, here) for key, value in args.items()}
        task: dict[str, Any] = {"name": name, "ignore_errors": True}
        if "_raw_params" in filled:  # a free-form command, its options under args:
            task[action] = filled.pop("_raw_params")
            task["args"] = filled
        else:
            task[action] = filled
        tasks.append(task)
    play = [{"hosts": "localhost", "connection": "local", "gather_facts": False, "tasks": tasks}]
    (here / "play.yml").write_text(json.dumps(play), encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_")}
    env.update(SHEP_RECORD=str(here / "record.jsonl"), ANSIBLE_CALLBACK_PLUGINS=str(here / "callback_plugins"),
               ANSIBLE_CALLBACKS_ENABLED="shep_record", ANSIBLE_LOCAL_TEMP=str(here / "tmp"),
               ANSIBLE_REMOTE_TEMP=str(here / "rtmp"), ANSIBLE_CONFIG=str(here / "none.cfg"), ANSIBLE_NOCOLOR="1")
    playbook = Path(sys.executable).parent / "ansible-playbook"
    subprocess.run([str(playbook), "-i", "localhost,", "-e", f"ansible_python_interpreter={sys.executable}",
                    "play.yml"], cwd=here, env=env, capture_output=True, text=True, timeout=600)
    lines = (here / "record.jsonl").read_text(encoding="utf-8").splitlines()
    return {entry["task"]: entry for entry in map(json.loads, lines)}


def _spec_rejects(action: str, args: dict[str, Any]) -> list[str]:
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

    options, kwargs = _ansible_spec(action)
    return [str(error) for error in ArgumentSpecValidator(options, **kwargs).validate(dict(args)).errors]


@pytest.mark.parametrize(("name", "action", "args", "fails"), CASES, ids=[case[0] for case in CASES])
def test_a_wrapper_spec_rejects_only_what_ansible_core_fails(
        name: str, action: str, args: dict[str, Any], fails: bool, outcomes: dict[str, dict[str, Any]]) -> None:
    outcome = outcomes[name]
    assert outcome["failed"] is fails, outcome
    rejected = _spec_rejects(action, args)
    if rejected:
        assert outcome["failed"], (rejected, outcome)
    if not fails:
        assert not rejected, rejected
