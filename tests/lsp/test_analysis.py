"""shep.lsp.analysis: what the language server answers, from text alone (no pygls, no server)."""

from __future__ import annotations

import pytest

from shep.lsp.analysis import (
    BLOCK,
    HANDLER,
    IMPORT_PLAYBOOK,
    OPTIONS,
    PLAY,
    ROLE,
    TASK,
    completions,
    diagnose,
    fix_span,
    guess_kind,
    hover,
    place_at,
    suggestions,
)

PLAYBOOK = """\
---
- name: Web
  hosts: web
  become: true
  roles:
    - role: common
      tags: base
  pre_tasks:
    - name: Check
      ansible.builtin.ping:
  tasks:
    - name: Dir
      ansible.builtin.file:
        path: /srv
        state: directory
      tags:
      - one
      register: made

    - name: In a block
      block:
        - name: Inner
          ansible.builtin.copy:
            src: a
            dest: b
      rescue:
      - name: Flow
        ansible.builtin.debug: {msg: hi}
    - name: Args
      action: ansible.builtin.file
      args:
        path: /x
  handlers:
    - name: Restart
      ansible.builtin.service:
        name: nginx
      listen: web
- ansible.builtin.import_playbook: other.yml
"""
LINES = PLAYBOOK.split("\n")


def _at(needle: str, occurrence: int = 0) -> tuple[int, int]:
    """(line, column) of the start of ``needle`` in PLAYBOOK, 0-based."""
    rows = [(row, text.index(needle)) for row, text in enumerate(LINES) if needle in text]
    return rows[occurrence]


@pytest.mark.parametrize(("needle", "mapping", "module", "keys"), [
    ("name: Web", PLAY, None, {"name", "hosts", "become", "roles", "pre_tasks", "tasks", "handlers"}),
    ("become: true", PLAY, None, {"name", "hosts", "become", "roles", "pre_tasks", "tasks", "handlers"}),
    ("role: common", ROLE, None, {"role", "tags"}),
    ("name: Check", TASK, "ansible.builtin.ping", {"name", "ansible.builtin.ping"}),
    ("state: directory", OPTIONS, "ansible.builtin.file", {"path", "state"}),
    ("register: made", TASK, "ansible.builtin.file", {"name", "ansible.builtin.file", "tags", "register"}),
    ("name: In a block", BLOCK, None, {"name", "block", "rescue"}),
    ("name: Inner", TASK, "ansible.builtin.copy", {"name", "ansible.builtin.copy"}),
    ("dest: b", OPTIONS, "ansible.builtin.copy", {"src", "dest"}),
    ("name: Flow", TASK, "ansible.builtin.debug", {"name", "ansible.builtin.debug"}),
    ("path: /x", OPTIONS, "ansible.builtin.file", {"path"}),
    ("name: Restart", HANDLER, "ansible.builtin.service", {"name", "ansible.builtin.service", "listen"}),
    ("name: nginx", OPTIONS, "ansible.builtin.service", {"name"}),
    ("ansible.builtin.import_playbook", IMPORT_PLAYBOOK, None, {"ansible.builtin.import_playbook"}),
])
def test_the_place_of_a_key(needle: str, mapping: str, module: str | None, keys: set[str]) -> None:
    line, col = _at(needle)
    place = place_at(PLAYBOOK, line, col + 1, "playbook")
    assert (place.mapping, place.module, place.on_key) == (mapping, module, True)
    assert set(place.keys) | {place.word} == keys
    assert place.word == needle.split(":")[0] and place.start == col


def test_a_value_is_no_key_and_a_vars_mapping_is_nothing_shep_completes() -> None:
    line, col = _at("state: directory")
    assert not place_at(PLAYBOOK, line, col + len("state: dir"), "playbook").on_key
    text = "- hosts: all\n  vars:\n    port: 80\n"
    assert place_at(text, 2, 5, "playbook").mapping == ""


def test_the_kind_of_the_file_decides_what_a_top_level_item_is() -> None:
    text = "- name: t\n  ansible.builtin.ping:\n"
    assert place_at(text, 0, 3, "tasks").mapping == TASK
    assert place_at(text, 0, 3, "handlers").mapping == HANDLER
    assert place_at(text, 0, 3, "playbook").mapping == PLAY
    assert guess_kind("- hosts: all\n  tasks: [\n", "x/site.yml") == "playbook"
    assert guess_kind("- hosts: all\n", "roles/r/tasks/main.yml") == "tasks"
    assert guess_kind("- name: x\n", "a.yml") == "tasks"


def _labels(text: str, line: int, col: int, kind: str = "playbook") -> list[str]:
    items, _ = completions(text, line, col, kind)  # type: ignore[arg-type]
    return [item.label for item in items]


def test_completion_offers_the_keywords_of_the_context_not_yet_written() -> None:
    play = _labels("- hosts: all\n  \n", 1, 2)
    assert {"tasks", "gather_facts", "vars_files", "roles"} <= set(play)
    assert "hosts" not in play and "register" not in play and "ansible.builtin.copy" not in play
    task = _labels("- hosts: all\n  tasks:\n    - name: x\n      reg\n", 3, 9)
    assert {"register", "when", "loop", "ansible.builtin.copy"} <= set(task)
    assert "name" not in task and "listen" not in task and "hosts" not in task
    with_module = _labels("- name: x\n  ansible.builtin.ping:\n  \n", 2, 2, "tasks")
    assert "when" in with_module and not any(label.startswith("ansible.builtin.") for label in with_module)
    handler = _labels("- name: x\n  \n", 1, 2, "handlers")
    assert "listen" in handler
    block = _labels("- name: b\n  block:\n    - ansible.builtin.ping:\n  \n", 3, 2, "tasks")
    assert {"rescue", "always", "when"} <= set(block)
    assert "block" not in block and "register" not in block and "ansible.builtin.copy" not in block


