# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every route, the documented response shapes (docs/certcentral-api.md), unknown routes and malformed bodies, and HTTP framing."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
from urllib.parse import urlsplit

import pytest

from certcentral_sim.server import IDLE_TIMEOUT_SECONDS, Simulator
from certcentral_sim.testing import running_simulator
from sim_contract import (
    BAD_REQUEST_FORMAT,
    CERTIFICATE_NOT_FOUND,
    ORDER_NOT_FOUND,
    REQUEST_NOT_FOUND,
    ROUTE_NOT_FOUND,
    TEST_REFERENCE_DATE,
    assert_error,
    closed_by_the_server_when_left_idle,
)

ORDER_INFO_FIELDS = {
    "id",
    "certificate",
    "status",
    "is_renewal",
    "is_renewed",
    "date_created",
    "organization",
    "validity_years",
    "order_valid_till",
    "disable_renewal_notifications",
    "container",
    "product",
    "organization_contact",
    "technical_contact",
    "user",
    "requests",
    "payment_method",
    "cs_provisioning_method",
    "allow_duplicates",
    "user_assignments",
    "notes",
}
LIST_ITEM_FIELDS = {
    "id",
    "certificate",
    "status",
    "is_renewed",
    "date_created",
    "organization",
    "validity_years",
    "order_validity",
    "order_valid_till",
    "disable_renewal_notifications",
    "container",
    "product",
    "has_duplicates",
    "duplicates_count",
    "has_reissues",
    "reissues_count",
    "price",
    "product_name_id",
    "number_of_sans",
    "is_multi_year_plan",
}
ISSUED_CERTIFICATE_FIELDS = {"serial_number", "thumbprint", "date_issued", "valid_from", "valid_till", "days_remaining"}


