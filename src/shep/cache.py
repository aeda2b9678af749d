"""Content-addressed cache of validation results.

The key hashes everything a result depends on in the file and the run: the file's bytes and path
(kind detection looks at directories), the forced kind, shep's version, the rule registry, shep's
own modules (``code_digest``) and the configuration. A result that also depended on installed
collections carries the facts it was made from (``FileResult.depends``, ``shep.installed.facts``):
the batch runner serves it only while they hold, so the key of such a result is in effect its key
and those facts' states. A run's new entries are written as one pack,
atomically (temp file + rename), so concurrent and interrupted runs never leave a partial one;
an entry that does not parse or does not carry its own key is ignored and rebuilt, never
trusted.
"""

from __future__ import annotations

import os
import sys

from shep._version import __version__

TYPE_CHECKING = False
# BLAKE2b from CPython's own _blake2 module: three times the speed of its SHA-256 on file bytes
# (6.2 -> 2.1 ms for the corpus's 2.2 MB), and importing hashlib would load OpenSSL (10% of a
# warm run).
if TYPE_CHECKING:
    from hashlib import blake2b
    from typing import Any

    from shep.diagnostics import FileResult
else:
    try:
        from _blake2 import blake2b
    except ImportError:
        from hashlib import blake2b


def new_digest(data: bytes = b"") -> blake2b:
    """A hash object with 32-byte digests (64 hex characters: the cache's and the run records' key size)."""
    return blake2b(data, digest_size=32)


FORMAT = 5  # 3: BLAKE2b keys; 4: entries carry the facts a result depends on (shep.installed.facts); 5: and
# the data a project needs of the file (``extra``)
# Cache files are small; a larger (or non-regular) one is not ours and is not read.
MAX_ENTRY_BYTES = 64 * 1024 * 1024


def default_dir() -> str:
    """``$SHEP_CACHE_DIR``, else the platform's user cache directory + ``shep``."""
    if os.environ.get("SHEP_CACHE_DIR"):
        return os.environ["SHEP_CACHE_DIR"]
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return os.path.join(os.environ["LOCALAPPDATA"], "shep", "cache")
    if sys.platform == "darwin":  # os.uname() does not exist on Windows
        return os.path.join(os.path.expanduser("~"), "Library", "Caches", "shep")
    return os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "shep")


_code_digest: list[str] = []


