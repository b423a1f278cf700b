# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""GET /order/certificate: every filter, sorting, and the paging edges, checked against the generated data."""

from __future__ import annotations

import pytest


def listed_ids(api, **params) -> list[int]:
    """Every order ID the list returns for these parameters, walking the pages as clients do."""
    ids, offset = [], 0
    while True:
        body = api.get("/order/certificate", params={**params, "offset": offset}).json()
        ids += [order["id"] for order in body["orders"]]
        offset += len(body["orders"])
        if not body["orders"] or offset >= body["page"]["total"]:
            assert len(ids) == body["page"]["total"]
            return ids


def expected_ids(demo_data, predicate) -> list[int]:
    return sorted(order["id"] for order in demo_data["orders"] if predicate(order))


def emails(demo_data, order) -> list[str]:
    user = next(user for user in demo_data["users"] if user["id"] == order["user_id"])
    return [user["email"], *order["certificate"].get("emails", [])]


def test_the_default_page_is_the_first_thousand_by_id(api, demo_data):
    body = api.get("/order/certificate").json()
    assert body["page"] == {"total": 2500, "limit": 1000, "offset": 0}
    assert [order["id"] for order in body["orders"]] == sorted(order["id"] for order in demo_data["orders"])[:1000]


def test_a_limit_over_1000_is_clamped(api):
    body = api.get("/order/certificate", params={"limit": 5000}).json()
    assert body["page"]["limit"] == 1000 and len(body["orders"]) == 1000


def test_the_last_page_is_partial(api):
    body = api.get("/order/certificate", params={"offset": 2000, "limit": 1000}).json()
    assert body["page"] == {"total": 2500, "limit": 1000, "offset": 2000}
    assert len(body["orders"]) == 500


def test_an_offset_past_the_end_gives_an_empty_page(api):
    body = api.get("/order/certificate", params={"offset": 9999, "limit": 10}).json()
    assert body == {"orders": [], "page": {"total": 2500, "limit": 10, "offset": 9999}}


def test_an_empty_result(api):
    body = api.get("/order/certificate", params={"filters[common_name]": "no-such-host.example.invalid"}).json()
    assert body == {"orders": [], "page": {"total": 0, "limit": 1000, "offset": 0}}


