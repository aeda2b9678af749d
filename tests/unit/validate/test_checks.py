"""The semantic checks (shep.validate.checks): one bad and one good case per check, at line:col.

Messages and positions were checked against ansible-core 2.19.14 itself (``ansible-playbook
--syntax-check``, then a local run for run-time failures); see fixtures/validate/ for the golden
files and the inline table below for the positions.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import NamedTuple, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shep.api import parse, read_document
from shep.diagnostics import RULES, Diagnostic, Severity
from shep.loader import load_text
from shep.model.build import build
from shep.keywords import KEYWORDS
from shep.model import Model
from shep.validate import checks
from shep.validate import validate_model
from shep.validate.checks import CHECK_MODULES, examples
from tests.project_support import validate_tree, write_tree

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "fixtures" / "validate"

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shep.kinds import FileKind
    from shep.loader import Document


# The checks that speak of installed collections: their cases and examples run with the collection root
# fixtures/collections (acme.demo) installed, and no other; the other checks' with nothing looked up.
INSTALLED_CODES = frozenset({"V040", "V041", "V042"})
COLLECTIONS = REPO / "fixtures" / "collections"


def run_checks(model: Model, installed: bool = False, document: Document | None = None) -> tuple[Diagnostic, ...]:
    if not installed:
        return validate_model(model, document=document)
    from shep.installed import Installed
    from shep.validate import lookup_modules

    modules, _ = lookup_modules(model, Installed(roots=(str(COLLECTIONS),)))
    return validate_model(model, modules, document=document)


def validated(text: str, kind: str, installed: bool = False) -> tuple[Diagnostic, ...]:
    """Every diagnostic of ``text`` as a file gets it (the document at hand: positions inside values)."""
    document = load_text(text)
    return run_checks(build(document, cast("FileKind", kind)), installed, document)


def positions(text: str, kind: str, code: str) -> list[tuple[int, int]]:
    if kind == "project":  # a tree of files (tests/project_support.py): the first file's findings
        with tempfile.TemporaryDirectory() as folder:
            first = write_tree(text, Path(folder))[0].relative_to(folder).as_posix()
            return [(d.line, d.col) for d in validate_tree(Path(folder)) if d.code == code and d.path == first]
    return [(d.line, d.col) for d in validated(text, kind, code in INSTALLED_CODES) if d.code == code]


class Case(NamedTuple):
    code: str
    kind: str
    text: str
    expected: list[tuple[int, int]]  # (line, col) of each diagnostic of ``code``


PLAY = "- hosts: all\n  tasks:\n"

# A role with argument specs for two entry points (V054's cases).
_WEB_SPECS = ("# file: roles/web/meta/argument_specs.yml\nargument_specs:\n  main:\n    options:\n"
              "      web_port: {type: int}\n      mode: {choices: [a, b], aliases: [m]}\n  setup:\n    options: {}\n"
              "# file: roles/web/tasks/main.yml\n- ping:\n# file: roles/web/tasks/setup.yml\n- ping:\n")


CASES = [
    # V001 unknown keyword (blocks, plays, import entries, includes)
    Case("V001", "tasks", "- block:\n    - ping:\n  become: true\n", []),
    Case("V001", "tasks", "- block:\n    - ping:\n  until: done\n  retries: 3\n", [(3, 3), (4, 3)]),
    Case("V001", "playbook", "- hosts: all\n  when: x\n", [(2, 3)]),
    Case("V001", "playbook", "- import_playbook: a.yml\n  when: x\n  tags: [a]\n", []),
    Case("V001", "playbook", "- import_playbook: a.yml\n  gather_facts: false\n", [(2, 3)]),
    Case("V001", "tasks", "- include_tasks: a.yml\n  when: x\n  loop: [1]\n  vars: {a: 1}\n", []),
    Case("V001", "tasks", "- include_tasks: a.yml\n  become: true\n", [(2, 3)]),
    Case("V001", "tasks", "- include_role: {name: r}\n  delegate_to: h\n", [(2, 3)]),
    Case("V001", "tasks", "- import_role: {name: r}\n  become: true\n  delegate_to: h\n", []),
    Case("V001", "handlers", "- include_tasks: a.yml\n  listen: topic\n", []),
    Case("V001", "tasks", "- debug: msg=hi\n  static: yes\n", [(2, 3)]),
    # V002 listen outside handlers
    Case("V002", "handlers", "- debug: msg=hi\n  listen: topic\n", []),
    Case("V002", "tasks", "- debug: msg=hi\n  listen: topic\n", [(2, 3)]),
    Case("V002", "playbook", PLAY + "    - debug: msg=hi\n      listen: t\n", [(4, 7)]),
    # V003 notify without handler (playbooks only)
    Case("V003", "playbook", PLAY + "    - ping:\n      notify: h\n  handlers:\n    - name: h\n      ping:\n", []),
    Case("V003", "playbook", PLAY + "    - ping:\n      notify: t\n  handlers:\n    - ping:\n      listen: t\n", []),
    Case("V003", "playbook", PLAY + "    - ping:\n      notify: [h, '{{ x }}']\n", [(4, 7)]),
    Case("V003", "tasks", "- ping:\n  notify: h\n", []),
    # V004 free-form text for a module without free-form
    Case("V004", "tasks", "- command: echo hi\n- set_fact: a=1\n- debug: '{{ args }}'\n", []),
    Case("V004", "tasks", "- debug: msg=a b\n- action: copy x\n", [(1, 3), (2, 3)]),
    # V005 two loops
    Case("V005", "tasks", "- debug: var=item\n  loop: [1]\n", []),
    Case("V005", "tasks", "- debug: var=item\n  loop: [1]\n  with_items: [2]\n", [(3, 3)]),
    Case("V005", "tasks", "- debug: var=item\n  loop:\n  with_items: [2]\n", []),
    Case("V005", "tasks", "- debug: var=item\n  with_items: [1]\n  with_dict: {}\n", [(3, 3)]),
    # V006 with_* without value
    Case("V006", "tasks", "- debug: var=item\n  with_items: []\n", []),
    Case("V006", "tasks", "- debug: var=item\n  with_items:\n", [(2, 3)]),
    # V007 removed include
    Case("V007", "tasks", "- include_tasks: a.yml\n- include_vars: v.yml\n", []),
    Case("V007", "tasks", "- name: x\n  ansible.builtin.include: a.yml\n", [(2, 3)]),
    # V008 delegate_facts without delegate_to
    Case("V008", "tasks", "- setup:\n  delegate_to: h\n  delegate_facts: true\n", []),
    Case("V008", "tasks", "- setup:\n  delegate_facts: false\n", []),
    Case("V008", "tasks", "- block:\n    - setup:\n      delegate_facts: true\n  delegate_to: h\n", []),
    Case("V008", "tasks", "- setup:\n  delegate_facts: true\n", [(2, 3)]),
    # V009 poll without async
    Case("V009", "tasks", "- command: x\n  async: 10\n  poll: 0\n", []),
    Case("V009", "tasks", "- command: x\n  poll: 0\n", [(2, 3)]),
    # V010 play without hosts
    Case("V010", "playbook", "- hosts: all\n- import_playbook: x.yml\n", []),
    Case("V010", "playbook", "- hosts: all\n- name: x\n  tasks: []\n", [(2, 3)]),
    # V011 import with a loop
    Case("V011", "tasks", "- include_tasks: a.yml\n  loop: [1]\n- import_tasks: a.yml\n  loop:\n", []),
    Case("V011", "tasks", "- import_tasks: a.yml\n  with_items: [1]\n", [(2, 3)]),
    # V012 role include as a handler
    Case("V012", "tasks", "- include_role: {name: r}\n", []),
    Case("V012", "handlers", "- name: h\n  import_role: {name: r}\n", [(2, 3)]),
    # V013 include/import options
    Case("V013", "tasks", "- include_tasks: {file: a.yml, apply: {tags: [x]}}\n- import_role: {role: r}\n", []),
    Case("V013", "tasks", "- include_tasks: {file: a.yml, when: x}\n- import_tasks:\n", [(1, 3), (2, 3)]),
    Case("V013", "tasks", "- include_tasks: a.yml\n  args: '{{ x }}'\n", [(1, 3)]),
    # V014 keyword types
    Case("V014", "tasks", "- ping:\n  become: yes\n  retries: '3'\n  delay: 0.5\n  tags: a,b\n  name:\n", []),
    Case("V014", "tasks", "- ping:\n  become: sure\n  retries: 1.5\n  when: 1\n", [(2, 3), (3, 3), (4, 3)]),
    Case("V014", "playbook", "- hosts: all\n  gather_facts: '{{ x }}'\n  serial: 30%\n", []),
    Case("V014", "playbook", "- hosts: [a, null]\n  roles: [{tags: [x]}]\n", [(1, 3), (2, 3)]),
    # V015 variable names
    Case("V015", "tasks", "- ping:\n  register: r_1\n  vars: {_a: 1, b2: 2}\n", []),
    Case("V015", "tasks", "- ping:\n  register: '1r'\n  vars: {true: 1}\n", [(2, 3), (3, 3)]),
    # V016 end_role
    Case("V016", "tasks", "- meta: end_role\n", []),
    Case("V016", "playbook", PLAY + "    - meta: end_play\n    - meta: end_role\n", [(4, 7)]),
    # V017 unreachable handler
    Case("V017", "handlers", "- ping:\n  listen: t\n- name: n\n  ping:\n- import_tasks: h.yml\n", []),
    Case("V017", "handlers", "- ping:\n", [(1, 3)]),
    # V018 meta action
    Case("V018", "tasks", "- meta: noop\n- ansible.builtin.meta: clear_facts\n", []),
    Case("V018", "tasks", "- meta: flush\n- name: x\n  meta:\n", [(1, 3), (3, 3)]),
    # V019 unresolved ansible.builtin action (V004 stays silent on it: resolving comes first)
    Case("V019", "tasks", "- ansible.builtin.copy: {}\n- ansible.builtin.yum:\n- ansible.legacy.copyy:\n- copyy:\n", []),
    Case("V019", "tasks", "- action: '{{ m }}'\n- ansible.builtin.win_ping:\n- ansible.builtin.include: a.yml\n", []),
    Case("V019", "tasks", "- ansible.builtin.copyy: {}\n- name: x\n  action: ansible.builtin.nope a=b\n", [(1, 3), (3, 3)]),
    Case("V004", "tasks", "- ansible.builtin.action: echo hi\n- action: ansible.builtin.nope echo hi\n", []),
    # V020 flush_handlers in a handler
    Case("V020", "tasks", "- meta: flush_handlers\n", []),
    Case("V020", "handlers", "- meta: noop\n- name: h\n  ansible.builtin.meta: flush_handlers\n", [(3, 3)]),
    Case("V020", "playbook", PLAY + "  handlers:\n    - name: h\n      meta: flush_handlers\n", [(5, 7)]),
    # V021 unresolved ansible.builtin strategy
    Case("V021", "playbook", "- hosts: all\n  strategy: ansible.builtin.linear\n"
                             "- hosts: all\n  strategy: mitogen_linear\n"
                             "- hosts: all\n  strategy: 'ansible.builtin.{{ s }}'\n", []),
    Case("V021", "playbook", "- hosts: all\n  strategy: ansible.builtin.lineer\n", [(2, 3)]),
    # V022–V032 module options, at the option's own line and column (k=v text included)
    Case("V022", "tasks", "- copy: {src: a, dest: /b}\n- file: path=/x state=touch\n- some.coll.mod: {nmae: x}\n"
                          "- copy: {src: a, dest: /b, nmae: '{{ x | default(omit) }}'}\n", []),
    Case("V022", "tasks", "- copy:\n    src: a\n    dest: /b\n    nmae: x\n- copy: src=a dset=/b dest=/c\n",
         [(4, 5), (5, 15)]),
    Case("V022", "playbook", "- hosts: all\n  collections: [my.coll]\n  tasks:\n    - copy: {nmae: x}\n", []),
    Case("V022", "tasks", "- ansible.builtin.debug: msg=hi world\n- copy: src=a dest=/b\n  args: '{{ more }}'\n", []),
    Case("V023", "tasks", "- file: {path: /x, state: directory}\n- file: {path: /x, state: '{{ s }}'}\n", []),
    Case("V023", "tasks", "- file:\n    path: /x\n    state: directroy\n", [(3, 5)]),
    Case("V024", "tasks", "- wait_for: {port: '80', timeout: 1.0}\n- copy: {src: a, dest: /b, backup: 'on'}\n", []),
    Case("V024", "tasks", "- wait_for:\n    port: eighty\n- copy: {src: a, dest: /b, backup: maybe}\n",
         [(2, 5), (3, 28)]),
    Case("V025", "tasks", "- copy: {src: a, dest: /b}\n- copy: {src: a, dest: '{{ d }}'}\n", []),
    Case("V025", "playbook", "- hosts: all\n  module_defaults: {copy: {dest: /b}}\n  tasks:\n    - copy: {src: a}\n", []),
    Case("V025", "tasks", "- copy: {src: a}\n- name: x\n  ansible.builtin.stat:\n", [(1, 3), (3, 3)]),
    Case("V026", "tasks", "- copy: {content: x, dest: /b}\n- copy: {content: '{{ c | default(omit) }}', src: a, dest: /b}\n",
         []),
    Case("V026", "tasks", "- copy: {content: x, src: a, dest: /b}\n", [(1, 22)]),
    Case("V027", "tasks", "- debconf: {name: tzdata, question: q, vtype: select, value: x}\n", []),
    Case("V027", "tasks", "- debconf: {name: tzdata, question: q, vtype: select}\n", [(1, 3)]),
    Case("V028", "tasks", "- pip: {name: x}\n- pip: {requirements: r.txt}\n", []),
    Case("V028", "tasks", "- pip: {virtualenv: /v}\n", [(1, 3)]),
    Case("V029", "tasks", "- group: {name: g, non_unique: true, gid: 1}\n- group: {name: g, non_unique: '{{ n }}'}\n", []),
    Case("V029", "tasks", "- group: {name: g, non_unique: true}\n", [(1, 20)]),
    Case("V030", "tasks", "- systemd: {name: x, enabled: true}\n", []),
    Case("V030", "tasks", "- systemd: {enabled: true}\n", [(1, 13)]),
    Case("V031", "tasks", "- git: {repo: r, dest: /d, gpg_allowlist: [a]}\n", []),
    Case("V031", "tasks", "- git: {repo: r, dest: /d, gpg_whitelist: [a]}\n", [(1, 28)]),
    Case("V032", "tasks", "- file: {path: /x, state: touch}\n", []),
    Case("V032", "tasks", "- file: {path: /x, dest: /y, state: touch}\n", [(1, 20)]),
    # V033 unknown short action name (a warning: a library path may provide it)
    Case("V033", "tasks", "- copy: {src: a, dest: /b}\n- ns.coll.mod: {}\n- action: '{{ m }}'\n- yum: {name: x}\n", []),
    Case("V033", "playbook", "- hosts: all\n  collections: [my.coll]\n  tasks:\n    - my_module: {}\n", []),
    Case("V033", "tasks", "- copyy: {}\n- name: x\n  ansible.legacy.my_module: {}\n", [(1, 3), (3, 3)]),
    # V033 in a project: library/ and action_plugins/ beside the playbook and in its roles, a deprecated _name
    Case("V033", "project", "# file: site.yml\n- hosts: all\n  roles: [web]\n  tasks:\n    - mine: {}\n"
         "    - acted: {}\n    - old: {}\n    - webbed: {}\n# file: library/mine.py\n#\n# file: action_plugins/acted.py\n#\n"
         "# file: library/_old.ps1\n#\n# file: roles/web/tasks/main.yml\n- mine: {}\n"
         "# file: roles/web/library/webbed\n#\n", []),
    Case("V033", "project", "# file: site.yml\n- hosts: all\n  tasks:\n    - mine: {}\n    - minee: {}\n"
         "    - webbed: {}\n# file: library/mine.py\n#\n# file: roles/web/library/webbed.py\n#\n", [(4, 7), (5, 7)]),
    # V034 Jinja syntax, at the line and column of the error inside the string, through every YAML style
    Case("V034", "tasks", "- debug: {msg: \"{{ x | default('a') }}\"}\n  when: x is defined and y == 1\n", []),
    Case("V034", "tasks", "- debug:\n    msg: \"{{ x | default('a' }}\"\n", [(2, 30)]),
    Case("V034", "tasks", "- debug:\n    msg: '{{ x | default(''a'' }}'\n", [(2, 32)]),
    Case("V034", "tasks", "- debug:\n    msg: {{ x | default('a' }}\n", []),  # a flow mapping, not a string
    Case("V034", "tasks", "- debug:\n    msg: a {{ x | default('a' }}\n", [(2, 31)]),
    Case("V034", "tasks", "- debug:\n    msg: \"\\t{{ (x }}\"\n", [(2, 19)]),
    # a delimiter made of an escape, or joined over an escaped line break: no delimiter shows in the file
    Case("V034", "tasks", "- debug:\n    msg: \"\\x7b{ x\"\n", [(2, 11)]),
    Case("V034", "tasks", "- debug:\n    msg: \"a {\\\n      { (x }}\"\n", [(3, 12)]),
    Case("V034", "tasks", "- debug:\n    msg: |\n      ok\n      {{ (x }}\n", [(4, 13)]),
    Case("V034", "tasks", "- debug:\n    msg: >\n      ok\n      {{ (x }}\n", [(4, 13)]),
    Case("V034", "tasks", "- debug:\n    msg: [ok, \"{{ (x }}\"]\n", [(2, 22)]),
    Case("V034", "tasks", "- debug: msg={{x}}\n- command: echo {{ (x }}\n", [(2, 23)]),
    Case("V034", "tasks", "- command: /bin/true\n  changed_when: \"{{ r.rc }} != 0\"\n", [(2, 26)]),
    Case("V034", "tasks", "- assert:\n    that:\n      - x is defined\n      - (x == 1\n", [(4, 15)]),
    Case("V034", "tasks", "- copy:\n    dest: /x\n    content: |\n      {% for l in x %}\n      {{ l }}\n", [(4, 7)]),
    Case("V034", "tasks", "- debug: var=x.\n", [(1, 15)]),
    Case("V034", "tasks", "- debug: msg=x\n  loop: [1]\n  loop_control: {break_when: [\"x ==\"]}\n", [(3, 35)]),
    Case("V034", "tasks", "- debug: msg=x\n  vars: {a: !unsafe \"{{ x\"}\n", []),
    Case("V034", "tasks", "- set_fact:\n    \"{{ k\": 1\n", [(2, 6)]),
    Case("V034", "tasks", "- block: [{debug: msg=x}]\n  when: \"{% if x %}\"\n", [(2, 10)]),
    Case("V034", "playbook", "- hosts: \"{{ group\"\n  tasks: []\n", [(1, 11)]),
    # V035 unknown filter, V036 unknown test: warnings, at the name
    Case("V035", "tasks", "- debug: {msg: \"{{ x | to_json | community.general.json_query('a') | json_query('b') }}\"}\n", []),
    Case("V035", "tasks", "- debug: {msg: \"{{ x | to_jsn }}\"}\n", [(1, 24)]),
    Case("V036", "tasks", "- debug: msg=x\n  when: x is ansible.builtin.defined and x is community.general.a\n", []),
    Case("V036", "tasks", "- debug: msg=x\n  when: x is sucess\n", [(2, 14)]),
    # V037 empty conditional
    Case("V037", "tasks", "- debug: msg=x\n  when: [x, true]\n", []),
    Case("V037", "tasks", "- debug: msg=x\n  when: [x, '  ']\n", [(2, 13)]),
    # V040 a collection that is not installed: once per collection and file, redirects included
    Case("V040", "tasks", "- acme.demo.thing: {name: x}\n- ansible.builtin.ping:\n- my_module: {}\n", []),
    Case("V040", "tasks", "- x.y.a: {}\n- x.y.b: {}\n- ufw: {rule: allow}\n- z.w.c: {}\n", [(1, 3), (3, 3), (4, 3)]),
    Case("V040", "playbook", PLAY + "    - x.y.a: {}\n  handlers:\n    - name: h\n      x.y.b: {}\n", [(3, 7)]),
    Case("V040", "playbook", "- hosts: all\n  collections: [x.y]\n  tasks:\n    - a: {}\n", []),
    # V041 not in the installed collection, or removed there
    Case("V041", "tasks", "- acme.demo.thing: {name: x}\n- acme.demo.win_thing: {path: /x}\n- acme.demo.bare_action:\n"
         "- acme.demo.old_thing: {name: x}\n- acme.demo.undocumented: {a: 1}\n", []),
    Case("V041", "tasks", "- acme.demo.nope: {}\n- action: acme.demo.retired\n", [(1, 3), (2, 3)]),
    # V042 deprecated by the collection's routing
    Case("V042", "tasks", "- acme.demo.thing: {name: x}\n", []),
    Case("V042", "tasks", "- name: old\n  acme.demo.old_thing: {name: x}\n", [(2, 3)]),
    # V003 with the project graph: role handlers and listen topics answer, the role-prefixed name too
    Case("V003", "project", "# file: site.yml\n- hosts: all\n  roles: [web]\n  tasks:\n    - ping:\n"
         "      notify: [restart, 'web : restart', topic]\n# file: roles/web/handlers/main.yml\n"
         "- name: restart\n  ping:\n- ping:\n  listen: topic\n", []),
    Case("V003", "project", "# file: site.yml\n- hosts: all\n  roles: [web]\n  tasks:\n    - ping:\n"
         "      notify: stop\n# file: roles/web/handlers/main.yml\n- name: restart\n  ping:\n", [(5, 7)]),
    Case("V003", "project", "# file: roles/web/tasks/main.yml\n- ping:\n  notify: stop\n# file: site.yml\n"
         "- hosts: all\n  roles: [web]\n# file: roles/web/handlers/main.yml\n- name: restart\n  ping:\n", [(2, 3)]),
    # V050 static references that lead nowhere
    Case("V050", "project", "# file: site.yml\n- hosts: all\n  roles: [web]\n  tasks:\n    - import_tasks: a.yml\n"
         "- import_playbook: other.yml\n# file: a.yml\n- ping:\n# file: other.yml\n- hosts: all\n"
         "# file: roles/web/tasks/main.yml\n- import_role: {name: web, tasks_from: main}\n", []),
    Case("V050", "project", "# file: site.yml\n- hosts: all\n  roles:\n    - web\n    - role: db\n  tasks:\n"
         "    - import_tasks: a.yml\n    - import_role:\n        name: web\n        tasks_from: setup\n"
         "- import_playbook: other.yml\n# file: roles/web/tasks/main.yml\n- ping:\n",
         [(4, 7), (6, 7), (9, 9), (10, 3)]),
    # V051 dynamic includes of literal names that lead nowhere
    Case("V051", "project", "# file: site.yml\n- hosts: all\n  tasks:\n    - include_tasks: a.yml\n"
         "    - include_tasks: '{{ x }}.yml'\n    - include_role: {name: '{{ r }}'}\n# file: a.yml\n- ping:\n", []),
    Case("V051", "project", "# file: site.yml\n- hosts: all\n  tasks:\n    - include_tasks: a.yml\n"
         "    - include_tasks: b.yml\n      when: x\n    - include_role:\n        name: web\n", [(3, 7), (4, 7), (7, 9)]),
    # V052 vars files that lead nowhere
    Case("V052", "project", "# file: site.yml\n- hosts: all\n  vars_files: [vars/a.yml, [b.yml, c.yml]]\n"
         "# file: vars/a.yml\nx: 1\n# file: c.yml\ny: 2\n", []),
    Case("V052", "project", "# file: site.yml\n- hosts: all\n  vars_files:\n    - a.yml\n    - [b.yml, c.yml]\n",
         [(3, 7), (4, 7)]),
    # V053 two handlers with one name in a play
    Case("V053", "project", "# file: site.yml\n- hosts: all\n  roles: [web]\n  handlers:\n    - name: h\n      ping:\n"
         "# file: roles/web/handlers/main.yml\n- name: g\n  ping:\n", []),
    Case("V053", "project", "# file: site.yml\n- hosts: all\n  roles: [web]\n  handlers:\n    - name: h\n      ping:\n"
         "    - name: h\n      ping:\n# file: roles/web/handlers/main.yml\n- name: h\n  ping:\n", [(4, 7), (6, 7)]),
    # V054 a role's argument specs reject what a reference gives it
    Case("V054", "project", "# file: site.yml\n- hosts: all\n  roles:\n    - role: web\n      web_port: '8080'\n"
         "      m: a\n      when: x\n      vars: {other: 1, mode: b}\n  tasks:\n"
         "    - include_role: {name: web, tasks_from: main}\n      vars: {web_port: '{{ p }}'}\n"
         "    - import_role: {name: web, rolespec_validate: false}\n      vars: {web_port: x}\n" + _WEB_SPECS, []),
    Case("V054", "project", "# file: site.yml\n- hosts: all\n  roles:\n    - role: web\n      web_port: eighty\n"
         "      web_prot: 1\n      vars: {mode: c}\n  tasks:\n    - include_role: {name: web, tasks_from: setup}\n"
         "      vars: {anything: 1}\n    - import_role: {name: web}\n      vars: {mode: c}\n" + _WEB_SPECS,
         [(4, 7), (5, 7), (6, 14), (11, 7)]),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.code}-{c.kind}-{'bad' if c.expected else 'good'}")
def test_case(case: Case) -> None:
    assert positions(case.text, case.kind, case.code) == case.expected


def test_every_check_has_a_bad_and_a_good_case() -> None:
    for module in CHECK_MODULES:
        mine = [c for c in CASES if c.code == module.CODE]
        assert any(c.expected for c in mine), module.CODE
        assert any(not c.expected for c in mine), module.CODE


# -- the registry and the module contract ------------------------------------------------------


def test_check_modules_match_the_registry() -> None:
    codes = [m.CODE for m in CHECK_MODULES]
    assert len(set(codes)) == len(codes)
    assert codes == sorted(codes)
    assert set(codes) == {code for code in RULES if code.startswith("V")}
    assert checks.get("V001") is CHECK_MODULES[0]
    with pytest.raises(ValueError, match="no such check"):
        checks.get("V999")


@pytest.mark.parametrize("module", CHECK_MODULES, ids=lambda m: m.CODE)
def test_docstring_examples(module: object) -> None:
    """Each check's PASS examples give no diagnostic at all, its FAIL examples one of its code."""
    found = examples(module)  # type: ignore[arg-type]
    assert {e.verdict for e in found} == {"PASS", "FAIL"}
    installed = module.CODE in INSTALLED_CODES  # type: ignore[attr-defined]
    for example in found:
        if example.kind == "project":
            with tempfile.TemporaryDirectory() as folder:
                write_tree(example.text, Path(folder))
                diagnostics = tuple(validate_tree(Path(folder)))
        else:
            diagnostics = validated(example.text, example.kind, installed)
        if example.verdict == "PASS":
            assert diagnostics == (), example.text
        else:
            assert any(d.code == module.CODE for d in diagnostics), example.text  # type: ignore[attr-defined]


