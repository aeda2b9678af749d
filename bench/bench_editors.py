"""The editor path (issue 18): what one open or save costs through the Ansible language server's drop-in,
what `shep lsp` takes to re-validate a 500-line file after an edit, and the memory it holds for a
workspace of 1,000 files. Medians of wall time; nothing here asserts a time.

Run alone: python bench/bench_editors.py [--runs N] (make bench runs it too).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
WORKSPACE = REPO / "fixtures" / "editors" / "workspace"
for entry in (str(REPO / "src"), str(REPO), str(REPO / "bench")):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from _timing import median_time  # noqa: E402  (bench/ is not a package)

TASKS = [
    "- name: Directory {n}\n  ansible.builtin.file:\n    path: /srv/app{n}\n    state: directory\n    mode: \"0755\"\n",
    "- name: Configuration {n}\n  ansible.builtin.template:\n    src: app.conf.j2\n    dest: /etc/app{n}.conf\n"
    "    owner: root\n  notify: Restart app\n",
    "- name: Package {n}\n  ansible.builtin.apt:\n    name: pkg{n}\n    state: present\n  when: ansible_os_family == 'Debian'\n",
    "- name: Line {n}\n  ansible.builtin.lineinfile:\n    path: /etc/hosts\n    line: \"10.0.0.{n} host{n}\"\n",
    "- name: Command {n}\n  ansible.builtin.command: /usr/bin/true {n}\n  changed_when: false\n  register: out{n}\n",
    "- name: Loop {n}\n  ansible.builtin.user:\n    name: \"{{{{ item }}}}\"\n    shell: /bin/bash\n"
    "  loop: [a{n}, b{n}]\n",
]


def task_file(lines: int) -> str:
    """A task file of about ``lines`` lines, with builtin modules, options, keywords and templates."""
    parts, count, n = ["---\n"], 1, 0
    while count < lines:
        chunk = TASKS[n % len(TASKS)].format(n=n)
        parts.append(chunk)
        count += chunk.count("\n")
        n += 1
    return "".join(parts)


def shep_script() -> list[str]:
    script = Path(sys.executable).parent / "shep"
    return [str(script)] if script.exists() else [sys.executable, "-m", "shep"]


def drop_in(runs: int) -> list[tuple[str, float | None, str]]:
    """One `shep … -f codeclimate FILE` process, as the language server runs it on each open and save."""
    target = WORKSPACE / "site.yml"
    command = [*shep_script(), "--offline", "--nocolor", "-f", "codeclimate", str(target)]
    base = {**os.environ, "PYTHONPATH": str(REPO / "src")}

    def cold() -> None:  # a file whose content changed since the last run: nothing to replay
        cache = tempfile.mkdtemp(prefix="shep-bench-dropin-")
        try:
            subprocess.run(command, stdout=subprocess.DEVNULL, cwd=WORKSPACE, env={**base, "SHEP_CACHE_DIR": cache},
                           check=False)
        finally:
            shutil.rmtree(cache, ignore_errors=True)

    kept = tempfile.mkdtemp(prefix="shep-bench-dropin-kept-")
    warm_env = {**base, "SHEP_CACHE_DIR": kept}
    subprocess.run(command, stdout=subprocess.DEVNULL, cwd=WORKSPACE, env=warm_env, check=False)
    rows: list[tuple[str, float | None, str]] = [
        ("drop-in: one `shep --offline --nocolor -f codeclimate FILE` process, file changed (cold)",
         median_time(cold, runs), "≤ 0.150"),
        ("drop-in: the same process, file unchanged since the last run (replayed)", median_time(
            lambda: subprocess.run(command, stdout=subprocess.DEVNULL, cwd=WORKSPACE, env=warm_env, check=False),
            runs), "≤ 0.150"),
    ]
    shutil.rmtree(kept, ignore_errors=True)
    return rows


def through_the_language_server(runs: int) -> tuple[str, float | None, str]:
    """didOpen → publishDiagnostics in the real Ansible language server with lint.path = shep."""
    label = ("drop-in through `@ansible/ansible-language-server` 1.2.3: didOpen of a changed file → "
             "publishDiagnostics")
    from tests.conformance import toolchain
    from tests.editors.conftest import HERE, SERVER_JS, lint_settings
    from tests.editors.lsp_client import LspClient

    try:
        command = [toolchain.tool("node"), str(toolchain.node_modules(HERE, "editors-npm") / SERVER_JS), "--stdio"]
    except (toolchain.ToolMissing, RuntimeError) as missing:
        return f"{label} (not measured: {missing})", None, "≤ 0.150 + the server's own"
    root = Path(tempfile.mkdtemp(prefix="shep-bench-als-"))
    shutil.copytree(WORKSPACE, root, dirs_exist_ok=True)
    client = LspClient(command, cwd=root, settings=lint_settings(shep_script()[0]),
                       env={**os.environ, "SHEP_CACHE_DIR": str(root / ".cache")})
    times = []
    target = root / "site.yml"
    original = target.read_text(encoding="utf-8")
    try:
        client.initialize(root)
        for version in range(runs + 1):
            target.write_text(f"{original}# edit {version}\n", encoding="utf-8")  # changed: nothing to replay
            mark = client.mark()
            started = time.perf_counter()
            uri = client.open(target, version=version + 1)
            arrived, diagnostics = client.diagnostics(uri, after=mark)
            times.append(arrived - started)
            if not any(d["source"] == "ansible-lint" for d in diagnostics):
                raise RuntimeError(f"the server showed no diagnostic of shep: {diagnostics}")
            mark = client.mark()
            client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
            client.diagnostics(uri, after=mark)  # the server clears a closed file's diagnostics
    finally:
        client.close()
        shutil.rmtree(root, ignore_errors=True)
    times = sorted(times[1:])  # the first open also starts the server's own services
    return label, times[len(times) // 2], "≤ 0.150 + the server's own"


def lsp_revalidation(runs: int) -> tuple[str, float | None, str]:
    """`shep lsp` in process: an edit applied to a 500-line document, then its diagnostics computed."""
    from lsprotocol import types as lsp
    from pygls.workspace import TextDocument

    from shep.lsp.server import ShepLanguageServer

    server = ShepLanguageServer()
    text = task_file(500)
    document = TextDocument("file:///bench/roles/app/tasks/main.yml", text, version=1)
    middle = text.count("\n") // 2
    server.diagnostics_of(document)  # what didOpen did: imports and specs loaded
    edits = ["directroy", "directory"]

    def edit_and_validate() -> None:
        line = next(i for i in range(middle, len(document.lines)) if "state: " in document.lines[i])
        start = document.lines[line].index("state: ") + len("state: ")
        old = document.lines[line][start:].rstrip("\n")
        new = edits[0] if old != edits[0] else edits[1]
        document.apply_change(lsp.TextDocumentContentChangePartial(
            range=lsp.Range(start=lsp.Position(line=line, character=start),
                            end=lsp.Position(line=line, character=start + len(old))), text=new))
        server.diagnostics_of(document)

    lines = document.source.count("\n")
    return (f"`shep lsp` re-validation of a {lines}-line task file after an edit (in process)",
            median_time(edit_and_validate, max(runs, 20)), "≤ 0.030")


def workspace_files(count: int) -> list[tuple[str, str]]:
    """(path, text) of ``count`` Ansible files: the shared corpus's, else the editor fixtures', repeated
    under numbered copies of their directories (their paths tell their kinds)."""
    base, sources = WORKSPACE, sorted(WORKSPACE.rglob("*.yml"))
    manifest = CORPUS / "manifest.jsonl"
    if manifest.is_file():
        import json

        base, sources = CORPUS, [CORPUS / e["repo"] / e["path"] for e in map(json.loads, manifest.open())]
    texts = [(str(p.relative_to(base)), p.read_text(encoding="utf-8", errors="replace")) for p in sources]
    chosen = []
    for index in range(count):
        relative, text = texts[index % len(texts)]
        chosen.append((f"/bench-workspace/{index // len(texts)}/{relative}", text))
    return chosen


def lsp_memory(count: int = 1000) -> tuple[str, float | None, str]:
    """Peak resident memory of a `shep lsp` process that has opened ``count`` documents and validated each."""
    from tests.editors.lsp_client import LspClient, file_uri

    root = Path(tempfile.mkdtemp(prefix="shep-bench-lsp-"))
    client = LspClient([*shep_script(), "lsp"], cwd=root)
    try:
        client.initialize(root)
        files = workspace_files(count)
        mark = client.mark()
        for path, text in files:
            client.notify("textDocument/didOpen", {"textDocument": {
                "uri": file_uri(path), "languageId": "ansible", "version": 1, "text": text}})
        last = file_uri(files[-1][0])
        client.diagnostics(last, after=mark, timeout=600)
        status = Path(f"/proc/{client.process.pid}/status").read_text()
        peak = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
        megabytes = sum(len(text.encode()) for _, text in files) / 1e6
    finally:
        client.close()
        shutil.rmtree(root, ignore_errors=True)
    return (f"`shep lsp` peak resident memory, {count} documents open ({megabytes:.1f} MB of YAML), MB",
            peak / 1024, "≤ 150")


def bench_editors(runs: int) -> list[str]:
    rows = [*drop_in(runs), through_the_language_server(runs), lsp_revalidation(runs), lsp_memory()]
    table = ["| what | median s (or MB) | target |", "|---|---:|---:|"]
    for label, value, target in rows:
        table.append(f"| {label} | {'—' if value is None else f'{value:.3f}'} | {target} |")
    return table


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    print("\n".join(bench_editors(parser.parse_args().runs)))
