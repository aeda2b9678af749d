"""Hostile and broken inputs, each through the library API and the CLI, in bounded time and memory.

Every run is a subprocess with a wall-clock timeout and a 2 GiB address-space cap
(``RLIMIT_AS``), so a hang or a memory blow-up fails the test instead of the machine. The library
runner calls ``shep.load`` (every kind), ``shep.batch.validate_file``, ``shep.parse`` (both
parsers, for content cases) and the JSON serializers; any exception it sees is a failure. CLI runs
use a strict UTF-8 stdout (``PYTHONIOENCODING=utf-8``, as on an en_US.UTF-8 terminal).

The contract: no traceback, a clear message that names the path, exit 1 for bad content and 2 for
I/O errors, and ``!!python/*`` tags never constructed.

The CLI runs (one subprocess per case and command) and the big inputs are marked ``slow``: ``make
test`` and CI run them, ``pytest -m "not slow"`` keeps the library runs (one subprocess per case).
Generated inputs that only need to cross a limit are the smallest that cross it.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from shep.loader.depth import MAX_DEPTH
from shep.fileio import DEFAULT_MAX_BYTES

REPO = Path(__file__).resolve().parents[2]
HOSTILE_FIXTURES = REPO / "fixtures" / "hostile"
REGRESSIONS = REPO / "fixtures" / "regressions"
TIMEOUT_S = 60.0
MEMORY_CAP = 2 * 1024**3
QUICK_S = 15.0  # a refusal by size must not read or parse the file
# The shallowest nesting the loader refuses (shep.loader.depth): the generated depth cases use it. The
# committed fixtures keep the 10,000- and 100,000-level files that would crash a recursive composer.
DEEPER = MAX_DEPTH + 1


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


@dataclass
class Run:
    argv: list[str]
    code: int
    out: str
    err: str
    seconds: float

    def show(self) -> str:
        return (f"$ {' '.join(self.argv)}\n-> exit {self.code} in {self.seconds:.1f}s\n--- stdout\n{self.out[-2500:]}"
                f"\n--- stderr\n{self.err[-2500:]}")


def run(argv: list[str], cwd: Path, timeout: float = TIMEOUT_S, prefix: list[str] | None = None) -> Run:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8", "SHEP_CACHE_DIR": str(cwd / ".cache-shep")}
    full = [*(prefix or []), *argv]
    start = time.monotonic()
    try:
        proc = subprocess.run(full, cwd=cwd, env=env, capture_output=True, timeout=timeout, check=False,
                              preexec_fn=_limit_memory, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"did not finish within {timeout:.0f}s: {' '.join(map(str, full))}\n"
                    f"{(exc.stderr or b'')[-2000:].decode('utf-8', 'replace')}")
    return Run(full, proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"),
               time.monotonic() - start)


def shep_cli(args: list[str], cwd: Path, **kw: object) -> Run:
    return run([sys.executable, "-m", "shep", *args], cwd, **kw)  # type: ignore[arg-type]


LIBRARY_RUNNER = textwrap.dedent('''
    import json, sys, traceback
    mode, path = sys.argv[1], sys.argv[2]
    try:
        import shep
        from shep.serialize.json import iter_task_records, model_to_dict
        from shep.batch import Options, validate_file

        def diags(items):
            return [{"code": d.code, "message": d.message, "path": d.path,
                     "span": [d.span.line, d.span.col, d.span.end_line, d.span.end_col]} for d in items]

        def serialize(model):
            json.dumps(model_to_dict(model), allow_nan=False)
            for record in iter_task_records(model, include_blocks=True):
                json.dumps(record, allow_nan=False)

        out = {"load": [], "validate": [], "parse": []}
        once = mode == "once"  # one load and one validation (for big files), no parse
        for kind in (None,) if once else (None, "playbook", "tasks", "handlers"):
            model = shep.load(path, kind)
            serialize(model)
            out["load"].append(diags(model.diagnostics))
        for options in (Options(),) if once else (Options(), Options(kind="tasks")):
            result = validate_file(path, options)
            out["validate"].append(diags(result.diagnostics))
        if mode == "content":
            with open(path, "rb") as handle:
                data = handle.read()
            inputs = [data]
            try:
                inputs.append(data.decode("utf-8"))
            except UnicodeDecodeError:
                pass
            for value in inputs:
                for reference in (False, True):
                    model = shep.parse(value, filename=path, reference=reference)
                    serialize(model)
                    out["parse"].append(diags(model.diagnostics))
    except BaseException:
        traceback.print_exc()
        sys.exit(3)
    print(json.dumps(out))
''')


def shep_library(path: Path | str, cwd: Path, mode: str = "content", prefix: list[str] | None = None,
                 timeout: float = TIMEOUT_S) -> tuple[Run, dict[str, list[list[dict[str, object]]]]]:
    result = run([sys.executable, "-c", LIBRARY_RUNNER, mode, str(path)], cwd, timeout=timeout, prefix=prefix)
    assert result.code == 0 and "Traceback" not in result.err, "an exception escaped the library API\n" + result.show()
    return result, json.loads(result.out.strip().splitlines()[-1])


# -- hostile content -----------------------------------------------------------------------------


def billion_laughs() -> bytes:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    return ("\n".join(lines) + "\n").encode()


def billion_laughs_in_a_task() -> bytes:
    body = billion_laughs().decode().replace("\n", "\n    ")
    return f"- name: laughs\n  vars:\n    {body}\n  debug:\n    msg: \"{{{{ i }}}}\"\n".encode()


def merge_bomb() -> bytes:
    lines = ["- name: merge bomb", "  vars:", "    l0: &l0 {k0: v, k1: v}"]
    for level in range(1, 12):
        refs = ", ".join([f"*l{level - 1}"] * 10)
        lines.append(f"    l{level}: &l{level} {{<<: [{refs}], n{level}: {level}}}")
    lines.append("  debug: msg=x")
    return ("\n".join(lines) + "\n").encode()


def merge_bomb_block() -> bytes:
    lines = ["- &m0", "  k: v"]
    for level in range(1, 12):
        lines += [f"- &m{level}", "  <<: [" + ", ".join([f"*m{level - 1}"] * 10) + "]", f"  n{level}: 1"]
    return ("\n".join(lines) + "\n").encode()


def nested_flow_sequences(depth: int = 10_000) -> bytes:
    return b"- debug:\n    msg: " + b"[" * depth + b"x" + b"]" * depth + b"\n"


def nested_flow_mappings(depth: int = 10_000) -> bytes:
    return b"- debug:\n    msg: " + b"{a: " * depth + b"x" + b"}" * depth + b"\n"


def nested_block_mappings(depth: int = 10_000) -> bytes:
    return "".join(" " * i + f"k{i}:\n" for i in range(depth)).encode() + b" " * depth + b"leaf\n"


def nested_block_sequences(depth: int = 10_000) -> bytes:
    return "".join(" " * (2 * i) + "-\n" for i in range(depth)).encode() + b" " * (2 * depth) + b"leaf\n"


def open_brackets(depth: int = 100_000) -> bytes:
    return b"[" * depth


def long_line() -> bytes:
    return b"- name: long\n  debug:\n    msg: " + b"x" * (10 * 1024 * 1024) + b"\n"


def binary_garbage() -> bytes:
    rng = random.Random(7)
    return b"\x7fELF\x02\x01\x01\x00\xff" + rng.randbytes(64 * 1024)


MARKER = "SHEP-PWNED"


def python_tags(root: Path) -> bytes:
    marker = root / MARKER
    return textwrap.dedent(f"""\
        - name: apply
          debug: !!python/object/apply:os.system ["touch {marker}"]
        - name: new
          debug:
            msg: !!python/object/new:os.system ["touch {marker}-new"]
        - name: name
          command: !!python/name:os.system
        - !!python/object/apply:subprocess.check_call [["touch", "{marker}-list"]]
        - name: object
          shell: !!python/object:os.system {{cmd: "touch {marker}-obj"}}
        - name: tuple
          vars: {{x: !!python/tuple [1, 2]}}
          debug: msg=x
        """).encode()


@dataclass
class Case:
    name: str
    build: Callable[[Path], bytes]
    codes: frozenset[str]  # at least one of these diagnostic codes must be reported (library and CLI)
    words: tuple[str, ...] = ()  # and one of these words must be in a message
    exit_codes: frozenset[int] = frozenset({1})
    slow: bool = False  # skipped by pytest -m "not slow"


CONTENT_CASES = [
    Case("billion-laughs", lambda r: billion_laughs(), frozenset({"Y007"}), ("alias", "expand")),
    Case("billion-laughs-in-task", lambda r: billion_laughs_in_a_task(), frozenset({"Y007"}), ("alias", "expand")),
    Case("merge-key-bomb", lambda r: merge_bomb(), frozenset({"Y007"}), ("merge", "expand")),
    Case("merge-key-bomb-block", lambda r: merge_bomb_block(), frozenset({"Y007"}), ("merge", "expand")),
    Case(f"nested-flow-seq-{DEEPER}", lambda r: nested_flow_sequences(DEEPER), frozenset({"Y007"}),
         ("nesting", "deep")),
    Case(f"nested-flow-map-{DEEPER}", lambda r: nested_flow_mappings(DEEPER), frozenset({"Y007"}),
         ("nesting", "deep")),
    # 10,000 block levels need 50-100 MB of indentation: a size refusal is as good as a depth one.
    Case("nested-block-map-10k", lambda r: nested_block_mappings(), frozenset({"Y007"}),
         ("nesting", "deep", "larger than"), slow=True),
    Case("nested-block-seq-10k", lambda r: nested_block_sequences(), frozenset({"Y007"}),
         ("nesting", "deep", "larger than"), slow=True),
    Case(f"nested-block-map-{DEEPER}", lambda r: nested_block_mappings(DEEPER), frozenset({"Y007"}),
         ("nesting", "deep")),
    Case(f"nested-block-seq-{DEEPER}", lambda r: nested_block_sequences(DEEPER), frozenset({"Y007"}),
         ("nesting", "deep")),
    Case(f"open-brackets-{DEEPER}", lambda r: open_brackets(DEEPER), frozenset({"Y007", "Y001"})),
    Case("binary-garbage", lambda r: binary_garbage(), frozenset({"Y002"}), ("UTF-8",)),
    Case("utf16-bom", lambda r: "- name: x\n  debug: msg=é\n".encode("utf-16"), frozenset({"Y002"}), ("UTF-16",)),
    Case("utf16-be-bom", lambda r: "- debug: msg=x\n".encode("utf-16-be").join([b"\xfe\xff", b""]),
         frozenset({"Y002"}), ("UTF-16",)),
    Case("utf32-bom", lambda r: "- name: x\n  debug: msg=é\n".encode("utf-32"), frozenset({"Y002"}), ("UTF-32",)),
    Case("utf16-no-bom", lambda r: "- debug: msg=x\n".encode("utf-16-le"), frozenset({"Y001", "Y002"})),
    Case("nul-bytes", lambda r: b"- name: a\x00b\n  debug: msg=x\x00\n", frozenset({"Y001", "Y002"})),
    Case("invalid-utf8", lambda r: b"- name: caf\xc3\x28\n  debug: msg=\xff\xfe\n", frozenset({"Y002"}), ("UTF-8",)),
    Case("utf8-encoded-surrogate", lambda r: b"- debug: msg=\xed\xa0\x80\n", frozenset({"Y002"}), ("UTF-8",)),
    Case("python-object-apply", python_tags, frozenset({"Y004"}), ("python",)),
    Case("long-line-10MB", lambda r: long_line(), frozenset(), exit_codes=frozenset({0, 1})),
]

# Every command runs every case: a command that breaks fails its rows (and test_every_command_runs says
# which), it is never left out of the table.
CLI_COMMANDS = {
    "validate": lambda p: ["validate", p],
    "task-validate": lambda p: ["task", "validate", "-f", p],
    "handlers-validate": lambda p: ["handlers", "validate", "-f", p],
    "playbook-validate": lambda p: ["playbook", "validate", p],
    "validate-json": lambda p: ["validate", "--format", "json", p],
    "dump-jsonl": lambda p: ["dump", "--format", "jsonl", p],
    "dump-json": lambda p: ["dump", "--format", "json", p],
    "playbook-dump-fbs": lambda p: ["playbook", "dump", "--format", "fbs", "-o", f"{p}.shep", p],
    "task-dump-json": lambda p: ["task", "dump", "--format", "json", "-f", p],
}


def command_words(command: str) -> list[str]:
    """The subcommand of a CLI_COMMANDS entry: its words before the first option or path."""
    words = []
    for arg in CLI_COMMANDS[command]("PATH"):
        if arg.startswith("-") or arg == "PATH":
            break
        words.append(arg)
    return words


@pytest.mark.slow  # one subprocess per command, as the matrix it guards
def test_every_command_runs(tmp_path: Path) -> None:
    """Each command of the table answers ``--help``: a broken one is named here, not only by its rows' exit codes."""
    broken = []
    for command in CLI_COMMANDS:
        result = shep_cli([*command_words(command), "--help"], tmp_path)
        if result.code != 0 or "Traceback" in result.out + result.err:
            broken.append(f"{command}: `shep {' '.join(command_words(command))}` is broken\n{result.show()}")
    assert not broken, "\n\n".join(broken)


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


