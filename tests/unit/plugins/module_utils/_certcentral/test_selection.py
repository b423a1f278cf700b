# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import datetime

import pytest

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.orders import normalize_order
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.selection import (
    LISTING_OPTIONS,
    OrderSelection,
    select_orders,
)

UTC = datetime.timezone.utc
NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def params(**given):
    all_options = dict((name, None) for name in LISTING_OPTIONS)
    all_options.update(given)
    return all_options


def order(order_id, status="pending", created="2026-01-01T00:00:00+00:00", name_id="ssl_basic", common_name=None):
    return {
        "id": order_id,
        "status": status,
        "date_created": created,
        "product": {"name_id": name_id},
        "certificate": {"common_name": common_name or f"host{order_id}.example.com"},
    }


# ---------------------------------------------------------------- which listings to request


@pytest.mark.parametrize(
    "given, listings",
    [
        ({}, [{}]),
        ({"status": ["pending"]}, [{"status": "pending"}]),
        ({"status": ["pending", "waiting_pickup", "pending"]}, [{"status": "pending"}, {"status": "waiting_pickup"}]),
        ({"status": ["pending", "needs_approval"]}, [{}]),
        ({"status": ["expired"]}, [{}]),
        ({"product_name_id": ["ssl_basic", "ssl_plus"]}, [{"product_name_id": "ssl_basic"}, {"product_name_id": "ssl_plus"}]),
        (
            {"status": ["pending", "issued"], "product_name_id": ["ssl_basic", "ssl_plus"]},
            [
                {"status": "pending", "product_name_id": "ssl_basic"},
                {"status": "pending", "product_name_id": "ssl_plus"},
                {"status": "issued", "product_name_id": "ssl_basic"},
                {"status": "issued", "product_name_id": "ssl_plus"},
            ],
        ),
        (
            {
                "common_name": "a.example.com",
                "domain_name": "example.com",
                "container_id": 5,
                "search": "shop",
                "older_than_days": 30,
                "created_before": "2026-02-01",
                "created_after": "2025-01-01",
            },
            [{"common_name": "a.example.com", "domain_name": "example.com", "container_id": 5, "search": "shop"}],
        ),
    ],
)
def test_api_listings(given, listings):
    assert OrderSelection.from_params(params(**given)).api_listings() == listings


def test_several_containers_are_listed_one_after_the_other_each_with_every_status():
    selection = OrderSelection.from_params(params(status=["pending", "waiting_pickup"], container_ids=[7, 9, 7]))
    assert selection.api_listings() == [
        {"container_id": 7, "status": "pending"},
        {"container_id": 7, "status": "waiting_pickup"},
        {"container_id": 9, "status": "pending"},
        {"container_id": 9, "status": "waiting_pickup"},
    ]


def test_container_ids_below_one_are_refused_all_named():
    with pytest.raises(ValueError, match=r"^container_ids must hold container IDs of 1 or more, got 0, -3\.$"):
        OrderSelection.from_params(params(container_ids=[5, 0, -3]))


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "given, message",
    [
        ({"status": []}, "status must list at least one value"),
        ({"product_name_id": ["ssl_basic", ""]}, "product_name_id must list at least one value and no empty ones"),
        ({"common_name": " "}, "common_name must not be empty"),
        ({"domain_name": ""}, "domain_name must not be empty"),
        ({"search": ""}, "search must not be empty"),
        ({"container_id": 0}, "container_id must be a positive number, got 0."),
        ({"older_than_days": -1}, "older_than_days must be 0 or more, got -1."),
        # Beyond Python's dates: this used to crash the listing with an OverflowError.
        ({"older_than_days": 10**12}, "older_than_days must be at most 36500 (100 years), got 1000000000000."),
        ({"created_before": "2026/01/01"}, "created_before must be a date written as YYYY-MM-DD"),
        ({"created_after": "last week"}, "created_after must be a date written as YYYY-MM-DD"),
        ({"created_after": "2026-02-01", "created_before": "2026-02-01"}, "created_after (2026-02-01) must be earlier than created_before (2026-02-01)"),
    ],
)
def test_invalid_selection_is_refused(given, message):
    with pytest.raises(ValueError) as caught:
        OrderSelection.from_params(params(**given))
    assert message in str(caught.value)


# ---------------------------------------------------------------- matching


def normalized(raw):
    return normalize_order(raw, NOW)


@pytest.mark.parametrize(
    "given, raw, expected",
    [
        ({}, order(1), True),
        ({"status": ["issued"]}, order(1, status="expired"), False),
        ({"status": ["issued", "expired"]}, order(1, status="expired"), True),
        ({"status": ["pending"]}, order(1, status="PENDING"), True),
        ({"product_name_id": ["ssl_plus"]}, order(1), False),
        ({"product_name_id": ["ssl_plus", "ssl_basic"]}, order(1), True),
        ({"common_name": "WWW.example.com"}, order(1, common_name="www.example.com"), True),
        ({"common_name": "www.example.com"}, order(1, common_name="shop.example.com"), False),
        ({"older_than_days": 30}, order(1, created="2026-01-30T11:59:59+00:00"), True),
        ({"older_than_days": 30}, order(1, created="2026-01-30T12:00:00+00:00"), False),
        ({"older_than_days": 0}, order(1, created="2026-03-01T11:00:00+00:00"), True),
        ({"created_before": "2026-01-02"}, order(1, created="2026-01-01T23:59:59+00:00"), True),
        ({"created_before": "2026-01-02"}, order(1, created="2026-01-02T00:00:00+00:00"), False),
        ({"created_after": "2026-01-02"}, order(1, created="2026-01-02T00:00:00+00:00"), True),
        ({"created_after": "2026-01-02"}, order(1, created="2026-01-01T23:59:59+00:00"), False),
        ({"created_after": "2025-01-01"}, order(1, created="not a date"), False),
        ({"older_than_days": 1}, order(1, created=None), False),
        ({"status": ["pending"]}, order(1, created=None), True),
    ],
)
def test_matches(given, raw, expected):
    assert OrderSelection.from_params(params(**given)).matches(normalized(raw), NOW) is expected


