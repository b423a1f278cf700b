# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Response shapes: turn the account's stored orders and requests into what CertCentral answers.

Every function builds new dicts and lists, so an answer can be serialized after the account lock is released.
Field names follow docs/certcentral-api.md (§2, §3, §6, §7); fields it lists that the simulator has no data for are left out.
"""

from __future__ import annotations

import datetime

ISSUED_CERTIFICATE_FIELDS = ("serial_number", "thumbprint", "date_issued", "valid_from", "valid_till")


def days_remaining(valid_till: str | None, today: datetime.date) -> int | None:
    # INVENTED: counted from the simulator's clock (the real UTC date), never below 0.
    if not valid_till:
        return None
    return max(0, (datetime.date.fromisoformat(valid_till) - today).days)


def user_reference(user: dict) -> dict:
    return {"id": user["id"], "first_name": user["first_name"], "last_name": user["last_name"], "email": user["email"]}


def contact(user: dict) -> dict:
    # INVENTED: both contacts of an order are its requesting user.
    return {
        "first_name": user["first_name"],
        "last_name": user["last_name"],
        "email": user["email"],
        "job_title": user.get("job_title", ""),
        "telephone": user.get("telephone", ""),
    }


def product_summary(product: dict) -> dict:
    return {"name_id": product["name_id"], "name": product["name"], "type": product["type"]}


def _order_certificate(account, order: dict, today: datetime.date) -> dict:
    stored = order["certificate"]
    certificate = {
        "id": stored["id"],
        "common_name": stored["common_name"],
        "dns_names": list(stored["dns_names"]),
        "date_created": stored["date_created"],
    }
    if "emails" in stored:
        certificate["emails"] = list(stored["emails"])
    if "csr" in stored:
        certificate["csr"] = stored["csr"]
    if account.products[order["product_name_id"]]["validation_type"] in ("ov", "ev"):
        certificate["organization"] = {"id": order["organization_id"]}
    certificate["organization_units"] = list(stored.get("organization_units", []))
    if "server_platform" in stored:
        certificate["server_platform"] = dict(stored["server_platform"])
    certificate["signature_hash"] = stored["signature_hash"]
    certificate["key_size"] = stored["key_size"]
    if "ca_cert" in stored:
        certificate["ca_cert"] = dict(stored["ca_cert"])
    certificate["cert_validity"] = dict(stored["cert_validity"])
    for field in ISSUED_CERTIFICATE_FIELDS:
        if field in stored:
            certificate[field] = stored[field]
    if "valid_till" in stored:
        certificate["days_remaining"] = days_remaining(stored["valid_till"], today)
    return certificate


def order_info(account, order: dict, today: datetime.date) -> dict:
    """``GET /order/certificate/{id}`` (docs/certcentral-api.md §2)."""
    user = account.users[order["user_id"]]
    info = {
        "id": order["id"],
        "certificate": _order_certificate(account, order, today),
        "status": order["status"],
        "is_renewal": order["is_renewal"],
        "is_renewed": order["is_renewed"],
    }
    if order.get("renewed_order_id"):
        info["renewed_order_id"] = order["renewed_order_id"]
    info.update(
        {
            "date_created": order["date_created"],
            "organization": dict(account.organizations[order["organization_id"]]),
            "validity_years": order["validity_years"],
            "order_valid_till": order["order_valid_till"],
            "disable_renewal_notifications": order["disable_renewal_notifications"],
            "container": dict(account.containers[order["container_id"]]),
            "product": dict(account.products[order["product_name_id"]]),
            "organization_contact": contact(user),
            "technical_contact": contact(user),
            "user": user_reference(user),
            "requests": [request_summary(request) for request in account.requests_of(order["id"])],
            "payment_method": order["payment_method"],
        }
    )
    if order.get("receipt_id") is not None:
        info["receipt_id"] = order["receipt_id"]
    if order.get("dcv_method"):
        info["dcv_method"] = order["dcv_method"]
    # INVENTED: constant values for fields the simulator does not model.
    info["cs_provisioning_method"] = "none"
    info["allow_duplicates"] = False
    info["user_assignments"] = []
    info["notes"] = []
    return info


def order_list_item(account, order: dict, today: datetime.date) -> dict:
    """One entry of ``GET /order/certificate`` (docs/certcentral-api.md §3): a subset of order info plus list-only fields.

    INVENTED: certificate fields an order does not have yet (serial_number, valid_from, valid_till, days_remaining
    before issuance) are left out rather than null; reissues_count counts every reissue, pending or not.
    """
    stored = order["certificate"]
    certificate = {
        "id": stored["id"],
        "common_name": stored["common_name"],
        "dns_names": list(stored["dns_names"]),
        "signature_hash": stored["signature_hash"],
        "cert_validity": dict(stored["cert_validity"]),
    }
    for field in ("serial_number", "valid_from", "valid_till"):
        if field in stored:
            certificate[field] = stored[field]
    if "valid_till" in stored:
        certificate["days_remaining"] = days_remaining(stored["valid_till"], today)
    organization = account.organizations[order["organization_id"]]
    reissues_count = len(order["reissues"])
    return {
        "id": order["id"],
        "certificate": certificate,
        "status": order["status"],
        "is_renewed": order["is_renewed"],
        "date_created": order["date_created"],
        "organization": {"id": organization["id"], "name": organization["name"]},
        "validity_years": order["validity_years"],
        "order_validity": {"years": order["validity_years"]},
        "order_valid_till": order["order_valid_till"],
        "disable_renewal_notifications": order["disable_renewal_notifications"],
        "container": dict(account.containers[order["container_id"]]),
        "product": product_summary(account.products[order["product_name_id"]]),
        "has_duplicates": order["duplicates_count"] > 0,
        "duplicates_count": order["duplicates_count"],
        "has_reissues": reissues_count > 0,
        "reissues_count": reissues_count,
        "price": order["price"],
        "product_name_id": order["product_name_id"],
        "number_of_sans": len(stored["dns_names"]),
        "is_multi_year_plan": "1" if order["validity_years"] > 1 else "0",
    }


def request_summary(request: dict) -> dict:
    """An entry of the order's ``requests[]``."""
    return {
        "id": request["id"],
        "date": request["date"],
        "type": request["type"],
        "status": request["status"],
        "comments": request.get("comments", ""),
    }


