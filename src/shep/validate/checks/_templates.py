"""Every string of a model that ansible-core 2.19 templates, and every conditional, judged once per walk
by :mod:`shep.jinja`; and where a problem inside one lies in the file. Read by V034–V037 through
``ModelWalk.shared``.

What is templated, and how (ansible-core's sources in brackets):

* Module arguments, every string at any depth, when the task runs (``Task._post_validate_args``:
  ``TaskArgsFinalizer``; ``ActionBase.finalize_task_arg``), free-form text and a templated ``args:``
  too. Not mapping keys, but the top-level keys of ``set_fact`` and the ``data`` keys of ``set_stats``
  (their action plugins template them). ``assert``'s ``that`` holds conditionals
  (``plugins/action/assert.py``: a list is never templated, each item is evaluated); ``debug``'s ``var``
  is an expression (``evaluate_expression``), or a template when it holds delimiters; at a
  ``verbosity`` above 0 it is evaluated only at that verbosity (a warning then). ``meta`` arguments are
  never templated (``Task._get_meta``).
* Keywords: see ``shep.keywords.KEYWORD_TEMPLATING``: post-validated (templated) each time the task,
  block or play runs; conditionals by ``TemplateEngine.evaluate_conditional``; ``vars`` values and
  ``module_defaults`` only where they are used (warnings); ``register``, ``listen``, ``collections``
  never (static attributes). A task's or handler's ``name`` is templated, but its errors only warn
  (``Task._post_validate_name``): a warning too.
* Never: ``!unsafe`` values (the loader makes them ``Unsafe``) and ``!vault`` values.
"""

from __future__ import annotations

import re

from shep import jinja
from shep._records import record, replace
from shep.diagnostics import Diagnostic, Severity, Span, make
from shep.keywords import (
    BLOCK_KEYWORDS,
    HANDLER_KEYWORDS,
    IMPORT_PLAYBOOK_ACTIONS,
    IMPORT_PLAYBOOK_KEYWORDS,
    KEYWORD_TEMPLATING,
    LOOP_CONTROL_TEMPLATING,
    LOOP_PREFIX,
    META_ACTIONS,
    PLAY_KEYWORDS,
    TASK_KEYWORDS,
    Templating,
    internal_fqcns,
)
from shep.loader import MapNode, Node, SeqNode
from shep.loader.scalars import char_positions
from shep.model import Play, Task, field_name
from shep.jinja.plugins import is_unknown, suggestion
from shep.validate.checks._common import ModelWalk

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

_ASSERT = internal_fqcns("assert")
_DEBUG = internal_fqcns("debug")
_SET_FACT = internal_fqcns("set_fact")
_SET_STATS = internal_fqcns("set_stats")
_WITH_APPLY = internal_fqcns("include_tasks", "include_role")
# The verdict already made for a text (None: not judged yet). Only texts that are templates are ever
# judged as templates (and any other text's verdict would be clean).
_TEMPLATE_VERDICT = jinja.cached_template
_CONDITIONAL_VERDICT = jinja.cached_conditional
_CONDITIONAL_KEYS = frozenset(k for k, how in KEYWORD_TEMPLATING.items() if how is Templating.CONDITIONAL)
ARGS = "<args>"  # Place.key of a module argument: its holder (the module's key, args:, action:) is found later

# Why a problem is only a warning, by the reason a Place records.
LAZY_NOTES = {
    "vars": "vars values are templated only where the variable is used",
    "module_defaults": "module_defaults are templated only for the modules they apply to",
    "name": "ansible-core templates a task's name for display: an error there only warns",
    "verbosity": "debug evaluates `var` only at the task's verbosity",
}


@record
class Place:
    """One templated string or conditional: ``text`` under ``key`` of ``obj``'s mapping, at ``path``
    (keys and indices) inside that value; ``mode`` "t" (template), "e" (expression) or "c"
    (conditional); ``lazy``: why an error there only warns (None: it fails the task or play);
    ``is_key``: the text is a mapping key."""

    obj: Task | Play
    key: str
    path: tuple[Any, ...]
    text: str
    mode: str
    verdict: jinja.Verdict
    lazy: str | None = None
    is_key: bool = False

    @property
    def severity(self) -> Severity:
        return Severity.ERROR if self.lazy is None else Severity.WARNING


