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

from ansible_collections.certops.digicert.plugins.action import decommission_plan
from ansible_collections.certops.digicert.plugins.action.decommission_plan import ActionModule
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.decommission import plan
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.errors import CertCentralError
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.orders import normalize_order
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.progress import PROGRESS_INTERVAL
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.verdict import cancel_verdict
from ansible_collections.certops.digicert.tests.unit.plugins.action.doubles import API_KEY, Account, account_order

API_URL = "https://certcentral.test/services/v2"
NOW = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.timezone.utc)
# The orders of the account that name the hosts of these tests; every other order names only hosts that stay.
FLEET = {
    3: ("pending", "web01.example.com", []),
    8: ("issued", "web02.example.com", ["web02.example.com", "lb.example.com"]),
    12: ("issued", "*.example.com", ["*.example.com"]),
    21: ("issued", "web02.example.com", []),
}
RETIRED = ["web01.example.com", "web02.example.com"]


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(decommission_plan, "utc_now", lambda: NOW)


def fleet_order(order_id):
    """account_order(), with the names and status of FLEET for its orders."""
    order = account_order(order_id)
    if order_id in FLEET:
        order["status"], common_name, dns_names = FLEET[order_id]
        order["certificate"] = {"common_name": common_name, "dns_names": dns_names}
    return order


def listing_options(**options):
    return dict(dict(api_key=API_KEY, api_url=API_URL, hosts=RETIRED, list_orders=True), **options)


def run_action(options, hostvars=None):
    task = MagicMock()
    task.action = "certops.digicert.decommission_plan"
    task.args = options
    task.async_val = 0
    task.check_mode = False
    action = ActionModule(task, MagicMock(), PlayContext(), loader=None, templar=None, shared_loader_obj=None)
    action._load_name = "certops.digicert.decommission_plan"
    return action.run(task_vars={"hostvars": hostvars or {}})


def listed(order_id, common_name, status="pending", dns_names=()):
    order = dict(id=order_id, status=status, common_name=common_name, dns_names=list(dns_names), product_name_id="ssl_basic")
    order["cancel_verdict"] = cancel_verdict(order)
    return order


def test_the_names_are_the_play_hosts_by_their_names_and_the_given_ones():
    result = run_action(
        dict(play_hosts=["localhost", "web01.example.com", "old-db"], hosts="web09.example.com"),
        hostvars={"old-db": {"decommission_names": ["db1.example.com"]}, "web01.example.com": {}},
    )
    assert result["names"] == ["web01.example.com", "db1.example.com", "web09.example.com"]
    assert "plan" not in result
    assert result["changed"] is False


def test_with_orders_the_plan_comes_back():
    result = run_action(
        dict(
            hosts=["web01.example.com"],
            revoke_issued=True,
            max_revocations=0,
            orders=[listed(1, "web01.example.com"), listed(2, "web01.example.com", "issued"), listed(3, "other.example.com")],
        )
    )
    the_plan = result["plan"]
    assert [entry["decision"] for entry in the_plan["orders"]] == ["cancel", "revoke"]
    assert the_plan["over_limit"] is True
    assert the_plan["limit_problems"] == ["1 orders would be revoked, more than decommission_max_revocations=0 allows."]


@pytest.mark.parametrize(
    "options, message",
    [
        (dict(hosts=["*.example.com"]), r"'\*.example.com' \(from decommission_hosts\) is not the name of a host"),
        (dict(play_hosts=["bad host"]), r"'bad host' \(from host bad host\)"),
        (dict(hosts={"web01": 1}), "decommission_hosts must be a list of host names"),
        (dict(), "no host to retire"),
        (dict(play_hosts=["localhost"]), "no host to retire"),
        (dict(hosts=["a.example.com"], max_cancellations=-1), "decommission_max_cancellations must be 0 or more"),
    ],
)
def test_bad_names_and_limits_fail_before_any_request(options, message):
    with pytest.raises(AnsibleActionFail, match=message) as failure:
        run_action(options)
    assert str(failure.value).startswith("Nothing was read or changed")


