"""shep's Jinja verdicts against ansible-core's own compile (tests/oracle/jinja_oracle.py) on every templated
string and conditional of the shared corpus, on mutants of them, and on mutants written where their string is
in the corpus files (tests/oracle/check_jinja.py). Needs ansible-core (``oracle``) and the corpus."""
from __future__ import annotations

import importlib.util
import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.oracle, pytest.mark.corpus, pytest.mark.slow]


def test_corpus_and_mutants_as_ansible_core_compiles_them(corpus: Path) -> None:
    pytest.importorskip("ansible", reason="needs ansible-core (the `oracle` extra)")
    spec = importlib.util.spec_from_file_location("check_jinja", ROOT / "tests" / "oracle" / "check_jinja.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    out = io.StringIO()
    with redirect_stdout(out):
        code = tool.main(["--mutants", "4", "--in-files", "3", str(corpus)])
    summary = json.loads(out.getvalue())
    assert summary["disagreements"] == [] and summary["mutants"]["disagreements"] == []
    assert summary["in_files"]["disagreements"] == []
    assert code == 0
    # what the corpus holds today (oracle_jinja.jsonl: exactly one failure)
    assert summary["distinct"] > 7000 and summary["oracle_failures"] == 1
    assert summary["mutants"]["rejected_by_ansible_core"] > 10000
    assert summary["in_files"]["caught_at_their_line"] > 1000
