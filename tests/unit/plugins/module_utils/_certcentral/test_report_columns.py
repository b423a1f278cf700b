# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""One CSV layout across the three reports, and certificate data in every one of them, from every path its rows take."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re

import pytest

from ansible_collections.certops.digicert.plugins.module_utils._certcentral import (
    cleanup_report,
    decommission_report,
    inventory_report,
    review_plan,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.decommission import plan
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.html_report import TABLE_ORDER_COLUMNS
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.orders import normalize_order
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.report_format import ORDER_COLUMNS

NOW = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.timezone.utc)
API_URL = "https://certcentral.test/services/v2"
API_KEY = "SECRET-KEY-0123456789abcdef"
REPORTS = {"order_cleanup": cleanup_report, "decommission": decommission_report, "order_report": inventory_report}


def raw_order(order_id, status, common_name, dns_names, issued=False, price=None, payment_method=None):
    """An order as CertCentral lists it: certificate data only once issued, a price on list items."""
    certificate = {"common_name": common_name, "dns_names": dns_names}
    if issued:
        certificate.update(valid_till="2027-01-15", days_remaining=317, serial_number="0A1B2C3D4E5F60718293A4B5C6D7E8F9")
    order = {
        "id": order_id,
        "status": status,
        "date_created": "2026-01-02T03:04:05+00:00",
        "certificate": certificate,
        "product": {"name_id": "ssl_basic", "type": "ssl_certificate"},
        "organization": {"id": 5, "name": "Example Ltd"},
        "container": {"id": 7, "name": "Web team"},
    }
    if price is not None:
        order["price"] = price
    if payment_method is not None:
        order["payment_method"] = payment_method
    return order


def listed(order_id, status="pending", common_name=None, dns_names=None, issued=False, price=175.0, payment_method=None):
    common_name = common_name or f"host{order_id}.example.com"
    return normalize_order(raw_order(order_id, status, common_name, dns_names or [common_name, f"www.{common_name}"], issued, price, payment_method), NOW)


# A realistic clean-up: one pending order canceled, one issued order that cannot be canceled.
CLEANUP_FOUND = [listed(1), listed(2, "issued", issued=True)]
CLEANUP_BATCHES = [
    dict(
        number=1,
        order_ids=[1, 2],
        failed=False,
        message=None,
        summary={},
        changes=1,
        orders=[
            dict(
                id=1,
                status_before="pending",
                status="canceled",
                outcome="canceled",
                message="Order 1 was canceled.",
                refund_hint="Order 1 was paid from the account balance.",
            ),
            dict(id=2, status_before="issued", status="issued", outcome="not_cancelable", message="Order 2 is issued."),
        ],
    )
]
CLEANUP_SELECTION = dict(statuses=["pending", "issued"], older_than_days=30, product_name_ids=[], container_ids=[], exclude_order_ids=[])

# A realistic decommissioning: a pending order canceled, an issued one revoked, a shared and a wildcard one left
# alone.
RETIRED = ["web01.example.com"]
DECOMMISSION_ORDERS = [
    listed(11, common_name="web01.example.com", dns_names=["web01.example.com"]),
    listed(12, "issued", common_name="web01.example.com", dns_names=["web01.example.com"], issued=True),
    listed(13, "issued", common_name="shop.example.com", dns_names=["shop.example.com", "web01.example.com"], issued=True),
    listed(14, "issued", common_name="*.example.com", dns_names=["*.example.com"], issued=True),
]
CANCELED = dict(
    orders=[
        dict(
            id=11,
            outcome="canceled",
            status_before="pending",
            status="canceled",
            message="Order 11 was canceled.",
            refund_hint="Order 11 was paid from the account balance.",
        )
    ]
)
REVOKED = dict(orders=[dict(id=12, outcome="revoked", status_before="issued", status="revoked", message="Order 12 was revoked.")])

# A realistic inventory with details: payment methods and the listing's prices.
INVENTORY_ORDERS = [listed(21, payment_method="balance"), listed(22, "issued", issued=True, payment_method="card")]


def cleanup_texts(found=None, mode="apply", plan_given=None):
    settings = cleanup_report.ReportSettings(mode, NOW, API_URL, CLEANUP_SELECTION, "CHG-1", 50, 100, plan=plan_given)
    return cleanup_report.report_texts(settings, CLEANUP_FOUND if found is None else found, CLEANUP_BATCHES)


def decommission_texts():
    settings = decommission_report.DecommissionSettings("apply", "2026-03-04T05:06:07Z", API_URL, "CHG-1", True, False, 50, 50)
    return decommission_report.report_texts(settings, plan(DECOMMISSION_ORDERS, RETIRED, True, 50, 50), CANCELED, REVOKED, "decommission-x")


def inventory_texts():
    settings = inventory_report.InventorySettings(
        "2026-03-04T05:06:07Z", API_URL, dict(statuses=[], older_than_days=0, product_name_ids=[], container_id=""), True, 20
    )
    return inventory_report.report_texts(settings, INVENTORY_ORDERS, "order-report-x")