def test_completion_offers_the_options_of_the_module() -> None:
    text = "- name: x\n  ansible.builtin.file:\n    path: /x\n    \n"
    options = _labels(text, 3, 4, "tasks")
    assert {"state", "mode", "owner", "recurse"} <= set(options)
    assert "path" not in options and "dest" not in options  # given, under its name or an alias
    assert not any(label.startswith("_") for label in options)  # internal options
    items, _ = completions(text, 3, 4, "tasks")
    state = next(item for item in items if item.label == "state")
    assert "choices: `absent`, `directory`" in state.detail
    aliased = "- name: x\n  copy:\n    dest: /x\n    \n"
    assert "dest" not in _labels(aliased, 3, 4, "tasks") and "src" in _labels(aliased, 3, 4, "tasks")


def test_hover_explains_keywords_modules_and_options() -> None:
    line, col = _at("become: true")
    found = hover(PLAYBOOK, line, col + 2, "playbook")
    assert found is not None
    text, start, end = found
    assert (start, end) == (col, col + len("become"))
    assert text.startswith("**become**: keyword of plays, blocks, tasks, handlers") and "type: bool" in text
    line, col = _at("ansible.builtin.file:")
    module = hover(PLAYBOOK, line, col, "playbook")
    assert module is not None and module[0].startswith("**ansible.builtin.file**: module")
    assert "- `path`: type: path; required; aliases: `dest`, `name`" in module[0]
    line, col = _at("state: directory")
    option = hover(PLAYBOOK, line, col, "playbook")
    assert option is not None and option[0] == (
        "**state**: option of `ansible.builtin.file`\n\n- type: str\n"
        "- choices: `absent`, `directory`, `file`, `hard`, `link`, `touch`")
    alias = hover("- copy:\n    dest: /x\n", 1, 5, "tasks")
    assert alias is not None and "alias of `dest`" not in alias[0] and "**dest**: option of `ansible.builtin.copy`" in alias[0]
    short = hover("- file:\n    name: /x\n", 1, 5, "tasks")
    assert short is not None and "alias of `path`" in short[0] and "required" in short[0]
    listen = hover(PLAYBOOK, *_at("listen: web"), "playbook")
    assert listen is not None and "keyword of handlers" in listen[0] and "not a keyword" not in listen[0]
    misplaced = hover("- name: x\n  listen: y\n  ansible.builtin.ping:\n", 1, 3, "tasks")
    assert misplaced is not None and misplaced[0].endswith("not a keyword of a task")


def test_hover_on_modules_shep_has_no_spec_for() -> None:
    found = hover("- name: x\n  community.general.ufw:\n    rule: allow\n", 1, 4, "tasks")
    assert found is not None and "community.general, which is not installed" in found[0]
    assert hover("- name: x\n  community.general.ufw:\n    rule: allow\n", 2, 5, "tasks") is None
    assert hover("- name: x\n  ansible.builtin.ping:\n", 0, 9, "tasks") is None  # a value


@pytest.mark.parametrize(("hint", "names"), [
    ("did you mean 'mode'?", ["mode"]),
    ("'whenn' is not a module but a misspelt keyword: did you mean 'when'?", ["when"]),
    ("did you mean 'ansible.builtin.copy'? (ansible-core fails when it loads the task)", ["ansible.builtin.copy"]),
    ("a library may provide it; did you mean 'copy', 'ping'?", ["copy", "ping"]),
    ("one of: a, b", []),
    (None, []),
])
def test_suggestions_of_a_hint(hint: str | None, names: list[str]) -> None:
    assert suggestions(hint) == names


@pytest.mark.parametrize(("line", "suggestion", "span"), [
    ("        mdoe: \"0755\"", "mode", (8, 12)),
    ("  ansible.builtin.meta: flush_handler", "flush_handlers", (24, 37)),
    ("      whenn: inventory_hostname == 'web1'", "when", (6, 11)),
    ("      ansible.builtin.copyy:", "ansible.builtin.copy", (6, 27)),
    ("      path: /x", "recurse", None),  # nothing on the line is close
])
def test_the_word_a_fix_replaces(line: str, suggestion: str, span: tuple[int, int] | None) -> None:
    assert fix_span(line, suggestion) == span


def test_diagnose_reads_the_text_not_the_file(tmp_path: object) -> None:
    result = diagnose("- name: x\n  ansible.builtin.file:\n    path: /x\n    state: directroy\n",
                      "/nowhere/roles/r/tasks/main.yml")
    assert result.kind == "tasks"
    assert [(d.code, d.span.line, d.span.col, d.span.end_line, d.span.end_col) for d in result.diagnostics] == [
        ("V023", 4, 5, 4, 10)]


def test_installed_collections_in_diagnostics_and_hover(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import FIXTURES

    text = "- acme.demo.thing:\n    nmae: web\n"
    assert [d.code for d in diagnose(text, "/nowhere/tasks/main.yml").diagnostics] == ["V040"]
    monkeypatch.setenv("ANSIBLE_COLLECTIONS_PATH", str(FIXTURES / "collections"))  # installed meanwhile
    assert [(d.code, str(d.severity)) for d in diagnose(text, "/nowhere/tasks/main.yml").diagnostics] == [
        ("V025", "warning"), ("V022", "warning")]
    found = hover(text, 0, 5, "tasks")
    assert found is not None and "`name`" in found[0] and "`state`" in found[0]

