# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import datetime
import json
from unittest.mock import MagicMock

import pytest

from ansible.errors import AnsibleActionFail
from ansible.playbook.play_context import PlayContext

from ansible_collections.certops.digicert.plugins.action import order_cleanup_selection
from ansible_collections.certops.digicert.plugins.action.order_cleanup_selection import ActionModule
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.errors import CertCentralError
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.orders import normalize_order
from ansible_collections.certops.digicert.tests.unit.plugins.action.doubles import API_KEY, Account, account_order

API_URL = "https://certcentral.test/services/v2"
NOW = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.timezone.utc)
# account_order() creates order N on 2026-01-(1 + N % 28) at 10:00; 45 days before NOW is 2026-01-18 05:06, so with
# older_than_days=45 the orders created on the 17th or before are old enough.
OLD_ENOUGH_DAY = 17
STATUSES = ("pending", "waiting_pickup", "issued")


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(order_cleanup_selection, "utc_now", lambda: NOW)


def mixed_order(order_id):
    """account_order(), in the statuses of STATUSES in turn."""
    return account_order(order_id, STATUSES[order_id % len(STATUSES)])


def chosen(order_id, statuses=("pending", "waiting_pickup")):
    """Whether the selection of listing_options() picks order ``order_id`` of an account of mixed_order()."""
    return STATUSES[order_id % len(STATUSES)] in statuses and 1 + order_id % 28 <= OLD_ENOUGH_DAY


def listing_options(**options):
    return dict(dict(api_key=API_KEY, api_url=API_URL, status=["pending", "waiting_pickup"], older_than_days=45), **options)


def run_action(options):
    task = MagicMock()
    task.action = "certops.digicert.order_cleanup_selection"
    task.args = options
    task.async_val = 0
    task.check_mode = False
    action = ActionModule(task, MagicMock(), PlayContext(), loader=None, templar=None, shared_loader_obj=None)
    action._load_name = "certops.digicert.order_cleanup_selection"
    return action.run(task_vars={})


def test_the_listing_finds_the_chosen_statuses_older_than_the_age_limit_as_digicert_order_info_lists_them(client):
    made = client(Account(range(1, 61), order_of=mixed_order))
    result = run_action(listing_options())

    expected = [normalize_order(mixed_order(order_id), NOW) for order_id in range(1, 61) if chosen(order_id)]
    assert result["found"] == expected
    assert result["candidates"] == expected
    # Every pending and waiting_pickup order listed is cancelable: every candidate is due.
    assert result["due_count"] == len(expected) > 0
    assert result["over_limit"] is False
    assert result["changed"] is False
    # One listing per status, with the connection options given.
    assert made["client"].listed_with == [{"status": "pending"}, {"status": "waiting_pickup"}]
    assert made["params"]["api_url"] == API_URL


def test_products_are_listed_each_and_several_containers_one_after_the_other(client):
    made = client(Account(range(1, 31), order_of=mixed_order))
    result = run_action(listing_options(status=["pending"], product_name_id=["ssl_basic", "ssl_plus"], container_ids=[7, 9]))
    assert made["client"].listed_with == [
        {"container_id": container_id, "status": "pending", "product_name_id": product} for container_id in (7, 9) for product in ("ssl_basic", "ssl_plus")
    ]
    # The double's account answers every listing with all its orders: each is found once, by ID.
    ids = [order["id"] for order in result["found"]]
    assert ids == sorted(ids) == [order_id for order_id in range(1, 31) if chosen(order_id, ("pending",))]


def test_the_orders_come_back_by_id_whatever_order_the_listings_gave(client):
    # waiting_pickup orders are listed after the pending ones, yet found (and batched) by ID.
    client(Account(range(1, 61), order_of=mixed_order))
    ids = [order["id"] for order in run_action(listing_options())["found"]]
    assert ids == sorted(ids)
    assert {order["status"] for order in run_action(listing_options())["found"]} == {"pending", "waiting_pickup"}


def test_the_excluded_orders_are_found_but_not_candidates_nor_due(client):
    client(Account(range(1, 61), order_of=mixed_order))
    every = [order_id for order_id in range(1, 61) if chosen(order_id)]
    result = run_action(listing_options(exclude_order_ids=[every[0], every[-1], 999]))
    assert [order["id"] for order in result["found"]] == every
    assert [order["id"] for order in result["candidates"]] == every[1:-1]
    assert result["due_count"] == len(every) - 2


def test_more_due_than_max_cancellations_is_over_the_limit(client):
    client(Account(range(1, 61), order_of=mixed_order))
    due = len([order_id for order_id in range(1, 61) if chosen(order_id)])
    assert run_action(listing_options(max_cancellations=due))["over_limit"] is False
    over = run_action(listing_options(max_cancellations=due - 1))
    assert over["over_limit"] is True and over["due_count"] == due


def test_a_reviewed_plans_orders_are_taken_as_they_are_without_a_request(client):
    made = client(Account(range(1, 61), order_of=mixed_order))
    # Orders 3, 4 and 5 are pending, waiting_pickup and issued.
    planned = [
        dict(normalize_order(mixed_order(4), NOW), reviewed_change={"outcome": "would_cancel", "request_id": None}),
        normalize_order(mixed_order(3), NOW),
        normalize_order(mixed_order(5), NOW),
    ]
    result = run_action(dict(status=["pending", "waiting_pickup"], orders=planned, exclude_order_ids=[5]))
    assert "client" not in made
    assert result["found"] == [planned[1], planned[0], planned[2]]
    assert [order["id"] for order in result["candidates"]] == [3, 4]
    assert result["due_count"] == 2


