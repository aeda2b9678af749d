"""The project graph as FlatBuffers (schema/project.fbs): ``shep graph --format fbs``.

``project_to_flatbuffers(project)`` writes the playbooks, files, roles and references of a
``shep.project.Project`` as one ``.shepg`` buffer (root table ``Project``, file identifier ``SHPG``):
the same information as ``shep.serialize.graph.project_to_json``, whose keys it mirrors.
``project_from_flatbuffers(data)`` reads it back to an equal ``Project`` (the four tuples compared by
``Project.__eq__``; the facts the checks read are not part of the graph's dumps). Reading goes
through ``shep.serialize.fbs``'s checked reader: a truncated, corrupted or foreign buffer raises
``ShepDecodeError`` and nothing else. Text is written as ``.shep`` buffers write it (a lone
surrogate of an undecodable file name kept, WTF-8), so every path comes back as it was.
"""

from __future__ import annotations

from typing import Final

import flatbuffers

from shep.diagnostics import Span
from shep.fbs import Project as _PJ
from shep.fbs import ProjectFile as _PF
from shep.fbs import ProjectRole as _PR
from shep.fbs import Reference as _R
from shep.fbs import Span as _S
from shep.serialize.fbs import ShepDecodeError, _corrupt, _Reader, _slot_of, _Table, checked_read, offsets_vector
from shep.serialize.graph import GRAPH_FORMAT

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shep.project import Edge, Project, ProjectFile, RoleNode

__all__ = ["PROJECT_FILE_EXTENSION", "PROJECT_FILE_IDENTIFIER", "project_from_flatbuffers", "project_to_flatbuffers"]

PROJECT_FILE_IDENTIFIER: Final = b"SHPG"
PROJECT_FILE_EXTENSION: Final = "shepg"
_TEXT_ERRORS = "surrogatepass"

# Vtable slots, read from the generated builders: the schema stays the one source of truth.
_PJ_FORMAT, _PJ_PLAYBOOKS, _PJ_FILES, _PJ_ROLES, _PJ_REFERENCES = (
    _slot_of(_PJ.ProjectAddGraphFormat), _slot_of(_PJ.ProjectAddPlaybooks), _slot_of(_PJ.ProjectAddFiles),
    _slot_of(_PJ.ProjectAddRoles), _slot_of(_PJ.ProjectAddReferences))
_PF_PATH, _PF_KIND, _PF_ROLE, _PF_REACHED = (
    _slot_of(_PF.ProjectFileAddPath), _slot_of(_PF.ProjectFileAddKind), _slot_of(_PF.ProjectFileAddRole),
    _slot_of(_PF.ProjectFileAddReached))
_PR_NAME, _PR_PATH, _PR_META, _PR_TASKS, _PR_HANDLERS, _PR_DEPENDENCIES = (
    _slot_of(_PR.ProjectRoleAddName), _slot_of(_PR.ProjectRoleAddPath), _slot_of(_PR.ProjectRoleAddMeta),
    _slot_of(_PR.ProjectRoleAddTasks), _slot_of(_PR.ProjectRoleAddHandlers), _slot_of(_PR.ProjectRoleAddDependencies))
_R_SOURCE, _R_SPAN, _R_KIND, _R_TARGET, _R_STATUS, _R_RESOLVED, _R_REASON = (
    _slot_of(_R.ReferenceAddSource), _slot_of(_R.ReferenceAddSpan), _slot_of(_R.ReferenceAddKind),
    _slot_of(_R.ReferenceAddTarget), _slot_of(_R.ReferenceAddStatus), _slot_of(_R.ReferenceAddResolved),
    _slot_of(_R.ReferenceAddReason))
_R_SEARCHED, _R_STATIC, _R_CONDITIONAL, _R_REACHED, _R_VIA = (
    _slot_of(_R.ReferenceAddSearched), _slot_of(_R.ReferenceAddStaticKeyword), _slot_of(_R.ReferenceAddConditional),
    _slot_of(_R.ReferenceAddReached), _slot_of(_R.ReferenceAddVia))
