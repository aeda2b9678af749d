"""The settings a configuration file gives (``Config``) and reading them (``load_config``).

Keys (both files): ``exclude`` (glob patterns of paths to skip), ``select`` (only these codes),
``ignore`` (never these codes), ``severity`` (code → error|warning|info overrides),
``fail-level`` (error|warning|info) and ``max-bytes`` (the file size limit). The files looked for
are ``shep.config.candidate_files``: the first that exists wins, except a pyproject.toml without a
``[tool.shep]`` table, which is passed over.
"""

from __future__ import annotations

import os

from shep._records import field, record, replace
from shep.config import candidate_files
from shep.diagnostics import Diagnostic, Severity
from shep.fileio import DEFAULT_MAX_BYTES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any


class ConfigError(ValueError):
    """An unreadable or invalid configuration file (the message names the file)."""


@record
class Config:
    exclude: tuple[str, ...] = ()
    select: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()
    severity: tuple[tuple[str, Severity], ...] = ()
    fail_level: Severity = Severity.ERROR
    max_bytes: int = DEFAULT_MAX_BYTES  # larger files are refused (Y007)
    source: str | None = None
    overrides: dict[str, Severity] = field(default_factory=dict, compare=False)

    def apply(self, diagnostics: tuple[Diagnostic, ...]) -> tuple[Diagnostic, ...]:
        """Drop unselected/ignored codes and apply severity overrides."""
        levels = dict(self.severity)
        kept = []
        for d in diagnostics:
            if (self.select and not _matches(d.code, self.select)) or _matches(d.code, self.ignore):
                continue
            level = levels.get(d.code)
            kept.append(replace(d, severity=level) if level is not None and level != d.severity else d)
        return tuple(kept)

    def fingerprint(self) -> str:
        """Changes whenever anything that affects results changes: a canonical text, which the
        cache key hashes with the rest (shep.cache.key_prefix)."""
        import json

        # fail_level too: a result's verdict (passed/failed) depends on it.
        data = [sorted(self.select), sorted(self.ignore), sorted((c, int(s)) for c, s in self.severity),
                int(self.fail_level)]
        return json.dumps(data, separators=(",", ":"))


def _matches(code: str, patterns: frozenset[str]) -> bool:
    """A pattern is a code (``V003``) or a prefix (``V``, ``Y00``)."""
    return any(code.startswith(p) for p in patterns)


def _severity(value: Any, where: str) -> Severity:
    try:
        return Severity[str(value).upper()]
    except KeyError:
        raise ConfigError(f"{where}: unknown severity {value!r} (use error, warning or info)") from None


def _string_list(data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)


def from_mapping(data: Any, source: str) -> Config:
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: the shep configuration must be a mapping")
    known = {"exclude", "select", "ignore", "severity", "fail-level", "fail_level", "max-bytes", "max_bytes"}
    unknown = sorted(set(map(str, data)) - known)
    if unknown:
        raise ConfigError(f"{source}: unknown configuration key(s): {', '.join(unknown)}")
    levels = data.get("severity", {})
    if not isinstance(levels, dict):
        raise ConfigError(f"{source}: 'severity' must map codes to error|warning|info")
    fail = data.get("fail-level", data.get("fail_level", "error"))
    max_bytes = data.get("max-bytes", data.get("max_bytes", DEFAULT_MAX_BYTES))
    if not isinstance(max_bytes, int) or isinstance(max_bytes, bool) or max_bytes < 1:
        raise ConfigError(f"{source}: 'max-bytes' must be a positive integer")
    return Config(
        exclude=_string_list(data, "exclude", source),
        select=frozenset(_string_list(data, "select", source)),
        ignore=frozenset(_string_list(data, "ignore", source)),
        severity=tuple(sorted((str(code), _severity(level, source)) for code, level in levels.items())),
        fail_level=_severity(fail, source),
        max_bytes=max_bytes,
        source=source,
    )


def _read_pyproject(path: str | Path) -> Config | None:
    import tomllib  # only projects with a pyproject.toml pay for it

    try:
        with open(path, encoding="utf-8") as handle:  # as Path.read_text
            data = tomllib.loads(handle.read())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    tool = data.get("tool", {})
    table = tool.get("shep") if isinstance(tool, dict) else None
    return None if table is None else from_mapping(table, str(path))


def _read_shep_yml(path: str | Path) -> Config:
    from shep.loader import Document, load_bytes
    from shep.fileio import DEFAULT_MAX_BYTES, read_or_diagnostic

    data = read_or_diagnostic(str(path), DEFAULT_MAX_BYTES)
    document = load_bytes(data, str(path)) if isinstance(data, bytes) else Document(str(path), None, [data], False)
    errors = [d for d in document.diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise ConfigError(f"{path}:{errors[0].line}:{errors[0].col}: {errors[0].message}")
    return from_mapping(document.root.value if document.root is not None else {}, str(path))


def load_config(explicit: str | os.PathLike[str] | None = None, start: str | os.PathLike[str] = ".") -> Config:
    """The configuration: an explicit file, else the nearest .shep.yml / pyproject.toml [tool.shep]."""
    if explicit is not None:
        from pathlib import Path  # its str() is the name messages show; searching needs only os.path

        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{path}: configuration file not found")
        found = _read_pyproject(path) if path.suffix == ".toml" else _read_shep_yml(path)
        return found or Config(source=str(path))
    for candidate in candidate_files(None, start):
        if not os.path.isfile(candidate):
            continue
        if not candidate.endswith(".toml"):
            return _read_shep_yml(candidate)
        found = _read_pyproject(candidate)
        if found is not None:  # a pyproject.toml without [tool.shep] does not configure shep
            return found
    return Config()
