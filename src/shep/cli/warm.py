"""Warm re-runs of ``shep validate``: replay a recorded run when nothing it depended on changed.

A full ``shep validate`` run records, in the cache directory, what its output depended on and
what it printed: a *run record* under ``runs/<run key>``. The run key hashes the question (shep's
version, the cache format, shep's modules (``cache.code_digest``), the working directory, the
bytes of every configuration file the run could have read, ``--kind``, ``--format``,
``--fail-level``, whether colour is on, and the path arguments). The record holds the answer's
inputs (the exclude patterns and size limit of the configuration, the list of files the walk
found, the content-addressed cache key of each file's bytes, the status of each file and of each
directory the walk listed) and the answer (stdout and the exit code).

``serve`` runs before typer or any of the checking code is imported. It parses a strict subset
of ``validate``'s arguments, walks the same paths with the recorded exclude patterns (unless no
listed directory changed), reads and hashes every file whose status changed, and only when the
file list and every key are identical does it print the recorded output and return the recorded
exit code. Anything else (an argument form it does not
know, an unreadable or changed file, a new or deleted file, a walk error, a missing, truncated,
corrupt or foreign record) returns None and the normal path runs, which re-checks what changed
(through the per-file cache) and records the run again. A record is never trusted without its
checksum, and what it replays is exactly what the normal path printed for the same inputs.
"""

from __future__ import annotations

import os
import sys

from shep._version import __version__
from shep.cache import code_digest, new_digest, read_entry
from shep.cli import DISABLE_ENV  # noqa: F401  (re-exported for the tests)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from shep.walk import WalkError

RUN_FORMAT = 4
MAX_RECORDS = 256
# A file's recorded status (stat) vouches for its bytes only when its change time was this much
# older than the start of the run that read it (the "racily clean" rule of git's index): a
# change during or just before that run could otherwise leave the status as recorded.
RACY_NS = 10 * 1_000_000_000
_MAGIC = b"shep-run %d " % RUN_FORMAT
_CONFIG_NAMES = (".shep.yml", ".shep.yaml", "pyproject.toml")
FORMATS = ("text", "json", "sarif", "github")
FAIL_LEVELS = ("error", "warning", "info")
KINDS = ("playbook", "tasks", "handlers")


class Request:
    """The arguments of a ``validate`` command line the warm path understands."""

    __slots__ = ("paths", "kind", "format", "fail_level", "cache_dir", "config", "jobs", "no_cache")

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.kind: str | None = None
        self.format = "text"
        self.fail_level: str | None = None
        self.cache_dir: str | None = None
        self.config: str | None = None
        self.jobs: int | None = None
        self.no_cache = False


_VALUE_OPTIONS = {"--kind": "kind", "--format": "format", "--fail-level": "fail_level", "--jobs": "jobs",
                  "-j": "jobs", "--cache-dir": "cache_dir", "--config": "config"}
_CHOICES = {"kind": KINDS, "format": FORMATS, "fail_level": FAIL_LEVELS}


def parse(argv: Sequence[str]) -> Request | None:
    """``validate [--kind K] [--format F] [--fail-level L] [-j N|--jobs N] [--no-cache] [--cache-dir D]
    [--config C] [--] PATH...``, options also as ``--opt=value`` (and ``-jN``), in any order, each at
    most once.

    None for anything else (``--help``, an unknown, repeated or invalid option, a missing value, a
    value or path starting with ``-``, no path): typer handles those, with its messages.
    """
    if not argv or argv[0] != "validate":
        return None
    request = Request()
    seen: set[str] = set()
    args = list(argv[1:])
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if arg == "--":
            request.paths.extend(args[index:])
            break
        if not arg.startswith("-"):
            request.paths.append(arg)
            continue
        if arg == "--no-cache" and not request.no_cache:
            request.no_cache = True
            continue
        if arg.startswith("--"):
            name, equals, value = arg.partition("=")
            has_value = bool(equals)
        elif arg.startswith("-j"):  # click reads "-j4" as "-j 4" (and "-j=4" as the value "=4")
            name, value, has_value = "-j", arg[2:], len(arg) > 2
        else:
            return None
        field = _VALUE_OPTIONS.get(name)
        if field is None or field in seen:
            return None
        seen.add(field)
        if not has_value:
            if index >= len(args):
                return None
            value = args[index]
            index += 1
        if not value or value.startswith("-"):
            return None
        if field == "jobs":
            if not (value.isascii() and value.isdigit() and int(value) >= 1):
                return None
            request.jobs = int(value)
            continue
        if field in _CHOICES and value not in _CHOICES[field]:
            return None
        setattr(request, field, value)
    if not request.paths or any(p == "" or p.startswith("-") for p in request.paths):
        return None
    return request


