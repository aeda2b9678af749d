"""Templates and conditionals as ansible-core 2.19 compiles them: parsed, never rendered.

* :func:`template`: a string ansible-core templates (``is_possibly_template``: it holds ``{{``,
  ``{%`` or ``{#``, or starts with a ``#jinja2:`` header), compiled with ``from_string``.
* :func:`expression`: a bare Jinja expression (``compile_expression``), as ``debug``'s ``var`` is.
* :func:`conditional`: ``when``, ``changed_when``, ``failed_when``, ``until``, ``break_when`` and
  ``assert``'s ``that`` items, by ``TemplateEngine._normalize_and_evaluate_conditional``: stripped;
  empty is an error; wholly in template delimiters (``is_possibly_all_template``: starts with ``{{``,
  ``{%`` or ``{#`` and ends with ``}}``, ``%}`` or ``#}``) it is a template whose result is evaluated
  later; anything else is an expression, in which template delimiters are an error.

Each answer is a :class:`Verdict`: the syntax error (ansible-core's words, then Jinja's, with where
Jinja stops in the string) and the filter and test names used. Answers are cached by text for the
life of the process: a run parses each distinct string once.

Speed: a recognizer (``_recognizer``) decides most texts without Jinja; Jinja itself (``_engine``,
imported on first need) judges every text the recognizer does not accept, so every error reported
is Jinja's own.
"""

from __future__ import annotations

from shep.jinja._recognizer import TAGS, _simple, recognize, trivial
from shep.jinja.plugins import any_unknown

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from shep._records import NamedTuple

__all__ = ["Name", "Problem", "Verdict", "cached_conditional", "cached_template", "clear_cache", "conditional",
           "expression", "is_all_template", "is_template", "names_at", "template"]

OVERRIDE_PREFIX = "#jinja2:"
_STARTS = ("{{", "{%", "{#")
_ENDS = ("}}", "%}", "#}")


def is_template(text: str) -> bool:
    """ansible-core's ``is_possibly_template``: a string it hands to Jinja."""
    return "{{" in text or "{%" in text or "{#" in text or text.startswith(OVERRIDE_PREFIX)


def is_all_template(text: str) -> bool:
    """ansible-core's ``is_possibly_all_template``."""
    return text.startswith(OVERRIDE_PREFIX) or (text.startswith(_STARTS) and text.endswith(_ENDS))


class Problem(NamedTuple):
    """Why ansible-core cannot use the text: ``message`` in its words; where in the text: ``offset``
    (a character index, -1 when only the line is known) and ``line`` (1-based, Jinja's count)."""

    message: str
    line: int
    offset: int = -1
    kind: str = "syntax"  # "syntax" or "empty" (an empty conditional)


# A filter or test named in a text: ("filter" or "test", the dotted name, offset of the name in the text or -1).
Name = tuple[str, str, int]


class Verdict(NamedTuple):
    """What ansible-core makes of a text: the problem that stops it (None: it compiles), the filter and
    test names it uses, and whether one of them is unknown to ansible-core (``shep.jinja.plugins``).

    A named tuple: one is made for each distinct string, and tuples are built fastest."""

    problem: Problem | None
    names: tuple[Name, ...]
    unknown: bool

    @property
    def ok(self) -> bool:
        """Nothing to report: it compiles and every name it uses is known."""
        return self.problem is None and not self.unknown

    if TYPE_CHECKING:  # made by shep._records.NamedTuple for every named tuple (a C call)
        @classmethod
        def from_tuple(cls, values: tuple[Problem | None, tuple[Name, ...], bool], /) -> Verdict: ...


def _verdict(problem: Problem | None, names: tuple[Name, ...]) -> Verdict:
    if problem is None:
        if not names:
            return _OK
        # Texts of the fast path name their filters and tests without offsets: the same few sets of names
        # recur, and one verdict serves each set.
        shared = _BY_NAMES.get(names)
        if shared is None:
            if len(_BY_NAMES) >= _CACHE_MAX:
                _BY_NAMES.clear()
            shared = _BY_NAMES[names] = Verdict.from_tuple((None, names, any_unknown(names)))
        return shared
    return Verdict.from_tuple((problem, names, bool(names) and any_unknown(names)))


_OK = Verdict(None, (), False)
# Verdicts by text, one table per way of reading it (bounded: cleared when full).
_TEMPLATES: dict[str, Verdict] = {}
_EXPRESSIONS: dict[str, Verdict] = {}
_CONDITIONALS: dict[str, Verdict] = {}
_BY_NAMES: dict[tuple[Name, ...], Verdict] = {}
_CACHE_MAX = 100_000
# The verdict already made for a text (None when it was not judged yet): a dict lookup, for hot loops.
cached_template = _TEMPLATES.get
cached_conditional = _CONDITIONALS.get


