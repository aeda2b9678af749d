"""Where ansible-core 2.19 looks for installed collections: the collection roots, each holding
``ansible_collections/<namespace>/<collection>/``, in the order it searches them.

The rules are ansible-core's (``ansible/config/manager.py``, ``ansible/config/base.yml``,
``ansible/utils/collection_loader/_collection_finder.py``, ``ansible/cli/playbook.py``):

* The configuration file (``find_ini_config_file``): ``$ANSIBLE_CONFIG`` (a directory means its
  ``ansible.cfg``), ``ansible.cfg`` in the working directory unless that directory is world-writable,
  ``~/.ansible.cfg``, ``/etc/ansible/ansible.cfg``: the first that exists and is readable. Only INI
  files (``.cfg``, ``.ini``) are read, as ``configparser`` reads them with ``;`` inline comments, raw
  (no interpolation), keys in ``[defaults]`` (and ``[DEFAULT]`` when there is a ``[defaults]``).
* ``COLLECTIONS_PATHS``: ``$ANSIBLE_COLLECTIONS_PATH`` if set (even empty), else ``collections_path``
  of the file's ``[defaults]``, else ``{ANSIBLE_HOME}/collections:/usr/share/ansible/collections``
  (``ANSIBLE_HOME``: ``$ANSIBLE_HOME``, else ``home`` of ``[defaults]``, else ``~/.ansible``). ansible-core
  2.19 no longer reads the plural ``ANSIBLE_COLLECTIONS_PATHS`` or ``collections_paths``. Each
  ``:``-separated path has ``{{CWD}}``, ``$VARS`` and ``~`` expanded; a relative one is taken from the
  configuration file's directory when the file gave it, else from the working directory.
* ``COLLECTIONS_SCAN_SYS_PATH`` (``$ANSIBLE_COLLECTIONS_SCAN_SYS_PATH``, else
  ``collections_scan_sys_path``, else true; a non-strict boolean): the entries of ``sys.path`` are
  searched after the configured paths. shep's own ``sys.path`` stands for the one ansible-core runs
  with (the ``ansible_collections`` of site-packages), less its first entry: that is where the
  program was started from (shep's script directory, or the working directory under ``python -m``),
  never an install location.
* ``_AnsibleCollectionFinder``: a path ending in ``ansible_collections`` stands for its parent; only
  paths holding an ``ansible_collections`` directory count, each once, in order.
* Playbook-adjacent collections (``AnsibleCollectionConfig.playbook_paths``): ``collections/`` beside
  the playbook comes before all the others. A task or handler file runs from whichever playbook
  includes it, which shep does not know: the nearest directory at or above the file that holds
  ``collections/ansible_collections`` stands for the playbook's.
"""

from __future__ import annotations

import os
import stat
import sys

PACKAGE = "ansible_collections"
ADJACENT = "collections"
CONFIG_ENV = "ANSIBLE_CONFIG"
PATH_ENV = "ANSIBLE_COLLECTIONS_PATH"
SCAN_ENV = "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH"
HOME_ENV = "ANSIBLE_HOME"
PATH_KEY, SCAN_KEY, HOME_KEY = "collections_path", "collections_scan_sys_path", "home"
DEFAULT_HOME = "~/.ansible"
SYSTEM_CONFIG = "/etc/ansible/ansible.cfg"
SYSTEM_ROOT = "/usr/share/ansible/collections"
_TRUE = frozenset({"y", "yes", "on", "1", "true", "t", "1.0"})  # ansible's BOOLEANS_TRUE, as text


def config_file() -> str | None:
    """The ``ansible.cfg`` ansible-core reads (``find_ini_config_file``), or None."""
    candidates = []
    from_env = os.environ.get(CONFIG_ENV)
    if from_env is not None:
        path = unfrack(from_env)
        candidates.append(os.path.join(path, "ansible.cfg") if os.path.isdir(path) else path)
    try:
        cwd = os.getcwd()
        if not os.stat(cwd).st_mode & stat.S_IWOTH:  # a world-writable working directory is skipped
            candidates.append(os.path.join(cwd, "ansible.cfg"))
    except OSError:
        pass
    candidates += [unfrack("~/.ansible.cfg"), SYSTEM_CONFIG]
    for path in candidates:
        if os.path.exists(path) and os.access(path, os.R_OK):
            return path
    return None


def unfrack(path: str, basedir: str | None = None) -> str:
    """ansible's ``resolve_path``/``unfrackpath(follow=False)``: ``{{CWD}}``, ``$VARS`` and ``~`` expanded,
    relative to ``basedir`` (a file: its directory; None: the working directory), normalised."""
    if "{{CWD}}" in path:
        path = path.replace("{{CWD}}", os.getcwd())
    if basedir is None:
        basedir = os.getcwd()
    elif os.path.isfile(basedir):
        basedir = os.path.dirname(basedir)
    final = os.path.expanduser(os.path.expandvars(path))
    if not os.path.isabs(final):
        final = os.path.join(basedir, final)
    return os.path.normpath(final)


