"""Records: the small part of ``dataclasses`` shep uses, without its start-up cost.

``dataclasses`` imports ``inspect`` (with ``ast``, ``dis`` and ``tokenize``) and compiles five or
six methods per class from source: together about half of the start-up of ``shep validate``
on one file, paid on every pre-commit run. :func:`record` gives a class the same ``__init__``
(compiled once per class, storing through the slot descriptors), and equality, hash, repr and
frozenness from a few shared functions that compile nothing.

What a record offers is what shep's classes ask for: fields from annotations (``from
__future__ import annotations`` style, so the annotation text is not evaluated), defaults and
:func:`field` factories, inheritance of fields, keyword-only or positional ``__init__``,
``frozen`` (with pickling), ``slots``, ``eq``/``hash``, ``repr``, ``__post_init__``.
:func:`fields` and :func:`replace` mirror their ``dataclasses`` namesakes.

:class:`NamedTuple` is, likewise, the part of ``typing.NamedTuple`` shep uses (``typing`` itself
is 3 ms of start-up): modules import it only when not type checking.
"""

from __future__ import annotations

import functools

from collections import namedtuple
from operator import attrgetter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar, dataclass_transform

    _T = TypeVar("_T")
else:
    def dataclass_transform(**_options):  # the type checkers' view; nothing to do at run time
        return lambda decorator: decorator


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class FrozenInstanceError(AttributeError):
    """An attempt to change a field of a frozen record."""


class Field:
    """One field of a record: its name, annotation text and default (or default factory)."""

    __slots__ = ("name", "type", "default", "default_factory", "init", "compare")

    def __init__(self, default: Any = MISSING, default_factory: Any = MISSING, init: bool = True,
                 compare: bool = True) -> None:
        self.name = ""
        self.type: Any = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.compare = compare

    def __repr__(self) -> str:
        return f"Field(name={self.name!r}, type={self.type!r}, default={self.default!r})"


def field(*, default: Any = MISSING, default_factory: Callable[[], Any] | Any = MISSING, init: bool = True,
          compare: bool = True) -> Any:
    """A field's default value or factory, and whether ``__init__`` takes it and ``==`` compares it."""
    return Field(default, default_factory, init, compare)


_FIELDS = "__record_fields__"


def fields(record_or_instance: Any) -> tuple[Field, ...]:
    """The fields of a record class or instance, in ``__init__`` order (inherited ones first)."""
    try:
        return getattr(record_or_instance, _FIELDS)  # type: ignore[no-any-return]
    except AttributeError:
        raise TypeError(f"{record_or_instance!r} is not a record") from None


def is_record(obj: Any) -> bool:
    return hasattr(obj if isinstance(obj, type) else type(obj), _FIELDS)


def replace(obj: _T, **changes: Any) -> _T:
    """A copy of a record with some fields changed (as ``dataclasses.replace``)."""
    for spec in fields(obj):
        if spec.init and spec.name not in changes:
            changes[spec.name] = getattr(obj, spec.name)
    return obj.__class__(**changes)


@dataclass_transform(field_specifiers=(field,), frozen_default=True)
def record(cls: Any = None, /, **flags: bool) -> Any:
    """Make ``cls`` a record; usable bare (``@record``) or with flags (``@record(kw_only=True)``).

    The flags are ``dataclasses.dataclass``'s, with its meaning, and their defaults are
    ``RECORD_DEFAULTS``: frozen and slotted, which is what almost every shep value is. A flag
    that is not one of them is a TypeError when the class is defined (at import).
    """
    unknown = set(flags) - set(RECORD_DEFAULTS)
    if unknown:
        raise TypeError(f"record() got unknown flags: {', '.join(sorted(unknown))}")
    chosen = {**RECORD_DEFAULTS, **flags}

    def wrap(cls: Any) -> Any:
        return _make_record(cls, chosen)

    return wrap if cls is None else wrap(cls)


RECORD_DEFAULTS = {"frozen": True, "slots": True, "kw_only": False, "init": True, "repr": True, "eq": True}


def _make_record(cls: Any, flags: dict[str, bool]) -> Any:
    frozen, slots, kw_only = flags["frozen"], flags["slots"], flags["kw_only"]
    own = _own_fields(cls)
    inherited = [spec for base in reversed(cls.__mro__[1:]) for spec in base.__dict__.get(_FIELDS, ())]
    by_name = {spec.name: spec for spec in inherited}
    by_name.update((spec.name, spec) for spec in own)
    all_fields = tuple(by_name.values())
    namespace = dict(cls.__dict__)
    for spec in own:  # defaults live on the Field, not as class attributes (slots would clash with them)
        namespace.pop(spec.name, None)
    namespace.pop("__dict__", None)
    namespace.pop("__weakref__", None)
    namespace[_FIELDS] = all_fields
    if slots:
        namespace["__slots__"] = tuple(spec.name for spec in own)
    if flags["eq"]:
        _add_equality(namespace, all_fields, hashable=frozen)
    if flags["repr"]:
        namespace["__repr__"] = _repr_of(tuple(spec.name for spec in all_fields))
    if frozen:
        namespace["__setattr__"] = _frozen_setattr
        namespace["__delattr__"] = _frozen_delattr
        if slots:
            namespace["__getstate__"] = _getstate
            namespace["__setstate__"] = _setstate
    namespace["__match_args__"] = () if kw_only else tuple(spec.name for spec in all_fields if spec.init)
    new = type(cls)(cls.__name__, cls.__bases__, namespace)
    new.__qualname__ = cls.__qualname__
    if flags["init"]:
        new.__init__ = _compile_init(new, all_fields, kw_only=kw_only, frozen=frozen, slots=slots)
    return new


