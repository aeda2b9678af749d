"""A fast recognizer of Jinja templates and expressions: Jinja 3.1's lexer and parser restated for
one question only, "does Jinja accept this text?", without building nodes.

It answers ``True`` (Jinja's parser accepts the text), ``False`` (it rejects it, with the offset of
the token where the parse stops) or ``None`` (a construct this recognizer leaves to Jinja: raw
blocks, macros and other rare statements, non-ASCII names, carriage returns, ``#jinja2:`` headers).
Only ``True`` is final: shep asks Jinja itself (``shep.jinja._engine``) for every text answered
``False`` or ``None``, so an error shep reports is always Jinja's own. The recognizer exists for speed:
Jinja's parser costs about 50 µs a string, this one a tenth of that, and most files have only
strings it accepts.

Soundness (never ``True`` for a text Jinja rejects) is what matters and what
tests/unit/jinja/test_recognizer.py checks, against Jinja, on generated texts and on every
templated string of the corpus. The rules below follow jinja2/lexer.py and jinja2/parser.py of
Jinja 3.1 (the version ansible-core 2.19 runs), one function per parser method where the grammar
needs it; levels that only differ in the tree they build are merged (``or``/``and`` chains, the
arithmetic operators), since they accept the same token sequences.
"""

from __future__ import annotations

import re
import warnings

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

# -- lexer ----------------------------------------------------------------------------------------

# A tag opener in template data: {{, {% or {#, with Jinja's optional whitespace-control sign.
_BEGIN = re.compile(r"\{([{%#])([-+]?)")
_RAW = re.compile(r"\{%[-+]?\s*raw\b")
_COMMENT_END = re.compile(r"\+#\}|-#\}\s*|#\}\n?")
_VARIABLE_END = re.compile(r"-\}\}\s*|\}\}")
_BLOCK_END = re.compile(r"\+%\}|-%\}\s*|%\}\n?")  # ansible-core sets trim_blocks: one newline goes with %}
# Jinja's tag rules in its order (whitespace, float, integer, name, string, operator), ASCII only:
# a character Jinja would take as Unicode whitespace, digit or letter ends the scan here, and the
# text goes to Jinja. Compiled on first need (``_lexers``), as _FAST_SOURCE below: a run whose texts all take
# the small patterns' paths (a file or two) never lexes a tag.
_TAG_SOURCE = (
    r"""(?P<ws>\s+)
    |(?P<float>(?<!\.)(?:[0-9]+_)*[0-9]+
        (?:(?:\.(?:[0-9]+_)*[0-9]+)?[eE][+\-]?(?:[0-9]+_)*[0-9]+|\.(?:[0-9]+_)*[0-9]+))
    |(?P<integer>0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0[xX](?:_?[0-9a-fA-F])+|[1-9](?:_?[0-9])*|0(?:_?0)*)
    |(?P<name>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<string>'[^'\\]*(?:\\.[^'\\]*)*'|"[^"\\]*(?:\\.[^"\\]*)*")
    |(?P<op>//|\*\*|==|!=|>=|<=|[-+/*%~\[\](){}>=<.:|,;])"""
)
_OPERATORS = {
    "+": "add", "-": "sub", "/": "div", "//": "floordiv", "*": "mul", "%": "mod", "**": "pow", "~": "tilde",
    "[": "lbracket", "]": "rbracket", "(": "lparen", ")": "rparen", "{": "lbrace", "}": "rbrace", "==": "eq",
    "!=": "ne", ">": "gt", ">=": "gteq", "<": "lt", "<=": "lteq", "=": "assign", ".": "dot", ":": "colon",
    "|": "pipe", ",": "comma", ";": "semicolon",
}
_CLOSER = {"(": ")", "[": "]", "{": "}"}
ERROR = "error"  # the token where Jinja's lexer raises: nothing after it is lexed
EOF = "eof"


class Tokens:
    """Parallel lists of token types, values and start offsets, as Jinja's lexer would yield them
    (whitespace and comments dropped), ending in ``eof`` or in an ``error`` token."""

    __slots__ = ("types", "values", "offsets")

    def __init__(self) -> None:
        self.types: list[str] = []
        self.values: list[str] = []
        self.offsets: list[int] = []

    def add(self, kind: str, value: str, offset: int) -> None:
        self.types.append(kind)
        self.values.append(value)
        self.offsets.append(offset)


class Unsure(Exception):
    """A construct left to Jinja itself."""


def _string_failure(token: str) -> str | None:
    """Jinja's message when its lexer fails to unescape a string token (``\\x`` without two hex digits…)."""
    try:
        with warnings.catch_warnings():  # invalid escapes only warn (DeprecationWarning)
            warnings.simplefilter("ignore")
            token[1:-1].encode("ascii", "backslashreplace").decode("unicode-escape")
    except (UnicodeError, ValueError) as exc:
        return str(exc).split(":")[-1].strip()
    return None


