# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""Revoking CertCentral orders: what to do about each order, and the run that does it safely.

plan_order() is pure: from one read of an order (order info, with its requests) and the options it decides, through
the shared revoke verdict, what the run would change and what it reports. RevocationRun carries a list of orders
through the two phases of bulk.BulkRun (read and plan everything, then act on fresh reads only), revoking every
certificate of each order at once (skip_approval) or creating a revoke request for an approver.
"""

from __future__ import annotations

import time

from .bulk import OUTCOME_FAILED, OUTCOME_MISSING, BulkOptions, BulkRun, Change, Plan
from .errors import CertCentralError, describe_call
from .order_fields import request_status
from .order_input import normalize_text
from .verdict import (
    ACTION_APPROVE_REQUEST,
    ACTION_AWAIT_REVOCATION,
    ACTION_REVOKE,
    NEEDS_ADMINISTRATOR,
    NOTHING_TO_REVOKE_STATUSES,
    ROLE_HOLDERS,
    order_status,
    pending_revoke_request,
    revocation_in_flight,
    revoke_verdict,
    takes_revocation_reason,
)

# Outcomes that are changes made by a real run.
OUTCOME_REVOKED = "revoked"
# CertCentral accepted the revocation, and the order still reads issued: DigiCert carries it out later.
OUTCOME_REVOCATION_SUBMITTED = "revocation_submitted"
OUTCOME_REVOKE_REQUESTED = "revoke_requested"
# The same changes, planned but not made: in check mode, or when a real run stopped before acting.
OUTCOME_WOULD_REVOKE = "would_revoke"
OUTCOME_WOULD_REQUEST_REVOKE = "would_request_revoke"
# Outcomes without a change; the same in check mode.
OUTCOME_ALREADY_REVOKED = "already_revoked"
OUTCOME_REVOKE_ALREADY_REQUESTED = "revoke_already_requested"
# An approved revocation that DigiCert is still carrying out: nothing is sent.
OUTCOME_REVOCATION_IN_PROGRESS = "revocation_in_progress"
OUTCOME_NOTHING_TO_REVOKE = "nothing_to_revoke"
OUTCOME_NOT_REVOCABLE = "not_revocable"

CHANGE_OUTCOMES = (OUTCOME_REVOKED, OUTCOME_REVOCATION_SUBMITTED, OUTCOME_REVOKE_REQUESTED)
WOULD_CHANGE_OUTCOMES = (OUTCOME_WOULD_REVOKE, OUTCOME_WOULD_REQUEST_REVOKE)
OUTCOMES = (
    CHANGE_OUTCOMES
    + WOULD_CHANGE_OUTCOMES
    + (
        OUTCOME_ALREADY_REVOKED,
        OUTCOME_REVOKE_ALREADY_REQUESTED,
        OUTCOME_REVOCATION_IN_PROGRESS,
        OUTCOME_NOTHING_TO_REVOKE,
        OUTCOME_NOT_REVOCABLE,
        OUTCOME_MISSING,
        OUTCOME_FAILED,
    )
)
# The outcomes of orders that DigiCert is revoking: the ones a wait (wait_timeout) watches until they read revoked.
_IN_FLIGHT_OUTCOMES = (OUTCOME_REVOCATION_SUBMITTED, OUTCOME_REVOCATION_IN_PROGRESS)

# The two ways to revoke an order: at once (skip_approval, an admin's key), or by a revoke request for an approver.
CHANGE_REVOKE = "revoke"
CHANGE_REQUEST_REVOKE = "request_revoke"
# The changes this module makes, by plan action.
_CHANGES = {
    CHANGE_REVOKE: Change(made=OUTCOME_REVOKED, planned=OUTCOME_WOULD_REVOKE, verb_phrase="revoke the order"),
    CHANGE_REQUEST_REVOKE: Change(made=OUTCOME_REVOKE_REQUESTED, planned=OUTCOME_WOULD_REQUEST_REVOKE, verb_phrase="request the revocation of the order"),
}

# DigiCert documents no limit for the comments; this one matches the cancel note's.
COMMENTS_MAX_LENGTH = 1000

# DigiCert's documented list of revocation reasons is cut off after its example (superseded). These are the RFC 5280
# reasons that a certificate's subscriber may give; any other reason is for the CA to use.
REVOCATION_REASONS = ("unspecified", "key_compromise", "affiliation_changed", "superseded", "cessation_of_operation")

_MISSING_PERMISSION_CODE = "access_denied|missing_permission"

# The longest wait_timeout: an hour, like the longest timeout of a call.
MAX_WAIT_TIMEOUT_SECONDS = 3600
DEFAULT_WAIT_INTERVAL_SECONDS = 10


# ---------------------------------------------------------------- input


def normalize_comments(comments):
    """The comments to send, without surrounding whitespace; ValueError when they are empty or too long."""
    return normalize_text(
        "comments",
        comments,
        COMMENTS_MAX_LENGTH,
        "an approver decides on the revoke request by them, and they stay with it. Say why the certificates are revoked.",
    )


class RevokeOptions(BulkOptions):
    """The choices of one revoke run; see the module's options of the same names."""

    limit_option = "max_revocations"

    def __init__(
        self,
        comments,
        revocation_reason=None,
        skip_approval=False,
        missing_ok=False,
        fail_on_not_revocable=True,
        max_revocations=None,
        wait_timeout=0,
        wait_interval=DEFAULT_WAIT_INTERVAL_SECONDS,
    ):
        self.comments = normalize_comments(comments)
        if revocation_reason is not None and revocation_reason not in REVOCATION_REASONS:
            raise ValueError(f"revocation_reason must be one of {', '.join(REVOCATION_REASONS)}, got {revocation_reason!r}.")
        if isinstance(wait_timeout, bool) or not isinstance(wait_timeout, int) or not 0 <= wait_timeout <= MAX_WAIT_TIMEOUT_SECONDS:
            raise ValueError(
                f"wait_timeout must be a whole number of seconds from 0 (do not wait) to {MAX_WAIT_TIMEOUT_SECONDS} (an hour), got {wait_timeout!r}."
            )
        if isinstance(wait_interval, bool) or not isinstance(wait_interval, int) or not 1 <= wait_interval <= MAX_WAIT_TIMEOUT_SECONDS:
            raise ValueError(f"wait_interval must be a whole number of seconds from 1 to {MAX_WAIT_TIMEOUT_SECONDS}, got {wait_interval!r}.")
        super().__init__(missing_ok, fail_on_not_revocable, max_revocations)
        self.revocation_reason = revocation_reason
        self.skip_approval = skip_approval
        self.wait_timeout = wait_timeout
        self.wait_interval = wait_interval


