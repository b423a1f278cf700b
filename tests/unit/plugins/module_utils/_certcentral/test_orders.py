# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import datetime

import pytest

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.orders import normalize_order, order_shape_problem
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.verdict import cancel_verdict

NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.timezone.utc)

# Shaped like an item of GET /order/certificate.
LIST_ITEM = {
    "id": 101,
    "certificate": {
        "id": 9001,
        "common_name": "www.example.com",
        "dns_names": ["www.example.com", "example.com"],
        "valid_till": "2027-03-01",
        "days_remaining": 365,
        "serial_number": "0A1B2C3D4E5F",
        "signature_hash": "sha256",
    },
    "status": "pending",
    "is_renewed": False,
    "date_created": "2026-01-15T09:30:00+00:00",
    "organization": {"id": 3, "name": "Example Ltd"},
    "container": {"id": 5, "name": "Example"},
    "product": {"name_id": "ssl_basic", "name": "Basic OV", "type": "ssl_certificate"},
    "price": 175,
    "product_name_id": "ssl_basic",
}

# Shaped like GET /order/certificate/{id} for a client certificate.
ORDER_INFO = {
    "id": 202,
    "certificate": {"id": 9002, "common_name": "Jane Doe", "emails": ["jane@example.com"], "dns_names": [" "], "date_created": "2026-02-20T08:00:00+00:00"},
    "status": "WAITING_PICKUP",
    "container": {"id": 6, "name": "Research"},
    "organization": {"id": 4, "name": "Example Research GmbH", "display_name": "Example Research"},
    "product": {"name_id": "client_premium_sha2", "type": "client_certificate"},
    "payment_method": "balance",
    "requests": [{"id": 77, "date": "2026-02-20T08:00:00+00:00", "type": "new_request", "status": "approved"}],
}


def test_list_item():
    normalized = normalize_order(LIST_ITEM, NOW)
    assert normalized == {
        "id": 101,
        "status": "pending",
        "common_name": "www.example.com",
        "dns_names": ["www.example.com", "example.com"],
        "product_name_id": "ssl_basic",
        "product_type": "ssl_certificate",
        "product_family": "tls",
        "container_id": 5,
        "container_name": "Example",
        "organization_name": "Example Ltd",
        "date_created": "2026-01-15T09:30:00+00:00",
        "age_days": 45,
        "payment_method": None,
        "valid_till": "2027-03-01",
        "days_remaining": 365,
        "serial_number": "0A1B2C3D4E5F",
        "price": 175,
        "requests": None,
        "cancel_verdict": cancel_verdict(LIST_ITEM),
    }
    assert normalized["cancel_verdict"]["action"] == "cancel"


def test_raw_only_on_request():
    assert "raw" not in normalize_order(ORDER_INFO, NOW)
    normalized = normalize_order(ORDER_INFO, NOW, include_raw=True)
    assert normalized["raw"] is ORDER_INFO
    assert dict((key, value) for key, value in normalized.items() if key != "raw") == normalize_order(ORDER_INFO, NOW)


def test_order_info_of_a_client_certificate():
    normalized = normalize_order(ORDER_INFO, NOW)
    assert normalized["status"] == "waiting_pickup"
    assert normalized["product_family"] == "client"
    # An order without SANs used to come back as [" "].
    assert normalized["dns_names"] == []
    # Only the certificate carries date_created here.
    assert normalized["date_created"] == "2026-02-20T08:00:00+00:00"
    assert normalized["age_days"] == 9
    assert normalized["payment_method"] == "balance"
    assert normalized["requests"] == ORDER_INFO["requests"]
    assert normalized["cancel_verdict"]["action"] == "cancel"
    assert "Emailed to Recipient" in normalized["cancel_verdict"]["reason"]
    assert normalized["cancel_verdict"]["refund_hint"] is not None
    assert normalized["organization_name"] == "Example Research GmbH"
    assert normalized["container_name"] == "Research"
    # Not issued yet, and order info carries no price: each is null rather than missing.
    assert (normalized["valid_till"], normalized["days_remaining"], normalized["serial_number"], normalized["price"]) == (None, None, None, None)


