"""Keyword value shapes: one table that yields both the fast type checks and the JSON Schemas.

Every keyword of :data:`shep.keywords.KEYWORDS` gets a :class:`KeywordSpec`: the shapes of the
values ansible-core 2.19 accepts for it, each paired with ansible-core's message for a value
outside that shape. A shape is a tiny JSON-Schema-like value (``TypeOf``, ``Pattern``, ``Enum``,
``Array``, ``Obj``, ``AnyOf``, ``Ref``) with two faces:

* ``accepts(value)`` checks a value of the model directly (fast, no jsonschema import), and
* ``json()`` emits the same shape as a draft 2020-12 fragment for ``schema/*.schema.json``.

Both faces read YAML values the way an editor does: dates, ``!vault`` and ``!!binary`` values
are strings (see :func:`to_json`). A templated string (``"{{ x }}"``) is accepted wherever a
bool, number or enum is, since its value is only known at run time.

The generated schemas are committed (``schema/``, copied to ``shep/_schemas/``) by
``scripts/gen_schemas.py``; :func:`schema_for` reads the packaged copy.
"""

from __future__ import annotations

import abc
import base64
import datetime as dt
import re
from collections.abc import Callable, Mapping
from functools import cache, cached_property

from shep._records import field, record
from shep.keywords import (
    BLOCK_KEYWORDS,
    BLOCK_SECTIONS,
    HANDLER_KEYWORDS,
    IMPORT_PLAYBOOK_ACTIONS,
    IMPORT_PLAYBOOK_KEYWORDS,
    KEYWORDS,
    LOOP_PREFIX,
    NOT_MODULE_KEYS,
    PLAY_KEYWORDS,
    PLAY_TASK_SECTIONS,
    TASK_KEYWORDS,
    Type,
)
from shep.loader.values import Vault

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

    # Type aliases for type checkers only: typing is not worth its start-up at run time.
    SchemaKind = Literal["tasks", "handlers", "playbook"]
    # A message builder gets (keyword, value, owner class name) and returns the message text.
    Message = Callable[[str, Any, str], str]

SCHEMA_KINDS: tuple[SchemaKind, ...] = ("tasks", "handlers", "playbook")
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Codes of the two checks that read this table (their modules live in validate/checks/).
TYPE_CODE = "V014"
NAME_CODE = "V015"

# -- value normalisation ---------------------------------------------------------------------

_VAULT_PREFIX = "$ANSIBLE_VAULT;"


def _text(value: Any) -> str | None:
    """The string an editor sees for a scalar YAML value, or None when it is not a string."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Vault):
        text = value.ciphertext
        return text if text.startswith(_VAULT_PREFIX) else _VAULT_PREFIX + text
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return None


# The JSON type of the exact classes the loader builds: one lookup instead of a chain of isinstance.
_JSON_TYPE_OF_CLASS: dict[type, str] = {
    type(None): "null", bool: "boolean", int: "integer", float: "number", list: "array", tuple: "array",
    dict: "object", str: "string",
}


def json_type(value: Any) -> str:
    """The JSON type of a model value ("integer" for ints, "number" for floats)."""
    kind = _JSON_TYPE_OF_CLASS.get(type(value))
    if kind is not None:
        return kind
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    if _text(value) is not None:
        return "string"
    return "unknown"


def to_json(value: Any) -> Any:
    """A model value as the JSON instance the schemas describe (keys stringified, dates as text)."""
    if isinstance(value, dict):
        return {_key(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = _text(value)
    return text if text is not None else repr(value)


def _key(key: Any) -> str:
    """A mapping key as a string (a null or bool key keeps Python's spelling: never a valid variable name)."""
    text = _text(key)
    return text if text is not None else str(key)


# -- shapes ----------------------------------------------------------------------------------


class Shape(abc.ABC):
    """A set of accepted values, checkable in Python and expressible as JSON Schema."""

    @abc.abstractmethod
    def accepts(self, value: Any) -> bool:
        """True when Ansible accepts ``value`` here."""

    @abc.abstractmethod
    def json(self) -> dict[str, Any]:
        """The same set as a JSON Schema fragment."""

    def accepts_all_of(self, cls: type) -> bool:
        """True when every value of exactly class ``cls`` is accepted, whatever it is (False: it depends)."""
        return False


@record(slots=False)
class Anything(Shape):
    def accepts(self, value: Any) -> bool:
        return True

    def accepts_all_of(self, cls: type) -> bool:
        return True

    def json(self) -> dict[str, Any]:
        return {}


@record(slots=False)
class TypeOf(Shape):
    """JSON types, with JSON Schema's rules: "integer" matches 2.0, "number" matches integers."""

    types: tuple[str, ...]
    min_length: int | None = None  # for strings

    def accepts(self, value: Any) -> bool:
        kind = json_type(value)
        if not (kind in self.types
                or (kind == "integer" and "number" in self.types)
                or (kind == "number" and "integer" in self.types and float(value).is_integer())):
            return False
        if kind == "string" and self.min_length is not None:
            return len(_text(value) or "") >= self.min_length
        return True

    def accepts_all_of(self, cls: type) -> bool:
        kind = _JSON_TYPE_OF_CLASS.get(cls)
        if kind == "string" and self.min_length is not None:
            return False
        return kind in self.types or (kind == "integer" and "number" in self.types)

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.types[0] if len(self.types) == 1 else list(self.types)}
        if self.min_length is not None:
            out["minLength"] = self.min_length
        return out


