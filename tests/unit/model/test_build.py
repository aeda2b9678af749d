"""Model building: block vs task, sections, handlers, plays, unset vs explicit values, positions."""

from __future__ import annotations

import pytest

from shep import parse
from shep._records import fields
from shep.diagnostics import Span
from shep.keywords import KEYWORDS, Context, keywords_for
from shep.model import Play, Playbook, Task, TaskFile, field_name


def tasks_of(text: str, kind: str = "tasks") -> TaskFile:
    model = parse(text, kind, f"{kind}.yml")  # type: ignore[arg-type]
    assert isinstance(model, TaskFile)
    return model


def test_block_rescue_always_nested_with_paths() -> None:
    model = tasks_of(
        "- block:\n    - debug: msg=a\n    - block:\n        - ping:\n  rescue:\n    - fail:\n  always:\n    - meta: noop\n"
    )
    [block] = model.tasks
    assert block.is_block and block.action is None
    assert [t.doc_path for t in model.all_tasks()] == [
        "tasks[0]", "tasks[0].block[0]", "tasks[0].block[1]", "tasks[0].block[1].block[0]",
        "tasks[0].rescue[0]", "tasks[0].always[0]",
    ]
    inner = block.block_tasks[1]
    assert inner.is_block and inner.block_tasks[0].action == "ping"
    assert block.rescue_tasks[0].action == "fail" and block.always_tasks[0].free_form_args == "noop"


def test_rescue_only_is_a_block_at_top_but_a_task_inside_a_block() -> None:
    model = tasks_of("- rescue:\n    - debug:\n- block:\n    - rescue:\n        - debug:\n")
    top, outer = model.tasks
    assert top.is_block and [d.code for d in model.diagnostics][0] == "M003"
    inner = outer.block_tasks[0]
    assert not inner.is_block and inner.error == "unexpected parameter type in action: <class 'list'>"


def test_null_items_dropped_at_top_but_not_inside_blocks() -> None:
    model = tasks_of("- ~\n- debug:\n- block:\n    -\n")
    assert [t.doc_path for t in model.all_tasks()] == ["tasks[1]", "tasks[2]", "tasks[2].block[0]"]
    assert model.tasks[1].block_tasks[0].malformed


def test_handlers_and_listen() -> None:
    model = tasks_of("- name: restart\n  service: name=x state=restarted\n  listen: web\n", "handlers")
    [handler] = model.tasks
    assert handler.is_handler and handler.listen == "web" and handler.args == {"name": "x", "state": "restarted"}
    assert model.diagnostics == ()


def test_block_inside_a_handler_block_is_rejected_top_level_block_is_not() -> None:
    model = tasks_of("- block:\n    - debug:\n    - block:\n        - debug:\n", "handlers")
    assert [(d.code, d.line, d.col) for d in model.diagnostics] == [("M004", 3, 7)]


def test_unset_is_distinct_from_false_zero_and_null() -> None:
    model = tasks_of("- debug:\n  become: no\n  retries: 0\n  name: ~\n- debug:\n")
    first, second = model.tasks
    assert first.become is False and first.retries == 0 and first.name is None and "name" in first.keys
    assert second.become is None and second.retries is None and "name" not in second.keys


def test_every_task_keyword_lands_in_its_field() -> None:
    task_keywords = keywords_for(Context.TASK) | keywords_for(Context.HANDLER)
    lines = [f"  {k}: v_{k}\n" for k in sorted(task_keywords - {"action", "args"})]
    model = tasks_of("- debug:\n" + "".join(lines), "handlers")
    [task] = model.tasks
    for keyword in task_keywords - {"action", "args"}:
        assert getattr(task, field_name(keyword)) == f"v_{keyword}", keyword
    assert task.extra == {}


def test_model_fields_cover_the_keyword_table() -> None:
    task_fields = {f.name for f in fields(Task)}
    play_fields = {f.name for f in fields(Play)}
    for keyword in KEYWORDS.values():
        name = field_name(keyword.name)
        if keyword.contexts & (Context.TASK | Context.HANDLER):
            assert name in task_fields, keyword.name
        if keyword.contexts & Context.BLOCK:
            assert name in task_fields or f"{name}_tasks" in task_fields, keyword.name
        if keyword.contexts & (Context.PLAY | Context.IMPORT_PLAYBOOK):
            assert name in play_fields, keyword.name


