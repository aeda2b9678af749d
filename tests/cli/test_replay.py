"""Replayed ``shep validate`` runs (shep.cli.replay, on requests shep.cli.options.parse_validate
reads): same stdout, stderr and exit code as the normal path, for many argument forms and trees;
replayed only when nothing changed; bad records ignored."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shep.cli import DISABLE_ENV, main, replay
from shep.cli.options import ValidateRequest, parse_validate

SITE = "- hosts: all\n  roles: [r]\n  tasks:\n    - debug: msg=x\n      notify: h\n    - shell: echo hi\n"
TASKS = "- name: ok\n  ping:\n- debug: msg=a\n  apt: name=b\n- name: poll\n  ping:\n  poll: 3\n"
HANDLERS = "- name: h\n  debug: msg=y\n- debug: msg=z\n"


def make_tree(root: Path, config: str | None = None, pyproject: str | None = None) -> Path:
    files = {
        "site.yml": SITE,
        "roles/r/tasks/main.yml": TASKS,
        "roles/r/tasks/other.yaml": "- ping:\n",
        "roles/r/handlers/main.yml": HANDLERS,
        "vars.yml": "a: 1\n",
        "broken.yml": "- debug: msg=x\n  shell: echo\n- [\n",
        "sub/deep/play.yml": "- hosts: x\n  tasks: []\n",
        "sub/files/ignored.yml": "- debug: msg=q\n",
        "é dir/tasks/main.yml": "- name: unicode\n  command: echo é\n",
        "other.yml": "fail-level: warning\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    if config is not None:
        (root / ".shep.yml").write_text(config)
    if pyproject is not None:
        (root / "pyproject.toml").write_text(pyproject)
    return root


TREES = {
    "plain": {},
    "shep_yml": {"config": "exclude: ['*/files/*']\nseverity: {V009: error}\nignore: [V003]\n"},
    "pyproject": {"pyproject": "[tool.shep]\nfail-level = 'warning'\nexclude = ['broken.yml']\n"},
}

ARGS = [
    ["validate", "."],
    ["validate", "--format", "json", "."],
    ["validate", "--format=sarif", "-j1", "."],
    ["validate", "--format", "github", "--fail-level", "warning", "sub", "site.yml"],
    ["validate", "--kind", "tasks", "roles/r/tasks", "é dir"],
    ["validate", "--config", "other.yml", "--jobs=2", "roles"],
    ["validate", "-j", "1", "--fail-level=info", "--", "site.yml", "roles/r/handlers/main.yml", "site.yml"],
    ["validate", "vars.yml"],
]


def run(argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        fast: bool = True) -> tuple[str, str, int]:
    with monkeypatch.context() as patch:
        if fast:
            patch.delenv(DISABLE_ENV, raising=False)
        else:
            patch.setenv(DISABLE_ENV, "1")
        with pytest.raises(SystemExit) as stop:
            main(list(argv))
    out, err = capsys.readouterr()
    code = stop.value.code
    return out, err, code if isinstance(code, int) else 0


def served(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, int] | None:
    request = parse_validate(argv)
    code = None if request is None else replay.serve(request)
    out, _ = capsys.readouterr()
    return None if code is None else (out, code)


@pytest.mark.parametrize("tree", sorted(TREES))
def test_a_replay_prints_what_the_normal_path_prints(tree: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_tree(tmp_path / "t", **TREES[tree])
    monkeypatch.chdir(root)
    monkeypatch.setenv("NO_COLOR", "1")
    for argv in ARGS:
        reference = run(argv, capsys, monkeypatch, fast=False)
        assert "Traceback" not in reference[1]
        assert run(argv, capsys, monkeypatch) == reference, argv  # fills the cache, records the run
        assert served(argv, capsys) == (reference[0], reference[2]), argv  # a replay, nothing re-checked
        assert run(argv, capsys, monkeypatch) == reference, argv
        assert reference[1] == ""


@pytest.mark.parametrize("tree", sorted(TREES))
def test_uncached_runs_without_typer_print_what_typer_runs_print(
        tree: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_tree(tmp_path / "t", **TREES[tree])
    monkeypatch.chdir(root)
    monkeypatch.setenv("NO_COLOR", "1")
    for argv in ARGS + [["validate", "--config", "missing.yml", "."], ["validate", "nowhere", "."]]:
        argv = [argv[0], "--no-cache", *argv[1:]]
        assert parse_validate(argv) is not None, argv
        reference = run(argv, capsys, monkeypatch, fast=False)
        assert "Traceback" not in reference[1]
        assert run(argv, capsys, monkeypatch) == reference, argv


def test_any_change_is_rechecked(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_tree(tmp_path / "t", config="ignore: [V003]\n")
    monkeypatch.chdir(root)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    argv = ["validate", "."]

    def check_replays_after_one_run() -> None:
        assert served(argv, capsys) is None
        reference = run(argv, capsys, monkeypatch, fast=False)
        assert run(argv, capsys, monkeypatch) == reference
        assert served(argv, capsys) == (reference[0], reference[2])

    check_replays_after_one_run()
    (root / "roles/r/tasks/main.yml").write_text(TASKS + "- shell: echo changed\n")  # a changed file
    check_replays_after_one_run()
    (root / "sub/new.yml").write_text("- ping:\n")  # a new file
    check_replays_after_one_run()
    (root / "sub/new.yml").unlink()  # a deleted file: the old record is for another file list
    check_replays_after_one_run()
    (root / ".shep.yml").write_text("ignore: [V003, V009]\n")  # a changed configuration
    check_replays_after_one_run()
    (root / ".shep.yml").write_text("ignore: [V003, V009]\n")  # rewritten, same bytes: still a replay
    assert served(argv, capsys) is not None
    (root.parent / ".shep.yaml").write_text("select: [Y]\n")  # a configuration file further up
    check_replays_after_one_run()
    os.utime(root / "site.yml", ns=(1, 1))  # another time stamp, same bytes: still a replay
    assert served(argv, capsys) is not None
    monkeypatch.setenv("FORCE_COLOR", "1")  # colour is part of the question
    check_replays_after_one_run()


def test_file_status_vouches_only_for_files_unchanged_since_long_before_the_run(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_tree(tmp_path / "t")
    monkeypatch.chdir(root)
    monkeypatch.setenv("NO_COLOR", "1")
    argv = ["validate", "."]
    reference = run(argv, capsys, monkeypatch, fast=False)
    key = replay.run_key(ValidateRequest(paths=(".",)), colour=False)
    assert key is not None
    from shep.cache import default_dir

    found = replay.load(default_dir(), key)
    assert found is not None and len(found.files) == 10 and found.statuses == ("",) * 10  # just written: racy

    monkeypatch.setattr(replay, "RACY_NS", -10**15)  # as if every file had been written long before the run
    run(argv, capsys, monkeypatch, fast=False)
    found = replay.load(default_dir(), key)
    assert found is not None and all(found.statuses)
    import shep.fileio

    read_bytes = shep.fileio.read_bytes

    def no_reading(path: str, max_bytes: int = 0) -> bytes:
        if os.path.basename(path) in (".shep.yml", ".shep.yaml", "pyproject.toml"):  # configuration: always read
            return read_bytes(path, max_bytes)
        if path.startswith(default_dir()):  # the run record itself
            return read_bytes(path, max_bytes)
        raise AssertionError(f"{path} was read although its status vouches for its bytes")

    with monkeypatch.context() as patch:
        patch.setattr(shep.fileio, "read_bytes", no_reading)
        assert served(argv, capsys) == (reference[0], reference[2])
    target = root / "roles/r/tasks/main.yml"
    target.write_text(TASKS.replace("msg=a", "msg=b"))  # same size, new bytes: the status differs, so it is hashed
    assert served(argv, capsys) is None
    changed = run(argv, capsys, monkeypatch, fast=False)
    assert served(argv, capsys) == (changed[0], changed[2])


def test_runs_with_unreadable_files_or_walk_errors_are_not_recorded(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_tree(tmp_path / "t")
    monkeypatch.chdir(root)
    monkeypatch.setenv("NO_COLOR", "1")
    os.mkfifo(root / "fifo.yml")
    for argv in (["validate", "."], ["validate", "site.yml", "missing.yml"]):
        reference = run(argv, capsys, monkeypatch, fast=False)
        assert reference[2] == 2
        assert run(argv, capsys, monkeypatch) == reference
        assert served(argv, capsys) is None
        assert run(argv, capsys, monkeypatch) == reference


def test_corrupt_truncated_or_foreign_records_are_ignored_and_rebuilt(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_tree(tmp_path / "t")
    monkeypatch.chdir(root)
    monkeypatch.setenv("NO_COLOR", "1")
    cache = tmp_path / "cache"
    argv = ["validate", "--cache-dir", str(cache), "."]
    other = ["validate", "--cache-dir", str(cache), "--format", "json", "."]
    reference = run(argv, capsys, monkeypatch, fast=False)
    run(other, capsys, monkeypatch)
    run(argv, capsys, monkeypatch)
    records = {path.name: path.read_bytes() for path in (cache / "runs").iterdir()}
    assert len(records) == 2
    mine = replay.run_key(ValidateRequest(paths=(".",)), colour=False)
    assert mine in records
    good = records[mine]
    foreign = next(data for name, data in records.items() if name != mine)
    flipped = bytearray(good)
    flipped[-10] ^= 1
    header_end = good.index(b"\n") + 66
    bad_records = [b"", b"garbage", good[:len(good) // 2], good[:-1], bytes(flipped), foreign,
                   good.replace(b"shep-run %d " % replay.RUN_FORMAT, b"shep-run 99 ", 1), good[:header_end] + b"9999999999:x",
                   good[:header_end]]
    for bad in bad_records:
        (cache / "runs" / mine).write_bytes(bad)
        assert served(argv, capsys) is None
        assert run(argv, capsys, monkeypatch) == reference  # the normal path, which records the run again
        assert served(argv, capsys) == (reference[0], reference[2])
    (cache / "runs" / mine).unlink()
    (cache / "runs" / mine).mkdir()  # not even a file
    assert served(argv, capsys) is None
    assert run(argv, capsys, monkeypatch) == reference


@pytest.mark.parametrize(("argv", "handled"), [
    (["validate", "."], True),
    (["validate", "a", "--format", "json", "b"], True),
    (["validate", "-j4", "--cache-dir=/x", "--config", "c.yml", "--kind=playbook", "."], True),
    (["validate", "--", "a"], True),
    (["validate"], False),  # no path: typer's usage error
    (["validate", "--no-cache", "."], True),  # validated without typer, never replayed
    (["validate", "--no-cache", "--no-cache", "."], False),
    (["validate", "--help"], False),
    (["validate", "--format", "xml", "."], False),
    (["validate", "--format", "JSON", "."], False),
    (["validate", "--format", "json", "--format", "text", "."], False),
    (["validate", "--format"], False),
    (["validate", "-j", "0", "."], False),
    (["validate", "-j=2", "."], False),
    (["validate", "-j", "+2", "."], False),
    (["validate", "--jobs", "two", "."], False),
    (["validate", "--cache-dir", "--no-cache", "."], False),
    (["validate", "-x", "."], False),
    (["validate", "-", "."], False),
    (["validate", "--", "-a"], False),
    (["validate", ""], False),
    (["--version"], False),
    (["playbook", "validate", "."], False),
    (["validate", "--kind", "role", "."], False),
])
def test_argument_subset(argv: list[str], handled: bool) -> None:
    assert (parse_validate(argv) is not None) is handled


def test_real_process_replays_with_the_same_bytes(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "t")
    env = {**os.environ, "NO_COLOR": "1", "SHEP_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "shep", "validate", "--format", "github", "."]
    outputs = []
    for extra in ({DISABLE_ENV: "1"}, {}, {}):
        done = subprocess.run(command, cwd=root, env={**env, **extra}, capture_output=True, timeout=120, check=False)
        outputs.append((done.stdout, done.stderr, done.returncode))
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(list((tmp_path / "cache" / "runs").iterdir())) == 1


# -- records that must not be trusted, and the run key's inputs ---------------------------------


def recorded_run(root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """Run ``validate .`` once (recording it); the record's path and the reference stdout."""
    from shep.cache import default_dir

    monkeypatch.chdir(root)
    monkeypatch.setenv("NO_COLOR", "1")
    out = run(["validate", "."], capsys, monkeypatch)[0]
    key = replay.run_key(ValidateRequest(paths=(".",)), colour=False)
    assert key is not None
    record = os.path.join(default_dir(), "runs", key)
    assert os.path.isfile(record)
    return record, out


