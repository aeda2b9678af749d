"""An action's FQCN looked up among the installed collections, as ansible-core's module loader looks
it up (``PluginLoader._find_fq_plugin``), statically, with the facts each answer depends on.

For ``ns.coll.name`` (``name`` may hold subdirectories: ``ns.coll.sub.name``):

1. the collection is the first ``<root>/ansible_collections/ns/coll`` directory over the roots in
   order (``shep.installed.roots``); none: MISSING_COLLECTION;
2. its ``meta/runtime.yml`` (read as ansible-core reads it: every scalar a string) may route the
   module (``plugin_routing.modules.<name>``): a ``deprecation`` is recorded, a ``tombstone`` fails
   (REMOVED, with ansible-core's message), a ``redirect`` (an FQCN) is followed, into another
   collection or into ``ansible.builtin`` (BUILTIN);
3. the module is ``plugins/modules/<name>.py``, or another file of that name with an extension
   ansible-core does not ignore (``.ps1``…); its documentation is that ``.py`` or a sidecar
   ``.yml``/``.yaml``. Without a module, an action plugin of that name (``plugins/action/<name>.py``,
   or its routing) still loads: ACTION_ONLY; with neither, ansible-core fails: NOT_FOUND;
4. the documentation's fragments (``extends_documentation_fragment``) are found as ansible-core's
   fragment loader finds them: a short or ``ansible.builtin.``/``ansible.legacy.`` name in ansible-core's
   own fragments (``shep._builtin``), an FQCN in ``plugins/doc_fragments/`` of its installed collection
   (following its ``plugin_routing.doc_fragments`` redirects); when a name is not found as written, its
   last part is taken as the attribute to read (``url.url_redirect`` → ``URL_REDIRECT`` of ``url``).
   A fragment that cannot be found or read leaves the module unjudged (NO_DOCS): options shep cannot
   see would be reported as unknown.

What a module file or fragment file documents is cached in shep's cache directory under the digest of
its bytes (``DocsCache``): a run parses only the documentation of modules its tasks name, and only
once per content.
"""

from __future__ import annotations

import json
import os

from shep._records import record, replace
from shep.installed import (
    ACTION_ONLY,
    BUILTIN,
    DOCS_HANDLER,
    FOUND,
    MISSING_COLLECTION,
    NO_DOCS,
    NOT_FOUND,
    REMOVED,
)
from shep.installed.lookup import ModuleLookup
from shep.installed.facts import ABSENT, DIRECTORY, FILE, LIST, ROOTS, Fact, Probe, roots_state
from shep.installed.roots import PACKAGE, anchor_for
from shep.module_specs import Constraints, ModuleSpec

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

BUILTIN_PREFIXES = ("ansible.builtin.", "ansible.legacy.")
# C.MODULE_IGNORE_EXTS: REJECT_EXTS and the documentation sidecars are never modules.
IGNORED_SUFFIXES = (".pyc", ".pyo", ".swp", ".bak", "~", ".rpm", ".md", ".txt", ".rst", ".yaml", ".yml", ".ini")
DOC_SUFFIXES = (".py", ".yml", ".yaml")  # C.DOC_EXTENSIONS, in the order ansible-doc tries them
MAX_REDIRECTS = 32
DOCS_FORMAT = 1


@record
class _Routing:
    """A collection's ``meta/runtime.yml`` as far as modules are concerned (plain data)."""

    modules: dict[str, Any]
    action: dict[str, Any]
    doc_fragments: dict[str, Any]


