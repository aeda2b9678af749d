"""Session fixtures of the conformance tests: the buffers, each reader's output, shep's expectation.

Each reader runs once per session over every buffer (one process, one line of output per buffer);
the tests then compare one (reader, buffer) pair each.
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conformance import inputs, toolchain
from tests.conformance.compare import from_flatc, parse_flatc_json, parse_lines
from tests.conformance.expect import Expectation
from tests.conformance.fbs_schema import Schema, parse

READERS = ("cpp", "ts", "flatc-json")


@dataclass
class Prepared:
    """A buffer ready to read, or why there is none."""

    buffer: Path | None = None
    version: int = 0
    skip: str | None = None
    error: str | None = None


@dataclass
class Conformance:
    schema: Schema
    work: Path
    sources: dict[str, inputs.Source]
    _prepared: dict[str, Prepared] | None = None
    _outputs: dict[str, dict[str, Any] | tuple[str, str]] = field(default_factory=dict)  # reader -> {case: json}
    _expected: dict[str, Any] = field(default_factory=dict)
    compared: Counter[str] = field(default_factory=Counter)
    agreed: Counter[str] = field(default_factory=Counter)

    # -- buffers ---------------------------------------------------------------------------------------

    def prepared(self) -> dict[str, Prepared]:
        """Every buffer, written once: golden ones copied, the others dumped by the command line."""
        if self._prepared is not None:
            return self._prepared
        from shep.serialize.fbs import SCHEMA_VERSION

        out_dir, src_dir = self.work / "buffers", self.work / "sources"
        out_dir.mkdir()
        src_dir.mkdir()
        prepared: dict[str, Prepared] = {}
        jobs: dict[str, tuple[str, Path, Path]] = {}
        for case_id, source in self.sources.items():
            target = out_dir / f"{case_id}.shep"  # unique stems: flatc names its output after them
            if source.buffer is not None:
                shutil.copyfile(source.buffer, target)
                prepared[case_id] = Prepared(target, source.version or 0)
                continue
            if case_id in inputs.MODELS:
                try:
                    inputs.write_model(case_id, target)
                    prepared[case_id] = Prepared(target, SCHEMA_VERSION)
                except (TypeError, ValueError) as exc:
                    prepared[case_id] = Prepared(error=f"to_flatbuffers refused the model: {exc!r}")
                continue
            yaml = source.yaml
            if yaml is None:
                try:
                    yaml = inputs.write_synthetic(case_id, src_dir)
                except inputs.CannotCreate as exc:
                    prepared[case_id] = Prepared(skip=str(exc))
                    continue
            jobs[case_id] = (source.kind, yaml, target)
        for case_id, dumped in inputs.dump_all(jobs).items():
            prepared[case_id] = Prepared(dumped.buffer, SCHEMA_VERSION) if dumped.buffer else Prepared(
                error=f"shep dump exited with {dumped.returncode} and wrote no buffer:\n{dumped.stderr[-2000:]}")
        self._prepared = prepared
        return prepared

    def buffer(self, case_id: str) -> Prepared:
        prepared = self.prepared()[case_id]
        if prepared.skip:
            pytest.skip(prepared.skip)
        if prepared.error:
            pytest.fail(prepared.error)
        return prepared

    def expected(self, case_id: str) -> Any:
        if case_id not in self._expected:
            from shep.serialize.fbs import from_flatbuffers

            prepared = self.buffer(case_id)
            assert prepared.buffer is not None
            model = from_flatbuffers(prepared.buffer.read_bytes())
            self._expected[case_id] = Expectation(self.schema, prepared.version).file(model)
        return self._expected[case_id]

    # -- readers ---------------------------------------------------------------------------------------

    def output(self, reader: str, case_id: str) -> Any:
        """What ``reader`` printed for the buffer (a parsed JSON tree), running it on first use.

        A missing g++/node/npm skips (fails under SHEP_CONFORMANCE_REQUIRE=1, as in CI); a build or run
        that fails (npm ci, tsc, g++, a crash) fails every test of that reader, without retrying.
        """
        if reader not in self._outputs:
            try:
                self._outputs[reader] = self._run(reader)
            except toolchain.ToolMissing as exc:
                self._outputs[reader] = ("skip", f"{reader}: {exc}")
            except Exception as exc:  # noqa: BLE001 - reported by every test of this reader
                self._outputs[reader] = ("fail", f"{reader} could not be built or run: {exc}")
        outputs = self._outputs[reader]
        if isinstance(outputs, tuple):
            action, message = outputs
            if action == "skip" and not toolchain.REQUIRED:
                pytest.skip(message)
            pytest.fail(message)
        self.buffer(case_id)
        return outputs[case_id]

    def _run(self, reader: str) -> dict[str, Any]:
        ready = {case_id: p.buffer for case_id, p in self.prepared().items() if p.buffer is not None}
        if reader == "flatc-json":
            texts = toolchain.flatc_json(list(ready.values()), self.work / "flatc-json")
            results: dict[str, Any] = {}
            for case_id, buffer in ready.items():
                text = texts[buffer]
                if text.startswith("flatc failed"):
                    results[case_id] = {"error": text}
                    continue
                try:
                    results[case_id] = from_flatc(self.schema, self.schema.root, parse_flatc_json(text))
                except ValueError as exc:
                    results[case_id] = {"error": f"flatc printed something that is not JSON: {exc}"}
            return results
        if reader == "cpp":
            cmd: list[str | Path] = [toolchain.cpp_reader()]
        else:
            cmd = [toolchain.tool("node"), toolchain.ts_reader()]
        stdout, stderr, _ = toolchain.run_reader(cmd, list(ready.values()))
        lines = parse_lines(stdout)
        if len(lines) != len(ready):
            raise AssertionError(f"{reader} printed {len(lines)} lines for {len(ready)} buffers; "
                                 f"stderr: {stderr.decode(errors='replace')[-2000:]}")
        return dict(zip(ready, lines, strict=True))


@pytest.fixture(scope="session")
def schema() -> Schema:
    return parse(toolchain.ROOT_SCHEMA)


@pytest.fixture(scope="session")
def conformance(schema: Schema, tmp_path_factory: pytest.TempPathFactory) -> Conformance:
    sources = {source.id: source for source in inputs.all_sources()}
    return _SESSION.setdefault("run", Conformance(schema, tmp_path_factory.mktemp("conformance"), sources))


_SESSION: dict[str, Conformance] = {}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    run = _SESSION.get("run")
    if run is None or not run.compared:
        return
    terminalreporter.section("conformance: buffers compared per reader")
    for reader in READERS:
        if run.compared[reader]:
            terminalreporter.write_line(f"{reader:>10}: {run.compared[reader]} compared, "
                                        f"{run.agreed[reader]} equal to shep's model")
