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

from shep._records import record, replace
from shep.cache import Cache, key_for, key_prefix
from shep.config import Config
from shep.diagnostics import Diagnostic, FileResult
from shep.fileio import DEFAULT_MAX_BYTES, read_or_diagnostic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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
    # Validate the files as one project (shep.project): references resolved across files, a file an
    # include reaches validated as the task file it is, notifications checked against every handler.
    project: bool = False


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
    """What the cache keys of every file validated with these options share (see shep.cache). A
    project's results hold the checks that need no graph, and the file's summary: another key."""
    settings = options.config.fingerprint() + ("" if options.collections else " no-collections") + \
        ("\0project" if options.project else "")
    return key_prefix(options.kind, settings)


# A file's result, the cache key of the bytes it was made from, and what a project needs of the file
# (shep.validate.check_for_project; None outside a project).
Checked = tuple[FileResult, str, "dict[str, Any] | None"]


@record
class _Run:
    """What every file of a run shares."""

    options: Options
    cache: Cache | None
    installed: Installed | None
    prefix: bytes


def _lookup(path: str, run: _Run, options: Options | None = None) -> tuple[bytes | Diagnostic, str,
                                                                           tuple[FileResult, Any] | None]:
    """(bytes or read problem, cache key, cached result and the data kept with it, if any and still
    valid). ``options``: the run's, unless given (a file checked again as another kind)."""
    options = options or run.options
    data = read_or_diagnostic(path, options.max_bytes)
    if isinstance(data, Diagnostic) or run.cache is None:
        return data, "", None
    key = key_for(run.prefix if options is run.options else cache_key_prefix(options), path, data)
    cached = run.cache.get_with_extra(key, path)
    if cached is not None and cached[0].depends and (run.installed is None or
                                                     not run.installed.holds(cached[0].depends)):
        cached = None  # made from collection files that changed since (or are not looked at now)
    return data, key, cached


def _check(path: str, data: bytes | Diagnostic, options: Options,
           installed: Installed | None) -> tuple[FileResult, dict[str, Any] | None]:
    if isinstance(data, Diagnostic):
        return FileResult(path=path, kind=options.kind, verdict="failed", diagnostics=(data,)), None
    from shep.loader import load_bytes
    from shep.validate import check_document, check_for_project

    if options.project:
        return check_for_project(load_bytes(data, path), options.kind, options.config, installed)
    return check_document(load_bytes(data, path), options.kind, options.config, installed), None


def validate_file(path: str, options: Options = Options()) -> FileResult:
    """Load, build and check one file (with ``options.project``, the project it starts). Without a
    forced kind, non-Ansible YAML is skipped."""
    if options.project:
        return next(validate_paths([path], options))
    cache = _cache_of(options)
    run = _Run(options, cache, installed_for_run(options), cache_key_prefix(options))
    data, key, cached = _lookup(path, run)
    if cached is not None:
        return cached[0]
    result = _check(path, data, options, run.installed)[0]
    if cache is not None and key:
        cache.put(key, result)
        cache.flush()
    return result


def _validate_uncached(args: tuple[str, Options, bytes, Installed | None]) -> Checked:
    path, options, prefix, installed = args
    data = read_or_diagnostic(path, options.max_bytes)
    key = key_for(prefix, path, data) if isinstance(data, bytes) and options.cache_dir is not None else ""
    result, payload = _check(path, data, options, installed)
    return result, key, payload


def validate_paths_keyed(paths: Iterable[str], options: Options = Options(), jobs: int = 1,
                         dependencies: list[tuple[str, str]] | None = None) -> Iterator[tuple[FileResult, str]]:
    """As validate_paths, each result with the cache key of the bytes it was made from
    ("" when the file could not be read or there is no cache). With ``options.project``, the paths
    the verdicts also depend on (the project graph's: files and directories it looked for) are
    appended to ``dependencies``."""
    names = list(paths)
    cache = _cache_of(options)
    run = _Run(options, cache, installed_for_run(options), cache_key_prefix(options) if cache is not None else b"")
    results = _check_all(names, run, jobs)
    if options.project:
        results = _with_project(names, results, run, dependencies)
    if cache is not None:
        cache.flush()
    for result, key, _payload in results:
        yield result, key


def _check_all(names: list[str], run: _Run, jobs: int) -> list[Checked]:
    """Every file's result, from the cache or checked here or in worker processes (and cached)."""
    results: list[Checked | None] = [None] * len(names)
    if jobs > 1 and len(names) >= 4 * jobs and _worth_a_pool(names):
        checked = _validate_with_pool(names, run, jobs, results)
    else:  # one pass: each file is read once
        checked = []
        for index, path in enumerate(names):
            data, key, cached = _lookup(path, run)
            if cached is None:
                result, payload = _check(path, data, run.options, run.installed)
                checked.append(index)
                results[index] = result, key, payload
            else:
                results[index] = cached[0], key, cached[1]
    if run.cache is not None:  # results are cached here, not in the workers: one pack per run
        for index in checked:
            done = results[index]
            if done is not None and done[1]:
                run.cache.put(done[1], done[0], _cacheable(done[2]))
    final = [done for done in results if done is not None]
    assert len(final) == len(names)
    return final


def _cacheable(payload: dict[str, Any] | None) -> dict[str, Any] | None:
    if payload is None:
        return None
    from shep.project import payload_data

    return payload_data(payload)


def _with_project(names: list[str], results: list[Checked], run: _Run,
                  dependencies: list[tuple[str, str]] | None) -> list[Checked]:
    """The files as one project: the graph built from their summaries, the files it reaches as
    another kind checked again as that kind, and the findings of the graph's checks added."""
    from shep.project import build_project_of
    from shep.validate import finish_for_project

    options = run.options
    project = build_project_of(names, [(result.kind, payload) for result, _key, payload in results])
    if dependencies is not None:
        dependencies.extend(project.dependencies)
    final = []
    for path, (result, key, payload) in zip(names, results):
        decided = project.kinds.get(path)
        if decided is not None and decided != result.kind and result.kind != "playbook" and options.kind is None:
            forced = replace(options, kind=decided)
            data, key, cached = _lookup(path, run, forced)
            if cached is None:
                result, payload = _check(path, data, forced, run.installed)
                if run.cache is not None and key:
                    run.cache.put(key, result, _cacheable(payload))
            else:
                result, payload = cached
        facts = project.facts.get(path)
        if facts is not None and not facts.quiet:  # quiet: the graph's checks would find nothing
            result = finish_for_project(result, payload, facts, options.config)
        final.append((result, key, payload))
    return final


def _validate_with_pool(names: list[str], run: _Run, jobs: int, results: list[Checked | None]) -> list[int]:
    """Cache hits served here, misses checked by ``jobs`` worker processes; the indexes checked."""
    options = run.options
    if run.cache is not None:
        for index, path in enumerate(names):
            _, key, cached = _lookup(path, run)
            if cached is not None:
                results[index] = cached[0], key, cached[1]
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
