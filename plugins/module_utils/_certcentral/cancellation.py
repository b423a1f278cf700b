# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""Canceling CertCentral orders: what to do about each order, and the run that does it safely.

plan_order() is pure: from one read of an order (order info, with its requests) and the options it decides, through
the shared cancel verdict, what the run would change and what it reports. CancellationRun carries a list of orders
through two phases on the client's worker pool and pacing:

1. Pre-flight: read every order and plan it. If any order stops the run, if more changes are planned than
   max_cancellations allows, or if the key may only read, the run ends here and nothing is changed. Check mode
   always ends here.
2. Act: for each planned change, read the order again when the pre-flight read is older than recheck_after,
   and carry out the change only if the fresh read still plans exactly that change. A write whose effect is
   unknown is judged by reading the order back; it is repeated at most once, and only when that read proves the
   first one had no effect.
"""

from __future__ import annotations

import threading
import time

from .errors import CertCentralError
from .timestamps import parse_timestamp
from .verdict import (
    ACTION_CANCEL,
    ACTION_CANCEL_REISSUE,
    ACTION_NONE,
    ACTION_REJECT_REQUEST,
    ACTION_REVOKE,
    UNDECIDED_REQUEST_STATUSES,
    cancel_verdict,
    refund_hint,
)

# Outcomes that are changes made by a real run.
OUTCOME_CANCELED = 'canceled'
OUTCOME_REISSUE_CANCELED = 'reissue_canceled'
OUTCOME_REQUEST_REJECTED = 'request_rejected'
# The same changes, planned but not made: in check mode, or when a real run stopped before acting.
OUTCOME_WOULD_CANCEL = 'would_cancel'
OUTCOME_WOULD_CANCEL_REISSUE = 'would_cancel_reissue'
OUTCOME_WOULD_REJECT_REQUEST = 'would_reject_request'
# Outcomes without a change; the same in check mode.
OUTCOME_ALREADY_CANCELED = 'already_canceled'
OUTCOME_NOTHING_TO_CANCEL = 'nothing_to_cancel'
OUTCOME_NOT_CANCELABLE = 'not_cancelable'
OUTCOME_MISSING = 'missing'
OUTCOME_FAILED = 'failed'

CHANGE_OUTCOMES = (OUTCOME_CANCELED, OUTCOME_REISSUE_CANCELED, OUTCOME_REQUEST_REJECTED)
WOULD_CHANGE_OUTCOMES = (OUTCOME_WOULD_CANCEL, OUTCOME_WOULD_CANCEL_REISSUE, OUTCOME_WOULD_REJECT_REQUEST)
OUTCOMES = CHANGE_OUTCOMES + WOULD_CHANGE_OUTCOMES + (
    OUTCOME_ALREADY_CANCELED, OUTCOME_NOTHING_TO_CANCEL, OUTCOME_NOT_CANCELABLE, OUTCOME_MISSING, OUTCOME_FAILED)

# The changes this module makes, by verdict action: (outcome when done, outcome when only planned, how to say it).
_CHANGES = {
    ACTION_CANCEL: (OUTCOME_CANCELED, OUTCOME_WOULD_CANCEL, 'cancel the order'),
    ACTION_CANCEL_REISSUE: (OUTCOME_REISSUE_CANCELED, OUTCOME_WOULD_CANCEL_REISSUE, 'cancel the pending reissue'),
    ACTION_REJECT_REQUEST: (OUTCOME_REQUEST_REJECTED, OUTCOME_WOULD_REJECT_REQUEST, 'reject the request'),
}

# DigiCert documents no limit for the note; this one keeps audit log entries readable and the request small.
NOTE_MAX_LENGTH = 1000

# An order is changed at most this many seconds after it was read: "right before acting" in DigiCert terms, where a
# status change takes a validation or a person. Under DigiCert's rate limits a run of up to about 300 orders acts on
# each order within this bound of its first read (about 12 s at 100 orders, 18 s at 200), so it reads every order
# once; longer runs read the orders that waited longer again.
DEFAULT_RECHECK_AFTER = 30

# Statuses after which nothing is left to cancel.
_FINISHED_STATUSES = ('rejected', 'revoked', 'expired')

# DigiCert's API key restriction role that disables POST, PUT and DELETE.
_VIEW_ONLY_ROLE_ID = 102
_VIEW_ONLY_ROLE_NAME = 'view only'

# Refusals that concern the key rather than one order: every further call would be refused the same way.
_KEY_REFUSAL_CODES = ('access_denied|access_denied_invalid_key', 'access_denied|missing_permission')

_ORDER_NOT_FOUND_CODE = 'not_found|order'

# How many order messages a failure message quotes before referring to the orders list.
_QUOTED_PROBLEMS = 3


# ---------------------------------------------------------------- input

def requested_order_ids(order_id=None, order_ids=None):
    """The order IDs to work on, in the order given; ValueError says what is wrong with them.

    An empty ``order_ids`` is valid and means nothing to do: a listing that found no orders feeds in unchanged.
    """
    if order_id is not None:
        name, values = 'order_id', [order_id]
    elif order_ids is not None:
        name, values = 'order_ids', list(order_ids)
    else:
        raise ValueError('One of order_id or order_ids is required.')
    wrong = [value for value in values if isinstance(value, bool) or not isinstance(value, int) or value < 1]
    if wrong:
        raise ValueError('%s must hold positive order IDs (whole numbers of 1 or more), got %s.'
                         % (name, ', '.join(repr(value) for value in wrong)))
    seen, repeated = set(), []
    for value in values:
        if value in seen and value not in repeated:
            repeated.append(value)
        seen.add(value)
    if repeated:
        raise ValueError('order_ids names some orders more than once: %s. Give each order once.'
                         % ', '.join(str(value) for value in repeated))
    return values


def normalize_note(note):
    """The note to send, without surrounding whitespace; ValueError when it is empty or too long."""
    if not isinstance(note, str) or not note.strip():
        raise ValueError('note must not be empty: CertCentral requires a note on every cancellation, and the audit '
                         'log shows it. Say why the orders are canceled.')
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValueError('note is %d characters long; at most %d are allowed.' % (len(note), NOTE_MAX_LENGTH))
    return note


class CancelOptions(object):
    """The choices of one cancel run; see the module's options of the same names."""

    def __init__(self, note, reject_pending_request=False, cancel_reissue=False, missing_ok=False,
                 fail_on_not_cancelable=True, max_cancellations=None, recheck_after=DEFAULT_RECHECK_AFTER):
        self.note = normalize_note(note)
        if max_cancellations is not None and (isinstance(max_cancellations, bool) or max_cancellations < 0):
            raise ValueError('max_cancellations must be 0 or more, got %r.' % (max_cancellations,))
        if isinstance(recheck_after, bool) or recheck_after < 0:
            raise ValueError('recheck_after must be 0 or more seconds, got %r.' % (recheck_after,))
        self.reject_pending_request = reject_pending_request
        self.cancel_reissue = cancel_reissue
        self.missing_ok = missing_ok
        self.fail_on_not_cancelable = fail_on_not_cancelable
        self.max_cancellations = max_cancellations
        self.recheck_after = recheck_after

    @classmethod
    def from_params(cls, params):
        return cls(params['note'], reject_pending_request=params['reject_pending_request'],
                   cancel_reissue=params['cancel_reissue'], missing_ok=params['missing_ok'],
                   fail_on_not_cancelable=params['fail_on_not_cancelable'],
                   max_cancellations=params['max_cancellations'], recheck_after=params['recheck_after'])


