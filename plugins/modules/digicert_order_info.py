#!/usr/bin/python
# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: digicert_order_info
short_description: Read DigiCert CertCentral certificate orders and tell which can be canceled
version_added: 1.0.0
description:
  - Reads one order by its ID, or lists the orders of a CertCentral account that match filters.
  - Every order comes with a C(cancel_verdict) that says whether it can be canceled and, if not, what can be done
    instead. The verdict follows DigiCert's rules for canceling pending orders, the same rules that
    M(certops.digicert.digicert_order_cancel) acts on.
  - Filters that CertCentral supports are sent to it; the others are applied to the orders it returns.
  - A listing is read in ascending order ID (C(sort=id)), page by page, each page repeating a few orders of the one
    before. Orders placed meanwhile get higher IDs and join at the end, so they shift no page; when orders leave
    the listing while it is read (issued or canceled by someone else), the overlap shows it and the pages before are
    read again. Every order that matched from the start to the end of the listing is returned exactly once; orders
    placed or changed meanwhile may or may not be. The page size the server answers with (C(page.limit)) is
    followed.
  - One listing holds at most 100,000 orders and makes at most 1,000 requests; a server that counts more, or serves
    pages too small to stay under that, stops the module with an error before anything is acted on. Filter to list
    less at once.
  - Values of the wrong type in an answer (an ID as text, a list where an object belongs) stop the module with an
    error that names the order and the field.
author:
  - certops.digicert contributors (@certops)
extends_documentation_fragment:
  - certops.digicert._certcentral
  - certops.digicert._certcentral.attributes
  - certops.digicert._certcentral.info_module
  - certops.digicert._certcentral.actiongroup_certcentral
options:
  order_id:
    description:
      - The ID of one order to read with order info, which includes its requests and payment method.
      - Mutually exclusive with all the list options below.
      - An order CertCentral does not know (HTTP 404 with error code C(not_found|order)) gives an empty
        RV(orders) and a RV(msg) that says so, unless O(fail_on_missing=true).
    type: int
  fail_on_missing:
    description:
      - Fail when CertCentral does not know O(order_id), instead of returning an empty RV(orders).
      - Only used with O(order_id); a listing that finds nothing is never a failure.
      - Any other error, including an HTTP 404 that is not about the order (a wrong O(api_url)), fails either way.
    type: bool
    default: false
  status:
    description:
      - List only orders with one of these statuses.
      - V(pending), V(waiting_pickup), V(reissue_pending), V(issued), V(canceled), V(rejected) and V(revoked) are
        filters CertCentral supports; one listing is requested per value.
      - V(needs_approval) and V(expired) are not documented CertCentral filters. Asking for either lists all orders
        and keeps the matching ones, which takes longer in a large account.
      - For client certificates, V(waiting_pickup) is what the CertCentral console calls C(Emailed to Recipient).
    type: list
    elements: str
    choices:
      - pending
      - waiting_pickup
      - needs_approval
      - reissue_pending
      - issued
      - canceled
      - rejected
      - revoked
      - expired
  product_name_id:
    description:
      - List only orders of these products, for example V(ssl_basic) or V(client_premium_sha2).
      - One listing is requested per value.
    type: list
    elements: str
  common_name:
    description:
      - List only orders whose common name is exactly this (compared without regard to case).
    type: str
  domain_name:
    description:
      - List only orders with this domain as common name or among the SANs, as CertCentral matches it.
    type: str
  container_id:
    description:
      - List only orders of this container (division), as CertCentral matches it.
    type: int
  search:
    description:
      - List only orders whose common name or email contains this text, as CertCentral searches it.
    type: str
  older_than_days:
    description:
      - List only orders created more than this many days ago.
      - Orders whose creation date cannot be read are left out.
    type: int
  created_before:
    description:
      - List only orders created before this day (UTC), written as C(YYYY-MM-DD).
      - Orders whose creation date cannot be read are left out.
    type: str
  created_after:
    description:
      - List only orders created on or after this day (UTC), written as C(YYYY-MM-DD).
      - Orders whose creation date cannot be read are left out.
    type: str
  details:
    description:
      - Read each listed order again with order info, which adds its requests and payment method.
      - Without details, RV(orders[].requests) and RV(orders[].payment_method) are V(null), the verdict cannot see
        a request still awaiting approval, and it cannot give a refund hint.
      - Costs one request per order; the requests are spread over a few parallel workers and paced by
        O(rate_limits), so with DigiCert's limits about 5 orders per second are read.
      - Cannot be combined with O(order_id), which always reads order info.
    type: bool
    default: false
  include_raw:
    description:
      - Add RV(orders[].raw), each order exactly as CertCentral returned it, to the result.
      - The other fields of RV(orders) carry all that the collection uses. Turn this on only for a field they do not
        carry. The raw orders are most of the values in a result, and Ansible spends time and memory on every value
        of a module result, so a listing of thousands of orders takes markedly longer with them.
      - Works with O(order_id) and with listings. With O(details=true), RV(orders[].raw) is the order as order info
        returned it, otherwise as the order list did.
    type: bool
    default: false
