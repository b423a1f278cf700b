# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The /_sim admin channel: reset, load, true state, setting fields, counters, audit log."""

from __future__ import annotations

import json

import pytest

from certcentral_sim.generator import generate_account
from certcentral_sim.testing import SimulatorAdminError
from sim_contract import TEST_ACCOUNT

CANCEL = {"status": "canceled", "note": "admin test"}


def test_reset_returns_to_the_loaded_state(simulator, api, order_in):
    order_id = order_in("pending")
    assert api.put(f"/order/certificate/{order_id}/status", CANCEL).status_code == 204
    issued = order_in("issued")
    created = api.put(f"/order/certificate/{issued}/revoke", {}).json()
    summary = simulator.reset()
    assert simulator.order_status(order_id) == "pending"
    assert api.get(f"/request/{created['id']}").status_code == 404
    assert simulator.audit_log() == [] and simulator.counters()["api_requests"] == 1
    assert summary["orders"] == 2500 and summary["reference_date"] == "2026-01-15"
    assert summary["api_key_roles"] == ["admin", "orders", "view_only"]


def test_load_a_generated_account_then_reset_to_it(simulator, api):
    try:
        summary = simulator.load(seed=3, orders=40, reference_date="2025-05-05")
        assert summary["orders"] == 40 and summary["reference_date"] == "2025-05-05"
        assert api.get("/order/certificate").json()["page"]["total"] == 40
        order_id = simulator.orders("issued")[0]["id"]
        simulator.set_order(order_id, status="revoked")
        simulator.reset()
        assert simulator.order_status(order_id) == "issued"
        assert api.get("/order/certificate").json()["page"]["total"] == 40
    finally:
        simulator.load(**TEST_ACCOUNT)


def test_load_an_account_document(simulator, api):
    data = generate_account(seed=11, orders=15, reference_date="2026-01-15")
    data["orders"][0]["status"] = "pending"
    try:
        simulator.load(account=data)
        assert api.get(f"/order/certificate/{data['orders'][0]['id']}").json()["status"] == "pending"
    finally:
        simulator.load(**TEST_ACCOUNT)


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"account": {"format": "something else"}},
        {"generate": {"orders": 10, "pending": 20}},
        {"generate": {"planets": 3}},
        {"account": {}, "generate": {}},
    ],
)
def test_a_bad_load_is_refused_and_keeps_the_account(simulator, payload):
    with pytest.raises(SimulatorAdminError) as refused:
        simulator.admin("POST", "/load", payload)
    assert refused.value.http_status == 400
    assert simulator.account_summary()["orders"] == 2500


@pytest.mark.parametrize(
    "break_data, message",
    [
        (lambda data: data["orders"][0].pop("price"), "lacks price"),
        (lambda data: data["orders"][0]["certificate"].pop("dns_names"), "lacks certificate.dns_names"),
        (lambda data: data["orders"][0].update(status="lost"), "invalid status"),
        (lambda data: data["requests"][0].update(requester_id=5), "invalid requester_id"),
        (lambda data: data["api_keys"][0].update(role="root"), "unknown role"),
        (lambda data: data.update(orders="none"), "mistypes a field"),
    ],
)
def test_an_inconsistent_account_document_is_refused(simulator, break_data, message):
    data = generate_account(seed=11, orders=15, reference_date="2026-01-15")
    break_data(data)
    with pytest.raises(SimulatorAdminError) as refused:
        simulator.load(account=data)
    assert refused.value.http_status == 400 and message in refused.value.body
    assert simulator.account_summary()["orders"] == 2500


def test_true_state_of_an_order(simulator, demo_data):
    expected = demo_data["orders"][10]
    state = simulator.order(expected["id"])
    assert {key: value for key, value in state.items() if key != "requests"} == expected
    assert [request["order_id"] for request in state["requests"]] == [expected["id"]] * len(state["requests"])


def test_the_order_list_with_true_status(simulator, demo_data):
    listed = simulator.orders()
    assert len(listed) == 2500 and set(listed[0]) == {"id", "status", "common_name", "product_name_id", "container_id", "date_created"}
    assert len(simulator.orders("waiting_pickup")) == sum(order["status"] == "waiting_pickup" for order in demo_data["orders"])


def test_set_order_fields_keeps_the_order_consistent(simulator, api, order_in):
    order_id = order_in("pending")
    simulator.set_order(order_id, status="issued", date_created="2025-01-01T00:00:00+00:00")
    info = api.get(f"/order/certificate/{order_id}").json()
    assert info["status"] == "issued" and info["date_created"] == "2025-01-01T00:00:00+00:00"
    assert info["certificate"]["serial_number"] and info["certificate"]["valid_till"]
    assert api.get(f"/order/certificate/{info['certificate']['thumbprint']}").json()["id"] == order_id
    needing = order_in("issued")
    simulator.set_order(needing, status="needs_approval")
    pending_requests = [r for r in simulator.order(needing)["requests"] if r["status"] == "pending"]
    assert [r["type"] for r in pending_requests] == ["new_request"]
    reissuing = order_in("issued")
    simulator.set_order(reissuing, status="reissue_pending")
    assert api.put(f"/order/certificate/{reissuing}/status", CANCEL).status_code == 204
    assert simulator.order_status(reissuing) == "issued"


def test_set_order_merges_certificate_fields(simulator, api, order_in):
    order_id = order_in("pending")
    simulator.set_order(order_id, certificate={"common_name": "renamed.example.com"})
    info = api.get(f"/order/certificate/{order_id}").json()
    assert info["certificate"]["common_name"] == "renamed.example.com" and info["certificate"]["dns_names"]


@pytest.mark.parametrize(
    "fields, http_status",
    [
        ({"colour": "red"}, 400),
        ({"status": "lost"}, 400),
        ({"container_id": 1}, 400),
        ({"certificate": "text"}, 400),
        ({}, 400),
    ],
)
def test_bad_order_fields_are_refused(simulator, order_in, fields, http_status):
    with pytest.raises(SimulatorAdminError) as refused:
        simulator.set_order(order_in("pending"), **fields)
    assert refused.value.http_status == http_status


def test_unknown_objects_and_routes(simulator):
    for call in (
        lambda: simulator.order(1),
        lambda: simulator.set_order(1, status="issued"),
        lambda: simulator.request(1),
        lambda: simulator.admin("GET", "/nothing-here"),
        lambda: simulator.admin("DELETE", "/orders"),
    ):
        with pytest.raises(SimulatorAdminError) as refused:
            call()
        assert refused.value.http_status == 404
        assert set(json.loads(refused.value.body)) == {"errors"}


def test_counters_by_route_role_and_status(simulator, client, admin_key, view_only_key, order_in):
    admin, viewer = client(admin_key), client(view_only_key)
    order_id = order_in("pending")
    admin.get(f"/order/certificate/{order_id}")
    admin.get(f"/order/certificate/{order_id}")
    viewer.put(f"/order/certificate/{order_id}/status", CANCEL)
    client(None).get("/order/certificate")
    admin.get("/nowhere")
    counters = simulator.counters()
    assert counters["api_requests"] == 5
    assert counters["requests_by_route"] == {
        "GET (unknown route)": 1,
        "GET /order/certificate": 1,
        "GET /order/certificate/{id}": 2,
        "PUT /order/certificate/{id}/status": 1,
    }
    assert counters["requests_by_role"] == {"admin": 3, "invalid_key": 1, "view_only": 1}
    assert counters["responses_by_status"] == {"200": 2, "403": 2, "404": 1}
    assert simulator.reset_counters()["api_requests"] == 0


def test_the_health_route(simulator):
    assert simulator.admin("GET", "/health") == {"ok": True}
