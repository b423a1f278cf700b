# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import contextlib
import http.server
import json
import socket
import ssl
import threading
import weakref

import pytest
import requests
import urllib3
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError, ProtocolError

from ansible_collections.certops.digicert.plugins.module_utils._certcentral import client as client_module
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.client import (
    DEFAULT_WORKERS,
    CertCentralClient,
    validate_api_key,
    validate_api_url,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.errors import CertCentralError


# ---------------------------------------------------------------- api_url and api_key


@pytest.mark.parametrize(
    "api_url, expected",
    [
        ("https://www.digicert.com/services/v2", "https://www.digicert.com/services/v2"),
        ("https://certcentral.digicert.eu/services/v2/", "https://certcentral.digicert.eu/services/v2"),
        ("https://proxy.example.com:8443/digicert/services/v2", "https://proxy.example.com:8443/digicert/services/v2"),
        ("http://127.0.0.1:8080/services/v2", "http://127.0.0.1:8080/services/v2"),
        ("http://127.42.0.9/services/v2", "http://127.42.0.9/services/v2"),
        ("http://[::1]:8080/services/v2", "http://[::1]:8080/services/v2"),
        ("http://localhost:8080/services/v2", "http://localhost:8080/services/v2"),
        ("http://LOCALHOST/services/v2", "http://LOCALHOST/services/v2"),
    ],
)
def test_api_url_accepted(api_url, expected):
    assert validate_api_url(api_url) == expected


@pytest.mark.parametrize(
    "api_url, problem",
    [
        ("http://www.digicert.com/services/v2", "only allowed for loopback hosts"),
        ("http://10.0.0.1/services/v2", "only allowed for loopback hosts"),
        ("http://127.0.0.1.example.com/services/v2", "only allowed for loopback hosts"),
        ("http://[::2]/services/v2", "only allowed for loopback hosts"),
        ("ftp://www.digicert.com/services/v2", "must start with https://"),
        ("www.digicert.com/services/v2", "must start with https://"),
        ("https:///services/v2", "has no host name"),
        ("https://user:secret@www.digicert.com/services/v2", "must not contain credentials"),
        ("https://www.digicert.com/services/v2?x=1", "query string"),
        ("https://www.digicert.com/services/v2#top", "query string or fragment"),
        ("https://www.digicert.com:99999/services/v2", "cannot be parsed"),
        ("https://www.digicert.com:0/services/v2", "cannot be parsed"),
        ("https://[::1/services/v2", "cannot be parsed"),
    ],
)
def test_api_url_refused_with_a_clear_reason(api_url, problem):
    with pytest.raises(CertCentralError) as caught:
        validate_api_url(api_url)
    assert problem in str(caught.value)
    assert "https://certcentral.digicert.eu/services/v2" in str(caught.value)


def test_refused_api_url_fails_before_any_request(make_client, transport):
    with pytest.raises(CertCentralError, match="only allowed for loopback hosts"):
        make_client(api_url="http://certcentral.example.com/services/v2")
    assert transport.sent == []


@pytest.mark.parametrize(
    "api_key, problem",
    [
        ("", "api_key is empty"),
        ("abc\n", "whitespace or control characters"),
        (" abc", "whitespace or control characters"),
        ("ab\x00c", "whitespace or control characters"),
        ("abc\u2019def", "not plain printable ASCII"),
        ("abc\u0435def", "not plain printable ASCII"),
    ],
)
def test_unusable_api_key_is_refused_without_showing_it(api_key, problem):
    with pytest.raises(CertCentralError) as caught:
        validate_api_key(api_key)
    assert problem in str(caught.value)
    if api_key.strip():
        assert api_key.strip() not in str(caught.value)


# ---------------------------------------------------------------- plain calls


def test_get_sends_key_header_and_decodes_json(make_client, transport, api_key):
    transport.answer(body={"id": 7, "status": "pending"})
    client = make_client()
    assert client.get_order(7) == {"id": 7, "status": "pending"}
    request = transport.sent[0]
    assert request.method == "GET"
    assert request.url == "https://certcentral.test/services/v2/order/certificate/7"
    assert request.headers["X-DC-DEVKEY"] == api_key
    assert request.headers["Accept"] == "application/json"
    assert "certops.digicert" in request.headers["User-Agent"]


def test_put_sends_json_and_accepts_204(make_client, transport):
    transport.answer(status=204)
    make_client().cancel_order(7, "never used")
    request = transport.sent[0]
    assert request.method == "PUT"
    assert request.url.endswith("/order/certificate/7/status")
    assert json.loads(request.body) == {"status": "canceled", "note": "never used"}
    assert request.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "comment, expected_body",
    [
        ("duplicate request", {"status": "rejected", "processor_comment": "duplicate request"}),
        (None, {"status": "rejected"}),
    ],
)
def test_reject_request_puts_rejected_status(make_client, transport, comment, expected_body):
    transport.answer(status=204)
    make_client().reject_request(55, comment)
    assert transport.sent[0].url.endswith("/request/55/status")
    assert json.loads(transport.sent[0].body) == expected_body


def test_revoke_order_returns_the_revoke_request_it_created(make_client, transport):
    created = {
        "id": 7000001,
        "date": "2026-01-15T10:00:00+00:00",
        "type": "revoke",
        "status": "pending",
        "requester": {"id": 1002},
        "comments": "Host decommissioned",
    }
    transport.answer(status=201, body=created)
    assert make_client().revoke_order(7, "Host decommissioned") == created
    request = transport.sent[0]
    assert request.method == "PUT"
    assert request.url.endswith("/order/certificate/7/revoke")
    assert json.loads(request.body) == {"comments": "Host decommissioned", "skip_approval": False}


def test_revoke_order_with_skip_approval_and_a_reason_returns_none_for_204(make_client, transport):
    transport.answer(status=204)
    assert make_client().revoke_order(8, "Key leaked", revocation_reason="key_compromise", skip_approval=True) is None
    assert json.loads(transport.sent[0].body) == {"comments": "Key leaked", "skip_approval": True, "revocation_reason": "key_compromise"}


