# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Rolling rate-limit windows per key (small windows, so the suite stays fast)."""

from __future__ import annotations

import time

from certcentral_sim.testing import running_simulator
from sim_contract import RATE_LIMITED, assert_error


def statuses(api, count: int) -> list[int]:
    return [api.get("/user/me").status_code for _attempt in range(count)]


def test_the_default_windows_are_the_documented_ones():
    with running_simulator(orders=20) as simulator:
        assert simulator.rate_limits() == [[100, 5.0], [1000, 180.0]]


def test_exceeding_a_window_answers_429_without_retry_after(simulator, api):
    simulator.set_rate_limits([(5, 0.5)])
    assert statuses(api, 5) == [200] * 5
    refused = api.get("/user/me")
    assert_error(refused, 429, RATE_LIMITED)
    assert "Retry-After" not in refused.headers
    counters = simulator.counters()
    assert counters["rate_limited"] == 1 and counters["responses_by_status"]["429"] == 1


def test_the_window_rolls_and_refused_requests_do_not_count(simulator, api):
    simulator.set_rate_limits([(5, 0.5)])
    assert statuses(api, 5) == [200] * 5
    window_full_at = time.monotonic()
    time.sleep(0.25)
    assert statuses(api, 3) == [429] * 3  # refused while the window is full...
    time.sleep(max(0.0, window_full_at + 0.55 - time.monotonic()))
    assert statuses(api, 5) == [200] * 5  # ...and not counted: the accepted five left the window, so five fit again
    assert api.get("/user/me").status_code == 429


def test_limits_are_per_key(simulator, client, admin_key, orders_key):
    simulator.set_rate_limits([(3, 5)])
    assert statuses(client(admin_key), 4) == [200, 200, 200, 429]
    assert statuses(client(orders_key), 3) == [200] * 3


def test_every_window_applies(simulator, api):
    simulator.set_rate_limits([(3, 0.3), (5, 30)])
    assert statuses(api, 4) == [200, 200, 200, 429]
    time.sleep(0.35)  # every accepted request is now older than the short window
    assert statuses(api, 3) == [200, 200, 429]  # the short window has room again, the long one only for two


def test_writes_and_errors_count_like_reads(simulator, api, order_in):
    simulator.set_rate_limits([(3, 30)])
    assert api.get("/no/such/route").status_code == 404
    assert api.put(f"/order/certificate/{order_in('issued')}/status", {"status": "canceled", "note": "x"}).status_code == 400
    assert api.get("/user/me").status_code == 200
    assert_error(api.put(f"/order/certificate/{order_in('pending')}/status", {"status": "canceled", "note": "x"}), 429, RATE_LIMITED)


def test_rate_limits_can_be_switched_off(simulator, api):
    simulator.set_rate_limits([(2, 30)])
    assert statuses(api, 3) == [200, 200, 429]
    simulator.set_rate_limits([])
    assert statuses(api, 50) == [200] * 50


def test_the_admin_channel_is_never_limited_nor_counted(simulator, api):
    simulator.set_rate_limits([(2, 30)])
    for _attempt in range(30):
        simulator.orders("pending")
    assert simulator.counters()["api_requests"] == 0
    assert statuses(api, 3) == [200, 200, 429]


def test_reset_restores_the_start_up_windows(simulator):
    simulator.set_rate_limits([(1, 1)])
    simulator.reset()
    assert simulator.rate_limits() == []
