"""What the semantic checks share: walking a model with context, ansible's class names, diagnostics."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from shep._records import record
from shep.diagnostics import Diagnostic, Severity, Span, make
from shep.keywords import JINJA_OPENERS, LOOP_PREFIX, ROLE_INCLUDE_ACTIONS, TASK_INCLUDE_ACTIONS
from shep.model import Model, Play, Playbook, Task, field_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shep.project import FileFacts
    from collections.abc import Mapping
    from typing import Any, NamedTuple, TypeVar

    from shep.installed.lookup import ModuleLookup
    from shep.loader import Document

    T = TypeVar("T")
else:
    from shep._records import NamedTuple



def is_template(value: Any) -> bool:
    """ansible-core's is_possibly_template: a string that may hold Jinja."""
    return isinstance(value, str) and any(marker in value for marker in JINJA_OPENERS)


class Visit(NamedTuple):
    """One task, block, handler, play or import_playbook entry, with where it sits.

    A named tuple: one is made for every object of every model, and tuples are built fastest.
    """

    obj: Task | Play
    play: Play | None = None  # the play of a task in a playbook
    parents: tuple[Task, ...] = ()  # enclosing blocks, outermost first

    @property
    def task(self) -> Task:
        assert isinstance(self.obj, Task)
        return self.obj

    if TYPE_CHECKING:  # made by shep._records.NamedTuple for every named tuple (a C call)
        @classmethod
        def from_tuple(cls, values: tuple[Task | Play, Play | None, tuple[Task, ...]], /) -> Visit: ...




class ModelWalk:
    """One pass over a model, in file order, built once per validation and handed to every check.

    It holds the views the checks ask for, the findings several checks share (``shared``), and makes
    their diagnostics (``diagnostic``). No check keeps state of its own between calls. ``modules``:
    what the installed collections hold for the model's collection actions, by FQCN (None: not
    looked up; the checks then say nothing about collections).
    """

    def __init__(self, model: Model, modules: Mapping[str, ModuleLookup] | None = None,
                 facts: FileFacts | None = None, document: Document | None = None) -> None:
        self.model = model
        self.modules = modules
        # What the project graph knows about this file (shep.project): its references resolved, the
        # notifications no handler answers, its duplicate handlers. None without a project (one file
        # on its own): the checks that need the graph then say nothing, or what one file shows.
        self.facts = facts
        # The loaded document the model was built from, when the caller has it: its text and nodes give
        # positions inside values (a Jinja error in a string); without it those point at the key.
        self.document = document
        self.visits: list[Visit] = []  # every object
        self.task_visits: list[Visit] = []  # tasks and handlers only
        self.tasks: list[Task] = []  # their objects, for the many checks that need no context
        self.key_sets: list[frozenset[str]] = []  # the keys of each task (built once, asked often)
        self.plays: tuple[Play, ...] = model.plays if isinstance(model, Playbook) else ()
        self._shared: dict[Callable[[ModelWalk], Any], Any] = {}
        # The key spans of the last object reported on, indexed: an object with many findings stays linear.
        self._spans_of: tuple[Task | Play | None, dict[str, Span]] = (None, {})
        for play in self.plays:
            self.visits.append(Visit(play))
            for _section, section_tasks in play.sections():
                for task in section_tasks:
                    self._add_task(task, play, ())
        if not isinstance(model, Playbook):
            for task in model.tasks:
                self._add_task(task, None, ())

    def _add_task(self, task: Task, play: Play | None, parents: tuple[Task, ...]) -> None:
        """Add ``task`` and the tasks nested in it (depth-first, as ansible-core runs them)."""
        visit = Visit.from_tuple((task, play, parents))  # one per object of a model
        self.visits.append(visit)
        if not task.is_block:
            self.task_visits.append(visit)
            self.tasks.append(task)
            self.key_sets.append(frozenset([key for key, _ in task.key_spans]))
        if task.block_tasks or task.rescue_tasks or task.always_tasks:
            inner = (*parents, task)
            for child in (*task.block_tasks, *task.rescue_tasks, *task.always_tasks):
                self._add_task(child, play, inner)

    def tasks_with_keys(self) -> Iterator[tuple[Task, frozenset[str]]]:
        """Every task and handler with the set of its keys, for checks that look for a key."""
        return zip(self.tasks, self.key_sets)

    def shared(self, compute: Callable[[ModelWalk], T]) -> T:
        """``compute(self)``, once per walk: findings that several checks read (V014 and V015 share one)."""
        found = self._shared.get(compute, _UNSET)
        if found is _UNSET:
            found = self._shared[compute] = compute(self)
        return found  # type: ignore[no-any-return]

    def diagnostic(self, code: str, message: str, obj: Task | Play, key: str | None = None, *,
                   hint: str | None = None, severity: Severity | None = None) -> Diagnostic:
        """A diagnostic at ``key``'s span in ``obj`` (the whole object when the key is absent)."""
        span = (self._key_spans_of(obj).get(key) if key is not None else None) or obj.span
        return make(code, message, obj.path, span, hint=hint, severity=severity)

    def _key_spans_of(self, obj: Task | Play) -> dict[str, Span]:
        if self._spans_of[0] is not obj:
            index: dict[str, Span] = {}
            for name, span in obj.key_spans:
                index.setdefault(name, span)
            self._spans_of = (obj, index)
        return self._spans_of[1]


