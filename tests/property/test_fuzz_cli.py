"""Fuzz the command line: any file content gives exit 0/1 (2 only for usage or I/O), never a traceback.

Two runners: the CLI in-process (``shep.cli.main`` with strict UTF-8 stdout/stderr, many examples;
an exception escaping ``main`` is exactly what would print a traceback) and the real
``python -m shep`` in a subprocess over batches of generated files (process pool, cache, real
stdio with strict UTF-8 as in an en_US.UTF-8 terminal).

When SHEP_FUZZ_EXAMPLES is set, the in-process tests run SHEP_FUZZ_EXAMPLES // 4 examples and the
subprocess test SHEP_FUZZ_EXAMPLES // 50 batches (never fewer than their defaults).
"""

from __future__ import annotations

import atexit
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import chdir, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shep.cli import main
from shep.diagnostics import RULES
from tests.property.test_fuzz_library import grammar_yaml, hostile_bytes, structure_yaml, yamlish_text

pytestmark = pytest.mark.slow  # fuzzing campaigns, in process and in subprocesses

_SCALE = os.environ.get("SHEP_FUZZ_EXAMPLES")


def fuzz_settings(default: int, divisor: int = 1) -> settings:
    count = max(default, int(_SCALE) // divisor) if _SCALE else default
    return settings(max_examples=count, deadline=None, database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture])


contents = st.one_of(
    grammar_yaml().map(lambda t: t.encode("utf-8")),
    structure_yaml().map(lambda t: t.encode("utf-8")),
    yamlish_text.map(lambda t: t.encode("utf-8")),
    hostile_bytes(),
)
# Where a file sits decides its detected kind; names with spaces and non-ASCII must survive output.
PLACES = ["site.yml", "tasks/main.yml", "handlers/main.yml", "roles/r/tasks/a b.yaml", "play é.yml", "日本/x.yml",
          "--looks-like-an-option.yml", "x\ty.yml", "vars/main.yml"]

VALIDATE_FORMATS = ("text", "json", "sarif", "github")


