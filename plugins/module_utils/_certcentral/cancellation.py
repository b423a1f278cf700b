# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""Canceling CertCentral orders: what to do about each order, and the run that does it safely.

plan_order() is pure: from one read of an order (order info, with its requests) and the options it decides, through
the shared cancel verdict, what the run would change and what it reports. CancellationRun carries a list of orders
through the two phases of bulk.BulkRun (plan everything, then act on reads right before acting only), canceling orders and
pending reissues and rejecting approval requests.
"""

from __future__ import annotations

from .bulk import OUTCOME_FAILED, OUTCOME_MISSING, BulkOptions, BulkRun, Change, Plan
from .errors import CertCentralError
from .order_fields import request_status, requests_of
from .order_input import normalize_text
from .verdict import (
    ACTION_CANCEL,
    ACTION_CANCEL_REISSUE,
    ACTION_NONE,
    ACTION_REJECT_REQUEST,
    ACTION_REVOKE,
    CANCELABLE_STATUSES,
    NEEDS_APPROVER,
    ROLE_HOLDERS,
    UNDECIDED_REQUEST_STATUSES,
    cancel_verdict,
    newest_request,
    order_status,
    refund_hint,
    request_state,
    request_type,
)

# Outcomes that are changes made by a real run.
OUTCOME_CANCELED = "canceled"
OUTCOME_REISSUE_CANCELED = "reissue_canceled"
OUTCOME_REQUEST_REJECTED = "request_rejected"
# The same changes, planned but not made: in check mode, or when a real run stopped before acting.
OUTCOME_WOULD_CANCEL = "would_cancel"
OUTCOME_WOULD_CANCEL_REISSUE = "would_cancel_reissue"
OUTCOME_WOULD_REJECT_REQUEST = "would_reject_request"
# Outcomes without a change; the same in check mode.
OUTCOME_ALREADY_CANCELED = "already_canceled"
OUTCOME_NOTHING_TO_CANCEL = "nothing_to_cancel"
OUTCOME_NOT_CANCELABLE = "not_cancelable"

CHANGE_OUTCOMES = (OUTCOME_CANCELED, OUTCOME_REISSUE_CANCELED, OUTCOME_REQUEST_REJECTED)
WOULD_CHANGE_OUTCOMES = (OUTCOME_WOULD_CANCEL, OUTCOME_WOULD_CANCEL_REISSUE, OUTCOME_WOULD_REJECT_REQUEST)
OUTCOMES = (
    CHANGE_OUTCOMES + WOULD_CHANGE_OUTCOMES + (OUTCOME_ALREADY_CANCELED, OUTCOME_NOTHING_TO_CANCEL, OUTCOME_NOT_CANCELABLE, OUTCOME_MISSING, OUTCOME_FAILED)
)

# The changes this module makes, by verdict action.
_CHANGES = {
    ACTION_CANCEL: Change(made=OUTCOME_CANCELED, planned=OUTCOME_WOULD_CANCEL, verb_phrase="cancel the order"),
    ACTION_CANCEL_REISSUE: Change(made=OUTCOME_REISSUE_CANCELED, planned=OUTCOME_WOULD_CANCEL_REISSUE, verb_phrase="cancel the pending reissue"),
    ACTION_REJECT_REQUEST: Change(made=OUTCOME_REQUEST_REJECTED, planned=OUTCOME_WOULD_REJECT_REQUEST, verb_phrase="reject the request"),
}

# Outcomes whose order may be owed a refund: it is, or would be, canceled.
_REFUND_OUTCOMES = (OUTCOME_CANCELED, OUTCOME_WOULD_CANCEL, OUTCOME_ALREADY_CANCELED)

# DigiCert documents no limit for the note; this one keeps audit log entries readable and the request small.
NOTE_MAX_LENGTH = 1000

# Statuses after which nothing is left to cancel.
_FINISHED_STATUSES = ("rejected", "revoked", "expired")


# ---------------------------------------------------------------- input


def normalize_note(note):
    """The note to send, without surrounding whitespace; ValueError when it is empty or too long."""
    return normalize_text(
        "note", note, NOTE_MAX_LENGTH, "CertCentral requires a note on every cancellation, and the audit log shows it. Say why the orders are canceled."
    )


class CancelOptions(BulkOptions):
    """The choices of one cancel run; see the module's options of the same names."""

    limit_option = "max_cancellations"

    def __init__(self, note, reject_pending_request=False, cancel_reissue=False, missing_ok=False, fail_on_not_cancelable=True, max_cancellations=None):
        self.note = normalize_note(note)
        super().__init__(missing_ok, fail_on_not_cancelable, max_cancellations)
        self.reject_pending_request = reject_pending_request
        self.cancel_reissue = cancel_reissue


# ---------------------------------------------------------------- planning


def _has_undecided(order, wanted_type):
    return any(request_type(request) == wanted_type and request_state(request) in UNDECIDED_REQUEST_STATUSES for request in requests_of(order))


