"""A module's documented options, read as ``ansible-doc`` reads them, without importing anything.

* ``module_docs``: ``DOCUMENTATION`` of a module file, as ansible-core's
  ``read_docstring_from_python_file`` finds it (the last top-level ``DOCUMENTATION = …`` assignment
  whose value is a string, parsed as YAML, or a dict literal), or of a sidecar ``.yml``/``.yaml``
  (its ``DOCUMENTATION`` key); ``extends_documentation_fragment`` kept as the list of fragment names.
* ``fragment_docs``: every string attribute of a doc fragment file's ``ModuleDocFragment`` class
  (``DOCUMENTATION`` and the named variants a module asks for as ``fragment.variant``), each parsed.
  ansible-core imports the fragment and reads the attribute of an instance, so shep folds the few
  constant expressions fragments use (``+`` of strings, names of earlier strings, f-strings, and
  ``self.X = …`` in ``__init__``); a value an f-string formats is unknown, and a variant whose options
  would depend on one is unreadable.
* ``option_facts``: the facts of documented options in ``shep.module_specs``'s argument-spec format:
  ``type``, ``elements``, ``choices`` (the keys, when the documentation maps each choice to a
  description), ``default``, ``required``, ``aliases``, and ``suboptions`` as ``options``. Nothing
  else: no descriptions, no prose. A fact written as null or false is kept until the fragments are
  merged (it overrides a fragment's), then left out (``as_spec``).
* ``merge``: ``add_fragments``'s rule for options (``merge_fragment``): an option documented by the
  module (or an earlier fragment) and by a later fragment takes the fragment's facts, each replaced by
  the module's where it states one (one level deep: ``suboptions`` are replaced whole).

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

    from shep.loader.depth import nesting_problem

    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise DocsError("its documentation is not UTF-8 text") from None
    # Both C composers recurse, and older PyYAML builds crash the process on deep nesting instead of
    # raising RecursionError: measure the depth first, as the loader does for every file.
    if nesting_problem(text) is not None:
        raise DocsError("its documentation is nested too deeply")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 (a safe loader)
    except RecursionError:
        raise DocsError("its documentation is nested too deeply") from None
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
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
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


UNKNOWN_TEXT = "__shep_unknown_value__"  # stands for what an f-string formats


def fragment_docs(data: bytes) -> dict[str, dict[str, Any] | None]:
    """Variant name -> options of each attribute of the file's ``ModuleDocFragment`` class, or of its
    instances (None: not a string shep can fold, not a YAML mapping, or options that depend on a
    value shep cannot know)."""
    attributes: dict[str, str | None] = {}
    for statement in _parse_python(data).body:
        if isinstance(statement, ast.ClassDef) and statement.name == FRAGMENT_CLASS:
            attributes = _class_strings(statement)  # the last class of that name is the one Python keeps
    variants: dict[str, dict[str, Any] | None] = {}
    for name, value in attributes.items():
        try:
            loaded = _yaml(value) if value is not None else None
            options = option_facts(loaded.get("options")) if isinstance(loaded, dict) else None
        except (DocsError, RecursionError):
            options = None
        variants[name] = None if options is not None and UNKNOWN_TEXT in repr(options) else options
    return variants


def _class_strings(node: ast.ClassDef) -> dict[str, str | None]:
    """The string attributes of a class and of its instances (``self.X = …`` in ``__init__``)."""
    found: dict[str, str | None] = {}
    initialiser = None
    for statement in node.body:
        if isinstance(statement, ast.Assign):
            value = _fold(statement.value, found, {})
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = value
        elif isinstance(statement, ast.FunctionDef) and statement.name == "__init__":
            initialiser = statement
    if initialiser is not None:
        local: dict[str, str | None] = {}
        for statement in initialiser.body:
            if not isinstance(statement, ast.Assign):
                continue
            value = _fold(statement.value, local, found)
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    local[target.id] = value
                elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                        and target.value.id == "self":
                    found[target.attr] = value
    return {name: value for name, value in found.items() if not name.startswith("__")}


def _fold(node: ast.expr, names: dict[str, str | None], attributes: dict[str, str | None]) -> str | None:
    """A string expression's value (``names``: the variables in scope; ``attributes``: ``self.X``)."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        parts = [part.value if isinstance(part, ast.Constant) and isinstance(part.value, str) else UNKNOWN_TEXT
                 for part in node.values]
        return "".join(parts)
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return attributes.get(node.attr)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _fold(node.left, names, attributes), _fold(node.right, names, attributes)
        return None if left is None or right is None else left + right
    return None


# The most values shep copies out of one documentation string: YAML aliases can make a few lines stand
# for billions of values (a "billion laughs"), which must not hang a run.
MAX_VALUES = 200_000


def option_facts(options: Any, budget: list[int] | None = None) -> dict[str, Any]:
    """Documented options as argument-spec facts (entries that are not mappings are left out);
    DocsError past ``MAX_VALUES`` values (``budget``: what is left, shared by the recursion)."""
    if not isinstance(options, dict):
        return {}
    budget = [MAX_VALUES] if budget is None else budget
    facts: dict[str, Any] = {}
    for name, entry in options.items():
        if not isinstance(name, str) or not isinstance(entry, dict):
            continue
        fact: dict[str, Any] = {}
        for key in FACT_KEYS:
            if key in entry:
                fact[key] = _plain(entry[key], budget)
        if isinstance(fact.get("choices"), dict):
            fact["choices"] = list(fact["choices"])
        if "required" in fact:
            fact["required"] = fact["required"] is True
        if isinstance(fact.get("aliases"), str):
            fact["aliases"] = [fact["aliases"]]
        if "suboptions" in entry:
            suboptions = entry["suboptions"]
            fact["options"] = option_facts(suboptions, budget) if isinstance(suboptions, dict) else None
        facts[name] = fact
        _spend(budget)
    return facts


def _spend(budget: list[int]) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise DocsError(f"its documentation holds more than {MAX_VALUES} values")


def _plain(value: Any, budget: list[int]) -> Any:
    """A value as plain JSON data (dates and other YAML types as text)."""
    _spend(budget)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(item, budget) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item, budget) for key, item in value.items()}
    return str(value)


def merge(own: dict[str, Any], fragments: list[dict[str, Any]]) -> dict[str, Any]:
    """The options of a module and of its fragments, merged in the order it names them, as
    ``add_fragments`` merges them: for a name documented on both sides, the fragment's facts updated
    with those documented so far."""
    merged = dict(own)
    for options in fragments:
        for name, entry in options.items():
            merged[name] = {**entry, **merged[name]} if name in merged else entry
    return merged


def as_spec(options: dict[str, Any]) -> dict[str, Any]:
    """Documented option facts as the spec shep judges by: facts written as null (or ``required:
    false``) are left out, so is anything that is not an argument-spec fact (a ``type`` or
    ``elements`` that is not a name, ``aliases`` that are not names), and so is a default outside
    the option's own choices (the documentation is wrong, or the module maps it): an option the
    task does not give is never reported."""
    spec: dict[str, Any] = {}
    for name, given in options.items():
        entry = {key: value for key, value in given.items()
                 if value is not None and (key != "required" or value is True)}
        for key in ("type", "elements"):
            if not isinstance(entry.get(key, ""), str):
                del entry[key]
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(alias, str) for alias in aliases):
            del entry["aliases"]
        if not isinstance(entry.get("choices", []), list):
            del entry["choices"]
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