# ---------------------------------------------------------------- selecting through a client


class FakeClient:
    def __init__(self, listings, details=None):
        self.listings = listings
        self.details = details or {}
        self.listed_with = []
        self.detailed_ids = []

    def list_orders(self, filters=None, keep=None, progress=None):
        self.listed_with.append(filters)
        return [keep(item) if keep else item for item in self.listings[filters.get("status")]]

    def get_orders(self, order_ids, progress=None):
        self.detailed_ids.append(list(order_ids))
        return [self.details[order_id] for order_id in order_ids]


def test_select_orders_lists_filters_and_removes_duplicates():
    client = FakeClient(
        {
            "pending": [order(1), order(2, created="2026-02-28T00:00:00+00:00"), order(3)],
            # Order 3 moved from pending to waiting_pickup between the two listings.
            "waiting_pickup": [order(3, status="waiting_pickup"), order(4, status="waiting_pickup")],
        }
    )
    selection = OrderSelection.from_params(params(status=["pending", "waiting_pickup"], older_than_days=10))
    picked = select_orders(client, selection, NOW)
    assert [item["id"] for item in picked] == [1, 3, 4]
    assert client.listed_with == [{"status": "pending"}, {"status": "waiting_pickup"}]
    assert client.detailed_ids == []
    assert all(item["requests"] is None for item in picked)


def test_select_orders_filters_statuses_the_api_cannot():
    client = FakeClient({None: [order(1), order(2, status="needs_approval"), order(3, status="expired")]})
    picked = select_orders(client, OrderSelection.from_params(params(status=["needs_approval", "expired"])), NOW)
    assert [item["id"] for item in picked] == [2, 3]
    assert client.listed_with == [{}]


def test_select_orders_with_details_reads_each_order_and_checks_it_again():
    requests = [{"id": 50, "type": "new_request", "status": "pending"}]
    details = {
        1: dict(order(1), payment_method="balance", requests=[]),
        2: dict(order(2), requests=requests),
        # Issued meanwhile: no longer selected.
        3: dict(order(3, status="issued"), requests=[]),
    }
    client = FakeClient({"pending": [order(1), order(2), order(3)]}, details)
    picked = select_orders(client, OrderSelection.from_params(params(status=["pending"])), NOW, details=True)
    assert client.detailed_ids == [[1, 2, 3]]
    assert [item["id"] for item in picked] == [1, 2]
    assert picked[0]["payment_method"] == "balance"
    assert picked[0]["cancel_verdict"]["refund_hint"] is not None
    assert picked[1]["requests"] == requests
    assert picked[1]["cancel_verdict"]["action"] == "reject_request"


def test_select_orders_with_details_keeps_the_listed_price_that_order_info_lacks():
    listed = [dict(order(1), price=175.0), dict(order(2), price=99.5), order(3)]
    # Order info carries no price (1, 3); should it ever give one, that one stands (2).
    details = {1: order(1), 2: dict(order(2), price=120.0), 3: order(3)}
    client = FakeClient({"pending": listed}, details)
    picked = select_orders(client, OrderSelection.from_params(params(status=["pending"])), NOW, details=True, keep=lambda item: (item["id"], item["price"]))
    assert picked == [(1, 175.0), (2, 120.0), (3, None)]


@pytest.mark.parametrize("details", [False, True])
def test_select_orders_returns_what_keep_makes_of_each_picked_order(details):
    client = FakeClient(
        {
            "pending": [order(1), order(2, created="2026-02-28T00:00:00+00:00"), order(3)],
            "waiting_pickup": [order(3, status="waiting_pickup"), order(4, status="waiting_pickup")],
        },
        {1: order(1), 3: order(3), 4: order(4, status="waiting_pickup")},
    )
    selection = OrderSelection.from_params(params(status=["pending", "waiting_pickup"], older_than_days=10))
    kept_from = []

    def keep(normalized_order):
        kept_from.append(normalized_order["id"])
        return (normalized_order["id"], normalized_order["status"])

    picked = select_orders(client, selection, NOW, details=details, keep=keep)
    # Kept as the pages arrive (after the detail reads with details): only picked orders, each once in the result,
    # the first listing's copy of an order that two listings hold.
    assert picked == [(1, "pending"), (3, "pending"), (4, "waiting_pickup")]
    assert set(kept_from) == {1, 3, 4}
    assert client.detailed_ids == ([[1, 3, 4]] if details else [])


def test_the_oldest_cut_off_allowed_can_be_computed():
    selection = OrderSelection.from_params(params(older_than_days=36500))
    assert selection.matches(normalized(order(1, created="1990-01-01T00:00:00+00:00")), NOW) is False
