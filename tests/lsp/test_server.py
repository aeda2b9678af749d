"""`shep lsp` end to end: the command started as an editor starts it, spoken to over stdio by the
stock client of tests/editors/lsp_client.py (not pygls's), on fixtures/editors/workspace."""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.editors.conftest import WORKSPACE, record_time
from tests.editors.lsp_client import LspClient

pytest.importorskip("pygls", reason="shep lsp needs the lsp extra (pip install -e '.[lsp]')")

ERROR, WARNING = 1, 2
COMMAND = [sys.executable, "-m", "shep", "lsp", "--stdio"]

# path -> (line, column, end line, end column, code, severity), 1-based with the end exclusive, as shep's spans
EXPECTED = {
    "site.yml": [
        (9, 9, 9, 14, "V023", ERROR),
        (10, 9, 10, 13, "V022", ERROR),
        (13, 7, 13, 28, "V019", ERROR),
        (20, 7, 20, 12, "D001", ERROR),
        (23, 7, 23, 18, "V033", WARNING),
    ],
    "roles/web/tasks/main.yml": [
        (5, 5, 5, 10, "V023", ERROR),
        (12, 3, 12, 15, "V014", ERROR),
        (15, 3, 15, 23, "V018", ERROR),
    ],
    "broken.yml": [(8, 8, 8, 9, "Y001", ERROR)],
}
CLEAN = ("roles/web/handlers/main.yml", "playbooks/deploy.yml", "group_vars/all.yml")


def _positions(diagnostics: list[dict[str, Any]]) -> list[tuple[int, int, int, int, str, int]]:
    assert all(d["source"] == "shep" for d in diagnostics)
    return [(d["range"]["start"]["line"] + 1, d["range"]["start"]["character"] + 1, d["range"]["end"]["line"] + 1,
             d["range"]["end"]["character"] + 1, d["code"], d["severity"]) for d in diagnostics]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "workspace"
    shutil.copytree(WORKSPACE, root)
    return root


@pytest.fixture
def session(workspace: Path) -> Iterator[LspClient]:
    client = LspClient(COMMAND, cwd=workspace, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        capabilities = client.initialize(workspace)["capabilities"]
        assert capabilities["hoverProvider"] is True
        assert capabilities["completionProvider"]["resolveProvider"] is True
        assert capabilities["codeActionProvider"]["codeActionKinds"] == ["quickfix"]
        assert capabilities["textDocumentSync"]["change"] == 2  # incremental
        yield client
    finally:
        assert client.close() == 0, client.stderr()


def _open(client: LspClient, path: Path, text: str | None = None) -> tuple[str, list[dict[str, Any]]]:
    mark = client.mark()
    started = time.perf_counter()
    uri = client.open(path, text)
    arrived, diagnostics = client.diagnostics(uri, after=mark)
    first = not any(m.get("method") == "textDocument/publishDiagnostics" for _, m in client.notifications[:mark])
    record_time("shep lsp, first didOpen of a session (start-up imports)" if first else "shep lsp, didOpen",
                arrived - started)
    return uri, diagnostics


def test_diagnostics_with_full_ranges_and_none_on_clean_files(session: LspClient, workspace: Path) -> None:
    for relative, expected in EXPECTED.items():
        _, diagnostics = _open(session, workspace / relative)
        assert _positions(diagnostics) == expected, relative
    for relative in CLEAN:
        assert _open(session, workspace / relative)[1] == [], relative
    odd = workspace / "roles" / "a b+c" / "tasks" / "main.yml"  # a URI with escapes (%20, %2B)
    odd.parent.mkdir(parents=True)
    uri, diagnostics = _open(session, odd, "- ansible.builtin.file:\n    path: /x\n    state: directroy\n")
    assert "%20" in uri and "%2B" in uri
    assert _positions(diagnostics) == [(3, 5, 3, 10, "V023", ERROR)]
    _, site = _open(session, workspace / "site.yml")
    assert site[1]["message"] == "Unsupported parameters for (ansible.builtin.file) module: mdoe (hint: did you mean 'mode'?)"
    assert site[0]["codeDescription"]["href"].endswith("#v023-module-option-choice")


def test_the_buffer_is_validated_not_the_file_on_disk(session: LspClient, workspace: Path) -> None:
    path = workspace / "site.yml"
    fixed = path.read_text(encoding="utf-8").replace("directroy", "directory")
    uri, diagnostics = _open(session, path, fixed)
    assert [d["code"] for d in diagnostics] == ["V022", "V019", "D001", "V033"]
    # An incremental change, as an editor sends one per keystroke: "mdoe" becomes "mode".
    mark = session.mark()
    session.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": {"start": {"line": 9, "character": 8}, "end": {"line": 9, "character": 12}},
                            "text": "mode"}]})
    _, published = session.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics", after=mark)
    assert published["params"]["version"] == 2
    assert [d["code"] for d in published["params"]["diagnostics"]] == ["V019", "D001", "V033"]


