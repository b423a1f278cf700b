# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""Whether a CertCentral order can be canceled or revoked, and what to do instead when it cannot.

This is the only place that encodes DigiCert's cancellation rules ("Cancel a pending certificate and client
certificate order" and "Update order status" in the Services API v2 reference) and its revocation rules ("Revoke
order certificates" and "Revoke certificate"). It does no I/O: give it an order as CertCentral returns it (a list
item or order info) and, when known, the order's requests; for what the user behind the API key may do
(user_refusal()), the answer of ``GET /user/me``.
"""

from __future__ import annotations

import re

from .errors import clean_server_text
from .timestamps import parse_timestamp

ACTION_CANCEL = "cancel"
ACTION_REJECT_REQUEST = "reject_request"
ACTION_CANCEL_REISSUE = "cancel_reissue"
ACTION_REVOKE = "revoke"
ACTION_APPROVE_REQUEST = "approve_request"
ACTION_AWAIT_REVOCATION = "await_revocation"
ACTION_NONE = "none"
# What cancel_verdict() may advise.
ACTIONS = (ACTION_CANCEL, ACTION_REJECT_REQUEST, ACTION_CANCEL_REISSUE, ACTION_REVOKE, ACTION_NONE)
# What revoke_verdict() may advise.
REVOKE_ACTIONS = (ACTION_REVOKE, ACTION_APPROVE_REQUEST, ACTION_AWAIT_REVOCATION, ACTION_CANCEL, ACTION_REJECT_REQUEST, ACTION_CANCEL_REISSUE, ACTION_NONE)

PRODUCT_FAMILY_TLS = "tls"
PRODUCT_FAMILY_CLIENT = "client"

# The statuses "Update order status" accepts for canceling a new or renewed order.
CANCELABLE_STATUSES = ("pending", "waiting_pickup")
# Request statuses of a request that an approver has not decided on yet.
UNDECIDED_REQUEST_STATUSES = ("pending", "submitted")
# The request status of a revocation that was approved (or sent with skip_approval) and that DigiCert carries out
# later: DigiCert's pages say such a request goes "to DigiCert for revocation", not that the order reads revoked at once.
APPROVED_REQUEST_STATUS = "approved"
# DigiCert's page "Revoke an issued SSL/TLS certificate": revoking all certificates of an order revokes the order and,
# "if eligible", refunds it; revoking one certificate of an order refunds nothing.
REVOCATION_REFUND = "DigiCert refunds the order if it is eligible for a refund (revoking a single certificate of an order refunds nothing)."
# Statuses in which no certificate of the order is valid: none was issued, or it has expired.
NOTHING_TO_REVOKE_STATUSES = ("canceled", "rejected", "expired")

# Client certificate and Secure Email (S/MIME) products: product.type client_certificate, name_ids client_* (the
# documented client_premium_sha2, client_email_security_plus, ... and their older forms) and secure_email_* (their
# replacements since July 2025).
_CLIENT_PREFIXES = ("client", "secure_email")

# How DigiCert's console names the cancelable statuses of client certificate orders.
_CLIENT_STATUS_LABELS = {"pending": "Pending", "waiting_pickup": "Emailed to Recipient"}


def product_family(order):
    """``client`` for client certificate and Secure Email orders, ``tls`` for all others."""
    product = order.get("product") if isinstance(order.get("product"), dict) else {}
    product_type = product.get("type") or ""
    name_id = product.get("name_id") or order.get("product_name_id") or ""
    if any(str(value).startswith(_CLIENT_PREFIXES) for value in (product_type, name_id)):
        return PRODUCT_FAMILY_CLIENT
    return PRODUCT_FAMILY_TLS


_SEPARATORS = re.compile(r"[\s_-]+")


def spelling_key(value):
    """A request type or status as one spelling: lower case, words joined by ``_``; None when it is not text.

    Spellings vary between API generations and fixtures (``new_request``, ``new request``, ``New Request``).
    """
    if not isinstance(value, str):
        return None
    return _SEPARATORS.sub("_", value.strip().lower())


def order_status(order):
    """The order's status in lower case, or None. The one place a status is lower-cased: DigiCert writes statuses in
    lower case, and a different case must not make an order look like one in another status."""
    status = order.get("status") if isinstance(order, dict) else None
    return status.lower() if isinstance(status, str) else None


def request_type(request):
    """The request's type in one spelling (see spelling_key), or None."""
    return spelling_key(request.get("type"))


