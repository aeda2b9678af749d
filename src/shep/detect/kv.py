"""Splitting of Ansible ``k=v`` argument strings.

Ansible accepts module arguments written as a single string, e.g.
``copy: src=a dest="/tmp/b c"`` or the free-form ``command: echo hi creates=/x``.
This module reproduces, without importing Ansible, how ansible-core 2.19
tokenises such strings and turns them into a dict, so that shep sees
exactly the same keys and values that Ansible would.

The behaviour (including its quirks) is specified by observation of
ansible-core; see ``tests/unit/detect/test_kv.py`` for a table of cases and a
differential test against the real implementation.
"""

from __future__ import annotations

import codecs
import re

from shep._records import field, record
from shep.keywords import JINJA_PAIRS

__all__ = [
    "FREE_FORM_KV_OPTIONS",
    "KVError",
    "join_args",
    "parse_kv",
    "split_args",
    "unquote",
]

#: Keys that stay real options (instead of becoming part of ``_raw_params``)
#: when a free-form module such as ``command``/``shell`` is parsed with
#: ``check_raw=True``.
FREE_FORM_KV_OPTIONS: frozenset[str] = frozenset(
    {
        "chdir",
        "creates",
        "executable",
        "removes",
        "stdin",
        "stdin_add_newline",
        "strip_empty_ends",
        "warn",
    }
)

_QUOTES = ("'", '"')

# Jinja delimiters that glue whitespace-separated words into one token while
# they are open: expressions, statements and comments.


class KVError(ValueError):
    """An argument string that Ansible itself would refuse to split."""


# ---------------------------------------------------------------------------
# quoting


def _is_quoted(data: str) -> bool:
    # The closing quote must not be backslash-escaped; note that for a
    # two-character string the "escape" position is the opening quote.
    return len(data) > 1 and data[0] in _QUOTES and data[-1] == data[0] and data[-2] != "\\"


def unquote(data: str) -> str:
    """Drop one pair of matching surrounding quotes, if present."""
    return data[1:-1] if _is_quoted(data) else data


# ---------------------------------------------------------------------------
# splitting


def _quote_after(word: str, quote: str | None) -> str | None:
    """Return the open quote character (or None) after scanning *word*.

    A quote preceded by a backslash is ignored.  Only the directly preceding
    character is looked at (so ``\\\\"`` still counts as escaped), and the
    look-back never crosses into the previous word.
    """
    if "'" not in word and '"' not in word:  # most words: nothing to scan
        return quote
    for i, ch in enumerate(word):
        if ch not in _QUOTES or (i > 0 and word[i - 1] == "\\"):
            continue
        if quote is None:
            quote = ch
        elif ch == quote:
            quote = None
    return quote


def _depth_after(word: str, depth: int, opener: str, closer: str) -> int:
    # Only the balance of delimiters within the word matters, and the depth
    # never drops below zero (stray closers are ignored).
    return max(0, depth + word.count(opener) - word.count(closer))


@record(frozen=False, slots=False)
class _Splitter:
    """State machine that rebuilds tokens broken apart by the naive split.

    The input is first cut on newlines and spaces; words are then glued back
    together while a quote or a Jinja block is open, re-inserting the
    separator that was cut away.
    """

    params: list[str]
    quote: str | None = None
    # Open-block depth for each entry of JINJA_PAIRS.
    depths: list[int] = field(default_factory=lambda: [0] * len(JINJA_PAIRS))

    @property
    def is_open(self) -> bool:
        return self.quote is not None or any(self.depths)

    def _extend_last(self, text: str) -> None:
        # Separators seen before any token still need somewhere to live.
        if not self.params:
            self.params.append("")
        self.params[-1] += text

    def feed_line(self, line: str, is_last: bool) -> None:
        continued = False
        for index, word in enumerate(line.split(" ")):
            if word == "" and index > 0:
                # Repeated (or trailing) spaces are preserved, even outside
                # quotes, by appending them to the latest token.
                self._extend_last(" ")
            elif word == "\\" and self.quote is None:
                # A lone backslash word outside quotes (anywhere on the
                # line) is dropped and joins this line with the next.
                continued = True
            else:
                self._feed_word(word, first_on_line=index == 0)
        if not is_last and not continued:
            self._extend_last("\n")

    def _feed_word(self, word: str, first_on_line: bool) -> None:
        was_open = self.is_open
        self.quote = _quote_after(word, self.quote)
        if was_open:
            # Continue the open token; a word starting a line follows the
            # newline already stored on the token, so it needs no space.
            self.params[-1] += word if first_on_line else " " + word
        elif word:
            self.params.append(word)
        if "{" not in word and "}" not in word:  # every Jinja delimiter has a brace
            return
        self.depths = [
            _depth_after(word, depth, opener, closer)
            for depth, (opener, closer) in zip(self.depths, JINJA_PAIRS)
        ]


