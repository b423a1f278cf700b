# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The order list's cache of filtered and sorted listings: the next page of an unchanged listing does not filter and
sort the whole account again, and every kind of change shows in the next page exactly as it did without the cache."""

from __future__ import annotations

import datetime
import random

import pytest

from certcentral_sim import errors, listing, views
from certcentral_sim.generator import generate_account
from certcentral_sim.state import Account, ApiKey, RealWorld
from sim_contract import TEST_ACCOUNT

LIST = "/order/certificate"
ADMIN = ApiKey("admin", 1001)
PENDING_BY_ID = {"filters[status]": "pending", "sort": "id", "limit": "20"}


class Clock:
    def __init__(self):
        self.now = datetime.datetime(2026, 1, 15, 12, 0, tzinfo=datetime.timezone.utc)

    def __call__(self):
        return self.now


@pytest.fixture(scope="module")
def account_data():
    return generate_account(seed=13, orders=3000, pending=600, abandoned=80, reference_date="2026-01-15")


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def account(account_data, clock):
    return Account(account_data, clock=clock, real_world=RealWorld(revocation_delay_seconds=30))


@pytest.fixture
def full_passes(monkeypatch):
    """How many times the order list filtered and sorted the whole account (each such pass sorts once)."""
    passes = []
    sort_items = listing.sort_items

    def counting(items, sort_text, sort_keys):
        if sort_keys is listing.ORDER_SORT_KEYS:
            passes.append(sort_text)
        return sort_items(items, sort_text, sort_keys)

    monkeypatch.setattr(listing, "sort_items", counting)
    return passes


def uncached_listing(account: Account, params: dict[str, str]) -> dict:
    """The page as the simulator served it before the cache: the whole account filtered and sorted for this page."""
    offset, limit = listing.paging(params)
    predicates = listing.order_predicates(listing.filters_of(params), account._order_emails)  # pylint: disable=protected-access
    orders = [account.order_by_id(summary["id"]) for summary in account.order_summaries()]
    for predicate in predicates:
        orders = [order for order in orders if predicate(order)]
    listing.sort_items(orders, params.get("sort", ""), listing.ORDER_SORT_KEYS)
    page_orders, page = listing.page_of(orders, offset, limit)
    today = account._today()  # pylint: disable=protected-access
    return {"orders": [views.order_list_item(account, order, today) for order in page_orders], "page": page}


def listed_ids(answer: dict) -> list[int]:
    return [order["id"] for order in answer["orders"]]


def pending_ids(account: Account) -> list[int]:
    return sorted(summary["id"] for summary in account.order_summaries("pending"))


# ---- the cache is used when nothing changed --------------------------------------------------------------------


def test_the_pages_of_an_unchanged_listing_cost_one_pass(account, full_passes):
    params = {"sort": "-date_created", "limit": "500"}
    for offset in range(0, 3000, 500):
        account.list_orders(dict(params, offset=str(offset)))
    assert full_passes == ["-date_created"]
    # Reading changes nothing: order info, the request list, the admin views.
    order_id = pending_ids(account)[0]
    account.order_info(str(order_id))
    account.list_requests({"limit": "5"})
    account.true_order(order_id)
    account.summary()
    account.list_orders(dict(params, offset="1000"))
    assert len(full_passes) == 1
    # Another listing is worked out once too, and the first one is still kept.
    account.list_orders({"filters[status]": "pending", "limit": "10"})
    account.list_orders({"filters[status]": "pending", "limit": "10", "offset": "10"})
    account.list_orders(dict(params, offset="1500"))
    assert full_passes == ["-date_created", ""]
    # A change makes the next page a full pass again.
    account.update_order_status(str(order_id), {"status": "canceled", "note": "gone"}, ADMIN)
    account.list_orders(dict(params, offset="2000"))
    assert len(full_passes) == 3


def test_a_section_that_may_change_the_account_invalidates_the_listings(account, full_passes):
    account.list_orders(PENDING_BY_ID)
    # A refused cancel changes nothing, but it took the lock for a change: the cache is not trusted afterwards.
    with pytest.raises(errors.ApiError):
        account.update_order_status("1", {"status": "canceled", "note": "no such order"}, ADMIN)
    account.list_orders(PENDING_BY_ID)
    assert len(full_passes) == 2


# ---- every kind of change shows in the next page -----------------------------------------------------------------


def test_a_cancel_through_the_api_shows_in_the_next_page(simulator, api):
    first_page = api.get(LIST, params=PENDING_BY_ID).json()
    canceled = first_page["orders"][0]["id"]
    assert api.put(f"/order/certificate/{canceled}/status", {"status": "canceled", "note": "retired"}).status_code == 204
    again = api.get(LIST, params=PENDING_BY_ID).json()
    assert canceled not in listed_ids(again)
    assert again["page"]["total"] == first_page["page"]["total"] - 1
    assert listed_ids(again) == sorted(order["id"] for order in simulator.orders("pending"))[:20]


def test_an_admin_change_shows_in_the_next_page(simulator, api):
    first_page = api.get(LIST, params=PENDING_BY_ID).json()
    issued = first_page["orders"][3]["id"]
    simulator.set_order(issued, status="issued")
    again = api.get(LIST, params=PENDING_BY_ID).json()
    assert issued not in listed_ids(again)
    assert again["page"]["total"] == first_page["page"]["total"] - 1


def test_a_scheduled_mutation_shows_in_the_next_page(simulator, api):
    first_page = api.get(LIST, params=PENDING_BY_ID).json()
    changed = first_page["orders"][0]["id"]
    simulator.schedule_mutation(changed, {"status": "issued"}, after_requests=0)
    api.get(f"/order/certificate/{changed}")  # the mutation fires before this request is handled
    assert changed not in listed_ids(api.get(LIST, params=PENDING_BY_ID).json())


@pytest.mark.parametrize("kind", ["placed", "issued", "canceled"])
def test_churn_between_pages_shows_in_the_page_it_comes_before(simulator, api, kind):
    before = api.get(LIST, params=PENDING_BY_ID).json()
    simulator.set_faults(seed=3, churn_pages=1, **{f"churn_{kind}": 2})
    second_page = api.get(LIST, params=dict(PENDING_BY_ID, offset="20")).json()
    pending_now = sorted(order["id"] for order in simulator.orders("pending"))
    assert listed_ids(second_page) == pending_now[20:40]
    assert second_page["page"]["total"] == len(pending_now) == before["page"]["total"] + (2 if kind == "placed" else -2)


def test_a_reset_shows_in_the_next_page(simulator, api):
    first_page = api.get(LIST, params=PENDING_BY_ID).json()
    canceled = first_page["orders"][0]["id"]
    simulator.set_order(canceled, status="canceled")
    assert canceled not in listed_ids(api.get(LIST, params=PENDING_BY_ID).json())
    simulator.reset()
    assert api.get(LIST, params=PENDING_BY_ID).json() == first_page


def test_a_loaded_account_shows_in_the_next_page(simulator, api):
    first_page = api.get(LIST, params=PENDING_BY_ID).json()
    try:
        simulator.load(seed=3, orders=200, pending=40, reference_date="2025-05-05")
        loaded = api.get(LIST, params=PENDING_BY_ID).json()
        pending = sorted(order["id"] for order in simulator.orders("pending"))
        assert loaded["page"]["total"] == len(pending) != first_page["page"]["total"]
        assert listed_ids(loaded) == pending[:20]
    finally:
        simulator.load(**TEST_ACCOUNT)
    assert api.get(LIST, params=PENDING_BY_ID).json() == first_page


def test_a_placed_order_shows_in_the_next_page(account):
    newest_first = {"sort": "-date_created", "limit": "5"}
    first_page = account.list_orders(newest_first)
    placed = account.place_order()
    again = account.list_orders(newest_first)
    assert listed_ids(again)[0] == placed["id"]
    assert again["page"]["total"] == first_page["page"]["total"] + 1


def issued_by_id(account: Account) -> dict:
    return account.list_orders({"filters[status]": "issued", "sort": "id", "limit": "1000"})


def first_issued(account: Account) -> int:
    """The first order in status issued (the issued filter also lists expired orders)."""
    return min(summary["id"] for summary in account.order_summaries("issued"))


def test_a_due_revocation_shows_in_the_next_page(account, clock):
    order_id = first_issued(account)
    account.revoke_order(str(order_id), {"skip_approval": True}, ADMIN)
    # Until DigiCert carries it out, the order reads issued.
    assert order_id in listed_ids(issued_by_id(account))
    clock.now += datetime.timedelta(seconds=31)
    assert order_id not in listed_ids(issued_by_id(account))
    assert account.order_info(str(order_id))["status"] == "revoked"


def test_revocations_completed_on_demand_show_in_the_next_page(account):
    order_id = first_issued(account)
    account.revoke_order(str(order_id), {"skip_approval": True}, ADMIN)
    assert order_id in listed_ids(issued_by_id(account))
    assert account.complete_revocations_now() == [order_id]
    assert order_id not in listed_ids(issued_by_id(account))


# ---- the same answers as without the cache ------------------------------------------------------------------------


def random_filters(draw: random.Random, data: dict) -> dict[str, str]:
    order = draw.choice(data["orders"])
    certificate = order["certificate"]
    choices = {
        "status": lambda: draw.choice(["pending", "waiting_pickup", "issued", "expired", "revoked", "canceled", "needs_approval"]),
        "container_id": lambda: str(order["container_id"]),
        "product_name_id": lambda: order["product_name_id"],
        "organization_id": lambda: str(order["organization_id"]),
        "user_id": lambda: str(order["user_id"]),
        "is_renewed": lambda: draw.choice(["0", "1"]),
        "date_created": lambda: draw.choice([">", "<=", ""]) + order["date_created"][:10],
        "valid_till": lambda: draw.choice(["2025-01-01...2026-06-30", ">2026-01-15", "<2025-12-31"]),
        "search": lambda: certificate["common_name"].lstrip("*.")[:3],
        "domain_name": lambda: draw.choice(certificate["dns_names"] or [certificate["common_name"]]),
        "common_name": certificate["common_name"].upper,
    }
    return {f"filters[{name}]": choices[name]() for name in draw.sample(sorted(choices), draw.choice([0, 1, 1, 2, 3]))}


def random_sort(draw: random.Random) -> str:
    fields = draw.sample(sorted(listing.ORDER_SORT_KEYS), draw.choice([0, 1, 2]))
    return ",".join(draw.choice(["", "-"]) + field for field in fields)


def random_change(draw: random.Random, account: Account, clock: Clock) -> None:
    pending = pending_ids(account)
    issued = [summary["id"] for summary in account.order_summaries("issued")]
    kind = draw.choice(["cancel", "set_fields", "place", "revoke_later", "time_passes"])
    if kind == "cancel" and pending:
        account.update_order_status(str(draw.choice(pending)), {"status": "canceled", "note": "random"}, ADMIN)
    elif kind == "set_fields" and pending:
        account.set_order_fields(draw.choice(pending), {"status": "issued", "date_created": "2020-02-02T02:02:02+00:00"})
    elif kind == "place":
        account.place_order()
    elif kind == "revoke_later" and issued:
        order_id = draw.choice(issued)
        if order_id not in account.revocations_in_flight():
            account.revoke_order(str(order_id), {"skip_approval": True}, ADMIN)
    else:
        clock.now += datetime.timedelta(seconds=draw.choice([10, 40]))


def test_random_listings_are_served_as_without_the_cache(account, account_data, clock):
    draw = random.Random(2026)
    for _listing in range(60):
        params = dict(random_filters(draw, account_data), sort=random_sort(draw), limit=str(draw.choice([1, 7, 50, 1000])))
        total = None
        # Read a few pages of the listing, now and then changing the account between them.
        for offset in [0] + sorted(draw.sample(range(1, 400), 3)):
            if draw.random() < 0.3:
                random_change(draw, account, clock)
            page_params = dict(params, offset=str(offset))
            expected = uncached_listing(account, page_params)
            assert account.list_orders(page_params) == expected, page_params
            total = expected["page"]["total"]
        assert total is not None
