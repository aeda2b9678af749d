"""Positioned YAML nodes → the domain model, collecting every problem on the way.

Block vs task follows ansible-core: at the top of a section (a task file, a play's tasks…) an
item with any of block/rescue/always is a block; inside block/rescue/always only an item with
``block`` is. A null item at the top of a section is dropped, as ansible-core drops it.
"""

from __future__ import annotations

from shep.detect import UNSET, Detection, detect
from shep.diagnostics import START_OF_FILE, Diagnostic, Severity, Span, make
from shep.keywords import (
    BLOCK_KEYWORDS,
    BLOCK_SECTIONS,
    HANDLER_KEYWORDS,
    IMPORT_PLAYBOOK_ACTIONS,
    IMPORT_PLAYBOOK_KEYWORDS,
    LOOP_PREFIX,
    NOT_MODULE_KEYS,
    PLAY_KEYWORDS,
    PLAY_TASK_SECTIONS,
    TASK_KEYWORDS,
)
from shep.loader import Document, MapNode, Node, SeqNode
from shep.model import Play, Playbook, Task, TaskFile, field_name
from shep.resolve import resolve, search_list

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from shep.model import Kind

_TASK_FIELDS = (TASK_KEYWORDS | HANDLER_KEYWORDS | {"local_action", "static"}) - {"action", "args"}
_TASK_KEYWORD_NAMES = NOT_MODULE_KEYS | {"action", "args", "local_action"}
_BLOCK_FIELDS = BLOCK_KEYWORDS - set(BLOCK_SECTIONS)
_PLAY_FIELDS = PLAY_KEYWORDS - set(PLAY_TASK_SECTIONS)
_BLOCK_SECTION_SET = frozenset(BLOCK_SECTIONS)
# The model field of each task keyword, looked up once per key instead of through field_name().
_TASK_FIELD_OF_KEY = {key: field_name(key) for key in _TASK_FIELDS}


def _type_label(value: Any) -> str:
    if value is None:
        return "NoneType"
    return type(value).__name__


class Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []

    def report(self, code: str, message: str, span: Span, severity: Severity | None = None) -> None:
        self.diagnostics.append(make(code, message, self.path, span, severity=severity))

    # -- files ---------------------------------------------------------------------------

    def playbook(self, root: Node | None) -> tuple[Play, ...]:
        if root is None or root.value is None:
            self.report("M007", "Empty playbook, nothing to do", START_OF_FILE)
            return ()
        if not isinstance(root, SeqNode):
            self.report("M005", f"A playbook must be a list of plays, got a {_type_label(root.value)} instead",
                        root.span)
            return ()
        plays = []
        for index, item in enumerate(root.items):
            doc_path = f"plays[{index}]"
            if not isinstance(item, MapNode):
                self.report("M005", "playbook entries must be either valid plays or 'import_playbook' statements",
                            item.span)
                continue
            plays.append(self.play(item, doc_path))
        return tuple(plays)

    def task_file(self, root: Node | None, kind: Kind) -> tuple[Task, ...]:
        if root is None or root.value is None:
            return ()
        if not isinstance(root, SeqNode):
            self.report("M006", f"A {'handler' if kind == 'handlers' else 'task'} file must contain a list of "
                        f"tasks, got a {_type_label(root.value)} instead", root.span)
            return ()
        return self.section(root, kind, kind == "handlers", ())

    # -- plays ---------------------------------------------------------------------------

    def play(self, node: MapNode, doc_path: str) -> Play:
        import_key = next((k for k in node.entries if k in IMPORT_PLAYBOOK_ACTIONS), None)
        fields: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        allowed = IMPORT_PLAYBOOK_KEYWORDS if import_key else _PLAY_FIELDS
        scope = _own_search_list(node, ())
        for key, (_key_node, value_node) in node.entries.items():
            if key == import_key:
                fields["import_playbook"] = value_node.value
            elif key in IMPORT_PLAYBOOK_ACTIONS:  # a second spelling, whichever comes first: a conflict
                extra[key] = value_node.value
            elif key in PLAY_TASK_SECTIONS and not import_key:
                fields[key] = self.section(value_node, f"{doc_path}.{key}", key == "handlers", scope)
            elif isinstance(key, str) and key in allowed:
                fields[field_name(key)] = value_node.value
            else:
                extra[str(key)] = value_node.value
        if "user" in node.entries and "remote_user" in node.entries:
            self.report("M008", "both 'user' and 'remote_user' are set for this play. "
                        "The use of 'user' is deprecated, and should be removed", node.entries["user"][0].span)
        return Play(path=self.path, span=node.span, doc_path=doc_path, key_spans=_key_spans(node),
                    import_action=_plain_str(import_key), extra=extra, **fields)

    # -- task lists ----------------------------------------------------------------------

    def section(self, node: Node | None, doc_path: str, handlers: bool, scope: tuple[str, ...]) -> tuple[Task, ...]:
        """The top of a section: null items dropped, any block keyword makes a block. ``scope``: the
        ``collections`` search list in force (shep.resolve.search_list)."""
        if node is None or node.value is None:
            return ()
        if not isinstance(node, SeqNode):
            self.report("M002", f"A section of tasks must be a list, got a {_type_label(node.value)} instead",
                        node.span)
            return ()
        tasks = []
        for index, item in enumerate(node.items):
            if item.value is None:
                continue
            item_path = f"{doc_path}[{index}]"
            if isinstance(item, MapNode) and not _BLOCK_SECTION_SET.isdisjoint(item.entries):
                tasks.append(self.block(item, item_path, handlers, scope))
            else:
                tasks.append(self.task(item, item_path, handlers, scope))
        return tuple(tasks)

    def nested(self, node: Node, doc_path: str, handlers: bool, key_span: Span,
               scope: tuple[str, ...]) -> tuple[Task, ...]:
        """A block/rescue/always list: only ``block`` makes a block, a null item is an error."""
        if not isinstance(node, SeqNode):  # null too: ansible-core loads the section as a task list
            self.report("M002", f"{_malformed_item_error(doc_path)} (a block section must be a list, "
                                f"got a {_type_label(node.value)} instead)",
                        key_span if node.value is None else node.span)  # a null has no text of its own
            return ()
        tasks = []
        for index, item in enumerate(node.items):
            item_path = f"{doc_path}[{index}]"
            if isinstance(item, MapNode) and "block" in item.entries:
                if handlers:
                    self.report("M004", "Using a block as a handler is not supported.", item.span)
                tasks.append(self.block(item, item_path, handlers, scope))
            else:
                tasks.append(self.task(item, item_path, handlers, scope))
        return tuple(tasks)

    def block(self, node: MapNode, doc_path: str, handlers: bool, scope: tuple[str, ...]) -> Task:
        fields: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        scope = _own_search_list(node, scope)
        for key, (key_node, value_node) in node.entries.items():
            if key in BLOCK_SECTIONS:
                fields[f"{key}_tasks"] = self.nested(value_node, f"{doc_path}.{key}", handlers, key_node.span, scope)
            elif isinstance(key, str) and key in _BLOCK_FIELDS:
                fields[field_name(key)] = value_node.value
            else:
                extra[str(key)] = value_node.value
        if "block" not in node.entries:
            first = next(k for k in BLOCK_SECTIONS if k in node.entries)
            self.report("M003", f"'{first}' keyword cannot be used without 'block'", node.entries[first][0].span)
        return Task(path=self.path, span=node.span, doc_path=doc_path, key_spans=_key_spans(node),
                    is_block=True, is_handler=handlers, extra=extra, **fields)

    def task(self, node: Node, doc_path: str, handlers: bool, scope: tuple[str, ...]) -> Task:
        if not isinstance(node, MapNode):
            error = _malformed_item_error(doc_path)
            self.report("M001", f"{error} (a task must be a mapping, got a {_type_label(node.value)}: "
                                f"{node.value!r})", node.span)
            return Task(path=self.path, span=node.span, doc_path=doc_path, is_handler=handlers, error=error,
                        malformed=True, value=node.value)
        detection = detect(node.value)
        self._report_detection(node, detection)
        fields, extra = _task_fields(node, detection.action_key)
        action, action_key = _plain_str(detection.action), _plain_str(detection.action_key)
        if action is not None:
            own = fields.get("collections")  # a null is no list of the task's own: its parent's holds
            resolution = resolve(action, action_key, scope if own is None else search_list(own))
            fields["resolved_action"], fields["resolution"] = resolution.name, resolution.kind
        args = detection.args
        return Task(
            path=self.path, span=node.span, doc_path=doc_path, key_spans=_key_spans(node), is_handler=handlers,
            action=action, action_key=action_key, args=args,
            arg_spans=_arg_spans(node, detection.action_key, args) if args else (),
            free_form_args=detection.free_form, variable_args=detection.variable_args,
            error=detection.error.message if detection.error else None, extra=extra, **fields,
        )

    def _report_detection(self, node: MapNode, detection: Detection) -> None:
        if detection.error is None and not detection.warnings:  # most tasks
            return
        for problem in (*detection.warnings, *((detection.error,) if detection.error else ())):
            key_node = node.key_node(problem.key) if problem.key else None
            hint = None
            if problem.code == "D002" and set(node.entries) <= {"name"}:
                hint = "an empty task: add a module or remove it"
            elif problem.code == "D001":
                hint = _misspelt_keyword_hint(node)
            self.diagnostics.append(make(problem.code, problem.message, self.path,
                                         key_node.span if key_node else node.span, hint=hint))