def split_args(args: str) -> list[str]:
    """Split an argument string on spaces/newlines the way Ansible does.

    Quoted strings and ``{{ }}``/``{% %}``/``{# #}`` blocks are kept in one
    token; the whitespace inside them, newlines between lines and runs of
    extra spaces are preserved so that :func:`join_args` can rebuild the
    original text.  Quotes are *not* removed.

    Raises :class:`KVError` if a quote or Jinja block is left open.
    """
    if not args:
        return []
    splitter = _Splitter(params=[])
    lines = args.split("\n")
    for number, line in enumerate(lines):
        splitter.feed_line(line, is_last=number == len(lines) - 1)
    if splitter.is_open:
        # Ansible strips its error messages, which trims trailing whitespace
        # off the quoted arguments.
        raise KVError(
            (
                "failed at splitting arguments, either an unbalanced jinja2 block or quotes: "
                + args
            ).strip()
        )
    return splitter.params


def join_args(tokens: list[str]) -> str:
    """Reassemble tokens from :func:`split_args` into one string.

    Tokens are separated by one space, except after a token ending in a
    newline (the newline already separates them).
    """
    out = ""
    for token in tokens:
        out += token if not out or out.endswith("\n") else " " + token
    return out


# ---------------------------------------------------------------------------
# escape decoding


_ESCAPE_RE = (  # compiled (and cached by re) on the first word with a backslash: most files have none
    r"""\\(?:
        U[0-9a-fA-F]{8}
      | u[0-9a-fA-F]{4}
      | x[0-9a-fA-F]{2}
      | N\{[^}]+\}
      | [\\'"abfnrtv]
    )"""
)

_SIMPLE_ESCAPES = {
    "\\": "\\",
    "'": "'",
    '"': '"',
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
}


def _decode_one(seq: str) -> str:
    kind = seq[1]
    if kind in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[kind]
    if kind == "N":
        # Let Python resolve character names so that aliases and the
        # Unicode database version match Python's own ``\N{...}``.
        return codecs.decode(seq, "unicode-escape")
    code = int(seq[2:], 16)
    if code > 0x10FFFF:
        raise UnicodeError("illegal Unicode character")
    return chr(code)


def _decode_escapes(text: str, args: str) -> str:
    """Decode Python-style escapes; anything else (``\\=``, ``\\q``) is kept."""
    if "\\" not in text:  # most words: no escape to decode
        return text

    def replace(match: re.Match[str]) -> str:
        try:
            return _decode_one(match.group(0))
        except UnicodeError as exc:
            # Ansible crashes with UnicodeDecodeError here; report it as a
            # regular argument error instead.
            raise KVError(
                f"failed to decode escape sequence {match.group(0)!r} in arguments: {args}"
            ) from exc

    return re.compile(_ESCAPE_RE, re.VERBOSE).sub(replace, text)


# ---------------------------------------------------------------------------
# k=v parsing


# The key/value separator is the first '=' that is neither escaped nor the
# very first character (a leading '=' never makes an empty key).
_SEPARATOR_RE = re.compile(r"(?<!\\)=")


def parse_kv(args: str | None, check_raw: bool = False) -> dict[str, str]:
    """Turn ``k=v`` arguments into a dict, as Ansible's ``parse_kv`` does.

    Words without a usable ``=`` are joined into ``_raw_params`` (also when
    *check_raw* is false).  With *check_raw*, ``k=v`` words are only options
    when ``k`` is in :data:`FREE_FORM_KV_OPTIONS`; others stay raw text.

    Keys and values are escape-decoded (``\\n``, ``\\u00e9``, ...), stripped,
    and values lose one pair of surrounding quotes.  Raw words are kept
    verbatim, except words whose only ``=`` signs are escaped or leading:
    those are decoded and have ``\\=`` turned into ``=``.
    """
    if args is None:
        return {}
    options: dict[str, str] = {}
    raw: list[str] = []
    for word in split_args(args):
        decoded = _decode_escapes(word, args)
        if "=" not in decoded:
            raw.append(word)
            continue
        sep = _SEPARATOR_RE.search(decoded, 1)
        if sep is None:
            raw.append(decoded.replace("\\=", "="))
            continue
        key, value = decoded[: sep.start()], decoded[sep.end() :]
        # The allow-list is checked against the key before stripping.
        if check_raw and key not in FREE_FORM_KV_OPTIONS:
            raw.append(word)
        else:
            options[key.strip()] = unquote(value.strip())
    if raw:
        options["_raw_params"] = join_args(raw)
    return options
