"""The pre-commit hook, installed by pre-commit itself in a fresh git repository, as a new user would."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a pre-commit install and run

REPO = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(cwd.parent / "pre-commit-home"), "NO_COLOR": "1"}
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, env=env, timeout=900, check=False)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_hook_passes_good_content_and_fails_bad(tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit") or str(Path(os.sys.executable).parent / "pre-commit")
    project = tmp_path / "project"
    (project / "roles" / "web" / "tasks").mkdir(parents=True)
    (project / "site.yml").write_text("- hosts: all\n  roles: [web]\n")
    (project / "roles" / "web" / "tasks" / "main.yml").write_text("- name: ok\n  ansible.builtin.ping:\n")
    (project / "not-ansible.yml").write_text("key: value\n")
    run("git", "init", "-q", cwd=project)
    run("git", "add", ".", cwd=project)

    good = run(pre_commit, "try-repo", str(REPO), "shep", "--all-files", cwd=project)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout

    (project / "roles" / "web" / "tasks" / "main.yml").write_text("- name: bad\n  debug: msg=a\n  apt: name=b\n")
    run("git", "add", ".", cwd=project)
    bad = run(pre_commit, "try-repo", str(REPO), "shep", "--all-files", cwd=project)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "roles/web/tasks/main.yml:3:3: error D001 conflicting action statements: debug, apt" in bad.stdout
