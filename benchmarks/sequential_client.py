#!/usr/bin/env python
# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The benchmark's plain sequential client: one request at a time, like a hand-written script.

It works the way Netflix Lemur's DigiCert plugin talks to CertCentral: one blocking call after the other, no
pacing. It pages through the pending and waiting_pickup orders, picks those created more than --older-than-days
ago, and for each reads its status and cancels it while it is still cancelable. A 429 is waited out for 5 seconds
and the call repeated, as Keyfactor's plugin does (Lemur would give up).

The key and the base URL come from DIGICERT_API_KEY and DIGICERT_API_URL. The last line of the output is a JSON
object: {"canceled": N, "throttled": N}.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time

import requests

CANCELABLE_STATUSES = ("pending", "waiting_pickup")
PAGE_SIZE = 1000
THROTTLED_WAIT_SECONDS = 5


class SequentialClient:
    def __init__(self, api_url, api_key):
        self.api_url = api_url.rstrip("/")
        self.session = requests.Session()
        # The benchmark talks to a simulator on loopback: no proxy from the environment may carry that away.
        self.session.trust_env = False
        self.session.headers.update({"X-DC-DEVKEY": api_key, "Accept": "application/json"})
        self.throttled = 0

    def call(self, method, path, **options):
        while True:
            response = self.session.request(method, self.api_url + path, timeout=60, **options)
            if response.status_code != 429:
                response.raise_for_status()
                return response.json() if response.content else None
            self.throttled += 1
            time.sleep(THROTTLED_WAIT_SECONDS)

    def orders_in(self, status):
        offset = 0
        while True:
            page = self.call("GET", "/order/certificate", params={"filters[status]": status, "offset": offset, "limit": PAGE_SIZE})
            yield from page["orders"]
            offset += len(page["orders"])
            if not page["orders"] or offset >= page["page"]["total"]:
                return


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--older-than-days", type=int, default=30)
    parser.add_argument("--note", default="Abandoned order, canceled by a sequential script.")
    args = parser.parse_args(argv)

    client = SequentialClient(os.environ["DIGICERT_API_URL"], os.environ["DIGICERT_API_KEY"])
    cutoff = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=args.older_than_days)
    abandoned = [
        order["id"] for status in CANCELABLE_STATUSES for order in client.orders_in(status) if datetime.datetime.fromisoformat(order["date_created"]) < cutoff
    ]
    canceled = 0
    for order_id in abandoned:
        order = client.call("GET", f"/order/certificate/{order_id}")
        if order["status"] in CANCELABLE_STATUSES:
            client.call("PUT", f"/order/certificate/{order_id}/status", json={"status": "canceled", "note": args.note})
            canceled += 1
    sys.stdout.write(json.dumps({"canceled": canceled, "throttled": client.throttled}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