class DocsCache:
    """Parsed documentation by the digest of the file it came from, one small JSON file per entry in
    ``<cache dir>/docs``; None: parse every time (``--no-cache``)."""

    def __init__(self, directory: str | None) -> None:
        self.directory = None if directory is None else os.path.join(directory, "docs")

    def _key(self, kind: str, digest: str) -> str:
        from shep.cache import code_digest, new_digest

        return new_digest(f"shep-docs {DOCS_FORMAT} {code_digest()} {kind} {digest}".encode()).hexdigest()

    def get(self, kind: str, digest: str) -> Any:
        if self.directory is None:
            return None
        from shep.cache import read_entry

        raw = read_entry(os.path.join(self.directory, self._key(kind, digest)))
        if raw is None:
            return None
        try:
            entry = json.loads(raw)
        except ValueError:
            return None
        if not isinstance(entry, dict) or entry.get("for") != [kind, digest]:
            return None  # not ours: rebuilt
        return entry.get("value")

    def put(self, kind: str, digest: str, value: Any) -> None:
        if self.directory is None:
            return
        from shep.fileio import write_atomic

        data = json.dumps({"for": [kind, digest], "value": value}, separators=(",", ":")).encode()
        try:
            os.makedirs(self.directory, exist_ok=True)
            write_atomic(os.path.join(self.directory, self._key(kind, digest)), data, durable=False)
        except OSError:
            pass  # a cache that cannot be written only costs time


