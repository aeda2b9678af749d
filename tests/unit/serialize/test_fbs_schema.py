"""The FlatBuffers schema shipped with shep: a generated copy of schema/*.fbs that scripts/gen.py keeps fresh."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from shep.serialize.fbs_schema import ROOT_SCHEMA_FILE, SCHEMA_FILES, fbs_schema
from tests.conftest import REPO, load_script


def test_the_packaged_schema_is_the_repository_schema() -> None:
    shipped = fbs_schema()
    assert list(shipped) == list(SCHEMA_FILES) == ["task.fbs", "playbook.fbs", "project.fbs"]
    for name, text in shipped.items():
        assert text.encode("utf-8") == (REPO / "schema" / name).read_bytes(), f"run `make fbs`: {name} is stale"
    assert 'include "task.fbs";' in shipped[ROOT_SCHEMA_FILE] and "root_type File;" in shipped[ROOT_SCHEMA_FILE]
    assert sorted(p.name for p in (REPO / "src" / "shep" / "_schemas" / "fbs").iterdir()) == sorted(SCHEMA_FILES)


@pytest.fixture
def gen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    """scripts/gen.py with both its targets redirected to copies under tmp_path: the tests never write src/."""
    module = load_script("gen")
    copy = tmp_path / "_schemas" / "fbs"
    shutil.copytree(REPO / "src" / "shep" / "_schemas" / "fbs", copy)
    monkeypatch.setattr(module, "SCHEMA_COPY", copy)
    code = tmp_path / "fbs"
    shutil.copytree(REPO / "src" / "shep" / "fbs", code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(module, "TARGET", code)
    return module


def test_gen_check_passes_on_a_fresh_copy(gen: object, capsys: pytest.CaptureFixture[str]) -> None:
    assert gen.main(["--check"]) == 0  # type: ignore[attr-defined]
    out = capsys.readouterr().out
    assert "fbs/ is up to date" in out and "_schemas/fbs/ is up to date" in out


@pytest.mark.parametrize("change", ["edited", "missing", "extra"])
def test_gen_check_fails_when_the_packaged_copy_differs(gen: object, change: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    copy: Path = gen.SCHEMA_COPY  # type: ignore[attr-defined]
    if change == "edited":
        (copy / "task.fbs").write_text((copy / "task.fbs").read_text() + "// hand edit\n")
    elif change == "missing":
        (copy / "playbook.fbs").unlink()
    else:
        (copy / "other.fbs").write_text("namespace x;\n")
    assert gen.main(["--check"]) == 1  # type: ignore[attr-defined]
    err = capsys.readouterr().err
    expected = {"edited": "differs: task.fbs", "missing": "missing: playbook.fbs",
                "extra": "not generated (extra): other.fbs"}[change]
    assert "out of date with schema/*.fbs" in err and expected in err and "make fbs" in err
    assert gen.main([]) == 0  # type: ignore[attr-defined]  # regenerating repairs it
    assert sorted(p.name for p in copy.iterdir()) == sorted(SCHEMA_FILES)
    assert gen.main(["--check"]) == 0  # type: ignore[attr-defined]
