#!/usr/bin/python
# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# The documentation of the action plugin plugins/action/order_cleanup_report.py, which does all the work on the
# controller; there is no module code to run on a host.

from __future__ import annotations

DOCUMENTATION = r"""
module: order_cleanup_report
short_description: Write the report of the order_cleanup, decommission or order_report role
version_added: 1.0.0
description:
  - Builds the report of a run of a role and writes it to O(report_dir). O(report) says which; the name of the action
    is the one 1.0.0 shipped for the role C(certops.digicert.order_cleanup), which stays the default.
  - V(order_cleanup) - from the orders the listing found and the records of the batches (O(found_orders),
    O(batches), O(selection), ...).
  - V(decommission) - from the plan of M(certops.digicert.decommission_plan) (O(plan)) and what the cancel and revoke
    modules returned (O(cancel_result), O(revoke_result)); one row per order that covers a retired host.
  - V(order_report) - from the orders of a listing (O(found_orders), O(filters)); one row per order with its cancel
    verdict.
  - It exists for the roles, which call it once at the end of every run; its options are the roles' data. Use the
    roles rather than this action directly.
  - It runs on the controller only, in the process of C(ansible-playbook). It sends no module to any host and ignores
    the task's connection. O(report_dir) is a path on the controller.
  - Writes four files, named C(order-cleanup-<UTC time>-<mode>.json), C(.csv), C(.md) and C(.html) (C(decommission-<UTC
    time>-<mode>.*) and C(order-report-<UTC time>.*) for the other reports), and points the links
    C(order-cleanup-latest.json), C(.csv), C(.md) and C(.html) (C(decommission-latest.*), C(order-report-latest.*))
    at them. A report-only run of O(report=order_cleanup) or O(report=decommission) with O(api_key) writes the
    reviewed plan C(order-cleanup-<UTC time>-report.plan.json) (C(decommission-<UTC time>-report.plan.json)) as well,
    with its link C(order-cleanup-latest.plan.json) (C(decommission-latest.plan.json)).
    Each file is written to a temporary file in
    O(report_dir) and renamed into place, and each link replaced in one rename, so that a reader never sees a partial
    report.
  - The JSON file holds the run (time, mode, API URL, selection, note, limits), the summary, the batches without their
    entries, and one row per order found. The CSV file holds the same rows, every field quoted, control characters
    (a leading NUL among them) removed; a field that a spreadsheet would run as a formula (it starts, after any
    spaces, with C(=), C(+), C(-), C(@), their full-width forms, a tab or a carriage return) gets a leading C(').
    The Markdown file is a short summary to attach to a change record; every value from CertCentral in it is
    escaped, so that it cannot add HTML, a link, emphasis or a line break, nor end a table cell.
  - The HTML file opens in any browser, offline. It fetches nothing (inline style, charts as inline SVG, no script,
    a Content-Security-Policy that forbids loading anything) and escapes every value from CertCentral. It shows the
    run, charts of the orders by status, age and outcome and of what the run changed, the refunds to ask for, and
    every order.
  - The files are created readable by their owner only (C(0600), or less as the umask says). A new O(report_dir) is
    created C(0700); an existing one keeps its mode.
  - The task never reports a change, so that a second applied run of the role reports none. It takes no API key and
    writes none.
author:
  - certops.digicert contributors (@certops)
extends_documentation_fragment:
  - certops.digicert._certcentral.controller_action
attributes:
  check_mode:
    details:
      - The report is written in check mode too. It changes nothing in CertCentral, and it is what a check-mode run of
        the role is for.
options:
  report:
    description:
      - Which role's report to write.
    type: str
    choices: [order_cleanup, decommission, order_report]
    default: order_cleanup
    version_added: 1.1.0
  mode:
    description:
      - How the role ran. V(report) - with C(order_cleanup_apply=false); V(check) - applied in check mode;
        V(apply) - applied.
      - It goes into the file names. In V(apply) mode, a planned change that was not made (its batch stopped before
        changing anything) is reported as C(not_attempted) and counted as failed.
    type: str
    choices: [report, check, apply]
  prepare_only:
    description:
      - If V(true), only create O(report_dir) if needed and make sure a file can be written there; write no report.
        The role does this before it sends any request, so that a report that cannot be written is found out before
        any order is canceled.
      - If V(false), O(mode), O(found_orders), O(batches), O(selection), O(max_cancellations), O(batch_size) and
        O(api_url) are required for O(report=order_cleanup); O(mode), O(plan), O(max_cancellations),
        O(max_revocations) and O(api_url) for O(report=decommission); O(found_orders), O(filters) and O(api_url) for
        O(report=order_report).
    type: bool
    default: false
  report_dir:
    description:
      - The directory on the controller to write the report to. It is created if needed, readable by its owner only.
      - A relative path is taken from the directory C(ansible-playbook) was started in.
    type: path
    required: true
  found_orders:
    description:
      - The orders the listing found, as M(certops.digicert.digicert_order_info) returns them in RV(certops.digicert.digicert_order_info#module:orders).
        Each needs an integer C(id); the rows also take C(common_name), C(product_name_id), C(container_id),
        C(date_created), C(age_days) and C(status) from it.
      - The report has one row per order found, in this order.
    type: list
    elements: dict
  batches:
    description:
      - The record of each batch the role handed to M(certops.digicert.digicert_order_cancel), in the order they ran.
      - An order found that is neither excluded nor in a batch is reported as C(failed).
    type: list
    elements: dict
    suboptions:
      number:
        description: The batch's number, from 1.
        type: int
        required: true
      order_ids:
        description: The IDs of the orders handed to the batch.
        type: list
        elements: int
        required: true
      failed:
        description: Whether the batch's task failed.
        type: bool
        default: false
      message:
        description: Why the batch failed, when it did.
        type: str
      summary:
        description: The module's RV(certops.digicert.digicert_order_cancel#module:summary), or empty.
        type: dict
        default: {}
      changes:
        description: How many changes the batch made.
        type: int
        default: 0
      orders:
        description:
          - The module's entries for the batch's orders (RV(certops.digicert.digicert_order_cancel#module:orders)),
            each with an integer C(id) and an C(outcome). Empty when the batch failed before it reported on them.
        type: list
        elements: dict
        default: []
  selection:
    description: Which orders the role looked for, as the report states it.
    type: dict
    suboptions:
      statuses:
        description: The statuses listed.
        type: list
        elements: str
        required: true
      older_than_days:
        description: The age limit in days.
        type: int
        required: true
      product_name_ids:
        description: The products listed; empty for every product.
        type: list
        elements: str
        default: []
      container_ids:
        description: The containers listed; empty for every container.
        type: list
        elements: int
        default: []
      exclude_order_ids:
        description: The orders never to touch. A found order listed here is reported as C(excluded).
        type: list
        elements: int
        default: []
  note:
    description: The note of the cancellations; empty when there is none.
    type: str
    default: ''
  max_cancellations:
    description:
      - The most changes one applied run may make. In V(report) and V(check) mode, the summary says whether an
        applied run would stop at it (RV(summary.over_limit)).
    type: int
  batch_size:
    description: How many orders each batch handled.
    type: int
  api_url:
    description: The CertCentral API the run used. The report names it; nothing is sent there.
    type: str
  generated_at:
    description:
      - The time of the report, in UTC, written as C(YYYY-MM-DDTHH:MM:SSZ). It goes into the file names and the
        reports.
      - Defaults to now.
    type: str
  api_key:
    description:
      - For O(report=order_cleanup) and O(report=decommission) in O(mode=report), the CertCentral API key that
        signs the reviewed plan the run writes (see M(certops.digicert.reviewed_plan)). Without it, no plan is
        written.
      - Give it through C(module_defaults), as the role does, so that it is never among the task's arguments. It
        is written nowhere; the plan's fingerprint does not reveal it.
    type: str
    version_added: 1.1.0
  reviewed_plan:
    description:
      - For O(report=order_cleanup) and O(report=decommission) in O(mode=apply) or O(mode=check), the verified plan
        the run applied (RV(certops.digicert.reviewed_plan#module:plan)). An order of it that the module did not
        change because it no longer called for the planned change is reported as C(changed_since_review).
    type: dict
    version_added: 1.1.0
  reviewed_plan_file:
    description: Where O(reviewed_plan) came from, for the report.
    type: str
    version_added: 1.1.0
  plan:
    description:
      - For O(report=decommission), the RV(certops.digicert.decommission_plan#module:plan) of the run.
    type: dict
    version_added: 1.1.0
  cancel_result:
    description:
      - For O(report=decommission), what M(certops.digicert.digicert_order_cancel) returned for the orders of the plan
        to cancel (its failed result too); empty when it did not run.
    type: dict
    default: {}
    version_added: 1.1.0
  revoke_result:
    description:
      - For O(report=decommission), what M(certops.digicert.digicert_order_revoke) returned for the orders of the plan
        to revoke (its failed result too); empty when it did not run.
    type: dict
    default: {}
    version_added: 1.1.0
  revoke_issued:
    description: For O(report=decommission), whether issued orders were to be revoked.
    type: bool
    default: false
    version_added: 1.1.0
  skip_approval:
    description: For O(report=decommission), whether revocations skipped the approval.
    type: bool
    default: false
    version_added: 1.1.0
  max_revocations:
    description: For O(report=decommission), the most orders one run may revoke.
    type: int
    version_added: 1.1.0
  filters:
    description: For O(report=order_report), the listing's filters as the report states them.
    type: dict
    version_added: 1.1.0
    suboptions:
      statuses:
        description: The statuses listed; empty for every status.
        type: list
        elements: str
        default: []
      older_than_days:
        description: The age limit in days; 0 for any age.
        type: int
        default: 0
      product_name_ids:
        description: The products listed; empty for every product.
        type: list
        elements: str
        default: []
      container_id:
        description: The container listed; empty for every container.
        type: str
  details:
    description: For O(report=order_report), whether the orders were read with their requests and payment method.
    type: bool
    default: false
    version_added: 1.1.0
  oldest:
    description: For O(report=order_report), how many of the oldest actionable orders the Markdown summary lists.
    type: int
    default: 20
    version_added: 1.1.0
seealso:
  - module: certops.digicert.digicert_order_info
  - module: certops.digicert.digicert_order_cancel
"""

