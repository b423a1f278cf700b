# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


import pytest
import yaml

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.errors import CertCentralError
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.revocation import (
    CHANGE_OUTCOMES,
    OUTCOMES,
    REVOCATION_REASONS,
    WOULD_CHANGE_OUTCOMES,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.verdict import REVOKE_ACTIONS
from ansible_collections.certops.digicert.plugins.modules import digicert_order_revoke
from ansible_collections.certops.digicert.tests.unit.plugins.modules.utils import (
    FakeApi,
    FakeClient,
    counted_in,
    install_fake_clients,
    result_counts,
    run_module_main,
)

COMMENTS = "Host web01 decommissioned, ticket OPS-4321"

RESULT_ORDER_KEYS = {"id", "common_name", "status_before", "status", "revoke_verdict", "outcome", "message", "request_id"}


def order_info(order_id, status="issued", product="ssl_basic"):
    return {
        "id": order_id,
        "status": status,
        "payment_method": "card",
        "product": {"name_id": product, "type": "client_certificate" if product.startswith("client") else "ssl_certificate"},
        "requests": [{"id": order_id * 10, "date": "2026-01-10T08:00:00+00:00", "type": "new_request", "status": "approved"}],
    }


@pytest.fixture
def fake_api(monkeypatch, tmp_path):
    return install_fake_clients(monkeypatch, tmp_path, FakeApi(), FakeClient)


def run_module(capsys, args, check_mode=False, diff=False):
    return run_module_main(capsys, digicert_order_revoke.main, args, check_mode, diff, rate_limits=[])


def revocations_sent(api):
    return [call for client in api.clients for call in client.calls if call[0] == "revoke_order"]


# ---------------------------------------------------------------- arguments are checked before any request


@pytest.mark.parametrize(
    "args, message",
    [
        ({"comments": COMMENTS}, "one of the following is required: order_id, order_ids, orders"),
        ({"order_id": 1, "order_ids": [2], "comments": COMMENTS}, "parameters are mutually exclusive: order_id|order_ids|orders"),
        ({"orders": [{"id": 1}], "comments": COMMENTS}, "Entry 1 of orders is not an order entry of digicert_order_info"),
        ({"orders": [{"id": 1, "status": "issued"}, {"id": 1, "status": "issued"}], "comments": COMMENTS}, "orders names some orders more than once: 1."),
        ({"order_id": 1}, "missing required arguments: comments"),
        ({"order_id": 1, "comments": " \n "}, "comments must not be empty: an approver decides on the revoke request"),
        ({"order_id": 1, "comments": "x" * 1001}, "comments is 1001 characters long; at most 1000 are allowed."),
        ({"order_id": 1, "comments": {"ticket": "OPS-4321"}}, "comments must be text, got a mapping {'ticket': 'OPS-4321'}."),
        (
            {"order_id": 1, "comments": COMMENTS, "revocation_reason": "compromised"},
            "value of revocation_reason must be one of: unspecified, key_compromise, affiliation_changed, superseded, cessation_of_operation, got: compromised",
        ),
        ({"order_id": 1, "comments": COMMENTS, "skip_approval": "perhaps"}, "argument 'skip_approval' is of type"),
        ({"order_id": 0, "comments": COMMENTS}, "order_id must hold positive order IDs (whole numbers of 1 or more), got 0."),
        ({"order_ids": [3, 4, 3], "comments": COMMENTS}, "order_ids names some orders more than once: 3."),
        ({"order_id": 1, "comments": COMMENTS, "max_revocations": -1}, "max_revocations must be 0 or more, got -1."),
        ({"order_id": 1, "comments": "Retired\x1b]0;owned\x07"}, "comments contains the control character U+001B at position 8."),
        ({"order_id": 1, "comments": COMMENTS, "wait_timeout": -5}, "wait_timeout must be a whole number of seconds from 0"),
        ({"order_id": 1, "comments": COMMENTS, "wait_timeout": 7200}, "to 3600 (an hour), got 7200."),
        ({"order_id": 1, "comments": COMMENTS, "wait_interval": 0}, "wait_interval must be a whole number of seconds from 1"),
        ({"order_id": 1, "comments": COMMENTS, "api_url": "http://certcentral.example.com/services/v2"}, "only allowed for loopback hosts"),
    ],
)
def test_invalid_arguments_fail_before_any_request(capsys, fake_api, args, message):
    fake_api.orders = {1: order_info(1)}
    result = run_module(capsys, args)
    assert result["failed"] is True
    assert message in result["msg"]
    assert all(not client.calls for client in fake_api.clients)
    assert fake_api.orders[1]["status"] == "issued"


# ---------------------------------------------------------------- results


def test_single_order_gets_a_revoke_request(capsys, fake_api):
    fake_api.orders = {7: order_info(7)}
    result = run_module(capsys, {"order_id": 7, "comments": "  " + COMMENTS + "\n", "revocation_reason": "cessation_of_operation"})
    assert result["changed"] is True
    assert "failed" not in result
    (entry,) = result["orders"]
    assert set(entry) == RESULT_ORDER_KEYS
    assert (entry["id"], entry["status_before"], entry["status"], entry["outcome"], entry["request_id"]) == (7, "issued", "issued", "revoke_requested", 7000001)
    assert set(entry["revoke_verdict"]) == {"revocable", "action", "reason"}
    assert entry["revoke_verdict"]["action"] == "revoke"
    assert set(result["summary"]) == set(OUTCOMES)
    assert result["summary"]["revoke_requested"] == 1
    assert sum(result["summary"].values()) == 1
    assert "diff" not in result
    (client,) = fake_api.clients
    assert client.calls == [("get_order", 7), ("get_current_user",), ("get_order", 7), ("revoke_order", 7, COMMENTS, "cessation_of_operation", False)]


def test_note_is_the_same_option_as_comments(capsys, fake_api):
    # digicert_order_cancel calls it note: the same word works here.
    fake_api.orders = {7: order_info(7)}
    result = run_module(capsys, {"order_id": 7, "note": COMMENTS})
    assert result["orders"][0]["outcome"] == "revoke_requested"
    assert revocations_sent(fake_api) == [("revoke_order", 7, COMMENTS, None, False)]


def test_orders_from_digicert_order_info_are_read_and_revoked_in_the_order_given(capsys, fake_api):
    fake_api.orders = {7: order_info(7), 8: order_info(8, "expired")}
    listed = [
        {"id": 8, "status": "expired", "common_name": "b.example.com", "requests": None},
        {"id": 7, "status": "issued", "common_name": "a.example.com", "requests": None},
    ]
    result = run_module(capsys, {"orders": listed, "note": COMMENTS})
    assert [(entry["id"], entry["outcome"]) for entry in result["orders"]] == [(8, "nothing_to_revoke"), (7, "revoke_requested")]
    (client,) = fake_api.clients
    # A listing does not show an order's requests, which decide a revocation: each order is read before it is planned.
    assert client.calls == [("get_order", 8), ("get_order", 7), ("get_current_user",), ("get_order", 7), ("revoke_order", 7, COMMENTS, None, False)]


def test_an_entry_of_a_reviewed_plan_is_revoked_only_as_reviewed(capsys, fake_api):
    # Reviewed as revoked at once (skip_approval); this run would create a revoke request instead.
    fake_api.orders = {7: order_info(7), 8: order_info(8)}
    listed = [
        {"id": 7, "status": "issued", "common_name": "a.example.com", "requests": None, "reviewed_change": {"outcome": "would_revoke", "request_id": None}},
        {
            "id": 8,
            "status": "issued",
            "common_name": "b.example.com",
            "requests": None,
            "reviewed_change": {"outcome": "would_request_revoke", "request_id": None},
        },
    ]
    result = run_module(capsys, {"orders": listed, "note": COMMENTS, "fail_on_not_revocable": False})
    assert [(entry["id"], entry["outcome"]) for entry in result["orders"]] == [(7, "not_revocable"), (8, "revoke_requested")]
    assert "changed since the review" in result["orders"][0]["message"]
    assert revocations_sent(fake_api) == [("revoke_order", 8, COMMENTS, None, False)]
    # The listing's common name names an order whose read does not show one.
    assert [entry["common_name"] for entry in result["orders"]] == ["a.example.com", "b.example.com"]


def test_skip_approval_revokes_and_the_reason_is_kept_from_client_certificates(capsys, fake_api):
    fake_api.orders = {7: order_info(7), 8: order_info(8, product="client_premium_sha2")}
    result = run_module(capsys, {"order_ids": [7, 8], "comments": COMMENTS, "skip_approval": True, "revocation_reason": "superseded"}, diff=True)
    assert [(entry["outcome"], entry["status"], entry["request_id"]) for entry in result["orders"]] == [
        ("revoked", "revoked", None),
        ("revoked", "revoked", None),
    ]
    assert revocations_sent(fake_api) == [("revoke_order", 7, COMMENTS, "superseded", True), ("revoke_order", 8, COMMENTS, None, True)]
    assert result["orders"][1]["message"].endswith(
        "revocation_reason=superseded is not sent: DigiCert applies a revocation reason to TLS certificates only, and this is a client certificate order."
    )
    assert result["diff"] == {
        "before": {"orders": {"7": {"status": "issued"}, "8": {"status": "issued"}}},
        "after": {"orders": {"7": {"status": "revoked"}, "8": {"status": "revoked"}}},
    }


@pytest.mark.parametrize("skip_approval, second_outcome", [(False, "revoke_already_requested"), (True, "already_revoked")])
def test_second_run_changes_nothing(capsys, fake_api, skip_approval, second_outcome):
    fake_api.orders = {7: order_info(7), 8: order_info(8, "expired")}
    args = {"order_ids": [7, 8], "comments": COMMENTS, "skip_approval": skip_approval}
    first = run_module(capsys, args)
    assert first["changed"] is True
    second = run_module(capsys, args)
    assert second["changed"] is False
    assert [entry["outcome"] for entry in second["orders"]] == [second_outcome, "nothing_to_revoke"]
    assert len(revocations_sent(fake_api)) == 1


def test_failure_before_acting_returns_every_order(capsys, fake_api):
    fake_api.orders = {7: order_info(7), 8: order_info(8, "reissue_pending")}
    result = run_module(capsys, {"order_ids": [7, 8, 9], "comments": COMMENTS})
    assert result["failed"] is True
    assert result["changed"] is False
    assert result["msg"].startswith(
        "Nothing was changed: 2 of 3 orders stop the run. Order 8 has a pending reissue, "
        "and CertCentral does not allow revoking a certificate while a reissue is pending."
    )
    assert [(entry["id"], entry["outcome"]) for entry in result["orders"]] == [(7, "would_request_revoke"), (8, "not_revocable"), (9, "missing")]
    assert revocations_sent(fake_api) == []


def test_skipping_what_cannot_be_revoked(capsys, fake_api):
    fake_api.orders = {7: order_info(7), 8: order_info(8, "pending")}
    result = run_module(capsys, {"order_ids": [7, 8, 9], "comments": COMMENTS, "fail_on_not_revocable": False, "missing_ok": True})
    assert "failed" not in result
    assert [entry["outcome"] for entry in result["orders"]] == ["revoke_requested", "not_revocable", "missing"]


def test_the_counts_come_from_the_outcomes(capsys, fake_api):
    fake_api.orders = {7: order_info(7), 8: order_info(8, "pending"), 10: order_info(10, "revoked")}
    args = {"order_ids": [7, 8, 9, 10], "comments": COMMENTS, "fail_on_not_revocable": False, "missing_ok": True}
    planned = run_module(capsys, args, check_mode=True)
    assert result_counts(planned) == {"changed_count": 0, "would_change_count": 1, "skipped_count": 3, "failed_count": 0}
    applied = run_module(capsys, args)
    assert result_counts(applied) == {"changed_count": 1, "would_change_count": 0, "skipped_count": 3, "failed_count": 0}


def test_max_revocations_stops_a_run_that_is_too_big(capsys, fake_api):
    fake_api.orders = dict((order_id, order_info(order_id)) for order_id in (1, 2, 3))
    result = run_module(capsys, {"order_ids": [1, 2, 3], "comments": COMMENTS, "max_revocations": 2, "skip_approval": True})
    assert result["failed"] is True
    assert "would be changed (3 revoked), more than max_revocations=2 allows" in result["msg"]
    assert revocations_sent(fake_api) == []


def test_failure_after_acting_still_returns_the_orders(capsys, fake_api, monkeypatch):
    fake_api.orders = {7: order_info(7), 8: order_info(8)}
    original = FakeClient.revoke_order

    def refused_for_8(self, order_id, comments, revocation_reason=None, skip_approval=False):
        if order_id == 8:
            raise CertCentralError("CertCentral kept refusing PUT /order/certificate/8/revoke with HTTP 429.", http_status=429, order_id=8)
        return original(self, order_id, comments, revocation_reason, skip_approval)

    monkeypatch.setattr(FakeClient, "revoke_order", refused_for_8)
    result = run_module(capsys, {"order_ids": [7, 8], "comments": COMMENTS})
    assert result["failed"] is True
    assert result["changed"] is True
    assert result["msg"].startswith(
        "1 of 2 orders were not processed as asked (1 changed). Order 8: could not request the revocation of the order. CertCentral kept refusing"
    )
    assert [entry["outcome"] for entry in result["orders"]] == ["revoke_requested", "failed"]
    assert result_counts(result) == {"changed_count": 1, "would_change_count": 0, "skipped_count": 0, "failed_count": 1}


# ---------------------------------------------------------------- check mode and diff


def test_check_mode_sends_no_change(capsys, fake_api):
    fake_api.orders = {7: order_info(7), 8: order_info(8, "revoked")}
    result = run_module(capsys, {"order_ids": [7, 8], "comments": COMMENTS}, check_mode=True, diff=True)
    assert revocations_sent(fake_api) == []
    assert fake_api.orders[7]["status"] == "issued"
    assert result["changed"] is True
    assert [entry["outcome"] for entry in result["orders"]] == ["would_request_revoke", "already_revoked"]
    assert result["diff"]["after"]["orders"] == {"7": {"status": "issued", "request": {"id": None, "status": "pending"}}, "8": {"status": "revoked"}}


def test_check_mode_of_a_rerun_is_unchanged(capsys, fake_api):
    fake_api.orders = {7: order_info(7, "revoked")}
    result = run_module(capsys, {"order_id": 7, "comments": COMMENTS}, check_mode=True)
    assert result["changed"] is False


# ---------------------------------------------------------------- documentation


def test_documented_defaults_and_choices_are_the_ones_used():
    documented = yaml.safe_load(digicert_order_revoke.DOCUMENTATION)["options"]
    assert documented["revocation_reason"]["choices"] == list(REVOCATION_REASONS)


def test_documented_outcomes_and_actions_are_the_real_ones():
    returned = yaml.safe_load(digicert_order_revoke.RETURN)
    contains = returned["orders"]["contains"]
    assert contains["outcome"]["choices"] == list(OUTCOMES)
    assert sorted(returned["summary"]["sample"]) == sorted(OUTCOMES)
    assert contains["revoke_verdict"]["contains"]["action"]["choices"] == list(REVOKE_ACTIONS)


def test_each_count_documents_the_outcomes_it_counts():
    for outcome in OUTCOMES:
        naming, expected = counted_in(digicert_order_revoke.RETURN, outcome, CHANGE_OUTCOMES, WOULD_CHANGE_OUTCOMES)
        assert naming == [expected], outcome


def test_delayed_revocations_are_changes_and_a_rerun_sends_nothing(capsys, fake_api, monkeypatch):
    def revoke_later(self, order_id, comments, revocation_reason=None, skip_approval=False):
        self.calls.append(("revoke_order", order_id, comments, revocation_reason, skip_approval))
        self.api.orders[order_id]["requests"].append({"id": 900 + order_id, "date": "2026-01-15T10:00:00+00:00", "type": "revoke", "status": "approved"})

    monkeypatch.setattr(FakeClient, "revoke_order", revoke_later)
    fake_api.orders = {7: order_info(7), 8: order_info(8)}
    result = run_module(capsys, {"order_ids": [7, 8], "comments": COMMENTS, "skip_approval": True})
    assert "failed" not in result
    assert result["changed"] is True
    assert [(entry["outcome"], entry["status"], entry["request_id"]) for entry in result["orders"]] == [
        ("revocation_submitted", "issued", 907),
        ("revocation_submitted", "issued", 908),
    ]
    assert result["summary"]["revocation_submitted"] == 2
    assert "DigiCert is processing the revocation" in result["orders"][0]["message"]

    rerun = run_module(capsys, {"order_ids": [7, 8], "comments": COMMENTS, "skip_approval": True})
    assert rerun["changed"] is False
    assert [entry["outcome"] for entry in rerun["orders"]] == ["revocation_in_progress"] * 2
    assert len(revocations_sent(fake_api)) == 2
