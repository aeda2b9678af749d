"""The keyword tables: the single source of truth for what each Ansible context accepts.

Everything else (module detection, the model's fields, the JSON Schemas, the docs) derives from
or is tested against these tables. They mirror ansible-core 2.19's playbook attributes
(Task, Handler, Block, Play, PlaybookInclude); no import of Ansible is needed to use them.
"""

from __future__ import annotations

import enum

from shep._records import record


TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal

    # A type alias for type checkers only: typing is not worth its start-up at run time.
    FileKind = Literal["playbook", "tasks", "handlers"]

# The kinds of Ansible file shep reads; the one list (model, kinds, CLI choices, schemas derive from it).
FILE_KINDS: tuple[FileKind, ...] = ("playbook", "tasks", "handlers")


class Context(enum.Flag):
    TASK = enum.auto()
    HANDLER = enum.auto()
    BLOCK = enum.auto()
    PLAY = enum.auto()
    IMPORT_PLAYBOOK = enum.auto()
    ROLE = enum.auto()  # an entry of a play's ``roles:`` list (ansible-core's RoleInclude)


class Type(enum.Enum):
    """The field types of ansible-core's attributes (``isa``)."""

    BOOL = "bool"
    INT = "int"
    FLOAT = "float"
    STR = "string"
    LIST = "list"
    DICT = "dict"
    PERCENT = "percent"
    LOOP_CONTROL = "class"  # a mapping (LoopControl)


@record
class Keyword:
    name: str
    type: Type
    contexts: Context


_T, _H, _B, _P, _I = Context.TASK, Context.HANDLER, Context.BLOCK, Context.PLAY, Context.IMPORT_PLAYBOOK
_R = Context.ROLE
_TASKLIKE = _T | _H
_ALL = _T | _H | _B | _P | _I | _R

_B_, _I_, _F_, _S_, _L_, _D_ = Type.BOOL, Type.INT, Type.FLOAT, Type.STR, Type.LIST, Type.DICT

KEYWORDS: dict[str, Keyword] = {
    k.name: k
    for k in (
        # Shared by every context (ansible-core's Base, Conditional-free part of Taggable/Become/...).
        Keyword("name", _S_, _ALL),
        Keyword("any_errors_fatal", _B_, _ALL),
        Keyword("become", _B_, _ALL),
        Keyword("become_exe", _S_, _ALL),
        Keyword("become_flags", _S_, _ALL),
        Keyword("become_method", _S_, _ALL),
        Keyword("become_user", _S_, _ALL),
        Keyword("check_mode", _B_, _ALL),
        Keyword("connection", _S_, _ALL),
        Keyword("debugger", _S_, _ALL),
        Keyword("diff", _B_, _ALL),
        Keyword("environment", _L_, _ALL),
        Keyword("ignore_errors", _B_, _ALL),
        Keyword("ignore_unreachable", _B_, _ALL),
        Keyword("module_defaults", _L_, _ALL),
        Keyword("no_log", _B_, _ALL),
        Keyword("port", _I_, _ALL),
        Keyword("remote_user", _S_, _ALL),
        Keyword("run_once", _B_, _ALL),
        Keyword("tags", _L_, _ALL),
        Keyword("throttle", _I_, _ALL),
        Keyword("timeout", _I_, _ALL),
        Keyword("vars", _D_, _ALL),
        Keyword("collections", _L_, _T | _H | _B | _P | _R),
        Keyword("when", _L_, _T | _H | _B | _I | _R),
        Keyword("delegate_to", _S_, _T | _H | _B | _R),
        Keyword("delegate_facts", _B_, _T | _H | _B | _R),
        Keyword("notify", _L_, _T | _H | _B),
        # Tasks and handlers.
        Keyword("action", _S_, _TASKLIKE),
        Keyword("args", _D_, _TASKLIKE),
        Keyword("async", _I_, _TASKLIKE),
        Keyword("async_val", _I_, _TASKLIKE),
        Keyword("changed_when", _L_, _TASKLIKE),
        Keyword("delay", _F_, _TASKLIKE),
        Keyword("failed_when", _L_, _TASKLIKE),
        Keyword("loop", _L_, _TASKLIKE),
        Keyword("loop_control", Type.LOOP_CONTROL, _TASKLIKE),
        Keyword("loop_with", _S_, _TASKLIKE),
        Keyword("poll", _I_, _TASKLIKE),
        Keyword("register", _S_, _TASKLIKE),
        Keyword("retries", _I_, _TASKLIKE),
        Keyword("until", _L_, _TASKLIKE),
        Keyword("listen", _L_, _H),
        # Blocks.
        Keyword("block", _L_, _B),
        Keyword("rescue", _L_, _B),
        Keyword("always", _L_, _B),
        # Plays.
        Keyword("hosts", _L_, _P),
        Keyword("gather_facts", _B_, _P),
        Keyword("gather_subset", _L_, _P),
        Keyword("gather_timeout", _I_, _P),
        Keyword("fact_path", _S_, _P),
        Keyword("force_handlers", _B_, _P),
        Keyword("max_fail_percentage", Type.PERCENT, _P),
        Keyword("order", _S_, _P),
        Keyword("serial", _L_, _P),
        Keyword("strategy", _S_, _P),
        Keyword("roles", _L_, _P),
        Keyword("pre_tasks", _L_, _P),
        Keyword("tasks", _L_, _P),
        Keyword("post_tasks", _L_, _P),
        Keyword("handlers", _L_, _P),
        Keyword("vars_files", _L_, _P),
        Keyword("vars_prompt", _L_, _P),
        Keyword("user", _S_, _P),  # old spelling of remote_user, rewritten by Play's preprocessing
        # import_playbook entries.
        Keyword("import_playbook", _S_, _I),
        # roles: entries (any other key of an entry is a parameter of the role).
        Keyword("role", _S_, _R),
    )
}