def test_requests_given_separately_feed_the_verdict():
    pending_request = [{"id": 78, "type": "new_request", "status": "pending"}]
    normalized = normalize_order(LIST_ITEM, NOW, requests=pending_request)
    assert normalized["requests"] == pending_request
    assert normalized["cancel_verdict"]["action"] == "reject_request"


def test_sparse_order():
    normalized = normalize_order({"id": 303, "status": None, "certificate": None, "product": "x"}, NOW)
    assert normalized["common_name"] is None
    assert normalized["dns_names"] == []
    assert normalized["product_name_id"] is None
    assert normalized["product_type"] is None
    assert normalized["container_id"] is None
    for field in ("container_name", "organization_name", "valid_till", "days_remaining", "serial_number", "price"):
        assert normalized[field] is None, field
    assert normalized["date_created"] is None
    assert normalized["age_days"] is None
    assert normalized["cancel_verdict"]["action"] == "none"


@pytest.mark.parametrize(
    "order",
    [
        {"id": 7},
        {"id": 7, "status": None, "certificate": None, "product": None, "container": None, "requests": None},
        {"id": 7, "certificate": {"dns_names": [" ", None, "a.example.com"]}, "requests": []},
        {"id": 7, "price": 19.5, "organization": None, "certificate": {"serial_number": None, "days_remaining": 0}},
        {"id": 7, "price": None, "organization": {"id": 3}, "container": {"id": 5, "name": None}},
        {"id": 7, "requests": [{"id": 1, "type": "new request", "status": "approved", "date": "2026-01-01"}], "extra": [1, {"anything": "goes"}]},
    ],
)
def test_odd_but_well_typed_orders_have_no_shape_problem(order):
    assert order_shape_problem(order) is None


@pytest.mark.parametrize(
    "order, problem",
    [
        ([], "the order is a list where an object belongs"),
        ({"id": True}, "the order has an id that is a boolean where a positive number belongs"),
        ({"id": 0}, "the order has an id that is a number where a positive number belongs"),
        ({"id": 7, "date_created": 20260101}, "order 7: its date_created is a number where text belongs"),
        ({"id": 7, "certificate": {"common_name": ["a"]}}, "order 7: its certificate.common_name is a list where text belongs"),
        ({"id": 7, "certificate": {"dns_names": ["a", 3]}}, "order 7: its certificate.dns_names holds a number where only text belongs"),
        ({"id": 7, "container": {"id": "5"}}, "order 7: its container.id is text where a number belongs"),
        ({"id": 7, "container": {"id": 5, "name": 5}}, "order 7: its container.name is a number where text belongs"),
        ({"id": 7, "organization": "Example Ltd"}, "order 7: its organization is text where an object belongs"),
        ({"id": 7, "organization": {"name": ["x"]}}, "order 7: its organization.name is a list where text belongs"),
        ({"id": 7, "price": "175.00"}, "order 7: its price is text where a number belongs"),
        ({"id": 7, "price": True}, "order 7: its price is a boolean where a number belongs"),
        ({"id": 7, "certificate": {"days_remaining": "30"}}, "order 7: its certificate.days_remaining is text where a number belongs"),
        ({"id": 7, "certificate": {"days_remaining": 3.5}}, "order 7: its certificate.days_remaining is a decimal number where a number belongs"),
        ({"id": 7, "certificate": {"valid_till": 20270301}}, "order 7: its certificate.valid_till is a number where text belongs"),
        ({"id": 7, "certificate": {"serial_number": 1234}}, "order 7: its certificate.serial_number is a number where text belongs"),
        ({"id": 7, "requests": ["r"]}, "order 7: its requests[0] is text where an object belongs"),
        ({"id": 7, "requests": [{"id": 1, "status": {}}]}, "order 7: its requests[0].status is an object where text belongs"),
    ],
)
def test_wrong_types_are_named_with_the_order_and_the_field(order, problem):
    assert order_shape_problem(order) == problem
