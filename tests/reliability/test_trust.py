# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Trust: TLS certificates are verified by default, ca_path is honoured, plain HTTP goes to loopback only, and keys
that may not make a change get a sentence that names the permission they lack, before anything changes.

The HTTPS simulator presents a certificate from a throwaway CA made with openssl for this run only.
"""

from __future__ import annotations

import pytest

from bad_input import attach_request_log, proxy_trap
from certcentral_sim.generator import DEMO_ADMIN_KEY, DEMO_ORDERS_KEY, DEMO_VIEW_ONLY_KEY
from certcentral_sim.testing import running_simulator
from certcentral_sim.tls import write_throwaway_pki
from harness import Controller, module_task


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return write_throwaway_pki(str(tmp_path_factory.mktemp("pki")))


@pytest.fixture(scope="module")
def stranger_pki(tmp_path_factory):
    """Another throwaway CA, which did not sign the simulator's certificate."""
    return write_throwaway_pki(str(tmp_path_factory.mktemp("stranger-pki")))


@pytest.fixture(scope="module")
def https_simulator(pki):
    with running_simulator(seed=51, orders=300, pending=40, needs_approval=5, rate_limits=[], tls_cert=pki.server_cert, tls_key=pki.server_key) as handle:
        yield handle


@pytest.fixture(scope="module")
def http_simulator():
    with running_simulator(seed=52, orders=300, pending=40, needs_approval=5, rate_limits=[]) as handle:
        yield handle


@pytest.fixture
def controller(collections_path, tmp_path):
    return Controller(collections_path, str(tmp_path))


def run_tasks(controller: Controller, tasks: list[dict], **options):
    return controller.run(controller.playbook(tasks, name="trust", keep_at_end=True), **options)


def requests_seen(simulator, run_action) -> int:
    """API requests that reached ``simulator`` while ``run_action`` ran."""
    before = simulator.counters()["api_requests"]
    result = run_action()
    return result, simulator.counters()["api_requests"] - before


def test_certificates_are_verified_by_default(https_simulator, stranger_pki, controller):
    order_id = https_simulator.orders("pending")[0]["id"]
    args = {"order_id": order_id, "api_url": https_simulator.base_url, "api_key": DEMO_ADMIN_KEY, "rate_limits": [], "retries": 0}
    run, requests = requests_seen(
        https_simulator,
        lambda: run_tasks(
            controller,
            [
                module_task("digicert_order_info", args, "default_trust"),
                module_task("digicert_order_info", dict(args, ca_path=stranger_pki.ca_cert), "wrong_ca"),
                module_task("digicert_order_cancel", dict(args, note="Trust test"), "cancel_default_trust"),
            ],
        ),
    )
    for register in ("default_trust", "wrong_ca", "cancel_default_trust"):
        result = run.result(register)
        assert result["failed"] is True
        assert f"TLS verification of {https_simulator.base_url} failed" in result["msg"], result["msg"]
        assert "set ca_path to a bundle with that CA" in result["msg"]
    # The handshake failed, so not one request (with its key) reached the server.
    assert requests == 0
    assert https_simulator.order_status(order_id) == "pending"


def test_ca_path_is_honoured(https_simulator, pki, controller):
    order_id = https_simulator.orders("pending")[1]["id"]
    args = {"api_url": https_simulator.base_url, "api_key": DEMO_ADMIN_KEY, "rate_limits": [], "ca_path": pki.ca_cert}
    run = run_tasks(
        controller,
        [
            module_task("digicert_order_info", dict(args, order_id=order_id), "info"),
            module_task("digicert_order_cancel", dict(args, order_id=order_id, note="Trust test"), "cancel"),
        ],
    )
    assert run.result("info")["orders"][0]["status"] == "pending"
    assert run.result("cancel")["orders"][0]["outcome"] == "canceled"
    assert https_simulator.order_status(order_id) == "canceled"


def test_validate_certs_false_is_the_only_way_around_verification(https_simulator, controller):
    order_id = https_simulator.orders("pending")[2]["id"]
    run = run_tasks(
        controller,
        [
            module_task(
                "digicert_order_info",
                {"order_id": order_id, "api_url": https_simulator.base_url, "api_key": DEMO_ADMIN_KEY, "rate_limits": [], "validate_certs": False},
                "info",
            )
        ],
    )
    assert run.result("info")["orders"][0]["id"] == order_id


def test_plain_http_goes_to_loopback_only(http_simulator, controller):
    log = attach_request_log(http_simulator)
    order_id = http_simulator.orders("pending")[0]["id"]
    args = {"order_id": order_id, "api_key": DEMO_ADMIN_KEY, "rate_limits": [], "note": "Trust test"}
    loopback_name = http_simulator.base_url.replace("127.0.0.1", "localhost")
    run = run_tasks(
        controller,
        [
            module_task("digicert_order_cancel", dict(args, api_url="http://certcentral.digicert.example/services/v2"), "remote_http"),
            module_task(
                "digicert_order_info", {"order_id": order_id, "api_key": DEMO_ADMIN_KEY, "rate_limits": [], "api_url": loopback_name}, "loopback_by_name"
            ),
        ],
        extra_env=proxy_trap(http_simulator.simulator.root_url),
    )
    assert run.result("remote_http")["failed"] is True
    assert "plain http:// is only allowed for loopback hosts" in run.result("remote_http")["msg"]
    assert run.result("loopback_by_name")["orders"][0]["status"] == "pending"
    # Requests for other hosts would have reached the simulator through the proxy trap, with a full URL as path.
    assert [path for _method, path in log.requests() if not path.startswith("/")] == []
    assert http_simulator.order_status(order_id) == "pending"


