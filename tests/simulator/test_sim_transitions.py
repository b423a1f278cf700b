# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The status machine: cancel, cancel a reissue, approve/reject requests, revoke; every refusal with its exact body."""

from __future__ import annotations

import pytest

from sim_contract import MISSING_NOTE, MISSING_PERMISSION, MISSING_STATUS, ORDER_NOT_FOUND, assert_error, cannot_cancel, error

CANCEL = {"status": "canceled", "note": "Ordered by mistake"}


def pending_request(simulator, order_id: int, request_type: str) -> dict:
    return next(r for r in simulator.order(order_id)["requests"] if r["type"] == request_type and r["status"] == "pending")


@pytest.mark.parametrize("status", ["pending", "waiting_pickup"])
def test_cancel_a_pending_order(simulator, client, orders_key, order_in, status):
    order_id = order_in(status)
    response = client(orders_key).put(f"/order/certificate/{order_id}/status", CANCEL)
    assert response.status_code == 204 and response.content == b""
    assert simulator.order_status(order_id) == "canceled"
    assert client().get(f"/order/certificate/{order_id}").json()["status"] == "canceled"
    [entry] = simulator.audit_log()
    assert entry == {
        "sequence": 1,
        "time": entry["time"],
        "order_id": order_id,
        "action": "cancel",
        "from_status": status,
        "to_status": "canceled",
        "role": "orders",
        "note": "Ordered by mistake",
    }


def test_cancel_a_pending_reissue(simulator, api, order_in):
    order_id = order_in("reissue_pending")
    request = pending_request(simulator, order_id, "reissue")
    assert api.put(f"/order/certificate/{order_id}/status", {"status": "canceled", "note": "Wrong CSR"}).status_code == 204
    order = simulator.order(order_id)
    assert order["status"] == "issued"
    rejected = next(r for r in order["requests"] if r["id"] == request["id"])
    assert rejected["status"] == "rejected" and rejected["processor_comment"] == "Wrong CSR"
    assert order["reissues"][-1]["status"] == "rejected"
    info = api.get(f"/order/certificate/{order_id}").json()
    assert info["status"] == "issued"
    assert api.get(f"/request/{request['id']}").json()["processor_comment"] == "Wrong CSR"
    [entry] = simulator.audit_log()
    assert (entry["action"], entry["from_status"], entry["to_status"], entry["request_id"], entry["request_to_status"]) == (
        "cancel_reissue",
        "reissue_pending",
        "issued",
        request["id"],
        "rejected",
    )


@pytest.mark.parametrize("status", ["issued", "expired", "revoked", "canceled", "rejected"])
def test_cancel_is_refused_outside_the_pending_statuses(simulator, api, order_in, status):
    order_id = order_in(status)
    assert_error(api.put(f"/order/certificate/{order_id}/status", CANCEL), 400, cannot_cancel(status))
    assert simulator.order_status(order_id) == status
    assert simulator.audit_log() == []


def test_cancel_of_an_order_that_needs_approval_is_refused(simulator, api, order_in):
    order_id = order_in("needs_approval")
    expected = error("invalid_status|order", "An order that needs approval cannot be canceled; reject its pending request instead.")
    assert_error(api.put(f"/order/certificate/{order_id}/status", CANCEL), 400, expected)
    assert simulator.order_status(order_id) == "needs_approval"


def test_canceling_twice_is_refused_the_second_time(api, order_in):
    order_id = order_in("pending")
    assert api.put(f"/order/certificate/{order_id}/status", CANCEL).status_code == 204
    assert_error(api.put(f"/order/certificate/{order_id}/status", CANCEL), 400, cannot_cancel("canceled"))


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"status": "canceled"}, MISSING_NOTE),
        ({"status": "canceled", "note": "   "}, MISSING_NOTE),
        ({"status": "canceled", "note": 42}, MISSING_NOTE),
        ({"note": "no status"}, MISSING_STATUS),
        ({}, MISSING_STATUS),
        ({"status": "CANCELED", "note": "upper case"}, error("invalid_param|status", "status must be one of canceled, renewed, not_renewed (case sensitive).")),
        ({"status": "revoked", "note": "wrong verb"}, error("invalid_param|status", "status must be one of canceled, renewed, not_renewed (case sensitive).")),
        ({"status": "renewed"}, error("invalid_status|order", "Only migrated orders can be marked renewed or not_renewed.")),
    ],
)
def test_cancel_body_validation(simulator, api, order_in, body, expected):
    order_id = order_in("pending")
    assert_error(api.put(f"/order/certificate/{order_id}/status", body), 400, expected)
    assert simulator.order_status(order_id) == "pending"


def test_an_empty_body_is_a_missing_status(api, order_in):
    response = api.request("PUT", f"/order/certificate/{order_in('pending')}/status", data=b"")
    assert_error(response, 400, MISSING_STATUS)


@pytest.mark.parametrize("identifier", ["12", "thumbprint-not-allowed"])
def test_cancel_of_an_unknown_order_is_not_found(api, identifier):
    assert_error(api.put(f"/order/certificate/{identifier}/status", CANCEL), 404, ORDER_NOT_FOUND)


