# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""What the reports of the collection share: their modes and results, and text from CertCentral made safe for the
report formats (a Markdown table cell and a CSV field).

Order names, products and the server's messages are data someone else typed. In Markdown they must not open HTML,
a link or a new line of the table; in CSV they must stay in their own field and must not run as a spreadsheet
formula. Every report of the collection (order_cleanup, decommission, order_report) writes through these functions.
"""

from __future__ import annotations

import csv
import io
import re

# Line breaks of every kind end a table row in some Markdown renderer.
_LINE_BREAKS = re.compile("[\r\n\u0085\u2028\u2029\x0b\x0c]+")
# The other control characters: invisible at best, terminal escapes or a string's end (NUL) at worst.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
# What Markdown gives a meaning to inside a line: escapes, code, emphasis, links, raw HTML, strike-through, cells.
# A backslash before any of them makes it plain text (CommonMark "Backslash escapes").
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~!])")

# How a role ran: report only, applied in check mode, or applied.
MODE_REPORT = "report"
MODE_CHECK = "check"
MODE_APPLY = "apply"
MODES = (MODE_REPORT, MODE_CHECK, MODE_APPLY)

# The results the outcomes of the modules are sorted into, in the order the summaries list them.
RESULT_CHANGED = "changed"
RESULT_WOULD_CHANGE = "would_change"
RESULT_SKIPPED = "skipped"
RESULT_FAILED = "failed"
RESULTS = (RESULT_CHANGED, RESULT_WOULD_CHANGE, RESULT_SKIPPED, RESULT_FAILED)
# The outcome of an order the modules failed on; the same word as bulk.OUTCOME_FAILED.
OUTCOME_FAILED = RESULT_FAILED

# The columns every report's CSV file starts with, in this order and with these names, so that the files of
# order_cleanup, decommission and order_report line up in one spreadsheet: the order and its certificate as
# digicert_order_info listed them (for an applied reviewed plan: as the plan recorded them), and its status before
# and after the run. Each report appends its own columns (report_columns()); the role guide's section "The CSV
# layout" (docs/docsite/rst/guide_role.rst) documents them.
ORDER_COLUMNS = (
    "order_id",
    "common_name",
    "dns_names",
    "product",
    "organization_name",
    "container_id",
    "container_name",
    "status_before",
    "status_after",
    "date_created",
    "age_days",
    "valid_till",
    "days_remaining",
    "serial_number",
    "price",
)

# Spreadsheets run a field that starts with one of these as a formula (or a DDE call); a leading quote keeps it
# text. The full-width forms are taken as the same characters by some spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def result_of(outcome, change_outcomes, would_change_outcomes):
    """The result of a module's ``outcome``, given the outcomes that module reports for changes made and planned."""
    if outcome in change_outcomes:
        return RESULT_CHANGED
    if outcome in would_change_outcomes:
        return RESULT_WOULD_CHANGE
    if outcome == OUTCOME_FAILED:
        return RESULT_FAILED
    return RESULT_SKIPPED


def count_rows(rows):
    """(rows per result, every result a key; rows per outcome that occurs, by outcome name in alphabetical order)."""
    results = {result: 0 for result in RESULTS}
    outcomes = {}
    for row in rows:
        results[row["result"]] += 1
        outcomes[row["outcome"]] = outcomes.get(row["outcome"], 0) + 1
    return results, dict(sorted(outcomes.items()))


def report_columns(own_columns):
    """A report's CSV columns: ORDER_COLUMNS, then the report's ``own_columns``."""
    return ORDER_COLUMNS + tuple(own_columns)


def order_cells(order, status_before, status_after):
    """The ORDER_COLUMNS of the report row of ``order``, a digicert_order_info entry (from a listing, or as a reviewed
    plan recorded it), whose status before and after the run the report knows best."""
    return {
        "order_id": order["id"],
        "common_name": order.get("common_name"),
        "dns_names": " ".join(name for name in order.get("dns_names") or [] if isinstance(name, str)),
        "product": order.get("product_name_id"),
        "organization_name": order.get("organization_name"),
        "container_id": order.get("container_id"),
        "container_name": order.get("container_name"),
        "status_before": status_before,
        "status_after": status_after,
        "date_created": order.get("date_created"),
        "age_days": order.get("age_days"),
        "valid_till": order.get("valid_till"),
        "days_remaining": order.get("days_remaining"),
        "serial_number": order.get("serial_number"),
        "price": order.get("price"),
    }


def plain_text(value):
    """``value`` as text on one line: None is empty, line breaks become spaces, control characters go."""
    text = "" if value is None else str(value)
    return _CONTROL_CHARACTERS.sub("", _LINE_BREAKS.sub(" ", text))


def markdown_text(value):
    """``value`` as literal text in a Markdown line or table cell: on one line, with every character that Markdown
    would read as markup (HTML, links, emphasis, a ``|`` that ends the cell) escaped, and ``&`` written as an entity
    so that no entity can be spelled out."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", plain_text(value)).replace("&", "&amp;")


def spreadsheet_text(value):
    """``value`` as one CSV field's text: control characters removed (a leading NUL ends the field in some readers,
    line breaks are kept: quoting holds them in the field), and text that a spreadsheet would run as a formula
    behind a leading quote, also when spaces come first."""
    text = "" if value is None else str(value)
    text = _CONTROL_CHARACTERS.sub("", text)
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_text(columns, rows):
    """A header of plain column names, then one line per row with every field quoted (RFC 4180), so that commas,
    quotes and line breaks stay in their field, each field made safe by spreadsheet_text()."""
    text = io.StringIO()
    write_csv(text, columns, ([row[column] for column in columns] for row in rows))
    return text.getvalue()


def write_csv(stream, columns, rows_of_values):
    """Write csv_text() to ``stream`` one line at a time, of rows given as their values in ``columns`` order."""
    csv.writer(stream, lineterminator="\n").writerow(columns)
    csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows([spreadsheet_text(value) for value in values] for values in rows_of_values)


def markdown_row(*cells):
    """One Markdown table row of escaped cells."""
    return f"| {' | '.join(markdown_text(cell) for cell in cells)} |"


def markdown_summary(total_label, total, results, outcomes, applied):
    """The lines of a report's "Summary" section: the orders by result, then by outcome."""
    lines = [
        "## Summary",
        "",
        "| Result | Orders |",
        "|---|---:|",
        f"| {total_label} | {total} |",
        f"| {'Changed' if applied else 'Would change'} | {results[RESULT_CHANGED] + results[RESULT_WOULD_CHANGE]} |",
        f"| Skipped | {results[RESULT_SKIPPED]} |",
        f"| Failed | {results[RESULT_FAILED]} |",
        "",
        "| Outcome | Orders |",
        "|---|---:|",
    ]
    lines.extend(f"| {outcome} | {count} |" for outcome, count in outcomes.items())
    if not outcomes:
        lines.append("| (no orders) | 0 |")
    return lines
