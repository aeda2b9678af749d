"""shep as the Ansible language server's linter: the ansible-lint command line it runs, answered with a
Code Climate JSON array on stdout and nothing else (`shep validate --format codeclimate` gives the same)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import shep

BROKEN = "- ansible.builtin.file:\n    path: /srv\n    state: directroy\n- copy: src=a\n"


def _workspace(tmp_path: Path) -> Path:
    (tmp_path / "tasks").mkdir()
    (tmp_path / "tasks" / "main.yml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "clean.yml").write_text("- hosts: all\n  tasks:\n    - ansible.builtin.ping:\n", encoding="utf-8")
    return tmp_path


def test_the_language_servers_command_line_gets_one_json_array(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    target = str(root / "tasks" / "main.yml")
    (root / ".ansible-lint").write_text("profile: production\nnot: shep's\n", encoding="utf-8")
    result = shep("--profile", "min", "-c", str(root / ".ansible-lint"), "--offline", "--nocolor", "-f",
                  "codeclimate", "--fix", target, cwd=root)
    assert result.returncode == 1, result.stderr
    issues = json.loads(result.stdout)
    assert result.stdout.count("\n") == 1  # one line, nothing else
    assert [(i["check_name"], i["severity"], i["location"]["path"], i["location"]["lines"]["begin"])
            for i in issues] == [
        ("V023", "major", "tasks/main.yml", {"line": 3, "column": 5}),
        ("V025", "major", "tasks/main.yml", {"line": 4, "column": 3}),
    ]
    assert all(i["location"]["positions"]["begin"] == i["location"]["lines"]["begin"] for i in issues)
    assert issues[0]["url"].endswith("#v023-module-option-choice")
    assert "directroy" in issues[0]["description"]
    assert (root / "tasks" / "main.yml").read_text(encoding="utf-8") == BROKEN  # --fix writes nothing


def test_a_clean_or_skipped_file_is_an_empty_array(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    (root / "k8s.yml").write_text("apiVersion: v1\nkind: Pod\n", encoding="utf-8")
    for name in ("clean.yml", "k8s.yml"):
        result = shep("--offline", "--nocolor", "-f", "codeclimate", str(root / name), cwd=root)
        assert (result.returncode, result.stdout) == (0, "[]\n"), result.stderr


def test_failures_leave_stdout_empty(tmp_path: Path) -> None:
    missing = shep("--offline", "-f", "codeclimate", str(tmp_path / "gone.yml"), cwd=tmp_path)
    assert missing.returncode == 2 and missing.stdout == "" and "not a readable file" in missing.stderr
    other_format = shep("--offline", "-f", "pep8", str(tmp_path / "gone.yml"), cwd=tmp_path)
    assert other_format.returncode == 2 and other_format.stdout == "" and "codeclimate" in other_format.stderr


def test_validate_format_codeclimate_is_the_same_document(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    target = str(root / "tasks" / "main.yml")
    drop_in = shep("--offline", "--nocolor", "-f", "codeclimate", target, cwd=root)
    command = shep("validate", "--no-cache", "--format", "codeclimate", target, cwd=root)
    assert drop_in.stdout == command.stdout and json.loads(command.stdout)


def test_shep_configuration_is_found_from_the_files_directory(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    (root / "tasks" / ".shep.yml").write_text("ignore: [V023]\n", encoding="utf-8")
    result = shep("--offline", "-f", "codeclimate", str(root / "tasks" / "main.yml"), cwd=root)
    assert [i["check_name"] for i in json.loads(result.stdout)] == ["V025"]
