# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The account generator: determinism, exact counts, realism, consistency, and scale."""

from __future__ import annotations

import collections
import datetime
import json
import os
import subprocess
import sys
import time

import pytest

from certcentral_sim.generator import DATA_FORMAT, generate_account, summarize

SIMULATOR_DIR = os.path.dirname(os.path.abspath(__file__))
TLS_PRODUCTS = {
    "ssl_basic",
    "ssl_securesite_pro",
    "ssl_ev_basic",
    "ssl_multi_domain",
    "ssl_wildcard",
    "ssl_plus",
    "ssl_ev_plus",
    "ssl_dv_geotrust",
    "ssl_dv_rapidssl",
}
CLIENT_PRODUCTS = {
    "secure_email_mailbox",
    "secure_email_sponsor",
    "secure_email_organization",
    "client_premium_sha2",
    "client_email_security_plus",
    "client_authentication_plus",
    "client_digital_signature_plus_sha2",
}
LEGACY_CLIENT_PRODUCTS = {"client_premium_sha2", "client_email_security_plus", "client_authentication_plus", "client_digital_signature_plus_sha2"}
ALL_STATUSES = {"pending", "waiting_pickup", "needs_approval", "reissue_pending", "issued", "expired", "revoked", "canceled", "rejected"}


def test_the_same_seed_and_date_give_the_same_account(demo_data):
    again = generate_account(seed=7, orders=2500, reference_date="2026-01-15")
    assert json.dumps(again, sort_keys=True) == json.dumps(demo_data, sort_keys=True)


def test_another_seed_or_date_gives_another_account(demo_data):
    assert generate_account(seed=8, orders=2500, reference_date="2026-01-15")["orders"] != demo_data["orders"]
    assert generate_account(seed=7, orders=2500, reference_date="2026-01-16")["orders"] != demo_data["orders"]


def test_the_demo_account_counts(demo_data):
    summary = summarize(demo_data)
    assert summary["orders"] == 2500
    assert set(summary["by_status"]) == ALL_STATUSES
    assert summary["by_status"]["pending"] + summary["by_status"]["waiting_pickup"] == 150
    assert summary["abandoned"] == 38
    assert summary["by_status"]["needs_approval"] == 25 and summary["by_status"]["reissue_pending"] == 20
    assert set(summary["by_product"]) == TLS_PRODUCTS | CLIENT_PRODUCTS
    assert demo_data["format"] == DATA_FORMAT and demo_data["generator"]["seed"] == 7


def test_the_benchmark_account_is_exact_and_quick():
    started = time.monotonic()
    data = generate_account(seed=7, orders=20000, pending=3000, abandoned=400, reference_date="2026-01-15")
    assert time.monotonic() - started < 10
    summary = summarize(data)
    assert summary["orders"] == 20000
    assert summary["by_status"]["pending"] + summary["by_status"]["waiting_pickup"] == 3000
    assert summary["abandoned"] == 400
    assert len({order["id"] for order in data["orders"]}) == 20000


@pytest.mark.parametrize(
    "options",
    [
        {"orders": 10, "pending": 11},
        {"orders": 100, "pending": 10, "abandoned": 11},
        {"orders": 100, "pending": 60, "needs_approval": 30, "reissue_pending": 20},
        {"orders": -1},
    ],
)
def test_impossible_counts_are_refused(options):
    with pytest.raises(ValueError):
        generate_account(**options)


