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

from .bulk import (
    OUTCOME_FAILED,
    OUTCOME_MISSING,
    BulkOptions,
    BulkRun,
    Plan as BasePlan,
    normalize_text,
    order_status,
    request_status,
)
from .errors import CertCentralError, describe_call
from .verdict import (
    ACTION_APPROVE_REQUEST,
    ACTION_REVOKE,
    NOTHING_TO_REVOKE_STATUSES,
    pending_revoke_request,
    revoke_verdict,
    takes_revocation_reason,
)

# Outcomes that are changes made by a real run.
OUTCOME_REVOKED = 'revoked'
OUTCOME_REVOKE_REQUESTED = 'revoke_requested'
# The same changes, planned but not made: in check mode, or when a real run stopped before acting.
OUTCOME_WOULD_REVOKE = 'would_revoke'
OUTCOME_WOULD_REQUEST_REVOKE = 'would_request_revoke'
# Outcomes without a change; the same in check mode.
OUTCOME_ALREADY_REVOKED = 'already_revoked'
OUTCOME_REVOKE_ALREADY_REQUESTED = 'revoke_already_requested'
OUTCOME_NOTHING_TO_REVOKE = 'nothing_to_revoke'
OUTCOME_NOT_REVOCABLE = 'not_revocable'

CHANGE_OUTCOMES = (OUTCOME_REVOKED, OUTCOME_REVOKE_REQUESTED)
WOULD_CHANGE_OUTCOMES = (OUTCOME_WOULD_REVOKE, OUTCOME_WOULD_REQUEST_REVOKE)
OUTCOMES = CHANGE_OUTCOMES + WOULD_CHANGE_OUTCOMES + (
    OUTCOME_ALREADY_REVOKED, OUTCOME_REVOKE_ALREADY_REQUESTED, OUTCOME_NOTHING_TO_REVOKE, OUTCOME_NOT_REVOCABLE,
    OUTCOME_MISSING, OUTCOME_FAILED)

# The two ways to revoke an order: at once (skip_approval, an admin's key), or by a revoke request for an approver.
CHANGE_REVOKE = 'revoke'
CHANGE_REQUEST_REVOKE = 'request_revoke'
# By plan action: (outcome when done, outcome when only planned, how to say it).
_CHANGES = {
    CHANGE_REVOKE: (OUTCOME_REVOKED, OUTCOME_WOULD_REVOKE, 'revoke the order'),
    CHANGE_REQUEST_REVOKE: (OUTCOME_REVOKE_REQUESTED, OUTCOME_WOULD_REQUEST_REVOKE, 'request the revocation of the order'),
}

# DigiCert documents no limit for the comments; this one matches the cancel note's.
COMMENTS_MAX_LENGTH = 1000

# DigiCert's documented list of revocation reasons is cut off after its example (superseded). These are the RFC 5280
# reasons that a certificate's subscriber may give; any other reason is for the CA to use.
REVOCATION_REASONS = ('unspecified', 'key_compromise', 'affiliation_changed', 'superseded', 'cessation_of_operation')

_MISSING_PERMISSION_CODE = 'access_denied|missing_permission'


# ---------------------------------------------------------------- input

def normalize_comments(comments):
    """The comments to send, without surrounding whitespace; ValueError when they are empty or too long."""
    return normalize_text('comments', comments, COMMENTS_MAX_LENGTH, 'an approver decides on the revoke request by '
                          'them, and they stay with it. Say why the certificates are revoked.')


class RevokeOptions(BulkOptions):
    """The choices of one revoke run; see the module's options of the same names."""

    limit_option = 'max_revocations'

    def __init__(self, comments, revocation_reason=None, skip_approval=False, missing_ok=False,
                 fail_on_not_revocable=True, max_revocations=None):
        self.comments = normalize_comments(comments)
        if revocation_reason is not None and revocation_reason not in REVOCATION_REASONS:
            raise ValueError('revocation_reason must be one of %s, got %r.'
                             % (', '.join(REVOCATION_REASONS), revocation_reason))
        super(RevokeOptions, self).__init__(missing_ok, fail_on_not_revocable, max_revocations)
        self.revocation_reason = revocation_reason
        self.skip_approval = skip_approval

    @property
    def fail_on_not_revocable(self):
        return self.fail_on_not_possible

    @property
    def max_revocations(self):
        return self.max_changes

    @classmethod
    def from_params(cls, params):
        return cls(params['comments'], revocation_reason=params['revocation_reason'],
                   skip_approval=params['skip_approval'], missing_ok=params['missing_ok'],
                   fail_on_not_revocable=params['fail_on_not_revocable'],
                   max_revocations=params['max_revocations'])


