"""Readers shep's authors did not write read every buffer exactly as shep does.

For each buffer (golden fixtures of every schema version, a sample of the shared corpus, synthetic edge
cases) and each reader (examples/fbs/reader.cpp behind the C++ verifier, examples/fbs/reader.ts, and
`flatc --json`), the reader's canonical JSON must equal the one computed from shep's own decoded model
(tests/conformance/expect.py), field by field.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conformance import inputs, toolchain
from tests.conformance.compare import diff, flatc_double, parse_lines
from tests.conformance.conftest import READERS, Conformance
from tests.conformance.fbs_schema import Schema
from tests.conftest import CORPUS

pytestmark = pytest.mark.slow  # builds the C++ and TypeScript readers and runs them on every buffer

SOURCES = inputs.all_sources()
CASES = [pytest.param(s.id, id=s.id, marks=[pytest.mark.corpus] if s.id.startswith("corpus-") else [])
         for s in SOURCES]
if not any(s.id.startswith("corpus-") for s in SOURCES):
    CASES.append(pytest.param("corpus-absent", id="corpus-absent", marks=pytest.mark.corpus))


# Documented in docs/flatbuffers.md ("Text"): a lone surrogate in a typed `string` field (keys, action,
# free_form_args, error, diagnostic messages), which only a model built by a program can hold, is written
# in UTF-8's surrogate form. Readers that decode UTF-8 cannot read it back. Strict: a fix must remove these.
_SURROGATE_STRINGS = ("a lone surrogate in a `string` field is written as invalid UTF-8 (surrogatepass), "
                      "documented in docs/flatbuffers.md")
KNOWN = {
    ("ts", "model-surrogates-in-strings"): _SURROGATE_STRINGS + ": TypeScript decodes it as U+FFFD",
    ("flatc-json", "model-surrogates-in-strings"): _SURROGATE_STRINGS + ": flatc refuses the whole buffer",
}


@pytest.mark.parametrize("case_id", CASES)
@pytest.mark.parametrize("reader", READERS)
def test_reader_agrees_with_shep(reader: str, case_id: str, conformance: Conformance, schema: Schema,
                                 request: pytest.FixtureRequest) -> None:
    if (reader, case_id) in KNOWN:
        request.applymarker(pytest.mark.xfail(reason=KNOWN[reader, case_id], strict=True))
    if case_id == "corpus-absent":
        pytest.skip(f"shared corpus not found at {CORPUS} (present in CI, absent in a user's fresh clone)")
    got = conformance.output(reader, case_id)
    expected = conformance.expected(case_id)
    conformance.compared[reader] += 1
    if isinstance(got, dict) and set(got) == {"error"}:
        pytest.fail(f"{reader} could not read {case_id}: {got['error']}")
    problems = diff(expected, got, bigint_kind=schema.enums["VarKind"].value_of("BigInt"),
                    double_view=flatc_double if reader == "flatc-json" else None)
    assert not problems, f"{reader} disagrees with shep on {case_id}:\n  " + "\n  ".join(problems)
    conformance.agreed[reader] += 1


def test_the_schema_matches_the_expectation_code(schema: Schema) -> None:
    """The few tables expect.py spells out by hand still have exactly those fields."""
    assert [f.name for f in schema.tables["Playbook"]] == ["plays"]
    assert [f.name for f in schema.tables["TaskList"]] == ["tasks"]
    assert schema.root == "File"


def test_the_cpp_verifier_rejects_a_damaged_buffer(conformance: Conformance, tmp_path: object) -> None:
    """reader.cpp fails loudly (error line, stderr, exit 1) instead of printing garbage."""
    try:
        reader = toolchain.cpp_reader()
    except toolchain.ToolMissing as exc:
        toolchain.skip_or_fail(str(exc))
    good = next(p.buffer for p in conformance.prepared().values() if p.buffer is not None)
    assert good is not None
    data = good.read_bytes()
    damaged = conformance.work / "damaged.shep"
    damaged.write_bytes(data[: len(data) // 2])
    stdout, stderr, code = toolchain.run_reader([reader], [good, damaged])
    first, second = parse_lines(stdout)
    assert "error" not in first
    assert set(second) == {"error"} and "verifier rejected" in second["error"]
    assert b"verifier rejected" in stderr
    assert code == 1


def test_decode_prints_what_dump_prints(conformance: Conformance) -> None:
    """`shep decode X.shep --format json` equals `shep <kind> dump SOURCE --format json`."""
    for case_id in ("edge-values", "edge-playbook", "edge-aliases"):
        prepared = conformance.buffer(case_id)
        assert prepared.buffer is not None
        kind = inputs.SYNTHETIC[case_id][0]
        source = conformance.work / "sources" / inputs.SYNTHETIC[case_id][1]
        dumped = conformance.work / f"{case_id}.json"
        subprocess.run(inputs.dump_command(kind, source, dumped, "json"), check=False, capture_output=True)
        decoded = subprocess.run([sys.executable, "-m", "shep", "decode", str(prepared.buffer), "--format", "json"],
                                 check=True, capture_output=True).stdout
        assert decoded == dumped.read_bytes(), case_id