def _lex_tag(source: str, pos: int, tokens: Tokens, end: re.Pattern[str], end_type: str,
             escaped: bool) -> int:
    """Tokens of one ``{{ … }}`` or ``{% … %}`` from ``pos`` (after the opener) to its end tag,
    which ends it only where brackets balance; the position after it, or -1 when the lexer stops
    (an error token, or the end of the text)."""
    balance: list[str] = []
    length = len(source)
    match_tag = (_compiled_lexers or _lexers())[0].match
    while True:
        if not balance:
            closing = end.match(source, pos)
            if closing is not None:
                tokens.add(end_type, "", pos)
                return closing.end()
        found = match_tag(source, pos)
        if found is None:
            if pos < length:
                if not source[pos].isascii():
                    raise Unsure("a non-ASCII character")  # a name for Jinja maybe (Unicode identifiers)
                tokens.add(ERROR, f"unexpected char {source[pos]!r} at {pos}", pos)
            return -1
        kind = found.lastgroup
        text = found.group()
        if kind == "op":
            if text in _CLOSER:
                balance.append(_CLOSER[text])
            elif text in ")]}":
                if not balance:
                    tokens.add(ERROR, f"unexpected '{text}'", pos)
                    return -1
                expected = balance.pop()
                if expected != text:
                    tokens.add(ERROR, f"unexpected '{text}', expected '{expected}'", pos)
                    return -1
            tokens.add(_OPERATORS[text], text, pos)
        elif kind == "string":
            failure = _string_failure(text) if "\\" in text and not escaped else None
            if failure is not None:
                tokens.add(ERROR, failure, pos)
                return -1
            tokens.add("string", text, pos)
        elif kind != "ws":
            tokens.add(kind, text, pos)  # type: ignore[arg-type]
        pos = found.end()


# The same rules as _TAG_SOURCE, for the fast path: one C call (``findall``) lexes a whole tag whose end
# is known, whitespace skipped, any other character a one-character token (Jinja's "unexpected char").
_FAST_SOURCE = (
    r"""\s*(
    (?<!\.)(?:[0-9]+_)*[0-9]+(?:(?:\.(?:[0-9]+_)*[0-9]+)?[eE][+\-]?(?:[0-9]+_)*[0-9]+|\.(?:[0-9]+_)*[0-9]+)
    |0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0[xX](?:_?[0-9a-fA-F])+|[1-9](?:_?[0-9])*|0(?:_?0)*
    |[A-Za-z_][A-Za-z0-9_]*
    |'[^'\\]*(?:\\.[^'\\]*)*'|"[^"\\]*(?:\\.[^"\\]*)*"
    |//|\*\*|==|!=|>=|<=|[-+/*%~\[\](){}>=<.:|,;]
    |\S)"""
)
_compiled_lexers: list[re.Pattern[str]] = []


def _lexers() -> list[re.Pattern[str]]:
    """The exact lexer's pattern and the fast lexer's, compiled (once)."""
    if not _compiled_lexers:
        _compiled_lexers.extend((re.compile(_TAG_SOURCE, re.S | re.X), re.compile(_FAST_SOURCE, re.S | re.X)))
    return _compiled_lexers
_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_DIGITS = frozenset("0123456789")


class _Stray(Exception):
    """A quote that opens no complete string: the tag's end may lie inside a string; lex it exactly."""


# The kind of each token text met so far (bounded): names, numbers and operators recur across strings,
# so most tokens are classified by one dict lookup inside a comprehension.
_KINDS: dict[str, str] = {text: kind for text, kind in _OPERATORS.items()}
_KINDS_MAX = 20_000
STRAY = "stray"


def _classify(token: str) -> str:
    first = token[0]
    if first in _NAME_START:
        kind = "name"
    elif first in _DIGITS:
        if len(token) > 1 and token[1] in "xXbBoO":
            kind = "integer"
        elif "." in token or "e" in token or "E" in token:
            kind = "float"
        else:
            kind = "integer"
    elif first == "'" or first == '"':
        if len(token) == 1:
            return STRAY
        if "\\" in token:
            return "string?"  # escapes: checked by the caller (it knows whether they are doubled)
        kind = "string"
    else:
        return ERROR  # a character no rule matches (operators are in _KINDS from the start)
    if len(_KINDS) < _KINDS_MAX:
        _KINDS[token] = kind
    return kind


def _fast_tag(code: str, tokens: Tokens, escaped: bool) -> None:
    """The tokens of ``code``, a whole tag's content (its end known), without offsets (all 0),
    ending at an error token for a character Jinja's lexer stops at."""
    texts = (_compiled_lexers or _lexers())[1].findall(code)
    kinds = _KINDS
    types = [kinds.get(text) or _classify(text) for text in texts]
    if "string?" in types:
        for index, kind in enumerate(types):
            if kind == "string?":
                types[index] = ERROR if not escaped and _string_failure(texts[index]) else "string"
    if STRAY in types:
        raise _Stray
    if ERROR in types:
        cut = types.index(ERROR) + 1
        del types[cut:], texts[cut:]
    tokens.types += types
    tokens.values += texts
    tokens.offsets += [0] * len(types)


def _lex_fast(source: str, expression: bool) -> Tokens | None:
    """Jinja's token stream, the offsets of most tokens left 0: each tag whose end is plain to see lexed
    in one C call, the others by the exact lexer; None for an expression holding ``}}`` (the exact lexer
    then does it all)."""
    tokens = Tokens()
    if source.endswith("\n"):
        source = source[:-1]
    try:
        if expression:
            if "}}" in source:
                return None
            _fast_tag(source, tokens, False)
        else:
            _fast_template(source, tokens)
    except _Stray:
        return None
    if not tokens.types or tokens.types[-1] != ERROR:
        tokens.add(EOF, "", 0)
    return tokens


