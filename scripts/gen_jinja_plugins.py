#!/usr/bin/env python3
"""Generate the table of the Jinja filter and test names ansible-core knows, or check that it is fresh.

    python scripts/gen_jinja_plugins.py                 write src/shep/_builtin/ansible_core_<major>_<minor>_jinja.py
    python scripts/gen_jinja_plugins.py --check         exit 1 if the committed table differs from a fresh generation
    python scripts/gen_jinja_plugins.py --any-version   also accept an ansible-core that VERSIONS does not list

The facts come from ansible-core itself, asked the way a template asks it: its own templating environment
(``TemplateEngine().environment``, with no collection installed and no local plugin directory) is asked whether
each candidate name is one of its filters (``name in environment.filters``) or tests. The candidates are every
name ansible-core's filter and test plugin loaders list (``filter_loader.all()``, ``test_loader.all()``: short,
``ansible.builtin.`` and ``ansible.legacy.`` spellings), Jinja's own builtins (``jinja2.defaults``) and the
``filter``/``test`` entries of ansible-core's routing table, each tried in the three spellings. Only names that
can be written in a template (dotted identifiers) are kept: ``==`` and the like are test aliases that only
``select``-style filters take as strings. The routing table's redirects out of ``ansible.builtin``
(``json_query`` → ``community.general.json_query``) are kept apart: such a name works once its collection is
installed, so shep never warns about it.

shep's checks V035 (jinja-unknown-filter) and V036 (jinja-unknown-test) read the table. ``--check`` without the
pinned ansible-core checks that the committed table is this script's rendering of its own facts, and says so.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_builtin import installed_version, module_for, pinned_version, stale_status, write_or_check  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "shep" / "_builtin"
PROG = "gen_jinja_plugins.py"

JINJA_SUFFIX = "_jinja"
# ansible-core version -> the module of src/shep/_builtin/ that holds its facts
VERSIONS: dict[str, str] = {
    "2.19.14": module_for("2.19.14", JINJA_SUFFIX),
}
# ansible-core version -> the Jinja2 version pinned with it (constraints.txt): the facts are read with that one
JINJA_VERSIONS: dict[str, str] = {
    "2.19.14": "3.1.6",
}
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_PREFIXES = ("", "ansible.builtin.", "ansible.legacy.")


class Facts:
    def __init__(self, version: str, jinja: str, filters: list[str], tests: list[str],
                 filter_redirects: dict[str, str], test_redirects: dict[str, str]) -> None:
        self.version = version
        self.jinja = jinja
        self.filters = sorted(filters)
        self.tests = sorted(tests)
        self.filter_redirects = dict(sorted(filter_redirects.items()))
        self.test_redirects = dict(sorted(test_redirects.items()))


def installed(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _short(name: str) -> str:
    for prefix in _PREFIXES[1:]:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def read_ansible_core(version: str, jinja_version: str) -> Facts:
    import jinja2.defaults
    from ansible.plugins.loader import filter_loader, init_plugin_loader, test_loader
    from ansible._internal._templating._engine import TemplateEngine

    init_plugin_loader()
    environment = TemplateEngine().environment
    routing = _routing()
    found: dict[str, list[str]] = {}
    redirects: dict[str, dict[str, str]] = {}
    for kind, loader, builtins, lookup in (
        ("filter", filter_loader, jinja2.defaults.DEFAULT_FILTERS, environment.filters),
        ("test", test_loader, jinja2.defaults.DEFAULT_TESTS, environment.tests),
    ):
        candidates = {_short(plugin._load_name) for plugin in loader.all()} | set(builtins) | set(routing[kind])
        names = {prefix + short for short in candidates for prefix in _PREFIXES}
        found[kind] = sorted(name for name in names if _DOTTED.fullmatch(name) and name in lookup)
        redirects[kind] = {name: target for name, target in routing[kind].items()
                           if not target.startswith(("ansible.builtin.", "ansible.legacy."))}
    return Facts(version, jinja_version, found["filter"], found["test"], redirects["filter"], redirects["test"])


def _routing() -> dict[str, dict[str, str]]:
    import ansible
    import yaml

    path = Path(ansible.__file__).parent / "config" / "ansible_builtin_runtime.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))["plugin_routing"]
    routing: dict[str, dict[str, str]] = {}
    for kind in ("filter", "test"):
        entries: dict[str, str] = {}
        for name, entry in (data.get(kind) or {}).items():
            if not isinstance(entry, dict) or set(entry) - {"redirect", "deprecation", "tombstone"}:
                raise SystemExit(f"{PROG}: error: unexpected routing entry {kind}.{name}: {entry!r}")
            if "tombstone" in entry or "deprecation" in entry:
                raise SystemExit(f"{PROG}: error: {kind}.{name} is deprecated or removed: teach {PROG} about it")
            entries[str(name)] = str(entry["redirect"])
        routing[kind] = entries
    return routing


# -- rendering ------------------------------------------------------------------------------------------


def _names(variable: str, comment: str, names: list[str]) -> list[str]:
    return [f"# {comment}", f"{variable}: frozenset[str] = frozenset({{"] + [f"    {json.dumps(n)}," for n in names] + ["})", ""]


def _mapping(variable: str, comment: str, entries: dict[str, str]) -> list[str]:
    body = [f"    {json.dumps(name)}: {json.dumps(target)}," for name, target in entries.items()]
    return [f"# {comment}", f"{variable}: dict[str, str] = {{"] + body + ["}", ""]


def render(facts: Facts) -> str:
    lines = [
        f"# Generated by scripts/{PROG} from ansible-core {facts.version} (Jinja2 {facts.jinja}): do not edit.",
        f"# Regenerate: python scripts/{PROG} (make check-generated runs it with --check).",
        f'"""ansible-core {facts.version}: the Jinja filter and test names its templates resolve with no collection '
        'installed (facts only)."""',
        "",
        "from __future__ import annotations",
        "",
        f"ANSIBLE_CORE_VERSION = {json.dumps(facts.version)}",
        f"JINJA2_VERSION = {json.dumps(facts.jinja)}",
        "",
    ]
    lines += _names("FILTERS", "`name in environment.filters`: Jinja's and ansible.builtin's, short, ansible.builtin. "
                    "and ansible.legacy.", facts.filters)
    lines += _names("TESTS", "`name in environment.tests`, likewise", facts.tests)
    lines += _mapping("FILTER_REDIRECTS", "plugin_routing.filter: name -> the collection's filter it redirects to",
                      facts.filter_redirects)
    lines += _mapping("TEST_REDIRECTS", "plugin_routing.test: name -> the collection's test it redirects to",
                      facts.test_redirects)
    return "\n".join(lines).rstrip("\n") + "\n"