def materialize(case: Case, root: Path) -> Path:
    path = root / f"{case.name}.yml"
    if not path.exists():
        path.write_bytes(case.build(root))
    return path


def all_codes(report: dict[str, list[list[dict[str, object]]]]) -> list[list[str]]:
    return [[str(d["code"]) for d in group] for key in ("load", "validate", "parse") for group in report[key]]


def no_marker(root: Path) -> None:
    leaked = [p.name for p in root.iterdir() if p.name.startswith(MARKER)]
    assert not leaked, f"a !!python tag was executed: {leaked} created"


def case_rows(cases: list[Case]) -> list[Any]:
    return [pytest.param(case, id=case.name, marks=[pytest.mark.slow] if case.slow else []) for case in cases]


@pytest.mark.parametrize("case", case_rows(CONTENT_CASES))
def test_hostile_content_library(case: Case, hostile_dir: Path) -> None:
    path = materialize(case, hostile_dir)
    result, report = shep_library(path, hostile_dir)
    assert result.seconds < TIMEOUT_S
    for group in (g for key in ("load", "validate", "parse") for g in report[key]):
        for d in group:
            assert d["path"] == str(path), d
            assert d["code"] != "Y000", f"an I/O error on a readable file: {d}"
    if case.codes:
        for codes in all_codes(report):
            assert case.codes & set(codes), f"expected one of {sorted(case.codes)}, got {codes}"
    if case.words:
        messages = " ".join(str(d["message"]) for key in ("load", "parse") for g in report[key] for d in g)
        assert any(w.lower() in messages.lower() for w in case.words), messages[:2000]
    no_marker(hostile_dir)


