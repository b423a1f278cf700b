# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.cleanup_selection import cleanup_selection, due_actions


def entry(order_id, action="cancel", status="pending"):
    """An order entry as digicert_order_info lists it, as far as the selection reads it."""
    return {"id": order_id, "status": status, "cancel_verdict": {"action": action, "cancelable": action != "none"}}


@pytest.mark.parametrize(
    "statuses, actions",
    [
        (["pending", "waiting_pickup"], ["cancel"]),
        (["needs_approval"], ["cancel", "reject_request"]),
        (["reissue_pending"], ["cancel", "cancel_reissue"]),
        (["reissue_pending", "pending", "needs_approval"], ["cancel", "reject_request", "cancel_reissue"]),
    ],
)
def test_the_due_actions_add_rejecting_and_reissues_only_when_their_status_is_chosen(statuses, actions):
    assert due_actions(statuses) == actions


def test_found_is_every_order_by_id_and_the_candidates_leave_out_the_excluded():
    orders = [entry(30), entry(10), entry(20, "none", "issued"), entry(40)]
    selected = cleanup_selection(orders, ["pending"], [40, 99], 50)
    assert [order["id"] for order in selected["found"]] == [10, 20, 30, 40]
    assert [order["id"] for order in selected["candidates"]] == [10, 20, 30]
    # The entries are handed on as they are, for the cancel module and the report.
    assert selected["found"][0] is orders[1]


def test_due_count_counts_the_candidates_whose_verdict_is_a_due_action():
    orders = [
        entry(1),
        entry(2, "reject_request", "needs_approval"),
        entry(3, "cancel_reissue", "reissue_pending"),
        entry(4, "none", "issued"),
        entry(5, "approve_request", "needs_approval"),
        {"id": 6, "status": "pending"},
        {"id": 7, "status": "pending", "cancel_verdict": None},
        entry(8),
    ]
    assert cleanup_selection(orders, ["pending"], [], 50)["due_count"] == 2
    assert cleanup_selection(orders, ["pending", "needs_approval"], [], 50)["due_count"] == 3
    assert cleanup_selection(orders, ["pending", "needs_approval", "reissue_pending"], [], 50)["due_count"] == 4
    # An excluded order is not due, whatever its verdict.
    assert cleanup_selection(orders, ["pending"], [8], 50)["due_count"] == 1


@pytest.mark.parametrize("max_cancellations, over", [(3, False), (2, True), (0, True)])
def test_over_limit_is_more_due_than_max_cancellations(max_cancellations, over):
    selected = cleanup_selection([entry(1), entry(2), entry(3), entry(4, "none")], ["pending"], [], max_cancellations)
    assert selected["due_count"] == 3
    assert selected["over_limit"] is over


def test_nothing_found_is_nothing_due():
    assert cleanup_selection([], ["pending"], [1], 0) == dict(found=[], candidates=[], due_count=0, over_limit=False)
