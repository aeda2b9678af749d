"""The JSON Schemas (schema/*.schema.json) and the keyword value table they come from.

* the committed schemas are fresh (scripts/gen_schemas.py --check) and valid draft 2020-12;
* the fast type checks (V014/V015, straight from the table) and the JSON Schemas agree: on every
  keyword value of the shared corpus, and on hypothesis-generated tasks, handlers, blocks, plays
  and import_playbook entries;
* every corpus file validates against the schema of its kind;
* with ansible-core installed, the accepted bool/int/float/percent values are the ones
  ansible-core converts (no false errors).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shep.api import load, read_document
from shep.keywords import (
    BLOCK_KEYWORDS,
    HANDLER_KEYWORDS,
    IMPORT_PLAYBOOK_KEYWORDS,
    KEYWORDS,
    PLAY_KEYWORDS,
    PLAY_TASK_SECTIONS,
    TASK_KEYWORDS,
    Type,
)
from shep.loader.values import Vault
from shep.validate.accepted_values import BOOLISH, FLOATISH, INTISH, OPAQUE_RE, PERCENTISH
from shep.validate.checks import CHECK_MODULES
from shep.validate.checks._common import ModelWalk, value_of
from shep.validate.checks._keyword_values import keywords_of
from shep.validate.checks._keyword_values import problems as model_problems
from shep.validate.json_schemas import SCHEMA_KINDS, build_schema, schema_for, validator
from shep.validate.keyword_rules import KEYWORD_SPECS, Finding, always_accepted, keyword_problems
from shep.validate.shapes import Pattern, json_instance
from tests.conftest import REPO, load_script

if TYPE_CHECKING:
    from shep.validate.json_schemas import SchemaKind


# -- the committed files -----------------------------------------------------------------------


def test_committed_schemas_are_fresh() -> None:
    stale = [str(path.relative_to(REPO)) for path, text in load_script("gen_schemas").expected().items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    assert not stale, f"run `python scripts/gen_schemas.py`: stale {stale}"


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_schema_for_is_the_packaged_generated_schema(kind: SchemaKind) -> None:
    schema = schema_for(kind)
    assert schema == build_schema(kind)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert validator(kind).is_valid([] if kind != "playbook" else [{"hosts": "all"}])


def test_schema_for_rejects_unknown_kinds() -> None:
    with pytest.raises(ValueError, match="no schema for 'roles'"):
        schema_for("roles")  # type: ignore[arg-type]


def test_every_keyword_has_a_spec() -> None:
    assert set(KEYWORD_SPECS) == set(KEYWORDS)


@pytest.mark.parametrize("finding", list(Finding))
def test_each_finding_is_reported_by_one_check(finding: Finding) -> None:
    """The table says what is wrong with a value; exactly one check reports it, under that check's code."""
    import inspect

    reporters = [module.CODE for module in CHECK_MODULES if f"Finding.{finding.name}" in inspect.getsource(module)]
    assert len(reporters) == 1, reporters


# -- agreement: fast checks vs JSON Schema -----------------------------------------------------


@cache
def _defs() -> dict[str, Any]:
    return dict(build_schema("playbook")["$defs"])


@cache
def _keyword_validator(keyword: str) -> Any:
    fragment = KEYWORD_SPECS[keyword].json_schema()
    return jsonschema.Draft202012Validator({"$defs": _defs(), "allOf": [fragment]})


def _python_accepts(keyword: str, value: Any, owner: str = "Task") -> bool:
    return not keyword_problems(keyword, value, owner)


def _schema_accepts(keyword: str, value: Any) -> bool:
    return bool(_keyword_validator(keyword).is_valid(json_instance(value)))


# notify: the schema gives editors its shape, shep validate does not check it (ansible-core never does).
CHECKED_ELSEWHERE = {"action", "args", *PLAY_TASK_SECTIONS, "block", "rescue", "always", "notify"}


@pytest.mark.corpus
def test_keyword_values_of_the_corpus_agree(manifest: list[dict[str, Any]], corpus: Path) -> None:
    compared = 0
    for entry in manifest:
        model = load(corpus / entry["repo"] / entry["path"], entry["kind"])
        for visit in ModelWalk(model).visits:
            obj = visit.obj
            flagged = {key for key, _finding, _message in model_problems(obj)}
            for key in obj.keys:
                if key not in keywords_of(obj) or key in CHECKED_ELSEWHERE:
                    continue
                value = value_of(obj, key)
                assert _schema_accepts(key, value) == (key not in flagged), (entry["path"], key, value)
                compared += 1
    assert compared > 10_000