@pytest.mark.slow
@pytest.mark.parametrize("command", list(CLI_COMMANDS))
@pytest.mark.parametrize("case", CONTENT_CASES, ids=lambda c: c.name)
def test_hostile_content_cli(case: Case, command: str, hostile_dir: Path) -> None:
    path = materialize(case, hostile_dir)
    result = shep_cli(CLI_COMMANDS[command](str(path)), hostile_dir)
    text = result.out + result.err
    assert "Traceback" not in text, result.show()
    assert result.code in case.exit_codes, result.show()
    if result.code != 0:
        assert str(path) in text, "the message does not name the file\n" + result.show()
    if case.codes and not command.startswith("dump"):
        assert any(code in text for code in case.codes), result.show()
    if case.codes and command == "dump-jsonl":
        assert any(code in result.err for code in case.codes), "errors of a dumped file go to stderr\n" + result.show()
    no_marker(hostile_dir)


@pytest.mark.slow
def test_python_tags_are_never_constructed(hostile_dir: Path) -> None:
    """The tags stay data: the model holds the tagged node's plain value, nothing runs.

    (Every command and the library run this case in the python-object-apply rows above, each
    followed by the same no_marker check.)"""
    case = next(c for c in CONTENT_CASES if c.name == "python-object-apply")
    path = materialize(case, hostile_dir)
    result = shep_cli(["dump", "--format", "json", str(path)], hostile_dir)
    assert result.code == 1 and "Traceback" not in result.err, result.show()
    no_marker(hostile_dir)
    dumped = json.loads(result.out)
    assert f"touch {hostile_dir / MARKER}" in json.dumps(dumped, ensure_ascii=False), "the tagged value is kept as data"


