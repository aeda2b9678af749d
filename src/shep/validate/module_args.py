"""A task's module arguments judged against the module's argument spec, as ``AnsibleModule`` judges
them when the task runs (ansible-core's ``ArgumentSpecValidator``), without running anything.

The spec is the plain data of ``shep.module_specs`` (ansible-core's own ``argument_spec`` format).
What cannot be known statically is never an error:

- a templated value (``"{{ x }}"``) or a vaulted one is present with an unknown value, and may even
  be absent (``{{ omit }}`` removes the key): it is never converted or compared, and counts neither
  as present nor as absent for the checks between options;
- an option that an environment fallback, a dynamic default or ``module_defaults`` (``maybe``) may
  supply is not known to be absent.

The order of the steps is ansible-core's, because each step sees what the previous one did: aliases
are copied onto their option, defaults are set before ``required_if`` compares a value, values are
converted before ``choices`` are checked, and sub-options are judged on the converted value.
"""

from __future__ import annotations

import ast
import decimal
import json
import re
from shep._records import record
from shep.keywords import ANSIBLE_FALSE_WORDS, ANSIBLE_TRUE_WORDS, JINJA_OPENERS
from shep.module_specs import Constraints, constraints_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    Spec = dict[str, dict[str, Any]]


class _Unknown:
    """A value known only when the task runs (a template, a vaulted string)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


UNKNOWN: Any = _Unknown("UNKNOWN")
# A template that mentions ``omit``: it may render to ansible-core's omit placeholder, which removes
# the key. Any other template is present when the task runs (its value unknown).
OMITTABLE: Any = _Unknown("OMITTABLE")


def known(value: Any) -> bool:
    return not isinstance(value, _Unknown)


@record
class Problem:
    """One thing ``AnsibleModule`` would reject, with the option path it is about ("" for the task)."""

    kind: str  # unknown-option, choice, type, missing-required, mutually-exclusive, required-together,
    #            required-one-of, required-if, required-by, not-a-dict, deprecated-option, alias-conflict
    message: str
    path: tuple[str | int, ...] = ()  # option names (list indexes for sub-options) down to the key


def static_value(value: Any) -> Any:
    """``value`` with every part unknown before the task runs replaced by UNKNOWN (or OMITTABLE)."""
    if isinstance(value, str):
        if "{" not in value or not any(marker in value for marker in JINJA_OPENERS):  # "{": most strings, fast
            return value
        return OMITTABLE if "omit" in value else UNKNOWN
    if isinstance(value, dict):
        return {k: static_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [static_value(v) for v in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return UNKNOWN  # a vaulted string, a date (sent as text), bytes: not judged


def validate(spec: Spec, constraints: Constraints, params: dict[Any, Any], *,
             maybe: frozenset[str] = frozenset(), name: str = "") -> list[Problem]:
    """Every problem ``AnsibleModule(argument_spec=spec, **constraints)`` would report for ``params``
    (already passed through ``static_value``). ``maybe``: options something outside the task may set."""
    problems: list[Problem] = []
    _Level(compiled(spec), constraints, dict(params), (), maybe).run(name, problems)
    return problems


class _Compiled:
    """A spec's options sorted by what each step of the validation needs, built once per spec."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.aliases: list[tuple[str, str]] = []  # (alias, option), in the spec's order
        self.deprecated_aliases: list[str] = []
        self.legal: set[str] = set(spec)
        self.with_sub_options: list[tuple[str, dict[str, Any]]] = []
        self.removed: list[str] = []
        self.defaults: list[tuple[str, Any]] = []  # options with a default other than None
        self.required: list[str] = []
        self.converted: dict[str, tuple[str, str | None, bool]] = {}  # option -> (type, elements, skip None)
        self.choices: list[tuple[str, Any]] = []
        self.maybe: set[str] = set()  # fallbacks to the environment, defaults computed at run time
        for option, entry in spec.items():
            for alias in entry.get("aliases", ()):
                self.aliases.append((alias, option))
                self.legal.add(alias)
            self.deprecated_aliases += [d["name"] for d in entry.get("deprecated_aliases", ()) if "name" in d]
            wanted = entry.get("type") or "str"
            holds_mappings = wanted == "dict" or (wanted == "list" and entry.get("elements") == "dict")
            if entry.get("options") is not None and holds_mappings:
                self.with_sub_options.append((option, entry))
            if "removed_in_version" in entry or "removed_at_date" in entry:
                self.removed.append(option)
            if entry.get("default") is not None:
                self.defaults.append((option, self.converted_default(option, entry)))
            if entry.get("required"):
                self.required.append(option)
            skip_none = not entry.get("required") and entry.get("default") is None
            self.converted[option] = (wanted, entry.get("elements"), skip_none)
            if entry.get("choices") is not None:
                self.choices.append((option, entry["choices"]))
            if "fallback" in entry or entry.get("default_dynamic"):
                self.maybe.add(option)


    @staticmethod
    def converted_default(option: str, entry: dict[str, Any]) -> Any:
        """The default as the module holds it after conversion (done once per spec, not per task);
        a default its own type cannot take stays as written, as ansible-core leaves it."""
        default = _thawed(entry["default"])
        result = convert(entry.get("type") or "str", default)
        if isinstance(result, Failure) or not known(result):
            return default
        elements = entry.get("elements")
        if elements and isinstance(result, list):
            items = [convert(elements, item) for item in result]
            result = result if any(isinstance(item, Failure) or not known(item) for item in items) else items
        return result


