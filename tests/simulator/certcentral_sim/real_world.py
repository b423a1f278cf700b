# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The real-world modes of the order list and of answers (docs/simulator.md, "Real-world modes").

A busy account changes while a listing is read; a server picks its own page size, counts absurdly, sends malformed
bodies. All of it is test infrastructure, INVENTED where the real service is silent, and reproducible from the fault
seed and the arrival sequence.
"""

from __future__ import annotations

import json
import random

from . import faults

LIST_ROUTE = "/order/certificate"
CANCELABLE = ("pending", "waiting_pickup")


def listing_params(params: dict[str, str], config: faults.FaultConfig) -> dict[str, str]:
    """The parameters the account sees: the server's default order when the client sends no sort (or always, with
    ``ignore_sort``), and at most ``page_limit`` orders per page (page.limit then says so)."""
    effective = dict(params)
    if config.ignore_sort or not params.get("sort", "").strip():
        # INVENTED: the default order; "-date_created" is the console's newest first.
        effective["sort"] = config.default_sort
    if config.page_limit:
        asked = params.get("limit", "").strip()
        asked_number = int(asked) if asked.isdigit() and int(asked) > 0 else config.page_limit
        effective["limit"] = str(min(asked_number, config.page_limit))
    return effective


def churn(simulator, params: dict[str, str], sequence: int) -> None:
    """Before a page after the first is served, as someone else would: place orders (they get the highest IDs and are
    created now), and issue or cancel pending orders that this very listing holds before the offset asked for, which
    is what makes offset paging skip orders."""
    offset_text = params.get("offset", "").strip()
    if not offset_text.isdigit() or int(offset_text) == 0:
        return
    changes = simulator.faults.take_churn()
    if changes is None:
        return
    placed, issued, canceled = changes
    config = simulator.faults.config
    draws = random.Random(f"{config.seed}/churn/{sequence}")
    account = simulator.account
    offset = min(int(offset_text), 1000)
    before = account.list_orders(dict(params, offset="0", limit=str(offset)))["orders"]
    candidates = [order["id"] for order in before if order["status"] in CANCELABLE]
    for status, count in (("issued", issued), ("canceled", canceled)):
        for order_id in draws.sample(candidates, min(count, len(candidates))):
            candidates.remove(order_id)
            account.set_order_fields(order_id, {"status": status}, action="mutation")
            simulator.counters.record_fault(f"listing_{status}")
    for _order in range(placed):
        account.place_order()
        simulator.counters.record_fault("listing_placed")


def claim_total(simulator, payload: dict, config: faults.FaultConfig) -> None:
    if config.claimed_total and isinstance(payload, dict) and isinstance(payload.get("page"), dict):
        payload["page"]["total"] = config.claimed_total
        simulator.counters.record_fault("claimed_total")


def malformed_body(payload, kind: str) -> tuple[bytes, str]:
    """(body, content type) of an answer malformed the ``kind`` way (faults.MALFORMED_KINDS)."""
    if kind == "not_json":
        text = json.dumps(payload, separators=(",", ":"))
        return text[: max(1, len(text) // 2)].encode("utf-8"), "application/json"
    if kind == "html":
        return b"<html><body><h1>Service temporarily unavailable</h1></body></html>", "text/html"
    document = json.loads(json.dumps(payload))
    target = _first_order(document)
    if target is not None:
        if kind == "id_as_string":
            target["id"] = str(target["id"])
        elif kind == "list_for_object":
            target["certificate"] = [target.get("certificate")]
        elif kind == "number_for_list":
            certificate = target.get("certificate")
            if isinstance(certificate, dict):
                certificate["dns_names"] = len(certificate.get("dns_names") or [])
            else:
                target["requests"] = 0
    elif isinstance(document, dict):
        # An answer without an order (a user, a request): its first list becomes a number, or its id text.
        document["id"] = str(document.get("id"))
    return json.dumps(document, separators=(",", ":")).encode("utf-8"), "application/json"


def _first_order(document) -> dict | None:
    if isinstance(document, dict) and isinstance(document.get("orders"), list) and document["orders"]:
        return document["orders"][0]
    if isinstance(document, dict) and isinstance(document.get("certificate"), dict) and "status" in document:
        return document
    return None