def _fast_template(source: str, tokens: Tokens) -> None:
    pos = 0
    add = tokens.add
    while True:
        found = _BEGIN.search(source, pos)
        if found is None:
            if pos < len(source):
                add("data", "", 0)
            return
        if found.start() > pos:
            add("data", "", 0)
        opener = found.group(1)
        code_start = found.end()
        if opener == "#":
            closing = _COMMENT_END.search(source, code_start)
            if closing is None:
                if code_start < len(source):  # Jinja's lexer fails on the next character, if there is one
                    add(ERROR, "Missing end of comment tag", 0)
                return
            pos = closing.end()
            continue
        if opener == "%" and _RAW.match(source, found.start()):
            raise Unsure("raw block")
        variable = opener == "{"
        end = source.find("}}" if variable else "%}", code_start)
        code = source[code_start:end]
        add("variable_begin" if variable else "block_begin", "", found.start())
        if end < 0 or "{" in code or "}" in code or (not variable and "%" in code):
            # where this tag ends depends on brackets: the exact lexer reads it, the rest goes on here
            pos = _lex_tag(source, code_start, tokens, _VARIABLE_END if variable else _BLOCK_END,
                           "variable_end" if variable else "block_end", variable)
            if pos < 0:
                return
            continue
        if code.endswith("-") or (not variable and code.endswith("+")):
            code = code[:-1]  # -}}, -%} and +%} are end tags
        try:
            _fast_tag(code, tokens, variable)  # adds nothing when it raises
        except _Stray:  # a quote that opens no string here: the end may lie inside a string
            pos = _lex_tag(source, code_start, tokens, _VARIABLE_END if variable else _BLOCK_END,
                           "variable_end" if variable else "block_end", variable)
            if pos < 0:
                return
            continue
        if tokens.types[-1] == ERROR:
            return
        add("variable_end" if variable else "block_end", "", 0)
        pos = end + 2


def lex(source: str, expression: bool) -> Tokens:
    """Jinja's token stream, with offsets, for a template (``expression=False``) or for
    ``compile_expression`` (lexed from inside a ``{{``). Backslashes in the strings of ``{{ … }}`` are
    escaped first, as ansible-core's lexer does for templates (never for expressions)."""
    tokens = Tokens()
    if source.endswith("\n"):
        source = source[:-1]  # Jinja drops one trailing newline (keep_trailing_newline is off)
    pos = 0
    if expression:
        pos = _lex_tag(source, 0, tokens, _VARIABLE_END, "variable_end", False)
        # Text after a top-level }} is template data: never a valid expression (Jinja says why).
    while pos >= 0:
        found = _BEGIN.search(source, pos)
        start = len(source) if found is None else found.start()
        if start > pos:
            tokens.add("data", "", pos)
        if found is None:
            break
        opener = found.group(1)
        if opener == "#":
            closing = _COMMENT_END.search(source, found.end())
            if closing is None:
                if found.end() < len(source):  # Jinja's lexer fails on the next character, if there is one
                    tokens.add(ERROR, "Missing end of comment tag", found.start())
                    return tokens
                break
            pos = closing.end()
        elif opener == "{":
            tokens.add("variable_begin", "", found.start())
            pos = _lex_tag(source, found.end(), tokens, _VARIABLE_END, "variable_end", True)
        else:
            if _RAW.match(source, found.start()):
                raise Unsure("raw block")
            tokens.add("block_begin", "", found.start())
            pos = _lex_tag(source, found.end(), tokens, _BLOCK_END, "block_end", False)
    if not tokens.types or tokens.types[-1] != ERROR:
        tokens.add(EOF, "", len(source))
    return tokens


# -- parser ---------------------------------------------------------------------------------------

_CONSTANT_NAMES = frozenset(("true", "false", "True", "False", "none", "None"))
_COMPARE = frozenset(("eq", "ne", "lt", "lteq", "gt", "gteq"))
_ARITHMETIC = frozenset(("add", "sub", "tilde", "mul", "div", "floordiv", "mod", "pow"))
_TUPLE_END = frozenset(("variable_end", "block_end", "rparen"))
_TEST_ARGUMENT = frozenset(("name", "string", "integer", "float", "lparen", "lbracket", "lbrace"))
_NOT_A_TEST_ARGUMENT = frozenset(("else", "or", "and"))
# Statements Jinja knows that this recognizer leaves to Jinja (rare in playbooks).
_OTHER_STATEMENTS = frozenset(("block", "extends", "print", "macro", "include", "from", "import", "with",
                               "autoescape", "call", "filter"))
# Jinja's words for a token type (lexer.describe_token): operators by their symbol.
_DESCRIPTIONS = {kind: text for text, kind in _OPERATORS.items()} | {
    "block_begin": "begin of statement block", "block_end": "end of statement block",
    "variable_begin": "begin of print statement", "variable_end": "end of print statement",
    "data": "template data / text", EOF: "end of template",
}
_IF_ENDS = ("elif", "else", "endif")
_FOR_ENDS = ("endfor", "else")


def _describe(kind: str) -> str:
    return _DESCRIPTIONS.get(kind, kind)


class Reject(Exception):
    """Jinja rejects the text: ``offset`` is where the mistake is shown (an unclosed tag or block where
    it opens), ``message`` and ``line`` are Jinja's (meaningful when the tokens carry offsets).
    ``compiling``: Jinja parses the text, but the Python it compiles it into does not compile (a keyword
    argument repeated): ansible-core's words are then "Error rendering", not "Syntax error"."""

    def __init__(self, offset: int, message: str = "", line: int = 0, compiling: bool = False) -> None:
        super().__init__(offset, message, line)
        self.offset = offset
        self.message = message
        self.line = line
        self.compiling = compiling