def request_state(request):
    """The request's status in one spelling (see spelling_key), or None."""
    return spelling_key(request.get("status"))


def _verdict(cancelable, action, reason, refund_hint=None, request_id=None):
    return dict(cancelable=cancelable, action=action, reason=reason, refund_hint=refund_hint, request_id=request_id)


def _known_requests(order, requests):
    if requests is None:
        requests = order.get("requests")
    if not isinstance(requests, list):
        return None
    return [request for request in requests if isinstance(request, dict)]


def _undecided_request(requests, wanted_type=None):
    for request in requests or []:
        if request_state(request) not in UNDECIDED_REQUEST_STATUSES:
            continue
        if wanted_type is None or request_type(request) == wanted_type:
            return request
    return None


def newest_request(requests, wanted_type):
    """The newest request of this type among ``requests``, by date and then by ID, or None."""
    candidates = [request for request in requests or [] if request_type(request) == wanted_type]
    if not candidates:
        return None

    def age_key(request):
        date = parse_timestamp(request.get("date"))
        request_id = request.get("id")
        return (date is not None, date.timestamp() if date is not None else 0, request_id if isinstance(request_id, int) else 0)

    return max(candidates, key=age_key)


def _generated_reissue(order, requests):
    """(issue date, reissue request) when the current certificate was issued after the newest reissue request.

    For a client certificate that means the recipient has already generated the reissued certificate. DigiCert
    does not document a field for this; the dates are the only evidence the order and its requests carry.
    """
    certificate = order.get("certificate") if isinstance(order.get("certificate"), dict) else {}
    issued = parse_timestamp(certificate.get("date_issued"))
    dated_reissues = [(parse_timestamp(request.get("date")), request) for request in requests or [] if request_type(request) == "reissue"]
    dated_reissues = [(date, request) for date, request in dated_reissues if date is not None]
    if issued is None or not dated_reissues:
        return None
    requested, request = max(dated_reissues, key=lambda pair: pair[0])
    if issued >= requested:
        return issued, request
    return None


def _subject(order):
    order_id = order.get("id")
    return f"Order {order_id}" if order_id is not None else "This order"


def _refund_hint(order, subject):
    if str(order.get("payment_method") or "").lower() != "balance":
        return None
    return f"{subject} was paid from the account balance. Canceling does not credit the balance automatically: ask DigiCert Support for a refund."


def refund_hint(order):
    """The refund sentence for ``order`` when it was paid from the account balance, whatever its status, else None.

    cancel_verdict() gives it only for orders that can be canceled now; an order that is already canceled may
    still be owed a refund.
    """
    return _refund_hint(order, _subject(order))


