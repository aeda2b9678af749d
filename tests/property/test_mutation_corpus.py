"""Byte-mutation fuzz of the real corpus (../shared/corpus): flip, delete, insert, truncate, duplicate.

Every mutant is derived from (SHEP_FUZZ_SEED, file index, mutant index) only, so a failure is
reproducible from its id alone. The library contract is the one of test_fuzz_library (no exception,
well-formed diagnostics, JSON-serializable model); a sample of mutants also goes through the real
CLI. A failing mutant is minimized (line then byte deletion) and shown in the failure message.

Library mutants: 16000 by default (about 18 per file), 5 × SHEP_FUZZ_EXAMPLES when set.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import shep
from shep.batch import Options, validate_file
from tests.property.test_fuzz_library import check_model, check_result, line_bound

pytestmark = pytest.mark.slow  # mutated copies of the corpus, through the library and the CLI

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
SEED = int(os.environ.get("SHEP_FUZZ_SEED", "0"))
_SCALE = os.environ.get("SHEP_FUZZ_EXAMPLES")
TOTAL_MUTANTS = 5 * int(_SCALE) if _SCALE else 16000
CLI_MUTANTS = max(400, TOTAL_MUTANTS // 10) if _SCALE else 400
CHUNKS = 6


def corpus_entries() -> list[dict[str, Any]]:
    manifest = CORPUS / "manifest.jsonl"
    if not manifest.is_file():
        pytest.skip(f"shared corpus not found at {CORPUS} (no manifest.jsonl): the mutation fuzz needs real files")
    entries = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines() if line.strip()]
    present = [e for e in entries if (CORPUS / e["repo"] / e["path"]).is_file()]
    if not present:
        pytest.skip(f"shared corpus at {CORPUS} lists no readable files")
    return present


# -- mutations -----------------------------------------------------------------------------------

TOKENS = [b"&a ", b"*a", b"*a\n", b"<<: *a\n", b"<<: [*a, *a]", b"!!python/object/apply:os.system ", b"!vault ",
          b"!unsafe ", b"!!binary ", b"!!int ", b"!foo ", b"- ", b"-\n", b"\n  ", b"\n- ", b": ", b":", b"\t", b"{{ ",
          b"}}", b"{%", b"[", b"]", b"{", b"}", b",", b"---\n", b"...\n", b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\xff",
          b"\x00", b"\r", b"\r\n", b"'", b'"', b"\\", b"#", b"|", b">-", b"? ", b"=", b" k=v", b"block:\n", b"rescue:",
          b"when:", b"loop:", b"action:", b"local_action:", b"include_tasks:", b"import_playbook:", b"hosts:",
          b"tasks:", b"args:", b"with_items:", b"%YAML 1.1\n", b"\xc2\x85", b"\xe2\x80\xa8", b"\"\\ud800\""]


def _span(rng: random.Random, data: bytes) -> tuple[int, int]:
    start = rng.randrange(len(data) + 1)
    return start, min(len(data), start + rng.choice([1, 1, 2, 3, 8, 32, 200, rng.randrange(1, 2000)]))


def flip(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    at = rng.randrange(len(data))
    return data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1:]


def set_byte(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    at = rng.randrange(len(data))
    return data[:at] + bytes([rng.choice(b"\x00\xff:-[]{}&*!\t\n\r'\"#|>?,% ")]) + data[at + 1:]


def delete(rng: random.Random, data: bytes) -> bytes:
    start, end = _span(rng, data)
    return data[:start] + data[end:]


def insert(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    piece = rng.choice(TOKENS) if rng.random() < 0.7 else rng.randbytes(rng.randrange(1, 8))
    return data[:at] + piece + data[at:]


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[:rng.randrange(len(data) + 1)]


def duplicate(rng: random.Random, data: bytes) -> bytes:
    start, end = _span(rng, data)
    at = rng.randrange(len(data) + 1)
    return data[:at] + data[start:end] + data[at:]


def lines_op(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    choice = rng.randrange(4)
    if choice == 0:
        lines[i], lines[j] = lines[j], lines[i]
    elif choice == 1:
        lines.insert(i, lines[j])
    elif choice == 2:
        lines[i] = b"  " + lines[i]
    else:
        lines[i] = lines[i][rng.randrange(1, 4):]
    return b"\n".join(lines)


OPS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "flip": flip, "set": set_byte, "delete": delete, "insert": insert, "truncate": truncate,
    "duplicate": duplicate, "lines": lines_op,
}


def mutate(data: bytes, file_index: int, mutant: int) -> tuple[bytes, list[str]]:
    rng = random.Random(f"{SEED}:{file_index}:{mutant}")
    names = [rng.choice(list(OPS)) for _ in range(rng.choice([1, 1, 1, 2, 3, 6]))]
    for name in names:
        data = OPS[name](rng, data)
    return data, names


def mutants_for_chunk(entries: list[dict[str, Any]], chunk: int) -> list[tuple[str, int, int, str]]:
    """(corpus-relative path, file index, mutant index, kind) of this chunk, spread over every file."""
    out = []
    for n in range(chunk, TOTAL_MUTANTS, CHUNKS):
        index = n % len(entries)
        entry = entries[index]
        out.append((f"{entry['repo']}/{entry['path']}", index, n // len(entries), entry["kind"]))
    return out


# -- the contract, with minimization -------------------------------------------------------------


def library_check(data: bytes, name: str, kind: str) -> None:
    bound = line_bound(data)
    for chosen in (kind, None):
        check_model(shep.parse(data, kind=chosen, filename=name), name, bound, chosen)


def failure_of(check: Callable[[bytes], None], data: bytes) -> str | None:
    try:
        check(data)
    except Exception as exc:  # noqa: BLE001 - any escaping exception is the finding
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        return f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
    return None


def detail(check: Callable[[bytes], None], data: bytes) -> str:
    try:
        check(data)
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]
    return "(passes once minimized)"


def minimize(check: Callable[[bytes], None], data: bytes, signature: str, budget_s: float = 8.0) -> bytes:
    """Delta debugging light: drop line chunks, then byte chunks, while the same failure remains."""
    deadline = time.monotonic() + budget_s

    def still_fails(candidate: bytes) -> bool:
        return failure_of(check, candidate) == signature

    for separator in (b"\n", None):
        units: list[bytes] = data.split(b"\n") if separator else [bytes([b]) for b in data]
        joiner = b"\n" if separator else b""
        size = max(1, len(units) // 2)
        while size >= 1 and time.monotonic() < deadline:
            index, changed = 0, False
            while index < len(units) and time.monotonic() < deadline:
                candidate = units[:index] + units[index + size:]
                if candidate and still_fails(joiner.join(candidate)):
                    units, changed = candidate, True
                else:
                    index += size
            if not changed:
                size //= 2
        data = joiner.join(units)
    return data


@pytest.mark.corpus
def test_corpus_itself_passes_the_contract() -> None:
    entries = corpus_entries()
    failures = []
    for entry in entries:
        path = CORPUS / entry["repo"] / entry["path"]
        name = f"{entry['repo']}/{entry['path']}"
        problem = failure_of(lambda d, n=name, k=entry["kind"]: library_check(d, n, k), path.read_bytes())
        if problem:
            failures.append(f"{name}: {problem}")
    assert not failures, "\n".join(failures)


@pytest.mark.corpus
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_mutated_corpus_library(chunk: int, tmp_path: Path) -> None:
    entries = corpus_entries()
    originals: dict[str, bytes] = {}
    failures: list[str] = []
    minimized: dict[str, bytes] = {}
    for n, (name, index, mutant, kind) in enumerate(mutants_for_chunk(entries, chunk)):
        if name not in originals:
            originals[name] = (CORPUS / name).read_bytes()
        data, ops = mutate(originals[name], index, mutant)

        def check(candidate: bytes, name: str = name, kind: str = kind) -> None:
            library_check(candidate, name, kind)

        problem = failure_of(check, data)
        if problem is None and n % 10 == 0:  # on disk too: shep.load and validate_file
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

            def check(candidate: bytes, path: Path = path, kind: str = kind) -> None:  # noqa: F811
                path.write_bytes(candidate)
                bound = line_bound(candidate)
                check_model(shep.load(str(path), kind), str(path), bound, kind)  # type: ignore[arg-type]
                check_result(validate_file(str(path)), str(path), bound)
                check_result(validate_file(str(path), Options(kind=kind)), str(path), bound)  # type: ignore[arg-type]

            problem = failure_of(check, data)
        if problem is not None:
            line = f"{name} mutant {mutant} (seed {SEED}, ops {ops}): {problem}"
            if problem not in minimized:  # one minimized example per kind of failure
                minimized[problem] = minimize(check, data, problem)
                line += f"\n    minimized input: {minimized[problem]!r}\n    {detail(check, minimized[problem])}"
            failures.append(line)
    assert not failures, f"{len(failures)} mutants break the library contract:\n" + "\n".join(failures[:20])


@pytest.mark.corpus
def test_mutated_corpus_cli(tmp_path: Path) -> None:
    """A tree of mutants (corpus paths kept, so kinds are detected as for the originals) through the real CLI."""
    entries = corpus_entries()
    tree = tmp_path / "tree"
    paths = []
    for n in range(CLI_MUTANTS):
        index = (n * 7919) % len(entries)
        entry = entries[index]
        name = f"{entry['repo']}/{entry['path']}"
        data, _ops = mutate((CORPUS / name).read_bytes(), index, 10_000 + n)
        path = tree / f"m{n}" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    for argv in (["validate", "--format", "json", "."], ["validate", "."],
                 ["dump", "--format", "jsonl", *map(str, paths)], ["dump", "--format", "json", *map(str, paths[:40])],
                 ["task", "validate", *sum((["-f", str(p)] for p in paths[:40]), [])],
                 ["playbook", "validate", *map(str, paths[:40])]):
        proc = subprocess.run([sys.executable, "-m", "shep", *argv], cwd=tree, env=env, capture_output=True,
                              timeout=300, check=False)
        out, err = proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
        shown = f"shep {argv[:3]}… -> {proc.returncode}\n--- stderr\n{err[-3000:]}"
        assert "Traceback" not in out + err, shown
        assert proc.returncode in (0, 1), shown
        if argv[:3] == ["validate", "--format", "json"]:
            report = json.loads(out)
            assert len(report["files"]) == len(paths), "every mutant is reported"
        if argv[:3] == ["dump", "--format", "jsonl"]:
            for line in out.splitlines():
                json.loads(line)
