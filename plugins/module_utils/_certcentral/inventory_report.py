# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""The report of the role order_report: a read-only inventory of orders with their cancel verdicts.

Pure functions on the orders of a listing (digicert_order_info entries): one row per order, counts by status and by
verdict, the oldest orders that can be acted on, and the JSON, CSV and Markdown texts. The action plugin
order_cleanup_report writes them (its option report=order_report). One pass over the orders: the Jinja loop this
replaces grew its list by copying it for every order.
"""

from __future__ import annotations

import json

from . import html_report as html
from .report_format import csv_text, markdown_row, markdown_text, order_cells, plain_text, report_columns
from .verdict import ACTION_CANCEL, ACTION_CANCEL_REISSUE, ACTION_REJECT_REQUEST

REPORT_NAME = "certops.digicert.order_report"
FILE_PREFIX = "order-report"

# An inventory changes nothing: an order's status after the run is the status it was listed with.
CSV_COLUMNS = report_columns(("cancelable", "action", "reason", "refund_hint", "payment_method"))

# The verdicts that ask for an action a clean-up can take, and what each verdict means.
ACTIONABLE = (ACTION_CANCEL, ACTION_REJECT_REQUEST, ACTION_CANCEL_REISSUE)
VERDICT_MEANINGS = {
    "cancel": "can be canceled",
    "cancel_reissue": "the pending reissue can be canceled",
    "reject_request": "an approver must reject its request",
    "revoke": "issued: cannot be canceled; revoke only if no longer needed",
    "none": "nothing to do",
}


class InventorySettings:
    """The listing's filters as the role normalized them (``statuses``, ``older_than_days``, ``product_name_ids``,
    ``container_id``), whether details were read, how many of the oldest actionable orders the summary lists."""

    def __init__(self, generated_at_text, api_url, filters, details, oldest):
        self.generated_at_text = generated_at_text
        self.api_url = api_url
        self.filters = filters
        self.details = details
        self.oldest = oldest


def check_orders(orders):
    """ValueError, naming the place, when a listed order has no integer id."""
    for index, order in enumerate(orders):
        order_id = order.get("id")
        if not isinstance(order_id, int) or isinstance(order_id, bool):
            raise ValueError(f"orders[{index}] has no integer id, got {order_id!r}.")


def build_rows(orders):
    """One row per order, in the listing's order, with the columns of CSV_COLUMNS and ``status`` (the JSON report's
    key since 1.0.0, the same as status_before)."""
    rows = []
    for order in orders:
        verdict = order.get("cancel_verdict") if isinstance(order.get("cancel_verdict"), dict) else {}
        status = order.get("status")
        row = order_cells(order, status, status)
        row.update(
            {
                "status": status,
                "cancelable": "true" if verdict.get("cancelable") else "false",
                "action": verdict.get("action"),
                "reason": verdict.get("reason"),
                "refund_hint": verdict.get("refund_hint"),
                "payment_method": order.get("payment_method"),
            }
        )
        rows.append(row)
    return rows


def _counts(rows, column):
    counts = {}
    for row in rows:
        key = row[column] if row[column] is not None else "unknown"
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def summarize_rows(rows, oldest):
    """Orders by status and by verdict; the IDs of the ``oldest`` actionable orders, oldest first; refund hints."""
    actionable = sorted(
        (row for row in rows if row["action"] in ACTIONABLE), key=lambda row: (-(row["age_days"] if isinstance(row["age_days"], int) else -1), row["order_id"])
    )
    return {
        "orders": len(rows),
        "statuses": _counts(rows, "status"),
        "verdicts": _counts(rows, "action"),
        "actionable": len(actionable),
        "oldest_actionable": [row["order_id"] for row in actionable[:oldest]],
        "refund_hints": sum(1 for row in rows if row["refund_hint"]),
    }


def json_report(settings, summary, rows):
    document = {
        "report": REPORT_NAME,
        "generated_at": settings.generated_at_text,
        "api_url": settings.api_url,
        "filters": settings.filters,
        "details": settings.details,
        "summary": summary,
        "orders": rows,
    }
    return json.dumps(document, indent=2) + "\n"


def markdown_report(settings, summary, rows, basename):
    """A short summary of the inventory; the CSV file holds every order."""
    filters = settings.filters
    row_of = {row["order_id"]: row for row in rows}
    statuses = markdown_text(", ".join(filters.get("statuses") or []) or "any")
    products = markdown_text(", ".join(filters.get("product_name_ids") or []) or "any")
    container = markdown_text(filters.get("container_id") or "any")
    details = "yes" if settings.details else "no; verdicts cannot see requests awaiting approval, and there are no refund hints"
    lines = [
        f"# DigiCert order inventory, {settings.generated_at_text}",
        "",
        f"- CertCentral: {markdown_text(settings.api_url)}",
        f"- Statuses: {statuses}; created more than {filters.get('older_than_days') or 0} days ago; products {products}; container {container}",
        f"- Details (requests and payment method read per order): {details}",
        "- Read only: nothing was changed.",
        "",
        "## Orders by status",
        "",
        "| Status | Orders |",
        "|---|---:|",
    ]
    lines.extend(markdown_row(status, count) for status, count in summary["statuses"].items())
    if not summary["statuses"]:
        lines.append("| (no orders) | 0 |")
    lines.extend(["", "## Orders by verdict", "", "| Verdict | Orders | Meaning |", "|---|---:|---|"])
    lines.extend(markdown_row(action, count, VERDICT_MEANINGS.get(action, "")) for action, count in summary["verdicts"].items())
    if summary["oldest_actionable"]:
        lines.extend(
            [
                "",
                "## The oldest orders that can be acted on",
                "",
                f"{summary['actionable']} orders can be canceled, or need their request rejected or their reissue canceled; "
                f"the {len(summary['oldest_actionable'])} oldest:",
                "",
                "| Order | Common name | Status | Age (days) | Verdict |",
                "|---:|---|---|---:|---|",
            ]
        )
        for order_id in summary["oldest_actionable"]:
            row = row_of[order_id]
            lines.append(markdown_row(order_id, row["common_name"], row["status"], row["age_days"], row["action"]))
    if summary["refund_hints"]:
        lines.extend(
            [
                "",
                f"{summary['refund_hints']} of them were paid from the account balance: canceling them does not credit it, so "
                "DigiCert Support has to be asked for a refund.",
            ]
        )
    lines.extend(["", f"The CSV file `{basename}.csv` has every order, one row each."])
    return "\n".join(lines) + "\n"


def html_report(settings, summary, rows):
    """The HTML file's content: the filters, charts of the orders by status, age and verdict and of what a clean-up
    could change, the refund hints and every order. The role changes nothing, so the last chart counts the orders
    whose verdict a clean-up acts on."""
    filters = settings.filters
    return html.HtmlReport(
        title=f"DigiCert order report, {settings.generated_at_text}",
        facts=[
            ("CertCentral", settings.api_url),
            ("Statuses", ", ".join(filters["statuses"]) or "all"),
            ("Created more than", f"{filters['older_than_days']} days ago"),
            ("Products", ", ".join(filters["product_name_ids"]) or "any"),
            ("Container", filters["container_id"] or "any"),
            ("Details read", "yes" if settings.details else "no"),
        ],
        charts=[
            ("status", "Orders by status", summary["statuses"]),
            ("age", "Orders by age", html.age_counts(rows)),
            ("verdict", "Verdicts", summary["verdicts"]),
            ("result", "What a clean-up could change", {"actionable": summary["actionable"], "nothing to do": summary["orders"] - summary["actionable"]}),
        ],
        columns=html.table_columns(
            "status",
            "age_days",
            "valid_till",
            "days_remaining",
            "action",
            "reason",
            "refund_hint",
        ),
        rows=rows,
        refund_requests=[row["order_id"] for row in rows if row["refund_hint"]],
        result_column="action",
    )


def report_texts(settings, orders, basename):
    """The rows, the summary and the text of each report file by extension, for checked orders."""
    rows = build_rows(orders)
    summary = summarize_rows(rows, settings.oldest)
    texts = {
        "json": json_report(settings, summary, rows),
        "csv": csv_text(CSV_COLUMNS, rows),
        "md": markdown_report(settings, summary, rows, basename),
        "html": html.html_text(html_report(settings, summary, rows)),
    }
    return rows, summary, texts


def console_messages(summary, markdown_path):
    """The lines the role shows at the end of a run."""
    by_verdict = ", ".join(f"{count} {action}" for action, count in summary["verdicts"].items()) or "none"
    return [
        plain_text(line)
        for line in [
            f"{summary['orders']} orders. By verdict: {by_verdict}.",
            f"Report: {markdown_path}, .csv, .json and .html (and order-report-latest.* in the same directory).",
        ]
    ]
