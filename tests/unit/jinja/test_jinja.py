"""shep.jinja's entry points: ansible-core 2.19's rules for templates, expressions and conditionals
(tests/oracle/jinja_oracle.py, ansible-core itself, gave each expected message), names and caching."""

from __future__ import annotations

import pytest

from shep import jinja
from shep.jinja import plugins


@pytest.mark.parametrize(("text", "message"), [
    ("x is defined", None),
    ("  x is defined  ", None),
    ("{{ use_it }}", None),  # wholly a template: templated, its result evaluated later
    ("{% if x %}true{% endif %}", None),
    ("{{ x }} == 1", "Syntax error in expression. Template delimiters are not supported in expressions: "
                     "expected token ':', got '}'"),
    ("x == '{{ y }}'", None),  # a template in a string constant: Jinja parses the expression
    ("x ==", "Syntax error in expression: unexpected 'end of template'"),
    ("{{ x", "Syntax error in expression. Template delimiters are not supported in expressions: "
             "unexpected end of template, expected ':'."),  # not wholly a template: an expression
    ("{{ x }", "Syntax error in expression. Template delimiters are not supported in expressions: "
               "expected token ':', got '}'"),
    ("{{ (x }}", "Syntax error in template: unexpected '}', expected ')'"),  # wholly a template
    ("", "Empty conditional expressions are not allowed."),
    (" \n ", "Empty conditional expressions are not allowed."),
])
def test_conditionals_as_ansible_core_reads_them(text: str, message: str | None) -> None:
    problem = jinja.conditional(text).problem
    assert (problem.message if problem else None) == message


def test_positions_count_the_blanks_a_conditional_loses() -> None:
    problem = jinja.conditional("\n  (x ==\n  1 }").problem  # stripped first: offsets count the blanks again
    assert problem is not None and (problem.offset, problem.line) == (13, 3)


def test_templates_and_expressions() -> None:
    assert jinja.template("a {{ b }}") == jinja.Verdict(None, (), False)
    assert jinja.expression("hostvars[inventory_hostname]").problem is None
    problem = jinja.template("line\n{{ x | }}").problem
    assert problem is not None
    assert (problem.message, problem.line, problem.offset) == (
        "Syntax error in template: expected token 'name', got 'end of print statement'", 2, 12)
    assert jinja.template("{{ f(a=1, a=2) }}").problem == jinja.Problem(
        "Error rendering template: keyword argument repeated: a", 1, 10)


def test_is_template_is_ansible_cores() -> None:
    assert jinja.is_template("a {{ b") and jinja.is_template("{% x") and jinja.is_template("{# c")
    assert jinja.is_template("#jinja2: trim_blocks: False\nx")
    assert not jinja.is_template("a { b } %} #}")
    assert jinja.is_all_template("{{ a }}") and jinja.is_all_template("{% a %}x{# b #}")
    assert not jinja.is_all_template("{{ a }} == 1") and not jinja.is_all_template(" {{ a }}")


def test_names_and_where_they_are() -> None:
    verdict = jinja.template("{{ x | to_json | ansible.builtin.to_yaml | community.general.json_query('a') }}")
    assert [name[:2] for name in verdict.names] == [
        ("filter", "to_json"), ("filter", "ansible.builtin.to_yaml"), ("filter", "community.general.json_query")]
    assert not verdict.unknown
    assert jinja.template("{{ x | to_jsn }}").unknown
    assert jinja.names_at("{{ x | to_jsn }}", "t") == (("filter", "to_jsn", 7),)
    assert jinja.names_at("  x is sucess", "c") == (("test", "sucess", 7),)


def test_which_names_are_unknown() -> None:
    assert not plugins.is_unknown("filter", "default")  # Jinja's
    assert not plugins.is_unknown("filter", "ansible.builtin.default")  # ansible-core wraps Jinja's too
    assert not plugins.is_unknown("filter", "ansible.legacy.to_json")
    assert not plugins.is_unknown("filter", "json_query")  # the routing table sends it to a collection
    assert not plugins.is_unknown("filter", "community.general.anything")  # another collection's
    assert not plugins.is_unknown("test", "version_compare")
    assert plugins.is_unknown("filter", "to_jsn")
    assert plugins.is_unknown("filter", "ansible.builtin.to_jsn")  # ansible.builtin is closed
    assert plugins.is_unknown("test", "ansible.legacy.sucess")
    assert plugins.suggestion("filter", "ansible.builtin.to_jsn") == "ansible.builtin.to_json"
    assert plugins.suggestion("test", "sucess") == "success"
    assert plugins.suggestion("filter", "zzzzzz") is None


def test_each_distinct_text_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    jinja.clear_cache()
    calls = []
    judge = jinja._judge
    monkeypatch.setattr(jinja, "_judge", lambda *args, **kwargs: calls.append(args) or judge(*args, **kwargs))
    monkeypatch.setattr(jinja, "_simple", lambda text, expression: None)  # every text to the parser
    for _ in range(3):
        jinja.template("{{ a }}")
        jinja.conditional("f(b) or c")  # neither small pattern takes it: to the parser too
    assert len(calls) == 2


def test_jinja_itself_is_imported_only_for_a_text_the_recognizer_leaves_to_it() -> None:
    import subprocess
    import sys

    code = ("import sys; from shep import jinja; jinja.template('{{ x | default(\"a\" }}'); "
            "jinja.conditional('(x'); assert 'jinja2' not in sys.modules, 'imported for an error'; "
            "jinja.template('{% raw %}{{ x {% endraw %}'); assert 'jinja2' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
