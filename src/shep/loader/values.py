"""Scalar value types Ansible gives special meaning to, and the YAML 1.1 rules for plain scalars.

The implicit-typing rules are those of YAML 1.1 as PyYAML (and hence ansible-core) applies them:
``yes``/``on`` are booleans but ``y``/``n`` are strings, ``0644`` is octal, ``1e3`` is a string
(a float needs a dot), ``1:30`` is sexagesimal, a plain ``=`` or ``<<`` is no value at all.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
import re

from shep._records import record


class Unsafe(str):
    """A string tagged ``!unsafe``: Ansible never templates it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Unsafe({str.__repr__(self)})"


@record
class Vault:
    """A ``!vault`` value: only the ciphertext is known statically."""

    ciphertext: str


STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
BINARY_TAG = "tag:yaml.org,2002:binary"
MERGE_TAG = "tag:yaml.org,2002:merge"
VALUE_TAG = "tag:yaml.org,2002:value"
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"

_BOOL_RE = re.compile(r"yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF")
_FLOAT_RE = re.compile(
    r"""[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
      | \.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
      | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
      | [-+]?\.(?:inf|Inf|INF)
      | \.(?:nan|NaN|NAN)""",
    re.X,
)
_INT_RE = re.compile(
    r"""[-+]?0b[0-1_]+
      | [-+]?0[0-7_]+
      | [-+]?(?:0|[1-9][0-9_]*)
      | [-+]?0x[0-9a-fA-F_]+
      | [-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+""",
    re.X,
)
_NULL_RE = re.compile(r"~|null|Null|NULL|")
_TIMESTAMP_RE = re.compile(
    r"""(?P<year>[0-9]{4})-(?P<month>[0-9][0-9]?)-(?P<day>[0-9][0-9]?)
        (?:(?:[Tt]|[ \t]+)(?P<hour>[0-9][0-9]?):(?P<minute>[0-9][0-9]):(?P<second>[0-9][0-9])
           (?:\.(?P<fraction>[0-9]*))?
           (?:[ \t]*(?P<tz>Z|(?P<tz_sign>[-+])(?P<tz_hour>[0-9][0-9]?)(?::(?P<tz_minute>[0-9][0-9]))?))?)?""",
    re.X,
)
_DATE_ONLY_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# In YAML 1.1's order of precedence; the first full match decides the tag of a plain scalar.
_IMPLICIT = (
    (BOOL_TAG, _BOOL_RE),
    (FLOAT_TAG, _FLOAT_RE),
    (INT_TAG, _INT_RE),
    (MERGE_TAG, re.compile(r"<<")),
    (NULL_TAG, _NULL_RE),
    (TIMESTAMP_TAG, _TIMESTAMP_RE),
    (VALUE_TAG, re.compile(r"=")),
)


def _is_timestamp(text: str) -> bool:
    """The implicit timestamp form: a bare date, or a date with a time (two-digit month/day required)."""
    if _DATE_ONLY_RE.fullmatch(text):
        return True
    m = _TIMESTAMP_RE.fullmatch(text)
    return bool(m and m.group("hour"))


# First characters that can start a non-string plain scalar (YAML 1.1); others are strings.
TYPED_FIRST_CHARS = frozenset("yYnNtTfFoO-+0123456789.<~=")


def resolve_plain(text: str) -> str:
    """The YAML 1.1 tag of an untagged plain scalar."""
    if text and text[0] not in TYPED_FIRST_CHARS:
        return STR_TAG
    for tag, pattern in _IMPLICIT:
        if tag == TIMESTAMP_TAG:
            if _is_timestamp(text):
                return tag
        elif pattern.fullmatch(text):
            return tag
    return STR_TAG


def _sexagesimal(text: str) -> float:
    total = 0.0
    for part in text.split(":"):
        total = total * 60 + float(part)
    return total


def construct_int(text: str) -> int:
    digits = text.replace("_", "")
    sign = -1 if digits.startswith("-") else 1
    digits = digits.lstrip("+-")
    if digits == "0":
        return 0
    if digits.startswith("0b"):
        return sign * int(digits[2:], 2)
    if digits.startswith("0x"):
        return sign * int(digits[2:], 16)
    if digits.startswith("0"):
        return sign * int(digits, 8)
    if ":" in digits:
        return sign * int(_sexagesimal(digits))
    return sign * int(digits)


def construct_float(text: str) -> float:
    digits = text.replace("_", "").lower()
    sign = -1.0 if digits.startswith("-") else 1.0
    digits = digits.lstrip("+-")
    if digits == ".inf":
        return sign * math.inf
    if digits == ".nan":
        return math.nan
    if ":" in digits:
        return sign * _sexagesimal(digits)
    return sign * float(digits)


def construct_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("yes", "true", "on"):
        return True
    if lowered in ("no", "false", "off"):
        return False
    raise ValueError(f"invalid boolean value {text!r}")


def construct_timestamp(text: str) -> dt.date | dt.datetime:
    m = _TIMESTAMP_RE.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"invalid timestamp {text!r}")
    year, month, day = int(m["year"]), int(m["month"]), int(m["day"])
    if not m["hour"]:
        return dt.date(year, month, day)
    micro = int((m["fraction"] or "")[:6].ljust(6, "0"))
    tzinfo = None
    if m["tz_sign"]:
        offset = dt.timedelta(hours=int(m["tz_hour"]), minutes=int(m["tz_minute"] or 0))
        tzinfo = dt.timezone(-offset if m["tz_sign"] == "-" else offset)
    elif m["tz"]:
        tzinfo = dt.timezone.utc
    return dt.datetime(year, month, day, int(m["hour"]), int(m["minute"]), int(m["second"]), micro, tzinfo)


def construct_binary(text: str) -> bytes:
    try:
        return base64.decodebytes(text.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError(f"failed to decode base64 data: {exc}") from None


SCALAR_CONSTRUCTORS = {
    STR_TAG: str,
    INT_TAG: construct_int,
    FLOAT_TAG: construct_float,
    BOOL_TAG: construct_bool,
    NULL_TAG: lambda _text: None,
    TIMESTAMP_TAG: construct_timestamp,
    BINARY_TAG: construct_binary,
}
