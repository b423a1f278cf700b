# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import datetime
import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.errors import CertCentralError
from ansible_collections.certops.digicert.plugins.modules import digicert_order_info
from ansible_collections.certops.digicert.tests.unit.plugins.modules.utils import (
    install_fake_clients,
    run_module_main,
)


RESULT_ORDER_KEYS = {
    "id",
    "status",
    "common_name",
    "dns_names",
    "product_name_id",
    "product_type",
    "product_family",
    "container_id",
    "date_created",
    "age_days",
    "payment_method",
    "requests",
    "cancel_verdict",
    "container_name",
    "organization_name",
    "valid_till",
    "days_remaining",
    "serial_number",
    "price",
}


def days_ago(days):
    moment = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def list_item(order_id, status="pending", age=40, name_id="ssl_basic"):
    return {
        "id": order_id,
        "status": status,
        "date_created": days_ago(age),
        "certificate": {"common_name": f"host{order_id}.example.com", "dns_names": [f"host{order_id}.example.com"]},
        "container": {"id": 5},
        "product": {"name_id": name_id, "type": "ssl_certificate"},
    }


def order_info(order_id, status="pending", age=40, payment_method="balance", requests=None):
    order = list_item(order_id, status, age)
    order.update(
        payment_method=payment_method,
        requests=requests if requests is not None else [{"id": order_id * 10, "date": days_ago(age), "type": "new_request", "status": "approved"}],
    )
    return order


class FakeApi:
    """What the fake clients serve: listings by status filter, order info by ID, or an error for every call."""

    def __init__(self):
        self.listings = {}
        self.orders = {}
        self.error = None
        self.clients = []


class FakeClient:
    """Stands in for CertCentralClient, recording its options and calls."""

    def __init__(self, api, options):
        self.api = api
        self.options = options
        self.calls = []

    def _record(self, *call):
        self.calls.append(call)
        if self.api.error is not None:
            raise self.api.error

    def get_order(self, order_id):
        self._record("get_order", order_id)
        return self.api.orders[order_id]

    def get_orders(self, order_ids, progress=None):
        self._record("get_orders", list(order_ids))
        return [self.api.orders[order_id] for order_id in order_ids]

    def list_orders(self, filters=None, keep=None, progress=None):
        self._record("list_orders", filters)
        return [keep(item) if keep else item for item in self.api.listings.get(filters.get("status"), [])]


@pytest.fixture
def fake_api(monkeypatch, tmp_path):
    return install_fake_clients(monkeypatch, tmp_path, FakeApi(), FakeClient)


def run_module(capsys, args, check_mode=False):
    return run_module_main(capsys, digicert_order_info.main, args, check_mode)


def the_client(api):
    assert len(api.clients) == 1
    return api.clients[0]


# ---------------------------------------------------------------- arguments are checked before any request


@pytest.mark.parametrize(
    "args, message",
    [
        ({"order_id": 1, "status": ["pending"]}, "parameters are mutually exclusive: order_id|status"),
        ({"order_id": 1, "details": True}, "parameters are mutually exclusive: order_id|details"),
        ({"order_id": 1, "older_than_days": 3}, "parameters are mutually exclusive: order_id|older_than_days"),
        ({"status": ["pending", "abandoned"]}, "value of status must be one or more of"),
        ({"order_id": "twelve"}, "argument 'order_id' is of type"),
        ({"order_id": 0}, "order_id must be a positive number, got 0."),
        ({"container_id": -5}, "container_id must be a positive number, got -5."),
        ({"older_than_days": -1}, "older_than_days must be 0 or more"),
        ({"created_before": "01/02/2026"}, "created_before must be a date written as YYYY-MM-DD"),
        ({"created_after": "2026-03-01", "created_before": "2026-02-01"}, "must be earlier than created_before"),
        ({"status": []}, "status must list at least one value"),
        ({"api_url": "http://certcentral.example.com/services/v2"}, "only allowed for loopback hosts"),
        ({"api_url": "not a url"}, "api_url"),
        ({"timeout": 0}, "timeout must be at least 1 second"),
        ({"rate_limits": [{"requests": 10}]}, "missing required arguments: seconds"),
    ],
)
def test_invalid_arguments_fail_before_any_request(capsys, fake_api, args, message):
    result = run_module(capsys, args)
    assert result["failed"] is True
    assert message in result["msg"]
    assert all(not client.calls for client in fake_api.clients)


def test_api_key_is_required(capsys, fake_api):
    with patch_module_args({"status": ["pending"]}), pytest.raises(SystemExit):
        digicert_order_info.main()
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] is True
    assert result["msg"].startswith("api_key is empty or not set.")