def keywords_for(context: Context) -> frozenset[str]:
    bits = context.value  # ints: Flag.__and__ is Python code, called once per keyword per table
    return frozenset(k.name for k in KEYWORDS.values() if k.contexts.value & bits)


TASK_KEYWORDS = keywords_for(Context.TASK)
HANDLER_KEYWORDS = keywords_for(Context.HANDLER)
BLOCK_KEYWORDS = keywords_for(Context.BLOCK)
PLAY_KEYWORDS = keywords_for(Context.PLAY)
IMPORT_PLAYBOOK_KEYWORDS = keywords_for(Context.IMPORT_PLAYBOOK)
ROLE_ENTRY_KEYWORDS = keywords_for(Context.ROLE)

# Keys that are never a module name in a task (ansible-core: Task ∪ Handler attributes plus these two).
NOT_MODULE_KEYS = TASK_KEYWORDS | HANDLER_KEYWORDS | {"local_action", "static"}

# Any of these makes a list item a block at the top level of a section (ansible-core's Block.is_block).
BLOCK_SECTIONS = ("block", "rescue", "always")

# Play sections that hold tasks, in ansible-core's order.
PLAY_TASK_SECTIONS = ("pre_tasks", "tasks", "post_tasks", "handlers")

LOOP_PREFIX = "with_"


def internal_fqcns(*names: str) -> frozenset[str]:
    """A short builtin name plus its ``ansible.builtin.`` and ``ansible.legacy.`` spellings."""
    return frozenset(f"{ns}{n}" for n in names for ns in ("", "ansible.builtin.", "ansible.legacy."))


# Modules whose free text is a command line; only FREE_FORM_KV_OPTIONS are split out of it.
FREE_FORM_MODULES = internal_fqcns("command", "raw", "script", "shell", "win_command", "win_shell") | {
    "ansible.windows.win_command",
    "ansible.windows.win_shell",
}

# Actions that accept a bare string (kept as the free-form/_raw_params argument).
RAW_PARAM_MODULES = FREE_FORM_MODULES | internal_fqcns(
    "include_vars", "include_tasks", "include_role", "import_tasks", "import_role",
    "add_host", "group_by", "set_fact", "meta",
)

