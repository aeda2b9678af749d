"""shep.jinja's recognizer against Jinja itself (shep.jinja._engine: Jinja 3.1 configured as ansible-core
configures it): the same verdict on every text, and on a rejected text the same message and line.

The recognizer must never accept what Jinja rejects (a missed error); where it rejects, its message and
line are Jinja's (shep reports them without importing Jinja). Texts come from a table of cases, from
hypothesis (token soups of Jinja's vocabulary, statements, and the shapes of the one-regex fast path) and,
when it is present, from every templated string and conditional of the shared corpus and mutants of them
(tests/oracle/check_jinja.py runs the same against ansible-core itself).
"""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shep.jinja import _engine
from shep.jinja import _recognizer as recognizer

EXAMPLES = int(os.environ.get("SHEP_FUZZ_EXAMPLES", "0")) or None


def jinja(text: str, expression: bool) -> tuple[str, int] | None:
    found = _engine.compile_error(text, expression)
    return None if found is None else (found[0], found[1])


def check(text: str, expression: bool) -> None:
    """The fast path accepts only what Jinja accepts (a rejection there is a hint: the exact path decides);
    the exact path agrees with Jinja: verdict, then message and line. Either may leave the text to Jinja."""
    expected = jinja(text, expression)
    accepted, _rejection, _names = recognizer.recognize(text, expression)
    assert not accepted or expected is None, (text, expression, expected)
    accepted, rejection, _names = recognizer.recognize(text, expression, exact=True)
    if accepted is not None:
        assert accepted == (expected is None), (text, expression, expected)
        if rejection is not None and rejection.compiling:  # Python's error: no line of the template
            assert expected is not None and rejection.message == expected[0], text
        elif rejection is not None:
            assert (rejection.message, rejection.line) == expected, text


CASES = [
    # templates
    ("{{ x }}", False, True),
    ("a {{ x | default('b') }} c {{ y.z[0] }}", False, True),
    ("{{ x", False, False),
    ("{{ x | default('a' }}", False, False),
    ("{{ 'a }}", False, False),
    ("{{ x | | y }}", False, False),
    ("{% if x %}a{% endif %}", False, True),
    ("{% if x %}a", False, False),
    ("{% for i in x %}{{ i }}{% else %}none{% endfor %}", False, True),
    ("{% for i in x %}{{ i }}", False, False),
    ("{% for i in x %}{% break %}{% endfor %}", False, False),  # no loopcontrols extension
    ("{% do x.append(1) %}", False, False),  # no do extension
    ("{% set x = 1 %}{% set y %}b{% endset %}{% set ns.a = 2 %}", False, True),
    ("{# a comment #}", False, True),
    ("{# a comment", False, False),
    ("text {#", False, True),  # the lexer stops at the end of the text: nothing to fail on
    ("{{- x -}} {%- if y -%}{%+ endif +%}", False, True),
    ("{{ x -}}", False, True),
    ("{{ x - }}", False, False),
    ("{{ a, b }}", False, True),  # a tuple
    ("{{ f(a=1, b) }}", False, False),  # a positional argument after a keyword one
    ("{{ f(a=1, a=2) }}", False, False),  # a keyword repeated: Python refuses the compiled code
    ("{{ x.1.2 }}", False, True),
    ("{{ x. }}", False, False),
    ("{{ 0x1F + 1_000 + 1e3 + 2.5 }}", False, True),
    ("{{ 007 }}", False, False),
    ('{{ "\\x" }}', False, True),  # ansible-core doubles backslashes inside {{ }}
    ('{% set a = "\\x" %}', False, False),  # not in {% %}: an invalid escape
    ("{% for loop in x %}{% endfor %}", False, False),
    ("{% raw %}{{ not parsed {% endraw %}", False, True),
    ("{% macro m(a) %}{{ a }}{% endmacro %}", False, True),
    ("{{ x is defined and not y in z }}", False, True),
    ("{{ x is not }}", False, False),
    ("{{ x is divisibleby 3 }}", False, True),
    ("{{ x is defined if y else z }}", False, False),  # the test takes `if` as its argument
    # expressions (conditionals, debug's var)
    ("x is defined", True, True),
    ("x == 1 and (y or not z)", True, True),
    ("x.", True, False),
    ("x ==", True, False),
    ("{{ x }} == 1", True, False),
    ("x }} y", True, False),
    ("a, b", True, False),  # no tuple in an expression
    ("not", True, False),
    ("x == not", True, True),  # `not` is a name there
    ("x | length > 0", True, True),
    ("x is version('2.19', '>=')", True, True),
    ("[1, 2,] | list", True, True),
    ("(x", True, False),
    ("x)", True, False),
]


