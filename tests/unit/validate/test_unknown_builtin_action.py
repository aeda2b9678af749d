"""V019 (unresolved-builtin-action) against shep's table of ansible-core's builtin names.

The oracle test (ansible-core itself deciding each name) is tests/differential/test_builtin_actions.py.
"""

from __future__ import annotations

import string
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from shep._builtin import ansible_core_2_19 as names
from shep._builtin import ansible_core_2_19_redirects as redirects
from shep.api import parse
from shep.validate import validate_model
from shep.validate.checks import _builtin_actions
from tests.conftest import load_script

SHIPPED = sorted(names.MODULES | names.ACTION_PLUGINS)
ROUTED = sorted(set(redirects.MODULE_REDIRECTS) | set(redirects.ACTION_REDIRECTS))
TOMBSTONED = sorted((set(names.MODULE_TOMBSTONES) | set(names.ACTION_TOMBSTONES)) - {"include"})
KNOWN = set(SHIPPED) | set(ROUTED) | set(TOMBSTONED) | {"include"}


def codes(text: str) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in validate_model(parse(text, "tasks"))]


def v019(text: str) -> list[str]:
    return [message for code, message in codes(text) if code == "V019"]


@given(st.sampled_from(SHIPPED + ROUTED))
def test_shipped_and_redirected_names_pass(name: str) -> None:
    assert v019(f"- ansible.builtin.{name}: {{}}\n") == []
    assert v019(f"- action: ansible.builtin.{name}\n") == []


@given(st.text(string.ascii_lowercase + "_", min_size=1, max_size=12).filter(lambda n: n not in KNOWN))
def test_any_other_name_fails_with_ansible_cores_message(name: str) -> None:
    action = f"ansible.builtin.{name}"
    assert v019(f"- {action}: {{}}\n") == [
        f"couldn't resolve module/action '{action}'. This often indicates a misspelling, missing collection, "
        "or incorrect module path."]
    assert v019(f"- local_action: {action}\n") == [f"Cannot resolve '{action}' to an action or module."]
    assert v019(f"- {name}: {{}}\n") == [] and v019(f"- ansible.legacy.{name}: {{}}\n") == []


@given(st.sampled_from(SHIPPED), st.data())
def test_one_typo_away_suggests_the_name(name: str, data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(name)))
    typo = name[:at] + data.draw(st.sampled_from("xqz")) + name[at:]
    if typo in KNOWN:
        return
    [diagnostic] = [d for d in validate_model(parse(f"- ansible.builtin.{typo}:\n", "tasks")) if d.code == "V019"]
    assert diagnostic.hint is not None and f"'ansible.builtin.{name}'" in diagnostic.hint


def test_did_you_mean() -> None:
    [diagnostic] = validate_model(parse("- ansible.builtin.copyy: {src: a}\n", "tasks"))
    assert diagnostic.hint == "did you mean 'ansible.builtin.copy'? (ansible-core fails when it loads the task)"
    [routed] = validate_model(parse("- ansible.builtin.win_pnig:\n", "tasks"))
    assert routed.hint is not None and routed.hint.startswith("did you mean 'ansible.windows.win_ping'")


def test_tombstones_fail_with_the_removal_message() -> None:
    assert v019("- ansible.builtin.bigip_facts:\n") == [
        "The 'ansible.builtin.bigip_facts' module has been removed. bigip_facts has been removed please use "
        "bigip_device_info module. This feature was removed from ansible-core in a release after 2019-11-06."]
    for name in TOMBSTONED:
        [message] = v019(f"- ansible.builtin.{name}:\n")
        assert message.startswith(f"The 'ansible.builtin.{name}' module has been removed.")


def test_include_is_v007_alone() -> None:
    for text in ("- ansible.builtin.include: a.yml\n", "- action: ansible.builtin.include a.yml\n"):
        assert [code for code, _ in codes(text)] == ["V007"]


def test_removed_message_by_version() -> None:
    assert _builtin_actions._removed_message("x", "action plugin", ("2.99", None, "Use y")) == (
        "The 'ansible.builtin.x' action plugin has been removed. Use y. This feature was removed from "
        "ansible-core version 2.99.")


