# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import copy

import pytest

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.verdict import (
    ACTIONS,
    NEEDS_ADMINISTRATOR,
    NEEDS_APPROVER,
    REVOKE_ACTIONS,
    cancel_verdict,
    newest_request,
    pending_revoke_request,
    product_family,
    refund_hint,
    revocation_in_flight,
    revoke_verdict,
    spelling_key,
    takes_revocation_reason,
    user_refusal,
)

ORDER_ID = 4242

# Ways CertCentral describes products: order info and list items carry product{name_id,type}; some list items
# only a top-level product_name_id.
TLS_PRODUCTS = {
    "ssl_basic": {"product": {"name_id": "ssl_basic", "name": "Basic OV", "type": "ssl_certificate"}},
    "ssl_ev_plus": {"product": {"name_id": "ssl_ev_plus", "type": "ssl_certificate"}},
    "private_ssl": {"product": {"name_id": "private_ssl_plus", "type": "private_ssl_certificate"}},
    "code_signing": {"product": {"name_id": "code_signing", "type": "code_signing_certificate"}},
    "list_item_name_id_only": {"product_name_id": "ssl_plus"},
    "no_product": {},
}
CLIENT_PRODUCTS = {
    "client_premium_sha2": {"product": {"name_id": "client_premium_sha2", "type": "client_certificate"}},
    "client_email_security_plus": {"product": {"name_id": "client_email_security_plus", "type": "client_certificate"}},
    "client_type_only": {"product": {"type": "client_certificate"}},
    "secure_email_mailbox": {"product": {"name_id": "secure_email_mailbox", "type": "secure_email"}},
    "secure_email_sponsor": {"product": {"name_id": "secure_email_sponsor"}},
    "list_item_client_name_id_only": {"product_name_id": "client_authentication_plus"},
}
ALL_PRODUCTS = [("tls", name, product) for name, product in TLS_PRODUCTS.items()] + [("client", name, product) for name, product in CLIENT_PRODUCTS.items()]

EXPECTED_BY_STATUS = {
    "pending": (True, "cancel"),
    "waiting_pickup": (True, "cancel"),
    "needs_approval": (False, "reject_request"),
    "reissue_pending": (True, "cancel_reissue"),
    "issued": (False, "revoke"),
    "canceled": (False, "none"),
    "rejected": (False, "none"),
    "revoked": (False, "none"),
    "expired": (False, "none"),
}
# Seen in client code, set on migrated orders, or simply not known: never acted on.
UNKNOWN_STATUSES = ["processing", "needs_csr", "approved", "denied", "renewed", "not_renewed", "reissue", "on_hold", "", 17]


def make_order(product, status, order_id=ORDER_ID, **extra):
    order = copy.deepcopy(product)
    order.update(id=order_id, status=status)
    order.update(extra)
    return order


def request(request_id, request_type, status, date="2026-01-10T08:00:00+00:00"):
    return {"id": request_id, "date": date, "type": request_type, "status": status}


# ---------------------------------------------------------------- every status x every product


@pytest.mark.parametrize("family, product_name, product", ALL_PRODUCTS)
def test_product_family(family, product_name, product):
    assert product_family(product) == family


@pytest.mark.parametrize("status", sorted(EXPECTED_BY_STATUS))
@pytest.mark.parametrize("family, product_name, product", ALL_PRODUCTS)
def test_every_known_status_for_every_product(status, family, product_name, product):
    verdict = cancel_verdict(make_order(product, status), requests=[])
    assert (verdict["cancelable"], verdict["action"]) == EXPECTED_BY_STATUS[status]
    assert set(verdict) == {"cancelable", "action", "reason", "refund_hint", "request_id"}
    assert verdict["action"] in ACTIONS
    assert verdict["reason"].startswith(f"Order {ORDER_ID}")
    assert verdict["reason"].endswith(".")
    assert verdict["refund_hint"] is None
    assert verdict["request_id"] is None


@pytest.mark.parametrize("status", UNKNOWN_STATUSES)
@pytest.mark.parametrize("family, product_name, product", ALL_PRODUCTS)
def test_unknown_statuses_are_not_acted_on(status, family, product_name, product):
    verdict = cancel_verdict(make_order(product, status, payment_method="balance"), requests=[])
    assert verdict == {
        "cancelable": False,
        "action": "none",
        "reason": f"Order {ORDER_ID} has status {status!r}, which this collection does not act on; check the order in CertCentral.",
        "refund_hint": None,
        "request_id": None,
    }