def test_order_info_of_an_issued_order_has_the_documented_shape(api, order_in):
    order_id = order_in("issued")
    response = api.get(f"/order/certificate/{order_id}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    order = response.json()
    assert set(order) >= ORDER_INFO_FIELDS
    assert order["id"] == order_id and order["status"] == "issued"
    certificate_fields = {"id", "common_name", "dns_names", "date_created", "signature_hash", "key_size", "cert_validity"}
    assert certificate_fields | ISSUED_CERTIFICATE_FIELDS <= set(order["certificate"])
    assert set(order["product"]) == {"name_id", "name", "type", "validation_type", "validation_name", "validation_description"}
    assert set(order["container"]) == {"id", "name", "is_active"}
    assert {"id", "name", "display_name", "is_active", "city", "state", "country"} == set(order["organization"])
    assert set(order["user"]) == {"id", "first_name", "last_name", "email"}
    assert order["requests"] and all(set(request) == {"id", "date", "type", "status", "comments"} for request in order["requests"])
    assert order["requests"][0]["type"] == "new_request" and order["requests"][0]["status"] == "approved"
    assert order["date_created"].endswith("+00:00") and len(order["certificate"]["valid_till"]) == 10


def test_a_pending_order_has_no_issued_certificate_data(api, order_in):
    order = api.get(f"/order/certificate/{order_in('pending')}").json()
    assert order["status"] == "pending"
    assert not ISSUED_CERTIFICATE_FIELDS & set(order["certificate"])
    assert "csr" in order["certificate"]


def test_a_waiting_pickup_order_is_a_client_certificate_without_csr(api, order_in):
    order = api.get(f"/order/certificate/{order_in('waiting_pickup')}").json()
    assert order["status"] == "waiting_pickup"
    assert order["product"]["type"] == "client_certificate"
    assert "csr" not in order["certificate"] and order["certificate"]["emails"]
    assert order["certificate"]["dns_names"] == []


def test_a_needs_approval_order_shows_its_pending_new_request(api, order_in):
    order = api.get(f"/order/certificate/{order_in('needs_approval')}").json()
    assert order["status"] == "needs_approval"
    assert [(r["type"], r["status"]) for r in order["requests"]] == [("new_request", "pending")]


def test_order_info_accepts_the_primary_certificate_thumbprint_or_serial(api, order_in):
    order = api.get(f"/order/certificate/{order_in('issued')}").json()
    for identifier in (order["certificate"]["thumbprint"], order["certificate"]["serial_number"], order["certificate"]["serial_number"].lower()):
        found = api.get(f"/order/certificate/{identifier}")
        assert found.status_code == 200 and found.json()["id"] == order["id"]


def test_a_reissued_certificate_serial_does_not_find_the_order(api, demo_data):
    order = next(o for o in demo_data["orders"] if o["status"] == "issued" and o["reissues"])
    assert_error(api.get(f"/order/certificate/{order['reissues'][0]['serial_number']}"), 404, ORDER_NOT_FOUND)


@pytest.mark.parametrize("identifier", ["1", "999999999", "not-an-order", "ABCDEF"])
def test_an_unknown_order_is_not_found(api, identifier):
    assert_error(api.get(f"/order/certificate/{identifier}"), 404, ORDER_NOT_FOUND)


def test_list_items_are_the_documented_subset(api):
    body = api.get("/order/certificate", params={"limit": 50}).json()
    assert set(body) == {"orders", "page"}
    for item in body["orders"]:
        assert set(item) == LIST_ITEM_FIELDS
        assert set(item["product"]) == {"name_id", "name", "type"}
        assert set(item["organization"]) == {"id", "name"}
        assert item["number_of_sans"] == len(item["certificate"]["dns_names"])
        assert item["is_multi_year_plan"] in ("0", "1")
        assert {"id", "common_name", "dns_names", "signature_hash"} <= set(item["certificate"])


def test_list_item_agrees_with_order_info(api, order_in):
    order_id = order_in("issued")
    item = api.get("/order/certificate", params={"filters[id]": order_id}).json()["orders"][0]
    info = api.get(f"/order/certificate/{order_id}").json()
    for field in ("id", "status", "is_renewed", "date_created", "order_valid_till", "disable_renewal_notifications", "container"):
        assert item[field] == info[field]
    assert item["product"] == {key: info["product"][key] for key in ("name_id", "name", "type")}
    for field in ("id", "common_name", "dns_names", "valid_till", "serial_number", "days_remaining"):
        assert item["certificate"][field] == info["certificate"][field]


def test_reissue_list_of_a_reissue_pending_order(api, order_in):
    response = api.get(f"/order/certificate/{order_in('reissue_pending')}/reissue")
    assert response.status_code == 200
    certificates = response.json()["certificates"]
    assert [entry["status"] for entry in certificates][-1] == "pending"
    assert {
        "id",
        "common_name",
        "dns_names",
        "status",
        "date_created",
        "key_size",
        "user_id",
        "email",
        "firstname",
        "lastname",
        "receipt_id",
        "purchased_dns_names",
        "purchased_wildcard_names",
    } <= set(certificates[-1])


def test_reissue_list_of_an_order_without_reissues_is_empty(api, demo_data):
    order = next(o for o in demo_data["orders"] if o["status"] == "pending")
    assert api.get(f"/order/certificate/{order['id']}/reissue").json() == {"certificates": []}


def test_request_list_defaults_to_every_request_with_limit_zero(api, demo_data):
    body = api.get("/request").json()
    assert body["page"] == {"total": len(demo_data["requests"]), "limit": 0, "offset": 0}
    assert len(body["requests"]) == len(demo_data["requests"])
    item = body["requests"][0]
    assert {"id", "date", "type", "status", "requester", "order"} <= set(item)
    assert set(item["order"]) == {"id", "certificate", "organization", "container", "product"}


def test_request_list_filters_sorts_and_pages(api, demo_data):
    pending = sorted((r for r in demo_data["requests"] if r["status"] == "pending"), key=lambda r: r["id"], reverse=True)
    body = api.get("/request", params={"filters[status]": "pending", "sort": "-id", "limit": 5, "offset": 1}).json()
    assert body["page"] == {"total": len(pending), "limit": 5, "offset": 1}
    assert [item["id"] for item in body["requests"]] == [r["id"] for r in pending[1:6]]
    reissues = api.get("/request", params={"filters[type]": "reissue", "filters[status]": "pending"}).json()
    assert {item["type"] for item in reissues["requests"]} == {"reissue"}
    order_requests = api.get("/request", params={"filters[order_id]": pending[0]["order_id"]}).json()["requests"]
    assert pending[0]["id"] in [item["id"] for item in order_requests]


def test_request_list_refuses_an_unknown_filter(api):
    response = api.get("/request", params={"filters[container_id]": "1"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_param|filters[container_id]"


def test_request_info_has_the_documented_shape(api, demo_data):
    request = next(r for r in demo_data["requests"] if r["status"] == "rejected")
    body = api.get(f"/request/{request['id']}").json()
    assert {"id", "date", "type", "status", "date_processed", "requester", "processor", "order", "comments", "processor_comment"} <= set(body)
    assert body["order"]["id"] == request["order_id"] and body["order"]["unsubmitted_domains"] == []
    assert body["processor_comment"] == request["processor_comment"]


def test_a_pending_request_has_no_processing_fields(api, demo_data):
    request = next(r for r in demo_data["requests"] if r["status"] == "pending")
    body = api.get(f"/request/{request['id']}").json()
    assert "date_processed" not in body and "processor" not in body


@pytest.mark.parametrize("identifier", ["1", "nope"])
def test_an_unknown_request_is_not_found(api, identifier):
    assert_error(api.get(f"/request/{identifier}"), 404, REQUEST_NOT_FOUND)
    assert_error(api.put(f"/request/{identifier}/status", {"status": "approved"}), 404, REQUEST_NOT_FOUND)


def test_unknown_certificate_for_revoke_is_not_found(api):
    assert_error(api.put("/certificate/123/revoke", {"skip_approval": True}), 404, CERTIFICATE_NOT_FOUND)


def test_user_me_api_roles_and_balance(api):
    me = api.get("/user/me").json()
    assert me["access_roles"] == [{"id": 1, "name": "Administrator"}]
    assert {"id", "first_name", "last_name", "email", "container"} <= set(me)
    assert api.get("/key/api-roles").json() == {
        "access_roles": [{"id": 100, "name": "Orders"}, {"id": 101, "name": "Orders, Domains, Organizations"}, {"id": 102, "name": "View Only"}]
    }
    balance = api.get("/finance/balance").json()
    assert set(balance) == {
        "balance",
        "currency",
        "unpaid_invoice_balance",
        "negative_balance_limit",
        "used_credit_from_other_containers",
        "total_available_funds",
    }
    assert all(isinstance(value, str) for value in balance.values())


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/order"),
        ("GET", "/order/certificate/"),
        ("GET", "/order/certificate/1/status"),
        ("GET", "/account"),
        ("POST", "/order/certificate"),
        ("PUT", "/order/certificate"),
        ("DELETE", "/order/certificate/1"),
        ("POST", "/order/certificate/1/reissue"),
        ("DELETE", "/order/certificate/1/reissue"),
        ("PATCH", "/request/1/status"),
        ("OPTIONS", "/user/me"),
        ("PROPFIND", "/order/certificate"),
    ],
)
def test_unknown_routes_and_unserved_methods_are_route_not_found(api, method, path):
    assert_error(api.request(method, path), 404, ROUTE_NOT_FOUND)


def test_paths_outside_the_api_are_route_not_found(simulator, api):
    response = api.session.get(simulator.base_url.replace("/services/v2", "/services/v3/order/certificate"), timeout=10)
    assert_error(response, 404, ROUTE_NOT_FOUND)


def test_head_answers_headers_only(api):
    response = api.request("HEAD", "/order/certificate")
    assert response.status_code == 404 and response.content == b""
    assert int(response.headers["Content-Length"]) == len(json.dumps(ROUTE_NOT_FOUND, separators=(",", ":")))


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"\xff\xfe", b'"canceled"'])
def test_a_malformed_body_is_bad_request_format(api, order_in, body):
    response = api.request("PUT", f"/order/certificate/{order_in('pending')}/status", data=body, headers={"Content-Type": "application/json"})
    assert_error(response, 400, BAD_REQUEST_FORMAT)


