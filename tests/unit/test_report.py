"""shep.report on hand-built results: the text line, the summary, JSON, SARIF 2.1.0 and GitHub annotations.

The formatters are pure (results in, text or a JSON-ready dict out), so every expectation here is
the exact output; the CLI tests (tests/cli/test_formats.py) check that the commands use them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import pytest

from shep.diagnostics import Diagnostic, FileResult, Severity, Span, doc_url, make
from shep.report import (
    JSON_FORMAT_VERSION,
    format_diagnostic,
    format_github,
    format_summary,
    json_report,
    sarif_report,
    summary_counts,
)

SARIF_SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
ROOT = "/work/project"

CONFLICT = make("D001", "conflicting action statements: debug, apt", f"{ROOT}/tasks/main.yml", Span(2, 3, 2, 6))
DUPLICATE = make("Y003", "duplicate key 'ping'", f"{ROOT}/tasks/main.yml", Span(4, 3, 4, 7),
                 hint="the last value wins")
NOTIFY = make("V003", "notify names no handler: restart", f"{ROOT}/site.yml", Span(7, 9, 7, 9),
              severity=Severity.INFO)

FAILED = FileResult(path=f"{ROOT}/tasks/main.yml", kind="tasks", verdict="failed", diagnostics=(CONFLICT, DUPLICATE))
PASSED = FileResult(path=f"{ROOT}/site.yml", kind="playbook", verdict="passed", diagnostics=(NOTIFY,))
SKIPPED = FileResult(path=f"{ROOT}/requirements.yml", kind=None, verdict="skipped",
                     reason="not a playbook, task or handler file: a file of another tool (requirements.yml)")


# -- text ----------------------------------------------------------------------------------------


def test_a_diagnostic_line_is_path_line_col_severity_code_message() -> None:
    assert format_diagnostic(CONFLICT) == (
        "/work/project/tasks/main.yml:2:3: error D001 conflicting action statements: debug, apt")


def test_a_hint_follows_the_message() -> None:
    assert format_diagnostic(DUPLICATE) == (
        "/work/project/tasks/main.yml:4:3: warning Y003 duplicate key 'ping' (hint: the last value wins)")


@pytest.mark.parametrize(("diagnostic", "coloured"), [
    (CONFLICT, "\033[31merror\033[0m"),
    (DUPLICATE, "\033[33mwarning\033[0m"),
    (NOTIFY, "\033[36minfo\033[0m"),
])
def test_colour_wraps_the_severity_only(diagnostic: Diagnostic, coloured: str) -> None:
    plain = format_diagnostic(diagnostic)
    assert format_diagnostic(diagnostic, colour=True) == plain.replace(f" {diagnostic.severity} ", f" {coloured} ", 1)
    assert "\033" not in plain


def test_summary_counts_files_verdicts_and_severities() -> None:
    assert summary_counts([FAILED, PASSED, SKIPPED]) == {
        "files": 3, "passed": 1, "failed": 1, "skipped": 1, "error": 1, "warning": 1, "info": 1}
    assert summary_counts([]) == {
        "files": 0, "passed": 0, "failed": 0, "skipped": 0, "error": 0, "warning": 0, "info": 0}


def test_summary_of_a_failed_run() -> None:
    assert format_summary([FAILED, PASSED, SKIPPED]) == (
        "3 files: 1 passed, 1 failed, 1 skipped; 1 errors, 1 warnings, 1 info")


def test_summary_says_ok_when_something_passed_and_nothing_failed() -> None:
    assert format_summary([PASSED, SKIPPED]) == (
        "[OK] all tasks are valid\n2 files: 1 passed, 0 failed, 1 skipped; 0 errors, 0 warnings, 1 info")


@pytest.mark.parametrize("results", [[], [SKIPPED]], ids=["no-files", "only-skipped"])
def test_summary_without_a_passed_file_does_not_say_ok(results: list[FileResult]) -> None:
    assert not format_summary(results).startswith("[OK]")
    assert "\n" not in format_summary(results)


def test_an_error_under_a_passed_verdict_is_not_ok() -> None:
    """A verdict follows the fail level; an error left in a passed file still withholds the [OK]."""
    lenient = FileResult(path="a.yml", kind="tasks", verdict="passed", diagnostics=(CONFLICT,))
    assert format_summary([lenient]) == "1 files: 1 passed, 0 failed, 0 skipped; 1 errors, 0 warnings, 0 info"


# -- JSON ----------------------------------------------------------------------------------------


def test_json_report_document() -> None:
    assert json_report([FAILED, SKIPPED], "9.8.7") == {
        "format_version": 1,
        "tool": {"name": "shep", "version": "9.8.7"},
        "files": [
            {"path": f"{ROOT}/tasks/main.yml", "kind": "tasks", "verdict": "failed", "reason": None,
             "diagnostics": [
                 {"code": "D001", "name": "conflicting-actions", "severity": "error",
                  "message": "conflicting action statements: debug, apt", "path": f"{ROOT}/tasks/main.yml",
                  "line": 2, "col": 3, "end_line": 2, "end_col": 6, "hint": None},
                 {"code": "Y003", "name": "yaml-duplicate-key", "severity": "warning",
                  "message": "duplicate key 'ping'", "path": f"{ROOT}/tasks/main.yml",
                  "line": 4, "col": 3, "end_line": 4, "end_col": 7, "hint": "the last value wins"},
             ]},
            {"path": f"{ROOT}/requirements.yml", "kind": None, "verdict": "skipped",
             "reason": "not a playbook, task or handler file: a file of another tool (requirements.yml)",
             "diagnostics": []},
        ],
        "summary": {"files": 2, "passed": 0, "failed": 1, "skipped": 1, "error": 1, "warning": 1, "info": 0},
    }
    assert JSON_FORMAT_VERSION == 1


def test_json_report_is_plain_json() -> None:
    document = json_report([FAILED, PASSED, SKIPPED], "1.0")
    assert json.loads(json.dumps(document, allow_nan=False)) == document


# -- SARIF ---------------------------------------------------------------------------------------


def only_run(sarif: dict[str, Any]) -> dict[str, Any]:
    [run] = sarif["runs"]
    return cast("dict[str, Any]", run)


def test_sarif_report_document() -> None:
    sarif = sarif_report([FAILED, SKIPPED], "9.8.7", ROOT)
    assert sarif == {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "shep", "version": "9.8.7", "informationUri": "https://github.com/shep-dev/shep",
                "rules": [
                    {"id": "D001", "name": "conflicting-actions",
                     "shortDescription": {"text": "A task names two modules/actions."},
                     "defaultConfiguration": {"level": "error"}, "helpUri": doc_url("D001")},
                    {"id": "Y003", "name": "yaml-duplicate-key",
                     "shortDescription": {"text": "A mapping repeats a key; the last value wins, as in Ansible."},
                     "defaultConfiguration": {"level": "warning"}, "helpUri": doc_url("Y003")},
                ]}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": "file:///work/project/"}},
            "results": [
                {"ruleId": "D001", "ruleIndex": 0, "level": "error",
                 "message": {"text": "conflicting action statements: debug, apt"},
                 "locations": [{"physicalLocation": {
                     "artifactLocation": {"uri": "tasks/main.yml", "uriBaseId": "%SRCROOT%"},
                     "region": {"startLine": 2, "startColumn": 3, "endLine": 2, "endColumn": 6}}}]},
                {"ruleId": "Y003", "ruleIndex": 1, "level": "warning",
                 "message": {"text": "duplicate key 'ping' (hint: the last value wins)"},
                 "locations": [{"physicalLocation": {
                     "artifactLocation": {"uri": "tasks/main.yml", "uriBaseId": "%SRCROOT%"},
                     "region": {"startLine": 4, "startColumn": 3, "endLine": 4, "endColumn": 7}}}]},
            ],
        }],
    }


def test_sarif_rules_are_the_codes_used_sorted_and_indexed() -> None:
    run = only_run(sarif_report([PASSED, FAILED], "1.0", ROOT))
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == ["D001", "V003", "Y003"]
    assert [(r["ruleId"], r["ruleIndex"], r["level"]) for r in run["results"]] == [
        ("V003", 1, "note"), ("D001", 0, "error"), ("Y003", 2, "warning")]


def test_sarif_point_region_has_no_end() -> None:
    run = only_run(sarif_report([PASSED], "1.0", ROOT))
    assert run["results"][0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 7, "startColumn": 9}


def test_sarif_path_outside_the_root_is_an_absolute_file_uri() -> None:
    outside = FileResult(path="/elsewhere/x.yml", kind="tasks", verdict="failed",
                         diagnostics=(make("D002", "no module/action detected in task.", "/elsewhere/x.yml",
                                           Span(1, 3, 1, 4)),))
    run = only_run(sarif_report([outside], "1.0", ROOT))
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "file:///elsewhere/x.yml", "uriBaseId": "%SRCROOT%"}


def test_sarif_unregistered_code_gets_a_plain_rule() -> None:
    odd = Diagnostic(code="X999", name="odd", severity=Severity.ERROR, message="m", path=f"{ROOT}/a.yml",
                     span=Span(1, 1, 1, 2))
    run = only_run(sarif_report([FileResult(path=f"{ROOT}/a.yml", kind="tasks", verdict="failed", diagnostics=(odd,))],
                                "1.0", ROOT))
    assert run["tool"]["driver"]["rules"] == [
        {"id": "X999", "name": "X999", "shortDescription": {"text": "X999"},
         "defaultConfiguration": {"level": "warning"}}]


def test_sarif_without_diagnostics_is_an_empty_run() -> None:
    run = only_run(sarif_report([SKIPPED], "1.0", ROOT))
    assert run["results"] == [] and run["tool"]["driver"]["rules"] == []


def test_sarif_validates_against_the_official_schema() -> None:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"SARIF schema not found at {SARIF_SCHEMA} (../shared sits beside the checkout in CI)")
    from jsonschema import Draft4Validator

    schema = json.loads(SARIF_SCHEMA.read_text())
    validator = Draft4Validator(schema)
    sarif = sarif_report([FAILED, PASSED, SKIPPED], "1.0", ROOT)
    assert [e.message for e in validator.iter_errors(sarif)] == []
    # The validator does reject a broken document: the check above can fail.
    broken = json.loads(json.dumps(sarif))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert [e.message for e in validator.iter_errors(broken)] != []


# -- GitHub annotations --------------------------------------------------------------------------


def test_github_annotation_with_a_range() -> None:
    assert format_github(CONFLICT) == (
        "::error file=/work/project/tasks/main.yml,line=2,col=3,endLine=2,endColumn=6,"
        "title=D001 conflicting-actions::conflicting action statements: debug, apt")


def test_github_point_annotation_has_no_end_column() -> None:
    assert format_github(NOTIFY) == (
        "::notice file=/work/project/site.yml,line=7,col=9,endLine=7,"
        "title=V003 notify-unknown-handler::notify names no handler: restart")


def test_github_annotation_escapes_properties_and_data() -> None:
    d = make("Y001", "bad: 100%\r\nhere", "dir,a:b/x.yml", Span(1, 1, 3, 2))
    assert format_github(d) == (
        "::error file=dir%2Ca%3Ab/x.yml,line=1,col=1,endLine=3,title=Y001 yaml-syntax::bad: 100%25%0D%0Ahere")
