"""Configuration files, inline suppressions and the result cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from shep.cache import PACK_MAGIC, Cache, make_key
from shep.config import Config, ConfigError, candidate_files, load_config
from shep.diagnostics import Severity
from shep.batch import Options, validate_file, validate_paths

CONFLICT = "- debug: msg=a\n  apt: name=b\n"


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return str(path)


def codes(path: str, options: Options = Options()) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in validate_file(path, options).diagnostics]


def test_pyproject_config_found_walking_up(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.shep]\nexclude = ["vendor/*"]\nignore = ["Y003"]\n'
          'severity = {D001 = "warning"}\nfail-level = "warning"\n')
    (tmp_path / "a" / "b").mkdir(parents=True)
    config = load_config(start=tmp_path / "a" / "b")
    assert config.exclude == ("vendor/*",) and config.ignore == frozenset({"Y003"})
    assert dict(config.severity) == {"D001": Severity.WARNING} and config.fail_level is Severity.WARNING


def test_shep_yml_beats_pyproject_without_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    write(tmp_path / ".shep.yml", "select: [D]\n")
    assert load_config(start=tmp_path).select == frozenset({"D"})


def test_candidate_files_are_what_load_config_tries_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shep.config

    start = tmp_path / "a" / "b"
    start.mkdir(parents=True)
    candidates = candidate_files(start=start)
    assert candidates[:6] == [str(folder / name) for folder in (start, start.parent)
                              for name in (".shep.yml", ".shep.yaml", "pyproject.toml")]
    assert candidates[-1] == os.path.join(os.path.abspath(os.sep), "pyproject.toml")
    assert candidate_files("given.yml", start) == ["given.yml"]
    write(tmp_path / "a" / "pyproject.toml", "[tool.shep]\nselect = ['Y']\n")
    write(start / "shep-settings.yml", "select: [D]\n")
    assert load_config(start=start).select == frozenset({"Y"})
    # A name config learns is one load_config reads: the list is the only place names are written.
    monkeypatch.setattr(shep.config, "CONFIG_FILES", (*shep.config.CONFIG_FILES, "shep-settings.yml"))
    assert str(start / "shep-settings.yml") in candidate_files(start=start)
    assert load_config(start=start).select == frozenset({"D"})


@pytest.mark.parametrize("text", ["ignore: 3\n", "severity: {D001: fatal}\n", "colour: yes\n", "- a\n", "a: [\n"])
def test_bad_config_is_a_clear_error(tmp_path: Path, text: str) -> None:
    write(tmp_path / ".shep.yml", text)
    with pytest.raises(ConfigError, match=r"\.shep\.yml"):
        load_config(start=tmp_path)


def test_config_select_ignore_and_severity(tmp_path: Path) -> None:
    path = write(tmp_path / "tasks" / "main.yml", CONFLICT + "- ping:\n  ping:\n")
    assert codes(path) == [("D001", 2), ("Y003", 4)]
    assert codes(path, Options(config=Config(ignore=frozenset({"Y"})))) == [("D001", 2)]
    assert codes(path, Options(config=Config(select=frozenset({"Y003"})))) == [("Y003", 4)]
    result = validate_file(path, Options(config=Config(severity=(("D001", Severity.INFO),))))
    assert [d.severity for d in result.diagnostics] == [Severity.INFO, Severity.WARNING]
    assert result.verdict == "passed"


@pytest.mark.parametrize(("text", "expected"), [
    ("- debug: msg=a  # shep: disable=D001\n  apt: name=b\n", []),  # on the task's first line: the task
    ("- debug: msg=a\n  when: x  # shep: disable=D001\n  apt: name=b\n", [("D001", 3)]),  # another line
    ("- debug: msg=a\n  apt: name=b  # shep: disable=D001\n", []),
    ("- debug: msg=a\n  apt: name=b  # shep: disable=V\n", [("D001", 2)]),
    ("- debug: msg=a\n  apt: name=b  # shep: disable\n", []),
    ("# shep: disable=D001\n- debug: msg=a\n  apt: name=b\n", []),  # whole task from the line above
    ("- debug: msg=a\n  apt: name=b\n# shep: disable-file=D\n", []),
    ("- debug: msg=a\n  apt: 'name=b # shep: disable'\n", [("D001", 2)]),  # inside a string: not a comment
])
def test_inline_suppressions(tmp_path: Path, text: str, expected: list[tuple[str, int]]) -> None:
    assert codes(write(tmp_path / "tasks" / "main.yml", text)) == expected


def test_cache_hit_corrupt_entry_and_key_parts(tmp_path: Path) -> None:
    path = write(tmp_path / "tasks" / "main.yml", CONFLICT)
    options = Options(cache_dir=str(tmp_path / "cache"))
    first = validate_file(path, options)
    packs = list((tmp_path / "cache" / "packs").iterdir())
    assert len(packs) == 1
    assert validate_file(path, options) == first  # served from the cache
    key, _, body = packs[0].read_bytes().removeprefix(PACK_MAGIC).partition(b" ")
    packs[0].write_bytes(PACK_MAGIC + key + b" {not json\n")
    assert validate_file(path, options) == first  # corrupt entry ignored and rebuilt
    assert any(p.read_bytes() == PACK_MAGIC + key + b" " + body for p in (tmp_path / "cache" / "packs").iterdir())
    data = Path(path).read_bytes()
    keys = {make_key(data, path, None, ""), make_key(data + b" ", path, None, ""),
            make_key(data, path + "x", None, ""), make_key(data, path, "tasks", ""), make_key(data, path, None, "c")}
    assert len(keys) == 5


def test_cache_entry_with_another_key_is_not_trusted(tmp_path: Path) -> None:
    path = write(tmp_path / "t.yml", "- ping:\n")
    result = validate_file(path, Options(kind="tasks"))
    cache = Cache(tmp_path)
    cache.put("ab" + "0" * 62, result)
    cache.flush()
    (pack,) = (tmp_path / "packs").iterdir()
    pack.write_bytes(pack.read_bytes().replace(b"ab" + b"0" * 62 + b" ", b"ab" + b"1" * 62 + b" "))
    assert Cache(tmp_path).get("ab" + "0" * 62, path) is None
    assert Cache(tmp_path).get("ab" + "1" * 62, path) is None  # its body names the other key


def test_one_pack_per_run_and_packs_merged_past_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shep.cache

    monkeypatch.setattr(shep.cache, "MAX_PACKS", 3)
    files = [write(tmp_path / "src" / f"t{n}.yml", f"- debug: msg={n}\n") for n in range(6)]
    options = Options(kind="tasks", cache_dir=str(tmp_path / "cache"))
    first = list(validate_paths(files[:2], options))
    assert len(list((tmp_path / "cache" / "packs").iterdir())) == 1  # two results, one file
    for name in files[2:4]:
        list(validate_paths([name], options))
    assert len(list((tmp_path / "cache" / "packs").iterdir())) == 3  # one per run, up to MAX_PACKS
    list(validate_paths([files[4]], options))
    assert len(list((tmp_path / "cache" / "packs").iterdir())) == 1  # the next run merged them
    cache = Cache(tmp_path / "cache")
    for name, result in zip(files, first + [validate_file(f, options) for f in files[2:]]):
        data = Path(name).read_bytes()
        assert cache.get(make_key(data, name, "tasks", Config().fingerprint()), name) == result
    assert list(validate_paths(files[:2], options)) == first


def test_foreign_or_odd_pack_files_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "garbage").write_bytes(b"\x00\xffnot a pack")
    os.mkfifo(tmp_path / "packs" / "fifo")
    (tmp_path / "packs" / "dir").mkdir()
    assert Cache(tmp_path).get("a" * 64, "x.yml") is None


def test_a_cached_verdict_follows_the_fail_level(tmp_path: Path) -> None:
    from shep._records import replace

    path = write(tmp_path / "tasks" / "main.yml", "- name: x\n  debug: msg=a\n  debug: msg=b\n")  # Y003 warning
    options = Options(cache_dir=str(tmp_path / "cache"))
    assert validate_file(path, options).verdict == "passed"
    strict = replace(options, config=replace(options.config, fail_level=Severity.WARNING))
    assert validate_file(path, strict).verdict == "failed"
    assert validate_file(path, options).verdict == "passed"
