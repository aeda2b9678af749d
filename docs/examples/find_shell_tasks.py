"""A tiny linter built on shep: flag `shell` tasks whose command could be a `command` task.

Run: python docs/examples/find_shell_tasks.py PLAYBOOK_OR_TASK_FILE...
(tests/unit/test_docs_examples.py runs it in CI.)
"""

from __future__ import annotations

import sys

import shep

SHELL_ACTIONS = {"shell", "ansible.builtin.shell", "ansible.legacy.shell"}
SHELL_CHARS = set("|&;<>*?$`(){}[]~")


def main(paths: list[str]) -> int:
    problems = 0
    for path in paths:
        model = shep.load(path)  # kind detected from content and directory
        for diagnostic in model.diagnostics:  # loader/detection problems come first
            print(f"{diagnostic.path}:{diagnostic.line}:{diagnostic.col}: {diagnostic.code} {diagnostic.message}")
        tasks = model.tasks() if isinstance(model, shep.Playbook) else model.all_tasks()
        for task in tasks:
            command = task.free_form_args or ""
            if task.action in SHELL_ACTIONS and command and not SHELL_CHARS & set(command):
                problems += 1
                print(f"{task.path}:{task.span.line}:{task.span.col}: {task.doc_path} "
                      f"uses shell for a plain command: {command!r}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
