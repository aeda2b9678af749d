"""shep as the linter of the real Ansible language server (`@ansible/ansible-language-server` from npm),
driven over stdio as an editor drives it: `initialize` with the workspace folder, `workspace/configuration`
answered with `ansible.validation.lint.path` = the shep of this environment, `didOpen`, `didSave`, and the
`textDocument/publishDiagnostics` the server sends back.

The server runs `command -v <lint.path>`, then `<lint.path> [-c .ansible-lint] --offline --nocolor -f
codeclimate "<file>"` through /bin/sh in the workspace folder (the workspace has an `.ansible-lint` that
shep must pass over), and turns each item of the JSON array into a diagnostic at `lines.begin` (its range
runs to the end of that line), `major` an error and `minor` a warning. Every expected diagnostic is
checked at its line and column; the held-out clean files must get none.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.editors.conftest import record_time
from tests.editors.lsp_client import LspClient, file_uri

ERROR, WARNING = 1, 2

# path -> (line, column, code, severity, a word of the message), 1-based as shep prints them
EXPECTED: dict[str, list[tuple[int, int, str, int, str]]] = {
    "site.yml": [
        (9, 9, "V023", ERROR, "got: directroy"),
        (10, 9, "V022", ERROR, "did you mean 'mode'?"),
        (13, 7, "V019", ERROR, "ansible.builtin.copyy"),
        (20, 7, "D001", ERROR, "did you mean 'when'?"),
        (23, 7, "V033", WARNING, "deploy_site"),
    ],
    "roles/web/tasks/main.yml": [
        (5, 5, "V023", ERROR, "got: presnt"),
        (12, 3, "V014", ERROR, "loop_control"),
        (15, 3, "V018", ERROR, "did you mean 'flush_handlers'?"),
    ],
    "broken.yml": [
        (8, 8, "Y001", ERROR, "did not find expected key"),
    ],
}
# Held out: Ansible content without a problem, and YAML that is not Ansible content (skipped: none).
CLEAN = ("roles/web/handlers/main.yml", "playbooks/deploy.yml", "group_vars/all.yml")
DOC_ANCHORS = {"V023": "#v023-module-option-choice", "Y001": "#y001-yaml-syntax"}


def _shep_diagnostics(diagnostics: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The diagnostics that came from the linter (the server adds its own YAML parser's, source `Ansible [YAML]`)."""
    assert {d["source"] for d in diagnostics} <= {"ansible-lint", "Ansible [YAML]"}
    return [d for d in diagnostics if d["source"] == "ansible-lint"]


def _open(client: LspClient, root: Path, relative: str) -> list[dict[str, Any]]:
    mark = client.mark()
    started = time.perf_counter()
    uri = client.open(root / relative)
    arrived, diagnostics = client.diagnostics(uri, after=mark)
    record_time("Ansible language server + shep drop-in, didOpen", arrived - started)
    return diagnostics


def _problems_shown(client: LspClient) -> list[str]:
    """Error and warning pop-ups the server raised (a linter it cannot run or whose output it cannot read)."""
    return [m["params"]["message"] for _, m in client.notifications
            if m.get("method") == "window/showMessage" and m["params"]["type"] in (1, 2)]


@pytest.mark.parametrize("relative", sorted(EXPECTED))
def test_every_expected_diagnostic_at_its_line_and_column(ansible_session: LspClient, workspace: Path,
                                                          relative: str) -> None:
    found = _shep_diagnostics(_open(ansible_session, workspace, relative))
    assert [(d["range"]["start"]["line"] + 1, d["range"]["start"]["character"] + 1, d["code"], d["severity"])
            for d in found] == [(line, col, code, severity) for line, col, code, severity, _ in EXPECTED[relative]]
    for diagnostic, (line, _, code, _, words) in zip(found, EXPECTED[relative]):
        assert words in diagnostic["message"], diagnostic
        assert diagnostic["range"]["end"]["line"] == line - 1  # the server's range: to the end of the line
        if code in DOC_ANCHORS:
            assert diagnostic["codeDescription"]["href"].endswith(DOC_ANCHORS[code])
    assert _problems_shown(ansible_session) == []


def test_the_held_out_clean_files_get_no_diagnostic(ansible_session: LspClient, workspace: Path) -> None:
    for relative in CLEAN:
        assert _open(ansible_session, workspace, relative) == [], relative
    assert _problems_shown(ansible_session) == []


def test_a_save_lints_the_file_again(ansible_session: LspClient, workspace: Path) -> None:
    """The did-save path: the server lints the file on disk again, and a fix clears the diagnostics."""
    relative = "playbooks/deploy.yml"
    path = workspace / relative
    assert _open(ansible_session, workspace, relative) == []
    good = path.read_text(encoding="utf-8")
    uri = file_uri(path)
    for version, text, expected in (
        (2, good.replace("mode: \"0644\"", "mode: \"0644\"\n        force: maybe").replace(
            "remote_src: true", "remote_scr: true"),
         [(13, 9, "V024", ERROR), (20, 9, "V022", ERROR)]),
        (3, good, []),
    ):
        path.write_text(text, encoding="utf-8")
        mark = ansible_session.mark()
        ansible_session.change(uri, version, text)
        # The server answers a change from its cache (no linter run): wait for that before saving.
        ansible_session.diagnostics(uri, after=mark)
        mark = ansible_session.mark()
        started = time.perf_counter()
        ansible_session.save(uri)
        arrived, diagnostics = ansible_session.diagnostics(uri, after=mark)
        record_time("Ansible language server + shep drop-in, didSave", arrived - started)
        assert [(d["range"]["start"]["line"] + 1, d["range"]["start"]["character"] + 1, d["code"], d["severity"])
                for d in _shep_diagnostics(diagnostics)] == expected
