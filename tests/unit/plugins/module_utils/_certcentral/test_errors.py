# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.errors import (
    MAX_SERVER_TEXT,
    CertCentralError,
    clean_server_text,
    describe_bad_response,
    describe_call,
    describe_http_failure,
    describe_transport_failure,
    scrub_secret,
)


def test_error_is_its_sentence_and_keeps_the_facts():
    error = CertCentralError(
        "Order 7 does not exist.",
        http_status=404,
        error_code="not_found|order",
        error_message="Order not found.",
        method="GET",
        path="/order/certificate/7",
        order_id=7,
        attempts=1,
    )
    assert str(error) == "Order 7 does not exist."
    assert error.to_result() == {
        "http_status": 404,
        "http_method": "GET",
        "http_path": "/order/certificate/7",
        "http_attempts": 1,
        "error_code": "not_found|order",
        "error_message": "Order not found.",
        "order_id": 7,
        "request_id": None,
        "outcome_unknown": False,
    }


@pytest.mark.parametrize(
    "text, expected",
    [
        ("key=SECRET and SECRET again", "key=******** and ******** again"),
        ("nothing to hide", "nothing to hide"),
        (None, None),
        (403, "403"),
    ],
)
def test_scrub_secret(text, expected):
    assert scrub_secret(text, "SECRET") == expected


def test_scrub_without_secret_keeps_text():
    assert scrub_secret("text", "") == "text"


@pytest.mark.parametrize(
    "order_id, request_id, expected",
    [
        (7, None, "PUT /order/certificate/7/status for order 7"),
        (None, 55, "PUT /order/certificate/7/status for request 55"),
        (None, None, "PUT /order/certificate/7/status"),
    ],
)
def test_describe_call(order_id, request_id, expected):
    assert describe_call("PUT", "/order/certificate/7/status", order_id, request_id) == expected


def test_unknown_outcome_says_to_read_back():
    message = describe_http_failure(502, None, None, "PUT", "/order/certificate/7/status", order_id=7, outcome_unknown=True)
    assert message == (
        "CertCentral answered PUT /order/certificate/7/status for order 7 with HTTP 502, so the change "
        "may or may not have been applied. Read order 7 back (for example with "
        "certops.digicert.digicert_order_info) before trying again."
    )


def test_unknown_outcome_of_a_request_change():
    message = describe_http_failure(500, None, None, "PUT", "/request/55/status", request_id=55, outcome_unknown=True)
    assert message.endswith("Check request 55 in CertCentral before trying again.")


def test_other_access_denial():
    message = describe_http_failure(403, "access_denied", "Denied.", "GET", "/order/certificate/7", order_id=7)
    assert message == (
        "CertCentral denied GET /order/certificate/7 for order 7 (HTTP 403 access_denied). Check the "
        'permissions and role restrictions of the API key. CertCentral said: "Denied."'
    )


def test_generic_not_found():
    assert describe_http_failure(404, "not_found", None, "GET", "/x").startswith("CertCentral found nothing for GET /x (HTTP 404 not_found).")


def test_not_found_order_names_the_order_once_and_quotes_digicert():
    message = describe_http_failure(404, "not_found|order", "The order was not found.", "GET", "/order/certificate/7", order_id=7)
    assert message == (
        "Order 7 does not exist or is not in this account (HTTP 404 not_found|order on GET "
        "/order/certificate/7). Check the order ID, and that api_key and api_url belong to the account "
        'and region that placed the order. CertCentral said: "The order was not found."'
    )


def test_not_found_order_without_order_id():
    assert describe_http_failure(404, "not_found|order", None, "GET", "/x").startswith("The order does not exist")


def test_redirect_without_location():
    assert "with a redirect (HTTP 302). Redirects are not followed" in describe_http_failure(302, None, None, "GET", "/x")


