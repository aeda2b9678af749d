"""Projects written as one text (the ``project`` examples of the checks' docstrings and tables):
``# file: <path>`` lines start each file, relative to a directory the helpers create."""

from __future__ import annotations

import os
from pathlib import Path

from shep.batch import Options, validate_paths
from shep.diagnostics import Diagnostic


def write_tree(text: str, root: Path) -> list[Path]:
    """Write each ``# file:`` section of ``text`` under ``root``; the files, in order."""
    files: list[Path] = []
    current: list[str] | None = None
    sections: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("# file: "):
            current = []
            sections.append((line[len("# file: "):].strip(), current))
        elif current is not None:
            current.append(line)
    for name, lines in sections:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    return files


def validate_tree(root: Path) -> list[Diagnostic]:
    """Every diagnostic of ``shep validate`` on the tree (as a project), paths relative to ``root``."""
    root = root.resolve()
    cwd = os.getcwd()
    os.chdir(root)
    try:
        names = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.suffix in (".yml", ".yaml"))
        return [d for result in validate_paths(names, Options(project=True)) for d in result.diagnostics]
    finally:
        os.chdir(cwd)
