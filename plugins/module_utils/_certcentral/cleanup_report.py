# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""The report of the role order_cleanup: one row per order found, the summary, and the JSON, CSV and Markdown texts.

Pure functions on what the role collects: the orders of the listing (digicert_order_info entries) and the records of
its batches, each with the entries the cancel module returned for its orders. The action plugin order_cleanup_report
checks its options with check_report_inputs() and writes the texts these functions return.
"""

from __future__ import annotations

import datetime
import json

from . import html_report as html, review_plan
from .bulk import OUTCOME_FAILED
from .cancellation import CHANGE_OUTCOMES, OUTCOME_NOT_CANCELABLE, OUTCOME_NOTHING_TO_CANCEL, WOULD_CHANGE_OUTCOMES
from .report_format import (
    MODE_APPLY,
    MODE_CHECK,
    MODE_REPORT,
    MODES,
    RESULT_CHANGED,
    RESULT_FAILED,
    RESULT_WOULD_CHANGE,
    count_rows,
    csv_text,
    markdown_row,
    markdown_summary,
    markdown_text,
    order_cells,
    report_columns,
    result_of,
)

REPORT_NAME = "certops.digicert.order_cleanup"

# Outcomes the role gives an order itself, rather than the cancel module.
OUTCOME_EXCLUDED = "excluded"
OUTCOME_NOT_ATTEMPTED = "not_attempted"

CSV_COLUMNS = report_columns(("outcome", "result", "reason", "refund_hint", "batch"))

# The report files, by extension; each also has an order-cleanup-latest.<extension> link to the newest.
REPORT_EXTENSIONS = ("json", "csv", "md", "html")
LATEST_NAME = "order-cleanup-latest"

GENERATED_AT_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_FILE_TIME_FORMAT = "%Y%m%dT%H%M%SZ"

# Enough failed orders in the Markdown summary to see a pattern; the CSV file has all of them.
MARKDOWN_FAILED_ORDERS = 20

_MODE_TEXTS = {
    MODE_REPORT: "report only (order_cleanup_apply=false): nothing was changed",
    MODE_CHECK: "check mode: nothing was changed; the outcomes are what an applied run would do",
    MODE_APPLY: "applied (order_cleanup_apply=true)",
}


# ---------------------------------------------------------------- input


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _check_entry(where, entry):
    if not _is_int(entry.get("id")):
        raise ValueError(f"{where} has no integer id, got {entry.get('id')!r}.")


def check_report_inputs(found_orders, batches):
    """ValueError, naming the place, when an order lacks what the rows are built on.

    Every found order needs an integer ``id``, and every entry of a batch record's ``orders`` an integer ``id`` and an
    ``outcome``. The batch records themselves (``number``, ``order_ids``, ``failed``, ``message``, ``summary``,
    ``changes``, ``orders``) are the action's options, checked against its argument spec.
    """
    for index, order in enumerate(found_orders):
        _check_entry(f"found_orders[{index}]", order)
    for batch in batches:
        for index, entry in enumerate(batch["orders"]):
            where = f"the entry {index} of batch {batch['number']}"
            _check_entry(where, entry)
            if not isinstance(entry.get("outcome"), str):
                raise ValueError(f"{where} (order {entry['id']}) has no outcome.")


def parse_generated_at(text):
    """The aware UTC datetime of a report time written as ``YYYY-MM-DDTHH:MM:SSZ``; ValueError otherwise."""
    try:
        parsed = datetime.datetime.strptime(text, GENERATED_AT_FORMAT)
    except (TypeError, ValueError) as error:
        raise ValueError(f"generated_at must be a UTC time written as YYYY-MM-DDTHH:MM:SSZ, got {text!r}.") from error
    return parsed.replace(tzinfo=datetime.timezone.utc)


class ReportSettings:
    """What the report says about the run besides its orders: mode, time, API URL, selection, note and limits.

    ``selection`` holds ``statuses``, ``older_than_days``, ``product_name_ids``, ``container_ids`` and
    ``exclude_order_ids``, as the role normalized them; ``generated_at`` is an aware datetime.
    """

    def __init__(self, mode, generated_at, api_url, selection, note, max_cancellations, batch_size, plan=None):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}.")
        self.mode = mode
        self.generated_at = generated_at.astimezone(datetime.timezone.utc).replace(microsecond=0)
        self.api_url = api_url
        self.selection = selection
        self.note = note
        self.max_cancellations = max_cancellations
        self.batch_size = batch_size
        # The reviewed plan: in report mode the one this run writes, in an applied run the one it applies (None
        # when it applies none); a dict with file, created_at, fingerprint and orders.
        self.plan = plan

    @property
    def basename(self):
        """The report files' name without extension: order-cleanup-<UTC time>-<mode>."""
        return f"order-cleanup-{self.generated_at.strftime(_FILE_TIME_FORMAT)}-{self.mode}"

    @property
    def generated_at_text(self):
        return self.generated_at.strftime(GENERATED_AT_FORMAT)


