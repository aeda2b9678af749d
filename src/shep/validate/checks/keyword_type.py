"""Flags keyword values of a type ansible-core rejects or cannot convert.

Each keyword accepts the values ansible-core 2.19 converts without error (``become: yes``,
``retries: "3"``, ``delay: 0.5``, ``tags: a,b``, ``name:`` left empty, any template
``"{{ x }}"`` where a bool or number is expected); the table is in ``shep.validate.schema`` and
is the one the JSON Schemas are generated from. Messages are ansible-core's: some it gives when
it loads the file ("The field 'name' is supposed to be a string type…", "tags must be specified
as a list", "Vars in a Play must be specified as a dictionary.", "Hosts list cannot be empty…"),
the others when the task runs ("…could not be converted to 'bool'.", "Conditional expressions
must be strings."). Covers play, block, task, handler, import_playbook and loop_control keywords.

PASS (playbook)::

    - hosts: all
      become: yes
      tasks:
        - ansible.builtin.command: /bin/true
          retries: "{{ tries }}"
          delay: 0.5
          tags: [setup, 1]
          when: ready

FAIL (playbook)::

    - hosts: []
      become: maybe
      tasks:
        - ansible.builtin.command: /bin/true
          retries: three
          when: {ready: true}
          tags: {setup: true}
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.keywords import (
    BLOCK_KEYWORDS,
    HANDLER_KEYWORDS,
    IMPORT_PLAYBOOK_ACTIONS,
    IMPORT_PLAYBOOK_KEYWORDS,
    KEYWORDS,
    LOOP_PREFIX,
    PLAY_KEYWORDS,
    ROLE_ENTRY_KEYWORDS,
    TASK_KEYWORDS,
    Type,
)
from shep.model import Model, Play, Task
from shep.validate.checks._common import Visit, ansible_class, diagnostic, value_of, walk
from shep.validate.schema import TYPE_CODE, always_accepted, keyword_problems

CODE = TYPE_CODE

# A ``roles:`` entry is loaded (RoleInclude) but never post-validated: ansible-core checks only its
# string keywords, vars, tags, collections and module_defaults, when it loads the play. Its bools and
# numbers reach the role's tasks and fail there, if the role exists and has tasks: not judged here.
# ``role`` (and ``name`` without ``role``) is the role's name, which the ``roles`` rule checks.
ROLE_ENTRY_LOAD_CHECKED = frozenset(
    {k for k in ROLE_ENTRY_KEYWORDS if KEYWORDS[k].type is Type.STR} | {"vars", "tags", "collections", "module_defaults"}
) - {"role"}


def keywords_of(obj: Task | Play) -> frozenset[str]:
    """The keywords whose values are checked in this context."""
    if isinstance(obj, Play):
        return IMPORT_PLAYBOOK_KEYWORDS if obj.is_import else PLAY_KEYWORDS
    if obj.is_block:
        return BLOCK_KEYWORDS
    return HANDLER_KEYWORDS if obj.is_handler else TASK_KEYWORDS


def problems(obj: Task | Play) -> list[tuple[str, str, str]]:
    """(key, code, message) for every keyword value of ``obj`` that breaks a rule."""
    play = obj if isinstance(obj, Play) else None
    valid = keywords_of(obj)
    owner = ""  # ansible's class name, for messages: looked up at the first value to check
    found: list[tuple[str, str, str]] = []
    for key, _span in obj.key_spans:
        if play is not None and key in IMPORT_PLAYBOOK_ACTIONS:
            keyword, value = "import_playbook", play.import_playbook
        elif key in valid:  # before value_of: module names and with_* keys are no keywords here
            keyword, value = key, value_of(obj, key)
        else:
            continue
        if keyword not in valid or type(value) in always_accepted(keyword):  # most values: nothing to find
            continue
        if keyword == "loop" and _after_a_with_key(obj, key):
            continue  # ansible-core keeps the with_* lookup and passes it this value as its terms
        owner = owner or ansible_class(obj)
        for code, message in keyword_problems(keyword, value, owner):
            found.append((key, code, message))
    if play is not None and isinstance(play.roles, list):
        found.extend(("roles", code, message) for entry in play.roles for code, message in _role_entry_problems(entry))
    return found


def _role_entry_problems(entry: object) -> list[tuple[str, str]]:
    """(code, message) for the keyword values of one ``roles:`` entry that ansible-core rejects on load."""
    if not isinstance(entry, dict):
        return []
    found = []
    for key, value in entry.items():
        if key not in ROLE_ENTRY_LOAD_CHECKED or (key == "name" and "role" not in entry):
            continue
        if key == "tags" and isinstance(value, (list, str)):
            continue  # RoleInclude's _load_tags takes any list or string; its items are never checked
        found.extend(keyword_problems(key, value, "RoleInclude"))
    return found


def _after_a_with_key(obj: Task | Play, key: str) -> bool:
    for name, _span in obj.key_spans:
        if name == key:
            return False
        if name.startswith(LOOP_PREFIX):
            return True
    return False


# V014 and V015 share one pass over the values of a model: the last model's findings are kept.
_last: tuple[Model | None, list[tuple[Visit, str, str, str]]] = (None, [])


def model_problems(model: Model, code: str) -> Iterator[tuple[Visit, str, str]]:
    """(visit, key, message) for every keyword value in ``model`` breaking a rule of ``code``."""
    global _last
    if _last[0] is not model:
        _last = (model, [(visit, *p) for visit in walk(model) for p in problems(visit.obj)])
    return ((visit, key, message) for visit, key, found, message in _last[1] if found == code)


def check(model: Model) -> Iterator[Diagnostic]:
    for visit, key, message in model_problems(model, CODE):
        yield diagnostic(CODE, message, visit.obj, key)
