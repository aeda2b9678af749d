"""Fuzz the library API: no input ever makes an exception escape, every diagnostic is well-formed.

Surfaces: ``shep.parse`` (text and bytes, every kind, both parsers), ``shep.load``,
``shep.batch.validate_file``, ``shep.validate.validate_model``, and ``shep.serialize.json.model_to_dict`` /
``iter_task_records`` on every model produced (the result must ``json.dumps`` with
``allow_nan=False``: the serializer promises JSON-safe data).

Inputs: random unicode text, random bytes (invalid UTF-8, BOMs of other encodings, encoded
surrogates), YAML built from a grammar (anchors, aliases, merge keys, tags, flow and block styles,
block scalars, comments, multiple documents, tabs, CRLF, BOM) and random task/play structures
made of real Ansible keywords and module names with values of random types.

SHEP_FUZZ_EXAMPLES scales every test (``make fuzz`` sets 20000); the defaults keep this file well
under a minute.
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import shep
from shep.diagnostics import RULES, Diagnostic, FileResult, Severity
from shep.model import Play, Playbook, Task, TaskFile
from shep.serialize.json import iter_task_records, model_to_dict
from shep.batch import Options, validate_file
from shep.validate import validate_model

pytestmark = pytest.mark.slow  # fuzzing campaigns

_SCALE = os.environ.get("SHEP_FUZZ_EXAMPLES")


def examples(default: int) -> int:
    """The default example count, or SHEP_FUZZ_EXAMPLES when set (the longer campaign)."""
    return int(_SCALE) if _SCALE else default


def fuzz_settings(default: int) -> settings:
    return settings(max_examples=examples(default), deadline=None, database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture])


KINDS: tuple[str | None, ...] = (None, "playbook", "tasks", "handlers")
LINE_BREAKS = ("\n", "\r", "\x85", "\u2028", "\u2029")


# -- the contract --------------------------------------------------------------------------------


def line_bound(data: str | bytes) -> int:
    """An upper bound of the line numbers a position in this input can have (any YAML line break)."""
    if isinstance(data, bytes):
        data = data.decode("utf-8", "replace")
    return sum(data.count(b) for b in LINE_BREAKS) + 2


def check_span(span: Any, bound: int, what: str) -> None:
    numbers = (span.line, span.col, span.end_line, span.end_col)
    assert all(type(n) is int for n in numbers), f"{what}: non-int position {span}"
    assert span.line >= 1 and span.col >= 1, f"{what}: position not 1-based: {span}"
    assert (span.end_line, span.end_col) >= (span.line, span.col), f"{what}: end before start: {span}"
    assert span.end_line <= bound, f"{what}: line past the end of the input ({bound}): {span}"


def check_diagnostic(d: Any, path: str, bound: int) -> None:
    assert isinstance(d, Diagnostic), d
    assert d.code in RULES, f"unregistered code {d.code!r}"
    assert d.name == RULES[d.code].name, d
    assert isinstance(d.severity, Severity), d
    assert isinstance(d.message, str) and d.message.strip(), f"empty message: {d}"
    assert d.path == path, f"diagnostic path {d.path!r} != {path!r}"
    check_span(d.span, bound, f"diagnostic {d.code} {d.message!r}")
    json.dumps(d.to_dict(), allow_nan=False)


def walk_objects(model: Playbook | TaskFile) -> Iterator[Task | Play]:
    if isinstance(model, Playbook):
        yield from model.plays
        yield from model.tasks()
    else:
        yield from model.all_tasks()


def check_model(model: Any, path: str, bound: int, kind: str | None) -> None:
    assert isinstance(model, (Playbook, TaskFile)), type(model)
    if kind == "playbook":
        assert isinstance(model, Playbook)
    elif kind is not None:
        assert isinstance(model, TaskFile) and model.kind == kind
    assert model.path == path
    for d in model.diagnostics:
        check_diagnostic(d, path, bound)
    for obj in walk_objects(model):
        assert obj.path == path
        assert isinstance(obj.doc_path, str) and obj.doc_path
        check_span(obj.span, bound, f"{type(obj).__name__} {obj.doc_path}")
        for key, span in obj.key_spans:
            check_span(span, bound, f"key {key!r} of {obj.doc_path}")
    body = model_to_dict(model)
    json.dumps(body, allow_nan=False)
    for include_blocks in (False, True):
        for record in iter_task_records(model, include_blocks=include_blocks):
            json.dumps(record, allow_nan=False)
    for d in validate_model(model):
        check_diagnostic(d, path, bound)


def check_result(result: Any, path: str, bound: int) -> None:
    assert isinstance(result, FileResult), type(result)
    assert result.path == path
    assert result.verdict in ("passed", "failed", "skipped"), result.verdict
    assert result.kind in KINDS, result.kind
    if result.verdict == "skipped":
        assert result.reason
    for d in result.diagnostics:
        check_diagnostic(d, path, bound)


_WORKDIR = Path(tempfile.mkdtemp(prefix="shep-fuzz-lib-"))
atexit.register(shutil.rmtree, _WORKDIR, ignore_errors=True)
(_WORKDIR / "tasks").mkdir()
(_WORKDIR / "handlers").mkdir()


def exercise(data: str | bytes, *, reference: bool = True, on_disk: bool = True) -> None:
    """Every library surface on one input; fails on an escaping exception or a malformed result."""
    bound = line_bound(data)
    for kind in KINDS:
        model = shep.parse(data, kind=kind, filename="fuzz.yml")
        check_model(model, "fuzz.yml", bound, kind)
    if reference:
        model = shep.parse(data, filename="fuzz.yml", reference=True)
        check_model(model, "fuzz.yml", bound, None)
    if on_disk:
        raw = data if isinstance(data, bytes) else data.encode("utf-8")
        for where in ("plain.yml", "tasks/main.yml", "handlers/main.yml"):
            path = _WORKDIR / where
            path.write_bytes(raw)
            name = str(path)
            for kind in (None, "playbook") if where == "plain.yml" else (None,):
                check_model(shep.load(name, kind), name, bound, kind)
            check_result(validate_file(name), name, bound)
            check_result(validate_file(name, Options(kind="tasks")), name, bound)


# -- random text and bytes -----------------------------------------------------------------------

# Full unicode except surrogates (a str cannot be UTF-8 encoded with them; they come in as bytes).
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)

YAML_PIECES = [
    "-", "- ", ":", ": ", " ", "  ", "\n", "\r\n", "\r", "\t", "[", "]", "{", "}", ",", "?", "? ", "#", "# c\n",
    "&a ", "&b ", "*a", "*b", "*zz", "<<", "<<: ", "!", "!!", "!vault ", "!unsafe ", "!!str ", "!!int ",
    "!!python/object/apply:os.system ", "!foo ", "!<tag:x> ", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "---", "...",
    "|", ">", "|-", ">+2", "'", "\"", "\\", "\\x00", "\\ud800", "\\U0010ffff", "\\u", "\x00", "\ufeff", "\x85",
    "\u2028", "\x7f", "\x1b[31m", "é", "日本", "\U0001f600", "=", "k=v ", "msg=\"a b\" ", "{{ x }}", "{% if %}",
    "name", "hosts", "tasks", "block", "rescue", "always", "debug", "command", "shell", "action", "local_action",
    "args", "when", "loop", "with_items", "include_tasks", "import_playbook", "yes", "no", "~", "null", "0o17",
    "0x1F", "1e3", "1.5", ".inf", ".nan", "2024-01-31", "2001-12-14t21:59:43.10-05:00", "1:30", "0b101", "+1_0",
]
yamlish_text = st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=3), max_size=60).map("".join)

INVALID_UTF8 = [b"\xff", b"\xfe", b"\xc0\x80", b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xf4\x90\x80\x80", b"\x80",
                b"\xe2\x82", b"\xf0\x9f\x98"]
BOMS = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"]


@st.composite
def hostile_bytes(draw: st.DrawFn) -> bytes:
    base = draw(yamlish_text | any_text)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-16", "utf-16-le", "utf-32", "latin-1"]))
    try:
        raw = base.encode(encoding)
    except UnicodeEncodeError:
        raw = base.encode("utf-8")
    raw = draw(st.sampled_from(BOMS)) + raw
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.sampled_from(INVALID_UTF8) | st.binary(max_size=4)) + raw[at:]
    return raw


# -- grammar-based YAML --------------------------------------------------------------------------

ANCHORS = ["a", "b", "c", "x_1", "a", "b"]
KEYS = ["name", "hosts", "tasks", "handlers", "pre_tasks", "block", "rescue", "always", "when", "loop", "with_items",
        "vars", "args", "action", "local_action", "debug", "command", "shell", "include_tasks", "import_playbook",
        "import_role", "meta", "notify", "listen", "register", "delegate_to", "msg", "cmd", "apply", "roles", "x"]
TAGS = ["!vault", "!unsafe", "!!str", "!!int", "!!float", "!!bool", "!!null", "!!map", "!!seq", "!!set", "!!omap",
        "!!pairs", "!!binary", "!!timestamp", "!!merge", "!!value", "!!python/object:os.system",
        "!!python/object/apply:os.system", "!!python/name:os.system", "!!python/tuple", "!foo", "!vault-encrypted",
        "!<tag:yaml.org,2002:str>", "!<!>"]
PLAIN_SCALARS = ["x", "hello world", "yes", "No", "on", "y", "~", "null", "", "0", "-1", "0o17", "017", "0x1F", "0b11",
                 "1_000", "1.5", "1e3", "6.8523015e+5", ".inf", "-.Inf", ".NaN", "1:30:00", "2024-01-31",
                 "2001-12-14 21:59:43.10 -5", "2024-13-45", "=", "<<", "msg=hello", "cmd=ls chdir=/tmp", "a=1 b='2 3'",
                 "{{ item }}", "echo {{ x | default('y') }}", "name=x state=present", "ansible.builtin.debug",
                 "99999999999999999999999999", "1e400", "é", "\U0001f600", "a\\b", "a #not comment", "a: b"]
STRING_CHARS = st.characters(blacklist_categories=("Cs",))
# Mostly printable text, so that most grammar documents are valid YAML and reach the model and checks.
PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn")) | st.sampled_from("\t\x00\x1b\x85")


def _quote_double(text: str, escapes: list[str]) -> str:
    body = json.dumps(text, ensure_ascii=False)[1:-1]
    return '"' + body + "".join(escapes) + '"'


@st.composite
def scalar_text(draw: st.DrawFn) -> str:
    """A scalar as it appears in flow context (one line)."""
    style = draw(st.sampled_from(["plain", "plain", "plain", "single", "double"]))
    if style == "plain":
        return draw(st.sampled_from(PLAIN_SCALARS) | st.text(PRINTABLE, max_size=4)).replace("\n", " ")
    text = draw(st.sampled_from(PLAIN_SCALARS) | st.text(STRING_CHARS, max_size=8))
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    return _quote_double(text, draw(st.lists(st.sampled_from(["\\x00", "\\ud800", "\\N", "\\_", "\\L", "\\P", "\\e",
                                                              "\\U0001F600", "\\q", "\\"]), max_size=1)))


# Node: ("scalar", text) | ("block_scalar", indicator, lines) | ("alias", name) | ("seq", items, flow)
#       | ("map", pairs, flow); wrapped as (props, node) where props = (tag, anchor).
props = st.tuples(st.none() | st.none() | st.sampled_from(TAGS), st.none() | st.none() | st.sampled_from(ANCHORS))
leaf = st.one_of(
    st.tuples(props, st.tuples(st.just("scalar"), scalar_text())),
    st.tuples(props, st.tuples(st.just("block_scalar"), st.sampled_from(["|", ">", "|-", ">+", "|2"]),
                               st.lists(st.text(PRINTABLE, max_size=10).map(lambda s: s.replace("\n", " ")),
                                        max_size=3))),
    st.tuples(st.just((None, None)), st.tuples(st.just("alias"), st.sampled_from(ANCHORS))),
)


def collections(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    key = st.one_of(st.tuples(st.just((None, None)), st.tuples(st.just("scalar"), st.sampled_from(KEYS))),
                    st.tuples(st.just((None, None)), st.tuples(st.just("scalar"), scalar_text())),
                    st.just("<<"), children)
    return st.one_of(
        st.tuples(props, st.tuples(st.just("seq"), st.lists(children, max_size=4), st.booleans())),
        st.tuples(props, st.tuples(st.just("map"), st.lists(st.tuples(key, children), max_size=4), st.booleans())),
    )


yaml_tree = st.recursive(leaf, collections, max_leaves=25)


def _props(p: tuple[str | None, str | None]) -> str:
    tag, anchor = p
    return "".join(f"{x} " for x in (f"&{anchor}" if anchor else None, tag) if x)


def render_flow(item: Any) -> str:
    if item == "<<":
        return "<<"
    p, node = item
    kind = node[0]
    if kind == "alias":
        return f"*{node[1]}"
    if kind == "scalar":
        return _props(p) + node[1]
    if kind == "block_scalar":  # not allowed in flow: use a quoted scalar instead
        return _props(p) + json.dumps(" ".join(node[2]), ensure_ascii=False)
    if kind == "seq":
        return _props(p) + "[" + ", ".join(render_flow(i) for i in node[1]) + "]"
    return _props(p) + "{" + ", ".join(f"{render_flow(k)}: {render_flow(v)}" for k, v in node[1]) + "}"


def render_block(item: Any, indent: int) -> str:
    """Text that follows ``- `` or ``key:``; collections continue on the next lines at ``indent``."""
    if item == "<<":
        return " <<\n"
    p, node = item
    kind = node[0]
    pad = " " * indent
    if kind == "block_scalar":
        body = "".join(f"{pad}{line}\n" for line in node[2])
        return f" {_props(p)}{node[1]}\n{body}"
    if kind in ("scalar", "alias") or node[2] or not node[1]:
        return " " + render_flow(item) + "\n"
    head = (" " + _props(p).rstrip()) if _props(p) else ""
    out = head + "\n"
    if kind == "seq":
        for child in node[1]:
            out += pad + "-" + render_block(child, indent + 2)
        return out
    for key, value in node[1]:
        if key != "<<" and key[1][0] in ("seq", "map", "block_scalar"):
            out += pad + "? " + render_flow(key) + "\n" + pad + ":" + render_block(value, indent + 2)
        else:
            out += pad + render_flow(key) + ":" + render_block(value, indent + 2)
    return out


# Most Ansible files are a list at the top: bias the root towards a block sequence.
document_tree = st.one_of(yaml_tree, st.tuples(props, st.tuples(st.just("seq"), st.lists(yaml_tree, min_size=1,
                                                                                        max_size=4), st.just(False))))


def render_document(item: Any) -> str:
    text = render_block(item, 0)
    return text[1:] if text.startswith(" ") else text.lstrip("\n")


@st.composite
def grammar_yaml(draw: st.DrawFn) -> str:
    docs = [render_document(draw(document_tree)) for _ in range(draw(st.sampled_from([1, 1, 1, 2])))]
    text = docs[0]
    for extra in docs[1:]:
        text += draw(st.sampled_from(["---\n", "...\n---\n", "--- # c\n"])) + extra
    if draw(st.booleans()):
        text = draw(st.sampled_from(["---\n", "%YAML 1.1\n---\n", "# comment\n", "%YAML 1.2\n---\n"])) + text
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 2))):  # comments and blank lines anywhere
        at = draw(st.integers(0, len(lines)))
        lines.insert(at, draw(st.sampled_from(["", "# comment", "   # indented", "\t", "  "])))
    if draw(st.integers(0, 4)) == 0 and lines:  # a trailing comment on some line
        at = draw(st.integers(0, len(lines) - 1))
        lines[at] += " # trailing"
    text = "\n".join(lines)
    if draw(st.integers(0, 5)) == 0:
        text = text.replace("  ", "\t", draw(st.integers(1, 3)))
    if draw(st.integers(0, 4)) == 0:
        text = text.replace("\n", "\r\n")
    if draw(st.integers(0, 6)) == 0:
        text = "\ufeff" + text
    return text


# -- random task and play structures -------------------------------------------------------------

TASK_KEYS = ["name", "when", "loop", "with_items", "with_dict", "with_first_found", "with_", "with_nested",
             "loop_control", "args", "register", "notify", "listen", "delegate_to", "delegate_facts", "async", "poll",
             "become", "become_user", "become_method", "vars", "tags", "environment", "run_once", "until", "retries",
             "delay", "changed_when", "failed_when", "ignore_errors", "ignore_unreachable", "no_log", "check_mode",
             "diff", "throttle", "timeout", "port", "connection", "any_errors_fatal", "debugger", "collections",
             "module_defaults", "local_action", "action", "remote_user", "user", "_raw_params", "free_form",
             "_ansible_x", "include", "bogus_key", "apply", "file", "tasks_from", "handlers_from", "allow_duplicates",
             "public", "rolespec_validate"]
MODULES = ["debug", "command", "shell", "raw", "script", "ansible.builtin.copy", "copy", "template", "set_fact",
           "include_tasks", "import_tasks", "include_role", "import_role", "ansible.builtin.include_role",
           "include_vars", "import_playbook", "ansible.builtin.import_playbook", "meta", "fail", "assert", "pause",
           "add_host", "group_by", "ping", "setup", "apt", "service", "file", "win_shell", "include",
           "community.general.foo", "ansible.legacy.shell", "ansible.windows.win_command", "set_stats", "async_status",
           "wait_for_connection", "x.y.z", "-", ""]
PLAY_KEYS = ["hosts", "name", "roles", "tasks", "pre_tasks", "post_tasks", "handlers", "gather_facts", "vars_files",
             "vars", "vars_prompt", "serial", "max_fail_percentage", "strategy", "order", "force_handlers",
             "fact_path", "gather_subset", "gather_timeout", "user", "remote_user", "become", "import_playbook",
             "ansible.builtin.import_playbook", "when", "tags", "collections", "module_defaults", "block",
             "environment", "connection", "any_errors_fatal", "debugger", "run_once", "check_mode", "bogus"]
META_ARGS = ["end_role", "end_play", "end_host", "flush_handlers", "noop", "refresh_inventory", "clear_facts", "x"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-5, 5),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(PLAIN_SCALARS + META_ARGS + MODULES), st.text(STRING_CHARS, max_size=12),
    st.dates(), st.datetimes(min_value=dt.datetime(1, 1, 2)),
)
values = st.recursive(scalars, lambda c: st.lists(c, max_size=3) | st.dictionaries(
    st.sampled_from(TASK_KEYS + PLAY_KEYS + ["msg", "cmd", "chdir", "name", "src", "dest"]) | st.text(max_size=5),
    c, max_size=3), max_leaves=8)


def task_lists(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(children, max_size=3)


@st.composite
def task(draw: st.DrawFn, inner: st.SearchStrategy[Any] | None = None) -> Any:
    if draw(st.integers(0, 15)) == 0:
        return draw(scalars)  # a task that is not a mapping
    out: dict[Any, Any] = {}
    for _ in range(draw(st.integers(0, 2))):
        module = draw(st.sampled_from(MODULES))
        out[module] = draw(values | st.sampled_from(["msg=hi", "echo hi creates=/x", "end_role", "x.yml",
                                                      "a=1 b=\"2", "{{ task_file }}"]))
    for key in draw(st.lists(st.sampled_from(TASK_KEYS), max_size=4)):
        out[key] = draw(values)
    if inner is not None and draw(st.integers(0, 2)) == 0:
        for section in draw(st.lists(st.sampled_from(["block", "rescue", "always"]), min_size=1, max_size=3)):
            out[section] = draw(st.lists(inner, max_size=3) | values)
    return out


tasks_strategy = st.recursive(task(), lambda inner: task(inner), max_leaves=10)


@st.composite
def play(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 15)) == 0:
        return draw(scalars)
    out: dict[Any, Any] = {}
    for key in draw(st.lists(st.sampled_from(PLAY_KEYS), max_size=5)):
        if key in ("tasks", "pre_tasks", "post_tasks", "handlers", "block"):
            out[key] = draw(st.lists(tasks_strategy, max_size=3) | values)
        elif key == "roles":
            role = st.fixed_dictionaries({"role": st.sampled_from(["web", "x"])},
                                         optional={"when": values, "vars": values})
            out[key] = draw(st.lists(st.sampled_from(["web", "db"]) | role, max_size=2) | values)
        else:
            out[key] = draw(values)
    return out


structures = st.one_of(st.lists(tasks_strategy, max_size=5), st.lists(play(), max_size=3), values)


class _Dumper(yaml.SafeDumper):
    pass


@st.composite
def structure_yaml(draw: st.DrawFn) -> str:
    data = draw(structures)
    try:
        text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=draw(st.booleans()),
                         default_flow_style=draw(st.sampled_from([False, None, True])),
                         width=draw(st.sampled_from([80, 20, 10_000])), indent=draw(st.sampled_from([2, 4])))
    except yaml.YAMLError:
        text = json.dumps(data, default=str)
    if draw(st.integers(0, 4)) == 0:  # Ansible-specific tags on some string values
        tag = draw(st.sampled_from(["!unsafe ", "!vault ", "!vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162\n  #"]))
        text = text.replace(": '", f": {tag}'", 1).replace(": ", f": {tag}", 1 if draw(st.booleans()) else 0)
    return text


# -- the tests -----------------------------------------------------------------------------------


@fuzz_settings(400)
@given(any_text)
def test_random_unicode_text(text: str) -> None:
    exercise(text, on_disk=False)


@fuzz_settings(600)
@given(yamlish_text)
def test_yaml_flavoured_text(text: str) -> None:
    exercise(text)


@fuzz_settings(400)
@given(st.binary(max_size=300) | hostile_bytes())
def test_random_bytes(data: bytes) -> None:
    exercise(data)


@fuzz_settings(700)
@given(grammar_yaml())
def test_grammar_yaml(text: str) -> None:
    exercise(text)


@fuzz_settings(500)
@given(grammar_yaml(), st.sampled_from(BOMS[:1] + BOMS[1:2] + INVALID_UTF8[:4]))
def test_grammar_yaml_as_bytes(text: str, noise: bytes) -> None:
    raw = text.encode("utf-8")
    exercise(noise + raw, reference=False, on_disk=False)


@fuzz_settings(700)
@given(structure_yaml())
def test_task_and_play_structures(text: str) -> None:
    exercise(text)


@pytest.mark.parametrize("text", [
    "", " ", "\n", "---", "...", "--- !!null", "~", "[]", "{}", "- ", "-", "- ~", "- []", "- {}", "- - -",
    "- &a [*a]", "&a [*a]", "- &a {k: *a}", "- <<: *a", "- {<<: 1}", "- {<<: [1]}", "- !vault [1]", "- !unsafe {a: b}",
    "- block: ", "- block: x", "- block: [[]]", "- rescue: []", "- hosts: all\n  tasks: {}", "- import_playbook: ",
    "- include_tasks: {file: x, apply: 1}", "- debug: msg=a\n  args: \"{{ x }}\"", "- local_action: ",
    "- action: {module: {}}", "- {? [a]: b}", "- {? {a: b}: c}", "- !!set {a, b}", "- !!omap [a]", "- !!pairs [1]",
    "- !!binary '%%%'", "- !!timestamp 2024-99-99", "- !!int 0x", "- !!float abc", "- !!bool maybe", "- !!null x",
    "\ufeff", "\ufeff\ufeff- a", "\x00", "- \\ud800", "- \"\\ud800\"", "- \"\\udc00\\ud800\"", "\t- a", "- a\r- b",
    "- {a: 1, a: 2}", "- debug: {msg: x}\n  debug: {msg: y}", "- name: x\n  with_items:", "- meta: end_role",
    "- hosts: all\n  user: a\n  remote_user: b", "- hosts: [all, {x: 1}]", "- vars: {'1x': 1}\n  debug: ",
    "- register: 1", "- name: &p d\n- name: x\n  when: *p\n", "- &t {debug: msg=x}\n- x: *t\n",
    "- hosts: &h all\n- hosts: x\n  vars: *h",
    "\re:", "- a: b\r  c:\r", "a: b\rc: d\r- e\r", "- name: a\x85  debug:\x85", "- name: a\u2028  debug:",
])
def test_known_edge_cases(text: str) -> None:
    exercise(text)


REGRESSIONS = Path(__file__).resolve().parents[2] / "fixtures" / "regressions"


@pytest.mark.parametrize("fixture", sorted(p.name for p in REGRESSIONS.glob("*.yml")))
def test_regression_fixtures(fixture: str) -> None:
    """Inputs that once broke the library contract (fixtures/regressions/README.md says how)."""
    exercise((REGRESSIONS / fixture).read_bytes())
