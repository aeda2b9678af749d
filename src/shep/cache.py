"""Content-addressed cache of validation results.

The key hashes everything a result depends on: the file's bytes and path (kind detection
looks at directories), the forced kind, shep's version, the rule registry and the
configuration. Entries are written atomically (temp file + rename), so concurrent runs and
interrupted runs never leave a partial entry; an entry that does not parse or does not carry
its own key is ignored and rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from shep import __version__
from shep.diagnostics import RULES, Diagnostic, FileResult, Severity, Span
from shep.readfile import write_atomic

FORMAT = 1


def default_dir() -> Path:
    """``$SHEP_CACHE_DIR``, else the platform's user cache directory + ``shep``."""
    if os.environ.get("SHEP_CACHE_DIR"):
        return Path(os.environ["SHEP_CACHE_DIR"])
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "shep" / "cache"
    if os.uname().sysname == "Darwin":
        return Path.home() / "Library" / "Caches" / "shep"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "shep"


_RULES_DIGEST = hashlib.sha256(
    json.dumps(sorted((r.code, r.name, int(r.severity)) for r in RULES.values())).encode()).hexdigest()


def make_key(data: bytes, path: str, kind: str | None, settings: str) -> str:
    digest = hashlib.sha256()
    for part in (f"shep {__version__} f{FORMAT}", _RULES_DIGEST, settings, kind or "-", path):
        digest.update(part.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


def _encode(result: FileResult, key: str) -> bytes:
    body = {
        "key": key, "kind": result.kind, "verdict": result.verdict, "reason": result.reason,
        "diagnostics": [[d.code, d.name, int(d.severity), d.message, d.span.line, d.span.col, d.span.end_line,
                         d.span.end_col, d.hint] for d in result.diagnostics],
    }
    return json.dumps(body, separators=(",", ":")).encode()


def _decode(raw: bytes, key: str, path: str) -> FileResult | None:
    try:
        body: dict[str, Any] = json.loads(raw)
        if body.get("key") != key:
            return None
        diagnostics = tuple(
            Diagnostic(code=c, name=n, severity=Severity(s), message=m, path=path, span=Span(l1, c1, l2, c2), hint=h)
            for c, n, s, m, l1, c1, l2, c2, h in body["diagnostics"])
        return FileResult(path=path, kind=body["kind"], verdict=body["verdict"], diagnostics=diagnostics,
                          reason=body["reason"])
    except (ValueError, TypeError, KeyError):
        return None


class Cache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _entry(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key[2:]}.json"

    def get(self, key: str, path: str) -> FileResult | None:
        try:
            raw = self._entry(key).read_bytes()
        except OSError:
            return None
        return _decode(raw, key, path)

    def put(self, key: str, result: FileResult) -> None:
        """Best effort: a cache that cannot be written only costs speed."""
        entry = self._entry(key)
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(str(entry), _encode(result, key), durable=False)
        except OSError:
            pass
