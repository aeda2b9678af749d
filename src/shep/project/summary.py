"""What one file contributes to the project graph, read from its model once: the references it
makes (with where they are written), the handlers it defines and the notifications it sends.

A summary is context-free: where a reference leads depends on how the file is reached (a role,
the enclosing includes, the playbook's directory), which is the graph's business
(``shep.project.graph``). Summaries are small records, cheap to send back from a worker process.
"""

from __future__ import annotations

from shep._records import record
from shep.diagnostics import Span
from shep.keywords import (
    ANSIBLE_FALSE_WORDS,
    ANSIBLE_TRUE_WORDS,
    IMPORT_ROLE_ACTIONS,
    IMPORT_TASKS_ACTIONS,
    INCLUDE_ROLE_ACTIONS,
    ROLE_ENTRY_KEYWORDS,
    ROLE_INCLUDE_ACTIONS,
    TASK_INCLUDE_ACTIONS,
)
from shep.loader import MapNode, Node, ScalarNode, SeqNode
from shep.model import Play, Playbook, Task
from shep.resolve import UNKNOWN

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, NamedTuple

    from shep.model import Model
else:
    from shep._records import NamedTuple

# Reference kinds (Ref.kind and the graph's edges).
IMPORT_PLAYBOOK = "import_playbook"
IMPORT_TASKS = "import_tasks"
INCLUDE_TASKS = "include_tasks"
IMPORT_ROLE = "import_role"
INCLUDE_ROLE = "include_role"
ROLE = "role"  # an entry of a play's roles:
DEPENDENCY = "dependency"  # an entry of a role's meta/main.yml dependencies
VARS_FILES = "vars_files"
# The role options naming a file of the role, and the directory each names it in.
FROM_OPTIONS = {"tasks_from": "tasks", "handlers_from": "handlers", "vars_from": "vars", "defaults_from": "defaults"}
STATIC_KINDS = frozenset({IMPORT_PLAYBOOK, IMPORT_TASKS, IMPORT_ROLE, ROLE, DEPENDENCY})


@record
class Invalid:
    """A reference's target that is not a string (ansible-core rejects it): how it was written."""

    text: str


@record
class Argument:
    """A value a role reference gives one of the role's variables: a role parameter (a key of a
    ``roles:`` entry or a dependency that is no keyword: always passed to the role's argument
    validation, where it wins over every variable), or an entry of its ``vars:`` (a variable, which
    variables of higher precedence may override)."""

    name: str
    value: Any  # as loaded
    span: Span
    param: bool


# Ref.validate: whether ansible-core validates the role's arguments (rolespec_validate).
VALIDATE, NO_VALIDATE, MAY_VALIDATE = "yes", "no", "maybe"


@record
class Ref:
    """One reference as written: its kind, its target (a string, an Invalid, or for ``vars_files``
    alternatives a tuple of them), where it is."""

    kind: str
    target: str | Invalid | tuple[str | Invalid, ...]
    span: Span
    # Whether the referencing task may not run: a condition, a loop that may be empty, errors
    # ignored, ``tags: never``, a rescue section (on it or on an enclosing block).
    conditional: bool = False
    # For roles: the *_from options given, as (directory, value, span of the option).
    options: tuple[tuple[str, str | Invalid, Span], ...] = ()
    # The collections search list in force (unqualified role names are looked up there first).
    collections: tuple[str, ...] = ()
    # For roles: the values given to the role's variables (its argument specs judge them), and whether
    # ansible-core validates them (an include_role/import_role's ``rolespec_validate``).
    arguments: tuple[Argument, ...] = ()
    validate: str = VALIDATE


class Handler(NamedTuple):
    """A task that is a handler when its list is loaded as handlers: its name and listen topics.

    A named tuple, not a record: every named task of a task file is one (any task file may be
    loaded as handlers), and tuples are made twice as fast."""

    name: str | None  # None when absent or not a string (it then matches nothing)
    listen: tuple[str, ...]
    span: Span


_new_tuple = tuple.__new__  # Handler((...)) without the Python frame of the keyword-aware __new__


@record
class Notify:
    """A ``notify`` and the names it sends (strings only: others are not names)."""

    names: tuple[str, ...]
    span: Span


@record
class TaskList:
    """A list of tasks (a task file, a play section): its references and handlers in file order."""

    items: tuple[Ref | Handler, ...] = ()
    notifies: tuple[Notify, ...] = ()


