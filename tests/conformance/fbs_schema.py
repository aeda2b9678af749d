"""A small parser for shep's own .fbs files: tables, structs and enums with their fields in order.

The conformance tests take every field name, type and default from the schema itself, so a field added
to the schema but missing from a reader or from the expectation fails loudly. It understands exactly
the subset of the FlatBuffers IDL that schema/*.fbs uses and raises on anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_COMMENT = re.compile(r"//[^\n]*")
_BLOCK = re.compile(r"\b(table|struct)\s+(\w+)\s*\{([^}]*)\}", re.S)
_ENUM = re.compile(r"\benum\s+(\w+)\s*:\s*(\w+)\s*(\(\s*bit_flags\s*\))?\s*\{([^}]*)\}", re.S)
_FIELD = re.compile(r"^(\w+)\s*:\s*(\[?\w+\]?)\s*(?:=\s*([\w.+-]+))?\s*(?:\(([^)]*)\))?$")
_INCLUDE = re.compile(r'^\s*include\s+"([^"]+)"\s*;', re.M)
_ROOT = re.compile(r"\broot_type\s+(\w+)\s*;")

SCALARS = frozenset({"bool", "byte", "ubyte", "short", "ushort", "int", "uint", "long", "ulong", "float", "double"})


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # "string", a scalar, an enum, a table or struct name, or "[T]"
    default: str | None  # as written after '=', e.g. "null"
    attributes: tuple[str, ...]

    @property
    def is_vector(self) -> bool:
        return self.type.startswith("[")

    @property
    def element(self) -> str:
        return self.type[1:-1] if self.is_vector else self.type

    @property
    def optional_scalar(self) -> bool:
        return self.default == "null"


@dataclass(frozen=True)
class Enum:
    name: str
    base: str
    bit_flags: bool
    values: tuple[tuple[str, int], ...]  # (name, value); for bit_flags the value is the bit mask

    def value_of(self, name: str) -> int:
        for n, v in self.values:
            if n == name:
                return v
        raise KeyError(f"{self.name} has no value {name!r}")


@dataclass
class Schema:
    tables: dict[str, tuple[Field, ...]] = field(default_factory=dict)
    structs: dict[str, tuple[Field, ...]] = field(default_factory=dict)
    enums: dict[str, Enum] = field(default_factory=dict)
    root: str = ""

    def fields(self, table: str) -> tuple[Field, ...]:
        return self.tables.get(table) or self.structs[table]

    def is_scalar(self, type_: str) -> bool:
        return type_ in SCALARS or type_ in self.enums

    def default(self, f: Field) -> object:
        """What a reader gets for an absent field: None for tables, strings, structs and optional
        scalars, [] for vectors, the declared (or zero) default for scalars and enums."""
        if f.is_vector:
            return []
        if not self.is_scalar(f.type):
            return None
        if f.optional_scalar:
            return None
        base = self.enums[f.type].base if f.type in self.enums else f.type
        if f.default is None:
            return False if base == "bool" else 0.0 if base in ("float", "double") else 0
        if base == "bool":
            return f.default == "true"
        if base in ("float", "double"):
            return float(f.default)
        if f.type in self.enums:
            return self.enums[f.type].value_of(f.default) if not f.default.lstrip("-").isdigit() else int(f.default)
        return int(f.default, 0)


def _fields(body: str, where: str) -> tuple[Field, ...]:
    out = []
    for stmt in body.split(";"):
        stmt = " ".join(stmt.split())
        if not stmt:
            continue
        m = _FIELD.match(stmt)
        if m is None:
            raise ValueError(f"{where}: cannot parse field {stmt!r}")
        attrs = tuple(a.strip() for a in (m[4] or "").split(",") if a.strip())
        out.append(Field(m[1], m[2], m[3], attrs))
    return tuple(out)


def parse(path: Path, schema: Schema | None = None) -> Schema:
    """Parse ``path`` and the files it includes (relative to it)."""
    schema = schema or Schema()
    raw = path.read_text(encoding="utf-8")
    for inc in _INCLUDE.findall(raw):
        parse(path.parent / inc, schema)
    text = _COMMENT.sub("", raw)
    for kind, name, body in _BLOCK.findall(text):
        (schema.tables if kind == "table" else schema.structs)[name] = _fields(body, f"{path.name}: {name}")
    for name, base, bit_flags, body in _ENUM.findall(text):
        values, nxt = [], 0
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            label, _, number = (part.strip() for part in item.partition("="))
            index = int(number, 0) if number else nxt
            nxt = index + 1
            values.append((label, (1 << index) if bit_flags else index))
        schema.enums[name] = Enum(name, base, bool(bit_flags), tuple(values))
    root = _ROOT.search(text)
    if root:
        schema.root = root[1]
    return schema
