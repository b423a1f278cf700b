# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Make ``ansible_collections.certops.digicert`` importable for a plain ``python -m pytest`` from any clone.

ansible-test runs the tests from inside an ``ansible_collections/certops/digicert`` tree, where the import already
works; then this does nothing. Otherwise the repository is linked into a temporary tree of that shape, which is
put first on sys.path and removed when the test run ends.
"""

from __future__ import annotations

import atexit
import importlib
import os
import shutil
import sys
import tempfile

COLLECTION_PACKAGE = "ansible_collections.certops.digicert"


def _collection_importable():
    try:
        importlib.import_module(COLLECTION_PACKAGE)
    except ImportError:
        return False
    return True


def _link_collection():
    repository_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    tree_root = tempfile.mkdtemp(prefix="certops-digicert-units-")
    atexit.register(shutil.rmtree, tree_root, True)
    namespace_dir = os.path.join(tree_root, "ansible_collections", "certops")
    os.makedirs(namespace_dir)
    os.symlink(repository_root, os.path.join(namespace_dir, "digicert"))
    sys.path.insert(0, tree_root)
    # Forget the failed lookup, so the namespace packages are searched again with the new path.
    for name in [name for name in sys.modules if name == "ansible_collections" or name.startswith("ansible_collections.")]:
        del sys.modules[name]
    importlib.invalidate_caches()


if not _collection_importable():
    _link_collection()