# ---------------------------------------------------------------- planning

def _order_status(order):
    """The order's status in lower case, or None."""
    status = order.get('status') if isinstance(order, dict) else None
    return status.lower() if isinstance(status, str) else None


def _requests_of(order):
    requests = order.get('requests')
    return [request for request in requests if isinstance(request, dict)] if isinstance(requests, list) else []


def _request_status(order, request_id):
    """The status of the order's request ``request_id`` in lower case, or None."""
    if request_id is None:
        return None
    for request in _requests_of(order):
        if request.get('id') == request_id:
            status = request.get('status')
            return status.lower() if isinstance(status, str) else status
    return None


def _newest_request(order, request_type):
    """The order's newest request of this type, by date and then by ID, or None."""
    candidates = [request for request in _requests_of(order) if request.get('type') == request_type]
    if not candidates:
        return None

    def age_key(request):
        date = parse_timestamp(request.get('date'))
        request_id = request.get('id')
        return (date is not None, date.timestamp() if date is not None else 0,
                request_id if isinstance(request_id, int) else 0)

    return max(candidates, key=age_key)


def _has_undecided(order, request_type):
    return any(request.get('type') == request_type and str(request.get('status', '')).lower() in UNDECIDED_REQUEST_STATUSES
               for request in _requests_of(order))


