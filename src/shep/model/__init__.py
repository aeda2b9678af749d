"""The domain model: frozen, typed values for tasks, blocks, plays and playbooks.

Keyword fields hold the value as written in YAML (after YAML 1.1 typing, before any Jinja or
type coercion, which are run-time matters). ``None`` means the keyword is absent; an explicit
YAML null is told apart by ``"key" in obj.keys``. Every object carries its file and position.
"""

from __future__ import annotations

from shep._records import field, fields, record, replace
from shep.diagnostics import Diagnostic, Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from shep.keywords import FileKind as Kind

KeySpans = tuple[tuple[str, Span], ...]

# Keywords whose names are not valid Python identifiers.
FIELD_FOR_KEYWORD = {"async": "async_"}


def field_name(keyword: str) -> str:
    return FIELD_FOR_KEYWORD.get(keyword, keyword)


# The two bases only carry fields: never built nor compared (Task and Play get __init__,
# __repr__ and __eq__ with every field).
@record(kw_only=True, init=False, repr=False, eq=False)
class _Located:
    """Where an object is: its file, position and keys."""

    path: str
    span: Span
    # Where this object is in its file, e.g. "plays[0].tasks[3].block[1]".
    doc_path: str
    # Keys present in the YAML mapping, in order, with the span of each key.
    key_spans: KeySpans = ()

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple([k for k, _ in self.key_spans])

    def key_span(self, key: str) -> Span | None:
        for name, span in self.key_spans:
            if name == key:
                return span
        return None


@record(kw_only=True, init=False, repr=False, eq=False)
class _Common(_Located):
    """Keywords every context accepts (task, handler, block, play, import_playbook)."""

    name: Any = None
    any_errors_fatal: Any = None
    become: Any = None
    become_exe: Any = None
    become_flags: Any = None
    become_method: Any = None
    become_user: Any = None
    check_mode: Any = None
    connection: Any = None
    debugger: Any = None
    diff: Any = None
    environment: Any = None
    ignore_errors: Any = None
    ignore_unreachable: Any = None
    module_defaults: Any = None
    no_log: Any = None
    port: Any = None
    remote_user: Any = None
    run_once: Any = None
    tags: Any = None
    throttle: Any = None
    timeout: Any = None
    vars: Any = None
    collections: Any = None
    when: Any = None


@record(kw_only=True)
class Task(_Common):
    """A task, a handler or a block (flat design: ``is_block`` selects which fields apply)."""

    is_block: bool = False
    is_handler: bool = False
    # Detection result (tasks only).
    action: str | None = None
    action_key: str | None = None  # how the action was written: module name, "action" or "local_action"
    # What the action resolves to (shep.resolve): the FQCN ansible-core runs when no local module or
    # installed collection shadows it (None when nothing would), and a word of shep.resolve.KINDS
    # saying how ("" for a block, a malformed item or a task without an action).
    resolved_action: str | None = None
    resolution: str = ""
    args: dict[Any, Any] = field(default_factory=dict)
    # Where each argument's key is written: in the module's mapping or ``args:``, or inside k=v text
    # (the whole text when the position of a key in it cannot be exact).
    arg_spans: KeySpans = ()
    free_form_args: str | None = None
    variable_args: str | None = None  # a templated `args:` ("{{ x }}"), ansible-core's _variable_params
    error: str | None = None  # ansible-core's message when it rejects this task
    malformed: bool = False  # a list item that is not a mapping (``value`` holds it)
    value: Any = None
    # Task keywords.
    delegate_to: Any = None
    delegate_facts: Any = None
    notify: Any = None
    async_: Any = None
    async_val: Any = None
    changed_when: Any = None
    delay: Any = None
    failed_when: Any = None
    loop: Any = None
    loop_control: Any = None
    loop_with: str | None = None  # lookup name of a with_<lookup> key
    loop_with_value: Any = None  # its expression
    poll: Any = None
    register: Any = None
    retries: Any = None
    until: Any = None
    listen: Any = None
    local_action: Any = None
    static: Any = None
    # Blocks.
    block_tasks: tuple[Task, ...] = ()
    rescue_tasks: tuple[Task, ...] = ()
    always_tasks: tuple[Task, ...] = ()
    # Keys that are neither keywords of this context nor the action (e.g. a second module).
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def module(self) -> str | None:
        return self.action

    @property
    def ansible_args(self) -> dict[Any, Any]:
        """Arguments as ansible-core shapes them, with _raw_params/_variable_params entries."""
        merged: dict[Any, Any] = {}
        if self.variable_args is not None:
            merged["_variable_params"] = self.variable_args
        merged.update(self.args)
        if self.free_form_args is not None:
            merged["_raw_params"] = self.free_form_args
        return merged

    @property
    def delegated_to(self) -> Any:
        """ansible-core's delegate_to: ``localhost`` for local_action, else the keyword."""
        return "localhost" if "local_action" in self.keys and self.action_key == "local_action" else self.delegate_to

    def walk(self) -> list[Task]:
        """This task and every task nested in it, depth-first in file order."""
        found = [self]
        for child in (*self.block_tasks, *self.rescue_tasks, *self.always_tasks):
            found.extend(child.walk())
        return found


@record(kw_only=True)
class Play(_Common):
    """A play, or an ``import_playbook`` entry of a playbook (``import_playbook`` set)."""

    import_playbook: Any = None
    import_action: str | None = None  # the key used: import_playbook or its FQCN
    hosts: Any = None
    gather_facts: Any = None
    gather_subset: Any = None
    gather_timeout: Any = None
    fact_path: Any = None
    force_handlers: Any = None
    max_fail_percentage: Any = None
    order: Any = None
    serial: Any = None
    strategy: Any = None
    roles: Any = None
    vars_files: Any = None
    vars_prompt: Any = None
    user: Any = None
    delegate_to: Any = None
    pre_tasks: tuple[Task, ...] = ()
    tasks: tuple[Task, ...] = ()
    post_tasks: tuple[Task, ...] = ()
    handlers: tuple[Task, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_import(self) -> bool:
        return self.import_action is not None

    def sections(self) -> tuple[tuple[str, tuple[Task, ...]], ...]:
        return (("pre_tasks", self.pre_tasks), ("tasks", self.tasks), ("post_tasks", self.post_tasks),
                ("handlers", self.handlers))


@record(kw_only=True)
class Playbook:
    path: str
    plays: tuple[Play, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    kind: Kind = "playbook"

    def tasks(self) -> list[Task]:
        """Every task and block of every play section, depth-first in file order."""
        return [t for play in self.plays for _, section in play.sections() for top in section for t in top.walk()]


@record(kw_only=True)
class TaskFile:
    """A task file or a handler file (``kind`` says which)."""

    path: str
    kind: Kind = "tasks"
    tasks: tuple[Task, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()

    def all_tasks(self) -> list[Task]:
        return [t for top in self.tasks for t in top.walk()]


Model = Playbook | TaskFile


def keyword_fields(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls))


__all__ = ["FIELD_FOR_KEYWORD", "KeySpans", "Kind", "Model", "Play", "Playbook", "Task", "TaskFile", "field_name",
           "fields", "keyword_fields", "replace"]