def test_with_list_orders_the_plan_is_that_of_every_order_of_the_account(client):
    made = client(Account(range(1, 26), order_of=fleet_order))
    result = run_action(listing_options(revoke_issued=True))

    every_order = [normalize_order(fleet_order(order_id), NOW) for order_id in range(1, 26)]
    assert result["plan"] == plan(every_order, RETIRED, True, 50, 50)
    assert [entry["order"]["id"] for entry in result["plan"]["orders"]] == [3, 21, 8, 12]
    assert [entry["decision"] for entry in result["plan"]["orders"]] == ["cancel", "revoke", "shared", "wildcard"]
    # One listing of the whole account, with the connection options given.
    assert made["client"].listed_with == [{}]
    assert made["params"]["api_url"] == API_URL
    assert result["names"] == RETIRED
    assert result["changed"] is False


def test_the_listing_keeps_only_the_orders_that_cover_a_retired_host(client, monkeypatch):
    client(Account(range(1, 26), order_of=fleet_order))
    planned_with = []
    monkeypatch.setattr(decommission_plan, "plan", lambda orders, *limits: planned_with.append([order["id"] for order in orders]) or {})
    run_action(listing_options())
    assert planned_with == [[3, 8, 12, 21]]


def test_an_account_that_moves_while_it_is_listed_is_planned_with_every_order_once(client):
    def place_an_order_first(account, offset):
        # An order placed before the listing reaches its page pushes the ones before it onto the next page.
        if offset == 10:
            account.ids.append(0)

    client(Account(range(1, 26), before_page=place_an_order_first, order_of=fleet_order))
    result = run_action(listing_options())
    ids = [entry["order"]["id"] for entry in result["plan"]["orders"]]
    assert sorted(ids) == [3, 8, 12, 21]


@pytest.mark.parametrize(
    "orders, problem",
    [
        ([{"common_name": "web01.example.com", "status": "pending"}], "Entry 1 of orders is not an order entry of digicert_order_info"),
        ([{"id": "3", "status": "pending"}], "Entry 1 of orders is not an order entry of digicert_order_info"),
        ([{"id": 3, "status": None}], "Entry 1 of orders is not an order entry of digicert_order_info"),
        ([listed(3, "web01.example.com"), listed(3, "web01.example.com")], "orders names some orders more than once"),
    ],
)
def test_orders_that_are_not_listing_entries_are_refused_before_any_request(client, orders, problem):
    made = client(Account(range(1, 6), order_of=fleet_order))
    with pytest.raises(AnsibleActionFail) as caught:
        run_action(dict(hosts=RETIRED, orders=orders))
    assert caught.value.message.startswith(f"Nothing was read or changed. {problem}")
    assert "order_ids" not in caught.value.message
    assert "client" not in made


def test_without_list_orders_nothing_is_read(client):
    made = client(Account(range(1, 26), order_of=fleet_order))
    names_only = run_action(dict(api_key=API_KEY, hosts=RETIRED))
    given = run_action(dict(api_key=API_KEY, hosts=RETIRED, orders=[listed(3, "web01.example.com")], list_orders=False))
    assert "plan" not in names_only
    assert [entry["decision"] for entry in given["plan"]["orders"]] == ["cancel"]
    assert "client" not in made


def test_a_slow_listing_prints_how_far_it_has_come(client, printed):
    client(Account(range(1, 26), order_of=fleet_order))
    result = run_action(listing_options(progress_interval=1))
    assert printed[0] == "certops.digicert: read 10 of 25 orders"
    assert printed[-1] == "certops.digicert: read 25 of 25 orders"
    assert all(line.startswith("certops.digicert: read ") and line.endswith(" of 25 orders") for line in printed)
    assert not any(API_KEY in line or "example" in line for line in printed)
    assert len(result["plan"]["orders"]) == 4