_UINT32_MAX = 2**32 - 1


# -- writing -------------------------------------------------------------------------------------------


class _Writer:
    def __init__(self) -> None:
        self.b = flatbuffers.Builder(4096)

    def string(self, text: str) -> int:
        return int(self.b.CreateSharedString(text, errors=_TEXT_ERRORS))

    def optional(self, text: str) -> int:
        """An empty string is left out (it reads back as empty)."""
        return self.string(text) if text else 0

    def offsets(self, offsets: list[int]) -> int:
        return offsets_vector(self.b, offsets)

    def strings(self, texts: tuple[str, ...]) -> int:
        return self.offsets([self.string(text) for text in texts])

    def project(self, project: Project) -> bytes:
        b = self.b
        playbooks = self.strings(project.playbooks)
        files = self.offsets([self.file(f) for f in project.files])
        roles = self.offsets([self.role(r) for r in project.roles])
        references = self.offsets([self.reference(e) for e in project.edges])
        _PJ.ProjectStart(b)
        _PJ.ProjectAddGraphFormat(b, GRAPH_FORMAT)
        _PJ.ProjectAddPlaybooks(b, playbooks)
        _PJ.ProjectAddFiles(b, files)
        _PJ.ProjectAddRoles(b, roles)
        _PJ.ProjectAddReferences(b, references)
        b.Finish(_PJ.ProjectEnd(b), file_identifier=PROJECT_FILE_IDENTIFIER)
        return bytes(b.Output())

    def file(self, file: ProjectFile) -> int:
        b = self.b
        path, kind, role = self.string(file.path), self.string(file.kind), self.optional(file.role)
        _PF.ProjectFileStart(b)
        _PF.ProjectFileAddPath(b, path)
        _PF.ProjectFileAddKind(b, kind)
        if role:
            _PF.ProjectFileAddRole(b, role)
        _PF.ProjectFileAddReached(b, file.reached)
        return int(_PF.ProjectFileEnd(b))

    def role(self, role: RoleNode) -> int:
        b = self.b
        name, path, meta = self.string(role.name), self.string(role.path), self.optional(role.meta)
        tasks, handlers = self.strings(role.tasks), self.strings(role.handlers)
        dependencies = self.strings(role.dependencies)
        _PR.ProjectRoleStart(b)
        _PR.ProjectRoleAddName(b, name)
        _PR.ProjectRoleAddPath(b, path)
        if meta:
            _PR.ProjectRoleAddMeta(b, meta)
        _PR.ProjectRoleAddTasks(b, tasks)
        _PR.ProjectRoleAddHandlers(b, handlers)
        _PR.ProjectRoleAddDependencies(b, dependencies)
        return int(_PR.ProjectRoleEnd(b))

    def reference(self, edge: Edge) -> int:
        b = self.b
        source, kind, target, status = map(self.string, (edge.source, edge.kind, edge.target, edge.status))
        resolved, reason, via = self.optional(edge.resolved), self.optional(edge.reason), self.optional(edge.via)
        searched = self.strings(edge.searched)
        _R.ReferenceStart(b)
        _R.ReferenceAddSource(b, source)
        _R.ReferenceAddSpan(b, _S.CreateSpan(b, *_check_span(edge.span)))
        _R.ReferenceAddKind(b, kind)
        _R.ReferenceAddTarget(b, target)
        _R.ReferenceAddStatus(b, status)
        for add, offset in ((_R.ReferenceAddResolved, resolved), (_R.ReferenceAddReason, reason),
                            (_R.ReferenceAddVia, via)):
            if offset:
                add(b, offset)
        _R.ReferenceAddSearched(b, searched)
        _R.ReferenceAddStaticKeyword(b, edge.static)
        _R.ReferenceAddConditional(b, edge.conditional)
        _R.ReferenceAddReached(b, edge.reached)
        return int(_R.ReferenceEnd(b))


