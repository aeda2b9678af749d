"""The project graph (shep.project) against ansible-core on the shared corpus's playbooks.

* For each playbook ansible-core loads (tests/oracle/references_oracle.py: ``Playbook.load``, then
  every literal ``include_tasks``/``include_role`` as a run resolves them), the task and handler
  files shep resolves are the files ansible-core loaded tasks from, and the roles shep finds tasks
  in are among ansible-core's, which are among the roles shep reaches; shep finds no static
  reference missing. For each playbook ansible-core fails to load on a reference, shep reports that
  reference. Playbooks that reference collections (not installed here) are left aside, as are
  failures that are no reference's (an unknown keyword…).
* Mutants: each file or role a playbook references is deleted or renamed in a copy; the graph then
  reports the reference at its line and column (or finds another file where ansible-core would,
  in its search order); for a sample, ansible-core itself confirms (it fails, or loads the other
  file) and ``shep validate`` gives the V050/V051 diagnostic at that line and column.

Skipped, with the reason, without the shared corpus or without ansible-core (the ``oracle`` extra).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from shep.api import guess_kind, load_project, read_document
from shep.batch import Options, validate_paths
from shep.keywords import IMPORT_ROLE_ACTIONS, IMPORT_TASKS_ACTIONS
from shep.model import Playbook
from shep.project.fs import Disk
from shep.project.settings import working_directory
from tests.conftest import corpus_or_skip

pytestmark = [pytest.mark.oracle, pytest.mark.corpus]

REPO = Path(__file__).resolve().parents[2]
ORACLE = REPO / "tests" / "oracle" / "references_oracle.py"
FIXTURES = REPO / "fixtures" / "validate" / "project"
# ansible-core's messages when a reference leads nowhere (the others are no reference's failure).
REFERENCE_ERRORS = re.compile(r"was not found|Could not find or access|Could not find specified file|"
                              r"Unable to retrieve file contents|not inside the expected role path")
FAILING = ("missing", "wrong-kind")
STATIC_KINDS = {"import_playbook", "import_tasks", "import_role", "role", "dependency", "tasks_from",
                "handlers_from", "vars_from", "defaults_from"}
MUTATED_KINDS = STATIC_KINDS | {"include_tasks", "include_role"}


def _ansible_or_skip() -> None:
    pytest.importorskip("ansible", reason="ansible-core (the oracle extra) is not installed")


def ansible_loads(playbooks: list[Path]) -> dict[str, dict[str, Any]]:
    """The oracle's answer for each playbook, each run in the directory shep takes as ansible-playbook's."""
    paths = [str(path.resolve()) for path in playbooks]
    listing = subprocess.run([sys.executable, str(ORACLE), "--print-cwd", *paths], capture_output=True, text=True,
                             check=True)
    by_cwd: dict[str, list[str]] = defaultdict(list)
    for line in listing.stdout.splitlines():
        entry = json.loads(line)
        by_cwd[entry["cwd"]].append(entry["playbook"])
    answers = {}
    for cwd, group in by_cwd.items():
        env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
        run = subprocess.run([sys.executable, str(ORACLE), *group], capture_output=True, text=True, cwd=cwd, env=env,
                             timeout=1800)
        assert run.returncode == 0, run.stderr[-2000:]
        for line in run.stdout.splitlines():
            if line.startswith("{"):
                entry = json.loads(line)
                answers[entry["playbook"]] = entry
    return answers


class ShepView:
    """What shep's graph of one playbook says, in the oracle's terms (real paths)."""

    def __init__(self, playbook: Path) -> None:
        old = os.getcwd()
        os.chdir(working_directory(str(playbook.resolve().parent), Disk()))
        try:
            project = load_project(playbook.resolve())
            self.files: set[str] = set()
            self.roles: set[str] = set()
            for found in project.files:
                model = project.models.get(found.path)
                if model is None or not found.reached or found.kind == "playbook":
                    continue
                tasks = model.tasks() if isinstance(model, Playbook) else model.all_tasks()
                if any(not t.is_block and t.action not in IMPORT_TASKS_ACTIONS | IMPORT_ROLE_ACTIONS for t in tasks):
                    self.files.add(os.path.realpath(found.path))
                    if found.role:
                        self.roles.add(os.path.realpath(found.role))
            self.reached_roles = {os.path.realpath(role.path) for role in project.roles}
            self.edges = [(os.path.realpath(e.source), e) for e in project.edges]
        finally:
            os.chdir(old)

    def failing(self) -> list[Any]:
        return [edge for _source, edge in self.edges if edge.status in FAILING and edge.reached]

    def collections(self) -> bool:
        return any(edge.status == "collection" for _source, edge in self.edges)

    def templated_static(self) -> bool:
        return any(edge.status == "dynamic" and edge.kind in STATIC_KINDS for _source, edge in self.edges)


def compare(playbook: Path, answer: dict[str, Any], counts: Counter[str], problems: list[str]) -> None:
    shep = ShepView(playbook)
    failing = shep.failing()
    static = [e for e in failing if e.static and e.kind != "vars_files"]
    error = answer["error"]
    if error:
        if not REFERENCE_ERRORS.search(error):
            counts["ansible-fails-on-something-else"] += 1
        elif failing:
            counts["both-fail"] += 1
        elif shep.collections() or shep.templated_static():
            counts["aside: collection or templated import"] += 1
        else:
            problems.append(f"{playbook}: ansible-core fails ({error[:200]}) and shep finds every reference")
        return
    if static:
        problems.append(f"{playbook}: ansible-core loads it, shep finds missing "
                        f"{[(e.source, e.span.line, e.kind, e.target) for e in static]}")
        return
    if shep.collections():
        counts["aside: collection"] += 1
        return
    files = {path for path in answer["files"] if guess_kind(read_document(path)) != "playbook"}
    roles = set(answer["roles"])
    if shep.files == files and shep.roles <= roles <= shep.reached_roles:
        counts["equal"] += 1
    else:
        problems.append(f"{playbook}: files shep only {sorted(shep.files - files)[:3]}, ansible only "
                        f"{sorted(files - shep.files)[:3]}; roles {sorted(shep.roles - roles)[:3]} "
                        f"{sorted(roles - shep.reached_roles)[:3]}")


def corpus_playbooks(corpus: Path) -> list[Path]:
    with (corpus / "manifest.jsonl").open(encoding="utf-8") as handle:
        entries = [json.loads(line) for line in handle if line.strip()]
    return [corpus / e["repo"] / e["path"] for e in entries if e["kind"] == "playbook"]


def test_the_fixtures_resolve_as_ansible_core_resolves() -> None:
    _ansible_or_skip()
    playbooks = [FIXTURES / "resolved" / "site.yml", FIXTURES / "missing" / "site.yml"]
    answers = ansible_loads(playbooks)
    counts: Counter[str] = Counter()
    problems: list[str] = []
    for playbook in playbooks:
        compare(playbook, answers[str(playbook.resolve())], counts, problems)
    assert problems == []
    assert counts == {"equal": 1, "both-fail": 1}


@pytest.mark.slow
def test_corpus_playbooks_resolve_as_ansible_core_resolves() -> None:
    _ansible_or_skip()
    playbooks = corpus_playbooks(corpus_or_skip())
    answers = ansible_loads(playbooks)
    counts: Counter[str] = Counter()
    problems: list[str] = []
    for playbook in playbooks:
        compare(playbook, answers[str(playbook.resolve())], counts, problems)
    assert problems == []
    # Pinned (ansible-core 2.19.14, the corpus as it is): most playbooks compared in full.
    assert counts["equal"] >= 60 and counts["both-fail"] >= 40, counts


# -- mutants ------------------------------------------------------------------------------------


def _references(playbook: Path) -> list[tuple[str, int, int, str, str, str, str]]:
    """(source, line, col, kind, target, status, resolved) of every edge of the playbook's graph, reached."""
    view = ShepView(playbook)
    return [(source, e.span.line, e.span.col, e.kind, e.target, e.status,
             os.path.realpath(e.resolved) if e.resolved else "") for source, e in view.edges if e.reached]