def test_progress_false_prints_nothing_and_tells_the_pacer_nothing(client, printed):
    made = client(Account(range(1, 26), order_of=fleet_order))
    run_action(listing_options(progress=False, progress_interval=1))
    assert printed == []
    assert made["on_long_wait"] is None


def test_the_default_interval_prints_nothing_in_a_short_listing(client, printed):
    made = client(Account(range(1, 26), order_of=fleet_order))
    run_action(listing_options())
    assert PROGRESS_INTERVAL >= 5 and printed == []
    assert made["long_wait_seconds"] == PROGRESS_INTERVAL


def test_a_wait_for_the_rate_limits_gets_a_line_with_the_count_so_far(client, paced):
    printed, make_pacer = paced
    made = client(Account(range(1, 116), order_of=fleet_order), make_pacer=make_pacer, paced_listing=True)
    result = run_action(listing_options(progress_interval=5))
    assert made["long_wait_seconds"] == 5
    assert len(result["plan"]["orders"]) == 4
    # No time passes but the pacer's. Pages of 10 orders, each after the first repeating 2 of the one before: 15
    # pages, the first 10 (10 + 9 * 8 = 82 orders) in the window of 30 s, then one wait of 30.05 s for the other 5.
    assert made["client"].account.offsets == [0] + list(range(8, 115, 8))
    assert printed == [
        "certops.digicert: waiting 31 s for the rate limit of 10 requests per 30 s; read 82 of 115 orders so far",
        "certops.digicert: read 90 of 115 orders",
        "certops.digicert: read 115 of 115 orders",
    ]


@pytest.mark.parametrize("interval", [0, -1, float("nan")])
def test_a_progress_interval_of_no_time_is_refused_before_any_request(client, interval):
    made = client(Account(range(1, 6), order_of=fleet_order))
    with pytest.raises(AnsibleActionFail) as caught:
        run_action(listing_options(progress_interval=interval))
    assert caught.value.message.startswith("Nothing was read or changed. progress_interval must be more than 0 seconds, got ")
    assert caught.value.message.endswith("; set progress to false for no progress lines.")
    assert "client" not in made


def test_orders_and_list_orders_together_are_refused_before_any_request(client):
    made = client(Account(range(1, 6), order_of=fleet_order))
    with pytest.raises(AnsibleActionFail, match="Give orders .* or list_orders=true .*, not both"):
        run_action(listing_options(orders=[listed(3, "web01.example.com")]))
    assert "client" not in made


def test_bad_names_are_refused_before_the_listing(client):
    made = client(Account(range(1, 6), order_of=fleet_order))
    with pytest.raises(AnsibleActionFail, match="is not the name of a host"):
        run_action(listing_options(hosts=["*.example.com"]))
    assert "client" not in made


def test_without_a_key_the_listing_fails_naming_every_way_to_give_one(monkeypatch):
    monkeypatch.delenv("DIGICERT_API_KEY", raising=False)
    with pytest.raises(AnsibleActionFail) as caught:
        run_action(dict(hosts=RETIRED, list_orders=True))
    assert caught.value.message.startswith("Nothing was changed: api_key is empty or not set.")
    assert "DIGICERT_API_KEY" in caught.value.message and "group/certops.digicert.certcentral" in caught.value.message


def test_the_key_is_never_in_the_result_warnings_or_errors(client):
    client(Account(range(1, 26), order_of=fleet_order))
    result = run_action(listing_options())
    assert result["warnings"] == ["A warning that quotes the key ********."]
    assert API_KEY not in json.dumps(result)

    client(
        Account(range(1, 26), order_of=fleet_order),
        error=CertCentralError(f"GET /order/certificate failed: the server said {API_KEY}.", http_status=500, error_message=f"echo {API_KEY}"),
    )
    with pytest.raises(AnsibleActionFail) as caught:
        run_action(listing_options())
    assert caught.value.message == "Nothing was changed: GET /order/certificate failed: the server said ********."
    assert API_KEY not in json.dumps(caught.value.result)
    assert caught.value.result["http_status"] == 500
    assert caught.value.result["warnings"] == ["A warning that quotes the key ********."]
