"""shep.readfile.write_atomic: a whole new file or the old one, never a temporary left behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from shep.readfile import write_atomic


def test_replaces_the_file_byte_for_byte_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "out.shep"
    target.write_bytes(b"old")
    write_atomic(str(target), b"a\r\nb\x00")
    write_atomic(str(target), b"new\r\n", durable=False)
    assert target.read_bytes() == b"new\r\n"
    assert os.listdir(tmp_path) == ["out.shep"]
    assert target.stat().st_mode & 0o777 == 0o600


def test_a_failed_rename_removes_the_temporary_and_keeps_the_target(tmp_path: Path) -> None:
    target = tmp_path / "a-directory"
    target.mkdir()
    (target / "inside").write_text("kept")
    with pytest.raises(OSError):
        write_atomic(str(target), b"data")  # a directory cannot be replaced by a file
    assert sorted(os.listdir(tmp_path)) == ["a-directory"]
    assert (target / "inside").read_text() == "kept"