# -- golden fixtures (check-jsonschema style: discovered by listing) ---------------------------


def _cases(kind: str) -> list[Path]:
    return sorted((FIXTURES / kind).glob("*/*.yml"))


def _parsable(diagnostic: Diagnostic, path: Path) -> str:
    where = f"{path.relative_to(REPO).as_posix()}:{diagnostic.line}:{diagnostic.col}"
    return f"{where}: {diagnostic.code} {diagnostic.message}"


def _validated_file(path: Path, installed: bool = False) -> tuple[Diagnostic, ...]:
    document = read_document(path)
    return run_checks(build(document, cast("FileKind", path.parent.name)), installed, document)


@pytest.mark.parametrize("path", _cases("negative"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_negative_fixture(path: Path) -> None:
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    got = [_parsable(d, path) for d in _validated_file(path, installed=True)]
    assert got == expected


@pytest.mark.parametrize("path", _cases("positive"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_positive_fixture(path: Path) -> None:
    assert _validated_file(path) == ()


def _projects() -> list[Path]:
    return sorted(path for path in (FIXTURES / "project").iterdir() if path.is_dir())


@pytest.mark.parametrize("root", _projects(), ids=lambda p: p.name)
def test_project_fixture(root: Path) -> None:
    """A tree validated as one project (``shep validate DIR``): every diagnostic of every file,
    in ``expected`` (``path:line:col: severity CODE message``, paths relative to the tree)."""
    expected = (root / "expected").read_text(encoding="utf-8").splitlines()
    got = [f"{d.path}:{d.line}:{d.col}: {d.severity} {d.code} {d.message}" for d in validate_tree(root)]
    assert got == expected


def test_fixtures_cover_every_check() -> None:
    flagged = {line.split(": ", 1)[1].split(" ", 1)[0]
               for expected in (FIXTURES / "negative").glob("*/*.expected")
               for line in expected.read_text(encoding="utf-8").splitlines()}
    flagged |= {line.split(": ", 1)[1].split(" ")[1]  # path:line:col: severity CODE message
                for expected in (FIXTURES / "project").glob("*/expected")
                for line in expected.read_text(encoding="utf-8").splitlines()}
    assert {m.CODE for m in CHECK_MODULES} <= flagged


# -- details -----------------------------------------------------------------------------------


def test_notify_with_roles_is_informational() -> None:
    text = "- hosts: all\n  roles: [web]\n  tasks:\n    - ping:\n      notify: restart web\n"
    [diagnostic] = [d for d in run_checks(parse(text, "playbook")) if d.code == "V003"]
    assert diagnostic.severity is Severity.INFO
    assert diagnostic.hint is not None and "roles" in diagnostic.hint


def test_with_then_loop_is_a_warning() -> None:
    text = "- debug: var=item\n  with_items: [1]\n  loop: [2]\n"
    [diagnostic] = [d for d in run_checks(parse(text, "tasks")) if d.code == "V005"]
    assert diagnostic.severity is Severity.WARNING


def test_unknown_keyword_hints() -> None:
    [when] = [d for d in run_checks(parse("- hosts: all\n  when: x\n", "playbook")) if d.code == "V001"]
    assert when.hint is not None and "import_playbook" in when.hint
    [typo] = [d for d in run_checks(parse("- block: [ping: ]\n  becom: true\n", "tasks")) if d.code == "V001"]
    assert typo.message == "'becom' is not a valid attribute for a Block"
    assert typo.hint == "did you mean 'become'?"


def test_span_is_the_key() -> None:
    [d] = [d for d in run_checks(parse("- ping:\n  retries: lots\n", "tasks")) if d.code == "V014"]
    assert (d.span.line, d.span.col, d.span.end_line, d.span.end_col) == (2, 3, 2, 10)


# -- robustness: any content, any value type -----------------------------------------------------

_NAMES = sorted(set(KEYWORDS) | {"debug", "ansible.builtin.include_tasks", "import_role", "include_role", "meta",
                                 "with_items", "with_list", "local_action", "static", "include", "import_playbook"})
_json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-2, 2), st.sampled_from([0.5, 2.0]),
              st.sampled_from(["", "x", "a b", "{{ x }}", "end_role", "yes", "1.5", "a-b", "30%"])),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(_NAMES + ["name", "file"]), inner,
                                                                max_size=3),
    max_leaves=8,
)
_items = st.dictionaries(st.sampled_from(_NAMES), _json_values, max_size=5)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(["tasks", "handlers", "playbook"]), items=st.lists(_items, min_size=1, max_size=3))
def test_checks_never_raise(kind: str, items: list[dict[str, object]]) -> None:
    """Whatever the content, every check returns diagnostics (never an exception)."""
    for diagnostic in run_checks(parse(json.dumps(items), cast("FileKind", kind))):
        assert diagnostic.line >= 1 and diagnostic.col >= 1 and diagnostic.code in RULES


