#!/usr/bin/python
# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# The documentation of the action plugin plugins/action/digicert_order_report.py, which does all the work on the
# controller; there is no module code to run on a host.

from __future__ import annotations

DOCUMENTATION = r"""
module: digicert_order_report
short_description: List DigiCert CertCentral orders and write an inventory report of them with their cancel verdicts
version_added: 1.1.0
description:
  - Lists the orders of a CertCentral account that match the filters, the way M(certops.digicert.digicert_order_info)
    does, and writes one row per order with its cancel verdict to O(report_dir) as C(order-report-<UTC time>.json),
    C(.csv) and C(.md); then points the links C(order-report-latest.*) at them. Nothing is changed in CertCentral.
  - It is the listing and report of the role C(certops.digicert.order_report) in one step. The orders do not come
    back in the result, only counts and the paths of the files, so that an account of tens of thousands of orders is
    reported in seconds and in little memory. Use M(certops.digicert.digicert_order_info) to work with the orders in
    a playbook.
  - Runs on the controller only, in the process of C(ansible-playbook), and ignores the task's connection. The API is
    called from the controller, and O(report_dir) is a path on the controller.
  - Each order is reduced to the fields of the report as soon as its page arrives. The listing is read as
    M(certops.digicert.digicert_order_info) reads it (pages after the first fetched side by side under the pacing of
    O(rate_limits), overlapping pages, every order once) and the files are written once it is complete, so that an
    order the account moved while it was read appears once, with its newest data.
  - Values from CertCentral are escaped for each format, and the files are readable by their owner only.
author:
  - certops.digicert contributors (@certops)
extends_documentation_fragment:
  - certops.digicert._certcentral
  - certops.digicert._certcentral.attributes
  - certops.digicert._certcentral.info_module
  - certops.digicert._certcentral.actiongroup_certcentral
  - certops.digicert._certcentral.progress
options:
  status:
    description:
      - Only orders with one of these statuses; one listing is requested per value.
      - V(needs_approval) and V(expired) are not CertCentral filters; asking for either lists all orders and keeps the
        matching ones.
    type: list
    elements: str
    choices: [pending, waiting_pickup, reissue_pending, issued, canceled, rejected, revoked, needs_approval, expired]
  product_name_id:
    description: Only orders of these products, for example V(ssl_basic); one listing is requested per value.
    type: list
    elements: str
  container_id:
    description: Only orders of this container (division), as CertCentral matches it.
    type: int
  older_than_days:
    description:
      - Only orders created more than this many days ago. Orders whose creation date cannot be read are left out.
    type: int
  details:
    description:
      - Read each listed order again with order info, so that the verdicts see requests awaiting approval and refund
        hints appear. Costs one request per order.
    type: bool
    default: false
  report_dir:
    description:
      - The directory on the controller for the report files; created readable by its owner only if needed.
      - It is checked before the first request, so that a report that cannot be written costs no listing.
    type: path
    required: true
  oldest:
    description: How many of the oldest orders that need an action the Markdown summary lists.
    type: int
    default: 20
  progress:
    description:
      - >-
        Whether to print how far the reads have come while they run, at the default verbosity, for example
        C(certops.digicert: read 400 of 1,153 orders) while listing and C(certops.digicert: read details of 400 of
        1,153 orders) while reading each order with O(details=true).
      - A line is printed every O(progress_interval) seconds at most, none before the first interval has passed, and
        a last one when a read that printed has ended; a run that takes less time prints none. The lines hold counts
        only, never the key or anything of an order.
      - >-
        No order arrives while the run waits for the rate limits (O(rate_limits)): with O(details=true), the detail
        reads of more than 1,000 orders fill DigiCert's window of 1,000 requests per 180 seconds in under a minute and
        then wait more than two minutes. A wait of at least O(progress_interval) seconds is told when it begins,
        whatever the last line, for example C(certops.digicert: waiting 135 s for the rate limit of 1,000 requests per
        180 s; read details of 996 of 1,153 orders so far); the workers that wait together print one line between
        them.
      - In AWX or AWX-based controllers the lines appear in the job's output, between the task's name and its result.
      - Set to V(false) to keep the output to the task's result.
    type: bool
    default: true
notes:
  - The connection options are those of the modules; the note above about the module running where the task runs
    means here that the controller needs the Python library C(requests).
seealso:
  - module: certops.digicert.digicert_order_info
  - module: certops.digicert.order_cleanup_report
"""

EXAMPLES = r"""
- name: Write an inventory of the pending orders
  certops.digicert.digicert_order_report:
    api_key: "{{ digicert_api_key }}"
    status:
      - pending
      - waiting_pickup
    report_dir: /srv/reports/digicert
  register: inventory

- name: Say where the report is and how many orders it has
  ansible.builtin.debug:
    msg: "{{ inventory.messages }}"
"""

RETURN = r"""
count:
  description: The number of orders in the report.
  returned: success
  type: int
  sample: 20000
summary:
  description: The counts of the report, as its JSON file has them.
  returned: success
  type: dict
  contains:
    orders:
      description: The number of orders.
      type: int
      returned: success
      sample: 20000
    statuses:
      description: The number of orders by status.
      type: dict
      returned: success
      sample: {pending: 2250, issued: 14000}
    verdicts:
      description: The number of orders by verdict (the C(cancel_verdict.action) of M(certops.digicert.digicert_order_info)).
      type: dict
      returned: success
      sample: {cancel: 3000, none: 3000, revoke: 14000}
    actionable:
      description: The number of orders that can be canceled, or need their request rejected or their reissue canceled.
      type: int
      returned: success
      sample: 3000
    oldest_actionable:
      description: The IDs of the O(oldest) oldest actionable orders, oldest first.
      type: list
      elements: int
      returned: success
      sample: [1001, 1002]
    refund_hints:
      description: The number of orders with a refund hint (only with O(details=true)).
      type: int
      returned: success
      sample: 0
report_files:
  description: The paths of the files written, by extension.
  returned: success
  type: dict
  sample:
    json: /srv/reports/digicert/order-report-20260115T093000Z.json
    csv: /srv/reports/digicert/order-report-20260115T093000Z.csv
    md: /srv/reports/digicert/order-report-20260115T093000Z.md
messages:
  description: The lines the role shows at the end of a run.
  returned: success
  type: list
  elements: str
  sample:
    - "20000 orders. By verdict: 3000 cancel, 3000 none, 14000 revoke."
    - "Report: /srv/reports/digicert/order-report-20260115T093000Z.md, .csv and .json (and order-report-latest.* in
      the same directory)."
"""