def judged(walk: ModelWalk) -> list[Place]:
    """The places whose verdict has something to report: a problem, or an unknown filter or test name."""
    document = walk.document
    # Without a delimiter in the file, only conditionals (bare expressions) can hold Jinja; without a
    # "#jinja2:" in it, a string is a template only if it holds a "{".
    text = "" if document is None else document.text
    header = document is None or "#jinja2:" in text
    templates = header or _DELIMITER.search(text) is not None or _escaped_delimiter(text)
    found: list[Place] = []
    for play in walk.plays:
        _object(play, _IMPORT_HOW if play.is_import else _PLAY_HOW, templates, found)
    if len(walk.visits) > len(walk.tasks) + len(walk.plays):  # blocks
        for visit in walk.visits:
            obj = visit.obj
            if isinstance(obj, Task) and obj.is_block:
                _object(obj, _BLOCK_HOW, templates, found)
    file = (templates, header)
    for task, keys in walk.tasks_with_keys():
        if not task.malformed:
            _task(task, keys, file, found)
    return found


_DELIMITER = re.compile(r"\{[{%#]")  # a literal first: the search runs at memchr speed


def _escaped_delimiter(text: str) -> bool:
    """Whether a double-quoted scalar may make a ``{`` of an escape (``\\x7b``), or join ``{`` and ``{``
    over an escaped line break: a delimiter in a value that the text does not show."""
    return "\\" in text and ("\\x7" in text or "\\u007" in text or "\\U0000007" in text
                              or "{\\\n" in text or "{\\\r" in text)


_TASK_CONDITIONALS = frozenset(("when", "changed_when", "failed_when", "until"))
_TASK_TEMPLATED = frozenset(k for k in TASK_KEYWORDS | HANDLER_KEYWORDS
                            if KEYWORD_TEMPLATING[k] in (Templating.TEMPLATE, Templating.LAZY))


def _task(task: Task, keys: frozenset[str], file: tuple[bool, bool], found: list[Place]) -> None:
    """A task's or handler's conditionals, arguments and keyword values. The hot loop of the family:
    the keys that matter are looked up once per distinct key set (``_plan``), and a string is judged
    only when it holds a ``{`` (or starts with ``#`` in a file with a ``#jinja2:`` header); a string
    judged before costs a dict lookup. ``file``: whether the file holds a template delimiter, and a
    ``#jinja2:``."""
    templates, header = file
    plan = (_HANDLER_PLANS if task.is_handler else _TASK_PLANS).get(keys)
    if plan is None:
        plan = _plan(keys, task.is_handler)
    conditional_keys, loop_control, loop_with, templated = plan
    for key in conditional_keys:
        value = getattr(task, key)
        if type(value) is str:
            verdict = _CONDITIONAL_VERDICT(value) or jinja.conditional(value)
            if verdict.problem is not None or verdict.unknown:
                found.append(Place(task, key, (), value, "c", verdict))
        elif type(value) is list:
            _conditionals(task, key, (), value, None, found)
    if loop_control and isinstance(task.loop_control, dict):
        _loop_control(task, found, conditionals_only=not templates)
    how = _ACTION_HOW.get(task.action, _PLAIN)
    if how == _PLAIN:
        if templates:
            _plain_arguments(task, header, found)
    elif how == _SPECIAL:
        _arguments(task, templates, found)
    if not templates:
        return
    if loop_with and type(task.loop_with) is str and LOOP_PREFIX + task.loop_with in keys:  # with_<lookup>
        _strings(task, LOOP_PREFIX + task.loop_with, (), task.loop_with_value, None, found)
    for key, field, lazy in templated:
        value = getattr(task, field)
        kind = type(value)
        if kind is str:
            if "{" in value or (header and value.startswith("#")):
                _string(task, key, (), value, lazy, found)
        elif kind is dict or kind is list:
            _strings(task, key, (), value, lazy, found)