# ---------------------------------------------------------------- planning


class RevokePlan(Plan):
    """A revoke plan. ``revocation_reason`` is the reason to send with the change (None: send none), and
    ``withheld_reason`` the sentence saying why a reason that was asked for is not sent (else None)."""

    def __init__(self, verdict, outcome, message, action=None, request_id=None, revocation_reason=None, withheld_reason=None):
        super().__init__(verdict, outcome, message, action=action, request_id=request_id)
        self.revocation_reason = revocation_reason
        self.withheld_reason = withheld_reason


def plan_order(order, options):
    """Plan ``order`` (as order info returns it, with its requests) under ``options`` (a RevokeOptions)."""
    verdict = revoke_verdict(order)
    action = verdict["action"]
    reason = verdict["reason"]

    if action == ACTION_REVOKE:
        if options.skip_approval:
            change, how = CHANGE_REVOKE, "With skip_approval, it is revoked at once."
        else:
            change, how = (
                CHANGE_REQUEST_REVOKE,
                ("Without skip_approval, a revoke request is created that an approver must approve; the order stays issued until then."),
            )
        reason_to_send, withheld = options.revocation_reason, None
        if reason_to_send is not None and not takes_revocation_reason(order):
            reason_to_send = None
            withheld = (
                f"revocation_reason={options.revocation_reason} is not sent: DigiCert applies a revocation reason to TLS certificates "
                "only, and this is a client certificate order."
            )
        message = " ".join(part for part in (reason, how, withheld) if part)
        return RevokePlan(verdict, _CHANGES[change].made, message, action=change, revocation_reason=reason_to_send, withheld_reason=withheld)

    if action == ACTION_APPROVE_REQUEST:
        message = reason
        if options.skip_approval:
            message += " No second revoke is sent while that request is pending, skip_approval or not: approve the request to revoke the order now."
        return RevokePlan(verdict, OUTCOME_REVOKE_ALREADY_REQUESTED, message, request_id=pending_revoke_request(order).get("id"))

    if action == ACTION_AWAIT_REVOCATION:
        return RevokePlan(verdict, OUTCOME_REVOCATION_IN_PROGRESS, reason, request_id=revocation_in_flight(order).get("id"))

    status = order_status(order)
    if status == "revoked":
        return RevokePlan(verdict, OUTCOME_ALREADY_REVOKED, reason)
    if status in NOTHING_TO_REVOKE_STATUSES:
        return RevokePlan(verdict, OUTCOME_NOTHING_TO_REVOKE, reason)
    # Not issued yet (cancel instead), a pending reissue (cancel it first), or a status this collection does not act on.
    return RevokePlan(verdict, OUTCOME_NOT_REVOCABLE, reason)


