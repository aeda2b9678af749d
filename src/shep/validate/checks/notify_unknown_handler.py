"""Flags a ``notify`` naming no handler or ``listen`` topic of its play.

ansible-core looks a notification up among the handlers of the current play only, by handler
``name`` (or ``role : name``) or ``listen`` topic, and fails the run when none matches ("The
requested handler 'x' was not found in either the main handlers list nor in the listening
handlers list"). With the project graph (``shep validate`` on a tree or a playbook), a play's
handlers are all of them: its own, those its handler files import, its roles' (with their
dependencies) and those of the roles its tasks import or include; a notification in a role's or
a task file's tasks is looked up in every play that runs them. When some handlers of a play
cannot be read (a role not found, a templated include), the diagnostic is only informational.
Without a project (a file on its own), a playbook's plays are checked with their own handlers
(informational when roles or handler files may bring others) and task files are not checked.
Templated names and topics match anything.

PASS (playbook)::

    - hosts: all
      tasks:
        - ansible.builtin.template:
            src: httpd.conf.j2
            dest: /etc/httpd/conf/httpd.conf
          notify: restart web
      handlers:
        - name: restart web
          ansible.builtin.service:
            name: httpd
            state: restarted

FAIL (playbook)::

    - hosts: all
      tasks:
        - ansible.builtin.template:
            src: httpd.conf.j2
            dest: /etc/httpd/conf/httpd.conf
          notify: restart apache
      handlers:
        - name: restart web
          ansible.builtin.service:
            name: httpd
            state: restarted
"""

from __future__ import annotations

from collections.abc import Iterator

from shep._records import record
from shep.diagnostics import Diagnostic, Severity, make
from shep.keywords import ROLE_INCLUDE_ACTIONS, TASK_INCLUDE_ACTIONS
from shep.model import Play, Task
from shep.validate.checks._common import ModelWalk, is_template

CODE = "V003"
PROJECT = True  # reads the project graph when there is one
MESSAGE = "The requested handler '{}' was not found in either the main handlers list nor in the listening handlers list"


@record
class _Handlers:
    names: frozenset[str]
    wildcard: bool  # a templated handler name or topic: anything may match
    unknown_sources: tuple[str, ...]  # why the list may be incomplete


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    if walk.facts is not None:
        yield from _from_graph(walk)
        return
    for play in walk.plays:
        if play.is_import:
            continue
        handlers = _handlers(play)
        if handlers.wildcard:
            continue
        for _section, section in play.sections():
            for top in section:
                for task in top.walk():
                    yield from _notifications(walk, task, handlers)


def _strings(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [str(item) for item in items if isinstance(item, str)]


def _handlers(play: Play) -> _Handlers:
    names: set[str] = set()
    wildcard = False
    sources: list[str] = []
    if play.roles:
        sources.append("roles")
    for top in play.handlers:
        for handler in top.walk():
            if handler.is_block:
                continue
            if handler.action in TASK_INCLUDE_ACTIONS:
                sources.append(f"handlers from {handler.action}")
            for name in (*_strings(handler.name), *_strings(handler.listen)):
                wildcard = wildcard or is_template(name)
                names.add(name)
    for _section, section in play.sections():
        for top in section:
            for task in top.walk():
                if task.action in ROLE_INCLUDE_ACTIONS:
                    sources.append(task.action)
    return _Handlers(frozenset(names), wildcard, tuple(dict.fromkeys(sources)))


def _from_graph(walk: ModelWalk) -> Iterator[Diagnostic]:
    assert walk.facts is not None
    for unknown in walk.facts.unknown_handlers:
        plays = ", ".join(unknown.plays[:3]) + (", …" if len(unknown.plays) > 3 else "")
        if unknown.certain:
            hint = f"handlers are looked up in the play ({plays}) by name, 'role : name' or listen topic"
            yield make(CODE, MESSAGE.format(unknown.name), walk.model.path, unknown.span, hint=hint)
        else:
            sources = ", ".join(unknown.sources[:3]) + (", …" if len(unknown.sources) > 3 else "")
            hint = f"it may come from {sources} in the play ({plays}), which shep cannot read"
            yield make(CODE, MESSAGE.format(unknown.name), walk.model.path, unknown.span, hint=hint,
                       severity=Severity.INFO)


def _notifications(walk: ModelWalk, task: Task, handlers: _Handlers) -> Iterator[Diagnostic]:
    if "notify" not in task.keys:
        return
    for name in _strings(task.notify):
        if is_template(name) or name in handlers.names:
            continue
        message = MESSAGE.format(name)
        if handlers.unknown_sources:
            hint = (f"it may come from {', '.join(handlers.unknown_sources)} in this play, "
                    "which shep does not read (role handlers are not known statically)")
            yield walk.diagnostic(CODE, message, task, "notify", hint=hint, severity=Severity.INFO)
        else:
            hint = "handlers are looked up in the same play, by name or listen topic (role handlers excepted)"
            yield walk.diagnostic(CODE, message, task, "notify", hint=hint)
