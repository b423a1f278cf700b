# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import copy
import json

import pytest

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.bulk import listing_pages
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.client import CertCentralClient
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.order_input import listed_orders
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.cancellation import (
    CHANGE_OUTCOMES,
    NOTE_MAX_LENGTH,
    OUTCOMES,
    WOULD_CHANGE_OUTCOMES,
    CancellationRun,
    CancelOptions,
    normalize_note,
    plan_order,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.run_report import (
    build_diff as build_run_diff,
    summarize as summarize_outcomes,
)
from ansible_collections.certops.digicert.tests.unit.plugins.module_utils._certcentral.doubles import calls, request, writes

REFUND = "Order %d was paid from the account balance. Canceling does not credit the balance automatically: ask DigiCert Support for a refund."
RESULT_KEYS = {"id", "common_name", "status_before", "status", "cancel_verdict", "outcome", "message", "refund_hint", "request_id"}


def order_info(order_id, status="pending", requests_=None, payment_method="card", product="ssl_basic", **extra):
    """An order as order info returns it. By default its new request was approved long ago."""
    order = {
        "id": order_id,
        "status": status,
        "payment_method": payment_method,
        "product": {"name_id": product, "type": "client_certificate" if product.startswith("client") else "ssl_certificate"},
        "certificate": {"common_name": f"host{order_id}.example.com"},
        "requests": requests_ if requests_ is not None else [request(order_id * 10, "new_request", "approved", "2025-12-01T08:00:00+00:00")],
    }
    order.update(extra)
    return order


def needs_approval(order_id, request_status="pending"):
    return order_info(order_id, "needs_approval", [request(order_id * 10, "new_request", request_status)])


def reissue_pending(order_id, request_status="pending"):
    return order_info(
        order_id,
        "reissue_pending",
        [
            request(order_id * 10, "new_request", "approved", "2025-06-01T08:00:00+00:00"),
            request(order_id * 10 + 1, "reissue", request_status, "2026-01-10T08:00:00+00:00"),
        ],
    )


def options(**overrides):
    values = dict(note="Ordered by mistake")
    values.update(overrides)
    return CancelOptions(**values)


def listings(sent):
    """The listing requests among the calls ``sent``."""
    return [call for call in sent if call[1].startswith("/order/certificate?")]


def stops_run(outcome, chosen):
    """Whether a cancel run with the options ``chosen`` stops on an order with this outcome: the run's own rule."""
    return CancellationRun(None, [], chosen).stops(outcome)


def summarize(outcomes):
    """The summary a cancel run gives for these outcomes."""
    return summarize_outcomes(outcomes, OUTCOMES)


def build_diff(records, check_mode):
    """The diff a cancel run gives for these records, with its own prediction of what a planned change leaves."""
    return build_run_diff(records, check_mode, CancellationRun(None, [], options()).predict)


def run(make_client, account, clock, orders, order_ids=None, check_mode=False, workers=1, **option_values):
    account.orders.update((order["id"], copy.deepcopy(order)) for order in orders)
    if order_ids is None:
        order_ids = [order["id"] for order in orders]
    client = make_client(workers=workers)
    return CancellationRun(client, order_ids, options(**option_values), check_mode=check_mode).execute()


def outcomes(report):
    return [(entry["id"], entry["outcome"]) for entry in report.orders]


# ---------------------------------------------------------------- input


@pytest.mark.parametrize("note", [None, "", "   \n\t"])
def test_note_is_required(note):
    with pytest.raises(ValueError, match="note must not be empty: CertCentral requires a note on every cancellation"):
        normalize_note(note)


def test_note_length_is_limited_after_stripping():
    assert normalize_note("  x" * 1 + " " * 50) == "x"
    assert normalize_note(" " + "n" * NOTE_MAX_LENGTH + " ") == "n" * NOTE_MAX_LENGTH
    with pytest.raises(ValueError, match="note is 1001 characters long; at most 1000 are allowed."):
        normalize_note("n" * (NOTE_MAX_LENGTH + 1))


@pytest.mark.parametrize(
    "values, message",
    [
        (dict(max_cancellations=-1), "max_cancellations must be 0 or more, got -1."),
    ],
)
def test_bad_options(values, message):
    with pytest.raises(ValueError) as caught:
        options(**values)
    assert str(caught.value) == message


def test_option_defaults():
    chosen = options()
    assert (chosen.reject_pending_request, chosen.cancel_reissue, chosen.missing_ok, chosen.fail_on_not_possible, chosen.max_changes) == (
        False,
        False,
        False,
        True,
        None,
    )


# ---------------------------------------------------------------- planning: every status x option

PLAIN = dict()
REJECT = dict(reject_pending_request=True)
REISSUE = dict(cancel_reissue=True)
BOTH = dict(reject_pending_request=True, cancel_reissue=True)
ALL_OPTIONS = [PLAIN, REJECT, REISSUE, BOTH]


def plan_for(order, **option_values):
    plan = plan_order(order, options(**option_values))
    return plan.outcome, plan.action, plan.request_id


@pytest.mark.parametrize("option_values", ALL_OPTIONS)
@pytest.mark.parametrize("status", ["pending", "waiting_pickup"])
def test_pending_orders_are_canceled_whatever_the_options(status, option_values):
    assert plan_for(order_info(5, status), **option_values) == ("canceled", "cancel", None)


@pytest.mark.parametrize(
    "option_values, expected",
    [
        (PLAIN, ("not_cancelable", None, None)),
        (REISSUE, ("not_cancelable", None, None)),
        (REJECT, ("request_rejected", "reject_request", 50)),
        (BOTH, ("request_rejected", "reject_request", 50)),
    ],
)
def test_needs_approval_rejects_its_request_only_when_asked(option_values, expected):
    assert plan_for(needs_approval(5), **option_values) == expected


def test_needs_approval_message_names_the_option():
    plan = plan_order(needs_approval(5), options())
    assert plan.message.startswith("Order 5 needs approval: it has not been placed with DigiCert yet")
    assert plan.message.endswith(
        "It was left alone because reject_pending_request is false; set reject_pending_request=true to reject request 50 with the note as processor comment."
    )


@pytest.mark.parametrize("option_values", ALL_OPTIONS)
def test_needs_approval_with_its_request_already_rejected_has_nothing_to_cancel(option_values):
    plan = plan_order(needs_approval(5, "rejected"), options(**option_values))
    assert (plan.outcome, plan.action) == ("nothing_to_cancel", None)
    assert plan.message == "Order 5 needs approval, but its request 50 was already rejected; there is nothing to cancel."


@pytest.mark.parametrize("option_values", ALL_OPTIONS)
def test_needs_approval_without_a_request_to_reject_is_not_cancelable(option_values):
    plan = plan_order(order_info(5, "needs_approval", []), options(**option_values))
    assert (plan.outcome, plan.action) == ("not_cancelable", None)
    assert "no request this module could reject" in plan.message


@pytest.mark.parametrize(
    "option_values, expected",
    [
        (PLAIN, ("not_cancelable", None, None)),
        (REJECT, ("not_cancelable", None, None)),
        (REISSUE, ("reissue_canceled", "cancel_reissue", 51)),
        (BOTH, ("reissue_canceled", "cancel_reissue", 51)),
    ],
)
def test_pending_reissue_is_canceled_only_when_asked(option_values, expected):
    assert plan_for(reissue_pending(5), **option_values) == expected


def test_pending_reissue_message_names_the_option():
    assert plan_order(reissue_pending(5), options()).message.endswith(
        "It was left alone because cancel_reissue is false; set cancel_reissue=true to cancel the pending reissue."
    )


def test_generated_client_reissue_is_never_canceled():
    order = reissue_pending(5, "approved")
    order.update(product={"name_id": "client_premium_sha2", "type": "client_certificate"}, certificate={"date_issued": "2026-01-11T08:00:00+00:00"})
    assert plan_for(order, **BOTH) == ("not_cancelable", None, None)


@pytest.mark.parametrize("option_values", ALL_OPTIONS)
def test_issued_orders_are_not_cancelable(option_values):
    plan = plan_order(order_info(5, "issued"), options(**option_values))
    assert (plan.outcome, plan.action) == ("not_cancelable", None)
    assert plan.message.startswith("Order 5 is issued: DigiCert has issued the certificate")


@pytest.mark.parametrize(
    "requests_, option_values, expected",
    [
        # The rerun of a canceled reissue: the newest reissue request was rejected and none is pending.
        ([request(51, "reissue", "rejected", "2026-01-10T08:00:00+00:00")], REISSUE, "nothing_to_cancel"),
        ([request(51, "reissue", "rejected", "2026-01-10T08:00:00+00:00")], PLAIN, "not_cancelable"),
        # A completed reissue is not the trace of a canceled one.
        ([request(51, "reissue", "approved", "2026-01-10T08:00:00+00:00")], REISSUE, "not_cancelable"),
        (
            [request(51, "reissue", "rejected", "2026-01-10T08:00:00+00:00"), request(52, "reissue", "approved", "2026-02-10T08:00:00+00:00")],
            REISSUE,
            "not_cancelable",
        ),
        (
            [request(52, "reissue", "approved", "2026-02-10T08:00:00+00:00"), request(51, "reissue", "rejected", "2026-01-10T08:00:00+00:00")],
            REISSUE,
            "not_cancelable",
        ),
        # Dates that cannot be read fall back to the request IDs.
        ([request(51, "reissue", "approved", None), request(52, "reissue", "rejected", None)], REISSUE, "nothing_to_cancel"),
        ([], REISSUE, "not_cancelable"),
    ],
)
def test_issued_order_with_a_rejected_reissue(requests_, option_values, expected):
    assert plan_for(order_info(5, "issued", requests_), **option_values)[0] == expected


@pytest.mark.parametrize("option_values", ALL_OPTIONS)
def test_canceled_orders_are_already_canceled(option_values):
    plan = plan_order(order_info(5, "canceled"), options(**option_values))
    assert (plan.outcome, plan.action, plan.refund_hint) == ("already_canceled", None, None)
    assert plan.message == "Order 5 is already canceled; nothing to do."


@pytest.mark.parametrize("option_values", ALL_OPTIONS)
@pytest.mark.parametrize("status", ["rejected", "revoked", "expired", "REVOKED"])
def test_finished_orders_have_nothing_to_cancel(status, option_values):
    assert plan_for(order_info(5, status), **option_values) == ("nothing_to_cancel", None, None)


@pytest.mark.parametrize("option_values", ALL_OPTIONS)
@pytest.mark.parametrize("status", ["processing", "approved", "", None])
def test_unknown_statuses_are_not_cancelable(status, option_values):
    plan = plan_order(order_info(5, status), options(**option_values))
    assert (plan.outcome, plan.action) == ("not_cancelable", None)
    assert "which this collection does not act on" in plan.message


def test_pending_order_whose_request_still_awaits_approval():
    order = order_info(5, "pending", [request(50, "new_request", "pending")])
    assert plan_for(order) == ("not_cancelable", None, None)
    assert plan_for(order, **REJECT) == ("request_rejected", "reject_request", 50)


@pytest.mark.parametrize("status, outcome", [("pending", "canceled"), ("canceled", "already_canceled"), ("issued", "not_cancelable")])
def test_refund_hint_of_balance_paid_orders(status, outcome):
    plan = plan_order(order_info(5, status, payment_method="balance"), options())
    assert plan.outcome == outcome
    assert plan.refund_hint == (REFUND % 5 if outcome in ("canceled", "already_canceled") else None)


def test_plan_carries_the_verdict():
    plan = plan_order(order_info(5, "pending"), options())
    assert plan.verdict["cancelable"] is True
    assert plan.verdict["action"] == "cancel"
    assert plan.message == plan.verdict["reason"]


@pytest.mark.parametrize(
    "outcome, option_values, stops",
    [
        ("failed", PLAIN, True),
        ("missing", PLAIN, True),
        ("missing", dict(missing_ok=True), False),
        ("not_cancelable", PLAIN, True),
        ("not_cancelable", dict(fail_on_not_cancelable=False), False),
    ]
    + [(outcome, PLAIN, False) for outcome in CHANGE_OUTCOMES + WOULD_CHANGE_OUTCOMES + ("already_canceled", "nothing_to_cancel")],
)
def test_which_outcomes_stop_the_run(outcome, option_values, stops):
    assert stops_run(outcome, options(**option_values)) is stops


def test_summary_counts_every_outcome_including_zeros():
    summary = summarize(["canceled", "canceled", "missing"])
    assert set(summary) == set(OUTCOMES)
    assert summary["canceled"] == 2
    assert summary["missing"] == 1
    assert sum(summary.values()) == 3


# ---------------------------------------------------------------- diff


def diff_record(order_id, before, after, outcome, request_id=None, request_before=None, request_after=None):
    return dict(
        id=order_id,
        status_before=before,
        status=after,
        outcome=outcome,
        request_id=request_id,
        request_status_before=request_before,
        request_status=request_after,
    )


def test_diff_of_a_real_run_shows_what_was_read():
    diff = build_diff(
        [
            diff_record(1, "pending", "canceled", "canceled"),
            diff_record(2, "needs_approval", "rejected", "request_rejected", 20, "pending", "rejected"),
            diff_record(3, None, None, "missing"),
        ],
        check_mode=False,
    )
    assert diff == {
        "before": {
            "orders": {"1": {"status": "pending"}, "2": {"status": "needs_approval", "request": {"id": 20, "status": "pending"}}, "3": {"status": None}}
        },
        "after": {"orders": {"1": {"status": "canceled"}, "2": {"status": "rejected", "request": {"id": 20, "status": "rejected"}}, "3": {"status": None}}},
    }
    assert list(diff["after"]["orders"]) == ["1", "2", "3"]


def test_diff_in_check_mode_shows_what_the_plan_would_leave():
    diff = build_diff(
        [
            diff_record(1, "pending", "pending", "would_cancel"),
            diff_record(2, "reissue_pending", "reissue_pending", "would_cancel_reissue", 21, "pending", "pending"),
            diff_record(3, "needs_approval", "needs_approval", "would_reject_request", 30, "pending", "pending"),
            diff_record(4, "issued", "issued", "not_cancelable"),
        ],
        check_mode=True,
    )
    assert diff["after"]["orders"] == {
        "1": {"status": "canceled"},
        "2": {"status": "issued", "request": {"id": 21, "status": "rejected"}},
        # What rejecting the request does to the order's status is not documented, so it is not predicted.
        "3": {"status": "needs_approval", "request": {"id": 30, "status": "rejected"}},
        "4": {"status": "issued"},
    }
    assert diff["before"]["orders"]["2"] == {"status": "reissue_pending", "request": {"id": 21, "status": "pending"}}


def test_diff_of_a_stopped_real_run_shows_no_change():
    diff = build_diff([diff_record(1, "pending", "pending", "would_cancel")], check_mode=False)
    assert diff["before"] == diff["after"]


# ---------------------------------------------------------------- a normal run


def test_batch_is_canceled_with_a_read_before_and_right_before_each_write(make_client, transport, account, clock):
    report = run(
        make_client,
        account,
        clock,
        [order_info(1), order_info(2, "waiting_pickup", payment_method="balance"), order_info(3)],
        note="  Abandoned for 30 days \n",
    )
    assert report.failure is None
    assert report.changed is True
    assert outcomes(report) == [(1, "canceled"), (2, "canceled"), (3, "canceled")]
    assert calls(transport) == [
        ("GET", "/order/certificate/1"),
        ("GET", "/order/certificate/2"),
        ("GET", "/order/certificate/3"),
        ("GET", "/user/me"),
        ("GET", "/order/certificate/1"),
        ("PUT", "/order/certificate/1/status"),
        ("GET", "/order/certificate/2"),
        ("PUT", "/order/certificate/2/status"),
        ("GET", "/order/certificate/3"),
        ("PUT", "/order/certificate/3/status"),
    ]
    assert json.loads(transport.sent[5].body) == {"status": "canceled", "note": "Abandoned for 30 days"}
    second = report.orders[1]
    assert set(second) == RESULT_KEYS
    assert second["status_before"] == "waiting_pickup"
    assert second["status"] == "canceled"
    assert second["message"] == "Order 2 was canceled (it was waiting_pickup); the note is in the CertCentral audit log."
    assert second["refund_hint"] == REFUND % 2
    assert second["cancel_verdict"]["action"] == "cancel"
    assert second["request_id"] is None
    assert report.orders[0]["refund_hint"] is None
    assert report.summary["canceled"] == 3
    assert [order["status"] for order in account.orders.values()] == ["canceled"] * 3


def test_many_orders_run_concurrently_and_keep_their_order(make_client, transport, account, clock):
    orders = [order_info(order_id) for order_id in range(100, 130)]
    report = run(make_client, account, clock, orders, order_ids=list(range(129, 99, -1)), workers=4)
    assert [entry["id"] for entry in report.orders] == list(range(129, 99, -1))
    assert set(entry["outcome"] for entry in report.orders) == {"canceled"}
    sent = calls(transport)
    # The 30 pending orders are planned from their listing (the first pages of pending and waiting_pickup orders,
    # which hold them all), so each is read once, right before it is canceled, and /user/me is read once.
    assert len(listings(sent)) == 2
    assert len(sent) == 2 * 30 + 2 + 1
    for order_id in range(100, 130):
        assert sent.count(("GET", f"/order/certificate/{order_id}")) == 1
        assert sent.count(("PUT", f"/order/certificate/{order_id}/status")) == 1


def test_every_kind_of_change_and_its_idempotent_rerun(make_client, transport, account, clock):
    orders = [order_info(1), needs_approval(2), reissue_pending(3, "approved"), order_info(4, "canceled"), order_info(5, "expired")]
    first = run(make_client, account, clock, orders, **BOTH)
    assert first.failure is None
    assert first.changed is True
    assert outcomes(first) == [(1, "canceled"), (2, "request_rejected"), (3, "reissue_canceled"), (4, "already_canceled"), (5, "nothing_to_cancel")]
    rejected, reissue = first.orders[1], first.orders[2]
    assert rejected["request_id"] == 20
    assert rejected["status"] == "rejected"
    assert rejected["message"] == ("Request 20 of order 2 was rejected, with the note as processor comment. The order is now rejected.")
    assert reissue["request_id"] == 31
    assert (reissue["status_before"], reissue["status"]) == ("reissue_pending", "issued")
    assert account.orders[2]["requests"][0]["processor_comment"] == "Ordered by mistake"
    assert account.orders[3]["requests"][1]["status"] == "rejected"
    assert ("PUT", "/request/20/status") in writes(transport)

    del transport.sent[:]
    second = CancellationRun(make_client(workers=1), [1, 2, 3, 4, 5], options(**BOTH)).execute()
    assert second.failure is None
    assert second.changed is False
    assert outcomes(second) == [(1, "already_canceled"), (2, "nothing_to_cancel"), (3, "nothing_to_cancel"), (4, "already_canceled"), (5, "nothing_to_cancel")]
    assert writes(transport) == []
    assert ("GET", "/user/me") not in calls(transport)


def test_request_rejection_that_leaves_the_order_waiting_is_rerun_safely(make_client, transport, account, clock):
    # CertCentral does not document what rejecting the request does to the order; it may stay needs_approval.
    order = needs_approval(2, "rejected")
    report = run(make_client, account, clock, [order], **REJECT)
    assert outcomes(report) == [(2, "nothing_to_cancel")]
    assert report.changed is False


def test_diff_of_a_real_run(make_client, account, clock):
    report = run(make_client, account, clock, [order_info(1), needs_approval(2)], **REJECT)
    assert report.diff["before"]["orders"] == {
        "1": {"common_name": "host1.example.com", "status": "pending"},
        "2": {"common_name": "host2.example.com", "status": "needs_approval", "request": {"id": 20, "status": "pending"}},
    }
    assert report.diff["after"]["orders"] == {
        "1": {"common_name": "host1.example.com", "status": "canceled"},
        "2": {"common_name": "host2.example.com", "status": "rejected", "request": {"id": 20, "status": "rejected"}},
    }


def test_no_orders_no_requests(make_client, transport, account, clock):
    report = run(make_client, account, clock, [])
    assert (report.orders, report.changed, report.failure) == ([], False, None)
    assert transport.sent == []


# ---------------------------------------------------------------- check mode


def test_check_mode_reads_and_plans_but_changes_nothing(make_client, transport, account, clock):
    orders = [order_info(1, payment_method="balance"), needs_approval(2), reissue_pending(3), order_info(4, "canceled"), order_info(5, "issued")]
    report = run(make_client, account, clock, orders, check_mode=True, fail_on_not_cancelable=False, **BOTH)
    assert writes(transport) == []
    assert report.failure is None
    assert report.changed is True
    assert outcomes(report) == [(1, "would_cancel"), (2, "would_reject_request"), (3, "would_cancel_reissue"), (4, "already_canceled"), (5, "not_cancelable")]
    assert [entry["status"] for entry in report.orders] == [entry["status_before"] for entry in report.orders]
    assert report.orders[0]["refund_hint"] == REFUND % 1
    assert report.orders[1]["request_id"] == 20
    assert report.orders[2]["request_id"] == 31
    assert report.diff["after"]["orders"]["1"] == {"common_name": "host1.example.com", "status": "canceled"}
    assert report.summary["would_cancel"] == 1
    assert report.summary["canceled"] == 0


def test_check_mode_without_changes(make_client, transport, account, clock):
    report = run(make_client, account, clock, [order_info(1, "canceled"), order_info(2, "revoked")], check_mode=True)
    assert report.changed is False
    assert report.failure is None
    assert ("GET", "/user/me") not in calls(transport)


def test_check_mode_fails_where_a_real_run_would(make_client, transport, account, clock):
    report = run(make_client, account, clock, [order_info(1), order_info(2, "issued")], check_mode=True)
    assert report.failure.startswith("Nothing was changed: 1 of 2 orders stop the run. Order 2 is issued")
    assert report.changed is False
    assert outcomes(report) == [(1, "would_cancel"), (2, "not_cancelable")]
    assert writes(transport) == []


# ---------------------------------------------------------------- pre-flight: stop before any change


def test_one_order_that_cannot_be_canceled_stops_the_whole_run(make_client, transport, account, clock):
    report = run(make_client, account, clock, [order_info(1), order_info(2, "issued"), needs_approval(3), order_info(4, "canceled")])
    assert writes(transport) == []
    assert report.changed is False
    assert outcomes(report) == [(1, "would_cancel"), (2, "not_cancelable"), (3, "not_cancelable"), (4, "already_canceled")]
    assert report.failure.startswith("Nothing was changed: 2 of 4 orders stop the run. Order 2 is issued: ")
    assert "Order 3 needs approval" in report.failure
    assert all(entry["cancel_verdict"] is not None for entry in report.orders)
    assert ("GET", "/user/me") not in calls(transport)


def test_orders_that_cannot_be_canceled_are_skipped_when_asked(make_client, transport, account, clock):
    report = run(make_client, account, clock, [order_info(1), order_info(2, "issued")], fail_on_not_cancelable=False)
    assert report.failure is None
    assert outcomes(report) == [(1, "canceled"), (2, "not_cancelable")]
    assert writes(transport) == [("PUT", "/order/certificate/1/status")]


def test_unknown_order_stops_the_run_unless_missing_ok(make_client, transport, account, clock):
    report = run(make_client, account, clock, [order_info(1)], order_ids=[1, 404])
    assert writes(transport) == []
    assert outcomes(report) == [(1, "would_cancel"), (404, "missing")]
    missing = report.orders[1]
    assert missing["message"].startswith("Order 404 does not exist or is not in this account")
    assert missing["message"].endswith("Set missing_ok=true to skip orders that do not exist.")
    assert (missing["status_before"], missing["status"], missing["cancel_verdict"]) == (None, None, None)

    report = CancellationRun(make_client(workers=1), [1, 404], options(missing_ok=True)).execute()
    assert report.failure is None
    assert outcomes(report) == [(1, "canceled"), (404, "missing")]
    assert report.orders[1]["message"].endswith("It is skipped because missing_ok is true.")


def test_a_404_that_is_not_about_the_order_is_never_missing(make_client, transport, account, clock):
    account.faults[("GET", 1)] = [dict(status=404, body={"errors": [{"code": "not_found|route", "message": "No route."}]})]
    report = run(make_client, account, clock, [order_info(1)], missing_ok=True)
    assert outcomes(report) == [(1, "failed")]
    assert "Check that api_url ends in /services/v2" in report.failure


def test_order_info_for_another_order_is_not_acted_on(make_client, transport, account, clock):
    account.orders[77] = order_info(12)
    report = run(make_client, account, clock, [], order_ids=[77])
    assert outcomes(report) == [(77, "failed")]
    assert report.orders[0]["message"] == ("CertCentral answered the read of order 77 with order 12; that order is not acted on. Check the order ID.")
    assert writes(transport) == []


def test_a_refused_key_stops_reading(make_client, transport, account, clock):
    account.faults[("GET", 1)] = [
        dict(status=403, body={"errors": [{"code": "access_denied|access_denied_invalid_key", "message": "Access denied due to access_denied_invalid_key."}]})
    ]
    report = run(make_client, account, clock, [order_info(1), order_info(2), order_info(3)])
    assert len(transport.sent) == 1
    assert outcomes(report) == [(1, "failed"), (2, "failed"), (3, "failed")]
    assert report.failure.startswith("Nothing was changed: 3 of 3 orders stop the run. CertCentral rejected the API key")
    assert report.orders[2]["message"].startswith("Order 3 was not read: the API key was refused on an earlier call.")


@pytest.mark.parametrize("limit, stops", [(1, True), (2, False), (None, False)])
def test_max_cancellations(make_client, transport, account, clock, limit, stops):
    orders = [order_info(1), reissue_pending(2), order_info(3, "canceled"), order_info(4, "issued")]
    report = run(make_client, account, clock, orders, max_cancellations=limit, cancel_reissue=True, fail_on_not_cancelable=False)
    if stops:
        assert writes(transport) == []
        assert report.failure == (
            "Nothing was changed: 2 orders would be changed (1 canceled, 1 reissue_canceled), "
            "more than max_cancellations=1 allows. If that many is intended, set "
            "max_cancellations to 2 or more; otherwise pass fewer orders."
        )
        assert outcomes(report) == [(1, "would_cancel"), (2, "would_cancel_reissue"), (3, "already_canceled"), (4, "not_cancelable")]
        assert report.changed is False
    else:
        assert report.failure is None
        assert len(writes(transport)) == 2


def test_max_cancellations_zero_allows_a_rerun_with_nothing_to_do(make_client, account, clock):
    report = run(make_client, account, clock, [order_info(1, "canceled")], max_cancellations=0)
    assert report.failure is None


def test_view_only_key_stops_before_any_change(make_client, transport, account, clock):
    account.user = {"id": 1003, "access_roles": [{"id": 102, "name": "View Only"}]}
    report = run(make_client, account, clock, [order_info(1)])
    assert writes(transport) == []
    assert report.failure.startswith("Nothing was changed: the API key is restricted to View Only")
    assert outcomes(report) == [(1, "would_cancel")]


@pytest.mark.parametrize(
    "user_answer",
    [
        dict(status=403, body={"errors": [{"code": "access_denied|missing_permission", "message": "No."}]}),
        dict(body={"id": 1002, "access_roles": [{"id": 100, "name": "Orders"}]}),
        dict(body={"id": 1002}),
    ],
)
def test_key_that_is_not_known_to_be_view_only_may_act(make_client, transport, account, clock, user_answer):
    account.user_answer = user_answer
    report = run(make_client, account, clock, [order_info(1)])
    assert outcomes(report) == [(1, "canceled")]


# ---------------------------------------------------------------- freshness: re-read, re-plan, never escalate


def test_every_order_is_read_again_right_before_it_is_changed(make_client, transport, account, clock):
    report = run(make_client, account, clock, [order_info(1), order_info(2)])
    assert outcomes(report) == [(1, "canceled"), (2, "canceled")]
    assert calls(transport)[3:] == [
        ("GET", "/order/certificate/1"),
        ("PUT", "/order/certificate/1/status"),
        ("GET", "/order/certificate/2"),
        ("PUT", "/order/certificate/2/status"),
    ]


def nothing(fake):
    """A fault that lets the call through unchanged: it uses up one call."""


def test_an_order_given_a_reissue_right_after_its_first_read_keeps_its_reissue(make_client, transport, account, clock):
    # Someone issues the order and requests a reissue between the run's two reads of it. The cancel call would cancel
    # that reissue instead of the order, so the order must be left alone.
    account.faults[("GET", 1)] = [nothing, change_status(1, "reissue_pending", [request(11, "reissue", "pending")])]
    report = run(make_client, account, clock, [order_info(1), order_info(2)], fail_on_not_cancelable=False, **BOTH)
    assert writes(transport) == [("PUT", "/order/certificate/2/status")]
    assert outcomes(report) == [(1, "not_cancelable"), (2, "canceled")]
    assert report.orders[0]["message"].startswith(
        "Order 1 changed since it was first read (it was pending, now it is reissue_pending), so this run did not cancel the order."
    )


def listing_entry(order_id, status="pending", **fields):
    """An order entry as digicert_order_info lists it: no requests."""
    entry = {
        "id": order_id,
        "status": status,
        "product_name_id": "ssl_basic",
        "product_type": "ssl_certificate",
        "payment_method": "card",
        "requests": None,
        "common_name": f"host{order_id}.example.com",
    }
    entry.update(fields)
    return entry


def run_listed(make_client, account, orders, entries, check_mode=False, **option_values):
    account.orders.update((order["id"], copy.deepcopy(order)) for order in orders)
    order_ids, listed = listed_orders(entries)
    return CancellationRun(make_client(workers=1), order_ids, options(**option_values), check_mode=check_mode, listed=listed).execute()


def test_listed_pending_orders_are_planned_from_the_listing(make_client, transport, account):
    report = run_listed(make_client, account, [order_info(1), order_info(2, "waiting_pickup")], [listing_entry(1), listing_entry(2, "waiting_pickup")])
    assert outcomes(report) == [(1, "canceled"), (2, "canceled")]
    # No read before the key's check: the only reads are the ones right before each change.
    assert calls(transport) == [
        ("GET", "/user/me"),
        ("GET", "/order/certificate/1"),
        ("PUT", "/order/certificate/1/status"),
        ("GET", "/order/certificate/2"),
        ("PUT", "/order/certificate/2/status"),
    ]
    assert [entry["status_before"] for entry in report.orders] == ["pending", "waiting_pickup"]


def test_the_read_before_acting_gives_the_verdict_and_refund_hint(make_client, transport, account):
    report = run_listed(make_client, account, [order_info(1, payment_method="balance")], [listing_entry(1)])
    entry = report.orders[0]
    assert entry["refund_hint"] == REFUND % 1
    assert "not ruled out" not in entry["cancel_verdict"]["reason"]


def test_a_check_run_from_a_listing_reads_nothing(make_client, transport, account):
    report = run_listed(make_client, account, [order_info(1)], [listing_entry(1)], check_mode=True)
    assert outcomes(report) == [(1, "would_cancel")]
    assert calls(transport) == [("GET", "/user/me")]
    assert "Its requests were not read" in report.orders[0]["message"]


def test_a_check_run_from_a_listing_names_each_order_by_its_listed_common_name(make_client, transport, account):
    report = run_listed(
        make_client,
        account,
        [order_info(1), order_info(2)],
        [listing_entry(1, common_name="shop.example.com"), listing_entry(2, common_name=None)],
        check_mode=True,
    )
    assert calls(transport) == [("GET", "/user/me")]
    assert [entry["common_name"] for entry in report.orders] == ["shop.example.com", None]
    # An order whose common name is unknown is keyed by its ID alone, without a null beside it.
    assert report.diff["after"]["orders"] == {"1": {"common_name": "shop.example.com", "status": "canceled"}, "2": {"status": "canceled"}}


def test_results_and_diff_name_each_order_by_its_common_name(make_client, account, clock):
    report = run(make_client, account, clock, [order_info(1), reissue_pending(2)], **REISSUE)
    names = [(entry["id"], entry["common_name"]) for entry in report.orders]
    assert names == [(1, "host1.example.com"), (2, "host2.example.com")]
    assert report.diff["before"]["orders"]["2"] == {"common_name": "host2.example.com", "status": "reissue_pending", "request": {"id": 21, "status": "pending"}}
    assert report.diff["after"]["orders"]["2"] == {"common_name": "host2.example.com", "status": "issued", "request": {"id": 21, "status": "rejected"}}


def test_listed_orders_a_listing_cannot_plan_are_read_first(make_client, transport, account):
    report = run_listed(
        make_client,
        account,
        [reissue_pending(1), order_info(2, "issued")],
        [listing_entry(1, "reissue_pending"), listing_entry(2, "issued")],
        fail_on_not_cancelable=False,
        **REISSUE,
    )
    assert outcomes(report) == [(1, "reissue_canceled"), (2, "not_cancelable")]
    assert calls(transport) == [
        ("GET", "/order/certificate/1"),
        ("GET", "/order/certificate/2"),
        ("GET", "/user/me"),
        ("GET", "/order/certificate/1"),
        ("PUT", "/order/certificate/1/status"),
    ]
    assert report.orders[0]["request_id"] == 11


def test_a_listed_order_issued_since_the_listing_is_not_changed(make_client, transport, account):
    report = run_listed(make_client, account, [order_info(1, "issued"), order_info(2)], [listing_entry(1), listing_entry(2)], fail_on_not_cancelable=False)
    assert writes(transport) == [("PUT", "/order/certificate/2/status")]
    assert outcomes(report) == [(1, "not_cancelable"), (2, "canceled")]
    assert report.orders[0]["message"].startswith(
        "Order 1 changed since it was listed (it was pending, now it is issued), so this run did not cancel the order."
    )


def test_a_request_awaiting_approval_that_the_listing_could_not_show_stops_the_change(make_client, transport, account):
    awaiting = order_info(1, requests_=[request(10, "new_request", "pending")])
    report = run_listed(make_client, account, [awaiting], [listing_entry(1)], **REJECT)
    assert writes(transport) == []
    assert outcomes(report) == [(1, "not_cancelable")]
    assert "its requests, which a listing does not show, call for another change" in report.orders[0]["message"]
    assert report.failure.startswith("1 of 1 orders were not processed as asked (0 changed).")


@pytest.mark.parametrize("missing_ok, outcome", [(True, "missing"), (False, "missing")])
def test_a_listed_order_that_is_gone_is_found_missing_before_acting(make_client, transport, account, missing_ok, outcome):
    report = run_listed(make_client, account, [order_info(2)], [listing_entry(404), listing_entry(2)], missing_ok=missing_ok)
    assert outcomes(report) == [(404, outcome), (2, "canceled")]
    assert report.orders[0]["message"].startswith("Order 404 was not acted on: reading it right before acting failed.")
    assert (report.failure is None) is missing_ok


@pytest.mark.parametrize(
    "entries, message",
    [
        ("1", "orders must be a list of order entries as digicert_order_info returns them."),
        ([{"id": 1}], "Entry 1 of orders is not an order entry of digicert_order_info"),
        ([listing_entry(1), {"id": "2", "status": "pending"}], "Entry 2 of orders is not an order entry"),
        ([listing_entry(1), 7], "Entry 2 of orders is not an order entry"),
        ([listing_entry(1), listing_entry(1)], "orders names some orders more than once: 1."),
    ],
)
def test_listed_orders_must_be_order_entries(entries, message):
    with pytest.raises(ValueError) as caught:
        listed_orders(entries)
    assert str(caught.value).startswith(message)


def test_listed_orders_keep_what_a_plan_needs():
    order_ids, listed = listed_orders(
        [listing_entry(5, product_name_id="client_premium_sha2", payment_method="balance", requests=[request(50, "new_request", "pending")])]
    )
    assert order_ids == [5]
    assert listed[5] == {
        "id": 5,
        "status": "pending",
        "payment_method": "balance",
        "product": {"name_id": "client_premium_sha2", "type": "ssl_certificate"},
        "certificate": {"common_name": "host5.example.com"},
        "requests": [request(50, "new_request", "pending")],
    }


def change_status(order_id, status, requests_=None):
    def change(fake):
        fake.orders[order_id]["status"] = status
        if requests_ is not None:
            fake.orders[order_id]["requests"] = requests_

    return change


@pytest.mark.parametrize(
    "new_status, requests_, outcome, fragment",
    [
        (
            "issued",
            None,
            "not_cancelable",
            "Order 1 changed since it was first read (it was pending, now it is issued), so this run did not cancel the order. Order 1 is issued",
        ),
        ("canceled", None, "already_canceled", "now it is canceled), so this run did not cancel the order. Order 1 is already canceled; nothing to do."),
        # The same PUT would cancel a pending reissue: a change that was not planned, so it is not made.
        (
            "reissue_pending",
            [request(11, "reissue", "pending")],
            "not_cancelable",
            "now it is reissue_pending), so this run did not cancel the order. Order 1 has a pending reissue.",
        ),
        ("pending", [request(11, "new_request", "pending")], "not_cancelable", "its request 11 still awaits approval"),
    ],
)
def test_a_changed_plan_is_reported_and_never_escalated(make_client, transport, account, clock, new_status, requests_, outcome, fragment):
    account.on_user_me = change_status(1, new_status, requests_)
    report = run(make_client, account, clock, [order_info(1), order_info(2)], fail_on_not_cancelable=False, **BOTH)
    assert writes(transport) == [("PUT", "/order/certificate/2/status")]
    assert outcomes(report) == [(1, outcome), (2, "canceled")]
    entry = report.orders[0]
    assert fragment in entry["message"]
    assert (entry["status_before"], entry["status"]) == ("pending", new_status)
    assert entry["cancel_verdict"]["action"] != "cancel"
    assert report.failure is None


def test_a_changed_order_fails_the_task_at_the_end(make_client, transport, account, clock):
    account.on_user_me = change_status(1, "issued")
    report = run(make_client, account, clock, [order_info(1), order_info(2)])
    assert outcomes(report) == [(1, "not_cancelable"), (2, "canceled")]
    assert report.changed is True
    assert report.failure.startswith("1 of 2 orders were not processed as asked (1 changed). Order 1 changed since")


def test_a_failed_re_read_does_not_act(make_client, transport, account, clock, recorded_sleep):
    account.faults[("GET", 1)] = [nothing] + [500] * 6
    report = run(make_client, account, clock, [order_info(1), order_info(2)])
    assert outcomes(report) == [(1, "failed"), (2, "canceled")]
    assert report.orders[0]["message"].startswith("Order 1 was not acted on: reading it right before acting failed.")
    assert writes(transport) == [("PUT", "/order/certificate/2/status")]


def test_an_order_gone_before_acting_is_missing(make_client, transport, account, clock):
    account.on_user_me = lambda fake: fake.orders.pop(1)
    report = run(make_client, account, clock, [order_info(1), order_info(2)], missing_ok=True)
    assert outcomes(report) == [(1, "missing"), (2, "canceled")]
    assert report.orders[0]["message"].startswith("Order 1 was not acted on: reading it right before acting failed.")
    assert report.orders[0]["message"].endswith("It is skipped because missing_ok is true.")
    assert report.failure is None


# ---------------------------------------------------------------- refusals and writes with unknown outcome


def test_order_issued_between_read_and_cancel(make_client, transport, account, clock):
    account.faults[("PUT", 1)] = [change_status(1, "issued")]
    report = run(make_client, account, clock, [order_info(1), order_info(2)])
    assert outcomes(report) == [(1, "not_cancelable"), (2, "canceled")]
    entry = report.orders[0]
    assert entry["status"] == "issued"
    assert entry["message"].startswith(
        "Order 1 changed under this run (it was pending, now it is issued), so this run "
        "did not cancel the order. CertCentral refused PUT /order/certificate/1/status"
    )
    assert 'CertCentral said: "An order in status issued cannot be canceled."' in entry["message"]
    assert entry["cancel_verdict"]["action"] == "revoke"
    assert report.failure.startswith("1 of 2 orders were not processed as asked (1 changed).")
    assert writes(transport) == [("PUT", "/order/certificate/1/status"), ("PUT", "/order/certificate/2/status")]


def test_order_canceled_by_someone_else_meanwhile(make_client, transport, account, clock):
    account.faults[("PUT", 1)] = [change_status(1, "canceled")]
    report = run(make_client, account, clock, [order_info(1, payment_method="balance")])
    assert outcomes(report) == [(1, "already_canceled")]
    assert report.failure is None
    assert report.changed is False
    assert report.orders[0]["refund_hint"] == REFUND % 1


def test_refusal_while_the_order_is_unchanged_is_a_failure(make_client, transport, account, clock):
    account.faults[("PUT", 1)] = [dict(status=400, body={"errors": [{"code": "invalid_param|note", "message": "Too long."}]})]
    report = run(make_client, account, clock, [order_info(1)], fail_on_not_cancelable=False)
    assert outcomes(report) == [(1, "failed")]
    assert report.orders[0]["message"].startswith("Order 1: could not cancel the order, although it is still pending.")
    assert len(writes(transport)) == 1


def test_refusal_without_read_back_is_a_failure(make_client, transport, account, clock):
    account.faults[("PUT", 1)] = [change_status(1, "issued")]
    account.faults[("GET", 1)] = [nothing, nothing] + [503] * 6
    report = run(make_client, account, clock, [order_info(1)], fail_on_not_cancelable=False)
    assert outcomes(report) == [(1, "failed")]
    assert report.orders[0]["status"] is None
    message = report.orders[0]["message"]
    assert message.startswith("Order 1: could not cancel the order. CertCentral refused PUT /order/certificate/1/status")
    assert "Reading the order back failed as well: CertCentral answered GET /order/certificate/1" in message


@pytest.mark.parametrize("fault", ["lost", 500, "dropped"])
def test_cancel_without_answer_is_read_back(make_client, transport, account, clock, fault):
    account.faults[("PUT", 1)] = [fault]
    report = run(make_client, account, clock, [order_info(1), order_info(2)])
    assert outcomes(report) == [(1, "canceled"), (2, "canceled")]
    sent = calls(transport)
    if fault == "lost":
        # Applied before the answer got lost: the read back shows it, and nothing is sent twice.
        assert sent[3:] == [
            ("GET", "/order/certificate/1"),
            ("PUT", "/order/certificate/1/status"),
            ("GET", "/order/certificate/1"),
            ("GET", "/order/certificate/2"),
            ("PUT", "/order/certificate/2/status"),
        ]
        assert "the answer was lost, and reading the order back shows it canceled" in report.orders[0]["message"]
    else:
        # Not applied: the read back shows it still pending, which allows exactly one more attempt.
        assert sent[3:] == [
            ("GET", "/order/certificate/1"),
            ("PUT", "/order/certificate/1/status"),
            ("GET", "/order/certificate/1"),
            ("PUT", "/order/certificate/1/status"),
            ("GET", "/order/certificate/2"),
            ("PUT", "/order/certificate/2/status"),
        ]


def test_cancel_that_never_shows_an_effect_is_sent_at_most_retries_plus_one_times(make_client, transport, account, clock, warnings_seen):
    # Each attempt is read back first; with the default retries=5 that allows six attempts in all.
    account.faults[("PUT", 1)] = [503, "dropped"] * 3
    report = run(make_client, account, clock, [order_info(1)])
    assert outcomes(report) == [(1, "failed")]
    assert writes(transport) == [("PUT", "/order/certificate/1/status")] * 6
    message = report.orders[0]["message"]
    assert message.startswith("Order 1: the attempt to cancel the order ended without a clear answer.")
    assert message.endswith("None of the 6 attempts had a visible effect: the order is still pending. Check it in CertCentral before running again.")
    assert report.failure.startswith("1 of 1 orders were not processed as asked (0 changed).")
    assert len([warning for warning in warnings_seen if "had no visible effect" in warning]) == 5


def test_cancel_that_shows_no_effect_is_sent_again_until_it_succeeds(make_client, transport, account, clock):
    account.faults[("PUT", 1)] = [503, "dropped", 502]
    report = run(make_client, account, clock, [order_info(1)])
    assert outcomes(report) == [(1, "canceled")]
    assert writes(transport) == [("PUT", "/order/certificate/1/status")] * 4


def test_cancel_without_answer_and_without_read_back(make_client, transport, account, clock, recorded_sleep):
    account.faults[("PUT", 1)] = ["dropped"]
    account.faults[("GET", 1)] = [nothing, nothing] + [500] * 6
    report = run(make_client, account, clock, [order_info(1), order_info(2)])
    assert outcomes(report) == [(1, "failed"), (2, "canceled")]
    assert report.orders[0]["status"] is None
    assert "Reading the order back failed as well" in report.orders[0]["message"]
    assert writes(transport).count(("PUT", "/order/certificate/1/status")) == 1


def test_cancel_without_answer_and_an_unexplained_status(make_client, transport, account, clock):
    account.faults[("PUT", 1)] = ["dropped"]
    account.faults[("GET", 1)] = [nothing, nothing, change_status(1, "issued")]
    report = run(make_client, account, clock, [order_info(1)])
    assert outcomes(report) == [(1, "failed")]
    assert "Reading it back shows it issued, which this run did not cause" in report.orders[0]["message"]
    assert len(writes(transport)) == 1


def test_reissue_cancel_without_answer_is_read_back(make_client, transport, account, clock):
    account.faults[("PUT", 3)] = ["lost"]
    report = run(make_client, account, clock, [reissue_pending(3)], **REISSUE)
    assert outcomes(report) == [(3, "reissue_canceled")]
    assert "shows it issued with reissue request 31 rejected" in report.orders[0]["message"]
    assert len(writes(transport)) == 1


def test_request_rejection_without_answer_is_read_back(make_client, transport, account, clock):
    account.faults[("PUT", 20)] = ["lost"]
    report = run(make_client, account, clock, [needs_approval(2)], **REJECT)
    assert outcomes(report) == [(2, "request_rejected")]
    assert report.orders[0]["status"] == "rejected"
    assert writes(transport) == [("PUT", "/request/20/status")]


def test_request_rejection_is_reported_even_when_the_order_cannot_be_read_back(make_client, transport, account, clock):
    account.faults[("GET", 2)] = [nothing, nothing] + [500] * 6
    report = run(make_client, account, clock, [needs_approval(2)], **REJECT)
    assert outcomes(report) == [(2, "request_rejected")]
    assert report.orders[0]["status"] is None
    assert "Its status could not be read back" in report.orders[0]["message"]
    assert report.failure is None


def test_approver_refusal_fails_that_order_only(make_client, transport, account, clock):
    account.faults[("PUT", 20)] = [dict(status=403, body={"errors": [{"code": "access_denied|invalid_approver", "message": "Not an approver."}]})]
    report = run(make_client, account, clock, [needs_approval(2), order_info(1)], **REJECT)
    assert outcomes(report) == [(2, "failed"), (1, "canceled")]
    assert report.orders[0]["message"].startswith("Order 2: could not reject the request. The user behind the API key may not approve or reject request 20")


def test_a_key_refused_for_writing_stops_the_remaining_writes(make_client, transport, account, clock):
    account.faults[("PUT", 1)] = [dict(status=403, body={"errors": [{"code": "access_denied|missing_permission", "message": "No permission."}]})]
    report = run(make_client, account, clock, [order_info(1), order_info(2), order_info(3)])
    assert writes(transport) == [("PUT", "/order/certificate/1/status")]
    assert outcomes(report) == [(1, "failed"), (2, "failed"), (3, "failed")]
    assert report.orders[1]["message"].startswith("Order 2 was not acted on: the API key was refused on an earlier call. The API key is not allowed to PUT")


def test_throttling_that_does_not_clear_fails_the_order_without_read_back(make_client, transport, account, clock):
    account.faults[("PUT", 1)] = [429] * 6
    report = run(make_client, account, clock, [order_info(1), order_info(2)])
    assert outcomes(report) == [(1, "failed"), (2, "canceled")]
    assert "kept refusing" in report.orders[0]["message"]
    assert calls(transport).count(("GET", "/order/certificate/1")) == 2


# ---------------------------------------------------------------- odd data and errors nobody foresaw


@pytest.mark.parametrize("spelling", ["new request", "New Request", "NEW-REQUEST"])
def test_a_request_awaiting_approval_is_seen_in_any_spelling(spelling):
    order = order_info(5, "pending", [request(51, spelling, "Pending")])
    plan = plan_order(order, options(reject_pending_request=True))
    assert (plan.outcome, plan.action, plan.request_id) == ("request_rejected", "reject_request", 51)


def test_a_rejected_reissue_is_seen_in_any_spelling():
    order = order_info(5, "issued", [request(51, "Reissue", "REJECTED")])
    assert plan_order(order, options(cancel_reissue=True)).outcome == "nothing_to_cancel"


def test_a_request_id_given_as_text_stops_the_run_before_any_change(make_client, transport, account, clock):
    odd = order_info(2, "needs_approval", [{"id": "7", "type": "new_request", "status": "pending", "date": "2026-01-01"}])
    report = run(make_client, account, clock, [order_info(1), odd], reject_pending_request=True)
    assert writes(transport) == []
    assert outcomes(report) == [(1, "would_cancel"), (2, "failed")]
    assert "order 2" in report.orders[1]["message"].lower() and "requests[0].id" in report.orders[1]["message"]
    assert report.failure.startswith("Nothing was changed: 1 of 2 orders stop the run.")


class Boom(Exception):
    pass


def test_an_unexpected_error_on_one_order_leaves_the_others_and_the_summary(make_client, transport, account, clock, monkeypatch):
    original = CancellationRun.settle_success

    def settle_success(self, run_, answer):
        if run_.order_id == 2:
            raise Boom("disk full")
        return original(self, run_, answer)

    monkeypatch.setattr(CancellationRun, "settle_success", settle_success)
    report = run(make_client, account, clock, [order_info(1), order_info(2), order_info(3)])
    # Order 2 was canceled before the error: the read back says so, and the run reports it.
    assert outcomes(report) == [(1, "canceled"), (2, "canceled"), (3, "canceled")]
    assert report.orders[1]["status"] == "canceled"
    assert "After the request was sent: an unexpected error occurred (Boom: disk full)." in report.orders[1]["message"]
    assert report.summary["canceled"] == 3
    assert report.failure is None
    assert [account.orders[order_id]["status"] for order_id in (1, 2, 3)] == ["canceled"] * 3


# ---------------------------------------------------------------- orders given by ID: planned from listings (issue 17)


def test_200_pending_orders_cost_one_read_and_one_change_each(make_client, transport, account, clock):
    orders = [order_info(order_id) for order_id in range(1000, 1200)]
    account.orders.update((order["id"], order) for order in [order_info(order_id, "issued") for order_id in range(1, 50)])
    report = run(make_client, account, clock, orders, workers=4)
    assert set(entry["outcome"] for entry in report.orders) == {"canceled"}
    sent = calls(transport)
    # The first page of each listing (pending, waiting_pickup), which tells its total and here holds the 200 pending
    # orders, /user/me, then per order the read right before the change and the change.
    assert listings(sent) == [
        ("GET", "/order/certificate?filters%5Bstatus%5D=pending&offset=0&limit=1000&sort=id"),
        ("GET", "/order/certificate?filters%5Bstatus%5D=waiting_pickup&offset=0&limit=1000&sort=id"),
    ]
    assert len(sent) == 2 * 200 + 2 + 1
    assert sorted(sent[3:]) == sorted(
        [("GET", f"/order/certificate/{order_id}") for order_id in range(1000, 1200)]
        + [("PUT", f"/order/certificate/{order_id}/status") for order_id in range(1000, 1200)]
    )
    assert sent[2] == ("GET", "/user/me")


def test_orders_the_listings_do_not_show_are_read_before_any_change(make_client, transport, account, clock):
    pending = [order_info(order_id) for order_id in range(10, 20)]
    waiting = [order_info(order_id, "waiting_pickup") for order_id in (20, 21)]
    # Order 30 is issued and 31 does not exist: neither is in a listing, so both are read in the pre-flight, and
    # the issued one stops the run before its first change, as it would without the listings.
    report = run(make_client, account, clock, pending + waiting + [order_info(30, "issued")], order_ids=list(range(10, 22)) + [30, 31], missing_ok=True)
    assert report.failure.startswith("Nothing was changed: 1 of 14 orders stop the run. Order 30 is issued")
    assert writes(transport) == []
    sent = calls(transport)
    assert len(listings(sent)) == 2
    assert [call for call in sent if call not in listings(sent)] == [("GET", "/order/certificate/30"), ("GET", "/order/certificate/31")]
    assert [entry["outcome"] for entry in report.orders] == ["would_cancel"] * 12 + ["not_cancelable", "missing"]
    assert report.orders[0]["status_before"] == "pending"
    assert report.orders[10]["status_before"] == "waiting_pickup"


def test_a_listed_order_that_changed_before_its_read_right_before_acting_is_left_alone(make_client, transport, account, clock):
    orders = [order_info(order_id) for order_id in range(1, 7)]
    account.faults[("GET", 3)] = [lambda fake: fake.orders[3].update(status="issued")]
    report = run(make_client, account, clock, orders, fail_on_not_cancelable=False)
    assert [entry["outcome"] for entry in report.orders] == ["canceled"] * 2 + ["not_cancelable"] + ["canceled"] * 3
    assert report.orders[2]["message"].startswith(
        "Order 3 changed since it was listed (it was pending, now it is issued), so this run did not cancel the order."
    )
    assert ("PUT", "/order/certificate/3/status") not in writes(transport)
    assert len(writes(transport)) == 5


def test_a_few_orders_are_read_without_listing(make_client, transport, account, clock):
    report = run(make_client, account, clock, [order_info(order_id) for order_id in range(1, 5)])
    assert report.summary["canceled"] == 4
    assert listings(calls(transport)) == []
    assert len(calls(transport)) == 3 * 4 + 1


def test_a_listing_longer_than_the_reads_it_saves_is_not_read(make_client, transport, account, clock):
    # 6,000 pending orders take 7 pages (of 1,000, overlapping): after the first, 6 more, as many as reading the 6
    # orders asked for, which come after the first page in the listing's ascending order.
    account.orders.update((order_id, order_info(order_id)) for order_id in range(100000, 106000))
    report = run(make_client, account, clock, [order_info(order_id) for order_id in range(200000, 200006)])
    assert report.summary["canceled"] == 6
    assert [call[1].split("?")[1] for call in listings(calls(transport))] == [
        "filters%5Bstatus%5D=pending&offset=0&limit=1000&sort=id",
        "filters%5Bstatus%5D=waiting_pickup&offset=0&limit=1000&sort=id",
    ]
    assert len(calls(transport)) == 2 + 3 * 6 + 1


def test_orders_on_a_first_page_are_planned_from_it_when_the_rest_is_not_read(make_client, transport, account, clock):
    # The listing is not read past its first page (as above), but the 6 orders asked for are on that page.
    account.orders.update((order_id, order_info(order_id)) for order_id in range(100000, 106000))
    report = run(make_client, account, clock, [order_info(order_id) for order_id in range(1, 7)])
    assert report.summary["canceled"] == 6
    sent = calls(transport)
    assert len(listings(sent)) == 2
    assert len(sent) == 2 + 2 * 6 + 1
    for order_id in range(1, 7):
        assert sent.count(("GET", f"/order/certificate/{order_id}")) == 1


@pytest.mark.parametrize(
    "answer",
    [
        dict(status=400, body={"errors": [{"code": "invalid_filter", "message": "Unknown filter."}]}),
        dict(status=200, body={"orders": []}),
        dict(status=200, body=["not", "a", "page"]),
    ],
)
def test_a_failing_listing_falls_back_to_reading_each_order(make_client, transport, account, clock, answer):
    account.listing_answer = answer
    report = run(make_client, account, clock, [order_info(order_id) for order_id in range(1, 7)])
    assert report.failure is None
    assert report.summary["canceled"] == 6
    sent = calls(transport)
    # The first page is read as every read is: an answer that is not a page is asked for again (the client's
    # retries), a refusal is not.
    assert len(listings(sent)) == (1 if answer["status"] == 400 else make_client().retries + 1)
    for order_id in range(1, 7):
        assert sent.count(("GET", f"/order/certificate/{order_id}")) == 2


def test_check_mode_plans_listed_orders_without_reading_them(make_client, transport, account, clock):
    report = run(make_client, account, clock, [order_info(order_id) for order_id in range(1, 11)], check_mode=True)
    assert report.summary["would_cancel"] == 10
    sent = calls(transport)
    assert len(listings(sent)) == 2
    assert [call for call in sent if call not in listings(sent)] == [("GET", "/user/me")]


def test_orders_given_by_id_cost_the_listing_pages_the_key_check_and_a_read_and_a_change_each_in_the_simulator():
    """Against the simulator: the first page of each listing is the request that tells its total, so planning
    costs the listings' pages and nothing more."""
    testing = pytest.importorskip("certcentral_sim.testing")
    generator = pytest.importorskip("certcentral_sim.generator")
    with testing.running_simulator(seed=7, orders=4000, pending=1500, rate_limits=[]) as simulator:
        pending = sorted(order["id"] for order in simulator.orders("pending"))
        order_ids = pending[:: len(pending) // 60][:60]
        pages = sum(listing_pages(len(simulator.orders(status))) for status in ("pending", "waiting_pickup"))
        assert pages == 3
        client = CertCentralClient(api_key=generator.DEMO_ADMIN_KEY, api_url=simulator.base_url, workers=4)
        report = CancellationRun(client, order_ids, options()).execute()
        assert report.failure is None
        assert set(entry["outcome"] for entry in report.orders) == {"canceled"}
        assert sorted(entry["order_id"] for entry in simulator.audit_log()) == order_ids
        requests_by_route = simulator.counters()["requests_by_route"]
    assert requests_by_route == {
        "GET /order/certificate": pages,
        "GET /user/me": 1,
        "GET /order/certificate/{id}": len(order_ids),
        "PUT /order/certificate/{id}/status": len(order_ids),
    }


# ---------------------------------------------------------------- what the key's user may do (GET /user/me)

ORDERS_USER = {"id": 1002, "access_roles": [{"id": 100, "name": "Orders"}]}


def test_check_mode_marks_a_rejection_the_user_may_not_make(make_client, transport, account, clock):
    account.user = ORDERS_USER
    report = run(make_client, account, clock, [needs_approval(1), order_info(2)], check_mode=True, reject_pending_request=True, fail_on_not_cancelable=False)
    assert outcomes(report) == [(1, "not_cancelable"), (2, "would_cancel")]
    assert report.orders[0]["request_id"] == 10
    assert report.orders[0]["message"].endswith(
        "Request 10 is not rejected: the user behind the API key may not reject or approve requests: GET /user/me "
        "shows its roles as Orders, and only an administrator or manager may. Use the API key of an administrator or "
        "manager, or have one of them reject the request in CertCentral (Certificates > Requests)."
    )
    assert report.failure is None
    assert writes(transport) == []


def test_an_applied_run_stops_on_it_before_the_first_change(make_client, transport, account, clock):
    account.user = ORDERS_USER
    report = run(make_client, account, clock, [order_info(1), needs_approval(2)], reject_pending_request=True)
    assert writes(transport) == []
    assert outcomes(report) == [(1, "would_cancel"), (2, "not_cancelable")]
    assert report.failure.startswith("Nothing was changed: 1 of 2 orders stop the run. Order 2 needs approval")
    assert "only an administrator or manager may" in report.failure
    # The user is read once, for this check and the View Only check together.
    assert calls(transport).count(("GET", "/user/me")) == 1


def test_skipping_them_cancels_the_rest_and_sends_no_rejection(make_client, transport, account, clock):
    account.user = ORDERS_USER
    report = run(make_client, account, clock, [order_info(1), needs_approval(2)], reject_pending_request=True, fail_on_not_cancelable=False)
    assert outcomes(report) == [(1, "canceled"), (2, "not_cancelable")]
    assert writes(transport) == [("PUT", "/order/certificate/1/status")]


@pytest.mark.parametrize(
    "user_answer",
    [
        # A key restricted to orders may not read its user; a user without roles, or with one this collection does not
        # know, tells nothing either: the change is planned, and CertCentral decides.
        dict(status=403, body={"errors": [{"code": "access_denied|missing_permission", "message": "No."}]}),
        dict(body={"id": 1002}),
        dict(body={"id": 1002, "access_roles": []}),
        dict(body={"id": 1002, "access_roles": [{"id": 7, "name": "EV Verified User"}]}),
        dict(body={"id": 1006, "access_roles": [{"id": 2, "name": "Manager"}]}),
    ],
)
def test_a_user_that_may_approve_or_is_not_known_is_planned_as_usual(make_client, transport, account, clock, user_answer):
    account.user_answer = user_answer
    report = run(make_client, account, clock, [needs_approval(1)], check_mode=True, reject_pending_request=True)
    assert outcomes(report) == [(1, "would_reject_request")]


def test_the_user_is_not_read_when_no_change_needs_a_role_and_the_run_stops(make_client, transport, account, clock):
    report = run(make_client, account, clock, [order_info(1), order_info(2, "issued")])
    assert ("GET", "/user/me") not in calls(transport)
    assert outcomes(report) == [(1, "would_cancel"), (2, "not_cancelable")]


# ---------------------------------------------------------------- refund hints in check mode


def test_check_mode_reads_a_listed_order_without_payment_method_for_its_refund_hint(make_client, transport, account):
    report = run_listed(
        make_client,
        account,
        [order_info(1, payment_method="balance"), order_info(2)],
        [listing_entry(1, payment_method=None), listing_entry(2, payment_method=None)],
        check_mode=True,
    )
    assert outcomes(report) == [(1, "would_cancel"), (2, "would_cancel")]
    assert [entry["refund_hint"] for entry in report.orders] == [REFUND % 1, None]
    assert calls(transport)[:2] == [("GET", "/order/certificate/1"), ("GET", "/order/certificate/2")]


def test_check_mode_gives_the_same_refund_hints_as_the_applied_run(make_client, transport, account):
    orders = [order_info(1, payment_method="balance"), order_info(2), order_info(3, payment_method="balance")]
    entries = [listing_entry(order["id"], payment_method=None) for order in orders]
    planned = run_listed(make_client, account, orders, entries, check_mode=True)
    applied = run_listed(make_client, account, orders, entries)
    assert [entry["refund_hint"] for entry in planned.orders] == [entry["refund_hint"] for entry in applied.orders]
    assert [entry["refund_hint"] is not None for entry in applied.orders] == [True, False, True]


def test_check_mode_plans_from_a_listing_that_shows_the_payment_method(make_client, transport, account):
    report = run_listed(make_client, account, [order_info(1, payment_method="balance")], [listing_entry(1, payment_method="balance")], check_mode=True)
    assert report.orders[0]["refund_hint"] == REFUND % 1
    assert calls(transport) == [("GET", "/user/me")]


def reviewed(order_id, status, outcome, request_id=None):
    return listing_entry(order_id, status, reviewed_change={"outcome": outcome, "request_id": request_id})


def test_reviewed_changes_are_made_exactly_as_reviewed(make_client, transport, account):
    report = run_listed(
        make_client,
        account,
        [order_info(1), needs_approval(2)],
        [reviewed(1, "pending", "would_cancel"), reviewed(2, "needs_approval", "would_reject_request", 20)],
        reject_pending_request=True,
    )
    assert outcomes(report) == [(1, "canceled"), (2, "request_rejected")]
    assert writes(transport) == [("PUT", "/order/certificate/1/status"), ("PUT", "/request/20/status")]


def test_a_request_other_than_the_reviewed_one_is_never_rejected(make_client, transport, account):
    # Between review and apply, the reviewed request 20 was settled and a new one (21) awaits approval.
    replaced = order_info(2, "needs_approval", [request(20, "new_request", "rejected"), request(21, "new_request", "pending")])
    report = run_listed(
        make_client,
        account,
        [order_info(1), replaced],
        [reviewed(1, "pending", "would_cancel"), reviewed(2, "needs_approval", "would_reject_request", 20)],
        reject_pending_request=True,
        fail_on_not_cancelable=False,
    )
    assert outcomes(report) == [(1, "canceled"), (2, "not_cancelable")]
    assert "changed since the review" in report.orders[1]["message"] and "request 20" in report.orders[1]["message"]
    assert writes(transport) == [("PUT", "/order/certificate/1/status")]


def test_a_reviewed_cancel_of_an_order_that_now_has_a_pending_reissue_is_not_made(make_client, transport, account):
    report = run_listed(make_client, account, [reissue_pending(1)], [reviewed(1, "pending", "would_cancel")], cancel_reissue=True, fail_on_not_cancelable=False)
    assert outcomes(report) == [(1, "not_cancelable")]
    assert "changed since it was listed" in report.orders[0]["message"]
    assert writes(transport) == []


@pytest.mark.parametrize("reviewed_change", [{"outcome": ""}, {"request_id": 7}, "would_cancel", {"outcome": "would_cancel", "request_id": "7"}])
def test_a_malformed_reviewed_change_is_refused_before_any_request(reviewed_change):
    with pytest.raises(ValueError, match="reviewed_change"):
        listed_orders([listing_entry(1, reviewed_change=reviewed_change)])
