"""Building a project: ``build_project`` takes the playbooks to start from and what a caller read
already (a validation run parses every file anyway: ``build_project_of``); it loads what else the
walk reaches, each file once."""

from __future__ import annotations

import os

from shep._records import field, record
from shep.project.fs import Disk, dirname, join
from shep.project.graph import (
    BYTES,
    KIND,
    LISTING,
    Names,
    Project,
    ProjectFile,
    RoleNode,
    Source,
    Walker,
    shown_path,
)
from shep.project.summary import FileSummary, RoleMeta, from_data, role_meta, summarize, to_data

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    from shep.keywords import FileKind
    from shep.model import Model


def absolute(path: str) -> str:
    """The key shep uses for a file in a project: absolute and normalized (links not followed)."""
    return os.path.normpath(os.path.abspath(path))


class Loader:
    """Reads, parses and summarizes files the walk reaches (each once), keeping their models."""

    def __init__(self, keep_models: bool = False) -> None:
        self.display: Callable[[str], str] = shown_path
        self.models: dict[str, Model] = {}
        self.keep_models = keep_models
        self.read: list[str] = []

    def summary(self, path: str, kind: str) -> FileSummary | None:
        from shep.fileio import read_or_diagnostic
        from shep.kinds import classify_document
        from shep.loader import load_bytes
        from shep.model.build import build

        self.read.append(path)
        data = read_or_diagnostic(path)
        if not isinstance(data, bytes):
            return None
        document = load_bytes(data, self.display(path))
        chosen: FileKind = "playbook" if kind == "playbook" else "handlers" if kind == "handlers" else "tasks"
        detected = classify_document(document)[0]
        if detected is not None and (detected == "playbook") != (chosen == "playbook"):
            chosen = detected  # what it is: the walk tells the reference that it names the wrong kind of file
        model = build(document, chosen)
        if self.keep_models:
            self.models[self.display(path)] = model
        return summarize(model, document.root)

    def meta(self, path: str) -> RoleMeta:
        from shep.fileio import read_or_diagnostic
        from shep.loader import load_bytes

        self.read.append(path)
        data = read_or_diagnostic(path)
        if not isinstance(data, bytes):
            return RoleMeta(path)
        return role_meta(path, load_bytes(data, self.display(path)).root)

    def data(self, path: str) -> Any:
        """A YAML file's value as loaded (None when it cannot be read or loaded)."""
        from shep.fileio import read_or_diagnostic
        from shep.loader import load_bytes

        self.read.append(path)
        data = read_or_diagnostic(path)
        if not isinstance(data, bytes):
            return None
        root = load_bytes(data, self.display(path)).root
        return None if root is None else root.value


@record
class Files:
    """What a caller read already, all by absolute path: summaries, role metadata, the kind each file
    was detected as, how to show each file; ``others``: task and handler files to walk even when no
    playbook reaches them (in the context their place suggests), under the project's ``root``."""

    known: Mapping[str, FileSummary] = field(default_factory=dict)
    metas: Mapping[str, RoleMeta] = field(default_factory=dict)
    kinds: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    others: tuple[str, ...] = ()
    root: str = "/"


