"""The CLI end to end: output lines, exit codes, no tracebacks on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "fixtures" / "examples" / "site.yml"


def shep(*args: str, cwd: Path | None = None, umask: int = -1) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "shep", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=120, check=False, umask=umask)


def test_dump_of_a_directory_dumps_its_ansible_files_only(tmp_path: Path) -> None:
    (tmp_path / "roles" / "r" / "tasks").mkdir(parents=True)
    (tmp_path / "roles" / "r" / "vars").mkdir(parents=True)
    (tmp_path / "roles" / "r" / "tasks" / "main.yml").write_text("- name: t\n  ping:\n")
    (tmp_path / "roles" / "r" / "vars" / "list.yml").write_text("- name: not a task\n  value: 1\n")
    (tmp_path / "site.yml").write_text("- hosts: all\n  tasks:\n    - command: echo hi\n")
    (tmp_path / "other.yml").write_text("key: value\n")
    result = shep("dump", "--format", "jsonl", str(tmp_path))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(Path(r["path"]).name, r["action"]) for r in records] == [  # in the order validate walks
        ("site.yml", "command"), ("main.yml", "ping")]
    forced = shep("dump", "--format", "jsonl", "--kind", "tasks", str(tmp_path / "roles"))
    assert sorted(Path(json.loads(line)["path"]).name for line in forced.stdout.splitlines()) == [
        "list.yml", "main.yml"]
    refused = shep("dump", "--format", "fbs", "-o", str(tmp_path / "x.shep"), str(tmp_path))
    assert refused.returncode == 2 and "give a file, not a directory" in refused.stderr
    assert "Traceback" not in refused.stderr and not (tmp_path / "x.shep").exists()
    typed = shep("task", "dump", "--format", "json", "-f", str(tmp_path / "roles"))  # takes files only
    assert typed.returncode == 2 and "Is a directory" in typed.stdout + typed.stderr


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
@pytest.mark.parametrize("umask", [0o022, 0o002], ids=oct)
@pytest.mark.parametrize("fmt", ["fbs", "json"])
def test_output_file_mode_follows_the_umask_and_an_existing_file(tmp_path: Path, umask: int, fmt: str) -> None:
    out = tmp_path / f"site.{fmt}"
    result = shep("playbook", "dump", str(EXAMPLE), "--format", fmt, "-o", str(out), umask=umask)
    assert result.returncode == 0, result.stderr
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # as `> site.shep` would create it
    out.chmod(0o640)
    assert shep("playbook", "dump", str(EXAMPLE), "--format", fmt, "-o", str(out), umask=umask).returncode == 0
    assert out.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_decode_of_the_deepest_buffer_prints_it(tmp_path: Path, fmt: str) -> None:
    """A block nested MAX_DEPTH deep (the most a .shep buffer may hold) decodes and prints, no traceback."""
    from shep.diagnostics import Span
    from shep.model import Task, TaskFile
    from shep.serialize.fbs import MAX_DEPTH, to_flatbuffers

    nested = Task(path="t.yml", span=Span(1, 1, 1, 2), doc_path="tasks[0]", action="ping")
    for _ in range(MAX_DEPTH - 1):
        nested = Task(path="t.yml", span=Span(1, 1, 1, 2), doc_path="tasks[0]", is_block=True, block_tasks=(nested,))
    buffer = tmp_path / "deep.shep"
    buffer.write_bytes(to_flatbuffers(TaskFile(path="t.yml", tasks=(nested,))))
    result = shep("decode", str(buffer), "--format", fmt)
    assert result.returncode == 0 and result.stderr == ""
    if fmt == "json":
        assert result.stdout.count('"block_tasks": [') == MAX_DEPTH - 1
    else:
        assert len(result.stdout.splitlines()) == 1 and json.loads(result.stdout)["action"] == "ping"


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_decode_of_an_integer_too_long_to_print_is_a_clean_error(tmp_path: Path, fmt: str) -> None:
    """YAML cannot give an integer of more than 4300 digits (the loader refuses it); a buffer can."""
    from shep.diagnostics import Span
    from shep.model import Task, TaskFile
    from shep.serialize.fbs import to_flatbuffers

    task = Task(path="t.yml", span=Span(1, 1, 1, 2), doc_path="tasks[0]", action="debug", args={"v": 10**5000})
    buffer = tmp_path / "big.shep"
    buffer.write_bytes(to_flatbuffers(TaskFile(path="t.yml", tasks=(task,))))
    result = shep("decode", str(buffer), "--format", fmt)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"error: {buffer}: cannot print as {fmt}: ") and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_decode_of_a_buffer_whose_shared_values_expand_exponentially_is_refused(tmp_path: Path, fmt: str) -> None:
    """2 KB of buffer: a list holding one list twice, 40 deep, would print 2**40 values."""
    from shep.diagnostics import Span
    from shep.model import Task, TaskFile
    from shep.serialize.fbs import to_flatbuffers

    value: object = "x"
    for _ in range(40):
        value = [value, value]
    task = Task(path="t.yml", span=Span(1, 1, 1, 2), doc_path="tasks[0]", action="debug", args={"msg": value})
    buffer = tmp_path / "bomb.shep"
    buffer.write_bytes(to_flatbuffers(TaskFile(path="t.yml", tasks=(task,))))
    assert buffer.stat().st_size < 4096
    result = subprocess.run([sys.executable, "-m", "shep", "decode", str(buffer), "--format", fmt],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"error: {buffer}: ") and "expand" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_version() -> None:
    result = shep("--version")
    assert result.returncode == 0 and result.stdout.startswith("shep ")


def test_playbook_validate_clean_example() -> None:
    result = shep("playbook", "validate", str(EXAMPLE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[OK] all tasks are valid" in result.stdout


def test_task_validate_reports_every_problem_with_position(tmp_path: Path) -> None:
    bad = tmp_path / "main.yml"
    bad.write_text("- debug: msg=a\n  apt: name=b\n- name: only a name\n- shell: echo ok\n")
    result = shep("task", "validate", "-f", str(bad))
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if ": error " in line]
    assert lines == [
        f"{bad}:2:3: error D001 conflicting action statements: debug, apt",
        f"{bad}:3:3: error D002 no module/action detected in task. (hint: an empty task: add a module or remove it)",
    ]


def test_dump_jsonl_records(tmp_path: Path) -> None:
    result = shep("dump", "--format", "jsonl", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["task_path"] for r in records] == [
        "plays[0].tasks[0]", "plays[0].tasks[1]", "plays[0].tasks[2].block[0]",
        "plays[0].tasks[2].rescue[0]", "plays[0].handlers[0]"]
    first = records[0]
    assert first["action"] == "ansible.builtin.apt"
    assert first["args"] == {"name": "nginx", "state": "present", "update_cache": "yes"}
    assert (first["line"], first["col"], first["error"]) == (8, 7, None)
    assert records[1]["args"]["mode"] == 420  # YAML 1.1 octal, as ansible-core
    assert records[3]["delegate_to"] == "localhost"


def test_dump_kind_override_and_vault_unsafe_json(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_text("- debug:\n    msg: !unsafe '{{ x }}'\n    pw: !vault |\n      $ANSIBLE_VAULT;1.1;AES256\n      61\n"
                    "    when_: 2024-01-02\n")
    result = shep("dump", "--kind", "handlers", str(path))
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["task_path"] == "handlers[0]"
    assert record["args"] == {"msg": {"__ansible_unsafe": "{{ x }}"},
                              "pw": {"__ansible_vault": "$ANSIBLE_VAULT;1.1;AES256\n61\n"}, "when_": "2024-01-02"}


@pytest.mark.parametrize("content", [b"\x00\x01\x02binary\xff", b"a: [\n", b"\xff\xfe\x00\x00", b"- a: !!python/name:os x\n"])
def test_bad_files_never_traceback(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "tasks" / "main.yml"
    path.parent.mkdir()
    path.write_bytes(content)
    for args in (("task", "validate", "-f", str(path)), ("dump", str(path)), ("validate", str(tmp_path))):
        result = shep(*args)
        assert "Traceback" not in result.stderr + result.stdout
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert f"{path}:" in result.stdout + result.stderr


def test_missing_file_and_directory_are_usage_errors(tmp_path: Path) -> None:
    assert shep("task", "validate", "-f", str(tmp_path / "nope.yml")).returncode == 2
    assert shep("playbook", "validate", str(tmp_path)).returncode == 2
    result = shep("validate", str(tmp_path / "nope"))
    assert result.returncode == 2 and "No such file" in result.stderr


def test_validate_walks_and_skips_non_ansible_yaml(tmp_path: Path) -> None:
    (tmp_path / "roles" / "r" / "tasks").mkdir(parents=True)
    (tmp_path / "roles" / "r" / "tasks" / "main.yml").write_text("- ping:\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "bad.yml").write_text("- ping:\n  shell: x\n")
    (tmp_path / "config.yml").write_text("key: value\n")
    result = shep("validate", str(tmp_path))
    assert result.returncode == 0, result.stdout
    assert "passed: " in result.stdout and "skipped: " in result.stdout and ".git" not in result.stdout
