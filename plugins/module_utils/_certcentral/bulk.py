# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""Changing a list of CertCentral orders safely: the two-phase run that the cancel and revoke modules share.

A run carries the requested orders through two phases on the client's worker pool and pacing:

1. Pre-flight: plan every order, from a read of it or, for an order a listing showed in a status the listing alone
   can plan (see LISTING_PLANNED_ACTIONS), from that listing. The listing is the caller's (``listed``), or, for
   orders given by ID, the run's own listings of LISTING_FILTERS when reading them costs fewer requests than reading
   each order (see plan_listings). A planned change that needs a role of the key's user (see role_needed) which
   ``GET /user/me`` shows it lacks becomes not possible (see plan_beyond_role). If any order stops the run, if more
   changes are planned than the run's limit allows, or if the key may only read, the run ends here and nothing is
   changed. Check mode always ends here.
2. Act: for each planned change, read the order right before acting, and carry out the change only if that read
   still plans exactly that change. No earlier read counts, however young: someone else can change an order at any
   moment, and the same status call cancels a pending order or a pending reissue, whichever the order has now. A
   write whose effect is unknown is judged by reading the order back; it is sent again, at most ``retries`` times,
   only when that read proves the previous attempt had no effect.

A module describes its change in a subclass of BulkRun (how to plan an order, how to send the change, how to tell
from a read that it took effect); the phases, the safety checks and the messages about them live here.
"""

from __future__ import annotations

import inspect
import math
import threading
import typing as t
import unicodedata

from .errors import CertCentralError
from .key_checks import is_key_refusal, is_view_only
from .listing import PAGE_SIZE, first_overlap
from .order_fields import common_name_of, request_status, requests_problem
from .order_input import CONTROL_CATEGORIES, REVIEWED_CHANGE_KEY
from .run_report import RunReport, build_diff, count_results, summarize
from .verdict import order_status, user_refusal

# Outcomes every run has, with the same meaning.
OUTCOME_MISSING = "missing"
OUTCOME_FAILED = "failed"

_ORDER_NOT_FOUND_CODE = "not_found|order"

# How many order messages a failure message quotes before referring to the orders list.
_QUOTED_PROBLEMS = 3


class BulkOptions:
    """The choices every run has. Subclasses add their own, and name the options users know these by."""

    # The option that sets max_changes, as users spell it.
    limit_option = "max_changes"

    def __init__(self, missing_ok, fail_on_not_possible, max_changes):
        if max_changes is not None and (isinstance(max_changes, bool) or max_changes < 0):
            raise ValueError(f"{self.limit_option} must be 0 or more, got {max_changes!r}.")
        self.missing_ok = missing_ok
        self.fail_on_not_possible = fail_on_not_possible
        self.max_changes = max_changes

    @classmethod
    def from_params(cls, params):
        """The options of a module run from its ``params``. Every argument of a subclass's constructor is the module
        option of the same name, so the constructor's signature is the one list of them."""
        return cls(**{name: params[name] for name in inspect.signature(cls).parameters})


class Change(t.NamedTuple):
    """One kind of change a run makes, by the plan action that calls for it (see BulkRun.CHANGES)."""

    # The outcome of an order the change was made to.
    made: str
    # The outcome of an order the change was planned for but not made: in check mode, or a run stopped before it.
    planned: str
    # The change as a verb phrase that completes "could not ...", for example ``cancel the order``.
    verb_phrase: str


# ---------------------------------------------------------------- planning


class Plan:
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


# ---------------------------------------------------------------- the run