@record(slots=False)
class Pattern(Shape):
    """A string matching ``regex`` (searched, as JSON Schema's ``pattern``)."""

    regex: str

    def accepts(self, value: Any) -> bool:
        text = _text(value)
        return text is not None and _compiled(self.regex).search(text) is not None

    def json(self) -> dict[str, Any]:
        return {"type": "string", "pattern": self.regex}


@cache
def _compiled(regex: str) -> re.Pattern[str]:
    return re.compile(regex)


@record(slots=False)
class Enum(Shape):
    values: tuple[str, ...]

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str) and str(value) in self.values

    def json(self) -> dict[str, Any]:
        return {"enum": list(self.values)}


@record(slots=False)
class Array(Shape):
    items: Shape = field(default_factory=Anything)
    min_items: int | None = None

    def accepts(self, value: Any) -> bool:
        if not isinstance(value, (list, tuple)):
            return False
        if self.min_items is not None and len(value) < self.min_items:
            return False
        return all(self.items.accepts(item) for item in value)

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "array"}
        items = self.items.json()
        if items:
            out["items"] = items
        if self.min_items is not None:
            out["minItems"] = self.min_items
        return out


@record(slots=False)
class Obj(Shape):
    """A mapping: known ``properties``, other keys allowed or not, names matching ``names``."""

    properties: tuple[tuple[str, Shape], ...] = ()
    additional: bool = True
    required: tuple[str, ...] = ()
    names: Shape | None = None
    # if ``when_key`` is present, ``then`` applies, else ``otherwise``
    when_key: str | None = None
    then: Shape | None = None
    otherwise: Shape | None = None

    def accepts(self, value: Any) -> bool:
        if not isinstance(value, dict):
            return False
        props = dict(self.properties)
        for key, item in value.items():
            name = _key(key)
            if self.names is not None and not self.names.accepts(name):
                return False
            if name in props:
                if not props[name].accepts(item):
                    return False
            elif not self.additional:
                return False
        names = {_key(k) for k in value}
        if any(r not in names for r in self.required):
            return False
        if self.when_key is not None:
            branch = self.then if self.when_key in names else self.otherwise
            if branch is not None and not branch.accepts(value):
                return False
        return True

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "object"}
        if self.properties:
            out["properties"] = {name: shape.json() for name, shape in self.properties}
        if not self.additional:
            out["additionalProperties"] = False
        if self.required:
            out["required"] = list(self.required)
        if self.names is not None:
            out["propertyNames"] = self.names.json()
        if self.when_key is not None:
            out["if"] = {"required": [self.when_key]}
            if self.then is not None:
                out["then"] = self.then.json()
            if self.otherwise is not None:
                out["else"] = self.otherwise.json()
        return out


@record(slots=False)
class AnyOf(Shape):
    options: tuple[Shape, ...]

    def accepts(self, value: Any) -> bool:
        for option in self.options:  # a loop, not any(): this runs for most keyword values
            if option.accepts(value):
                return True
        return False

    def accepts_all_of(self, cls: type) -> bool:
        return any(option.accepts_all_of(cls) for option in self.options)

    def json(self) -> dict[str, Any]:
        return {"anyOf": [option.json() for option in self.options]}


def any_of(*options: Shape) -> AnyOf:
    return AnyOf(tuple(options))


# Named shapes become ``$defs`` entries of the schemas, referenced by ``$ref``.
NAMED_SHAPES: dict[str, Shape] = {}


