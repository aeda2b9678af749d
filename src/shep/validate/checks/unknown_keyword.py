"""Flags keys that are not keywords of their context: a block, play, import_playbook entry or include.

In a task every unknown key is taken as the module name (a second one is D001), so this check
covers the contexts where ansible-core instead rejects the key with "'foo' is not a valid
attribute for a Block": blocks, plays (``when:`` on a play, an old playbook-level ``include:``),
``import_playbook`` entries, the removed ``static`` task keyword, and the restricted keyword set
of the dynamic ``include_tasks``/``include_role`` (``become``, ``delegate_to``… must go under
``apply:`` there). ``listen`` on a task is V002; keys inside ``loop_control`` are V014.

PASS (playbook)::

    - hosts: all
      tasks:
        - block:
            - ansible.builtin.debug:
                msg: hi
          when: ready

FAIL (playbook)::

    - hosts: all
      when: ready
      tasks:
        - block:
            - ansible.builtin.debug:
                msg: hi
          loop: [1, 2]
        - ansible.builtin.include_tasks: more.yml
          become: true
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.keywords import (
    BLOCK_KEYWORDS,
    DYNAMIC_INCLUDE_ACTIONS,
    IMPORT_PLAYBOOK_ACTIONS,
    IMPORT_PLAYBOOK_KEYWORDS,
    INCLUDE_ROLE_ACTIONS,
    LOOP_PREFIX,
    PLAY_KEYWORDS,
)
from shep.model import Play, Task
from shep.validate.checks._common import ModelWalk, ansible_class

CODE = "V001"

# ansible-core's TaskInclude.VALID_INCLUDE_KEYWORDS (HandlerTaskInclude adds ``listen``).
INCLUDE_KEYWORDS = frozenset({
    "action", "args", "collections", "debugger", "ignore_errors", "loop", "loop_control", "loop_with", "name",
    "no_log", "register", "run_once", "tags", "timeout", "vars", "when",
})

_HINTS = {
    ("Play", "when"): "a play has no `when`: put the condition on its tasks or blocks, or on an import_playbook",
    ("Play", "include"): "playbook-level `include` was removed: use `import_playbook`",
    ("Task", "static"): "`static` was removed: use import_tasks (static) or include_tasks (dynamic)",
    ("Handler", "static"): "`static` was removed: use import_tasks (static) or include_tasks (dynamic)",
}


def _message(key: str, owner: str) -> str:
    return f"'{key}' is not a valid attribute for a {owner}"


def _hint(key: str, owner: str, valid: frozenset[str]) -> str | None:
    if (owner, key) in _HINTS:
        return _HINTS[owner, key]
    import difflib  # on the first finding only: most files have none

    close = difflib.get_close_matches(key, sorted(valid), n=1)
    return f"did you mean '{close[0]}'?" if close else None


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    for visit in walk.visits:
        obj = visit.obj
        if isinstance(obj, Play):
            yield from _play(walk, obj)
        elif obj.is_block:
            for key in obj.extra:
                yield walk.diagnostic(CODE, _message(key, "Block"), obj, key, hint=_hint(key, "Block", BLOCK_KEYWORDS))
        elif obj.action in DYNAMIC_INCLUDE_ACTIONS:
            if not (obj.is_handler and obj.action in INCLUDE_ROLE_ACTIONS):  # that is V012
                yield from _include(walk, obj, ansible_class(obj))
        elif "static" in obj.keys:
            owner = ansible_class(obj)
            yield walk.diagnostic(CODE, _message("static", owner), obj, "static", hint=_HINTS.get((owner, "static")))


def _play(walk: ModelWalk, play: Play) -> Iterator[Diagnostic]:
    owner = ansible_class(play)
    valid = IMPORT_PLAYBOOK_KEYWORDS if play.is_import else PLAY_KEYWORDS
    imports = [k for k in play.keys if k in IMPORT_PLAYBOOK_ACTIONS]
    if len(imports) > 1:  # ansible-core says it once per entry, in whatever order the keys come
        message = f"Found conflicting import_playbook actions: {', '.join(sorted(imports))}"
        yield walk.diagnostic(CODE, message, play, imports[1])
    for key in play.extra:
        if key not in IMPORT_PLAYBOOK_ACTIONS:
            yield walk.diagnostic(CODE, _message(key, owner), play, key, hint=_hint(key, owner, valid))


def _include(walk: ModelWalk, task: Task, owner: str) -> Iterator[Diagnostic]:
    """TaskInclude.preprocess_data: a dynamic include takes only a few keywords."""
    valid = INCLUDE_KEYWORDS | ({"listen"} if owner == "HandlerTaskInclude" else set())
    hint = "an include takes only a few keywords: set the others under `apply:` or use an import"
    for key in task.keys:
        if key == task.action_key and key != "local_action":
            continue
        if key.startswith(LOOP_PREFIX) or key in valid or (key == "listen" and not task.is_handler):
            continue
        name = "delegate_to" if key == "local_action" else key
        yield walk.diagnostic(CODE, _message(name, owner), task, key, hint=hint)