# ---------------------------------------------------------------- rows and summary


def build_rows(found_orders, batches, exclude_order_ids, mode):
    """One row per order found, in the listing's order, with the columns of CSV_COLUMNS.

    An order's row comes from the cancel module's entry for it, and from the listing for what the module does not
    return. Without an entry, the order is excluded, or its batch failed before it reported on it. In an applied run,
    a planned change that was not made (its batch stopped before changing anything) becomes ``not_attempted``.
    """
    entry_of = {}
    batch_of = {}
    for batch in batches:
        for order_id in batch["order_ids"]:
            batch_of[order_id] = batch
        for entry in batch["orders"]:
            entry_of[entry["id"]] = entry
            batch_of.setdefault(entry["id"], batch)

    rows = []
    for order in found_orders:
        order_id = order["id"]
        entry = entry_of.get(order_id)
        batch = batch_of.get(order_id)
        refund = None
        if order_id in exclude_order_ids:
            outcome, status_after = OUTCOME_EXCLUDED, order.get("status")
            reason = f"Order {order_id} is listed in order_cleanup_exclude_order_ids; it was left alone."
        elif entry is None:
            outcome, status_after = OUTCOME_FAILED, None
            if batch is None:
                reason = f"Order {order_id} was found but handed to no batch, so nothing is known about it."
            else:
                reason = f"Batch {batch['number']} failed before it reported on order {order_id}: {batch['message']}"
        else:
            outcome, status_after = entry["outcome"], entry.get("status")
            refund, reason = entry.get("refund_hint"), entry.get("message")
        result = result_of(outcome, CHANGE_OUTCOMES, WOULD_CHANGE_OUTCOMES)
        if result == RESULT_WOULD_CHANGE and mode == MODE_APPLY:
            reason = f"Not attempted (planned: {outcome}): batch {batch['number']} stopped before changing anything. {batch['message']}"
            outcome, result, refund = OUTCOME_NOT_ATTEMPTED, RESULT_FAILED, None
        row = order_cells(order, order.get("status") if entry is None else entry.get("status_before"), status_after)
        row.update(outcome=outcome, result=result, reason=reason, refund_hint=refund, batch=None if batch is None else batch["number"])
        rows.append(row)
    return rows


# What the cancel module reports for an order of a reviewed plan that is no longer what the plan was made for: it
# changed since the review (review_plan.review_outcome). Every other outcome stands as reported.
_MOVED_ON_OUTCOMES = (OUTCOME_NOT_CANCELABLE, OUTCOME_NOTHING_TO_CANCEL)


def planned_orders(found_orders, batches, exclude_order_ids):
    """The orders a report-only run plans to change, as review_plan.make_plan() takes them: each with the change the
    cancel module planned, the request it is about and the listing entry it was planned from."""
    listed = {order["id"]: order for order in found_orders}
    planned = []
    for batch in batches:
        for entry in batch["orders"]:
            if entry["outcome"] in WOULD_CHANGE_OUTCOMES and entry["id"] in listed and entry["id"] not in exclude_order_ids:
                planned.append({"id": entry["id"], "change": entry["outcome"], "request_id": entry.get("request_id"), "entry": listed[entry["id"]]})
    return planned