class Plan(object):
    """What a run does about one order, decided from one read of it.

    ``action`` is the verdict action to carry out (cancel, cancel_reissue, reject_request), or None when the order
    needs no change; ``outcome`` is then final. ``request_id`` is the request the change rejects: the approval
    request, or the reissue request that canceling a reissue rejects.
    """

    def __init__(self, verdict, outcome, message, action=None, request_id=None, refund_hint=None):
        self.verdict = verdict
        self.outcome = outcome
        self.message = message
        self.action = action
        self.request_id = request_id
        self.refund_hint = refund_hint

    def same_change_as(self, other):
        return self.action == other.action and self.request_id == other.request_id


def _change(verdict, action, message, request_id=None, refund=None):
    return Plan(verdict, _CHANGES[action][0], message, action=action, request_id=request_id, refund_hint=refund)


def plan_order(order, options):
    """Plan ``order`` (as order info returns it, with its requests) under ``options`` (a CancelOptions)."""
    verdict = cancel_verdict(order)
    subject = 'Order %s' % order.get('id')
    status = _order_status(order)
    action = verdict['action']
    reason = verdict['reason']

    if action == ACTION_CANCEL:
        return _change(verdict, ACTION_CANCEL, reason, refund=verdict['refund_hint'])

    if action == ACTION_CANCEL_REISSUE:
        if not options.cancel_reissue:
            return Plan(verdict, OUTCOME_NOT_CANCELABLE,
                        '%s It was left alone because cancel_reissue is false; set cancel_reissue=true to cancel the '
                        'pending reissue.' % reason)
        reissue = _newest_request(order, 'reissue')
        return _change(verdict, ACTION_CANCEL_REISSUE, reason, request_id=reissue.get('id') if reissue else None)

    if action == ACTION_REJECT_REQUEST:
        request_id = verdict['request_id']
        if request_id is None:
            rejected = _newest_request(order, 'new_request')
            if status == 'needs_approval' and rejected is not None and _request_status(order, rejected.get('id')) == 'rejected':
                return Plan(verdict, OUTCOME_NOTHING_TO_CANCEL,
                            '%s needs approval, but its request %s was already rejected; there is nothing to cancel.'
                            % (subject, rejected.get('id')))
            return Plan(verdict, OUTCOME_NOT_CANCELABLE,
                        '%s No request awaiting approval is listed on the order, so there is no request this module '
                        'could reject; check Certificates > Requests in CertCentral.' % reason)
        if not options.reject_pending_request:
            return Plan(verdict, OUTCOME_NOT_CANCELABLE,
                        '%s It was left alone because reject_pending_request is false; set reject_pending_request=true '
                        'to reject request %s with the note as processor comment.' % (reason, request_id))
        return _change(verdict, ACTION_REJECT_REQUEST,
                       '%s With reject_pending_request=true, request %s is rejected with the note as processor comment.'
                       % (reason, request_id), request_id=request_id)

    if action == ACTION_REVOKE and status == 'issued' and options.cancel_reissue:
        reissue = _newest_request(order, 'reissue')
        if (reissue is not None and _request_status(order, reissue.get('id')) == 'rejected'
                and not _has_undecided(order, 'reissue')):
            return Plan(verdict, OUTCOME_NOTHING_TO_CANCEL,
                        '%s is issued and no reissue is pending: its newest reissue request %s was rejected, as '
                        'canceling a reissue does. There is nothing to cancel.' % (subject, reissue.get('id')))

    if action == ACTION_NONE and status == 'canceled':
        return Plan(verdict, OUTCOME_ALREADY_CANCELED, reason, refund_hint=refund_hint(order))
    if action == ACTION_NONE and status in _FINISHED_STATUSES:
        return Plan(verdict, OUTCOME_NOTHING_TO_CANCEL, reason)
    # Issued (too late), a generated client reissue, or a status this collection does not act on.
    return Plan(verdict, OUTCOME_NOT_CANCELABLE, reason)


def stops_run(outcome, options):
    """Whether an order with this outcome makes the task fail."""
    if outcome == OUTCOME_FAILED:
        return True
    if outcome == OUTCOME_MISSING:
        return not options.missing_ok
    if outcome == OUTCOME_NOT_CANCELABLE:
        return options.fail_on_not_cancelable
    return False


