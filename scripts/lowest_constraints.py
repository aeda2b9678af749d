"""Print the constraints of the lowest-versions test run: constraints-lowest.txt for shep's runtime
dependencies, constraints.txt for everything else (test tools keep the versions CI pins)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def canonical(name: str) -> str:
    """PEP 503 normalisation: PyYAML, pyyaml and py_yaml are one project."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    """Project name → its ``name==version`` line."""
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            found[canonical(line.split("==", 1)[0])] = line
    return found


def merged() -> list[str]:
    lowest = pins(ROOT / "constraints-lowest.txt")
    rest = {name: line for name, line in pins(ROOT / "constraints.txt").items() if name not in lowest}
    return [*rest.values(), *lowest.values()]


if __name__ == "__main__":
    sys.stdout.write("".join(line + "\n" for line in merged()))
