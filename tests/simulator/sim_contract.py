# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the contract suite expects: its account, and the exact error answers, written out rather than imported
from the simulator, so a change to a documented (or documented-as-invented) body fails a test; and the connection
check that the library and the command-line tests share."""

from __future__ import annotations

import http.client
import select
from urllib.parse import urlsplit

# The suite's account: the demo account's seed and size at a fixed "today", so every count and date is reproducible.
TEST_REFERENCE_DATE = "2026-01-15"
TEST_ACCOUNT = {"seed": 7, "orders": 2500, "reference_date": TEST_REFERENCE_DATE}


def error(code: str, message: str) -> dict:
    return {"errors": [{"code": code, "message": message}]}


# Documented (docs/certcentral-api.md §1, §8, §9).
INVALID_KEY = error("access_denied|access_denied_invalid_key", "Access denied due to access_denied_invalid_key.")
ROUTE_NOT_FOUND = error("not_found|route", "The specified route was not found.")
RATE_LIMITED = error("request_limit_exceeded", "Service unavailable, please limit request volume")
# Documented codes with invented messages, and invented codes (docs/simulator.md lists them).
MISSING_PERMISSION = error("access_denied|missing_permission", "The API key does not have permission to perform this action.")
INVALID_APPROVER = error("access_denied|invalid_approver", "The API key's user is not allowed to approve or reject requests.")
BAD_REQUEST_FORMAT = error("bad_request_format", "The request body is not a well-formed JSON object.")
ORDER_NOT_FOUND = error("not_found|order", "The order was not found in this account.")
REQUEST_NOT_FOUND = error("not_found|request", "The request was not found in this account.")
CERTIFICATE_NOT_FOUND = error("not_found|certificate", "The certificate was not found in this account.")
MISSING_NOTE = error("missing_param|note", "The field 'note' is required.")
MISSING_STATUS = error("missing_param|status", "The field 'status' is required.")


def assert_error(response, http_status: int, body: dict) -> None:
    assert (response.status_code, response.json()) == (http_status, body)
    assert response.headers["Content-Type"] == "application/json"


def cannot_cancel(status: str) -> dict:
    return error("invalid_status|order", f"An order in status {status} cannot be canceled.")


def closed_by_the_server_when_left_idle(base_url: str, key: str) -> bool:
    """Make one request on a keep-alive connection, leave it idle, and tell whether the server closes it (within 30 s)."""
    url = urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        connection.request("GET", url.path + "/user/me", headers={"X-DC-DEVKEY": key})
        answer = connection.getresponse()
        answer.read()
        assert answer.status == 200 and not answer.will_close
        readable, _writable, _failed = select.select([connection.sock], [], [], 30)
        return bool(readable) and connection.sock.recv(1) == b""
    finally:
        connection.close()