def cancel_verdict(order, requests=None):
    """Decide what can be done about ``order``.

    ``requests`` are the order's requests (``order.requests`` of order info is used when not given). None means
    they are unknown, as for list items.

    Returns a dict:

    - ``cancelable``: True when ``PUT /order/certificate/{id}/status`` with ``canceled`` would be accepted.
    - ``action``: ``cancel``, ``cancel_reissue`` (cancel the pending reissue; the order returns to issued),
      ``reject_request`` (an approver must reject the request instead), ``revoke`` (issued: cannot be canceled;
      revoke only if no longer needed), or ``none`` (nothing to do, or a status this collection does not act on).
    - ``reason``: a sentence naming the order.
    - ``refund_hint``: a sentence when canceling leaves a refund to be asked for, else None.
    - ``request_id``: the request to reject, when ``action`` is ``reject_request`` and it is known.
    """
    subject = _subject(order)
    status = order.get("status")
    status_key = order_status(order)
    family = product_family(order)
    is_client = family == PRODUCT_FAMILY_CLIENT
    requests = _known_requests(order, requests)

    if status_key in CANCELABLE_STATUSES:
        label = _CLIENT_STATUS_LABELS[status_key] if is_client else status_key
        awaiting = _undecided_request(requests, "new_request")
        if awaiting is not None:
            return _verdict(
                False,
                ACTION_REJECT_REQUEST,
                f"{subject} is {label}, but its request {awaiting.get('id')} still awaits approval: an approver must reject that request; "
                "until then the order cannot be canceled.",
                request_id=awaiting.get("id"),
            )
        if is_client and status_key == "pending":
            state = "the client certificate order has a CSR and waits for the recipient to validate their email address"
        elif is_client:
            state = "the client certificate order has no CSR and waits for the recipient to use the generation link in the issuance email"
        else:
            state = "DigiCert has not issued the certificate yet"
        reason = f"{subject} is {label}: {state}. It can be canceled."
        if requests is None:
            reason += " Its requests were not read, so a request still awaiting approval is not ruled out."
        return _verdict(True, ACTION_CANCEL, reason, refund_hint=_refund_hint(order, subject))

    if status_key == "needs_approval":
        awaiting = _undecided_request(requests, "new_request") or _undecided_request(requests)
        which = f"its request {awaiting.get('id')}" if awaiting is not None else "its request (Certificates > Requests)"
        return _verdict(
            False,
            ACTION_REJECT_REQUEST,
            f"{subject} needs approval: it has not been placed with DigiCert yet, so it cannot be canceled; an approver must reject {which} instead.",
            request_id=awaiting.get("id") if awaiting is not None else None,
        )

    if status_key == "reissue_pending":
        generated = _generated_reissue(order, requests) if is_client else None
        if generated is not None:
            issued, request = generated
            return _verdict(
                False,
                ACTION_REVOKE,
                f"{subject}: the recipient generated the reissued client certificate (issued "
                f"{issued.strftime('%Y-%m-%d %H:%M:%S UTC')}, after reissue request {request.get('id')}), so "
                "the reissue can no longer be canceled; revoke the certificate only if it is no longer "
                "needed.",
            )
        reason = (
            f"{subject} has a pending reissue. Canceling withdraws the reissue (its request becomes rejected) and the "
            "order returns to issued with its current certificate."
        )
        if is_client:
            reason += " For a client certificate this works only until the recipient generates the reissued certificate; after that it can only be revoked."
        return _verdict(True, ACTION_CANCEL_REISSUE, reason)

    if status_key == "issued":
        certificate = "client certificate" if is_client else "certificate"
        return _verdict(
            False,
            ACTION_REVOKE,
            f"{subject} is issued: DigiCert has issued the {certificate}, so the order cannot be canceled. "
            "Nothing to do while it is in use; revoke it only if it is no longer needed (revoking the whole "
            "order is refunded if DigiCert finds it eligible).",
        )

    if status_key == "canceled":
        return _verdict(False, ACTION_NONE, f"{subject} is already canceled; nothing to do.")
    if status_key == "rejected":
        return _verdict(False, ACTION_NONE, f"{subject} was rejected; there is nothing to cancel.")
    if status_key == "revoked":
        return _verdict(False, ACTION_NONE, f"{subject} is revoked; there is nothing to cancel.")
    if status_key == "expired":
        return _verdict(False, ACTION_NONE, f"{subject} has expired; there is nothing to cancel.")

    described = f"has status {status!r}" if status is not None else "has no status"
    return _verdict(False, ACTION_NONE, f"{subject} {described}, which this collection does not act on; check the order in CertCentral.")


# ---------------------------------------------------------------- revocation


def pending_revoke_request(order, requests=None):
    """The order's revoke request that still awaits an approver, or None (also when the requests are unknown)."""
    return _undecided_request(_known_requests(order, requests), "revoke")


def revocation_in_flight(order, requests=None):
    """The order's approved revoke request that DigiCert is still carrying out, or None.

    An order that still reads ``issued`` while its newest revoke request is approved is being revoked: DigiCert
    revokes as a step of its own after the request (or a call with ``skip_approval``) reaches it. A certificate issued
    after that request (a reissue) is not covered by it, so the request then no longer counts as in flight.
    """
    requests = _known_requests(order, requests)
    newest = newest_request(requests, "revoke")
    if newest is None or request_state(newest) != APPROVED_REQUEST_STATUS:
        return None
    certificate = order.get("certificate") if isinstance(order.get("certificate"), dict) else {}
    issued = parse_timestamp(certificate.get("date_issued"))
    requested = parse_timestamp(newest.get("date"))
    if issued is not None and requested is not None and issued > requested:
        return None
    return newest


