# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""Changing a list of CertCentral orders safely: the two-phase run that the cancel and revoke modules share.

A run carries the requested orders through two phases on the client's worker pool and pacing:

1. Pre-flight: plan every order, from a read of it or, for an order a listing showed in a status the listing alone
   can plan (see LISTING_PLANNED_ACTIONS), from that listing. If any order stops the run, if more changes are
   planned than the run's limit allows, or if the key may only read, the run ends here and nothing is changed.
   Check mode always ends here.
2. Act: for each planned change, read the order right before acting, and carry out the change only if that read
   still plans exactly that change. No earlier read counts, however young: someone else can change an order at any
   moment, and the same status call cancels a pending order or a pending reissue, whichever the order has now. A
   write whose effect is unknown is judged by reading the order back; it is sent again, at most ``retries`` times,
   only when that read proves the previous attempt had no effect.

A module describes its change in a subclass of BulkRun (how to plan an order, how to send the change, how to tell
from a read that it took effect); the phases, the safety checks and the messages about them live here.
"""

from __future__ import annotations

import threading
import unicodedata

from .errors import CertCentralError
from .verdict import request_state

# Outcomes every run has, with the same meaning.
OUTCOME_MISSING = 'missing'
OUTCOME_FAILED = 'failed'

# DigiCert's API key restriction role that disables POST, PUT and DELETE.
_VIEW_ONLY_ROLE_ID = 102
_VIEW_ONLY_ROLE_NAME = 'view only'

# Refusals that concern the key rather than one order: every further call would be refused the same way.
_KEY_REFUSAL_CODES = ('access_denied|access_denied_invalid_key', 'access_denied|missing_permission')

_ORDER_NOT_FOUND_CODE = 'not_found|order'

# Unicode categories of the characters text must not carry into CertCentral or messages: controls (C0, DEL, C1) and
# the line and paragraph separators.
_CONTROL_CATEGORIES = ('Cc', 'Zl', 'Zp')

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
    _refuse_repeated('order_ids', values)
    return values


def _refuse_repeated(name, order_ids):
    """ValueError naming the option ``name`` when ``order_ids`` holds an order more than once."""
    seen, repeated = set(), []
    for value in order_ids:
        if value in seen and value not in repeated:
            repeated.append(value)
        seen.add(value)
    if repeated:
        raise ValueError('%s names some orders more than once: %s. Give each order once.'
                         % (name, ', '.join(str(value) for value in repeated)))


def listed_orders(entries):
    """The orders of ``entries`` (order entries as digicert_order_info returns them), in the order given.

    Returns the IDs and, by ID, each entry in the shape of order info, as far as a listing shows the order: its
    status, product and payment method, and its requests only when the listing read them (``details``). ValueError
    says what is wrong with the entries.
    """
    if not isinstance(entries, list):
        raise ValueError('orders must be a list of order entries as digicert_order_info returns them.')
    order_ids, shaped = [], {}
    for position, entry in enumerate(entries, start=1):
        order_id = entry.get('id') if isinstance(entry, dict) else None
        status = entry.get('status') if isinstance(entry, dict) else None
        if isinstance(order_id, bool) or not isinstance(order_id, int) or order_id < 1 or not isinstance(status, str):
            raise ValueError('Entry %d of orders is not an order entry of digicert_order_info: each entry needs an id '
                             '(a positive whole number) and a status (text), got %r. Pass the orders as '
                             'digicert_order_info returned them, or their IDs as order_ids.' % (position, entry))
        order_ids.append(order_id)
        requests = entry.get('requests')
        problem = requests_problem(requests)
        if problem is not None:
            raise ValueError('Entry %d of orders (order %s) cannot be used: %s. Pass the orders as digicert_order_info '
                             'returned them, or their IDs as order_ids.' % (position, order_id, problem))
        shaped[order_id] = dict(id=order_id, status=status,
                                product=dict(name_id=entry.get('product_name_id'), type=entry.get('product_type')),
                                payment_method=entry.get('payment_method'))
        if isinstance(requests, list):
            shaped[order_id]['requests'] = requests
    _refuse_repeated('orders', order_ids)
    return order_ids, shaped


def normalize_text(name, text, max_length, why_required):
    """``text`` without surrounding whitespace; ValueError when it is not text, empty (saying ``why_required``) or
    too long. A number is taken as its text: an unquoted ticket number in YAML is one."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = str(text)
    if text is not None and not isinstance(text, str):
        raise ValueError('%s must be text, got %s %r. Give one sentence; to combine several values, join them into '
                         'one text first.' % (name, _kind_of(text), text))
    if text is None or not text.strip():
        raise ValueError('%s must not be empty: %s' % (name, why_required))
    text = text.strip()
    if len(text) > max_length:
        raise ValueError('%s is %d characters long; at most %d are allowed.' % (name, len(text), max_length))
    control = _first_control_character(text)
    if control is not None:
        position, character = control
        # The character is named by its code point, never written out: it may be a terminal escape.
        raise ValueError('%s contains the control character U+%04X at position %d. Write it as one line of plain text, '
                         'without line breaks, tabs or other control characters: it goes to CertCentral\'s audit log '
                         'and into reports.' % (name, ord(character), position))
    return text