def _plain_arguments(task: Task, header: bool, found: list[Place]) -> None:
    """The arguments of an action that templates them all (in a file with a delimiter)."""
    if task.free_form_args is not None:
        _string(task, ARGS, (), task.free_form_args, None, found)
    if task.variable_args is not None:
        _string(task, "args", (), task.variable_args, None, found)
    for name, value in task.args.items():
        kind = type(value)
        if kind is str:
            if "{" in value or (header and value.startswith("#")):
                verdict = _TEMPLATE_VERDICT(value)  # judged before: a template (the test is the text's)
                if verdict is None:
                    if not ("{{" in value or "{%" in value or "{#" in value or value.startswith("#jinja2:")):
                        continue
                    verdict = jinja.template(value)
                if verdict.problem is not None or verdict.unknown:
                    found.append(Place(task, ARGS, (name,), value, "t", verdict))
        elif kind is dict or kind is list:
            _strings(task, ARGS, (name,), value, None, found)


# What _task reads of a task, by its key set (the same few sets recur): its conditional keys, whether
# it has loop_control and a with_<lookup> key, and (key, field, lazy) of each templated keyword.
Plan = tuple[tuple[str, ...], bool, bool, tuple[tuple[str, str, "str | None"], ...]]
_TASK_PLANS: dict[frozenset[str], Plan] = {}
_HANDLER_PLANS: dict[frozenset[str], Plan] = {}
_PLANS_MAX = 10_000


def _plan(keys: frozenset[str], is_handler: bool) -> Plan:
    plans, table = (_HANDLER_PLANS, _HANDLER_HOW) if is_handler else (_TASK_PLANS, _TASK_HOW)
    templated = []
    for key in keys & _TASK_TEMPLATED:
        entry = table.get(key)
        if entry is not None:  # else a handler keyword on a task, or the reverse: not a keyword here (V001, V002)
            templated.append((key, entry[1], entry[2]))
    plan = (tuple(keys & _TASK_CONDITIONALS), "loop_control" in keys,
            any(key.startswith(LOOP_PREFIX) for key in keys), tuple(templated))
    if len(plans) >= _PLANS_MAX:
        plans.clear()
    plans[keys] = plan
    return plan


# How each key of an object is read, by context: (how, field of the model, why an error only warns).
_SKIP, _TEMPLATE, _CONDITIONAL, _LOOP_CONTROL = 0, 1, 2, 3
How = dict[str, tuple[int, str, "str | None"]]


def _table(keywords: frozenset[str], task_name: bool) -> How:
    table: How = {}
    for key in keywords:
        how = KEYWORD_TEMPLATING[key]
        lazy = key if how is Templating.LAZY else None
        if key == "name" and task_name:
            lazy = "name"
        if key == "loop_control":
            code = _LOOP_CONTROL
        elif how is Templating.CONDITIONAL:
            code = _CONDITIONAL
        elif how is Templating.NEVER:
            code = _SKIP
        else:
            code = _TEMPLATE
        table[key] = (code, field_name(key), lazy)
    return table


_TASK_HOW = _table(TASK_KEYWORDS, task_name=True)
_HANDLER_HOW = _table(HANDLER_KEYWORDS, task_name=True)
_BLOCK_HOW = _table(BLOCK_KEYWORDS, task_name=False)
_PLAY_HOW = _table(PLAY_KEYWORDS, task_name=False)
_IMPORT_HOW = _table(IMPORT_PLAYBOOK_KEYWORDS, task_name=False) | {
    action: (_TEMPLATE, "import_playbook", None) for action in IMPORT_PLAYBOOK_ACTIONS}