def takes_revocation_reason(order):
    """Whether DigiCert applies a ``revocation_reason`` to this order's certificates: it documents it for TLS only."""
    return product_family(order) == PRODUCT_FAMILY_TLS


def _revoke_verdict(revocable, action, reason):
    return dict(revocable=revocable, action=action, reason=reason)


def revoke_verdict(order, requests=None):
    """Decide whether every certificate of ``order`` can be revoked (``PUT /order/certificate/{id}/revoke``).

    ``requests`` are the order's requests (``order.requests`` of order info is used when not given). None means
    they are unknown, as for list items.

    Returns a dict:

    - ``revocable``: True when the order's certificates can be revoked now.
    - ``action``: ``revoke``; ``approve_request`` (a revoke request already awaits an approver);
      ``await_revocation`` (a revocation was approved and DigiCert is carrying it out: send nothing); ``cancel`` or
      ``reject_request`` (nothing was issued yet: cancel the order, or reject its request, instead);
      ``cancel_reissue`` (revoking is not allowed while a reissue is pending: cancel the reissue first); or
      ``none`` (nothing to revoke, or a status this collection does not act on).
    - ``reason``: a sentence naming the order.
    """
    subject = _subject(order)
    status = order.get("status")
    status_key = order_status(order)
    is_client = product_family(order) == PRODUCT_FAMILY_CLIENT
    certificate = "client certificate" if is_client else "certificate"
    requests = _known_requests(order, requests)

    if status_key == "issued":
        awaiting = _undecided_request(requests, "revoke")
        if awaiting is not None:
            return _revoke_verdict(
                False,
                ACTION_APPROVE_REQUEST,
                f"{subject} is issued and its revoke request {awaiting.get('id')} awaits approval: an approver must approve it "
                "(Certificates > Requests in CertCentral); the order stays issued until then.",
            )
        in_flight = revocation_in_flight(order, requests)
        if in_flight is not None:
            return _revoke_verdict(
                False,
                ACTION_AWAIT_REVOCATION,
                f"{subject} is still issued, but its revoke request {in_flight.get('id')} was approved: DigiCert is processing "
                "the revocation, and the order reads revoked once it is done. Nothing more is sent; "
                "if it still reads issued after a day, check the order in CertCentral.",
            )
        reason = (
            f"{subject} is issued: its {certificate} is valid until it expires or is revoked. It can be revoked; revoking covers "
            f"every certificate of the order, duplicates and reissues included, and {REVOCATION_REFUND}"
        )
        newest = newest_request(requests, "revoke")
        if requests is None:
            reason += " Its requests were not read, so a revoke request awaiting approval is not ruled out."
        elif newest is not None and request_state(newest) == "rejected":
            reason += f" Its last revoke request, {newest.get('id')}, was rejected by an approver."
        return _revoke_verdict(True, ACTION_REVOKE, reason)

    if status_key == "revoked":
        return _revoke_verdict(False, ACTION_NONE, f"{subject} is already revoked; nothing to do.")
    if status_key == "expired":
        return _revoke_verdict(False, ACTION_NONE, f"{subject} has expired: its {certificate} is no longer valid, so there is nothing to revoke.")
    if status_key == "canceled":
        return _revoke_verdict(False, ACTION_NONE, f"{subject} was canceled before a {certificate} was issued; there is nothing to revoke.")
    if status_key == "rejected":
        return _revoke_verdict(False, ACTION_NONE, f"{subject} was rejected, so no {certificate} was issued; there is nothing to revoke.")

    if status_key in CANCELABLE_STATUSES:
        label = _CLIENT_STATUS_LABELS[status_key] if is_client else status_key
        return _revoke_verdict(
            False,
            ACTION_CANCEL,
            f"{subject} is {label}: DigiCert has not issued the {certificate} yet, so there is nothing to revoke. Cancel the "
            "order instead (certops.digicert.digicert_order_cancel).",
        )
    if status_key == "needs_approval":
        return _revoke_verdict(
            False,
            ACTION_REJECT_REQUEST,
            f"{subject} needs approval: no {certificate} has been issued, so there is nothing to revoke. To withdraw "
            "the order, an approver rejects its request (certops.digicert.digicert_order_cancel with "
            "reject_pending_request=true).",
        )
    if status_key == "reissue_pending":
        generated = _generated_reissue(order, requests) if is_client else None
        if generated is not None:
            issued, request = generated
            return _revoke_verdict(
                False,
                ACTION_NONE,
                f"{subject} still shows a pending reissue, although the recipient seems to have generated the "
                f"reissued client certificate (issued {issued.strftime('%Y-%m-%d %H:%M:%S UTC')}, after reissue request "
                f"{request.get('id')}). CertCentral does "
                "not allow revoking while a reissue is pending, and such a reissue can no longer be "
                "canceled: check the order in CertCentral.",
            )
        return _revoke_verdict(
            False,
            ACTION_CANCEL_REISSUE,
            f"{subject} has a pending reissue, and CertCentral does not allow revoking a certificate while a "
            "reissue is pending. Cancel the reissue first (certops.digicert.digicert_order_cancel with "
            "cancel_reissue=true), then revoke the order.",
        )

    described = f"has status {status!r}" if status is not None else "has no status"
    return _revoke_verdict(False, ACTION_NONE, f"{subject} {described}, which this collection does not act on; check the order in CertCentral.")