def test_templated_names_are_never_reported() -> None:
    assert v019("- action: 'ansible.builtin.{{ m }}'\n- ansible.builtin.{{ m }}: {}\n") == []


def test_unresolved_builtin_action_is_not_also_raw_params() -> None:
    assert [code for code, _ in codes("- ansible.builtin.action: echo hi\n")] == ["V019"]
    assert [code for code, _ in codes("- ansible.builtin.debug: msg=a b\n")] == ["V004"]


def test_committed_tables_are_the_generators_rendering_of_their_facts() -> None:
    """What ``scripts/gen_builtin.py --check`` verifies without ansible-core: no hand edit."""
    gen = load_script("gen_builtin")
    for path, text in gen.expected(None).items():
        assert path.read_text(encoding="utf-8") == text, path


def _modules_loaded_validating(tmp_path: Path, text: str) -> set[str]:
    (tmp_path / "tasks.yml").write_text(text, encoding="utf-8")
    script = ("import sys\nfrom shep.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
              "print(' '.join(sorted(sys.modules)), file=sys.stderr)")
    run = subprocess.run([sys.executable, "-c", script, "task", "validate", "--no-cache", "-f", "tasks.yml"],
                         capture_output=True, text=True, cwd=tmp_path, check=True)
    return set(run.stderr.split())


def test_tables_load_only_when_needed(tmp_path: Path) -> None:
    """The small table loads for a file with an action (the model resolves every action: shep.resolve),
    the redirects (~1 ms) only for a name not shipped."""
    small, large = "shep._builtin.ansible_core_2_19", "shep._builtin.ansible_core_2_19_redirects"
    loaded = _modules_loaded_validating(tmp_path, "- block: []\n")
    assert "shep.validate.checks" in loaded and small not in loaded
    loaded = _modules_loaded_validating(tmp_path, "- copy: {src: a, dest: b}\n")
    assert small in loaded and large not in loaded
    loaded = _modules_loaded_validating(tmp_path, "- ansible.builtin.copy: {src: a, dest: b}\n")
    assert small in loaded and large not in loaded
    loaded = _modules_loaded_validating(tmp_path, "- ansible.builtin.yum: {name: git}\n")
    assert large in loaded


def _playbook_v019(text: str) -> list[tuple[int, str]]:
    found = validate_model(parse(text, "playbook"))
    return [(d.span.line, d.message) for d in found if d.code == "V019"]


def test_module_defaults_names_resolve_like_a_task_key() -> None:
    """Base._resolve_action: every ansible.builtin key of module_defaults, at any level, must resolve."""
    text = ("- hosts: all\n"                                         # 1
            "  module_defaults: {ansible.builtin.copyy: {}}\n"       # 2
            "  roles:\n"                                             # 3
            "    - role: web\n"                                      # 4
            "      module_defaults: [{ansible.builtin.nope: {}}]\n"  # 5
            "  tasks:\n"                                             # 6
            "    - block: [debug: {}]\n"                             # 7
            "      module_defaults:\n"                               # 8
            "        - ansible.builtin.bigip_facts: {}\n"            # 9
            "    - debug: {}\n"                                      # 10
            "      module_defaults: {'ansible.builtin.{{ x }}': {}}\n")
    found = _playbook_v019(text)
    assert [line for line, _ in found] == [2, 3, 8, 11]
    assert found[0][1] == "Could not resolve action ansible.builtin.copyy in module_defaults"
    assert found[1][1] == "Could not resolve action ansible.builtin.nope in module_defaults"
    assert found[2][1].startswith("The 'ansible.builtin.bigip_facts' module has been removed.")
    assert found[3][1] == "Could not resolve action ansible.builtin.{{ x }} in module_defaults"


@given(st.sampled_from(SHIPPED + ROUTED + ["copyy", "ansible.legacy.nope", "group/aws", "community.general.x"]))
def test_module_defaults_names_that_may_resolve_pass(name: str) -> None:
    text = f"- hosts: all\n  module_defaults: {{'{name}': {{a: 1}}}}\n  tasks: []\n"
    assert _playbook_v019(text) == []
