"""``shep lsp``: a language server over stdio, built on pygls (the ``lsp`` extra).

Diagnostics come from the editor's buffer, validated in this process (``analysis.diagnose``): at
once when a document is opened or saved, and ``DEBOUNCE`` seconds after the last change while the
user types. Each diagnostic has its full range, its code (linked to its documentation) and, for a
did-you-mean hint, a quick fix. Hover and completion read the keyword table and the builtin
modules' argument specs (``shep.lsp.analysis``). Go-to-definition (include and import files,
roles, handlers) waits for shep's project references.

Each document's configuration is shep's own nearest its file (``.shep.yml``, ``pyproject.toml``
``[tool.shep]``), read again when that file changes.
"""

from __future__ import annotations

import asyncio
import os
from urllib.parse import unquote

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.workspace import PositionCodec, TextDocument

from shep._records import record
from shep._version import __version__
from shep.config import Config, ConfigError, candidate_files, load_config
from shep.diagnostics import Diagnostic, Severity, doc_url
from shep.lsp import analysis

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from shep.keywords import FileKind

# Seconds between the last change and the validation it triggers while the user types.
DEBOUNCE = 0.15
SOURCE = "shep"
_SEVERITIES = {Severity.ERROR: lsp.DiagnosticSeverity.Error, Severity.WARNING: lsp.DiagnosticSeverity.Warning,
               Severity.INFO: lsp.DiagnosticSeverity.Information}
_ITEM_KINDS = {"keyword": lsp.CompletionItemKind.Keyword, "module": lsp.CompletionItemKind.Module,
               "option": lsp.CompletionItemKind.Property}


@record
class _ConfigFile:
    path: str | None
    stamp: tuple[int, int]
    config: Config
    problem: str | None


class ShepLanguageServer(LanguageServer):
    """The server's state: pending validations, each open document's kind, configurations read."""

    def __init__(self) -> None:
        super().__init__("shep", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.kinds: dict[str, FileKind | None] = {}  # uri -> kind of its last validation (None: not Ansible)
        self.configs: dict[str, _ConfigFile] = {}  # directory -> its configuration
        self.reported: set[str] = set()  # configuration problems already shown

    # -- validation ------------------------------------------------------------------------------------

    def config_for(self, path: str) -> Config:
        """shep's configuration nearest ``path`` (its directory, then upward), read again when it changes."""
        directory = os.path.dirname(os.path.abspath(path))
        found = next((c for c in candidate_files(start=directory) if os.path.isfile(c)), None)
        stamp = _stamp(found)
        cached = self.configs.get(directory)
        if cached is None or cached.path != found or cached.stamp != stamp:
            try:
                cached = _ConfigFile(found, stamp, load_config(start=directory), None)
            except ConfigError as problem:
                cached = _ConfigFile(found, stamp, Config(), str(problem))
            self.configs[directory] = cached
        if cached.problem and cached.problem not in self.reported:
            self.reported.add(cached.problem)
            message = f"shep: {cached.problem}"
            self.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Error, message=message))
        return cached.config

    def validate(self, uri: str) -> None:
        """Validate the document's text as it is now and publish its diagnostics."""
        self.pending.pop(uri, None)
        # pygls keys its documents by the unquoted URI (as get_text_document looks them up).
        document = self.workspace.text_documents.get(unquote(uri))
        if document is None:
            return
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=uri, version=document.version, diagnostics=self.diagnostics_of(document)))

    def diagnostics_of(self, document: TextDocument) -> list[lsp.Diagnostic]:
        """The document's diagnostics as the client shows them (its kind remembered for hover and completion)."""
        path = _path_of(document)
        result = analysis.diagnose(document.source, path, self.config_for(path))
        self.kinds[document.uri] = analysis.kind_of(result, document.source, path)
        lines = document.lines
        return [to_lsp(d, lines, document.position_codec) for d in result.diagnostics]

    def schedule(self, uri: str, delay: float = DEBOUNCE) -> None:
        """Validate ``delay`` seconds from now, unless another change comes first."""
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        self.pending[uri] = asyncio.get_running_loop().call_later(delay, self.validate, uri)

    def kind_of(self, uri: str, document: TextDocument) -> FileKind | None:
        if uri not in self.kinds:
            self.validate(uri)
        return self.kinds.get(uri) or None

    def forget(self, uri: str) -> None:
        pending = self.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        self.kinds.pop(uri, None)


def to_lsp(d: Diagnostic, lines: Sequence[str], codec: PositionCodec) -> lsp.Diagnostic:
    """A diagnostic as LSP has it: 0-based, its full range in the client's units, the hint in the message."""
    span = d.span
    start, end = (span.line - 1, span.col - 1), (span.end_line - 1, span.end_col - 1)
    if end <= start:  # a point: show at least the character there
        end = (start[0], start[1] + 1)
    return lsp.Diagnostic(
        range=codec.range_to_client_units(lines, _lsp_range(start, end)),
        message=d.message + (f" (hint: {d.hint})" if d.hint else ""),
        severity=_SEVERITIES[d.severity], code=d.code, source=SOURCE,
        code_description=lsp.CodeDescription(href=doc_url(d.code)))