def _check_span(span: Span) -> tuple[int, int, int, int]:
    if not all(0 <= number <= _UINT32_MAX for number in span):
        raise ValueError(f"a span outside uint32: {span}")
    return span.line, span.col, span.end_line, span.end_col


def project_to_flatbuffers(project: Project) -> bytes:
    """The project graph as one .shepg buffer; the same graph always gives the same bytes."""
    return _Writer().project(project)


# -- reading -------------------------------------------------------------------------------------------


class _ProjectReader(_Reader):
    def project(self) -> Project:
        from shep.project import Project

        root = self.table(self.deref(0))
        version = self.u32(root, _PJ_FORMAT)
        if version == 0:
            raise _corrupt("no graph format")
        if version > GRAPH_FORMAT:
            raise ShepDecodeError(f"the buffer uses graph format {version}; this shep reads formats up to "
                                  f"{GRAPH_FORMAT}: upgrade shep")
        return Project(
            playbooks=self.texts(root, _PJ_PLAYBOOKS),
            files=tuple(self.project_file(pos) for pos in self.tables(root, _PJ_FILES)),
            roles=tuple(self.role(pos) for pos in self.tables(root, _PJ_ROLES)),
            edges=tuple(self.reference(pos) for pos in self.tables(root, _PJ_REFERENCES)),
        )

    def texts(self, tab: _Table, slot: int) -> tuple[str, ...]:
        start, length = self.vector(tab, slot, 4)
        return tuple(self.string_at(start + 4 * i) for i in range(length))

    def flag(self, tab: _Table, slot: int, default: bool) -> bool:
        at = tab.at(slot, 1)
        return bool(self.buf[at]) if at else default

    def project_file(self, pos: int) -> ProjectFile:
        from shep.project import ProjectFile

        tab = self.table(pos)
        return ProjectFile(path=self.required_string(tab, _PF_PATH, "a file's path"),
                           kind=self.required_string(tab, _PF_KIND, "a file's kind"),
                           role=self.string(tab, _PF_ROLE) or "", reached=self.flag(tab, _PF_REACHED, True))

    def role(self, pos: int) -> RoleNode:
        from shep.project import RoleNode

        tab = self.table(pos)
        return RoleNode(name=self.required_string(tab, _PR_NAME, "a role's name"),
                        path=self.required_string(tab, _PR_PATH, "a role's path"),
                        meta=self.string(tab, _PR_META) or "", tasks=self.texts(tab, _PR_TASKS),
                        handlers=self.texts(tab, _PR_HANDLERS), dependencies=self.texts(tab, _PR_DEPENDENCIES))

    def reference(self, pos: int) -> Edge:
        from shep.project import Edge

        tab = self.table(pos)
        return Edge(
            source=self.required_string(tab, _R_SOURCE, "a reference's source"),
            span=self.span(tab, _R_SPAN, "a reference"),
            kind=self.required_string(tab, _R_KIND, "a reference's kind"),
            target=self.required_string(tab, _R_TARGET, "a reference's target"),
            status=self.required_string(tab, _R_STATUS, "a reference's status"),
            resolved=self.string(tab, _R_RESOLVED) or "", reason=self.string(tab, _R_REASON) or "",
            searched=self.texts(tab, _R_SEARCHED), static=self.flag(tab, _R_STATIC, True),
            conditional=self.flag(tab, _R_CONDITIONAL, False), reached=self.flag(tab, _R_REACHED, True),
            via=self.string(tab, _R_VIA) or "",
        )


def project_from_flatbuffers(data: bytes | bytearray | memoryview) -> Project:
    """Read a .shepg buffer back into a ``Project``. Raises ShepDecodeError for anything not well-formed."""
    return checked_read(data, PROJECT_FILE_IDENTIFIER, "shep project graph buffer",
                        lambda buf: _ProjectReader(buf).project())