def _one_edit_apart(a: str, b: str) -> bool:
    """One insertion, deletion, substitution or swap of neighbours turns ``a`` into ``b``."""
    if len(a) > len(b):
        a, b = b, a
    if a == b or len(b) - len(a) > 1:
        return False
    i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), len(a))
    if len(a) < len(b):
        return a[i:] == b[i + 1:]  # an insertion
    swapped = i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]
    return swapped or a[i + 1:] == b[i + 1:]  # a swap or a substitution


def _misspelt_keyword_hint(node: MapNode) -> str | None:
    """For two 'modules' in one task: the one that is a task keyword one edit off (``whn`` for ``when``)."""
    for key in node.entries:
        if not isinstance(key, str) or key in _TASK_KEYWORD_NAMES:
            continue
        close = sorted(k for k in _TASK_KEYWORD_NAMES if _one_edit_apart(key, k))
        if close:
            return f"'{key}' is not a module but a misspelt keyword: did you mean '{close[0]}'?"
    return None


# ansible-core's words for a list item that is not a mapping, by the list it is in (wording and
# final stops as ansible-core 2.19 has them); a top-level item is loaded as an implicit block.
_MALFORMED_IN_SECTION = {
    "rescue": "A malformed block was encountered while loading rescue.",
    "always": "A malformed block was encountered while loading always",
}
_MALFORMED_IN_BLOCK = "A malformed block was encountered while loading a block"


def _malformed_item_error(doc_path: str) -> str:
    section = doc_path.rsplit(".", 1)[-1].split("[", 1)[0]
    return _MALFORMED_IN_SECTION.get(section, _MALFORMED_IN_BLOCK)


def _plain_str(name: str | None) -> str | None:
    """Action names are plain strings even when written ``!unsafe``."""
    return None if name is None else str(name)


def _own_search_list(node: MapNode, scope: tuple[str, ...]) -> tuple[str, ...]:
    """The search list in force inside a play or block: its own ``collections`` when it sets the keyword
    (a null or an empty list too: no list then), else ``scope`` (Block._get_parent_attribute)."""
    entry = node.entries.get("collections")
    return scope if entry is None else search_list(entry[1].value)


