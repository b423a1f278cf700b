# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""How pytest-xdist shares the suite out among its workers (``-n 2``); imported only when xdist runs the suite.

The tests of the fault suite and of the secret scans are units of work of their own: a fault condition starts its own
simulator, and a secret scan needs nothing from the others (they share a simulator only to save its start, and each
takes orders no other took, or resets it), so a second worker may run them with a simulator of its own. Every other
file is one unit, because its tests share what its module-scoped fixtures made (a table run once for all its cases,
simulators whose orders the tests take in turn), which a second worker would make again. xdist's own
``--dist loadgroup`` would group them by marks, but cannot under pytest 9 (it renames the tests through an attribute
pytest 9 no longer reads).
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

# The files whose tests are independent of each other.
INDEPENDENT_TEST_FILES = ("test_fault_suite.py", "test_real_world_suite.py", "test_secrets.py")


class ReliabilityScheduling(LoadScopeScheduling):
    """xdist's scope scheduling, with a scope per test of the independent files and one per other file. As xdist does
    by default, the scopes with the most tests go out first (the other files), then the independent tests, in the
    order of collection."""

    def _split_scope(self, nodeid: str) -> str:
        path = nodeid.split("::", 1)[0]
        return nodeid if path.rsplit("/", 1)[-1] in INDEPENDENT_TEST_FILES else path