@pytest.mark.parametrize(
    "kind, attempts, expected",
    [
        ("connect_timeout", 1, "Could not connect to api_url https://x/services/v2 for GET /y on the only attempt: slow."),
        ("connect_failed", 3, "Could not connect to api_url https://x/services/v2 for GET /y after 3 attempts: slow."),
        ("connection_dropped", 2, "GET /y lost its connection after 2 attempts: slow. Run again later."),
        ("proxy_failed", 2, "Could not reach api_url https://x/services/v2 through the proxy for GET /y after 2 attempts: slow. Check the proxy settings"),
    ],
)
def test_transport_failures(kind, attempts, expected):
    assert describe_transport_failure(kind, "slow", "GET", "/y", "https://x/services/v2", 60, attempts=attempts).startswith(expected)


@pytest.mark.parametrize(
    "kind, detail",
    [
        ("tls_failed", "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)"),
        ("tls_failed", "[SSL] record layer failure (_ssl.c:1000)"),
        ("tls_broken", "[SSL: UNKNOWN_PROTOCOL] unknown protocol"),
        # Python's http.server, among others, closes the connection on a TLS greeting.
        ("tls_failed", "[SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation of protocol (_ssl.c:1006)"),
        # The same with Debian's Python 3.11 and its OpenSSL.
        ("tls_failed", "TLS/SSL connection has been closed (EOF) (_ssl.c:992)"),
    ],
)
def test_https_to_a_port_that_does_not_speak_tls_points_to_api_url(kind, detail):
    message = describe_transport_failure(kind, detail, "GET", "/y", "https://127.0.0.1:8080/services/v2", 60)
    assert message.startswith("api_url https://127.0.0.1:8080/services/v2 did not answer GET /y in TLS (")
    assert "the port probably speaks plain http or another protocol. Check api_url" in message
    assert "set ca_path" not in message


def test_a_connection_cut_after_the_request_was_sent_is_not_blamed_on_the_port():
    message = describe_transport_failure("tls_broken", "EOF occurred in violation of protocol", "GET", "/y", "https://x/services/v2", 60)
    assert message.startswith("GET /y lost its connection")


def test_a_certificate_failure_still_points_to_ca_path():
    message = describe_transport_failure("tls_failed", "certificate verify failed", "GET", "/y", "https://x/services/v2", 60)
    assert "set ca_path to a bundle with that CA" in message
    assert "plain http" not in message


def test_bad_response():
    assert describe_bad_response("the body is not JSON", 200, "GET", "/y") == (
        "CertCentral answered GET /y with HTTP 200, but the body is not JSON. Nothing was done with what it sent. "
        "Check that api_url points to the CertCentral Services API v2; if it does and this persists, ask DigiCert "
        "Support about it."
    )


def test_bad_response_to_a_change_says_to_read_back():
    assert describe_bad_response("the body is not JSON", 201, "PUT", "/order/certificate/7/revoke", order_id=7, outcome_unknown=True) == (
        "CertCentral answered PUT /order/certificate/7/revoke for order 7 with HTTP 201, but the body is not JSON, so "
        "whether the change was applied cannot be told from the answer. Read order 7 back (for example with "
        "certops.digicert.digicert_order_info) before trying again."
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Order not found.", "Order not found."),
        ("  two\nlines\r\nand\ttabs  ", "two lines and tabs"),
        ("\x1b[31mred\x1b[0m alert\x07", "[31mred [0m alert"),
        ("safe\u202etxt.exe", "safe txt.exe"),
        ("nul\x00byte and DEL\x7f", "nul byte and DEL"),
        (None, None),
        (404, "404"),
    ],
)
def test_server_text_loses_control_characters(text, expected):
    assert clean_server_text(text) == expected


def test_server_text_is_cut_to_a_sane_length():
    huge = "A" * (2 * 1024 * 1024)
    cleaned = clean_server_text(huge)
    assert cleaned == "A" * MAX_SERVER_TEXT + f"... ({len(huge) - MAX_SERVER_TEXT} more characters left out)"
    assert clean_server_text("x" * 30, limit=10) == "x" * 10 + "... (20 more characters left out)"


def test_a_huge_error_message_is_quoted_short_and_clean():
    message = describe_http_failure(400, "invalid_status", "\x1b]0;owned\x07" + "B" * 3000000, "PUT", "/x")
    assert len(message) < 1000
    assert "\x1b" not in message and "\x07" not in message
