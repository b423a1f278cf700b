# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The order report's compact rows and streamed files: the same bytes as the writers of dict rows (json.dumps(),
csv_text(), html_text()), with the values that repeat from row to row held once."""

from __future__ import annotations

import datetime
import io
import json

import pytest

from ansible_collections.certops.digicert.plugins.module_utils._certcentral import html_report as html
from ansible_collections.certops.digicert.plugins.module_utils._certcentral import inventory_report
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.orders import normalize_order
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.report_format import csv_text, markdown_text

NOW = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.timezone.utc)
NASTY = ['=cmd|"/c calc"!A1', 'a,b\n"c"', "<b>&amp;</b> | *x*", "\u00e9\u2028\U0001f600\x00", "  -1+1", None]


def raw_order(order_id):
    """A listed order; every few orders another status, product, age, price and payment method."""
    status = ("pending", "issued", "waiting_pickup", "canceled", "expired", "reissue_pending", None)[order_id % 7]
    certificate = {"common_name": NASTY[order_id % len(NASTY)], "dns_names": [f"www{order_id}.example", "=x.example"]}
    if order_id % 3 == 0:
        certificate.update(valid_till="2027-01-15", days_remaining=order_id * 3, serial_number=f"0A{order_id:030X}")
    order = {
        "id": order_id,
        "status": status,
        "date_created": f"20{20 + order_id % 6}-0{1 + order_id % 9}-11T10:00:00+00:00" if order_id % 11 else "not a date",
        "certificate": certificate,
        "product": {"name_id": ("ssl_basic", "ssl_plus", "code_signing")[order_id % 3], "type": "ssl_certificate"},
        "container": {"id": 7 + order_id % 2, "name": ("Web", "Mail | ops")[order_id % 2]},
        "organization": {"name": "Example Ltd"},
        # Prices as the listing gives them: floats, also whole ones, once an int; none on some.
        "price": (175.0, 0.1, 99, None, 1e-7)[order_id % 5],
        "payment_method": ("balance", "card", None)[order_id % 3],
    }
    # Through JSON, as from the wire: equal texts are distinct objects.
    return normalize_order(json.loads(json.dumps(order)), NOW)


ORDERS = [raw_order(order_id) for order_id in range(1, 40)]
SETTINGS = inventory_report.InventorySettings(
    "2026-03-04T05:06:07Z",
    'https://x.test/"orders": []',
    dict(statuses=["pending"], older_than_days=5, product_name_ids=["a|b"], container_id="7"),
    True,
    4,
)


def streamed(write, *arguments):
    stream = io.StringIO()
    write(stream, *arguments)
    return stream.getvalue()


def compact_rows(orders=ORDERS):
    make = inventory_report.RowMaker()
    return [make(order) for order in orders]


def test_a_compact_row_holds_the_dict_rows_values_in_its_key_order():
    dict_rows = inventory_report.build_rows(ORDERS)
    assert [tuple(row) for row in dict_rows] == [inventory_report.ROW_KEYS] * len(ORDERS)
    assert compact_rows() == [tuple(row.values()) for row in dict_rows]
    assert inventory_report.summarize_values(compact_rows(), 4) == inventory_report.summarize_rows(dict_rows, 4)


def test_the_rows_share_the_texts_that_repeat_and_keep_every_values_type():
    # Orders alike but for their ID, age and names.
    rows = compact_rows([raw_order(order_id) for order_id in (2, 44, 86)])
    at = {key: index for index, key in enumerate(inventory_report.ROW_KEYS)}
    for key in ("status", "status_before", "product", "container_name", "organization_name", "action", "cancelable", "payment_method"):
        assert len({id(row[at[key]]) for row in rows}) == 1, key
    assert rows[0][at["status"]] is rows[0][at["status_after"]]
    # The order's own texts are its own.
    assert len({row[at["reason"]] for row in rows}) == 3
    prices = [type(row[at["price"]]) for row in compact_rows()[:5]]
    assert prices == [float, int, type(None), float, float]


@pytest.mark.parametrize("count", [0, 1, 39])
def test_each_streamed_file_is_the_dict_writers_text(count):
    orders = ORDERS[:count]
    rows = compact_rows(orders)
    dict_rows = inventory_report.build_rows(orders)
    summary = inventory_report.summarize_values(rows, SETTINGS.oldest)

    assert streamed(inventory_report.write_json, SETTINGS, summary, rows) == inventory_report.json_report(SETTINGS, summary, dict_rows)
    assert streamed(inventory_report.write_csv_report, rows) == csv_text(inventory_report.CSV_COLUMNS, dict_rows)

    compact_html = inventory_report.html_report(SETTINGS, summary, rows)
    by_dict = html.HtmlReport(
        compact_html.title,
        compact_html.facts,
        [(chart, caption, html.age_counts(dict_rows) if chart == "age" else counts) for chart, caption, counts in compact_html.charts],
        compact_html.columns,
        dict_rows,
        [row["order_id"] for row in dict_rows if row["refund_hint"]],
        result_column="action",
    )
    assert streamed(inventory_report.write_html, SETTINGS, summary, rows) == html.html_text(by_dict)
    texts = inventory_report.report_texts(SETTINGS, orders, "order-report-x")
    assert texts[0] == dict_rows
    assert texts[2]["csv"] == streamed(inventory_report.write_csv_report, rows)


def test_the_markdown_lists_the_oldest_actionable_orders_from_the_compact_rows():
    rows = compact_rows()
    summary = inventory_report.summarize_values(rows, 2)
    assert len(summary["oldest_actionable"]) == 2
    text = inventory_report.markdown_report(SETTINGS, summary, rows, "order-report-x")
    for order_id in summary["oldest_actionable"]:
        order = next(order for order in ORDERS if order["id"] == order_id)
        assert f"| {order_id} | " in text
        assert f" | {order['age_days']} | {markdown_text(order['cancel_verdict']['action'])} |" in text


@pytest.mark.parametrize(
    "values",
    [
        dict(common_name='\u00e9"\\\n\x00<\u2028>\U0001f600', age_days=None, cancelable=True, container_id=2**70, days_remaining=-3),
        dict(price=0.1, dns_names=["a", "b"]),
        dict(price=float("nan")),
        dict(price=float("inf"), days_remaining=-float("inf"), age_days=1e300),
    ],
    ids=["plain values", "a list", "nan", "infinities"],
)
def test_a_row_of_any_values_is_written_as_json_dumps_writes_it(values):
    row = tuple(values.get(key, index) for index, key in enumerate(inventory_report.ROW_KEYS))
    summary = dict(orders=2)
    other = tuple(range(len(inventory_report.ROW_KEYS)))
    expected = inventory_report.json_report(SETTINGS, summary, [dict(zip(inventory_report.ROW_KEYS, row)), dict(zip(inventory_report.ROW_KEYS, other))])
    assert streamed(inventory_report.write_json, SETTINGS, summary, [row, other]) == expected
    json.loads(expected.replace("NaN", "0").replace("-Infinity", "0").replace("Infinity", "0"))