@pytest.mark.parametrize(("text", "expression", "valid"), CASES)
def test_case(text: str, expression: bool, valid: bool) -> None:
    assert (jinja(text, expression) is None) == valid, "the case table disagrees with Jinja"
    check(text, expression)


# -- generated texts -------------------------------------------------------------------------------

ATOMS = [
    "x", "y.z", "a[0]", "'s'", '"t"', "1", "2.5", "0x1F", "1_000", "007", "1e3", "true", "None", "not", "and", "or",
    "in", "is", "if", "else", "defined", "loop", "ns", "(", ")", "[", "]", "{", "}", ",", ":", "|", ".", "=", "==",
    "!=", "<", ">=", "+", "-", "*", "**", "/", "//", "%", "~", "f(", "x is not", " is ", " not in ", "'\\x'", "'\\\\'",
    "'a\"'", '"', "'", "}}", "{{", "%}", "{%", "#}", "{#", "-}}", "{{-", "{%-", "-%}", "if", "endif", "for", "endfor",
    "set", "endset", "elif", "recursive", "raw", "do", "break", "\n", " ", "  ", "*args", "**kw", "k=", "k=1,", "|f",
    "|g(1)", "is divisibleby 3", "x.1", ".0", "1.", "a..b", "q('x')", "[1,]", "{'a':1,}", "(1,)", "()", "x[1:2]",
    "x[::]", "x[1,2]", "-x", "+1", "é", "\u00a0",
]
STATEMENTS = [
    "{% if x %}", "{% elif y %}", "{% else %}", "{% endif %}", "{% for i in x %}",
    "{% for a, b in x if a recursive %}", "{% endfor %}", "{% set v = 1 %}", "{% set v %}", "{% endset %}",
    "{% set ns.a = 1 %}", "{# c #}", "{{ x }}", "text", "\n", "{% for %}", "{% set %}", "{%%}", "{{}}",
]
_expressions = st.lists(st.sampled_from(ATOMS), min_size=1, max_size=8).map(" ".join)
_templates = st.lists(
    st.one_of(st.sampled_from(STATEMENTS), st.sampled_from(ATOMS), _expressions.map(lambda e: "{{ " + e + " }}")),
    min_size=1, max_size=6).map("".join)