def parsed_csv(texts):
    return list(csv.DictReader(io.StringIO(texts["csv"], newline="")))


REALISTIC_RUNS = {"order_cleanup": cleanup_texts, "decommission": decommission_texts, "order_report": inventory_texts}


def test_the_three_csv_headers_start_with_the_same_columns_in_the_same_order():
    headers = {name: next(csv.reader(io.StringIO(run()[2]["csv"]))) for name, run in REALISTIC_RUNS.items()}
    for name, header in headers.items():
        assert tuple(header[: len(ORDER_COLUMNS)]) == ORDER_COLUMNS, name
        assert tuple(header) == REPORTS[name].CSV_COLUMNS
        # A report's own columns come after the shared ones and repeat none of them.
        assert not set(header[len(ORDER_COLUMNS) :]) & set(ORDER_COLUMNS), name
        assert len(set(header)) == len(header), name
    assert ORDER_COLUMNS[:2] == ("order_id", "common_name")
    for column in ("organization_name", "container_name", "valid_till", "days_remaining", "serial_number", "price"):
        assert column in ORDER_COLUMNS


@pytest.mark.parametrize("name", sorted(REALISTIC_RUNS))
def test_every_csv_column_has_a_value_in_a_realistic_run(name):
    rows = parsed_csv(REALISTIC_RUNS[name]()[2])
    assert len(rows) >= 2
    empty = [column for column in REPORTS[name].CSV_COLUMNS if not any(row[column] for row in rows)]
    assert empty == []


@pytest.mark.parametrize("name", sorted(REALISTIC_RUNS))
def test_the_certificate_columns_hold_the_orders_data(name):
    rows = {int(row["order_id"]): row for row in parsed_csv(REALISTIC_RUNS[name]()[2])}
    orders = {"order_cleanup": CLEANUP_FOUND, "decommission": DECOMMISSION_ORDERS, "order_report": INVENTORY_ORDERS}[name]
    pending_id, issued_id = orders[0]["id"], orders[1]["id"]
    issued, pending = rows[issued_id], rows[pending_id]
    assert (issued["valid_till"], issued["days_remaining"], issued["serial_number"]) == ("2027-01-15", "317", "0A1B2C3D4E5F60718293A4B5C6D7E8F9")
    assert (pending["valid_till"], pending["days_remaining"], pending["serial_number"]) == ("", "", "")
    assert (pending["organization_name"], pending["container_id"], pending["container_name"], pending["price"]) == ("Example Ltd", "7", "Web team", "175.0")
    assert pending["dns_names"] == " ".join(orders[0]["dns_names"])
    assert pending["status_before"] == "pending"


def test_the_inventory_keeps_its_json_status_key_and_shows_the_same_status_before_and_after():
    rows = json.loads(inventory_texts()[2]["json"])["orders"]
    assert [(row["status"], row["status_before"], row["status_after"]) for row in rows] == [("pending", "pending", "pending"), ("issued", "issued", "issued")]


@pytest.mark.parametrize("name", sorted(REALISTIC_RUNS))
def test_the_html_report_shows_expiry_and_organization(name):
    html = REALISTIC_RUNS[name]()[2]["html"]
    for column in ("valid_till", "days_remaining", "organization_name", "container_name"):
        assert f"<th>{column}</th>" in html
    assert '<td class="c-valid_till">2027-01-15</td>' in html
    assert '<td class="c-days_remaining number">317</td>' in html
    assert '<td class="c-organization_name">Example Ltd</td>' in html


@pytest.mark.parametrize("name", sorted(REALISTIC_RUNS))
def test_the_three_html_tables_start_with_the_same_columns_in_the_same_order(name):
    headings = re.findall(r"<th>([^<]*)</th>", REALISTIC_RUNS[name]()[2]["html"])
    assert tuple(headings[: len(TABLE_ORDER_COLUMNS)]) == TABLE_ORDER_COLUMNS
    assert len(headings) > len(TABLE_ORDER_COLUMNS)
    assert len(set(headings)) == len(headings)


def test_an_applied_reviewed_plan_reports_the_certificate_data_the_plan_recorded():
    # The report-only run plans order 1; the plan records its listing entry.
    report_rows = cleanup_texts(mode="report")[0]
    assert report_rows[0]["price"] == 175.0
    planned = [dict(id=order["id"], change="would_cancel", entry=order) for order in CLEANUP_FOUND]
    document = json.loads(review_plan.plan_text(review_plan.make_plan("order_cleanup", API_URL, NOW, CLEANUP_SELECTION, planned, API_KEY)))
    # The applied run's orders are the plan's entries, as the action reviewed_plan hands them to the role.
    rows = cleanup_texts(found=review_plan.planned_entries(document), plan_given={"file": "p.json", "document": document})[0]
    assert [(row["order_id"], row["organization_name"], row["price"], row["valid_till"]) for row in rows] == [
        (1, "Example Ltd", 175.0, None),
        (2, "Example Ltd", 175.0, "2027-01-15"),
    ]
