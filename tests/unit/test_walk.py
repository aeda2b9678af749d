"""shep.walk: which files a walk yields, in which order, what it skips and how it reports what it cannot use."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from shep import walk
from shep.walk import WalkError, is_excluded, iter_files


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("- ping:\n")


def relative(found: list[str | WalkError], root: Path) -> list[str]:
    """Files as paths relative to root; errors as ``!path: message``."""
    out = []
    for item in found:
        if isinstance(item, WalkError):
            out.append(f"!{os.path.relpath(item.path, root)}: {item.message}")
        else:
            out.append(os.path.relpath(item, root))
    return out


def test_depth_first_files_of_a_directory_before_its_subdirectories_names_sorted(tmp_path: Path) -> None:
    touch(tmp_path, "z.yml", "a.yaml", "m.yml", "b/n.yml", "b/c/deep.yml", "b/a.yml", "a_dir/k.yml", "Z_dir/up.yml")
    assert relative(list(iter_files([str(tmp_path)])), tmp_path) == [  # code point order: "Z" < "a"
        "a.yaml", "m.yml", "z.yml", "Z_dir/up.yml", "a_dir/k.yml", "b/a.yml", "b/n.yml", "b/c/deep.yml"]


def test_only_yml_and_yaml_files_are_walked(tmp_path: Path) -> None:
    touch(tmp_path, "a.yml", "b.yaml", "c.YML", "d.json", "e.yml.j2", "notes.txt", "yml")  # suffixes match exactly
    assert relative(list(iter_files([str(tmp_path)])), tmp_path) == ["a.yml", "b.yaml"]


def test_tool_directories_are_skipped(tmp_path: Path) -> None:
    skipped = [".git", ".venv", "venv", "node_modules", "__pycache__", ".tox", "site-packages", "shep.egg-info"]
    touch(tmp_path, "keep/a.yml", *(f"{name}/x.yml" for name in skipped))
    assert relative(list(iter_files([str(tmp_path)])), tmp_path) == ["keep/a.yml"]
    assert {".git", ".venv", "node_modules", "site-packages"} <= walk.SKIP_DIRS


def test_a_skipped_directory_named_directly_is_walked(tmp_path: Path) -> None:
    touch(tmp_path, "venv/a.yml")
    assert relative(list(iter_files([str(tmp_path / "venv")])), tmp_path) == ["venv/a.yml"]


def test_excludes_match_a_path_or_a_file_name(tmp_path: Path) -> None:
    touch(tmp_path, "site.yml", "molecule/default/converge.yml", "roles/web/files/data.yml",
          "roles/web/tasks/main.yml", "roles/web/tasks/secret.yml")
    root = str(tmp_path)
    found = iter_files([root], excludes=[f"{root}/molecule", "*/files", "secret.yml"])
    assert relative(list(found), tmp_path) == ["site.yml", "roles/web/tasks/main.yml"]


def test_excluded_directories_are_not_listed(tmp_path: Path) -> None:
    touch(tmp_path, "a/x.yml", "skip/y.yml", "skip/deeper/z.yml")
    listed: list[str] = []
    list(iter_files([str(tmp_path)], excludes=["skip"], listed=listed))
    assert [os.path.relpath(d, tmp_path) for d in listed] == [".", "a"]


@pytest.mark.parametrize(("path", "patterns", "expected"), [
    ("roles/web/files/a.yml", ["*/files/*"], True),
    ("roles/web/files/a.yml", ["a.yml"], True),  # the file name alone
    ("roles/web/files/a.yml", ["files"], False),  # neither the whole path nor the name
    ("roles/web/tasks/main.yml", ["*/files/*", "molecule/*"], False),
    ("molecule/default/converge.yml", ["molecule/*"], True),  # fnmatch's * crosses "/"
    ("a.yml", [], False),
])
def test_is_excluded(path: str, patterns: list[str], expected: bool) -> None:
    assert is_excluded(path, patterns) is expected


def test_files_named_directly_are_always_taken(tmp_path: Path) -> None:
    touch(tmp_path, "notes.txt", "secret.yml")
    named = [str(tmp_path / "notes.txt"), str(tmp_path / "secret.yml"), "-"]
    assert list(iter_files(named, excludes=["secret.yml", "*.txt"])) == named


def test_a_missing_path_is_an_error_in_its_place(tmp_path: Path) -> None:
    touch(tmp_path, "a.yml", "d/b.yml")
    found = list(iter_files([str(tmp_path / "a.yml"), str(tmp_path / "nope.yml"), str(tmp_path / "d")]))
    assert found == [str(tmp_path / "a.yml"), WalkError(str(tmp_path / "nope.yml"), "No such file or directory"),
                     str(tmp_path / "d" / "b.yml")]


def test_listed_gets_every_directory_walked_in_order(tmp_path: Path) -> None:
    touch(tmp_path, "b/x.yml", "a/c/y.yml", ".git/z.yml")
    listed: list[str] = []
    list(iter_files([str(tmp_path)], listed=listed))
    assert [os.path.relpath(d, tmp_path) for d in listed] == [".", "a", "a/c", "b"]


def test_a_dangling_link_is_yielded_for_the_reader_to_report(tmp_path: Path) -> None:
    (tmp_path / "dangling.yml").symlink_to(tmp_path / "nowhere.yml")
    assert relative(list(iter_files([str(tmp_path)])), tmp_path) == ["dangling.yml"]


def test_a_file_link_loop_is_an_error(tmp_path: Path) -> None:
    touch(tmp_path, "a.yml")
    (tmp_path / "loop.yml").symlink_to("loop.yml")
    (tmp_path / "x.txt").symlink_to("y.txt")
    (tmp_path / "y.txt").symlink_to("x.txt")
    assert relative(list(iter_files([str(tmp_path)])), tmp_path) == [
        "a.yml", "!loop.yml: symlink loop (not followed)", "!x.txt: symlink loop (not followed)",
        "!y.txt: symlink loop (not followed)"]


def test_a_link_to_an_enclosing_directory_is_reported_once_and_not_followed(tmp_path: Path) -> None:
    touch(tmp_path, "sub/main.yml")
    (tmp_path / "sub" / "up").symlink_to("..")
    assert relative(list(iter_files([str(tmp_path)])), tmp_path) == [
        "sub/main.yml", "!sub/up: symlink loop: links to an enclosing directory (not followed)"]


def test_a_directory_reached_by_two_links_is_walked_once(tmp_path: Path) -> None:
    touch(tmp_path, "real/main.yml")
    (tmp_path / "alias").symlink_to("real")
    assert relative(list(iter_files([str(tmp_path)])), tmp_path) == ["alias/main.yml"]


def test_a_directory_that_cannot_be_listed_is_reported_after_the_walk(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    touch(tmp_path, "a/x.yml", "locked/y.yml", "z/w.yml")
    locked = str(tmp_path / "locked")
    real_scandir = os.scandir

    def scandir(path: str) -> Iterator[os.DirEntry[str]]:
        if path == locked:  # what chmod 000 does, for any user (root reads mode-000 directories)
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(walk.os, "scandir", scandir)
    assert relative(list(iter_files([str(tmp_path)])), tmp_path) == [
        "a/x.yml", "z/w.yml", "!locked: Permission denied"]


def test_walk_error_value() -> None:
    error = WalkError("a.yml", "gone")
    assert error == WalkError("a.yml", "gone") and error != WalkError("a.yml", "other")
    assert hash(error) == hash(WalkError("a.yml", "gone"))
    assert repr(error) == "WalkError(path='a.yml', message='gone')"
    assert error != "a.yml"