def test_with_loop_and_local_action() -> None:
    model = tasks_of("- local_action: copy src=a dest=b\n  with_items: [1, 2]\n")
    [task] = model.tasks
    assert (task.action, task.args, task.delegated_to) == ("copy", {"src": "a", "dest": "b"}, "localhost")
    assert (task.loop_with, task.loop_with_value, task.delegate_to) == ("items", [1, 2], None)


def test_playbook_sections_imports_and_positions() -> None:
    text = (
        "- import_playbook: other.yml\n  when: x\n"
        "- hosts: all\n  pre_tasks:\n    - ping:\n  tasks:\n    - shell: echo hi\n"
        "  post_tasks: ~\n  handlers:\n    - name: h\n      debug:\n  roles: [common]\n"
    )
    model = parse(text, "playbook", "site.yml")
    assert isinstance(model, Playbook)
    imported, play = model.plays
    assert imported.is_import and imported.import_playbook == "other.yml" and imported.when == "x"
    assert play.hosts == "all" and play.roles == ["common"] and play.post_tasks == ()
    assert [t.doc_path for t in model.tasks()] == [
        "plays[1].pre_tasks[0]", "plays[1].tasks[0]", "plays[1].handlers[0]"]
    assert play.handlers[0].is_handler and not play.tasks[0].is_handler
    assert play.tasks[0].span == Span(7, 7, 7, 21)
    assert play.key_span("tasks") == Span(6, 3, 6, 8)


@pytest.mark.parametrize(("text", "code"), [
    ("a: 1\n", "M005"), ("- just text\n", "M005"), ("", "M007"), ("- hosts: x\n  tasks: {a: 1}\n", "M002"),
    ("- hosts: x\n  user: a\n  remote_user: b\n", "M008"),
])
def test_playbook_shape_problems(text: str, code: str) -> None:
    model = parse(text, "playbook", "p.yml")
    assert code in [d.code for d in model.diagnostics]


def test_keyword_table_matches_ansible_attributes() -> None:
    """The table mirrors ansible-core's own attribute lists (checked when ansible-core is installed)."""
    playbook = pytest.importorskip("ansible.playbook", reason="needs ansible-core (the `oracle` extra)")
    del playbook
    from ansible.playbook.block import Block
    from ansible.playbook.handler import Handler
    from ansible.playbook.play import Play as AnsiblePlay
    from ansible.playbook.playbook_include import PlaybookInclude
    from ansible.playbook.role.include import RoleInclude
    from ansible.playbook.task import Task as AnsibleTask

    for context, cls in ((Context.TASK, AnsibleTask), (Context.HANDLER, Handler), (Context.BLOCK, Block),
                         (Context.PLAY, AnsiblePlay), (Context.IMPORT_PLAYBOOK, PlaybookInclude),
                         (Context.ROLE, RoleInclude)):
        ours = keywords_for(context) - {"user"}
        assert ours == set(cls.fattributes), context


@pytest.mark.parametrize(("text", "hint"), [
    ("- copy: src=a dest=b\n  whn: x\n", "'whn' is not a module but a misspelt keyword: did you mean 'when'?"),
    ("- regster: out\n  command: id\n", "'regster' is not a module but a misspelt keyword: did you mean 'register'?"),
    ("- command: id\n  ignor_erors: true\n", None),  # two edits away: no guess
    ("- command: id\n  ignore_erorrs: true\n", "'ignore_erorrs' is not a module but a misspelt keyword: did you mean 'ignore_errors'?"),
    ("- command: id\n  wehn: x\n", "'wehn' is not a module but a misspelt keyword: did you mean 'when'?"),
    ("- command: id\n  whenn: x\n", "'whenn' is not a module but a misspelt keyword: did you mean 'when'?"),
    ("- command: id\n  shell: id\n", None),
])
def test_conflicting_actions_hint_at_a_misspelt_keyword(text: str, hint: str | None) -> None:
    [found] = [d for d in parse(text, "tasks").diagnostics if d.code == "D001"]
    assert found.hint == hint