class Index:
    """Lookups of one run: each answer, and each file it reads, computed once (``probe``)."""

    def __init__(self, cache_dir: str | None = None, probe: Probe | None = None) -> None:
        self.probe = Probe() if probe is None else probe
        self.docs = DocsCache(cache_dir)
        self._answers: dict[tuple[str, tuple[str, ...]], tuple[ModuleLookup, tuple[Fact, ...]]] = {}
        self._answers_of_all: dict[tuple[tuple[str, ...], tuple[str, ...]],
                                   tuple[dict[str, ModuleLookup], tuple[Fact, ...]]] = {}
        self._roots_states: dict[tuple[str, ...], str] = {}
        self._parsed: dict[tuple[str, str], Any] = {}

    # -- the public questions ----------------------------------------------------------------------

    def lookup_all(self, names: Iterable[str], path: str, kind: str | None) -> tuple[dict[str, ModuleLookup],
                                                                                  tuple[Fact, ...]]:
        """Each name's answer for the file at ``path`` (of ``kind``), and the facts they all depend on."""
        wanted = tuple(names)
        if not wanted:
            return {}, ()
        anchor = anchor_for(path, kind)
        roots = self.probe.roots(anchor)
        known = self._answers_of_all.get((wanted, roots))  # files of one project name the same collections
        if known is None:
            found: dict[str, ModuleLookup] = {}
            facts: dict[Fact, None] = {}
            for name in wanted:
                if name not in found:
                    found[name], depends = self._answer(name, roots)
                    facts.update(dict.fromkeys(depends))
            known = self._answers_of_all[(wanted, roots)] = found, tuple(facts)
        return dict(known[0]), ((ROOTS, anchor, self._roots_state(roots)), *known[1])

    def lookup(self, name: str, anchor: str = "") -> tuple[ModuleLookup, tuple[Fact, ...]]:
        """The answer for one FQCN, with the facts it depends on (``anchor``: shep.installed.roots)."""
        roots = self.probe.roots(anchor)
        answer, depends = self._answer(name, roots)
        return answer, ((ROOTS, anchor, self._roots_state(roots)), *depends)

    def _answer(self, name: str, roots: tuple[str, ...]) -> tuple[ModuleLookup, tuple[Fact, ...]]:
        known = self._answers.get((name, roots))  # most anchors share their roots: one answer for them
        if known is None:
            facts: list[Fact] = []
            answer = self._lookup(name, roots, facts)
            known = self._answers[(name, roots)] = answer, tuple(dict.fromkeys(facts))
        return known

    def _roots_state(self, roots: tuple[str, ...]) -> str:
        state = self._roots_states.get(roots)
        if state is None:
            state = self._roots_states[roots] = roots_state(roots)
        return state

    # -- the steps ---------------------------------------------------------------------------------

    def _lookup(self, asked: str, roots: tuple[str, ...], facts: list[Fact]) -> ModuleLookup:
        name, seen = asked, [asked]
        deprecations: list[str] = []
        for _ in range(MAX_REDIRECTS):
            if name.startswith(BUILTIN_PREFIXES):
                return ModuleLookup(asked, BUILTIN, name, "ansible.builtin", deprecations=tuple(deprecations))
            namespace, collection, resource = name.split(".", 2)
            where = self._collection(roots, namespace, collection, facts)
            owner = f"{namespace}.{collection}"
            if where is None:
                return ModuleLookup(asked, MISSING_COLLECTION, name, owner, deprecations=tuple(deprecations))
            entry = self._routing(where, facts).modules.get(resource)
            if isinstance(entry, dict):
                deprecation = entry.get("deprecation")
                if isinstance(deprecation, dict):
                    deprecations.append(_removal_text(name, "deprecated", deprecation, owner))
                tombstone = entry.get("tombstone")
                if isinstance(tombstone, dict):
                    message = _removal_text(name, "removed", tombstone, owner)
                    return ModuleLookup(asked, REMOVED, name, owner, message=message, deprecations=tuple(deprecations))
                redirect = entry.get("redirect")
                if isinstance(redirect, str) and redirect:
                    problem = _bad_redirect(owner, name, redirect, seen)
                    if problem is not None:
                        return ModuleLookup(asked, NOT_FOUND, name, owner, message=problem,
                                            deprecations=tuple(deprecations))
                    name = redirect
                    seen.append(name)
                    continue
            found = self._module(asked, name, where, roots, facts)
            return replace(found, deprecations=tuple(deprecations)) if deprecations else found
        return ModuleLookup(asked, NOT_FOUND, name, ".".join(name.split(".", 2)[:2]), message="too many redirects")

    def _collection(self, roots: tuple[str, ...], namespace: str, collection: str, facts: list[Fact]) -> str | None:
        """The directory of the collection in the first root that holds it."""
        for root in roots:
            where = os.path.join(root, PACKAGE, namespace, collection)
            state = self.probe.state(FILE, where)
            facts.append((FILE, where, state))
            if state == DIRECTORY:
                return where
        return None

    def _routing(self, where: str, facts: list[Fact]) -> _Routing:
        path = os.path.join(where, "meta", "runtime.yml")
        state, data = self.probe.read(path)
        facts.append((FILE, path, state))
        value = self._cached("routing", state, data, _parse_routing)
        if not isinstance(value, dict):
            value = {}
        return _Routing(value.get("modules", {}), value.get("action", {}), value.get("doc_fragments", {}))

    def _cached(self, kind: str, state: str, data: bytes | None, parse: Any) -> Any:
        """``parse(data)``, through the memo of this run and the documentation cache (by content)."""
        if data is None:
            return None
        known = self._parsed.get((kind, state))
        if known is None:
            known = self.docs.get(kind, state)
            if known is None:
                known = parse(data)
                self.docs.put(kind, state, known)
            self._parsed[(kind, state)] = known
        return known

    def _resource_path(self, folder: str, resource: str, facts: list[Fact]) -> str | None:
        """Where ansible-core looks for ``resource`` (``sub.name``) of a plugin folder: the Python package
        of its subdirectories, whose last part may also be a module (``sub.py``: its folder is
        ``folder``, a quirk of ``import_module``); None: there is no such package."""
        *subdirs, last = resource.split(".")
        for position, sub in enumerate(subdirs):
            candidate = os.path.join(folder, sub)
            state = self.probe.state(FILE, candidate)
            facts.append((FILE, candidate, state))
            if state == DIRECTORY:
                folder = candidate
                continue
            if position == len(subdirs) - 1:
                state = self.probe.state(FILE, candidate + ".py")
                facts.append((FILE, candidate + ".py", state))
                if state not in (ABSENT, DIRECTORY):
                    continue
            return None
        return os.path.join(folder, last)

    def _module(self, asked: str, name: str, where: str, roots: tuple[str, ...], facts: list[Fact]) -> ModuleLookup:
        owner, resource = ".".join(name.split(".", 2)[:2]), name.split(".", 2)[2]
        base = self._resource_path(os.path.join(where, "plugins", "modules"), resource, facts)
        if base is None:
            return self._no_module(asked, name, where, owner, (), facts)
        state, data = self.probe.read(base + ".py")
        facts.append((FILE, base + ".py", state))
        docs, doc_path = None, base + ".py"
        if state not in (ABSENT, DIRECTORY):
            docs = self._cached("module", state, data, lambda raw: _module_docs(base + ".py", raw))
        if docs is None or "error" in docs:  # no .py, or one without documentation: a sidecar (ansible-doc)
            folder, stem = os.path.split(base)
            listed, names = self.probe.names(folder)
            facts.append((LIST, folder, listed))
            if state in (ABSENT, DIRECTORY) and not any(
                    n == stem or (n.startswith(stem + ".") and not n.endswith(IGNORED_SUFFIXES)) for n in names):
                return self._no_module(asked, name, where, owner, names, facts)
            for sidecar in (stem + suffix for suffix in DOC_SUFFIXES[1:] if stem + suffix in names):
                path = os.path.join(folder, sidecar)
                state, data = self.probe.read(path)
                facts.append((FILE, path, state))
                docs, doc_path = self._cached("module", state, data, lambda raw: _module_docs(path, raw)), path
                break
        if docs is None or "error" in docs:
            message = "it has no documentation file (.py, .yml)" if docs is None else docs["error"]
            return ModuleLookup(asked, NO_DOCS, name, owner, message=message, path=doc_path)
        merged = []
        for fragment in docs["fragments"]:
            options = self._fragment(fragment, roots, facts)
            if options is None:
                return ModuleLookup(asked, NO_DOCS, name, owner, path=doc_path,
                                    message=f"its documentation fragment {fragment.strip()!r} cannot be found or read")
            merged.append(options)
        from shep.installed.docs import as_spec, merge

        options = as_spec(merge(docs["options"], merged))
        # Required only by a fragment (the connection and credential options most fragments document):
        # modules usually take those from the environment too (env_fallback), which documentation
        # does not state, so they are not judged required.
        loose = tuple(sorted(option for option, entry in options.items() if entry.get("required")
                             and docs["options"].get(option, {}).get("required") is not True))
        for option in loose:
            options[option] = {key: value for key, value in options[option].items() if key != "required"}
        spec = ModuleSpec(name=name, handler=DOCS_HANDLER, options=options, constraints=Constraints())
        return ModuleLookup(asked, FOUND, name, owner, spec=spec, path=doc_path, fragment_required=loose)

    def _no_module(self, asked: str, name: str, where: str, owner: str, names: tuple[str, ...],
                   facts: list[Fact]) -> ModuleLookup:
        """No module file: an action plugin of the name still loads (ACTION_ONLY); else NOT_FOUND."""
        resource = name.split(".", 2)[2]
        action = os.path.join(where, "plugins", "action", *resource.split(".")) + ".py"
        state = self.probe.state(FILE, action)
        facts.append((FILE, action, state))
        if state not in (ABSENT, DIRECTORY) or resource in self._routing(where, facts).action:
            return ModuleLookup(asked, ACTION_ONLY, name, owner)
        import difflib  # on a failure only

        modules = sorted({n.split(".", 1)[0] for n in names
                          if not n.startswith(("_", ".")) and not n.endswith(IGNORED_SUFFIXES)} - {"__init__"})
        close = difflib.get_close_matches(resource.rsplit(".", 1)[-1], modules, n=3)
        return ModuleLookup(asked, NOT_FOUND, name, owner, near=tuple(f"{owner}.{module}" for module in close))

    def _fragment(self, slug: str, roots: tuple[str, ...], facts: list[Fact]) -> dict[str, Any] | None:
        """The options of fragment ``slug`` (``add_fragments``' rule for a variant), None: not found."""
        name, variant = slug.strip(), "DOCUMENTATION"
        variants = self._fragment_file(name, roots, facts)
        if variants is None and "." in slug:
            name, variant = slug.rsplit(".", 1)
            variant = variant.upper()
            variants = self._fragment_file(name, roots, facts)
        if variants is None:
            return None
        options = variants.get(variant)
        return options if isinstance(options, dict) else None

    def _fragment_file(self, name: str, roots: tuple[str, ...], facts: list[Fact],
                       depth: int = 0) -> dict[str, Any] | None:
        from shep.resolve import is_collection_ref

        short = name
        for prefix in BUILTIN_PREFIXES:
            short = short.removeprefix(prefix)
        if depth > MAX_REDIRECTS:
            return None
        if "." not in short:  # ansible-core's own fragments, then its routing table (the legacy names)
            from shep._builtin.ansible_core_2_19_doc_fragments import FRAGMENTS, REDIRECTS

            found: dict[str, Any] | None = FRAGMENTS.get(short)
            if found is None and short in REDIRECTS:
                return self._fragment_file(REDIRECTS[short], roots, facts, depth + 1)
            return found
        if not is_collection_ref(name):
            return None
        namespace, collection, resource = name.split(".", 2)
        where = self._collection(roots, namespace, collection, facts)
        if where is None:
            return None
        entry = self._routing(where, facts).doc_fragments.get(resource)
        if isinstance(entry, dict) and isinstance(entry.get("redirect"), str):
            return self._fragment_file(entry["redirect"], roots, facts, depth + 1)
        base = self._resource_path(os.path.join(where, "plugins", "doc_fragments"), resource, facts)
        if base is None:
            return None
        path = base + ".py"
        state, data = self.probe.read(path)
        facts.append((FILE, path, state))
        variants = self._cached("fragment", state, data, _fragment_docs)
        return variants if isinstance(variants, dict) and "error" not in variants else None