def read_settings(path: str | None) -> dict[str, str]:
    """The settings shep needs from an ``ansible.cfg``'s ``[defaults]``; empty when there is no file,
    or one ansible-core would refuse (not INI, not UTF-8, not parseable: ansible-core stops there)."""
    if path is None or os.path.splitext(path)[1] not in (".cfg", ".ini"):
        return {}
    import configparser  # only when there is a configuration file

    parser = configparser.ConfigParser(inline_comment_prefixes=(";",))
    try:
        with open(path, "rb") as handle:
            parser.read_string(handle.read().decode("utf-8"))
    except (OSError, UnicodeError, configparser.Error):
        return {}
    found = {}
    for key in (PATH_KEY, SCAN_KEY, HOME_KEY):
        value = parser.get("defaults", key, raw=True, fallback=None)
        if value is not None:
            found[key] = value
    return found


def _setting(env: str, key: str, settings: dict[str, str], cfg: str | None) -> tuple[str | None, str | None]:
    """(value, basedir for a relative path) of one setting: the environment, else the file."""
    if env in os.environ:
        return os.environ[env], None
    if key in settings:
        return settings[key], cfg
    return None, None


def configured_paths() -> tuple[list[str], bool]:
    """``COLLECTIONS_PATHS`` as ansible-core computes it, and whether ``sys.path`` is scanned too."""
    cfg = config_file()
    settings = read_settings(cfg)
    value, basedir = _setting(PATH_ENV, PATH_KEY, settings, cfg)
    if value is None:
        home, home_base = _setting(HOME_ENV, HOME_KEY, settings, cfg)
        home = unfrack(DEFAULT_HOME if home is None else home, home_base)
        value, basedir = f"{home}/collections:{SYSTEM_ROOT}", None
    paths = [unfrack(part, basedir) for part in value.split(os.pathsep)]
    scan, _ = _setting(SCAN_ENV, SCAN_KEY, settings, cfg)
    return paths, scan is None or scan.lower().strip() in _TRUE


def configured_roots(search_path: list[str] | None = None) -> tuple[str, ...]:
    """The configured roots that hold an ``ansible_collections`` directory, in ansible-core's order
    (``_AnsibleCollectionFinder``); ``search_path`` stands for ``sys.path`` (tests)."""
    paths, scan = configured_paths()
    paths = [os.path.expanduser(p) for p in paths]
    if scan:
        paths += [p for p in (sys.path[1:] if search_path is None else search_path) if p]
    roots: list[str] = []
    for path in paths:
        if os.path.basename(path) == PACKAGE:
            path = os.path.dirname(path)
        if path not in roots and os.path.isdir(os.path.join(path, PACKAGE)):
            roots.append(path)
    return tuple(roots)


# An anchor names where playbook-adjacent collections are looked for: "" none, "P:<dir>" the
# playbook's directory, "T:<dir>" the nearest directory at or above <dir> that has them.
def anchor_for(path: str, kind: str | None) -> str:
    """The anchor of a file of ``kind`` ("" for text that is no file, ``<string>``: no adjacent collections)."""
    if not path or path.startswith("<"):
        return ""
    written = os.path.dirname(path)
    if written.startswith("/") and os.path.basename(path) not in ("", ".", ".."):
        # An absolute file path: its folder normalised is the folder of the path normalised (no
        # getcwd), the same for every file of the folder.
        folder = _FOLDERS.get(written)
        if folder is None:
            if len(_FOLDERS) > 65536:
                _FOLDERS.clear()
            folder = _FOLDERS[written] = os.path.normpath(written)
    else:
        folder = os.path.dirname(os.path.abspath(path))
    return ("P:" if kind == "playbook" else "T:") + folder


_FOLDERS: dict[str, str] = {}  # a folder as written (absolute) -> normalised


def adjacent_root(anchor: str, seen: dict[str, str | None] | None = None) -> str | None:
    """The playbook-adjacent root an anchor gives, if it holds an ``ansible_collections`` directory
    (``seen``: the answers for directories already looked at, which share their ancestors)."""
    if not anchor:
        return None
    how, folder = anchor[:2], anchor[2:]
    if how == "P:":
        candidate = os.path.join(folder, ADJACENT)
        return candidate if os.path.isdir(os.path.join(candidate, PACKAGE)) else None
    seen = {} if seen is None else seen
    walked = []
    found: str | None = None
    while True:
        if folder in seen:
            found = seen[folder]
            break
        walked.append(folder)
        candidate = os.path.join(folder, ADJACENT)
        if os.path.isdir(os.path.join(candidate, PACKAGE)):
            found = candidate
            break
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    for folder in walked:
        seen[folder] = found
    return found


def roots_for(anchor: str, configured: tuple[str, ...], seen: dict[str, str | None] | None = None) -> tuple[str, ...]:
    """Every root, in the order ansible-core searches them: the adjacent one first."""
    adjacent = adjacent_root(anchor, seen)
    if adjacent is None:
        return configured
    return (adjacent, *(root for root in configured if root != adjacent))
