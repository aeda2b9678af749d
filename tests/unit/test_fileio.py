"""shep.fileio.write_atomic: a whole new file or the old one, never a temporary left behind."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from shep.fileio import write_atomic


def test_replaces_the_file_byte_for_byte_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "out.shep"
    target.write_bytes(b"old")
    write_atomic(str(target), b"a\r\nb\x00")
    write_atomic(str(target), b"new\r\n", durable=False)
    assert target.read_bytes() == b"new\r\n"
    assert os.listdir(tmp_path) == ["out.shep"]


@pytest.fixture(params=[0o022, 0o002], ids=["umask-022", "umask-002"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    mask: int = request.param
    old = os.umask(mask)
    try:
        yield mask
    finally:
        os.umask(old)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_a_new_file_gets_the_mode_open_would_give_it(tmp_path: Path, umask: int) -> None:
    with open(tmp_path / "plain", "w"):
        pass
    target = tmp_path / "out.shep"
    write_atomic(str(target), b"data")
    assert target.stat().st_mode & 0o7777 == (tmp_path / "plain").stat().st_mode & 0o7777 == 0o666 & ~umask


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
@pytest.mark.parametrize("mode", [0o640, 0o600, 0o755, 0o444], ids=oct)
def test_overwriting_keeps_the_mode_of_the_existing_file(tmp_path: Path, umask: int, mode: int) -> None:
    target = tmp_path / "out.shep"
    target.write_bytes(b"old")
    target.chmod(mode)
    write_atomic(str(target), b"new", durable=False)
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o7777 == mode


def test_a_failed_rename_removes_the_temporary_and_keeps_the_target(tmp_path: Path) -> None:
    target = tmp_path / "a-directory"
    target.mkdir()
    (target / "inside").write_text("kept")
    with pytest.raises(OSError):
        write_atomic(str(target), b"data")  # a directory cannot be replaced by a file
    assert sorted(os.listdir(tmp_path)) == ["a-directory"]
    assert (target / "inside").read_text() == "kept"