@pytest.mark.parametrize("keys", list(__import__("itertools").permutations(
    ["import_playbook", "ansible.builtin.import_playbook", "name"])) + [
    ("ansible.legacy.import_playbook", "import_playbook"), ("import_playbook", "ansible.legacy.import_playbook")])
def test_conflicting_import_playbook_in_any_key_order(keys: tuple[str, ...]) -> None:
    """ansible-core reports the conflict whichever spelling comes first, once per entry."""
    text = "- " + "\n  ".join(f"{key}: x.yml" if key != "name" else "name: n" for key in keys) + "\n"
    imports = sorted(key for key in keys if key != "name")
    found = [d for d in run_checks(parse(text, "playbook")) if d.severity is Severity.ERROR]
    assert [(d.code, d.message) for d in found] == [
        ("V001", f"Found conflicting import_playbook actions: {', '.join(imports)}")]


@pytest.mark.parametrize(("text", "severity"), [
    ("- debug: msg=a b\n", Severity.ERROR),
    ("- ansible.builtin.copy: /etc/motd\n", Severity.ERROR),
    ("- ansible.legacy.debug: msg=a b\n", Severity.ERROR),
    ("- action: copy x\n", Severity.ERROR),
    ("- foo: free text\n", Severity.WARNING),  # may be missing, or take free text through its action plugin
    ("- community.general.thing: free text\n", Severity.WARNING),
    ("- ansible.legacy.foo: free text\n", Severity.WARNING),
])
def test_raw_params_certain_only_for_shipped_actions(text: str, severity: Severity) -> None:
    [found] = [d for d in run_checks(parse(text, "tasks")) if d.code == "V004"]
    assert found.severity is severity


