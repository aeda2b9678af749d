"""A module's documented options, read as ``ansible-doc`` reads them, without importing anything.

* ``module_docs``: ``DOCUMENTATION`` of a module file, as ansible-core's
  ``read_docstring_from_python_file`` finds it (the last top-level ``DOCUMENTATION = …`` assignment
  whose value is a string, parsed as YAML, or a dict literal), or of a sidecar ``.yml``/``.yaml``
  (its ``DOCUMENTATION`` key); ``extends_documentation_fragment`` kept as the list of fragment names.
* ``fragment_docs``: every string attribute of a doc fragment file's ``ModuleDocFragment`` class
  (``DOCUMENTATION`` and the named variants a module asks for as ``fragment.variant``), each parsed.
* ``option_facts``: the facts of documented options in ``shep.module_specs``'s argument-spec format:
  ``type``, ``elements``, ``choices`` (the keys, when the documentation maps each choice to a
  description), ``default``, ``required``, ``aliases``, and ``suboptions`` as ``options``. Nothing
  else: no descriptions, no prose.
* ``merge``: ``add_fragments``'s rule for options: an option the module (or an earlier fragment)
  documents replaces a later fragment's entry of that name whole.

The YAML is read as PyYAML's safe loader reads it (YAML 1.1, as ansible-core's loader).
"""

from __future__ import annotations

import ast

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DOCUMENTATION = "DOCUMENTATION"
FRAGMENT_CLASS = "ModuleDocFragment"
YAML_SUFFIXES = (".yml", ".yaml")
FACT_KEYS = ("type", "elements", "choices", "default", "required", "aliases")


class DocsError(ValueError):
    """Documentation that cannot be read (the message says why)."""


def _yaml(text: str | bytes) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        raise DocsError(f"its documentation is not valid YAML ({type(exc).__name__})") from None


def _assigned_strings(body: list[ast.stmt]) -> dict[str, Any]:
    """name -> value of the assignments of ``body`` whose value is a string or a dict literal; the
    last one wins, as in ansible-core's loop (another value: the name is taken as unreadable)."""
    found: dict[str, Any] = {}
    for statement in body:
        if not isinstance(statement, ast.Assign):
            continue
        for target in statement.targets:
            if not isinstance(target, ast.Name):
                continue
            value = statement.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found[target.id] = value.value
            elif isinstance(value, ast.Dict):
                try:
                    found[target.id] = ast.literal_eval(value)
                except ValueError:
                    found[target.id] = None
            else:
                found[target.id] = None
    return found


def _parse_python(data: bytes) -> ast.Module:
    try:
        return ast.parse(data)
    except (SyntaxError, ValueError) as exc:
        raise DocsError(f"the file is not Python that shep can parse ({type(exc).__name__})") from None


def module_docs(path: str, data: bytes) -> dict[str, Any]:
    """``{"fragments": [...], "options": {...}}`` of a module's documentation file (DocsError if
    there is none shep can read)."""
    if path.endswith(YAML_SUFFIXES):
        loaded = _yaml(data)
        doc = loaded.get(DOCUMENTATION) if isinstance(loaded, dict) else None
    else:
        doc = _assigned_strings(_parse_python(data).body).get(DOCUMENTATION)
        if isinstance(doc, str):
            doc = _yaml(doc)
    if not isinstance(doc, dict):
        raise DocsError("it has no DOCUMENTATION mapping shep can read statically")
    fragments = doc.get("extends_documentation_fragment") or []
    if isinstance(fragments, str):
        fragments = fragments.split(",")
    if not isinstance(fragments, list) or not all(isinstance(f, str) for f in fragments):
        raise DocsError("its extends_documentation_fragment is not a list of names")
    return {"fragments": fragments, "options": option_facts(doc.get("options"))}


def fragment_docs(data: bytes) -> dict[str, dict[str, Any] | None]:
    """Variant name -> options of each string attribute of the file's ``ModuleDocFragment`` class
    (None: the attribute is not a string shep can read, or not a YAML mapping)."""
    variants: dict[str, dict[str, Any] | None] = {}
    for statement in _parse_python(data).body:
        if isinstance(statement, ast.ClassDef) and statement.name == FRAGMENT_CLASS:
            variants = {}  # the last class of that name is the one Python keeps
            for name, value in _assigned_strings(statement.body).items():
                try:
                    loaded = _yaml(value) if isinstance(value, str) else value
                except DocsError:
                    loaded = None
                variants[name] = option_facts(loaded.get("options")) if isinstance(loaded, dict) else None
    return variants


def option_facts(options: Any) -> dict[str, Any]:
    """Documented options as argument-spec facts (entries that are not mappings are left out)."""
    if not isinstance(options, dict):
        return {}
    facts: dict[str, Any] = {}
    for name, entry in options.items():
        if not isinstance(name, str) or not isinstance(entry, dict):
            continue
        fact: dict[str, Any] = {}
        for key in FACT_KEYS:
            if key in entry and entry[key] is not None:
                fact[key] = _plain(entry[key])
        if isinstance(fact.get("choices"), dict):
            fact["choices"] = list(fact["choices"])
        if "required" in fact:
            if fact["required"] is True:
                fact["required"] = True
            else:
                del fact["required"]
        if not isinstance(fact.get("aliases", []), list):
            fact["aliases"] = [str(fact["aliases"])]
        if not isinstance(fact.get("type", ""), str):
            del fact["type"]
        if isinstance(entry.get("suboptions"), dict):
            fact["options"] = option_facts(entry["suboptions"])
        facts[name] = fact
    return facts


def _plain(value: Any) -> Any:
    """A value as plain JSON data (dates and other YAML types as text)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return str(value)


def merge(own: dict[str, Any], fragments: list[dict[str, Any]]) -> dict[str, Any]:
    """The options of a module and of its fragments (in the order it names them): the module's own
    entry of a name wins, then the earliest fragment's."""
    merged: dict[str, Any] = {}
    for options in reversed(fragments):
        merged.update(options)
    merged.update(own)
    return merged


def as_spec(options: dict[str, Any]) -> dict[str, Any]:
    """Documented option facts made safe to judge by: a default outside the option's own choices
    (the documentation is wrong, or the module maps it) is left out, so that an option the task does
    not give is never reported."""
    spec: dict[str, Any] = {}
    for name, entry in options.items():
        entry = dict(entry)
        choices = entry.get("choices")
        if "default" in entry and isinstance(choices, list) and not _among(entry["default"], choices):
            del entry["default"]
        if isinstance(entry.get("options"), dict):
            entry["options"] = as_spec(entry["options"])
        spec[name] = entry
    return spec


def _among(value: Any, choices: list[Any]) -> bool:
    values = value if isinstance(value, list) else [value]
    return all(item in choices or str(item) in [str(c) for c in choices] for item in values)