def _own_fields(cls: Any) -> list[Field]:
    own = []
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if isinstance(annotation, str) and annotation.startswith("ClassVar"):
            continue
        value = cls.__dict__.get(name, MISSING)
        spec = value if isinstance(value, Field) else Field(default=value)
        spec.name, spec.type = name, annotation
        own.append(spec)
    return own


def _add_equality(namespace: dict[str, Any], all_fields: tuple[Field, ...], *, hashable: bool) -> None:
    compared = [spec.name for spec in all_fields if spec.compare]
    values = attrgetter(*compared) if len(compared) > 1 else (lambda obj: (getattr(obj, compared[0]),)) if compared \
        else (lambda obj: ())

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(values(self))

    namespace["__eq__"] = __eq__
    namespace["__hash__"] = __hash__ if hashable else None


def _repr_of(names: tuple[str, ...]) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({shown})"

    return __repr__


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, spec.name) for spec in fields(self)]


def _setstate(self: Any, state: list[Any]) -> None:
    for spec, value in zip(fields(self), state):
        object.__setattr__(self, spec.name, value)


class _Factory:
    """The default shown for a field built by a factory."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY: Any = _Factory()


def _compile_init(cls: Any, all_fields: tuple[Field, ...], *, kw_only: bool, frozen: bool, slots: bool) -> Any:
    """An ``__init__`` with the fields as parameters, compiled from source built from their names.

    A frozen slotted record stores each value through its slot descriptor: ``object.__setattr__``
    would look the name up along the class hierarchy for every field of every instance.
    """
    namespace: dict[str, Any] = {"_FACTORY": _FACTORY, "_setattr": object.__setattr__}
    params, body = [], []
    defaults: dict[str, Any] = {}
    for spec in all_fields:
        name = spec.name
        if spec.default_factory is not MISSING:
            namespace[f"_new_{name}"] = spec.default_factory
            value = f"_new_{name}()" if not spec.init else f"_new_{name}() if {name} is _FACTORY else {name}"
        else:
            value = name
        if spec.init:
            if spec.default is not MISSING or spec.default_factory is not MISSING:
                defaults[name] = spec.default if spec.default is not MISSING else _FACTORY
            elif defaults and not kw_only:
                raise TypeError(f"{cls.__name__}: non-default field {name!r} follows a default field")
            params.append(name)
        elif spec.default_factory is MISSING:
            if spec.default is MISSING:
                continue  # set by __post_init__
            namespace[f"_default_{name}"] = spec.default
            value = f"_default_{name}"
        if frozen and slots:
            namespace[f"_set_{name}"] = getattr(cls, name).__set__
            body.append(f"    _set_{name}(self, {value})")
        elif frozen:
            body.append(f"    _setattr(self, {name!r}, {value})")
        else:
            body.append(f"    self.{name} = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    signature = ", ".join(params)
    if kw_only and params:
        signature = "*, " + signature
    elif defaults:
        signature = ", ".join(f"{name}=_d_{name}" if name in defaults else name for name in params)
        namespace.update((f"_d_{name}", value) for name, value in defaults.items())
    source = f"def __init__(self{', ' if signature else ''}{signature}):\n" + ("\n".join(body) or "    pass") + "\n"
    exec(source, namespace)  # the source is built above from field names only
    function = namespace["__init__"]
    if kw_only:
        function.__kwdefaults__ = defaults
    function.__qualname__ = f"{cls.__qualname__}.__init__"
    function.__module__ = cls.__module__
    return function


class _NamedTupleMeta(type):
    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> Any:
        if namespace.get("_root"):
            return super().__new__(mcs, name, bases, namespace)
        names = tuple(namespace.get("__annotations__", {}))
        defaults = [namespace[field_name] for field_name in names if field_name in namespace]
        cls = namedtuple(name, names, defaults=defaults, module=namespace["__module__"])  # type: ignore[misc]
        for key, value in namespace.items():
            if key not in names and key not in ("__module__", "__qualname__", "__annotations__", "__slots__"):
                setattr(cls, key, value)
        cls.__qualname__ = namespace.get("__qualname__", name)
        # ``Span.from_tuple((1, 1, 1, 2))``: the positional constructor without the Python frame of the
        # keyword-aware ``__new__`` (a C call), for the hot paths that make one per YAML node.
        cls.from_tuple = functools.partial(tuple.__new__, cls)  # type: ignore[attr-defined]
        return cls


class NamedTuple(metaclass=_NamedTupleMeta):
    """``class Span(NamedTuple): line: int …`` as with ``typing.NamedTuple``: fields from the
    annotations, defaults from class attributes, methods and properties kept."""

    _root = True