class CancelPlan(Plan):
    """A cancel plan; ``refund_hint`` is the verdict's refund sentence for an order the plan cancels or finds canceled.

    The result entry of a run gives the same sentence for the outcome the order ends with (_REFUND_OUTCOMES), which
    may differ from the plan's when the order changed under the run.
    """

    def __init__(self, verdict, outcome, message, action=None, request_id=None, refund_hint=None):
        super().__init__(verdict, outcome, message, action=action, request_id=request_id)
        self.refund_hint = refund_hint


def _change(verdict, action, message, request_id=None, refund=None):
    return CancelPlan(verdict, _CHANGES[action].made, message, action=action, request_id=request_id, refund_hint=refund)


def plan_order(order, options):
    """Plan ``order`` (as order info returns it, with its requests) under ``options`` (a CancelOptions)."""
    verdict = cancel_verdict(order)
    subject = f"Order {order.get('id')}"
    status = order_status(order)
    action = verdict["action"]
    reason = verdict["reason"]

    if action == ACTION_CANCEL:
        return _change(verdict, ACTION_CANCEL, reason, refund=verdict["refund_hint"])

    if action == ACTION_CANCEL_REISSUE:
        if not options.cancel_reissue:
            return CancelPlan(
                verdict,
                OUTCOME_NOT_CANCELABLE,
                f"{reason} It was left alone because cancel_reissue is false; set cancel_reissue=true to cancel the pending reissue.",
            )
        reissue = newest_request(requests_of(order), "reissue")
        return _change(verdict, ACTION_CANCEL_REISSUE, reason, request_id=reissue.get("id") if reissue else None)

    if action == ACTION_REJECT_REQUEST:
        request_id = verdict["request_id"]
        if request_id is None:
            rejected = newest_request(requests_of(order), "new_request")
            if status == "needs_approval" and rejected is not None and request_status(order, rejected.get("id")) == "rejected":
                return CancelPlan(
                    verdict,
                    OUTCOME_NOTHING_TO_CANCEL,
                    f"{subject} needs approval, but its request {rejected.get('id')} was already rejected; there is nothing to cancel.",
                )
            return CancelPlan(
                verdict,
                OUTCOME_NOT_CANCELABLE,
                f"{reason} No request awaiting approval is listed on the order, so there is no request this module "
                "could reject; check Certificates > Requests in CertCentral.",
            )
        if not options.reject_pending_request:
            return CancelPlan(
                verdict,
                OUTCOME_NOT_CANCELABLE,
                f"{reason} It was left alone because reject_pending_request is false; set reject_pending_request=true "
                f"to reject request {request_id} with the note as processor comment.",
            )
        return _change(
            verdict,
            ACTION_REJECT_REQUEST,
            f"{reason} With reject_pending_request=true, request {request_id} is rejected with the note as processor comment.",
            request_id=request_id,
        )

    if action == ACTION_REVOKE and status == "issued" and options.cancel_reissue:
        reissue = newest_request(requests_of(order), "reissue")
        if reissue is not None and request_status(order, reissue.get("id")) == "rejected" and not _has_undecided(order, "reissue"):
            return CancelPlan(
                verdict,
                OUTCOME_NOTHING_TO_CANCEL,
                f"{subject} is issued and no reissue is pending: its newest reissue request {reissue.get('id')} was rejected, as "
                "canceling a reissue does. There is nothing to cancel.",
            )

    if action == ACTION_NONE and status == "canceled":
        return CancelPlan(verdict, OUTCOME_ALREADY_CANCELED, reason, refund_hint=refund_hint(order))
    if action == ACTION_NONE and status in _FINISHED_STATUSES:
        return CancelPlan(verdict, OUTCOME_NOTHING_TO_CANCEL, reason)
    # Issued (too late), a generated client reissue, or a status this collection does not act on.
    return CancelPlan(verdict, OUTCOME_NOT_CANCELABLE, reason)


def _predicted_state(state, outcome):
    """The state a planned change would leave behind."""
    predicted = dict(state)
    if outcome == OUTCOME_WOULD_CANCEL:
        predicted["status"] = "canceled"
    elif outcome == OUTCOME_WOULD_CANCEL_REISSUE:
        predicted["status"] = "issued"
    if outcome in (OUTCOME_WOULD_CANCEL_REISSUE, OUTCOME_WOULD_REJECT_REQUEST) and "request" in predicted:
        predicted["request"] = dict(predicted["request"], status="rejected")
    return predicted


# ---------------------------------------------------------------- the run


