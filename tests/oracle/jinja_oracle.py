#!/usr/bin/env python
"""Jinja oracle: what ansible-core 2.19.14 makes of a template, an expression or a conditional when it
compiles it: nothing rendered, no host, no variable.

TEST TOOL ONLY: needs ansible-core (the ``oracle`` extra); shep's runtime code never imports it.

    python tests/oracle/jinja_oracle.py < texts.jsonl > verdicts.jsonl

One JSON object in per line, ``{"text": ..., "mode": "template" | "expression" | "conditional"}``, one out:
``{"text", "mode", "verdict", "message", "line"}`` where ``verdict`` is

* ``ok``: ansible-core compiles it;
* ``syntax``: it cannot (``message``: ansible-core's own, "Syntax error in template: …"; ``line``: the
  line Jinja reports, 1-based in the text as ansible-core hands it to Jinja);
* ``plugin``: it fails only because a filter or test is not installed ("No filter named 'x'." —
  Jinja's compiler looks plugins up; with another collection installed the text may compile);
* ``empty``: an empty conditional ("Empty conditional expressions are not allowed.").

How: ``TemplateEngine._compile_template`` and ``_compile_expression``, the very calls ansible-core makes
before it renders (``TemplateEngine.template``, ``evaluate_expression``), with its own environment
(AnsibleEnvironment: extensions, lexer, plugin lookup). A failed compile returns a closure that raises
ansible-core's error when called: it is called with no variables (it renders nothing). Conditionals follow
``_normalize_and_evaluate_conditional`` step by step with ansible-core's own helpers
(``_strip_conditional_handle_empty``, ``is_possibly_all_template``): wholly in template delimiters, a
template; otherwise an expression.
"""
from __future__ import annotations

import json
import os
import sys
import warnings

# never import ansible from inside its own package dir (it shadows stdlib modules)
sys.path[:] = [p for p in sys.path
               if not os.path.isfile(os.path.join(os.path.abspath(p or "."), "release.py"))
               or os.path.basename(os.path.abspath(p or ".")) != "ansible"]

from ansible.errors import AnsibleBrokenConditionalError  # noqa: E402
from ansible.plugins.loader import init_plugin_loader  # noqa: E402
from ansible._internal._templating._engine import TemplateEngine, TemplateOptions  # noqa: E402
from ansible._internal._templating._jinja_bits import AnsibleTemplate, is_possibly_all_template  # noqa: E402
from ansible._internal._templating._jinja_bits import AnsibleTemplateExpression  # noqa: E402
from ansible._internal._templating._jinja_common import MarkerError  # noqa: E402
from ansible._internal._templating._utils import TemplateContext  # noqa: E402
from jinja2 import TemplateSyntaxError  # noqa: E402

_ENGINE: TemplateEngine | None = None


def engine() -> TemplateEngine:
    global _ENGINE
    if _ENGINE is None:
        init_plugin_loader()
        _ENGINE = TemplateEngine()
    return _ENGINE


def _outcome(compiled: object, text: str) -> dict[str, object]:
    if isinstance(compiled, (AnsibleTemplate, AnsibleTemplateExpression)):
        return {"verdict": "ok", "message": None, "line": None}
    try:
        compiled({})  # type: ignore[operator]  # the deferred compile error: raises it, renders nothing
    except Exception as raised:  # noqa: BLE001 - ansible-core's error, whatever its class
        # a tripped marker carries the captured error: AnsibleTemplateSyntaxError from Jinja's error
        exc = raised.source._as_exception() if isinstance(raised, MarkerError) else raised
        cause = exc.__cause__
        line = cause.lineno if isinstance(cause, TemplateSyntaxError) else None
        message = str(exc).split("\n")[0]
        jinja_message = cause.message if isinstance(cause, TemplateSyntaxError) else ""
        plugin = bool(jinja_message) and jinja_message.startswith(("No filter named", "No test named"))
        return {"verdict": "plugin" if plugin else "syntax", "message": message, "line": line}
    raise AssertionError(f"a failed compile that does not raise: {text!r}")


def _compiled(text: str, expression: bool) -> dict[str, object]:
    """Compile as TemplateEngine.template / evaluate_expression do, inside the TemplateContext they open."""
    templar = engine()
    options = TemplateOptions.DEFAULT
    with warnings.catch_warnings(), TemplateContext(template_value=text, templar=templar, options=options,
                                                    stop_on_template=False):
        warnings.simplefilter("ignore")  # an invalid string escape only warns (DeprecationWarning)
        compiled = templar._compile_expression(text, options) if expression else templar._compile_template(text, options)
        return _outcome(compiled, text)


def template(text: str) -> dict[str, object]:
    return _compiled(text, expression=False)


def expression(text: str) -> dict[str, object]:
    return _compiled(text, expression=True)


def conditional(text: str) -> dict[str, object]:
    try:
        stripped = engine()._strip_conditional_handle_empty(text)
    except AnsibleBrokenConditionalError as exc:
        return {"verdict": "empty", "message": str(exc).split("\n")[0], "line": None}
    if is_possibly_all_template(stripped):
        return template(stripped)
    return expression(stripped)


MODES = {"template": template, "expression": expression, "conditional": conditional}


def verdict(text: str, mode: str) -> dict[str, object]:
    return {"text": text, "mode": mode, **MODES[mode](text)}


def main() -> int:
    for line in sys.stdin:
        if line.strip():
            request = json.loads(line)
            print(json.dumps(verdict(request["text"], request["mode"]), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
