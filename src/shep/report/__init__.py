"""Pure formatters: results → text. No I/O, no colour detection (the caller says)."""

from __future__ import annotations

from collections.abc import Sequence

from shep.diagnostics import Diagnostic, FileResult, Severity

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_RESET = "\033[0m"


def format_diagnostic(d: Diagnostic, colour: bool = False) -> str:
    severity = str(d.severity)
    if colour:
        severity = f"{_COLOURS[d.severity]}{severity}{_RESET}"
    hint = f" (hint: {d.hint})" if d.hint else ""
    return f"{d.path}:{d.span.line}:{d.span.col}: {severity} {d.code} {d.message}{hint}"


def summary_counts(results: Sequence[FileResult]) -> dict[str, int]:
    counts = {"files": len(results), "passed": 0, "failed": 0, "skipped": 0, "error": 0, "warning": 0, "info": 0}
    for result in results:
        counts[result.verdict] += 1
        for d in result.diagnostics:
            counts[str(d.severity)] += 1
    return counts


def format_summary(results: Sequence[FileResult]) -> str:
    c = summary_counts(results)
    line = (f"{c['files']} files: {c['passed']} passed, {c['failed']} failed, {c['skipped']} skipped; "
            f"{c['error']} errors, {c['warning']} warnings, {c['info']} info")
    if c["failed"] == 0 and c["error"] == 0 and c["passed"] > 0:
        return f"[OK] all tasks are valid\n{line}"
    return line