def test_typing_is_debounced_into_one_validation_of_the_last_text(session: LspClient, workspace: Path) -> None:
    path = workspace / "playbooks" / "deploy.yml"
    uri, diagnostics = _open(session, path)
    assert diagnostics == []
    good = path.read_text(encoding="utf-8")
    mark = session.mark()
    started = time.perf_counter()
    typed = ""
    for version, letter in enumerate("remote_scr", start=2):  # a key typed letter by letter
        typed += letter
        session.change(uri, version, good.replace("remote_src", typed))
    arrived, published = session.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics",
                                          after=mark)
    record_time("shep lsp, last keystroke (debounced)", arrived - started)
    assert published["params"]["version"] == 11  # the last text, and no validation of the ones before
    assert _positions(published["params"]["diagnostics"]) == [(19, 9, 19, 19, "V022", ERROR)]
    time.sleep(0.5)
    assert [m for _, m in session.notifications[session.mark() - 1:] if m is not published] == []


def test_save_validates_and_close_clears(session: LspClient, workspace: Path) -> None:
    uri, diagnostics = _open(session, workspace / "roles" / "web" / "tasks" / "main.yml")
    assert len(diagnostics) == 3
    (workspace / "roles" / "web" / ".shep.yml").write_text("ignore: [V014]\n", encoding="utf-8")
    mark = session.mark()
    session.save(uri)  # the configuration nearest the file changed: read again
    _, saved = session.diagnostics(uri, after=mark)
    assert [d["code"] for d in saved] == ["V023", "V018"]
    mark = session.mark()
    session.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert session.diagnostics(uri, after=mark)[1] == []


def test_positions_are_in_utf16_code_units(session: LspClient, workspace: Path) -> None:
    text = '- {name: "😀 é", ansible.builtin.file: {path: /x, statee: file}}\n'
    uri, diagnostics = _open(session, workspace / "tasks.yml", text)
    column = text.index("statee")
    utf16 = len(text[:column].encode("utf-16-le")) // 2
    assert utf16 == column + 1  # the emoji is two UTF-16 code units
    assert [(d["code"], d["range"]["start"], d["range"]["end"]) for d in diagnostics] == [
        ("V022", {"line": 0, "character": utf16}, {"line": 0, "character": utf16 + 6})]
    hovered = session.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                     "position": {"line": 0, "character": utf16 + 2}})
    assert hovered is None  # statee is no option of file; shep says nothing rather than guess


def _hover(client: LspClient, uri: str, line: int, character: int) -> dict[str, Any]:
    found: dict[str, Any] = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                                  "position": {"line": line, "character": character}})
    return found


def test_hover_on_keywords_modules_and_options(session: LspClient, workspace: Path) -> None:
    uri, _ = _open(session, workspace / "site.yml")
    become = _hover(session, uri, 3, 4)
    assert become["contents"]["kind"] == "markdown"
    assert become["contents"]["value"].startswith("**become**: keyword of plays, blocks, tasks, handlers")
    assert become["range"] == {"start": {"line": 3, "character": 2}, "end": {"line": 3, "character": 8}}
    module = _hover(session, uri, 6, 10)["contents"]["value"]
    assert module.startswith("**ansible.builtin.file**: module, options:")
    assert "- `state`: type: str; choices: `absent`, `directory`, `file`, `hard`, `link`, `touch`" in module
    option = _hover(session, uri, 7, 9)
    assert option["contents"]["value"] == ("**path**: option of `ansible.builtin.file`\n\n- type: path\n- required\n"
                                           "- aliases: `dest`, `name`")
    assert option["range"] == {"start": {"line": 7, "character": 8}, "end": {"line": 7, "character": 12}}
    assert session.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": {"line": 7, "character": 16}}) is None  # a value


def _complete(client: LspClient, uri: str, line: int, character: int) -> dict[str, dict[str, Any]]:
    found = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                       "position": {"line": line, "character": character}})
    return {item["label"]: item for item in (found or {"items": []})["items"]}


