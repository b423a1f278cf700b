# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""Reviewed plans: the exact orders a report-only run would change, written so that a person can approve them and an
applied run changes those orders and no others.

A plan is one JSON object: a format name and version, the role that made it, the CertCentral URL, the time, the
selection (the role's variables) and, for each order, the change planned and the listing entry it was planned from
(status and everything else the plan rests on). Its ``fingerprint`` is an HMAC-SHA256 over the canonical JSON of
everything else, keyed with a key derived from the API key: only a holder of the key can make a plan that verifies,
and any edit to an order, the URL or the time is found. A plain SHA-256 digest would not do, since whoever can edit
the file can compute a new digest too. The derivation is one-way, so neither the plan nor its fingerprint reveals
the key.

Pure functions: make_plan(), plan_text(), verify_plan() and review_outcome(); the action plugins read and write the
files.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json

from .report_format import MODE_REPORT, RESULT_SKIPPED

PLAN_FORMAT = "certops.digicert/plan"
PLAN_VERSION = 1
FINGERPRINT_ALGORITHM = "hmac-sha256"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
DEFAULT_MAX_AGE_HOURS = 72
# A plan dated this far ahead of the controller's clock is taken as made now, for clocks a little apart.
_CLOCK_SKEW = datetime.timedelta(minutes=5)
# Fixed and public: it only separates this use of the API key from any other.
_KEY_PURPOSE = b"certops.digicert reviewed plan, version 1"

# The outcome of a planned order that a read right before the change no longer calls for the planned change.
OUTCOME_CHANGED_SINCE_REVIEW = "changed_since_review"

PLAN_FILE_SUFFIX = ".plan.json"


class PlanRefused(ValueError):
    """The plan cannot be applied; the message says why and what to do."""


def derive_key(api_key):
    """The HMAC key of the plans made with ``api_key``: HMAC-SHA256 of a fixed purpose under the API key."""
    if not api_key:
        raise ValueError("An API key is needed to sign or verify a plan.")
    return hmac.new(api_key.encode("utf-8"), _KEY_PURPOSE, hashlib.sha256).digest()


def canonical_json(value):
    """One byte string per value: sorted keys, no spaces, ASCII only, so that a reformatted plan verifies."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False).encode("ascii")


def fingerprint(body, key):
    """The fingerprint of a plan's ``body`` (everything but the fingerprint) under ``key``."""
    return hmac.new(key, canonical_json(body), hashlib.sha256).hexdigest()


def normal_url(url):
    """A CertCentral URL as plans compare it: without surrounding spaces and trailing slashes."""
    return (url or "").strip().rstrip("/")


def format_time(moment):
    return moment.astimezone(datetime.timezone.utc).strftime(TIME_FORMAT)


def make_plan(role, api_url, created_at, selection, orders, api_key):
    """The plan document of ``role``.

    ``orders``: for each order to change, a dict with ``id``, ``change`` (the outcome the module planned, such as
    ``would_cancel``), ``request_id`` (the request the change is about, or None) and ``entry`` (the order as
    digicert_order_info listed it: the applied run hands it to the module, which re-reads the order right before the
    change and changes it only if that read plans the same change as the entry).
    """
    planned = []
    for order in sorted(orders, key=lambda item: item["id"]):
        entry = order["entry"]
        planned.append(
            {
                "id": order["id"],
                "change": order["change"],
                "request_id": order.get("request_id"),
                "status": entry.get("status"),
                "entry": entry,
            }
        )
    body = {
        "format": PLAN_FORMAT,
        "version": PLAN_VERSION,
        "role": role,
        "api_url": normal_url(api_url),
        "created_at": format_time(created_at),
        "selection": selection,
        "orders": planned,
    }
    document = dict(body)
    document["fingerprint"] = {"algorithm": FINGERPRINT_ALGORITHM, "value": fingerprint(body, derive_key(api_key))}
    return document


def plan_text(document):
    """The plan file's text: indented for the reviewer, keys in a stable order."""
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def parse_plan(text, where):
    """The plan document in ``text``; PlanRefused when it is not a JSON object."""
    try:
        document = json.loads(text)
    except ValueError as error:
        raise PlanRefused(f"{where} is not a plan: it is not JSON ({error}). Give the .plan.json file a report-only run wrote.") from error
    if not isinstance(document, dict):
        raise PlanRefused(f"{where} is not a plan: it is not a JSON object. Give the .plan.json file a report-only run wrote.")
    return document


def verify_plan(document, where, role, api_url, api_key, now, max_age_hours, variable_prefix):
    """The verified plan document; PlanRefused, with a sentence that names the fix, when it may not be applied.

    Checked in this order: the format, the fingerprint (an altered plan, or one made with another API key), the
    role, the CertCentral URL and the age. ``variable_prefix`` (``order_cleanup``) names the role's variables in the
    messages; ``where`` names the plan (its path).
    """
    remake = f"Make a new plan with a report-only run ({variable_prefix}_apply=false) and have it reviewed."
    if document.get("format") != PLAN_FORMAT or document.get("version") != PLAN_VERSION:
        raise PlanRefused(
            f"{where} is not a plan of format {PLAN_FORMAT} version {PLAN_VERSION} "
            f"(it says {document.get('format')!r} version {document.get('version')!r}). {remake}"
        )
    stamp = document.get("fingerprint")
    body = {name: value for name, value in document.items() if name != "fingerprint"}
    expected = fingerprint(body, derive_key(api_key))
    if (
        not isinstance(stamp, dict)
        or stamp.get("algorithm") != FINGERPRINT_ALGORITHM
        or not isinstance(stamp.get("value"), str)
        or not hmac.compare_digest(stamp["value"], expected)
    ):
        raise PlanRefused(f"{where} was altered after it was written, or written with another API key: its fingerprint does not match. {remake}")
    if document.get("role") != role:
        raise PlanRefused(f"{where} was made by the role {document.get('role')}, not {role}; give a plan that {role} wrote. {remake}")
    if normal_url(document.get("api_url")) != normal_url(api_url):
        raise PlanRefused(
            f"{where} was made for CertCentral at {document.get('api_url')}, not {normal_url(api_url)} ({variable_prefix}_api_url). "
            "Apply it with the URL it was made "
            f"for, or: {remake}"
        )
    try:
        created_at = datetime.datetime.strptime(document.get("created_at"), TIME_FORMAT).replace(tzinfo=datetime.timezone.utc)
    except (TypeError, ValueError) as error:
        raise PlanRefused(f"{where} has no valid created_at time. {remake}") from error
    age = now - created_at
    if age < -_CLOCK_SKEW:
        raise PlanRefused(f"{where} was made at {document['created_at']}, later than now ({format_time(now)}): check the clocks of the machines. {remake}")
    if age > datetime.timedelta(hours=max_age_hours):
        raise PlanRefused(
            f"{where} was made at {document['created_at']}, {age.total_seconds() / 3600.0:.1f} hours ago, more than "
            f"{variable_prefix}_plan_max_age_hours={max_age_hours} allows: the orders "
            f"may have changed since the review. {remake} Or, if the plan is still what was meant, raise {variable_prefix}_plan_"
            "max_age_hours."
        )
    orders = document.get("orders")
    if not isinstance(orders, list) or not all(
        isinstance(order, dict) and isinstance(order.get("id"), int) and isinstance(order.get("entry"), dict) for order in orders
    ):
        raise PlanRefused(f"{where} has no valid orders list. {remake}")
    return document


def review_outcome(planned, outcome, status_after, message, moved_on_outcomes):
    """(outcome, message) of an order of a reviewed plan, given what the module reported for it.

    The module was handed the plan's entry: it changes the order only if a read right before the change plans the
    same change. ``moved_on_outcomes`` are the module's outcomes for an order it leaves alone because it is no
    longer what the plan was made for (not_cancelable after it was issued, nothing_to_cancel after it expired):
    such an order changed since the review, ``changed_since_review``. Every other outcome stands as reported: the
    change made or planned, the order found already canceled (so that applying a plan a second time reports what
    the first one did), missing, failed.
    """
    if outcome not in moved_on_outcomes:
        return outcome, message
    return OUTCOME_CHANGED_SINCE_REVIEW, (
        f"Order {planned['id']} changed since the review: the plan was to {_change_verb(planned['change'])} it when it was {planned.get('status')}; "
        f"now it is {status_after}. It was left alone; "
        f"a new report-only run plans it anew. {message or ''}"
    ).strip()


def review_rows(rows, document, moved_on_outcomes):
    """The report rows of a run that applied ``document``: the row of a planned order with one of
    ``moved_on_outcomes`` becomes ``changed_since_review`` (review_outcome()), a skipped order without a refund
    hint."""
    planned = {order["id"]: order for order in document["orders"]}
    for row in rows:
        order = planned.get(row["order_id"])
        if order is None:
            continue
        outcome, reason = review_outcome(order, row["outcome"], row["status_after"], row["reason"], moved_on_outcomes)
        if outcome != row["outcome"]:
            row.update(outcome=outcome, reason=reason, refund_hint=None, result=RESULT_SKIPPED)
    return rows


def plan_reference(plan, mode):
    """What a report says of its reviewed plan (``plan``: dict with file and document, or None): the file, its time
    and fingerprint, its orders' count, and whether this run wrote it (report mode) or applied it."""
    if plan is None:
        return None
    document = plan["document"]
    return {
        "file": plan["file"],
        "created_at": document["created_at"],
        "fingerprint": document["fingerprint"]["value"],
        "orders": len(document["orders"]),
        "written" if mode == MODE_REPORT else "applied": True,
    }


def plan_sentence(plan, mode):
    """One line about the reviewed plan of a run, for the reports' head."""
    reference = plan_reference(plan, mode)
    if reference is None:
        return "none"
    action = "written to" if reference.get("written") else "applied:"
    return f"{action} {reference['file']} ({reference['orders']} orders, made {reference['created_at']}, fingerprint {reference['fingerprint'][:16]}...)"


def _change_verb(change):
    return {
        "would_cancel": "cancel",
        "would_cancel_reissue": "cancel the pending reissue of",
        "would_reject_request": "reject the request of",
        "would_revoke": "revoke",
    }.get(change, change)


def planned_entries(document):
    """The listing entries of the plan's orders, to hand to the module, each with the change a person reviewed for it:
    the module makes exactly that change (about the same request) or leaves the order alone."""
    return [dict(order["entry"], reviewed_change=dict(outcome=order["change"], request_id=order.get("request_id"))) for order in document["orders"]]