def collect_files(paths: Sequence[str], excludes: Sequence[str],
                  listed: list[str] | None = None) -> tuple[list[str], list[WalkError]]:
    """The files ``validate PATH...`` checks, in order, and the walk's errors (the directories
    whose listings were read are appended to ``listed``)."""
    from shep.walk import WalkError, is_excluded, iter_files

    files: list[str] = []
    errors: list[WalkError] = []
    for item in iter_files(paths, excludes, listed):
        if isinstance(item, WalkError):
            errors.append(item)
        elif not (excludes and is_excluded(item, excludes)):  # files named directly
            files.append(item)
    return files, errors


# -- keys ---------------------------------------------------------------------------------------


def config_digest(explicit: str | None) -> str | None:
    """The bytes of every configuration file ``load_config`` could read, from the working directory up
    (a superset: a change to any of them makes a new run key). None if one exists but cannot be read."""
    from shep.readfile import ReadProblem, read_bytes

    if explicit is not None:
        candidates = [explicit]
    else:
        candidates = []
        folder = os.path.realpath(".")
        while True:
            candidates.extend(os.path.join(folder, name) for name in _CONFIG_NAMES)
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
    digest = new_digest()
    for path in candidates:
        digest.update(path.encode("utf-8", "surrogatepass") + b"\0")
        try:
            data = read_bytes(path, 1 << 24)
        except ReadProblem:
            if os.path.isfile(path):  # load_config would read it: unreadable, let it report
                return None
            digest.update(b"-\0" if not os.path.lexists(path) else b"d\0")
            continue
        digest.update(b"%d\0" % len(data) + data)
    return digest.hexdigest()


def run_key(paths: Sequence[str], kind: str | None, fmt: str, fail_level: str | None, config: str | None,
            colour: bool) -> str | None:
    """The run key, or None when a configuration file cannot be read or there is no working directory."""
    from shep.cache import FORMAT

    try:
        settings = config_digest(config)
        cwd = os.getcwd()
    except OSError:  # no working directory (deleted): nothing to key a record on
        return None
    if settings is None:
        return None
    parts = ["shep-run", str(RUN_FORMAT), __version__, str(FORMAT), code_digest(), cwd, settings, kind or "-", fmt,
             fail_level or "-", "colour" if colour else "plain", *paths]
    return new_digest(b"".join(p.encode("utf-8", "surrogatepass") + b"\0" for p in parts)).hexdigest()


# -- records ------------------------------------------------------------------------------------


def _record_path(cache_dir: str, key: str) -> str:
    return os.path.join(cache_dir, "runs", key)


def _fields(*fields: bytes) -> bytes:
    return b"".join(b"%d:" % len(field) + field for field in fields)


def stat_line(status: os.stat_result) -> str:
    return (f"{status.st_dev} {status.st_ino} {status.st_mode} {status.st_size} {status.st_mtime_ns} "
            f"{status.st_ctime_ns}")


def file_statuses(files: Sequence[str], started_ns: int) -> list[str]:
    """Each file's status now, or "" when it cannot vouch for the bytes a run that started at
    ``started_ns`` (``time.time_ns()``, before reading any file) read: changed too recently, or gone."""
    statuses = []
    for path in files:
        try:
            status = os.stat(path)
        except OSError:
            statuses.append("")
            continue
        recent = max(status.st_mtime_ns, status.st_ctime_ns) >= started_ns - RACY_NS
        statuses.append("" if recent else stat_line(status))
    return statuses


def unchanged(path: str, recorded: str) -> bool:
    """Whether ``path`` still has the status ``file_statuses`` recorded ("" vouches for nothing)."""
    if not recorded:
        return False
    try:
        return stat_line(os.stat(path)) == recorded
    except OSError:
        return False


class Listing:
    """The directories a walk listed, each with its status taken right after the walk (``file_statuses``):
    while none of them changes, the walk would find the same files."""

    __slots__ = ("dirs", "statuses")

    def __init__(self, dirs: Sequence[str] = (), statuses: Sequence[str] = ()) -> None:
        self.dirs, self.statuses = list(dirs), list(statuses)

    def unchanged(self) -> bool:
        if not self.dirs or len(self.statuses) != len(self.dirs):
            return False
        return all(map(unchanged, self.dirs, self.statuses))