def test_every_answer_has_a_content_length_and_no_content_means_an_empty_body(api, order_in):
    listed = api.get("/order/certificate", params={"limit": 3})
    assert int(listed.headers["Content-Length"]) == len(listed.content)
    canceled = api.put(f"/order/certificate/{order_in('pending')}/status", {"status": "canceled", "note": "framing"})
    assert canceled.status_code == 204
    assert canceled.headers["Content-Length"] == "0" and canceled.content == b""
    assert "Content-Type" not in canceled.headers


def test_one_keep_alive_connection_serves_many_requests(simulator, admin_key, order_in):
    url = urlsplit(simulator.base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        headers = {"X-DC-DEVKEY": admin_key}
        for path in ("/order/certificate?limit=1", "/nowhere", "/user/me"):
            connection.request("GET", url.path + path, headers=headers)
            answer = connection.getresponse()
            answer.read()
            assert not answer.will_close
        socket_before = connection.sock
        body = json.dumps({"status": "canceled", "note": "keep-alive"})
        connection.request("PUT", f"{url.path}/order/certificate/{order_in('pending')}/status", body=body, headers=headers)
        answer = connection.getresponse()
        assert answer.status == 204 and answer.read() == b""
        assert connection.sock is socket_before
    finally:
        connection.close()


def test_a_keep_alive_connection_left_idle_past_the_idle_timeout_is_closed(admin_key):
    with running_simulator(rate_limits=[], orders=20, reference_date=TEST_REFERENCE_DATE, idle_timeout=0.2) as sim:
        assert closed_by_the_server_when_left_idle(sim.base_url, admin_key)
        # And the next client is served as before, on a new connection.
        assert closed_by_the_server_when_left_idle(sim.base_url, admin_key)


def test_a_request_line_that_is_not_http_is_answered_with_400(simulator):
    # A TLS greeting on the plain port, as a client sends when its api_url says https:// by mistake: the client must
    # get an answer (which its TLS library reports as not TLS), not a connection closed by a crashed handler.
    address = urlsplit(simulator.base_url)
    with socket.create_connection((address.hostname, address.port), timeout=5) as connection:
        connection.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not an http request line\r\n\r\n")
        answer = connection.recv(4096)
    # http.server answers a request line it cannot parse in HTTP/0.9 style, the error page alone.
    assert b"400" in answer


def test_the_idle_timeout_is_the_documented_default_unless_set(simulator):
    assert simulator.simulator.idle_timeout == IDLE_TIMEOUT_SECONDS
    docs = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "docs")
    stated = []
    for name, pattern in [
        ("simulator.md", r"`--idle-timeout SECONDS` \| Close a keep-alive connection that stays idle this long; default (\d+) seconds"),
        ("simulator.md", r"\| 65 \| Connections \| A keep-alive connection idle for (\d+) seconds"),
        ("certcentral-api.md", r"\*\*Simulator:\*\* closes a keep-alive connection idle for (\d+) seconds"),
    ]:
        with open(os.path.join(docs, name), encoding="utf-8") as document:
            found = re.findall(pattern, " ".join(document.read().split()))
        assert found, f"docs/{name} no longer states the idle timeout as /{pattern}/ looks for it"
        stated.extend(found)
    assert {float(seconds) for seconds in stated} == {IDLE_TIMEOUT_SECONDS}


@pytest.mark.parametrize("idle_timeout", [0, -1, float("nan"), float("inf")])
def test_an_idle_timeout_of_no_time_is_refused(idle_timeout):
    with pytest.raises(ValueError, match="idle timeout must be more than 0 seconds"):
        Simulator({"orders": []}, idle_timeout=idle_timeout)


def test_a_chunked_request_body_is_read(simulator, admin_key, order_in):
    url = urlsplit(simulator.base_url)
    order_id = order_in("pending")
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        chunks = iter([b'{"status": "canceled", ', b'"note": "chunked"}'])
        connection.request(
            "PUT",
            f"{url.path}/order/certificate/{order_id}/status",
            body=chunks,
            headers={"X-DC-DEVKEY": admin_key, "Content-Type": "application/json"},
            encode_chunked=True,
        )
        assert connection.getresponse().status == 204
    finally:
        connection.close()
    assert simulator.order_status(order_id) == "canceled"