def test_completion_by_context(session: LspClient, workspace: Path) -> None:
    text = ("- name: Play\n  hosts: all\n  \n  tasks:\n    - name: t\n      ansible.builtin.file:\n        path: /x\n"
            "        \n    - name: b\n      block:\n        - ansible.builtin.ping:\n      \n      \n"
            "  handlers:\n    - name: h\n      \n")
    uri, _ = _open(session, workspace / "typing.yml", text)
    play = _complete(session, uri, 2, 2)
    assert {"pre_tasks", "gather_facts", "roles"} <= set(play)
    assert not {"hosts", "tasks", "handlers", "register", "listen"} & set(play)  # written, or not of a play
    assert play["gather_facts"]["kind"] == 14  # Keyword
    assert play["gather_facts"]["textEdit"] == {
        "range": {"start": {"line": 2, "character": 2}, "end": {"line": 2, "character": 2}}, "newText": "gather_facts: "}
    options = _complete(session, uri, 7, 8)
    assert {"state", "mode", "owner"} <= set(options) and "path" not in options and "dest" not in options
    assert options["state"]["kind"] == 10  # Property
    block = _complete(session, uri, 11, 6)
    assert {"rescue", "always", "when"} <= set(block) and not {"register", "block"} & set(block)
    handler = _complete(session, uri, 15, 6)
    assert {"listen", "register", "ansible.builtin.service"} <= set(handler)
    module = handler["ansible.builtin.service"]
    assert module["kind"] == 9 and "documentation" not in module  # Module; its options come on resolve
    resolved = session.request("completionItem/resolve", handler["ansible.builtin.systemd"])
    assert resolved["documentation"]["value"].startswith("**ansible.builtin.systemd**: module, options:")
    assert "- `state`: type: str; choices: `reloaded`, `restarted`, `started`, `stopped`" in \
        resolved["documentation"]["value"]
    unchecked = session.request("completionItem/resolve", module)["documentation"]["value"]
    assert unchecked == "**ansible.builtin.service**: module\n\nits options are not checked statically (pass_through)"


def _fixes(client: LspClient, uri: str, diagnostic: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}}) or []
    assert all(a["kind"] == "quickfix" and a["diagnostics"] == [diagnostic] for a in actions)
    return [(a["title"], edit) for a in actions for edit in a["edit"]["changes"][uri]]


def test_quick_fixes_for_did_you_mean_hints(session: LspClient, workspace: Path) -> None:
    uri, site = _open(session, workspace / "site.yml")
    by_code = {d["code"]: d for d in site}
    assert _fixes(session, uri, by_code["V022"]) == [("Replace 'mdoe' with 'mode'", {
        "range": {"start": {"line": 9, "character": 8}, "end": {"line": 9, "character": 12}}, "newText": "mode"})]
    assert _fixes(session, uri, by_code["D001"]) == [("Replace 'whenn' with 'when'", {
        "range": {"start": {"line": 19, "character": 6}, "end": {"line": 19, "character": 11}}, "newText": "when"})]
    assert _fixes(session, uri, by_code["V019"]) == [("Replace 'ansible.builtin.copyy' with 'ansible.builtin.copy'", {
        "range": {"start": {"line": 12, "character": 6}, "end": {"line": 12, "character": 27}},
        "newText": "ansible.builtin.copy"})]
    assert _fixes(session, uri, by_code["V023"]) == []  # no hint
    tasks_uri, tasks = _open(session, workspace / "roles" / "web" / "tasks" / "main.yml")
    meta = next(d for d in tasks if d["code"] == "V018")  # the span is the key, the misspelling its value
    assert _fixes(session, tasks_uri, meta) == [("Replace 'flush_handler' with 'flush_handlers'", {
        "range": {"start": {"line": 14, "character": 24}, "end": {"line": 14, "character": 37}},
        "newText": "flush_handlers"})]


def test_without_the_extra_shep_lsp_says_what_to_install(tmp_path: Path) -> None:
    import subprocess

    (tmp_path / "pygls").mkdir()
    (tmp_path / "pygls" / "__init__.py").write_text("raise ModuleNotFoundError(\"No module named 'pygls'\", name='pygls')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run([sys.executable, "-m", "shep", "lsp"], capture_output=True, text=True, env=env,
                            stdin=subprocess.DEVNULL, timeout=60, check=False)
    assert result.returncode == 2 and result.stdout == ""
    assert "pip install 'shep[lsp]'" in result.stderr and "pygls" in result.stderr