_COMPILED: dict[int, _Compiled] = {}


def compiled(spec: Spec) -> _Compiled:
    """The compiled view of ``spec`` (cached by identity: the tables are loaded once per process)."""
    found = _COMPILED.get(id(spec))
    if found is None or found.spec is not spec:
        if len(_COMPILED) > 4096:  # generated specs in tests: keep memory bounded
            _COMPILED.clear()
        found = _COMPILED[id(spec)] = _Compiled(spec)
    return found


# -- one verdict per distinct arguments ----------------------------------------------------------------
#
# Most tasks of a run share their verdict with another task of the same action: the same options, and
# values that differ only where no step of the validation reads them. ``judge_task`` keys each task's
# arguments by what the steps can tell apart and judges each key once. What a step reads of a value:
#
# - every step tells apart absent, OMITTABLE, UNKNOWN, None and any other value (presence, the
#   checks between options, required_by's None);
# - an option of a type shep does not convert (``callable``: assert's ``that``) becomes UNKNOWN
#   whatever it holds: a value other than None is read no further;
# - a str, path or raw option turns a str into itself: a non-empty str without a template is read no
#   further (the empty one may count as not given: ``omit_empty``); so does a list option whose
#   elements are of those types (or not converted) for a non-empty str or any list: it never fails
#   and its elements are never compared;
# - an option with choices, with sub-options, of any other type, or whose value ``required_if``
#   compares, and a key outside the spec that a constraint names, is read whole: it is keyed by its
#   exact value (its type too: True, 1 and 1.0 convert differently).
#
# tests/differential/test_module_options_memo.py checks, on the corpus and on mutants of its values,
# that a task judged through its key gets what ``validate`` gives on its own arguments.

_ANY: Any = _Unknown("ANY")  # in a key: any known value but None, where only that is read
_TEXT: Any = _Unknown("TEXT")  # a non-empty str without a template, where it is read no further
_LIST: Any = _Unknown("LIST")  # a list, where it is read no further
_OPAQUE: Any = _Unknown("OPAQUE")  # a value static_value makes UNKNOWN (a vaulted string, a date)
_TEXT_TYPES = frozenset({"str", "path", "raw"})
_MAX_VERDICTS = 4096  # per spec: distinct arguments are a few hundred on a large corpus


