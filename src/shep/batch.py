"""The batch runner: files read within limits, results served from the cache when the bytes are
known, the others checked here or in worker processes when there are enough.

Cached results are served before anything heavy is imported: a warm run reads and hashes the
files and never loads YAML. A cached result that depended on installed collections is served only
while the facts it carries still hold (``shep.installed.facts``); each run looks collections up in
one ``Installed`` handle (``shep.installed``), which also answers those questions, once per run.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from shep._records import record
from shep.cache import Cache, key_for, key_prefix
from shep.config import Config
from shep.diagnostics import Diagnostic, FileResult
from shep.fileio import DEFAULT_MAX_BYTES, read_or_diagnostic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shep.installed import Installed
    from shep.kinds import FileKind


@record
class Options:
    kind: FileKind | None = None  # None: guessed from each file's path and content
    config: Config = Config()
    cache_dir: str | None = None  # None: no cache
    max_bytes: int = DEFAULT_MAX_BYTES
    collections: bool = True  # look collection actions up in the installed collections, as ansible-core would
    # Where collections' parsed documentation is cached, by content (None: cache_dir). It can never be
    # stale, so the command line keeps it under --no-cache too: parsing is most of a cold lookup.
    docs_cache_dir: str | None = None


def _cache_of(options: Options) -> Cache | None:
    return Cache(options.cache_dir) if options.cache_dir else None


def installed_for_run(options: Options) -> Installed | None:
    """The installed collections of one run (None: not looked at). Nothing is read until a task
    names a collection."""
    if not options.collections:
        return None
    from shep.installed import Installed

    return Installed(options.docs_cache_dir or options.cache_dir)


def cache_key_prefix(options: Options) -> bytes:
    """What the cache keys of every file validated with these options share (see shep.cache)."""
    settings = options.config.fingerprint() + ("" if options.collections else " no-collections")
    return key_prefix(options.kind, settings)


def _lookup(path: str, options: Options, cache: Cache | None, installed: Installed | None,
            prefix: bytes | None = None) -> tuple[bytes | Diagnostic, str, FileResult | None]:
    """(bytes or read problem, cache key, cached result if any and still valid)."""
    data = read_or_diagnostic(path, options.max_bytes)
    if isinstance(data, Diagnostic) or cache is None:
        return data, "", None
    key = key_for(cache_key_prefix(options) if prefix is None else prefix, path, data)
    cached = cache.get(key, path)
    if cached is not None and cached.depends and (installed is None or not installed.holds(cached.depends)):
        cached = None  # made from collection files that changed since (or are not looked at now)
    return data, key, cached


def _check(path: str, data: bytes | Diagnostic, options: Options, installed: Installed | None) -> FileResult:
    if isinstance(data, Diagnostic):
        return FileResult(path=path, kind=options.kind, verdict="failed", diagnostics=(data,))
    from shep.loader import load_bytes
    from shep.validate import check_document

    return check_document(load_bytes(data, path), options.kind, options.config, installed)


def validate_file(path: str, options: Options = Options()) -> FileResult:
    """Load, build and check one file. Without a forced kind, non-Ansible YAML is skipped."""
    cache = _cache_of(options)
    installed = installed_for_run(options)
    data, key, cached = _lookup(path, options, cache, installed)
    if cached is not None:
        return cached
    result = _check(path, data, options, installed)
    if cache is not None and key:
        cache.put(key, result)
        cache.flush()
    return result


def _validate_uncached(args: tuple[str, Options, bytes, Installed | None]) -> tuple[FileResult, str]:
    path, options, prefix, installed = args
    data = read_or_diagnostic(path, options.max_bytes)
    key = key_for(prefix, path, data) if isinstance(data, bytes) and options.cache_dir is not None else ""
    return _check(path, data, options, installed), key


def validate_paths_keyed(paths: Iterable[str], options: Options = Options(),
                         jobs: int = 1) -> Iterator[tuple[FileResult, str]]:
    """As validate_paths, each result with the cache key of the bytes it was made from
    ("" when the file could not be read or there is no cache)."""
    names = list(paths)
    cache = _cache_of(options)
    prefix = cache_key_prefix(options) if cache is not None else b""
    installed = installed_for_run(options)
    results: list[tuple[FileResult, str] | None] = [None] * len(names)
    if jobs > 1 and len(names) >= 4 * jobs and _worth_a_pool(names):
        checked = _validate_with_pool(names, _Run(options, cache, installed, prefix), jobs, results)
    else:  # one pass: each file is read once
        checked = []
        for index, path in enumerate(names):
            data, key, cached = _lookup(path, options, cache, installed, prefix)
            if cached is None:
                cached = _check(path, data, options, installed)
                checked.append(index)
            results[index] = cached, key
    if cache is not None:  # results are cached here, not in the workers: one pack per run
        for index in checked:
            done = results[index]
            if done is not None and done[1]:
                cache.put(done[1], done[0])
        cache.flush()
    for finished in results:
        assert finished is not None
        yield finished


@record
class _Run:
    """What every file of a run shares."""

    options: Options
    cache: Cache | None
    installed: Installed | None
    prefix: bytes


def _validate_with_pool(names: list[str], run: _Run, jobs: int,
                        results: list[tuple[FileResult, str] | None]) -> list[int]:
    """Cache hits served here, misses checked by ``jobs`` worker processes; the indexes checked."""
    options = run.options
    if run.cache is not None:
        for index, path in enumerate(names):
            _, key, cached = _lookup(path, options, run.cache, run.installed, run.prefix)
            if cached is not None:
                results[index] = cached, key
    misses = [index for index, done in enumerate(results) if done is None]
    work = [(names[i], options, run.prefix, run.installed) for i in misses]
    if len(work) >= 4 * jobs and _worth_a_pool([names[i] for i in misses]):
        from concurrent.futures import ProcessPoolExecutor

        _import_checking_code()  # before the workers fork, so that they start with it imported
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            chunk = max(1, min(64, len(work) // (jobs * 8)))
            for index, done in zip(misses, pool.map(_validate_uncached, work, chunksize=chunk)):
                results[index] = done
    else:
        for index, item in zip(misses, work):
            results[index] = _validate_uncached(item)
    return misses


# Below this many bytes to check, starting worker processes costs more than it saves (make bench).
POOL_MIN_BYTES = 512 * 1024


def _worth_a_pool(paths: list[str]) -> bool:
    total = 0
    for path in paths:
        try:
            total += os.stat(path).st_size
        except OSError:
            continue  # the worker reports it
        if total >= POOL_MIN_BYTES:
            return True
    return False


def _import_checking_code() -> None:
    import shep.loader
    import shep.model.build
    import shep.validate.checks  # noqa: F401


def validate_paths(paths: Iterable[str], options: Options = Options(), jobs: int = 1) -> Iterator[FileResult]:
    """Results in input order. Cache hits are served here; misses go to ``jobs`` worker processes."""
    for result, _ in validate_paths_keyed(paths, options, jobs):
        yield result


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1
