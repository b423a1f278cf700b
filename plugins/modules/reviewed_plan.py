#!/usr/bin/python
# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# The documentation of the action plugin plugins/action/reviewed_plan.py, which does all the work on the
# controller; there is no module code to run on a host.

from __future__ import annotations

DOCUMENTATION = r"""
module: reviewed_plan
short_description: Read and verify a reviewed plan of DigiCert order changes before applying it
version_added: 1.1.0
description:
  - A report-only run of the role C(certops.digicert.order_cleanup) or C(certops.digicert.decommission) writes a
    plan next to its report, the exact
    orders it would change, the change planned for each and the listing entry (status and all) it was planned
    from. A person reviews it; an applied run given the plan changes only those orders, each only if a read right
    before the change still calls for the planned change. This action reads such a plan and checks it before the
    applied run sends any request. It exists for the roles; use the roles rather than this action directly.
  - The plan's fingerprint is an HMAC-SHA256 over its canonical JSON, keyed with a key derived one way from the API
    key. A plan that was altered after it was written, or written with another API key, fails. So does a plan made
    for another role or another CertCentral URL, and one older than O(max_age_hours).
  - Every failure says what to do, and comes before any request.
  - It runs on the controller only, changes nothing and sends no request.
author:
  - certops.digicert contributors (@certops)
extends_documentation_fragment:
  - certops.digicert._certcentral.controller_action
options:
  role:
    description: The role applying the plan; a plan made by another role fails.
    type: str
    required: true
    choices: [order_cleanup, decommission]
  path:
    description: The plan file on the controller. Exactly one of O(path) and O(content).
    type: path
  content:
    description:
      - The plan itself, as a dict or its JSON text, for example from the artifacts of an AWX job that ran in
        another execution environment. Exactly one of O(path) and O(content).
    type: raw
  api_url:
    description: The CertCentral URL of the applied run; a plan made for another URL fails.
    type: str
    required: true
  api_key:
    description:
      - The CertCentral API key of the applied run; the plan must have been written with the same key.
      - Give it through C(module_defaults), as the role does, so that it is never among the task's arguments.
    type: str
  max_age_hours:
    description: How old the plan may be, in hours.
    type: int
    default: 72
seealso:
  - module: certops.digicert.digicert_order_cancel
  - module: certops.digicert.order_cleanup_report
"""

EXAMPLES = r"""
- name: Verify the reviewed plan before any request
  certops.digicert.reviewed_plan:
    role: order_cleanup
    path: /srv/reports/order-cleanup-latest.plan.json
    api_url: https://www.digicert.com/services/v2
  module_defaults:
    certops.digicert.reviewed_plan:
      api_key: "{{ digicert_api_key }}"
  register: reviewed
  delegate_to: localhost
  run_once: true

- name: Cancel exactly the reviewed orders that still call for it
  certops.digicert.digicert_order_cancel:
    orders: "{{ reviewed.orders }}"
    note: CHG0012345 abandoned orders
    missing_ok: true
    fail_on_not_cancelable: false
"""

RETURN = r"""
plan:
  description:
    - The verified plan, with C(format), C(version), C(role), C(api_url), C(created_at), C(selection), C(orders)
      (each with C(id), C(change), C(request_id), C(status) and C(entry)) and C(fingerprint).
  returned: success
  type: dict
plan_file:
  description: The path of the plan, or C((<role>_plan_content)) when it came as O(content).
  returned: success
  type: str
  sample: /srv/reports/order-cleanup-20260115T093000Z-report.plan.json
orders:
  description: The listing entries of the plan's orders, for the cancel module's C(orders).
  returned: success
  type: list
  elements: dict
"""