@pytest.mark.slow
@pytest.mark.parametrize("fixture", sorted(p.name for p in HOSTILE_FIXTURES.glob("*.yml")))
def test_committed_hostile_fixtures(fixture: str, tmp_path: Path) -> None:
    """fixtures/hostile/*: no exception from the library; the CLI exits 1 naming the file, no traceback."""
    path = tmp_path / fixture
    shutil.copyfile(HOSTILE_FIXTURES / fixture, path)
    shep_library(path, tmp_path)
    for command in ("validate", "task-validate", "playbook-validate", "dump-jsonl"):
        result = shep_cli(CLI_COMMANDS[command](str(path)), tmp_path)
        text = result.out + result.err
        assert "Traceback" not in text, result.show()
        assert result.code == 1, result.show()
        assert str(path) in text, result.show()
    no_marker(tmp_path)


# -- size limits ---------------------------------------------------------------------------------

TASK_UNIT = b"- name: a task\n  ansible.builtin.debug:\n    msg: hello {{ item }}\n  loop: [1, 2, 3]\n"


def write_big(path: Path, size: int) -> Path:
    chunk = TASK_UNIT * (1024 * 1024 // len(TASK_UNIT))
    with path.open("wb") as handle:
        written = 0
        while written + len(chunk) <= size:
            handle.write(chunk)
            written += len(chunk)
        handle.write(TASK_UNIT * ((size - written) // len(TASK_UNIT)))
    return path


@pytest.fixture(scope="module")
def oversized_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The smallest file of whole tasks over the default size limit (a bigger one proves no more: the
    Y007 message says the file was refused by its size, before reading)."""
    path = write_big(tmp_path_factory.mktemp("oversized") / "oversized.yml", DEFAULT_MAX_BYTES + len(TASK_UNIT))
    assert path.stat().st_size > DEFAULT_MAX_BYTES
    return path


@pytest.mark.slow
@pytest.mark.parametrize("command", list(CLI_COMMANDS))
def test_file_over_the_size_limit_is_refused_cli(command: str, oversized_file: Path) -> None:
    result = shep_cli(CLI_COMMANDS[command](str(oversized_file)), oversized_file.parent)
    text = result.out + result.err
    assert "Traceback" not in text, result.show()
    assert result.code in (1, 2), result.show()
    assert str(oversized_file) in text and "Y007" in text, result.show()
    assert f"larger than the {DEFAULT_MAX_BYTES}-byte limit" in text, result.show()
    assert result.seconds < QUICK_S, f"a size refusal took {result.seconds:.1f}s\n" + result.show()


def test_file_over_the_size_limit_is_refused_library(oversized_file: Path) -> None:
    result, report = shep_library(oversized_file, oversized_file.parent, mode="file")
    assert result.seconds < QUICK_S, f"a size refusal took {result.seconds:.1f}s"
    for group in report["load"] + report["validate"]:
        assert [d["code"] for d in group] == ["Y007"], group
        assert f"larger than the {DEFAULT_MAX_BYTES}-byte limit" in str(group[0]["message"]), group


def test_text_over_the_size_limit_through_parse_is_refused(oversized_file: Path) -> None:
    """``shep.parse`` on text (and bytes) over the default size limit: refused by its length."""
    result, report = shep_library(oversized_file, oversized_file.parent, mode="content")
    assert result.seconds < TIMEOUT_S
    assert len(report["parse"]) == 4  # bytes and text, each through both parsers
    for group in report["parse"]:
        assert [(d["code"], d["message"]) for d in group] == [
            ("Y007", f"text is larger than the {DEFAULT_MAX_BYTES}-byte limit")], group


@pytest.mark.slow
def test_file_just_under_the_default_size_limit(tmp_path: Path) -> None:
    """The default limit must be one shep can honour: a file under it is processed (or refused) in bounds."""
    path = write_big(tmp_path / "big.yml", DEFAULT_MAX_BYTES - 1024 * 1024)
    result = shep_cli(["validate", str(path)], tmp_path)
    assert "Traceback" not in result.out + result.err, result.show()
    assert result.code in (0, 1, 2), result.show()


@pytest.mark.slow
def test_many_loop_keys_in_one_task_is_linear(tmp_path: Path) -> None:
    """80,000 ``with_*`` keys in one task (1.6 MB): one V005 each, in bounded time (quadratic: ~100 s)."""
    path = tmp_path / "loops.yml"
    path.write_text("- debug: msg=x\n" + "".join(f"  with_x{i}: [1]\n" for i in range(80_000)))
    result = shep_cli(["validate", "--no-cache", str(path)], tmp_path)
    assert "Traceback" not in result.out + result.err, result.show()
    assert result.code == 1 and "V005" in result.out, result.show()


@pytest.mark.slow
def test_big_plain_mapping_is_not_called_a_merge_bomb(tmp_path: Path) -> None:
    """One more plain key than MAX_MERGED_PAIRS, no ``<<`` anywhere: the merge-bomb limit must not count
    them (and no message may call the file a merge bomb).

    One load and one validation of a 100,001-key file (the limit is in the loader, which both run);
    the hang guard is longer than the others' (a busy 2-core machine once needed more than 60 s for
    six loads on the lowest dependency versions)."""
    from shep.loader.construct import MAX_MERGED_PAIRS

    path = tmp_path / "keys.yml"
    path.write_text("- debug: msg=x\n" + "".join(f"  k{i}: v\n" for i in range(MAX_MERGED_PAIRS + 1)))
    result, report = shep_library(path, tmp_path, mode="once", timeout=4 * TIMEOUT_S)
    assert len(report["load"]) == len(report["validate"]) == 1
    for group in report["load"] + report["validate"]:
        for d in group:
            assert "merge" not in str(d["message"]).lower(), f"misleading message for a file without merge keys: {d}"
        # The file loaded: its keys are read as the task's (k0 is a module name to ansible-core too).
        assert [(d["code"], d["message"]) for d in group] == [("D001", "conflicting action statements: debug, k0")]


# -- broken files: I/O errors --------------------------------------------------------------------


def make_fifo(root: Path) -> Path:
    path = root / "fifo.yml"
    if not path.exists():
        os.mkfifo(path)
    return path


def make_directory(root: Path) -> Path:
    path = root / "a-directory.yml"
    (path / "tasks").mkdir(parents=True, exist_ok=True)
    (path / "tasks" / "main.yml").write_text("- debug: msg=x\n")
    return path


def make_dangling(root: Path) -> Path:
    path = root / "dangling.yml"
    if not path.is_symlink():
        path.symlink_to(root / "nowhere" / "missing.yml")
    return path


def make_file_loop(root: Path) -> Path:
    path = root / "self-loop.yml"
    if not path.is_symlink():
        path.symlink_to(path.name)
    return path


def make_unreadable(root: Path) -> Path:
    path = root / "unreadable.yml"
    path.write_text("- debug: msg=x\n")
    path.chmod(0)
    return path


def drop_privileges_prefix() -> list[str] | None:
    """Root reads mode-000 files anyway: run as root without CAP_DAC_* (setpriv), or None if impossible."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    probe = subprocess.run([setpriv, "--bounding-set=-dac_override,-dac_read_search", sys.executable, "-c", "0"],
                           capture_output=True, check=False)
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"] if probe.returncode == 0 else None


@dataclass
class IOCase:
    name: str
    make: Callable[[Path], Path]
    words: tuple[str, ...]


IO_CASES = [
    IOCase("missing", lambda r: r / "missing.yml", ("no such file",)),
    IOCase("directory", make_directory, ("directory",)),
    IOCase("fifo", make_fifo, ("regular file", "fifo")),
    IOCase("dangling-symlink", make_dangling, ("no such file",)),
    IOCase("symlink-self-loop", make_file_loop, ("symbolic links", "loop")),
    IOCase("permission-denied", make_unreadable, ("permission denied",)),
    IOCase("char-device", lambda r: Path("/dev/zero"), ("regular file",)),
]


def io_prefix(case: IOCase, path: Path) -> list[str] | None:
    if case.name != "permission-denied" or not os.access(path, os.R_OK):
        return None
    prefix = drop_privileges_prefix()
    if prefix is None:
        pytest.skip("running as root: chmod 000 does not stop reads, and setpriv is not available to drop CAP_DAC_*")
    return prefix


IO_COMMANDS = {name: build for name, build in CLI_COMMANDS.items() if name != "validate-json"}


@pytest.mark.parametrize("case", IO_CASES, ids=lambda c: c.name)
def test_io_errors_library(case: IOCase, tmp_path: Path) -> None:
    path = case.make(tmp_path)
    result, report = shep_library(path, tmp_path, mode="file", prefix=io_prefix(case, path))
    assert result.seconds < TIMEOUT_S
    for group in report["load"] + report["validate"]:
        assert [d["code"] for d in group] == ["Y000"], group
        d = group[0]
        assert d["path"] == str(path)
        assert any(w in str(d["message"]).lower() for w in case.words), d["message"]


# `shep validate DIR` and `shep dump DIR` walk a directory instead of reading it (see
# test_walk_reports_every_problem and test_dump_of_a_directory_dumps_its_ansible_files_only).
WALKING_COMMANDS = ("validate", "dump-jsonl", "dump-json")
IO_CLI_CASES = [(case, command) for case in IO_CASES for command in IO_COMMANDS
                if not (case.name == "directory" and command in WALKING_COMMANDS)]


@pytest.mark.slow
@pytest.mark.parametrize(("case", "command"), IO_CLI_CASES, ids=lambda p: p if isinstance(p, str) else p.name)
def test_io_errors_cli(case: IOCase, command: str, tmp_path: Path) -> None:
    path = case.make(tmp_path)
    result = shep_cli(IO_COMMANDS[command](str(path)), tmp_path, prefix=io_prefix(case, path))
    text = result.out + result.err
    assert "Traceback" not in text, result.show()
    assert result.code == 2, "an I/O error exits 2\n" + result.show()
    assert str(path) in text, result.show()
    assert any(w in text.lower() for w in case.words), result.show()


@pytest.mark.slow
def test_fifo_does_not_hang_even_with_a_writer_attached(tmp_path: Path) -> None:
    """A FIFO with a writer that never closes: shep must still refuse it, not block reading."""
    fifo = make_fifo(tmp_path)
    writer = subprocess.Popen(["sh", "-c", f"exec 3>'{fifo}'; sleep 120"])
    try:
        result = shep_cli(["validate", str(fifo)], tmp_path, timeout=30)
        assert "Traceback" not in result.out + result.err and result.code == 2, result.show()
    finally:
        writer.kill()
        writer.wait()


# -- walking trees -------------------------------------------------------------------------------


@pytest.mark.slow
def test_walk_reports_every_problem(tmp_path: Path) -> None:
    """One walk over good and broken files: every broken one is reported with its path, the rest checked."""
    tree = tmp_path / "tree"
    (tree / "roles" / "web" / "tasks").mkdir(parents=True)
    good = tree / "roles" / "web" / "tasks" / "main.yml"
    good.write_text("- name: ok\n  ansible.builtin.ping:\n")
    bad = {
        "fifo": make_fifo(tree),
        "dangling": make_dangling(tree),
        "loop": make_file_loop(tree),
        "binary": tree / "binary.yml",
        "bomb": tree / "bomb.yml",
        "deep": tree / "deep.yml",
        "zero": tree / "zero.yml",
    }
    bad["binary"].write_bytes(binary_garbage())
    bad["bomb"].write_bytes(billion_laughs_in_a_task())
    bad["deep"].write_bytes(nested_flow_sequences())
    bad["zero"].symlink_to("/dev/zero")
    unreadable = make_unreadable(tree)
    prefix = None
    if os.access(unreadable, os.R_OK):
        prefix = drop_privileges_prefix()
    if not os.access(unreadable, os.R_OK) or prefix is not None:
        bad["unreadable"] = unreadable
    result = shep_cli(["validate", "tree"], tmp_path, prefix=prefix)
    text = result.out + result.err
    assert "Traceback" not in text, result.show()
    assert result.code == 2, result.show()
    for name, path in bad.items():
        assert str(path.relative_to(tmp_path)) in text, f"{name} not reported\n" + result.show()
    assert f"passed: {good.relative_to(tmp_path)}" in result.out, result.show()


@pytest.mark.slow
@pytest.mark.parametrize("loop", ["dir-to-self", "dir-to-parent", "dir-pair", "file-self"])
def test_symlink_loop_in_a_walked_tree(loop: str, tmp_path: Path) -> None:
    """A symlink loop is reported with its path (exit 2); every real file is still checked, once."""
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    good = tree / "sub" / "main.yml"
    good.write_text("- name: ok\n  ansible.builtin.ping:\n")
    if loop == "dir-to-self":
        looped = tree / "self"
        looped.symlink_to(".")
    elif loop == "dir-to-parent":
        looped = tree / "sub" / "up"
        looped.symlink_to("..")
    elif loop == "dir-pair":
        looped = tree / "a"
        looped.symlink_to("b")
        (tree / "b").symlink_to("a")
    else:
        looped = make_file_loop(tree)
    result = shep_cli(["validate", "tree"], tmp_path)
    text = result.out + result.err
    assert "Traceback" not in text, result.show()
    assert result.out.count("main.yml") == 1, "each real file is checked exactly once\n" + result.show()
    assert str(looped.relative_to(tmp_path)) in text, "the loop is not reported\n" + result.show()
    assert result.code == 2, result.show()


@pytest.mark.slow
def test_non_utf8_file_names(tmp_path: Path) -> None:
    """File names are bytes on POSIX: one that is not UTF-8 must be reported, not crash the output."""
    tree = tmp_path / "tree"
    (tree / "tasks").mkdir(parents=True)
    raw = os.fsencode(tree / "tasks") + b"/bad\xff name.yml"
    with open(raw, "wb") as handle:
        handle.write(b"- debug: msg=x\n  shell: echo\n")
    name = os.fsdecode(raw)
    failures = []
    for args in (["validate", "tree"], ["validate", "--format", "json", "tree"],
                 ["validate", "--format", "sarif", "tree"], ["validate", "--format", "github", "tree"],
                 ["task", "validate", "-f", name], ["dump", "--format", "jsonl", name],
                 ["dump", "--format", "json", name]):
        result = shep_cli(args, tmp_path)
        text = result.out + result.err
        if "Traceback" in text or result.code != 1 or "bad" not in text:
            failures.append(result.show())
    assert not failures, f"{len(failures)} of 7 commands fail on a non-UTF-8 file name:\n" + "\n\n".join(failures)
    result, report = shep_library(name, tmp_path)
    assert any(d["code"] == "D001" for g in report["load"][2:3] for d in g), report["load"]


# -- configuration files met on the way ----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("config", [
    ("pyproject.toml", b'tool = "not a table"\n'),
    ("pyproject.toml", b"tool = [1, 2]\n"),
    ("pyproject.toml", b"[tool]\nshep = [1]\n"),
    ("pyproject.toml", b"\xff\xfe"),
    ("pyproject.toml", b"[tool.shep]\nexclude = [[[[[[[[[[[[[[]]]]]]]]]]]]]]\n"),
    (".shep.yml", billion_laughs()),
    (".shep.yml", nested_flow_sequences()),
    (".shep.yml", b"select: !!python/object/apply:os.system ['touch SHEP-PWNED']\n"),
    (".shep.yml", b"- a list\n"),
    (".shep.yml", b"severity: {Y001: [error]}\n"),
    (".shep.yml", binary_garbage()),
], ids=lambda c: f"{c[0]}:{c[1][:24]!r}")
def test_hostile_configuration_in_the_working_directory(config: tuple[str, bytes], tmp_path: Path) -> None:
    """A project's own config file is untrusted too: a bad one is a clear usage error (exit 2), no traceback."""
    name, content = config
    (tmp_path / name).write_bytes(content)
    (tmp_path / "site.yml").write_text("- hosts: all\n  tasks:\n    - ping:\n")
    result = shep_cli(["validate", "site.yml"], tmp_path)
    text = result.out + result.err
    assert "Traceback" not in text, result.show()
    assert result.code in (0, 2), result.show()
    if result.code == 2:
        assert name in text, result.show()
    no_marker(tmp_path)