# ---------------------------------------------------------------- planning

class Plan(BasePlan):
    """A revoke plan. ``revocation_reason`` is the reason to send with the change (None: send none), and
    ``withheld_reason`` the sentence saying why a reason that was asked for is not sent (else None)."""

    def __init__(self, verdict, outcome, message, action=None, request_id=None, revocation_reason=None,
                 withheld_reason=None):
        super(Plan, self).__init__(verdict, outcome, message, action=action, request_id=request_id)
        self.revocation_reason = revocation_reason
        self.withheld_reason = withheld_reason


def plan_order(order, options):
    """Plan ``order`` (as order info returns it, with its requests) under ``options`` (a RevokeOptions)."""
    verdict = revoke_verdict(order)
    action = verdict['action']
    reason = verdict['reason']

    if action == ACTION_REVOKE:
        if options.skip_approval:
            change, how = CHANGE_REVOKE, 'With skip_approval, it is revoked at once.'
        else:
            change, how = CHANGE_REQUEST_REVOKE, ('Without skip_approval, a revoke request is created that an approver '
                                                  'must approve; the order stays issued until then.')
        reason_to_send, withheld = options.revocation_reason, None
        if reason_to_send is not None and not takes_revocation_reason(order):
            reason_to_send = None
            withheld = ('revocation_reason=%s is not sent: DigiCert applies a revocation reason to TLS certificates '
                        'only, and this is a client certificate order.' % options.revocation_reason)
        message = ' '.join(part for part in (reason, how, withheld) if part)
        return Plan(verdict, _CHANGES[change][0], message, action=change, revocation_reason=reason_to_send,
                    withheld_reason=withheld)

    if action == ACTION_APPROVE_REQUEST:
        message = reason
        if options.skip_approval:
            message += (' No second revoke is sent while that request is pending, skip_approval or not: approve the '
                        'request to revoke the order now.')
        return Plan(verdict, OUTCOME_REVOKE_ALREADY_REQUESTED, message, request_id=pending_revoke_request(order).get('id'))

    status = order_status(order)
    if status == 'revoked':
        return Plan(verdict, OUTCOME_ALREADY_REVOKED, reason)
    if status in NOTHING_TO_REVOKE_STATUSES:
        return Plan(verdict, OUTCOME_NOTHING_TO_REVOKE, reason)
    # Not issued yet (cancel instead), a pending reissue (cancel it first), or a status this collection does not act on.
    return Plan(verdict, OUTCOME_NOT_REVOCABLE, reason)


def _predicted_state(state, outcome):
    """The state a planned change would leave behind; a request yet to be created has no ID."""
    predicted = dict(state)
    if outcome == OUTCOME_WOULD_REVOKE:
        predicted['status'] = 'revoked'
    elif outcome == OUTCOME_WOULD_REQUEST_REVOKE:
        predicted['request'] = dict(id=None, status='pending')
    return predicted


def _created_request_id(answer):
    """The ID of the revoke request in CertCentral's answer, or None when the answer holds none."""
    request_id = answer.get('id') if isinstance(answer, dict) else None
    return request_id if isinstance(request_id, int) and not isinstance(request_id, bool) else None


# ---------------------------------------------------------------- the run