seealso:
  - module: certops.digicert.digicert_order_cancel
  - name: Update order status
    description: The CertCentral call that cancels orders, and the statuses it accepts.
    link: https://dev.digicert.com/en/certcentral-apis/services-api/orders/update-order-status.html
"""

EXAMPLES = r"""
- name: Read one order
  certops.digicert.digicert_order_info:
    order_id: 123456
    api_key: "{{ digicert_api_key }}"
  delegate_to: localhost
  register: order

- name: Say whether it can be canceled, or that the order was not found
  ansible.builtin.debug:
    msg: "{{ order.orders[0].cancel_verdict.reason if order.count else order.msg }}"

- name: Read one order that must exist, failing otherwise
  certops.digicert.digicert_order_info:
    order_id: 123456
    fail_on_missing: true
  delegate_to: localhost

- name: List the pending TLS orders for one domain in the EU region
  certops.digicert.digicert_order_info:
    api_key: "{{ digicert_eu_api_key }}"
    api_url: https://certcentral.digicert.eu/services/v2
    status:
      - pending
    product_name_id:
      - ssl_basic
      - ssl_plus
    domain_name: shop.example.com
  delegate_to: localhost
  register: pending_shop_orders

- name: Find abandoned orders, pending for more than 30 days, with the details a cancel decision needs
  certops.digicert.digicert_order_info:
    status:
      - pending
      - waiting_pickup
      - needs_approval
    older_than_days: 30
    details: true
  delegate_to: localhost
  register: abandoned

- name: Show the abandoned orders that can be canceled, and why
  ansible.builtin.debug:
    msg: "{{ item.id }} {{ item.common_name }}: {{ item.cancel_verdict.reason }}"
  loop: "{{ abandoned.orders | selectattr('cancel_verdict.cancelable') }}"
  loop_control:
    label: "{{ item.id }}"

- name: Set the connection options once for every CertCentral task
  module_defaults:
    group/certops.digicert.certcentral:
      api_key: "{{ digicert_api_key }}"
      api_url: https://www.digicert.com/services/v2
      retries: 3
  block:
    - name: List the orders created in the first quarter of 2026
      certops.digicert.digicert_order_info:
        created_after: "2026-01-01"
        created_before: "2026-04-01"
      delegate_to: localhost
      register: first_quarter
"""

RETURN = r"""
count:
  description: The number of orders in RV(orders); V(0) when O(order_id) names an order CertCentral does not know.
  returned: success
  type: int
  sample: 1
msg:
  description:
    - Why RV(orders) is empty when O(order_id) names an order CertCentral does not know (and
      O(fail_on_missing=false)), with what to check.
  returned: when O(order_id) was not found
  type: str
  sample: >-
    Order 123456 does not exist or is not in this account (HTTP 404 not_found|order on GET /order/certificate/123456).
    Check the order ID, and that api_key and api_url belong to the account and region that placed the order.
