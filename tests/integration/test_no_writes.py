"""shep never writes to what it reads: checksums, mtimes and the file list of a tree are unchanged by a run.

The runs go over a copy of ../shared/corpus (skipped when absent) plus a small tree of odd files made
here, so the test works on a fresh clone too. ``-o`` outputs must appear whole or not at all: no
temporary file is left next to them, even when the run fails or is interrupted.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # whole-corpus runs in subprocesses, and big dumps interrupted

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
TIMEOUT_S = 300


def snapshot(root: Path) -> dict[str, tuple[str, int, int]]:
    """Every entry under root (files, directories, symlinks): kind + sha256 (files) or target, and mtime_ns."""
    out: dict[str, tuple[str, int, int]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = str(path.relative_to(root))
            info = path.lstat()
            if path.is_symlink():
                out[rel] = (f"link:{os.readlink(path)}", info.st_mtime_ns, info.st_mode)
            elif path.is_file():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                out[rel] = (digest, info.st_mtime_ns, info.st_mode)
            elif path.is_dir():
                out[rel] = ("dir", info.st_mtime_ns, info.st_mode)
            else:
                out[rel] = ("special", info.st_mtime_ns, info.st_mode)
    return out


def diff(before: dict[str, tuple[str, int, int]], after: dict[str, tuple[str, int, int]]) -> list[str]:
    problems = [f"new: {p}" for p in sorted(set(after) - set(before))]
    problems += [f"removed: {p}" for p in sorted(set(before) - set(after))]
    problems += [f"changed: {p} {before[p]} -> {after[p]}" for p in sorted(set(before) & set(after))
                 if before[p] != after[p]]
    return problems


def shep(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "shep", *args], cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=TIMEOUT_S, check=False)


def odd_tree(root: Path) -> Path:
    """Files that take unusual code paths: errors, BOM, CRLF, an unreadable one, a FIFO, symlinks."""
    tree = root / "odd"
    (tree / "roles" / "r" / "tasks").mkdir(parents=True)
    (tree / "roles" / "r" / "handlers").mkdir(parents=True)
    (tree / "site.yml").write_text("- hosts: all\n  roles: [r]\n  tasks:\n    - debug: msg=x\n      notify: h\n")
    (tree / "roles" / "r" / "tasks" / "main.yml").write_bytes(b"\xef\xbb\xbf- name: bom\r\n  ping:\r\n")
    (tree / "roles" / "r" / "handlers" / "main.yml").write_text("- name: h\n  debug: msg=y\n")
    (tree / "broken.yml").write_text("- debug: msg=x\n  shell: echo\n- [\n")
    (tree / "binary.yml").write_bytes(b"\x00\xff\xfe" * 100)
    (tree / "vars.yml").write_text("a: 1\n")
    (tree / "link.yml").symlink_to("site.yml")
    (tree / "dangling.yml").symlink_to("nowhere.yml")
    os.mkfifo(tree / "fifo.yml")
    (tree / "# shep: noqa.yml").write_text("- debug: msg=x  # shep: noqa\n")
    return tree


def yaml_files(tree: Path) -> list[str]:
    return sorted(str(p.relative_to(tree)) for p in tree.rglob("*") if p.suffix in (".yml", ".yaml")
                  and p.is_file())


@pytest.fixture
def trees(tmp_path: Path) -> list[Path]:
    out = [odd_tree(tmp_path)]
    if (CORPUS / "manifest.jsonl").is_file():
        copy = tmp_path / "corpus"
        shutil.copytree(CORPUS, copy, symlinks=True)
        out.append(copy)
    return out


def test_validate_and_dump_leave_every_file_untouched(trees: list[Path], tmp_path: Path) -> None:
    if len(trees) == 1:
        print(f"note: shared corpus not found at {CORPUS}; only the generated tree is checked")
    cache = tmp_path / "cache"
    for tree in trees:
        before = snapshot(tree)
        files = yaml_files(tree)
        task_files = [f for f in files if "/tasks/" in f"/{f}" or "/handlers/" in f"/{f}"][:200]
        runs = [
            ["validate", "."],
            ["validate", "."],  # warm cache
            ["validate", "--no-cache", "--format", "json", "."],
            ["validate", "--format", "sarif", "--jobs", "1", "."],
            ["validate", "--format", "github", str(tree)],
            ["dump", "--format", "jsonl", *files],
            ["dump", "--format", "json", *files],
            ["task", "validate", *sum((["-f", f] for f in task_files), [])],
            ["playbook", "validate", *files[:200]],
        ]
        for args in runs:
            result = shep(args, tree, env={"SHEP_CACHE_DIR": str(cache)})
            assert "Traceback" not in result.stdout + result.stderr, f"shep {args[:3]}: {result.stderr[-3000:]}"
            assert result.returncode in (0, 1, 2), result.returncode
        # The default cache location (no SHEP_CACHE_DIR) must not be inside the tree either.
        env = {k: v for k, v in os.environ.items() if k != "SHEP_CACHE_DIR"}
        env.update(XDG_CACHE_HOME=str(tmp_path / "xdg"), HOME=str(tmp_path / "home"), NO_COLOR="1")
        proc = subprocess.run([sys.executable, "-m", "shep", "validate", "."], cwd=tree, env=env, capture_output=True,
                              text=True, timeout=TIMEOUT_S, check=False)
        assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr[-3000:]
        problems = diff(before, snapshot(tree))
        assert not problems, f"shep changed {tree}:\n" + "\n".join(problems[:50])
    leftovers = [str(p) for p in cache.rglob("*") if p.name.endswith(".tmp")]  # write_atomic: .shep-*.tmp
    assert not leftovers, f"temporary cache files left behind: {leftovers[:20]}"


def test_shared_corpus_matches_its_manifest() -> None:
    """The shared corpus itself (read by the other tests) is never modified: compare with its manifest."""
    if not (CORPUS / "manifest.jsonl").is_file():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    mismatched = []
    for line in (CORPUS / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        path = CORPUS / entry["repo"] / entry["path"]
        if hashlib.sha1(path.read_bytes()).hexdigest() != entry["sha1"]:  # noqa: S324 - the manifest's own hash
            mismatched.append(str(path))
    assert not mismatched, f"corpus files differ from manifest.jsonl: {mismatched[:20]}"


# -- -o outputs ----------------------------------------------------------------------------------


# The dump commands that write to ``-o`` (README; ``task``/``handlers`` take the file as -f). A fixed list:
# a command that breaks or loses -o fails these tests instead of being left out of them.
OUTPUT_COMMANDS = [["playbook", "dump"], ["task", "dump"], ["handlers", "dump"]]


def dump_argv(command: list[str], source: Path | str, out: Path | str, fmt: str = "json") -> list[str]:
    file_args = ["-f", str(source)] if command[0] in ("task", "handlers") else [str(source)]
    return [*command, "--format", fmt, "-o", str(out), *file_args]


@pytest.fixture(scope="module")
def dump_commands() -> list[list[str]]:
    """OUTPUT_COMMANDS, each checked to offer -o (its --help lists the option)."""
    missing = []
    for command in OUTPUT_COMMANDS:
        result = shep([*command, "--help"], REPO, env={"COLUMNS": "200"})
        if result.returncode != 0 or not ("-o" in result.stdout.split() or "--output" in result.stdout):
            missing.append(f"shep {' '.join(command)}: exit {result.returncode}, no -o in its help\n"
                           f"{result.stdout[-1500:]}{result.stderr[-1500:]}")
    assert not missing, "\n\n".join(missing)
    return OUTPUT_COMMANDS


def temp_leftovers(directory: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name not in keep)


SOURCES = {
    "playbook": "- hosts: all\n  tasks:\n    - debug: msg=x\n",
    "task": "- name: t\n  debug: msg=x\n",
    "handlers": "- name: h\n  debug: msg=x\n",
    "dump": "- name: t\n  debug: msg=x\n",
}


def source_for(command: list[str], root: Path) -> Path:
    path = root / f"src-{command[0]}.yml"
    path.write_text(SOURCES[command[0]])
    return path


@pytest.mark.parametrize("fmt", ["json", "jsonl", "fbs"])
def test_dash_o_writes_the_whole_output_and_no_temp_file(fmt: str, dump_commands: list[list[str]],
                                                         tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for command in dump_commands:
        source = source_for(command, tmp_path)
        before = snapshot(tmp_path / "out")
        out = out_dir / f"{'-'.join(command)}.{fmt}"
        result = shep(dump_argv(command, source, out, fmt), tmp_path)
        assert "Traceback" not in result.stdout + result.stderr, result.stderr
        assert result.returncode == 0, result.stderr
        data = out.read_bytes()
        if fmt == "json":
            json.loads(data)
        elif fmt == "jsonl":
            assert data and all(json.loads(line) for line in data.splitlines())
        else:
            assert len(data) > 8
        assert diff(before, snapshot(out_dir)) == [f"new: {out.name}"]
        assert source.read_text() == SOURCES[command[0]]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "fbs"])
def test_dash_o_failure_keeps_the_previous_output(fmt: str, dump_commands: list[list[str]], tmp_path: Path) -> None:
    """An unreadable source or an unwritable target: exit 2, an existing output stays as it was, no temp file."""
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "result.out"
    failures = []
    for command in dump_commands:
        out.write_text('{"previous": true}\n')
        result = shep(dump_argv(command, tmp_path / "missing.yml", out, fmt), tmp_path)
        assert "Traceback" not in result.stdout + result.stderr, result.stderr
        if result.returncode != 2:
            failures.append(f"{command} on a missing file: exit {result.returncode}")
        if out.read_text() != '{"previous": true}\n':
            failures.append(f"{command} --format {fmt} -o: a failed dump replaced the previous output with "
                            f"{out.read_bytes()[:80]!r}")
        if temp_leftovers(out_dir, {"result.out"}):
            failures.append(f"{command}: temporary files left: {temp_leftovers(out_dir, {'result.out'})}")
        source = source_for(command, tmp_path)
        result = shep(dump_argv(command, source, tmp_path / "no" / "such" / "dir" / "r.json", fmt), tmp_path)
        assert "Traceback" not in result.stdout + result.stderr, result.stderr
        if result.returncode != 2 or (tmp_path / "no").exists():
            failures.append(f"{command} to a missing directory: exit {result.returncode}")
    assert not failures, "\n".join(failures)


def test_dash_o_interrupted_leaves_old_output_or_none(dump_commands: list[list[str]], tmp_path: Path) -> None:
    """Ctrl-C in the middle of a big dump: the previous output stays whole, no temp file appears.

    A dump that ends before the signal (a fast machine) is retried on an input three times bigger."""
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for command in dump_commands:
        for tasks in (60_000, 180_000):  # a bigger input costs minutes where the machine is slow
            big = tmp_path / "big.yml"
            if command[0] == "playbook":
                big.write_bytes(b"- hosts: all\n  tasks:\n" + b"    - name: t\n      debug: msg=hello\n" * tasks)
            else:
                big.write_bytes(b"- name: t\n  debug: msg=hello\n" * tasks)
            out = out_dir / "result.json"
            out.write_text('{"previous": true}\n')
            proc = subprocess.Popen([sys.executable, "-m", "shep", *dump_argv(command, big, out)],
                                    cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            time.sleep(1.0)
            proc.send_signal(signal.SIGINT)
            _stdout, stderr = proc.communicate(timeout=TIMEOUT_S)
            assert b"Traceback" not in stderr, stderr.decode("utf-8", "replace")[-3000:]
            json.loads(out.read_text(encoding="utf-8"))  # the old content or the complete new one, never a prefix
            assert temp_leftovers(out_dir, {"result.json"}) == []
            if proc.returncode != 0:
                break
        assert proc.returncode != 0, f"{command} finished within 1s even on {tasks} tasks: nothing was interrupted"


# -- the cache -----------------------------------------------------------------------------------


def test_concurrent_runs_sharing_a_cache_agree_and_leave_no_temp_files(trees: list[Path], tmp_path: Path) -> None:
    """Four cold runs at once on one cache directory, then a warm one: same report as --no-cache every time."""
    tree = trees[-1]
    cache = tmp_path / "shared-cache"
    env = {"SHEP_CACHE_DIR": str(cache)}
    reference = shep(["validate", "--no-cache", "--format", "json", "."], tree)
    expected = json.loads(reference.stdout)["files"]
    full_env = {**os.environ, "NO_COLOR": "1", **env}
    procs = [subprocess.Popen([sys.executable, "-m", "shep", "validate", "--format", "json", "--jobs", "2", "."],
                              cwd=tree, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(4)]
    outputs = [p.communicate(timeout=TIMEOUT_S) for p in procs]
    warm = shep(["validate", "--format", "json", "."], tree, env=env)
    for stdout, stderr in [*outputs, (warm.stdout.encode(), warm.stderr.encode())]:
        assert b"Traceback" not in stderr, stderr.decode("utf-8", "replace")[-3000:]
        assert json.loads(stdout)["files"] == expected
    leftovers = [str(p) for p in cache.rglob("*") if p.name.endswith(".tmp")]  # write_atomic: .shep-*.tmp
    assert not leftovers, f"temporary cache files left behind: {leftovers[:20]}"