def _predicted_state(state, outcome):
    """The state a planned change would leave behind; a request yet to be created has no ID."""
    predicted = dict(state)
    if outcome == OUTCOME_WOULD_REVOKE:
        predicted["status"] = "revoked"
    elif outcome == OUTCOME_WOULD_REQUEST_REVOKE:
        predicted["request"] = dict(id=None, status="pending")
    return predicted


# What a revocation DigiCert carries out later leaves to do.
_LATER = (
    "DigiCert is processing the revocation; the order reads revoked once it is done. Nothing more needs to be "
    "sent: a run after that reports it already_revoked, and wait_timeout makes a run wait for it."
)


def _created_request_id(answer):
    """The ID of the revoke request in CertCentral's answer, or None when the answer holds none."""
    request_id = answer.get("id") if isinstance(answer, dict) else None
    return request_id if isinstance(request_id, int) and not isinstance(request_id, bool) else None


# ---------------------------------------------------------------- the run


class RevocationRun(BulkRun):
    """Revokes (or, in check mode, plans to revoke) the certificates of a list of orders with a CertCentralClient.

    ``clock`` and ``sleep`` time the wait for revocations that DigiCert carries out later (wait_timeout).
    """

    CHANGES = _CHANGES
    OUTCOMES = OUTCOMES
    CHANGE_OUTCOMES = CHANGE_OUTCOMES
    WOULD_CHANGE_OUTCOMES = WOULD_CHANGE_OUTCOMES
    OUTCOME_NOT_POSSIBLE = OUTCOME_NOT_REVOCABLE
    SETTLED_OUTCOMES = (OUTCOME_ALREADY_REVOKED, OUTCOME_REVOKE_ALREADY_REQUESTED, OUTCOME_REVOCATION_IN_PROGRESS, OUTCOME_NOTHING_TO_REVOKE)
    VIEW_ONLY_REFUSAL = (
        "Nothing was changed: the API key is restricted to View Only (GET /user/me shows its "
        "access_roles), so it can read orders but cannot revoke them. Use a key with the Orders role, "
        "or one without role restrictions; skip_approval also needs a key with admin privileges."
    )

    def __init__(self, client, order_ids, options, check_mode=False, listed=None, clock=time.monotonic, sleep=time.sleep):
        super().__init__(client, order_ids, options, check_mode=check_mode, listed=listed)
        self._clock = clock
        self._sleep = sleep

    def plan(self, order):
        return plan_order(order, self.options)

    def role_needed(self, plan):
        return NEEDS_ADMINISTRATOR if plan.action == CHANGE_REVOKE else None

    def plan_beyond_role(self, plan, refusal):
        return RevokePlan(
            plan.verdict,
            OUTCOME_NOT_REVOCABLE,
            f"{plan.verdict['reason']} It is not revoked with skip_approval: {refusal}. Run without skip_approval to create a revoke "
            f"request that an approver approves, or use the API key of {ROLE_HOLDERS[NEEDS_ADMINISTRATOR]}.",
        )

    def predict(self, state, outcome):
        return _predicted_state(state, outcome)

    def entry(self, tracked):
        return dict(
            id=tracked.order_id,
            common_name=tracked.common_name,
            status_before=tracked.status_before,
            status=tracked.status,
            revoke_verdict=tracked.verdict,
            outcome=tracked.outcome,
            message=tracked.message,
            request_id=tracked.request_id,
        )

    def send(self, tracked):
        return self.client.revoke_order(
            tracked.order_id, self.options.comments, revocation_reason=tracked.plan.revocation_reason, skip_approval=tracked.plan.action == CHANGE_REVOKE
        )

    def explain_refusal(self, tracked, error):
        if tracked.plan.action == CHANGE_REVOKE and error.http_status == 403 and error.error_code == _MISSING_PERMISSION_CODE:
            said = f' CertCentral said: "{error.error_message.strip()}"' if error.error_message else ""
            return (
                f"CertCentral refused {describe_call(error.method, error.path, tracked.order_id)} (HTTP 403 {error.error_code}): skip_approval "
                "needs an API key with admin privileges (and a "
                "View Only key may not revoke at all). Run without skip_approval to create revoke requests that an "
                f"approver approves, or use an administrator's key.{said}"
            )
        return str(error)

    def shows_at_once(self, tracked):
        # A revoke request shows on the order as soon as it exists (its answer names it); a revocation sent with
        # skip_approval is carried out by DigiCert later, and nothing documents how it shows until then.
        return tracked.plan.action != CHANGE_REVOKE

    def why_not_sent_again(self, tracked):
        return "DigiCert carries out a revocation sent with skip_approval as a step of its own, which may not show yet,"

    def settle_success(self, tracked, answer):
        request_id = _created_request_id(answer)
        if request_id is not None:
            tracked.request_id = request_id
            status = answer.get("status")
            tracked.request_status = status.lower() if isinstance(status, str) else None
            self._done(
                tracked,
                OUTCOME_REVOKE_REQUESTED,
                f"Revoke request {request_id} was created for {tracked.subject.lower()}; it awaits approval "
                f"(Certificates > Requests in CertCentral), and the order stays {tracked.status} until an approver approves it.",
            )
            return
        # Revoked at once, or submitted to DigiCert, which revokes later: the answer has no body, and what it leaves the
        # order's status at is not documented, so it is read rather than guessed.
        accepted = f"CertCentral accepted the revocation of {tracked.subject.lower()} (it was {tracked.status_before})"
        try:
            self.read_again(tracked)
        except CertCentralError as error:
            tracked.status = None
            self._done(tracked, OUTCOME_REVOCATION_SUBMITTED, f"{accepted}, but its status could not be read back: {error} {_LATER}")
            return
        if tracked.status == "revoked":
            how = ", with skip_approval and no approval step" if tracked.plan.action == CHANGE_REVOKE else ""
            self._done(tracked, OUTCOME_REVOKED, f"{tracked.subject} was revoked (it was {tracked.status_before}){how}; CertCentral now shows it revoked.")
        elif tracked.plan.action == CHANGE_REQUEST_REVOKE and pending_revoke_request(tracked.order) is not None:
            self._adopt_revoke_request(tracked, pending_revoke_request(tracked.order))
            self._done(
                tracked,
                OUTCOME_REVOKE_REQUESTED,
                f"{accepted} without naming a revoke request; reading the order back shows revoke request {tracked.request_id} awaiting approval.",
            )
        elif tracked.status == "issued":
            # Accepted is accepted: DigiCert revokes as a step of its own. Sending it again would be a second revocation.
            self._report_submitted(tracked, f"{accepted}, and it still reads issued{self._shown_request(tracked)}.")
        else:
            tracked.finish(OUTCOME_FAILED, f"{accepted}, but reading it back shows it {tracked.status}. Check it in CertCentral before running again.")

    def achieved(self, tracked):
        if tracked.status == "revoked" or revocation_in_flight(tracked.order) is not None:
            return True
        return tracked.plan.action == CHANGE_REQUEST_REVOKE and pending_revoke_request(tracked.order) is not None

    def report_achieved(self, tracked):
        if tracked.status == "revoked":
            self._done(
                tracked,
                OUTCOME_REVOKED,
                f"{tracked.subject} was revoked (it was {tracked.status_before}): the answer was lost, and reading the order back shows it revoked.",
            )
        elif revocation_in_flight(tracked.order) is not None:
            self._report_submitted(
                tracked,
                f"The revocation of {tracked.subject.lower()} reached CertCentral: the answer was lost, and reading the "
                f"order back shows it still issued{self._shown_request(tracked)}.",
            )
        else:
            self._adopt_revoke_request(tracked, pending_revoke_request(tracked.order))
            self._done(
                tracked,
                OUTCOME_REVOKE_REQUESTED,
                f"The revocation of {tracked.subject.lower()} was requested: the answer was lost, and "
                f"reading the order back shows revoke request {tracked.request_id} awaiting approval.",
            )

    def _shown_request(self, tracked):
        """The approved revoke request the order shows for a revocation in flight, as a clause; adopts it."""
        in_flight = revocation_in_flight(tracked.order)
        if in_flight is None:
            return ""
        self._adopt_revoke_request(tracked, in_flight)
        return f", with revoke request {tracked.request_id} approved"

    def _report_submitted(self, tracked, what_happened):
        self._done(tracked, OUTCOME_REVOCATION_SUBMITTED, f"{what_happened} {_LATER}")

    # ---------------------------------------------------------------- waiting for DigiCert (wait_timeout)

    def after_act(self):
        if self.options.wait_timeout <= 0:
            return
        started = self._clock()
        deadline = started + self.options.wait_timeout
        waiting = [tracked for tracked in self.tracked_orders if tracked.outcome in _IN_FLIGHT_OUTCOMES]
        while waiting and self._clock() < deadline:
            self._sleep(max(0, min(self.options.wait_interval, deadline - self._clock())))
            self.client.map_concurrently(lambda tracked: self._look_again(tracked, self._clock() - started), waiting)
            waiting = [tracked for tracked in waiting if tracked.outcome in _IN_FLIGHT_OUTCOMES]
        for tracked in waiting:
            tracked.finish(tracked.outcome, f"{tracked.message} It did not read revoked yet when wait_timeout ({self.options.wait_timeout} seconds) ran out.")

    def _look_again(self, tracked, waited):
        """Read an order DigiCert is revoking; finish it when it reads revoked. A failed read only means not yet."""
        try:
            self.read_again(tracked)
        except Exception:  # pylint: disable=broad-except
            return
        if tracked.status != "revoked":
            return
        if tracked.outcome == OUTCOME_REVOCATION_SUBMITTED:
            self._done(
                tracked,
                OUTCOME_REVOKED,
                f"{tracked.subject} was revoked (it was {tracked.status_before}): DigiCert completed the revocation this run "
                f"sent within {max(1, round(waited))} seconds.",
            )
        else:
            tracked.finish(
                OUTCOME_ALREADY_REVOKED,
                f"{tracked.subject} is revoked: DigiCert completed the revocation that was in progress "
                f"while this run waited (revoke request {tracked.request_id}).",
            )

    @staticmethod
    def _done(tracked, outcome, message):
        """Finish ``tracked`` with a change made, saying when a revocation reason that was asked for was not sent."""
        if tracked.plan.withheld_reason is not None:
            message = f"{message} {tracked.plan.withheld_reason}"
        tracked.finish(outcome, message)

    @staticmethod
    def _adopt_revoke_request(tracked, request):
        tracked.request_id = request.get("id")
        tracked.request_status = request_status(tracked.order, tracked.request_id)
