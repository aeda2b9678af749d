"""The library guide's example runs and finds what it claims to find."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_find_shell_tasks_example(tmp_path: Path) -> None:
    path = tmp_path / "tasks" / "main.yml"
    path.parent.mkdir()
    path.write_text("- shell: ls /tmp\n- shell: cat a | grep b\n- command: ls\n")
    result = subprocess.run([sys.executable, str(REPO / "docs" / "examples" / "find_shell_tasks.py"), str(path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1, result.stderr
    assert result.stdout.strip() == f"{path}:1:3: tasks[0] uses shell for a plain command: 'ls /tmp'"
