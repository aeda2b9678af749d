"""Replays of ``shep validate``: print a recorded run again when nothing it depended on changed.

A full ``shep validate`` run records, in the cache directory, what its output depended on and
what it printed: a *run record* under ``runs/<run key>``. The run key hashes the question (shep's
version, the cache format, shep's modules (``cache.code_digest``), the working directory, the
bytes of every configuration file the run could have read (``shep.config.candidate_files``),
``--kind``, ``--format``, ``--fail-level``, whether colour is on, and the path arguments). The
record (``RunRecord``) holds the answer's inputs (the exclude patterns and size limit of the
configuration, the list of files the walk found, the content-addressed cache key of each file's
bytes, the status of each file and of each directory the walk listed, and the facts about installed
collections that any result depended on: ``shep.installed.facts``) and the answer (stdout and the
exit code).

``serve`` runs before typer or any of the checking code is imported, on the request
``shep.cli.options.parse_validate`` read from a plain command line. It walks the same paths with
the recorded exclude patterns (unless no listed directory changed), reads and hashes every file
whose status changed, checks the recorded facts about installed collections (none, unless a task
named a collection: the collection roots, which collections they hold, the files of each module
used), and only when the file list, every key and every fact are identical does it print the
recorded output and return the recorded exit code. Anything else (an unreadable or changed file,
a new or deleted file, a walk error, a missing, truncated, corrupt or foreign record) returns
None and the normal path runs, which re-checks what changed (through the per-file cache) and
records the run again (``save``). A record is never trusted without its checksum, and what it
replays is exactly what the normal path printed for the same inputs.
"""

from __future__ import annotations

import os
import sys

from shep._records import record
from shep._version import __version__
from shep.cache import code_digest, new_digest, read_entry

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from shep.cli.options import ValidateRequest
    from shep.walk import WalkError

RUN_FORMAT = 6  # 5: the facts about installed collections; 6: the project graph's dependencies
MAX_RECORDS = 256
# A file's recorded status (stat) vouches for its bytes only when its change time was this much
# older than the start of the run that read it (the "racily clean" rule of git's index): a
# change during or just before that run could otherwise leave the status as recorded.
RACY_NS = 10 * 1_000_000_000
_MAGIC = b"shep-run %d " % RUN_FORMAT


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
    """The bytes of every configuration file ``load_config`` could read (``candidate_files``: a
    superset, since the nearest wins; a change to any of them makes a new run key). None if one
    exists but cannot be read."""
    from shep.config import candidate_files
    from shep.fileio import ReadProblem, read_bytes

    digest = new_digest()
    for path in candidate_files(explicit):
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


def run_key(request: ValidateRequest, colour: bool) -> str | None:
    """The run key, or None when a configuration file cannot be read or there is no working directory."""
    from shep.cache import FORMAT

    try:
        settings = config_digest(request.config)
        cwd = os.getcwd()
    except OSError:  # no working directory (deleted): nothing to key a record on
        return None
    if settings is None:
        return None
    from shep.project import ENVIRONMENT  # where ansible-core would look for roles and collections

    environment = [f"{name}={os.environ.get(name, '')}" if name in os.environ else "-" for name in ENVIRONMENT]
    parts = ["shep-run", str(RUN_FORMAT), __version__, str(FORMAT), code_digest(), cwd, settings, request.kind or "-",
             request.format, request.fail_level or "-", "colour" if colour else "plain", *environment, "\1",
             *request.paths]
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


# The dependency_status of a path that does not exist.
ABSENT = "-"


def unchanged(path: str, recorded: str) -> bool:
    """Whether ``path`` still has the status ``file_statuses`` recorded ("" vouches for nothing)."""
    if not recorded:
        return False
    try:
        return stat_line(os.stat(path)) == recorded
    except OSError:
        return False


