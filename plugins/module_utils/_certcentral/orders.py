# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""One shape for an order in module results, whether it came from the order list or from order info."""

from __future__ import annotations

from .timestamps import age_in_days, parse_timestamp
from .verdict import cancel_verdict, product_family


# The fields of an order this collection reads, with the JSON types each may have (None: it may be null or absent).
# Wrong types are refused with a sentence before anything uses them; fields not listed here are passed on untouched.
_TEXT = (str, type(None))
_NUMBER = (int, float, type(None))
_ORDER_FIELDS = (
    ("status", _TEXT),
    ("date_created", _TEXT),
    ("product_name_id", _TEXT),
    ("payment_method", _TEXT),
    ("certificate", (dict, type(None))),
    ("certificate.id", (int, type(None))),
    ("certificate.common_name", _TEXT),
    ("certificate.dns_names", (list, type(None))),
    ("certificate.date_created", _TEXT),
    ("certificate.date_issued", _TEXT),
    ("certificate.serial_number", _TEXT),
    ("certificate.valid_till", _TEXT),
    ("certificate.days_remaining", (int, type(None))),
    ("product", (dict, type(None))),
    ("product.name_id", _TEXT),
    ("product.type", _TEXT),
    ("container", (dict, type(None))),
    ("container.id", (int, type(None))),
    ("container.name", _TEXT),
    ("organization", (dict, type(None))),
    ("organization.name", _TEXT),
    ("price", _NUMBER),
    ("requests", (list, type(None))),
)
# Split once: the check runs for every order of a listing (20,000 and more).
_ORDER_FIELD_PATHS = tuple((field, tuple(field.split(".")), allowed) for field, allowed in _ORDER_FIELDS)
_REQUEST_FIELDS = (("id", (int,)), ("type", _TEXT), ("status", _TEXT), ("date", _TEXT))


def json_kind(value):
    """How a JSON value reads in a sentence: ``text``, ``a number``, ``a list``, ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "a value of unknown type"


_KIND_OF_TYPE = {str: "text", int: "a number", float: "a number", list: "a list", dict: "an object"}


def _type_problem(value, allowed, field):
    if isinstance(value, allowed) and not (isinstance(value, bool) and bool not in allowed):
        return None
    kinds = []
    for kind in allowed:
        if kind in _KIND_OF_TYPE and _KIND_OF_TYPE[kind] not in kinds:
            kinds.append(_KIND_OF_TYPE[kind])
    wanted = " or ".join(kinds)
    return f"its {field} is {json_kind(value)} where {wanted} belongs"


def _field(order, path):
    value = order
    for name in path:
        if not isinstance(value, dict):
            return None
        value = value.get(name)
    return value


def order_shape_problem(order, where="the order"):
    """None when ``order`` (a list item or order info) has the types this collection relies on, else a phrase that
    names the order and the field, for example ``order 7: its certificate.dns_names is a number where a list belongs``.

    ``where`` names an order whose ID cannot be trusted, for example ``the 3rd order of the page at offset 0``.
    """
    if not isinstance(order, dict):
        return f"{where} is {json_kind(order)} where an object belongs"
    order_id = order.get("id")
    if not isinstance(order_id, int) or isinstance(order_id, bool) or order_id < 1:
        return f"{where} has an id that is {json_kind(order_id)} where a positive number belongs"
    subject = f"order {order_id}"
    for field, path, allowed in _ORDER_FIELD_PATHS:
        problem = _type_problem(_field(order, path), allowed, field)
        if problem is not None:
            return f"{subject}: {problem}"
    for name in _field(order, ("certificate", "dns_names")) or []:
        if not isinstance(name, _TEXT):
            return f"{subject}: its certificate.dns_names holds {json_kind(name)} where only text belongs"
    for index, request in enumerate(order.get("requests") or []):
        if not isinstance(request, dict):
            return f"{subject}: its requests[{index}] is {json_kind(request)} where an object belongs"
        for field, allowed in _REQUEST_FIELDS:
            problem = _type_problem(request.get(field), allowed, f"requests[{index}].{field}")
            if problem is not None:
                return f"{subject}: {problem}"
    return None


def _mapping(value):
    return value if isinstance(value, dict) else {}


def normalize_order(order, now, requests=None, include_raw=False):
    """The fields modules return for ``order``, with its cancel verdict.

    ``now`` (an aware datetime) fixes the reference point of ``age_days``. ``requests`` defaults to the order's own
    ``requests`` (present in order info); it stays None when unknown, as for list items. With ``include_raw``,
    ``raw`` keeps the order as returned; it is left out otherwise, because it holds most of the values of a result
    and every value costs time in Ansible's handling of a module result.
    """
    certificate = _mapping(order.get("certificate"))
    product = _mapping(order.get("product"))
    container = _mapping(order.get("container"))
    if requests is None and isinstance(order.get("requests"), list):
        requests = order["requests"]
    # Order info has date_created at the top; older answers only had it on the certificate.
    date_created = order.get("date_created") or certificate.get("date_created")
    # Orders without SANs used to come back as [" "].
    dns_names = [name for name in certificate.get("dns_names") or [] if isinstance(name, str) and name.strip()]
    status = order.get("status")
    normalized = dict(
        id=order.get("id"),
        status=status.lower() if isinstance(status, str) else status,
        common_name=certificate.get("common_name"),
        dns_names=dns_names,
        product_name_id=product.get("name_id") or order.get("product_name_id"),
        product_type=product.get("type"),
        product_family=product_family(order),
        container_id=container.get("id"),
        container_name=container.get("name"),
        organization_name=_mapping(order.get("organization")).get("name"),
        date_created=date_created,
        age_days=age_in_days(parse_timestamp(date_created), now),
        payment_method=order.get("payment_method"),
        # Certificate data as CertCentral gives it: absent until issued; price only on list items.
        valid_till=certificate.get("valid_till"),
        days_remaining=certificate.get("days_remaining"),
        serial_number=certificate.get("serial_number"),
        price=order.get("price"),
        requests=requests,
        cancel_verdict=cancel_verdict(order, requests),
    )
    if include_raw:
        normalized["raw"] = order
    return normalized
