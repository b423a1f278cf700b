# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""Choosing orders: which listings to ask CertCentral for, and which listed orders to keep."""

from __future__ import annotations

import datetime

from .orders import normalize_order
from .timestamps import parse_date_option, parse_timestamp

# The documented values of filters[status] for GET /order/certificate.
API_STATUS_FILTERS = ("pending", "waiting_pickup", "reissue_pending", "issued", "canceled", "rejected", "revoked")
# Statuses orders can have that filters[status] does not document; selecting them means listing all orders.
CLIENT_SIDE_STATUSES = ("needs_approval", "expired")
SELECTABLE_STATUSES = API_STATUS_FILTERS + CLIENT_SIDE_STATUSES

# The largest older_than_days: far older than any CertCentral order, and well inside Python's date range.
MAX_OLDER_THAN_DAYS = 36500

# Module options that select orders from a listing (as opposed to naming one order).
LISTING_OPTIONS = ("status", "product_name_id", "common_name", "domain_name", "container_id", "search", "older_than_days", "created_before", "created_after")


def _unique(values):
    unique = []
    for value in values:
        if value not in unique:
            unique.append(value)
    return unique


class OrderSelection:
    """A set of conditions on orders. Conditions that CertCentral can filter on are sent as API filters (one
    listing per container, status and product, because the API documents no syntax for several values); all
    conditions with an exact meaning are checked again on what comes back.

    ``container_id`` is one container (a module option); ``container_ids`` several, for a caller that lists each of
    them, such as the role order_cleanup's listing action.
    """

    def __init__(
        self,
        statuses=None,
        product_name_ids=None,
        common_name=None,
        domain_name=None,
        container_id=None,
        search=None,
        older_than_days=None,
        created_before=None,
        created_after=None,
        container_ids=None,
    ):
        self.statuses = _unique(statuses) if statuses is not None else None
        self.product_name_ids = _unique(product_name_ids) if product_name_ids is not None else None
        self.common_name = common_name
        self.domain_name = domain_name
        self.container_ids = _unique(container_ids) if container_ids else ([container_id] if container_id is not None else [])
        self.search = search
        self.older_than_days = older_than_days
        self.created_before = created_before
        self.created_after = created_after

    @classmethod
    def from_params(cls, params):
        """Build a selection from module parameters; ValueError says which value is wrong."""
        for name in ("status", "product_name_id"):
            values = params.get(name)
            if values is not None and (not values or not all(values)):
                raise ValueError(f"{name} must list at least one value and no empty ones; leave it out to select any.")
        for name in ("common_name", "domain_name", "search"):
            if params.get(name) is not None and not params[name].strip():
                raise ValueError(f"{name} must not be empty; leave it out to select any.")
        if params.get("container_id") is not None and params["container_id"] < 1:
            raise ValueError(f"container_id must be a positive number, got {params['container_id']}.")
        too_small = [container_id for container_id in params.get("container_ids") or [] if container_id < 1]
        if too_small:
            raise ValueError(f"container_ids must hold container IDs of 1 or more, got {', '.join(str(container_id) for container_id in too_small)}.")
        if params.get("older_than_days") is not None and params["older_than_days"] < 0:
            raise ValueError(f"older_than_days must be 0 or more, got {params['older_than_days']}.")
        if params.get("older_than_days") is not None and params["older_than_days"] > MAX_OLDER_THAN_DAYS:
            # Python's dates end before such a cut-off could be computed; no order is that old anyway.
            raise ValueError(f"older_than_days must be at most {MAX_OLDER_THAN_DAYS} (100 years), got {params['older_than_days']}.")
        created_before = created_after = None
        if params.get("created_before") is not None:
            created_before = parse_date_option("created_before", params["created_before"])
        if params.get("created_after") is not None:
            created_after = parse_date_option("created_after", params["created_after"])
        if created_before is not None and created_after is not None and created_after >= created_before:
            raise ValueError(
                f"created_after ({params['created_after']}) must be earlier than created_before ({params['created_before']}); no order can match both."
            )
        return cls(
            statuses=params.get("status"),
            product_name_ids=params.get("product_name_id"),
            common_name=params.get("common_name"),
            domain_name=params.get("domain_name"),
            container_id=params.get("container_id"),
            search=params.get("search"),
            older_than_days=params.get("older_than_days"),
            created_before=created_before,
            created_after=created_after,
            container_ids=params.get("container_ids"),
        )

    def api_listings(self):
        """The ``filters`` for each listing to request, as a list of dicts for CertCentralClient.list_orders()."""
        shared = dict(
            (name, value)
            for name, value in (
                ("common_name", self.common_name),
                ("domain_name", self.domain_name),
                ("search", self.search),
            )
            if value is not None
        )
        if self.statuses and all(status in API_STATUS_FILTERS for status in self.statuses):
            statuses = self.statuses
        else:
            statuses = [None]
        product_name_ids = self.product_name_ids or [None]
        listings = []
        for container_id in self.container_ids or [None]:
            for status in statuses:
                for product_name_id in product_name_ids:
                    filters = dict(shared)
                    if container_id is not None:
                        filters["container_id"] = container_id
                    if status is not None:
                        filters["status"] = status
                    if product_name_id is not None:
                        filters["product_name_id"] = product_name_id
                    listings.append(filters)
        return listings

    def matches(self, order, now):
        """Whether a normalized order meets every condition that has an exact meaning.

        filters[status]=issued also returns expired orders, so status is always checked here. domain_name,
        container_id and search are left to the server: their exact matching rules are not documented.
        Orders without a readable creation date never match a date condition.
        """
        if self.statuses and order["status"] not in self.statuses:
            return False
        if self.product_name_ids and order["product_name_id"] not in self.product_name_ids:
            return False
        if self.common_name is not None and (order["common_name"] or "").lower() != self.common_name.lower():
            return False
        if self.older_than_days is None and self.created_before is None and self.created_after is None:
            return True
        created = parse_timestamp(order["date_created"])
        if created is None:
            return False
        if self.older_than_days is not None and created >= now - datetime.timedelta(days=self.older_than_days):
            return False
        if self.created_before is not None and created >= self.created_before:
            return False
        return self.created_after is None or created >= self.created_after


