"""Property: damaged or crafted bytes give a model or ShepDecodeError — never another exception, a hang
or a blow-up.

The seeds are real buffers (the golden fixtures: playbooks, task and handler files with every kind of
value). Each example flips, truncates, extends, inserts, deletes or overwrites bytes — including 32-bit
words set to offsets that point elsewhere in the buffer — and decodes the result. A model that comes
back must be a well-formed one: it re-encodes, and decodes again to an equal model. SHEP_FUZZ_EXAMPLES
scales the example counts; each decode is bounded by the buffer size, so each example is quick.
"""

from __future__ import annotations

import os
import struct
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shep.model import Playbook, TaskFile
from shep.serialize.fbs import ShepDecodeError, from_flatbuffers, to_flatbuffers
from tests.fbs_support import GOLDEN_DIR

pytestmark = pytest.mark.slow  # property-based: damaged-buffer campaigns

EXAMPLES = int(os.environ.get("SHEP_FUZZ_EXAMPLES", "1500"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEEDS = sorted(GOLDEN_DIR.glob("v*/*.shep"))
# A decode touches each byte a bounded number of times: even a crafted buffer of a few kB is fast.
SECONDS_PER_DECODE = 2.0


def check(data: bytes) -> None:
    start = time.perf_counter()
    try:
        model = from_flatbuffers(data)
    except ShepDecodeError as exc:
        assert str(exc)
    else:
        assert isinstance(model, (Playbook, TaskFile))
        again = to_flatbuffers(model)  # whatever came back is a model the schema can hold …
        assert from_flatbuffers(again) == model  # … and it is stable
    assert time.perf_counter() - start < SECONDS_PER_DECODE


# Repeats weight the choice: mostly edits that keep the buffer's size, so offsets still land inside it.
EDITS = ["flip", "flip", "byte", "word", "offset", "offset", "offset", "truncate", "extend", "insert", "delete"]


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """A golden buffer with 1 to 8 random edits after its 8-byte header (root offset, identifier);
    the header itself is damaged by a separate edit, sometimes."""
    data = bytearray(Path(draw(st.sampled_from(SEEDS))).read_bytes())
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        if len(data) <= 12:
            break
        edit = draw(st.sampled_from(EDITS))
        at = draw(st.integers(min_value=8, max_value=len(data) - 4))
        if edit == "flip":
            data[at] ^= 1 << draw(st.integers(min_value=0, max_value=7))
        elif edit == "byte":
            data[at] = draw(st.integers(min_value=0, max_value=255))
        elif edit in ("word", "offset"):
            # "offset": a plausible uoffset/soffset (small, maybe negative): the values most likely to fool a reader
            word = (draw(st.integers(min_value=-len(data), max_value=len(data))) if edit == "offset"
                    else draw(st.sampled_from([0, 1, 4, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF])))
            struct.pack_into("<I", data, at, word & 0xFFFFFFFF)
        elif edit == "truncate":
            del data[at:]
        elif edit == "extend":
            data.extend(draw(st.binary(min_size=1, max_size=64)))
        elif edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        else:
            del data[at:at + draw(st.integers(min_value=1, max_value=8))]
    if draw(st.integers(min_value=0, max_value=15)) == 0:
        data[draw(st.integers(min_value=0, max_value=7))] ^= 1 << draw(st.integers(min_value=0, max_value=7))
    return bytes(data)


def test_seeds_exist_and_decode() -> None:
    assert len(SEEDS) >= 5
    for seed in SEEDS:
        check(seed.read_bytes())


@SETTINGS
@given(damaged())
def test_damaged_buffers(data: bytes) -> None:
    check(data)


@settings(max_examples=max(EXAMPLES // 3, 50), deadline=None)
@given(st.binary(max_size=256))
def test_arbitrary_bytes_with_the_identifier(junk: bytes) -> None:
    check(junk[:4] + b"SHEP" + junk[4:])


@settings(max_examples=max(EXAMPLES // 3, 50), deadline=None)
@given(st.binary(max_size=64))
def test_arbitrary_bytes(junk: bytes) -> None:
    check(junk)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_word_of_every_seed_overwritten(seed: Path) -> None:
    """Exhaustive and deterministic: each aligned 4-byte word replaced in turn by a hostile value
    (zero, tiny and huge offsets, the buffer size, an offset to the very end)."""
    data = seed.read_bytes()
    for index, at in enumerate(range(0, len(data) - 3, 4)):
        hostile = (0, 4, 8, 0xFFFFFFFC, 0xFFFFFFFF, len(data), len(data) - at - 4, 0x80000000)
        mutated = bytearray(data)
        struct.pack_into("<I", mutated, at, hostile[index % len(hostile)] & 0xFFFFFFFF)
        check(bytes(mutated))