class OrderProgress:
    """One requested order on its way through a run."""

    def __init__(self, order_id):
        self.order_id = order_id
        self.subject = f"Order {order_id}"
        self.order = None
        # The certificate's common name, from the latest read that shows one: results and diffs name the order by it.
        self.common_name = None
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

    def take_read(self, order):
        """Take a fresh read of the order."""
        self.order = order
        self.status = order_status(order)
        self.common_name = common_name_of(order) or self.common_name
        if self.request_id is not None:
            self.request_status = request_status(order, self.request_id)

    def adopt_plan(self, plan):
        """Adopt the pre-flight plan; its outcome stands unless the run acts."""
        self.plan = plan
        self.verdict = plan.verdict
        self.status_before = self.status
        self.request_id = plan.request_id
        self.request_status_before = self.request_status = request_status(self.order, self.request_id)
        self.finish(plan.outcome, plan.message)

    def confirm_plan(self, plan):
        """Adopt the plan of the read right before acting, which calls for the same change as the pre-flight's."""
        self.plan = plan
        self.verdict = plan.verdict
        self.status_when_acting = self.status
        self.finish(plan.outcome, plan.message)

    def finish(self, outcome, message):
        self.outcome = outcome
        self.message = message

    def diff_record(self):
        return dict(
            id=self.order_id,
            common_name=self.common_name,
            status_before=self.status_before,
            status=self.status,
            outcome=self.outcome,
            request_id=self.request_id,
            request_status_before=self.request_status_before,
            request_status=self.request_status,
        )


def _unexpected(error):
    """An error that no rule of the run foresaw, as a sentence: CertCentral's errors are sentences already; anything
    else is named by its type, its text cut short and cleaned of control characters."""
    if isinstance(error, CertCentralError):
        return str(error)
    text = "".join(" " if unicodedata.category(character) in CONTROL_CATEGORIES else character for character in str(error))[:300]
    return f"an unexpected error occurred ({type(error).__name__}: {text}). Please report it to the certops.digicert maintainers with this message."


def _first_sentence(text):
    return text.split(". ", 1)[0].rstrip(".")


def _what_changed(tracked, status_then):
    """How an order moved on since it was ``status_then``; a plan rests on the order's status and its requests."""
    if tracked.status != status_then:
        return f"it was {status_then}, now it is {tracked.status}"
    if tracked.known_from == "listed" and tracked.status_when_acting is None:
        return f"it is still {tracked.status}, but its requests, which a listing does not show, call for another change"
    return f"it is still {tracked.status}, but its requests changed"


def listing_pages(total):
    """How many pages a listing of ``total`` orders takes (see listing.OrderListing: every page after the first
    repeats a few orders of the one before)."""
    if total <= 0:
        return 0
    stride = PAGE_SIZE - first_overlap(PAGE_SIZE)
    return 1 + math.ceil(max(0, total - PAGE_SIZE) / stride)


def _quote_problems(problems):
    """The messages of the first orders of ``problems`` (OrderProgress), then how many more there are."""
    quoted = " ".join(tracked.message for tracked in problems[:_QUOTED_PROBLEMS])
    if len(problems) > _QUOTED_PROBLEMS:
        quoted += f" ({len(problems) - _QUOTED_PROBLEMS} more; see orders.)"
    return quoted


