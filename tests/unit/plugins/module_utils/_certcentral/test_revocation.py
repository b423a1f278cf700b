# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import copy
import json

import pytest

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.revocation import (
    CHANGE_OUTCOMES,
    COMMENTS_MAX_LENGTH,
    OUTCOMES,
    WOULD_CHANGE_OUTCOMES,
    RevocationRun,
    RevokeOptions,
    normalize_comments,
    plan_order,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.order_input import listed_orders
from ansible_collections.certops.digicert.tests.unit.plugins.module_utils._certcentral.doubles import calls, request, writes

COMMENTS = "Host decommissioned"
RESULT_KEYS = {"id", "common_name", "status_before", "status", "revoke_verdict", "outcome", "message", "request_id"}
WITHHELD = "revocation_reason=superseded is not sent: DigiCert applies a revocation reason to TLS certificates only, and this is a client certificate order."


def order_info(order_id, status="issued", requests_=None, product="ssl_basic"):
    """An order as order info returns it. By default its new request was approved long ago."""
    return {
        "id": order_id,
        "status": status,
        "payment_method": "card",
        "product": {"name_id": product, "type": "client_certificate" if product.startswith("client") else "ssl_certificate"},
        "certificate": {"common_name": f"host{order_id}.example.com"},
        "requests": requests_ if requests_ is not None else [request(order_id * 10, "new_request", "approved", "2025-12-01T08:00:00+00:00")],
    }


def client_order(order_id, status="issued"):
    return order_info(order_id, status, product="client_premium_sha2")


def awaiting_revocation(order_id):
    return order_info(order_id, "issued", [request(order_id * 10, "new_request", "approved"), request(order_id * 10 + 1, "revoke", "pending")])


def options(**overrides):
    values = dict(comments=COMMENTS)
    values.update(overrides)
    return RevokeOptions(**values)


def bodies(transport):
    return [json.loads(sent.body) for sent in transport.sent if sent.method == "PUT"]


def run(make_client, account, clock, orders, order_ids=None, check_mode=False, workers=1, **option_values):
    account.orders.update((order["id"], copy.deepcopy(order)) for order in orders)
    if order_ids is None:
        order_ids = [order["id"] for order in orders]
    client = make_client(workers=workers)
    return RevocationRun(client, order_ids, options(**option_values), check_mode=check_mode).execute()


def outcomes(report):
    return [(entry["id"], entry["outcome"]) for entry in report.orders]


def change_status(order_id, status):
    def change(fake):
        fake.orders[order_id]["status"] = status

    return change


# ---------------------------------------------------------------- input


@pytest.mark.parametrize("comments", [None, "", "  \n"])
def test_comments_are_required(comments):
    with pytest.raises(ValueError) as caught:
        normalize_comments(comments)
    assert str(caught.value) == (
        "comments must not be empty: an approver decides on the revoke request by them, and they stay with it. Say why the certificates are revoked."
    )


def test_comments_are_stripped_and_limited():
    assert normalize_comments(f" {COMMENTS} \n") == COMMENTS
    assert normalize_comments("c" * COMMENTS_MAX_LENGTH) == "c" * COMMENTS_MAX_LENGTH
    with pytest.raises(ValueError, match="comments is 1001 characters long; at most 1000 are allowed."):
        normalize_comments("c" * (COMMENTS_MAX_LENGTH + 1))


@pytest.mark.parametrize(
    "values, message",
    [
        (
            dict(revocation_reason="compromised"),
            "revocation_reason must be one of unspecified, key_compromise, affiliation_changed, superseded, cessation_of_operation, got 'compromised'.",
        ),
        (dict(max_revocations=-1), "max_revocations must be 0 or more, got -1."),
    ],
)
def test_bad_options(values, message):
    with pytest.raises(ValueError) as caught:
        options(**values)
    assert str(caught.value) == message


def test_option_defaults():
    chosen = options()
    assert (chosen.revocation_reason, chosen.skip_approval, chosen.missing_ok, chosen.fail_on_not_possible, chosen.max_changes) == (
        None,
        False,
        False,
        True,
        None,
    )


# ---------------------------------------------------------------- planning: every status x option


def plan_for(order, **option_values):
    plan = plan_order(order, options(**option_values))
    return plan.outcome, plan.action, plan.request_id


@pytest.mark.parametrize(
    "skip_approval, expected",
    [
        (False, ("revoke_requested", "request_revoke", None)),
        (True, ("revoked", "revoke", None)),
    ],
)
def test_issued_orders_are_revoked_at_once_or_by_request(skip_approval, expected):
    plan = plan_order(order_info(5), options(skip_approval=skip_approval))
    assert (plan.outcome, plan.action, plan.request_id) == expected
    assert plan.verdict["action"] == "revoke"
    assert plan.message.startswith(plan.verdict["reason"])
    how = (
        "With skip_approval, it is revoked at once."
        if skip_approval
        else "Without skip_approval, a revoke request is created that an approver must approve; the order stays issued until then."
    )
    assert plan.message.endswith(how)


def test_revocation_reason_is_planned_for_tls_orders():
    plan = plan_order(order_info(5), options(revocation_reason="superseded"))
    assert (plan.revocation_reason, plan.withheld_reason) == ("superseded", None)


def test_revocation_reason_is_withheld_for_client_certificates():
    plan = plan_order(client_order(5), options(revocation_reason="superseded"))
    assert (plan.outcome, plan.revocation_reason, plan.withheld_reason) == ("revoke_requested", None, WITHHELD)
    assert plan.message.endswith(WITHHELD)


def test_client_certificates_without_a_reason_say_nothing_about_it():
    plan = plan_order(client_order(5), options())
    assert (plan.revocation_reason, plan.withheld_reason) == (None, None)


@pytest.mark.parametrize("skip_approval", [False, True])
def test_a_pending_revoke_request_is_not_requested_again(skip_approval):
    plan = plan_order(awaiting_revocation(5), options(skip_approval=skip_approval))
    assert (plan.outcome, plan.action, plan.request_id) == ("revoke_already_requested", None, 51)
    assert plan.message.startswith("Order 5 is issued and its revoke request 51 awaits approval")
    assert ("approve the request to revoke the order now" in plan.message) is skip_approval


@pytest.mark.parametrize("skip_approval", [False, True])
@pytest.mark.parametrize(
    "status, outcome",
    [
        ("revoked", "already_revoked"),
        ("REVOKED", "already_revoked"),
        ("canceled", "nothing_to_revoke"),
        ("rejected", "nothing_to_revoke"),
        ("expired", "nothing_to_revoke"),
        ("pending", "not_revocable"),
        ("waiting_pickup", "not_revocable"),
        ("needs_approval", "not_revocable"),
        ("reissue_pending", "not_revocable"),
        ("processing", "not_revocable"),
        (None, "not_revocable"),
    ],
)
def test_orders_that_need_no_revocation_or_cannot_have_one(status, outcome, skip_approval):
    plan = plan_order(order_info(5, status), options(skip_approval=skip_approval, revocation_reason="superseded"))
    assert (plan.outcome, plan.action, plan.request_id) == (outcome, None, None)
    assert plan.message == plan.verdict["reason"]


def test_pending_reissue_is_refused_with_the_reason():
    plan = plan_order(order_info(5, "reissue_pending"), options())
    assert plan.verdict["action"] == "cancel_reissue"
    assert "CertCentral does not allow revoking a certificate while a reissue is pending" in plan.message
    assert "Cancel the reissue first" in plan.message


# ---------------------------------------------------------------- a normal run


def test_batch_creates_one_revoke_request_per_order(make_client, transport, account, clock):
    report = run(make_client, account, clock, [order_info(1), order_info(2), client_order(3)], comments=f"  {COMMENTS} \n", revocation_reason="superseded")
    assert report.failure is None
    assert report.changed is True
    assert outcomes(report) == [(1, "revoke_requested"), (2, "revoke_requested"), (3, "revoke_requested")]
    assert calls(transport) == [
        ("GET", "/order/certificate/1"),
        ("GET", "/order/certificate/2"),
        ("GET", "/order/certificate/3"),
        ("GET", "/user/me"),
        ("GET", "/order/certificate/1"),
        ("PUT", "/order/certificate/1/revoke"),
        ("GET", "/order/certificate/2"),
        ("PUT", "/order/certificate/2/revoke"),
        ("GET", "/order/certificate/3"),
        ("PUT", "/order/certificate/3/revoke"),
    ]
    assert bodies(transport) == [
        {"comments": COMMENTS, "skip_approval": False, "revocation_reason": "superseded"},
        {"comments": COMMENTS, "skip_approval": False, "revocation_reason": "superseded"},
        {"comments": COMMENTS, "skip_approval": False},
    ]
    first = report.orders[0]
    assert set(first) == RESULT_KEYS
    assert (first["status_before"], first["status"], first["request_id"]) == ("issued", "issued", 9001)
    assert first["message"] == (
        "Revoke request 9001 was created for order 1; it awaits approval (Certificates > "
        "Requests in CertCentral), and the order stays issued until an approver approves it."
    )
    assert first["revoke_verdict"]["revocable"] is True
    assert report.orders[2]["message"].endswith(WITHHELD)
    assert report.summary["revoke_requested"] == 3
    assert set(report.summary) == set(OUTCOMES)
    assert report.diff["before"]["orders"]["1"] == {"common_name": "host1.example.com", "status": "issued"}
    assert report.diff["after"]["orders"]["1"] == {"common_name": "host1.example.com", "status": "issued", "request": {"id": 9001, "status": "pending"}}


def test_skip_approval_revokes_at_once_and_reads_the_order_back(make_client, transport, account, clock):
    report = run(make_client, account, clock, [order_info(1), client_order(2)], skip_approval=True, revocation_reason="superseded")
    assert report.failure is None
    assert outcomes(report) == [(1, "revoked"), (2, "revoked")]
    assert calls(transport)[3:] == [
        ("GET", "/order/certificate/1"),
        ("PUT", "/order/certificate/1/revoke"),
        ("GET", "/order/certificate/1"),
        ("GET", "/order/certificate/2"),
        ("PUT", "/order/certificate/2/revoke"),
        ("GET", "/order/certificate/2"),
    ]
    assert bodies(transport)[1] == {"comments": COMMENTS, "skip_approval": True}
    first, second = report.orders
    assert (first["status_before"], first["status"], first["request_id"]) == ("issued", "revoked", None)
    assert first["message"] == ("Order 1 was revoked (it was issued), with skip_approval and no approval step; CertCentral now shows it revoked.")
    assert second["message"].endswith(WITHHELD)
    assert report.diff["after"]["orders"] == {
        "1": {"common_name": "host1.example.com", "status": "revoked"},
        "2": {"common_name": "host2.example.com", "status": "revoked"},
    }


@pytest.mark.parametrize(
    "skip_approval, first_outcome, second_outcome",
    [
        (False, "revoke_requested", "revoke_already_requested"),
        (True, "revoked", "already_revoked"),
    ],
)
def test_a_second_run_changes_nothing(make_client, transport, account, clock, skip_approval, first_outcome, second_outcome):
    orders = [order_info(1), order_info(2, "revoked"), order_info(3, "expired"), order_info(4, "canceled")]
    first = run(make_client, account, clock, orders, skip_approval=skip_approval)
    assert outcomes(first) == [(1, first_outcome), (2, "already_revoked"), (3, "nothing_to_revoke"), (4, "nothing_to_revoke")]
    del transport.sent[:]
    second = RevocationRun(make_client(workers=1), [1, 2, 3, 4], options(skip_approval=skip_approval)).execute()
    assert second.failure is None
    assert second.changed is False
    assert outcomes(second) == [(1, second_outcome), (2, "already_revoked"), (3, "nothing_to_revoke"), (4, "nothing_to_revoke")]
    assert second.orders[0]["request_id"] == (None if skip_approval else 9001)
    assert writes(transport) == []
    assert ("GET", "/user/me") not in calls(transport)


def test_many_orders_run_concurrently_and_keep_their_order(make_client, transport, account, clock):
    orders = [order_info(order_id) for order_id in range(100, 120)]
    report = run(make_client, account, clock, orders, order_ids=list(range(119, 99, -1)), workers=4)
    assert [entry["id"] for entry in report.orders] == list(range(119, 99, -1))
    assert set(entry["outcome"] for entry in report.orders) == {"revoke_requested"}
    assert len(set(entry["request_id"] for entry in report.orders)) == 20
    assert len(calls(transport)) == 3 * 20 + 1


# ---------------------------------------------------------------- check mode


def test_check_mode_reads_and_plans_but_changes_nothing(make_client, transport, account, clock):
    orders = [order_info(1), awaiting_revocation(2), order_info(3, "revoked"), order_info(4, "pending")]
    report = run(make_client, account, clock, orders, check_mode=True, fail_on_not_revocable=False)
    assert writes(transport) == []
    assert report.failure is None
    assert report.changed is True
    assert outcomes(report) == [(1, "would_request_revoke"), (2, "revoke_already_requested"), (3, "already_revoked"), (4, "not_revocable")]
    assert [entry["status"] for entry in report.orders] == ["issued", "issued", "revoked", "pending"]
    assert report.diff["after"]["orders"] == {
        "1": {"common_name": "host1.example.com", "status": "issued", "request": {"id": None, "status": "pending"}},
        "2": {"common_name": "host2.example.com", "status": "issued", "request": {"id": 21, "status": "pending"}},
        "3": {"common_name": "host3.example.com", "status": "revoked"},
        "4": {"common_name": "host4.example.com", "status": "pending"},
    }
    assert report.summary["would_request_revoke"] == 1


def test_check_mode_with_skip_approval_predicts_the_revocation(make_client, transport, account, clock):
    report = run(make_client, account, clock, [order_info(1)], check_mode=True, skip_approval=True)
    assert outcomes(report) == [(1, "would_revoke")]
    assert report.diff == {
        "before": {"orders": {"1": {"common_name": "host1.example.com", "status": "issued"}}},
        "after": {"orders": {"1": {"common_name": "host1.example.com", "status": "revoked"}}},
    }
    assert account.orders[1]["status"] == "issued"


def test_check_mode_without_changes(make_client, transport, account, clock):
    report = run(make_client, account, clock, [order_info(1, "revoked"), awaiting_revocation(2)], check_mode=True)
    assert (report.changed, report.failure) == (False, None)
    assert ("GET", "/user/me") not in calls(transport)


def test_check_mode_fails_where_a_real_run_would(make_client, transport, account, clock):
    report = run(make_client, account, clock, [order_info(1), order_info(2, "reissue_pending")], check_mode=True)
    assert report.failure.startswith("Nothing was changed: 1 of 2 orders stop the run. Order 2 has a pending reissue, and CertCentral does not allow revoking")
    assert report.changed is False
    assert outcomes(report) == [(1, "would_request_revoke"), (2, "not_revocable")]


# ---------------------------------------------------------------- pre-flight: stop before any change


@pytest.mark.parametrize("status", ["reissue_pending", "pending", "waiting_pickup", "needs_approval"])
def test_an_order_that_cannot_be_revoked_stops_the_whole_run(make_client, transport, account, clock, status):
    report = run(make_client, account, clock, [order_info(1), order_info(2, status)])
    assert writes(transport) == []
    assert outcomes(report) == [(1, "would_request_revoke"), (2, "not_revocable")]
    assert report.failure.startswith("Nothing was changed: 1 of 2 orders stop the run. Order 2 ")


def test_orders_that_cannot_be_revoked_are_skipped_when_asked(make_client, transport, account, clock):
    report = run(make_client, account, clock, [order_info(1), order_info(2, "reissue_pending")], fail_on_not_revocable=False)
    assert report.failure is None
    assert outcomes(report) == [(1, "revoke_requested"), (2, "not_revocable")]
    assert writes(transport) == [("PUT", "/order/certificate/1/revoke")]


def test_results_and_diff_name_each_order_by_its_common_name(make_client, account, clock):
    report = RevocationRun(make_client(workers=1), [], options()).execute()
    assert report.diff == {"before": {"orders": {}}, "after": {"orders": {}}}
    report = run(make_client, account, clock, [order_info(1)], order_ids=[1, 404], check_mode=True, missing_ok=True)
    assert [(entry["id"], entry["common_name"]) for entry in report.orders] == [(1, "host1.example.com"), (404, None)]
    assert report.diff["after"]["orders"] == {
        "1": {"common_name": "host1.example.com", "status": "issued", "request": {"id": None, "status": "pending"}},
        "404": {"status": None},
    }


def test_unknown_order_stops_the_run_unless_missing_ok(make_client, transport, account, clock):
    report = run(make_client, account, clock, [order_info(1)], order_ids=[1, 404])
    assert writes(transport) == []
    assert outcomes(report) == [(1, "would_request_revoke"), (404, "missing")]
    assert report.orders[1]["message"].endswith("Set missing_ok=true to skip orders that do not exist.")
    report = RevocationRun(make_client(workers=1), [1, 404], options(missing_ok=True)).execute()
    assert (report.failure, outcomes(report)) == (None, [(1, "revoke_requested"), (404, "missing")])


@pytest.mark.parametrize("limit, stops", [(1, True), (2, False), (None, False)])
def test_max_revocations(make_client, transport, account, clock, limit, stops):
    orders = [order_info(1), order_info(2), order_info(3, "revoked"), awaiting_revocation(4)]
    report = run(make_client, account, clock, orders, max_revocations=limit)
    if stops:
        assert writes(transport) == []
        assert report.failure == (
            "Nothing was changed: 2 orders would be changed (2 revoke_requested), more than "
            "max_revocations=1 allows. If that many is intended, set max_revocations to 2 or "
            "more; otherwise pass fewer orders."
        )
        assert outcomes(report)[:2] == [(1, "would_request_revoke"), (2, "would_request_revoke")]
    else:
        assert report.failure is None
        assert len(writes(transport)) == 2


def test_view_only_key_stops_before_any_change(make_client, transport, account, clock):
    account.user = {"id": 1003, "access_roles": [{"id": 102, "name": "View Only"}]}
    report = run(make_client, account, clock, [order_info(1)], skip_approval=True)
    assert writes(transport) == []
    assert report.failure == (
        "Nothing was changed: the API key is restricted to View Only (GET /user/me shows its "
        "access_roles), so it can read orders but cannot revoke them. Use a key with the Orders "
        "role, or one without role restrictions; skip_approval also needs a key with admin "
        "privileges."
    )
    assert outcomes(report) == [(1, "would_revoke")]


# ---------------------------------------------------------------- skip_approval with a key that may not use it


def test_skip_approval_refused_for_the_key_stops_the_other_revocations(make_client, transport, account, clock):
    account.role = "orders"
    report = run(make_client, account, clock, [order_info(1), order_info(2)], skip_approval=True)
    assert writes(transport) == [("PUT", "/order/certificate/1/revoke")]
    assert outcomes(report) == [(1, "failed"), (2, "failed")]
    assert report.changed is False
    first, second = report.orders
    assert first["message"] == (
        "Order 1: could not revoke the order. CertCentral refused PUT /order/certificate/1/revoke for order 1 (HTTP 403 "
        "access_denied|missing_permission): skip_approval needs an API key with admin privileges (and a View Only key "
        "may not revoke at all). Run without skip_approval to create revoke requests that an approver approves, or use "
        'an administrator\'s key. CertCentral said: "The API key does not have permission to perform this action."'
    )
    assert second["message"].startswith(
        "Order 2 was not acted on: the API key was refused on an earlier call. CertCentral refused PUT /order/certificate/1/revoke for order 1 (HTTP 403"
    )
    assert report.failure.startswith("2 of 2 orders were not processed as asked (0 changed).")
    assert [order["status"] for order in account.orders.values()] == ["issued", "issued"]


def test_the_same_key_may_request_revocations(make_client, transport, account, clock):
    account.role = "orders"
    report = run(make_client, account, clock, [order_info(1)])
    assert outcomes(report) == [(1, "revoke_requested")]


def test_missing_permission_without_skip_approval_keeps_the_client_advice(make_client, transport, account, clock):
    account.faults[("PUT", 1)] = [dict(status=403, body={"errors": [{"code": "access_denied|missing_permission", "message": "No."}]})]
    report = run(make_client, account, clock, [order_info(1)])
    assert outcomes(report) == [(1, "failed")]
    assert "skip_approval needs" not in report.orders[0]["message"]
    assert "The API key is not allowed to PUT /order/certificate/1/revoke" in report.orders[0]["message"]


# ---------------------------------------------------------------- writes whose answer got lost


def test_lost_answer_of_a_skip_approval_revocation_is_read_back(make_client, transport, account, clock):
    account.faults[("PUT", 1)] = ["lost"]
    report = run(make_client, account, clock, [order_info(1)], skip_approval=True)
    assert outcomes(report) == [(1, "revoked")]
    assert report.orders[0]["message"] == ("Order 1 was revoked (it was issued): the answer was lost, and reading the order back shows it revoked.")
    assert writes(transport) == [("PUT", "/order/certificate/1/revoke")]


def test_lost_answer_of_a_revoke_request_finds_the_request(make_client, transport, account, clock):
    account.faults[("PUT", 1)] = ["lost"]
    report = run(make_client, account, clock, [client_order(1)], revocation_reason="superseded")
    assert outcomes(report) == [(1, "revoke_requested")]
    entry = report.orders[0]
    assert entry["request_id"] == 9001
    assert entry["message"] == (
        "The revocation of order 1 was requested: the answer was lost, and reading the order back shows revoke request 9001 awaiting approval. " + WITHHELD
    )
    assert report.diff["after"]["orders"]["1"] == {"common_name": "host1.example.com", "status": "issued", "request": {"id": 9001, "status": "pending"}}
    assert writes(transport) == [("PUT", "/order/certificate/1/revoke")]


@pytest.mark.parametrize("fault", [503, "dropped"])
def test_revocation_without_visible_effect_is_sent_again(make_client, transport, account, clock, fault):
    account.faults[("PUT", 1)] = [fault]
    report = run(make_client, account, clock, [order_info(1)])
    assert outcomes(report) == [(1, "revoke_requested")]
    assert calls(transport)[2:] == [
        ("GET", "/order/certificate/1"),
        ("PUT", "/order/certificate/1/revoke"),
        ("GET", "/order/certificate/1"),
        ("PUT", "/order/certificate/1/revoke"),
    ]
    assert len([entry for entry in account.orders[1]["requests"] if entry["type"] == "revoke"]) == 1


def test_revoke_request_that_never_shows_an_effect_is_bounded_by_retries(make_client, transport, account, clock):
    account.faults[("PUT", 1)] = [502] * 3
    client = make_client(workers=1, retries=2)
    account.orders[1] = order_info(1)
    report = RevocationRun(client, [1], options()).execute()
    assert outcomes(report) == [(1, "failed")]
    assert writes(transport) == [("PUT", "/order/certificate/1/revoke")] * 3
    assert report.orders[0]["message"].endswith(
        "None of the 3 attempts had a visible effect: the order is still issued. Check it in CertCentral before running again."
    )


@pytest.mark.parametrize("fault", [502, "dropped"])
def test_skip_approval_revocation_without_an_answer_is_never_sent_twice(make_client, transport, account, clock, fault):
    # DigiCert may be carrying it out without a trace on the order yet: a read that shows nothing proves nothing.
    account.faults[("PUT", 1)] = [fault]
    report = run(make_client, account, clock, [order_info(1)], skip_approval=True)
    assert outcomes(report) == [(1, "failed")]
    assert writes(transport) == [("PUT", "/order/certificate/1/revoke")]
    message = report.orders[0]["message"]
    assert message.startswith("Order 1: the attempt to revoke the order ended without a clear answer.")
    assert message.endswith(
        "Reading it back shows no trace of it yet, and DigiCert carries out a revocation sent with "
        "skip_approval as a step of its own, which may not show yet, so it is not sent again. Check "
        "the order in CertCentral (or run again later) before sending it again."
    )
    assert report.orders[0]["status"] == "issued"


# ---------------------------------------------------------------- accepted revocations that a read does not confirm

LATER = (
    "DigiCert is processing the revocation; the order reads revoked once it is done. Nothing more needs to be "
    "sent: a run after that reports it already_revoked, and wait_timeout makes a run wait for it."
)


def test_skip_approval_accepted_while_the_order_still_reads_issued_is_submitted(make_client, transport, account, clock):
    account.faults[("PUT", 1)] = ["ignored"]
    report = run(make_client, account, clock, [order_info(1)], skip_approval=True)
    assert outcomes(report) == [(1, "revocation_submitted")]
    assert report.orders[0]["message"] == ("CertCentral accepted the revocation of order 1 (it was issued), and it still reads issued. " + LATER)
    assert (report.failure, report.changed) == (None, True)
    assert report.summary["revocation_submitted"] == 1


def test_skip_approval_accepted_but_not_read_back(make_client, transport, account, clock):
    # The first read and the one right before acting go through; reading back fails.
    account.faults[("GET", 1)] = [lambda fake: None] * 2 + [500] * 6
    report = run(make_client, account, clock, [order_info(1)], skip_approval=True)
    assert outcomes(report) == [(1, "revocation_submitted")]
    entry = report.orders[0]
    assert entry["status"] is None
    assert entry["message"].startswith(
        "CertCentral accepted the revocation of order 1 (it was issued), but its status could not be read back: CertCentral answered GET /order/certificate/1"
    )
    assert entry["message"].endswith(LATER)
    assert report.failure is None


def test_request_answered_without_a_body_is_judged_by_the_order(make_client, transport, account, clock):
    account.faults[("PUT", 1)] = ["silent"]
    report = run(make_client, account, clock, [order_info(1)])
    assert outcomes(report) == [(1, "revoke_requested")]
    assert report.orders[0]["request_id"] == 9001
    assert report.orders[0]["message"] == (
        "CertCentral accepted the revocation of order 1 (it was issued) without "
        "naming a revoke request; reading the order back shows revoke request 9001 "
        "awaiting approval."
    )


def test_request_answered_by_revoking_at_once(make_client, transport, account, clock):
    def revoke_without_request(fake):
        fake.orders[1]["status"] = "revoked"
        return "ignored"

    account.faults[("PUT", 1)] = [revoke_without_request]
    report = run(make_client, account, clock, [order_info(1)])
    assert outcomes(report) == [(1, "revoked")]
    assert report.orders[0]["message"] == "Order 1 was revoked (it was issued); CertCentral now shows it revoked."
    assert report.orders[0]["request_id"] is None


# ---------------------------------------------------------------- orders that change under the run


def test_reissue_started_before_the_revocation_is_refused_with_the_servers_words(make_client, transport, account, clock):
    account.faults[("PUT", 1)] = [change_status(1, "reissue_pending")]
    report = run(make_client, account, clock, [order_info(1), order_info(2)])
    assert outcomes(report) == [(1, "not_revocable"), (2, "revoke_requested")]
    entry = report.orders[0]
    assert entry["status"] == "reissue_pending"
    assert entry["message"].startswith(
        "Order 1 changed under this run (it was issued, now it is reissue_pending), so "
        "this run did not request the revocation of the order. CertCentral refused PUT "
        "/order/certificate/1/revoke"
    )
    assert 'CertCentral said: "A certificate with a pending reissue cannot be revoked; cancel the reissue first."' in entry["message"]
    assert entry["revoke_verdict"]["action"] == "cancel_reissue"
    assert report.failure.startswith("1 of 2 orders were not processed as asked (1 changed).")


def test_revoke_request_created_by_someone_else_meanwhile(make_client, transport, account, clock):
    def someone_requests(fake):
        fake.orders[1]["requests"].append(request(88, "revoke", "pending"))

    account.faults[("PUT", 1)] = [someone_requests]
    report = run(make_client, account, clock, [order_info(1)])
    assert outcomes(report) == [(1, "revoke_already_requested")]
    assert report.changed is False
    assert report.failure is None
    entry = report.orders[0]
    assert entry["request_id"] == 88
    assert entry["message"].startswith("Order 1 changed under this run (it is still issued, but its requests changed); CertCentral refused the change:")
    assert report.diff["after"]["orders"]["1"] == {"common_name": "host1.example.com", "status": "issued", "request": {"id": 88, "status": "pending"}}
    assert report.diff["before"]["orders"]["1"] == {"common_name": "host1.example.com", "status": "issued"}


def test_reason_refused_while_the_order_is_unchanged_is_a_failure(make_client, transport, account, clock):
    account.faults[("PUT", 1)] = [dict(status=400, body={"errors": [{"code": "invalid_param|revocation_reason", "message": "Reason not allowed."}]})]
    report = run(make_client, account, clock, [order_info(1)], revocation_reason="affiliation_changed")
    assert outcomes(report) == [(1, "failed")]
    assert report.orders[0]["message"].startswith("Order 1: could not request the revocation of the order, although it is still issued. CertCentral refused")
    assert 'CertCentral said: "Reason not allowed."' in report.orders[0]["message"]


def test_a_changed_plan_is_reported_and_never_escalated(make_client, transport, account, clock):
    account.on_user_me = change_status(1, "reissue_pending")
    report = run(make_client, account, clock, [order_info(1), order_info(2)], fail_on_not_revocable=False)
    assert writes(transport) == [("PUT", "/order/certificate/2/revoke")]
    assert outcomes(report) == [(1, "not_revocable"), (2, "revoke_requested")]
    assert report.orders[0]["message"].startswith(
        "Order 1 changed since it was first read (it was issued, now it is reissue_pending), so this run did not request the revocation"
    )
    assert report.failure is None


def test_an_order_revoked_meanwhile_is_already_revoked(make_client, transport, account, clock):
    account.on_user_me = change_status(1, "revoked")
    report = run(make_client, account, clock, [order_info(1)], skip_approval=True)
    assert outcomes(report) == [(1, "already_revoked")]
    assert writes(transport) == []
    assert report.changed is False


@pytest.mark.parametrize("outcome", CHANGE_OUTCOMES + WOULD_CHANGE_OUTCOMES)
def test_every_change_has_its_would_form(outcome):
    assert outcome in OUTCOMES


# ---------------------------------------------------------------- revocations that DigiCert completes later


def in_flight(order_id):
    return order_info(
        order_id, "issued", [request(order_id * 10, "new_request", "approved"), request(order_id * 10 + 2, "revoke", "approved", "2026-01-15T10:00:00+00:00")]
    )


def test_a_delayed_revocation_is_submitted_then_in_progress_then_already_revoked(make_client, transport, account, clock):
    account.delayed = True
    first = run(make_client, account, clock, [order_info(1), order_info(2)], skip_approval=True)
    assert outcomes(first) == [(1, "revocation_submitted"), (2, "revocation_submitted")]
    assert (first.failure, first.changed) == (None, True)
    entry = first.orders[0]
    assert (entry["status"], entry["request_id"]) == ("issued", 9001)
    assert entry["message"] == (
        "CertCentral accepted the revocation of order 1 (it was issued), and it still reads issued, with revoke request 9001 approved. " + LATER
    )
    assert first.diff["after"]["orders"]["1"] == {"common_name": "host1.example.com", "status": "issued", "request": {"id": 9001, "status": "approved"}}
    assert len(writes(transport)) == 2

    del transport.sent[:]
    rerun = RevocationRun(make_client(workers=1), [1, 2], options(skip_approval=True)).execute()
    assert outcomes(rerun) == [(1, "revocation_in_progress"), (2, "revocation_in_progress")]
    assert (rerun.failure, rerun.changed) == (None, False)
    assert writes(transport) == []
    assert rerun.orders[0]["request_id"] == 9001
    assert rerun.orders[0]["revoke_verdict"]["action"] == "await_revocation"
    assert rerun.summary["revocation_in_progress"] == 2

    account.complete(1)
    account.complete(2)
    done = RevocationRun(make_client(workers=1), [1, 2], options(skip_approval=True)).execute()
    assert outcomes(done) == [(1, "already_revoked"), (2, "already_revoked")]
    assert writes(transport) == []


@pytest.mark.parametrize("skip_approval", [False, True])
def test_an_order_in_flight_is_never_sent_a_second_revocation(make_client, transport, account, clock, skip_approval):
    report = run(make_client, account, clock, [in_flight(1)], skip_approval=skip_approval)
    assert outcomes(report) == [(1, "revocation_in_progress")]
    assert writes(transport) == []
    assert ("GET", "/user/me") not in calls(transport)


def test_a_lost_answer_of_a_delayed_revocation_is_found_by_its_approved_request(make_client, transport, account, clock):
    account.delayed = True
    account.faults[("PUT", 1)] = ["lost"]
    report = run(make_client, account, clock, [order_info(1)], skip_approval=True)
    assert outcomes(report) == [(1, "revocation_submitted")]
    assert report.orders[0]["message"] == (
        "The revocation of order 1 reached CertCentral: the answer was lost, and "
        "reading the order back shows it still issued, with revoke request 9001 "
        "approved. " + LATER
    )
    assert writes(transport) == [("PUT", "/order/certificate/1/revoke")]


class CompletingSleep:
    """A sleep that moves the clock and lets DigiCert complete some revocations after a given time."""

    def __init__(self, clock, account, completions):
        self.clock = clock
        self.account = account
        self.completions = dict(completions)
        self.waits = []

    def __call__(self, seconds):
        self.waits.append(seconds)
        self.clock.now += seconds
        for order_id, at in list(self.completions.items()):
            if self.clock.now - 1000.0 >= at:
                self.account.complete(order_id)
                del self.completions[order_id]


def test_wait_timeout_waits_until_the_orders_read_revoked(make_client, transport, account, clock):
    account.delayed = True
    account.orders.update({1: order_info(1), 2: order_info(2), 3: in_flight(3)})
    sleep = CompletingSleep(clock, account, {1: 5, 2: 12, 3: 3})
    report = RevocationRun(make_client(workers=1), [1, 2, 3], options(skip_approval=True, wait_timeout=60, wait_interval=5), clock=clock, sleep=sleep).execute()
    assert outcomes(report) == [(1, "revoked"), (2, "revoked"), (3, "already_revoked")]
    assert sleep.waits == [5, 5, 5]
    assert report.orders[0]["message"] == ("Order 1 was revoked (it was issued): DigiCert completed the revocation this run sent within 5 seconds.")
    assert report.orders[1]["message"].endswith("within 15 seconds.")
    assert report.orders[2]["message"] == (
        "Order 3 is revoked: DigiCert completed the revocation that was in progress while this run waited (revoke request 32)."
    )
    assert [entry["status"] for entry in report.orders] == ["revoked", "revoked", "revoked"]
    assert report.summary["revoked"] == 2
    assert len(writes(transport)) == 2


def test_wait_timeout_is_bounded_and_says_what_is_still_in_flight(make_client, transport, account, clock):
    account.delayed = True
    account.orders[1] = order_info(1)
    sleep = CompletingSleep(clock, account, {})
    report = RevocationRun(make_client(workers=1), [1], options(skip_approval=True, wait_timeout=25, wait_interval=10), clock=clock, sleep=sleep).execute()
    assert sleep.waits == [10, 10, 5]
    assert outcomes(report) == [(1, "revocation_submitted")]
    assert report.orders[0]["message"].endswith(LATER + " It did not read revoked yet when wait_timeout (25 seconds) ran out.")
    assert len(writes(transport)) == 1
    assert report.failure is None


def test_no_wait_by_default_and_none_for_revoke_requests(make_client, transport, account, clock):
    account.orders[1] = order_info(1)
    sleep = CompletingSleep(clock, account, {})
    report = RevocationRun(make_client(workers=1), [1], options(wait_timeout=30), clock=clock, sleep=sleep).execute()
    assert outcomes(report) == [(1, "revoke_requested")]
    assert sleep.waits == []


@pytest.mark.parametrize(
    "values, message",
    [
        (dict(wait_timeout=-1), "wait_timeout must be a whole number of seconds from 0 (do not wait) to 3600 (an hour), got -1."),
        (dict(wait_timeout=3601), "wait_timeout must be a whole number of seconds from 0 (do not wait) to 3600 (an hour), got 3601."),
        (dict(wait_interval=0), "wait_interval must be a whole number of seconds from 1 to 3600, got 0."),
    ],
)
def test_bad_wait_options(values, message):
    with pytest.raises(ValueError) as caught:
        options(**values)
    assert str(caught.value) == message


# ---------------------------------------------------------------- odd data and errors nobody foresaw


def test_a_request_id_given_as_text_fails_the_order_with_a_clear_sentence(make_client, transport, account, clock):
    odd = order_info(2, "issued", [{"id": "7", "type": "new request", "status": "approved", "date": "2026-01-01"}])
    report = run(make_client, account, clock, [order_info(1), odd])
    assert writes(transport) == []
    assert outcomes(report) == [(1, "would_request_revoke"), (2, "failed")]
    # The sentence names the order and the field, never a Python exception.
    message = report.orders[1]["message"]
    assert "order 2" in message.lower() and "requests[0].id" in message and "Traceback" not in message
    assert set(report.summary) == set(OUTCOMES)


def test_odd_data_that_appears_mid_run_fails_that_order_only(make_client, transport, account, clock):
    def odd_ids(fake):
        fake.orders[1]["requests"][0]["id"] = "10"

    account.on_user_me = odd_ids
    report = run(make_client, account, clock, [order_info(1), order_info(2)])
    assert outcomes(report) == [(1, "failed"), (2, "revoke_requested")]
    assert writes(transport) == [("PUT", "/order/certificate/2/revoke")]
    message = report.orders[0]["message"]
    assert message.startswith("Order 1 was not acted on: reading it right before acting failed.")
    assert "requests[0].id" in message
    assert report.changed is True


def test_a_revoke_request_spelt_otherwise_is_not_requested_again(make_client, transport, account, clock):
    odd = order_info(1, "issued", [request(10, "New Request", "Approved"), request(11, "Revoke", "Pending")])
    report = run(make_client, account, clock, [odd], skip_approval=True)
    assert outcomes(report) == [(1, "revoke_already_requested")]
    assert report.orders[0]["request_id"] == 11
    assert writes(transport) == []


class Boom(Exception):
    pass


def test_an_unexpected_error_before_sending_fails_that_order_and_the_others_carry_on(make_client, transport, account, clock, monkeypatch):
    plans = []

    def plan(self, order):
        # The second plan of order 1 is the one right before acting.
        plans.append(order["id"])
        if plans.count(1) == 2 and order["id"] == 1:
            raise Boom("no\x1b[31m disk")
        return plan_order(order, self.options)

    monkeypatch.setattr(RevocationRun, "plan", plan)
    report = run(make_client, account, clock, [order_info(1), order_info(2)])
    assert outcomes(report) == [(1, "failed"), (2, "revoke_requested")]
    message = report.orders[0]["message"]
    assert "\x1b" not in message
    assert message.startswith(
        "Order 1 was not changed: an unexpected error occurred (Boom: no [31m disk). Please report it to the certops.digicert maintainers with this message."
    )
    assert writes(transport) == [("PUT", "/order/certificate/2/revoke")]
    assert report.failure.startswith("1 of 2 orders were not processed as asked (1 changed).")
    assert report.changed is True


@pytest.mark.parametrize("delayed, outcome, status", [(False, "revoked", "revoked"), (True, "revocation_submitted", "issued")])
def test_an_unexpected_error_after_sending_is_judged_by_a_read_back(make_client, transport, account, clock, monkeypatch, delayed, outcome, status):
    account.delayed = delayed

    def settle_success(self, run_, answer):
        raise Boom("after the change")

    monkeypatch.setattr(RevocationRun, "settle_success", settle_success)
    report = run(make_client, account, clock, [order_info(1)], skip_approval=True)
    assert outcomes(report) == [(1, outcome)]
    assert report.orders[0]["status"] == status
    assert report.orders[0]["message"].endswith(
        "(After the request was sent: an unexpected error occurred (Boom: after "
        "the change). Please report it to the certops.digicert maintainers "
        "with this message.)"
    )
    assert report.changed is True
    assert len(writes(transport)) == 1


def test_an_unexpected_error_after_a_send_without_effect_is_a_failure(make_client, transport, account, clock, monkeypatch):
    account.faults[("PUT", 1)] = ["ignored"]

    def settle_success(self, run_, answer):
        raise Boom("lost track")

    monkeypatch.setattr(RevocationRun, "settle_success", settle_success)
    report = run(make_client, account, clock, [order_info(1)])
    assert outcomes(report) == [(1, "failed")]
    assert report.orders[0]["message"].startswith(
        "Order 1: after the request to request the revocation of the order was sent: an unexpected error occurred (Boom: lost track)."
    )
    assert report.orders[0]["message"].endswith("Reading the order back shows it issued, without the change. Check it in CertCentral before running again.")
    assert report.changed is False


def test_an_unexpected_error_while_planning_stops_the_run_before_any_change(make_client, transport, account, clock, monkeypatch):
    def plan(self, order):
        if order["id"] == 2:
            raise Boom("bad plan")
        return plan_order(order, self.options)

    monkeypatch.setattr(RevocationRun, "plan", plan)
    report = run(make_client, account, clock, [order_info(1), order_info(2)])
    assert outcomes(report) == [(1, "would_request_revoke"), (2, "failed")]
    assert report.orders[1]["message"].startswith("Order 2 could not be planned: an unexpected error occurred (Boom: bad plan).")
    assert writes(transport) == []


# ---------------------------------------------------------------- what the key's user may do (GET /user/me)


@pytest.mark.parametrize("roles", [[{"id": 100, "name": "Orders"}], [{"id": 2, "name": "Manager"}]])
def test_check_mode_marks_skip_approval_the_user_may_not_use(make_client, transport, account, clock, roles):
    account.user = {"id": 1002, "access_roles": roles}
    report = run(make_client, account, clock, [order_info(1)], check_mode=True, skip_approval=True)
    assert outcomes(report) == [(1, "not_revocable")]
    assert report.orders[0]["message"].endswith(
        "It is not revoked with skip_approval: the user behind the API key may not revoke without an approval step "
        f"(skip_approval): GET /user/me shows its roles as {roles[0]['name']}, and only an administrator may. Run without skip_approval "
        "to create a revoke request that an approver approves, or use the API key of an administrator."
    )
    assert report.failure.startswith("Nothing was changed: 1 of 1 orders stop the run.")


def test_an_applied_run_with_skip_approval_stops_before_the_first_change(make_client, transport, account, clock):
    account.user = {"id": 1006, "access_roles": [{"id": 2, "name": "Manager"}]}
    report = run(make_client, account, clock, [order_info(1), order_info(2)], skip_approval=True)
    assert writes(transport) == []
    assert outcomes(report) == [(1, "not_revocable"), (2, "not_revocable")]
    assert calls(transport).count(("GET", "/user/me")) == 1


def test_revoke_requests_need_no_role(make_client, transport, account, clock):
    account.user = {"id": 1002, "access_roles": [{"id": 100, "name": "Orders"}]}
    report = run(make_client, account, clock, [order_info(1)], check_mode=True)
    assert outcomes(report) == [(1, "would_request_revoke")]


def test_skip_approval_is_planned_when_the_user_cannot_be_read(make_client, transport, account, clock):
    account.user_answer = dict(status=403, body={"errors": [{"code": "access_denied|missing_permission", "message": "No."}]})
    report = run(make_client, account, clock, [order_info(1)], check_mode=True, skip_approval=True)
    assert outcomes(report) == [(1, "would_revoke")]


# ---------------------------------------------------------------- a reviewed plan (the decommission role's entries)


def reviewed(order_id, outcome, request_id=None):
    """An order entry of a reviewed plan, as the decommission role hands it to the module."""
    return {
        "id": order_id,
        "status": "issued",
        "product_name_id": "ssl_basic",
        "product_type": "ssl_certificate",
        "requests": None,
        "common_name": f"host{order_id}.example.com",
        "reviewed_change": {"outcome": outcome, "request_id": request_id},
    }


def run_reviewed(make_client, account, orders, entries, **option_values):
    account.orders.update((order["id"], copy.deepcopy(order)) for order in orders)
    order_ids, listed = listed_orders(entries)
    return RevocationRun(make_client(workers=1), order_ids, options(**option_values), listed=listed).execute()


def test_a_reviewed_revocation_is_made_as_reviewed(make_client, transport, account):
    report = run_reviewed(make_client, account, [order_info(1)], [reviewed(1, "would_request_revoke")])
    assert outcomes(report) == [(1, "revoke_requested")]
    assert writes(transport) == [("PUT", "/order/certificate/1/revoke")]


def test_a_change_other_than_the_reviewed_one_is_never_made(make_client, transport, account):
    # Reviewed as a revoke request for an approver; this run would revoke at once.
    report = run_reviewed(make_client, account, [order_info(1)], [reviewed(1, "would_request_revoke")], skip_approval=True, fail_on_not_revocable=False)
    assert outcomes(report) == [(1, "not_revocable")]
    assert report.orders[0]["message"].startswith(
        "Order 1 changed since the review: the reviewed plan was would_request_revoke, but a read now plans would_revoke."
    )
    assert writes(transport) == []


def test_a_reviewed_order_found_settled_keeps_its_outcome(make_client, transport, account):
    # Applying the plan a second time: the revoke request of the first is still pending.
    report = run_reviewed(make_client, account, [awaiting_revocation(1)], [reviewed(1, "would_request_revoke")])
    assert outcomes(report) == [(1, "revoke_already_requested")]
    assert report.failure is None
    assert writes(transport) == []