def select_orders(client, selection, now, details=False, include_raw=False, keep=None, progress=None):
    """The normalized orders that ``selection`` picks, each once, in listing order (ascending order ID per listing).

    With ``details``, each picked order is read again with order info (requests, payment_method), by the client's
    bounded pool of workers, and checked again, since its status may have moved on meanwhile. With ``include_raw``,
    each order carries ``raw``: the list item, or with ``details`` the order info. ``keep`` turns each picked
    normalized order into what the result holds, as soon as its page arrives (without ``details``), so that a caller
    who needs less than the whole order never holds every order of a large account at once. ``progress``, a
    progress.Progress, is told how far the listings and the detail reads have come.
    """
    keep = keep or _as_is

    def picked(order):
        """(ID, what is kept of the order, or None when the selection does not pick it)."""
        normalized = normalize_order(order, now, include_raw=include_raw)
        if not selection.matches(normalized, now):
            return order["id"], None
        # With details the order is read again: only its place in the listing and its price (which order info
        # does not carry) are needed until then.
        return order["id"], _Listed(normalized["price"]) if details else keep(normalized)

    kept = {}
    listings = selection.api_listings()
    for number, filters in enumerate(listings, 1):
        listed = progress.listing(number, len(listings)) if progress is not None else None
        for order_id, value in client.list_orders(filters, keep=picked, progress=listed):
            # Across listings an order can come twice, when its status changed between two of them.
            if order_id not in kept:
                kept[order_id] = value
    if not details:
        return [value for value in kept.values() if value is not None]
    picked_ids = [order_id for order_id, value in kept.items() if value is not None]
    read_progress = progress.details if progress is not None else None
    detailed = (
        _with_listed_price(normalize_order(order, now, include_raw=include_raw), kept[order_id])
        for order_id, order in zip(picked_ids, client.get_orders(picked_ids, progress=read_progress))
    )
    return [keep(order) for order in detailed if selection.matches(order, now)]


class _Listed:
    """What a listing told of an order read again with details: its price, which order info leaves out."""

    __slots__ = ("price",)

    def __init__(self, price):
        self.price = price


def _with_listed_price(order, listed):
    """The detailed ``order`` with the listing's price when order info gives none."""
    if order["price"] is None:
        order["price"] = listed.price
    return order


def _as_is(order):
    return order