def facts_of_table(path: Path) -> Facts:
    namespace: dict[str, object] = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)  # our own generated file

    def names(key: str) -> list[str]:
        value = namespace[key]
        assert isinstance(value, frozenset)
        return list(value)

    def mapping(key: str) -> dict[str, str]:
        value = namespace[key]
        assert isinstance(value, dict)
        return value

    return Facts(str(namespace["ANSIBLE_CORE_VERSION"]), str(namespace["JINJA2_VERSION"]), names("FILTERS"),
                 names("TESTS"), mapping("FILTER_REDIRECTS"), mapping("TEST_REDIRECTS"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed table is stale")
    parser.add_argument("--any-version", action="store_true",
                        help="generate for an installed ansible-core (or Jinja2) that VERSIONS does not list")
    args = parser.parse_args(argv)
    version, jinja = installed_version(), installed("jinja2")
    refused = pinned_version(PROG, VERSIONS, JINJA_SUFFIX, args, version)
    if refused:
        return refused
    stale: list[str] = []
    for pinned, module in VERSIONS.items():
        path = TARGET / f"{module}.py"
        pinned_jinja = JINJA_VERSIONS.get(pinned)
        if version == pinned and (jinja == pinned_jinja or args.any_version):
            facts = read_ansible_core(pinned, jinja or "")
        elif path.exists():
            if version == pinned and not args.check:
                print(f"{PROG}: error: Jinja2 is {jinja}, not {pinned_jinja}, the version pinned with "
                      f"ansible-core {pinned}; install it or pass --any-version", file=sys.stderr)
                return 2
            if version == pinned:
                print(f"{PROG}: Jinja2 is {jinja}, not {pinned_jinja}: checked only that {path.name} is this "
                      "script's rendering of its own facts", file=sys.stderr)
            facts = facts_of_table(path)
        else:
            print(f"{PROG}: error: no table for ansible-core {pinned}; install it and run {PROG}", file=sys.stderr)
            return 2
        text = render(facts)
        write_or_check(path, text, args.check, stale)
    return stale_status(PROG, stale)


if __name__ == "__main__":
    raise SystemExit(main())