@pytest.mark.slow
@pytest.mark.corpus
def test_corpus_files_validate_against_their_schema(manifest: list[dict[str, Any]], corpus: Path) -> None:
    validators = {kind: validator(kind) for kind in SCHEMA_KINDS}
    failures = []
    for entry in manifest:
        document = read_document(corpus / entry["repo"] / entry["path"])
        instance = json_instance(document.root.value if document.root is not None else None)
        errors = list(validators[entry["kind"]].iter_errors(instance))
        if errors:
            failures.append((entry["path"], jsonschema.exceptions.best_match(errors).message))
    assert failures == []


_STRINGS = [
    "", "yes", "No", " TRUE ", "off", "y", "t", "maybe", "1", "0", "3", "-2", "+4", "1.5", "2.0", "1e3", "10e-1",
    "1_000", ".5", "inf", "NaN", "abc", "{{ x }}", "{% if a %}1{% endif %}", "{# c #}", "a,b", "30%", "50 %",
    "sorted", "shuffle", "on_failed", "never", "my-var", "my_var", "_v", "not", "True", "x,y", "web",
    "$ANSIBLE_VAULT;1.1;AES256\n6162", " ", "\n",
]
_KEYS = ["name", "role", "prompt", "private", "label", "pause", "index_var", "extended", "a", "my-var", "1", "_x"]
_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([0.0, 1.0, 0.5, 2.0, -1.5]),
    st.sampled_from(_STRINGS), st.text(max_size=4), st.just(dt.date(2024, 1, 2)),
    st.builds(Vault, st.sampled_from(["$ANSIBLE_VAULT;1.1;AES256\n31", "garbage"])),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(_KEYS), inner, max_size=3),
    max_leaves=6,
)