def test_revoke_order_refused_for_the_key_names_the_order(make_client, transport):
    transport.answer(status=403, body={"errors": [{"code": "access_denied|missing_permission", "message": "No."}]})
    with pytest.raises(CertCentralError) as caught:
        make_client().revoke_order(9, "Retired", skip_approval=True)
    assert (caught.value.http_status, caught.value.order_id, caught.value.outcome_unknown) == (403, 9, False)
    assert caught.value.path == "/order/certificate/9/revoke"


class RecordingPacer:
    """Records when each slot begins and ends, next to what the transport sent."""

    def __init__(self, transport):
        self.transport = transport
        self.events = []
        self.holds = 0

    @contextlib.contextmanager
    def slot(self):
        self.events.append(("slot", len(self.transport.sent)))
        try:
            yield
        finally:
            self.events.append(("answered", len(self.transport.sent)))

    def hold_after_rejection(self):
        self.holds += 1
        return 6.0


def test_every_attempt_holds_a_slot_of_the_pacer_until_its_answer(make_client, transport):
    pacer = RecordingPacer(transport)
    transport.answer(status=503)
    transport.answer(body={"id": 1})
    make_client(pacer=pacer).get_order(1)
    assert pacer.events == [("slot", 0), ("answered", 1), ("slot", 1), ("answered", 2)]


def test_an_attempt_that_fails_to_connect_gives_its_slot_back(make_client, transport):
    pacer = RecordingPacer(transport)
    transport.fail(requests.exceptions.ConnectionError("refused"))
    transport.answer(body={"id": 1})
    make_client(pacer=pacer).get_order(1)
    assert pacer.events == [("slot", 0), ("answered", 1), ("slot", 1), ("answered", 2)]


class SteppedDeadlines:
    """transport.Deadlines on a clock that moves only when a test moves it: each move expires the attempts whose
    deadline it passed, as the real watcher thread would."""

    def __init__(self):
        self.now = 0.0
        self.watched = []

    def watch(self, attempt, seconds):
        self.watched.append((self.now + seconds, attempt))

    def advance(self, seconds):
        self.now += seconds
        for deadline, attempt in self.watched:
            if deadline <= self.now:
                attempt.expire()


class WaitingPacer:
    """Makes every request wait ``wait_seconds`` for a rate-limit window before its slot (on the deadlines' clock)."""

    def __init__(self, deadlines, wait_seconds=135):
        self.deadlines = deadlines
        self.wait_seconds = wait_seconds

    @contextlib.contextmanager
    def slot(self):
        self.deadlines.advance(self.wait_seconds)
        yield

    def hold_after_rejection(self):
        return 0.0


@pytest.fixture
def stepped_deadlines(monkeypatch):
    deadlines = SteppedDeadlines()
    monkeypatch.setattr(client_module, "DEADLINES", deadlines)
    return deadlines


def test_the_wait_for_the_pacer_does_not_count_against_the_timeout(make_client, transport, warnings_seen, stepped_deadlines):
    transport.answer(body={"id": 1})
    client = make_client(pacer=WaitingPacer(stepped_deadlines), timeout=60)
    assert client.get_order(1) == {"id": 1}
    assert len(transport.sent) == 1
    assert warnings_seen == []
    # The deadline was set when the request went out, after the wait: timeout seconds from then.
    assert [deadline for deadline, _attempt in stepped_deadlines.watched] == [135 + 60]


def test_a_change_sent_after_a_long_wait_for_the_pacer_is_not_cut_off(api_key, stepped_deadlines):
    # Over a real pooled connection, as users met it: a deadline that passed during the wait shut the connection
    # down as the request went out, and the change had an unknown outcome.
    warnings_seen = []
    pacer = WaitingPacer(stepped_deadlines, wait_seconds=0)
    with _loopback_server([(200, {"id": 3, "status": "pending"}), (204, None)]) as server:
        client = _loopback_client(server.server_address[1], api_key, pacer=pacer, timeout=60, warn=warnings_seen.append)
        client.get_order(3)
        pacer.wait_seconds = 135
        client.cancel_order(3, "test")
    assert [seen["method"] for seen in server.seen] == ["GET", "PUT"]
    assert warnings_seen == []


def test_body_that_is_not_json_is_read_again_then_reported(make_client, transport, warnings_seen):
    transport.answer(text="<html>maintenance</html>")
    transport.answer(text="<html>maintenance</html>")
    with pytest.raises(CertCentralError) as caught:
        make_client(retries=1).get("/order/certificate/1", order_id=1)
    assert "the body is not JSON (on each of 2 attempts)" in str(caught.value)
    assert "api_url" in str(caught.value)
    assert caught.value.outcome_unknown is False
    assert len(warnings_seen) == 1


def test_a_change_answered_with_an_unreadable_body_has_unknown_outcome(make_client, transport):
    transport.answer(status=201, text="<html>accepted</html>")
    with pytest.raises(CertCentralError) as caught:
        make_client().revoke_order(7, "Retired")
    assert len(transport.sent) == 1
    assert caught.value.outcome_unknown is True
    assert "whether the change was applied cannot be told from the answer" in str(caught.value)
    assert "Read order 7 back" in str(caught.value)


def test_get_order_refuses_a_body_that_is_not_an_order(make_client, transport):
    transport.answer(body={"errors": []})
    with pytest.raises(CertCentralError, match="the body is not an order"):
        make_client(retries=0).get_order(1)


