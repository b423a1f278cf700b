# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""What one read of an order (order info, or a listing's entry in its shape) says: its requests, the status of one of
them, and whether its requests can be trusted at all. The spellings of statuses and request types are made one in
verdict.py (order_status, request_state, request_type); this file only finds things in the order."""

from __future__ import annotations

from .verdict import request_state


def requests_of(order):
    """The order's requests that are objects; empty when it lists none."""
    requests = order.get("requests")
    return [request for request in requests if isinstance(request, dict)] if isinstance(requests, list) else []


def request_status(order, request_id):
    """The status of the order's request ``request_id`` in lower case, or None."""
    if request_id is None:
        return None
    for request in requests_of(order):
        if request.get("id") == request_id:
            return request_state(request)
    return None


def common_name_of(order):
    """The common name of the order's certificate (order info, or a listing's entry in its shape), or None."""
    certificate = order.get("certificate")
    common_name = certificate.get("common_name") if isinstance(certificate, dict) else None
    return common_name if isinstance(common_name, str) and common_name else None


def described(value):
    """A value from CertCentral as a sentence names it: its kind, and its text cut short (repr escapes controls)."""
    if isinstance(value, str):
        shown = repr(value if len(value) <= 40 else value[:40] + "...")
        return f"the text {shown}"
    if value is None:
        return "null"
    return kind_of(value)


def requests_problem(requests):
    """What is wrong with the type of an order's ``requests`` (as order info or a listing gives them), or None.

    Every request ID must be a whole number before any plan uses it: a plan names the request to reject, and a
    request ID that came as text (``"7"``) would never match the request it names.
    """
    if requests is None:
        return None
    if not isinstance(requests, list):
        return f"requests is {described(requests)} where a list belongs"
    for index, request in enumerate(requests):
        if not isinstance(request, dict):
            return f"requests[{index}] is {described(request)} where an object belongs"
        request_id = request.get("id")
        if isinstance(request_id, bool) or not isinstance(request_id, int):
            return f"requests[{index}].id is {described(request_id)} where a whole number belongs"
        for field in ("type", "status"):
            if not isinstance(request.get(field), str):
                return f"requests[{index}].{field} is {described(request.get(field))} where text belongs"
    return None


def kind_of(value):
    """How to name the type of a value that is not text, in a sentence."""
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, bool):
        return "a boolean"
    return f"a value of type {type(value).__name__}"