def _mappings(keywords: frozenset[str] | set[str], base: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    names = sorted(keywords - CHECKED_ELSEWHERE - {"local_action", "static", "import_playbook"})
    return st.dictionaries(st.sampled_from(names), _values, max_size=4).map(lambda d: {**base, **d})


def _agrees(kind: SchemaKind, instance: Any, keyword_values: dict[str, Any], owner: str) -> None:
    python_ok = all(_python_accepts(k, v, owner) for k, v in keyword_values.items())
    if "user" in keyword_values and "remote_user" in keyword_values:
        python_ok = False  # M008, which the play schema states too
    schema_ok = validator(kind).is_valid(json_instance(instance))
    assert schema_ok == python_ok, [(k, v) for k, v in keyword_values.items() if not _python_accepts(k, v, owner)]


_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_MODULE = {"ansible.builtin.debug": {"msg": "hi"}}


@pytest.mark.slow
@_SETTINGS
@given(_mappings(TASK_KEYWORDS - {"listen"}, _MODULE))
def test_generated_tasks_agree(task: dict[str, Any]) -> None:
    _agrees("tasks", [task], {k: v for k, v in task.items() if k not in _MODULE}, "Task")


@pytest.mark.slow
@_SETTINGS
@given(_mappings(HANDLER_KEYWORDS, _MODULE))
def test_generated_handlers_agree(handler: dict[str, Any]) -> None:
    _agrees("handlers", [handler], {k: v for k, v in handler.items() if k not in _MODULE}, "Handler")


@pytest.mark.slow
@_SETTINGS
@given(_mappings(BLOCK_KEYWORDS, {"block": [_MODULE]}))
def test_generated_blocks_agree(block: dict[str, Any]) -> None:
    _agrees("tasks", [block], {k: v for k, v in block.items() if k != "block"}, "Block")


@pytest.mark.slow
@_SETTINGS
@given(_mappings(PLAY_KEYWORDS, {"hosts": "all"}))
def test_generated_plays_agree(play: dict[str, Any]) -> None:
    _agrees("playbook", [play], dict(play), "Play")


@pytest.mark.slow
@_SETTINGS
@given(_mappings(IMPORT_PLAYBOOK_KEYWORDS, {"import_playbook": "other.yml"}))
def test_generated_import_entries_agree(entry: dict[str, Any]) -> None:
    _agrees("playbook", [entry], dict(entry), "PlaybookInclude")


# -- the shapes, value by value ----------------------------------------------------------------

ACCEPTED = [
    ("become", True), ("become", "yes"), ("become", " Off "), ("become", 1), ("become", "{{ b }}"), ("become", None),
    ("retries", "3"), ("retries", 2.0), ("retries", "1_000"), ("retries", " 4 "), ("retries", "{{ n }}"),
    ("delay", 0.5), ("delay", "0.5"), ("delay", "1e3"), ("delay", True), ("max_fail_percentage", "30%"),
    ("name", None), ("name", 5), ("name", dt.date(2024, 1, 1)), ("tags", "a,b"), ("tags", [1, "a", None]),
    ("when", [True, "x is defined"]), ("vars", None), ("vars", {"a_1": 1}), ("environment", {"A": True}),
    ("hosts", "all"), ("hosts", ["a", "b"]), ("serial", ["30%", 2, "{{ n }}"]), ("order", "shuffle"),
    ("roles", ["web", {"name": "x"}, {"role": "y", "tags": ["z"]}]), ("debugger", "never"), ("debugger", ""),
    ("loop", "{{ items }}"), ("loop", None), ("loop_control", {"label": "x", "pause": "1"}),
    ("notify", ["a", "{{ h }}"]), ("listen", "topic"), ("register", "out_1"), ("collections", "a.b"),
    ("module_defaults", [{"ping": {}}]), ("vars_prompt", {"name": "x", "prompt": "y"}),
]
REJECTED = [
    ("become", "maybe"), ("become", 2), ("become", [True]), ("retries", "1.5"), ("retries", 1.5), ("retries", "x"),
    ("delay", "soon"), ("max_fail_percentage", "half"), ("name", ["a"]), ("name", {"a": 1}), ("tags", 1),
    ("tags", None), ("tags", [1.5]), ("tags", [{"a": 1}]), ("tags", [["b"]]), ("when", 1), ("when", {"a": 1}), ("until", [5]),
    ("vars", [1]), ("vars", "{{ v }}"), ("vars", {"a-b": 1}), ("hosts", ""), ("hosts", []), ("hosts", [None]),
    ("hosts", {"a": 1}), ("hosts", 5), ("serial", "abc"), ("order", "random"), ("roles", "web"), ("roles", [1]),
    ("roles", [{"tags": ["x"]}]), ("roles", ["a,b"]), ("debugger", "sometimes"), ("loop", "a b"), ("loop", 3),
    ("loop_control", "{{ lc }}"), ("loop_control", None), ("loop_control", {"index": "i"}),
    ("loop_control", {"pause": "x"}), ("listen", [1]), ("register", "a-b"), ("register", 5),
    ("collections", [1]), ("module_defaults", "{{ md }}"), ("vars_prompt", [{"prompt": "y"}]),
    ("vars_prompt", {"name": "x", "bad": 1}), ("import_playbook", None), ("import_playbook", ["a.yml"]),
]


@pytest.mark.parametrize(("keyword", "value"), ACCEPTED)
def test_accepted_values(keyword: str, value: Any) -> None:
    assert _python_accepts(keyword, value)
    assert _schema_accepts(keyword, value)


@pytest.mark.parametrize(("keyword", "value"), REJECTED)
def test_rejected_values(keyword: str, value: Any) -> None:
    assert not _python_accepts(keyword, value)
    assert not _schema_accepts(keyword, value)


def test_json_instance() -> None:
    value = {1: dt.date(2024, 1, 2), None: Vault("abc"), "b": (b"\x00", None, True)}
    assert json_instance(value) == {"1": "2024-01-02", "None": "$ANSIBLE_VAULT;abc", "b": ["AA==", None, True]}


# -- fidelity to ansible-core's own conversions ------------------------------------------------

_numberish = st.builds(
    lambda *parts: "".join(parts),
    st.sampled_from(["", " ", "\t"]), st.sampled_from(["", "+", "-"]),
    st.text(alphabet="0123456789_.eE+-%", min_size=1, max_size=6),
    st.sampled_from(["", "%", " %", " "]), st.sampled_from(["", " "]),
)
_words = st.one_of(_numberish, st.sampled_from(_STRINGS), st.text(alphabet="yesnoftruaYESNO 1", max_size=6),
                   st.sampled_from(["inf", "-Infinity", "nan", "NAN", ".5e1", "5.", "1__0", "_1"]))


@cache
def _ansible_task() -> Any:
    task_module = pytest.importorskip("ansible.playbook.task")
    return task_module.Task()


def _ansible_converts(isa: Type, value: Any) -> bool:
    task = _ansible_task()
    attribute = next(a for a in type(task).fattributes.values() if a.isa == isa.value)
    try:
        task.get_validated_value("x", attribute, value, None)
    except Exception:  # noqa: BLE001 - any failure is a rejection
        return False
    return True


_SHAPES = {Type.BOOL: BOOLISH, Type.INT: INTISH, Type.FLOAT: FLOATISH}


@pytest.mark.oracle
@settings(max_examples=600, deadline=None)
@given(isa=st.sampled_from([Type.BOOL, Type.INT, Type.FLOAT]),
       value=st.one_of(_words, st.integers(-3, 3), st.floats(allow_nan=False, allow_infinity=False), st.booleans()))
def test_no_false_errors_on_scalar_conversions(isa: Type, value: Any) -> None:
    """Whatever ansible-core converts, shep accepts; what shep rejects, ansible-core rejects."""
    if Pattern(OPAQUE_RE).accepts(value):
        return  # a template or vaulted text: only known at run time, accepted by design
    converts = _ansible_converts(isa, value)
    accepted = _SHAPES[isa].accepts(value)
    if converts:
        assert accepted, (isa, value)
    elif accepted:
        # Known, deliberate misses: an exponent makes integrality depend on the digits.
        assert isa is Type.INT and isinstance(value, str) and ("e" in value.lower()), (isa, value)


@pytest.mark.oracle
@settings(max_examples=300, deadline=None)
@given(value=_numberish)
def test_percent_accepts_what_ansible_converts(value: str) -> None:
    """No false errors (the percent pattern is permissive: it may accept text ansible-core rejects)."""
    task_module = pytest.importorskip("ansible.playbook.play")
    play = task_module.Play()
    attribute = type(play).fattributes["max_fail_percentage"]
    try:
        play.get_validated_value("max_fail_percentage", attribute, value, None)
    except Exception:  # noqa: BLE001
        converts = False
    else:
        converts = True
    if converts:
        assert PERCENTISH.accepts(value), value


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                     st.text(max_size=12), st.sampled_from(["{{ x }}", "yes", "0644", "", "a b", "10%", "-1"]))
_VALUES_OF_CLASS: dict[type, Any] = {
    type(None): st.none(), bool: st.booleans(), int: st.integers(), float: st.floats(allow_nan=True),
    str: st.one_of(st.text(max_size=12), st.sampled_from(["{{ x }}", "yes", "", "a=b", "10%", "-1", "1.5"])),
    list: st.lists(_SCALARS, max_size=3), tuple: st.lists(_SCALARS, max_size=3).map(tuple),
    dict: st.dictionaries(st.text(max_size=5), _SCALARS, max_size=3),
}


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_always_accepted_classes_are_accepted_whatever_the_value(data: st.DataObject) -> None:
    """The keyword check skips values of an 'always accepted' class: every such value must pass."""
    keyword = data.draw(st.sampled_from(sorted(KEYWORD_SPECS)))
    accepted = sorted(always_accepted(keyword), key=lambda cls: cls.__name__)
    if not accepted:
        return
    cls = data.draw(st.sampled_from(accepted))
    value = data.draw(_VALUES_OF_CLASS[cls])
    rules = KEYWORD_SPECS[keyword].rules  # each shape itself: keyword_problems takes the shortcut too
    assert [rule.finding for rule in rules if not rule.shape.accepts(value)] == [], (keyword, cls, value)