def _object(obj: Task | Play, table: How, templates: bool, found: list[Place]) -> None:
    """The keyword values of ``obj`` (its module's arguments are ``_arguments``')."""
    get = table.get
    for key, _span in obj.key_spans:
        entry = get(key)
        if entry is None:
            continue
        code = entry[0]
        if code == _TEMPLATE and templates:
            value = getattr(obj, entry[1])
            kind = type(value)
            if kind is str:
                if "{" in value or value.startswith("#"):
                    _string(obj, key, (), value, entry[2], found)
            elif kind is dict or kind is list:
                _strings(obj, key, (), value, entry[2], found)
        elif code == _CONDITIONAL:
            _conditionals(obj, key, (), getattr(obj, entry[1]), None, found)
        elif code == _LOOP_CONTROL and isinstance(obj, Task) and isinstance(obj.loop_control, dict):
            _loop_control(obj, found, conditionals_only=not templates)


def _string(obj: Task | Play, key: str, path: tuple[Any, ...], text: str, lazy: str | None,
            found: list[Place]) -> None:
    """``text``, if it is a template: callers have seen a ``{`` in it, or a ``#`` first."""
    verdict = _TEMPLATE_VERDICT(text)  # judged before: a template
    if verdict is None:
        if not ("{{" in text or "{%" in text or "{#" in text or text.startswith("#jinja2:")):
            return
        verdict = jinja.template(text)
    if verdict.problem is not None or verdict.unknown:
        found.append(Place(obj, key, path, text, "t", verdict, lazy))


def _strings(obj: Task | Play, key: str, path: tuple[Any, ...], value: Any, lazy: str | None,
             found: list[Place]) -> None:
    """Every templated string in ``value``, at any depth (mapping keys are never templated)."""
    kind = type(value)
    if kind is str:  # an Unsafe (a str subclass) is never templated
        if "{" in value or value.startswith("#"):
            _string(obj, key, path, value, lazy, found)
        return
    if kind is dict:
        items: Any = value.items()
        values: Any = value.values()
    elif kind is list:
        items = enumerate(value)
        values = value
    else:
        return
    try:  # most are strings only (a list of names): one C call tells whether any may be a template
        joined = "".join(values)
    except TypeError:
        pass
    else:
        if "{" not in joined and "#" not in joined:
            return
    for name, item in items:
        kind = type(item)
        if kind is str:
            if "{" in item or item.startswith("#"):
                _string(obj, key, (*path, name), item, lazy, found)
        elif kind is dict or kind is list:
            _strings(obj, key, (*path, name), item, lazy, found)


def _conditionals(obj: Task | Play, key: str, path: tuple[Any, ...], value: Any, lazy: str | None,
                  found: list[Place]) -> None:
    """A conditional keyword's strings: the value, or each item of a list (other types: V014)."""
    if type(value) is str:
        verdict = _CONDITIONAL_VERDICT(value) or jinja.conditional(value)
        if verdict.problem is not None or verdict.unknown:
            found.append(Place(obj, key, path, value, "c", verdict, lazy))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if type(item) is str:
                verdict = _CONDITIONAL_VERDICT(item) or jinja.conditional(item)
                if verdict.problem is not None or verdict.unknown:
                    found.append(Place(obj, key, (*path, index), item, "c", verdict, lazy))


def _loop_control(task: Task, found: list[Place], conditionals_only: bool = False) -> None:
    for name, value in task.loop_control.items():
        how = LOOP_CONTROL_TEMPLATING.get(name)
        if how is Templating.CONDITIONAL:
            _conditionals(task, "loop_control", (name,), value, None, found)
        elif how is Templating.TEMPLATE and not conditionals_only:
            _strings(task, "loop_control", (name,), value, None, found)


def _arguments(task: Task, templates: bool, found: list[Place]) -> None:
    """The arguments of an action that reads some its own way (_SPECIAL_ACTIONS), free-form text and a
    templated ``args:`` too. ``templates``: whether the file holds a delimiter (without one, only
    assert's conditionals and debug's expression can hold Jinja)."""
    if templates:
        if task.free_form_args is not None:
            _string(task, ARGS, (), task.free_form_args, None, found)
        if task.variable_args is not None:
            _string(task, "args", (), task.variable_args, None, found)
    args = task.args
    if not args:
        return
    if task.action in _ASSERT:  # the commonest by far (tests): its own loop
        for name, value in args.items():
            if name == "that":
                _assert_that(task, value, templates, found)
            elif templates:
                _strings(task, ARGS, (name,), value, None, found)
        return
    for name, value in args.items():
        if not _special_argument(task, name, value, templates, found) and templates:
            _strings(task, ARGS, (name,), value, None, found)