class RevocationRun(BulkRun):
    """Revokes (or, in check mode, plans to revoke) the certificates of a list of orders with a CertCentralClient."""

    CHANGES = _CHANGES
    OUTCOMES = OUTCOMES
    CHANGE_OUTCOMES = CHANGE_OUTCOMES
    WOULD_CHANGE_OUTCOMES = WOULD_CHANGE_OUTCOMES
    OUTCOME_NOT_POSSIBLE = OUTCOME_NOT_REVOCABLE
    SETTLED_OUTCOMES = (OUTCOME_ALREADY_REVOKED, OUTCOME_REVOKE_ALREADY_REQUESTED, OUTCOME_NOTHING_TO_REVOKE)
    VIEW_ONLY_REFUSAL = ('Nothing was changed: the API key is restricted to View Only (GET /user/me shows its '
                         'access_roles), so it can read orders but cannot revoke them. Use a key with the Orders role, '
                         'or one without role restrictions; skip_approval also needs a key with admin privileges.')

    def plan(self, order):
        return plan_order(order, self.options)

    def predict(self, state, outcome):
        return _predicted_state(state, outcome)

    def entry(self, run):
        return dict(id=run.order_id, status_before=run.status_before, status=run.status, revoke_verdict=run.verdict,
                    outcome=run.outcome, message=run.message, request_id=run.request_id)

    def send(self, run):
        return self.client.revoke_order(run.order_id, self.options.comments,
                                        revocation_reason=run.plan.revocation_reason,
                                        skip_approval=run.plan.action == CHANGE_REVOKE)

    def explain_refusal(self, run, error):
        if run.plan.action == CHANGE_REVOKE and error.http_status == 403 and error.error_code == _MISSING_PERMISSION_CODE:
            said = ' CertCentral said: "%s"' % error.error_message.strip() if error.error_message else ''
            return ('CertCentral refused %s (HTTP 403 %s): skip_approval needs an API key with admin privileges (and a '
                    'View Only key may not revoke at all). Run without skip_approval to create revoke requests that an '
                    'approver approves, or use an administrator\'s key.%s'
                    % (describe_call(error.method, error.path, run.order_id), error.error_code, said))
        return str(error)

    def settle_success(self, run, answer):
        request_id = _created_request_id(answer)
        if request_id is not None:
            run.request_id = request_id
            status = answer.get('status')
            run.request_status = status.lower() if isinstance(status, str) else None
            self._done(run, OUTCOME_REVOKE_REQUESTED, 'Revoke request %s was created for %s; it awaits approval '
                       '(Certificates > Requests in CertCentral), and the order stays %s until an approver approves it.'
                       % (request_id, run.subject.lower(), run.status))
            return
        # Revoked at once: the answer has no body. What that leaves the order's status at is not documented, so it is
        # read rather than guessed.
        accepted = 'CertCentral accepted the revocation of %s (it was %s)' % (run.subject.lower(), run.status_before)
        try:
            self._read_again(run)
        except CertCentralError as error:
            run.status = None
            self._done(run, self.CHANGES[run.plan.action][0], '%s, but its status could not be read back: %s'
                       % (accepted, error))
            return
        if run.status == 'revoked':
            self._done(run, OUTCOME_REVOKED, '%s was revoked (it was %s)%s; CertCentral now shows it revoked.'
                       % (run.subject, run.status_before,
                          ', with skip_approval and no approval step' if run.plan.action == CHANGE_REVOKE else ''))
        elif self.achieved(run):
            self._adopt_pending_request(run)
            self._done(run, OUTCOME_REVOKE_REQUESTED, '%s without naming a revoke request; reading the order back shows '
                       'revoke request %s awaiting approval.' % (accepted, run.request_id))
        else:
            # A revocation that cannot be confirmed must not pass as done.
            run.finish(OUTCOME_FAILED, '%s, but reading it back shows it %s. Check it in CertCentral before running '
                       'again: another run would send the revocation again.' % (accepted, run.status))

    def achieved(self, run):
        if run.status == 'revoked':
            return True
        return run.plan.action == CHANGE_REQUEST_REVOKE and pending_revoke_request(run.order) is not None

    def report_achieved(self, run):
        if run.status == 'revoked':
            self._done(run, OUTCOME_REVOKED, '%s was revoked (it was %s): the answer was lost, and reading the order back '
                       'shows it revoked.' % (run.subject, run.status_before))
            return
        self._adopt_pending_request(run)
        self._done(run, OUTCOME_REVOKE_REQUESTED, 'The revocation of %s was requested: the answer was lost, and reading the '
                   'order back shows revoke request %s awaiting approval.' % (run.subject.lower(), run.request_id))

    @staticmethod
    def _done(run, outcome, message):
        """Finish ``run`` with a change made, saying when a revocation reason that was asked for was not sent."""
        if run.plan.withheld_reason is not None:
            message = '%s %s' % (message, run.plan.withheld_reason)
        run.finish(outcome, message)

    @staticmethod
    def _adopt_pending_request(run):
        run.request_id = pending_revoke_request(run.order).get('id')
        run.request_status = request_status(run.order, run.request_id)
