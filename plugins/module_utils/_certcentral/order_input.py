# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""What the cancel and revoke modules are asked to do: order IDs, listed orders and free text, checked before any
request, each problem a ValueError whose sentence names the option and the fix."""

from __future__ import annotations

import unicodedata

from .order_fields import kind_of, requests_problem

# Unicode categories of the characters text must not carry into CertCentral or messages: controls (C0, DEL, C1) and
# the line and paragraph separators.
CONTROL_CATEGORIES = ("Cc", "Zl", "Zp")


# The options a cancel or revoke module takes its orders by; a task gives exactly one of them.
ORDER_OPTIONS = ("order_id", "order_ids", "orders")


def order_argument_spec():
    """The argument spec of ORDER_OPTIONS, a fresh dict for a module to extend."""
    return dict(
        order_id=dict(type="int"),
        order_ids=dict(type="list", elements="int"),
        orders=dict(type="list", elements="dict"),
    )


def orders_from_params(params):
    """The order IDs of a module's ORDER_OPTIONS and, for ``orders``, their entries by ID as listed_orders() shapes
    them (else None); ValueError says what is wrong with them."""
    if params["orders"] is not None:
        return listed_orders(params["orders"])
    return requested_order_ids(params["order_id"], params["order_ids"]), None


def requested_order_ids(order_id=None, order_ids=None):
    """The order IDs to work on, in the order given; ValueError says what is wrong with them.

    An empty ``order_ids`` is valid and means nothing to do: a listing that found no orders feeds in unchanged.
    """
    if order_id is not None:
        name, values = "order_id", [order_id]
    elif order_ids is not None:
        name, values = "order_ids", list(order_ids)
    else:
        raise ValueError("One of order_id or order_ids is required.")
    wrong = [value for value in values if isinstance(value, bool) or not isinstance(value, int) or value < 1]
    if wrong:
        raise ValueError(f"{name} must hold positive order IDs (whole numbers of 1 or more), got {', '.join(repr(value) for value in wrong)}.")
    _refuse_repeated("order_ids", values)
    return values


def _refuse_repeated(name, order_ids):
    """ValueError naming the option ``name`` when ``order_ids`` holds an order more than once."""
    seen, repeated = set(), []
    for value in order_ids:
        if value in seen and value not in repeated:
            repeated.append(value)
        seen.add(value)
    if repeated:
        raise ValueError(f"{name} names some orders more than once: {', '.join(str(value) for value in repeated)}. Give each order once.")


# What a module given unusable order entries tells the user to pass instead.
LISTED_ORDERS_FIX = "Pass the orders as digicert_order_info returned them, or their IDs as order_ids."


def listed_orders(entries, fix=LISTED_ORDERS_FIX):
    """The orders of ``entries`` (order entries as digicert_order_info returns them), in the order given.

    Returns the IDs and, by ID, each entry in the shape of order info, as far as a listing shows the order: its
    status, product, payment method and common name, and its requests only when the listing read them (``details``).
    ValueError says what is wrong with the entries, and ends with ``fix``, what to pass instead.
    """
    if not isinstance(entries, list):
        raise ValueError("orders must be a list of order entries as digicert_order_info returns them.")
    order_ids, shaped = [], {}
    for position, entry in enumerate(entries, start=1):
        order_id = entry.get("id") if isinstance(entry, dict) else None
        status = entry.get("status") if isinstance(entry, dict) else None
        if isinstance(order_id, bool) or not isinstance(order_id, int) or order_id < 1 or not isinstance(status, str):
            raise ValueError(
                f"Entry {position} of orders is not an order entry of digicert_order_info: each entry needs an id "
                f"(a positive whole number) and a status (text), got {entry!r}. {fix}"
            )
        order_ids.append(order_id)
        requests = entry.get("requests")
        problem = requests_problem(requests)
        if problem is not None:
            raise ValueError(f"Entry {position} of orders (order {order_id}) cannot be used: {problem}. {fix}")
        shaped[order_id] = dict(
            id=order_id,
            status=status,
            product=dict(name_id=entry.get("product_name_id"), type=entry.get("product_type")),
            payment_method=entry.get("payment_method"),
        )
        if isinstance(entry.get("common_name"), str):
            shaped[order_id]["certificate"] = dict(common_name=entry["common_name"])
        if isinstance(requests, list):
            shaped[order_id]["requests"] = requests
        reviewed = entry.get(REVIEWED_CHANGE_KEY)
        if reviewed is not None:
            shaped[order_id][REVIEWED_CHANGE_KEY] = _reviewed_change(position, order_id, reviewed)
    _refuse_repeated("orders", order_ids)
    return order_ids, shaped


# An entry of a reviewed plan carries the change a person approved for it: the module then makes exactly that change
# (the same planned outcome, about the same request) or none at all.
REVIEWED_CHANGE_KEY = "reviewed_change"


def _reviewed_change(position, order_id, reviewed):
    outcome = reviewed.get("outcome") if isinstance(reviewed, dict) else None
    request_id = reviewed.get("request_id") if isinstance(reviewed, dict) else None
    request_ok = request_id is None or (isinstance(request_id, int) and not isinstance(request_id, bool) and request_id > 0)
    if not isinstance(outcome, str) or not outcome or not request_ok:
        raise ValueError(
            f"Entry {position} of orders (order {order_id}) has a {REVIEWED_CHANGE_KEY} that is not a reviewed change: it needs an outcome "
            f"(text, such as would_cancel) and a request_id (a positive whole number, or null), got {reviewed!r}. "
            "Pass the entries of the reviewed plan unchanged."
        )
    return dict(outcome=outcome, request_id=request_id)


def normalize_text(name, text, max_length, why_required):
    """``text`` without surrounding whitespace; ValueError when it is not text, empty (saying ``why_required``) or
    too long. A number is taken as its text: an unquoted ticket number in YAML is one."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = str(text)
    if text is not None and not isinstance(text, str):
        raise ValueError(f"{name} must be text, got {kind_of(text)} {text!r}. Give one sentence; to combine several values, join them into one text first.")
    if text is None or not text.strip():
        raise ValueError(f"{name} must not be empty: {why_required}")
    text = text.strip()
    if len(text) > max_length:
        raise ValueError(f"{name} is {len(text)} characters long; at most {max_length} are allowed.")
    control = _first_control_character(text)
    if control is not None:
        position, character = control
        # The character is named by its code point, never written out: it may be a terminal escape.
        raise ValueError(
            f"{name} contains the control character U+{ord(character):04X} at position {position}. Write it as one line of plain text, "
            "without line breaks, tabs or other control characters: it goes to CertCentral's audit log "
            "and into reports."
        )
    return text


def _first_control_character(text):
    """(position from 1, character) of the first control character or line or paragraph separator, or None."""
    for position, character in enumerate(text, start=1):
        if unicodedata.category(character) in CONTROL_CATEGORIES:
            return position, character
    return None
