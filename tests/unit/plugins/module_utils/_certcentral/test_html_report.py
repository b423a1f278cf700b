# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The HTML reports of the three roles: they parse, fetch nothing, escape CertCentral's values, and their charts say
what the JSON reports say."""

from __future__ import annotations

import datetime
import json
import re
from html.parser import HTMLParser

import pytest

from ansible_collections.certops.digicert.plugins.module_utils._certcentral import (
    cleanup_report,
    decommission_report,
    html_report,
    inventory_report,
)

HOSTILE = '<script>alert(1)</script><img src="https://evil.test/x.png"> & "quotes" url(https://evil.test/) @import'
GENERATED_AT = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.timezone.utc)
# Elements that load something or run something; none may appear.
_FETCHING_TAGS = {"script", "link", "img", "iframe", "object", "embed", "image", "use", "audio", "video", "source", "base", "form", "frame"}


class ReportParser(HTMLParser):
    """Collects the tags, attributes, style text, charts and table rows of a report, and checks nesting."""

    VOID = {"meta", "br", "rect", "hr", "input"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.attributes = []
        self.styles = []
        self.charts = {}
        self.table_rows = 0
        self.text = []
        self._open = []
        self._chart = None
        self._in_style = False
        self._in_tbody = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        self.attributes.extend(attrs)
        if tag not in self.VOID:
            self._open.append(tag)
        if tag == "style":
            self._in_style = True
        if "data-chart" in attributes:
            self._chart = attributes["data-chart"]
            self.charts[self._chart] = {}
        if "data-label" in attributes:
            self.charts[self._chart][attributes["data-label"]] = int(attributes["data-value"])
        if tag == "tbody":
            self._in_tbody = True
        if tag == "tr" and self._in_tbody:
            self.table_rows += 1

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)

    def handle_endtag(self, tag):
        assert self._open and self._open[-1] == tag, f"unbalanced </{tag}> after {self._open[-3:]}"
        self._open.pop()
        if tag == "style":
            self._in_style = False
        if tag == "tbody":
            self._in_tbody = False

    def handle_data(self, data):
        (self.styles if self._in_style else self.text).append(data)


def parse(text):
    parser = ReportParser()
    parser.feed(text)
    parser.close()
    assert parser._open == [], f"unclosed elements: {parser._open}"
    return parser


def assert_self_contained(text, parser):
    assert text.startswith("<!DOCTYPE html>")
    assert not _FETCHING_TAGS & set(parser.tags)
    for name, value in parser.attributes:
        assert name not in ("src", "href", "xlink:href", "srcset", "action", "style") and not name.startswith("on"), (name, value)
    style = "".join(parser.styles)
    assert "@import" not in style and "url(" not in style
    # Nothing outside text nodes names a remote address: every http(s) in the raw file is an escaped value.
    assert not re.search(r"<[^>]*\s(src|href)\s*=", text, re.I)
    assert "default-src 'none'" in text


def assert_escaped(text, parser):
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert any(HOSTILE in chunk for chunk in parser.text)


def cleanup_texts():
    found = [
        dict(
            id=order_id,
            status=status,
            common_name=HOSTILE if order_id == 1 else f"host{order_id}",
            product_name_id="ssl_basic",
            container_id=7,
            date_created="2026-01-02T03:04:05+00:00",
            age_days=age,
        )
        for order_id, status, age in [(1, "pending", 40), (2, "pending", 400), (3, "waiting_pickup", 100), (4, "pending", 35)]
    ]
    entries = [
        dict(id=1, status_before="pending", status="canceled", outcome="canceled", message=HOSTILE, refund_hint="Paid from the balance: ask for a refund."),
        dict(id=2, status_before="pending", status="issued", outcome="not_cancelable", message="Issued."),
        dict(id=3, status_before="waiting_pickup", status="canceled", outcome="canceled", message="Done."),
    ]
    batches = [dict(number=1, order_ids=[1, 2, 3], failed=False, message=None, summary={}, changes=2, orders=entries)]
    settings = cleanup_report.ReportSettings(
        mode="apply",
        generated_at=GENERATED_AT,
        api_url="https://certcentral.test/services/v2",
        selection=dict(statuses=["pending", "waiting_pickup"], older_than_days=30, product_name_ids=[], container_ids=[], exclude_order_ids=[4]),
        note=HOSTILE,
        max_cancellations=50,
        batch_size=100,
    )
    return cleanup_report.report_texts(settings, found, batches)[2]


def decommission_texts():
    def plan_entry(order_id, status, decision, common_name="web01.example.com"):
        return dict(
            order=dict(id=order_id, status=status, common_name=common_name, dns_names=[]),
            decision=decision,
            reason="Because.",
            covered_hosts=["web01.example.com"],
        )

    plan = dict(
        orders=[plan_entry(5, "pending", "cancel", HOSTILE), plan_entry(6, "issued", "revoke"), plan_entry(7, "expired", "nothing_to_do")],
        hosts=["web01.example.com"],
        hosts_without_orders=[],
        limit_problems=[],
        over_limit=False,
        cancellations=1,
        revocations=1,
        cancel_orders=[],
        revoke_order_ids=[6],
    )
    settings = decommission_report.DecommissionSettings(
        mode="report",
        generated_at_text="2026-03-04T05:06:07Z",
        api_url="https://certcentral.test",
        note="CHG-9",
        revoke_issued=True,
        skip_approval=False,
        max_cancellations=5,
        max_revocations=5,
    )
    cancel_result = dict(orders=[dict(id=5, status="pending", outcome="would_cancel", message=HOSTILE, refund_hint="Ask for a refund.")])
    revoke_result = dict(orders=[dict(id=6, status="issued", outcome="would_revoke", message="Would revoke.")])
    return decommission_report.report_texts(settings, plan, cancel_result, revoke_result, "decommission-x")[2]


def inventory_texts():
    orders = [
        dict(
            id=order_id,
            status=status,
            common_name=HOSTILE if order_id == 1 else f"a{order_id}",
            age_days=age,
            cancel_verdict=dict(cancelable=action == "cancel", action=action, reason="r", refund_hint="Ask." if order_id == 2 else None),
        )
        for order_id, status, age, action in [
            (1, "pending", 10, "cancel"),
            (2, "pending", 200, "cancel"),
            (3, "issued", 500, "revoke"),
            (4, "expired", None, "none"),
        ]
    ]
    settings = inventory_report.InventorySettings(
        "2026-03-04T05:06:07Z", "https://certcentral.test", dict(statuses=[], older_than_days=0, product_name_ids=[], container_id=None), False, 20
    )
    return inventory_report.report_texts(settings, orders, "order-report-x")[2]


@pytest.mark.parametrize("make_texts", [cleanup_texts, decommission_texts, inventory_texts])
def test_the_html_report_parses_fetches_nothing_and_escapes_every_value(make_texts):
    texts = make_texts()
    parser = parse(texts["html"])
    assert_self_contained(texts["html"], parser)
    assert_escaped(texts["html"], parser)
    assert "svg" in parser.tags
    assert parser.table_rows == len(json.loads(texts["json"])["orders"])


def test_the_clean_up_charts_say_what_the_json_report_says():
    texts = cleanup_texts()
    report = json.loads(texts["json"])
    charts = parse(texts["html"]).charts
    rows = report["orders"]
    assert charts["outcome"] == report["summary"]["outcomes"] == {"canceled": 2, "excluded": 1, "not_cancelable": 1}
    results = report["summary"]["results"]
    assert (
        charts["result"]
        == {"changed": results["changed"] + results["would_change"], "skipped": results["skipped"], "failed": results["failed"]}
        == {"changed": 2, "skipped": 2, "failed": 0}
    )
    statuses = {}
    for row in rows:
        statuses[row["status_before"]] = statuses.get(row["status_before"], 0) + 1
    assert charts["status"] == statuses == {"pending": 3, "waiting_pickup": 1}
    assert charts["age"] == {"0-30 days": 0, "31-90 days": 2, "91-180 days": 1, "181-365 days": 0, "over 365 days": 1}
    assert sum(charts["age"].values()) == report["summary"]["found"]
    html_text = texts["html"]
    assert f'data-refunds="{len(report["summary"]["refund_requests"])}"' in html_text
    assert "Ask DigiCert Support for a refund of: 1." in html_text


def test_the_decommission_charts_say_what_the_json_report_says():
    texts = decommission_texts()
    report = json.loads(texts["json"])
    charts = parse(texts["html"]).charts
    assert charts["outcome"] == report["summary"]["outcomes"]
    decisions = {}
    for row in report["orders"]:
        decisions[row["decision"]] = decisions.get(row["decision"], 0) + 1
    assert charts["decision"] == decisions == {"cancel": 1, "nothing_to_do": 1, "revoke": 1}
    assert charts["result"]["would change"] == report["summary"]["results"]["would_change"] == 2


def test_the_order_report_charts_say_what_the_json_report_says():
    texts = inventory_texts()
    report = json.loads(texts["json"])
    charts = parse(texts["html"]).charts
    assert charts["status"] == report["summary"]["statuses"] == {"expired": 1, "issued": 1, "pending": 2}
    assert charts["verdict"] == report["summary"]["verdicts"]
    assert charts["age"] == {"0-30 days": 1, "31-90 days": 0, "91-180 days": 0, "181-365 days": 1, "over 365 days": 1, "unknown": 1}
    assert charts["result"] == {"actionable": report["summary"]["actionable"], "nothing to do": 2}
    assert f'data-refunds="{report["summary"]["refund_hints"]}"' in texts["html"]


def test_an_empty_chart_says_so_and_bars_scale_to_the_largest():
    empty = html_report.bar_chart("x", "Nothing", {})
    assert "no orders" in empty
    chart = html_report.bar_chart("x", "Two", {"a": 2, "b": 1, "c": 0})
    widths = [int(width) for width in re.findall(r'<rect x="\d+" y="\d+" width="(\d+)"', chart)]
    assert widths == [260, 130, 0]
