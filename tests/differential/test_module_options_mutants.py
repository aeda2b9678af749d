"""The module-option checks (V022–V030) against ansible-core's ArgumentSpecValidator on mutants of the
shared corpus's real tasks.

The tasks are those ansible-core judged valid (``oracle_args.jsonl``, verdict ``ok``) whose
arguments hold no template; their arguments are ansible-core's own parse (``oracle.jsonl``). Each
is mutated the ways people get options wrong: a misspelt option, a value outside the choices, a
required option removed, a literal of the wrong type. Each mutant is written as a task file and run
through all of shep (loader, detection, model, checks); its V022–V030 errors must be exactly the
kinds ansible-core's validator finds on the same arguments with the same spec
(``shep.module_specs``, generated from ansible-core), and an error about the mutated option must
be on the mutated option's line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from shep.api import parse
from shep.module_specs import ModuleSpec, builtin_name, builtin_spec
from shep.validate import validate_model
from shep.validate.checks import _module_options
from tests.conftest import corpus_or_skip
from tests.differential.module_args_oracle import CRASH, ansible_kinds

pytestmark = [pytest.mark.oracle, pytest.mark.slow]

KIND_OF_CODE = {
    "V022": "unknown-option", "V023": "choice", "V024": "type", "V025": "missing-required",
    "V026": "mutually-exclusive", "V027": "required-together", "V028": "required-one-of",
    "V029": "required-if", "V030": "required-by",
}
# ansible-core's SubParameterTypeError and NoLogError are shep's "not-a-dict", reported as V024.
SHEP_KIND = {"not-a-dict": "type"}


def judged_tasks(corpus: Path) -> list[tuple[str, dict[str, Any]]]:
    """(action, arguments) of every task ansible-core judged valid, templates excluded."""
    where = {}
    for line in (corpus / "oracle_args.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["verdict"] == "ok":
            where[(row["repo"], row["path"], row["line"], row["col"])] = row["module"]
    found = []
    for line in (corpus / "oracle.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        module = where.get((row["repo"], row["path"], row["line"], row["col"]))
        if module is not None and not _templated(row["args"]):
            found.append((module, row["args"]))
    return found


def _templated(value: Any) -> bool:
    if isinstance(value, str):
        return "{{" in value or "{%" in value or "{#" in value
    if isinstance(value, dict):
        return any(_templated(v) for v in value.values())
    if isinstance(value, list):
        return any(_templated(v) for v in value)
    return False


def mutants(spec: ModuleSpec, args: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], str | None]]:
    """(what, mutated arguments, the option whose line an error must be on) for one task."""
    names = set(spec.options) | {a for entry in spec.options.values() for a in entry.get("aliases", ())}
    for key in sorted(k for k in args if not k.startswith("_")):
        typo = key[1:] + key[0] if len(key) > 2 else key + "x"
        if typo not in names:
            yield f"misspelt {key}", {(typo if k == key else k): v for k, v in args.items()}, typo
        entry = spec.options.get(key, {})
        if "choices" in entry:
            yield f"bad choice for {key}", {**args, key: "presnt"}, key
        wanted = entry.get("type")
        if wanted in ("int", "bool", "float", "dict", "list") and key in spec.options:
            yield f"bad {wanted} for {key}", {**args, key: {"list": 1.5, "dict": "x"}.get(wanted, "eighty")}, key
        if entry.get("required"):
            yield f"without {key}", {k: v for k, v in args.items() if k != key}, None


def written_line(text: str, key: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith(f"{key}:"))


def test_mutants_of_real_tasks_get_ansible_cores_verdict() -> None:
    corpus = corpus_or_skip()
    compared = differences = 0
    problems = []
    for module, args in judged_tasks(corpus):
        name = builtin_name(module)
        spec = builtin_spec(name) if name else None
        if spec is None:
            continue
        for what, mutated, key in mutants(spec, args):
            expected = ansible_kinds(spec.options, spec.constraints, mutated)
            text = yaml.safe_dump([{module: mutated}], sort_keys=False, default_flow_style=False)
            found = [d for d in validate_model(parse(text, "tasks")) if d.code in KIND_OF_CODE]
            kinds = {SHEP_KIND.get(KIND_OF_CODE[d.code], KIND_OF_CODE[d.code]) for d in found}
            compared += 1
            same = kinds == {SHEP_KIND.get(k, k) for k in expected} or (expected == {CRASH} and kinds)
            if not same:
                differences += 1
                problems.append(f"{module} {what}: ansible-core {sorted(expected)}, shep {sorted(kinds)}")
            elif key is not None and found and expected != {"missing-required"}:
                line = written_line(text, key)
                if not any(d.line == line for d in found):
                    problems.append(f"{module} {what}: shep reports lines {[d.line for d in found]}, the option "
                                    f"is on line {line}")
    assert compared > 1000, f"only {compared} mutants: the corpus join found too few tasks"
    assert not problems, f"{differences} of {compared} mutants differ:\n" + "\n".join(problems[:40])


def test_the_mutants_are_real_mistakes() -> None:
    """Each kind of mutant makes ansible-core fail (the comparison is not between two silent sides)."""
    spec = builtin_spec("file")
    assert spec is not None
    made = {what.split()[0]: ansible_kinds(spec.options, spec.constraints, args)
            for what, args, _ in mutants(spec, {"path": "/x", "state": "directory", "recurse": True})}
    assert made == {"misspelt": {"unknown-option", "missing-required"}, "bad": {"type"},
                    "without": {"missing-required"}} or all(made.values())
    assert _module_options.WARNING_KINDS == {"deprecated-option", "alias-conflict"}
