# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The real world's fault conditions as tests (real_world_suite.py): revocations that complete later, odd request
data and a pacing state that fails mid-run. No wrong or duplicated change, no lost order or misreported outcome,
nothing left for a rerun, and the API key nowhere in what the runs printed or left behind."""

from __future__ import annotations

import pytest

from certcentral_sim.generator import DEMO_ADMIN_KEY
from key_scan import find_secrets
from real_world_suite import REAL_WORLD_CONDITIONS, run_real_world_condition


@pytest.mark.parametrize("condition", [pytest.param(condition, id=condition.key) for condition in REAL_WORLD_CONDITIONS])
def test_real_world_condition(condition, scale, collections_path, tmp_path, reliability_report):
    row = run_real_world_condition(condition, scale, collections_path, str(tmp_path))
    _files, leaks = find_secrets({"admin": DEMO_ADMIN_KEY}, {}, [row.work_dir])
    row.leaked_secrets = len(leaks)
    reliability_report.add_row(row)
    assert leaks == []
    assert row.clean, "\n".join(
        [f"{row.condition}: {row.wrong_changes} wrong changes, {row.lost_orders} lost orders, {row.rerun_changes} rerun changes"] + row.problems[:40]
    )
    assert not [note for note in row.notes if note.startswith("PROBLEM")], row.notes
