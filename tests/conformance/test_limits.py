"""shep writes only buffers a FlatBuffers verifier with default options accepts.

The C++ verifier (and Rust's, and others') refuse by default a buffer nested deeper than 64 tables or
holding more than 1,000,000 tables counted as it walks them (a table referenced twice counts twice: a
YAML alias is shared in the buffer but walked at each use). shep refuses to write such a buffer
(exit 2, nothing written); the largest buffer it does write must pass examples/fbs/reader.cpp's verifier.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conformance import inputs, toolchain

pytestmark = pytest.mark.slow  # the largest buffers shep writes, through every reader


def dump(text: str, directory: Path, name: str) -> tuple[int, str, Path | None]:
    source, out = directory / f"{name}.yml", directory / f"{name}.shep"
    source.write_text(text, encoding="utf-8")
    result = subprocess.run(inputs.dump_command("tasks", source, out), capture_output=True, timeout=300,
                            check=False)
    return result.returncode, result.stderr.decode(errors="replace"), out if out.is_file() else None


def largest_written(make: Callable[[int], str], low: int, high: int, directory: Path) -> int:
    """The largest n in [low, high) whose YAML make(n) shep writes (n = low must be written; high not)."""
    code, stderr, out = dump(make(low), directory, f"n{low}")
    assert out is not None and code in (0, 1), f"shep did not write n={low}: {stderr}"
    code, stderr, out = dump(make(high), directory, f"n{high}")
    assert out is None and code == 2, f"shep wrote n={high} (exit {code}): {stderr}"
    while high - low > 1:
        middle = (low + high) // 2
        _, _, out = dump(make(middle), directory, f"n{middle}")
        low, high = (middle, high) if out is not None else (low, middle)
    return low


def verifies(buffer: Path) -> bool:
    try:
        reader = toolchain.cpp_reader()
    except toolchain.ToolMissing as exc:
        toolchain.skip_or_fail(str(exc))
    return toolchain.run([reader, "--verify-only", buffer], check=False).returncode == 0


def alias_fan_out(leaves: int) -> str:
    """Four levels of ten aliases over a list of ``leaves`` ints: about 10,000 × leaves tables."""
    lines = ["- name: alias fan-out", "  debug: msg=x", "  vars:", f"    l0: &l0 [{', '.join(['0'] * leaves)}]"]
    for level in range(1, 5):
        lines.append(f"    l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 10)}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("what", "make"), [("blocks", inputs.nested_blocks), ("lists", inputs.nested_lists)])
def test_the_deepest_buffer_shep_writes_verifies(what: str, make: Callable[[int], str], tmp_path: Path) -> None:
    deepest = largest_written(make, 40, 80, tmp_path)
    code, stderr, out = dump(make(deepest + 1), tmp_path, "refused")
    assert code == 2 and out is None
    assert "64" in stderr, f"the refusal does not name the verifier's depth limit: {stderr}"
    assert verifies(tmp_path / f"n{deepest}.shep"), \
        f"{what} nested {deepest} deep: shep wrote it, the default verifier rejects it"


def test_the_largest_alias_fan_out_shep_writes_verifies(tmp_path: Path) -> None:
    largest = largest_written(alias_fan_out, 1, 200, tmp_path)
    code, stderr, out = dump(alias_fan_out(largest + 1), tmp_path, "refused")
    assert code == 2 and out is None
    assert "1,000,000" in stderr, f"the refusal does not name the verifier's table limit: {stderr}"
    assert verifies(tmp_path / f"n{largest}.shep"), \
        f"an alias fan-out with {largest} leaves: shep wrote it, the default verifier rejects it"
