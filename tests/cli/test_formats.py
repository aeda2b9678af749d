"""Machine output formats: JSON (versioned), SARIF 2.1.0 (checked against the official schema), GitHub."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import shep  # noqa: F401 - reuse the subprocess runner

SARIF_SCHEMA = Path(__file__).resolve().parents[2].parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "tasks").mkdir()
    (tmp_path / "tasks" / "main.yml").write_text("- debug: msg=a\n  apt: name=b\n- ping:\n  ping:\n")
    (tmp_path / "site.yml").write_text("- hosts: all\n  tasks:\n    - ping:\n")
    return tmp_path


def test_json_format(tree: Path) -> None:
    result = shep("validate", "--format", "json", str(tree), cwd=tree)
    assert result.returncode == 1
    doc = json.loads(result.stdout)
    assert doc["format_version"] == 1 and doc["tool"]["name"] == "shep"
    by_path = {Path(f["path"]).name: f for f in doc["files"]}
    assert by_path["site.yml"]["verdict"] == "passed" and by_path["site.yml"]["kind"] == "playbook"
    diags = by_path["main.yml"]["diagnostics"]
    assert [(d["code"], d["severity"], d["line"], d["col"]) for d in diags] == [
        ("D001", "error", 2, 3), ("Y003", "warning", 4, 3)]
    assert doc["summary"]["error"] == 1 and doc["summary"]["warning"] == 1 and doc["summary"]["files"] == 2


def test_sarif_validates_against_the_official_schema(tree: Path) -> None:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"SARIF schema not found at {SARIF_SCHEMA} (present in CI beside the checkout)")
    import jsonschema

    result = shep("validate", "--format", "sarif", ".", cwd=tree)
    sarif = json.loads(result.stdout)
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text()))
    [run] = sarif["runs"]
    locations = [(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                  r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in run["results"]]
    assert locations == [("D001", "error", "tasks/main.yml", 2), ("Y003", "warning", "tasks/main.yml", 4)]
    assert {rule["id"] for rule in run["tool"]["driver"]["rules"]} == {"D001", "Y003"}


def test_github_annotations(tree: Path) -> None:
    result = shep("validate", "--format", "github", "tasks/main.yml", cwd=tree)
    lines = result.stdout.splitlines()
    assert lines[0] == ("::error file=tasks/main.yml,line=2,col=3,endLine=2,endColumn=6,"
                        "title=D001 conflicting-actions::conflicting action statements: debug, apt")
    assert lines[1].startswith("::warning file=tasks/main.yml,line=4,col=3")


def test_fail_level_warning(tree: Path) -> None:
    path = tree / "tasks" / "other.yml"
    path.write_text("- ping:\n  ping:\n")
    assert shep("validate", str(path)).returncode == 0
    assert shep("validate", "--fail-level", "warning", str(path)).returncode == 1


@pytest.mark.parametrize("kind", ["tasks", "handlers", "playbook"])
def test_schema_export_prints_the_packaged_schema(kind: str) -> None:
    result = shep("schema", "export", "--kind", kind)
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    repo_copy = Path(__file__).resolve().parents[2] / "schema" / f"{kind}.schema.json"
    assert schema == json.loads(repo_copy.read_text())
