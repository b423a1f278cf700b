# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Injected faults: each kind, their scope, their counters, seed reproducibility, and scheduled mutations."""

from __future__ import annotations

import time

import pytest
import requests

from certcentral_sim.faults import FaultConfig, FaultInjector
from certcentral_sim.server import ROUTE_TEMPLATES
from certcentral_sim.testing import SimulatorAdminError, running_simulator
from sim_contract import RATE_LIMITED, assert_error, cannot_cancel, error

CANCEL = {"status": "canceled", "note": "fault test"}


def outcome(call) -> str | int:
    """The HTTP status of a call, or "dropped" when the connection closed without an answer."""
    try:
        return call().status_code
    except requests.exceptions.ConnectionError:
        return "dropped"


def timed(call) -> float:
    started = time.monotonic()
    call()
    return time.monotonic() - started


def test_fixed_latency_applies_to_every_api_request(simulator, api):
    simulator.set_faults(latency_ms=250, methods=["PUT"])  # the scope does not restrict latency
    assert all(timed(lambda: api.get("/user/me")) >= 0.25 for _attempt in range(2))
    assert timed(lambda: simulator.orders("pending")) < 0.2  # the admin channel has no latency
    assert simulator.counters()["faults"] == {"latency": 2}


def test_jitter_and_spikes_follow_the_seeded_plan(simulator, api):
    settings = {"seed": 6, "jitter_ms": 100, "spike_rate": 0.5, "spike_ms": 200}
    simulator.set_faults(**settings)
    injector = FaultInjector(FaultConfig.from_dict(settings, ROUTE_TEMPLATES))
    plans = [injector.plan(sequence, "GET", "/user/me") for sequence in range(1, 5)]
    assert [plan.spiked for plan in plans] == [True, True, False, False]
    for plan in plans:
        elapsed = timed(lambda: api.get("/user/me"))
        assert plan.latency_seconds <= elapsed < plan.latency_seconds + 0.5
    assert simulator.counters()["faults"] == {"latency": 4, "latency_spike": 2}


@pytest.mark.parametrize("http_status", [500, 502, 503])
def test_server_errors_use_the_standard_error_body(simulator, api, order_in, http_status):
    order_id = order_in("pending")
    simulator.set_faults(error_rate=1.0, error_statuses=[http_status])
    codes = {500: "internal_error", 502: "bad_gateway", 503: "service_unavailable"}
    assert_error(api.put(f"/order/certificate/{order_id}/status", CANCEL), http_status, error(codes[http_status], f"Simulated server error ({http_status})."))
    assert simulator.order_status(order_id) == "pending"  # nothing was applied
    assert simulator.counters()["faults"] == {"error_5xx": 1}


def test_the_next_n_errors(simulator, api):
    simulator.set_faults(errors_next=2)
    first, second, third = (api.get("/user/me").status_code for _attempt in range(3))
    assert {first, second} <= {500, 502, 503} and third == 200
    assert simulator.faults()["errors_next"] == 0


def test_a_429_burst(simulator, api):
    simulator.set_faults(burst_429=3)
    answers = [api.get("/order/certificate", params={"limit": 1}) for _attempt in range(4)]
    for answer in answers[:3]:
        assert_error(answer, 429, RATE_LIMITED)
        assert "Retry-After" not in answer.headers
    assert answers[3].status_code == 200
    counters = simulator.counters()
    assert counters["faults"] == {"burst_429": 3} and counters["rate_limited"] == 0 and counters["responses_by_status"]["429"] == 3


def test_a_dropped_connection_changes_nothing(simulator, api, order_in):
    order_id = order_in("pending")
    simulator.set_faults(drops_next=1)
    assert outcome(lambda: api.put(f"/order/certificate/{order_id}/status", CANCEL)) == "dropped"
    assert simulator.order_status(order_id) == "pending"
    assert api.put(f"/order/certificate/{order_id}/status", CANCEL).status_code == 204
    assert simulator.counters()["faults"] == {"drop": 1}


