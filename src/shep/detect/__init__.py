"""Module detection: split a task mapping into its action, arguments and task keywords.

Mirrors ansible-core 2.19's ``ModuleArgsParser.parse(skip_action_validation=True)``: purely
syntactic, no plugin loader, so a module from any collection is accepted. The accepted forms::

    - action: shell echo hi               - copy: src=a dest=b
    - local_action: shell echo hi         - copy: {src: a, dest: b}
    - action: copy src=a dest=b           - command: pwd
    - action: {module: copy, src: a}        args: {chdir: /tmp}

``args:`` supplies defaults that inline arguments override; ``local_action`` implies
``delegate_to: localhost``; ``with_*`` keys are loops, never modules. The first problem stops
detection of that task, as in ansible-core, with ansible-core's message.
"""

from __future__ import annotations

from shep._records import field, record
from shep.detect.kv import KVError, parse_kv, split_args
from shep.keywords import FREE_FORM_MODULES, JINJA_CLOSERS, JINJA_OPENERS, LOOP_PREFIX, NOT_MODULE_KEYS
from shep.loader.values import Vault

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Detection", "DetectionProblem", "detect", "is_possibly_all_template", "UNSET"]


class _Unset:
    """Marks a keyword that is absent (distinct from an explicit null)."""

    _instance: _Unset | None = None

    def __new__(cls) -> _Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Any = _Unset()



def is_possibly_all_template(text: str) -> bool:
    """ansible-core's test for a string that is one whole template (used for ``args: "{{ x }}"``)."""
    return text.startswith("#jinja2:") or (text.startswith(JINJA_OPENERS) and text.endswith(JINJA_CLOSERS))


@record
class DetectionProblem:
    """A detection error or warning; ``key`` names the task key it is about (None: the task)."""

    code: str
    message: str
    key: str | None = None


@record(kw_only=True)
class Detection:
    action: str | None
    # Module arguments exactly as ansible-core computes them, including its ``_raw_params``
    # (free-form text) and ``_variable_params`` (a templated ``args:``) entries.
    ansible_args: dict[Any, Any]
    delegate_to: Any = UNSET
    action_key: str | None = None  # the task key that named the action (module, action, local_action)
    error: DetectionProblem | None = None
    warnings: tuple[DetectionProblem, ...] = field(default_factory=tuple)

    @property
    def args(self) -> dict[Any, Any]:
        """Arguments without the free-form and templated-args entries."""
        args = dict(self.ansible_args)
        args.pop("_raw_params", None)
        args.pop("_variable_params", None)
        return args

    @property
    def free_form(self) -> str | None:
        raw = self.ansible_args.get("_raw_params")
        return raw if isinstance(raw, str) else None

    @property
    def variable_args(self) -> str | None:
        raw = self.ansible_args.get("_variable_params")
        return raw if isinstance(raw, str) else None


