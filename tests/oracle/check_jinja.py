#!/usr/bin/env python
"""shep's Jinja verdicts against ansible-core's own (jinja_oracle.py), on every templated string and
conditional shep reads in some files, and on mutants of them.

TEST TOOL ONLY (needs the ``oracle`` extra).

    python tests/oracle/check_jinja.py PATH...                  # every string shep parses in PATH
    python tests/oracle/check_jinja.py --mutants 3 PATH...      # and 3 mutants of each templated string
    python tests/oracle/check_jinja.py --errors PATH...         # also list each jinja-… error shep reports

The strings are exactly those shep parses (its checks run on each file with shep.jinja's three entry points
recorded: text and mode). Each distinct (text, mode) is compiled by ansible-core (jinja_oracle.verdict) and
compared with shep's verdict:

* ``ok`` (ansible-core compiles it) and ``plugin`` (it fails only for want of a filter or test plugin) must be
  no V034 problem in shep; ``syntax`` must be one, with Jinja's message (ansible-core's message starts with
  shep's) and Jinja's line; ``empty`` must be V037's.

Mutants (``--mutants N``): up to N per templated string, the kinds of mistake people make: a dropped ``}}`` or
``)``, a dropped or doubled quote, an unclosed ``{% if %}``/``{% for %}``, a stray ``| |``. Each mutant is judged
by both the same way.

Mutants in their files (``--in-files N``): up to N strings of each file that are written on one line as they
are (plain or quoted without escapes) are mutated where they are written; the file is validated again: when
ansible-core rejects the mutant, shep must report a ``jinja-…`` error at that line; when it accepts it, none
there. Prints one JSON summary (counts, disagreements, errors) and exits 1 on a disagreement.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from shep import jinja  # noqa: E402
from shep.api import guess_kind, read_document  # noqa: E402
from shep.model.build import build  # noqa: E402
from shep.validate import validate_model  # noqa: E402
from shep.validate.checks import _templates  # noqa: E402
from shep.walk import WalkError, iter_files  # noqa: E402

MODES = {"t": "template", "e": "expression", "c": "conditional"}


def strings_of(paths: list[str]) -> tuple[list[tuple[str, str]], list[dict[str, object]]]:
    """Every (text, mode) shep parses in the files under ``paths``, in order, and its Jinja diagnostics."""
    seen: list[tuple[str, str]] = []
    originals = (jinja.template, jinja.expression, jinja.conditional)

    def recording(mode: str, function):  # type: ignore[no-untyped-def]
        def wrapper(text: str) -> jinja.Verdict:
            seen.append((text, mode))
            return function(text)
        return wrapper

    jinja.template, jinja.expression, jinja.conditional = (
        recording("template", originals[0]), recording("expression", originals[1]),
        recording("conditional", originals[2]))
    # _templates looks a verdict made before up in the cache without a call: every string through the calls
    lookups = (_templates._TEMPLATE_VERDICT, _templates._CONDITIONAL_VERDICT)
    _templates._TEMPLATE_VERDICT = _templates._CONDITIONAL_VERDICT = _not_cached
    reported: list[dict[str, object]] = []
    try:
        for path in iter_files(paths):
            if isinstance(path, WalkError):
                continue
            document = read_document(path)
            kind = guess_kind(document)
            if kind is None:
                continue
            for diagnostic in validate_model(build(document, kind), document=document):
                if diagnostic.name.startswith("jinja-"):
                    reported.append({"path": path, "line": diagnostic.line, "col": diagnostic.col,
                                     "code": diagnostic.code, "severity": str(diagnostic.severity),
                                     "message": diagnostic.message})
    finally:
        jinja.template, jinja.expression, jinja.conditional = originals
        _templates._TEMPLATE_VERDICT, _templates._CONDITIONAL_VERDICT = lookups
    return seen, reported


def _not_cached(_text: str) -> None:
    return None


def shep_verdict(text: str, mode: str) -> jinja.Verdict:
    return {"template": jinja.template, "expression": jinja.expression, "conditional": jinja.conditional}[mode](text)


def oracle_verdict(text: str, mode: str) -> dict[str, object]:
    import jinja_oracle  # ansible-core: imported when a verdict is asked for (strings_of needs only shep)

    return jinja_oracle.verdict(text, mode)  # type: ignore[no-any-return]


def disagreement(text: str, mode: str) -> dict[str, object] | None:
    """None when shep and ansible-core agree on ``text``; else both verdicts."""
    oracle = oracle_verdict(text, mode)
    mine = shep_verdict(text, mode)
    problem = mine.problem
    expected = oracle["verdict"]
    if expected in ("ok", "plugin"):
        agree = problem is None
    elif expected == "empty":
        agree = problem is not None and problem.kind == "empty"
    else:
        message = str(oracle["message"])
        agree = (problem is not None and problem.kind == "syntax" and message.startswith(problem.message)
                 and (oracle["line"] is None or oracle["line"] == problem.line))
    if agree:
        return None
    return {"text": text, "mode": mode, "oracle": oracle,
            "shep": None if problem is None else {"message": problem.message, "line": problem.line}}


# -- mutants -------------------------------------------------------------------------------------------

def mutants(text: str, rng: random.Random, limit: int) -> list[str]:
    """Up to ``limit`` mistaken versions of ``text``."""
    found = []
    for token in ("}}", ")", "]", "%}"):
        for match in list(re.finditer(re.escape(token), text))[:2]:
            found.append(text[:match.start()] + text[match.end():])  # dropped
    for quote in "'\"":
        positions = [m.start() for m in re.finditer(quote, text)]
        if positions:
            at = rng.choice(positions)
            found.append(text[:at] + text[at + 1:])  # an unbalanced quote
            found.append(text[:at] + quote + text[at:])
    if "|" in text:
        at = text.index("|")
        found.append(text[:at] + "| |" + text[at + 1:])  # a stray | |
    for closer in ("{% endif %}", "{% endfor %}", "{%- endif %}", "{%- endfor %}", "{% endif -%}", "{% endfor -%}"):
        if closer in text:
            found.append(text.replace(closer, "", 1))  # an unclosed {% if %} / {% for %}
    if "{{" in text:
        at = text.index("{{")
        found.append(text[:at] + "{% if x %}" + text[at:])
        found.append(text[:at] + "{% for i in x %}" + text[at:])
    rng.shuffle(found)
    return [m for m in dict.fromkeys(found) if m != text][:limit]


def jinja_lines(text: str, path: str) -> dict[int, set[str]]:
    """Line -> the codes of the V034 (jinja-syntax) and V037 (jinja-empty-conditional) diagnostics shep
    reports for a file's text, with their severity ("V034 error", "V034 warning" where the place is
    templated only when used)."""
    from shep.loader import load_text

    document = load_text(text, path)
    kind = guess_kind(document)
    if kind is None or not document.loadable:
        return {}
    found: dict[int, set[str]] = {}
    for diagnostic in validate_model(build(document, kind), document=document):
        if diagnostic.code in ("V034", "V037"):
            found.setdefault(diagnostic.line, set()).add(f"{diagnostic.code} {diagnostic.severity}")
    return found


def in_files(paths: list[str], per_file: int, seed: int) -> dict[str, object]:
    """Mutants written where their string is, each file validated again (see the module's docstring)."""
    tried = caught = 0
    wrong: list[dict[str, object]] = []
    for path in iter_files(paths):
        if isinstance(path, WalkError):
            continue
        strings, _reported = strings_of([path])
        try:
            source = Path(path).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        lines = source.split("\n")
        before = jinja_lines(source, path)
        candidates = []
        rng = random.Random(f"{seed}:{path}")  # per file, its strings in file order: the same mutants each run
        for text, mode in dict.fromkeys(strings):
            if "\n" in text or mode == "expression" or not jinja.is_template(text) and mode == "template":
                continue
            holders = [n for n, line in enumerate(lines) if text in line]
            if len(holders) == 1 and lines[holders[0]].count(text) == 1:
                candidates.append((text, mode, holders[0]))
        candidates.sort(key=lambda candidate: (candidate[2], candidate[0], candidate[1]))
        rng.shuffle(candidates)
        for text, mode, index in candidates[:per_file]:
            for mutant in mutants(text, rng, 1):
                changed = lines[:index] + [lines[index].replace(text, mutant)] + lines[index + 1:]
                mutated = "\n".join(changed)
                if (mutant, mode) not in strings_of_text(mutated, path):
                    continue  # the mutant broke the YAML around it, or moved out of a templated place
                tried += 1
                rejected = oracle_verdict(mutant, mode)["verdict"] in ("syntax", "empty")
                line = index + 1
                after = jinja_lines(mutated, path).get(line, set())
                if rejected and after:
                    caught += 1  # an error, or a warning where the place is templated only when used
                elif rejected or after != before.get(line, set()):
                    wrong.append({"path": path, "line": line, "text": text, "mutant": mutant, "mode": mode,
                                  "ansible_core_rejects": rejected, "shep_before": sorted(before.get(line, ())),
                                  "shep_after": sorted(after)})
    return {"tried": tried, "caught_at_their_line": caught, "disagreements": wrong}


def strings_of_text(text: str, path: str) -> set[tuple[str, str]]:
    """The (text, mode) shep parses in a file's text."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / Path(path).name
        copy.write_text(text, encoding="utf-8")
        return set(strings_of([str(copy)])[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--mutants", type=int, default=0, help="mutants per templated string")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--errors", action="store_true", help="list every jinja-… diagnostic shep reports")
    parser.add_argument("--in-files", type=int, default=0, help="mutants written in their files, per file")
    args = parser.parse_args(argv)
    seen, reported = strings_of(args.paths)
    distinct = list(dict.fromkeys(seen))
    wrong = [d for d in (disagreement(text, mode) for text, mode in distinct) if d]
    summary: dict[str, object] = {
        "strings": len(seen), "distinct": len(distinct),
        "oracle_failures": sum(1 for text, mode in distinct
                               if oracle_verdict(text, mode)["verdict"] in ("syntax", "empty")),
        "disagreements": wrong,
    }
    if args.mutants:
        # One generator per string, seeded by it: the same mutants whatever order shep met the strings in
        # (it reads a task's keywords in set order, which the hash seed decides).
        tried = list(dict.fromkeys((m, mode) for text, mode in distinct
                                   for m in mutants(text, random.Random(f"{args.seed}:{mode}:{text}"), args.mutants)))
        mutant_wrong = [d for d in (disagreement(text, mode) for text, mode in tried) if d]
        rejected = sum(1 for text, mode in tried if oracle_verdict(text, mode)["verdict"] != "ok")
        summary["mutants"] = {"tried": len(tried), "rejected_by_ansible_core": rejected,
                              "disagreements": mutant_wrong}
    if args.in_files:
        summary["in_files"] = in_files(args.paths, args.in_files, args.seed)
    if args.errors:
        summary["reported"] = reported
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    failed = bool(wrong) or bool(args.mutants and summary["mutants"]["disagreements"])  # type: ignore[index]
    failed = failed or bool(args.in_files and summary["in_files"]["disagreements"])  # type: ignore[index]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