class Verdicts:
    """What the keys of one spec (with its constraints) abstract, and the verdicts judged so far."""

    def __init__(self, spec: Spec, constraints: Constraints) -> None:
        self.spec, self.constraints = spec, constraints  # held: their ids key _VERDICTS
        self.seen: dict[tuple[Any, ...], tuple[Problem, ...]] = {}
        # option or alias -> what a value of it may be keyed by when no step reads it: _ANY, _TEXT or _LIST
        self.blind: dict[str, Any] = {}
        compared = {rule[0] for rule in constraints.required_if}
        modes: dict[str, Any] = {}
        names = 0
        for option, entry in spec.items():
            mode = _blind_mode(entry) if option not in compared else None
            for name in (option, *entry.get("aliases", ())):
                modes[name] = mode
                names += 1
        if names == len(modes):  # no name is two options' (a value copied on from alias to alias): else none is blind
            self.blind = {name: mode for name, mode in modes.items() if mode is not None}
        # Keys outside the spec whose value only OMITTABLE-ness is read of: those no constraint names.
        named = {name for groups in (constraints.mutually_exclusive, constraints.required_together,
                                     constraints.required_one_of) for group in groups for name in group}
        named |= {name for rule in constraints.required_if for name in (rule[0], *rule[2])}
        for key, needed in constraints.required_by.items():
            named |= {key, *((needed,) if isinstance(needed, str) else needed)}
        self.legal_or_named = frozenset(modes) | named

    def judge(self, args: dict[Any, Any], maybe_all: bool, name: str, omit_empty: bool) -> tuple[Problem, ...]:
        """``judge_task`` for this spec and constraints."""
        key = _key(self, args, name, maybe_all, omit_empty)
        found = self.seen.get(key)
        if found is None:
            spec = self.spec
            params = static_value(args)
            if omit_empty:
                params = as_the_plugin_reads(params, spec)
            found = tuple(validate(spec, self.constraints, params,
                                   maybe=frozenset(spec) if maybe_all else frozenset(), name=name))
            if len(self.seen) > _MAX_VERDICTS:
                self.seen.clear()
            self.seen[key] = found
        return found


def _blind_mode(entry: dict[str, Any]) -> Any:
    """What a value of the option may be keyed by when no step reads it (None: it is read whole)."""
    if entry.get("choices") is not None or entry.get("options") is not None:
        return None
    wanted = entry.get("type") or "str"
    elements = entry.get("elements")
    if not isinstance(wanted, str) or not (elements is None or isinstance(elements, str)):
        return None
    if wanted not in _CONVERTERS:
        return _ANY
    if wanted in _TEXT_TYPES:
        return _TEXT
    if wanted == "list" and (elements is None or elements in _TEXT_TYPES or elements not in _CONVERTERS):
        return _LIST
    return None


_VERDICTS: dict[tuple[int, int], Verdicts] = {}


def clear_cache() -> None:
    """Forget every compiled spec and verdict (benchmarks measure a run's first judgement of each)."""
    _VERDICTS.clear()
    _COMPILED.clear()


def verdicts_of(spec: Spec, constraints: Constraints) -> Verdicts:
    """The verdicts of ``spec`` with ``constraints`` (one object per pair and process)."""
    verdicts = _VERDICTS.get((id(spec), id(constraints)))
    if verdicts is None or verdicts.spec is not spec or verdicts.constraints is not constraints:
        if len(_VERDICTS) > 4096:  # generated specs in tests: keep memory bounded
            _VERDICTS.clear()
        verdicts = _VERDICTS[(id(spec), id(constraints))] = Verdicts(spec, constraints)
    return verdicts


def judge_task(spec: Spec, constraints: Constraints, args: dict[Any, Any], *, maybe_all: bool = False,
               name: str = "", omit_empty: bool = False) -> tuple[Problem, ...]:
    """``validate(spec, constraints, params, maybe=…, name=name)`` for a task's arguments as written,
    ``params`` being ``static_value(args)`` (with ``omit_empty``, passed through ``as_the_plugin_reads``);
    ``maybe_all``: something outside the task may set any option (``maybe`` is every option).
    Arguments that no step of the validation tells apart share one verdict, judged once per process."""
    return verdicts_of(spec, constraints).judge(args, maybe_all, name, omit_empty)


def as_the_plugin_reads(params: dict[Any, Any], options: Spec) -> dict[Any, Any]:
    """An action plugin that takes options before its module (copy, template…) tests most of them
    for truth (``src: ""`` next to ``content`` passes): an empty value of one of its options may
    count as not given. An unknown option still reaches the module, which rejects it."""
    return {key: OMITTABLE if key in options and (value is None or value == "") else value
            for key, value in params.items()}


