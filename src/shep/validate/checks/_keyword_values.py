"""The keyword values of a model that break a rule of shep.validate.keyword_rules: found in one pass,
read by V014 (keyword types) and V015 (variable names) through ``ModelWalk.shared``."""

from __future__ import annotations

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
from shep.model import Play, Task
from shep.validate.checks._common import ModelWalk, Visit, ansible_class, value_of
from shep.validate.keyword_rules import Finding, always_accepted, keyword_problems

# A ``roles:`` entry is loaded (RoleInclude) but never post-validated: ansible-core checks only its
# string keywords, vars, tags, collections and module_defaults, when it loads the play. Its bools and
# numbers reach the role's tasks and fail there, if the role exists and has tasks: not judged here.
# ``role`` (and ``name`` without ``role``) is the role's name, which the ``roles`` rule checks.
ROLE_ENTRY_LOAD_CHECKED = frozenset(
    {k for k in ROLE_ENTRY_KEYWORDS if KEYWORDS[k].type is Type.STR}
    | {"vars", "tags", "collections", "module_defaults"}
) - {"role"}


def keywords_of(obj: Task | Play) -> frozenset[str]:
    """The keywords whose values are checked in this context."""
    if isinstance(obj, Play):
        return IMPORT_PLAYBOOK_KEYWORDS if obj.is_import else PLAY_KEYWORDS
    if obj.is_block:
        return BLOCK_KEYWORDS
    return HANDLER_KEYWORDS if obj.is_handler else TASK_KEYWORDS


def problems(obj: Task | Play) -> list[tuple[str, Finding, str]]:
    """(key, finding, message) for every keyword value of ``obj`` that breaks a rule."""
    play = obj if isinstance(obj, Play) else None
    valid = keywords_of(obj)
    owner = ""  # ansible's class name, for messages: looked up at the first value to check
    found: list[tuple[str, Finding, str]] = []
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
        for finding, message in keyword_problems(keyword, value, owner):
            found.append((key, finding, message))
    if play is not None and isinstance(play.roles, list):
        found.extend(("roles", finding, message)
                     for entry in play.roles for finding, message in _role_entry_problems(entry))
    return found


def _role_entry_problems(entry: object) -> list[tuple[Finding, str]]:
    """(finding, message) for the keyword values of one ``roles:`` entry that ansible-core rejects on load."""
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


def keyword_value_problems(walk: ModelWalk) -> list[tuple[Visit, str, Finding, str]]:
    """(visit, key, finding, message) for every keyword value in the walked model that breaks a rule."""
    return [(visit, *found) for visit in walk.visits for found in problems(visit.obj)]
