# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The benchmark account: 20 pages of 1000 from 20,000 orders quickly, and concurrent clients served consistently."""

from __future__ import annotations

import concurrent.futures
import time

import pytest
import requests

from certcentral_sim.generator import DEMO_ADMIN_KEY, DEMO_ORDERS_KEY
from certcentral_sim.testing import running_simulator


@pytest.fixture(scope="module")
def benchmark_simulator():
    with running_simulator(seed=7, orders=20000, pending=3000, abandoned=400, reference_date="2026-01-15", rate_limits=[]) as handle:
        yield handle


def session_for(key: str) -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    session.headers["X-DC-DEVKEY"] = key
    return session


def test_twenty_pages_of_a_thousand_are_quick(benchmark_simulator):
    benchmark_simulator.reset()
    with session_for(DEMO_ADMIN_KEY) as session:
        started = time.monotonic()
        ids = []
        for page in range(20):
            body = session.get(benchmark_simulator.base_url + "/order/certificate", params={"offset": page * 1000, "limit": 1000}, timeout=30).json()
            ids += [order["id"] for order in body["orders"]]
        elapsed = time.monotonic() - started
    assert len(set(ids)) == 20000
    assert elapsed < 8, f"20 pages took {elapsed:.2f} s"


def test_filtered_and_sorted_pages_are_quick(benchmark_simulator):
    benchmark_simulator.reset()
    with session_for(DEMO_ADMIN_KEY) as session:
        started = time.monotonic()
        for status in ("pending", "waiting_pickup"):
            body = session.get(
                benchmark_simulator.base_url + "/order/certificate", params={"filters[status]": status, "sort": "-date_created", "limit": 1000}, timeout=30
            ).json()
            assert body["orders"] and all(order["status"] == status for order in body["orders"])
        assert time.monotonic() - started < 3


def test_concurrent_clients_are_served_consistently(benchmark_simulator):
    benchmark_simulator.reset()
    pending = [order["id"] for order in benchmark_simulator.orders("pending")[:40]]

    def read_pages(_worker: int) -> int:
        with session_for(DEMO_ADMIN_KEY) as session:
            total = 0
            for page in range(5):
                answer = session.get(benchmark_simulator.base_url + "/order/certificate", params={"offset": page * 1000, "limit": 1000}, timeout=60)
                assert answer.status_code == 200
                total += len(answer.json()["orders"])
            return total

    def cancel(order_ids: list[int]) -> list[int]:
        with session_for(DEMO_ORDERS_KEY) as session:
            return [
                session.put(
                    f"{benchmark_simulator.base_url}/order/certificate/{order_id}/status", json={"status": "canceled", "note": "concurrent"}, timeout=60
                ).status_code
                for order_id in order_ids
            ]

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        readers = [pool.submit(read_pages, worker) for worker in range(6)]
        cancelers = [pool.submit(cancel, pending[half::2]) for half in range(2)]
        assert [reader.result() for reader in readers] == [5000] * 6
        assert [status for canceler in cancelers for status in canceler.result()] == [204] * 40
    log = benchmark_simulator.audit_log()
    assert sorted(entry["order_id"] for entry in log) == sorted(pending)
    assert [entry["sequence"] for entry in log] == list(range(1, 41))


def test_reset_of_the_big_account_is_cheap(benchmark_simulator):
    started = time.monotonic()
    benchmark_simulator.reset()
    assert time.monotonic() - started < 1