class Parser:
    """Jinja's ``Parser`` over :class:`Tokens`, accepting what it accepts and building nothing but the
    list of filter and test names (``names``: kind, dotted name, offset of its first part). A rejection
    carries Jinja's message and line, the same ``fail`` calls at the same tokens."""

    def __init__(self, tokens: Tokens, source: str) -> None:
        self.t = tokens.types
        self.v = tokens.values
        self.o = tokens.offsets
        self.source = source
        self.i = 0
        self.names: list[tuple[str, str, int]] = []
        # Where the tag being read starts ({{ or {%), -1 between tags, and the {% of each statement
        # whose end tag is still to come: an error at the end of the text points there.
        self.tag = -1
        self.blocks: list[int] = []
        # Jinja's _end_token_stack and _tag_stack, for its "unexpected end"/"unknown tag" messages.
        self.end_stack: list[tuple[str, ...]] = []
        self.tag_stack: list[str] = []
        # The first keyword argument given twice in a call: Python refuses to compile the code Jinja
        # makes of it, once the whole text has parsed (``finish``).
        self.repeated: Reject | None = None

    def finish(self) -> None:
        if self.repeated is not None:
            raise self.repeated

    # -- failing as Jinja fails -----------------------------------------------------------------

    def line_at(self, index: int) -> int:
        """Jinja's line number of token ``index``: where it starts; the end of the text takes the
        line of the token before it (``TokenStream.close``)."""
        if self.t[index] == EOF:
            return self.line_at(index - 1) if index else 1
        return self.source.count("\n", 0, self.o[index]) + 1

    def fail(self, message: str, index: int | None = None) -> NoReturn:
        """Jinja's ``fail(message, lineno)`` at the current token (or at ``index``'s line)."""
        here = self.i
        if self.t[here] == ERROR:  # Jinja's lexer raised when the parser moved onto this token
            raise Reject(self.o[here], self.v[here], self.line_at(here))
        line = self.line_at(here if index is None else index)
        offset = self.o[here]
        if self.t[here] == EOF:  # the text ends too soon: the tag or block left open is the mistake
            offset = self.tag if self.tag >= 0 else self.blocks[-1] if self.blocks else offset
        raise Reject(offset, message, line)

    def unexpected(self) -> NoReturn:
        self.fail(f"unexpected {self.description()!r}")

    def description(self, index: int | None = None) -> str:
        index = self.i if index is None else index
        kind = self.t[index]
        return self.v[index] if kind == "name" else _describe(kind)

    def expect(self, kind: str) -> None:
        if self.t[self.i] != kind:
            self.expected(_describe(kind))
        self.i += 1

    def expected(self, what: str) -> NoReturn:
        """Jinja's ``TokenStream.expect`` failing: ``what`` is the expected token, described."""
        if self.t[self.i] == EOF:
            self.fail(f"unexpected end of template, expected {what!r}.")
        self.fail(f"expected token {what!r}, got {self.description()!r}")

    def end_of_template(self, name: str | None, stack: list[tuple[str, ...]], index: int | None = None) -> NoReturn:
        """Jinja's ``_fail_ut_eof``: an unknown tag (``name``) or the end of the text inside a block."""
        expected = {word for ends in stack for word in ends}
        looking = " or ".join(repr(word) for word in stack[-1]) if stack else None
        words = ["Unexpected end of template." if name is None else f"Encountered unknown tag {name!r}."]
        if looking:
            if name is not None and name in expected:
                words.append("You probably made a nesting mistake. Jinja is expecting this tag, but currently "
                             f"looking for {looking}.")
            else:
                words.append(f"Jinja was looking for the following tags: {looking}.")
        if self.tag_stack:
            words.append(f"The innermost block that needs to be closed is {self.tag_stack[-1]!r}.")
        self.fail(" ".join(words), index)

    def at(self, word: str) -> bool:
        return self.t[self.i] == "name" and self.v[self.i] == word

    def skip_if(self, word: str) -> bool:
        if self.t[self.i] == "name" and self.v[self.i] == word:
            self.i += 1
            return True
        return False

    def look(self) -> tuple[str, str]:
        """The token after the current one (Jinja's ``look()``; the lexer's error raises there too)."""
        if self.t[self.i] == EOF:
            return EOF, ""
        if self.t[self.i] == ERROR:
            self.fail("")
        after = self.i + 1
        if self.t[after] == ERROR:
            raise Reject(self.o[after], self.v[after], self.line_at(after))
        return self.t[after], self.v[after]

    # -- templates ------------------------------------------------------------------------------

    def template(self) -> None:
        self.subparse(None)

    def subparse(self, ends: tuple[str, ...] | None) -> None:
        t = self.t
        if ends is not None:
            self.end_stack.append(ends)
        while t[self.i] != EOF:
            kind = t[self.i]
            if kind == "data":
                self.i += 1
            elif kind == "variable_begin":
                self.tag = self.o[self.i]
                self.i += 1
                self.tuple_(with_condexpr=True)
                self.expect("variable_end")
                self.tag = -1
            elif kind == "block_begin":
                self.tag = self.o[self.i]
                self.i += 1
                if ends is not None and t[self.i] == "name" and self.v[self.i] in ends:
                    self.end_stack.pop()
                    return
                self.blocks.append(self.tag)
                self.statement()
                self.blocks.pop()
                self.expect("block_end")
                self.tag = -1
            else:
                self.fail("internal parsing error")  # an error token: the lexer's message
        if ends is not None:
            self.end_stack.pop()

    def statements(self, ends: tuple[str, ...], drop_needle: bool = False) -> None:
        if self.t[self.i] == "colon":
            self.i += 1
        self.expect("block_end")
        self.tag = -1
        self.subparse(ends)
        if self.t[self.i] == EOF:
            self.end_of_template(None, [*self.end_stack, ends])
        if drop_needle:
            self.i += 1

    def statement(self) -> None:
        if self.t[self.i] != "name":
            self.fail("tag name expected")
        word = self.v[self.i]
        if word in _OTHER_STATEMENTS:
            raise Unsure(word)
        if word not in ("if", "for", "set"):
            # an unknown tag (ansible-core enables no extension: no `do`, no `break`)
            self.end_of_template(word, self.end_stack)
        self.tag_stack.append(word)
        if word == "if":
            self.if_()
        elif word == "for":
            self.for_()
        else:
            self.set_()
        self.tag_stack.pop()

    def if_(self) -> None:
        self.i += 1
        while True:
            self.tuple_(with_condexpr=False)
            self.statements(_IF_ENDS)
            word = self.v[self.i]
            self.i += 1
            if word == "elif":
                continue
            if word == "else":
                self.statements(("endif",), drop_needle=True)
            return

    def for_(self) -> None:
        self.i += 1
        self.assign_target(end="in")
        if not self.skip_if("in"):
            self.expected("in")
        self.tuple_(with_condexpr=False, end="recursive")
        if self.skip_if("if"):
            self.expression()
        self.skip_if("recursive")
        self.statements(_FOR_ENDS)
        word = self.v[self.i]
        self.i += 1
        if word != "endfor":
            self.statements(("endfor",), drop_needle=True)

    def set_(self) -> None:
        self.i += 1
        if self.t[self.i] == "name" and self.look()[0] == "dot":  # a namespace attribute: ns.x
            self.i += 2
            self.expect("name")
            if self.t[self.i] == "comma":
                raise Unsure("tuple of namespace targets")
        else:
            self.assign_target(end=None)
        if self.t[self.i] == "assign":
            self.i += 1
            self.tuple_(with_condexpr=True)
            return
        self.filter_chain(inline=False)
        self.statements(("endset",), drop_needle=True)

    def assign_target(self, end: str | None) -> None:
        """A for or set target: names, or a tuple of names (anything else is left to Jinja)."""
        t, v = self.t, self.v
        count = 0
        while True:
            if count:
                self.expect("comma")
            if t[self.i] in _TUPLE_END or (end is not None and self.at(end)):
                break
            if t[self.i] != "name" or v[self.i] in _CONSTANT_NAMES or v[self.i] == "loop":
                raise Unsure("assignment target")
            self.i += 1
            count += 1
            if t[self.i] != "comma":
                break
        if not count:
            self.fail(f"Expected an expression, got {self.description()!r}")

    # -- expressions ----------------------------------------------------------------------------

    def tuple_(self, with_condexpr: bool = True, end: str | None = None, parenthesized: bool = False) -> None:
        t = self.t
        count = 0
        is_tuple = False
        while True:
            if count:
                self.expect("comma")
            if t[self.i] in _TUPLE_END or (end is not None and self.at(end)):
                break
            if with_condexpr:
                self.expression()
            else:
                self.or_()
            count += 1
            if t[self.i] == "comma":
                is_tuple = True
            else:
                break
        if not is_tuple and not count and not parenthesized:
            self.fail(f"Expected an expression, got {self.description()!r}")

    def expression(self) -> None:
        """Jinja's ``parse_condexpr``: ``a if b else c``, the else optional, chained."""
        self.or_()
        while self.skip_if("if"):
            self.or_()
            if self.skip_if("else"):
                self.expression()

    def or_(self) -> None:
        """``parse_or``, ``parse_and`` and ``parse_not``: ``not``-prefixed comparisons joined by
        ``and``/``or``."""
        t, v = self.t, self.v
        while True:
            while t[self.i] == "name" and v[self.i] == "not":
                self.i += 1
            self.compare()
            if t[self.i] == "name" and (v[self.i] == "and" or v[self.i] == "or"):
                self.i += 1
                continue
            return

    def compare(self) -> None:
        """``parse_compare`` over ``parse_math1``, ``parse_concat``, ``parse_math2`` and ``parse_pow``:
        unary operands joined by arithmetic operators (the levels differ in precedence only), compared."""
        t, v = self.t, self.v
        while True:
            self.unary(True)
            while t[self.i] in _ARITHMETIC:
                self.i += 1
                self.unary(True)
            kind = t[self.i]
            if kind in _COMPARE:
                self.i += 1
            elif kind == "name" and v[self.i] == "in":
                self.i += 1
            elif kind == "name" and v[self.i] == "not" and self.look() == ("name", "in"):
                self.i += 2
            else:
                return

    def unary(self, with_filter: bool) -> None:
        t = self.t
        kind = t[self.i]
        if kind == "name" or kind == "integer" or kind == "float":  # the commonest primaries, inline
            self.i += 1
        elif kind == "sub" or kind == "add":
            self.i += 1
            self.unary(False)
        else:
            self.primary()
        kind = t[self.i]
        if kind == "dot" or kind == "lbracket" or kind == "lparen":
            self.postfix()
        if with_filter:
            kind = t[self.i]
            if kind == "pipe" or kind == "lparen" or (kind == "name" and self.v[self.i] == "is"):
                self.filter_expression()

    def primary(self) -> None:
        kind = self.t[self.i]
        if kind == "name" or kind == "integer" or kind == "float":
            self.i += 1
        elif kind == "string":
            self.i += 1
            while self.t[self.i] == "string":
                self.i += 1
        elif kind == "lparen":
            self.i += 1
            self.tuple_(parenthesized=True)
            self.expect("rparen")
        elif kind == "lbracket":
            self.i += 1
            self.items("rbracket", pairs=False)
        elif kind == "lbrace":
            self.i += 1
            self.items("rbrace", pairs=True)
        else:
            self.unexpected()

    def items(self, closer: str, pairs: bool) -> None:
        """A list or dict literal after its opening bracket: a trailing comma is allowed."""
        t = self.t
        count = 0
        while t[self.i] != closer:
            if count:
                self.expect("comma")
            if t[self.i] == closer:
                break
            self.expression()
            if pairs:
                self.expect("colon")
                self.expression()
            count += 1
        self.i += 1

    def postfix(self) -> None:
        t = self.t
        while True:
            kind = t[self.i]
            if kind == "dot":
                self.i += 1
                attribute = self.i
                if t[attribute] != "name" and t[attribute] != "integer":
                    if t[attribute] != EOF and t[attribute] != ERROR:
                        self.i += 1  # Jinja moves past the token before it fails (its lexer may raise first)
                    if t[self.i] == ERROR:
                        self.fail("")
                    self.i = attribute
                    self.fail("expected name or number")
                self.i += 1
            elif kind == "lbracket":
                self.i += 1
                count = 0
                while t[self.i] != "rbracket":
                    if count:
                        self.expect("comma")
                    self.subscribed()
                    count += 1
                self.i += 1
            elif kind == "lparen":
                self.call_arguments()
            else:
                return

    def filter_expression(self) -> None:
        t = self.t
        while True:
            kind = t[self.i]
            if kind == "pipe":
                self.filter_chain(inline=False)
            elif kind == "name" and self.v[self.i] == "is":
                self.test()
            elif kind == "lparen":
                self.call_arguments()
            else:
                return

    def subscribed(self) -> None:
        t = self.t
        if t[self.i] == "colon":
            self.i += 1
        else:
            self.expression()
            if t[self.i] != "colon":
                return
            self.i += 1
        if t[self.i] != "colon" and t[self.i] != "rbracket" and t[self.i] != "comma":
            self.expression()
        if t[self.i] == "colon":
            self.i += 1
            if t[self.i] != "rbracket" and t[self.i] != "comma":
                self.expression()

    def call_arguments(self) -> None:
        """``parse_call_args``: positional, then keyword arguments, ``*args`` and ``**kwargs``."""
        t = self.t
        opening = self.i
        self.i += 1  # the ( (callers checked it)
        keywords = star = double_star = False
        require_comma = False
        named: set[str] = set()
        while t[self.i] != "rparen":
            if require_comma:
                self.expect("comma")
                if t[self.i] == "rparen":
                    break
            kind = t[self.i]
            if kind == "mul":
                if star or double_star:
                    self.fail("invalid syntax for function call expression", opening)
                self.i += 1
                self.expression()
                star = True
            elif kind == "pow":
                if double_star:
                    self.fail("invalid syntax for function call expression", opening)
                self.i += 1
                self.expression()
                double_star = True
            elif kind == "name" and self.look()[0] == "assign":
                if double_star:
                    self.fail("invalid syntax for function call expression", opening)
                name = self.v[self.i]
                if name in named and self.repeated is None:
                    self.repeated = Reject(self.o[self.i], f"keyword argument repeated: {name}",
                                           self.line_at(self.i), compiling=True)
                named.add(name)
                self.i += 2
                self.expression()
                keywords = True
            else:
                if star or double_star or keywords:
                    self.fail("invalid syntax for function call expression", opening)
                self.expression()
            require_comma = True
        self.i += 1

    def dotted_name(self, kind: str) -> None:
        if self.t[self.i] != "name":
            self.expected("name")
        start = self.i
        parts = [self.v[self.i]]
        self.i += 1
        while self.t[self.i] == "dot":
            self.i += 1
            if self.t[self.i] != "name":
                self.expected("name")
            parts.append(self.v[self.i])
            self.i += 1
        self.names.append((kind, ".".join(parts), self.o[start]))

    def filter_chain(self, inline: bool) -> None:
        """``parse_filter``: ``| name(.name)*`` with optional call arguments, repeated; ``inline``: the
        first filter has no pipe (``{% filter f %}``)."""
        t = self.t
        while t[self.i] == "pipe" or inline:
            if not inline:
                self.i += 1
            inline = False
            self.dotted_name("filter")
            if t[self.i] == "lparen":
                self.call_arguments()

    def test(self) -> None:
        t, v = self.t, self.v
        self.i += 1  # is
        if t[self.i] == "name" and v[self.i] == "not":
            self.i += 1
        self.dotted_name("test")
        kind = t[self.i]
        if kind == "lparen":
            self.call_arguments()
        elif kind in _TEST_ARGUMENT and not (kind == "name" and v[self.i] in _NOT_A_TEST_ARGUMENT):
            if kind == "name" and v[self.i] == "is":
                self.fail("You cannot chain multiple tests with is")
            self.primary()
            self.postfix()