INCLUDE_TASKS_ACTIONS = internal_fqcns("include_tasks")
IMPORT_TASKS_ACTIONS = internal_fqcns("import_tasks")
INCLUDE_ROLE_ACTIONS = internal_fqcns("include_role")
IMPORT_ROLE_ACTIONS = internal_fqcns("import_role")
IMPORT_PLAYBOOK_ACTIONS = internal_fqcns("import_playbook")
TASK_INCLUDE_ACTIONS = INCLUDE_TASKS_ACTIONS | IMPORT_TASKS_ACTIONS
ROLE_INCLUDE_ACTIONS = INCLUDE_ROLE_ACTIONS | IMPORT_ROLE_ACTIONS
DYNAMIC_INCLUDE_ACTIONS = INCLUDE_TASKS_ACTIONS | INCLUDE_ROLE_ACTIONS
REMOVED_INCLUDE_ACTIONS = internal_fqcns("include")  # removed in ansible-core 2.16
META_ACTIONS = internal_fqcns("meta")


class Templating(enum.Enum):
    """How ansible-core 2.19 templates a keyword's value (shep.validate.checks._templates reads it)."""

    TEMPLATE = "template"  # templated each time the object runs (post_validate, the executor): errors fail it
    CONDITIONAL = "conditional"  # each string is a conditional (TemplateEngine.evaluate_conditional)
    LAZY = "lazy"  # templated only where it is used: vars values, module_defaults (a matching module)
    NEVER = "never"  # never templated: static attributes, lookup names, sections, role entries (not read)


# The value of each keyword (task ``name`` is TEMPLATE here, but its errors only warn: Task._post_validate_name
# templates it with a replacing marker behavior). loop_control is read key by key (LOOP_CONTROL_TEMPLATING);
# action and args hold the module's arguments, judged by the action (checks/_templates.py).
KEYWORD_TEMPLATING: dict[str, Templating] = {
    name: Templating.TEMPLATE for name in KEYWORDS
} | {
    "when": Templating.CONDITIONAL, "changed_when": Templating.CONDITIONAL, "failed_when": Templating.CONDITIONAL,
    "until": Templating.CONDITIONAL,
    "vars": Templating.LAZY, "module_defaults": Templating.LAZY,
    # static=True attributes (Base.post_validate_attribute skips them), the with_ lookup's name, task lists,
    # and what shep does not read: role entries (RoleInclude) and vars_prompt (prompted at play start).
    "collections": Templating.NEVER, "register": Templating.NEVER, "listen": Templating.NEVER,
    "loop_with": Templating.NEVER, "block": Templating.NEVER, "rescue": Templating.NEVER, "always": Templating.NEVER,
    "pre_tasks": Templating.NEVER, "tasks": Templating.NEVER, "post_tasks": Templating.NEVER,
    "handlers": Templating.NEVER, "roles": Templating.NEVER, "role": Templating.NEVER,
    "vars_prompt": Templating.NEVER, "action": Templating.NEVER, "args": Templating.NEVER,
    "loop_control": Templating.NEVER,
}
# LoopControl's attributes: break_when is a conditional, the others are post-validated when the loop runs.
LOOP_CONTROL_TEMPLATING: dict[str, Templating] = {
    "loop_var": Templating.TEMPLATE, "index_var": Templating.TEMPLATE, "label": Templating.TEMPLATE,
    "pause": Templating.TEMPLATE, "extended": Templating.TEMPLATE, "extended_allitems": Templating.TEMPLATE,
    "break_when": Templating.CONDITIONAL,
}


# Jinja's block delimiters, opening and closing, as ansible-core looks for them (is_possibly_template).
JINJA_PAIRS: tuple[tuple[str, str], ...] = (("{{", "}}"), ("{%", "%}"), ("{#", "#}"))
JINJA_OPENERS = tuple(opener for opener, _closer in JINJA_PAIRS)
JINJA_CLOSERS = tuple(closer for _opener, closer in JINJA_PAIRS)

# The strings ansible-core's boolean() converts (module_utils.parsing.convert_bool), compared lowercased.
ANSIBLE_TRUE_WORDS = ("y", "yes", "on", "1", "true", "t")
ANSIBLE_FALSE_WORDS = ("n", "no", "off", "0", "false", "f")
