"""What a conforming reader must print for a buffer, computed from the model shep decodes from it.

This is written from the schema and docs/flatbuffers.md, not from shep's writer: it walks the schema's
fields in order, finds each one's model attribute by a naming rule, and encodes the value the way the
documentation says. Readers print the same canonical JSON (examples/fbs/README.md):

* a table is an object with every schema field, in schema order, under its schema name;
* an absent table, string or struct is null, an absent vector [] (the model does not tell an absent
  vector from an empty one), an absent scalar its default (null for an optional scalar);
* enums and bit sets are numbers, int64 values exact, doubles as Python's json module reads them
  (-0.0, NaN, Infinity), [ubyte] an array of numbers, a Var's shared items repeated at each place.
"""

from __future__ import annotations

import datetime as dt
import keyword
import os
from typing import Any

from shep.diagnostics import Diagnostic, Span
from shep.loader.values import Unsafe, Vault
from shep.model import Play, Playbook, Task, TaskFile
from tests.conformance.fbs_schema import Field, Schema

KEYWORD_SUFFIX = "_keyword"
_NO_KEY = object()
_INT64 = range(-(2**63), 2**63)


def model_attribute(schema_field: str) -> str:
    """Schema v2 spells a field named after a language keyword ``<keyword>_keyword`` (``when_keyword``);
    the model names it after the keyword, with a ``_`` when that is a Python keyword (``async_``)."""
    name = schema_field.removesuffix(KEYWORD_SUFFIX)
    return f"{name}_" if keyword.iskeyword(name) else name


def plain(text: str | None) -> str | None:
    """A reader prints text: an Unsafe (a str subclass) as the plain str it holds."""
    return None if text is None else str(text)