def summarize(outcomes):
    """A count for every outcome name, zero included, so that ``summary.canceled`` always exists."""
    summary = dict((outcome, 0) for outcome in OUTCOMES)
    for outcome in outcomes:
        summary[outcome] += 1
    return summary


def _predicted_state(state, outcome):
    """The state a planned change would leave behind."""
    predicted = dict(state)
    if outcome == OUTCOME_WOULD_CANCEL:
        predicted['status'] = 'canceled'
    elif outcome == OUTCOME_WOULD_CANCEL_REISSUE:
        predicted['status'] = 'issued'
    if outcome in (OUTCOME_WOULD_CANCEL_REISSUE, OUTCOME_WOULD_REJECT_REQUEST) and 'request' in predicted:
        predicted['request'] = dict(predicted['request'], status='rejected')
    return predicted


def build_diff(records, check_mode):
    """The ``diff`` of a run: each order's status (and that of the request a change rejects) before and after.

    ``records`` are dicts with ``id``, ``status_before``, ``status``, ``outcome`` and, when a request is involved,
    ``request_id``, ``request_status_before`` and ``request_status``. In check mode the after side shows what the
    planned changes would leave behind. Orders are keyed by their ID as text, in the order given.
    """
    before, after = {}, {}
    for record in records:
        old = dict(status=record['status_before'])
        new = dict(status=record['status'])
        if record.get('request_id') is not None:
            old['request'] = dict(id=record['request_id'], status=record.get('request_status_before'))
            new['request'] = dict(id=record['request_id'], status=record.get('request_status'))
        if check_mode:
            new = _predicted_state(new, record['outcome'])
        key = str(record['id'])
        before[key] = old
        after[key] = new
    return dict(before=dict(orders=before), after=dict(orders=after))


# ---------------------------------------------------------------- the run

def _is_key_refusal(error):
    return error.http_status in (401, 403) and (error.http_status == 401 or error.error_code in _KEY_REFUSAL_CODES)


def _is_view_only(user):
    roles = user.get('access_roles')
    if not isinstance(roles, list) or not roles:
        return False
    return all(isinstance(role, dict) and (role.get('id') == _VIEW_ONLY_ROLE_ID
                                           or str(role.get('name', '')).strip().lower() == _VIEW_ONLY_ROLE_NAME)
               for role in roles)


class _OrderRun(object):
    """One requested order on its way through the run."""

    def __init__(self, order_id):
        self.order_id = order_id
        self.subject = 'Order %s' % order_id
        self.order = None
        self.read_at = None
        self.status_before = None
        self.status = None
        self.plan = None
        self.verdict = None
        self.outcome = None
        self.message = None
        self.refund_hint = None
        self.request_id = None
        self.request_status_before = None
        self.request_status = None

    def read(self, order, read_at):
        """Take a fresh read of the order."""
        self.order = order
        self.read_at = read_at
        self.status = _order_status(order)
        if self.request_id is not None:
            self.request_status = _request_status(order, self.request_id)

    def planned(self, plan):
        """Adopt the pre-flight plan; its outcome stands unless the run acts."""
        self.plan = plan
        self.verdict = plan.verdict
        self.status_before = self.status
        self.request_id = plan.request_id if plan.action is not None else None
        self.request_status_before = self.request_status = _request_status(self.order, self.request_id)
        self.finish(plan.outcome, plan.message, plan.refund_hint)

    def stop_before_acting(self):
        """The run ends before this planned change: report it in its would_* form."""
        if self.plan is not None and self.plan.action is not None:
            self.finish(_CHANGES[self.plan.action][1], self.plan.message, self.plan.refund_hint)

    def finish(self, outcome, message, refund=None):
        self.outcome = outcome
        self.message = message
        self.refund_hint = refund

    @property
    def what(self):
        return _CHANGES[self.plan.action][2]

    def result(self):
        return dict(id=self.order_id, status_before=self.status_before, status=self.status,
                    cancel_verdict=self.verdict, outcome=self.outcome, message=self.message,
                    refund_hint=self.refund_hint, request_id=self.request_id)

    def diff_record(self):
        return dict(id=self.order_id, status_before=self.status_before, status=self.status, outcome=self.outcome,
                    request_id=self.request_id, request_status_before=self.request_status_before,
                    request_status=self.request_status)


