"""A project graph (``shep.project.Project``) as JSON, as Graphviz DOT, and as the text tree of each
playbook's references (``shep graph``)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from shep.project import Edge, Project, TreeNode

# Project JSON format version (additions keep it; a change of meaning bumps it).
GRAPH_FORMAT = 1


def edge_to_json(edge: Edge) -> dict[str, Any]:
    return {
        "source": edge.source, "line": edge.span.line, "col": edge.span.col, "end_line": edge.span.end_line,
        "end_col": edge.span.end_col, "kind": edge.kind, "target": edge.target, "status": edge.status,
        "resolved": edge.resolved or None, "reason": edge.reason or None, "searched": list(edge.searched),
        "static": edge.static, "conditional": edge.conditional, "reached": edge.reached, "via": edge.via or None,
    }


def project_to_json(project: Project) -> dict[str, Any]:
    """The project's playbooks, files, roles and references (every edge, with its source position,
    its status and what it resolves to, or why not)."""
    return {
        "format": GRAPH_FORMAT,
        "playbooks": list(project.playbooks),
        "files": [{"path": f.path, "kind": f.kind, "role": f.role or None, "reached": f.reached}
                  for f in project.files],
        "roles": [{"name": r.name, "path": r.path, "meta": r.meta or None, "tasks": list(r.tasks),
                   "handlers": list(r.handlers), "dependencies": list(r.dependencies)} for r in project.roles],
        "edges": [edge_to_json(edge) for edge in project.edges],
    }


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def project_to_dot(project: Project) -> str:
    """The graph for Graphviz: files as boxes, roles as ellipses, one arrow per reference (dashed
    when dynamic, red to a red node when the target cannot be found)."""
    lines = ["digraph shep {", "  rankdir=LR;", "  node [shape=box, fontname=\"monospace\"];"]
    roles = {role.path for role in project.roles}
    nodes: dict[str, str] = {}
    for file in project.files:
        nodes.setdefault(file.path, f"  {_quoted(file.path)} [label={_quoted(file.path)}];")
    for role in project.roles:
        nodes[role.path] = f"  {_quoted(role.path)} [shape=ellipse, label={_quoted('role ' + role.name)}];"
        for path in (*role.tasks, *role.handlers):
            lines.append(f"  {_quoted(role.path)} -> {_quoted(path)} [style=dotted];")
        for dependency in role.dependencies:
            lines.append(f"  {_quoted(role.path)} -> {_quoted(dependency)} [label=\"dependency\"];")
    for edge in project.edges:
        nodes.setdefault(edge.source, f"  {_quoted(edge.source)};")
        label = _quoted(f"{edge.kind} {edge.span.line}:{edge.span.col}")
        if edge.resolved:
            shape = " [shape=ellipse]" if edge.resolved in roles else ""
            nodes.setdefault(edge.resolved, f"  {_quoted(edge.resolved)}{shape};")
            lines.append(f"  {_quoted(edge.source)} -> {_quoted(edge.resolved)} [label={label}];")
        else:
            target = f"{edge.status}: {edge.target}"
            colour = ", color=red, fontcolor=red" if edge.status == "missing" else ""
            nodes.setdefault(target, f"  {_quoted(target)} [style=dashed{colour}];")
            lines.append(f"  {_quoted(edge.source)} -> {_quoted(target)} [label={label}, style=dashed{colour}];")
    return "\n".join([*lines[:3], *nodes.values(), *lines[3:], "}"]) + "\n"


def _label(node: TreeNode) -> str:
    edge = node.edge
    if edge is None or edge.status == "found":
        return node.label
    where = f"{edge.source}:{edge.span.line}:{edge.span.col}"
    reason = f" — {edge.reason}" if edge.reason and edge.status == "missing" else ""
    return f"{node.label} ({where}){reason}"


def tree_text(trees: tuple[TreeNode, ...]) -> str:
    """Each playbook's references as an indented tree (``├──``, ``└──``)."""
    lines: list[str] = []

    def add(node: TreeNode, prefix: str, last: bool, top: bool) -> None:
        lines.append(_label(node) if top else f"{prefix}{'└── ' if last else '├── '}{_label(node)}")
        inner = "" if top else prefix + ("    " if last else "│   ")
        for index, child in enumerate(node.children):
            add(child, inner, index == len(node.children) - 1, False)

    for tree in trees:
        add(tree, "", True, True)
    return "".join(line + "\n" for line in lines)
