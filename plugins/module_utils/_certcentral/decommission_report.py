# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""The report of the role decommission: one row per order that covers a retired host, the summary, and the JSON,
CSV and Markdown texts.

Pure functions on the plan (decommission.plan()) and on what the cancel and revoke modules returned for the orders
the plan handed them. The action plugin order_cleanup_report writes the texts (its option report=decommission).
"""

from __future__ import annotations

import json

from . import cancellation, html_report as html, review_plan, revocation
from .decommission import CHANGE_DECISIONS, DECISION_CANCEL, DECISION_REVOKE
from .report_format import (
    MODE_APPLY,
    MODE_CHECK,
    MODE_REPORT,
    MODES,
    OUTCOME_FAILED,
    RESULT_CHANGED,
    RESULT_FAILED,
    RESULT_SKIPPED,
    RESULT_WOULD_CHANGE,
    count_rows,
    csv_text,
    markdown_row,
    markdown_summary,
    markdown_text,
    order_cells,
    plain_text,
    report_columns,
    result_of,
)

REPORT_NAME = "certops.digicert.decommission"
FILE_PREFIX = "decommission"

# Outcomes the role gives an order itself, rather than a module.
OUTCOME_NOT_ATTEMPTED = "not_attempted"
OUTCOME_OVER_LIMIT = "over_limit"

CSV_COLUMNS = report_columns(
    ("decision", "outcome", "result", "reason", "refund_hint", "covered_hosts", "wildcard_covered_hosts", "surviving_names", "wildcard_names")
)

_MODE_TEXTS = {
    MODE_REPORT: "report only (decommission_apply=false): nothing was changed",
    MODE_CHECK: "check mode: nothing was changed; the outcomes are what an applied run would do",
    MODE_APPLY: "applied (decommission_apply=true)",
}

# The module that acts on each decision, with the outcomes it reports as changes made and planned.
_MODULES = {
    DECISION_CANCEL: ("cancel", cancellation.CHANGE_OUTCOMES, cancellation.WOULD_CHANGE_OUTCOMES),
    DECISION_REVOKE: ("revoke", revocation.CHANGE_OUTCOMES, revocation.WOULD_CHANGE_OUTCOMES),
}


class DecommissionSettings:
    """What the report says about the run besides its orders."""

    def __init__(self, mode, generated_at_text, api_url, note, revoke_issued, skip_approval, max_cancellations, max_revocations, plan=None):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}.")
        self.mode = mode
        self.generated_at_text = generated_at_text
        self.api_url = api_url
        self.note = note
        self.revoke_issued = revoke_issued
        self.skip_approval = skip_approval
        self.max_cancellations = max_cancellations
        self.max_revocations = max_revocations
        # The reviewed plan: in report mode the one this run writes, in an applied run the one it applies (None
        # when it applies none); a dict with file and document.
        self.plan = plan


def check_plan(plan):
    """ValueError, naming the place, when the plan lacks what the rows are built on."""
    for key in ("orders", "hosts", "hosts_without_orders", "limit_problems"):
        if not isinstance(plan.get(key), list):
            raise ValueError(f"plan.{key} must be a list; pass the plan the action decommission_plan returned.")
    for index, entry in enumerate(plan["orders"]):
        order = entry.get("order") if isinstance(entry, dict) else None
        if not isinstance(order, dict) or not isinstance(order.get("id"), int) or isinstance(order.get("id"), bool):
            raise ValueError(f"plan.orders[{index}] has no order with an integer id.")
        if not isinstance(entry.get("decision"), str):
            raise ValueError(f"plan.orders[{index}] (order {order['id']}) has no decision.")


def _entries_by_id(module_result):
    return {entry.get("id"): entry for entry in (module_result or {}).get("orders") or [] if isinstance(entry, dict)}


def _module_failure(module_result):
    if not module_result:
        return "the module did not run."
    if module_result.get("failed"):
        return module_result.get("msg") or "the module failed without a message."
    return "the module returned no entry for it."


def _acted_row(entry, module_result, mode, over_limit, limit_problems):
    """(status_after, outcome, result, reason, refund_hint) of an order the plan hands to a module."""
    order = entry["order"]
    name, change_outcomes, would_change_outcomes = _MODULES[entry["decision"]]
    if over_limit and mode == MODE_APPLY:
        return (
            order.get("status"),
            OUTCOME_OVER_LIMIT,
            RESULT_SKIPPED,
            f"Not attempted (planned: {entry['decision']}): the run stopped before any change. {' '.join(limit_problems)}",
            None,
        )
    module_entry = _entries_by_id(module_result).get(order["id"])
    if module_entry is None:
        return (None, OUTCOME_FAILED, RESULT_FAILED, f"The {name} module did not report on order {order['id']}: {_module_failure(module_result)}", None)
    outcome = module_entry.get("outcome")
    result = result_of(outcome, change_outcomes, would_change_outcomes)
    if result == RESULT_WOULD_CHANGE and mode == MODE_APPLY:
        return (
            order.get("status"),
            OUTCOME_NOT_ATTEMPTED,
            RESULT_FAILED,
            f"Not attempted (planned: {outcome}): the {name} module stopped before changing anything. {_module_failure(module_result)}",
            None,
        )
    return module_entry.get("status"), outcome, result, module_entry.get("message"), module_entry.get("refund_hint")


def build_rows(plan, cancel_result, revoke_result, mode):
    """One row per order of the plan, in its order (the orders to act on first), with the columns of CSV_COLUMNS."""
    rows = []
    for entry in plan["orders"]:
        order = entry["order"]
        decision = entry["decision"]
        status_before = order.get("status")
        if decision in CHANGE_DECISIONS:
            module_result = cancel_result if decision == DECISION_CANCEL else revoke_result
            status_after, outcome, result, reason, refund = _acted_row(entry, module_result, mode, plan.get("over_limit"), plan["limit_problems"])
            module_entry = _entries_by_id(module_result).get(order["id"])
            if module_entry is not None and module_entry.get("status_before"):
                status_before = module_entry["status_before"]
        else:
            status_after, outcome, result, reason, refund = status_before, decision, RESULT_SKIPPED, entry["reason"], None
        row = order_cells(order, status_before, status_after)
        row.update(
            {
                "decision": decision,
                "outcome": outcome,
                "result": result,
                "reason": reason,
                "refund_hint": refund,
                "covered_hosts": " ".join(entry.get("covered_hosts") or []),
                "wildcard_covered_hosts": " ".join(entry.get("wildcard_covered_hosts") or []),
                "surviving_names": " ".join(entry.get("surviving_names") or []),
                "wildcard_names": " ".join(entry.get("wildcard_names") or []),
            }
        )
        rows.append(row)
    return rows


# What the cancel and revoke modules report for an order of a reviewed plan that is no longer what the plan was
# made for: it changed since the review (review_plan.review_outcome). Every other outcome stands as reported.
_MOVED_ON_OUTCOMES = (
    cancellation.OUTCOME_NOT_CANCELABLE,
    cancellation.OUTCOME_NOTHING_TO_CANCEL,
    revocation.OUTCOME_NOT_REVOCABLE,
    revocation.OUTCOME_NOTHING_TO_REVOKE,
)


def planned_orders(plan, cancel_result, revoke_result):
    """The orders a report-only run plans to change, as review_plan.make_plan() takes them: each order the cancel or
    revoke module planned a change for, with that change and the listing entry it was planned from."""
    planned = []
    for entry in plan["orders"]:
        decision = entry["decision"]
        if decision not in CHANGE_DECISIONS:
            continue
        order = entry["order"]
        module_entry = _entries_by_id(cancel_result if decision == DECISION_CANCEL else revoke_result).get(order["id"])
        would_change = _MODULES[decision][2]
        if module_entry is not None and module_entry.get("outcome") in would_change:
            planned.append({"id": order["id"], "change": module_entry["outcome"], "request_id": module_entry.get("request_id"), "entry": order})
    return planned


def summarize_rows(rows, plan):
    """The run in numbers, with the hosts that no order names and what the plan holds against the limits."""
    results, outcomes = count_rows(rows)
    return {
        "orders": len(rows),
        "results": results,
        "outcomes": outcomes,
        "hosts": plan["hosts"],
        "hosts_without_orders": plan["hosts_without_orders"],
        "hosts_under_wildcards_only": plan.get("hosts_under_wildcards_only") or [],
        "cancellations": plan.get("cancellations", 0),
        "revocations": plan.get("revocations", 0),
        "over_limit": bool(plan.get("over_limit")),
        "limit_problems": plan["limit_problems"],
        "refund_requests": [row["order_id"] for row in rows if row["refund_hint"] and row["result"] in (RESULT_CHANGED, RESULT_WOULD_CHANGE)],
    }


def json_report(settings, summary, rows):
    document = {
        "report": REPORT_NAME,
        "generated_at": settings.generated_at_text,
        "mode": settings.mode,
        "api_url": settings.api_url,
        "revoke_issued": settings.revoke_issued,
        "skip_approval": settings.skip_approval,
        "note": settings.note,
        "max_cancellations": settings.max_cancellations,
        "max_revocations": settings.max_revocations,
        "plan": review_plan.plan_reference(settings.plan, settings.mode),
        "summary": summary,
        "orders": rows,
    }
    return json.dumps(document, indent=2) + "\n"


def _listed(values, none_text):
    return markdown_text(", ".join(str(value) for value in values) or none_text)


def markdown_report(settings, summary, rows, basename):
    """A short summary to attach to the change record; the CSV and JSON files hold every column."""
    results = summary["results"]
    applied = settings.mode == MODE_APPLY
    if settings.revoke_issued:
        how = ", without approval" if settings.skip_approval else ", through revoke requests for an approver"
        issued_orders = f"revoked (decommission_revoke_issued=true{how})"
    else:
        issued_orders = "reported, not revoked (decommission_revoke_issued=false)"
    lines = [
        f"# DigiCert orders of retired hosts, {settings.generated_at_text}",
        "",
        f"- Mode: {_MODE_TEXTS[settings.mode]}",
        f"- CertCentral: {markdown_text(settings.api_url)}",
        f"- Hosts: {_listed(summary['hosts'], '(none)')}",
        f"- Issued orders: {issued_orders}",
        f"- Note: {markdown_text(settings.note or '(none)')}",
        f"- Limits: at most {settings.max_cancellations} cancellations and {settings.max_revocations} revocations per run",
        "",
        "Only orders whose names are all being retired are canceled or revoked. An order that also names another",
        "host (`shared`) or any wildcard (`wildcard`) is reported and left alone.",
        "",
    ]
    lines.extend(markdown_summary("Covering the hosts", summary["orders"], results, summary["outcomes"], applied))
    plan = review_plan.plan_reference(settings.plan, settings.mode)
    if plan is not None and plan.get("written"):
        lines.extend(
            [
                "",
                "## Plan to review",
                "",
                f"The {plan['orders']} orders to change are in `{markdown_text(plan['file'])}`. After review, apply exactly these with",
                f"`decommission_apply=true decommission_plan_file={markdown_text(plan['file'])}`.",
            ]
        )
    elif plan is not None:
        lines.extend(
            [
                "",
                "## Reviewed plan applied",
                "",
                f"Plan `{markdown_text(plan['file'])}` of {plan['created_at']}, {plan['orders']} orders. Orders that changed "
                f"since the review were left alone: {summary['outcomes'].get(review_plan.OUTCOME_CHANGED_SINCE_REVIEW, 0)}.",
            ]
        )
    if summary["over_limit"]:
        stopped = "The run stopped before any change:" if applied else "An applied run would stop before any change:"
        lines.extend(["", f"{stopped} {markdown_text(' '.join(summary['limit_problems']))}"])
    if summary["hosts_without_orders"]:
        lines.extend(["", f"Hosts that no order names: {_listed(summary['hosts_without_orders'], '')}."])
        if summary["hosts_under_wildcards_only"]:
            lines.append(f"Of them, only a wildcard order covers {_listed(summary['hosts_under_wildcards_only'], '')}: check the spelling.")
    lines.extend(
        [
            "",
            "## Orders",
            "",
            "| Order | Names | Covers | Status before | Status after | Outcome | Reason |",
            "|---:|---|---|---|---|---|---|",
        ]
    )
    for row in rows:
        names = ", ".join(dict.fromkeys(name for name in [row["common_name"]] + row["dns_names"].split(" ") if name))
        covers = " ".join(value for value in (row["covered_hosts"], row["wildcard_covered_hosts"]) if value)
        lines.append(markdown_row(row["order_id"], names, covers, row["status_before"], row["status_after"], row["outcome"], row["reason"]))
    if not rows:
        lines.append("| | No order covers the hosts. | | | | | |")
    if summary["refund_requests"]:
        lines.extend(["", f"Orders paid from the account balance; ask DigiCert Support for a refund of: {_listed(summary['refund_requests'], '')}."])
    lines.extend(
        [
            "",
            "## Files",
            "",
            f"- Every order, one row each: `{basename}.csv`",
            f"- The run and every order, with the plan's reasons: `{basename}.json`",
        ]
    )
    return "\n".join(lines) + "\n"


def html_report(settings, summary, rows):
    """The HTML file's content: the run, charts of the orders by status, decision and outcome and of the results,
    the refunds and every order."""
    applied = settings.mode == MODE_APPLY
    return html.HtmlReport(
        title=f"DigiCert decommissioning, {settings.generated_at_text}",
        facts=[
            ("Mode", _MODE_TEXTS[settings.mode]),
            ("CertCentral", settings.api_url),
            ("Hosts", ", ".join(str(host) for host in summary["hosts"]) or "none"),
            ("Hosts without orders", ", ".join(str(host) for host in summary["hosts_without_orders"]) or "none"),
            ("Note", settings.note or "(none)"),
            ("Limits", f"at most {settings.max_cancellations} cancellations and {settings.max_revocations} revocations per applied run"),
            ("Plan", review_plan.plan_sentence(settings.plan, settings.mode)),
        ],
        charts=[
            ("status", "Orders by status (as found)", html.count_by(rows, "status_before")),
            ("decision", "Decisions", html.count_by(rows, "decision")),
            ("outcome", "Outcomes", summary["outcomes"]),
            ("result", "What the run changed" if applied else "What an applied run would change", html.result_counts(summary["results"], applied)),
        ],
        columns=html.table_columns(
            "valid_till",
            "days_remaining",
            "status_before",
            "status_after",
            "decision",
            "outcome",
            "reason",
            "covered_hosts",
            "refund_hint",
        ),
        rows=rows,
        refund_requests=summary["refund_requests"],
    )


def report_texts(settings, plan, cancel_result, revoke_result, basename):
    """The rows, the summary and the text of each report file by extension, for a checked plan."""
    rows = build_rows(plan, cancel_result, revoke_result, settings.mode)
    if settings.plan is not None and settings.mode != MODE_REPORT:
        rows = review_plan.review_rows(rows, settings.plan["document"], _MOVED_ON_OUTCOMES)
    summary = summarize_rows(rows, plan)
    texts = {
        "json": json_report(settings, summary, rows),
        "csv": csv_text(CSV_COLUMNS, rows),
        "md": markdown_report(settings, summary, rows, basename),
        "html": html.html_text(html_report(settings, summary, rows)),
    }
    return rows, summary, texts


def console_messages(mode, summary, markdown_path, plan_file=None, applied_plan=None):
    """The lines the role shows at the end of a run; ``plan_file``: the plan a report-only run wrote,
    ``applied_plan``: the file of the plan an applied run applied."""
    results = summary["results"]
    what_happened = {MODE_REPORT: "Report only, nothing was changed", MODE_CHECK: "Check mode, nothing was changed", MODE_APPLY: "Applied"}[mode]
    changed = results[RESULT_CHANGED] + results[RESULT_WOULD_CHANGE]
    by_outcome = ", ".join(f"{count} {outcome}" for outcome, count in summary["outcomes"].items()) or "none"
    lines = [
        f"{what_happened}: {summary['orders']} orders cover {len(summary['hosts'])} hosts.",
        f"{'Changed' if mode == MODE_APPLY else 'Would change'}: {changed}. Skipped: {results[RESULT_SKIPPED]}. "
        f"Failed: {results[RESULT_FAILED]}. By outcome: {by_outcome}.",
        f"Hosts that no order names: {', '.join(summary['hosts_without_orders']) or 'none'}.",
    ]
    if summary["hosts_under_wildcards_only"]:
        lines.append(f"Only a wildcard order covers {', '.join(summary['hosts_under_wildcards_only'])}: check the spelling.")
    if summary["over_limit"]:
        stopped = "Stopped before any change:" if mode == MODE_APPLY else "An applied run would stop before any change:"
        lines.append(f"{stopped} {' '.join(summary['limit_problems'])}")
    lines.append(f"Report: {markdown_path}, .csv, .json and .html (and decommission-latest.* in the same directory).")
    if plan_file:
        lines.append(f"Plan to review: {plan_file}. After review, apply exactly it with decommission_apply=true decommission_plan_file={plan_file}.")
    elif applied_plan:
        lines.append(
            f"Reviewed plan applied: {applied_plan}; orders changed since the review, left alone: "
            f"{summary['outcomes'].get(review_plan.OUTCOME_CHANGED_SINCE_REVIEW, 0)}."
        )
    return [plain_text(line) for line in lines]