def dependency_status(how: str, path: str) -> str:
    """What a project run depended on of a path (``shep.project.Project.dependencies``), now: ABSENT,
    or its kind (``f`` a file, ``d`` a directory, ``o`` another), for ``bytes`` a digest of its
    content, for ``listing`` a digest of its names ("" when it cannot be read: nothing to vouch for).
    Digests, not statuses: a file created just now is judged by what it holds."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return ABSENT
    except (OSError, ValueError):
        return ""
    if how == "bytes":
        from shep.fileio import ReadProblem, read_bytes

        try:
            return "b" + new_digest(read_bytes(path, 1 << 24)).hexdigest()
        except ReadProblem:
            return ""
    if how == "listing":
        try:
            names = sorted(os.listdir(path))
        except OSError:
            return ""
        return "l" + new_digest("\0".join(names).encode("utf-8", "surrogateescape")).hexdigest()
    return "d" if stat.S_ISDIR(mode) else "f" if stat.S_ISREG(mode) else "o"


@record
class Listing:
    """The directories a walk listed, each with its status taken right after the walk (``file_statuses``):
    while none of them changes, the walk would find the same files."""

    dirs: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    def unchanged(self) -> bool:
        if not self.dirs or len(self.statuses) != len(self.dirs):
            return False
        return all(map(unchanged, self.dirs, self.statuses))


@record(kw_only=True)
class RunRecord:
    """What a run's output depended on, and that output: ``excludes`` and ``max_bytes`` of its
    configuration, the cache key ``prefix`` of its options, the ``files`` it checked with the
    content-addressed cache key of each one's bytes (``keys``) and their ``statuses``
    (``file_statuses``, taken after the files were read), the ``listing`` of its walk, and what it
    printed (``stdout``) and returned (``exit_code``)."""

    exit_code: int
    max_bytes: int
    prefix: bytes
    excludes: tuple[str, ...]
    files: tuple[str, ...]
    keys: tuple[str, ...]
    statuses: tuple[str, ...]
    listing: Listing
    stdout: str
    facts: tuple[tuple[str, str, str], ...] = ()
    # What the project graph looked at besides ``files`` (files and directories it looked for,
    # ansible.cfg, roles elsewhere): "<how> <path>" (Project.dependencies), each with its
    # ``dependency_status`` then.
    dependencies: tuple[str, ...] = ()
    dependency_statuses: tuple[str, ...] = ()


def save(cache_dir: str, key: str, run: RunRecord) -> None:
    """Write the run record (atomically; best effort: a record that cannot be written only costs speed)."""
    from shep.fileio import write_atomic

    def text(value: str) -> bytes:
        return value.encode("utf-8", "surrogatepass")

    body = _fields(b"%d" % run.exit_code, b"%d" % run.max_bytes, run.prefix, b"%d" % len(run.excludes),
                   *map(text, run.excludes), text("\0".join(run.files)), "".join(run.keys).encode("ascii"),
                   "\n".join(run.statuses).encode("ascii"), text("\0".join(run.listing.dirs)),
                   "\n".join(run.listing.statuses).encode("ascii"), text(run.stdout),
                   text("\0".join("\0".join(fact) for fact in run.facts)),
                   text("\0".join(run.dependencies)), "\n".join(run.dependency_statuses).encode("ascii"))
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


def _decode(fields: list[bytes]) -> RunRecord:
    """The record whose body holds these fields; ValueError (or UnicodeDecodeError) if it cannot be one."""
    def text(value: bytes) -> str:
        return value.decode("utf-8", "surrogatepass")

    exit_code = int(fields[0])
    count = int(fields[3])
    if len(fields) != 13 + count or not 0 <= exit_code <= 2:
        raise ValueError("wrong field count")
    keys = fields[5 + count].decode("ascii")
    if len(keys) % 64:
        raise ValueError("a key of the wrong length")
    dirs = tuple(text(fields[7 + count]).split("\0")) if fields[7 + count] else ()
    parts = text(fields[10 + count]).split("\0") if fields[10 + count] else []
    if len(parts) % 3:
        raise ValueError("a fact of the wrong length")
    facts = tuple((parts[i], parts[i + 1], parts[i + 2]) for i in range(0, len(parts), 3))
    return RunRecord(
        exit_code=exit_code,
        max_bytes=int(fields[1]),
        prefix=fields[2],
        excludes=tuple(map(text, fields[4:4 + count])),
        files=tuple(text(fields[4 + count]).split("\0")) if fields[4 + count] else (),
        keys=tuple(keys[start:start + 64] for start in range(0, len(keys), 64)),
        statuses=tuple(fields[6 + count].decode("ascii").split("\n")),
        listing=Listing(dirs, tuple(fields[8 + count].decode("ascii").split("\n")) if dirs else ()),
        stdout=text(fields[9 + count]),
        facts=facts,
        dependencies=tuple(text(fields[11 + count]).split("\0")) if fields[11 + count] else (),
        dependency_statuses=tuple(fields[12 + count].decode("ascii").split("\n")) if fields[11 + count] else (),
    )


def load(cache_dir: str, key: str) -> RunRecord | None:
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
        return _decode(fields)
    except (ValueError, IndexError, UnicodeDecodeError):
        return None


# -- serving ------------------------------------------------------------------------------------


def serve(request: ValidateRequest) -> int | None:
    """Print the recorded output of an identical earlier run and return its exit code, or None."""
    if request.no_cache:
        return None
    from shep.cache import default_dir, key_for
    from shep.cli._io import use_colour
    from shep.fileio import ReadProblem, read_bytes

    key = run_key(request, use_colour(sys.stdout))
    if key is None:
        return None
    found = load(request.cache_dir or default_dir(), key)
    if found is None:
        return None
    if found.listing.unchanged():  # no directory the walk listed changed: it would find the same files
        files: Sequence[str] = found.files
    else:
        files, errors = collect_files(request.paths, found.excludes)
        if errors:
            return None
    if request.format == "text" and len(files) > 50 and sys.stderr.isatty():
        return None  # the normal path shows progress on stderr
    if tuple(files) != found.files or len(found.keys) != len(files) or len(found.statuses) != max(1, len(files)):
        return None
    for index, path in enumerate(files):
        if unchanged(path, found.statuses[index]):  # since it was read and hashed
            continue
        try:
            data = read_bytes(path, found.max_bytes)
        except ReadProblem:
            return None
        if key_for(found.prefix, path, data) != found.keys[index]:
            return None
    if found.facts:  # some result depended on installed collections: they must be as they were
        from shep.installed.facts import Probe

        if not Probe().holds(found.facts):
            return None
    if len(found.dependency_statuses) != len(found.dependencies):
        return None
    for dependency, recorded in zip(found.dependencies, found.dependency_statuses):
        how, _, path = dependency.partition(" ")
        if not recorded or dependency_status(how, path) != recorded:
            return None
    sys.stdout.write(found.stdout)
    sys.stdout.flush()
    return found.exit_code