# -- the commonest shapes, by one regular expression ----------------------------------------------

# Most conditionals and templates of real playbooks are a variable with attributes, a test, a
# comparison with a literal or a few plain filters. These patterns accept a subset of what the
# parser accepts (keywords are never names, strings hold no backslash, brace or pipe, numbers are
# decimal), so a full match is the parser's verdict at the cost of one C call; anything else goes
# through the lexer and parser above. tests/unit/jinja/test_recognizer.py checks the subset.
Names = list[tuple[str, str, int]]
# Keywords are names where Jinja's parser expects a name, so only two need keeping out: ``is`` (whose
# only place here is a test, which _TEST_NAMES relies on) and, where an expression or a test name
# starts, ``not`` (an operator there).
_N = r"(?!is\b)[A-Za-z_]\w*"
_N0 = r"(?!(?:not|is)\b)[A-Za-z_]\w*"
_INT = r"(?:0|[1-9][0-9]*)(?![\w.])"
# After a dot no float can start (Jinja's float rule looks behind for one): ``x.0.name`` is two lookups.
_ATTRIBUTE_INT = r"(?:0|[1-9][0-9]*)(?!\w)"
_STR = r"""(?:'[^'\\{}|\n]*'|"[^"\\{}|\n]*")"""
_VALUE = rf"(?:{_STR}|{_INT}|{_N}(?:\.{_N})*)"
_VALUES = rf"{_VALUE}(?:\s*,\s*{_VALUE})*"
_CALL = rf"\(\s*(?:{_VALUES})?\s*\)"  # positional arguments only
_KEYWORDS = rf"{_N}\s*=\s*{_VALUE}(?:\s*,\s*{_N}\s*=\s*{_VALUE})*"
_FILTER = (rf"\s*\|\s*{_N}(?:\.{_N})*"
           rf"(?:\(\s*(?:{_VALUE}(?:\s*,\s*{_VALUE})*(?:\s*,\s*{_KEYWORDS})?|{_KEYWORDS})?\s*\))?")
