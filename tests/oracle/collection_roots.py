#!/usr/bin/env python
"""Ground truth for shep.installed.roots: the configuration file, COLLECTIONS_PATHS, the sys.path scan
setting and the collection roots ansible-core 2.19 computes in the environment and working directory
it is started in.

TEST TOOL ONLY: needs ansible-core (the ``oracle`` extra). Prints one JSON object:
``{"config": path or null, "paths": [...], "scan": bool, "roots": [...]}`` where ``roots`` are the
configured paths ``_AnsibleCollectionFinder`` keeps (``sys.path`` is not scanned here: shep's tests
compare the configured part, the scan flag apart).
"""

from __future__ import annotations

import json

from ansible import constants as C
from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

finder = _AnsibleCollectionFinder(C.COLLECTIONS_PATHS, scan_sys_paths=False)
print(json.dumps({"config": C.CONFIG_FILE, "paths": list(C.COLLECTIONS_PATHS), "scan": C.COLLECTIONS_SCAN_SYS_PATH,
                  "roots": list(finder._n_configured_paths)}))
