"""shep.api directly: load, the load_* shortcuts, parse, read_document, guess_kind and classify_document.

The documented contract (docs/library.md, the module's docstrings): a file or text in, a Playbook
or TaskFile out, every problem a diagnostic, never an exception on bad content; the kind is
detected from directory and content (a task file when nothing says otherwise) unless forced.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import shep
from shep import api
from shep.diagnostics import Diagnostic, Span
from shep.loader import load_text
from shep.model import Playbook, TaskFile

PLAY = "- hosts: all\n  tasks:\n    - name: ping it\n      ping:\n"
TASKS = "- name: a\n  debug: msg=hi\n- copy: src=a dest=b\n"
CONFLICT = "- debug: msg=a\n  apt: name=b\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def codes(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.col) for d in diagnostics]


# -- load ----------------------------------------------------------------------------------------


def test_load_detects_a_playbook(tmp_path: Path) -> None:
    model = api.load(write(tmp_path / "site.yml", PLAY))
    assert isinstance(model, Playbook)
    assert model.path == str(tmp_path / "site.yml")
    assert [(t.name, t.action, t.span.line) for t in model.tasks()] == [("ping it", "ping", 3)]
    assert model.diagnostics == ()


def test_load_detects_a_task_file_and_keeps_every_task(tmp_path: Path) -> None:
    model = api.load(str(write(tmp_path / "x.yml", TASKS)))
    assert isinstance(model, TaskFile) and model.kind == "tasks"
    assert [(t.action, t.args, t.span.line) for t in model.tasks] == [
        ("debug", {"msg": "hi"}, 1), ("copy", {"src": "a", "dest": "b"}, 3)]


def test_load_takes_the_kind_from_a_roles_layout(tmp_path: Path) -> None:
    model = api.load(write(tmp_path / "roles" / "web" / "handlers" / "main.yml", "- name: restart\n  ping:\n"))
    assert isinstance(model, TaskFile) and model.kind == "handlers"
    assert [t.is_handler for t in model.tasks] == [True]


def test_load_of_content_that_is_not_ansible_builds_a_task_file(tmp_path: Path) -> None:
    model = api.load(write(tmp_path / "data.yml", "key: value\n"))
    assert isinstance(model, TaskFile) and model.kind == "tasks"
    assert [d.code for d in model.diagnostics] == ["M006"]


def test_a_forced_kind_wins_over_detection(tmp_path: Path) -> None:
    path = write(tmp_path / "site.yml", PLAY)
    model = api.load(path, "tasks")
    assert isinstance(model, TaskFile) and model.kind == "tasks"
    assert api.load_handlers(path).kind == "handlers"
    assert isinstance(api.load_playbook(write(tmp_path / "tasks" / "main.yml", PLAY)), Playbook)
    assert api.load_tasks(path).kind == "tasks"


def test_load_reports_content_problems_as_diagnostics(tmp_path: Path) -> None:
    model = api.load(write(tmp_path / "tasks" / "main.yml", CONFLICT))
    assert codes(model.diagnostics) == [("D001", 2, 3)]
    assert model.diagnostics[0].message == "conflicting action statements: debug, apt"
    assert model.diagnostics[0].path == str(tmp_path / "tasks" / "main.yml")


def test_load_of_a_missing_file_is_an_empty_model_with_y000(tmp_path: Path) -> None:
    path = tmp_path / "nope.yml"
    model = api.load(path)
    assert isinstance(model, TaskFile) and model.tasks == ()
    [problem] = model.diagnostics
    assert (problem.code, problem.path, problem.message) == (
        "Y000", str(path), "cannot read file: No such file or directory")


def test_the_facade_exports_the_api() -> None:
    assert (shep.load, shep.parse, shep.load_playbook, shep.load_tasks, shep.load_handlers) == (
        api.load, api.parse, api.load_playbook, api.load_tasks, api.load_handlers)


# -- parse ---------------------------------------------------------------------------------------


def test_parse_text_and_bytes_give_the_same_model() -> None:
    from_text = api.parse(CONFLICT, filename="t.yml")
    assert from_text == api.parse(CONFLICT.encode(), filename="t.yml")
    assert isinstance(from_text, TaskFile) and from_text.path == "t.yml"
    assert codes(from_text.diagnostics) == [("D001", 2, 3)]


def test_parse_names_its_input_string_by_default() -> None:
    model = api.parse("- a: [\n")
    assert model.path == "<string>"
    assert [(d.code, d.path) for d in model.diagnostics] == [("Y001", "<string>")]


def test_parse_detects_or_takes_the_kind() -> None:
    assert isinstance(api.parse(PLAY), Playbook)
    forced = api.parse(PLAY, kind="handlers")
    assert isinstance(forced, TaskFile) and forced.kind == "handlers"
    by_path = api.parse(TASKS, filename="roles/r/handlers/main.yml")
    assert isinstance(by_path, TaskFile) and by_path.kind == "handlers"


@pytest.mark.parametrize("text", ["x" * 11, b"x" * 11, "é" * 11], ids=["str", "bytes", "non-ascii"])
def test_parse_refuses_text_over_max_bytes(text: str | bytes) -> None:
    model = api.parse(text, filename="big.yml", max_bytes=10)
    assert isinstance(model, TaskFile) and model.tasks == ()
    assert [(d.code, d.message, d.span) for d in model.diagnostics] == [
        ("Y007", "text is larger than the 10-byte limit", Span(1, 1, 1, 1))]


def test_parse_at_max_bytes_is_parsed() -> None:
    text = "- ping:\n"
    model = api.parse(text, max_bytes=len(text))
    assert isinstance(model, TaskFile) and [t.action for t in model.tasks] == ["ping"]


def test_parse_of_bytes_that_are_not_utf8_is_a_diagnostic() -> None:
    model = api.parse("- debug: msg=é\n".encode("utf-16"), filename="u.yml")
    assert [(d.code, d.message) for d in model.diagnostics] == [
        ("Y002", "file is UTF-16 encoded; Ansible reads YAML files as UTF-8")]


def test_both_parsers_give_the_same_model() -> None:
    assert api.parse(PLAY + "    - debug: msg={{ x }}\n", reference=True) == api.parse(
        PLAY + "    - debug: msg={{ x }}\n", reference=False)


# -- read_document -------------------------------------------------------------------------------


def test_read_document_loads_the_text(tmp_path: Path) -> None:
    path = write(tmp_path / "a.yml", TASKS)
    document = api.read_document(path)
    assert (document.path, document.text, document.loadable, document.diagnostics) == (str(path), TASKS, True, [])
    assert document.root is not None and [item["copy"] for item in document.root.value[1:]] == ["src=a dest=b"]


def test_read_document_refuses_a_file_over_max_bytes(tmp_path: Path) -> None:
    path = write(tmp_path / "a.yml", "- ping:\n" * 10)
    document = api.read_document(path, max_bytes=79)
    assert (document.root, document.loadable) == (None, False)
    assert [(d.code, d.message) for d in document.diagnostics] == [
        ("Y007", "file is larger than the 79-byte limit (80 bytes)")]
    assert api.read_document(path, max_bytes=80).diagnostics == []


def test_read_document_of_a_directory_is_y000(tmp_path: Path) -> None:
    document = api.read_document(tmp_path)
    assert (document.root, document.loadable) == (None, False)
    assert [(d.code, d.path, d.message) for d in document.diagnostics] == [
        ("Y000", str(tmp_path), "cannot read file: Is a directory")]


# -- guess_kind and classify_document ------------------------------------------------------------


@pytest.mark.parametrize(("path", "text", "kind"), [
    ("roles/web/tasks/main.yml", "- ping:\n", "tasks"),
    ("roles/web/handlers/main.yml", "- name: restart\n  ping:\n", "handlers"),
    ("handlers/main.yml", "[]\n", "handlers"),  # an empty list in handlers/ is an empty handler file
    ("site.yml", "- hosts: all\n", "playbook"),
    ("roles/web/tasks/main.yml", "- hosts: all\n", "playbook"),  # a play is a play wherever it is
    ("setup.yml", "- import_playbook: other.yml\n", "playbook"),
    ("setup.yml", "- debug: msg=x\n- ping:\n", "tasks"),
    ("data.yml", "key: value\n", None),
    ("steps.yml", "- a\n- b\n", None),
    ("roles/web/vars/main.yml", "- ping:\n", None),
    ("requirements.yml", "- src: geerlingguy.java\n", None),
])
def test_guess_kind(path: str, text: str, kind: str | None) -> None:
    assert api.guess_kind(load_text(text, path)) == kind


@pytest.mark.parametrize(("path", "text", "reason"), [
    ("data.yml", "key: value\n", "not a list (playbooks, task files and handler files are YAML lists)"),
    ("steps.yml", "- a\n- b\n", "a list whose items are neither plays nor tasks"),
    ("roles/web/vars/main.yml", "- ping:\n", "in a data directory (vars/)"),
    ("requirements.yml", "- src: x\n", "a file of another tool (requirements.yml)"),
    ("empty.yml", "", "empty"),
    ("k8s.yml", "a: 1\n---\nb: 2\n", "a stream of 2 YAML documents, none of them Ansible content"),
])
def test_classify_document_says_why_a_file_is_not_ansible(path: str, text: str, reason: str) -> None:
    assert api.classify_document(load_text(text, path)) == (None, reason)


def test_classify_document_of_ansible_content_has_no_reason() -> None:
    assert api.classify_document(load_text(PLAY, "site.yml")) == ("playbook", None)
    # A stream of documents (Y005) is Ansible content when one of its documents is.
    assert api.classify_document(load_text("a: 1\n---\n- hosts: all\n", "two.yml")) == ("playbook", None)


def test_yaml_that_does_not_load_has_neither_kind_nor_reason() -> None:
    assert api.classify_document(load_text("- a: [\n", "broken.yml")) == (None, None)
    assert api.classify_document(load_text("- a: [\n", "roles/r/tasks/broken.yml")) == ("tasks", None)