def _module_docs(path: str, data: bytes) -> dict[str, Any]:
    from shep.installed.docs import DocsError, module_docs

    try:
        return module_docs(path, data)
    except DocsError as error:
        return {"error": str(error)}
    except RecursionError:
        return {"error": "its documentation is nested too deeply"}


def _fragment_docs(data: bytes) -> dict[str, Any]:
    from shep.installed.docs import DocsError, fragment_docs

    try:
        return fragment_docs(data)
    except DocsError as error:
        return {"error": str(error)}
    except RecursionError:
        return {"error": "its documentation is nested too deeply"}


def _parse_routing(data: bytes) -> dict[str, Any]:
    """``plugin_routing``'s modules, action and doc_fragments sections, every scalar a string, as
    ansible-core's ``_meta_yml_to_dict`` reads runtime.yml (an unreadable file routes nothing)."""
    import yaml

    from shep.loader.depth import nesting_problem

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return {}
    if nesting_problem(text) is not None:  # the C composer would crash the process on it
        return {}
    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    try:
        loaded = yaml.load(text, Loader=loader)  # noqa: S506 (every scalar a string)
    except (yaml.YAMLError, RecursionError):
        return {}
    routing = loaded.get("plugin_routing") if isinstance(loaded, dict) else None
    if not isinstance(routing, dict):
        return {}
    return {section: routing[section] for section in ("modules", "action", "doc_fragments")
            if isinstance(routing.get(section), dict)}