def run_in_process(argv: list[str]) -> tuple[int, str, str]:
    """``shep ARGV`` in this process; stdout/stderr are strict UTF-8 like a UTF-8 terminal's."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", write_through=True)
    code: Any = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(argv)
        except SystemExit as exc:
            code = exc.code
    if code is None:
        code = 0
    assert isinstance(code, int), f"shep {argv}: exit status {code!r} is not an int"
    out_bytes: bytes = out.buffer.getvalue()
    err_bytes: bytes = err.buffer.getvalue()
    return code, out_bytes.decode("utf-8"), err_bytes.decode("utf-8")


def check_run(argv: list[str], code: int, out: str, err: str, allowed: frozenset[int] = frozenset({0, 1})) -> None:
    where = f"shep {' '.join(argv)} -> {code}\n--- stdout\n{out[-3000:]}\n--- stderr\n{err[-3000:]}"
    assert "Traceback" not in out + err, where
    assert code in allowed, where


def iter_json_values(text: str) -> list[Any]:
    """Concatenated JSON documents (``dump --format json`` prints one per file)."""
    decoder = json.JSONDecoder()
    values, index = [], 0
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return values
        value, index = decoder.raw_decode(text, index)
        values.append(value)


def check_validate_json(argv: list[str], code: int, out: str) -> None:
    report = json.loads(out)
    assert isinstance(report, dict), out[:500]
    diagnostics = [d for f in report.get("files", []) for d in f.get("diagnostics", [])]
    for d in diagnostics:
        assert d["code"] in RULES, d
        assert d["line"] >= 1 and d["col"] >= 1 and (d["end_line"], d["end_col"]) >= (d["line"], d["col"]), d
    errors = any(d["severity"] == "error" for d in diagnostics)
    io_errors = any(d["code"] == "Y000" for d in diagnostics)
    expected = 2 if io_errors else (1 if errors else 0)
    assert code == expected, f"shep {argv}: exit {code}, diagnostics say {expected}: {out[:2000]}"


_TREE = Path(tempfile.mkdtemp(prefix="shep-fuzz-cli-"))
atexit.register(shutil.rmtree, _TREE, ignore_errors=True)


def _has_command(*words: str) -> bool:
    return run_in_process([*words, "--help"])[0] == 0


_DUMPS = [(words, argv) for words, argv in [
    (("playbook", "dump"), lambda p, o: ["playbook", "dump", "--format", "fbs", "-o", o, p]),
    (("playbook", "dump"), lambda p, o: ["playbook", "dump", "--format", "json", p]),
    (("task", "dump"), lambda p, o: ["task", "dump", "--format", "fbs", "-o", o, "-f", p]),
    (("handlers", "dump"), lambda p, o: ["handlers", "dump", "--format", "jsonl", "-f", p]),
] if _has_command(*words)]


def DUMP_COMMANDS(path: str, out: str) -> list[list[str]]:  # noqa: N802 - a table of commands
    """The per-kind dump commands of this version of shep (FlatBuffers to a file, JSON to stdout)."""
    return [argv(path, out) for _words, argv in _DUMPS]


def _place(root: Path, where: str, data: bytes) -> Path:
    path = root / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# -- in-process ----------------------------------------------------------------------------------


@fuzz_settings(200, divisor=4)
@given(contents, st.sampled_from(PLACES), st.sampled_from(VALIDATE_FORMATS))
def test_cli_in_process(data: bytes, where: str, fmt: str) -> None:
    root = _TREE / "inproc"
    shutil.rmtree(root, ignore_errors=True)
    path = str(_place(root, where, data))
    runs: list[list[str]] = [
        ["validate", "--format", fmt, str(root)],
        ["validate", "--format", "json", path],
        ["task", "validate", "-f", path],
        ["handlers", "validate", "-f", path],
        ["playbook", "validate", "--format", fmt, path],
        ["dump", "--format", "jsonl", path],
        ["dump", "--format", "json", path],
        ["dump", "--format", "jsonl", "--kind", "playbook", path],
        *DUMP_COMMANDS(path, str(root / "out.shep")),
    ]
    with chdir(root):  # no configuration file of the repository applies
        results = [(argv, *run_in_process(argv)) for argv in runs]
    for argv, code, out, err in results:
        check_run(argv, code, out, err)
        if argv[0] == "validate" and "json" in argv:
            check_validate_json(argv, code, out)
        elif argv[0] == "validate" and fmt == "sarif":
            json.loads(out)
        elif argv[0] == "dump" and "jsonl" in argv:
            for line in out.splitlines():
                json.loads(line)
        elif argv[0] == "dump" or argv[:2] == ["playbook", "dump"] and "json" in argv:
            assert len(iter_json_values(out)) == 1, out[:2000]
    with chdir(root):
        code, out, _ = run_in_process(["validate", path])
    assert path in out, f"the text report does not name the file {path!r}:\n{out[-2000:]}"


@fuzz_settings(150, divisor=4)
@given(contents)
def test_dump_formats_agree_on_the_exit_status(data: bytes) -> None:
    """`dump --format json` and `--format jsonl` read the same file: they must agree on whether it has errors."""
    path = str(_place(_TREE / "agree", "tasks/main.yml", data))
    with chdir(_TREE):
        codes = {fmt: run_in_process(["dump", "--format", fmt, path])[0] for fmt in ("jsonl", "json")}
    assert codes["json"] == codes["jsonl"], f"exit status differs between dump formats: {codes} for {data[:300]!r}"


# -- real processes ------------------------------------------------------------------------------


def run_subprocess(argv: list[str], cwd: Path) -> tuple[int, str, str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}  # strict, as on an en_US.UTF-8 terminal
    proc = subprocess.run([sys.executable, "-m", "shep", *argv], cwd=cwd, env=env, capture_output=True,
                          timeout=120, check=False)
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


@fuzz_settings(20, divisor=50)
@given(st.lists(st.tuples(contents, st.sampled_from(PLACES)), min_size=8, max_size=14))
def test_cli_subprocess_batches(batch: list[tuple[bytes, str]]) -> None:
    root = _TREE / "batch"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    paths = []
    for index, (data, where) in enumerate(batch):
        paths.append(str(_place(root, f"d{index}/{where}", data)))
    runs: list[tuple[list[str], str]] = [
        (["validate", "--format", "json", "."], "validate-json"),
        (["validate", "--no-cache", "."], "text"),
        (["task", "validate", "--format", "json", *sum((["-f", p] for p in paths), [])], "validate-json"),
        (["playbook", "validate", "--format", "sarif", *paths], "sarif"),
        (["dump", "--format", "jsonl", *paths], "jsonl"),
        (["dump", "--format", "json", *paths], "json"),
    ]
    for argv, kind in runs:
        code, out, err = run_subprocess(argv, root)
        check_run(argv, code, out, err)
        if kind == "validate-json":
            check_validate_json(argv, code, out)
        elif kind == "sarif":
            json.loads(out)
        elif kind == "jsonl":
            # Records end with "\n" only: str.splitlines() would also split at a U+0085 or U+2028 that
            # a string of a record holds (ensure_ascii=False writes them as they are).
            assert out == "" or out.endswith("\n")
            for line in out.split("\n")[:-1]:
                json.loads(line)
        elif kind == "json":
            assert len(iter_json_values(out)) == len(paths)
        elif kind == "text":
            for path in paths:
                assert os.path.relpath(path, root) in out, f"{path} missing from the report:\n{out[-3000:]}"


def test_dump_json_exit_status_regression() -> None:
    """fixtures/regressions/dump-json-exit-status.yml: `dump --format json` exited 0 on a file with errors."""
    path = str(Path(__file__).resolve().parents[2] / "fixtures" / "regressions" / "dump-json-exit-status.yml")
    with chdir(_TREE):
        codes = {fmt: run_in_process(["dump", "--format", fmt, path])[0] for fmt in ("jsonl", "json")}
        validate = run_in_process(["validate", path])[0]
    assert validate == 1
    assert codes == {"jsonl": 1, "json": 1}, f"a file with errors must exit 1 whatever the dump format: {codes}"
