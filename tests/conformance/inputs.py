"""The buffers the readers are checked on: golden fixtures, a corpus sample and synthetic edge cases.

Every buffer except the golden ones is written by the `shep ... dump --format fbs -o X` command line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import CORPUS, FIXTURES
from tests.differential.oracle_compare import read_jsonl

CORPUS_SAMPLE = 60
GOLDEN_KINDS = {"_playbook": "playbook", "_tasks": "tasks", "_handlers": "handlers"}


@dataclass(frozen=True)
class Source:
    """A YAML file to dump, or a golden buffer (``buffer`` set, ``version`` its schema version)."""

    id: str
    kind: str  # playbook | tasks | handlers
    yaml: Path | None = None
    buffer: Path | None = None
    version: int | None = None


# -- golden buffers ------------------------------------------------------------------------------------


def golden() -> list[Source]:
    out = []
    for buffer in sorted((FIXTURES / "fbs").glob("v*/*.shep")):
        version = int(buffer.parent.name[1:])
        kind = next(k for suffix, k in GOLDEN_KINDS.items() if buffer.stem.endswith(suffix))
        out.append(Source(f"golden-v{version}-{buffer.stem}", kind, buffer=buffer, version=version))
    return out


# -- the shared corpus -----------------------------------------------------------------------------------


def corpus_sample() -> list[Source]:
    """CORPUS_SAMPLE files spread evenly over the manifest (sorted by repo and path): deterministic."""
    manifest = CORPUS / "manifest.jsonl"
    if not manifest.is_file():
        return []
    entries = list(read_jsonl(manifest))
    picked = sorted({round(i * (len(entries) - 1) / (CORPUS_SAMPLE - 1)) for i in range(CORPUS_SAMPLE)})
    out = []
    for index in picked:
        entry = entries[index]
        out.append(Source(f"corpus-{index:03d}-{Path(entry['path']).stem}", entry["kind"],
                          yaml=CORPUS / entry["repo"] / entry["path"]))
    return out


# -- synthetic edge cases ----------------------------------------------------------------------------------


def nested_blocks(depth: int) -> str:
    lines = []
    for level in range(1, depth + 1):
        pad = "    " * (level - 1)
        lines += [f"{pad}- name: level {level}", f"{pad}  when: depth > {level}", f"{pad}  block:"]
    pad = "    " * depth
    lines += [f"{pad}- name: leaf", f"{pad}  debug: msg=leaf", f"{pad}  tags: [leaf]"]
    return "\n".join(lines) + "\n"


def nested_lists(depth: int) -> str:
    return "- name: deep value\n  debug: msg=x\n  vars:\n    deep: " + "[" * depth + "1" + "]" * depth + "\n"


VALUES = r"""
- name: every value type
  debug:
    zero: 0
    one: 1
    negative: -17
    int64_max: 9223372036854775807
    int64_min: -9223372036854775808
    past_int64_max: 9223372036854775808
    past_int64_min: -9223372036854775809
    two_to_64: 18446744073709551616
    minus_two_to_71: -2361183241434822606848
    huge: 123456789012345678901234567890123456789012345678901234567890
    negative_huge: -0x1fffffffffffffffffffffffffffffff
    octal: 0644
    hex: 0xff
    binary_int: 0b1010
    sexagesimal_int: 1:30
    half: 0.5
    tenth: 0.1
    sum: 0.30000000000000004
    negative_zero: -0.0
    positive_zero: 0.0
    inf: .inf
    minus_inf: -.Inf
    nan: .NaN
    big_float: 1.0e+300
    max_float: 1.7976931348623157e+308
    min_normal: 2.2250738585072014e-308
    min_subnormal: 5.0e-324
    ten_to_21: 1.0e+21
    integral_float: 3.0
    sexagesimal_float: 1:30.5
    yes_bool: yes
    off_bool: off
    true_bool: true
    tilde: ~
    null_word: null
    empty_value:
    string: plain text
    empty_string: ""
    unicode: "üñíçødé ✓ 😀 中文"
    controls: "tab\there\nnewline \x01 \x1f \x7f nul\0end"
    quotes: "say \"hi\" \\ back\\slash / slash"
    unsafe: !unsafe "{{ not templated }}"
    empty_unsafe: !unsafe ""
    vault: !vault |
      $ANSIBLE_VAULT;1.1;AES256
      3161626364
    binary: !!binary aGVsbG8gd29ybGQ=
    empty_binary: !!binary ""
    date: 2024-02-29
    datetime_naive: 2001-12-14 21:59:43.10
    datetime_utc: 2001-12-14t21:59:43.10Z
    datetime_offset: 2001-12-14 21:59:43 -05:00
    datetime_half_hour: 2001-12-14T21:59:43.123456+05:30
    empty_list: []
    empty_map: {}
    list: [1, two, 3.0, null, [nested]]
  vars:
    1: int key
    -2: negative int key
    99999999999999999999999: big int key
    1.5: float key
    true: bool key
    no: another bool key
    ~: null key
    2024-01-01: date key
    2024-01-01 10:00:00: datetime key
    !unsafe unsafe_key: unsafe key
    "": empty string key
    plain: string key
    empty_list: []
    empty_map: {}
    empty_string: ""
  when: ""
  tags: []
  environment: {}
