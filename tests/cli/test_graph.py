"""``shep graph``: the text tree, JSON and DOT of a project, and the exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shep.cli import main

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "validate" / "project"


def graph(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, int]:
    with pytest.raises(SystemExit) as stop:
        main(["graph", *argv])
    code = stop.value.code
    return capsys.readouterr().out, code if isinstance(code, int) else 0


def test_the_tree_of_a_playbook(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "resolved")
    out, code = graph(["site.yml"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "site.yml"
    assert "│   ├── role web → roles/web" in lines
    assert "│   │   ├── dependency common → roles/common" in lines
    assert "│   │   │   └── import_tasks install.yml → roles/web/tasks/install.yml" in lines
    assert "│   │   └── include_tasks packages.yml → tasks/packages.yml" in lines
    assert lines[-2:] == ["└── import_playbook other.yml → other.yml", "    └── play line 1 'Databases'"]
    assert any(line.endswith(": dynamic (site.yml:15:7)") for line in lines)


def test_missing_references_exit_1_and_say_where(capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "missing")
    out, code = graph(["site.yml"], capsys)
    assert code == 1
    assert "│   ├── role database: missing (site.yml:8:7) — the role 'database' was not found" in out.splitlines()


def test_json_holds_every_edge_with_its_position(capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "missing")
    out, code = graph(["--format", "json", "."], capsys)
    data = json.loads(out)
    assert code == 1 and data["format"] == 1 and data["playbooks"] == ["site.yml"]
    edges = {(e["source"], e["line"], e["col"]): e for e in data["edges"]}
    database = edges["site.yml", 8, 7]
    assert (database["kind"], database["target"], database["status"], database["static"]) == \
        ("role", "database", "missing", True)
    monitoring = edges["roles/web/meta/main.yml", 2, 5]
    assert (monitoring["kind"], monitoring["status"]) == ("dependency", "missing")
    assert {r["name"]: r["path"] for r in data["roles"]} == {"web": "roles/web"}


def test_dot_is_a_digraph(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "resolved")
    out, code = graph(["--format", "dot", "site.yml"], capsys)
    assert code == 0 and out.startswith("digraph shep {") and out.endswith("}\n")
    assert '"site.yml" -> "roles/web" [label="role 8:7"];' in out


def test_a_missing_path_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["graph", str(tmp_path / "nope.yml")])
    assert stop.value.code == 2


def test_fbs_is_the_json_graph_as_a_buffer(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    from shep.serialize.graph import project_to_json
    from shep.serialize.project_fbs import project_from_flatbuffers

    monkeypatch.chdir(FIXTURES / "missing")
    out, code = graph(["--format", "json", "."], capsys)
    assert code == 1
    with pytest.raises(SystemExit) as stop:
        main(["graph", "--format", "fbs", "-o", str(tmp_path / "graph.shepg"), "."])
    assert stop.value.code == 1  # the same verdict: a reference cannot be found
    project = project_from_flatbuffers((tmp_path / "graph.shepg").read_bytes())
    assert project_to_json(project) == json.loads(out)


def test_the_findings_of_the_graph_do_not_depend_on_string_hashing(tmp_path: Path) -> None:
    """Names of handlers and notifications are kept in load order, never a set's: the same output in
    every process (PYTHONHASHSEED)."""
    import os
    import subprocess
    import sys

    (tmp_path / "site.yml").write_text(
        "- hosts: all\n  tasks:\n    - ping:\n      notify: [alpha, bravo, charlie, delta, echo, foxtrot]\n"
        "  handlers:\n" + "".join(f"    - name: {name}\n      ping:\n      listen: [{name}1, {name}2]\n"
                                  for name in ("golf", "hotel", "golf", "india", "hotel")))
    outputs = set()
    for seed in ("1", "2", "3", "4"):
        done = subprocess.run([sys.executable, "-m", "shep", "validate", "--no-cache", "--format", "json", "site.yml"],
                              cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed})
        assert "V003" in done.stdout and "V053" in done.stdout
        outputs.add(done.stdout)
    assert len(outputs) == 1
