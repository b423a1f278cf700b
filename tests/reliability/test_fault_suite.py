# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Each fault condition as a test: no wrong change, no lost order, nothing left for a rerun (see fault_suite.py), and
the API key nowhere in what the runs printed or left behind, killed runs included."""

from __future__ import annotations

import pytest

from certcentral_sim.generator import DEMO_ADMIN_KEY
from fault_suite import CONDITIONS, run_condition
from key_scan import find_secrets

# Bugs the suite found that are not fixed yet: the test fails until the bug is, then fails again (strict) so that the
# mark is removed.
KNOWN_BUGS: dict[str, str] = {}


@pytest.mark.parametrize(
    "condition",
    [
        pytest.param(
            condition, id=condition.key, marks=[pytest.mark.xfail(reason=KNOWN_BUGS[condition.key], strict=True)] if condition.key in KNOWN_BUGS else []
        )
        for condition in CONDITIONS
    ],
)
def test_fault_condition(condition, scale, collections_path, tmp_path, reliability_report):
    row = run_condition(condition, scale, collections_path, str(tmp_path))
    # The key reached every run through the environment, as an AWX credential passes it.
    _files, leaks = find_secrets({"admin": DEMO_ADMIN_KEY}, {}, [row.work_dir])
    row.leaked_secrets = len(leaks)
    reliability_report.add_row(row)
    assert leaks == []
    assert row.clean, "\n".join(
        [f"{row.condition}: {row.wrong_changes} wrong changes, {row.lost_orders} lost orders, {row.rerun_changes} rerun changes"] + row.problems[:40]
    )