# ---------------------------------------------------------------- one order


def test_single_order(capsys, fake_api):
    fake_api.orders = {7: order_info(7)}
    result = run_module(capsys, {"order_id": 7, "rate_limits": []})
    assert result["changed"] is False
    assert result["count"] == 1
    order = result["orders"][0]
    assert set(order) == RESULT_ORDER_KEYS
    assert order["id"] == 7
    assert order["status"] == "pending"
    assert order["common_name"] == "host7.example.com"
    assert order["product_family"] == "tls"
    assert order["age_days"] == 40
    assert order["payment_method"] == "balance"
    assert order["requests"][0]["type"] == "new_request"
    assert order["cancel_verdict"] == {
        "cancelable": True,
        "action": "cancel",
        "reason": "Order 7 is pending: DigiCert has not issued the certificate yet. It can be canceled.",
        "refund_hint": "Order 7 was paid from the account balance. Canceling does not credit the balance automatically: ask DigiCert Support for a refund.",
        "request_id": None,
    }
    assert the_client(fake_api).calls == [("get_order", 7)]


def test_single_order_with_raw(capsys, fake_api):
    fake_api.orders = {7: order_info(7)}
    result = run_module(capsys, {"order_id": 7, "include_raw": True})
    order = result["orders"][0]
    assert set(order) == RESULT_ORDER_KEYS | {"raw"}
    assert order["raw"] == fake_api.orders[7]


def test_connection_options_reach_the_client(capsys, fake_api, tmp_path):
    fake_api.orders = {7: order_info(7)}
    run_module(
        capsys,
        {
            "order_id": 7,
            "api_url": "https://certcentral.digicert.eu/services/v2/",
            "timeout": 5,
            "retries": 1,
            "validate_certs": False,
            "rate_limit_state_dir": str(tmp_path / "state"),
        },
    )
    options = the_client(fake_api).options
    assert options["api_url"] == "https://certcentral.digicert.eu/services/v2"
    assert options["timeout"] == 5
    assert options["retries"] == 1
    assert options["validate_certs"] is False
    assert options["pacer"].store.directory == str(tmp_path / "state")
    assert callable(options["warn"])


def missing_order_error(order_id):
    return CertCentralError(
        f"Order {order_id} does not exist or is not in this account (HTTP 404, not_found|order).",
        http_status=404,
        error_code="not_found|order",
        method="GET",
        path=f"/order/certificate/{order_id}",
        order_id=order_id,
        attempts=1,
    )


def test_an_unknown_order_gives_an_empty_result_with_a_message(capsys, fake_api):
    fake_api.error = missing_order_error(8)
    result = run_module(capsys, {"order_id": 8})
    assert result.get("failed") is not True
    assert result["changed"] is False
    assert result["orders"] == []
    assert result["count"] == 0
    assert result["msg"] == str(fake_api.error)
    assert "http_status" not in result


@pytest.mark.parametrize(
    "error",
    [
        CertCentralError(
            "CertCentral has no endpoint for GET /order/certificate/8 (HTTP 404, not_found|route).", http_status=404, error_code="not_found|route"
        ),
        CertCentralError("CertCentral found nothing for GET /order/certificate/8 (HTTP 404).", http_status=404),
        CertCentralError("CertCentral rejected the API key.", http_status=403, error_code="access_denied|access_denied_invalid_key"),
    ],
)
def test_other_errors_of_a_single_order_still_fail(capsys, fake_api, error):
    fake_api.error = error
    result = run_module(capsys, {"order_id": 8})
    assert result["failed"] is True
    assert result["msg"] == str(error)
    assert "orders" not in result


def test_a_listing_missing_an_order_still_fails(capsys, fake_api):
    # Only order_id reads one order by choice; a 404 within a listing (details) is a fault, not an empty answer.
    fake_api.listings = {"pending": [list_item(8)]}
    fake_api.error = missing_order_error(8)
    result = run_module(capsys, {"status": ["pending"]})
    assert result["failed"] is True
    assert result["error_code"] == "not_found|order"


def test_fail_on_missing_fails_with_the_sentence_and_facts(capsys, fake_api):
    error = missing_order_error(8)
    fake_api.error = error
    result = run_module(capsys, {"order_id": 8, "fail_on_missing": True})
    assert result["failed"] is True
    assert result["msg"] == str(error)
    assert result["http_status"] == 404
    assert result["error_code"] == "not_found|order"
    assert result["order_id"] == 8
    assert result["outcome_unknown"] is False


