"""Files, safely: read regular files only (a FIFO or device would block or never end), size-capped;
write atomically (temp file + rename), so no reader ever sees a half-written file.

Imports nothing heavy at module level: the warm ``shep validate`` path reads files with it."""

from __future__ import annotations

import itertools
import os
import stat
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shep.diagnostics import Diagnostic

# Real Ansible files are far smaller; loading takes about 130 bytes of memory per byte of YAML.
DEFAULT_MAX_BYTES = 8 * 1024 * 1024


class ReadProblem(Exception):
    """Why a file cannot be read; ``too_large`` tells a size-limit refusal from an I/O error."""

    def __init__(self, message: str, too_large: bool = False) -> None:
        super().__init__(message)
        self.too_large = too_large


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes; raises ReadProblem with a one-line reason otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise ReadProblem(f"cannot read file: {exc.strerror or type(exc).__name__}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ReadProblem("cannot read file: Is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise ReadProblem("cannot read file: not a regular file")
        if info.st_size > max_bytes:
            raise ReadProblem(f"file is larger than the {max_bytes}-byte limit ({info.st_size} bytes)", True)
        chunks = []
        remaining = max_bytes + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise ReadProblem(f"cannot read file: {exc.strerror or type(exc).__name__}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:  # grew while being read
        raise ReadProblem(f"file is larger than the {max_bytes}-byte limit", True)
    return data


def read_or_diagnostic(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes | Diagnostic:
    """The file's bytes, or a Y000 (unreadable) / Y007 (too large) diagnostic naming it."""
    try:
        return read_bytes(path, max_bytes)
    except ReadProblem as problem:
        from shep.diagnostics import START_OF_FILE, make

        return make("Y007" if problem.too_large else "Y000", str(problem), path, START_OF_FILE)


def write_atomic(path: str, data: bytes, *, durable: bool = True) -> None:
    """Write to a temporary file in the same directory, then rename: never a half-written file.

    The file gets the mode ``open(path, "w")`` would leave: a new file 0666 less the umask, a
    replaced file its previous permission bits (setuid and setgid dropped, as a write drops them).
    """
    fd, tmp = _create_temporary(os.path.dirname(os.path.abspath(path)) or ".")
    try:
        _keep_mode(fd, path)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:  # a cache entry can be lost in a crash; a user's output must not be
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _keep_mode(fd: int, path: str) -> None:
    """Give the new file the permission bits of the file it replaces, if there is one."""
    try:
        info = os.stat(path)
    except OSError:
        return  # a new file: created 0666 less the umask, as open() creates it
    if stat.S_ISREG(info.st_mode) and hasattr(os, "fchmod"):
        os.fchmod(fd, stat.S_IMODE(info.st_mode) & ~(stat.S_ISUID | stat.S_ISGID))


_temporaries = itertools.count()
_CREATE_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
                 | getattr(os, "O_BINARY", 0))  # Windows would otherwise translate newlines


def _create_temporary(directory: str) -> tuple[int, str]:
    """A new file only this process writes (``O_EXCL``), with the mode ``open(..., "w")`` gives a new
    file (0666 less the umask, applied by the kernel): not ``tempfile.mkstemp``'s 0600, which the
    rename would hand on to the output.

    Not tempfile itself: it imports random, shutil and the compression modules, 6 ms of a
    first ``shep validate`` run that only writes its cache.
    """
    while True:
        tmp = os.path.join(directory, f".shep-{os.getpid()}-{time.time_ns()}-{next(_temporaries)}.tmp")
        try:
            return os.open(tmp, _CREATE_FLAGS, 0o666), tmp
        except FileExistsError:
            continue