class BulkRun:
    """Changes (or, in check mode, plans to change) a list of orders with a CertCentralClient.

    A subclass describes its change with these class attributes:

    - ``CHANGES``: for each plan action, the Change it makes (its outcome when made and when only planned, and the
      change as a verb phrase).
    - ``OUTCOMES``: every outcome, in the order the summary lists them; ``CHANGE_OUTCOMES`` and
      ``WOULD_CHANGE_OUTCOMES``: the made and the planned changes among them.
    - ``OUTCOME_NOT_POSSIBLE``: the outcome of an order the change cannot be made to.
    - ``SETTLED_OUTCOMES``: the outcomes of an order that needs nothing more.
    - ``VIEW_ONLY_REFUSAL``: why a key restricted to View Only stops the run.

    - ``LISTING_PLANNED_ACTIONS``: the plan actions a listing of the order is enough to plan: the pre-flight reads
      every other order, for example one whose plan depends on its requests, which listings do not show.
    - ``LISTING_FILTERS``: the listings (API filters) that hold the orders a listing is enough to plan; for orders
      given by ID, the run lists them instead of reading each order when that costs fewer requests.
    - ``CHECK_MODE_FIELDS``: the fields of an order its result shows about a planned change that a listing may lack. An
      applied run reads the order right before acting, which brings them; check mode ends before that read, so there
      a listed order without them is read in the pre-flight, and its result says what an applied run's would.

    and implements plan(), send(), settle_success(), achieved(), report_achieved(), entry() and predict().
    ``listed`` holds, by ID, orders as a listing showed them (see order_input.listed_orders()). ``tracked_orders``
    holds an OrderProgress for each requested order, in the order given; read_again() is how a subclass reads one again.
    """

    CHANGES = {}
    OUTCOMES = ()
    CHANGE_OUTCOMES = ()
    WOULD_CHANGE_OUTCOMES = ()
    OUTCOME_NOT_POSSIBLE = None
    SETTLED_OUTCOMES = ()
    VIEW_ONLY_REFUSAL = None
    LISTING_PLANNED_ACTIONS = ()
    LISTING_FILTERS = ()
    CHECK_MODE_FIELDS = ()

    def __init__(self, client, order_ids, options, check_mode=False, listed=None):
        self.client = client
        self.options = options
        self.check_mode = check_mode
        self._listed = listed or {}
        self.tracked_orders = [OrderProgress(order_id) for order_id in order_ids]
        # Set by the first call refused because of the key; later calls would only be refused the same way.
        self._key_refusal = None
        self._key_refusal_lock = threading.Lock()
        # GET /user/me, read at most once per run (see current_user); _user_read says whether it was tried.
        self._user = None
        self._user_read = False

    # ---------------------------------------------------------------- what a subclass says about its change

    def plan(self, order):
        """The Plan for one read of ``order``."""
        raise NotImplementedError

    def send(self, tracked):
        """Send the planned change of ``tracked`` and return CertCentral's answer; raises CertCentralError."""
        raise NotImplementedError

    def settle_success(self, tracked, answer):
        """Finish ``tracked`` after CertCentral accepted its change with ``answer``."""
        raise NotImplementedError

    def achieved(self, tracked):
        """Whether the latest read of ``tracked`` shows its planned change made."""
        raise NotImplementedError

    def report_achieved(self, tracked):
        """Finish ``tracked`` whose change a read back showed made after its answer got lost."""
        raise NotImplementedError

    def entry(self, tracked):
        """The result entry of ``tracked``."""
        raise NotImplementedError

    def predict(self, state, outcome):
        """The diff state a planned change with this would_* ``outcome`` would leave behind."""
        raise NotImplementedError

    def role_needed(self, plan):
        """What ``plan``'s change needs of the key's user (verdict.NEEDS_APPROVER or NEEDS_ADMINISTRATOR), or None."""
        return None

    def plan_beyond_role(self, plan, refusal):
        """The plan, with the run's not-possible outcome, for an order whose planned change the key's user may not make;
        ``refusal`` is why, as a clause from verdict.user_refusal(). Its message names the fix."""
        raise NotImplementedError

    def explain_refusal(self, tracked, error):
        """What to tell about a refusal of ``tracked``'s change; subclasses add advice that only they can give."""
        return str(error)

    def shows_at_once(self, tracked):
        """Whether a read right after ``tracked``'s change shows it, so that a read without it proves the change was not
        made and may be sent again. A change that CertCentral carries out later says False."""
        return True

    def why_not_sent_again(self, tracked):
        """For a change that does not show at once: why a read without it proves nothing, as a clause."""
        return ""

    def after_act(self):
        """Called once after the act phase; a subclass may wait here for changes that CertCentral completes later."""

    # ---------------------------------------------------------------- phases

    def execute(self):
        """Run both phases and return a RunReport. Errors of single calls end up in the orders, never raised."""
        self.plan_listings()
        self.client.map_concurrently(self._preflight, self.tracked_orders)
        self._refuse_changes_beyond_the_user()

        stopping = [tracked for tracked in self.tracked_orders if self.stops(tracked.outcome)]
        if stopping:
            return self._stop(f"Nothing was changed: {len(stopping)} of {len(self.tracked_orders)} orders stop the run. {_quote_problems(stopping)}")

        planned = [tracked for tracked in self.tracked_orders if tracked.plan is not None and tracked.plan.action is not None]
        limit = self.options.max_changes
        if limit is not None and len(planned) > limit:
            name = self.options.limit_option
            return self._stop(
                f"Nothing was changed: {len(planned)} orders would be changed ({self._count_changes(planned)}), "
                f"more than {name}={limit} allows. If that many is intended, set {name} to {len(planned)} or more; otherwise pass fewer orders."
            )
        if planned and self._key_is_view_only():
            return self._stop(self.VIEW_ONLY_REFUSAL)
        if self.check_mode:
            return self._stop(None)

        self.client.map_concurrently(self._act, planned)
        try:
            self.after_act()
        except Exception as error:  # pylint: disable=broad-except
            # Every order already has its outcome from the act phase; only the wait for later results is cut short.
            for tracked in planned:
                tracked.finish(tracked.outcome, f"{tracked.message} (Waiting for CertCentral afterwards stopped: {_unexpected(error)})")
        problems = [tracked for tracked in self.tracked_orders if self.stops(tracked.outcome)]
        failure = None
        if problems:
            done = sum(1 for tracked in self.tracked_orders if tracked.outcome in self.CHANGE_OUTCOMES)
            failure = f"{len(problems)} of {len(self.tracked_orders)} orders were not processed as asked ({done} changed). {_quote_problems(problems)}"
        return self._report(failure)

    def stops(self, outcome):
        """Whether an order with this outcome makes the task fail."""
        return outcome_stops_run(outcome, self.options, self.OUTCOME_NOT_POSSIBLE)

    def what(self, tracked):
        """The planned change of ``tracked`` as a verb phrase, for example ``cancel the order``."""
        return self.CHANGES[tracked.plan.action].verb_phrase

    def _report(self, failure):
        # A check run that would fail predicts a real run that changes nothing.
        would_change = self.check_mode and failure is None and any(tracked.outcome in self.WOULD_CHANGE_OUTCOMES for tracked in self.tracked_orders)
        changed = would_change or any(tracked.outcome in self.CHANGE_OUTCOMES for tracked in self.tracked_orders)
        outcomes = [tracked.outcome for tracked in self.tracked_orders]
        return RunReport(
            [self.entry(tracked) for tracked in self.tracked_orders],
            summarize(outcomes, self.OUTCOMES),
            count_results(outcomes, self.CHANGE_OUTCOMES, self.WOULD_CHANGE_OUTCOMES),
            changed,
            build_diff([tracked.diff_record() for tracked in self.tracked_orders], self.check_mode, self.predict),
            failure,
        )

    # ---------------------------------------------------------------- planning from listings

    def plan_listings(self):
        """List the orders of LISTING_FILTERS for the requested orders no listing showed yet, when that costs fewer
        requests than reading each of them; the pre-flight then plans the listed ones from their listing.

        The first page of each listing tells its total, and so the pages the rest of it takes; the orders on the first
        pages are planned from them whether or not the rest is read. An order not found in the listings is read as
        before; so is every order when a listing fails in any way, since the listings only save requests and never
        decide anything a read would not.
        """
        unlisted = [tracked.order_id for tracked in self.tracked_orders if tracked.order_id not in self._listed]
        # Below this, the first pages alone cost as much as the reads they could save.
        if not self.LISTING_FILTERS or len(unlisted) <= 2 * len(self.LISTING_FILTERS):
            return
        wanted = set(unlisted)
        try:
            listings = [self.client.order_listing(filters) for filters in self.LISTING_FILTERS]
            rest = sum(max(0, listing_pages(listing.first_page().total) - 1) for listing in listings)
            for listing in listings:
                orders = listing.read() if rest < len(unlisted) else listing.orders.values()
                for order in orders:
                    if order.get("id") in wanted and requests_problem(order.get("requests")) is None:
                        self._listed[order["id"]] = order
        except Exception:  # pylint: disable=broad-except
            # A listing that fails costs its requests and nothing else: every order not yet listed is read.
            return

    # ---------------------------------------------------------------- phase 1

    def _stop(self, failure):
        for tracked in self.tracked_orders:
            if tracked.plan is not None and tracked.plan.action is not None:
                # The run ends before this planned change: report it in its would_* form.
                tracked.finish(self.CHANGES[tracked.plan.action].planned, tracked.plan.message)
        return self._report(failure)

    def _count_changes(self, planned):
        counts = {}
        for tracked in planned:
            counts[tracked.plan.outcome] = counts.get(tracked.plan.outcome, 0) + 1
        return ", ".join(f"{counts[outcome]} {outcome}" for outcome in self.CHANGE_OUTCOMES if outcome in counts)

    def _preflight(self, tracked):
        try:
            self._plan_first(tracked)
            self._hold_to_the_reviewed_change(tracked)
        except Exception as error:  # pylint: disable=broad-except
            # Nothing was sent yet: the order fails, which stops the run before its first change.
            tracked.finish(OUTCOME_FAILED, f"{tracked.subject} could not be planned: {_unexpected(error)} Nothing was changed.")

    def _plan_first(self, tracked):
        listed = self._listed.get(tracked.order_id)
        if listed is not None:
            # The listing names the order until a read does, also when the read fails.
            tracked.common_name = common_name_of(listed)
            plan = self.plan(listed)
            if plan.action is not None and plan.action in self.LISTING_PLANNED_ACTIONS and self._listing_suffices(listed):
                tracked.known_from = "listed"
                tracked.take_read(listed)
                tracked.adopt_plan(plan)
                return
        try:
            order = self._read(tracked.order_id)
        except CertCentralError as error:
            self._finish_unread(tracked, error, "")
            return
        tracked.known_from = "read"
        tracked.take_read(order)
        tracked.adopt_plan(self.plan(order))

    def _hold_to_the_reviewed_change(self, tracked):
        """An order whose entry carries a reviewed change is changed only if its plan is exactly that change (the same
        planned outcome, about the same request); otherwise it is reported as not possible and left alone, since what
        a person approved is the only change this run may make to it. An order that needs nothing more (one of
        SETTLED_OUTCOMES) keeps its outcome."""
        listed = self._listed.get(tracked.order_id) or {}
        reviewed = listed.get(REVIEWED_CHANGE_KEY)
        if reviewed is None or tracked.plan is None or tracked.outcome in (OUTCOME_FAILED, OUTCOME_MISSING):
            return
        plan = tracked.plan
        if plan.action is None and plan.outcome in self.SETTLED_OUTCOMES:
            # No change either way: an order found settled (already canceled, its revoke already requested) is
            # reported as such, as the read right before acting would, so that applying a plan twice says what the
            # first run did.
            return
        planned_outcome = self.CHANGES[plan.action].planned if plan.action is not None else None
        request_agrees = reviewed["request_id"] is None or reviewed["request_id"] == plan.request_id
        if planned_outcome == reviewed["outcome"] and request_agrees:
            return
        about = f" (request {reviewed['request_id']})" if reviewed["request_id"] is not None else ""
        now = (
            f"a read now plans {planned_outcome}{f' (request {plan.request_id})' if plan.request_id else ''}"
            if planned_outcome is not None
            else "a read now plans no change"
        )
        tracked.plan = Plan(plan.verdict, self.OUTCOME_NOT_POSSIBLE, plan.message, request_id=plan.request_id)
        tracked.finish(
            self.OUTCOME_NOT_POSSIBLE,
            f"{tracked.subject} changed since the review: the reviewed plan was {reviewed['outcome']}{about}, but {now}. It is left alone. {plan.message}",
        )

    def _listing_suffices(self, listed):
        """Whether a listing shows all that the result of a change planned from it shows (see CHECK_MODE_FIELDS)."""
        return not self.check_mode or all(listed.get(field) is not None for field in self.CHECK_MODE_FIELDS)

    def _refuse_changes_beyond_the_user(self):
        """Make the planned changes that GET /user/me shows the key's user may not make not possible, before anything
        is sent, so that check mode predicts them and an applied run stops on them like on any order it cannot change.
        The user is read only when a change needs a role (verdict.user_refusal() decides, and does not guess)."""
        needing = [(tracked, self.role_needed(tracked.plan)) for tracked in self.tracked_orders if tracked.plan is not None and tracked.plan.action is not None]
        needing = [(tracked, needed) for tracked, needed in needing if needed is not None]
        if not needing:
            return
        if self._key_is_view_only():
            # The View Only refusal says all there is to say: such a key changes nothing at all.
            return
        for tracked, needed in needing:
            refusal = user_refusal(self.current_user(), needed)
            if refusal is not None:
                tracked.adopt_plan(self.plan_beyond_role(tracked.plan, refusal))

    def current_user(self):
        """The key's user (GET /user/me), read once per run; None when it cannot be read."""
        if not self._user_read:
            self._user_read = True
            try:
                self._user = self.client.get_current_user()
            except Exception:  # pylint: disable=broad-except
                # A key restricted to orders may not read its user. Nothing is lost: CertCentral refuses a write the
                # key may not make, and the order is then reported as failed.
                self._user = None
        return self._user

    def _finish_unread(self, tracked, error, context):
        """Report an order that could not be read; ``context`` says what was not done because of it."""
        # Only DigiCert's own "no such order" counts as missing: a 404 for a wrong api_url must not be skipped.
        if error.http_status == 404 and error.error_code == _ORDER_NOT_FOUND_CODE:
            advice = "It is skipped because missing_ok is true." if self.options.missing_ok else "Set missing_ok=true to skip orders that do not exist."
            tracked.finish(OUTCOME_MISSING, f"{context}{error} {advice}")
        else:
            tracked.finish(OUTCOME_FAILED, f"{context}{error}")

    def _read(self, order_id):
        """Order info for ``order_id``; raises CertCentralError, also when the key was refused before."""
        refusal = self._key_refusal
        if refusal is not None:
            raise CertCentralError(f"Order {order_id} was not read: the API key was refused on an earlier call. {refusal}", order_id=order_id)
        try:
            order = self.client.get_order(order_id)
        except CertCentralError as error:
            self._note_key_refusal(error, str(error))
            raise
        if order.get("id") != order_id:
            # The path also takes a certificate's serial number or thumbprint: never act on an order not asked for.
            raise CertCentralError(
                f"CertCentral answered the read of order {order_id} with order {order.get('id')!r}; that order is not acted on. Check the order ID.",
                order_id=order_id,
            )
        problem = requests_problem(order.get("requests"))
        if problem is not None:
            raise CertCentralError(
                f"Order {order_id} is not acted on: in CertCentral's answer, {problem}. Its requests decide what "
                "may be done about it, so a plan cannot rest on them; check the order in CertCentral "
                "(Certificates > Requests) and that api_url is the CertCentral Services API v2.",
                order_id=order_id,
            )
        return order

    def read_again(self, tracked):
        """Read ``tracked``'s order again and take the read; raises CertCentralError."""
        tracked.take_read(self._read(tracked.order_id))

    def _note_key_refusal(self, error, explanation):
        if is_key_refusal(error):
            with self._key_refusal_lock:
                if self._key_refusal is None:
                    self._key_refusal = explanation

    def _key_is_view_only(self):
        user = self.current_user()
        return user is not None and is_view_only(user)

    # ---------------------------------------------------------------- phase 2

    def _act(self, tracked):
        """Act on one order; whatever goes wrong ends up in its entry, and the other orders carry on."""
        try:
            self._act_on(tracked)
        except Exception as error:  # pylint: disable=broad-except
            self._settle_unexpected(tracked, error)

    def _settle_unexpected(self, tracked, error):
        """An error no rule foresaw (a bug, or a failure outside CertCentral): the order is reported as failed unless
        a read back shows the change made, since what the run reports changed must be exactly what changed."""
        happened = _unexpected(error)
        if not tracked.sent:
            tracked.finish(OUTCOME_FAILED, f"{tracked.subject} was not changed: {happened} This run sent nothing to change it.")
            return
        try:
            self.read_again(tracked)
            achieved = self.achieved(tracked)
            if achieved:
                self.report_achieved(tracked)
        except Exception as read_error:  # pylint: disable=broad-except
            tracked.status = None
            tracked.finish(
                OUTCOME_FAILED,
                f"{tracked.subject}: whether the attempt to {self.what(tracked)} took effect is unknown: {happened} "
                "Reading the order back "
                f"failed as well: {_unexpected(read_error)} Check it in CertCentral before running again.",
            )
            return
        if achieved:
            tracked.finish(tracked.outcome, f"{tracked.message} (After the request was sent: {happened})")
        else:
            tracked.finish(
                OUTCOME_FAILED,
                f"{tracked.subject}: after the request to {self.what(tracked)} was sent: {happened} Reading the order "
                f"back shows it {tracked.status}, "
                "without the change. Check it in CertCentral before running again.",
            )

    def _act_on(self, tracked):
        if self._refused_before(tracked):
            return
        try:
            self.read_again(tracked)
        except CertCentralError as error:
            self._finish_unread(tracked, error, f"{tracked.subject} was not acted on: reading it right before acting failed. ")
            return
        fresh = self.plan(tracked.order)
        if not fresh.same_change_as(tracked.plan):
            self._report_changed_order(tracked, fresh)
            return
        tracked.confirm_plan(fresh)
        self._write(tracked, attempt=1)

    def _report_changed_order(self, tracked, fresh):
        """The order moved on since the plan; report what it is now and never act on the new plan."""
        tracked.verdict = fresh.verdict
        changed = (
            f"{tracked.subject} changed since it was {'first read' if tracked.known_from == 'read' else 'listed'} "
            f"({_what_changed(tracked, tracked.status_before)}), so this run did not {self.what(tracked)}."
        )
        if fresh.action is None:
            self._adopt_request(tracked, fresh)
            tracked.finish(fresh.outcome, f"{changed} {fresh.message}")
        else:
            tracked.finish(self.OUTCOME_NOT_POSSIBLE, f"{changed} {fresh.message} Run again to act on its current status.")

    @staticmethod
    def _adopt_request(tracked, fresh):
        """Report the request a fresh plan without a change is about, for example one someone else created."""
        if fresh.request_id is not None and fresh.request_id != tracked.request_id:
            tracked.request_id = fresh.request_id
            tracked.request_status = request_status(tracked.order, fresh.request_id)

    def _refused_before(self, tracked):
        """Whether an earlier call refused the key; ``tracked`` is then reported as failed, since any call would be."""
        if self._key_refusal is None:
            return False
        tracked.finish(OUTCOME_FAILED, f"{tracked.subject} was not acted on: the API key was refused on an earlier call. {self._key_refusal}")
        return True

    def _write(self, tracked, attempt):
        if self._refused_before(tracked):
            return
        try:
            tracked.sent = True
            answer = self.send(tracked)
        except CertCentralError as error:
            explanation = self.explain_refusal(tracked, error)
            self._note_key_refusal(error, explanation)
            if error.outcome_unknown:
                self._settle_unknown(tracked, error, attempt)
            elif error.http_status is not None and 400 <= error.http_status < 500 and error.http_status not in (401, 403, 429):
                self._settle_refusal(tracked, error)
            else:
                # Refused for the key, throttled throughout, or never arrived: nothing was changed.
                tracked.finish(OUTCOME_FAILED, f"{tracked.subject}: could not {self.what(tracked)}. {explanation}")
            return
        self.settle_success(tracked, answer)

    def _settle_unknown(self, tracked, error, attempt):
        """The write may or may not have been applied: judge by reading the order back, never by guessing."""
        try:
            self.read_again(tracked)
        except CertCentralError as read_error:
            tracked.status = None
            tracked.finish(
                OUTCOME_FAILED,
                f"{tracked.subject}: whether the attempt to {self.what(tracked)} took effect is unknown. {error} Reading the order "
                f"back failed as well: {read_error} Check it in CertCentral before running again.",
            )
            return
        if self.achieved(tracked):
            self.report_achieved(tracked)
            return
        unchanged = tracked.status == tracked.status_when_acting and self.plan(tracked.order).same_change_as(tracked.plan)
        if unchanged and not self.shows_at_once(tracked):
            tracked.finish(
                OUTCOME_FAILED,
                f"{tracked.subject}: the attempt to {self.what(tracked)} ended without a clear answer. {error} Reading "
                "it back shows no "
                f"trace of it yet, and {self.why_not_sent_again(tracked)} so it is not sent again. Check the order in CertCentral (or run "
                "again later) before sending it again.",
            )
            return
        if unchanged and attempt <= self.client.retries:
            # The read proves this attempt had no effect, so another one cannot do anything twice. The attempts are
            # bounded by the same retries option as every other call.
            self.client.pause_before_retry(f"{tracked.subject} ({self.what(tracked)})", f"had no visible effect after {_first_sentence(str(error))}", attempt)
            self._write(tracked, attempt + 1)
            return
        if unchanged:
            known = (
                f"None of the {attempt} attempts had a visible effect: the order is still {tracked.status}."
                if attempt > 1
                else f"The attempt had no visible effect: the order is still {tracked.status}."
            )
        else:
            known = f"Reading it back shows it {tracked.status}, which this run did not cause in any way it can tell."
        tracked.finish(
            OUTCOME_FAILED,
            f"{tracked.subject}: the attempt to {self.what(tracked)} ended without a clear answer. {error} {known} Check "
            "it in CertCentral "
            "before running again.",
        )

    def _settle_refusal(self, tracked, error):
        """CertCentral refused the write, so nothing changed; the order's status tells whether it moved on."""
        try:
            self.read_again(tracked)
        except CertCentralError as read_error:
            tracked.status = None
            tracked.finish(OUTCOME_FAILED, f"{tracked.subject}: could not {self.what(tracked)}. {error} Reading the order back failed as well: {read_error}")
            return
        fresh = self.plan(tracked.order)
        tracked.verdict = fresh.verdict
        if fresh.same_change_as(tracked.plan) and tracked.status == tracked.status_when_acting:
            # Not a status problem: the order could still be changed, so this is a failure, not a verdict.
            tracked.finish(OUTCOME_FAILED, f"{tracked.subject}: could not {self.what(tracked)}, although it is still {tracked.status}. {error}")
        elif fresh.action is None and fresh.outcome in self.SETTLED_OUTCOMES:
            self._adopt_request(tracked, fresh)
            tracked.finish(
                fresh.outcome,
                f"{tracked.subject} changed under this run ({_what_changed(tracked, tracked.status_when_acting)}); "
                f"CertCentral refused the change: {error} {fresh.message}",
            )
        else:
            what_changed = _what_changed(tracked, tracked.status_when_acting)
            tracked.finish(
                self.OUTCOME_NOT_POSSIBLE,
                f"{tracked.subject} changed under this run ({what_changed}), so this run did not {self.what(tracked)}. {error} {fresh.message}",
            )