def _assert_that(task: Task, value: Any, templates: bool, found: list[Place]) -> None:
    # a list is never templated, each item is a conditional; a string wholly in template delimiters is
    # templated first (it may give a list); any other string is a conditional (plugins/action/assert.py)
    if type(value) is str and jinja.is_all_template(value):
        if templates:
            _string(task, ARGS, ("that",), value, None, found)
    else:
        _conditionals(task, ARGS, ("that",), value, None, found)


_SPECIAL_ACTIONS = _ASSERT | _DEBUG | _SET_FACT | _SET_STATS | _WITH_APPLY
# How _task reads an action's arguments: not at all (no action, meta), its own way, or every string.
_PLAIN, _SPECIAL, _NONE = 0, 1, 2
_ACTION_HOW: dict[str | None, int] = {None: _NONE} | dict.fromkeys(META_ACTIONS, _NONE) | dict.fromkeys(
    _SPECIAL_ACTIONS, _SPECIAL)


def _special_argument(task: Task, name: Any, value: Any, templates: bool, found: list[Place]) -> bool:
    """Arguments an action reads its own way; True when handled (nothing more to judge)."""
    action = task.action
    path = (name,)
    if action in _ASSERT and name == "that":
        _assert_that(task, value, templates, found)
        return True
    if action in _DEBUG and name == "var" and type(value) is str:
        lazy = "verbosity" if task.args.get("verbosity") not in (None, 0, "0") else None
        mode = "t" if jinja.is_template(value) else "e"
        verdict = jinja.template(value) if mode == "t" else jinja.expression(value)
        if verdict.problem is not None or verdict.unknown:
            found.append(Place(task, ARGS, path, value, mode, verdict, lazy))
        return True
    if action in _WITH_APPLY and name == "apply" and isinstance(value, dict):
        for keyword, item in value.items():
            if keyword in _CONDITIONAL_KEYS:
                _conditionals(task, ARGS, (name, keyword), item, None, found)
            elif templates:
                _strings(task, ARGS, (name, keyword), item, None, found)
        return True
    if not templates:
        return True
    if action in _SET_FACT and type(name) is str and jinja.is_template(name):  # set_fact templates its keys
        _key(task, path, name, found)
    if action in _SET_STATS and name == "data" and isinstance(value, dict):  # and set_stats its data's
        for data_key in value:
            if type(data_key) is str and jinja.is_template(data_key):
                _key(task, (name, data_key), data_key, found)
    return False


def _key(task: Task, path: tuple[Any, ...], text: str, found: list[Place]) -> None:
    verdict = jinja.template(text)
    if verdict.problem is not None or verdict.unknown:
        found.append(Place(task, ARGS, path, text, "t", verdict, None, is_key=True))


# -- where a problem lies -----------------------------------------------------------------------------


def diagnostic(walk: ModelWalk, code: str, message: str, place: Place, where: tuple[int, int], *,
               hint: str | None = None) -> Diagnostic:
    """A diagnostic at ``where``, (offset, line) in the place's text: character ``offset``, or when it
    is -1 the start of ``line`` (1-based in the text); at the key that holds the text when the file's
    text is not at hand. The place's severity: an error, a warning where the text is templated only
    when used."""
    span = _span_in_file(walk, place, *where)
    if span is None:
        key = place.key
        if key == ARGS and isinstance(place.obj, Task):
            key = place.obj.action_key or "args"
        return walk.diagnostic(code, message, place.obj, key, hint=hint, severity=place.severity)
    return make(code, message, place.obj.path, span, hint=hint, severity=place.severity)


