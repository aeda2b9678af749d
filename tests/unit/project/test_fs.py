"""shep.project.fs's path helpers: the walk's own ``join`` and ``dirname`` give what ``os.path``'s give."""

from __future__ import annotations

import itertools
import os

from hypothesis import given
from hypothesis import strategies as st

from shep.project.fs import dirname, join

_PARTS = ["", "/", "//", "///", "a", "/a", "a/", "/a/", "a/b", "//a", "///a/b", "a//b", "/a//b/", ".", "..", "/.",
          "~", "~/x", "a/./b", "../a", "/a/../b", "é/ü"]
_PATHS = st.text(alphabet="/a.~", max_size=12)


def test_join_and_dirname_on_the_awkward_cases() -> None:
    for head, tail in itertools.product(_PARTS, repeat=2):
        assert join(head, tail) == os.path.join(head, tail), (head, tail)
        assert dirname(head + tail) == os.path.dirname(head + tail), head + tail


@given(_PATHS, _PATHS)
def test_join_and_dirname_as_os_path(head: str, tail: str) -> None:
    assert join(head, tail) == os.path.join(head, tail)
    assert dirname(head) == os.path.dirname(head)
