# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The real world, on demand: revocations that DigiCert carries out later, and odd request data on chosen orders.

The listing modes are in test_sim_real_world.py."""

from __future__ import annotations

import datetime

import pytest
import requests

from certcentral_sim.generator import DEMO_ADMIN_KEY, generate_account
from certcentral_sim.state import REQUEST_TYPES, Account, ApiKey, RealWorld
from certcentral_sim.testing import SimulatorAdminError, cli_simulator

ADMIN = ApiKey("admin", 1001)
REVOKE_AT_ONCE = {"comments": "Host retired", "skip_approval": True}


class Clock:
    def __init__(self):
        self.now = datetime.datetime(2026, 1, 15, 12, 0, tzinfo=datetime.timezone.utc)

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += datetime.timedelta(seconds=seconds)


@pytest.fixture(scope="module")
def account_data():
    return generate_account(seed=5, orders=60, reference_date="2026-01-15")


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def account(account_data, clock):
    return Account(account_data, clock=clock, real_world=RealWorld(revocation_delay_seconds=30))


def issued_order(account):
    return next(summary["id"] for summary in account.order_summaries("issued"))


def test_a_delayed_revocation_reads_issued_with_an_approved_request_until_it_is_due(account, clock):
    order_id = issued_order(account)
    assert account.revoke_order(str(order_id), REVOKE_AT_ONCE, ADMIN) is None
    info = account.order_info(str(order_id))
    assert info["status"] == "issued"
    newest = info["requests"][-1]
    assert (newest["type"], newest["status"]) == ("revoke", "approved")
    assert account.revocations_in_flight() == {order_id: newest["id"]}
    with pytest.raises(Exception) as refused:
        account.revoke_order(str(order_id), REVOKE_AT_ONCE, ADMIN)
    assert refused.value.body()["errors"][0]["message"] == "A revocation of this order is already in progress."
    clock.advance(29)
    assert account.order_info(str(order_id))["status"] == "issued"
    clock.advance(1)
    assert account.order_info(str(order_id))["status"] == "revoked"
    assert account.revocations_in_flight() == {}
    entries = [(entry["action"], entry["from_status"], entry["to_status"], entry["role"]) for entry in account.audit_log()]
    assert entries == [("revoke", "issued", "issued", "admin"), ("revocation_completed", "issued", "revoked", "simulator")]


def test_an_approved_revoke_request_is_carried_out_later_too(account, clock):
    order_id = issued_order(account)
    created = account.revoke_order(str(order_id), {"comments": "Host retired"}, ADMIN)
    account.update_request_status(str(created["id"]), {"status": "approved"}, ADMIN)
    assert account.order_info(str(order_id))["status"] == "issued"
    clock.advance(30)
    assert account.true_order(order_id)["status"] == "revoked"


def test_a_revocation_due_on_an_order_changed_meanwhile_is_dropped(account, clock):
    order_id = issued_order(account)
    account.revoke_order(str(order_id), REVOKE_AT_ONCE, ADMIN)
    account.set_order_fields(order_id, {"status": "expired"})
    clock.advance(31)
    assert account.true_order(order_id)["status"] == "expired"
    assert account.revocations_in_flight() == {}


def test_without_a_delay_revocations_are_immediate_and_reset_returns_to_the_start_up_settings(account, clock):
    account.configure_real_world({})
    order_id = issued_order(account)
    account.revoke_order(str(order_id), REVOKE_AT_ONCE, ADMIN)
    assert account.order_info(str(order_id))["status"] == "revoked"
    account.reset()
    assert account.real_world.revocation_delay_seconds == 30


def test_odd_request_data_on_chosen_orders(account_data, clock):
    with_requests = [order["id"] for order in account_data["orders"] if any(request["order_id"] == order["id"] for request in account_data["requests"])]
    text_ids, spelt = with_requests[:2], with_requests[2:4]
    account = Account(account_data, clock=clock, real_world=RealWorld(string_request_ids=frozenset(text_ids), spelt_request_types=frozenset(spelt)))
    for order_id in text_ids:
        assert all(isinstance(request["id"], str) and request["id"].isdigit() for request in account.order_info(str(order_id))["requests"])
    for order_id in spelt:
        requests_ = account.order_info(str(order_id))["requests"]
        assert all(request["type"] in ("new request", "Revoke", "Reissue", "Duplicate") for request in requests_)
        assert all(request["status"] in ("Submitted", "Pending", "Approved", "Rejected") for request in requests_)
    plain = account.order_info(str(with_requests[4]))["requests"]
    assert plain and all(isinstance(request["id"], int) and request["type"] in REQUEST_TYPES for request in plain)
    # The true state is untouched: only what the API shows is odd.
    assert all(isinstance(request["id"], int) for request in account.true_order(text_ids[0])["requests"])


def test_a_seeded_share_of_odd_orders_is_the_same_every_time():
    first = RealWorld(odd_share=0.3, odd_seed=4)
    chosen = {order_id: first.odd_kind(order_id) for order_id in range(1000, 1400)}
    again = RealWorld.from_dict({"odd_share": 0.3, "odd_seed": 4})
    assert chosen == {order_id: again.odd_kind(order_id) for order_id in range(1000, 1400)}
    odd = [kind for kind in chosen.values() if kind is not None]
    assert 80 < len(odd) < 160
    assert set(odd) == {"string_request_ids", "spelt_request_types"}
    other_seed = RealWorld(odd_share=0.3, odd_seed=5)
    assert chosen != {order_id: other_seed.odd_kind(order_id) for order_id in range(1000, 1400)}


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"revocation_delay_seconds": -1}, "revocation_delay_seconds must be a number of seconds from 0 to 86400"),
        ({"odd_share": 2}, "odd_share must be a number from 0 to 1"),
        ({"string_request_ids": ["7"]}, "string_request_ids must be a list of order IDs"),
        ({"delay": 3}, "unknown real-world settings ['delay']"),
    ],
)
def test_bad_settings_are_refused(settings, message):
    with pytest.raises(ValueError) as caught:
        RealWorld.from_dict(settings)
    assert str(caught.value).startswith(message)


def test_the_admin_channel_sets_and_shows_the_real_world(simulator, api, order_in):
    order_id = order_in("issued")
    settings = simulator.admin("PUT", "/real-world", {"revocation_delay_seconds": 60, "spelt_request_types": [order_id]})
    assert settings["revocation_delay_seconds"] == 60 and settings["spelt_request_types"] == [order_id]
    assert api.put(f"/order/certificate/{order_id}/revoke", REVOKE_AT_ONCE).status_code == 204
    shown = simulator.admin("GET", "/real-world")
    request_id = shown["revocations_in_flight"][str(order_id)]
    info = api.get(f"/order/certificate/{order_id}").json()
    assert (info["status"], info["requests"][-1]["id"], info["requests"][-1]["type"]) == ("issued", request_id, "Revoke")
    with pytest.raises(SimulatorAdminError):
        simulator.admin("PUT", "/real-world", {"odd_share": "half"})
    assert simulator.admin("POST", "/real-world/complete-revocations") == {"completed": [order_id]}
    assert api.get(f"/order/certificate/{order_id}").json()["status"] == "revoked"
    assert simulator.audit_log()[-1]["action"] == "revocation_completed"
    simulator.reset()
    assert simulator.admin("GET", "/real-world")["settings"]["revocation_delay_seconds"] == 0


def test_the_command_line_delays_revocations():
    with cli_simulator("--seed", "3", "--orders", "30", "--no-rate-limits", "--revocation-delay", "600") as (_process, base_url):
        admin_url = base_url.replace("/services/v2", "/_sim")
        session = requests.Session()
        session.trust_env = False
        assert session.get(admin_url + "/real-world", timeout=10).json()["settings"]["revocation_delay_seconds"] == 600
        order_id = session.get(admin_url + "/orders", params={"status": "issued"}, timeout=10).json()["orders"][0]["id"]
        answer = session.put(f"{base_url}/order/certificate/{order_id}/revoke", json=REVOKE_AT_ONCE, headers={"X-DC-DEVKEY": DEMO_ADMIN_KEY}, timeout=10)
        assert answer.status_code == 204
        assert session.get(f"{admin_url}/orders/{order_id}", timeout=10).json()["status"] == "issued"


def test_everything_is_off_by_default():
    assert RealWorld().to_dict() == {"revocation_delay_seconds": 0.0, "string_request_ids": [], "spelt_request_types": [], "odd_share": 0.0, "odd_seed": 0}
    assert all(RealWorld().odd_kind(order_id) is None for order_id in range(1000, 1100))
