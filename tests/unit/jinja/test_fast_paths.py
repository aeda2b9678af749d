"""The shortcuts of ``validate.checks._templates`` against the plain walk they stand for: verdicts looked up in
the cache, a list or mapping of strings skipped at once when none of them can be a template; against the same
walk with every string judged by a call and every item looked at, on hand-made values and on the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from shep import jinja
from shep.loader import load_bytes
from shep.model.build import build
from shep.validate.checks import ModelWalk
from shep.validate.checks import _templates as templates


def _every_text(corpus: Path) -> list[tuple[Path, bytes]]:
    return [(path, path.read_bytes()) for path in sorted(corpus.rglob("*")) if path.suffix in (".yml", ".yaml")]


def _places(walk: ModelWalk) -> list[tuple[object, ...]]:
    return [(p.obj.doc_path, p.key, p.path, p.text, p.mode, p.verdict, p.lazy, p.is_key)
            for p in templates.judged(walk)]


def _by_calls(text: str) -> None:
    return None


@pytest.mark.slow
@pytest.mark.corpus
def test_the_walk_finds_what_it_finds_with_every_string_judged_by_a_call(corpus: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file of the corpus three ways: verdicts cached from an earlier file or not, and with the cache
    lookups and the joined-strings test off (each string judged by a call, as before the shortcuts)."""
    from shep.api import classify_document

    walks = []
    for path, data in _every_text(corpus):
        document = load_bytes(data, str(path))
        kind, _why = classify_document(document)
        if kind is not None:
            walks.append((document, build(document, kind)))
    jinja.clear_cache()
    warm_or_cold = [_places(ModelWalk(model, document=document)) for document, model in walks]
    warm = [_places(ModelWalk(model, document=document)) for document, model in walks]
    monkeypatch.setattr(templates, "_TEMPLATE_VERDICT", _by_calls)
    monkeypatch.setattr(templates, "_CONDITIONAL_VERDICT", _by_calls)
    judged: list[str] = []
    for name in ("template", "conditional"):
        original = getattr(jinja, name)
        monkeypatch.setattr(jinja, name, lambda text, original=original: judged.append(text) or original(text))
    monkeypatch.setattr(templates, "_strings", _strings_item_by_item)
    jinja.clear_cache()
    by_calls = [_places(ModelWalk(model, document=document)) for document, model in walks]
    assert judged and warm_or_cold == warm == by_calls


def _strings_item_by_item(obj, key, path, value, lazy, found):  # type: ignore[no-untyped-def]
    """_strings without the joined-strings test: every item looked at."""
    kind = type(value)
    if kind is str:
        if "{" in value or value.startswith("#"):
            templates._string(obj, key, path, value, lazy, found)
        return
    items = value.items() if kind is dict else enumerate(value) if kind is list else ()
    for name, item in items:
        if type(item) is str:
            if "{" in item or item.startswith("#"):
                templates._string(obj, key, (*path, name), item, lazy, found)
        elif type(item) is dict or type(item) is list:
            _strings_item_by_item(obj, key, (*path, name), item, lazy, found)


@pytest.mark.parametrize("value", [
    ["a", "b"], ["a", "{{ x }}"], ["a", "{{ x | to_jsn }}"], {"k": "{{ (x }}"}, ["#jinja2: x\n{{ y }}"],
    ["a", 1, "{{ x | nope }}"], [["{{ x | nope }}"], "a"], {"a": {"b": ["{% if %}"]}}, ["{", "{ x }"],
])
def test_joined_strings_skip_only_lists_without_a_template(value: object) -> None:
    task = build(load_bytes(b"- ansible.builtin.debug: msg=hi\n", "t.yml"), "tasks").tasks[0]  # type: ignore[union-attr]
    fast: list[templates.Place] = []
    slow: list[templates.Place] = []
    templates._strings(task, templates.ARGS, ("k",), value, None, fast)
    _strings_item_by_item(task, templates.ARGS, ("k",), value, None, slow)
    assert fast == slow