def test_approving_the_new_request_makes_the_order_pending_and_cancelable(simulator, api, order_in):
    order_id = order_in("needs_approval")
    request = pending_request(simulator, order_id, "new_request")
    response = api.put(f"/request/{request['id']}/status", {"status": "approved", "processor_comment": "ok"})
    assert response.status_code == 204 and response.content == b""
    assert simulator.order_status(order_id) == "pending"
    approved = api.get(f"/request/{request['id']}").json()
    assert approved["status"] == "approved" and approved["processor"]["id"] == 1001 and "date_processed" in approved
    assert api.put(f"/order/certificate/{order_id}/status", CANCEL).status_code == 204
    assert [(e["action"], e["from_status"], e["to_status"]) for e in simulator.audit_log()] == [
        ("approve_request", "needs_approval", "pending"),
        ("cancel", "pending", "canceled"),
    ]


def test_rejecting_the_new_request_rejects_the_order(simulator, api, order_in):
    order_id = order_in("needs_approval")
    request = pending_request(simulator, order_id, "new_request")
    assert api.put(f"/request/{request['id']}/status", {"status": "rejected", "processor_comment": "Not ours"}).status_code == 204
    assert simulator.order_status(order_id) == "rejected"
    rejected = simulator.request(request["id"])
    assert rejected["status"] == "rejected" and rejected["processor_comment"] == "Not ours"
    [entry] = simulator.audit_log()
    assert (entry["action"], entry["to_status"], entry["request_from_status"], entry["request_to_status"], entry["role"]) == (
        "reject_request",
        "rejected",
        "pending",
        "rejected",
        "admin",
    )


def test_a_processed_request_cannot_be_processed_again(simulator, api, order_in):
    request = pending_request(simulator, order_in("needs_approval"), "new_request")
    assert api.put(f"/request/{request['id']}/status", {"status": "approved"}).status_code == 204
    expected = error("invalid_status|request", "The request is already approved.")
    assert_error(api.put(f"/request/{request['id']}/status", {"status": "rejected"}), 400, expected)


@pytest.mark.parametrize(
    "body, expected",
    [
        ({}, MISSING_STATUS),
        ({"status": "APPROVED"}, error("invalid_param|status", "status must be one of submitted, pending, approved, rejected.")),
        ({"status": "pending"}, error("invalid_status|request", "A request can only be approved or rejected.")),
        ({"status": "approved", "processor_comment": 5}, error("invalid_param|processor_comment", "processor_comment must be a string.")),
    ],
)
def test_request_status_body_validation(simulator, api, order_in, body, expected):
    order_id = order_in("needs_approval")
    request = pending_request(simulator, order_id, "new_request")
    assert_error(api.put(f"/request/{request['id']}/status", body), 400, expected)
    assert simulator.order_status(order_id) == "needs_approval"


def test_a_new_request_whose_order_moved_on_is_refused(simulator, api, order_in):
    order_id = order_in("needs_approval")
    request = pending_request(simulator, order_id, "new_request")
    simulator.set_order(order_id, status="canceled")  # settled elsewhere, which also rejects the request...
    simulator.set_request(request["id"], status="pending")  # ...so put the request back to pending by hand
    expected = error("invalid_status|request", "The order is no longer waiting for approval.")
    assert_error(api.put(f"/request/{request['id']}/status", {"status": "approved"}), 400, expected)


def test_approving_a_reissue_keeps_the_order_reissue_pending(simulator, api, order_in):
    order_id = order_in("reissue_pending")
    request = pending_request(simulator, order_id, "reissue")
    assert api.put(f"/request/{request['id']}/status", {"status": "approved"}).status_code == 204
    assert simulator.order_status(order_id) == "reissue_pending"
    assert simulator.request(request["id"])["status"] == "approved"
    # Canceling the reissue afterwards still works and rejects the approved request.
    assert api.put(f"/order/certificate/{order_id}/status", CANCEL).status_code == 204
    assert simulator.request(request["id"])["status"] == "rejected"


def test_rejecting_a_reissue_request_ends_the_reissue(simulator, api, order_in):
    order_id = order_in("reissue_pending")
    request = pending_request(simulator, order_id, "reissue")
    assert api.put(f"/request/{request['id']}/status", {"status": "rejected", "processor_comment": "No"}).status_code == 204
    order = simulator.order(order_id)
    assert order["status"] == "issued" and order["reissues"][-1]["status"] == "rejected"


