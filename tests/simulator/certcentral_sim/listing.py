# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Filters, sorting and paging of the list endpoints (docs/certcentral-api.md §3 and §6)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from . import errors

MAX_LIMIT = 1000  # INFERRED from client code and fixtures (docs/certcentral-api.md §3)
ISSUED_FILTER_ALSO_MATCHES = ("issued", "expired")  # documented quirk of filters[status]=issued

# Documented filters the simulator has no data for; a request using one is refused rather than silently unfiltered.
UNSIMULATED_ORDER_FILTERS = ("metadata_id", "origin")

Predicate = Callable[[dict], bool]


def last_values(query: dict[str, list[str]]) -> dict[str, str]:
    """One value per parameter; INVENTED: when a parameter is repeated, the last value wins."""
    return {name: values[-1] for name, values in query.items()}


def filters_of(params: dict[str, str]) -> dict[str, str]:
    """The ``filters[name]`` parameters with a non-blank value (INVENTED: a blank value means no filter)."""
    found = {}
    for name, value in params.items():
        if name.startswith("filters[") and name.endswith("]") and value.strip():
            found[name[len("filters[") : -1]] = value.strip()
    return found


def paging(params: dict[str, str], unlimited_by_default: bool = False) -> tuple[int, int]:
    """(offset, limit); limit 0 means "everything" and is only the default when ``unlimited_by_default``.

    INFERRED: the orders list defaults to 1000 (fixtures of unparameterized calls show ``page.limit: 1000``); the
    requests list defaults to everything with ``page.limit: 0``, as the documented list-requests example shows.
    INVENTED: a non-integer or negative offset/limit is refused with 400 ``invalid_param|<name>``.
    """
    offset = _non_negative_int(params, "offset", 0)
    default = 0 if unlimited_by_default else MAX_LIMIT
    limit = _non_negative_int(params, "limit", default)
    if limit == 0 and not unlimited_by_default:
        limit = MAX_LIMIT  # INVENTED: limit=0 on the orders list means the default page size
    return offset, min(limit, MAX_LIMIT)


def _non_negative_int(params: dict[str, str], name: str, default: int) -> int:
    text = params.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise errors.invalid_param(name, f"{name} must be a non-negative integer.") from None
    if value < 0:
        raise errors.invalid_param(name, f"{name} must be a non-negative integer.")
    return value


def page_of(items: list, offset: int, limit: int) -> tuple[list, dict]:
    page_items = items[offset : offset + limit] if limit else items[offset:]
    return page_items, {"total": len(items), "limit": limit, "offset": offset}


def sort_items(items: list[dict], sort_text: str, sort_keys: dict[str, Callable[[dict], object]]) -> list[dict]:
    """Sort by ``a,-b`` (``-`` descending). INVENTED: ties keep id order; a missing value sorts before any value."""
    fields = [field.strip() for field in sort_text.split(",") if field.strip()]
    for field in fields:
        if field.lstrip("-") not in sort_keys:
            raise errors.invalid_param("sort", f"Cannot sort by '{field.lstrip('-')}'; sortable: {', '.join(sorted(sort_keys))}.")
    # Stable sorts from the least significant key to the most significant one.
    for field in reversed(fields):
        key = sort_keys[field.lstrip("-")]
        items.sort(key=lambda item, key=key: _nulls_first(key(item)), reverse=field.startswith("-"))
    return items


def _nulls_first(value) -> tuple:
    return (value is not None, value if value is not None else 0)


# INVENTED: the sortable properties (the documented list was cut off) and, without ``sort``, ascending order ID.
ORDER_SORT_KEYS: dict[str, Callable[[dict], object]] = {
    "id": lambda order: order["id"],
    "date_created": lambda order: order["date_created"],
    "valid_till": lambda order: order["certificate"].get("valid_till"),
    "status": lambda order: order["status"],
    "common_name": lambda order: order["certificate"]["common_name"].lower(),
    "product_name_id": lambda order: order["product_name_id"],
    "container_id": lambda order: order["container_id"],
    "organization_id": lambda order: order["organization_id"],
}

REQUEST_SORT_KEYS: dict[str, Callable[[dict], object]] = {
    "id": lambda request: request["id"],
    "date": lambda request: request["date"],
    "status": lambda request: request["status"],
    "type": lambda request: request["type"],
}


def order_predicates(filters: dict[str, str], order_emails: Callable[[dict], list[str]]) -> list[Predicate]:
    """One predicate per filter; all must hold. ``order_emails`` gives the addresses an order is known by.

    INVENTED: an unknown filter is refused with 400 rather than ignored, so that a misspelt filter in a client
    cannot silently widen a selection (think of a cancel run).
    """
    predicates = []
    for name, value in sorted(filters.items()):
        if name in UNSIMULATED_ORDER_FILTERS:
            raise errors.invalid_param(f"filters[{name}]", f"filters[{name}] is documented but not supported by the simulator.")
        build = _ORDER_FILTERS.get(name)
        if build is None:
            raise errors.invalid_param(f"filters[{name}]", f"Unknown filter filters[{name}].")
        predicates.append(build(name, value, order_emails))
    return predicates


def _equal_text(field: Callable[[dict], object]):
    def build(_name, value, _emails):
        return lambda order: str(field(order)) == value

    return build