def test_walking_small_pages_sees_every_order_once(api, demo_data):
    ids = listed_ids(api, limit=333)
    assert ids == sorted(order["id"] for order in demo_data["orders"])


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"limit": "ten"}, "limit"),
        ({"limit": "-1"}, "limit"),
        ({"offset": "-5"}, "offset"),
        ({"sort": "price"}, "sort"),
        ({"filters[colour]": "blue"}, "filters[colour]"),
        ({"filters[metadata_id]": "7"}, "filters[metadata_id]"),
        ({"filters[origin]": "migrated"}, "filters[origin]"),
        ({"filters[is_renewed]": "maybe"}, "filters[is_renewed]"),
        ({"filters[date_created]": ">yesterday"}, "filters[date_created]"),
    ],
)
def test_bad_query_parameters_are_refused(api, params, parameter):
    response = api.get("/order/certificate", params=params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == f"invalid_param|{parameter}"


@pytest.mark.parametrize("status", ["pending", "waiting_pickup", "reissue_pending", "canceled", "revoked", "rejected", "needs_approval", "expired"])
def test_the_status_filter(api, demo_data, status):
    assert listed_ids(api, **{"filters[status]": status}) == expected_ids(demo_data, lambda order: order["status"] == status)


def test_the_issued_status_filter_also_matches_expired_orders(api, demo_data):
    ids = listed_ids(api, **{"filters[status]": "issued"})
    assert ids == expected_ids(demo_data, lambda order: order["status"] in ("issued", "expired"))
    assert any(order["status"] == "expired" for order in demo_data["orders"] if order["id"] in set(ids))


def test_id_product_container_organization_and_user_filters(api, demo_data):
    sample = demo_data["orders"][123]
    assert listed_ids(api, **{"filters[id]": sample["id"]}) == [sample["id"]]
    for name in ("product_name_id", "container_id", "organization_id", "user_id"):
        expected = expected_ids(demo_data, lambda order, name=name: order[name] == sample[name])
        assert listed_ids(api, **{f"filters[{name}]": sample[name]}) == expected, name
        assert 1 < len(expected) < 2500, name


def test_the_common_name_filter_is_exact(api, demo_data):
    host = "web01.prod.example.com"
    expected = expected_ids(demo_data, lambda order: order["certificate"]["common_name"] == host)
    assert len(expected) >= 2  # hostnames are shared between orders, as in a real fleet
    assert listed_ids(api, **{"filters[common_name]": host}) == expected
    assert listed_ids(api, **{"filters[common_name]": host.upper()}) == expected
    assert listed_ids(api, **{"filters[common_name]": "web01.prod.example"}) == []


def test_the_domain_name_filter_matches_common_name_or_any_san(api, demo_data):
    san_only = next(name for order in demo_data["orders"] for name in order["certificate"]["dns_names"][1:] if not name.startswith("*."))
    expected = expected_ids(demo_data, lambda order: san_only == order["certificate"]["common_name"] or san_only in order["certificate"]["dns_names"])
    ids = listed_ids(api, **{"filters[domain_name]": san_only})
    assert ids == expected
    assert any(san_only != order["certificate"]["common_name"] for order in demo_data["orders"] if order["id"] in set(ids))


def test_the_search_filter_matches_part_of_an_email_or_common_name(api, demo_data):
    for fragment in ("holloway", "example-shop", "lena.garcia"):
        expected = expected_ids(
            demo_data,
            lambda order, fragment=fragment: (
                fragment in order["certificate"]["common_name"].lower() or any(fragment in email for email in emails(demo_data, order))
            ),
        )
        assert expected, fragment
        assert listed_ids(api, **{"filters[search]": fragment}) == expected, fragment


def test_the_email_filter_is_exact(api, demo_data):
    client_order = next(order for order in demo_data["orders"] if order["certificate"].get("emails"))
    address = client_order["certificate"]["emails"][0]
    assert client_order["id"] in listed_ids(api, **{"filters[email]": address})
    requester = "james.holloway@example.com"
    assert listed_ids(api, **{"filters[email]": requester}) == expected_ids(demo_data, lambda order: requester in emails(demo_data, order))


def test_certificate_id_and_serial_number_filters(api, demo_data):
    order = next(order for order in demo_data["orders"] if order["status"] == "issued")
    assert listed_ids(api, **{"filters[certificate_id]": order["certificate"]["id"]}) == [order["id"]]
    assert listed_ids(api, **{"filters[serial_number]": order["certificate"]["serial_number"]}) == [order["id"]]


@pytest.mark.parametrize("name", ["is_renewed", "disable_renewal_notifications"])
def test_boolean_filters(api, demo_data, name):
    for value, wanted in (("1", True), ("0", False), ("true", True)):
        expected = expected_ids(demo_data, lambda order, wanted=wanted: order[name] is wanted)
        assert expected
        assert listed_ids(api, **{f"filters[{name}]": value}) == expected


@pytest.mark.parametrize(
    "expression, test",
    [
        ("2025-06-01", lambda created: created[:10] == "2025-06-01"),
        (">2025-12-01", lambda created: created[:10] > "2025-12-01"),
        (">=2025-12-01", lambda created: created[:10] >= "2025-12-01"),
        ("<2022-01-01", lambda created: created[:10] < "2022-01-01"),
        ("<=2022-01-01", lambda created: created[:10] <= "2022-01-01"),
        ("2025-01-01...2025-01-31", lambda created: "2025-01-01" <= created[:10] <= "2025-01-31"),
        ("2025-01-01T12:00:00+00:00...2025-01-09T06:00:00+00:00", lambda created: "2025-01-01T12:00:00" <= created[:19] <= "2025-01-09T06:00:00"),
    ],
)
def test_the_date_created_filter(api, demo_data, expression, test):
    expected = expected_ids(demo_data, lambda order: test(order["date_created"]))
    assert expected
    assert listed_ids(api, **{"filters[date_created]": expression}) == expected


def test_the_valid_till_filter_skips_orders_without_a_certificate(api, demo_data):
    expected = expected_ids(demo_data, lambda order: order["certificate"].get("valid_till", "") > "2026-01-15")
    assert listed_ids(api, **{"filters[valid_till]": ">2026-01-15"}) == expected
    assert not set(expected) & set(expected_ids(demo_data, lambda order: order["status"] == "pending"))


def test_filters_combine(api, demo_data):
    expected = expected_ids(
        demo_data, lambda order: order["status"] == "pending" and order["container_id"] == 520002 and order["date_created"][:10] < "2025-12-16"
    )
    ids = listed_ids(api, **{"filters[status]": "pending", "filters[container_id]": 520002, "filters[date_created]": "<2025-12-16"})
    assert ids == expected and expected


def test_a_blank_filter_is_ignored(api):
    assert api.get("/order/certificate", params={"filters[status]": ""}).json()["page"]["total"] == 2500


def test_sort_by_date_created_both_ways(api, demo_data):
    by_date = sorted(demo_data["orders"], key=lambda order: (order["date_created"], order["id"]))
    ascending = api.get("/order/certificate", params={"sort": "date_created", "limit": 20}).json()["orders"]
    assert [order["id"] for order in ascending] == [order["id"] for order in by_date[:20]]
    descending = api.get("/order/certificate", params={"sort": "-date_created", "limit": 20}).json()["orders"]
    assert [order["date_created"] for order in descending] == sorted((order["date_created"] for order in demo_data["orders"]), reverse=True)[:20]


def test_sort_by_several_properties(api, demo_data):
    body = api.get("/order/certificate", params={"sort": "status,-id", "filters[container_id]": 520005}).json()
    expected = sorted((order for order in demo_data["orders"] if order["container_id"] == 520005), key=lambda order: (order["status"], -order["id"]))
    assert [order["id"] for order in body["orders"]] == [order["id"] for order in expected]


def test_sort_by_valid_till_puts_orders_without_one_first(api, demo_data):
    ids = [order["id"] for order in api.get("/order/certificate", params={"sort": "valid_till", "limit": 1000}).json()["orders"]]
    without = expected_ids(demo_data, lambda order: "valid_till" not in order["certificate"])
    assert ids[: len(without)] == without
    latest = api.get("/order/certificate", params={"sort": "-valid_till", "limit": 1}).json()["orders"][0]
    assert latest["certificate"]["valid_till"] == max(o["certificate"]["valid_till"] for o in demo_data["orders"] if "valid_till" in o["certificate"])


def test_the_list_reflects_changes_at_once(api, order_in):
    order_id = order_in("pending")
    before = api.get("/order/certificate", params={"filters[status]": "pending"}).json()["page"]["total"]
    assert api.put(f"/order/certificate/{order_id}/status", {"status": "canceled", "note": "listed"}).status_code == 204
    after = api.get("/order/certificate", params={"filters[status]": "pending"}).json()["page"]["total"]
    assert after == before - 1
    assert api.get("/order/certificate", params={"filters[id]": order_id}).json()["orders"][0]["status"] == "canceled"
