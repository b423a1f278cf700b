# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""What the role order_cleanup hands to its batches: the orders found, those not excluded, and how many of them are
due for a change, from which the role's guard decides whether an applied run may start.

Pure functions on digicert_order_info entries (a listing's, or a reviewed plan's); the action order_cleanup_selection
lists the orders and returns what these compute.
"""

from __future__ import annotations

from .verdict import ACTION_CANCEL, ACTION_CANCEL_REISSUE, ACTION_REJECT_REQUEST

# The statuses the role may clean up: orders in them can be canceled, their requests rejected or their reissues
# canceled. The role's argument spec offers the same choices.
CLEANUP_STATUSES = ("pending", "waiting_pickup", "needs_approval", "reissue_pending")


def due_actions(statuses):
    """The verdict actions a run over ``statuses`` carries out: canceling always, rejecting a request only when
    needs_approval is chosen, canceling a reissue only when reissue_pending is."""
    actions = [ACTION_CANCEL]
    if "needs_approval" in statuses:
        actions.append(ACTION_REJECT_REQUEST)
    if "reissue_pending" in statuses:
        actions.append(ACTION_CANCEL_REISSUE)
    return actions


def is_due(order, actions):
    """Whether the listing's verdict of ``order`` foresees one of ``actions`` (the cancel module decides again on a
    read of the order)."""
    verdict = order.get("cancel_verdict")
    return isinstance(verdict, dict) and verdict.get("action") in actions


def cleanup_selection(orders, statuses, exclude_order_ids, max_cancellations):
    """``found``: ``orders`` by ascending ID; ``candidates``: those not in ``exclude_order_ids``, for the batches;
    ``due_count``: how many candidates are due for a change (due_actions()); ``over_limit``: whether that is more
    than ``max_cancellations``, which stops an applied run before its first batch."""
    found = sorted(orders, key=lambda order: order["id"])
    excluded = set(exclude_order_ids)
    candidates = [order for order in found if order["id"] not in excluded]
    actions = due_actions(statuses)
    due_count = sum(1 for order in candidates if is_due(order, actions))
    return dict(found=found, candidates=candidates, due_count=due_count, over_limit=due_count > max_cancellations)
