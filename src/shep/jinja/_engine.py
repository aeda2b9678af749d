"""Jinja itself, configured as ansible-core 2.19 configures it, for the texts the recognizer does not
accept: its verdict and message are final.

Imported only when such a text turns up (an error, or a rare construct): ``import jinja2`` costs
about 40 ms, more than checking every template of a large repository with the recognizer.

What ansible-core sets that matters to parsing (``ansible/_internal/_templating/_jinja_bits.py``,
``AnsibleEnvironment``): Jinja's default delimiters, ``trim_blocks``, no extension
(``DEFAULT_JINJA2_EXTENSIONS`` is empty: ``{% do %}``, ``{% break %}`` are unknown tags), and
``AnsibleLexer``, which doubles the backslashes of string literals inside ``{{ … }}`` before Jinja
unescapes them (a YAML string's backslashes are unescaped once, by YAML). Expressions are compiled
with ``compile_expression`` (``_engine.py``, ``TemplateEngine._compile_expression``), templates with
``from_string`` after a ``#jinja2:`` header is applied (``_extract_template_overrides``).

Compiling, not only parsing: Jinja's compiler rejects a few things its parser accepts (a ``loop``
assignment target, a block defined twice, ``extends`` out of the top level, a ``caller`` argument
without a default); it also rejects an unknown filter or test, which depends on the collections
installed, so here every filter and test name is taken as known (shep reports unknown names as
warnings of their own).
"""

from __future__ import annotations

import ast
import warnings

import jinja2
import jinja2.lexer
import jinja2.nodes
from jinja2.utils import LRUCache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

OVERRIDE_PREFIX = "#jinja2:"
# ansible-core's TemplateOverrides fields, and the type of each (a #jinja2: header may set them).
_OVERRIDE_FIELDS: dict[str, type] = {
    "block_start_string": str, "block_end_string": str, "variable_start_string": str,
    "variable_end_string": str, "comment_start_string": str, "comment_end_string": str,
    "line_statement_prefix": str, "line_comment_prefix": str, "trim_blocks": bool, "lstrip_blocks": bool,
    "newline_sequence": str, "keep_trailing_newline": bool,
}


class _Lexer(jinja2.lexer.Lexer):
    """Backslashes of string literals inside ``{{ … }}`` doubled, as ansible-core's AnsibleLexer does
    when it compiles a template (never inside ``{% … %}``, never in an expression)."""

    def tokeniter(self, *args: Any, **kwargs: Any) -> Iterator[tuple[int, str, str]]:
        inside = False
        for lineno, kind, value in super().tokeniter(*args, **kwargs):
            if kind == jinja2.lexer.TOKEN_VARIABLE_BEGIN:
                inside = True
            elif kind == jinja2.lexer.TOKEN_VARIABLE_END:
                inside = False
            elif inside and kind == jinja2.lexer.TOKEN_STRING:
                value = value.replace("\\", "\\\\")
            yield lineno, kind, value


class _AnyName(dict):  # type: ignore[type-arg]
    """Every filter or test name is known: compiling must not depend on the plugins installed."""

    def get(self, key: Any, default: Any = None) -> Any:
        return _any_plugin

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: Any) -> Any:
        return _any_plugin


@jinja2.pass_context
def _any_plugin(*args: Any, **kwargs: Any) -> None:
    """A stand-in filter or test; taking the context, it is never called at compile time (as_const)."""
    return None


@jinja2.pass_context
def _finalize(context: Any, value: Any) -> Any:
    """As ansible-core's ``_ansible_finalize``: taking the context keeps Jinja from folding output
    constants at compile time, so every call is compiled as ansible-core compiles it."""
    return value


class _Environment(jinja2.Environment):
    _lexers: LRUCache = LRUCache(10)

    @property
    def lexer(self) -> jinja2.lexer.Lexer:
        key = tuple(getattr(self, name) for name in sorted(_OVERRIDE_FIELDS))
        found = self._lexers.get(key)
        if found is None:
            found = self._lexers[key] = _Lexer(self)
        return found  # type: ignore[no-any-return]


_environment: _Environment | None = None


def environment() -> _Environment:
    global _environment
    if _environment is None:
        env = _Environment(trim_blocks=True, autoescape=False, finalize=_finalize)
        env.filters = _AnyName()
        env.tests = _AnyName()
        env.optimized = False  # ansible-core turns Jinja's constant folding off
        _environment = env
    return _environment


def _overrides(text: str) -> tuple[str, dict[str, Any]]:
    """ansible-core's ``_extract_template_overrides``: a first line ``#jinja2:key: value, …``."""
    end = text.find("\n")
    if end < 0:
        raise ValueError(f"Missing newline after {OVERRIDE_PREFIX!r} override.")
    settings: dict[str, Any] = {}
    for pair in text[len(OVERRIDE_PREFIX):end].split(","):
        if not pair.strip():
            raise ValueError(f"Empty {OVERRIDE_PREFIX!r} override pair not allowed.")
        if ":" not in pair:
            raise ValueError(f"Missing key-value separator `:` in {OVERRIDE_PREFIX!r} override pair {pair!r}.")
        key, value = (part.strip() for part in pair.split(":", 1))
        if key not in _OVERRIDE_FIELDS:
            raise ValueError(f"Invalid {OVERRIDE_PREFIX!r} override key {key!r}.")
        settings[key] = ast.literal_eval(value)
        if not isinstance(settings[key], _OVERRIDE_FIELDS[key]) and settings[key] is not None:
            raise ValueError(f"Invalid {OVERRIDE_PREFIX!r} override value for {key!r}.")
    return text[end + 1:], settings


def compile_error(text: str, expression: bool) -> tuple[str, int, bool] | None:
    """Jinja's message and line number (1-based, in ``text``) when ansible-core fails to compile
    ``text`` as a template or an expression, and whether Python's compiler refused the code Jinja made of
    it (ansible-core says "Error rendering" then); None when it compiles."""
    env = environment()
    first_line = 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid string escapes only warn
        try:
            if expression:
                env.compile_expression(text)
                return None
            if text.startswith(OVERRIDE_PREFIX):
                try:
                    text, settings = _overrides(text)
                except (ValueError, SyntaxError) as exc:
                    return str(exc), 1, False
                first_line = 2
                if settings:
                    env = env.overlay(**settings)
            env.compile(text)
        except jinja2.TemplateSyntaxError as exc:
            return exc.message or "", (exc.lineno or 1) + first_line - 1, False
        except SyntaxError as exc:  # the Python Jinja generated: "keyword argument repeated: x"
            return exc.msg, first_line, True
        except (ValueError, TypeError) as exc:  # a bad override: delimiters that clash…
            return str(exc), 1, False
    return None


def names(text: str, expression: bool) -> list[tuple[str, str, int]]:
    """The filter and test names of a text Jinja parses, from its tree (offsets unknown: -1)."""
    env = environment()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if expression:
                from jinja2.parser import Parser

                tree: Any = Parser(env, text, state="variable").parse_expression()
            else:
                if text.startswith(OVERRIDE_PREFIX):
                    text, settings = _overrides(text)
                    if settings:
                        env = env.overlay(**settings)
                tree = env.parse(text)
        except (jinja2.TemplateSyntaxError, ValueError, SyntaxError, TypeError):
            return []
    found = [("filter" if isinstance(node, jinja2.nodes.Filter) else "test", node.name, -1)
             for node in tree.find_all((jinja2.nodes.Filter, jinja2.nodes.Test))]
    return found
