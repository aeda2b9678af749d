"""Value shapes: sets of accepted values, checkable in Python and expressible as JSON Schema.

A shape is a tiny JSON-Schema-like value (``TypeOf``, ``Pattern``, ``Enum``, ``Array``, ``Obj``,
``AnyOf``, ``Ref``) with two faces:

* ``accepts(value)`` checks a value of the model directly (fast, no jsonschema import), and
* ``json_schema()`` emits the same set as a draft 2020-12 fragment for ``schema/*.schema.json``.

Both faces read YAML values the way an editor does: dates, ``!vault`` and ``!!binary`` values
are strings (see :func:`json_instance`), so a shape and its JSON Schema fragment agree on every
value.
Which shapes each keyword takes is in :mod:`shep.validate.keyword_rules`; this module knows
nothing of Ansible beyond the classes its loader builds.
"""

from __future__ import annotations

import abc
import base64
import datetime as dt
import re
from functools import cache

from shep._records import field, record
from shep.loader.values import Vault

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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
# Every class the loader builds a value of (for "which classes does a shape always accept?").
LOADER_CLASSES: frozenset[type] = frozenset(_JSON_TYPE_OF_CLASS)


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


def json_instance(value: Any) -> Any:
    """A model value as the JSON instance the schemas describe (keys stringified, dates as text).

    Not :func:`shep.serialize.json.to_jsonable` (the dump format), which keeps ``!vault``,
    ``!unsafe`` and ``!!binary`` apart as tagged objects: an editor sees them as plain strings.
    """
    if isinstance(value, dict):
        return {key_text(k): json_instance(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_instance(v) for v in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = _text(value)
    return text if text is not None else repr(value)


def key_text(key: Any) -> str:
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
    def json_schema(self) -> dict[str, Any]:
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

    def json_schema(self) -> dict[str, Any]:
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

    def json_schema(self) -> dict[str, Any]:
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

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": self.regex}


@cache
def _compiled(regex: str) -> re.Pattern[str]:
    return re.compile(regex)


@record(slots=False)
class Enum(Shape):
    values: tuple[str, ...]

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str) and str(value) in self.values

    def json_schema(self) -> dict[str, Any]:
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

    def json_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "array"}
        items = self.items.json_schema()
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
            name = key_text(key)
            if self.names is not None and not self.names.accepts(name):
                return False
            if name in props:
                if not props[name].accepts(item):
                    return False
            elif not self.additional:
                return False
        names = {key_text(k) for k in value}
        if any(r not in names for r in self.required):
            return False
        if self.when_key is not None:
            branch = self.then if self.when_key in names else self.otherwise
            if branch is not None and not branch.accepts(value):
                return False
        return True

    def json_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "object"}
        if self.properties:
            out["properties"] = {name: shape.json_schema() for name, shape in self.properties}
        if not self.additional:
            out["additionalProperties"] = False
        if self.required:
            out["required"] = list(self.required)
        if self.names is not None:
            out["propertyNames"] = self.names.json_schema()
        if self.when_key is not None:
            out["if"] = {"required": [self.when_key]}
            if self.then is not None:
                out["then"] = self.then.json_schema()
            if self.otherwise is not None:
                out["else"] = self.otherwise.json_schema()
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

    def json_schema(self) -> dict[str, Any]:
        return {"anyOf": [option.json_schema() for option in self.options]}


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

    def json_schema(self) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{self.name}"}


def named(name: str, shape: Shape) -> Ref:
    NAMED_SHAPES[name] = shape
    return Ref(name)


__all__ = [
    "LOADER_CLASSES", "NAMED_SHAPES", "AnyOf", "Anything", "Array", "Enum", "Obj", "Pattern", "Ref", "Shape", "TypeOf",
    "any_of", "json_instance", "json_type", "key_text", "named",
]