orders:
  description:
    - The orders read, each once; a listing in ascending order ID.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: The order ID.
      type: int
      returned: success
      sample: 123456
    status:
      description:
        - The order status, in lower case.
        - V(pending) and V(waiting_pickup) can be canceled. For client certificates the CertCentral console shows
          them as C(Pending) (a CSR is there, the recipient has to validate their email address) and
          C(Emailed to Recipient) (no CSR yet, the recipient has to use the generation link).
        - V(needs_approval) is a request an approver has not decided on; no order has been placed yet.
        - V(reissue_pending) is an issued order with a reissue in progress.
        - V(issued), V(canceled), V(rejected), V(revoked) and V(expired) are final or past canceling.
        - Other values (for example V(processing)) are passed on as CertCentral returns them.
      type: str
      returned: success
      sample: pending
    common_name:
      description: The common name of the certificate.
      type: str
      returned: success
      sample: www.example.com
    dns_names:
      description: The DNS names (SANs) of the certificate; empty when it has none.
      type: list
      elements: str
      returned: success
      sample: [www.example.com, example.com]
    product_name_id:
      description: The product, for example V(ssl_basic), V(ssl_ev_basic), V(client_premium_sha2) or V(secure_email_mailbox).
      type: str
      returned: success
      sample: ssl_basic
    product_type:
      description:
        - The product type as CertCentral names it, for example V(ssl_certificate), V(client_certificate),
          V(code_signing_certificate) or V(document_signing_certificate).
      type: str
      returned: success
      sample: ssl_certificate
    product_family:
      description:
        - V(client) for client certificate and Secure Email products (product type V(client_certificate), product
          name IDs C(client_*) and C(secure_email_*)), V(tls) for all others.
        - The cancel verdict words its reasons for the family.
      type: str
      returned: success
      choices: [tls, client]
      sample: tls
    container_id:
      description: The ID of the container (division) the order belongs to.
      type: int
      returned: success
      sample: 5
    container_name:
      description: The name of the container (division); V(null) when CertCentral does not give it.
      type: str
      returned: success
      sample: Web team
    organization_name:
      description: The name of the organization the order is for; V(null) when CertCentral does not give it (DV orders).
      type: str
      returned: success
      sample: Example Ltd
    valid_till:
      description:
        - The last day the certificate is valid, as CertCentral returns it (C(YYYY-MM-DD)).
        - V(null) until a certificate is issued.
      type: str
      returned: success
      sample: "2027-01-15"
    days_remaining:
      description:
        - Days until RV(orders[].valid_till), as CertCentral counted them when it answered.
        - V(null) until a certificate is issued.
      type: int
      returned: success
      sample: 318
    serial_number:
      description:
        - The serial number of the certificate, in hexadecimal as CertCentral returns it.
        - V(null) until a certificate is issued.
      type: str
      returned: success
      sample: 0A1B2C3D4E5F60718293A4B5C6D7E8F9
    price:
      description:
        - The price of the order in the account's currency, as the order list gives it.
        - V(null) with O(order_id), since order info does not carry a price; with O(details=true), the price the order
          list gave is kept.
      type: float
      returned: success
      sample: 175.0
    date_created:
      description: When the order was created, as CertCentral returns it (ISO 8601, UTC).
      type: str
      returned: success
      sample: "2026-01-15T09:30:00+00:00"
    age_days:
      description: Whole days since the order was created; V(null) when the creation date cannot be read.
      type: int
      returned: success
      sample: 42
    payment_method:
      description:
        - How the order was paid, for example V(balance) for the account balance.
        - V(null) in a listing without O(details=true).
      type: str
      returned: success
      sample: balance
    requests:
      description:
        - The requests of the order (C(id), C(date), C(type) such as V(new_request) or V(reissue), C(status) such as
          V(pending), V(approved) or V(rejected)), as order info returns them.
        - V(null) in a listing without O(details=true).
      type: list
      elements: dict
      returned: success
      sample: [{id: 789, date: "2026-01-15T09:30:00+00:00", type: new_request, status: approved}]
    cancel_verdict:
      description: Whether the order can be canceled, and what to do otherwise.
      type: dict
      returned: success
      contains:
        cancelable:
          description: Whether CertCentral would accept canceling the order (or its pending reissue) now.
          type: bool
          returned: success
          sample: true
        action:
          description:
            - V(cancel) cancels the order (status V(pending) or V(waiting_pickup)).
            - V(cancel_reissue) cancels the pending reissue; the order goes back to V(issued) with its current
              certificate.
            - V(reject_request) means the order cannot be canceled yet; an approver must reject its request (status
              V(needs_approval), or a new request still awaiting approval).
            - V(revoke) means the certificate is issued and cannot be canceled; revoke it only if it is no longer
              needed (nothing to do while it is in use). It is a fact about the order, not advice to revoke it.
            - V(none) means nothing to do (already V(canceled), V(rejected), V(revoked), V(expired)) or a status this
              collection does not act on.
          type: str
          returned: success
          choices: [cancel, cancel_reissue, reject_request, revoke, none]
          sample: cancel
        reason:
          description: A sentence, naming the order, that explains the verdict.
          type: str
          returned: success
          sample: "Order 123456 is pending: DigiCert has not issued the certificate yet. It can be canceled."
        refund_hint:
          description:
            - For an order paid from the account balance that would be canceled, a sentence saying that the balance
              is not credited automatically and that DigiCert Support must be asked for a refund; otherwise V(null).
          type: str
          returned: success
          sample: >-
            Order 123456 was paid from the account balance. Canceling does not credit the balance automatically:
            ask DigiCert Support for a refund.
        request_id:
          description: The ID of the request to reject when RV(orders[].cancel_verdict.action=reject_request) and it is known.
          type: int
          returned: success
          sample: 789
    raw:
      description:
        - The order exactly as CertCentral returned it. That is order info for O(order_id) and with
          O(details=true), and the item of the order list otherwise.
      type: dict
      returned: when O(include_raw=true)
