"""Parse what the readers print, bring flatc's JSON to the canonical form, and diff field by field."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from tests.conformance.fbs_schema import Schema


def parse_lines(output: bytes) -> list[Any]:
    """One JSON document per line. Strings are UTF-8; a reader copying a string's bytes unchecked (C++)
    may emit UTF-8's surrogate form, which is kept (surrogatepass) to compare with the model's text."""
    return [json.loads(line) for line in output.decode("utf-8", "surrogatepass").splitlines() if line.strip()]


# flatc writes non-finite doubles as bare nan/inf/-inf, which no JSON parser accepts: rename them
# outside strings to what Python's json module reads.
_FLATC_TOKENS = re.compile(r'("(?:[^"\\]|\\.)*")|(?<![\w.])(-?inf|[+-]?nan)(?![\w.])')
_NON_FINITE = {"inf": "Infinity", "-inf": "-Infinity", "nan": "NaN", "-nan": "NaN", "+nan": "NaN"}


def parse_flatc_json(text: str) -> Any:
    return json.loads(_FLATC_TOKENS.sub(lambda m: m[1] or _NON_FINITE[m[2]], text))


def from_flatc(schema: Schema, table: str, obj: dict[str, Any]) -> dict[str, Any]:
    """flatc's JSON of a table (enum names, absent fields left out) in the canonical form."""
    known = {f.name for f in schema.fields(table)}
    unknown = set(obj) - known
    if unknown:
        raise AssertionError(f"flatc printed fields the schema does not have in {table}: {sorted(unknown)}")
    out = {}
    for f in schema.fields(table):
        if f.name not in obj:
            out[f.name] = schema.default(f)
            continue
        value = obj[f.name]
        if f.is_vector:
            out[f.name] = [_flatc_value(schema, f.element, item) for item in value]
        else:
            out[f.name] = _flatc_value(schema, f.type, value)
    return out


def _flatc_value(schema: Schema, type_: str, value: Any) -> Any:
    if value is None:
        return None
    if type_ in schema.enums:
        enum = schema.enums[type_]
        if isinstance(value, int):
            return value
        if enum.bit_flags:  # "Action ActionKey"
            bits = 0
            for name in value.split():
                bits |= enum.value_of(name)
            return bits
        return enum.value_of(value)
    if type_ in ("float", "double"):
        return float(value)
    if type_ in schema.tables or type_ in schema.structs:
        return from_flatc(schema, type_, value)
    return value


def _same_scalar(expected: Any, got: Any) -> bool:
    if type(expected) is not type(got):
        return False
    if isinstance(expected, float):
        if math.isnan(expected):
            return math.isnan(got)
        return expected == got and math.copysign(1.0, expected) == math.copysign(1.0, got)
    return bool(expected == got)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=True, allow_nan=True) if not isinstance(value, float) else repr(value)
    return text if len(text) <= 200 else text[:200] + f"… ({len(text)} chars)"


def flatc_double(value: float) -> float:
    """A double as flatc's JSON shows it: flatc 25.12.19 prints doubles in fixed notation with 12
    decimals (5e-324 as 0.0, 0.30000000000000004 as 0.3) and has no option for more. Its JSON is a
    lossy view of a buffer; the comparison allows exactly that loss and no other."""
    if math.isnan(value) or math.isinf(value):
        return value
    return float(f"{value:.12f}")


def diff(expected: Any, got: Any, where: str = "File", limit: int = 12, bigint_kind: int | None = None,
         double_view: Callable[[float], float] | None = None) -> list[str]:
    """Readable differences: ``File.task_list.tasks[3].vars.items[0].float_value: expected -0.0, got 0.0``.

    A BigInt Var's ``bytes_value`` compares as the integer it encodes (the schema fixes the encoding,
    two's complement little-endian, but v2 no longer promises the shortest form). ``double_view`` maps
    each expected double to what a lossy reader can show (flatc_double).
    """
    found: list[str] = []
    stack = [(where, expected, got)]
    while stack and len(found) < limit:
        path, exp, act = stack.pop()
        if isinstance(exp, dict) and isinstance(act, dict):
            missing, extra = [k for k in exp if k not in act], [k for k in act if k not in exp]
            if missing:
                found.append(f"{path}: the reader did not print {missing}")
            if extra:
                found.append(f"{path}: the reader printed fields the expectation lacks: {extra}")
            is_bigint = bigint_kind is not None and exp.get("kind") == bigint_kind == act.get("kind")
            for k in reversed([k for k in exp if k in act]):
                e, a = exp[k], act[k]
                if is_bigint and k == "bytes_value" and isinstance(a, list):
                    e = int.from_bytes(bytes(e), "little", signed=True)
                    a = int.from_bytes(bytes(a), "little", signed=True) if a else None
                stack.append((f"{path}.{k}", e, a))
        elif isinstance(exp, list) and isinstance(act, list):
            if len(exp) != len(act):
                found.append(f"{path}: expected {len(exp)} items, got {len(act)}")
            for i in reversed(range(min(len(exp), len(act)))):
                stack.append((f"{path}[{i}]", exp[i], act[i]))
        elif double_view is not None and isinstance(exp, float) and _same_scalar(double_view(exp), act):
            continue
        elif not _same_scalar(exp, act):
            found.append(f"{path}: expected {_short(exp)}, got {_short(act)}")
    if stack and len(found) >= limit:
        found.append("… (more differences)")
    return found
