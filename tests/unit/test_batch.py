"""shep.batch.validate_paths: worker processes give the results of one process, in input order.

A pool starts only for ``jobs > 1`` and at least ``POOL_MIN_BYTES`` of files to check; below that,
starting processes costs more than it saves. The pool test proves that worker processes did the
checking: the executor is shep's own ``ProcessPoolExecutor`` with ``map`` tagging each result with
the process id that made it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import pytest

import shep.batch as batch
from shep.batch import Options, validate_paths

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def fixture_files() -> list[str]:
    files = sorted(str(p) for p in FIXTURES.rglob("*.yml") if "hostile" not in p.parts)
    assert len(files) >= 20
    return files


def _with_pid(fn: Callable[[Any], Any], item: Any) -> tuple[int, Any]:
    return os.getpid(), fn(item)


class RecordingPool(ProcessPoolExecutor):
    """The real process pool; notes the size of each pool made and the process that made each result."""

    sizes: list[int | None] = []
    pids: list[int] = []

    def __init__(self, max_workers: int | None = None, *args: Any, **kwargs: Any) -> None:
        RecordingPool.sizes.append(max_workers)
        super().__init__(max_workers, *args, **kwargs)

    def map(self, fn: Callable[..., Any], *iterables: Iterable[Any], timeout: float | None = None,
            chunksize: int = 1) -> Iterator[Any]:
        tagged = super().map(partial(_with_pid, fn), *iterables, timeout=timeout, chunksize=chunksize)
        for pid, result in tagged:
            RecordingPool.pids.append(pid)
            yield result


@pytest.fixture
def recording_pool(monkeypatch: pytest.MonkeyPatch) -> type[RecordingPool]:
    monkeypatch.setattr(RecordingPool, "sizes", [])
    monkeypatch.setattr(RecordingPool, "pids", [])
    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", RecordingPool)  # shep.batch imports it from there
    return RecordingPool


@pytest.fixture(scope="module")
def big_input(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Copies of the fixture tree (role layouts kept), just past POOL_MIN_BYTES in all."""
    root = tmp_path_factory.mktemp("pool-input")
    originals = fixture_files()
    files: list[str] = []
    total = copy = 0
    while total < batch.POOL_MIN_BYTES:
        for original in originals:
            target = root / f"copy{copy}" / Path(original).relative_to(FIXTURES)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(original, target)
            files.append(str(target))
            total += target.stat().st_size
        copy += 1
    return files


def test_a_pool_checks_big_input_in_worker_processes_with_the_single_process_results(
        big_input: list[str], recording_pool: type[RecordingPool]) -> None:
    alone = list(validate_paths(big_input, Options(), jobs=1))
    assert recording_pool.sizes == [], "jobs=1 started a pool"
    assert sorted({r.verdict for r in alone}) == ["failed", "passed", "skipped"]  # the results say something

    pooled = list(validate_paths(big_input, Options(), jobs=2))
    assert recording_pool.sizes == [2], f"no pool of 2 workers for {len(big_input)} files past POOL_MIN_BYTES"
    assert len(recording_pool.pids) == len(big_input), "not every file was checked by the pool"
    assert os.getpid() not in recording_pool.pids, "the pool's work ran in the test's own process"
    assert 1 <= len(set(recording_pool.pids)) <= 2
    assert [r.path for r in pooled] == big_input
    assert pooled == alone


def test_small_work_stays_in_process(recording_pool: type[RecordingPool]) -> None:
    files = fixture_files()[:10]
    assert len(list(validate_paths(files, Options(), jobs=2))) == len(files)
    assert recording_pool.sizes == [], "a pool was started for a few small files"
    assert batch._worth_a_pool(files) is False
    assert batch._worth_a_pool(files + ["/nonexistent/x.yml"]) is False


def test_the_pool_threshold_is_pool_min_bytes_to_the_byte(tmp_path: Path) -> None:
    """Sizes only: sparse files, nothing is read."""
    quarter = batch.POOL_MIN_BYTES // 4
    files = [str(tmp_path / f"{i}.yml") for i in range(4)]
    for path in files:
        with open(path, "wb") as handle:
            handle.truncate(quarter)
    assert 4 * quarter == batch.POOL_MIN_BYTES
    assert batch._worth_a_pool(files) is True
    with open(files[-1], "wb") as handle:
        handle.truncate(quarter - 1)
    assert batch._worth_a_pool(files) is False
    assert batch._worth_a_pool([*files, "/nonexistent/x.yml"]) is False