"""

import datetime

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.errors import CertCentralError
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.module_support import (
    client_from_module,
    connection_argument_spec,
    fail_with_error,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.orders import normalize_order
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.selection import (
    LISTING_OPTIONS,
    SELECTABLE_STATUSES,
    OrderSelection,
    select_orders,
)


def is_missing_order(error):
    """Whether CertCentral said the order does not exist, not that api_url is wrong (also a 404, other code)."""
    return error.http_status == 404 and error.error_code == "not_found|order"


def main():
    argument_spec = connection_argument_spec()
    argument_spec.update(
        order_id=dict(type="int"),
        status=dict(type="list", elements="str", choices=list(SELECTABLE_STATUSES)),
        product_name_id=dict(type="list", elements="str"),
        common_name=dict(type="str"),
        domain_name=dict(type="str"),
        container_id=dict(type="int"),
        search=dict(type="str"),
        older_than_days=dict(type="int"),
        created_before=dict(type="str"),
        created_after=dict(type="str"),
        details=dict(type="bool", default=False),
        include_raw=dict(type="bool", default=False),
        fail_on_missing=dict(type="bool", default=False),
    )
    module = AnsibleModule(
        argument_spec=argument_spec,
        mutually_exclusive=[("order_id", option) for option in LISTING_OPTIONS + ("details",)],
        supports_check_mode=True,
    )

    order_id = module.params["order_id"]
    selection = None
    if order_id is not None:
        if order_id < 1:
            module.fail_json(msg=f"order_id must be a positive number, got {order_id}.")
    else:
        try:
            selection = OrderSelection.from_params(module.params)
        except ValueError as error:
            module.fail_json(msg=str(error))

    include_raw = module.params["include_raw"]
    client = client_from_module(module)
    now = datetime.datetime.now(datetime.timezone.utc)
    try:
        if selection is None:
            orders = [normalize_order(client.get_order(order_id), now, include_raw=include_raw)]
        else:
            orders = select_orders(client, selection, now, details=module.params["details"], include_raw=include_raw)
    except CertCentralError as error:
        if selection is None and is_missing_order(error) and not module.params["fail_on_missing"]:
            # _info modules answer an unknown ID with an empty result; the sentence says what to check.
            module.exit_json(changed=False, orders=[], count=0, msg=str(error))
        fail_with_error(module, error)

    module.exit_json(changed=False, orders=orders, count=len(orders))


if __name__ == "__main__":
    main()
