"""``FileFacts.quiet``: a validation run skips the checks that read the project graph for a file whose
facts are quiet (``shep.batch._with_project``). The shortcut must never hide a diagnostic: on every
project the checks' examples, the project fixtures and the shared corpus make, each file whose facts
are quiet gets nothing from those checks when they run."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from shep.batch import Options, _check_all, _Run
from shep.project import Project, build_project_of
from shep.validate import project_diagnostics
from shep.validate.checks import CHECK_MODULES, examples
from shep.walk import WalkError, iter_files
from tests.conftest import corpus_or_skip
from tests.project_support import write_tree

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "validate" / "project"


def _project(root: Path) -> tuple[Project, dict[str, str | None]]:
    """The project ``shep validate root`` builds (run from ``root``), and each file's kind."""
    cwd = os.getcwd()
    os.chdir(root)
    try:
        names = [f for f in iter_files(["."]) if not isinstance(f, WalkError)]
        results = _check_all(names, _Run(Options(project=True), None, None, b""), 1)
        project = build_project_of(names, [(result.kind, payload) for result, _key, payload in results])
    finally:
        os.chdir(cwd)
    return project, {name: result.kind for name, (result, _key, _payload) in zip(names, results)}


def _compare(root: Path) -> tuple[int, int]:
    """(quiet files, others); fails on a quiet file the graph's checks find something in."""
    project, kinds = _project(root)
    quiet = 0
    for path, facts in project.facts.items():
        found = project_diagnostics(path, kinds.get(path) or "tasks", facts)  # type: ignore[arg-type]
        if facts.quiet:
            assert found == (), (root, path, found)
            quiet += 1
    return quiet, len(project.facts) - quiet


def test_the_graph_checks_are_the_ones_quiet_knows() -> None:
    """A new check that reads the graph must say what it reports in ``FileFacts.quiet``."""
    codes = sorted(module.CODE for module in CHECK_MODULES if getattr(module, "PROJECT", False))
    assert codes == ["V003", "V033", "V050", "V051", "V052", "V053", "V054"]


@pytest.mark.parametrize("module", [m for m in CHECK_MODULES if getattr(m, "PROJECT", False)],
                         ids=lambda m: m.CODE)
def test_quiet_facts_of_the_examples(module: object) -> None:
    for example in examples(module):  # type: ignore[arg-type]
        if example.kind != "project":
            continue
        with tempfile.TemporaryDirectory() as folder:
            write_tree(example.text, Path(folder))
            noisy = _compare(Path(folder))[1]
        if example.verdict == "FAIL":
            assert noisy, example.text  # its finding is in facts that are not quiet


@pytest.mark.parametrize("root", sorted(p for p in FIXTURES.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_quiet_facts_of_the_fixtures(root: Path) -> None:
    _compare(root)


@pytest.mark.slow
def test_quiet_facts_of_the_corpus() -> None:
    quiet, noisy = _compare(corpus_or_skip())
    assert quiet > noisy > 0