- name: ""
  debug: {}
- debug:
"""

KEYWORDS = r"""
- name: every task keyword
  command: /bin/true
  async: 45
  poll: 0
  become: yes
  become_user: root
  become_method: sudo
  become_exe: sudo
  become_flags: -H
  loop: "{{ items }}"
  loop_control: {loop_var: item, label: "{{ item }}"}
  register: result
  debugger: on_failed
  when: result is defined
  notify: [restart web, reload]
  until: result is success
  retries: 3
  delay: 1
  changed_when: false
  failed_when: result.rc > 1
  ignore_errors: true
  ignore_unreachable: false
  any_errors_fatal: true
  check_mode: no
  diff: yes
  connection: local
  environment: {PATH: /bin}
  module_defaults: {ansible.builtin.file: {mode: "0644"}}
  no_log: true
  port: 2222
  remote_user: admin
  run_once: true
  tags: [a, b]
  throttle: 2
  timeout: 30
  vars: {x: 1}
  collections: [community.general]
  delegate_to: localhost
  delegate_facts: true
- name: static include
  include_tasks: other.yml
  static: yes
- name: unsafe module key
  !unsafe copy: src=a dest=b
- name: unsafe free-form
  shell: !unsafe "echo {{ x }}"
- name: with_items
  debug: msg="{{ item }}"
  with_items: [1, 2]
- name: unsafe with_ lookup
  debug: msg=x
  !unsafe with_items: [3]
- local_action: shell echo local
- name: templated args
  command: echo
  args: "{{ my_args }}"
- name: action key
  action: ping data=pong
- name: listen on a task
  debug: msg=x
  listen: topic
- block:
    - debug: msg=in block
  rescue:
    - debug: msg=in rescue
  always:
    - debug: msg=in always
  become: true
  when: flag
  debugger: never
"""

PLAYBOOK = r"""
- name: play keywords
  hosts: all
  become: true
  become_user: root
  debugger: always
  when: run_it
  gather_facts: false
  gather_subset: [min]
  gather_timeout: 10
  fact_path: /etc/facts
  force_handlers: true
  max_fail_percentage: 30
  order: sorted
  serial: [1, "50%"]
  strategy: free
  roles: [common, {role: web, vars: {port: 8080}}]
  vars_files: [vars.yml]
  vars_prompt: [{name: pw, private: true}]
  delegate_to: localhost
  custom_key: extra
  pre_tasks:
    - ping:
      async: 5
      register: r
  tasks:
    - block:
        - debug: msg=x
          notify: h
      rescue:
        - debug: msg=y
    - name: loop
      debug: msg="{{ item }}"
      loop: [1, 2]
      until: false
  post_tasks:
    - meta: flush_handlers
  handlers:
    - name: h
      debug: msg=handled
      listen: all
- hosts: db
  user: root
  remote_user: admin