_PLAIN = frozenset({list, dict, int, bool, float})  # static_value keeps them: known, and not None


def _key(verdicts: Verdicts, args: dict[Any, Any], name: str, maybe_all: bool, omit_empty: bool) -> tuple[Any, ...]:
    """What the steps of the validation can tell apart of ``args`` (keys in order, with their values
    or what stands for them), with the other inputs of the verdict."""
    blind = verdicts.blind
    known_keys = verdicts.legal_or_named
    parts: list[Any] = [name, maybe_all, omit_empty]
    for key, value in args.items():
        kind = type(value)
        if kind is str and "{" in value and any(marker in value for marker in JINJA_OPENERS):
            value = OMITTABLE if "omit" in value else UNKNOWN
        elif type(key) is str:
            mode = blind.get(key)
            if mode is None:
                if key not in known_keys:
                    value = _ANY  # outside the spec: only OMITTABLE is read
                elif kind is not str:
                    value = _frozen(value)
            elif mode is _ANY and (kind in _PLAIN or (kind is str and value)):
                value = _ANY
            elif kind is str:
                value = _TEXT if value else ""
            elif mode is _LIST and kind is list:
                value = _LIST
            else:
                value = _frozen(value)
            parts.append(key)
            parts.append(value)
            continue
        else:
            value = _frozen(value)
        parts.append(_frozen(key))
        parts.append(value)
    return tuple(parts)


def _frozen(value: Any) -> Any:
    """A hashable form of ``value`` that tells apart what ``static_value`` and the validation tell
    apart: types too (True, 1 and 1.0 are equal in Python, not to AnsibleModule), and the order of keys."""
    kind = type(value)
    if kind is str:
        return value
    if isinstance(value, str):
        return (kind, value)  # an !unsafe string: static_value keeps it, with its type
    if isinstance(value, dict):
        return (dict, *[(_frozen(k), _frozen(v)) for k, v in value.items()])
    if isinstance(value, list):
        return (list, *[_frozen(v) for v in value])
    if value is None:
        return None
    if isinstance(value, (bool, int, float)):
        return (kind, repr(value)) if isinstance(value, float) else (kind, value)
    return _OPAQUE  # static_value makes it UNKNOWN