def writes_seen(simulator) -> int:
    return sum(count for route, count in simulator.counters()["requests_by_route"].items() if route.startswith("PUT "))


def test_a_view_only_key_is_told_which_permission_it_lacks(http_simulator, controller):
    pending = [order["id"] for order in http_simulator.orders("pending")[1:4]]
    issued = [order["id"] for order in http_simulator.orders("issued")[:3]]
    common = {"api_url": http_simulator.base_url, "api_key": DEMO_VIEW_ONLY_KEY, "rate_limits": []}
    writes_before = writes_seen(http_simulator)
    run = run_tasks(
        controller,
        [
            module_task("digicert_order_cancel", dict(common, order_ids=pending, note="Trust test"), "cancel"),
            module_task("digicert_order_revoke", dict(common, order_ids=issued, comments="Trust test"), "revoke"),
        ],
    )
    cancel, revoke = run.result("cancel"), run.result("revoke")
    assert cancel["failed"] is True and revoke["failed"] is True
    assert "the API key is restricted to View Only" in cancel["msg"]
    assert "Use a key with the Orders role" in cancel["msg"]
    assert "View Only" in revoke["msg"] and "Orders role" in revoke["msg"], revoke["msg"]
    assert {entry["outcome"] for entry in cancel["orders"]} == {"would_cancel"}
    assert writes_seen(http_simulator) == writes_before
    assert {http_simulator.order_status(order_id) for order_id in pending} == {"pending"}


def test_a_view_only_key_whose_role_cannot_be_read_is_stopped_at_the_first_refusal(http_simulator, controller):
    """When GET /user/me fails, the module cannot see the role before acting; CertCentral's refusal of the first
    change names the permission, and no further change is tried."""
    pending = [order["id"] for order in http_simulator.orders("pending")[4:10]]
    http_simulator.set_faults(seed=1, error_rate=1.0, routes=["/user/me"])
    writes_before = writes_seen(http_simulator)
    try:
        run = run_tasks(
            controller,
            [
                module_task(
                    "digicert_order_cancel",
                    {
                        "order_ids": pending,
                        "note": "Trust test",
                        "api_url": http_simulator.base_url,
                        "api_key": DEMO_VIEW_ONLY_KEY,
                        "rate_limits": [],
                        "retries": 0,
                        "workers": 1,
                    },
                    "cancel",
                )
            ],
        )
    finally:
        http_simulator.set_faults()
    result = run.result("cancel")
    assert result["failed"] is True
    first, *others = result["orders"]
    assert first["outcome"] == "failed"
    assert "A View Only key can read orders but cannot cancel them: use a key with the Orders role" in first["message"]
    assert {entry["outcome"] for entry in others} == {"failed"}
    assert all("the API key was refused on an earlier call" in entry["message"] for entry in others)
    assert writes_seen(http_simulator) - writes_before == 1
    assert {http_simulator.order_status(order_id) for order_id in pending} == {"pending"}


def test_a_key_without_a_permission_is_told_which_one(http_simulator, controller):
    approval = http_simulator.orders("needs_approval")[0]["id"]
    issued = http_simulator.orders("issued")[5]["id"]
    common = {"api_url": http_simulator.base_url, "api_key": DEMO_ORDERS_KEY, "rate_limits": []}
    audit_before = len(http_simulator.audit_log())
    run = run_tasks(
        controller,
        [
            module_task("digicert_order_cancel", dict(common, order_id=approval, note="Trust test", reject_pending_request=True), "reject"),
            module_task("digicert_order_revoke", dict(common, order_id=issued, comments="Trust test", skip_approval=True), "revoke_at_once"),
        ],
    )
    reject, revoke = run.result("reject"), run.result("revoke_at_once")
    assert reject["failed"] is True
    # GET /user/me shows the orders key's user as Orders: both are refused before anything is sent, naming the role.
    assert "may not reject or approve requests" in reject["orders"][0]["message"]
    assert "only an administrator or manager may" in reject["orders"][0]["message"]
    assert reject["orders"][0]["outcome"] == "not_cancelable"
    assert revoke["failed"] is True
    assert "only an administrator may. Run without skip_approval" in revoke["orders"][0]["message"], revoke["orders"][0]["message"]
    assert revoke["orders"][0]["outcome"] == "not_revocable"
    assert len(http_simulator.audit_log()) == audit_before
    assert http_simulator.order_status(approval) == "needs_approval"
    assert http_simulator.order_status(issued) == "issued"