@pytest.mark.parametrize("remove", [True, False])
def test_missing_status_is_named_as_such(remove):
    order = make_order(TLS_PRODUCTS["ssl_basic"], None)
    if remove:
        del order["status"]
    verdict = cancel_verdict(order)
    assert (verdict["cancelable"], verdict["action"]) == (False, "none")
    assert verdict["reason"] == "Order 4242 has no status, which this collection does not act on; check the order in CertCentral."


@pytest.mark.parametrize("status, expected", [("PENDING", (True, "cancel")), ("Issued", (False, "revoke")), ("CANCELED", (False, "none"))])
def test_status_case_does_not_matter(status, expected):
    verdict = cancel_verdict(make_order(TLS_PRODUCTS["ssl_basic"], status), requests=[])
    assert (verdict["cancelable"], verdict["action"]) == expected


def test_order_without_id_is_still_named():
    order = make_order(TLS_PRODUCTS["ssl_basic"], "pending")
    del order["id"]
    assert cancel_verdict(order, [])["reason"].startswith("This order is pending")


# ---------------------------------------------------------------- wording per product family


@pytest.mark.parametrize("product_name", sorted(TLS_PRODUCTS))
def test_tls_reasons(product_name):
    product = TLS_PRODUCTS[product_name]
    assert cancel_verdict(make_order(product, "pending"), [])["reason"] == (
        "Order 4242 is pending: DigiCert has not issued the certificate yet. It can be canceled."
    )
    assert cancel_verdict(make_order(product, "waiting_pickup"), [])["reason"] == (
        "Order 4242 is waiting_pickup: DigiCert has not issued the certificate yet. It can be canceled."
    )
    assert cancel_verdict(make_order(product, "issued"), [])["reason"] == (
        "Order 4242 is issued: DigiCert has issued the certificate, so the order cannot be canceled. Nothing to do while "
        "it is in use; revoke it only if it is no longer needed (revoking the whole order is refunded if DigiCert finds "
        "it eligible)."
    )
    assert "generates" not in cancel_verdict(make_order(product, "reissue_pending"), [])["reason"]


@pytest.mark.parametrize("product_name", sorted(CLIENT_PRODUCTS))
def test_client_certificate_reasons_use_the_console_names(product_name):
    product = CLIENT_PRODUCTS[product_name]
    assert cancel_verdict(make_order(product, "pending"), [])["reason"] == (
        "Order 4242 is Pending: the client certificate order has a CSR and waits for the recipient to validate their email address. It can be canceled."
    )
    assert cancel_verdict(make_order(product, "waiting_pickup"), [])["reason"] == (
        "Order 4242 is Emailed to Recipient: the client certificate order has no CSR and waits for the recipient to "
        "use the generation link in the issuance email. It can be canceled."
    )
    assert "DigiCert has issued the client certificate" in cancel_verdict(make_order(product, "issued"), [])["reason"]
    assert cancel_verdict(make_order(product, "reissue_pending"), [])["reason"].endswith(
        "For a client certificate this works only until the recipient generates the reissued certificate; after that it can only be revoked."
    )


@pytest.mark.parametrize(
    "status, reason",
    [
        ("canceled", "Order 4242 is already canceled; nothing to do."),
        ("rejected", "Order 4242 was rejected; there is nothing to cancel."),
        ("revoked", "Order 4242 is revoked; there is nothing to cancel."),
        ("expired", "Order 4242 has expired; there is nothing to cancel."),
    ],
)
def test_finished_orders_need_nothing(status, reason):
    assert cancel_verdict(make_order(TLS_PRODUCTS["ssl_basic"], status))["reason"] == reason


# ---------------------------------------------------------------- refund hint


@pytest.mark.parametrize("status", sorted(EXPECTED_BY_STATUS) + ["processing"])
@pytest.mark.parametrize("family, product_name, product", ALL_PRODUCTS)
def test_refund_hint_only_for_balance_paid_orders_that_would_be_canceled(status, family, product_name, product):
    verdict = cancel_verdict(make_order(product, status, payment_method="balance"), requests=[])
    if verdict["action"] == "cancel":
        assert verdict["refund_hint"] == (
            "Order 4242 was paid from the account balance. Canceling does not credit the balance automatically: ask DigiCert Support for a refund."
        )
    else:
        assert verdict["refund_hint"] is None


