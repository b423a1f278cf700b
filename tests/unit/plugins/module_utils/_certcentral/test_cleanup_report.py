# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.cleanup_report import (
    CSV_COLUMNS,
    MARKDOWN_FAILED_ORDERS,
    ReportSettings,
    build_rows,
    check_report_inputs,
    csv_report,
    json_report,
    markdown_report,
    parse_generated_at,
    report_texts,
    summarize_rows,
)

GENERATED_AT = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.timezone.utc)


def listed(order_id, status="pending", **fields):
    """An order as digicert_order_info lists it, with the fields the report reads (and one it does not)."""
    order = dict(
        id=order_id,
        status=status,
        common_name=f"host{order_id}.example.com",
        product_name_id="ssl_basic",
        container_id=7,
        date_created="2026-01-02T03:04:05+00:00",
        age_days=40,
        dns_names=[],
    )
    order.update(fields)
    return order


def entry(order_id, outcome, status_before="pending", status="pending", refund_hint=None, message=None):
    """An entry of digicert_order_cancel's orders result."""
    return dict(
        id=order_id,
        status_before=status_before,
        status=status,
        cancel_verdict=None,
        outcome=outcome,
        message=message or f"Order {order_id}: {outcome}.",
        refund_hint=refund_hint,
        request_id=None,
    )


def batch(number, order_ids, entries=(), failed=False, message=None):
    """A batch record as the role keeps it."""
    return dict(number=number, order_ids=list(order_ids), failed=failed, message=message, summary={}, changes=0, orders=list(entries))


def settings(mode="report", **overrides):
    values = dict(
        mode=mode,
        generated_at=GENERATED_AT,
        api_url="https://certcentral.test/services/v2",
        selection=dict(statuses=["pending", "waiting_pickup"], older_than_days=30, product_name_ids=[], container_ids=[], exclude_order_ids=[]),
        note="CHG-1",
        max_cancellations=50,
        batch_size=100,
    )
    values.update(overrides)
    return ReportSettings(**values)


def only_row(found, batches, exclude_order_ids=(), mode="report"):
    rows = build_rows(found, batches, list(exclude_order_ids), mode)
    assert len(rows) == 1
    return rows[0]


# ---------------------------------------------------------------- rows


def test_a_row_has_the_csv_columns_in_order_and_takes_the_listing_fields():
    order = listed(11, common_name="www.example.com", product_name_id="ssl_ev_basic", container_id=3, date_created="2025-12-01T00:00:00+00:00", age_days=None)
    row = only_row([order], [batch(1, [11], [entry(11, "would_cancel")])])
    assert tuple(row) == CSV_COLUMNS
    assert (row["order_id"], row["common_name"], row["product"], row["container_id"], row["date_created"], row["age_days"]) == (
        11,
        "www.example.com",
        "ssl_ev_basic",
        3,
        "2025-12-01T00:00:00+00:00",
        None,
    )


@pytest.mark.parametrize("outcome", ["canceled", "reissue_canceled", "request_rejected"])
@pytest.mark.parametrize("mode", ["apply", "report"])
def test_a_change_made_is_changed(outcome, mode):
    row = only_row([listed(1)], [batch(1, [1], [entry(1, outcome, status="canceled", refund_hint="Ask for a refund.")])], mode=mode)
    assert (row["outcome"], row["result"], row["status_after"], row["refund_hint"], row["batch"]) == (outcome, "changed", "canceled", "Ask for a refund.", 1)
    assert row["reason"] == f"Order 1: {outcome}."


@pytest.mark.parametrize("mode", ["report", "check"])
@pytest.mark.parametrize("outcome", ["would_cancel", "would_cancel_reissue", "would_reject_request"])
def test_a_planned_change_would_change_outside_apply_mode(mode, outcome):
    row = only_row([listed(1)], [batch(1, [1], [entry(1, outcome, refund_hint="Ask for a refund.")])], mode=mode)
    assert (row["outcome"], row["result"], row["refund_hint"], row["reason"]) == (outcome, "would_change", "Ask for a refund.", f"Order 1: {outcome}.")


