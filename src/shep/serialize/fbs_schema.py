"""The FlatBuffers schema of .shep buffers, as shipped with shep.

The package data ``shep/_schemas/fbs/`` holds byte-for-byte copies of the repository's
``schema/task.fbs``, ``schema/playbook.fbs`` and ``schema/project.fbs`` (written by ``scripts/gen.py``),
the schema the installed ``shep.fbs`` code was generated from. ``playbook.fbs`` declares the root table
``File`` of .shep buffers and ``project.fbs`` the root ``Project`` of .shepg buffers (``shep graph
--format fbs``); both include ``task.fbs``, so a consumer needs the files side by side::

    flatc --python -o out task.fbs playbook.fbs project.fbs      # or --cpp, --rust, --go, --ts, ...
"""

from __future__ import annotations

# In include order: playbook.fbs (the root of .shep buffers) and project.fbs (the root of .shepg
# buffers, the project graph) each have `include "task.fbs";`.
SCHEMA_FILES = ("task.fbs", "playbook.fbs", "project.fbs")
ROOT_SCHEMA_FILE = "playbook.fbs"


def fbs_schema() -> dict[str, str]:
    """Each schema file's name and text, ``task.fbs`` first."""
    from importlib import resources

    directory = resources.files("shep").joinpath("_schemas", "fbs")
    return {name: directory.joinpath(name).read_text(encoding="utf-8") for name in SCHEMA_FILES}