@pytest.mark.parametrize("payment_method, hinted", [("balance", True), ("BALANCE", True), ("card", False), ("credit_card", False), ("", False), (None, False)])
def test_refund_hint_depends_on_payment_method(payment_method, hinted):
    verdict = cancel_verdict(make_order(TLS_PRODUCTS["ssl_basic"], "pending", payment_method=payment_method), [])
    assert (verdict["refund_hint"] is not None) is hinted


def test_refund_hint_is_not_given_when_canceling_waits_for_a_rejection():
    order = make_order(TLS_PRODUCTS["ssl_basic"], "pending", payment_method="balance")
    assert cancel_verdict(order, [request(1, "new_request", "pending")])["refund_hint"] is None


@pytest.mark.parametrize("status", ["canceled", "pending", "issued"])
def test_refund_hint_of_any_balance_paid_order(status):
    order = make_order(TLS_PRODUCTS["ssl_basic"], status, payment_method="balance")
    assert refund_hint(order) == (
        "Order 4242 was paid from the account balance. Canceling does not credit the balance automatically: ask DigiCert Support for a refund."
    )
    assert refund_hint(make_order(TLS_PRODUCTS["ssl_basic"], status, payment_method="card")) is None


# ---------------------------------------------------------------- requests awaiting approval


@pytest.mark.parametrize("status", ["pending", "waiting_pickup"])
@pytest.mark.parametrize("request_status", ["pending", "submitted", "PENDING"])
@pytest.mark.parametrize("family, product_name, product", ALL_PRODUCTS)
def test_undecided_new_request_must_be_rejected_first(status, request_status, family, product_name, product):
    requests = [request(11, "reissue", "rejected"), request(12, "new_request", request_status)]
    verdict = cancel_verdict(make_order(product, status), requests)
    assert verdict["cancelable"] is False
    assert verdict["action"] == "reject_request"
    assert verdict["request_id"] == 12
    assert "its request 12 still awaits approval" in verdict["reason"]
    assert "an approver must reject that request" in verdict["reason"]


@pytest.mark.parametrize(
    "requests",
    [
        [request(12, "new_request", "approved")],
        [request(12, "new_request", "rejected")],
        [request(12, "reissue", "pending")],
        [request(12, "duplicate", "pending")],
        ["not a request", None],
        [],
    ],
)
def test_decided_or_other_requests_do_not_block_canceling(requests):
    verdict = cancel_verdict(make_order(TLS_PRODUCTS["ssl_basic"], "pending"), requests)
    assert verdict["action"] == "cancel"
    assert "not read" not in verdict["reason"]


def test_unknown_requests_are_mentioned():
    verdict = cancel_verdict(make_order(TLS_PRODUCTS["ssl_basic"], "pending"))
    assert verdict["action"] == "cancel"
    assert verdict["reason"].endswith(" Its requests were not read, so a request still awaiting approval is not ruled out.")


def test_requests_of_order_info_are_used_when_none_are_given():
    order = make_order(TLS_PRODUCTS["ssl_basic"], "pending", requests=[request(12, "new_request", "pending")])
    assert cancel_verdict(order)["action"] == "reject_request"


def test_given_requests_take_precedence_over_the_order():
    order = make_order(TLS_PRODUCTS["ssl_basic"], "pending", requests=[request(12, "new_request", "pending")])
    assert cancel_verdict(order, [request(12, "new_request", "approved")])["action"] == "cancel"


@pytest.mark.parametrize(
    "requests, request_id, named",
    [
        ([request(12, "new_request", "pending")], 12, "an approver must reject its request 12 instead"),
        ([request(11, "reissue", "pending"), request(12, "new_request", "submitted")], 12, "its request 12"),
        ([request(11, "duplicate", "pending")], 11, "its request 11"),
        ([request(12, "new_request", "rejected")], None, "its request (Certificates > Requests)"),
        (None, None, "its request (Certificates > Requests)"),
    ],
)
def test_needs_approval_names_the_request_to_reject(requests, request_id, named):
    verdict = cancel_verdict(make_order(CLIENT_PRODUCTS["client_premium_sha2"], "needs_approval"), requests)
    assert verdict["request_id"] == request_id
    assert named in verdict["reason"]
    assert verdict["reason"].startswith("Order 4242 needs approval: it has not been placed with DigiCert yet")


