"""shep._records against dataclasses: the same classes written both ways must behave the same."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shep._records import FrozenInstanceError, field, fields, is_record, record, replace


@record
class Point:
    x: int
    y: int = 0
    tags: list[str] = field(default_factory=list)


@dataclasses.dataclass(frozen=True, slots=True)
class PointDC:
    x: int
    y: int = 0
    tags: list[str] = dataclasses.field(default_factory=list)


@record(kw_only=True, init=False, repr=False, eq=False)
class Base:
    path: str
    note: str = ""


@record(kw_only=True)
class Child(Base):
    size: int = 0
    seen: dict[str, int] = field(default_factory=dict, compare=False)


@record(frozen=False, eq=False)
class Mutable:
    value: object
    items: list[int] = field(default_factory=list)


@record(slots=False)
class Derived:
    base: int
    twice: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "twice", 2 * self.base)


def test_init_defaults_and_factories_match_dataclasses() -> None:
    assert repr(Point(1)) == repr(PointDC(1)).replace("PointDC", "Point") == "Point(x=1, y=0, tags=[])"
    assert Point(1).tags is not Point(1).tags  # a new list per instance
    assert Point(1, 2, ["a"]) == Point(x=1, y=2, tags=["a"])
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]


@given(st.integers(), st.integers(), st.lists(st.text(max_size=3), max_size=3),
       st.integers(), st.integers(), st.lists(st.text(max_size=3), max_size=3))
def test_equality_hash_and_repr_match_dataclasses(x1: int, y1: int, t1: list[str], x2: int, y2: int,
                                                   t2: list[str]) -> None:
    a, b = Point(x1, y1, t1), Point(x2, y2, t2)
    adc, bdc = PointDC(x1, y1, t1), PointDC(x2, y2, t2)
    assert (a == b) == (adc == bdc)
    assert repr(a) == repr(adc).replace("PointDC", "Point")
    frozen_a, frozen_adc = Point(x1, y1, ()), PointDC(x1, y1, ())  # type: ignore[arg-type]
    assert hash(frozen_a) == hash(frozen_adc)


def test_frozen_records_refuse_changes_but_pickle_and_copy() -> None:
    point = Point(1, 2, ["a"])
    with pytest.raises(FrozenInstanceError):
        point.x = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del point.y  # type: ignore[misc]
    assert not hasattr(point, "__dict__")
    for clone in (pickle.loads(pickle.dumps(point)), copy.copy(point), copy.deepcopy(point)):
        assert clone == point and clone is not point
    child = Child(path="p", size=3, seen={"a": 1})
    assert pickle.loads(pickle.dumps(child)) == child


def test_keyword_only_inheritance_and_compare_false() -> None:
    assert [f.name for f in fields(Child)] == ["path", "note", "size", "seen"]
    child = Child(path="p", size=1)
    assert repr(child) == "Child(path='p', note='', size=1, seen={})"
    assert child == Child(path="p", size=1, seen={"ignored": 1})  # compare=False
    assert hash(child) == hash(Child(path="p", size=1, seen={"x": 2}))
    assert child != Child(path="q", size=1)
    with pytest.raises(TypeError):
        Child("p")  # type: ignore[misc]
    with pytest.raises(TypeError):
        Base(path="p")  # init=False: no __init__ of its own that takes fields


def test_mutable_records_and_post_init() -> None:
    node = Mutable(1)
    node.value = 2
    node.items.append(3)
    assert node.items == [3] and node != Mutable(2, [3])  # eq=False: identity
    assert Derived(4).twice == 8 and Derived(4) == Derived(4)
    with pytest.raises(TypeError):
        Derived(4, 8)  # type: ignore[call-arg]


def test_match_args_as_dataclasses_set_them() -> None:
    assert Point.__match_args__ == PointDC.__match_args__ == ("x", "y", "tags")
    assert Child.__match_args__ == ()  # keyword-only: no positional patterns
    match Point(1, 2):
        case Point(x, y):
            assert (x, y) == (1, 2)


def test_replace_fields_and_is_record() -> None:
    point = Point(1, 2, ["a"])
    assert replace(point, y=5) == Point(1, 5, ["a"])
    assert is_record(point) and is_record(Point) and not is_record(PointDC(1))
    with pytest.raises(TypeError):
        fields(PointDC)


def test_a_default_before_a_required_positional_field_is_refused() -> None:
    with pytest.raises(TypeError, match="non-default field 'b'"):
        @record
        class Bad:
            a: int = 0
            b: int


def test_an_unknown_flag_fails_when_the_class_is_defined() -> None:
    with pytest.raises(TypeError, match="unknown flags: order"):
        @record(order=True)
        class Ordered:
            x: int