def test_a_planned_change_of_an_applied_run_was_not_attempted():
    stopped = batch(
        2, [1], [entry(1, "would_cancel", refund_hint="Ask for a refund.")], failed=True, message="Nothing was changed: order 9 cannot be canceled."
    )
    row = only_row([listed(1)], [stopped], mode="apply")
    assert (row["outcome"], row["result"], row["refund_hint"], row["batch"]) == ("not_attempted", "failed", None, 2)
    assert row["reason"] == (
        "Not attempted (planned: would_cancel): batch 2 stopped before changing anything. Nothing was changed: order 9 cannot be canceled."
    )


@pytest.mark.parametrize("outcome", ["already_canceled", "nothing_to_cancel", "not_cancelable", "missing"])
def test_an_order_without_change_is_skipped(outcome):
    row = only_row([listed(1)], [batch(1, [1], [entry(1, outcome, status_before="canceled", status="canceled")])])
    assert (row["outcome"], row["result"], row["status_before"], row["status_after"]) == (outcome, "skipped", "canceled", "canceled")


def test_a_failed_order_is_failed_with_the_module_message():
    row = only_row([listed(1)], [batch(1, [1], [entry(1, "failed", status=None, message="Order 1: HTTP 500.")])])
    assert (row["outcome"], row["result"], row["status_after"], row["reason"]) == ("failed", "failed", None, "Order 1: HTTP 500.")


def test_an_order_of_a_batch_that_failed_before_reporting_is_failed():
    lost = batch(3, [1], failed=True, message="The module crashed.")
    row = only_row([listed(1)], [lost], mode="apply")
    assert (row["outcome"], row["result"], row["status_before"], row["status_after"], row["refund_hint"], row["batch"]) == (
        "failed",
        "failed",
        "pending",
        None,
        None,
        3,
    )
    assert row["reason"] == "Batch 3 failed before it reported on order 1: The module crashed."


def test_an_excluded_order_is_skipped_with_its_listed_status():
    row = only_row([listed(1, status="waiting_pickup")], [], exclude_order_ids=[1], mode="apply")
    assert (row["outcome"], row["result"], row["status_before"], row["status_after"], row["refund_hint"], row["batch"]) == (
        "excluded",
        "skipped",
        "waiting_pickup",
        "waiting_pickup",
        None,
        None,
    )
    assert row["reason"] == "Order 1 is listed in order_cleanup_exclude_order_ids; it was left alone."


def test_an_order_in_no_batch_is_failed_rather_than_left_out():
    row = only_row([listed(1)], [])
    assert (row["outcome"], row["result"], row["batch"]) == ("failed", "failed", None)
    assert "handed to no batch" in row["reason"]


def test_status_before_comes_from_the_entry_when_there_is_one():
    row = only_row([listed(1, status="pending")], [batch(1, [1], [entry(1, "already_canceled", status_before="canceled")])])
    assert row["status_before"] == "canceled"


def test_rows_follow_the_listing_and_find_each_order_in_its_batch():
    found = [listed(5), listed(3), listed(9)]
    batches = [batch(1, [3, 5], [entry(3, "would_cancel"), entry(5, "missing")]), batch(2, [9], [entry(9, "would_cancel")])]
    rows = build_rows(found, batches, [], "report")
    assert [(row["order_id"], row["outcome"], row["batch"]) for row in rows] == [(5, "missing", 1), (3, "would_cancel", 1), (9, "would_cancel", 2)]


# ---------------------------------------------------------------- summary