def record(cache_dir: str, key: str, excludes: Sequence[str], max_bytes: int, prefix: bytes, files: Sequence[str],
           keys: Sequence[str], statuses: Sequence[str], stdout: str, exit_code: int,
           listing: Listing | None = None) -> None:
    """Write the run record (atomically; best effort: a record that cannot be written only costs speed).
    ``statuses`` come from ``file_statuses``, called after the files were read."""
    from shep.readfile import write_atomic

    def text(value: str) -> bytes:
        return value.encode("utf-8", "surrogatepass")

    listing = listing or Listing()
    body = _fields(b"%d" % exit_code, b"%d" % max_bytes, prefix, b"%d" % len(excludes), *map(text, excludes),
                   text("\0".join(files)), "".join(keys).encode("ascii"), "\n".join(statuses).encode("ascii"),
                   text("\0".join(listing.dirs)), "\n".join(listing.statuses).encode("ascii"), text(stdout))
    data = _MAGIC + key.encode("ascii") + b"\n" + new_digest(body).hexdigest().encode("ascii") + b"\n" + body
    path = _record_path(cache_dir, key)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_atomic(path, data, durable=False)
        _prune(os.path.dirname(path))
    except OSError:
        pass


def _prune(folder: str) -> None:
    """Keep the MAX_RECORDS most recent records (pre-commit names other files at almost every commit)."""
    with os.scandir(folder) as entries:
        records = [(entry.stat().st_mtime_ns, entry.path) for entry in entries if entry.is_file()]
    if len(records) > MAX_RECORDS:
        for _, path in sorted(records)[:len(records) - MAX_RECORDS]:
            try:
                os.unlink(path)
            except OSError:
                pass  # another run pruned it first


class Record:
    __slots__ = ("exit_code", "max_bytes", "prefix", "excludes", "files", "keys", "statuses", "listing", "stdout")

    def __init__(self, fields: list[bytes]) -> None:
        def text(value: bytes) -> str:
            return value.decode("utf-8", "surrogatepass")

        self.exit_code = int(fields[0])
        self.max_bytes = int(fields[1])
        self.prefix = fields[2]
        count = int(fields[3])
        if len(fields) != 10 + count or not 0 <= self.exit_code <= 2:
            raise ValueError("wrong field count")
        self.excludes = tuple(map(text, fields[4:4 + count]))
        self.files = text(fields[4 + count]).split("\0") if fields[4 + count] else []
        self.keys = fields[5 + count].decode("ascii")
        self.statuses = fields[6 + count].decode("ascii").split("\n")
        dirs = text(fields[7 + count]).split("\0") if fields[7 + count] else []
        self.listing = Listing(dirs, fields[8 + count].decode("ascii").split("\n") if dirs else [])
        self.stdout = text(fields[9 + count])


def load(cache_dir: str, key: str) -> Record | None:
    """The record for this key, or None when it is missing, truncated, corrupt or another key's."""
    data = read_entry(_record_path(cache_dir, key))
    if data is None:
        return None
    header = _MAGIC + key.encode("ascii") + b"\n"
    if not data.startswith(header) or data[len(header) + 64:len(header) + 65] != b"\n":
        return None
    body = data[len(header) + 65:]
    if new_digest(body).hexdigest().encode("ascii") != data[len(header):len(header) + 64]:
        return None
    fields = []
    position = 0
    try:
        while position < len(body):
            colon = body.index(b":", position, position + 21)
            size = body[position:colon]
            if not size.isdigit():
                return None
            end = colon + 1 + int(size)
            if end > len(body):
                return None
            fields.append(body[colon + 1:end])
            position = end
        return Record(fields)
    except (ValueError, IndexError, UnicodeDecodeError):
        return None


# -- serving ------------------------------------------------------------------------------------


def serve(request: Request) -> int | None:
    """Print the recorded output of an identical earlier run and return its exit code, or None."""
    if request.no_cache:
        return None
    from shep.cache import default_dir, key_for
    from shep.cli._io import use_colour
    from shep.readfile import ReadProblem, read_bytes

    key = run_key(request.paths, request.kind, request.format, request.fail_level, request.config,
                  use_colour(sys.stdout))
    if key is None:
        return None
    found = load(request.cache_dir or default_dir(), key)
    if found is None:
        return None
    if found.listing.unchanged():  # no directory the walk listed changed: it would find the same files
        files = found.files
    else:
        files, errors = collect_files(request.paths, found.excludes)
        if errors:
            return None
    if request.format == "text" and len(files) > 50 and sys.stderr.isatty():
        return None  # the normal path shows progress on stderr
    if files != found.files or len(found.keys) != 64 * len(files) or len(found.statuses) != max(1, len(files)):
        return None
    for index, path in enumerate(files):
        if unchanged(path, found.statuses[index]):  # since it was read and hashed
            continue
        try:
            data = read_bytes(path, found.max_bytes)
        except ReadProblem:
            return None
        if key_for(found.prefix, path, data) != found.keys[64 * index:64 * index + 64]:
            return None
    sys.stdout.write(found.stdout)
    sys.stdout.flush()
    return found.exit_code