def test_revoke_without_skip_creates_a_pending_revoke_request(simulator, client, orders_key, order_in):
    order_id = order_in("issued")
    response = client(orders_key).put(f"/order/certificate/{order_id}/revoke", {"comments": "Host retired", "revocation_reason": "superseded"})
    assert response.status_code == 201
    created = response.json()
    assert set(created) == {"id", "date", "type", "status", "requester", "comments"}
    assert (created["type"], created["status"], created["comments"], created["requester"]["id"]) == ("revoke", "pending", "Host retired", 1002)
    assert simulator.order_status(order_id) == "issued"
    info = client().get(f"/order/certificate/{order_id}").json()
    assert info["requests"][-1] == {"id": created["id"], "date": created["date"], "type": "revoke", "status": "pending", "comments": "Host retired"}
    again = client(orders_key).put(f"/order/certificate/{order_id}/revoke", {"comments": "again"})
    assert_error(again, 400, error("invalid_status|order", "A revoke request for this order is already pending."))
    assert client().put(f"/request/{created['id']}/status", {"status": "approved"}).status_code == 204
    assert simulator.order_status(order_id) == "revoked"
    assert [(e["action"], e["from_status"], e["to_status"], e["role"]) for e in simulator.audit_log()] == [
        ("revoke_requested", "issued", "issued", "orders"),
        ("approve_request", "issued", "revoked", "admin"),
    ]


def test_rejecting_a_revoke_request_leaves_the_order_issued(simulator, api, order_in):
    order_id = order_in("issued")
    created = api.put(f"/order/certificate/{order_id}/revoke", {}).json()
    assert api.put(f"/request/{created['id']}/status", {"status": "rejected"}).status_code == 204
    assert simulator.order_status(order_id) == "issued"


def test_revoke_with_skip_approval_by_an_admin_revokes_at_once(simulator, api, order_in):
    order_id = order_in("issued")
    requests_before = len(simulator.order(order_id)["requests"])
    response = api.put(f"/order/certificate/{order_id}/revoke", {"skip_approval": True, "comments": "not stored"})
    assert response.status_code == 204 and response.content == b""
    order = simulator.order(order_id)
    assert order["status"] == "revoked" and len(order["requests"]) == requests_before


def test_skip_approval_needs_an_admin_key(simulator, client, orders_key, order_in):
    order_id = order_in("issued")
    assert_error(client(orders_key).put(f"/order/certificate/{order_id}/revoke", {"skip_approval": True}), 403, MISSING_PERMISSION)
    assert simulator.order_status(order_id) == "issued"


def test_revoke_is_refused_while_a_reissue_is_pending(simulator, api, order_in):
    order_id = order_in("reissue_pending")
    expected = error("invalid_status|order", "A certificate with a pending reissue cannot be revoked; cancel the reissue first.")
    assert_error(api.put(f"/order/certificate/{order_id}/revoke", {"skip_approval": True}), 400, expected)
    assert simulator.order_status(order_id) == "reissue_pending"


@pytest.mark.parametrize("status", ["pending", "waiting_pickup", "needs_approval", "expired", "revoked", "canceled", "rejected"])
def test_revoke_is_refused_unless_issued(simulator, api, order_in, status):
    order_id = order_in(status)
    expected = error("invalid_status|order", f"Only issued certificates can be revoked; the order is {status}.")
    assert_error(api.put(f"/order/certificate/{order_id}/revoke", {"skip_approval": True}), 400, expected)
    assert simulator.order_status(order_id) == status


@pytest.mark.parametrize(
    "body, parameter",
    [
        ({"skip_approval": "yes"}, "skip_approval"),
        ({"comments": ["a"]}, "comments"),
        ({"revocation_reason": "bored"}, "revocation_reason"),
    ],
)
def test_revoke_body_validation(api, order_in, body, parameter):
    response = api.put(f"/order/certificate/{order_in('issued')}/revoke", body)
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == f"invalid_param|{parameter}"


def test_revoke_a_certificate_by_id_or_serial(simulator, api, demo_data):
    issued = [order for order in demo_data["orders"] if order["status"] == "issued"][:2]
    by_id = api.put(f"/certificate/{issued[0]['certificate']['id']}/revoke", {"skip_approval": True})
    by_serial = api.put(f"/certificate/{issued[1]['certificate']['serial_number']}/revoke", {"comments": "Key compromise"})
    assert by_id.status_code == 204 and simulator.order_status(issued[0]["id"]) == "revoked"
    assert by_serial.status_code == 201 and by_serial.json()["type"] == "revoke"
    assert api.put(f"/request/{by_serial.json()['id']}/status", {"status": "approved"}).status_code == 204
    assert simulator.order_status(issued[1]["id"]) == "revoked"


def test_revoking_an_order_revokes_its_reissued_certificates(api, demo_data):
    order = next(o for o in demo_data["orders"] if o["status"] == "issued" and o["reissues"])
    assert api.put(f"/order/certificate/{order['id']}/revoke", {"skip_approval": True}).status_code == 204
    assert {entry["status"] for entry in api.get(f"/order/certificate/{order['id']}/reissue").json()["certificates"]} == {"revoked"}


def test_the_audit_log_numbers_every_change_in_order(simulator, api, order_in):
    pending = simulator.orders("pending")[:3]
    for order in pending:
        assert api.put(f"/order/certificate/{order['id']}/status", CANCEL).status_code == 204
    simulator.set_order(order_in("issued"), status="expired")
    log = simulator.audit_log()
    assert [entry["sequence"] for entry in log] == [1, 2, 3, 4]
    assert [entry["order_id"] for entry in log[:3]] == [order["id"] for order in pending]
    assert (log[3]["action"], log[3]["role"]) == ("set_fields", "simulator")
    assert simulator.audit_log(since=2) == log[2:]
