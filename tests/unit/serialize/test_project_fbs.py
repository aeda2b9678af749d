"""The project graph as a FlatBuffers .shepg buffer (schema/project.fbs): exact round trip, the same
content as the JSON graph read by flatc itself, and checked reading of bad buffers."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shep.api import load_project
from shep.diagnostics import Span
from shep.project import Edge, Project, ProjectFile, RoleNode
from shep.serialize.fbs import ShepDecodeError, to_flatbuffers
from shep.serialize.graph import project_to_json
from shep.serialize.project_fbs import project_from_flatbuffers, project_to_flatbuffers
from tests.cli.test_formats import flatc
from tests.conftest import REPO, corpus_or_skip

PROJECTS = sorted(path for path in (REPO / "fixtures" / "validate" / "project").iterdir() if path.is_dir())


def _sample() -> Project:
    """A graph with every field set away from its default at least once, and a lone surrogate."""
    return Project(
        playbooks=("site.yml", "b\udcff.yml"),
        files=(ProjectFile("site.yml", "playbook"), ProjectFile("roles/r/tasks/main.yml", "tasks", "roles/r", False)),
        roles=(RoleNode("r", "roles/r", "roles/r/meta/main.yml", ("roles/r/tasks/main.yml",), ("h.yml",), ("roles/d",)),
               RoleNode("d", "roles/d")),
        edges=(Edge("site.yml", Span(3, 7, 3, 20), "import_tasks", "x.yml", "missing", reason="Could not find",
                    searched=("a", "b"), static=False, conditional=True, reached=False, via="site.yml"),
               Edge("site.yml", Span(9, 1, 9, 4), "role", "r", "found", resolved="roles/r")),
    )


@pytest.mark.parametrize("root", PROJECTS, ids=lambda p: p.name)
def test_round_trip_of_fixture_projects(root: Path) -> None:
    project = load_project(str(root))
    assert project.edges, "the fixture has references"
    data = project_to_flatbuffers(project)
    assert data[4:8] == b"SHPG"
    back = project_from_flatbuffers(data)
    assert back == project
    assert project_to_flatbuffers(back) == data  # deterministic: the same graph, the same bytes


def test_round_trip_keeps_every_field() -> None:
    project = _sample()
    back = project_from_flatbuffers(project_to_flatbuffers(project))
    assert back == project
    assert [edge.via for edge in back.edges] == ["site.yml", ""]
    assert back.files[1].reached is False and back.edges[0].static is False and back.edges[0].conditional is True


def test_round_trip_of_the_shared_corpus() -> None:
    project = load_project(str(corpus_or_skip()))
    assert len(project.edges) > 100
    assert project_from_flatbuffers(project_to_flatbuffers(project)) == project


def _flatc_view(project: Project) -> dict[str, Any]:
    """project_to_json in the spelling flatc's JSON printer uses for schema/project.fbs: the root's
    own field names, null and default values left out."""
    graph = project_to_json(project)

    def kept(entry: dict[str, Any], defaults: dict[str, Any], renamed: dict[str, str]) -> dict[str, Any]:
        out = {}
        for key, value in entry.items():
            if value is None or defaults.get(key, object()) == value:
                continue
            out[renamed.get(key, key)] = value
        return out

    edges = []
    for edge in graph["edges"]:
        span = {"line": edge.pop("line"), "col": edge.pop("col"), "end_line": edge.pop("end_line"),
                "end_col": edge.pop("end_col")}
        edges.append({**kept(edge, {"static": True, "conditional": False, "reached": True},
                             {"static": "static_keyword"}), "span": span})
    return {"graph_format": graph["format"], "playbooks": graph["playbooks"],
            "files": [kept(f, {"reached": True}, {}) for f in graph["files"]],
            "roles": [kept(r, {}, {}) for r in graph["roles"]], "references": edges}


@pytest.mark.parametrize("root", PROJECTS, ids=lambda p: p.name)
def test_flatc_reads_the_buffer_as_the_json_graph(root: Path, tmp_path: Path) -> None:
    """An independent reader (flatc's JSON printer, driven by schema/project.fbs) sees the JSON graph."""
    project = load_project(str(root))
    buffer = tmp_path / "graph.shepg"
    buffer.write_bytes(project_to_flatbuffers(project))
    subprocess.run([flatc(), "--json", "--strict-json", "--raw-binary", "-o", str(tmp_path), "-I",
                    str(REPO / "schema"), str(REPO / "schema" / "project.fbs"), "--", str(buffer)], check=True)
    read = json.loads((tmp_path / "graph.json").read_text(encoding="utf-8"))
    for entry in read.get("references", []):  # flatc prints every field of a struct
        entry["span"] = {key: entry["span"][key] for key in ("line", "col", "end_line", "end_col")}
    assert _without_empty_lists(read) == _without_empty_lists(_flatc_view(project))


def _without_empty_lists(value: Any) -> Any:
    """flatc prints an empty vector as [] or leaves it out, by where it is: compare without them."""
    if isinstance(value, dict):
        return {key: _without_empty_lists(item) for key, item in value.items() if item != []}
    if isinstance(value, list):
        return [_without_empty_lists(item) for item in value]
    return value


def test_a_model_buffer_is_not_a_graph() -> None:
    from shep.api import parse

    with pytest.raises(ShepDecodeError, match="SHPG"):
        project_from_flatbuffers(to_flatbuffers(parse("- debug: msg=x\n", "tasks")))


def test_a_newer_graph_format_is_refused() -> None:
    data = bytearray(project_to_flatbuffers(_sample()))
    # The root table's first field is graph_format (uint32 1); find it after the vtable and raise it.
    root = int.from_bytes(data[0:4], "little")
    vtable = root - int.from_bytes(data[root:root + 4], "little", signed=True)
    offset = int.from_bytes(data[vtable + 4:vtable + 6], "little")
    assert int.from_bytes(data[root + offset:root + offset + 4], "little") == 1
    data[root + offset:root + offset + 4] = (2).to_bytes(4, "little")
    with pytest.raises(ShepDecodeError, match="graph format 2"):
        project_from_flatbuffers(bytes(data))


def test_every_truncation_is_a_decode_error() -> None:
    data = project_to_flatbuffers(_sample())
    intact = []
    for length in range(len(data)):
        try:
            decoded = project_from_flatbuffers(data[:length])
        except ShepDecodeError:
            continue
        assert decoded == _sample()  # only trailing alignment padding was cut
        intact.append(length)
    assert len(intact) < 4 and all(data[cut:] == bytes(len(data) - cut) for cut in intact)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_corrupted_buffers_raise_only_decode_errors(data: st.DataObject) -> None:
    buffer = bytearray(project_to_flatbuffers(_sample()))
    for _ in range(data.draw(st.integers(1, 8))):
        buffer[data.draw(st.integers(8, len(buffer) - 1))] = data.draw(st.integers(0, 255))
    try:
        project = project_from_flatbuffers(bytes(buffer))
    except ShepDecodeError:
        return
    assert isinstance(project, Project)