@record
class PlaySummary:
    span: Span
    name: str | None = None
    import_ref: Ref | None = None  # an import_playbook entry
    roles: tuple[Ref, ...] = ()
    vars_files: tuple[Ref, ...] = ()
    tasks: TaskList = TaskList()  # pre_tasks, tasks and post_tasks
    handlers: TaskList = TaskList()
    collections: tuple[str, ...] = ()


@record
class FileSummary:
    kind: str
    plays: tuple[PlaySummary, ...] = ()
    tasks: TaskList = TaskList()
    # The short action names ansible-core does not ship (resolution "unknown"), where each is written:
    # a module of a library path may provide them (the graph lists those paths).
    unknown_actions: tuple[tuple[str, Span], ...] = ()


@record
class RoleMeta:
    """A role's meta/main.yml: its dependencies, its collections and its ``argument_specs`` (as
    loaded; ansible-core reads them when the role has no meta/argument_specs.yml)."""

    path: str = ""
    dependencies: tuple[Ref, ...] = ()
    collections: tuple[str, ...] = ()
    argument_specs: Any = None


def summarize(model: Model, root: Node | None) -> FileSummary:
    """The references, handlers and notifications of a model (``root``: its document's root node,
    for the positions of ``roles:`` and ``vars_files`` entries)."""
    if isinstance(model, Playbook):
        items = root.items if isinstance(root, SeqNode) else []
        plays = []
        for play in model.plays:
            index = int(play.doc_path[len("plays["):-1])
            node = items[index] if index < len(items) else None
            plays.append(_play(play, node if isinstance(node, MapNode) else None))
        return FileSummary(kind="playbook", plays=tuple(plays), unknown_actions=_unknown_actions(model.tasks()))
    return FileSummary(kind=model.kind, tasks=_task_list(model.tasks, ()),
                       unknown_actions=_unknown_actions(model.all_tasks()))


def _unknown_actions(tasks: Iterable[Task]) -> tuple[tuple[str, Span], ...]:
    return tuple((task.action, (task.key_span(task.action_key) if task.action_key else None) or task.span)
                 for task in tasks if task.resolution == UNKNOWN and task.action is not None)