class CancellationRun(BulkRun):
    """Cancels (or, in check mode, plans to cancel) a list of orders with a CertCentralClient."""

    CHANGES = _CHANGES
    OUTCOMES = OUTCOMES
    CHANGE_OUTCOMES = CHANGE_OUTCOMES
    WOULD_CHANGE_OUTCOMES = WOULD_CHANGE_OUTCOMES
    OUTCOME_NOT_POSSIBLE = OUTCOME_NOT_CANCELABLE
    SETTLED_OUTCOMES = (OUTCOME_ALREADY_CANCELED, OUTCOME_NOTHING_TO_CANCEL)
    VIEW_ONLY_REFUSAL = (
        "Nothing was changed: the API key is restricted to View Only (GET /user/me shows its "
        "access_roles), so it can read orders but cannot cancel them or reject requests. Use a key "
        "with the Orders role, or one without role restrictions."
    )
    # A listed pending order is planned from the listing: canceling it rests on its status alone, and the read right
    # before acting sees any request awaiting approval. Reissues and requests need the order's requests.
    LISTING_PLANNED_ACTIONS = (ACTION_CANCEL,)
    # The listings of the statuses the cancel verdict plans a cancel for: orders given by ID are planned from them when
    # that costs fewer requests than a read of each.
    LISTING_FILTERS = tuple({"status": status} for status in CANCELABLE_STATUSES)
    # The refund hint rests on the payment method, which listings do not show: in check mode a listed order without it
    # is read, so that the plan's result carries the hint an applied run's would.
    CHECK_MODE_FIELDS = ("payment_method",)

    def plan(self, order):
        return plan_order(order, self.options)

    def role_needed(self, plan):
        return NEEDS_APPROVER if plan.action == ACTION_REJECT_REQUEST else None

    def plan_beyond_role(self, plan, refusal):
        return CancelPlan(
            plan.verdict,
            OUTCOME_NOT_CANCELABLE,
            f"{plan.verdict['reason']} Request {plan.request_id} is not rejected: {refusal}. Use the API key of "
            f"{ROLE_HOLDERS[NEEDS_APPROVER]}, or have one of them reject the request "
            "in CertCentral (Certificates > Requests).",
            request_id=plan.request_id,
        )

    def predict(self, state, outcome):
        return _predicted_state(state, outcome)

    def entry(self, tracked):
        refund = refund_hint(tracked.order) if tracked.outcome in _REFUND_OUTCOMES else None
        return dict(
            id=tracked.order_id,
            common_name=tracked.common_name,
            status_before=tracked.status_before,
            status=tracked.status,
            cancel_verdict=tracked.verdict,
            outcome=tracked.outcome,
            message=tracked.message,
            refund_hint=refund,
            request_id=tracked.request_id,
        )

    def send(self, tracked):
        if tracked.plan.action == ACTION_REJECT_REQUEST:
            self.client.reject_request(tracked.request_id, self.options.note)
        else:
            self.client.cancel_order(tracked.order_id, self.options.note)

    def settle_success(self, tracked, answer):
        action = tracked.plan.action
        if action == ACTION_CANCEL:
            tracked.status = "canceled"
            tracked.finish(OUTCOME_CANCELED, f"{tracked.subject} was canceled (it was {tracked.status_before}); the note is in the CertCentral audit log.")
        elif action == ACTION_CANCEL_REISSUE:
            # Documented: the order returns to issued and the reissue request becomes rejected.
            tracked.status = "issued"
            if tracked.request_id is not None:
                tracked.request_status = "rejected"
            tracked.finish(
                OUTCOME_REISSUE_CANCELED,
                f"The pending reissue of {tracked.subject.lower()} was canceled; the order is issued again with its current certificate.",
            )
        else:
            message = f"Request {tracked.request_id} of {tracked.subject.lower()} was rejected, with the note as processor comment."
            # What rejecting does to the order's status is not documented: read it rather than guess.
            try:
                self.read_again(tracked)
                message += f" The order is now {tracked.status}."
            except CertCentralError as error:
                tracked.status = None
                tracked.request_status = "rejected"
                message += f" Its status could not be read back: {error}"
            tracked.finish(OUTCOME_REQUEST_REJECTED, message)

    def achieved(self, tracked):
        action = tracked.plan.action
        if action == ACTION_CANCEL:
            return tracked.status == "canceled"
        if action == ACTION_CANCEL_REISSUE:
            return tracked.status == "issued" and tracked.request_status == "rejected"
        return tracked.request_status == "rejected"

    def report_achieved(self, tracked):
        if tracked.plan.action == ACTION_CANCEL:
            tracked.finish(
                OUTCOME_CANCELED,
                f"{tracked.subject} was canceled (it was {tracked.status_before}): the answer was lost, and reading the order back shows it canceled.",
            )
        elif tracked.plan.action == ACTION_CANCEL_REISSUE:
            tracked.finish(
                OUTCOME_REISSUE_CANCELED,
                f"The pending reissue of {tracked.subject.lower()} was canceled: the answer was lost, "
                f"and reading the order back shows it issued with reissue request {tracked.request_id} rejected.",
            )
        else:
            tracked.finish(
                OUTCOME_REQUEST_REJECTED,
                f"Request {tracked.request_id} of {tracked.subject.lower()} was rejected: the answer was lost, "
                "and reading "
                f"the order back shows the request rejected. The order is now {tracked.status}.",
            )