def test_statuses_agree_with_dates_requests_and_products(demo_data):
    reference = datetime.datetime(2026, 1, 15, tzinfo=datetime.timezone.utc)
    products = {product["name_id"]: product for product in demo_data["products"]}
    requests_by_order = collections.defaultdict(list)
    for request in demo_data["requests"]:
        requests_by_order[request["order_id"]].append(request)
    for order in demo_data["orders"]:
        status, certificate = order["status"], order["certificate"]
        assert datetime.datetime.fromisoformat(order["date_created"]) < reference
        assert certificate.get("date_issued", "") < "2026-01-15" and all(entry["date_created"] < "2026-01-15" for entry in order["reissues"])
        assert all(r["date"] < "2026-01-15" and r.get("date_processed", "") <= "2026-01-15T00:00:00+00:00" for r in requests_by_order[order["id"]])
        pending_requests = [(r["type"], r["status"]) for r in requests_by_order[order["id"]] if r["status"] == "pending"]
        if status in ("issued", "expired", "revoked", "reissue_pending"):
            assert certificate["serial_number"] and certificate["thumbprint"]
        else:
            assert "serial_number" not in certificate and "valid_till" not in certificate
        if status in ("issued", "reissue_pending"):
            assert certificate["valid_till"] > "2026-01-15"
        if status == "expired":
            assert certificate["valid_till"] < "2026-01-15"
        if status == "waiting_pickup":
            assert products[order["product_name_id"]]["type"] == "client_certificate" and "csr" not in certificate
        if status == "needs_approval":
            assert pending_requests == [("new_request", "pending")]
        elif status == "reissue_pending":
            assert pending_requests == [("reissue", "pending")] and order["reissues"][-1]["status"] == "pending"
        else:
            assert pending_requests == []
        if status == "rejected":
            assert requests_by_order[order["id"]][0]["status"] == "rejected"
        family = "client_certificate" if order["product_name_id"] in CLIENT_PRODUCTS else "ssl_certificate"
        assert products[order["product_name_id"]]["type"] == family


def test_legacy_products_belong_to_older_orders(demo_data):
    for order in demo_data["orders"]:
        if order["product_name_id"] in LEGACY_CLIENT_PRODUCTS:
            assert order["date_created"] < "2025-07-10"
        if order["product_name_id"].startswith("secure_email_"):
            assert order["date_created"] >= "2025-07-10"


def test_the_account_looks_like_a_real_fleet(demo_data):
    common_names = collections.Counter(order["certificate"]["common_name"] for order in demo_data["orders"])
    assert common_names["web01.prod.example.com"] >= 2 and common_names["api.example.net"] >= 2
    assert sum(1 for count in common_names.values() if count >= 3) >= 50  # decommissioning runs see overlaps
    assert len(demo_data["containers"]) >= 4
    assert {order["container_id"] for order in demo_data["orders"]} == {container["id"] for container in demo_data["containers"]}
    payment_methods = collections.Counter(order["payment_method"] for order in demo_data["orders"])
    assert payment_methods["balance"] > 1000 and len(payment_methods) >= 2
    ages = sorted((datetime.date(2026, 1, 15) - datetime.date.fromisoformat(order["date_created"][:10])).days for order in demo_data["orders"])
    assert ages[0] <= 2 and ages[-1] > 3 * 365
    assert any(order["is_renewed"] and order["renewed_order_id"] for order in demo_data["orders"])
    assert any(order["certificate"]["common_name"].startswith("*.") for order in demo_data["orders"])
    assert any(len(order["certificate"]["dns_names"]) > 2 for order in demo_data["orders"])


def test_abandoned_orders_are_clearly_older_than_30_days(demo_data):
    cutoff = datetime.datetime(2026, 1, 15, tzinfo=datetime.timezone.utc) - datetime.timedelta(days=30)
    for order in demo_data["orders"]:
        if order["status"] in ("pending", "waiting_pickup"):
            age = cutoff - datetime.datetime.fromisoformat(order["date_created"])
            assert abs(age) > datetime.timedelta(days=1)  # nothing within a day of the line


def test_the_generator_command_line(tmp_path):
    output = tmp_path / "account.json"
    result = subprocess.run(
        [sys.executable, "-m", "certcentral_sim.generator", "--seed", "7", "--orders", "300", "--reference-date", "2026-01-15", "-o", str(output)],
        cwd=SIMULATOR_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "generated 300 orders" in result.stderr
    assert json.loads(output.read_text(encoding="utf-8")) == generate_account(seed=7, orders=300, reference_date="2026-01-15")