def is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shortest_twos_complement(value: int) -> bytes:
    """Little-endian two's complement in the fewest bytes that keep the sign."""
    bits = (value if value >= 0 else ~value).bit_length() + 1
    return value.to_bytes((bits + 7) // 8, "little", signed=True)


class Expectation:
    """The canonical JSON tree (Python objects) of a model written with schema ``version``."""

    def __init__(self, schema: Schema, version: int) -> None:
        self.schema = schema
        self.version = version
        self.var_kind = {name: number for name, number in schema.enums["VarKind"].values}

    # -- helpers -------------------------------------------------------------------------------------

    def blank(self, table: str) -> dict[str, Any]:
        return {f.name: self.schema.default(f) for f in self.schema.fields(table)}

    def text_fits(self, text: str) -> bool:
        """Whether the text goes in a `string` as is. Version 1 wrote lone surrogates in UTF-8's
        surrogate form; version 2 puts such text in bytes_value (WTF-8) instead."""
        return self.version < 2 or is_utf8(text)

    def path_text(self, path: str) -> str:
        """A path string: version 2 writes an undecodable file name (surrogate escapes) as U+FFFD."""
        if self.version < 2 or is_utf8(path):
            return path
        return os.fsencode(path).decode("utf-8", "replace")

    @staticmethod
    def span(span: Span | None) -> dict[str, int] | None:
        if span is None:
            return None
        return {"line": span.line, "col": span.col, "end_line": span.end_line, "end_col": span.end_col}

    # -- values --------------------------------------------------------------------------------------

    def var(self, value: Any, key: Any = _NO_KEY) -> dict[str, Any]:
        out = self.blank("Var")
        if key is not _NO_KEY:
            if type(key) is str and self.text_fits(key):
                out["key"] = plain(key)
            else:
                out["key_var"] = self.var(key)
        kind = type(value)
        if value is None:
            out["kind"] = self.var_kind["Null"]
        elif kind is bool:
            out["kind"], out["bool_value"] = self.var_kind["Bool"], value
        elif kind is int:
            if value in _INT64:
                out["kind"], out["int_value"] = self.var_kind["Int"], value
            else:
                out["kind"], out["bytes_value"] = self.var_kind["BigInt"], list(shortest_twos_complement(value))
        elif kind is float:
            out["kind"], out["float_value"] = self.var_kind["Float"], value
        elif kind in (str, Unsafe, Vault):
            text = value.ciphertext if kind is Vault else value
            out["kind"] = self.var_kind[{str: "Str", Unsafe: "Unsafe", Vault: "Vault"}[kind]]
            if self.text_fits(text):
                out["str_value"] = plain(text)
            else:
                out["bytes_value"] = list(text.encode("utf-8", "surrogatepass"))
        elif kind is bytes:
            out["kind"], out["bytes_value"] = self.var_kind["Binary"], list(value)
        elif kind is dt.datetime:
            out["kind"], out["str_value"] = self.var_kind["DateTime"], value.isoformat()
        elif kind is dt.date:
            out["kind"], out["str_value"] = self.var_kind["Date"], value.isoformat()
        elif kind is list:
            out["kind"], out["items"] = self.var_kind["List"], [self.var(item) for item in value]
        elif kind is dict:
            out["kind"], out["items"] = self.var_kind["Map"], self.entries(value)
        else:
            raise TypeError(f"no Var encoding for a {kind.__name__}")
        return out

    def entries(self, mapping: dict[Any, Any]) -> list[dict[str, Any]]:
        return [self.var(value, key) for key, value in mapping.items()]

    # -- tables --------------------------------------------------------------------------------------

    def located(self, table: str, obj: Task | Play) -> dict[str, Any]:
        """A Task or Play: every schema field, found on the model by model_attribute()."""
        out = {}
        for f in self.schema.tables[table]:
            out[f.name] = self.located_field(table, f, obj)
        return out

    def located_field(self, table: str, f: Field, obj: Task | Play) -> Any:
        if f.name == "keys":
            return [plain(key) for key in obj.keys]
        if f.name == "key_spans":
            return [self.span(span) for _, span in obj.key_spans]
        if f.name == "arg_keys" and isinstance(obj, Task):
            return [plain(key) for key, _ in obj.arg_spans]
        if f.name == "arg_spans" and isinstance(obj, Task):
            return [self.span(span) for _, span in obj.arg_spans]
        if f.name == "unsafe_strings":  # bits of the <Table>String enum, one per string field
            bits = 0
            for name, bit in self.schema.enums[f"{table}String"].values:
                attr = "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
                if type(getattr(obj, attr)) is Unsafe:
                    bits |= bit
            return bits
        attr = model_attribute(f.name)
        if not hasattr(obj, attr):
            raise AssertionError(f"schema field {table}.{f.name} has no model attribute {attr!r}: "
                                 "teach tests/conformance/expect.py about it")
        value = getattr(obj, attr)
        if f.name == "path":
            return self.path_text(value)
        if f.type == "string":
            return plain(value)
        if f.type == "bool":
            return bool(value)
        if f.type == "Span":
            return self.span(value)
        if f.type == "Var":
            return None if value is None else self.var(value)
        if f.type == "[Var]":
            return self.entries(value)
        if f.type == "[Task]":
            return [self.located("Task", task) for task in value]
        if f.type in self.schema.enums:  # a model word (Task.resolution): PascalCase, "" the enum's 0
            if not value:
                return 0
            return self.schema.enums[f.type].value_of("".join(part.capitalize() for part in value.split("-")))
        raise AssertionError(f"{table}.{f.name}: no rule for type {f.type}")

    def diagnostic(self, d: Diagnostic) -> dict[str, Any]:
        out = {}
        for f in self.schema.tables["Diagnostic"]:
            value = getattr(d, f.name)
            if f.name == "path":
                value = self.path_text(value)
            elif f.type == "Span":
                value = self.span(value)
            elif f.type in self.schema.enums:
                value = int(value)
            out[f.name] = value
        return out

    def file(self, model: Playbook | TaskFile) -> dict[str, Any]:
        out = self.blank("File")
        for f in self.schema.tables["File"]:
            if f.name == "schema_version":
                out[f.name] = self.version
            elif f.name == "kind":
                out[f.name] = self.schema.enums["FileKind"].value_of(model.kind.capitalize())
            elif f.name == "path":
                out[f.name] = self.path_text(model.path)
            elif f.name == "path_bytes":
                out[f.name] = [] if self.version < 2 or is_utf8(model.path) else list(os.fsencode(model.path))
            elif f.name == "playbook":
                if isinstance(model, Playbook):
                    out[f.name] = {"plays": [self.located("Play", play) for play in model.plays]}
            elif f.name == "task_list":
                if isinstance(model, TaskFile):
                    out[f.name] = {"tasks": [self.located("Task", task) for task in model.tasks]}
            elif f.name == "diagnostics":
                out[f.name] = [self.diagnostic(d) for d in model.diagnostics]
            else:
                raise AssertionError(f"schema field File.{f.name} is new: teach tests/conformance/expect.py about it")
        return out