_POSTFIX = rf"(?:\.{_N}|\.{_ATTRIBUTE_INT}|\[\s*(?:{_VALUE})\s*\]|{_CALL})*"
_OPERAND = rf"(?:[-+]\s*)?(?:{_N0}|{_STR}|{_INT}|\[\s*(?:{_VALUES}\s*,?)?\s*\]){_POSTFIX}(?:{_FILTER})*"
# A test ends an item: what follows is an operator, "and"/"or" or the end, never "in" (Jinja would
# read a name after the test's name as its argument).
_ITEM = rf"{_OPERAND}(?:\s+is\s+(?:not\s+)?{_N0}(?:\.{_N})*(?:{_CALL})?(?!\s+(?:not\s+)?in\b))?"
_OPERATOR = (r"\s*(?:==|!=|<=|>=|<|>|\*\*|//|[-+*/%~])\s*|\s+(?:not\s+)?in\s+"
             r"|\s+(?:and|or)\s+(?:not\s+)*")
# Items joined by operators; "not" only at the start and after "and"/"or" (elsewhere it is a name).
# The first item starts the expression (``start``); an operator follows an item, which ends with a
# name, a literal or a bracket. One copy of the item pattern keeps the compiled pattern small.
def _items(start: str) -> str:
    return rf"(?:(?:{start})|(?<=[\w'\")\]])(?:{_OPERATOR})){_ITEM}"


