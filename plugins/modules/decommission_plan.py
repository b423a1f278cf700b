#!/usr/bin/python
# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# The documentation of the action plugin plugins/action/decommission_plan.py, which does all the work on the
# controller; there is no module code to run on a host.

from __future__ import annotations

DOCUMENTATION = r"""
module: decommission_plan
short_description: Plan the decommissioning of hosts - which DigiCert orders to cancel, revoke or leave alone
version_added: 1.1.0
description:
  - Collects the names of the hosts being retired and plans what to do about every order that covers one of them.
    The orders are those given in O(orders) (a reviewed plan's) or, with O(list_orders=true), every order of the
    account, listed by this action itself. It exists for the role C(certops.digicert.decommission); use the role
    rather than this action directly.
  - The names are those of O(play_hosts) (each host's inventory name, or its host variable C(decommission_names)
    when it has one) and of O(hosts). C(localhost) among O(play_hosts) is skipped. Anything that is not a host name
    fails the task before any request.
  - An order covers a name when its common name or a SAN is that name (case and a trailing dot ignored) or a
    wildcard one label above it. Client certificate and Secure Email orders never cover a host.
  - The decision for a covering order is C(cancel) (all names retired, not issued yet), C(revoke) (all names
    retired, issued, O(revoke_issued=true)), C(revoke_not_requested), C(shared) (names a surviving host),
    C(wildcard) (names a wildcard), C(needs_attention) (for example a pending reissue) or C(nothing_to_do)
    (expired, canceled, revoked). What can be done with an order comes from the collection's verdicts.
  - Runs on the controller only, in the process of C(ansible-playbook), and ignores the task's connection. It
    changes nothing. Without O(list_orders=true) it sends no request; with it, the listing is read the way
    M(certops.digicert.digicert_order_info) reads it (pages after the first fetched side by side under the pacing of
    O(rate_limits), every order once), and each order is kept only if it covers a retired name, as soon as its page
    arrives.
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
      - It changes nothing in any mode; with O(list_orders=true) it lists the orders in check mode as well.
  idempotent:
    description: Running the action twice in a row with the same arguments reports no change the second time.
    support: full
    details:
      - It changes nothing.
options:
  play_hosts:
    description:
      - The inventory names of the play's hosts, for example C(ansible_play_hosts_all). A host with the host
        variable C(decommission_names) counts by those names instead.
    type: list
    elements: str
    default: []
  hosts:
    description:
      - More names of hosts being retired. A list, or text with commas.
    type: raw
  orders:
    description:
      - The orders to plan for, as M(certops.digicert.digicert_order_info) returns them; the role gives the orders
        of a reviewed plan here. Without them and without O(list_orders=true), the task only checks and returns the
        names.
      - Not together with O(list_orders=true).
    type: list
    elements: dict
  list_orders:
    description:
      - Whether to list every order of the account and plan for the ones that cover a retired name, with the
        connection options (O(api_key) and the others, usually from C(module_defaults) for
        C(group/certops.digicert.certcentral)).
      - The whole account is listed because CertCentral's C(domain_name) filter matches names exactly and would miss
        the wildcard orders that cover a host. Only the covering orders are kept, so that a large account is never
        held whole.
      - Not together with O(orders).
    type: bool
    default: false
  revoke_issued:
    description: Whether issued orders whose names are all being retired are to be revoked.
    type: bool
    default: false
  max_cancellations:
    description: The most orders the run may cancel; the plan says whether it exceeds it.
    type: int
    default: 50
  max_revocations:
    description: The most orders the run may revoke; the plan says whether it exceeds it.
    type: int
    default: 50
notes:
  - The connection options are those of the modules and are used only with O(list_orders=true); the note above
    about the module running where the task runs means here that the controller needs the Python library
    C(requests) for the listing.
seealso:
  - module: certops.digicert.digicert_order_info
  - module: certops.digicert.digicert_order_cancel
  - module: certops.digicert.digicert_order_revoke
"""

EXAMPLES = r"""
- name: List every order of the account and plan the decommissioning of the play's hosts and web09
  certops.digicert.decommission_plan:
    api_key: "{{ digicert_api_key }}"
    play_hosts: "{{ ansible_play_hosts_all }}"
    hosts: [web09.example.com]
    list_orders: true
    revoke_issued: true
  register: planned
  delegate_to: localhost
  run_once: true

- name: Plan again for orders listed earlier, without printing progress lines or sending a request
  certops.digicert.decommission_plan:
    hosts: [web09.example.com]
    orders: "{{ listing.orders }}"
  register: replanned
  delegate_to: localhost
  run_once: true
"""

RETURN = r"""
names:
  description: The names being retired, normalized (lower case, no trailing dot), each once.
  returned: success
  type: list
  elements: str
  sample: [web01.example.com, web02.example.com]
plan:
  description: The plan, when O(orders) is given or O(list_orders=true).
  returned: when O(orders) is given or O(list_orders=true)
  type: dict
  contains:
    orders:
      description:
        - One entry per covering order, the ones to act on first, each with C(order) (the listing's entry),
          C(decision), C(reason), C(covered_hosts), C(wildcard_covered_hosts), C(surviving_names) and
          C(wildcard_names).
      type: list
      elements: dict
      returned: success
    cancel_orders:
      description: The listing entries of the orders to cancel, for the cancel module's C(orders).
      type: list
      elements: dict
      returned: success
    revoke_orders:
      description:
        - The listing entries of the orders to revoke, for the revoke module's C(orders). With a reviewed plan, each
          carries the C(reviewed_change) a person approved, so that the module makes exactly that change or none.
      type: list
      elements: dict
      returned: success
    revoke_order_ids:
      description: The IDs of the orders to revoke.
      type: list
      elements: int
      returned: success
      sample: [123456]
    cancellations:
      description: How many orders the plan cancels.
      type: int
      returned: success
      sample: 2
    revocations:
      description: How many orders the plan revokes.
      type: int
      returned: success
      sample: 1
    over_limit:
      description: Whether the plan exceeds O(max_cancellations) or O(max_revocations); then nothing may change.
      type: bool
      returned: success
      sample: false
    limit_problems:
      description: One sentence per limit exceeded.
      type: list
      elements: str
      returned: success
      sample: []
    hosts:
      description: The names being retired.
      type: list
      elements: str
      returned: success
    hosts_without_orders:
      description: The names no order names exactly (also those only a wildcard order covers).
      type: list
      elements: str
      returned: success
      sample: [typo01.example.com]
    hosts_under_wildcards_only:
      description: Of RV(plan.hosts_without_orders), those a wildcard order covers.
      type: list
      elements: str
      returned: success
      sample: [typo01.example.com]
"""