def _bad_redirect(owner: str, name: str, redirect: str, seen: list[str]) -> str | None:
    from shep.resolve import is_fqcr

    if not is_fqcr(redirect):
        return (f"Collection {owner} contains invalid redirect for {name}: {redirect}. "
                "Redirects must use fully qualified collection names.")
    if redirect in seen:
        return f"the redirects of {seen[0]} loop back to {redirect}"
    return None


def _removal_text(name: str, what: str, removal: dict[str, Any], owner: str) -> str:
    """ansible-core's deprecation or removal message for a routed module (``record_deprecation``,
    ``_find_fq_plugin`` and ``get_deprecation_message_with_plugin_info``)."""
    text = removal.get("warning_text") or ""
    date, version = removal.get("removal_date"), removal.get("removal_version")
    if what == "removed":
        first = f"The {name!r} module has been removed.{' ' if text else ''}{text}"
        when = f"in a release after {date}" if date else (f"version {version}" if version else "")
        tail = " ".join(part for part in ("This feature was removed from", f"collection {owner!r}", when) if part)
    else:
        first = f"{name} has been deprecated.{' ' if text else ''}{text}"
        when = f"in a release after {date}" if date else (f"version {version}" if version else "in a future release")
        tail = f"This feature will be removed from collection {owner!r} {when}"
    first = first.strip()
    return f"{first}{'' if first.endswith(('.', '!', '?')) else '.'} {tail}."


__all__ = ["DocsCache", "Index"]