def summarize_rows(rows, batches, mode, max_cancellations):
    """The run in numbers: orders found, rows per result and per outcome, the orders to ask a refund for, the failed
    batches, and whether an applied run would stop at order_cleanup_max_cancellations (report and check mode)."""
    results, outcomes = count_rows(rows)
    return {
        "found": len(rows),
        "results": results,
        "outcomes": outcomes,
        "refund_requests": [row["order_id"] for row in rows if row["refund_hint"] and row["result"] in (RESULT_CHANGED, RESULT_WOULD_CHANGE)],
        "failed_batches": [batch["number"] for batch in batches if batch["failed"]],
        "over_limit": mode != MODE_APPLY and results[RESULT_WOULD_CHANGE] > max_cancellations,
    }


# ---------------------------------------------------------------- texts


def json_report(settings, summary, batches, rows):
    """The JSON file: the run, its summary, the batches (without their entries, which the rows carry) and the rows."""
    document = {
        "report": REPORT_NAME,
        "generated_at": settings.generated_at_text,
        "mode": settings.mode,
        "api_url": settings.api_url,
        "selection": settings.selection,
        "note": settings.note,
        "max_cancellations": settings.max_cancellations,
        "batch_size": settings.batch_size,
        "plan": review_plan.plan_reference(settings.plan, settings.mode),
        "summary": summary,
        "batches": [{key: value for key, value in batch.items() if key != "orders"} for batch in batches],
        "orders": rows,
    }
    return json.dumps(document, indent=2) + "\n"


def csv_report(rows):
    """The CSV file: one row per order, every field quoted and safe for a spreadsheet (report_format.csv_text)."""
    return csv_text(CSV_COLUMNS, rows)


def _listed(values, none_text):
    return markdown_text(", ".join(str(value) for value in values) or none_text)


def _markdown_plan(settings, summary):
    plan = review_plan.plan_reference(settings.plan, settings.mode)
    if plan is None:
        return []
    if settings.mode == MODE_REPORT:
        return [
            "",
            "## Plan to review",
            "",
            f"The {plan['orders']} orders to change are in `{markdown_text(plan['file'])}` (fingerprint {plan['fingerprint'][:16]}...). "
            "After review, apply exactly these with",
            f"`order_cleanup_apply=true order_cleanup_plan={markdown_text(plan['file'])}`.",
        ]
    return [
        "",
        "## Reviewed plan applied",
        "",
        f"Plan `{markdown_text(plan['file'])}` of {plan['created_at']}, {plan['orders']} orders. Orders that changed since the review "
        f"were left alone: {summary['outcomes'].get(review_plan.OUTCOME_CHANGED_SINCE_REVIEW, 0)}.",
    ]