@record(slots=False)
class Ref(Shape):
    name: str

    def accepts(self, value: Any) -> bool:
        return NAMED_SHAPES[self.name].accepts(value)

    def accepts_all_of(self, cls: type) -> bool:
        return NAMED_SHAPES[self.name].accepts_all_of(cls)

    def json(self) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{self.name}"}


def named(name: str, shape: Shape) -> Ref:
    NAMED_SHAPES[name] = shape
    return Ref(name)


# -- the accepted values, as ansible-core 2.19 converts them -----------------------------------


def _ci(word: str) -> str:
    """A case-insensitive spelling of ``word`` usable in both Python and ECMA-262 regexes."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


# A string that may become anything at run time: a Jinja template or a vaulted value.
TEMPLATE_RE = r"\{\{|\{%|\{#"
OPAQUE_RE = TEMPLATE_RE + r"|^\$ANSIBLE_VAULT;"
# ansible.module_utils.parsing.convert_bool: BOOLEANS (strings compared lower-cased and stripped).
_BOOL_WORDS = ("y", "yes", "on", "1", "true", "t", "n", "no", "off", "0", "false", "f")
BOOL_RE = r"^\s*(" + "|".join(_ci(w) for w in _BOOL_WORDS) + r")\s*$"
_DIGITS = r"[0-9](_?[0-9])*"  # float()/int(): single underscores between digits
_LOOSE = r"[0-9_]*[0-9][0-9_]*"  # decimal.Decimal() drops underscores anywhere
# int(decimal.Decimal(s)) without truncation: integral decimals (a zero fraction); with an exponent,
# any decimal (integrality then depends on the digits: accepted rather than risk a false error).
INT_RE = (rf"^\s*_*[+-]?({_LOOSE}(\.[0_]*)?|_*\.[0_]*0[0_]*"
          rf"|({_LOOSE}(\.[0-9_]*)?|[0-9_]*\.{_LOOSE})[eE][+-]?{_LOOSE})\s*$")
_FLOAT_BODY = (rf"({_DIGITS}(\.({_DIGITS})?)?|\.{_DIGITS})([eE][+-]?{_DIGITS})?"
               rf"|{_ci('inf')}({_ci('inity')})?|{_ci('nan')}")
FLOAT_RE = rf"^\s*[+-]?({_FLOAT_BODY})\s*$"
# float(s.replace("%", "")): a float with a trailing %, or (permissively) any numeric-looking text with a %.
PERCENT_RE = rf"^\s*[+-]?({_FLOAT_BODY})\s*%?\s*$|^[0-9_.eE+\-\s%infatyINFATY]*%[0-9_.eE+\-\s%infatyINFATY]*$"
SERIAL_RE = rf"^\s*[+-]?{_DIGITS}\s*%?$"
_JINJA_KEYWORDS = ("False", "None", "True", "false", "none", "not")
VARIABLE_NAME_RE = r"^(?!(" + "|".join(_JINJA_KEYWORDS) + r")$)[A-Za-z_][A-Za-z0-9_]*$"
# ansible-core's is_possibly_all_template (a templated `args:`).
ALL_TEMPLATE_RE = r"^(#jinja2:[\s\S]*|(\{\{|\{%|\{#)[\s\S]*(\}\}|%\}|#\}))$"

OPAQUE = named("templated", Pattern(OPAQUE_RE))
NULL = TypeOf(("null",))
SCALAR = named("string", TypeOf(("string", "number", "boolean", "null")))  # ansible's to_text() takes any scalar
STRING = TypeOf(("string",))
CONDITIONAL_ITEM = TypeOf(("string", "boolean", "null"))
CONDITIONAL = named("conditional", any_of(CONDITIONAL_ITEM, Array(CONDITIONAL_ITEM)))


@record(slots=False)
class _ZeroOne(Shape):
    """The numbers 0 and 1 (ansible's BOOLEANS hold 0, 1, 0.0 and 1.0)."""

    def accepts(self, value: Any) -> bool:
        return not isinstance(value, bool) and isinstance(value, (int, float)) and value in (0, 1)

    def json(self) -> dict[str, Any]:
        return {"enum": [0, 1]}


BOOLISH = named("bool", any_of(TypeOf(("boolean", "null")), _ZeroOne(), Pattern(BOOL_RE), OPAQUE))
INTISH = named("int", any_of(TypeOf(("integer", "boolean", "null")), Pattern(INT_RE), OPAQUE))
FLOATISH = named("float", any_of(TypeOf(("number", "boolean", "null")), Pattern(FLOAT_RE), OPAQUE))
PERCENTISH = named("percent", any_of(TypeOf(("number", "boolean", "null")), Pattern(PERCENT_RE), OPAQUE))


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
    bad = next((k for k in names if not _NAME.accepts(_key(k))), None)
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
    unknown = next((_key(k) for k in value if _key(k) not in fields), None)
    if unknown is not None:  # checked when the task loads, before the values
        return f"{unknown!r} is not a valid attribute for a LoopControl"
    for key, item in value.items():
        shape, message = _loop_control_field(_key(key), fields[_key(key)])
        if not shape.accepts(item):
            return message(_key(key), item, "LoopControl")
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


@record(slots=False)
class Rule:
    """One accepted shape of a keyword's value; a value outside it gets ``message`` under ``code``."""

    shape: Shape
    message: Message
    code: str = TYPE_CODE


@record(slots=False)
class KeywordSpec:
    name: str
    rules: tuple[Rule, ...] = ()
    # Schema-only constraint for values another layer checks (detection: action, args...).
    schema_only: Shape | None = None

    @cached_property
    def _always_accepted(self) -> frozenset[type]:
        """The loader's classes whose every value passes every rule (``name: some text``, ``become: true``)."""
        return frozenset(cls for cls in _JSON_TYPE_OF_CLASS if all(rule.shape.accepts_all_of(cls) for rule in self.rules))

    def problems(self, value: Any, owner: str) -> list[tuple[str, str]]:
        """(code, message) for each rule the value breaks."""
        if type(value) in self._always_accepted:  # most values: no shape to walk
            return []
        found = []
        for rule in self.rules:
            if not rule.shape.accepts(value):
                found.append((rule.code, rule.message(self.name, value, owner)))
        return found

    def json(self) -> dict[str, Any]:
        parts = [rule.shape.json() for rule in self.rules]
        if self.schema_only is not None:
            parts.append(self.schema_only.json())
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

_LOOP_CONTROL = named("loop_control", Obj(properties=tuple((k, _loop_control_field(k, t)[0]) for k, t in _LOOP_CONTROL_FIELDS),
                                           additional=False))

_OVERRIDES: dict[str, tuple[Rule, ...]] = {
    "tags": (Rule(named("tags", any_of(STRING, Array(TAG_ITEM))), _tags),),
    "when": (Rule(CONDITIONAL, _conditional),),
    "changed_when": (Rule(CONDITIONAL, _conditional),),
    "failed_when": (Rule(CONDITIONAL, _conditional),),
    "until": (Rule(CONDITIONAL, _conditional),),
    # ansible-core never checks notify's items: it looks them up when the task changes, and a name
    # it cannot find is V003's business. Editors still get the shape (schema only).
    "notify": (),
    "listen": (Rule(_STR_LIST, _items_of(STRING, "'str'", False)),),
    "collections": (Rule(_STR_LIST, _items_of(STRING, "'str'", False)),),
    "gather_subset": (Rule(_STR_LIST, _items_of(STRING, "'str'")),),
    "hosts": (Rule(any_of(TypeOf(("string",), min_length=1), Array(STRING, min_items=1)), _hosts),),
    "vars": (
        Rule(TypeOf(("object", "null")), _vars),
        Rule(any_of(TypeOf(("null", "string", "number", "boolean", "array")), Obj(names=_NAME)),
             _variable_names, NAME_CODE),
    ),
    "register": (Rule(any_of(NULL, _NAME), _register, NAME_CODE),),
    "module_defaults": (Rule(any_of(TypeOf(("object", "null")), Array(TypeOf(("object",)))), _module_defaults),),
    "loop": (Rule(any_of(TypeOf(("array", "null")), OPAQUE), _loop),),
    "loop_control": (Rule(_LOOP_CONTROL, _loop_control),),
    "debugger": (Rule(any_of(TypeOf(("number", "boolean", "null")), Enum(("", *_DEBUGGER_VALUES)), OPAQUE),
                      _debugger),),
    "order": (Rule(any_of(NULL, Enum(_ORDER_VALUES), OPAQUE), _order),),
    "roles": (Rule(named("roles", any_of(NULL, Array(_ROLE_ITEM))), _roles),),
    "vars_prompt": (Rule(named("vars_prompt", any_of(NULL, _PROMPT, Array(_PROMPT))), _vars_prompt),),
    "serial": (Rule(named("serial", any_of(_SERIAL_ITEM, Array(_SERIAL_ITEM))), _serial),),
    "import_playbook": (Rule(TypeOf(("string", "number", "boolean")), _import_playbook),),
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
    return KeywordSpec(name, (Rule(shape, message),) if not isinstance(shape, Anything) else ())


KEYWORD_SPECS: dict[str, KeywordSpec] = {name: _spec(name, kw.type) for name, kw in KEYWORDS.items()}
LOCAL_ACTION_SPEC = KeywordSpec("local_action", schema_only=TypeOf(("string", "object")))


def keyword_problems(keyword: str, value: Any, owner: str) -> list[tuple[str, str]]:
    """Every (code, message) for one keyword value; ``owner`` is ansible's class name (Task, Play…)."""
    spec = KEYWORD_SPECS.get(keyword)
    return spec.problems(value, owner) if spec is not None else []


_EVERY_CLASS = frozenset(_JSON_TYPE_OF_CLASS)


def always_accepted(keyword: str) -> frozenset[type]:
    """The loader's classes whose every value ``keyword_problems`` accepts for ``keyword``, whatever it is."""
    spec = KEYWORD_SPECS.get(keyword)
    return spec._always_accepted if spec is not None else _EVERY_CLASS


# -- the JSON Schemas ------------------------------------------------------------------------

_MODULE_VALUE = TypeOf(("object", "string", "null"))
_SECTION_ANY = {"type": ["array", "null"]}


def _props(names: frozenset[str] | set[str], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {n: KEYWORD_SPECS[n].json() for n in sorted(names) if n not in skip}


def _task_def(handler: bool) -> dict[str, Any]:
    names = HANDLER_KEYWORDS if handler else TASK_KEYWORDS
    props = _props(names)
    props["local_action"] = LOCAL_ACTION_SPEC.json()
    props["static"] = False  # a module-detection keyword ansible-core then rejects
    if not handler:
        props["listen"] = False  # handlers only
    title = "handler" if handler else "task"
    return {
        "title": f"Ansible {title}",
        "description": (f"A {title}: its keywords plus one module key (any name: modules are open). The schema "
                        "asks for at least one; shep reports a second one (D001, conflicting action statements)."),
        "type": "object",
        "properties": props,
        "patternProperties": {f"^{LOOP_PREFIX}": {}},
        "additionalProperties": _MODULE_VALUE.json(),
        "anyOf": [
            {"required": ["action"]},
            {"required": ["local_action"]},
            {"not": {"propertyNames": {"anyOf": [{"enum": sorted(NOT_MODULE_KEYS)}, {"pattern": f"^{LOOP_PREFIX}"}]}}},
        ],
    }


def _block_def(item_ref: str) -> dict[str, Any]:
    props = _props(BLOCK_KEYWORDS, skip=BLOCK_SECTIONS)
    for section in BLOCK_SECTIONS:
        props[section] = {**_SECTION_ANY, "items": {"$ref": item_ref}}
    return {
        "title": "Ansible block",
        "type": "object",
        "properties": props,
        "required": ["block"],
        "additionalProperties": False,
    }


def _is_block_if(top: bool) -> dict[str, Any]:
    if top:
        return {"anyOf": [{"required": [s]} for s in BLOCK_SECTIONS]}
    return {"required": ["block"]}


def _defs(handlers: bool) -> dict[str, Any]:
    """$defs shared by the three schemas (task/handler lists and blocks)."""
    defs: dict[str, Any] = {
        "task": _task_def(False),
        "block": _block_def("#/$defs/nested-item"),
        "nested-item": {"if": _is_block_if(False), "then": {"$ref": "#/$defs/block"}, "else": {"$ref": "#/$defs/task"}},
        "item": {"if": _is_block_if(True), "then": {"$ref": "#/$defs/block"}, "else": {"$ref": "#/$defs/task"}},
    }
    if handlers:
        defs["handler"] = _task_def(True)
        defs["handler-block"] = _block_def("#/$defs/handler-nested-item")
        defs["handler-nested-item"] = {
            "if": _is_block_if(False),
            "then": {"title": "Using a block as a handler is not supported.", "not": {}},
            "else": {"$ref": "#/$defs/handler"},
        }
        defs["handler-item"] = {"if": _is_block_if(True), "then": {"$ref": "#/$defs/handler-block"},
                                "else": {"$ref": "#/$defs/handler"}}
    return defs


def _header(kind: SchemaKind, title: str) -> dict[str, Any]:
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": f"https://github.com/shep/shep/schema/{kind}.schema.json",
        "$comment": "Generated by scripts/gen_schemas.py from shep.keywords and shep.validate.schema; do not edit.",
        "title": title,
    }


def _list_of(item_ref: str) -> dict[str, Any]:
    return {"type": ["array", "null"], "items": {"anyOf": [{"type": "null"}, {"$ref": item_ref}]}}


def _play_defs() -> dict[str, Any]:
    props = _props(PLAY_KEYWORDS, skip=PLAY_TASK_SECTIONS)
    for section in PLAY_TASK_SECTIONS:
        props[section] = _list_of("#/$defs/handler-item" if section == "handlers" else "#/$defs/item")
    play = {
        "title": "Ansible play",
        "type": "object",
        "properties": props,
        "required": ["hosts"],
        "additionalProperties": False,
        "not": {"required": ["user", "remote_user"]},
    }
    import_props = _props(IMPORT_PLAYBOOK_KEYWORDS, skip=("import_playbook",))
    for key in sorted(IMPORT_PLAYBOOK_ACTIONS):
        import_props[key] = KEYWORD_SPECS["import_playbook"].json()
    entry = {
        "title": "Ansible import_playbook entry",
        "type": "object",
        "properties": import_props,
        "additionalProperties": False,
        "oneOf": [{"required": [key]} for key in sorted(IMPORT_PLAYBOOK_ACTIONS)],
    }
    is_import = {"anyOf": [{"required": [key]} for key in sorted(IMPORT_PLAYBOOK_ACTIONS)]}
    return {
        "play": play,
        "import_playbook": entry,
        "entry": {"if": is_import, "then": {"$ref": "#/$defs/import_playbook"}, "else": {"$ref": "#/$defs/play"}},
    }


def _with_named_defs(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the ``$defs`` of the named shapes the schema refers to (sorted, for a stable file)."""
    defs = schema["$defs"]
    pending = _refs(schema)
    while pending:
        name = pending.pop()
        if name in defs or name not in NAMED_SHAPES:
            continue
        defs[name] = NAMED_SHAPES[name].json()
        pending |= _refs(defs[name])
    schema["$defs"] = dict(sorted(defs.items()))
    return schema


def _refs(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            found.add(ref[len("#/$defs/"):])
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def build_schema(kind: SchemaKind) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a task file, handler file or playbook, from the tables."""
    return _with_named_defs(_build_schema(kind))


def _build_schema(kind: SchemaKind) -> dict[str, Any]:
    if kind == "tasks":
        schema = _header(kind, "Ansible task file")
        schema.update(_list_of("#/$defs/item"))
        schema["$defs"] = _defs(handlers=False)
    elif kind == "handlers":
        schema = _header(kind, "Ansible handler file")
        schema.update(_list_of("#/$defs/handler-item"))
        schema["$defs"] = _defs(handlers=True)
    else:
        schema = _header(kind, "Ansible playbook")
        schema.update({"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/entry"}})
        schema["$defs"] = {**_defs(handlers=True), **_play_defs()}
    return schema


def dumps(schema: Mapping[str, Any]) -> str:
    """The committed text of a schema (stable: sorted keys where order carries no meaning)."""
    import json  # the schema files only: validation never needs it

    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


@cache
def _packaged(kind: SchemaKind) -> str:
    from importlib import resources  # only schema_for reads files: keep it out of the checks' import

    return resources.files("shep").joinpath("_schemas", f"{kind}.schema.json").read_text(encoding="utf-8")


def schema_for(kind: SchemaKind) -> dict[str, Any]:
    """The packaged JSON Schema for ``kind`` (tasks, handlers or playbook), e.g. for editors."""
    if kind not in SCHEMA_KINDS:
        raise ValueError(f"no schema for {kind!r}: expected one of {', '.join(SCHEMA_KINDS)}")
    import json

    loaded: dict[str, Any] = json.loads(_packaged(kind))
    return loaded


def validator(kind: SchemaKind) -> Any:
    """A ``jsonschema`` Draft 2020-12 validator for ``kind`` (imports jsonschema on first use)."""
    import jsonschema  # heavy (~100 ms): imported on first use only

    return jsonschema.Draft202012Validator(schema_for(kind))


__all__ = [
    "KEYWORD_SPECS", "KeywordSpec", "Rule", "SCHEMA_KINDS", "Shape", "build_schema", "dumps",
    "always_accepted", "json_type", "keyword_problems", "schema_for", "to_json", "validator",
]
