#!/usr/bin/python
# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# The documentation of the action plugin plugins/action/order_cleanup_selection.py, which does all the work on the
# controller; there is no module code to run on a host.

from __future__ import annotations

DOCUMENTATION = r"""
module: order_cleanup_selection
short_description: Find the abandoned DigiCert orders of a cleanup, set the excluded ones aside and count the changes due
version_added: 1.1.0
description:
  - Lists the orders in the statuses of O(status) that were created more than O(older_than_days) days ago (of the
    products in O(product_name_id) and the containers in O(container_ids), when given), or takes the orders of a
    reviewed plan (O(orders)) without listing anything. Sets aside the orders of O(exclude_order_ids) and counts
    how many of the others the listing's verdicts foresee a change for. It exists for the role
    C(certops.digicert.order_cleanup), which hands RV(candidates) to M(certops.digicert.digicert_order_cancel) batch
    by batch; use the role rather than this action directly.
  - The listing is the one M(certops.digicert.digicert_order_info) makes with the same O(status), O(older_than_days)
    and O(product_name_id), once per container of O(container_ids) (pages after the first fetched side by side
    under the pacing of O(rate_limits), every order once), without details.
  - A change is due for an order whose C(cancel_verdict.action) is C(cancel); also C(reject_request) when O(status)
    holds C(needs_approval), and C(cancel_reissue) when it holds C(reissue_pending). The cancel module decides again
    on a read of each order right before it changes it.
  - Runs on the controller only, in the process of C(ansible-playbook), and ignores the task's connection. It
    changes nothing.
author:
  - certops.digicert contributors (@certops)
extends_documentation_fragment:
  - certops.digicert._certcentral.controller_action
  - certops.digicert._certcentral
  - certops.digicert._certcentral.actiongroup_certcentral
  - certops.digicert._certcentral.progress
attributes:
  check_mode:
    details:
      - It changes nothing in any mode; it lists the orders in check mode as well.
  idempotent:
    description: Running the action twice in a row with the same arguments reports no change the second time.
    support: full
    details:
      - It changes nothing.
options:
  status:
    description:
      - The statuses of the orders to clean up, at least one. With O(orders), they only decide which changes are
        counted as due.
    type: list
    elements: str
    required: true
    choices: [pending, waiting_pickup, needs_approval, reissue_pending]
  older_than_days:
    description:
      - Only orders created more than this many days ago. Not used with O(orders).
    type: int
    default: 30
  product_name_id:
    description:
      - Only orders of these products (for example V(ssl_basic)); empty for any product. Not used with O(orders).
    type: list
    elements: str
    default: []
  container_ids:
    description:
      - Only orders of these containers (divisions), each listed on its own; empty for the whole account. Not used
        with O(orders).
    type: list
    elements: int
    default: []
  orders:
    description:
      - The orders of a reviewed plan, as the action M(certops.digicert.reviewed_plan) returns them; then nothing is
        listed and no request is sent.
    type: list
    elements: dict
  exclude_order_ids:
    description:
      - The IDs of orders to leave alone. They stay in RV(found) and are left out of RV(candidates).
    type: list
    elements: int
    default: []
  max_cancellations:
    description:
      - The most changes an applied run may make; RV(over_limit) says whether more are due.
    type: int
    default: 50
notes:
  - The connection options are those of the modules and are used only when O(orders) is not given; the note above
    about the module running where the task runs means here that the controller needs the Python library
    C(requests) for the listing.
seealso:
  - module: certops.digicert.digicert_order_info
  - module: certops.digicert.digicert_order_cancel
"""

EXAMPLES = r"""
- name: Find the pending orders older than 60 days, except two, and count the changes due
  certops.digicert.order_cleanup_selection:
    api_key: "{{ digicert_api_key }}"
    status: [pending, waiting_pickup]
    older_than_days: 60
    exclude_order_ids: [1003380, 1003541]
    max_cancellations: 100
  register: cleanup
  delegate_to: localhost
  run_once: true

- name: Cancel the candidates, unless more are due than allowed
  certops.digicert.digicert_order_cancel:
    api_key: "{{ digicert_api_key }}"
    orders: "{{ cleanup.candidates }}"
    note: Abandoned order, canceled by the cleanup of change CHG0042.
    missing_ok: true
  when: not cleanup.over_limit
  delegate_to: localhost
  run_once: true
"""

RETURN = r"""
found:
  description:
    - Every order listed (or given in O(orders)), by ascending ID, as M(certops.digicert.digicert_order_info) returns
      them, with their C(cancel_verdict); the excluded ones too.
  returned: success
  type: list
  elements: dict
candidates:
  description: The orders of RV(found) not in O(exclude_order_ids), by ascending ID, for the cancel module's C(orders).
  returned: success
  type: list
  elements: dict
due_count:
  description: How many of RV(candidates) the listing's verdicts foresee a change for.
  returned: success
  type: int
  sample: 12
over_limit:
  description: Whether RV(due_count) is more than O(max_cancellations); an applied run of the role stops before its first batch then.
  returned: success
  type: bool
  sample: false
"""