def _first_control_character(text):
    """(position from 1, character) of the first control character or line or paragraph separator, or None."""
    for position, character in enumerate(text, start=1):
        if unicodedata.category(character) in _CONTROL_CATEGORIES:
            return position, character
    return None


def _kind_of(value):
    """How to name the type of a value that is not text, in a sentence."""
    if isinstance(value, (list, tuple)):
        return 'a list'
    if isinstance(value, dict):
        return 'a mapping'
    if isinstance(value, bool):
        return 'a boolean'
    return 'a value of type %s' % type(value).__name__


class BulkOptions(object):
    """The choices every run has. Subclasses add their own, and name the options users know these by."""

    # The option that sets max_changes, as users spell it.
    limit_option = 'max_changes'

    def __init__(self, missing_ok, fail_on_not_possible, max_changes):
        if max_changes is not None and (isinstance(max_changes, bool) or max_changes < 0):
            raise ValueError('%s must be 0 or more, got %r.' % (self.limit_option, max_changes))
        self.missing_ok = missing_ok
        self.fail_on_not_possible = fail_on_not_possible
        self.max_changes = max_changes


# ---------------------------------------------------------------- reading an order

def order_status(order):
    """The order's status in lower case, or None."""
    status = order.get('status') if isinstance(order, dict) else None
    return status.lower() if isinstance(status, str) else None


def requests_of(order):
    """The order's requests that are objects; empty when it lists none."""
    requests = order.get('requests')
    return [request for request in requests if isinstance(request, dict)] if isinstance(requests, list) else []


def request_status(order, request_id):
    """The status of the order's request ``request_id`` in lower case, or None."""
    if request_id is None:
        return None
    for request in requests_of(order):
        if request.get('id') == request_id:
            return request_state(request)
    return None


def _described(value):
    """A value from CertCentral as a sentence names it: its kind, and its text cut short (repr escapes controls)."""
    if isinstance(value, str):
        shown = repr(value if len(value) <= 40 else value[:40] + '...')
        return 'the text %s' % shown
    if value is None:
        return 'null'
    return _kind_of(value)


def requests_problem(requests):
    """What is wrong with the type of an order's ``requests`` (as order info or a listing gives them), or None.

    Every request ID must be a whole number before any plan uses it: a plan names the request to reject, and a
    request ID that came as text (``"7"``) would never match the request it names.
    """
    if requests is None:
        return None
    if not isinstance(requests, list):
        return 'requests is %s where a list belongs' % _described(requests)
    for index, request in enumerate(requests):
        if not isinstance(request, dict):
            return 'requests[%d] is %s where an object belongs' % (index, _described(request))
        request_id = request.get('id')
        if isinstance(request_id, bool) or not isinstance(request_id, int):
            return 'requests[%d].id is %s where a whole number belongs' % (index, _described(request_id))
        for field in ('type', 'status'):
            if not isinstance(request.get(field), str):
                return 'requests[%d].%s is %s where text belongs' % (index, field, _described(request.get(field)))
    return None


