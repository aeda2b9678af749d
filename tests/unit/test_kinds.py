"""Kind detection: lists that are data or another tool's settings are not Ansible content."""

from __future__ import annotations

import pytest

from shep.kinds import EMPTY, NOT_A_LIST, NOT_TASKS_OR_PLAYS, classify, detect_kind
from shep.kinds import RULEBOOK as RULEBOOK_REASON

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
    ("roles/r/tasks/requirements.yml", TASKS, "tasks"),  # a tasks/ directory decides over a tool's file name
    # gather_facts and user are modules as well as play keywords: a task file stays a task file.
    ("roles/r/tasks/main.yml", [{"gather_facts": {"gather_subset": "distribution"}}, {"shell": "id"}], "tasks"),
    ("roles/r/tasks/main.yml", [{"gather_facts": None}], "tasks"),
    ("roles/r/tasks/main.yml", [{"name": "facts", "gather_facts": None, "tags": ["x"]}], "tasks"),
    ("roles/r/tasks/main.yml", [{"user": "name=bob"}, {"user": {"name": "alice"}}], "tasks"),
    ("roles/r/handlers/main.yml", [{"name": "h", "gather_facts": {}}], "handlers"),
    ("misc/steps.yml", [{"gather_facts": None}, {"user": "name=bob"}], "tasks"),
    ("misc/steps.yml", [{"name": "t", "gather_facts": {"parallel": True}}], "tasks"),
    # A tasks/ directory decides, whatever its items are: ansible-core loads them as tasks and fails.
    ("roles/r/tasks/bad.yml", ["oops this is invalid"], "tasks"),
    ("roles/r/tasks/bad.yml", [42, {"debug": None}], "tasks"),
    ("roles/r/handlers/bad.yml", [["a list"]], "handlers"),
    # ... unless an item is unmistakably a play.
    ("roles/r/tasks/site.yml", [{"hosts": "all", "tasks": TASKS}], "playbook"),
    ("roles/r/tasks/site.yml", [{"import_playbook": "other.yml"}], "playbook"),
    ("roles/r/tasks/site.yml", [{"ansible.builtin.import_playbook": "other.yml"}], "playbook"),
    # Elsewhere a play needs a play-only key and no module.
    ("site.yml", [{"name": "p", "roles": ["common"]}], "playbook"),
    ("site.yml", [{"name": "p", "gather_facts": False, "vars": {}}], "playbook"),
    ("misc/steps.yml", [{"name": "t", "serial": 1, "shell": "id"}], "tasks"),
    ("misc/steps.yml", [{"name": "t", "block": [], "tasks": []}], "tasks"),
    ("misc/list.yml", ["a", "b"], None),
    ("misc/map.yml", {"hosts": "all"}, None),
    # Zuul's job lists look like tasks (`- job: {...}`); Molecule's config is another tool's too.
    (".zuul.yaml", [{"job": {"name": "lint"}}, {"project": {"check": {"jobs": ["lint"]}}}], None),
    ("zuul.d/playbooks/post.yml", PLAY, "playbook"),  # Zuul runs Ansible playbooks: zuul.d is no data directory
    ("molecule/default/molecule.yml", [{"driver": {"name": "docker"}}], None),
])
def test_kinds(path: str, data: object, kind: str | None) -> None:
    assert detect_kind(path, data) == kind


@pytest.mark.parametrize(("path", "data", "reason"), [
    ("x.yml", None, EMPTY),
    ("x.yml", [None], EMPTY),
    ("x.yml", {"a": 1}, NOT_A_LIST),
    ("roles/r/tasks/main.yml", "text", NOT_A_LIST),
    ("x.yml", ["a"], NOT_TASKS_OR_PLAYS),
    ("x.yml", RULEBOOK, RULEBOOK_REASON),
    ("requirements.yml", REQUIREMENTS, "a file of another tool (requirements.yml)"),
    ("roles/r/vars/main.yml", TASKS, "in a data directory (vars/)"),
])
def test_why_a_file_is_skipped(path: str, data: object, reason: str) -> None:
    assert classify(path, data) == (None, reason)


@pytest.mark.parametrize(("path", "data"), [("roles/r/tasks/main.yml", None), ("roles/r/tasks/main.yml", [None]),
                                            ("site.yml", PLAY), ("misc/steps.yml", TASKS)])
def test_a_detected_kind_has_no_reason(path: str, data: object) -> None:
    kind, reason = classify(path, data)
    assert kind is not None and reason is None


@pytest.mark.parametrize(("path", "text", "verdict"), [
    ("mkdocs.yml", "a: !!python/name:foo\n", "skipped"),  # another tool's file: never Ansible, even unloadable
    ("molecule/default/molecule.yml", "a: &x 1\nb: &x 2\n", "skipped"),
    ("examples/site.j2.yaml", "- hosts: {{ group }}\n", "skipped"),  # a template: YAML only once rendered
    ("roles/r/templates/t.yml", "- {{ x }}: [\n", "skipped"),
    ("k8s/deploy.yml", "a: 1\n---\nb: 2\n", "skipped"),  # several documents, none of them Ansible content
    ("k8s/deploy.yml", "---\n# comments only\n---\nkind: Pod\n", "skipped"),
    ("k8s/deploy.yml", "a: 1\n---\nb: [\n", "failed"),  # a document that does not load: the path does not tell
    ("site.yml", "- hosts: all\n---\n- hosts: db\n", "failed"),  # plays: ansible-core rejects the stream
    ("notes.yml", "a: 1\n---\n- debug: {}\n", "failed"),  # one task list among the documents
    ("roles/r/tasks/main.yml", "---\n---\n", "failed"),  # two empty documents in tasks/: a task file
    ("roles/r/tasks/main.yml", "- debug: [\n", "failed"),
])
def test_yaml_that_does_not_load(path: str, text: str, verdict: str) -> None:
    from shep.loader import load_text
    from shep.validate import check_document

    result = check_document(load_text(text, path))
    assert result.verdict == verdict
    assert (result.diagnostics != ()) == (verdict == "failed")
    if verdict == "skipped" and "---" in text:
        assert result.reason is not None and "YAML documents, none of them Ansible content" in result.reason


def test_a_stream_of_plays_is_reported_as_a_playbook() -> None:
    from shep.loader import load_text
    from shep.validate import check_document

    result = check_document(load_text("- hosts: all\n---\n- hosts: db\n", "site.yml"))
    assert (result.kind, [d.code for d in result.diagnostics]) == ("playbook", ["Y005"])