def _key_spans(node: MapNode) -> tuple[tuple[str, Span], ...]:
    return tuple([(str(key), key_node.span) for key, (key_node, _) in node.entries.items()])


def _arg_spans(node: MapNode, action_key: str | None, args: dict[Any, Any]) -> tuple[tuple[str, Span], ...]:
    """Where each argument key is written: the keys of the action's mapping and of ``args:``, and
    for k=v text the ``key=`` inside it when the text is one line written as is (plain, or quoted
    without escapes), else the whole text."""
    entries = node.entries
    pair = entries.get(action_key) if action_key else None
    if pair is not None and "args" not in entries and isinstance(pair[1], MapNode):  # most tasks
        spans = []
        for key, (key_node, _) in pair[1].entries.items():
            if type(key) is not str:
                break  # str(key) may then name two keys: the general way below keeps the first
            spans.append((key, key_node.span))
        else:
            return tuple(spans)
    found: dict[str, Span] = {}
    texts: tuple[Node, ...] = ()  # k=v text, read after the mappings
    for holder in (action_key, "args"):
        pair = entries.get(holder) if holder else None
        if pair is None:
            continue
        value_node = pair[1]
        if isinstance(value_node, MapNode):
            for key, (key_node, _) in value_node.entries.items():
                found.setdefault(str(key), key_node.span)
        elif isinstance(value_node.value, str):
            texts = (*texts, value_node)
    for value_node in texts:
        for key in args:
            if isinstance(key, str) and key not in found and f"{key}=" in value_node.value:
                found[key] = _kv_key_span(value_node, key)
    return tuple(found.items())


def _kv_key_span(node: Node, key: str) -> Span:
    text: str = node.value
    span = node.span
    width = span.end_col - span.col
    start = 0 if width == len(text) else 1 if width == len(text) + 2 else -1
    if span.line != span.end_line or start < 0:
        return span
    index = text.find(f"{key}=")
    while index > 0 and not text[index - 1].isspace():
        index = text.find(f"{key}=", index + 1)
    if index < 0:
        return span
    col = span.col + start + index
    return Span(span.line, col, span.line, col + len(key))


def _task_fields(node: MapNode, action_key: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    fields: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, (_key_node, value_node) in node.entries.items():
        value = value_node.value
        if key in ("action", "args") or (key == action_key and key != "local_action"):
            continue
        if isinstance(key, str):
            name = _TASK_FIELD_OF_KEY.get(key)
            if name is not None:
                fields[name] = value
                continue
            if key.startswith(LOOP_PREFIX) and "loop_with" not in fields:
                fields["loop_with"] = key[len(LOOP_PREFIX):]
                fields["loop_with_value"] = value
                continue
        extra[str(key)] = value
    return fields, extra


def build(document: Document, kind: Kind) -> Playbook | TaskFile:
    """Build the model of one loaded document. Never raises on bad content."""
    builder = Builder(document.path)
    if kind == "playbook":
        plays = builder.playbook(document.root) if _buildable(document) else ()
        diagnostics = _sorted(document.diagnostics + builder.diagnostics)
        return Playbook(path=document.path, plays=plays, diagnostics=diagnostics)
    tasks = builder.task_file(document.root, kind) if _buildable(document) else ()
    diagnostics = _sorted(document.diagnostics + builder.diagnostics)
    return TaskFile(path=document.path, kind=kind, tasks=tasks, diagnostics=diagnostics)


def _buildable(document: Document) -> bool:
    """Build what was loaded, even past load errors; an unreadable file has nothing to build."""
    return document.root is not None or document.loadable


def _sorted(diagnostics: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(sorted(diagnostics, key=Diagnostic.sort_key))


__all__ = ["Builder", "build", "UNSET"]
