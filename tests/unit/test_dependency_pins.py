"""The pinned test environment and the lowest-versions run agree with pyproject.toml's requirements."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from tests.conftest import load_script

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
lowest_constraints = load_script("lowest_constraints")

_REQUIREMENT = re.compile(r"^([A-Za-z0-9_.-]+)\s*(.*)$")


def requirements(group: list[str]) -> dict[str, list[tuple[str, str]]]:
    """Project name → its (operator, version) clauses, for the simple forms pyproject.toml uses."""
    found = {}
    for text in group:
        match = _REQUIREMENT.match(text)
        assert match, text
        clauses = [re.match(r"(>=|<=|==|<|>)\s*(\S+)", c.strip()) for c in match.group(2).split(",") if c.strip()]
        assert all(clauses), text
        found[lowest_constraints.canonical(match.group(1))] = [(c.group(1), c.group(2)) for c in clauses if c]
    return found


def release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version.split("rc")[0]))


def satisfies(version: str, clauses: list[tuple[str, str]]) -> bool:
    tests = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, "<": lambda a, b: a < b,
             ">": lambda a, b: a > b}
    for operator, bound in clauses:
        if operator == "==":
            if version != bound:
                return False
        elif not tests[operator](release(version), release(bound)):
            return False
    return True


def pinned(name: str) -> dict[str, str]:
    return {key: line.split("==", 1)[1] for key, line in lowest_constraints.pins(ROOT / name).items()}


RUNTIME = requirements(PYPROJECT["project"]["dependencies"])
EXTRAS = {name: requirements(group) for name, group in PYPROJECT["project"]["optional-dependencies"].items()}


def test_constraints_pin_every_requirement_within_its_range() -> None:
    pins = pinned("constraints.txt")
    wanted = dict(RUNTIME)
    for extra in ("test", "oracle", "bench", "lsp"):  # what make install installs
        wanted.update(EXTRAS[extra])
    wrong = {name: (pins.get(name), clauses) for name, clauses in wanted.items()
             if name not in pins or not satisfies(pins[name], clauses)}
    assert wrong == {}


def test_lowest_constraints_are_the_floors_of_pyproject() -> None:
    def same_release(version: str) -> tuple[int, ...]:  # 4.18 is 4.18.0
        numbers = list(release(version))
        while numbers and numbers[-1] == 0:
            numbers.pop()
        return tuple(numbers)

    floors = {name: same_release(next(v for op, v in clauses if op in (">=", "==")))
              for name, clauses in RUNTIME.items()}
    assert {name: same_release(v) for name, v in pinned("constraints-lowest.txt").items()} == floors


def test_lowest_run_takes_the_floors_and_pins_the_rest() -> None:
    merged = {lowest_constraints.canonical(line.split("==")[0]): line.split("==")[1]
              for line in lowest_constraints.merged()}
    assert merged["pyyaml"] == pinned("constraints-lowest.txt")["pyyaml"]
    assert merged["pytest"] == pinned("constraints.txt")["pytest"]
    assert len(merged) == len(pinned("constraints.txt")) + len(
        set(pinned("constraints-lowest.txt")) - set(pinned("constraints.txt")))