def _mutate(target: str, mode: str) -> str:
    moved = f"{target}.{mode}d"
    os.rename(target, moved)
    return moved


@pytest.mark.slow
def test_mutants_are_reported_at_the_referencing_line(tmp_path: Path) -> None:
    """Each referenced file or role of the corpus's playbooks, deleted or renamed in a copy, is
    reported at the reference's line and column; a sample is checked against ansible-core and
    against a whole ``shep validate`` run."""
    _ansible_or_skip()
    corpus = corpus_or_skip()
    copy = tmp_path / "corpus"
    repos = sorted({p.relative_to(corpus).parts[0] for p in corpus_playbooks(corpus)})
    for repo in repos:
        shutil.copytree(corpus / repo, copy / repo, symlinks=True)
    playbooks = [copy / p.relative_to(corpus) for p in corpus_playbooks(corpus)]
    targets: dict[str, list[tuple[Path, tuple[str, int, int, str, str, str, str]]]] = defaultdict(list)
    root = str(copy.resolve())
    for playbook in playbooks:
        for edge in _references(playbook):
            if edge[5] == "found" and edge[3] in MUTATED_KINDS and edge[6].startswith(root + "/"):
                targets[edge[6]].append((playbook, edge))
    counts: Counter[str] = Counter()
    problems: list[str] = []
    sample: list[tuple[Path, str, tuple[str, int, int, str, str, str, str], str, str]] = []
    for target, uses in sorted(targets.items()):
        mode = random.Random(target).choice(["delete", "rename"])
        moved = _mutate(target, mode)
        try:
            for playbook in sorted({p for p, _ in uses}):
                if str(playbook.resolve()).startswith(target):
                    continue
                after = {(e[0], e[1], e[2], e[3], e[4]): e for e in _references(playbook)}
                for _p, edge in uses:
                    if _p != playbook or edge[0] == target or edge[0].startswith(target + "/"):
                        continue
                    now = after.get(edge[:5])
                    if now is None:
                        counts["referencing file no longer reached"] += 1
                    elif now[5] in FAILING:
                        counts["reported"] += 1
                        if len(sample) < 12 and edge[3] in STATIC_KINDS and random.Random(edge[0]).random() < 0.3:
                            sample.append((playbook, target, edge, mode, "fails"))
                    elif now[5] == "found":
                        counts["found elsewhere"] += 1
                        sample.append((playbook, target, edge, mode, "elsewhere"))
                    else:
                        problems.append(f"{mode} {target}: {edge[:5]} is now {now[5]}")
        finally:
            os.rename(moved, target)
    assert problems == []
    assert counts["reported"] >= 30 and len(targets) >= 30, (counts, len(targets))
    _confirm(sample, problems)
    assert problems == []


