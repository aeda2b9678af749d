"""Validation: every problem of a file as diagnostics, sorted by position, suppressions applied."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from shep.api import DEFAULT_MAX_BYTES, guess_kind
from shep.cache import Cache, make_key
from shep.config import Config
from shep.diagnostics import Diagnostic, FileResult, Span, make
from shep.kinds import FileKind
from shep.loader import Document, load_bytes
from shep.model import Model, Playbook
from shep.model.build import build
from shep import suppress


Check = Callable[[Model], Iterable[Diagnostic]]
CHECKS: list[Check] = []


@dataclass(frozen=True, slots=True)
class Options:
    kind: FileKind | None = None
    config: Config = Config()
    cache_dir: str | None = None  # None: no cache
    max_bytes: int = DEFAULT_MAX_BYTES


def validate_model(model: Model) -> tuple[Diagnostic, ...]:
    found = list(model.diagnostics)
    for check in CHECKS:
        found.extend(check(model))
    return tuple(sorted(set(found), key=Diagnostic.sort_key))


def _object_spans(model: Model) -> list[Span]:
    if isinstance(model, Playbook):
        return [play.span for play in model.plays] + [task.span for task in model.tasks()]
    return [task.span for task in model.all_tasks()]


def _read(path: str, max_bytes: int) -> bytes | Diagnostic:
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return make("Y000", f"cannot read file: {exc.strerror or type(exc).__name__}", path, Span(1, 1, 1, 1))
    if len(data) > max_bytes:
        return make("Y007", f"file is larger than the {max_bytes}-byte limit", path, Span(1, 1, 1, 1))
    return data


def check_document(document: Document, options: Options) -> FileResult:
    """Kind, model, checks, suppressions and configuration for one loaded document."""
    path = document.path
    chosen = options.kind or guess_kind(document)
    if chosen is None:
        if not document.loadable:
            return FileResult(path=path, kind=None, verdict="failed",
                              diagnostics=options.config.apply(tuple(document.diagnostics)))
        return FileResult(path=path, kind=None, verdict="skipped", reason="not a playbook, task or handler file")
    model = build(document, chosen)
    diagnostics = suppress.apply(validate_model(model), suppress.scan(document.text), _object_spans(model))
    diagnostics = options.config.apply(diagnostics)
    failed = any(d.severity >= options.config.fail_level for d in diagnostics)
    return FileResult(path=path, kind=chosen, verdict="failed" if failed else "passed", diagnostics=diagnostics)


def validate_file(path: str, options: Options = Options()) -> FileResult:
    """Load, build and check one file. Without a forced kind, non-Ansible YAML is skipped."""
    data = _read(path, options.max_bytes)
    if isinstance(data, Diagnostic):
        return FileResult(path=path, kind=options.kind, verdict="failed", diagnostics=(data,))
    cache = Cache(Path(options.cache_dir)) if options.cache_dir else None
    key = make_key(data, path, options.kind, options.config.fingerprint()) if cache else ""
    if cache is not None:
        cached = cache.get(key, path)
        if cached is not None:
            return cached
    result = check_document(load_bytes(data, path), options)
    if cache is not None:
        cache.put(key, result)
    return result


def _validate_one(args: tuple[str, Options]) -> FileResult:
    return validate_file(*args)


def validate_paths(paths: Iterable[str], options: Options = Options(), jobs: int = 1) -> Iterator[FileResult]:
    """Results in input order; with ``jobs > 1`` files are checked in worker processes."""
    work = [(path, options) for path in paths]
    if jobs <= 1 or len(work) < 2 * jobs:
        yield from map(_validate_one, work)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_validate_one, work, chunksize=max(1, min(64, len(work) // (jobs * 8))))


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1
