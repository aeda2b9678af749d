"""Installed collections, found and read as ansible-core 2.19 finds and documents them, without
importing Ansible or running any collection code.

* ``shep.installed.roots``: where ansible-core looks for collections (``ANSIBLE_COLLECTIONS_PATH``,
  ``collections_path`` of the ``ansible.cfg`` it reads, its default, ``ansible_collections`` on
  ``sys.path``, ``collections/`` beside a playbook);
* ``shep.installed.docs``: a module's ``DOCUMENTATION`` read with ``ast`` and its doc fragments merged,
  turned into the argument-spec format of ``shep.module_specs`` (facts only);
* ``shep.installed.index``: an action's FQCN looked up in the collection that holds it (with the
  redirects, tombstones and deprecations of its ``meta/runtime.yml``), the documentation cached by
  content in shep's cache directory;
* ``shep.installed.facts``: what each answer depended on (a file's bytes, a directory listing, the
  roots), so that cached results and replayed runs are trusted only while it still holds.

This module holds the vocabulary of the answers (``shep.installed.lookup.ModuleLookup``) and the
handle a run passes around (``Installed``): it costs nothing to import, and reads nothing until asked.
The checks read the answers, never the files.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from shep.installed.facts import Fact
    from shep.installed.index import Index

# What a lookup found (``ModuleLookup.status``).
FOUND = "found"  # a module of an installed collection, with documentation shep could read: spec is set
BUILTIN = "builtin"  # a collection's routing redirects it into ansible.builtin: name is that builtin FQCN
MISSING_COLLECTION = "missing-collection"  # no collection root holds the collection
NOT_FOUND = "not-found"  # the collection is installed, but holds no such module or action (ansible-core fails)
REMOVED = "removed"  # a tombstone of the collection's routing (ansible-core fails): message is its text
ACTION_ONLY = "action-only"  # an action plugin without a module: no documentation to judge by
NO_DOCS = "no-docs"  # the module exists, its documentation cannot be read (message says why): not judged

# ModuleSpec.handler of a spec made from a module's documentation. Its findings are warnings at most:
# documentation can be wrong, and what is installed where shep runs may differ from where the play runs.
DOCS_HANDLER = "docs"


class Installed:
    """The installed collections of one run, as a handle: nothing is imported or read until a task
    names a collection (``index``) or a cached result depends on collections (``holds``).

    ``cache_dir``: where parsed documentation is cached (None: nowhere); ``roots``: the configured
    collection roots, fixed (None: found as ansible-core finds them; tests fix them). A handle sent
    to a worker process arrives as that process's handle of the same run (one per process and run),
    so that each worker reads the roots and every collection file once, not once per file.
    """

    def __init__(self, cache_dir: str | None = None, roots: tuple[str, ...] | None = None) -> None:
        self._run = (os.getpid(), id(self), cache_dir, roots)
        self._index: Index | None = None

    def index(self) -> Index:
        if self._index is None:
            from shep.installed.facts import Probe
            from shep.installed.index import Index

            _, _, cache_dir, roots = self._run
            self._index = Index(cache_dir, Probe(roots))
        return self._index

    def holds(self, facts: Iterable[Fact]) -> bool:
        """Whether the facts a result was made from still hold in this run."""
        return self.index().probe.holds(facts)

    def __reduce__(self) -> tuple[Any, ...]:
        return _installed_of_run, self._run


_RUN: list[Installed] = []  # this process's handle of the run it last worked for


def _installed_of_run(pid: int, ident: int, cache_dir: str | None, roots: tuple[str, ...] | None) -> Installed:
    run = (pid, ident, cache_dir, roots)
    if not _RUN or _RUN[0]._run != run:
        handle = Installed(cache_dir, roots)
        handle._run = run
        _RUN[:] = [handle]
    return _RUN[0]