@pytest.mark.slow
def test_mutants_of_files_no_playbook_reaches_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A collection's roles (community.general's integration targets) are reached from no playbook:
    their includes are resolved in the context their place suggests, and a deleted or renamed file
    is reported at the include (a warning: the context is a guess)."""
    corpus = corpus_or_skip()
    source = corpus / "ansible-collections+community.general"
    copy = tmp_path / "cg"
    shutil.copytree(source, copy, symlinks=True)
    monkeypatch.chdir(copy)

    def edges() -> dict[tuple[str, int, int, str, str], Any]:
        project = load_project(".")
        return {(os.path.realpath(e.source), e.span.line, e.span.col, e.kind, e.target): e for e in project.edges}

    before = edges()
    targets = sorted({os.path.realpath(e.resolved) for e in before.values()
                      if e.status == "found" and e.kind in MUTATED_KINDS and not e.reached})
    chosen = random.Random(17).sample(targets, min(40, len(targets)))
    reported = 0
    for target in chosen:
        moved = _mutate(target, random.Random(target).choice(["delete", "rename"]))
        try:
            after = edges()
            for key, edge in before.items():
                if edge.status == "found" and os.path.realpath(edge.resolved) == target and key[0] != target:
                    now = after.get(key)
                    assert now is not None and now.status in FAILING, (target, key, now)
                    reported += 1
        finally:
            os.rename(moved, target)
    assert reported >= 40


def _confirm(sample: list[tuple[Path, str, tuple[str, int, int, str, str, str, str], str, str]],
             problems: list[str]) -> None:
    """ansible-core fails on each sampled mutant (or loads the other file shep found); shep validate
    reports the reference at its line and column."""
    for playbook, target, edge, mode, expected in sample:
        moved = _mutate(target, mode)
        try:
            answer = ansible_loads([playbook])[str(playbook.resolve())]
            if expected == "fails" and not answer["error"]:
                problems.append(f"{mode} {target}: ansible-core still loads {playbook}")
            if expected == "elsewhere" and answer["error"] and REFERENCE_ERRORS.search(answer["error"]):
                problems.append(f"{mode} {target}: ansible-core fails ({answer['error'][:120]}), shep found another")
            if expected == "fails":
                old = os.getcwd()
                os.chdir(working_directory(str(playbook.resolve().parent), Disk()))
                try:
                    results = list(validate_paths([str(playbook.resolve())], Options(project=True)))
                    # The reference may sit in a file the playbook reaches: shep reports it in that file when
                    # that file is validated; here the playbook alone is, so check the graph's edge instead.
                    if edge[0] == str(playbook.resolve()):
                        found = [(d.code, d.line, d.col) for r in results for d in r.diagnostics]
                        if not any(code in ("V050", "V051") and (line, col) == edge[1:3] for code, line, col in found):
                            problems.append(f"{mode} {target}: shep validate does not report {edge[:5]}: {found}")
                finally:
                    os.chdir(old)
        finally:
            os.rename(moved, target)
