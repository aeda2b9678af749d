"""Loader: bytes or text → one positioned YAML document, with the values ansible-core computes.

``load_text`` never raises on bad content: every problem is a diagnostic. Two parsers feed
the same constructor: libyaml through PyYAML (the default: the scanner ansible-core itself
uses, at C speed) and ruamel.yaml's pure-Python parser (the reference). A differential test
checks they give identical nodes, values, positions and diagnostics on the whole corpus. Both feed the same constructor, and a differential
test checks they agree on every file of the corpus.
"""

from __future__ import annotations

import re
import threading
import warnings
from dataclasses import dataclass, field
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, ReusedAnchorWarning, YAMLError

from shep.diagnostics import Diagnostic, Severity, Span, make
from shep.loader.construct import Constructor, LimitExceeded, PlainMarkingLoader, PlainMarkingResolver
from shep.loader.depth import nesting_problem
from shep.loader.decode import DecodeError, decode
from shep.loader.nodes import MapNode, Node, ScalarNode, SeqNode
from shep.loader.values import Unsafe, Vault

__all__ = [
    "Document", "MapNode", "Node", "ScalarNode", "SeqNode", "Unsafe", "Vault",
    "load_bytes", "load_text",
]


@dataclass(slots=True)
class Document:
    """One loaded file: its root node (None when empty or unreadable) and the problems found."""

    path: str
    root: Node | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # False when ansible-core would refuse to load the file at all.
    loadable: bool = True
    text: str = ""


_local = threading.local()


def _reference_parser() -> YAML:
    """ruamel.yaml's pure-Python parser, one per thread (building one costs more than a small file).

    Its round-trip mode is not used for values: it marks line folds inside scalars with "\\a".
    """
    parser = getattr(_local, "reference", None)
    if parser is None:
        parser = YAML(typ="safe", pure=True)
        parser.version = (1, 1)
        parser.Resolver = PlainMarkingResolver
        _local.reference = parser
    return parser


def _compose_fast(text: str) -> Any:
    """libyaml through PyYAML: the very scanner ansible-core uses, at C speed."""
    loader = PlainMarkingLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _mark_span(mark: Any) -> Span:
    if mark is None:
        return Span(1, 1, 1, 1)
    return Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2)


def _syntax_diagnostic(exc: Exception, path: str) -> Diagnostic:
    if isinstance(exc, (MarkedYAMLError, yaml.MarkedYAMLError)):
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        if "single document" in problem or "single document" in (exc.context or ""):
            return make("Y005", "Expected a single document in the stream but found another document.",
                        path, _mark_span(exc.problem_mark))
        mark = exc.problem_mark or exc.context_mark
        return make("Y001", f"{problem}{context}", path, _mark_span(mark))
    mark = getattr(exc, "mark", None) or getattr(exc, "problem_mark", None)
    if mark is None and hasattr(exc, "position"):  # ruamel's ReaderError: offset only
        return make("Y001", str(exc).splitlines()[0], path, Span(1, 1, 1, 2))
    return make("Y001", str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
                path, _mark_span(mark))


def _compose(text: str, reference: bool) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # libyaml (and so ansible-core) rejects a reused anchor; ruamel only warns.
        warnings.simplefilter("error", ReusedAnchorWarning)
        return _reference_parser().compose(text) if reference else _compose_fast(text)


def _reused_anchor_diagnostic(exc: ReusedAnchorWarning, path: str) -> Diagnostic:
    marks = re.findall(r"line (\d+), column (\d+)", str(exc))
    line, col = (int(marks[-1][0]), int(marks[-1][1])) if marks else (1, 1)
    return make("Y001", "found duplicate anchor", path, Span(line, col, line, col + 1))


def load_text(text: str, path: str = "<string>", *, reference: bool = False) -> Document:
    """Load one YAML document from text. Never raises on bad content."""
    too_deep = nesting_problem(text)
    if too_deep is not None:
        return Document(path, None, [make("Y007", too_deep[0], path, too_deep[1])], False, text)
    try:
        rroot = _compose(text, reference)
    except RecursionError:
        return Document(path, None, [make("Y007", "nesting too deep to parse", path, Span(1, 1, 1, 2))], False, text)
    except ReusedAnchorWarning as exc:
        return Document(path, None, [_reused_anchor_diagnostic(exc, path)], False, text)
    except (YAMLError, yaml.YAMLError, ValueError, TypeError, AttributeError) as exc:
        # ruamel raises a few non-YAML errors on hostile input; each is still a syntax problem.
        return Document(path, None, [_syntax_diagnostic(exc, path)], False, text)
    if rroot is None:
        return Document(path, None, text=text)
    constructor = Constructor(path, text)
    try:
        root = constructor.convert(rroot)
    except LimitExceeded as exc:
        message, mark = exc.args
        return Document(path, None, [make("Y007", message, path, _mark_span(mark))], False, text)
    except RecursionError:
        return Document(path, None, [make("Y007", "nesting too deep to load", path, Span(1, 1, 1, 2))], False, text)
    diagnostics = constructor.diagnostics
    loadable = not any(d.severity is Severity.ERROR for d in diagnostics)
    return Document(path, root, diagnostics, loadable, text)


def load_bytes(data: bytes, path: str = "<bytes>", *, reference: bool = False) -> Document:
    """Decode (UTF-8, optional BOM) and load. Never raises on bad content."""
    text = decode(data)
    if isinstance(text, DecodeError):
        return Document(path, None, [make("Y002", text.message, path, text.span)], False)
    return load_text(text, path, reference=reference)
