# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""What a cancel or revoke run returns: the order entries, the summary by outcome, the counts by result, and the
diff."""

from __future__ import annotations

from .report_format import RESULTS, result_of


def summarize(outcomes, all_outcomes):
    """A count for every name of ``all_outcomes``, zero included, so that each key always exists."""
    summary = dict((outcome, 0) for outcome in all_outcomes)
    for outcome in outcomes:
        summary[outcome] += 1
    return summary


def count_results(outcomes, change_outcomes, would_change_outcomes):
    """The module's ``<result>_count`` keys (``changed_count``, ``would_change_count``, ``skipped_count``,
    ``failed_count``): how many ``outcomes`` fall into each result, sorted the way the reports sort them
    (report_format.result_of), so that a new outcome is counted without anyone adding it up by name."""
    counts = dict((f"{result}_count", 0) for result in RESULTS)
    for outcome in outcomes:
        counts[f"{result_of(outcome, change_outcomes, would_change_outcomes)}_count"] += 1
    return counts


def build_diff(records, check_mode, predict):
    """The ``diff`` of a run: each order's status (and that of the request a change concerns) before and after.

    ``records`` are dicts with ``id``, ``common_name``, ``status_before``, ``status``, ``outcome`` and, when a request
    is involved, ``request_id``, ``request_status_before`` and ``request_status``; a request that did not exist
    before the run (no status before) appears on the after side only. In check mode the after side is ``predict(state, outcome)``:
    what the planned change would leave behind. Orders are keyed by their ID as text, in the order given. When the
    order's ``common_name`` is known, both sides carry it: Ansible's diff output sorts keys, so it shows right under the
    ID, and a reader of ``--diff`` sees which certificate each change is about.
    """
    before, after = {}, {}
    for record in records:
        named = dict(common_name=record["common_name"]) if record.get("common_name") is not None else {}
        old = dict(named, status=record["status_before"])
        new = dict(named, status=record["status"])
        if record.get("request_id") is not None:
            if record.get("request_status_before") is not None:
                old["request"] = dict(id=record["request_id"], status=record["request_status_before"])
            new["request"] = dict(id=record["request_id"], status=record.get("request_status"))
        if check_mode:
            new = predict(new, record["outcome"])
        key = str(record["id"])
        before[key] = old
        after[key] = new
    return dict(before=dict(orders=before), after=dict(orders=after))


class RunReport:
    """What a run returns: the order entries, the summary, the counts by result (see count_results), whether anything
    changed, the diff, and why it failed if it did."""

    def __init__(self, orders, summary, counts, changed, diff, failure):
        self.orders = orders
        self.summary = summary
        self.counts = counts
        self.changed = changed
        self.diff = diff
        self.failure = failure