def test_the_summary_counts_results_and_outcomes():
    rows = [
        dict(order_id=order_id, outcome=outcome, result=result, refund_hint=None)
        for order_id, outcome, result in [
            (1, "would_cancel", "would_change"),
            (2, "would_cancel", "would_change"),
            (3, "missing", "skipped"),
            (4, "excluded", "skipped"),
        ]
    ]
    summary = summarize_rows(rows, [], "report", max_cancellations=50)
    assert summary["found"] == 4
    assert summary["results"] == dict(changed=0, would_change=2, skipped=2, failed=0)
    assert list(summary["results"]) == ["changed", "would_change", "skipped", "failed"]
    assert summary["outcomes"] == dict(excluded=1, missing=1, would_cancel=2)
    assert list(summary["outcomes"]) == ["excluded", "missing", "would_cancel"]


def test_refund_requests_are_the_orders_changed_or_to_change_with_a_hint():
    rows = [
        dict(order_id=1, outcome="canceled", result="changed", refund_hint="Ask."),
        dict(order_id=2, outcome="would_cancel", result="would_change", refund_hint="Ask."),
        dict(order_id=3, outcome="already_canceled", result="skipped", refund_hint="Ask."),
        dict(order_id=4, outcome="canceled", result="changed", refund_hint=None),
    ]
    assert summarize_rows(rows, [], "apply", 50)["refund_requests"] == [1, 2]


def test_failed_batches_are_listed_by_number():
    batches = [batch(1, [1]), batch(2, [2], failed=True, message="x"), batch(3, [3], failed=True, message="y")]
    assert summarize_rows([], batches, "apply", 50)["failed_batches"] == [2, 3]


@pytest.mark.parametrize(
    "mode, planned, limit, over_limit",
    [
        ("report", 3, 2, True),
        ("check", 3, 2, True),
        ("report", 2, 2, False),
        ("apply", 3, 2, False),
    ],
)
def test_over_limit_says_whether_an_applied_run_would_stop(mode, planned, limit, over_limit):
    rows = [dict(order_id=order_id, outcome="would_cancel", result="would_change", refund_hint=None) for order_id in range(planned)]
    assert summarize_rows(rows, [], mode, limit)["over_limit"] is over_limit


# ---------------------------------------------------------------- input checks


def test_a_found_order_without_an_integer_id_is_refused():
    with pytest.raises(ValueError, match=r"found_orders\[1\] has no integer id, got '7'"):
        check_report_inputs([listed(1), listed("7")], [])


def test_an_entry_without_an_outcome_is_refused():
    broken = entry(4, "canceled")
    del broken["outcome"]
    with pytest.raises(ValueError, match=r"the entry 1 of batch 2 \(order 4\) has no outcome"):
        check_report_inputs([], [batch(2, [3, 4], [entry(3, "canceled"), broken])])


def test_consistent_inputs_pass():
    check_report_inputs([listed(1)], [batch(1, [1], [entry(1, "canceled")])])


def test_generated_at_is_read_as_utc():
    assert parse_generated_at("2026-03-04T05:06:07Z") == GENERATED_AT


@pytest.mark.parametrize("value", ["2026-03-04 05:06:07", "2026-03-04T05:06:07+00:00", "now", None])
def test_generated_at_in_another_form_is_refused(value):
    with pytest.raises(ValueError, match="YYYY-MM-DDTHH:MM:SSZ"):
        parse_generated_at(value)


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="mode must be one of report, check, apply, got 'dry'"):
        settings(mode="dry")


