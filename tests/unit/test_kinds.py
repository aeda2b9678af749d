"""Kind detection: lists that are data or another tool's settings are not Ansible content."""

from __future__ import annotations

import pytest

from shep.kinds import detect_kind

TASKS = [{"name": "x", "debug": {"msg": "hi"}}]
PLAY = [{"hosts": "all", "tasks": TASKS}]
HOOKS = [{"id": "shep", "name": "shep", "entry": "shep validate", "language": "python"}]
REQUIREMENTS = [{"src": "geerlingguy.docker", "version": "6.0.0"}]
RULEBOOK = [{"name": "r", "hosts": "all", "sources": [{"ansible.eda.range": {"limit": 5}}],
             "rules": [{"name": "x", "condition": "event.i == 1", "action": {"debug": None}}]}]


@pytest.mark.parametrize(("path", "data", "kind"), [
    ("roles/r/tasks/main.yml", TASKS, "tasks"),
    ("site.yml", PLAY, "playbook"),
    ("misc/steps.yml", TASKS, "tasks"),
    (".pre-commit-hooks.yaml", HOOKS, None),
    ("roles/r/tests/requirements.yml", REQUIREMENTS, None),
    ("requirements.yaml", REQUIREMENTS, None),
    ("roles/r/vars/main.yml", TASKS, None),
    ("roles/r/defaults/list.yml", TASKS, None),
    ("roles/r/files/job.yaml", TASKS, None),
    ("roles/r/templates/x.yml", PLAY, None),
    ("group_vars/all/list.yml", TASKS, None),
    ("extensions/eda/rulebooks/demo.yml", RULEBOOK, None),
    ("anywhere/demo.yml", RULEBOOK, None),
    ("roles/r/files/tasks/main.yml", TASKS, "tasks"),  # the nearer directory wins
    ("roles/r/tasks/vars.yml", TASKS, "tasks"),  # a file name, not a directory
])
def test_kinds(path: str, data: object, kind: str | None) -> None:
    assert detect_kind(path, data) == kind
