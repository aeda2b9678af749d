"""Flags a filter that is neither Jinja's nor ansible.builtin's, with the closest known name.

ansible-core compiles a template with an unknown filter into an error when the task runs ("Syntax error
in template: No filter named 'to_jsn'."), unless a local ``filter_plugins/`` directory provides it: so
this is a warning. Another collection's filter (``community.general.json_query``) is never flagged,
installed or not, nor a short name ansible-core's routing table sends to a collection (``json_query``).
The names are ansible-core 2.19.14's and Jinja 3.1's, generated into ``shep._builtin`` by
scripts/gen_jinja_plugins.py.

PASS::

    - ansible.builtin.debug:
        msg: "{{ data | to_nice_json }} {{ data | community.general.json_query('a') }}"

FAIL::

    - ansible.builtin.debug:
        msg: "{{ data | to_jsn }}"
"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk
from shep.validate.checks._templates import unknown_names

CODE = "V035"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    yield from unknown_names(walk, CODE, "filter")