@pytest.mark.parametrize(
    "order, problem",
    [
        ({"id": 7, "requests": {"id": 1}}, "order 7: its requests is an object where a list belongs"),
        ({"id": 7, "requests": [{"id": "55", "type": "new_request"}]}, "order 7: its requests[0].id is text where a number belongs"),
        ({"id": 7, "status": 4}, "order 7: its status is a number where text belongs"),
        ({"id": 7, "product": "ssl_basic"}, "order 7: its product is text where an object belongs"),
    ],
)
def test_order_info_with_wrong_types_names_the_order_and_the_field(make_client, transport, order, problem):
    transport.handler = lambda request: dict(body=order)
    with pytest.raises(CertCentralError) as caught:
        make_client(retries=0).get_order(7)
    assert str(caught.value) == (
        f"CertCentral answered GET /order/certificate/7 for order 7 with HTTP 200, but {problem}. "
        "Nothing was done with what it sent. Check that api_url points to the CertCentral "
        "Services API v2; if it does and this persists, ask DigiCert Support about it."
    )
    assert caught.value.order_id == 7


def test_redirect_is_not_followed(make_client, transport):
    transport.answer(status=301, headers={"Location": "https://elsewhere.test/services/v2/order/certificate/1"})
    with pytest.raises(CertCentralError) as caught:
        make_client().get_order(1)
    assert len(transport.sent) == 1
    assert "redirect" in str(caught.value)
    assert "https://elsewhere.test/services/v2/order/certificate/1" in str(caught.value)
    assert caught.value.http_status == 301


# ---------------------------------------------------------------- retries of GET


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_get_is_retried_on_throttling_and_server_errors(make_client, transport, warnings_seen, status):
    transport.answer(status=status)
    transport.answer(body={"id": 5})
    assert make_client().get_order(5) == {"id": 5}
    assert len(transport.sent) == 2
    assert len(warnings_seen) == 1
    assert warnings_seen[0].startswith(f"GET /order/certificate/5 for order 5 was answered with HTTP {status}")
    assert "retry 1 of 5" in warnings_seen[0]


@pytest.mark.parametrize(
    "exception",
    [
        requests.exceptions.ConnectTimeout("connect timed out"),
        requests.exceptions.ReadTimeout("read timed out"),
        requests.exceptions.ConnectionError(ProtocolError("Connection aborted.", ConnectionResetError(104, "reset"))),
        requests.exceptions.ConnectionError(MaxRetryError(None, "/x", NewConnectionError(None, "[Errno 111] refused"))),
        requests.exceptions.ChunkedEncodingError("incomplete chunk"),
    ],
)
def test_get_is_retried_on_connection_failures(make_client, transport, warnings_seen, exception):
    transport.fail(exception)
    transport.answer(body={"id": 5})
    assert make_client().get_order(5) == {"id": 5}
    assert len(warnings_seen) == 1
    assert warnings_seen[0].startswith("GET /order/certificate/5 for order 5 failed (")


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409])
def test_get_is_not_retried_on_client_errors(make_client, transport, warnings_seen, status):
    transport.answer(status=status, body={"errors": [{"code": "some_code", "message": "Some message."}]})
    with pytest.raises(CertCentralError) as caught:
        make_client().get_order(5)
    assert len(transport.sent) == 1
    assert warnings_seen == []
    assert caught.value.http_status == status
    assert caught.value.error_code == "some_code"
    assert caught.value.error_message == "Some message."
    assert caught.value.attempts == 1
    assert caught.value.outcome_unknown is False


def test_backoff_grows_exponentially_with_jitter_and_a_cap(make_client, transport, recorded_sleep):
    for _dummy in range(8):
        transport.answer(status=503)
    transport.answer(body={"id": 5})
    make_client(retries=8, jitter=lambda: 1.0).get_order(5)
    assert recorded_sleep.waits == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]


def test_backoff_waits_at_least_half_a_step(make_client, transport, recorded_sleep):
    transport.answer(status=503)
    transport.answer(status=503)
    transport.answer(body={"id": 5})
    make_client(jitter=lambda: 0.0).get_order(5)
    assert recorded_sleep.waits == [0.5, 1.0]


def test_server_error_that_does_not_clear_is_reported_after_all_attempts(make_client, transport, warnings_seen):
    for _dummy in range(3):
        transport.answer(status=503, text="<html>Service Unavailable</html>")
    with pytest.raises(CertCentralError) as caught:
        make_client(retries=2).get_order(5)
    assert len(transport.sent) == 3
    assert len(warnings_seen) == 2
    assert caught.value.attempts == 3
    assert caught.value.http_status == 503
    assert str(caught.value) == (
        "CertCentral answered GET /order/certificate/5 for order 5 with HTTP 503 on each of 3 attempts. The service is having trouble; run again later."
    )


def test_zero_retries_means_one_attempt(make_client, transport, warnings_seen):
    transport.answer(status=503)
    with pytest.raises(CertCentralError):
        make_client(retries=0).get_order(5)
    assert len(transport.sent) == 1
    assert warnings_seen == []


def test_throttling_that_does_not_clear_is_reported(make_client, transport):
    for _dummy in range(2):
        transport.answer(status=429, body={"errors": [{"code": "request_limit_exceeded", "message": "Service unavailable, please limit request volume"}]})
    with pytest.raises(CertCentralError) as caught:
        make_client(retries=1).get_order(5)
    message = str(caught.value)
    assert "kept refusing GET /order/certificate/5 for order 5" in message
    assert "request_limit_exceeded" in message
    assert "after 2 attempts" in message
    assert "rate_limits" in message


def test_throttling_holds_back_for_the_pacing_window(make_client, transport, recorded_sleep, warnings_seen):
    pacer = RecordingPacer(transport)
    transport.answer(status=429)
    transport.answer(body={"id": 5})
    make_client(pacer=pacer).get_order(5)
    assert pacer.holds == 1
    assert recorded_sleep.waits == [6.0]
    assert "retrying in 6.0 seconds" in warnings_seen[0]