def _status(_name, value, _emails):
    # INVENTED: values the docs do not list (needs_approval, expired, anything else) match that status exactly.
    if value == "issued":
        return lambda order: order["status"] in ISSUED_FILTER_ALSO_MATCHES
    return lambda order: order["status"] == value


def _boolean(field: str):
    def build(name, value, _emails):
        wanted = {"1": True, "true": True, "0": False, "false": False}.get(value.lower())
        if wanted is None:
            raise errors.invalid_param(f"filters[{name}]", f"filters[{name}] must be 1 or 0.")
        return lambda order: bool(order[field]) is wanted

    return build


def _common_name(_name, value, _emails):
    # INVENTED: names compare case-insensitively, as DNS names do.
    wanted = value.lower()
    return lambda order: order["certificate"]["common_name"].lower() == wanted


def _domain_name(_name, value, _emails):
    wanted = value.lower()
    return lambda order: order["certificate"]["common_name"].lower() == wanted or any(name.lower() == wanted for name in order["certificate"]["dns_names"])


def _email(_name, value, order_emails):
    # INVENTED: an order's emails are its requester's address and the certificate's emails (client certificates).
    wanted = value.lower()
    return lambda order: any(email.lower() == wanted for email in order_emails(order))


def _search(_name, value, order_emails):
    # INVENTED: "matches or contains" is a case-insensitive substring test on the common name and the emails.
    wanted = value.lower()
    return lambda order: wanted in order["certificate"]["common_name"].lower() or any(wanted in email.lower() for email in order_emails(order))


def _serial_number(_name, value, _emails):
    wanted = value.upper()
    return lambda order: order["certificate"].get("serial_number", "").upper() == wanted


def _date_filter(field: Callable[[dict], str | None]):
    def build(name, value, _emails):
        test = date_test(f"filters[{name}]", value)
        return lambda order: test(field(order))

    return build


def date_test(parameter: str, expression: str) -> Callable[[str | None], bool]:
    """A test for a date or timestamp field from ``D``, ``>D``, ``>=D``, ``<D``, ``<=D`` or ``D1...D2`` (inclusive).

    The ``>`` prefix and the ``...`` range are seen in public client code (docs/certcentral-api.md §3). INVENTED: ``>=``, ``<``,
    ``<=``, inclusive ranges, exact dates; a bound without a time compares whole days, a bound with a time compares
    instants (UTC when no offset is given); a field without a value never matches.
    """
    expression = expression.strip()
    if "..." in expression:
        low_text, _sep, high_text = expression.partition("...")
        low, high = _bound(parameter, low_text), _bound(parameter, high_text)
        return lambda text: text is not None and _compare(text, low) >= 0 and _compare(text, high) <= 0
    for operator, accepts in ((">=", (0, 1)), ("<=", (-1, 0)), (">", (1,)), ("<", (-1,))):
        if expression.startswith(operator):
            bound = _bound(parameter, expression[len(operator) :])
            return lambda text, bound=bound, accepts=accepts: text is not None and _compare(text, bound) in accepts
    bound = _bound(parameter, expression)
    return lambda text: text is not None and _compare(text, bound) == 0


def _bound(parameter: str, text: str) -> datetime.date | datetime.datetime:
    text = text.strip()
    try:
        if len(text) == 10:
            return datetime.date.fromisoformat(text)
        moment = datetime.datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        raise errors.invalid_param(parameter, f"{parameter} must be a date (YYYY-MM-DD) or a timestamp, optionally with >, >=, <, <= or a ... range.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment


def _compare(field_text: str, bound: datetime.date | datetime.datetime) -> int:
    if isinstance(bound, datetime.datetime):
        if len(field_text) == 10:
            value = datetime.datetime.combine(datetime.date.fromisoformat(field_text), datetime.time(0, 0), tzinfo=datetime.timezone.utc)
        else:
            value = datetime.datetime.fromisoformat(field_text)
    else:
        value = datetime.date.fromisoformat(field_text[:10])
    return (value > bound) - (value < bound)


_ORDER_FILTERS = {
    "id": _equal_text(lambda order: order["id"]),
    "status": _status,
    "organization_id": _equal_text(lambda order: order["organization_id"]),
    "product_name_id": _equal_text(lambda order: order["product_name_id"]),
    "valid_till": _date_filter(lambda order: order["certificate"].get("valid_till")),
    "user_id": _equal_text(lambda order: order["user_id"]),
    "common_name": _common_name,
    "domain_name": _domain_name,
    "date_created": _date_filter(lambda order: order["date_created"]),
    "container_id": _equal_text(lambda order: order["container_id"]),
    "is_renewed": _boolean("is_renewed"),
    "disable_renewal_notifications": _boolean("disable_renewal_notifications"),
    "email": _email,
    "certificate_id": _equal_text(lambda order: order["certificate"]["id"]),
    "serial_number": _serial_number,
    "search": _search,
}

# INVENTED: DigiCert's list of request filters is cut off (docs/certcentral-api.md §6); these three are the simulator's.
REQUEST_FILTERS = ("status", "type", "order_id")


def request_predicates(filters: dict[str, str]) -> list[Predicate]:
    predicates = []
    for name, value in sorted(filters.items()):
        if name not in REQUEST_FILTERS:
            raise errors.invalid_param(f"filters[{name}]", f"Unknown filter filters[{name}]; the simulator supports {', '.join(REQUEST_FILTERS)}.")
        predicates.append(lambda request, name=name, value=value: str(request[name]) == value)
    return predicates