# ---------------------------------------------------------------- pending reissue of client certificates

REISSUE_REQUESTED = "2026-03-01T12:00:00+00:00"


@pytest.mark.parametrize("date_issued", ["2026-03-02T09:00:00+00:00", "2026-03-01T12:00:00Z", "2026-03-01 12:00:00"])
def test_generated_client_reissue_can_only_be_revoked(date_issued):
    order = make_order(CLIENT_PRODUCTS["client_premium_sha2"], "reissue_pending", certificate={"date_issued": date_issued})
    requests = [request(7, "new_request", "approved", "2025-01-01T00:00:00+00:00"), request(8, "reissue", "approved", REISSUE_REQUESTED)]
    verdict = cancel_verdict(order, requests)
    assert (verdict["cancelable"], verdict["action"]) == (False, "revoke")
    assert "the recipient generated the reissued client certificate" in verdict["reason"]
    assert "after reissue request 8" in verdict["reason"]


@pytest.mark.parametrize(
    "certificate, requests",
    [
        ({"date_issued": "2025-01-02T00:00:00+00:00"}, [request(8, "reissue", "approved", REISSUE_REQUESTED)]),
        ({"date_issued": "2026-03-02"}, [request(8, "reissue", "pending", "2026-03-02T10:00:00+00:00")]),
        ({"date_issued": "unreadable"}, [request(8, "reissue", "approved", REISSUE_REQUESTED)]),
        ({"date_issued": "2026-03-02T09:00:00+00:00"}, [request(8, "reissue", "approved", "unreadable")]),
        ({"date_issued": "2026-03-02T09:00:00+00:00"}, [request(8, "new_request", "approved", REISSUE_REQUESTED)]),
        ({"date_issued": "2026-03-02T09:00:00+00:00"}, None),
        ({}, [request(8, "reissue", "approved", REISSUE_REQUESTED)]),
        ("not a certificate", [request(8, "reissue", "approved", REISSUE_REQUESTED)]),
    ],
)
def test_client_reissue_not_known_to_be_generated_can_be_canceled(certificate, requests):
    order = make_order(CLIENT_PRODUCTS["client_premium_sha2"], "reissue_pending", certificate=certificate)
    assert cancel_verdict(order, requests)["action"] == "cancel_reissue"


def test_generated_reissue_rule_is_for_client_certificates_only():
    order = make_order(TLS_PRODUCTS["ssl_basic"], "reissue_pending", certificate={"date_issued": "2026-03-02T09:00:00+00:00"})
    verdict = cancel_verdict(order, [request(8, "reissue", "approved", REISSUE_REQUESTED)])
    assert verdict["action"] == "cancel_reissue"
    assert verdict["reason"] == (
        "Order 4242 has a pending reissue. Canceling withdraws the reissue (its request "
        "becomes rejected) and the order returns to issued with its current certificate."
    )


def test_verdict_does_not_change_the_order():
    order = make_order(CLIENT_PRODUCTS["client_premium_sha2"], "pending", payment_method="balance", requests=[request(1, "new_request", "approved")])
    snapshot = copy.deepcopy(order)
    cancel_verdict(order)
    assert order == snapshot


# ---------------------------------------------------------------- revoke verdict: every status x every product

REVOKE_EXPECTED_BY_STATUS = {
    "issued": (True, "revoke"),
    "pending": (False, "cancel"),
    "waiting_pickup": (False, "cancel"),
    "needs_approval": (False, "reject_request"),
    "reissue_pending": (False, "cancel_reissue"),
    "revoked": (False, "none"),
    "canceled": (False, "none"),
    "rejected": (False, "none"),
    "expired": (False, "none"),
}


@pytest.mark.parametrize("status", sorted(REVOKE_EXPECTED_BY_STATUS))
@pytest.mark.parametrize("family, product_name, product", ALL_PRODUCTS)
def test_revoke_verdict_for_every_known_status_and_product(status, family, product_name, product):
    verdict = revoke_verdict(make_order(product, status), requests=[])
    assert (verdict["revocable"], verdict["action"]) == REVOKE_EXPECTED_BY_STATUS[status]
    assert set(verdict) == {"revocable", "action", "reason"}
    assert verdict["action"] in REVOKE_ACTIONS
    assert verdict["reason"].startswith(f"Order {ORDER_ID}")
    assert verdict["reason"].endswith(".")