_UNSET = object()


def ansible_class(obj: Task | Play) -> str:
    """The ansible-core class that loads this object (it names it in messages)."""
    if isinstance(obj, Play):
        return "PlaybookInclude" if obj.is_import else "Play"
    if obj.is_block:
        return "Block"
    if obj.action in TASK_INCLUDE_ACTIONS:
        return "HandlerTaskInclude" if obj.is_handler else "TaskInclude"
    if obj.action in ROLE_INCLUDE_ACTIONS:
        return "IncludeRole"
    return "Handler" if obj.is_handler else "Task"


def value_of(obj: Task | Play, key: str) -> Any:
    """The value of a key as written (a keyword field, a second ``with_*`` key, or an extra key)."""
    if isinstance(obj, Task) and key.startswith(LOOP_PREFIX) and obj.loop_with == key[len(LOOP_PREFIX):]:
        return obj.loop_with_value
    if key in obj.extra:
        return obj.extra[key]
    return getattr(obj, field_name(key), None)


# -- loop keys, shared by the duplicate-loop and loop-without-value checks -------------------------


@record
class LoopEvent:
    key: str
    kind: str  # "duplicate" (ansible-core error), "overridden" (with_* terms replaced by loop), "null"
    lookup: str = ""


def loop_events(task: Task, key_set: frozenset[str]) -> Iterator[LoopEvent]:
    """Replays Task.preprocess_data's loop handling over the task's keys (``key_set``), in file order."""
    # Every event needs a with_* key, and the first one sets loop_with unless a literal `loop_with`
    # key took that field: without either, skip the scan (most tasks).
    if task.loop_with is None and "loop_with" not in key_set:
        return
    keys = task.keys
    loop_set = False
    loop_with_set = False
    last_with = ""
    for key in keys:
        if key == "loop":
            if loop_with_set and task.loop is not None:
                yield LoopEvent(key, "overridden", last_with)
            loop_set = task.loop is not None
        elif key.startswith(LOOP_PREFIX):
            lookup = key[len(LOOP_PREFIX):]
            if loop_set or loop_with_set:
                yield LoopEvent(key, "duplicate", lookup)
            elif value_of(task, key) is None:
                yield LoopEvent(key, "null", lookup)
            loop_set = loop_with_set = True
            last_with = lookup


def has_loop(task: Task) -> bool:
    """ansible-core's ``task.loop is not None`` after preprocessing (``loop`` or a ``with_*``)."""
    if task.loop is not None:
        return True
    return any(k.startswith(LOOP_PREFIX) and value_of(task, k) is not None for k in task.keys)
