# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The account model: orders, requests, API keys, the status machine, and the audit log.

One re-entrant lock guards everything. Orders and requests loaded from the data are shared, read-only, with the
loaded snapshot until the first change to them (copy on write), so a reset only swaps references back and a
20,000-order account costs no deep copy per request or per reset.

The order list keeps the filtered and sorted order IDs of its recent listings, stamped with the account's generation,
a number every change (and every locked section that may change something) raises: the next page of an unchanged
listing then costs its page, not a pass over the whole account, as with an indexed service. A page is the same as
without the cache; any change, churn and completed revocations included, shows in the next page as before.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime
import hashlib
import threading

from . import errors, listing, views
from .generator import DATA_FORMAT

ORDER_STATUSES = (
    "needs_approval",
    "pending",
    "waiting_pickup",
    "reissue_pending",
    "issued",
    "expired",
    "revoked",
    "canceled",
    "rejected",
)
CANCELABLE_STATUSES = ("pending", "waiting_pickup")
REQUEST_TYPES = ("new_request", "revoke", "duplicate", "reissue")
REQUEST_STATUSES = ("submitted", "pending", "approved", "rejected")
ROLES = ("admin", "orders", "view_only")
REVOCATION_REASONS = ("unspecified", "key_compromise", "affiliation_changed", "superseded", "cessation_of_operation")
# Statuses of an order whose certificate has been issued.
CERTIFICATE_STATUSES = ("issued", "expired", "revoked", "reissue_pending")

# Order fields the admin channel may set; the rest (id, reissues) are the simulator's bookkeeping.
SETTABLE_ORDER_FIELDS = (
    "status",
    "date_created",
    "product_name_id",
    "container_id",
    "organization_id",
    "user_id",
    "certificate",
    "validity_years",
    "order_valid_till",
    "is_renewal",
    "is_renewed",
    "renewed_order_id",
    "disable_renewal_notifications",
    "payment_method",
    "receipt_id",
    "price",
    "duplicates_count",
    "dcv_method",
)
SETTABLE_REQUEST_FIELDS = ("status", "comments", "processor_comment", "date", "date_processed", "processor_id")

SIMULATOR_ROLE = "simulator"  # the "key role" recorded for admin-channel changes and scheduled mutations

# How many listings (filters, sort) of the current generation the order list keeps; a client reads one at a time.
LISTINGS_KEPT = 8

# Settable order fields the data file may leave out (docs/simulator.md marks them optional).
OPTIONAL_ORDER_FIELDS = ("renewed_order_id", "receipt_id", "dcv_method")

# What the data file must give for every order, certificate and request (docs/simulator.md describes each field):
# for an order, its ID, every settable field but the optional ones, and its reissues.
REQUIRED_ORDER_FIELDS = ("id",) + tuple(name for name in SETTABLE_ORDER_FIELDS if name not in OPTIONAL_ORDER_FIELDS) + ("reissues",)
REQUIRED_CERTIFICATE_FIELDS = ("id", "common_name", "dns_names", "date_created", "signature_hash", "key_size", "cert_validity")
REQUIRED_REQUEST_FIELDS = ("id", "order_id", "type", "status", "date", "requester_id")


class DataError(ValueError):
    """The account data does not follow the data-file format."""


# ---- the real world: behaviours a real account shows that the tidy default leaves out ---------------------------

# INVENTED: how order info spells request types and statuses on orders with odd spellings. One real fixture spells
# a type "new request"; the rest follows that pattern (words apart, types and statuses capitalised).
ODD_SPELLINGS = {
    "new_request": "new request",
    "revoke": "Revoke",
    "duplicate": "Duplicate",
    "reissue": "Reissue",
    "submitted": "Submitted",
    "pending": "Pending",
    "approved": "Approved",
    "rejected": "Rejected",
}
ODD_KINDS = ("string_request_ids", "spelt_request_types")


