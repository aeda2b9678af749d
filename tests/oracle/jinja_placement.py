#!/usr/bin/env python
"""Where ansible-core 2.19.14 templates a string: a broken template in each keyword of a task, block and
play, and in module arguments, run with ansible-playbook on localhost (debug and ping tasks only).

TEST TOOL ONLY (needs the ``oracle`` extra; runs ansible-playbook, local connection, nothing installed).

    python tests/oracle/jinja_placement.py            # print {case: outcome} as JSON
    python tests/oracle/jinja_placement.py --write    # write fixtures/jinja_placement/expected.json

Each case is one small playbook holding ``"{{ broken"`` (Jinja: unexpected end of template) in one place.
The outcome is ``error`` (the run fails with ansible-core's "Syntax error", or a task fails: a broken
``failed_when`` or ``changed_when`` fails the task with the module's own message), ``warning`` (the message
is only a warning: a task's name), or ``none`` (the string is never templated in that run: a static keyword,
an unused variable, module defaults of another module). shep's severities are checked against these by
tests/differential/test_jinja_placement.py.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

BROKEN = '"{{ broken"'
TASK = "    - ansible.builtin.debug: msg=hi\n"
EXPECTED = Path(__file__).resolve().parents[2] / "fixtures" / "jinja_placement" / "expected.json"


def _play(extra: str = "", tasks: str = TASK, handlers: str = "", head: str = "- hosts: localhost\n  gather_facts: false\n") -> str:
    return f"{head}{extra}  tasks:\n{tasks}{handlers}"


_SHARED = {  # keywords of tasks, blocks and plays
    "become": BROKEN, "become_user": BROKEN, "become_method": BROKEN, "become_exe": BROKEN, "become_flags": BROKEN,
    "check_mode": BROKEN, "connection": BROKEN, "debugger": BROKEN, "diff": BROKEN, "environment": "{E: " + BROKEN + "}",
    "ignore_errors": BROKEN, "ignore_unreachable": BROKEN, "module_defaults": "{debug: {msg: " + BROKEN + "}}",
    "no_log": BROKEN, "port": BROKEN, "remote_user": BROKEN, "run_once": BROKEN, "tags": BROKEN, "throttle": BROKEN,
    "timeout": BROKEN, "vars": "{v: " + BROKEN + "}", "collections": "[" + BROKEN + "]", "any_errors_fatal": BROKEN,
}
_TASK_ONLY = {"async": BROKEN, "poll": BROKEN, "changed_when": BROKEN, "delay": BROKEN, "failed_when": BROKEN,
              "loop": BROKEN, "register": BROKEN, "retries": BROKEN, "until": BROKEN}
_TASK_AND_BLOCK = {"name": BROKEN, "when": BROKEN, "delegate_to": BROKEN, "delegate_facts": BROKEN, "notify": BROKEN}
_PLAY_ONLY = {"name": BROKEN, "gather_subset": BROKEN, "gather_timeout": BROKEN,
              "force_handlers": BROKEN, "max_fail_percentage": BROKEN, "order": BROKEN, "serial": BROKEN,
              "strategy": BROKEN, "vars_files": "[" + BROKEN + "]"}
_HANDLER = "  handlers:\n    - name: h\n      ansible.builtin.debug: msg=h\n"


def cases() -> dict[str, str]:
    """Case name -> playbook text."""
    found: dict[str, str] = {}
    for key, value in {**_SHARED, **_TASK_AND_BLOCK, **_TASK_ONLY}.items():
        extra = "      until: true\n" if key in ("delay", "retries") else ""
        found[f"task.{key}"] = _play(tasks=f"{TASK}      {key}: {value}\n{extra}",
                                     handlers=_HANDLER if key == "notify" else "")
    for key, value in {**_SHARED, **_TASK_AND_BLOCK}.items():
        found[f"block.{key}"] = _play(tasks=f"    - block:\n{'    ' + TASK}      {key}: {value}\n",
                                      handlers=_HANDLER if key == "notify" else "")
    for key, value in {**_SHARED, **_PLAY_ONLY}.items():
        found[f"play.{key}"] = _play(extra=f"  {key}: {value}\n")
    found["play.hosts"] = _play(head=f"- hosts: {BROKEN}\n  gather_facts: false\n")
    found["play.gather_facts"] = _play(head=f"- hosts: localhost\n  gather_facts: {BROKEN}\n")
    found["play.fact_path"] = _play(head=f"- hosts: localhost\n  fact_path: {BROKEN}\n")  # used when facts are gathered
    for key in ("loop_var", "index_var", "label", "pause", "extended", "extended_allitems", "break_when"):
        found[f"task.loop_control.{key}"] = _play(tasks=f"{TASK}      loop: [1]\n      loop_control:\n        {key}: {BROKEN}\n")
    found["task.vars.used"] = _play(tasks=f"    - ansible.builtin.debug: msg={{{{ v }}}}\n      vars: {{v: {BROKEN}}}\n")
    found["play.vars.used"] = _play(extra=f"  vars: {{v: {BROKEN}}}\n",
                                    tasks="    - ansible.builtin.debug: msg={{ v }}\n")
    found["play.module_defaults.used"] = _play(extra=f"  module_defaults: {{ping: {{data: {BROKEN}}}}}\n",
                                               tasks="    - ansible.builtin.ping:\n")
    found["handler.name"] = _play(tasks=f"{TASK}      changed_when: true\n      notify: h\n",
                                  handlers=f"  handlers:\n    - name: {BROKEN}\n      listen: h\n      ansible.builtin.debug: msg=h\n")
    found["handler.listen"] = _play(tasks=f"{TASK}      changed_when: true\n      notify: h\n",
                                    handlers=f"  handlers:\n    - name: h\n      listen: {BROKEN}\n      ansible.builtin.debug: msg=h\n")
    found["args.value"] = _play(tasks=f"    - ansible.builtin.debug:\n        msg: {BROKEN}\n")
    found["args.nested"] = _play(tasks=f"    - ansible.builtin.set_fact:\n        a: {{b: [{BROKEN}]}}\n")
    found["args.key.set_fact"] = _play(tasks=f"    - ansible.builtin.set_fact:\n        {BROKEN}: 1\n")
    found["args.key.nested"] = _play(tasks=f"    - ansible.builtin.set_fact:\n        a: {{{BROKEN}: 1}}\n")
    found["args.unsafe"] = _play(tasks="    - ansible.builtin.debug:\n        msg: !unsafe '{{ broken'\n")
    found["args.assert.that"] = _play(tasks=f"    - ansible.builtin.assert:\n        that: [{BROKEN}]\n")
    found["args.debug.var"] = _play(tasks="    - ansible.builtin.debug:\n        var: 'x.'\n")
    found["args.debug.var.verbosity"] = _play(tasks="    - ansible.builtin.debug:\n        var: 'x.'\n        verbosity: 2\n")
    found["task.with_items"] = _play(tasks=f"{TASK}      with_items: {BROKEN}\n")
    found["task.with_items.list"] = _play(tasks=f"{TASK}      with_items: [{BROKEN}]\n")
    found["task.loop.list"] = _play(tasks=f"{TASK}      loop: [{BROKEN}]\n")
    found["task.when.empty"] = _play(tasks=f"{TASK}      when: ''\n")
    return found


def outcome(playbook: str) -> str:
    """error, warning or none: what ansible-playbook makes of ``playbook`` (see the module's docstring)."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "pb.yml"
        path.write_text(playbook, encoding="utf-8")
        env = {**os.environ, "ANSIBLE_NOCOLOR": "1", "ANSIBLE_DEPRECATION_WARNINGS": "0",
               "ANSIBLE_LOCALHOST_WARNING": "0", "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0"}
        command = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(path)]
        run = subprocess.run(command, capture_output=True, text=True, env=env, cwd=scratch, check=False)
    lines = (run.stdout + run.stderr).splitlines()
    mentioned = [line for line in lines if "Syntax error" in line or "Empty conditional" in line]
    failed_task = any(" failed=1 " in line for line in lines)
    if any(line.startswith(("[ERROR]", "fatal", "ERROR!")) for line in mentioned) or failed_task:
        return "error"
    return "warning" if mentioned else "none"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {EXPECTED}")
    args = parser.parse_args(argv)
    found = {name: {"playbook": text, "outcome": outcome(text)} for name, text in cases().items()}
    text = json.dumps(found, indent=1, sort_keys=True) + "\n"
    if args.write:
        EXPECTED.parent.mkdir(parents=True, exist_ok=True)
        EXPECTED.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