def markdown_report(settings, summary, batches, rows):
    """The Markdown file: a short summary to attach to a change record; the CSV and JSON files hold every order."""
    selection = settings.selection
    results = summary["results"]
    applied = settings.mode == MODE_APPLY
    lines = [
        f"# DigiCert order clean-up, {settings.generated_at_text}",
        "",
        f"- Mode: {_MODE_TEXTS[settings.mode]}",
        f"- CertCentral: {markdown_text(settings.api_url)}",
        f"- Selection: statuses {_listed(selection['statuses'], '')}; created more than {selection['older_than_days']} days ago;",
        f"  products {_listed(selection['product_name_ids'], 'any')}; containers {_listed(selection['container_ids'], 'any')};",
        f"  excluded orders {_listed(selection['exclude_order_ids'], 'none')}",
        f"- Note: {markdown_text(settings.note or '(none)')}",
        f"- Limit: at most {settings.max_cancellations} changes per applied run, in batches of {settings.batch_size} orders",
        "",
    ]
    lines.extend(markdown_summary("Found", summary["found"], results, summary["outcomes"], applied))
    lines.extend(_markdown_plan(settings, summary))

    if summary["over_limit"]:
        lines.extend(
            [
                "",
                f"An applied run would stop before its first batch: {results[RESULT_WOULD_CHANGE]} orders are due, more than",
                f"order_cleanup_max_cancellations={settings.max_cancellations} allows.",
            ]
        )

    failed_batches = [batch for batch in batches if batch["failed"]]
    if failed_batches:
        lines.extend(
            [
                "",
                "## Batches that failed",
                "",
                f"The other batches ran. Orders of a batch that stopped before changing anything are `{OUTCOME_NOT_ATTEMPTED}`.",
                "",
            ]
        )
        lines.extend(f"- Batch {batch['number']} ({len(batch['order_ids'])} orders): {markdown_text(batch['message'])}" for batch in failed_batches)

    failed_rows = [row for row in rows if row["outcome"] == OUTCOME_FAILED]
    if failed_rows:
        lines.extend(
            [
                "",
                "## Failed orders",
                "",
                "| Order | Common name | Reason |",
                "|---:|---|---|",
            ]
        )
        lines.extend(markdown_row(row["order_id"], row["common_name"], row["reason"]) for row in failed_rows[:MARKDOWN_FAILED_ORDERS])
        if len(failed_rows) > MARKDOWN_FAILED_ORDERS:
            lines.extend(["", f"{len(failed_rows) - MARKDOWN_FAILED_ORDERS} more in the CSV file."])

    refunds = summary["refund_requests"]
    if refunds:
        lines.extend(
            [
                "",
                "## Refunds",
                "",
                f"{len(refunds)} {'canceled orders were' if applied else 'orders to cancel are'} paid",
                "from the account balance, which canceling does not credit. Ask DigiCert Support for a refund of:",
                f"{_listed(refunds, '')}.",
            ]
        )

    lines.extend(
        [
            "",
            "## Files",
            "",
            f"- Every order, one row each: `{settings.basename}.csv`",
            f"- The run and every order, with the module's entries: `{settings.basename}.json`",
        ]
    )
    return "\n".join(lines) + "\n"


def _selection_text(selection):
    products = ", ".join(str(value) for value in selection["product_name_ids"]) or "any"
    containers = ", ".join(str(value) for value in selection["container_ids"]) or "any"
    excluded = ", ".join(str(value) for value in selection["exclude_order_ids"]) or "none"
    return (
        f"statuses {', '.join(selection['statuses'])}; created more than {selection['older_than_days']} days ago; "
        f"products {products}; containers {containers}; excluded orders {excluded}"
    )


def html_report(settings, summary, rows):
    """The HTML file's content: the run, charts of the orders by status, age and outcome and of the results, the
    refunds and every order."""
    applied = settings.mode == MODE_APPLY
    return html.HtmlReport(
        title=f"DigiCert order clean-up, {settings.generated_at_text}",
        facts=[
            ("Mode", _MODE_TEXTS[settings.mode]),
            ("CertCentral", settings.api_url),
            ("Selection", _selection_text(settings.selection)),
            ("Note", settings.note or "(none)"),
            ("Limit", f"at most {settings.max_cancellations} changes per applied run"),
            ("Plan", review_plan.plan_sentence(settings.plan, settings.mode)),
        ],
        charts=[
            ("status", "Orders by status (as found)", html.count_by(rows, "status_before")),
            ("age", "Orders by age", html.age_counts(rows)),
            ("outcome", "Outcomes", summary["outcomes"]),
            ("result", "What the run changed" if applied else "What an applied run would change", html.result_counts(summary["results"], applied)),
        ],
        columns=html.table_columns(
            "age_days",
            "valid_till",
            "days_remaining",
            "status_before",
            "status_after",
            "outcome",
            "reason",
            "refund_hint",
        ),
        rows=rows,
        refund_requests=summary["refund_requests"],
    )


def report_texts(settings, found_orders, batches):
    """The rows, the summary and the text of each report file by extension, for checked inputs."""
    rows = build_rows(found_orders, batches, settings.selection["exclude_order_ids"], settings.mode)
    if settings.plan is not None and settings.mode != MODE_REPORT:
        rows = review_plan.review_rows(rows, settings.plan["document"], _MOVED_ON_OUTCOMES)
    summary = summarize_rows(rows, batches, settings.mode, settings.max_cancellations)
    texts = {
        "json": json_report(settings, summary, batches, rows),
        "csv": csv_report(rows),
        "md": markdown_report(settings, summary, batches, rows),
        "html": html.html_text(html_report(settings, summary, rows)),
    }
    return rows, summary, texts
