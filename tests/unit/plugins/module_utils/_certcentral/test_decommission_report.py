# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import csv
import io
import json

import pytest

from ansible_collections.certops.digicert.plugins.module_utils._certcentral import decommission_report, inventory_report
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.decommission import plan
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.verdict import cancel_verdict

NAMES = ["web01.example.com"]


def order(order_id, common_name, dns_names=(), status="issued"):
    entry = dict(id=order_id, status=status, common_name=common_name, dns_names=list(dns_names), product_name_id="ssl_basic")
    entry["cancel_verdict"] = cancel_verdict(entry)
    return entry


ORDERS = [
    order(3, "web01.example.com", status="expired"),
    order(1, "web01.example.com", status="pending"),
    order(2, "web01.example.com"),
    order(4, "<b>www|x</b>\n=cmd", ["web01.example.com", "www.example.com"]),
]


def settings(mode="apply"):
    return decommission_report.DecommissionSettings(mode, "2026-03-04T05:06:07Z", "https://certcentral.test", "CHG-1", True, False, 50, 50)


def texts(mode="apply", max_revocations=50, cancel=None, revoke=None):
    the_plan = plan(ORDERS, NAMES, True, 50, max_revocations)
    return decommission_report.report_texts(settings(mode), the_plan, cancel or {}, revoke or {}, "decommission-x")


CANCELED = dict(orders=[dict(id=1, outcome="canceled", status_before="pending", status="canceled", message="Order 1 was canceled.")])
REVOKED = dict(orders=[dict(id=2, outcome="revoked", status_before="issued", status="revoked", message="Order 2 was revoked.")])


def test_rows_sort_the_orders_to_act_on_first_and_take_the_module_outcomes():
    rows, summary, _texts = texts(cancel=CANCELED, revoke=REVOKED)
    assert [(row["order_id"], row["decision"], row["outcome"], row["result"]) for row in rows] == [
        (1, "cancel", "canceled", "changed"),
        (2, "revoke", "revoked", "changed"),
        (4, "shared", "shared", "skipped"),
        (3, "nothing_to_do", "nothing_to_do", "skipped"),
    ]
    assert rows[0]["covered_hosts"] == "web01.example.com"
    assert summary["results"] == dict(changed=2, would_change=0, skipped=2, failed=0)


def test_an_over_limit_applied_run_reports_the_plan_and_no_change():
    rows, summary, _texts = texts(max_revocations=0)
    assert [row["outcome"] for row in rows[:2]] == ["over_limit", "over_limit"]
    assert summary["over_limit"] and summary["results"]["changed"] == 0
    assert "decommission_max_revocations=0" in rows[0]["reason"]


def test_a_module_that_failed_before_reporting_makes_its_orders_failed():
    rows, summary, _texts = texts(cancel=dict(failed=True, msg="HTTP 500"), revoke=REVOKED)
    assert rows[0]["outcome"] == "failed" and "HTTP 500" in rows[0]["reason"]
    assert summary["results"]["failed"] == 1


def test_a_planned_change_of_an_applied_run_that_was_not_made_is_not_attempted():
    planned = dict(failed=True, msg="stopped", orders=[dict(id=1, outcome="would_cancel", status="pending")])
    rows, _summary, _texts = texts(cancel=planned, revoke=REVOKED)
    assert (rows[0]["outcome"], rows[0]["result"]) == ("not_attempted", "failed")


@pytest.mark.parametrize("mode", ["report", "check"])
def test_planned_changes_would_change_outside_apply_mode(mode):
    cancel = dict(orders=[dict(id=1, outcome="would_cancel", status="pending")])
    rows, _summary, _texts = texts(mode=mode, cancel=cancel)
    assert rows[0]["result"] == "would_change"


def test_the_texts_escape_certcentral_values():
    rows, _summary, report = texts(cancel=CANCELED, revoke=REVOKED)
    shared = next(line for line in report["md"].splitlines() if line.startswith("| 4 |"))
    assert "<b>" not in shared and "\\<b\\>" in shared and "www\\|x" in shared
    parsed = list(csv.reader(io.StringIO(report["csv"])))
    assert parsed[0] == list(decommission_report.CSV_COLUMNS)
    assert parsed[3][:2] == ["4", "<b>www|x</b>\n=cmd"]
    assert json.loads(report["json"])["orders"] == rows


def test_a_plan_without_orders_is_refused():
    with pytest.raises(ValueError, match="plan.orders must be a list"):
        decommission_report.check_plan({})


def test_the_inventory_counts_and_lists_the_oldest_actionable_orders_first():
    orders = [
        dict(order(1, "a.example.com", status="pending"), age_days=5),
        dict(order(2, "b|c.example.com", status="pending"), age_days=50),
        dict(order(3, "d.example.com"), age_days=500),
    ]
    settings_ = inventory_report.InventorySettings(
        "2026-03-04T05:06:07Z", "https://certcentral.test", dict(statuses=[], older_than_days=0, product_name_ids=[], container_id=None), False, 1
    )
    rows, summary, report = inventory_report.report_texts(settings_, orders, "order-report-x")
    assert summary["statuses"] == {"issued": 1, "pending": 2}
    assert summary["verdicts"] == {"cancel": 2, "revoke": 1}
    assert summary["oldest_actionable"] == [2]
    assert "| 2 | b\\|c.example.com | pending | 50 | cancel |" in report["md"]
    assert len(report["csv"].splitlines()) == 4
