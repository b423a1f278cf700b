#!/usr/bin/python
# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: digicert_order_revoke
short_description: Revoke the certificates of issued DigiCert CertCentral orders, safely and in bulk
version_added: 1.0.0
description:
  - Revokes every certificate of one or many issued CertCentral orders, duplicates and reissues included, for example
    when the hosts or people they were issued for are decommissioned. An issued certificate cannot be canceled; use
    M(certops.digicert.digicert_order_cancel) for orders that DigiCert has not issued yet.
  - Without O(skip_approval), CertCentral creates a revoke request per order that an approver must approve; the order
    stays C(issued) until then. With O(skip_approval), an administrator's key sends the revocation straight to
    DigiCert, without an approval step.
  - DigiCert carries out a revocation as a step of its own, so an order may still read C(issued) right after
    CertCentral accepted it (often with an approved revoke request). Such an order is reported as
    V(revocation_submitted), a change made; a later run reports it V(revocation_in_progress) and sends nothing until
    it reads C(revoked), and then V(already_revoked). O(wait_timeout) makes the run wait for DigiCert instead.
  - Revoking cannot be undone. Revoking every certificate of an order, as this module does, revokes the order, and
    DigiCert refunds it if it is eligible for a refund; revoking a single certificate of an order refunds nothing. The
    module therefore works in two phases. First it reads every order
    and decides, with its revoke verdict, what it would do. If any order stops the run (an unknown ID, an order that
    cannot be revoked, a read that failed), if more orders would be revoked than O(max_revocations) allows, or if the
    API key is restricted to C(View Only), the task fails with every order's entry and nothing is changed. Only then
    does it act, order by order.
  - Right before acting on an order it reads the order again, and it acts only if that read still calls for exactly
    the change that was planned. An order that changed meanwhile is reported, never acted on by a different rule.
  - An order with a pending reissue is never touched, because CertCentral does not allow revoking a certificate while
    a reissue is pending. Cancel the reissue first (M(certops.digicert.digicert_order_cancel) with
    O(certops.digicert.digicert_order_cancel#module:cancel_reissue=true)), then revoke.
  - Orders already revoked, orders whose revoke request awaits approval, orders whose revocation DigiCert is carrying
    out, and orders with nothing to revoke (canceled, rejected or expired) are reported and left alone, without error,
    so running the same task again changes nothing.
  - Orders are read and changed by a few parallel workers, paced under the rate limits of the API key (see
    O(rate_limits)). A normal run sends two reads and one change per order, plus one request to check the key's role;
    with O(skip_approval) it reads each revoked order back once more, because DigiCert does not document the status
    that revoking leaves, and with O(wait_timeout) once per O(wait_interval) while it waits.
author:
  - certops.digicert contributors (@certops)
extends_documentation_fragment:
  - certops.digicert._certcentral
  - certops.digicert._certcentral.attributes
  - certops.digicert._certcentral.actiongroup_certcentral
attributes:
  check_mode:
    support: full
    details:
      - In check mode every order is read and planned exactly as in a real run, including the checks that make a
        real run fail, and nothing is changed. RV(orders[].outcome) names the change that would be made, V(would_revoke)
        or V(would_request_revoke).
      - O(skip_approval) needs an administrator. When C(GET /user/me) shows that the key's user is not one, the orders
        are V(not_revocable) in check mode as in a real run. When it does not show the user's roles, check mode plans
        V(would_revoke) and CertCentral decides in a real run.
  diff_mode:
    support: full
    details:
      - The diff shows the status of each order before and after, and the revoke request a run created or found
        pending (in check mode, what the planned changes would leave behind; a request yet to be created has no ID).
      - Orders are keyed by their ID; each carries its certificate's C(common_name) when known, so that
        C(--check --diff) shows which certificate each change is about, right under its ID.
  idempotent:
    support: full
    details:
      - A second run reports the orders of the first as V(already_revoked) or, while their revoke requests await
        approval, V(revoke_already_requested), or, while DigiCert is still carrying out their revocation,
        V(revocation_in_progress), unchanged.
options:
  order_id:
    description:
      - The ID of the one order to revoke.
      - Exactly one of O(order_id), O(order_ids) and O(orders) is required.
    type: int
  order_ids:
    description:
      - The IDs of the orders to revoke, each at most once. Results come back in the same order.
      - The orders found by M(certops.digicert.digicert_order_info) feed in directly, for example
        C("{{ found.orders | map(attribute='id') | list }}").
      - An empty list is valid and changes nothing, so a listing that found no orders does not need a guard.
      - Exactly one of O(order_id), O(order_ids) and O(orders) is required.
    type: list
    elements: int
  orders:
    description:
      - The orders to revoke as M(certops.digicert.digicert_order_info) returned them (its RV(orders) list), each at
        most once, for example C("{{ found.orders }}"), as M(certops.digicert.digicert_order_cancel) takes them.
        Results come back in the same order.
      - Each entry needs C(id) and C(status); C(common_name) names the order in the results when it cannot be read;
        other keys are ignored. An entry that is not an order entry is refused before any request.
      - An entry of a reviewed plan also carries C(reviewed_change), the change a person approved (C(outcome), such
        as V(would_revoke), and C(request_id)); the order is then changed only if its plan is exactly that change,
        and otherwise reported as V(not_revocable) and left alone.
      - Every order is read before it is planned, as with O(order_ids), since whether it may be revoked depends on its
        requests (a revoke request awaiting approval, a revocation in progress), which a listing does not show.
      - An empty list is valid and changes nothing.
      - Exactly one of O(order_id), O(order_ids) and O(orders) is required.
    type: list
    elements: dict
    version_added: 1.1.0
  comments:
    description:
      - Why the certificates are revoked, sent as the C(comments) of the revocation. The approver of a revoke request
        reads them, and they stay with the request.
      - O(note) is an alias, the word M(certops.digicert.digicert_order_cancel) uses, so that either word works in
        both modules.
      - With O(skip_approval), DigiCert creates no request and does not store the comments.
      - Surrounding whitespace is removed. They must not be empty and may be at most 1000 characters long (a limit of
        this module; DigiCert documents none).
      - Text. A number is taken as its text (an unquoted ticket number in YAML); a list or a mapping is refused
        before any request, rather than sent as its Python text.
      - One line of plain text. Control characters (line breaks, tabs, terminal escape sequences) are refused before
        any request.
    type: raw
    required: true
    aliases: [note]
  revocation_reason:
    description:
      - The reason to record for the revocation, sent as C(revocation_reason).
      - DigiCert applies a revocation reason to TLS certificates only. For client certificate and Secure Email
        orders it is not sent, and RV(orders[].message) says so; their certificates are revoked without a reason.
      - DigiCert's documentation shows V(superseded) as an example but does not list every value it accepts. The
        choices are the reasons RFC 5280 leaves to a certificate's subscriber; if CertCentral refuses one, the order
        fails with CertCentral's words and nothing is revoked.
      - If not set, no reason is sent and DigiCert records its default.
    type: str
    choices: [unspecified, key_compromise, affiliation_changed, superseded, cessation_of_operation]
  skip_approval:
    description:
      - If V(true), the certificates are revoked at once, without a revoke request. This needs a key with admin
        privileges. Before anything is sent, the module reads the key's user (C(GET /user/me)); when its roles show
        that it is not an administrator, every order it would revoke is V(not_revocable), in check mode too, with a
        message naming the fix. When the roles cannot be read or are not known, CertCentral decides; it refuses
        other keys, and then the run changes nothing (the first refusal stops all further changes, since they would
        be refused the same way).
      - If V(false), CertCentral creates a revoke request per order that an approver must approve (Certificates >
        Requests); the order stays C(issued) until then, and RV(orders[].request_id) names the request.
      - An order whose revoke request already awaits approval gets no second revoke either way; approve the request
        to revoke it.
    type: bool
    default: false
  missing_ok:
    description:
      - Whether an order ID that CertCentral does not know (or that belongs to another account) is reported as
        V(missing) and skipped, instead of failing the task before anything is changed.
    type: bool
    default: false
  fail_on_not_revocable:
    description:
      - Whether an order that cannot be revoked fails the task. That is an order DigiCert has not issued yet
        (C(pending), C(waiting_pickup) or C(needs_approval); cancel it instead), an order with a pending reissue, and
        an order with a status this collection does not act on.
      - If V(true), such an order found in the first phase fails the task before anything is changed, and one that
        changes during the run (for example, a reissue was started meanwhile) fails the task at the end, after all
        other orders were processed.
      - If V(false), such orders are reported as V(not_revocable) and skipped.
    type: bool
    default: true
  max_revocations:
    description:
      - The most orders one run may revoke or request the revocation of.
      - If more would be revoked, the task fails before changing anything, saying how many would change. A guard
        against a listing that selects far more orders than intended.
      - Orders that need no change do not count. Unlimited if not set.
    type: int
  wait_timeout:
    description:
      - How many seconds, at most, to wait after acting for the orders whose revocation DigiCert is carrying out
        (V(revocation_submitted) by this run, V(revocation_in_progress) from an earlier one) to read C(revoked).
      - While it waits, the module reads each such order once every O(wait_interval) seconds. An order that reads
        C(revoked) in time is reported V(revoked) (or V(already_revoked) when an earlier run sent the revocation);
        one that does not keeps its outcome, and its message says so. Waiting never sends anything.
      - Revoke requests that await an approver (V(revoke_requested)) are not waited for.
      - V(0), the default, does not wait. At most V(3600).
    type: int
    default: 0
  wait_interval:
    description:
      - How many seconds to pause between two reads of an order while waiting (see O(wait_timeout)). From V(1) to
        V(3600).
    type: int
    default: 10
notes:
  - Revoking cannot be undone. Revoking a whole order (all its certificates) is refunded by DigiCert if the order is
    eligible for a refund; revoking one certificate of an order is not.
  - A revocation whose answer got lost (a dropped connection or a timeout after sending, or a server error) is never
    simply repeated. The order is read back and judged by its status and its requests. A revoke request is sent again,
    at most O(retries) times, only after a read shows that the previous attempt had no effect. A revocation with
    O(skip_approval) is never sent again in the same run, since DigiCert may be carrying it out without a trace on the
    order yet; the order is then reported V(failed), with advice to check it in CertCentral.
  - An error that no rule foresaw while acting on one order makes that order V(failed) (or, when a read back shows the
    change made, reports the change); the other orders carry on, and the result always has RV(orders) and RV(summary).
  - CertCentral's refusals (for example an order whose reissue started meanwhile) are reported per order with
    CertCentral's own words; one refused order does not stop the others.
seealso:
  - module: certops.digicert.digicert_order_info
  - module: certops.digicert.digicert_order_cancel
  - name: Revoke order certificates
    description: The CertCentral call that revokes every certificate of an order.
    link: https://dev.digicert.com/certcentral-apis/services-api/orders/revoke-order-certificates.html
"""

EXAMPLES = r"""
- name: Request the revocation of one order's certificates; an approver approves it in CertCentral
  certops.digicert.digicert_order_revoke:
    order_id: 123456
    comments: Host web01.example.com decommissioned, ticket OPS-4321
    revocation_reason: cessation_of_operation
    api_key: "{{ digicert_api_key }}"
  delegate_to: localhost

- name: Find the orders of a decommissioned host
  certops.digicert.digicert_order_info:
    domain_name: web01.example.com
    status: [issued]
    api_key: "{{ digicert_api_key }}"
  delegate_to: localhost
  register: found

- name: Preview the revocation (run with --check --diff, or keep check_mode here)
  certops.digicert.digicert_order_revoke:
    orders: "{{ found.orders }}"
    note: Host web01.example.com decommissioned
    api_key: "{{ digicert_api_key }}"
  check_mode: true
  delegate_to: localhost
  register: preview

- name: Show the plan
  ansible.builtin.debug:
    msg: "{{ item.id }}: {{ item.outcome }} - {{ item.message }}"
  loop: "{{ preview.orders }}"
  loop_control:
    label: "{{ item.id }}"

- name: Revoke them at once with an administrator's key, never more than 5 in one run
  certops.digicert.digicert_order_revoke:
    order_ids: "{{ found.orders | map(attribute='id') | list }}"
    comments: Host web01.example.com decommissioned
    revocation_reason: cessation_of_operation
    skip_approval: true
    max_revocations: 5
    # DigiCert carries revocations out as a step of its own: wait up to 5 minutes for the orders to read revoked.
    wait_timeout: 300
    wait_interval: 15
    api_key: "{{ digicert_admin_api_key }}"
  delegate_to: localhost
  register: revoked

- name: Report the revoke requests that wait for an approver
  ansible.builtin.debug:
    msg: "{{ item.id }}: revoke request {{ item.request_id }} awaits approval"
  loop: "{{ revoked.orders | selectattr('outcome', 'in', ['revoke_requested', 'revoke_already_requested']) }}"
  loop_control:
    label: "{{ item.id }}"

- name: Revoke what can be revoked from an old list; skip unknown IDs and orders that are not issued
  certops.digicert.digicert_order_revoke:
    order_ids: "{{ old_order_ids }}"
    comments: Offboarding of the 2025 contractors
    missing_ok: true
    fail_on_not_revocable: false
    api_key: "{{ digicert_api_key }}"
  delegate_to: localhost
  register: offboarding

- name: Count what happened
  ansible.builtin.debug:
    msg: >-
      {{ offboarding.summary.revoke_requested }} revoke requests created,
      {{ offboarding.summary.not_revocable }} not revocable, {{ offboarding.summary.missing }} unknown
"""

RETURN = r"""
orders:
  description:
    - One entry per requested order, in the order given.
    - Also returned when the task fails after the orders were read, with the entries of all orders, so that it shows
      what was done and what was not.
  returned: always, except when the options are invalid
  type: list
  elements: dict
  contains:
    id:
      description: The order ID.
      type: int
      returned: always
      sample: 123456
    common_name:
      description:
        - The common name of the order's certificate, from the latest read of the order or, when it was not read, as
          a listing (O(orders), or the run's own) showed it; V(null) when neither shows one, for example for an order
          that could not be read.
      type: str
      returned: always
      sample: shop.example.com
    status_before:
      description:
        - The status of the order when this run first read it; V(null) when it could not be read.
      type: str
      returned: always
      sample: issued
    status:
      description:
        - The status of the order after the run, as far as it is known; V(null) when unknown (for example when the
          answer to a change got lost and the order could not be read back).
        - A revoke request leaves the order C(issued) until an approver approves it.
        - In check mode, and for orders that were not changed, this is the current status; the diff shows what a
          change would leave behind.
      type: str
      returned: always
      sample: revoked
    revoke_verdict:
      description:
        - The revoke verdict the outcome was decided on. It comes from the latest read before the decision, so it may
          be newer than RV(orders[].status_before).
        - V(null) when the order could not be read.
      type: dict
      returned: always
      contains:
        revocable:
          description: Whether the order's certificates can be revoked now.
          type: bool
          sample: true
        action:
          description:
            - What can be done about the order.
            - V(revoke) - revoke its certificates.
            - V(approve_request) - a revoke request already awaits approval; an approver must approve it.
            - V(await_revocation) - a revocation was approved (or sent with O(skip_approval)) and DigiCert is carrying
              it out; nothing is sent.
            - V(cancel) - DigiCert has not issued the certificate yet; cancel the order instead.
            - V(reject_request) - the order needs approval and has no certificate; reject its request instead.
            - V(cancel_reissue) - a reissue is pending, which CertCentral does not allow revoking under; cancel the
              reissue first.
            - V(none) - nothing to do (revoked, canceled, rejected or expired), or a status this collection does not
              act on.
          type: str
          choices: [revoke, approve_request, await_revocation, cancel, reject_request, cancel_reissue, none]
          sample: revoke
        reason:
          description: A sentence, naming the order, that explains the verdict.
          type: str
          sample: >-
            Order 123456 is issued: its certificate is valid until it expires or is revoked. It can be revoked;
            revoking covers every certificate of the order, duplicates and reissues included, and DigiCert refunds
            the order if it is eligible for a refund (revoking a single certificate of an order refunds nothing).
    outcome:
      description:
        - What became of the order.
        - V(revoked) - its certificates were revoked (O(skip_approval)), and the order reads C(revoked).
        - V(revocation_submitted) - CertCentral accepted the revocation, and the order still reads C(issued), because DigiCert
          is carrying it out. A change made; nothing more needs to be sent (see O(wait_timeout)).
        - V(revoke_requested) - a revoke request was created and awaits approval; RV(orders[].request_id) names it.
        - V(would_revoke), V(would_request_revoke) - the same changes, planned but not made, in check mode or in a real
          run that stopped before changing anything.
        - V(already_revoked) - the order was revoked before; nothing to do.
        - V(revoke_already_requested) - a revoke request for the order already awaits approval; no second one is sent.
        - V(revocation_in_progress) - the order still reads C(issued), but its revoke request was approved, so DigiCert is
          carrying out the revocation; nothing is sent.
        - V(nothing_to_revoke) - the order is canceled or rejected (no certificate was issued) or expired (its
          certificate is no longer valid); nothing to do.
        - V(not_revocable) - the order cannot be revoked. DigiCert has not issued it yet (C(pending), C(waiting_pickup),
          C(needs_approval); cancel it instead), a reissue is pending (cancel the reissue first), or it has a status
          this collection does not act on; or O(skip_approval) is set and C(GET /user/me) shows that the key's user is
          not an administrator; or it changed during the run so that the planned change no longer applies.
          Fails the task unless O(fail_on_not_revocable=false).
        - V(missing) - CertCentral does not know the order ID. Fails the task unless O(missing_ok=true).
        - V(failed) - reading or revoking the order failed for another reason (for example a server error that did
          not clear, a key that may not revoke, O(skip_approval) refused by CertCentral for a key whose user's roles
          C(GET /user/me) did not show, or an
          answer from CertCentral whose data has the wrong type, such as a request ID given as text). Always fails the
          task.
      type: str
      returned: always
      choices: [revoked, revocation_submitted, revoke_requested, would_revoke, would_request_revoke, already_revoked,
                revoke_already_requested, revocation_in_progress, nothing_to_revoke, not_revocable, missing, failed]
      sample: revoke_requested
    message:
      description: A sentence, naming the order, that says what happened or why not, and what to do.
      type: str
      returned: always
      sample: >-
        Revoke request 7000123 was created for order 123456; it awaits approval (Certificates > Requests in
        CertCentral), and the order stays issued until an approver approves it.
    request_id:
      description:
        - The revoke request that this run created (V(revoke_requested)), or that already awaited approval
          (V(revoke_already_requested)), or the approved revoke request through which DigiCert is carrying out the
          revocation when the order shows one (V(revocation_submitted), V(revocation_in_progress)); V(null) otherwise.
      type: int
      returned: always
      sample: 7000123
summary:
  description:
    - How many orders had each outcome. Every outcome of RV(orders[].outcome) is a key, with V(0) when no order had
      it, so that for example C(result.summary.revoked) always exists.
  returned: always, except when the options are invalid
  type: dict
  sample:
    revoked: 0
    revocation_submitted: 0
    revoke_requested: 2
    would_revoke: 0
    would_request_revoke: 0
    already_revoked: 1
    revoke_already_requested: 0
    revocation_in_progress: 0
    nothing_to_revoke: 0
    not_revocable: 0
    missing: 0
    failed: 0
changed_count:
  description:
    - How many orders this run changed, the orders whose RV(orders[].outcome) is a change made (V(revoked),
      V(revocation_submitted) and V(revoke_requested)).
    - Counted by the module from the outcomes, so that a role or playbook never adds outcome names up itself.
  returned: always, except when the options are invalid
  type: int
  sample: 2
would_change_count:
  description:
    - How many orders a change was planned for but not made (V(would_revoke) and V(would_request_revoke)), in check
      mode or because the run stopped before its first change.
  returned: always, except when the options are invalid
  type: int
  sample: 0
skipped_count:
  description:
    - How many orders were left as they are, having nothing to do, not possible, or missing
      (V(already_revoked), V(revoke_already_requested), V(revocation_in_progress), V(nothing_to_revoke),
      V(not_revocable) and V(missing)).
  returned: always, except when the options are invalid
  type: int
  sample: 1
failed_count:
  description:
    - How many orders have the outcome V(failed).
    - C(changed_count + would_change_count + skipped_count + failed_count) is the number of RV(orders).
  returned: always, except when the options are invalid
  type: int
  sample: 0
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.module_support import (
    client_from_module,
    connection_argument_spec,
    exit_with_run_report,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.order_input import ORDER_OPTIONS, order_argument_spec, orders_from_params
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.revocation import (
    REVOCATION_REASONS,
    RevocationRun,
    RevokeOptions,
)


def main():
    argument_spec = connection_argument_spec()
    argument_spec.update(order_argument_spec())
    argument_spec.update(
        # raw, so that a list is refused instead of sent as its Python text (Ansible turns any value into text for str).
        # note is the word digicert_order_cancel uses; either works in both modules.
        comments=dict(type="raw", required=True, aliases=["note"]),
        revocation_reason=dict(type="str", choices=list(REVOCATION_REASONS)),
        skip_approval=dict(type="bool", default=False),
        missing_ok=dict(type="bool", default=False),
        fail_on_not_revocable=dict(type="bool", default=True),
        max_revocations=dict(type="int"),
        wait_timeout=dict(type="int", default=0),
        wait_interval=dict(type="int", default=10),
    )
    module = AnsibleModule(
        argument_spec=argument_spec,
        mutually_exclusive=[ORDER_OPTIONS],
        required_one_of=[ORDER_OPTIONS],
        supports_check_mode=True,
    )

    try:
        # Entries are checked like the cancel module's; each order is read before it is planned all the same, and
        # an entry's reviewed change holds the run to it.
        order_ids, listed = orders_from_params(module.params)
        options = RevokeOptions.from_params(module.params)
    except ValueError as error:
        module.fail_json(msg=str(error))

    client = client_from_module(module)
    report = RevocationRun(client, order_ids, options, check_mode=module.check_mode, listed=listed).execute()

    exit_with_run_report(module, report)


if __name__ == "__main__":
    main()