def build_project(playbooks: list[str], files: Files = Files(), *, environ: Mapping[str, str] | None = None,
                  trees: bool = False, loader: Loader | None = None) -> Project:
    """The project reached from ``playbooks`` (absolute paths) and ``files.others``; what else the
    walk reaches is read by ``loader``, once. ``trees``: also the tree of each playbook's references."""
    disk = Disk()
    display = Names(disk, files.names)
    loader = loader or Loader()
    loader.display = display
    source = Source(disk, loader.summary, loader.meta, files.known, files.metas, loader.data)
    walker = Walker(source, display, environ)
    found_trees = []
    for path in playbooks:
        tree = walker.playbook(path, tree=trees)
        if tree is not None:
            found_trees.append(tree)
    kinds = dict(files.kinds)
    walker.orphans(list(files.others), kinds, files.root)
    decided = {}
    found_files = []
    for path, reached in walker.reached_as.items():
        guessed = kinds.get(path)
        kind = guessed if guessed in reached else "playbook" if "playbook" in reached else \
            "tasks" if "tasks" in reached else "handlers"
        shown = display(path)
        decided[shown] = kind
        role = walker.file_roles.get(path, "")
        found_files.append(ProjectFile(shown, kind, display(role) if role else "", path not in walker.guessed))
    roles = [RoleNode(str(node["name"]), display(path), display(str(node["meta"])) if node["meta"] else "",
                      tuple(display(p) for p in node["tasks"]),  # type: ignore[attr-defined]
                      tuple(display(p) for p in node["handlers"]),  # type: ignore[attr-defined]
                      tuple(display(p) for p in node["dependencies"]))  # type: ignore[attr-defined]
             for path, node in walker.roles.items()]
    facts = walker.facts()  # before the dependencies: it lists the module paths
    configs = [settings.config_file for settings in walker.all_settings() if settings.config_file]
    dependencies = tuple(dict.fromkeys([*((KIND, path) for path in disk.asked()),
                                        *((BYTES, path) for path in (*loader.read, *configs)),
                                        *((LISTING, path) for path in disk.listed())]))
    return Project(
        playbooks=tuple(display(path) for path in walker.playbooks),
        files=tuple(sorted(found_files, key=lambda f: f.path)),
        roles=tuple(sorted(roles, key=lambda r: r.path)),
        edges=tuple(sorted(walker.edges.values(), key=lambda e: (e.source, e.span, e.kind, e.target))),
        facts=facts,
        kinds=decided,
        dependencies=dependencies,
        trees=tuple(found_trees),
    )


def build_project_of(paths: list[str], checked: list[tuple[str | None, Any]], *,
                     environ: Mapping[str, str] | None = None) -> Project:
    """The project of files a validation run checked: each path with its kind (None: not Ansible
    content) and what ``shep.validate.check_for_project`` made of it (JSON-able data, or None)."""
    known: dict[str, FileSummary] = {}
    metas: dict[str, RoleMeta] = {}
    kinds: dict[str, str] = {}
    names: dict[str, str] = {}
    playbooks: list[str] = []
    others: list[str] = []
    cwd = ""
    for path, (kind, payload) in zip(paths, checked):
        # absolute(path), the working directory asked once (os.path.abspath asks for each path)
        if os.path.isabs(path):
            full = os.path.normpath(path)
        else:
            cwd = cwd or os.getcwd()
            full = os.path.normpath(join(cwd, path))
        names[full] = path
        found = _decoded(payload)
        if isinstance(found, RoleMeta):
            metas[full] = RoleMeta(full, found.dependencies, found.collections, found.argument_specs)
        elif found is not None and kind is not None:
            known[full] = found
            kinds[full] = kind
            (playbooks if kind == "playbook" else others).append(full)
    parents = list({dirname(full) for full in names}) or [absolute(".")]
    try:
        root = os.path.commonpath(parents)
    except ValueError:
        root = "/"
    return build_project(playbooks, Files(known, metas, kinds, names, tuple(others), root), environ=environ)


def _decoded(payload: Any) -> FileSummary | RoleMeta | None:
    """The summary a payload holds: as made (``found``), or as cached (``data``, JSON)."""
    if not isinstance(payload, dict):
        return None
    found = payload.get("found")
    if isinstance(found, (FileSummary, RoleMeta)):
        return found
    try:
        return from_data(payload["data"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def payload_data(payload: dict[str, Any] | None) -> dict[str, Any] | None:
    """A payload as JSON-able data, to cache (``build_project_of`` reads both forms)."""
    if payload is None or "found" not in payload:
        return payload
    return {**{key: value for key, value in payload.items() if key != "found"}, "data": to_data(payload["found"])}
