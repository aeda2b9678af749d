"""shep.suppress on its own: which ``# shep: disable`` comments ``scan`` finds, and what ``apply`` drops.

The forms (module docstring and docs/user-guide.md): ``disable=CODES`` at the end of a line (that
line), on a line of its own (the next line with content, and the whole task, block or play that
starts there), ``disable`` without codes (every code), ``disable-file`` (the whole file), and
codes as prefixes. End to end through validation: tests/unit/test_config_suppress_cache.py.
"""

from __future__ import annotations

import pytest

from shep.diagnostics import Diagnostic, Span, make
from shep.suppress import ALL, Suppressions, apply, scan


def diag(code: str, line: int) -> Diagnostic:
    return make(code, f"{code} here", "tasks/main.yml", Span(line, 3, line, 5))


def kept(diagnostics: list[Diagnostic], found: Suppressions, objects: tuple[Span, ...] = ()) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in apply(diagnostics, found, objects)]


# -- scan ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "by_line"), [
    ("- debug: msg=a  # shep: disable=D001\n", {1: {"D001"}}),
    ("- debug: msg=a\n  apt: b  # shep: disable=D001,V005\n", {2: {"D001", "V005"}}),
    ("- debug: msg=a  # shep: disable = D001 , V005\n", {1: {"D001", "V005"}}),  # spaces around = and ,
    ("- debug: msg=a  #shep:disable=D001\n", {1: {"D001"}}),
    ("- debug: msg=a  # note  # shep: disable=D001\n", {1: {"D001"}}),  # after another comment
    ("- debug: msg=a  # shep: disable\n", {1: ALL}),
    # A comment of its own applies to the next line with content (blank and comment lines skipped).
    ("# shep: disable=D001\n- debug: msg=a\n", {2: {"D001"}}),
    ("  # shep: disable=D001\n\n  # why: legacy\n- debug: msg=a\n", {4: {"D001"}}),
    ("- debug: msg=a\n# shep: disable=V\n", {2: {"V"}}),  # nothing follows: its own line
    # Two comments for one line add up.
    ("# shep: disable=D001\n- debug: msg=a  # shep: disable=V005\n", {2: {"D001", "V005"}}),
], ids=["end-of-line", "second-line-two-codes", "spaces", "no-spaces", "after-a-comment", "no-codes",
        "own-line", "own-line-skips-blank-and-comments", "own-line-at-the-end", "two-comments-one-line"])
def test_line_suppressions(text: str, by_line: dict[int, set[str]]) -> None:
    found = scan(text)
    assert found.by_line == {line: frozenset(codes) for line, codes in by_line.items()}
    assert found.whole_file == frozenset()


@pytest.mark.parametrize(("text", "whole_file"), [
    ("- debug: msg=a\n# shep: disable-file=Y003\n", {"Y003"}),
    ("# shep: disable-file=Y003,D\n- debug: msg=a\n", {"Y003", "D"}),
    ("- debug: msg=a  # shep: disable-file\n", ALL),
    ("# shep: disable-file=Y003\n# shep: disable-file=V005\n", {"Y003", "V005"}),
])
def test_file_suppressions(text: str, whole_file: set[str]) -> None:
    found = scan(text)
    assert found.whole_file == frozenset(whole_file)
    assert found.by_line == {}


@pytest.mark.parametrize("text", [
    "- debug: msg=a\n",  # no directive
    "- debug: msg='# shep: disable=D001'\n",  # inside a quoted string
    '- debug:\n    msg: "x # shep: disable"\n',
    "- debug: msg=a#shep: disable=D001\n",  # a # not after a space starts no comment
    "- debug: msg=a  # shep: disabled=D001\n",  # not the directive's word
    "- debug: msg=a  # shep: enable=D001\n",
    "- name: shep: disable=D001\n",  # not in a comment
])
def test_text_that_is_not_a_suppression(text: str) -> None:
    found = scan(text)
    assert found == Suppressions()
    assert not found


def test_a_found_suppression_is_true() -> None:
    assert scan("x: 1  # shep: disable-file=Y\n")
    assert scan("x: 1  # shep: disable=Y\n")


# -- apply ---------------------------------------------------------------------------------------


def test_nothing_found_keeps_everything() -> None:
    diagnostics = [diag("D001", 2), diag("Y003", 4)]
    assert apply(diagnostics, Suppressions(), [Span(1, 1, 4, 1)]) == tuple(diagnostics)


def test_a_line_suppression_drops_its_codes_on_that_line_only() -> None:
    found = scan("- debug: msg=a\n  apt: b  # shep: disable=D001\n- ping:\n")
    assert kept([diag("D001", 2), diag("V005", 2), diag("D001", 3)], found) == [("V005", 2), ("D001", 3)]


def test_codes_are_prefixes() -> None:
    found = scan("- x: 1  # shep: disable=V00,D\n")
    assert kept([diag("V005", 1), diag("V015", 1), diag("D001", 1), diag("Y003", 1)], found) == [
        ("V015", 1), ("Y003", 1)]


def test_disable_without_codes_drops_every_code_there() -> None:
    found = scan("- x: 1  # shep: disable\n- y: 2\n")
    assert kept([diag("D001", 1), diag("Y003", 1), diag("V005", 2)], found) == [("V005", 2)]


def test_a_suppression_on_an_objects_first_line_covers_the_whole_object() -> None:
    text = "# shep: disable=D001\n- debug: msg=a\n  when: x\n  apt: b\n- debug: msg=c\n  apt: d\n"
    found = scan(text)
    task, other = Span(2, 3, 5, 1), Span(5, 3, 7, 1)
    diagnostics = [diag("D001", 4), diag("V005", 3), diag("D001", 6)]
    assert kept(diagnostics, found, (task, other)) == [("V005", 3), ("D001", 6)]
    # Without the object's span the comment covers its own target line only.
    assert kept(diagnostics, found) == [("D001", 4), ("V005", 3), ("D001", 6)]


def test_a_suppression_inside_an_object_covers_its_line_only() -> None:
    text = "- debug: msg=a\n  when: x  # shep: disable=D001\n  apt: b\n"
    found = scan(text)
    assert kept([diag("D001", 2), diag("D001", 3)], found, (Span(1, 3, 4, 1),)) == [("D001", 3)]


def test_nested_objects_each_take_their_own_first_line() -> None:
    """A block starting on the suppressed line is covered whole, including its inner tasks."""
    text = ("- block:  # shep: disable=V\n"
            "    - debug: msg=a\n"
            "      with_x: 1\n"
            "  rescue:\n"
            "    - ping:\n"
            "- debug: msg=b\n"
            "  with_y: 2\n")
    found = scan(text)
    block, inner, after = Span(1, 3, 6, 1), Span(2, 7, 4, 1), Span(6, 3, 8, 1)
    assert kept([diag("V005", 3), diag("V001", 5), diag("V005", 7)], found, (block, inner, after)) == [("V005", 7)]


def test_a_file_suppression_drops_its_codes_everywhere() -> None:
    found = scan("- debug: msg=a\n  apt: b\n# shep: disable-file=Y003,V\n")
    assert kept([diag("Y003", 1), diag("D001", 2), diag("V005", 9), diag("Y001", 3)], found) == [
        ("D001", 2), ("Y001", 3)]


def test_apply_keeps_the_order_it_is_given() -> None:
    found = scan("# shep: disable-file=Y003\n")
    assert kept([diag("V005", 9), diag("Y003", 1), diag("D001", 2)], found) == [("V005", 9), ("D001", 2)]