def _strings(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(str(item) for item in items if isinstance(item, str))


def target(value: Any) -> str | Invalid:
    """A name as the walk takes it: a plain string, or what else was written."""
    return str(value) if isinstance(value, str) else Invalid(repr(value))


def _name(value: Any) -> str | None:
    return str(value) if isinstance(value, str) else None


def _search_list(value: Any) -> tuple[str, ...]:
    return _strings(value) if isinstance(value, list) else ()


def _play(play: Play, node: MapNode | None) -> PlaySummary:
    if play.is_import:
        span = play.key_span(play.import_action or "import_playbook") or play.span
        conditional = play.when is not None
        return PlaySummary(span=play.span, import_ref=Ref(IMPORT_PLAYBOOK, target(play.import_playbook), span,
                                                          conditional))
    collections = _search_list(play.collections)
    tasks = _task_list((*play.pre_tasks, *play.tasks, *play.post_tasks), collections, handlers=False)
    return PlaySummary(span=play.span, name=_name(play.name), roles=_roles(node, collections),
                       vars_files=_vars_files(node), tasks=tasks, handlers=_task_list(play.handlers, collections),
                       collections=collections)


def _roles(node: MapNode | None, collections: tuple[str, ...]) -> tuple[Ref, ...]:
    value = node.value_node("roles") if node is not None else None
    if not isinstance(value, SeqNode):
        return ()
    return tuple(ref for item in value.items if (ref := role_ref(item, ROLE, collections)) is not None)


def role_ref(item: Node, kind: str, collections: tuple[str, ...]) -> Ref | None:
    """A ``roles:`` or ``dependencies:`` entry: a name, or a mapping with ``role`` (or ``name``, or a
    requirement's ``src``); None for an entry that names nothing (ansible-core rejects it)."""
    if isinstance(item, ScalarNode):
        if isinstance(item.value, (str, int)) and not isinstance(item.value, bool):
            return Ref(kind, str(item.value), item.span, collections=collections)
        return None
    if not isinstance(item, MapNode):
        return None
    conditional = "when" in item.entries
    for key in ("role", "name"):
        pair = item.entries.get(key)
        if pair is not None:
            return Ref(kind, target(pair[1].value), pair[0].span, conditional, collections=collections,
                       arguments=_entry_arguments(item))
    src = item.entries.get("src")
    if src is not None and isinstance(src[1].value, str) and kind == DEPENDENCY:
        return Ref(kind, _requirement_name(src[1].value), src[0].span, conditional, collections=collections)
    return None


def _entry_arguments(item: MapNode) -> tuple[Argument, ...]:
    """What a ``roles:`` entry or a dependency gives the role's variables: its keys that are no
    keyword (RoleDefinition._split_role_params: role parameters) and its ``vars``."""
    found: list[Argument] = []
    for key, (key_node, value_node) in item.entries.items():
        if not isinstance(key, str):
            continue
        if key == "vars":
            found.extend(_vars_arguments(value_node))
        elif key not in ROLE_ENTRY_KEYWORDS:
            found.append(Argument(key, value_node.value, key_node.span, True))
    return tuple(found)


def _vars_arguments(node: Node) -> list[Argument]:
    if not isinstance(node, MapNode):
        return []
    return [Argument(key, value_node.value, key_node.span, False)
            for key, (key_node, value_node) in node.entries.items() if isinstance(key, str)]


def _requirement_name(src: str) -> str:
    """RoleRequirement.role_yaml_parse's name for a ``src`` (``repo_url_to_role_name``)."""
    if "," in src:
        parts = src.split(",")
        if len(parts) > 2 and parts[2].strip():
            return parts[2].strip()
        src = parts[0]
    if "://" not in src and "@" not in src:
        return src
    name = src.rstrip("/").split("/")[-1]
    for suffix in (".tar.gz", ".git"):
        name = name.removesuffix(suffix)
    return name.split(",")[0]


def _vars_files(node: MapNode | None) -> tuple[Ref, ...]:
    value = node.value_node("vars_files") if node is not None else None
    if value is None or value.value is None:
        return ()
    items = value.items if isinstance(value, SeqNode) else [value]
    refs = []
    for item in items:
        if isinstance(item, SeqNode):  # the first of these that exists
            refs.append(Ref(VARS_FILES, tuple(target(inner.value) for inner in item.items), item.span))
        else:
            refs.append(Ref(VARS_FILES, target(item.value), item.span))
    return tuple(refs)


# -- task lists ---------------------------------------------------------------------------------


def _is_false(value: Any) -> bool:
    return value is None or value is False or (isinstance(value, str) and value.lower() in ("no", "false", "off", "0",
                                                                                            "n", "f"))


def _loop_may_be_empty(task: Task) -> bool:
    if task.loop is not None:
        return not (isinstance(task.loop, list) and task.loop)
    if task.loop_with is not None:
        return not (task.loop_with in ("items", "list") and isinstance(task.loop_with_value, list)
                    and task.loop_with_value)
    return False


def may_not_run(task: Task) -> bool:
    """Whether the task (or block) may be skipped or its failure ignored, whatever the files hold."""
    if task.when is not None and task.when is not True and task.when != []:
        return True
    if not task.is_block and (task.loop is not None or task.loop_with is not None) and _loop_may_be_empty(task):
        return True
    if task.ignore_errors is not None and not _is_false(task.ignore_errors):
        return True
    tags = task.tags  # most tasks have none
    return tags is not None and "never" in _strings(tags)


class _Collected:
    """What a task list holds so far (a plain class: a record's __init__ is compiled at import)."""

    __slots__ = ("items", "notifies", "handlers")

    def __init__(self, items: list[Ref | Handler], notifies: list[Notify], handlers: bool) -> None:
        self.items = items
        self.notifies = notifies
        self.handlers = handlers  # whether the list may be loaded as handlers (play task sections never are)


def _task_list(tasks: tuple[Task, ...], collections: tuple[str, ...], *, handlers: bool = True) -> TaskList:
    found = _Collected([], [], handlers)
    for task in tasks:
        _add(task, False, collections, found)
    return TaskList(tuple(found.items), tuple(found.notifies))


def _add(task: Task, conditional: bool, collections: tuple[str, ...], found: _Collected) -> None:
    conditional = conditional or may_not_run(task)
    if task.is_block:
        own = task.collections
        scope = collections if own is None else _search_list(own)
        for child in (*task.block_tasks, *task.always_tasks):
            _add(child, conditional, scope, found)
        for child in task.rescue_tasks:
            _add(child, True, scope, found)
        return
    if task.malformed:
        return
    if task.notify is not None and "notify" in task.keys:
        found.notifies.append(Notify(_strings(task.notify), task.key_span("notify") or task.span))
    action = task.action
    name = task.name
    if found.handlers and action not in ROLE_INCLUDE_ACTIONS and (name is not None or task.listen is not None):
        found.items.append(_new_tuple(Handler, (str(name) if isinstance(name, str) else None,
                                                _strings(task.listen) if task.listen is not None else (),
                                                task.key_span("name") or task.span)))
    if action in TASK_INCLUDE_ACTIONS:
        found.items.append(_task_file_ref(task, conditional))
    elif action in ROLE_INCLUDE_ACTIONS:
        own = task.collections
        ref = _role_include_ref(task, conditional, collections if own is None else _search_list(own))
        if ref is not None:
            found.items.append(ref)


def _task_file_ref(task: Task, conditional: bool) -> Ref:
    kind = IMPORT_TASKS if task.action in IMPORT_TASKS_ACTIONS else INCLUDE_TASKS
    args = task.ansible_args
    name = args.get("_raw_params")
    span = task.key_span(task.action_key or "") or task.span
    if not name and "file" in args:  # TaskInclude.check_options
        name = args["file"]
        span = dict(task.arg_spans).get("file", span)
    return Ref(kind, target(name), span, conditional)


def _role_include_ref(task: Task, conditional: bool, collections: tuple[str, ...]) -> Ref | None:
    kind = IMPORT_ROLE if task.action in IMPORT_ROLE_ACTIONS else INCLUDE_ROLE
    assert kind == IMPORT_ROLE or task.action in INCLUDE_ROLE_ACTIONS
    args = task.ansible_args
    spans = dict(task.arg_spans)
    key = "name" if "name" in args else "role" if "role" in args else None
    if key is None:
        return None  # V013: ansible-core rejects it
    options = tuple((directory, target(args[option]), spans.get(option, task.span))
                    for option, directory in FROM_OPTIONS.items() if option in args)
    variables = task.vars if isinstance(task.vars, dict) else {}
    where = task.key_span("vars") or task.span  # the model keeps no position for each variable
    arguments = tuple(Argument(name, value, where, False) for name, value in variables.items() if isinstance(name, str))
    return Ref(kind, target(args[key]), spans.get(key, task.span), conditional, options, collections, arguments,
               _validates(args.get("rolespec_validate", True)))


def _validates(value: Any) -> str:
    """Whether ansible-core validates the role's arguments, by the ``rolespec_validate`` given (a
    bool as its ``boolean()`` reads one; anything else, a template, is known only when it runs)."""
    word = value.lower() if isinstance(value, str) else value
    if word is True or word in ANSIBLE_TRUE_WORDS or (type(word) in (int, float) and word == 1):
        return VALIDATE
    if word is False or word in ANSIBLE_FALSE_WORDS or (type(word) in (int, float) and word == 0):
        return NO_VALIDATE
    return MAY_VALIDATE


def role_meta(path: str, root: Node | None) -> RoleMeta:
    """The dependencies and collections of a role's meta/main.yml (its loaded root node)."""
    if not isinstance(root, MapNode):
        return RoleMeta(path)
    collections_node = root.value_node("collections")
    collections = _search_list(collections_node.value) if collections_node is not None else ()
    specs_node = root.value_node("argument_specs")
    specs = specs_node.value if specs_node is not None else None
    deps_node = root.value_node("dependencies")
    deps: list[Ref] = []
    if isinstance(deps_node, SeqNode):
        for item in deps_node.items:
            ref = role_ref(item, DEPENDENCY, collections)
            if ref is not None:
                deps.append(ref)
    return RoleMeta(path, tuple(deps), collections, specs)


def is_role_meta(path: str) -> bool:
    """A role's metadata file by its place: ``meta/main.yml`` (or .yaml, .json, no extension)."""
    head, name = path.rsplit("/", 1) if "/" in path else ("", path)
    return head.endswith("meta") and (head == "meta" or head.endswith("/meta")) and \
        name in ("main.yml", "main.yaml", "main.json", "main")


# -- JSON: summaries are cached with a file's result (shep.batch) ---------------------------------


def _span_data(span: Span) -> list[int]:
    return [span.line, span.col, span.end_line, span.end_col]


def _span(data: Any) -> Span:
    line, col, end_line, end_col = data
    return Span(int(line), int(col), int(end_line), int(end_col))


def _value_data(value: Any) -> Any:
    if isinstance(value, Invalid):
        return {"invalid": value.text}
    if isinstance(value, tuple):
        return [_value_data(item) for item in value]
    return value


def _value(data: Any) -> Any:
    if isinstance(data, dict):
        return Invalid(str(data["invalid"]))
    if isinstance(data, list):
        return tuple(_value(item) for item in data)
    if not isinstance(data, str):
        raise ValueError("not a reference's name")
    return data


class _Unreadable:
    """A value that JSON cannot keep (a date, bytes, a vaulted string…), as a cached summary gives it
    back: the checks take it for a value known only when the task runs."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNREADABLE"


UNREADABLE: Any = _Unreadable()


def json_safe(value: Any) -> bool:
    """Whether JSON keeps ``value`` as it is (a string of any str class is kept as its text)."""
    if value is None or isinstance(value, (str, bool, int)):
        return True
    if isinstance(value, float):
        return value == value and value not in (float("inf"), float("-inf"))
    if isinstance(value, list):
        return all(json_safe(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and json_safe(item) for key, item in value.items())
    return False


def _argument_data(argument: Argument) -> list[Any]:
    head = [argument.name, _span_data(argument.span), int(argument.param)]
    return [*head, argument.value] if json_safe(argument.value) else head


def _argument(data: list[Any]) -> Argument:
    return Argument(str(data[0]), data[3] if len(data) > 3 else UNREADABLE, _span(data[1]), bool(data[2]))


def _ref_data(ref: Ref) -> list[Any]:
    data = [ref.kind, _value_data(ref.target), _span_data(ref.span), int(ref.conditional),
            [[directory, _value_data(value), _span_data(span)] for directory, value, span in ref.options],
            list(ref.collections)]
    if ref.arguments or ref.validate != VALIDATE:
        data += [[_argument_data(argument) for argument in ref.arguments], ref.validate]
    return data


def _ref(data: list[Any]) -> Ref:
    kind, name, span, conditional, options, collections = data[:6]
    arguments, validate = data[6:] if len(data) > 6 else ([], VALIDATE)
    return Ref(str(kind), _value(name), _span(span), bool(conditional),
               tuple((str(d), _value(v), _span(s)) for d, v, s in options), tuple(map(str, collections)),
               tuple(map(_argument, arguments)), str(validate))


def _list_data(tasks: TaskList) -> list[Any]:
    items = [["h", item.name, list(item.listen), _span_data(item.span)] if isinstance(item, Handler)
             else _ref_data(item) for item in tasks.items]
    return [items, [[list(notify.names), _span_data(notify.span)] for notify in tasks.notifies]]


def _list(data: list[Any]) -> TaskList:
    items, notifies = data
    found: list[Ref | Handler] = []
    for item in items:
        if item[0] == "h":
            found.append(Handler(None if item[1] is None else str(item[1]), tuple(map(str, item[2])), _span(item[3])))
        else:
            found.append(_ref(item))
    return TaskList(tuple(found), tuple(Notify(tuple(map(str, names)), _span(span)) for names, span in notifies))


def to_data(found: FileSummary | RoleMeta) -> dict[str, Any]:
    """A summary (or a role's metadata) as JSON-able data."""
    if isinstance(found, RoleMeta):
        specs = found.argument_specs if json_safe(found.argument_specs) else None  # else not judged
        return {"meta": [found.path, [_ref_data(ref) for ref in found.dependencies], list(found.collections), specs]}
    plays = [[_span_data(play.span), play.name, _ref_data(play.import_ref) if play.import_ref else None,
              [_ref_data(ref) for ref in play.roles], [_ref_data(ref) for ref in play.vars_files],
              _list_data(play.tasks), _list_data(play.handlers), list(play.collections)] for play in found.plays]
    return {"kind": found.kind, "plays": plays, "tasks": _list_data(found.tasks),
            "unknown": [[name, _span_data(span)] for name, span in found.unknown_actions]}


def from_data(data: Any) -> FileSummary | RoleMeta:
    """The summary ``to_data`` made; ValueError (or KeyError, TypeError) when it is not one."""
    if "meta" in data:
        path, deps, collections, specs = data["meta"]
        return RoleMeta(str(path), tuple(_ref(ref) for ref in deps), tuple(map(str, collections)), specs)
    plays = []
    for span, name, import_ref, roles, vars_files, tasks, handlers, collections in data["plays"]:
        plays.append(PlaySummary(_span(span), None if name is None else str(name),
                                 _ref(import_ref) if import_ref is not None else None,
                                 tuple(map(_ref, roles)), tuple(map(_ref, vars_files)), _list(tasks), _list(handlers),
                                 tuple(map(str, collections))))
    unknown = tuple((str(name), _span(span)) for name, span in data.get("unknown", ()))
    return FileSummary(str(data["kind"]), tuple(plays), _list(data["tasks"]), unknown)
