"""`shep module show NAME`: the spec shep judges a builtin action's arguments by, as text or JSON.

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

# What each handler means for the user, in a few words.
HANDLERS = {
    "module": "the module's own argument spec",
    "action_spec": "the action plugin's argument spec",
    "valid_args": "the action plugin's list of option names (values are not checked)",
    "wrapper": "the action plugin's options and those of the module it runs",
}
CONSTRAINTS = ("mutually_exclusive", "required_together", "required_one_of", "required_if", "required_by")


def show_command(name: str, fmt: str) -> int:
    short = builtin_name(name)
    spec = builtin_spec(short) if short is not None else None
    if spec is None:
        err(f"error: {_why_not(name, short)}")
        return EXIT_USAGE
    print(json.dumps(as_json(spec), indent=2, sort_keys=True) if fmt == "json" else as_text(spec))
    return EXIT_OK


def _why_not(name: str, short: str | None) -> str:
    if short is None:
        return (f"{name} is a collection's module: shep holds the specs of ansible-core's builtin "
                "modules and actions only")
    reason = unchecked_reason(short)
    if reason is not None:
        return f"ansible.builtin.{short}: its options are not judged statically ({reason})"
    import difflib

    close = difflib.get_close_matches(short, sorted(builtin_names()), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"ansible-core 2.19 has no builtin module or action {short!r}{hint}"


def as_json(spec: ModuleSpec) -> dict[str, Any]:
    constraints = {field: getattr(spec.constraints, field) for field in CONSTRAINTS}
    return {"name": f"ansible.builtin.{spec.name}", "handler": spec.handler, "options": spec.options,
            **{key: value for key, value in constraints.items() if value}}


def as_text(spec: ModuleSpec) -> str:
    lines = [f"ansible.builtin.{spec.name}", f"  judged by: {HANDLERS.get(spec.handler, spec.handler)}", ""]
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