# ---------------------------------------------------------------- planning and reporting

class Plan(object):
    """What a run does about one order, decided from one read of it.

    ``action`` is the change to make (a key of the run's CHANGES), or None when the order needs no change; its
    ``outcome`` is then final. ``request_id`` is the request the change, or the outcome, is about.
    """

    def __init__(self, verdict, outcome, message, action=None, request_id=None):
        self.verdict = verdict
        self.outcome = outcome
        self.message = message
        self.action = action
        self.request_id = request_id

    def same_change_as(self, other):
        return self.action == other.action and self.request_id == other.request_id


def outcome_stops_run(outcome, options, not_possible_outcome):
    """Whether an order with this outcome makes the task fail; ``not_possible_outcome`` is the run's not_* outcome."""
    if outcome == OUTCOME_FAILED:
        return True
    if outcome == OUTCOME_MISSING:
        return not options.missing_ok
    if outcome == not_possible_outcome:
        return options.fail_on_not_possible
    return False


def summarize(outcomes, all_outcomes):
    """A count for every name of ``all_outcomes``, zero included, so that each key always exists."""
    summary = dict((outcome, 0) for outcome in all_outcomes)
    for outcome in outcomes:
        summary[outcome] += 1
    return summary


def build_diff(records, check_mode, predict):
    """The ``diff`` of a run: each order's status (and that of the request a change concerns) before and after.

    ``records`` are dicts with ``id``, ``status_before``, ``status``, ``outcome`` and, when a request is involved,
    ``request_id``, ``request_status_before`` and ``request_status``; a request that did not exist before the run
    (no status before) appears on the after side only. In check mode the after side is ``predict(state, outcome)``:
    what the planned change would leave behind. Orders are keyed by their ID as text, in the order given.
    """
    before, after = {}, {}
    for record in records:
        old = dict(status=record['status_before'])
        new = dict(status=record['status'])
        if record.get('request_id') is not None:
            if record.get('request_status_before') is not None:
                old['request'] = dict(id=record['request_id'], status=record['request_status_before'])
            new['request'] = dict(id=record['request_id'], status=record.get('request_status'))
        if check_mode:
            new = predict(new, record['outcome'])
        key = str(record['id'])
        before[key] = old
        after[key] = new
    return dict(before=dict(orders=before), after=dict(orders=after))


class RunReport(object):
    """What a run returns: the order entries, the summary, whether anything changed, and why it failed if it did."""

    def __init__(self, orders, summary, changed, diff, failure):
        self.orders = orders
        self.summary = summary
        self.changed = changed
        self.diff = diff
        self.failure = failure


# ---------------------------------------------------------------- the run

def is_key_refusal(error):
    """Whether CertCentral refused the call because of the key, so that any other call would be refused too."""
    return error.http_status in (401, 403) and (error.http_status == 401 or error.error_code in _KEY_REFUSAL_CODES)


def is_view_only(user):
    """Whether ``GET /user/me`` shows a key restricted to View Only."""
    roles = user.get('access_roles')
    if not isinstance(roles, list) or not roles:
        return False
    return all(isinstance(role, dict) and (role.get('id') == _VIEW_ONLY_ROLE_ID
                                           or str(role.get('name', '')).strip().lower() == _VIEW_ONLY_ROLE_NAME)
               for role in roles)