def unknown_names(walk: ModelWalk, code: str, kind: str) -> Iterator[Diagnostic]:
    """V035 and V036: each unknown ``kind`` ("filter" or "test") name of the walk's templates, where it is
    written: a warning (a local plugin directory may provide it)."""
    for place in walk.shared(judged):
        names = [n for n in place.verdict.names if n[0] == kind and is_unknown(kind, n[1])]
        if not names:
            continue
        located = [n for n in jinja.names_at(place.text, place.mode) if n[0] == kind and is_unknown(kind, n[1])]
        if len(located) != len(names):
            located = names  # positions unknown: each at the string's start
        for _kind, name, offset in located:
            close = suggestion(kind, name)
            hint = (f"did you mean '{close}'? " if close else "") + (
                f"neither Jinja nor ansible.builtin has this {kind}; only a local {kind}_plugins/ directory "
                "could provide it")
            found = diagnostic(walk, code, f"No {kind} named '{name}'.", place, (max(offset, 0), 1), hint=hint)
            yield replace(found, severity=Severity.WARNING)  # whatever the place: a local plugin may provide it


def _span_in_file(walk: ModelWalk, place: Place, offset: int, line: int) -> Span | None:
    document = walk.document
    if document is None or document.root is None:
        return None
    node = _node_at(document.root, place.obj.doc_path)
    found = _scalar_of(node, place) if isinstance(node, MapNode) else None
    if found is None:
        return None
    scalar, start = found
    if not place.text.strip():  # nothing in it (an empty conditional): the scalar itself
        return _point(scalar.span.line, scalar.span.col)
    if offset < 0:  # only the line is known: its first character
        offset = 0
        for _ in range(line - 1):
            offset = place.text.find("\n", offset) + 1
            if offset == 0:
                break
    positions = char_positions(document.text, scalar.span, scalar.value)
    index = start + min(offset, max(len(place.text) - 1, 0))
    if positions is None or not 0 <= index < len(positions):
        return _point(scalar.span.line, scalar.span.col)
    return _point(*positions[index])


def _point(line: int, col: int) -> Span:
    return Span(line, col, line, col + 1)


def _node_at(root: Node, doc_path: str) -> Node | None:
    """The node of ``plays[0].tasks[3].block[1]`` (or ``tasks[3]`` in a task file)."""
    node: Node | None = root
    for part in doc_path.split("."):
        name, _, index = part.partition("[")
        if node is None:
            return None
        if isinstance(node, MapNode):
            node = node.value_node(name)
        if index and isinstance(node, SeqNode):
            position = int(index.rstrip("]"))
            node = node.items[position] if position < len(node.items) else None
        elif index:
            return None
    return node


def _scalar_of(node: MapNode, place: Place) -> tuple[Node, int] | None:
    """The scalar node that holds the place's text (a key node for a templated key), and where the text
    starts in its value (not 0 for k=v arguments and free-form text: part of a longer string)."""
    if place.key != ARGS:
        holders = [node.value_node(place.key)]
    else:
        task = place.obj
        keys = [task.action_key] if isinstance(task, Task) and task.action_key else []
        holders = [node.value_node(key) for key in (*keys, "args")]
    for holder in holders:
        found = _follow(holder, place.path, place.is_key)
        if found is not None and found.value == place.text:
            return found, 0
    for holder in holders:  # k=v text or free-form text: the argument is part of the string
        if holder is not None and isinstance(holder.value, str):
            start = holder.value.find(place.text)
            if start >= 0:
                return holder, start
    return None


def _follow(node: Node | None, path: tuple[Any, ...], is_key: bool) -> Node | None:
    for step_number, step in enumerate(path):
        if node is None:
            return None
        if isinstance(node, MapNode):
            pair = node.entries.get(step)
            if pair is None:
                return None
            node = pair[0] if (is_key and step_number == len(path) - 1) else pair[1]
        elif isinstance(node, SeqNode) and isinstance(step, int) and step < len(node.items):
            node = node.items[step]
        else:
            return None
    return node