def test_the_file_name_carries_the_utc_time_and_the_mode():
    local = datetime.datetime(2026, 3, 4, 7, 6, 7, 999, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    run = settings(mode="check", generated_at=local)
    assert run.basename == "order-cleanup-20260304T050607Z-check"
    assert run.generated_at_text == "2026-03-04T05:06:07Z"


# ---------------------------------------------------------------- JSON


def test_the_json_report_holds_the_run_and_batches_without_their_entries():
    found = [listed(1, common_name="b\u00fccher.example")]
    batches = [batch(1, [1], [entry(1, "would_cancel")])]
    run = settings()
    rows = build_rows(found, batches, [], "report")
    summary = summarize_rows(rows, batches, "report", 50)
    text = json_report(run, summary, batches, rows)
    assert text.endswith("}\n")
    assert "b\\u00fccher.example" in text
    document = json.loads(text)
    assert list(document) == [
        "report",
        "generated_at",
        "mode",
        "api_url",
        "selection",
        "note",
        "max_cancellations",
        "batch_size",
        "plan",
        "summary",
        "batches",
        "orders",
    ]
    assert document["report"] == "certops.digicert.order_cleanup"
    assert document["generated_at"] == "2026-03-04T05:06:07Z"
    assert document["batches"] == [dict(number=1, order_ids=[1], failed=False, message=None, summary={}, changes=0)]
    assert document["orders"] == rows
    assert document["summary"] == summary
    assert batches[0]["orders"], "the batch record given must keep its entries"


# ---------------------------------------------------------------- CSV


def test_csv_fields_keep_commas_quotes_and_line_breaks():
    awkward = 'a, "b"\nc'
    rows = build_rows([listed(1, common_name=awkward)], [batch(1, [1], [entry(1, "would_cancel", message='x, "y"\r\nz')])], [], "report")
    text = csv_report(rows)
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert parsed[0] == list(CSV_COLUMNS)
    assert len(parsed) == 2
    assert parsed[1][CSV_COLUMNS.index("common_name")] == awkward
    assert parsed[1][CSV_COLUMNS.index("reason")] == 'x, "y"\r\nz'
    assert '"a, ""b""\nc"' in text


def test_csv_header_is_plain_and_every_field_quoted():
    rows = build_rows([listed(1, age_days=None)], [batch(1, [1], [entry(1, "would_cancel")])], [], "report")
    header, line = csv_report(rows).splitlines()
    assert header == ",".join(CSV_COLUMNS)
    assert line.startswith('"1","host1.example.com","","ssl_basic","","7","","pending","pending","2026-01-02T03:04:05+00:00","",')
    assert line.endswith(',"","1"')


@pytest.mark.parametrize("name", ['=HYPERLINK("x")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_fields_a_spreadsheet_would_run_are_kept_text(name):
    rows = build_rows([listed(1, common_name=name)], [batch(1, [1], [entry(1, "would_cancel")])], [], "report")
    parsed = list(csv.reader(io.StringIO(csv_report(rows), newline="")))
    assert parsed[1][CSV_COLUMNS.index("common_name")] == "'" + name


def test_csv_of_no_orders_is_the_header():
    assert csv_report([]) == ",".join(CSV_COLUMNS) + "\n"


# ---------------------------------------------------------------- Markdown


def test_markdown_failed_orders_escape_pipes_and_stop_after_a_screenful():
    count = MARKDOWN_FAILED_ORDERS + 3
    found = [listed(order_id, common_name=f"pipe|{order_id}") for order_id in range(1, count + 1)]
    lost = batch(1, range(1, count + 1), failed=True, message="Lost | gone")
    text = report_texts(settings(mode="apply"), found, [lost])[2]["md"]
    assert "| 1 | pipe\\|1 | Batch 1 failed before it reported on order 1: Lost \\| gone |" in text
    assert f"| {MARKDOWN_FAILED_ORDERS} | pipe" in text
    assert f"| {MARKDOWN_FAILED_ORDERS + 1} | pipe" not in text
    assert "\n3 more in the CSV file.\n" in text
    assert f"- Batch 1 ({count} orders): Lost \\| gone\n" in text


def test_markdown_of_no_orders():
    text = report_texts(settings(), [], [])[2]["md"]
    assert "| Found | 0 |" in text
    assert "|---|---:|\n| (no orders) | 0 |\n" in text
    for section in ("## Batches that failed", "## Failed orders", "## Refunds"):
        assert section not in text


def test_markdown_warns_when_an_applied_run_would_stop():
    found = [listed(1), listed(2)]
    batches = [batch(1, [1, 2], [entry(1, "would_cancel"), entry(2, "would_cancel")])]
    text = report_texts(settings(max_cancellations=1), found, batches)[2]["md"]
    assert ("\nAn applied run would stop before its first batch: 2 orders are due, more than\norder_cleanup_max_cancellations=1 allows.\n") in text


@pytest.mark.parametrize(
    "mode, wording, label",
    [
        ("apply", "1 canceled orders were paid", "| Changed | 1 |"),
        ("check", "1 orders to cancel are paid", "| Would change | 1 |"),
    ],
)
def test_markdown_words_changes_and_refunds_for_the_mode(mode, wording, label):
    outcome = "canceled" if mode == "apply" else "would_cancel"
    batches = [batch(1, [1], [entry(1, outcome, refund_hint="Ask for a refund.")])]
    text = report_texts(settings(mode=mode), [listed(1)], batches)[2]["md"]
    assert label in text
    assert f"\n## Refunds\n\n{wording}\nfrom the account balance" in text
    assert "Ask DigiCert Support for a refund of:\n1.\n" in text


def test_markdown_says_none_for_an_empty_note_and_lists_the_selection():
    selection = dict(statuses=["pending"], older_than_days=0, product_name_ids=["ssl_basic", "ssl_ev_basic"], container_ids=[4], exclude_order_ids=[])
    text = markdown_report(settings(note="", selection=selection), summarize_rows([], [], "report", 50), [], [])
    assert "- Note: (none)\n" in text
    assert (
        "- Selection: statuses pending; created more than 0 days ago;\n  products ssl\\_basic, ssl\\_ev\\_basic; containers 4;\n  excluded orders none\n"
    ) in text


# ---------------------------------------------------------------- the files as the role's templates wrote them

# A run the role's Jinja templates rendered before this module replaced them: an applied run with a change, a
# batch that stopped before changing anything, one that failed without entries, an excluded order and skipped ones.
GOLDEN_FOUND = [
    listed(
        1001, common_name="www.example.com", dns_names=["www.example.com", "example.com"], organization_name="Example Ltd", container_name="Web", price=175.0
    ),
    listed(1002, common_name='a|b, "c"'),
    listed(1003, common_name="=cmd | x\\y"),
    listed(1004, common_name="kept.example.com"),
    listed(1005, status="canceled", common_name="old.example.com", age_days=None),
    listed(
        1006,
        common_name="late.example.com",
        organization_name="Example Ltd",
        container_name="Web",
        valid_till="2027-01-02",
        days_remaining=300,
        serial_number="0A1B2C",
    ),
]
GOLDEN_BATCHES = [
    batch(
        1,
        [1001, 1005],
        [
            entry(
                1001,
                "canceled",
                status="canceled",
                message="Order 1001 was canceled (it was pending).",
                refund_hint="Order 1001 was paid from the account balance.",
            ),
            entry(1005, "already_canceled", status_before="canceled", status="canceled", message="Order 1005 is already canceled."),
        ],
    ),
    batch(
        2,
        [1002, 1006],
        [
            entry(1002, "would_cancel", message="Order 1002 would be canceled.", refund_hint="Order 1002 was paid from the account balance."),
            entry(1006, "not_cancelable", status_before="issued", status="issued", message="Order 1006 is issued | too late."),
        ],
        failed=True,
        message="Nothing was changed: order 1006 cannot be canceled.",
    ),
    batch(3, [1003], failed=True, message="The module failed: HTTP 500"),
]
GOLDEN_SETTINGS = dict(
    mode="apply",
    api_url="https://certcentral.test/services/v2",
    note="CHG-42",
    max_cancellations=10,
    batch_size=2,
    selection=dict(statuses=["pending"], older_than_days=30, product_name_ids=["ssl_basic"], container_ids=[], exclude_order_ids=[1004]),
)

GOLDEN_MARKDOWN = """\
# DigiCert order clean-up, 2026-03-04T05:06:07Z

- Mode: applied (order_cleanup_apply=true)
- CertCentral: https://certcentral.test/services/v2
- Selection: statuses pending; created more than 30 days ago;
  products ssl\\_basic; containers any;
  excluded orders 1004
- Note: CHG-42
- Limit: at most 10 changes per applied run, in batches of 2 orders

## Summary

| Result | Orders |
|---|---:|
| Found | 6 |
| Changed | 1 |
| Skipped | 3 |
| Failed | 2 |

| Outcome | Orders |
|---|---:|
| already_canceled | 1 |
| canceled | 1 |
| excluded | 1 |
| failed | 1 |
| not_attempted | 1 |
| not_cancelable | 1 |

## Batches that failed

The other batches ran. Orders of a batch that stopped before changing anything are `not_attempted`.

- Batch 2 (2 orders): Nothing was changed: order 1006 cannot be canceled.
- Batch 3 (1 orders): The module failed: HTTP 500

## Failed orders

| Order | Common name | Reason |
|---:|---|---|
| 1003 | =cmd \\| x\\\\y | Batch 3 failed before it reported on order 1003: The module failed: HTTP 500 |

## Refunds

1 canceled orders were paid
from the account balance, which canceling does not credit. Ask DigiCert Support for a refund of:
1001.

## Files

- Every order, one row each: `order-cleanup-20260304T050607Z-apply.csv`
- The run and every order, with the module's entries: `order-cleanup-20260304T050607Z-apply.json`
"""

GOLDEN_CSV_LINES = [
    "order_id,common_name,dns_names,product,organization_name,container_id,container_name,status_before,status_after,"
    "date_created,age_days,valid_till,days_remaining,serial_number,price,outcome,result,reason,refund_hint,batch",
    '"1001","www.example.com","www.example.com example.com","ssl_basic","Example Ltd","7","Web","pending","canceled",'
    '"2026-01-02T03:04:05+00:00","40","","","","175.0","canceled","changed",'
    '"Order 1001 was canceled (it was pending).","Order 1001 was paid from the account balance.","1"',
    '"1002","a|b, ""c""","","ssl_basic","","7","","pending","pending","2026-01-02T03:04:05+00:00","40","","","","",'
    '"not_attempted","failed","Not attempted (planned: would_cancel): batch 2 stopped before changing anything. '
    'Nothing was changed: order 1006 cannot be canceled.","","2"',
    '"1003","\'=cmd | x\\y","","ssl_basic","","7","","pending","","2026-01-02T03:04:05+00:00","40","","","","",'
    '"failed","failed","Batch 3 failed before it reported on order 1003: The module failed: HTTP 500","","3"',
    '"1004","kept.example.com","","ssl_basic","","7","","pending","pending","2026-01-02T03:04:05+00:00","40","","","",'
    '"","excluded","skipped","Order 1004 is listed in order_cleanup_exclude_order_ids; it was left alone.","",""',
    '"1005","old.example.com","","ssl_basic","","7","","canceled","canceled","2026-01-02T03:04:05+00:00","","","","",'
    '"","already_canceled","skipped","Order 1005 is already canceled.","","1"',
    '"1006","late.example.com","","ssl_basic","Example Ltd","7","Web","issued","issued","2026-01-02T03:04:05+00:00",'
    '"40","2027-01-02","300","0A1B2C","","not_cancelable","skipped","Order 1006 is issued | too late.","","2"',
]


def test_the_reports_read_as_the_role_templates_wrote_them():
    rows, summary, texts = report_texts(settings(**GOLDEN_SETTINGS), GOLDEN_FOUND, GOLDEN_BATCHES)
    assert texts["md"] == GOLDEN_MARKDOWN
    assert texts["csv"] == "\n".join(GOLDEN_CSV_LINES) + "\n"
    assert summary == dict(
        found=6,
        results=dict(changed=1, would_change=0, skipped=3, failed=2),
        outcomes=dict(already_canceled=1, canceled=1, excluded=1, failed=1, not_attempted=1, not_cancelable=1),
        refund_requests=[1001],
        failed_batches=[2, 3],
        over_limit=False,
    )
    assert json.loads(texts["json"])["orders"] == rows
