"""Every flatc target language generates code from the schema, with every field under its own name.

flatc refuses some constructs for some languages (optional scalars: Dart, Lua, PHP, JSON Schema), and
renames an accessor whose name is a keyword of the target language (C++ `register_`, Java `notify_`,
Kotlin `when_`, TypeScript `debugger_`, Rust `static_`, Python's builder argument `async_`) or, worse,
leaves it unescaped (Rust `async`, Lua `until`): code that does not compile. The schema avoids all of
it (task.fbs: evolution rules), and this test keeps it so.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conformance import toolchain
from tests.conformance.fbs_schema import Schema, parse

LANGUAGES = ("cpp", "csharp", "dart", "go", "java", "kotlin", "kotlin-kmp", "lobster", "lua", "nim", "php",
             "python", "rust", "swift", "ts")

# Reserved words of the target languages (hard keywords, and the soft ones flatc escapes), lowercase.
# A field must not be spelled like one of these in the case the language's generated code uses.
RESERVED = {
    "snake": {  # C++, Rust, Lobster accessors; Python, Lua and PHP builder arguments
        # C++
        "alignas", "alignof", "and", "asm", "auto", "bool", "break", "case", "catch", "char", "class", "concept",
        "const", "constexpr", "continue", "default", "delete", "do", "double", "else", "enum", "explicit",
        "export", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int", "long", "mutable",
        "namespace", "new", "noexcept", "not", "nullptr", "operator", "or", "private", "protected", "public",
        "register", "requires", "return", "short", "signed", "sizeof", "static", "struct", "switch", "template",
        "this", "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using", "virtual",
        "void", "volatile", "while", "xor",
        # Rust (2021)
        "abstract", "as", "async", "await", "become", "box", "crate", "dyn", "fn", "final", "impl", "in", "let",
        "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "self", "super",
        "trait", "type", "typeof", "unsafe", "unsized", "use", "where", "yield",
        # Python
        "assert", "def", "del", "elif", "except", "finally", "from", "global", "import", "is", "lambda",
        "nonlocal", "pass", "raise", "with", "none",
        # Lua
        "end", "function", "local", "nil", "repeat", "then", "until",
        # Lobster
        "var", "any", "is_type", "resource",
    },
    "camel": {  # Dart, Java, Kotlin, Nim, Swift, TypeScript accessors
        # Java
        "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
        "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if",
        "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
        "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
        "throw", "throws", "transient", "try", "void", "volatile", "while", "notify", "notifyAll", "wait",
        "getClass", "hashCode", "equals", "toString", "clone", "finalize",
        # Kotlin
        "as", "fun", "in", "is", "null", "object", "typealias", "typeof", "val", "var", "when", "by", "get", "set",
        # TypeScript / JavaScript
        "debugger", "delete", "export", "function", "let", "of", "with", "yield", "async", "await", "arguments",
        "eval", "declare", "namespace", "module", "require", "constructor",
        # Swift
        "associatedtype", "deinit", "extension", "fileprivate", "init", "inout", "internal", "operator",
        "precedencegroup", "protocol", "rethrows", "self", "struct", "subscript", "where", "repeat", "defer",
        "guard", "fallthrough", "Type",
        # Dart
        "assert", "covariant", "dynamic", "external", "factory", "late", "library", "mixin", "on", "part",
        "required", "rethrow", "show", "hide", "sync",
        # Nim
        "addr", "and", "bind", "block", "cast", "concept", "converter", "discard", "distinct", "div", "elif",
        "except", "from", "func", "include", "isnot", "iterator", "macro", "method", "mixin", "mod", "nil", "not",
        "notin", "or", "out", "proc", "ptr", "raise", "ref", "shl", "shr", "template", "tuple", "type", "using",
        "xor", "until", "loop", "become",
    },
}


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def all_fields(schema: Schema) -> set[str]:
    return {f.name for table in (*schema.tables.values(), *schema.structs.values()) for f in table}


@pytest.fixture(scope="module")
def schema() -> Schema:
    """Every table of every schema file: both roots (File of .shep buffers, Project of .shepg ones)."""
    every = Schema()
    for path in toolchain.SCHEMAS:
        parse(path, every)
    return every


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str, Path]]:
    """language -> (flatc's exit status, its output, the directory it wrote)."""
    try:
        flatc = toolchain.flatc()
    except toolchain.ToolMissing as exc:
        toolchain.skip_or_fail(str(exc))
    base = tmp_path_factory.mktemp("codegen")
    results = {}
    for language in (*LANGUAGES, "jsonschema"):
        out = base / language
        out.mkdir()
        schemas = [toolchain.ROOT_SCHEMA] if language == "jsonschema" else list(toolchain.SCHEMAS)
        # No -o: flatc 25.12.19's Lua and Nim generators (built on its binary-schema generator) create
        # the namespace directory relative to the working directory, ignore -o, and then write nothing
        # at all with exit status 0. Running flatc in the output directory works for every language.
        result = toolchain.run([flatc, f"--{language}", *schemas], cwd=out, check=False)
        results[language] = (result.returncode, (result.stdout + result.stderr).decode(errors="replace"), out)
    return results


@pytest.mark.parametrize("language", (*LANGUAGES, "jsonschema"))
def test_flatc_generates(language: str, generated: dict[str, tuple[int, str, Path]]) -> None:
    code, output, out = generated[language]
    assert code == 0, f"flatc --{language} failed:\n{output}"
    assert any(p.is_file() for p in out.rglob("*")), f"flatc --{language} wrote nothing"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_accessor_is_renamed(language: str, generated: dict[str, tuple[int, str, Path]],
                                schema: Schema) -> None:
    """flatc escapes a field named after a keyword (`register_`, `when_`, `r#async`, `@static`): look for
    an escaped spelling of a table field in the generated code. (Struct fields are left out: C++ stores
    them as `line_`, `col_` members by design.)"""
    code, output, out = generated[language]
    if code != 0:
        pytest.skip(f"flatc --{language} failed (test_flatc_generates reports it)")
    text = "\n".join(p.read_text(errors="replace") for p in sorted(out.rglob("*")) if p.is_file())
    spelled = {spelling: f.name for table in schema.tables.values() for f in table if not f.name.endswith("_")
               for spelling in (f.name, camel(f.name), pascal(f.name))}
    words = "|".join(sorted(map(re.escape, spelled), key=len, reverse=True))
    escaped = re.compile(rf"(?<![\w$])(?:({words})_(?![\w$])|r#({words})\b|@({words})\b)")
    renamed = {spelled[next(g for g in hit.groups() if g)]: hit[0] for hit in escaped.finditer(text)}
    assert not renamed, f"flatc --{language} renamed accessors of keyword fields: {renamed}"


def test_no_field_is_a_reserved_word(schema: Schema) -> None:
    """The check flatc does not do: Rust `async` and Lua `until` come out unescaped and do not compile."""
    clashes = sorted({name for name in all_fields(schema)
                      if name in RESERVED["snake"] or camel(name) in RESERVED["camel"]})
    assert not clashes, f"schema fields named like a keyword of a flatc target language: {clashes}"


def test_generated_python_and_rust_parse(generated: dict[str, tuple[int, str, Path]]) -> None:
    """Without their runtimes (crates.io is out of reach) the generated Rust cannot be built, but it must
    parse: flatc leaves some Rust keywords unescaped (`pub fn async(&self)` with schema v1). rustfmt
    parses without resolving names, so the missing `flatbuffers` crate does not matter."""
    for code, _, _ in (generated["python"], generated["rust"]):
        if code != 0:
            pytest.skip("flatc failed (test_flatc_generates reports it)")
    for source in sorted(generated["python"][2].rglob("*.py")):
        compile(source.read_text(encoding="utf-8"), str(source), "exec")
    rustfmt = shutil.which("rustfmt")
    if rustfmt is None:
        pytest.skip("rustfmt is not installed (the Python half passed)")
    for source in sorted(generated["rust"][2].rglob("*.rs")):
        result = toolchain.run([rustfmt, "--edition", "2021", "--emit", "stdout", source], check=False)
        assert result.returncode == 0, f"{source.name} does not parse as Rust 2021:\n" + \
            result.stderr.decode(errors="replace")[:2000]
