"""Shared by the FlatBuffers tests: a type-strict view of models, and the golden .shep fixtures.

    python tests/fbs_support.py fixtures/fbs/v3     write golden buffers for a NEW schema version

Never rewrite the buffers of an existing version directory: they are what old shep versions wrote,
and the golden tests prove they still decode.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from shep._records import fields, is_record
from shep.loader.values import Unsafe, Vault

REPO = Path(__file__).resolve().parents[1]
GOLDEN_DIR = REPO / "fixtures" / "fbs"
# (source YAML, kind): each <name>.yml has a <name>.shep next to it in every version directory.
GOLDEN = (
    ("deploy_playbook.yml", "playbook"),
    ("plays_playbook.yml", "playbook"),
    ("hubot_tasks.yml", "tasks"),
    ("values_tasks.yml", "tasks"),
    ("apache_handlers.yml", "handlers"),
)


def canon(value: Any) -> Any:
    """A tree equal for two values only when they are equal *with the same types*, all the way down.

    ``==`` alone misses what a serializer can lose: ``Unsafe("x") == "x"``, ``1 == True == 1.0``,
    ``-0.0 == 0.0``, aware datetimes equal across offsets, ``{1: a} == {True: a}``, key order.
    NaN is canonical, so a NaN equals a NaN here.
    """
    kind = type(value)
    if value is None or kind in (bool, int, str, Unsafe, bytes):
        return kind.__name__, value
    if kind is float:
        return "float", "nan" if math.isnan(value) else value.hex()
    if kind is Vault:
        return "Vault", canon(value.ciphertext)
    if kind is dt.datetime:
        return "datetime", value.isoformat(), value.tzinfo is None, value.utcoffset(), value.fold
    if kind is dt.date:
        return "date", value.isoformat()
    # Plain loops, not generator expressions: one stack frame per level of nesting.
    if kind in (list, tuple):
        items = []
        for item in value:
            items.append(canon(item))
        return kind.__name__, tuple(items)
    if kind is dict:
        pairs = []
        for k, v in value.items():
            pairs.append((canon(k), canon(v)))
        return "dict", tuple(pairs)
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a NamedTuple (Span)
        return kind.__name__, tuple(canon(item) for item in value)
    if is_record(value):
        return kind.__name__, tuple((f.name, canon(getattr(value, f.name))) for f in fields(value))
    if isinstance(value, int):  # IntEnum (Severity)
        return kind.__name__, int(value)
    raise TypeError(f"canon: unexpected {kind.__name__}")


def source_model(directory: Path, name: str, kind: str) -> Any:
    """The model of a golden source file, under a path that does not depend on the working directory."""
    from shep.api import parse

    relative = (directory / name).relative_to(REPO).as_posix()
    return parse((directory / name).read_bytes(), kind, relative)  # type: ignore[arg-type]


# Model fields added after a schema version, by the version that added them: a buffer of an older
# version holds none of them, and its frozen snapshot does not name them.
ADDED_FIELDS: dict[int, dict[str, tuple[str, ...]]] = {
    3: {"Task": ("resolved_action", "resolution", "arg_spans")},
}


def snapshot(model: Any, version: int | None = None) -> str:
    """The exact, type-strict text form of a model, stored beside each golden buffer; with ``version``, as
    a model of that schema version had it (without the fields added since: ADDED_FIELDS)."""
    tree = canon(model)
    if version is not None:
        later = {}
        for added_in, classes in ADDED_FIELDS.items():
            if added_in > version:
                for cls, names in classes.items():
                    later.setdefault(cls, set()).update(names)
        tree = _without(tree, later)
    return repr(tree) + "\n"


def _without(tree: Any, dropped: dict[str, set[str]]) -> Any:
    """A canon() tree with the named fields of the named record classes left out."""
    if not dropped or not isinstance(tree, tuple):
        return tree
    if len(tree) == 2 and isinstance(tree[0], str) and tree[0] in dropped and isinstance(tree[1], tuple):
        names = dropped[tree[0]]
        return tree[0], tuple((name, _without(value, dropped)) for name, value in tree[1] if name not in names)
    return tuple(_without(item, dropped) for item in tree)


def write_golden(directory: Path) -> None:
    """Write each buffer and the snapshot of the model it holds (frozen with the buffer)."""
    from shep.serialize.fbs import to_flatbuffers

    for name, kind in GOLDEN:
        model = source_model(directory, name, kind)
        data = to_flatbuffers(model)
        (directory / name).with_suffix(".shep").write_bytes(data)
        (directory / name).with_suffix(".model.txt").write_text(snapshot(model))
        print(f"wrote {(directory / name).with_suffix('.shep').relative_to(REPO)} ({len(data)} bytes)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    write_golden(Path(sys.argv[1]).resolve())


@contextlib.contextmanager
def writing_past_verifier_limits() -> Iterator[None]:
    """Let to_flatbuffers write as deep as the reader reads (MAX_DEPTH) and any number of tables, as
    another writer may: for tests of the reader and of decode on buffers shep itself refuses to write."""
    from shep.serialize import fbs

    saved = fbs._WRITE_MAX_LEVEL, fbs.VERIFIER_MAX_TABLES
    fbs._WRITE_MAX_LEVEL, fbs.VERIFIER_MAX_TABLES = fbs.MAX_DEPTH, 2**63  # type: ignore[misc]
    try:
        yield
    finally:
        fbs._WRITE_MAX_LEVEL, fbs.VERIFIER_MAX_TABLES = saved  # type: ignore[misc]
