"""None of a group of options one of which is required ("one of the following is required: …").

An option with a default counts as given, as in ansible-core (``systemd``'s ``daemon_reload``
defaults to false, so ``systemd: name=x`` passes this check).

PASS::

    - ansible.builtin.pip:
        name: requests

FAIL::

    - ansible.builtin.pip:
        virtualenv: /opt/venv

"""

from __future__ import annotations

from collections.abc import Iterator

from shep.diagnostics import Diagnostic
from shep.validate.checks._common import ModelWalk
from shep.validate.checks._module_options import diagnostics

CODE = "V028"


def check(walk: ModelWalk) -> Iterator[Diagnostic]:
    return diagnostics(walk, CODE, ("required-one-of",))
