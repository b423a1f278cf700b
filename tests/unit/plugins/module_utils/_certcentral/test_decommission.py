# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.decommission import (
    Coverage,
    covers_any,
    normalize_name,
    plan,
    retired_names,
    wildcard_covers,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.verdict import cancel_verdict

RETIRED = ["web01.example.com", "web02.example.com", "db1.internal.example.com"]


def order(order_id, common_name, dns_names=(), status="issued", product="ssl_basic", with_verdict=True):
    """A listing entry as digicert_order_info returns it (with its cancel verdict unless told otherwise)."""
    entry = dict(id=order_id, status=status, common_name=common_name, dns_names=list(dns_names), product_name_id=product, requests=None)
    if with_verdict:
        entry["cancel_verdict"] = cancel_verdict(entry)
    return entry


# Every coverage rule, one row each: the order's names and product, and which retired names it covers exactly,
# which only by a wildcard, and which of its names survive.
COVERAGE_TABLE = [
    ("exact common name", order(1, "web01.example.com"), ["web01.example.com"], [], []),
    ("exact SAN", order(2, "www.example.com", ["web02.example.com"]), ["web02.example.com"], [], ["www.example.com"]),
    ("case ignored", order(3, "WEB01.Example.COM"), ["web01.example.com"], [], []),
    ("trailing dot ignored", order(4, "web01.example.com."), ["web01.example.com"], [], []),
    ("spaces ignored", order(5, " web01.example.com "), ["web01.example.com"], [], []),
    ("names repeated once", order(6, "web01.example.com", ["web01.example.com", "Web01.example.com."]), ["web01.example.com"], [], []),
    ("wildcard covers one label", order(7, "*.example.com"), [], ["web01.example.com", "web02.example.com"], []),
    ("wildcard covers no deeper label", order(8, "*.example.com", ["*.other.test"]), [], ["web01.example.com", "web02.example.com"], []),
    ("deeper wildcard", order(9, "*.internal.example.com"), [], ["db1.internal.example.com"], []),
    ("wildcard does not cover its parent", order(10, "*.web01.example.com"), [], [], []),
    ("a suffix is not a name", order(11, "xweb01.example.com"), [], [], ["xweb01.example.com"]),
    ("a parent is not a name", order(12, "example.com"), [], [], ["example.com"]),
    ("client certificate: a person", order(13, "Web01 Example", product="client_premium_sha2"), [], [], []),
    ("client certificate: a host-like name", order(14, "web01.example.com", product="secure_email_mailbox"), [], [], []),
    ("an e-mail address is no host", order(15, "web01.example.com@example.com"), [], [], []),
    ("a person name is no host", order(16, "Web Zero One", ["web01.example.com"]), ["web01.example.com"], [], []),
    ("no names", order(17, None), [], [], []),
    ("names of the wrong type", order(18, 42, [None, 7, "web02.example.com"]), ["web02.example.com"], [], []),
    ("SANs that are not a list", dict(order(19, "web01.example.com"), dns_names=7), ["web01.example.com"], [], []),
    ("SANs given as text", dict(order(20, "www.example.com"), dns_names="web02.example.com"), [], [], ["www.example.com"]),
]


@pytest.mark.parametrize("entry, covered, wildcard_covered, surviving", [row[1:] for row in COVERAGE_TABLE], ids=[row[0] for row in COVERAGE_TABLE])
def test_coverage(entry, covered, wildcard_covered, surviving):
    coverage = Coverage(entry, RETIRED)
    assert coverage.covered == covered
    assert coverage.wildcard_covered == wildcard_covered
    assert coverage.surviving == surviving
    assert coverage.any == bool(covered or wildcard_covered)
    assert covers_any(entry, RETIRED) == coverage.any


@pytest.mark.parametrize(
    "wildcard, host, covers",
    [
        ("*.example.com", "a.example.com", True),
        ("*.example.com", "a.b.example.com", False),
        ("*.example.com", "example.com", False),
        ("*.example.com", "a.example.com.evil", False),
        ("*.a.example.com", "b.a.example.com", True),
    ],
)
def test_a_wildcard_covers_exactly_one_label(wildcard, host, covers):
    assert wildcard_covers(wildcard, host) is covers


@pytest.mark.parametrize("name, normalized", [("Web01.Example.COM.", "web01.example.com"), (" a ", "a"), ("", ""), (None, None), (5, None)])
def test_names_are_compared_without_case_spaces_and_trailing_dot(name, normalized):
    assert normalize_name(name) == normalized


# The decisions, one row each: the order, whether issued orders are revoked, the decision.
DECISION_TABLE = [
    ("pending, only retired names", order(1, "web01.example.com", status="pending"), False, "cancel"),
    ("waiting_pickup, only retired names", order(2, "web01.example.com", ["web02.example.com"], status="waiting_pickup"), False, "cancel"),
    ("issued, revoke asked", order(3, "web01.example.com"), True, "revoke"),
    ("issued, revoke not asked", order(4, "web01.example.com"), False, "revoke_not_requested"),
    ("issued, shares a surviving host", order(5, "web01.example.com", ["www.example.com"]), True, "shared"),
    ("pending, shares a surviving host", order(6, "web01.example.com", ["www.example.com"], status="pending"), True, "shared"),
    ("wildcard covering a retired host", order(7, "*.example.com"), True, "wildcard"),
    ("wildcard named beside the host", order(8, "web01.example.com", ["*.example.com"], status="pending"), True, "wildcard"),
    ("expired", order(9, "web01.example.com", status="expired"), True, "nothing_to_do"),
    ("canceled", order(10, "web01.example.com", status="canceled"), True, "nothing_to_do"),
    ("revoked", order(11, "web01.example.com", status="revoked"), True, "nothing_to_do"),
    ("expired and shared", order(12, "web01.example.com", ["www.example.com"], status="expired"), True, "nothing_to_do"),
    ("needs approval", order(13, "web01.example.com", status="needs_approval"), True, "needs_attention"),
    ("reissue pending", order(14, "web01.example.com", status="reissue_pending"), True, "needs_attention"),
    ("verdict from verdict.py when the listing has none", order(15, "web01.example.com", status="pending", with_verdict=False), False, "cancel"),
]


