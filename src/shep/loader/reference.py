"""The reference parser: ruamel.yaml's pure-Python parser, imported only when asked for.

Its round-trip mode is not used for values: it marks line folds inside scalars with "\\a".
"""

from __future__ import annotations

import threading
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml import nodes as rnodes
from ruamel.yaml.error import MarkedYAMLError, ReusedAnchorWarning, YAMLError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

from shep.loader import values as V
from shep.loader.construct import PLAIN_TAG

ERRORS = (YAMLError, MarkedYAMLError)
__all__ = ["ERRORS", "ReusedAnchorWarning", "compose"]


class _NamedTag(Tag):
    """A Tag whose ``str()`` is precomputed: ruamel nodes give ``tag`` as ``str(ctag)``."""

    def __init__(self, name: str) -> None:
        super().__init__(suffix=name)
        self._name = name

    def __str__(self) -> str:
        return self._name


_TAGS = {rnodes.ScalarNode: _NamedTag(V.STR_TAG), rnodes.SequenceNode: _NamedTag(V.SEQ_TAG),
         rnodes.MappingNode: _NamedTag(V.MAP_TAG)}
_PLAIN = _NamedTag(PLAIN_TAG)


class PlainMarkingResolver(VersionedResolver):
    """Leaves plain scalars to shep (ruamel's YAML 1.1 typing differs from PyYAML's)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is rnodes.ScalarNode and implicit and implicit[0]:
            return _PLAIN
        return _TAGS[kind]


_local = threading.local()


def compose(text: str) -> Any:
    """Compose one document; one parser per thread (building one costs more than a small file)."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = YAML(typ="safe", pure=True)
        parser.version = (1, 1)
        parser.Resolver = PlainMarkingResolver
        _local.parser = parser
    return parser.compose(text)