class _Level:
    """One mapping of options: the task's arguments, or one value of an option with sub-options."""

    def __init__(self, spec: _Compiled, constraints: Constraints, params: dict[Any, Any],
                 context: tuple[str | int, ...], maybe: frozenset[str]) -> None:
        self.spec, self.constraints, self.params, self.context = spec, constraints, params, context
        self.name = ""
        self.problems: list[Problem] = []
        self.maybe = spec.maybe | maybe if maybe else spec.maybe
        self.given: list[str] = []  # the options the arguments give (set with the defaults)

    def report(self, kind: str, message: str, key: str | int | None = None) -> None:
        if self.context:
            message = f"{message} found in {' -> '.join(str(c) for c in self.context if isinstance(c, str))}"
        path = self.context if key is None else (*self.context, key)
        self.problems.append(Problem(kind, message, path))

    def run(self, name: str, problems: list[Problem]) -> None:
        """Judge this mapping; its problems are added to ``problems`` (``name``: the module, for messages)."""
        self.name, self.problems = name, problems
        self.handle_aliases()
        if self.spec.with_sub_options:
            self.sub_option_shapes()
        self.unsupported()
        if self.spec.removed:
            self.deprecated()
        constraints = self.constraints
        if constraints.mutually_exclusive:
            self.mutually_exclusive()
        self.set_defaults()
        if self.spec.required:
            self.required()
        self.convert_types()
        if self.spec.choices:
            self.check_choices()
        if constraints.required_together:
            self.required_together()
        if constraints.required_one_of:
            self.required_one_of()
        if constraints.required_if:
            self.required_if()
        if constraints.required_by:
            self.required_by()
        if self.spec.with_sub_options:
            self.sub_options()

    # -- presence, in three states -------------------------------------------------------------

    def surely_present(self, key: str) -> bool:
        return key in self.params and self.params[key] is not OMITTABLE

    def surely_absent(self, key: str) -> bool:
        return key not in self.params and key not in self.maybe

    # -- the steps --------------------------------------------------------------------------------

    def handle_aliases(self) -> None:
        """Copy each alias's value onto its option (the alias wins, as in ansible-core)."""
        params = self.params
        for alias, option in self.spec.aliases:
            if alias in params:
                if option in params:
                    self.report("alias-conflict", f"Both option {self.prefix()}{option} and its alias "
                                f"{self.prefix()}{alias} are set.", alias)
                params[option] = params[alias]
        for deprecated in self.spec.deprecated_aliases:
            if deprecated in params:
                self.report("deprecated-option", f"Alias '{self.prefix()}{deprecated}' is deprecated. "
                            "See the module docs for more information", deprecated)

    def sub_option_shapes(self) -> None:
        """A value for sub-options must be a mapping, or text that converts to one: ansible-core checks
        it first (while listing no_log values), before any conversion."""
        for option, entry in self.spec.with_sub_options:
            value = self.params.get(option)
            if value is None or not known(value):
                continue
            for element in value if isinstance(value, list) else [value]:
                if not known(element):
                    continue
                if isinstance(element, str):
                    element = convert("dict", element)
                if not isinstance(element, dict):
                    self.report("not-a-dict", f"Value in the sub parameter field '{option}' must be a "
                                f"{entry.get('type')}", option)
                    return  # ansible-core stops at the first

    def prefix(self) -> str:
        text = ""
        for part in self.context:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
        return f"{text}." if text else ""

    def unsupported(self) -> None:
        legal = self.spec.legal
        for key in self.params:
            if isinstance(key, str) and (key in legal or key.startswith("_ansible_")):
                continue
            if not self.context and key in ("_raw_params", "_variable_params"):
                continue  # free-form text a module does not take: V004's finding
            if self.params[key] is OMITTABLE:
                continue  # it may be omitted
            shown = ".".join([*(str(c) for c in self.context if isinstance(c, str)), str(key)])
            module = f" for ({self.name}) module" if self.name else ""
            self.problems.append(Problem("unknown-option", f"Unsupported parameters{module}: {shown}",
                                         (*self.context, key)))

    def deprecated(self) -> None:
        for option in self.spec.removed:
            if option in self.params:
                self.report("deprecated-option", f"Param '{self.prefix()}{option}' is deprecated. "
                            "See the module docs for more information", option)

    def mutually_exclusive(self) -> None:
        clashes = [group for group in self.constraints.mutually_exclusive
                   if sum(self.surely_present(k) for k in group) > 1]
        if clashes:
            message = "parameters are mutually exclusive: " + ", ".join("|".join(g) for g in clashes)
            later = [k for k in self.params if any(k in g for g in clashes)]
            self.report("mutually-exclusive", message, later[-1] if later else None)

    def set_defaults(self) -> None:
        """Options not given take their default, unless something outside the task may give them.
        The defaults are converted already (``_Compiled``): ``convert_types`` skips them."""
        params = self.params
        self.given = [k for k in params if k in self.spec.converted]
        for option, default in self.spec.defaults:
            if option not in params and option not in self.maybe:
                params[option] = default

    def required(self) -> None:
        missing = sorted(k for k in self.spec.required if self.surely_absent(k))
        if missing:
            self.report("missing-required", "missing required arguments: " + ", ".join(missing))

    def convert_types(self) -> None:
        converted = self.spec.converted
        params = self.params
        for option in self.given:
            value = params[option]
            wanted, elements, skip_none = converted[option]
            if not known(value) or (value is None and skip_none):
                continue
            result = convert(wanted, value)
            if isinstance(result, Failure):
                self.problems.append(Problem("type", f"argument '{option}' is of type {_type_name(value)}"
                                             f"{self.context_suffix()} and we were unable to convert to {wanted}: "
                                             f"{result.reason}", (*self.context, option)))
                continue
            if elements and known(result):
                result = self.convert_elements(option, elements, result)
            params[option] = result
    def context_suffix(self) -> str:
        names = [str(c) for c in self.context if isinstance(c, str)]
        return f" found in '{' -> '.join(names)}'." if names else ""

    def convert_elements(self, option: str, wanted: str, values: Any) -> Any:
        if not isinstance(values, list):
            return values  # a type other than list with elements: ansible-core's own spec error, not the user's
        converted = []
        for index, value in enumerate(values):
            result = convert(wanted, value) if known(value) else value
            if isinstance(result, Failure):
                self.problems.append(Problem("type", f"Elements value for option '{option}'"
                                             f"{self.context_suffix().rstrip('.')} is of type {_type_name(value)} "
                                             f"and we were unable to convert to {wanted}: {result.reason}",
                                             (*self.context, option, index)))
                result = value
            converted.append(result)
        return converted

    def check_choices(self) -> None:
        for option, choices in self.spec.choices:
            if option not in self.params or not known(self.params[option]):
                continue
            value = self.params[option]
            shown = ", ".join(str(c) for c in choices)
            if isinstance(value, list):
                wrong = [v for v in value if known(v) and not _in(v, choices)]
                if wrong:
                    self.report("choice", f"value of {option} must be one or more of: {shown}. Got no match for: "
                                + ", ".join(str(w) for w in wrong), option)
            elif not _in(value, choices):
                value = self.params[option] = _bool_word(value, choices)  # ansible-core keeps the mapped value
                if not _in(value, choices):
                    self.report("choice", f"value of {option} must be one of: {shown}, got: {value}", option)

    def required_together(self) -> None:
        for group in self.constraints.required_together:
            if any(self.surely_present(k) for k in group) and any(self.surely_absent(k) for k in group):
                self.report("required-together", "parameters are required together: " + ", ".join(group))
                return  # ansible-core stops at the first group

    def required_one_of(self) -> None:
        for group in self.constraints.required_one_of:
            if all(self.surely_absent(k) for k in group):
                self.report("required-one-of", "one of the following is required: " + ", ".join(group))
                return

    def required_if(self) -> None:
        for rule in self.constraints.required_if:
            key, value, requirements = rule[0], rule[1], rule[2]
            one_of = len(rule) > 3 and rule[3]
            if not self.surely_present(key) or not known(self.params[key]) or not _equal(self.params[key], value):
                continue
            missing = [r for r in requirements if self.surely_absent(r)]
            if missing and (not one_of or len(missing) == len(requirements)):
                which = "any" if one_of else "all"
                self.report("required-if", f"{key} is {value} but {which} of the following are missing: "
                            + ", ".join(missing), key)

    def required_by(self) -> None:
        for key, needed in self.constraints.required_by.items():
            if not self.surely_present(key) or not known(self.params[key]) or self.params[key] is None:
                continue
            wanted = (needed,) if isinstance(needed, str) else needed
            missing = [r for r in wanted if self.surely_absent(r) or (r in self.params and self.params[r] is None)]
            if missing:
                self.report("required-by", f"missing parameter(s) required by '{key}': {', '.join(missing)}", key)

    def sub_options(self) -> None:
        for option, entry in self.spec.with_sub_options:
            if option in self.maybe and option not in self.params:
                continue
            value = self.params.get(option)
            if entry.get("apply_defaults") and value is None:
                value = {}
            if value is None or not known(value):
                continue
            per_element = entry.get("type") == "list"
            sub_spec = compiled(entry["options"])
            for index, element in enumerate(value if isinstance(value, list) else [value]):
                path = (*self.context, option, index) if per_element else (*self.context, option)
                if not known(element):
                    continue
                if not isinstance(element, dict):
                    self.problems.append(Problem("not-a-dict", f"value of '{option}' must be of type dict or list "
                                                 "of dicts", path))
                    continue
                _Level(sub_spec, constraints_of(entry), dict(element), path, frozenset()).run(self.name, self.problems)