@pytest.mark.parametrize("entry, revoke_issued, decision", [row[1:] for row in DECISION_TABLE], ids=[row[0] for row in DECISION_TABLE])
def test_decision(entry, revoke_issued, decision):
    result = plan([entry], RETIRED, revoke_issued, 50, 50)
    assert [item["decision"] for item in result["orders"]] == [decision]
    assert str(entry["id"]) in result["orders"][0]["reason"]


def test_a_shared_order_names_its_surviving_hosts():
    result = plan([order(5, "web01.example.com", ["www.example.com", "api.example.com"])], RETIRED, True, 50, 50)
    assert result["orders"][0]["reason"] == ("Order 5 also covers www.example.com, api.example.com, which are not being retired, so it is left alone.")
    assert result["orders"][0]["surviving_names"] == ["www.example.com", "api.example.com"]


ACCOUNT = [
    order(101, "web01.example.com", status="pending"),
    order(102, "web01.example.com", ["web02.example.com"]),
    order(103, "web02.example.com", ["www.example.com"]),
    order(104, "*.example.com"),
    order(105, "web01.example.com", status="expired"),
    order(106, "Web01 Example", product="client_premium_sha2", status="pending"),
    order(107, "other.example.org", status="pending"),
    order(108, "db1.internal.example.com", status="waiting_pickup"),
]


def test_the_plan_of_an_account():
    result = plan(ACCOUNT, RETIRED + ["typo01.example.com", "gone.example.net"], True, 50, 50)

    assert [(item["order"]["id"], item["decision"]) for item in result["orders"]] == [
        (101, "cancel"),
        (108, "cancel"),
        (102, "revoke"),
        (103, "shared"),
        (104, "wildcard"),
        (105, "nothing_to_do"),
    ]
    assert [item["id"] for item in result["cancel_orders"]] == [101, 108]
    assert result["revoke_order_ids"] == [102]
    # The revoke module gets the listing entries themselves, so that a reviewed plan's entry keeps its reviewed change.
    assert result["revoke_orders"] == [next(entry for entry in ACCOUNT if entry["id"] == 102)]
    assert (result["cancellations"], result["revocations"], result["over_limit"]) == (2, 1, False)
    # typo01 is only under the wildcard: it counts as without an order, as gone.example.net does.
    assert result["hosts_without_orders"] == ["typo01.example.com", "gone.example.net"]
    assert result["hosts_under_wildcards_only"] == ["typo01.example.com"]
    wildcard = next(item for item in result["orders"] if item["decision"] == "wildcard")
    assert wildcard["wildcard_covered_hosts"] == ["web01.example.com", "web02.example.com", "typo01.example.com"]


def test_without_revocation_nothing_is_revoked():
    result = plan(ACCOUNT, RETIRED, False, 50, 50)
    assert result["revoke_order_ids"] == []
    assert result["revocations"] == 0


@pytest.mark.parametrize(
    "max_cancellations, max_revocations, problems",
    [
        (2, 1, []),
        (1, 1, ["2 orders would be canceled, more than decommission_max_cancellations=1 allows."]),
        (2, 0, ["1 orders would be revoked, more than decommission_max_revocations=0 allows."]),
        (
            0,
            0,
            [
                "2 orders would be canceled, more than decommission_max_cancellations=0 allows.",
                "1 orders would be revoked, more than decommission_max_revocations=0 allows.",
            ],
        ),
    ],
)
def test_one_plan_is_checked_against_both_limits(max_cancellations, max_revocations, problems):
    result = plan(ACCOUNT, RETIRED, True, max_cancellations, max_revocations)
    assert result["limit_problems"] == problems
    assert result["over_limit"] is bool(problems)


def test_names_come_from_the_play_hosts_their_names_and_the_explicit_list():
    names, problems = retired_names(
        ["web01.example.com", "db1", "localhost", "lb"],
        {"db1": ["DB1.internal.example.com.", "db1-backup.example.com"], "lb": "lb1.example.com, lb2.example.com"},
        "web02.example.com, ,web01.example.com",
    )
    assert problems == []
    assert names == ["web01.example.com", "db1.internal.example.com", "db1-backup.example.com", "lb1.example.com", "lb2.example.com", "web02.example.com"]


@pytest.mark.parametrize("name", ["*.example.com", "bob@example.com", "two words", "localhost", "a..b", "-a.example.com", 7])
def test_what_is_not_a_host_name_is_refused_with_its_source(name):
    names, problems = retired_names([], {}, [name])
    assert names == []
    assert len(problems) == 1 and repr(name) in problems[0] and "decommission_hosts" in problems[0]


def test_an_empty_explicit_list_and_no_hosts_give_no_names():
    assert retired_names([], {}, None) == ([], [])
    assert retired_names(["localhost"], {}, "") == ([], [])
