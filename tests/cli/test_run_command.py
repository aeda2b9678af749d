"""The ``shep`` command ends with os._exit (shep.cli.run_command): same status, every byte flushed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shep.cli import _exit_status, main

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (1, 1), (2, 2), (130, 130), (258, 2)])
def test_exit_status_follows_system_exit(code: int | None, status: int) -> None:
    assert _exit_status(code) == status


def test_a_message_exit_prints_it_and_gives_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert _exit_status("no such thing") == 1
    assert capsys.readouterr().err == "no such thing\n"


def _in_process(argv: list[str], capsysbinary: pytest.CaptureFixture[bytes]) -> tuple[int, bytes]:
    with pytest.raises(SystemExit) as done:
        main(argv)
    return _exit_status(done.value.code), capsysbinary.readouterr().out


def test_the_command_prints_what_main_prints(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """Large text, binary (FlatBuffers) and failing runs: nothing lost to the skipped teardown."""
    files = sorted(str(p) for folder in ("validate", "oracle_cases", "examples")
                   for p in (REPO / "fixtures" / folder).rglob("*.yml"))
    runs = [["dump", "--format", "json", *files],
            ["playbook", "dump", "--format", "fbs", str(REPO / "fixtures" / "examples" / "site.yml")],
            ["validate", "--no-cache", "--format", "json", *files],
            ["validate", "--no-cache", files[0]]]  # a few hundred bytes: still in the stream's buffer at the end
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as most users run it
    for argv in runs:
        expected = _in_process(argv, capsysbinary)
        proc = subprocess.run([sys.executable, "-m", "shep", *argv], capture_output=True, check=False, cwd=REPO,
                              env=buffered)
        assert (proc.returncode, proc.stdout) == expected, argv
        if argv[0] == "dump":
            assert len(proc.stdout) > 65536  # more than a pipe holds: written while the reader reads