def test_read_timeout_of_get_that_does_not_clear(make_client, transport):
    for _dummy in range(2):
        transport.fail(requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(CertCentralError) as caught:
        make_client(retries=1, timeout=7).get_order(5)
    assert str(caught.value) == ("GET /order/certificate/5 for order 5 got no answer within 7 seconds after 2 attempts. Raise timeout, or run again later.")
    assert caught.value.outcome_unknown is False


def _certificate_rejected():
    verification = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate")
    return requests.exceptions.SSLError(MaxRetryError(None, "/x", urllib3.exceptions.SSLError(verification)))


def test_tls_failure_is_not_retried_and_points_at_ca_path(make_client, transport, warnings_seen):
    transport.fail(_certificate_rejected())
    with pytest.raises(CertCentralError) as caught:
        make_client().get_order(5)
    assert len(transport.sent) == 1
    assert warnings_seen == []
    assert "certificate verify failed" in str(caught.value)
    assert "ca_path" in str(caught.value)
    assert "validate_certs" in str(caught.value)


# ---------------------------------------------------------------- retries of PUT


def test_put_is_retried_after_throttling(make_client, transport, warnings_seen):
    transport.answer(status=429, body={"errors": [{"code": "request_limit_exceeded", "message": "slow down"}]})
    transport.answer(status=204)
    make_client().cancel_order(7, "note")
    assert len(transport.sent) == 2
    assert warnings_seen[0].startswith("PUT /order/certificate/7/status for order 7 was answered with HTTP 429 (request_limit_exceeded)")


@pytest.mark.parametrize(
    "exception",
    [
        requests.exceptions.ConnectTimeout("connect timed out"),
        requests.exceptions.ConnectionError(MaxRetryError(None, "/x", NewConnectionError(None, "[Errno 111] refused"))),
        requests.exceptions.ConnectionError(MaxRetryError(None, "/x", ConnectTimeoutError("timed out connecting"))),
    ],
)
def test_put_is_retried_when_it_never_reached_the_server(make_client, transport, exception):
    transport.fail(exception)
    transport.answer(status=204)
    make_client().cancel_order(7, "note")
    assert len(transport.sent) == 2


@pytest.mark.parametrize(
    "exception, what",
    [
        (requests.exceptions.ReadTimeout("read timed out"), "timed out after the request was sent"),
        (
            requests.exceptions.ConnectionError(ProtocolError("Connection aborted.", ConnectionResetError(104, "reset"))),
            "lost its connection after the request was sent",
        ),
        (requests.exceptions.ChunkedEncodingError("incomplete chunk"), "lost its connection after the request was sent"),
    ],
)
def test_put_with_unknown_outcome_is_not_retried(make_client, transport, warnings_seen, exception, what):
    transport.fail(exception)
    with pytest.raises(CertCentralError) as caught:
        make_client().cancel_order(7, "note")
    assert len(transport.sent) == 1
    assert warnings_seen == []
    assert caught.value.outcome_unknown is True
    assert caught.value.order_id == 7
    assert what in str(caught.value)
    assert "may or may not have been applied" in str(caught.value)
    assert "Read order 7 back" in str(caught.value)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_put_answered_with_a_server_error_has_unknown_outcome(make_client, transport, status):
    transport.answer(status=status)
    with pytest.raises(CertCentralError) as caught:
        make_client().cancel_order(7, "note")
    assert len(transport.sent) == 1
    assert caught.value.outcome_unknown is True
    assert caught.value.http_status == status
    assert str(caught.value).startswith(
        f"CertCentral answered PUT /order/certificate/7/status for order 7 with HTTP {status}, so the change may or may not have been applied."
    )


def test_put_refused_by_the_server_has_known_outcome(make_client, transport):
    transport.answer(status=400, body={"errors": [{"code": "invalid_status", "message": "Order is not pending."}]})
    with pytest.raises(CertCentralError) as caught:
        make_client().cancel_order(7, "note")
    assert caught.value.outcome_unknown is False
    assert str(caught.value) == (
        "CertCentral refused PUT /order/certificate/7/status for order 7 (HTTP 400 "
        'invalid_status), so nothing was changed. CertCentral said: "Order is not pending."'
    )


def test_put_throttled_on_every_attempt_has_known_outcome(make_client, transport):
    transport.answer(status=429)
    transport.answer(status=429)
    with pytest.raises(CertCentralError) as caught:
        make_client(retries=1).cancel_order(7, "note")
    assert caught.value.outcome_unknown is False
    assert caught.value.attempts == 2


# ---------------------------------------------------------------- error sentences


@pytest.mark.parametrize(
    "method, status, code, fragments",
    [
        (
            "GET",
            403,
            "access_denied|access_denied_invalid_key",
            ["rejected the API key", "DIGICERT_API_KEY", "https://www.digicert.com/services/v2", "https://certcentral.digicert.eu/services/v2"],
        ),
        (
            "PUT",
            403,
            "access_denied|missing_permission",
            ["not allowed to PUT /order/certificate/7/status for order 7", "View Only", "Orders role", "GET /user/me", "access_roles"],
        ),
        ("GET", 404, "not_found|order", ["Order 7 does not exist or is not in this account", "region"]),
        ("GET", 404, "not_found|route", ["no endpoint", "/services/v2"]),
    ],
)
def test_documented_error_codes_get_advice(make_client, transport, method, status, code, fragments):
    transport.answer(status=status, body={"errors": [{"code": code, "message": "DigiCert says no."}]})
    client = make_client()
    with pytest.raises(CertCentralError) as caught:
        if method == "GET":
            client.get_order(7)
        else:
            client.cancel_order(7, "note")
    for fragment in fragments:
        assert fragment in str(caught.value)
    assert caught.value.error_code == code
    assert caught.value.error_message == "DigiCert says no."
    assert caught.value.order_id == 7


def test_invalid_approver_names_the_request(make_client, transport):
    transport.answer(status=403, body={"errors": [{"code": "access_denied|invalid_approver", "message": "no"}]})
    with pytest.raises(CertCentralError) as caught:
        make_client().reject_request(55)
    assert "may not approve or reject request 55" in str(caught.value)
    assert caught.value.request_id == 55


def test_error_object_instead_of_list_is_read(make_client, transport):
    transport.answer(status=404, body={"errors": {"code": "not_found|order", "message": "gone"}})
    with pytest.raises(CertCentralError) as caught:
        make_client().get_order(7)
    assert caught.value.error_code == "not_found|order"


# ---------------------------------------------------------------- the key never leaks


def test_key_never_appears_in_errors_or_warnings(make_client, transport, warnings_seen, api_key):
    echo = f"You sent key {api_key}, which is wrong."
    transport.fail(requests.exceptions.ConnectionError(f"connection to host with key {api_key} reset"))
    transport.answer(status=503, body={"errors": [{"code": "busy", "message": echo}]})
    transport.answer(
        status=403,
        body={
            "errors": [{"code": "access_denied|access_denied_invalid_key", "message": echo}],
        },
        headers={"Location": f"https://x/?key={api_key}"},
    )
    with pytest.raises(CertCentralError) as caught:
        make_client().get_order(7)
    texts = [str(caught.value), repr(caught.value.args)] + warnings_seen
    texts.extend(str(value) for value in caught.value.to_result().values())
    assert len(warnings_seen) == 2
    for text in texts:
        assert api_key not in text
    assert "********" in caught.value.error_message


def test_key_never_appears_in_transport_failure(make_client, transport, api_key):
    transport.fail(requests.exceptions.SSLError(f"handshake with {api_key} failed"))
    with pytest.raises(CertCentralError) as caught:
        make_client(retries=0).get_order(7)
    assert api_key not in str(caught.value)


# ---------------------------------------------------------------- listings


def _query(request):
    return dict(requests.utils.unquote(part).split("=", 1) for part in requests.utils.urlparse(request.url).query.split("&"))


def _ids(orders):
    return [order["id"] for order in orders]


class MovingAccount:
    """A list endpoint over a set of order IDs that honours offset, limit and sort=id (or serves newest first when
    ``honours_sort`` is False), serves at most ``page_limit`` and says so, and lets a test change the account between
    two pages (``before_page(offset)``)."""

    def __init__(self, ids, page_limit=10, honours_sort=True, before_page=None):
        self.ids = list(ids)
        self.page_limit = page_limit
        self.honours_sort = honours_sort
        self.before_page = before_page
        self.queries = []

    def __call__(self, request):
        query = _query(request)
        self.queries.append(query)
        offset = int(query["offset"])
        if self.before_page is not None:
            self.before_page(self, offset)
        ordered = sorted(self.ids, reverse=not (self.honours_sort and query.get("sort") == "id"))
        limit = min(int(query["limit"]), self.page_limit)
        return dict(
            body={
                "orders": [{"id": order_id, "status": "pending"} for order_id in ordered[offset : offset + limit]],
                "page": {"total": len(ordered), "limit": limit, "offset": offset},
            }
        )


def test_listing_sends_filters_an_explicit_sort_and_follows_the_page_limit_answered(make_client, transport):
    account = MovingAccount(range(1, 26), page_limit=10)
    transport.handler = account
    orders = make_client(workers=1).list_orders({"status": "pending", "container_id": 3})
    assert _ids(orders) == list(range(1, 26))
    first = account.queries[0]
    assert (first["filters[status]"], first["filters[container_id]"], first["sort"]) == ("pending", "3", "id")
    assert first["limit"] == "1000"
    # Each page after the first repeats the last two orders of the one before, and asks for what the server serves.
    assert [(query["offset"], query["limit"]) for query in account.queries] == [("0", "1000"), ("8", "10"), ("16", "10")]


def test_listing_of_an_empty_account(make_client, transport):
    transport.answer(body={"page": {"total": 0, "limit": 1000, "offset": 0}})
    assert make_client().list_orders() == []
    assert len(transport.sent) == 1


def test_page_limit_zero_means_not_stated(make_client, transport):
    transport.answer(body={"orders": [{"id": 1}, {"id": 2}, {"id": 3}], "page": {"total": 3, "limit": 0}})
    assert _ids(make_client().list_orders()) == [1, 2, 3]


def _fixed_pages(ids, served, page):
    """A list endpoint that serves ``served`` orders per page of ``ids`` and answers ``page`` as page."""

    def handler(request):
        offset = int(_query(request)["offset"])
        return dict(body={"orders": [{"id": order_id} for order_id in ids[offset : offset + served]], "page": page})

    return handler


def test_a_server_that_serves_smaller_pages_without_saying_so_is_followed(make_client, transport):
    transport.handler = _fixed_pages(list(range(1, 13)), 5, {"total": 12, "limit": 1000})
    assert _ids(make_client(workers=1).list_orders()) == list(range(1, 13))


def _placing(count):
    def before_page(account, offset):
        if offset:
            placed = range(max(account.ids) + 1, max(account.ids) + 1 + count)
            account.ids.extend(placed)
            account.placed.update(placed)

    return before_page


def _removing(count):
    """Orders leave the listing (issued or canceled) from before the page asked for: what makes offset paging skip."""

    def before_page(account, offset):
        ordered = sorted(account.ids, reverse=not account.honours_sort)
        for order_id in ordered[max(0, offset - count) : offset]:
            account.ids.remove(order_id)
            account.removed.add(order_id)

    return before_page


@pytest.mark.parametrize("honours_sort", [True, False], ids=["sorted by id", "newest first whatever was asked"])
@pytest.mark.parametrize("change", ["placed", "removed", "both"])
def test_a_moving_listing_holds_every_order_that_stayed_exactly_once(make_client, transport, honours_sort, change):
    account = MovingAccount(range(1, 58), page_limit=10, honours_sort=honours_sort)
    account.removed, account.placed = set(), set()
    place, remove = _placing(3), _removing(3)
    account.before_page = {"placed": place, "removed": remove, "both": lambda acc, offset: (place(acc, offset), remove(acc, offset))}[change]
    transport.handler = account
    original = set(account.ids)
    listed = _ids(make_client(workers=1).list_orders({"status": "pending"}))
    assert len(listed) == len(set(listed))
    assert original - account.removed <= set(listed)
    # Orders placed meanwhile may or may not be there; nothing else is.
    assert set(listed) <= original | account.placed


def test_listing_moves_through_concurrent_pages(make_client, transport):
    account = MovingAccount(range(1, 101), page_limit=10, honours_sort=False)
    account.removed = set()
    lock = threading.Lock()
    remove = _removing(2)

    def before_page(acc, offset):
        with lock:
            remove(acc, offset)

    account.before_page = before_page
    transport.handler = account
    original = set(account.ids)
    listed = _ids(make_client(workers=4).list_orders())
    assert len(listed) == len(set(listed))
    assert original - account.removed <= set(listed)


def test_a_listing_keeps_what_keep_makes_of_each_order_once_from_its_newest_data(make_client, transport):
    account = MovingAccount(range(1, 58), page_limit=10)
    account.removed = set()
    account.before_page = _removing(3)
    transport.handler = account
    original = set(account.ids)
    kept_from = []

    def keep(order):
        kept_from.append(order["id"])
        return ("kept", order["id"], kept_from.count(order["id"]))

    kept = make_client(workers=1).list_orders({"status": "pending"}, keep=keep)
    assert all(value[0] == "kept" for value in kept)
    listed = [value[1] for value in kept]
    assert len(listed) == len(set(listed)) and original - account.removed <= set(listed)
    # The pages overlap, so some orders came twice; what is kept of them was made from the later copy.
    repeated = set(order_id for order_id in kept_from if kept_from.count(order_id) > 1)
    assert repeated
    assert all(value[2] == kept_from.count(value[1]) for value in kept)


def test_listing_that_keeps_moving_stops_with_a_clear_error(make_client, transport):
    def before_page(account, offset):
        # Every page finds the whole region before it gone: no reading can ever catch up.
        for order_id in sorted(account.ids)[:offset]:
            account.ids.remove(order_id)
        account.ids.extend(range(max(account.ids) + 1, max(account.ids) + 1 + offset))

    transport.handler = MovingAccount(range(1, 60), page_limit=10, before_page=before_page)
    with pytest.raises(CertCentralError) as caught:
        make_client(workers=1).list_orders({"status": "pending"})
    assert str(caught.value).startswith("Listing orders with status=pending stopped: it kept moving faster than it could be read (20 re-reads")
    assert caught.value.path == "/order/certificate"


@pytest.mark.parametrize(
    "page, problem",
    [
        ({"total": 10**7, "limit": 1000}, "CertCentral counts 10000000 orders in it, more than the 100000"),
        ({"total": 50000, "limit": 1}, "serves 1 per page, which would take more than 1000 requests"),
    ],
)
def test_absurd_totals_and_tiny_pages_stop_after_the_first_request(make_client, transport, page, problem):
    transport.handler = lambda request: dict(body={"orders": [{"id": 1}], "page": dict(page, offset=0)})
    with pytest.raises(CertCentralError) as caught:
        make_client().list_orders()
    assert problem in str(caught.value)
    assert str(caught.value).endswith("list fewer orders at once (add filters). No order was changed.")
    assert len(transport.sent) == 1


def test_a_total_the_pages_do_not_hold_stops_with_a_clear_error(make_client, transport):
    transport.handler = _fixed_pages(list(range(1, 21)), 10, {"total": 5000, "limit": 10})
    with pytest.raises(CertCentralError, match="counts 5000 orders in it but served none at offset"):
        make_client(workers=1).list_orders()
    assert len(transport.sent) < 10


def test_a_server_that_ignores_offset_stops_the_listing_instead_of_looping(make_client, transport):
    transport.handler = _fixed_pages([1, 2, 3, 4, 5] * 10, 5, {"total": 50, "limit": 5})
    with pytest.raises(
        CertCentralError,
        match=r"served only orders it had served before at offset \d+ \(4 pages in a "
        r"row\), as if it ignored offset",
    ):
        make_client(workers=1).list_orders()
    assert len(transport.sent) == 5


def test_a_server_that_ignores_offset_on_a_short_listing_stops_at_its_last_page(make_client, transport):
    transport.handler = _fixed_pages([1, 2, 3, 4, 5] * 2, 5, {"total": 9, "limit": 5})
    with pytest.raises(CertCentralError, match="as if it ignored offset"):
        make_client(workers=1).list_orders()


def test_a_burst_of_orders_placed_at_the_front_of_a_newest_first_listing_loses_nothing(make_client, transport):
    def place_a_burst(account, offset):
        if offset > 0 and not account.placed:
            # As many new orders as the second page's offset arrive before it, at the front: it serves only the
            # orders of the first page again, and the orders after them come on the pages after it.
            account.placed = True
            account.ids.extend(range(100, 100 + offset))

    account = MovingAccount(range(1, 31), page_limit=10, honours_sort=False, before_page=place_a_burst)
    account.placed = False
    transport.handler = account
    orders = make_client(workers=1).list_orders()
    assert sorted(set(_ids(orders)) & set(range(1, 31))) == list(range(1, 31))
    assert len(_ids(orders)) == len(set(_ids(orders)))
    # The second page held only orders seen before (what a server ignoring offset serves, once): the listing read on.
    second = account.queries[1]
    assert second["offset"] == "8"


def test_a_server_that_refuses_the_sort_is_listed_in_its_own_order(make_client, transport, warnings_seen):
    account = MovingAccount(range(1, 16), page_limit=10, honours_sort=False)

    def handler(request):
        if "sort" in _query(request):
            return dict(status=400, body={"errors": [{"code": "invalid_param|sort", "message": "Cannot sort by id."}]})
        return account(request)

    transport.handler = handler
    assert sorted(_ids(make_client().list_orders())) == list(range(1, 16))
    assert warnings_seen == ["CertCentral refused sort=id on GET /order/certificate; listing in its default order instead."]


@pytest.mark.parametrize(
    "body, problem",
    [
        ({"orders": [{"id": 1}]}, "it has no page.total as a number"),
        ({"orders": [{"id": 1}], "page": {"total": "1"}}, "it has no page.total as a number"),
        ({"orders": "none", "page": {"total": 1}}, "its orders are text where a list belongs"),
        ({"orders": [{"name": "no id"}], "page": {"total": 1}}, "order 1 of the page at offset 0 has an id that is null where a positive number belongs"),
        ({"orders": [{"id": "7"}], "page": {"total": 1}}, "order 1 of the page at offset 0 has an id that is text where a positive number belongs"),
        ({"orders": [{"id": 7, "certificate": []}], "page": {"total": 1}}, "order 7: its certificate is a list where an object belongs"),
        ({"orders": [{"id": 7, "certificate": {"dns_names": 3}}], "page": {"total": 1}}, "order 7: its certificate.dns_names is a number where a list belongs"),
        ({"orders": [{"id": 1}], "page": {"total": 1, "offset": 40}}, "it answered page.offset 40 where 0 was asked for"),
        ([], "the body is a list where a page of orders belongs"),
    ],
)
def test_page_that_is_not_a_page_is_reported_naming_the_order_and_field(make_client, transport, body, problem):
    transport.handler = lambda request: dict(body=body)
    with pytest.raises(CertCentralError) as caught:
        make_client(retries=1).list_orders()
    message = str(caught.value)
    assert problem in message
    assert "on each of 2 attempts" in message
    assert "Traceback" not in message and "Error" not in message.split(":", maxsplit=1)[0]
    assert len(transport.sent) == 2


def test_an_unreadable_page_is_read_again(make_client, transport, warnings_seen):
    transport.answer(text='{"orders": [')
    transport.answer(body={"orders": [{"id": 1}], "page": {"total": 1}})
    assert _ids(make_client().list_orders()) == [1]
    assert "was answered with HTTP 200, but the body is not JSON" in warnings_seen[0]


def test_list_orders_fetches_remaining_pages_concurrently_in_order(make_client, transport):
    # 20 pages, like 20,000 orders in pages of 1000. With the default pool the pages after the first go out in
    # waves, so the listing takes a few round trips instead of 20.
    workers = DEFAULT_WORKERS
    account = MovingAccount(range(1, 181), page_limit=10)
    # The first `workers` requests after the first page can only pass this barrier together, so the test
    # fails (instead of hanging) unless that many requests are in flight at once.
    barrier = threading.Barrier(workers, timeout=10)
    calls = []
    calls_lock = threading.Lock()

    def handler(request):
        with calls_lock:
            calls.append(request.url)
            number = len(calls)
        if 2 <= number <= 1 + workers:
            barrier.wait()
        return account(request)

    transport.handler = handler
    assert _ids(make_client().list_orders({"status": "issued"})) == list(range(1, 181))
    # The first page, then pages of 10 that each repeat 2 orders of the one before: 1 + 170 / 8 rounded up.
    assert len(calls) == 23


def test_list_orders_of_a_single_page(make_client, transport):
    transport.answer(body={"orders": [{"id": 1}, {"id": 2}], "page": {"total": 2, "limit": 1000}})
    assert _ids(make_client().list_orders()) == [1, 2]
    assert len(transport.sent) == 1


def test_list_orders_passes_on_a_failed_page(make_client, transport):
    def handler(request):
        if "offset=0" in request.url:
            return dict(body={"orders": [{"id": 1}, {"id": 2}], "page": {"total": 6, "limit": 2}})
        return dict(status=404, body={"errors": [{"code": "not_found|route", "message": "no"}]})

    transport.handler = handler
    with pytest.raises(CertCentralError, match="not_found"):
        make_client().list_orders()


def test_list_orders_is_the_only_listing_call():
    # iter_orders was used by tests only; production lists through list_orders.
    assert not hasattr(CertCentralClient, "iter_orders")


def test_get_orders_keeps_the_order_of_the_ids(make_client, transport):
    transport.handler = lambda request: dict(body={"id": int(request.url.rsplit("/", 1)[1]), "status": "pending"})
    ids = [9, 3, 7, 1, 5, 8, 2]
    assert _ids(make_client(workers=3).get_orders(ids)) == ids


def test_get_orders_with_one_worker(make_client, transport):
    transport.handler = lambda request: dict(body={"id": int(request.url.rsplit("/", 1)[1])})
    assert _ids(make_client(workers=1).get_orders([4, 2])) == [4, 2]


@pytest.mark.parametrize("workers", [1, 3])
def test_get_orders_tells_progress_as_each_order_arrives(make_client, transport, workers):
    transport.handler = lambda request: dict(body={"id": int(request.url.rsplit("/", 1)[1]), "status": "pending"})
    calls = []
    orders = make_client(workers=workers).get_orders(iter([9, 3, 7, 1]), progress=lambda *call: calls.append(call))
    assert _ids(orders) == [9, 3, 7, 1]
    assert calls == [(1, 4, False), (2, 4, False), (3, 4, False), (4, 4, True)]


def test_map_concurrently_runs_callers_functions_on_the_pool_in_order(make_client):
    client = make_client(workers=3)
    threads = set()

    def square(number):
        threads.add(threading.current_thread().name)
        return number * number

    assert client.map_concurrently(square, iter([3, 1, 2])) == [9, 1, 4]
    assert client.map_concurrently(square, []) == []
    assert all(name != threading.current_thread().name for name in threads)


def test_map_concurrently_raises_the_first_error(make_client):
    def fail_on_two(number):
        if number == 2:
            raise CertCentralError("two failed")
        return number

    with pytest.raises(CertCentralError, match="two failed"):
        make_client(workers=2).map_concurrently(fail_on_two, [1, 2, 3])


def test_get_current_user(make_client, transport):
    transport.answer(body={"id": 4, "access_roles": [{"id": 102, "name": "View Only"}]})
    assert make_client().get_current_user()["access_roles"] == [{"id": 102, "name": "View Only"}]
    assert transport.sent[0].method == "GET"
    assert transport.sent[0].url == "https://certcentral.test/services/v2/user/me"


def test_get_current_user_refuses_a_body_that_is_not_a_user(make_client, transport):
    transport.answer(body=[1, 2])
    with pytest.raises(CertCentralError, match="the body is not a user"):
        make_client().get_current_user()


# ---------------------------------------------------------------- real HTTP on loopback


class _ScriptedHandler(http.server.BaseHTTPRequestHandler):
    """Answers with the server's next scripted behaviour: a (status, body) pair, or 'drop' to hang up after
    reading the request."""

    def _respond(self):
        length = int(self.headers.get("Content-Length") or 0)
        request_body = self.rfile.read(length) if length else b""
        self.server.seen.append(dict(method=self.command, path=self.path, headers=dict(self.headers), body=request_body))
        behaviour = self.server.script.pop(0)
        if behaviour == "drop":
            self.close_connection = True
            return
        status, body = behaviour
        payload = json.dumps(body).encode("utf-8") if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = _respond
    do_PUT = _respond

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def _loopback_server(script):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ScriptedHandler)
    server.script = list(script)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _loopback_client(port, api_key, **options):
    return CertCentralClient(api_key=api_key, api_url=f"http://127.0.0.1:{port}/services/v2", sleep=lambda seconds: None, **options)