# ---------------------------------------------------------------- the user behind the API key

# What a change needs of the user behind the API key. DigiCert: requests are approved and rejected by administrators
# and managers (EV and CS verified users only for orders of their product); skip_approval needs an administrator.
NEEDS_APPROVER = "approver"
NEEDS_ADMINISTRATOR = "administrator"
# Who holds each, as a phrase for messages.
ROLE_HOLDERS = {NEEDS_APPROVER: "an administrator or manager", NEEDS_ADMINISTRATOR: "an administrator"}
# The change each one allows, as a verb phrase.
_ROLE_CHANGES = {NEEDS_APPROVER: "reject or approve requests", NEEDS_ADMINISTRATOR: "revoke without an approval step (skip_approval)"}
# The roles of GET /user/me (by name, in lower case) that allow it.
_GRANTING_ROLES = {NEEDS_APPROVER: ("administrator", "manager"), NEEDS_ADMINISTRATOR: ("administrator",)}
# The roles known not to allow it: CertCentral's user roles without approval rights, and the API key restrictions
# (docs/certcentral-api.md section 1). A user with a role outside both lists (an EV or CS verified user, a role
# this collection does not know) is not judged: CertCentral decides, as it does for any change.
_USER_ROLES_WITHOUT_APPROVAL = ("user", "standard user", "limited user", "finance manager", "orders", "orders, domains, organizations", "view only")
_DENYING_ROLES = {NEEDS_APPROVER: _USER_ROLES_WITHOUT_APPROVAL, NEEDS_ADMINISTRATOR: _USER_ROLES_WITHOUT_APPROVAL + ("manager",)}


def user_role_names(user):
    """The names of the roles ``GET /user/me`` (``user``) shows for the key's user, or None when it shows none that can
    be judged: not read (None), no ``access_roles``, or a role without a name."""
    roles = user.get("access_roles") if isinstance(user, dict) else None
    if not isinstance(roles, list) or not roles:
        return None
    names = [role.get("name") if isinstance(role, dict) else None for role in roles]
    if not all(isinstance(name, str) and name.strip() for name in names):
        return None
    return names


def user_refusal(user, needed):
    """Why the key's user may not make a change that needs ``needed`` (NEEDS_APPROVER or NEEDS_ADMINISTRATOR), as a
    clause, or None.

    None also when ``GET /user/me`` does not tell: it could not be read (a key restricted to orders may not read its
    user), it shows no roles, or a role this collection does not know. Then the change is planned as usual and
    CertCentral decides, refusing it for that one order if the user may not make it.
    """
    names = user_role_names(user)
    if names is None:
        return None
    keys = [" ".join(name.lower().split()) for name in names]
    if any(key in _GRANTING_ROLES[needed] for key in keys) or not all(key in _DENYING_ROLES[needed] for key in keys):
        return None
    shown = ", ".join(clean_server_text(name, limit=100) for name in names)
    return f"the user behind the API key may not {_ROLE_CHANGES[needed]}: GET /user/me shows its roles as {shown}, and only {ROLE_HOLDERS[needed]} may"
