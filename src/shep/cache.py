"""Content-addressed cache of validation results.

The key hashes everything a result depends on: the file's bytes and path (kind detection
looks at directories), the forced kind, shep's version, the rule registry and the
configuration. Entries are written atomically (temp file + rename), so concurrent runs and
interrupted runs never leave a partial entry; an entry that does not parse or does not carry
its own key is ignored and rebuilt, never trusted.
"""

from __future__ import annotations

import os

from shep import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from shep.diagnostics import FileResult

FORMAT = 1


def default_dir() -> str:
    """``$SHEP_CACHE_DIR``, else the platform's user cache directory + ``shep``."""
    if os.environ.get("SHEP_CACHE_DIR"):
        return os.environ["SHEP_CACHE_DIR"]
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return os.path.join(os.environ["LOCALAPPDATA"], "shep", "cache")
    if os.uname().sysname == "Darwin":
        return os.path.join(os.path.expanduser("~"), "Library", "Caches", "shep")
    return os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "shep")


_rules_digest: list[str] = []


def rules_digest() -> str:
    """A digest of the rule registry (codes, names, default severities)."""
    if not _rules_digest:
        import hashlib
        import json

        from shep.diagnostics import RULES

        rules = sorted((r.code, r.name, int(r.severity)) for r in RULES.values())
        _rules_digest.append(hashlib.sha256(json.dumps(rules).encode()).hexdigest())
    return _rules_digest[0]


def key_prefix(kind: str | None, settings: str) -> bytes:
    """What every key of a run shares: shep's version, cache format, rules, settings, forced kind."""
    parts = (f"shep {__version__} f{FORMAT}", rules_digest(), settings, kind or "-")
    return b"".join(part.encode("utf-8", "surrogateescape") + b"\0" for part in parts)


def key_for(prefix: bytes, path: str, data: bytes) -> str:
    import hashlib  # here, not above: the warm path (shep.cli.warm) rarely needs it

    digest = hashlib.sha256(prefix)
    digest.update(path.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(data)
    return digest.hexdigest()


def make_key(data: bytes, path: str, kind: str | None, settings: str) -> str:
    return key_for(key_prefix(kind, settings), path, data)


def _encode(result: FileResult, key: str) -> bytes:
    import json

    body = {
        "key": key, "kind": result.kind, "verdict": result.verdict, "reason": result.reason,
        "diagnostics": [[d.code, d.name, int(d.severity), d.message, d.span.line, d.span.col, d.span.end_line,
                         d.span.end_col, d.hint] for d in result.diagnostics],
    }
    return json.dumps(body, separators=(",", ":")).encode()


def _decode(raw: bytes, key: str, path: str) -> FileResult | None:
    import json

    from shep.diagnostics import Diagnostic, FileResult, Severity, Span

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
    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = os.fspath(directory)

    def _entry(self, key: str) -> str:
        return os.path.join(self.directory, key[:2], f"{key[2:]}.json")

    def get(self, key: str, path: str) -> FileResult | None:
        try:
            with open(self._entry(key), "rb") as handle:
                raw = handle.read()
        except OSError:
            return None
        return _decode(raw, key, path)

    def put(self, key: str, result: FileResult) -> None:
        """Best effort: a cache that cannot be written only costs speed."""
        from shep.readfile import write_atomic

        entry = self._entry(key)
        try:
            os.makedirs(os.path.dirname(entry), exist_ok=True)
            write_atomic(entry, _encode(result, key), durable=False)
        except OSError:
            pass
