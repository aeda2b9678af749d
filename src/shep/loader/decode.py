"""Bytes → text, the way ansible-core reads a file: UTF-8, an optional BOM, nothing else."""

from __future__ import annotations

from shep._records import record
from shep.diagnostics import START_OF_FILE, Span

_UTF16_32_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\xfe\xff", "UTF-16"),
    (b"\xff\xfe", "UTF-16"),
)


@record
class DecodeError:
    message: str
    span: Span


def position_of_offset(data: bytes, offset: int) -> Span:
    """1-based line and (byte) column of a byte offset."""
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return Span(line, col, line, col + 1)


def decode(data: bytes) -> str | DecodeError:
    for bom, name in _UTF16_32_BOMS:
        if data.startswith(bom):
            return DecodeError(f"file is {name} encoded; Ansible reads YAML files as UTF-8", START_OF_FILE)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        span = position_of_offset(data, exc.start)
        return DecodeError(f"file is not valid UTF-8: invalid byte 0x{data[exc.start]:02x}", span)
    return text[1:] if text.startswith("\ufeff") else text
