"""The keyword table: for each keyword, the values ansible-core 2.19 accepts and its message for the others.

Every keyword of :data:`shep.keywords.KEYWORDS` gets a :class:`KeywordSpec`: rules pairing a
shape of accepted values (:mod:`shep.validate.shapes`, :mod:`shep.validate.accepted_values`)
with the message ansible-core gives for a value outside it, in its own wording (``"The value
'maybe' could not be converted to 'bool'."``). The checks read it through
:func:`keyword_problems`; :mod:`shep.validate.json_schemas` turns the same shapes into the JSON
Schemas, so the two cannot drift.

The messages and the table share this module because they refer to each other: a message finds
the first bad item with the table's shapes (``roles``, ``vars`` names, ``loop_control`` fields).
"""

from __future__ import annotations

import enum
from functools import cached_property

from shep._records import record
from shep.keywords import KEYWORDS, Type
from shep.loader.values import Vault
from shep.validate.accepted_values import (
    ALL_TEMPLATE_RE,
    BOOLISH,
    CONDITIONAL,
    FLOATISH,
    INTISH,
    NULL,
    OPAQUE,
    PERCENTISH,
    SCALAR,
    SERIAL_RE,
    STRING,
    VARIABLE_NAME_RE,
)
from shep.validate.shapes import (
    LOADER_CLASSES,
    Anything,
    Array,
    Enum,
    Obj,
    Pattern,
    Shape,
    TypeOf,
    any_of,
    key_text,
    named,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    # A message builder gets (keyword, value, owner class name) and returns the message text.
    Message = Callable[[str, Any, str], str]


# -- messages --------------------------------------------------------------------------------


def bool_option_problem(option: str, value: Any) -> str | None:
    """ansible-core's message for a bool option of a role include it cannot convert (``public: maybe``)."""
    return None if BOOLISH.accepts(value) else _convert("bool")(option, value, "IncludeRole")


def type_name(value: Any) -> str:
    """Python's name for the type of a YAML value, as ansible-core's messages show it."""
    if isinstance(value, str):
        return "str"
    if isinstance(value, Vault):
        return "EncryptedString"
    return type(value).__name__


def value_repr(value: Any) -> str:
    return str.__repr__(value) if isinstance(value, str) else repr(value)


def _class_repr(value: Any) -> str:
    return f"<class '{type_name(value)}'>"


def _convert(isa: str) -> Message:
    def message(keyword: str, value: Any, owner: str) -> str:
        return (f"Error processing keyword {keyword!r}: "
                f"The value {value_repr(value)} could not be converted to {isa!r}.")
    return message


def _string_field(keyword: str, value: Any, owner: str) -> str:
    return (f"The field {keyword!r} is supposed to be a string type, "
            f"however the incoming data structure is a {_class_repr(value)}")


def _items_of(item: Shape, allowed: str, prefix: bool = True) -> Message:
    """ansible-core's ``listof`` message, for the first item outside ``item``."""
    def message(keyword: str, value: Any, owner: str) -> str:
        items = value if isinstance(value, list) else [value]
        bad = next((i for i in items if not item.accepts(i)), value)
        text = f"Keyword {keyword!r} items must be of type {allowed}, not {type_name(bad)!r}."
        return f"Error processing keyword {keyword!r}: {text}" if prefix else text
    return message


# A tag is a string or an int (bools are ints; a null item is dropped). A nested list fails
# post_validate when the task runs ("items must be of type 'str' or 'int', not 'list'").
TAG_ITEM = TypeOf(("string", "integer", "boolean", "null"))


def _fixed(text: str) -> Message:
    return lambda keyword, value, owner: text


def _conditional(keyword: str, value: Any, owner: str) -> str:
    return "Conditional expressions must be strings."


def _tags(keyword: str, value: Any, owner: str) -> str:
    if not isinstance(value, (list, str)):
        return "tags must be specified as a list"
    return _items_of(TAG_ITEM, "'str' or 'int'")(keyword, value, owner)


def _vars(keyword: str, value: Any, owner: str) -> str:
    return f"Vars in a {owner} must be specified as a dictionary."


def _variable_names(keyword: str, value: Any, owner: str) -> str:
    names = value if isinstance(value, dict) else {}
    bad = next((k for k in names if not _NAME.accepts(key_text(k))), None)
    return variable_name_message(bad)


def variable_name_message(name: Any) -> str:
    """ansible.utils.vars.validate_variable_name's message."""
    if isinstance(name, (str, int, float, bool, type(None))):
        text = f"Invalid variable name {str(name)!r}"
    else:
        text = "Invalid variable name"
    if not isinstance(name, str):
        text += f" of type {type_name(name)!r}"
    return text + "."


def _register(keyword: str, value: Any, owner: str) -> str:
    return f"Invalid 'register' specified: {variable_name_message(value)}"


def _loop(keyword: str, value: Any, owner: str) -> str:
    return f"The `loop` value must resolve to a 'list', not {type_name(value)!r}."


_LOOP_CONTROL_FIELDS: tuple[tuple[str, Type], ...] = (
    ("loop_var", Type.STR), ("index_var", Type.STR), ("label", Type.STR), ("pause", Type.FLOAT),
    ("extended", Type.BOOL), ("extended_allitems", Type.BOOL), ("break_when", Type.LIST),
)


def _loop_control(keyword: str, value: Any, owner: str) -> str:
    if not isinstance(value, dict):
        return ("the `loop_control` value must be specified as a dictionary and cannot be a variable "
                "itself (though it can contain variables)")
    fields = dict(_LOOP_CONTROL_FIELDS)
    unknown = next((key_text(k) for k in value if key_text(k) not in fields), None)
    if unknown is not None:  # checked when the task loads, before the values
        return f"{unknown!r} is not a valid attribute for a LoopControl"
    for key, item in value.items():
        shape, message = _loop_control_field(key_text(key), fields[key_text(key)])
        if not shape.accepts(item):
            return message(key_text(key), item, "LoopControl")
    return "invalid loop_control"


def _loop_control_field(name: str, isa: Type) -> tuple[Shape, Message]:
    if name == "break_when":  # a conditional, as when/until are
        return CONDITIONAL, _conditional
    return _by_type(isa)


_DEBUGGER_VALUES = ("always", "never", "on_failed", "on_skipped", "on_unreachable")


def _debugger(keyword: str, value: Any, owner: str) -> str:
    if isinstance(value, (list, dict)):
        return _string_field(keyword, value, owner)
    return (f"Error processing keyword 'debugger': '{value}' is not a valid value for debugger. "
            f"Must be one of {', '.join(_DEBUGGER_VALUES)}")


_ORDER_VALUES = ("inventory", "sorted", "reverse_sorted", "reverse_inventory", "shuffle")


def _order(keyword: str, value: Any, owner: str) -> str:
    if isinstance(value, (list, dict)):
        return _string_field(keyword, value, owner)
    return f"Invalid 'order' specified for inventory hosts: {value}"


def _hosts(keyword: str, value: Any, owner: str) -> str:
    if not value:
        return "Hosts list cannot be empty. Please check your playbook"
    if isinstance(value, list):
        if any(entry is None for entry in value):
            return "Hosts list cannot contain values of 'None'. Please check your playbook"
        bad = next(entry for entry in value if not STRING.accepts(entry))
        return f"Hosts list contains an invalid host value: '{bad!s}'"
    return "Hosts list must be a sequence or string. Please check your playbook."


def _module_defaults(keyword: str, value: Any, owner: str) -> str:
    return ("The field 'module_defaults' is supposed to be a dictionary or list of dictionaries, the keys of "
            "which must be static action, module, or group names. Only the values may contain templates. "
            "For example: {'ping': \"{{ ping_defaults }}\"}")


def _roles(keyword: str, value: Any, owner: str) -> str:
    if not isinstance(value, list):
        return "A malformed role declaration was encountered."
    for item in value:
        if _ROLE_ITEM.accepts(item):
            continue
        if isinstance(item, dict):
            return "role definitions must contain a role name"
        if isinstance(item, str):
            return f"Invalid old style role requirement: {item}"
        return "Invalid role definition."
    return "Invalid role definition."


_PROMPT_KEYS = ("name", "prompt", "default", "private", "confirm", "encrypt", "salt_size", "salt", "unsafe")


def _vars_prompt(keyword: str, value: Any, owner: str) -> str:
    items = [value] if isinstance(value, dict) else value if isinstance(value, list) else None
    if items is None or not all(isinstance(i, dict) for i in items):
        return "Invalid variable file contents."
    for item in items:
        if "name" not in item:
            return "Invalid vars_prompt data structure, missing 'name' key"
        for key in item:
            if key not in _PROMPT_KEYS:
                return f"Invalid vars_prompt data structure, found unsupported key '{key}'"
    return "Invalid vars_prompt data structure"


def _serial(keyword: str, value: Any, owner: str) -> str:
    return (f"Invalid 'serial' value {value_repr(value)}: use a number of hosts, a percentage such as '30%', "
            "or a list of them")


def _import_playbook(keyword: str, value: Any, owner: str) -> str:
    if value is None:
        return "The field 'import_playbook' is required but was not set."
    return _string_field(keyword, value, owner)


# -- the table -------------------------------------------------------------------------------


class Finding(enum.Enum):
    """What a rule says is wrong with a value outside it.

    Each finding is one check's to report, under that check's own code: the table says what is
    wrong, the check how it is reported (codes live with their checks, in validate/checks/).
    """

    BAD_TYPE = "bad-type"  # checks/keyword_type.py
    BAD_VARIABLE_NAME = "bad-variable-name"  # checks/variable_name.py


@record(slots=False)
class ValueRule:
    """One accepted shape of a keyword's value; a value outside it is a ``finding``, told in ``message``.

    Not :class:`shep.diagnostics.Rule` (a registered diagnostic code): a keyword may have several
    value rules, all reported by the two checks that read this table.
    """

    shape: Shape
    message: Message
    finding: Finding = Finding.BAD_TYPE


@record(slots=False)
class KeywordSpec:
    name: str
    rules: tuple[ValueRule, ...] = ()
    # Schema-only constraint for values another layer checks (detection: action, args...).
    schema_only: Shape | None = None

    @cached_property
    def _always_accepted(self) -> frozenset[type]:
        """The loader's classes whose every value passes every rule (``name: some text``, ``become: true``)."""
        return frozenset(cls for cls in LOADER_CLASSES if all(rule.shape.accepts_all_of(cls) for rule in self.rules))

    def problems(self, value: Any, owner: str) -> list[tuple[Finding, str]]:
        """(finding, message) for each rule the value breaks."""
        if type(value) in self._always_accepted:  # most values: no shape to walk
            return []
        found = []
        for rule in self.rules:
            if not rule.shape.accepts(value):
                found.append((rule.finding, rule.message(self.name, value, owner)))
        return found

    def json_schema(self) -> dict[str, Any]:
        parts = [rule.shape.json_schema() for rule in self.rules]
        if self.schema_only is not None:
            parts.append(self.schema_only.json_schema())
        parts = [p for p in parts if p]
        if not parts:
            return {}
        return parts[0] if len(parts) == 1 else {"allOf": parts}


def _by_type(isa: Type) -> tuple[Shape, Message]:
    if isa is Type.BOOL:
        return BOOLISH, _convert("bool")
    if isa is Type.INT:
        return INTISH, _convert("int")
    if isa is Type.FLOAT:
        return FLOATISH, _convert("float")
    if isa is Type.PERCENT:
        return PERCENTISH, _convert("percent")
    if isa is Type.STR:
        return SCALAR, _string_field
    return Anything(), _fixed("")


_NAME = named("variable-name", Pattern(VARIABLE_NAME_RE))
_NOTIFY_ITEM = TypeOf(("string", "null"))
_STR_LIST = named("string-list", any_of(TypeOf(("string", "null")), Array(STRING)))
_ROLE_NAME = TypeOf(("string",), min_length=1)
_ROLE_ITEM = any_of(
    Pattern(r"^[^,]*$"),
    Obj(when_key="role", then=Obj(properties=(("role", _ROLE_NAME),)),
        otherwise=Obj(properties=(("name", _ROLE_NAME),), required=("name",))),
)
_PROMPT = Obj(properties=tuple((k, Anything()) for k in _PROMPT_KEYS), additional=False, required=("name",))
_SERIAL_ITEM = any_of(TypeOf(("number", "boolean", "null")), Pattern(SERIAL_RE), OPAQUE)

_LOOP_CONTROL = named("loop_control", Obj(properties=tuple((k, _loop_control_field(k, t)[0])
                                                          for k, t in _LOOP_CONTROL_FIELDS),
                                           additional=False))

_OVERRIDES: dict[str, tuple[ValueRule, ...]] = {
    "tags": (ValueRule(named("tags", any_of(STRING, Array(TAG_ITEM))), _tags),),
    "when": (ValueRule(CONDITIONAL, _conditional),),
    "changed_when": (ValueRule(CONDITIONAL, _conditional),),
    "failed_when": (ValueRule(CONDITIONAL, _conditional),),
    "until": (ValueRule(CONDITIONAL, _conditional),),
    # ansible-core never checks notify's items: it looks them up when the task changes, and a name
    # it cannot find is V003's business. Editors still get the shape (schema only).
    "notify": (),
    "listen": (ValueRule(_STR_LIST, _items_of(STRING, "'str'", False)),),
    "collections": (ValueRule(_STR_LIST, _items_of(STRING, "'str'", False)),),
    "gather_subset": (ValueRule(_STR_LIST, _items_of(STRING, "'str'")),),
    "hosts": (ValueRule(any_of(TypeOf(("string",), min_length=1), Array(STRING, min_items=1)), _hosts),),
    "vars": (
        ValueRule(TypeOf(("object", "null")), _vars),
        ValueRule(any_of(TypeOf(("null", "string", "number", "boolean", "array")), Obj(names=_NAME)),
                  _variable_names, Finding.BAD_VARIABLE_NAME),
    ),
    "register": (ValueRule(any_of(NULL, _NAME), _register, Finding.BAD_VARIABLE_NAME),),
    "module_defaults": (ValueRule(any_of(TypeOf(("object", "null")), Array(TypeOf(("object",)))), _module_defaults),),
    "loop": (ValueRule(any_of(TypeOf(("array", "null")), OPAQUE), _loop),),
    "loop_control": (ValueRule(_LOOP_CONTROL, _loop_control),),
    "debugger": (ValueRule(any_of(TypeOf(("number", "boolean", "null")), Enum(("", *_DEBUGGER_VALUES)), OPAQUE),
                           _debugger),),
    "order": (ValueRule(any_of(NULL, Enum(_ORDER_VALUES), OPAQUE), _order),),
    "roles": (ValueRule(named("roles", any_of(NULL, Array(_ROLE_ITEM))), _roles),),
    "vars_prompt": (ValueRule(named("vars_prompt", any_of(NULL, _PROMPT, Array(_PROMPT))), _vars_prompt),),
    "serial": (ValueRule(named("serial", any_of(_SERIAL_ITEM, Array(_SERIAL_ITEM))), _serial),),
    "import_playbook": (ValueRule(TypeOf(("string", "number", "boolean")), _import_playbook),),
    # Checked by module detection (D004/D005) and the model builder (M002), not here.
    "action": (),
    "args": (),
    "block": (),
    "rescue": (),
    "always": (),
    "pre_tasks": (),
    "tasks": (),
    "post_tasks": (),
    "handlers": (),
}

_SCHEMA_ONLY: dict[str, Shape] = {
    "notify": any_of(_NOTIFY_ITEM, Array(_NOTIFY_ITEM)),
    "action": TypeOf(("string", "object")),
    "args": any_of(TypeOf(("object", "null")), Pattern(ALL_TEMPLATE_RE)),
}


def _spec(name: str, isa: Type) -> KeywordSpec:
    if name in _OVERRIDES:
        return KeywordSpec(name, _OVERRIDES[name], _SCHEMA_ONLY.get(name))
    shape, message = _by_type(isa)
    return KeywordSpec(name, (ValueRule(shape, message),) if not isinstance(shape, Anything) else ())


KEYWORD_SPECS: dict[str, KeywordSpec] = {name: _spec(name, kw.type) for name, kw in KEYWORDS.items()}
LOCAL_ACTION_SPEC = KeywordSpec("local_action", schema_only=TypeOf(("string", "object")))


def keyword_problems(keyword: str, value: Any, owner: str) -> list[tuple[Finding, str]]:
    """Every (finding, message) for one keyword value; ``owner`` is ansible's class name (Task, Play…)."""
    spec = KEYWORD_SPECS.get(keyword)
    return spec.problems(value, owner) if spec is not None else []


def always_accepted(keyword: str) -> frozenset[type]:
    """The loader's classes whose every value ``keyword_problems`` accepts for ``keyword``, whatever it is."""
    spec = KEYWORD_SPECS.get(keyword)
    return spec._always_accepted if spec is not None else LOADER_CLASSES


__all__ = [
    "KEYWORD_SPECS", "LOCAL_ACTION_SPEC", "Finding", "KeywordSpec", "ValueRule", "always_accepted",
    "bool_option_problem", "keyword_problems", "type_name",
]