EXAMPLES = r"""
# The role's first step after checking its variables (roles/order_cleanup/tasks/validate.yml).
- name: Create the report directory, also in check mode
  certops.digicert.order_cleanup_report:
    report_dir: "{{ __order_cleanup_report_dir }}"
    prepare_only: true

# The role's call, at the end of every run (roles/order_cleanup/tasks/report.yml).
- name: Write the report files and point the latest links at them
  certops.digicert.order_cleanup_report:
    mode: "{{ __order_cleanup_mode }}"
    report_dir: "{{ __order_cleanup_report_dir }}"
    found_orders: "{{ __order_cleanup_found }}"
    batches: "{{ __order_cleanup_batches }}"
    selection:
      statuses: "{{ __order_cleanup_statuses }}"
      older_than_days: "{{ __order_cleanup_older_than_days }}"
      product_name_ids: "{{ __order_cleanup_product_name_ids }}"
      container_ids: "{{ __order_cleanup_container_ids }}"
      exclude_order_ids: "{{ __order_cleanup_exclude_order_ids }}"
    note: "{{ __order_cleanup_note }}"
    max_cancellations: "{{ __order_cleanup_max_cancellations }}"
    batch_size: "{{ __order_cleanup_batch_size }}"
    api_url: "{{ order_cleanup_api_url }}"
  register: __order_cleanup_report

- name: Show where the Markdown summary is
  ansible.builtin.debug:
    msg: "Report: {{ __order_cleanup_report.report_files.md }}"
"""

