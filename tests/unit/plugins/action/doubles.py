# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The test doubles of the action plugins that list orders (digicert_order_report, decommission_plan,
order_cleanup_selection), in one place:
an account served in pages, a client that reads it with the real listing (listing.OrderListing), and a clock that
moves only while the pacer sleeps. The fixtures of conftest.py put them behind action_support.build_client.
"""

from __future__ import annotations

import contextlib

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.listing import OrderListing, OrderPage

API_KEY = "REPORTTESTKEY0123456789abcdef"
PAGE_LIMIT = 10
# Text someone else typed: a formula, quotes, a comma, a line break, Markdown and HTML, a control character.
NASTY_NAMES = ['=HYPERLINK("http://evil.test")', 'a, "b"\nc', "| *x* <b>y</b> [z](u) \x07", "\u00e9t\u00e9.example"]


def account_order(order_id, status="pending"):
    """An order as the order list returns it, with one of NASTY_NAMES as its common name."""
    return {
        "id": order_id,
        "status": status,
        "date_created": f"2026-01-{1 + order_id % 28:02d}T10:00:00+00:00",
        "certificate": {"common_name": NASTY_NAMES[order_id % len(NASTY_NAMES)], "dns_names": [f"www{order_id}.example", "-x.example"]},
        "product": {"name_id": "ssl_basic", "type": "ssl_certificate"},
        "container": {"id": 7},
    }


class Account:
    """Pages of at most PAGE_LIMIT orders of ``ids``, in ascending ID, each made by ``order_of(order_id)``;
    ``before_page(account, offset)`` may change the account between two pages."""

    def __init__(self, ids, before_page=None, order_of=account_order):
        self.ids = list(ids)
        self.before_page = before_page
        self.order_of = order_of
        self.removed = set()
        self.offsets = []

    def fetch_pages(self, offsets, limit):
        for offset in offsets:
            self.offsets.append(offset)
            if self.before_page is not None:
                self.before_page(self, offset)
            ordered = sorted(self.ids)
            page = ordered[offset : offset + min(limit, PAGE_LIMIT)]
            yield OrderPage([self.order_of(order_id) for order_id in page], len(ordered), PAGE_LIMIT, offset)


class FakeClient:
    """The client's listing (listing.OrderListing, with its overlap, re-reads and dedupe) over an Account. Every
    listing warns with a text that quotes API_KEY, as an answer that echoed the key would make it. Each detail read,
    and with ``paced_listing`` each page, waits for ``pacer``."""

    def __init__(self, account, warn=None, error=None, pacer=None, paced_listing=False):
        self.account = account
        self.warn = warn
        self.error = error
        self.pacer = pacer
        self.paced_listing = paced_listing
        self.listed_with = []

    def list_orders(self, filters=None, keep=None, progress=None):
        self.listed_with.append(filters)
        if self.warn is not None:
            self.warn(f"A warning that quotes the key {API_KEY}.")
        if self.error is not None:
            raise self.error
        return OrderListing(filters, self._fetch_pages, keep, progress).read()

    def _fetch_pages(self, offsets, limit):
        for page in self.account.fetch_pages(offsets, limit):
            with self.pacer.slot() if self.pacer is not None and self.paced_listing else contextlib.nullcontext():
                pass
            yield page

    def get_orders(self, order_ids, progress=None):
        self.detailed_ids = list(order_ids)
        orders = [dict(self.account.order_of(order_id), payment_method="balance", requests=[]) for order_id in order_ids]
        for read in range(1, len(orders) + 1):
            # Each detail read waits for the pacer, as the client's requests do.
            with self.pacer.slot() if self.pacer is not None else contextlib.nullcontext():
                pass
            if progress is not None:
                progress(read, len(orders), read == len(orders))
        return orders


class PacedClock:
    """Seconds that pass only while the pacer sleeps, seen alike by the pacer and the progress lines."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds
