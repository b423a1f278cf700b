# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""X-DC-DEVKEY on every request, and what each key role may do."""

from __future__ import annotations

import pytest

from sim_contract import INVALID_APPROVER, INVALID_KEY, MISSING_PERMISSION, ROUTE_NOT_FOUND, assert_error

CANCEL = {"status": "canceled", "note": "auth test"}


def get_paths(demo_data) -> list[str]:
    order = next(o for o in demo_data["orders"] if o["status"] == "issued")
    request = demo_data["requests"][0]
    return [
        "/order/certificate",
        f"/order/certificate/{order['id']}",
        f"/order/certificate/{order['id']}/reissue",
        "/request",
        f"/request/{request['id']}",
        "/user/me",
        "/key/api-roles",
        "/finance/balance",
    ]


@pytest.mark.parametrize("key", [None, "", "SIMULATOR0DEMO0ADMIN0KEY0NOT0A0REAL0DIGICERT0KEY0002", "simulator0demo0admin0key0not0a0real0digicert0key0001"])
def test_a_missing_or_unknown_key_is_refused_everywhere(client, demo_data, key):
    api = client(key)
    for path in get_paths(demo_data):
        assert_error(api.get(path), 403, INVALID_KEY)
    assert_error(api.put(f"/order/certificate/{demo_data['orders'][0]['id']}/status", CANCEL), 403, INVALID_KEY)
    assert_error(api.get("/no/such/route"), 403, INVALID_KEY)


def test_a_refused_key_changes_nothing(simulator, client, order_in):
    order_id = order_in("pending")
    assert_error(client("wrong").put(f"/order/certificate/{order_id}/status", CANCEL), 403, INVALID_KEY)
    assert simulator.order_status(order_id) == "pending"


@pytest.mark.parametrize("role_key", ["admin_key", "orders_key", "view_only_key"])
def test_every_role_may_read(client, demo_data, request, role_key):
    api = client(request.getfixturevalue(role_key))
    for path in get_paths(demo_data):
        assert api.get(path).status_code == 200, path


def test_user_me_shows_each_key_role(client, admin_key, orders_key, view_only_key):
    assert client(admin_key).get("/user/me").json()["access_roles"] == [{"id": 1, "name": "Administrator"}]
    assert client(orders_key).get("/user/me").json()["access_roles"] == [{"id": 100, "name": "Orders"}]
    assert client(view_only_key).get("/user/me").json()["access_roles"] == [{"id": 102, "name": "View Only"}]


def test_view_only_may_not_put_anything(simulator, client, view_only_key, order_in, demo_data):
    api = client(view_only_key)
    pending = order_in("pending")
    issued = next(o for o in demo_data["orders"] if o["status"] == "issued")
    request = next(r for r in demo_data["requests"] if r["status"] == "pending")
    attempts = [
        (f"/order/certificate/{pending}/status", CANCEL),
        (f"/order/certificate/{issued['id']}/revoke", {"comments": "x"}),
        (f"/certificate/{issued['certificate']['id']}/revoke", {"comments": "x"}),
        (f"/request/{request['id']}/status", {"status": "approved"}),
        ("/order/certificate/1/status", CANCEL),  # even for an unknown order: permission comes first
    ]
    for path, body in attempts:
        assert_error(api.put(path, body), 403, MISSING_PERMISSION)
    assert_error(api.request("PUT", f"/order/certificate/{pending}/status", data=b"{broken"), 403, MISSING_PERMISSION)
    assert simulator.audit_log() == []


def test_view_only_on_an_unknown_route_is_route_not_found(client, view_only_key):
    assert_error(client(view_only_key).put("/order/certificate", {}), 404, ROUTE_NOT_FOUND)


def test_the_orders_role_may_cancel_and_revoke_but_not_approve(simulator, client, orders_key, order_in):
    api = client(orders_key)
    assert api.put(f"/order/certificate/{order_in('pending')}/status", CANCEL).status_code == 204
    assert api.put(f"/order/certificate/{order_in('issued')}/revoke", {"comments": "x"}).status_code == 201
    needs_approval = order_in("needs_approval")
    request = next(r for r in simulator.order(needs_approval)["requests"] if r["status"] == "pending")
    for status in ("approved", "rejected"):
        assert_error(api.put(f"/request/{request['id']}/status", {"status": status}), 403, INVALID_APPROVER)
    assert simulator.order_status(needs_approval) == "needs_approval"


def test_the_admin_role_may_do_everything(simulator, api, order_in):
    assert api.put(f"/order/certificate/{order_in('pending')}/status", CANCEL).status_code == 204
    assert api.put(f"/order/certificate/{order_in('issued')}/revoke", {"skip_approval": True}).status_code == 204
    needs_approval = order_in("needs_approval")
    request = next(r for r in simulator.order(needs_approval)["requests"] if r["status"] == "pending")
    assert api.put(f"/request/{request['id']}/status", {"status": "approved"}).status_code == 204
    assert [entry["role"] for entry in simulator.audit_log()] == ["admin"] * 3


def test_the_audit_log_records_the_key_role(simulator, client, orders_key, order_in):
    assert client(orders_key).put(f"/order/certificate/{order_in('waiting_pickup')}/status", CANCEL).status_code == 204
    assert simulator.audit_log()[0]["role"] == "orders"
