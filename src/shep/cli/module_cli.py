"""`shep module show NAME`: the spec shep judges an action's arguments by, as text or JSON: a builtin
action's (generated from ansible-core), or the documented options of an installed collection's module
(``shep.installed``: found where ansible-core would find it, from the working directory; with
``--playbook-dir``, the collections beside that playbook directory first).

Exit codes: 0 shown; 2 a name shep has no spec for (with the reason, and a did-you-mean).
"""

from __future__ import annotations

import json

from shep.cli import EXIT_OK, EXIT_USAGE
from shep.cli._io import err
from shep.module_specs import ModuleSpec, builtin_name, builtin_names, builtin_spec, unchecked_reason

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from shep.installed.lookup import ModuleLookup

# What each handler means for the user, in a few words.
HANDLERS = {
    "docs": "the module's documentation as installed here (its findings are warnings)",
    "module": "the module's own argument spec",
    "action_spec": "the action plugin's argument spec",
    "valid_args": "the action plugin's list of option names (values are not checked)",
    "wrapper": "the action plugin's options and those of the module it runs",
}
CONSTRAINTS = ("mutually_exclusive", "required_together", "required_one_of", "required_if", "required_by")


def show_command(name: str, fmt: str, playbook_dir: str | None = None) -> int:
    short = builtin_name(name)
    spec = builtin_spec(short) if short is not None else None
    if spec is None:
        from shep.resolve import BUILTIN, resolve

        target = resolve(name).name
        if target is not None and not target.startswith(BUILTIN):  # an FQCN, or a builtin name routed to one
            return _show_installed(name, target, fmt, playbook_dir)
        err(f"error: {_why_not(name, short)}")
        return EXIT_USAGE
    print(json.dumps(as_json(spec), indent=2, sort_keys=True) if fmt == "json" else as_text(spec))
    return EXIT_OK


def _show_installed(name: str, target: str, fmt: str, playbook_dir: str | None) -> int:
    """The documented options of the installed module ``target`` (what ``name`` resolves to)."""
    import os

    from shep import installed
    from shep.installed.index import Index

    from shep.cache import default_dir

    index = Index(default_dir())
    anchor = "" if playbook_dir is None else "P:" + os.path.abspath(playbook_dir)
    found, _ = index.lookup(target, anchor)
    via = [name] if name != target else []
    if found.name != target:
        via.append(target)
    if found.status == installed.BUILTIN:
        spec = builtin_spec(found.name.removeprefix("ansible.builtin."))
    else:
        spec = found.spec if found.status == installed.FOUND else None
    if spec is None:
        err(f"error: {_why_not_installed(found, index.probe.roots(anchor))}")
        return EXIT_USAGE
    if fmt == "json":
        shown = {**as_json(spec), "redirected_from": via, "deprecations": list(found.deprecations),
                 "fragment_required": list(found.fragment_required)}
        if found.path is not None:
            shown["documentation"] = found.path
        print(json.dumps(shown, indent=2, sort_keys=True))
        return EXIT_OK
    text = as_text(spec).splitlines()
    notes = [f"  redirected from: {' -> '.join(via)}"] if via else []
    notes += [f"  documentation: {found.path}"] if found.path else []
    notes += [f"  deprecated: {text}" for text in found.deprecations]
    if found.fragment_required:
        notes.append(f"  required by a doc fragment only, not judged required: {', '.join(found.fragment_required)}")
    print("\n".join([*text[:2], *notes, *text[2:]]))
    return EXIT_OK


def _why_not_installed(found: ModuleLookup, roots: tuple[str, ...]) -> str:
    from shep import installed

    if found.status == installed.MISSING_COLLECTION:
        where = ", ".join(roots) if roots else "no collection root exists"
        return f"{found.name}: the collection {found.collection} is not installed (collection roots: {where})"
    if found.status == installed.NOT_FOUND:
        hint = f"; did you mean {', '.join(found.near)}?" if found.near else ""
        return found.message or f"the collection {found.collection} has no module {found.name}{hint}"
    if found.status == installed.ACTION_ONLY:
        return f"{found.name} is an action plugin without a module: it documents no options"
    return f"{found.name}: {found.message or 'no documentation'}"


def _why_not(name: str, short: str | None) -> str:
    if short is None:
        return f"{name} is not a module name shep can look up"
    reason = unchecked_reason(short)
    if reason is not None:
        return f"ansible.builtin.{short}: its options are not judged statically ({reason})"
    import difflib

    close = difflib.get_close_matches(short, sorted(builtin_names()), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"ansible-core 2.19 has no builtin module or action {short!r}{hint}"


def _full_name(spec: ModuleSpec) -> str:
    return spec.name if spec.handler == "docs" else f"ansible.builtin.{spec.name}"


def as_json(spec: ModuleSpec) -> dict[str, Any]:
    constraints = {field: getattr(spec.constraints, field) for field in CONSTRAINTS}
    return {"name": _full_name(spec), "handler": spec.handler, "options": spec.options,
            **{key: value for key, value in constraints.items() if value}}


def as_text(spec: ModuleSpec) -> str:
    lines = [_full_name(spec), f"  judged by: {HANDLERS.get(spec.handler, spec.handler)}", ""]
    lines += _option_lines(spec.options, "  ")
    constraint_lines = _constraint_lines(spec)
    if constraint_lines:
        lines += ["", "  checks between options:", *constraint_lines]
    return "\n".join(lines)


def _option_lines(options: dict[str, dict[str, Any]], indent: str) -> list[str]:
    lines = []
    width = max((len(name) for name in options), default=0)
    for name in sorted(options):
        entry = options[name]
        wanted = entry.get("type", "str")
        if entry.get("elements"):
            wanted += f" of {entry['elements']}"
        facts = []
        if entry.get("required"):
            facts.append("required")
        if "choices" in entry:
            facts.append("choices: " + ", ".join(str(c) for c in entry["choices"]))
        if entry.get("default") is not None:
            facts.append(f"default: {entry['default']!r}")
        if entry.get("aliases"):
            facts.append("aliases: " + ", ".join(entry["aliases"]))
        if "removed_in_version" in entry or "removed_at_date" in entry:
            facts.append("deprecated")
        lines.append(f"{indent}{name.ljust(width)}  {wanted}" + (f"  ({'; '.join(facts)})" if facts else ""))
        if entry.get("options"):
            lines += _option_lines(entry["options"], indent + "    ")
    return lines


def _constraint_lines(spec: ModuleSpec) -> list[str]:
    c = spec.constraints
    lines = [f"    mutually exclusive: {' | '.join(group)}" for group in c.mutually_exclusive]
    lines += [f"    required together: {', '.join(group)}" for group in c.required_together]
    lines += [f"    one of required: {', '.join(group)}" for group in c.required_one_of]
    for rule in c.required_if:
        which = "any" if len(rule) > 3 and rule[3] else "all"
        lines.append(f"    if {rule[0]} is {rule[1]!r}: {which} of {', '.join(rule[2])}")
    for key, needed in c.required_by.items():
        lines.append(f"    {key} needs: {needed if isinstance(needed, str) else ', '.join(needed)}")
    return lines