def clear_cache() -> None:
    """Forget every verdict (benchmarks measure a run's first parse of each string)."""
    _TEMPLATES.clear()
    _EXPRESSIONS.clear()
    _CONDITIONALS.clear()
    _BY_NAMES.clear()
    TAGS.clear()


def _remember(table: dict[str, Verdict], text: str, verdict: Verdict) -> Verdict:
    if len(table) >= _CACHE_MAX:
        table.clear()
    table[text] = verdict
    return verdict


def template(text: str) -> Verdict:
    """A string ansible-core templates, compiled as a template."""
    found = _TEMPLATES.get(text)
    if found is None:
        names = _simple(text, False)  # the commonest shapes first: one regular expression
        found = _judge(text, False, "template", "", simple=False) if names is None else _verdict(None, tuple(names))
        _remember(_TEMPLATES, text, found)
    return found


def expression(text: str) -> Verdict:
    """A bare expression (``debug``'s ``var``)."""
    found = _EXPRESSIONS.get(text)
    if found is None:
        found = _remember(_EXPRESSIONS, text, _judge(text, True, "expression", ""))
    return found


def conditional(text: str) -> Verdict:
    """A conditional string, by ansible-core 2.19's rules (see the module's docstring)."""
    found = _CONDITIONALS.get(text)
    if found is None:
        # The commonest shapes first (no template delimiter, so a bare expression; blanks around it change
        # nothing but offsets, which a text of these shapes does not need).
        names = None
        if "{" not in text:
            names = trivial(text)
            if names is None:
                names = _simple(text, True)
        found = _conditional(text) if names is None else _verdict(None, tuple(names))
        if len(_CONDITIONALS) >= _CACHE_MAX:
            _CONDITIONALS.clear()
        _CONDITIONALS[text] = found
    return found


def _conditional(text: str) -> Verdict:
    stripped = text.strip()
    if not stripped:
        return _verdict(Problem("Empty conditional expressions are not allowed.", 1, 0, kind="empty"), ())
    if is_all_template(stripped):
        verdict = _judge(stripped, False, "template", "")
    elif is_template(stripped):
        verdict = _judge(stripped, True, "expression", ". Template delimiters are not supported in expressions")
    else:  # conditional() tried the commonest shapes on the text, blanks and all
        verdict = _judge(stripped, True, "expression", "", simple=False)
    lead = len(text) - len(text.lstrip())
    if not lead:
        return verdict
    shift = text.count("\n", 0, lead)  # offsets and lines of the stripped text, in the text
    problem = verdict.problem
    if problem is not None:
        problem = Problem(problem.message, problem.line + shift, problem.offset + lead if problem.offset >= 0 else -1,
                          problem.kind)
    names = tuple([(kind, name, offset + lead if offset >= 0 else -1) for kind, name, offset in verdict.names])
    return _verdict(problem, names)


def _judge(text: str, expression: bool, kind: str, suffix: str, simple: bool = True) -> Verdict:
    accepted, _rejection, names = recognize(text, expression, simple=simple)
    if accepted:
        return _verdict(None, tuple(names))
    if accepted is False:  # again, with offsets: where it fails, and Jinja's message and line
        accepted, rejection, _names = recognize(text, expression, exact=True)
        if accepted is False and rejection is not None:
            what = f"Error rendering {kind}" if rejection.compiling else f"Syntax error in {kind}{suffix}"
            return _verdict(Problem(f"{what}: {rejection.message}", rejection.line, rejection.offset), ())
    from shep.jinja import _engine  # Jinja itself: imported for the first text the recognizer leaves to it

    failure = _engine.compile_error(text, expression)
    if failure is None:
        return _verdict(None, tuple(_engine.names(text, expression)))
    message, line, compiling = failure
    what = f"Error rendering {kind}" if compiling else f"Syntax error in {kind}{suffix}"
    return _verdict(Problem(f"{what}: {message}", line), ())


def names_at(text: str, mode: str) -> tuple[Name, ...]:
    """The names of a text with their offsets (``mode``: "t", "e" or "c" as the text was judged)."""
    if mode == "c":
        stripped = text.strip()
        lead = len(text) - len(text.lstrip())
        expression_mode = not is_all_template(stripped)
        text_to_scan = stripped
    else:
        lead = 0
        expression_mode = mode == "e"
        text_to_scan = text
    accepted, _rejection, names = recognize(text_to_scan, expression_mode, exact=True)
    if accepted is None:
        from shep.jinja import _engine

        return tuple(_engine.names(text_to_scan, expression_mode))
    return tuple([(kind, name, offset + lead) for kind, name, offset in names])
