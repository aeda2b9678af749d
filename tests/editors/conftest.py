"""Fixtures of the editor tests: the Ansible language server from npm (tests/editors/package-lock.json),
shep's own executables, a copy of fixtures/editors/workspace, and the times from open to diagnostics
that the session measured (printed at the end of the run; nothing asserts a time)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conformance import toolchain
from tests.editors.lsp_client import LspClient

HERE = Path(__file__).resolve().parent
WORKSPACE = toolchain.REPO / "fixtures" / "editors" / "workspace"
SERVER_JS = Path("@ansible", "ansible-language-server", "out", "server", "src", "server.js")

# label -> milliseconds from didOpen (or didSave) to the publishDiagnostics that answered it
TIMINGS: dict[str, list[float]] = {}


def record_time(label: str, seconds: float) -> None:
    TIMINGS.setdefault(label, []).append(seconds * 1000)


@pytest.fixture(scope="session")
def language_server() -> list[str]:
    """The command that starts `@ansible/ansible-language-server` over stdio (node, npm ci once).

    Skips where node or npm is missing (fails under SHEP_CONFORMANCE_REQUIRE=1, as in CI)."""
    try:
        node = toolchain.tool("node")
        modules = toolchain.node_modules(HERE, "editors-npm")
    except toolchain.ToolMissing as missing:
        toolchain.skip_or_fail(f"the Ansible language server needs node and npm: {missing}")
    return [node, str(modules / SERVER_JS), "--stdio"]


def shep_executable() -> Path:
    """The `shep` script installed next to this Python: what an editor's setting names."""
    script = Path(sys.executable).parent / "shep"
    if not script.is_file():
        pytest.fail(f"{script} is not installed (pip install -e .)")
    return script


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A fresh copy of fixtures/editors/workspace (the did-save tests write to it)."""
    root = tmp_path / "workspace"
    shutil.copytree(WORKSPACE, root)
    return root


def lint_settings(lint_path: str) -> dict[str, Any]:
    """What an editor answers to the server's `workspace/configuration` (section `ansible`): the VS Code
    extension's `ansible.validation.lint.path` set to shep, validation on."""
    return {"ansible": {"validation": {"enabled": True, "lint": {"enabled": True, "path": lint_path,
                                                                 "arguments": ""}}}}


@pytest.fixture
def ansible_session(language_server: list[str], workspace: Path) -> Iterator[LspClient]:
    """The Ansible language server, initialized on the workspace, with lint.path = shep."""
    client = LspClient(language_server, cwd=workspace, settings=lint_settings(str(shep_executable())))
    try:
        client.initialize(workspace)
        yield client
    finally:
        client.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TIMINGS:
        return
    terminalreporter.section("editors: time from open or save to diagnostics (ms)")
    for label, times in TIMINGS.items():
        ordered = sorted(times)
        terminalreporter.write_line(f"{label}: {len(times)} files, median {ordered[len(ordered) // 2]:.0f}, "
                                    f"max {ordered[-1]:.0f}")