@pytest.mark.parametrize("status", UNKNOWN_STATUSES)
def test_revoke_verdict_does_not_act_on_unknown_statuses(status):
    assert revoke_verdict(make_order(TLS_PRODUCTS["ssl_basic"], status), []) == {
        "revocable": False,
        "action": "none",
        "reason": f"Order {ORDER_ID} has status {status!r}, which this collection does not act on; check the order in CertCentral.",
    }


def test_revoke_verdict_names_a_missing_status():
    order = make_order(TLS_PRODUCTS["ssl_basic"], None)
    del order["status"]
    assert revoke_verdict(order)["reason"] == ("Order 4242 has no status, which this collection does not act on; check the order in CertCentral.")


@pytest.mark.parametrize("status, expected", [("ISSUED", (True, "revoke")), ("Revoked", (False, "none")), ("Reissue_Pending", (False, "cancel_reissue"))])
def test_revoke_verdict_ignores_the_case_of_the_status(status, expected):
    verdict = revoke_verdict(make_order(TLS_PRODUCTS["ssl_basic"], status), [])
    assert (verdict["revocable"], verdict["action"]) == expected


@pytest.mark.parametrize(
    "status, reason",
    [
        (
            "issued",
            "Order 4242 is issued: its certificate is valid until it expires or is revoked. It can be revoked; "
            "revoking covers every certificate of the order, duplicates and reissues included, and DigiCert refunds "
            "the order if it is eligible for a refund (revoking a single certificate of an order refunds nothing).",
        ),
        ("revoked", "Order 4242 is already revoked; nothing to do."),
        ("expired", "Order 4242 has expired: its certificate is no longer valid, so there is nothing to revoke."),
        ("canceled", "Order 4242 was canceled before a certificate was issued; there is nothing to revoke."),
        ("rejected", "Order 4242 was rejected, so no certificate was issued; there is nothing to revoke."),
        (
            "pending",
            "Order 4242 is pending: DigiCert has not issued the certificate yet, so there is nothing to revoke. "
            "Cancel the order instead (certops.digicert.digicert_order_cancel).",
        ),
        (
            "needs_approval",
            "Order 4242 needs approval: no certificate has been issued, so there is nothing to revoke. To "
            "withdraw the order, an approver rejects its request (certops.digicert.digicert_order_cancel "
            "with reject_pending_request=true).",
        ),
        (
            "reissue_pending",
            "Order 4242 has a pending reissue, and CertCentral does not allow revoking a certificate while "
            "a reissue is pending. Cancel the reissue first (certops.digicert.digicert_order_cancel with "
            "cancel_reissue=true), then revoke the order.",
        ),
    ],
)
def test_revoke_reasons_for_tls(status, reason):
    assert revoke_verdict(make_order(TLS_PRODUCTS["ssl_basic"], status), [])["reason"] == reason


@pytest.mark.parametrize("product_name", sorted(CLIENT_PRODUCTS))
def test_revoke_reasons_for_client_certificates_use_their_names(product_name):
    product = CLIENT_PRODUCTS[product_name]
    assert revoke_verdict(make_order(product, "issued"), [])["reason"].startswith(
        "Order 4242 is issued: its client certificate is valid until it expires or is revoked."
    )
    assert revoke_verdict(make_order(product, "waiting_pickup"), [])["reason"].startswith(
        "Order 4242 is Emailed to Recipient: DigiCert has not issued the client certificate yet"
    )


@pytest.mark.parametrize("request_status", ["pending", "submitted", "PENDING"])
def test_issued_order_with_a_revoke_request_awaiting_approval(request_status):
    requests = [request(11, "new_request", "approved"), request(12, "revoke", request_status)]
    verdict = revoke_verdict(make_order(TLS_PRODUCTS["ssl_basic"], "issued"), requests)
    assert verdict == {
        "revocable": False,
        "action": "approve_request",
        "reason": "Order 4242 is issued and its revoke request 12 awaits approval: an approver must approve it "
        "(Certificates > Requests in CertCentral); the order stays issued until then.",
    }


