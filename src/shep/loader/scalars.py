"""Where each character of a string scalar's value is written in the file.

A scalar's value is not its text: quotes, escapes, line folding and block indentation come in
between. :func:`char_positions` scans the scalar's text again, by the rules of its style, and maps
each character of the value to the (line, column) it comes from; a character YAML makes (a space or
a line break of a fold, an escape's result) maps to the text that makes it (the line break, the
backslash). Used for the few values that need a position inside them (a Jinja error), never for
the common path.

Styles: plain, single-quoted (``''``), double-quoted (every YAML escape, escaped line breaks), literal
``|`` and folded ``>`` block scalars with any chomping indicator and an auto-detected indentation.
When a scalar cannot be mapped (an explicit indentation indicator, or a text this scan reads
differently from the loader), the answer is None and callers point at the scalar's start.
"""

from __future__ import annotations

import bisect

from shep.diagnostics import Span
from shep.loader.construct import _line_starts

_BREAKS = "\r\n\x85\u2028\u2029"
_BLANKS = " \t"
# Double-quoted escapes of one character (x, u and U take hex digits; a line break is a join).
_ESCAPES = {
    "0": "\0", "a": "\x07", "b": "\x08", "t": "\t", "\t": "\t", "n": "\n", "v": "\x0b", "f": "\x0c",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
    "L": "\u2028", "P": "\u2029",
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}

Pieces = list[tuple[str, int]]  # each character of the value with the text offset it comes from


def char_positions(text: str, span: Span, value: str) -> list[tuple[int, int]] | None:
    """The (line, column) of each character of ``value``, the string a scalar at ``span`` of ``text``
    loads to; None when the scan does not give back ``value``."""
    starts = _line_starts(text)
    if span.line - 1 >= len(starts) or span.end_line - 1 >= len(starts):
        return None
    start = starts[span.line - 1] + span.col - 1
    end = starts[span.end_line - 1] + span.end_col - 1
    start = _after_properties(text, start, end)
    if start >= len(text):
        return None
    first = text[start]
    pieces: Pieces | None
    if first == "'":
        pieces = _quoted(text, start + 1, double=False)
    elif first == '"':
        pieces = _quoted(text, start + 1, double=True)
    elif first in "|>":
        pieces = _block(text, start, starts, end)
    else:
        pieces = _plain(text, start, end)
    if pieces is None or "".join([char for char, _ in pieces]) != value:
        return None
    positions = []
    for _char, offset in pieces:
        line = bisect.bisect_right(starts, offset)
        positions.append((line, offset - starts[line - 1] + 1))
    return positions


def _after_properties(text: str, pos: int, end: int) -> int:
    """Past an anchor (``&a``) and a tag (``!unsafe``, ``!!str``) written before the scalar."""
    while pos < end and text[pos] in "&!":
        while pos < len(text) and text[pos] not in " \t" + _BREAKS:
            pos += 1
        while pos < len(text) and text[pos] in " \t" + _BREAKS:
            pos += 1
    return pos


def _break_length(text: str, pos: int) -> int:
    return 2 if text.startswith("\r\n", pos) else 1


def _fold(text: str, pos: int, pieces: Pieces, line_start: int) -> int:
    """A line break inside a flow scalar at ``pos``: trailing blanks of the line dropped, then one
    break becomes a space and n > 1 breaks n - 1 line feeds; returns where the next line's content
    starts (leading blanks skipped)."""
    while pieces and pieces[-1][1] >= line_start and text[pieces[-1][1]] in _BLANKS:
        pieces.pop()  # written blanks before a break are no content (an escaped blank keeps its backslash)
    breaks = []
    while pos < len(text) and text[pos] in _BREAKS:
        breaks.append(pos)
        pos += _break_length(text, pos)
        while pos < len(text) and text[pos] in _BLANKS:
            pos += 1
    if len(breaks) == 1:
        pieces.append((" ", breaks[0]))
    else:
        pieces.extend([("\n", offset) for offset in breaks[1:]])
    return pos


def _quoted(text: str, pos: int, double: bool) -> Pieces | None:
    pieces: Pieces = []
    quote = '"' if double else "'"
    line_start = pos
    while pos < len(text):
        char = text[pos]
        if char == quote:
            if not double and text.startswith("''", pos):
                pieces.append(("'", pos))
                pos += 2
                continue
            return pieces
        if char in _BREAKS:
            pos = line_start = _fold(text, pos, pieces, line_start)
            continue
        if double and char == "\\":
            pos = _escape(text, pos, pieces)
            if pos < 0:
                return None
            if text[pos - 1] in _BREAKS or (pos > 1 and text[pos - 2:pos] == "\r\n"):
                line_start = pos
            continue
        pieces.append((char, pos))
        pos += 1
    return None