def test_real_round_trip_over_loopback(api_key):
    with _loopback_server([(200, {"id": 3, "status": "issued"}), (204, None)]) as server:
        client = _loopback_client(server.server_address[1], api_key)
        assert client.get_order(3) == {"id": 3, "status": "issued"}
        client.cancel_order(3, "test")
    assert server.seen[0]["path"] == "/services/v2/order/certificate/3"
    assert server.seen[0]["headers"]["X-DC-DEVKEY"] == api_key
    assert json.loads(server.seen[1]["body"]) == {"status": "canceled", "note": "test"}


def test_loopback_client_ignores_proxies_from_the_environment(monkeypatch, api_key):
    # A proxy nobody listens on: using it would fail the call.
    unused_proxy = f"http://127.0.0.1:{_closed_port()}"
    monkeypatch.setenv("HTTP_PROXY", unused_proxy)
    monkeypatch.setenv("http_proxy", unused_proxy)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with _loopback_server([(200, {"id": 3})]) as server:
        assert _loopback_client(server.server_address[1], api_key, timeout=5).get_order(3) == {"id": 3}


def test_real_dropped_connection_after_put_has_unknown_outcome(api_key):
    with _loopback_server(["drop"]) as server:
        client = _loopback_client(server.server_address[1], api_key)
        with pytest.raises(CertCentralError) as caught:
            client.cancel_order(3, "test")
    assert caught.value.outcome_unknown is True
    assert len(server.seen) == 1


