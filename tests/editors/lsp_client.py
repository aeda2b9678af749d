"""A small language-server client over stdio, as an editor is one: JSON-RPC 2.0 framed by
``Content-Length`` headers, requests answered by id, the server's own requests answered the way
VS Code answers them (``workspace/configuration`` from the settings given, registrations and
progress tokens accepted), notifications kept in arrival order.

Written here rather than taken from pytest-lsp: the same client drives the Ansible language server
(node) and ``shep lsp`` (pygls), synchronously and without an asyncio plugin in the test run, and a
client that does not share pygls's code cannot share its mistakes when it checks shep's server.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, unquote, urlparse


def file_uri(path: str | os.PathLike[str]) -> str:
    return "file://" + quote(os.path.abspath(os.fspath(path)).replace(os.sep, "/"))


def uri_path(uri: str) -> str:
    return unquote(urlparse(uri).path)


class ServerError(Exception):
    """The server answered a request with an error."""


class LspClient:
    """One server process. ``settings`` answers ``workspace/configuration``: the value of each item's
    section (``{"ansible": {...}}`` answers section ``ansible``), or None when there is none."""

    def __init__(self, command: Sequence[str], *, cwd: Path, settings: dict[str, Any] | None = None,
                 env: dict[str, str] | None = None) -> None:
        self.settings = settings or {}
        self._stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen(list(command), cwd=cwd, env=env, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self._stderr)
        self._write_lock = threading.Lock()
        self._changed = threading.Condition()
        self._responses: dict[int, dict[str, Any]] = {}
        self.notifications: list[tuple[float, dict[str, Any]]] = []  # (time.perf_counter() at arrival, message)
        self.server_requests: list[dict[str, Any]] = []
        self._next_id = 0
        self._closed = False
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    # -- the wire --------------------------------------------------------------------------------------

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        with self._write_lock:
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def _read_message(self, stream: IO[bytes]) -> dict[str, Any] | None:
        length = None
        while True:
            line = stream.readline()
            if not line:
                return None
            line = line.strip()
            if not line:
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.lower() == "content-length":
                length = int(value.strip())
        if length is None:
            raise ValueError("a message without Content-Length")
        message: dict[str, Any] = json.loads(stream.read(length))
        return message

    def _read_loop(self) -> None:
        assert self.process.stdout is not None
        while True:
            try:
                message = self._read_message(self.process.stdout)
            except (ValueError, OSError):
                message = None
            if message is None:
                with self._changed:
                    self._closed = True
                    self._changed.notify_all()
                return
            if "id" in message and "method" in message:
                self._answer(message)
                continue
            with self._changed:
                if "id" in message:
                    self._responses[message["id"]] = message
                else:
                    self.notifications.append((time.perf_counter(), message))
                self._changed.notify_all()

    def _answer(self, request: dict[str, Any]) -> None:
        """What VS Code answers to the server's requests."""
        self.server_requests.append(request)
        method, params = request["method"], request.get("params") or {}
        result: Any = None
        if method == "workspace/configuration":
            result = [self.settings.get(item.get("section", ""), None) for item in params.get("items", [])]
        elif method == "workspace/workspaceFolders":
            result = []
        try:
            self._send({"id": request["id"], "result": result})
        except (BrokenPipeError, OSError):
            pass

    # -- requests and notifications --------------------------------------------------------------------

    def request(self, method: str, params: Any, timeout: float = 60) -> Any:
        self._next_id += 1
        number = self._next_id
        self._send({"id": number, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        with self._changed:
            while number not in self._responses:
                if self._closed:
                    raise ServerError(f"{method}: the server closed its output{self._stderr_tail()}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{method}: no answer in {timeout} s{self._stderr_tail()}")
                self._changed.wait(left)
            response = self._responses.pop(number)
        if "error" in response:
            raise ServerError(f"{method}: {response['error']}")
        return response.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def mark(self) -> int:
        """A bookmark in the notifications: wait_for(after=mark) sees only those that arrive later."""
        with self._changed:
            return len(self.notifications)

    def wait_for(self, accept: Callable[[dict[str, Any]], bool], *, after: int = 0,
                 timeout: float = 60) -> tuple[float, dict[str, Any]]:
        """The first notification since ``after`` that ``accept`` takes, with its arrival time."""
        deadline = time.monotonic() + timeout
        index = after
        with self._changed:
            while True:
                while index < len(self.notifications):
                    arrived, message = self.notifications[index]
                    index += 1
                    if accept(message):
                        return arrived, message
                if self._closed:
                    raise ServerError(f"the server closed its output{self._stderr_tail()}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no such notification in {timeout} s{self._stderr_tail()}")
                self._changed.wait(left)

    def diagnostics(self, uri: str, *, after: int = 0, timeout: float = 60) -> tuple[float, list[dict[str, Any]]]:
        """The next ``textDocument/publishDiagnostics`` for ``uri`` since ``after``: arrival time, diagnostics."""
        arrived, message = self.wait_for(
            lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri,
            after=after, timeout=timeout)
        diagnostics: list[dict[str, Any]] = message["params"]["diagnostics"]
        return arrived, diagnostics

    # -- an editor's session ---------------------------------------------------------------------------

    def initialize(self, root: Path, *, options: dict[str, Any] | None = None) -> dict[str, Any]:
        """``initialize`` with one workspace folder and VS Code's capabilities that matter here."""
        capabilities = {
            "workspace": {"configuration": True, "workspaceFolders": True,
                          "didChangeConfiguration": {"dynamicRegistration": True}},
            "textDocument": {
                "synchronization": {"didSave": True, "dynamicRegistration": True},
                "publishDiagnostics": {"relatedInformation": True, "codeDescriptionSupport": True},
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "completion": {"completionItem": {"snippetSupport": False}},
                "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}},
            },
            "general": {"positionEncodings": ["utf-16"]},
        }
        result: dict[str, Any] = self.request("initialize", {
            "processId": os.getpid(), "rootUri": file_uri(root), "rootPath": str(root),
            "workspaceFolders": [{"uri": file_uri(root), "name": root.name}],
            "capabilities": capabilities, "initializationOptions": options,
        })
        self.notify("initialized", {})
        return result

    def open(self, path: Path, text: str | None = None, language: str = "ansible", version: int = 1) -> str:
        uri = file_uri(path)
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": language, "version": version,
            "text": path.read_text(encoding="utf-8") if text is None else text}})
        return uri

    def change(self, uri: str, version: int, text: str) -> None:
        """A whole-document change (every server accepts one, whatever sync kind it asked for)."""
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [{"text": text}]})

    def save(self, uri: str) -> None:
        self.notify("textDocument/didSave", {"textDocument": {"uri": uri}})

    def close(self, timeout: float = 20) -> int | None:
        """``shutdown`` and ``exit`` as an editor ends a session; the exit status (killed if it hangs)."""
        try:
            if self.process.poll() is None:
                self.request("shutdown", None, timeout=timeout)
                self.notify("exit", None)
        except (ServerError, TimeoutError, BrokenPipeError, OSError):
            pass
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None
        finally:
            self._stderr.close()
            for stream in (self.process.stdin, self.process.stdout):
                if stream is not None:
                    stream.close()

    def stderr(self) -> str:
        """What the server wrote on stderr so far."""
        try:
            self._stderr.seek(0)
            return self._stderr.read().decode(errors="replace")
        except (OSError, ValueError):
            return ""

    def _stderr_tail(self) -> str:
        tail = self.stderr()[-3000:]
        return f"\nserver stderr: {tail}" if tail else ""

    def __enter__(self) -> LspClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
