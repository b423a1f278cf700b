# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""The report of the role order_report: a read-only inventory of orders with their cancel verdicts.

Pure functions on the orders of a listing (digicert_order_info entries): one row per order, counts by status and by
verdict, the oldest orders that can be acted on, and the JSON, CSV, Markdown and HTML texts. The action plugin
order_cleanup_report writes them (its option report=order_report). One pass over the orders: the Jinja loop this
replaces grew its list by copying it for every order.

The action digicert_order_report holds a row for every order of an account until the listing ends (the summary that
heads the files needs them all), so a row is kept compact: a tuple of its values in ROW_KEYS order (row_values()),
with the values that repeat from order to order (products, containers, statuses, verdicts) shared. Every text is
written from such rows, one row at a time, to a stream (write_json(), write_csv(), write_markdown(), write_html()):
no file's whole text is ever in memory. build_rows() gives the same rows as dicts, for a module result.
"""

from __future__ import annotations

import io
import json
import math
from json.encoder import encode_basestring_ascii
from operator import itemgetter

from . import html_report as html
from .report_format import markdown_row, markdown_text, order_cells, plain_text, report_columns, write_csv
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


# The keys of a row, in the order of build_rows()' dicts and of the JSON report: the CSV columns, with ``status``
# (the JSON report's key since 1.0.0, the same as status_before) after the order's columns.
ROW_KEYS = report_columns(("status", "cancelable", "action", "reason", "refund_hint", "payment_method"))
_AT = {key: index for index, key in enumerate(ROW_KEYS)}
_ORDER_ID, _STATUS, _ACTION, _AGE_DAYS, _REFUND_HINT, _COMMON_NAME = (
    _AT[key] for key in ("order_id", "status", "action", "age_days", "refund_hint", "common_name")
)
_CSV_VALUES = itemgetter(*(_AT[column] for column in CSV_COLUMNS))
# The columns whose values repeat from order to order, which a report shares between its rows (RowMaker).
_SHARED_KEYS = (
    "product",
    "organization_name",
    "container_name",
    "status_before",
    "status_after",
    "valid_till",
    "status",
    "cancelable",
    "action",
    "refund_hint",
    "payment_method",
)
_SHARED_AT = tuple(key in _SHARED_KEYS for key in ROW_KEYS)

# How deep the rows sit in the JSON report (document, list of orders), in the two spaces per level it is indented by.
_ROW_INDENT = " " * 4
# How the JSON report of no orders ends; the rows are written in place of the empty list.
_EMPTY_ORDERS_END = '"orders": []\n}\n'
# The JSON of the values a row holds, exactly as json.dumps() writes them (with its defaults), by exact type; a row
# with a value of another type (a list) is written by json.dumps() itself.
_SCALAR_JSON = {
    str: encode_basestring_ascii,
    int: int.__repr__,
    # A price; json.dumps() spells the values that are not finite NaN and Infinity.
    float: lambda value: float.__repr__(value) if math.isfinite(value) else json.dumps(value),
    bool: lambda value: "true" if value else "false",
    type(None): lambda value: "null",
}
_KEYS_JSON = tuple(f"{_ROW_INDENT}  {encode_basestring_ascii(key)}: " for key in ROW_KEYS)


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


def row_values(order):
    """The row of a normalized order as a tuple of its values in ROW_KEYS order: its order's columns
    (report_format.order_cells()), its status, and its verdict."""
    verdict = order.get("cancel_verdict") if isinstance(order.get("cancel_verdict"), dict) else {}
    status = order.get("status")
    return tuple(order_cells(order, status, status).values()) + (
        status,
        "true" if verdict.get("cancelable") else "false",
        verdict.get("action"),
        verdict.get("reason"),
        verdict.get("refund_hint"),
        order.get("payment_method"),
    )


class RowMaker:
    """row_values() of each order, with the texts that repeat from row to row (a product, a container, a status, a
    verdict: _SHARED_KEYS) held once for all the rows it makes: each row of a large account then costs
    a tuple and its own values only. One per report: what it shares lives as long as it does."""

    def __init__(self):
        self._shared = {}

    def __call__(self, order):
        share = self._shared.setdefault
        # Texts only: an equal number of another type (1.0 and 1, True and 1) must keep its own type.
        return tuple([share(value, value) if shared and isinstance(value, str) else value for shared, value in zip(_SHARED_AT, row_values(order))])


def build_rows(orders):
    """One row per order, in the listing's order, as a dict of ROW_KEYS: the columns of CSV_COLUMNS and ``status``."""
    return [dict(zip(ROW_KEYS, row_values(order))) for order in orders]


def _counts(values):
    counts = {}
    for value in values:
        key = value if value is not None else "unknown"
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def _age_order(row):
    age = row[_AGE_DAYS]
    return (-(age if isinstance(age, int) else -1), row[_ORDER_ID])


