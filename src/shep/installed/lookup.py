"""The answer of a lookup among the installed collections (``shep.installed.index``), as the checks
and ``shep module show`` read it."""

from __future__ import annotations

from shep._records import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shep.module_specs import ModuleSpec


@record
class ModuleLookup:
    """What a task's action (an FQCN outside ansible.builtin) resolves to among the installed collections.

    ``asked``: the FQCN looked up; ``name``: where the collections' redirects lead (``asked`` when none
    does); ``collection``: the collection of ``name``; ``spec``: the options its documentation states
    (status FOUND); ``message``: the removal text (REMOVED) or why the documentation is unusable
    (NO_DOCS); ``deprecations``: ansible-core's deprecation texts met on the way; ``path``: the file
    the documentation came from; ``near``: the collection's modules closest to the name, for a did-you-mean (NOT_FOUND);
    ``fragment_required``: options only a doc fragment documents as required, not judged required
    (connection and credential options, which modules usually also take from the environment).
    """

    asked: str
    status: str
    name: str
    collection: str
    spec: ModuleSpec | None = None
    message: str | None = None
    deprecations: tuple[str, ...] = ()
    path: str | None = None
    near: tuple[str, ...] = ()
    fragment_required: tuple[str, ...] = ()