@pytest.mark.slow
def test_pyproject_regression_fixture(tmp_path: Path) -> None:
    """fixtures/regressions/pyproject-tool-not-a-table.toml: a traceback (AttributeError) from config discovery."""
    shutil.copyfile(REGRESSIONS / "pyproject-tool-not-a-table.toml", tmp_path / "pyproject.toml")
    (tmp_path / "site.yml").write_text("- hosts: all\n  tasks:\n    - ping:\n")
    for args in (["validate", "site.yml"], ["playbook", "validate", "site.yml"]):
        result = shep_cli(args, tmp_path)
        assert "Traceback" not in result.out + result.err, result.show()
        assert result.code in (0, 2), result.show()


@pytest.mark.slow
@pytest.mark.parametrize("target", ["fifo", "directory", "missing", "dev-zero"])
def test_hostile_config_option(target: str, tmp_path: Path) -> None:
    (tmp_path / "site.yml").write_text("- hosts: all\n  tasks:\n    - ping:\n")
    path = {"fifo": lambda: make_fifo(tmp_path), "directory": lambda: make_directory(tmp_path),
            "missing": lambda: tmp_path / "nope.yml", "dev-zero": lambda: Path("/dev/zero")}[target]()
    result = shep_cli(["validate", "--config", str(path), "site.yml"], tmp_path, timeout=30)
    assert "Traceback" not in result.out + result.err, result.show()
    assert result.code == 2 and str(path) in result.out + result.err, result.show()


# -- usage errors --------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("args", [
    [], ["nope"], ["validate"], ["dump", "--format", "xml", "x.yml"], ["validate", "--fail-level", "fatal", "x.yml"],
    ["task", "validate"], ["validate", "--jobs", "0", "x.yml"], ["validate", "--jobs", "-3", "x.yml"],
    ["validate", "--kind", "roles", "x.yml"], ["validate", "--config", "", "x.yml"], ["dump", "--kind", "x", "x.yml"],
])
def test_usage_errors(args: list[str], tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_text("- ping:\n")
    result = shep_cli(args, tmp_path)
    assert "Traceback" not in result.out + result.err, result.show()
    assert result.code == 2, result.show()