def test_real_dropped_connection_of_get_is_retried(api_key):
    with _loopback_server(["drop", (200, {"id": 3})]) as server:
        assert _loopback_client(server.server_address[1], api_key).get_order(3) == {"id": 3}
    assert len(server.seen) == 2


def _closed_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_real_connection_refused_is_retried_for_put_and_explained(api_key):
    warnings_seen = []
    client = _loopback_client(_closed_port(), api_key, retries=2, warn=warnings_seen.append)
    with pytest.raises(CertCentralError) as caught:
        client.cancel_order(3, "test")
    assert len(warnings_seen) == 2
    assert caught.value.outcome_unknown is False
    assert caught.value.attempts == 3
    assert str(caught.value).startswith("Could not connect to api_url http://127.0.0.1:")
    assert "after 3 attempts" in str(caught.value)
    assert "Connection refused" in str(caught.value)
    assert "HTTPConnection(" not in str(caught.value)


def test_default_session_pool_fits_the_workers(api_key):
    client = CertCentralClient(api_key=api_key, workers=12)
    adapter = client._session.get_adapter("https://www.digicert.com/services/v2")
    assert adapter._pool_maxsize == 12
    assert client._session.trust_env is True


def test_disabling_verification_turns_off_the_insecure_warning(monkeypatch, api_key):
    disabled = []
    monkeypatch.setattr(client_module.urllib3, "disable_warnings", disabled.append)
    client = CertCentralClient(api_key=api_key, validate_certs=False, ca_path="/ignored.pem")
    assert client._verify is False
    assert disabled == [client_module.InsecureRequestWarning]


def test_ca_path_is_used_for_verification(api_key):
    assert CertCentralClient(api_key=api_key, ca_path="/etc/ca.pem")._verify == "/etc/ca.pem"
    assert CertCentralClient(api_key=api_key)._verify is True


def test_with_workers_each_page_is_kept_in_the_worker_that_read_it(make_client, transport):
    transport.handler = MovingAccount(range(1, 58), page_limit=10)
    threads = set()

    def keep(order):
        threads.add(threading.current_thread() is threading.main_thread())
        return ("kept", order["id"])

    kept = make_client(workers=4).list_orders(keep=keep)
    assert kept == [("kept", order_id) for order_id in range(1, 58)]
    # The first page is read alone (its total plans the rest); every page after it is kept where it arrived.
    assert threads == {True, False}


def test_concurrent_results_are_let_go_once_handed_on(make_client):
    class Result:
        pass

    results = make_client(workers=2)._map_concurrently(lambda number: Result(), [1, 2, 3])
    first = weakref.ref(next(results))
    assert next(results) is not None
    assert first() is None
    assert len(list(results)) == 1