@pytest.mark.parametrize(
    "requests, suffix",
    [
        ([request(12, "revoke", "rejected")], " Its last revoke request, 12, was rejected by an approver."),
        (
            [request(12, "revoke", "approved", "2026-01-10T08:00:00+00:00"), request(13, "revoke", "rejected", "2026-01-11T08:00:00+00:00")],
            " Its last revoke request, 13, was rejected by an approver.",
        ),
        ([request(12, "reissue", "pending"), request(13, "duplicate", "pending")], ""),
        (None, " Its requests were not read, so a revoke request awaiting approval is not ruled out."),
    ],
)
def test_issued_order_reason_mentions_what_its_requests_tell(requests, suffix):
    verdict = revoke_verdict(make_order(TLS_PRODUCTS["ssl_basic"], "issued"), requests)
    assert verdict["action"] == "revoke"
    assert verdict["reason"].endswith("refunds nothing)." + suffix)


def test_revoke_request_on_order_info_is_seen_without_given_requests():
    order = make_order(TLS_PRODUCTS["ssl_basic"], "issued", requests=[request(12, "revoke", "pending")])
    assert revoke_verdict(order)["action"] == "approve_request"
    assert pending_revoke_request(order) == request(12, "revoke", "pending")
    assert pending_revoke_request(order, [request(12, "revoke", "approved")]) is None
    assert pending_revoke_request(make_order(TLS_PRODUCTS["ssl_basic"], "issued")) is None


def test_generated_client_reissue_is_neither_revocable_nor_cancelable():
    order = make_order(CLIENT_PRODUCTS["client_premium_sha2"], "reissue_pending", certificate={"date_issued": "2026-03-02T09:00:00+00:00"})
    requests = [request(8, "reissue", "approved", REISSUE_REQUESTED)]
    verdict = revoke_verdict(order, requests)
    assert (verdict["revocable"], verdict["action"]) == (False, "none")
    assert verdict["reason"] == (
        "Order 4242 still shows a pending reissue, although the recipient seems to have generated the reissued client "
        "certificate (issued 2026-03-02 09:00:00 UTC, after reissue request 8). CertCentral does not allow revoking "
        "while a reissue is pending, and such a reissue can no longer be canceled: check the order in CertCentral."
    )


@pytest.mark.parametrize("family, product_name, product", ALL_PRODUCTS)
def test_revocation_reason_applies_to_tls_only(family, product_name, product):
    assert takes_revocation_reason(product) is (family == "tls")


@pytest.mark.parametrize(
    "requests, expected",
    [
        ([request(1, "revoke", "rejected", "2026-01-10T08:00:00+00:00"), request(2, "revoke", "pending", "2026-01-09T08:00:00+00:00")], 1),
        ([request(1, "revoke", "rejected", None), request(2, "revoke", "pending", None)], 2),
        ([request(3, "revoke", "rejected", None), request(2, "revoke", "pending", "2026-01-09T08:00:00+00:00")], 2),
        ([request(1, "reissue", "pending")], None),
        ([], None),
        (None, None),
    ],
)
def test_newest_request_by_date_then_id(requests, expected):
    newest = newest_request(requests, "revoke")
    assert (newest["id"] if newest else None) == expected


def test_revoke_verdict_does_not_change_the_order():
    order = make_order(TLS_PRODUCTS["ssl_basic"], "issued", requests=[request(1, "revoke", "rejected")])
    snapshot = copy.deepcopy(order)
    revoke_verdict(order)
    assert order == snapshot


# ---------------------------------------------------------------- spellings and revocations DigiCert carries out later


@pytest.mark.parametrize("spelling", ["new_request", "new request", "New Request", "NEW-REQUEST", " new  request "])
def test_request_types_are_compared_in_any_spelling(spelling):
    assert spelling_key(spelling) == "new_request"
    order = make_order(TLS_PRODUCTS["ssl_basic"], "pending")
    verdict = cancel_verdict(order, [request(31, spelling, "Pending")])
    assert (verdict["action"], verdict["request_id"]) == ("reject_request", 31)


@pytest.mark.parametrize("value", [None, 7, ["revoke"]])
def test_a_spelling_that_is_not_text_matches_nothing(value):
    assert spelling_key(value) is None
    verdict = revoke_verdict(make_order(TLS_PRODUCTS["ssl_basic"], "issued"), [request(12, value, "pending")])
    assert verdict["action"] == "revoke"