@pytest.mark.parametrize(("text", "severity"), [
    ("- name: h\n  meta: flush_handlers\n", Severity.ERROR),
    ("- name: h\n  meta: flush_handlers\n  when: x\n", Severity.WARNING),
    ("- block:\n    - name: h\n      meta: flush_handlers\n  when: x\n", Severity.WARNING),
])
def test_flush_handlers_in_handler_certain_only_without_a_condition(text: str, severity: Severity) -> None:
    [found] = [d for d in run_checks(parse(text, "handlers")) if d.code == "V020"]
    assert found.severity is severity


def test_checks_share_only_their_helpers_and_keep_no_state() -> None:
    """A check imports shared helpers (checks/_*.py), never another check; nothing in validate/ keeps
    module state between models (``global``): what checks share lives on the ModelWalk."""
    import ast

    root = Path(__file__).resolve().parents[3] / "src" / "shep" / "validate"
    check_names = {module.__name__ for module in CHECK_MODULES}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert not any(isinstance(node, ast.Global) for node in ast.walk(tree)), f"{path}: `global`"
        if path.parent.name != "checks" or path.name.startswith("_"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module not in check_names, f"{path.name} imports the check {node.module}"
                if node.module == "shep.validate.checks":
                    assert not {a.name for a in node.names} & {m.rsplit(".", 1)[-1] for m in check_names}, path