class _Fail(Exception):
    """Ends detection of one task with an error (ansible-core raises at the first one too)."""

    def __init__(self, code: str, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.problem = DetectionProblem(code, message, key)


def _type_name(value: Any) -> str:
    return f"<class '{type(value).__name__}'>"


class _Detector:
    def __init__(self, task: dict[Any, Any]) -> None:
        self.task = task
        self.warnings: list[DetectionProblem] = []
        self.additional = task.get("args", UNSET)

    def warn(self, code: str, message: str, key: str | None) -> None:
        self.warnings.append(DetectionProblem(code, message, key))

    def run(self) -> tuple[str | None, dict[Any, Any], Any, str | None]:
        task = self.task
        action: str | None = None
        action_key: str | None = None
        args: dict[Any, Any] = {}
        delegate_to = task.get("delegate_to", UNSET)
        if "action" in task:
            action, args = self.normalize(task["action"], None, "action")
            action_key = "action"
        if "local_action" in task:
            if action is not None:
                raise _Fail("D003", "action and local_action are mutually exclusive", "local_action")
            delegate_to = "localhost"
            action, args = self.normalize(task["local_action"], None, "local_action")
            action_key = "local_action"
        for key, value in task.items():
            if not isinstance(key, str):
                raise _Fail("D004", f"task keys must be strings, found {key!r}")
            if key in NOT_MODULE_KEYS or key.startswith(LOOP_PREFIX):
                continue
            if action is not None:
                raise _Fail("D001", f"conflicting action statements: {action}, {key}", key)
            action, args = self.normalize(value, key, key)
            action_key = key
        if action is None:
            raise _Fail("D002", "no module/action detected in task.")
        return action, args, delegate_to, action_key

    def normalize(self, thing: Any, action: str | None, key: str) -> tuple[str | None, dict[Any, Any]]:
        final = self.base_args()
        if action is not None:
            args = self.new_style(thing, action, key)
        else:
            action, args = self.old_style(thing, key)
            if args and "args" in args:
                inline = args.pop("args")
                args.update(self.kv(inline, False, key) if isinstance(inline, str) else _as_mapping(inline, key))
        if args and action not in FREE_FORM_MODULES:
            for arg in args:
                if str(arg).startswith("_ansible_"):
                    raise _Fail("D007", f"Invalid parameter specified beginning with keyword '_ansible_' for action "
                                f"'{action}': '{arg}'. The prefix '_ansible_' is reserved for internal use only.", key)
        if args:
            final.update(args)
        return action, final

    def base_args(self) -> dict[Any, Any]:
        extra = self.additional
        if extra is UNSET:
            return {}
        if isinstance(extra, str) and is_possibly_all_template(extra):
            return {"_variable_params": extra}
        if isinstance(extra, dict):
            return dict(extra)
        if extra is None:
            self.warn("D010", "Ignoring empty task `args` keyword.", "args")
            return {}
        raise _Fail("D005", "The value of the task `args` keyword is invalid.", "args")

    def new_style(self, thing: Any, action: str, key: str) -> dict[Any, Any] | None:
        if isinstance(thing, dict):
            return dict(thing)
        if isinstance(thing, str):
            args = self.kv(thing, action in FREE_FORM_MODULES, key)
            kv_keys = sorted(str(k) for k in args if k != "_raw_params")
            if kv_keys and self.additional is not UNSET:
                names = ", ".join(repr(k) for k in kv_keys)
                self.warn("D009", f"Merging legacy k=v args ({names}) into task args.", key)
            return args
        if isinstance(thing, Vault):
            return {"_raw_params": thing}
        if thing is None:
            return None
        raise _Fail("D004", f"unexpected parameter type in action: {_type_name(thing)}", key)

    def old_style(self, thing: Any, key: str) -> tuple[str | None, dict[Any, Any] | None]:
        if isinstance(thing, dict):
            self.warn("D008", "Using a mapping for `action` is deprecated.", key)
            if "module" not in thing:
                return None, None
            action, rest = self.split_module(thing["module"], key)
            args = dict(thing)
            args.update(self.kv(rest, action in FREE_FORM_MODULES, key))
            del args["module"]
            return action, args
        if isinstance(thing, str):
            action, rest = self.split_module(thing, key)
            return action, self.kv(rest, action in FREE_FORM_MODULES, key)
        raise _Fail("D004", f"unexpected parameter type in action: {_type_name(thing)}", key)

    def split_module(self, text: Any, key: str) -> tuple[str, str]:
        if not isinstance(text, str):
            raise _Fail("D004", f"unexpected parameter type in action: {_type_name(text)}", key)
        tokens = self.split(text, key)
        if not tokens:
            raise _Fail("D002", "no module/action detected in task.", key)
        return tokens[0].strip(), " ".join(tokens[1:])

    @staticmethod
    def split(text: str, key: str) -> list[str]:
        try:
            return split_args(text)
        except KVError as exc:
            raise _Fail("D006", str(exc), key) from None

    @staticmethod
    def kv(text: str, check_raw: bool, key: str) -> dict[Any, Any]:
        try:
            return dict(parse_kv(text, check_raw=check_raw))
        except KVError as exc:
            raise _Fail("D006", str(exc), key) from None


def _as_mapping(value: Any, key: str) -> dict[Any, Any]:
    if isinstance(value, dict):
        return value
    raise _Fail("D005", "The value of the task `args` keyword is invalid.", key)


def detect(task: dict[Any, Any]) -> Detection:
    """Detect the action of one task mapping (its constructed value). Never raises."""
    detector = _Detector(task)
    try:
        action, args, delegate_to, action_key = detector.run()
    except _Fail as fail:
        return Detection(action=None, ansible_args={}, delegate_to=task.get("delegate_to", UNSET),
                         error=fail.problem, warnings=tuple(detector.warnings))
    return Detection(action=action, ansible_args=args, delegate_to=delegate_to, action_key=action_key,
                     warnings=tuple(detector.warnings))
