"""What the language server answers, computed from a document's text alone (no pygls here, no I/O).

* :func:`diagnose`: the text validated as ``shep validate`` validates a file (loader, kind, model,
  checks, suppressions, configuration), from memory: the editor's buffer, not the file on disk.
* :func:`place_at`: where a position is in the document's structure (a play, task, block, handler,
  role entry or a module's options), read from the indentation of the lines above and below, so
  that it works on text being typed, which is often not valid YAML yet.
* :func:`hover` and :func:`completions`: keywords from ``shep.keywords`` (type and the contexts
  that accept them), modules and options from ``shep.module_specs`` (type, choices, default,
  required, aliases). shep holds no prose from Ansible's documentation, and shows none.
* :func:`suggestions` and :func:`fix_span`: the quick fixes of did-you-mean hints.

Columns here are 0-based and count code points; the server converts them to the client's units.
"""

from __future__ import annotations

import difflib
import re

from shep._records import record
from shep.config import Config
from shep.diagnostics import FileResult
from shep.keywords import (
    BLOCK_SECTIONS,
    FILE_KINDS,
    KEYWORDS,
    LOOP_PREFIX,
    NOT_MODULE_KEYS,
    Context,
    keywords_for,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from shep.keywords import FileKind

# The kinds of mapping a position can be in, and the keyword context of each.
PLAY, TASK, HANDLER, BLOCK, ROLE, IMPORT_PLAYBOOK, OPTIONS = (
    "play", "task", "handler", "block", "role entry", "import_playbook entry", "module options")
CONTEXTS = {PLAY: Context.PLAY, TASK: Context.TASK, HANDLER: Context.HANDLER, BLOCK: Context.BLOCK,
            ROLE: Context.ROLE, IMPORT_PLAYBOOK: Context.IMPORT_PLAYBOOK}
_CONTEXT_WORDS = ((Context.PLAY, "plays"), (Context.BLOCK, "blocks"), (Context.TASK, "tasks"),
                  (Context.HANDLER, "handlers"), (Context.ROLE, "role entries"),
                  (Context.IMPORT_PLAYBOOK, "import_playbook entries"))
_TASK_SECTIONS = ("pre_tasks", "tasks", "post_tasks")
_KINDS: dict[str, FileKind] = {kind: kind for kind in FILE_KINDS}
_IMPORT_PLAYBOOK_KEYS = ("import_playbook", "ansible.builtin.import_playbook", "ansible.legacy.import_playbook")


def diagnose(text: str, path: str, config: Config = Config()) -> FileResult:
    """Every diagnostic of ``text`` as if it were the file ``path`` (whose name and directory help
    tell its kind): what ``shep validate`` reports for the file holding that text, the installed
    collections included (looked at afresh each time: one may be installed while the editor runs)."""
    from shep.cache import default_dir
    from shep.installed import Installed
    from shep.loader import load_text
    from shep.validate import check_document

    return check_document(load_text(text, path), None, config, Installed(default_dir()))


def kind_of(result: FileResult, text: str, path: str) -> FileKind | None:
    """The kind to complete and explain a validated document as: the one shep found, none for a file
    that is not Ansible content, else (text that does not load) a guess."""
    if result.verdict == "skipped":
        return None
    return _KINDS.get(result.kind or "") or guess_kind(text, path)


def guess_kind(text: str, path: str) -> FileKind:
    """The kind to complete and explain a document as when shep could not classify it (text that
    does not load yet): its directory's, else a playbook when a top-level item is a play."""
    from shep.kinds import kind_from_path

    by_path = kind_from_path(path)
    if by_path is not None:
        return by_path
    if re.search(r"^- +(hosts|(ansible\.(builtin|legacy)\.)?import_playbook) *:", text, re.MULTILINE):
        return "playbook"
    return "tasks"


# -- where a position is ----------------------------------------------------------------------------

_KEY = re.compile(r"([A-Za-z_][\w.\-]*)( *:(?= |$))?")
_DASHES = re.compile(r"(?:-(?: +|$))*")


@record
class _Line:
    indent: int  # column of the first character that is not a space
    key_col: int  # column after the list dashes
    dash: int | None  # column of the last dash: the line starts a list item
    key: str | None  # the key, when the line reads "key:" (or a bare word, where one is being typed)
    colon: bool


def _parse(text: str, bare: bool = False) -> _Line | None:
    """A line's shape; None for blank lines, comments, document markers and directives."""
    stripped = text.lstrip(" ")
    if not stripped.strip() or stripped[0] in "#%" or stripped.startswith(("---", "...")):
        return None
    indent = len(text) - len(stripped)
    dashes = _DASHES.match(stripped)
    width = dashes.end() if dashes else 0
    dash = indent + stripped[:width].rstrip().rfind("-") if width else None
    match = _KEY.match(stripped, width)
    key = match.group(1) if match and (match.group(2) or bare) else None
    return _Line(indent, indent + width, dash, key, bool(match and match.group(2)))


@record
class Place:
    """A position in the document's structure.

    ``mapping`` is PLAY, TASK, HANDLER, BLOCK, ROLE, IMPORT_PLAYBOOK or OPTIONS ("" where shep
    knows nothing to say: a play's vars, a value); ``module`` is the module whose options these are
    (OPTIONS) or the module key of a task; ``keys`` are the keys the mapping has; ``word`` is the key
    under the cursor (or typed so far), from column ``start`` to ``end``; ``on_key`` is False on a value.
    """

    mapping: str
    module: str | None
    keys: tuple[str, ...]
    word: str
    start: int
    end: int
    on_key: bool


@record
class _Mapping:
    first: int  # its first line
    col: int  # the column of its keys
    dash: int | None  # the column of its list item's dash, None for a mapping that is a value
    keys: tuple[str, ...]
    parent: int | None  # the line of the key (or the list's key) it is the value of; None at the top


def _mapping_at(lines: list[str], row: int, col: int) -> _Mapping:
    """The block mapping whose keys start at column ``col`` and that holds line ``row``."""
    keys: list[str] = []
    first, dash, parent = row, None, None
    current = _parse(lines[row])
    if current is not None and current.key_col == col and current.dash is not None:
        dash = current.dash
    else:
        for above in range(row - 1, -1, -1):
            line = _parse(lines[above])
            if line is None or line.indent > col or (line.indent == col and line.dash is not None):
                continue  # nested content, or a list that is the value of a key at this column
            if line.key_col == col:
                first = above
                if line.key:
                    keys.append(line.key)
                if line.dash is not None:
                    dash = line.dash
                    break
                continue
            parent = above
            break
    if dash is not None:
        parent = _list_parent(lines, first, dash)
    if current is not None and current.key_col == col and current.key:
        keys.append(current.key)
    for below in range(row + 1, len(lines)):
        line = _parse(lines[below])
        if line is None or line.indent > col or (line.indent == col and line.dash is not None):
            continue
        if line.indent == col and line.dash is None:
            if line.key:
                keys.append(line.key)
            continue
        break
    return _Mapping(first, col, dash, tuple(dict.fromkeys(keys)), parent)


def _list_parent(lines: list[str], first: int, dash: int) -> int | None:
    """The line of the key whose value is the list an item (its dash at column ``dash``) belongs to:
    the nearest line above that is less indented, or a key at the dash's column (``tasks:`` then
    ``- name: …`` at the same indent); None for a top-level list."""
    for row in range(first - 1, -1, -1):
        line = _parse(lines[row])
        if line is None or line.indent > dash or (line.indent == dash and line.dash is not None):
            continue
        return row
    return None


def _module_key(keys: tuple[str, ...]) -> str | None:
    return next((k for k in keys if k not in NOT_MODULE_KEYS and not k.startswith(LOOP_PREFIX)
                 and k not in BLOCK_SECTIONS), None)


def _action_of(lines: list[str], mapping: _Mapping) -> str | None:
    """The module an ``action:`` (or ``local_action:``) key of the mapping names: its value's first word."""
    for row in range(mapping.first, len(lines)):
        line = _parse(lines[row])
        if line is None or line.indent > mapping.col or (
                row > mapping.first and line.indent == mapping.col and line.dash is not None):
            continue  # nested content, or a list that is the value of a key
        if line.key_col != mapping.col or (row > mapping.first and line.dash is not None):
            break
        if line.key in ("action", "local_action"):
            value = lines[row].split(":", 1)[1].split()
            return value[0] if value else None
    return None


def _kind(lines: list[str], mapping: _Mapping, file_kind: FileKind, depth: int = 0) -> tuple[str, str | None, bool]:
    """(the mapping's kind, its module, whether it is among handlers) for a mapping found by _mapping_at."""
    if depth > 100:
        return "", None, False
    if mapping.parent is None:
        if mapping.dash is None or mapping.dash != 0:
            return "", None, False
        base = {"playbook": PLAY, "tasks": TASK, "handlers": HANDLER}[file_kind]
        handlers = file_kind == "handlers"
    else:
        parent_line = _parse(lines[mapping.parent])
        if parent_line is None or parent_line.key is None:
            return "", None, False
        container = _mapping_at(lines, mapping.parent, parent_line.key_col)
        outer, _, handlers = _kind(lines, container, file_kind, depth + 1)
        key = parent_line.key
        if mapping.dash is None:  # the value of a key: a module's options, or nothing shep knows
            if outer not in (TASK, HANDLER):
                return "", None, handlers
            if key == "args":
                return OPTIONS, _module_key(container.keys) or _action_of(lines, container), handlers
            if key in NOT_MODULE_KEYS or key.startswith(LOOP_PREFIX):
                return "", None, handlers
            return OPTIONS, key, handlers
        if outer == PLAY and key in _TASK_SECTIONS:
            base, handlers = TASK, False
        elif outer == PLAY and key == "handlers":
            base, handlers = HANDLER, True
        elif outer == PLAY and key == "roles":
            return ROLE, None, False
        elif outer == BLOCK and key in BLOCK_SECTIONS:
            base = HANDLER if handlers else TASK
        else:
            return "", None, handlers
    if base in (TASK, HANDLER) and any(k in BLOCK_SECTIONS for k in mapping.keys):
        return BLOCK, None, handlers
    if base == PLAY and any(k in _IMPORT_PLAYBOOK_KEYS for k in mapping.keys):
        return IMPORT_PLAYBOOK, None, False
    return base, (_module_key(mapping.keys) if base in (TASK, HANDLER) else None), handlers


def place_at(text: str, line: int, character: int, file_kind: FileKind) -> Place:
    """Where (``line``, ``character``), 0-based, is: the mapping, its keys, and the key under or before it."""
    lines = text.split("\n")
    if line >= len(lines):
        return Place("", None, (), "", character, character, False)
    current = lines[line].rstrip("\r")
    parsed = _parse(current, bare=True)
    if parsed is None:  # a blank line: a new key at the cursor's column
        col = min(character, len(current))
        if current[:col].strip():
            return Place("", None, (), "", character, character, False)
        start = end = col
        word, on_key = "", True
    else:
        col = parsed.key_col
        match = _KEY.match(current, col)
        start, end = col, (match.end(1) if match else col)
        word = match.group(1) if match else ""
        on_key = start <= character <= end and not (current[col:col + 1] in "-" and character == col and word == "")
        if character < col:  # before the key, on the dashes: a new item's first key
            on_key = current[character:col].strip(" -") == ""
            start = end = character
            word = ""
    mapping = _mapping_at(lines, line, col) if parsed is not None else _blank_mapping(lines, line, col)
    kind, module, _ = _kind(lines, mapping, file_kind)
    keys = tuple(k for k in mapping.keys if k != word or not on_key)
    return Place(kind, module, keys, word, start, end, on_key)


def _blank_mapping(lines: list[str], row: int, col: int) -> _Mapping:
    """The mapping a key typed at column ``col`` of blank line ``row`` would join."""
    probe = list(lines)
    probe[row] = " " * col + "x:"
    found = _mapping_at(probe, row, col)
    return _Mapping(found.first, col, found.dash, tuple(k for k in found.keys if k != "x"), found.parent)


# -- what a keyword, a module and an option are -------------------------------------------------------


def _contexts(keyword_contexts: Context) -> str:
    return ", ".join(word for context, word in _CONTEXT_WORDS if context & keyword_contexts)


def keyword_text(name: str, mapping: str = "") -> str | None:
    """Markdown about a keyword: its type and the contexts that take it (and whether this one does)."""
    keyword = KEYWORDS.get(name)
    if keyword is None:
        return None
    text = f"**{name}**: keyword of {_contexts(keyword.contexts)}\n\ntype: {keyword.type.value}"
    context = CONTEXTS.get(mapping)
    if context is not None and not keyword.contexts & context:
        text += f"\n\nnot a keyword of a {mapping}"
    return text


def _option_facts(entry: dict[str, Any]) -> list[str]:
    wanted = str(entry.get("type", "str"))
    if entry.get("elements"):
        wanted += f" of {entry['elements']}"
    facts = [f"type: {wanted}"]
    if entry.get("required"):
        facts.append("required")
    if "choices" in entry:
        facts.append("choices: " + ", ".join(f"`{c}`" for c in entry["choices"]))
    if entry.get("default") is not None:
        facts.append(f"default: `{entry['default']!r}`")
    if entry.get("aliases"):
        facts.append("aliases: " + ", ".join(f"`{a}`" for a in entry["aliases"]))
    if "removed_in_version" in entry or "removed_at_date" in entry:
        facts.append("deprecated")
    return facts


def _spec_of(module: str) -> tuple[str, Any, str | None]:
    """(the name the module resolves to, its ModuleSpec or None, why there is none)."""
    from shep.module_specs import builtin_name, builtin_spec, unchecked_reason
    from shep.resolve import resolve

    resolution = resolve(module, module, ())
    name = resolution.name or module
    short = builtin_name(name)
    spec = builtin_spec(short) if short is not None else None
    if spec is not None:
        return name, spec, None
    if short is None:
        return _installed_spec(name)
    reason = unchecked_reason(short)
    return name, None, (f"its options are not checked statically ({reason})" if reason
                        else f"ansible-core has no builtin module or action {short!r} ({resolution.kind})")


def _installed_spec(name: str) -> tuple[str, Any, str | None]:
    """A collection's module, as the installed collections document it (shep.installed)."""
    from shep import installed
    from shep.cache import default_dir
    from shep.installed.index import Index

    found, _ = Index(default_dir()).lookup(name)
    if found.status == installed.FOUND:
        return found.name, found.spec, None
    if found.status == installed.MISSING_COLLECTION:
        return name, None, f"a module of the collection {found.collection}, which is not installed"
    return name, None, found.message or f"not a documented module of the installed collection {found.collection}"


def module_text(module: str) -> str:
    """Markdown about a module: the name it resolves to and its options."""
    name, spec, why_not = _spec_of(module)
    if spec is None:
        return f"**{name}**: module\n\n{why_not}"
    lines = [f"**{name}**: module, options:", ""]
    for option in sorted(spec.options):
        entry = spec.options[option]
        lines.append(f"- `{option}`: " + "; ".join(_option_facts(entry)))
    return "\n".join(lines)


def _find_option(options: dict[str, dict[str, Any]], name: str) -> tuple[str, dict[str, Any]] | None:
    if name in options:
        return name, options[name]
    return next(((option, entry) for option, entry in options.items() if name in entry.get("aliases", ())), None)


def option_text(module: str, option: str) -> str | None:
    """Markdown about one option of a module (or one of its aliases)."""
    name, spec, _ = _spec_of(module)
    found = _find_option(spec.options, option) if spec is not None else None
    if found is None:
        return None
    canonical, entry = found
    head = f"**{option}**: option of `{name}`" + (f", alias of `{canonical}`" if canonical != option else "")
    return head + "\n\n" + "\n".join(f"- {fact}" for fact in _option_facts(entry))


def hover(text: str, line: int, character: int, file_kind: FileKind) -> tuple[str, int, int] | None:
    """Markdown for the key under the cursor and its columns on the line, or None."""
    place = place_at(text, line, character, file_kind)
    if not place.on_key or not place.word:
        return None
    found: str | None = None
    if place.mapping == OPTIONS and place.module:
        found = option_text(place.module, place.word)
    elif place.mapping in CONTEXTS:
        found = keyword_text(place.word, place.mapping)
        if found is None and place.mapping in (TASK, HANDLER):
            found = module_text(place.word)
    return (found, place.start, place.end) if found else None


# -- completion ---------------------------------------------------------------------------------------


@record
class Item:
    label: str
    kind: str  # "keyword", "module" or "option"
    detail: str
    documentation: str


def completions(text: str, line: int, character: int, file_kind: FileKind) -> tuple[list[Item], Place]:
    """The keys that may be written at the cursor: the keywords of its context not written yet (and
    the builtin modules, in a task with none), or the options of the task's module."""
    place = place_at(text, line, character, file_kind)
    if not place.on_key:
        return [], place
    present = set(place.keys)
    items: list[Item] = []
    if place.mapping == OPTIONS and place.module:
        name, spec, _ = _spec_of(place.module)
        if spec is not None:
            taken = {found[0] for key in present if (found := _find_option(spec.options, key)) is not None}
            items = [Item(option, "option", "; ".join(_option_facts(entry)), option_text(place.module, option) or "")
                     for option, entry in sorted(spec.options.items())
                     if option not in taken and not option.startswith("_")]
        return items, place
    context = CONTEXTS.get(place.mapping)
    if context is None:
        return [], place
    for name in sorted(keywords_for(context) - present):
        keyword = KEYWORDS[name]
        items.append(Item(name, "keyword", f"{keyword.type.value}: keyword of {_contexts(keyword.contexts)}",
                          keyword_text(name) or ""))
    if place.mapping in (TASK, HANDLER) and place.module is None:
        items += [Item(f"ansible.builtin.{name}", "module", "module", "") for name in task_modules()]
    elif place.mapping == PLAY and not present:
        items.append(Item("ansible.builtin.import_playbook", "module", "module", ""))
    return items, place


def task_modules() -> list[str]:
    """The modules ansible-core ships that a task may name (not its internal async_wrapper, nor
    import_playbook, which is a play's)."""
    from shep._builtin.ansible_core_2_19 import MODULES

    return sorted(MODULES - {"async_wrapper", "import_playbook"})


def describe(item: Item) -> str:
    """An item's documentation, computed when the client asks for it (completionItem/resolve)."""
    return item.documentation or (module_text(item.label) if item.kind == "module" else "")


# -- quick fixes --------------------------------------------------------------------------------------

_DID_YOU_MEAN = re.compile(r"did you mean ((?:'[^']+'(?:, )?)+)")
_TOKEN = re.compile(r"[A-Za-z_][\w.\-]*")


def suggestions(hint: str | None) -> list[str]:
    """The names a did-you-mean hint suggests, in its order."""
    match = _DID_YOU_MEAN.search(hint or "")
    return re.findall(r"'([^']+)'", match.group(1)) if match else []


def fix_span(line_text: str, suggestion: str) -> tuple[int, int] | None:
    """The columns of the word on the line that the suggestion replaces: the most similar one (a
    diagnostic's span is often the key of what is misspelt, its value the misspelling)."""
    best: tuple[float, int, int] | None = None
    for token in _TOKEN.finditer(line_text):
        if token.group() == suggestion:
            continue
        ratio = difflib.SequenceMatcher(None, token.group(), suggestion).ratio()
        if ratio >= 0.6 and (best is None or ratio > best[0]):
            best = (ratio, token.start(), token.end())
    return None if best is None else (best[1], best[2])
