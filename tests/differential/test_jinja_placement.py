"""Where ansible-core templates a string, and how badly a broken template there fails: shep's severities
against ansible-playbook's own outcomes (fixtures/jinja_placement/expected.json, made by
tests/oracle/jinja_placement.py: a broken template in each keyword and argument place, run on localhost).

* ansible-core fails the run: a ``jinja-…`` error there;
* ansible-core only warns (a task's or handler's name): a warning;
* ansible-core does not template the string in that run: no error; a warning where other runs template it
  (an unused variable, module defaults of another module, debug's var above the run's verbosity), nothing
  where no run does (static keywords: collections, register, listen; !unsafe; mapping keys).

A ``vars`` value or ``module_defaults`` fails the runs that use it: shep, which does not follow where a
variable is used, warns there (docs/differences.md).
"""
from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from shep.diagnostics import Severity
from shep.loader import load_text
from shep.model.build import build
from shep.validate import validate_model

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = json.loads((ROOT / "fixtures" / "jinja_placement" / "expected.json").read_text(encoding="utf-8"))
# Places where an unused value draws a warning (other runs template it) rather than nothing.
TEMPLATED_IN_OTHER_RUNS = {"task.vars", "block.vars", "play.vars", "task.module_defaults", "block.module_defaults",
                           "play.module_defaults", "args.debug.var.verbosity"}
# Values that fail every run that uses them, where the variable or the module is used.
USED = {"task.vars.used", "play.vars.used", "play.module_defaults.used"}


def shep_outcome(playbook: str) -> str:
    document = load_text(playbook)
    found = [d for d in validate_model(build(document, "playbook"), document=document) if d.name.startswith("jinja-")]
    if any(d.severity is Severity.ERROR for d in found):
        return "error"
    return "warning" if found else "none"


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_shep_fails_where_ansible_core_fails(case: str) -> None:
    expected = EXPECTED[case]["outcome"]
    if expected == "none" and case in TEMPLATED_IN_OTHER_RUNS:
        expected = "warning"
    if case in USED:
        assert expected == "error"
        expected = "warning"
    assert shep_outcome(EXPECTED[case]["playbook"]) == expected


@pytest.mark.oracle
@pytest.mark.slow
def test_the_outcomes_are_ansible_cores() -> None:
    pytest.importorskip("ansible", reason="needs ansible-core (the `oracle` extra)")
    tool = ROOT / "tests" / "oracle" / "jinja_placement.py"
    spec = importlib.util.spec_from_file_location("jinja_placement", tool)
    assert spec is not None and spec.loader is not None
    placement = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(placement)
    if shutil.which("ansible-playbook") is None and not (Path(__import__("sys").executable).parent
                                                         / "ansible-playbook").exists():
        pytest.skip("ansible-playbook is not installed next to this Python")
    cases = placement.cases()
    assert set(cases) == set(EXPECTED)
    found = {name: placement.outcome(text) for name, text in cases.items()}
    assert found == {name: entry["outcome"] for name, entry in EXPECTED.items()}
    assert all(cases[name] == EXPECTED[name]["playbook"] for name in cases)
