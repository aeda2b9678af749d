"""shep.project.fs's path helpers: the walk's own ``join`` and ``dirname`` give what ``os.path``'s give."""

from __future__ import annotations

import itertools
import os

from hypothesis import given
from hypothesis import strategies as st

from shep.project.fs import dirname, join
from shep.project.search import is_subpath

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


@given(_PATHS, st.sampled_from(["tasks", "handlers", "meta", "vars", "defaults"]),
       st.sampled_from(["main.yml", "main.yaml", "main.json", "main", "main/a.yml", "main/b/c.yaml"]))
def test_a_roles_main_files_are_inside_its_directory(role: str, subdir: str, name: str) -> None:
    """search.role_files does not ask is_subpath about ``main``'s files: it would always say yes."""
    folder = join(role, subdir)
    assert is_subpath(join(folder, name), folder)
