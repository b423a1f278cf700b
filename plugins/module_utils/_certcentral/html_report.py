# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""The HTML report of the roles: one self-contained file that opens in any browser, offline.

Nothing is fetched: the style is one inline <style> element, the charts are inline SVG, there is no script, and a
Content-Security-Policy forbids loading anything should a value ever slip through. Every value from CertCentral
(names, products, messages) passes html.escape(), like in every other report format. Each chart and bar carries its
numbers in data-chart, data-label and data-value attributes, so that tests can hold them against the JSON report.
"""

from __future__ import annotations

import io
from html import escape

from .report_format import RESULT_CHANGED, RESULT_FAILED, RESULT_SKIPPED, RESULT_WOULD_CHANGE, plain_text

# Age buckets in days, upper bounds included; the last one is open.
AGE_BUCKETS = ((30, "0-30 days"), (90, "31-90 days"), (180, "91-180 days"), (365, "181-365 days"), (None, "over 365 days"))
AGE_UNKNOWN = "unknown"

_COLORS = {RESULT_CHANGED: "#2e7d32", RESULT_WOULD_CHANGE: "#1565c0", RESULT_SKIPPED: "#757575", RESULT_FAILED: "#c62828"}
_BAR_COLOR = "#1565c0"
_BAR_HEIGHT = 20
_BAR_GAP = 6
_LABEL_WIDTH = 170
_BAR_WIDTH = 260
_VALUE_WIDTH = 50

_STYLE = """
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; margin: 2em; color: #212121; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
figure { margin: 0; border: 1px solid #e0e0e0; border-radius: 6px; padding: 0.8em; }
figcaption { font-weight: 600; margin-bottom: 0.4em; }
svg text { font-size: 12px; fill: #212121; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border: 1px solid #e0e0e0; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #f5f5f5; position: sticky; top: 0; }
tr.changed td.outcome { color: #2e7d32; font-weight: 600; }
tr.would_change td.outcome { color: #1565c0; font-weight: 600; }
tr.failed td.outcome { color: #c62828; font-weight: 600; }
td.number { text-align: right; }
td.c-reason { min-width: 28em; } td.c-refund_hint { min-width: 14em; }
td.c-common_name, td.c-covered_hosts { max-width: 20em; overflow-wrap: anywhere; }
div.table { overflow-x: auto; }
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'"

# The columns every report's table starts with, in this order: the order, its certificate's name, its product and
# whose it is, so that the tables of order_cleanup, decommission and order_report read alike. Each report appends
# its own columns (its dates, statuses and decisions), as report_format.ORDER_COLUMNS leads every CSV file.
TABLE_ORDER_COLUMNS = ("order_id", "common_name", "product", "organization_name", "container_name")


def table_columns(*own_columns):
    """A report's table columns (HtmlReport.columns): TABLE_ORDER_COLUMNS, then the report's ``own_columns``."""
    return TABLE_ORDER_COLUMNS + own_columns


class HtmlReport:
    """What the HTML file shows.

    ``facts``: (label, text) pairs for the head of the report. ``charts``: (chart id, caption, {label: count}) for
    the bar charts, in order. ``columns``: the row keys the table shows. ``result_column``: the row key whose value
    (changed, would_change, ...) colours a row. ``refund_requests``: the order IDs to ask a refund for.
    ``notes``: sentences shown under the facts. ``row_cells``, for rows that are not dicts: a function of a row that
    gives its values in ``columns`` order and its result.
    """

    def __init__(self, title, facts, charts, columns, rows, refund_requests, notes=(), result_column="result", row_cells=None):
        self.title = title
        self.facts = facts
        self.charts = charts
        self.columns = columns
        self.rows = rows
        self.refund_requests = refund_requests
        self.notes = notes
        self.result_column = result_column
        self.row_cells = row_cells or self._dict_cells

    def _dict_cells(self, row):
        return [row.get(column) for column in self.columns], row.get(self.result_column)


def count_by(rows, column):
    """Rows per value of ``column``, ``unknown`` for None, in alphabetical order."""
    counts = {}
    for row in rows:
        key = AGE_UNKNOWN if row.get(column) is None else str(row[column])
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def age_counts(rows, column="age_days"):
    """Rows per age bucket (AGE_BUCKETS), every bucket a key, ``unknown`` when some row has no age."""
    return count_ages(row.get(column) for row in rows)


def count_ages(ages):
    """age_counts() of the rows' ages."""
    counts = {label: 0 for _limit, label in AGE_BUCKETS}
    for age in ages:
        if not isinstance(age, int) or isinstance(age, bool):
            counts[AGE_UNKNOWN] = counts.get(AGE_UNKNOWN, 0) + 1
            continue
        for limit, label in AGE_BUCKETS:
            if limit is None or age <= limit:
                counts[label] += 1
                break
    return counts


def result_counts(results, applied):
    """The results chart: what the run changed, or would change, skipped and failed."""
    return {
        "changed" if applied else "would change": results[RESULT_CHANGED] + results[RESULT_WOULD_CHANGE],
        "skipped": results[RESULT_SKIPPED],
        "failed": results[RESULT_FAILED],
    }


def _text(value):
    return escape(plain_text(value), quote=True)


def bar_chart(chart_id, caption, counts):
    """One figure with a horizontal bar chart in inline SVG: a bar per label, its count after it."""
    items = list(counts.items())
    largest = max([count for _label, count in items] + [1])
    height = max(len(items), 1) * (_BAR_HEIGHT + _BAR_GAP) + _BAR_GAP
    width = _LABEL_WIDTH + _BAR_WIDTH + _VALUE_WIDTH
    parts = [
        f'<figure data-chart="{_text(chart_id)}"><figcaption>{_text(caption)}</figcaption>',
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{_text(caption)}">',
    ]
    if not items:
        parts.append(f'<text x="0" y="{_BAR_HEIGHT - 5}">no orders</text>')
    for index, (label, count) in enumerate(items):
        top = _BAR_GAP + index * (_BAR_HEIGHT + _BAR_GAP)
        bar_width = int(round(_BAR_WIDTH * count / float(largest)))
        color = _COLORS.get(str(label).replace(" ", "_"), _BAR_COLOR)
        parts.append(
            f'<g data-label="{_text(label)}" data-value="{count}"><title>{_text(label)}: {count}</title>'
            f'<text x="{_LABEL_WIDTH - 8}" y="{top + _BAR_HEIGHT - 6}" text-anchor="end">{_text(label)}</text>'
            f'<rect x="{_LABEL_WIDTH}" y="{top}" width="{max(bar_width, 1 if count else 0)}" height="{_BAR_HEIGHT}" rx="3" fill="{color}"/>'
            f'<text x="{_LABEL_WIDTH + bar_width + 6}" y="{top + _BAR_HEIGHT - 6}">{count}</text></g>'
        )
    parts.append("</svg></figure>")
    return "".join(parts)


def _cell(column, value):
    classes = [f"c-{column}"]
    if isinstance(value, int) and not isinstance(value, bool):
        classes.append("number")
    if column == "outcome":
        classes.append("outcome")
    class_names = " ".join(classes)
    return f'<td class="{_text(class_names)}">{_text(value)}</td>'


def html_text(report):
    """The HTML document of ``report`` (an HtmlReport)."""
    text = io.StringIO()
    write_html(text, report)
    return text.getvalue()


def write_html(stream, report):
    """Write html_text() to ``stream``: the head at once, then the table one row at a time."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(report.title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_text(report.title)}</h1>",
        '<dl class="facts">',
    ]
    parts.extend(f"<dt>{_text(label)}</dt><dd>{_text(value)}</dd>" for label, value in report.facts)
    parts.append("</dl>")
    parts.extend(f"<p>{_text(note)}</p>" for note in report.notes)
    parts.append('<h2>Charts</h2><div class="charts">')
    parts.extend(bar_chart(chart_id, caption, counts) for chart_id, caption, counts in report.charts)
    parts.append("</div>")

    parts.append("<h2>Refunds</h2>")
    if report.refund_requests:
        refunds = len(report.refund_requests)
        refund_ids = ", ".join(str(order_id) for order_id in report.refund_requests)
        parts.append(
            f'<p data-refunds="{refunds}">{refunds} orders were paid from the account balance, which canceling does not '
            f"credit. Ask DigiCert Support for a refund of: {_text(refund_ids)}.</p>"
        )
    else:
        parts.append('<p data-refunds="0">No refund to ask for.</p>')

    parts.append(f"<h2>Orders ({len(report.rows)})</h2>")
    headings = "".join(f"<th>{_text(column)}</th>" for column in report.columns)
    parts.append(f'<div class="table"><table data-rows="{len(report.rows)}"><thead><tr>{headings}</tr></thead><tbody>')
    write = stream.write
    write("\n".join(parts) + "\n")
    columns, row_cells = report.columns, report.row_cells
    for row in report.rows:
        values, result = row_cells(row)
        cells = "".join(_cell(column, value) for column, value in zip(columns, values))
        write(f'<tr class="{_text(result or "")}">{cells}</tr>\n')
    write("</tbody></table></div></body></html>\n")