def test_the_due_actions_follow_the_chosen_statuses():
    def given(order_id, status, action):
        return {"id": order_id, "status": status, "cancel_verdict": {"action": action}}

    orders = [given(1, "pending", "cancel"), given(2, "needs_approval", "reject_request"), given(3, "reissue_pending", "cancel_reissue")]
    assert run_action(dict(status=["pending"], orders=orders))["due_count"] == 1
    assert run_action(dict(status=["pending", "needs_approval"], orders=orders))["due_count"] == 2
    assert run_action(dict(status=["reissue_pending", "needs_approval"], orders=orders))["due_count"] == 3


@pytest.mark.parametrize(
    "options, message",
    [
        (dict(status=[]), "status must list at least one of pending, waiting_pickup, needs_approval, reissue_pending."),
        (dict(older_than_days=-1), "older_than_days must be 0 or more, got -1."),
        (dict(older_than_days=10**6), "older_than_days must be at most 36500 (100 years), got 1000000."),
        (dict(product_name_id=["ssl_basic", ""]), "product_name_id must list at least one value and no empty ones"),
        (dict(container_ids=[7, 0]), "container_ids must hold container IDs of 1 or more, got 0."),
        (dict(exclude_order_ids=[0, -2]), "exclude_order_ids must hold order IDs of 1 or more, got 0, -2."),
        (dict(max_cancellations=-1), "max_cancellations must be 0 or more, got -1."),
        (dict(progress_interval=0), "progress_interval must be more than 0 seconds, got 0"),
        (dict(progress_interval=float("nan")), "progress_interval must be more than 0 seconds, got nan"),
        (dict(orders=[{"id": 1}]), "Entry 1 of orders is not an order entry of digicert_order_info"),
        (dict(orders=[{"id": 1, "status": "pending"}] * 2), "orders names some orders more than once"),
    ],
)
def test_bad_values_are_refused_before_any_request(client, options, message):
    made = client(Account(range(1, 6), order_of=mixed_order))
    with pytest.raises(AnsibleActionFail) as caught:
        run_action(listing_options(**options))
    assert caught.value.message.startswith(f"Nothing was read or changed. {message}")
    assert "client" not in made


def test_a_slow_listing_prints_how_far_it_has_come_per_listing(client, printed):
    client(Account(range(1, 26), order_of=mixed_order))
    run_action(listing_options(progress_interval=1))
    assert printed[0] == "certops.digicert: read 10 of 25 orders (listing 1 of 2)"
    assert printed[-1] == "certops.digicert: read 25 of 25 orders (listing 2 of 2)"
    assert all(line.startswith("certops.digicert: read ") for line in printed)
    assert not any(API_KEY in line or "example" in line for line in printed)


def test_progress_false_prints_nothing_and_tells_the_pacer_nothing(client, printed):
    made = client(Account(range(1, 26), order_of=mixed_order))
    run_action(listing_options(progress=False, progress_interval=1))
    assert printed == []
    assert made["on_long_wait"] is None


def test_a_wait_for_the_rate_limits_gets_a_line(client, paced):
    printed, make_pacer = paced
    made = client(Account(range(1, 116), order_of=mixed_order), make_pacer=make_pacer, paced_listing=True)
    run_action(listing_options(status=["pending"], progress_interval=5))
    assert made["long_wait_seconds"] == 5
    assert printed[0] == "certops.digicert: waiting 31 s for the rate limit of 10 requests per 30 s; read 82 of 115 orders so far"
    assert printed[-1] == "certops.digicert: read 115 of 115 orders"


def test_without_a_key_the_listing_fails_naming_every_way_to_give_one(monkeypatch):
    monkeypatch.delenv("DIGICERT_API_KEY", raising=False)
    with pytest.raises(AnsibleActionFail) as caught:
        run_action(dict(status=["pending"]))
    assert caught.value.message.startswith("Nothing was changed: api_key is empty or not set.")
    assert "DIGICERT_API_KEY" in caught.value.message and "group/certops.digicert.certcentral" in caught.value.message


def test_the_key_is_never_in_the_result_warnings_or_errors(client):
    client(Account(range(1, 26), order_of=mixed_order))
    result = run_action(listing_options())
    assert result["warnings"] == ["A warning that quotes the key ********.", "A warning that quotes the key ********."]
    assert API_KEY not in json.dumps(result)

    client(
        Account(range(1, 26), order_of=mixed_order),
        error=CertCentralError(f"GET /order/certificate failed: the server said {API_KEY}.", http_status=500, error_message=f"echo {API_KEY}"),
    )
    with pytest.raises(AnsibleActionFail) as caught:
        run_action(listing_options())
    assert caught.value.message == "Nothing was changed: GET /order/certificate failed: the server said ********."
    assert API_KEY not in json.dumps(caught.value.result)
    assert caught.value.result["http_status"] == 500