# ---------------------------------------------------------------- listing


def test_listing_per_status_with_client_side_age_filter(capsys, fake_api):
    fake_api.listings = {
        "pending": [list_item(1, age=40), list_item(2, age=3)],
        "waiting_pickup": [list_item(3, "waiting_pickup", age=90)],
    }
    result = run_module(capsys, {"status": ["pending", "waiting_pickup"], "older_than_days": 30, "container_id": 5, "product_name_id": ["ssl_basic"]})
    assert [order["id"] for order in result["orders"]] == [1, 3]
    assert result["count"] == 2
    for order in result["orders"]:
        assert set(order) == RESULT_ORDER_KEYS
        assert order["requests"] is None
        assert order["payment_method"] is None
        assert order["cancel_verdict"]["action"] == "cancel"
    assert the_client(fake_api).calls == [
        ("list_orders", {"container_id": 5, "status": "pending", "product_name_id": "ssl_basic"}),
        ("list_orders", {"container_id": 5, "status": "waiting_pickup", "product_name_id": "ssl_basic"}),
    ]


def test_listing_carries_the_certificate_data(capsys, fake_api):
    issued = dict(list_item(1, "issued"), price=350.0, organization={"id": 3, "name": "Example Ltd"})
    issued["certificate"].update(valid_till="2027-01-15", days_remaining=318, serial_number="0A1B2C")
    issued["container"]["name"] = "Web team"
    fake_api.listings = {"issued": [issued, list_item(2, "issued")]}
    first, second = run_module(capsys, {"status": ["issued"]})["orders"]
    assert (first["valid_till"], first["days_remaining"], first["serial_number"], first["organization_name"], first["container_name"], first["price"]) == (
        "2027-01-15",
        318,
        "0A1B2C",
        "Example Ltd",
        "Web team",
        350.0,
    )
    assert [second[field] for field in ("valid_till", "days_remaining", "serial_number", "organization_name", "container_name", "price")] == [None] * 6


def test_statuses_without_api_filter_are_filtered_here(capsys, fake_api):
    fake_api.listings = {None: [list_item(1), list_item(2, "needs_approval"), list_item(3, "expired"), list_item(4, "issued")]}
    result = run_module(capsys, {"status": ["needs_approval", "expired"]})
    assert [(order["id"], order["cancel_verdict"]["action"]) for order in result["orders"]] == [(2, "reject_request"), (3, "none")]
    assert the_client(fake_api).calls == [("list_orders", {})]


def test_issued_listing_drops_expired_orders(capsys, fake_api):
    fake_api.listings = {"issued": [list_item(1, "issued"), list_item(2, "expired")]}
    result = run_module(capsys, {"status": ["issued"]})
    assert [order["id"] for order in result["orders"]] == [1]
    assert result["orders"][0]["cancel_verdict"]["action"] == "revoke"


def test_details_read_each_listed_order(capsys, fake_api):
    pending_request = [{"id": 20, "date": days_ago(40), "type": "new_request", "status": "pending"}]
    fake_api.listings = {"pending": [dict(list_item(1), price=175), list_item(2)]}
    fake_api.orders = {1: order_info(1), 2: order_info(2, payment_method="card", requests=pending_request)}
    result = run_module(capsys, {"status": ["pending"], "details": True})
    assert the_client(fake_api).calls == [("list_orders", {"status": "pending"}), ("get_orders", [1, 2])]
    first, second = result["orders"]
    assert first["cancel_verdict"]["refund_hint"] is not None
    # The fields come from order info, which carries no price: the listing's price is kept, as documented.
    assert first["price"] == 175
    assert second["price"] is None
    assert second["requests"] == pending_request
    assert second["cancel_verdict"]["action"] == "reject_request"
    assert second["cancel_verdict"]["request_id"] == 20


@pytest.mark.parametrize("details", [False, True])
def test_listing_with_raw_returns_what_was_read_last(capsys, fake_api, details):
    fake_api.listings = {"pending": [list_item(1)]}
    fake_api.orders = {1: order_info(1)}
    result = run_module(capsys, {"status": ["pending"], "details": details, "include_raw": True})
    assert result["orders"][0]["raw"] == (fake_api.orders[1] if details else fake_api.listings["pending"][0])