def _escape(text: str, pos: int, pieces: Pieces) -> int:
    """A double-quoted escape at ``pos`` (the backslash): its character(s); -1 when malformed."""
    code = text[pos + 1:pos + 2]
    if code in _ESCAPES:
        pieces.append((_ESCAPES[code], pos))
        return pos + 2
    if code in _HEX_ESCAPES:
        digits = text[pos + 2:pos + 2 + _HEX_ESCAPES[code]]
        try:
            pieces.append((chr(int(digits, 16)), pos))
        except ValueError:
            return -1
        return pos + 2 + len(digits)
    if code and code in _BREAKS:  # an escaped line break joins the lines: no space, next line's blanks dropped
        pos += 1 + _break_length(text, pos + 1)
        while pos < len(text) and text[pos] in _BLANKS:
            pos += 1
        while pos < len(text) and text[pos] in _BREAKS:  # empty lines after it are line feeds
            pieces.append(("\n", pos))
            pos += _break_length(text, pos)
            while pos < len(text) and text[pos] in _BLANKS:
                pos += 1
        return pos
    return -1


def _plain(text: str, pos: int, end: int) -> Pieces:
    pieces: Pieces = []
    line_start = pos
    while pos < end:
        char = text[pos]
        if char in _BREAKS:
            pos = line_start = _fold(text, pos, pieces, line_start)
            continue
        pieces.append((char, pos))
        pos += 1
    while pieces and text[pieces[-1][1]] in _BLANKS:
        pieces.pop()
    return pieces


def _block(text: str, pos: int, starts: list[int], end: int) -> Pieces | None:
    """A literal or folded block scalar from its indicator at ``pos`` to ``end``, joined as libyaml's
    scanner joins it (``scan_block_scalar``)."""
    folded = text[pos] == ">"
    pos += 1
    chomping = "clip"
    while pos < len(text) and text[pos] in "+-0123456789":
        if text[pos] not in "+-":
            return None  # an explicit indentation indicator: relative to a parent this scan does not know
        chomping = "keep" if text[pos] == "+" else "strip"
        pos += 1
    lines = _block_lines(text, starts, bisect.bisect_right(starts, pos), end)
    pieces: Pieces = []
    index = 0
    breaks, index = _empty_lines(lines, index)
    line_break: int | None = None
    while index < len(lines):
        begin, stop, line_break = lines[index]
        pieces.extend([("\n", offset) for offset in breaks])
        leading_blank = text[begin] in _BLANKS
        pieces.extend([(text[offset], offset) for offset in range(begin, stop)])
        breaks, index = _empty_lines(lines, index + 1)
        if index >= len(lines):
            break
        if folded and line_break is not None and not leading_blank and text[lines[index][0]] not in _BLANKS:
            if not breaks:
                pieces.append((" ", line_break))
        elif line_break is not None:
            pieces.append(("\n", line_break))
    if chomping != "strip" and line_break is not None:
        pieces.append(("\n", line_break))
    if chomping == "keep":
        pieces.extend([("\n", offset) for offset in breaks])
    return pieces


def _empty_lines(lines: list[tuple[int, int, int | None]], index: int) -> tuple[list[int], int]:
    """The line breaks of the empty lines from ``index`` on, and the index after them."""
    found: list[int] = []
    while index < len(lines) and lines[index][0] < 0:
        line_break = lines[index][2]
        if line_break is not None:
            found.append(line_break)
        index += 1
    return found, index


def _block_lines(text: str, starts: list[int], first: int, end: int) -> list[tuple[int, int, int | None]]:
    """The lines of a block scalar (0-based line ``first`` on, starting before ``end``): (content
    start, content end, line break offset or None at the end of the text); an empty line is
    (-1, -1, its break). The indentation is the first content line's."""
    indent = None
    found: list[tuple[int, int, int | None]] = []
    number = first
    while number < len(starts) and starts[number] < end:
        begin = starts[number]
        stop = starts[number + 1] if number + 1 < len(starts) else len(text)
        body_end = stop
        while body_end > begin and text[body_end - 1] in _BREAKS:
            body_end -= 1
        line_break = body_end if body_end < stop else None
        width = len(text[begin:body_end]) - len(text[begin:body_end].lstrip(" "))
        blank = width == body_end - begin
        if indent is None and not blank:
            indent = width
        if blank and (indent is None or width <= indent):
            found.append((-1, -1, line_break))
        elif indent is not None and width < indent:
            break
        else:
            found.append((begin + (indent or 0), body_end, line_break))
        number += 1
    return found
