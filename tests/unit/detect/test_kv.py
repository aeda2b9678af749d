"""Tests for shep.detect.kv, the clean-room k=v argument splitter.

The table below was checked by hand against the rules and against
ansible-core 2.19's ``ansible.parsing.splitter``; the hypothesis tests at the
end compare the two implementations directly when ansible-core is installed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

try:
    from shep.detect import kv
except ModuleNotFoundError:  # running from a checkout without installing shep
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "src"))
    from shep.detect import kv

ERR = "ERR"  # expected outcome: KVError
_UNBALANCED = "failed at splitting arguments, either an unbalanced jinja2 block or quotes: "

Split = list[str] | str
KV = dict[str, str] | str


class Case(NamedTuple):
    args: str
    split: Split
    kv: KV  # parse_kv(args)
    kv_raw: KV  # parse_kv(args, check_raw=True)


CASES: list[Case] = [
    # --- plain k=v and quoting
    Case('a=1 b="x y"', ["a=1", 'b="x y"'], {"a": "1", "b": "x y"}, {"_raw_params": 'a=1 b="x y"'}),
    Case("a=é ü=ß", ["a=é", "ü=ß"], {"a": "é", "ü": "ß"}, {"_raw_params": "a=é ü=ß"}),
    Case('a="it\'s"', ['a="it\'s"'], {"a": "it's"}, {"_raw_params": 'a="it\'s"'}),
    Case("a='say \"hi\"'", ["a='say \"hi\"'"], {"a": 'say "hi"'}, {"_raw_params": "a='say \"hi\"'"}),
    Case("a='\"x\"'", ["a='\"x\"'"], {"a": '"x"'}, {"_raw_params": "a='\"x\"'"}),
    Case("a=\"\" b=''", ['a=""', "b=''"], {"a": "", "b": ""}, {"_raw_params": "a=\"\" b=''"}),
    Case('a=" b "', ['a=" b "'], {"a": " b "}, {"_raw_params": 'a=" b "'}),
    Case('a="x  y"', ['a="x  y"'], {"a": "x  y"}, {"_raw_params": 'a="x  y"'}),
    Case('a="b"c"d"', ['a="b"c"d"'], {"a": 'b"c"d'}, {"_raw_params": 'a="b"c"d"'}),
    Case("a='x''y'", ["a='x''y'"], {"a": "x''y"}, {"_raw_params": "a='x''y'"}),
    Case('a=b"c d"', ['a=b"c d"'], {"a": 'b"c d"'}, {"_raw_params": 'a=b"c d"'}),
    Case("'a=b'", ["'a=b'"], {"'a": "b'"}, {"_raw_params": "'a=b'"}),
    Case('"a b"=c', ['"a b"=c'], {'"a b"': "c"}, {"_raw_params": '"a b"=c'}),
    Case('a="x\\" y"', ['a="x\\" y"'], {"a": 'x" y'}, {"_raw_params": 'a="x\\" y"'}),
    Case('a="\\""', ['a="\\""'], {"a": '"'}, {"_raw_params": 'a="\\""'}),
    Case('"\\"a b"', ['"\\"a b"'], {"_raw_params": '"\\"a b"'}, {"_raw_params": '"\\"a b"'}),
    Case('a=\\"x\\"', ['a=\\"x\\"'], {"a": "x"}, {"_raw_params": 'a=\\"x\\"'}),
    Case("a=\\'b", ["a=\\'b"], {"a": "'b"}, {"_raw_params": "a=\\'b"}),
    Case("a=1 a=2", ["a=1", "a=2"], {"a": "2"}, {"_raw_params": "a=1 a=2"}),
    # --- odd keys / values
    Case("k=", ["k="], {"k": ""}, {"_raw_params": "k="}),
    Case("=v", ["=v"], {"_raw_params": "=v"}, {"_raw_params": "=v"}),
    Case("=a=b", ["=a=b"], {"=a": "b"}, {"_raw_params": "=a=b"}),
    Case("a = b", ["a", "=", "b"], {"_raw_params": "a = b"}, {"_raw_params": "a = b"}),
    Case("a= b", ["a=", "b"], {"a": "", "_raw_params": "b"}, {"_raw_params": "a= b"}),
    Case("a\tb=1", ["a\tb=1"], {"a\tb": "1"}, {"_raw_params": "a\tb=1"}),
    Case("a=1\tb=2", ["a=1\tb=2"], {"a": "1\tb=2"}, {"_raw_params": "a=1\tb=2"}),
    Case("a=\xa0x\xa0", ["a=\xa0x\xa0"], {"a": "x"}, {"_raw_params": "a=\xa0x\xa0"}),
    Case("_raw_params=x echo", ["_raw_params=x", "echo"], {"_raw_params": "echo"}, {"_raw_params": "_raw_params=x echo"}),
    # --- escaped equals and escape decoding
    Case("a\\=b", ["a\\=b"], {"_raw_params": "a=b"}, {"_raw_params": "a=b"}),
    Case("a\\=b=c", ["a\\=b=c"], {"a\\=b": "c"}, {"_raw_params": "a\\=b=c"}),
    Case("a\\\\=b", ["a\\\\=b"], {"_raw_params": "a=b"}, {"_raw_params": "a=b"}),
    Case("a=\\\\=b", ["a=\\\\=b"], {"a": "\\=b"}, {"_raw_params": "a=\\\\=b"}),
    Case("a=\\n", ["a=\\n"], {"a": ""}, {"_raw_params": "a=\\n"}),
    Case("a=\\\\n", ["a=\\\\n"], {"a": "\\n"}, {"_raw_params": "a=\\\\n"}),
    Case("a=\\u00e9", ["a=\\u00e9"], {"a": "é"}, {"_raw_params": "a=\\u00e9"}),
    Case("a=é\\u00e9\\U0001F600", ["a=é\\u00e9\\U0001F600"], {"a": "éé\U0001f600"}, {"_raw_params": "a=é\\u00e9\\U0001F600"}),
    Case("a=\\x41\\t", ["a=\\x41\\t"], {"a": "A"}, {"_raw_params": "a=\\x41\\t"}),
    Case("a=\\q", ["a=\\q"], {"a": "\\q"}, {"_raw_params": "a=\\q"}),
    # '=' produced by an escape splits too; a decoded backslash escapes '='.
    Case("a\\x3db", ["a\\x3db"], {"a": "b"}, {"_raw_params": "a\\x3db"}),
    Case("a\\x5c=b", ["a\\x5c=b"], {"_raw_params": "a=b"}, {"_raw_params": "a=b"}),
    Case("\\u003d", ["\\u003d"], {"_raw_params": "="}, {"_raw_params": "="}),
    Case('a="\\N{DIGIT ONE}"', ['a="\\N{DIGIT ONE}"'], {"a": "1"}, {"_raw_params": 'a="\\N{DIGIT ONE}"'}),
    Case("a=\\N{DIGIT ONE}", ["a=\\N{DIGIT", "ONE}"], {"a": "\\N{DIGIT", "_raw_params": "ONE}"}, {"_raw_params": "a=\\N{DIGIT ONE}"}),
    Case("echo \\n", ["echo", "\\n"], {"_raw_params": "echo \\n"}, {"_raw_params": "echo \\n"}),
    Case("echo \\u00e9 x=\\u00e9", ["echo", "\\u00e9", "x=\\u00e9"], {"x": "é", "_raw_params": "echo \\u00e9"}, {"_raw_params": "echo \\u00e9 x=\\u00e9"}),
    # --- free-form commands and check_raw
    Case("echo hi creates=/tmp/x", ["echo", "hi", "creates=/tmp/x"], {"creates": "/tmp/x", "_raw_params": "echo hi"}, {"creates": "/tmp/x", "_raw_params": "echo hi"}),
    Case("chdir=/tmp ls -l", ["chdir=/tmp", "ls", "-l"], {"chdir": "/tmp", "_raw_params": "ls -l"}, {"chdir": "/tmp", "_raw_params": "ls -l"}),
    Case(" creates=/x", ["creates=/x"], {"creates": "/x"}, {"creates": "/x"}),
    Case("creates\t=/x", ["creates\t=/x"], {"creates": "/x"}, {"_raw_params": "creates\t=/x"}),
    Case("executable=/bin/bash warn=no x=1", ["executable=/bin/bash", "warn=no", "x=1"], {"executable": "/bin/bash", "warn": "no", "x": "1"}, {"executable": "/bin/bash", "warn": "no", "_raw_params": "x=1"}),
    Case('stdin="a b" cat', ['stdin="a b"', "cat"], {"stdin": "a b", "_raw_params": "cat"}, {"stdin": "a b", "_raw_params": "cat"}),
    Case('echo  "a  b"', ["echo ", '"a  b"'], {"_raw_params": 'echo  "a  b"'}, {"_raw_params": 'echo  "a  b"'}),
    # --- jinja blocks
    Case("{{ foo }} bar=1", ["{{ foo }}", "bar=1"], {"bar": "1", "_raw_params": "{{ foo }}"}, {"_raw_params": "{{ foo }} bar=1"}),
    Case("a=\"{{ x | default('y z') }}\"", ["a=\"{{ x | default('y z') }}\""], {"a": "{{ x | default('y z') }}"}, {"_raw_params": "a=\"{{ x | default('y z') }}\""}),
    Case("msg=\"{{ 'a b' }}\" c=1", ["msg=\"{{ 'a b' }}\"", "c=1"], {"msg": "{{ 'a b' }}", "c": "1"}, {"_raw_params": "msg=\"{{ 'a b' }}\" c=1"}),
    Case('msg={{ "a=b" }}', ['msg={{ "a=b" }}'], {"msg": '{{ "a=b" }}'}, {"_raw_params": 'msg={{ "a=b" }}'}),
    Case("x={{ a }}{{ b }} y=2", ["x={{ a }}{{ b }}", "y=2"], {"x": "{{ a }}{{ b }}", "y": "2"}, {"_raw_params": "x={{ a }}{{ b }} y=2"}),
    Case("src={{ item }} dest=/x/{{ item | basename }}", ["src={{ item }}", "dest=/x/{{ item | basename }}"], {"src": "{{ item }}", "dest": "/x/{{ item | basename }}"}, {"_raw_params": "src={{ item }} dest=/x/{{ item | basename }}"}),
    Case("{{ x }}=1 y", ["{{ x }}=1", "y"], {"{{ x }}": "1", "_raw_params": "y"}, {"_raw_params": "{{ x }}=1 y"}),
    Case("a={% if x %}", ["a={% if x %}"], {"a": "{% if x %}"}, {"_raw_params": "a={% if x %}"}),
    Case("{%raw%} a b {%endraw%}", ["{%raw%}", "a", "b", "{%endraw%}"], {"_raw_params": "{%raw%} a b {%endraw%}"}, {"_raw_params": "{%raw%} a b {%endraw%}"}),
    Case("{% if a %}x{% endif %} y=1", ["{% if a %}x{% endif %}", "y=1"], {"y": "1", "_raw_params": "{% if a %}x{% endif %}"}, {"_raw_params": "{% if a %}x{% endif %} y=1"}),
    Case("{# a b #} c=d", ["{# a b #}", "c=d"], {"c": "d", "_raw_params": "{# a b #}"}, {"_raw_params": "{# a b #} c=d"}),
    Case("{{ a }}}}", ["{{ a }}}}"], {"_raw_params": "{{ a }}}}"}, {"_raw_params": "{{ a }}}}"}),
    Case("a}} b", ["a}}", "b"], {"_raw_params": "a}} b"}, {"_raw_params": "a}} b"}),
    Case('{{ "}}" }}', ['{{ "}}"', "}}"], {"_raw_params": '{{ "}}" }}'}, {"_raw_params": '{{ "}}" }}'}),
    Case("{{ a\n}}", ["{{ a\n}}"], {"_raw_params": "{{ a\n}}"}, {"_raw_params": "{{ a\n}}"}),
    # --- whitespace, newlines and line continuations
    Case("", [], {}, {}),
    Case("   ", ["   "], {"_raw_params": "   "}, {"_raw_params": "   "}),
    Case(" a", ["a"], {"_raw_params": "a"}, {"_raw_params": "a"}),
    Case("  a", [" ", "a"], {"_raw_params": "  a"}, {"_raw_params": "  a"}),
    Case("a  b", ["a ", "b"], {"_raw_params": "a  b"}, {"_raw_params": "a  b"}),
    Case("a=1 ", ["a=1 "], {"a": "1"}, {"_raw_params": "a=1 "}),
    Case("\n", ["\n"], {"_raw_params": "\n"}, {"_raw_params": "\n"}),
    Case("a\n", ["a\n"], {"_raw_params": "a\n"}, {"_raw_params": "a\n"}),
    Case("a\n\nb", ["a\n\n", "b"], {"_raw_params": "a\n\nb"}, {"_raw_params": "a\n\nb"}),
    Case("a=1\nb=2", ["a=1\n", "b=2"], {"a": "1", "b": "2"}, {"_raw_params": "a=1\nb=2"}),
    Case("a=1\r\nb=2", ["a=1\r\n", "b=2"], {"a": "1", "b": "2"}, {"_raw_params": "a=1\r\nb=2"}),
    Case("echo a\n  b", ["echo", "a\n ", "b"], {"_raw_params": "echo a\n  b"}, {"_raw_params": "echo a\n  b"}),
    Case("a={{ b }}\n c={{ d }}", ["a={{ b }}\n", "c={{ d }}"], {"a": "{{ b }}", "c": "{{ d }}"}, {"_raw_params": "a={{ b }}\nc={{ d }}"}),
    Case('a="x\ny"', ['a="x\ny"'], {"a": "x\ny"}, {"_raw_params": 'a="x\ny"'}),
    Case('echo "a\n b"', ["echo", '"a\n b"'], {"_raw_params": 'echo "a\n b"'}, {"_raw_params": 'echo "a\n b"'}),
    Case("{{ a }}\n{{ b }}", ["{{ a }}\n", "{{ b }}"], {"_raw_params": "{{ a }}\n{{ b }}"}, {"_raw_params": "{{ a }}\n{{ b }}"}),
    Case("a=1 \\\nb=2", ["a=1", "b=2"], {"a": "1", "b": "2"}, {"_raw_params": "a=1 b=2"}),
    Case('a="x" \\\n  b=1', ['a="x" ', "b=1"], {"a": "x", "b": "1"}, {"_raw_params": 'a="x"  b=1'}),
    Case('x="a\\\nb"', ['x="a\\\nb"'], {"x": "a\\\nb"}, {"_raw_params": 'x="a\\\nb"'}),
    Case("x \\ y", ["x", "y"], {"_raw_params": "x y"}, {"_raw_params": "x y"}),
    Case("\\ a", ["a"], {"_raw_params": "a"}, {"_raw_params": "a"}),
    Case("\\", [], {}, {}),
    Case("a=1 \\", ["a=1"], {"a": "1"}, {"_raw_params": "a=1"}),
    Case("a=1\\", ["a=1\\"], {"a": "1\\"}, {"_raw_params": "a=1\\"}),
    # --- unbalanced input
    Case('a="b', ERR, ERR, ERR),
    Case("a='b c", ERR, ERR, ERR),
    Case('a="x\\"', ERR, ERR, ERR),
    Case('a="x\\\\" b', ERR, ERR, ERR),
    Case('\\"a b"', ERR, ERR, ERR),
    Case("a={{ b", ERR, ERR, ERR),
    Case("{{ a }} {{", ERR, ERR, ERR),
    Case('a="{{" b', ERR, ERR, ERR),
    Case("{# c", ERR, ERR, ERR),
]


def _outcome(func: Callable[..., object], *args: object) -> object:
    """Call *func*, mapping KVError to ERR so tables can state failures."""
    try:
        return func(*args)
    except kv.KVError:
        return ERR


def _ids(cases: list[Case]) -> list[str]:
    return [repr(c.args) for c in cases]


def test_table_is_big_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.args for c in CASES}) == len(CASES), "duplicate table entries"


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_split_args(case: Case) -> None:
    assert _outcome(kv.split_args, case.args) == case.split


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_parse_kv(case: Case) -> None:
    got = _outcome(kv.parse_kv, case.args, False)
    assert got == case.kv
    if isinstance(got, dict):
        assert isinstance(case.kv, dict)
        assert list(got) == list(case.kv), "key order differs"


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_parse_kv_check_raw(case: Case) -> None:
    got = _outcome(kv.parse_kv, case.args, True)
    assert got == case.kv_raw
    if isinstance(got, dict):
        assert isinstance(case.kv_raw, dict)
        assert list(got) == list(case.kv_raw), "key order differs"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ('a="b', _UNBALANCED + 'a="b'),
        ("x={{ y", _UNBALANCED + "x={{ y"),
        # Ansible strips the whole message, so trailing whitespace goes.
        ('" \\ ', _UNBALANCED + '" \\'),
        ("{% a\n", _UNBALANCED + "{% a"),
    ],
)
def test_error_message(args: str, message: str) -> None:
    with pytest.raises(kv.KVError) as info:
        kv.split_args(args)
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)
    with pytest.raises(kv.KVError):
        kv.parse_kv(args, check_raw=True)


@pytest.mark.parametrize("args", ["a=\\N{bogus}", "\\N{DIGIT ZERO", "a=\\U00110000", "\\U0011ffff=1"])
def test_bad_escape_is_kverror(args: str) -> None:
    # Ansible crashes with UnicodeDecodeError on some of these (any containing '='); shep reports
    # a KVError for all of them.  "\N{DIGIT ZERO" without '}' is no escape at all.
    if "=" not in args:
        assert kv.parse_kv(args) == {"_raw_params": args}
        return
    with pytest.raises(kv.KVError, match="failed to decode escape sequence"):
        kv.parse_kv(args)


def test_parse_kv_none() -> None:
    assert kv.parse_kv(None) == {}
    assert kv.parse_kv(None, check_raw=True) == {}


@pytest.mark.parametrize(
    ("tokens", "joined"),
    [
        ([], ""),
        (["a"], "a"),
        (["a", "b"], "a b"),
        (["a\n", "b"], "a\nb"),
        (["a ", "b"], "a  b"),
        (["", "a"], "a"),
        (["a", "", "b"], "a  b"),
        (["\n", "\n", "x"], "\n\nx"),
    ],
)
def test_join_args(tokens: list[str], joined: str) -> None:
    assert kv.join_args(tokens) == joined


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ('"a"', "a"),
        ("'a'", "a"),
        ('""', ""),
        ('"', '"'),
        ("'a\"", "'a\""),
        ('"a\\"', '"a\\"'),
        ('"a\\\\"', '"a\\\\"'),
        ("a", "a"),
        ("", ""),
        ("''x''", "'x'"),
    ],
)
def test_unquote(data: str, expected: str) -> None:
    assert kv.unquote(data) == expected


def test_free_form_options() -> None:
    assert kv.FREE_FORM_KV_OPTIONS == frozenset(
        {"creates", "removes", "chdir", "executable", "warn", "stdin", "stdin_add_newline", "strip_empty_ends"}
    )


# ---------------------------------------------------------------------------
# differential tests against ansible-core


@pytest.fixture(scope="module")
def ansible_splitter() -> ModuleType:
    module: ModuleType = pytest.importorskip(
        "ansible.parsing.splitter", reason="ansible-core is needed for the differential tests"
    )
    return module


@pytest.fixture(scope="module")
def ansible_quoting() -> ModuleType:
    module: ModuleType = pytest.importorskip(
        "ansible.parsing.quoting", reason="ansible-core is needed for the differential tests"
    )
    return module


def _ansible_outcome(func: Callable[..., Any], *args: object) -> object:
    """Run an ansible function and normalise its (tagged) result or error."""
    from ansible.errors import AnsibleParserError  # type: ignore[import-untyped]

    try:
        result = func(*args)
    except AnsibleParserError as exc:
        return ("error", str(exc))
    except UnicodeError:
        # Invalid \N{...} or \U escape: ansible crashes, shep raises KVError.
        return ("decode-error",)
    if isinstance(result, dict):
        return ("ok", [(str(k), str(v)) for k, v in result.items()])
    return ("ok", [str(x) for x in result])


def _shep_outcome(func: Callable[..., Any], *args: object) -> object:
    try:
        result = func(*args)
    except kv.KVError as exc:
        if str(exc).startswith("failed to decode escape sequence"):
            return ("decode-error",)
        return ("error", str(exc))
    if isinstance(result, dict):
        # Item lists, so that key order is compared too.
        items = list(result.items())
        assert all(type(k) is str and type(v) is str for k, v in items)
        return ("ok", items)
    assert all(type(x) is str for x in result)
    return ("ok", list(result))


def _assert_same(splitter: ModuleType, args: str) -> None:
    assert _shep_outcome(kv.split_args, args) == _ansible_outcome(splitter.split_args, args)
    for check_raw in (False, True):
        assert _shep_outcome(kv.parse_kv, args, check_raw) == _ansible_outcome(
            splitter.parse_kv, args, check_raw
        ), f"check_raw={check_raw}"


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_table_matches_ansible(ansible_splitter: ModuleType, case: Case) -> None:
    _assert_same(ansible_splitter, case.args)


@pytest.mark.parametrize(
    "args", ["a=\\N{bogus}", "a=\\U00110000", "\\U0011ffff=1", "a=\\N{DIGIT ONE}"]
)
def test_bad_escapes_match_ansible(ansible_splitter: ModuleType, args: str) -> None:
    _assert_same(ansible_splitter, args)


# Characters that drive the splitter's state machine, plus some whitespace
# that Python's str.strip() removes but the splitter does not split on.
_TRICKY = list("'\"\\= \t\n{}%#abkz\r\xa0\u2028é€😀")
# Multi-character pieces that are unlikely to appear by chance.
_PIECES = [
    "{{", "}}", "{%", "%}", "{#", "#}", "\\\n", " \\ ", "\\=", "\\\\", '\\"', "\\'",
    "\\n", "\\t", "\\x41", "\\u00e9", "\\U0001F600", "\\U00110000", "\\N{DIGIT ONE}",
    "\\N{bogus}", "\\N{", "\\x3d", "\\x5c", "\\u003d", "creates=", "chdir=", "_raw_params=", "=",
]

_raw_text = st.text(
    alphabet=st.one_of(st.sampled_from(_TRICKY), st.characters(codec="utf-8")),
    max_size=40,
)

_word = st.text(alphabet=st.sampled_from(list("abcxyz_-/.é0123")), min_size=0, max_size=5)
_key = st.one_of(st.sampled_from(sorted(kv.FREE_FORM_KV_OPTIONS)), _word)


@st.composite
def _value(draw: st.DrawFn) -> str:
    inner = draw(st.lists(st.one_of(_word, st.sampled_from(_PIECES + [" ", "  ", "\n", "'", '"'])), max_size=4))
    text = "".join(inner)
    wrap = draw(st.sampled_from(["", "'", '"', "{{ ", "{% ", "{# "]))
    closer = {"": "", "'": "'", '"': '"', "{{ ": " }}", "{% ": " %}", "{# ": " #}"}[wrap]
    # Occasionally leave the wrapper unbalanced.
    if draw(st.integers(0, 9)) == 0:
        closer = ""
    return wrap + text + closer


_token = st.one_of(
    st.builds(lambda k, v: f"{k}={v}", _key, _value()),
    _value(),
    st.sampled_from(_PIECES),
    _word,
)
_separator = st.sampled_from([" ", " ", " ", "  ", "\n", " \\\n", "\t", "", "\n  "])


@st.composite
def _grammar_text(draw: st.DrawFn) -> str:
    tokens = draw(st.lists(_token, max_size=8))
    out = draw(st.sampled_from(["", " ", "  ", "\n"]))
    for token in tokens:
        out += token + draw(_separator)
    return out


_SETTINGS = settings(
    max_examples=3000,
    deadline=None,
    database=None,  # keep the checkout free of .hypothesis/
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.mark.slow
@_SETTINGS
@given(args=_raw_text)
def test_differential_raw_text(ansible_splitter: ModuleType, args: str) -> None:
    _assert_same(ansible_splitter, args)


@pytest.mark.slow
@_SETTINGS
@given(args=_grammar_text())
def test_differential_grammar(ansible_splitter: ModuleType, args: str) -> None:
    _assert_same(ansible_splitter, args)


@pytest.mark.slow
@_SETTINGS
@given(tokens=st.lists(st.one_of(_token, st.sampled_from(["", "\n", " ", "a\n"])), max_size=6))
def test_differential_join_args(ansible_splitter: ModuleType, tokens: list[str]) -> None:
    assert kv.join_args(tokens) == ansible_splitter.join_args(tokens)


@pytest.mark.slow
@_SETTINGS
@given(data=st.one_of(_raw_text, _value()))
def test_differential_unquote(ansible_quoting: ModuleType, data: str) -> None:
    assert kv.unquote(data) == ansible_quoting.unquote(data)
