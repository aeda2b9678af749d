"""Pure formatters: results → text. No I/O, no colour detection (the caller says)."""

from __future__ import annotations

import os
from collections.abc import Sequence

from shep._version import PROJECT_URL
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


# -- machine formats -------------------------------------------------------------------------

JSON_FORMAT_VERSION = 1
_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def json_report(results: Sequence[FileResult], version: str) -> dict[str, object]:
    """The documented ``--format json`` document (docs/user-guide.md); ``format_version`` bumps on breaking change."""
    return {
        "format_version": JSON_FORMAT_VERSION,
        "tool": {"name": "shep", "version": version},
        "files": [
            {"path": r.path, "kind": r.kind, "verdict": r.verdict, "reason": r.reason,
             "diagnostics": [d.to_dict() for d in r.diagnostics]}
            for r in results
        ],
        "summary": summary_counts(results),
    }


def _uri(path: str, root: str) -> str:
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:
        relative = absolute
    if relative.startswith(".."):
        return "file://" + absolute.replace(os.sep, "/")
    return relative.replace(os.sep, "/")


def sarif_report(results: Sequence[FileResult], version: str, root: str) -> dict[str, object]:
    """SARIF 2.1.0, as GitHub code scanning accepts it (paths relative to ``root``)."""
    from shep.diagnostics import RULES, doc_url

    used = sorted({d.code for r in results for d in r.diagnostics})
    index = {code: i for i, code in enumerate(used)}
    rules = [
        {"id": code, "name": RULES[code].name if code in RULES else code,
         "shortDescription": {"text": RULES[code].summary if code in RULES else code},
         "defaultConfiguration": {"level": _SARIF_LEVELS[RULES[code].severity] if code in RULES else "warning"},
         **({"helpUri": doc_url(code)} if code in RULES else {})}
        for code in used
    ]
    sarif_results = []
    for r in results:
        for d in r.diagnostics:
            region = {"startLine": d.span.line, "startColumn": d.span.col}
            if (d.span.end_line, d.span.end_col) > (d.span.line, d.span.col):
                region.update(endLine=d.span.end_line, endColumn=d.span.end_col)
            sarif_results.append({
                "ruleId": d.code, "ruleIndex": index[d.code], "level": _SARIF_LEVELS[d.severity],
                "message": {"text": d.message + (f" (hint: {d.hint})" if d.hint else "")},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": _uri(d.path, root), "uriBaseId": "%SRCROOT%"},
                    "region": region}}],
            })
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "shep", "version": version, "informationUri": PROJECT_URL,
                                "rules": rules}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": "file://" + root.replace("\\", "/").rstrip("/") + "/"}},
            "results": sarif_results,
        }],
    }


def codeclimate_report(results: Sequence[FileResult], root: str) -> list[dict[str, object]]:
    """Code Climate issues, as ansible-lint's ``-f codeclimate`` writes them and the Ansible language
    server and GitLab read them: ``location.path`` relative to ``root`` (the working directory), the
    position under ``lines.begin`` (what the language server reads) and ``positions.begin``, 1-based;
    ``major`` for errors, ``minor`` otherwise (the language server makes any other word an error)."""
    import hashlib

    from shep.diagnostics import doc_url

    issues: list[dict[str, object]] = []
    for r in results:
        for d in r.diagnostics:
            path = _relative(d.path, root)
            begin = {"line": d.span.line, "column": d.span.col}
            description = d.message + (f" (hint: {d.hint})" if d.hint else "")
            fingerprint = hashlib.sha256(f"{path}\0{d.code}\0{d.span.line}\0{d.span.col}\0{d.message}".encode(
                "utf-8", "surrogatepass")).hexdigest()
            issues.append({
                "type": "issue", "check_name": d.code, "description": description,
                "categories": ["Bug Risk"], "severity": "major" if d.severity is Severity.ERROR else "minor",
                "url": doc_url(d.code), "fingerprint": fingerprint,
                "location": {"path": path, "lines": {"begin": begin}, "positions": {"begin": begin}},
            })
    return issues


def _relative(path: str, root: str) -> str:
    """``path`` as os.path.relpath gives it from ``root`` (an absolute path where there is none)."""
    try:
        return os.path.relpath(os.path.abspath(path), root)
    except ValueError:  # another drive (Windows)
        return os.path.abspath(path)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(d: Diagnostic) -> str:
    """A GitHub Actions workflow command (annotation)."""
    command = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}[d.severity]
    props = f"file={_escape_property(d.path)},line={d.span.line},col={d.span.col}"
    if d.span.end_line >= d.span.line:
        props += f",endLine={d.span.end_line}"
    if d.span.end_line == d.span.line and d.span.end_col > d.span.col:
        props += f",endColumn={d.span.end_col}"
    props += f",title={_escape_property(d.code + ' ' + d.name)}"
    return f"::{command} {props}::{_escape_data(d.message)}"