class RunReport(object):
    """What a run returns: the order entries, the summary, whether anything changed, and why it failed if it did."""

    def __init__(self, runs, check_mode, failure=None):
        self.orders = [run.result() for run in runs]
        self.summary = summarize(run.outcome for run in runs)
        # A check run that would fail predicts a real run that changes nothing.
        would_change = check_mode and failure is None and any(run.outcome in WOULD_CHANGE_OUTCOMES for run in runs)
        self.changed = would_change or any(run.outcome in CHANGE_OUTCOMES for run in runs)
        self.diff = build_diff([run.diff_record() for run in runs], check_mode)
        self.failure = failure


def _first_sentence(text):
    return text.split('. ', 1)[0].rstrip('.')


def _quote_problems(runs):
    quoted = ' '.join(run.message for run in runs[:_QUOTED_PROBLEMS])
    if len(runs) > _QUOTED_PROBLEMS:
        quoted += ' (%d more; see orders.)' % (len(runs) - _QUOTED_PROBLEMS)
    return quoted


class CancellationRun(object):
    """Cancels (or, in check mode, plans to cancel) a list of orders with a CertCentralClient.

    ``clock`` measures the age of reads for recheck_after; it must be monotonic.
    """

    def __init__(self, client, order_ids, options, check_mode=False, clock=time.monotonic):
        self.client = client
        self.options = options
        self.check_mode = check_mode
        self._clock = clock
        self._runs = [_OrderRun(order_id) for order_id in order_ids]
        # Set by the first call refused because of the key; later calls would only be refused the same way.
        self._key_refusal = None
        self._key_refusal_lock = threading.Lock()

    def execute(self):
        """Run both phases and return a RunReport. Errors of single calls end up in the orders, never raised."""
        self.client.map_concurrently(self._preflight, self._runs)

        stopping = [run for run in self._runs if stops_run(run.outcome, self.options)]
        if stopping:
            return self._stop('Nothing was changed: %d of %d orders stop the run. %s'
                              % (len(stopping), len(self._runs), _quote_problems(stopping)))

        planned = [run for run in self._runs if run.plan is not None and run.plan.action is not None]
        limit = self.options.max_cancellations
        if limit is not None and len(planned) > limit:
            return self._stop('Nothing was changed: %d orders would be changed (%s), more than max_cancellations=%d '
                              'allows. If that many is intended, set max_cancellations to %d or more; otherwise pass '
                              'fewer orders.' % (len(planned), self._count_changes(planned), limit, len(planned)))
        if planned and self._key_is_view_only():
            return self._stop('Nothing was changed: the API key is restricted to View Only (GET /user/me shows its '
                              'access_roles), so it can read orders but cannot cancel them or reject requests. Use a '
                              'key with the Orders role, or one without role restrictions.')
        if self.check_mode:
            return self._stop(None)

        self.client.map_concurrently(self._act, planned)
        problems = [run for run in self._runs if stops_run(run.outcome, self.options)]
        failure = None
        if problems:
            done = sum(1 for run in self._runs if run.outcome in CHANGE_OUTCOMES)
            failure = ('%d of %d orders were not processed as asked (%d changed). %s'
                       % (len(problems), len(self._runs), done, _quote_problems(problems)))
        return RunReport(self._runs, self.check_mode, failure)

    # ---------------------------------------------------------------- phase 1

    def _stop(self, failure):
        for run in self._runs:
            run.stop_before_acting()
        return RunReport(self._runs, self.check_mode, failure)

    @staticmethod
    def _count_changes(runs):
        counts = {}
        for run in runs:
            counts[run.plan.outcome] = counts.get(run.plan.outcome, 0) + 1
        return ', '.join('%d %s' % (counts[outcome], outcome) for outcome in CHANGE_OUTCOMES if outcome in counts)

    def _preflight(self, run):
        try:
            order = self._read(run.order_id)
        except CertCentralError as error:
            # Only DigiCert's own "no such order" counts as missing: a 404 for a wrong api_url must not be skipped.
            if error.http_status == 404 and error.error_code == _ORDER_NOT_FOUND_CODE:
                advice = ('It is skipped because missing_ok is true.' if self.options.missing_ok
                          else 'Set missing_ok=true to skip orders that do not exist.')
                run.finish(OUTCOME_MISSING, '%s %s' % (error, advice))
            else:
                run.finish(OUTCOME_FAILED, str(error))
            return
        run.read(order, self._clock())
        run.planned(plan_order(order, self.options))

    def _read(self, order_id):
        """Order info for ``order_id``; raises CertCentralError, also when the key was refused before."""
        refusal = self._key_refusal
        if refusal is not None:
            raise CertCentralError('Order %s was not read: the API key was refused on an earlier call. %s'
                                   % (order_id, refusal), order_id=order_id)
        try:
            order = self.client.get_order(order_id)
        except CertCentralError as error:
            self._note_key_refusal(error)
            raise
        if order.get('id') != order_id:
            # The path also takes a certificate's serial number or thumbprint: never act on an order not asked for.
            raise CertCentralError('CertCentral answered the read of order %s with order %r; that order is not '
                                   'acted on. Check the order ID.' % (order_id, order.get('id')), order_id=order_id)
        return order

    def _note_key_refusal(self, error):
        if _is_key_refusal(error):
            with self._key_refusal_lock:
                if self._key_refusal is None:
                    self._key_refusal = error

    def _key_is_view_only(self):
        try:
            user = self.client.get_current_user()
        except CertCentralError:
            # A key restricted to orders may not read its user. Nothing is lost: CertCentral refuses a write the
            # key may not make, and the order is then reported as failed.
            return False
        return _is_view_only(user)

    # ---------------------------------------------------------------- phase 2

    def _act(self, run):
        if self.options.recheck_after == 0 or self._clock() - run.read_at >= self.options.recheck_after:
            try:
                order = self._read(run.order_id)
            except CertCentralError as error:
                run.finish(OUTCOME_FAILED, '%s was not acted on: reading it again before acting failed. %s'
                           % (run.subject, error))
                return
            run.read(order, self._clock())
            fresh = plan_order(order, self.options)
            if not fresh.same_change_as(run.plan):
                self._report_changed_order(run, fresh)
                return
        self._write(run, attempt=1)

    def _report_changed_order(self, run, fresh):
        """The order moved on since the plan; report what it is now and never act on the new plan."""
        run.verdict = fresh.verdict
        changed = ('%s changed since it was first read (it was %s, now it is %s), so this run did not %s.'
                   % (run.subject, run.status_before, run.status, run.what))
        if fresh.action is None:
            run.finish(fresh.outcome, '%s %s' % (changed, fresh.message), fresh.refund_hint)
        else:
            run.finish(OUTCOME_NOT_CANCELABLE, '%s %s Run again to act on its current status.'
                       % (changed, fresh.message))

    def _write(self, run, attempt):
        if self._key_refusal is not None:
            run.finish(OUTCOME_FAILED, '%s was not acted on: the API key was refused on an earlier call. %s'
                       % (run.subject, self._key_refusal))
            return
        try:
            if run.plan.action == ACTION_REJECT_REQUEST:
                self.client.reject_request(run.request_id, self.options.note)
            else:
                self.client.cancel_order(run.order_id, self.options.note)
        except CertCentralError as error:
            self._note_key_refusal(error)
            if error.outcome_unknown:
                self._settle_unknown(run, error, attempt)
            elif error.http_status is not None and 400 <= error.http_status < 500 and error.http_status not in (401, 403, 429):
                self._settle_refusal(run, error)
            else:
                # Refused for the key, throttled throughout, or never arrived: nothing was changed.
                run.finish(OUTCOME_FAILED, '%s: could not %s. %s' % (run.subject, run.what, error))
            return
        self._settle_success(run)

    def _settle_success(self, run):
        action = run.plan.action
        if action == ACTION_CANCEL:
            run.status = 'canceled'
            run.finish(OUTCOME_CANCELED, '%s was canceled (it was %s); the note is in the CertCentral audit log.'
                       % (run.subject, run.status_before), run.plan.refund_hint)
        elif action == ACTION_CANCEL_REISSUE:
            # Documented: the order returns to issued and the reissue request becomes rejected.
            run.status = 'issued'
            if run.request_id is not None:
                run.request_status = 'rejected'
            run.finish(OUTCOME_REISSUE_CANCELED, 'The pending reissue of %s was canceled; the order is issued again '
                       'with its current certificate.' % run.subject.lower())
        else:
            message = ('Request %s of %s was rejected, with the note as processor comment.'
                       % (run.request_id, run.subject.lower()))
            # What rejecting does to the order's status is not documented: read it rather than guess.
            try:
                run.read(self._read(run.order_id), self._clock())
                message += ' The order is now %s.' % run.status
            except CertCentralError as error:
                run.status = None
                run.request_status = 'rejected'
                message += ' Its status could not be read back: %s' % error
            run.finish(OUTCOME_REQUEST_REJECTED, message)

    def _achieved(self, run):
        action = run.plan.action
        if action == ACTION_CANCEL:
            return run.status == 'canceled'
        if action == ACTION_CANCEL_REISSUE:
            return run.status == 'issued' and run.request_status == 'rejected'
        return run.request_status == 'rejected'

    def _settle_unknown(self, run, error, attempt):
        """The write may or may not have been applied: judge by reading the order back, never by guessing."""
        try:
            run.read(self._read(run.order_id), self._clock())
        except CertCentralError as read_error:
            run.status = None
            run.finish(OUTCOME_FAILED, '%s: whether the attempt to %s took effect is unknown. %s Reading the order '
                       'back failed as well: %s Check it in CertCentral before running again.'
                       % (run.subject, run.what, error, read_error))
            return
        if self._achieved(run):
            if run.plan.action == ACTION_CANCEL:
                run.finish(OUTCOME_CANCELED, '%s was canceled (it was %s): the answer was lost, and reading the order '
                           'back shows it canceled.' % (run.subject, run.status_before), run.plan.refund_hint)
            elif run.plan.action == ACTION_CANCEL_REISSUE:
                run.finish(OUTCOME_REISSUE_CANCELED, 'The pending reissue of %s was canceled: the answer was lost, '
                           'and reading the order back shows it issued with reissue request %s rejected.'
                           % (run.subject.lower(), run.request_id))
            else:
                run.finish(OUTCOME_REQUEST_REJECTED, 'Request %s of %s was rejected: the answer was lost, and reading '
                           'the order back shows the request rejected. The order is now %s.'
                           % (run.request_id, run.subject.lower(), run.status))
            return
        unchanged = (run.status == run.status_before and plan_order(run.order, self.options).same_change_as(run.plan))
        if unchanged and attempt <= self.client.retries:
            # The read proves this attempt had no effect, so another one cannot do anything twice. The attempts are
            # bounded by the same retries option as every other call.
            self.client.pause_before_retry('%s (%s)' % (run.subject, run.what), 'had no visible effect after %s'
                                           % _first_sentence(str(error)), attempt)
            self._write(run, attempt + 1)
            return
        if unchanged:
            known = ('None of the %d attempts had a visible effect: the order is still %s.' % (attempt, run.status)
                     if attempt > 1 else 'The attempt had no visible effect: the order is still %s.' % run.status)
        else:
            known = 'Reading it back shows it %s, which this run did not cause in any way it can tell.' % run.status
        run.finish(OUTCOME_FAILED, '%s: the attempt to %s ended without a clear answer. %s %s Check it in CertCentral '
                   'before running again.' % (run.subject, run.what, error, known))

    def _settle_refusal(self, run, error):
        """CertCentral refused the write, so nothing changed; the order's status tells whether it moved on."""
        try:
            run.read(self._read(run.order_id), self._clock())
        except CertCentralError as read_error:
            run.status = None
            run.finish(OUTCOME_FAILED, '%s: could not %s. %s Reading the order back failed as well: %s'
                       % (run.subject, run.what, error, read_error))
            return
        fresh = plan_order(run.order, self.options)
        run.verdict = fresh.verdict
        if fresh.same_change_as(run.plan) and run.status == run.status_before:
            # Not a status problem: the order could still be changed, so this is a failure, not a verdict.
            run.finish(OUTCOME_FAILED, '%s: could not %s, although it is still %s. %s'
                       % (run.subject, run.what, run.status, error))
        elif fresh.action is None and fresh.outcome in (OUTCOME_ALREADY_CANCELED, OUTCOME_NOTHING_TO_CANCEL):
            run.finish(fresh.outcome, '%s changed under this run (it was %s, now it is %s); CertCentral refused the '
                       'change: %s %s' % (run.subject, run.status_before, run.status, error, fresh.message),
                       fresh.refund_hint)
        else:
            run.finish(OUTCOME_NOT_CANCELABLE, '%s changed under this run (it was %s, now it is %s), so this run did '
                       'not %s. %s %s' % (run.subject, run.status_before, run.status, run.what, error, fresh.message))
