#!/usr/bin/env python3
"""Generate the option facts of ansible-core's own doc fragments, or check that they are fresh.

    python scripts/gen_doc_fragments.py                 write src/shep/_builtin/ansible_core_<major>_<minor>_doc_fragments.py
    python scripts/gen_doc_fragments.py --check         exit 1 if the committed table differs from a fresh generation
    python scripts/gen_doc_fragments.py --any-version   also accept an ansible-core that VERSIONS does not list

A collection module's documentation may extend ``ansible.builtin`` fragments (``files``, ``url``,
``ansible.builtin.backup``…), which live in ansible-core; shep reads them from this table, so that
ansible-core need not be installed. The table holds ``REDIRECTS``, the ``doc_fragments`` redirects of
ansible-core's routing table (``ansible/config/ansible_builtin_runtime.yml``: legacy short names such as
``intersight`` that moved into collections), and ``FRAGMENTS``: for every fragment of
``ansible/plugins/doc_fragments/`` and every string attribute of its ``ModuleDocFragment`` class
(``DOCUMENTATION`` and the named variants, such as ``url.URL_REDIRECT``), the facts of its options in
shep's argument-spec format (``shep.installed.docs.option_facts``: names, types, elements, choices,
defaults, required, aliases, sub-options; no descriptions, no prose).

Where the facts come from: ansible-core itself. Each fragment module is imported and each attribute
parsed with ansible-core's own YAML loader (what ``add_fragments`` does). The generator also reads
every fragment file as shep reads a collection's (``shep.installed.docs.fragment_docs``: ``ast``,
never importing) and stops if the two readings differ.

``--check`` without the pinned ansible-core checks only that the committed table is this script's
rendering of the facts it holds (and says so on stderr).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import importlib.util
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The version gate and ansible-core's version are gen_builtin.py's, as for the other generated tables.
from gen_builtin import installed_version, pinned_version, stale_status, write_or_check  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "shep" / "_builtin"
PROG = "gen_doc_fragments.py"

# ansible-core version -> the module of src/shep/_builtin/ that holds its fragments' facts.
VERSIONS: dict[str, str] = {
    "2.19.14": "ansible_core_2_19_doc_fragments",
}

Table = dict[str, dict[str, dict[str, object]]]
ROUTING_KEYS = frozenset({"redirect"})  # what the script understands of a doc_fragments routing entry


def read_redirects() -> dict[str, str]:
    """The doc_fragments redirects of ansible-core's routing table."""
    import yaml

    spec = importlib.util.find_spec("ansible")
    assert spec is not None and spec.origin
    path = Path(spec.origin).parent / "config" / "ansible_builtin_runtime.yml"
    routing = yaml.safe_load(path.read_text(encoding="utf-8"))["plugin_routing"].get("doc_fragments", {})
    unknown = {key for entry in routing.values() for key in entry} - ROUTING_KEYS
    if unknown:
        raise SystemExit(f"{PROG}: error: doc_fragments routing keys this script does not know: {sorted(unknown)}")
    return {name: entry["redirect"] for name, entry in sorted(routing.items())}


def read_ansible_core() -> Table:
    """fragment -> attribute -> option facts, as ansible-core loads them."""
    sys.path.insert(0, str(ROOT / "src"))
    from shep.installed.docs import fragment_docs, option_facts

    import yaml
    from ansible.parsing.yaml.loader import AnsibleLoader

    spec = importlib.util.find_spec("ansible.plugins.doc_fragments")
    assert spec is not None and spec.submodule_search_locations
    folder = Path(next(iter(spec.submodule_search_locations)))
    table: Table = {}
    for path in sorted(folder.glob("*.py")):
        if path.name == "__init__.py":
            continue
        module = importlib.import_module(f"ansible.plugins.doc_fragments.{path.stem}")
        variants: dict[str, dict[str, object]] = {}
        for name, value in vars(module.ModuleDocFragment).items():
            if name.startswith("_") or not isinstance(value, str):
                continue
            loaded = yaml.load(value, Loader=AnsibleLoader)  # noqa: S506 (ansible-core's own loader)
            options = loaded.get("options") if isinstance(loaded, dict) else None
            variants[name] = json.loads(json.dumps(option_facts(options)))  # plain data, no tagged types
        static = fragment_docs(path.read_bytes())
        if static != variants:
            differing = sorted(k for k in {*static, *variants} if static.get(k) != variants.get(k))
            raise SystemExit(f"{PROG}: error: shep's static reading of {path.name} differs from ansible-core's "
                             f"in {', '.join(differing)}")
        table[path.stem] = variants
    return table


def lit(value: object) -> str:
    """A Python literal (strings with double quotes, as the project writes them)."""
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(lit(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{lit(key)}: {lit(value[key])}" for key in sorted(value)) + "}"
    raise TypeError(value)


def render(version: str, table: Table, redirects: dict[str, str]) -> str:
    lines = [
        f"# Generated by scripts/{PROG} from ansible-core {version}: do not edit.",
        f"# Regenerate: python scripts/{PROG} (make check-generated runs it with --check).",
        f'"""ansible-core {version}: the options of its own doc fragments (facts only), which collection modules',
        "extend as ``files``, ``ansible.builtin.url``, ``url.URL_REDIRECT``…: fragment -> ``ModuleDocFragment``",
        'attribute -> options, in shep.module_specs\'s argument-spec format; and the redirects of its routing',
        'table for doc fragments. See scripts/gen_doc_fragments.py."""',
        "",
        "from __future__ import annotations",
        "",
        f"ANSIBLE_CORE_VERSION = {lit(version)}",
        "",
        "# plugin_routing.doc_fragments: name -> target",
        "REDIRECTS: dict[str, str] = {",
        *(f"    {lit(name)}: {lit(target)}," for name, target in sorted(redirects.items())),
        "}",
        "",
        "FRAGMENTS: dict[str, dict[str, dict[str, object]]] = {",
    ]
    for fragment in sorted(table):
        lines.append(f"    {lit(fragment)}: {{")
        for variant in sorted(table[fragment]):
            lines.append(f"        {lit(variant)}: {lit(table[fragment][variant])},")
        lines.append("    },")
    lines.append("}")
    return "\n".join(lines) + "\n"


def facts_of_table(module: str) -> tuple[str, Table, dict[str, str]]:
    namespace: dict[str, object] = {}
    path = TARGET / f"{module}.py"
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)  # our own generated file
    version, table, redirects = namespace["ANSIBLE_CORE_VERSION"], namespace["FRAGMENTS"], namespace["REDIRECTS"]
    assert isinstance(version, str) and isinstance(table, dict) and isinstance(redirects, dict)
    return version, table, redirects


DOC_FRAGMENTS_SUFFIX = "_doc_fragments"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed table is stale")
    parser.add_argument("--any-version", action="store_true",
                        help="generate for an installed ansible-core that VERSIONS does not list")
    args = parser.parse_args(argv)
    installed = installed_version()
    refused = pinned_version(PROG, VERSIONS, DOC_FRAGMENTS_SUFFIX, args, installed)
    if refused:
        return refused
    stale: list[str] = []
    for version, module in VERSIONS.items():
        path = TARGET / f"{module}.py"
        if version == installed:
            text = render(version, read_ansible_core(), read_redirects())
        elif path.exists():
            text = render(*facts_of_table(module))
        else:
            print(f"{PROG}: error: no table for ansible-core {version}; install ansible-core=={version} "
                  f"and run scripts/{PROG}", file=sys.stderr)
            return 2
        write_or_check(path, text, args.check, stale)
    return stale_status(PROG, stale)


if __name__ == "__main__":
    raise SystemExit(main())
