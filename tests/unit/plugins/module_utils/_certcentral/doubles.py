# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The test doubles of the client layer, in one place: a CertCentral account that answers the fake transport of
conftest.py (order info, cancel, request rejection, revocation and /user/me, with DigiCert's state changes and
injected faults), a clock the tests move, and what the tests read back from the transport.

The ``account`` and ``clock`` fixtures of conftest.py put them behind the transport. The module tests, one layer up,
share their fake client in tests/unit/plugins/modules/utils.py.
"""

from __future__ import annotations

import copy
import json
import re
from urllib.parse import parse_qs, urlsplit

import requests

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.revocation import REVOCATION_REASONS

ORDER_NOT_FOUND = {"errors": [{"code": "not_found|order", "message": "The order was not found in this account."}]}


def request(request_id, request_type, status, date="2026-01-10T08:00:00+00:00"):
    """A request of an order as order info lists it."""
    return {"id": request_id, "date": date, "type": request_type, "status": status}


def calls(transport):
    """The calls sent, as (method, path) pairs."""
    return [(sent.method, sent.path_url.split("/services/v2", 1)[1]) for sent in transport.sent]


def writes(transport):
    """The changes sent, as (method, path) pairs."""
    return [call for call in calls(transport) if call[0] == "PUT"]


class FakeClock:
    """A monotonic clock. The account moves it ``step`` seconds on every request it answers; tests move it by hand."""

    def __init__(self, step=0.0):
        self.now = 1000.0
        self.step = step

    def __call__(self):
        return self.now


class FakeAccount:
    """Order info, the order list, cancel, request rejection, revocation and /user/me over the fake transport, with
    DigiCert's state changes.

    The order list pages the orders in ascending ID, filtered by ``filters[status]``, without their requests (a
    listing does not show them); ``listing_answer``, when set, answers every listing request instead.

    ``role`` is the key's: ``admin`` may revoke with skip_approval, ``orders`` may not. ``delayed`` makes a
    skip_approval revocation complete later (see complete()) instead of at once.

    ``faults`` maps (method, order or request ID) to a list of faults, used up one per call: ``'lost'`` applies the
    write and then times out; ``'silent'`` applies it and answers 204 without a body; ``'dropped'`` drops the
    connection without applying; ``'ignored'`` answers 204 without applying; an int answers with that HTTP status and
    a dict with that answer, both without applying; a callable changes the account before the call is handled (an
    order changing under the run), and may return one of these faults for the call, or None to let it pass.
    ``on_user_me`` runs when the key's user is read, which happens between the two phases of a run; ``user_answer``
    replaces the answer to that read.
    """

    def __init__(self, orders=()):
        self.orders = dict((order["id"], copy.deepcopy(order)) for order in orders)
        self.role = "admin"
        self.user = {"id": 1001, "access_roles": [{"id": 1, "name": "Administrator"}]}
        self.user_answer = None
        self.faults = {}
        self.on_user_me = None
        self.clock = None
        self.next_request_id = 9001
        self.delayed = False
        self.listing_answer = None

    def complete(self, order_id):
        """DigiCert finishes the revocation in flight."""
        self.orders[order_id]["status"] = "revoked"

    def __call__(self, prepared):
        if self.clock is not None:
            self.clock.now += self.clock.step
        path = prepared.path_url.split("/services/v2", 1)[1]
        body = json.loads(prepared.body) if prepared.body else None
        if prepared.method == "GET" and path == "/user/me":
            if self.on_user_me is not None:
                self.on_user_me(self)
            return self.user_answer or dict(body=self.user)
        if prepared.method == "GET" and urlsplit(path).path == "/order/certificate":
            return self.listing_answer or self._listing(parse_qs(urlsplit(path).query))
        match = re.match(r"^/(order/certificate|request)/(\d+)(/status|/revoke)?$", path)
        kind, number, action = match.group(1), int(match.group(2)), match.group(3)
        queued = self.faults.get((prepared.method, number))
        fault = queued.pop(0) if queued else None
        if callable(fault):
            fault = fault(self)
        if isinstance(fault, int):
            return dict(status=fault, body={"errors": [{"code": "server_error", "message": "Injected."}]})
        if isinstance(fault, dict):
            return fault
        if fault == "dropped":
            return requests.exceptions.ConnectionError("Connection reset by peer")
        if fault == "ignored":
            return dict(status=204)
        if kind == "request":
            answer = self._reject(number, body)
        elif number not in self.orders:
            return dict(status=404, body=ORDER_NOT_FOUND)
        elif prepared.method == "GET":
            return dict(body=self.orders[number])
        elif action == "/revoke":
            answer = self._revoke(self.orders[number], body)
        else:
            answer = self._cancel(self.orders[number], body)
        if fault == "lost" and answer["status"] in (201, 204):
            return requests.exceptions.ReadTimeout("read timed out")
        if fault == "silent" and answer["status"] in (201, 204):
            return dict(status=204)
        return answer

    def _listing(self, query):
        status = query.get("filters[status]", [None])[0]
        offset, limit = int(query["offset"][0]), int(query["limit"][0])
        listed = [
            dict((key, value) for key, value in order.items() if key != "requests")
            for order_id, order in sorted(self.orders.items())
            if status is None or order["status"] == status
        ]
        return dict(body={"orders": listed[offset : offset + limit], "page": {"total": len(listed), "limit": limit, "offset": offset}})

    @staticmethod
    def _refused(code, message, status=400):
        return dict(status=status, body={"errors": [{"code": code, "message": message}]})

    def _cancel(self, order, body):
        if body != {"status": "canceled", "note": body.get("note")} or not body.get("note"):
            return self._refused("missing_param|note", "The field 'note' is required.")
        if order["status"] in ("pending", "waiting_pickup"):
            order["status"] = "canceled"
        elif order["status"] == "reissue_pending":
            order["status"] = "issued"
            for entry in order["requests"]:
                if entry["type"] == "reissue" and entry["status"] in ("pending", "approved"):
                    entry.update(status="rejected", processor_comment=body["note"])
        else:
            return self._refused("invalid_status|order", f"An order in status {order['status']} cannot be canceled.")
        return dict(status=204)

    def _reject(self, request_id, body):
        for order in self.orders.values():
            for entry in order["requests"]:
                if entry["id"] != request_id:
                    continue
                if entry["status"] != "pending":
                    return self._refused("invalid_status|request", f"The request is already {entry['status']}.")
                if order["status"] != "needs_approval":
                    return self._refused("invalid_status|request", "The order is no longer waiting for approval.")
                entry.update(status=body["status"], processor_comment=body.get("processor_comment"))
                order["status"] = "rejected"
                return dict(status=204)
        return dict(status=404, body={"errors": [{"code": "not_found|request", "message": "No such request."}]})

    def _revoke(self, order, body):
        if set(body) - {"comments", "skip_approval", "revocation_reason"} or not isinstance(body.get("skip_approval"), bool):
            return self._refused("bad_request_format", "Unexpected body.")
        if body.get("revocation_reason", "superseded") not in REVOCATION_REASONS:
            return self._refused("invalid_param|revocation_reason", "Unknown reason.")
        if body["skip_approval"] and self.role != "admin":
            return self._refused("access_denied|missing_permission", "The API key does not have permission to perform this action.", status=403)
        if order["status"] == "reissue_pending":
            return self._refused("invalid_status|order", "A certificate with a pending reissue cannot be revoked; cancel the reissue first.")
        if order["status"] != "issued":
            return self._refused("invalid_status|order", f"Only issued certificates can be revoked; the order is {order['status']}.")
        if any(entry["type"] == "revoke" and entry["status"] == "pending" for entry in order["requests"]):
            return self._refused("invalid_status|order", "A revoke request for this order is already pending.")
        if any(entry["type"] == "revoke" and entry["status"] == "approved" for entry in order["requests"]):
            return self._refused("invalid_status|order", "A revocation of this order is already in progress.")
        if body["skip_approval"] and self.delayed:
            # DigiCert carries the revocation out later; until then the order shows an approved revoke request.
            order["requests"].append(request(self.next_request_id, "revoke", "approved", "2026-01-15T10:00:00+00:00"))
            self.next_request_id += 1
            return dict(status=204)
        if body["skip_approval"]:
            order["status"] = "revoked"
            return dict(status=204)
        created = request(self.next_request_id, "revoke", "pending", "2026-01-15T10:00:00+00:00")
        created["comments"] = body["comments"]
        self.next_request_id += 1
        order["requests"].append(created)
        return dict(status=201, body=created)