class OrderRun(object):
    """One requested order on its way through a run."""

    def __init__(self, order_id):
        self.order_id = order_id
        self.subject = 'Order %s' % order_id
        self.order = None
        # How the pre-flight learnt the order: 'read' or 'listed'.
        self.known_from = None
        self.status_before = None
        # The status of the read right before acting, the one a write is judged against.
        self.status_when_acting = None
        self.status = None
        self.plan = None
        self.verdict = None
        self.outcome = None
        self.message = None
        self.request_id = None
        self.request_status_before = None
        self.request_status = None
        # Whether the act phase sent the change (or tried to): from then on only a read can tell what changed.
        self.sent = False

    def read(self, order):
        """Take a fresh read of the order."""
        self.order = order
        self.status = order_status(order)
        if self.request_id is not None:
            self.request_status = request_status(order, self.request_id)

    def planned(self, plan):
        """Adopt the pre-flight plan; its outcome stands unless the run acts."""
        self.plan = plan
        self.verdict = plan.verdict
        self.status_before = self.status
        self.request_id = plan.request_id
        self.request_status_before = self.request_status = request_status(self.order, self.request_id)
        self.finish(plan.outcome, plan.message)

    def confirmed(self, plan):
        """Adopt the plan of the read right before acting, which calls for the same change as the pre-flight's."""
        self.plan = plan
        self.verdict = plan.verdict
        self.status_when_acting = self.status
        self.finish(plan.outcome, plan.message)

    def finish(self, outcome, message):
        self.outcome = outcome
        self.message = message

    def diff_record(self):
        return dict(id=self.order_id, status_before=self.status_before, status=self.status, outcome=self.outcome,
                    request_id=self.request_id, request_status_before=self.request_status_before,
                    request_status=self.request_status)


def _unexpected(error):
    """An error that no rule of the run foresaw, as a sentence: CertCentral's errors are sentences already; anything
    else is named by its type, its text cut short and cleaned of control characters."""
    if isinstance(error, CertCentralError):
        return str(error)
    text = ''.join(' ' if unicodedata.category(character) in _CONTROL_CATEGORIES else character
                   for character in str(error))[:300]
    return ('an unexpected error occurred (%s: %s). Please report it to the certops.digicert maintainers with this '
            'message.' % (type(error).__name__, text))


def _first_sentence(text):
    return text.split('. ', 1)[0].rstrip('.')


def _what_changed(run, status_then):
    """How an order moved on since it was ``status_then``; a plan rests on the order's status and its requests."""
    if run.status != status_then:
        return 'it was %s, now it is %s' % (status_then, run.status)
    if run.known_from == 'listed' and run.status_when_acting is None:
        return 'it is still %s, but its requests, which a listing does not show, call for another change' % run.status
    return 'it is still %s, but its requests changed' % run.status


def _quote_problems(runs):
    quoted = ' '.join(run.message for run in runs[:_QUOTED_PROBLEMS])
    if len(runs) > _QUOTED_PROBLEMS:
        quoted += ' (%d more; see orders.)' % (len(runs) - _QUOTED_PROBLEMS)
    return quoted