@settings(max_examples=EXAMPLES or 1500, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(_expressions)
def test_expressions_as_jinja_compiles_them(text: str) -> None:
    check(text, True)


@settings(max_examples=EXAMPLES or 1500, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(_templates)
def test_templates_as_jinja_compiles_them(text: str) -> None:
    check(text, False)


# The shapes of the one-regex fast path (recognizer.SIMPLE_EXPRESSION, templates made of it), with keywords,
# spacing and punctuation where they break it: the fast path must accept only what the parser does.
_names = st.sampled_from(["x", "result", "a_1", "not", "and", "or", "in", "is", "if", "else", "true", "none", "loop"])
_values = st.one_of(_names, st.sampled_from(["'a'", '"b"', "0", "12", "1.5", "'x|y'", "'{'", "[1, 'a']", "[]", "[,]"]))
_postfix = st.lists(st.one_of(_names.map(lambda n: "." + n), st.sampled_from([".0", "[0]", "['k']", "[x]", "()",
                                                                               "(1)", "(a, 'b')", "(k=1)", "."])),
                    max_size=3).map("".join)
_filter = st.tuples(st.sampled_from(["|", " | ", "| "]), _names,
                    st.sampled_from(["", "()", "(1)", "('a', b)", "(a, k=1)", "(k=1, j=2)", "(k=1, k=2)", "(k=1, 2)",
                                     "(1,)", ".x"])).map("".join)
_operand = st.tuples(st.sampled_from(["", "-", "not ", "not not "]), _values, _postfix,
                     st.lists(_filter, max_size=2).map("".join),
                     st.sampled_from(["", " is defined", " is not defined", " is not", " is version('1', '<')",
                                      " is is", " is defined in y", " is sameas true"])).map("".join)
_operator = st.sampled_from([" == ", "==", " != ", " < ", " >= ", " in ", " not in ", " and ", " or ", " and not ",
                             " + ", "-", " * ", " ** ", " // ", " % ", " ~ ", " ", " , ", " is "])
_simple_expressions = st.tuples(_operand, st.lists(st.tuples(_operator, _operand).map("".join), max_size=3)
                                .map("".join)).map("".join)
_simple_templates = st.lists(st.one_of(st.sampled_from(["text ", "a}b", "{", " {x", "\n"]),
                                       st.tuples(st.sampled_from(["{{ ", "{{", "{{- ", "{{+"]), _simple_expressions,
                                                 st.sampled_from([" }}", "}}", " -}}", " - }}", "}"])).map("".join)),
                             min_size=1, max_size=3).map("".join)


@settings(max_examples=EXAMPLES or 2000, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(_simple_expressions, _simple_templates)
def test_the_fast_path_accepts_only_what_jinja_accepts(expression: str, template: str) -> None:
    recognizer.simple_pattern()  # compiled now, not after SIMPLE_AFTER texts
    for text, is_expression in ((expression, True), (template, False)):
        simple = recognizer._simple(text, is_expression)
        if simple is not None:
            assert jinja(text, is_expression) is None, text
            accepted, _rejection, names = recognizer.recognize(text, is_expression, exact=True)
            assert accepted is not False, text
            if accepted:  # the same filter and test names as the parser finds
                assert sorted(n[:2] for n in simple) == sorted(n[:2] for n in names), text
        check(text, is_expression)


_trivial_expressions = st.tuples(
    st.sampled_from(["", " ", "not ", "not not ", "not  ", "notx", "not"]), _names, _postfix,
    st.sampled_from(["", "|bool", " | bool", " |b.c", "| not", "| is", "|", " | bool | int"]),
    st.sampled_from(["", " is defined", " is not defined", " is not", " is is", " is a.b", "is x", " is  not  x"]),
    st.sampled_from(["", " ", "\n"])).map("".join)


@settings(max_examples=EXAMPLES or 2000, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_trivial_expressions, _simple_expressions))
def test_the_trivial_path_is_the_fast_path_on_fewer_shapes(text: str) -> None:
    """recognizer.trivial (the small pattern conditionals try first) accepts only what the one-regex fast
    path accepts, with the same names in the same order."""
    recognizer.simple_pattern()
    found = recognizer.trivial(text)
    if found is not None:
        assert recognizer._simple(text, True) == found, text
        assert jinja(text, True) is None, text


def test_an_unsure_text_goes_to_jinja() -> None:
    for text in ("{% raw %}x{% endraw %}", "a\r\nb {{ x }}", "#jinja2: trim_blocks: False\n{{ x }}", "{{ é }}"):
        assert recognizer.recognize(text, False, exact=True)[0] is None


# -- the corpus -----------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.corpus
def test_every_corpus_string_and_mutants_of_it(corpus: object) -> None:
    """Every string shep parses in the corpus, and a dozen mistaken versions of each (a dropped or added
    bracket, quote, end tag, a stray pipe, a random character)."""
    import random

    from tests.oracle.check_jinja import strings_of

    strings, _reported = strings_of([str(corpus)])
    rng = random.Random(16)
    for text, mode in dict.fromkeys(strings):
        expression = mode != "template"
        if mode == "conditional":
            text = text.strip()
            expression = not (text.startswith(("{{", "{%", "{#")) and text.endswith(("}}", "%}", "#}")))
        variants = [text]
        for token in ("}}", ")", "]", "%}", "'", '"', "(", "|", "{% endif %}", "{% endfor %}"):
            variants += [text[:m.start()] + text[m.end():] for m in list(re.finditer(re.escape(token), text))[:2]]
        for _ in range(3):
            at = rng.randrange(len(text) + 1)
            variants.append(text[:at] + rng.choice("(){}[]|'\".,:=!%#-+~ ax1") + text[at:])
        for variant in variants:
            check(variant, expression)