def code_digest() -> str:
    """Name, size and mtime of every module of shep: results depend on the checks' code, which an
    editable install (or a second install of one version) can change without a version bump."""
    if not _code_digest:
        root = os.path.dirname(os.path.abspath(__file__))  # the shep package
        digest = new_digest()
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(f for f in files if f.endswith(".py")):
                path = os.path.join(folder, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                line = f"{path[len(root):]} {info.st_size} {info.st_mtime_ns}\0"
                digest.update(line.encode("utf-8", "surrogateescape"))
        _code_digest.append(digest.hexdigest())
    return _code_digest[0]


def read_entry(path: str) -> bytes | None:
    """A cache file's bytes, if it is a regular file of ours of a sane size, else None.

    A cache directory may be shared or planted: a FIFO must not hang shep, a huge file must not
    exhaust memory, and a file another user wrote is not trusted.
    """
    from shep.fileio import ReadProblem, read_bytes

    try:
        if hasattr(os, "getuid") and os.stat(path).st_uid != os.getuid():
            return None
        return read_bytes(path, MAX_ENTRY_BYTES)
    except (OSError, ReadProblem):
        return None


_rules_digest: list[str] = []


def rules_digest() -> str:
    """A digest of the rule registry (codes, names, default severities)."""
    if not _rules_digest:
        import json

        from shep.diagnostics import RULES

        rules = sorted((r.code, r.name, int(r.severity)) for r in RULES.values())
        _rules_digest.append(new_digest(json.dumps(rules).encode()).hexdigest())
    return _rules_digest[0]


def key_prefix(kind: str | None, settings: str) -> bytes:
    """What every key of a run shares: shep's version, cache format, rules, settings, forced kind."""
    parts = (f"shep {__version__} f{FORMAT}", rules_digest(), code_digest(), settings, kind or "-")
    return b"".join(part.encode("utf-8", "surrogateescape") + b"\0" for part in parts)


def key_for(prefix: bytes, path: str, data: bytes) -> str:
    digest = new_digest(prefix)
    digest.update(path.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(data)
    return digest.hexdigest()


def make_key(data: bytes, path: str, kind: str | None, settings: str) -> str:
    return key_for(key_prefix(kind, settings), path, data)


def _encode(result: FileResult, key: str, extra: Any = None) -> bytes:
    import json

    body = {
        "key": key, "kind": result.kind, "verdict": result.verdict, "reason": result.reason,
        "diagnostics": [[d.code, d.name, int(d.severity), d.message, d.span.line, d.span.col, d.span.end_line,
                         d.span.end_col, d.hint] for d in result.diagnostics],
    }
    if result.depends:
        body["depends"] = [list(fact) for fact in result.depends]
    if extra is not None:
        body["extra"] = extra
    return json.dumps(body, separators=(",", ":")).encode()


def _decode(raw: bytes, key: str, path: str) -> tuple[FileResult, Any] | None:
    import json

    from shep.diagnostics import Diagnostic, FileResult, Severity, Span

    try:
        body: dict[str, Any] = json.loads(raw)
        if body.get("key") != key:
            return None
        diagnostics = tuple(
            Diagnostic(code=c, name=n, severity=Severity(s), message=m, path=path, span=Span(l1, c1, l2, c2), hint=h)
            for c, n, s, m, l1, c1, l2, c2, h in body["diagnostics"])
        depends = tuple((str(kind), str(subject), str(state)) for kind, subject, state in body.get("depends", ()))
        return FileResult(path=path, kind=body["kind"], verdict=body["verdict"], diagnostics=diagnostics,
                          reason=body["reason"], depends=depends), body.get("extra")
    except (ValueError, TypeError, KeyError):
        return None


PACK_MAGIC = b"shep-pack 1\n"
MAX_PACKS = 16  # more, and the next run merges them into one
MAX_ENTRIES = 100_000  # a merged pack keeps the most recent


def _parse_pack(raw: bytes) -> dict[str, bytes] | None:
    """key → encoded entry, from a pack's lines ``<key> <json>``; None if it is not a pack."""
    if not raw.startswith(PACK_MAGIC):
        return None
    entries: dict[str, bytes] = {}
    for line in raw[len(PACK_MAGIC):].split(b"\n"):
        key, _, body = line.partition(b" ")
        if len(key) == 64 and body:
            entries[key.decode("ascii", "replace")] = body
    return entries


class Cache:
    """Results by key, stored in packs: each run that adds results writes them as one file.

    A pack is written atomically under a name derived from its content, so concurrent runs never
    clobber each other; every entry carries its own key and is decoded (and checked) only when
    looked up. Past MAX_PACKS packs, the next run that adds results merges them into one.
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = os.fspath(directory)
        self._packs_dir = os.path.join(self.directory, "packs")
        self._known: dict[str, bytes] | None = None
        self._loaded_packs: list[str] = []
        self._pending: dict[str, bytes] = {}

    def _entries(self) -> dict[str, bytes]:
        if self._known is None:
            self._known = {}
            try:
                names = sorted(os.listdir(self._packs_dir))
            except OSError:
                names = []
            for name in names:
                raw = read_entry(os.path.join(self._packs_dir, name))
                entries = _parse_pack(raw) if raw is not None else None
                if entries is not None:
                    self._loaded_packs.append(name)
                    self._known.update(entries)
        return self._known

    def get(self, key: str, path: str) -> FileResult | None:
        found = self.get_with_extra(key, path)
        return None if found is None else found[0]

    def get_with_extra(self, key: str, path: str) -> tuple[FileResult, Any] | None:
        """The result and the JSON data stored with it (None when there was none)."""
        raw = self._pending.get(key) or self._entries().get(key)
        return None if raw is None else _decode(raw, key, path)

    def put(self, key: str, result: FileResult, extra: Any = None) -> None:
        """Kept until ``flush``; ``extra``: JSON-able data kept with the result (a project's summary of the file)."""
        self._pending[key] = _encode(result, key, extra)

    def flush(self) -> None:
        """Write what was put as one pack. Best effort: a cache that cannot be written only costs speed."""
        if not self._pending:
            return
        from shep.fileio import write_atomic

        known = self._entries()  # also counts the packs there are
        entries = self._pending
        merging = len(self._loaded_packs) + 1 > MAX_PACKS
        if merging:
            entries = {**known, **self._pending}
            if len(entries) > MAX_ENTRIES:
                entries = dict(list(entries.items())[-MAX_ENTRIES:])
        data = PACK_MAGIC + b"".join(key.encode("ascii") + b" " + body + b"\n" for key, body in entries.items())
        try:
            os.makedirs(self._packs_dir, exist_ok=True)
            write_atomic(os.path.join(self._packs_dir, new_digest(data).hexdigest()[:32]), data, durable=False)
        except OSError:
            return
        self._pending = {}
        if merging:
            for name in self._loaded_packs:
                try:
                    os.unlink(os.path.join(self._packs_dir, name))
                except OSError:
                    pass  # another run merged it first
            self._loaded_packs = []