class BulkRun(object):
    """Changes (or, in check mode, plans to change) a list of orders with a CertCentralClient.

    A subclass describes its change with these class attributes:

    - ``CHANGES``: for each plan action, (outcome when made, outcome when only planned, the change as a verb phrase).
    - ``OUTCOMES``: every outcome, in the order the summary lists them; ``CHANGE_OUTCOMES`` and
      ``WOULD_CHANGE_OUTCOMES``: the made and the planned changes among them.
    - ``OUTCOME_NOT_POSSIBLE``: the outcome of an order the change cannot be made to.
    - ``SETTLED_OUTCOMES``: the outcomes of an order that needs nothing more.
    - ``VIEW_ONLY_REFUSAL``: why a key restricted to View Only stops the run.

    - ``LISTING_PLANNED_ACTIONS``: the plan actions a listing of the order is enough to plan: the pre-flight reads
      every other order, for example one whose plan depends on its requests, which listings do not show.

    and implements plan(), send(), settle_success(), achieved(), report_achieved(), entry() and predict().
    ``listed`` holds, by ID, orders as a listing showed them (see listed_orders()).
    """

    CHANGES = {}
    OUTCOMES = ()
    CHANGE_OUTCOMES = ()
    WOULD_CHANGE_OUTCOMES = ()
    OUTCOME_NOT_POSSIBLE = None
    SETTLED_OUTCOMES = ()
    VIEW_ONLY_REFUSAL = None
    LISTING_PLANNED_ACTIONS = ()

    def __init__(self, client, order_ids, options, check_mode=False, listed=None):
        self.client = client
        self.options = options
        self.check_mode = check_mode
        self._listed = listed or {}
        self._runs = [OrderRun(order_id) for order_id in order_ids]
        # Set by the first call refused because of the key; later calls would only be refused the same way.
        self._key_refusal = None
        self._key_refusal_lock = threading.Lock()

    # ---------------------------------------------------------------- what a subclass says about its change

    def plan(self, order):
        """The Plan for one read of ``order``."""
        raise NotImplementedError

    def send(self, run):
        """Send the planned change of ``run`` and return CertCentral's answer; raises CertCentralError."""
        raise NotImplementedError

    def settle_success(self, run, answer):
        """Finish ``run`` after CertCentral accepted its change with ``answer``."""
        raise NotImplementedError

    def achieved(self, run):
        """Whether the latest read of ``run`` shows its planned change made."""
        raise NotImplementedError

    def report_achieved(self, run):
        """Finish ``run`` whose change a read back showed made after its answer got lost."""
        raise NotImplementedError

    def entry(self, run):
        """The result entry of ``run``."""
        raise NotImplementedError

    def predict(self, state, outcome):
        """The diff state a planned change with this would_* ``outcome`` would leave behind."""
        raise NotImplementedError

    def explain_refusal(self, run, error):
        """What to tell about a refusal of ``run``'s change; subclasses add advice that only they can give."""
        return str(error)

    def shows_at_once(self, run):
        """Whether a read right after ``run``'s change shows it, so that a read without it proves the change was not
        made and may be sent again. A change that CertCentral carries out later says False."""
        return True

    def why_not_sent_again(self, run):
        """For a change that does not show at once: why a read without it proves nothing, as a clause."""
        return ''

    def after_act(self):
        """Called once after the act phase; a subclass may wait here for changes that CertCentral completes later."""

    # ---------------------------------------------------------------- phases

    def execute(self):
        """Run both phases and return a RunReport. Errors of single calls end up in the orders, never raised."""
        self.client.map_concurrently(self._preflight, self._runs)

        stopping = [run for run in self._runs if self.stops(run.outcome)]
        if stopping:
            return self._stop('Nothing was changed: %d of %d orders stop the run. %s'
                              % (len(stopping), len(self._runs), _quote_problems(stopping)))

        planned = [run for run in self._runs if run.plan is not None and run.plan.action is not None]
        limit = self.options.max_changes
        if limit is not None and len(planned) > limit:
            name = self.options.limit_option
            return self._stop('Nothing was changed: %d orders would be changed (%s), more than %s=%d allows. If that '
                              'many is intended, set %s to %d or more; otherwise pass fewer orders.'
                              % (len(planned), self._count_changes(planned), name, limit, name, len(planned)))
        if planned and self._key_is_view_only():
            return self._stop(self.VIEW_ONLY_REFUSAL)
        if self.check_mode:
            return self._stop(None)

        self.client.map_concurrently(self._act, planned)
        try:
            self.after_act()
        except Exception as error:  # pylint: disable=broad-except
            # Every order already has its outcome from the act phase; only the wait for later results is cut short.
            for run in planned:
                run.finish(run.outcome, '%s (Waiting for CertCentral afterwards stopped: %s)'
                           % (run.message, _unexpected(error)))
        problems = [run for run in self._runs if self.stops(run.outcome)]
        failure = None
        if problems:
            done = sum(1 for run in self._runs if run.outcome in self.CHANGE_OUTCOMES)
            failure = ('%d of %d orders were not processed as asked (%d changed). %s'
                       % (len(problems), len(self._runs), done, _quote_problems(problems)))
        return self._report(failure)

    def stops(self, outcome):
        """Whether an order with this outcome makes the task fail."""
        return outcome_stops_run(outcome, self.options, self.OUTCOME_NOT_POSSIBLE)

    def what(self, run):
        """The planned change of ``run`` as a verb phrase, for example ``cancel the order``."""
        return self.CHANGES[run.plan.action][2]

    def _report(self, failure):
        # A check run that would fail predicts a real run that changes nothing.
        would_change = (self.check_mode and failure is None
                        and any(run.outcome in self.WOULD_CHANGE_OUTCOMES for run in self._runs))
        changed = would_change or any(run.outcome in self.CHANGE_OUTCOMES for run in self._runs)
        return RunReport([self.entry(run) for run in self._runs],
                         summarize((run.outcome for run in self._runs), self.OUTCOMES), changed,
                         build_diff([run.diff_record() for run in self._runs], self.check_mode, self.predict), failure)

    # ---------------------------------------------------------------- phase 1

    def _stop(self, failure):
        for run in self._runs:
            if run.plan is not None and run.plan.action is not None:
                # The run ends before this planned change: report it in its would_* form.
                run.finish(self.CHANGES[run.plan.action][1], run.plan.message)
        return self._report(failure)

    def _count_changes(self, runs):
        counts = {}
        for run in runs:
            counts[run.plan.outcome] = counts.get(run.plan.outcome, 0) + 1
        return ', '.join('%d %s' % (counts[outcome], outcome) for outcome in self.CHANGE_OUTCOMES if outcome in counts)

    def _preflight(self, run):
        try:
            self._plan_first(run)
        except Exception as error:  # pylint: disable=broad-except
            # Nothing was sent yet: the order fails, which stops the run before its first change.
            run.finish(OUTCOME_FAILED, '%s could not be planned: %s Nothing was changed.'
                       % (run.subject, _unexpected(error)))

    def _plan_first(self, run):
        listed = self._listed.get(run.order_id)
        if listed is not None:
            plan = self.plan(listed)
            if plan.action is not None and plan.action in self.LISTING_PLANNED_ACTIONS:
                run.known_from = 'listed'
                run.read(listed)
                run.planned(plan)
                return
        try:
            order = self._read(run.order_id)
        except CertCentralError as error:
            self._finish_unread(run, error, '')
            return
        run.known_from = 'read'
        run.read(order)
        run.planned(self.plan(order))

    def _finish_unread(self, run, error, context):
        """Report an order that could not be read; ``context`` says what was not done because of it."""
        # Only DigiCert's own "no such order" counts as missing: a 404 for a wrong api_url must not be skipped.
        if error.http_status == 404 and error.error_code == _ORDER_NOT_FOUND_CODE:
            advice = ('It is skipped because missing_ok is true.' if self.options.missing_ok
                      else 'Set missing_ok=true to skip orders that do not exist.')
            run.finish(OUTCOME_MISSING, '%s%s %s' % (context, error, advice))
        else:
            run.finish(OUTCOME_FAILED, '%s%s' % (context, error))

    def _read(self, order_id):
        """Order info for ``order_id``; raises CertCentralError, also when the key was refused before."""
        refusal = self._key_refusal
        if refusal is not None:
            raise CertCentralError('Order %s was not read: the API key was refused on an earlier call. %s'
                                   % (order_id, refusal), order_id=order_id)
        try:
            order = self.client.get_order(order_id)
        except CertCentralError as error:
            self._note_key_refusal(error, str(error))
            raise
        if order.get('id') != order_id:
            # The path also takes a certificate's serial number or thumbprint: never act on an order not asked for.
            raise CertCentralError('CertCentral answered the read of order %s with order %r; that order is not '
                                   'acted on. Check the order ID.' % (order_id, order.get('id')), order_id=order_id)
        problem = requests_problem(order.get('requests'))
        if problem is not None:
            raise CertCentralError('Order %s is not acted on: in CertCentral\'s answer, %s. Its requests decide what '
                                   'may be done about it, so a plan cannot rest on them; check the order in CertCentral '
                                   '(Certificates > Requests) and that api_url is the CertCentral Services API v2.'
                                   % (order_id, problem), order_id=order_id)
        return order

    def _read_again(self, run):
        """Read ``run``'s order again and take the read; raises CertCentralError."""
        run.read(self._read(run.order_id))

    def _note_key_refusal(self, error, explanation):
        if is_key_refusal(error):
            with self._key_refusal_lock:
                if self._key_refusal is None:
                    self._key_refusal = explanation

    def _key_is_view_only(self):
        try:
            user = self.client.get_current_user()
        except Exception:  # pylint: disable=broad-except
            # A key restricted to orders may not read its user. Nothing is lost: CertCentral refuses a write the
            # key may not make, and the order is then reported as failed.
            return False
        return is_view_only(user)

    # ---------------------------------------------------------------- phase 2

    def _act(self, run):
        """Act on one order; whatever goes wrong ends up in its entry, and the other orders carry on."""
        try:
            self._act_on(run)
        except Exception as error:  # pylint: disable=broad-except
            self._settle_unexpected(run, error)

    def _settle_unexpected(self, run, error):
        """An error no rule foresaw (a bug, or a failure outside CertCentral): the order is reported as failed unless
        a read back shows the change made, since what the run reports changed must be exactly what changed."""
        happened = _unexpected(error)
        if not run.sent:
            run.finish(OUTCOME_FAILED, '%s was not changed: %s This run sent nothing to change it.'
                       % (run.subject, happened))
            return
        try:
            self._read_again(run)
            achieved = self.achieved(run)
            if achieved:
                self.report_achieved(run)
        except Exception as read_error:  # pylint: disable=broad-except
            run.status = None
            run.finish(OUTCOME_FAILED, '%s: whether the attempt to %s took effect is unknown: %s Reading the order back '
                       'failed as well: %s Check it in CertCentral before running again.'
                       % (run.subject, self.what(run), happened, _unexpected(read_error)))
            return
        if achieved:
            run.finish(run.outcome, '%s (After the request was sent: %s)' % (run.message, happened))
        else:
            run.finish(OUTCOME_FAILED, '%s: after the request to %s was sent: %s Reading the order back shows it %s, '
                       'without the change. Check it in CertCentral before running again.'
                       % (run.subject, self.what(run), happened, run.status))

    def _act_on(self, run):
        if self._refused_before(run):
            return
        try:
            self._read_again(run)
        except CertCentralError as error:
            self._finish_unread(run, error, '%s was not acted on: reading it right before acting failed. '
                                % run.subject)
            return
        fresh = self.plan(run.order)
        if not fresh.same_change_as(run.plan):
            self._report_changed_order(run, fresh)
            return
        run.confirmed(fresh)
        self._write(run, attempt=1)

    def _report_changed_order(self, run, fresh):
        """The order moved on since the plan; report what it is now and never act on the new plan."""
        run.verdict = fresh.verdict
        changed = ('%s changed since it was %s (%s), so this run did not %s.'
                   % (run.subject, 'first read' if run.known_from == 'read' else 'listed',
                      _what_changed(run, run.status_before), self.what(run)))
        if fresh.action is None:
            self._adopt_request(run, fresh)
            run.finish(fresh.outcome, '%s %s' % (changed, fresh.message))
        else:
            run.finish(self.OUTCOME_NOT_POSSIBLE, '%s %s Run again to act on its current status.'
                       % (changed, fresh.message))

    @staticmethod
    def _adopt_request(run, fresh):
        """Report the request a fresh plan without a change is about, for example one someone else created."""
        if fresh.request_id is not None and fresh.request_id != run.request_id:
            run.request_id = fresh.request_id
            run.request_status = request_status(run.order, fresh.request_id)

    def _refused_before(self, run):
        """Whether an earlier call refused the key; ``run`` is then reported as failed, since any call would be."""
        if self._key_refusal is None:
            return False
        run.finish(OUTCOME_FAILED, '%s was not acted on: the API key was refused on an earlier call. %s'
                   % (run.subject, self._key_refusal))
        return True

    def _write(self, run, attempt):
        if self._refused_before(run):
            return
        try:
            run.sent = True
            answer = self.send(run)
        except CertCentralError as error:
            explanation = self.explain_refusal(run, error)
            self._note_key_refusal(error, explanation)
            if error.outcome_unknown:
                self._settle_unknown(run, error, attempt)
            elif error.http_status is not None and 400 <= error.http_status < 500 and error.http_status not in (401, 403, 429):
                self._settle_refusal(run, error)
            else:
                # Refused for the key, throttled throughout, or never arrived: nothing was changed.
                run.finish(OUTCOME_FAILED, '%s: could not %s. %s' % (run.subject, self.what(run), explanation))
            return
        self.settle_success(run, answer)

    def _settle_unknown(self, run, error, attempt):
        """The write may or may not have been applied: judge by reading the order back, never by guessing."""
        try:
            self._read_again(run)
        except CertCentralError as read_error:
            run.status = None
            run.finish(OUTCOME_FAILED, '%s: whether the attempt to %s took effect is unknown. %s Reading the order '
                       'back failed as well: %s Check it in CertCentral before running again.'
                       % (run.subject, self.what(run), error, read_error))
            return
        if self.achieved(run):
            self.report_achieved(run)
            return
        unchanged = run.status == run.status_when_acting and self.plan(run.order).same_change_as(run.plan)
        if unchanged and not self.shows_at_once(run):
            run.finish(OUTCOME_FAILED, '%s: the attempt to %s ended without a clear answer. %s Reading it back shows no '
                       'trace of it yet, and %s so it is not sent again. Check the order in CertCentral (or run '
                       'again later) before sending it again.'
                       % (run.subject, self.what(run), error, self.why_not_sent_again(run)))
            return
        if unchanged and attempt <= self.client.retries:
            # The read proves this attempt had no effect, so another one cannot do anything twice. The attempts are
            # bounded by the same retries option as every other call.
            self.client.pause_before_retry('%s (%s)' % (run.subject, self.what(run)), 'had no visible effect after %s'
                                           % _first_sentence(str(error)), attempt)
            self._write(run, attempt + 1)
            return
        if unchanged:
            known = ('None of the %d attempts had a visible effect: the order is still %s.' % (attempt, run.status)
                     if attempt > 1 else 'The attempt had no visible effect: the order is still %s.' % run.status)
        else:
            known = 'Reading it back shows it %s, which this run did not cause in any way it can tell.' % run.status
        run.finish(OUTCOME_FAILED, '%s: the attempt to %s ended without a clear answer. %s %s Check it in CertCentral '
                   'before running again.' % (run.subject, self.what(run), error, known))

    def _settle_refusal(self, run, error):
        """CertCentral refused the write, so nothing changed; the order's status tells whether it moved on."""
        try:
            self._read_again(run)
        except CertCentralError as read_error:
            run.status = None
            run.finish(OUTCOME_FAILED, '%s: could not %s. %s Reading the order back failed as well: %s'
                       % (run.subject, self.what(run), error, read_error))
            return
        fresh = self.plan(run.order)
        run.verdict = fresh.verdict
        if fresh.same_change_as(run.plan) and run.status == run.status_when_acting:
            # Not a status problem: the order could still be changed, so this is a failure, not a verdict.
            run.finish(OUTCOME_FAILED, '%s: could not %s, although it is still %s. %s'
                       % (run.subject, self.what(run), run.status, error))
        elif fresh.action is None and fresh.outcome in self.SETTLED_OUTCOMES:
            self._adopt_request(run, fresh)
            run.finish(fresh.outcome, '%s changed under this run (%s); CertCentral refused the change: %s %s'
                       % (run.subject, _what_changed(run, run.status_when_acting), error, fresh.message))
        else:
            run.finish(self.OUTCOME_NOT_POSSIBLE, '%s changed under this run (%s), so this run did not %s. %s %s'
                       % (run.subject, _what_changed(run, run.status_when_acting), self.what(run), error, fresh.message))