- !unsafe import_playbook: other.yml
  when: run_other
- ansible.builtin.import_playbook: "{{ dynamic }}.yml"
  vars: {x: 1}
- import_playbook:
"""

ALIASES = r"""
- name: shared values
  debug:
    msg: &msg hello
    list: &list [1, {a: &inner {x: 1, y: [2, 3]}}]
    again: *list
    inner: *inner
    text: *msg
  vars: &vars {a: *list, b: *inner, c: *list, d: *inner}
  environment: *inner
  loop: *list
  when: &cond [a, b]
  tags: *cond
- name: shared again
  debug: *inner
  vars: *vars
  notify: *cond
- name: merge keys
  debug:
    <<: *inner
    z: 3
  vars:
    <<: [*inner, {w: 4}]
"""

MALFORMED = r"""
- just a string
- 42
- [a, list]
- ~
- {}
- name: two actions
  copy: src=a dest=b
  shell: echo conflict
- name: unknown keys
  debug: msg=x
  not_a_keyword: 1
- name: bad keyword value
  debug: msg=x
  become: maybe
  when: {a: 1}
- name: no action
"""

HANDLERS = r"""
- name: restart web
  service: name=web state=restarted
  listen: web
- name: reload
  command: reload
  notify: [restart web]
- block:
    - debug: msg=handler block
