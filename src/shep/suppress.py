"""Inline suppressions written as YAML comments.

- ``# shep: disable=CODE[,CODE…]`` at the end of a line silences those codes on that line;
  on a line of its own it applies to the next line with content. When that line starts a
  task, block or play, the suppression covers the whole of it.
- ``# shep: disable`` without codes silences every code there.
- ``# shep: disable-file=CODE[,…]`` (or without codes) anywhere applies to the whole file.
Codes may be prefixes (``V`` silences every V code).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from shep._records import field, record
from shep.diagnostics import Diagnostic, Span

# Compiled (and cached by re) on first use: only files that mention ``shep:`` are searched.
_DIRECTIVE = r"shep:\s*(disable-file|disable)\b(?:\s*=\s*([A-Za-z0-9_,\s-]+))?"
ALL = frozenset({""})  # the empty prefix matches every code


@record(frozen=False)
class Suppressions:
    by_line: dict[int, frozenset[str]] = field(default_factory=dict)
    whole_file: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.by_line or self.whole_file)


def _comment_start(line: str) -> int:
    """Index of the ``#`` that starts a comment on this line, or -1 (quotes on the line respected)."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"" and (index == 0 or line[index - 1] in " \t[{,:-"):
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            return index
    return -1


def _codes(raw: str | None) -> frozenset[str]:
    if not raw:
        return ALL
    return frozenset(c.strip() for c in raw.split(",") if c.strip()) or ALL


def scan(text: str) -> Suppressions:
    """Find the suppression comments of a file (cheap: only lines that mention ``shep:``)."""
    found = Suppressions()
    if "shep:" not in text:
        return found
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if "shep:" not in line:
            continue
        start = _comment_start(line)
        match = re.compile(_DIRECTIVE).search(line, start) if start >= 0 else None
        if match is None:
            continue
        codes = _codes(match.group(2))
        if match.group(1) == "disable-file":
            found.whole_file |= codes
            continue
        target = number if line[:start].strip() else _next_content_line(lines, number)
        found.by_line[target] = found.by_line.get(target, frozenset()) | codes
    return found


def _next_content_line(lines: list[str], number: int) -> int:
    for index in range(number, len(lines)):
        stripped = lines[index].strip()
        if stripped and not stripped.startswith("#"):
            return index + 1
    return number


def _covered(code: str, codes: frozenset[str]) -> bool:
    return any(code.startswith(prefix) for prefix in codes)


def apply(diagnostics: Iterable[Diagnostic], found: Suppressions, objects: Iterable[Span]) -> tuple[Diagnostic, ...]:
    """Drop suppressed diagnostics. ``objects`` are spans of tasks/blocks/plays (whole-object scope)."""
    if not found:
        return tuple(diagnostics)
    ranges = [(span.line, span.end_line, found.by_line[span.line]) for span in objects if span.line in found.by_line]
    kept = []
    for d in diagnostics:
        if _covered(d.code, found.whole_file) or _covered(d.code, found.by_line.get(d.line, frozenset())):
            continue
        if any(first <= d.line <= last and _covered(d.code, codes) for first, last, codes in ranges):
            continue
        kept.append(d)
    return tuple(kept)