RETURN = r"""
report_dir:
  description: The directory that was prepared.
  returned: when O(prepare_only=true)
  type: str
  sample: /srv/reports/order-cleanup
messages:
  description: For O(report=decommission) and O(report=order_report), the lines the role shows at the end of a run.
  returned: when O(report) is V(decommission) or V(order_report)
  type: list
  elements: str
  version_added: 1.1.0
rows:
  description:
    - One row per order found, in the order of O(found_orders); the CSV file has the same rows.
    - The columns below are those of O(report=order_cleanup). For O(report=decommission) they are C(order_id),
      C(common_name), C(dns_names), C(product), C(status_before), C(status_after), C(decision), C(outcome),
      C(result), C(reason), C(covered_hosts), C(wildcard_covered_hosts), C(surviving_names), C(wildcard_names) and
      C(refund_hint); for O(report=order_report) C(order_id), C(common_name), C(dns_names), C(product),
      C(container_id), C(status), C(date_created), C(age_days), C(cancelable), C(action), C(reason), C(refund_hint)
      and C(payment_method).
  returned: unless O(prepare_only=true)
  type: list
  elements: dict
  contains:
    order_id:
      description: The order ID.
      type: int
      returned: success
      sample: 123456
    common_name:
      description: The common name, from the listing.
      type: str
      returned: success
      sample: www.example.com
    product:
      description: The product name ID, from the listing.
      type: str
      returned: success
      sample: ssl_basic
    container_id:
      description: The container ID, from the listing.
      type: int
      returned: success
      sample: 5
    date_created:
      description: When the order was created, from the listing.
      type: str
      returned: success
      sample: "2026-01-15T09:30:00+00:00"
    age_days:
      description: The order's age in whole days, from the listing.
      type: int
      returned: success
      sample: 42
    status_before:
      description: The status when the cancel module first read the order; without its entry, the listed status.
      type: str
      returned: success
      sample: pending
    status_after:
      description:
        - The status after the run, as far as it is known; the listed status of an excluded order, V(null) when unknown.
      type: str
      returned: success
      sample: canceled
    outcome:
      description:
        - The outcome the cancel module reported (RV(certops.digicert.digicert_order_cancel#module:orders[].outcome));
          V(excluded) for an order in O(selection.exclude_order_ids); V(failed) for an order whose batch failed before
          it reported on it; V(not_attempted) for a planned change an applied run did not make because its batch
          stopped before changing anything.
      type: str
      returned: success
      sample: canceled
    result:
      description:
        - V(changed) for a change made, V(would_change) for a change planned in V(report) or V(check) mode,
          V(failed) for outcomes V(failed) and V(not_attempted), V(skipped) for all others.
      type: str
      returned: success
      choices: [changed, would_change, skipped, failed]
      sample: changed
    reason:
      description: The module's sentence about the order, or why the role did not hand it over or hear back.
      type: str
      returned: success
      sample: "Order 123456 was canceled (it was pending); the note is in the CertCentral audit log."
    refund_hint:
      description: For an order paid from the account balance, the sentence saying to ask DigiCert Support for a refund.
      type: str
      returned: success
      sample: null
    batch:
      description: The number of the order's batch; V(null) for an order in no batch.
      type: int
      returned: success
      sample: 1
summary:
  description:
    - The run in numbers. The keys below are those of O(report=order_cleanup); O(report=decommission) and
      O(report=order_report) give their own counts (results, outcomes, hosts without orders, limit problems; orders
      by status and by verdict).
  returned: unless O(prepare_only=true)
  type: dict
  contains:
    found:
      description: How many orders were found (rows).
      type: int
      returned: success
      sample: 25
    results:
      description: How many rows have each RV(rows[].result); every result is a key.
      type: dict
      returned: success
      sample: {changed: 23, would_change: 0, skipped: 2, failed: 0}
    outcomes:
      description: How many rows have each RV(rows[].outcome) that occurs, by outcome name in alphabetical order.
      type: dict
      returned: success
      sample: {canceled: 23, excluded: 2}
    refund_requests:
      description: The IDs of the orders changed or to change that carry a refund hint.
      type: list
      elements: int
      returned: success
      sample: [123456]
    failed_batches:
      description: The numbers of the batches that failed.
      type: list
      elements: int
      returned: success
      sample: []
    over_limit:
      description:
        - In V(report) and V(check) mode, whether more changes are planned than O(max_cancellations) allows, so that
          an applied run would stop before its first batch. Always V(false) in V(apply) mode.
      type: bool
      returned: success
      sample: false
report_files:
  description: The paths of the report files written, by format. The C(order-cleanup-latest.*) links point at them.
  returned: unless O(prepare_only=true)
  type: dict
  contains:
    json:
      description: The JSON file.
      type: str
      returned: success
      sample: /srv/reports/order-cleanup-20260115T093000Z-apply.json
    csv:
      description: The CSV file.
      type: str
      returned: success
      sample: /srv/reports/order-cleanup-20260115T093000Z-apply.csv
    md:
      description: The Markdown file.
      type: str
      returned: success
      sample: /srv/reports/order-cleanup-20260115T093000Z-apply.md
    html:
      description:
        - The HTML file, self-contained (inline style and SVG charts, no script, nothing fetched).
      type: str
      returned: success
      sample: /srv/reports/order-cleanup-20260115T093000Z-apply.html
      version_added: 1.1.0
    plan:
      description: The reviewed plan, written by O(report=order_cleanup) or O(report=decommission) in O(mode=report)
        with O(api_key).
      type: str
      returned: when a plan was written
      sample: /srv/reports/order-cleanup-20260115T093000Z-report.plan.json
      version_added: 1.1.0
plan:
  description:
    - The reviewed plan written, as in the file (RV(certops.digicert.reviewed_plan#module:plan) describes it); null
      when none was.
  returned: unless O(prepare_only=true)
  type: dict
  version_added: 1.1.0
plan_file:
  description: The reviewed plan written (also RV(report_files.plan)); null when none was.
  returned: unless O(prepare_only=true)
  type: str
  sample: /srv/reports/order-cleanup-20260115T093000Z-report.plan.json
  version_added: 1.1.0
"""
