"""Loader: YAML 1.1 values as ansible-core computes them, positions, and problems as diagnostics.

Expected values were checked against ansible-core 2.19.14's loader (see YAML_FACTS.md and
tests/property/test_yaml_vs_ansible.py, which re-checks them when ansible-core is installed).
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from shep.diagnostics import Span
from shep.loader import MapNode, SeqNode, Unsafe, Vault, load_bytes, load_text


def value(text: str, reference: bool = False) -> object:
    document = load_text(text, "t.yml", reference=reference)
    assert document.root is not None, document.diagnostics
    return document.root.value


def codes(text: str) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.col) for d in load_text(text, "t.yml").diagnostics]


@pytest.mark.parametrize("reference", [False, True])
@pytest.mark.parametrize(("text", "expected"), [
    ("yes", True), ("No", False), ("ON", True), ("off", False), ("TRUE", True), ("False", False),
    ("y", "y"), ("n", "n"), ("Y", "Y"), ("N", "N"),
    ("0644", 420), ("0o17", "0o17"), ("08", "08"), ("0x1f", 31), ("0b11", 3), ("1_000", 1000), ("-0x_1F", -31),
    ("1:30", 90), ("190:20:30", 685230), ("1e3", "1e3"), ("1.0e+3", 1000.0), ("1.5", 1.5), (".5", 0.5),
    ("~", None), ("null", None), ("Null", None), ("", None), ("NULL", None), ("nil", "nil"),
    ("2024-01-02", dt.date(2024, 1, 2)), ("2024-1-2", "2024-1-2"),
    ("2001-12-14t21:59:43.10-05:00",
     dt.datetime(2001, 12, 14, 21, 59, 43, 100000, dt.timezone(-dt.timedelta(hours=5)))),
    ("2001-12-14 21:59:43.10 Z", dt.datetime(2001, 12, 14, 21, 59, 43, 100000, dt.timezone.utc)),
    ("'yes'", "yes"), ('"0644"', "0644"), ("!!str 12", "12"), ("!!int '7'", 7), ("!!float '1'", 1.0),
    ("!!binary aGVsbG8=", b"hello"), ("!unsafe '{{ x }}'", Unsafe("{{ x }}")), ("!unsafe 12", 12),
    ("!vault abc", Vault("abc")), ("1.5.6", "1.5.6"), ("+12", 12), ("-0", 0),
])
def test_scalar_values(text: str, expected: object, reference: bool) -> None:
    got = value(f"a: {text}\n", reference)["a"]  # type: ignore[index]
    assert got == expected
    assert type(got) is type(expected)


def test_infinities_and_nan() -> None:
    got = value("a: .inf\nb: -.Inf\nc: .NaN\n")
    assert got["a"] == math.inf and got["b"] == -math.inf and math.isnan(got["c"])  # type: ignore[index]


def test_y_and_n_stay_strings_as_keys() -> None:
    assert value("{n: 2, y: 3, yes: 4}") == {"n": 2, "y": 3, True: 4}


def test_merge_keys_and_anchors() -> None:
    got = value("base: &b {a: 1, b: 2}\nother: &o {b: 9, c: 3}\nx:\n  <<: [*b, *o]\n  c: 4\ny: *b\n")
    assert got["x"] == {"a": 1, "b": 2, "c": 4}  # type: ignore[index]
    assert got["y"] == {"a": 1, "b": 2}  # type: ignore[index]


def test_duplicate_key_last_wins_with_warning_at_second_key() -> None:
    document = load_text("a: 1\nb: 2\na: 3\n", "t.yml")
    assert document.root is not None and document.root.value == {"a": 3, "b": 2}
    [warning] = document.diagnostics
    assert (warning.code, warning.severity.name, warning.span.line, warning.span.col) == ("Y003", "WARNING", 3, 1)
    assert warning.message == "Found duplicate mapping key 'a'."
    assert document.loadable


def test_merge_then_explicit_key_is_a_duplicate_as_in_ansible() -> None:
    assert codes("x: &a {name: 1}\ny:\n  <<: *a\n  name: 2\n") == [("Y003", 4, 3)]


@pytest.mark.parametrize(("text", "code", "line", "col"), [
    ("a: =\n", "Y006", 1, 4),
    ("a: <<\n", "Y006", 1, 4),
    ("a: !foo x\n", "Y004", 1, 4),
    ("a: !!python/object:os.system x\n", "Y004", 1, 4),
    ("a: !vault 12\n", "Y006", 1, 4),
    ("a: 1\n---\nb: 2\n", "Y005", 2, 1),
    ("a: 1\n\tb: 2\n", "Y001", 2, 1),
    ("a: [1\n", "Y001", 2, 1),
    ("a: !!int x\n", "Y006", 1, 4),
    ("a: 2024-13-45\n", "Y006", 1, 4),
    ("x:\n  <<: 5\n", "Y006", 2, 7),
])
def test_errors_are_diagnostics(text: str, code: str, line: int, col: int) -> None:
    found = codes(text)
    assert found[0] == (code, line, col)
    assert not load_text(text, "t.yml").loadable


def test_python_tags_are_never_constructed() -> None:
    document = load_text("a: !!python/object/apply:os.system ['echo pwned']\n", "t.yml")
    assert document.diagnostics[0].code == "Y004"
    assert document.root is not None and document.root.value == {"a": ["echo pwned"]}


def test_positions_are_one_based_with_ends() -> None:
    document = load_text("- name: x\n  shell: echo hi\n", "t.yml")
    root = document.root
    assert isinstance(root, SeqNode)
    task = root.items[0]
    assert isinstance(task, MapNode)
    assert task.span == Span(1, 3, 2, 17)
    key, val = task.entries["shell"]
    assert key.span == Span(2, 3, 2, 8) and val.span == Span(2, 10, 2, 17)


def test_empty_value_sits_after_its_colon_like_libyaml() -> None:
    document = load_text("a:\n  b:   # note\n\nc: 1\n", "t.yml")
    inner = document.root.entries["a"][1]  # type: ignore[union-attr]
    assert inner.entries["b"][1].span == Span(2, 5, 2, 5)


@pytest.mark.parametrize(("data", "expected"), [
    (b"\xef\xbb\xbfa: 1\r\nb: 2\r\n", {"a": 1, "b": 2}),
    (b"a: caf\xc3\xa9\n", {"a": "café"}),
])
def test_bom_crlf_and_utf8(data: bytes, expected: object) -> None:
    document = load_bytes(data, "t.yml")
    assert document.root is not None and document.root.value == expected


@pytest.mark.parametrize(("data", "line", "col"), [
    (b"a: \xff\xfe1\n", 1, 4),
    (b"x: 1\ny: \xc3\x28\n", 2, 4),
    (b"\xff\xfea\x00:\x00", 1, 1),
])
def test_bad_encoding_is_an_error_with_position(data: bytes, line: int, col: int) -> None:
    document = load_bytes(data, "t.yml")
    [diagnostic] = document.diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.col) == ("Y002", line, col)
    assert document.root is None


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n", "---\n...\n"])
def test_empty_documents(text: str) -> None:
    document = load_text(text, "t.yml")
    assert document.diagnostics == []
    assert document.root is None or document.root.value is None


def test_nul_byte_is_a_syntax_error() -> None:
    assert codes("a: b\x00c\n")[0][0] == "Y001"


def test_unsafe_mapping_makes_every_string_unsafe() -> None:
    got = value("a: !unsafe {k: '{{ v }}', n: [x, 1]}\n")["a"]  # type: ignore[index]
    assert got == {"k": "{{ v }}", "n": ["x", 1]}
    assert type(got["k"]) is Unsafe and type(got["n"][0]) is Unsafe and type(got["n"][1]) is int


def test_alias_bomb_is_bounded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    document = load_text("\n".join(lines) + "\n", "bomb.yml")
    assert [d.code for d in document.diagnostics] == ["Y007"]


@pytest.mark.parametrize("text", [
    "a: 1\nb:\nc: [x, '', {d: }]\na: 2\nn: !!int x\n",
    "- {[1]: x, {k: v}: y, =: z, ok: !unsafe [q, 3]}\n-\n- - name: t\n    when: \n",
    "k: !vault abc\nn: !!int x\nm: !!map s\nf: {a: 1, a: 2}\n",
])
def test_texts_without_aliases_or_merges_load_as_the_general_path_does(text: str) -> None:
    """Without "*" or "<<" in the text the constructor skips its alias and merge machinery."""
    from shep.loader import _compose_fast
    from shep.loader.construct import Constructor

    loaded = []
    for general in (False, True):
        constructor = Constructor("t.yml", text)
        if general:
            constructor._aliases = constructor._merges = True
        root = constructor.convert(_compose_fast(text))
        loaded.append((repr(root), constructor.diagnostics))
    assert loaded[0] == loaded[1]
    assert loaded[0][1]  # the texts have problems to report, in the same order
