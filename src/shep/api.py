"""The library API: read a file or text, get the model and every diagnostic. Never raises on bad content."""

from __future__ import annotations

import os

from shep.diagnostics import START_OF_FILE, make
from shep.kinds import classify_document
from shep.loader import Document, load_bytes, load_text
from shep.model import Playbook, TaskFile
from shep.model.build import build
from shep.fileio import DEFAULT_MAX_BYTES, read_or_diagnostic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shep.kinds import FileKind
    from shep.project import Project


def read_document(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES,
                  reference: bool = False) -> Document:
    """Read and load one file; I/O problems become a Y000 diagnostic, oversize files Y007."""
    name = os.fspath(path)
    data = read_or_diagnostic(name, max_bytes)
    if isinstance(data, bytes):
        return load_bytes(data, name, reference=reference)
    return Document(name, None, [data], False)


def guess_kind(document: Document) -> FileKind | None:
    """Kind from directory and content; None when the file is not Ansible content."""
    return classify_document(document)[0]


def load(path: str | os.PathLike[str], kind: FileKind | None = None, *,
         reference: bool = False) -> Playbook | TaskFile:
    """Load a playbook, task file or handler file; ``kind=None`` detects it (task file by default)."""
    document = read_document(path, reference=reference)
    chosen = kind or guess_kind(document) or "tasks"
    return build(document, chosen)


def load_playbook(path: str | os.PathLike[str]) -> Playbook:
    model = load(path, "playbook")
    assert isinstance(model, Playbook)
    return model


def load_tasks(path: str | os.PathLike[str]) -> TaskFile:
    model = load(path, "tasks")
    assert isinstance(model, TaskFile)
    return model


def load_handlers(path: str | os.PathLike[str]) -> TaskFile:
    model = load(path, "handlers")
    assert isinstance(model, TaskFile)
    return model


def parse(text: str | bytes, kind: FileKind | None = None, filename: str = "<string>", *,
          reference: bool = False, max_bytes: int = DEFAULT_MAX_BYTES) -> Playbook | TaskFile:
    """Parse YAML text (or bytes) as a playbook, task file or handler file (size-capped like files)."""
    if len(text) > max_bytes:  # characters count at least one byte each
        message = f"text is larger than the {max_bytes}-byte limit"
        document = Document(filename, None, [make("Y007", message, filename, START_OF_FILE)], False)
    elif isinstance(text, bytes):
        document = load_bytes(text, filename, reference=reference)
    else:
        document = load_text(text, filename, reference=reference)
    chosen = kind or guess_kind(document) or "tasks"
    return build(document, chosen)


def load_project(path: str | os.PathLike[str], *, trees: bool = False) -> Project:
    """The project of a directory tree (or of one playbook): every playbook, role, task file and
    handler file, each parsed once, and every reference between them resolved (``Project.edges``).
    ``trees``: also build the tree of each playbook's references (``shep graph``)."""
    from shep.project import FileSummary, Files, Loader, RoleMeta, absolute, build_project, is_role_meta, role_meta
    from shep.project import summarize
    from shep.walk import WalkError, iter_files

    given = os.fspath(path)
    # Shown as normalized paths ("site.yml", not "./site.yml"), as the files it reaches are.
    names = [os.path.normpath(item) for item in iter_files([given]) if not isinstance(item, WalkError)]
    loader = Loader(keep_models=True)
    known: dict[str, FileSummary] = {}
    metas: dict[str, RoleMeta] = {}
    kinds: dict[str, str] = {}
    playbooks: list[str] = []
    others: list[str] = []
    for name in names:
        document = read_document(name)
        kind = guess_kind(document)
        if kind is None:
            if is_role_meta(name):
                metas[absolute(name)] = role_meta(absolute(name), document.root)
            continue
        model = build(document, kind)
        full = absolute(name)
        loader.models[name] = model
        known[full] = summarize(model, document.root)
        kinds[full] = kind
        (playbooks if kind == "playbook" else others).append(full)
    root = absolute(given if os.path.isdir(given) else os.path.dirname(given) or ".")
    files = Files(known, metas, kinds, {absolute(name): name for name in names}, tuple(others), root)
    project = build_project(playbooks, files, trees=trees, loader=loader)
    project.models.update(loader.models)
    return project


__all__ = ["classify_document", "guess_kind", "load", "load_handlers", "load_playbook", "load_project", "load_tasks",
           "parse", "read_document"]