@pytest.mark.parametrize("request_type, status", [("revoke", "approved"), ("Revoke", "Approved"), ("REVOKE", "APPROVED")])
def test_an_approved_revocation_of_an_issued_order_is_in_flight(request_type, status):
    requests = [request(11, "new_request", "approved"), request(12, request_type, status, "2026-01-12T08:00:00+00:00")]
    order = make_order(TLS_PRODUCTS["ssl_basic"], "issued", certificate={"date_issued": "2026-01-02T08:00:00+00:00"})
    assert revocation_in_flight(order, requests)["id"] == 12
    assert revoke_verdict(order, requests) == {
        "revocable": False,
        "action": "await_revocation",
        "reason": "Order 4242 is still issued, but its revoke request 12 was approved: DigiCert is processing the "
        "revocation, and the order reads revoked once it is done. Nothing more is sent; if it still reads "
        "issued after a day, check the order in CertCentral.",
    }
    assert "await_revocation" in REVOKE_ACTIONS


def test_an_approved_revocation_older_than_the_certificate_does_not_cover_it():
    # The order was reissued after its revocation was approved: the new certificate is valid and can be revoked.
    requests = [request(12, "revoke", "approved", "2026-01-02T08:00:00+00:00")]
    order = make_order(TLS_PRODUCTS["ssl_basic"], "issued", certificate={"date_issued": "2026-01-12T08:00:00+00:00"})
    assert revocation_in_flight(order, requests) is None
    assert revoke_verdict(order, requests)["action"] == "revoke"


def test_only_the_newest_revoke_request_tells_whether_a_revocation_is_in_flight():
    requests = [request(12, "revoke", "approved", "2026-01-02T08:00:00+00:00"), request(13, "revoke", "rejected", "2026-01-05T08:00:00+00:00")]
    order = make_order(TLS_PRODUCTS["ssl_basic"], "issued")
    assert revocation_in_flight(order, requests) is None
    assert revocation_in_flight(order, None) is None
    assert revoke_verdict(order, requests)["action"] == "revoke"


def test_a_revoked_order_with_an_approved_request_is_already_revoked():
    requests = [request(12, "revoke", "approved")]
    assert revoke_verdict(make_order(TLS_PRODUCTS["ssl_basic"], "revoked"), requests)["action"] == "none"


# ---------------------------------------------------------------- the user behind the API key


def user(*names):
    return {"id": 1, "access_roles": [{"id": number, "name": name} for number, name in enumerate(names)]}


@pytest.mark.parametrize(
    "answer, needed, refused",
    [
        (user("Administrator"), NEEDS_APPROVER, False),
        (user("Administrator"), NEEDS_ADMINISTRATOR, False),
        (user("Manager"), NEEDS_APPROVER, False),
        (user("Manager"), NEEDS_ADMINISTRATOR, True),
        (user("Orders"), NEEDS_APPROVER, True),
        (user("Orders"), NEEDS_ADMINISTRATOR, True),
        (user("Standard User", "Finance Manager"), NEEDS_APPROVER, True),
        (user("user", " MANAGER "), NEEDS_APPROVER, False),
        (user("View Only"), NEEDS_APPROVER, True),
        # Nothing to judge by: CertCentral decides.
        (None, NEEDS_APPROVER, False),
        ({"id": 1}, NEEDS_APPROVER, False),
        ({"id": 1, "access_roles": []}, NEEDS_ADMINISTRATOR, False),
        ({"id": 1, "access_roles": [{"id": 1}]}, NEEDS_ADMINISTRATOR, False),
        ({"id": 1, "access_roles": "Orders"}, NEEDS_APPROVER, False),
        (user("EV Verified User"), NEEDS_APPROVER, False),
        (user("Orders", "Some New Role"), NEEDS_ADMINISTRATOR, False),
    ],
)
def test_user_refusal(answer, needed, refused):
    assert (user_refusal(answer, needed) is not None) is refused


def test_user_refusal_names_the_roles_and_who_may():
    assert user_refusal(user("Orders", "Finance Manager"), NEEDS_APPROVER) == (
        "the user behind the API key may not reject or approve requests: GET /user/me shows its roles as Orders, "
        "Finance Manager, and only an administrator or manager may"
    )


def test_user_refusal_quotes_role_names_cleaned():
    refusal = user_refusal(user("Orders", "View\tOnly\n"), NEEDS_ADMINISTRATOR)
    assert "shows its roles as Orders, View Only, and only an administrator may" in refusal
