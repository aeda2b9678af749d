"""Differential: shep's YAML values equal ansible-core's for generated documents (needs the oracle extra)."""

from __future__ import annotations

import datetime as dt
import math
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shep.loader import load_text
from shep.loader.values import Vault

pytestmark = pytest.mark.slow  # property-based: hypothesis campaigns against ansible-core's YAML

yaml = pytest.importorskip("yaml", reason="PyYAML comes with ansible-core (the `oracle` extra)")
ansible_loader = pytest.importorskip("ansible.parsing.yaml.loader", reason="needs ansible-core (the `oracle` extra)")

EXAMPLES = int(os.environ.get("SHEP_FUZZ_EXAMPLES", "1500"))


def ansible_load(text: str) -> Any:
    return yaml.load(text, Loader=ansible_loader.AnsibleLoader)  # noqa: S506 - ansible's own safe loader


def plain(value: Any) -> Any:
    """ansible's tagged/encrypted values → plain comparable values (type name kept for strings)."""
    name = type(value).__name__
    if name == "EncryptedString":
        return ("vault", value._ciphertext)
    if isinstance(value, Vault):
        return ("vault", value.ciphertext)
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return ("int", int(value))
    if isinstance(value, float):
        return ("float", float(value))
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dt.datetime):
        return ("datetime", value.isoformat())
    if isinstance(value, dt.date):
        return ("date", value.isoformat())
    return value


SCALAR_PIECES = st.sampled_from(
    ["0", "1", "7", "8", "9", "00", "0x", "0b", "0o", "_", ".", ":", "-", "+", "e", "E", "inf", "Inf", "nan", "NaN",
     "y", "Y", "n", "N", "yes", "No", "ON", "off", "true", "False", "null", "Null", "~", "<<", "=", "2024", "-01",
     "-1", "T", "t", " ", "Z", "12", "59", "x", "a", "1e3", "1.5", "0644", "1:30", ".5", "1_000"]
)
plain_scalars = st.lists(SCALAR_PIECES, min_size=1, max_size=4).map("".join).map(str.strip).filter(
    lambda s: s and not s.startswith(("-", ":", "?", "#", "&", "*", "!", "|", ">", "'", '"', "%", "@", "`"))
    and ": " not in s and " #" not in s and not s.endswith(":"))


def check_same(text: str) -> None:
    try:
        expected: Any = plain(ansible_load(text))
        failed = False
    except Exception:  # noqa: BLE001 - any ansible load failure must be an error in shep
        failed = True
    document = load_text(text, "gen.yml", reference=False)
    errors = [d for d in document.diagnostics if d.severity.name == "ERROR"]
    if failed:
        assert errors, f"ansible rejects {text!r}, shep accepts it"
        return
    assert not errors, f"ansible accepts {text!r}, shep reports {errors}"
    got = plain(document.root.value) if document.root is not None else None
    assert got == expected, text


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(plain_scalars, min_size=1, max_size=5))
def test_plain_scalars_in_block_mapping(values: list[str]) -> None:
    check_same("".join(f"k{i}: {v}\n" for i, v in enumerate(values)))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(plain_scalars, min_size=1, max_size=5))
def test_plain_scalars_as_keys_and_in_flow(values: list[str]) -> None:
    check_same("".join(f"{v}: [{v}]\n" for v in values))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", "<<", "1", "true", "yes"]),
                          st.sampled_from(["1", "x", "*m", "[*m, *n]", "!unsafe '{{ x }}'", "!vault abc", "~"])),
                min_size=1, max_size=6))
def test_merges_duplicates_and_tags(pairs: list[tuple[str, str]]) -> None:
    body = "".join(f"  {k}: {v}\n" for k, v in pairs)
    check_same(f"m: &m {{a: 1, b: 2}}\nn: &n {{b: 3, c: 4}}\nx:\n{body}")


@pytest.mark.parametrize("text", [
    "a: [y, n, 1e3, 0o17, 08, 0644, 1:30, 1_000, 0b11, yes, On, 2024-01-02, ~, .inf, !unsafe 12]\n",
    "a: !unsafe '{{ x }}'\nb: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162\n",
    "a: =\n", "a: <<\n", "a: !foo x\n", "a: 1\n---\nb: 2\n", "", "a: !vault 12\n", "a: 1\n\tb: 2\n",
    "x: &a {name: 1}\ny:\n  <<: *a\n  name: 2\n", "a: 2001-12-14t21:59:43.10-05:00\nb: 2002-12-14\n",
    "a: !!binary aGVsbG8=\n", "a: !!str 12\nb: !!int '7'\nc: !!float '1'\n", "{1: a, true: b}\n",
    "a: 0x_1F\nb: -0b101\nc: +12\nd: 190:20:30\ne: -.inf\nf: .NaN\n", "? [1, 2]\n: x\n",
])
def test_known_cases(text: str) -> None:
    check_same(text)
