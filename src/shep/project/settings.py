"""The settings of ansible-core that decide where roles, collections and modules are found:
``roles_path``, ``collections_path`` and ``library`` from the environment or ``ansible.cfg``, and
the working directory.

ansible-core reads ``$ANSIBLE_CONFIG``, then ``./ansible.cfg``, ``~/.ansible.cfg`` and
``/etc/ansible/ansible.cfg`` (config.manager.find_ini_config_file): the first that exists. shep
does not know the directory ansible-playbook will run in; it takes the nearest directory, from
the playbook's up to the repository's root, that holds an ``ansible.cfg`` (else the playbook's
own directory) as that working directory.
"""

from __future__ import annotations

import os

from shep.project.fs import Disk, dirname, join
from shep.project.search import unfrack, unquote

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import NamedTuple
else:
    from shep._records import NamedTuple

_DEFAULT_ROLES = ("{home}/roles", "/usr/share/ansible/roles", "/etc/ansible/roles")
_DEFAULT_COLLECTIONS = ("{home}/collections", "/usr/share/ansible/collections")
_DEFAULT_LIBRARY = ("{home}/plugins/modules", "/usr/share/ansible/plugins/modules")  # DEFAULT_MODULE_PATH
_DEFAULT_ACTIONS = ("{home}/plugins/action", "/usr/share/ansible/plugins/action")  # DEFAULT_ACTION_PLUGIN_PATH
# The directories that end the search upwards for an ansible.cfg: a repository's root.
_ROOT_MARKERS = (".git", ".hg", ".svn")


class Settings(NamedTuple):
    """Where ansible-playbook would look for roles and collections, run from ``cwd``."""

    cwd: str
    roles_path: tuple[str, ...] = ()
    collections_paths: tuple[str, ...] = ()
    config_file: str = ""  # the ansible.cfg read ("" when none)
    library: tuple[str, ...] = ()  # the configured module paths (DEFAULT_MODULE_PATH)
    action_plugins: tuple[str, ...] = ()  # the configured action plugin paths (DEFAULT_ACTION_PLUGIN_PATH)


def working_directory(playbook_dir: str, disk: Disk, memo: dict[str, str | None] | None = None) -> str:
    """The nearest directory holding an ansible.cfg, from ``playbook_dir`` up to a repository's root
    (or the file system's); ``playbook_dir`` when there is none.

    ``memo`` (one per ``disk``) keeps each directory's answer (None: none up to the root): the
    playbooks of a tree share their parents, and each is asked about once. The paths asked, and
    their order, are the same with it as without."""
    memo = {} if memo is None else memo
    folder = playbook_dir
    passed = []
    while True:
        if folder in memo:
            found = memo[folder]
            break
        if disk.is_file(join(folder, "ansible.cfg")):
            found = folder
            break
        if any(disk.exists(join(folder, marker)) for marker in _ROOT_MARKERS):
            found = None
            break
        parent = dirname(folder)
        if parent == folder:
            found = None
            break
        passed.append(folder)
        folder = parent
    memo[folder] = found
    for below in passed:  # their search went through ``folder``: the same answer
        memo[below] = found
    return playbook_dir if found is None else found


def _config_file(cwd: str, environ: Mapping[str, str], disk: Disk) -> str:
    """config.manager.find_ini_config_file: $ANSIBLE_CONFIG, ./ansible.cfg, ~/.ansible.cfg, /etc/ansible."""
    candidates = []
    if "ANSIBLE_CONFIG" in environ:
        given = unfrack(environ["ANSIBLE_CONFIG"], cwd)
        candidates.append(join(given, "ansible.cfg") if disk.is_dir(given) else given)
    candidates.append(join(cwd, "ansible.cfg"))
    candidates.append(unfrack("~/.ansible.cfg", cwd))
    candidates.append("/etc/ansible/ansible.cfg")
    return next((path for path in candidates if disk.is_file(path)), "")


def _ini_defaults(path: str) -> dict[str, str]:
    """The ``[defaults]`` options of an ansible.cfg ({} when it cannot be read)."""
    import configparser

    from shep.fileio import ReadProblem, read_bytes

    parser = configparser.ConfigParser(inline_comment_prefixes=(";",), interpolation=None)
    try:
        parser.read_string(read_bytes(path, 1 << 20).decode("utf-8"))
    except (ReadProblem, UnicodeDecodeError, configparser.Error):
        return {}
    return dict(parser["defaults"]) if parser.has_section("defaults") else {}


def _pathspec(value: str, base: str) -> tuple[str, ...]:
    """A ``pathspec`` setting: colon-separated, each path made absolute against ``base``."""
    return tuple(unfrack(part, base) for part in value.split(os.pathsep))


def settings_for(playbook_dir: str, disk: Disk, environ: Mapping[str, str] | None = None,
                 memo: dict[str, str | None] | None = None) -> Settings:
    """The settings ansible-playbook would use for a playbook in ``playbook_dir`` (``memo``: as
    ``working_directory``'s)."""
    environ = os.environ if environ is None else environ
    cwd = working_directory(playbook_dir, disk, memo)
    config = _config_file(cwd, environ, disk)
    ini = _ini_defaults(config) if config else {}
    config_dir = dirname(config)
    if "ANSIBLE_HOME" in environ:
        home = unfrack(environ["ANSIBLE_HOME"], cwd)
    elif "home" in ini:
        home = unfrack(unquote(ini["home"]), config_dir)
    else:
        home = unfrack("~/.ansible", cwd)
    if environ.get("ANSIBLE_ROLES_PATH"):
        roles = _pathspec(environ["ANSIBLE_ROLES_PATH"], cwd)
    elif "roles_path" in ini:
        roles = _pathspec(unquote(ini["roles_path"]).replace("{{CWD}}", cwd), config_dir)
    else:
        roles = tuple(path.format(home=home) for path in _DEFAULT_ROLES)
    collections_env = environ.get("ANSIBLE_COLLECTIONS_PATH") or environ.get("ANSIBLE_COLLECTIONS_PATHS")
    if collections_env:
        collections = _pathspec(collections_env, cwd)
    elif "collections_path" in ini or "collections_paths" in ini:
        collections = _pathspec(unquote(ini.get("collections_path") or ini["collections_paths"]), config_dir)
    else:
        collections = tuple(path.format(home=home) for path in _DEFAULT_COLLECTIONS)
    library = _plugin_paths(("ANSIBLE_LIBRARY", "library", _DEFAULT_LIBRARY), environ, ini, (cwd, config_dir, home))
    actions = _plugin_paths(("ANSIBLE_ACTION_PLUGINS", "action_plugins", _DEFAULT_ACTIONS), environ, ini,
                            (cwd, config_dir, home))
    return Settings(cwd=cwd, roles_path=roles, collections_paths=collections, config_file=config, library=library,
                    action_plugins=actions)


def _plugin_paths(setting: tuple[str, str, tuple[str, ...]], environ: Mapping[str, str], ini: dict[str, str],
                  bases: tuple[str, str, str]) -> tuple[str, ...]:
    """A plugin path setting: its environment variable (against the working directory), else its
    ``[defaults]`` key (against the ansible.cfg's directory), else its defaults under the home."""
    variable, key, defaults = setting
    cwd, config_dir, home = bases
    if environ.get(variable):
        return _pathspec(environ[variable], cwd)
    if key in ini:
        return _pathspec(unquote(ini[key]), config_dir)
    return tuple(path.format(home=home) for path in defaults)
