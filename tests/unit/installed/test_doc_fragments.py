"""The generated table of ansible-core's own doc fragments (scripts/gen_doc_fragments.py):
committed as the generator renders it, equal to what the generator reads from ansible-core (when the
pinned version is installed), and holding the facts collections extend most."""

from __future__ import annotations

from pathlib import Path

import pytest

from shep._builtin.ansible_core_2_19_doc_fragments import FRAGMENTS
from tests.conftest import load_script


def test_committed_table_is_the_generators_rendering_of_its_facts() -> None:
    gen = load_script("gen_doc_fragments")
    for version, module in gen.VERSIONS.items():
        path = gen.TARGET / f"{module}.py"
        assert path.read_text(encoding="utf-8") == gen.render(*gen.facts_of_table(module)), version


def test_a_hand_edit_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gen = load_script("gen_doc_fragments")
    for module in gen.VERSIONS.values():
        source = gen.TARGET / f"{module}.py"
        # keys out of the generator's order: not its rendering (a changed fact needs ansible-core to be seen)
        edited = source.read_text().replace('{"aliases": ["attr"], "type": "str"}', '{"type": "str", "aliases": ["attr"]}')
        (tmp_path / f"{module}.py").write_text(edited)
    monkeypatch.setattr(gen, "TARGET", tmp_path)
    monkeypatch.setattr(gen, "ROOT", tmp_path)
    monkeypatch.setattr(gen, "installed_version", lambda: None)
    assert gen.main(["--check"]) == 1


@pytest.mark.oracle
def test_the_table_is_what_ansible_core_holds() -> None:
    gen = load_script("gen_doc_fragments")
    if gen.installed_version() not in gen.VERSIONS:
        pytest.skip(f"needs ansible-core {', '.join(gen.VERSIONS)} (the `oracle` extra)")
    assert gen.main(["--check"]) == 0


def test_facts_collections_extend() -> None:
    assert FRAGMENTS["files"]["DOCUMENTATION"]["mode"] == {"type": "raw"}
    assert FRAGMENTS["files"]["DOCUMENTATION"]["attributes"] == {"aliases": ["attr"], "type": "str"}
    assert FRAGMENTS["url"]["URL_REDIRECT"]["follow_redirects"]["choices"][:2] == ["all", "none"]
    assert FRAGMENTS["action_common_attributes"]["DOCUMENTATION"] == {}  # attributes only, no options
    assert "description" not in repr(FRAGMENTS)  # facts only, no prose
