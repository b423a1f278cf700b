#!/usr/bin/python
# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: digicert_order_cancel
short_description: Cancel pending DigiCert CertCentral certificate orders, safely and in bulk
version_added: 1.0.0
description:
  - Cancels one or many CertCentral orders that DigiCert has not issued yet (status C(pending), or
    C(waiting_pickup), which the console shows as C(Emailed to Recipient) for client certificates).
  - On request it also rejects the pending approval request of an order that needs approval
    (O(reject_pending_request)), and cancels the pending reissue of an issued order (O(cancel_reissue)).
  - Canceling cannot be undone. The module therefore works in two phases. First it reads every order (or takes
    the listing of O(orders)) and decides, with the same cancel verdict as M(certops.digicert.digicert_order_info),
    what it would do. If any order stops the run (an unknown ID, an order that cannot be canceled, a read that
    failed), if more orders would change than O(max_cancellations) allows, or if the API key is restricted to
    C(View Only), the task fails with every order's entry and nothing is changed. Only then does it act, order by
    order.
  - Right before acting on an order it reads the order again, and it acts only if that read still calls for exactly
    the change that was planned. An order that changed meanwhile is reported, never acted on by a different rule.
    This matters because the one status call of the API cancels whatever is pending on the order now; an order
    that someone else had issued and given a reissue request since the first read would otherwise lose its
    reissue instead.
  - Orders already canceled, rejected, revoked or expired are reported and left alone, without error, so running
    the same task again changes nothing.
  - Orders are read and changed by a few parallel workers, paced under the rate limits of the API key (see
    O(rate_limits)). With O(order_ids), a run sends two reads and one change per canceled order, or one read and
    one change when the order is planned from a listing (see O(order_ids)), plus one request to check the key's
    role; with O(orders) from a listing, one read and one change per canceled order.
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
        real run fail, and nothing is changed. RV(orders[].outcome) names the change that would be made, for example
        V(would_cancel).
      - A request the key's user may not reject, as far as C(GET /user/me) shows, is V(not_cancelable) in check mode
        as in a real run (see O(reject_pending_request)). When C(GET /user/me) does not show the user's roles, check
        mode plans the rejection and CertCentral decides in a real run.
      - RV(orders[].refund_hint) is the same as in a real run. An order from O(orders) whose entry has no
        C(payment_method) (a listing without details) is read for it, one request per order.
  diff_mode:
    support: full
    details:
      - The diff shows the status of each order, and of the request a change rejects, before and after (in check
        mode, after the planned changes).
      - Orders are keyed by their ID; each carries its certificate's C(common_name) when known, so that
        C(--check --diff) shows which certificate each change is about, right under its ID.
  idempotent:
    support: full
    details:
      - A second run reports the orders of the first as V(already_canceled) or V(nothing_to_cancel), unchanged.
