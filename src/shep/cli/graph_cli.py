"""``shep graph``: load the project of a playbook (or a tree) and print its graph."""

from __future__ import annotations

import os
import sys

from shep.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from shep.cli._io import err, write_atomic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shep.project import Project


def graph_command(path: str, fmt: str, output: str | None) -> int:
    """Exit 0 when every reference resolves (or is dynamic), 1 when one cannot be found, 2 on a
    usage or I/O problem."""
    from shep.api import load_project

    if not os.path.exists(path):
        err(f"shep: error: {path}: No such file or directory")
        return EXIT_USAGE
    if fmt == "fbs" and output is None and sys.stdout.isatty():
        err("shep: error: refusing to write a binary .shepg buffer to a terminal; use -o FILE.shepg "
            "(or redirect stdout)")
        return EXIT_USAGE
    project = load_project(path, trees=fmt == "text")
    data = _rendered(project, fmt)
    if output is not None:
        try:
            write_atomic(output, data)
        except OSError as exc:
            err(f"shep: error: {output}: {exc.strerror or exc}")
            return EXIT_USAGE
    else:
        sys.stdout.buffer.write(data)
    failing = ("missing", "wrong-kind")
    return EXIT_PROBLEMS if any(edge.status in failing for edge in project.edges) else EXIT_OK


def _rendered(project: Project, fmt: str) -> bytes:
    from shep.serialize.graph import project_to_dot, project_to_json, tree_text

    if fmt == "fbs":
        from shep.serialize.project_fbs import project_to_flatbuffers

        return project_to_flatbuffers(project)
    if fmt == "json":
        import json

        text = json.dumps(project_to_json(project), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "dot":
        text = project_to_dot(project)
    else:
        text = tree_text(project.trees)
    return text.encode("utf-8", "backslashreplace")
