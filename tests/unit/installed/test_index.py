"""Looking modules up in installed collections (shep.installed.index) on fake collection trees in
tmp_path: which root wins, meta/runtime.yml routing, documentation files, fragments of the collection,
of another collection and of ansible-core, the documentation cache, and the facts an answer depends on."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from shep.installed import (
    ACTION_ONLY,
    BUILTIN,
    DOCS_HANDLER,
    FOUND,
    MISSING_COLLECTION,
    NO_DOCS,
    NOT_FOUND,
    REMOVED,
    Installed,
)
from shep.installed.facts import Probe
from shep.installed.index import Index
from shep.installed.lookup import ModuleLookup


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


def module(root: Path, fqcn: str, options: str, fragments: str = "[]", suffix: str = ".py") -> Path:
    namespace, collection, name = fqcn.split(".", 2)
    path = root / "ansible_collections" / namespace / collection / "plugins" / "modules" / (
        name.replace(".", "/") + suffix)
    doc = f"options:\n{textwrap.indent(textwrap.dedent(options).strip(), '  ')}\nextends_documentation_fragment: {fragments}\n"
    if suffix == ".py":
        return write(path, f'DOCUMENTATION = r"""\n{doc}"""\nraise ImportError("never run")\n')
    return write(path, "DOCUMENTATION:\n" + textwrap.indent(doc, "  "))


def collection(root: Path, fqcn: str) -> Path:
    namespace, name = fqcn.split(".")
    path = root / "ansible_collections" / namespace / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def index_of(*roots: Path, cache: Path | None = None) -> Index:
    return Index(str(cache) if cache else None, Probe(tuple(str(r) for r in roots)))


def lookup(index: Index, name: str) -> ModuleLookup:
    return index.lookup(name)[0]


def test_the_first_root_holding_the_collection_wins(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    collection(first, "other.coll")
    module(second, "ns.coll.m", "a: {type: int}")
    module(tmp_path / "third", "ns.coll.m", "b: {type: int}")
    found = lookup(index_of(first, second, tmp_path / "third"), "ns.coll.m")
    assert (found.status, found.collection) == (FOUND, "ns.coll")
    assert found.spec is not None and found.spec.options == {"a": {"type": "int"}}
    assert found.spec.handler == DOCS_HANDLER and found.spec.name == "ns.coll.m"
    # a collection found in a root hides the same collection in later roots, even without the module
    collection(first, "ns.coll")
    assert lookup(index_of(first, second), "ns.coll.m").status == NOT_FOUND
    assert lookup(index_of(first, second), "nope.coll.m").status == MISSING_COLLECTION


def test_routing(tmp_path: Path) -> None:
    root = tmp_path / "root"
    module(root, "ns.coll.new", "a: {type: int}")
    module(root, "ns.other.target", "t: {type: str}")
    write(collection(root, "ns.coll") / "meta" / "runtime.yml", """
        plugin_routing:
          modules:
            old:
              redirect: ns.coll.new
              deprecation: {removal_date: "2030-01-01", warning_text: Use new.}
            elsewhere: {redirect: ns.other.target}
            builtin: {redirect: ansible.builtin.copy}
            gone: {tombstone: {removal_version: 2.0.0, warning_text: It is gone}}
            bad: {redirect: short_name}
            loop1: {redirect: ns.coll.loop2}
            loop2: {redirect: ns.coll.loop1}
            missing: {redirect: absent.coll.m}
            sub.mod: {redirect: ns.coll.new}
    """)
    index = index_of(root)
    old = lookup(index, "ns.coll.old")
    assert (old.status, old.name) == (FOUND, "ns.coll.new")
    assert old.deprecations == ("ns.coll.old has been deprecated. Use new. This feature will be removed from "
                                "collection 'ns.coll' in a release after 2030-01-01.",)
    assert lookup(index, "ns.coll.elsewhere").name == "ns.other.target"
    assert (lookup(index, "ns.coll.builtin").status, lookup(index, "ns.coll.builtin").name) == (
        BUILTIN, "ansible.builtin.copy")
    gone = lookup(index, "ns.coll.gone")
    assert gone.status == REMOVED
    assert gone.message == ("The 'ns.coll.gone' module has been removed. It is gone. This feature was removed "
                            "from collection 'ns.coll' version 2.0.0.")
    assert "Redirects must use fully qualified collection names" in str(lookup(index, "ns.coll.bad").message)
    assert lookup(index, "ns.coll.loop1").status == NOT_FOUND
    assert (lookup(index, "ns.coll.missing").status, lookup(index, "ns.coll.missing").collection) == (
        MISSING_COLLECTION, "absent.coll")
    assert lookup(index, "ns.coll.sub.mod").name == "ns.coll.new"


def test_module_files(tmp_path: Path) -> None:
    root = tmp_path / "root"
    where = collection(root, "ns.coll")
    module(root, "ns.coll.sub.deep", "a: {type: int}")
    write(where / "plugins" / "modules" / "win.ps1", "throw 'never'\n")
    module(root, "ns.coll.win", "path: {type: path}", suffix=".yml")
    write(where / "plugins" / "modules" / "script.sh", "exit 1\n")
    write(where / "plugins" / "modules" / "notes.md", "prose\n")
    write(where / "plugins" / "modules" / "plain.py", "print('no docs')\n")
    write(where / "plugins" / "action" / "only_action.py", "raise ImportError\n")
    write(where / "plugins" / "modules" / "thingie.py", "DOCUMENTATION = 'options: {}'\n")
    index = index_of(root)
    assert lookup(index, "ns.coll.sub.deep").status == FOUND
    win = lookup(index, "ns.coll.win")
    assert win.status == FOUND and win.spec is not None and win.spec.options == {"path": {"type": "path"}}
    assert str(win.path).endswith("win.yml")
    assert lookup(index, "ns.coll.script").status == NO_DOCS  # a module, without documentation
    assert lookup(index, "ns.coll.plain").status == NO_DOCS
    assert lookup(index, "ns.coll.only_action").status == ACTION_ONLY
    missing = lookup(index, "ns.coll.notes")  # .md is never a module (MODULE_IGNORE_EXTS)
    assert missing.status == NOT_FOUND and missing.near == ()
    assert lookup(index, "ns.coll.thingy").near == ("ns.coll.thingie",)


def test_fragments(tmp_path: Path) -> None:
    root = tmp_path / "root"
    write(collection(root, "ns.coll") / "plugins" / "doc_fragments" / "common.py", '''
        class ModuleDocFragment(object):
            DOCUMENTATION = """
        options:
          timeout: {type: int, default: 10}
          own: {type: int}
        """
            EXTRA = """
        options:
          verbose: {type: bool}
        """
    ''')
    write(collection(root, "ns.coll") / "meta" / "runtime.yml", """
        plugin_routing:
          doc_fragments:
            moved: {redirect: ns.coll.common}
    """)
    write(collection(root, "other.coll") / "plugins" / "doc_fragments" / "net.py", '''
        class ModuleDocFragment:
            DOCUMENTATION = "options: {host: {type: str, required: true}}"
    ''')
    module(root, "ns.coll.restated", "host: {required: true}", "[other.coll.net]")
    restated = lookup(index_of(root), "ns.coll.restated")
    assert restated.spec is not None and restated.spec.options["host"] == {"type": "str", "required": True}
    assert restated.fragment_required == ()
    module(root, "ns.coll.m", "own: {type: str}",
           "[files, ansible.builtin.backup, url.url_redirect, ns.coll.common, ns.coll.common.extra, ns.coll.moved, "
           "other.coll.net]")
    found = lookup(index_of(root), "ns.coll.m")
    assert found.status == FOUND and found.spec is not None
    options = found.spec.options
    assert options["own"] == {"type": "str"}  # the module's own entry wins over the fragment's
    assert options["timeout"] == {"type": "int", "default": 10}
    assert options["verbose"] == {"type": "bool"}
    # required by a fragment only (connection options, usually also read from the environment): not judged
    assert options["host"] == {"type": "str"} and found.fragment_required == ("host",)
    assert options["backup"] == {"type": "bool", "default": False}  # ansible-core's own fragments
    assert options["mode"] == {"type": "raw"} and options["attributes"]["aliases"] == ["attr"]
    assert "follow_redirects" in options  # url's URL_REDIRECT variant
    # a legacy short name ansible-core's routing table redirects into a collection
    write(collection(root, "cisco.intersight") / "plugins" / "doc_fragments" / "intersight.py",
          'class ModuleDocFragment:\n    DOCUMENTATION = "options: {api_key_id: {type: str}}"\n')
    # the last subdirectory of a fragment's name may be a module: import_module's folder (netapp_eseries)
    write(collection(root, "ns.coll") / "plugins" / "doc_fragments" / "netapp.py",
          'class ModuleDocFragment:\n    ESERIES = "options: {ssid: {type: str}}"\n')
    module(root, "ns.coll.legacy", "own: {type: str}", "[intersight, ns.coll.common.netapp.eseries]")
    legacy = lookup(index_of(root), "ns.coll.legacy")
    assert legacy.spec is not None and set(legacy.spec.options) == {"own", "api_key_id", "ssid"}
    for missing in ("nope", "ns.coll.nope", "ns.coll.common.nope", "absent.coll.frag", "ns.coll.nope.netapp.eseries"):
        module(root, "ns.coll.broken", "a: {type: int}", f"[{missing}]")
        broken = lookup(index_of(root), "ns.coll.broken")
        assert broken.status == NO_DOCS and missing in str(broken.message)


def test_answers_carry_their_facts_and_stop_holding_when_a_file_changes(tmp_path: Path) -> None:
    root = tmp_path / "root"
    path = module(root, "ns.coll.m", "a: {type: int}")
    index = index_of(root)
    _, facts = index.lookup("ns.coll.m")
    kinds = {kind for kind, _, _ in facts}
    assert kinds == {"roots", "file"}
    assert Probe((str(root),)).holds(facts)
    path.write_text(path.read_text().replace("int", "str"))
    assert not Probe((str(root),)).holds(facts)
    assert index.probe.holds(facts)  # within one run, the files are as first read
    assert not Probe((str(tmp_path / "elsewhere"), str(root))).holds(facts)  # other roots


def test_a_missing_collection_depends_on_every_root_tried(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    (first / "ansible_collections").mkdir(parents=True)
    (second / "ansible_collections").mkdir(parents=True)
    _, facts = index_of(first, second).lookup("ns.coll.m")
    assert Probe((str(first), str(second))).holds(facts)
    module(second, "ns.coll.m", "a: {type: int}")  # installed afterwards
    assert not Probe((str(first), str(second))).holds(facts)


def test_documentation_is_cached_by_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, cache = tmp_path / "root", tmp_path / "cache"
    module(root, "ns.coll.m", "a: {type: int}", "[ns.coll.f]")
    write(collection(root, "ns.coll") / "plugins" / "doc_fragments" / "f.py",
          'class ModuleDocFragment:\n    DOCUMENTATION = "options: {b: {type: str}}"\n')
    first = lookup(index_of(root, cache=cache), "ns.coll.m")
    assert len(list((cache / "docs").iterdir())) == 2  # the module and its fragment file (no runtime.yml)

    def no_parsing(*args: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr("shep.installed.docs.module_docs", no_parsing)
    monkeypatch.setattr("shep.installed.docs.fragment_docs", no_parsing)
    assert lookup(index_of(root, cache=cache), "ns.coll.m") == first
    for entry in (cache / "docs").iterdir():  # a foreign or corrupt entry is not trusted
        entry.write_text('{"for": ["module", "x"], "value": {}}')
    monkeypatch.undo()
    assert lookup(index_of(root, cache=cache), "ns.coll.m") == first


def test_a_handle_reads_nothing_until_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pickle

    handle = Installed(str(tmp_path), (str(tmp_path),))
    assert handle._index is None
    again = pickle.loads(pickle.dumps(handle))  # as a worker process receives it: that process's handle
    assert again is pickle.loads(pickle.dumps(handle)) and again is not handle
    assert again.index() is again.index()


def test_a_stub_module_documented_by_a_sidecar(tmp_path: Path) -> None:
    """microsoft.ad.debug_ldap_client: a .py without DOCUMENTATION beside a .yml that has it (ansible-doc
    reads the sidecar)."""
    root = tmp_path / "root"
    folder = collection(root, "ns.coll") / "plugins" / "modules"
    write(folder / "stub.py", "# a stub: the implementation is an action plugin\n")
    write(folder / "stub.yml", "DOCUMENTATION:\n  options:\n    level: {type: int}\n")
    found = lookup(index_of(root), "ns.coll.stub")
    assert found.status == FOUND and found.spec is not None and found.spec.options == {"level": {"type": "int"}}