@dataclasses.dataclass
class RealWorld:
    """Behaviours of real accounts that are off by default (docs/simulator.md, "The real world").

    ``revocation_delay_seconds``: a revocation (with skip_approval, or a revoke request approved) is carried out this
    long after it was accepted; until then the order reads issued with an approved revoke request. 0: at once.
    ``string_request_ids`` / ``spelt_request_types``: orders whose order info shows request IDs as text, or request
    types and statuses in another spelling. ``odd_share`` and ``odd_seed`` choose further orders for either, by a
    hash of the seed and the order ID, so the choice is the same in every run and does not depend on the account's size.
    """

    revocation_delay_seconds: float = 0.0
    string_request_ids: frozenset = frozenset()
    spelt_request_types: frozenset = frozenset()
    odd_share: float = 0.0
    odd_seed: int = 0

    @classmethod
    def from_dict(cls, settings: dict) -> RealWorld:
        if not isinstance(settings, dict):
            raise ValueError("the real-world settings must be a JSON object")
        unknown = sorted(set(settings) - {field.name for field in dataclasses.fields(cls)})
        if unknown:
            raise ValueError(f"unknown real-world settings {unknown}; known: {', '.join(field.name for field in dataclasses.fields(cls))}")
        delay = settings.get("revocation_delay_seconds", 0.0)
        if isinstance(delay, bool) or not isinstance(delay, (int, float)) or not 0 <= delay <= 86400:
            raise ValueError("revocation_delay_seconds must be a number of seconds from 0 to 86400")
        share = settings.get("odd_share", 0.0)
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
            raise ValueError("odd_share must be a number from 0 to 1")
        seed = settings.get("odd_seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise ValueError("odd_seed must be an integer")
        chosen = {}
        for kind in ODD_KINDS:
            ids = settings.get(kind, [])
            if not isinstance(ids, list) or not all(isinstance(value, int) and not isinstance(value, bool) for value in ids):
                raise ValueError(f"{kind} must be a list of order IDs")
            chosen[kind] = frozenset(ids)
        return cls(float(delay), chosen["string_request_ids"], chosen["spelt_request_types"], float(share), seed)

    def to_dict(self) -> dict:
        return {
            "revocation_delay_seconds": self.revocation_delay_seconds,
            "string_request_ids": sorted(self.string_request_ids),
            "spelt_request_types": sorted(self.spelt_request_types),
            "odd_share": self.odd_share,
            "odd_seed": self.odd_seed,
        }

    def odd_kind(self, order_id: int) -> str | None:
        """Which odd request data order info shows for this order, if any."""
        if order_id in self.string_request_ids:
            return "string_request_ids"
        if order_id in self.spelt_request_types:
            return "spelt_request_types"
        if self.odd_share > 0:
            digest = hashlib.sha256(f"{self.odd_seed}/{order_id}".encode()).digest()
            if int.from_bytes(digest[:4], "big") < self.odd_share * 2**32:
                return ODD_KINDS[digest[4] % 2]
        return None


def _odd_requests(kind: str, requests: list[dict]) -> list[dict]:
    """The ``requests[]`` of order info as an order with odd request data shows them."""
    if kind == "string_request_ids":
        return [dict(request, id=str(request["id"])) for request in requests]
    return [
        dict(request, type=ODD_SPELLINGS.get(request["type"], request["type"]), status=ODD_SPELLINGS.get(request["status"], request["status"]))
        for request in requests
    ]


@dataclasses.dataclass(frozen=True)
class ApiKey:
    role: str
    user_id: int


def timestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _digits(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


class Account:
    """A CertCentral account in memory. Every public method is thread-safe."""

    def __init__(self, data: dict, clock=None, real_world: RealWorld | None = None) -> None:
        self._clock = clock or (lambda: datetime.datetime.now(datetime.timezone.utc))
        self._lock = threading.RLock()
        # The listing cache (see the module docstring): the generation, and per listing (filters, sort, date) the
        # generation it was made at and its order IDs.
        self._generation = 0
        self._listings: dict[tuple, tuple[int, list[int]]] = {}
        # What a reset returns to; configure_real_world() changes the current settings only.
        self._initial_real_world = real_world or RealWorld()
        self._load(data)
        self.reset()

    @contextlib.contextmanager
    def _locked(self):
        """The account lock, after carrying out the revocations that are due: every look at the account sees them.

        For a section that may change the account: it raises the generation on entry and on leaving, so no listing
        made before or during it is served afterwards (conservative: even a section that ends up changing nothing).
        """
        with self._lock:
            self._complete_due_revocations()
            self._changed()
            try:
                yield
            finally:
                self._changed()

    @contextlib.contextmanager
    def _reading(self):
        """The account lock for a section that only reads: as ``_locked`` without raising the generation (carrying
        out due revocations raises it by itself)."""
        with self._lock:
            self._complete_due_revocations()
            yield

    def _changed(self) -> None:
        """Say that the account may have changed: the cached listings are stale from now on."""
        self._generation += 1

    # ---- loading and resetting ---------------------------------------------------------------------------------

    def _load(self, data: dict) -> None:
        if not isinstance(data, dict) or data.get("format") != DATA_FORMAT:
            raise DataError(f'account data must be a JSON object with "format": "{DATA_FORMAT}"')
        try:
            self.reference_date = data["reference_date"]
            self.account_id = data["account"]["id"]
            self.account_name = data["account"]["name"]
            self._balance = dict(data["balance"])
            self.products = {product["name_id"]: product for product in data["products"]}
            self.containers = {container["id"]: container for container in data["containers"]}
            self.organizations = {organization["id"]: organization for organization in data["organizations"]}
            self.users = {user["id"]: user for user in data["users"]}
            self._keys = {entry["key"]: ApiKey(entry["role"], entry["user_id"]) for entry in data["api_keys"]}
            orders = sorted(data["orders"], key=lambda order: order["id"])
            requests = sorted(data["requests"], key=lambda request: request["id"])
            for key in self._keys.values():
                if key.role not in ROLES or key.user_id not in self.users:
                    raise DataError(f"an API key has an unknown role or user (roles: {', '.join(ROLES)})")
            self._pristine_orders = {order["id"]: order for order in orders}
            self._pristine_requests = {request["id"]: request for request in requests}
            requests_by_order: dict[int, list[int]] = {}
            for request in requests:
                self._check_request(request)
                requests_by_order.setdefault(request["order_id"], []).append(request["id"])
            for order in orders:
                self._check_order(order)
        except (AttributeError, KeyError, TypeError) as error:
            raise DataError(f"account data is missing or mistypes a field: {error!r}") from None
        self._pristine_requests_by_order = {order_id: tuple(ids) for order_id, ids in requests_by_order.items()}

    def _check_order(self, order: dict) -> None:
        missing = [name for name in REQUIRED_ORDER_FIELDS if name not in order]
        if not missing:
            missing = [f"certificate.{name}" for name in REQUIRED_CERTIFICATE_FIELDS if name not in order["certificate"]]
        if missing:
            raise DataError(f"order {order.get('id')} lacks {', '.join(missing)}")
        problems = [
            name
            for name, ok in (
                ("status", order["status"] in ORDER_STATUSES),
                ("product_name_id", order["product_name_id"] in self.products),
                ("container_id", order["container_id"] in self.containers),
                ("organization_id", order["organization_id"] in self.organizations),
                ("user_id", order["user_id"] in self.users),
                ("reissues", all(entry.get("user_id") in self.users for entry in order["reissues"])),
            )
            if not ok
        ]
        if problems:
            raise DataError(f"order {order['id']} has an invalid {', '.join(problems)}")

    def _check_request(self, request: dict) -> None:
        missing = [name for name in REQUIRED_REQUEST_FIELDS if name not in request]
        if missing:
            raise DataError(f"request {request.get('id')} lacks {', '.join(missing)}")
        problems = [
            name
            for name, ok in (
                ("order_id", request["order_id"] in self._pristine_orders),
                ("type", request["type"] in REQUEST_TYPES),
                ("status", request["status"] in REQUEST_STATUSES),
                ("requester_id", request["requester_id"] in self.users),
                ("processor_id", request.get("processor_id") is None or request["processor_id"] in self.users),
            )
            if not ok
        ]
        if problems:
            raise DataError(f"request {request['id']} has an invalid {', '.join(problems)}")

    def reset(self) -> None:
        """Go back to the loaded state: orders, requests, balance, and an empty audit log."""
        with self._lock:
            self._changed()
            self._listings.clear()
            self._orders = dict(self._pristine_orders)
            self._requests = dict(self._pristine_requests)
            self._owned_orders: set[int] = set()
            self._owned_requests: set[int] = set()
            self._added_requests_by_order: dict[int, list[int]] = {}
            self._next_request_id = max(self._requests, default=7_000_000) + 1
            self._audit: list[dict] = []
            self._audit_sequence = 0
            self.real_world = self._initial_real_world
            # Revocations accepted and not carried out yet: order ID -> (when they are due, request ID).
            self._revocations_due: dict[int, tuple[datetime.datetime, int]] = {}
            self._rebuild_certificate_index()

    def _rebuild_certificate_index(self) -> None:
        self._by_thumbprint: dict[str, int] = {}
        self._by_serial: dict[str, int] = {}
        self._by_certificate_id: dict[int, int] = {}
        for order in self._orders.values():
            self._index_certificate(order)

    def _index_certificate(self, order: dict) -> None:
        certificate = order["certificate"]
        if certificate.get("thumbprint"):
            self._by_thumbprint[certificate["thumbprint"].upper()] = order["id"]
        if certificate.get("serial_number"):
            self._by_serial[certificate["serial_number"].upper()] = order["id"]
        if "id" in certificate:
            self._by_certificate_id[certificate["id"]] = order["id"]

    def _writable_order(self, order_id: int) -> dict:
        if order_id not in self._owned_orders:
            self._orders[order_id] = copy.deepcopy(self._orders[order_id])
            self._owned_orders.add(order_id)
        return self._orders[order_id]

    def _writable_request(self, request_id: int) -> dict:
        if request_id not in self._owned_requests:
            self._requests[request_id] = copy.deepcopy(self._requests[request_id])
            self._owned_requests.add(request_id)
        return self._requests[request_id]

    # ---- lookups used by the views -------------------------------------------------------------------------------

    def order_by_id(self, order_id: int) -> dict:
        return self._orders[order_id]

    def requests_of(self, order_id: int) -> list[dict]:
        ids = self._pristine_requests_by_order.get(order_id, ()) + tuple(self._added_requests_by_order.get(order_id, ()))
        return [self._requests[request_id] for request_id in ids]

    def key(self, value: str | None) -> ApiKey | None:
        return self._keys.get(value) if value else None

    def _today(self) -> datetime.date:
        return self._clock().date()

    def _now_text(self) -> str:
        return timestamp(self._clock())

    def _order_emails(self, order: dict) -> list[str]:
        return [self.users[order["user_id"]]["email"], *order["certificate"].get("emails", ())]

    def _order(self, order_id_text: str) -> dict:
        # INVENTED: routes other than order info take the order ID only, not a thumbprint or serial number.
        order = self._orders.get(_digits(order_id_text))
        if order is None:
            raise errors.order_not_found()
        return order

    def _request(self, request_id_text: str) -> dict:
        request = self._requests.get(_digits(request_id_text))
        if request is None:
            raise errors.request_not_found()
        return request

    def resolve_order_id(self, identifier: str) -> int | None:
        """The order an order ID, or its primary certificate's thumbprint or serial number, names.

        INVENTED: thumbprints and serial numbers match case-insensitively.
        """
        with self._reading():
            order_id = _digits(identifier)
            if order_id in self._orders:
                return order_id
            return self._by_thumbprint.get(identifier.upper()) or self._by_serial.get(identifier.upper())

    def resolve_certificate(self, identifier: str) -> int | None:
        """The order whose current certificate has this certificate ID or serial number."""
        with self._reading():
            certificate_id = _digits(identifier)
            if certificate_id in self._by_certificate_id:
                return self._by_certificate_id[certificate_id]
            return self._by_serial.get(identifier.upper())

    def order_of_request(self, request_id_text: str) -> int | None:
        with self._reading():
            request = self._requests.get(_digits(request_id_text))
            return request["order_id"] if request else None

    # ---- API: reading -----------------------------------------------------------------------------------------

    def order_info(self, identifier: str) -> dict:
        with self._reading():
            order_id = self.resolve_order_id(identifier)
            if order_id is None:
                raise errors.order_not_found()
            info = views.order_info(self, self._orders[order_id], self._today())
            odd = self.real_world.odd_kind(order_id)
            if odd is not None:
                info["requests"] = _odd_requests(odd, info["requests"])
            return info

    def list_orders(self, params: dict[str, str]) -> dict:
        offset, limit = listing.paging(params)
        filters = listing.filters_of(params)
        predicates = listing.order_predicates(filters, self._order_emails)
        with self._reading():
            today = self._today()
            order_ids = self._listed_order_ids(filters, predicates, params.get("sort", ""), today)
            page_ids, page = listing.page_of(order_ids, offset, limit)
            return {"orders": [views.order_list_item(self, self._orders[order_id], today) for order_id in page_ids], "page": page}

    def _listed_order_ids(self, filters: dict[str, str], predicates: list, sort_text: str, today: datetime.date) -> list[int]:
        """The IDs of the orders a listing selects, in its order: from the cache if the account has not changed since
        they were worked out, else by filtering and sorting the whole account (the list is never changed in place).

        The filters and sort keys read the orders and the users (who never change); none reads the date, which is
        part of the key anyway so that one that did could not be served stale.
        """
        key = (tuple(sorted(filters.items())), sort_text, today)
        cached = self._listings.get(key)
        if cached is not None and cached[0] == self._generation:
            return cached[1]
        orders = list(self._orders.values())
        for predicate in predicates:
            orders = [order for order in orders if predicate(order)]
        listing.sort_items(orders, sort_text, listing.ORDER_SORT_KEYS)
        order_ids = [order["id"] for order in orders]
        # Only listings of the current generation are worth keeping, and only a few of them.
        self._listings = {other: entry for other, entry in self._listings.items() if entry[0] == self._generation}
        if len(self._listings) >= LISTINGS_KEPT:
            self._listings.pop(next(iter(self._listings)))
        self._listings[key] = (self._generation, order_ids)
        return order_ids

    def list_reissues(self, order_id_text: str) -> dict:
        with self._reading():
            order = self._order(order_id_text)
            today = self._today()
            return {"certificates": [views.reissue_item(self, order, entry, today) for entry in order["reissues"]]}

    def list_requests(self, params: dict[str, str]) -> dict:
        offset, limit = listing.paging(params, unlimited_by_default=True)
        predicates = listing.request_predicates(listing.filters_of(params))
        with self._reading():
            requests = list(self._requests.values())
            for predicate in predicates:
                requests = [request for request in requests if predicate(request)]
            listing.sort_items(requests, params.get("sort", ""), listing.REQUEST_SORT_KEYS)
            page_requests, page = listing.page_of(requests, offset, limit)
            return {"requests": [views.request_list_item(self, request) for request in page_requests], "page": page}

    def request_info(self, request_id_text: str) -> dict:
        with self._reading():
            return views.request_info(self, self._request(request_id_text), self._today())

    def user_me(self, key: ApiKey) -> dict:
        with self._reading():
            return views.user_me(self, self.users[key.user_id])

    def balance(self) -> dict:
        with self._reading():
            return dict(self._balance)

    # ---- API: changing state ----------------------------------------------------------------------------------

    def update_order_status(self, order_id_text: str, body: dict, key: ApiKey) -> None:
        """``PUT /order/certificate/{id}/status``: cancel a pending order or a pending reissue (docs/certcentral-api.md §4).

        INVENTED: the order of the checks (unknown order, then the body, then the order's status); ``send_emails``
        and other extra fields are ignored.
        """
        with self._locked():
            order = self._order(order_id_text)
            status = body.get("status")
            if status is None or status == "":
                raise errors.missing_param("status")
            if status not in ("canceled", "renewed", "not_renewed"):
                # INVENTED: only the lowercase values of the current docs are accepted; "CANCELED" is refused.
                raise errors.invalid_param("status", "status must be one of canceled, renewed, not_renewed (case sensitive).")
            if status != "canceled":
                # INVENTED: renewed/not_renewed apply to migrated orders only, and the simulator has none.
                raise errors.invalid_order_status("Only migrated orders can be marked renewed or not_renewed.")
            note = body.get("note")
            if not isinstance(note, str) or not note.strip():
                # Documented as required for cancellations; INVENTED: a blank or non-string note counts as missing.
                raise errors.missing_param("note")
            if order["status"] in CANCELABLE_STATUSES:
                self._change_order_status(order["id"], "canceled", action="cancel", role=key.role, note=note)
            elif order["status"] == "reissue_pending":
                self._reject_pending_reissue(order["id"], key, note, "cancel_reissue")
            elif order["status"] == "needs_approval":
                raise errors.invalid_order_status("An order that needs approval cannot be canceled; reject its pending request instead.")
            else:
                raise errors.invalid_order_status(f"An order in status {order['status']} cannot be canceled.")

    def update_request_status(self, request_id_text: str, body: dict, key: ApiKey) -> None:
        """``PUT /request/{id}/status``: approve or reject a pending request (docs/certcentral-api.md §6)."""
        with self._locked():
            if key.role != "admin":
                raise errors.invalid_approver()
            request = self._request(request_id_text)
            status = body.get("status")
            if status is None or status == "":
                raise errors.missing_param("status")
            if status not in REQUEST_STATUSES:
                raise errors.invalid_param("status", f"status must be one of {', '.join(REQUEST_STATUSES)}.")
            comment = body.get("processor_comment")
            if comment is not None and not isinstance(comment, str):
                raise errors.invalid_param("processor_comment", "processor_comment must be a string.")
            if status not in ("approved", "rejected"):
                # INVENTED: the simulator only processes requests; moving one back to submitted/pending is refused.
                raise errors.invalid_request_status("A request can only be approved or rejected.")
            if request["status"] != "pending":
                raise errors.invalid_request_status(f"The request is already {request['status']}.")
            approved = status == "approved"
            order = self._orders[request["order_id"]]
            if request["type"] == "new_request":
                self._require_order_status(order, "needs_approval", "The order is no longer waiting for approval.")
                # INVENTED: rejecting the new_request rejects the order (the docs say nothing of the order's side).
                self._process_request(request["id"], approved, key, comment)
                self._change_order_status(
                    order["id"],
                    "pending" if approved else "rejected",
                    action="approve_request" if approved else "reject_request",
                    role=key.role,
                    request_id=request["id"],
                    request_change=("pending", status),
                )
            elif request["type"] == "reissue":
                self._require_order_status(order, "reissue_pending", "The order has no pending reissue.")
                if approved:
                    # INVENTED: an approved reissue goes on to validation, so the order stays reissue_pending.
                    self._process_request(request["id"], True, key, comment)
                    self._record(
                        order["id"],
                        "approve_request",
                        "reissue_pending",
                        "reissue_pending",
                        key.role,
                        request_id=request["id"],
                        request_change=("pending", "approved"),
                    )
                else:
                    self._reject_pending_reissue(order["id"], key, comment, "reject_request")
            elif request["type"] == "revoke":
                if order["status"] == "reissue_pending":
                    raise errors.invalid_request_status("The certificate has a pending reissue; it cannot be revoked until the reissue ends.")
                # INVENTED: approving a revoke request needs the order still issued.
                self._require_order_status(order, "issued", "The order's certificate is no longer issued.")
                self._process_request(request["id"], approved, key, comment)
                if approved and self.real_world.revocation_delay_seconds > 0:
                    self._submit_revocation(order["id"], request["id"], key.role, action="approve_request", request_change=("pending", "approved"))
                elif approved:
                    self._revoke(
                        order["id"],
                        key.role,
                        action="approve_request",
                        request_id=request["id"],
                        request_change=("pending", "approved"),
                        whole_order=request.get("certificate_id") is None,
                    )
                else:
                    self._record(order["id"], "reject_request", "issued", "issued", key.role, request_id=request["id"], request_change=("pending", "rejected"))
            else:
                # INVENTED: a duplicate request is approved or rejected with no effect on its order.
                self._process_request(request["id"], approved, key, comment)
                self._record(
                    order["id"],
                    "approve_request" if approved else "reject_request",
                    order["status"],
                    order["status"],
                    key.role,
                    request_id=request["id"],
                    request_change=("pending", status),
                )

    def revoke_order(self, order_id_text: str, body: dict, key: ApiKey) -> dict | None:
        """``PUT /order/certificate/{id}/revoke`` (docs/certcentral-api.md §7). Returns the created request, or None for 204."""
        with self._locked():
            order = self._order(order_id_text)
            return self._request_revocation(order, body, key, certificate_id=None)

    def revoke_certificate(self, certificate_text: str, body: dict, key: ApiKey) -> dict | None:
        """``PUT /certificate/{id}/revoke``; the path takes a certificate ID or serial number (docs/certcentral-api.md §7)."""
        with self._locked():
            order_id = self.resolve_certificate(certificate_text)
            if order_id is None:
                raise errors.certificate_not_found()
            order = self._orders[order_id]
            return self._request_revocation(order, body, key, certificate_id=order["certificate"]["id"])

    def _request_revocation(self, order: dict, body: dict, key: ApiKey, certificate_id: int | None) -> dict | None:
        # INVENTED: the type checks of comments and skip_approval.
        comments = body.get("comments", "")
        if not isinstance(comments, str):
            raise errors.invalid_param("comments", "comments must be a string.")
        skip_approval = body.get("skip_approval", False)
        if not isinstance(skip_approval, bool):
            raise errors.invalid_param("skip_approval", "skip_approval must be true or false.")
        reason = body.get("revocation_reason")
        if reason is not None and reason not in REVOCATION_REASONS:
            # INVENTED: the documented list was cut off; these are the RFC 5280 reasons CAs commonly accept.
            raise errors.invalid_param("revocation_reason", f"revocation_reason must be one of {', '.join(REVOCATION_REASONS)}.")
        if skip_approval and key.role != "admin":
            raise errors.missing_permission()
        if order["status"] == "reissue_pending":
            raise errors.invalid_order_status("A certificate with a pending reissue cannot be revoked; cancel the reissue first.")
        if order["status"] != "issued":
            raise errors.invalid_order_status(f"Only issued certificates can be revoked; the order is {order['status']}.")
        if any(request["type"] == "revoke" and request["status"] == "pending" for request in self.requests_of(order["id"])):
            # INVENTED: a second revoke request while one is pending is refused.
            raise errors.invalid_order_status("A revoke request for this order is already pending.")
        if order["id"] in self._revocations_due:
            # INVENTED: a second revocation while DigiCert is carrying out the first is refused the same way.
            raise errors.invalid_order_status("A revocation of this order is already in progress.")
        if skip_approval and self.real_world.revocation_delay_seconds > 0:
            # INVENTED: a delayed revocation shows as an approved revoke request until DigiCert has carried it out.
            request = self._add_request(order["id"], "revoke", key.user_id, "")
            self._process_request(request["id"], True, key, None)
            if certificate_id is not None:
                request["certificate_id"] = certificate_id
            self._submit_revocation(order["id"], request["id"], key.role, action="revoke", request_change=(None, "approved"))
            return None
        if skip_approval:
            # Documented: no request is created and the comment is not stored.
            self._revoke(order["id"], key.role, action="revoke", whole_order=certificate_id is None)
            return None
        request = self._add_request(order["id"], "revoke", key.user_id, comments)
        if certificate_id is not None:
            request["certificate_id"] = certificate_id
        self._record(order["id"], "revoke_requested", "issued", "issued", key.role, request_id=request["id"], request_change=(None, "pending"))
        return views.created_request(self, request)

    # ---- status machine helpers --------------------------------------------------------------------------------

    @staticmethod
    def _require_order_status(order: dict, status: str, message: str) -> None:
        if order["status"] != status:
            raise errors.invalid_request_status(message)

    def _change_order_status(
        self,
        order_id: int,
        new_status: str,
        *,
        action: str,
        role: str,
        note: str | None = None,
        request_id: int | None = None,
        request_change: tuple | None = None,
    ) -> None:
        order = self._writable_order(order_id)
        old_status = order["status"]
        order["status"] = new_status
        self._record(order_id, action, old_status, new_status, role, note=note, request_id=request_id, request_change=request_change)

    def _process_request(self, request_id: int, approved: bool, key: ApiKey | None, comment: str | None) -> None:
        # INVENTED: the processor is the key's user (none for changes from the admin channel).
        request = self._writable_request(request_id)
        request["status"] = "approved" if approved else "rejected"
        request["date_processed"] = self._now_text()
        request["processor_id"] = key.user_id if key else None
        if comment is not None:
            request["processor_comment"] = comment

    def _reject_pending_reissue(self, order_id: int, key: ApiKey, comment: str | None, action: str) -> None:
        """End the order's reissue unfinished: the order goes back to issued, the reissue request and entry are rejected."""
        request = next((r for r in reversed(self.requests_of(order_id)) if r["type"] == "reissue" and r["status"] in ("pending", "approved")), None)
        request_change = None
        if request is not None:
            # INVENTED: canceling a reissue that was already approved (still in validation) rejects its request too.
            request_change = (request["status"], "rejected")
            self._process_request(request["id"], False, key, comment)
        order = self._writable_order(order_id)
        for entry in order["reissues"]:
            if entry["status"] == "pending":
                entry["status"] = "rejected"
        self._change_order_status(
            order_id,
            "issued",
            action=action,
            role=key.role,
            note=comment if action == "cancel_reissue" else None,
            request_id=request["id"] if request else None,
            request_change=request_change,
        )

    def _revoke(self, order_id: int, role: str, *, action: str, whole_order: bool, request_id: int | None = None, request_change: tuple | None = None) -> None:
        order = self._writable_order(order_id)
        if whole_order:
            # Documented: revoking the order revokes all its certificates, reissues included.
            for entry in order["reissues"]:
                if entry["status"] == "issued":
                    entry["status"] = "revoked"
        # INVENTED: revoking the order's only current certificate marks the order revoked (the docs say the order
        # stays reissuable; the simulator does not model reissuing a revoked order).
        self._change_order_status(order_id, "revoked", action=action, role=role, request_id=request_id, request_change=request_change)

    def _submit_revocation(self, order_id: int, request_id: int, role: str, *, action: str, request_change: tuple) -> None:
        """Accept a revocation that DigiCert carries out ``revocation_delay_seconds`` later; the order stays issued."""
        due = self._clock() + datetime.timedelta(seconds=self.real_world.revocation_delay_seconds)
        self._revocations_due[order_id] = (due, request_id)
        self._record(order_id, action, "issued", "issued", role, request_id=request_id, request_change=request_change)

    def _complete_due_revocations(self) -> None:
        """Carry out the revocations whose time has come. INVENTED: one that finds its order no longer issued (someone
        changed it meanwhile) is dropped."""
        if not self._revocations_due:
            return
        now = self._clock()
        for order_id, (due, request_id) in sorted(self._revocations_due.items(), key=lambda item: item[1][0]):
            if due > now:
                continue
            del self._revocations_due[order_id]
            self._changed()
            if self._orders[order_id]["status"] == "issued":
                request = self._requests.get(request_id, {})
                self._revoke(order_id, SIMULATOR_ROLE, action="revocation_completed", request_id=request_id, whole_order=request.get("certificate_id") is None)

    def start_with_real_world(self, settings: dict) -> dict:
        """Make ``settings`` the start-up real-world settings, the ones reset() returns to, and apply them now."""
        self._initial_real_world = RealWorld.from_dict(settings)
        return self.configure_real_world(settings)

    def configure_real_world(self, settings: dict) -> dict:
        """Replace the real-world settings at run time (reset() returns to the start-up ones); returns them."""
        real_world = RealWorld.from_dict(settings)
        with self._locked():
            self.real_world = real_world
            return real_world.to_dict()

    def complete_revocations_now(self) -> list[int]:
        """Make every revocation in flight due at once and carry it out (DigiCert got round to them); their order IDs."""
        with self._lock:
            now = self._clock()
            self._revocations_due = {order_id: (now, request_id) for order_id, (_due, request_id) in self._revocations_due.items()}
            self._changed()
            completed = sorted(self._revocations_due)
            self._complete_due_revocations()
            return completed

    def revocations_in_flight(self) -> dict[int, int]:
        """Order ID -> request ID of every revocation accepted and not carried out yet."""
        with self._reading():
            return {order_id: request_id for order_id, (_due, request_id) in self._revocations_due.items()}

    def _add_request(self, order_id: int, request_type: str, requester_id: int, comments: str) -> dict:
        request = {
            "id": self._next_request_id,
            "order_id": order_id,
            "type": request_type,
            "status": "pending",
            "date": self._now_text(),
            "comments": comments,
            "requester_id": requester_id,
        }
        self._next_request_id += 1
        self._requests[request["id"]] = request
        self._owned_requests.add(request["id"])
        self._added_requests_by_order.setdefault(order_id, []).append(request["id"])
        return request

    def _record(
        self,
        order_id: int,
        action: str,
        from_status: str,
        to_status: str,
        role: str,
        *,
        note: str | None = None,
        request_id: int | None = None,
        request_change: tuple | None = None,
    ) -> None:
        self._audit_sequence += 1
        entry = {
            "sequence": self._audit_sequence,
            "time": self._now_text(),
            "order_id": order_id,
            "action": action,
            "from_status": from_status,
            "to_status": to_status,
            "role": role,
        }
        if request_id is not None:
            entry["request_id"] = request_id
        if request_change is not None:
            entry["request_from_status"], entry["request_to_status"] = request_change
        if note is not None:
            entry["note"] = note
        self._audit.append(entry)

    # ---- admin channel ----------------------------------------------------------------------------------------

    def true_order(self, order_id: int) -> dict | None:
        """The stored order with its full requests: what the simulator believes, not what the API shows."""
        with self._reading():
            order = self._orders.get(order_id)
            if order is None:
                return None
            state = copy.deepcopy(order)
            state["requests"] = copy.deepcopy(self.requests_of(order_id))
            return state

    def true_request(self, request_id: int) -> dict | None:
        with self._reading():
            request = self._requests.get(request_id)
            return copy.deepcopy(request) if request else None

    def place_order(self) -> dict:
        """Place a new pending order, as someone would in the console: a copy of the first pending order with a CSR,
        with the next order and certificate IDs, created now, without issuance data, requests or reissues.

        INVENTED (test infrastructure for listings that move while they are read, real_world.py); the simulator
        does not model order creation through the API.
        """
        with self._lock:
            template = next((order for order in self._orders.values() if order["status"] == "pending" and "csr" in order["certificate"]), None)
            if template is None:
                raise ValueError("the account has no pending order with a CSR to place a new order like")
            order = copy.deepcopy(template)
            order["id"] = max(self._orders) + 1
            order["date_created"] = self._now_text()
            order.update(renewed_order_id=None, receipt_id=None, duplicates_count=0, reissues=[], is_renewal=False)
            certificate = order["certificate"]
            for field in ("serial_number", "thumbprint", "date_issued", "valid_from", "valid_till"):
                certificate.pop(field, None)
            certificate["id"] = max(self._by_certificate_id, default=4_000_000) + 1
            certificate["date_created"] = order["date_created"]
            self._changed()
            self._orders[order["id"]] = order
            self._owned_orders.add(order["id"])
            self._index_certificate(order)
            self._record(order["id"], "place", "none", "pending", SIMULATOR_ROLE)
            return copy.deepcopy(order)

    def order_summaries(self, status: str | None = None) -> list[dict]:
        with self._reading():
            return [
                {
                    "id": order["id"],
                    "status": order["status"],
                    "common_name": order["certificate"]["common_name"],
                    "product_name_id": order["product_name_id"],
                    "container_id": order["container_id"],
                    "date_created": order["date_created"],
                }
                for order in self._orders.values()
                if status is None or order["status"] == status
            ]

    def summary(self) -> dict:
        with self._reading():
            by_status: dict[str, int] = {}
            for order in self._orders.values():
                by_status[order["status"]] = by_status.get(order["status"], 0) + 1
            return {
                "account": {"id": self.account_id, "name": self.account_name},
                "reference_date": self.reference_date,
                "orders": len(self._orders),
                "requests": len(self._requests),
                "orders_by_status": dict(sorted(by_status.items())),
                "api_key_roles": sorted(key.role for key in self._keys.values()),
            }

    def audit_log(self, since: int = 0) -> list[dict]:
        with self._reading():
            return [dict(entry) for entry in self._audit if entry["sequence"] > since]

    def check_order_fields(self, fields: dict) -> None:
        """Raise ValueError unless ``fields`` can be set on an order."""
        if not isinstance(fields, dict) or not fields:
            raise ValueError("fields must be a non-empty JSON object")
        unknown = sorted(set(fields) - set(SETTABLE_ORDER_FIELDS))
        if unknown:
            raise ValueError(f"unknown order fields {unknown}; settable: {', '.join(SETTABLE_ORDER_FIELDS)}")
        references = (
            ("status", ORDER_STATUSES),
            ("product_name_id", self.products),
            ("container_id", self.containers),
            ("organization_id", self.organizations),
            ("user_id", self.users),
        )
        for name, allowed in references:
            if name in fields and (not isinstance(fields[name], (str, int)) or fields[name] not in allowed):
                raise ValueError(f"{name} {fields[name]!r} is not known to the account")
        if "certificate" in fields and not isinstance(fields["certificate"], dict):
            raise ValueError("certificate must be an object; its fields are merged into the order's certificate")

    def set_order_fields(self, order_id: int, fields: dict, action: str = "set_fields") -> dict:
        """Change an order as someone outside the API would, keeping it consistent (see docs/simulator.md)."""
        self.check_order_fields(fields)
        with self._locked():
            if order_id not in self._orders:
                raise KeyError(order_id)
            order = self._writable_order(order_id)
            old_status = order["status"]
            for name, value in fields.items():
                if name == "certificate":
                    order["certificate"].update(copy.deepcopy(value))
                else:
                    order[name] = copy.deepcopy(value)
            new_status = order["status"]
            if new_status != old_status:
                self._follow_status_change(order, old_status, new_status)
            self._rebuild_certificate_index()
            self._record(order_id, action, old_status, new_status, SIMULATOR_ROLE)
            return self.true_order(order_id)

    def _follow_status_change(self, order: dict, old_status: str, new_status: str) -> None:
        """Bring requests, reissues and certificate data in line with a status set from outside.

        INVENTED, all of it: leaving needs_approval settles its pending new_request (rejected for rejected/canceled,
        else approved); leaving reissue_pending completes the reissue (for issued) or rejects it; entering
        needs_approval or reissue_pending creates the pending request; a status with a certificate gets one issued.
        """
        order_id = order["id"]
        pending = [r for r in self.requests_of(order_id) if r["status"] == "pending"]
        if old_status == "needs_approval":
            for request in (r for r in pending if r["type"] == "new_request"):
                self._process_request(request["id"], new_status not in ("rejected", "canceled"), None, None)
        if old_status == "reissue_pending":
            completed = new_status == "issued"
            for request in (r for r in pending if r["type"] == "reissue"):
                self._process_request(request["id"], completed, None, None)
            for entry in order["reissues"]:
                if entry["status"] == "pending":
                    entry["status"] = "issued" if completed else "rejected"
                    if completed:
                        self._give_reissue_entry_a_certificate(order, entry)
        if new_status in CERTIFICATE_STATUSES and not order["certificate"].get("serial_number"):
            self._issue_certificate(order, expired=new_status == "expired")
        if new_status == "needs_approval" and not any(r["type"] == "new_request" for r in pending):
            self._add_request(order_id, "new_request", order["user_id"], "")
        if new_status == "reissue_pending" and not any(r["type"] == "reissue" for r in pending):
            self._add_request(order_id, "reissue", order["user_id"], "")
            certificate = order["certificate"]
            order["reissues"].append(
                {
                    "id": self._derived_number(order_id, "reissue", 9_000_000),
                    "status": "pending",
                    "date_created": self._now_text(),
                    "common_name": certificate["common_name"],
                    "dns_names": list(certificate["dns_names"]),
                    "key_size": certificate["key_size"],
                    "user_id": order["user_id"],
                }
            )

    def _issue_certificate(self, order: dict, expired: bool) -> None:
        """Give an order the certificate data of an issuance, derived from its ID so that runs are reproducible.

        INVENTED: 199 days of validity, ending yesterday for an expired order.
        """
        today = self._today()
        valid_till = today - datetime.timedelta(days=1) if expired else today + datetime.timedelta(days=199)
        valid_from = valid_till - datetime.timedelta(days=199)
        certificate = order["certificate"]
        digest = hashlib.sha256(f"{order['id']}/{certificate['id']}".encode()).hexdigest().upper()
        certificate.update(
            serial_number=digest[:32],
            thumbprint=digest[24:64],
            date_issued=timestamp(datetime.datetime.combine(valid_from, datetime.time(12, 0), tzinfo=datetime.timezone.utc)),
            valid_from=valid_from.isoformat(),
            valid_till=valid_till.isoformat(),
        )

    def _give_reissue_entry_a_certificate(self, order: dict, entry: dict) -> None:
        digest = hashlib.sha256(f"{order['id']}/reissue/{entry['id']}".encode()).hexdigest().upper()
        entry.setdefault("serial_number", digest[:32])
        entry.setdefault("thumbprint", digest[24:64])
        entry.setdefault("valid_till", order["certificate"].get("valid_till", (self._today() + datetime.timedelta(days=199)).isoformat()))

    @staticmethod
    def _derived_number(order_id: int, purpose: str, base: int) -> int:
        return base + int(hashlib.sha256(f"{order_id}/{purpose}".encode()).hexdigest()[:6], 16)

    def set_request_fields(self, request_id: int, fields: dict) -> dict:
        """Change a request as someone outside the API would (no effect on its order)."""
        if not isinstance(fields, dict) or not fields:
            raise ValueError("fields must be a non-empty JSON object")
        unknown = sorted(set(fields) - set(SETTABLE_REQUEST_FIELDS))
        if unknown:
            raise ValueError(f"unknown request fields {unknown}; settable: {', '.join(SETTABLE_REQUEST_FIELDS)}")
        if "status" in fields and fields["status"] not in REQUEST_STATUSES:
            raise ValueError(f"request status must be one of {', '.join(REQUEST_STATUSES)}")
        if fields.get("processor_id") is not None and fields["processor_id"] not in self.users:
            raise ValueError("processor_id is not a user of the account")
        with self._locked():
            if request_id not in self._requests:
                raise KeyError(request_id)
            request = self._writable_request(request_id)
            old_status = request["status"]
            request.update(copy.deepcopy(fields))
            order = self._orders[request["order_id"]]
            self._record(
                order["id"],
                "set_request_fields",
                order["status"],
                order["status"],
                SIMULATOR_ROLE,
                request_id=request_id,
                request_change=(old_status, request["status"]),
            )
            return copy.deepcopy(request)