options:
  order_id:
    description:
      - The ID of the one order to cancel.
      - Exactly one of O(order_id), O(order_ids) and O(orders) is required.
    type: int
  order_ids:
    description:
      - The IDs of the orders to cancel, each at most once. Results come back in the same order.
      - For orders that M(certops.digicert.digicert_order_info) found, O(orders) saves a read per order.
      - With more than four IDs, the first phase reads the first page of the listings of C(pending) and
        C(waiting_pickup) orders (one request each), which tells how many pages the rest takes. When reading the rest
        takes fewer requests than reading each order given, it lists them to the end. The orders it finds in what it
        listed are planned from the listing, as O(orders) does, so that such an order costs one read (the one right
        before acting) and one change. An order not found in the listings is read first, as always; so is every order
        when a listing fails.
      - An empty list is valid and changes nothing, so a listing that found no orders does not need a guard.
      - Exactly one of O(order_id), O(order_ids) and O(orders) is required.
    type: list
    elements: int
  orders:
    description:
      - The orders to cancel as M(certops.digicert.digicert_order_info) returned them (its RV(orders) list), each at
        most once, for example C("{{ found.orders }}"). Results come back in the same order.
      - Each entry needs C(id) and C(status); C(product_name_id), C(product_type), C(payment_method),
        C(common_name) and C(requests) are used when present. Other keys are ignored.
      - An entry of a reviewed plan (the roles' C(.plan.json)) also carries C(reviewed_change), the change a person
        approved (C(outcome), such as V(would_cancel), and C(request_id)); the order is then changed only if its
        plan is exactly that change about the same request, and otherwise reported as not possible and left alone.
      - The first phase plans a C(pending) or C(waiting_pickup) order from its entry instead of reading it, so a
        run sends one read (the one right before acting) and one change per order. Every other order is read
        first, as with O(order_ids), because its plan depends on its requests, which a listing does not show.
      - An order whose read before acting shows something its entry did not (it was issued meanwhile, or it has a
        request awaiting approval) is not changed; it is reported, and counts as V(not_cancelable). An ID that
        CertCentral no longer knows is found only then, and is reported V(missing) (see O(missing_ok)) after the
        other orders were processed.
      - An empty list is valid and changes nothing.
      - Exactly one of O(order_id), O(order_ids) and O(orders) is required.
    type: list
    elements: dict
    version_added: 1.0.0
  note:
    description:
      - Why the orders are canceled. CertCentral requires a note on every cancellation and shows it in the audit log
        (Account > Audit logs); it is also the processor comment of every request this module rejects.
      - O(comments) is an alias, the word M(certops.digicert.digicert_order_revoke) uses, so that either word works in
        both modules.
      - Surrounding whitespace is removed. It must not be empty and may be at most 1000 characters long (a limit of
        this module; DigiCert documents none).
      - Text. A number is taken as its text (an unquoted ticket number in YAML); a list or a mapping is refused
        before any request, rather than sent as its Python text.
      - One line of plain text. Control characters (line breaks, tabs, terminal escape sequences) are refused before
        any request.
    type: raw
    required: true
    aliases: [comments]
  reject_pending_request:
    description:
      - What to do about an order that needs approval. DigiCert has not placed such an order yet, so it cannot be
        canceled; an approver has to reject its request instead.
      - If V(true), the pending request is rejected, with O(note) as processor comment. This needs a key of a user who
        may approve requests (an administrator or manager).
      - Before anything is sent, the module reads the key's user (C(GET /user/me)). When its roles show that it may
        not approve requests (for example only C(Orders) or C(User)), such an order is V(not_cancelable), in check
        mode too, with a message naming the role needed. When the roles cannot be read or are not known, the request
        is planned and CertCentral decides.
      - If V(false), the order is V(not_cancelable) (see O(fail_on_not_cancelable)).
    type: bool
    default: false
  cancel_reissue:
    description:
      - What to do about an issued order with a pending reissue.
      - If V(true), the pending reissue is canceled. The order goes back to C(issued) with its current certificate,
        and the reissue request becomes C(rejected) with O(note) as processor comment. For a client certificate
        this works only until the recipient has generated the reissued certificate.
      - If V(false), the order is V(not_cancelable) (see O(fail_on_not_cancelable)).
    type: bool
    default: false
  missing_ok:
    description:
      - Whether an order ID that CertCentral does not know (or that belongs to another account) is reported as
        V(missing) and skipped, instead of failing the task before anything is changed.
      - Useful when the IDs come from an older listing and some orders may have been removed since.
    type: bool
    default: false
  fail_on_not_cancelable:
    description:
      - Whether an order that cannot be canceled fails the task. That is an issued order, an order with a status this
        collection does not act on, and the cases of O(reject_pending_request) and O(cancel_reissue) while they are
        V(false).
      - If V(true), such an order found in the first phase fails the task before anything is changed, and one that
        changes during the run (for example, it was issued meanwhile) fails the task at the end, after all other
        orders were processed.
      - If V(false), such orders are reported as V(not_cancelable) and skipped; useful to cancel whatever can be
        canceled from a mixed listing.
    type: bool
    default: true
  max_cancellations:
    description:
      - The most changes (cancellations, canceled reissues and rejected requests together) one run may make.
      - If more would be made, the task fails before changing anything, saying how many would change. A guard
        against a listing that selects far more orders than intended.
      - Orders that need no change do not count. Unlimited if not set.
    type: int
notes:
  - Canceling an order cannot be undone. Orders paid from the account balance are not refunded automatically;
    RV(orders[].refund_hint) says when DigiCert Support has to be asked for a refund.
  - A change whose answer got lost (a dropped connection or a timeout after sending, or a server error) is never
    simply repeated. The order is read back and judged by its status; the change is sent again, at most
    O(retries) times, only after a read shows that the previous attempt had no effect.
  - An error that no rule foresaw while acting on one order makes that order V(failed) (or, when a read back shows the
    change made, reports the change); the other orders carry on, and the result always has RV(orders) and RV(summary).
  - Request types and statuses are compared whatever their case and separators (C(new_request), C(new request)), so a
    request awaiting approval is found however CertCentral spells it.
seealso:
  - module: certops.digicert.digicert_order_info
  - name: Update order status
    description: The CertCentral call that cancels orders and pending reissues.
    link: https://dev.digicert.com/en/certcentral-apis/services-api/orders/update-order-status.html
"""

EXAMPLES = r"""
- name: Cancel one pending order
  certops.digicert.digicert_order_cancel:
    order_id: 123456
    note: Ordered by mistake, see ticket PKI-1234
    api_key: "{{ digicert_api_key }}"
  delegate_to: localhost

- name: Find the orders pending for more than 30 days
  certops.digicert.digicert_order_info:
    status:
      - pending
      - waiting_pickup
    older_than_days: 30
    api_key: "{{ digicert_api_key }}"
  delegate_to: localhost
  register: abandoned

- name: Preview what canceling them would do (run with --check --diff, or keep check_mode here)
  certops.digicert.digicert_order_cancel:
    orders: "{{ abandoned.orders }}"
    note: Abandoned for more than 30 days
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

- name: Cancel them, but never more than 50 in one run
  certops.digicert.digicert_order_cancel:
    orders: "{{ abandoned.orders }}"
    note: Abandoned for more than 30 days
    max_cancellations: 50
    api_key: "{{ digicert_api_key }}"
  delegate_to: localhost
  register: cleanup

- name: Remind whoever pays to ask for refunds
  ansible.builtin.debug:
    msg: "{{ cleanup.orders | selectattr('refund_hint') | map(attribute='refund_hint') | list }}"

- name: Withdraw orders that still wait for approval, by rejecting their requests
  certops.digicert.digicert_order_cancel:
    order_ids: [123457, 123458]
    note: Requested for a project that was stopped
    reject_pending_request: true
    api_key: "{{ digicert_approver_api_key }}"
  delegate_to: localhost

- name: Cancel a pending reissue; the order keeps its current certificate
  certops.digicert.digicert_order_cancel:
    order_id: 123459
    note: Reissue requested with the wrong SANs
    cancel_reissue: true
    api_key: "{{ digicert_api_key }}"
  delegate_to: localhost

- name: Cancel what can be canceled from an old list; skip unknown IDs and orders issued since
  certops.digicert.digicert_order_cancel:
    order_ids: "{{ old_order_ids }}"
    note: Cleanup of the 2025 migration leftovers
    missing_ok: true
    fail_on_not_cancelable: false
    api_key: "{{ digicert_api_key }}"
  delegate_to: localhost
  register: leftovers

- name: Count what happened
  ansible.builtin.debug:
    msg: >-
      {{ leftovers.changed_count }} canceled, {{ leftovers.skipped_count }} left as they are (see
      leftovers.summary for why), {{ leftovers.failed_count }} failed

- name: Set the connection options once for every CertCentral task
  module_defaults:
    group/certops.digicert.certcentral:
      api_key: "{{ digicert_api_key }}"
      api_url: https://certcentral.digicert.eu/services/v2
  block:
    - name: Cancel an order in the EU region
      certops.digicert.digicert_order_cancel:
        order_id: 654321
        note: Duplicate order
      delegate_to: localhost
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
        - The status of the order when this run first read it, or as O(orders) listed it; V(null) when it could
          not be read.
      type: str
      returned: always
      sample: pending
    status:
      description:
        - The status of the order after the run, as far as it is known; V(null) when unknown (for example when the
          answer to a change got lost and the order could not be read back).
        - In check mode, and for orders that were not changed, this is the current status; the diff shows what a
          change would leave behind.
      type: str
      returned: always
      sample: canceled
    cancel_verdict:
      description:
        - The cancel verdict the outcome was decided on, with C(cancelable), C(action), C(reason), C(refund_hint) and
          C(request_id) as M(certops.digicert.digicert_order_info) returns it. It comes from the latest read before
          the decision, so it may be newer than RV(orders[].status_before).
        - V(null) when the order could not be read.
      type: dict
      returned: always
      sample:
        cancelable: true
        action: cancel
        reason: "Order 123456 is pending: DigiCert has not issued the certificate yet. It can be canceled."
        refund_hint: null
        request_id: null
    outcome:
      description:
        - What became of the order.
        - V(canceled) - the order was canceled.
        - V(reissue_canceled) - the pending reissue was canceled (O(cancel_reissue)); the order is issued with its
          current certificate.
        - V(request_rejected) - the pending approval request was rejected (O(reject_pending_request)).
        - V(would_cancel), V(would_cancel_reissue), V(would_reject_request) - the same changes, planned but not made,
          in check mode or in a real run that stopped before changing anything.
        - V(already_canceled) - the order was canceled before; nothing to do.
        - V(nothing_to_cancel) - the order is rejected, revoked or expired, its approval request was already
          rejected, or (with O(cancel_reissue)) it is issued and its newest reissue request was rejected; nothing to
          do.
        - V(not_cancelable) - the order cannot be canceled. It is issued, has a status this collection does not act
          on, or needs an option that is off; or its request awaits approval and C(GET /user/me) shows that the key's
          user may not reject it (see O(reject_pending_request)); or it changed during the run so that the planned
          change no longer applies. Fails the task unless O(fail_on_not_cancelable=false).
        - V(missing) - CertCentral does not know the order ID. Fails the task unless O(missing_ok=true).
        - V(failed) - reading or changing the order failed for another reason (for example a server error that did
          not clear, a key that may not make the change, or an answer from CertCentral whose data has the wrong type,
          such as a request ID given as text). Always fails the task.
      type: str
      returned: always
      choices: [canceled, reissue_canceled, request_rejected, would_cancel, would_cancel_reissue, would_reject_request,
                already_canceled, nothing_to_cancel, not_cancelable, missing, failed]
      sample: canceled
    message:
      description: A sentence, naming the order, that says what happened or why not, and what to do.
      type: str
      returned: always
      sample: "Order 123456 was canceled (it was pending); the note is in the CertCentral audit log."
    refund_hint:
      description:
        - For an order paid from the account balance whose outcome is V(canceled), V(would_cancel) or
          V(already_canceled), a sentence saying that the balance is not credited automatically and that DigiCert
          Support must be asked for a refund; otherwise V(null).
      type: str
      returned: always
      sample: >-
        Order 123456 was paid from the account balance. Canceling does not credit the balance automatically: ask
        DigiCert Support for a refund.
    request_id:
      description:
        - The request that the planned change of the order rejects, directly (O(reject_pending_request)) or by
          canceling a pending reissue (its reissue request). Set whether the change was made, would be made, or
          failed, and when the key's user may not reject the request (V(not_cancelable)); V(null) for orders without
          such a change.
      type: int
      returned: always
      sample: null
summary:
  description:
    - How many orders had each outcome. Every outcome of RV(orders[].outcome) is a key, with V(0) when no order had
      it, so that for example C(result.summary.canceled) always exists.
  returned: always, except when the options are invalid
  type: dict
  sample:
    canceled: 2
    reissue_canceled: 0
    request_rejected: 0
    would_cancel: 0
    would_cancel_reissue: 0
    would_reject_request: 0
    already_canceled: 1
    nothing_to_cancel: 0
    not_cancelable: 0
    missing: 0
    failed: 0
changed_count:
  description:
    - How many orders this run changed, the orders whose RV(orders[].outcome) is a change made (V(canceled),
      V(reissue_canceled) and V(request_rejected)).
    - Counted by the module from the outcomes, so that a role or playbook never adds outcome names up itself.
  returned: always, except when the options are invalid
  type: int
  sample: 2
would_change_count:
  description:
    - How many orders a change was planned for but not made (V(would_cancel), V(would_cancel_reissue) and
      V(would_reject_request)), in check mode or because the run stopped before its first change.
  returned: always, except when the options are invalid
  type: int
  sample: 0
skipped_count:
  description:
    - How many orders were left as they are, having nothing to do, not possible, or missing
      (V(already_canceled), V(nothing_to_cancel), V(not_cancelable) and V(missing)).
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

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.cancellation import (
    CancellationRun,
    CancelOptions,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.module_support import (
    client_from_module,
    connection_argument_spec,
    exit_with_run_report,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.order_input import ORDER_OPTIONS, order_argument_spec, orders_from_params


def main():
    argument_spec = connection_argument_spec()
    argument_spec.update(order_argument_spec())
    argument_spec.update(
        # raw, so that a list is refused instead of sent as its Python text (Ansible turns any value into text for str).
        # comments is the word digicert_order_revoke uses; either works in both modules.
        note=dict(type="raw", required=True, aliases=["comments"]),
        reject_pending_request=dict(type="bool", default=False),
        cancel_reissue=dict(type="bool", default=False),
        missing_ok=dict(type="bool", default=False),
        fail_on_not_cancelable=dict(type="bool", default=True),
        max_cancellations=dict(type="int"),
    )
    module = AnsibleModule(
        argument_spec=argument_spec,
        mutually_exclusive=[ORDER_OPTIONS],
        required_one_of=[ORDER_OPTIONS],
        supports_check_mode=True,
    )

    try:
        order_ids, listed = orders_from_params(module.params)
        options = CancelOptions.from_params(module.params)
    except ValueError as error:
        module.fail_json(msg=str(error))

    client = client_from_module(module)
    report = CancellationRun(client, order_ids, options, check_mode=module.check_mode, listed=listed).execute()

    exit_with_run_report(module, report)


if __name__ == "__main__":
    main()
