# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


import pytest
import yaml
from ansible.module_utils.basic import AnsibleModule

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.cancellation import (
    CHANGE_OUTCOMES,
    OUTCOMES,
    WOULD_CHANGE_OUTCOMES,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.errors import CertCentralError
from ansible_collections.certops.digicert.plugins.modules import digicert_order_cancel
from ansible_collections.certops.digicert.tests.unit.plugins.modules.utils import (
    FakeApi,
    FakeClient,
    counted_in,
    install_fake_clients,
    result_counts,
    run_module_main,
)

NOTE = "Ordered by mistake, ticket PKI-1234"

RESULT_ORDER_KEYS = {"id", "common_name", "status_before", "status", "cancel_verdict", "outcome", "message", "refund_hint", "request_id"}


def order_info(order_id, status="pending", payment_method="card", requests=None):
    return {
        "id": order_id,
        "status": status,
        "payment_method": payment_method,
        "product": {"name_id": "ssl_basic", "type": "ssl_certificate"},
        "requests": requests
        if requests is not None
        else [{"id": order_id * 10, "date": "2026-01-10T08:00:00+00:00", "type": "new_request", "status": "approved"}],
    }


@pytest.fixture
def fake_api(monkeypatch, tmp_path):
    return install_fake_clients(monkeypatch, tmp_path, FakeApi(), FakeClient)


def run_module(capsys, args, check_mode=False, diff=False):
    return run_module_main(capsys, digicert_order_cancel.main, args, check_mode, diff, rate_limits=[])


def changes_sent(api):
    return [call for client in api.clients for call in client.calls if call[0] in ("cancel_order", "reject_request")]


# ---------------------------------------------------------------- arguments are checked before any request


@pytest.mark.parametrize(
    "args, message",
    [
        ({"note": NOTE}, "one of the following is required: order_id, order_ids"),
        ({"order_id": 1, "order_ids": [2], "note": NOTE}, "parameters are mutually exclusive: order_id|order_ids"),
        ({"order_id": 1}, "missing required arguments: note"),
        ({"order_id": 1, "note": ""}, "note must not be empty: CertCentral requires a note on every cancellation"),
        ({"order_id": 1, "note": " \n "}, "note must not be empty"),
        ({"order_id": 1, "note": "x" * 1001}, "note is 1001 characters long; at most 1000 are allowed."),
        ({"order_id": 1, "note": "Ordered by mistake\nsecond line"}, "note contains the control character U+000A at position 19."),
        ({"order_id": 1, "note": ["decommissioned", "PKI-1234"]}, "note must be text, got a list ['decommissioned', 'PKI-1234']."),
        ({"order_id": "twelve", "note": NOTE}, "argument 'order_id' is of type"),
        ({"order_ids": [1, "two"], "note": NOTE}, "Elements value for option 'order_ids' is of type"),
        ({"order_id": 0, "note": NOTE}, "order_id must hold positive order IDs (whole numbers of 1 or more), got 0."),
        ({"order_ids": [3, -4], "note": NOTE}, "order_ids must hold positive order IDs (whole numbers of 1 or more), got -4."),
        ({"order_ids": [3, 4, 3], "note": NOTE}, "order_ids names some orders more than once: 3. Give each order once."),
        ({"order_ids": [1], "orders": [{"id": 1, "status": "pending"}], "note": NOTE}, "parameters are mutually exclusive: order_id|order_ids|orders"),
        ({"orders": [{"id": 1, "status": "pending"}, {"id": 1, "status": "pending"}], "note": NOTE}, "orders names some orders more than once: 1."),
        ({"orders": [{"id": 1}], "note": NOTE}, "Entry 1 of orders is not an order entry of digicert_order_info"),
        ({"orders": [1], "note": NOTE}, "Elements value for option 'orders' is of type"),
        ({"order_id": 1, "note": NOTE, "max_cancellations": -1}, "max_cancellations must be 0 or more, got -1."),
        ({"order_id": 1, "note": NOTE, "cancel_reissue": "maybe"}, "argument 'cancel_reissue' is of type"),
        ({"order_id": 1, "note": NOTE, "api_url": "http://certcentral.example.com/services/v2"}, "only allowed for loopback hosts"),
        ({"order_id": 1, "note": NOTE, "timeout": 0}, "timeout must be at least 1 second"),
    ],
)
def test_invalid_arguments_fail_before_any_request(capsys, fake_api, args, message):
    fake_api.orders = {1: order_info(1)}
    result = run_module(capsys, args)
    assert result["failed"] is True
    assert message in result["msg"]
    assert all(not client.calls for client in fake_api.clients)
    assert fake_api.orders[1]["status"] == "pending"


# ---------------------------------------------------------------- results


def test_single_order_is_canceled(capsys, fake_api):
    fake_api.orders = {7: order_info(7, payment_method="balance")}
    result = run_module(capsys, {"order_id": 7, "note": "  " + NOTE + "\n"})
    assert result["changed"] is True
    assert "failed" not in result
    (entry,) = result["orders"]
    assert set(entry) == RESULT_ORDER_KEYS
    assert (entry["id"], entry["status_before"], entry["status"], entry["outcome"]) == (7, "pending", "canceled", "canceled")
    assert entry["cancel_verdict"]["action"] == "cancel"
    assert entry["refund_hint"].startswith("Order 7 was paid from the account balance.")
    assert entry["request_id"] is None
    assert set(result["summary"]) == set(OUTCOMES)
    assert result["summary"]["canceled"] == 1
    assert sum(result["summary"].values()) == 1
    assert "diff" not in result
    (client,) = fake_api.clients
    assert client.calls == [("get_order", 7), ("get_current_user",), ("get_order", 7), ("cancel_order", 7, NOTE)]
    assert client.options["retries"] == 5


def test_ids_from_digicert_order_info_feed_straight_in(capsys, fake_api):
    fake_api.orders = dict((order_id, order_info(order_id)) for order_id in (11, 12, 13))
    info_orders = [{"id": 12, "status": "pending"}, {"id": 11, "status": "pending"}, {"id": 13, "status": "pending"}]
    result = run_module(capsys, {"order_ids": [order["id"] for order in info_orders], "note": NOTE})
    assert [(entry["id"], entry["outcome"]) for entry in result["orders"]] == [(12, "canceled"), (11, "canceled"), (13, "canceled")]


def test_orders_from_digicert_order_info_save_the_first_read(capsys, fake_api):
    fake_api.orders = dict((order_id, order_info(order_id)) for order_id in (11, 12))
    listed = [
        {"id": 12, "status": "pending", "product_name_id": "ssl_basic", "common_name": "b.example.com"},
        {"id": 11, "status": "issued", "product_name_id": "ssl_basic", "common_name": "a.example.com"},
    ]
    result = run_module(capsys, {"orders": listed, "note": NOTE})
    assert [(entry["id"], entry["outcome"]) for entry in result["orders"]] == [(12, "canceled"), (11, "canceled")]
    (client,) = fake_api.clients
    # Order 12 is planned from its entry; order 11, listed as issued, is read first, as its plan cannot be trusted
    # to a listing that is not a cancel.
    assert client.calls == [
        ("get_order", 11),
        ("get_current_user",),
        ("get_order", 12),
        ("cancel_order", 12, NOTE),
        ("get_order", 11),
        ("cancel_order", 11, NOTE),
    ]


def test_comments_is_the_same_option_as_note(capsys, fake_api):
    # digicert_order_revoke calls it comments: the same word works here.
    fake_api.orders = {11: order_info(11)}
    result = run_module(capsys, {"order_id": 11, "comments": NOTE})
    assert result["orders"][0]["outcome"] == "canceled"
    assert changes_sent(fake_api) == [("cancel_order", 11, NOTE)]


def test_order_ids_given_as_text_are_converted(capsys, fake_api):
    fake_api.orders = {11: order_info(11)}
    result = run_module(capsys, {"order_ids": ["11"], "note": NOTE})
    assert result["orders"][0]["id"] == 11


def test_empty_order_ids_change_nothing(capsys, fake_api):
    result = run_module(capsys, {"order_ids": [], "note": NOTE})
    assert result["changed"] is False
    assert result["orders"] == []
    assert sum(result["summary"].values()) == 0


def test_second_run_changes_nothing(capsys, fake_api):
    fake_api.orders = {
        7: order_info(7),
        8: order_info(8, "needs_approval", requests=[{"id": 80, "date": "2026-01-10T08:00:00+00:00", "type": "new_request", "status": "pending"}]),
    }
    args = {"order_ids": [7, 8], "note": NOTE, "reject_pending_request": True}
    first = run_module(capsys, args)
    assert [entry["outcome"] for entry in first["orders"]] == ["canceled", "request_rejected"]
    assert first["orders"][1]["request_id"] == 80
    second = run_module(capsys, args)
    assert second["changed"] is False
    assert [entry["outcome"] for entry in second["orders"]] == ["already_canceled", "nothing_to_cancel"]
    assert changes_sent(fake_api) == [("cancel_order", 7, NOTE), ("reject_request", 80, NOTE)]


def test_failure_before_acting_returns_every_order(capsys, fake_api):
    fake_api.orders = {7: order_info(7), 8: order_info(8, "issued")}
    result = run_module(capsys, {"order_ids": [7, 8, 9], "note": NOTE})
    assert result["failed"] is True
    assert result["changed"] is False
    assert result["msg"].startswith("Nothing was changed: 2 of 3 orders stop the run. Order 8 is issued")
    assert [(entry["id"], entry["outcome"]) for entry in result["orders"]] == [(7, "would_cancel"), (8, "not_cancelable"), (9, "missing")]
    assert result["summary"]["missing"] == 1
    assert changes_sent(fake_api) == []


def test_max_cancellations_stops_a_run_that_is_too_big(capsys, fake_api):
    fake_api.orders = dict((order_id, order_info(order_id)) for order_id in (1, 2, 3))
    result = run_module(capsys, {"order_ids": [1, 2, 3], "note": NOTE, "max_cancellations": 2})
    assert result["failed"] is True
    assert "would be changed (3 canceled), more than max_cancellations=2 allows" in result["msg"]
    assert "set max_cancellations to 3 or more" in result["msg"]
    assert changes_sent(fake_api) == []


def test_skipping_what_cannot_be_canceled(capsys, fake_api):
    fake_api.orders = {7: order_info(7), 8: order_info(8, "issued")}
    result = run_module(capsys, {"order_ids": [7, 8, 9], "note": NOTE, "fail_on_not_cancelable": False, "missing_ok": True})
    assert "failed" not in result
    assert result["changed"] is True
    assert [entry["outcome"] for entry in result["orders"]] == ["canceled", "not_cancelable", "missing"]


def test_the_counts_come_from_the_outcomes(capsys, fake_api):
    fake_api.orders = {7: order_info(7), 8: order_info(8, "issued"), 10: order_info(10, "canceled")}
    args = {"order_ids": [7, 8, 9, 10], "note": NOTE, "fail_on_not_cancelable": False, "missing_ok": True}
    planned = run_module(capsys, args, check_mode=True)
    assert result_counts(planned) == {"changed_count": 0, "would_change_count": 1, "skipped_count": 3, "failed_count": 0}
    applied = run_module(capsys, args)
    assert result_counts(applied) == {"changed_count": 1, "would_change_count": 0, "skipped_count": 3, "failed_count": 0}


def test_failure_after_acting_still_returns_the_orders(capsys, fake_api, monkeypatch):
    fake_api.orders = {7: order_info(7), 8: order_info(8)}

    def cancel_refused_for_8(self, order_id, note):
        if order_id == 8:
            raise CertCentralError("CertCentral kept refusing PUT /order/certificate/8/status with HTTP 429.", http_status=429, order_id=8)
        self.api.orders[order_id]["status"] = "canceled"

    monkeypatch.setattr(FakeClient, "cancel_order", cancel_refused_for_8)
    result = run_module(capsys, {"order_ids": [7, 8], "note": NOTE}, diff=True)
    assert result["failed"] is True
    assert result["changed"] is True
    assert result["msg"].startswith("1 of 2 orders were not processed as asked (1 changed). Order 8: could not cancel the order. CertCentral kept refusing")
    assert [entry["outcome"] for entry in result["orders"]] == ["canceled", "failed"]
    assert result["summary"]["failed"] == 1
    assert result["diff"]["after"]["orders"] == {"7": {"status": "canceled"}, "8": {"status": "pending"}}
    assert result_counts(result) == {"changed_count": 1, "would_change_count": 0, "skipped_count": 0, "failed_count": 1}


# ---------------------------------------------------------------- check mode and diff


def test_check_mode_sends_no_change(capsys, fake_api):
    fake_api.orders = {7: order_info(7), 8: order_info(8, "canceled")}
    result = run_module(capsys, {"order_ids": [7, 8], "note": NOTE}, check_mode=True, diff=True)
    assert changes_sent(fake_api) == []
    assert fake_api.orders[7]["status"] == "pending"
    assert result["changed"] is True
    assert [entry["outcome"] for entry in result["orders"]] == ["would_cancel", "already_canceled"]
    assert [entry["status"] for entry in result["orders"]] == ["pending", "canceled"]
    assert result["diff"] == {
        "before": {"orders": {"7": {"status": "pending"}, "8": {"status": "canceled"}}},
        "after": {"orders": {"7": {"status": "canceled"}, "8": {"status": "canceled"}}},
    }


def test_check_mode_of_a_rerun_is_unchanged(capsys, fake_api):
    fake_api.orders = {7: order_info(7, "canceled")}
    result = run_module(capsys, {"order_id": 7, "note": NOTE}, check_mode=True)
    assert result["changed"] is False


def test_diff_of_a_real_run(capsys, fake_api):
    fake_api.orders = {7: order_info(7)}
    result = run_module(capsys, {"order_id": 7, "note": NOTE}, diff=True)
    assert result["diff"] == {"before": {"orders": {"7": {"status": "pending"}}}, "after": {"orders": {"7": {"status": "canceled"}}}}


# ---------------------------------------------------------------- documentation


def test_documented_outcomes_are_the_outcomes():
    returned = yaml.safe_load(digicert_order_cancel.RETURN)
    assert returned["orders"]["contains"]["outcome"]["choices"] == list(OUTCOMES)
    assert sorted(returned["summary"]["sample"]) == sorted(OUTCOMES)


def test_each_count_documents_the_outcomes_it_counts():
    for outcome in OUTCOMES:
        naming, expected = counted_in(digicert_order_cancel.RETURN, outcome, CHANGE_OUTCOMES, WOULD_CHANGE_OUTCOMES)
        assert naming == [expected], outcome


def test_a_pacing_history_that_fails_mid_run_only_warns(capsys, fake_api, monkeypatch, tmp_path):
    # The fake client paces its reads through the pacer the module built, as the real one does.
    def paced_get_order(self, order_id):
        with self.options["pacer"].slot():
            return FakeClient.unpaced_get_order(self, order_id)

    monkeypatch.setattr(FakeClient, "unpaced_get_order", FakeClient.get_order, raising=False)
    monkeypatch.setattr(FakeClient, "get_order", paced_get_order)
    state_dir = tmp_path / "pacing"
    state_dir.mkdir()
    fake_api.orders = {1: order_info(1), 2: order_info(2)}
    first_client_reads = []

    def damage_after_first_read(self, order_id):
        first_client_reads.append(order_id)
        if len(first_client_reads) == 2:
            for path in state_dir.iterdir():
                if path.suffix == ".json":
                    path.write_text('{"version":2,"answered":[NaN],"waiting":{},"held_until":NaN}')
        return paced_get_order(self, order_id)

    monkeypatch.setattr(FakeClient, "get_order", damage_after_first_read)
    # How warnings reach the result differs between ansible-core versions: catch them where the module gives them.
    warned = []
    original_warn = AnsibleModule.warn

    def recording_warn(self, warning):
        warned.append(warning)
        return original_warn(self, warning)

    monkeypatch.setattr(AnsibleModule, "warn", recording_warn)
    result = run_module_main(capsys, digicert_order_cancel.main, {"order_ids": [1, 2], "note": NOTE, "rate_limit_state_dir": str(state_dir)})
    assert "failed" not in result
    assert [entry["outcome"] for entry in result["orders"]] == ["canceled", "canceled"]
    assert result["summary"]["canceled"] == 2
    pacing_warnings = [text for text in warned if "rate limit history" in text]
    assert len(pacing_warnings) == 1
    assert "nan is not a finite number" in pacing_warnings[0]
