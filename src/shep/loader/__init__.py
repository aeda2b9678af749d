"""Loader: bytes or text → one positioned YAML document, with the values ansible-core computes.

``load_text`` never raises on bad content: every problem is a diagnostic. Two parsers feed
the same constructor: libyaml through PyYAML (the default: the scanner ansible-core itself
uses, at C speed) and ruamel.yaml's pure-Python parser (the reference). A differential test
checks they give identical nodes, values, positions and diagnostics on the whole corpus.
"""

from __future__ import annotations

import re
import warnings

import yaml

from shep._records import field, record
from shep.diagnostics import FIRST_CHARACTER, START_OF_FILE, Diagnostic, Severity, Span, make
from shep.loader.construct import Constructor, LimitExceeded, PlainMarkingLoader
from shep.loader.decode import DecodeError, decode
from shep.loader.depth import nesting_problem
from shep.loader.nodes import MapNode, Node, ScalarNode, SeqNode, point_span
from shep.loader.values import Unsafe, Vault

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "Document", "MapNode", "Node", "ScalarNode", "SeqNode", "Unsafe", "Vault",
    "load_bytes", "load_text", "stream_values",
]


@record(frozen=False)
class Document:
    """One loaded file: its root node (None when empty or unreadable) and the problems found."""

    path: str
    root: Node | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # False when ansible-core would refuse to load the file at all.
    loadable: bool = True
    text: str = ""


def _compose_fast(text: str) -> Any:
    """libyaml through PyYAML: the very scanner ansible-core uses, at C speed."""
    loader = PlainMarkingLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _mark_span(mark: Any) -> Span:
    return START_OF_FILE if mark is None else point_span(mark)


def _syntax_diagnostic(exc: Exception, path: str) -> Diagnostic:
    if hasattr(exc, "problem_mark"):  # MarkedYAMLError of either parser
        problem = getattr(exc, "problem", None) or "invalid YAML"
        context = f" ({getattr(exc, 'context')})" if getattr(exc, "context", None) else ""
        if "single document" in problem or "single document" in (getattr(exc, "context", None) or ""):
            return make("Y005", "Expected a single document in the stream but found another document.",
                        path, _mark_span(exc.problem_mark))
        mark = exc.problem_mark or getattr(exc, "context_mark", None)
        return make("Y001", f"{problem}{context}", path, _mark_span(mark))
    mark = getattr(exc, "mark", None) or getattr(exc, "problem_mark", None)
    if mark is None and hasattr(exc, "position"):  # ruamel's ReaderError: offset only
        return make("Y001", str(exc).splitlines()[0], path, FIRST_CHARACTER)
    return make("Y001", str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
                path, _mark_span(mark))


class _ReusedAnchor(Exception):
    """ruamel only warns on a reused anchor; libyaml (and so ansible-core) rejects it."""


def _compose(text: str, reference: bool) -> Any:
    if not reference:
        return _compose_fast(text)
    from shep.loader import reference as ref

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", ref.ReusedAnchorWarning)
        try:
            return ref.compose(text)
        except ref.ReusedAnchorWarning as exc:
            raise _ReusedAnchor(str(exc)) from None
        except ref.ERRORS as exc:
            raise _ParseError(exc) from None


class _ParseError(Exception):
    """A parser's own error, whichever parser raised it."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def _reused_anchor_diagnostic(exc: _ReusedAnchor, path: str) -> Diagnostic:
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
        return Document(path, None, [make("Y007", "nesting too deep to parse", path, FIRST_CHARACTER)], False, text)
    except _ReusedAnchor as exc:
        return Document(path, None, [_reused_anchor_diagnostic(exc, path)], False, text)
    except _ParseError as exc:
        return Document(path, None, [_syntax_diagnostic(exc.error, path)], False, text)
    except (yaml.YAMLError, ValueError, TypeError, AttributeError) as exc:
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
        return Document(path, None, [make("Y007", "nesting too deep to load", path, FIRST_CHARACTER)], False, text)
    diagnostics = constructor.diagnostics
    loadable = not any(d.severity is Severity.ERROR for d in diagnostics)
    return Document(path, root, diagnostics, loadable, text)


def stream_values(text: str, path: str = "<string>") -> list[Any] | None:
    """The value of each document of a multi-document stream, or None when one does not load.

    ansible-core loads single documents only (Y005); this tells what such a file holds (a stream of
    Kubernetes manifests is no Ansible content)."""
    loader = PlainMarkingLoader(text)
    try:
        rnodes = []
        while loader.check_node():
            rnodes.append(loader.get_node())
    except (yaml.YAMLError, ValueError, TypeError, AttributeError, RecursionError):
        return None
    finally:
        loader.dispose()
    values = []
    for rnode in rnodes:
        constructor = Constructor(path, text)
        try:
            values.append(constructor.convert(rnode).value)
        except (LimitExceeded, RecursionError):
            return None
    return values


def load_bytes(data: bytes, path: str = "<bytes>", *, reference: bool = False) -> Document:
    """Decode (UTF-8, optional BOM) and load. Never raises on bad content."""
    text = decode(data)
    if isinstance(text, DecodeError):
        return Document(path, None, [make("Y002", text.message, path, text.span)], False)
    return load_text(text, path, reference=reference)