def _stamp(path: str | None) -> tuple[int, int]:
    if path is None:
        return (0, 0)
    try:
        status = os.stat(path)
    except OSError:
        return (0, 0)
    return (status.st_mtime_ns, status.st_size)


def _path_of(document: TextDocument) -> str:
    """The file a document is (kind detection reads its directories): its path, else its URI."""
    return document.path if document.uri.startswith("file:") else document.uri


server = ShepLanguageServer()


@server.feature(lsp.INITIALIZED)
def initialized(ls: ShepLanguageServer, params: lsp.InitializedParams) -> None:
    """Import the checking code now, while the editor is still opening, not on the first document."""
    analysis.diagnose("- ansible.builtin.ping:\n", "warm-up.yml")


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: ShepLanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
    ls.validate(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: ShepLanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: ShepLanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
    ls.validate(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: ShepLanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
    ls.forget(params.text_document.uri)
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


def _markdown(text: str) -> lsp.MarkupContent:
    return lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text)


def _lsp_range(start: tuple[int, int], end: tuple[int, int]) -> lsp.Range:
    return lsp.Range(start=lsp.Position(line=start[0], character=start[1]),
                     end=lsp.Position(line=end[0], character=end[1]))


def _position(document: TextDocument, position: lsp.Position) -> tuple[int, int]:
    """A client's position as (line, code point)."""
    found = document.position_codec.position_from_client_units(document.lines, position)
    return found.line, found.character


def _range(document: TextDocument, line: int, start: int, end: int) -> lsp.Range:
    return document.position_codec.range_to_client_units(
        document.lines, _lsp_range((line, start), (line, end)))


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def hover(ls: ShepLanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
    uri = params.text_document.uri
    document = ls.workspace.get_text_document(uri)
    kind = ls.kind_of(uri, document)
    if kind is None:
        return None
    line, character = _position(document, params.position)
    found = analysis.hover(document.source, line, character, kind)
    if found is None:
        return None
    text, start, end = found
    return lsp.Hover(contents=_markdown(text),
                     range=_range(document, line, start, end))


@server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(resolve_provider=True))
def completion(ls: ShepLanguageServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
    uri = params.text_document.uri
    document = ls.workspace.get_text_document(uri)
    kind = ls.kind_of(uri, document)
    if kind is None:
        return None
    line, character = _position(document, params.position)
    items, place = analysis.completions(document.source, line, character, kind)
    if not items:
        return None
    text = document.lines[line] if line < len(document.lines) else ""
    typed = text[place.end:].lstrip(" ").startswith(":")  # the key's colon is there already
    where = _range(document, line, place.start, max(place.end, character))
    return lsp.CompletionList(is_incomplete=False, items=[
        lsp.CompletionItem(
            label=item.label, kind=_ITEM_KINDS[item.kind], detail=item.detail,
            documentation=_markdown(item.documentation) if item.documentation else None,
            text_edit=lsp.TextEdit(range=where, new_text=item.label if typed else item.label + ": "),
            data={"kind": item.kind} if item.kind == "module" else None)
        for item in items])


@server.feature(lsp.COMPLETION_ITEM_RESOLVE)
def completion_resolve(ls: ShepLanguageServer, item: lsp.CompletionItem) -> lsp.CompletionItem:
    """Module items get their options when the editor shows one (reading every spec up front would not pay)."""
    if isinstance(item.data, dict) and item.data.get("kind") == "module" and item.documentation is None:
        item.documentation = _markdown(analysis.module_text(item.label))
    return item


@server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
def code_action(ls: ShepLanguageServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
    """A quick fix per name a did-you-mean hint suggests: the misspelt word of the diagnostic's line,
    replaced."""
    uri = params.text_document.uri
    document = ls.workspace.get_text_document(uri)
    actions: list[lsp.CodeAction] = []
    for diagnostic in params.context.diagnostics:
        if diagnostic.source != SOURCE:
            continue
        line = diagnostic.range.start.line
        if line >= len(document.lines):
            continue
        text = document.lines[line].rstrip("\r\n")
        for number, suggestion in enumerate(analysis.suggestions(diagnostic.message)):
            span = analysis.fix_span(text, suggestion)
            if span is None:
                continue
            old = text[span[0]:span[1]]
            edit = lsp.TextEdit(range=_range(document, line, *span), new_text=suggestion)
            actions.append(lsp.CodeAction(
                title=f"Replace '{old}' with '{suggestion}'", kind=lsp.CodeActionKind.QuickFix,
                diagnostics=[diagnostic], is_preferred=number == 0,
                edit=lsp.WorkspaceEdit(changes={uri: [edit]})))
    return actions or None


def serve() -> None:
    """Serve one client over stdin and stdout until it says exit."""
    server.start_io()