def test_always_accepted_is_neither_empty_nor_everything() -> None:
    """The shortcut must fire (strings for 'name') and must not swallow checkable values."""
    assert str in always_accepted("name")
    assert str not in always_accepted("become")  # "yes please" is no boolean
    assert dict not in always_accepted("when")


@pytest.mark.parametrize("value", [{"a": 1}, [1], True, [["a"]]])
def test_notify_shape_is_for_editors_only(value: Any) -> None:
    """ansible-core runs a task whose notify holds no strings (it looks names up when the task changes)."""
    assert _python_accepts("notify", value)
    assert not _schema_accepts("notify", value)


def _role_entry_problems(entry: str) -> list[tuple[str, str]]:
    from shep.api import parse
    from shep.validate import validate_model

    model = parse(f"- hosts: all\n  roles:\n    - {entry}\n", "playbook")
    return [(d.code, d.message) for d in validate_model(model) if d.code in ("V014", "V015")]


@pytest.mark.parametrize(("entry", "expected"), [
    ("{role: web, vars: [a]}", [("V014", "Vars in a RoleInclude must be specified as a dictionary.")]),
    ("{role: web, vars: '{{ v }}'}", [("V014", "Vars in a RoleInclude must be specified as a dictionary.")]),
    ("{role: web, vars: {bad-name: 1}}", [("V015", "Invalid variable name 'bad-name'.")]),
    ("{role: web, tags: {a: 1}}", [("V014", "tags must be specified as a list")]),
    ("{role: web, tags: }", [("V014", "tags must be specified as a list")]),
    ("{role: web, collections: [1]}", [("V014", "Keyword 'collections' items must be of type 'str', not 'int'.")]),
    ("{role: web, name: {a: 1}}", [("V014", "The field 'name' is supposed to be a string type, however the "
                                            "incoming data structure is a <class 'dict'>")]),
    # RoleInclude is never post-validated: bools, numbers, conditionals and tag items are not judged
    ("{role: web, become: maybe, port: three, when: {a: 1}, tags: [a, {b: 1}], become_user: 5}", []),
    ("{role: web, vars: {ok: 1}, tags: a,b, collections: [ns.coll]}", []),
])
def test_role_entry_keywords_checked_when_the_play_loads(entry: str, expected: list[tuple[str, str]]) -> None:
    """The run-time oracle's verdicts for a roles: entry (fixtures/runtime_cases/pb_19, pb_21)."""
    assert _role_entry_problems(entry) == expected
