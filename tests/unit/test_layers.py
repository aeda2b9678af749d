"""The one-way layers of README.md's Layout, as a test: every import in src/shep (module level,
inside functions, under TYPE_CHECKING) goes to the same unit or to a lower layer, never up."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

# Bottom to top; a unit is a top-level module or package of shep. README.md's Layout lists the same.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("shep._records", "shep._version"),
    ("shep.diagnostics", "shep.keywords", "shep._builtin", "shep.fbs"),
    ("shep.fileio", "shep.module_specs", "shep.walk"),
    ("shep.loader", "shep.cache", "shep.suppress"),
    ("shep.detect", "shep.resolve", "shep.jinja"),
    ("shep.model", "shep.kinds", "shep.config", "shep.installed"),
    ("shep.project",),
    ("shep.validate", "shep.serialize"),
    ("shep.api", "shep.batch", "shep.report", "shep.lsp"),
    ("shep.cli",),
    ("shep.__main__",),
    ("shep",),  # the public facade: lazy exports, imported by no module of shep
)
LAYER_OF = {unit: number for number, units in enumerate(LAYERS) for unit in units}
# The generated FlatBuffers code is the business of the two serializers alone (models, project graphs).
ONLY_IMPORTED_BY = {"shep.fbs": ("shep.serialize.fbs", "shep.serialize.project_fbs")}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _unit(module: str) -> str:
    parts = module.split(".")
    return module if len(parts) == 1 else ".".join(parts[:2])


def _imports(path: Path) -> list[str]:
    """Every shep module ``path`` imports, wherever the import statement is."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.split(".")[0] == "shep"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "shep":
            if node.module == "shep":  # `from shep import suppress` names a module; `__version__` the facade
                found += [f"shep.{a.name}" if (SRC / "shep" / a.name).exists() or (SRC / "shep" / f"{a.name}.py").exists()
                          else "shep" for a in node.names]
            else:
                found.append(node.module)
    return found


def _modules() -> list[tuple[str, Path]]:
    return [(_module_name(path), path) for path in sorted((SRC / "shep").rglob("*.py"))
            if "fbs" not in path.relative_to(SRC / "shep").parts[:1]]


def test_every_module_is_placed_in_a_layer() -> None:
    unplaced = sorted({_unit(name) for name, _ in _modules()} - set(LAYER_OF))
    assert not unplaced, f"add to LAYERS (and README.md's Layout): {unplaced}"


def test_imports_never_go_up_a_layer() -> None:
    problems = []
    for name, path in _modules():
        unit = _unit(name)
        for target in _imports(path):
            target_unit = _unit(target)
            if target_unit == unit:
                continue
            if LAYER_OF[target_unit] >= LAYER_OF[unit]:
                problems.append(f"{name} imports {target} (layer {LAYER_OF[target_unit]} ≥ {LAYER_OF[unit]})")
            allowed = ONLY_IMPORTED_BY.get(target_unit)
            if allowed is not None and name not in allowed:
                problems.append(f"{name} imports {target}: only {', '.join(allowed)} may")
    assert not problems, "\n".join(problems)


def test_the_readme_lists_the_same_layers() -> None:
    readme = (SRC.parent / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout"):]
    for units in LAYERS[:-1]:
        for unit in units:
            assert f"`{unit.removeprefix('shep.')}`" in layout, f"README.md's Layout does not place {unit}"


def test_the_public_names_are_listed_once_and_agree() -> None:
    """shep/__init__.py names each export in _EXPORTS (lazy, at run time) and imports it for type
    checkers: both lists must hold the same names from the same modules."""
    import shep

    tree = ast.parse((SRC / "shep" / "__init__.py").read_text(encoding="utf-8"))
    typed: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom) and statement.module and statement.module.startswith("shep"):
                    typed.update((alias.name, statement.module) for alias in statement.names)
    assert typed == shep._EXPORTS
    assert sorted(shep.__all__) == sorted(["__version__", *shep._EXPORTS])
    for name in shep._EXPORTS:
        assert getattr(shep, name) is not None


# More than this many parameters means a record wants to be passed instead (issue 14: ValidateRequest).
MAX_PARAMETERS = 6


def _parameter_count(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    args = function.args
    positional = [a.arg for a in args.posonlyargs + args.args]
    count = len(positional) + len(args.kwonlyargs) + (args.vararg is not None) + (args.kwarg is not None)
    return count - 1 if positional[:1] in (["self"], ["cls"]) else count


def test_no_function_takes_more_than_six_parameters() -> None:
    long = []
    for name, path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _parameter_count(node) > MAX_PARAMETERS:
                long.append(f"{name}.{node.name} (line {node.lineno}): {_parameter_count(node)} parameters")
    assert not long, "\n".join(long)


def test_the_parameter_count_sees_every_kind_of_parameter() -> None:
    source = "def f(a, /, b, *c, d, **e): pass\nclass K:\n    def m(self, a, b): pass\n"
    functions = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef)]
    assert [_parameter_count(f) for f in functions] == [5, 2]