def test_an_answer_dropped_after_the_write_was_applied(simulator, api, order_in):
    order_id = order_in("pending")
    simulator.set_faults(drops_after_write_next=1)
    assert api.get(f"/order/certificate/{order_id}").status_code == 200  # reads are never dropped "after a write"
    assert outcome(lambda: api.put(f"/order/certificate/{order_id}/status", CANCEL)) == "dropped"
    assert simulator.order_status(order_id) == "canceled"  # applied: the client has to read back
    assert_error(api.put(f"/order/certificate/{order_id}/status", CANCEL), 400, cannot_cancel("canceled"))
    assert simulator.counters()["faults"] == {"drop_after_write": 1}


def test_only_applied_writes_lose_their_answer(simulator, api, order_in):
    simulator.set_faults(drop_after_write_rate=1.0)
    assert api.put(f"/order/certificate/{order_in('issued')}/status", CANCEL).status_code == 400
    pending = order_in("pending")
    assert outcome(lambda: api.put(f"/order/certificate/{pending}/status", CANCEL)) == "dropped"
    assert simulator.order_status(pending) == "canceled"


def test_a_stall_holds_the_answer_past_the_client_timeout(simulator, api, order_in):
    order_id = order_in("pending")
    simulator.set_faults(stalls_next=1, stall_seconds=0.6)
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        api.put(f"/order/certificate/{order_id}/status", CANCEL, timeout=0.2)
    assert simulator.order_status(order_id) == "canceled"  # handled at once; only the answer was held
    assert time.monotonic() - started < 0.6
    assert api.get(f"/order/certificate/{order_id}").json()["status"] == "canceled"
    # Let the held answer go out (to a closed connection) before the next test resets the counters.
    deadline = time.monotonic() + 5
    while "204" not in simulator.counters()["responses_by_status"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert simulator.counters()["faults"] == {"stall": 1} and simulator.counters()["responses_by_status"]["204"] == 1


def test_a_stalled_answer_arrives_late_for_a_patient_client(simulator, api):
    simulator.set_faults(stalls_next=1, stall_seconds=0.3)
    started = time.monotonic()
    assert api.get("/user/me", timeout=5).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_faults_restricted_to_methods_and_routes(simulator, api, order_in):
    simulator.set_faults(error_rate=1.0, methods=["PUT"], routes=["/order/certificate/{id}/status"])
    assert api.get("/order/certificate", params={"limit": 1}).status_code == 200
    assert api.put(f"/order/certificate/{order_in('issued')}/revoke", {}).status_code == 201
    assert api.put(f"/order/certificate/{order_in('pending')}/status", CANCEL).status_code in (500, 502, 503)


@pytest.mark.parametrize(
    "settings",
    [
        {"error_rate": 2},
        {"drops_next": -1},
        {"latency_ms": "slow"},
        {"error_statuses": [404]},
        {"routes": ["/order/certificates"]},
        {"explode": True},
    ],
)
def test_invalid_fault_settings_are_refused(simulator, settings):
    with pytest.raises(SimulatorAdminError) as refused:
        simulator.set_faults(**settings)
    assert refused.value.http_status == 400


def run_pattern(simulator, api, settings: dict, count: int) -> list:
    simulator.reset()
    simulator.set_faults(**settings)
    return [outcome(lambda: api.get("/user/me")) for _attempt in range(count)]


def test_faults_are_reproducible_from_the_seed(simulator, api):
    settings = {"seed": 1234, "error_rate": 0.3, "drop_rate": 0.15, "burst_429": 0}
    first = run_pattern(simulator, api, settings, 40)
    assert run_pattern(simulator, api, settings, 40) == first
    assert {"dropped", 200} <= set(first) and set(first) & {500, 502, 503}
    assert run_pattern(simulator, api, {**settings, "seed": 4321}, 40) != first
    # The pattern is a pure function of (seed, arrival sequence number): predict it without a server.
    injector = FaultInjector(FaultConfig.from_dict(settings, ROUTE_TEMPLATES))
    predicted = []
    for sequence in range(1, 41):
        plan = injector.plan(sequence, "GET", "/user/me")
        predicted.append({"drop": "dropped", "error_5xx": plan.error_status, None: 200}[plan.action])
    assert predicted == first


def test_faults_given_at_start_come_back_on_reset():
    with running_simulator(orders=20, rate_limits=[], faults={"burst_429": 1}) as simulator:
        session = requests.Session()
        session.trust_env = False
        url = simulator.base_url + "/user/me"
        headers = {"X-DC-DEVKEY": "SIMULATOR0DEMO0ADMIN0KEY0NOT0A0REAL0DIGICERT0KEY0001"}
        assert [session.get(url, headers=headers, timeout=10).status_code for _attempt in range(2)] == [429, 200]
        simulator.reset()
        assert [session.get(url, headers=headers, timeout=10).status_code for _attempt in range(2)] == [429, 200]
        session.close()


def test_a_mutation_on_the_next_put(simulator, api, order_in):
    order_id = order_in("pending")
    simulator.schedule_mutation(order_id, {"status": "issued"})
    assert api.get(f"/order/certificate/{order_id}").json()["status"] == "pending"  # a GET does not trigger it
    assert_error(api.put(f"/order/certificate/{order_id}/status", CANCEL), 400, cannot_cancel("issued"))
    order = api.get(f"/order/certificate/{order_id}").json()
    assert order["status"] == "issued" and order["certificate"]["serial_number"]
    assert [(e["action"], e["from_status"], e["to_status"], e["role"]) for e in simulator.audit_log()] == [("mutation", "pending", "issued", "simulator")]
    assert simulator.mutations()[0]["fired"] is True
    assert simulator.counters()["faults"] == {"mutation": 1}


def test_a_mutation_after_n_requests(simulator, api, order_in):
    order_id = order_in("waiting_pickup")
    simulator.schedule_mutation(order_id, {"status": "canceled"}, after_requests=2)
    seen = [api.get(f"/order/certificate/{order_id}").json()["status"] for _attempt in range(3)]
    assert seen == ["waiting_pickup", "waiting_pickup", "canceled"]


def test_a_mutation_before_the_next_request_of_any_method(simulator, api, order_in):
    order_id = order_in("pending")
    simulator.schedule_mutation(order_id, {"status": "issued"}, after_requests=0)
    listed = api.get("/order/certificate", params={"filters[id]": order_id}).json()["orders"]
    assert [order["status"] for order in listed] == ["pending"]
    seen = [api.get(f"/order/certificate/{order_id}").json()["status"] for _attempt in range(2)]
    assert seen == ["issued", "issued"]
    assert simulator.counters()["faults"] == {"mutation": 1}


def test_a_needs_approval_order_approved_between_two_requests(simulator, api, order_in):
    order_id = order_in("needs_approval")
    simulator.schedule_mutation(order_id, {"status": "pending"}, after_requests=1)
    assert api.get(f"/order/certificate/{order_id}").json()["status"] == "needs_approval"
    order = api.get(f"/order/certificate/{order_id}").json()
    assert order["status"] == "pending" and order["requests"][0]["status"] == "approved"
    assert api.put(f"/order/certificate/{order_id}/status", CANCEL).status_code == 204


def test_mutations_are_validated_and_cleared(simulator, order_in):
    with pytest.raises(SimulatorAdminError) as unknown_order:
        simulator.schedule_mutation(1, {"status": "issued"})
    assert unknown_order.value.http_status == 404
    with pytest.raises(SimulatorAdminError) as bad_field:
        simulator.schedule_mutation(order_in("pending"), {"colour": "red"})
    assert bad_field.value.http_status == 400
    simulator.schedule_mutation(order_in("pending"), {"status": "issued"}, after_requests=5)
    simulator.clear_mutations()
    assert simulator.mutations() == []