def test_a_record_written_by_another_user_is_not_replayed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    recorded_run(make_tree(tmp_path / "t"), capsys, monkeypatch)
    request = parse_validate(["validate", "."])
    assert request is not None
    assert replay.serve(request) is not None
    capsys.readouterr()
    monkeypatch.setattr(os, "getuid", lambda: os.stat(".").st_uid + 1)
    assert replay.serve(request) is None


def test_a_fifo_in_place_of_a_record_neither_hangs_nor_fails(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    record, out = recorded_run(make_tree(tmp_path / "t"), capsys, monkeypatch)
    os.unlink(record)
    os.mkfifo(record)
    assert replay.load(os.path.dirname(os.path.dirname(record)), os.path.basename(record)) is None
    assert run(["validate", "."], capsys, monkeypatch)[0] == out


def test_no_working_directory_still_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_tree(tmp_path / "t")
    config = tmp_path / "cfg.yml"
    config.write_text("ignore: [V003]\n")
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    for fast in (True, False):
        out, err, code = run(["validate", "--config", str(config), str(root / "site.yml")], capsys, monkeypatch, fast)
        assert "site.yml" in out and "Traceback" not in err and code in (0, 1)


def test_the_run_key_follows_every_file_config_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The run key hashes the files shep.config.candidate_files lists: a name config learns is one
    the key covers, with no second list to update."""
    import shep.config

    root = make_tree(tmp_path / "t")
    monkeypatch.chdir(root)
    monkeypatch.setenv("NO_COLOR", "1")
    request = ValidateRequest(paths=(".",))
    before = replay.run_key(request, colour=False)
    settings = root / "shep-settings.yml"
    settings.write_text("select: [D]\n")
    assert replay.run_key(request, colour=False) == before  # not a configuration file (yet)
    monkeypatch.setattr(shep.config, "CONFIG_FILES", ("shep-settings.yml", *shep.config.CONFIG_FILES))
    learned = replay.run_key(request, colour=False)
    assert learned not in (None, before)
    argv = ["validate", "."]
    reference = run(argv, capsys, monkeypatch, fast=False)
    assert "D001" in reference[0] and "Y001" not in reference[0]  # the new file configured the run
    assert served(argv, capsys) == (reference[0], reference[2])
    settings.write_text("select: [Y]\n")
    assert replay.run_key(request, colour=False) not in (before, learned)
    assert served(argv, capsys) is None  # a changed configuration file: not replayed
    changed = run(argv, capsys, monkeypatch)
    assert "Y001" in changed[0] and "D001" not in changed[0]


def test_the_run_key_changes_with_shep_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shep.cache as cache

    package = tmp_path / "pkg"
    (package / "validate").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    module = package / "validate" / "check.py"
    module.write_text("MESSAGE = 'old'\n")
    monkeypatch.setattr(cache, "__file__", str(package / "cache.py"))  # the digest covers cache.py's package
    monkeypatch.setattr(cache, "_code_digest", [])
    before = cache.code_digest()
    module.write_text("MESSAGE = 'a new one'\n")
    monkeypatch.setattr(cache, "_code_digest", [])
    assert cache.code_digest() != before


def test_a_config_changed_during_the_run_is_not_recorded(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from shep.cache import default_dir
    from shep.cli import validating

    monkeypatch.chdir(make_tree(tmp_path / "t"))
    monkeypatch.setenv("NO_COLOR", "1")
    real = validating.run_validation

    def config_changes_meanwhile(*args: object, **kwargs: object) -> int:
        (tmp_path / "t" / ".shep.yml").write_text("ignore: [V003]\n")  # after it was read, before recording
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(validating, "run_validation", config_changes_meanwhile)
    run(["validate", "."], capsys, monkeypatch)
    assert not os.path.isdir(os.path.join(default_dir(), "runs")) or not os.listdir(
        os.path.join(default_dir(), "runs"))


def test_records_are_pruned_to_the_most_recent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replay, "MAX_RECORDS", 3)
    for number in range(6):
        replay.save(str(tmp_path), f"{number:064x}", replay.RunRecord(
            exit_code=0, max_bytes=1000, prefix=b"p", excludes=(), files=(), keys=(), statuses=("",),
            listing=replay.Listing(), stdout="out\n"))
        os.utime(tmp_path / "runs" / f"{number:064x}", ns=(number * 10**9, number * 10**9))
    assert sorted(os.listdir(tmp_path / "runs")) == [f"{n:064x}" for n in (3, 4, 5)]


def test_unchanged_directories_are_not_walked_again_and_a_changed_one_is(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import shep.walk

    root = make_tree(tmp_path / "t")
    monkeypatch.chdir(root)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(replay, "RACY_NS", -10**15)  # as if everything had been written long before the run
    argv = ["validate", "."]
    reference = run(argv, capsys, monkeypatch)
    request = parse_validate(argv)
    assert request is not None
    with monkeypatch.context() as patch:
        patch.setattr(shep.walk, "iter_files", lambda *a, **k: pytest.fail("walked although no directory changed"))
        assert served(argv, capsys) == (reference[0], reference[2])
    (root / "sub" / "deep" / "new.yml").write_text("- hosts: y\n  tasks: []\n")  # a listed directory changes
    assert served(argv, capsys) is None
    assert "new.yml" in run(argv, capsys, monkeypatch)[0]
    os.mkdir(root / "sub" / "fresh")  # so does its parent when a directory appears
    (root / "sub" / "fresh" / "x.yml").write_text("- ping:\n")
    assert served(argv, capsys) is None
    assert "fresh/x.yml" in run(argv, capsys, monkeypatch)[0]


def test_a_plain_validate_run_imports_nothing_it_does_not_need(tmp_path: Path) -> None:
    """Start-up is most of a one-file run (pre-commit): typer, jsonschema, the fbs code, typing,
    dataclasses and inspect each cost milliseconds that ``shep validate`` does not need."""
    tree = make_tree(tmp_path)
    script = ("import sys\nfrom shep.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
              "print(' '.join(sorted(sys.modules)), file=sys.stderr)")
    run = subprocess.run([sys.executable, "-c", script, "validate", "--no-cache", str(tree)],
                         capture_output=True, text=True, cwd=tmp_path, check=True)
    loaded = set(run.stderr.split())
    assert "shep.validate.checks" in loaded  # the files were validated
    unwanted = {"typer", "click", "rich", "jsonschema", "flatbuffers", "shep.fbs", "ruamel", "typing",
                "dataclasses", "inspect",
                # no task names a collection: nothing of the collection lookup is loaded
                "shep.installed.index", "shep.installed.facts", "shep.installed.roots", "configparser"}
    assert loaded & unwanted == set()


def test_a_change_the_project_graph_saw_is_rechecked(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A verdict that depends on other files (a role found or not, its handlers, an ansible.cfg) is
    replayed only while none of them changed: files the walk did not list included."""
    root = tmp_path / "p"
    (root / "playbooks").mkdir(parents=True)
    (root / "playbooks" / "site.yml").write_text("- hosts: all\n  roles: [web]\n  tasks:\n    - ping:\n"
                                                 "      notify: restart web\n")
    monkeypatch.chdir(root)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("ANSIBLE_ROLES_PATH", raising=False)
    argv = ["validate", "playbooks/site.yml"]
    missing = run(argv, capsys, monkeypatch, fast=False)
    assert "V050" in missing[0] and missing[2] == 1
    assert served(argv, capsys) == (missing[0], missing[2])
    role = root / "roles" / "web"
    (role / "tasks").mkdir(parents=True)
    (role / "tasks" / "main.yml").write_text("- ping:\n")
    (root / "ansible.cfg").write_text("[defaults]\nroles_path = roles\n")
    assert served(argv, capsys) is None  # the role appeared (and an ansible.cfg points at it)
    found = run(argv, capsys, monkeypatch)
    assert "V050" not in found[0] and "V003" in found[0]  # the role has no handler of that name
    assert served(argv, capsys) == (found[0], found[2])
    (role / "handlers").mkdir()
    (role / "handlers" / "main.yml").write_text("- name: restart web\n  ping:\n")
    assert served(argv, capsys) is None  # a handler file appeared where the graph looked
    fixed = run(argv, capsys, monkeypatch)
    assert "V003" not in fixed[0] and fixed[2] == 0
    assert served(argv, capsys) == (fixed[0], fixed[2])
    (role / "handlers" / "main.yml").write_text("- name: restart nginx\n  ping:\n")
    assert served(argv, capsys) is None  # its content changed
    monkeypatch.setenv("ANSIBLE_ROLES_PATH", str(tmp_path))
    assert served(argv, capsys) is None  # where ansible-core looks for roles is part of the run key


def test_a_module_added_to_a_library_path_is_rechecked(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """V033 depends on the listings of the module paths: a module appearing in library/ ends the replay."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "site.yml").write_text("- hosts: all\n  tasks:\n    - my_module: {}\n")
    monkeypatch.chdir(root)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("ANSIBLE_LIBRARY", raising=False)
    argv = ["validate", "site.yml"]
    unknown = run(argv, capsys, monkeypatch, fast=False)
    assert "V033" in unknown[0]
    assert served(argv, capsys) == (unknown[0], unknown[2])
    (root / "library").mkdir()
    (root / "library" / "my_module.py").write_text("# a module\n")
    assert served(argv, capsys) is None
    provided = run(argv, capsys, monkeypatch)
    assert "V033" not in provided[0]
    assert served(argv, capsys) == (provided[0], provided[2])
    monkeypatch.setenv("ANSIBLE_LIBRARY", str(tmp_path))
    assert served(argv, capsys) is None  # where ansible-core looks for modules is part of the run key
