"""The Jinja filter and test names ansible-core 2.19.14 resolves with no collection installed (its facts,
generated into ``shep._builtin`` by scripts/gen_jinja_plugins.py), and whether a name used in a template
is unknown (V035 jinja-unknown-filter and V036 jinja-unknown-test report those).

How ansible-core finds a filter or test (``Jinja2Loader.get_with_context``, ``JinjaPluginIntercept``):
``ansible.legacy.`` is dropped, then the names its own plugins and local plugin directories
(``filter_plugins/``, ``test_plugins/``) provide are tried, then Jinja's builtins, then the name as a
collection's (a short name as ``ansible.builtin.<name>``, whose routing table may redirect it to a
collection). The ``collections`` keyword plays no part. So an unknown short (or ``ansible.legacy.``,
``ansible.builtin.``) name is a typo or a local plugin; another collection's FQCN may be installed and is
never judged.
"""

from __future__ import annotations

from shep._builtin import ansible_core_2_19_jinja as table

_PREFIXES = ("ansible.builtin.", "ansible.legacy.")


def _short(name: str) -> str:
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def is_unknown(kind: str, name: str) -> bool:
    """Whether ansible-core with no collection installed has no ``kind`` ("filter" or "test") called
    ``name``, and no collection could provide one of that name (another collection's FQCN can)."""
    known = table.FILTERS if kind == "filter" else table.TESTS
    if name in known:
        return False
    if "." in name and not name.startswith(_PREFIXES):
        return False  # another collection's: installed or not, nothing to say
    short = _short(name)
    if "." in short:
        return not name.startswith("ansible.legacy.")  # ansible.legacy.ns.coll.x is a collection's FQCN
    redirects = table.FILTER_REDIRECTS if kind == "filter" else table.TEST_REDIRECTS
    return short not in redirects


def any_unknown(names: tuple[tuple[str, str, int], ...]) -> bool:
    """Whether one of the (kind, name, offset) of a template is unknown."""
    filters, tests = table.FILTERS, table.TESTS
    for kind, name, _offset in names:
        if name not in (filters if kind == "filter" else tests) and is_unknown(kind, name):
            return True
    return False


def suggestion(kind: str, name: str) -> str | None:
    """The known name closest to ``name``, spelled as ``name`` is (short or with its prefix)."""
    import difflib  # on a finding only

    known = table.FILTERS if kind == "filter" else table.TESTS
    shorts = sorted(n for n in known if "." not in n)
    close = difflib.get_close_matches(_short(name), shorts, n=1, cutoff=0.75)
    if not close:
        return None
    prefix = name[:len(name) - len(_short(name))]
    return prefix + close[0]