def _thawed(value: Any) -> Any:
    """A spec's default as the module gets it: the generated tables hold lists as tuples."""
    if isinstance(value, tuple):
        return [_thawed(v) for v in value]
    if isinstance(value, dict):
        return {k: _thawed(v) for k, v in value.items()}
    return value


# -- AnsibleModule's conversions (ansible.module_utils.common.validation, restated) ----------------

class Failure:
    """A value ``AnsibleModule`` cannot convert, and why (the words of ansible-core's check_type_*)."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def convert(wanted: str, value: Any) -> Any:
    """``value`` converted as ansible-core converts a module option of type ``wanted``; a Failure when
    it cannot be; UNKNOWN for types shep does not model (a custom callable)."""
    converter = _CONVERTERS.get(wanted)
    if converter is None:
        return UNKNOWN
    try:
        return converter(value)
    except _Refused as refused:
        return Failure(refused.args[0])
    except (TypeError, ValueError, ArithmeticError, SyntaxError, RecursionError, MemoryError):
        return Failure(_REASONS[wanted](value))


class _Refused(TypeError):
    """A converter's refusal, in ansible-core's words."""


def _cannot(value: Any, what: str) -> _Refused:
    return _Refused(f"{type(value)} cannot be converted to {what}")


def _to_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, (list, dict)) and _holds_unknown(value):
        return UNKNOWN  # type: ignore[no-any-return]
    return str(value)


def _to_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return value.split(",")
    if isinstance(value, (int, float)):
        return [str(value)]
    raise _cannot(value, "a list")


def _to_dict(value: Any) -> dict[Any, Any]:
    if isinstance(value, dict):
        return value
    if not isinstance(value, str):
        raise _cannot(value, "a dict")
    if value.startswith("{"):
        try:
            loaded = json.loads(value)
        except ValueError:
            try:
                loaded = ast.literal_eval(value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                loaded = None
        if isinstance(loaded, dict):
            return loaded
        raise _Refused("unable to evaluate string as dictionary")
    if "=" in value:
        pairs = [field.split("=", 1) for field in _key_value_fields(value.strip())]
        if any(len(pair) != 2 for pair in pairs):
            raise _Refused('unable to evaluate string in the "key=value" format as dictionary')
        return dict(pairs)
    raise _Refused("dictionary requested, could not parse JSON or key=value")


def _key_value_fields(text: str) -> list[str]:
    """The fields of ``a=1, b='x y'``: split at commas and spaces outside quotes; a backslash escapes."""
    fields: list[str] = []
    current: list[str] = []
    quote = ""
    escaped = False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif not quote and char in "'\"":
            quote = char
        elif quote and char == quote:
            quote = ""
        elif not quote and char in ", ":
            if current:
                fields.append("".join(current))
            current = []
        else:
            current.append(char)
    if current:
        fields.append("".join(current))
    return fields


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if not isinstance(value, (str, int, float)):
        raise _cannot(value, "a bool")
    word = value.lower().strip() if isinstance(value, str) else value
    if word in _BOOLEAN_TRUE:
        return True
    if word in _BOOLEAN_FALSE:
        return False
    raise _Refused(f"The value '{value}' is not a valid boolean. Valid booleans include: {_VALID_BOOLEANS}")


# convert_bool.BOOLEANS as ansible-core prints it, in a fixed order (a frozenset of strings and numbers:
# ansible-core's own order changes with each process's string hashing); 1.0 and True are 1, 0.0 and False 0.
_VALID_BOOLEANS = ", ".join([*map(repr, ANSIBLE_TRUE_WORDS), "1", *map(repr, ANSIBLE_FALSE_WORDS), "0"])


def _to_int(value: Any) -> int:
    if isinstance(value, int):
        return value
    number = decimal.Decimal(value)
    whole = int(number)
    if number != whole:
        raise ValueError
    return whole


def _to_float(value: Any) -> float:
    if isinstance(value, float):
        return value
    return float(value)


def _to_path(value: Any) -> str:
    return _to_str(value)  # ~ and $VARS expand on the managed host: the value stays unknown-but-valid


def _to_jsonarg(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (list, dict)):
        return UNKNOWN if _holds_unknown(value) else json.dumps(value)
    raise _cannot(value, "a json string")


_SIZE_UNITS = "BKMGTPEZY"
_SIZE_RE = re.compile(r"^([0-9]*\.?[0-9]+)(?:\s*([A-Za-z]+))?\s*$")
# The long unit names ansible-core accepts, by first letter (its spelling: zetabyte).
_UNIT_PREFIXES = {"B": "", "K": "kilo", "M": "mega", "G": "giga", "T": "tera", "P": "peta", "E": "exa",
                  "Z": "zeta", "Y": "yotta"}


def _human_size(value: Any, bits: bool) -> int:
    """ansible-core's human_to_bytes: '10M' → 10485760. A one-letter unit is any size letter; a longer
    one is the exact abbreviation (KB, or Kb for bits) or the whole word in any case (kilobyte)."""
    match = _SIZE_RE.match(str(value))
    if match is None:
        raise ValueError
    number = float(match.group(1))
    unit = match.group(2)
    if unit is None:
        return int(round(number))
    key = unit[0].upper()
    if key not in _SIZE_UNITS:
        raise ValueError
    if len(unit) > 1:
        word = _UNIT_PREFIXES[key] + ("bit" if bits else "byte")
        short = ("b" if bits else "B") if key == "B" else key + ("b" if bits else "B")
        if unit.lower() != word and unit != short:
            raise ValueError
    return int(round(number * (1 << (10 * _SIZE_UNITS.index(key)))))


# Why a value fails a conversion that raised an error of Python's own (decimal, float(), human_to_bytes).
_REASONS: dict[str, Any] = {
    "int": lambda value: f'"{value!r}" cannot be converted to an int',
    "float": lambda value: f"{type(value)} cannot be converted to a float",
    "bytes": lambda value: f"{type(value)} cannot be converted to a Byte value",
    "bits": lambda value: f"{type(value)} cannot be converted to a Bit value",
    "list": lambda value: f"{type(value)} cannot be converted to a list",
    "dict": lambda value: f"{type(value)} cannot be converted to a dict",
    "bool": lambda value: f"{type(value)} cannot be converted to a bool",
    "jsonarg": lambda value: f"{type(value)} cannot be converted to a json string",
    "json": lambda value: f"{type(value)} cannot be converted to a json string",
}

_CONVERTERS: dict[str, Any] = {
    "str": _to_str,
    "list": _to_list,
    "dict": _to_dict,
    "bool": _to_bool,
    "int": _to_int,
    "float": _to_float,
    "path": _to_path,
    "raw": lambda value: value,
    "jsonarg": _to_jsonarg,
    "json": _to_jsonarg,
    "bytes": lambda value: _human_size(value, bits=False),
    "bits": lambda value: _human_size(value, bits=True),
}


def _holds_unknown(value: Any) -> bool:
    if not known(value):
        return True
    if isinstance(value, dict):
        return any(_holds_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_unknown(v) for v in value)
    return False


def _type_name(value: Any) -> str:
    """ansible-core's native_type_name: the name of the value's native Python type (``str`` for a
    string of any str class, as ansible-core's tagged strings)."""
    for native in (bool, int, float, str, list, dict):
        if isinstance(value, native):
            return native.__name__
    return type(value).__name__


def _in(value: Any, choices: Any) -> bool:
    try:
        return value in choices
    except TypeError:  # an unhashable value against a set of choices
        return False


def _equal(left: Any, right: Any) -> bool:
    return bool(left == right)


def _bool_word(value: Any, choices: Any) -> Any:
    """ansible-core maps the strings 'True'/'False' (a YAML bool sent as text) back to the one choice
    that means the same, when exactly one does."""
    if value == "False" or value == "True":
        words = _BOOLEAN_FALSE if value == "False" else _BOOLEAN_TRUE
        overlap = [c for c in choices if _in(c, words)]
        if len(overlap) == 1:
            return overlap[0]
    return value


_BOOLEAN_TRUE = frozenset({*ANSIBLE_TRUE_WORDS, 1, 1.0, True})
_BOOLEAN_FALSE = frozenset({*ANSIBLE_FALSE_WORDS, 0, 0.0, False})
