"""Diagnostics: the one shape every problem takes, and the registry of codes.

A leaf module: it imports nothing from shep, so every layer can report problems.
Positions are 1-based (line and column), the end column is exclusive, as in SARIF.
"""

from __future__ import annotations

import enum

from shep._records import record
from shep._version import PROJECT_URL

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from shep._records import NamedTuple


class Severity(enum.IntEnum):
    """Ordered so that the worst severity of a run is ``max()``."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


class Span(NamedTuple):
    """Where something is in a file: 1-based line/col, end exclusive.

    A named tuple, not a dataclass: one is made for every YAML node, and tuples are built
    twice as fast; they are immutable and order by position all the same.
    """

    line: int
    col: int
    end_line: int
    end_col: int

    @classmethod
    def point(cls, line: int, col: int) -> Span:
        return cls(line, col, line, col)

    if TYPE_CHECKING:  # made by shep._records.NamedTuple for every named tuple (a C call)
        @classmethod
        def from_tuple(cls, values: tuple[int, int, int, int], /) -> Span: ...


# Where a problem of the whole file is reported: before its first character, and on it.
START_OF_FILE = Span(1, 1, 1, 1)
FIRST_CHARACTER = Span(1, 1, 1, 2)


@record
class Rule:
    """A registered diagnostic code: never renumbered, never reused."""

    code: str
    name: str
    severity: Severity
    summary: str


@record(kw_only=True)
class Diagnostic:
    code: str
    name: str
    severity: Severity
    message: str
    path: str
    span: Span
    hint: str | None = None

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def col(self) -> int:
        return self.span.col

    def sort_key(self) -> tuple[str, Span, str]:
        return (self.path, self.span, self.code)

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": str(self.severity),
            "message": self.message,
            "path": self.path,
            "line": self.span.line,
            "col": self.span.col,
            "end_line": self.span.end_line,
            "end_col": self.span.end_col,
            "hint": self.hint,
        }


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

# Prefix = layer: Y loader, D detection, M model building, V validation, F FlatBuffers.
RULES: dict[str, Rule] = {
    r.code: r
    for r in (
        Rule("Y000", "io-error", _E, "The file cannot be read (missing, a directory, permission denied…)."),
        Rule("Y001", "yaml-syntax", _E, "The file is not valid YAML."),
        Rule("Y002", "yaml-encoding", _E, "The file is not valid UTF-8 text."),
        Rule("Y003", "yaml-duplicate-key", _W, "A mapping repeats a key; the last value wins, as in Ansible."),
        Rule("Y004", "yaml-unknown-tag", _E, "A YAML tag Ansible cannot construct (only !vault, !unsafe and the standard !! tags are)."),
        Rule("Y005", "yaml-multiple-documents", _E, "Ansible reads exactly one YAML document per file."),
        Rule("Y006", "yaml-bad-value", _E, "A value Ansible's YAML loader rejects (a plain `=`, `<<` used as a value, a bad merge, `!vault` on a non-string, an unhashable key)."),
        Rule("Y007", "yaml-limit", _E, "The file exceeds a safety limit (size, nesting depth or alias expansion)."),
        Rule("Y008", "yaml-deprecated-tag", _W, "A YAML tag ansible-core deprecates (!!omap, !!pairs, !vault-encrypted)."),
        Rule("D001", "conflicting-actions", _E, "A task names two modules/actions."),
        Rule("D002", "no-action", _E, "A task names no module or action."),
        Rule("D003", "action-local-action", _E, "`action` and `local_action` are mutually exclusive."),
        Rule("D004", "bad-action-type", _E, "`action`/`local_action`/module value of a type Ansible rejects."),
        Rule("D005", "bad-args", _E, "The task `args` keyword is not a mapping or a template."),
        Rule("D006", "kv-split-error", _E, "k=v text with unbalanced quotes or Jinja blocks."),
        Rule("D007", "reserved-arg", _E, "A module argument uses the reserved `_ansible_` prefix."),
        Rule("D008", "action-mapping-deprecated", _W, "A mapping given to `action` is deprecated by ansible-core."),
        Rule("D009", "kv-merged-with-args", _W, "k=v text merged with the `args` mapping is deprecated by ansible-core."),
        Rule("D010", "empty-args", _W, "An empty `args` keyword is ignored (deprecated by ansible-core)."),
        Rule("M001", "not-a-mapping", _E, "A task, block or play that is not a mapping."),
        Rule("M002", "bad-section", _E, "A tasks/handlers/block section that is not a list."),
        Rule("M003", "rescue-without-block", _E, "`rescue` or `always` without `block`."),
        Rule("M004", "block-as-handler", _E, "Blocks cannot be handlers."),
        Rule("M005", "bad-playbook", _E, "The playbook is not a list of plays and import_playbook entries."),
        Rule("M006", "bad-file", _E, "A task or handler file that is not a list of tasks."),
        Rule("M007", "empty-playbook", _E, "A playbook with no plays."),
        Rule("M008", "user-and-remote-user", _E, "A play sets both `user` and `remote_user`."),
        Rule("V001", "unknown-keyword", _E, "A key that is not a keyword of its block, play, import_playbook entry or include."),
        Rule("V002", "listen-outside-handler", _E, "`listen` on a task that is not a handler."),
        Rule("V003", "notify-unknown-handler", _W, "`notify` names no handler or listen topic of its play."),
        Rule("V004", "raw-params-not-supported", _E, "Free-form text given to a module that takes only named arguments (fails at run time)."),
        Rule("V005", "duplicate-loop", _E, "A task with `loop` and a `with_*` key, or two `with_*` keys."),
        Rule("V006", "loop-without-value", _E, "A `with_*` key without a value."),
        Rule("V007", "removed-include", _E, "The `include` action, removed from ansible-core."),
        Rule("V008", "delegate-facts-without-delegate-to", _W, "`delegate_facts` on a task that is not delegated."),
        Rule("V009", "poll-without-async", _W, "`poll` on a task without `async`."),
        Rule("V010", "play-without-hosts", _E, "A play without `hosts`."),
        Rule("V011", "import-with-loop", _E, "A loop on `import_tasks` or `import_role`."),
        Rule("V012", "role-include-as-handler", _E, "`include_role`/`import_role` used as a handler."),
        Rule("V013", "bad-include-options", _E, "Bad arguments to include_tasks/import_tasks/include_role/import_role."),
        Rule("V014", "keyword-type", _E, "A keyword value of a type ansible-core rejects or cannot convert."),
        Rule("V015", "invalid-variable-name", _E, "An invalid variable name in `vars` or `register`."),
        Rule("V016", "misplaced-end-role", _E, "`meta: end_role` in a handler or outside a role."),
        Rule("V017", "unreachable-handler", _W, "A handler with neither a name nor a listen topic: nothing can notify it."),
        Rule("V018", "invalid-meta-action", _E, "A `meta` task whose action ansible-core does not know (fails at run time)."),
        Rule("V019", "unresolved-builtin-action", _E, "An `ansible.builtin.` action that ansible-core does not ship, redirect or know as removed (fails at load; at run time for `action:`)."),
        Rule("V020", "flush-handlers-in-handler", _E, "`meta: flush_handlers` in a handler (fails when the handler runs)."),
        Rule("V021", "unresolved-builtin-strategy", _E, "A play `strategy` named `ansible.builtin.X` that ansible-core does not ship."),
        Rule("V022", "module-unknown-option", _E, "An option the module (or its action plugin) does not take (fails when the task runs)."),
        Rule("V023", "module-option-choice", _E, "A literal value outside the option's choices (fails when the task runs)."),
        Rule("V024", "module-option-type", _E, "A literal the option's type cannot take, as AnsibleModule converts it (fails when the task runs)."),
        Rule("V025", "module-missing-required", _E, "A required module option left out (fails when the task runs)."),
        Rule("V026", "module-mutually-exclusive", _E, "Module options that exclude each other set together (fails when the task runs)."),
        Rule("V027", "module-required-together", _E, "Module options that go together given apart (fails when the task runs)."),
        Rule("V028", "module-required-one-of", _E, "None of a group of module options one of which is required (fails when the task runs)."),
        Rule("V029", "module-required-if", _E, "A module option another option's value requires, left out (fails when the task runs)."),
        Rule("V030", "module-required-by", _E, "A module option another option needs, left out (fails when the task runs)."),
        Rule("V031", "module-deprecated-option", _W, "A deprecated module option or alias."),
        Rule("V032", "module-alias-conflict", _W, "A module option set together with its alias: the alias's value wins."),
        Rule("V033", "module-unknown", _W, "A short action name no module or action plugin of ansible-core has: unless a library path provides it, the task fails to load."),
        Rule("V034", "jinja-syntax", _E, "A template or conditional ansible-core's Jinja cannot parse (fails when it is templated), at the error's line and column."),
        Rule("V035", "jinja-unknown-filter", _W, "A filter that is neither Jinja's nor ansible.builtin's (a local filter plugin may provide it)."),
        Rule("V036", "jinja-unknown-test", _W, "A test that is neither Jinja's nor ansible.builtin's (a local test plugin may provide it)."),
        Rule("V037", "jinja-empty-conditional", _E, "An empty conditional string (fails when it is evaluated)."),
        Rule("V040", "module-collection-missing", _I, "A task names a module of a collection that no collection root holds: its tasks are not checked (once per collection and file)."),
        Rule("V041", "module-collection-unresolved", _W, "An installed collection holds no module or action of the name a task gives, or has removed it."),
        Rule("V042", "module-collection-deprecated", _W, "A module its collection's routing deprecates."),
        Rule("V050", "reference-missing-import", _E, "A static reference (import_playbook, import_tasks, import_role, a roles: entry, a role dependency, their *_from files) that cannot be found: ansible-core fails to load the playbook."),
        Rule("V051", "reference-missing-include", _E, "A dynamic include (include_tasks, include_role and its *_from files) of a literal name that cannot be found: the include fails when it runs (a warning when it may not run)."),
        Rule("V052", "reference-missing-vars-file", _W, "A vars_files entry that cannot be found: ansible-core skips it silently and its variables stay undefined."),
        Rule("V053", "reference-duplicate-handler", _W, "Two handlers with one name in a play's scope: a notification by that name runs only one of them."),
        Rule("V054", "reference-role-argument", _E, "A value a roles: entry, role dependency, import_role or include_role gives a role that the role's argument specs reject (an unknown parameter, a wrong type, a value outside the choices): its validation task fails the play (a warning for a vars: value, which a variable of higher precedence may override)."),
    )
}


DOCS_URL = f"{PROJECT_URL}/blob/main/docs/diagnostics.md"


def doc_anchor(code: str) -> str:
    """The anchor of a code's section in docs/diagnostics.md: the slug GitHub makes of its
    heading ``### V019 unresolved-builtin-action`` (scripts/gen_docs.py writes both)."""
    return f"{code.lower()}-{RULES[code].name}"


def doc_url(code: str) -> str:
    return f"{DOCS_URL}#{doc_anchor(code)}"


def make(code: str, message: str, path: str, span: Span, *, hint: str | None = None,
         severity: Severity | None = None) -> Diagnostic:
    """Build a diagnostic for a registered code (its name and default severity come from RULES)."""
    rule = RULES[code]
    return Diagnostic(code=code, name=rule.name, severity=rule.severity if severity is None else severity,
                      message=message, path=path, span=span, hint=hint)


@record(kw_only=True)
class FileResult:
    """The outcome for one file: its kind (None: not Ansible content), verdict and diagnostics."""

    path: str
    kind: str | None
    verdict: str  # "passed" | "failed" | "skipped"
    diagnostics: tuple[Diagnostic, ...] = ()
    reason: str | None = None  # why a file was skipped
    # What the result depended on beyond the file (shep.installed.facts: (kind, subject, state)), if anything:
    # the result cache serves it, and a run is replayed, only while each still holds.
    depends: tuple[tuple[str, str, str], ...] = ()

    def worst(self) -> Severity | None:
        return max((d.severity for d in self.diagnostics), default=None)