def summarize_values(rows, oldest):
    """Orders by status and by verdict; the IDs of the ``oldest`` actionable orders, oldest first; refund hints; of
    rows as row_values() makes them."""
    actionable = sorted((row for row in rows if row[_ACTION] in ACTIONABLE), key=_age_order)
    return {
        "orders": len(rows),
        "statuses": _counts(row[_STATUS] for row in rows),
        "verdicts": _counts(row[_ACTION] for row in rows),
        "actionable": len(actionable),
        "oldest_actionable": [row[_ORDER_ID] for row in actionable[:oldest]],
        "refund_hints": sum(1 for row in rows if row[_REFUND_HINT]),
    }


def summarize_rows(rows, oldest):
    """summarize_values() of rows as build_rows() makes them."""
    return summarize_values([tuple(row[key] for key in ROW_KEYS) for row in rows], oldest)


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


def write_json(stream, settings, summary, rows):
    """Write json_report() of ``rows`` (as row_values() makes them) to ``stream``, one row at a time.

    The whole text at once would need, for a moment, several times the memory of all rows (json builds it from a
    piece per value); written row by row it needs one row's worth. The frame around the rows is json_report()'s own.
    """
    frame = json_report(settings, summary, [])
    if not rows or not frame.endswith(_EMPTY_ORDERS_END):
        stream.write(json_report(settings, summary, [dict(zip(ROW_KEYS, row)) for row in rows]))
        return
    write = stream.write
    write(frame[: -len(_EMPTY_ORDERS_END)] + '"orders": [\n')
    separator = ""
    for row in rows:
        write(separator + _row_json(row))
        separator = ",\n"
    write("\n  ]\n}\n")


def _row_json(row):
    """``json.dumps(dict(zip(ROW_KEYS, row)), indent=2)`` indented to the depth of a row in the report, several
    times faster for a row of plain values, which is every row of the report."""
    try:
        fields = [key + _SCALAR_JSON[type(value)](value) for key, value in zip(_KEYS_JSON, row)]
    except KeyError:
        # A JSON text holds no line break of its own (json escapes them), so each line takes the indent of the depth.
        return _ROW_INDENT + json.dumps(dict(zip(ROW_KEYS, row)), indent=2).replace("\n", "\n" + _ROW_INDENT)
    joined = ",\n".join(fields)
    return f"{_ROW_INDENT}{{\n{joined}\n{_ROW_INDENT}}}"


def write_csv_report(stream, rows):
    """Write the CSV file of ``rows`` (as row_values() makes them) to ``stream``, one row at a time."""
    write_csv(stream, CSV_COLUMNS, map(_CSV_VALUES, rows))


def write_markdown(stream, settings, summary, rows, basename):
    stream.write(markdown_report(settings, summary, rows, basename))


def markdown_report(settings, summary, rows, basename):
    """A short summary of the inventory (of ``rows`` as row_values() makes them); the CSV file holds every order."""
    filters = settings.filters
    wanted = set(summary["oldest_actionable"])
    row_of = {row[_ORDER_ID]: row for row in rows if row[_ORDER_ID] in wanted}
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
            lines.append(markdown_row(order_id, row[_COMMON_NAME], row[_STATUS], row[_AGE_DAYS], row[_ACTION]))
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


_HTML_COLUMNS = html.table_columns("status", "age_days", "valid_till", "days_remaining", "action", "reason", "refund_hint")
_HTML_VALUES = itemgetter(*(_AT[column] for column in _HTML_COLUMNS))


def _html_cells(row):
    return _HTML_VALUES(row), row[_ACTION]


def html_report(settings, summary, rows):
    """The HTML file's content, of ``rows`` as row_values() makes them: the filters, charts of the orders by status,
    age and verdict and of what a clean-up could change, the refund hints and every order. The role changes nothing,
    so the last chart counts the orders whose verdict a clean-up acts on."""
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
            ("age", "Orders by age", html.count_ages(row[_AGE_DAYS] for row in rows)),
            ("verdict", "Verdicts", summary["verdicts"]),
            ("result", "What a clean-up could change", {"actionable": summary["actionable"], "nothing to do": summary["orders"] - summary["actionable"]}),
        ],
        columns=_HTML_COLUMNS,
        rows=rows,
        refund_requests=[row[_ORDER_ID] for row in rows if row[_REFUND_HINT]],
        result_column="action",
        row_cells=_html_cells,
    )


def write_html(stream, settings, summary, rows):
    html.write_html(stream, html_report(settings, summary, rows))


# How each file of the report is written, by extension: writer(stream, settings, summary, rows, basename).
FILE_WRITERS = dict(
    json=lambda stream, settings, summary, rows, basename: write_json(stream, settings, summary, rows),
    csv=lambda stream, settings, summary, rows, basename: write_csv_report(stream, rows),
    md=write_markdown,
    html=lambda stream, settings, summary, rows, basename: write_html(stream, settings, summary, rows),
)


def report_texts(settings, orders, basename):
    """The rows (build_rows()), the summary and the text of each report file by extension, for checked orders."""
    values = [row_values(order) for order in orders]
    summary = summarize_values(values, settings.oldest)
    texts = {}
    for extension, write in FILE_WRITERS.items():
        text = io.StringIO()
        write(text, settings, summary, values, basename)
        texts[extension] = text.getvalue()
    return [dict(zip(ROW_KEYS, row)) for row in values], summary, texts


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
