"""A faster ``__init__`` for the frozen dataclasses built once per task (Task, Play, Detection)."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from typing import Any, TypeVar

_Class = TypeVar("_Class", bound=type)


class _Factory:
    """The default of a field whose default comes from a factory (dataclasses shows it the same way)."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY: Any = _Factory()


def slot_init(cls: _Class) -> _Class:
    """Give a frozen, slotted, keyword-only dataclass an ``__init__`` that stores each field through its slot.

    The ``__init__`` that dataclasses generates for a frozen class calls ``object.__setattr__``
    once per field, which looks the name up along the class hierarchy every time. A Task has 66
    fields and one is built for every task and block, so that was the builder's largest cost;
    storing through the slot descriptors halves it. Same keyword-only signature, same defaults,
    same values: the instance is the same frozen dataclass (equality, repr and hash unchanged).
    """
    namespace: dict[str, Any] = {"_FACTORY": _FACTORY}
    params, body, defaults = [], [], {}
    for spec in fields(cls):
        if not spec.init:
            raise TypeError(f"slot_init: {cls.__name__}.{spec.name} is not an __init__ parameter")
        name = spec.name
        namespace[f"_set_{name}"] = getattr(cls, name).__set__
        params.append(name)
        value = name
        if spec.default is not MISSING:
            defaults[name] = spec.default
        elif spec.default_factory is not MISSING:
            defaults[name] = _FACTORY
            namespace[f"_new_{name}"] = spec.default_factory
            value = f"_new_{name}() if {name} is _FACTORY else {name}"
        body.append(f"    _set_{name}(self, {value})")
    source = f"def __init__(self, *, {', '.join(params)}):\n" + "\n".join(body) + "\n"
    exec(source, namespace)  # the source is built above from the field names only
    init = namespace["__init__"]
    init.__kwdefaults__ = defaults
    init.__annotations__ = {**{spec.name: spec.type for spec in fields(cls)}, "return": None}
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    cls.__init__ = init  # type: ignore[misc]
    return cls


def slotted_dataclass(**options: Any) -> Any:
    """``dataclass(**options)`` then :func:`slot_init`, without the ``__init__`` dataclasses would compile
    only to be replaced (2 ms of start-up for Task and Play). For documented classes only: without a
    docstring, dataclasses would derive one from the signature of a class that has no ``__init__`` yet.
    Type checkers see ``dataclasses.dataclass`` itself (shep.model imports it under this name for them).
    """

    def decorate(cls: Any) -> Any:
        if not cls.__doc__:
            raise TypeError(f"{cls.__name__} needs a docstring")
        return slot_init(dataclass(init=False, **options)(cls))

    return decorate
