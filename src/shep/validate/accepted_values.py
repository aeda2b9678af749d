"""The values ansible-core 2.19 accepts where it converts a keyword value: bools, numbers, templates.

Each is a regex (Python and ECMA-262 alike, so the JSON Schemas carry it unchanged) or a shape
built on one: ``BOOLISH`` is what ``convert_bool`` takes (``yes``, ``" Off "``, 1, 0.0…),
``INTISH``/``FLOATISH``/``PERCENTISH`` what ``int()``/``float()`` take after ansible-core's own
clean-up, and ``OPAQUE`` a string whose value is only known at run time (a Jinja template or a
vaulted value), accepted wherever a bool, number or fixed word is. The oracle tests compare these
with ansible-core's conversions (tests/unit/validate/test_schema.py).
"""

from __future__ import annotations

import re

from shep._records import record
from shep.keywords import ANSIBLE_FALSE_WORDS, ANSIBLE_TRUE_WORDS
from shep.validate.shapes import Array, Pattern, Shape, TypeOf, any_of, named

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _ci(word: str) -> str:
    """A case-insensitive spelling of ``word`` usable in both Python and ECMA-262 regexes."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


# A string that may become anything at run time: a Jinja template or a vaulted value.
TEMPLATE_RE = r"\{\{|\{%|\{#"
OPAQUE_RE = TEMPLATE_RE + r"|^\$ANSIBLE_VAULT;"
# ansible.module_utils.parsing.convert_bool: BOOLEANS (strings compared lower-cased and stripped).
_BOOL_WORDS = ANSIBLE_TRUE_WORDS + ANSIBLE_FALSE_WORDS
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

    def json_schema(self) -> dict[str, Any]:
        return {"enum": [0, 1]}


BOOLISH = named("bool", any_of(TypeOf(("boolean", "null")), _ZeroOne(), Pattern(BOOL_RE), OPAQUE))
INTISH = named("int", any_of(TypeOf(("integer", "boolean", "null")), Pattern(INT_RE), OPAQUE))
FLOATISH = named("float", any_of(TypeOf(("number", "boolean", "null")), Pattern(FLOAT_RE), OPAQUE))
PERCENTISH = named("percent", any_of(TypeOf(("number", "boolean", "null")), Pattern(PERCENT_RE), OPAQUE))