def test_check_mode_gives_the_same_answer(capsys, fake_api):
    fake_api.listings = {"pending": [list_item(1)]}
    normal = run_module(capsys, {"status": ["pending"]})
    checked = run_module(capsys, {"status": ["pending"]}, check_mode=True)
    assert checked["changed"] is False
    assert checked["orders"][0]["id"] == normal["orders"][0]["id"]
    assert checked["orders"][0]["cancel_verdict"] == normal["orders"][0]["cancel_verdict"]


def test_empty_result(capsys, fake_api):
    result = run_module(capsys, {"status": ["pending"]})
    assert result["orders"] == []
    assert result["count"] == 0


# ---------------------------------------------------------------- the real client on a scripted transport


@pytest.fixture
def scripted_api(monkeypatch, tmp_path):
    """The module with the real CertCentralClient, whose HTTP goes to ``handler(query)`` instead of the network."""
    import requests
    from ansible_collections.certops.digicert.plugins.module_utils._certcentral import client as client_module
    from ansible_collections.certops.digicert.plugins.module_utils._certcentral import module_support
    from ansible_collections.certops.digicert.tests.unit.plugins.module_utils._certcentral.conftest import (
        FakeTransport,
    )

    transport = FakeTransport()

    def make_client(**options):
        session = requests.Session()
        session.mount("https://", transport)
        return client_module.CertCentralClient(session=session, sleep=lambda seconds: None, **options)

    monkeypatch.setattr(module_support, "CertCentralClient", make_client)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("DIGICERT_API_KEY", raising=False)
    return transport


def test_wrong_types_from_the_server_fail_with_a_sentence_naming_order_and_field(capsys, scripted_api):
    scripted_api.handler = lambda request: dict(body={"orders": [list_item(1), dict(list_item(2), certificate=[])], "page": {"total": 2, "limit": 1000}})
    result = run_module(capsys, {"status": ["pending"], "retries": 0, "rate_limits": []})
    assert result["failed"] is True
    assert "but order 2: its certificate is a list where an object belongs" in result["msg"]
    assert "Traceback" not in json.dumps(result) and "AttributeError" not in json.dumps(result)


def test_a_server_error_message_reaches_the_output_clean_and_short(capsys, scripted_api):
    message = "\x1b[2J\x1b[31mgone\x07" + "x" * 2000000
    scripted_api.handler = lambda request: dict(status=404, body={"errors": [{"code": "not_found|order", "message": message}]})
    result = run_module(capsys, {"order_id": 9, "rate_limits": [], "fail_on_missing": True})
    output = json.dumps(result)
    assert len(output) < 5000
    assert "\\u001b" not in output and "\\u0007" not in output
    assert result["error_message"].startswith("[2J [31mgone xxx")


def test_a_listing_in_a_moving_account_returns_every_order_once(capsys, scripted_api):
    ids = list(range(1, 31))

    def handler(request):
        query = dict(part.split("=", 1) for part in request.url.split("?", 1)[1].split("&"))
        offset = int(query["offset"])
        if offset:
            ids.append(max(ids) + 1)  # an order placed between two pages
        page = sorted(ids, reverse=True)[offset : offset + 10]  # newest first, whatever the client asked for
        return dict(body={"orders": [list_item(order_id) for order_id in page], "page": {"total": len(ids), "limit": 10, "offset": offset}})

    scripted_api.handler = handler
    result = run_module(capsys, {"status": ["pending"], "rate_limits": [], "workers": 1})
    listed = [order["id"] for order in result["orders"]]
    assert len(listed) == len(set(listed)) == result["count"]
    assert set(range(1, 31)) <= set(listed)


def test_a_key_with_a_typographic_quote_is_refused_without_quoting_it(capsys, scripted_api):
    result = run_module(capsys, {"order_id": 9, "api_key": "SECRET\u2019KEY"})
    assert result["failed"] is True
    assert "not plain printable ASCII" in result["msg"]
    assert "\u2019" not in json.dumps(result, ensure_ascii=False) and "SECRET" not in result["msg"]
    assert scripted_api.sent == []


def test_switching_verification_off_towards_digicert_warns(capsys, scripted_api, monkeypatch):
    # Where ansible-core's warnings go depends on what the test process imported before (a controller's display, or
    # the module result), so the module's warn() is watched itself.
    warned = []
    monkeypatch.setattr(digicert_order_info.AnsibleModule, "warn", lambda module, warning, **kwargs: warned.append(warning))
    scripted_api.handler = lambda request: dict(body=order_info(9))
    run_module(capsys, {"order_id": 9, "validate_certs": False, "rate_limits": []})
    expected = "validate_certs is false: the TLS certificate of https://www.digicert.com/services/v2"
    assert [warning for warning in warned if warning.startswith(expected)]