_EXPRESSION_START = r"\A\s*(?:not\s+)*"
SIMPLE_EXPRESSION = rf"(?:{_items(_EXPRESSION_START)})+\s*"
# One pattern serves templates too: a template is of these shapes when it has no {% %} or {# #} and the
# content of each {{ }} is (whitespace control aside). Compiling it takes about 4 ms: a run compiles it
# once it has met SIMPLE_AFTER texts (fewer cost less through the parser alone, as a one-file
# pre-commit run does).
SIMPLE_AFTER = 100
_compiled: list[re.Pattern[str]] = []
_met = [0]


def simple_pattern() -> re.Pattern[str]:
    """SIMPLE_EXPRESSION, compiled (once)."""
    if not _compiled:
        _compiled.append(re.compile(SIMPLE_EXPRESSION, re.ASCII))
    return _compiled[0]


# In a text one of them matches, the filter and test names: string literals blanked first (they hold
# no backslash there), then a pipe's name and a test's (``is`` is never a name in those shapes).
_DOTTED = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*"
_STRING_LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"")
_FILTER_NAMES = re.compile(rf"\|\s*({_DOTTED})")
_TEST_NAMES = re.compile(rf"\bis\s+(?:not\s+)?({_DOTTED})")


def _simple_names(code: str) -> list[tuple[str, str, int]]:
    if "'" in code or '"' in code:
        code = _STRING_LITERAL.sub("''", code)
    found = [("filter", name, 0) for name in _FILTER_NAMES.findall(code)] if "|" in code else []
    if "is" in code:
        found += [("test", name, 0) for name in _TEST_NAMES.findall(code)]
    return found


# Keyword argument names (an over-approximation: any call of the text); two alike leave the text to the
# parser, which knows whether they are in one call (Python would not compile it).
_KEYWORD_NAMES = re.compile(r"[(,]\s*([A-Za-z_]\w*)\s*=(?!=)")


def _repeats_a_keyword(source: str) -> bool:
    names = _KEYWORD_NAMES.findall(source)
    return len(names) != len(set(names))


# The commonest conditional of all, in a small pattern tried first: a name or attribute, maybe negated,
# maybe through one filter without arguments, maybe tested (``x``, ``not r.changed``, ``x | bool``,
# ``r is failed``). A sublanguage of SIMPLE_EXPRESSION's, whose names it gives by group.
_TRIVIAL_N = r"(?!is\b)[A-Za-z_]\w*+"
_TRIVIAL_N0 = r"(?!(?:not|is)\b)[A-Za-z_]\w*+"
# Possessive throughout: the shape is unambiguous, and a text of another shape fails without backtracking.
_TRIVIAL = re.compile(rf"\s*+(?:not\s++)*+{_TRIVIAL_N0}(?:\.{_TRIVIAL_N})*+"
                      rf"(?:\s*+\|\s*+(?P<filter>{_TRIVIAL_N}(?:\.{_TRIVIAL_N})*+))?+"
                      rf"(?:\s++is\s++(?:not\s++)?+(?P<test>{_TRIVIAL_N0}(?:\.{_TRIVIAL_N})*+))?+\s*+", re.ASCII)