"""

NON_UTF8_YAML = "- name: in a file whose name is not UTF-8\n  debug: msg=x\n- bad: [\n"


def many_tasks(count: int) -> str:
    lines = []
    for i in range(count):
        lines += [f"- name: task {i}", f"  command: echo {i}", f"  when: n > {i}"]
        if i % 3 == 0:
            lines += ["  tags: [many]", f"  vars: {{i: {i}, f: {i}.5}}"]
        if i % 100 == 0:
            lines += ["  block_like: not a keyword"]
    return "\n".join(lines) + "\n"


# id -> (kind, file name, text)
SYNTHETIC: dict[str, tuple[str, str, str | Callable[[], str]]] = {
    "edge-blocks-10-deep": ("tasks", "blocks10.yml", lambda: nested_blocks(10)),
    "edge-blocks-40-deep": ("tasks", "blocks40.yml", lambda: nested_blocks(40)),
    "edge-list-45-deep": ("tasks", "list45.yml", lambda: nested_lists(45)),
    "edge-values": ("tasks", "values.yml", VALUES),
    "edge-task-keywords": ("tasks", "keywords.yml", KEYWORDS),
    "edge-playbook": ("playbook", "playbook.yml", PLAYBOOK),
    "edge-aliases": ("tasks", "aliases.yml", ALIASES),
    "edge-malformed": ("tasks", "malformed.yml", MALFORMED),
    "edge-handlers": ("handlers", "handlers.yml", HANDLERS),
    "edge-empty-tasks": ("tasks", "empty_tasks.yml", "[]\n"),
    "edge-empty-playbook": ("playbook", "empty_playbook.yml", "[]\n"),
    "edge-3000-tasks": ("tasks", "many.yml", lambda: many_tasks(3000)),
    "edge-non-utf8-file-name": ("tasks", "", NON_UTF8_YAML),  # named by non_utf8_name()
}
NON_UTF8_NAME = b"caf\xe9-\xff-tasks.yml"


class CannotCreate(Exception):
    """The file system refused a file name (the case skips with this reason)."""


def write_synthetic(case_id: str, directory: Path) -> Path:
    kind, name, text = SYNTHETIC[case_id]
    body = text() if callable(text) else text
    if case_id == "edge-non-utf8-file-name":
        raw = os.fsencode(directory) + b"/" + NON_UTF8_NAME
        try:
            with open(raw, "wb") as handle:
                handle.write(body.encode())
        except (OSError, UnicodeError) as exc:
            raise CannotCreate(f"cannot create a file named {NON_UTF8_NAME!r} here: {exc}") from None
        return Path(os.fsdecode(raw))
    path = directory / name
    path.write_text(body, encoding="utf-8")
    return path


# -- models built in Python -----------------------------------------------------------------------------
#
# Lone surrogates cannot come from YAML through shep's loader (libyaml rejects a "\ud800" escape: Y001),
# but a model built by a program can hold them, and to_flatbuffers accepts it. These cases are written
# with the library, not the command line.


def _surrogate_model(in_strings: bool) -> object:
    from shep.diagnostics import Diagnostic, Severity, Span
    from shep.loader.values import Unsafe, Vault
    from shep.model import Task, TaskFile

    span = Span(1, 3, 1, 9)
    values = {"k\ud800": "v\udfff", "pair": "\ud83d\ude00", "unsafe": Unsafe("u\ud801"), "vault": Vault("\udc80"),
              "list": ["\udbff", Unsafe("\ud800")], Unsafe("key \ud800"): 1}
    task = Task(path="model.yml", span=span, doc_path="tasks[0]",
                key_spans=(("name", span), ("debug", span), ("vars", span), ("when", span)),
                name="lone \ud800", action="debug", action_key="debug", args={"msg": "m\udfff", "k\udc00": 2},
                vars=values, when=["x == '\ud800'"], extra={"extra \ud800": 1})
    diagnostics: tuple[Diagnostic, ...] = ()
    if in_strings:  # the typed `string` fields of Task and Diagnostic
        task = Task(path="model.yml", span=span, doc_path="tasks[0]",
                    key_spans=(("name", span), ("shell", span), ("key \ud800", span)),
                    name="n", action="shell", action_key="shell", free_form_args="echo \ud800",
                    error="error about \udfff", extra={"key \ud800": 1})
        diagnostics = (Diagnostic(code="X001", name="example", severity=Severity.WARNING, message="says \ud800",
                                  path="model.yml", span=span, hint="hint \udfff"),)
    return TaskFile(path="model.yml", tasks=(task,), diagnostics=diagnostics)


MODELS: dict[str, Callable[[], object]] = {
    "model-surrogates-in-values": lambda: _surrogate_model(in_strings=False),
    "model-surrogates-in-strings": lambda: _surrogate_model(in_strings=True),
}


def write_model(case_id: str, out: Path) -> None:
    from shep.serialize.fbs import to_flatbuffers

    out.write_bytes(to_flatbuffers(MODELS[case_id]()))  # type: ignore[arg-type]


def all_sources() -> list[Source]:
    synthetic = [Source(case_id, kind) for case_id, (kind, _, _) in SYNTHETIC.items()]
    models = [Source(case_id, "tasks") for case_id in MODELS]
    return golden() + corpus_sample() + synthetic + models


# -- dumping with the command line ------------------------------------------------------------------------


def dump_command(kind: str, source: Path, out: Path, fmt: str = "fbs") -> list[str | bytes]:
    src = os.fsencode(source)  # bytes: a file name that is not UTF-8 reaches shep unchanged
    shep = [sys.executable, "-m", "shep"]
    if kind == "playbook":
        return [*shep, "playbook", "dump", src, "--format", fmt, "-o", str(out)]
    command = "task" if kind == "tasks" else "handlers"
    return [*shep, command, "dump", "-f", src, "--format", fmt, "-o", str(out)]


@dataclass
class Dumped:
    buffer: Path | None
    returncode: int
    stderr: str


def dump_all(jobs: dict[str, tuple[str, Path, Path]]) -> dict[str, Dumped]:
    """Run the dumps in parallel: case id -> (kind, source, output)."""

    def one(item: tuple[str, tuple[str, Path, Path]]) -> tuple[str, Dumped]:
        case_id, (kind, source, out) = item
        result = subprocess.run(dump_command(kind, source, out), capture_output=True, timeout=300, check=False)
        ok = result.returncode in (0, 1) and out.is_file()  # 1: written, and the file has errors
        return case_id, Dumped(out if ok else None, result.returncode, result.stderr.decode(errors="replace"))

    with ThreadPoolExecutor(max_workers=max(2, min(8, os.cpu_count() or 2))) as pool:
        return dict(pool.map(one, jobs.items()))