def _request_people(account, request: dict, view: dict) -> None:
    view["requester"] = user_reference(account.users[request["requester_id"]])
    if request.get("processor_id") is not None:
        view["processor"] = user_reference(account.users[request["processor_id"]])


def request_list_item(account, request: dict) -> dict:
    """One entry of ``GET /request`` (docs/certcentral-api.md §6)."""
    order = account.order_by_id(request["order_id"])
    view = {"id": request["id"], "date": request["date"], "type": request["type"], "status": request["status"]}
    _request_people(account, request, view)
    organization = account.organizations[order["organization_id"]]
    container = account.containers[order["container_id"]]
    view["order"] = {
        "id": order["id"],
        "certificate": {"common_name": order["certificate"]["common_name"]},
        "organization": {"id": organization["id"], "name": organization["name"]},
        "container": {"id": container["id"], "name": container["name"]},
        "product": product_summary(account.products[order["product_name_id"]]),
    }
    return view


def request_info(account, request: dict, today: datetime.date) -> dict:
    """``GET /request/{id}`` (docs/certcentral-api.md §6)."""
    view = {"id": request["id"], "date": request["date"], "type": request["type"], "status": request["status"]}
    if request.get("date_processed"):
        view["date_processed"] = request["date_processed"]
    _request_people(account, request, view)
    order = order_info(account, account.order_by_id(request["order_id"]), today)
    order["unsubmitted_domains"] = []
    view["order"] = order
    view["comments"] = request.get("comments", "")
    if request.get("processor_comment") is not None:
        view["processor_comment"] = request["processor_comment"]
    return view


def created_request(account, request: dict) -> dict:
    """The body of a 201 answer that created a request (a revoke without skip_approval, docs/certcentral-api.md §7)."""
    view = {"id": request["id"], "date": request["date"], "type": request["type"], "status": request["status"]}
    view["requester"] = user_reference(account.users[request["requester_id"]])
    view["comments"] = request.get("comments", "")
    return view


def reissue_item(account, order: dict, entry: dict, today: datetime.date) -> dict:
    """One entry of ``GET /order/certificate/{id}/reissue`` (docs/certcentral-api.md §7).

    INVENTED: the list holds the reissued certificates only (not the original), statuses pending/issued/rejected/
    revoked, and the order's CSR and receipt (null when it has none).
    """
    user = account.users[entry["user_id"]]
    dns_names = list(entry["dns_names"])
    item = {"id": entry["id"]}
    for field in ("thumbprint", "serial_number"):
        if field in entry:
            item[field] = entry[field]
    item.update(
        {
            "common_name": entry["common_name"],
            "dns_names": dns_names,
            "status": entry["status"],
            "date_created": entry["date_created"],
        }
    )
    if "valid_till" in entry:
        item["valid_till"] = entry["valid_till"]
        item["days_remaining"] = days_remaining(entry["valid_till"], today)
    if "csr" in order["certificate"]:
        item["csr"] = order["certificate"]["csr"]
    item.update(
        {
            "key_size": entry["key_size"],
            "user_id": user["id"],
            "email": user["email"],
            "firstname": user["first_name"],
            "lastname": user["last_name"],
            "receipt_id": order.get("receipt_id"),
            "purchased_dns_names": sum(1 for name in dns_names if not name.startswith("*.")),
            "purchased_wildcard_names": sum(1 for name in dns_names if name.startswith("*.")),
        }
    )
    return item


def user_me(account, user: dict) -> dict:
    """``GET /user/me``: the key's user with its ``access_roles`` (docs/certcentral-api.md §1).

    INVENTED: the field set, and the roles the demo account gives its users (see generator.py).
    """
    container = account.containers[user["container_id"]]
    return {
        "id": user["id"],
        "username": user["email"],
        "account_id": account.account_id,
        "first_name": user["first_name"],
        "last_name": user["last_name"],
        "email": user["email"],
        "job_title": user.get("job_title", ""),
        "telephone": user.get("telephone", ""),
        "status": "active",
        "container": dict(container),
        "access_roles": [dict(role) for role in user.get("access_roles", [])],
    }
