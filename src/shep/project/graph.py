"""The project graph: every reference of the playbooks, roles, task and handler files of a project,
resolved as ansible-core resolves it, without running or templating anything.

The walk starts at each playbook and follows its plays as ansible-core loads them: ``vars_files``,
``roles:`` (with their dependencies, task and handler files), the plays' task lists with their
imports and includes, ``import_playbook``. What a reference leads to depends on how its file was
reached (the role it belongs to, the enclosing includes, the playbook's directory): the walk
carries that context (``_Context``), and a file reached in several contexts is walked in each,
parsed once (``Source``). Files no playbook reaches (a role's files, a task file on its own) are
walked afterwards in the context their place suggests; their findings are marked as such
(``Edge.reached``).

Each play's handlers (its own, its roles', those of the roles it imports or includes) are
gathered into one scope, in the order ansible-core loads them, to tell which notifications find
no handler and which handler names are given twice.
"""

from __future__ import annotations

import os

from shep._records import field, record
from shep.diagnostics import Span
from shep.project import search, summary
from shep.project.fs import Disk, dirname, join
from shep.project.search import RoleFiles, TaskContext, Where, is_fqcr, is_templated
from shep.project.settings import Settings, settings_for, working_directory
from shep.project.summary import (
    Argument,
    FileSummary,
    Handler,
    Invalid,
    Notify,
    PlaySummary,
    Ref,
    RoleMeta,
    TaskList,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any, NamedTuple
else:
    from shep._records import NamedTuple

# Edge.status
FOUND = "found"
MISSING = "missing"  # ansible-core cannot find it (Edge.reason: its message)
DYNAMIC = "dynamic"  # templated: known only at run time
COLLECTION = "collection"  # in a collection shep does not find installed: not resolved
INVALID = "invalid"  # not a name at all (another check reports it)
EMPTY = "empty"  # a *_from option of a role without that directory: ansible-core loads nothing, silently
CYCLE = "cycle"  # a file or role that (indirectly) references itself: not walked again
WRONG_KIND = "wrong-kind"  # a playbook where a task file is loaded, or the reverse (ansible-core fails on it)
_FAILING = frozenset({MISSING, WRONG_KIND})  # the statuses the checks of references report
# Project.dependencies: what of a path the verdicts depend on.
KIND, BYTES, LISTING = "kind", "bytes", "listing"

_FROM_KINDS = {directory: f"{directory}_from" for directory in summary.FROM_OPTIONS.values()}
# The collection names that hold no roles (a play's ``collections`` always allows these).
_NO_ROLES_COLLECTIONS = frozenset({"ansible.builtin", "ansible.legacy"})


@record
class Edge:
    """One reference: where it is written, what it names, and what it leads to (or why not)."""

    source: str  # the file the reference is written in (a role's meta/main.yml for a dependency)
    span: Span
    kind: str  # shep.project.summary's kinds, or tasks_from, handlers_from, vars_from, defaults_from
    target: str  # as written
    status: str  # FOUND, MISSING, DYNAMIC, COLLECTION, INVALID, EMPTY or CYCLE
    resolved: str = ""  # the file or role directory it leads to
    reason: str = ""  # why it is not resolved (ansible-core's message for MISSING, without its paths)
    searched: tuple[str, ...] = ()  # where ansible-core looks (MISSING), as shown
    static: bool = True  # resolved when the playbook is loaded (else when the including task runs)
    conditional: bool = False  # the referencing task may not run (condition, loop, rescue, handler…)
    reached: bool = True  # the file was reached from a playbook (else its context was guessed)
    via: str = ""  # for a *_from option: the reference that gives it (import_role, include_role)


@record
class RoleNode:
    name: str
    path: str
    meta: str = ""  # meta/main.yml
    tasks: tuple[str, ...] = ()
    handlers: tuple[str, ...] = ()
    dependencies: tuple[str, ...] = ()  # the paths of its dependencies


@record
class ProjectFile:
    """A playbook, task file or handler file of the project, and how it was reached."""

    path: str
    kind: str  # playbook, tasks or handlers
    role: str = ""  # the role it belongs to
    reached: bool = True


@record
class UnknownHandler:
    """A notification no handler of a play answers to."""

    name: str
    span: Span
    plays: tuple[str, ...]  # the plays (path:line) where nothing answers
    certain: bool  # every handler of those plays is known (else ``sources`` may hold it)
    sources: tuple[str, ...] = ()


@record
class DuplicateHandler:
    """A handler whose name a handler loaded before it in the same play already has."""

    name: str
    span: Span
    first_path: str
    first_span: Span
    play: str


@record
class RoleArguments:
    """What a reference to a role with argument specs gives the role's variables, and the specs of
    the entry point ansible-core validates them against (Role._prepend_validation_task)."""

    role: str  # as referenced
    entry: str  # the entry point: tasks_from as written, else main
    options: Any  # argument_specs[entry]["options"], as loaded
    arguments: tuple[Argument, ...]
    certain: bool  # ansible-core validates them whatever the variables (rolespec_validate not templated)
    span: Span  # the reference


@record
class FileFacts:
    """What the project knows about one file, for the checks (``ModelWalk.facts``)."""

    reached: bool = False
    references: tuple[Edge, ...] = ()
    unknown_handlers: tuple[UnknownHandler, ...] = ()
    duplicate_handlers: tuple[DuplicateHandler, ...] = ()
    # Whether the handler scope of every play this file runs in was worked out (notifications checked).
    notifications_checked: bool = False
    role_arguments: tuple[RoleArguments, ...] = ()
    # The short action names of the file that neither ansible-core nor a module or action plugin path of
    # the project provides (library/ and action_plugins/ beside its playbooks and in its roles, the
    # configured paths).
    unresolved_actions: tuple[tuple[str, Span], ...] = ()

    @property
    def quiet(self) -> bool:
        """Nothing here for the checks that read the graph (V003, V033, V050-V054) to report: no
        notification without a handler, no handler named twice, no reference that fails (missing,
        or the wrong kind of file), no role arguments to judge, no action name nothing provides.
        Most files' facts are quiet: a run skips their project checks
        (``tests/unit/project/test_quiet_facts.py`` compares with running them)."""
        return not self.unknown_handlers and not self.duplicate_handlers and not self.role_arguments and \
            not self.unresolved_actions and not any(edge.status in _FAILING for edge in self.references)


@record
class TreeNode:
    """A line of ``shep graph``'s tree: an edge (or a file, a play, a role's file) and what it leads to."""

    label: str
    edge: Edge | None = None
    children: list[TreeNode] = field(default_factory=list)


@record
class Project:
    """A project: its playbooks, files, roles and references, and the facts each file's checks read."""

    playbooks: tuple[str, ...] = ()
    files: tuple[ProjectFile, ...] = ()
    roles: tuple[RoleNode, ...] = ()
    edges: tuple[Edge, ...] = ()
    facts: dict[str, FileFacts] = field(default_factory=dict, compare=False)
    kinds: dict[str, str] = field(default_factory=dict, compare=False)  # the kind each reached file is loaded as
    # What the verdicts depend on besides the files' own bytes: (how, absolute path), ``how`` one of
    # KIND (whether it exists, and is a file or a directory), BYTES (its content), LISTING (its names).
    dependencies: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    trees: tuple[TreeNode, ...] = field(default=(), compare=False)
    models: dict[str, Any] = field(default_factory=dict, compare=False)  # each file's model, when kept

    def facts_of(self, path: str) -> FileFacts | None:
        return self.facts.get(path)


# -- what the walk reads -----------------------------------------------------------------------


class Source:
    """The files a walk reads, each parsed once: summaries already made (by a validation run that
    parsed the files anyway), else ``load(path, kind)`` (None for a file that cannot be read). A
    file reached through links is the same file (its device and inode: asked only for a path the
    caller did not name)."""

    def __init__(self, disk: Disk, load: Callable[[str, str], FileSummary | None],
                 load_meta: Callable[[str], RoleMeta], known: Mapping[str, FileSummary] | None = None,
                 metas: Mapping[str, RoleMeta] | None = None, load_data: Callable[[str], Any] | None = None) -> None:
        self.disk = disk
        self._load = load
        self._load_meta = load_meta
        self._load_data = load_data  # a YAML file's value (None when unreadable): meta/argument_specs.yml
        self._argument_specs: dict[str, Any] = {}
        self._given = dict(known or {})
        self._given_metas = dict(metas or {})
        self._known: dict[tuple[str, bool], FileSummary | None] = {}
        self._identities: dict[object, str] | None = None  # identity → a given path, built when first needed
        self._role_metas: dict[str, RoleMeta] = {}

    def _named(self, path: str) -> str:
        """The path the caller gave for the file ``path`` is (itself, or the same file through links)."""
        if path in self._given or path in self._given_metas:
            return path
        if self._identities is None:
            self._identities = {}
            for given in (*self._given, *self._given_metas):
                self._identities.setdefault(self.disk.identity(given) or given, given)
        return self._identities.get(self.disk.identity(path) or path, path)

    def summary(self, path: str, kind: str) -> FileSummary | None:
        """The file's summary as ``kind`` (a task file whether loaded as tasks or handlers); a file
        known as the other family (a playbook asked for as a task file, or the reverse) is returned
        as what it is: its ``kind`` tells the caller."""
        playbook = kind == "playbook"
        found = self._known.get((path, playbook), _UNKNOWN)
        if found is _UNKNOWN:
            given = self._given.get(self._named(path))
            if given is None:
                other = self._known.get((path, not playbook))
                found = other if other is not None else self._load(path, kind)
            else:
                found = given
            self._known[path, playbook] = found
        return found  # type: ignore[no-any-return]

    def meta(self, role_path: str) -> RoleMeta:
        found = self._role_metas.get(role_path)
        if found is None:
            files = search.role_files(role_path, "meta", None, self.disk)
            if not files.files:
                found = _NO_META
            else:
                name = self._named(files.files[0])
                found = self._given_metas.get(name)
                if found is None:
                    found = self._given_metas[name] = self._load_meta(files.files[0])
                if found.path != files.files[0]:
                    found = RoleMeta(files.files[0], found.dependencies, found.collections, found.argument_specs)
            self._role_metas[role_path] = found
        return found

    def argument_specs(self, role_path: str) -> Any:
        """The role's ``argument_specs`` (Role._get_role_argspecs): those of meta/argument_specs.yml
        (or .yaml, .json) when there is one, else meta/main.yml's; None when it has none."""
        if role_path in self._argument_specs:
            return self._argument_specs[role_path]
        found = None
        for extension in (".yml", ".yaml", ".json"):  # C.YAML_FILENAME_EXTENSIONS
            path = os.path.join(role_path, "meta", f"argument_specs{extension}")
            if self.disk.is_file(path):
                data = self._load_data(path) if self._load_data is not None else None
                found = (data.get("argument_specs") if isinstance(data, dict) else None) or {}
                break
        else:
            found = self.meta(role_path).argument_specs
        self._argument_specs[role_path] = found
        return found


_UNKNOWN: Any = object()
_NO_META = RoleMeta()  # shared: most roles have no meta/main.yml


class Names:
    """How each file is shown: as the caller named it (a file reached through links too), else
    relative to the working directory when under it."""

    def __init__(self, disk: Disk, given: Mapping[str, str] | None = None) -> None:
        self.disk = disk
        self._by_path: dict[str, str] = dict(given or {})
        self._given = dict(self._by_path)
        self._by_identity: dict[object, str] | None = None  # built at the first path not named
        try:
            self._cwd = os.getcwd().rstrip("/") + "/"
        except OSError:
            self._cwd = ""

    def __call__(self, path: str) -> str:
        found = self._by_path.get(path)
        if found is None and not self.disk.is_file(path):  # a directory, or a file that is not there
            self._by_path[path] = found = _relative(path, self._cwd)
        elif found is None:
            if self._by_identity is None:
                self._by_identity = {self.disk.identity(given): shown for given, shown in self._given.items()}
                self._by_identity.pop(None, None)
            identity = self.disk.identity(path)
            found = self._by_identity.get(identity) if identity is not None else None
            self._by_path[path] = found = found or _relative(path, self._cwd)
        return found


def _relative(path: str, cwd: str) -> str:
    if not cwd:
        return path
    if path + "/" == cwd:
        return "."
    return path[len(cwd):] if path.startswith(cwd) else path


def shown_path(path: str) -> str:
    """A path no argument named: relative to the working directory when under it."""
    try:
        cwd = os.getcwd().rstrip("/") + "/"
    except OSError:
        return path
    if path + "/" == cwd:
        return "."
    return path[len(cwd):] if path.startswith(cwd) else path


# -- the walk ----------------------------------------------------------------------------------


class _Role(NamedTuple):
    path: str
    name: str  # as ansible-core names it in handler names ("role : handler")
    collection: str = ""


class _Context(NamedTuple):
    """How a task list is reached: everything resolving its references depends on (a named tuple:
    one is made per reference walked, and compared as a memo key)."""

    where: Where
    settings: Settings
    role: _Role | None = None
    load_parents: tuple[str, ...] = ()  # enclosing includes when the list is loaded
    run_parents: tuple[str, ...] = ()  # enclosing includes when its tasks run (dynamic includes)
    handlers: bool = False
    # Handlers an include_tasks handler brings in when it runs: named for notifications (shep does not
    # know whether they are notified before or after), not compared for duplicates (the include's own
    # name is often theirs).
    included_handlers: bool = False
    static: bool = True  # loaded with the playbook
    conditional: bool = False
    reached: bool = True
    # Other working and base directories to try when the context is guessed (files no playbook reaches).
    guesses: tuple[Where, ...] = ()
    # The collections unqualified role names are looked up in first: a collection role's own (and its
    # meta/main.yml's), a collection playbook's.
    collections: tuple[str, ...] = ()


class _Segment:
    """Handlers, notifications and unknown handler sources added to a scope in a row, with what the
    checks need of them worked out once (a segment is shared by every play that reaches it)."""

    __slots__ = ("handlers", "notifies", "unknown", "_first", "duplicates", "names", "wildcard", "by_name")

    def __init__(self) -> None:
        self.handlers: list[tuple[Handler, str, _Role | None, bool]] = []
        self.notifies: list[tuple[str, Notify]] = []
        self.unknown: list[str] = []
        self._first: dict[str, tuple[str, Span]] | None = None
        self.duplicates: list[tuple[str, str, Span, str, Span]] = []
        self.names: frozenset[str] = frozenset()
        self.wildcard = False
        self.by_name: dict[str, list[tuple[str, Notify]]] = {}

    def first(self) -> dict[str, tuple[str, Span]]:
        """Each handler name's first handler here (the others are duplicates within the segment)."""
        if self._first is None:
            first: dict[str, tuple[str, Span]] = {}
            names: set[str] = set()
            for handler, path, role, included in self.handlers:
                listen = [topic for topic in handler.listen if isinstance(topic, str)]
                self.wildcard = self.wildcard or any(is_templated(topic) for topic in listen)
                names.update(listen)
                if role is not None:  # Handler._validate_listen: a role's topics also as 'role : topic'
                    names.update(f"{prefix} : {topic}" for prefix in _role_names(role) for topic in listen)
                name = handler.name
                if not isinstance(name, str):
                    continue
                if is_templated(name):
                    self.wildcard = True
                    continue
                names.add(name)
                if role is not None:  # Task.get_name: 'role : name', with the role's collection or without
                    names.update(f"{prefix} : {name}" for prefix in _role_names(role))
                if included:
                    continue
                earlier = first.setdefault(name, (path, handler.span))
                if earlier != (path, handler.span):
                    self.duplicates.append((name, path, handler.span, *earlier))
            for path, notify in self.notifies:
                for name in notify.names:
                    if not is_templated(name):
                        self.by_name.setdefault(name, []).append((path, notify))
            self.names = frozenset(names)
            self._first = first
        return self._first


def _role_names(role: _Role) -> tuple[str, ...]:
    """How ansible-core names a role in handler names: without and with its collection."""
    return (role.name, f"{role.collection}.{role.name}") if role.collection else (role.name,)


class _Chunk:
    """What one walk adds to a scope, in order: segments of its own, and the chunks of the walks it
    made (a role walked in the same context for another play is the same chunk, not a copy)."""

    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: list[_Segment | _Chunk] = []

    def segment(self) -> _Segment:
        if not self.items or not isinstance(self.items[-1], _Segment):
            self.items.append(_Segment())
        last = self.items[-1]
        assert isinstance(last, _Segment)
        return last


@record(frozen=False)
class _Scope:
    """One play's handlers and notifications (its chunk), and the walks already made in it."""

    label: str
    chunk: _Chunk = field(default_factory=_Chunk)
    visited: set[tuple[object, ...]] = field(default_factory=set)
    checked: bool = True  # False for the scope of guessed contexts: nothing is concluded from it


class Walker:
    def __init__(self, source: Source, display: Callable[[str], str], environ: Mapping[str, str] | None = None) -> None:
        self.source = source
        self.disk = source.disk
        self.display = display
        self.environ = environ
        self._settings: dict[str, Settings] = {}
        self._working_directories: dict[str, str | None] = {}
        self._guessed_contexts: dict[tuple[str, str], _Context] = {}
        self._collection_playbooks: dict[tuple[str, tuple[str, ...]], str | None] = {}
        self._children: dict[tuple[_Context, str, bool, bool], _Context] = {}
        self.edges: dict[tuple[object, ...], Edge] = {}
        self.reached_as: dict[str, set[str]] = {}
        self.file_roles: dict[str, str] = {}
        self.guessed: set[str] = set()
        self.roles: dict[str, dict[str, object]] = {}
        self.scopes: list[_Scope] = []
        self.playbooks: list[str] = []
        self._tree: TreeNode | None = None
        self._walking: list[str] = []  # the task files and roles being walked, outermost first
        self._walked_playbooks: set[tuple[str, str | None]] = set()
        self._roots: dict[tuple[object, ...], tuple[str, ...]] = {}
        self._role_files_found: dict[tuple[str, str, str | None, bool], RoleFiles] = {}
        self._merged_items: dict[int, tuple[_Segment, _Merged]] = {}
        self._chunk_segments: dict[int, tuple[_Chunk, tuple[_Segment, ...]]] = {}
        # What walking a role in a context adds to a play's scope, shared by every play that reaches
        # it in the same context; the chunk events go to is the last one.
        self._chunks: dict[tuple[object, ...], _Chunk] = {}
        self._current: list[_Chunk] = []
        self._task_files: dict[tuple[object, ...], str | None] = {}
        self._found_roles: dict[tuple[object, ...], tuple[str, _Role | None, str, tuple[str, ...]]] = {}
        # The arguments role references give roles with argument specs, by referencing file and reference.
        self._role_arguments: dict[str, dict[tuple[object, ...], RoleArguments]] = {}
        # The directories ansible-core adds to its module and action plugin paths in a run: library/ and
        # action_plugins/ beside each playbook and in each role (add_all_plugin_dirs), the configured ones.
        self._library: dict[str, None] = {}

    def settings(self, playbook_dir: str) -> Settings:
        found = self._settings.get(playbook_dir)
        if found is None:
            cwd = working_directory(playbook_dir, self.disk, self._working_directories)
            found = self._settings.get(cwd)
            if found is None:
                found = self._settings[cwd] = settings_for(cwd, self.disk, self.environ, self._working_directories)
            self._settings[playbook_dir] = found
        return found

    def _collection_roots(self, context: _Context) -> tuple[str, ...]:
        key = (context.where.basedir, context.settings, context.role.path if context.role else "")
        found = self._roots.get(key)
        if found is None:
            found = self._roots[key] = collection_roots(context)
        return found

    def all_settings(self) -> list[Settings]:
        return list(dict.fromkeys(self._settings.values()))

    # -- tree (shep graph) ---------------------------------------------------------------------

    def _child(self, label: str, edge: Edge | None = None) -> TreeNode | None:
        if self._tree is None:
            return None
        node = TreeNode(label, edge)
        self._tree.children.append(node)
        return node

    def _under(self, node: TreeNode | None) -> _Under | _Nothing:
        return _NOTHING if node is None else _Under(self, node)

    # -- scope events ------------------------------------------------------------------------------

    def _segment(self, scope: _Scope) -> _Segment:
        return (self._current[-1] if self._current else scope.chunk).segment()

    def _unknown(self, scope: _Scope, source: str) -> None:
        """A source of handlers shep cannot read: the scope's notifications are not certain."""
        self._segment(scope).unknown.append(source)

    # -- edges ---------------------------------------------------------------------------------

    def _edge(self, source: str, ref: Ref | tuple[str, Span], context: _Context, status: str,
              **details: Any) -> Edge:
        """Record a reference's edge. ``details``: ``resolved``, ``reason``, ``searched`` (the
        Edge fields), ``static`` and ``conditional`` (the reference's own, combined with the
        context's), ``kind`` (for a *_from option), ``via``."""
        resolved: str = details.get("resolved", "")
        searched: tuple[str, ...] = details.get("searched", ())
        if isinstance(ref, Ref):
            kind, target, span = details.get("kind") or ref.kind, ref.target, ref.span
        else:
            kind = details["kind"]
            target, span = ref
        text = target if isinstance(target, str) else _text(target)
        shown = self.display(source)
        shown_resolved = self.display(resolved) if resolved else ""
        static = details.get("static", True) and context.static
        conditional = details.get("conditional", False) or context.conditional
        key = (shown, span, kind, text, status, shown_resolved)
        known = self.edges.get(key)
        if known is not None and (known.static or not static) and (known.conditional <= conditional) \
                and (known.reached or not context.reached):
            return known  # reached again, nothing stronger to say (most references of shared roles)
        edge = Edge(shown, span, kind, text, status, shown_resolved, details.get("reason", ""),
                    tuple(dict.fromkeys(self.display(path) if path[:1] == "/" else path for path in searched))
                    if searched else (), static, conditional, context.reached, details.get("via", ""))
        if known is not None:  # the same reference reached again: the strongest claim wins
            edge = Edge(shown, span, kind, text, status, shown_resolved, edge.reason or known.reason,
                        edge.searched or known.searched, edge.static or known.static,
                        edge.conditional and known.conditional, edge.reached or known.reached, edge.via)
        self.edges[key] = edge
        return edge

    def _reach(self, path: str, kind: str, context: _Context) -> None:
        self.reached_as.setdefault(path, set()).add(kind)
        if context.role is not None:
            self.file_roles.setdefault(path, context.role.path)
        if not context.reached:
            self.guessed.add(path)

    # -- playbooks -----------------------------------------------------------------------------

    def playbook(self, path: str, *, stack: tuple[str, ...] = (), tree: bool = False,
                 cwd: str | None = None) -> TreeNode | None:
        """Walk a playbook (an entry point: ``cwd`` None; or imported)."""
        root = TreeNode(self.display(path)) if tree else None
        if root is not None:
            self._tree = root
        try:
            self._walk_playbook(path, stack, cwd)
        finally:
            if root is not None:
                self._tree = None
        return root

    def _walk_playbook(self, path: str, stack: tuple[str, ...], cwd: str | None) -> None:
        found = self.source.summary(path, "playbook")
        if found is None or found.kind != "playbook":
            return
        basedir = dirname(path)
        settings = self.settings(basedir if cwd is None else cwd)
        self._library.update(dict.fromkeys((join(basedir, "library"), join(basedir, "action_plugins"),
                                            *settings.library, *settings.action_plugins)))
        key = (path, settings.cwd)
        if key in self._walked_playbooks and self._tree is None:  # imported by several: its plays are the same
            return
        self._walked_playbooks.add(key)
        where = Where(basedir, settings.cwd)
        if not stack:
            self.playbooks.append(path)
        self.reached_as.setdefault(path, set()).add("playbook")
        collection = collection_of(path)
        context = _Context(where, settings, collections=(collection[1],) if collection else ())
        for play in found.plays:
            if play.import_ref is not None:
                self._import_playbook(path, play.import_ref, context, (*stack, path))
            else:
                with self._under(self._child(f"play {_play_label(play)}")):
                    self._play(path, play, context)

    def _import_playbook(self, path: str, ref: Ref, context: _Context, stack: tuple[str, ...]) -> None:
        target = ref.target
        if not isinstance(target, str) or not target:
            self._child(f"import_playbook {target!r}: invalid", self._edge(path, ref, context, INVALID))
            return
        if is_templated(target):
            self._child(f"import_playbook {target}: dynamic", self._edge(path, ref, context, DYNAMIC))
            return
        if is_fqcr(target) and not target.endswith((".yml", ".yaml")):
            roots = self._collection_roots(context)
            key = (target, roots)  # the playbooks of a collection import the same ones
            found = self._collection_playbooks.get(key, "")
            if found == "":
                found = self._collection_playbooks[key] = search.find_collection_playbook(target, roots, self.disk)
            if found is None and not self.disk.is_file(join(context.where.basedir, target)) \
                    and search.find_collection(target, roots, self.disk) is None:
                collection = ".".join(target.split(".")[:2])
                reason = f"not resolved: the collection {collection} is not installed where shep looks"
                self._child(f"import_playbook {target}: collection", self._edge(path, ref, context, COLLECTION,
                                                                             reason=reason))
                return
        else:
            found = None
        if found is None:
            found = os.path.normpath(target if os.path.isabs(target) else join(context.where.basedir, target))
        if not self.disk.is_file(found):
            edge = self._edge(path, ref, context, MISSING, reason=_not_found(target, found, self.disk),
                              searched=(found,))
            self._child(f"import_playbook {target}: missing", edge)
            return
        if found in stack:
            self._child(f"import_playbook {target}: cycle", self._edge(path, ref, context, CYCLE, resolved=found))
            return
        loaded = self.source.summary(found, "playbook")
        if loaded is not None and loaded.kind != "playbook":
            reason = f"'{target}' is a task file: ansible-core loads it as a playbook, and fails"
            edge = self._edge(path, ref, context, WRONG_KIND, resolved=found, reason=reason)
            self._child(f"import_playbook {target}: a task file", edge)
            return
        edge = self._edge(path, ref, context, FOUND, resolved=found)
        with self._under(self._child(f"import_playbook {target} → {edge.resolved}", edge)):
            self._walk_playbook(found, stack, context.settings.cwd)

    def _play(self, path: str, play: PlaySummary, context: _Context) -> None:
        scope = _Scope(f"{self.display(path)}:{play.span.line}")
        self.scopes.append(scope)
        for ref in play.vars_files:
            self._vars_file(path, ref, context)
        for ref in play.roles:
            self._role_ref(path, ref, context, scope)
        self._task_list(path, play.handlers, _replace(context, handlers=True), scope)
        self._task_list(path, play.tasks, context, scope)

    def _vars_file(self, path: str, ref: Ref, context: _Context) -> None:
        names = ref.target if isinstance(ref.target, tuple) else (ref.target,)
        if not all(isinstance(name, str) and name for name in names):
            self._edge(path, ref, context, INVALID)
            return
        strings = [name for name in names if isinstance(name, str)]
        if any(is_templated(name) for name in strings):
            self._child(f"vars_files {_text(ref.target)}: dynamic", self._edge(path, ref, context, DYNAMIC))
            return
        tried: list[str] = []
        for name in strings:
            found, candidates = search.path_dwim_relative_stack([dirname(path)], "vars", name,
                                                                context.where, self.disk)
            tried.extend(candidates)
            if found is not None:
                edge = self._edge(path, ref, context, FOUND, resolved=os.path.normpath(found))
                self._child(f"vars_files {edge.target} → {edge.resolved}", edge)
                return
        edge = self._edge(path, ref, context, MISSING, reason=f"vars file '{_text(ref.target)}' was not found",
                          searched=tuple(os.path.normpath(candidate) for candidate in tried))
        self._child(f"vars_files {edge.target}: missing", edge)

    # -- task lists ----------------------------------------------------------------------------

    def _task_list(self, path: str, tasks: TaskList, context: _Context, scope: _Scope) -> None:
        for item in tasks.items:
            if isinstance(item, Handler):
                if context.handlers:
                    self._segment(scope).handlers.append((item, path, context.role, context.included_handlers))
            elif item.kind in (summary.IMPORT_TASKS, summary.INCLUDE_TASKS):
                self._task_file(path, item, context, scope)
            else:
                self._role_include(path, item, context, scope)
        if tasks.notifies:
            self._segment(scope).notifies.extend((path, notify) for notify in tasks.notifies)

    def _task_file(self, path: str, ref: Ref, context: _Context, scope: _Scope) -> None:
        static = ref.kind == summary.IMPORT_TASKS
        conditional = ref.conditional or context.handlers
        target = ref.target
        if not isinstance(target, str) or not target:
            self._edge(path, ref, context, INVALID, static=static, conditional=conditional)
            return
        if is_templated(target):
            edge = self._edge(path, ref, context, DYNAMIC, static=static, conditional=conditional)
            self._child(f"{ref.kind} {target}: dynamic", edge)
            if context.handlers:
                self._unknown(scope, f"{ref.kind} '{target}' in handlers")
            return
        found = self._find_task_file(target, static, context)
        if found is None or not self.disk.is_file(found):
            tried = found or ""
            natural = join(join(context.role.path, "handlers" if context.handlers else "tasks"), target) \
                if context.role is not None and not os.path.isabs(target) else ""
            edge = self._edge(path, ref, context, MISSING, reason=_not_found(target, tried, self.disk), static=static,
                              conditional=conditional, searched=tuple(p for p in (natural, tried) if p))
            self._child(f"{ref.kind} {target}: missing", edge)
            return
        loaded = self.source.summary(found, "handlers" if context.handlers else "tasks")
        if loaded is not None and loaded.kind == "playbook":
            reason = f"'{target}' is a playbook: ansible-core loads it as a task file, and fails"
            edge = self._edge(path, ref, context, WRONG_KIND, resolved=found, reason=reason, static=static,
                              conditional=conditional)
            self._child(f"{ref.kind} {target}: a playbook", edge)
            return
        edge = self._edge(path, ref, context, FOUND, resolved=found, static=static, conditional=conditional)
        parent_dir = dirname(target)
        made = (context, parent_dir, static, conditional)  # the includes of a file share their context
        child = self._children.get(made)
        if child is None:
            outer = context.load_parents if static else context.run_parents
            child = self._children[made] = _replace(
                context, load_parents=_parents(parent_dir, outer),
                included_handlers=context.included_handlers or (context.handlers and not static),
                run_parents=_parents(parent_dir, context.run_parents), static=context.static and static,
                conditional=context.conditional or conditional, guesses=context.guesses)
        key = ("file", found, child)
        with self._under(self._child(f"{ref.kind} {target} → {edge.resolved}", edge)):
            if key in scope.visited or found in self._walking:  # an include of itself: walked once
                return
            scope.visited.add(key)
            self._reach(found, "handlers" if context.handlers else "tasks", child)
            if loaded is not None:
                self._walking.append(found)
                try:
                    self._task_list(found, loaded.tasks, child, scope)
                finally:
                    self._walking.pop()

    def _find_task_file(self, target: str, static: bool, context: _Context) -> str | None:
        """The file the reference loads (the last candidate ansible-core tries when none exists)."""
        key = (target, static, context.where, context.guesses, context.role.path if context.role else "",
               context.load_parents if static else context.run_parents, context.handlers)
        found = self._task_files.get(key, "")
        if found == "":
            found = self._task_files[key] = self._search_task_file(target, static, context)
        return found

    def _search_task_file(self, target: str, static: bool, context: _Context) -> str | None:
        last = None
        for where in (context.where, *context.guesses):
            task_context = TaskContext(where, context.role.path if context.role else "",
                                       context.load_parents if static else context.run_parents, context.handlers)
            candidates = (search.import_candidates if static else search.include_candidates)(target, task_context,
                                                                                             self.disk)
            if self.disk.is_file(candidates[-1]):
                return candidates[-1]
            last = last or candidates[-1]
        return last

    # -- roles ---------------------------------------------------------------------------------

    def _role_ref(self, path: str, ref: Ref, context: _Context, scope: _Scope) -> None:
        """An entry of a play's ``roles:``."""
        found = self._lookup_role(path, ref, context, "", scope)
        if found is not None:
            role, edge = found
            self._arguments(path, ref, role, "main")
            with self._under(self._child(f"role {ref.target} → {edge.resolved}", edge)):
                self._role(role, _replace(context, load_parents=(), run_parents=(),
                                          conditional=context.conditional or ref.conditional), scope, {})

    def _role_include(self, path: str, ref: Ref, context: _Context, scope: _Scope) -> None:
        """An import_role or include_role task."""
        static = ref.kind == summary.IMPORT_ROLE
        conditional = context.conditional or ref.conditional
        found = self._lookup_role(path, ref, _replace(context, static=context.static and static,
                                                      conditional=conditional), "", scope)
        if found is None:
            return
        role, edge = found
        entry = next((value for directory, value, _span in ref.options if directory == "tasks"), "main")
        if isinstance(entry, str) and not is_templated(entry):
            self._arguments(path, ref, role, entry)
        options: dict[str, tuple[str, Span, str, str]] = {}
        role_context = _replace(context, load_parents=(), run_parents=(role.path,),
                                static=context.static and static, conditional=conditional, handlers=False)
        with self._under(self._child(f"{ref.kind} {ref.target} → {edge.resolved}", edge)):
            for directory, value, span in ref.options:
                kind = _FROM_KINDS[directory]
                if not isinstance(value, str):
                    self._edge(path, (_text(value), span), role_context, INVALID, kind=kind)
                elif is_templated(value):
                    self._child(f"{kind} {value}: dynamic", self._edge(path, (value, span), role_context, DYNAMIC,
                                                                       kind=kind))
                    if directory == "handlers":
                        self._unknown(scope, f"handlers_from '{value}' of role '{ref.target}'")
                    options[directory] = ("", span, path, ref.kind)
                else:
                    options[directory] = (value, span, path, ref.kind)
            self._role(role, role_context, scope, options)

    def _lookup_role(self, path: str, ref: Ref, context: _Context, role_basedir: str,
                     scope: _Scope) -> tuple[_Role, Edge] | None:
        """Find the role a reference names (RoleDefinition._load_role_path); its edge either way."""
        name = ref.target
        if not isinstance(name, str) or not name:
            self._edge(path, ref, context, INVALID)
            self._unknown(scope, f"role {name!r}")
            return None
        if is_templated(name):
            self._child(f"{ref.kind} {name}: dynamic", self._edge(path, ref, context, DYNAMIC))
            self._unknown(scope, f"{ref.kind} '{name}'")
            return None
        collections = ref.collections or context.collections
        if ref.collections and context.collections:
            collections = tuple(dict.fromkeys((*ref.collections, *context.collections)))
        status, found, reason, searched = self._find_role(name, collections, context, role_basedir)
        if status != FOUND:
            edge = self._edge(path, ref, context, status, reason=reason, searched=searched)
            self._child(f"{ref.kind} {name}: {status}", edge)
            self._unknown(scope, f"{ref.kind} '{name}' ({'not found' if status == MISSING else 'not resolved'})")
            return None
        assert found is not None
        return found, self._edge(path, ref, context, FOUND, resolved=found.path)

    def _arguments(self, path: str, ref: Ref, role: _Role, entry: str) -> None:
        """Keep what ``ref`` gives the variables of ``role`` when the role has argument specs for
        ``entry`` (its validation task runs first when the role is entered, Role._create_validation_task)."""
        if not ref.arguments or ref.validate == summary.NO_VALIDATE:
            return
        specs = self.source.argument_specs(role.path)
        spec = specs.get(entry) if isinstance(specs, dict) else None
        if not isinstance(spec, dict) or not spec:
            return
        key = (ref.span, role.path, entry)
        found = self._role_arguments.setdefault(self.display(path), {})
        if key not in found:
            found[key] = RoleArguments(str(ref.target), entry, spec.get("options") or {}, ref.arguments,
                                       ref.validate == summary.VALIDATE, ref.span)

    def _find_role(self, name: str, collections: tuple[str, ...], context: _Context,
                   role_basedir: str) -> tuple[str, _Role | None, str, tuple[str, ...]]:
        key = (name, collections, context.where, context.guesses, context.settings, role_basedir,
               context.role.path if context.role else "")
        found = self._found_roles.get(key)
        if found is None:
            found = self._found_roles[key] = self._search_role(name, collections, context, role_basedir)
        return found

    def _search_role(self, name: str, collections: tuple[str, ...], context: _Context,
                     role_basedir: str) -> tuple[str, _Role | None, str, tuple[str, ...]]:
        roots = self._collection_roots(context)
        if is_fqcr(name):
            found = search.find_collection_role(name, roots, self.disk)
            if found is not None:
                namespace, collection, role = name.split(".", 2)
                return FOUND, _Role(found, role, f"{namespace}.{collection}"), "", ()
        for collection in collections:
            if collection not in _NO_ROLES_COLLECTIONS and collection.count(".") == 1:
                found = search.find_collection_role(f"{collection}.{name}", roots, self.disk)
                if found is not None:
                    return FOUND, _Role(found, name, collection), "", ()
        paths: list[str] = []
        for where in (context.where, *context.guesses):
            paths = search.role_search_paths(where.basedir, context.settings.roles_path, role_basedir)
            found = search.find_role(name, paths, where, self.disk)
            if found is not None:
                shown = name if found != search.unfrack(name, where.cwd) else os.path.basename(name)
                return FOUND, _Role(found, shown), "", ()
        if is_fqcr(name):
            installed = search.find_collection(name, roots, self.disk)
            if installed is None:
                return COLLECTION, None, (f"not resolved: the collection {'.'.join(name.split('.')[:2])} is not "
                                          "installed where shep looks"), ()
            # The collection is there, without that role.
            return MISSING, None, f"the role '{name}' was not found", (join(installed, "roles"),)
        absent = [collection for collection in collections
                  if collection not in _NO_ROLES_COLLECTIONS and collection.count(".") == 1
                  and search.find_collection(f"{collection}.x", roots, self.disk) is None]
        if absent:  # ansible-core looks in the collections first: the role may be in one shep does not find
            return COLLECTION, None, (f"not resolved: the collection {absent[0]} of the search list, where "
                                      "ansible-core looks first, is not installed where shep looks"), ()
        return MISSING, None, f"the role '{name}' was not found", (*collections, *paths)

    def _role(self, role: _Role, context: _Context, scope: _Scope,
              options: dict[str, tuple[str, Span, str, str]]) -> None:
        """A role's dependencies, tasks and handlers (Role._load_role_data), in ``context`` (its
        load/run parents, order, static, conditional already set by the caller)."""
        key = ("role", role.path, tuple(sorted(options.items())), _replace(context, role=None, collections=()))
        if key in scope.visited or role.path in self._walking:  # a dependency of itself: walked once
            return
        scope.visited.add(key)
        parent = self._current[-1] if self._current else scope.chunk
        done = self._chunks.get(key) if self._tree is None else None
        if done is not None:
            parent.items.append(done)
            return
        chunk = _Chunk()
        self._current.append(chunk)
        self._walking.append(role.path)
        try:
            self._walk_role(role, context, scope, options)
        finally:
            self._walking.pop()
            self._current.pop()
        parent.items.append(chunk)
        self._chunks[key] = chunk

    def _walk_role(self, role: _Role, context: _Context, scope: _Scope,
                   options: dict[str, tuple[str, Span, str, str]]) -> None:
        node = self.roles.setdefault(role.path, {"name": role.name, "meta": "", "tasks": [], "handlers": [],
                                                 "dependencies": []})
        self._library.update(dict.fromkeys((join(role.path, "library"), join(role.path, "action_plugins"))))
        meta = self.source.meta(role.path)
        own = (role.collection,) if role.collection else ()
        role_context = _replace(context, role=role, collections=tuple(dict.fromkeys((*own, *meta.collections))))
        if meta.path:
            node["meta"] = meta.path
        for dep in meta.dependencies:
            self._dependency(role, meta, dep, role_context, scope, node)
        for directory, handlers in (("tasks", False), ("handlers", True)):
            given = options.get(directory)
            files = self._role_files(role, directory, given, role_context)
            listed = node[directory]
            assert isinstance(listed, list)
            if not files.files:
                continue
            kind = "handlers" if handlers else "tasks"
            file_context = _replace(role_context, handlers=handlers)
            for found in files.files:
                if found not in listed:
                    listed.append(found)
                # The file shown even without a tree: showing it may be what first asks for the given
                # files' identities (Names), and the project's dependencies keep the order they are asked in.
                with self._under(self._child(f"{kind} {self.display(found)}")):
                    loaded = self.source.summary(found, kind)
                    self._reach(found, kind, file_context)
                    if loaded is not None and loaded.kind != "playbook":
                        self._task_list(found, loaded.tasks, file_context, scope)
        for directory in ("vars", "defaults"):
            if directory in options:
                self._role_files(role, directory, options[directory], role_context, allow_dir=True)

    def _role_files(self, role: _Role, directory: str, given: tuple[str, Span, str, str] | None, context: _Context, *,
                    allow_dir: bool = False) -> RoleFiles:
        if given is not None and not given[0]:  # templated: reported as dynamic already
            return search.NO_FILES
        main = given[0] if given is not None else None
        key = (role.path, directory, main, allow_dir)
        files = self._role_files_found.get(key)
        if files is None:
            files = self._role_files_found[key] = search.role_files(role.path, directory, main, self.disk,
                                                                    allow_dir=allow_dir, role_name=role.name)
        if given is not None:
            value, span, source, via = given
            kind = _FROM_KINDS[directory]
            if files.error is not None:
                self._child(f"{kind} {value}: missing", self._edge(source, (value, span), context, MISSING,
                                                                   reason=files.error, kind=kind, via=via,
                                                                   searched=(join(role.path, directory),)))
            elif not files.files:
                reason = f"the role has no {directory}/ directory: ansible-core loads nothing"
                self._edge(source, (value, span), context, EMPTY, reason=reason, kind=kind, via=via)
            else:
                self._edge(source, (value, span), context, FOUND, resolved=files.files[0], kind=kind, via=via)
        return files

    def _dependency(self, role: _Role, meta: RoleMeta, ref: Ref, context: _Context, scope: _Scope,
                    node: dict[str, object]) -> None:
        found = self._lookup_role(meta.path, Ref(ref.kind, ref.target, ref.span, ref.conditional),
                                  _replace(context, conditional=context.conditional or ref.conditional),
                                  dirname(role.path), scope)
        if found is None:
            return
        dep, edge = found
        self._arguments(meta.path, ref, dep, "main")
        deps = node["dependencies"]
        assert isinstance(deps, list)
        if dep.path not in deps:
            deps.append(dep.path)
        with self._under(self._child(f"dependency {ref.target} → {edge.resolved}", edge)):
            self._role(dep, _replace(context, role=None, conditional=context.conditional or ref.conditional),
                       scope, {})

    # -- files no playbook reaches ---------------------------------------------------------------

    def orphans(self, paths: list[str], kinds: dict[str, str], root: str) -> None:
        """Walk the task and handler files no playbook reached, in the context their place suggests:
        a role's (its layout), else a task list whose base directory is its own or one above it."""
        by_role: dict[str, list[str]] = {}
        loose: list[str] = []
        reached = {self.disk.identity(path) for path in self.reached_as}  # a file reached through links too
        roles_of: dict[str, str] = {}
        for path in paths:
            if path in self.reached_as or self.disk.identity(path) in reached:
                continue
            folder = path.rpartition("/")[0]  # role_of reads the directories only: asked once for each
            role_path = roles_of.get(folder)
            if role_path is None:
                role_path = roles_of[folder] = role_of(path, self.disk)
            if role_path:
                by_role.setdefault(role_path, []).append(path)
            else:
                loose.append(path)
        scope = _Scope("files no playbook reaches", checked=False)
        for role_path, files in by_role.items():
            context = self._guessed_context(role_path, root)
            role = _Role(role_path, os.path.basename(role_path))
            self._role(role, context, scope, {})
            for path in files:
                if path not in self.reached_as:
                    self._orphan_list(path, kinds.get(path, "tasks"), _replace(context, role=role), scope)
        for path in loose:
            if path not in self.reached_as:
                context = self._guessed_context(path, root)
                self._orphan_list(path, kinds.get(path, "tasks"), context, scope)

    def _orphan_list(self, path: str, kind: str, context: _Context, scope: _Scope) -> None:
        handlers = kind == "handlers"
        loaded = self.source.summary(path, kind)
        file_context = _replace(context, handlers=handlers)
        self._reach(path, kind, file_context)
        if loaded is not None and loaded.kind != "playbook":
            self._task_list(path, loaded.tasks, file_context, scope)

    def _guessed_context(self, path: str, root: str) -> _Context:
        """Base directories to try for a file (or role) no playbook reaches: its directory and each
        one above it up to the project's root, and for a role the directory holding ``roles/``
        (the same for every file or role of a directory: worked out once)."""
        folder = dirname(path)
        key = (folder, root)
        found = self._guessed_contexts.get(key)
        if found is None:
            found = self._guessed_contexts[key] = self._guess_context(folder, root)
        return found

    def _guess_context(self, folder: str, root: str) -> _Context:
        options: list[str] = []
        while True:
            options.append(folder)
            if folder == root or not folder.startswith(root) or dirname(folder) == folder:
                break
            folder = dirname(folder)
        settings = self.settings(options[0])
        wheres = [Where(option, settings.cwd) for option in dict.fromkeys(options)]
        return _Context(wheres[0], settings, reached=False, guesses=tuple(wheres[1:]))

    # -- facts ---------------------------------------------------------------------------------

    def library_modules(self) -> frozenset[str]:
        """The action names the module and action plugin paths of the run provide (a file ``name`` or
        ``name.ext``)."""
        names: set[str] = set()
        for directory in self._library:
            for entry in self.disk.listdir(directory):
                stem = entry.split(".", 1)[0]
                if not stem or stem.startswith("__") or entry.endswith((".pyc", ".pyo")):
                    continue
                names.add(stem)
                if stem.startswith("_"):  # a deprecated name: it answers for the name without the underscore
                    names.add(stem[1:])
        return frozenset(names)

    def _unresolved(self) -> dict[str, tuple[tuple[str, Span], ...]]:
        """Each walked file's short action names that nothing provides, by shown path. The module paths
        are listed only when some file names an action ansible-core does not ship (most projects name
        none): a listing is also a dependency a replayed run checks."""
        unknown: dict[str, tuple[tuple[str, Span], ...]] = {}
        for path, kinds in self.reached_as.items():
            summary_ = self.source.summary(path, "playbook" if "playbook" in kinds else "tasks")
            if summary_ is not None and summary_.unknown_actions:
                unknown[self.display(path)] = summary_.unknown_actions
        if not unknown:
            return {}
        library = self.library_modules()
        return {shown: tuple((name, span) for name, span in actions if name not in library)
                for shown, actions in unknown.items()}

    def facts(self) -> dict[str, FileFacts]:
        unresolved = self._unresolved()
        by_file: dict[str, list[Edge]] = {}
        for edge in self.edges.values():
            by_file.setdefault(edge.source, []).append(edge)
        unknown: dict[str, dict[tuple[Span, str], UnknownHandler]] = {}
        duplicates: dict[str, dict[Span, DuplicateHandler]] = {}
        checked: set[str] = set()
        for scope in self.scopes:
            if scope.checked:
                self._scope_facts(scope, unknown, duplicates, checked)
        facts: dict[str, FileFacts] = {}
        shown_reached = [(self.display(path), path not in self.guessed) for path in self.reached_as]
        paths = {shown for shown, _reached in shown_reached} | set(by_file) | set(self._role_arguments)
        reached = {shown for shown, not_guessed in shown_reached if not_guessed}
        plain: dict[tuple[bool, bool], FileFacts] = {}  # the facts of files with no reference nor finding: shared
        for shown in paths:
            edges = by_file.get(shown)
            unknown_here = unknown.get(shown)
            duplicates_here = duplicates.get(shown)
            is_reached = shown in reached
            is_checked = shown in checked
            if edges is None and not unknown_here and not duplicates_here and shown not in self._role_arguments \
                    and not unresolved.get(shown):
                found = plain.get((is_reached, is_checked))
                if found is None:
                    found = plain[is_reached, is_checked] = FileFacts(is_reached, (), (), (), is_checked)
                facts[shown] = found
                continue
            facts[shown] = FileFacts(
                reached=is_reached,
                references=tuple(sorted(edges, key=_edge_order)) if edges else (),
                unknown_handlers=tuple(unknown_here.values()) if unknown_here else (),
                duplicate_handlers=tuple(duplicates_here.values()) if duplicates_here else (),
                notifications_checked=is_checked,
                role_arguments=tuple(self._role_arguments.get(shown, {}).values()),
                unresolved_actions=unresolved.get(shown, ()),
            )
        return facts

    def _scope_facts(self, scope: _Scope, unknown: dict[str, dict[tuple[Span, str], UnknownHandler]],
                     duplicates: dict[str, dict[Span, DuplicateHandler]], checked: set[str]) -> None:
        """A play's findings: its handlers' names in load order (duplicates), the notifications none
        answers. Each segment (a run of handlers and notifications many plays share through roles)
        is worked out once (``_merged``) and counted once per play, however many roles bring it."""
        first: dict[str, tuple[str, Span]] = {}
        names: set[str] = set()
        wildcard = False
        sources: list[str] = []
        parts = [self._merged(segment) for segment in self._segments(scope.chunk)]
        for part in parts:
            for name, path, span, first_path, first_span in part.duplicates:
                duplicates.setdefault(path, {}).setdefault(span, DuplicateHandler(
                    name, span, first_path, first_span, scope.label))
            repeated = [name for name in part.first if name in first]  # in load order: the same output every run
            for name in repeated:
                path, span = part.first[name]
                if (path, span) != first[name]:
                    duplicates.setdefault(path, {}).setdefault(span, DuplicateHandler(
                        name, span, *first[name], scope.label))
            if len(repeated) != len(part.first):
                first.update(part.first if not repeated else
                             {name: where for name, where in part.first.items() if name not in first})
            names |= part.names
            wildcard = wildcard or part.wildcard
            sources.extend(part.unknown)
        if wildcard:
            return
        certainty = (not sources, tuple(dict.fromkeys(sources)))
        for part in parts:
            checked |= part.notified
            if part.by_name:
                self._unknown_names(part.by_name, names, scope.label, certainty, unknown)

    def _segments(self, chunk: _Chunk) -> tuple[_Segment, ...]:
        """The segments of a chunk and of the chunks in it, in order, each once (worked out once)."""
        done = self._chunk_segments.get(id(chunk))
        if done is not None and done[0] is chunk:
            return done[1]
        found: dict[int, _Segment] = {}
        for item in chunk.items:
            if isinstance(item, _Segment):
                found.setdefault(id(item), item)
            else:
                for segment in self._segments(item):
                    found.setdefault(id(segment), segment)
        segments = tuple(found.values())
        self._chunk_segments[id(chunk)] = (chunk, segments)
        return segments

    def _merged(self, segment: _Segment) -> _Merged:
        """What a segment adds to a scope, paths as shown (worked out once)."""
        done = self._merged_items.get(id(segment))
        if done is not None and done[0] is segment:
            return done[1]
        merged = _Merged()
        first = segment.first()
        merged.first = {name: (self.display(path), span) for name, (path, span) in first.items()}
        merged.duplicates = [(name, self.display(path), span, self.display(first_path), first_span)
                             for name, path, span, first_path, first_span in segment.duplicates]
        merged.names = frozenset(segment.names)
        merged.wildcard = segment.wildcard
        merged.unknown = tuple(segment.unknown)
        merged.by_name = {name: [(self.display(path), notify.span) for path, notify in sites]
                          for name, sites in segment.by_name.items()}
        merged.notified = frozenset(self.display(path) for path, _notify in segment.notifies)
        self._merged_items[id(segment)] = (segment, merged)
        return merged

    def _unknown_names(self, by_name: dict[str, list[tuple[str, Span]]], names: set[str], label: str,
                       certainty: tuple[bool, tuple[str, ...]],
                       unknown: dict[str, dict[tuple[Span, str], UnknownHandler]]) -> None:
        certain, shown_sources = certainty
        for name, sent in by_name.items():  # in notification order, not a set's: the same output every run
            if name in names:
                continue
            for path, span in sent:
                found_here = unknown.setdefault(path, {})
                known = found_here.get((span, name))
                if known is None:
                    found_here[span, name] = UnknownHandler(name, span, (label,), certain, shown_sources)
                elif label not in known.plays:
                    found_here[span, name] = UnknownHandler(
                        name, span, (*known.plays, label), known.certain or certain, known.sources or shown_sources)


class _Merged:
    """A segment's handler names (first of each, duplicates within it), notifications by name and
    unknown sources, paths as shown."""

    __slots__ = ("first", "duplicates", "names", "wildcard", "unknown", "by_name", "notified")

    def __init__(self) -> None:
        self.first: dict[str, tuple[str, Span]] = {}
        self.duplicates: list[tuple[str, str, Span, str, Span]] = []
        self.names: frozenset[str] = frozenset()
        self.wildcard = False
        self.unknown: tuple[str, ...] = ()
        self.by_name: dict[str, list[tuple[str, Span]]] = {}
        self.notified: frozenset[str] = frozenset()


class _Under:
    """``with walker._under(node)``: tree nodes added inside hang under ``node``."""

    def __init__(self, walker: Walker, node: TreeNode | None) -> None:
        self.walker = walker
        self.node = node
        self.saved: TreeNode | None = None

    def __enter__(self) -> None:
        self.saved = self.walker._tree
        if self.node is not None:
            self.walker._tree = self.node

    def __exit__(self, *_: object) -> None:
        self.walker._tree = self.saved


class _Nothing:
    """``with walker._under(None)``: no tree being built (every walk but shep graph's)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *_: object) -> None:
        return None


_NOTHING = _Nothing()


_CONTEXT_FIELDS = {name: index for index, name in enumerate(_Context._fields)}


def _edge_order(edge: Edge) -> tuple[Span, str, str]:
    return edge.span, edge.kind, edge.target


def _replace(context: _Context, **changes: Any) -> _Context:
    """``context._replace(**changes)`` without its checks (a context is made per reference walked)."""
    values = list(context)
    for name, value in changes.items():
        values[_CONTEXT_FIELDS[name]] = value
    return tuple.__new__(_Context, values)


# How many enclosing includes a context keeps. ansible-core looks further up only for a file the
# nearest ones do not have; keeping them all would make every chain of role includes a context of
# its own (thousands in a large collection of roles).
_MAX_PARENTS = 3


def _parents(nearest: str, outer: tuple[str, ...]) -> tuple[str, ...]:
    return (nearest, *outer[:_MAX_PARENTS - 1])


def _text(target: object) -> str:
    """A reference's target as shown: a name, ``a | b`` for alternatives, what was written otherwise."""
    if isinstance(target, str):
        return target
    if isinstance(target, tuple):
        return " | ".join(map(_text, target))
    return target.text if isinstance(target, Invalid) else repr(target)


def _play_label(play: PlaySummary) -> str:
    name = f" {play.name!r}" if isinstance(play.name, str) else ""
    return f"line {play.span.line}{name}"


def collection_roots(context: _Context) -> tuple[str, ...]:
    """Where collections are found: ``collections/`` beside the playbook, the configured paths, and
    the ``ansible_collections`` directory the playbook or role is in (a collection's own checkout,
    taken as installed)."""
    roots = [join(context.where.basedir, "collections"), *context.settings.collections_paths]
    for path in (context.where.basedir, context.role.path if context.role else ""):
        collection = collection_of(path)
        if collection is not None:
            roots.append(collection[0])
    return tuple(dict.fromkeys(roots))


def collection_of(path: str) -> tuple[str, str] | None:
    """The ``ansible_collections`` directory and the ``namespace.collection`` a path is in, if any."""
    marker = "/ansible_collections/"
    index = path.rfind(marker)
    if index < 0:
        return None
    parts = path[index + len(marker):].split("/")
    if len(parts) < 2 or not parts[0] or not parts[1]:
        return None
    return path[:index + len(marker) - 1], f"{parts[0]}.{parts[1]}"


def _not_found(target: str, path: str, disk: Disk) -> str:
    if path and disk.exists(path):
        return f"'{target}' is not a file"
    return f"Could not find or access '{target}' on the Ansible Controller."


def role_of(path: str, disk: Disk) -> str:
    """The role a file belongs to by its place, or "": the directory above its nearest ``tasks/`` or
    ``handlers/``, when that directory is in a ``roles/`` directory or has a role's main file (a
    playbook's directory may have a ``tasks/`` too)."""
    parts = path.split("/")
    for index in range(len(parts) - 2, 0, -1):
        if parts[index] in ("tasks", "handlers"):
            role = "/".join(parts[:index])
            if parts[index - 1:index] and index >= 2 and parts[index - 2] == "roles":
                return role
            if any(disk.is_file(f"{role}/{sub}/main.{ext}") for sub in ("tasks", "meta", "handlers")
                   for ext in ("yml", "yaml")):
                return role
            return ""
    return ""