# The next commonest, also tried before SIMPLE_EXPRESSION's pattern: names, attributes, indices and literals
# compared or joined by operators, with no filter, test or call (``r.rc == 0``, ``'x' in r.stdout and
# not y``): a sublanguage of SIMPLE_EXPRESSION's without a name to report (its strings hold no parenthesis
# either, so no keyword argument can seem repeated).
_C_STR = r"""(?:'[^'\\{}|\n(]*+'|"[^"\\{}|\n(]*+")"""
_C_INT = r"(?:0|[1-9][0-9]*+)(?![\w.])"
_C_OPERAND = (rf"(?:{_TRIVIAL_N0}(?:\.{_TRIVIAL_N}|\.(?:0|[1-9][0-9]*+)(?!\w)|\[\s*+(?:{_C_STR}|{_C_INT})\s*+\])*+"
              rf"|{_C_STR}|{_C_INT})")
_C_OPERATOR = r"\s*+(?:==|!=|<=|>=|<|>|[-+*/%~])\s*+|\s++(?:not\s++)?in\s++|\s++(?:and|or)\s++(?:not\s++)*+"
_COMPARISON = re.compile(rf"\s*+(?:not\s++)*+{_C_OPERAND}(?:(?:{_C_OPERATOR}){_C_OPERAND})*+\s*+", re.ASCII)


def trivial(source: str) -> list[tuple[str, str, int]] | None:
    """The filter and test names of an expression of _TRIVIAL's or _COMPARISON's shape, None for any other
    text."""
    match = _TRIVIAL.fullmatch(source)
    if match is None:
        return [] if _COMPARISON.fullmatch(source) is not None else None
    filter_name, test = match.group("filter", "test")
    if filter_name is None:
        return [] if test is None else [("test", test, 0)]
    return [("filter", filter_name, 0)] if test is None else [("filter", filter_name, 0), ("test", test, 0)]


# The names of each {{ }} content _simple has met (None: not of the simple shapes): the same contents
# recur in many texts ("{{ item }}", "{{ remote_tmp_dir }}/…"). Cleared with shep.jinja's verdicts.
TAGS: dict[str, list[tuple[str, str, int]] | None] = {}
_TAGS_MAX = 100_000


def _tag_names(code: str) -> list[tuple[str, str, int]] | None:
    if code[:1] == "-" or code[:1] == "+":
        code = code[1:]  # {{- and {{+ open the tag
    if code[-1:] == "-":
        code = code[:-1]  # -}} closes it
    names = trivial(code)  # the commonest contents ("{{ item }}"): the same answer as below, sooner
    if names is not None:
        return names
    if _compiled[0].fullmatch(code) is None:
        return None
    return _simple_names(code) if "|" in code or "is" in code else []


def _simple(source: str, expression: bool) -> list[tuple[str, str, int]] | None:
    """The filter and test names of a text of the commonest shapes, None for any other text (and for
    every text until the run has met SIMPLE_AFTER of them)."""
    if not _compiled:
        _met[0] += 1
        if _met[0] < SIMPLE_AFTER:
            return None
        simple_pattern()
    if "=" in source and "(" in source and _repeats_a_keyword(source):
        return None
    if expression:
        if _compiled[0].fullmatch(source) is None:
            return None
        return _simple_names(source) if "|" in source or "is" in source else []
    if "{%" in source or "{#" in source:
        return None
    tags = source.split("{{")
    names: list[tuple[str, str, int]] = []
    for tag in tags[1:]:  # each: the tag's content, "}}", then text
        end = tag.find("}}")
        code = tag[:end]
        if end < 0 or "{" in code:
            return None
        found = TAGS.get(code, _UNSEEN)
        if found is _UNSEEN:
            if len(TAGS) >= _TAGS_MAX:
                TAGS.clear()
            found = TAGS[code] = _tag_names(code)
        if found is None:
            return None
        if found:
            names += found
    return names


_UNSEEN: list[tuple[str, str, int]] = []


def recognize(source: str, expression: bool, exact: bool = False,
              simple: bool = True) -> tuple[bool | None, Reject | None, Names]:
    """Whether Jinja accepts ``source`` as a template (``expression=False``) or as an expression
    (``compile_expression``): ``(True, None, names)``, ``(False, rejection, names so far)`` or
    ``(None, None, [])`` when the recognizer leaves the text to Jinja.

    Offsets (of the error, of each name), the error's message and line are exact only with ``exact``: the
    default path lexes each tag in one C call and leaves offsets 0. Ask again with ``exact`` for the few
    texts that need them. ``simple=False``: the caller tried the commonest shapes already."""
    if "\r" in source or source.startswith("#jinja2:"):
        return None, None, []
    if simple and not exact:
        names = _simple(source, expression)
        if names is not None:
            return True, None, names
    try:
        tokens = None if exact else _lex_fast(source, expression)
        if tokens is None:
            tokens = lex(source, expression)
        parser = Parser(tokens, source)
        if expression:
            parser.expression()
            if parser.t[parser.i] != EOF:
                parser.fail("chunk after expression")
        else:
            parser.template()
        parser.finish()
    except Unsure:
        return None, None, []
    except Reject as rejected:
        return False, rejected, parser.names
    return True, None, parser.names
