"""The wheel a user installs carries what shep reads at run time: the generated code and the schemas.

Built as pip builds it (PEP 517, build isolation: setuptools comes from the package index, as for
`make install` and the pre-commit test) from a copy of the project, so the checkout gets no build/
or egg-info directory.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # builds a wheel and an sdist

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[zipfile.ZipFile]:
    root = tmp_path_factory.mktemp("wheel")
    project = root / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, project / name)
    shutil.copytree(REPO / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(root / "dist"),
                             str(project)], capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    [built] = (root / "dist").glob("shep-*.whl")
    with zipfile.ZipFile(built) as archive:
        yield archive


def test_the_wheel_ships_the_flatbuffers_schema(wheel: zipfile.ZipFile) -> None:
    from shep.serialize.fbs_schema import SCHEMA_FILES

    assert set(SCHEMA_FILES) == {path.name for path in (REPO / "schema").glob("*.fbs")}
    for name in SCHEMA_FILES:
        assert wheel.read(f"shep/_schemas/fbs/{name}") == (REPO / "schema" / name).read_bytes()


def test_the_wheel_ships_the_package_data_shep_reads(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert {"shep/py.typed", "shep/fbs/File.py", "shep/fbs/Task.py", "shep/serialize/fbs_schema.py"} <= names
    assert {name for name in names if name.startswith("shep/_schemas/")} == {
        "shep/_schemas/tasks.schema.json", "shep/_schemas/handlers.schema.json", "shep/_schemas/playbook.schema.json",
        "shep/_schemas/fbs/task.fbs", "shep/_schemas/fbs/playbook.fbs", "shep/_schemas/fbs/project.fbs"}
