# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""One shape for an order in module results, whether it came from the order list or from order info."""

from __future__ import annotations

from .timestamps import age_in_days, parse_timestamp
from .verdict import cancel_verdict, product_family


def _mapping(value):
    return value if isinstance(value, dict) else {}


def normalize_order(order, now, requests=None, include_raw=False):
    """The fields modules return for ``order``, with its cancel verdict.

    ``now`` (an aware datetime) fixes the reference point of ``age_days``. ``requests`` defaults to the order's own
    ``requests`` (present in order info); it stays None when unknown, as for list items. With ``include_raw``,
    ``raw`` keeps the order as returned; it is left out otherwise, because it holds most of the values of a result
    and every value costs time in Ansible's handling of a module result.
    """
    certificate = _mapping(order.get('certificate'))
    product = _mapping(order.get('product'))
    if requests is None and isinstance(order.get('requests'), list):
        requests = order['requests']
    # Order info has date_created at the top; older answers only had it on the certificate.
    date_created = order.get('date_created') or certificate.get('date_created')
    # Orders without SANs used to come back as [" "].
    dns_names = [name for name in certificate.get('dns_names') or [] if isinstance(name, str) and name.strip()]
    status = order.get('status')
    normalized = dict(
        id=order.get('id'),
        status=status.lower() if isinstance(status, str) else status,
        common_name=certificate.get('common_name'),
        dns_names=dns_names,
        product_name_id=product.get('name_id') or order.get('product_name_id'),
        product_type=product.get('type'),
        product_family=product_family(order),
        container_id=_mapping(order.get('container')).get('id'),
        date_created=date_created,
        age_days=age_in_days(parse_timestamp(date_created), now),
        payment_method=order.get('payment_method'),
        requests=requests,
        cancel_verdict=cancel_verdict(order, requests),
    )
    if include_raw:
        normalized['raw'] = order
    return normalized
